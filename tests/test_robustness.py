"""Regressions from review: process forks, exiting threads, non-finite kernels, bad scalars,
and index arithmetic that must not overflow."""
import os
import subprocess
import sys
import textwrap
import threading

import numpy as np
import pytest
from scipy import ndimage

import axisconv


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork()")
def test_forked_child_can_filter_after_the_parent_used_a_thread_team():
    """The pool's workers do not survive fork(): the child starts workers of its own (from a
    clean pool, even if the fork came in the middle of a parent's call on another thread)."""
    x = np.random.default_rng(0).random((512, 512))
    expected = axisconv.correlate1d(x, [1.0, 2, 1], axis=0, threads=2)
    busy = threading.Thread(target=lambda: [axisconv.correlate1d(x, [1.0, 2, 1], axis=0,
                                                                 threads=2)
                                            for _ in range(50)])
    busy.start()
    pid = os.fork()
    if pid == 0:
        ok = all(np.array_equal(axisconv.correlate1d(x, [1.0, 2, 1], axis=0, threads=2),
                                expected) for _ in range(20))
        os._exit(0 if ok else 1)
    busy.join()
    _, status = os.waitpid(pid, 0)
    assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_exiting_threads_release_their_scratch():
    """A hundred threads, one after the other, each filter a plane with a scratch of their own
    (a ring sized to the L2 cache, 0.6 MiB here, kept while the thread lives): together they
    leave no more than a few MiB behind (a destructor that leaked: 63 MiB).  Measured in a
    fresh interpreter, whose heap no earlier test has shaped."""
    script = textwrap.dedent("""
        import os, threading
        import numpy as np
        import axisconv

        def resident_mib():
            with open("/proc/self/statm") as f:
                return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20

        x, k = np.ones((256, 4096)), np.ones(31) / 31
        out = np.empty_like(x)
        work = lambda: axisconv.correlate_separable(x, k, threads=1, out=out)
        work()
        before = resident_mib()
        for _ in range(100):
            t = threading.Thread(target=work)
            t.start()
            t.join()
        print(resident_mib() - before)
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr
    grown = float(done.stdout)
    assert grown < 8, f"resident memory grew by {grown:.1f} MiB"


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


def test_separable_scratch_does_not_grow_with_both_kernel_lengths(tmp_path):
    """A 4x4 image, 8001-tap kernels along both axes: the scratch is linear in K (a few MiB),
    not K x K (512 MiB), as the process's peak memory shows (ru_maxrss, in a fresh process);
    and the answer is scipy's."""
    pytest.importorskip("resource")
    code = textwrap.dedent("""
        import resource, numpy as np, scipy.ndimage as ndi, axisconv
        def peak():
            return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # Linux: KiB
        x = np.random.default_rng(1).random((4, 4))
        k = np.ones(8001) / 8001
        exp = ndi.correlate1d(ndi.correlate1d(x, k, axis=0), k, axis=1)
        axisconv.correlate_separable(x, k[:3], threads=1)
        before = peak()
        got = axisconv.correlate_separable(x, k, threads=1)
        print((peak() - before) / 2**20, np.abs(got - exp).max())
    """)
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=str(tmp_path), timeout=300, check=False)
    assert proc.returncode == 0, proc.stderr
    grew_mib, error = map(float, proc.stdout.split())
    assert grew_mib < 64, f"peak memory grew by {grew_mib:.0f} MiB"
    assert error < 1e-12


def test_scratch_kept_grown_and_returned_between_calls_on_one_thread():
    """Each thread keeps its scratch between calls, grows it (zeroed) when a call needs more
    and returns a block over 16 MiB after the call.  On one thread: small calls, a much
    larger one whose scratch is kept (8 MiB of lines) and one whose scratch is returned
    (24 MiB), both full of NaN and inf, then small calls again -- each equal to scipy's answer
    and the small ones to the first bit for bit (stale lanes of a larger call never leak)."""
    rng = np.random.default_rng(2)
    small = rng.standard_normal((7, 37)).astype(np.float32), np.ones(5) / 5
    calls = [
        lambda x, k: axisconv.correlate1d(x, k, axis=-1, mode="wrap", threads=1),
        lambda x, k: axisconv.correlate1d(x, k, axis=0, mode="mirror", threads=1),
        lambda x, k: axisconv.correlate_separable(x, [k, k[:3]], mode="reflect", threads=1),
    ]
    first = [call(*small).tobytes() for call in calls]
    for n in (1_000_000, 3_000_000):            # float64 lines of 8 and 24 MiB
        line = rng.standard_normal((1, n))
        line[0, ::1001], line[0, 7::997] = np.nan, np.inf
        k = rng.standard_normal(31)
        for axis in (-1, 0):
            x = line if axis == -1 else np.ascontiguousarray(line[:, :200_000].T)
            got = axisconv.correlate1d(x, k, axis=axis, mode="wrap", threads=1)
            want = ndimage.correlate1d(x, k, axis=axis, mode="wrap")
            np.testing.assert_allclose(got, want, rtol=1e-9, atol=1e-9, equal_nan=True)
        assert [call(*small).tobytes() for call in calls] == first, f"after a line of {n}"
    x, k = small
    np.testing.assert_allclose(np.frombuffer(first[0], np.float32).reshape(x.shape),
                               ndimage.correlate1d(x, k, axis=-1, mode="wrap"), rtol=1e-5,
                               atol=1e-6)


@pytest.mark.parametrize("shape,out_shape,axis", [((3, 0), (3, 5), 1), ((0, 40), (30, 40), 0)])
def test_c_core_extends_an_empty_axis_only_by_a_constant(shape, out_shape, axis):
    """The C functions behind the integer paths, called directly (the Python API handles empty
    inputs before them): every output sums the constant alone; any other mode is refused, and
    nothing is written (they once returned success with `out` untouched)."""
    from axisconv import _core, _fixed
    plan = _fixed.plan_single(np.array([1.0, 2.0, 1.0]) / 4, np.dtype(np.uint8), np.dtype(np.uint8))
    taps, rounding, cval = plan.taps[0], plan.rounding, 40
    _, F, _, _, lo, hi = rounding
    want = min(max(_fixed.round_sum(cval * int(taps.sum()), F), lo), hi)
    x = np.zeros(shape, np.uint8)
    calls = {
        "1d": lambda o, mode: _core.correlate1d_int(x, o, (axis, taps, 1, mode, cval), rounding, 2),
        "2d": lambda o, mode: _core.correlate2d_int(
            x, o, 0, 1, np.ascontiguousarray(taps.reshape((1, 3) if axis else (3, 1))),
            0 if axis else 1, 1 if axis else 0, mode, cval, rounding, 2),
    }
    for name, call in calls.items():
        for mode in range(5):
            out = np.full(out_shape, 7, np.uint8)
            if mode == _core.MODE_CONSTANT:
                call(out, mode)
                assert (out == want).all(), name
            else:
                with pytest.raises(ValueError):
                    call(out, mode)
                assert (out == 7).all(), name
