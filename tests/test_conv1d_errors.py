"""axisconv.conv1d's argument errors (docs/contract.md §7): ValueError or TypeError, as listed,
with a message naming the argument."""
import numpy as np
import pytest
from _axc_testing import names

import axisconv

# --------------------------------------------------------------------------
# Errors (docs/contract.md §7): ValueError / TypeError naming the argument
# --------------------------------------------------------------------------
X = np.ones((2, 10, 4))
F = np.ones((3, 4, 6))


def raises_naming(exc, argname, *args, **kw):
    with pytest.raises(exc) as info:
        axisconv.conv1d(*args, **kw)
    assert names(str(info.value), argname), str(info.value)


@pytest.mark.parametrize("exc,arg,call", [
    (ValueError, "x", lambda: ((np.ones(5), np.ones((3, 1, 1))), {})),
    (TypeError, "x", lambda: ((X.astype(complex), F), {})),
    (TypeError, "x", lambda: ((np.array([["a"]]), F), {})),
    (ValueError, "filters", lambda: ((X, np.ones((3, 4))), {})),
    (ValueError, "filters", lambda: ((X, np.ones((0, 4, 6))), {})),
    (ValueError, "filters", lambda: ((X, np.ones((3, 3, 6))), {})),
    (TypeError, "filters", lambda: ((X, F.astype(complex)), {})),
    (ValueError, "groups", lambda: ((X, np.ones((3, 1, 6))), {"groups": 3})),
    (ValueError, "groups", lambda: ((X, np.ones((3, 2, 5))), {"groups": 2})),
    (ValueError, "groups", lambda: ((X, F), {"groups": 0})),
    (TypeError, "groups", lambda: ((X, F), {"groups": 1.0})),
    (ValueError, "stride", lambda: ((X, F), {"stride": 0})),
    (ValueError, "stride", lambda: ((X, F), {"stride": 2**63})),
    (ValueError, "dilation", lambda: ((X, F), {"dilation": 2**62})),
    (ValueError, "padding", lambda: ((X, F), {"padding": 2**64})),
    (ValueError, "padding", lambda: ((X, F), {"padding": (0, 2**45)})),
    (TypeError, "stride", lambda: ((X, F), {"stride": True})),
    (ValueError, "dilation", lambda: ((X, F), {"dilation": -1})),
    (TypeError, "dilation", lambda: ((X, F), {"dilation": "2"})),
    (ValueError, "padding", lambda: ((X, F), {"padding": "FULL"})),
    (ValueError, "padding", lambda: ((X, F), {"padding": -1})),
    (ValueError, "padding", lambda: ((X, F), {"padding": (1, 2, 3)})),
    (ValueError, "padding", lambda: ((X, F), {"padding": (1, -2)})),
    (TypeError, "padding", lambda: ((X, F), {"padding": 1.5})),
    (TypeError, "padding", lambda: ((X, F), {"padding": None})),
    (ValueError, "padding_mode", lambda: ((X, F), {"padding_mode": "bogus"})),
    (TypeError, "padding_mode", lambda: ((X, F), {"padding_mode": 0})),
    (ValueError, "data_format", lambda: ((X, F), {"data_format": "NHWC"})),
    (TypeError, "data_format", lambda: ((X, F), {"data_format": None})),
    (ValueError, "axis", lambda: ((X, F), {"axis": 2})),
    (ValueError, "axis", lambda: ((X, F), {"axis": -1})),
    (ValueError, "axis", lambda: ((X, F), {"axis": 3})),
    (TypeError, "axis", lambda: ((X, F), {"axis": 1.0})),
    (ValueError, "bias", lambda: ((X, F), {"bias": np.ones(5)})),
    (ValueError, "bias", lambda: ((X, F), {"bias": np.ones((1, 6))})),
    (TypeError, "bias", lambda: ((X, F), {"bias": np.ones(6, complex)})),
    (ValueError, "out", lambda: ((X, F), {"out": np.empty((2, 10, 4))})),
    (TypeError, "out", lambda: ((X, F), {"out": np.empty((2, 10, 6), np.float32)})),
    (TypeError, "out", lambda: ((X, F), {"out": [0.0]})),
    (ValueError, "threads", lambda: ((X, F), {"threads": 0})),
])
def test_errors_name_the_argument(exc, arg, call):
    args, kw = call()
    raises_naming(exc, arg, *args, **kw)


def test_read_only_out_is_rejected():
    out = np.empty((2, 10, 6))
    out.flags.writeable = False
    raises_naming(ValueError, "out", X, F, out=out)


def test_keyword_only_arguments():
    with pytest.raises(TypeError):
        axisconv.conv1d(X, F, 1)


def test_an_unsupported_dtype_names_only_what_conv1d_takes():
    """conv1d computes in float32 or float64: refusing float16 it named complex types too,
    which it then refused."""
    with pytest.raises(TypeError, match="float32 or float64 array") as info:
        axisconv.conv1d(X.astype(np.float16), F)
    assert "complex" not in str(info.value)
    with pytest.raises(TypeError, match="complex64 or complex128"):  # correlate1d takes them
        axisconv.correlate1d(X.astype(np.float16), [1.0])


def test_a_bias_beyond_float32_is_inf_silently_on_every_path(monkeypatch):
    """A float64 bias beyond float32's range becomes inf in a float32 result, without a
    warning, on the C path, the one-channel path and the path of no samples alike."""
    import warnings

    import axisconv.layer
    single, taken = axisconv.layer._single_channel, []
    monkeypatch.setattr(axisconv.layer, "_single_channel",
                        lambda *args: taken.append(1) or single(*args))
    for x, f, padding, one_channel in (
            (np.ones((1, 5, 2), np.float32), np.ones((3, 2, 2)), 2, False),
            (np.ones((1, 5, 1), np.float32), np.array([1.0, 2, 4]).reshape(3, 1, 1), 1, True),
            (np.ones((1, 0, 2), np.float32), np.ones((3, 2, 2)), 2, False)):
        bias = [1e39] * f.shape[2]
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            y = axisconv.conv1d(x, f, bias=bias, padding=padding)
        assert y.dtype == np.float32 and y.size and np.all(y == np.inf), y
        assert bool(taken) == one_channel  # the path meant
        taken.clear()


def test_causal_padding_is_refused_with_its_pair():
    """Keras' padding='causal' is not TensorFlow's tf.nn.conv1d's: refused, naming the pair
    that gives it, which computes y[i] = sum_t f[t] x[i - (K - 1 - t) * dilation]."""
    with pytest.raises(ValueError, match=r"padding=\(4, 0\)"):
        axisconv.conv1d(np.ones((1, 10, 2)), np.ones((3, 2, 2)), padding="causal", dilation=2)
    x = np.arange(10.0).reshape(1, 10, 1)
    y = axisconv.conv1d(x, np.array([1.0, 10.0, 100.0]).reshape(3, 1, 1), padding=(4, 0),
                        dilation=2)[0, :, 0]
    padded = np.concatenate([np.zeros(4), x[0, :, 0]])
    np.testing.assert_array_equal(y, padded[:10] + 10 * padded[2:12] + 100 * padded[4:14])
