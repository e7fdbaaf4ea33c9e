"""correlate1d and convolve1d (docs/contract.md §2), slowly: pad every line by index maps, then
one plain sum over the taps, in float64 / complex128.

Output sample i of correlate1d reads the padded line at i + t - (K // 2 + origin) under tap t,
and the kernel is conjugated; convolve1d is correlate1d with the kernel reversed, not
conjugated, and the origin mirrored (an even kernel's centre moves by one).
"""
import numpy as np

from .modes import pad_axis


def wide(a):
    """a as float64, or complex128 when it is complex."""
    a = np.asarray(a)
    return a.astype(np.complex128 if a.dtype.kind == "c" else np.float64)


def correlate1d(x, kernel, axis=-1, mode="reflect", cval=0.0, origin=0):
    x, kernel = wide(x), wide(kernel)
    K = len(kernel)
    centre = K // 2 + origin
    padded = pad_axis(x, centre, K - 1 - centre, axis, mode, cval)
    n = x.shape[axis]
    out = np.zeros(x.shape, np.result_type(x, kernel))
    for t in range(K):
        window = np.take(padded, np.arange(t, t + n), axis=axis)
        out = out + np.conj(kernel[t]) * window
    return out


def convolve1d(x, kernel, axis=-1, mode="reflect", cval=0.0, origin=0):
    kernel = wide(kernel)
    K = len(kernel)
    return correlate1d(x, np.conj(kernel[::-1]), axis, mode, cval, -origin - (1 - K % 2))
