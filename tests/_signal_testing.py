"""The scipy.signal oracle of the 2-D functions (docs/contract.md §4, §5) and the kernels their
tests use.

scipy.signal.convolve2d / correlate2d in float64 / complex128, image by image over any leading
batch axes; 'mirror' and 'nearest' (which scipy.signal lacks) use np.pad + scipy's 'valid'
mode, an oracle that is itself checked against scipy for fill / wrap / symm
(test_conv2d.py::test_pad_oracle_agrees_with_scipy).
"""
import math

import numpy as np
import scipy.signal as ss
from reference.modes import ALIASES, SIGNAL_NAMES, canonical

FUNCS = ["convolve2d", "correlate2d"]
SIZES = ["full", "same", "valid"]

# every accepted spelling of a boundary, under scipy.signal's name for it
BOUNDARY_ALIASES = {SIGNAL_NAMES[mode]: list(names) + [names[0].title(), names[0].upper()]
                    for mode, names in ALIASES.items()}
ALL_BOUNDARIES = [b for names_ in BOUNDARY_ALIASES.values() for b in names_] + ["zeros"]
MAIN_BOUNDARIES = ["fill", "wrap", "symm", "mirror", "nearest"]
_NP_PAD = {"fill": "constant", "wrap": "wrap", "symm": "symmetric", "mirror": "reflect",
           "nearest": "edge"}


def canonical_boundary(boundary, fillvalue):
    """('fill' | 'symm' | 'wrap' | 'mirror' | 'nearest', effective fillvalue)."""
    mode, fv = canonical(boundary, fillvalue)
    return SIGNAL_NAMES[mode], fv


def valid_ok(shape, kshape):
    """scipy's rule for 'valid': one input at least as large as the other in every dim."""
    (h, w), (kh, kw) = shape, kshape
    return h >= kh and w >= kw or h <= kh and w <= kw


def pad_oracle(fname, img, k, mode, boundary, fillvalue):
    """Pad by (kh-1, kw-1) on every side with np.pad, then scipy's 'valid'
    mode gives the 'full' result; 'same' is scipy's centred slice of it."""
    kh, kw = k.shape
    H, W = img.shape
    extra = {"constant_values": fillvalue} if boundary == "fill" else {}
    xp = np.pad(img, ((kh - 1, kh - 1), (kw - 1, kw - 1)), _NP_PAD[boundary], **extra)
    full = getattr(ss, fname)(xp, k, "valid")
    if mode == "full":
        return full
    assert mode == "same"
    r0 = (kh - 1) // 2 if fname == "convolve2d" else kh // 2
    c0 = (kw - 1) // 2 if fname == "convolve2d" else kw // 2
    return full[r0:r0 + H, c0:c0 + W]


def scipy_image(fname, img, k, mode, boundary, fillvalue):
    """One image: scipy.signal, except where scipy has no such boundary."""
    b, fv = canonical_boundary(boundary, fillvalue)
    if mode == "valid":
        if fname == "correlate2d" and not (img.shape[0] >= k.shape[0] and
                                           img.shape[1] >= k.shape[1]) and (
                np.iscomplexobj(img) or np.iscomplexobj(k)):
            # scipy.signal.correlate2d conjugates the *image* when it swaps the
            # inputs (see test_complex_valid_with_kernel_larger_than_image);
            # scipy.signal.correlate (n-D) and the slice of scipy's own 'full'
            # correlate2d agree with each other and are the oracle here.
            return ss.correlate(img, k, "valid", method="direct")
        b, fv = ("fill", 0) if b in ("mirror", "nearest") else (b, fv)
    if b in ("fill", "wrap", "symm"):
        return getattr(ss, fname)(img, k, mode, b, fv)
    return pad_oracle(fname, img, k, mode, b, fv)


def oracle2d(fname, x, k, mode="full", boundary="fill", fillvalue=0):
    """scipy.signal.<fname> on each image of x (float64 / complex128)."""
    x = np.asarray(x)
    k = np.asarray(k)
    xd = x.astype(np.complex128 if x.dtype.kind == "c" else np.float64)
    kd = k.astype(np.complex128 if k.dtype.kind == "c" else np.float64)
    if xd.dtype.kind != "c" and kd.dtype.kind != "c" and np.iscomplexobj(fillvalue):
        raise AssertionError("complex fillvalue for a real result")
    mode = mode.lower()
    batch = x.shape[:-2]
    imgs = xd.reshape((math.prod(batch),) + x.shape[-2:])  # (-1 is ambiguous for no samples)
    outs = [scipy_image(fname, img, kd, mode, boundary, fillvalue) for img in imgs]
    out = np.stack(outs) if outs else None
    if out is None:  # empty batch: compute the image shape from a dummy image
        dummy = scipy_image(fname, np.zeros(x.shape[-2:]), kd, mode, boundary, fillvalue)
        out = np.zeros((0,) + dummy.shape, dummy.dtype)
    return out.reshape(batch + out.shape[1:])


# --------------------------------------------------------------------------
# Kernels
# --------------------------------------------------------------------------
def low_rank(rng, kh, kw, rank, dtype=np.float64):
    """A kernel of exactly `rank` (generically): a sum of `rank` outer products
    of random (complex, for a complex dtype) factors."""
    cplx = np.dtype(dtype).kind == "c"

    def vec(n):
        v = rng.uniform(-2, 2, n)
        return v + 1j * rng.uniform(-2, 2, n) if cplx else v

    k = sum(np.outer(vec(kh), vec(kw)) for _ in range(rank))
    return np.asarray(k, dtype)


def make_kernel(rng, kh, kw, kind, dtype=np.float64):
    """kind: 'ones', 'rank<r>' (low_rank) or 'random'."""
    if kind == "ones":
        return np.ones((kh, kw), dtype)
    if kind.startswith("rank"):
        return low_rank(rng, kh, kw, min(int(kind[4:]), kh, kw), dtype)
    k = rng.uniform(-2, 2, (kh, kw))
    if np.dtype(dtype).kind == "c":
        k = k + 1j * rng.uniform(-2, 2, (kh, kw))
    return k.astype(dtype)


# The four kernels of the routing tests, and the route each must take.
ROUTE_KERNELS = {
    "rank1_5x5": (lambda rng: low_rank(rng, 5, 5, 1), True),
    "rank2_7x7": (lambda rng: low_rank(rng, 7, 7, 2), True),
    "random_3x3": (lambda rng: rng.uniform(-2, 2, (3, 3)), False),
    "random_5x5": (lambda rng: rng.uniform(-2, 2, (5, 5)), False),
}
