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
import sys

from bench_short_planes import run

SHAPES = [(512, 1024), (1024, 1024), (1024, 2048), (1000, 1000), (1080, 1920)]
KS = [3, 5, 7, 9, 13, 31]


def layout_row(op, shape, K, ms):
    a, a1, c = ms["axisconv"], ms["axisconv 1 thread"], ms["cv2"]
    return (f"| {shape[0]}x{shape[1]} | {shape[1] * 4} | {K} | {a:.3f} | {a1:.3f} | "
            f"{c:.3f} | {c / a:.2f}x |")


def main(argv=None):
    return run(argv, __doc__, "RESULTS_column_layouts.md",
               "Columns of NumPy-allocated images (`bench_column_layouts.py`)",
               ("| image (rows x columns) | bytes between rows | K | axisconv "
                "| axisconv 1 thread | cv2 | vs cv2 |"), 1,
               [("columns", shape, K) for shape in SHAPES for K in KS], layout_row)


if __name__ == "__main__":
    sys.exit(main())
