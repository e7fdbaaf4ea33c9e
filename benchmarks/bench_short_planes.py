#!/usr/bin/env python
"""Short, wide planes (a few dozen rows, thousands of columns: spectrograms, line scans, strips
of an image) against OpenCV, and whether axisconv's threads share them.

    python benchmarks/bench_short_planes.py [--rounds 41] [--out benchmarks/RESULTS_short_planes.md]

Float32, mode 'reflect' (OpenCV BORDER_REFLECT), a sampled Gaussian of K taps (sigma K/6):
`correlate_separable` against `cv2.sepFilter2D`, and `correlate1d` down the columns against
`cv2.filter2D` with a K x 1 kernel.  Each result is checked against scipy.ndimage in float64
first.  Then, in every round and for every library in turn (order rotated each round), NumPy
writes the input afresh (as the stage before would) and one call is timed, writing a reused
`out`; medians over the rounds.  axisconv runs on 2 threads and, as the yardstick of the
sharing, on 1 thread; OpenCV on 2 threads.
"""
import argparse
import datetime as _dt
import os
import sys
import time

import cv2
import numpy as np
import scipy.ndimage as ndi
from _benchutil import command_line, cpu_model, gaussian_kernel, loadavg, write_text

import axisconv

CASES = [("separable", (64, 4096), 13), ("separable", (128, 2048), 13),
         ("separable", (32, 8192), 5), ("separable", (100, 10000), 7),
         ("columns", (64, 4096), 3), ("columns", (64, 4096), 13), ("columns", (32, 8192), 5),
         ("columns", (100, 10000), 7)]
TOL = 1e-5  # max |err| / max |reference|


def calls(op, x, k, out):
    """{library: call writing out} for one case."""
    if op == "separable":
        ours = lambda th: axisconv.correlate_separable(x, k, mode="reflect", out=out, threads=th)
        peer = lambda: cv2.sepFilter2D(x, -1, k, k, dst=out, borderType=cv2.BORDER_REFLECT)
    else:
        ours = lambda th: axisconv.correlate1d(x, k, axis=0, mode="reflect", out=out, threads=th)
        peer = lambda: cv2.filter2D(x, -1, k[:, None], dst=out, borderType=cv2.BORDER_REFLECT)
    return {"axisconv": lambda: ours(2), "axisconv 1 thread": lambda: ours(1), "cv2": peer}


def check(op, x, k, fns, out):
    x64, k64 = x.astype(np.float64), k.astype(np.float64)
    ref = ndi.correlate1d(x64, k64, axis=0, mode="reflect")
    if op == "separable":
        ref = ndi.correlate1d(ref, k64, axis=1, mode="reflect")
    for name, fn in fns.items():
        fn()
        err = float(np.max(np.abs(out - ref)) / np.max(np.abs(ref)))
        if not err <= TOL:
            raise SystemExit(f"{op} {x.shape}: {name} differs from scipy by {err:.2g}")


def time_case(op, shape, K, rounds, rng):
    source = rng.random(shape, dtype=np.float32)
    x, out = np.empty_like(source), np.empty_like(source)
    k = gaussian_kernel(K, np.float32)
    fns = calls(op, x, k, out)
    np.copyto(x, source)
    check(op, x, k, fns, out)
    names, ts = list(fns), {name: [] for name in fns}
    for r in range(rounds):
        for name in names[r % len(names):] + names[:r % len(names)]:
            np.multiply(source, 1.0, out=x)  # the stage before writes the input
            t0 = time.perf_counter_ns()
            fns[name]()
            ts[name].append(time.perf_counter_ns() - t0)
    return {name: float(np.median(v)) * 1e-6 for name, v in ts.items()}


def run(argv, doc, results, title, header, text_columns, cases, row):
    """The command line (--rounds, --out: benchmarks/`results` by default), every case
    (op, shape, K) timed by time_case, and the table of row(op, shape, K, ms) (its first
    `text_columns` aligned left) written under a header of the date, the load, the CPU and
    the command; shared with bench_column_layouts.py."""
    ap = argparse.ArgumentParser(description=doc.split("\n\n")[0])
    ap.add_argument("--rounds", type=int, default=41)
    ap.add_argument("--out", default=os.path.join(os.path.dirname(__file__), results))
    args = ap.parse_args(argv)
    axisconv.set_num_threads(2)
    cv2.setNumThreads(2)
    rng = np.random.default_rng(0)
    load0, started = loadavg(), _dt.datetime.now(_dt.timezone.utc)
    rows = []
    for op, shape, K in cases:
        rows.append(row(op, shape, K, time_case(op, shape, K, args.rounds, rng)))
        print(rows[-1], flush=True)
    text = "\n".join([
        f"# {title}", "",
        (f"- **date**: {started:%Y-%m-%d %H:%M:%S} UTC; load average before {load0}, "
         f"after {loadavg()}"),
        f"- **CPU**: {cpu_model()}", f"- **SIMD path**: {axisconv._simd_path()}",
        f"- **command**: {command_line(argv)}",
        "", doc.split("\n\n", 2)[2].strip(), "",
        f"Medians of {args.rounds} rounds, ms.", "",
        header, "|".join([""] + ["---"] * text_columns
                         + ["---:"] * (header.count("|") - 1 - text_columns) + [""]),
        *rows, ""])
    write_text(args.out, text)
    print(f"results written to {args.out}")
    return 0


def short_plane_row(op, shape, K, ms):
    a, a1, c = ms["axisconv"], ms["axisconv 1 thread"], ms["cv2"]
    return (f"| {op} | {shape[0]}x{shape[1]} | {K} | {a:.3f} | {a1:.3f} | {c:.3f} | "
            f"{c / a:.2f}x | {a1 / a:.2f}x |")


def main(argv=None):
    return run(argv, __doc__, "RESULTS_short_planes.md",
               "Short, wide planes (`bench_short_planes.py`)",
               ("| filter | plane (rows x columns) | K | axisconv | axisconv 1 thread | cv2 "
                "| vs cv2 | 2 threads vs 1 |"), 2, CASES, short_plane_row)


if __name__ == "__main__":
    sys.exit(main())
