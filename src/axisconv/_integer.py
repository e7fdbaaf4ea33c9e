"""Integer images in, integer images out: the call path of ``dtype=``/``out=`` of uint8,
uint16 or int16 for an x of uint8, uint16 or int16 (the arithmetic: _fixed.py).

Each public function makes one call here when it is given `out` or `dtype`;
``result_type`` says whether the call asks for an integer result, the functions below check
the rest, plan the fixed-point arithmetic and run the C core (csrc/int_filter.c).
"""
import functools

import numpy as np

from . import _core, _fixed
from ._checks import (MAXDIM, as_kernel, check_axis, check_cval, check_origin, direct_target,
                      prepare_out)
from ._config import check_threads
from ._modes import CONSTANT, mode_code
from ._signal import check_fillvalue, check_valid, window

INTEGER = tuple(_fixed.RANGE)  # the image types: uint8, uint16, int16
_NAMES = "uint8, uint16 or int16"
_REAL = np.empty(0)  # check_cval's x: a constant must be real


def _native(dtype):
    """dtype in the machine's byte order: a result type is taken in either, as `out` is."""
    return dtype.newbyteorder("=")


def result_type(x, out, dtype):
    """The integer dtype of the result when `out` or `dtype` asks for one (x must then be an
    integer image), else None: the call takes the float path, which checks `out` itself."""
    if dtype is None and out is None:
        return None
    wanted = None
    if dtype is not None:
        try:
            wanted = _native(np.dtype(dtype))
        except TypeError:
            raise TypeError(f"dtype must be a NumPy dtype, got {dtype!r}") from None
        if isinstance(out, np.ndarray) and _native(out.dtype) != wanted:
            raise TypeError(f"dtype={np.dtype(dtype)} does not match out's dtype {out.dtype}")
    elif isinstance(out, np.ndarray) and _native(out.dtype) in INTEGER:
        wanted = _native(out.dtype)
    if wanted is None:
        return None
    xdtype = np.asarray(x).dtype if not hasattr(x, "dtype") else np.dtype(x.dtype)
    if wanted in INTEGER:
        if _native(xdtype) not in INTEGER:
            what = "dtype" if dtype is not None else "out"
            raise TypeError(f"{what}: an integer result ({wanted}) needs x of {_NAMES}, got "
                            f"x of {xdtype}")
        return wanted
    if xdtype.kind in "fc" and wanted == _native(xdtype):
        return None  # the float result it gets anyway
    if xdtype.kind in "biu" and wanted == np.float64:
        return None
    raise TypeError(f"dtype must be {_NAMES} (an integer result for an integer x) or the "
                    f"dtype of the usual result, got dtype={wanted} for x of {xdtype}")


def as_image(x, name="x"):
    """x as a native, aligned array of an integer image type."""
    x = np.asarray(x)
    if x.ndim > MAXDIM:
        raise ValueError(f"{name} has {x.ndim} dimensions; at most {MAXDIM} are supported")
    if not (x.dtype.isnative and x.flags.aligned):
        x = np.require(x, x.dtype.newbyteorder("="), ["A"])
    return x


def real_kernel(kernel, name="kernel", ndim=1):
    """A finite real float64 kernel (as_kernel's checks, then these)."""
    k = as_kernel(kernel, name, ndim)
    if k.dtype.kind == "c":
        raise TypeError(f"{name} is complex; integer results need a real kernel")
    if not _finite(k.tobytes()):
        raise ValueError(f"{name} holds NaN or inf; integer results need finite taps")
    return k


@functools.lru_cache(maxsize=256)
def _finite(kbytes):
    """Whether every float64 tap is finite (remembered: a call's kernels recur, and a
    check costs a microsecond, a tenth of a small call)."""
    return bool(np.isfinite(np.frombuffer(kbytes, np.float64)).all())


def check_constant(value, dtype, used=True, name="cval"):
    """The constant of mode 'constant' (a real number, already checked as the float path
    checks it) as an integer of the input's type; 0 where no mode uses it."""
    if not used:
        return 0
    lo, hi = _fixed.RANGE[np.dtype(dtype)]
    if not (np.isfinite(value) and value == int(value) and lo <= value <= hi):
        raise ValueError(f"{name}={value!r}: with an integer result it must be an integer in "
                         f"[{lo}, {hi}], the range of x's dtype {np.dtype(dtype)}")
    return int(value)


def _run(x, out, call):
    """Runs call(x, target) into `out`, through a temporary when C cannot write `out` while
    it reads x (the integer drivers never work in place)."""
    target = direct_target(out, x, in_place=False)
    call(x, target)
    if target is not out:
        out[...] = target
    return out


def filter1d(x, kernel, axis, mode, cval, origin, out, dtype, threads, convolve):
    """correlate1d/convolve1d with an integer result (filters.py has checked nothing)."""
    x = as_image(x)
    if x.ndim < 1:
        raise ValueError("x must have at least one dimension")
    k = real_kernel(kernel)
    axis = check_axis(axis, x.ndim)
    origin = check_origin(origin, k.size)
    code, zeros = mode_code(mode)
    cval = check_constant(check_cval(cval, _REAL), x.dtype, code == CONSTANT and not zeros)
    threads = check_threads(threads)
    if convolve:
        k, origin = k[::-1], -origin - (1 - k.size % 2)
    result = _correlate1d(x, k, axis, k.size // 2 + origin, code, cval, out, dtype, threads)
    return result if out is None else out  # the caller's own object (a subclass stays one)


def _correlate1d(x, k, axis, offset, code, cval, out, dtype, threads):
    out = prepare_out(out, x.shape, dtype)
    if x.size == 0:
        return out
    plan = _fixed.plan_single(k, x.dtype, dtype)
    p = (axis, plan.taps[0], offset, code, cval)
    return _run(x, out, lambda a, o: _core.correlate1d_int(a, o, p, plan.rounding, threads))


def correlate_separable(x, passes, cval, out, dtype, threads):
    """The separable filters with an integer result: `passes` are separable.py's, (axis,
    correlation kernel, offset, (mode code, zeros)).  One or two axes run in one pass
    each (exact sums, one rounding); more are refused."""
    used = any(code == CONSTANT and not zero for _, _, _, (code, zero) in passes)
    constant = check_constant(check_cval(cval, _REAL), x.dtype, used)
    threads = check_threads(threads)
    passes = [(a, real_kernel(k, "kernels"), off, m) for a, k, off, m in passes]
    result = prepare_out(out, x.shape, dtype)
    if len(passes) > 2:
        raise ValueError("integer results filter along at most two axes in one call; "
                         f"got {len(passes)} axes")
    if x.size:
        _separable(x, passes, constant, result, dtype, threads)
    return result if out is None else out  # the caller's own object (a subclass stays one)


def _separable(x, passes, constant, out, dtype, threads):
    consts = [0 if zero else constant for _, _, _, (_, zero) in passes]
    if len(passes) == 1:
        axis, k, offset, (code, _) = passes[0]
        return _correlate1d(x, k, axis, offset, code, consts[0], out, dtype, threads)
    (a0, k0, off0, (m0, _)), (a1, k1, off1, (m1, _)) = passes
    plan = _fixed.plan_separable(k0, k1, x.dtype, dtype, consts[1] if m1 == CONSTANT else None)
    first = (a0, plan.taps[0], off0, m0, consts[0])
    second = (a1, plan.taps[1], off1, m1, plan.constant)
    # Exact sums commute: the first pass runs along the smaller stride, unless a nonzero
    # constant makes the order matter (the plan, and so the result, follows `axes`).
    if all(code != CONSTANT or c == 0 for (_, _, _, (code, _)), c in zip(passes, consts)) \
            and abs(x.strides[a1]) < abs(x.strides[a0]):
        first, second = second, first
    return _run(x, out, lambda a, o: _core.correlate_separable_int(a, o, first, second,
                                                                   plan.rounding, threads))


def filter2d(x, k, size, code, fillvalue, dtype, threads, convolve):
    """correlate2d/convolve2d with an integer result over the last two axes of x (conv2d.py
    has checked x, k, the size mode and the boundary)."""
    k = real_kernel(k, ndim=2)
    fill = check_constant(check_fillvalue(fillvalue, _REAL.dtype), x.dtype,
                          code == CONSTANT and size != "valid", "fillvalue")
    threads = check_threads(threads)
    (h, w), (kh, kw) = x.shape[-2:], k.shape
    check_valid(size, (h, w), (kh, kw))
    if convolve:
        k = k[::-1, ::-1]
    (r0, n_r), (c0, n_c) = window(size, h, kh, not convolve), window(size, w, kw, not convolve)
    if size == "valid":  # never reads the boundary
        code, fill = CONSTANT, 0
    out = np.empty(x.shape[:-2] + (n_r, n_c), dtype)
    if out.size == 0:
        return out
    plan = _fixed.plan_single(k, x.dtype, dtype)
    if h == 0 or w == 0:  # every output reads only the boundary
        if code != CONSTANT:
            raise ValueError("boundary must be 'fill' when x has no rows or columns")
        _, F, _, _, lo, hi = plan.rounding
        out[...] = min(max(_fixed.round_sum(fill * int(plan.taps[0].sum()), F), lo), hi)
        return out
    nd, (off_r, off_c), q = x.ndim, (kh - 1 - r0, kw - 1 - c0), plan.taps[0]
    factors = _integer_factors(q)
    if factors is None:
        _core.correlate2d_int(x, out, nd - 2, nd - 1, np.ascontiguousarray(q), off_r, off_c,
                              code, fill, plan.rounding, threads)
    else:  # the same sums, as a fused separable pass: rows beyond the edges are all fill
        qr, qc = factors
        first = (nd - 1, qc, off_c, code, fill)
        second = (nd - 2, qr, off_r, code, fill * int(qc.sum()))
        _core.correlate_separable_int(x, out, first, second, plan.rounding, threads)
    return out


def _integer_factors(q):
    """(qr, qc) with q == outer(qr, qc) exactly in integers, or None (q of rank > 1, or a
    row or column only)."""
    if q.shape[0] < 2 or q.shape[1] < 2 or not q.any():
        return None
    i, j = np.unravel_index(np.abs(q).argmax(), q.shape)
    a, b, c = q[:, j], q[i, :], int(q[i, j])
    if not np.array_equal(q * c, np.outer(a, b)):  # |q| < 2^31: products fit int64
        return None
    g = int(np.gcd.reduce(np.abs(b)))
    return a * g // c, b // g
