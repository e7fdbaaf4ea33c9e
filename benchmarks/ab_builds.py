#!/usr/bin/env python
"""A/B of axisconv builds in lockstep: one long-lived worker process per build (its directory
first on PYTHONPATH), each asked in turn to time a burst of calls, the order of the builds
reversed every round, so that a shared host's drift from minute to minute (the same binary
1.4x slower in some minutes: TUNING.md, session 15) hits every build alike.  Prints, per case,
each build's median of burst medians and the median of its per-round ratio to the first
build (above 1: faster than the first).

    rm -rf /tmp/abA /tmp/abB  # --target leaves a package already there in place
    git worktree add /tmp/wtA <commit>
    pip install /tmp/wtA --no-build-isolation -Cbuild-dir=/tmp/build-A --target /tmp/abA --no-deps
    pip install . --no-build-isolation -Cbuild-dir=/tmp/build-B --target /tmp/abB --no-deps
    python benchmarks/ab_builds.py /tmp/abA /tmp/abB --case sep:1080x1920:13 --case cols:1024x1024:3

A case is OP:ROWSxCOLUMNS:K[:D], OP one of rows, cols (correlate1d along axis 1 or 0) and sep
(correlate_separable over both axes); float32, mode 'reflect', a sampled Gaussian of K taps,
2 threads, `out` reused, NumPy writing the input afresh before each call.  The input and `out`
start 16 bytes into a page, as NumPy's first large arrays do; with D, `out` starts D bytes
further modulo 4 KiB (+16: an `out` allocated on the heap right after its input).
"""
import argparse
import json
import os
import statistics
import subprocess
import sys

WORKER = r"""
import json, sys, time
import numpy as np
import axisconv
axisconv.set_num_threads(2)
calls = {}
def carved(like, at):  # an array like `like`, `at` bytes (modulo 4 KiB) into a page
    buf = np.empty(like.nbytes + 8192, np.uint8)
    start = (at - buf.ctypes.data) % 4096
    return buf[start:start + like.nbytes].view(like.dtype).reshape(like.shape)
def call_of(case):
    if case not in calls:
        op, shape, K, *offset = case.split(":")
        src = np.random.default_rng(0).random(tuple(map(int, shape.split("x"))), np.float32)
        x, out = carved(src, 16), carved(src, 16 + int(offset[0]) if offset else 16)
        K = int(K)
        k = np.exp(-0.5 * ((np.arange(K) - K // 2) / (K / 6)) ** 2).astype(np.float32)
        k /= k.sum()
        if op == "sep":
            f = lambda: axisconv.correlate_separable(x, [k, k], out=out)
        else:
            f = lambda: axisconv.correlate1d(x, k, axis=1 if op == "rows" else 0, out=out)
        calls[case] = (src, x, f)
    return calls[case]
print(axisconv.__file__, flush=True)
for line in sys.stdin:
    case, reps = json.loads(line)
    src, x, f = call_of(case)
    time.sleep(0.01)  # past the 5 ms the other build's idle threads spin (parallel.c)
    ts = []
    for _ in range(reps):
        np.multiply(src, 1.0, out=x)  # the stage before writes the input
        t0 = time.perf_counter_ns()
        f()
        ts.append(time.perf_counter_ns() - t0)
    print(float(np.median(ts)) / 1e3, flush=True)
"""


def start_worker(build):
    """A worker importing the axisconv of `build` (checked: an editable install elsewhere
    would shadow it)."""
    path = os.path.abspath(build)
    env = {**os.environ,
           "PYTHONPATH": os.pathsep.join(filter(None, [path, os.environ.get("PYTHONPATH")]))}
    p = subprocess.Popen([sys.executable, "-c", WORKER], stdin=subprocess.PIPE,
                         stdout=subprocess.PIPE, text=True, env=env)
    where = p.stdout.readline().strip()
    if not where.startswith(path + os.sep):
        raise SystemExit(f"{build}: the worker imported axisconv from {where or 'nowhere'}")
    print(f"{build}: {where}")
    return p


def burst(p, case, reps, build):
    """The median time of a burst of `reps` calls of `case` in worker `p`, in µs."""
    p.stdin.write(json.dumps([case, reps]) + "\n")
    p.stdin.flush()
    answer = p.stdout.readline()
    if not answer:
        raise SystemExit(f"{build}: the worker died on {case}")
    return float(answer)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("builds", nargs="+", help="directories holding an axisconv package")
    ap.add_argument("--case", action="append", required=True, help="OP:ROWSxCOLUMNS:K[:D]")
    ap.add_argument("--rounds", type=int, default=20)
    ap.add_argument("--reps", type=int, default=15, help="calls per burst")
    args = ap.parse_args(argv)
    workers = []
    try:
        for build in args.builds:
            workers.append(start_worker(build))
        times = {case: [[] for _ in workers] for case in args.case}
        for r in range(args.rounds):
            for case in args.case:
                for i in (range(len(workers)) if r % 2 == 0 else reversed(range(len(workers)))):
                    times[case][i].append(burst(workers[i], case, args.reps, args.builds[i]))
    finally:
        for p in workers:
            p.stdin.close()
            p.wait()
    for case, per in times.items():
        cells = []
        for build, ts in zip(args.builds, per):
            ratio = statistics.median(a / b for a, b in zip(per[0], ts))
            cells.append(f"{os.path.basename(build.rstrip('/'))} {statistics.median(ts):.0f} µs"
                         f" (x{ratio:.2f})")
        print(f"{case}: " + "  ".join(cells))
    return 0


if __name__ == "__main__":
    sys.exit(main())
