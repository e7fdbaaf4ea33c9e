"""How a call's threads wait, as a pipeline sees it: one 2048x2048 float32 separable
Gaussian (K = 7) on the default team, back to back, after an idle gap (the workers asleep),
next to a busy process (one core taken), and interleaved with OpenCV's own thread pool.

    python benchmarks/bench_threads.py [--calls 60] [--out benchmarks/RESULTS_threads.md]
        [--compare PYTHON ...]

Each configuration runs in a fresh process: this Python (axisconv's pool), and any
`--compare` interpreter with an older axisconv (e.g. a build on OpenMP), once per
OMP_WAIT_POLICY (unset, PASSIVE), so the wait policies meet the same scenarios.
"""
import argparse
import json
import os
import subprocess
import sys
import time

from _benchutil import cpu_model, loadavg

SCENARIOS = ["back to back", "after 20 ms idle", "next to a busy process",
             "between cv2.GaussianBlur calls"]

CHILD = r"""
import json, statistics, subprocess, sys, time
import numpy as np
import axisconv
calls = int(sys.argv[1])
rng = np.random.default_rng(0)
x = rng.random((2048, 2048), dtype=np.float32)
out = np.empty_like(x)
k = np.exp(-0.5 * (np.arange(7) - 3.0) ** 2); k /= k.sum()
def timed(before=None):
    ts = []
    for _ in range(calls):
        if before:
            before()
        t = time.perf_counter()
        axisconv.correlate_separable(x, k, out=out)
        ts.append(time.perf_counter() - t)
    return statistics.median(ts) * 1e3, min(ts) * 1e3
res = {"back to back": timed(), "after 20 ms idle": timed(lambda: time.sleep(0.02))}
busy = subprocess.Popen([sys.executable, "-c", "while True: pass"])
try:
    time.sleep(0.2)
    res["next to a busy process"] = timed()
finally:
    busy.kill()
    busy.wait()
try:
    import cv2
    y, z = rng.random((2048, 2048), dtype=np.float32), np.empty_like(x)
    res["between cv2.GaussianBlur calls"] = timed(lambda: cv2.GaussianBlur(y, (7, 7), 0, dst=z))
except ImportError:
    pass
print(json.dumps({"version": axisconv.__version__, "res": res}))
"""


def run(python, env_changes, calls):
    env = dict(os.environ)
    for key, value in env_changes.items():
        env.pop(key, None) if value is None else env.__setitem__(key, value)
    out = subprocess.run([python, "-c", CHILD, str(calls)], capture_output=True, text=True,
                         env=env, check=True, cwd="/")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--calls", type=int, default=60)
    ap.add_argument("--compare", nargs="*", default=[])
    ap.add_argument("--out", default=os.path.join(os.path.dirname(__file__),
                                                  "RESULTS_threads.md"))
    args = ap.parse_args()
    configs = [("axisconv's pool (this build)", sys.executable, {"OMP_WAIT_POLICY": None})]
    for python in args.compare:
        configs += [(f"{python}: OMP_WAIT_POLICY unset", python, {"OMP_WAIT_POLICY": None}),
                    (f"{python}: OMP_WAIT_POLICY=PASSIVE", python,
                     {"OMP_WAIT_POLICY": "PASSIVE"})]
    load0 = loadavg()
    rows = []
    for label, python, env in configs:
        r = run(python, env, args.calls)
        cells = [f"{r['res'][s][0]:.2f} ({r['res'][s][1]:.2f})" if s in r["res"] else "-"
                 for s in SCENARIOS]
        rows.append(f"| {label} | " + " | ".join(cells) + " |")
        print(rows[-1], flush=True)
    report = "\n".join([
        "# How a call's threads wait (`bench_threads.py`)", "",
        f"- **CPU**: {cpu_model()}, {os.cpu_count()} CPUs",
        f"- **command**: python benchmarks/bench_threads.py {' '.join(sys.argv[1:])}",
        f"- **date**: {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; load average "
        f"before {load0}, after {loadavg()}", "",
        "2048x2048 float32 `correlate_separable` K = 7 into a reused `out`, the default team "
        f"(2 threads); milliseconds per call, median (minimum) of {args.calls} calls.", "",
        "| configuration | " + " | ".join(SCENARIOS) + " |",
        "| --- |" + " ---: |" * len(SCENARIOS),
        *rows, ""])
    with open(args.out, "w") as f:
        f.write(report)
    print(report)


if __name__ == "__main__":
    main()
