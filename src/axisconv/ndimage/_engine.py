"""The compute paths behind axisconv.ndimage: scipy.ndimage's arithmetic on axisconv's C core.

Every filter is one of two kinds of work, done by the C core on float32 or float64 data
(complex data and weights as sums of real parts, as scipy computes them):

* ``passes``: 1-D kernels along axes in turn (gaussian, uniform, sobel, prewitt): one pass
  directly, two or more with the first two fused (``_core.correlate_separable``) and any
  others in place;
* ``weighted``: an N-D kernel (correlate, convolve, correlate1d): its non-singleton axes
  decide the path -- none is a product, one a 1-D pass, two a plane (``correlate_plane``),
  more a sum of planes over boundary-extended slices (``_correlate_volume``).

The result lands in the caller's output by scipy's rules (``_support.store``).  scipy keeps
the intermediates of several passes in the output's dtype, so an integer output is stored
(truncated) after every pass here too.  float32 data into a float32 output is computed in
float32 (scipy: float64, then rounded), unless the constant padded with is beyond float32's
range; everything else in float64.
"""
import contextlib
import contextvars
import math

import numpy as np

from .. import _core, conv2d
from .._checks import apart, computable
from .._complex import via_real
from .._config import check_threads
from .._modes import CONSTANT, extend_index
from ..filters import run_correlate1d
from ._support import check_dtypes, store

_SINGLE = {("f", 4), ("c", 8)}
_EPS = np.finfo(np.float64).eps
_FLOAT32_MAX = float(np.finfo(np.float32).max)


# scipy's signatures have no threads=: the filters use axisconv's default thread count, or
# the number set here for the calls of the current thread (axisconv.dask: one per task).
_THREADS = contextvars.ContextVar("axisconv_ndimage_threads", default=None)


@contextlib.contextmanager
def threads(n):
    """Run the filters called in this context, in this thread only, on `n` threads (None:
    axisconv's default)."""
    token = _THREADS.set(None if n is None else check_threads(n))
    try:
        yield
    finally:
        _THREADS.reset(token)


def _quiet():
    """scipy's C code warns of no inf - inf or overflow: neither do the NumPy steps here."""
    return np.errstate(invalid="ignore", over="ignore", divide="ignore")


def _precision(data, output, *constants):
    """float32 when the data and the output are both single precision and float32 holds the
    `constants` (those the passes pad with, or the sums they make of them: scipy pads with
    float64's), else float64."""
    parts = [v for c in map(complex, constants) for v in (c.real, c.imag)]
    single = ((data.dtype.kind, data.dtype.itemsize) in _SINGLE
              and (output.dtype.kind, output.dtype.itemsize) in _SINGLE
              and all(not math.isfinite(v) or abs(v) <= _FLOAT32_MAX for v in parts))
    return np.dtype(np.float32 if single else np.float64)


def _as(a, real):
    """`a` as a native, aligned array of `real` precision (complex stays complex).  A bool
    array is read as its bytes, as scipy's C code reads it."""
    dtype = np.result_type(real, np.complex64) if a.dtype.kind == "c" else real
    if a.dtype.kind == "b":
        a = a.view(np.uint8)
    return a if a.dtype == dtype and a.flags.aligned else a.astype(dtype)


def _target(output, data, real, fused):
    """Where the C core writes: `output` itself when it has the working dtype (and, for
    kernels that read neighbours while writing, does not overlap the data), else a new
    array that is stored into `output` afterwards."""
    dtype = np.result_type(real, np.complex64) if output.dtype.kind == "c" else real
    if (output.dtype == dtype and computable(output)
            and not (fused and _core.overlap(data, output))):
        return output
    return np.empty(output.shape, dtype)


def _via_real(apply, x, w, cval, out):
    """out = apply(x, w, cval) through real calls when x, w or out is complex (the one
    composition, _complex.via_real); w may be None (the kernels are in apply) or a number."""
    w_complex = isinstance(w, np.ndarray) and w.dtype.kind == "c"

    def part(xpart, kpart, into):
        into = np.empty(out.shape, out.real.dtype) if into is None else into
        wp = w if w is None or not w_complex else np.array(kpart(w))  # a contiguous copy
        apply(xpart(x), wp, xpart(cval), into)
        return into

    via_real(part, out, x.dtype.kind == "c", w_complex)


def fold_like_scipy(k):
    """scipy's correlate1d sums an odd kernel whose taps mirror within DBL_EPSILON (an
    absolute test) as exactly symmetric, or antisymmetric, reading only its left half: so
    is the kernel here (real and imaginary parts on their own, as scipy filters them)."""
    if k.dtype.kind == "c":
        return fold_like_scipy(k.real) + 1j * fold_like_scipy(k.imag)
    half = k.size // 2
    if k.size % 2 == 0 or half == 0:
        return k
    taps = k.tolist()
    left, right = taps[:half], taps[:half:-1]
    if left == right:
        return k  # exactly symmetric already
    for sign in (1, -1):  # symmetric first: tiny antisymmetric taps are "symmetric" too
        if not any(abs(r - sign * t) > _EPS for t, r in zip(left, right)):  # NaN passes
            return np.array(left + taps[half:half + 1] + [sign * t for t in reversed(left)])
    return k


# --- passes of 1-D kernels -------------------------------------------------------------

def passes(input, output, steps, cval):
    """Apply 1-D real kernels along axes in turn, as scipy chains correlate1d.

    steps: [(axis, kernel, offset, mode code, divisor)]; each pass is the correlation with
    `kernel` (offset = K // 2 + origin) divided by `divisor` (uniform filters sum with a
    kernel of ones and divide once, so integer data gives exact means).  cval: float, or
    complex for complex data.
    """
    check_dtypes(input, output, input.dtype.kind == "c")
    if input.size == 0:
        return output
    with _quiet():
        if output.dtype.kind in "biu":  # scipy stores every pass in the output's dtype
            source = input
            for step in steps:
                _passes_into(source, output, [step], cval)
                source = output
        else:
            _passes_into(input, output, steps, cval)
    return output


def _passes_into(source, output, steps, cval):
    # The constant scaled by every divisor: as large as a sum of padding in the last pass
    # (a pass pads with cval times the divisors before it, and sums up to its own).
    constant = cval * math.prod(step[4] for step in steps)
    real = _precision(source, output, *([constant] if any(s[3] == CONSTANT for s in steps)
                                        else []))
    x = _as(source, real)
    # (complex parts are filtered one after the other: the first must not overwrite the other)
    out = _target(output, x, real, fused=output.dtype.kind == "c")
    _via_real(lambda xp, _, c, op: _real_passes(xp, op, steps, c), x, None, cval, out)
    if out is output:
        return
    if output.dtype.kind in "biu":  # (an integer output comes here one pass at a time)
        axis, k, offset, mode, divisor = steps[0]
        _snap(source, x, np.asarray(k, np.float64), mode, cval, out, lambda xa, ka, c, m: (
            _real_passes(xa, m, [(axis, ka, offset, mode, divisor)], c)))
    store(out, output)


def _real_passes(x, out, steps, cval):
    """The passes on real arrays.  Divisors are applied once at the end, so the constant of
    a later pass is scaled by the divisors of the earlier ones."""
    threads = check_threads(_THREADS.get())
    scale, planned = 1, []
    for axis, k, offset, mode, divisor in steps:
        k = fold_like_scipy(np.asarray(k, np.float64))
        planned.append((axis, np.require(k, None, ["C", "A"]), offset, mode, cval * scale))
        scale *= divisor
    if len(planned) > 1 and computable(out) and not _core.overlap(x, out):
        if all(p[3] != CONSTANT or p[4] == 0 for p in planned):  # the order does not matter
            planned.sort(key=lambda p: abs(x.strides[p[0]]))     # smallest stride first
        _core.correlate_separable(x, out, planned[0], planned[1], False, threads)
        rest = planned[2:]
    else:
        run_correlate1d(x, planned[0][1], planned[0][0], planned[0][2], planned[0][3],
                        planned[0][4], out, threads)
        rest = planned[1:]
    for axis, k, offset, mode, c in rest:
        run_correlate1d(out, k, axis, offset, mode, c, out, threads)
    if scale != 1:
        np.divide(out, scale, out=out)


# --- N-D kernels -----------------------------------------------------------------------

def weighted(input, output, weights, offsets, mode, cval, skip_zeros=False):
    """Correlate with N-D `weights` (input.ndim axes, real or complex; offsets[a] =
    K_a // 2 + origin_a), one mode and cval.  `skip_zeros`: as scipy's N-D correlate,
    which leaves zero taps out of the sum (an inf or NaN under one does not count)."""
    check_dtypes(input, output, input.dtype.kind == "c" or weights.dtype.kind == "c")
    if input.size == 0:
        return output
    if weights.size == 0:  # scipy accepts weights with an empty axis: nothing is summed
        store(np.zeros(output.shape), output)
        return output
    real = _precision(input, output, *([cval] if mode == CONSTANT else []))
    x = _as(input, real)
    out = _target(output, x, real, fused=True)
    axes = [a for a, n in enumerate(weights.shape) if n > 1]
    w = apart(weights.reshape([weights.shape[a] for a in axes]), out)  # (complex: read twice)
    offs = [offsets[a] for a in axes]
    threads = check_threads(_THREADS.get())

    def correlate(xp, wp, c, op):
        if not axes:
            _scale(xp, float(wp), op, skip_zeros)
        elif len(axes) == 1:
            run_correlate1d(xp, wp, axes[0], offs[0], mode, c, op, threads)
        elif len(axes) == 2:
            correlate_plane(xp, wp, axes, offs, mode, c, op, threads)
        else:
            _correlate_volume(xp, wp, axes, offs, mode, c, op, threads)

    def apply(xp, wp, c, op):
        if skip_zeros and not wp.all() and not (np.isfinite(c) and np.isfinite(xp).all()):
            _without_zero_taps(correlate, xp, wp, c, op)
        else:
            correlate(xp, wp, c, op)

    with _quiet():
        _via_real(apply, x, w, cval, out)
        if out is not output:
            if output.dtype.kind in "biu":
                _snap(input, x, w, mode, cval, out, apply)
            store(out, output)
    return output


def _without_zero_taps(correlate, x, w, cval, out):
    """What scipy's sum over the non-zero taps gives where x_ext holds inf or NaN (0 * inf
    would make NaN here): the sum over the finite values, then +inf, -inf or NaN by the
    signs of the infinite terms, from correlations of indicators with the non-zero taps."""
    nan, up, down = np.isnan(x), x == np.inf, x == -np.inf
    values = np.where(nan | up | down, 0, x)
    correlate(values, w, cval if np.isfinite(cval) else 0.0, out)
    count = np.empty(out.shape, out.dtype)

    def meets(hit, pad, taps):  # where a tap of `taps` meets a True of hit (pad beyond x)
        if not (pad or hit.any()):
            return False
        np.copyto(values, hit)  # (the finite values are no longer needed)
        correlate(values, taps.astype(np.float64), float(pad), count)
        return count > 0

    up, down, nan = (meets(up, cval == np.inf, w > 0) | meets(down, cval == -np.inf, w < 0),
                     meets(down, cval == -np.inf, w > 0) | meets(up, cval == np.inf, w < 0),
                     meets(nan, bool(np.isnan(cval)), w != 0))
    for mask, value in ((up, np.inf), (down, -np.inf), (nan | (up & down), np.nan)):
        if mask is not False:
            np.copyto(out, value, where=mask)


def _snap(source, x, kernel, mode, cval, result, correlate):
    """Before an integer output truncates `result`: values within their rounding error of
    an integer, 4 (K + 1) eps (|kernel| * |x_ext|), become that integer.  scipy sums in
    another order, so its value may land on either side of the integer, and truncation
    would make the difference 1; this way a flat region stays flat.  Integer taps on
    integer data (and an integer constant) sum exactly: nothing to do."""
    taps = kernel[kernel != 0]
    if (source.dtype.kind in "biu" and np.array_equal(taps, np.rint(taps))
            and (mode != CONSTANT or np.rint(cval) == cval)):
        return
    error = 4 * (taps.size + 1) * _EPS
    if ((taps > 0).all() and (mode != CONSTANT or cval >= 0)
            and (source.dtype.kind in "bu" or x.min() >= 0) and error * result.max() < 0.5):
        # Smoothing non-negative data: |kernel| * |x_ext| is the result itself, so scaling
        # by 1 + error lifts exactly the values that lie that close below an integer (and,
        # the lift being below 1/2, no others).
        np.multiply(result, 1 + error, out=result)
        return
    magnitude = np.empty(x.shape, x.dtype)
    correlate(np.abs(x), np.abs(kernel), abs(cval), magnitude)
    nearest = np.rint(result)
    close = np.abs(result - nearest) <= np.multiply(magnitude, error, out=magnitude)
    np.copyto(result, nearest, where=close)


def _scale(x, w, out, skip_zeros):
    """A kernel of one tap: a product (correlate1d's x * 0 keeps NaN, inf and signs), or
    nothing when N-D correlate skips a zero tap."""
    if w == 0 and skip_zeros:
        out[...] = 0
    else:
        np.multiply(x, w, out=out)


def correlate_plane(x, kernel, axes, offsets, mode, cval, out, threads):
    """Correlate real `x` with a real 2-D `kernel` over `axes` (r, c), offsets K // 2 +
    origin per axis, one mode code and cval, into `out` (x's shape and dtype, not
    overlapping x): conv2d's one entry point of every 2-D kernel, which splits it into
    separable passes where that is exact (docs/contract.md §4)."""
    conv2d.correlate_plane(x, np.require(kernel, np.float64, ["C", "A"]), axes, offsets, mode,
                           cval, out, threads)


def _correlate_volume(x, w, axes, offsets, mode, cval, out, threads):
    """A kernel over three or more axes: the sum over its leading indices j of plane
    correlations of x shifted by j - offset along the leading axes (boundary-extended by
    `mode`), with the kernel's plane w[j].  Planes of zeros are skipped, as scipy skips zero
    taps."""
    lead, plane = axes[:-2], axes[-2:]
    part, first = None, True
    for j in np.ndindex(*w.shape[:-2]):
        if not w[j].any():
            continue
        shifted = x
        for axis, t, offset in zip(lead, j, offsets[:-2]):
            shifted = _shift(shifted, axis, t - offset, mode, cval)
        if first:
            correlate_plane(shifted, w[j], plane, offsets[-2:], mode, cval, out, threads)
            first = False
            continue
        part = np.empty(out.shape, out.dtype) if part is None else part
        correlate_plane(shifted, w[j], plane, offsets[-2:], mode, cval, part, threads)
        out += part
    if first:
        out[...] = 0


def _shift(x, axis, by, mode, cval):
    """y[..., i, ...] = x_ext[..., i + by, ...] along `axis`, x extended by `mode`."""
    n = x.shape[axis]
    index = extend_index(np.arange(n) + by, n, mode)
    y = np.take(x, np.maximum(index, 0), axis=axis)
    if mode == CONSTANT:
        y[(slice(None),) * axis + (index < 0,)] = cval
    return y
