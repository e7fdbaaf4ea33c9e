"""Bad input (docs/contract.md §7): ValueError or TypeError whose message names the
argument, raised before any work is done; nothing a caller passes crashes the
process or writes outside `out`."""
import inspect
import subprocess
import sys
import textwrap

import numpy as np
import pytest
from _axc_testing import (
    CANONICAL_MODES,
    assert_close,
    n_examples,
    names,
    oracle,
    origin_range,
    raises_naming,
    result_dtype,
)
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import axisconv

FUNCS = ["correlate1d", "convolve1d"]


def func(fname):
    return getattr(axisconv, fname)


X = np.arange(24.0).reshape(4, 6)
K3 = np.array([1.0, 2.0, 3.0])


# --------------------------------------------------------------------------
# Signature
# --------------------------------------------------------------------------
@pytest.mark.parametrize("fname", FUNCS)
def test_signature(fname):
    sig = inspect.signature(func(fname))
    params = list(sig.parameters.values())
    assert [p.name for p in params] == ["x", "kernel", "axis", "mode", "cval",
                                        "origin", "out", "dtype", "threads"]
    kinds = {p.name: p.kind for p in params}
    for name in ("mode", "cval", "origin", "out", "dtype", "threads"):
        assert kinds[name] == inspect.Parameter.KEYWORD_ONLY, name
    defaults = {p.name: p.default for p in params}
    assert defaults["axis"] == -1
    assert defaults["mode"] == "reflect"
    assert defaults["cval"] == 0.0
    assert defaults["origin"] == 0
    assert defaults["out"] is None
    assert defaults["dtype"] is None
    assert defaults["threads"] is None


@pytest.mark.parametrize("fname", FUNCS)
def test_mode_is_keyword_only(fname):
    with pytest.raises(TypeError):
        func(fname)(X, K3, -1, "reflect")


# --------------------------------------------------------------------------
# x
# --------------------------------------------------------------------------
@pytest.mark.parametrize("fname", FUNCS)
@pytest.mark.parametrize("x", [np.float64(3.0), np.array(2.0), 5.0, np.array(1, np.int32)],
                         ids=["np-scalar", "0d-array", "py-float", "0d-int"])
def test_zero_dim_x(fname, x):
    raises_naming(ValueError, "x", func(fname), x, K3)


BAD_X = {
    "float16": np.ones((3, 4), np.float16),
    "object": np.array([1.0, 2.0, 3.0], dtype=object),
    "str": np.array(["a", "b", "c"]),
    "bytes": np.array([b"a", b"b"]),
    "datetime64": np.array(["2020-01-01", "2020-01-02"], dtype="datetime64[D]"),
    "timedelta64": np.array([1, 2, 3], dtype="timedelta64[s]"),
    "structured": np.zeros(3, dtype=[("a", "f8"), ("b", "f8")]),
    "void": np.zeros(3, dtype="V8"),
    "list-of-str": ["a", "b"],
}
if np.dtype(np.longdouble) != np.dtype(np.float64):
    BAD_X["longdouble"] = np.ones(5, np.longdouble)
    BAD_X["clongdouble"] = np.ones(5, np.clongdouble)


@pytest.mark.parametrize("fname", FUNCS)
@pytest.mark.parametrize("name", list(BAD_X))
def test_unsupported_x_dtype(fname, name):
    raises_naming(TypeError, "x", func(fname), BAD_X[name], K3)


# --------------------------------------------------------------------------
# kernel
# --------------------------------------------------------------------------
@pytest.mark.parametrize("fname", FUNCS)
@pytest.mark.parametrize("kernel", [[], np.empty(0), np.empty((0,)), np.zeros((0, 3))],
                         ids=["list", "empty", "empty-tuple-shape", "0x3"])
def test_empty_kernel(fname, kernel):
    raises_naming(ValueError, "kernel", func(fname), X, kernel)


@pytest.mark.parametrize("fname", FUNCS)
@pytest.mark.parametrize("kernel", [[[1.0, 2.0], [3.0, 4.0]], np.ones((1, 3)), np.ones((3, 1)),
                                    np.ones((2, 2, 2)), np.float64(1.0), 2.0],
                         ids=["2x2", "1x3", "3x1", "3d", "np-scalar", "py-scalar"])
def test_kernel_not_1d(fname, kernel):
    raises_naming(ValueError, "kernel", func(fname), X, kernel)


@pytest.mark.parametrize("fname", FUNCS)
def test_kernel_of_strings(fname):
    raises_naming(TypeError, "kernel", func(fname), X, np.array(["a", "b"]))


# --------------------------------------------------------------------------
# axis
# --------------------------------------------------------------------------
@pytest.mark.parametrize("fname", FUNCS)
@pytest.mark.parametrize("shape,axis", [((5,), 1), ((5,), -2), ((4, 6), 2), ((4, 6), -3),
                                        ((2, 3, 4), 3), ((2, 3, 4), -4), ((2, 3, 4), 100),
                                        ((4, 6), 2**64), ((4, 6), -2**64), ((4, 6), 2**31)])
def test_axis_out_of_range(fname, shape, axis):
    raises_naming(ValueError, "axis", func(fname), np.ones(shape), K3, axis=axis)


@pytest.mark.parametrize("fname", FUNCS)
@pytest.mark.parametrize("axis", [1.0, 0.5, np.float64(0.0), "0", None, (0,), [1], 1j],
                         ids=["1.0", "0.5", "np-float", "str", "None", "tuple", "list", "complex"])
def test_axis_not_an_integer(fname, axis):
    raises_naming(TypeError, "axis", func(fname), X, K3, axis=axis)


# --------------------------------------------------------------------------
# origin
# --------------------------------------------------------------------------
def _bad_origins():
    for K in (1, 2, 3, 4, 5, 8):
        lo, hi = origin_range(K)
        yield K, lo - 1
        yield K, hi + 1
    yield 3, 2**64
    yield 3, -2**64
    yield 3, 2**31
    yield 5, 1000


@pytest.mark.parametrize("fname", FUNCS)
@pytest.mark.parametrize("K,origin", list(_bad_origins()))
def test_origin_out_of_range(fname, K, origin):
    raises_naming(ValueError, "origin", func(fname), X, np.ones(K), origin=origin)


@pytest.mark.parametrize("fname", FUNCS)
@pytest.mark.parametrize("origin", [0.0, 1.0, 0.5, np.float32(0), "0", None, (0,), [0]],
                         ids=["0.0", "1.0", "0.5", "np-float", "str", "None", "tuple", "list"])
def test_origin_not_an_integer(fname, origin):
    raises_naming(TypeError, "origin", func(fname), X, K3, origin=origin)


# --------------------------------------------------------------------------
# mode
# --------------------------------------------------------------------------
@pytest.mark.parametrize("fname", FUNCS)
@pytest.mark.parametrize("mode", ["foo", "", "reflect101x", "BORDER_ISOLATED",
                                  "border_transparent", "same", "valid", "full", "reflec",
                                  "zero", "mirror "])
def test_unknown_mode_lists_valid_names(fname, mode):
    err = raises_naming(ValueError, "mode", func(fname), X, K3, mode=mode)
    msg = str(err)
    for canon in CANONICAL_MODES:
        assert canon in msg, f"message does not list {canon!r}: {msg!r}"


@pytest.mark.parametrize("fname", FUNCS)
@pytest.mark.parametrize("mode", [None, ["reflect"], 3.5], ids=["None", "list", "float"])
def test_mode_not_a_string(fname, mode):
    """docs/contract.md §1: TypeError in the scipy.ndimage family."""
    raises_naming(TypeError, "mode", func(fname), X, K3, mode=mode)


# --------------------------------------------------------------------------
# cval
# --------------------------------------------------------------------------
@pytest.mark.parametrize("fname", FUNCS)
@pytest.mark.parametrize("x_dtype", [np.float32, np.float64, np.int32])
def test_complex_cval_with_real_x(fname, x_dtype):
    """scipy.ndimage raises ValueError here (the padding cannot be complex
    when the result is real); the contract is silent, so we follow scipy, whatever the
    mode and whether or not the kernel is complex."""
    x = np.ones((3, 5), x_dtype)
    for mode, k in (("constant", K3), ("reflect", K3), ("constant", K3 * 1j)):
        raises_naming(ValueError, "cval", func(fname), x, k, mode=mode, cval=1 + 2j)


@pytest.mark.parametrize("fname", FUNCS)
@pytest.mark.parametrize("cval", ["a", None, [1.0, 2.0]], ids=["str", "None", "list"])
def test_cval_not_a_number(fname, cval):
    raises_naming(TypeError, "cval", func(fname), X, K3, mode="constant", cval=cval)


# --------------------------------------------------------------------------
# out
# --------------------------------------------------------------------------
@pytest.mark.parametrize("fname", FUNCS)
@pytest.mark.parametrize("out_shape", [(4, 5), (6, 4), (24,), (1, 4, 6), (4, 6, 1), ()])
def test_out_wrong_shape(fname, out_shape):
    out = np.full(out_shape, 7.0)
    raises_naming(ValueError, "out", func(fname), X, K3, out=out)
    assert (out == 7.0).all()


WRONG_OUT_DTYPES = [
    (np.float64, np.float64, np.float32),
    (np.float32, np.float64, np.float64),
    (np.int32, np.float64, np.int32),
    (np.int32, np.float64, np.float32),
    (np.float64, np.float64, np.complex128),
    (np.float64, np.complex128, np.float64),
    (np.float32, np.complex64, np.complex128),
    (np.complex64, np.float64, np.complex128),
    (np.complex128, np.float64, np.float64),
    (np.float64, np.float64, np.int64),
    (np.float64, np.float64, object),
]


@pytest.mark.parametrize("fname", FUNCS)
@pytest.mark.parametrize("x_dtype,k_dtype,out_dtype", WRONG_OUT_DTYPES)
def test_out_wrong_dtype(fname, x_dtype, k_dtype, out_dtype):
    x = np.ones((4, 6), x_dtype)
    k = np.array([1.0, 2.0, 3.0]).astype(k_dtype)
    out = np.zeros((4, 6), out_dtype)
    before = out.copy()
    raises_naming(TypeError, "out", func(fname), x, k, out=out)
    np.testing.assert_array_equal(out, before)


@pytest.mark.parametrize("fname", FUNCS)
def test_out_read_only(fname):
    out = np.zeros((4, 6))
    out.flags.writeable = False
    raises_naming(ValueError, "out", func(fname), X, K3, out=out)
    assert (out == 0).all()
    # read-only through a broadcast view
    out = np.broadcast_to(np.zeros(6), (4, 6))
    raises_naming(ValueError, "out", func(fname), X, K3, out=out)
    # x itself read-only used as out
    x = X.copy()
    x.flags.writeable = False
    raises_naming(ValueError, "out", func(fname), x, K3, out=x)
    np.testing.assert_array_equal(x, X)


@pytest.mark.parametrize("fname", FUNCS)
@pytest.mark.parametrize("out", [[[0.0] * 6] * 4, "out", 3.0], ids=["list", "str", "float"])
def test_out_not_an_array(fname, out):
    raises_naming(TypeError, "out", func(fname), X, K3, out=out)


@pytest.mark.parametrize("fname", FUNCS)
def test_int_x_cannot_be_its_own_out(fname):
    x = np.arange(24, dtype=np.int64).reshape(4, 6)
    raises_naming(TypeError, "out", func(fname), x, K3, out=x)
    np.testing.assert_array_equal(x, np.arange(24).reshape(4, 6))


# --------------------------------------------------------------------------
# threads
# --------------------------------------------------------------------------
@pytest.mark.parametrize("fname", FUNCS)
@pytest.mark.parametrize("threads", [0, -1, -2**31, -2**70])
def test_threads_less_than_one(fname, threads):
    raises_naming(ValueError, "threads", func(fname), X, K3, threads=threads)


@pytest.mark.parametrize("fname", FUNCS)
@pytest.mark.parametrize("threads", [1.5, "2", 2.0], ids=["1.5", "str", "2.0"])
def test_threads_not_an_integer(fname, threads):
    raises_naming(TypeError, "threads", func(fname), X, K3, threads=threads)


@pytest.mark.parametrize("fname", FUNCS)
def test_numpy_integer_threads_accepted(fname):
    got = func(fname)(X, K3, threads=np.int64(2))
    assert_close(got, oracle(fname, X, K3), np.float64, K3, X)


# --------------------------------------------------------------------------
# Validation also applies to zero-size input
# --------------------------------------------------------------------------
@pytest.mark.parametrize("fname", FUNCS)
def test_zero_size_input_is_still_validated(fname):
    f = func(fname)
    x = np.zeros((0, 5))
    raises_naming(ValueError, "axis", f, x, K3, axis=2)
    raises_naming(TypeError, "axis", f, x, K3, axis=0.0)
    raises_naming(ValueError, "origin", f, x, K3, origin=2)
    raises_naming(ValueError, "kernel", f, x, [])
    raises_naming(ValueError, "kernel", f, x, np.ones((2, 2)))
    raises_naming(ValueError, "mode", f, x, K3, mode="nope")
    raises_naming(ValueError, "threads", f, x, K3, threads=0)
    raises_naming(ValueError, "out", f, x, K3, out=np.zeros((5, 0)))
    raises_naming(TypeError, "out", f, x, K3, out=np.zeros((0, 5), np.float32))
    raises_naming(TypeError, "x", f, np.zeros((0, 5), np.float16), K3)


# --------------------------------------------------------------------------
# Fuzz: any mixture of good and bad arguments works (and is right) when every
# argument is good, else raises ValueError/TypeError naming a bad one; never
# anything else.
# --------------------------------------------------------------------------
GOOD_X = {
    "f64": lambda: np.arange(30.0).reshape(5, 6),
    "f32-view": lambda: np.arange(60, dtype=np.float32).reshape(6, 10)[::-1, ::2],
    "i16": lambda: np.arange(7, dtype=np.int16),
    "c128": lambda: (np.arange(24.0) + 1j).reshape(2, 3, 4),
    "bool": lambda: np.ones((3, 3), bool),
    "empty": lambda: np.zeros((0, 4)),
    "len1": lambda: np.ones((1,)),
}
BAD_X_F = {
    "0d": lambda: np.array(1.0),
    "f16": lambda: np.ones(4, np.float16),
    "obj": lambda: np.array([1, 2], dtype=object),
    "str": lambda: np.array(["a"]),
}
GOOD_K = {"k3": [1.0, -2.0, 0.5], "k1": [2.0], "k4i": np.array([1, 2, 3, 4]),
          "long": np.linspace(-1, 1, 37), "cplx": np.array([1j, 1 + 1j])}
BAD_K = {"empty": [], "2d": np.ones((2, 2)), "0d": 1.0}
BAD_NUMBERS = {"float": 0.5, "None": None, "str": "0", "huge": 2**64}


@st.composite
def fuzz_calls(draw):
    bad = set()
    xname = draw(st.sampled_from(list(GOOD_X) + list(BAD_X_F)))
    if xname in GOOD_X:
        x = GOOD_X[xname]()
    else:
        x = BAD_X_F[xname]()
        bad.add("x")
    kname = draw(st.sampled_from(list(GOOD_K) + list(BAD_K)))
    kernel = GOOD_K.get(kname, BAD_K.get(kname))
    K = None
    if kname in BAD_K:
        bad.add("kernel")
    else:
        K = len(kernel)
    kw = {}
    ndim = np.ndim(x)
    a = draw(st.sampled_from(["default", "0", "last", "neg", "over", "under"] + list(BAD_NUMBERS)))
    if a != "default":
        if a in BAD_NUMBERS:
            kw["axis"] = BAD_NUMBERS[a]
            bad.add("axis")
        else:
            kw["axis"] = {"0": 0, "last": ndim - 1, "neg": -max(ndim, 1),
                          "over": max(ndim, 1), "under": -max(ndim, 1) - 1}[a]
            if ndim >= 1 and not (-ndim <= kw["axis"] < ndim):
                bad.add("axis")
    o = draw(st.sampled_from(["default", "lo", "hi", "lo-1", "hi+1"] + list(BAD_NUMBERS)))
    if o != "default":
        if o in BAD_NUMBERS:
            kw["origin"] = BAD_NUMBERS[o]
            bad.add("origin")
        elif K is not None:
            lo, hi = origin_range(K)
            kw["origin"] = {"lo": lo, "hi": hi, "lo-1": lo - 1, "hi+1": hi + 1}[o]
            if o in ("lo-1", "hi+1"):
                bad.add("origin")
    m = draw(st.sampled_from(["default", "reflect", "Wrap", "zeros", "BORDER_REFLECT_101",
                              "constant", "bogus"]))
    if m != "default":
        kw["mode"] = m
        if m == "bogus":
            bad.add("mode")
    c = draw(st.sampled_from(["default", 1.5, np.nan, -np.inf, 1 + 1j]))
    if c != "default":
        kw["cval"] = c
    t = draw(st.sampled_from(["default", 1, 2, 5, 0, -3]))
    if t != "default":
        kw["threads"] = t
        if t < 1:
            bad.add("threads")
    u = draw(st.sampled_from(["none", "good", "shape", "dtype", "readonly", "x"]))
    return xname, x, kname, kernel, kw, u, bad


@settings(max_examples=n_examples(150))
@given(call=fuzz_calls(), fname=st.sampled_from(FUNCS))
def test_fuzz_good_and_bad_arguments(call, fname):
    xname, x, kname, kernel, kw, u, bad = call
    x_ok = "x" not in bad
    want = None
    if x_ok and "kernel" not in bad:
        want = result_dtype(np.asarray(x).dtype, np.asarray(kernel).dtype)
    cval = kw.get("cval", 0.0)
    if u != "none":
        if want is None or "axis" in bad:
            out = np.zeros(np.shape(x))
        elif u == "good":
            out = np.zeros(np.shape(x), want)
        elif u == "shape":
            out = np.zeros(np.shape(x) + (2,), want)
            bad.add("out")
        elif u == "dtype":
            out = np.zeros(np.shape(x), np.complex128 if want != np.complex128 else np.float64)
            bad.add("out")
        elif u == "readonly":
            out = np.zeros(np.shape(x), want)
            out.flags.writeable = False
            bad.add("out")
        else:  # out = x
            out = x
            # An integer image's own dtype asks for an integer result: test_integer.py and
            # the fuzz test's integer cases hold those.
            assume(x.dtype not in (np.uint8, np.uint16, np.int16))
            if x.dtype != want or not x.flags.writeable:
                bad.add("out")
        kw["out"] = out
    x_before = np.array(x, copy=True)
    if want is not None and isinstance(cval, complex) and x.dtype.kind != "c":
        bad.add("cval")      # a complex constant for real data (test_complex_cval_with_real_x)
    try:
        res = func(fname)(x, kernel, **kw)
    except (ValueError, TypeError) as exc:
        assert bad, f"unexpected {exc!r} for {xname} {kname} {kw}"
        assert any(names(exc, arg) for arg in bad), f"{exc!r} names none of {sorted(bad)}"
        return
    assert not bad, f"no error for bad {sorted(bad)}: {xname} {kname} {kw}"
    assert isinstance(res, np.ndarray) and res.dtype == want and res.shape == np.shape(x)
    if "out" in kw:
        assert res is kw["out"]
    kwo = {k: v for k, v in kw.items() if k in ("axis", "mode", "cval", "origin")}
    exp = oracle(fname, x_before, np.asarray(kernel), **kwo)
    assert_close(res, exp, want, np.asarray(kernel), x_before, cval=kwo.get("cval", 0.0))


# --------------------------------------------------------------------------
# Extreme arguments in a subprocess: the contract's outcome, and never a crash.
# --------------------------------------------------------------------------
EXTREME_OUTCOMES = {
    **{f"threads={t}{axis}": "ok" for t in (10**6, 2**31 - 1, 2**31, 2**63 - 1, 2**64)
       for axis in ("", " axis0")},
    "long kernel": "ok", "long kernel mirror": "ok", "origin huge": "ValueError",
    "axis huge": "ValueError", "after huge default": "ok",
    **{f"set_num_threads({n})": "ok" for n in (10**6, 2**31, 2**63, 2**64)},
}


def test_extreme_arguments_do_not_crash_the_process(tmp_path):
    """Any thread count >= 1 runs (on as many threads as there are) and gives the one-thread
    bits, and any default >= 1 is taken; kernels thousands of times longer than the line give scipy's answer; an origin or
    axis far out of range is a ValueError."""
    code = textwrap.dedent("""
        import numpy as np, scipy.ndimage as ndi, axisconv
        x = np.random.default_rng(0).random((300, 700))
        k = np.ones(5)
        one = {0: axisconv.convolve1d(x, k, axis=0, threads=1),
               1: axisconv.correlate1d(x, k, threads=1)}
        def attempt(label, f, want=None):
            try:
                r = f()
            except (ValueError, TypeError) as e:
                print(label, "=", type(e).__name__, flush=True)
            else:
                right = want is None or np.allclose(r, want, rtol=0, atol=1e-9)
                print(label, "=", "ok" if right else "wrong", flush=True)
        for t in (10**6, 2**31 - 1, 2**31, 2**63 - 1, 2**64):
            attempt(f"threads={t}", lambda: axisconv.correlate1d(x, k, threads=t), one[1])
            attempt(f"threads={t} axis0", lambda: axisconv.convolve1d(x, k, axis=0, threads=t),
                    one[0])
        attempt("long kernel",
                lambda: axisconv.correlate1d(x[:3, :4], np.ones(5001), mode="wrap"),
                ndi.correlate1d(x[:3, :4], np.ones(5001), mode="wrap"))
        attempt("long kernel mirror",
                lambda: axisconv.correlate1d(np.ones(2), np.ones(4001), mode="mirror"),
                ndi.correlate1d(np.ones(2), np.ones(4001), mode="mirror"))
        attempt("origin huge", lambda: axisconv.correlate1d(x, k, origin=2**62))
        attempt("axis huge", lambda: axisconv.correlate1d(x, k, axis=-2**62))
        for n in (10**6, 2**31, 2**63, 2**64):
            attempt(f"set_num_threads({n})", lambda: axisconv.set_num_threads(n))
        attempt("after huge default", lambda: axisconv.correlate1d(x, k), one[1])
        print("survived", flush=True)
    """)
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120, cwd=str(tmp_path), check=False)
    assert proc.returncode == 0 and "survived" in proc.stdout, (
        f"process died (rc={proc.returncode})\nstdout:\n{proc.stdout}\n"
        f"stderr:\n{proc.stderr[-3000:]}")
    outcomes = dict(line.split(" = ") for line in proc.stdout.splitlines() if " = " in line)
    assert outcomes == EXTREME_OUTCOMES
