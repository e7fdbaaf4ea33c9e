"""Separable filtering along several axes in one fused pass (scipy.ndimage convention,
docs/contract.md §3).

One arrow down: correlate_separable -> _core.correlate_separable -> csrc/separable.c
ax_correlate_separable -> separable.inc (the fused pass) -> the row and col kernels of
line_kernels.inc; extra axes and complex values through filters.run_correlate1d.
"""
import numbers

import numpy as np

from . import _core, _integer
from ._checks import (as_input, as_kernel, check_axis, check_cval, check_origin, computable,
                      prepare_out, result_dtype, writable_while_reading)
from ._config import check_threads
from ._docs import filled
from ._modes import CONSTANT, mode_code
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
        passes = [(a, k, off, code, 0 if zero else cval) for a, k, off, (code, zero) in passes]
        fusable = not complex_kernel and x.dtype.kind != "c" and len(passes) > 1
        if fusable and writable_while_reading(result, x, in_place=False):
            _fused(x, passes, result, threads)
        else:  # complex, one axis, or out overlaps x (in place, say): line-sized scratch
            _one_at_a_time(x, passes, result, threads)
    return result if out is None else out


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
    if isinstance(kernels, (list, tuple)) or (isinstance(kernels, np.ndarray) and kernels.ndim == 2):
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
    """The first two passes fused (reordered by stride when the order does not matter),
    then any further passes in place.  A second kernel longer than its axis would have the
    fused pass filter K - 1 halo rows of boundary copies (K^2 work): one axis at a time."""
    if _order_free(passes):
        passes = sorted(passes, key=lambda p: abs(x.strides[p[0]]))
    if passes[1][1].size > x.shape[passes[1][0]]:
        _one_at_a_time(x, passes, out, threads)
        return
    _core.correlate_separable(x, out, passes[0], passes[1], False, threads)
    for axis, k, offset, mode, cval in passes[2:]:
        run_correlate1d(out, k, axis, offset, mode, cval, out, threads)


def _order_free(passes):
    """Filters along different axes commute unless one pads with a nonzero constant."""
    return all(mode != CONSTANT or cval == 0 for _, _, _, mode, cval in passes)
