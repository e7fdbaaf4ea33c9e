"""Shared helpers for the axisconv test-suite: the scipy.ndimage oracle,
the contract's dtype rules, the tolerance check, and builders for strided views.

scipy.ndimage is the oracle (docs/contract.md §2); every reference is computed in
float64 / complex128 from the caller's data.
"""
import os
import re

import numpy as np
import pytest
import scipy.ndimage as ndi

def n_examples(n):
    """Hypothesis example count, scaled by $AXISCONV_EXAMPLES_SCALE (default 1)
    for occasional long bug hunts."""
    return max(1, int(n * float(os.environ.get("AXISCONV_EXAMPLES_SCALE", "1"))))


# --------------------------------------------------------------------------
# docs/contract.md §1: boundary-mode vocabulary
# --------------------------------------------------------------------------
CANONICAL_MODES = ("reflect", "mirror", "nearest", "wrap", "constant")

MODE_ALIASES = {
    "reflect": ["reflect", "grid-mirror", "symm", "symmetric", "BORDER_REFLECT"],
    "mirror": ["mirror", "reflect101", "reflect_101", "BORDER_REFLECT_101", "BORDER_DEFAULT",
               "BORDER_REFLECT101"],
    "nearest": ["nearest", "edge", "replicate", "BORDER_REPLICATE"],
    "wrap": ["wrap", "grid-wrap", "circular", "periodic", "BORDER_WRAP"],
    "constant": ["constant", "grid-constant", "fill", "BORDER_CONSTANT"],
}
# 'zeros' is constant with k = 0, whatever cval says.
ALL_MODE_NAMES = [(alias, canon) for canon, names in MODE_ALIASES.items()
                  for alias in names] + [("zeros", "zeros")]


def canonical_mode(mode, cval):
    """(scipy mode, effective cval) for any docs/contract.md §1 spelling."""
    m = mode.lower()
    if m == "zeros":
        return "constant", 0.0
    for canon, names in MODE_ALIASES.items():
        if m in [n.lower() for n in names]:
            return canon, cval
    raise KeyError(mode)


# --------------------------------------------------------------------------
# docs/contract.md §2: dtype rules
# --------------------------------------------------------------------------
def result_dtype(x_dtype, kernel_dtype):
    """Result dtype for x of x_dtype and a kernel of kernel_dtype."""
    xd = np.dtype(x_dtype)
    kd = np.dtype(kernel_dtype)
    if xd.kind == "f" and xd.itemsize == 4:
        base = np.dtype(np.float32)
    elif xd.kind == "c":
        base = np.dtype(np.complex64 if xd.itemsize == 8 else np.complex128)
    else:  # float64, bool, signed and unsigned integers
        base = np.dtype(np.float64)
    if kd.kind == "c":
        base = np.promote_types(base, np.complex64)
    return base


def origin_range(K):
    """Valid origins for a kernel of K taps (scipy.ndimage rule)."""
    return -(K // 2), (K - 1) // 2


# --------------------------------------------------------------------------
# The oracle
# --------------------------------------------------------------------------
def oracle(fname, x, kernel, axis=-1, mode="reflect", cval=0.0, origin=0):
    """scipy.ndimage.<fname>(...) computed in float64 / complex128."""
    x = np.asarray(x)
    kernel = np.asarray(kernel)
    scipy_mode, cval = canonical_mode(mode, cval)
    if x.dtype.kind == "c":
        xd = x.astype(np.complex128)
    else:
        xd = x.astype(np.float64)
    if kernel.dtype.kind == "c":
        kd = kernel.astype(np.complex128)
    else:
        kd = kernel.astype(np.float64)
    func = getattr(ndi, fname)
    return func(xd, kd, axis=axis, mode=scipy_mode, cval=cval, origin=origin)


# --------------------------------------------------------------------------
# Tolerance
# --------------------------------------------------------------------------
def _finite_max_abs(a):
    a = np.abs(np.asarray(a))
    a = a[np.isfinite(a)]
    return float(a.max()) if a.size else 0.0


def tolerance(dtype, kernel, x, cval=0.0):
    """Absolute tolerance for one output sample.

    Every output sample is a sum of K products |k_j| * |value| with
    |value| <= max(|x|, |cval|), so S = sum|k| * max(|x|, |cval|) bounds it.
    float64: (K+2) * 4 eps64 * S, floored at 1e-13 * S (far below 1e-12 * S).
    float32: (K+2) * 2 eps32 * S  (kernel rounding + K roundings + output).
    complex: twice that (complex products).
    """
    dtype = np.dtype(dtype)
    kernel = np.asarray(kernel)
    K = max(kernel.size, 1)
    sk = float(np.sum(np.abs(kernel.astype(np.complex128))))
    mx = max(_finite_max_abs(x), float(abs(complex(cval))) if np.isfinite(cval) else 0.0)
    S = sk * mx
    if dtype in (np.dtype(np.float32), np.dtype(np.complex64)):
        atol = 2.0 * (K + 2) * np.finfo(np.float32).eps * S
    else:
        atol = max(4.0 * (K + 2) * np.finfo(np.float64).eps, 1e-13) * S
    if dtype.kind == "c":
        atol *= 2.0
    return atol


def assert_close(result, expected, dtype, kernel, x, cval=0.0, err_msg=""):
    """Assert `result` has dtype `dtype`, the shape of `expected`, and values
    within a tolerance scaled by sum|k| * max|x| (NaN/inf must match)."""
    result = np.asarray(result)
    expected = np.asarray(expected)
    assert result.dtype == np.dtype(dtype), (
        f"dtype {result.dtype} != expected {np.dtype(dtype)}. {err_msg}")
    assert result.shape == expected.shape, (
        f"shape {result.shape} != expected {expected.shape}. {err_msg}")
    atol = tolerance(dtype, kernel, x, cval)
    np.testing.assert_allclose(
        result.astype(np.result_type(expected.dtype, result.dtype)), expected,
        rtol=0, atol=atol, equal_nan=True, err_msg=err_msg)


# --------------------------------------------------------------------------
# Data and strided views
# --------------------------------------------------------------------------
def random_values(rng, shape, dtype, scale=10.0):
    """Random values of `dtype`; floats roughly in [-scale, scale]."""
    dtype = np.dtype(dtype)
    if dtype.kind == "b":
        return rng.random(shape) < 0.5
    if dtype.kind in "iu":
        info = np.iinfo(dtype)
        lo = max(int(info.min), -1000)
        hi = min(int(info.max), 1000)
        return rng.integers(lo, hi + 1, size=shape).astype(dtype)
    if dtype.kind == "c":
        return (rng.uniform(-scale, scale, shape)
                + 1j * rng.uniform(-scale, scale, shape)).astype(dtype)
    return rng.uniform(-scale, scale, shape).astype(dtype)


def random_kernel(rng, K, dtype=np.float64, kind="random"):
    """A kernel of K taps; kind: random / symmetric / antisymmetric / ones."""
    dtype = np.dtype(dtype)
    if kind == "ones":
        k = np.ones(K)
    else:
        k = rng.uniform(-2.0, 2.0, K)
        if kind == "symmetric":
            k = 0.5 * (k + k[::-1])
        elif kind == "antisymmetric":
            k = 0.5 * (k - k[::-1])
    if dtype.kind == "c":
        k = k + 1j * rng.uniform(-2.0, 2.0, K)
        if kind == "symmetric":
            k = 0.5 * (k + k[::-1])
        elif kind == "antisymmetric":
            k = 0.5 * (k - k[::-1])
    return k.astype(dtype)


def sentinel(dtype):
    dtype = np.dtype(dtype)
    if dtype.kind == "f":
        return np.nan
    if dtype.kind == "c":
        return complex(np.nan, np.nan)
    if dtype.kind == "b":
        return True
    return np.iinfo(dtype).max


def strided_view(values, perm=None, steps=None, fill=None):
    """Return an array equal to `values` whose memory layout is: axes stored
    in order `perm` (perm[0] outermost), step steps[i] (may be negative) along
    axis i, inside a base buffer filled with `fill` (default: NaN-like
    sentinel, so reading a gap shows up)."""
    values = np.asarray(values)
    nd = values.ndim
    perm = list(range(nd)) if perm is None else list(perm)
    steps = [1] * nd if steps is None else list(steps)
    base_shape = [max(values.shape[p], 0) * abs(steps[p]) for p in perm]
    base = np.empty(base_shape, values.dtype)
    base[...] = sentinel(values.dtype) if fill is None else fill
    sl = tuple(slice(None, None, steps[p]) for p in perm)
    v = base[sl]
    inv = np.argsort(perm)
    view = v.transpose(inv)
    assert view.shape == values.shape
    view[...] = values
    return view, base


def unaligned_copy(values):
    """A copy of `values` whose data pointer is NOT aligned to its itemsize."""
    values = np.ascontiguousarray(values)
    nbytes = values.nbytes
    buf = np.zeros(nbytes + 2, np.uint8)
    # make the data address odd => misaligned for any itemsize > 1
    off = 1 if buf.ctypes.data % 2 == 0 else 0
    a = np.ndarray(values.shape, values.dtype, buffer=buf, offset=off)
    a[...] = values
    assert not a.flags.aligned or values.itemsize == 1
    return a


_WORD_CACHE = {}


def names(message, argname):
    """True if `message` mentions the argument `argname` as a word."""
    pat = _WORD_CACHE.get(argname)
    if pat is None:
        pat = re.compile(r"(?<![A-Za-z0-9_])" + re.escape(argname) + r"(?![A-Za-z0-9_])")
        _WORD_CACHE[argname] = pat
    return pat.search(str(message)) is not None


def raises_naming(exc, argname, f, *args, **kw):
    """f(*args, **kw) raises `exc` with a message that names the argument `argname`;
    returns the exception."""
    with pytest.raises(exc) as info:
        f(*args, **kw)
    msg = str(info.value)
    assert names(msg, argname), (
        f"{type(info.value).__name__} message does not name {argname!r}: {msg!r}")
    return info.value


# Outputs large enough to be streamed past the caches (over 16 MiB of input and output),
# with widths that are no multiple of a vector.
STREAMED_SHAPES = {np.dtype(np.float32): (1201, 1799), np.dtype(np.float64): (901, 1301)}


def out_at_offset(shape, dtype, offset):
    """An array of `shape` (C order) whose data starts `offset` bytes past a 64-byte boundary
    (rounded up to a multiple of the element size), inside a larger buffer.  Returns it and
    a function telling whether every byte of the buffer around it is as it was."""
    dtype = np.dtype(dtype)
    offset = -(-offset // dtype.itemsize) * dtype.itemsize
    nbytes = int(np.prod(shape)) * dtype.itemsize
    raw = np.random.default_rng(offset).integers(0, 256, nbytes + 256, dtype=np.uint8)
    start = (-raw.ctypes.data) % 64 + 64 + offset
    out = raw[start:start + nbytes].view(dtype).reshape(shape)
    before, after = raw[:start].copy(), raw[start + nbytes:].copy()

    def untouched():
        return (raw[:start] == before).all() and (raw[start + nbytes:] == after).all()
    return out, untouched
