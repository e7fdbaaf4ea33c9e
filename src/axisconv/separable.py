"""Separable filtering along several axes in one fused pass (scipy.ndimage convention,
docs/contract.md §3).

One arrow down: correlate_separable -> _core.correlate_separable -> csrc/separable.c
ax_correlate_separable -> separable.inc (the fused pass) -> the row and col kernels of
line_kernels.inc; extra axes and complex values through filters.run_correlate1d.
Also compiled by Cython (CMakeLists.txt): it is on the call path of small, frequent calls.
"""
import numbers

import numpy as np

from . import _core, _integer
from ._checks import (apart, as_input, as_kernel, check_axis, check_cval, check_origin,
                      computable, prepare_out, result_dtype, writable_while_reading)
from ._config import MAX_THREADS, check_threads
from ._core import overlap, plain_arrays
from ._docs import filled
from ._modes import CANONICAL, CONSTANT, mode_code
from .filters import oriented, run_correlate1d

__all__ = ["correlate_separable", "convolve_separable"]


@filled
def correlate_separable(x, kernels, axes=None, *, mode="reflect", cval=0.0, origin=0, out=None,
                        dtype=None, threads=None):
    """Correlate along several axes, one 1-D kernel per axis, in one fused pass.

    The result equals ``correlate1d`` applied along each axis of `axes` in turn (bit for bit
    when the passes run in that order: see Notes), but the input is read once and the output
    written once: per thread, a band of rows filtered along the first axis goes into a small
    buffer, and the second axis is filtered across that buffer.

    Parameters
    ----------
    x : array_like
        N-D input; float32 stays float32, float64 stays float64, bool/int give float64.
    kernels : array_like or sequence of array_like
        One 1-D kernel used along every axis, or one kernel per axis of `axes`.  Complex
        kernels are conjugated, as in scipy.ndimage.
    axes : sequence of int, optional
        The axes to filter along, in order.  Default: the last two axes (the rows and columns
        of a 2-D map; leading axes are batches).
    {MODES}
        May also be a sequence, one mode per axis.
    cval : scalar, optional
        The constant k of mode 'constant'.
    origin : int or sequence of int, optional
        Shifts each kernel, as in ``correlate1d``.
    out : ndarray, optional
        Where to write the result (x's shape, the result's dtype); may be x itself, which
        is then filtered in place one axis at a time with line-sized scratch.
    {DTYPE}
    {THREADS}

    Returns
    -------
    out : ndarray

    Notes
    -----
    The first pass runs along the axis with the smallest stride.  When the order of the axes
    changes the result -- some axis uses mode 'constant' with a nonzero cval -- the passes run
    in the order of `axes` instead.  Complex data or kernels, and more than two axes, add
    plain 1-D passes.

    {INTEGER_SEPARABLE}

    Examples
    --------
    >>> import numpy as np, axisconv
    >>> img = np.zeros((5, 5), np.float32); img[2, 2] = 16
    >>> axisconv.correlate_separable(img, [0.25, 0.5, 0.25])
    array([[0., 0., 0., 0., 0.],
           [0., 1., 2., 1., 0.],
           [0., 2., 4., 2., 0.],
           [0., 1., 2., 1., 0.],
           [0., 0., 0., 0., 0.]], dtype=float32)
    """
    return _separable(x, kernels, axes, mode, cval, origin, out, threads, convolve=False,
                      dtype=dtype)


@filled
def convolve_separable(x, kernels, axes=None, *, mode="reflect", cval=0.0, origin=0, out=None,
                       dtype=None, threads=None):
    """Convolve along several axes, one 1-D kernel per axis, in one fused pass.

    The result equals ``convolve1d`` applied along each axis of `axes` in turn, computed as
    ``correlate_separable`` computes it (see there).

    Parameters
    ----------
    x : array_like
        N-D input; float32 stays float32, float64 stays float64, bool/int give float64.
    kernels : array_like or sequence of array_like
        One 1-D kernel used along every axis, or one kernel per axis of `axes`.
    axes : sequence of int, optional
        The axes to filter along, in order.  Default: the last two axes.
    {MODES}
        May also be a sequence, one mode per axis.
    cval : scalar, optional
        The constant k of mode 'constant'.
    origin : int or sequence of int, optional
        Shifts each kernel, as in ``convolve1d``.
    out : ndarray, optional
        Where to write the result (x's shape, the result's dtype); may be x itself.
    {DTYPE}
    {THREADS}

    Returns
    -------
    out : ndarray

    Notes
    -----
    {INTEGER_SEPARABLE}

    Examples
    --------
    >>> import numpy as np, axisconv
    >>> img = np.zeros((3, 3)); img[1, 1] = 1
    >>> axisconv.convolve_separable(img, [[1, 2, 3], [0, 1, 0]])
    array([[0., 1., 0.],
           [0., 2., 0.],
           [0., 3., 0.]])
    """
    return _separable(x, kernels, axes, mode, cval, origin, out, threads, convolve=True,
                      dtype=dtype)


def _separable(x, kernels, axes, mode, cval, origin, out, threads, convolve, dtype=None):
    passes = _plain_pair(x, kernels, axes, mode, cval, origin, out, threads, dtype)
    if passes is not None:  # the common case, straight to the fused pass
        result = np.empty(x.shape, x.dtype) if out is None else out
        first, second = _plain_pass(passes[0], convolve), _plain_pass(passes[1], convolve)
        _core.correlate_separable(x, result, first, second, False,
                                  0 if threads is None else threads)
        return result
    integer = _integer.result_type(x, out, dtype)
    x = as_input(x) if integer is None else _integer.as_image(x)
    if x.ndim < 1:
        raise ValueError("x must have at least one dimension")
    axes = _axes(axes, x.ndim)
    kernels = _per_axis_kernels(kernels, len(axes))
    modes = _per_axis(mode, len(axes), "mode")
    origins = _per_axis(origin, len(axes), "origin")
    passes = [_one_pass(a, k, m, o, convolve) for a, k, m, o in zip(axes, kernels, modes, origins)]
    if integer is not None:
        return _integer.correlate_separable(x, passes, cval, out, integer, threads)
    cval = check_cval(cval, x)
    threads = check_threads(threads)
    complex_kernel = any(k.dtype.kind == "c" for _, k, _, _ in passes)
    result = prepare_out(out, x.shape, result_dtype(x, complex_kernel))
    if x.size:
        passes = [(a, apart(k, result), off, code, 0 if zero else cval)
                  for a, k, off, (code, zero) in passes]
        real = not complex_kernel and x.dtype.kind != "c"
        if real and _order_free(passes):  # in every path, so that in place gives the same bits
            passes = sorted(passes, key=lambda p: abs(x.strides[p[0]]))
        if real and len(passes) > 1 and writable_while_reading(result, x, in_place=False):
            _fused(x, passes, result, threads)
        else:  # complex, one axis, or out overlaps x (in place, say): line-sized scratch
            _one_at_a_time(x, passes, result, threads)
    return result if out is None else out


def _plain_pair(x, kernels, axes, mode, cval, origin, out, threads, dtype):
    """The two passes of the common case, ((axis, kernel, origin, mode code, cval), ...) in
    the order they fuse, or None: two real float kernels over two axes of a plain float
    array into a fresh or separate C-contiguous out, one canonical mode, a float cval and
    an int origin.  Each check is a fast path of the one _separable would otherwise run: on
    a small array every call between the checking functions costs about as much as the
    filtering (as filters._filter1d)."""
    if not (dtype is None and type(mode) is str and mode in CANONICAL and type(cval) is float
            and type(origin) is int
            and (threads is None or (type(threads) is int and 0 < threads <= MAX_THREADS))):
        return None
    if type(kernels) is np.ndarray:
        k0 = k1 = kernels
    elif type(kernels) in (list, tuple) and len(kernels) == 2:
        k0, k1 = kernels
    else:
        return None
    if not (plain_arrays(x, k0, out) and (k1 is k0 or plain_arrays(x, k1, None))):
        return None
    pair = _plain_axes(axes, x.ndim)
    if pair is None:
        return None
    K0, K1 = k0.shape[0], k1.shape[0]
    if (not -(K0 // 2) <= origin <= (K0 - 1) // 2 or not -(K1 // 2) <= origin <= (K1 - 1) // 2
            or (out is not None and overlap(x, out) != 0)):
        return None
    code = CANONICAL[mode]
    passes = [(pair[0], k0, origin, code, cval), (pair[1], k1, origin, code, cval)]
    if (code != CONSTANT or cval == 0) and abs(x.strides[pair[1]]) < abs(x.strides[pair[0]]):
        passes.reverse()  # filters along different axes commute: the inner axis first
    if passes[1][1].shape[0] > x.shape[passes[1][0]]:
        return None  # _fused runs this one axis at a time
    return passes


def _plain_axes(axes, ndim):
    """Two distinct axes as non-negative ints (axes None: the last two), or None."""
    if axes is None:
        return (ndim - 2, ndim - 1) if ndim >= 2 else None
    if not (type(axes) in (list, tuple) and len(axes) == 2 and type(axes[0]) is int
            and type(axes[1]) is int and -ndim <= axes[0] < ndim and -ndim <= axes[1] < ndim):
        return None
    a0, a1 = axes[0] % ndim, axes[1] % ndim
    return None if a0 == a1 else (a0, a1)


def _plain_pass(p, convolve):
    """A pass of _plain_pair as the bridge takes it: (axis, kernel oriented for correlation,
    offset, mode, cval)."""
    axis, k, origin, code, cval = p
    K = k.shape[0]
    if convolve:
        k, origin = np.ascontiguousarray(k[::-1]), -origin - (1 - K % 2)
    return axis, k, K // 2 + origin, code, cval


def _axes(axes, ndim):
    if axes is None:
        return list(range(max(ndim - 2, 0), ndim))
    if (isinstance(axes, numbers.Integral) or not hasattr(axes, "__iter__")
            or isinstance(axes, np.ndarray) and axes.ndim == 0):
        axes = [axes]  # one axis; check_axis reports what is wrong with it
    axes = [check_axis(a, ndim, "axes") for a in axes]
    if not axes:
        raise ValueError("axes must name at least one axis")
    if len(set(axes)) != len(axes):
        raise ValueError(f"axes has repeated entries: {axes}")
    return axes


def _is_number(v):
    return isinstance(v, (numbers.Number, np.generic)) and not isinstance(v, (str, bytes))


def _per_axis_kernels(kernels, n):
    """One kernel for every axis, or a sequence of n kernels."""
    if isinstance(kernels, np.ndarray) and kernels.ndim == 1:
        return [kernels] * n
    if isinstance(kernels, (list, tuple)) and kernels and all(_is_number(v) for v in kernels):
        return [kernels] * n
    if isinstance(kernels, (list, tuple)) or (isinstance(kernels, np.ndarray)
                                              and kernels.ndim == 2):
        if len(kernels) != n:
            raise ValueError(f"kernels has {len(kernels)} entries for {n} axes")
        return list(kernels)
    return [kernels] * n  # as_kernel reports what is wrong with it


def _per_axis(value, n, name):
    """One value for every axis, or a sequence (list, tuple, 1-D array) of n values."""
    if isinstance(value, np.ndarray) and value.ndim == 1:
        value = value.tolist()
    if isinstance(value, (list, tuple)):
        if len(value) != n:
            raise ValueError(f"{name} has {len(value)} entries for {n} axes")
        return list(value)
    return [value] * n


def _one_pass(axis, kernel, mode, origin, convolve):
    """(axis, kernel oriented for correlation, offset, (mode code, zeros))."""
    k = as_kernel(kernel, "kernels")
    origin = check_origin(origin, k.size)
    k, offset = oriented(k, origin, convolve)
    return axis, k, offset, mode_code(mode)


def _one_at_a_time(x, passes, out, threads):
    """Each pass as a 1-D filter, the first from x into out, the rest in place (in a
    computable copy when out is unaligned or byte-swapped: C reads what it wrote).  Real
    passes before the first complex kernel stay real, as correlate1d's would: a zero
    imaginary part would meet that kernel's taps (0 * inf is NaN)."""
    target = out if computable(out) else np.empty(out.shape, out.dtype.newbyteorder("="))
    source, real = x, None
    for axis, k, offset, mode, cval in passes:
        into = target
        if target.dtype.kind == "c" and source.dtype.kind != "c" and k.dtype.kind != "c":
            real = into = np.empty(target.shape, target.real.dtype) if real is None else real
        run_correlate1d(source, k, axis, offset, mode, cval, into, threads)
        source = into
    if target is not out:
        out[...] = target


def _fused(x, passes, out, threads):
    """The first two passes fused, then any further passes in place.  A second kernel longer
    than its axis would have the fused pass filter K - 1 halo rows of boundary copies (K^2
    work): one axis at a time."""
    if passes[1][1].size > x.shape[passes[1][0]]:
        _one_at_a_time(x, passes, out, threads)
        return
    _core.correlate_separable(x, out, passes[0], passes[1], False, threads)
    for axis, k, offset, mode, cval in passes[2:]:
        run_correlate1d(out, k, axis, offset, mode, cval, out, threads)


def _order_free(passes):
    """Filters along different axes commute unless one pads with a nonzero constant: real
    passes then run in the order of the strides, the inner axis first (docs/contract.md §3)."""
    return all(mode != CONSTANT or cval == 0 for _, _, _, mode, cval in passes)
