"""axisconv.ndimage as a drop-in for scipy.ndimage: the names and signatures, the docstrings,
scipy's rules for `output=` (arrays, dtypes, types, strings) and for integer outputs, the
input dtypes scipy reads, and that the work runs on the C core's fast paths."""
import doctest
import importlib
import inspect
import warnings

import numpy as np
import pytest
import scipy.ndimage as sndi

import axisconv
from _ndi_testing import call_both, data, same_bytes
from axisconv import _core
from axisconv import ndimage as andi

NAMES = ["correlate1d", "convolve1d", "correlate", "convolve", "gaussian_filter1d",
         "gaussian_filter", "uniform_filter1d", "uniform_filter", "sobel", "prewitt", "laplace",
         "gaussian_laplace", "gaussian_gradient_magnitude", "generic_laplace",
         "generic_gradient_magnitude"]


def test_public_names():
    assert sorted(andi.__all__) == sorted(NAMES)
    assert axisconv.ndimage is andi


@pytest.mark.parametrize("name", NAMES)
def test_signature_is_scipys(name):
    """Names, order, defaults and kinds (positional or keyword, keyword-only, **kwargs)."""
    ours = inspect.signature(getattr(andi, name))
    theirs = inspect.signature(getattr(sndi, name))
    assert ours == theirs, f"{name}{ours} != scipy's {name}{theirs}"


@pytest.mark.parametrize("module", ["axisconv.ndimage._linear", "axisconv.ndimage._gaussian",
                                    "axisconv.ndimage._derivatives"])
def test_docstring_examples(module):
    result = doctest.testmod(importlib.import_module(module),
                             optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0 and result.failed == 0


@pytest.mark.parametrize("name", NAMES)
def test_docstrings_are_complete(name):
    doc = getattr(andi, name).__doc__
    assert f"scipy.ndimage.{name}" in doc
    assert "{" not in doc.replace("{'", ""), "a fragment was left unfilled"
    for section in ("Parameters", "Returns", "Examples"):
        assert section in doc
    if "mode :" in doc:
        assert "d c b a | a b c d | d c b a" in doc


# Values that meet every branch of scipy's conversion into integer outputs: truncation,
# negative values into unsigned types, values beyond the range of the type, NaN and inf.
SPECIAL = np.array([0.0, 0.4, 0.5, 0.99, 1.0, 1.6, 2.0, 126.9, 127.5, 128.0, 255.7, 256.0,
                    300.2, 32767.5, 40000.0, 65535.5, 70000.0, -0.4, -0.99, -1.0, -1.5, -3.0,
                    -128.7, -129.0, -200.7, -32768.5, -40000.0, 2.1e9, 3e9, 5e9, -3e9, 9.3e18,
                    1e19, 2e19, -1e19, np.nan, np.inf, -np.inf])
INTEGER_OUTPUTS = [np.bool_, np.uint8, np.int8, np.uint16, np.int16, np.uint32, np.int32,
                   np.uint64, np.int64]


@pytest.mark.parametrize("dtype", INTEGER_OUTPUTS)
def test_integer_outputs_converted_as_scipy_converts(dtype):
    """Float results stored into integer (and bool) outputs: scipy's bytes exactly (a bool
    output holds the truncated byte, so 2.0 is stored as 2 and -1.0 as 255; negative values
    wrap in unsigned types).  C leaves values beyond the range of the type undefined, and
    scipy's functions do not agree there for uint64: those are compared where they agree."""
    consistent = same_values(sndi.correlate1d(SPECIAL, [1.0], output=dtype),
                             sndi.correlate(SPECIAL, [1.0], output=dtype))
    assert consistent.mean() > 0.9
    for function, args in [("correlate1d", ([1.0],)), ("correlate", ([1.0],)),
                           ("convolve", (np.ones((1, 1)),))]:
        x = SPECIAL.reshape(1, -1) if function == "convolve" else SPECIAL
        ours, theirs = call_both(function, x, *args, output=dtype)
        assert same_values(ours, theirs).ravel()[consistent].all(), (function, ours, theirs)


def same_values(a, b):
    """Elementwise equality of the bytes of a and b."""
    a, b = np.ascontiguousarray(a).ravel(), np.ascontiguousarray(b).ravel()
    return (a.view(np.uint8).reshape(a.size, -1) == b.view(np.uint8).reshape(b.size, -1)).all(1)


def test_bool_outputs_carry_bytes_into_the_next_pass_as_scipy():
    """sobel into a bool output: the first pass stores bytes 0..255, the next reads them."""
    x = np.array([[3, 0, 9, 1], [2, 7, 0, 5], [8, 1, 4, 6]], np.uint8)
    for name in ("sobel", "prewitt", "gaussian_filter"):
        args = (0.7,) if name == "gaussian_filter" else ()
        ours, theirs = call_both(name, x, *args, output=bool)
        assert same_bytes(ours, theirs), name


INPUTS = [np.bool_, np.uint8, np.int32, np.uint64, np.float32, np.float64, np.complex64,
          np.complex128]
OUTPUT_SPECS = {
    "None": lambda s: None, "float32 type": lambda s: np.float32,
    "float64 dtype": lambda s: np.dtype(np.float64), "int16 dtype": lambda s: np.dtype("i2"),
    "str f4": lambda s: "f4", "str uint8": lambda s: "uint8", "str c16": lambda s: "c16",
    "str bool": lambda s: "bool", "bool type": lambda s: bool, "int type": lambda s: int,
    "complex type": lambda s: complex, "complex64 type": lambda s: np.complex64,
    "float16 type": lambda s: np.float16, "object dtype": lambda s: np.dtype(object),
    "float64 array": lambda s: np.zeros(s), "float32 array": lambda s: np.zeros(s, np.float32),
    "int32 array": lambda s: np.zeros(s, np.int32), "bool array": lambda s: np.zeros(s, bool),
    "big-endian array": lambda s: np.zeros(s, ">f8"),
    "strided array": lambda s: np.zeros(s[:-1] + (2 * s[-1],))[..., ::2],
    "complex array": lambda s: np.zeros(s, np.complex128),
    "complex64 array": lambda s: np.zeros(s, np.complex64),
    "float16 array": lambda s: np.zeros(s, np.float16), "list": lambda s: np.zeros(s).tolist(),
    "wrong shape": lambda s: np.zeros(s[::-1] + (1,)),
    "read-only": lambda s: np.lib.stride_tricks.as_strided(np.zeros(s), writeable=False)}
CALLS = [("correlate1d", ([1, -2, 1],), {}), ("correlate1d", ([1j, 2],), {}),
         ("correlate", (np.ones((2, 3)),), {}), ("convolve", (np.ones((2, 3)) * 1j,), {}),
         ("uniform_filter1d", (3,), {}), ("uniform_filter", (3,), {}),
         ("gaussian_filter1d", (1.0,), {}), ("gaussian_filter", (1.0,), {}),
         ("gaussian_filter", (0.0,), {}), ("sobel", (), {}), ("laplace", (), {}),
         ("gaussian_laplace", (1.0,), {}), ("gaussian_gradient_magnitude", (1.0,), {})]


@pytest.mark.parametrize("input_dtype", INPUTS)
@pytest.mark.parametrize("spec", OUTPUT_SPECS)
def test_output_argument_as_scipy(input_dtype, spec):
    """Every `output=` form against scipy: the same dtype, the same values, the caller's
    array returned and written (not a list: scipy writes a copy), the same warnings, or
    the same exception type."""
    x = data(np.random.default_rng(0), (4, 5), input_dtype)
    for name, args, kwargs in CALLS:
        output = OUTPUT_SPECS[spec](x.shape)
        try:
            theirs = getattr(sndi, name)(x, *args, output=_copy(output), **kwargs)
        except Exception as error:  # noqa: BLE001 -- scipy's type is what we must match
            with pytest.raises(type(error)), warnings.catch_warnings():
                warnings.simplefilter("ignore")
                getattr(andi, name)(x, *args, output=output, **kwargs)
            continue
        ours, theirs = call_both(name, x, *args, output=output, **kwargs)
        if isinstance(output, np.ndarray):
            assert ours is output
        assert ours.dtype == theirs.dtype and ours.shape == theirs.shape, (name, spec)
        if ours.dtype == object:  # scipy's plain copy (sigma 0) into an object array
            assert (ours == theirs).all()
        elif ours.dtype.kind in "fc":
            np.testing.assert_allclose(ours, theirs, rtol=2e-6, atol=1e-4, err_msg=name)
        else:  # exact except where scipy's float result lies within rounding of an integer
            near = np.abs(ours.astype(np.float64) - theirs) <= 1
            assert near.all(), (name, spec)


def _copy(output):
    return output.copy() if isinstance(output, np.ndarray) and output.flags.writeable else output


@pytest.mark.parametrize("dtype", [np.float16, np.longdouble, np.clongdouble, object, "U2",
                                   "datetime64[s]"])
def test_input_dtypes_scipy_refuses(dtype):
    """Inputs scipy cannot filter: the same exception type (a filter that only copies, as
    gaussian_filter with sigma 0 does, copies here too)."""
    x = np.zeros((3, 4)).astype(dtype)
    for name, args, _ in CALLS:
        try:
            theirs = getattr(sndi, name)(x, *args)
        except Exception as error:  # noqa: BLE001 -- scipy's type is what we must match
            with pytest.raises(type(error)):
                getattr(andi, name)(x, *args)
            continue
        assert same_bytes(getattr(andi, name)(x, *args), theirs), name


def test_wider_outputs_are_computed_in_float64():
    """float32 or integer input into a float64 output: scipy's float64 result to float64
    rounding; float32 into float32 is computed in float32 (the documented difference)."""
    rng = np.random.default_rng(9)
    x32 = rng.uniform(-1, 1, (40, 50)).astype(np.float32)
    for name, args in [("gaussian_filter", (2.0,)), ("correlate", (rng.uniform(size=(3, 4)),)),
                       ("uniform_filter", (5,)), ("sobel", ())]:
        ours, theirs = call_both(name, x32, *args, output=np.float64)
        np.testing.assert_allclose(ours, theirs, rtol=0, atol=1e-14)
        single = getattr(andi, name)(x32, *args)
        assert single.dtype == np.float32
        np.testing.assert_allclose(single, theirs, rtol=0, atol=1e-5)


class Spy:
    """Counts the calls of the C core's functions (and passes them through)."""

    def __init__(self, monkeypatch):
        self.calls = []
        for name in ("correlate1d", "correlate_separable", "correlate2d"):
            original = getattr(_core, name)
            monkeypatch.setattr(_core, name, self._wrap(name, original))

    def _wrap(self, name, original):
        def spy(*args):
            self.calls.append(name)
            return original(*args)
        return spy

    def take(self):
        calls, self.calls = self.calls, []
        return sorted(calls)


def test_filters_run_on_the_fast_paths(monkeypatch):
    """Which C functions each filter calls: the fused separable pass for several axes, the
    2-D kernel for 2-D weights, 1-D passes for one axis; nothing per line from Python."""
    spy = Spy(monkeypatch)
    rng = np.random.default_rng(2)
    image, volume = rng.uniform(size=(64, 80)), rng.uniform(size=(6, 30, 40))
    expected = [
        (andi.gaussian_filter, (image, 2.0), ["correlate_separable"]),
        (andi.gaussian_filter, (image.astype(np.float32), 2.0), ["correlate_separable"]),
        (andi.gaussian_filter, (volume, 1.0), ["correlate1d", "correlate_separable"]),
        (andi.uniform_filter, (image, 5), ["correlate_separable"]),
        (andi.sobel, (image,), ["correlate_separable"]),
        (andi.prewitt, (volume, 1), ["correlate1d", "correlate_separable"]),
        (andi.gaussian_filter1d, (image, 1.5, 0), ["correlate1d"]),
        (andi.uniform_filter1d, (image, 4), ["correlate1d"]),
        (andi.correlate1d, (image, [1, 2, 3]), ["correlate1d"]),
        (andi.correlate, (image, rng.uniform(size=(1, 5))), ["correlate1d"]),
        (andi.convolve, (image, rng.uniform(size=(3, 4))), ["correlate2d"]),
        (andi.correlate, (volume, rng.uniform(size=(3, 4, 1))), ["correlate2d"]),
        (andi.correlate, (volume, rng.uniform(size=(2, 3, 3))), ["correlate2d"] * 2),
        (andi.laplace, (image,), ["correlate1d"] * 2),
        (andi.gaussian_filter, (image.astype(np.complex64), 1.0), ["correlate_separable"] * 2),
    ]
    for function, args, calls in expected:
        function(*args)
        assert spy.take() == calls, function.__name__


def test_results_do_not_depend_on_the_thread_count(restore_threads):
    rng = np.random.default_rng(6)
    x = rng.uniform(size=(120, 130)).astype(np.float32)
    results = []
    for threads in (1, 2, 3):
        axisconv.set_num_threads(threads)
        results.append([andi.gaussian_filter(x, 1.5), andi.correlate(x, np.ones((3, 5)))])
    for other in results[1:]:
        assert all(same_bytes(a, b) for a, b in zip(results[0], other))
