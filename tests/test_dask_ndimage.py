"""axisconv.dask.ndimage against axisconv.ndimage on the whole array: bit for bit (the same
kernels run, and every output is one sum in one order however the array is cut: contract
§8), for every mode name, per-axis modes, odd and even sizes, extreme origins, Gaussian
orders and radii, irregular chunks, chunks smaller than the halo and axes shorter than it.

Synchronous scheduler, except test_threaded_scheduler.  The failure tests show what the
halo, the per-term halos and the chunk rule are for: without them the comparison fails.
"""
import doctest
import functools

import numpy as np
import pytest
from _axc_dask import check_all, data
from hypothesis import given, settings
from hypothesis import strategies as st

import axisconv
from axisconv import ndimage as ndi

da = pytest.importorskip("dask.array")
import axisconv.dask
from axisconv.dask import ndimage as dndi

# The dask functions care whether a mode wraps; the aliases 'grid-mirror' and
# 'grid-constant' (the in-memory function's business) run in the per-axis tests.
MODES = ["reflect", "mirror", "nearest", "wrap", "grid-wrap", "constant"]
ALL_MODES = MODES + ["grid-mirror", "grid-constant"]

SHAPE = (23, 31)
CHUNKINGS = [(SHAPE, ((5, 1, 9, 8), (7, 2, 22))),     # irregular, chunks of 1 and 2
             ((11, 13), (3, 4)),                      # every chunk below most halos
             (SHAPE, SHAPE)]                          # one chunk


def inputs(dtypes=(np.float32, np.float64)):
    """(x, d) for every chunking, the dtypes taking turns."""
    for i, (shape, chunks) in enumerate(CHUNKINGS):
        x = data(shape, dtypes[i % len(dtypes)], seed=i)
        yield x, da.from_array(x, chunks=chunks)


def both(name, x, d, *args, **kwargs):
    """(label, lazy, expected): the dask function on d, the in-memory one on x."""
    lazy = getattr(dndi, name)(d, *args, **kwargs)
    return f"{name}{args} {kwargs}", lazy, getattr(ndi, name)(x, *args, **kwargs)


def weights(size, seed=0):
    return np.random.default_rng(100 + seed).standard_normal(size)


# --- 1-D kernels along one axis ------------------------------------------------------------

@pytest.mark.parametrize("mode", MODES)
def test_one_axis(mode):
    cases = []
    for x, d in inputs():
        for axis in (0, -1):
            kw = dict(axis=axis, mode=mode, cval=-0.75)
            # (size, origin): one tap, even and odd, extreme origins (one-sided reaches)
            for size, origin in [(1, 0), (4, 1), (7, -3)]:
                cases.append(both("correlate1d", x, d, weights(size), origin=origin, **kw))
            for size, origin in [(2, -1), (7, 3)]:
                cases += [both("convolve1d", x, d, weights(size), origin=origin, **kw),
                          both("uniform_filter1d", x, d, size + 2, origin=origin, **kw)]
            for sigma, order, extra in [(1.5, 2, {"radius": 9}), (3.0, 3, {"truncate": 2.5})]:
                cases.append(both("gaussian_filter1d", x, d, sigma, order=order, **kw,
                                  **extra))
    check_all(cases)


# --- N-D kernels ---------------------------------------------------------------------------

@pytest.mark.parametrize("mode", MODES)
def test_nd_kernels(mode):
    cases = []
    rng = np.random.default_rng(5)
    kernels = [rng.standard_normal((1, 1)), rng.standard_normal((2, 3)),
               np.outer(weights(4), weights(4, 1)),             # splits into passes
               rng.integers(-3, 4, (6, 5)).astype(float),       # integer taps
               np.array([[1.0, 0, 0, 2, 0]]).T]                 # one axis, zero taps
    for x, d in inputs():
        for w in kernels:
            origin = [(n - 1) // 2 if i else -(n // 2) for i, n in enumerate(w.shape)]
            cases += [both("correlate", x, d, w, mode=mode, cval=2.5, origin=origin),
                      both("convolve", x, d, w, mode=mode, cval=2.5, origin=origin)]
    check_all(cases)


@pytest.mark.parametrize("mode", ["reflect", "wrap", "constant"])
def test_nd_kernels_over_some_axes_of_a_volume(mode):
    x = data((9, 12, 17))
    d = da.from_array(x, chunks=(2, (5, 7), (3, 14)))
    w3 = np.random.default_rng(6).standard_normal((3, 2, 4))
    w2 = np.random.default_rng(7).standard_normal((2, 5))
    cases = []
    for name in ("correlate", "convolve"):
        cases += [both(name, x, d, w3, mode=mode, origin=(1, -1, 0)),
                  # all axes, permuted: the origins stay with the input's axes (scipy's rule)
                  both(name, x, d, w3, mode=mode, axes=(2, 0, 1), origin=(1, -1, 0)),
                  both(name, x, d, w2, mode=mode, axes=(2, 0), origin=(2, -1)),
                  both(name, x, d, w2, mode=mode, axes=(0, 1), origin=(-1, 2)),
                  both(name, x, d, w2[0], mode=mode, axes=-1, origin=2),
                  both(name, x, d, np.ones((3, 0, 3, 3)), mode=mode)]  # nothing summed
    check_all(cases)


# --- several axes: per-axis arguments ------------------------------------------------------

def test_uniform_and_gaussian_per_axis():
    cases = []
    for x, d in inputs():
        for modes in [("wrap", "grid-mirror"), ("grid-constant", "grid-wrap"),
                      ("mirror", "nearest")]:
            for cval in (0.0, 1.25):
                kw = dict(mode=modes, cval=cval)
                cases += [both("uniform_filter", x, d, (4, 7), origin=(1, -3), **kw),
                          both("uniform_filter", x, d, (1, 2.5), **kw),
                          both("uniform_filter", x, d, 5, axes=(1, 0), **kw),
                          both("gaussian_filter", x, d, (1.0, 2.5), order=(2, 1), **kw),
                          both("gaussian_filter", x, d, (0, 1.5), order=(1, 0), **kw),
                          both("gaussian_filter", x, d, 2.0, radius=(1, 6), truncate=3.0,
                               axes=(1, 0), **kw),
                          both("gaussian_filter", x, d, 0.9, order=3, axes=[0], mode=modes[0],
                               cval=cval)]
    check_all(cases)


def test_derivatives():
    cases = []
    for x, d in inputs():
        for modes in [("wrap", "grid-wrap"), ("wrap", "mirror"), ("constant", "nearest")]:
            kw = dict(mode=modes, cval=0.5)
            cases += [both("sobel", x, d, axis=0, **kw), both("sobel", x, d, **kw),
                      both("prewitt", x, d, axis=1, **kw), both("laplace", x, d, **kw),
                      both("laplace", x, d, axes=[1], mode=modes[0]),
                      both("gaussian_laplace", x, d, (1.2, 2.0), **kw),
                      both("gaussian_laplace", x, d, 1.5, axes=(1,), mode=modes[1]),
                      both("gaussian_laplace", x, d, 0.8, radius=[2, 7], **kw),
                      both("gaussian_gradient_magnitude", x, d, (2.0, 0.7), **kw),
                      both("gaussian_gradient_magnitude", x, d, 1.0, axes=(0,),
                           truncate=2.0, mode=modes[0], cval=0.5)]
    check_all(cases)


def test_volumes_integers_and_complex():
    """Three axes (a fused pair and a pass in place); integer outputs (stored after every
    pass, as in memory); complex input."""
    cases = []
    rng = np.random.default_rng(8)
    for dtype in (np.float32, np.int16, np.uint8, np.complex64):
        x = (data((7, 9, 20)) * 50).astype(dtype) if np.dtype(dtype).kind in "iu" else \
            data((7, 9, 20), dtype)
        d = da.from_array(x, chunks=(3, (2, 7), (6, 1, 13)))
        for output in (None, np.complex128 if np.dtype(dtype).kind == "c" else np.float64):
            kw = dict(output=output, mode=("wrap", "constant", "reflect"), cval=1.0)
            cases += [both("gaussian_filter", x, d, (1.0, 0.6, 2.0), **kw),
                      both("uniform_filter", x, d, (2, 3, 4), **kw),
                      both("sobel", x, d, axis=1, **kw), both("laplace", x, d, **kw),
                      both("correlate", x, d, rng.standard_normal((2, 3, 3)),
                           output=output, mode="mirror"),
                      both("gaussian_laplace", x, d, 1.0, **kw),
                      both("gaussian_gradient_magnitude", x, d, 1.0, **kw)]
    check_all(cases)


# --- chunks and halos ----------------------------------------------------------------------

@pytest.mark.parametrize("mode", ["reflect", "mirror", "wrap", "constant"])
def test_axes_shorter_than_the_reach(mode):
    x = data((6, 40), np.float32)
    d = da.from_array(x, chunks=(2, 7))
    kw = dict(mode=mode, cval=2.0)
    cases = [both("gaussian_filter", x, d, 4.0, **kw),              # radius 16 > 6 rows
             both("uniform_filter1d", x, d, 31, axis=0, origin=-15, **kw),
             both("correlate1d", x, d, weights(50), axis=1, **kw),  # 50 taps > 40 columns
             both("convolve", x, d, np.ones((9, 45)), **kw),
             both("gaussian_gradient_magnitude", x, d, 3.0, **kw)]
    assert cases[0][1].chunks[0] == (6,) and min(cases[0][1].chunks[1]) >= 16
    one = data((1, 40))
    cases += [both("gaussian_filter", one, da.from_array(one, chunks=(1, 9)), 2.0, **kw),
              both("sobel", one, da.from_array(one, chunks=(1, 9)), **kw)]
    check_all(cases)


def test_chunks_smaller_than_the_halo_rechunk_that_axis_only():
    x = data((40, 54))
    d = da.from_array(x, chunks=(3, 18))
    along0 = dndi.gaussian_filter1d(d, 1.0, axis=0)               # radius 4 > 3: merged
    assert along0.chunks[1] == d.chunks[1] and min(along0.chunks[0]) >= 4
    along1 = dndi.uniform_filter1d(d, 9, axis=1)                  # 18 holds a halo of 4
    assert along1.chunks == d.chunks
    small = dndi.sobel(d)                                         # a halo of 1: nothing
    assert small.chunks == d.chunks
    check_all([("axis 0", along0, ndi.gaussian_filter1d(x, 1.0, axis=0)),
               ("axis 1", along1, ndi.uniform_filter1d(x, 9, axis=1)),
               ("sobel", small, ndi.sobel(x))])


def test_one_sample_chunks_between_filtered_axes():
    """The passes along several axes run in the order of their strides, which tie across
    axes of one sample: a block one sample long between two filtered axes would order them
    otherwise than the whole array, and its bits would differ (map_filter of the in-memory
    function shows it).  Such an axis is merged into chunks of two; others are left."""
    cases = []
    x = data((30, 6))  # a Gaussian of radius 0 (one tap of -1 / sigma^2) along axis 1
    d = da.from_array(x, chunks=(10, 1))
    kw = dict(sigma=(2.0, 0.3), order=(0, 2), radius=(5, 0))
    cases.append(("radius 0", dndi.gaussian_filter(d, **kw), ndi.gaussian_filter(x, **kw)))
    assert cases[-1][1].chunks == ((10, 10, 10), (2, 2, 2))
    # (a chunk of a C-ordered array keeps the array's strides; one of a transposed array is
    # copied to C order, where the axis of one sample ties)
    dt = da.from_array(np.ascontiguousarray(x.T), chunks=(1, 10)).T
    cases.append(("radius 0, transposed", dndi.gaussian_filter(dt, **kw), cases[-1][2]))
    naive = axisconv.dask.map_filter(functools.partial(ndi.gaussian_filter, **kw), dt, {0: 5})
    assert naive.compute(scheduler="sync").tobytes() != cases[-1][2].tobytes()
    v = data((20, 6, 1))  # a Gaussian along an axis of length 1, after one not filtered
    dv = da.from_array(v, chunks=(7, 1, 1))
    kw = dict(sigma=(2.0, 0, 1.3))
    cases.append(("length 1", dndi.gaussian_filter(dv, **kw), ndi.gaussian_filter(v, **kw)))
    assert cases[-1][1].chunks[1] == (2, 2, 2)
    naive = axisconv.dask.map_filter(functools.partial(ndi.gaussian_filter, **kw), dv, {0: 8})
    assert naive.compute(scheduler="sync").tobytes() != cases[-1][2].tobytes()
    stack = data((4, 9, 20), np.float32)  # frames one per chunk, filtered within: kept
    ds = da.from_array(stack, chunks=(1, 9, 20))
    cases.append(("frames", dndi.gaussian_filter(ds, 1.5, axes=(1, 2)),
                  ndi.gaussian_filter(stack, 1.5, axes=(1, 2))))
    assert cases[-1][1].chunks == ds.chunks
    check_all(cases)


def test_terms_that_wrap_differently_get_their_own_halos():
    """gaussian_laplace and gaussian_gradient_magnitude smooth along every axis in each
    term's mode: with 'wrap' for one term and not for another, no one halo serves both."""
    x = data(SHAPE)
    d = da.from_array(x, chunks=(8, 10))
    cases = []
    for name in ("gaussian_laplace", "gaussian_gradient_magnitude"):
        kw = dict(sigma=1.5, mode=("wrap", "reflect"))
        cases.append(both(name, x, d, **kw))
        one_halo = axisconv.dask.map_filter(functools.partial(getattr(ndi, name), **kw), d, 6,
                                            periodic=(0, 1))
        assert not np.allclose(one_halo.compute(scheduler="sync"), cases[-1][2])
        for output in (">f8", ">f4", np.int16):  # the terms combined keep the output's type
            cases.append(both(name, x, d, output=output, **kw))
    check_all(cases)


def test_too_small_a_reach_fails_near_chunk_borders():
    """The halo is what makes the comparisons above able to pass: one sample short, the
    outputs next to chunk borders differ and the others do not."""
    x = data((40, 50))
    d = da.from_array(x, chunks=(20, 25))
    f = functools.partial(ndi.gaussian_filter, sigma=1.5, truncate=3.0)  # radius 5
    expected = f(x)
    short = axisconv.dask.map_filter(f, d, 4).compute(scheduler="sync")
    wrong = short != expected
    assert wrong.any()
    rows, cols = np.nonzero(wrong)
    assert np.all((np.abs(rows - 19.5) < 5) | (np.abs(cols - 24.5) < 5))
    np.testing.assert_array_equal(axisconv.dask.map_filter(f, d, 5).compute(
        scheduler="sync"), expected)


# --- arguments, threads, laziness ----------------------------------------------------------

def _raise_when_computed(block):
    raise RuntimeError("computed a block at graph-build time")


def test_arguments_are_checked_before_anything_is_computed():
    x = da.zeros((30, 40), chunks=(7, 16), dtype=np.float32).map_blocks(
        _raise_when_computed, dtype=np.float32, meta=np.empty((0, 0), np.float32))
    lazy = [dndi.gaussian_filter(x, 2.0, output="float64"), dndi.sobel(x, mode="wrap"),
            dndi.correlate(x, np.ones((3, 3))), dndi.uniform_filter(x, output=np.int16)]
    assert [r.dtype for r in lazy] == [np.float64, np.float32, np.float32, np.int16]
    for result in lazy:
        with pytest.raises(RuntimeError, match="graph-build time"):
            result.compute(scheduler="sync")
    with pytest.raises(RuntimeError, match="mode"):          # scipy's exception types
        dndi.gaussian_filter(x, 2.0, mode="periodic")
    with pytest.raises(ValueError, match="origin"):
        dndi.correlate1d(x, [1, 2, 3], origin=2)
    with pytest.raises(RuntimeError, match="sigma"):
        dndi.gaussian_filter(x, [1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="output.*new dask array"):
        dndi.sobel(x, output=np.empty((30, 40), np.float32))
    with pytest.raises(ValueError, match="threads"):
        dndi.laplace(x, threads=0)
    with pytest.raises(TypeError, match="dask array"):
        dndi.prewitt(np.ones((4, 4)))


def test_threads_reach_the_engine(monkeypatch):
    """threads= is what the C core is asked for, in each task (scipy's signatures have
    none; the in-memory function takes axisconv's default, passed on as 0: the C core
    looks it up only for a call large enough to use threads)."""
    from axisconv.ndimage import _engine
    seen = []
    original = _engine.run_correlate1d
    monkeypatch.setattr(_engine, "run_correlate1d",
                        lambda *args: seen.append(args[-1]) or original(*args))
    x = data((20, 30))
    d = da.from_array(x, chunks=(10, 15))
    default = 0
    cases = []
    for threads in (1, 3, None):
        lazy = dndi.gaussian_filter1d(d, 1.0, threads=threads)  # probed on `threads`
        cases.append((f"threads={threads}", lazy, ndi.gaussian_filter1d(x, 1.0)))
    assert seen == [1, default, 3, default, default, default]
    seen.clear()
    check_all(cases)  # four chunks each, and an edge of each at the border between columns
    assert sorted(seen) == sorted([1] * 8 + [3] * 8 + [default] * 8)


def test_dtypes_meta_and_empty_arrays():
    cases = []
    for shape in [(0, 5), (4, 0)]:
        x = np.zeros(shape, np.float32)
        d = da.from_array(x, chunks=2)
        cases += [both("gaussian_filter", x, d, 1.0), both("convolve", x, d, np.ones((2, 2))),
                  both("sobel", x, d, output=np.float64)]
    x = (data((6, 20)) * 9).astype(np.int8)
    d = da.from_array(x, chunks=(4, 8))
    cases += [both("uniform_filter", x, d), both("uniform_filter", x, d, output="float32"),
              both("gaussian_filter1d", x, d, 1.0, output=np.float32)]
    check_all(cases)


def test_zero_dimensional_arrays():
    """A 0-d array is filtered, or refused, as in memory (its blocks became 1-d: results of
    shape (1,), a sobel of a 0-d array computed, correlate1d a ZeroDivisionError)."""
    x = np.array(2.5)
    d = da.from_array(x)
    cases = [both("gaussian_filter", x, d, 1.0), both("correlate", x, d, np.ones(())),
             both("uniform_filter", x, d, 3), both("laplace", x, d),
             both("gaussian_gradient_magnitude", x, d, 1.0)]
    check_all(cases)
    for name, args in (("sobel", ()), ("correlate1d", ([1.0, 2.0],)),
                       ("gaussian_filter1d", (1.0,))):
        with pytest.raises(np.exceptions.AxisError):
            getattr(ndi, name)(x, *args)
        with pytest.raises(np.exceptions.AxisError):
            getattr(dndi, name)(d, *args)


def test_threaded_scheduler():
    x = data((40, 64), np.float32)
    d = da.from_array(x, chunks=((10, 17, 13), (16, 30, 18)))
    kw = dict(mode=("wrap", "mirror"))
    check_all([both("gaussian_filter", x, d, 2.0, **kw), both("uniform_filter", x, d, 5, **kw),
               both("sobel", x, d, **kw), both("gaussian_laplace", x, d, 1.0, **kw),
               both("convolve", x, d, np.ones((3, 4)), mode="wrap")], scheduler="threads")


def test_docstring_examples():
    result = doctest.testmod(dndi, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted >= 5 * len(dndi.__all__) and result.failed == 0


# --- property test -------------------------------------------------------------------------

FILTERS = {  # name: draw(data, ndim) -> (args, kwargs)
    "correlate1d": lambda s, n: ((weights(s.draw(st.integers(1, 12))),), {}),
    "uniform_filter": lambda s, n: ((s.draw(st.integers(1, 9)),), {}),
    "gaussian_filter": lambda s, n: ((s.draw(st.floats(0.05, 3.0)),),
                                     {"order": s.draw(st.integers(0, 2))}),
    "sobel": lambda s, n: ((), {"axis": s.draw(st.integers(-n, n - 1))}),
    "gaussian_laplace": lambda s, n: ((s.draw(st.floats(0.5, 2.0)),), {}),
    "correlate": lambda s, n: ((weights(s.draw(st.integers(1, 4)) * 2 ** (n - 1))
                                .reshape((-1,) + (2,) * (n - 1)),), {}),
}


@settings(max_examples=30)
@given(st.data())
def test_random_cases(draw):
    ndim = draw.draw(st.integers(1, 3), "ndim")
    shape = tuple(draw.draw(st.lists(st.integers(1, 14), min_size=ndim, max_size=ndim)))
    chunks = tuple(draw.draw(st.integers(1, n)) for n in shape)
    name = draw.draw(st.sampled_from(sorted(FILTERS)), "filter")
    args, kwargs = FILTERS[name](draw, ndim)
    kwargs["mode"] = draw.draw(st.sampled_from(ALL_MODES), "mode")
    kwargs["cval"] = draw.draw(st.sampled_from([0.0, -2.0]), "cval")
    x = data(shape, draw.draw(st.sampled_from([np.float32, np.float64]), "dtype"))
    check_all([both(name, x, da.from_array(x, chunks=chunks), *args, **kwargs)])
