#!/usr/bin/env python
"""Benchmark axisconv.correlate1d against its peers on 1-D filtering along rows / columns.

    python benchmarks/bench_lines.py [--quick] [--out benchmarks/RESULTS.md]
                                     [--plot benchmarks/lines.png]

What is compared (every library is optional and skipped cleanly when it cannot be imported):

* axisconv.correlate1d(x, w, axis, mode="reflect", out=out, threads=2)
* scipy.ndimage.correlate1d(x, w, axis, mode="reflect", output=out)          (single-threaded)
* cv2.filter2D with a 1xK (rows) / Kx1 (columns) kernel, BORDER_REFLECT, anchor at K//2,
  dst=out, cv2.setNumThreads(2)
* torch.nn.functional.conv1d (torch.set_num_threads(2)) on a (lines, 1, length) view, padded with
  F.pad(mode="reflect"); see TORCH_NOTE in _lines_report.py for what exactly is timed
* "copy": np.copyto of the same array into a preallocated output, two halves on two threads

Every library's output is checked against scipy once per case, *before* it is timed; a library
that fails the check (or raises) is not timed for that case, is marked in the table, and the
script exits with status 1.

Timing (_benchtime.py): all libraries of one case run in the same process, interleaved
round-robin (the order is rotated every round), after a warm-up, in two phases.
Steady state: one sample = one untimed lead-in call (for calls under 0.1 s) followed by a timed
burst of calls (one call, or as many as make ~20 ms for fast calls) whose time per call is the
sample. After another library: one sample = another library (OpenCV before axisconv, axisconv
before every other) writes the same `out`, then one call is timed, with no lead-in. Reported:
medians over the rounds. The number of rounds adapts so that each phase of a case takes about
--target-s seconds, with at least 5 rounds, 15 after another library (3 when one round takes
over 1 s, as in the 8192x8192 cases; --quick: 3, 9 and 1), so cases with slow peers take
longer.
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
from _benchlibs import THREADS, Libs  # noqa: E402
from _benchtime import Impl, check_impls, time_checked  # noqa: E402
from _benchutil import (build_header, common_parser, copy_into, finish_header,  # noqa: E402
                        fmt_ratio, gaussian_kernel, loadavg, machine_info, parse_common,
                        progress_line, report_done, wanted_libs)
from _lines_report import ALL_LIBS, make_plot, write_report  # noqa: E402


def axis_name(axis: int) -> str:
    return "rows" if axis == -1 else "cols"


# ----------------------------------------------------------------------------- libraries


def build_impls(libs: Libs, x: np.ndarray, w: np.ndarray, axis: int, executor) -> list[Impl]:
    K = w.size
    impls: list[Impl] = []

    if libs.axisconv is not None:
        ac = libs.axisconv

        def f_axisconv(dst):
            return ac.correlate1d(x, w, axis, mode="reflect", out=dst, threads=THREADS)

        impls.append(Impl("axisconv", into=f_axisconv, out=np.empty_like(x),
                          note="out=, threads=2"))

    if libs.scipy_ndimage is not None:
        ndi = libs.scipy_ndimage

        def f_scipy(dst):
            ndi.correlate1d(x, w, axis, output=dst, mode="reflect")
            return dst

        impls.append(Impl("scipy", into=f_scipy, out=np.empty_like(x), note="output=, 1 thread"))

    if libs.cv2 is not None:
        cv2 = libs.cv2
        if axis == -1:
            kern, anchor = np.ascontiguousarray(w.reshape(1, K)), (K // 2, 0)
        else:
            kern, anchor = np.ascontiguousarray(w.reshape(K, 1)), (0, K // 2)

        def f_cv2(dst):
            return cv2.filter2D(x, -1, kern, dst=dst, anchor=anchor,
                                borderType=cv2.BORDER_REFLECT)

        impls.append(Impl("cv2", into=f_cv2, out=np.empty_like(x),
                          note="filter2D, dst=, 2 threads"))

    if libs.torch is not None:
        impls.append(torch_impl(libs.torch, libs.F, x, w, axis))

    # copy yardstick (always available)
    impls.append(Impl("copy", into=copy_into(x, executor), out=np.empty_like(x), ref_mode="copy",
                      note="np.copyto, 2 threads"))
    return impls


def torch_impl(torch, F, x: np.ndarray, w: np.ndarray, axis: int) -> Impl:
    """pad(reflect) + conv1d on the lines of x (columns: through x.T.contiguous()); no out=."""
    K = w.size
    left, right = K // 2, K - 1 - K // 2
    wt = torch.from_numpy(np.ascontiguousarray(w)).view(1, 1, K)
    xt = torch.from_numpy(x)

    if axis == -1:

        def lines_view():
            return xt.unsqueeze(1)  # (H, 1, W): free

        def to_user(y):
            return y.squeeze(1).numpy()

    else:

        def lines_view():
            return xt.T.contiguous().unsqueeze(1)  # (W, 1, H): a full transpose copy

        def to_user(y):
            return y.squeeze(1).T.numpy()  # (H, W) view, Fortran order

    def f_torch():
        with torch.no_grad():
            return to_user(F.conv1d(F.pad(lines_view(), (left, right), mode="reflect"), wt))

    def symmetric_check():
        # Same conv1d on a symmetric (scipy 'reflect') pre-padded input must equal scipy reflect.
        with torch.no_grad():
            v = lines_view()
            parts = []
            if left:
                parts.append(v[..., :left].flip(-1))
            parts.append(v)
            if right:
                parts.append(v[..., v.shape[-1] - right:].flip(-1))
            return to_user(F.conv1d(torch.cat(parts, dim=-1), wt))

    return Impl("torch", f_torch, ref_mode="mirror", extra_check=symmetric_check,
                note="pad(reflect)+conv1d, 2 threads"
                + ("; x.T.contiguous()" if axis != -1 else ""))


# ----------------------------------------------------------------------------- checking


def tolerance(dtype, K):
    if np.dtype(dtype) == np.float32:
        return 1e-5 * max(1.0, K / 8)  # data in [0, 1), weights sum to 1
    return 1e-12


def check(impl: Impl, result, x, refs, K) -> tuple[bool, float, str]:
    """Returns (ok, max_abs_err, message)."""
    if impl.ref_mode == "copy":
        ok = result.shape == x.shape and np.array_equal(result, x)
        return ok, 0.0 if ok else float("inf"), "" if ok else "copy differs from input"
    ref = refs[impl.ref_mode]
    res = np.asarray(result)
    if res.shape != ref.shape:
        return False, float("inf"), f"shape {res.shape} != {ref.shape}"
    if res.dtype != ref.dtype:
        return False, float("inf"), f"dtype {res.dtype} != {ref.dtype}"
    err = float(np.max(np.abs(res.astype(np.float64) - ref.astype(np.float64))))
    tol = tolerance(x.dtype, K)
    if not np.isfinite(err) or err > tol:
        return False, err, f"max |err| {err:.3g} vs scipy mode={impl.ref_mode!r} > tol {tol:.1g}"
    if impl.extra_check is not None:
        y = np.asarray(impl.extra_check())
        err2 = float(np.max(np.abs(y.astype(np.float64) - refs["reflect"].astype(np.float64))))
        if not np.isfinite(err2) or err2 > tol:
            return False, err2, f"symmetric-padded variant: max |err| {err2:.3g} vs scipy reflect"
        err = max(err, err2)
    return True, err, ""


# ----------------------------------------------------------------------------- cases


def make_cases():
    cases = []
    for dt in (np.float32, np.float64):
        cases.append((dt, (64, 64), 3, -1))  # latency
    cases.append((np.float32, (4096, 32), 3, -1))  # short lines: a stack of signals
    for dt in (np.float32, np.float64):
        for K in (3, 7, 15, 31):
            for axis in (-1, -2):
                cases.append((dt, (2048, 2048), K, axis))
    for K in (3, 31):  # beyond the caches; float32 only to keep the run short
        for axis in (-1, -2):
            cases.append((np.float32, (8192, 8192), K, axis))
    return cases


def case_label(dt, shape, K, axis):
    return f"{np.dtype(dt).name} {shape[0]}x{shape[1]} K={K} {axis_name(axis)}"


def run_case(libs, dt, shape, K, axis, rng, executor, timing, failures) -> dict:
    """Checks and times one case; returns its result record."""
    label = case_label(dt, shape, K, axis)
    x = rng.random(shape, dtype=dt)
    w = gaussian_kernel(K, dt)
    ndi = libs.scipy_ndimage
    refs = {mode: ndi.correlate1d(x, w, axis, mode=mode) for mode in ("reflect", "mirror")}
    res = dict(label=label, dtype=np.dtype(dt).name, shape=shape, K=K, axis=axis,
               bytes=2 * x.nbytes, stats={}, status={}, notes={}, errs={})
    impls = build_impls(libs, x, w, axis, executor)
    good, first_call = check_impls(impls, lambda im, out: check(im, out, x, refs, K), label, res,
                                   failures)
    refs.clear()  # free the references before timing
    res["stats"] = time_checked(good, first_call, timing, label, failures)
    return res


def copy_ratio(stats: dict) -> str:
    ta = stats.get("axisconv", {}).get("median")
    if not (ta and "copy" in stats):
        return ""
    return f"  axisconv/copy {fmt_ratio(ta, stats['copy']['median'])}"


# ----------------------------------------------------------------------------- main


def main(argv=None):
    ap = common_parser(__doc__, os.path.join(HERE, "RESULTS.md"), "lines.png",
                       ",".join(ALL_LIBS[:-1]), "axisconv,scipy,cv2,torch", "'2048x2048'")
    args, timing = parse_common(ap, argv, "lines.png")
    target_s = timing[0]

    libs = Libs(wanted_libs(args.libs))
    if libs.scipy_ndimage is None:
        print("scipy.ndimage is required as the reference:", libs.errors.get("scipy"),
              file=sys.stderr)
        return 2

    started = _dt.datetime.now().astimezone()
    load0 = loadavg()
    header = build_header(machine_info(), started, argv, libs.versions(), libs.axisconv_config())
    print(f"bench_lines: {'quick ' if args.quick else ''}run, target {target_s:.2f} s/case, "
          "libs: " + ", ".join(libs.available(ALL_LIBS[:-1])) + " + copy", flush=True)
    for k, e in libs.errors.items():
        print(f"  skipped {k}: {e}", flush=True)

    executor = concurrent.futures.ThreadPoolExecutor(max_workers=THREADS)
    rng = np.random.default_rng(args.seed)
    results, failures = [], []
    t_start = time.perf_counter()
    for dt, shape, K, axis in make_cases():
        if args.filter and args.filter not in case_label(dt, shape, K, axis):
            continue
        t_case = time.perf_counter()
        results.append(run_case(libs, dt, shape, K, axis, rng, executor, timing, failures))
        stats = results[-1]["stats"]
        print(progress_line(results[-1]["label"], stats, 28, time.perf_counter() - t_case,
                            copy_ratio(stats)), flush=True)
        gc.collect()
    executor.shutdown()

    finish_header(header, t_start, load0, loadavg())
    text = write_report(args, results, header, failures, args.out)
    return report_done(text, args.out, failures, make_plot(results, args.plot))


if __name__ == "__main__":
    sys.exit(main())
