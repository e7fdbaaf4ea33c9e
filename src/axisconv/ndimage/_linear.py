"""scipy.ndimage's kernel filters: correlate1d, convolve1d, correlate, convolve,
uniform_filter1d and uniform_filter, with scipy's signatures, checks and results."""
from collections.abc import Iterable

import numpy as np

from . import _engine
from ._docs import fill
from ._support import (
    as_index,
    axis_index,
    check_axes,
    check_cval,
    check_origin,
    get_output,
    mode_code,
    normalize_sequence,
)

__all__ = [
    "convolve",
    "convolve1d",
    "correlate",
    "correlate1d",
    "uniform_filter",
    "uniform_filter1d",
]

_EPS = np.finfo(np.float64).eps


def correlate1d(input, weights, axis=-1, output=None, mode="reflect", cval=0.0, origin=0):
    return _filter1d(input, weights, axis, output, mode, cval, origin, convolve=False)


def convolve1d(input, weights, axis=-1, output=None, mode="reflect", cval=0.0, origin=0):
    return _filter1d(input, weights, axis, output, mode, cval, origin, convolve=True)


_DOC1D = """{What} along one axis, as scipy.ndimage.{name}.

    ``output[i] = sum_t weights[t] * input_ext[{index}]`` along `axis`, where
    input_ext is the input extended beyond its edges by `mode` and K = len(weights).

    Parameters
    ----------
    {INPUT}
    weights : array_like
        A non-empty 1-D sequence of numbers.{conj}
    {AXIS}
    {OUTPUT}
    {MODE}
    {CVAL}
    {ORIGIN}

    Returns
    -------
    ndarray
        The result, in `output` if an array was given.

    Notes
    -----
    {FAST}

    Complex input or weights are computed as sums of real correlations, as scipy does.

    Examples
    --------
    >>> import numpy as np
    >>> from axisconv import ndimage as ndi
    >>> ndi.{name}([2, 8, 0, 4, 1, 9, 9, 0], weights=[1, 3])
    {example}
"""
correlate1d.__doc__ = fill(_DOC1D.format(
    What="Correlate", name="correlate1d", index="i + t - K // 2 - origin",
    conj="  Complex weights are conjugated, as in scipy.",
    example="array([ 8, 26,  8, 12,  7, 28, 36,  9])", INPUT="{INPUT}", AXIS="{AXIS}",
    OUTPUT="{OUTPUT}", MODE="{MODE}", CVAL="{CVAL}", ORIGIN="{ORIGIN}", FAST="{FAST}"))
convolve1d.__doc__ = fill(_DOC1D.format(
    What="Convolve", name="convolve1d", index="i - t + K // 2 + origin", conj="",
    example="array([14, 24,  4, 13, 12, 36, 27,  0])", INPUT="{INPUT}", AXIS="{AXIS}",
    OUTPUT="{OUTPUT}", MODE="{MODE}", CVAL="{CVAL}", ORIGIN="{ORIGIN}", FAST="{FAST}"))


def _filter1d(input, weights, axis, output, mode, cval, origin, convolve):
    """scipy's correlate1d, its checks in scipy's order; convolve1d flips the weights and
    mirrors the origin (the valid range of origins is the same)."""
    input, weights = np.asarray(input), np.asarray(weights)
    if convolve and weights.ndim == 0:
        raise IndexError("weights must be a 1-D sequence of numbers, got a scalar")
    complex_result = _complex_result(input, weights, output, cval)
    output = get_output(output, input, complex_output=complex_result)
    weights = _as_weights(weights)
    if weights.ndim != 1 or weights.shape[0] < 1:
        raise RuntimeError(f"weights must be a non-empty 1-D sequence, got shape "
                           f"{weights.shape}")
    axis = axis_index(axis, input.ndim)
    size = weights.shape[0]
    origin = check_origin(origin, size)
    mode = mode_code(mode)
    cval = check_cval(cval, input.dtype.kind == "c")
    if convolve:
        weights, origin = weights[::-1], -origin - (1 - size % 2)
    elif weights.dtype.kind == "c":
        weights = weights.conj()
    weights = _engine.fold_like_scipy(weights)
    shape, offsets = [1] * input.ndim, [0] * input.ndim
    shape[axis], offsets[axis] = size, size // 2 + origin
    return _engine.weighted(input, output, weights.reshape(shape), offsets, mode, cval)


def _complex_result(input, weights, output, cval):
    """True for complex input or weights; scipy refuses a complex cval for real input."""
    if input.dtype.kind != "c" and weights.dtype.kind != "c":
        return False
    if input.dtype.kind != "c" and np.iscomplexobj(cval):
        get_output(output, input, complex_output=True)  # scipy checks the output first
        raise ValueError(f"cval={cval!r} is complex but the input is real")
    return True


def _as_weights(weights):
    dtype = np.complex128 if weights.dtype.kind == "c" else np.float64
    try:
        return np.asarray(weights, dtype)
    except (TypeError, ValueError) as error:
        raise type(error)(f"weights must be numbers ({error})") from None


def correlate(input, weights, output=None, mode="reflect", cval=0.0, origin=0, *, axes=None):
    return _correlate_or_convolve(input, weights, output, mode, cval, origin, axes, False)


def convolve(input, weights, output=None, mode="reflect", cval=0.0, origin=0, *, axes=None):
    return _correlate_or_convolve(input, weights, output, mode, cval, origin, axes, True)


_DOCND = """{What} with an N-D kernel, as scipy.ndimage.{name}.

    ``output[i] = sum_t weights[t] * input_ext[{index}]``,

    summed over the indices t of `weights` (per axis: K its length there and origin its
    entry), where input_ext is the input extended beyond its edges by `mode`.

    Parameters
    ----------
    {INPUT}
    weights : array_like
        The kernel: one axis per axis of the input, or per axis of `axes`
        (scipy's rule: in increasing order of the axes).{conj}
    {OUTPUT}
    {MODE}
        One mode for every axis (scipy refuses a sequence here).
    {CVAL}
    origin : int or sequence of int, optional
        Shifts the kernel along each axis, as in ``{name}1d``.
    {AXES}

    Returns
    -------
    ndarray
        The result, in `output` if an array was given.

    Notes
    -----
    {FAST}

    The kernel's axes longer than one choose the path: one runs as a 1-D filter, two as a
    2-D kernel, more as sums of 2-D kernels over shifted slices.  As in scipy, taps with
    ``|w| <= eps`` (NaN included) are dropped and zero taps left out of the sum: an inf or
    NaN in the input reaches only the outputs whose non-zero taps meet it.

    Examples
    --------
    >>> import numpy as np
    >>> from axisconv import ndimage as ndi
    >>> a = np.arange(16).reshape(4, 4)
    >>> ndi.{name}(a, [[0, 1, 0], [1, 1, 1], [0, 1, 0]], mode="constant")
    {example}
"""
correlate.__doc__ = fill(_DOCND.format(
    What="Correlate", name="correlate", index="i + t - K // 2 - origin",
    conj="  Complex weights are\n        conjugated, as in scipy.",
    example="array([[ 5,  8, 12, 12],\n           [17, 25, 30, 27],\n"
            "           [33, 45, 50, 43],\n           [33, 48, 52, 40]])",
    INPUT="{INPUT}", OUTPUT="{OUTPUT}", MODE="{MODE}", CVAL="{CVAL}", AXES="{AXES}",
    FAST="{FAST}"))
convolve.__doc__ = fill(_DOCND.format(
    What="Convolve", name="convolve", index="i - t + K // 2 + origin", conj="",
    example="array([[ 5,  8, 12, 12],\n           [17, 25, 30, 27],\n"
            "           [33, 45, 50, 43],\n           [33, 48, 52, 40]])",
    INPUT="{INPUT}", OUTPUT="{OUTPUT}", MODE="{MODE}", CVAL="{CVAL}", AXES="{AXES}",
    FAST="{FAST}"))


def _correlate_or_convolve(input, weights, output, mode, cval, origin, axes, convolve):
    """scipy's checks in scipy's order, then one call of the engine."""
    input, weights = np.asarray(input), np.asarray(weights)
    complex_result = _complex_result(input, weights, output, cval)
    if complex_result:
        output = get_output(output, input, complex_output=True)
        if weights.dtype.kind == "c" and not convolve:
            weights = weights.conj()
    axes = check_axes(axes, input.ndim)
    weights = _as_weights(weights)
    if len(axes) < input.ndim:
        if weights.ndim != len(axes):
            raise RuntimeError(f"weights has {weights.ndim} dimensions; it needs one per "
                               f"axis of axes ({len(axes)})")
        weights = np.expand_dims(weights, tuple(a for a in range(input.ndim) if a not in axes))
    origins = _origins(origin, axes, input.ndim)
    sizes = [n for n in weights.shape if n > 0]  # scipy ignores empty axes here
    if len(sizes) != input.ndim:
        raise RuntimeError(f"weights has {len(sizes)} non-empty dimensions; it needs one per "
                           f"axis filtered ({input.ndim})")
    # (convolve's origins have the same range once mirrored: checked as given)
    origins = [check_origin(o, n) for o, n in zip(origins, sizes)]
    if convolve:
        weights = weights[(slice(None, None, -1),) * weights.ndim]
        origins = [-o - (1 - weights.shape[a] % 2) for a, o in enumerate(origins)]
    if not complex_result:
        output = get_output(output, input)
    if not isinstance(mode, str) and isinstance(mode, Iterable):
        raise RuntimeError(  # noqa: TRY004 -- scipy's type
            f"mode={mode!r}: correlate and convolve take one mode for all axes (scipy "
            "refuses a sequence)")
    mode = mode_code(mode)
    cval = check_cval(cval, input.dtype.kind == "c")
    weights = _drop_tiny(weights)
    offsets = [n // 2 + o for n, o in zip(weights.shape, origins)]
    return _engine.weighted(input, output, weights, offsets, mode, cval, skip_zeros=True)


def _origins(origin, axes, ndim):
    """One origin per axis of the input (0 where not filtered)."""
    origins = normalize_sequence(origin, len(axes), "origin")
    if len(axes) == ndim:
        return origins
    full = [0] * ndim
    for o, a in zip(origins, axes):
        full[a] = o
    return full


def _drop_tiny(weights):
    """scipy's N-D filter keeps only taps with |w| > eps (NaN fails the test too), each of
    the real and imaginary parts on its own."""
    if weights.dtype.kind == "c":
        return _drop_tiny(weights.real) + 1j * _drop_tiny(weights.imag)
    return np.where(np.abs(weights) > _EPS, weights, 0.0)


def uniform_filter1d(input, size, axis=-1, output=None, mode="reflect", cval=0.0, origin=0):
    input = np.asarray(input)
    axis = axis_index(axis, input.ndim)
    _check_size(size)
    output = get_output(output, input, complex_output=input.dtype.kind == "c")
    step = _uniform_step(axis, size, mode, origin)
    return _engine.passes(input, output, [step], check_cval(cval, input.dtype.kind == "c"))


def uniform_filter(input, size=3, output=None, mode="reflect", cval=0.0, origin=0, *,
                   axes=None):
    input = np.asarray(input)
    output = get_output(output, input, complex_output=input.dtype.kind == "c")
    axes = check_axes(axes, input.ndim)
    n = len(axes)
    sizes = normalize_sequence(size, n, "size")
    origins = normalize_sequence(origin, n, "origin")
    modes = normalize_sequence(mode, n, "mode")
    # scipy leaves axes with size <= 1 alone (unchecked) and truncates fractional sizes
    steps = [_uniform_step(axis, int(s), m, o)
             for axis, s, o, m in zip(axes, sizes, origins, modes) if _check_size(s, 1)]
    if not steps:
        output[...] = input[...]
        return output
    return _engine.passes(input, output, steps, check_cval(cval, input.dtype.kind == "c"))


_DOC_UNIFORM = """The mean over a window of `size` samples{where}, as scipy.ndimage.{name}.

    ``output[i] = sum_t input_ext[i + t - size // 2 - origin] / size`` for t in
    0..size-1{each}, where input_ext is the input extended by `mode`.
    The window is summed and the sum divided once, as scipy's running sum does: integer
    data gives the exactly rounded mean.

    Parameters
    ----------
    {INPUT}
    {size}
    {axis}
    {OUTPUT}
    {mode}
    {CVAL}
    {origin}

    Returns
    -------
    ndarray
        The result, in `output` if an array was given.

    Notes
    -----
    {FAST}

    With an integer output (the default for integer input) every axis' mean is truncated
    before the next axis is filtered, as in scipy.  scipy calls the result with NaN in the
    input undefined (its running sum carries a NaN or inf to the end of the line, and can
    lose the small values of a line after a huge one); here each window is summed on its
    own, so a NaN reaches only the windows that hold it.

    Examples
    --------
    >>> import numpy as np
    >>> from axisconv import ndimage as ndi
    >>> {example}
"""
uniform_filter1d.__doc__ = fill(_DOC_UNIFORM.format(
    where=" along one axis", name="uniform_filter1d", each=" along `axis`", axis="{AXIS}", mode="{MODE}",
    size="size : int\n        The window length (>= 1).", origin="{ORIGIN}",
    example="ndi.uniform_filter1d([2, 8, 0, 4, 1, 9, 9, 0], size=3)\n"
            "    array([4, 3, 4, 1, 4, 6, 6, 3])",
    INPUT="{INPUT}", OUTPUT="{OUTPUT}", CVAL="{CVAL}", FAST="{FAST}"))
uniform_filter.__doc__ = fill(_DOC_UNIFORM.format(
    where=" along each axis", name="uniform_filter", each=", along each axis in turn",
    axis="{AXES}", mode="{MODES}",
    size="size : int or sequence of int, optional\n        The window length per axis "
         "(default 3); axes with size <= 1 are left\n        alone, fractional sizes "
         "truncated (as scipy does).",
    origin="origin : int or sequence of int, optional\n        The origin per axis, as in "
           "uniform_filter1d.",
    example="ndi.uniform_filter(np.arange(9.).reshape(3, 3), size=3, mode='nearest')\n"
            "    array([[1.33333333, 2.        , 2.66666667],\n"
            "           [3.33333333, 4.        , 4.66666667],\n"
            "           [5.33333333, 6.        , 6.66666667]])",
    INPUT="{INPUT}", OUTPUT="{OUTPUT}", CVAL="{CVAL}", FAST="{FAST}"), PER_AXIS=" of `axes`")


def _check_size(size, skip_below=None):
    """size >= 1 (RuntimeError, scipy's), or with `skip_below`: whether size > skip_below."""
    try:
        if skip_below is not None:
            return size > skip_below
        small = size < 1
    except TypeError:
        raise TypeError(f"size must be an integer, got {size!r}") from None
    if small:
        raise RuntimeError(f"size must be >= 1, got {size!r}")
    return True


def _uniform_step(axis, size, mode, origin):
    """scipy's remaining checks of a uniform pass (the origin's range, the mode, integer
    size and origin), and the pass: a window of ones, divided by its size."""
    try:
        bad = size // 2 + origin < 0 or size // 2 + origin >= size
    except TypeError:
        raise TypeError(f"size and origin must be integers, got size={size!r}, "
                        f"origin={origin!r}") from None
    if bad:
        raise ValueError(f"origin={origin!r} is out of range for a window of {size}: need "
                         f"{-(size // 2)} <= origin <= {(size - 1) // 2}")
    mode = mode_code(mode)
    size, origin = as_index(size, "size"), as_index(origin, "origin")
    return axis, np.ones(size), size // 2 + origin, mode, size
