"""Shared helpers for the axisconv test-suite: the scipy.ndimage oracle,
the contract's dtype rules, the tolerance checks (memory layouts: _layouts.py).

scipy.ndimage is the oracle (docs/contract.md §2); every reference is computed in
float64 / complex128 from the caller's data.
"""
import os
import re

import numpy as np
import pytest
import reference.layer
import scipy.ndimage as ndi
from reference import separable as sep_ref
from reference.modes import ALIASES, MODES, SPELLINGS, canonical

import axisconv


def n_examples(n):
    """Hypothesis example count, scaled by $AXISCONV_EXAMPLES_SCALE (default 1)
    for occasional long bug hunts."""
    return max(1, int(n * float(os.environ.get("AXISCONV_EXAMPLES_SCALE", "1"))))


def call(fname, *args, **kw):
    """axisconv.<fname>(*args, **kw): one test body for a function and its twin."""
    return getattr(axisconv, fname)(*args, **kw)


# --------------------------------------------------------------------------
# docs/contract.md §1: boundary-mode vocabulary (one table, in reference/modes.py)
# --------------------------------------------------------------------------
CANONICAL_MODES = MODES
MODE_ALIASES = ALIASES
ALL_MODE_NAMES = SPELLINGS          # (spelling, canonical mode); 'zeros' is constant with k = 0
canonical_mode = canonical          # (scipy.ndimage mode, effective cval) for any spelling


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


def separable_oracle(fname, x, kernels, axes=None, mode="reflect", cval=0.0, origin=0):
    """scipy.ndimage 1-D filters along each axis of `axes` in turn (fname names the separable
    function), float64/complex128."""
    one_d = {"correlate_separable": "correlate1d", "convolve_separable": "convolve1d"}[fname]
    x = np.asarray(x)
    axes = sep_ref.axes_list(axes, x.ndim)
    n = len(axes)
    y = x.astype(np.complex128 if x.dtype.kind == "c" else np.float64)
    for a, k, m, o in zip(axes, sep_ref.kernel_list(kernels, n), sep_ref.per_axis(mode, n),
                          sep_ref.per_axis(origin, n)):
        y = oracle(one_d, y, k, axis=a, mode=m, cval=cval, origin=o)
    return y


# --------------------------------------------------------------------------
# Tolerance
# --------------------------------------------------------------------------
def _finite_max_abs(a):
    a = np.abs(np.asarray(a))
    a = a[np.isfinite(a)]
    return float(a.max()) if a.size else 0.0


EPS32 = float(np.finfo(np.float32).eps)
EPS64 = float(np.finfo(np.float64).eps)


def _atol(dtype, K, S):
    """The bound of a sum of K products whose magnitudes add up to at most S."""
    if dtype in (np.dtype(np.float32), np.dtype(np.complex64)):
        atol = 2.0 * (max(K, 1) + 2) * EPS32 * S
    else:
        atol = max(4.0 * (max(K, 1) + 2) * EPS64, 1e-13) * S
    return 2.0 * atol if dtype.kind == "c" else atol


def tolerance(dtype, kernel, x, cval=0.0):
    """Absolute tolerance for one output sample.

    Every output sample is a sum of K products |k_j| * |value| with
    |value| <= max(|x|, |cval|), so S = sum|k| * max(|x|, |cval|) bounds it.
    float64: (K+2) * 4 eps64 * S, floored at 1e-13 * S (far below 1e-12 * S).
    float32: (K+2) * 2 eps32 * S  (kernel rounding + K roundings + output).
    complex: twice that (complex products).
    """
    kernel = np.asarray(kernel)
    sk = float(np.sum(np.abs(kernel.astype(np.complex128))))
    mx = max(_finite_max_abs(x), float(abs(complex(cval))) if np.isfinite(cval) else 0.0)
    return _atol(np.dtype(dtype), kernel.size, sk * mx)


def _assert_within(result, expected, dtype, atol, err_msg):
    result = np.asarray(result)
    expected = np.asarray(expected)
    assert result.dtype == np.dtype(dtype), (
        f"dtype {result.dtype} != expected {np.dtype(dtype)}. {err_msg}")
    assert result.shape == expected.shape, (
        f"shape {result.shape} != expected {expected.shape}. {err_msg}")
    np.testing.assert_allclose(
        result.astype(np.result_type(expected.dtype, result.dtype)), expected,
        rtol=0, atol=atol, equal_nan=True, err_msg=err_msg)


def assert_close(result, expected, dtype, kernel, x, cval=0.0, err_msg=""):
    """Assert `result` has dtype `dtype`, the shape of `expected`, and values
    within a tolerance scaled by sum|k| * max|x| (NaN/inf must match)."""
    _assert_within(result, expected, dtype, tolerance(dtype, kernel, x, cval), err_msg)


def chain_tolerance(dtype, kernels, modes, x, cval):
    """Absolute tolerance for a chain of 1-D passes (the separable functions).

    Pass i sees values bounded by B_{i-1} (B_0 = max|x|; the pad value counts
    when the mode is constant), produces values bounded by
    B_i = sum|k_i| * max(B_{i-1}, |pad|), and adds the one-pass error
    ``tolerance(dtype, k_i, B_{i-1}, pad)`` which later passes amplify by
    their sum|k_j|.
    """
    x = np.asarray(x)
    bound = _finite_max_abs(x)
    atol = 0.0
    sums = [float(np.sum(np.abs(np.asarray(k).astype(np.complex128)))) for k in kernels]
    for i, (k, m) in enumerate(zip(kernels, modes)):
        canon, c = canonical_mode(m, cval)
        pad = abs(complex(c)) if canon == "constant" else 0.0
        step = tolerance(dtype, k, np.array([bound]), cval=pad)
        atol += step * float(np.prod(sums[i + 1:]))
        bound = sums[i] * max(bound, pad)
    return atol


def assert_chain_close(got, expected, dtype, kernels, modes, x, cval, err_msg=""):
    """assert_close for a chain of 1-D passes (chain_tolerance)."""
    _assert_within(got, expected, dtype, chain_tolerance(dtype, kernels, modes, x, cval), err_msg)


def separable_dtype(x_dtype, kernels):
    """The result dtype of the separable functions: the 1-D rule over every kernel."""
    d = None
    for k in kernels:
        r = result_dtype(x_dtype, np.asarray(k).dtype)
        d = r if d is None else np.promote_types(d, r)
    return d


def numerical_rank(k):
    s = np.linalg.svd(np.asarray(k, np.float64), compute_uv=False)
    if not s.size or s[0] == 0:
        return 0
    return int(np.count_nonzero(s > max(k.shape) * EPS64 * s[0]))


def separable_route(k):
    """True if a real 2-D kernel may run as separable passes (low numerical rank r,
    r * (kh + kw) < kh * kw)."""
    kh, kw = k.shape
    if kh < 2 or kw < 2:
        return False
    r = numerical_rank(k)
    return 0 < r and r * (kh + kw) < kh * kw


def _factor_sum(k):
    """sum over the kept ranks of s_i * sum|u_i| * sum|v_i|: bounds every
    intermediate of the separable passes (>= sum|k|)."""
    u, s, vt = np.linalg.svd(np.asarray(k, np.float64))
    r = numerical_rank(k)
    return float(sum(s[i] * np.abs(u[:, i]).sum() * np.abs(vt[i]).sum() for i in range(r)))


def tolerance2d(dtype, k, x, fillvalue=0.0):
    """tolerance() for a 2-D kernel of kh * kw taps; a kernel that may run as separable
    passes is bounded by its SVD factors (sum over ranks of s_i * sum|u_i| * sum|v_i|) plus
    the kernel's reconstruction error kh * kw * eps64 * sum|k| * max|x|."""
    dtype = np.dtype(dtype)
    k = np.asarray(k)
    x = np.asarray(x)
    mx = max(_finite_max_abs(x), abs(complex(fillvalue)))
    S = float(np.sum(np.abs(k.astype(np.complex128)))) * mx
    svd = 0.0
    parts = [k.real, k.imag] if k.dtype.kind == "c" else [k]
    for p in parts:
        p = np.asarray(p, np.float64)
        if separable_route(p):
            S = max(S, _factor_sum(p) * mx)
            svd = max(svd, k.size * EPS64 * float(np.abs(p).sum()) * mx)
    return _atol(dtype, k.size, S) + (2.0 if dtype.kind == "c" else 1.0) * svd


def assert_close2d(got, expected, dtype, k, x, fillvalue=0.0, err_msg=""):
    """assert_close for a 2-D kernel (tolerance2d)."""
    _assert_within(got, expected, dtype, tolerance2d(dtype, k, x, fillvalue), err_msg)


def layer_tolerance(x, filters, bias, dtype):
    """|error| bound of one conv1d output: a sum of K * C_in/groups products plus the bias."""
    x = np.asarray(x, np.float64)
    f = np.abs(np.asarray(filters, np.float64))
    terms = f.shape[0] * f.shape[1] + 2
    bound = (np.abs(x).max() if x.size else 0.0) * f.sum(axis=(0, 1)).max(initial=0.0)
    if bias is not None:
        bound += np.abs(np.asarray(bias, np.float64)).max(initial=0.0)
    eps = np.finfo(dtype).eps
    return 4 * terms * eps * bound + (1e-300 if dtype == np.float64 else 1e-30)


def check_conv1d(x, filters, *, dtype=None, threads=None, out=None, **kw):
    """axisconv.conv1d(x, filters, **kw) equals reference.layer.conv1d within
    layer_tolerance; returns axisconv's result."""
    got = axisconv.conv1d(x, filters, out=out, threads=threads, **kw)
    want = reference.layer.conv1d(x, filters, **kw)
    dtype = np.dtype(dtype or (x.dtype if np.asarray(x).dtype.kind == "f" else np.float64))
    assert got.dtype == dtype
    assert got.shape == want.shape, (got.shape, want.shape)
    if out is not None:
        assert got is out
    atol = layer_tolerance(x, filters, kw.get("bias"), dtype)
    np.testing.assert_allclose(got, want, rtol=0, atol=atol, err_msg=str(kw))
    return got


def cancelling_pairs(rng, n, k0=0.3, k1=-0.7):
    """n float32 pairs (a, b) whose products with the float32 taps k0, k1 nearly cancel; with
    the values of k0 * a + k1 * b that float32 arithmetic gives -- a multiply and an add, or a
    fused multiply-add, in either order: shape (n, 3) -- and the exact sum rounded to float32
    once, which float64 arithmetic gives.  The two differ for most pairs."""
    k0, k1 = float(np.float32(k0)), float(np.float32(k1))    # the taps as float32 holds them
    a = rng.uniform(1, 2, n).astype(np.float32)
    b = (-(k0 * a.astype(np.float64)) / k1).astype(np.float32)
    p0, p1 = k0 * a.astype(np.float64), k1 * b.astype(np.float64)   # exact

    def f32(v):
        return v.astype(np.float32).astype(np.float64)
    float32 = np.stack([f32(f32(p0) + f32(p1)), f32(p1 + f32(p0)), f32(p0 + f32(p1))], -1)
    return a, b, float32, f32(p0 + p1)


def assert_float32_arithmetic(got, float32, once):
    """Every sample of `got` is one that float32 arithmetic gives, and most are not what
    float64 arithmetic rounded once to float32 would give."""
    got = np.asarray(got, np.float64).reshape(-1)
    assert (got[:, None] == float32).any(axis=1).all(), "not a float32 sum"
    assert np.mean(got != once) > 0.5, "float64 sums rounded to float32"


# --------------------------------------------------------------------------
# Data and strided views
# --------------------------------------------------------------------------
VECTOR_BYTES = {"baseline": 16, "neon": 16, "avx2": 32, "avx512": 64}
BLOCK_VECTORS = {"baseline": 4, "neon": 4, "avx2": 8, "avx512": 8}  # simd.h, AX_NBLOCK


def register_block(dtype):
    """Elements of `dtype` in a register block of the active SIMD path's line kernels: lines
    and tiles under two blocks are filtered a batch of them per kernel call."""
    path = axisconv._simd_path()
    return BLOCK_VECTORS[path] * VECTOR_BYTES[path] // np.dtype(dtype).itemsize


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
