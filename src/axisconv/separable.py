"""Separable filtering along several axes in one fused pass (scipy.ndimage convention, SPEC §3)."""
import numbers

import numpy as np

from . import _core, _integer
from ._checks import (as_input, as_kernel, check_axis, check_cval, check_origin, computable,
                      prepare_out, result_dtype)
from ._config import check_threads
from ._docs import fill
from ._modes import CONSTANT, mode_code
from .filters import run_correlate1d

__all__ = ["correlate_separable", "convolve_separable"]


def correlate_separable(x, kernels, axes=None, *, mode="reflect", cval=0.0, origin=0, out=None,
                        dtype=None, threads=None):
    return _separable(x, kernels, axes, mode, cval, origin, out, threads, convolve=False,
                      dtype=dtype)


def convolve_separable(x, kernels, axes=None, *, mode="reflect", cval=0.0, origin=0, out=None,
                       dtype=None, threads=None):
    return _separable(x, kernels, axes, mode, cval, origin, out, threads, convolve=True,
                      dtype=dtype)


_DOC = """{What} along several axes, one 1-D kernel per axis, in one fused pass.

    The result equals ``{name}1d`` applied along each axis of `axes` in turn, but the input
    is read once and the output written once: per thread, a band of rows filtered along the
    first axis goes into a small buffer, and the second axis is filtered across that buffer.

    Parameters
    ----------
    x : array_like
        N-D input; float32 stays float32, float64 stays float64, bool/int give float64.
    kernels : array_like or sequence of array_like
        One 1-D kernel used along every axis, or one kernel per axis of `axes`.{conj}
    axes : sequence of int, optional
        The axes to filter along, in order.  Default: the last two axes (the rows and columns
        of a 2-D map; leading axes are batches).
    {MODES}
        May also be a sequence, one mode per axis.
    cval : scalar, optional
        The constant k of mode 'constant'.
    origin : int or sequence of int, optional
        Shifts each kernel, as in ``{name}1d``.
    out : ndarray, optional
        Where to write the result (x's shape, the result's dtype); may be x itself, which
        is then filtered in place one axis at a time with line-sized scratch (integer
        results: through a temporary).
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

    {INTEGER}

    Examples
    --------
    >>> import numpy as np, axisconv
    >>> img = np.zeros((5, 5), np.float32); img[2, 2] = 16
    >>> axisconv.{name}_separable(img, [0.25, 0.5, 0.25])
    array([[0., 0., 0., 0., 0.],
           [0., 1., 2., 1., 0.],
           [0., 2., 4., 2., 0.],
           [0., 1., 2., 1., 0.],
           [0., 0., 0., 0., 0.]], dtype=float32)
"""
_SEPARABLE = ("\n      Separable: each kernel is quantised (F1, F2 bits); the pass along the"
              " second axis\n      sums the exact first-pass sums (rows beyond its edges hold"
              " cval 2^F1): F = F1 + F2,\n      one rounding.  In the bound, k and q are"
              " outer(k2, k1) and outer(q2, q1) (with\n      mode 'constant' along the second"
              " axis, its rows of cval count as such).\n      At most two axes.")
correlate_separable.__doc__ = fill(_DOC.format(
    What="Correlate", name="correlate", MODES="{MODES}", THREADS="{THREADS}", DTYPE="{DTYPE}",
    INTEGER="{INTEGER}", conj="  Complex kernels are conjugated, as\n        in scipy.ndimage."),
    SEPARABLE=_SEPARABLE, PER_AXIS=" per axis")
convolve_separable.__doc__ = fill(_DOC.format(What="Convolve", name="convolve", MODES="{MODES}",
                                              THREADS="{THREADS}", DTYPE="{DTYPE}",
                                              INTEGER="{INTEGER}", conj=""),
                                  SEPARABLE=_SEPARABLE, PER_AXIS=" per axis")


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
    fresh = out is None
    out = prepare_out(out, x.shape, result_dtype(x, complex_kernel))
    if x.size == 0:
        return out
    passes = [(a, k, off, code, 0 if zero else cval) for a, k, off, (code, zero) in passes]
    if complex_kernel or x.dtype.kind == "c" or len(passes) == 1 or not _fusable(x, out, fresh):
        _one_at_a_time(x, passes, out, threads)
    else:
        _fused(x, passes, out, threads)
    return out


def _axes(axes, ndim):
    if axes is None:
        return list(range(max(ndim - 2, 0), ndim))
    if isinstance(axes, numbers.Integral) or not hasattr(axes, "__iter__"):
        axes = [axes]
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
    if convolve:
        k, origin = k[::-1], -origin - (1 - k.size % 2)
    elif k.dtype.kind == "c":
        k = k.conj()
    return axis, k, k.size // 2 + origin, mode_code(mode)


def _fusable(x, out, fresh):
    """The fused pass writes `out` while reading `x`: they must not overlap."""
    return fresh or (computable(out) and not np.may_share_memory(x, out))


def _one_at_a_time(x, passes, out, threads):
    """Each pass as a 1-D filter, the first from x into out, the rest in place."""
    source = x
    for axis, k, offset, mode, cval in passes:
        run_correlate1d(source, k, axis, offset, mode, cval, out, threads)
        source = out


def _fused(x, passes, out, threads):
    """The first two passes fused (reordered by stride when the order does not matter),
    then any further passes in place."""
    if _order_free(passes):
        passes = sorted(passes, key=lambda p: abs(x.strides[p[0]]))
    (a0, k0, off0, mode0, cval0), (a1, k1, off1, mode1, cval1) = passes[:2]
    first = (a0, np.ascontiguousarray(k0), off0, mode0, cval0)
    second = (a1, np.ascontiguousarray(k1), off1, mode1, cval1)
    _core.correlate_separable(x, out, first, second, False, threads)
    for axis, k, offset, mode, cval in passes[2:]:
        run_correlate1d(out, k, axis, offset, mode, cval, out, threads)


def _order_free(passes):
    """Filters along different axes commute unless one pads with a nonzero constant."""
    return all(mode != CONSTANT or cval == 0 for _, _, _, mode, cval in passes)
