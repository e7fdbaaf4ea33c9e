"""The scipy.signal.convolve2d conventions shared by conv2d.py and on1d.py: the output-size
`mode`, the `boundary` and the `fillvalue`, with scipy's acceptance rules and exception
types (docs/contract.md §4, §5)."""
import os
import sys
import warnings

import numpy as np

from ._modes import mode_code

SIZES = ("full", "same", "valid")


def check_size(mode):
    """The output size: 'full', 'same' or 'valid', case-insensitive (ValueError else)."""
    if type(mode) is str and mode in SIZES:
        return mode
    if isinstance(mode, str) and mode.lower() in SIZES:
        return mode.lower()
    raise ValueError(f"mode={mode!r} is not an output size; valid: 'full', 'same', 'valid' "
                     "(the boundary is set by `boundary`)")


def boundary_code(boundary):
    """(mode code, zeros) of a boundary name; ValueError for anything else, as scipy."""
    if not isinstance(boundary, str):
        raise ValueError(f"boundary must be a boundary name, got {boundary!r}")
    return mode_code(boundary, "boundary")


def check_fillvalue(fillvalue, dtype):
    """The fill value as a Python scalar for a result of `dtype`, converted as scipy converts
    it (through NumPy: None is NaN, '1.5' is 1.5): a number or a one-element array (ValueError
    for an empty or longer one).  A complex value for a real result raises scipy's ValueError,
    except a NumPy complex scalar, which keeps its real part with scipy's ComplexWarning."""
    if type(fillvalue) in (int, float) and dtype.kind == "f" and -1e308 < fillvalue < 1e308:
        return float(fillvalue)
    try:
        with np.errstate(over="raise"):  # a long double beyond float64's range
            value = np.asarray(fillvalue, dtype=np.complex128)
    except (OverflowError, FloatingPointError):
        raise ValueError("fillvalue is beyond the range of a float (about 1.8e308)") from None
    except (TypeError, ValueError) as e:  # the type NumPy raises, as scipy's
        raise type(e)(f"fillvalue={fillvalue!r} is not a number ({e})") from None
    if value.size == 0:
        raise ValueError("`fillvalue` cannot be an empty array.")
    if value.size != 1:
        raise ValueError("`fillvalue` must be scalar or an array with one element.")
    value = complex(value.reshape(()))
    if dtype.kind == "c":
        return value
    if isinstance(fillvalue, np.generic) and np.iscomplexobj(fillvalue):
        warn_caller("Casting complex values to real discards the imaginary part",
                    np.exceptions.ComplexWarning)
    elif np.iscomplexobj(fillvalue) or not _is_real_number(fillvalue):  # '1+0j' too
        raise ValueError("could not cast `fillvalue` directly to the output type (it was "
                         "first converted to complex).")
    return value.real


def _is_real_number(value):
    """Whether NumPy converts `value` to a float directly, as scipy first tries."""
    try:
        np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        return False
    return True


def window(size, n, k, correlate=False):
    """(first, count) of the output along an axis of n samples with a kernel of k taps, in
    'full' coordinates (output j of 'full' sums the samples j - k + 1 .. j), as scipy places
    them: 'same' is centred as scipy.signal centres convolve2d (correlate2d for `correlate`)."""
    if size == "full":
        return 0, n + k - 1
    if size == "same":
        return (k // 2 if correlate else (k - 1) // 2), n
    return min(n, k) - 1, abs(n - k) + 1


def check_valid(size, x_shape, k_shape):
    """'valid' needs x at least as large as the kernel along every axis, or the reverse."""
    larger = all(n >= k for n, k in zip(x_shape, k_shape))
    smaller = all(n <= k for n, k in zip(x_shape, k_shape))
    if size == "valid" and not (larger or smaller):
        raise ValueError(f"mode='valid' needs x {tuple(x_shape)} to be at least as large as the "
                         f"kernel {tuple(k_shape)} along every axis, or the kernel at least as "
                         "large as x (as scipy.signal.convolve2d)")
    return larger


_PACKAGE = os.path.dirname(os.path.abspath(__file__)) + os.sep


def warn_caller(message, category):
    """warnings.warn pointing at the first frame outside axisconv, the user's call: a fixed
    stacklevel would count frames that the modules compiled by Cython do not make."""
    frame, level = sys._getframe(0), 1
    while frame is not None and frame.f_code.co_filename.startswith(_PACKAGE):
        frame, level = frame.f_back, level + 1
    warnings.warn(message, category, stacklevel=level)
