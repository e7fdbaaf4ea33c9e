"""The kernels read x in place and in whole vectors: none may touch a byte outside the array.
Each array here sits against an inaccessible page (its last byte just before one, or its
first byte just after one), so a read past either end crashes the test run."""
import ctypes
import mmap
import sys

import numpy as np
import pytest
import scipy.ndimage as ndi

import axisconv

if not sys.platform.startswith("linux"):
    pytest.skip("uses mprotect", allow_module_level=True)

PAGE = mmap.PAGESIZE
_libc = ctypes.CDLL(None, use_errno=True)
_libc.mprotect.argtypes = (ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int)
_keep = []  # the mappings stay alive (and fenced) for the whole session

# Line lengths whose in-place interior ends exactly at the end of the array for some
# register block (2 blocks of 128, 64, 32 or 16 outputs, or 3 of 64) and kernel length K.
KS = (1, 2, 3, 7, 16, 17, 24, 25, 33)


def lengths(K):
    return sorted({1, 7, 16, 31, 130, 257} | {m * b + K - 1 for m, b in ((2, 128), (2, 64),
                                                                         (3, 64), (2, 32), (2, 16))})


def fenced(shape, dtype, at_end):
    """A C-contiguous array with an inaccessible page right after its end (at_end) or
    right before its start."""
    dtype = np.dtype(dtype)
    nbytes = int(np.prod(shape)) * dtype.itemsize
    pages = -(-nbytes // PAGE)
    m = mmap.mmap(-1, (pages + 2) * PAGE)
    base = ctypes.addressof(ctypes.c_char.from_buffer(m))
    for guard in (base, base + (pages + 1) * PAGE):
        if _libc.mprotect(ctypes.c_void_p(guard), PAGE, 0) != 0:
            pytest.skip("mprotect failed")
    _keep.append(m)
    start = (pages + 1) * PAGE - nbytes if at_end else PAGE
    x = np.frombuffer(m, dtype=np.uint8, count=nbytes, offset=start).view(dtype)
    return x.reshape(shape)


@pytest.mark.parametrize("at_end", [True, False], ids=["end", "start"])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_rows_and_columns_stay_inside_the_array(simd, dtype, at_end):
    rng = np.random.default_rng(1)
    for K in KS:
        for n in lengths(K):
            x = fenced((3, n), dtype, at_end)
            x[...] = rng.standard_normal(x.shape)
            k = rng.standard_normal(K)
            for axis in (0, 1):
                got = axisconv.correlate1d(x, k, axis=axis, mode="reflect")
                want = ndi.correlate1d(x.astype(np.float64), k, axis=axis, mode="reflect")
                np.testing.assert_allclose(got, want, rtol=1e-4, atol=1e-4 * K)


@pytest.mark.parametrize("at_end", [True, False], ids=["end", "start"])
def test_separable_and_2d_stay_inside_the_array(simd, at_end):
    rng = np.random.default_rng(2)
    for n in (5, 40, 150, 2 * 128 + 19):
        x = fenced((n, n), np.float32, at_end)
        x[...] = rng.standard_normal(x.shape)
        x64 = x.astype(np.float64)
        for K in (3, 9, 20):
            k = rng.standard_normal(K)
            got = axisconv.correlate_separable(x, k)
            want = ndi.correlate1d(ndi.correlate1d(x64, k, axis=0), k, axis=1)
            np.testing.assert_allclose(got, want, rtol=1e-4, atol=1e-3 * K)
            k2 = rng.standard_normal((3, K))
            got = axisconv.correlate2d(x, k2, mode="same", boundary="symm")
            assert np.isfinite(got).all()
