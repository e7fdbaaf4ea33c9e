#!/usr/bin/env python
"""Benchmark axisconv's separable and 2-D filters (SPEC §3/§4) against OpenCV and scipy.

    python benchmarks/bench_2d.py [--quick] [--out benchmarks/RESULTS_2d.md] [--plot benchmarks/separable_vs_full.png]

Cases (float32 unless said; axisconv threads=2, cv2.setNumThreads(2), scipy single-threaded):

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

Timing: the method of bench_lines.py (its time_case): per case all libraries in one process,
interleaved round-robin with the order rotated every round, an untimed lead-in call before each
timed burst, medians over the rounds.
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

from _benchutil import (build_header, check_impls, command_line, common_parser, finish_header,  # noqa: E402
                        header_markdown, make_copy_fn, parse_common)
from bench_lines import (  # noqa: E402
    COPY_NOTE,
    THREADS,
    Impl,
    Libs,
    esc,
    fmt_ms,
    fmt_ratio,
    gaussian_kernel,
    loadavg,
    machine_info,
    time_checked,
)

SIZE = (2048, 2048)
SEP_KS = (3, 7, 15, 31)
KXK_KS = (3, 5, 7, 9, 11, 15, 21, 31)
CONV_SHAPE = (512, 512)
CONV_TARGET = 30.0
AXISCONV_API = ("correlate_separable", "correlate2d", "convolve2d", "separate")
LIB_KEYS = ("axisconv", "scipy", "cv2")


def cv2_filter2d_path(kh: int, kw: int, dtype) -> str:
    """Which algorithm cv2.filter2D uses (OpenCV imgproc filter.dispatch.cpp, dftFilter2D):
    a DFT when the kernel area is >= 130 for float32 -> float32 (with SSE3), >= 50 otherwise."""
    limit = 130 if np.dtype(dtype) == np.float32 else 50
    return f"DFT (area {kh * kw} >= {limit})" if kh * kw >= limit else "direct"


def axisconv_2d_path(ac, k: np.ndarray) -> str:
    """The path axisconv.correlate2d takes for kernel k: its rule (axisconv/conv2d.py) is r fused
    separable passes when r = rank(separate(k)) satisfies r * (kh + kw) < kh * kw, else direct."""
    kh, kw = k.shape
    r = len(ac.separate(k)[0])
    if kh > 1 and kw > 1 and 0 < r and r * (kh + kw) < kh * kw:
        return f"separable passes (separate() rank {r})"
    return f"direct 2-D (separate() rank {r})"


def random_kernel(rng, shape) -> np.ndarray:
    """Standard-normal kernel scaled to sum |k| = 1 (float64): outputs stay within max |x|."""
    k = rng.standard_normal(shape)
    return k / np.abs(k).sum()


def tolerance(dtype, taps: int, l1: float, xmax: float) -> float:
    """Max |err| allowed against the float64 reference: 16 eps sqrt(taps) sum|k| max|x|. Far above
    float rounding (observed errors are ~100x smaller), far below any indexing/boundary error."""
    return 16 * float(np.finfo(dtype).eps) * np.sqrt(taps) * l1 * xmax


def fft_same_symm(x64: np.ndarray, k64: np.ndarray) -> np.ndarray:
    """scipy.signal.correlate2d(x, k, mode='same', boundary='symm') for odd kernels, via FFT:
    the symmetric-padded input (numpy 'symmetric' = scipy.signal 'symm' = d c b a | a b c d)
    correlated in mode 'valid'. Exact up to float64 rounding; fast for large kernels."""
    import scipy.signal as ss

    kh, kw = k64.shape
    assert kh % 2 and kw % 2, "odd kernels only"
    xp = np.pad(x64, ((kh // 2, kh // 2), (kw // 2, kw // 2)), mode="symmetric")
    return ss.correlate(xp, k64, mode="valid", method="fft")


# ----------------------------------------------------------------------------- cases


class Case:
    def __init__(self, group, label, dtype, shape, **params):
        self.group, self.label, self.dtype, self.shape = group, label, np.dtype(dtype), shape
        self.params = params


def make_cases():
    cases = []
    for K in SEP_KS:
        cases.append(Case("sep", f"sep float32 2048x2048 Gaussian K={K}", np.float32, SIZE, K=K))
    cases.append(Case("2d", "2d float32 2048x2048 3x3 random", np.float32, SIZE, kind="random", K=3))
    cases.append(Case("2d", "2d float32 2048x2048 5x5 rank-1 (float64 kernel)", np.float32, SIZE, kind="rank1", K=5,
                      kdtype=np.float64))
    cases.append(Case("2d", "2d float32 2048x2048 5x5 rank-1 (float32 kernel)", np.float32, SIZE, kind="rank1", K=5,
                      kdtype=np.float32))
    cases.append(Case("conv2d", "conv2d float64 512x512 5x5 random", np.float64, CONV_SHAPE, K=5))
    for K in KXK_KS:
        cases.append(Case("kxk", f"KxK float32 2048x2048 K={K}", np.float32, SIZE, K=K))
    return cases


def build_sep(libs, case, x, rng, executor):
    K = case.params["K"]
    w = gaussian_kernel(K, np.float32)  # cast once: every library gets the same weights
    impls = []
    if libs.axisconv is not None:
        ac, out_a = libs.axisconv, np.empty_like(x)
        impls.append(Impl("axisconv", lambda: ac.correlate_separable(x, w, mode="reflect", out=out_a, threads=THREADS),
                          note="correlate_separable(x, w, mode='reflect', out=, threads=2)"))
    if libs.cv2 is not None:
        cv2, out_c = libs.cv2, np.empty_like(x)
        impls.append(Impl("cv2", lambda: cv2.sepFilter2D(x, -1, w, w, dst=out_c, borderType=cv2.BORDER_REFLECT),
                          note="sepFilter2D(x, -1, w, w, dst=, BORDER_REFLECT), 2 threads"))
    if libs.scipy_ndimage is not None:
        ndi, tmp, out_s = libs.scipy_ndimage, np.empty_like(x), np.empty_like(x)

        def f_scipy():
            ndi.correlate1d(x, w, -1, output=tmp, mode="reflect")
            ndi.correlate1d(tmp, w, -2, output=out_s, mode="reflect")
            return out_s

        impls.append(Impl("scipy", f_scipy, note="ndimage.correlate1d rows then columns, output=, 1 thread"))
    impls.append(Impl("copy", make_copy_fn(x, executor), ref_mode="copy", note="np.copyto, 2 threads"))

    def ref():
        import scipy.ndimage as ndi

        w64 = w.astype(np.float64)
        return ndi.correlate1d(ndi.correlate1d(x.astype(np.float64), w64, -1, mode="reflect"), w64, -2, mode="reflect")

    info = {}
    return impls, ref, tolerance(x.dtype, 2 * K, 1.0, 1.0), info


def build_2d(libs, case, x, rng, executor):
    K, kind = case.params["K"], case.params["kind"]
    info = {}
    if kind == "random":
        k = random_kernel(rng, (K, K)).astype(np.float32)
        factors = None
    else:
        a, b = (random_kernel(rng, K) for _ in range(2))
        kdt = case.params["kdtype"]
        a, b = a.astype(kdt), b.astype(kdt)
        k = np.outer(a, b)  # what a user writes; in float32 the product is rounded to float32
        factors = (a, b)  # column factor (along axis -2), row factor (along axis -1)
    info["kernel"] = f"{k.shape[0]}x{k.shape[1]} {'rank-1' if kind == 'rank1' else kind}, {k.dtype}"
    impls = []
    if libs.axisconv is not None:
        ac = libs.axisconv
        info["axisconv path"] = axisconv_2d_path(ac, k)
        impls.append(Impl("axisconv", lambda: ac.correlate2d(x, k, mode="same", boundary="symm", threads=THREADS),
                          note=f"correlate2d(same, symm, threads=2), allocates its result; path: {info['axisconv path']}"))
    if libs.cv2 is not None:
        cv2, out_c = libs.cv2, np.empty_like(x)
        info["cv2 path"] = cv2_filter2d_path(*k.shape, x.dtype)
        impls.append(Impl("cv2", lambda: cv2.filter2D(x, -1, k, dst=out_c, borderType=cv2.BORDER_REFLECT),
                          note=f"filter2D(x, -1, k {k.shape[0]}x{k.shape[1]}, dst=, BORDER_REFLECT), 2 threads; "
                               f"{info['cv2 path']}"))
        if factors is not None:
            out_cs = np.empty_like(x)
            ky, kx = factors
            impls.append(Impl("cv2 sep", lambda: cv2.sepFilter2D(x, -1, kx, ky, dst=out_cs, borderType=cv2.BORDER_REFLECT),
                              note="sepFilter2D(x, -1, row factor, column factor, dst=, BORDER_REFLECT): needs the factors"))
    if libs.scipy_signal is not None:
        ss = libs.scipy_signal
        sdt = np.result_type(x.dtype, k.dtype)
        im = Impl("scipy", lambda: ss.correlate2d(x, k, mode="same", boundary="symm"),
                  note="signal.correlate2d(same, symm), 1 thread" + (
                      f"; returns {sdt} (numpy promotion of the {x.dtype} image and the {k.dtype} kernel)"
                      if sdt != x.dtype else ""))
        im.expect_dtype = sdt  # scipy.signal promotes; axisconv and cv2 keep x's dtype
        impls.append(im)
    impls.append(Impl("copy", make_copy_fn(x, executor), ref_mode="copy", note="np.copyto, 2 threads"))

    def ref():
        import scipy.signal as ss

        return ss.correlate2d(x.astype(np.float64), k.astype(np.float64), mode="same", boundary="symm")

    return impls, ref, tolerance(x.dtype, K * K, float(np.abs(k).sum()), 1.0), info


def build_conv(libs, case, x, rng, executor):
    K = case.params["K"]
    k = random_kernel(rng, (K, K))  # float64
    info = {"kernel": f"{K}x{K} random, float64"}
    impls = []
    if libs.axisconv is not None:
        ac = libs.axisconv
        info["axisconv path"] = axisconv_2d_path(ac, k[::-1, ::-1])
        impls.append(Impl("axisconv", lambda: ac.convolve2d(x, k, mode="same", boundary="symm", threads=THREADS),
                          note=f"convolve2d(same, symm, threads=2); path: {info['axisconv path']}"))
        # Diagnostic: the same call on one thread (a small image: no fork/join, no waiting for a worker).
        impls.append(Impl("axisconv 1 thread", lambda: ac.convolve2d(x, k, mode="same", boundary="symm", threads=1),
                          note="convolve2d(same, symm, threads=1): diagnostic, separates the kernel from the threading"))
    if libs.scipy_signal is not None:
        ss = libs.scipy_signal
        impls.append(Impl("scipy", lambda: ss.convolve2d(x, k, mode="same", boundary="symm"),
                          note="signal.convolve2d(same, symm), 1 thread"))
    if libs.cv2 is not None:
        cv2, out_c, kf = libs.cv2, np.empty_like(x), np.ascontiguousarray(k[::-1, ::-1])
        info["cv2 path"] = cv2_filter2d_path(K, K, x.dtype)
        impls.append(Impl("cv2", lambda: cv2.filter2D(x, -1, kf, dst=out_c, borderType=cv2.BORDER_REFLECT),
                          note=f"filter2D with the flipped kernel (odd size: centred anchor), dst=, BORDER_REFLECT, "
                               f"2 threads; {info['cv2 path']}"))

    def ref():
        import scipy.signal as ss

        return ss.convolve2d(x, k, mode="same", boundary="symm")

    return impls, ref, tolerance(x.dtype, K * K, 1.0, 1.0), info


def build_kxk(libs, case, x, rng, executor):
    K = case.params["K"]
    k = random_kernel(rng, (K, K)).astype(np.float32)  # full rank (almost surely)
    kc = random_kernel(rng, K).astype(np.float32)  # along axis -2 (down the columns)
    kr = random_kernel(rng, K).astype(np.float32)  # along axis -1 (along the rows)
    info = {}
    impls = []
    if libs.axisconv is not None:
        ac = libs.axisconv
        info["axisconv path"] = axisconv_2d_path(ac, k)
        impls.append(Impl("axisconv full", lambda: ac.correlate2d(x, k, mode="same", boundary="symm", threads=THREADS),
                          ref_mode="full", note=f"correlate2d(KxK, same, symm, threads=2); path: {info['axisconv path']}"))
        impls.append(Impl("axisconv sep",
                          lambda: ac.correlate_separable(x, [kc, kr], axes=(-2, -1), mode="reflect", threads=THREADS),
                          ref_mode="sep", note="correlate_separable(x, [kc, kr], axes=(-2, -1), mode='reflect', "
                                               "threads=2), allocates its result like correlate2d"))
    if libs.cv2 is not None:
        cv2, out_f, out_s = libs.cv2, np.empty_like(x), np.empty_like(x)
        info["cv2 path"] = cv2_filter2d_path(K, K, x.dtype)
        impls.append(Impl("cv2 full", lambda: cv2.filter2D(x, -1, k, dst=out_f, borderType=cv2.BORDER_REFLECT),
                          ref_mode="full", note=f"filter2D(KxK, dst=, BORDER_REFLECT), 2 threads; {info['cv2 path']}"))
        impls.append(Impl("cv2 sep", lambda: cv2.sepFilter2D(x, -1, kr, kc, dst=out_s, borderType=cv2.BORDER_REFLECT),
                          ref_mode="sep", note="sepFilter2D(x, -1, kr, kc, dst=, BORDER_REFLECT), 2 threads"))
    if info.get("axisconv path", "direct").startswith("separable"):
        print(f"  note: {case.label}: the random KxK kernel is not full rank for axisconv ({info['axisconv path']})")

    def ref():
        import scipy.ndimage as ndi
        import scipy.signal as ss

        k64 = k.astype(np.float64)
        # The FFT shortcut must equal scipy.signal.correlate2d(same, symm): check it on a small image.
        small = np.random.default_rng(K).random((K + 37, K + 29))
        want = ss.correlate2d(small, k64, mode="same", boundary="symm")
        got = fft_same_symm(small, k64)
        if not np.allclose(got, want, rtol=0, atol=1e-12):
            raise AssertionError(f"script bug: FFT reference != scipy.signal.correlate2d (K={K})")
        x64 = x.astype(np.float64)
        sep = ndi.correlate1d(ndi.correlate1d(x64, kr.astype(np.float64), -1, mode="reflect"),
                              kc.astype(np.float64), -2, mode="reflect")
        return {"full": fft_same_symm(x64, k64), "sep": sep}

    tols = {"full": tolerance(x.dtype, K * K, 1.0, 1.0), "sep": tolerance(x.dtype, 2 * K, 1.0, 1.0)}
    return impls, ref, tols, info


BUILDERS = {"sep": build_sep, "2d": build_2d, "conv2d": build_conv, "kxk": build_kxk}


def checker_for(x, refs, tols):
    """check(impl, result) -> (ok, max_err, message) against refs[impl.ref_mode] (or the single ref)."""

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


# ----------------------------------------------------------------------------- report helpers


def med(res, name):
    return res["stats"].get(name, {}).get("median")


def cell_ms(res, name):
    t = med(res, name)
    if t:
        return fmt_ms(t)
    st = res["status"].get(name)
    return "**FAILED**" if st else "-"


def speedup(res, peer, ours="axisconv"):
    """time(peer) / time(ours): > 1 means ours is faster."""
    a, p = med(res, ours), med(res, peer)
    return fmt_ratio(p, a) if (a and p) else "-"


def write_report(args, results, header, failures, path, argv):
    by = {g: [r for r in results if r["group"] == g] for g in BUILDERS}
    L = ["# axisconv benchmark: separable and 2-D filters (`bench_2d.py`)", ""]
    if args.quick:
        L += ["**QUICK RUN** (`--quick`): few repeats, for checking the script only; not for publication.", ""]
    L += header_markdown(header)
    L += ["", "The machine is shared and noisy: compare the ratios (measured interleaved in the same",
          "process) rather than absolute times. Times are medians in ms; `vs X` = time of X / time of",
          "axisconv (> 1: axisconv is faster).", ""]

    if by["sep"]:
        L += ["## 1. Separable Gaussian, `correlate_separable`, float32 2048x2048, mode reflect", "",
              "Same normalised Gaussian of length K on both axes. `axisconv/copy` = axisconv's time / the "
              "2-thread copy's (1.00 = as fast as copying the array once).", "",
              "| K | axisconv ms | cv2 sepFilter2D ms | scipy.ndimage 2x correlate1d ms | copy ms | vs cv2 | vs scipy | axisconv/copy |",
              "|---:|---:|---:|---:|---:|---:|---:|---:|"]
        for r in by["sep"]:
            ta, tc = med(r, "axisconv"), med(r, "copy")
            L.append(f"| {r['params']['K']} | {cell_ms(r, 'axisconv')} | {cell_ms(r, 'cv2')} | {cell_ms(r, 'scipy')} | "
                     f"{cell_ms(r, 'copy')} | {speedup(r, 'cv2')} | {speedup(r, 'scipy')} | "
                     f"{fmt_ratio(ta, tc) if ta else '-'} |")
        L.append("")

    if by["2d"]:
        L += ["## 2. `correlate2d(mode='same', boundary='symm')`, float32 2048x2048", "",
              "cv2 = `filter2D` with the same 2-D kernel, `BORDER_REFLECT` (odd sizes: OpenCV's centred "
              "anchor equals scipy's 'same' centring). cv2 sep = `sepFilter2D` with the two factors (what an "
              "OpenCV user who knows them does). axisconv allocates its result (no `out=`); cv2 writes into `dst=`.",
              "",
              "| kernel | axisconv path | axisconv ms | cv2 filter2D ms | vs cv2 filter2D | cv2 sepFilter2D ms | vs cv2 sep | scipy.signal ms | vs scipy | axisconv/copy |",
              "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
        for r in by["2d"]:
            ta, tc = med(r, "axisconv"), med(r, "copy")
            L.append(f"| {esc(r['info'].get('kernel', '?'))} | {esc(r['info'].get('axisconv path', '-'))} | "
                     f"{cell_ms(r, 'axisconv')} | {cell_ms(r, 'cv2')} | {speedup(r, 'cv2')} | {cell_ms(r, 'cv2 sep')} | "
                     f"{speedup(r, 'cv2 sep')} | {cell_ms(r, 'scipy')} | {speedup(r, 'scipy')} | "
                     f"{fmt_ratio(ta, tc) if ta else '-'} |")
        L.append("")

    if by["conv2d"]:
        L += ["## 3. `convolve2d(mode='same', boundary='symm')`, float64 512x512, random 5x5", "",
              f"Target: at least {CONV_TARGET:.0f}x faster than `scipy.signal.convolve2d`.", "",
              "`axisconv 1 thread` (`threads=1`) is a diagnostic: the same kernel without the fork/join of the 2-thread call.",
              "",
              "| kernel | axisconv path | axisconv ms | scipy.signal ms | speed-up vs scipy | target | cv2 filter2D ms | vs cv2 | axisconv 1 thread ms | 1 thread: vs scipy |",
              "|---|---|---:|---:|---:|---|---:|---:|---:|---:|"]
        for r in by["conv2d"]:
            a, s = med(r, "axisconv"), med(r, "scipy")
            target = "-" if not (a and s) else ("met" if s / a >= CONV_TARGET else "**NOT met**")
            L.append(f"| {esc(r['info'].get('kernel'))} | {esc(r['info'].get('axisconv path', '-'))} | {cell_ms(r, 'axisconv')} | "
                     f"{cell_ms(r, 'scipy')} | {speedup(r, 'scipy')} | {target} | {cell_ms(r, 'cv2')} | {speedup(r, 'cv2')} | "
                     f"{cell_ms(r, 'axisconv 1 thread')} | {speedup(r, 'scipy', 'axisconv 1 thread')} |")
        L.append("")

    if by["kxk"]:
        L += ["## 4. 2K versus K²: full KxK kernel against its separable form, float32 2048x2048", "",
              "full = a random full-rank KxK kernel (axisconv: `correlate2d(same, symm)`, which runs it "
              "through the direct 2-D kernel since separate() finds rank K; cv2: `filter2D`); sep = two "
              "random K-tap kernels (axisconv: `correlate_separable`; cv2: `sepFilter2D`). `full/sep` = "
              "time full / time sep (the multiply count ratio K²/2K = K/2 is the ideal). "
              "**cv2.filter2D uses a DFT for float32 kernels of area >= 130 (here K >= 13: 15, 21, 31)**, "
              "so its full time stops growing as K²; axisconv full is direct at every K.", "",
              "| K | K/2 | axisconv full ms | axisconv sep ms | axisconv full/sep | cv2 filter2D ms | cv2 filter2D path | cv2 sepFilter2D ms | cv2 full/sep | full: vs cv2 | sep: vs cv2 |",
              "|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|"]
        for r in by["kxk"]:
            K = r["params"]["K"]
            af, as_, cf, cs = (med(r, n) for n in ("axisconv full", "axisconv sep", "cv2 full", "cv2 sep"))
            L.append(f"| {K} | {K / 2:.1f} | {cell_ms(r, 'axisconv full')} | {cell_ms(r, 'axisconv sep')} | "
                     f"{fmt_ratio(af, as_) if (af and as_) else '-'} | {cell_ms(r, 'cv2 full')} | "
                     f"{esc(r['info'].get('cv2 path', '-'))} | {cell_ms(r, 'cv2 sep')} | "
                     f"{fmt_ratio(cf, cs) if (cf and cs) else '-'} | {fmt_ratio(cf, af) if (af and cf) else '-'} | "
                     f"{fmt_ratio(cs, as_) if (as_ and cs) else '-'} |")
        L.append("")

    L += ["## All timings", "",
          "Median over N interleaved rounds; IQR = (p75 - p25) / median; batch = timed calls per sample "
          "(time per call = burst time / batch), `+1` = one untimed lead-in call before each burst; "
          "max |err| = against the float64 reference (checked before timing), tol = the limit it had to meet.", "",
          "| case | library | median ms | IQR % | N x batch | max \\|err\\| | tol | notes |",
          "|---|---|---:|---:|---:|---:|---:|---|"]
    for r in results:
        for name in r["order"]:
            s = r["stats"].get(name)
            note = esc(r["notes"].get(name, ""))
            err = r["errs"].get(name)
            errs = "-" if err is None or name == "copy" else f"{err:.1e}"
            tol = "-" if name == "copy" else f"{r['tols'].get(name, 0):.0e}"
            if s is None:
                L.append(f"| {r['label']} | {name} | - | - | - | {errs} | {tol} | **{esc(r['status'].get(name, 'not timed'))}** |")
                continue
            iqr = (s["p75"] - s["p25"]) / s["median"] * 100
            L.append(f"| {r['label']} | {name} | {fmt_ms(s['median'])} | {iqr:.0f} | "
                     f"{s['n']} x {s['batch']}{'+1' if s['leadin'] else ''} | {errs} | {tol} | {note} |")
    L.append("")

    L += ["## How each library was run", "",
          "- axisconv: `threads=2`; `correlate_separable(..., out=out)` in case 1; `correlate2d` / `convolve2d` "
          "have no `out=` and allocate their result on every call (so does `correlate_separable` in case 4, "
          "to match `correlate2d`).",
          "- cv2: `cv2.setNumThreads(2)`, `dst=` preallocated, `borderType=cv2.BORDER_REFLECT` (d c b a | a b c d "
          "= scipy.ndimage 'reflect' = scipy.signal 'symm'); kernels of odd size with the default (centred) anchor. "
          "`filter2D` algorithm per OpenCV's imgproc/filter.dispatch.cpp: a DFT when the kernel area is >= 130 "
          "(float32 in and out, SSE3) or >= 50 (other types), else direct (or the IPP HAL for small kernels).",
          "- scipy (single-threaded): `scipy.ndimage.correlate1d(..., output=)` twice (rows then columns) in case 1; "
          "`scipy.signal.correlate2d` / `convolve2d` (allocating) in cases 2-3.",
          f"- {COPY_NOTE}",
          "- Data: uniform [0, 1) random, C-contiguous. Kernels: case 1 a normalised sampled Gaussian (sigma = K/6, "
          "bench_lines.gaussian_kernel); elsewhere standard-normal weights scaled to sum |k| = 1; rank-1 = "
          "np.outer of two such 5-tap vectors, built in float64 or in float32 (in float32 the rounded product is "
          "no longer exactly rank 1). Every library gets the same kernel array.",
          "- Reference (float64): case 1 and the separable half of case 4: two scipy.ndimage.correlate1d passes "
          "(mode reflect); cases 2-3: scipy.signal.correlate2d / convolve2d (same, symm); the full KxK half of "
          "case 4: an FFT correlation (scipy.signal.correlate, method='fft', mode 'valid') of the symmetric-padded "
          "input, checked per K against scipy.signal.correlate2d(same, symm) on a small image.",
          "- Method (bench_lines.time_case): per case, each library is called once and checked (a library that "
          "fails is not timed), warmed up, then all are timed interleaved round-robin (order rotated each round) "
          "in one process; each sample is an untimed lead-in call (calls < 0.1 s) and a timed burst (~20 ms of "
          "calls, at least one).",
          ""]
    if failures:
        L += ["## Problems", ""] + [f"- {f}" for f in failures] + [""]
    L += ["## Command", "", "    " + command_line(argv), ""]
    text = "\n".join(L)
    if path:
        os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
        with open(path, "w") as f:
            f.write(text)
    return text


def make_plot(results, path, quick):
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except Exception as e:
        return f"no plot: matplotlib not importable ({e})"
    rs = sorted([r for r in results if r["group"] == "kxk"], key=lambda r: r["params"]["K"])
    if not rs:
        return "no plot: no KxK case was run"
    Ks = [r["params"]["K"] for r in rs]
    fig, ax = plt.subplots(figsize=(8, 5.2))
    styles = {
        "axisconv full": dict(color="C3", marker="o", lw=2.2, label="axisconv full KxK (correlate2d, direct)"),
        "axisconv sep": dict(color="C3", marker="o", lw=2.2, ls="--", mfc="white", label="axisconv separable (correlate_separable)"),
        "cv2 full": dict(color="C2", marker="^", lw=1.6, label="OpenCV full KxK (filter2D)"),
        "cv2 sep": dict(color="C2", marker="^", lw=1.6, ls="--", mfc="white", label="OpenCV separable (sepFilter2D)"),
    }
    for name, st in styles.items():
        pts = [(r["params"]["K"], med(r, name) * 1e3) for r in rs if med(r, name)]
        if pts:
            ax.plot([p[0] for p in pts], [p[1] for p in pts], **st)
    dft = [K for K in Ks if K * K >= 130]
    if dft:
        lo = max([K for K in Ks if K * K < 130] or [Ks[0]])
        ax.axvspan((lo * min(dft)) ** 0.5, Ks[-1] * 1.08, color="C2", alpha=0.08, lw=0)
        ax.text(min(dft), 0.03, "cv2.filter2D uses a DFT here\n(float32 kernel area >= 130)", color="C2",
                transform=ax.get_xaxis_transform(), fontsize=8.5, va="bottom")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xticks(Ks)
    ax.set_xticklabels([str(k) for k in Ks])
    ax.minorticks_off()
    ax.set_xlim(Ks[0] / 1.08, Ks[-1] * 1.08)
    ax.set_xlabel("kernel size K (KxK full, or two K-tap passes)")
    ax.set_ylabel("time per call, ms (median, log scale)")
    title = "2K versus K²: float32 2048x2048, mode same / reflect (symm), 2 threads"
    ax.set_title(title + ("\n(QUICK RUN: rough numbers)" if quick else ""), fontsize=10)
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8.5, loc="upper left")
    fig.tight_layout()
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return f"plot written to {path}"


# ----------------------------------------------------------------------------- main


def main(argv=None):
    ap = common_parser(__doc__, os.path.join(HERE, "RESULTS_2d.md"), "separable_vs_full.png", ",".join(LIB_KEYS),
                       "axisconv,scipy,cv2", "'KxK' or 'sep '")
    args, timing = parse_common(ap, argv, "separable_vs_full.png")
    target_s = timing[0]

    wanted = {s.strip() for s in args.libs.split(",") if s.strip()} | {"scipy"}  # scipy = reference
    libs = Libs(wanted & set(LIB_KEYS))
    if libs.scipy_ndimage is None:
        print("scipy is required for the reference:", libs.errors.get("scipy"), file=sys.stderr)
        return 2
    import scipy.signal

    libs.scipy_signal = scipy.signal
    if libs.axisconv is not None:
        missing = [n for n in AXISCONV_API if not hasattr(libs.axisconv, n)]
        if missing:
            libs.errors["axisconv"] = f"module imports but has no {', '.join(missing)}"
            libs.axisconv = None

    started = _dt.datetime.now().astimezone()
    mi = machine_info()
    load0 = loadavg()
    versions = [v for v in libs.versions() if not v.startswith("torch")]
    header = build_header(mi, started, argv, versions, libs.axisconv_config())
    print(f"bench_2d: {'quick ' if args.quick else ''}run, target {target_s:.2f} s/case, libs: "
          + ", ".join(n for n in LIB_KEYS if getattr(libs, {'scipy': 'scipy_ndimage'}.get(n, n), None) is not None)
          + " + copy", flush=True)
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
        x = rng.random(case.shape, dtype=case.dtype)
        impls, ref_fn, tols, info = BUILDERS[case.group](libs, case, x, rng, executor)
        res = dict(label=case.label, group=case.group, params=case.params, info=info, order=[im.name for im in impls],
                   stats={}, status={}, notes={}, errs={}, tols={})
        for im in impls:
            res["tols"][im.name] = tols[im.ref_mode] if isinstance(tols, dict) and im.ref_mode in tols else (
                tols if not isinstance(tols, dict) else 0.0)
        try:
            refs = ref_fn()
        except Exception as e:
            failures.append(f"{case.label}: reference raised {type(e).__name__}: {e}")
            print(f"  !! {case.label}: reference raised {type(e).__name__}: {e}", flush=True)
            results.append(res)
            continue
        good, first_call = check_impls(impls, checker_for(x, refs, tols), case.label, res, failures)
        del refs
        stats = res["stats"] = time_checked(good, first_call, timing, case.label, failures)
        results.append(res)
        parts = [f"{n} {fmt_ms(s['median'])}" for n, s in stats.items()]
        print(f"{case.label:<50} ms: " + ", ".join(parts) + f"  ({time.perf_counter() - t_case:.1f} s)", flush=True)
        del impls, good, x
        gc.collect()
    executor.shutdown()

    finish_header(header, t_start, load0, loadavg())
    text = write_report(args, results, header, failures, args.out, argv)
    print()
    print(text)
    print()
    print(f"results written to {args.out}")
    print(make_plot(results, args.plot, args.quick))
    if failures:
        print(f"{len(failures)} problem(s): see the 'Problems' section", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
