"""Regressions from review: process forks, exiting threads, non-finite kernels, bad scalars,
and index arithmetic that must not overflow."""
import os
import sys
import threading

import numpy as np
import pytest

import axisconv


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork()")
def test_forked_child_can_filter_after_the_parent_used_a_thread_team():
    x = np.ones((512, 512))
    expected = axisconv.correlate1d(x, [1.0, 2, 1], axis=0, threads=2)
    pid = os.fork()
    if pid == 0:  # libgomp's team does not survive fork(): the child must run serially
        ok = np.array_equal(axisconv.correlate1d(x, [1.0, 2, 1], axis=0, threads=2), expected)
        os._exit(0 if ok else 1)
    _, status = os.waitpid(pid, 0)
    assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_exiting_threads_release_their_scratch():
    def resident_mib():
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20

    x, k = np.ones(900_000), np.ones(5) / 5
    work = lambda: axisconv.correlate1d(x.copy(), k, threads=1)  # noqa: E731
    work()
    before = resident_mib()
    for _ in range(20):  # each thread fills a ~7 MiB scratch of its own
        t = threading.Thread(target=work)
        t.start()
        t.join()
    assert resident_mib() - before < 60


@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_non_finite_2d_kernels_propagate_like_scipy(bad):
    signal = pytest.importorskip("scipy.signal")
    img = np.random.default_rng(0).random((20, 20))
    k = np.ones((3, 3))
    k[1, 1] = bad
    for ours, theirs in ((axisconv.convolve2d, signal.convolve2d),
                         (axisconv.correlate2d, signal.correlate2d)):
        got, exp = ours(img, k, mode="same"), theirs(img, k, mode="same")
        np.testing.assert_allclose(got, exp, equal_nan=True)
    with pytest.raises(ValueError, match="kernel"):
        axisconv.separate(k)


@pytest.mark.parametrize("cval", ["7", b"7"])
def test_string_cval_is_refused(cval):
    with pytest.raises(TypeError, match="cval"):
        axisconv.correlate1d(np.ones(8), [1.0, 2, 1], mode="constant", cval=cval)


def test_conv1d_window_beyond_int64_is_refused():
    with pytest.raises(ValueError, match="dilation"):
        axisconv.conv1d(np.ones((1, 10)), np.ones((8_388_610, 1, 1)), dilation=2**40 - 1,
                        data_format="NCW")


def test_separable_scratch_does_not_grow_with_both_kernel_lengths():
    # 4x4 image, 2001-tap kernels along both axes: scratch is linear in K, not K x K.
    x = np.random.default_rng(1).random((4, 4))
    k = np.ones(2001) / 2001
    got = axisconv.correlate_separable(x, k)
    ndimage = pytest.importorskip("scipy.ndimage")
    exp = ndimage.correlate1d(ndimage.correlate1d(x, k, axis=0), k, axis=1)
    np.testing.assert_allclose(got, exp, rtol=1e-12, atol=1e-12)
