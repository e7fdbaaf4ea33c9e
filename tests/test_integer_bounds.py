"""The integer kernels read images in place and in whole vectors, ending a line with a block
that overlaps the last: none may touch a byte outside the array.  Each image sits against an
inaccessible page (test_memory_bounds.fenced), so a read past either end crashes the run;
every vector path (8-, 16-, 32- and 64-bit arithmetic) is exercised and checked bit for bit
against the reference."""
import sys

import numpy as np
import pytest

import axisconv
from reference import integer as ref
from axisconv import _fixed

if not sys.platform.startswith("linux"):
    pytest.skip("uses mprotect", allow_module_level=True)

from test_memory_bounds import KS, fenced, lengths  # noqa: E402

KERNELS = {  # one per kind of arithmetic the plan and the kernels choose
    "bytes": lambda rng, K: rng.integers(0, 5, K) / 16.0,      # uint8: pmaddubsw, 16-bit sums
    "narrow": lambda rng, K: rng.uniform(-1, 1, K),            # 32-bit sums
    "wide": lambda rng, K: rng.uniform(-1, 1, K) * 300.0,      # 64-bit sums for 16-bit images
}


@pytest.mark.parametrize("at_end", [True, False], ids=["end", "start"])
@pytest.mark.parametrize("dtype", [np.uint8, np.uint16, np.int16])
def test_integer_rows_and_columns_stay_inside_the_image(simd, dtype, at_end):
    rng = np.random.default_rng(3)
    lo, hi = ref.RANGES[np.dtype(dtype)]
    for K in KS:
        for n in lengths(K):
            x = fenced((5, n), dtype, at_end)
            x[...] = rng.integers(lo, hi + 1, x.shape)
            for make in KERNELS.values():
                k = make(rng, K)
                F = _fixed.plan_single(k, dtype, dtype).shifts[0]
                for axis in (0, 1):
                    got = axisconv.correlate1d(x, k, axis=axis, mode="mirror", dtype=dtype)
                    want = ref.correlate1d(x, k, F, dtype, axis=axis, mode="mirror")
                    np.testing.assert_array_equal(got, want)


@pytest.mark.parametrize("at_end", [True, False], ids=["end", "start"])
def test_integer_separable_and_2d_stay_inside_the_image(simd, at_end):
    rng = np.random.default_rng(4)
    for n in (5, 40, 150, 2 * 128 + 19):
        x = fenced((n, n), np.uint8, at_end)
        x[...] = rng.integers(0, 256, x.shape)
        for K in (3, 9, 20):
            for make in KERNELS.values():
                k = make(rng, K)
                plan = _fixed.plan_separable(k, k, np.uint8, np.uint8)
                got = axisconv.correlate_separable(x, k, dtype=np.uint8)
                want = ref.correlate_separable(x, k, k, *plan.shifts, np.uint8, axes=(0, 1))
                np.testing.assert_array_equal(got, want)
            got = axisconv.correlate2d(x, rng.uniform(-1, 1, (3, K)), mode="same",
                                       boundary="symm", dtype=np.int16)
            assert got.shape == x.shape
