"""One sum, one order: a line gives the same bits along any axis, folding never overflows
where the unfolded sum would not (docs/contract.md, "How sums are formed")."""
import numpy as np
import pytest
import scipy.ndimage as ndi

import axisconv

KINDS = ("general", "symmetric", "antisymmetric")


def kernel(rng, K, kind):
    k = rng.standard_normal(K)
    if kind == "symmetric":
        k = k + k[::-1]
    elif kind == "antisymmetric":
        k = k - k[::-1]
    return k


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("K", [1, 2, 3, 4, 5, 7, 9, 11, 13, 15, 17, 31, 33, 65])
def test_a_line_gives_the_same_bits_along_rows_and_columns(simd, dtype, kind, K):
    rng = np.random.default_rng(K)
    k = kernel(rng, K, kind)
    x = rng.standard_normal((203, 197)).astype(dtype)
    for mode in ("reflect", "wrap", "constant"):
        down = axisconv.correlate1d(x, k, axis=0, mode=mode, cval=0.5)
        along = axisconv.correlate1d(np.ascontiguousarray(x.T), k, axis=1, mode=mode, cval=0.5)
        np.testing.assert_array_equal(down, along.T, err_msg=mode)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("K", [3, 5, 7, 15, 31])
def test_separable_pass_sums_like_two_1d_passes(simd, dtype, K):
    """The fused pass: its first pass along rows, its second down columns, each in the one
    order -- so it equals the two 1-D passes bit for bit."""
    rng = np.random.default_rng(K)
    kr, kc = kernel(rng, K, "symmetric"), kernel(rng, K, "general")
    x = rng.standard_normal((150, 170)).astype(dtype)
    fused = axisconv.correlate_separable(x, [kc, kr], axes=(0, 1))
    rows = axisconv.correlate1d(x, kr, axis=1)
    np.testing.assert_array_equal(fused, axisconv.correlate1d(rows, kc, axis=0))


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("K", [3, 7, 31])
@pytest.mark.parametrize("mode", ["reflect", "mirror", "nearest", "wrap", "constant"])
def test_symmetric_filter_keeps_mirror_symmetry_exactly(simd, dtype, K, mode):
    rng = np.random.default_rng(K)
    k = kernel(rng, K, "symmetric")
    x = rng.standard_normal((64, 96)).astype(dtype)
    x = x + x[::-1, :]
    x = x + x[:, ::-1]  # mirror-symmetric along both axes
    y = axisconv.correlate_separable(x, k, mode=mode)
    np.testing.assert_array_equal(y, y[::-1, :])
    np.testing.assert_array_equal(y, y[:, ::-1])
    for axis in (0, 1):
        z = axisconv.correlate1d(x, k, axis=axis, mode=mode)
        np.testing.assert_array_equal(z, np.flip(z, axis))


@pytest.mark.parametrize("K", [3, 5, 9, 13, 31])
@pytest.mark.parametrize("axis", [0, 1])
def test_folding_does_not_overflow_where_scipy_does_not(simd, K, axis):
    """x[t] + x[K-1-t] overflows float32 near FLT_MAX; the products do not."""
    k = np.full(K, 1.0 / K)
    k[K // 2] += 0.5
    k /= k.sum()
    big = np.float32(3e38)
    x = np.full((40, 45), big, np.float32)
    x[5:9, 7:30] = -big
    x[20, 20] = np.inf
    x[30, 3] = np.nan
    want = ndi.correlate1d(x.astype(np.float64), k, axis=axis).astype(np.float32)
    got = axisconv.correlate1d(x, k, axis=axis)
    np.testing.assert_array_equal(np.isfinite(got), np.isfinite(want))
    np.testing.assert_array_equal(np.isnan(got), np.isnan(want))
    finite = np.isfinite(want)
    np.testing.assert_allclose(got[finite], want[finite], rtol=K * 2e-7)


def test_folding_overflow_in_the_fused_pass():
    x = np.full((50, 60), 3e38, np.float32)
    y = axisconv.correlate_separable(x, [0.25, 0.5, 0.25])
    np.testing.assert_allclose(y, 3e38, rtol=1e-6)
    assert axisconv.correlate1d(np.full(8, 3e38, np.float32), [.25, .5, .25]).tolist() == \
        [np.float32(3e38)] * 8


def float32_taps(k, fname="correlate1d"):
    """The float32 taps a call uses, read back from the response to a unit impulse."""
    K = len(k)
    x = np.zeros(3 * K, np.float32)
    x[K + K // 2] = 1
    y = getattr(axisconv, fname)(x, k, mode="constant")
    return y[K:2 * K][::-1].astype(np.float64)


@pytest.mark.parametrize("sigma", [0.7, 1.0, 1.5, 3.0, 5.0])
def test_float32_taps_keep_the_kernels_sum(sigma):
    r = int(4 * sigma + 0.5)
    g = np.exp(-0.5 * (np.arange(-r, r + 1) / sigma) ** 2)
    g /= g.sum()
    taps = float32_taps(g)
    assert abs(taps.sum() - g.sum()) <= np.spacing(np.float32(g.min()))
    np.testing.assert_array_equal(taps, taps[::-1])            # still symmetric
    assert np.all(np.abs(taps - g) <= np.spacing(np.float32(g.max())))


def test_float32_taps_keep_zeros_antisymmetry_and_general_sums():
    rng = np.random.default_rng(3)
    k = rng.standard_normal(9) / 7
    k[[2, 5]] = 0
    taps = float32_taps(k)
    assert taps[2] == taps[5] == 0
    assert abs(taps.sum() - k.sum()) <= np.spacing(np.float32(np.abs(k[k != 0]).min()))
    d = np.array([-0.1, -0.3, 0, 0.3, 0.1])
    np.testing.assert_array_equal(float32_taps(d), d.astype(np.float32))


def test_float32_gaussian_keeps_the_total_of_a_ramp():
    """The finding: a float32 ramp smoothed along both axes changed its total by 1.6."""
    x = np.arange(10000, dtype=np.float32).reshape(100, 100)
    g = np.exp(-0.5 * np.arange(-4, 5) ** 2)
    g /= g.sum()
    twice = axisconv.correlate1d(axisconv.correlate1d(x, g, axis=0), g, axis=1)
    for y in (twice, axisconv.correlate_separable(x, g)):
        assert abs(y.sum(dtype=np.float64) - x.sum(dtype=np.float64)) < 0.15


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_streamed_and_plain_stores_give_the_same_bits(simd, dtype):
    """Whether outputs are streamed past the caches is a tuning decision (cache.c): both of
    its branches, on every path that streams, give the same bits."""
    from axisconv import _core
    rng = np.random.default_rng(5)
    x = rng.standard_normal((3, 150, 261)).astype(dtype)
    k, g = kernel(rng, 7, "symmetric"), kernel(rng, 6, "general")
    k2, filters = rng.standard_normal((3, 4)), rng.standard_normal((3, 261, 261)) / 30
    calls = [lambda: axisconv.correlate1d(x, g, axis=-2),
             lambda: axisconv.correlate1d(x, k, axis=-2),
             lambda: axisconv.correlate1d(x, g, axis=-1),
             lambda: axisconv.correlate1d(x, k, axis=-1),
             lambda: axisconv.correlate_separable(x, [k, g]),
             lambda: axisconv.correlate2d(x, np.outer(k, g), "same"),
             lambda: axisconv.correlate2d(x, k2, "same"),
             lambda: axisconv.conv1d(x, filters)]
    try:
        results = []
        for threshold in (0, 2**62):
            _core.set_stream_threshold(threshold)
            results.append([call() for call in calls])
    finally:
        _core.set_stream_threshold(-1)
    for streamed, plain in zip(*results):
        np.testing.assert_array_equal(streamed, plain)


def test_a_tiny_tap_does_not_absorb_a_large_carry():
    """The fuzz test's finding: rounding carried into a tap far smaller than it flipped the
    tap's sign (-9.9e-11 became +2.0e-9), and with it the sign of an infinite output."""
    k = np.array([-9.94523e-11, 0.714808553, -0.932828849, 0.459310893, -0.648688759])
    taps = float32_taps(k)
    assert np.all(np.sign(taps) == np.sign(k))
    assert np.all(np.abs(taps - k) <= np.maximum(np.abs(k) * 2.0**-10,
                                                  np.spacing(np.float32(np.abs(k).max()))))
    x = np.zeros(9, np.float32)
    x[4] = np.inf
    want = np.sign(np.correlate(np.where(np.isinf(x), 1.0, 0.0), k, "same"))
    got = axisconv.correlate1d(x, k, mode="constant")
    np.testing.assert_array_equal(np.sign(got[np.isinf(got)]), want[np.isinf(got)])
