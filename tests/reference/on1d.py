"""axisconv.on1d (docs/contract.md §5), slowly and literally: build the 2-D input the fast code
avoids -- x as one row, np.tile, the lag matrix written out from its definition, one kernel
row at a time -- then run the 2-D reference on it.  x has shape (..., N): each signal of the
batch is its own problem.  `convolve2d` may be another 2-D oracle of the same signature.
"""
import numpy as np

from . import conv2d
from .filters import wide


def lag_matrix(x, rows, lag=1):
    """M[..., r, t] = x[..., t - r*lag] where 0 <= t - r*lag < N, else 0."""
    x = np.asarray(x)
    N = x.shape[-1]
    m = np.zeros(x.shape[:-1] + (rows, N), x.dtype)
    for r in range(rows):
        for t in range(N):
            if 0 <= t - r * lag < N:
                m[..., r, t] = x[..., t - r * lag]
    return m


def _per_signal(f, x):
    """f applied to each signal of the batch x (..., N), the results stacked."""
    x = wide(x)
    outs = [f(x[i]) for i in np.ndindex(x.shape[:-1])]
    return np.stack(outs).reshape(x.shape[:-1] + outs[0].shape)


def single_row(x, kernel, mode="full", boundary="fill", fillvalue=0,
               convolve2d=conv2d.convolve2d):
    return _per_signal(lambda s: convolve2d(s[None, :], wide(kernel), mode, boundary,
                                            fillvalue), x)


def replicated(x, kernel, rows, mode="full", boundary="fill", fillvalue=0,
               convolve2d=conv2d.convolve2d):
    return _per_signal(lambda s: convolve2d(np.tile(s, (rows, 1)), wide(kernel), mode,
                                            boundary, fillvalue), x)


def lagged(x, kernel, rows, lag=1, mode="full", boundary="fill", fillvalue=0,
           convolve2d=conv2d.convolve2d):
    return _per_signal(lambda s: convolve2d(lag_matrix(s, rows, lag), wide(kernel), mode,
                                            boundary, fillvalue), x)


def filter_bank(x, kernel, mode="full", boundary="fill", fillvalue=0, combine="stack",
                convolve2d=conv2d.convolve2d):
    kernel = wide(kernel)

    def bank(s):
        stack = np.stack([convolve2d(s[None, :], kernel[i:i + 1], mode, boundary, fillvalue)[0]
                          for i in range(kernel.shape[0])])
        return {"stack": stack, "concat": stack.reshape(-1), "sum": stack.sum(0),
                "mean": stack.mean(0), "max": stack.max(0)}[combine]
    return _per_signal(bank, x)
