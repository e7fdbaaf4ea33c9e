#!/usr/bin/env python
"""Per-frame image pipelines built from axisconv's filters, against the same pipelines in OpenCV
and scipy.ndimage: what a program that calls axisconv between its other steps sees.

    python benchmarks/bench_pipeline.py [--quick] [--out benchmarks/RESULTS_pipeline.md]

Pipelines (_pipelines.py has the stages, kernels and calls), float32, frames of 1920x1080 and
2048x2048 (width x height), axisconv.set_num_threads(2), cv2.setNumThreads(2), scipy and NumPy
single-threaded; border reflect-101 everywhere:

* harris: Gaussian blur -> Sobel x and y -> Ix², Iy², IxIy -> three Gaussian windows ->
  R = det - 0.04 trace²;
* gradient: Gaussian blur -> Sobel x and y -> sqrt(gx² + gy²) (Canny's gradient magnitude).

Method. Per case (pipeline, size) every library has its own buffers, allocated once and reused
for every frame (out= / dst= / output=). Each library first runs the pipeline on one frame and
every buffer it wrote is checked against the same pipeline run by scipy in float64: max |err|
over the buffer's scale (max |reference|; for R the size of its terms) must be <= 2^-16; a library
that fails is not timed and the script exits with status 1. Then the frames are timed: in frame
i every library in turn (order rotated every frame) runs the whole pipeline once on the next
input from a pool of --pool frames (so no run reads the input the run before it read), with no
lead-in call and no pause: each stage follows whatever ran before it, as in a program. Every
stage is timed (perf_counter_ns between stages). Reported: medians over the frames of each stage,
of the filter stages together (blur, Sobel, windows: their per-frame sum) and of the frame.
Interleaved with them runs the yardstick "copies": the same pipeline with every filter a
2-thread copy of its input into its output, the floor of any filter made as one pass.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import datetime as _dt
import gc
import itertools
import os
import sys
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
if HERE not in sys.path:
    sys.path.insert(0, HERE)
from _benchlibs import Libs  # noqa: E402
from _benchtime import round_robin  # noqa: E402
from _benchutil import (QUICK_NOTE, build_header, command_line, esc, finish_header,  # noqa: E402
                        apply_stream_threshold, fmt_ms, fmt_ratio, header_markdown, loadavg,
                        machine_info, report_done, wanted_libs, write_text)
from _pipelines import PIPELINES, TOL, Pipeline, ScipyOps, check, make_ops, scales  # noqa: E402

SIZES = ((1080, 1920), (2048, 2048))  # (height, width)
LIB_KEYS = ("axisconv", "cv2", "scipy")
COLUMNS = LIB_KEYS + ("copy",)  # copy: the yardstick (each filter a 2-thread copy), unchecked
MODULES = {"axisconv": "axisconv", "cv2": "cv2", "scipy": "scipy_ndimage"}
TARGETS = {"harris": {"filter stages": 3.5, "whole frame": 1.6}}  # speed-up over cv2 (issue 15)


def parse(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="few frames (checks the script)")
    ap.add_argument("--out", default=os.path.join(HERE, "RESULTS_pipeline.md"),
                    help="markdown output (default: benchmarks/RESULTS_pipeline.md)")
    ap.add_argument("--libs", default=",".join(LIB_KEYS), help="comma-separated subset of "
                    "axisconv,cv2,scipy (scipy is always in: it is the reference)")
    ap.add_argument("--filter", default="",
                    help="only cases whose label contains this text, e.g. 'harris' or '2048'")
    ap.add_argument("--frames", type=int, default=None, help="timed frames per library and "
                    "case (default 41, quick 4)")
    ap.add_argument("--pool", type=int, default=5, help="input frames cycled through (default 5)")
    ap.add_argument("--seed", type=int, default=12345)
    ap.add_argument("--stream-threshold", type=int, default=None, metavar="BYTES",
                    help="axisconv's streaming-store threshold for this run (an experiment; "
                    "default: the library's own)")
    args = ap.parse_args(argv)
    apply_stream_threshold(args.stream_threshold)
    if args.frames is None:
        args.frames = 4 if args.quick else 41
    if args.frames < 1 or args.pool < 1:
        ap.error("--frames and --pool must be at least 1")
    return args


# ----------------------------------------------------------------------------- one case


def check_libs(libs, spec, shape, pool, label, failures):
    """Each library's pipeline, run once and checked against scipy in float64. Returns
    ({lib: Pipeline that passed}, {lib: {buffer: relative error}}, {lib: failure message})."""
    ref = Pipeline(spec, ScipyOps(libs.scipy_ndimage), shape, np.float64)
    ref.run(pool[0].astype(np.float64))
    scale = scales(ref.b)
    pipes, errs, status = {}, {}, {}
    for lib in libs.available(LIB_KEYS):
        try:
            pipe = Pipeline(spec, make_ops(lib, getattr(libs, MODULES[lib]), np.float32), shape,
                            np.float32)
            pipe.run(pool[0])
            errs[lib] = check(pipe, ref, scale)
        except Exception as e:
            status[lib] = f"raised {type(e).__name__}: {e}"
        else:
            bad = {n: e for n, e in errs[lib].items() if not e <= TOL}
            if not bad:
                pipes[lib] = pipe
                continue
            status[lib] = "CHECK FAILED: " + ", ".join(f"{n} {e:.2g}" for n, e in bad.items())
        failures.append(f"{label}: {lib}: {status[lib]}")
        print(f"  !! {label}: {lib}: {status[lib]}", flush=True)
    return pipes, errs, status


def time_frames(pipes: dict, pool: list, frames: int) -> dict:
    """Frame by frame, every library in turn (order rotated each frame), each run on the next
    pool frame, no lead-in. Returns {lib: seconds, shape (frames, stages)}."""
    inputs = itertools.cycle(pool[1:] + pool[:1])  # pool[0] was the checked run's
    ns = round_robin(pipes, frames, 0.0, lambda lib, pipe: pipe.run(next(inputs)))
    return {lib: np.asarray(v, dtype=np.float64) * 1e-9 for lib, v in ns.items()}


def stage_medians(t: np.ndarray, names: list[str], filter_stages) -> dict:
    """Medians (s): each stage, the filter stages' per-frame sum, the whole frame; and the whole
    frame's IQR over its median."""
    cols = [names.index(n) for n in filter_stages]
    whole = t.sum(axis=1)
    row = dict(zip(names, np.median(t, axis=0)))
    row["filter stages"] = float(np.median(t[:, cols].sum(axis=1)))
    row["whole frame"] = float(np.median(whole))
    row["iqr"] = float(np.subtract(*np.percentile(whole, [75, 25])) / np.median(whole))
    return row


def run_case(libs, name, shape, rng, args, executor, failures) -> dict:
    spec = PIPELINES[name]
    label = f"{name} {shape[1]}x{shape[0]}"
    pool = [rng.random(shape, dtype=np.float32) for _ in range(args.pool)]
    pipes, errs, status = check_libs(libs, spec, shape, pool, label, failures)
    if pipes:
        pipes["copy"] = Pipeline(spec, make_ops("copy", executor, np.float32), shape, np.float32)
    names = next(iter(pipes.values())).names if pipes else []
    times = time_frames(pipes, pool, args.frames) if pipes else {}
    stats = {lib: stage_medians(t, names, spec.filter_stages) for lib, t in times.items()}
    return dict(label=label, name=name, about=spec.about, stages=names, errs=errs, status=status,
                filter_stages=spec.filter_stages, stats=stats)


# ----------------------------------------------------------------------------- report


def speedup(stats, peer, key):
    """time(peer) / time(axisconv) for row `key`: > 1 means axisconv is faster."""
    a, p = stats.get("axisconv", {}).get(key), stats.get(peer, {}).get(key)
    return fmt_ratio(p, a) if (a and p) else "-"


def verdict(res, key):
    target = TARGETS.get(res["name"], {}).get(key)
    a, c = (res["stats"].get(lib, {}).get(key) for lib in ("axisconv", "cv2"))
    if target is None or not (a and c):
        return "-"
    return f">= {target}x: " + ("met" if c / a >= target else "**not met**")


def ceiling(stats, key):
    """time(cv2) / time(copy) for row `key`: cv2's time over that of the pipeline whose filters
    are 2-thread copies, the most any library filtering in separate passes could gain."""
    c, f = stats.get("cv2", {}).get(key), stats.get("copy", {}).get(key)
    return fmt_ratio(c, f) if (c and f) else "-"


def summary(results) -> list[str]:
    L = ["| case | filter stages: vs cv2 | target | copies instead of filters: vs cv2 "
         "| whole frame: vs cv2 | target | copies instead of filters: vs cv2 "
         "| filter stages: vs scipy | whole frame: vs scipy | axisconv frame ms |",
         "|---|---:|---|---:|---:|---|---:|---:|---:|---:|"]
    for r in results:
        st = r["stats"]
        a = st.get("axisconv", {}).get("whole frame")
        L.append(f"| {r['label']} | {speedup(st, 'cv2', 'filter stages')} | "
                 f"{verdict(r, 'filter stages')} | {ceiling(st, 'filter stages')} | "
                 f"{speedup(st, 'cv2', 'whole frame')} | {verdict(r, 'whole frame')} | "
                 f"{ceiling(st, 'whole frame')} | {speedup(st, 'scipy', 'filter stages')} | "
                 f"{speedup(st, 'scipy', 'whole frame')} | {fmt_ms(a) if a else '-'} |")
    return L + ["", "`copies instead of filters` times the same pipeline with every filter "
                "replaced by a 2-thread copy of its input into its output (the elementwise "
                "stages unchanged): cv2's time over that is the speed-up a library would reach "
                "if each of its filter passes cost no more than reading its input and writing "
                "its output once.", ""]


def case_section(r, frames) -> list[str]:
    st = r["stats"]
    L = [f"## {r['label']}", "", r["about"] + ".", "",
         "| stage | axisconv ms | cv2 ms | scipy ms | copies ms | vs cv2 | vs scipy |",
         "|---|---:|---:|---:|---:|---:|---:|"]
    rows = r["stages"] + ["filter stages", "whole frame"]
    for key in rows:
        name = f"**{key}** ({' + '.join(r['filter_stages'])})" if key == "filter stages" else (
            f"**{key}**" if key == "whole frame" else key)
        cells = [fmt_ms(st[lib][key]) if lib in st else esc(r["status"].get(lib, "-"))
                 for lib in COLUMNS]
        L.append(f"| {name} | " + " | ".join(cells) + f" | {speedup(st, 'cv2', key)} | "
                 f"{speedup(st, 'scipy', key)} |")
    iqr = ", ".join(f"{lib} {s['iqr'] * 100:.0f}%" for lib, s in st.items() if lib != "copy")
    L += ["", f"Medians over {frames} frames per library; whole-frame IQR / median: {iqr}.", ""]
    errs = ", ".join(f"{lib} {max(e.values()):.1e} ({max(e, key=e.get)})"
                     for lib, e in r["errs"].items() if e)
    L += [f"Check (before timing, max |err| / scale over every buffer, worst buffer; tolerance "
          f"{TOL:.1e}): {errs}.", ""]
    return L


HOW = [
    "## How each library was run", "",
    "- axisconv: `correlate_separable(src, kernel(s), mode='mirror', out=)` for the blurs, the "
    "windows and both Sobel derivatives (per-axis kernels [1, 2, 1] and [-1, 0, 1]), "
    "`axisconv.set_num_threads(2)`; elementwise stages in NumPy with `out=`.",
    "- cv2: `GaussianBlur(src, (k, k), sigma, dst=, sigmaY=sigma, borderType=BORDER_REFLECT_101)`, "
    "`Sobel(src, -1, dx, dy, dst=, ksize=3, borderType=BORDER_REFLECT_101)`, `multiply` (with "
    "`scale=` for k trace²), `add`, `subtract`, `magnitude`, all with `dst=`; "
    "`cv2.setNumThreads(2)`.",
    "- scipy: `ndimage.gaussian_filter(src, sigma, mode='mirror', radius=r, output=)`, "
    "`ndimage.sobel(src, axis, mode='mirror', output=)` (single-threaded); elementwise stages "
    "the same NumPy calls as axisconv's.",
    "- copies: the yardstick, not a library: each filter replaced by `np.copyto` of its input "
    "into its output, one half on the calling thread and the other on a `ThreadPoolExecutor` "
    "thread (not checked: it computes nothing), the elementwise stages as axisconv's.",
    "- Same kernels in all three (Gaussian exp(-t²/2σ²), t = -r..r, normalised; Sobel 3x3), "
    "border reflect-101 (d c b | a b c d) in all three. Data: uniform [0, 1) random float32.",
    "- `vs X` = time of X / time of axisconv (> 1: axisconv is faster). Filter stages = blur, "
    "Sobel and windows (the elementwise arithmetic excluded), the median of their per-frame sum.",
    "- Timing: no lead-in call, no pause; frames interleaved library by library (order rotated "
    "every frame), each run on the next of a pool of input frames; buffers reused across frames.",
    ""]


def write_report(args, results, header, failures, argv) -> str:
    L = ["# axisconv benchmark: per-frame pipelines (`bench_pipeline.py`)", ""]
    if args.quick:
        L += [QUICK_NOTE, ""]
    L += header_markdown(header) + [""]
    L += ["## Summary", "", "Speed-up of axisconv's pipeline (time of X / time of axisconv), "
          "measured without lead-in calls, buffers reused; targets from issue 15.", ""]
    L += summary(results)
    for r in results:
        L += case_section(r, args.frames)
    L += HOW
    if failures:
        L += ["## Problems", ""] + [f"- {f}" for f in failures] + [""]
    L += ["## Command", "", "    " + command_line(argv), ""]
    text = "\n".join(L)
    write_text(args.out, text)
    return text


# ----------------------------------------------------------------------------- main


def main(argv=None):
    args = parse(argv)
    libs = Libs(wanted_libs(args.libs) & set(LIB_KEYS))
    if libs.scipy_ndimage is None:
        print("scipy is required for the reference:", libs.errors.get("scipy"), file=sys.stderr)
        return 2
    libs.require(("correlate_separable", "set_num_threads"))
    started = _dt.datetime.now().astimezone()
    load0 = loadavg()
    header = build_header(machine_info(), started, argv, libs.versions(), libs.axisconv_config())
    print(f"bench_pipeline: {args.frames} frames per case, libs: "
          + ", ".join(libs.available(LIB_KEYS)), flush=True)

    rng = np.random.default_rng(args.seed)
    results, failures = [], []
    executor = concurrent.futures.ThreadPoolExecutor(max_workers=1)
    t_start = time.perf_counter()
    for name in PIPELINES:
        for shape in SIZES:
            if args.filter and args.filter not in f"{name} {shape[1]}x{shape[0]}":
                continue
            t_case = time.perf_counter()
            r = run_case(libs, name, shape, rng, args, executor, failures)
            results.append(r)
            st = r["stats"]
            print(f"{r['label']:<20} frame ms: "
                  + ", ".join(f"{lib} {fmt_ms(s['whole frame'])}" for lib, s in st.items())
                  + "; filter stages ms: "
                  + ", ".join(f"{lib} {fmt_ms(s['filter stages'])}" for lib, s in st.items())
                  + f"  ({time.perf_counter() - t_case:.1f} s)", flush=True)
            gc.collect()

    finish_header(header, t_start, load0, loadavg())
    return report_done(write_report(args, results, header, failures, argv), args.out, failures)


if __name__ == "__main__":
    sys.exit(main())
