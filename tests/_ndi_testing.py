"""Helpers for the axisconv.ndimage tests: random data, calling both libraries, tolerances,
and scipy's own conversion of float64 results into integer outputs.

scipy.ndimage (1.17) is the oracle throughout; every comparison is with scipy's result for
the same arguments.
"""
import warnings

import numpy as np
import scipy.ndimage as sndi
from hypothesis import strategies as st

from axisconv import ndimage as andi

MODES = ["reflect", "constant", "nearest", "mirror", "wrap", "grid-constant", "grid-mirror",
         "grid-wrap"]
REAL_DTYPES = [np.bool_, np.uint8, np.int8, np.uint16, np.int16, np.int32, np.uint32,
               np.int64, np.uint64, np.float32, np.float64]
DTYPES = REAL_DTYPES + [np.complex64, np.complex128]
EPS = {np.dtype(np.float32): np.finfo(np.float32).eps, np.dtype(np.float64): np.finfo(float).eps}
SINGLE = {np.dtype(np.float32), np.dtype(np.complex64)}


def data(rng, shape, dtype):
    """Random values of `dtype`: all of uint8's range, +-1000 for wider integers, +-10 for
    floats (real and imaginary parts)."""
    dtype = np.dtype(dtype)
    if dtype.kind == "b":
        return rng.random(shape) < 0.5
    if dtype.kind in "iu":
        info = np.iinfo(dtype)
        return rng.integers(max(info.min, -1000), min(info.max, 1000), shape,
                            endpoint=True).astype(dtype)
    values = rng.uniform(-10, 10, shape)
    if dtype.kind == "c":
        values = values + 1j * rng.uniform(-10, 10, shape)
    return values.astype(dtype)


@st.composite
def shapes(draw, min_dims=1, max_dims=3, max_side=9, empty=True):
    """Array shapes with sides of 1 (and 0, if `empty`) among them."""
    ndim = draw(st.integers(min_dims, max_dims))
    return tuple(draw(st.integers(0 if empty else 1, max_side)) for _ in range(ndim))


class ArrayOf:
    """An `output=` argument for call_both: a new array of `dtype` and the input's shape
    (every other element of a wider one, if `strided`), one for each library."""

    def __init__(self, dtype, strided=False):
        self.dtype, self.strided = np.dtype(dtype), strided

    def make(self, shape):
        if not self.strided or not shape:
            return np.zeros(shape, self.dtype)
        return np.zeros(shape[:-1] + (2 * shape[-1],), self.dtype)[..., ::2]

    def __repr__(self):
        return f"ArrayOf({self.dtype}{', strided' if self.strided else ''})"


def call_both(name, *args, scipy_call=None, **kwargs):
    """(ours, scipy's) = ndimage.<name>(*args, **kwargs) of both libraries, scipy's by
    `scipy_call(*args, **kwargs)` where given.  An `output` array is copied for scipy (an
    ArrayOf made for each), so each library writes its own and ours must return it;
    warnings must agree."""
    results, caught = [], []
    for module in (andi, sndi):
        kw = dict(kwargs)
        output = kw.get("output")
        if isinstance(output, ArrayOf):
            kw["output"] = output.make(np.shape(args[0]))
        elif isinstance(output, np.ndarray) and module is sndi:
            kw["output"] = output.copy()
        call = scipy_call if module is sndi and scipy_call else getattr(module, name)
        with warnings.catch_warnings(record=True) as record:
            warnings.simplefilter("always")
            results.append(call(*args, **kw))
        if module is andi and isinstance(kw.get("output"), np.ndarray):
            assert results[0] is kw["output"], "the output array is not returned"
        caught.append(sorted({(w.category.__name__, str(w.message)) for w in record}))
    assert caught[0] == caught[1], f"warnings differ: ours {caught[0]}, scipy's {caught[1]}"
    return results[0], results[1]


def output_dtype(output, x):
    """The dtype an `output=` argument names for input x."""
    if output is None:
        return x.dtype
    return np.dtype(output.dtype if isinstance(output, ArrayOf) else output)


def precision(input_dtype, output_dtype):
    """What axisconv.ndimage computes in: float32 for single precision in and out."""
    single = np.dtype(input_dtype) in SINGLE and np.dtype(output_dtype) in SINGLE
    return np.dtype(np.float32 if single else np.float64)


def tolerance(input_dtype, output_dtype, scale, taps):
    """An absolute bound for |ours - scipy's|: (taps + 2) roundings of magnitude `scale` (the
    sum over the kernel of |tap| * max|value|) at the precision computed in, and the
    output's own rounding; complex products count twice."""
    eps = EPS[precision(input_dtype, output_dtype)]
    # scipy computes complex64 input with complex weights as four real correlations, two
    # of them into float32 temporaries: their terms carry float32 rounding.
    if np.dtype(output_dtype) in SINGLE or np.dtype(input_dtype) == np.complex64:
        eps = max(eps, EPS[np.dtype(np.float32)])
    atol = 4 * (taps + 2) * eps * scale
    return 2 * atol if np.dtype(output_dtype).kind == "c" else atol


def magnitude(x, mode="reflect", cval=0.0):
    """max |value| of x extended by `mode` (cval included for the constant modes)."""
    x = as_read(x)
    values = np.abs(x.astype(np.complex128)) if x.size else np.zeros(1)
    m = float(values.max())
    return max(m, abs(complex(cval))) if "constant" in str(mode) else m


def assert_same_float(ours, theirs, atol, msg=""):
    assert ours.dtype == theirs.dtype, f"dtype {ours.dtype} != scipy's {theirs.dtype} {msg}"
    assert ours.shape == theirs.shape, msg
    np.testing.assert_allclose(ours, theirs, rtol=0, atol=atol, equal_nan=True, err_msg=msg)


def scipy_cast(values, dtype):
    """scipy's own conversion of float64 values into an output of `dtype` (a one-tap
    correlation is exact)."""
    values = np.asarray(values, np.float64)
    flat = sndi.correlate1d(values.reshape(-1), [1.0], output=dtype)
    return flat.reshape(values.shape)


def as_read(x):
    """x as scipy's C code reads it: a bool as its byte."""
    x = np.asarray(x)
    return x.view(np.uint8) if x.dtype.kind == "b" else x


def rounding_bound(taps, magnitudes, integer_data):
    """The bound of the documented rule for integer outputs: 4 (K + 1) eps times
    `magnitudes`, the correlation of |x_ext| with |taps| (scipy's); none for integer taps
    on integer data, which sum exactly."""
    k = np.asarray(taps, np.float64).ravel()
    k = k[k != 0]
    if integer_data and np.array_equal(k, np.rint(k)):
        return None
    return 4 * (k.size + 1) * EPS[np.dtype(np.float64)] * magnitudes


def integer_oracle(result, dtype, bound):
    """The documented rule for integer outputs, on scipy's float64 `result`: values within
    `bound` of an integer become that integer, then scipy's conversion."""
    if bound is not None:
        nearest = np.rint(result)
        result = np.where(np.abs(result - nearest) <= bound, nearest, result)
    return scipy_cast(result, dtype)


def chained(x, passes, dtype, cval, with_bound=False):
    """The documented rule for integer outputs of several passes: each of scipy's 1-D
    passes, ``f(previous, np.float64)``, is converted into `dtype` before the next reads it
    (scipy keeps its intermediates in the output's dtype too).  passes: (f, taps as
    correlated, axis, origin, divisor, mode) per pass.  With `with_bound`: also the last
    pass's rounding bound (None when it sums exactly)."""
    p, bound = x, None
    for f, taps, axis, origin, divisor, mode in passes:
        magnitudes = sndi.correlate1d(np.abs(as_read(p).astype(np.float64)), np.abs(taps), axis,
                                      np.float64, mode, abs(cval), origin) / divisor
        bound = rounding_bound(taps, magnitudes, p.dtype.kind in "biu")
        p = integer_oracle(f(p, np.float64), dtype, bound)
    if not passes:  # scipy copies: output[...] = input
        p = np.empty(x.shape, dtype)
        p[...] = x
    return (p, bound) if with_bound else p


def assert_integer_output(ours, x, passes, cval):
    """An integer output of a chain of passes is the documented rule's (`chained`), bit for
    bit -- except where the last pass's rounding error reaches a unit (sums beyond 2^53, whose
    float64 results are integers apart by their ulps): there any integer within that error
    (differences modulo the type's range, as scipy's conversion wraps)."""
    want, bound = chained(x, passes, ours.dtype, cval, with_bound=True)
    if same_bytes(ours, want):
        return
    assert bound is not None and ours.dtype.kind in "iu", "outputs differ where sums are exact"
    signed = np.dtype(f"i{ours.dtype.itemsize}")
    apart = np.abs((np.asarray(ours) - want).view(signed).astype(np.float64))
    differ = apart != 0
    assert np.all(bound[differ] >= 0.5) and np.all(apart[differ] <= bound[differ] + 1), \
        f"integer outputs differ by {apart.max():.3g} beyond the rounding bound"


def same_bytes(a, b):
    """Equal dtype, shape and bytes (bool outputs can hold bytes other than 0 and 1, as
    scipy's do)."""
    a, b = np.ascontiguousarray(a), np.ascontiguousarray(b)
    return a.dtype == b.dtype and a.shape == b.shape and a.tobytes() == b.tobytes()


def output_variants(input_dtype, complex_result=False):
    """`output=` arguments scipy accepts for this input: None, dtypes, types, strings and
    arrays (contiguous, strided, big-endian)."""
    if complex_result or np.dtype(input_dtype).kind == "c":
        return [None, np.complex128, np.dtype(np.complex64), "c16", ArrayOf(np.complex64),
                ArrayOf(np.complex128, strided=True)]
    return [None, np.float64, np.dtype(np.float32), "float64", np.int16, np.dtype(np.uint8),
            "int32", bool, ArrayOf(np.float32), ArrayOf(np.float64, strided=True),
            ArrayOf(np.int16, strided=True), ArrayOf(input_dtype), ArrayOf(">f8")]
