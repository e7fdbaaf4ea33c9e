"""Argument checks shared by every public function: each error names the argument."""
import numpy as np

from . import _core

MAXDIM = 64
MAX_THREADS = 256  # more would only add overhead: the work is split into fixed items
_REAL = {"b", "i", "u"}
_COMPUTED = {("f", 4), ("f", 8), ("c", 8), ("c", 16)}  # (kind, itemsize), any byte order


_F32, _F64 = np.dtype(np.float32), np.dtype(np.float64)


def as_input(x, name="x"):
    """`x` as an ndarray of a kind we compute on (bool/int -> float64); TypeError otherwise."""
    if type(x) is np.ndarray and (x.dtype is _F32 or x.dtype is _F64) and x.flags.aligned:
        return x  # the common case, checked first: calls on small arrays are latency-bound
    x = np.asarray(x)
    kind = x.dtype.kind
    if kind in _REAL:
        return x.astype(np.float64)
    if (kind, x.dtype.itemsize) not in _COMPUTED:
        raise TypeError(f"{name} has unsupported dtype {x.dtype}; use a bool, integer, "
                        "float32, float64, complex64 or complex128 array")
    if x.ndim > MAXDIM:
        raise ValueError(f"{name} has {x.ndim} dimensions; at most {MAXDIM} are supported")
    return native(x)


def as_kernel(kernel, name="kernel", ndim=1, float32=False):
    """The kernel as float64 or complex128 (or float32 as given, if `float32`), checked for
    shape and emptiness."""
    k = kernel if type(kernel) is np.ndarray else np.asarray(kernel)
    if (k.dtype is _F64 or (float32 and k.dtype is _F32)) and k.ndim == ndim and k.size:
        return k if k.flags.aligned else k.copy()  # C reads the taps: aligned only
    if k.dtype.kind not in "biufc":
        raise TypeError(f"{name} has unsupported dtype {k.dtype}")
    if k.ndim != ndim:
        raise ValueError(f"{name} must be {ndim}-D, got shape {k.shape}")
    if k.size == 0:
        raise ValueError(f"{name} must not be empty")
    return k.astype(np.complex128 if k.dtype.kind == "c" else np.float64)


def result_dtype(x, complex_kernel):
    """x's float dtype, made complex when x or the kernel is complex."""
    if complex_kernel or x.dtype.kind == "c":
        return np.promote_types(x.dtype, np.complex64)
    return x.dtype


def check_axis(axis, ndim, name="axis"):
    if type(axis) is int and -ndim <= axis < ndim:
        return axis % ndim
    if isinstance(axis, bool) or not hasattr(axis, "__index__"):
        raise TypeError(f"{name} must be an integer, got {axis!r}")
    axis = axis.__index__()
    if not -ndim <= axis < ndim:
        raise ValueError(f"{name}={axis} is out of range for an array of {ndim} dimensions")
    return axis % ndim


def check_int(value, name, minimum=None):
    """An integer argument (bools refused), at least `minimum` when one is given."""
    if type(value) is not int:
        if isinstance(value, bool) or not hasattr(value, "__index__"):
            raise TypeError(f"{name} must be an integer, got {value!r}")
        value = value.__index__()
    if minimum is not None and value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value}")
    return value


def check_origin(origin, size, name="origin"):
    """scipy.ndimage's rule: -(K // 2) <= origin <= (K - 1) // 2."""
    if type(origin) is int and -(size // 2) <= origin <= (size - 1) // 2:
        return origin
    if isinstance(origin, bool) or not hasattr(origin, "__index__"):
        raise TypeError(f"{name} must be an integer, got {origin!r}")
    origin = origin.__index__()
    if not -(size // 2) <= origin <= (size - 1) // 2:
        raise ValueError(f"{name}={origin} is out of range for a kernel of length {size}: "
                         f"need {-(size // 2)} <= {name} <= {(size - 1) // 2}")
    return origin


def check_cval(cval, x, name="cval"):
    """The constant as a complex for complex x, else a float (a complex cval needs complex x)."""
    if (type(cval) is float or type(cval) is int) and x.dtype.kind != "c":
        return float(cval)
    if isinstance(cval, (str, bytes)):
        raise TypeError(f"{name} must be a number, got {cval!r}")
    if np.iscomplexobj(cval):
        if x.dtype.kind != "c":
            raise ValueError(f"{name}={cval!r} is complex but x is real")
        return complex(cval)
    try:
        value = float(cval)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be a number, got {cval!r}") from None
    return complex(value) if x.dtype.kind == "c" else value


def prepare_out(out, shape, dtype, name="out"):
    """A fresh result array, or the caller's `out` once checked."""
    if out is None:
        return np.empty(shape, dtype)
    if not isinstance(out, np.ndarray):
        raise TypeError(f"{name} must be a numpy.ndarray, got {type(out).__name__}")
    if out.shape != tuple(shape):
        raise ValueError(f"{name} has shape {out.shape}; expected {tuple(shape)}")
    if out.dtype != dtype:
        raise TypeError(f"{name} has dtype {out.dtype}; expected {np.dtype(dtype)}")
    if not out.flags.writeable:
        raise ValueError(f"{name} is read-only")
    return out


def computable(a):
    """True if C can work on `a` directly: native byte order and aligned."""
    return a.dtype.isnative and a.flags.aligned


def native(a):
    """`a`, or an aligned native-byte-order copy of it."""
    return a if computable(a) else np.require(a, a.dtype.newbyteorder("="), ["A"])


def writable_while_reading(out, x):
    """C can write `out` while it reads `x`: `out` is aligned and either does not overlap
    `x` or is exactly `x` (in place).  `out` is native: prepare_out saw to that."""
    return out.flags.aligned and _core.overlap(x, out) != 2
