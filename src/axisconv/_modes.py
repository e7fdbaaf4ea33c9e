"""The boundary-mode vocabulary (docs/contract.md §1): one set of modes, many spellings.

Also compiled by Cython (CMakeLists.txt): it is on the call path of every function.  The
codes are csrc/axisconv.h's ax_mode, exported by _core.
"""
import numpy as np

from ._core import (MODE_CONSTANT as CONSTANT, MODE_MIRROR as MIRROR, MODE_NEAREST as NEAREST,
                    MODE_REFLECT as REFLECT, MODE_WRAP as WRAP)

CANONICAL = {
    "reflect": REFLECT,    # d c b a | a b c d | d c b a
    "mirror": MIRROR,      #   d c b | a b c d | c b a
    "nearest": NEAREST,    # a a a a | a b c d | d d d d
    "wrap": WRAP,          # a b c d | a b c d | a b c d
    "constant": CONSTANT,  # k k k k | a b c d | k k k k
}

ALIASES = {
    "grid-mirror": "reflect", "symm": "reflect", "symmetric": "reflect",
    "border_reflect": "reflect",
    "reflect101": "mirror", "reflect_101": "mirror",
    "border_reflect101": "mirror", "border_reflect_101": "mirror", "border_default": "mirror",
    "edge": "nearest", "replicate": "nearest", "border_replicate": "nearest",
    "grid-wrap": "wrap", "circular": "wrap", "periodic": "wrap", "border_wrap": "wrap",
    "grid-constant": "constant", "fill": "constant", "border_constant": "constant",
    "zeros": "constant",
}

_VALID = ", ".join(sorted(CANONICAL)) + "; aliases: " + ", ".join(sorted(ALIASES))


def mode_code(mode, name="mode"):
    """Return ``(code, zeros)`` for a mode name; ``zeros`` means the constant is forced to 0."""
    if type(mode) is str and mode in CANONICAL:
        return CANONICAL[mode], False
    if not isinstance(mode, str):
        raise TypeError(f"{name} must be a string, got {type(mode).__name__}")
    key = mode.lower()
    canonical = ALIASES.get(key, key)
    if canonical not in CANONICAL:
        raise ValueError(f"{name}={mode!r} is not a boundary mode; valid modes: {_VALID}")
    return CANONICAL[canonical], key == "zeros"


def extend_index(i, n, code):
    """Where sample `i` (an int or an int array) of a line of `n` samples comes from when the
    line is extended by mode `code`: an index in [0, n), or -1 for the constant.  The NumPy
    twin of csrc/boundary.h, for the few samples planned in Python."""
    i = np.asarray(i, np.int64)
    if code == CONSTANT:
        outside = np.full_like(i, -1)
    elif code == NEAREST:
        outside = np.clip(i, 0, n - 1)
    elif code == WRAP:
        outside = i % n
    elif code == REFLECT:                                # period 2n: d c b a | a b c d
        r = i % (2 * n)
        outside = np.where(r < n, r, 2 * n - 1 - r)
    elif n == 1:                                         # MIRROR of a single sample
        outside = np.zeros_like(i)
    else:                                                # MIRROR, period 2n - 2
        r = i % (2 * n - 2)
        outside = np.where(r < n, r, 2 * n - 2 - r)
    return np.where((i >= 0) & (i < n), i, outside)
