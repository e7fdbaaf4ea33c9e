"""Fixed-point plans for integer images: kernels quantised to integers, and the rounding.

The arithmetic (stated in the public docstrings through ``_docs.INTEGER``):

* A kernel k (float64) becomes integers q with F fractional bits by error diffusion:
  ``q[t] = R(2^F P[t]) - R(2^F P[t-1])`` with ``P[t] = k[0] + ... + k[t]`` summed exactly,
  ``P[-1] = 0`` and R rounding half to even.  So ``|q[t] - 2^F k[t]| <= 1`` and
  ``sum(q) = R(2^F sum(k))``: a kernel summing to 1 sums to 2^F exactly.
* ``S = sum_t q[t] x[i + t]`` exactly (integers; a separable filter sums the exact first-pass
  sums with its second kernel, ``F = F1 + F2``), then once ``y = floor((S + 2^(F-1)) / 2^F)``
  (round half up) saturated to the output type.
* F is the largest number of bits for which every tap fits 16 bits and every S (over all
  inputs of the input type) fits 32-bit sums; when that leaves the bound E below above 1/2,
  64-bit sums are used instead, with the largest F for which taps fit 32 bits and S 64 bits.
  A kernel that is exactly representable with fewer bits gives the same result with them
  and is computed with them (narrower sums, faster).
* Against the float64 result Y (the exact sum with the float64 taps), ``|y - clip(Y)| <=
  1/2 + E`` where E is the largest ``|sum (q/2^F - k) x|`` over inputs in the type's range
  (``bound``); E <= 1/2, so y is within 1 unit of Y, for every kernel the 64-bit sums can
  hold to that accuracy.

``S`` is computed modulo 2^32 (or 2^64) from a constant ``init`` chosen so that ``U = init +
S`` lies in ``[0, 2^bits)``; then ``y = clip((U >> F) + post)`` (csrc/axisconv.h,
ax_rounding).
"""
import functools
from typing import NamedTuple

import numpy as np

RANGE = {np.dtype(np.uint8): (0, 255), np.dtype(np.uint16): (0, 65535),
         np.dtype(np.int16): (-32768, 32767)}

# (tap limit, bits of the sums, largest F) of the two widths of arithmetic.
_NARROW, _WIDE = (2 ** 15 - 1, 32, 30), (2 ** 31 - 1, 64, 62)
_MARGIN = 1e-9  # E is computed in float64: decisions keep this much clear of 1/2


class Plan(NamedTuple):
    """What the C core needs: taps per pass, rounding (wide, shift, init, post, lo, hi), the
    second pass's constant in first-pass units (separable), and the bound E."""
    taps: tuple
    rounding: tuple
    constant: int
    bound: float
    shifts: tuple


def _dyadic(k):
    """Each tap as n / 2^d exactly: (list of n, list of d)."""
    ratios = [float(v).as_integer_ratio() for v in k]
    return [n for n, _ in ratios], [d.bit_length() - 1 for _, d in ratios]


def quantise(kernel, F):
    """The taps q with F fractional bits (error diffusion, exact prefix sums; module doc)."""
    k = np.asarray(kernel, np.float64).ravel()
    nums, dens = _dyadic(k)
    D = max(dens, default=0)
    q, previous, prefix = [], 0, 0
    for n, d in zip(nums, dens):
        prefix += n << (D - d)               # 2^D P[t], exactly
        r = _round_half_even(prefix, D - F)  # R(2^F P[t])
        q.append(r - previous)
        previous = r
    return np.array(q, np.int64).reshape(np.shape(kernel))


def _round_half_even(n, shift):
    """R(n / 2^shift) for integers n, shift."""
    if shift <= 0:
        return n << -shift
    f = n >> shift
    rem = n - (f << shift)
    half = 1 << (shift - 1)
    return f + (rem > half or (rem == half and f & 1))


def exact_bits(kernel):
    """The fewest fractional bits with which the kernel is exactly integers, or None."""
    k = np.asarray(kernel, np.float64).ravel()
    if not np.isfinite(k).all():
        return None
    return max(max(_dyadic(k)[1], default=0), 0)


def _range(q, lo, hi):
    """(min, max) of sum_t q[t] x[t] over x in [lo, hi] (exact Python integers; |q| < 2^32)."""
    pos, neg = int(q[q > 0].sum()), int(q[q < 0].sum())
    return pos * lo + neg * hi, pos * hi + neg * lo


def _rounding(smin, smax, F, bits):
    """(init, post) for sums in [smin, smax], or None if they do not fit `bits`."""
    h = 1 << (F - 1) if F else 0
    post = (smin + h) >> F
    if smax - smin + (1 << F) > 1 << bits or post < -(1 << (bits - 2)) \
            or (smax + h) >> F >= 1 << (bits - 2):
        return None
    r0 = smin + h - (post << F)
    init = (r0 - smin) % (1 << bits)
    return init - (1 << 64) if init >= 1 << 63 else init, post  # as an int64's bits


def round_sum(S, F):
    """floor((S + 2^(F-1)) / 2^F): the rounding of a sum S with F fractional bits."""
    return (S + (1 << (F - 1) if F else 0)) >> F


def bound(k, q, F, lo, hi):
    """E = max |sum (q/2^F - k) x| over x in [lo, hi] (k and q of the same shape)."""
    d = np.asarray(q, np.float64) / 2.0 ** F - np.asarray(k, np.float64)
    pos = np.maximum(d * lo, d * hi).sum()
    neg = np.minimum(d * lo, d * hi).sum()
    return float(max(pos, -neg))


def _start(k, limit):
    """The largest F at which the largest tap of k can still round to `limit` or less (the
    searches below check each F's taps): a bound below it, (limit - 1) / m, missed an F whose
    taps fit (0.99997 x 2^15 rounds to 32767)."""
    m = float(np.max(np.abs(k), initial=0.0))
    return 62 if m == 0 else int(np.floor(np.log2((limit + 0.5) / m)))


def _log2_above(v):
    """An integer above log2(v) (v > 0), to start the searches below."""
    return int(np.floor(np.log2(v))) + 1


def _plan_single(k, lo, hi, width):
    """(q, F, init, post, E) of a one-pass kernel at one width, or None."""
    limit, bits, fmax = width
    top = min(_start(k, limit), fmax)
    G = float(np.abs(k).sum())
    if G > 0:  # sum |q| >= 2^F G - K, and the sums span sum |q| (hi - lo) < 2^bits
        top = min(top, _log2_above((2.0 ** bits / (hi - lo) + k.size) / G))
    for F in range(top, -1, -1):
        q = quantise(k, F)
        if np.abs(q).max() > limit:
            continue
        rounding = _rounding(*_range(q, lo, hi), F, bits)
        if rounding is not None:
            return q, F, rounding, bound(k, q, F, lo, hi)
    return None


@functools.lru_cache(maxsize=256)
def _single(kbytes, shape, in_dtype):
    k = np.frombuffer(kbytes, np.float64).reshape(shape)
    lo, hi = RANGE[in_dtype]
    narrow = _plan_single(k, lo, hi, _NARROW)
    exact = exact_bits(k)
    if narrow is not None and exact is not None and exact <= narrow[1]:
        narrow = _plan_single(k, lo, hi, (_NARROW[0], _NARROW[1], exact))  # same result
    wide = narrow is None or narrow[3] > 0.5 - _MARGIN
    p = _plan_single(k, lo, hi, _WIDE) if wide else narrow
    if p is None:
        raise ValueError("kernel is too large for an integer result: taps of 2^31 or more")
    q, F, (init, post), E = p
    return (q,), (int(wide), F, init, post), 0, E, (F,)


def plan_single(kernel, in_dtype, out_dtype):
    """The Plan of a one-pass filter (1-D, or a 2-D kernel summed directly)."""
    k = np.ascontiguousarray(kernel, np.float64)
    taps, r, c, E, shifts = _single(k.tobytes(), k.shape, np.dtype(in_dtype))
    return Plan(taps, r + RANGE[np.dtype(out_dtype)], c, E, shifts)


def _separable_bound(k1, k2, q1, q2, F1, F2, lo, hi, constant):
    """E of a separable filter: rows inside the image contribute sum_t D[s, t] x, rows of the
    second pass's constant (when `constant` is not None) (q2/2^F2 - k2)[s] * constant."""
    d1, d2 = q1 / 2.0 ** F1 - k1, q2 / 2.0 ** F2 - k2  # each exact to a rounding
    D = np.outer(d2, q1 / 2.0 ** F1) + np.outer(k2, d1)  # no cancellation of large terms
    pos = np.maximum(D * lo, D * hi).sum(axis=1)
    neg = np.minimum(D * lo, D * hi).sum(axis=1)
    if constant is not None:
        pos, neg = np.maximum(pos, d2 * constant), np.minimum(neg, d2 * constant)
    return float(max(pos.sum(), -neg.sum()))


def _plan_pair(k1, k2, lo, hi, constant, width, caps=None):
    """(q1, q2, F1, F2, (init, post), c2, E) at one width, or None.  The largest F1 + F2, then
    the most even split (F1 >= F2 on ties), for which the taps fit, the first-pass sums fit
    signed `bits` and the second-pass sums fit as _rounding asks."""
    limit, bits, fmax = width
    top1, top2 = caps or (min(_start(k1, limit), fmax), min(_start(k2, limit), fmax))
    G1, G2 = float(np.abs(k1).sum()), float(np.abs(k2).sum())
    top = min(top1 + top2, fmax)
    if G1 > 0 and G2 > 0:  # the sums span sum |q2| sum |q1| (hi - lo), with sum |q| >= 2^F G - K
        top = min(top, max(bits + 2 - int(np.floor(np.log2(G1 * G2 * (hi - lo)))),
                           _log2_above(2 * k1.size / G1) + top2,
                           _log2_above(2 * k2.size / G2) + top1))
    memo = {}

    def taps(k, F, key):
        if (key, F) not in memo:
            memo[key, F] = quantise(k, F)
        return memo[key, F]

    for total in range(top, -1, -1):
        splits = sorted(range(max(0, total - top2), min(top1, total) + 1),
                        key=lambda f1: (abs(2 * f1 - total), -f1))
        for F1 in splits:
            F2 = total - F1
            q1, q2 = taps(k1, F1, 1), taps(k2, F2, 2)
            if max(np.abs(q1).max(), np.abs(q2).max()) > limit:
                continue
            b = list(_range(q1, lo, hi))
            c2 = None if constant is None else int(constant) << F1
            if c2 is not None:
                b = [min(b[0], c2), max(b[1], c2)]
            if b[0] < -(1 << (bits - 1)) or b[1] >= 1 << (bits - 1):
                continue
            rounding = _rounding(*_range(q2, b[0], b[1]), total, bits)
            if rounding is not None:
                E = _separable_bound(k1, k2, q1, q2, F1, F2, lo, hi, constant)
                return q1, q2, F1, F2, rounding, c2 or 0, E
    return None


@functools.lru_cache(maxsize=256)
def _pair(k1bytes, k2bytes, in_dtype, constant):
    k1, k2 = np.frombuffer(k1bytes, np.float64), np.frombuffer(k2bytes, np.float64)
    lo, hi = RANGE[in_dtype]
    narrow = _plan_pair(k1, k2, lo, hi, constant, _NARROW)
    e1, e2 = exact_bits(k1), exact_bits(k2)
    if narrow is not None and e1 is not None and e2 is not None and e1 <= narrow[2] \
            and e2 <= narrow[3]:
        narrow = _plan_pair(k1, k2, lo, hi, constant, _NARROW, caps=(e1, e2))  # same result
    wide = narrow is None or narrow[6] > 0.5 - _MARGIN
    p = _plan_pair(k1, k2, lo, hi, constant, _WIDE) if wide else narrow
    if p is None:
        raise ValueError("kernels are too large for an integer result: taps of 2^31 or more")
    q1, q2, F1, F2, (init, post), c2, E = p
    return (q1, q2), (int(wide), F1 + F2, init, post), c2, E, (F1, F2)


def plan_separable(k1, k2, in_dtype, out_dtype, constant=None):
    """The Plan of a separable filter: k1 along the first axis, k2 along the second, whose
    rows beyond the edges hold `constant` (input units; None when its mode is not
    'constant')."""
    k1 = np.ascontiguousarray(k1, np.float64)
    k2 = np.ascontiguousarray(k2, np.float64)
    taps, r, c, E, shifts = _pair(k1.tobytes(), k2.tobytes(), np.dtype(in_dtype), constant)
    return Plan(taps, r + RANGE[np.dtype(out_dtype)], c, E, shifts)
