"""Bad arguments: axisconv.ndimage raises what scipy.ndimage raises (an instance of scipy's
exception type: RuntimeError where scipy's C code raises it, AxisError -- a ValueError and
an IndexError -- for axes out of range), with a message that names the argument; and the
odd arguments scipy accepts are accepted, with scipy's result."""
import warnings

import numpy as np
import pytest
import scipy.ndimage as sndi

from _axc_testing import names
from _ndi_testing import call_both
from axisconv import ndimage as andi

X = np.arange(12.0).reshape(3, 4)
XC = X + 1j
READ_ONLY = np.lib.stride_tricks.as_strided(np.zeros((3, 4)), writeable=False)

# (function, positional arguments, keyword arguments, the argument the message must name)
BAD = [
    ("correlate1d", (X, []), {}, "weights"),
    ("correlate1d", (X, [[1, 2]]), {}, "weights"),
    ("correlate1d", (X, ["a"]), {}, "weights"),
    ("correlate1d", (X, [1, 2]), {"axis": 2}, "axis"),
    ("correlate1d", (X, [1, 2]), {"axis": 1.0}, "axis"),
    ("correlate1d", (np.float64(3), [1, 2]), {}, "axis"),
    ("correlate1d", (X, [1, 2]), {"origin": 1}, "origin"),
    ("correlate1d", (X, [1, 2, 3]), {"origin": 0.5}, "origin"),
    ("correlate1d", (X, [1, 2, 3]), {"origin": "a"}, "origin"),
    ("correlate1d", (X, [1, 2]), {"mode": "foo"}, "mode"),
    ("correlate1d", (X, [1, 2]), {"mode": "REFLECT"}, "mode"),
    ("correlate1d", (X, [1, 2]), {"mode": "symm"}, "mode"),
    ("correlate1d", (X, [1, 2]), {"mode": None}, "mode"),
    ("correlate1d", (X, [1, 2]), {"mode": ["reflect"]}, "mode"),
    ("correlate1d", (X, [1, 2]), {"cval": "a"}, "cval"),
    ("correlate1d", (X, [1, 2]), {"cval": 1j}, "cval"),
    ("correlate1d", (X, [1, 2]), {"cval": None}, "cval"),
    ("correlate1d", (X, [1j, 2]), {"cval": 1j}, "cval"),
    ("correlate1d", (X, [1, 2]), {"output": np.empty((4, 3))}, "output"),
    ("correlate1d", (X, [1, 2]), {"output": "U3"}, "output"),
    ("correlate1d", (X, [1, 2]), {"output": "bool"}, "output"),
    ("correlate1d", (X, [1, 2]), {"output": np.float16}, "output"),
    ("correlate1d", (X, [1, 2]), {"output": np.empty((3, 4), complex)}, "output"),
    ("correlate1d", (XC, [1, 2]), {"output": np.empty((3, 4))}, "output"),
    ("correlate1d", (XC, [1, 2]), {"output": "f8"}, "output"),
    ("correlate1d", (X, [1, 2]), {"output": READ_ONLY}, "output"),
    ("correlate1d", (X.astype(np.float16), [1, 2]), {}, "input"),
    ("correlate1d", (X.astype(object), [1, 2]), {}, "input"),
    ("convolve1d", (X, 1.0), {}, "weights"),
    ("convolve1d", (X, []), {}, "weights"),
    ("convolve1d", (X, [1, 2]), {"origin": 1}, "origin"),
    ("convolve1d", (X, [1, 2, 3]), {"origin": None}, "origin"),
    ("correlate", (X, [1, 2, 3]), {}, "weights"),
    ("correlate", (X, np.ones((1, 1, 1))), {}, "weights"),
    ("correlate", (X, np.ones((0, 3))), {}, "weights"),
    ("correlate", (X, [["a"]]), {}, "weights"),
    ("correlate", (X, np.ones((3, 3))), {"origin": 2}, "origin"),
    ("correlate", (X, np.ones((3, 3))), {"origin": [0, 0, 0]}, "origin"),
    ("correlate", (X, np.ones((3, 3))), {"origin": 0.5}, "origin"),
    ("correlate", (X, np.ones((3, 3))), {"origin": [1.0, 0]}, "origin"),
    ("correlate", (X, np.ones((3, 3))), {"mode": ["reflect", "reflect"]}, "mode"),
    ("correlate", (X, np.ones((3, 3))), {"mode": "foo"}, "mode"),
    ("correlate", (X, np.ones(3)), {"axes": (2,)}, "axes"),
    ("correlate", (X, np.ones((3, 3))), {"axes": (0, 0)}, "axes"),
    ("correlate", (X, np.ones(3)), {"axes": 1.0}, "axes"),
    ("correlate", (X, np.ones(3)), {"axes": [1.0]}, "axes"),
    ("correlate", (X, np.ones(3)), {"axes": "a"}, "axes"),
    ("correlate", (X, np.ones(3)), {"axes": -3}, "axes"),
    ("correlate", (X, np.ones(3)), {"axes": object()}, "axes"),
    ("correlate", (X, np.ones((3, 3))), {"axes": (1,)}, "weights"),
    ("correlate", (X, np.ones((3, 3))), {"cval": "a"}, "cval"),
    ("correlate", (X, np.ones((3, 3))), {"cval": 1j}, "cval"),
    ("correlate", (X, np.ones((3, 3)) * 1j), {"cval": 1j}, "cval"),
    ("correlate", (X, np.ones((3, 3))), {"output": np.empty(3)}, "output"),
    ("correlate", (X, np.ones((3, 3))), {"output": np.float16}, "output"),
    ("correlate", (X, np.ones((3, 3))), {"output": np.empty((3, 4), complex)}, "output"),
    ("convolve", (X, np.ones((2, 2))), {"origin": 1}, "origin"),
    ("convolve", (X, np.ones((3, 3))), {"mode": ("wrap",)}, "mode"),
    ("uniform_filter1d", (X, 0), {}, "size"),
    ("uniform_filter1d", (X, 2.5), {}, "size"),
    ("uniform_filter1d", (X, 2.0), {}, "size"),
    ("uniform_filter1d", (X, "3"), {}, "size"),
    ("uniform_filter1d", (X, None), {}, "size"),
    ("uniform_filter1d", (X, 3), {"origin": 2}, "origin"),
    ("uniform_filter1d", (X, 3), {"origin": 1.0}, "origin"),
    ("uniform_filter1d", (X, 3), {"axis": 5}, "axis"),
    ("uniform_filter1d", (X, 3), {"mode": "x"}, "mode"),
    ("uniform_filter1d", (X, 3), {"cval": 1j}, "cval"),
    ("uniform_filter1d", (XC, 3), {"output": np.empty((3, 4))}, "output"),
    ("uniform_filter", (X, [3, 3, 3]), {}, "size"),
    ("uniform_filter", (X, "3"), {}, "size"),
    ("uniform_filter", (X, None), {}, "size"),
    ("uniform_filter", (X, 3), {"origin": [0, 0, 0]}, "origin"),
    ("uniform_filter", (X, 3), {"origin": [0, 2]}, "origin"),
    ("uniform_filter", (X, 3), {"mode": ["reflect"]}, "mode"),
    ("uniform_filter", (X, 3), {"mode": ["reflect", "x"]}, "mode"),
    ("uniform_filter", (X, 3), {"axes": (2,)}, "axes"),
    ("uniform_filter", (X, 3), {"output": np.empty((3, 4), complex)}, "output"),
    ("gaussian_filter1d", (X, 0), {}, "sigma"),
    ("gaussian_filter1d", (X, -1), {}, "sigma"),
    ("gaussian_filter1d", (X, "1"), {}, "sigma"),
    ("gaussian_filter1d", (X, "abc"), {}, "sigma"),
    ("gaussian_filter1d", (X, None), {}, "sigma"),
    ("gaussian_filter1d", (X, [1, 2]), {}, "sigma"),
    ("gaussian_filter1d", (X, 1j), {}, "sigma"),
    ("gaussian_filter1d", (X, 1), {"order": -1}, "order"),
    ("gaussian_filter1d", (X, 1), {"order": 1.5}, "order"),
    ("gaussian_filter1d", (X, 1), {"order": "1"}, "order"),
    ("gaussian_filter1d", (X, 1), {"order": True}, "order"),
    ("gaussian_filter1d", (X, 1), {"truncate": "1"}, "truncate"),
    ("gaussian_filter1d", (X, 1), {"truncate": None}, "truncate"),
    ("gaussian_filter1d", (X, 1), {"truncate": np.inf}, "truncate"),
    ("gaussian_filter1d", (X, 1), {"truncate": np.nan}, "truncate"),
    ("gaussian_filter1d", (X, 1), {"radius": -1}, "radius"),
    ("gaussian_filter1d", (X, 1), {"radius": 2.0}, "radius"),
    ("gaussian_filter1d", (X, 1), {"axis": 3}, "axis"),
    ("gaussian_filter1d", (X, 1), {"mode": ["reflect"]}, "mode"),
    ("gaussian_filter", (X, [1, 1, 1]), {}, "sigma"),
    ("gaussian_filter", (X, 1), {"order": [1, 1, 1]}, "order"),
    ("gaussian_filter", (X, 1), {"radius": [1, 1, 1]}, "radius"),
    ("gaussian_filter", (X, 1), {"mode": ["reflect"]}, "mode"),
    ("gaussian_filter", (X, "1"), {}, "sigma"),
    ("gaussian_filter", (X, None), {}, "sigma"),
    ("gaussian_filter", (X, 1j), {}, "sigma"),
    ("gaussian_filter", (X, 1), {"order": -1}, "order"),
    ("gaussian_filter", (X, 1), {"axes": 5}, "axes"),
    ("gaussian_filter", (X, 1), {"axes": (5,)}, "axes"),
    ("gaussian_filter", (X, 1), {"axes": "ab"}, "axes"),
    ("gaussian_filter", (X, 1), {"output": np.empty((3, 4), complex)}, "output"),
    ("gaussian_filter", (XC, 1), {"output": np.float64}, "output"),
    ("sobel", (X,), {"axis": 2}, "axis"),
    ("sobel", (np.float64(3),), {}, "axis"),
    ("sobel", (X,), {"mode": ["reflect"]}, "mode"),
    ("sobel", (X,), {"mode": "x"}, "mode"),
    ("sobel", (X,), {"cval": "a"}, "cval"),
    ("sobel", (XC,), {"output": np.float64}, "output"),
    ("prewitt", (X,), {"axis": -3}, "axis"),
    ("prewitt", (X,), {"mode": ["wrap", "x"]}, "mode"),
    ("laplace", (X,), {"mode": ["reflect"]}, "mode"),
    ("laplace", (X,), {"axes": (0, 0)}, "axes"),
    ("laplace", (X,), {"cval": "a"}, "cval"),
    ("gaussian_laplace", (X, [1, 1, 1]), {}, "sigma"),
    ("gaussian_laplace", (X, 1), {"foo": 2}, "foo"),
    ("gaussian_laplace", (X, 1), {"order": 1}, "order"),
    ("gaussian_laplace", (X, 1), {"mode": ["reflect"]}, "mode"),
    ("gaussian_gradient_magnitude", (X, [1, 2, 3]), {}, "sigma"),
    ("gaussian_gradient_magnitude", (X, [1]), {"axes": (0,)}, "sigma"),
    ("gaussian_gradient_magnitude", (X, 1), {"truncate": "x"}, "truncate"),
    ("generic_laplace", (X, 3), {}, "derivative2"),
    ("generic_gradient_magnitude", (X, 3), {}, "derivative"),
    ("generic_laplace", (X, lambda *a: None), {"axes": (3,)}, "axes"),
]


@pytest.mark.parametrize("name, args, kwargs, argname", BAD,
                         ids=[f"{b[0]}-{b[3]}-{i}" for i, b in enumerate(BAD)])
def test_bad_arguments_raise_scipys_exception(name, args, kwargs, argname):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pytest.raises(Exception) as theirs:
            getattr(sndi, name)(*args, **kwargs)
        with pytest.raises(Exception) as ours:
            getattr(andi, name)(*args, **kwargs)
    assert isinstance(ours.value, type(theirs.value)), (
        f"ours {type(ours.value).__name__}: {ours.value}; scipy's "
        f"{type(theirs.value).__name__}: {theirs.value}")
    assert names(str(ours.value), argname), f"message does not name {argname!r}: {ours.value}"


# Arguments scipy accepts although they look wrong: accepted here, with scipy's result.
ODD = [
    ("correlate1d", (X, [1, 2]), {"output": np.zeros((3, 4), int).tolist()}),
    ("correlate1d", (X, [1, 2, 3]), {"origin": True}),
    ("correlate1d", (X, [1, 2]), {"mode": "grid-wrap", "cval": np.float32(2)}),
    ("correlate1d", (X, [1, 2]), {"cval": np.array(2.5)}),
    ("correlate", (X, np.ones((0, 3, 3))), {}),
    ("correlate", (X, np.ones(())), {"axes": ()}),
    ("correlate", (X, np.ones((2, 3))), {"axes": (1, 0), "origin": (-1, 1)}),
    ("convolve", (X, np.ones((2, 4))), {"origin": (-1, 0)}),
    ("uniform_filter", (X, 0), {}),
    ("uniform_filter", (X, -3), {}),
    ("uniform_filter", (X, 2.5), {}),
    ("uniform_filter", (X, [1, 3]), {"origin": [5, 0], "mode": ["x", "wrap"]}),
    ("uniform_filter1d", (X, True), {}),
    ("gaussian_filter1d", (X, -0.1), {}),
    ("gaussian_filter1d", (X, 1), {"truncate": -1}),
    ("gaussian_filter1d", (X, 1), {"radius": np.int64(2)}),
    ("gaussian_filter1d", (X, 1), {"radius": True, "order": False}),
    ("gaussian_filter1d", (X, 1), {"order": 0.0}),
    ("gaussian_filter1d", (X, 2), {"order": 4}),
    ("gaussian_filter", (X, -1), {}),
    ("gaussian_filter", (X, [0, 1]), {"order": [-1, 0], "mode": ["x", "nearest"]}),
    ("gaussian_filter", (X, 1), {"axes": -1}),
    ("gaussian_filter", (X, 1), {"axes": []}),
    ("gaussian_filter", (XC.astype(np.complex64), 0), {"output": np.float32}),
    ("sobel", (X,), {"mode": ["reflect", "wrap"]}),
    ("sobel", (np.arange(5.0),), {}),
    ("laplace", (X,), {"axes": (1,), "mode": ["wrap"]}),
    ("gaussian_laplace", (X, 1), {"truncate": 2, "radius": 3}),
    ("gaussian_laplace", (X, [1]), {"axes": (0,)}),
    ("gaussian_gradient_magnitude", (X, [1, 2]), {"axes": (0,)}),
    ("generic_laplace", (X, 3), {"axes": ()}),
]


@pytest.mark.parametrize("name, args, kwargs", ODD, ids=[f"{o[0]}-{i}" for i, o in enumerate(ODD)])
def test_odd_arguments_scipy_accepts(name, args, kwargs):
    ours, theirs = call_both(name, *args, **kwargs)
    assert ours.dtype == theirs.dtype and ours.shape == theirs.shape
    np.testing.assert_allclose(ours, theirs, rtol=1e-12, atol=1e-12)


def test_a_negative_axis_alone_is_normalised():
    """scipy leaves axes=-1 unnormalised and then refuses it in correlate (a bug: its
    gaussian_filter takes it); here it is the last axis everywhere."""
    weights = np.array([1.0, -2.0, 4.0])
    for name in ("correlate", "convolve"):
        with pytest.raises(RuntimeError):
            getattr(sndi, name)(X, weights, axes=-1)
        np.testing.assert_allclose(getattr(andi, name)(X, weights, axes=-1),
                                   getattr(sndi, name)(X, weights, axes=(1,)), atol=1e-12)
