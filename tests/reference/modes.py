"""The boundary modes of docs/contract.md §1, once for every test: each canonical mode, every
spelling of it, and the index map that pads a line by it.

Written from the pictures of the contract, not from axisconv's code:

    reflect   d c b a | a b c d | d c b a      (one period: a b c d d c b a)
    mirror      d c b | a b c d | c b a        (one period: a b c d c b)
    nearest   a a a a | a b c d | d d d d
    wrap      a b c d | a b c d | a b c d      (one period: a b c d)
    constant  k k k k | a b c d | k k k k

Positions outside the line repeat the period however far they go, so kernels longer than the
line see what scipy.ndimage shows them.
"""
import numpy as np

MODES = ("reflect", "mirror", "nearest", "wrap", "constant")

# Every accepted spelling of each mode (names are case-insensitive).
ALIASES = {
    "reflect": ("reflect", "grid-mirror", "symm", "symmetric", "BORDER_REFLECT"),
    "mirror": ("mirror", "reflect101", "reflect_101", "BORDER_REFLECT_101", "BORDER_REFLECT101",
               "BORDER_DEFAULT"),
    "nearest": ("nearest", "edge", "replicate", "BORDER_REPLICATE"),
    "wrap": ("wrap", "grid-wrap", "circular", "periodic", "BORDER_WRAP"),
    "constant": ("constant", "grid-constant", "fill", "BORDER_CONSTANT"),
}
ZEROS = "zeros"            # constant with k = 0, whatever the constant says

# (spelling, canonical mode) for every spelling, 'zeros' included.
SPELLINGS = tuple((name, mode) for mode, names in ALIASES.items() for name in names) + (
    (ZEROS, "constant"),)

# scipy.signal's names for the modes it has (its `boundary`); the others keep theirs.
SIGNAL_NAMES = {"constant": "fill", "reflect": "symm", "wrap": "wrap", "mirror": "mirror",
                "nearest": "nearest"}


def canonical(name, constant=0.0):
    """(canonical mode, the constant it pads with) for any spelling."""
    key = name.lower()
    for mode, names in ALIASES.items():
        if key in (n.lower() for n in names):
            return mode, constant
    if key == ZEROS:
        return "constant", 0.0
    raise KeyError(name)


def source_index(position, n, mode):
    """For each position (an int array) of a line of n samples extended by `mode`, the index of
    the sample it shows, or -1 where it shows the constant."""
    position = np.asarray(position, np.int64)
    inside = (position >= 0) & (position < n)
    mode = canonical(mode)[0]
    if mode == "constant" or n == 0:
        return np.where(inside, position, -1)
    if mode == "nearest":
        return np.clip(position, 0, n - 1)
    period = {"reflect": list(range(n)) + list(range(n))[::-1],
              "mirror": list(range(n)) + list(range(n - 2, 0, -1)),
              "wrap": list(range(n))}[mode]
    return np.asarray(period, np.int64)[position % len(period)]


def pad_axis(x, before, after, axis, mode, constant=0.0):
    """x extended along `axis` by `before` and `after` samples, padded as `mode` says."""
    x = np.asarray(x)
    axis %= x.ndim
    mode, constant = canonical(mode, constant)
    index = source_index(np.arange(-before, x.shape[axis] + after), x.shape[axis], mode)
    shown = np.take(x, np.maximum(index, 0), axis=axis) if x.shape[axis] else np.zeros(
        x.shape[:axis] + index.shape + x.shape[axis + 1:], x.dtype)    # an empty line
    outside = (index < 0).reshape(index.shape + (1,) * (x.ndim - 1 - axis))
    return np.where(outside, np.asarray(constant, shown.dtype), shown)
