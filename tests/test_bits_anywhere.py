"""An output has the same bits wherever it falls: in a line of any length, at any offset.

axisconv.dask filters each chunk of an array on its own, and is exact only if the C
kernels sum an output the same way in a chunk as in the whole array.  The row kernels of
long kernels once summed residue by residue in blocks but tap by tap in lines shorter than
a block and in the short pieces next to a line's boundary, so the bits of an output
depended on where the line was cut.
"""
import numpy as np
import pytest

import axisconv

KERNEL_SIZES = [3, 5, 8, 9, 15, 16, 17, 24, 31, 33, 48, 63]


def _kernel(size, shape):
    k = np.random.default_rng(size).standard_normal(size)
    return {"general": k, "symmetric": k + k[::-1], "antisymmetric": k - k[::-1]}[shape]


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("shape", ["general", "symmetric", "antisymmetric"])
def test_row_outputs_do_not_depend_on_the_cut(simd, dtype, shape):
    x = np.random.default_rng(0).standard_normal((3, 400)).astype(dtype)
    for size in KERNEL_SIZES:
        k = _kernel(size, shape)
        for origin in {0, -(size // 2), (size - 1) // 2}:
            whole = axisconv.correlate1d(x, k, axis=1, origin=origin)
            left, right = size // 2 + origin, size - 1 - size // 2 - origin
            for start in (0, 1, 7, 13, 16, 33):
                for n in (1, 5, 17, 60, 81, 130, 300):
                    end = start + n
                    if end > x.shape[1] or (start == 0 and n < left) or (
                            end == x.shape[1] and n < right):
                        continue  # 'reflect' at a shared edge would read beyond the cut
                    cut = axisconv.correlate1d(x[:, start:start + n], k, axis=1,
                                               origin=origin)
                    # Outputs whose window lies inside the cut (or reaches only the
                    # boundary they share with the whole line):
                    lo = 0 if start == 0 else left
                    hi = n if end == x.shape[1] else n - right
                    if lo < hi:
                        np.testing.assert_array_equal(
                            cut[:, lo:hi], whole[:, start + lo:start + hi],
                            err_msg=f"K={size} origin={origin} cut [{start}, {start + n})")


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_separable_outputs_do_not_depend_on_the_cut(simd, dtype):
    x = np.random.default_rng(1).standard_normal((90, 300)).astype(dtype)
    for size in (3, 8, 17, 31):
        k = _kernel(size, "general")
        whole = axisconv.correlate_separable(x, [k, k[::-1]])
        h = size // 2
        for r0, c0, rows, cols in [(0, 0, 40, 70), (11, 29, 45, 130), (5, 200, 85, 100)]:
            cut = axisconv.correlate_separable(x[r0:r0 + rows, c0:c0 + cols], [k, k[::-1]])
            rs = slice(0 if r0 == 0 else h, rows if r0 + rows == x.shape[0] else rows - h)
            cs = slice(0 if c0 == 0 else h, cols if c0 + cols == x.shape[1] else cols - h)
            np.testing.assert_array_equal(
                cut[rs, cs], whole[r0:r0 + rows, c0:c0 + cols][rs, cs],
                err_msg=f"K={size} cut at ({r0}, {c0}) of {(rows, cols)}")
