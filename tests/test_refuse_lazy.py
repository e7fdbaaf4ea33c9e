"""The plain functions refuse arrays NumPy would silently compute or copy in full (a dask
array above all: it points to axisconv.dask) and keep accepting cheap array-likes."""
import numpy as np
import pytest
from _axc_testing import raises_naming

import axisconv
from axisconv import on1d

da = pytest.importorskip("dask.array")


def _raise_when_computed(block):
    raise RuntimeError("the dask array was computed")


def lazy(shape, dtype=np.float64):
    """A dask array whose blocks raise if anything computes them."""
    return da.zeros(shape, dtype=dtype, chunks=4).map_blocks(
        _raise_when_computed, dtype=dtype, meta=np.empty((0,) * len(shape), dtype))


K3, K2D = np.array([1.0, 2.0, 1.0]), np.ones((2, 3))
FILTERS = np.ones((3, 2, 4), np.float32)

# (name, call taking the array under test as x)
DATA_CALLS = [
    ("correlate1d", lambda x: axisconv.correlate1d(x, K3)),
    ("convolve1d", lambda x: axisconv.convolve1d(x, K3, axis=0)),
    ("correlate_separable", lambda x: axisconv.correlate_separable(x, K3)),
    ("convolve_separable", lambda x: axisconv.convolve_separable(x, [K3, K3[:2]])),
    ("correlate2d", lambda x: axisconv.correlate2d(x, K2D)),
    ("convolve2d", lambda x: axisconv.convolve2d(x, K2D, "same")),
    ("on1d.single_row", lambda x: on1d.single_row(x, K2D)),
    ("on1d.replicated", lambda x: on1d.replicated(x, K2D, rows=3)),
    ("on1d.lagged", lambda x: on1d.lagged(x, K2D, rows=3)),
    ("on1d.filter_bank", lambda x: on1d.filter_bank(x, K2D, combine="sum")),
    ("on1d.lag_matrix", lambda x: on1d.lag_matrix(x, rows=3)),
    ("conv1d", lambda x: axisconv.conv1d(x, FILTERS)),
]


@pytest.mark.parametrize("name, call", DATA_CALLS, ids=[n for n, _ in DATA_CALLS])
def test_dask_data_is_refused_and_points_to_axisconv_dask(name, call):
    x = lazy((6, 8, 2), np.float32)  # raises RuntimeError, not TypeError, if computed
    error = raises_naming(TypeError, "x", call, x)
    assert "dask" in str(error)
    if name != "on1d.lag_matrix":  # a helper that only builds an array: nothing to filter
        assert "axisconv.dask" in str(error)


KERNEL_CALLS = [
    ("kernel", lambda k: axisconv.correlate1d(np.ones(8), k)),
    ("kernels", lambda k: axisconv.correlate_separable(np.ones((8, 8)), [k, K3])),
    ("kernel", lambda k: axisconv.convolve2d(np.ones((8, 8)), k.reshape(1, 3))),
    ("kernel", lambda k: axisconv.separate(k.reshape(1, 3))),
    ("kernel", lambda k: on1d.filter_bank(np.ones(8), k.reshape(1, 3))),
    ("filters", lambda k: axisconv.conv1d(np.ones((5, 1), np.float32), k.reshape(3, 1, 1))),
    ("bias", lambda k: axisconv.conv1d(np.ones((5, 1), np.float32), FILTERS[:, :1, :3],
                                       bias=k)),
]


@pytest.mark.parametrize("argname, call", KERNEL_CALLS, ids=[n for n, _ in KERNEL_CALLS])
def test_dask_kernels_are_refused(argname, call):
    k = da.from_array(K3, chunks=2)
    error = raises_naming(TypeError, argname, call, k)
    assert f"{argname}.compute()" in str(error)


class DuckArray:
    """An array type of its own (as CuPy or sparse): NumPy would convert it in full."""

    def __init__(self, a):
        self.a = np.asarray(a)

    def __array__(self, dtype=None, copy=None):
        raise AssertionError("converted")

    def __array_function__(self, func, types, args, kwargs):
        return NotImplemented


def test_other_array_types_with_their_own_array_function_are_refused():
    duck = DuckArray(np.ones((4, 5)))
    error = raises_naming(TypeError, "x", axisconv.correlate1d, duck, K3)
    assert "np.asarray(x)" in str(error)
    raises_naming(TypeError, "kernel", axisconv.correlate1d, np.ones(5), DuckArray(K3))


class Subclass(np.ndarray):
    pass


class ArrayLike:
    """Has __array__ only (as a pandas Series or a CPU torch tensor), and a dask collection
    method that says it is not one (as an xarray DataArray holding NumPy data)."""

    def __init__(self, a):
        self.a = np.asarray(a)

    def __array__(self, dtype=None, copy=None):
        return self.a

    def __dask_graph__(self):
        return None


def test_cheap_array_likes_stay_accepted():
    x = np.random.default_rng(0).standard_normal((6, 8))
    expected = axisconv.correlate1d(x, K3)
    for like in (x.tolist(), tuple(map(tuple, x)), memoryview(x), x.view(Subclass),
                 np.ma.masked_array(x), ArrayLike(x)):
        np.testing.assert_array_equal(axisconv.correlate1d(like, K3.tolist()), expected)
    np.testing.assert_array_equal(axisconv.correlate_separable(ArrayLike(x), ArrayLike(K3)),
                                  axisconv.correlate_separable(x, K3))
    np.testing.assert_array_equal(on1d.lag_matrix(memoryview(x[0]), 2),
                                  on1d.lag_matrix(x[0], 2))


def test_computed_dask_arrays_work():
    """The advice in the message works: x.compute() is a NumPy array."""
    x = da.from_array(np.arange(12.0).reshape(3, 4), chunks=2)
    np.testing.assert_array_equal(axisconv.correlate1d(x.compute(), K3),
                                  axisconv.correlate1d(np.arange(12.0).reshape(3, 4), K3))
