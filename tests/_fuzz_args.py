"""Random arguments for the fuzz test (test_fuzz.py): plausible ones, and hostile ones that are
legal (odd layouts, odd spellings, NaN and inf, byte-swapped, unaligned, subclassed) or bad.

Every draw goes through a `Draw`, which remembers which arguments were drawn bad (an error
must name one of them), which might be refused (their validity depends on another bad
argument), and how to check an `out` afterwards.
"""
import numpy as np

from _layouts import strided_view, unaligned_copy

BAD_DTYPES = [np.float16, np.longdouble, np.clongdouble, object, "U3", "M8[s]"]
INT_DTYPES = [np.int8, np.int16, np.int32, np.int64, np.uint8, np.uint16, np.uint32, np.uint64]
SPECIALS = [np.nan, np.inf, -np.inf]
INTEGER_IMAGES = [np.dtype(t) for t in (np.uint8, np.uint16, np.int16)]  # integer results
LISTABLE = [np.dtype(t) for t in (np.float64, np.complex128, np.bool_)]  # the same as lists


class Sub(np.ndarray):
    """An ndarray subclass, as users pass them (written through, returned as given)."""


class Draw:
    def __init__(self, rng):
        self.rng = rng
        self.bad = set()        # an error must name one of these; success is a failure
        self.maybe = set()      # may be named in an error (validity depends on a bad one)
        self.out_check = None   # called after a successful call: None or a failure message
        self.nonfinite = False  # NaN or inf somewhere in the inputs
        self.infinite = False   # an infinity somewhere in the inputs
        self.integer_out = None  # the dtype of an integer `out` an integer x asked for

    def p(self, prob):
        return self.rng.random() < prob

    def one(self, options):
        return options[int(self.rng.integers(len(options)))]

    def weighted(self, table):
        """A value from {value: weight} or a list of (value, weight) pairs (for values that
        are equal or unhashable: 1 and np.int64(1), arrays)."""
        pairs = list(table.items()) if isinstance(table, dict) else list(table)
        weights = np.array([w for _, w in pairs], float)
        return pairs[int(self.rng.choice(len(pairs), p=weights / weights.sum()))][0]

    def int_in(self, lo, hi):
        return int(self.rng.integers(lo, hi + 1))

    # --- numbers --------------------------------------------------------------------------
    def integer(self, name, lo, hi, bounded=True, sequence_ok=False):
        """An integer argument in [lo, hi]: Python or NumPy integers, 0-d arrays; or a bad one
        (float, bool, one-element array unless a sequence of one is taken, string, None,
        below lo, above hi if `bounded`, huge)."""
        if self.p(0.08):
            self.bad.add(name)
            return self.one([1.0, True, str(lo), None, lo - 1, 2**63, -2**63, 2**64, 1.5,
                             np.float64(lo)] + ([hi + 1] if bounded else [])
                            + ([] if sequence_ok else [np.array([lo])]))
        v = self.int_in(lo, hi)
        return self.weighted([(v, 6), (np.int64(v), 1), (np.int8(v) if -128 <= v < 128 else v, 1),
                              (np.array(v), 1)])

    def threads(self):
        if self.p(0.5):
            return None
        if self.p(0.1):
            self.bad.add("threads")
            return self.one([0, -1, -2**63, 1.5, True, "2", np.array([2])])
        return self.one([1, 2, 3, 7, 64, 10**6, 2**63, 2**64, np.int32(2), np.uint8(3)])

    def constant(self, name, complex_ok):
        """cval (the scipy.ndimage family)."""
        r = self.rng.random()
        if r < 0.05:
            self.bad.add(name)
            return self.one(["1.5", None, [1.0], np.array([1.0]), 10**400, object(), b"1"])
        if r < 0.15:
            v = self.one(SPECIALS)
            self.nonfinite = True
            self.infinite |= bool(np.isinf(v))
            return v
        if r < 0.2:
            if not complex_ok:
                self.bad.add(name)
            return self.one([1 + 2j, np.complex64(0.5 - 1j), -3j])
        return self.one([0.0, 0, 1.5, -2.25, np.float32(3.5), np.int16(-4), np.array(0.5),
                         1e30, -0.0, 2])

    def fillvalue(self, complex_ok):
        """fillvalue (the scipy.signal family): scipy's acceptance rules."""
        r = self.rng.random()
        if r < 0.05:
            self.bad.add("fillvalue")
            return self.one(["abc", [], [1.0, 2.0], np.ones((2, 1)), 10**400, object()]
                            + ([] if complex_ok else [1 + 2j, np.array([1j])]))
        if r < 0.15:
            v = self.one(SPECIALS + [None])
            self.nonfinite = True
            self.infinite |= v is not None and bool(np.isinf(v))
            return v
        if r < 0.2 and complex_ok:
            return self.one([1 + 2j, np.complex64(0.5 - 1j), -3j])
        return self.one([0, 0.0, 1.5, -2, np.float32(2.5), np.array([1.5]), [0.5],
                         np.array([[-1.0]]), "2.5", np.int8(3)])

    # --- names ----------------------------------------------------------------------------
    def spelling(self, name, canonical, aliases, per_axis=False):
        """One of the names, in any case; or a bad spelling (unknown, look-alike unicode,
        padded, empty) or not a string (a list of one too, unless `per_axis` takes it)."""
        r = self.rng.random()
        if r < 0.04:
            self.bad.add(name)
            fullwidth = chr(ord(canonical[0].lower()) + 0xFEE0) + canonical[1:]
            return self.one(["bogus", "", " " + canonical, canonical + " ", fullwidth,
                             canonical * 2, canonical + "\0"])
        if r < 0.07:
            self.bad.add(name)
            return self.one([None, 1, 1.5, canonical.encode()]
                            + ([] if per_axis else [[canonical]]))
        word = self.one(aliases)
        return self.weighted([(word, 4), (word.upper(), 1), (word.title(), 1), (np.str_(word), 1),
                              ("".join(c.upper() if self.p(0.5) else c for c in word), 1)])

    # --- arrays ---------------------------------------------------------------------------
    def shape(self, ndim, zero_ok=True, small=False):
        top = 6 if small else 12
        return tuple(self.weighted({0: 0.5 if zero_ok else 0, 1: 1.5, self.int_in(2, top): 6,
                                    self.int_in(13, 40): 0.0 if small else 0.8})
                     for _ in range(ndim))

    def dtype(self, name, complex_ok=True, kernel=False):
        """A dtype for an array argument: any float or complex precision is accepted for
        kernels (cast to the result's), only float32/float64/complex64/complex128 for data."""
        table = {np.float64: 6, np.float32: 4 if not kernel else 1.5, np.complex128: 1,
                 np.complex64: 0.5, self.one(INT_DTYPES): 1.5, np.bool_: 0.4,
                 self.one(BAD_DTYPES): 0.4}
        dt = np.dtype(self.weighted(table))
        computed = (dt.kind, dt.itemsize) in {("f", 4), ("f", 8), ("c", 8), ("c", 16)}
        if (dt.kind not in "biufc" or (dt.kind == "c" and not complex_ok)
                or (not kernel and dt.kind in "fc" and not computed)):
            self.bad.add(name)
        return dt

    def values(self, shape, dtype, specials=0.25, big=1e20, full_range=True, tiny=None):
        """Random values of `dtype` (NaN / inf sprinkled in at rate `specials`), of magnitude
        up to `big` or, for integers, the dtype's range if `full_range` (small enough that no
        sum overflows: that is another test's matter)."""
        rng, dt = self.rng, np.dtype(dtype)
        n = int(np.prod(shape))
        if dt.kind == "b":
            return rng.random(shape) < 0.5
        if dt.kind in "iu":
            info = np.iinfo(dt)
            wide = full_range and self.p(0.2)
            lo, hi = (int(info.min), int(info.max)) if wide else (-100, 100)
            return rng.integers(max(lo, int(info.min)), min(hi, int(info.max)), shape,
                                dtype=dt.newbyteorder("="), endpoint=True).astype(dt)
        if dt.kind in "OUM":
            return np.ones(shape).astype(dt) if dt.kind != "O" else np.ones(shape, object)
        tiny = tiny or (1e-40 if dt.char in "fF" else 1e-310)  # subnormal
        scale = self.weighted({1.0: 6, 1e-3: 1, 1e3: 1, tiny: 0.5, big: 0.5})
        v = rng.uniform(-scale, scale, shape)
        if dt.kind == "c":
            v = v + 1j * rng.uniform(-scale, scale, shape)
        if self.p(0.2):
            v = np.round(v)
        with np.errstate(over="ignore"):  # float16 holds no 1e20: inf, and refused anyway
            v = v.astype(dt)
        if n and dt.kind in "fc" and self.p(specials):
            for _ in range(self.int_in(1, 3)):
                s = self.one(SPECIALS)
                v.flat[self.int_in(0, n - 1)] = s if dt.kind == "f" or self.p(0.5) else s * 1j
                self.nonfinite = True
                self.infinite |= bool(np.isinf(s))
        return v

    def layout(self, a, readonly_ok=True):
        """`a` (an ndarray) in a hostile but legal layout, or as nested lists."""
        kind = self.weighted({"plain": 8, "fortran": 1, "strided": 2, "broadcast": 0.4,
                              "unaligned": 0.5, "swapped": 0.5, "masked": 0.3, "sub": 0.3,
                              "list": 0.4})
        if kind == "broadcast" and a.ndim and a.shape[0] > 1 and readonly_ok:
            row = np.ascontiguousarray(a[:1])
            a[...] = row  # every row the same: a zero stride can hold it
            return np.broadcast_to(row, a.shape)
        if kind == "fortran":
            return np.asfortranarray(a)
        if kind == "strided" and a.ndim and a.size and a.dtype.kind not in "OUM":
            perm = self.rng.permutation(a.ndim)
            steps = [self.one([1, 2, -1, -3]) for _ in range(a.ndim)]
            return strided_view(a, perm, steps, fill=0)[0]
        if kind == "unaligned" and a.size and a.dtype.itemsize > 1 and a.dtype.kind not in "OUM":
            return unaligned_copy(a)
        if kind == "swapped" and a.dtype.kind not in "OUMb":
            return a.astype(a.dtype.newbyteorder())
        if kind == "masked":
            return np.ma.MaskedArray(a)
        if kind == "sub":
            return a.view(Sub)
        if kind == "list" and 0 < a.size <= 64 and a.dtype.isnative and a.dtype in LISTABLE:
            return a.tolist()
        return a

    def out(self, x, shape, dtype, name="out", integer_ok=False):
        """An `out` for a result of (shape, dtype): None, a good one (fresh, in a guarded
        buffer, strided, unaligned, byte-swapped, a subclass, x itself, overlapping x; of x's
        integer dtype if `integer_ok`), or a bad one (wrong shape or dtype, read-only,
        overlapping itself, not an array)."""
        if dtype is None:  # the result dtype is unknown: x or the kernel is bad
            self.maybe.add(name)
            return self.one([None, np.zeros(shape if shape is not None else 3)])
        kind = self.weighted({None: 8, "guarded": 2, "strided": 1, "unaligned": 0.4,
                              "swapped": 0.4, "masked": 0.3, "sub": 0.3, "x": 0.7,
                              "overlap": 0.5, "shape": 0.3, "dtype": 0.3, "readonly": 0.3,
                              "self": 0.3, "list": 0.2, "integer": 0.8})
        dtype = np.dtype(dtype)
        if kind is None:
            return None
        x_native = _native_dtype(x)  # an integer out is taken in either byte order
        if kind == "integer":  # an integer result for an integer x, in a fresh out
            if not integer_ok or x_native not in INTEGER_IMAGES:
                return None
            dtype = self.integer_out = x_native
        if kind == "x":
            x_arr = x if isinstance(x, np.ndarray) else None
            fits = (x_arr is not None and x_arr.shape == tuple(shape)
                    and x_arr.flags.writeable)
            if integer_ok and x_arr is not None and x_native in INTEGER_IMAGES:
                self.integer_out = x_native  # in place, an integer result (issue 17)
                if not fits:
                    self.bad.add(name)
            elif not (fits and x_arr.dtype in (dtype, dtype.newbyteorder())):
                self.bad.add(name)
            return x
        if kind in ("shape", "dtype", "readonly", "self", "list"):
            self.bad.add(name)
            if kind == "shape":
                return np.zeros(tuple(shape) + (2,), dtype)
            if kind == "dtype":
                return np.zeros(shape, np.complex128 if dtype.kind == "f" else np.float32)
            if kind == "readonly":
                return np.broadcast_to(np.zeros((1,) * len(shape), dtype), shape)
            if kind == "list":
                return np.zeros(shape, dtype).tolist()
            if int(np.prod(shape)) <= 1:  # nothing can overlap: make it bad another way
                return np.zeros(tuple(shape) + (2,), dtype)
            return _self_overlapping(shape, dtype)
        if kind == "overlap" and isinstance(x, np.ndarray) and x.ndim and x.dtype == dtype \
                and x.shape == tuple(shape) and x.flags.writeable and x.shape[-1] > 1:
            return x[..., ::-1]  # the same memory, in another order: C must use a temporary
        if kind == "strided" and len(shape):
            out, base, mask = _guarded_strided(self, shape, dtype)
        elif kind == "unaligned" and dtype.itemsize > 1:
            out, base, mask = _guarded(shape, dtype, offset=1)
        else:
            out, base, mask = _guarded(shape, dtype, offset=0)
        if kind == "swapped":  # the result's dtype in the other byte order, as scipy takes it
            out = out.view(dtype.newbyteorder())
        elif kind == "masked":
            out = np.ma.MaskedArray(out)
        elif kind == "sub":
            out = out.view(Sub)
        before = base.copy()

        def untouched():
            if not np.array_equal(base.view(np.uint8)[~mask], before.view(np.uint8)[~mask]):
                return f"{name} of kind {kind}: bytes outside it were written"
            return None
        self.out_check = untouched
        return out


def _native_dtype(x):
    """x's dtype in the machine's byte order, or None."""
    dtype = getattr(x, "dtype", None)
    return dtype.newbyteorder("=") if isinstance(dtype, np.dtype) else None


def _guarded(shape, dtype, offset):
    """A C-ordered array inside a byte buffer with 64 guard bytes either side (starting
    `offset` bytes past an element boundary), the buffer, and the mask of its bytes."""
    n = int(np.prod(shape)) * dtype.itemsize
    base = np.random.default_rng(n).integers(0, 256, n + 128 + offset, dtype=np.uint8)
    out = base[64 + offset:64 + offset + n].view(dtype).reshape(shape)
    mask = np.zeros(base.size, bool)
    mask[64 + offset:64 + offset + n] = True
    return out, base, mask


def _guarded_strided(d, shape, dtype):
    """A view with gaps, permuted axes and negative steps inside a filled buffer."""
    perm = d.rng.permutation(len(shape))
    steps = [d.one([1, 2, -1, -2]) for _ in shape]
    out, base = strided_view(np.zeros(shape, dtype), perm, steps, fill=0)
    bytes_ = base.view(np.uint8).reshape(-1)
    marker = np.zeros(bytes_.size, np.uint8)
    if out.size:
        np.ndarray(out.shape, np.dtype(("V", dtype.itemsize)), buffer=marker,
                   offset=out.ctypes.data - base.ctypes.data,
                   strides=out.strides)[...] = np.void(b"\x01" * dtype.itemsize)
    bytes_[:] = np.random.default_rng(1).integers(0, 256, bytes_.size, dtype=np.uint8)
    return out, bytes_, marker.astype(bool)


def _self_overlapping(shape, dtype):
    """A writable view whose elements share memory: a zero stride on a long axis."""
    base = np.zeros(max(int(np.prod(shape)), 1) + 8, dtype)
    strides = [dtype.itemsize] * len(shape)
    long_axis = int(np.argmax(shape))
    strides[long_axis] = 0
    return np.lib.stride_tricks.as_strided(base, shape, strides, writeable=True)
