"""correlate2d, convolve2d and the properties of separate (docs/contract.md §4), slowly: pad the
image (the last two axes; any leading axes are a batch) by kh - 1 rows and kw - 1 columns on
each side, then one direct sum over the taps for every output of scipy.signal's 'full' result;
'same' and 'valid' are slices of it.

scipy.signal's rules: convolve2d's tap (a, b) meets padded[i + kh-1-a, j + kw-1-b],
correlate2d's conjugated tap meets padded[i + a, j + b]; 'same' is centred at (kh - 1) // 2
for convolve2d and kh // 2 for correlate2d (likewise for the columns); 'valid' never meets the
boundary: the part of the zero-padded 'full' result where the smaller of image and kernel lies
wholly inside the larger, whichever that is.
"""
import numpy as np

from .filters import wide
from .modes import pad_axis


def _full(x, kernel, boundary, fillvalue, convolve):
    x, kernel = wide(x), wide(kernel)
    kh, kw = kernel.shape
    padded = pad_axis(x, kh - 1, kh - 1, -2, boundary, fillvalue)
    padded = pad_axis(padded, kw - 1, kw - 1, -1, boundary, fillvalue)
    H, W = x.shape[-2] + kh - 1, x.shape[-1] + kw - 1
    out = np.zeros(x.shape[:-2] + (H, W), np.result_type(x, kernel))
    for a in range(kh):
        for b in range(kw):
            if convolve:
                tap, r, c = kernel[a, b], kh - 1 - a, kw - 1 - b
            else:
                tap, r, c = np.conj(kernel[a, b]), a, b
            out = out + tap * padded[..., r:r + H, c:c + W]
    return out


def _filter2d(x, kernel, mode, boundary, fillvalue, convolve):
    kernel = np.asarray(kernel)
    (H, W), (kh, kw) = np.shape(x)[-2:], kernel.shape
    mode = mode.lower()
    if mode == "valid":
        full = _full(x, kernel, "constant", 0.0, convolve)
        r, c = min(H, kh) - 1, min(W, kw) - 1
        return full[..., r:r + abs(H - kh) + 1, c:c + abs(W - kw) + 1]
    full = _full(x, kernel, boundary, fillvalue, convolve)
    if mode == "full":
        return full
    r, c = ((kh - 1) // 2, (kw - 1) // 2) if convolve else (kh // 2, kw // 2)
    return full[..., r:r + H, c:c + W]


def correlate2d(x, kernel, mode="full", boundary="fill", fillvalue=0):
    return _filter2d(x, kernel, mode, boundary, fillvalue, convolve=False)


def convolve2d(x, kernel, mode="full", boundary="fill", fillvalue=0):
    return _filter2d(x, kernel, mode, boundary, fillvalue, convolve=True)


def check_separate(kernel, column_factors, row_factors, tol=None, exact=False):
    """Assert what docs/contract.md §4 says of separate(kernel, tol): the factors rebuild the
    kernel within tol (default: a few eps of the largest singular value) with the smallest
    rank that can; `exact`: the kernel is one outer product, rebuilt exactly, with integer
    factors for an integer-valued kernel."""
    k = wide(kernel)
    s = np.linalg.svd(k, compute_uv=False)
    eps = np.finfo(np.float64).eps
    bound = 4 * max(k.shape) * eps * s[0] if tol is None else tol
    rank = int(np.count_nonzero(s > bound))
    assert column_factors.shape == (rank, k.shape[0]), (column_factors.shape, s, bound)
    assert row_factors.shape == (rank, k.shape[1]), (row_factors.shape, s, bound)
    rebuilt = np.einsum("ri,rj->ij", column_factors, row_factors)
    error = np.linalg.norm(k - rebuilt, 2) if rank < min(k.shape) else np.abs(k - rebuilt).max()
    assert error <= max(bound, 4 * k.size * eps * s[0]), (error, bound)
    if exact:
        assert rank == 1 and np.array_equal(rebuilt, k), (rebuilt, k)
        if np.array_equal(k, np.round(k)):
            for f in (column_factors, row_factors):
                assert np.array_equal(f, np.round(f)), f
