"""scipy.ndimage's linear filters on dask arrays: ``axisconv.ndimage`` chunk by chunk.

``axisconv.dask.ndimage.gaussian_filter(d, 2.0)`` filters the dask array ``d`` as
``axisconv.ndimage.gaussian_filter`` filters an ndarray, and so on for correlate1d,
convolve1d, correlate, convolve, uniform_filter1d, uniform_filter, gaussian_filter1d,
gaussian_filter, sobel, prewitt, laplace, gaussian_laplace and gaussian_gradient_magnitude.
Each has the in-memory signature (scipy.ndimage's) and equals the in-memory function on the
whole (C-ordered) array, bit for bit: every chunk is filtered with the samples its outputs
read from its neighbours, and every output is one sum in one order however the array is
cut (docs/contract.md §8).  How far the outputs read follows from the arguments, by the
in-memory rules: a Gaussian reaches ``int(truncate * sigma + 0.5)`` samples (or `radius`),
a kernel of K taps ``K // 2 + origin`` before and ``K - 1 - K // 2 - origin`` after.
Two differences: `output` is a dtype (a dask result is a new array), and keyword-only
``threads=1`` sets the threads per task.

generic_laplace and generic_gradient_magnitude are not wrapped: their derivative callable
may read any distance along any axis, and wrap or not, which only its author knows -- a
``reach=`` argument would only re-spell ``axisconv.dask.map_filter``, which takes that
reach and the wrapping axes::

    func = functools.partial(axisconv.ndimage.generic_laplace, derivative2=d2)
    axisconv.dask.map_filter(func, d, reach=1)       # d2 reads one sample on each side

(its filters then run on axisconv's default thread count, which is 1 in the worker
processes of dask.distributed: they start with OMP_NUM_THREADS=1).
"""
import functools
import operator

import numpy as np
from dask.array import map_blocks
from dask.array.overlap import ensure_minimum_chunksize

from .. import ndimage as _ndi
from .._config import check_threads
from .._modes import WRAP
from ..ndimage import _engine
from ..ndimage._support import MODES, check_axes, normalize_sequence
from . import _check_dask_array, _probe, kernel_reach, map_filter
from ._ndimage_docs import document

__all__ = ["correlate1d", "convolve1d", "correlate", "convolve", "uniform_filter1d",
           "uniform_filter", "gaussian_filter1d", "gaussian_filter", "sobel", "prewitt",
           "laplace", "gaussian_laplace", "gaussian_gradient_magnitude"]


# --- kernels given -------------------------------------------------------------------------

def correlate1d(input, weights, axis=-1, output=None, mode="reflect", cval=0.0, origin=0, *,
                threads=1):
    return _filter1d(_ndi.correlate1d, input, weights, axis, output, mode, cval, origin,
                     threads, convolve=False)


def convolve1d(input, weights, axis=-1, output=None, mode="reflect", cval=0.0, origin=0, *,
               threads=1):
    return _filter1d(_ndi.convolve1d, input, weights, axis, output, mode, cval, origin,
                     threads, convolve=True)


def _filter1d(inmemory, input, weights, axis, output, mode, cval, origin, threads, convolve):
    x, func = _bind(inmemory, input, output, threads, weights=weights, axis=axis, mode=mode,
                    cval=cval, origin=origin)
    return _run(func, x, {axis: kernel_reach(np.size(weights), origin, convolve)},
                {axis: mode})


def correlate(input, weights, output=None, mode="reflect", cval=0.0, origin=0, *, axes=None,
              threads=1):
    return _filter_nd(_ndi.correlate, input, weights, output, mode, cval, origin, axes,
                      threads, convolve=False)


def convolve(input, weights, output=None, mode="reflect", cval=0.0, origin=0, *, axes=None,
             threads=1):
    return _filter_nd(_ndi.convolve, input, weights, output, mode, cval, origin, axes,
                      threads, convolve=True)


def _filter_nd(inmemory, input, weights, output, mode, cval, origin, axes, threads, convolve):
    x, func = _bind(inmemory, input, output, threads, weights=weights, mode=mode, cval=cval,
                    origin=origin, axes=axes)
    weights, axes = np.asarray(weights), check_axes(axes, x.ndim)
    if weights.size == 0:  # nothing is summed: zeros
        return _run(func, x, {}, {})
    origins = normalize_sequence(origin, len(axes), "origin")
    if len(axes) < x.ndim:  # the in-memory rule: weights' axes are the increasing `axes`
        sizes, origins = dict(zip(sorted(axes), weights.shape)), dict(zip(axes, origins))
    else:                   # and origins follow the input's axes
        sizes, origins = dict(enumerate(weights.shape)), dict(enumerate(origins))
    reach = {a: kernel_reach(n, origins[a], convolve) for a, n in sizes.items()}
    return _run(func, x, reach, dict.fromkeys(reach, mode))


def uniform_filter1d(input, size, axis=-1, output=None, mode="reflect", cval=0.0, origin=0, *,
                     threads=1):
    x, func = _bind(_ndi.uniform_filter1d, input, output, threads, size=size, axis=axis,
                    mode=mode, cval=cval, origin=origin)
    return _run(func, x, {axis: kernel_reach(size, origin)}, {axis: mode})


def uniform_filter(input, size=3, output=None, mode="reflect", cval=0.0, origin=0, *,
                   axes=None, threads=1):
    x, func = _bind(_ndi.uniform_filter, input, output, threads, size=size, mode=mode,
                    cval=cval, origin=origin, axes=axes)
    axes, per_axis, modes = _per_axis(x, axes, size=size, origin=origin, mode=mode)
    reach = {a: kernel_reach(int(p["size"]), p["origin"]) for a, p in per_axis.items()
             if p["size"] > 1}  # (axes of size <= 1 are left alone, as in memory)
    return _run(func, x, reach, modes, passes=reach)


# --- Gaussians -----------------------------------------------------------------------------

def gaussian_filter1d(input, sigma, axis=-1, order=0, output=None, mode="reflect", cval=0.0,
                      truncate=4.0, *, radius=None, threads=1):
    x, func = _bind(_ndi.gaussian_filter1d, input, output, threads, sigma=sigma, axis=axis,
                    order=order, mode=mode, cval=cval, truncate=truncate, radius=radius)
    return _run(func, x, {axis: _radius(sigma, truncate, radius)}, {axis: mode})


def gaussian_filter(input, sigma, order=0, output=None, mode="reflect", cval=0.0, truncate=4.0,
                    *, radius=None, axes=None, threads=1):
    x, func = _bind(_ndi.gaussian_filter, input, output, threads, sigma=sigma, order=order,
                    mode=mode, cval=cval, truncate=truncate, radius=radius, axes=axes)
    axes, per_axis, modes = _per_axis(x, axes, sigma=sigma, radius=radius, mode=mode)
    reach = _gaussian_reach(per_axis, truncate)
    return _run(func, x, reach, modes, passes=reach)


def gaussian_laplace(input, sigma, output=None, mode="reflect", cval=0.0, *, axes=None,
                     threads=1, **kwargs):
    x, func = _bind(_ndi.gaussian_laplace, input, output, threads, sigma=sigma, mode=mode,
                    cval=cval, axes=axes, **kwargs)
    axes = check_axes(axes, x.ndim)
    sigmas = normalize_sequence(sigma, len(axes), "sigma")
    if len(axes) < x.ndim:  # the in-memory rule: no smoothing along the other axes
        full = [0] * x.ndim
        for s, a in zip(sigmas, axes):
            full[a] = s
        sigmas = full
    term = functools.partial(gaussian_filter, x, sigmas, output=func.dtype, cval=cval,
                             threads=threads, **kwargs)
    return _sum_of_derivatives(func, x, axes, sigmas, mode, kwargs, term, 2, operator.add)


def gaussian_gradient_magnitude(input, sigma, output=None, mode="reflect", cval=0.0, *,
                                axes=None, threads=1, **kwargs):
    x, func = _bind(_ndi.gaussian_gradient_magnitude, input, output, threads, sigma=sigma,
                    mode=mode, cval=cval, axes=axes, **kwargs)
    axes = check_axes(axes, x.ndim)
    sigmas = normalize_sequence(sigma, x.ndim, "sigma")  # the in-memory rule: every axis
    term = functools.partial(gaussian_filter, x, sigma, output=func.dtype, cval=cval,
                             threads=threads, **kwargs)
    return _sum_of_derivatives(func, x, axes, sigmas, mode, kwargs, term, 1, None)


def _sum_of_derivatives(func, x, axes, sigmas, mode, kwargs, term, order, add):
    """One term per axis of `axes`: a Gaussian of order `order` along it and 0 along the
    others, each in that axis' mode along every axis it smooths.  Where the terms agree on
    which axes wrap, one halo serves them all (the in-memory function per chunk); else each
    term is filtered with its own halo, and the terms are combined as in memory: summed
    (`add`), or squared, summed and rooted."""
    if not axes:  # the input, unfiltered
        return _run(func, x, {}, {})
    modes = normalize_sequence(mode, len(axes), "mode")
    radii = normalize_sequence(kwargs.get("radius"), x.ndim, "radius")
    per_axis = {a: {"sigma": s, "radius": r} for a, (s, r) in enumerate(zip(sigmas, radii))}
    reach = _gaussian_reach(per_axis, kwargs.get("truncate", 4.0))
    if len({_wraps(m) for m in modes}) == 1 or not any(reach.values()):
        return _run(func, x, reach, dict.fromkeys(reach, modes[0]), passes=reach)
    terms = []
    for axis, m in zip(axes, modes):
        orders = [order if a == axis else 0 for a in range(x.ndim)]
        terms.append(term(order=orders, mode=m))
    if add is not None:  # (NumPy's sums are native: an output of the other byte order is not)
        return functools.reduce(add, terms).astype(func.dtype)
    return map_blocks(_gradient_magnitude, *terms, dtype=func.dtype,
                      meta=np.empty((0,) * x.ndim, func.dtype))


def _gradient_magnitude(*terms):
    """generic_gradient_magnitude's arithmetic on the terms' blocks, step by step."""
    out = np.multiply(terms[0], terms[0])
    for term in terms[1:]:
        out += np.multiply(term, term)
    np.sqrt(out, out, casting="unsafe")
    return out.astype(terms[0].dtype, copy=False)  # the terms' byte order, as in memory


def _radius(sigma, truncate, radius):
    """The in-memory rule: ``int(truncate * sigma + 0.5)`` unless `radius` is given."""
    return int(truncate * float(sigma) + 0.5) if radius is None else radius


def _gaussian_reach(per_axis, truncate):
    """{axis: radius} over the axes the Gaussian filters (sigma > 1e-15, as in memory)."""
    return {a: _radius(p["sigma"], truncate, p["radius"]) for a, p in per_axis.items()
            if p["sigma"] > 1e-15}


# --- derivatives ---------------------------------------------------------------------------

def sobel(input, axis=-1, output=None, mode="reflect", cval=0.0, *, threads=1):
    return _edge(_ndi.sobel, input, axis, output, mode, cval, threads)


def prewitt(input, axis=-1, output=None, mode="reflect", cval=0.0, *, threads=1):
    return _edge(_ndi.prewitt, input, axis, output, mode, cval, threads)


def _edge(inmemory, input, axis, output, mode, cval, threads):
    x, func = _bind(inmemory, input, output, threads, axis=axis, mode=mode, cval=cval)
    modes = normalize_sequence(mode, x.ndim, "mode")  # every axis: one sample on each side
    return _run(func, x, dict.fromkeys(range(x.ndim), 1), dict(enumerate(modes)),
                passes=range(x.ndim))


def laplace(input, output=None, mode="reflect", cval=0.0, *, axes=None, threads=1):
    x, func = _bind(_ndi.laplace, input, output, threads, mode=mode, cval=cval, axes=axes)
    axes, _, modes = _per_axis(x, axes, mode=mode)
    return _run(func, x, dict.fromkeys(axes, 1), modes)


# --- the common steps ----------------------------------------------------------------------

def _bind(inmemory, x, output, threads, **arguments):
    """Check x and output, bind the arguments and threads into a filter of blocks, and
    call it once on a one-element array: every argument is checked as in memory, and the
    result's dtype known (func.dtype), before any graph is built."""
    _check_dask_array(x)
    if not (output is None or isinstance(output, (type, np.dtype, str))):
        raise ValueError(f"output must be a dtype or None, got {type(output).__name__}: "
                         "axisconv.dask returns a new dask array (store or compute it "
                         "into an array of your own afterwards)")
    func = _OnThreads(functools.partial(inmemory, output=output, **arguments), threads)
    func.dtype = _probe(func, x)
    return x, func


class _OnThreads:
    """An in-memory filter of blocks, run on `threads` threads (the axisconv.ndimage
    functions take none: they read it from _engine.threads in this thread).  It pickles for
    a distributed cluster; dask names its tasks after the filter."""

    def __init__(self, func, threads):
        self.func, self.threads = func, threads
        self.__name__ = func.func.__name__
        if threads is not None:
            check_threads(threads)

    def __call__(self, block):
        # Passes along several axes run in the order of their strides, which tie across
        # axes of one sample: a block gets the strides a new C-ordered array has (as the
        # whole array has), so that only such axes tie (see _run).
        block = np.asarray(block, order="C")  # (np.ascontiguousarray makes 0-d 1-d)
        block = block.reshape(-1).reshape(block.shape)
        with _engine.threads(self.threads):
            return self.func(block)


def _run(func, x, reach, modes, passes=()):
    """map_filter with `reach` {axis: int or pair} and the wrapping axes of `modes`
    {axis: mode}.  `passes`: the axes of 1-D passes that run in the order of their strides
    (when a nonzero constant does not fix it).  Strides tie across axes of one sample, so
    a block one sample long along an axis after the first of them, without halo, could
    order them otherwise than the whole array does: such an axis gets chunks of two
    samples or more (that axis only)."""
    reach = {a % x.ndim: r for a, r in reach.items()}
    passes = sorted(a % x.ndim for a in passes)
    chunks = list(x.chunks)
    for a, c in enumerate(chunks):
        if (passes and passes[0] < a <= passes[-1] and not np.any(reach.get(a, 0))
                and 1 in c and len(c) > 1):
            chunks[a] = ensure_minimum_chunksize(2, c)
    if tuple(chunks) != x.chunks:
        x = x.rechunk(tuple(chunks))
    periodic = [a % x.ndim for a, m in modes.items() if _wraps(m)]
    return map_filter(func, x, reach, periodic=periodic, dtype=func.dtype)


def _per_axis(x, axes, **per_axis):
    """axes (checked), {axis: {name: value}} and {axis: mode} from sequences given per axis
    of `axes` (one value for all, or one per axis, as in memory)."""
    axes = check_axes(axes, x.ndim)
    values = {name: normalize_sequence(v, len(axes), name) for name, v in per_axis.items()}
    each = {a: {name: v[i] for name, v in values.items()} for i, a in enumerate(axes)}
    return axes, each, {a: each[a]["mode"] for a in axes} if "mode" in per_axis else {}


def _wraps(mode):
    return MODES[mode] == WRAP


for _name in __all__:
    document(globals()[_name], _name)
del _name
