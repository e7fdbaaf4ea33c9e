"""The report and the plot of bench_2d.py."""

from __future__ import annotations

import os

from _2d_cases import BUILDERS
from _benchtime import AFTER_NOTE
from _benchutil import (COPY_NOTE, QUICK_NOTE, command_line, esc, fmt_ms, fmt_ratio,
                        header_markdown, write_text)

CONV_TARGET = 30.0


def med(res, name, after=False):
    """The steady-state median of library `name` (after=True: the after-other median)."""
    s = res["stats"].get(name, {})
    return s.get("after", {}).get("median") if after else s.get("median")


def cell_ms(res, name):
    t = med(res, name)
    if t:
        return fmt_ms(t)
    return "**FAILED**" if res["status"].get(name) else "-"


def speedup(res, peer, ours="axisconv", after=False):
    """time(peer) / time(ours): > 1 means ours is faster."""
    a, p = med(res, ours, after), med(res, peer, after)
    return fmt_ratio(p, a) if (a and p) else "-"


def table(head: list[str], align: str, rows: list[list[str]]) -> list[str]:
    return (["| " + " | ".join(head) + " |", "|" + "|".join(align) + "|"]
            + ["| " + " | ".join(r) + " |" for r in rows] + [""])


def sep_section(rs) -> list[str]:
    rows = [[str(r["params"]["K"]), cell_ms(r, "axisconv"), cell_ms(r, "cv2"), cell_ms(r, "scipy"),
             cell_ms(r, "copy"), speedup(r, "cv2"), speedup(r, "scipy"),
             fmt_ratio(med(r, "axisconv"), med(r, "copy")) if med(r, "axisconv") else "-",
             fmt_ms(med(r, "axisconv", True)) if med(r, "axisconv", True) else "-",
             speedup(r, "cv2", after=True)] for r in rs]
    return ["## 1. Separable Gaussian, `correlate_separable`, float32 2048x2048, mode reflect", "",
            "Same normalised Gaussian of length K on both axes. `axisconv/copy` = axisconv's time "
            "/ the 2-thread copy's (1.00 = as fast as copying the array once). `after other`: "
            "axisconv's call right after cv2 wrote the same `out`, and its speed-up over cv2's "
            "call right after axisconv wrote it.", ""] + table(
        ["K", "axisconv ms", "cv2 sepFilter2D ms", "scipy.ndimage 2x correlate1d ms", "copy ms",
         "vs cv2", "vs scipy", "axisconv/copy", "after other: axisconv ms", "after other: vs cv2"],
        ["---:"] * 10, rows)


def twod_section(rs) -> list[str]:
    rows = [[esc(r["info"].get("kernel", "?")), esc(r["info"].get("axisconv path", "-")),
             cell_ms(r, "axisconv"), cell_ms(r, "cv2"), speedup(r, "cv2"), cell_ms(r, "cv2 sep"),
             speedup(r, "cv2 sep"), cell_ms(r, "scipy"), speedup(r, "scipy"),
             fmt_ratio(med(r, "axisconv"), med(r, "copy")) if med(r, "axisconv") else "-",
             speedup(r, "cv2", after=True)] for r in rs]
    return ["## 2. `correlate2d(mode='same', boundary='symm')`, float32 2048x2048", "",
            "cv2 = `filter2D` with the same 2-D kernel, `BORDER_REFLECT` (odd sizes: OpenCV's "
            "centred anchor equals scipy's 'same' centring). cv2 sep = `sepFilter2D` with the two "
            "factors (what an OpenCV user who knows them does). axisconv allocates its result (no "
            "`out=`); cv2 writes into `dst=`.", ""] + table(
        ["kernel", "axisconv path", "axisconv ms", "cv2 filter2D ms", "vs cv2 filter2D",
         "cv2 sepFilter2D ms", "vs cv2 sep", "scipy.signal ms", "vs scipy", "axisconv/copy",
         "after other: vs cv2 filter2D"], ["---", "---"] + ["---:"] * 9, rows)


def conv_section(rs) -> list[str]:
    rows = []
    for r in rs:
        a, s = med(r, "axisconv"), med(r, "scipy")
        target = "-" if not (a and s) else ("met" if s / a >= CONV_TARGET else "**NOT met**")
        rows.append([esc(r["info"].get("kernel")), esc(r["info"].get("axisconv path", "-")),
                     cell_ms(r, "axisconv"), cell_ms(r, "scipy"), speedup(r, "scipy"), target,
                     cell_ms(r, "cv2"), speedup(r, "cv2"), cell_ms(r, "axisconv 1 thread"),
                     speedup(r, "scipy", "axisconv 1 thread"), speedup(r, "scipy", after=True)])
    return ["## 3. `convolve2d(mode='same', boundary='symm')`, float64 512x512, random 5x5", "",
            f"Target: at least {CONV_TARGET:.0f}x faster than `scipy.signal.convolve2d`.", "",
            "`axisconv 1 thread` (`threads=1`) is a diagnostic: the same kernel without the "
            "fork/join of the 2-thread call.", ""] + table(
        ["kernel", "axisconv path", "axisconv ms", "scipy.signal ms", "speed-up vs scipy",
         "target", "cv2 filter2D ms", "vs cv2", "axisconv 1 thread ms", "1 thread: vs scipy",
         "after other: vs scipy"], ["---", "---", "---:", "---:", "---:", "---"] + ["---:"] * 5,
        rows)


def kxk_section(rs) -> list[str]:
    rows = []
    for r in rs:
        K = r["params"]["K"]
        af, as_, cf, cs = (med(r, n) for n in ("axisconv full", "axisconv sep", "cv2 full",
                                                "cv2 sep"))
        both = lambda p, q: fmt_ratio(p, q) if (p and q) else "-"  # noqa: E731
        rows.append([str(K), f"{K / 2:.1f}", cell_ms(r, "axisconv full"),
                     cell_ms(r, "axisconv sep"), both(af, as_), cell_ms(r, "cv2 full"),
                     esc(r["info"].get("cv2 path", "-")), cell_ms(r, "cv2 sep"), both(cf, cs),
                     both(cf, af), both(cs, as_),
                     speedup(r, "cv2 full", "axisconv full", after=True),
                     speedup(r, "cv2 sep", "axisconv sep", after=True)])
    return ["## 4. 2K versus K²: full KxK kernel against its separable form, float32 2048x2048",
            "", "full = a random full-rank KxK kernel (axisconv: `correlate2d(same, symm)`, which "
            "runs it through the direct 2-D kernel since separate() finds rank K; cv2: "
            "`filter2D`); sep = two random K-tap kernels (axisconv: `correlate_separable`; cv2: "
            "`sepFilter2D`). `full/sep` = time full / time sep (the multiply count ratio K²/2K = "
            "K/2 is the ideal). **cv2.filter2D uses a DFT for float32 kernels of area >= 130 "
            "(here K >= 13: 15, 21, 31)**, so its full time stops growing as K²; axisconv full is "
            "direct at every K.", ""] + table(
        ["K", "K/2", "axisconv full ms", "axisconv sep ms", "axisconv full/sep", "cv2 filter2D ms",
         "cv2 filter2D path", "cv2 sepFilter2D ms", "cv2 full/sep", "full: vs cv2", "sep: vs cv2",
         "after other: full vs cv2", "after other: sep vs cv2"],
        ["---:"] * 6 + ["---"] + ["---:"] * 6, rows)


def timings_section(results) -> list[str]:
    rows = []
    for r in results:
        for name in r["order"]:
            s = r["stats"].get(name)
            err = r["errs"].get(name)
            errs = "-" if err is None or name == "copy" else f"{err:.1e}"
            tol = "-" if name == "copy" else f"{r['tols'].get(name, 0):.0e}"
            if s is None:
                status = esc(r["status"].get(name, "not timed"))
                rows.append([r["label"], name, "-", "-", "-", "-", errs, tol, f"**{status}**"])
                continue
            a = s.get("after")
            rows.append([r["label"], name, fmt_ms(s["median"]),
                         f"{(s['p75'] - s['p25']) / s['median'] * 100:.0f}",
                         f"{s['n']} x {s['batch']}{'+1' if s['leadin'] else ''}",
                         f"{fmt_ms(a['median'])} ({a['after']}, {a['n']})" if a else "-",
                         errs, tol, esc(r["notes"].get(name, ""))])
    return ["## All timings", "",
            "Median over N interleaved rounds; IQR = (p75 - p25) / median; batch = timed calls "
            "per sample (time per call = burst time / batch), `+1` = one untimed lead-in call "
            "before each burst; after other = the median of N single calls each made right after "
            "the library named wrote the same `out`; max |err| = against the float64 reference "
            "(checked before timing), tol = the limit it had to meet.", ""] + table(
        ["case", "library", "median ms", "IQR %", "N x batch", "after other: ms (after whom, N)",
         "max \\|err\\|", "tol", "notes"], ["---", "---"] + ["---:"] * 3 + ["---"] + ["---:"] * 2
        + ["---"], rows)


HOW = [
    "## How each library was run", "",
    "- axisconv: `threads=2`; `correlate_separable(..., out=out)` in case 1; `correlate2d` / "
    "`convolve2d` have no `out=` and allocate their result on every call (so does "
    "`correlate_separable` in case 4, to match `correlate2d`).",
    "- cv2: `cv2.setNumThreads(2)`, `dst=` preallocated, `borderType=cv2.BORDER_REFLECT` (d c b a "
    "| a b c d = scipy.ndimage 'reflect' = scipy.signal 'symm'); kernels of odd size with the "
    "default (centred) anchor. `filter2D` algorithm per OpenCV's imgproc/filter.dispatch.cpp: a "
    "DFT when the kernel area is >= 130 (float32 in and out, SSE3) or >= 50 (other types), else "
    "direct (or the IPP HAL for small kernels).",
    "- scipy (single-threaded): `scipy.ndimage.correlate1d(..., output=)` twice (rows then "
    "columns) in case 1; `scipy.signal.correlate2d` / `convolve2d` (allocating) in cases 2-3.",
    f"- {COPY_NOTE}",
    f"- {AFTER_NOTE}",
    "- Data: uniform [0, 1) random, C-contiguous. Kernels: case 1 a normalised sampled Gaussian "
    "(sigma = K/6, _benchutil.gaussian_kernel); elsewhere standard-normal weights scaled to sum "
    "|k| = 1; rank-1 = np.outer of two such 5-tap vectors, built in float64 or in float32 (in "
    "float32 the rounded product is no longer exactly rank 1). Every library gets the same kernel "
    "array.",
    "- Reference (float64): case 1 and the separable half of case 4: two "
    "scipy.ndimage.correlate1d passes (mode reflect); cases 2-3: scipy.signal.correlate2d / "
    "convolve2d (same, symm); the full KxK half of case 4: an FFT correlation "
    "(scipy.signal.correlate, method='fft', mode 'valid') of the symmetric-padded input, checked "
    "per K against scipy.signal.correlate2d(same, symm) on a small image.",
    "- Method (_benchtime.py): per case, each library is called once and checked (a library "
    "that fails is not timed), warmed up, then all are timed interleaved round-robin (order "
    "rotated each round) in one process; each steady-state sample is an untimed lead-in call "
    "(calls < 0.1 s) and a timed burst (~20 ms of calls, at least one).",
    ""]
SECTIONS = {"sep": sep_section, "2d": twod_section, "conv2d": conv_section, "kxk": kxk_section}


def write_report(args, results, header, failures, path, argv):
    L = ["# axisconv benchmark: separable and 2-D filters (`bench_2d.py`)", ""]
    if args.quick:
        L += [QUICK_NOTE, ""]
    L += header_markdown(header)
    L += ["", "The machine is shared and noisy: compare the ratios (measured interleaved in the "
          "same", "process) rather than absolute times. Times are medians in ms; `vs X` = time of "
          "X / time of", "axisconv (> 1: axisconv is faster).", ""]
    for group in BUILDERS:
        rs = [r for r in results if r["group"] == group]
        if rs:
            L += SECTIONS[group](rs)
    L += timings_section(results) + HOW
    if failures:
        L += ["## Problems", ""] + [f"- {f}" for f in failures] + [""]
    L += ["## Command", "", "    " + command_line(argv), ""]
    text = "\n".join(L)
    if path:
        write_text(path, text)
    return text


STYLES = {
    "axisconv full": dict(color="C3", marker="o", lw=2.2,
                          label="axisconv full KxK (correlate2d, direct)"),
    "axisconv sep": dict(color="C3", marker="o", lw=2.2, ls="--", mfc="white",
                         label="axisconv separable (correlate_separable)"),
    "cv2 full": dict(color="C2", marker="^", lw=1.6, label="OpenCV full KxK (filter2D)"),
    "cv2 sep": dict(color="C2", marker="^", lw=1.6, ls="--", mfc="white",
                    label="OpenCV separable (sepFilter2D)"),
}


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
    for name, st in STYLES.items():
        pts = [(r["params"]["K"], med(r, name) * 1e3) for r in rs if med(r, name)]
        if pts:
            ax.plot([p[0] for p in pts], [p[1] for p in pts], **st)
    dft = [K for K in Ks if K * K >= 130]
    if dft:
        lo = max([K for K in Ks if K * K < 130] or [Ks[0]])
        ax.axvspan((lo * min(dft)) ** 0.5, Ks[-1] * 1.08, color="C2", alpha=0.08, lw=0)
        ax.text(min(dft), 0.03, "cv2.filter2D uses a DFT here\n(float32 kernel area >= 130)",
                color="C2", transform=ax.get_xaxis_transform(), fontsize=8.5, va="bottom")
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
