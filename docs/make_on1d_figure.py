"""Draws docs/on1d.png: what each of axisconv.on1d's four ways of applying a 2-D kernel to a
1-D signal does to a test signal.  Left, the 2-D input each one stands for (built here only
to draw it; on1d never builds it); right, the result.

    python docs/make_on1d_figure.py [output.png]
"""
import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from axisconv import on1d  # noqa: E402

N, ROWS, LAG = 160, 10, 6


def test_signal():
    """A step, a bump and a short burst of oscillation."""
    t = np.arange(N)
    return ((t > 20) * 1.0 - (t > 55) * 1.0
            + 1.5 * np.exp(-0.5 * ((t - 85) / 4.0) ** 2)
            + np.sin(t * 0.9) * np.exp(-0.5 * ((t - 130) / 8.0) ** 2))


def kernel():
    """Five rows: a box average, a Gaussian, a first and a second derivative, a sharpener."""
    g = np.exp(-0.5 * (np.arange(-3, 4) / 1.2) ** 2)
    g /= g.sum()
    return np.array([np.full(7, 1 / 7), g, np.convolve(g, [1, 0, -1], "same"),
                     np.convolve(g, [1, -2, 1], "same") * 2, [0, 0, -0.5, 2, -0.5, 0, 0]])


def show(ax, img, title, extent=None):
    lim = np.abs(img).max() or 1.0
    ax.imshow(img, aspect="auto", cmap="RdBu_r", vmin=-lim, vmax=lim, interpolation="nearest",
              extent=extent)
    ax.set_title(title, fontsize=9, loc="left")
    ax.tick_params(labelsize=7)


def main(path):
    x, k = test_signal(), kernel()
    fig, axes = plt.subplots(5, 2, figsize=(10, 10.5), gridspec_kw=dict(width_ratios=[1, 1.25]))
    (a0, b0), (a1, b1), (a2, b2), (a3, b3), (a4, b4) = axes

    a0.plot(x, color="k", lw=1)
    a0.set_title(f"the signal x (N = {N})", fontsize=9, loc="left")
    a0.set_xlim(0, N - 1)
    a0.tick_params(labelsize=7)
    show(b0, k, "the kernel (5 x 7): box, Gaussian, d/dt, d2/dt2, sharpen")

    show(a1, x[None, :], "single_row: x as a 1 x N image")
    a1.set_yticks([])
    show(b1, on1d.single_row(x, k, "full", "fill"),
         "single_row(x, k, 'full', 'fill'): row i meets kernel row i only")

    show(a2, np.tile(x, (ROWS, 1)), f"replicated: np.tile(x, ({ROWS}, 1))")
    show(b2, on1d.replicated(x, k, ROWS, "full", "fill"),
         "replicated(x, k, 10, 'full', 'fill'): inner rows alike (column sums)")

    show(a3, on1d.lag_matrix(x, ROWS, LAG), f"lagged: lag_matrix(x, {ROWS}, lag={LAG})")
    show(b3, on1d.lagged(x, k, ROWS, LAG, "full", "fill"),
         f"lagged(x, k, 10, lag={LAG}, 'full', 'fill'): shifted correlations, summed")

    stack = on1d.filter_bank(x, k, "same", "symm")
    show(a4, stack, "filter_bank(x, k, 'same', 'symm'): a row per kernel row")
    for combine, color in (("sum", "C0"), ("mean", "C1"), ("max", "C3")):
        b4.plot(on1d.filter_bank(x, k, "same", "symm", combine=combine), color=color, lw=1,
                label=combine)
    b4.set_xlim(0, N - 1)
    b4.legend(fontsize=7, loc="upper right")
    b4.set_title("filter_bank: combine='sum', 'mean', 'max'", fontsize=9, loc="left")
    b4.tick_params(labelsize=7)

    fig.suptitle("axisconv.on1d: a 2-D kernel over a 1-D signal, four ways (red > 0 > blue)",
                 fontsize=11)
    fig.tight_layout()
    fig.savefig(path, dpi=72)
    print("wrote", path)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "on1d.png"))
