"""Unaligned kernels, filters and biases reach the C core aligned: every family gives the
same bits as with aligned copies.  Under the sanitizer build (.ci/run, AXISCONV_SANITIZE)
an unaligned buffer read by C would stop the run with a UBSan report (it did for the 1-D
kernel, in line_tools.inc, and for conv1d's filters and bias)."""
import numpy as np
import pytest

import axisconv
from _layouts import unaligned_copy


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_unaligned_kernels_give_the_aligned_bits(simd, dtype):
    rng = np.random.default_rng(7)
    x = rng.standard_normal((37, 41)).astype(dtype)
    k = rng.standard_normal(7)
    k2 = rng.standard_normal((3, 5))
    for kk in (k, k.astype(np.float32)):
        for axis in (0, 1):
            assert not unaligned_copy(kk).flags.aligned
            got = axisconv.correlate1d(x, unaligned_copy(kk), axis=axis)
            assert got.tobytes() == axisconv.correlate1d(x, kk, axis=axis).tobytes()
    got = axisconv.correlate_separable(x, [unaligned_copy(k[:5]), unaligned_copy(k)])
    assert got.tobytes() == axisconv.correlate_separable(x, [k[:5], k]).tobytes()
    got = axisconv.correlate2d(x, unaligned_copy(k2), mode="same")
    assert got.tobytes() == axisconv.correlate2d(x, k2, mode="same").tobytes()
    got = axisconv.on1d.filter_bank(x[0], unaligned_copy(k2), mode="same")
    assert got.tobytes() == axisconv.on1d.filter_bank(x[0], k2, mode="same").tobytes()


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_unaligned_conv1d_filters_and_bias_give_the_aligned_bits(simd, dtype):
    rng = np.random.default_rng(8)
    x = rng.standard_normal((2, 50, 6)).astype(dtype)
    for groups, c_out in ((1, 10), (6, 6)):
        filters = rng.standard_normal((3, 6 // groups, c_out))
        bias = rng.standard_normal(c_out)
        got = axisconv.conv1d(x, unaligned_copy(filters), groups=groups,
                              bias=unaligned_copy(bias))
        want = axisconv.conv1d(x, filters, groups=groups, bias=bias)
        assert got.tobytes() == want.tobytes()
