"""Pieces shared by the benchmark scripts (bench_lines.py, bench_2d.py).

Only what was not importable cleanly from bench_lines.py lives here (the header, the copy
yardstick, the check-before-timing loop, which were inlined in bench_lines.py's main /
build_impls); every other helper (Libs, Impl, time_case, gaussian_kernel, machine_info,
loadavg, fmt_ms, ...) is imported from bench_lines.py itself.
"""

from __future__ import annotations

import argparse
import os
import shlex
import sys
import time
import traceback

import numpy as np

def common_parser(doc: str, out: str, plot: str, libs: str, libs_help: str, example: str):
    """The command line both scripts share: --quick, --out, --plot, --libs, --filter,
    --target-s, --gap-ms, --seed.  `plot` names the PNG written next to --out by default."""
    ap = argparse.ArgumentParser(description=doc.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="few repeats (checks the script; numbers are rough)")
    ap.add_argument("--out", default=out, help=f"markdown output (default: benchmarks/{os.path.basename(out)})")
    ap.add_argument("--plot", default=None, help=f"PNG plot (default: {plot} in the directory of --out)")
    ap.add_argument("--libs", default=libs, help=f"comma-separated subset of {libs_help}")
    ap.add_argument("--filter", default="", help=f"only cases whose label contains this substring, e.g. {example}")
    ap.add_argument("--target-s", type=float, default=None, help="seconds per case (default 1.0, quick 0.15)")
    ap.add_argument("--gap-ms", type=float, default=0.0, help="sleep before each sample (default 0: idle gaps slow the next call)")
    ap.add_argument("--seed", type=int, default=12345)
    return ap


def parse_common(ap, argv, plot: str):
    """Parsed arguments, with the plot's default path filled in, and the timing settings
    (target_s, nmin, nmax, nmin_heavy, min_sample_s, gap_s) that --quick and the options imply."""
    args = ap.parse_args(argv)
    if args.plot is None:
        args.plot = os.path.join(os.path.dirname(os.path.abspath(args.out)), plot)
    target_s = args.target_s if args.target_s is not None else (0.15 if args.quick else 1.0)
    nmin, nmax, nmin_heavy = (3, 15, 1) if args.quick else (5, 301, 3)
    min_sample_s = 0.005 if args.quick else 0.02
    return args, (target_s, nmin, nmax, nmin_heavy, min_sample_s, args.gap_ms * 1e-3)


ENV_VARS = ("OMP_NUM_THREADS", "OMP_WAIT_POLICY", "GOMP_SPINCOUNT", "KMP_BLOCKTIME", "MKL_NUM_THREADS")


def make_copy_fn(x: np.ndarray, executor):
    """The "just read and write it" yardstick: np.copyto of x into a preallocated output, split in
    two halves (along axis 0) on the 2-worker executor. Returns a function returning the output."""
    out_p = np.empty_like(x)
    h = x.shape[0] // 2

    def f_copy():
        f1 = executor.submit(np.copyto, out_p[:h], x[:h])
        f2 = executor.submit(np.copyto, out_p[h:], x[h:])
        f1.result()
        f2.result()
        return out_p

    return f_copy


def command_line(argv) -> str:
    """The command as it was typed (argv None: sys.argv; else the argv given to main())."""
    return "python " + shlex.join(sys.argv if argv is None else [sys.argv[0]] + list(argv))


def build_header(mi: dict, started, argv, versions: list[str], simd: str) -> list[tuple[str, str]]:
    """The report header: (key, value) pairs. mi = machine_info(); started = an aware datetime."""
    return [
        ("date", started.strftime("%Y-%m-%d %H:%M:%S %Z")),
        ("machine", f"{mi['model']}; {mi['cores']}; nproc {mi['nproc']}; {mi.get('mem', '?')} RAM"),
        ("caches", mi["caches"]),
        ("CPU SIMD flags", mi["cpu_simd"]),
        ("OS", mi["kernel"]),
        ("command", command_line(argv)),
        ("cwd", os.getcwd()),
        ("env", " ".join(f"{k}={os.environ[k]}" for k in ENV_VARS if k in os.environ)
         or "(no OMP_*/GOMP_*/KMP_*/MKL_* variables set)"),
        ("versions", "; ".join(versions)),
        ("SIMD path", simd),
    ]


def finish_header(header: list, t_start: float, load0: str, load1: str) -> None:
    """Adds the duration, the load averages before/after and, if the machine was busy, a warning."""
    header.insert(1, ("duration", f"{time.perf_counter() - t_start:.0f} s; load average before {load0}, after {load1}"))
    # Only the load before the run tells of other work: the benchmark's own 2-thread calls
    # raise the load average to 1-2 by themselves.
    busy = float(load0.split()[0]) if load0 != "?" else 0.0
    if busy > 0.7:
        header.insert(2, ("WARNING", f"1-minute load average was {busy:.2f} on {os.cpu_count()} CPUs before the "
                          "run: something else was running, the numbers are not trustworthy (rerun on a quiet machine)"))


def header_markdown(header: list) -> list[str]:
    """The header as markdown list lines (multi-line values as indented code blocks)."""
    L = []
    for k, v in header:
        if "\n" in v:
            L.append(f"- **{k}**:")
            L.append("")
            L.append("  ```")
            L.extend("  " + line for line in v.splitlines())
            L.append("  ```")
        else:
            L.append(f"- **{k}**: {v}")
    return L


def check_impls(impls: list, checker, label: str, res: dict, failures: list):
    """Calls every implementation once and checks its result with checker(impl, result) ->
    (ok, max_err, message), before anything is timed. Records notes, errors and failures in res /
    failures. Returns (the impls that passed, {name: duration of that first call in s})."""
    good, first_call = [], {}
    for im in impls:
        res["notes"][im.name] = im.note
        try:
            t0 = time.perf_counter()
            out = im.fn()
            first_call[im.name] = time.perf_counter() - t0
            ok, err, msg = checker(im, out)
        except Exception as e:
            ok, err, msg = False, None, f"raised {type(e).__name__}: {e}"
            if os.environ.get("BENCH_DEBUG"):
                traceback.print_exc()
        res["errs"][im.name] = err
        if ok:
            good.append(im)
        else:
            res["status"][im.name] = f"CHECK FAILED, not timed: {msg}"
            failures.append(f"{label}: {im.name}: {msg}")
            print(f"  !! {label}: {im.name}: {msg}", flush=True)
    return good, first_call
