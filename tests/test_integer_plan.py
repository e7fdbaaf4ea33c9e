"""Integer results beyond bit equality: the plan follows its stated rule (F the most bits
that 32-bit, else 64-bit sums allow, E computed exactly), results are within 1/2 + E of the
float64 result (within 1 unit for normalised kernels), constant images stay constant, values
saturate at both ends, in place works, and bad arguments raise errors naming them."""
import math
from fractions import Fraction

import numpy as np
import pytest
import scipy.ndimage as ndi
import scipy.signal
from hypothesis import example, given, settings, strategies as st

import axisconv
from reference import integer as ref
from _axc_testing import n_examples, raises_naming
from test_integer import make_kernel
from axisconv import _fixed

TYPES = [np.uint8, np.uint16, np.int16]
NARROW, WIDE = (2 ** 15 - 1, 32, 30), (2 ** 31 - 1, 64, 62)


def sums_fit(q, F, lo, hi, bits):
    """The documented condition on the sums S = sum q x over x in [lo, hi]: they span at
    most 2^bits - 2^F values and S / 2^F stays within +-2^(bits - 2)."""
    pos = sum(int(v) for v in q.ravel() if v > 0)
    neg = sum(int(v) for v in q.ravel() if v < 0)
    smin, smax = pos * lo + neg * hi, pos * hi + neg * lo
    half = 1 << (F - 1) if F else 0
    return (smax - smin + (1 << F) <= 1 << bits and (smin + half) >> F >= -(1 << (bits - 2))
            and (smax + half) >> F < 1 << (bits - 2))


def largest_f(k, lo, hi, width):
    limit, bits, fmax = width
    for F in range(fmax, -1, -1):
        q = ref.quantise(k, F)
        if max(abs(int(v)) for v in q.ravel()) <= limit and sums_fit(q, F, lo, hi, bits):
            return F
    return None


def exact_at(k, F):
    return all(Fraction(float(v)) * 2 ** F == int(q) for v, q in zip(k.ravel(), ref.quantise(k, F).ravel()))


def kernels(min_size=1, max_size=41):
    return st.builds(lambda seed, K, kind: make(np.random.default_rng(seed), K, kind),
                     st.integers(0, 2 ** 32 - 1), st.integers(min_size, max_size),
                     st.sampled_from(["random", "smooth", "dyadic", "gain"]))


def make(rng, K, kind):
    """test_integer's kernels, with gains up to 10^4 (kind 'gain')."""
    return make_kernel(rng, K, kind, gains=(-3, 4))


@settings(max_examples=n_examples(60))
@given(k=kernels(), tin=st.sampled_from(TYPES))
@example(k=np.array([0.99997053]), tin=np.uint8)  # 2^15 x 0.99997 rounds to 32767: F = 15 fits
def test_single_pass_plan_follows_the_rule(k, tin):
    lo, hi = ref.RANGES[np.dtype(tin)]
    plan = _fixed.plan_single(k, tin, tin)
    wide, F = plan.rounding[0], plan.shifts[0]
    E = ref.box_bound(k, ref.quantise(k, F), F, lo, hi)
    assert math.isclose(plan.bound, E, rel_tol=1e-9, abs_tol=1e-12)
    narrow = largest_f(k, lo, hi, NARROW)
    if narrow is not None and exact_at(k, narrow):  # same result with the fewest bits
        assert not wide and exact_at(k, F) and (F == 0 or not exact_at(k, F - 1))
        return
    e_narrow = None if narrow is None else ref.box_bound(k, ref.quantise(k, narrow), narrow, lo, hi)
    if e_narrow is not None and e_narrow <= 0.5 - 1e-9:
        assert not wide and F == narrow
    else:
        assert wide and F == largest_f(k, lo, hi, WIDE)


@settings(max_examples=n_examples(15))
@given(k1=kernels(max_size=15), k2=kernels(max_size=15), tin=st.sampled_from(TYPES))
def test_separable_plan_follows_the_rule(k1, k2, tin):
    """Largest F1 + F2, then the most even split (F1 >= F2 on ties), for which taps fit,
    first-pass sums fit signed sums and second-pass sums fit as for one pass."""
    lo, hi = ref.RANGES[np.dtype(tin)]
    plan = _fixed.plan_separable(k1, k2, tin, tin)
    wide, (F1, F2) = plan.rounding[0], plan.shifts
    limit, bits, fmax = WIDE if wide else NARROW

    def feasible(f1, f2):
        q1, q2 = ref.quantise(k1, f1), ref.quantise(k2, f2)
        if max(abs(int(v)) for v in list(q1) + list(q2)) > limit:
            return False
        b = sorted([sum(min(int(v) * lo, int(v) * hi) for v in q1),
                    sum(max(int(v) * lo, int(v) * hi) for v in q1)])
        if b[0] < -(1 << (bits - 1)) or b[1] >= 1 << (bits - 1):
            return False
        return sums_fit(q2, f1 + f2, b[0], b[1], bits)

    assert feasible(F1, F2)
    E = ref.separable_bound(k1, k2, ref.quantise(k1, F1), ref.quantise(k2, F2), F1, F2, lo, hi)
    assert math.isclose(plan.bound, E, rel_tol=1e-9, abs_tol=1e-12)
    assert not wide or plan.bound <= 0.5 or F1 + F2 > 0
    if exact_at(k1, F1) and exact_at(k2, F2):
        return  # possibly fewer bits than the rule's: the same result
    for f1 in range(F1 + F2 + 1):  # nothing more even at this total ...
        if abs(2 * f1 - F1 - F2) < abs(F1 - F2) or (abs(2 * f1 - F1 - F2) == abs(F1 - F2) and f1 > F1):
            assert not feasible(f1, F1 + F2 - f1)
    total = F1 + F2 + 1  # ... and no larger total
    assert total > fmax or not any(feasible(f1, total - f1) for f1 in range(total + 1)
                                   if f1 <= fmax and total - f1 <= fmax)


@settings(max_examples=n_examples(40))
@given(seed=st.integers(0, 2 ** 32 - 1), K=st.integers(1, 64), tin=st.sampled_from(TYPES),
       scale=st.sampled_from([1.0, 0.5, 0.99]))
def test_normalised_kernels_are_within_one_unit(seed, K, tin, scale):
    rng = np.random.default_rng(seed)
    k = rng.uniform(0, 1, K) ** 3
    k = k / k.sum() * scale
    assert _fixed.plan_single(k, tin, tin).bound <= 0.5
    k2 = rng.uniform(0, 1, int(rng.integers(1, 65)))
    assert _fixed.plan_separable(k, k2 / k2.sum(), tin, tin).bound <= 0.5


def test_documented_gaussian_bounds():
    t = np.arange(15) - 7.0
    g = np.exp(-0.5 * (t / 2.5) ** 2)
    g /= g.sum()
    assert _fixed.plan_single(g, np.uint8, np.uint8).bound < 0.01
    assert _fixed.plan_separable(g, g, np.uint8, np.uint8).bound < 0.32


@settings(max_examples=n_examples(40))
@given(seed=st.integers(0, 2 ** 32 - 1), K=st.integers(1, 41), tin=st.sampled_from(TYPES),
       tout=st.sampled_from(TYPES), kind=st.sampled_from(["random", "smooth", "gain"]),
       mode=st.sampled_from(["reflect", "mirror", "nearest", "wrap", "constant"]))
def test_within_the_bound_of_the_float64_result(seed, K, tin, tout, kind, mode):
    rng = np.random.default_rng(seed)
    lo, hi = ref.RANGES[np.dtype(tin)]
    olo, ohi = ref.RANGES[np.dtype(tout)]
    x = rng.integers(lo, hi + 1, (23, 37)).astype(tin)
    k, k2 = make(rng, K, kind), make(rng, int(rng.integers(1, 12)), kind)
    cval = int(rng.integers(lo, hi + 1))
    y = axisconv.correlate1d(x, k, axis=0, mode=mode, cval=cval, dtype=tout)
    Y = ndi.correlate1d(x.astype(float), k, axis=0, mode=mode, cval=cval)
    E = _fixed.plan_single(k, tin, tout).bound
    assert np.abs(y - np.clip(Y, olo, ohi)).max() <= 0.5 + E + 1e-6
    y = axisconv.correlate_separable(x, [k, k2], mode=mode, cval=cval, dtype=tout)
    Y = ndi.correlate1d(ndi.correlate1d(x.astype(float), k, axis=0, mode=mode, cval=cval), k2,
                        axis=1, mode=mode, cval=cval)
    E = _fixed.plan_separable(k, k2, tin, tout, cval if mode == "constant" else None).bound
    assert np.abs(y - np.clip(Y, olo, ohi)).max() <= 0.5 + E + 1e-6
    k2d = rng.uniform(-1, 1, (3, 4))
    y = axisconv.convolve2d(x, k2d, mode="same", boundary="symm", dtype=tout)
    Y = scipy.signal.convolve2d(x.astype(float), k2d, mode="same", boundary="symm")
    E = _fixed.plan_single(k2d[::-1, ::-1], tin, tout).bound
    assert np.abs(y - np.clip(Y, olo, ohi)).max() <= 0.5 + E + 1e-6


@pytest.mark.parametrize("tin", TYPES)
@pytest.mark.parametrize("mode", ["reflect", "mirror", "nearest", "wrap", "constant"])
def test_constant_images_stay_constant(tin, mode):
    rng = np.random.default_rng(3)
    lo, hi = ref.RANGES[np.dtype(tin)]
    for K in (1, 2, 3, 8, 15, 41):
        for k in (rng.uniform(0, 1, K), rng.uniform(-0.5, 1, K)):
            k = k / k.sum()
            c = int(rng.integers(lo, hi + 1))
            x = np.full((40, 70), c, tin)
            for y in (axisconv.correlate1d(x, k, mode=mode, cval=c, dtype=tin),
                      axisconv.convolve1d(x, k, axis=0, mode=mode, cval=c, dtype=tin),
                      axisconv.correlate_separable(x, [k, k[::-1]], mode=mode, cval=c,
                                                   dtype=tin),
                      axisconv.correlate2d(x, np.outer(k, k), mode="same",
                                           boundary="fill" if mode == "constant" else mode,
                                           fillvalue=c, dtype=tin)):
                assert (y == c).all(), (K, k)


@pytest.mark.parametrize("tin, tout, k, expect", [
    (np.uint8, np.uint8, [3.0], lambda x: np.clip(3 * x, 0, 255)),
    (np.uint8, np.uint8, [-1.0], lambda x: np.zeros_like(x)),
    (np.uint8, np.int16, [-200.0], lambda x: np.clip(-200 * x, -32768, 32767)),
    (np.uint8, np.int16, [300.0], lambda x: np.clip(300 * x, -32768, 32767)),
    (np.int16, np.int16, [-1.0], lambda x: np.clip(-x, -32768, 32767)),
    (np.int16, np.uint8, [0.5, 0.5], None),
    (np.uint16, np.uint8, [1.0], lambda x: np.clip(x, 0, 255)),
])
def test_saturation_at_both_ends(simd, tin, tout, k, expect):
    lo, hi = ref.RANGES[np.dtype(tin)]
    x = np.random.default_rng(0).integers(lo, hi + 1, (31, 200)).astype(tin)
    x[0, :3] = [lo, hi, 0]
    y = axisconv.correlate1d(x, k, dtype=tout, mode="nearest")
    plan = _fixed.plan_single(np.array(k), tin, tout)
    np.testing.assert_array_equal(y, ref.correlate1d(x, k, plan.shifts[0], tout, mode="nearest"))
    if expect is not None:
        np.testing.assert_array_equal(y, expect(x.astype(np.int64)))
    olo, ohi = ref.RANGES[np.dtype(tout)]
    assert y.min() >= olo and y.max() <= ohi


def test_in_place_and_overlapping_outputs():
    rng = np.random.default_rng(4)
    k = np.array([0.1, 0.2, 0.4, 0.2, 0.1])
    for axis in (0, 1):
        x = rng.integers(0, 256, (50, 90)).astype(np.uint8)
        want = axisconv.correlate1d(x, k, axis=axis, dtype=np.uint8)
        assert axisconv.correlate1d(x, k, axis=axis, out=x) is x
        np.testing.assert_array_equal(x, want)
    x = rng.integers(0, 256, (50, 90)).astype(np.uint8)
    want = axisconv.correlate_separable(x, k, dtype=np.uint8)
    assert axisconv.correlate_separable(x, k, out=x) is x
    np.testing.assert_array_equal(x, want)
    base = rng.integers(0, 256, (50, 91)).astype(np.uint8)
    x, out = base[:, :90], base[:, 1:]  # overlapping, shifted by one sample
    want = axisconv.convolve_separable(x.copy(), k, dtype=np.uint8)
    axisconv.convolve_separable(x, k, out=out)
    np.testing.assert_array_equal(out, want)


def test_64_bit_path_is_exact(simd):
    """Kernels whose 32-bit plan is not within 1/2 run with 64-bit sums, still exactly."""
    rng = np.random.default_rng(6)
    g = np.exp(-0.5 * ((np.arange(41) - 20) / 7.0) ** 2)
    g /= g.sum()
    k = rng.uniform(-1, 1, 9)
    for tin, k1, k2 in ((np.uint8, g, g), (np.uint16, k, k[:5]), (np.int16, g[::4], k)):
        lo, hi = ref.RANGES[np.dtype(tin)]
        x = rng.integers(lo, hi + 1, (60, 140)).astype(tin)
        plan = _fixed.plan_separable(k1, k2, tin, tin)
        assert plan.rounding[0] == 1 and plan.bound <= 0.5
        got = axisconv.correlate_separable(x, [k1, k2], axes=(1, 0), dtype=tin, threads=2)
        want = ref.correlate_separable(x, k1, k2, *plan.shifts, tin, axes=(1, 0))
        np.testing.assert_array_equal(got, want)
    plan = _fixed.plan_single(k, np.uint16, np.uint16)
    assert plan.rounding[0] == 1
    x = rng.integers(0, 65536, (60, 140)).astype(np.uint16)
    for axis in (0, 1):
        got = axisconv.correlate1d(x, k, axis=axis, dtype=np.uint16)
        np.testing.assert_array_equal(got, ref.correlate1d(x, k, plan.shifts[0], np.uint16,
                                                           axis=axis))


def test_without_dtype_or_out_nothing_changes():
    x = np.arange(60, dtype=np.uint8).reshape(6, 10)
    for y in (axisconv.correlate1d(x, [1, 2, 1]), axisconv.correlate_separable(x, [1, 2, 1]),
              axisconv.correlate2d(x, np.ones((2, 2))),
              axisconv.correlate1d(x, [1, 2, 1], dtype=np.float64),
              axisconv.correlate1d(x, [1, 2, 1], out=np.empty(x.shape))):
        assert y.dtype == np.float64
    np.testing.assert_array_equal(axisconv.correlate1d(x, [1, 2, 1]),
                                  ndi.correlate1d(x.astype(float), [1, 2, 1]))
    swapped = x.astype(">u2")
    np.testing.assert_array_equal(axisconv.correlate1d(swapped, [0.5, 0.5], dtype=np.uint16),
                                  axisconv.correlate1d(x.astype(np.uint16), [0.5, 0.5],
                                                       dtype=np.uint16))


X8 = np.arange(120, dtype=np.uint8).reshape(10, 12)
F1D = [axisconv.correlate1d, axisconv.convolve1d]
SEP = [axisconv.correlate_separable, axisconv.convolve_separable]


@pytest.mark.parametrize("f", F1D + SEP)
def test_argument_errors_name_the_argument(f):
    k = [0.25, 0.5, 0.25]
    raises_naming(TypeError, "dtype", f, X8, k, dtype="int32")
    raises_naming(TypeError, "dtype", f, X8, k, dtype="no such type")
    raises_naming(TypeError, "dtype", f, X8.astype(np.float32), k, dtype=np.uint8)
    raises_naming(TypeError, "dtype", f, X8.astype(np.int32), k, dtype=np.uint8)
    raises_naming(TypeError, "dtype", f, X8, k, dtype=np.uint16, out=np.empty(X8.shape, np.uint8))
    raises_naming(TypeError, "out", f, X8.astype(np.float64), k, out=np.empty(X8.shape, np.uint8))
    raises_naming(ValueError, "out", f, X8, k, out=np.empty((3, 3), np.uint8))
    ro = np.empty(X8.shape, np.uint8)
    ro.flags.writeable = False
    raises_naming(ValueError, "out", f, X8, k, out=ro)
    for bad in (0.5, 256, -1, np.nan):
        raises_naming(ValueError, "cval", f, X8, k, mode="constant", cval=bad, dtype=np.uint8)
    raises_naming(TypeError, "cval", f, X8, k, mode="constant", cval="0", dtype=np.uint8)
    raises_naming(TypeError, "cval", f, X8, k, cval="0", dtype=np.uint8)
    assert f(X8, k, cval=0.5, dtype=np.uint8).dtype == np.uint8  # unused by mode 'reflect'
    assert f(X8, k, mode="zeros", cval=300, dtype=np.uint8).dtype == np.uint8
    name = "kernels" if f in SEP else "kernel"
    raises_naming(TypeError, name, f, X8, [0.5j, 0.5], dtype=np.uint8)
    raises_naming(ValueError, name, f, X8, [np.nan, 0.5], dtype=np.uint8)
    raises_naming(ValueError, name, f, X8, [1e10], dtype=np.uint8)
    raises_naming(ValueError, "mode", f, X8, k, mode="bogus", dtype=np.uint8)
    raises_naming(ValueError, "origin", f, X8, k, origin=5, dtype=np.uint8)
    if f in SEP:
        raises_naming(ValueError, "axes", f, np.zeros((3, 4, 5), np.uint8), k,
                      axes=(0, 1, 2), dtype=np.uint8)


@pytest.mark.parametrize("f", [axisconv.correlate2d, axisconv.convolve2d])
def test_conv2d_argument_errors(f):
    k = np.ones((3, 3)) / 9
    raises_naming(TypeError, "dtype", f, X8, k, dtype="float16")
    raises_naming(TypeError, "dtype", f, X8.astype(np.float32), k, dtype=np.int16)
    raises_naming(ValueError, "fillvalue", f, X8, k, fillvalue=1.5, dtype=np.uint8)
    raises_naming(TypeError, "kernel", f, X8, k + 1j, dtype=np.uint8)
    raises_naming(ValueError, "x", f, X8[0], k, dtype=np.uint8)
    assert f(X8, k, mode="same", dtype=np.float64).dtype == np.float64
    empty = np.zeros((0, 5), np.uint8)
    np.testing.assert_array_equal(f(empty, k, boundary="fill", fillvalue=9, dtype=np.uint8),
                                  np.full((2, 7), 9, np.uint8))
    raises_naming(ValueError, "boundary", f, empty, k, boundary="symm", dtype=np.uint8)
