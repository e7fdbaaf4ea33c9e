"""correlate_separable / convolve_separable (docs/contract.md §3, §7).

The oracle is scipy.ndimage.correlate1d / convolve1d applied along each axis
of `axes` in turn, in float64 / complex128 (``oracle`` from _axc_testing,
chained).  Property tests (hypothesis) cover shapes 1-D..4-D, axes subsets and
orders, shared and per-axis kernels, modes and origins, every mode spelling,
dtypes, memory layouts and thread counts; deterministic tests cover out= (in
place, overlapping, strided), bitwise thread invariance, dtype rules and the
argument errors.  The main oracle tests run once per SIMD path (`simd`).
"""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import axisconv
from axisconv import _core
from axisconv._modes import mode_code
from _axc_testing import (ALL_MODE_NAMES, CANONICAL_MODES, STREAMED_SHAPES, canonical_mode,
                          n_examples, names, oracle, origin_range, out_at_offset, raises_naming,
                          random_kernel, random_values, result_dtype, strided_view, tolerance)

FUNCS = ["correlate_separable", "convolve_separable"]
ONE_D = {"correlate_separable": "correlate1d", "convolve_separable": "convolve1d"}
MODE_NAMES = [name for name, _ in ALL_MODE_NAMES]


def call(fname, x, kernels, axes=None, **kw):
    return getattr(axisconv, fname)(x, kernels, axes, **kw)


def per_axis(value, n):
    return list(value) if isinstance(value, (list, tuple)) else [value] * n


def norm_axes(axes, ndim):
    if axes is None:
        return list(range(max(ndim - 2, 0), ndim))
    if isinstance(axes, int):
        axes = [axes]
    return [a % ndim for a in axes]


def separable_oracle(fname, x, kernels, axes=None, mode="reflect", cval=0.0, origin=0):
    """scipy.ndimage 1-D filters along each axis in turn, float64/complex128."""
    x = np.asarray(x)
    axes = norm_axes(axes, x.ndim)
    n = len(axes)
    if isinstance(kernels, np.ndarray) and kernels.ndim == 1:
        ks = [kernels] * n
    elif isinstance(kernels, (list, tuple)) and all(np.ndim(k) == 0 for k in kernels):
        ks = [np.asarray(kernels)] * n
    else:
        ks = [np.asarray(k) for k in kernels]
    modes, origins = per_axis(mode, n), per_axis(origin, n)
    y = x
    for a, k, m, o in zip(axes, ks, modes, origins):
        y = oracle(ONE_D[fname], y, k, axis=a, mode=m, cval=cval, origin=o)
    if y is x:
        y = x.astype(np.complex128 if x.dtype.kind == "c" else np.float64)
    return y


def chain_tolerance(dtype, kernels, modes, x, cval):
    """Absolute tolerance for a chain of 1-D passes.

    Pass i sees values bounded by B_{i-1} (B_0 = max|x|; the pad value counts
    when the mode is constant), produces values bounded by
    B_i = sum|k_i| * max(B_{i-1}, |pad|), and adds the one-pass error
    ``tolerance(dtype, k_i, B_{i-1}, pad)`` which later passes amplify by
    their sum|k_j|.
    """
    x = np.asarray(x)
    bound = float(np.max(np.abs(x))) if x.size else 0.0
    atol = 0.0
    sums = [float(np.sum(np.abs(np.asarray(k).astype(np.complex128)))) for k in kernels]
    for i, (k, m) in enumerate(zip(kernels, modes)):
        canon, c = canonical_mode(m, cval)
        pad = abs(complex(c)) if canon == "constant" else 0.0
        step = tolerance(dtype, k, np.array([bound]), cval=pad)
        atol += step * float(np.prod(sums[i + 1:]))
        bound = sums[i] * max(bound, pad)
    return atol


def assert_chain_close(got, expected, dtype, kernels, modes, x, cval, err_msg=""):
    got = np.asarray(got)
    assert got.dtype == np.dtype(dtype), f"dtype {got.dtype} != {np.dtype(dtype)}. {err_msg}"
    assert got.shape == expected.shape, f"shape {got.shape} != {expected.shape}. {err_msg}"
    atol = chain_tolerance(dtype, kernels, modes, x, cval)
    np.testing.assert_allclose(got.astype(expected.dtype), expected, rtol=0, atol=atol,
                               equal_nan=True, err_msg=err_msg)


def want_dtype(x_dtype, kernels):
    d = None
    for k in kernels:
        r = result_dtype(x_dtype, np.asarray(k).dtype)
        d = r if d is None else np.promote_types(d, r)
    return d


# --------------------------------------------------------------------------
# Strategy: one complete call
# --------------------------------------------------------------------------
@st.composite
def cases(draw, x_dtypes, k_dtypes, cvals=(0.0, 1.5, -3.0)):
    fname = draw(st.sampled_from(FUNCS))
    ndim = draw(st.integers(1, 4))
    if ndim == 1:
        shape = (draw(st.integers(1, 120)),)
    elif ndim == 2:
        shape = (draw(st.integers(1, 70)), draw(st.integers(1, 70)))
    elif ndim == 3:
        shape = tuple(draw(st.integers(1, 14)) for _ in range(3))
    else:
        shape = tuple(draw(st.integers(1, 7)) for _ in range(4))
    axes_kind = draw(st.sampled_from(["default", "list", "list", "int"]))
    if axes_kind == "default":
        axes = None
        n = min(ndim, 2)
    elif axes_kind == "int":
        axes = draw(st.integers(-ndim, ndim - 1))
        n = 1
    else:
        n = draw(st.integers(1, ndim))
        perm = draw(st.permutations(range(ndim)))[:n]
        axes = [a - ndim if draw(st.booleans()) else a for a in perm]
    real_axes = norm_axes(axes, ndim)
    shared = draw(st.booleans())
    Ks = []
    for a in real_axes:
        L = shape[a]
        Ks.append(draw(st.one_of(st.integers(1, 9), st.integers(1, min(2 * L + 4, 40)))))
    if shared:
        Ks = [Ks[0]] * n
    kind = draw(st.sampled_from(["random", "random", "symmetric", "antisymmetric", "ones"]))
    k_dtypes = [np.dtype(draw(st.sampled_from(list(k_dtypes)))) for _ in range(n)]
    if shared:
        k_dtypes = [k_dtypes[0]] * n
    mode_all = list(CANONICAL_MODES) * 3 + MODE_NAMES
    if draw(st.booleans()):
        mode = [draw(st.sampled_from(mode_all)) for _ in range(n)]
    else:
        mode = draw(st.sampled_from(mode_all))
    if draw(st.booleans()):
        origin = [draw(st.integers(*origin_range(K))) for K in Ks]
    else:
        lo = max(origin_range(K)[0] for K in Ks)
        hi = min(origin_range(K)[1] for K in Ks)
        origin = draw(st.integers(lo, hi))
    cval = draw(st.sampled_from(list(cvals)))
    perm = draw(st.permutations(range(ndim)))
    steps = [draw(st.sampled_from([1, 1, 1, -1, 2, -2])) for _ in range(ndim)]
    threads = draw(st.sampled_from([None, 1, 2]))
    x_dtype = np.dtype(draw(st.sampled_from(list(x_dtypes))))
    seed = draw(st.integers(0, 2**32 - 1))
    return dict(fname=fname, shape=shape, axes=axes, n=n, shared=shared, Ks=Ks, kind=kind,
                k_dtypes=k_dtypes, mode=mode, origin=origin, cval=cval, perm=perm,
                steps=steps, threads=threads, x_dtype=x_dtype, seed=seed)


def run_case(c):
    rng = np.random.default_rng(c["seed"])
    values = random_values(rng, c["shape"], c["x_dtype"])
    x, _ = strided_view(values, c["perm"], c["steps"])
    if c["shared"]:
        k0 = random_kernel(rng, c["Ks"][0], c["k_dtypes"][0], c["kind"])
        kernels = k0
        klist = [k0] * c["n"]
    else:
        klist = [random_kernel(rng, K, kd, c["kind"]) for K, kd in zip(c["Ks"], c["k_dtypes"])]
        kernels = klist
    x_before = x.copy()
    kw = dict(mode=c["mode"], cval=c["cval"], origin=c["origin"])
    got = call(c["fname"], x, kernels, c["axes"], threads=c["threads"], **kw)
    expected = separable_oracle(c["fname"], values, kernels, c["axes"], **kw)
    assert isinstance(got, np.ndarray)
    assert_chain_close(got, expected, want_dtype(c["x_dtype"], klist), klist,
                       per_axis(c["mode"], c["n"]), values, c["cval"],
                       err_msg=repr({k: v for k, v in c.items() if k != "seed"}))
    np.testing.assert_array_equal(x, x_before, err_msg="x was modified")


@settings(max_examples=n_examples(100))
@given(c=cases([np.float32, np.float64], [np.float64, np.float64, np.float32]))
def test_float_matches_scipy(simd, c):
    run_case(c)


@settings(max_examples=n_examples(40))
@given(c=cases([np.bool_, np.int8, np.uint16, np.int32, np.int64], [np.float64, np.int64]))
def test_integer_and_bool_inputs_match_scipy(simd, c):
    run_case(c)


@settings(max_examples=n_examples(60))
@given(c=cases([np.complex64, np.complex128, np.float32, np.float64],
               [np.float64, np.complex128, np.complex64],
               cvals=(0.0, 1.5)))
def test_complex_matches_scipy(simd, c):
    run_case(c)


@settings(max_examples=n_examples(30))
@given(c=cases([np.complex64, np.complex128], [np.float64, np.complex128],
               cvals=(2.0 - 1.0j, -0.5j)))
def test_complex_cval_matches_scipy(c):
    run_case(c)


# --------------------------------------------------------------------------
# Deterministic oracle checks
# --------------------------------------------------------------------------
@pytest.mark.parametrize("fname", FUNCS)
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_every_mode_per_axis_pair(simd, fname, dtype):
    """All 25 (mode0, mode1) pairs, constant with nonzero cval included, on a
    2-D map and on a batch, both axis orders."""
    rng = np.random.default_rng(10)
    for shape, axes in [((17, 23), None), ((17, 23), (1, 0)), ((3, 11, 9), (-1, -2)),
                        ((3, 11, 9), (0, 2))]:
        x = random_values(rng, shape, dtype)
        ks = [random_kernel(rng, 5), random_kernel(rng, 4)]
        for m0 in CANONICAL_MODES:
            for m1 in CANONICAL_MODES:
                got = call(fname, x, ks, axes, mode=[m0, m1], cval=2.5, origin=[1, -2])
                exp = separable_oracle(fname, x, ks, axes, mode=[m0, m1], cval=2.5,
                                       origin=[1, -2])
                assert_chain_close(got, exp, dtype, ks, [m0, m1], x, 2.5,
                                   err_msg=f"{shape} {axes} {m0} {m1}")


@pytest.mark.parametrize("fname", FUNCS)
@pytest.mark.parametrize("mode,canon", ALL_MODE_NAMES)
def test_every_mode_alias(fname, mode, canon):
    rng = np.random.default_rng(11)
    x = random_values(rng, (9, 12), np.float64)
    k = random_kernel(rng, 5)
    got = call(fname, x, k, mode=mode, cval=1.25)
    exp = separable_oracle(fname, x, k, mode=mode, cval=1.25)
    assert_chain_close(got, exp, np.float64, [k, k], [mode, mode], x, 1.25, err_msg=mode)
    # the same bits as the canonical spelling (and as upper case)
    scipy_mode, cval = canonical_mode(mode, 1.25)
    ref = call(fname, x, k, mode=scipy_mode, cval=cval)
    assert got.tobytes() == ref.tobytes()
    assert call(fname, x, k, mode=mode.upper(), cval=1.25).tobytes() == ref.tobytes()


@pytest.mark.parametrize("fname", FUNCS)
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_kernels_longer_than_the_lines(simd, fname, dtype):
    rng = np.random.default_rng(12)
    x = random_values(rng, (3, 2, 5), dtype)
    for mode in CANONICAL_MODES:
        for ks in ([random_kernel(rng, 7), random_kernel(rng, 12)],
                   [random_kernel(rng, 11), random_kernel(rng, 2)]):
            got = call(fname, x, ks, (1, 2), mode=mode, cval=-1.0)
            exp = separable_oracle(fname, x, ks, (1, 2), mode=mode, cval=-1.0)
            assert_chain_close(got, exp, dtype, ks, [mode] * 2, x, -1.0, err_msg=mode)


@pytest.mark.parametrize("fname", FUNCS)
def test_every_valid_origin_per_axis(simd, fname):
    rng = np.random.default_rng(13)
    x = random_values(rng, (13, 10), np.float64)
    ks = [random_kernel(rng, 4), random_kernel(rng, 5)]
    for o0 in range(*np.add(origin_range(4), (0, 1))):
        for o1 in range(*np.add(origin_range(5), (0, 1))):
            for mode in ("wrap", "constant"):
                got = call(fname, x, ks, mode=mode, cval=0.5, origin=(o0, o1))
                exp = separable_oracle(fname, x, ks, mode=mode, cval=0.5, origin=[o0, o1])
                assert_chain_close(got, exp, np.float64, ks, [mode] * 2, x, 0.5,
                                   err_msg=f"origin {(o0, o1)} {mode}")


@pytest.mark.parametrize("fname", FUNCS)
def test_defaults_and_kernel_spellings(fname):
    """axes=None is the last two axes; one kernel (list, tuple, array) is
    shared by every axis; a sequence / 2-D array gives one kernel per axis."""
    rng = np.random.default_rng(14)
    x = random_values(rng, (3, 8, 9), np.float64)
    k = [0.25, 0.5, -0.25]
    exp = separable_oracle(fname, x, np.array(k), (1, 2))
    for spelled in (k, tuple(k), np.array(k), np.array(k, np.float32), [np.float64(v) for v in k],
                    [k, k], (np.array(k), np.array(k)), np.array([k, k])):
        got = call(fname, x, spelled)
        assert_chain_close(got, exp, np.float64, [np.array(k)] * 2, ["reflect"] * 2, x, 0.0,
                           err_msg=repr(spelled))
    assert call(fname, x, k).tobytes() == call(fname, x, k, (-2, -1)).tobytes()
    # one axis: the 1-D filter itself
    for axis in (0, 1, 2, -1):
        got = call(fname, x, k, axis)
        one = getattr(axisconv, ONE_D[fname])(x, k, axis=axis)
        np.testing.assert_allclose(got, one, rtol=0, atol=1e-13 * 10)
        got = call(fname, x, [k], [axis])
        np.testing.assert_allclose(got, one, rtol=0, atol=1e-13 * 10)
    # 1-D x: axes default to its only axis
    v = random_values(rng, (20,), np.float64)
    np.testing.assert_allclose(call(fname, v, k), getattr(axisconv, ONE_D[fname])(v, k),
                               rtol=0, atol=1e-12)
    # three axes, different kernels
    ks = [random_kernel(rng, 3), random_kernel(rng, 6), random_kernel(rng, 2)]
    got = call(fname, x, ks, (2, 0, 1), mode=["wrap", "constant", "mirror"], cval=1.0)
    exp = separable_oracle(fname, x, ks, (2, 0, 1), mode=["wrap", "constant", "mirror"],
                           cval=1.0)
    assert_chain_close(got, exp, np.float64, ks, ["wrap", "constant", "mirror"], x, 1.0)


@pytest.mark.parametrize("fname", FUNCS)
def test_zeros_mode_ignores_cval(fname):
    rng = np.random.default_rng(15)
    x = random_values(rng, (7, 8), np.float64)
    k = random_kernel(rng, 3)
    ref = call(fname, x, k, mode="constant", cval=0.0)
    assert call(fname, x, k, mode="zeros", cval=9.0).tobytes() == ref.tobytes()
    got = call(fname, x, k, mode=["zeros", "constant"], cval=9.0)
    exp = separable_oracle(fname, x, k, mode=["zeros", "constant"], cval=9.0)
    assert_chain_close(got, exp, np.float64, [k, k], ["zeros", "constant"], x, 9.0)


# --------------------------------------------------------------------------
# dtypes
# --------------------------------------------------------------------------
@pytest.mark.parametrize("fname", FUNCS)
@pytest.mark.parametrize("x_dtype,k_dtypes,want", [
    (np.float32, [np.float64, np.float64], np.float32),
    (np.float32, [np.float32, np.int32], np.float32),
    (np.float64, [np.float32, np.float64], np.float64),
    (np.int16, [np.float64, np.float64], np.float64),
    (np.uint8, [np.int64, np.int64], np.float64),
    (np.bool_, [np.float32, np.float32], np.float64),
    (np.float32, [np.float64, np.complex128], np.complex64),
    (np.float64, [np.complex64, np.float64], np.complex128),
    (np.int32, [np.complex64, np.complex64], np.complex128),
    (np.complex64, [np.float64, np.float64], np.complex64),
    (np.complex128, [np.float32, np.float32], np.complex128),
])
def test_result_dtype_rules(fname, x_dtype, k_dtypes, want):
    rng = np.random.default_rng(16)
    x = random_values(rng, (6, 7), x_dtype)
    ks = [random_kernel(rng, 3, kd) for kd in k_dtypes]
    got = call(fname, x, ks, mode="nearest")
    assert got.dtype == np.dtype(want)
    exp = separable_oracle(fname, x, ks, mode="nearest")
    assert_chain_close(got, exp, want, ks, ["nearest"] * 2, x, 0.0)


def test_float32_is_computed_in_float32():
    """float32 in, float32 arithmetic: not a rounded float64 result (some
    sample differs from the float64 result rounded to float32)."""
    rng = np.random.default_rng(17)
    x = random_values(rng, (64, 64), np.float32)
    k = random_kernel(rng, 7)
    got = axisconv.correlate_separable(x, k)
    ref = axisconv.correlate_separable(x.astype(np.float64), k).astype(np.float32)
    assert got.dtype == np.float32
    assert not np.array_equal(got, ref)


@pytest.mark.parametrize("x_dtype", [np.float64, np.complex128])
def test_correlate_conjugates_complex_kernels_convolve_does_not(x_dtype):
    rng = np.random.default_rng(18)
    x = random_values(rng, (9, 10), x_dtype)
    ks = [random_kernel(rng, 3, np.complex128), random_kernel(rng, 4, np.complex128)]
    got = axisconv.correlate_separable(x, ks, mode="wrap")
    exp = separable_oracle("correlate_separable", x, ks, mode="wrap")
    assert_chain_close(got, exp, np.complex128, ks, ["wrap"] * 2, x, 0.0)
    not_conj = separable_oracle("correlate_separable", x, [np.conj(k) for k in ks], mode="wrap")
    assert np.abs(got - not_conj).max() > 1e-3
    got_c = axisconv.convolve_separable(x, ks, mode="wrap")
    exp_c = separable_oracle("convolve_separable", x, ks, mode="wrap")
    assert_chain_close(got_c, exp_c, np.complex128, ks, ["wrap"] * 2, x, 0.0)


# --------------------------------------------------------------------------
# out=
# --------------------------------------------------------------------------
@pytest.mark.parametrize("fname", FUNCS)
@pytest.mark.parametrize("x_dtype,k_dtype", [(np.float32, np.float64), (np.float64, np.float64),
                                             (np.int32, np.float64), (np.float32, np.complex64),
                                             (np.complex128, np.float64)])
def test_out_is_returned_and_filled(fname, x_dtype, k_dtype):
    rng = np.random.default_rng(20)
    x = random_values(rng, (2, 15, 16), x_dtype)
    k = random_kernel(rng, 5, k_dtype)
    want = result_dtype(x_dtype, k_dtype)
    out = np.full(x.shape, 7, want)
    res = call(fname, x, k, (2, 1), mode="mirror", out=out)
    assert res is out
    exp = separable_oracle(fname, x, k, (2, 1), mode="mirror")
    assert_chain_close(out, exp, want, [k, k], ["mirror"] * 2, x, 0.0)


LAYOUTS = [
    ("C", None, None), ("F", [1, 0], None), ("reversed", None, [-1, -1]),
    ("step2", None, [2, 3]), ("F-neg", [1, 0], [-2, 1]),
]


@pytest.mark.parametrize("fname", FUNCS)
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("layout", LAYOUTS, ids=[l[0] for l in LAYOUTS])
def test_out_views_and_no_writes_outside_out(simd, fname, dtype, layout):
    rng = np.random.default_rng(21)
    _, perm, steps = layout
    for shape in [(23, 31), (130, 97)]:
        x = random_values(rng, shape, dtype)
        k = [random_kernel(rng, 6), random_kernel(rng, 3)]
        out, base = strided_view(np.zeros(shape, dtype), perm, steps, fill=-123.0)
        gaps = base == -123.0          # the cells of base that are not out's
        res = call(fname, x, k, mode=["reflect", "constant"], cval=0.5, out=out)
        assert res is out
        exp = separable_oracle(fname, x, k, mode=["reflect", "constant"], cval=0.5)
        assert_chain_close(out, exp, dtype, k, ["reflect", "constant"], x, 0.5)
        assert (base[gaps] == -123.0).all(), "wrote outside out"


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("offset", [0, 4, 8, 16, 32], ids=lambda o: f"out+{o}B")
def test_large_outputs_streamed_past_the_caches(simd, dtype, offset):
    """Over the streaming threshold of input and output, the column pass (tap by tap, and
    folded) writes `out` with streaming stores, in the widest aligned pieces its address
    allows: every alignment of `out`, odd widths (vector tails), nothing written around."""
    rng = np.random.default_rng(27)
    x = random_values(rng, STREAMED_SHAPES[np.dtype(dtype)], dtype)
    assert 2 * x.nbytes > _core.stream_threshold()
    for kind in ("random", "symmetric"):
        out, untouched = out_at_offset(x.shape, dtype, offset)
        ks = [random_kernel(rng, 5, kind=kind), random_kernel(rng, 4)]
        assert axisconv.correlate_separable(x, ks, mode=["nearest", "wrap"], out=out) is out
        exp = separable_oracle("correlate_separable", x, ks, mode=["nearest", "wrap"])
        assert_chain_close(out, exp, dtype, ks, ["nearest", "wrap"], x, 0.0, err_msg=kind)
        assert untouched(), "wrote outside out"


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("kind", ["symmetric", "antisymmetric"])
def test_folded_column_pass(simd, dtype, kind):
    """Odd symmetric and antisymmetric column kernels are folded (half the multiplies):
    right against the oracle, the same bits for any thread count (the images are tall
    enough for several bands), and for antisymmetric kernels exact zeros on constant images,
    as along rows."""
    rng = np.random.default_rng(28)
    for shape in [(600, 200), (37, 131), (9, 45)]:
        x = random_values(rng, shape, dtype)
        for K in (3, 5, 9, 15, 31):
            ks = [random_kernel(rng, K, kind=kind), random_kernel(rng, 4)]
            modes = ["mirror", "reflect"]
            ref = axisconv.correlate_separable(x, ks, mode=modes, threads=1)
            exp = separable_oracle("correlate_separable", x, ks, mode=modes)
            assert_chain_close(ref, exp, dtype, ks, modes, x, 0.0, err_msg=f"{shape} K={K}")
            for threads in (2, 3):
                got = axisconv.correlate_separable(x, ks, mode=modes, threads=threads)
                assert got.tobytes() == ref.tobytes(), f"{shape} K={K} threads={threads}"
            if kind == "antisymmetric":
                flat = np.full(shape, 0.7, dtype)
                assert not axisconv.correlate_separable(flat, ks, mode=modes).any()


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("kind", ["random", "symmetric", "antisymmetric"])
def test_column_pass_bits_do_not_depend_on_position(simd, dtype, kind):
    """Column kernels sum each output in one order in their 4-row, several-vector blocks and
    in their single-row, single-vector and scalar tails: shifting the image by a column or
    a row moves outputs between blocks and tails without changing a bit."""
    rng = np.random.default_rng(29)
    x = random_values(rng, (41, 173), dtype)
    for K in (3, 7, 15):
        ks = [random_kernel(rng, K, kind=kind), np.ones(1)]   # the row pass copies
        y = axisconv.correlate_separable(x, ks, mode="wrap")
        for s in range(1, 18):
            shifted = axisconv.correlate_separable(x[:, s:], ks, mode="wrap")
            assert shifted.tobytes() == y[:, s:].tobytes(), f"K={K} columns from {s}"
        for s in range(1, 5):
            shifted = axisconv.correlate_separable(x[s:], ks, mode="wrap")
            assert shifted[K:-K].tobytes() == y[s + K:-K].tobytes(), f"K={K} rows from {s}"


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("kind", ["random", "symmetric"])
def test_accumulating_pass(simd, dtype, kind):
    """The fused pass adding to `out` (how correlate2d sums the separable passes of a
    low-rank kernel), with tap-by-tap and folded column kernels."""
    rng = np.random.default_rng(30)
    x = random_values(rng, (70, 150), dtype)
    rows, cols = random_kernel(rng, 4).astype(dtype), random_kernel(rng, 7, kind=kind).astype(dtype)
    start = random_values(rng, x.shape, dtype)
    out = start.copy()
    reflect = mode_code("reflect")[0]
    _core.correlate_separable(x, out, (1, rows.astype(np.float64), 2, reflect, 0.0),
                              (0, cols.astype(np.float64), 3, reflect, 0.0), True, 2)
    conv = separable_oracle("correlate_separable", x, [cols, rows], mode="reflect")
    exp = start + conv
    # the passes' error, then one rounding of the addition to `out`
    atol = (chain_tolerance(dtype, [rows, cols], ["reflect"] * 2, x, 0.0)
            + float(np.finfo(dtype).eps) * np.abs(exp).max())
    np.testing.assert_allclose(out, exp, rtol=0, atol=atol)


@pytest.mark.parametrize("fname", FUNCS)
@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.complex64])
@pytest.mark.parametrize("threads", [1, 2])
def test_in_place(simd, fname, dtype, threads):
    rng = np.random.default_rng(22)
    for shape, axes, perm, steps in [((40, 50), None, None, None),
                                     ((300, 500), None, None, None),
                                     ((3, 40, 30), (0, 2), [2, 0, 1], [1, -1, 2]),
                                     ((5, 6, 7), (2, 0, 1), None, None)]:
        values = random_values(rng, shape, dtype)
        x, _ = strided_view(values, perm, steps)
        n = len(norm_axes(axes, len(shape)))
        ks = [random_kernel(rng, K) for K in (5, 4, 7)[:n]]
        modes = ["wrap", "constant", "reflect"][:n]
        res = call(fname, x, ks, axes, mode=modes, cval=-2.0, origin=[1, 0, -1][:n],
                   out=x, threads=threads)
        assert res is x
        exp = separable_oracle(fname, values, ks, axes, mode=modes, cval=-2.0,
                               origin=[1, 0, -1][:n])
        assert_chain_close(x, exp, dtype, ks, modes, values, -2.0, err_msg=f"{shape} {axes}")


@pytest.mark.parametrize("fname", FUNCS)
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("threads", [1, 2])
def test_out_overlapping_x(simd, fname, dtype, threads):
    rng = np.random.default_rng(23)
    cases = []
    buf = random_values(rng, (41, 30), dtype)
    cases.append(("shifted rows", buf[1:], buf[:-1]))
    buf = random_values(rng, (40, 31), dtype)
    cases.append(("shifted cols", buf[:, :-1], buf[:, 1:]))
    buf = random_values(rng, (30, 30), dtype)
    cases.append(("transposed", buf, buf.T))
    buf = random_values(rng, (301, 500), dtype)
    cases.append(("large shifted", buf[:-1], buf[1:]))
    buf = random_values(rng, (300, 500), dtype)
    cases.append(("large reversed", buf, buf[::-1, ::-1]))
    for desc, x, out in cases:
        assert np.shares_memory(x, out)
        values = x.copy()
        ks = [random_kernel(rng, 7), random_kernel(rng, 4)]
        exp = separable_oracle(fname, values, ks, mode=["mirror", "constant"], cval=1.0)
        res = call(fname, x, ks, mode=["mirror", "constant"], cval=1.0, out=out,
                   threads=threads)
        assert res is out
        assert_chain_close(out, exp, dtype, ks, ["mirror", "constant"], values, 1.0,
                           err_msg=desc)


# --------------------------------------------------------------------------
# Threads: identical bytes for every thread count
# --------------------------------------------------------------------------
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("shape,axes", [((300, 500), None), ((300, 500), (1, 0)),
                                        ((4, 120, 130), None), ((6, 80, 90), (0, 2)),
                                        ((1000, 64), None), ((3, 100, 200), (2, 0, 1))])
def test_threads_bitwise_identical(dtype, shape, axes, restore_threads):
    rng = np.random.default_rng(30)
    x = random_values(rng, shape, dtype)
    n = len(norm_axes(axes, len(shape)))
    for fname, ks, mode in [("correlate_separable", [random_kernel(rng, K) for K in (7, 4, 3)][:n],
                             "reflect"),
                            ("convolve_separable", random_kernel(rng, 5), "constant"),
                            ("correlate_separable", [random_kernel(rng, K) for K in (2, 9, 5)][:n],
                             ["wrap", "constant", "mirror"][:n])]:
        ref = call(fname, x, ks, axes, mode=mode, cval=0.25, threads=1)
        for t in (2, 3):
            got = call(fname, x, ks, axes, mode=mode, cval=0.25, threads=t)
            assert got.dtype == ref.dtype
            assert got.tobytes() == ref.tobytes(), f"{fname} {mode} threads={t} differs"
        axisconv.set_num_threads(2)
        assert call(fname, x, ks, axes, mode=mode, cval=0.25).tobytes() == ref.tobytes()
        a, b = x.copy(), x.copy()
        call(fname, a, ks, axes, mode=mode, cval=0.25, out=a, threads=1)
        call(fname, b, ks, axes, mode=mode, cval=0.25, out=b, threads=2)
        assert a.tobytes() == b.tobytes(), f"{fname} {mode} in place differs"
    klist = ks if isinstance(ks, list) else [ks] * n
    exp = separable_oracle(fname, x, ks, axes, mode=mode, cval=0.25)
    assert_chain_close(ref, exp, dtype, klist, per_axis(mode, n), x, 0.25)


# --------------------------------------------------------------------------
# Zero-size input
# --------------------------------------------------------------------------
@pytest.mark.parametrize("fname", FUNCS)
@pytest.mark.parametrize("shape", [(0, 5), (5, 0), (0, 0), (3, 0, 4), (0,)])
@pytest.mark.parametrize("x_dtype", [np.float32, np.float64, np.int32, np.complex64])
def test_zero_size_input(fname, shape, x_dtype):
    x = np.zeros(shape, x_dtype)
    got = call(fname, x, [1.0, 2.0, 3.0])
    assert got.shape == shape
    assert got.dtype == result_dtype(x_dtype, np.float64)


# --------------------------------------------------------------------------
# Errors (docs/contract.md §7): the message names the argument
# --------------------------------------------------------------------------
X = np.arange(42.0).reshape(6, 7)
X3 = np.arange(60.0).reshape(3, 4, 5)
K3 = np.array([1.0, 2.0, 3.0])


@pytest.mark.parametrize("fname", FUNCS)
def test_signature(fname):
    import inspect
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
    raises_naming((TypeError, ValueError), "axes", getattr(axisconv, fname), X3, K3, axes)


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
    raises_naming((TypeError, ValueError), "origin", getattr(axisconv, fname), X, K3,
                  origin=origin)


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
    raises_naming((TypeError, ValueError), "out", getattr(axisconv, fname), x, kernels, out=out)
    assert (out == 0).all()


@pytest.mark.parametrize("fname", FUNCS)
def test_out_read_only_or_not_an_array(fname):
    f = getattr(axisconv, fname)
    out = np.zeros((6, 7))
    out.flags.writeable = False
    raises_naming((ValueError, TypeError), "out", f, X, K3, out=out)
    assert (out == 0).all()
    raises_naming((ValueError, TypeError), "out", f, X, K3, out=np.broadcast_to(0.0, (6, 7)))
    x = X.copy()
    x.flags.writeable = False
    raises_naming((ValueError, TypeError), "out", f, x, K3, out=x)
    np.testing.assert_array_equal(x, X)
    raises_naming((ValueError, TypeError), "out", f, X, K3, out=X.tolist())


@pytest.mark.parametrize("fname", FUNCS)
def test_bad_threads_and_x(fname):
    f = getattr(axisconv, fname)
    for t in (0, -1):
        raises_naming(ValueError, "threads", f, X, K3, threads=t)
    for t in (1.5, "2"):
        raises_naming((TypeError, ValueError), "threads", f, X, K3, threads=t)
    raises_naming(ValueError, "x", f, np.float64(3.0), K3)
    raises_naming(TypeError, "x", f, np.array(["a", "b"]), K3)
    raises_naming((ValueError, TypeError), "cval", f, X, K3, mode="constant", cval="z")


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
