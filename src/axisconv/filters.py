"""1-D filtering along an axis, in the scipy.ndimage convention (docs/contract.md §2).

One arrow down: correlate1d -> _core.correlate1d -> csrc/filter1d.c ax_correlate1d ->
filter1d.inc (row path, column path) -> the row and col kernels of line_kernels.inc.
Also compiled by Cython (CMakeLists.txt): it is on the call path of small, frequent calls.
"""
import numpy as np

from . import _core, _integer
from ._checks import (apart, as_input, as_kernel, check_axis, check_cval, check_origin,
                      direct_target, prepare_out, result_dtype)
from ._complex import via_real
from ._config import MAX_THREADS, check_threads
from ._core import correlate1d as c_correlate1d, plain_arrays
from ._docs import filled
from ._modes import CANONICAL, mode_code

__all__ = ["correlate1d", "convolve1d"]


@filled
def correlate1d(x, kernel, axis=-1, *, mode="reflect", cval=0.0, origin=0, out=None,
                dtype=None, threads=None):
    """Correlate along one axis of an N-D array, as scipy.ndimage.correlate1d.

    ``out[..., i, ...] = sum_t kernel[t] * x_ext[..., i + t - K // 2 - origin, ...]``

    Parameters
    ----------
    x : array_like
        N-D input (N >= 1), any strides.  float32 is computed in float32, float64 in float64;
        bool and integers give float64; complex x or kernel gives a complex result.
    kernel : array_like
        1-D, non-empty.  Cast to the result's dtype (float32 taps keep their float64 sum).
        A complex kernel is conjugated, as in scipy.ndimage.
    {LINE}

    Returns
    -------
    out : ndarray

    Notes
    -----
    Each output is one sum in one order (docs/contract.md, "How sums are formed"): the same
    bits for a line along any axis and for any thread count.

    {INTEGER}

    Examples
    --------
    >>> import numpy as np, axisconv
    >>> img = np.arange(12, dtype=np.float32).reshape(3, 4)
    >>> axisconv.correlate1d(img, [1, 2, 1], axis=-1)   # along the rows
    array([[ 1.,  4.,  8., 11.],
           [17., 20., 24., 27.],
           [33., 36., 40., 43.]], dtype=float32)
    """
    return _filter1d(x, kernel, axis, mode, cval, origin, out, threads, convolve=False,
                     dtype=dtype)


@filled
def convolve1d(x, kernel, axis=-1, *, mode="reflect", cval=0.0, origin=0, out=None,
               dtype=None, threads=None):
    """Convolve along one axis of an N-D array, as scipy.ndimage.convolve1d.

    ``out[..., i, ...] = sum_t kernel[K - 1 - t] * x_ext[..., i + t - K // 2 - origin, ...]``

    i.e. correlation with the reversed kernel (origin mirrored as scipy does).

    Parameters
    ----------
    x : array_like
        N-D input (N >= 1), any strides.  float32 is computed in float32, float64 in float64;
        bool and integers give float64; complex x or kernel gives a complex result.
    kernel : array_like
        1-D, non-empty.  Cast to the result's dtype (float32 taps keep their float64 sum).
    {LINE}

    Returns
    -------
    out : ndarray

    Notes
    -----
    {INTEGER}

    Examples
    --------
    >>> import numpy as np, axisconv
    >>> img = np.arange(12, dtype=np.float32).reshape(3, 4)
    >>> axisconv.convolve1d(img, [1, 2, 1], axis=-1)   # along the rows
    array([[ 1.,  4.,  8., 11.],
           [17., 20., 24., 27.],
           [33., 36., 40., 43.]], dtype=float32)
    """
    return _filter1d(x, kernel, axis, mode, cval, origin, out, threads, convolve=True,
                     dtype=dtype)


def _filter1d(x, kernel, axis, mode, cval, origin, out, threads, convolve, dtype=None):
    # The common case first, its checks written inline (each a fast path of the check
    # function that would otherwise run): on a small array every call between the checking
    # functions costs about as much as the filtering.
    if (dtype is None and type(axis) is int and type(origin) is int and type(mode) is str and mode in CANONICAL
            and type(cval) is float
            and (threads is None or (type(threads) is int and 0 < threads <= MAX_THREADS))
            and plain_arrays(x, kernel, out)):
        ndim, K = x.ndim, kernel.shape[0]
        if -ndim <= axis < ndim and -(K // 2) <= origin <= (K - 1) // 2:
            if convolve:
                kernel, origin = kernel[::-1].copy(), -origin - (1 - K % 2)
            result = np.empty(x.shape, x.dtype) if out is None else out
            c_correlate1d(x, result, axis % ndim, kernel, K // 2 + origin, CANONICAL[mode], cval,
                          0 if threads is None else threads)
            return result
    if out is not None or dtype is not None:  # an integer result?
        dtype = _integer.result_type(x, out, dtype)
        if dtype is not None:
            return _integer.filter1d(x, kernel, axis, mode, cval, origin, out, dtype, threads,
                                     convolve)
    x = as_input(x)
    if x.ndim < 1:
        raise ValueError("x must have at least one dimension")
    k = as_kernel(kernel, float32=True)  # the bridge widens float32 taps itself
    axis = check_axis(axis, x.ndim)
    origin = check_origin(origin, k.size)
    code, zeros = mode_code(mode)
    cval = check_cval(cval, x)  # checked even where zeros ignores it
    cval = 0.0 if zeros else cval
    threads = check_threads(threads)
    k, offset = oriented(k, origin, convolve)
    dtype = result_dtype(x, k.dtype.kind == "c")
    if out is None:  # fresh: nothing to check, nothing overlaps
        result = np.empty(x.shape, dtype)
    else:
        result = prepare_out(out, x.shape, dtype)
    if x.size:
        run_correlate1d(x, k, axis, offset, code, cval, result, threads)
    return result if out is None else out


def oriented(k, origin, convolve):
    """(kernel as correlate1d uses it, offset K // 2 + origin): a convolution reverses the
    kernel and mirrors the origin, a correlation conjugates a complex kernel."""
    if convolve:
        k, origin = np.ascontiguousarray(k[::-1]), -origin - (1 - k.size % 2)
    elif k.dtype.kind == "c":
        k = k.conj()
    return k, k.size // 2 + origin


def run_correlate1d(x, k, axis, offset, mode, cval, out, threads, fold=True):
    """Correlate native, aligned `x` into `out` by the C core, through a temporary only when
    C can't write `out` directly (it overlaps x other than exactly, or is unaligned or
    byte-swapped); `fold=False` sums a real symmetric kernel unfolded."""
    target, k = direct_target(out, x), np.require(k, None, ["C", "A"])  # C reads k's pointer
    if target.dtype.kind == "c":
        _complex_correlate1d(x, k, axis, offset, mode, cval, target, threads)
    else:
        _core.correlate1d(x, target, axis, k, offset, mode, cval, threads, fold)
    if target is not out:
        out[...] = target
    return out


def _complex_correlate1d(x, k, axis, offset, mode, cval, out, threads):
    k = apart(k, out)  # the second part reads it after the first wrote `out`
    def part(xpart, kpart, into):
        into = np.empty(out.shape, out.real.dtype) if into is None else into
        _core.correlate1d(xpart(x), into, axis, np.ascontiguousarray(kpart(k)), offset, mode,
                          xpart(cval), threads)
        return into

    via_real(part, out, x.dtype.kind == "c", k.dtype.kind == "c")
