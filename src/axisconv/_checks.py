"""Argument checks shared by every public function (docs/contract.md §7): each error names
the argument, and nothing reaches the C core unchecked.

Also compiled by Cython (CMakeLists.txt): it is on the call path of every function, where on
small arrays the checks would otherwise cost more than the filtering.
"""
import operator

import numpy as np

from . import _core

MAXDIM = 64
_REAL = {"b", "i", "u"}
_COMPUTED = {("f", 4), ("f", 8), ("c", 8), ("c", 16)}  # (kind, itemsize), any byte order
_F32, _F64, _C128 = np.dtype(np.float32), np.dtype(np.float64), np.dtype(np.complex128)


def computed_as_is(x):
    """Whether as_input returns x itself: a native, aligned float32 or float64 ndarray."""
    return type(x) is np.ndarray and (x.dtype is _F32 or x.dtype is _F64) and x.flags.aligned


def as_input(x, name="x", complex_ok=True):
    """`x` as an ndarray of a kind we compute on (bool/int -> float64), native and aligned;
    TypeError otherwise (naming complex dtypes only if the caller computes on them: it
    refuses them itself otherwise)."""
    if computed_as_is(x):
        return x  # the common case, checked first: calls on small arrays are latency-bound
    refuse_lazy(x, name)
    x = as_array(x, name)
    kind = x.dtype.kind
    if kind in _REAL:
        x = x.astype(np.float64)
    elif (kind, x.dtype.itemsize) not in _COMPUTED:
        use = ("float32, float64, complex64 or complex128" if complex_ok
               else "float32 or float64")
        raise TypeError(f"{name} has unsupported dtype {x.dtype}; use a bool, integer, {use} "
                        "array")
    if x.ndim > MAXDIM:
        raise ValueError(f"{name} has {x.ndim} dimensions; at most {MAXDIM} are supported")
    return native(x)


def refuse_lazy(a, name, data=True):
    """TypeError for an array NumPy would silently compute or copy in full: a dask array
    (any dask collection), or another array type with an __array_function__ of its own
    (CuPy, sparse, ...).  ndarrays and their subclasses, lists and buffers pass.  `data`:
    `a` is the data, which axisconv.dask filters chunk by chunk (not a kernel)."""
    kind = type(a)
    if kind in _PLAIN or isinstance(a, np.ndarray):
        return  # first: a missed getattr costs more than a small call's filtering
    if getattr(kind, "__dask_graph__", None) is not None and a.__dask_graph__() is not None:
        advice = (f"filter it chunk by chunk with axisconv.dask, or pass {name}.compute() if "
                  "it fits in memory" if data else f"pass {name}.compute()")
        raise TypeError(f"{name} is a dask collection ({_qualified(kind)}), which axisconv "
                        f"would compute in full, in memory: {advice}")
    if getattr(kind, "__array_function__", None) is not None:
        raise TypeError(f"{name} is a {_qualified(kind)}, which NumPy would convert in full: "
                        f"pass np.asarray({name}) (or the type's own conversion to NumPy) if "
                        "that is what you want")


_PLAIN = frozenset({list, tuple, memoryview, int, float, complex, bytes, bytearray})


def _qualified(kind):
    return f"{kind.__module__}.{kind.__qualname__}"


def as_kernel(kernel, name="kernel", ndim=1, float32=False):
    """The kernel as a C-contiguous, aligned float64 or complex128 array (or float32 as
    given, if `float32`), checked for shape and emptiness."""
    if type(kernel) is not np.ndarray:
        refuse_lazy(kernel, name, data=False)
    k = kernel if type(kernel) is np.ndarray else as_array(kernel, name)
    if ((k.dtype is _F64 or (float32 and k.dtype is _F32)) and k.ndim == ndim and k.size
            and k.flags.c_contiguous and k.flags.aligned):
        return k
    if k.dtype.kind not in "biufc":
        raise TypeError(f"{name} has unsupported dtype {k.dtype}")
    if k.ndim != ndim:
        raise ValueError(f"{name} must be {ndim}-D, got shape {k.shape}")
    if k.size == 0:
        raise ValueError(f"{name} must not be empty")
    if not (float32 and k.dtype == _F32):
        target = _C128 if k.dtype.kind == "c" else _F64
        if k.dtype != target:  # a fresh copy: contiguous, aligned and native already
            return k.astype(target, order="C")
    return np.require(k, k.dtype.newbyteorder("="), ["C", "A"])


def apart(k, out):
    """k, or a copy of it if it shares memory with `out`: a call of several passes reads a
    later pass's kernel after an earlier pass wrote `out`."""
    return k.copy() if np.may_share_memory(k, out) else k


def as_array(a, name):
    """np.asarray(a); NumPy's complaint about ragged nesting and the like names the argument."""
    try:
        return np.asarray(a)
    except (TypeError, ValueError) as e:
        raise type(e)(f"{name} is not an array of numbers: {e}") from None


def result_dtype(x, complex_kernel):
    """x's float dtype, made complex when x or the kernel is complex."""
    if complex_kernel or x.dtype.kind == "c":
        return np.promote_types(x.dtype, np.complex64)
    return x.dtype


def check_int(value, name, minimum=None, maximum=None):
    """An integer argument (Python or NumPy integers; bools and arrays refused), within
    [minimum, maximum] when they are given."""
    if type(value) is not int:
        if isinstance(value, (bool, np.bool_)):
            raise TypeError(f"{name} must be an integer, got {value!r}")
        try:
            value = operator.index(value)
        except TypeError:
            raise TypeError(f"{name} must be an integer, got {value!r}") from None
    if minimum is not None and value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value}")
    if maximum is not None and value > maximum:
        raise ValueError(f"{name} must be <= {maximum}, got {value}")
    return value


def check_axis(axis, ndim, name="axis"):
    if type(axis) is int and -ndim <= axis < ndim:
        return axis % ndim
    axis = check_int(axis, name)
    if not -ndim <= axis < ndim:
        raise ValueError(f"{name}={axis} is out of range for an array of {ndim} dimensions")
    return axis % ndim


def check_origin(origin, size, name="origin"):
    """scipy.ndimage's rule: -(K // 2) <= origin <= (K - 1) // 2."""
    if type(origin) is int and -(size // 2) <= origin <= (size - 1) // 2:
        return origin
    origin = check_int(origin, name)
    if not -(size // 2) <= origin <= (size - 1) // 2:
        raise ValueError(f"{name}={origin} is out of range for a kernel of length {size}: "
                         f"need {-(size // 2)} <= {name} <= {(size - 1) // 2}")
    return origin


def check_cval(cval, x, name="cval"):
    """The constant as a complex for complex x, else a float (a complex cval needs complex x).
    A number, or a NumPy scalar or 0-d array of one."""
    if (type(cval) is float or type(cval) is int) and x.dtype.kind != "c" and -1e308 < cval < 1e308:
        return float(cval)
    if isinstance(cval, (str, bytes)) or (isinstance(cval, np.ndarray) and cval.ndim):
        raise TypeError(f"{name} must be a number, got {cval!r}")
    if np.iscomplexobj(cval):
        if x.dtype.kind != "c":
            raise ValueError(f"{name}={cval!r} is complex but x is real")
        return complex(_in_float64_range(cval, np.complex128, name))
    cval = _in_float64_range(cval, np.float64, name)
    try:
        value = float(cval)
    except OverflowError:
        raise ValueError(f"{name} is beyond the range of a float (about 1.8e308)") from None
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be a number, got {cval!r}") from None
    return complex(value) if x.dtype.kind == "c" else value


def _in_float64_range(value, dtype, name):
    """A NumPy scalar or 0-d array as `dtype` (a long double beyond its range is refused, not
    made infinite); anything else as it is."""
    if not isinstance(value, (np.generic, np.ndarray)) or value.dtype.kind not in "fc":
        return value
    try:
        with np.errstate(over="raise"):
            return np.asarray(value, dtype=dtype)[()]
    except FloatingPointError:
        raise ValueError(f"{name} is beyond the range of a float (about 1.8e308)") from None


def prepare_out(out, shape, dtype, name="out"):
    """A fresh result array, or the caller's `out` once checked: of the result's dtype in
    either byte order (as scipy takes it; C writes a temporary then); an ndarray subclass is
    written through a plain ndarray view of it."""
    if out is None:
        return np.empty(shape, dtype)
    if not isinstance(out, np.ndarray):
        raise TypeError(f"{name} must be a numpy.ndarray, got {type(out).__name__}")
    if out.shape != tuple(shape):
        raise ValueError(f"{name} has shape {out.shape}; expected {tuple(shape)}")
    if out.dtype != dtype and out.dtype.newbyteorder("=") != dtype:  # either byte order
        raise TypeError(f"{name} has dtype {out.dtype}; expected {np.dtype(dtype)}")
    if not out.flags.writeable:
        raise ValueError(f"{name} is read-only")
    if self_overlapping(out):
        raise ValueError(f"{name} has elements that share memory (a zero or overlapping "
                         "stride): each result would be written over another")
    return out if type(out) is np.ndarray else out.view(np.ndarray)


def self_overlapping(a):
    """Whether two elements of `a` may share memory: unless each axis, by increasing stride,
    steps past everything the axes before it span (a zero stride on a long axis fails)."""
    if a.size == 0 or a.flags.c_contiguous or a.flags.f_contiguous:
        return False
    extent = a.itemsize
    for stride, n in sorted((abs(s), n) for s, n in zip(a.strides, a.shape) if n > 1):
        if stride < extent:
            return True
        extent += stride * (n - 1)
    return False


def computable(a):
    """True if C can work on `a` directly: native byte order and aligned."""
    return a.dtype.isnative and a.flags.aligned


def native(a):
    """`a`, or an aligned native-byte-order copy of it."""
    return a if computable(a) else np.require(a, a.dtype.newbyteorder("="), ["A"])


def writable_while_reading(out, x, in_place=True):
    """Whether C can write `out` while it reads `x`: `out` is computable and does not overlap
    x (or, if `in_place`, is exactly x)."""
    if not computable(out):
        return False
    overlap = _core.overlap(x, out)
    return overlap == 0 or (overlap == 1 and in_place)


def direct_target(out, x, in_place=True):
    """Where C writes a result that goes to `out` while it reads `x`: `out` itself when it
    can (writable_while_reading), else a temporary the caller copies into `out` afterwards."""
    if writable_while_reading(out, x, in_place):
        return out
    return np.empty(out.shape, out.dtype.newbyteorder("="))  # C writes native values
