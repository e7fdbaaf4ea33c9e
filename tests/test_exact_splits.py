"""Issue 11's findings on split 2-D kernels, each as the user met it: integer sums that scipy
gives exactly must come back exactly, and a split kernel's factors must rebuild every tap to
its own precision, not only to the largest tap's."""
import numpy as np
import pytest
import scipy.signal as ss

import axisconv


def test_rank_two_integer_kernel_gives_scipys_exact_sums():
    k = np.arange(100.0).reshape(10, 10)  # rank 2
    x = np.arange(144.0).reshape(12, 12) % 7
    for fname in ("convolve2d", "correlate2d"):
        got = getattr(axisconv, fname)(x, k)
        assert np.array_equal(got, getattr(ss, fname)(x, k)), fname


def test_counting_neighbours_with_ones_is_exact():
    img = (np.random.default_rng(0).random((64, 64)) < 0.4).astype(float)
    got = axisconv.convolve2d(img, np.ones((3, 3)), mode="same")
    want = ss.convolve2d(img, np.ones((3, 3)), mode="same")
    assert np.array_equal(got, want)
    assert (got == 3).sum() == (want == 3).sum() > 0


def test_integer_input_truncates_like_scipy():
    x = np.arange(48).reshape(6, 8) % 3
    got = axisconv.convolve2d(x, np.ones((3, 3)), mode="same")
    assert np.array_equal(got.astype(int), ss.convolve2d(x, np.ones((3, 3)), mode="same"))


def test_separate_ones_gives_exact_factors():
    cols, rows = axisconv.separate(np.ones((3, 3)))
    assert len(cols) == 1
    assert np.array_equal(np.outer(cols[0], rows[0]), np.ones((3, 3)))
    assert np.all(np.abs(cols[0]) == np.abs(cols[0][0]))


@pytest.mark.parametrize("fname", ["convolve2d", "correlate2d"])
def test_rank_one_kernel_keeps_its_tiny_taps(fname):
    """A firwin-style window's outer product: taps from 2.4e-21 to 1e-2."""
    w = np.array([2.4e-21 ** 0.5, 1e-6, 1e-3, 0.1, 1e-3, 1e-6, 2.4e-21 ** 0.5])
    k = np.outer(w, w)
    x = np.zeros((9, 9))
    x[4, 4] = 1.0  # the impulse response is the kernel itself
    got = getattr(axisconv, fname)(x, k, mode="same")
    want = getattr(ss, fname)(x, k, mode="same")
    np.testing.assert_allclose(got, want, rtol=1e-12, atol=0)
