"""correlate1d / convolve1d against scipy.ndimage (the oracle, docs/contract.md §2).

Property tests (hypothesis) over shapes 1-D..4-D, axes, every mode spelling,
origins, dtypes, memory layouts and thread counts; deterministic tests for
the mode vocabulary, origins, dtype rules, complex conjugation, complex cval
and NaN/inf propagation.  Core tests run once per SIMD path (`simd` fixture).
"""
import numpy as np
import pytest
import scipy.ndimage as ndi
from _axc_testing import (
    ALL_MODE_NAMES,
    CANONICAL_MODES,
    MODE_ALIASES,
    VECTOR_BYTES,
    assert_close,
    assert_float32_arithmetic,
    call,
    cancelling_pairs,
    n_examples,
    oracle,
    origin_range,
    random_kernel,
    random_values,
    register_block,
    result_dtype,
)
from _layouts import strided_view
from hypothesis import given, settings
from hypothesis import strategies as st

import axisconv

FUNCS = ["correlate1d", "convolve1d"]
FLOAT_DTYPES = [np.float32, np.float64]
INT_DTYPES = [np.bool_, np.int8, np.uint8, np.int16, np.uint16, np.int32,
              np.uint32, np.int64, np.uint64]
COMPLEX_DTYPES = [np.complex64, np.complex128]
MODE_NAMES = [name for name, _ in ALL_MODE_NAMES]


# --------------------------------------------------------------------------
# Strategy: one complete call
# --------------------------------------------------------------------------
@st.composite
def cases(draw, x_dtypes, k_dtypes, cvals=(0.0, 1.5, -3.0), max_len=None):
    fname = draw(st.sampled_from(FUNCS))
    ndim = draw(st.integers(1, 4))
    if ndim == 1:
        shape = (draw(st.integers(1, max_len or 300)),)
    elif ndim == 2:
        shape = (draw(st.integers(1, max_len or 80)),
                 draw(st.integers(1, max_len or 80)))
    elif ndim == 3:
        shape = tuple(draw(st.integers(1, 12)) for _ in range(3))
    else:
        shape = tuple(draw(st.integers(1, 6)) for _ in range(4))
    axis = draw(st.integers(-ndim, ndim - 1))
    L = shape[axis]
    K = draw(st.one_of(st.integers(1, 9), st.integers(1, min(2 * L + 4, 64))))
    kind = draw(st.sampled_from(["random", "random", "symmetric",
                                 "antisymmetric", "ones"]))
    origin = draw(st.integers(*origin_range(K)))
    mode = draw(st.sampled_from(list(CANONICAL_MODES) * 3 + MODE_NAMES))
    cval = draw(st.sampled_from(list(cvals)))
    perm = draw(st.permutations(range(ndim)))
    steps = [draw(st.sampled_from([1, 1, 1, -1, 2, -2])) for _ in range(ndim)]
    threads = draw(st.sampled_from([None, 1, 2]))
    x_dtype = np.dtype(draw(st.sampled_from(list(x_dtypes))))
    k_dtype = np.dtype(draw(st.sampled_from(list(k_dtypes))))
    seed = draw(st.integers(0, 2**32 - 1))
    return dict(fname=fname, shape=shape, axis=axis, K=K, kind=kind,
                origin=origin, mode=mode, cval=cval, perm=perm, steps=steps,
                threads=threads, x_dtype=x_dtype, k_dtype=k_dtype, seed=seed)


def run_case(c):
    rng = np.random.default_rng(c["seed"])
    values = random_values(rng, c["shape"], c["x_dtype"])
    x, _ = strided_view(values, c["perm"], c["steps"])
    kernel = random_kernel(rng, c["K"], c["k_dtype"], c["kind"])
    x_before = x.copy()
    kw = dict(axis=c["axis"], mode=c["mode"], cval=c["cval"], origin=c["origin"])
    got = call(c["fname"], x, kernel, threads=c["threads"], **kw)
    expected = oracle(c["fname"], values, kernel, **kw)
    want_dtype = result_dtype(c["x_dtype"], c["k_dtype"])
    assert isinstance(got, np.ndarray)
    assert_close(got, expected, want_dtype, kernel, values, cval=c["cval"],
                 err_msg=repr({k: v for k, v in c.items() if k != "seed"}))
    np.testing.assert_array_equal(x, x_before, err_msg="x was modified")


@settings(max_examples=n_examples(150))
@given(c=cases(FLOAT_DTYPES, [np.float64, np.float64, np.float32]))
def test_float_matches_scipy(simd, c):
    run_case(c)


@settings(max_examples=n_examples(50))
@given(c=cases(INT_DTYPES, [np.float64, np.float32, np.int64]))
def test_integer_and_bool_inputs_match_scipy(simd, c):
    run_case(c)


@settings(max_examples=n_examples(100))
@given(c=cases(COMPLEX_DTYPES, [np.float64, np.float32, np.complex128, np.complex64],
               cvals=(0.0, 1.5, 2.0 - 1.0j, -0.5j)))
def test_complex_x_matches_scipy(simd, c):
    run_case(c)


@settings(max_examples=n_examples(50))
@given(c=cases(FLOAT_DTYPES + [np.int32, np.bool_], COMPLEX_DTYPES))
def test_complex_kernel_real_x_matches_scipy(simd, c):
    run_case(c)


# --------------------------------------------------------------------------
# Every mode spelling, deterministic
# --------------------------------------------------------------------------
@pytest.mark.parametrize("fname", FUNCS)
@pytest.mark.parametrize("mode,canon", ALL_MODE_NAMES)
def test_every_mode_alias(simd, fname, mode, canon):
    rng = np.random.default_rng(1)
    for shape, axis in [((23,), 0), ((5, 37), -1), ((37, 5), 0), ((4, 9, 6), 1)]:
        for K, origin in [(5, 0), (4, -2), (4, 1), (3, 1), (7, -3)]:
            x = random_values(rng, shape, np.float64)
            k = random_kernel(rng, K)
            got = call(fname, x, k, axis=axis, mode=mode, cval=2.5, origin=origin)
            exp = oracle(fname, x, k, axis=axis, mode=mode, cval=2.5, origin=origin)
            assert_close(got, exp, np.float64, k, x, cval=2.5,
                         err_msg=f"{mode} {shape} axis={axis} K={K} origin={origin}")


@pytest.mark.parametrize("mode,canon", ALL_MODE_NAMES)
def test_mode_names_are_case_insensitive(mode, canon):
    rng = np.random.default_rng(2)
    x = random_values(rng, (6, 11), np.float64)
    k = random_kernel(rng, 5)
    ref = axisconv.correlate1d(x, k, mode=mode, cval=-1.25)
    for spelling in {mode.lower(), mode.upper(), mode.swapcase(), mode.title()}:
        got = axisconv.correlate1d(x, k, mode=spelling, cval=-1.25)
        np.testing.assert_array_equal(got, ref, err_msg=spelling)
    exp = oracle("correlate1d", x, k, mode=mode, cval=-1.25)
    assert_close(ref, exp, np.float64, k, x, cval=-1.25)


@pytest.mark.parametrize("canon", CANONICAL_MODES)
def test_aliases_give_identical_results(canon):
    rng = np.random.default_rng(3)
    x = random_values(rng, (9, 13), np.float32)
    k = random_kernel(rng, 6)
    for axis in (0, 1):
        ref = axisconv.convolve1d(x, k, axis=axis, mode=canon, cval=4.0, origin=1)
        for alias in MODE_ALIASES[canon]:
            got = axisconv.convolve1d(x, k, axis=axis, mode=alias, cval=4.0, origin=1)
            np.testing.assert_array_equal(got, ref, err_msg=alias)


@pytest.mark.parametrize("fname", FUNCS)
@pytest.mark.parametrize("cval", [0.0, 7.0, -3.5, np.nan])
def test_zeros_is_constant_zero_whatever_cval(fname, cval):
    rng = np.random.default_rng(4)
    x = random_values(rng, (5, 12), np.float64)
    k = random_kernel(rng, 5)
    for axis in (0, 1):
        got = call(fname, x, k, axis=axis, mode="zeros", cval=cval)
        exp = getattr(ndi, fname)(x, k, axis=axis, mode="constant", cval=0.0)
        assert_close(got, exp, np.float64, k, x)
        got2 = call(fname, x, k, axis=axis, mode="ZEROS", cval=cval)
        np.testing.assert_array_equal(got2, got)
    # and constant really uses cval (so the test above is not vacuous)
    if cval != 0.0 and not np.isnan(cval):
        c = call(fname, x, k, axis=1, mode="constant", cval=cval)
        assert not np.allclose(c, got)


def test_mode_pictures():
    """The padding pictures of docs/contract.md §1, read off with a one-hot kernel."""
    x = np.array([1.0, 2.0, 3.0, 4.0])          # a b c d
    pad = 3
    k = np.zeros(2 * pad + 1)
    expected = {
        "reflect": [3, 2, 1, 1, 2, 3, 4, 4, 3, 2],
        "mirror": [4, 3, 2, 1, 2, 3, 4, 3, 2, 1],
        "nearest": [1, 1, 1, 1, 2, 3, 4, 4, 4, 4],
        "wrap": [2, 3, 4, 1, 2, 3, 4, 1, 2, 3],
        "constant": [9, 9, 9, 1, 2, 3, 4, 9, 9, 9],
        "zeros": [0, 0, 0, 1, 2, 3, 4, 0, 0, 0],
    }
    for mode, row in expected.items():
        # padded sample at position p (p in -pad .. n-1+pad) seen through
        # correlate1d with a one-hot tap at offset d = p - i.
        padded = []
        for p in range(-pad, 4 + pad):
            i = min(max(p, 0), 3)
            d = p - i
            kk = k.copy()
            kk[pad + d] = 1.0
            padded.append(axisconv.correlate1d(x, kk, mode=mode, cval=9.0)[i])
        assert padded == row, (mode, padded)


# --------------------------------------------------------------------------
# Origins: the full valid range, both functions, odd and even kernels
# --------------------------------------------------------------------------
@pytest.mark.parametrize("fname", FUNCS)
def test_every_valid_origin(simd, fname):
    rng = np.random.default_rng(5)
    x = random_values(rng, (7, 19), np.float64)
    for K in range(1, 10):
        k = random_kernel(rng, K)
        lo, hi = origin_range(K)
        for origin in range(lo, hi + 1):
            for axis in (0, 1):
                for mode in ("reflect", "constant", "wrap"):
                    got = call(fname, x, k, axis=axis, origin=origin, mode=mode, cval=1.0)
                    exp = oracle(fname, x, k, axis=axis, origin=origin, mode=mode, cval=1.0)
                    assert_close(got, exp, np.float64, k, x, cval=1.0,
                                 err_msg=f"K={K} origin={origin} axis={axis} {mode}")


def test_numpy_integer_axis_and_origin_accepted():
    rng = np.random.default_rng(6)
    x = random_values(rng, (4, 8), np.float64)
    k = random_kernel(rng, 4)
    got = axisconv.correlate1d(x, k, axis=np.int64(0), origin=np.int32(-1))
    assert_close(got, oracle("correlate1d", x, k, axis=0, origin=-1), np.float64, k, x)


def test_list_input_and_list_kernel():
    x = [[2, 8, 0, 4, 1, 9, 9, 0], [1, 2, 3, 4, 5, 6, 7, 8]]
    got = axisconv.correlate1d(x, [1, 3])
    assert got.dtype == np.float64
    np.testing.assert_array_equal(
        got[0], [8, 26, 8, 12, 7, 28, 36, 9])        # scipy docstring example
    got = axisconv.convolve1d(x, (1, 3))
    np.testing.assert_array_equal(got[0], [14, 24, 4, 13, 12, 36, 27, 0])


# --------------------------------------------------------------------------
# dtype rules
# --------------------------------------------------------------------------
DTYPE_TABLE = [
    (np.float32, np.float64, np.float32),
    (np.float32, np.float32, np.float32),
    (np.float32, np.int64, np.float32),
    (np.float64, np.float32, np.float64),
    (np.float64, np.float64, np.float64),
    (np.bool_, np.float32, np.float64),
    (np.int8, np.float32, np.float64),
    (np.uint8, np.float64, np.float64),
    (np.int16, np.float64, np.float64),
    (np.int32, np.float64, np.float64),
    (np.int64, np.int64, np.float64),
    (np.uint64, np.float64, np.float64),
    (np.float32, np.complex64, np.complex64),
    (np.float32, np.complex128, np.complex64),
    (np.float64, np.complex64, np.complex128),
    (np.int32, np.complex64, np.complex128),
    (np.bool_, np.complex128, np.complex128),
    (np.complex64, np.float64, np.complex64),
    (np.complex64, np.complex128, np.complex64),
    (np.complex128, np.float32, np.complex128),
    (np.complex128, np.complex64, np.complex128),
]


@pytest.mark.parametrize("fname", FUNCS)
@pytest.mark.parametrize("x_dtype,k_dtype,want", DTYPE_TABLE)
def test_result_dtype_rules(fname, x_dtype, k_dtype, want):
    assert result_dtype(x_dtype, k_dtype) == np.dtype(want)  # helper agrees with table
    rng = np.random.default_rng(7)
    x = random_values(rng, (6, 10), x_dtype)
    if np.dtype(k_dtype).kind == "c":
        k = np.array([1 + 1j, -2.0, 0.5j]).astype(k_dtype)
    elif np.dtype(k_dtype).kind == "f":
        k = np.array([1.0, -2.0, 0.5]).astype(k_dtype)
    else:
        k = np.array([1, -2, 3], k_dtype)
    for axis in (0, 1):
        got = call(fname, x, k, axis=axis)
        assert got.dtype == np.dtype(want)
        assert_close(got, oracle(fname, x, k, axis=axis), want, k, x)


def test_float32_is_computed_in_float32(simd):
    """float32 x gives a float32 result, accurate to float32 precision, and computed in
    float32: on pairs whose products nearly cancel, float32 sums (in either order, fused or
    not) differ from float64 sums rounded to float32, and the result holds the float32 ones,
    along rows and down columns."""
    rng = np.random.default_rng(8)
    x = random_values(rng, (50, 64), np.float32)
    k = random_kernel(rng, 9)
    got = axisconv.correlate1d(x, k)
    assert got.dtype == np.float32
    assert_close(got, oracle("correlate1d", x, k), np.float32, k, x)
    a, b, float32, once = cancelling_pairs(rng, 500)
    taps = [0.3, -0.7]                           # float32 values: cast without rounding
    pairs = np.stack([a, b], axis=1)             # output 1 of a line = taps[0] a + taps[1] b
    rows = axisconv.correlate1d(pairs, np.float32(taps), axis=1, mode="wrap")
    assert_float32_arithmetic(rows[:, 1], float32, once)
    columns = axisconv.correlate1d(np.ascontiguousarray(pairs.T), np.float32(taps), axis=0)
    assert_float32_arithmetic(columns[1], float32, once)


# --------------------------------------------------------------------------
# Complex: conjugation and complex cval
# --------------------------------------------------------------------------
@pytest.mark.parametrize("x_dtype", [np.float64, np.complex128, np.float32, np.complex64])
def test_correlate_conjugates_complex_kernel_convolve_does_not(x_dtype):
    x = np.array([1.0, 2.0, -3.0, 4.0, 0.5]).astype(x_dtype)
    if np.dtype(x_dtype).kind == "c":
        x = x + 1j * np.array([0.5, -1.0, 2.0, 0.0, 3.0])
        x = x.astype(x_dtype)
    one_j = np.array([1j])
    # correlation: sum conj(k) * x  => -1j * x
    got = axisconv.correlate1d(x, one_j)
    np.testing.assert_allclose(got, -1j * x.astype(np.complex128), rtol=1e-6)
    # convolution: sum k * x => 1j * x
    got = axisconv.convolve1d(x, one_j)
    np.testing.assert_allclose(got, 1j * x.astype(np.complex128), rtol=1e-6)
    # longer kernel, against scipy
    k = np.array([1 + 2j, -0.5j, 3 - 1j, 0.25])
    for fname in FUNCS:
        for mode in ("reflect", "mirror", "wrap", "nearest", "constant"):
            got = call(fname, x, k, mode=mode)
            exp = oracle(fname, x, k, mode=mode)
            assert_close(got, exp, result_dtype(x.dtype, k.dtype), k, x)


@pytest.mark.parametrize("fname", FUNCS)
@pytest.mark.parametrize("x_dtype", COMPLEX_DTYPES)
@pytest.mark.parametrize("k_dtype", [np.float64, np.complex128])
@pytest.mark.parametrize("mode", ["constant", "grid-constant", "fill", "BORDER_CONSTANT"])
def test_complex_cval_pads_real_and_imag_parts(fname, x_dtype, k_dtype, mode):
    rng = np.random.default_rng(9)
    x = random_values(rng, (4, 9), x_dtype)
    k = random_kernel(rng, 5, k_dtype)
    cval = 2.0 - 3.0j
    for axis in (0, 1):
        got = call(fname, x, k, axis=axis, mode=mode, cval=cval)
        exp = oracle(fname, x, k, axis=axis, mode=mode, cval=cval)
        assert_close(got, exp, result_dtype(x_dtype, k_dtype), k, x, cval=cval)
    # the padding really is 2-3j: identity kernel of length 3 with origin 1
    # looks one sample past the end of each line.
    ident = np.array([0.0, 0.0, 1.0]).astype(k_dtype)
    got = axisconv.correlate1d(x, ident, mode=mode, cval=cval)
    np.testing.assert_allclose(got[:, -1], cval, rtol=1e-6)
    # zeros ignores the complex cval too
    got = axisconv.correlate1d(x, ident, mode="zeros", cval=cval)
    np.testing.assert_array_equal(got[:, -1], 0)


# --------------------------------------------------------------------------
# NaN and infinities
# --------------------------------------------------------------------------
@pytest.mark.parametrize("fname", FUNCS)
@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
@pytest.mark.parametrize("mode", CANONICAL_MODES)
def test_nan_and_inf_propagate_like_scipy(simd, fname, dtype, mode):
    rng = np.random.default_rng(10)
    for shape, axis in [((40,), 0), ((6, 45), 1), ((45, 6), 0), ((3, 20, 5), 1)]:
        x = random_values(rng, shape, dtype)
        flat = x.reshape(-1)
        idx = rng.choice(flat.size, size=4, replace=False)
        flat[idx[0]] = np.nan
        flat[idx[1]] = np.inf
        flat[idx[2]] = -np.inf
        flat[0] = np.inf                                  # on a border
        for K in (3, 4, 7):
            k = rng.uniform(0.5, 2.0, K) * rng.choice([-1.0, 1.0], K)  # no zero taps
            got = call(fname, x, k, axis=axis, mode=mode, cval=1.0)
            exp = oracle(fname, x, k, axis=axis, mode=mode, cval=1.0)
            assert_close(got, exp, dtype, k, x, cval=1.0,
                         err_msg=f"{shape} axis={axis} K={K}")
            # the non-finite pattern must be identical, not merely "close"
            np.testing.assert_array_equal(np.isnan(got), np.isnan(exp))
            np.testing.assert_array_equal(np.isposinf(got), np.isposinf(exp))
            np.testing.assert_array_equal(np.isneginf(got), np.isneginf(exp))


@pytest.mark.parametrize("fname", FUNCS)
@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
def test_nan_cval_propagates(fname, dtype):
    x = np.arange(1.0, 13.0, dtype=dtype).reshape(3, 4)
    k = np.array([1.0, 2.0, 3.0])
    got = call(fname, x, k, mode="constant", cval=np.nan)
    exp = oracle(fname, x, k, mode="constant", cval=np.nan)
    assert_close(got, exp, dtype, k, x)
    assert np.isnan(got[:, 0]).all() and np.isnan(got[:, -1]).all()
    assert np.isfinite(got[:, 1:-1]).all()


@pytest.mark.parametrize("fname", FUNCS)
@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
def test_inf_times_zero_tap_is_nan(simd, fname, dtype):
    """IEEE: inf * 0 = NaN; scipy does not skip zero taps either."""
    x = np.array([1.0, 2.0, np.inf, 4.0, 5.0, 6.0, 7.0], dtype=dtype)
    for k in ([1.0, 0.0, -1.0], [0.0, 1.0, 0.0], [1.0, 0.0, 0.0, 2.0], [0.0]):
        k = np.array(k)
        got = call(fname, x, k)
        exp = oracle(fname, x, k)
        np.testing.assert_array_equal(np.isnan(got), np.isnan(exp), err_msg=str(k))
        assert_close(got, exp, dtype, k, x, err_msg=str(k))


@pytest.mark.parametrize("fname", FUNCS)
@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
def test_values_near_overflow_stay_finite(simd, fname, dtype):
    """Folded pairs (x[a] + x[b]) and the sums that watch a block for NaN overflow here while
    every output is finite: the outputs so flagged are redone, the others kept."""
    rng = np.random.default_rng(12)
    big = np.finfo(dtype).max
    for shape, axis in [((40, 70), 0), ((5, 200), 1)]:
        x = rng.uniform(0.45, 0.9, shape).astype(dtype) * big
        for K in (3, 5, 7, 9, 13):
            k = 1.0 / (1.0 + np.abs(np.arange(K) - K // 2))
            k /= k.sum()                                  # symmetric, outputs below big
            got = call(fname, x, k, axis=axis)
            # products first (scipy pairs float64 samples too, and overflows)
            pad = [(K // 2, K // 2) if d == axis else (0, 0) for d in range(x.ndim)]
            xp = np.pad(x.astype(np.float64), pad, mode="symmetric")  # scipy's "reflect"
            exp = sum(k[t] * np.take(xp, np.arange(t, t + shape[axis]), axis=axis)
                      for t in range(K)).astype(dtype)
            assert np.isfinite(got).all(), f"{shape} axis={axis} K={K}"
            assert_close(got, exp, dtype, k, x, err_msg=f"{shape} axis={axis} K={K}")


@pytest.mark.parametrize("fname", FUNCS)
@pytest.mark.parametrize("dtype", COMPLEX_DTYPES)
def test_complex_nan_propagates(fname, dtype):
    x = (np.arange(10.0) + 1j * np.arange(10.0)[::-1]).astype(dtype)
    x[4] = complex(np.nan, np.nan)
    k = np.array([1.0 + 1j, 2.0, -1j])
    got = call(fname, x, k)
    exp = oracle(fname, x, k)
    assert_close(got, exp, dtype, k, x)
    np.testing.assert_array_equal(np.isnan(got.real), np.isnan(exp.real))
    np.testing.assert_array_equal(np.isnan(got.imag), np.isnan(exp.imag))


# --------------------------------------------------------------------------
# Larger arrays (SIMD main loops, parallel path) against scipy
# --------------------------------------------------------------------------
@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.complex64])
@pytest.mark.parametrize("shape,axis", [((300, 700), -1), ((300, 700), 0),
                                        ((1000, 64), 0), ((1000, 64), 1),
                                        ((7, 130, 33), 1), ((100000,), 0)])
def test_large_arrays_match_scipy(simd, dtype, shape, axis):
    rng = np.random.default_rng(11)
    x = random_values(rng, shape, dtype)
    for fname, K, mode, origin in [("correlate1d", 7, "reflect", 0),
                                   ("convolve1d", 16, "mirror", -3),
                                   ("correlate1d", 2, "wrap", 0),
                                   ("convolve1d", 31, "nearest", 5)]:
        k = random_kernel(rng, K, kind="symmetric" if K == 7 else "random")
        got = call(fname, x, k, axis=axis, mode=mode, origin=origin, threads=2)
        exp = oracle(fname, x, k, axis=axis, mode=mode, origin=origin)
        assert_close(got, exp, dtype, k, x, err_msg=f"{fname} K={K} {mode}")


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("shape", [(5, 40000), (20, 20000), (3, 8193), (700, 500)])
@pytest.mark.parametrize("layout", ["contiguous", "strided in", "strided out", "in place"])
def test_row_items_that_end_inside_a_line_match_scipy(simd, dtype, shape, layout):
    """Row-path work items are runs of segments of lines (filter1d.inc: a segment of at most
    SEGMENT outputs, items of at most ROW_ITEM outputs, at least 2 a thread), one line after
    another, so an item may start and end inside a line.  Every output is scipy's, and the
    bits do not depend on the thread count."""
    rng = np.random.default_rng(17)
    x = random_values(rng, shape, dtype)
    for fname, K, mode, origin in [("correlate1d", 3, "reflect", 0),
                                   ("convolve1d", 13, "wrap", 2)]:
        k = random_kernel(rng, K, kind="symmetric" if K == 3 else "random")
        exp = oracle(fname, x, k, axis=-1, mode=mode, origin=origin)
        runs = []
        for threads in (1, 2, 3):
            src, out = x, None
            if layout == "strided in":
                src = np.repeat(x, 2, axis=-1)[..., ::2]
            elif layout == "strided out":
                out = np.full(shape[:-1] + (2 * shape[-1],), -7, dtype)[..., ::2]
            elif layout == "in place":
                src = out = x.copy()
            got = call(fname, src, k, axis=-1, mode=mode, origin=origin, threads=threads,
                       out=out)
            assert_close(got, exp, dtype, k, x, err_msg=f"{fname} K={K} {mode}")
            if layout == "strided out":
                assert np.all(out.base[..., 1::2] == -7)  # the gaps untouched
            runs.append(got)
        np.testing.assert_array_equal(runs[0], runs[1])
        np.testing.assert_array_equal(runs[0], runs[2])


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("K", [1, 3, 5, 9, 11, 13, 15, 23, 31, 63])
def test_columns_of_rows_4k_apart_match_scipy_and_unaliased_rows(simd, dtype, K):
    """Rows a multiple of 4 KiB apart share L1 sets, so a tall window is copied to rows with
    slack first (filter1d.inc, `aliased`): the same bits as rows that are not aliased (a view
    of wider rows), and scipy's values, on both sides of the window limits (for L1s of 8, 12
    and 16 ways) -- with the output rows as far apart (fresh results, written through the
    cache) and with the input rows alone (`out` rows padded)."""
    rng = np.random.default_rng(13)
    width = 4096 // np.dtype(dtype).itemsize
    wide = random_values(rng, (300, width + 16), dtype)
    x = np.ascontiguousarray(wide[:, :width])  # rows 4 KiB apart
    for fname, mode, kind in [("correlate1d", "reflect", "symmetric"),
                              ("convolve1d", "wrap", "random")]:
        k = random_kernel(rng, K, kind=kind)
        got = call(fname, x, k, axis=0, mode=mode, threads=2)
        unaliased = call(fname, wide[:, :width], k, axis=0, mode=mode, threads=2)
        assert got.tobytes() == unaliased.tobytes(), f"{fname} K={K}"
        padded_out = np.full_like(wide, -7)[:, :width]
        call(fname, x, k, axis=0, mode=mode, threads=2, out=padded_out)
        assert padded_out.tobytes() == unaliased.tobytes(), f"{fname} K={K}, out rows padded"
        exp = oracle(fname, x, k, axis=0, mode=mode)
        assert_close(got, exp, dtype, k, x, err_msg=f"{fname} K={K} {mode}")


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_columns_of_short_planes_in_narrower_strips_match_rows_and_scipy(simd, stores, dtype):
    """A plane too short for 4 blocks of rows (and too few planes) is shared in narrower
    strips of columns (filter1d.inc, COL_MIN_ITEMS): the bits of the same lines filtered as
    rows of a transposed copy, at 1 and 2 threads and in place, streamed or not, and scipy's
    values -- strips ending inside a register block, a stack of two planes, a plane under 4
    blocks wide (one strip)."""
    block = register_block(dtype)
    rng = np.random.default_rng(15)
    for shape in [(5, 16 * block + 3), (64, 8 * block), (2, 3, 12 * block - 5),
                  (90, 4 * block + 1), (7, 3 * block)]:
        x = random_values(rng, shape, dtype)
        lines = np.ascontiguousarray(np.swapaxes(x, -1, -2))
        for K, fname, mode in ((3, "correlate1d", "reflect"), (13, "correlate1d", "mirror"),
                               (31, "convolve1d", "wrap")):
            k = random_kernel(rng, K, kind="symmetric" if K == 13 else "random")
            rows = np.swapaxes(call(fname, lines, k, axis=-1, mode=mode), -1, -2)
            msg = f"{fname} {shape} K={K} {mode}"
            for threads in (1, 2):
                got = call(fname, x, k, axis=-2, mode=mode, threads=threads)
                assert got.tobytes() == np.ascontiguousarray(rows).tobytes(), msg
            inplace = x.copy()
            call(fname, inplace, k, axis=-2, mode=mode, out=inplace)
            assert inplace.tobytes() == got.tobytes(), msg + " in place"
            exp = oracle(fname, x, k, axis=-2, mode=mode)
            assert_close(got, exp, dtype, k, x, err_msg=msg)


def _bits_but_nan_signs(a):
    """The bytes of `a` with every NaN the same: a NaN's sign and payload come from the order of
    the operands of a commutative instruction, which C leaves to the compiler."""
    return np.where(np.isnan(a), np.float64("nan"), a).astype(a.dtype).tobytes()


def _rows_at(buf, shape, row_elems, start):
    """A view of `shape` in `buf` with rows `row_elems` apart, from element `start` past a
    64-byte boundary."""
    base = -buf.ctypes.data % 64 // buf.itemsize + start
    n = shape[0] * row_elems
    return buf[base:base + n].reshape(shape[0], row_elems)[:, :shape[1]]


def _column_block_widths(dtype):
    """Columns of a column-kernel block on the active SIMD path, folded and general kernels
    (line_kernels.inc: FOLD_NV and COL_NV vectors)."""
    vector_bytes = VECTOR_BYTES[axisconv._simd_path()]
    vl = vector_bytes // np.dtype(dtype).itemsize
    return (2 if vector_bytes == 64 else 1) * vl, (4 if vector_bytes == 64 else 2) * vl


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
def test_columns_from_every_offset_in_a_cache_line_match_rows_and_scipy(simd, dtype):
    """Written through the cache, column blocks start at a cache line of the input rows (the
    columns before it, and after the last whole block, by blocks overlapping the others:
    line_kernels.inc, F(col)): for rows starting at every element of a line, with `out` rows
    at the same or another offset, widths on both sides of where the edge blocks begin (a
    line and a block, two blocks) and of several blocks and a part, symmetric (`reflect`
    and `constant`, whose constant row lies elsewhere in its line), antisymmetric and general
    kernels: the bits of rows of a transposed copy, at 1 and 2 threads, nothing written
    beside the rows, and scipy's values."""
    rng = np.random.default_rng(16)
    line = 64 // np.dtype(dtype).itemsize
    widths = {3 * block + 7 for block in _column_block_widths(dtype)}
    for block in _column_block_widths(dtype):
        widths |= {line + block - 1, line + block, 2 * block - 1, 2 * block, 2 * block + 1}
    buf = np.empty(40 * 4096, dtype)
    obuf = np.empty(40 * 4096, dtype)
    for start in range(line):
        for width in sorted(widths):
            shape, row_elems = (23, width), (width + 2 * line - 1) // line * line
            x = _rows_at(buf, shape, row_elems, start)
            x[...] = random_values(rng, shape, dtype)
            lines = np.ascontiguousarray(x.T)
            for K, kind, mode in ((3, "symmetric", "reflect"), (5, "symmetric", "constant"),
                                  (13, "antisymmetric", "mirror"), (6, "random", "mirror")):
                k = random_kernel(rng, K, kind=kind)
                want = call("correlate1d", lines, k, axis=-1, mode=mode).T
                msg = f"start {start} width {width} K={K} {kind} {mode}"
                for o_start, threads in ((start, 1), ((start + 5) % line, 2)):
                    obuf[...] = 7.5  # beside the rows: must stay
                    out = _rows_at(obuf, shape, row_elems, o_start)
                    out[...] = np.nan
                    call("correlate1d", x, k, axis=0, mode=mode, out=out, threads=threads)
                    assert out.tobytes() == np.ascontiguousarray(want).tobytes(), msg
                    assert np.count_nonzero(obuf == 7.5) == obuf.size - out.size, msg
                assert_close(out, oracle("correlate1d", x, k, axis=0, mode=mode), dtype,
                             k, x, err_msg=msg)


@pytest.mark.parametrize("K", [3, 5, 7, 9, 11, 13, 15, 17])
@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
def test_streamed_columns_in_wide_blocks_match_rows_and_scipy(simd, dtype, stores, K):
    """Streamed, folded column blocks are wider than unstreamed ones where a block of one
    vector would leave its lines partly written (line_kernels.inc: K = 3 a cache line wide,
    STREAM3_NV; longer kernels in SSE2 half a line, STREAM_NV), the columns around the whole
    lines written plainly: `out` rows starting at every element of a line (and rows that
    start at different offsets in their lines, which are not streamed), widths under, at and
    around one, two and several lines, symmetric and antisymmetric taps, with an inf and a
    NaN among the values (the blocks' watch, then the outputs redone): the bits of rows of a
    transposed copy (a NaN's sign aside), at 1 and 2 threads, nothing written beside the rows,
    and scipy's values."""
    rng = np.random.default_rng(17)
    line = 64 // np.dtype(dtype).itemsize
    widths = (line - 1, line, line + 1, 2 * line - 1, 2 * line + 3, 5 * line + 7)
    buf = np.empty(40 * 4096, dtype)
    obuf = np.empty(40 * 4096, dtype)
    for start in range(line):
        for width in widths:
            shape, row_elems = (21, width), (width + 2 * line - 1) // line * line
            if start % 3 == 2:
                row_elems = width + 1  # rows at different offsets in their lines
            x = _rows_at(buf, shape, row_elems, (start * 3) % line)
            x[...] = random_values(rng, shape, dtype)
            if start % 4 == 1:
                x[rng.integers(shape[0]), rng.integers(width)] = np.inf
                x[rng.integers(shape[0]), rng.integers(width)] = np.nan
            lines = np.ascontiguousarray(x.T)
            for kind, mode in (("symmetric", "reflect"), ("antisymmetric", "constant")):
                k = random_kernel(rng, K, kind=kind)
                want = call("correlate1d", lines, k, axis=-1, mode=mode).T
                msg = f"start {start} width {width} K={K} {kind} {stores}"
                for threads in (1, 2):
                    obuf[...] = 7.5  # beside the rows: must stay
                    out = _rows_at(obuf, shape, row_elems, start)
                    call("correlate1d", x, k, axis=0, mode=mode, out=out, threads=threads)
                    assert _bits_but_nan_signs(out) == _bits_but_nan_signs(want), msg
                    assert np.count_nonzero(obuf == 7.5) == obuf.size - out.size, msg
                exp = oracle("correlate1d", x, k, axis=0, mode=mode)
                assert_close(out, exp, dtype, k, x, err_msg=msg)
                np.testing.assert_array_equal(np.isnan(out), np.isnan(exp), err_msg=msg)
                np.testing.assert_array_equal(np.isinf(out), np.isinf(exp), err_msg=msg)


def _rows_4k_apart(buf, shape, page_offset):
    """A view of `shape` in `buf` whose rows are 4 KiB apart, the first `page_offset` bytes
    into a page."""
    row_elems = 4096 // buf.itemsize
    base = (page_offset - buf.ctypes.data) % 4096 // buf.itemsize
    return buf[base:base + shape[0] * row_elems].reshape(shape[0], row_elems)[:, :shape[1]]


@pytest.mark.parametrize("dtype", FLOAT_DTYPES)
def test_columns_either_way_along_rows_match_rows_and_scipy(simd, dtype, stores,
                                                            column_direction):
    """Column kernels write a block's rows from right to left when, left to right, their
    stores would sit a few vectors ahead of the loads to come modulo 4 KiB, and the vectors
    are narrower than a line or the data stays cached (cache.c, ax_right_to_left; these
    small planes do, so every SIMD path may choose right to left): rows 4 KiB apart, `out`
    from 16 bytes behind to 256 bytes ahead of the input in its page, windows within and
    beyond the L1's ways (also copied to a ring), whole rows and rows ending inside a block,
    folded and general kernels, each direction forced and as chosen: the bits of rows of a
    transposed copy at 1 and 2 threads, nothing written beside the rows, scipy's values;
    correlate_separable (whose second pass is a column kernel) the bits of two line passes."""
    rng = np.random.default_rng(18)
    row_elems = 4096 // np.dtype(dtype).itemsize
    buf = np.empty(40 * row_elems + 4096, dtype)
    obuf = np.empty(40 * row_elems + 4096, dtype)
    for width in (row_elems, row_elems - 3, 37):
        shape = (37, width)
        x = _rows_4k_apart(buf, shape, 16)
        x[...] = random_values(rng, shape, dtype)
        lines = np.ascontiguousarray(x.T)
        for K, kind, mode in ((3, "symmetric", "reflect"), (7, "antisymmetric", "mirror"),
                              (9, "random", "nearest"), (13, "symmetric", "wrap"),
                              (31, "symmetric", "reflect")):
            k = random_kernel(rng, K, kind=kind)
            want = np.ascontiguousarray(call("correlate1d", lines, k, axis=-1, mode=mode).T)
            for ahead in (-16, 0, 16, 48, 256):
                msg = f"width {width} K={K} {kind} {mode} out {ahead} B ahead {stores}"
                for threads in (1, 2):
                    obuf[...] = 7.5  # beside the rows: must stay
                    out = _rows_4k_apart(obuf, shape, 16 + ahead)
                    call("correlate1d", x, k, axis=0, mode=mode, out=out, threads=threads)
                    assert out.tobytes() == want.tobytes(), msg
                    assert np.count_nonzero(obuf == 7.5) == obuf.size - out.size, msg
            assert_close(out, oracle("correlate1d", x, k, axis=0, mode=mode), dtype, k, x,
                         err_msg=msg)
            kr = random_kernel(rng, 5, kind="symmetric")
            rows = call("correlate1d", x, kr, axis=1, mode=mode)
            cols = call("correlate1d", x, k, axis=0, mode=mode)
            two_passes = {call("correlate1d", rows, k, axis=0, mode=mode).tobytes(),
                          call("correlate1d", cols, kr, axis=1, mode=mode).tobytes()}
            out = _rows_4k_apart(obuf, shape, 32)
            axisconv.correlate_separable(x, [k, kr], mode=mode, out=out, threads=2)
            assert np.ascontiguousarray(out).tobytes() in two_passes, msg + " separable"


# --------------------------------------------------------------------------
# Self-check: the tolerance rejects wrong answers
# --------------------------------------------------------------------------
@pytest.mark.parametrize("dtype", FLOAT_DTYPES + COMPLEX_DTYPES)
@pytest.mark.parametrize("K", [3, 8, 31])
def test_assert_close_rejects_off_by_one_and_wrong_mode(dtype, K):
    rng = np.random.default_rng(12)
    x = random_values(rng, (5, 40), dtype)
    k = random_kernel(rng, K, kind="symmetric")
    ref = oracle("correlate1d", x, k)
    good = ref.astype(dtype)
    assert_close(good, ref, dtype, k, x)                    # sanity: accepted
    for shifted in (np.roll(ref, 1, axis=-1), np.roll(ref, -1, axis=-1),
                    np.roll(ref, 1, axis=0)):
        with pytest.raises(AssertionError):
            assert_close(shifted.astype(dtype), ref, dtype, k, x)
    # origin off by one (a shift that is mode-correct at the borders)
    lo, hi = origin_range(K)
    other = oracle("correlate1d", x, k, origin=hi if hi != 0 else lo)
    with pytest.raises(AssertionError):
        assert_close(other.astype(dtype), ref, dtype, k, x)
    # wrong mode: differs from reflect only near the borders
    for mode in ("mirror", "nearest", "wrap", "constant"):
        if mode == "nearest" and K <= 3:
            continue            # one padded sample: reflect and nearest agree
        wrong = oracle("correlate1d", x, k, mode=mode)
        with pytest.raises(AssertionError):
            assert_close(wrong.astype(dtype), ref, dtype, k, x)
    # correlate vs convolve of a non-symmetric kernel
    ka = random_kernel(rng, K)
    with pytest.raises(AssertionError):
        assert_close(oracle("convolve1d", x, ka).astype(dtype),
                     oracle("correlate1d", x, ka), dtype, ka, x)
    # wrong dtype is rejected
    other_dtype = np.float64 if np.dtype(dtype) == np.float32 else np.float32
    if np.dtype(dtype).kind == "f":
        with pytest.raises(AssertionError):
            assert_close(ref.astype(other_dtype), ref, dtype, k, x)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("K", [17, 48, 100])
def test_long_kernels_along_rows_with_nonfinite_values(simd, dtype, K):
    """Kernels of a vector or more take the residue-by-residue row block; NaN and inf
    still reach exactly the outputs whose window holds them."""
    rng = np.random.default_rng(K)
    x = random_values(rng, (3, 2000), dtype)
    x[0, 500], x[1, 1200], x[2, 7] = np.nan, np.inf, -np.inf
    k = random_kernel(rng, K, kind="random")
    for fname in ("correlate1d", "convolve1d"):
        got = call(fname, x, k, axis=-1, mode="mirror", threads=2)
        exp = oracle(fname, x, k, axis=-1, mode="mirror")
        assert_close(got, exp, dtype, k, x, err_msg=f"{fname} K={K}")
