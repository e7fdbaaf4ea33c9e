"""convolve2d / correlate2d argument errors (docs/contract.md §1, §4, §7): ValueError or
TypeError, as the contract and scipy.signal say, with a message naming the argument."""
import inspect
import warnings

import numpy as np
import pytest
import scipy.signal as ss
from _axc_testing import names, raises_naming
from _signal_testing import FUNCS

import axisconv

# --------------------------------------------------------------------------
# Errors (docs/contract.md §7): the message names the argument
# --------------------------------------------------------------------------
X = np.arange(42.0).reshape(6, 7)
K = np.ones((3, 3))


@pytest.mark.parametrize("fname", FUNCS)
def test_signature(fname):
    params = inspect.signature(getattr(axisconv, fname)).parameters
    assert list(params) == ["x", "kernel", "mode", "boundary", "fillvalue", "dtype",
                            "threads"]
    assert params["threads"].kind == inspect.Parameter.KEYWORD_ONLY
    assert params["mode"].default == "full"
    assert params["boundary"].default == "fill"
    assert params["fillvalue"].default == 0


@pytest.mark.parametrize("fname", FUNCS)
@pytest.mark.parametrize("kernel", [np.ones(3), np.ones((2, 2, 2)), np.float64(1.0), [1.0, 2.0]],
                         ids=["1d", "3d", "0d", "list1d"])
def test_kernel_not_2d(fname, kernel):
    raises_naming(ValueError, "kernel", getattr(axisconv, fname), X, kernel)


@pytest.mark.parametrize("fname", FUNCS)
@pytest.mark.parametrize("kshape", [(0, 3), (3, 0), (0, 0)])
def test_empty_kernel(fname, kshape):
    raises_naming(ValueError, "kernel", getattr(axisconv, fname), X, np.ones(kshape))


@pytest.mark.parametrize("fname", FUNCS)
@pytest.mark.parametrize("x", [np.ones(5), np.float64(2.0), [1.0, 2.0]], ids=["1d", "0d", "list"])
def test_x_fewer_than_two_dims(fname, x):
    raises_naming(ValueError, "x", getattr(axisconv, fname), x, K)


@pytest.mark.parametrize("fname", FUNCS)
def test_bad_dtypes(fname):
    f = getattr(axisconv, fname)
    raises_naming(TypeError, "x", f, np.array([["a", "b"]]), K)
    raises_naming(TypeError, "x", f, np.ones((3, 3), np.float16), K)
    raises_naming(TypeError, "kernel", f, X, np.array([["a", "b"]]))


@pytest.mark.parametrize("fname", FUNCS)
@pytest.mark.parametrize("mode", ["bogus", "reflect", "fill", "", "fulll"])
def test_unknown_mode(fname, mode):
    with pytest.raises(ValueError) as info:
        getattr(axisconv, fname)(X, K, mode)
    msg = str(info.value)
    assert names(msg, "mode") and "same" in msg and "valid" in msg, msg


@pytest.mark.parametrize("fname", FUNCS)
@pytest.mark.parametrize("mode", [1, None])
def test_mode_not_a_string(fname, mode):
    """docs/contract.md §1: ValueError in the scipy.signal family, as scipy.signal raises."""
    raises_naming(ValueError, "mode", getattr(axisconv, fname), X, K, mode)
    with pytest.raises(ValueError):
        getattr(ss, fname)(X, K, mode)


@pytest.mark.parametrize("fname", FUNCS)
@pytest.mark.parametrize("boundary", ["bogus", "full", "pad", "symmetrical"])
def test_unknown_boundary(fname, boundary):
    raises_naming(ValueError, "boundary", getattr(axisconv, fname), X, K, "same", boundary)


@pytest.mark.parametrize("fname", FUNCS)
def test_boundary_not_a_string(fname):
    """docs/contract.md §1: ValueError in the scipy.signal family, as scipy.signal raises."""
    raises_naming(ValueError, "boundary", getattr(axisconv, fname), X, K, "same", 0)
    with pytest.raises(ValueError):
        getattr(ss, fname)(X, K, "same", 0)


@pytest.mark.parametrize("fname", FUNCS)
@pytest.mark.parametrize("threads,exc", [(0, ValueError), (-1, ValueError), (1.5, TypeError),
                                         ("2", TypeError)])
def test_bad_threads(fname, threads, exc):
    for k in (K, np.ones((5, 5))):   # both routes
        raises_naming(exc, "threads", getattr(axisconv, fname), X, k, threads=threads)


@pytest.mark.parametrize("fname", FUNCS)
def test_fillvalue_as_scipy_takes_it(fname):
    """scipy.signal's rules: ValueError for what is not one number; a one-element array,
    None (NaN) and numeric strings are accepted; a complex fillvalue for real data raises
    scipy's ValueError, except a NumPy complex scalar, which keeps its real part with a
    ComplexWarning."""
    f, ref = getattr(axisconv, fname), getattr(ss, fname)
    for bad in ("a", [1, 2], [], np.ones((2, 1)), 1 + 2j, np.array([1j])):
        raises_naming(ValueError, "fillvalue", f, X, K, "full", "fill", bad)
        with pytest.raises(ValueError), warnings.catch_warnings():
            warnings.simplefilter("ignore", np.exceptions.ComplexWarning)
            ref(X, K, "full", "fill", bad)
    # scipy raises OverflowError here; we raise ValueError naming the argument
    raises_naming(ValueError, "fillvalue", f, X, K, "full", "fill", 2**2000)
    for good in (np.array([2.5]), [2.5], np.array([[2.5]]), "2.5", np.float32(2.5), None):
        np.testing.assert_allclose(f(X, K, "full", "fill", good),
                                   ref(X, K, "full", "fill", good), rtol=1e-12)
    for value in (np.complex128(1 + 2j), np.complex64(1 + 2j)):
        with pytest.warns(np.exceptions.ComplexWarning) as record:
            got = f(X, K, "full", "fill", value)
        assert record[0].filename == __file__  # the warning points at the call
        with pytest.warns(np.exceptions.ComplexWarning):
            want = ref(X, K, "full", "fill", value)
        np.testing.assert_allclose(got, want, rtol=1e-12)


@pytest.mark.parametrize("fname", FUNCS)
def test_errors_before_work_on_zero_size(fname):
    f = getattr(axisconv, fname)
    x = np.zeros((2, 0, 5))
    raises_naming(ValueError, "mode", f, x, K, "bogus")
    raises_naming(ValueError, "boundary", f, x, K, "same", "bogus")
    raises_naming(ValueError, "kernel", f, x, np.ones(3))
    raises_naming(ValueError, "threads", f, x, K, threads=0)
