"""axisconv.conv1d against torch.nn.functional.conv1d and tf.nn.conv1d (tf.nn.depthwise_conv2d
for the depthwise layers), at the shapes of the conv1d issue, float32.

Every layer runs in each library's native layout (NWC for axisconv and TensorFlow, NCW for
PyTorch) with the same thread count, allocating its own output.  Runs are interleaved:
`--repeats` rounds, in each of which every library in turn makes `--inner` calls back to
back, after a pause that lets the previous library's threads sleep and an untimed warm-up
of at least `--warm-ms`, and the median call is reported, so a busy machine slows every
column alike.  The warm-up is measured in time, not calls: after the pause this VM's cores
need a few milliseconds of work to reach full speed (a 0.25 ms layer took 0.7, 0.4, 0.3 ms
on its first calls), which a fixed number of calls would charge to the fastest library.
With --inner 1 each call follows the other libraries' calls, so its caches hold their
data, not its own (the cold case).  Each result is checked against the
others before timing.  Writes a Markdown table with the command line to --output (default
benchmarks/RESULTS_conv1d.md).

    python benchmarks/bench_conv1d.py --threads 2 --repeats 15 --inner 6
"""
import argparse
import os
import sys
import time

import numpy as np


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--repeats", type=int, default=15)
    p.add_argument("--inner", type=int, default=6,
                   help="calls per library per round (1: strictly interleaved, cold caches)")
    p.add_argument("--warm-ms", type=float, default=10.0,
                   help="before each library's timed calls, call it for at least this long "
                        "(with --inner > 1): after the pause an idle core needs a few ms of "
                        "work to reach full speed, which would tax the fastest calls most")
    p.add_argument("--only", default="", help="comma-separated case names to run")
    p.add_argument("--no-tf", action="store_true", help="skip TensorFlow")
    p.add_argument("--no-torch", action="store_true", help="skip PyTorch")
    p.add_argument("--output", default=os.path.join(os.path.dirname(__file__), "RESULTS_conv1d.md"))
    p.add_argument("--append", action="store_true",
                   help="add this run as a new section of --output instead of replacing it")
    return p.parse_args()


ARGS = parse_args()
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("OMP_NUM_THREADS", str(ARGS.threads))

import axisconv  # noqa: E402
from _benchutil import cpu_model  # noqa: E402

torch = tf = None
if not ARGS.no_torch:
    try:
        import torch
        torch.set_num_threads(ARGS.threads)
    except ImportError:
        pass
if not ARGS.no_tf:
    try:
        import tensorflow as tf
        tf.config.threading.set_intra_op_parallelism_threads(ARGS.threads)
        tf.config.threading.set_inter_op_parallelism_threads(1)
    except ImportError:
        pass


# name, (N, L, C_in, C_out, K, groups), the target ("dense": >= 0.9x the faster framework,
# "depthwise": >= 3x faster, "single": >= 5x faster than tf.nn.conv1d)
CASES = [
    ("dense N=16 L=4096 64->64 K=7", (16, 4096, 64, 64, 7, 1), "dense"),
    ("dense N=256 L=256 32->32 K=3", (256, 256, 32, 32, 3, 1), "dense"),
    ("depthwise N=16 L=4096 C=64 K=7", (16, 4096, 64, 64, 7, 64), "depthwise"),
    ("depthwise N=256 L=256 C=32 K=3", (256, 256, 32, 32, 3, 32), "depthwise"),
    ("single channel rows 2048x2048 K=15", (2048, 2048, 1, 1, 15, 1), "single"),
]
TARGETS = {"dense": 0.9, "depthwise": 3.0, "single": 5.0}
# Seconds between two libraries' blocks: each library's thread pool spins for a while after
# a call (torch's OpenMP threads, axisconv's own pool, TensorFlow's Eigen pool),
# and on 2 cores those spinning threads would slow whichever library runs next.
PAUSE = 0.05


def make_calls(N, L, C_in, C_out, K, groups):
    """{library: zero-argument call} for one layer, SAME padding, stride 1, no bias."""
    rng = np.random.default_rng(0)
    x = rng.standard_normal((N, L, C_in), dtype=np.float32)            # NWC
    f = rng.standard_normal((K, C_in // groups, C_out), dtype=np.float32)
    out = {}
    if C_in == C_out == 1:
        # The single-channel row-wise layer over a (1, H, W, 1) map, as the issue states it.
        xm = x.reshape(1, N, L, 1)
        out["axisconv"] = lambda: axisconv.conv1d(xm, f, axis=2, threads=ARGS.threads)
    else:
        out["axisconv"] = lambda: axisconv.conv1d(x, f, groups=groups, threads=ARGS.threads)
    if torch is not None:
        xt = torch.from_numpy(np.ascontiguousarray(x.transpose(0, 2, 1)))  # NCW
        wt = torch.from_numpy(np.ascontiguousarray(f.transpose(2, 1, 0)))  # (C_out, C_in/g, K)
        F = torch.nn.functional

        def run_torch():
            with torch.no_grad():
                return F.conv1d(xt, wt, padding="same", groups=groups)
        out["torch"] = run_torch
    if tf is not None:
        xf = tf.constant(x)
        if groups == 1:
            ff = tf.constant(f)
            out["tf"] = lambda: tf.nn.conv1d(xf, ff, 1, "SAME")
        elif groups == C_in == C_out:
            x4 = tf.constant(x[:, None])                                 # (N, 1, L, C)
            f4 = tf.constant(f.transpose(0, 2, 1)[None])                 # (1, K, C, 1)
            out["tf"] = lambda: tf.nn.depthwise_conv2d(x4, f4, [1, 1, 1, 1], "SAME")
    return out


def to_nwc(name, y, shape):
    y = y.numpy() if hasattr(y, "numpy") else np.asarray(y)
    if name == "torch":
        y = y.transpose(0, 2, 1)
    return y.reshape(shape)


def check(calls):
    ref = calls["axisconv"]()
    shape = ref.shape
    scale = float(np.abs(ref).max())
    for name, fn in calls.items():
        if name == "axisconv":
            continue
        err = float(np.abs(to_nwc(name, fn(), shape) - ref).max()) / scale
        if err > 1e-4:
            raise SystemExit(f"{name} disagrees with axisconv: relative error {err:.1e}")


def time_interleaved(calls, repeats, inner):
    times = {name: [] for name in calls}
    for fn in calls.values():
        fn()
    for _ in range(repeats):
        for name, fn in calls.items():
            time.sleep(PAUSE)  # let the previous library's spinning threads go to sleep
            if inner > 1:  # warm this library's caches, threads and core after the others ran
                start = time.perf_counter()
                fn()
                while time.perf_counter() - start < ARGS.warm_ms * 1e-3:
                    fn()
            for _ in range(max(inner - 1, 1)):
                start = time.perf_counter()
                fn()
                times[name].append(time.perf_counter() - start)
    return ({name: float(np.median(t)) for name, t in times.items()},
            {name: float(np.min(t)) for name, t in times.items()})


LOAD = os.getloadavg()


def main():
    only = [s for s in ARGS.only.split(",") if s]
    rows = []
    for name, shape, kind in CASES:
        if only and not any(o in name for o in only):
            continue
        calls = make_calls(*shape)
        check(calls)
        t, best = time_interleaved(calls, ARGS.repeats, ARGS.inner)
        N, L, C_in, C_out, K, groups = shape
        flops = 2.0 * N * L * K * (C_in // groups) * C_out
        peers = [k for k in t if k != "axisconv" and (kind != "single" or k == "tf")]
        speedup = min(t[k] for k in peers) / t["axisconv"] if peers else float("nan")
        best_speedup = min(best[k] for k in peers) / best["axisconv"] if peers else float("nan")
        target = TARGETS[kind]
        ok = ("yes" if speedup >= target else "no") if peers else "-"
        rows.append((name, t, flops / t["axisconv"] / 1e9, speedup, best_speedup, target, ok))
        print(f"{name:<38} axisconv {fmt(t['axisconv'])}  torch {fmt(t.get('torch'))}  "
              f"tf {fmt(t.get('tf'))}  x{speedup:.2f} (best-of x{best_speedup:.2f}; "
              f"target {target}x: {ok})", flush=True)
    write(rows)


def fmt(v):
    return f"{v * 1e3:7.2f} ms" if v is not None else "      -   "


def write(rows):
    cmd = "python " + " ".join([os.path.relpath(sys.argv[0])] + sys.argv[1:])
    caches = (f"warm: each block after {ARGS.warm_ms:g} ms of untimed calls" if ARGS.inner > 1
              else "cold: every call follows the other libraries")
    lines = [
        f"## {ARGS.threads} threads, {caches}",
        "",
        f"Command: `{cmd}`",
        "",
        f"float32, {ARGS.threads} threads, median call of {ARGS.repeats} interleaved rounds of "
        f"{ARGS.inner} calls per library; "
        f"axisconv {axisconv.__version__} (SIMD {axisconv._simd_path()}), "
        f"torch {torch.__version__ if torch else 'not installed'}, "
        f"tensorflow {tf.__version__ if tf else 'not installed'}, "
        f"{cpu_model()}, {os.cpu_count()} CPUs, load average "
        f"{', '.join(f'{v:.2f}' for v in LOAD)} (1, 5, 15 min) before the run.",
        "Speed-up: the faster framework's median time over axisconv's (for the single-channel "
        "layer: tf.nn.conv1d's); best-of: the same with each library's fastest call, which "
        "a busy machine disturbs least.  Depthwise in TensorFlow is tf.nn.depthwise_conv2d.",
        "",
        "| layer | axisconv | torch | tf | axisconv GFLOP/s | speed-up | target | met | "
        "best-of speed-up |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | :---: | ---: |",
    ]
    for name, t, gf, sp, bsp, target, ok in rows:
        ms = lambda v: f"{v * 1e3:.2f} ms" if v is not None else "-"  # noqa: E731
        lines.append(f"| {name} | {ms(t['axisconv'])} | {ms(t.get('torch'))} | "
                     f"{ms(t.get('tf'))} | {gf:.0f} | {sp:.2f}x | {target}x | {ok} | "
                     f"{bsp:.2f}x |")
    if ARGS.append and os.path.exists(ARGS.output):
        with open(ARGS.output, "a") as fh:
            fh.write("\n" + "\n".join(lines) + "\n")
    else:
        with open(ARGS.output, "w") as fh:
            fh.write("# conv1d benchmark\n\n" + "\n".join(lines) + "\n")
    print(f"\nwritten to {ARGS.output}")


if __name__ == "__main__":
    main()
