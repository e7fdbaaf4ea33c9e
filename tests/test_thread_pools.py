"""axisconv next to other thread pools (issue 13.5): calls run on axisconv's own pool,
whose default size is OMP_NUM_THREADS (or the CPUs) unless set_num_threads or threadpoolctl
chose one; its idle workers spin, then sleep; importing axisconv changes nothing other
libraries read; show_config says what is in force."""
import os
import subprocess
import sys

import numpy as np
import pytest

import axisconv

threadpoolctl = pytest.importorskip("threadpoolctl")
needs_pool = pytest.mark.skipif(not axisconv._core.threaded(), reason="a serial build: 1 thread")


def run(code, **env_changes):
    env = dict(os.environ)
    for key, value in env_changes.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env=env, timeout=120)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def test_threadpool_limits_limit_axisconv(restore_threads):
    axisconv.set_num_threads(None)
    before = axisconv.get_num_threads()
    with threadpoolctl.threadpool_limits(1):
        assert axisconv.get_num_threads() == 1
        x = np.random.default_rng(0).random((300, 400))
        assert axisconv.correlate1d(x, [1.0, 2.0, 1.0], axis=0).shape == x.shape
    assert axisconv.get_num_threads() == before


def test_threadpool_info_shows_axisconv():
    entries = [i for i in threadpoolctl.threadpool_info() if i["internal_api"] == "axisconv"]
    assert len(entries) == 1
    assert entries[0]["version"] == axisconv.__version__
    assert entries[0]["num_threads"] == axisconv.get_num_threads()
    assert entries[0]["user_api"] == "openmp"


@needs_pool
def test_set_num_threads_wins_over_omp_num_threads_until_none():
    code = ("import axisconv; a = axisconv.get_num_threads(); axisconv.set_num_threads(3); "
            "b = axisconv.get_num_threads(); axisconv.set_num_threads(None); "
            "print(a, b, axisconv.get_num_threads())")
    assert run(code, OMP_NUM_THREADS="1").split() == ["1", "3", "1"]


def test_importing_leaves_the_environment_unchanged():
    code = ("import os; before = dict(os.environ); import axisconv; "
            "print(before == dict(os.environ))")
    for policy in (None, "PASSIVE"):
        assert run(code, OMP_WAIT_POLICY=policy, GOMP_SPINCOUNT=None).strip() == "True"


@needs_pool
def test_show_config_states_the_pool_and_its_wait_policy(capfd, restore_threads):
    axisconv.set_num_threads(2)
    axisconv.show_config()
    line = next(s for s in capfd.readouterr().out.splitlines() if "threads" in s)
    assert "2 (axisconv's own pool" in line and "spin" in line and "sleep" in line, line


def _busy_ticks(tids):
    """CPU ticks (user + system) of the given threads of this process."""
    total = 0
    for tid in tids:
        with open(f"/proc/self/task/{tid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])
    return total


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
@needs_pool
def test_idle_workers_sleep_after_spinning_a_while():
    """The pool's workers spin a few milliseconds after a call (the next call finds them
    awake), then sleep: a second later they use no CPU at all."""
    import time
    x = np.random.default_rng(0).random((600, 800))
    axisconv.correlate1d(x, [1.0, 2.0, 1.0], axis=0, threads=2)
    workers = [t for t in os.listdir("/proc/self/task")
               if open(f"/proc/self/task/{t}/comm").read().strip() == "axisconv"]
    assert workers, "no worker named axisconv"
    time.sleep(0.5)
    ticks = _busy_ticks(workers)
    time.sleep(1.0)
    assert _busy_ticks(workers) - ticks <= 1, "an idle worker kept spinning"


def test_torch_and_axisconv_in_one_process():
    """torch with its OpenMP threads and axisconv with its own pool in one process: importing
    axisconv after torch must not change torch's threads, and both compute correctly."""
    pytest.importorskip("torch")
    code = ("import torch; n = torch.get_num_threads(); import axisconv, numpy as np; "
            "x = np.random.default_rng(0).random((64, 80)); "
            "a = axisconv.correlate1d(x, [1., 2., 1.], axis=0); "
            "t = torch.nn.functional.conv1d(torch.from_numpy(x.T.copy())[:, None], "
            "torch.tensor([[[1., 2., 1.]]], dtype=torch.float64), padding=1)[:, 0].numpy().T; "
            "print(n == torch.get_num_threads(), np.allclose(a[1:-1], t[1:-1]))")
    assert run(code).split() == ["True", "True"]


@needs_pool
def test_calls_that_workers_join_late_or_never_are_complete():
    """A worker joins a call before it takes items, and the caller closes the call when none is
    left: after idle gaps long enough for the workers to fall asleep (the spin lasts 5 ms),
    small calls finish before a worker wakes and large ones are shared with a worker that
    joins late. Every output must be the one-thread result, bit for bit, whichever happened;
    calls from a second Python thread meanwhile run on their own thread."""
    import threading
    import time

    rng = np.random.default_rng(7)
    cases = []
    for shape in ((64, 2100), (256, 256), (300, 700), (1100, 900)):  # 1-4 items per thread
        x = rng.standard_normal(shape).astype(np.float32)
        k = rng.standard_normal(5).astype(np.float32)
        cases.append((x, k, axisconv.correlate_separable(x, k, threads=1)))
    bad, stop = [], threading.Event()

    def other_thread():  # competes for the pool: its calls run on their own thread
        x, k, want = cases[1]
        while not stop.is_set():
            if not np.array_equal(axisconv.correlate_separable(x, k, threads=2), want):
                bad.append("other thread")

    side = threading.Thread(target=other_thread)
    side.start()
    try:
        for gap in (0.0, 0.0002, 0.002, 0.007) * 6:
            for i, (x, k, want) in enumerate(cases):
                time.sleep(gap)
                out = np.full_like(x, np.nan)
                axisconv.correlate_separable(x, k, threads=2, out=out)
                if not np.array_equal(out, want):
                    bad.append((gap, i))
    finally:
        stop.set()
        side.join()
    assert not bad, bad
