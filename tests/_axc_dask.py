"""Shared pieces of the axisconv.dask tests: inputs, chunkings, the bitwise comparison."""
import numpy as np
import pytest

da = pytest.importorskip("dask.array")
import dask  # noqa: E402

# A 1-D pass along a strided axis runs on the C core's column path across 16 lines or more
# and on its row path across fewer (csrc/lines.c, ax_lines_pick_inner); the two sum long and
# folded kernels in different orders.  A chunk narrower than this along the last axis of a
# wider array is therefore filtered along the other axes by another kernel than the whole
# array is: there the results agree to rounding, not bit for bit (test_narrow_chunks).
NARROW = 16

MODES = ["reflect", "mirror", "nearest", "wrap", "constant", "zeros"]

# (K, origin, shape): even and odd K, extreme origins (one-sided reaches), short, long
# (K >= the vector length: residue-ordered sums) and folded (symmetric) kernels.
KERNELS = [(1, 0, "general"), (2, -1, "general"), (3, 0, "symmetric"), (4, 1, "general"),
           (6, -3, "general"), (7, 3, "symmetric"), (16, 0, "general"),
           (31, -15, "symmetric"), (33, 16, "antisymmetric")]


def kernel(size, shape="general", seed=0):
    k = np.random.default_rng(1000 + size + seed).standard_normal(size)
    if shape == "symmetric":
        return k + k[::-1]
    if shape == "antisymmetric":
        return k - k[::-1]
    return k


def data(shape, dtype=np.float64, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(shape)
    if np.dtype(dtype).kind == "c":
        x = x + 1j * rng.standard_normal(shape)
    return x.astype(dtype)


def compute(lazy, scheduler="sync"):
    """Compute a list of dask arrays in one go (one graph: less scheduling overhead)."""
    return dask.compute(*lazy, scheduler=scheduler)


def assert_bitwise(got, expected, what=""):
    """Same dtype, shape and bits (signed zeros and NaN payloads included)."""
    assert got.dtype == expected.dtype, f"{what}: dtype {got.dtype} != {expected.dtype}"
    np.testing.assert_array_equal(got, expected, err_msg=what)
    assert np.ascontiguousarray(got).tobytes() == np.ascontiguousarray(expected).tobytes(), \
        f"{what}: equal values but different bits (signed zeros?)"


def check_all(cases, scheduler="sync"):
    """cases: (what, lazy dask result, expected ndarray).  The lazy result's dtype and meta
    are checked before anything is computed, then everything is computed at once."""
    for what, lazy, expected in cases:
        assert isinstance(lazy, da.Array), what
        assert lazy.dtype == expected.dtype, what
        assert type(lazy._meta) is np.ndarray and lazy._meta.dtype == expected.dtype, what
        assert lazy.shape == expected.shape, what
    results = compute([lazy for _, lazy, _ in cases], scheduler)
    for (what, _, expected), got in zip(cases, results):
        assert_bitwise(got, expected, what)
