"""axisconv.dask on the threaded scheduler and on a distributed LocalCluster of two worker
processes (started and shut down here), a large irregularly chunked array, every SIMD path,
and map_filter wrapping another library's filter."""
import doctest
import functools
import logging
import subprocess
import sys

import numpy as np
import pytest
from _axc_dask import check_all, data, kernel

import axisconv

da = pytest.importorskip("dask.array")
ad = axisconv.dask


def _mixed_cases(shape=(64, 90), chunks=((10, 30, 24), (16, 40, 34))):
    """A little of everything on irregular chunks: (what, lazy, expected)."""
    x = data(shape, np.float32)
    d = da.from_array(x, chunks=chunks)
    k, long_k = kernel(7, "symmetric"), kernel(31)
    k2 = np.random.default_rng(3).standard_normal((4, 5))
    kw_sep = dict(mode=("wrap", "mirror"), origin=(-3, 2))
    return [
        ("correlate1d wrap axis 0", ad.correlate1d(d, long_k, axis=0, mode="wrap"),
         axisconv.correlate1d(x, long_k, axis=0, mode="wrap")),
        ("convolve1d constant axis 1", ad.convolve1d(d, k, mode="constant", cval=3.0, origin=1),
         axisconv.convolve1d(x, k, mode="constant", cval=3.0, origin=1)),
        ("correlate_separable", ad.correlate_separable(d, [k, long_k], **kw_sep),
         axisconv.correlate_separable(x, [k, long_k], **kw_sep)),
        ("convolve_separable", ad.convolve_separable(d, long_k, mode="nearest"),
         axisconv.convolve_separable(x, long_k, mode="nearest")),
        ("correlate2d", ad.correlate2d(d, k2, boundary="wrap"),
         axisconv.correlate2d(x, k2, "same", boundary="wrap")),
        ("convolve2d", ad.convolve2d(d, k2, boundary="symm"),
         axisconv.convolve2d(x, k2, "same", boundary="symm")),
    ]


def test_threaded_scheduler():
    check_all(_mixed_cases(), scheduler="threads")


@pytest.fixture(scope="module")
def client():
    """Two worker processes of one thread each, as the issue asks; shut down afterwards."""
    distributed = pytest.importorskip("distributed")
    cluster = distributed.LocalCluster(n_workers=2, processes=True, threads_per_worker=1,
                                       dashboard_address=None, silence_logs=logging.ERROR)
    try:
        with distributed.Client(cluster) as c:
            yield c
    finally:
        cluster.close()


def test_distributed_cluster(client):
    assert len(client.scheduler_info()["workers"]) == 2
    check_all(_mixed_cases(), scheduler=client)


LARGE_CHUNKS = ((300, 250, 331, 275, 289, 260, 295), (420, 377, 401, 389, 413))  # 7 x 5, uneven


def _large_cases(d, x):
    """2000 x 2000 float32 in a 7 x 5 grid of uneven chunks."""
    g = kernel(31, "symmetric")
    k2 = np.random.default_rng(11).standard_normal((5, 5))
    return [
        ("Gaussian-like separable K=31", ad.correlate_separable(d, g),
         axisconv.correlate_separable(x, g)),
        ("correlate1d K=31 wrap along columns", ad.correlate1d(d, g, axis=0, mode="wrap"),
         axisconv.correlate1d(x, g, axis=0, mode="wrap")),
        ("convolve2d 5x5 fill", ad.convolve2d(d, k2), axisconv.convolve2d(x, k2, "same")),
    ]


def test_large_irregular_chunks_threaded():
    x = data((2000, 2000), np.float32)
    check_all(_large_cases(da.from_array(x, chunks=LARGE_CHUNKS), x), scheduler="threads")


def test_large_irregular_chunks_distributed(client):
    # Made on the cluster, as data loaded with dask would be (not shipped in the graph).
    d = da.random.default_rng(7).standard_normal((2000, 2000), chunks=LARGE_CHUNKS,
                                                 dtype=np.float32)
    x = d.compute(scheduler=client)
    check_all(_large_cases(d, x), scheduler=client)


def test_every_simd_path(simd):
    check_all(_mixed_cases(shape=(40, 70), chunks=((7, 20, 13), (16, 30, 24))))


# --- map_filter: wrapping another filter --------------------------------------------------

def test_map_filter_wraps_scipy_gaussian():
    ndi = pytest.importorskip("scipy.ndimage")
    x = data((60, 75))
    d = da.from_array(x, chunks=((20, 25, 15), (30, 45)))
    radius = 5  # int(truncate * sigma + 0.5)
    cases = []
    for mode in ("reflect", "mirror", "wrap", "constant"):
        f = functools.partial(ndi.gaussian_filter, sigma=1.5, truncate=3.0, mode=mode, cval=0.5)
        periodic = (0, 1) if mode == "wrap" else ()
        for reach in (radius, [radius, (radius, radius)], {0: radius, -1: (radius, radius)}):
            cases.append((f"{mode} reach={reach}", ad.map_filter(f, d, reach, periodic=periodic),
                          f(x)))
    check_all(cases)


def test_map_filter_needs_the_whole_reach():
    """A reach too small gives wrong values near chunk borders: the halo is what makes the
    results exact (and the comparison above able to fail)."""
    ndi = pytest.importorskip("scipy.ndimage")
    x = data((60, 75))
    d = da.from_array(x, chunks=(20, 25))
    f = functools.partial(ndi.gaussian_filter, sigma=1.5, truncate=3.0)
    short = ad.map_filter(f, d, 4).compute(scheduler="sync")
    assert not np.allclose(short, f(x), rtol=1e-6, atol=1e-9)
    np.testing.assert_array_equal(ad.map_filter(f, d, 5).compute(scheduler="sync"), f(x))


def test_map_filter_arguments():
    d = da.ones((10, 12), chunks=5)
    same = functools.partial(axisconv.correlate1d, kernel=[1.0, 2.0, 1.0])
    assert ad.map_filter(same, d, {1: 1}).dtype == np.float64
    assert ad.map_filter(same, d.astype(np.float32), 1).dtype == np.float32
    assert ad.map_filter(same, d, 1, dtype=np.float32).dtype == np.float32  # as told
    with pytest.raises(ValueError, match="reach"):
        ad.map_filter(same, d, -1)
    with pytest.raises(ValueError, match="reach"):
        ad.map_filter(same, d, [1, 1, 1])
    with pytest.raises(ValueError, match="reach"):
        ad.map_filter(same, d, {0: 1, -2: 1})
    with pytest.raises(TypeError, match="reach"):
        ad.map_filter(same, d, 1.5)
    with pytest.raises(ValueError, match="periodic"):
        ad.map_filter(same, d, 1, periodic=[2])
    with pytest.raises(TypeError, match="dask array"):
        ad.map_filter(same, np.ones((10, 12)), 1)
    assert ad.kernel_reach(31) == (15, 15)
    assert ad.kernel_reach(4) == (2, 1) and ad.kernel_reach(4, convolve=True) == (1, 2)
    assert ad.kernel_reach(7, origin=3) == (6, 0) and ad.kernel_reach(7, -3) == (0, 6)


def test_docstring_examples():
    result = doctest.testmod(ad, optionflags=doctest.NORMALIZE_WHITESPACE, report=True)
    assert result.attempted >= 6 and result.failed == 0


def test_import_axisconv_does_not_import_dask():
    code = ("import sys, axisconv; assert 'dask' not in sys.modules, 'dask imported'; "
            "m = axisconv.dask; assert 'dask.array' in sys.modules; "
            "import axisconv.dask as d; assert d is m; print(m.correlate1d.__name__)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=False)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "correlate1d"
    with pytest.raises(AttributeError, match="no_such_thing"):
        axisconv.no_such_thing  # noqa: B018
