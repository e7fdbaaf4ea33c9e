"""A 2-D kernel over a 1-D signal, in the scipy.signal.convolve2d convention (SPEC §5).

Row i of ``convolve2d(X, kernel)`` is a sum of 1-D correlations of the rows of X (extended by
`boundary`) with the rows of the flipped kernel.  When X is made of one signal x -- a single
row, copies of it, lagged copies -- those are correlations of x itself, so x is read and the
2-D X is never built: each output row is a *line* of the C bank (csrc/bank.c), the sum of a
few *pieces* (one 1-D kernel at one place along x), plus a constant for the rows of fillvalue
beyond X's top and bottom.  Equal lines are computed once.
"""
import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from . import _core
from ._checks import as_input, as_kernel, check_cval, check_int, refuse_lazy, result_dtype
from ._config import check_threads
from ._docs import fill
from ._modes import CONSTANT, extend_index, mode_code

__all__ = ["single_row", "replicated", "lag_matrix", "lagged", "filter_bank"]

_SIZES = ("full", "same", "valid")
_COMBINES = ("stack", "concat", "sum", "mean", "max")
_ROWS, _MAX = 0, 1  # ax_combine
_FILL = np.iinfo(np.int64).min  # lagged: "this kernel row meets a row of fillvalue"


def single_row(x, kernel, mode="full", boundary="fill", fillvalue=0, *, threads=None):
    c = _Call(x, kernel, mode, boundary, fillvalue, threads)
    return _copies(c, 1)


def replicated(x, kernel, rows, mode="full", boundary="fill", fillvalue=0, *, threads=None):
    rows = check_int(rows, "rows", minimum=1)
    c = _Call(x, kernel, mode, boundary, fillvalue, threads)
    return _copies(c, rows)


def lagged(x, kernel, rows, lag=1, mode="full", boundary="fill", fillvalue=0, *, threads=None):
    rows = check_int(rows, "rows", minimum=1)
    lag = check_int(lag, "lag")
    c = _Call(x, kernel, mode, boundary, fillvalue, threads)
    if lag == 0:
        return _copies(c, rows)
    # Any |lag| >= N leaves rows 1.. all zeros; clipping keeps every index within int64.
    return _lagged(c, rows, max(-c.N, min(lag, c.N)) or 1)


def filter_bank(x, kernel, mode="full", boundary="fill", fillvalue=0, combine="stack", *,
                threads=None):
    c = _Call(x, kernel, mode, boundary, fillvalue, threads)
    combine = _check_combine(combine, c.dtype)
    kh, kw = c.k.shape
    start, M = c.columns(kw)
    k = c.k[:, ::-1]               # row i convolves: it correlates with row i reversed
    first = start - (kw - 1)
    bank = _Bank()
    if combine in ("sum", "mean"):  # convolution is linear: fold the bank into one kernel
        bank.line([(k.sum(0) if combine == "sum" else k.mean(0), first)])
        out = bank.run(c, 1, M, [0], c.hmode, c.cval)
        return out[..., 0, :]
    for i in range(kh):
        bank.line([(k[i], first)])
    if combine == "max":
        return bank.run(c, 1, M, None, c.hmode, c.cval, _MAX)[..., 0, :]
    out = bank.run(c, kh, M, np.arange(kh), c.hmode, c.cval)
    return out if combine == "stack" else out.reshape(c.batch + (kh * M,))


def lag_matrix(x, rows, lag=1):
    refuse_lazy(x, "x")
    x = np.asarray(x)
    if x.ndim < 1:
        raise ValueError("x must have at least one dimension: (..., N)")
    rows = check_int(rows, "rows", minimum=1)
    lag = check_int(lag, "lag")
    N = x.shape[-1]
    m = np.zeros(x.shape[:-1] + (rows, N), x.dtype)
    for r in range(rows):
        s = r * lag
        if 0 <= s < N:
            m[..., r, s:] = x[..., :N - s]
        elif 0 < -s < N:
            m[..., r, :N + s] = x[..., -s:]
    return m


# --- the shared machinery ---------------------------------------------------------------

class _Call:
    """The checked arguments common to every function (SPEC §7: before any C code runs)."""

    def __init__(self, x, kernel, mode, boundary, fillvalue, threads):
        x = as_input(x)
        if x.ndim < 1:
            raise ValueError("x must have at least one dimension: (..., N)")
        k = as_kernel(kernel, ndim=2)
        self.size = _check_size(mode)
        self.hmode, zeros = mode_code(boundary, name="boundary")
        self.cval = check_cval(0 if zeros else fillvalue, x, name="fillvalue")
        self.threads = check_threads(threads)
        self.dtype = result_dtype(x, k.dtype.kind == "c")
        self.x, self.k, self.kf = x, k, k[::-1, ::-1]  # kf: convolution as correlation
        self.batch, self.N = x.shape[:-1], x.shape[-1]

    def columns(self, kw, swap=None):
        """(first column, columns) of the output in 'full' coordinates, for kernel rows of kw
        taps; an empty signal gives no columns.  A 'valid' output with the kernel the larger
        (`swap`; by default, kw > N) drops the boundary (see _swapped)."""
        if self.size == "valid" and (self.N < kw if swap is None else swap):
            self._swapped()
        start, M = _window(self.N, kw, self.size)
        return start, M if self.N else 0

    def windows(self, H):
        """(first row, rows), (first column, columns) of the output in 'full' coordinates,
        for an input of H rows of the signal."""
        kh, kw = self.k.shape
        larger = H >= kh and self.N >= kw
        if self.size == "valid" and not (larger or H <= kh and self.N <= kw):
            raise ValueError(
                f"mode='valid' needs the input ({H} x {self.N} per signal) to be at least as "
                f"large as the kernel ({kh} x {kw}) in every dimension, or the kernel at "
                "least as large as the input (as scipy.signal.convolve2d)")
        return _window(H, kh, self.size), self.columns(kw, swap=not larger)

    def _swapped(self):
        """A 'valid' output with the kernel larger than the input: scipy slides the input
        over the kernel, so only the input's own samples are used, as if extended by 0."""
        self.hmode, self.cval = CONSTANT, 0 * self.cval

    def sources(self, r0, R, H):
        """For output rows r0 .. r0+R-1 and rows a of kf: the row of the input that a meets
        there, or -1 for a row of fillvalue -- an (R, kh) array."""
        kh = self.k.shape[0]
        i = np.arange(r0, r0 + R)[:, None] - (kh - 1) + np.arange(kh)[None, :]
        return extend_index(i, H, self.hmode)


def _window(n, k, size):
    """(start, length) of the output along one axis, in 'full' coordinates (scipy's rules)."""
    if size == "full":
        return 0, n + k - 1
    if size == "same":
        return (k - 1) // 2, n
    return min(n, k) - 1, abs(n - k) + 1


def _check_size(mode):
    if type(mode) is str and mode in _SIZES:
        return mode
    if not isinstance(mode, str):
        raise TypeError(f"mode must be a string, got {type(mode).__name__}")
    if mode.lower() not in _SIZES:
        raise ValueError(f"mode={mode!r} is not an output size; valid: 'full', 'same', 'valid' "
                         "(the boundary is set by `boundary`)")
    return mode.lower()


def _check_combine(combine, dtype):
    if not isinstance(combine, str):
        raise TypeError(f"combine must be a string, got {type(combine).__name__}")
    if combine.lower() not in _COMBINES:
        raise ValueError(f"combine={combine!r} is unknown; valid: {', '.join(_COMBINES)}")
    if combine.lower() == "max" and np.dtype(dtype).kind == "c":
        raise TypeError("combine='max' needs real values; x or kernel is complex")
    return combine.lower()


class _Bank:
    """The lines of one call to the C bank.  A line is a list of pieces (kernel, first):
    ``line[j] = sum_pieces sum_t kernel[t] * x_ext[first + j + t]``, plus fillvalue times
    `fill_sum` (the taps that met rows of fillvalue)."""

    def __init__(self):
        self.lines = []

    def line(self, pieces, fill_sum=0.0):
        self.lines.append((pieces, fill_sum))

    def run(self, c, R, M, row_line, mode, pad, combine=_ROWS, out=None, row_shift=None):
        """The lines into a new (..., R, M) array or into `out` (a view with a contiguous
        last axis): row r is line row_line[r] shifted by row_shift[r] (default 0).  x is
        extended by `mode` with the constant `pad`; the lines' constants are fillvalue times
        their fill_sum.  Complex values are computed as real calls (as filters.py does)."""
        if out is None:
            out = np.empty(c.batch + (R, M), c.dtype)
        if out.size == 0:
            return out
        row_line = np.ascontiguousarray([0] if row_line is None else row_line, np.int64)
        shift = np.zeros(row_line.size, np.int64) if row_shift is None else row_shift
        shift = np.ascontiguousarray(shift, np.int64).reshape(-1)

        def part(xpart, kpart, o=None):
            """x's part (and pad's and fillvalue's) times the kernels' part."""
            o = np.empty(out.shape, out.real.dtype) if o is None else o
            self._real(xpart(c.x), kpart, float(xpart(pad)), float(xpart(c.cval)), o,
                       row_line.reshape(-1), shift, mode, combine, c.threads)
            return o

        re, im = np.real, np.imag
        kc = any(np.iscomplexobj(k) for pieces, _ in self.lines for k, _ in pieces)
        if out.dtype.kind != "c":
            part(re, re, out)
        elif c.x.dtype.kind != "c":
            out.real, out.imag = part(re, re), part(re, im)
        elif not kc:
            out.real, out.imag = part(re, re), part(im, re)
        else:                                  # (a + ib)(k + il) = ak - bl + i(al + bk)
            a, b = part(re, re), part(im, im)
            a -= b
            out.real = a
            a, b = part(re, im, a), part(im, re, b)
            a += b
            out.imag = a
        return out

    def _real(self, x, kpart, pad, fillvalue, out, row_line, row_shift, mode, combine, threads):
        """One call of the C bank on real values; kpart (np.real or np.imag) picks the part
        of the kernels."""
        taps, pieces, bias = [], [], []
        at = 0
        for q, (line, fill_sum) in enumerate(self.lines):
            for k, first in line:
                k = kpart(k)
                taps.append(k)
                pieces.append((at, k.size, first, q))
                at += k.size
            bias.append(fillvalue * kpart(fill_sum))
        taps = np.concatenate(taps) if taps else np.zeros(1)
        pieces = np.array(pieces, np.int64).reshape(-1, 4)
        _core.bank(x, out, np.ascontiguousarray(taps, np.float64), pieces,
                   np.array(bias, np.float64), row_line, row_shift, combine, mode, pad, threads)


# --- copies of the signal: single_row, replicated --------------------------------------

def _copies(c, H):
    """convolve2d of H copies of x: output row i is x correlated with the sum of the rows of
    kf that meet input rows there (all of them unless `boundary` is 'fill'), plus fillvalue
    times the taps of the others.  Rows with the same set of rows are one line."""
    (r0, R), (c0, M) = c.windows(H)
    meets = c.sources(r0, R, H) >= 0
    sets, row_line = np.unique(meets, axis=0, return_inverse=True)
    bank = _Bank()
    first = c0 - (c.k.shape[1] - 1)
    for s in sets:
        bank.line([(c.kf[s].sum(0), first)] if s.any() else [], c.kf[~s].sum())
    return bank.run(c, R, M, row_line, c.hmode, c.cval)


# --- lagged copies -------------------------------------------------------------------------

def _lagged(c, H, lag):
    """convolve2d of lag_matrix(x, H, lag).  Away from its left and right edges, row rho of
    the lag matrix is x shifted by rho * lag with zeros beyond x, so an output row there is a
    sum of shifted correlations of x, zero-extended; rows that meet the same lag-matrix rows
    up to a common offset d (all rows away from the top and bottom) are one line, shifted
    by d * lag.  The kw - 1 columns at each end, where `boundary` extends the lag matrix's
    rows, come from a small slab of it."""
    kh, kw = c.k.shape
    (r0, R), (c0, M) = c.windows(H)
    out = np.empty(c.batch + (R, M), c.dtype)
    if out.size == 0:
        return out
    a, b = max(c0, kw - 1), min(c0 + M, c.N)   # interior columns, 'full' coordinates
    if b > a:
        i = np.arange(r0, r0 + R)[:, None]
        rho = c.sources(r0, R, H)
        rel = np.where(rho >= 0, rho - i, _FILL)
        keys, row_line = np.unique(rel, axis=0, return_inverse=True)
        shift = -i.ravel() * lag
        bank = _Bank()
        for q, key in enumerate(keys):
            s = shift[row_line.ravel() == q]
            bank.line(_shifted_pieces(c, key, lag, a, s.min(), s.max() + b - a),
                      c.kf[key == _FILL].sum())
        bank.run(c, R, b - a, row_line, CONSTANT, 0.0, out=out[..., a - c0:b - c0],
                 row_shift=shift)
    for j0, j1 in ((0, kw - 1), (max(c.N, kw - 1), c.N + kw - 1)):
        j0, j1 = max(j0, c0), min(j1, c0 + M)
        if j1 > j0:
            out[..., j0 - c0:j1 - c0] = _lag_slab_correlation(c, H, lag, r0, R, j0, j1)
    return out


def _shifted_pieces(c, rel, lag, a, lo, hi):
    """The pieces of a line whose kernel rows meet lag-matrix rows at offsets `rel` (or rows
    of fillvalue), over the line's outputs [lo, hi) for output column a: x is zero beyond its
    ends, so pieces that never reach x are dropped.  Pieces that overlap or touch are merged
    into one kernel -- fewer passes, and every sample under it still meets a tap of the
    kernel, as in the reference."""
    kw = c.k.shape[1]
    firsts = {}
    for r, row in zip(rel, c.kf):
        first = a - (kw - 1) - int(r) * lag
        if r != _FILL and first + lo <= c.N - 1 and first + hi + kw - 2 >= 0:
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


def _lag_slab_correlation(c, H, lag, r0, R, j0, j1):
    """Output rows [r0, r0 + R) and columns [j0, j1) computed directly from the slab of the
    extended lag matrix under them (R + kh - 1 rows, j1 - j0 + kw - 1 columns)."""
    kh, kw = c.k.shape
    rho = extend_index(np.arange(r0 - (kh - 1), r0 + R), H, c.hmode)[:, None]
    tau = extend_index(np.arange(j0 - (kw - 1), j1), c.N, c.hmode)[None, :]
    src = tau - rho * lag
    inside = (rho >= 0) & (tau >= 0)
    hit = inside & (src >= 0) & (src < c.N)
    slab = np.where(hit, c.x[..., np.clip(src, 0, c.N - 1)], 0).astype(c.dtype)
    slab[..., ~inside] = c.cval
    k = c.kf.astype(c.dtype)
    acc = np.zeros(c.batch + (R, j1 - j0), c.dtype)
    for i in range(kh):
        acc += sliding_window_view(slab[..., i:i + R, :], kw, axis=-1) @ k[i]
    return acc


# --- docstrings ---------------------------------------------------------------------------

_COMMON = """

    Parameters
    ----------
    x : array_like
        The signal, shape (..., N); leading axes are a batch of signals.  float32 is computed
        in float32, float64 in float64; bool and integers give float64; complex x or kernel
        gives a complex result.
    kernel : array_like
        2-D, non-empty, (kh, kw).  Convolution, as scipy.signal.convolve2d: the kernel is
        flipped along both axes (and not conjugated).{extra}
    {SIZE}
    {BOUNDARY}{extra2}
    {THREADS}

    Returns
    -------
    out : ndarray
        {returns}

    Notes
    -----
    {notes}

    The 2-D input is never built: besides the result, a call takes O(threads x N) scratch
    (in fact a few segments of 8192 samples per thread){memory}.  Complex values are
    computed as real calls, with up to three real arrays of the result's size as
    temporaries.  Taps of kernel rows that meet the same samples are summed before
    multiplying, so where x holds infinities a result may be +-inf where the reference's
    inf - inf gives NaN.

    Examples
    --------
    >>> import numpy as np
    >>> from axisconv import on1d
"""

_ROWS_DOC = "\n    rows : int\n        Rows of the 2-D input (>= 1)."


def _doc(summary, equals, returns, notes, example, extra="", extra2="", memory=""):
    text = (summary + "\n\n    " + equals + ", where convolve2d\n    is "
            "scipy.signal.convolve2d with the same mode, boundary and fillvalue.")
    return fill(text + _COMMON.format(extra=extra, extra2=extra2, returns=returns, notes=notes,
                                      memory=memory, SIZE="{SIZE}", BOUNDARY="{BOUNDARY}",
                                      THREADS="{THREADS}")
                + example)


_ROWS_OUT = ("(..., R, N') with R, N' per `mode` (for 'full', R = {R} and\n"
             "        N' = N + kw - 1).  A signal of length 0 gives N' = 0.")

single_row.__doc__ = _doc(
    "Convolve a 1-D signal, taken as a single row, with a 2-D kernel.",
    "Equals ``convolve2d(x[None, :], kernel)``",
    returns=_ROWS_OUT.format(R="kh"),
    notes="""Output row i is x correlated with the sum of the kernel rows that meet the signal's row
    there: with 'symm' or 'wrap' every row does (the row's reflections are the row itself), so
    all output rows are one correlation, computed once and copied; with 'fill' the rows of
    fillvalue add a constant.""",
    example="""    >>> on1d.single_row([1., 2., 3.], [[1., 1.], [1., -1.]], mode="same", boundary="symm")
    array([[2., 4., 6.]])
""")

replicated.__doc__ = _doc(
    "Convolve a 2-D kernel with `rows` copies of a 1-D signal, one per row.",
    "Equals ``convolve2d(np.tile(x, (rows, 1)), kernel)``",
    extra=_ROWS_DOC,
    returns=_ROWS_OUT.format(R="rows + kh - 1"),
    notes="""Rows away from the top and bottom edges are identical: each distinct output row is one
    1-D correlation of x with a column sum of the kernel (plus a constant for rows of
    fillvalue), computed once and copied to the rows that show it.""",
    example="""    >>> on1d.replicated([1., 2., 3.], [[1., 1.], [1., -1.]], rows=3, mode="same")
    array([[1., 3., 5.],
           [2., 4., 6.],
           [2., 4., 6.]])
""")

lagged.__doc__ = _doc(
    "Convolve a 2-D kernel with lagged (time-delayed) copies of a 1-D signal.",
    "Equals ``convolve2d(lag_matrix(x, rows, lag), kernel)``",
    extra=_ROWS_DOC + "\n    lag : int, optional\n        Delay in samples from one row to "
          "the next (default 1); negative lags lead instead.",
    returns=_ROWS_OUT.format(R="rows + kh - 1"),
    notes="""Row r of the lag matrix is x shifted by r * lag, so an output row is a sum of shifted
    1-D correlations of x (kernel rows whose shifts overlap are merged into one kernel).  Only
    the kw - 1 columns at each end, where `boundary` extends the lag matrix's rows, are
    computed from the lag matrix itself, from a slab of it under those columns.""",
    memory=", plus that slab: (R + kh - 1) x 2 (kw - 1) samples per signal",
    example="""    >>> on1d.lagged([1., 2., 3., 4.], [[1.], [-1.]], rows=2, mode="valid")  # delayed - x
    array([[-1., -1., -1., -1.]])
""")

filter_bank.__doc__ = _doc(
    "Filter a 1-D signal with each row of a 2-D kernel (a filter bank) and combine.",
    "Row i is ``convolve2d(x[None, :], kernel[i:i+1, :])[0]``, combined by `combine`",
    extra2="""
    combine : {'stack', 'concat', 'sum', 'mean', 'max'}, optional
        'stack' (default): shape (..., kh, N'); 'concat': the rows one after the other,
        (..., kh * N'); 'sum', 'mean', 'max': over the rows, (..., N').  'max' propagates
        NaN (as np.max) and needs real values.""",
    returns="Per `combine`, with N' per `mode` along the signal (for 'full', N + kw - 1).",
    notes="""All kernel rows run in one pass over each stretch of the signal, while it is in cache;
    'sum' and 'mean' fold the bank into one kernel first (convolution is linear).""",
    example="""    >>> on1d.filter_bank([0., 1., 0., 0.], [[1., 2.], [3., 4.]], mode="same")
    array([[0., 1., 2., 0.],
           [0., 3., 4., 0.]])
""")

lag_matrix.__doc__ = """The lag matrix of a signal: row r is x delayed by r * lag samples.

    ``M[..., r, t] = x[..., t - r*lag]`` where ``0 <= t - r*lag < N``, else 0.  This builds the
    2-D input that `lagged` avoids; it is the reference `lagged` is held against.

    Parameters
    ----------
    x : array_like
        Shape (..., N).  The result keeps x's dtype.
    rows : int
        Rows of the matrix (>= 1).
    lag : int, optional
        Delay from one row to the next (default 1); negative lags lead.

    Returns
    -------
    M : ndarray, shape (..., rows, N)

    Examples
    --------
    >>> from axisconv import on1d
    >>> on1d.lag_matrix([1, 2, 3], rows=3, lag=1)
    array([[1, 2, 3],
           [0, 1, 2],
           [0, 0, 1]])
"""
