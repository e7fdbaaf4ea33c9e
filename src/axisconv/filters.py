"""1-D filtering along an axis, in the scipy.ndimage convention (SPEC §2)."""
import numpy as np

from . import _core, _integer
from ._checks import (as_input, as_kernel, check_axis, check_cval, check_origin, prepare_out,
                      result_dtype, writable_while_reading)
from ._config import check_threads
from ._docs import fill
from ._modes import mode_code

__all__ = ["correlate1d", "convolve1d"]


def correlate1d(x, kernel, axis=-1, *, mode="reflect", cval=0.0, origin=0, out=None,
                dtype=None, threads=None):
    if out is not None or dtype is not None:  # an integer result?
        dtype = _integer.result_type(x, out, dtype)
        if dtype is not None:
            return _integer.filter1d(x, kernel, axis, mode, cval, origin, out, dtype, threads,
                                     convolve=False)
    return _filter1d(x, kernel, axis, mode, cval, origin, out, threads, convolve=False)


def convolve1d(x, kernel, axis=-1, *, mode="reflect", cval=0.0, origin=0, out=None,
               dtype=None, threads=None):
    if out is not None or dtype is not None:  # an integer result?
        dtype = _integer.result_type(x, out, dtype)
        if dtype is not None:
            return _integer.filter1d(x, kernel, axis, mode, cval, origin, out, dtype, threads,
                                     convolve=True)
    return _filter1d(x, kernel, axis, mode, cval, origin, out, threads, convolve=True)


_DOC = """{what} along one axis of an N-D array, as scipy.ndimage.{name}.

    ``out[..., i, ...] = sum_t {tap} * x_ext[..., i + t - K // 2 - origin, ...]``{conv}

    Parameters
    ----------
    x : array_like
        N-D input (N >= 1), any strides.  float32 is computed in float32, float64 in float64;
        bool and integers give float64; complex x or kernel gives a complex result.
    kernel : array_like
        1-D, non-empty.  Cast to the result's dtype.{conj}
    axis : int, optional
        The axis to filter along: -1 (default) runs along the rows of a 2-D map, -2 along its
        columns.
    {MODES}
    cval : scalar, optional
        The constant k of mode 'constant' (default 0.0).  A complex cval pads the real and
        imaginary parts of a complex x with its real and imaginary parts.
    origin : int, optional
        Shifts the kernel: -(K // 2) <= origin <= (K - 1) // 2.  Default 0 (centred).
    out : ndarray, optional
        Where to write the result: x's shape and the result's dtype.  May be x itself (in
        place, with line-sized scratch only -- except complex data with a complex kernel,
        whose real and imaginary parts need result-sized temporaries) or overlap x.
        Integer results write through a temporary when `out` overlaps x.
    {DTYPE}
    {THREADS}

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
    >>> axisconv.{name}(img, [1, 2, 1], axis=-1)   # along the rows{example_out}
"""

correlate1d.__doc__ = fill(_DOC.format(
    what="Correlate", name="correlate1d", tap="kernel[t]", conv="",
    conj="  A complex kernel is conjugated,\n        as in scipy.ndimage.",
    MODES="{MODES}", THREADS="{THREADS}", DTYPE="{DTYPE}", INTEGER="{INTEGER}",
    example_out="\n    array([[ 1.,  4.,  8., 11.],\n           [17., 20., 24., 27.],"
                "\n           [33., 36., 40., 43.]], dtype=float32)"), SEPARABLE="", PER_AXIS="")
convolve1d.__doc__ = fill(_DOC.format(
    what="Convolve", name="convolve1d", tap="kernel[K - 1 - t]",
    conv="\n\n    i.e. correlation with the reversed kernel (origin mirrored as scipy does).",
    conj="", MODES="{MODES}", THREADS="{THREADS}", DTYPE="{DTYPE}", INTEGER="{INTEGER}",
    example_out="\n    array([[ 1.,  4.,  8., 11.],\n           [17., 20., 24., 27.],"
                "\n           [33., 36., 40., 43.]], dtype=float32)"), SEPARABLE="", PER_AXIS="")


def _filter1d(x, kernel, axis, mode, cval, origin, out, threads, convolve):
    x = as_input(x)
    if x.ndim < 1:
        raise ValueError("x must have at least one dimension")
    k = as_kernel(kernel, float32=True)  # the bridge widens float32 taps itself
    axis = check_axis(axis, x.ndim)
    origin = check_origin(origin, k.size)
    code, zeros = mode_code(mode)
    cval = check_cval(0 if zeros else cval, x)
    threads = check_threads(threads)
    complex_kernel = k.dtype.kind == "c"
    if convolve:
        k, origin = k[::-1], -origin - (1 - k.size % 2)
    elif complex_kernel:
        k = k.conj()
    if out is None:  # fresh: nothing to check, nothing overlaps
        out = np.empty(x.shape, result_dtype(x, complex_kernel))
        if out.dtype.kind != "c" and x.size:
            _core.correlate1d(x, out, axis, np.ascontiguousarray(k), k.size // 2 + origin, code,
                              cval, threads)
            return out
    else:
        out = prepare_out(out, x.shape, result_dtype(x, complex_kernel))
    if x.size:
        run_correlate1d(x, k, axis, k.size // 2 + origin, code, cval, out, threads)
    return out


def run_correlate1d(x, k, axis, offset, mode, cval, out, threads):
    """Correlate native, aligned `x` into `out` by the C core, through a temporary only when
    C can't write `out` directly (it overlaps x other than exactly, or is unaligned or
    byte-swapped)."""
    target = out if writable_while_reading(out, x) else np.empty(out.shape, out.dtype)
    if target.dtype.kind == "c":
        _correlate_complex(x, k, axis, offset, mode, cval, target, threads)
    else:
        _core.correlate1d(x, target, axis, np.ascontiguousarray(k), offset, mode, cval, threads)
    if target is not out:
        out[...] = target
    return out


def _correlate_complex(x, k, axis, offset, mode, cval, out, threads):
    """Complex correlation as real ones (scipy.ndimage does the same)."""
    def real(a, kk, c, o=None):
        o = np.empty(a.shape, out.real.dtype) if o is None else o
        _core.correlate1d(a, o, axis, np.ascontiguousarray(kk), offset, mode, c, threads)
        return o

    cval = complex(cval)
    if k.dtype.kind != "c":                # each part on its own, in place if out is x
        real(x.real, k, cval.real, out.real)
        real(x.imag, k, cval.imag, out.imag)
    elif x.dtype.kind != "c":
        real(x, k.real, cval.real, out.real)
        real(x, k.imag, cval.real, out.imag)
    else:                                  # every part of x is needed by both of out's
        re = real(x.real, k.real, cval.real) - real(x.imag, k.imag, cval.imag)
        im = real(x.real, k.imag, cval.real) + real(x.imag, k.real, cval.imag)
        out.real, out.imag = re, im
