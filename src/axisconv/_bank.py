"""The planning half of on1d.py: how each output row of a 2-D convolution over copies of one
signal becomes a *line* of the C bank (_core.bank -> csrc/bank.c ax_bank -> bank.inc -> the
row kernel of line_kernels.inc), the sum of a few *pieces* -- one 1-D kernel at one place
along the signal -- plus a constant for the rows of fillvalue beyond the 2-D input's top and
bottom.  Equal lines are computed once.
"""
import functools
import math
import threading

import numpy as np

from . import _core
from ._checks import as_input, as_kernel, computed_as_is, result_dtype
from ._complex import via_real
from ._config import check_threads
from ._modes import CONSTANT, extend_index
from ._signal import boundary_code, check_fillvalue, check_size, check_valid, window

FILL = np.iinfo(np.int64).min  # lagged: "this kernel row meets a row of fillvalue"


def ieee(function):
    """Decorator: NaN and inf in x, the kernel or fillvalue propagate through the planning
    arithmetic silently, as they do through the C core (no RuntimeWarning).  On the planners,
    not on calls that find their plan made: entering np.errstate costs a microsecond."""
    @functools.wraps(function)
    def quiet(*args, **kwargs):
        with np.errstate(invalid="ignore", over="ignore"):
            return function(*args, **kwargs)
    return quiet


class Call:
    """The checked arguments common to every on1d function (before any C code runs).
    Call.checked makes one; calls of plain arguments seen before copy it from a template."""

    def __init__(self, x, kernel, mode, boundary, fillvalue, threads):
        x = as_input(x)
        if x.ndim < 1:
            raise ValueError("x must have at least one dimension: (..., N)")
        k = as_kernel(kernel, ndim=2)
        self.size = check_size(mode)
        self.hmode, zeros = boundary_code(boundary)
        self.dtype = result_dtype(x, k.dtype.kind == "c")
        self.cval = check_fillvalue(fillvalue, self.dtype)  # checked even for zeros
        read = self.hmode == CONSTANT and not zeros and self.size != "valid"
        self.cval = self.cval if read else 0.0  # what is never read is no complex part of x
        self.threads = None if threads is None else check_threads(threads)  # as given
        self.x, self.k, self.kf = x, k, k[::-1, ::-1]  # kf: convolution as correlation
        self.batch, self.N = x.shape[:-1], x.shape[-1]
        self.was_swapped = False
        self.plan_key = None if k.nbytes > _PLAN_KERNEL_KEPT else (  # see planned
            k.tobytes(), k.shape, k.dtype.char, self.size, self.hmode, self.batch, self.N,
            self.dtype.char)  # the result's dtype: windows() checked the result's bytes

    @classmethod
    def checked(cls, x, kernel, mode, boundary, fillvalue, threads):
        """Call(x, kernel, ...), copied from the template of an earlier call with the same
        kernel (its bytes), the same shape and dtype of x and the same options when they are
        plain (ndarrays of float32/float64 x, strings, a number, an int): the checks then
        cost a dictionary look-up, not the microseconds that matter to calls on signals of
        10^5 samples (benchmarks/RESULTS_on1d.md)."""
        key = _template_key(x, kernel, mode, boundary, fillvalue, threads)
        if key is None:
            return cls(x, kernel, mode, boundary, fillvalue, threads)
        template = _TEMPLATES.get(key)
        if template is None:  # the template owns a copy: the caller may change the kernel
            template = cls(x, kernel.copy(), mode, boundary, fillvalue, threads)
            template.x = None
            remember(_TEMPLATES, key, template)
        c = cls.__new__(cls)
        c.__dict__.update(template.__dict__)
        c.x = x
        return c

    def columns(self, kw, swap=None):
        """(first column, columns) of the output in 'full' coordinates, for kernel rows of kw
        taps (a signal of at least one sample).  A 'valid' output with the kernel the larger
        (`swap`; by default, kw > N) drops the boundary (see swapped)."""
        if self.size == "valid" and (self.N < kw if swap is None else swap):
            self.swapped()
        start, M = window(self.size, self.N, kw)
        return start, M

    def windows(self, H):
        """(first row, rows), (first column, columns) of the output in 'full' coordinates,
        for an input of H rows of the signal."""
        kh, kw = self.k.shape
        larger = check_valid(self.size, (H, self.N), (kh, kw))
        rows, columns = window(self.size, H, kh), self.columns(kw, swap=not larger)
        elements = math.prod(self.batch) * rows[1] * columns[1]
        if elements * np.dtype(self.dtype).itemsize >= 2**62 or H >= 2**62:  # rows planned
            raise ValueError(f"rows={H:.3g} asks for a result of {elements:.3g} elements, more "
                             "than memory can hold")
        return rows, columns

    def swapped(self):
        """A 'valid' output with the kernel larger than the input: scipy slides the input
        over the kernel, so only the input's own samples are used (the boundary never)."""
        self.hmode, self.cval, self.was_swapped = CONSTANT, 0.0, True

    def sources(self, r0, R, H):
        """For output rows r0 .. r0+R-1 and rows a of kf: the row of the input that a meets
        there, or -1 for a row of fillvalue -- an (R, kh) array."""
        kh = self.k.shape[0]
        i = np.arange(r0, r0 + R)[:, None] - (kh - 1) + np.arange(kh)[None, :]
        return extend_index(i, H, self.hmode)


class Bank:
    """The lines of one call to the C bank.  A line is a list of pieces (kernel, first):
    ``line[j] = sum_pieces sum_t kernel[t] * x_ext[first + j + t]``, plus fillvalue times
    `fill_sum`, the taps that met rows of fillvalue (None when it meets none: then not even
    a NaN fillvalue touches it)."""

    def __init__(self):
        self.lines = []
        self.arrays = {}  # kpart -> the lines as the C bank takes them (see compiled)

    def line(self, pieces, fill_sum=None):
        self.lines.append((pieces, fill_sum))

    def run(self, c, R, M, row_line, row_shift, mode, pad, combine=_core.COMBINE_ROWS,
            out=None):
        """The lines into a new (..., R, M) array or into `out` (a view with a contiguous
        last axis): row r is line row_line[r] shifted by row_shift[r] (both contiguous int64
        vectors, as _core.bank takes them).  x is extended by `mode` with the constant `pad`;
        the lines' constants are fillvalue times their fill_sum.  Complex values as real
        calls (_complex.via_real)."""
        if out is None:
            out = np.empty(c.batch + (R, M), c.dtype)
        if out.size == 0:
            return out
        if out.dtype.kind != "c":  # real: one call, straight into out
            self.real(c.x, np.real, float(pad), float(c.cval), out, row_line, row_shift, mode,
                      combine, c.threads)
            return out

        def part(xpart, kpart, into):
            """The bank writes rows with a contiguous last axis: strided parts go through a
            temporary."""
            o = into if into is not None and into.strides[-1] == into.itemsize else None
            o = np.empty(out.shape, out.real.dtype) if o is None else o
            self.real(xpart(c.x), kpart, float(xpart(pad)), float(xpart(c.cval)), o,
                      row_line, row_shift, mode, combine, c.threads)
            if into is not None and into is not o:
                into[...] = o
            return o

        kc = any(np.iscomplexobj(k) for pieces, _ in self.lines for k, _ in pieces)
        return via_real(part, out, c.x.dtype.kind == "c", kc, c.cval)

    def real(self, x, kpart, pad, fillvalue, out, row_line, row_shift, mode, combine, threads):
        """One call of the C bank on real values; kpart (np.real or np.imag) picks the part
        of the kernels."""
        taps, pieces, fill_sums, meets_fill = self.compiled(kpart)
        bias = fill_sums
        if meets_fill is not None:
            with np.errstate(invalid="ignore", over="ignore"):  # inf fillvalue x 0 taps
                bias = np.where(meets_fill, fillvalue * fill_sums, 0.0)
        _core.bank(x, out, taps, pieces, bias, row_line, row_shift, combine, mode, pad,
                   check_threads(threads))

    def compiled(self, kpart):
        """(taps, pieces, fill_sums, meets_fill) for kpart of the kernels, built once: the taps
        of all pieces one after the other, each piece's (first tap, taps, first, line), each
        line's fill_sum (0 for None) and whether it has one (None when no line has: the
        constants are all 0)."""
        got = self.arrays.get(kpart)
        if got is not None:
            return got
        taps, pieces, fill_sums = [], [], []
        at = 0
        for q, (line, fill_sum) in enumerate(self.lines):
            for k, first in line:
                k = kpart(k)
                taps.append(k)
                pieces.append((at, k.size, first, q))
                at += k.size
            fill_sums.append(0.0 if fill_sum is None else kpart(fill_sum))
        meets_fill = np.array([fill_sum is not None for _, fill_sum in self.lines])
        got = (np.ascontiguousarray(np.concatenate(taps) if taps else np.zeros(1), np.float64),
               np.array(pieces, np.int64).reshape(-1, 4), np.array(fill_sums, np.float64),
               meets_fill if meets_fill.any() else None)
        self.arrays[kpart] = got
        return got


class Plan:
    """A planned call of the C bank: its lines, the output's rows and columns, which line each
    row shows, the boundary mode and whether the boundary is dropped (Call.swapped).  Calls
    that repeat a kernel, shapes and options -- a pipeline's -- find it made (planned)."""

    def __init__(self, c, bank, R, M, row_line, combine=_core.COMBINE_ROWS):
        self.bank, self.R, self.M, self.combine = bank, R, M, combine
        self.row_line = np.ascontiguousarray([0] if row_line is None else row_line, np.int64)
        self.row_shift = np.zeros(self.row_line.size, np.int64)
        self.mode, self.swapped = c.hmode, c.was_swapped

    def run(self, c):
        """The plan's output for the call c (of the same kernel, shapes and options)."""
        if self.swapped:
            c.swapped()
        return self.bank.run(c, self.R, self.M, self.row_line, self.row_shift, self.mode,
                             c.cval, self.combine)


# Both caches drop their oldest entry first, not the least recently used: a hit writes nothing.
_PLANS = {}                 # (maker, kernel, shapes, options) -> Plan
_TEMPLATES = {}             # plain arguments of a call -> its Call (no x)
_KEPT = 64                  # entries of each
_PLAN_ROWS_KEPT = 4096      # plans with more rows (per-row arrays) are made afresh, and so
_PLAN_KERNEL_KEPT = 1 << 16  # are plans of kernels of more bytes: the key holds a copy
_CACHES_LOCK = threading.Lock()


def _template_key(x, kernel, mode, boundary, fillvalue, threads):
    """The key of Call.checked's templates, or None for arguments checked every call: x that
    as_input would convert, a kernel that is not an ndarray or whose float64 or complex128
    copy would pass _PLAN_KERNEL_KEPT, options of other types than the plain ones, a NaN
    fillvalue (one of its kind would find no template: NaN != NaN).  The sign keeps -0.0 apart
    from 0.0, and 0 for an int apart from floats."""
    if not (computed_as_is(x) and type(kernel) is np.ndarray
            and kernel.size * (16 if kernel.dtype.kind == "c" else 8) <= _PLAN_KERNEL_KEPT
            and type(mode) is str and type(boundary) is str
            and type(fillvalue) in (int, float) and fillvalue == fillvalue
            and (threads is None or type(threads) is int)):
        return None
    sign = math.copysign(1.0, fillvalue) if type(fillvalue) is float else 0
    return (x.dtype.itemsize, x.shape, kernel.dtype, kernel.shape, kernel.tobytes(), mode,
            boundary, fillvalue, sign, threads)


def planned(make, c, *args):
    """make(c, *args), a Plan, remembered for the call's kernel (its bytes), shapes, result
    dtype and options: planning costs tens of microseconds of Python, as much as filtering a
    signal of 10^5 samples (benchmarks/RESULTS_on1d.md)."""
    if c.plan_key is None:
        return make(c, *args)
    key = (make, c.plan_key, args)
    plan = _PLANS.get(key)
    if plan is None:
        plan = make(c, *args)
        if plan.R <= _PLAN_ROWS_KEPT:
            remember(_PLANS, key, plan)
    return plan


def remember(cache, key, value):
    """cache[key] = value, dropping the oldest entries beyond _KEPT.  Readers look up without
    the lock (a dict look-up is atomic): a lock costs as much as the look-up."""
    with _CACHES_LOCK:
        cache[key] = value
        while len(cache) > _KEPT:
            del cache[next(iter(cache))]


def distinct_rows(a):
    """(the distinct rows of a 2-D array, for each row the index of its own): np.unique's
    (axis=0, return_inverse=True), by hashing the rows' bytes when there are few of them
    (np.unique with an axis costs tens of microseconds, more than a short call's filtering)."""
    if len(a) > 64:
        return np.unique(a, axis=0, return_inverse=True)
    first, inverse = {}, np.empty(len(a), np.int64)
    for i, row in enumerate(a):
        inverse[i] = first.setdefault(row.tobytes(), len(first))
    rows = np.empty((len(first),) + a.shape[1:], a.dtype)
    for i, q in enumerate(inverse):
        rows[q] = a[i]
    return rows, inverse


# --- copies of the signal: single_row, replicated --------------------------------------

@ieee
def copies(c, H):
    """The Plan of convolve2d of H copies of x: output row i is x correlated with the sum of
    the rows of kf that meet input rows there (all of them unless `boundary` is 'fill'), plus
    fillvalue times the taps of the others.  Rows with the same set of rows are one line."""
    (r0, R), (c0, M) = c.windows(H)
    meets = c.sources(r0, R, H) >= 0
    sets, row_line = distinct_rows(meets)
    bank = Bank()
    first = c0 - (c.k.shape[1] - 1)
    for s in sets:
        bank.line([(c.kf[s].sum(0), first)] if s.any() else [],
                  c.kf[~s].sum() if not s.all() else None)
    return Plan(c, bank, R, M, row_line)


# --- lagged copies -------------------------------------------------------------------------

def lagged(c, H, lag):
    """convolve2d of lag_matrix(x, H, lag), planned once for its kernel, shapes and options
    (LagPlan)."""
    return planned(LagPlan, c, H, lag).run(c)


class LagPlan:
    """convolve2d of lag_matrix(x, H, lag).  Away from its left and right edges, row rho of
    the lag matrix is x shifted by rho * lag with zeros beyond x, so an output row there is a
    sum of shifted correlations of x, zero-extended; rows that meet the same lag-matrix rows
    up to a common offset d (all rows away from the top and bottom) are one line, shifted
    by d * lag.  The kw - 1 columns at each end, where `boundary` extends the lag matrix's
    rows, come from a small slab of it (LagEdge).  Everything but x and fillvalue is planned
    here, once for the calls that repeat it."""

    @ieee
    def __init__(self, c, H, lag):
        kw = c.k.shape[1]
        (r0, R), (c0, M) = c.windows(H)
        self.R, self.M, self.c0, self.swapped = R, M, c0, c.was_swapped
        self.interior, self.edges = None, []
        a, b = max(c0, kw - 1), min(c0 + M, c.N)   # interior columns, 'full' coordinates
        if b > a and R:
            i = np.arange(r0, r0 + R)[:, None]
            rho = c.sources(r0, R, H)
            rel = np.where(rho >= 0, rho - i, FILL)
            keys, row_line = distinct_rows(rel)
            shift = -i.ravel() * lag
            bank = Bank()
            for q, key in enumerate(keys):
                s = shift[row_line.ravel() == q]
                fill = key == FILL
                bank.line(_shifted_pieces(c, key, lag, a, s.min(), s.max() + b - a),
                          c.kf[fill].sum() if fill.any() else None)
            self.interior = (bank, np.ascontiguousarray(row_line, np.int64).reshape(-1),
                             np.ascontiguousarray(shift, np.int64), a, b)
        for j0, j1 in ((0, kw - 1), (max(c.N, kw - 1), c.N + kw - 1)):
            j0, j1 = max(j0, c0), min(j1, c0 + M)
            if j1 > j0 and R:
                self.edges.append(LagEdge(c, H, lag, r0, R, j0, j1))

    def run(self, c):
        if self.swapped:
            c.swapped()
        out = np.empty(c.batch + (self.R, self.M), c.dtype)
        if out.size == 0:
            return out
        if self.interior is not None:
            bank, row_line, shift, a, b = self.interior
            bank.run(c, self.R, b - a, row_line, shift, CONSTANT, 0.0,
                     out=out[..., a - self.c0:b - self.c0])
        for edge in self.edges:
            out[..., edge.j0 - self.c0:edge.j1 - self.c0] = edge.correlate(c)
        return out


def _shifted_pieces(c, rel, lag, a, lo, hi):
    """The pieces of a line whose kernel rows meet lag-matrix rows at offsets `rel` (or rows
    of fillvalue), over the line's outputs [lo, hi) for output column a: x is zero beyond its
    ends, so pieces that never reach x are dropped -- unless they hold NaN or inf, which the
    reference multiplies by those zeros (NaN).  Pieces that overlap or touch are merged into
    one kernel -- fewer passes, and every sample under it still meets a tap of the kernel, as
    in the reference."""
    kw = c.k.shape[1]
    firsts = {}
    for r, row in zip(rel, c.kf):
        if r == FILL:
            continue
        first = a - (kw - 1) - int(r) * lag
        if first + lo <= c.N - 1 and first + hi + kw - 2 >= 0 or not np.isfinite(row).all():
            firsts[first] = firsts[first] + row if first in firsts else row
    pieces, run = [], []
    for first in sorted(firsts):
        if run and first > run[-1] + kw:      # a gap: close the run of touching pieces
            pieces.append(_merge(run, firsts, kw))
            run = []
        run.append(first)
    if run:
        pieces.append(_merge(run, firsts, kw))
    return pieces


def _merge(run, firsts, kw):
    kernel = np.zeros(run[-1] - run[0] + kw, np.result_type(*firsts.values()))
    for first in run:
        kernel[first - run[0]:first - run[0] + kw] += firsts[first]
    return kernel, run[0]


class LagEdge:
    """Output rows [r0, r0 + R) and columns [j0, j1) computed directly from the slab of the
    extended lag matrix under them (R + kh - 1 rows, j1 - j0 + kw - 1 columns): where each
    slab sample comes from is planned, the slab is gathered per call and each output's
    kh x kw window of it (a strided view) summed with the kernel; complex values as real sums
    of their parts, as everywhere (_complex.via_real)."""

    def __init__(self, c, H, lag, r0, R, j0, j1):
        kh, kw = c.k.shape
        rho = extend_index(np.arange(r0 - (kh - 1), r0 + R), H, c.hmode)[:, None]
        tau = extend_index(np.arange(j0 - (kw - 1), j1), c.N, c.hmode)[None, :]
        src = tau - rho * lag
        self.outside = ~((rho >= 0) & (tau >= 0))
        self.hit = ~self.outside & (src >= 0) & (src < c.N)
        self.src = np.clip(src, 0, c.N - 1)
        self.window_shape = (R, j1 - j0, kh, kw)  # output (r, j): slab[r:r + kh, j:j + kw]
        self.R, self.j0, self.j1 = R, j0, j1

    def correlate(self, c):
        out = np.empty(c.batch + (self.R, self.j1 - self.j0), c.dtype)
        real = out.real.dtype

        def part(xpart, kpart, into):
            fill = np.where(self.outside, xpart(c.cval), 0)
            slab = np.where(self.hit, xpart(c.x)[..., self.src], fill).astype(real, order="C")
            sr, sc = slab.strides[-2:]
            windows = np.ndarray(slab.shape[:-2] + self.window_shape, real, slab, 0,
                                 slab.strides[:-2] + (sr, sc, sr, sc))
            return np.einsum("...rjab,ab->...rj", windows, kpart(c.kf).astype(real), out=into)

        return via_real(part, out, c.x.dtype.kind == "c", np.iscomplexobj(c.kf), c.cval)
