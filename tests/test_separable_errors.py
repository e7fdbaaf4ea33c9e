"""correlate_separable / convolve_separable argument errors (docs/contract.md §7): ValueError
for a bad value, TypeError for a value of the wrong type, with a message naming the argument;
per-axis arguments as arrays."""
import inspect

import numpy as np
import pytest
from _axc_testing import call, names, raises_naming, random_kernel, random_values

import axisconv

FUNCS = ["correlate_separable", "convolve_separable"]


# --------------------------------------------------------------------------
# Errors (docs/contract.md §7): the message names the argument
# --------------------------------------------------------------------------
X = np.arange(42.0).reshape(6, 7)
X3 = np.arange(60.0).reshape(3, 4, 5)
K3 = np.array([1.0, 2.0, 3.0])


@pytest.mark.parametrize("fname", FUNCS)
def test_signature(fname):
    params = inspect.signature(getattr(axisconv, fname)).parameters
    assert list(params) == ["x", "kernels", "axes", "mode", "cval", "origin", "out",
                            "dtype", "threads"]
    for name in ("mode", "cval", "origin", "out", "dtype", "threads"):
        assert params[name].kind == inspect.Parameter.KEYWORD_ONLY
    assert params["axes"].default is None
    assert params["mode"].default == "reflect"


@pytest.mark.parametrize("fname", FUNCS)
@pytest.mark.parametrize("axes", [(0, 0), (2, -1), (0, 1, 0), (-3, 0)])
def test_repeated_axes(fname, axes):
    raises_naming(ValueError, "axes", getattr(axisconv, fname), X3, K3, axes)


@pytest.mark.parametrize("fname", FUNCS)
@pytest.mark.parametrize("axes", [(0, 3), (-4, 1), 3, (5,), (0, 2**40)])
def test_axes_out_of_range(fname, axes):
    raises_naming(ValueError, "axes", getattr(axisconv, fname), X3, K3, axes)


@pytest.mark.parametrize("fname", FUNCS)
@pytest.mark.parametrize("axes", [(0.0, 1), ("0", 1), (0, None), 1.0, (True, 0)])
def test_axes_not_integers(fname, axes):
    raises_naming(TypeError, "axes", getattr(axisconv, fname), X3, K3, axes)


@pytest.mark.parametrize("fname", FUNCS)
def test_empty_axes(fname):
    raises_naming(ValueError, "axes", getattr(axisconv, fname), X3, K3, ())


@pytest.mark.parametrize("fname", FUNCS)
@pytest.mark.parametrize("kernels,axes", [
    ([K3, K3, K3], None), ([K3], None), ([K3, K3], (0, 1, 2)), (np.ones((3, 3)), None),
    ([K3, K3, K3], (0,)), ([], None)])
def test_wrong_number_of_kernels(fname, kernels, axes):
    raises_naming(ValueError, "kernels", getattr(axisconv, fname), X3, kernels, axes)


@pytest.mark.parametrize("fname", FUNCS)
@pytest.mark.parametrize("kernels", [[], np.array([]), [K3, []], [[], K3], np.zeros((2, 0))])
def test_empty_kernel(fname, kernels):
    raises_naming(ValueError, "kernels", getattr(axisconv, fname), X, kernels)


@pytest.mark.parametrize("fname", FUNCS)
@pytest.mark.parametrize("kernels", [np.ones((2, 3, 3)), [K3, np.ones((2, 2))], 3.0])
def test_kernel_not_1d(fname, kernels):
    raises_naming(ValueError, "kernels", getattr(axisconv, fname), X, kernels)


@pytest.mark.parametrize("fname", FUNCS)
def test_wrong_number_of_modes_and_origins(fname):
    f = getattr(axisconv, fname)
    raises_naming(ValueError, "mode", f, X3, K3, mode=["wrap"])
    raises_naming(ValueError, "mode", f, X3, K3, mode=("wrap", "reflect", "mirror"))
    raises_naming(ValueError, "mode", f, X3, K3, (0, 1, 2), mode=("wrap", "reflect"))
    raises_naming(ValueError, "origin", f, X3, K3, origin=[0])
    raises_naming(ValueError, "origin", f, X3, K3, origin=(0, 0, 0))
    raises_naming(ValueError, "origin", f, X3, K3, (2,), origin=(0, 0))


@pytest.mark.parametrize("fname", FUNCS)
def test_unknown_mode(fname):
    f = getattr(axisconv, fname)
    for mode in ("bogus", ["reflect", "bogus"], ["full", "wrap"]):
        with pytest.raises(ValueError) as info:
            f(X, K3, mode=mode)
        assert names(str(info.value), "mode") and "reflect" in str(info.value)
    raises_naming(TypeError, "mode", f, X, K3, mode=["reflect", 3])


@pytest.mark.parametrize("fname", FUNCS)
@pytest.mark.parametrize("K,origin", [(3, 2), (3, -2), (4, 2), (4, -3), (1, 1), (1, -1)])
def test_origin_out_of_range(fname, K, origin):
    f = getattr(axisconv, fname)
    k = np.ones(K)
    raises_naming(ValueError, "origin", f, X, k, origin=origin)
    raises_naming(ValueError, "origin", f, X, [np.ones(5), k], origin=[0, origin])
    raises_naming(ValueError, "origin", f, X, [k, np.ones(5)], origin=(origin, 0))


@pytest.mark.parametrize("fname", FUNCS)
@pytest.mark.parametrize("origin", [0.5, "1", [0, 1.5], None])
def test_origin_not_an_integer(fname, origin):
    raises_naming(TypeError, "origin", getattr(axisconv, fname), X, K3, origin=origin)


@pytest.mark.parametrize("fname", FUNCS)
@pytest.mark.parametrize("out_shape", [(6, 6), (7, 6), (42,), (1, 6, 7), ()])
def test_out_wrong_shape(fname, out_shape):
    out = np.full(out_shape, 7.0)
    raises_naming(ValueError, "out", getattr(axisconv, fname), X, K3, out=out)
    assert (out == 7.0).all()


@pytest.mark.parametrize("fname", FUNCS)
@pytest.mark.parametrize("x_dtype,kernels,out_dtype", [
    (np.float64, K3, np.float32), (np.float32, K3, np.float64), (np.int32, K3, np.int32),
    (np.float64, K3, np.complex128), (np.float64, [K3, K3 * 1j], np.float64),
    (np.float32, [K3 * 1j, K3], np.complex128), (np.complex64, K3, np.complex128)])
def test_out_wrong_dtype(fname, x_dtype, kernels, out_dtype):
    x = np.ones((6, 7), x_dtype)
    out = np.zeros((6, 7), out_dtype)
    raises_naming(TypeError, "out", getattr(axisconv, fname), x, kernels, out=out)
    assert (out == 0).all()


@pytest.mark.parametrize("fname", FUNCS)
def test_out_read_only_or_not_an_array(fname):
    f = getattr(axisconv, fname)
    out = np.zeros((6, 7))
    out.flags.writeable = False
    raises_naming(ValueError, "out", f, X, K3, out=out)
    assert (out == 0).all()
    raises_naming(ValueError, "out", f, X, K3, out=np.broadcast_to(0.0, (6, 7)))
    x = X.copy()
    x.flags.writeable = False
    raises_naming(ValueError, "out", f, x, K3, out=x)
    np.testing.assert_array_equal(x, X)
    raises_naming(TypeError, "out", f, X, K3, out=X.tolist())


@pytest.mark.parametrize("fname", FUNCS)
def test_bad_threads_and_x(fname):
    f = getattr(axisconv, fname)
    for t in (0, -1):
        raises_naming(ValueError, "threads", f, X, K3, threads=t)
    for t in (1.5, "2"):
        raises_naming(TypeError, "threads", f, X, K3, threads=t)
    raises_naming(ValueError, "x", f, np.float64(3.0), K3)
    raises_naming(TypeError, "x", f, np.array(["a", "b"]), K3)
    raises_naming(TypeError, "cval", f, X, K3, mode="constant", cval="z")


@pytest.mark.parametrize("fname", FUNCS)
def test_zero_size_input_is_still_validated(fname):
    f = getattr(axisconv, fname)
    x = np.zeros((0, 5))
    raises_naming(ValueError, "axes", f, x, K3, (0, 0))
    raises_naming(ValueError, "axes", f, x, K3, (0, 2))
    raises_naming(ValueError, "kernels", f, x, [])
    raises_naming(ValueError, "origin", f, x, K3, origin=2)
    raises_naming(ValueError, "mode", f, x, K3, mode="bogus")
    raises_naming(ValueError, "threads", f, x, K3, threads=0)
    raises_naming(ValueError, "out", f, x, K3, out=np.zeros((5, 0)))


@pytest.mark.parametrize("fname", FUNCS)
def test_per_axis_arguments_as_arrays(fname):
    """Per-axis axes / origins given as NumPy arrays (as scipy.ndimage accepts
    for its sequence arguments) mean the same as lists."""
    rng = np.random.default_rng(24)
    x = random_values(rng, (9, 10), np.float64)
    ks = [random_kernel(rng, 4), random_kernel(rng, 5)]
    ref = call(fname, x, ks, [0, 1], mode="wrap", origin=[1, -2])
    got = call(fname, x, ks, np.array([0, 1]), mode="wrap", origin=[1, -2])
    assert got.tobytes() == ref.tobytes()
    got = call(fname, x, ks, [0, 1], mode="wrap", origin=np.array([1, -2]))
    assert got.tobytes() == ref.tobytes()
