#!/usr/bin/env python
"""Columns of images as NumPy lays them out: rows a multiple of 4 KiB apart (widths of 1024 or
2048 float32) or not, the arrays where NumPy's allocator puts them (glibc: 16 bytes past a
page for large ones), against OpenCV.

    python benchmarks/bench_column_layouts.py [--rounds 41] [--out benchmarks/RESULTS_column_layouts.md]

Float32, mode 'reflect' (OpenCV BORDER_REFLECT), a sampled Gaussian of K taps (sigma K/6):
`correlate1d` down the columns against `cv2.filter2D` with a K x 1 kernel, as
`bench_short_planes.py` times them (checked against scipy.ndimage first; NumPy writes the
input afresh before each timed call; `out` reused; libraries in turn, order rotated each
round; axisconv on 2 threads and on 1, OpenCV on 2).  Rows 4 KiB apart share the L1's sets,
which decides whether the column path reads the input rows in place or copies a window of
them first (filter1d.inc, `aliased`).
"""
import argparse
import datetime as _dt
import os
import sys

import cv2
import numpy as np
from _benchutil import command_line, cpu_model, loadavg, write_text
from bench_short_planes import time_case

import axisconv

SHAPES = [(512, 1024), (1024, 1024), (1024, 2048), (1000, 1000), (1080, 1920)]
KS = [3, 5, 7, 9, 13, 31]


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rounds", type=int, default=41)
    ap.add_argument("--out", default=os.path.join(os.path.dirname(__file__),
                                                  "RESULTS_column_layouts.md"))
    args = ap.parse_args(argv)
    axisconv.set_num_threads(2)
    cv2.setNumThreads(2)
    rng = np.random.default_rng(0)
    load0, started = loadavg(), _dt.datetime.now(_dt.timezone.utc)
    rows = []
    for shape in SHAPES:
        for K in KS:
            ms = time_case("columns", shape, K, args.rounds, rng)
            a, a1, c = ms["axisconv"], ms["axisconv 1 thread"], ms["cv2"]
            apart = shape[1] * 4
            rows.append(f"| {shape[0]}x{shape[1]} | {apart} | {K} | {a:.3f} | {a1:.3f} | "
                        f"{c:.3f} | {c / a:.2f}x |")
            print(rows[-1], flush=True)
    text = "\n".join([
        "# Columns of NumPy-allocated images (`bench_column_layouts.py`)", "",
        (f"- **date**: {started:%Y-%m-%d %H:%M:%S} UTC; load average before {load0}, "
         f"after {loadavg()}"),
        f"- **CPU**: {cpu_model()}", f"- **SIMD path**: {axisconv._simd_path()}",
        f"- **command**: {command_line(argv)}",
        "", __doc__.split("\n\n", 2)[2].strip(), "",
        f"Medians of {args.rounds} rounds, ms.", "",
        ("| image (rows x columns) | bytes between rows | K | axisconv | axisconv 1 thread "
         "| cv2 | vs cv2 |"), "|---|---:|---:|---:|---:|---:|---:|",
        *rows, ""])
    write_text(args.out, text)
    print(f"results written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
