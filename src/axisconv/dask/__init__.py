"""axisconv on dask arrays: the same filters, chunk by chunk, exact at every chunk border.

Each chunk is filtered by the in-memory function on its own, and the outputs near its
borders with other chunks, which read their neighbours' samples (the halo), are redone from
those samples: a thin edge per border, gathered from the chunks around it, so a chunk never
copies in its neighbours' data, and only thin pieces of them cross workers.  At the edges of
the whole array a chunk has no halo, so the filter applies its own boundary mode there,
exactly as in memory; along 'wrap' axes the halo comes from the far end.  The results are
those of the in-memory function on the whole (C-ordered) array, bit for bit: every output is
one sum in one order, whichever C loop computes it and however the array is cut
(docs/contract.md §8).

Install with ``pip install "axisconv[dask]"``.  ``axisconv.dask.ndimage`` has scipy.ndimage's
linear filters (those of ``axisconv.ndimage``) the same way; ``map_filter`` wraps any other
in-memory filter, given how far its outputs reach along each axis.
"""
import bisect
import functools
import itertools
import numbers
import operator

import dask.array as da
import numpy as np
from dask.array.overlap import ensure_minimum_chunksize
from dask.base import tokenize
from dask.highlevelgraph import HighLevelGraph
from dask.utils import funcname

from .. import conv2d as _conv2d
from .. import filters as _filters
from .. import separable as _separable
from .._checks import check_axis, check_int
from .._docs import fill
from .._modes import CONSTANT, WRAP, mode_code
from ..separable import _axes, _one_pass, _per_axis, _per_axis_kernels

__all__ = ["correlate1d", "convolve1d", "correlate_separable", "convolve_separable",
           "correlate2d", "convolve2d", "map_filter", "kernel_reach", "ndimage"]


_THREADS = """\
threads : int, optional
        Threads per task (default 1).  Each chunk is one task and a scheduler already runs
        one task per core (per worker thread), so more threads per task oversubscribe the
        cores; raise it only when there are fewer chunks than cores."""

_CHUNKS = """\
    Every chunk is filtered with its neighbours' samples as a halo, so the result equals
    ``axisconv.{name}`` on the whole (C-ordered) array, bit for bit, for every mode
    ('wrap' takes its halo from the far end of the array).  Chunks smaller than the halo
    along a filtered axis are merged with their neighbours first -- that axis only, and the
    result keeps the merged chunks; an axis shorter than the kernel becomes one chunk.
    Nothing is computed until the result is.{caveat}"""


def correlate1d(x, kernel, axis=-1, *, mode="reflect", cval=0.0, origin=0, threads=1):
    return _filter1d(_filters.correlate1d, x, kernel, axis, mode, cval, origin, threads, False)


def convolve1d(x, kernel, axis=-1, *, mode="reflect", cval=0.0, origin=0, threads=1):
    return _filter1d(_filters.convolve1d, x, kernel, axis, mode, cval, origin, threads, True)


def correlate_separable(x, kernels, axes=None, *, mode="reflect", cval=0.0, origin=0,
                        threads=1):
    return _filter_separable(_separable.correlate_separable, x, kernels, axes, mode, cval,
                             origin, threads, False)


def convolve_separable(x, kernels, axes=None, *, mode="reflect", cval=0.0, origin=0,
                       threads=1):
    return _filter_separable(_separable.convolve_separable, x, kernels, axes, mode, cval,
                             origin, threads, True)


def correlate2d(x, kernel, mode="same", boundary="fill", fillvalue=0, *, threads=1):
    return _filter2d(_conv2d.correlate2d, x, kernel, mode, boundary, fillvalue, threads, False)


def convolve2d(x, kernel, mode="same", boundary="fill", fillvalue=0, *, threads=1):
    return _filter2d(_conv2d.convolve2d, x, kernel, mode, boundary, fillvalue, threads, True)


_DOC_1D = """{What} along one axis of a dask array, chunk by chunk: ``axisconv.{name}``.

{CHUNKS}

    Parameters
    ----------
    x : dask.array.Array
        N-D input with NumPy chunks; dtypes as ``axisconv.{name}``.
    kernel : array_like
        1-D, non-empty.
    axis : int, optional
        The axis to filter along (default -1).
    {{MODES}}
    cval : scalar, optional
        The constant k of mode 'constant' (default 0.0).
    origin : int, optional
        Shifts the kernel: -(K // 2) <= origin <= (K - 1) // 2.  Default 0.
    {{THREADS}}

    Returns
    -------
    dask.array.Array

    Examples
    --------
    >>> import dask.array as da, axisconv.dask
    >>> x = da.arange(8.0, chunks=3)
    >>> axisconv.dask.{name}(x, [1, 2, 1]).compute()
    array({example})
"""

_DOC_SEPARABLE = """{What} along several axes of a dask array, one 1-D kernel per axis, chunk
    by chunk: ``axisconv.{name}``.

{CHUNKS}

    Parameters
    ----------
    x : dask.array.Array
        N-D input with NumPy chunks; dtypes as ``axisconv.{name}``.
    kernels : array_like or sequence of array_like
        One 1-D kernel used along every axis, or one kernel per axis of `axes`.
    axes : sequence of int, optional
        The axes to filter along.  Default: the last two.
    {{MODES}}
        May also be a sequence, one mode per axis.
    cval : scalar, optional
        The constant k of mode 'constant'.
    origin : int or sequence of int, optional
        Shifts each kernel, as in ``{short}1d``.
    {{THREADS}}

    Returns
    -------
    dask.array.Array

    Examples
    --------
    >>> import numpy as np, dask.array as da, axisconv.dask
    >>> img = da.from_array(np.eye(6, dtype=np.float32), chunks=4)
    >>> axisconv.dask.{name}(img, [0.25, 0.5, 0.25]).compute()[:2]
    array([[0.625 , 0.3125, 0.0625, 0.    , 0.    , 0.    ],
           [0.3125, 0.375 , 0.25  , 0.0625, 0.    , 0.    ]], dtype=float32)
"""

_DOC_2D = """{What} the last two axes of a dask array with a 2-D kernel, chunk by chunk:
    ``axisconv.{name}`` with ``mode='same'``.

{CHUNKS}

    Parameters
    ----------
    x : dask.array.Array
        (..., H, W) with NumPy chunks: leading axes are a batch of images.
    kernel : array_like
        (kh, kw), non-empty.
    mode : {{'same'}}, optional
        The output size: 'same' only (x's shape and chunks).  'full' and 'valid' change
        the size of the edge chunks alone; compute those from a 'same' result (or
        pad x first) if you need them.
    {{BOUNDARY}}
    {{THREADS}}

    Returns
    -------
    dask.array.Array

    Examples
    --------
    >>> import numpy as np, dask.array as da, axisconv.dask
    >>> img = da.from_array(np.eye(5), chunks=2)
    >>> axisconv.dask.{name}(img, np.ones((2, 2)), boundary="symm").compute()[0]
    array({example})
"""


def _doc(template, what, name, caveat="", **fields):
    chunks = _CHUNKS.format(name=name, caveat=caveat)
    return fill(template.format(What=what, name=name, CHUNKS=chunks, **fields)
                .replace("{THREADS}", _THREADS))


correlate1d.__doc__ = _doc(_DOC_1D, "Correlate", "correlate1d",
                           example="[ 1.,  4.,  8., 12., 16., 20., 24., 27.]")
convolve1d.__doc__ = _doc(_DOC_1D, "Convolve", "convolve1d",
                          example="[ 1.,  4.,  8., 12., 16., 20., 24., 27.]")
correlate_separable.__doc__ = _doc(_DOC_SEPARABLE, "Correlate", "correlate_separable",
                                   short="correlate")
convolve_separable.__doc__ = _doc(_DOC_SEPARABLE, "Convolve", "convolve_separable",
                                  short="convolve")
correlate2d.__doc__ = _doc(_DOC_2D, "Correlate", "correlate2d", caveat="",
                           example="[2., 1., 0., 0., 0.]")
convolve2d.__doc__ = _doc(_DOC_2D, "Convolve", "convolve2d", caveat="",
                          example="[4., 2., 0., 0., 0.]")


def _filter1d(inmemory, x, kernel, axis, mode, cval, origin, threads, convolve):
    _check_dask_array(x)
    func = functools.partial(inmemory, kernel=kernel, axis=axis, mode=mode, cval=cval,
                             origin=origin, threads=threads)
    dtype = _probe(func, x)  # every argument checked, as in memory
    axis = check_axis(axis, x.ndim)
    reach = {axis: kernel_reach(np.size(kernel), origin, convolve)}
    return map_filter(func, x, reach, periodic=[axis] if _wraps(mode) else (), dtype=dtype)


def _filter_separable(inmemory, x, kernels, axes, mode, cval, origin, threads, convolve):
    _check_dask_array(x)
    dtype = _probe(functools.partial(inmemory, kernels=kernels, axes=axes, mode=mode, cval=cval,
                                    origin=origin, threads=threads), x)
    axes = _axes(axes, x.ndim)
    passes = list(zip(axes, _per_axis_kernels(kernels, len(axes)),
                      _per_axis(mode, len(axes), "mode"), _per_axis(origin, len(axes), "origin")))
    if dtype.kind != "c" and _order_free(passes, cval):
        # In memory, the passes run in the order of the array's strides; a block's strides
        # can tie where the array's do not (a chunk one sample wide), so give the block
        # that order already: it keeps it (the sort is stable).
        passes.sort(key=lambda p: int(np.prod(x.shape[p[0] + 1:])))
    axes, kernels, modes, origins = zip(*passes)
    func = functools.partial(inmemory, kernels=[np.asarray(k) for k in kernels], axes=axes,
                             mode=modes, cval=cval, origin=origins, threads=threads)
    reach = {a: kernel_reach(np.size(k), o, convolve) for a, k, _, o in passes}
    periodic = [a for a, _, m, _ in passes if _wraps(m)]
    return map_filter(func, x, reach, periodic=periodic, dtype=dtype)


def _order_free(passes, cval):
    """The in-memory rule: filters along different axes commute (and are reordered by
    stride) unless one pads with a nonzero constant."""
    return all(mode_code(m) != (CONSTANT, False) or cval == 0 for _, _, m, _ in passes)


def _filter2d(inmemory, x, kernel, mode, boundary, fillvalue, threads, convolve):
    _check_dask_array(x)
    if isinstance(mode, str) and mode.lower() in ("full", "valid"):
        raise ValueError(f"mode={mode!r}: axisconv.dask computes mode='same' only (the output "
                         "has x's shape and chunks)")
    func = functools.partial(inmemory, kernel=kernel, mode=mode, boundary=boundary,
                             fillvalue=fillvalue, threads=threads)
    dtype = _probe(func, x)
    kh, kw = np.shape(kernel)
    # 'same' centres the kernel as scipy.signal does: correlation on (K - 1) // 2 samples
    # before each output, convolution on K // 2.
    reach = {x.ndim - 2: _same_reach(kh, convolve), x.ndim - 1: _same_reach(kw, convolve)}
    periodic = (x.ndim - 2, x.ndim - 1) if _wraps(boundary) else ()
    return map_filter(func, x, reach, periodic=periodic, dtype=dtype)


def _same_reach(k, convolve):
    return (k // 2, (k - 1) // 2) if convolve else ((k - 1) // 2, k // 2)


# --- the generic wrapper --------------------------------------------------------------------

def map_filter(func, x, reach, *, periodic=(), dtype=None):
    """Run an in-memory filter over the chunks of a dask array, exact at chunk borders.

    Every public function of this module is this call with one of axisconv's in-memory
    functions; wrapping another filter takes a few lines, e.g. scipy's::

        def gaussian_filter(x, sigma, mode="reflect", truncate=4.0):
            func = functools.partial(scipy.ndimage.gaussian_filter, sigma=sigma, mode=mode,
                                     truncate=truncate)
            radius = int(truncate * sigma + 0.5)     # the kernel has 2 * radius + 1 taps
            return map_filter(func, x, radius, periodic=range(x.ndim) if mode == "wrap" else ())

    (bit for bit equal to scipy.ndimage.gaussian_filter on the whole array).  Inside this
    module, ``_wraps(mode)`` knows every spelling of 'wrap', ``kernel_reach(K, origin)``
    gives a 1-D kernel's reach, and ``threads=threads`` (default 1) is bound into `func`.

    Parameters
    ----------
    func : callable
        ``func(block) -> ndarray``: the in-memory filter with all its other arguments bound
        (``functools.partial``; module-level functions and partials of them pickle for a
        distributed cluster).  Must return an array of the block's shape, and apply its
        boundary mode at the block's edges, for at the edges of the whole array the block
        has no halo.  Bind ``threads=1`` (or a small number): every chunk is a task, and a
        cluster already runs one task per core.
    x : dask.array.Array
        The input, with NumPy chunks of known sizes.
    reach : int, sequence or dict
        How far each output reads along each axis: ``(left, right)`` means output i reads
        inputs ``i - left ... i + right``.  One int r is ``(r, r)`` along every axis; a
        sequence gives one int or pair per axis; a dict ``{axis: int or pair}`` leaves the
        other axes at 0.  For a 1-D kernel of K taps in scipy.ndimage's convention,
        ``kernel_reach(K, origin)`` gives the pair.  Too large is safe (only slower); too
        small gives wrong values near chunk borders.
    periodic : iterable of int, optional
        The axes along which `func` wraps around ('wrap' mode).  Their halo at the edges of
        the array is taken from the far end.
    dtype : numpy dtype, optional
        The result's dtype.  Default: found by calling `func` once on a one-element array of
        x's dtype, which also checks func's arguments now rather than inside a worker.
        Nothing of x is computed either way.

    Returns
    -------
    dask.array.Array
        The filtered array, with `x`'s chunks -- except along axes whose chunks were
        smaller than the halo (see Notes).

    Notes
    -----
    Each chunk is filtered on its own (no halo copied in), and the outputs
    within reach of a border with a neighbour -- or with the far end, along periodic axes --
    are redone from an edge: the samples they read, gathered from the chunks that hold them
    (a few rows around each border, as thin as the reach) and filtered, then written over
    the chunk's own result.  A chunk smaller than ``max(left, right)`` (or than
    ``max(left, right) + 1`` when the reach is one-sided) along a filtered axis would be all
    edge, so it is merged with its neighbours first: only the axes that need it are
    rechunked (``dask.array.overlap.ensure_minimum_chunksize``), and the result keeps those
    merged chunks.  An axis shorter than that becomes one chunk (the filter then sees the
    whole axis and needs no halo along it).  dask itself is never left to rechunk.

    Blocks reach `func` in C order (a block in another layout is copied), so that filters
    whose order of operations follows the strides (the fused separable pass) run as they
    would on the computed, C-ordered array.
    """
    _check_dask_array(x)
    reach = _reach_per_axis(reach, x.ndim)
    periodic = {check_axis(a, x.ndim, "periodic") for a in periodic}
    if dtype is None:
        dtype = _probe(func, x)
    dtype = np.dtype(dtype)
    run = functools.partial(_run_block, func)
    meta = np.empty((0,) * x.ndim, dtype)
    if x.size == 0:
        return x.map_blocks(run, dtype=dtype, meta=meta, token=f"axisconv-{funcname(func)}")
    chunks, halo_axes = _plan(x.chunks, reach)
    if chunks != x.chunks:
        x = x.rechunk(chunks)
    return _filter_chunks(run, x, reach, halo_axes, periodic, meta, f"axisconv-{funcname(func)}")


def _filter_chunks(run, x, reach, halo_axes, periodic, meta, prefix):
    """The filtered array: each chunk filtered on its own, and the outputs within reach of a
    border with a neighbour (or the far end, along periodic axes) redone from an edge: the
    few rows around that border, made of pieces cut from the chunks that hold them.

    Per chunk, one task cuts every piece read from it (by its own edges and its
    neighbours'); then the chunk's own task filters the chunk and its edges, and writes the
    edges over the outputs they redo.  Only the cuts cross workers, and nothing waits for a
    chunk's result but the caller.  A chunk's task also takes its own cut, so that a worker
    cuts its chunks before it filters them and its neighbours get their pieces early.
    Measured designs (benchmarks/TUNING.md): dask's map_overlap extends each chunk by its
    halo, a copy made once the neighbours' halos arrive; a task per piece, or per chunk and
    neighbour, costs more in distributed's per-task overhead than the thin pieces a
    neighbour receives but does not read; and a group of many tasks with few inputs (pieces
    of 4 chunks) is placed anywhere by distributed, copying whole chunks across workers."""
    token = tokenize(x, run, reach, halo_axes, sorted(periodic))
    name, cut = f"{prefix}-{token}", f"{prefix}-cut-{token}"
    starts = [np.cumsum((0,) + c).tolist() for c in x.chunks]
    cuts = {}  # x's block index -> {the block whose edges read them -> slices}
    edges_of = {}
    for idx in itertools.product(*(range(len(c)) for c in x.chunks)):
        block = [(starts[a][i], starts[a][i + 1]) for a, i in enumerate(idx)]
        edges, regions = [], []
        for a, lo, hi in _edge_slabs(block, halo_axes, reach, periodic, x.shape):
            out = list(block)
            out[a] = (lo, hi)
            edges.append(_edge_task(cuts, idx, run, x, out, reach, halo_axes, periodic,
                                    starts))
            regions.append(tuple(slice(o - b, p - b) for (o, p), (b, _) in zip(out, block)))
        edges_of[idx] = edges, tuple(regions)
    layer = {(cut,) + src: (functools.partial(_cut, slices=tuple(by_reader.values())),
                            (x.name,) + src)
             for src, by_reader in cuts.items()}
    for idx, (edges, regions) in edges_of.items():
        if idx not in cuts:  # no edges either: the chunk alone
            layer[(name,) + idx] = (run, (x.name,) + idx)
            continue
        edges = [(edge, [_piece(cuts, cut, idx, src, n) for src, n in pieces])
                 for edge, pieces in edges]
        layer[(name,) + idx] = (functools.partial(_chunk, run, regions), (x.name,) + idx,
                                (cut,) + idx, edges)
    graph = HighLevelGraph.from_collections(name, layer, dependencies=[x])
    return da.Array(graph, name, x.chunks, meta=meta)


def _piece(cuts, cut, reader, src, n):
    """The task giving piece n that block `reader` reads from block `src`'s cut."""
    return (operator.getitem, (operator.getitem, (cut,) + src, list(cuts[src]).index(reader)),
            n)


def _edge_slabs(block, halo_axes, reach, periodic, shape):
    """(axis, lo, hi): the outputs of `block` along `axis` that the block filtered on its own
    gets wrong, those within reach of a border with a neighbour (or the far end, along
    periodic axes) -- all of them in a block too short for the mode at the array's other end
    (its reflections reach back up to `reach` samples: they must stay inside)."""
    for a in halo_axes:
        (s, e), (left, right) = block[a], reach[a]
        far = a not in periodic
        if left and (s > 0 or not far):
            yield a, s, e if far and e == shape[a] and e - s <= right else min(s + left, e)
        if right and (e < shape[a] or not far):
            yield a, s if far and s == 0 and e - s <= left else max(e - right, s), e


def _edge_task(cuts, reader, run, x, out, reach, halo_axes, periodic, starts):
    """The task (run by the assembly of block `reader`) that filters the samples the outputs
    `out` (a (lo, hi) range per axis) read.  The pieces it takes from x's blocks are added to
    `cuts` (block -> {reader: slices}); the task lists them as (block, n), for the caller
    to replace by the tasks that give them (_piece)."""
    ranges = []
    for a, ((lo, hi), (left, right)) in enumerate(zip(out, reach)):
        # (along other axes, the chunk's own range: all of the axis, or no reach along it)
        if a in halo_axes and a in periodic:
            lo, hi = lo - left, hi + right
        elif a in halo_axes:
            lo, hi = max(lo - left, 0), min(hi + right, x.shape[a])
        ranges.append((lo, hi))
    parts, pieces = [], []
    for segments in itertools.product(*(_segments(lo, hi, n, st) for (lo, hi), n, st
                                        in zip(ranges, x.shape, starts))):
        src = tuple(b for _, b, _ in segments)
        slices = cuts.setdefault(src, {}).setdefault(reader, [])
        pieces.append((src, len(slices)))
        slices.append(tuple(s for _, _, s in segments))
        parts.append(tuple(d for d, _, _ in segments))
    shape = tuple(hi - lo for lo, hi in ranges)
    inner = tuple(slice(o - r, p - r) for (o, p), (r, _) in zip(out, ranges))
    return (functools.partial(_edge, run, shape, x.dtype, tuple(parts), inner), pieces)


def _segments(lo, hi, n, starts):
    """[(slice of the range, chunk index, slice of that chunk)] covering positions [lo, hi)
    of an axis of length n cut at `starts` (positions outside [0, n) wrap around)."""
    segments, pos = [], lo
    while pos < hi:
        p = pos % n
        b = bisect.bisect_right(starts, p) - 1
        stop = min(starts[b + 1], p + hi - pos)  # the end of the chunk or of the range
        segments.append((slice(pos - lo, pos - lo + stop - p), b,
                         slice(p - starts[b], stop - starts[b])))
        pos += stop - p
    return segments


def _edge(run, shape, dtype, parts, inner, pieces):
    """The filter on the samples gathered from `pieces`, cut to the outputs wanted."""
    region = np.empty(shape, dtype)
    for where, piece in zip(parts, pieces):
        region[where] = piece
    return run(region)[inner].copy()  # (not a view keeping all of the region's result)


def _cut(block, slices):
    """The pieces of a chunk that edges read, one tuple per reading block (copies: a view
    would keep the chunk)."""
    return tuple(tuple(block[s].copy() for s in of_reader) for of_reader in slices)


def _chunk(run, regions, block, _cut_first, edges):
    """The chunk filtered on its own, with the edges' values written over the outputs they
    redo (`regions`).  `_cut_first`, the chunk's own cut, is unused: taking it makes the
    chunk's pieces ready before this task runs."""
    result = run(block)
    for values, where in zip(edges, regions):
        result[where] = values
    return result


def kernel_reach(size, origin=0, convolve=False):
    """``(left, right)``: how far an output of a 1-D filter with `size` taps and `origin`
    (scipy.ndimage's convention) reads before and after itself."""
    # _one_pass gives the correlation offset the in-memory functions use (convolution
    # flips the kernel and mirrors the origin): output i reads x[i - offset + t].
    _, _, offset, _ = _one_pass(0, np.zeros(size), "reflect", origin, convolve)
    return offset, size - 1 - offset


def _probe(func, x):
    """The dtype of ``func`` on x's dtype, from one call on a one-element array: checks
    func's arguments as the in-memory function does, before any graph is built."""
    return func(np.zeros((1,) * x.ndim, x.dtype)).dtype


def _run_block(func, block):
    """func on a block in C order: a block in another layout (a chunk of a transposed
    array, say, or one row of it, whose axis of one sample has any stride) is copied, so a
    filter that orders its passes by stride orders them as it would on a C-ordered array."""
    strides = [abs(s) for s in block.strides]
    if strides != sorted(strides, reverse=True):
        block = block.copy(order="C")  # (NumPy calls a column of a transposed array C-ordered)
    result = func(block)
    if np.may_share_memory(result, block):  # _chunk writes edges into it
        result = result.copy()
    return result


def _check_dask_array(x):
    if not isinstance(x, da.Array):
        raise TypeError(f"x must be a dask array, got {type(x).__name__}; for NumPy arrays "
                        "use the functions of axisconv itself")
    if not isinstance(x._meta, np.ndarray):
        raise TypeError(f"x must have NumPy chunks, got chunks of {type(x._meta).__name__}")
    if any(np.isnan(c) for axis in x.chunks for c in axis):
        raise ValueError("x has chunks of unknown size; call x.compute_chunk_sizes() first")


def _reach_per_axis(reach, ndim):
    """reach as a list of ndim (left, right) pairs of ints >= 0."""
    if isinstance(reach, dict):
        given = {check_axis(a, ndim, "reach") for a in reach}
        if len(given) != len(reach):
            raise ValueError(f"reach names an axis twice: {sorted(reach)}")
        per_axis = [0] * ndim
        for a, r in reach.items():
            per_axis[a % ndim] = r
    elif isinstance(reach, numbers.Integral):
        per_axis = [reach] * ndim
    elif isinstance(reach, (list, tuple)):
        per_axis = list(reach)
        if len(per_axis) != ndim:
            raise ValueError(f"reach has {len(per_axis)} entries for {ndim} axes")
    else:
        raise TypeError(f"reach must be an int, a sequence or a dict, got {reach!r}")
    return [_reach_pair(r) for r in per_axis]


def _reach_pair(r):
    if isinstance(r, numbers.Integral):
        r = (r, r)
    if not (isinstance(r, (list, tuple)) and len(r) == 2):
        raise TypeError(f"reach must give an int or a (left, right) pair per axis, got {r!r}")
    return check_int(r[0], "reach", 0), check_int(r[1], "reach", 0)


def _plan(chunks, reach):
    """(chunks, halo axes): chunks at least as large as the halo along every filtered axis
    (merged where smaller), and the axes whose chunks need their neighbours' samples -- not
    those of one chunk (the filter sees all of it)."""
    new_chunks, halo_axes = [], []
    for axis, (c, (left, right)) in enumerate(zip(chunks, reach)):
        halo = max(left, right)
        # A chunk shorter than the halo would be all edge, redone from several neighbours;
        # with a one-sided reach, an edge chunk also holds the reflections of 'mirror'.
        least = halo + (min(left, right) == 0) if halo else 0
        if len(c) > 1 and min(c) < least:
            c = ensure_minimum_chunksize(least, c) if sum(c) >= least else (sum(c),)
        new_chunks.append(c)
        if len(c) > 1 and halo:
            halo_axes.append(axis)
    return tuple(new_chunks), halo_axes


def _wraps(mode):
    return mode_code(mode)[0] == WRAP


from . import ndimage  # (last: it builds on map_filter)
