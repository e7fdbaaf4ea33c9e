"""Shared by the benchmark scripts: the machine and its CPU model, the report header, the
command line of bench_lines.py and bench_2d.py, number formatting, the test kernel and the copy
yardstick.  The library imports live in _benchlibs.py, the timing and checking in _benchtime.py.

cpu_model() is the one place that says which CPU a result comes from: every script writes it.
"""

from __future__ import annotations

import argparse
import functools
import os
import platform
import shlex
import subprocess
import sys
import time

import numpy as np

ENV_VARS = ("OMP_NUM_THREADS", "OMP_WAIT_POLICY", "GOMP_SPINCOUNT", "KMP_BLOCKTIME",
            "MKL_NUM_THREADS")
QUICK_NOTE = ("**QUICK RUN** (`--quick`): few repeats, for checking the script only; not for "
              "publication.")


# ----------------------------------------------------------------------------- the machine


def run_text(cmd: list[str], timeout: float = 30) -> str:
    try:
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
        return (r.stdout + (r.stderr if r.returncode else "")).strip()
    except Exception as e:  # pragma: no cover - best effort
        return f"(could not run {cmd[0]}: {e})"


@functools.lru_cache(maxsize=None)
def lscpu_fields() -> dict:
    """lscpu's "key: value" lines as a dict (empty where lscpu is missing)."""
    fields = {}
    for line in run_text(["lscpu"]).splitlines():
        if ":" in line:
            k, v = line.split(":", 1)
            fields[k.strip()] = v.strip()
    return fields


def cpu_model() -> str:
    """lscpu's "Model name", with vendor, family, model and stepping, which tell the
    microarchitecture where a VM shows only a generic name (e.g. "AMD EPYC")."""
    f = lscpu_fields()
    name = f.get("Model name") or platform.processor() or platform.machine()
    ids = [f.get("Vendor ID", "")] + [f"{k.lower()} {f[k]}" for k in ("CPU family", "Model",
                                                                     "Stepping") if k in f]
    ids = " ".join(i for i in ids if i)
    return f"{name} ({ids})" if ids else name


def machine_info() -> dict:
    fields = lscpu_fields()
    parts = [f"{k} {fields[k]}" for k in ("CPU(s)", "Core(s) per socket", "Socket(s)",
                                          "Thread(s) per core") if k in fields]
    caches = [f"{k} {fields[k]}" for k in ("L1d cache", "L2 cache", "L3 cache") if k in fields]
    flags = fields.get("Flags", "").split()
    simd = [f for f in ("sse4_2", "avx", "avx2", "fma", "avx512f", "avx512bw", "avx512vl")
            if f in flags]
    info = {
        "model": cpu_model(),
        "cores": ", ".join(parts) if parts else str(os.cpu_count()),
        "caches": ", ".join(caches) if caches else "?",
        "cpu_simd": " ".join(simd) if simd else "?",
        "kernel": platform.platform(),
        "nproc": run_text(["nproc"]),
    }
    try:
        with open("/proc/meminfo") as f:
            for line in f:
                if line.startswith("MemTotal"):
                    info["mem"] = f"{int(line.split()[1]) / 2**20:.1f} GiB"
    except OSError:
        pass
    return info


def loadavg() -> str:
    try:
        return " ".join(f"{v:.2f}" for v in os.getloadavg())
    except OSError:
        return "?"


# ----------------------------------------------------------------------------- the header


def command_line(argv) -> str:
    """The command as it was typed (argv None: sys.argv; else the argv given to main())."""
    return "python " + shlex.join(sys.argv if argv is None else [sys.argv[0]] + list(argv))


def build_header(mi: dict, started, argv, versions: list[str], simd: str) -> list[tuple[str, str]]:
    """The report header: (key, value) pairs. mi = machine_info(); started = an aware datetime."""
    return [
        ("date", started.strftime("%Y-%m-%d %H:%M:%S %Z")),
        ("CPU", mi["model"]),
        ("machine", f"{mi['cores']}; nproc {mi['nproc']}; {mi.get('mem', '?')} RAM"),
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
    took = time.perf_counter() - t_start
    header.insert(1, ("duration", f"{took:.0f} s; load average before {load0}, after {load1}"))
    # Only the load before the run tells of other work: the benchmark's own 2-thread calls
    # raise the load average to 1-2 by themselves.
    busy = float(load0.split()[0]) if load0 != "?" else 0.0
    if busy > 0.7:
        header.insert(2, ("WARNING", f"1-minute load average was {busy:.2f} on "
                          f"{os.cpu_count()} CPUs before the run: something else was running, "
                          "the numbers are not trustworthy (rerun on a quiet machine)"))


def header_markdown(header: list) -> list[str]:
    """The header as markdown list lines (multi-line values as indented code blocks)."""
    L = []
    for k, v in header:
        if "\n" in v:
            L += [f"- **{k}**:", "", "  ```"] + ["  " + line for line in v.splitlines()] + ["  ```"]
        else:
            L.append(f"- **{k}**: {v}")
    return L


def write_text(path: str, text: str) -> None:
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


def report_done(text: str, path: str, failures: list, *notes: str) -> int:
    """Prints the report, where it was written, `notes` and the count of problems; returns the
    exit status (1 when a library failed its check or raised)."""
    print()
    print(text)
    print()
    print(f"results written to {path}")
    for note in notes:
        print(note)
    if failures:
        print(f"{len(failures)} problem(s): see the 'Problems' section", file=sys.stderr)
        return 1
    return 0


# ----------------------------------------------------------------------------- the command line


def common_parser(doc: str, out: str, plot: str, libs: str, libs_help: str, example: str):
    """The command line bench_lines.py and bench_2d.py share: --quick, --out, --plot, --libs,
    --filter, --target-s, --gap-ms, --seed.  `plot` names the PNG written next to --out."""
    ap = argparse.ArgumentParser(description=doc.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true",
                    help="few repeats (checks the script; numbers are rough)")
    ap.add_argument("--out", default=out,
                    help=f"markdown output (default: benchmarks/{os.path.basename(out)})")
    ap.add_argument("--plot", default=None,
                    help=f"PNG plot (default: {plot} in the directory of --out)")
    ap.add_argument("--libs", default=libs, help=f"comma-separated subset of {libs_help}")
    ap.add_argument("--filter", default="",
                    help=f"only cases whose label contains this substring, e.g. {example}")
    ap.add_argument("--target-s", type=float, default=None,
                    help="seconds per case and timing phase (default 1.0, quick 0.15)")
    ap.add_argument("--gap-ms", type=float, default=0.0,
                    help="sleep before each sample (default 0: idle gaps slow the next call)")
    ap.add_argument("--seed", type=int, default=12345)
    ap.add_argument("--stream-threshold", type=int, default=None, metavar="BYTES",
                    help="axisconv's streaming-store threshold for this run (an experiment; "
                    "default: the library's own)")
    return ap


def apply_stream_threshold(nbytes):
    """--stream-threshold: sets axisconv's threshold (the header's show_config records it)."""
    if nbytes is not None:
        from axisconv import _core
        _core.set_stream_threshold(nbytes)


def parse_common(ap, argv, plot: str):
    """Parsed arguments, with the plot's default path filled in, and the timing settings
    (target_s, nmin, nmax, nmin_heavy, min_sample_s, gap_s) that --quick and the options imply."""
    args = ap.parse_args(argv)
    apply_stream_threshold(args.stream_threshold)
    if args.plot is None:
        args.plot = os.path.join(os.path.dirname(os.path.abspath(args.out)), plot)
    target_s = args.target_s if args.target_s is not None else (0.15 if args.quick else 1.0)
    nmin, nmax, nmin_heavy = (3, 15, 1) if args.quick else (5, 301, 3)
    min_sample_s = 0.005 if args.quick else 0.02
    return args, (target_s, nmin, nmax, nmin_heavy, min_sample_s, args.gap_ms * 1e-3)


def wanted_libs(text: str) -> set[str]:
    """--libs as a set; scipy is always in: it is the reference."""
    return {s.strip() for s in text.split(",") if s.strip()} | {"scipy"}


# ----------------------------------------------------------------------------- formatting


def fmt_ms(t):
    """Milliseconds to a tenth of a microsecond under 0.1 ms, else to about 3 digits."""
    if t < 1e-4:
        return f"{t * 1e3:.4f}"
    return f"{t * 1e3:.3f}" if t < 0.01 else f"{t * 1e3:.2f}" if t < 1 else f"{t * 1e3:.1f}"


def fmt_ratio(a, b):
    return f"{a / b:.2f}x" if (a is not None and b is not None and b > 0) else "-"


def progress_line(label: str, stats: dict, width: int, seconds: float, extra: str = "") -> str:
    """What the scripts print after each case: steady-state and after-other medians in ms."""
    ms = ", ".join(f"{n} {fmt_ms(s['median'])}" for n, s in stats.items())
    after = ", ".join(f"{n} {fmt_ms(s['after']['median'])}" for n, s in stats.items()
                      if "after" in s)
    return (f"{label:<{width}} ms: {ms}{extra}"
            + (f"\n{'':<{width}} after other: {after}" if after else "") + f"  ({seconds:.1f} s)")


def esc(text):
    """Make text safe inside a markdown table cell."""
    return str(text).replace("|", "\\|").replace("\n", " ")


# ----------------------------------------------------------------------------- data


def gaussian_kernel(K: int, dtype) -> np.ndarray:
    """Normalised symmetric smoothing kernel of length K (a sampled Gaussian, sigma = K/6)."""
    sigma = max(K / 6.0, 0.5)
    t = np.arange(K, dtype=np.float64) - (K - 1) / 2.0
    w = np.exp(-0.5 * (t / sigma) ** 2)
    w /= w.sum()
    # Cast once so that every library gets the *same* weights (exactly representable in dtype).
    return w.astype(dtype)


COPY_NOTE = (
    "copy: np.copyto(out, x) split in two halves (along axis 0) on a ThreadPoolExecutor(2), into "
    "a preallocated output: the speed of just reading and writing the array with 2 threads."
)

def copy_into(x: np.ndarray, executor):
    """The "just read and write it" yardstick: f(dst) copies x into dst with np.copyto, in two
    halves (along axis 0) on the 2-worker executor, and returns dst."""
    h = x.shape[0] // 2

    def f_copy(dst):
        f1 = executor.submit(np.copyto, dst[:h], x[:h])
        f2 = executor.submit(np.copyto, dst[h:], x[h:])
        f1.result()
        f2.result()
        return dst

    return f_copy
