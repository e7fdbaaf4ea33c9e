"""Errors as the users of each convention expect them (issue 11, item 7): the exception type of
scipy.signal where the contract says scipy's rules hold (docs/contract.md §4), else of
docs/contract.md §7 -- a ValueError or TypeError whose message names the argument, raised
before any C code runs.  No OverflowError, AttributeError, RuntimeError or NumPy-internal
message escapes, and nothing is refused that the peers take (one-element fillvalue arrays,
byte-swapped or masked outs).  Each test failed before its fix.
"""
import subprocess
import sys
import warnings

import numpy as np
import pytest
import scipy.ndimage as ndi
import scipy.signal as ss

import axisconv
from axisconv import _core, on1d
from _axc_testing import names, raises_naming

X = np.arange(42.0).reshape(6, 7)
K2 = np.array([[1.0, 2.0], [3.0, -1.0]])
K3 = np.array([1.0, -2.0, 0.5])
SIGNAL_FUNCS = ["correlate2d", "convolve2d"]
LINE_FUNCS = ["correlate1d", "convolve1d"]


def on1d_call(fname, x, k, **kw):
    args = {"replicated": (3,), "lagged": (3, 1)}.get(fname, ())
    return getattr(on1d, fname)(x, k, *args, **kw)


ON1D = ["single_row", "replicated", "lagged", "filter_bank"]


def case_id(value):
    """The value's repr, the same in every process (a bare object's repr holds its address)."""
    return "object()" if type(value) is object else repr(value)


# --------------------------------------------------------------------------------------------
# fillvalue: scipy.signal's acceptance rules and exception types
# --------------------------------------------------------------------------------------------
BAD_FILLVALUES = ["abc", [], [1.0, 2.0], np.ones((2, 1)), 1 + 2j, np.array([1j]), object(), {},
                  "1+2j", "1+0j", b"2j", ["1+2j"]]  # numeric strings that parse only as complex


@pytest.mark.parametrize("fname", SIGNAL_FUNCS)
@pytest.mark.parametrize("bad", BAD_FILLVALUES, ids=case_id)
def test_bad_fillvalue_raises_what_scipy_raises(fname, bad):
    with pytest.raises((ValueError, TypeError)) as theirs, warnings.catch_warnings():
        warnings.simplefilter("ignore", np.exceptions.ComplexWarning)
        getattr(ss, fname)(X, K2, "full", "fill", bad)
    raises_naming(type(theirs.value), "fillvalue", getattr(axisconv, fname), X, K2, "full",
                  "fill", bad)


@pytest.mark.parametrize("fname", ON1D)
@pytest.mark.parametrize("bad", BAD_FILLVALUES, ids=case_id)
def test_bad_fillvalue_on1d(fname, bad):
    with pytest.raises((ValueError, TypeError)) as theirs, warnings.catch_warnings():
        warnings.simplefilter("ignore", np.exceptions.ComplexWarning)
        ss.convolve2d(X[:1], K2, "full", "fill", bad)
    with pytest.raises(type(theirs.value)) as ours:
        on1d_call(fname, X[0], K2, fillvalue=bad)
    assert names(ours.value, "fillvalue"), ours.value


@pytest.mark.parametrize("good", [np.array([2.5]), [2.5], np.array([[2.5]]), "2.5", None,
                                  np.float32(2.5), np.int8(-3)], ids=case_id)
def test_fillvalue_scipy_takes_is_taken(good):
    for fname in SIGNAL_FUNCS:
        np.testing.assert_allclose(getattr(axisconv, fname)(X, K2, "same", "fill", good),
                                   getattr(ss, fname)(X, K2, "same", "fill", good), rtol=1e-13)
    np.testing.assert_allclose(on1d.single_row(X[0], K2, "same", "fill", good),
                               ss.convolve2d(X[:1], K2, "same", "fill", good), rtol=1e-13)


# --------------------------------------------------------------------------------------------
# Constants beyond the float range: ValueError naming them (scipy: OverflowError)
# --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("fname", LINE_FUNCS + ["correlate_separable"])
@pytest.mark.parametrize("mode", ["constant", "zeros", "reflect"])
def test_integer_cval_beyond_float_range(fname, mode):
    raises_naming(ValueError, "cval", getattr(axisconv, fname), X, K3, mode=mode, cval=10**400)


def test_integer_fillvalue_beyond_float_range():
    for fname in SIGNAL_FUNCS:
        raises_naming(ValueError, "fillvalue", getattr(axisconv, fname), X, K2, "full", "fill",
                      -10**400)
    for fname in ON1D:
        with pytest.raises(ValueError) as info:
            on1d_call(fname, X[0], K2, fillvalue=10**400)
        assert names(info.value, "fillvalue")


BEYOND = np.longdouble("1e400")  # inf where long double is float64
LONG_DOUBLE_BEYOND = [BEYOND, -BEYOND, np.array(BEYOND)] if np.isfinite(BEYOND) else []


@pytest.mark.skipif(not LONG_DOUBLE_BEYOND, reason="long double is float64 here")
@pytest.mark.parametrize("fname", LINE_FUNCS + ["correlate_separable"])
def test_long_double_cval_beyond_float_range(fname):
    """Refused as the integer above is, not made infinite; for complex x too."""
    for cval in LONG_DOUBLE_BEYOND:
        raises_naming(ValueError, "cval", getattr(axisconv, fname), X, K3, mode="constant",
                      cval=cval)
        raises_naming(ValueError, "cval", getattr(axisconv, fname), X + 0j, K3,
                      mode="constant", cval=np.clongdouble(cval))


@pytest.mark.skipif(not LONG_DOUBLE_BEYOND, reason="long double is float64 here")
def test_long_double_fillvalue_beyond_float_range():
    for fillvalue in LONG_DOUBLE_BEYOND:
        for fname in SIGNAL_FUNCS:
            raises_naming(ValueError, "fillvalue", getattr(axisconv, fname), X, K2, "full",
                          "fill", fillvalue)
        with pytest.raises(ValueError) as info:
            on1d.single_row(X[0], K2, fillvalue=fillvalue)
        assert names(info.value, "fillvalue")


@pytest.mark.parametrize("cval", [None, "abc", b"1", [1.0], object()], ids=case_id)
def test_zeros_still_checks_cval(cval):
    """'zeros' pads with 0 whatever the constant, but a constant that is no number is still
    refused, as scipy.ndimage refuses it whatever the mode."""
    with pytest.raises(TypeError):
        ndi.correlate1d(X, K3, mode="constant", cval=cval)
    for fname in LINE_FUNCS + ["correlate_separable"]:
        raises_naming(TypeError, "cval", getattr(axisconv, fname), X, K3, mode="zeros",
                      cval=cval)


@pytest.mark.parametrize("fillvalue", ["abc", [1.0, 2.0], object()], ids=case_id)
def test_zeros_still_checks_fillvalue(fillvalue):
    for fname in SIGNAL_FUNCS:
        with pytest.raises((TypeError, ValueError)) as theirs:
            getattr(ss, fname)(X, K2, "full", "fill", fillvalue)
        raises_naming(type(theirs.value), "fillvalue", getattr(axisconv, fname), X, K2, "full",
                      "zeros", fillvalue)


# --------------------------------------------------------------------------------------------
# Integers: a one-element array is not one (TypeError naming it); huge ones are refused
# --------------------------------------------------------------------------------------------
ONE = np.array([1])


@pytest.mark.parametrize("call, name", [
    (lambda: axisconv.correlate1d(X, K3, axis=ONE), "axis"),
    (lambda: axisconv.convolve1d(X, K3, origin=ONE), "origin"),
    (lambda: axisconv.correlate_separable(X, K3, origin=np.array([[0], [0]])), "origin"),
    (lambda: axisconv.conv1d(X[None], np.ones((3, 7, 2)), stride=ONE), "stride"),
    (lambda: axisconv.conv1d(X[None], np.ones((3, 7, 2)), dilation=ONE), "dilation"),
    (lambda: axisconv.conv1d(X[None], np.ones((3, 7, 2)), groups=ONE), "groups"),
    (lambda: axisconv.conv1d(X[None], np.ones((3, 7, 2)), padding=ONE), "padding"),
    (lambda: axisconv.conv1d(X[None], np.ones((3, 7, 2)), axis=ONE), "axis"),
    (lambda: on1d.replicated(X[0], K2, ONE), "rows"),
    (lambda: on1d.lagged(X[0], K2, 3, ONE), "lag"),
    (lambda: on1d.lag_matrix(X[0], ONE), "rows"),
    (lambda: axisconv.correlate1d(X, K3, threads=ONE), "threads"),
], ids=lambda v: v if isinstance(v, str) else "")
def test_one_element_array_is_not_an_integer(call, name):
    with pytest.raises(TypeError) as info:
        call()
    assert names(info.value, name), info.value


@pytest.mark.parametrize("axes", [np.array(1), np.int64(1), [np.array(0), 1]], ids=case_id)
def test_separable_axes_as_numpy_integers(axes):
    got = axisconv.correlate_separable(X, K3, axes=axes)
    want = X
    for a in np.atleast_1d(np.array(axes, dtype=object)).tolist():
        want = ndi.correlate1d(want, K3, axis=int(a))
    np.testing.assert_allclose(got, want, rtol=1e-13)


@pytest.mark.parametrize("rows", [2**62, 2**63, 2**64])
@pytest.mark.parametrize("n", [5, 0])
def test_rows_beyond_memory_name_rows(rows, n):
    x = np.ones(n)
    for f in (lambda: on1d.replicated(x, K2, rows), lambda: on1d.lagged(x, K2, rows, 2),
              lambda: on1d.lag_matrix(x, rows)):
        with pytest.raises(ValueError) as info:
            f()
        assert names(info.value, "rows"), info.value


def test_lag_matrix_of_an_empty_signal_does_not_loop_over_its_rows():
    code = ("import numpy as np; from axisconv import on1d; "
            "print(on1d.lag_matrix(np.ones(0), 2**40, 1).shape, "
            "on1d.lag_matrix(np.ones((2, 0)), 2**40, 0).shape)")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60, check=False)
    assert proc.stdout.split() == ["(1099511627776,", "0)", "(2,", "1099511627776,", "0)"], (
        proc.stdout + proc.stderr)


# --------------------------------------------------------------------------------------------
# Arrays that are no arrays of numbers: the argument is named
# --------------------------------------------------------------------------------------------
RAGGED = [[1.0], [1.0, 2.0]]


@pytest.mark.parametrize("call, name", [
    (lambda: axisconv.correlate1d(RAGGED, K3), "x"),
    (lambda: axisconv.convolve1d(X, RAGGED), "kernel"),
    (lambda: axisconv.correlate_separable(RAGGED, K3), "x"),
    (lambda: axisconv.correlate2d(X, [[1.0], [1.0, 2.0]]), "kernel"),
    (lambda: axisconv.separate([[1.0], [1.0, 2.0]]), "kernel"),
    (lambda: on1d.single_row(RAGGED, K2), "x"),
    (lambda: on1d.lag_matrix(RAGGED, 2), "x"),
    (lambda: axisconv.conv1d(X[None], [[[1.0]], [[1.0, 2.0]]]), "filters"),
    (lambda: axisconv.conv1d(X[None], np.ones((3, 7, 2)), bias=RAGGED), "bias"),
], ids=lambda v: v if isinstance(v, str) else "")
def test_ragged_nested_lists_name_the_argument(call, name):
    with pytest.raises(ValueError) as info:
        call()
    assert names(info.value, name), info.value


# --------------------------------------------------------------------------------------------
# out: refused when it overlaps itself; taken as scipy takes it when masked or byte-swapped
# --------------------------------------------------------------------------------------------
def _outs_overlapping_themselves(shape):
    base = np.zeros(int(np.prod(shape)) + 16)
    zero_stride = np.lib.stride_tricks.as_strided(base, shape, (0, 8), writeable=True)
    short_lines = np.lib.stride_tricks.as_strided(base, shape, (8, 8), writeable=True)
    return [zero_stride, short_lines]


@pytest.mark.parametrize("which", [0, 1])
def test_out_overlapping_itself_is_refused(which):
    for f in (lambda o: axisconv.correlate1d(X, K3, out=o),
              lambda o: axisconv.convolve_separable(X, K3, out=o),
              lambda o: axisconv.conv1d(X[..., None], np.ones((3, 1, 1)), out=o[..., None])):
        out = _outs_overlapping_themselves(X.shape)[which]
        with pytest.raises(ValueError) as info:
            f(out)
        assert names(info.value, "out"), info.value


CALLS_WITH_OUT = {
    "correlate1d": (lambda x, out: axisconv.correlate1d(x, K3, out=out),
                    lambda x: ndi.correlate1d(x, K3)),
    "convolve1d": (lambda x, out: axisconv.convolve1d(x * (1 - 2j), K3 * 1j, 0, out=out),
                   lambda x: ndi.convolve1d(x * (1 - 2j), K3 * 1j, axis=0)),
    "correlate_separable": (lambda x, out: axisconv.correlate_separable(x, K3 + 1j, out=out),
                            lambda x: ndi.correlate1d(ndi.correlate1d(x, K3 + 1j, 1), K3 + 1j,
                                                      0)),
    "conv1d": (lambda x, out: axisconv.conv1d(x[..., None], np.ones((3, 1, 1)),
                                              out=out[..., None])[..., 0],
               lambda x: ndi.correlate1d(x, np.ones(3), 1, mode="constant")),
}


@pytest.mark.parametrize("fname", CALLS_WITH_OUT)
@pytest.mark.parametrize("kind", ["masked", "byte-swapped"])
def test_out_masked_or_byte_swapped_is_written_through(fname, kind):
    call, reference = CALLS_WITH_OUT[fname]
    want = reference(X)
    dtype = np.dtype(want.dtype).newbyteorder(">" if kind == "byte-swapped" else "=")
    out = np.zeros(X.shape, dtype)
    if kind == "masked":
        out = np.ma.MaskedArray(out)
    got = call(X, out)
    assert np.asarray(got).shape == X.shape
    np.testing.assert_allclose(np.asarray(out.data if kind == "masked" else out), want,
                               rtol=1e-12, atol=1e-12)


def test_unaligned_filters_and_bias_are_taken():
    """C reads filters and bias by their data pointer: an unaligned copy (np.ascontiguousarray
    keeps one as it is) must be realigned, not refused by the bridge."""
    from _layouts import unaligned_copy
    x, f, b = X[None], np.arange(42.0).reshape(3, 7, 2) / 10, np.array([1.0, -2.0])
    want = axisconv.conv1d(x, f, bias=b)
    got = axisconv.conv1d(x, unaligned_copy(f), bias=unaligned_copy(b))
    np.testing.assert_array_equal(got, want)
    import axisconv.ndimage as andi  # the same for the scipy.ndimage interface's weights
    for w in (np.array([1.0, 2.0, 1.0]), np.array([1.0, -2.0])):
        np.testing.assert_array_equal(andi.correlate1d(X, unaligned_copy(w)),
                                      andi.correlate1d(X, w))
        np.testing.assert_array_equal(andi.correlate(X, unaligned_copy(np.outer(w, w) + 1)),
                                      andi.correlate(X, np.outer(w, w) + 1))


# --------------------------------------------------------------------------------------------
# The C core's own refusal (a direct caller broke a precondition) is a ValueError
# --------------------------------------------------------------------------------------------
def test_c_core_einval_is_a_value_error():
    x = np.ones((3, 4))
    with pytest.raises(ValueError):
        _core.correlate1d(x, np.empty_like(x), 5, np.ones(3), 1, _core.MODE_REFLECT, 0.0, 1)
