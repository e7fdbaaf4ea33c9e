"""correlate_separable and convolve_separable (docs/contract.md §3), slowly: the 1-D reference
along each axis of `axes` in turn, in the order of `axes` (the order matters only where a
nonzero constant pads the second pass).
"""
import numpy as np

from . import filters


def per_axis(value, n):
    """A per-axis argument as a list of n values (one value is shared by every axis)."""
    if isinstance(value, (list, tuple, np.ndarray)) and not isinstance(value, str):
        return list(value)
    return [value] * n


def axes_list(axes, ndim):
    if axes is None:
        return list(range(max(ndim - 2, 0), ndim))
    return [a % ndim for a in np.atleast_1d(axes).tolist()]


def kernel_list(kernels, n):
    """One kernel (any 1-D array_like) for every axis, or a sequence of n kernels."""
    if all(np.ndim(k) == 0 for k in kernels):
        return [np.asarray(kernels)] * n
    return [np.asarray(k) for k in kernels]


def _separable(one_d, x, kernels, axes, mode, cval, origin):
    y = filters.wide(x)
    axes = axes_list(axes, y.ndim)
    n = len(axes)
    for axis, k, m, o in zip(axes, kernel_list(kernels, n), per_axis(mode, n),
                             per_axis(origin, n)):
        y = one_d(y, k, axis, m, cval, o)
    return y


def correlate_separable(x, kernels, axes=None, mode="reflect", cval=0.0, origin=0):
    return _separable(filters.correlate1d, x, kernels, axes, mode, cval, origin)


def convolve_separable(x, kernels, axes=None, mode="reflect", cval=0.0, origin=0):
    return _separable(filters.convolve1d, x, kernels, axes, mode, cval, origin)
