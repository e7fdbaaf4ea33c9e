"""The main job: filter a 2048x2048 float32 image row-wise and column-wise with a few
kernels, check each result against scipy.ndimage (when installed), and print the timings."""
import time

import numpy as np

import axisconv

try:
    import scipy.ndimage as ndimage
except ImportError:  # scipy is a test extra, not a dependency
    ndimage = None

SIZE = 2048
REPEATS = 9


def kernels():
    gauss = np.exp(-0.5 * (np.arange(-3, 4) / 1.5) ** 2)
    return {
        "smooth (gaussian, K=7)": gauss / gauss.sum(),
        "derivative (K=3)": np.array([-0.5, 0.0, 0.5]),
        "long (box, K=31)": np.full(31, 1 / 31),
    }


def median_time(fn):
    fn()
    times = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return float(np.median(times))


def main():
    image = np.random.default_rng(0).standard_normal((SIZE, SIZE)).astype(np.float32)
    out = np.empty_like(image)
    print(f"axisconv.correlate1d on a {SIZE}x{SIZE} float32 image, mode='reflect'\n")
    print(f"{'kernel':<24} {'direction':<9} {'axisconv':>10} {'scipy':>10} {'speed-up':>9}  check")
    failures = 0
    for name, kernel in kernels().items():
        for direction, axis in (("rows", -1), ("columns", -2)):
            ours = median_time(lambda: axisconv.correlate1d(image, kernel, axis, out=out))
            line = f"{name:<24} {direction:<9} {ours * 1e3:8.2f}ms"
            if ndimage is None:
                print(line + f" {'-':>10} {'-':>9}  (scipy not installed)")
                continue
            expected = ndimage.correlate1d(image.astype(np.float64), kernel, axis)
            error = np.abs(out - expected).max() / np.abs(expected).max()
            ok = error < 1e-5
            failures += not ok
            theirs = median_time(lambda: ndimage.correlate1d(image, kernel, axis))
            print(line + f" {theirs * 1e3:8.2f}ms {theirs / ours:8.1f}x  "
                  f"{'ok' if ok else 'MISMATCH'} (rel. error {error:.1e})")
    print()
    axisconv.show_config()
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
