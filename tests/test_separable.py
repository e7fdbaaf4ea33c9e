"""correlate_separable / convolve_separable (docs/contract.md §3).

The oracle is scipy.ndimage.correlate1d / convolve1d applied along each axis
of `axes` in turn, in float64 / complex128 (_axc_testing.separable_oracle).
Property tests (hypothesis) cover shapes 1-D..4-D, axes subsets and
orders, shared and per-axis kernels, modes and origins, every mode spelling,
dtypes, memory layouts and thread counts; deterministic tests cover the modes,
origins, kernel spellings and dtype rules.  The main oracle tests run once per
SIMD path (`simd`).  `out`, in place and threads: test_separable_out.py; the
errors: test_separable_errors.py.
"""
import numpy as np
import pytest
from _axc_testing import (
    ALL_MODE_NAMES,
    CANONICAL_MODES,
    assert_chain_close,
    assert_float32_arithmetic,
    call,
    cancelling_pairs,
    canonical_mode,
    n_examples,
    origin_range,
    random_kernel,
    random_values,
    register_block,
    separable_dtype,
    separable_oracle,
)
from _layouts import strided_view
from hypothesis import given, settings
from hypothesis import strategies as st
from reference.separable import axes_list, per_axis

import axisconv

FUNCS = ["correlate_separable", "convolve_separable"]
ONE_D = {"correlate_separable": "correlate1d", "convolve_separable": "convolve1d"}
MODE_NAMES = [name for name, _ in ALL_MODE_NAMES]


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
    real_axes = axes_list(axes, ndim)
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
    assert_chain_close(got, expected, separable_dtype(c["x_dtype"], klist), klist,
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


def test_float32_is_computed_in_float32(simd):
    """float32 in, float32 arithmetic: not a rounded float64 result; and on pairs whose
    products nearly cancel, the result holds what float32 sums give (in either order, fused
    or not), not the float64 sums rounded to float32, in either pass."""
    rng = np.random.default_rng(17)
    x = random_values(rng, (64, 64), np.float32)
    k = random_kernel(rng, 7)
    got = axisconv.correlate_separable(x, k)
    ref = axisconv.correlate_separable(x.astype(np.float64), k).astype(np.float32)
    assert got.dtype == np.float32
    assert not np.array_equal(got, ref)
    a, b, float32, once = cancelling_pairs(rng, 500)
    taps = np.float32([0.3, -0.7])               # float32 values: cast without rounding
    pairs = np.stack([a, b], axis=1)             # output 1 of a line = taps[0] a + taps[1] b
    rows = axisconv.correlate_separable(pairs, [[1.0], taps], mode="wrap")
    assert_float32_arithmetic(rows[:, 1], float32, once)
    columns = axisconv.correlate_separable(np.ascontiguousarray(pairs.T), [taps, [1.0]])
    assert_float32_arithmetic(columns[1], float32, once)


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


def test_fast_path_gives_the_general_paths_bits():
    """The common case (two ndarray kernels, plain float x and out, one canonical mode, float
    cval, int origin) goes straight to the fused pass (separable._plain_pair); spelled so that
    it cannot (kernels as lists, axes as NumPy integers), the same call takes the general
    path.  Same bits either way: axis orders and negative axes, axes=None with one shared
    kernel, strided and reversed x, out given (C-ordered, F-ordered, x itself: the fast path
    declines the last two), thread counts, constant mode with a nonzero cval (no reordering),
    origins, float32 and float64 kernels short and long (widened by the bridge), convolution,
    kernels longer than the second axis (declined); and the oracle's values."""
    from axisconv.separable import _plain_pair
    rng = np.random.default_rng(41)
    taken = 0
    for case in range(200):
        fname = FUNCS[case % 2]
        shape = tuple(int(n) for n in rng.integers(1, 40, size=int(rng.integers(2, 4))))
        dtype = np.float32 if case % 3 else np.float64
        x = random_values(rng, shape, dtype)
        if case % 5 == 0:
            x = np.swapaxes(x, -1, -2)  # the inner axis listed first
        elif case % 5 == 1:
            x = x[::-1, ..., ::2] if x.shape[-1] > 1 else x[::-1]
        ndim = x.ndim
        kd = [np.float32, np.float64][(case // 2) % 2]
        Ks = [int(rng.choice([1, 2, 3, 5, 8, 13, 70])) for _ in range(2)]
        if case % 7 == 0:
            axes, Ks = None, Ks[:1] * 2
            ks = random_kernel(rng, Ks[0]).astype(kd)
            listed = ks.tolist()
        else:
            a0, a1 = (int(a) - ndim * int(rng.integers(0, 2)) for a in rng.permutation(ndim)[:2])
            axes = (a0, a1)
            ks = [random_kernel(rng, K).astype(kd) for K in Ks]
            listed = [k.tolist() for k in ks]
        origin = int(rng.integers(-(min(Ks) // 2), (min(Ks) - 1) // 2 + 1))
        mode = str(rng.choice(CANONICAL_MODES))
        cval = float(rng.choice([0.0, 1.5]))
        threads = [None, 1, 2][case % 3]
        out = [None, np.empty(x.shape, dtype), np.empty(x.shape, dtype, order="F"), "x"][case % 4]
        if isinstance(out, str):
            out = x = x.copy()  # C-ordered: x_before has its strides, hence its pass order
        x_before = x.copy() if out is x else x
        taken += _plain_pair(x, ks, axes, mode, cval, origin, out, threads, None) is not None
        fast = call(fname, x, ks, axes=axes, mode=mode, cval=cval, origin=origin, out=out,
                    threads=threads)
        general_axes = None if axes is None else [np.int64(a) for a in axes]
        general = call(fname, x_before, listed, axes=general_axes, mode=mode, cval=cval,
                       origin=origin)
        label = f"case {case}: {fname} {x.shape} axes {axes} K {Ks} {kd.__name__} {mode}"
        assert fast.tobytes() == general.tobytes(), label
        if out is not None:
            assert fast is out
        exp = separable_oracle(fname, x_before, ks, axes=axes, mode=mode, cval=cval,
                               origin=origin)
        pair = [ks, ks] if axes is None else ks
        assert_chain_close(fast, exp, dtype, pair, [mode] * 2, x_before, cval, err_msg=label)
    assert taken > 60  # the fast path itself was exercised (76 of the 200 cases)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_short_planes_in_narrower_tiles_give_the_bits_of_two_line_passes(simd, stores, dtype):
    """A plane too short for 4 bands (and too few planes) is shared in narrower tiles, each
    preparing its own halo columns (plane.inc, F(tile_plane)): the bits of correlate1d along
    one axis and then the other, at 1 and 2 threads, streamed or not, and scipy's values --
    the last tile partial, a stack of two planes, kernels whose halo spans most of a tile."""
    block = register_block(dtype)
    rng = np.random.default_rng(44)
    for shape in [(5, 16 * block + 3), (60, 8 * block), (2, 40, 12 * block - 5),
                  (100, 4 * block + 1)]:
        x = random_values(rng, shape, dtype)
        for Kr, Kc, mode in ((3, 3, "reflect"), (13, 13, "mirror"), (5, 31, "wrap"),
                             (31, 2, "nearest")):
            kr, kc = random_kernel(rng, Kr, kind="symmetric"), random_kernel(rng, Kc)
            rows = axisconv.correlate1d(x, kc, axis=-1, mode=mode)
            cols = axisconv.correlate1d(x, kr, axis=-2, mode=mode)
            want = {axisconv.correlate1d(rows, kr, axis=-2, mode=mode).tobytes(),
                    axisconv.correlate1d(cols, kc, axis=-1, mode=mode).tobytes()}
            msg = f"{shape} K {Kr},{Kc} {mode}"
            for threads in (1, 2):
                got = axisconv.correlate_separable(x, [kr, kc], axes=(-2, -1), mode=mode,
                                                   threads=threads)
                assert got.tobytes() in want, msg
            exp = separable_oracle("correlate_separable", x, [kr, kc], axes=(-2, -1),
                                   mode=mode)
            assert_chain_close(got, exp, dtype, [kr, kc], [mode] * 2, x, 0.0, msg)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_narrow_planes_give_the_bits_of_two_line_passes(simd, dtype):
    """Planes under two register blocks wide run their first pass a group of rows per kernel
    call (separable.inc, F(first_pass_rows)), wider ones a row at a time: either way the
    bits of correlate1d along one axis and then the other (in the order of the strides,
    which a single column turns), for every height (groups of 4 rows, the halo, several
    bands) and thread count, and scipy's values.  (Constant mode is checked against the
    oracle above.)"""
    block = register_block(dtype)
    rng = np.random.default_rng(43)
    for W in (1, 2, 7, 2 * block - 1, 2 * block, 2 * block + 5):
        for H in (1, 3, 6, 37, 700):
            for Kr, Kc in ((3, 3), (1, 5), (9, 2)):
                x = random_values(rng, (H, W), dtype)
                kr, kc = random_kernel(rng, Kr, kind="symmetric"), random_kernel(rng, Kc)
                for mode in ("reflect", "mirror", "nearest", "wrap"):
                    rows = axisconv.correlate1d(x, kc, axis=1, mode=mode)
                    cols = axisconv.correlate1d(x, kr, axis=0, mode=mode)
                    want = {axisconv.correlate1d(rows, kr, axis=0, mode=mode).tobytes(),
                            axisconv.correlate1d(cols, kc, axis=1, mode=mode).tobytes()}
                    msg = f"{W}x{H} K {Kr},{Kc} {mode}"
                    for threads in (1, 2):
                        got = axisconv.correlate_separable(x, [kr, kc], mode=mode,
                                                           threads=threads)
                        assert got.tobytes() in want, msg
                    exp = separable_oracle("correlate_separable", x, [kr, kc], mode=mode)
                    assert_chain_close(got, exp, dtype, [kr, kc], [mode] * 2, x, 0.0, msg)
