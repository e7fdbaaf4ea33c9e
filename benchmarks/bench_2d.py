#!/usr/bin/env python
"""Benchmark axisconv's separable and 2-D filters against OpenCV and scipy.

    python benchmarks/bench_2d.py [--quick] [--out benchmarks/RESULTS_2d.md]
                                  [--plot benchmarks/separable_vs_full.png]

Cases (float32 unless said; axisconv threads=2, cv2.setNumThreads(2), scipy single-threaded;
what each library runs is in _2d_cases.py):

1. "sep": axisconv.correlate_separable(x, w, mode="reflect", out=out) on 2048x2048 with a
   normalised Gaussian w of K = 3, 7, 15, 31 (same kernel on both axes) vs
   cv2.sepFilter2D(x, -1, w, w, dst=out, borderType=BORDER_REFLECT), two
   scipy.ndimage.correlate1d calls (rows, then columns) and the 2-thread copy yardstick.
2. "2d": axisconv.correlate2d(x, k, mode="same", boundary="symm") on 2048x2048 with a random
   full-rank 3x3 kernel and a rank-1 5x5 kernel (np.outer of two 5-tap vectors; once built in
   float64, once in float32) vs cv2.filter2D(x, -1, k, dst=out, borderType=BORDER_REFLECT),
   scipy.signal.correlate2d (same arguments) and, for the rank-1 kernels, cv2.sepFilter2D with
   the two factors; plus the copy yardstick.
3. "conv2d": axisconv.convolve2d(x, k, mode="same", boundary="symm") on float64 512x512 with a
   random 5x5 kernel vs scipy.signal.convolve2d (target: >= 30x) and cv2.filter2D with the
   flipped kernel.
4. "KxK" (2K versus K²): float32 2048x2048, K = 3, 5, 7, 9, 11, 15, 21, 31: a random full-rank
   KxK kernel through axisconv.correlate2d (full rank -> the direct 2-D kernel) against
   axisconv.correlate_separable with two random K-tap kernels; the same pair for OpenCV
   (cv2.filter2D with the KxK kernel vs cv2.sepFilter2D). The plot (--plot) shows the four times
   against K. cv2.filter2D switches to a DFT for float32 kernels of area >= 130 (K >= 13 here).

Every library's output is checked against a float64 reference once per case, before it is
timed (scipy.signal.correlate2d / convolve2d for cases 2-3, two float64
scipy.ndimage.correlate1d passes for the separable filters, an FFT correlation of the
symmetric-padded input for the full KxK kernels of case 4 -- itself checked against
scipy.signal.correlate2d on a small image); a library that fails is not timed, is marked in the
tables and the script exits with status 1.

Timing: the method of bench_lines.py (_benchtime.py): per case all libraries in one process,
interleaved round-robin with the order rotated every round; steady state (an untimed lead-in
call before each timed burst) and after another library (one call right after another library
wrote the same `out`, no lead-in); medians over the rounds.
"""

from __future__ import annotations

import concurrent.futures
import datetime as _dt
import gc
import os
import sys
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
if HERE not in sys.path:
    sys.path.insert(0, HERE)

from _2d_cases import BUILDERS, make_cases  # noqa: E402
from _2d_report import make_plot, write_report  # noqa: E402
from _benchlibs import THREADS, Libs  # noqa: E402
from _benchtime import check_impls, time_checked  # noqa: E402
from _benchutil import (build_header, common_parser, finish_header, loadavg,  # noqa: E402
                        machine_info, parse_common, progress_line, report_done,
                        wanted_libs)

AXISCONV_API = ("correlate_separable", "correlate2d", "convolve2d", "separate")
LIB_KEYS = ("axisconv", "scipy", "cv2")


def checker_for(x, refs, tols):
    """check(impl, result) -> (ok, max_err, message) against refs[impl.ref_mode] (or the single
    ref)."""

    def check(im, result):
        if im.ref_mode == "copy":
            ok = result.shape == x.shape and np.array_equal(result, x)
            return ok, 0.0 if ok else float("inf"), "" if ok else "copy differs from input"
        ref = refs[im.ref_mode] if isinstance(refs, dict) else refs
        tol = tols[im.ref_mode] if isinstance(tols, dict) else tols
        res = np.asarray(result)
        if res.shape != ref.shape:
            return False, float("inf"), f"shape {res.shape} != {ref.shape}"
        want = getattr(im, "expect_dtype", x.dtype)
        if res.dtype != want:
            return False, float("inf"), f"dtype {res.dtype} != {want}"
        err = float(np.max(np.abs(res.astype(np.float64) - ref)))
        if not np.isfinite(err) or err > tol:
            return False, err, f"max |err| {err:.3g} vs the float64 reference > tol {tol:.1g}"
        return True, err, ""

    return check


def run_case(libs, case, rng, executor, timing, failures) -> dict:
    """Checks and times one case; returns its result record."""
    x = rng.random(case.shape, dtype=case.dtype)
    impls, ref_fn, tols, info = BUILDERS[case.group](libs, case, x, rng, executor)
    res = dict(label=case.label, group=case.group, params=case.params, info=info,
               order=[im.name for im in impls], stats={}, status={}, notes={}, errs={}, tols={})
    for im in impls:
        res["tols"][im.name] = tols.get(im.ref_mode, 0.0) if isinstance(tols, dict) else tols
    try:
        refs = ref_fn()
    except Exception as e:
        failures.append(f"{case.label}: reference raised {type(e).__name__}: {e}")
        print(f"  !! {case.label}: reference raised {type(e).__name__}: {e}", flush=True)
        return res
    good, first_call = check_impls(impls, checker_for(x, refs, tols), case.label, res, failures)
    del refs
    res["stats"] = time_checked(good, first_call, timing, case.label, failures)
    return res


def main(argv=None):
    ap = common_parser(__doc__, os.path.join(HERE, "RESULTS_2d.md"), "separable_vs_full.png",
                       ",".join(LIB_KEYS), "axisconv,scipy,cv2", "'KxK' or 'sep '")
    args, timing = parse_common(ap, argv, "separable_vs_full.png")
    target_s = timing[0]

    libs = Libs(wanted_libs(args.libs) & set(LIB_KEYS))
    if libs.scipy_ndimage is None or libs.scipy_signal is None:
        print("scipy is required for the reference:", libs.errors.get("scipy"), file=sys.stderr)
        return 2
    libs.require(AXISCONV_API)

    started = _dt.datetime.now().astimezone()
    load0 = loadavg()
    header = build_header(machine_info(), started, argv, libs.versions(), libs.axisconv_config())
    print(f"bench_2d: {'quick ' if args.quick else ''}run, target {target_s:.2f} s/case, libs: "
          + ", ".join(libs.available(LIB_KEYS)) + " + copy", flush=True)
    for k, e in libs.errors.items():
        if k != "torch":
            print(f"  skipped {k}: {e}", flush=True)

    executor = concurrent.futures.ThreadPoolExecutor(max_workers=THREADS)
    rng = np.random.default_rng(args.seed)
    results, failures = [], []
    t_start = time.perf_counter()
    for case in make_cases():
        if args.filter and args.filter not in case.label:
            continue
        t_case = time.perf_counter()
        res = run_case(libs, case, rng, executor, timing, failures)
        results.append(res)
        print(progress_line(case.label, res["stats"], 50, time.perf_counter() - t_case), flush=True)
        gc.collect()
    executor.shutdown()

    finish_header(header, t_start, load0, loadavg())
    text = write_report(args, results, header, failures, args.out, argv)
    return report_done(text, args.out, failures, make_plot(results, args.plot, args.quick))


if __name__ == "__main__":
    sys.exit(main())
