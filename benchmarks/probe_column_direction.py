"""The column kernels' two directions forced call by call (TUNING.md, sessions 23 and 24):
correlate1d along axis 0 with `out` D bytes further into its page than the input, left to
right, right to left and as the library chooses, 7 rounds of 9 calls each (the input
rewritten by NumPy before every call), medians in µs.  A tuning probe, not a comparison with
peers: it says where `ax_right_to_left` (csrc/cache.c) should turn.

    python benchmarks/probe_column_direction.py --shape 1024x1024 --ks 3,5,7,9 --ds 16,64
"""
import argparse
import time

import numpy as np

import axisconv
from _benchutil import cpu_model
from axisconv import _core

DIRECTIONS = {0: "left to right", 1: "right to left", -1: "chosen"}


def carved(like, page_offset):
    """An array like `like` starting `page_offset` bytes into a page."""
    buf = np.empty(like.nbytes + 8192, np.uint8)
    start = (page_offset - buf.ctypes.data) % 4096
    return buf[start:start + like.nbytes].view(like.dtype).reshape(like.shape)


def median_us(x, src, k, out, direction, rounds=7, calls=9):
    per_round = []
    for _ in range(rounds):
        _core.set_column_direction(direction)
        times = []
        for _ in range(calls):
            np.multiply(src, 1.0, out=x)
            t0 = time.perf_counter_ns()
            axisconv.correlate1d(x, k, axis=0, out=out)
            times.append(time.perf_counter_ns() - t0)
        per_round.append(np.median(times) / 1e3)
    _core.set_column_direction(-1)
    return float(np.median(per_round))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shape", default="1024x1024")
    ap.add_argument("--dtype", default="float32")
    ap.add_argument("--ks", default="3,5,7,9")
    ap.add_argument("--ds", default="16,64")
    ap.add_argument("--simd", default=None)
    args = ap.parse_args()
    axisconv.set_num_threads(2)
    if args.simd:
        axisconv._set_simd(args.simd)
    shape = tuple(int(v) for v in args.shape.split("x"))
    src = np.random.default_rng(0).random(shape).astype(args.dtype)
    print(f"CPU: {cpu_model()}; SIMD path {axisconv._simd_path()}; {args.dtype} {args.shape}, "
          f"in + out {2 * src.nbytes / 2**20:.1f} MiB; 2 threads; µs, medians")
    for d in (int(v) for v in args.ds.split(",")):
        x, out = carved(src, 16), carved(src, 16 + d)
        for K in (int(v) for v in args.ks.split(",")):
            k = np.exp(-0.5 * ((np.arange(K) - K // 2) / (K / 6)) ** 2).astype(args.dtype)
            t = {name: median_us(x, src, k / k.sum(), out, direction)
                 for direction, name in DIRECTIONS.items()}
            print(f"out {d:3d} B ahead, K = {K:2d}: " + ", ".join(
                f"{name} {v:.0f}" for name, v in t.items())
                + f"; right to left / left to right {t['right to left'] / t['left to right']:.2f}",
                flush=True)


if __name__ == "__main__":
    main()
