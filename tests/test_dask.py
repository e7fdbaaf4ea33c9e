"""axisconv.dask against the in-memory functions: bit for bit, every mode, every chunking.

Small arrays, synchronous scheduler; test_dask_cluster.py runs the threaded scheduler, a
distributed LocalCluster and a large array.  Chunkings keep the last axis at least NARROW
wide (see _axc_dask.NARROW), except where noted and in test_narrow_chunks.
"""
import numpy as np
import pytest
from _axc_dask import KERNELS, MODES, NARROW, check_all, data, kernel
from hypothesis import given, settings
from hypothesis import strategies as st

import axisconv

dask = pytest.importorskip("dask")
da = pytest.importorskip("dask.array")
ad = axisconv.dask

SHAPE = (37, 54)
CHUNKINGS = {  # name: (shape, chunks)
    "regular": (SHAPE, (10, 18)),
    "irregular": (SHAPE, ((5, 20, 12), (16, 20, 18))),
    "smaller than the halo": ((16, 54), (3, 18)),
    "one chunk": (SHAPE, SHAPE),
}


@pytest.mark.parametrize("chunking", list(CHUNKINGS))
@pytest.mark.parametrize("axis", [0, 1])
@pytest.mark.parametrize("mode", MODES)
def test_filter1d(mode, axis, chunking):
    cases = []
    shape_x, chunks = CHUNKINGS[chunking]
    for dtype in (np.float32, np.float64):
        x = data(shape_x, dtype)
        d = da.from_array(x, chunks=chunks)
        for size, origin, shape in KERNELS:
            k = kernel(size, shape)
            for name in ("correlate1d", "convolve1d"):
                kw = dict(axis=axis, mode=mode, cval=-0.75, origin=origin)
                cases.append((f"{name} {dtype.__name__} K={size} origin={origin} {shape}",
                              getattr(ad, name)(d, k, **kw), getattr(axisconv, name)(x, k, **kw)))
    check_all(cases)


@pytest.mark.parametrize("mode", ["periodic", "grid-wrap", "BORDER_WRAP", "circular"])
def test_wrap_aliases_take_the_periodic_halo(mode):
    x = data(SHAPE)
    d = da.from_array(x, chunks=(10, 18))
    k = kernel(9)
    check_all([(f"axis {a}", ad.correlate1d(d, k, axis=a, mode=mode),
                axisconv.correlate1d(x, k, axis=a, mode=mode)) for a in (0, 1)]
              + [("2-D", ad.correlate2d(d, np.outer(k, k[:5]), boundary=mode),
                  axisconv.correlate2d(x, np.outer(k, k[:5]), "same", boundary=mode))])


SEPARABLE_CHUNKINGS = dict(CHUNKINGS, narrow=((20, 24), (7, 5)))  # the fused pass: one path


@pytest.mark.parametrize("chunking", list(SEPARABLE_CHUNKINGS))
@pytest.mark.parametrize("mode", MODES)
def test_separable(mode, chunking):
    cases = []
    shape_x, chunks = SEPARABLE_CHUNKINGS[chunking]
    for dtype in (np.float32, np.float64):
        x = data(shape_x, dtype)
        d = da.from_array(x, chunks=chunks)
        for (k0, o0, s0), (k1, o1, s1) in [(KERNELS[2], KERNELS[6]), (KERNELS[7], KERNELS[1]),
                                           (KERNELS[0], KERNELS[8])]:
            kernels = [kernel(k0, s0), kernel(k1, s1, seed=1)]
            for name in ("correlate_separable", "convolve_separable"):
                for axes, cval in [(None, 0.0), ((1, 0), 0.0), ((0, 1), 2.5)]:
                    kw = dict(axes=axes, mode=mode, cval=cval, origin=[o0, o1])
                    cases.append((f"{name} {dtype.__name__} K=({k0}, {k1}) axes={axes} "
                                  f"cval={cval}", getattr(ad, name)(d, kernels, **kw),
                                  getattr(axisconv, name)(x, kernels, **kw)))
    check_all(cases)


def test_separable_mixed_modes_and_one_kernel():
    x = data(SHAPE, np.float32)
    d = da.from_array(x, chunks=((5, 20, 12), (16, 20, 18)))
    k = kernel(7, "symmetric")
    cases = []
    for modes in [("wrap", "reflect"), ("constant", "wrap"), ("mirror", "nearest")]:
        kw = dict(mode=modes, cval=1.25, origin=(2, -3))
        cases.append((f"modes {modes}", ad.correlate_separable(d, k, **kw),
                      axisconv.correlate_separable(x, k, **kw)))
    kw = dict(axes=[1], mode="wrap")
    cases.append(("one axis", ad.convolve_separable(d, k, **kw),
                  axisconv.convolve_separable(x, k, **kw)))
    check_all(cases)


@pytest.mark.parametrize("mode", ["reflect", "wrap", "constant"])
def test_separable_3d_complex_and_integer(mode):
    cases = []
    shapes = {"float32": np.float32, "complex64": np.complex64, "int16": np.int16}
    for name, dtype in shapes.items():
        x = (data((9, 13, 40), np.float64) * 100).astype(dtype) if name == "int16" \
            else data((9, 13, 40), dtype)
        d = da.from_array(x, chunks=(2, (5, 8), (16, 24)))
        ks = [kernel(3), kernel(4, seed=1), kernel(17, "symmetric")]
        for axes in [(0, 1, 2), (2, 0, 1), (1, 2)]:
            kw = dict(axes=axes, mode=mode, cval=0.5)
            kernels = ks[:len(axes)]
            cases.append((f"{name} axes={axes}", ad.correlate_separable(d, kernels, **kw),
                          axisconv.correlate_separable(x, kernels, **kw)))
        kc = [kernel(5) + 1j * kernel(5, seed=2), kernel(3)]
        cases.append((f"{name} complex kernel", ad.convolve_separable(d, kc, mode=mode),
                      axisconv.convolve_separable(x, kc, mode=mode)))
    check_all(cases)


FILTER2D_CHUNKINGS = dict(CHUNKINGS, narrow=((20, 24), (7, 5)))  # 2-D kernels: one path


@pytest.mark.parametrize("chunking", list(FILTER2D_CHUNKINGS))
@pytest.mark.parametrize("boundary", ["fill", "symm", "wrap", "mirror", "nearest"])
def test_filter2d(boundary, chunking):
    cases = []
    rng = np.random.default_rng(5)
    kernels = {"1x1": rng.standard_normal((1, 1)), "2x3": rng.standard_normal((2, 3)),
               "rank-1 4x4": np.outer(kernel(4), kernel(4)), "6x7": rng.standard_normal((6, 7)),
               "1x9": rng.standard_normal((1, 9))}
    shape_x, chunks = FILTER2D_CHUNKINGS[chunking]
    for dtype in (np.float32, np.float64):
        x = data(shape_x, dtype)
        d = da.from_array(x, chunks=chunks)
        for label, k in kernels.items():
            for name in ("correlate2d", "convolve2d"):
                kw = dict(boundary=boundary, fillvalue=-1.5)
                cases.append((f"{name} {dtype.__name__} {label}", getattr(ad, name)(d, k, **kw),
                              getattr(axisconv, name)(x, k, "same", **kw)))
    check_all(cases)


def test_filter2d_batch_and_complex():
    x = data((3, 20, 33), np.complex128)
    d = da.from_array(x, chunks=(2, 7, (16, 17)))
    k = np.random.default_rng(6).standard_normal((4, 5))
    kc = k + 1j * np.random.default_rng(7).standard_normal((4, 5))
    check_all([(f"{name} {label} {b}", getattr(ad, name)(d, kk, "SAME", boundary=b),
                getattr(axisconv, name)(x, kk, "same", boundary=b))
               for name in ("correlate2d", "convolve2d")
               for label, kk in [("real", k), ("complex", kc)] for b in ("fill", "wrap")])


def test_filter2d_refuses_other_output_sizes():
    d = da.ones((10, 10), chunks=5)
    for mode in ("full", "valid", "VALID"):
        with pytest.raises(ValueError, match="same"):
            ad.correlate2d(d, np.ones((3, 3)), mode)
    with pytest.raises(ValueError, match="mode"):
        ad.convolve2d(d, np.ones((3, 3)), "middle")


def test_a_chunk_takes_only_the_thin_pieces_its_edges_read():
    """One task cuts from each chunk the pieces that its own and its neighbours' edges read
    (two edges per border between chunks, none at the ends of the array unless it wraps);
    the chunk's task then filters the chunk and its edges, from its own cut and its
    neighbours': no other chunk, nor any halo copied into it."""
    d = da.from_array(data((40, 30)), chunks=(10, 30))
    for mode, edges, around in (("reflect", 6, lambda i: {max(i - 1, 0), i, min(i + 1, 3)}),
                                ("wrap", 8, lambda i: {(i - 1) % 4, i, (i + 1) % 4})):
        r = ad.correlate1d(d, kernel(5), axis=0, mode=mode)  # reach 2 rows each side
        graph = r.__dask_graph__()
        deps = graph.get_all_dependencies()
        cut = {k[1:]: k for k in deps if "-cut-" in k[0]}
        for i in range(4):
            assert deps[(r.name, i, 0)] == {(d.name, i, 0)} | {cut[j, 0] for j in around(i)}
            assert deps[cut[i, 0]] == {(d.name, i, 0)}
            # its own edges read 4 of its rows each, a neighbour's edge 2 of them
            rows = sorted(p.shape[0] for p in _flatten(dask.get(graph, cut[i, 0])))
            neighbours = len(around(i)) - 1
            assert rows == [2] * neighbours + [4] * neighbours
        slices = sum(len(of_reader) for k in cut.values()
                     for of_reader in graph[k][0].keywords["slices"])
        assert slices == 2 * edges  # each edge reads its own chunk and a neighbour
    # an axis chunked but not filtered: an edge reads only its own chunk's columns
    d = da.from_array(data((40, 30)), chunks=(10, 10))
    r = ad.correlate1d(d, kernel(5), axis=0)
    deps = r.__dask_graph__().get_all_dependencies()
    for (_, row, column) in (k for k in deps if k[0] == r.name):
        cuts = [k for k in deps[(r.name, row, column)] if "-cut-" in k[0]]
        assert {k[2] for k in cuts} == {column} and len(cuts) == 1 + (row > 0) + (row < 3)


def _flatten(nested):
    return [a for part in nested for a in part]


def test_narrow_chunks():
    """Chunks narrower than NARROW along the last axis: a 1-D pass along axis 0 runs on the
    row path there and on the column path in memory, which sum every kernel in the same
    order (docs/contract.md §8): the same bits."""
    x = data(SHAPE, np.float32)
    d = da.from_array(x, chunks=(10, (5, 11, 1, 37)))
    assert min(d.chunks[1]) < NARROW <= x.shape[1]
    for k in [kernel(3), kernel(4, seed=1), kernel(7, "symmetric"), kernel(31)]:
        for mode in ("reflect", "wrap"):
            got = ad.correlate1d(d, k, axis=0, mode=mode).compute(scheduler="sync")
            np.testing.assert_array_equal(got, axisconv.correlate1d(x, k, axis=0, mode=mode))


def test_chunks_smaller_than_the_halo_rechunk_that_axis_only():
    x = data((40, 54))
    d = da.from_array(x, chunks=(3, 18))
    along0 = ad.correlate1d(d, kernel(9), axis=0)       # halo 4 > 3: axis 0 merged
    assert along0.chunks[1] == d.chunks[1]
    assert min(along0.chunks[0]) >= 4 and sum(along0.chunks[0]) == 40
    along1 = ad.correlate1d(d, kernel(9), axis=1)       # chunks of 18 hold a halo of 4
    assert along1.chunks == d.chunks
    one_sided = ad.correlate1d(d, kernel(7), axis=0, origin=3, mode="mirror")  # reach (6, 0)
    assert min(one_sided.chunks[0]) >= 7, "an edge chunk's mirror reads one past the reach"
    assert one_sided.chunks[1] == d.chunks[1]
    check_all([("axis 0", along0, axisconv.correlate1d(x, kernel(9), axis=0)),
               ("axis 1", along1, axisconv.correlate1d(x, kernel(9), axis=1)),
               ("one-sided", one_sided, axisconv.correlate1d(x, kernel(7), axis=0, origin=3,
                                                             mode="mirror"))])


@pytest.mark.parametrize("mode", MODES)
def test_axes_shorter_than_the_reach(mode):
    x = data((10, 20), np.float32)
    d = da.from_array(x, chunks=(3, 7))
    k = kernel(31, "symmetric")
    along0 = ad.correlate1d(d.rechunk((3, 20)), k, axis=0, mode=mode, cval=2.0)
    assert along0.chunks == ((10,), (20,))
    assert ad.correlate1d(d, k, axis=1).chunks == (d.chunks[0], (20,))
    cases = [("axis 0", along0, axisconv.correlate1d(x, k, axis=0, mode=mode, cval=2.0)),
             ("axis 1", ad.convolve1d(d, k, axis=1, mode=mode, origin=-15),
              axisconv.convolve1d(x, k, axis=1, mode=mode, origin=-15)),
             ("separable", ad.correlate_separable(d, [k, k[:12]], mode=mode),
              axisconv.correlate_separable(x, [k, k[:12]], mode=mode))]
    check_all(cases)


def test_source_layouts():
    """Blocks in other layouts (a transposed dask array's blocks are Fortran-ordered views;
    Fortran-ordered, reversed and strided NumPy sources), and chunks one sample wide along an
    axis the kernel does not reach (block strides that tie where the array's do not): the
    separable pass orders its passes as it would on the C-ordered array."""
    base = data((21, 40))
    cases = []
    k0, k1 = kernel(5), kernel(1)
    sources = {"transposed": lambda c: da.from_array(np.ascontiguousarray(base.T), c[::-1]).T,
               "fortran": lambda c: da.from_array(np.asfortranarray(base), c),
               "reversed": lambda c: da.from_array(base[::-1, ::-2], c),
               "c": lambda c: da.from_array(base, c)}
    for label, source in sources.items():
        for chunks in [(10, 16), (21, 40), (21, 16), (10, 1), (1, 16)]:
            d = source(chunks)
            expected = np.ascontiguousarray(d.compute(scheduler="sync"))
            for kernels in ([k0, k1], [k1, k0], [k0, k0[::-1]]):
                cases.append((f"{label} {chunks} K={[k.size for k in kernels]}",
                              ad.correlate_separable(d, kernels),
                              axisconv.correlate_separable(expected, kernels)))
    check_all(cases)


def test_dtypes_and_empty_arrays():
    cases = []
    for dtype in (np.bool_, np.int16, np.uint8, np.float32, np.float64, np.complex64):
        x = (data((12, 40)) * 3).astype(dtype) if np.dtype(dtype).kind in "biu" \
            else data((12, 40), dtype)
        d = da.from_array(x, chunks=(5, (16, 24)))
        cases.append((f"{dtype.__name__}", ad.correlate1d(d, kernel(3), axis=0),
                      axisconv.correlate1d(x, kernel(3), axis=0)))
    for shape in [(0, 5), (4, 0)]:
        x = np.zeros(shape, np.float32)
        d = da.from_array(x, chunks=2)
        cases.append((f"empty {shape}", ad.correlate_separable(d, kernel(5)),
                      axisconv.correlate_separable(x, kernel(5))))
        cases.append((f"empty 2-D {shape}", ad.convolve2d(d, np.ones((2, 2))),
                      axisconv.convolve2d(x, np.ones((2, 2)), "same")))
    check_all(cases)


def test_threads_per_task():
    x = data(SHAPE, np.float32)
    d = da.from_array(x, chunks=(20, 27))
    k = kernel(15, "symmetric")
    check_all([(f"threads={t}", ad.correlate_separable(d, k, threads=t),
                axisconv.correlate_separable(x, k, threads=1)) for t in (1, 2, None)])
    with pytest.raises(ValueError, match="threads"):
        ad.correlate_separable(d, k, threads=0)


def _raise_when_computed(block):
    raise RuntimeError("computed a block at graph-build time")


def _unknowable():
    """A dask array whose every block raises when computed."""
    base = da.zeros((30, 40), chunks=(7, 16), dtype=np.float32)
    return base.map_blocks(_raise_when_computed, dtype=np.float32,
                           meta=np.empty((0, 0), np.float32))


def test_nothing_is_computed_to_build_the_graph():
    x = _unknowable()
    k = kernel(5)
    lazy = [ad.correlate1d(x, k, axis=0, mode="wrap"), ad.convolve1d(x, k, origin=-2),
            ad.correlate_separable(x, [k, k[:2]]), ad.convolve_separable(x, k, mode="mirror"),
            ad.correlate2d(x, np.ones((3, 4)), boundary="wrap"), ad.convolve2d(x, np.eye(5)),
            ad.map_filter(lambda b: b, x, 3, dtype=np.float32)]
    for result in lazy:
        assert result.dtype == np.float32 and result.shape == x.shape
        with pytest.raises(RuntimeError, match="graph-build time"):
            result.compute(scheduler="sync")


def test_arguments_are_checked_before_the_graph_is_built():
    x = _unknowable()
    with pytest.raises(ValueError, match="mode"):
        ad.correlate1d(x, [1, 2], mode="bogus")
    with pytest.raises(ValueError, match="origin"):
        ad.convolve1d(x, [1, 2, 3], origin=2)
    with pytest.raises(ValueError, match="kernel"):
        ad.correlate1d(x, np.ones((2, 2)))
    with pytest.raises(ValueError, match="axis"):
        ad.correlate1d(x, [1, 2], axis=2)
    with pytest.raises(ValueError, match="axes"):
        ad.correlate_separable(x, [1, 2], axes=(0, 0))
    with pytest.raises(ValueError, match="kernels"):
        ad.correlate_separable(x, [[1, 2], [1], [3]])
    with pytest.raises(ValueError, match="boundary"):
        ad.correlate2d(x, np.ones((2, 2)), boundary="bogus")
    with pytest.raises(TypeError, match="dask array"):
        ad.correlate1d(np.ones(5), [1, 2])
    with pytest.raises(ValueError, match="compute_chunk_sizes"):
        ad.correlate1d(x[x[:, 0] > 0], [1, 2])


@settings(max_examples=25)
@given(st.data())
def test_filter1d_hypothesis(draw):
    ndim = draw.draw(st.integers(1, 3), "ndim")
    shape = draw.draw(st.lists(st.integers(1, 40), min_size=ndim, max_size=ndim), "shape")
    axis = draw.draw(st.integers(-ndim, ndim - 1), "axis")
    chunks = [draw.draw(st.integers(1, n), f"chunk {i}") for i, n in enumerate(shape)]
    # The axis the C core runs its vectors across (the last other axis of two or more
    # samples) is kept one chunk or chunks of at least NARROW (see test_narrow_chunks).
    across = [i for i, n in enumerate(shape) if n > 1 and i != axis % ndim][-1:]
    for i in across:
        n = shape[i]
        cut = draw.draw(st.integers(NARROW, n - NARROW), "cut") if n >= 2 * NARROW else n
        chunks[i] = (cut, n - cut) if cut < n else (n,)
    size = draw.draw(st.integers(1, 35), "K")
    origin = draw.draw(st.integers(-(size // 2), (size - 1) // 2), "origin")
    mode = draw.draw(st.sampled_from(MODES), "mode")
    dtype = draw.draw(st.sampled_from([np.float32, np.float64]), "dtype")
    shape_k = draw.draw(st.sampled_from(["general", "symmetric"]), "kernel shape")
    x, k = data(tuple(shape), dtype), kernel(size, shape_k)
    d = da.from_array(x, chunks=tuple(chunks))
    kw = dict(axis=axis, mode=mode, cval=0.25, origin=origin)
    check_all([("correlate1d", ad.correlate1d(d, k, **kw), axisconv.correlate1d(x, k, **kw)),
               ("convolve1d", ad.convolve1d(d, k, **kw), axisconv.convolve1d(x, k, **kw))])


@settings(max_examples=25)
@given(st.data())
def test_separable_hypothesis(draw):
    shape = tuple(draw.draw(st.lists(st.integers(1, 40), min_size=2, max_size=2), "shape"))
    chunks = tuple(draw.draw(st.integers(1, n), f"chunk {i}") for i, n in enumerate(shape))
    sizes = draw.draw(st.lists(st.integers(1, 33), min_size=2, max_size=2), "K")
    origins = [draw.draw(st.integers(-(s // 2), (s - 1) // 2), "origin") for s in sizes]
    modes = draw.draw(st.lists(st.sampled_from(MODES), min_size=2, max_size=2), "modes")
    cval = draw.draw(st.sampled_from([0.0, 1.5]), "cval")
    dtype = draw.draw(st.sampled_from([np.float32, np.float64]), "dtype")
    x = data(shape, dtype)
    kernels = [kernel(s, draw.draw(st.sampled_from(["general", "symmetric"]))) for s in sizes]
    d = da.from_array(x, chunks=chunks)
    kw = dict(mode=modes, cval=cval, origin=origins)
    check_all([(name, getattr(ad, name)(d, kernels, **kw),
                getattr(axisconv, name)(x, kernels, **kw))
               for name in ("correlate_separable", "convolve_separable")])
