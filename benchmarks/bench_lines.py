#!/usr/bin/env python
"""Benchmark axisconv.correlate1d against its peers on 1-D filtering along rows / columns.

    python benchmarks/bench_lines.py [--quick] [--out benchmarks/RESULTS.md] [--plot benchmarks/lines.png]

What is compared (every library is optional and skipped cleanly when it cannot be imported):

* axisconv.correlate1d(x, w, axis, mode="reflect", out=out, threads=2)
* scipy.ndimage.correlate1d(x, w, axis, mode="reflect", output=out)          (single-threaded)
* cv2.filter2D with a 1xK (rows) / Kx1 (columns) kernel, BORDER_REFLECT, anchor at K//2,
  dst=out, cv2.setNumThreads(2)
* torch.nn.functional.conv1d (torch.set_num_threads(2)) on a (lines, 1, length) view, padded with
  F.pad(mode="reflect"); see TORCH_NOTE below for what exactly is timed
* "copy": np.copyto of the same array into a preallocated output, two halves on two threads

Every library's output is checked against scipy once per case, *before* it is timed; a library
that fails the check (or raises) is not timed for that case, is marked in the table, and the
script exits with status 1.

Timing: all libraries of one case run in the same process, interleaved round-robin (the order is
rotated every round), after a warm-up. One sample of a library = one untimed lead-in call (for
calls under 0.1 s) followed by a timed burst of calls (one call, or as many as make ~20 ms for
fast calls) whose time per call is the sample; the reported figure is the median over the rounds.
The lead-in puts each library in its steady state (thread pool awake, data in cache) whatever ran
before it. The number of rounds adapts so that one case takes about --target-s seconds, with at
least 5 rounds (3 when one round takes over 1 s, as in the 8192x8192 cases; --quick: 3 and 1), so
cases with slow peers take longer.
"""

from __future__ import annotations

import concurrent.futures
import datetime as _dt
import gc
import math
import os
import platform
import subprocess
import sys
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
if HERE not in sys.path:
    sys.path.insert(0, HERE)
from _benchutil import (build_header, check_impls, common_parser, finish_header,  # noqa: E402
                        header_markdown, make_copy_fn, parse_common)
THREADS = 2
HEAVY_ROUND_S = 1.0  # a round (one sample of every library) longer than this: fewer rounds
LEADIN_MAX_S = 0.1  # calls shorter than this get an untimed lead-in call before each timed burst

TORCH_NOTE = (
    "torch: timed = F.pad(mode='reflect') + F.conv1d, i.e. padding *included* in the time. "
    "torch's 'reflect' is scipy's 'mirror' (d c b | a b c d), which costs exactly the same as "
    "scipy's 'reflect' (torch has no symmetric pad), so the timed result is checked against "
    "scipy mode='mirror'; in addition a symmetric pre-padded input (torch.cat of flipped edges) "
    "through the same conv1d is checked against scipy mode='reflect'. "
    "Rows: x viewed as (H, 1, W) (free). Columns: what a user does: x.T.contiguous() (timed: a "
    "full transpose copy) viewed as (W, 1, H), pad, conv1d, and the result returned as the "
    "transposed view (H, W) (Fortran order, no copy back). torch has no out= here, so it "
    "allocates its padded input and output on every call."
)
CV2_NOTE = (
    "cv2: filter2D(x, -1, kernel 1xK (rows) / Kx1 (columns), dst=out, anchor=K//2 along the "
    "filtered axis, borderType=BORDER_REFLECT), cv2.setNumThreads(2)."
)
COPY_NOTE = (
    "copy: np.copyto(out, x) split in two halves (along axis 0) on a ThreadPoolExecutor(2), into "
    "a preallocated output: the speed of just reading and writing the array with 2 threads."
)
GBS_NOTE = (
    "GB/s = (bytes read + bytes written) / time with the nominal traffic of one read of x and one "
    "write of the result (2 x x.nbytes) for every library, so it is the inverse time on a common "
    "scale, not a measured memory bandwidth (torch's pad/transpose copies are not counted)."
)


# ----------------------------------------------------------------------------- helpers


def gaussian_kernel(K: int, dtype) -> np.ndarray:
    """Normalised symmetric smoothing kernel of length K (a sampled Gaussian, sigma = K/6)."""
    sigma = max(K / 6.0, 0.5)
    t = np.arange(K, dtype=np.float64) - (K - 1) / 2.0
    w = np.exp(-0.5 * (t / sigma) ** 2)
    w /= w.sum()
    # Cast once so that every library gets the *same* weights (exactly representable in dtype).
    return w.astype(dtype)


def axis_name(axis: int) -> str:
    return "rows" if axis == -1 else "cols"


def run_text(cmd: list[str], timeout: float = 30) -> str:
    try:
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
        return (r.stdout + (r.stderr if r.returncode else "")).strip()
    except Exception as e:  # pragma: no cover - best effort
        return f"(could not run {cmd[0]}: {e})"


def machine_info() -> dict:
    info = {"model": platform.processor() or platform.machine(), "cores": str(os.cpu_count())}
    text = run_text(["lscpu"])
    fields = {}
    for line in text.splitlines():
        if ":" in line:
            k, v = line.split(":", 1)
            fields[k.strip()] = v.strip()
    if "Model name" in fields:
        info["model"] = fields["Model name"]
    parts = []
    for k in ("CPU(s)", "Core(s) per socket", "Socket(s)", "Thread(s) per core"):
        if k in fields:
            parts.append(f"{k} {fields[k]}")
    if parts:
        info["cores"] = ", ".join(parts)
    caches = [f"{k} {fields[k]}" for k in ("L1d cache", "L2 cache", "L3 cache") if k in fields]
    info["caches"] = ", ".join(caches) if caches else "?"
    flags = fields.get("Flags", "").split()
    simd = [f for f in ("sse4_2", "avx", "avx2", "fma", "avx512f", "avx512bw", "avx512vl") if f in flags]
    info["cpu_simd"] = " ".join(simd) if simd else "?"
    info["kernel"] = platform.platform()
    try:
        with open("/proc/meminfo") as f:
            for line in f:
                if line.startswith("MemTotal"):
                    info["mem"] = f"{int(line.split()[1]) / 2**20:.1f} GiB"
    except OSError:
        pass
    info["nproc"] = run_text(["nproc"])
    return info


def loadavg() -> str:
    try:
        return " ".join(f"{v:.2f}" for v in os.getloadavg())
    except OSError:
        return "?"


# ----------------------------------------------------------------------------- libraries


class Libs:
    """Imports every library once; each attribute is the module or None."""

    def __init__(self, wanted: set[str]):
        self.errors: dict[str, str] = {}
        self.scipy_ndimage = self._imp("scipy", "scipy.ndimage", wanted)
        self.axisconv = self._imp("axisconv", "axisconv", wanted)
        self.cv2 = self._imp("cv2", "cv2", wanted)
        self.torch = self._imp("torch", "torch", wanted)
        if self.axisconv is not None and not hasattr(self.axisconv, "correlate1d"):
            self.errors["axisconv"] = "module imports but has no correlate1d"
            self.axisconv = None
        if self.cv2 is not None:
            self.cv2.setNumThreads(THREADS)
        if self.torch is not None:
            self.torch.set_num_threads(THREADS)
            import torch.nn.functional as F

            self.F = F

    def _imp(self, key, modname, wanted):
        if key not in wanted:
            self.errors[key] = "not selected (--libs)"
            return None
        try:
            import importlib

            return importlib.import_module(modname)
        except Exception as e:  # ImportError, or a broken build raising something else
            self.errors[key] = f"not importable: {type(e).__name__}: {e}"
            return None

    def versions(self) -> list[str]:
        v = [f"python {platform.python_version()} ({sys.executable})", f"numpy {np.__version__}"]
        import scipy

        v.append(f"scipy {scipy.__version__}" if self.scipy_ndimage else f"scipy: {self.errors.get('scipy')}")
        if self.axisconv is not None:
            v.append(
                f"axisconv {getattr(self.axisconv, '__version__', '?')} "
                f"({os.path.dirname(getattr(self.axisconv, '__file__', '?') or '?')})"
            )
        else:
            v.append(f"axisconv: {self.errors.get('axisconv')} -> skipped")
        if self.cv2 is not None:
            v.append(f"opencv {self.cv2.__version__} (cv2.getNumThreads() = {self.cv2.getNumThreads()})")
        else:
            v.append(f"opencv: {self.errors.get('cv2')} -> skipped")
        if self.torch is not None:
            t = self.torch
            cap = "?"
            try:
                cap = t.backends.cpu.get_cpu_capability()
            except Exception:
                pass
            v.append(f"torch {t.__version__} (threads = {t.get_num_threads()}, CPU capability {cap})")
        else:
            v.append(f"torch: {self.errors.get('torch')} -> skipped")
        try:
            import matplotlib

            v.append(f"matplotlib {matplotlib.__version__}")
        except Exception:
            v.append("matplotlib: not importable (no plot)")
        return v

    def axisconv_config(self) -> str:
        """show_config() output (captured in a subprocess so C-level printf is caught too)."""
        if self.axisconv is None:
            return "axisconv not importable: no SIMD path to report"
        lines = []
        simd = getattr(self.axisconv, "_simd_path", None)
        if callable(simd):
            try:
                lines.append(f"axisconv._simd_path() = {simd()!r}")
            except Exception as e:
                lines.append(f"axisconv._simd_path() raised {type(e).__name__}: {e}")
        if hasattr(self.axisconv, "show_config"):
            code = (
                "import axisconv, sys\n"
                "r = axisconv.show_config()\n"
                "sys.stdout.flush()\n"
                "print(r) if r is not None else None\n"
            )
            out = run_text([sys.executable, "-c", code], timeout=60)
            lines.append("axisconv.show_config():\n" + (out or "(printed nothing)"))
        else:
            lines.append("axisconv has no show_config()")
        return "\n".join(lines)


class Impl:
    """One library's way to compute a case: fn() returns the result (an ndarray)."""

    def __init__(self, name, fn, ref_mode="reflect", extra_check=None, note=""):
        self.name = name
        self.fn = fn
        self.ref_mode = ref_mode  # the scipy mode the timed fn must equal
        self.extra_check = extra_check  # optional () -> (ok, max_err, message)
        self.note = note


def build_impls(libs: Libs, x: np.ndarray, w: np.ndarray, axis: int, executor) -> list[Impl]:
    K = w.size
    impls: list[Impl] = []

    if libs.axisconv is not None:
        ac = libs.axisconv
        out_a = np.empty_like(x)

        def f_axisconv():
            return ac.correlate1d(x, w, axis, mode="reflect", out=out_a, threads=THREADS)

        impls.append(Impl("axisconv", f_axisconv, note="out=, threads=2"))

    if libs.scipy_ndimage is not None:
        ndi = libs.scipy_ndimage
        out_s = np.empty_like(x)

        def f_scipy():
            ndi.correlate1d(x, w, axis, output=out_s, mode="reflect")
            return out_s

        impls.append(Impl("scipy", f_scipy, note="output=, 1 thread"))

    if libs.cv2 is not None:
        cv2 = libs.cv2
        out_c = np.empty_like(x)
        if axis == -1:
            kern, anchor = np.ascontiguousarray(w.reshape(1, K)), (K // 2, 0)
        else:
            kern, anchor = np.ascontiguousarray(w.reshape(K, 1)), (0, K // 2)

        def f_cv2():
            return cv2.filter2D(x, -1, kern, dst=out_c, anchor=anchor, borderType=cv2.BORDER_REFLECT)

        impls.append(Impl("cv2", f_cv2, note="filter2D, dst=, 2 threads"))

    if libs.torch is not None:
        torch, F = libs.torch, libs.F
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
                    parts.append(v[..., v.shape[-1] - right :].flip(-1))
                y = to_user(F.conv1d(torch.cat(parts, dim=-1), wt))
            return y

        impls.append(
            Impl(
                "torch",
                f_torch,
                ref_mode="mirror",
                extra_check=symmetric_check,
                note="pad(reflect)+conv1d, 2 threads" + ("; x.T.contiguous()" if axis != -1 else ""),
            )
        )

    # copy yardstick (always available)
    impls.append(Impl("copy", make_copy_fn(x, executor), ref_mode="copy", note="np.copyto, 2 threads"))
    return impls


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
    msg = ""
    if impl.extra_check is not None:
        y = np.asarray(impl.extra_check())
        err2 = float(np.max(np.abs(y.astype(np.float64) - refs["reflect"].astype(np.float64))))
        if not np.isfinite(err2) or err2 > tol:
            return False, err2, f"symmetric-padded variant: max |err| {err2:.3g} vs scipy reflect"
        err = max(err, err2)
    return True, err, msg


# ----------------------------------------------------------------------------- timing


def time_case(impls: list[Impl], target_s: float, nmin: int, nmax: int, gap_s: float, min_sample_s: float,
              first_call: dict, nmin_heavy: int):
    """Round-robin timing. Returns {name: dict(median, p25, p75, n, batch, leadin)}, seconds per call.

    One sample of a library = an untimed lead-in call (for calls under LEADIN_MAX_S) followed by a
    timed burst of `batch` calls (batch > 1 only for calls shorter than min_sample_s); the sample is
    the burst's time per call. The lead-in puts the library in its steady state (its thread pool
    awake, its data in cache) whatever library ran before it: on this 2-core VM a call right after
    another library's call, or after any idle period, is measurably slower (up to 2x at ~1 ms).
    """
    # Warm-up + per-call estimate (the check call before already warmed each library once).
    est = {}
    for im in impls:
        if first_call.get(im.name, 0.0) >= 2 * LEADIN_MAX_S:
            est[im.name] = first_call[im.name]  # slow call: the checked call was the warm-up
            continue
        t0 = time.perf_counter()
        reps = 0
        while True:
            im.fn()
            reps += 1
            el = time.perf_counter() - t0
            if el >= LEADIN_MAX_S or (reps >= 2 and el >= 0.02) or reps >= 200:
                break
        est[im.name] = el / reps
    batch = {n: max(1, math.ceil(min_sample_s / t)) for n, t in est.items()}
    leadin = {n: 1 if t < LEADIN_MAX_S else 0 for n, t in est.items()}
    per_round = sum(est[n] * (batch[n] + leadin[n]) + gap_s for n in est)
    if per_round > HEAVY_ROUND_S:  # very large cases (one round > 1 s): fewer rounds
        nmin = min(nmin, nmin_heavy)
    rounds = int(min(nmax, max(nmin, round(target_s / per_round))))

    samples = {im.name: [] for im in impls}
    order = list(impls)
    gc_was = gc.isenabled()
    gc.disable()
    try:
        for r in range(rounds):
            rot = order[r % len(order) :] + order[: r % len(order)]
            for im in rot:
                b = batch[im.name]
                fn = im.fn
                if gap_s:
                    time.sleep(gap_s)
                if leadin[im.name]:
                    fn()
                t0 = time.perf_counter_ns()
                for _ in range(b):
                    fn()
                t1 = time.perf_counter_ns()
                samples[im.name].append((t1 - t0) * 1e-9 / b)
    finally:
        if gc_was:
            gc.enable()
    stats = {}
    for name, s in samples.items():
        a = np.asarray(s)
        stats[name] = dict(
            median=float(np.median(a)),
            p25=float(np.percentile(a, 25)),
            p75=float(np.percentile(a, 75)),
            n=len(a),
            batch=batch[name],
            leadin=leadin[name],
        )
    return stats


def time_checked(good: list[Impl], first_call: dict, timing: tuple, label: str, failures: list) -> dict:
    """time_case on the implementations that passed their check, with the timing settings
    parse_common returns; a library that raises while timed is recorded as a failure."""
    target_s, nmin, nmax, nmin_heavy, min_sample_s, gap_s = timing
    try:
        return time_case(good, target_s, nmin, nmax, gap_s, min_sample_s, first_call, nmin_heavy)
    except Exception as e:  # a library that passed the check but fails later
        failures.append(f"{label}: timing raised {type(e).__name__}: {e}")
        print(f"  !! {label}: timing raised {type(e).__name__}: {e}", flush=True)
        return {}


# ----------------------------------------------------------------------------- cases


def make_cases():
    cases = []
    for dt in (np.float32, np.float64):
        cases.append((dt, (64, 64), 3, -1))  # latency
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


PEERS = ("scipy", "cv2", "torch")
ALL_LIBS = ("axisconv",) + PEERS + ("copy",)


def fmt_ms(t):
    return f"{t * 1e3:.3f}" if t < 0.01 else f"{t * 1e3:.2f}" if t < 1 else f"{t * 1e3:.1f}"


def esc(text):
    """Make text safe inside a markdown table cell."""
    return str(text).replace("|", "\\|").replace("\n", " ")


def fmt_ratio(a, b):
    return f"{a / b:.2f}x" if (a is not None and b is not None and b > 0) else "-"


# ----------------------------------------------------------------------------- report


def write_report(args, results, header, failures, path):
    L = []
    L.append("# axisconv benchmark: 1-D correlation along rows / columns (`bench_lines.py`)")
    L.append("")
    if args.quick:
        L.append("**QUICK RUN** (`--quick`): few repeats, for checking the script only; not for publication.")
        L.append("")
    L.extend(header_markdown(header))
    L.append("")
    L.append("The machine is shared and noisy: compare the ratios (measured interleaved in the same")
    L.append("process) rather than absolute times.")
    L.append("")

    L.append("## Summary (one row per case)")
    L.append("")
    L.append(
        "`vs X` = time of X / time of axisconv (> 1: axisconv is faster). "
        "`axisconv/copy` = time of axisconv / time of the 2-thread copy (1.00 = as fast as copying)."
    )
    L.append("")
    L.append("| case | axisconv ms | axisconv GB/s | axisconv/copy | vs scipy | vs cv2 | vs torch | copy ms |")
    L.append("|---|---:|---:|---:|---:|---:|---:|---:|")
    for res in results:
        st = res["stats"]
        ta = st.get("axisconv", {}).get("median")
        tc = st.get("copy", {}).get("median")
        row = [res["label"]]
        row.append(fmt_ms(ta) if ta else esc(res["status"].get("axisconv", "-")))
        row.append(f"{res['bytes'] / ta / 1e9:.2f}" if ta else "-")
        row.append(fmt_ratio(ta, tc) if ta else "-")
        for p in PEERS:
            tp = st.get(p, {}).get("median")
            row.append(fmt_ratio(tp, ta) if (tp and ta) else "-")
        row.append(fmt_ms(tc) if tc else "-")
        L.append("| " + " | ".join(row) + " |")
    L.append("")

    L.append("## All timings")
    L.append("")
    L.append(
        "Median over N interleaved rounds; IQR = (p75 - p25) / median; batch = timed calls per "
        "sample (time per call = burst time / batch), `+1` = one untimed lead-in call before each "
        "burst; max |err| = vs scipy (checked before timing)."
    )
    L.append("")
    L.append("| case | library | median ms | IQR % | GB/s | N x batch | max \\|err\\| | notes |")
    L.append("|---|---|---:|---:|---:|---:|---:|---|")
    for res in results:
        for name in ALL_LIBS:
            if name not in res["status"] and name not in res["stats"]:
                continue
            s = res["stats"].get(name)
            note = res["notes"].get(name, "")
            if s is None:
                L.append(f"| {res['label']} | {name} | - | - | - | - | - | **{esc(res['status'][name])}** |")
                continue
            iqr = (s["p75"] - s["p25"]) / s["median"] * 100
            err = res["errs"].get(name)
            errs = "-" if err is None or name == "copy" else f"{err:.1e}"
            L.append(
                f"| {res['label']} | {name} | {fmt_ms(s['median'])} | {iqr:.0f} | "
                f"{res['bytes'] / s['median'] / 1e9:.2f} | {s['n']} x {s['batch']}{'+1' if s['leadin'] else ''} | {errs} | {note} |"
            )
    L.append("")

    L.append("## How each library was run")
    L.append("")
    L.append("- axisconv: `axisconv.correlate1d(x, w, axis, mode='reflect', out=out, threads=2)`.")
    L.append("- scipy: `scipy.ndimage.correlate1d(x, w, axis, output=out, mode='reflect')` (single-threaded).")
    L.append(f"- {CV2_NOTE}")
    L.append(f"- {TORCH_NOTE}")
    L.append(f"- {COPY_NOTE}")
    L.append(f"- {GBS_NOTE}")
    L.append(
        "- Data: uniform [0, 1) random, C-contiguous; kernel: normalised sampled Gaussian of length K "
        "(sigma = K/6), cast to the array's dtype and shared by every library; mode 'reflect' "
        "(scipy / cv2 BORDER_REFLECT: d c b a | a b c d)."
    )
    L.append(
        "- Method: per case, each library is called once and checked against scipy (a library that "
        "fails is not timed), warmed up, then all are timed interleaved round-robin (order rotated "
        "each round) in one process; each sample is an untimed lead-in call (calls < 0.1 s) and a "
        "timed burst (~20 ms of calls, at least one), so every library is measured in its steady "
        "state (pool awake, data in cache) whatever ran before it; outputs preallocated where the "
        "API allows (axisconv `out=`, scipy `output=`, cv2 `dst=`)."
    )
    L.append("")
    if failures:
        L.append("## Problems")
        L.append("")
        for f in failures:
            L.append(f"- {f}")
        L.append("")
    text = "\n".join(L)
    if path:
        os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
        with open(path, "w") as f:
            f.write(text)
    return text


def make_plot(results, path):
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except Exception as e:
        return f"no plot: matplotlib not importable ({e})"
    sel = [r for r in results if r["dtype"] == "float32" and r["shape"] == (2048, 2048)]
    if not sel:
        return "no plot: no 2048x2048 float32 case was run"
    fig, axes = plt.subplots(1, 2, figsize=(11, 4.2), sharey=True)
    styles = {
        "axisconv": dict(color="C3", marker="o", lw=2.2),
        "scipy": dict(color="C0", marker="s"),
        "cv2": dict(color="C2", marker="^"),
        "torch": dict(color="C1", marker="v"),
        "copy": dict(color="0.4", ls="--", marker=""),
    }
    for ax, axis in zip(axes, (-1, -2)):
        rs = sorted([r for r in sel if r["axis"] == axis], key=lambda r: r["K"])
        Ks = [r["K"] for r in rs]
        for name in ALL_LIBS:
            pts = [(r["K"], r["bytes"] / r["stats"][name]["median"] / 1e9) for r in rs if name in r["stats"]]
            if pts:
                label = name if name != "copy" else "copy (2 threads)"
                ax.plot([p[0] for p in pts], [p[1] for p in pts], label=label, **styles[name])
        ax.set_xscale("log", base=2)
        ax.set_xticks(Ks)
        ax.set_xticklabels([str(k) for k in Ks])
        ax.set_xlabel("kernel length K")
        ax.set_title(f"float32 2048x2048, {'rows (axis=-1)' if axis == -1 else 'columns (axis=-2)'}")
        ax.grid(True, which="both", alpha=0.3)
    axes[0].set_ylabel("throughput GB/s (2 x nbytes / time)")
    axes[0].set_yscale("log")
    handles, labels = axes[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="lower center", ncol=len(labels), fontsize=9, frameon=False)
    fig.suptitle("1-D correlation, mode='reflect' (higher is better)")
    fig.tight_layout(rect=(0, 0.07, 1, 1))
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return f"plot written to {path}"


# ----------------------------------------------------------------------------- main


def main(argv=None):
    ap = common_parser(__doc__, os.path.join(HERE, "RESULTS.md"), "lines.png", ",".join(ALL_LIBS[:-1]),
                       "axisconv,scipy,cv2,torch", "'2048x2048'")
    args, timing = parse_common(ap, argv, "lines.png")
    target_s = timing[0]

    wanted = {s.strip() for s in args.libs.split(",") if s.strip()} | {"scipy"}  # scipy = reference
    libs = Libs(wanted)
    if libs.scipy_ndimage is None:
        print("scipy.ndimage is required as the reference:", libs.errors.get("scipy"), file=sys.stderr)
        return 2

    started = _dt.datetime.now().astimezone()
    mi = machine_info()
    load0 = loadavg()
    header = build_header(mi, started, argv, libs.versions(), libs.axisconv_config())
    print(f"bench_lines: {'quick ' if args.quick else ''}run, target {target_s:.2f} s/case, libs: "
          + ", ".join(n for n in ALL_LIBS[:-1] if getattr(libs, {'scipy': 'scipy_ndimage'}.get(n, n), None) is not None)
          + " + copy", flush=True)
    for k, e in libs.errors.items():
        print(f"  skipped {k}: {e}", flush=True)

    executor = concurrent.futures.ThreadPoolExecutor(max_workers=THREADS)
    rng = np.random.default_rng(args.seed)
    results, failures = [], []
    t_start = time.perf_counter()
    for dt, shape, K, axis in make_cases():
        label = case_label(dt, shape, K, axis)
        if args.filter and args.filter not in label:
            continue
        t_case = time.perf_counter()
        x = rng.random(shape, dtype=dt)
        w = gaussian_kernel(K, dt)
        ndi = libs.scipy_ndimage
        refs = {
            "reflect": ndi.correlate1d(x, w, axis, mode="reflect"),
            "mirror": ndi.correlate1d(x, w, axis, mode="mirror"),
        }
        res = dict(label=label, dtype=np.dtype(dt).name, shape=shape, K=K, axis=axis,
                   bytes=2 * x.nbytes, stats={}, status={}, notes={}, errs={})
        impls = build_impls(libs, x, w, axis, executor)
        good, first_call = check_impls(impls, lambda im, out: check(im, out, x, refs, K), label, res, failures)
        del refs
        stats = res["stats"] = time_checked(good, first_call, timing, label, failures)
        results.append(res)
        ta = stats.get("axisconv", {}).get("median")
        parts = [f"{n} {fmt_ms(s['median'])}" for n, s in stats.items()]
        extra = f"  axisconv/copy {fmt_ratio(ta, stats['copy']['median'])}" if ta and "copy" in stats else ""
        print(f"{label:<28} ms: " + ", ".join(parts) + extra + f"  ({time.perf_counter() - t_case:.1f} s)", flush=True)
        del impls, good, x
        gc.collect()
    executor.shutdown()

    finish_header(header, t_start, load0, loadavg())
    text = write_report(args, results, header, failures, args.out)
    print()
    print(text)
    print()
    print(f"results written to {args.out}")
    print(make_plot(results, args.plot))
    if failures:
        print(f"{len(failures)} problem(s): see the 'Problems' section", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
