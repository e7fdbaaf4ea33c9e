"""2-D kernels in the scipy.signal convention (docs/contract.md §4): convolve2d, correlate2d,
separate.

One arrow down: correlate2d -> _core.correlate2d -> csrc/conv2d.c ax_correlate2d -> conv2d.inc
-> the row2d kernel of line_kernels.inc; a kernel that splits into separable factors goes
-> _core.correlate_separable -> csrc/separable.c instead (about 2K instead of K^2 multiplies
per output for rank 1).
"""
import numpy as np

from . import _core, _integer
from ._checks import as_array, as_input, as_kernel, result_dtype
from ._complex import via_real
from ._config import check_threads
from ._docs import filled
from ._modes import CONSTANT
from ._signal import boundary_code, check_fillvalue, check_size, check_valid, window

__all__ = ["convolve2d", "correlate2d", "separate"]

@filled
def correlate2d(x, kernel, mode="full", boundary="fill", fillvalue=0, *, dtype=None,
                threads=None):
    """Correlate the last two axes of `x` with a 2-D kernel, as scipy.signal.correlate2d.

    Parameters
    ----------
    x : array_like
        (..., H, W): leading axes are a batch of images (scipy.signal takes one image).
        float32 stays float32, float64 stays float64, bool/int give float64; complex
        input or kernel gives a complex result.
    kernel : array_like
        (kh, kw), non-empty.  A complex kernel is conjugated, as in scipy.signal.correlate2d.
    {PLANE}

    Examples
    --------
    >>> import numpy as np, axisconv
    >>> axisconv.correlate2d(np.eye(3), np.ones((2, 2)), mode="same")
    array([[2., 1., 0.],
           [1., 2., 1.],
           [0., 1., 1.]])
    """
    return _filter2d(x, kernel, mode, boundary, fillvalue, threads, convolve=False,
                     dtype=dtype)


@filled
def convolve2d(x, kernel, mode="full", boundary="fill", fillvalue=0, *, dtype=None,
               threads=None):
    """Convolve the last two axes of `x` with a 2-D kernel, as scipy.signal.convolve2d.

    Parameters
    ----------
    x : array_like
        (..., H, W): leading axes are a batch of images (scipy.signal takes one image).
        float32 stays float32, float64 stays float64, bool/int give float64; complex
        input or kernel gives a complex result.
    kernel : array_like
        (kh, kw), non-empty; flipped along both axes (not conjugated).
    {PLANE}

    Examples
    --------
    >>> import numpy as np, axisconv
    >>> axisconv.convolve2d(np.eye(3), np.ones((2, 2)), mode="same")
    array([[1., 1., 0.],
           [1., 2., 1.],
           [0., 1., 2.]])
    """
    return _filter2d(x, kernel, mode, boundary, fillvalue, threads, convolve=True,
                     dtype=dtype)


def separate(kernel, tol=None):
    """Split a 2-D kernel into separable factors of the smallest rank.

    A kernel that is exactly one outer product (as ``np.outer([1, 2, 1], [1, 0, -1])`` or
    ``np.ones((3, 3))``) gets exact factors, read off its largest tap's row and column
    (integers for an integer-valued kernel); any other kernel is split by SVD.

    Parameters
    ----------
    kernel : array_like
        (kh, kw) real or complex kernel, non-empty.
    tol : float, optional
        Singular values at or below `tol` are dropped.  Default: ``max(kh, kw) * eps *
        s_max``, a few eps of the largest singular value, with the eps of the kernel's own
        precision (float32 kernels carry float32 rounding in every tap).

    Returns
    -------
    column_factors, row_factors : ndarray
        Shapes (r, kh) and (r, kw) with
        ``kernel ≈ sum(np.outer(column_factors[i], row_factors[i]) for i in range(r))``,
        with ``==`` for an exact outer product.

    Examples
    --------
    >>> import numpy as np, axisconv
    >>> cols, rows = axisconv.separate(np.outer([1, 2, 1], [1, 0, -1]))
    >>> cols.shape, rows.shape
    ((1, 3), (1, 3))
    >>> cols, rows
    (array([[1., 2., 1.]]), array([[ 1.,  0., -1.]]))
    """
    precision = as_array(kernel, "kernel").dtype
    k = as_kernel(kernel, "kernel", ndim=2)
    if not np.isfinite(k).all():
        raise ValueError("kernel must be finite to be separated (it holds NaN or inf)")
    if tol is not None and not _is_real(tol):
        raise TypeError(f"tol must be a real number, got {tol!r}")
    if tol is not None and not tol >= 0:
        raise ValueError(f"tol must be >= 0, got {tol!r}")
    exact = _outer_factors(k)
    if exact is not None and np.array_equal(np.outer(*exact), k):
        if tol is None or np.linalg.norm(exact[0]) * np.linalg.norm(exact[1]) > tol:
            return exact
    return _svd_factors(k, _eps(precision), tol)


def _svd_factors(k, eps, tol=None):
    """The SVD split of the smallest rank whose dropped singular values are <= tol (default:
    max(kh, kw) * eps * the largest)."""
    u, s, vt = np.linalg.svd(k)
    if tol is None:
        tol = max(k.shape) * eps * (s[0] if s.size else 0.0)
    r = int(np.count_nonzero(s > tol))
    root = np.sqrt(s[:r])
    return (u[:, :r] * root).T.copy(), vt[:r] * root[:, None]


def _is_real(v):
    return isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, bool)


def _filter2d(x, kernel, mode, boundary, fillvalue, threads, convolve, dtype=None):
    integer = _integer.result_type(x, None, dtype)
    x = as_input(x) if integer is None else _integer.as_image(x)
    if x.ndim < 2:
        raise ValueError(f"x must have at least 2 dimensions (..., H, W), got {x.ndim}")
    k = as_kernel(kernel, "kernel", ndim=2)
    size = check_size(mode)
    code, zeros = boundary_code(boundary)
    if integer is not None:
        return _integer.filter2d(x, k, size, code, 0 if zeros else fillvalue, integer, threads,
                                 convolve)
    dtype = result_dtype(x, k.dtype.kind == "c")
    fillvalue = check_fillvalue(fillvalue, dtype)  # checked even where it is not used
    fillvalue = fillvalue if code == CONSTANT and not zeros else 0.0
    threads = check_threads(threads)
    (h, w), (kh, kw) = x.shape[-2:], k.shape
    larger = check_valid(size, (h, w), (kh, kw))
    if convolve:
        k = k[::-1, ::-1]
    elif k.dtype.kind == "c":
        k = k.conj()
    (r0, n_r), (c0, n_c) = window(size, h, kh, not convolve), window(size, w, kw, not convolve)
    if size == "valid":  # never reads the boundary: the kernel stays inside x, or x inside it
        code, fillvalue = CONSTANT, 0.0
    out = np.empty(x.shape[:-2] + (n_r, n_c), dtype)
    if out.size == 0:
        return out
    empty = h == 0 or w == 0  # every output reads only the boundary, which only 'fill'
    if empty and code != CONSTANT:  # defines ('valid' reads nothing: an empty sum)
        raise ValueError("boundary must be 'fill' when x has no rows or columns")
    offsets = (kh - 1 - r0, kw - 1 - c0)  # output i reads x[i - offset ...] under tap 0
    inside = size == "valid" and not larger and not np.isfinite(k).all()

    def part(xpart, kpart, into):
        into = np.empty(out.shape, out.real.dtype) if into is None else into
        if empty:
            with np.errstate(invalid="ignore", over="ignore"):  # 0 * inf is NaN, silently
                into[...] = 0 if size == "valid" else (kpart(k) * xpart(fillvalue)).sum()
            return into
        if inside:
            return _kernel_slides(xpart(x), kpart(k), into, threads)
        return correlate_plane(xpart(x), kpart(k), (x.ndim - 2, x.ndim - 1), offsets, code,
                               xpart(fillvalue), into, threads)

    return via_real(part, out, x.dtype.kind == "c", k.dtype.kind == "c", fillvalue)


def _kernel_slides(x, k, out, threads):
    """'valid' with each image inside a kernel that holds NaN or inf, as scipy computes it:
    the kernel slides under the image, so a tap meets only the outputs whose window holds it
    (padding the image with zeros would carry it to all: 0 * inf is NaN).  With A, B =
    kh - h, kw - w, out[a, b] = sum_pq x[p, q] k[p + A - a, q + B - b]: the kernel correlated
    with the image, reversed.  Returns out."""
    with np.errstate(over="ignore"):  # taps beyond float32's range are inf in float32
        data = np.ascontiguousarray(k, x.dtype)
    for i in np.ndindex(x.shape[:-2]):
        image = np.ascontiguousarray(x[i], np.float64)
        slid = np.empty(out.shape[-2:], x.dtype)
        _core.correlate2d(data, slid, 0, 1, image, 0, 0, CONSTANT, 0.0, threads)
        out[i] = slid[::-1, ::-1]
    return out


def correlate_plane(x, k, axes, offsets, code, cval, out, threads):
    """Correlate real `x` with a real 2-D kernel over the plane `axes` (r, c), output i
    reading x[i - offset ...] under tap 0 along each, extended by mode `code` with `cval`:
    the one entry point of every 2-D kernel (conv2d.py, ndimage.correlate).  Kernels that
    split (split_kernel) run as fused separable passes summed, others through the direct
    kernel.  Returns out."""
    (axis_r, axis_c), (off_r, off_c) = axes, offsets
    factors = split_kernel(k, x.dtype)
    if factors is not None and not _split_keeps_nonfinite(factors, x, code, cval):
        factors = None
    if factors is None:
        _core.correlate2d(x, out, axis_r, axis_c, np.ascontiguousarray(k), off_r, off_c, code,
                          cval, threads)
        return out
    for i, (cf, rf) in enumerate(zip(*factors)):
        first = (axis_c, np.ascontiguousarray(rf), off_c, code, cval)
        # Rows beyond the edges are all cval, so their first pass is cval * sum (only
        # 'constant' reads it).
        second = (axis_r, np.ascontiguousarray(cf), off_r, code,
                  cval * rf.sum() if code == CONSTANT else 0.0)
        _core.correlate_separable(x, out, first, second, i > 0, threads)
    return out


def _split_keeps_nonfinite(factors, x, code, cval):
    """Whether the split passes give NaN and inf where the direct sum does.  One outer product
    does wherever x holds them (each product c[s] r[t] x is the direct tap's, zeros included),
    but r >= 2 sum r products for each tap (k = 1 as 2 - 1 turns inf into inf - inf), and the
    rows of cval beyond the edges enter the second pass as cval * sum(r), which is not
    sum(r * cval) for an infinite cval; NaN or inf there goes direct."""
    if code == CONSTANT and not np.isfinite(cval):
        return False
    if len(factors[0]) == 1 or x.size == 0:
        return True
    return bool(np.isfinite(x.min()) and np.isfinite(x.max()))


def split_kernel(k, dtype):
    """Separable factors (columns (r, kh), rows (r, kw)) to run a real 2-D kernel by, or None
    for the direct path.  Taken only when they rebuild every tap as the direct path would
    have it: exactly for integer-valued kernels (so that integer data gives exact sums, as
    scipy's direct sums do), else to within a few units of dtype's precision of the tap
    itself, however small; and only when r (kh + kw) < kh kw multiplies pay.  A kernel
    holding NaN or inf goes direct, where it propagates as scipy's does."""
    kh, kw = k.shape
    if kh == 1 or kw == 1 or not np.isfinite(k).all():
        return None
    integer = _integer_valued(k)
    tolerance = 0 if integer else 4 * _eps(dtype) * np.abs(k)
    candidates = [_outer_factors(k)] + ([] if integer else [_svd_factors(k, _eps(dtype))])
    for factors in candidates:
        if factors is None:
            continue
        cols, rows = factors
        r = len(cols)
        if 0 < r and r * (kh + kw) < kh * kw and np.all(np.abs(cols.T @ rows - k) <= r * tolerance):
            return factors
    return None


def _outer_factors(k):
    """(columns (1, kh), rows (1, kw)) of a kernel that is one outer product, read off its
    largest tap's row and column: their outer product is k exactly (integer factors for an
    integer-valued k) or, for a rounded outer product, to a few ulps per tap.  None when k is
    not close to rank 1 (then the caller checks)."""
    i0, j0 = np.unravel_index(np.argmax(np.abs(k)), k.shape)
    pivot = k[i0, j0]
    if pivot == 0:
        return None
    if _integer_valued(k) and abs(pivot) < 2.0**53:
        col = k[:, j0] / np.gcd.reduce(np.abs(k[:, j0]).astype(np.int64))
        row = k[i0] / col[i0]
    else:
        col, row = k[:, j0] / pivot, k[i0]
    return col[None, :], row[None, :]


def _integer_valued(k):
    return k.dtype.kind != "c" and bool(np.all(k == np.round(k)))


def _eps(dtype):
    dtype = np.dtype(dtype)
    return np.finfo(dtype if dtype.kind in "fc" else np.float64).eps
