"""scipy.ndimage's derivative filters: sobel, prewitt, laplace, generic_laplace and
generic_gradient_magnitude, with scipy's signatures, checks and results."""
import numpy as np

from . import _engine
from ._docs import fill
from ._support import (
    axis_index,
    check_axes,
    check_cval,
    get_output,
    mode_code,
    normalize_sequence,
)

__all__ = ["generic_gradient_magnitude", "generic_laplace", "laplace", "prewitt", "sobel"]

_DIFFERENCE = np.array([-1.0, 0.0, 1.0])


def sobel(input, axis=-1, output=None, mode="reflect", cval=0.0):
    return _edge(input, axis, output, mode, cval, smooth=np.array([1.0, 2.0, 1.0]))


def prewitt(input, axis=-1, output=None, mode="reflect", cval=0.0):
    return _edge(input, axis, output, mode, cval, smooth=np.array([1.0, 1.0, 1.0]))


def _edge(input, axis, output, mode, cval, smooth):
    """The difference [-1, 0, 1] along `axis`, then `smooth` along every other axis in
    increasing order (scipy's order, which matters for 'constant' with cval != 0)."""
    input = np.asarray(input)
    axis = axis_index(axis, input.ndim)
    output = get_output(output, input)
    modes = normalize_sequence(mode, input.ndim, "mode")
    steps = [(axis, _DIFFERENCE, 1, mode_code(modes[axis]), 1)]
    steps += [(a, smooth, 1, mode_code(modes[a]), 1) for a in range(input.ndim) if a != axis]
    return _engine.passes(input, output, steps, check_cval(cval, input.dtype.kind == "c"))


_EDGE = """The {name} edge filter, as scipy.ndimage.{name}.

    The input is correlated with [-1, 0, 1] along `axis` (the derivative) and with
    {smooth} along every other axis (the smoothing), the first two in one fused pass.

    Parameters
    ----------
    {INPUT}
    axis : int, optional
        The axis of the derivative (default -1).
    {OUTPUT}
    {MODES}
    {CVAL}

    Returns
    -------
    ndarray
        The result, in `output` if an array was given.

    Notes
    -----
    {FAST}

    The taps are integers: integer data gives exact results.  With an integer output (the
    default for integer input) every pass is stored in it before the next, as in scipy --
    with unsigned input, negative differences wrap around.

    Examples
    --------
    >>> import numpy as np
    >>> from axisconv import ndimage as ndi
    >>> ndi.{name}(np.array([[0, 0, 1, 1]] * 3, dtype=float), axis=1)
    {example}
"""
sobel.__doc__ = fill(_EDGE.format(
    name="sobel", smooth="[1, 2, 1]", INPUT="{INPUT}", OUTPUT="{OUTPUT}", MODES="{MODES}",
    CVAL="{CVAL}", FAST="{FAST}",
    example="array([[0., 4., 4., 0.],\n           [0., 4., 4., 0.],\n"
            "           [0., 4., 4., 0.]])"),
    PER_AXIS=" of the input")
prewitt.__doc__ = fill(_EDGE.format(
    name="prewitt", smooth="[1, 1, 1]", INPUT="{INPUT}", OUTPUT="{OUTPUT}", MODES="{MODES}",
    CVAL="{CVAL}", FAST="{FAST}",
    example="array([[0., 3., 3., 0.],\n           [0., 3., 3., 0.],\n"
            "           [0., 3., 3., 0.]])"),
    PER_AXIS=" of the input")


def generic_laplace(input, derivative2, output=None, mode="reflect", cval=0.0,
                    extra_arguments=(), extra_keywords=None, *, axes=None):
    extra_keywords = {} if extra_keywords is None else extra_keywords
    input = np.asarray(input)
    output = get_output(output, input)
    axes = check_axes(axes, input.ndim)
    if not axes:
        output[...] = input[...]
        return output
    modes = normalize_sequence(mode, len(axes), "mode")
    _check_callable(derivative2, "derivative2")
    derivative2(input, axes[0], output, modes[0], cval, *extra_arguments, **extra_keywords)
    for axis, m in zip(axes[1:], modes[1:]):
        output += derivative2(input, axis, output.dtype, m, cval, *extra_arguments,
                              **extra_keywords)
    return output


def generic_gradient_magnitude(input, derivative, output=None, mode="reflect", cval=0.0,
                               extra_arguments=(), extra_keywords=None, *, axes=None):
    extra_keywords = {} if extra_keywords is None else extra_keywords
    input = np.asarray(input)
    output = get_output(output, input)
    axes = check_axes(axes, input.ndim)
    if not axes:
        output[...] = input[...]
        return output
    modes = normalize_sequence(mode, len(axes), "mode")
    _check_callable(derivative, "derivative")
    derivative(input, axes[0], output, modes[0], cval, *extra_arguments, **extra_keywords)
    np.multiply(output, output, output)
    for axis, m in zip(axes[1:], modes[1:]):
        term = derivative(input, axis, output.dtype, m, cval, *extra_arguments,
                          **extra_keywords)
        np.multiply(term, term, term)
        output += term
    np.sqrt(output, output, casting="unsafe")  # into integer outputs too, as scipy does
    return output


def _check_callable(function, name):
    if not callable(function):
        raise TypeError(f"{name} must be callable, got {function!r}")


_CALLABLE = """{what}, as scipy.ndimage.{name}.

    {formula}

    Parameters
    ----------
    {INPUT}
    {arg} : callable
        ``{arg}(input, axis, output, mode, cval, *extra_arguments,
        **extra_keywords)`` writes the filtered input into `output` (an array, or a
        dtype for a new one) and returns it.  axisconv.ndimage's filters fit (e.g. a
        wrapper of ``correlate1d``).
    {OUTPUT}
    {MODES}
    {CVAL}
    extra_arguments : sequence, optional
        Extra positional arguments for `{arg}`.
    extra_keywords : dict, optional
        Extra keyword arguments for `{arg}`.
    {AXES}

    Returns
    -------
    ndarray
        The result, in `output` if an array was given.

    Notes
    -----
    As in scipy, the first axis' term is written into `output` and the others are computed
    with its dtype and added to it{sqrt}.

    Examples
    --------
    >>> import numpy as np
    >>> from axisconv import ndimage as ndi
    >>> def {example_def}
    ...     return ndi.correlate1d(input, {taps}, axis, output, mode, cval)
    >>> dot = np.array([[0., 0, 0], [0, 3, 0], [0, 0, 0]])
    >>> ndi.{name}(dot, {example_arg})
    {example}
"""
generic_laplace.__doc__ = fill(_CALLABLE.format(
    what="The sum of second derivatives along axes", name="generic_laplace",
    formula="``output = sum over axes of derivative2(input, axis, ...)``.", arg="derivative2",
    sqrt="", example_def="d2(input, axis, output, mode, cval):", taps="[1, -2, 1]",
    example_arg="d2, mode='constant'",
    example="array([[ 0.,  3.,  0.],\n           [ 3., -12.,  3.],\n"
            "           [ 0.,  3.,  0.]])",
    INPUT="{INPUT}", OUTPUT="{OUTPUT}", MODES="{MODES}", CVAL="{CVAL}", AXES="{AXES}"),
    PER_AXIS=" of `axes`")
generic_gradient_magnitude.__doc__ = fill(_CALLABLE.format(
    what="The gradient magnitude from first derivatives",
    name="generic_gradient_magnitude",
    formula="``output = sqrt(sum over axes of derivative(input, axis, ...) ** 2)``.",
    arg="derivative", sqrt=" (squared; then the square root is taken in place,\n    with "
                           "unsafe casting into integer outputs)",
    example_def="d1(input, axis, output, mode, cval):", taps="[-1, 0, 1]",
    example_arg="d1, mode='constant'",
    example="array([[0., 3., 0.],\n           [3., 0., 3.],\n           [0., 3., 0.]])",
    INPUT="{INPUT}", OUTPUT="{OUTPUT}", MODES="{MODES}", CVAL="{CVAL}", AXES="{AXES}"),
    PER_AXIS=" of `axes`")


def laplace(input, output=None, mode="reflect", cval=0.0, *, axes=None):
    return generic_laplace(input, _second_difference, output, mode, cval, axes=axes)


def _second_difference(input, axis, output, mode, cval):
    output = get_output(output, input)
    step = (axis, np.array([1.0, -2.0, 1.0]), 1, mode_code(mode), 1)
    return _engine.passes(input, output, [step], check_cval(cval, input.dtype.kind == "c"))


laplace.__doc__ = fill("""Second differences summed over axes, as scipy.ndimage.laplace.

    ``output = sum over axes of correlate1d(input, [1, -2, 1], axis)``.

    Parameters
    ----------
    {INPUT}
    {OUTPUT}
    {MODES}
    {CVAL}
    {AXES}

    Returns
    -------
    ndarray
        The result, in `output` if an array was given.

    Notes
    -----
    {FAST}

    The taps are integers: integer data gives exact results (in the output's dtype, as in
    scipy: unsigned outputs wrap around).

    Examples
    --------
    >>> import numpy as np
    >>> from axisconv import ndimage as ndi
    >>> ndi.laplace(np.array([[0., 0, 0], [0, 3, 0], [0, 0, 0]]), mode="constant")
    array([[  0.,   3.,   0.],
           [  3., -12.,   3.],
           [  0.,   3.,   0.]])
""", PER_AXIS=" of `axes`")
