"""Argument normalisation as scipy.ndimage's ``_ni_support`` does it (same rules, same
exception types), with messages that name the argument; and scipy's conversion of a
computed result into an output array of any dtype it supports."""
import operator
import warnings
from collections.abc import Iterable

import numpy as np

from .._checks import refuse_lazy
from .._modes import CONSTANT, MIRROR, NEAREST, REFLECT, WRAP

# scipy.ndimage's names (case-sensitive); for filters the 'grid-' modes are the plain ones.
MODES = {"reflect": REFLECT, "grid-mirror": REFLECT, "mirror": MIRROR, "nearest": NEAREST,
         "wrap": WRAP, "grid-wrap": WRAP, "constant": CONSTANT, "grid-constant": CONSTANT}

# (kind, itemsize) of the dtypes scipy.ndimage's C code reads and writes (complex as two reals)
_SUPPORTED = ({("b", 1), ("f", 4), ("f", 8), ("c", 8), ("c", 16)}
              | {(kind, size) for kind in "iu" for size in (1, 2, 4, 8)})


def as_array(input, name="input"):
    """`input` as an ndarray, as scipy takes it (np.asarray), except a dask array or another
    type NumPy would convert in full: a TypeError naming axisconv.dask (as the functions of
    axisconv do)."""
    refuse_lazy(input, name)
    return np.asarray(input)


def supported(dtype):
    return (dtype.kind, dtype.itemsize) in _SUPPORTED


def mode_code(mode, name="mode"):
    """The C code of one of scipy.ndimage's mode names; RuntimeError (scipy's) otherwise."""
    if isinstance(mode, str) and mode in MODES:
        return MODES[mode]
    raise RuntimeError(f"{name}={mode!r} is not a boundary mode of scipy.ndimage; use one of "
                       + ", ".join(repr(m) for m in MODES))


def is_sequence(value):
    """scipy's test for 'one value per axis': iterable and not a string."""
    return not isinstance(value, str) and np.iterable(value)


def normalize_sequence(value, rank, name):
    """`value` repeated `rank` times, or a sequence of exactly `rank` values."""
    if not is_sequence(value):
        return [value] * rank
    values = list(value)
    if len(values) != rank:
        raise RuntimeError(f"{name} has {len(values)} entr{'y' if len(values) == 1 else 'ies'}"
                           f"; it needs one per axis ({rank})")
    return values


def as_index(value, name, what="an integer"):
    try:
        return operator.index(value)
    except TypeError:
        raise TypeError(f"{name} must be {what}, got {value!r}") from None


def axis_index(axis, ndim, name="axis"):
    """`axis` in [0, ndim): AxisError (a ValueError and an IndexError) if out of range."""
    axis = as_index(axis, name)
    if not -ndim <= axis < ndim:
        raise np.exceptions.AxisError(axis, ndim, name)
    return axis % ndim


def check_axes(axes, ndim):
    """scipy's `axes`: None (all), an integer or an iterable of distinct integers.  (scipy
    leaves a single negative integer unnormalised, which breaks correlate(axes=-1); here it
    is normalised like the others.)"""
    if axes is None:
        return tuple(range(ndim))
    if np.isscalar(axes):
        axes = (as_index(axes, "axes", "an integer or a sequence of integers"),)
    elif isinstance(axes, Iterable):
        axes = tuple(as_index(a, "axes", "a sequence of integers") for a in axes)
    else:
        raise ValueError(f"axes must be an integer, an iterable of integers or None, "
                         f"got {axes!r}")
    for a in axes:
        if not -ndim <= a < ndim:
            raise np.exceptions.AxisError(a, ndim, "axes")
    axes = tuple(a % ndim for a in axes)
    if len(set(axes)) != len(axes):
        raise ValueError(f"axes must be unique, got {axes}")
    return axes


def check_origin(origin, size, name="origin"):
    """scipy's rule -(size // 2) <= origin <= (size - 1) // 2 (ValueError), then an integer
    (TypeError), in scipy's order."""
    try:
        bad = origin < -(size // 2) or origin > (size - 1) // 2
    except TypeError:
        raise TypeError(f"{name} must be an integer, got {origin!r}") from None
    if bad:
        raise ValueError(f"{name}={origin!r} is out of range for a kernel of length {size}: "
                         f"need {-(size // 2)} <= {name} <= {(size - 1) // 2}")
    return as_index(origin, name)


def real_cval(cval, name="cval"):
    """cval for real data: a real number (scipy's C code parses a double: TypeError)."""
    if type(cval) is float or type(cval) is int:
        return float(cval)
    if not isinstance(cval, (str, bytes)) and not np.iscomplexobj(cval):
        try:
            return float(cval)
        except (TypeError, ValueError):
            pass
    raise TypeError(f"{name} must be a real number for real input, got {cval!r}")


def complex_cval(cval, name="cval"):
    """cval for complex data: its real part pads the real parts, its imaginary part the
    imaginary parts."""
    if not isinstance(cval, (str, bytes)):
        try:
            return complex(cval)
        except (TypeError, ValueError):
            pass
    raise TypeError(f"{name} must be a number, got {cval!r}")


def check_cval(cval, complex_data):
    return complex_cval(cval) if complex_data else real_cval(cval)


def get_output(output, input, complex_output=False):
    """The output array, by scipy's rules: None gives the input's dtype (complex promoted
    when `complex_output`); a dtype, a type or a dtype string gives a new array of it; an
    array (or array-like) is used as it is, and must have the input's shape.  A new array
    is zeros, as scipy's: a generic filter's callable may leave some of it unwritten."""
    shape = input.shape
    if output is None:
        if complex_output:
            return np.zeros(shape, np.promote_types(input.dtype, np.complex64))
        dtype = input.dtype  # scipy makes it by name: native byte order, no strings
        if dtype.kind in "SUV":
            raise TypeError(f"input has dtype {dtype}; the filters need numbers")
        return np.zeros(shape, dtype if dtype.isnative else dtype.newbyteorder("="))
    if isinstance(output, (type, np.dtype)):
        if complex_output and np.dtype(output).kind != "c":
            warnings.warn("promoting specified output dtype to complex", UserWarning,
                          stacklevel=3)
            output = np.promote_types(output, np.complex64)
        return np.zeros(shape, output)
    if isinstance(output, str):
        dtype = np.dtype(output)
        if complex_output and dtype.kind != "c":
            raise RuntimeError(f"output={output!r}: complex data needs a complex output dtype")
        if not issubclass(dtype.type, np.number):
            raise RuntimeError(f"output={output!r} is not a numeric dtype")  # noqa: TRY004
        return np.zeros(shape, dtype)
    output = np.asarray(output)
    if output.shape != shape:
        raise RuntimeError(f"output has shape {output.shape}; it must have the input's "
                           f"shape {shape}")
    if complex_output and output.dtype.kind != "c":
        raise RuntimeError(f"output has dtype {output.dtype}; complex data needs a complex "
                           "output")
    return output


def check_dtypes(input, output, complex_result):
    """What scipy's C code refuses: dtypes it cannot read or write, a real output for a
    complex result and a complex output for a real one (RuntimeError), a read-only output
    (ValueError)."""
    for name, a in (("input", input), ("output", output)):
        if not supported(a.dtype):
            raise RuntimeError(f"{name} has dtype {a.dtype}, which scipy.ndimage does not "
                               "support (bool, integers, float32, float64, complex64, "
                               "complex128)")
    if complex_result and output.dtype.kind != "c":
        raise RuntimeError(f"output has dtype {output.dtype}; complex input or weights need "
                           "a complex output")
    if not complex_result and output.dtype.kind == "c":
        raise RuntimeError(f"output has dtype {output.dtype}; real input and weights give a "
                           "real result (scipy does not write it into a complex output)")
    if not output.flags.writeable:
        raise ValueError("output is read-only")


# scipy's C code stores a double into an integer output by a C cast, ``(type)value``: in
# range, truncation toward zero (negative values wrap in unsigned types).  NumPy's cast does
# the same on x86-64, except for uint32, which scipy converts through 64 bits.
def _via(dtype):
    return np.int64 if dtype == np.uint32 else None


def store(result, output):
    """Write the float `result` into `output` as scipy.ndimage does, value by value."""
    kind = output.dtype.kind
    with np.errstate(invalid="ignore", over="ignore"):
        if kind in "fc":
            np.copyto(output, result, casting="unsafe")
            return output
        target = output.view(np.uint8) if kind == "b" else output  # a bool holds the byte
        via = _via(target.dtype.newbyteorder("="))
        np.copyto(target, result.astype(via) if via else result, casting="unsafe")
    return output
