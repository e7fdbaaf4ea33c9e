"""axisconv next to other thread pools (issue 13.5): the default thread count follows
OpenMP's limit (OMP_NUM_THREADS, threadpoolctl) unless set_num_threads chose one; importing
axisconv changes nothing other libraries read; show_config says what is in force."""
import os
import subprocess
import sys

import numpy as np
import pytest

import axisconv

threadpoolctl = pytest.importorskip("threadpoolctl")


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


def test_set_num_threads_wins_over_openmp_until_none():
    code = ("import axisconv; a = axisconv.get_num_threads(); axisconv.set_num_threads(3); "
            "b = axisconv.get_num_threads(); axisconv.set_num_threads(None); "
            "print(a, b, axisconv.get_num_threads())")
    assert run(code, OMP_NUM_THREADS="1").split() == ["1", "3", "1"]


def test_importing_leaves_the_environment_unchanged():
    code = ("import os; before = dict(os.environ); import axisconv; "
            "print(before == dict(os.environ))")
    for policy in (None, "PASSIVE"):
        assert run(code, OMP_WAIT_POLICY=policy, GOMP_SPINCOUNT=None).strip() == "True"


@pytest.mark.skipif(not axisconv._config._core.openmp_enabled(), reason="a serial build")
@pytest.mark.parametrize("policy", ["ACTIVE", "PASSIVE"])
def test_show_config_reports_the_wait_policy_in_force(policy):
    out = run("import axisconv; axisconv.show_config()", OMP_WAIT_POLICY=policy,
              GOMP_SPINCOUNT="12345")
    line = next(s for s in out.splitlines() if "OpenMP" in s)
    assert f"OMP_WAIT_POLICY={policy}" in line and "GOMP_SPINCOUNT=12345" in line, out


def test_torch_and_axisconv_in_one_process():
    """torch shares libgomp with axisconv: importing axisconv after torch must not change
    torch's threads, and both compute correctly."""
    pytest.importorskip("torch")
    code = ("import torch; n = torch.get_num_threads(); import axisconv, numpy as np; "
            "x = np.random.default_rng(0).random((64, 80)); "
            "a = axisconv.correlate1d(x, [1., 2., 1.], axis=0); "
            "t = torch.nn.functional.conv1d(torch.from_numpy(x.T.copy())[:, None], "
            "torch.tensor([[[1., 2., 1.]]], dtype=torch.float64), padding=1)[:, 0].numpy().T; "
            "print(n == torch.get_num_threads(), np.allclose(a[1:-1], t[1:-1]))")
    assert run(code).split() == ["True", "True"]
