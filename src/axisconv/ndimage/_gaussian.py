"""scipy.ndimage's Gaussian filters: gaussian_filter1d, gaussian_filter, gaussian_laplace and
gaussian_gradient_magnitude, with scipy's kernels, signatures, checks and results."""
import numbers

import numpy as np

from . import _engine
from ._derivatives import generic_gradient_magnitude, generic_laplace
from ._docs import fill
from ._support import (
    as_index,
    axis_index,
    check_axes,
    check_cval,
    get_output,
    mode_code,
    normalize_sequence,
)

__all__ = [
    "gaussian_filter",
    "gaussian_filter1d",
    "gaussian_gradient_magnitude",
    "gaussian_laplace",
]


def gaussian_kernel1d(sigma, order, radius):
    """scipy's Gaussian taps at x = -radius..radius: phi = exp(-x^2 / (2 sigma^2)),
    normalised to sum 1, times the polynomial q_order with (q_n phi)' = q_{n+1} phi, that
    is q_0 = 1 and q_{n+1} = q_n' - x q_n / sigma^2 (the order-th derivative of phi)."""
    try:
        negative = order < 0
    except TypeError:
        raise TypeError(f"order must be an integer, got {order!r}") from None
    if negative:
        raise ValueError(f"order must be non-negative, got {order}")
    try:
        sigma2 = sigma * sigma
        scale = -0.5 / sigma2
    except (TypeError, ZeroDivisionError) as error:
        raise type(error)(f"sigma={sigma!r} gives no Gaussian ({error})") from None
    x = np.arange(-radius, radius + 1)
    phi = np.exp(scale * x ** 2)
    phi = phi / phi.sum()
    if order == 0:
        return phi
    if isinstance(order, (bool, np.bool_)):  # scipy's polynomial code refuses it too
        raise TypeError(f"order must be an integer, got {order!r}")
    n = as_index(order, "order")
    q = np.zeros(n + 1)  # coefficients of q, lowest power first
    q[0] = 1.0
    for _ in range(n):
        derivative = np.append(q[1:] * np.arange(1, n + 1), 0.0)
        times_x = np.insert(q[:-1], 0, 0.0)
        q = derivative - times_x / sigma2
    return np.polynomial.polynomial.polyval(x, q) * phi


def _taps(sigma, order, truncate, radius):
    """The correlation taps of gaussian_filter1d (the kernel reversed), checked as scipy
    checks them: radius = int(truncate * sigma + 0.5) unless given."""
    try:
        sd = float(sigma)
    except (TypeError, ValueError) as error:
        raise type(error)(f"sigma must be a real number, got {sigma!r}") from None
    try:
        size = int(truncate * sd + 0.5)
    except (TypeError, ValueError, OverflowError) as error:
        raise type(error)(f"truncate * sigma must be a finite number, got truncate="
                          f"{truncate!r}, sigma={sigma!r}") from None
    if radius is not None:
        size = radius
    if not isinstance(size, numbers.Integral) or size < 0:
        raise ValueError(f"radius must be a nonnegative integer, got {size!r}" if radius
                         is not None else f"the radius int(truncate * sigma + 0.5) = {size} "
                         f"must be >= 0 (truncate={truncate!r}, sigma={sigma!r})")
    return gaussian_kernel1d(sigma, order, size)[::-1]


def gaussian_filter1d(input, sigma, axis=-1, order=0, output=None, mode="reflect", cval=0.0,
                      truncate=4.0, *, radius=None):
    taps = _taps(sigma, order, truncate, radius)
    input = np.asarray(input)
    output = get_output(output, input, complex_output=input.dtype.kind == "c")
    axis = axis_index(axis, input.ndim)
    step = (axis, taps, taps.size // 2, mode_code(mode), 1)
    return _engine.passes(input, output, [step], check_cval(cval, input.dtype.kind == "c"))


def gaussian_filter(input, sigma, order=0, output=None, mode="reflect", cval=0.0, truncate=4.0,
                    *, radius=None, axes=None):
    input = np.asarray(input)
    output = get_output(output, input)
    axes = check_axes(axes, input.ndim)
    n = len(axes)
    per_axis = zip(axes, normalize_sequence(sigma, n, "sigma"),
                   normalize_sequence(order, n, "order"), normalize_sequence(mode, n, "mode"),
                   normalize_sequence(radius, n, "radius"))
    steps = []
    for axis, s, o, m, r in per_axis:
        if _positive(s):  # scipy leaves axes with sigma <= 1e-15 alone, whatever their order
            taps = _taps(s, o, truncate, r)
            steps.append((axis_index(axis, input.ndim), taps, taps.size // 2, mode_code(m), 1))
    if not steps:
        output[...] = input[...]
        return output
    return _engine.passes(input, output, steps, check_cval(cval, input.dtype.kind == "c"))


def _positive(sigma):
    try:
        return sigma > 1e-15
    except TypeError:
        raise TypeError(f"sigma must be a real number or a sequence of them, "
                        f"got {sigma!r}") from None


_SIGMA = """sigma : scalar{seq}
        The standard deviation of the Gaussian{per}."""
_TRUNCATE = """truncate : float, optional
        The kernel reaches ``radius = int(truncate * sigma + 0.5)`` samples from its centre
        (default 4.0)."""
_RADIUS = """radius : None or int{seq}, optional
        The kernel's radius (2 * radius + 1 taps); overrides `truncate`{per}."""
_ORDER = """order : int{seq}, optional
        0 (default) smooths; n > 0 correlates with the n-th derivative of the Gaussian
        (scipy's kernel: the same formula, normalisation and polynomials){per}."""
_PER = ";\n        one per axis of `axes`, or one for all"
gaussian_filter1d.__doc__ = fill("""A Gaussian along one axis, as scipy.ndimage.gaussian_filter1d.

    The input is correlated with the (reversed) Gaussian kernel of scipy: taps
    ``exp(-x**2 / (2 sigma**2))`` for x = -radius..radius, normalised to sum 1 (times a
    polynomial for derivatives).

    Parameters
    ----------
    {INPUT}
    {SIGMA}
    {AXIS}
    {ORDER}
    {OUTPUT}
    {MODE}
    {CVAL}
    {TRUNCATE}
    {RADIUS}

    Returns
    -------
    ndarray
        The result, in `output` if an array was given.

    Notes
    -----
    {FAST}

    Examples
    --------
    >>> import numpy as np
    >>> from axisconv import ndimage as ndi
    >>> ndi.gaussian_filter1d([1.0, 2.0, 3.0, 4.0, 5.0], 1)
    array([1.42704095, 2.06782203, 3.        , 3.93217797, 4.57295905])
""", SIGMA=_SIGMA.format(seq="", per=""), ORDER=_ORDER.format(seq="", per=""),
    TRUNCATE=_TRUNCATE, RADIUS=_RADIUS.format(seq="", per=""))

gaussian_filter.__doc__ = fill("""A Gaussian filter along axes, as scipy.ndimage.gaussian_filter.

    One 1-D Gaussian per axis (scipy's kernels), the first two fused in one pass over the
    data.

    Parameters
    ----------
    {INPUT}
    {SIGMA}
    {ORDER}
    {OUTPUT}
    {MODES}
    {CVAL}
    {TRUNCATE}
    {RADIUS}
    {AXES}

    Returns
    -------
    ndarray
        The result, in `output` if an array was given.

    Notes
    -----
    {FAST}

    Axes with ``sigma <= 1e-15`` are left alone (their order too), as in scipy.  With an
    integer output (the default for integer input) each axis' result is stored before the
    next axis is filtered, as scipy stores it.

    Examples
    --------
    >>> import numpy as np
    >>> from axisconv import ndimage as ndi
    >>> ndi.gaussian_filter(np.arange(50, step=2).reshape(5, 5), sigma=1)
    array([[ 4,  6,  8,  9, 11],
           [10, 12, 14, 15, 17],
           [20, 22, 24, 25, 27],
           [29, 31, 33, 34, 36],
           [35, 37, 39, 40, 42]])
""", SIGMA=_SIGMA.format(seq=" or sequence of scalars", per=_PER),
    ORDER=_ORDER.format(seq=" or sequence of int", per=_PER), TRUNCATE=_TRUNCATE,
    RADIUS=_RADIUS.format(seq=" or sequence of int", per=_PER), PER_AXIS=" of `axes`")


def gaussian_laplace(input, sigma, output=None, mode="reflect", cval=0.0, *, axes=None,
                     **kwargs):
    input = np.asarray(input)
    axes = check_axes(axes, input.ndim)
    sigmas = normalize_sequence(sigma, len(axes), "sigma")
    if len(axes) < input.ndim:  # no smoothing along the axes not filtered
        full = [0] * input.ndim
        for s, a in zip(sigmas, axes):
            full[a] = s
        sigmas = full
    return generic_laplace(input, _gaussian_derivative(2), output, mode, cval,
                           extra_arguments=(sigmas,), extra_keywords=kwargs, axes=axes)


def gaussian_gradient_magnitude(input, sigma, output=None, mode="reflect", cval=0.0, *,
                                axes=None, **kwargs):
    input = np.asarray(input)
    return generic_gradient_magnitude(input, _gaussian_derivative(1), output, mode, cval,
                                      extra_arguments=(sigma,), extra_keywords=kwargs,
                                      axes=axes)


def _gaussian_derivative(n):
    """The derivative callable: gaussian_filter with order n along `axis`, 0 elsewhere (it
    smooths along every axis whose sigma is positive, as scipy's does)."""
    def derivative(input, axis, output, mode, cval, sigma, **kwargs):
        order = [0] * input.ndim
        order[axis] = n
        return gaussian_filter(input, sigma, order, output, mode, cval, **kwargs)
    return derivative


_GENERIC = """{what}, as scipy.ndimage.{name}.

    {formula}

    Parameters
    ----------
    {INPUT}
    sigma : scalar or sequence of scalars
        The standard deviation of the Gaussians: one for all axes, or one per
        axis{sigma}.
    {OUTPUT}
    {MODES}
    {CVAL}
    {AXES}
    **kwargs
        Passed on to gaussian_filter (``truncate``, ``radius``).

    Returns
    -------
    ndarray
        The result, in `output` if an array was given.

    Notes
    -----
    {FAST}

    As in scipy, each axis' term is computed with the output's dtype and summed in
    it.{note}

    Examples
    --------
    >>> import numpy as np
    >>> from axisconv import ndimage as ndi
    >>> square = np.array([[0., 0, 0, 0], [0, 4, 4, 0], [0, 4, 4, 0], [0, 0, 0, 0]])
    >>> ndi.{name}(square, 0.5, mode="constant").round(2)
    {example}
"""
gaussian_laplace.__doc__ = fill(_GENERIC.format(
    what="The Laplacian of a Gaussian-smoothed input", name="gaussian_laplace",
    formula="The sum over `axes` of gaussian_filter with order 2 along that axis.",
    sigma=" of `axes`", note="", INPUT="{INPUT}",
    example="array([[  1.1 ,   3.82,   3.82,   1.1 ],\n           [  3.82, -13.35, -13.35,   3.82],"
            "\n           [  3.82, -13.35, -13.35,   3.82],\n"
            "           [  1.1 ,   3.82,   3.82,   1.1 ]])", OUTPUT="{OUTPUT}", MODES="{MODES}",
    CVAL="{CVAL}", AXES="{AXES}", FAST="{FAST}"), PER_AXIS=" of `axes`")
gaussian_gradient_magnitude.__doc__ = fill(_GENERIC.format(
    what="The gradient magnitude of a smoothed input",
    name="gaussian_gradient_magnitude",
    formula="``sqrt(sum over axes of gaussian_filter(order 1 along that axis) ** 2)``.",
    sigma=" of the input\n        (scipy's rule, even with `axes`: the smoothing runs along "
          "every axis)",
    note="  Complex input is squared, not multiplied by its conjugate,\n    as in scipy.",
    example="array([[0.26, 1.54, 1.54, 0.26],\n           [1.54, 2.15, 2.15, 1.54],\n"
            "           [1.54, 2.15, 2.15, 1.54],\n           [0.26, 1.54, 1.54, 0.26]])",
    INPUT="{INPUT}", OUTPUT="{OUTPUT}", MODES="{MODES}", CVAL="{CVAL}", AXES="{AXES}",
    FAST="{FAST}"), PER_AXIS=" of `axes`")
