"""A slow, obviously right implementation of axisconv's integer arithmetic (src/axisconv/
_fixed.py states it), written independently of the library: quantisation with Fractions,
boundary extension from the rules of the mode table, sums as Python integers.

    q[t] = R(2^F P[t]) - R(2^F P[t-1]),  P[t] = k[0] + ... + k[t] exactly, R half to even
    y = clip(floor((S + 2^(F-1)) / 2^F)),  S = the exact integer sum of taps times samples

Only the choice of F comes from the library's plan (its rule is tested on its own).
"""
from fractions import Fraction

import numpy as np

RANGES = {np.dtype(np.uint8): (0, 255), np.dtype(np.uint16): (0, 65535),
          np.dtype(np.int16): (-32768, 32767)}


def quantise(kernel, F):
    """The taps of `kernel` (any shape, quantised in C order) with F fractional bits."""
    k = np.asarray(kernel, np.float64)
    q, before, prefix = [], 0, Fraction(0)
    for v in k.ravel():
        prefix += Fraction(float(v))
        r = round(prefix * 2 ** F)  # Python rounds a Fraction half to even
        q.append(r - before)
        before = r
    return np.array(q, dtype=object).reshape(k.shape)


def source_index(i, n, mode):
    """Where sample i of a line of n comes from (-1: the constant), by the mode table:
    reflect d c b a | a b c d | d c b a,  mirror c b | a b c d | c b,  nearest a a | ... | d d,
    wrap a b c d | a b c d | a b c d."""
    if 0 <= i < n:
        return i
    if mode == "constant":
        return -1
    if mode == "nearest":
        return 0 if i < 0 else n - 1
    if mode == "wrap":
        return i % n
    if mode == "reflect":
        r = i % (2 * n)
        return r if r < n else 2 * n - 1 - r
    if n == 1:  # mirror
        return 0
    r = i % (2 * n - 2)
    return r if r < n else 2 * n - 2 - r


def extend(x, axis, first, count, mode, cval):
    """x extended along `axis`: samples first .. first + count - 1 (object array of ints)."""
    x = np.moveaxis(np.asarray(x).astype(object), axis, 0)
    n = x.shape[0]
    rows = []
    for i in range(first, first + count):
        s = source_index(i, n, mode)
        rows.append(np.full(x.shape[1:], cval, dtype=object) if s < 0 else x[s])
    return np.moveaxis(np.stack(rows), 0, axis)


def sums1d(x, q, axis, offset, mode, cval, length=None):
    """S[i] = sum_t q[t] x_ext[i + t - offset] along `axis`, for i < length (default: n):
    in int64 where no sum can reach 2^62, else in Python integers."""
    n = np.shape(x)[axis]
    length = n if length is None else length
    K = len(q)
    ext = extend(x, axis, -offset, length + K - 1, mode, cval)
    top = max([abs(int(v)) for v in np.ravel(ext)] + [1]) * sum(abs(int(v)) for v in q)
    if top < 2 ** 62:
        ext = ext.astype(np.int64)
    ext = np.moveaxis(ext, axis, 0)
    S = sum(int(q[t]) * ext[t:t + length] for t in range(K))
    return np.moveaxis(np.asarray(S, dtype=object), 0, axis)


def finish(S, F, out_dtype):
    """floor((S + 2^(F-1)) / 2^F), saturated to out_dtype."""
    lo, hi = RANGES[np.dtype(out_dtype)]
    half = 1 << (F - 1) if F else 0
    y = np.vectorize(lambda s: min(max((int(s) + half) >> F, lo), hi), otypes=[object])(S)
    return y.astype(out_dtype)


def correlate1d(x, kernel, F, out_dtype, axis=-1, offset=None, mode="reflect", cval=0):
    """The integer correlate1d of a correlation kernel with F fractional bits."""
    q = quantise(kernel, F)
    offset = len(q) // 2 if offset is None else offset
    return finish(sums1d(x, q, axis, offset, mode, cval), F, out_dtype)


def correlate_separable(x, k1, k2, F1, F2, out_dtype, axes=(-1, -2), offsets=(None, None),
                        modes=("reflect", "reflect"), cval=0):
    """k1 along axes[0], then k2 along axes[1], ndimage's convention: the second pass pads
    the first's exact sums with cval (cval * 2^F1 in their units); one rounding."""
    q1, q2 = quantise(k1, F1), quantise(k2, F2)
    o1 = len(q1) // 2 if offsets[0] is None else offsets[0]
    o2 = len(q2) // 2 if offsets[1] is None else offsets[1]
    S1 = sums1d(x, q1, axes[0], o1, modes[0], cval)
    S = sums1d(S1, q2, axes[1], o2, modes[1], cval << F1)
    return finish(S, F1 + F2, out_dtype)


def correlate2d(x, kernel, F, out_dtype, offsets, shape, mode, fill):
    """Direct 2-D correlation over the last two axes, the kernel quantised as a whole (C
    order); output shape `shape`, output (i, j) reads x_ext[i + a - off_r, j + b - off_c]
    where x_ext is extended along both axes ('constant': fill where either is outside)."""
    q = quantise(kernel, F)
    kh, kw = q.shape
    ext = extend(x, -2, -offsets[0], shape[0] + kh - 1, mode, fill)
    ext = extend(ext, -1, -offsets[1], shape[1] + kw - 1, mode, fill)
    S = sum(int(q[a, b]) * ext[..., a:a + shape[0], b:b + shape[1]]
            for a in range(kh) for b in range(kw))
    return finish(S, F, out_dtype)


def box_bound(k, q, F, lo, hi):
    """max |sum (q/2^F - k) x| over x in [lo, hi], exactly (Fractions)."""
    d = [Fraction(int(a), 2 ** F) - Fraction(float(b)) for a, b in zip(np.ravel(q), np.ravel(k))]
    return _box(d, lo, hi)


def separable_bound(k1, k2, q1, q2, F1, F2, lo, hi):
    """box_bound of the 2-D kernel outer(k2, k1) (exact products) and its taps."""
    d = [Fraction(int(b) * int(a), 2 ** (F1 + F2)) - Fraction(float(kb)) * Fraction(float(ka))
         for b, kb in zip(q2, k2) for a, ka in zip(q1, k1)]
    return _box(d, lo, hi)


def _box(d, lo, hi):
    pos = sum(max(v * lo, v * hi) for v in d)
    neg = sum(min(v * lo, v * hi) for v in d)
    return max(pos, -neg)
