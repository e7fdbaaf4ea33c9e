"""References for every public function, in float64 / complex128, written from the peers'
behaviour (scipy.ndimage, scipy.signal, the NumPy conv1d reference), for the non-finite and fuzz
tests; and the comparison they share, which holds NaN and +-inf to exact patterns.

Complex values are composed from real calls on the real and imaginary parts, as
scipy.ndimage does (_complex_via_real_components) and as axisconv does for every function
(docs/contract.md §2); scipy.signal instead multiplies complex numbers, which carries a NaN or
infinity of one part into the other (NaN x 0).  Finite results are the same.
"""
import numpy as np
import scipy.ndimage as ndi
import scipy.signal as ss

from reference.layer import conv1d as conv1d_reference, tf_padding
from reference.modes import source_index
from reference.on1d import lag_matrix  # noqa: F401 (the fuzz test's reference too)

DBL_EPSILON = float(np.finfo(np.float64).eps)


# --------------------------------------------------------------------------------------------
# The scipy.ndimage family
# --------------------------------------------------------------------------------------------
def scipy_folds(k):
    """How scipy.ndimage's correlate1d folds the real kernel k (ni_filters.c NI_Correlate1D):
    1 (as symmetric) for an odd kernel whose pairs all fail |k[c+j] - k[c-j]| > DBL_EPSILON,
    else -1 (as antisymmetric) if they all fail |k[c+j] + k[c-j]| > DBL_EPSILON, else 0.
    It then sums (x[a] +- x[b]) * k[c-j], which is not the kernel's sum when the pairs are
    not exactly equal -- the epsilon is absolute: an odd kernel with taps below 1e-16 is
    taken as symmetric, antisymmetric or not -- nor IEEE's k x[a] +- k x[b] when k is
    infinite or NaN (inf * (1 - 2) = -inf where inf - 2 inf is NaN): NaN and inf pairs
    fail the test too."""
    k = np.asarray(k, np.float64)
    K, c = k.size, k.size // 2
    if K % 2 == 0:
        return 0
    with np.errstate(invalid="ignore"):
        pairs = [(k[c + j], k[c - j]) for j in range(1, c + 1)]
        if all(not abs(a - b) > DBL_EPSILON for a, b in pairs):
            return 1
        if all(not abs(a + b) > DBL_EPSILON for a, b in pairs):
            return -1
    return 0


def unfolded_line(x, k, axis, mode, cval, origin):
    """correlate1d of real x as the sum of its K products in tap order (float64)."""
    x = np.moveaxis(np.asarray(x, np.float64), axis, -1)
    k = np.asarray(k, np.float64)
    n, K = x.shape[-1], k.size
    i = np.arange(n)[:, None] + np.arange(K)[None, :] - K // 2 - origin
    src = source_index(i, n, mode)
    padded = np.concatenate([x, np.full(x.shape[:-1] + (1,), cval)], -1)
    taps = padded[..., np.where(src < 0, n, src)]
    with np.errstate(all="ignore"):
        s = taps[..., 0] * k[0]
        for t in range(1, K):
            s = s + taps[..., t] * k[t]
    return np.moveaxis(s, -1, axis)


def real_line(x, k, axis, mode, cval, origin):
    """scipy.ndimage.correlate1d of real x with real k, except where scipy folds a kernel that
    is not exactly symmetric or antisymmetric, or holds NaN or inf: there the kernel's sum,
    unfolded, which axisconv computes (docs/contract.md §8: it folds exact pairs only, and a
    folded sum that is not finite is redone in the general order)."""
    k = np.asarray(k, np.float64)
    fold = scipy_folds(k)
    if fold and not (np.array_equal(k, fold * k[::-1]) and np.isfinite(k).all()):
        return unfolded_line(x, k, axis, mode, cval, origin)
    with np.errstate(all="ignore"):
        return ndi.correlate1d(np.asarray(x, np.float64), np.asarray(k, np.float64), axis,
                               mode=mode, cval=cval, origin=origin)


def via_parts(real_call, x, k, fill, conjugate):
    """A complex correlation from real ones: real_call(x_part, k_part, fill_part); the kernel
    conjugated first when `conjugate` (correlation), as scipy.ndimage and axisconv do."""
    x, k = np.asarray(x), np.asarray(k)
    if x.dtype.kind != "c" and k.dtype.kind != "c":
        return real_call(x, k, float(np.real(fill)))
    k = k.conj() if conjugate else k
    fr, fi = float(np.real(fill)), float(np.imag(fill))
    # a real x padded with a complex fill has an imaginary part: the fill's around zeros
    a, b = np.real(x), np.imag(x) if x.dtype.kind == "c" or fi != 0 else None
    c, d = np.real(k), np.imag(k) if k.dtype.kind == "c" else None
    with np.errstate(all="ignore"):  # (parts assigned, not re + 1j * im: 1j * inf is NaN)
        if b is None:
            re, im = real_call(a, c, fr), real_call(a, d, fr)
        elif d is None:
            re, im = real_call(a, c, fr), real_call(b, c, fi)
        else:
            re = real_call(a, c, fr) - real_call(b, d, fi)
            im = real_call(a, d, fr) + real_call(b, c, fi)
    out = np.empty(re.shape, np.complex128)
    out.real, out.imag = re, im
    return out


def line_ref(fname, x, k, axis=-1, mode="reflect", cval=0.0, origin=0):
    """scipy.ndimage.correlate1d / convolve1d for a canonical mode ('zeros' is constant 0)."""
    mode, cval = ("constant", 0.0) if mode == "zeros" else (mode, cval)
    k = np.asarray(k)
    if fname == "convolve1d":
        k, origin = k[::-1], -origin - (1 - k.size % 2)
    return via_parts(lambda xp, kp, f: real_line(xp, kp, axis, mode, f, origin), x, k, cval,
                     conjugate=fname == "correlate1d")


def separable_ref(fname, x, kernels, axes, modes, cval, origins):
    """The 1-D references along `axes` in turn (the caller orders them)."""
    f1 = "correlate1d" if fname == "correlate_separable" else "convolve1d"
    r = np.asarray(x)
    for k, a, m, o in zip(kernels, axes, modes, origins):
        r = line_ref(f1, r, k, a, m, cval, o)
    return r


# --------------------------------------------------------------------------------------------
# The scipy.signal family
# --------------------------------------------------------------------------------------------
_SIGNAL = {"constant": "fill", "reflect": "symm", "wrap": "wrap"}
_NP_PAD = {"mirror": "reflect", "nearest": "edge"}


def real_plane(fname, img, k, mode, boundary, fillvalue):
    """scipy.signal.<fname> of one real image; 'mirror' and 'nearest', which scipy lacks, by
    np.pad and a 'valid' sum (which never reads a boundary)."""
    img, k = np.asarray(img, np.float64), np.asarray(k, np.float64)
    if img.size == 0:  # only 'fill' defines outputs of an empty image (or there are none)
        boundary = "constant"
    f = getattr(ss, fname)
    with np.errstate(all="ignore"):
        if mode == "valid" or boundary in _SIGNAL:
            return f(img, k, mode, _SIGNAL.get(boundary, "fill"), fillvalue)
        (kh, kw), (H, W) = k.shape, img.shape
        full = f(np.pad(img, ((kh - 1,) * 2, (kw - 1,) * 2), _NP_PAD[boundary]), k, "valid")
    if mode == "full":
        return full
    r0 = (kh - 1) // 2 if fname == "convolve2d" else kh // 2
    c0 = (kw - 1) // 2 if fname == "convolve2d" else kw // 2
    return full[r0:r0 + H, c0:c0 + W]


def plane_ref(fname, x, k, mode="full", boundary="constant", fillvalue=0.0):
    """scipy.signal.<fname> image by image over x's leading axes (boundary canonical, 'zeros'
    meaning fill 0), complex values composed from real parts."""
    boundary, fillvalue = ("constant", 0.0) if boundary == "zeros" else (boundary, fillvalue)
    fillvalue = fillvalue if boundary == "constant" and mode.lower() != "valid" else 0.0  # unread
    x = np.asarray(x)

    def one(img):
        def real_call(xp, kp, f):
            return real_plane(fname, xp, kp, mode, boundary, f)
        return via_parts(real_call, img, k, fillvalue, conjugate=fname == "correlate2d")

    imgs = x.reshape((int(np.prod(x.shape[:-2])),) + x.shape[-2:])
    if imgs.shape[0] == 0:  # an empty batch: the shape of one image's result
        shape = one(np.zeros(x.shape[-2:], x.dtype)).shape
        return np.zeros(x.shape[:-2] + shape, np.complex128 if np.iscomplexobj(k) or
                        x.dtype.kind == "c" else np.float64)
    outs = [one(img) for img in imgs]
    return np.stack(outs).reshape(x.shape[:-2] + outs[0].shape)


def output_length(W, K, stride, padding, dilation):
    """conv1d's output positions along a line of W samples (TensorFlow's rules)."""
    left, right = tf_padding(padding, W, K, stride, dilation)
    return max((W + left + right - (K - 1) * dilation - 1) // stride + 1, 0)


def on1d_ref(fname, x, k, mode, boundary, fillvalue, rows=1, lag=1, combine="stack"):
    """The on1d reference of docs/contract.md §5: convolve2d of the materialised input."""
    x, k = np.asarray(x), np.asarray(k)
    if fname == "single_row":
        return plane_ref("convolve2d", x[..., None, :], k, mode, boundary, fillvalue)
    if fname == "replicated":
        X = np.broadcast_to(x[..., None, :], x.shape[:-1] + (rows, x.shape[-1]))
        return plane_ref("convolve2d", X, k, mode, boundary, fillvalue)
    if fname == "lagged":
        return plane_ref("convolve2d", lag_matrix(x, rows, lag), k, mode, boundary, fillvalue)
    stack = np.stack([plane_ref("convolve2d", x[..., None, :], k[i:i + 1], mode, boundary,
                                fillvalue)[..., 0, :] for i in range(k.shape[0])], axis=-2)
    with np.errstate(all="ignore"):
        flat = x.shape[:-1] + (stack.shape[-2] * stack.shape[-1],)
        return {"stack": lambda: stack, "concat": lambda: stack.reshape(flat),
                "sum": lambda: stack.sum(-2), "mean": lambda: _mean(stack),
                "max": lambda: stack.max(-2)}[combine]()


def _mean(stack):
    """The mean over the rows, part by part (NumPy's complex division by the count would
    carry a NaN of one part into the other)."""
    if stack.dtype.kind != "c":
        return stack.mean(-2)
    out = np.empty(stack.shape[:-2] + stack.shape[-1:], stack.dtype)
    out.real, out.imag = stack.real.mean(-2), stack.imag.mean(-2)
    return out


# --------------------------------------------------------------------------------------------
# Comparison: exact NaN / +-inf patterns, finite values within a tolerance
# --------------------------------------------------------------------------------------------
def pattern(a):
    """0 finite, 1 +inf, -1 -inf, 2 NaN, per real component."""
    a = np.asarray(a)
    if a.dtype.kind == "c":
        return np.stack([pattern(a.real), pattern(a.imag)])
    return np.where(np.isnan(a), 2, np.where(np.isposinf(a), 1, np.where(np.isneginf(a), -1, 0)))


def finite_max(*arrays):
    """The largest finite magnitude among arrays and scalars (0 if none)."""
    m = 0.0
    for a in arrays:
        a = np.abs(np.asarray(a, np.complex128)).ravel()
        a = a[np.isfinite(a)]
        m = max(m, float(a.max()) if a.size else 0.0)
    return m


def abs_sum(k):
    """sum|k| over the finite taps (real and imaginary parts apart)."""
    k = np.asarray(k, np.complex128)
    a = np.abs(np.concatenate([k.real.ravel(), k.imag.ravel()]))
    return float(a[np.isfinite(a)].sum())


def factor_sum(k):
    """sum|k|, or the larger sum_i s_i * sum|u_i| * sum|v_i| of a 2-D kernel's SVD: the sums a
    kernel split into separable factors can form along the way."""
    k = np.asarray(k)
    s = abs_sum(k)
    if k.ndim == 2 and np.isfinite(k).all() and min(k.shape) > 1:
        for part in ([k.real, k.imag] if k.dtype.kind == "c" else [k]):
            u, sv, vt = np.linalg.svd(np.asarray(part, np.float64))
            s = max(s, float(sum(sv[i] * np.abs(u[:, i]).sum() * np.abs(vt[i]).sum()
                                 for i in range(sv.size))))
    return s


def taps_at_risk(taps, dtype):
    """Whether float32 rounding may zero a tap (one below float32's smallest subnormal):
    against an infinity it then gives NaN where the float64 reference has +-inf.  Rounding
    never flips a tap's sign (docs/contract.md §8: a tap takes the carried error of larger
    ones only as far as 2^-10 of itself)."""
    if np.dtype(dtype).char not in "fF":
        return False
    a = np.abs(np.concatenate([np.real(t).ravel() for t in taps]
                              + [np.imag(t).ravel() for t in taps]))
    a = a[np.isfinite(a) & (a > 0)]
    return bool(a.size) and bool(a.min() < float(np.finfo(np.float32).smallest_subnormal))


def tolerance(dtype, terms, scale, gain=1.0):
    """Absolute error bound for sums of `terms` products of magnitude sum `scale`; `gain`
    bounds how much later passes amplify the subnormal rounding of earlier ones."""
    info = np.finfo(np.dtype(dtype))
    tiny = float(info.smallest_subnormal) * max(gain, 1.0)
    bound = 4.0 * (terms + 4) * (float(info.eps) * scale + tiny)
    return bound * (2 if np.dtype(dtype).kind == "c" else 1)


def mismatch(got, want, dtype, atol, inf_for_nan=False, unsure=None):
    """None if got matches want: dtype and shape, the same NaN and +-inf pattern (except, with
    `inf_for_nan`, +-inf where want has NaN: on1d's documented summed taps; and where
    `unsure`, any non-finite value where want has one), finite values within atol.  Else a
    description of the first difference."""
    got = np.asarray(got)
    want = np.asarray(want)
    if got.dtype not in (np.dtype(dtype), np.dtype(dtype).newbyteorder()):  # `out` swapped
        return f"dtype {got.dtype}, expected {np.dtype(dtype)}"
    if got.shape != want.shape:
        return f"shape {got.shape}, expected {want.shape}"
    pg, pw = pattern(got), pattern(np.asarray(want, np.result_type(want, got.dtype)))
    differ = pg != pw
    if inf_for_nan:
        differ &= ~((pw == 2) & (np.abs(pg) == 1))
    if unsure is not None:
        differ &= ~(np.broadcast_to(unsure, differ.shape) & (pg != 0) & (pw != 0))
    if differ.any():
        at = tuple(int(i) for i in np.argwhere(differ)[0])
        return (f"non-finite pattern differs at {int(differ.sum())} of {differ.size} places, "
                f"first {at}: got code {pg[at]}, expected {pw[at]} (2 NaN, +-1 inf, 0 finite)")
    both = pw == 0
    if both.any():
        g = np.stack([got.real, got.imag]) if got.dtype.kind == "c" else got
        w = np.stack([want.real, want.imag]) if got.dtype.kind == "c" else want
        err = np.abs(g[both].astype(np.float64) - w[both].astype(np.float64))
        if err.max() > atol:
            return f"finite values differ by {err.max():.3g} > {atol:.3g}"
    return None
