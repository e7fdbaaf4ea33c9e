"""A 2-D kernel over a 1-D signal, in the scipy.signal.convolve2d convention
(docs/contract.md §5).

Row i of ``convolve2d(X, kernel)`` is a sum of 1-D correlations of the rows of X (extended by
`boundary`) with the rows of the flipped kernel.  When X is made of one signal x -- a single
row, copies of it, lagged copies -- those are correlations of x itself, so x is read and the
2-D X is never built.  One arrow down: each function plans lines in _bank.py -> _core.bank ->
csrc/bank.c ax_bank -> bank.inc -> the row kernel of line_kernels.inc.
"""
import numpy as np

from . import _core
from ._bank import Bank, Call, Plan, copies, ieee, lagged as _lagged, planned
from ._checks import as_array, check_int, refuse_lazy
from ._docs import filled
from .conv2d import convolve2d

__all__ = ["single_row", "replicated", "lag_matrix", "lagged", "filter_bank"]

_COMBINES = ("stack", "concat", "sum", "mean", "max")


@filled
def single_row(x, kernel, mode="full", boundary="fill", fillvalue=0, *, threads=None):
    """Convolve a 1-D signal, taken as a single row, with a 2-D kernel.

    Equals ``convolve2d(x[None, :], kernel)``{ON1D_REFERENCE}

    {ON1D_PARAMETERS}
    {ON1D_OPTIONS}

    Returns
    -------
    out : ndarray
        (..., R, N') with R, N' per `mode` (for 'full', R = kh and N' = N + kw - 1).

    Notes
    -----
    Output row i is x correlated with the sum of the kernel rows that meet the signal's row
    there: with 'symm' or 'wrap' every row does (the row's reflections are the row itself), so
    all output rows are one correlation, computed once and copied; with 'fill' the rows of
    fillvalue add a constant.

    {ON1D_NOTES}

    Examples
    --------
    >>> from axisconv import on1d
    >>> on1d.single_row([1., 2., 3.], [[1., 1.], [1., -1.]], mode="same", boundary="symm")
    array([[2., 4., 6.]])
    """
    c = Call.checked(x, kernel, mode, boundary, fillvalue, threads)
    if c.N == 0:
        return _of_empty_signal(c, c.x[..., None, :], mode, boundary, fillvalue)
    if _inside_kernel(c, 1):
        return convolve2d(c.x[..., None, :], c.k, "valid", threads=c.threads)
    return planned(copies, c, 1).run(c)


@filled
def replicated(x, kernel, rows, mode="full", boundary="fill", fillvalue=0, *, threads=None):
    """Convolve a 2-D kernel with `rows` copies of a 1-D signal, one per row.

    Equals ``convolve2d(np.tile(x, (rows, 1)), kernel)``{ON1D_REFERENCE}

    {ON1D_PARAMETERS}
    rows : int
        Rows of the 2-D input (>= 1).
    {ON1D_OPTIONS}

    Returns
    -------
    out : ndarray
        (..., R, N') with R, N' per `mode` (for 'full', R = rows + kh - 1 and
        N' = N + kw - 1).

    Notes
    -----
    Rows away from the top and bottom edges are identical: each distinct output row is one
    1-D correlation of x with a column sum of the kernel (plus a constant for rows of
    fillvalue), computed once and copied to the rows that show it.

    {ON1D_NOTES}

    Examples
    --------
    >>> from axisconv import on1d
    >>> on1d.replicated([1., 2., 3.], [[1., 1.], [1., -1.]], rows=3, mode="same")
    array([[1., 3., 5.],
           [2., 4., 6.],
           [2., 4., 6.]])
    """
    rows = check_int(rows, "rows", minimum=1)
    c = Call.checked(x, kernel, mode, boundary, fillvalue, threads)
    if c.N == 0:
        return _of_empty_signal(c, lag_matrix(c.x, rows, 0), mode, boundary, fillvalue)
    if _inside_kernel(c, rows):
        X = np.broadcast_to(c.x[..., None, :], c.batch + (rows, c.N))
        return convolve2d(X, c.k, "valid", threads=c.threads)
    return planned(copies, c, rows).run(c)


@ieee
@filled
def lagged(x, kernel, rows, lag=1, mode="full", boundary="fill", fillvalue=0, *, threads=None):
    """Convolve a 2-D kernel with lagged (time-delayed) copies of a 1-D signal.

    Equals ``convolve2d(lag_matrix(x, rows, lag), kernel)``{ON1D_REFERENCE}

    {ON1D_PARAMETERS}
    rows : int
        Rows of the 2-D input (>= 1).
    lag : int, optional
        Delay in samples from one row to the next (default 1); negative lags lead instead.
    {ON1D_OPTIONS}

    Returns
    -------
    out : ndarray
        (..., R, N') with R, N' per `mode` (for 'full', R = rows + kh - 1 and
        N' = N + kw - 1).

    Notes
    -----
    Row r of the lag matrix is x shifted by r * lag, so an output row is a sum of shifted
    1-D correlations of x (kernel rows whose shifts overlap are merged into one kernel).  Only
    the kw - 1 columns at each end, where `boundary` extends the lag matrix's rows, are
    computed from the lag matrix itself, from a slab of it under those columns: (R + kh - 1)
    x 2 (kw - 1) samples per signal of scratch.

    {ON1D_NOTES}

    Examples
    --------
    >>> from axisconv import on1d
    >>> on1d.lagged([1., 2., 3., 4.], [[1.], [-1.]], rows=2, mode="valid")  # delayed - x
    array([[-1., -1., -1., -1.]])
    """
    rows = check_int(rows, "rows", minimum=1)
    lag = check_int(lag, "lag")
    c = Call.checked(x, kernel, mode, boundary, fillvalue, threads)
    if c.N == 0:
        return _of_empty_signal(c, lag_matrix(c.x, rows, lag), mode, boundary, fillvalue)
    if _inside_kernel(c, rows):
        return convolve2d(lag_matrix(c.x, rows, lag), c.k, "valid", threads=c.threads)
    if lag == 0:
        return planned(copies, c, rows).run(c)
    # Any |lag| >= N leaves rows 1.. all zeros; clipping keeps every index within int64.
    return _lagged(c, rows, max(-c.N, min(lag, c.N)) or 1)


@filled
def filter_bank(x, kernel, mode="full", boundary="fill", fillvalue=0, combine="stack", *,
                threads=None):
    """Filter a 1-D signal with each row of a 2-D kernel (a filter bank) and combine.

    Row i is ``convolve2d(x[None, :], kernel[i:i+1, :])[0]``, combined by
    `combine`{ON1D_REFERENCE}

    {ON1D_PARAMETERS}
    {ON1D_OPTIONS}
    combine : {'stack', 'concat', 'sum', 'mean', 'max'}, optional
        'stack' (default): shape (..., kh, N'); 'concat': the rows one after the other,
        (..., kh * N'); 'sum', 'mean', 'max': over the rows, (..., N').  'max' propagates
        NaN (as np.max) and needs real values.

    Returns
    -------
    out : ndarray
        Per `combine`, with N' per `mode` along the signal (for 'full', N + kw - 1).

    Notes
    -----
    All kernel rows run in one pass over each stretch of the signal, while it is in cache;
    'sum' and 'mean' fold the bank into one kernel first (convolution is linear).

    {ON1D_NOTES}

    Examples
    --------
    >>> from axisconv import on1d
    >>> on1d.filter_bank([0., 1., 0., 0.], [[1., 2.], [3., 4.]], mode="same")
    array([[0., 1., 2., 0.],
           [0., 3., 4., 0.]])
    """
    c = Call.checked(x, kernel, mode, boundary, fillvalue, threads)
    combine = _check_combine(combine, c.dtype)
    kh, kw = c.k.shape
    if c.N == 0 or _inside_kernel(c, 1, kh=1, kw=kw):  # x slides inside each row
        return _bank_row_by_row(c, combine, mode, boundary, fillvalue)
    out = planned(_filter_bank, c, combine).run(c)
    if combine == "stack":
        return out
    return out.reshape(c.batch + (kh * out.shape[-1],)) if combine == "concat" else out[..., 0, :]


@ieee
def _filter_bank(c, combine):
    """filter_bank's Plan: one line per kernel row, or one line of their sum or mean for
    'sum' and 'mean' (convolution is linear), or one row of the lines' maximum for 'max'."""
    kh, kw = c.k.shape
    start, M = c.columns(kw)
    k = c.k[:, ::-1]               # row i convolves: it correlates with row i reversed
    first = start - (kw - 1)
    bank = Bank()
    if combine in ("sum", "mean"):
        bank.line([(k.sum(0) if combine == "sum" else _mean(k, 0), first)])
        return Plan(c, bank, 1, M, [0])
    for i in range(kh):
        bank.line([(k[i], first)])
    if combine == "max":
        return Plan(c, bank, 1, M, None, _core.COMBINE_MAX)
    return Plan(c, bank, kh, M, np.arange(kh))


def lag_matrix(x, rows, lag=1):
    """The lag matrix of a signal: row r is x delayed by r * lag samples.

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
    refuse_lazy(x, "x")
    x = as_array(x, "x")
    if x.ndim < 1:
        raise ValueError("x must have at least one dimension: (..., N)")
    rows = check_int(rows, "rows", minimum=1)
    lag = check_int(lag, "lag")
    N = x.shape[-1]
    if rows >= 2**62 or rows * x.size * x.dtype.itemsize >= 2**62:
        raise ValueError(f"rows={rows:.3g} asks for a result larger than memory can hold")
    m = np.zeros(x.shape[:-1] + (rows, N), x.dtype)
    if lag == 0:
        m[...] = x[..., None, :]
        return m
    for r in range(min(rows, -(-N // abs(lag)))):  # the rows that hold x: |r * lag| < N
        s = r * lag
        if 0 <= s < N:
            m[..., r, s:] = x[..., :N - s]
        elif 0 < -s < N:
            m[..., r, :N + s] = x[..., -s:]
    return m


@ieee
def _bank_row_by_row(c, combine, mode, boundary, fillvalue):
    """filter_bank where x is empty or slides inside each kernel row in a 'valid' output (see
    _inside_kernel): row by row, as convolve2d computes it, then combined."""
    kh = c.k.shape[0]
    stack = np.concatenate([convolve2d(c.x[..., None, :], c.k[i:i + 1], mode, boundary,
                                       fillvalue, threads=c.threads) for i in range(kh)],
                           axis=-2)
    combined = {"stack": lambda: stack, "sum": lambda: stack.sum(-2),
                "concat": lambda: stack.reshape(c.batch + (kh * stack.shape[-1],)),
                "mean": lambda: _mean(stack, -2), "max": lambda: stack.max(-2)}
    return combined[combine]()


@ieee
def _of_empty_signal(c, X, mode, boundary, fillvalue):
    """The result for a signal of no samples: convolve2d of the 2-D input, which is empty
    too (for 'full', kw - 1 columns of the fill's sums; 'symm' and 'wrap' refuse it)."""
    return convolve2d(X, c.k, mode, boundary, fillvalue, threads=c.threads)


def _mean(a, axis):
    """The mean along `axis`, part by part: NumPy divides complex values as complex numbers,
    which turns an inf in one part into NaN in the other."""
    if a.dtype.kind != "c":
        return a.mean(axis)
    m = np.empty(np.delete(a.shape, axis), a.dtype)
    m.real, m.imag = a.real.mean(axis), a.imag.mean(axis)
    return m


def _inside_kernel(c, H, kh=None, kw=None):
    """Whether a 'valid' output slides an input of H copies of the signal, no larger than the
    kernel (kh x kw), under a kernel holding NaN or inf.  scipy's window then meets a tap only
    at some outputs, where zeros padded around the signal would carry it to all (0 * inf is
    NaN), so the output is computed as convolve2d computes it, from the input built: it is no
    larger than the kernel."""
    kh, kw = kh or c.k.shape[0], kw or c.k.shape[1]
    return (c.size == "valid" and 0 < c.N <= kw and H <= kh and (H, c.N) != (kh, kw)
            and not np.isfinite(c.k).all())


def _check_combine(combine, dtype):
    if not isinstance(combine, str):
        raise TypeError(f"combine must be a string, got {type(combine).__name__}")
    if combine.lower() not in _COMBINES:
        raise ValueError(f"combine={combine!r} is unknown; valid: {', '.join(_COMBINES)}")
    if combine.lower() == "max" and np.dtype(dtype).kind == "c":
        raise TypeError("combine='max' needs real values; x or kernel is complex")
    return combine.lower()
