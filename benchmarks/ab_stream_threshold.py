#!/usr/bin/env python
"""A/B of axisconv's streaming-store threshold inside the pipelines of bench_pipeline.py: one
axisconv pipeline per threshold and OpenCV's, interleaved frame by frame in one process (order
rotated every frame, inputs cycled from a pool of 5, no lead-in), the threshold set before each
axisconv frame.  Prints, per size, the median filter-stage and frame times and the frame's
speed-up over OpenCV.  The experiment behind TUNING.md, "Streaming stores".

    python benchmarks/ab_stream_threshold.py 25165824,8388608 [--pipeline harris]
        [--frames 41] [--sizes 1080x1920,2048x2048]

A threshold of -1 is the library's default: with it alone, the script is an A/B sample of a
build, run alternately against builds installed side by side (TUNING.md, session 9):

    rm -rf /tmp/abB  # --target leaves a package already there in place (TUNING.md, session 14)
    pip install . --no-build-isolation -Cbuild-dir=/tmp/build-B --target /tmp/abB --no-deps
    for i in 1 2 3 4; do for b in A B; do
        PYTHONPATH=/tmp/ab$b python benchmarks/ab_stream_threshold.py -1 --frames 25; done; done
"""

import argparse
import itertools
import os
import statistics
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import axisconv  # noqa: E402
import cv2  # noqa: E402
from axisconv import _core  # noqa: E402
from _benchutil import cpu_model  # noqa: E402
from _pipelines import PIPELINES, Pipeline, make_ops  # noqa: E402


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("thresholds", help="comma-separated byte counts")
    ap.add_argument("--pipeline", default="harris", choices=sorted(PIPELINES))
    ap.add_argument("--frames", type=int, default=41)
    ap.add_argument("--sizes", default="1080x1920,2048x2048", help="HxW,...")
    args = ap.parse_args()
    axisconv.set_num_threads(2)
    cv2.setNumThreads(2)
    spec = PIPELINES[args.pipeline]
    print(f"{cpu_model()}; {args.pipeline}; {args.frames} frames")
    for size in args.sizes.split(","):
        shape = tuple(int(v) for v in size.split("x"))
        rng = np.random.default_rng(1)
        pool = [rng.random(shape, np.float32) for _ in range(5)]
        pipes = {int(t): Pipeline(spec, make_ops("axisconv", axisconv, np.float32), shape,
                                  np.float32) for t in args.thresholds.split(",")}
        pipes["cv2"] = Pipeline(spec, make_ops("cv2", cv2, np.float32), shape, np.float32)
        names, ns = list(pipes), {n: [] for n in pipes}
        inputs = itertools.cycle(pool)  # no run reads the input the run before it read
        for f in range(args.frames):
            for n in names[f % len(names):] + names[:f % len(names)]:
                if n != "cv2":
                    _core.set_stream_threshold(n)
                ns[n].append(pipes[n].run(next(inputs)))
        _core.set_stream_threshold(-1)
        cv2_frame = statistics.median(sum(r) for r in ns["cv2"])
        cells = []
        for n in names:
            at = [pipes[n].names.index(s) for s in spec.filter_stages]
            filt = statistics.median(sum(r[i] for i in at) for r in ns[n])
            frame = statistics.median(sum(r) for r in ns[n])
            label = ("cv2" if n == "cv2" else "default" if n < 0 else f"{n / 2**20:g} MiB")
            cells.append(f"{label}: filters {filt * 1e-6:.3f} ms, frame {frame * 1e-6:.3f} ms "
                         f"({cv2_frame / frame:.2f}x cv2)")
        print(f"{size}: " + " | ".join(cells))


if __name__ == "__main__":
    main()
