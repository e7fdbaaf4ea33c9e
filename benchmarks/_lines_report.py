"""The report and the plot of bench_lines.py."""

from __future__ import annotations

import os

from _benchtime import AFTER_NOTE
from _benchutil import COPY_NOTE, QUICK_NOTE, esc, fmt_ms, fmt_ratio, header_markdown, write_text

PEERS = ("scipy", "cv2", "torch")
ALL_LIBS = ("axisconv",) + PEERS + ("copy",)

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
GBS_NOTE = (
    "GB/s = (bytes read + bytes written) / time with the nominal traffic of one read of x and one "
    "write of the result (2 x x.nbytes) for every library, so it is the inverse time on a common "
    "scale, not a measured memory bandwidth (torch's pad/transpose copies are not counted)."
)



def after_median(stats: dict, name: str):
    return stats.get(name, {}).get("after", {}).get("median")


def summary_rows(results) -> list[str]:
    L = ["| case | axisconv ms | axisconv GB/s | axisconv/copy | vs scipy | vs cv2 | vs torch "
         "| copy ms | after other: axisconv ms | after other: vs cv2 |",
         "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
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
        aa, ac = after_median(st, "axisconv"), after_median(st, "cv2")
        row.append(fmt_ms(aa) if aa else "-")
        row.append(fmt_ratio(ac, aa) if (aa and ac) else "-")
        L.append("| " + " | ".join(row) + " |")
    return L


def timing_rows(results) -> list[str]:
    L = ["| case | library | median ms | IQR % | GB/s | N x batch "
         "| after other: ms (after whom, N) | max \\|err\\| | notes |",
         "|---|---|---:|---:|---:|---:|---|---:|---|"]
    for res in results:
        for name in ALL_LIBS:
            if name not in res["status"] and name not in res["stats"]:
                continue
            s = res["stats"].get(name)
            note = res["notes"].get(name, "")
            if s is None:
                L.append(f"| {res['label']} | {name} | - | - | - | - | - | - "
                         f"| **{esc(res['status'][name])}** |")
                continue
            iqr = (s["p75"] - s["p25"]) / s["median"] * 100
            err = res["errs"].get(name)
            errs = "-" if err is None or name == "copy" else f"{err:.1e}"
            a = s.get("after")
            after = f"{fmt_ms(a['median'])} ({a['after']}, {a['n']})" if a else "-"
            L.append(f"| {res['label']} | {name} | {fmt_ms(s['median'])} | {iqr:.0f} | "
                     f"{res['bytes'] / s['median'] / 1e9:.2f} | "
                     f"{s['n']} x {s['batch']}{'+1' if s['leadin'] else ''} | {after} | {errs} "
                     f"| {note} |")
    return L


def write_report(args, results, header, failures, path):
    L = ["# axisconv benchmark: 1-D correlation along rows / columns (`bench_lines.py`)", ""]
    if args.quick:
        L += [QUICK_NOTE, ""]
    L += header_markdown(header)
    L += ["", "The machine is shared and noisy: compare the ratios (measured interleaved in the "
          "same", "process) rather than absolute times.", ""]
    L += ["## Summary (one row per case)", "",
          "`vs X` = time of X / time of axisconv (> 1: axisconv is faster). "
          "`axisconv/copy` = time of axisconv / time of the 2-thread copy (1.00 = as fast as "
          "copying). `after other` = one call right after another library wrote the same `out` "
          "(no lead-in); its `vs cv2` compares cv2 after axisconv with axisconv after cv2.", ""]
    L += summary_rows(results) + [""]
    L += ["## All timings", "",
          "Median over N interleaved rounds; IQR = (p75 - p25) / median; batch = timed calls per "
          "sample (time per call = burst time / batch), `+1` = one untimed lead-in call before "
          "each burst; after other = the median of N single calls each made right after the "
          "library named wrote the same `out`; max |err| = vs scipy (checked before timing).", ""]
    L += timing_rows(results) + [""]
    L += ["## How each library was run", "",
          "- axisconv: `axisconv.correlate1d(x, w, axis, mode='reflect', out=out, threads=2)`.",
          "- scipy: `scipy.ndimage.correlate1d(x, w, axis, output=out, mode='reflect')` "
          "(single-threaded).",
          f"- {CV2_NOTE}", f"- {TORCH_NOTE}", f"- {COPY_NOTE}", f"- {GBS_NOTE}", f"- {AFTER_NOTE}",
          "- Data: uniform [0, 1) random, C-contiguous; kernel: normalised sampled Gaussian of "
          "length K (sigma = K/6), cast to the array's dtype and shared by every library; mode "
          "'reflect' (scipy / cv2 BORDER_REFLECT: d c b a | a b c d).",
          "- Method: per case, each library is called once and checked against scipy (a library "
          "that fails is not timed), warmed up, then all are timed interleaved round-robin (order "
          "rotated each round) in one process; each steady-state sample is an untimed lead-in "
          "call (calls < 0.1 s) and a timed burst (~20 ms of calls, at least one), so every "
          "library is measured in its steady state (pool awake, data in cache) whatever ran "
          "before it; outputs preallocated where the API allows (axisconv `out=`, scipy "
          "`output=`, cv2 `dst=`).", ""]
    if failures:
        L += ["## Problems", ""] + [f"- {f}" for f in failures] + [""]
    text = "\n".join(L)
    if path:
        write_text(path, text)
    return text


STYLES = {
    "axisconv": dict(color="C3", marker="o", lw=2.2),
    "scipy": dict(color="C0", marker="s"),
    "cv2": dict(color="C2", marker="^"),
    "torch": dict(color="C1", marker="v"),
    "copy": dict(color="0.4", ls="--", marker=""),
}


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
    for ax, axis in zip(axes, (-1, -2)):
        rs = sorted([r for r in sel if r["axis"] == axis], key=lambda r: r["K"])
        Ks = [r["K"] for r in rs]
        for name in ALL_LIBS:
            pts = [(r["K"], r["bytes"] / r["stats"][name]["median"] / 1e9) for r in rs
                   if name in r["stats"]]
            if pts:
                label = name if name != "copy" else "copy (2 threads)"
                ax.plot([p[0] for p in pts], [p[1] for p in pts], label=label, **STYLES[name])
        ax.set_xscale("log", base=2)
        ax.set_xticks(Ks)
        ax.set_xticklabels([str(k) for k in Ks])
        ax.set_xlabel("kernel length K")
        ax.set_title(f"float32 2048x2048, "
                     f"{'rows (axis=-1)' if axis == -1 else 'columns (axis=-2)'}")
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
