"""2-D kernels in the scipy.signal convention (SPEC §4): convolve2d, correlate2d, separate.

A kernel of low numerical rank r is run as r fused separable passes (about 2K instead of K²
multiplies per output when r is 1); any other kernel goes through the direct 2-D kernel.
"""
import numpy as np

from . import _core, _integer
from ._checks import as_input, as_kernel, check_cval, result_dtype
from ._config import check_threads
from ._docs import fill
from ._modes import CONSTANT, mode_code

__all__ = ["convolve2d", "correlate2d", "separate"]

_SIZES = ("full", "same", "valid")


def correlate2d(x, kernel, mode="full", boundary="fill", fillvalue=0, *, dtype=None,
                threads=None):
    return _filter2d(x, kernel, mode, boundary, fillvalue, threads, convolve=False, dtype=dtype)


def convolve2d(x, kernel, mode="full", boundary="fill", fillvalue=0, *, dtype=None,
               threads=None):
    return _filter2d(x, kernel, mode, boundary, fillvalue, threads, convolve=True, dtype=dtype)


_DOC = """{What} the last two axes of `x` with a 2-D kernel, as scipy.signal.{name}2d.

    Parameters
    ----------
    x : array_like
        (..., H, W): leading axes are a batch of images (scipy.signal takes one image).
        float32 stays float32, float64 stays float64, bool/int give float64; complex
        input or kernel gives a complex result.
    kernel : array_like
        (kh, kw), non-empty.{conj}
    mode : {{'full', 'same', 'valid'}}, optional
        The output size: 'full' (H + kh - 1, W + kw - 1); 'same' (H, W), centred as scipy
        centres it; 'valid' (|H - kh| + 1, |W - kw| + 1), where the kernel and the image
        overlap completely (one must be at least as large as the other along both axes).
    boundary : str, optional
        How x is extended beyond its edges (case-insensitive)::

            'fill'  (constant)          f f f f | a b c d | f f f f   (f = fillvalue)
            'symm'  (symmetric, reflect) d c b a | a b c d | d c b a
            'wrap'  (circular)          a b c d | a b c d | a b c d

        and also 'mirror' (d c b | a b c d | c b a) and 'nearest' (a a | a b c d | d d).
        Beyond the corners both axes are extended; 'fill' uses fillvalue wherever either
        index is outside.  'valid' never reads the boundary.
    fillvalue : scalar, optional
        The constant of 'fill' (default 0).
    {DTYPE}
    {THREADS}

    Returns
    -------
    out : ndarray

    Notes
    -----
    Kernels of low numerical rank run as separable passes, others as a direct 2-D sum; a
    kernel holding NaN or inf always goes direct.  One deliberate difference from scipy:
    for complex data with mode 'valid' and a kernel larger than x, scipy.signal.correlate2d
    swaps its inputs and so conjugates x instead of the kernel; the result here equals
    scipy.signal.correlate(x, kernel, 'valid') in that case too.

    {INTEGER}

    Examples
    --------
    >>> import numpy as np, axisconv
    >>> axisconv.{name}2d(np.eye(3), np.ones((2, 2)), mode="same")
    {example}
"""
_TWO_D = "\n      The 2-D kernel is quantised as a whole, in C order."
correlate2d.__doc__ = fill(_DOC.format(What="Correlate", name="correlate", THREADS="{THREADS}",
                                  DTYPE="{DTYPE}", INTEGER="{INTEGER}",
                                  conj="  A complex kernel is conjugated, as in\n"
                                       "        scipy.signal.correlate2d.",
                                  example="array([[2., 1., 0.],\n           [1., 2., 1.],\n"
                                          "           [0., 1., 1.]])"),
                           SEPARABLE=_TWO_D, PER_AXIS="")
convolve2d.__doc__ = fill(_DOC.format(What="Convolve", name="convolve", conj="", THREADS="{THREADS}",
                                      DTYPE="{DTYPE}", INTEGER="{INTEGER}",
                                      example="array([[1., 1., 0.],\n           [1., 2., 1.],\n"
                                              "           [0., 1., 2.]])"),
                          SEPARABLE=_TWO_D, PER_AXIS="")


def separate(kernel, tol=None):
    """Split a 2-D kernel into separable factors of the smallest rank, by SVD.

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
        ``kernel ≈ sum(np.outer(column_factors[i], row_factors[i]) for i in range(r))``.

    Examples
    --------
    >>> import numpy as np, axisconv
    >>> cols, rows = axisconv.separate(np.outer([1, 2, 1], [1, 0, -1]))
    >>> cols.shape, rows.shape
    ((1, 3), (1, 3))
    >>> np.allclose(np.outer(cols[0], rows[0]), np.outer([1, 2, 1], [1, 0, -1]))
    True
    """
    precision = np.asarray(kernel).dtype
    k = as_kernel(kernel, "kernel", ndim=2)
    if not np.isfinite(k).all():
        raise ValueError("kernel must be finite to be separated (it holds NaN or inf)")
    u, s, vt = np.linalg.svd(k)
    if tol is None:
        eps = np.finfo(precision if precision.kind in "fc" else np.float64).eps
        tol = max(k.shape) * eps * (s[0] if s.size else 0.0)
    elif not _is_real(tol):
        raise TypeError(f"tol must be a real number, got {tol!r}")
    elif not tol >= 0:
        raise ValueError(f"tol must be >= 0, got {tol!r}")
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
    size = _size_mode(mode)
    code, zeros = mode_code(boundary, "boundary")
    fillvalue = check_cval(0 if zeros else fillvalue, x, "fillvalue")
    threads = check_threads(threads)
    (h, w), (kh, kw) = x.shape[-2:], k.shape
    if size == "valid" and not ((h >= kh and w >= kw) or (h <= kh and w <= kw)):
        raise ValueError("mode='valid' needs x or kernel to be at least as large as the other "
                         f"along both axes; got x {(h, w)} and kernel {(kh, kw)}")
    if convolve:
        k = k[::-1, ::-1]
    elif k.dtype.kind == "c":
        k = k.conj()
    (off_r, n_r), (off_c, n_c) = (_window(size, h, kh, convolve), _window(size, w, kw, convolve))
    if size == "valid":
        code, fillvalue = CONSTANT, 0 * fillvalue  # never read: the kernel stays inside x
    if integer is not None:
        return _integer.correlate2d(x, k, (off_r, off_c), (n_r, n_c), code, fillvalue, integer,
                                    threads)
    out = np.empty(x.shape[:-2] + (n_r, n_c), result_dtype(x, k.dtype.kind == "c"))
    if out.size == 0:
        return out
    if h == 0 or w == 0:
        return _from_empty(out, k, code, fillvalue)
    _run2d(x, k, (off_r, off_c), code, fillvalue, out, threads)
    return out


def _size_mode(mode):
    key = mode.lower() if isinstance(mode, str) else mode
    if key not in _SIZES:
        raise ValueError(f"mode={mode!r} is not an output size; use one of {_SIZES}")
    return key


def _window(size, n, k, convolve):
    """(offset, output length) along one axis: output i reads x[i - offset : ... + k]."""
    if size == "full":
        return k - 1, n + k - 1
    if size == "same":
        start = (k - 1) // 2 if convolve else k // 2
        return k - 1 - start, n
    return k - min(k, n), abs(n - k) + 1


def _from_empty(out, k, code, fillvalue):
    """An empty image: every output reads only the boundary, which only 'fill' defines."""
    if code != CONSTANT:
        raise ValueError("boundary must be 'fill' when x has no rows or columns")
    out[...] = fillvalue * k.sum()
    return out


def _run2d(x, k, offsets, code, fillvalue, out, threads):
    """Real parts through the C core; complex data as sums of real 2-D correlations."""
    if out.dtype.kind != "c":
        _real2d(x, k, offsets, code, fillvalue, out, threads)
        return
    xs = [(x.real, 1), (x.imag, 1j)] if x.dtype.kind == "c" else [(x, 1)]
    ks = [(k.real, 1), (k.imag, 1j)] if k.dtype.kind == "c" else [(k, 1)]
    fill = complex(fillvalue)
    part = np.empty(out.shape, out.real.dtype)
    out[...] = 0
    for xp, xu in xs:
        f = fill.real if xu == 1 else fill.imag
        for kp, ku in ks:
            _real2d(xp, kp, offsets, code, f, part, threads)
            out += (xu * ku) * part


def _real2d(x, k, offsets, code, fillvalue, out, threads):
    """Low-rank kernels as fused separable passes summed; others through the direct kernel."""
    (off_r, off_c), (kh, kw), nd = offsets, k.shape, x.ndim
    # The taps are rounded to x's precision anyway: rank is judged at that precision.  A
    # kernel with NaN or inf goes direct, where it propagates as scipy's does.
    splittable = kh > 1 and kw > 1 and np.isfinite(k).all()
    cols, rows = separate(k.astype(x.dtype)) if splittable else (None, None)
    if cols is not None and 0 < len(cols) and len(cols) * (kh + kw) < kh * kw:
        for i, (cf, rf) in enumerate(zip(cols, rows)):
            first = (nd - 1, np.ascontiguousarray(rf), off_c, code, fillvalue)
            # Rows beyond the edges are all fillvalue, so their first pass is fillvalue * sum.
            second = (nd - 2, np.ascontiguousarray(cf), off_r, code, fillvalue * rf.sum())
            _core.correlate_separable(x, out, first, second, i > 0, threads)
    else:
        _core.correlate2d(x, out, nd - 2, nd - 1, np.ascontiguousarray(k), off_r, off_c, code,
                          fillvalue, threads)
