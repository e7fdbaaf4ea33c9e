"""axisconv.separate (docs/contract.md §4): the factors rebuild the kernel with the smallest
rank within tol; errors name the argument.  (test_reference.py checks the contract's
properties, exact integer factors included, through reference.conv2d.check_separate.)"""
import numpy as np
import pytest
from _axc_testing import EPS64, n_examples, names
from _signal_testing import low_rank
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import axisconv


# --------------------------------------------------------------------------
# separate
# --------------------------------------------------------------------------
@settings(max_examples=n_examples(100))
@given(kh=st.integers(1, 9), kw=st.integers(1, 9), rank=st.integers(1, 3),
       scale=st.sampled_from([1.0, 1e-6, 1e6]), cplx=st.sampled_from([False, False, True]),
       seed=st.integers(0, 2**32 - 1))
def test_separate_low_rank(kh, kw, rank, scale, cplx, seed):
    rank = min(rank, kh, kw)
    rng = np.random.default_rng(seed)
    k = low_rank(rng, kh, kw, rank, np.complex128 if cplx else np.float64) * scale
    s = np.linalg.svd(k, compute_uv=False)
    assume(s[rank - 1] > 1e-8 * s[0])  # the rank is well defined
    cols, rows = axisconv.separate(k)
    assert cols.shape == (rank, kh) and rows.shape == (rank, kw)
    rebuilt = sum(np.outer(cols[i], rows[i]) for i in range(rank))
    np.testing.assert_allclose(rebuilt, k, rtol=0, atol=4 * kh * kw * EPS64 * s[0])


@settings(max_examples=n_examples(60))
@given(kh=st.integers(1, 9), kw=st.integers(1, 9), seed=st.integers(0, 2**32 - 1))
def test_separate_full_rank(kh, kw, seed):
    rng = np.random.default_rng(seed)
    k = rng.uniform(-2, 2, (kh, kw))
    s = np.linalg.svd(k, compute_uv=False)
    assume(s[-1] > 1e-8 * s[0])
    cols, rows = axisconv.separate(k)
    r = min(kh, kw)
    assert cols.shape == (r, kh) and rows.shape == (r, kw)
    rebuilt = sum(np.outer(cols[i], rows[i]) for i in range(r))
    np.testing.assert_allclose(rebuilt, k, rtol=0, atol=4 * kh * kw * EPS64 * s[0])


@pytest.mark.parametrize("shape", [(1, 1), (3, 3), (2, 7), (9, 4)])
def test_separate_zero_kernel(shape):
    cols, rows = axisconv.separate(np.zeros(shape))
    assert cols.shape == (0, shape[0]) and rows.shape == (0, shape[1])


def test_separate_examples_and_tol():
    cols, rows = axisconv.separate(np.outer([1, 2, 1], [1, 0, -1]))   # integer input
    assert cols.shape == (1, 3) and rows.shape == (1, 3)
    np.testing.assert_allclose(np.outer(cols[0], rows[0]), np.outer([1, 2, 1], [1, 0, -1]),
                               atol=1e-14)
    k = np.diag([4.0, 2.0, 1e-3])
    assert axisconv.separate(k)[0].shape == (3, 3)
    assert axisconv.separate(k, tol=1e-2)[0].shape == (2, 3)
    assert axisconv.separate(k, tol=3.0)[0].shape == (1, 3)
    assert axisconv.separate(k, tol=4.0)[0].shape == (0, 3)
    assert axisconv.separate(k, tol=0)[0].shape == (3, 3)


@pytest.mark.parametrize("kernel,exc", [
    (np.ones(3), ValueError), (np.ones((2, 2, 2)), ValueError), (np.float64(2.0), ValueError),
    (np.ones((0, 3)), ValueError), (np.ones((3, 0)), ValueError),
    (np.array([["a", "b"]]), TypeError)])
def test_separate_errors(kernel, exc):
    with pytest.raises(exc) as info:
        axisconv.separate(kernel)
    assert names(str(info.value), "kernel"), str(info.value)


@pytest.mark.parametrize("tol,exc", [(-1.0, ValueError), (np.nan, ValueError), ("1", TypeError),
                                     ([1.0], TypeError)])
def test_separate_bad_tol(tol, exc):
    with pytest.raises(exc) as info:
        axisconv.separate(np.ones((3, 3)), tol=tol)
    assert names(str(info.value), "tol"), str(info.value)
