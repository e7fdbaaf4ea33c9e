"""axisconv.on1d against slow references that build the 2-D input (docs/contract.md §5).

Each reference (reference.on1d) literally materializes what the fast code avoids -- x as a
row, np.tile, a lag matrix written out from its definition, one 1-row kernel at a time --
and here calls scipy.signal.convolve2d on it (_signal_testing.oracle2d: for the two boundary
modes scipy.signal lacks, np.pad and a 'valid' convolve2d).  Exhaustive sweeps over small
sizes for every mode x boundary x dtype, hypothesis over sizes, lags, batches, dtypes and
combine values, then the edges: errors, complex values, NaN, threads, views, SIMD paths, long
signals, memory, kept plans.
"""
import gc
import itertools
import math
import tracemalloc
import weakref
from functools import partial

import numpy as np
import pytest
import reference.on1d
import scipy.signal as signal
from _axc_testing import assert_close, canonical_mode, names, raises_naming
from _signal_testing import oracle2d
from _signal_testing import valid_ok as signal_valid_ok
from hypothesis import given, settings
from hypothesis import strategies as st
from reference.modes import SPELLINGS as MODE_SPELLINGS

import axisconv
from axisconv import _bank, on1d
from axisconv._modes import CANONICAL, extend_index

SIZES = ("full", "same", "valid")
BOUNDARIES = ("fill", "symm", "wrap", "mirror", "nearest")
SPELLINGS = tuple(name for name, _ in MODE_SPELLINGS) + ("FILL", "Symm")
COMBINES = ("stack", "concat", "sum", "mean", "max")
FUNCS = ("single_row", "replicated", "lagged", "filter_bank")


def expected(fname, x, k, mode, boundary, fillvalue, rows=1, lag=1, combine="stack"):
    """reference.on1d.<fname> over scipy.signal.convolve2d, for a batch of signals (..., N)."""
    args = {"replicated": (rows,), "lagged": (rows, lag)}.get(fname, ())
    kw = {"combine": combine} if fname == "filter_bank" else {}
    return getattr(reference.on1d, fname)(x, k, *args, mode, boundary, fillvalue,
                                          convolve2d=partial(oracle2d, "convolve2d"), **kw)


def call(fname, x, k, mode, boundary, fillvalue, rows=1, lag=1, combine="stack", threads=None):
    f = getattr(on1d, fname)
    kw = dict(mode=mode, boundary=boundary, fillvalue=fillvalue, threads=threads)
    if fname == "single_row":
        return f(x, k, **kw)
    if fname == "replicated":
        return f(x, k, rows, **kw)
    if fname == "lagged":
        return f(x, k, rows, lag, **kw)
    return f(x, k, combine=combine, **kw)


def valid_ok(fname, H, N, kh, kw):
    """scipy's rule for 'valid' (a filter bank's rows are 1 x kw kernels on a 1 x N row)."""
    return fname == "filter_bank" or signal_valid_ok((H, N), (kh, kw))


def check(fname, x, k, mode, boundary, fillvalue, rows=1, lag=1, combine="stack", threads=None,
          dtype=None):
    """The fast result equals the reference within eps x sum|k| x max(|x|, |fillvalue|)."""
    H = 1 if fname in ("single_row", "filter_bank") else rows
    if mode == "valid" and not valid_ok(fname, H, x.shape[-1], *k.shape):
        with pytest.raises(ValueError) as info:
            call(fname, x, k, mode, boundary, fillvalue, rows, lag, combine, threads)
        assert names(info.value, "mode")
        with pytest.raises(ValueError):  # scipy refuses too
            expected(fname, x.reshape(-1, x.shape[-1])[0], k, mode, boundary, fillvalue, rows,
                     lag, combine)
        return
    got = call(fname, x, k, mode, boundary, fillvalue, rows, lag, combine, threads)
    want = expected(fname, x, k, mode, boundary, fillvalue, rows, lag, combine)
    dtype = dtype or np.result_type(x.dtype if x.dtype.kind in "fc" else np.float64,
                                    np.complex64 if k.dtype.kind == "c" else np.float32)
    _, cval = canonical_mode(boundary, fillvalue)
    assert_close(got, want, dtype, k, x, cval=cval,
                 err_msg=f"{fname} N={x.shape} k={k.shape} {mode} {boundary} f={fillvalue} "
                         f"rows={rows} lag={lag} {combine}")


# --------------------------------------------------------------------------
# axisconv's own index map (the np.pad oracle is checked in test_conv2d.py)
# --------------------------------------------------------------------------
@pytest.mark.parametrize("mode", list(CANONICAL))
def test_extend_index_matches_np_pad(mode):
    pad = {"reflect": "symmetric", "mirror": "reflect", "nearest": "edge", "wrap": "wrap"}
    for n in range(1, 7):
        i = np.arange(-20, n + 20)
        got = extend_index(i, n, CANONICAL[mode])
        if mode == "constant":
            assert (got[(i < 0) | (i >= n)] == -1).all() and (got[20:20 + n] == np.arange(n)).all()
        else:
            np.testing.assert_array_equal(got, np.pad(np.arange(n), 20, pad[mode]))


# --------------------------------------------------------------------------
# Exhaustive sweeps over small sizes: every mode x boundary x dtype
# --------------------------------------------------------------------------
def _sweep(fname, mode, boundary, dtype):
    rng = np.random.default_rng(abs(hash((fname, mode, boundary, str(dtype)))) % 2**32)
    rows_lags = {"single_row": [(1, 1)], "filter_bank": [(1, 1)],
                 "replicated": [(1, 1), (2, 1), (5, 1)],
                 "lagged": [(2, 1), (2, -1), (3, 2), (4, -3), (5, 1), (3, 9), (2, -11)]}[fname]
    for N, kh, kw in itertools.product([1, 2, 3, 4, 7, 10], [1, 2, 3, 4], [1, 2, 3, 5]):
        k = rng.uniform(-2, 2, (kh, kw))
        x = rng.uniform(-10, 10, N).astype(dtype)
        for rows, lag in rows_lags:
            for fillvalue in (0.0, 1.5):
                for combine in (COMBINES if fname == "filter_bank" else ["stack"]):
                    check(fname, x, k, mode, boundary, fillvalue, rows, lag, combine)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("boundary", BOUNDARIES)
@pytest.mark.parametrize("mode", SIZES)
@pytest.mark.parametrize("fname", FUNCS)
def test_exhaustive_small(fname, mode, boundary, dtype):
    _sweep(fname, mode, boundary, dtype)


# --------------------------------------------------------------------------
# Hypothesis: sizes (N smaller than the kernel too), lags, batches, dtypes, spellings
# --------------------------------------------------------------------------
@st.composite
def cases(draw):
    fname = draw(st.sampled_from(FUNCS))
    batch = draw(st.sampled_from([(), (), (3,), (2, 2)]))
    N = draw(st.one_of(st.integers(1, 12), st.integers(1, 200)))
    kh, kw = draw(st.integers(1, 7)), draw(st.integers(1, 9))
    rows = draw(st.integers(1, 9))
    lag = draw(st.one_of(st.integers(-4, 4), st.integers(-N - 5, N + 5)))
    return dict(fname=fname, batch=batch, N=N, kh=kh, kw=kw, rows=rows, lag=lag,
                mode=draw(st.sampled_from(SIZES)), boundary=draw(st.sampled_from(SPELLINGS)),
                fillvalue=draw(st.sampled_from([0.0, 2.5, -1.0])),
                combine=draw(st.sampled_from(COMBINES)),
                dtype=draw(st.sampled_from([np.float32, np.float64, np.float64, np.int16,
                                            np.bool_])),
                kdtype=draw(st.sampled_from([np.float64, np.float32, np.int64])),
                threads=draw(st.sampled_from([None, 1, 2])),
                seed=draw(st.integers(0, 2**32 - 1)))


@settings(max_examples=300)
@given(cases())
def test_against_reference(c):
    rng = np.random.default_rng(c["seed"])
    x = (rng.uniform(-10, 10, c["batch"] + (c["N"],)) * (c["dtype"] != np.bool_)
         + rng.uniform(-1, 1, c["batch"] + (c["N"],))).astype(c["dtype"])
    k = (rng.uniform(-3, 3, (c["kh"], c["kw"]))).astype(c["kdtype"])
    want_dtype = np.float32 if c["dtype"] == np.float32 else np.float64
    check(c["fname"], x, k, c["mode"], c["boundary"], c["fillvalue"], c["rows"], c["lag"],
          c["combine"], c["threads"], dtype=want_dtype)


# --------------------------------------------------------------------------
# Shapes, and the special cases of the arguments
# --------------------------------------------------------------------------
@pytest.mark.parametrize("mode, shape", [("full", (7, 12)), ("same", (5, 10)),
                                         ("valid", (3, 8))])
def test_shapes(mode, shape):
    x, k = np.ones(10), np.ones((3, 3))
    assert on1d.replicated(x, k, 5, mode).shape == shape
    assert on1d.lagged(x, k, 5, 2, mode).shape == shape
    assert on1d.filter_bank(x, k, mode).shape == (3, shape[1])
    assert on1d.filter_bank(x, k, mode, combine="concat").shape == (3 * shape[1],)
    for combine in ("sum", "mean", "max"):
        assert on1d.filter_bank(x, k, mode, combine=combine).shape == (shape[1],)


def test_valid_with_a_larger_kernel_slides_the_signal_over_it():
    """scipy swaps the inputs: only x's own samples count, whatever the boundary says."""
    x, k = np.arange(1.0, 4.0), np.arange(12.0).reshape(3, 4)
    for boundary in BOUNDARIES:
        want = signal.convolve2d(x[None, :], k, "valid")
        assert want.shape == (3, 2)
        np.testing.assert_allclose(on1d.single_row(x, k, "valid", boundary, fillvalue=7), want)
        np.testing.assert_allclose(on1d.replicated(x, k, 3, "valid", boundary, 7),
                                   signal.convolve2d(np.tile(x, (3, 1)), k, "valid"))


@pytest.mark.parametrize("lag", [-7, -3, -1, 1, 2, 6, 7, 50])
def test_lag_matrix(lag):
    x = np.arange(1, 7, dtype=np.int32)
    m = on1d.lag_matrix(x, 4, lag)
    np.testing.assert_array_equal(m, reference.on1d.lag_matrix(x, 4, lag))
    assert m.dtype == x.dtype
    batch = np.stack([x, -x])
    np.testing.assert_array_equal(on1d.lag_matrix(batch, 4, lag)[1], -m)


def test_lag_zero_is_replicated_and_huge_lags_leave_zero_rows():
    rng = np.random.default_rng(1)
    x, k = rng.standard_normal(30), rng.standard_normal((3, 4))
    np.testing.assert_array_equal(on1d.lagged(x, k, 4, 0, "same", "symm"),
                                  on1d.replicated(x, k, 4, "same", "symm"))
    for lag in (30, 10**6, 2**62, -2**62):
        check("lagged", x, k, "full", "wrap", 0.0, rows=3, lag=lag)


@pytest.mark.parametrize("fname", FUNCS)
def test_zero_size(fname):
    k = np.ones((2, 3))
    empty_batch = call(fname, np.zeros((0, 5)), k, "full", "symm", 0)
    assert empty_batch.size == 0 and empty_batch.shape[0] == 0
    x = np.zeros((2, 0))
    for mode in SIZES:  # an empty signal gives the reference's result (it gave N' = 0)
        for boundary, fillvalue in (("fill", 0.0), ("fill", 2.5), ("symm", 0), ("wrap", 0)):
            if boundary != "fill" and mode == "full":  # (scipy: SIGFPE)
                with pytest.raises(ValueError, match="boundary"):
                    call(fname, x, k, mode, boundary, fillvalue, rows=3)
                continue
            for combine in (COMBINES if fname == "filter_bank" else ["stack"]):
                check(fname, x, k, mode, boundary, fillvalue, rows=3, lag=2, combine=combine)


@pytest.mark.parametrize("fname", FUNCS)
def test_complex(fname):
    rng = np.random.default_rng(2)
    xr, kr = rng.standard_normal((2, 23)), rng.standard_normal((3, 4))
    xc = xr + 1j * rng.standard_normal((2, 23))
    kc = kr + 1j * rng.standard_normal((3, 4))
    combine = "mean" if fname == "filter_bank" else "stack"
    for x, k, fillvalue in [(xc, kr, 1 - 2j), (xr, kc, 1.5), (xc, kc, -2 + 0.5j),
                            (xc.astype(np.complex64), kr, 0.5j), (xr, kc, 1 - 0.5j)]:
        for mode, boundary in [("full", "fill"), ("same", "symm"), ("valid", "wrap")]:
            check(fname, x, k, mode, boundary, fillvalue, rows=4, lag=-2, combine=combine)


def test_complex_max_is_refused():
    with pytest.raises(TypeError) as info:
        on1d.filter_bank(np.ones(5) + 1j, np.ones((2, 2)), combine="max")
    assert names(info.value, "combine")


@pytest.mark.parametrize("fname", FUNCS)
def test_nan_lands_where_the_reference_puts_it(fname):
    rng = np.random.default_rng(3)
    x, k = rng.standard_normal(40), rng.standard_normal((3, 4))
    x[[0, 17, 39]] = np.nan
    for mode, boundary, lag in itertools.product(SIZES, ["fill", "symm", "wrap"], [1, -3, 7]):
        if mode == "valid" and fname == "single_row":  # a 1 x 40 input, a 3 x 4 kernel
            continue
        combine = "max" if fname == "filter_bank" else "stack"
        got = call(fname, x, k, mode, boundary, 1.0, rows=3, lag=lag, combine=combine)
        want = expected(fname, x, k, mode, boundary, 1.0, rows=3, lag=lag, combine=combine)
        np.testing.assert_array_equal(np.isnan(got), np.isnan(want),
                                      err_msg=f"{mode} {boundary} lag={lag}")


@pytest.mark.parametrize("fname", FUNCS)
def test_a_kept_plan_serves_only_its_own_kernel_shapes_and_options(fname):
    """Plans are kept per kernel bytes, shapes and options (_bank.planned): calls that change
    one thing at a time -- fillvalue (NaN too), x's dtype, complex x, the batch, the length,
    the boundary, a 'valid' call that drops it, the kernel changed in place -- each get the
    reference's result, and a repeated call the same bits as the first."""
    rng = np.random.default_rng(5)
    k = rng.standard_normal((3, 4))
    x = rng.standard_normal((2, 9))
    calls = [(x, "full", "fill", 0.0), (x, "full", "fill", 2.5), (x, "full", "fill", np.nan),
             (x.astype(np.float32), "full", "fill", 2.5), (x + 1j * x[::-1], "full", "fill", 1j),
             (x[0], "full", "fill", 2.5), (x[:, :7], "full", "fill", 2.5),
             (x, "same", "symm", 0.0), (x, "same", "fill", -1.0),
             (x[:, :2], "valid", "symm", 3.0), (x[:, :2], "valid", "fill", 3.0)]
    combines = COMBINES if fname == "filter_bank" else ("stack",)
    for kernel_change in (None, (1, 2)):
        if kernel_change:
            k[kernel_change] = 7.0  # the same array, other bytes
        for (xi, mode, boundary, fillvalue), combine in itertools.product(calls, combines):
            if combine == "max" and xi.dtype.kind == "c":
                continue
            check(fname, xi, k, mode, boundary, fillvalue, rows=3, lag=2, combine=combine)
            again = [call(fname, xi, k, mode, boundary, fillvalue, rows=3, lag=2,
                          combine=combine) for _ in range(2)]
            np.testing.assert_array_equal(*again)


@pytest.mark.parametrize("dtype", [np.float64, np.complex128])
def test_lagged_edges_of_a_large_kernel(dtype):
    """The edge columns sum each output's kh x kw window of a slab (_bank.LagEdge): a kernel
    wider and taller than the signal's rows, batched signals, real and complex."""
    rng = np.random.default_rng(8)
    k = rng.standard_normal((24, 40)).astype(dtype)
    x = rng.standard_normal((2, 100)).astype(dtype)
    for mode, boundary in (("full", "symm"), ("same", "fill"), ("full", "wrap")):
        check("lagged", x, k, mode, boundary, 0.5, rows=6, lag=3)
    on1d.lagged(x, k, rows=6, lag=3)  # planned; then the windows are a view of the slab:
    tracemalloc.start()               # a copy of every output's 24 x 40 window, 17-34 MB
    try:                              # here, would fail this
        out = on1d.lagged(x, k, rows=6, lag=3)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak - out.nbytes < 2**21, (peak, out.nbytes)


@pytest.mark.parametrize("fname", FUNCS)
def test_a_complex_fillvalue_warns_at_the_call(fname):
    """A NumPy complex fillvalue for real data keeps its real part with scipy's
    ComplexWarning, which points at the user's line however many of axisconv's modules are
    compiled (they make no frames), on a first call and a repeated one."""
    x, k = np.arange(6.0), np.ones((2, 3))
    for _ in range(2):
        with pytest.warns(np.exceptions.ComplexWarning) as record:
            got = call(fname, x, k, "full", "fill", np.complex128(2 + 1j), rows=3, lag=2)
        assert record[0].filename == __file__
        np.testing.assert_allclose(got, expected(fname, x, k, "full", "fill", 2.0, rows=3,
                                                 lag=2))


def test_kept_calls_hold_a_copy_of_the_kernel_and_not_the_signal():
    """Calls of plain arguments seen before copy their checked Call from a template
    (_bank.Call.checked): it holds its own copy of the kernel, never x, and
    at most _bank._KEPT of them are kept; -0.0 gets its own (the sign of a fill row's
    zeros)."""
    k = np.ones((2, 3))
    x = np.arange(7.0)
    alive = weakref.ref(x)
    on1d.single_row(x, k)
    del x
    gc.collect()
    assert alive() is None
    for i in range(3 * _bank._KEPT):
        on1d.single_row(np.ones(5), np.full((2, 2), float(i)))
    assert len(_bank._TEMPLATES) <= _bank._KEPT
    twin, x = k.copy(), np.arange(5.0)
    on1d.lagged(x, k, 3)
    k[0, 0] = 5.0  # the array of the first call changes; its old bytes come back in twin
    np.testing.assert_array_equal(on1d.lagged(x, twin, 3),  # (lagged's edges read the kernel)
                                  signal.convolve2d(on1d.lag_matrix(x, 3), twin))
    for fillvalue in (0.0, -0.0, 0, 2, 2.0, -2.0):
        kept = _bank.Call.checked(np.ones(5), k, "full", "fill", fillvalue, None)
        fresh = _bank.Call(np.ones(5), k, "full", "fill", fillvalue, None)
        assert math.copysign(1, kept.cval) == math.copysign(1, fresh.cval), fillvalue
        assert kept.cval == fresh.cval, fillvalue


# --------------------------------------------------------------------------
# Threads, views, SIMD paths, long signals
# --------------------------------------------------------------------------
@pytest.mark.parametrize("fname", FUNCS)
def test_threads_bitwise_equal(fname):
    rng = np.random.default_rng(4)
    x, k = rng.standard_normal((3, 40001)), rng.standard_normal((5, 5))
    for combine in (["stack", "max", "sum"] if fname == "filter_bank" else ["stack"]):
        a = call(fname, x, k, "same", "symm", 0, rows=6, lag=3, combine=combine, threads=1)
        b = call(fname, x, k, "same", "symm", 0, rows=6, lag=3, combine=combine, threads=2)
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("fname", FUNCS)
def test_views_and_byte_order(fname):
    rng = np.random.default_rng(6)
    base = rng.standard_normal((4, 90))
    k = rng.standard_normal((3, 5))
    views = [base[:, ::-3], base.T.copy().T, base[::2, 5:-5], base.astype(">f8"),
             np.asfortranarray(base)[1:3]]
    for x in views:
        before = x.copy()
        check(fname, x, k, "full", "symm", 0, rows=3, lag=2, combine="max")
        check(fname, x, k, "same", "fill", 2.0, rows=3, lag=-1, combine="stack")
        np.testing.assert_array_equal(x, before)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_long_signals_on_every_simd_path(simd, dtype):
    """Many segments of the C bank, the in-place interior and the padded ends."""
    rng = np.random.default_rng(7)
    x = rng.uniform(-1, 1, (2, 20011)).astype(dtype)
    k = rng.uniform(-1, 1, (5, 7))
    k[1] = k[1, ::-1]  # a symmetric row: the folded kernels
    for fname in FUNCS:
        check(fname, x, k, "same", "symm", 0, rows=6, lag=-2, combine="max")
        check(fname, x, k, "full", "fill", 1.5, rows=6, lag=3, combine="stack")
    # rows whose shifts spread wider than a work item of the bank, then just within one
    check("lagged", x, k, "same", "wrap", 0.0, rows=6, lag=-3001)
    check("lagged", x, k, "full", "symm", 0.0, rows=6, lag=1500)


@pytest.mark.parametrize("threads", [1, 2])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_rows_copied_from_a_line_streamed_or_not(stores, dtype, threads):
    """Rows that show one line (replicated, lagged, single_row's rows in 'full') are copied
    from it, with streaming stores when the output is large: 17 rows of odd widths start at
    every offset in a cache line, rows shorter than a line have no whole line, and the ends
    of the others are partial lines."""
    rng = np.random.default_rng(9)
    k = rng.uniform(-1, 1, (3, 5))
    for n in (16 * 1024 + 3, 37, 9):  # several work items of the bank, one, rows < a line
        x = rng.uniform(-1, 1, (2, n)).astype(dtype)
        for fname, lag in (("replicated", 0), ("lagged", 1), ("lagged", -5), ("lagged", 7)):
            check(fname, x, k, "same", "symm", 0, rows=17, lag=lag, threads=threads)
            check(fname, x, k, "full", "fill", 0.5, rows=5, lag=lag, threads=threads)
        check("single_row", x, k, "full", "symm", 0, threads=threads)


# --------------------------------------------------------------------------
# Memory: the 2-D input is never built
# --------------------------------------------------------------------------
@pytest.mark.parametrize("fname", FUNCS)
def test_peak_memory_is_the_output_plus_a_little(fname):
    x, k = np.random.default_rng(8).standard_normal(200_000), np.ones((5, 5))
    tracemalloc.start()
    try:
        out = call(fname, x, k, "same", "symm", 0, rows=16, lag=1, combine="sum")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak - out.nbytes < x.nbytes // 2, (peak, out.nbytes)


# --------------------------------------------------------------------------
# Errors (docs/contract.md §7): ValueError / TypeError naming the argument
# --------------------------------------------------------------------------
X, K = np.ones(8), np.ones((2, 3))


@pytest.mark.parametrize("f, args", [(on1d.replicated, ()), (on1d.lagged, ()),
                                     (on1d.lag_matrix, ())])
def test_rows_errors(f, args):
    kernel = () if f is on1d.lag_matrix else (K,)
    raises_naming(ValueError, "rows", f, X, *kernel, 0)
    raises_naming(ValueError, "rows", f, X, *kernel, -3)
    raises_naming(TypeError, "rows", f, X, *kernel, 2.0)
    raises_naming(TypeError, "rows", f, X, *kernel, True)
    raises_naming(TypeError, "rows", f, X, *kernel, None)


def test_lag_errors():
    raises_naming(TypeError, "lag", on1d.lagged, X, K, 3, 1.5)
    raises_naming(TypeError, "lag", on1d.lag_matrix, X, 3, "1")


@pytest.mark.parametrize("fname", FUNCS)
def test_argument_errors(fname):
    def f(**kw):
        args = dict(x=X, k=K, mode="full", boundary="fill", fillvalue=0, rows=2, lag=1,
                    combine="stack")
        args.update(kw)
        return call(fname, args.pop("x"), args.pop("k"), **args)

    raises_naming(ValueError, "kernel", f, k=np.ones(3))
    raises_naming(ValueError, "kernel", f, k=np.ones((2, 2, 2)))
    raises_naming(ValueError, "kernel", f, k=np.ones((0, 3)))
    raises_naming(TypeError, "kernel", f, k=np.array([["a", "b"]]))
    raises_naming(ValueError, "mode", f, mode="constant")
    raises_naming(ValueError, "mode", f, mode=1)          # scipy.signal: ValueError
    raises_naming(ValueError, "boundary", f, boundary="pad_with_sevens")
    raises_naming(ValueError, "boundary", f, boundary=None)
    raises_naming(ValueError, "fillvalue", f, fillvalue=1j)
    raises_naming(ValueError, "fillvalue", f, fillvalue="one")
    raises_naming(ValueError, "threads", f, threads=0)
    raises_naming(ValueError, "x", f, x=np.float64(3.0))
    raises_naming(TypeError, "x", f, x=np.array(["a", "b"]))
    if fname == "filter_bank":
        raises_naming(ValueError, "combine", f, combine="median")
        raises_naming(TypeError, "combine", f, combine=None)
    else:  # scipy's 'valid' rule: 4 x 8 input, 6 x 3 kernel
        raises_naming(ValueError, "mode", f, mode="valid", k=np.ones((6, 3)), rows=4)


def test_c_bank_refuses_bad_pieces():
    """The C entry point checks what the Python layer guarantees (no crash, no write)."""
    from axisconv import _core
    x, out = np.ones(10), np.zeros((2, 10))
    taps, bias, rows = np.ones(3), np.zeros(2), np.array([0, 1], np.int64)

    def bank(pieces, row_line=rows, combine=0, o=out, shift=np.zeros(2, np.int64)):
        _core.bank(x, o, taps, np.array(pieces, np.int64).reshape(-1, 4), bias, row_line,
                   shift, combine, 0, 0.0, 1)

    bank([[0, 3, -1, 0], [0, 3, -1, 1]])  # fine
    for pieces in ([[0, 4, 0, 0]], [[2, 2, 0, 0]], [[-1, 1, 0, 0]], [[0, 0, 0, 0]],
                   [[0, 3, 0, 2]], [[0, 3, 0, 1], [0, 3, 0, 0]], [[0, 3, 2**62, 0]]):
        with pytest.raises(ValueError):
            bank(pieces)
    with pytest.raises(ValueError):
        bank([[0, 3, 0, 0]], row_line=np.array([0, 5], np.int64))
    with pytest.raises(ValueError):
        bank([[0, 3, 0, 0]], shift=np.array([0, -2**62], np.int64))
    with pytest.raises(ValueError):  # max needs one output row
        bank([[0, 3, 0, 0]], combine=1)
    with pytest.raises(ValueError):  # the output's last axis must be contiguous
        bank([[0, 3, 0, 0]], o=np.zeros((2, 20))[:, ::2])


def test_c_bank_rows_share_a_line_up_to_a_shift():
    """Row r = line[j + shift[r]]: computed once over the union of the windows when the
    shifts are close, row by row when they spread wider than a work item."""
    from axisconv import _core
    x = np.random.default_rng(9).standard_normal(30000)
    taps = np.array([1.0, -2.0, 0.5])
    for shifts in ([0, 3, -5, 3], [0, 20000, -9000, 1]):
        out = np.empty((4, 30000))
        _core.bank(x, out, taps, np.array([[0, 3, -1, 0]], np.int64), np.zeros(1),
                   np.zeros(4, np.int64), np.array(shifts, np.int64), 0, 4, 0.0, 2)
        ext = np.pad(x, 40000)  # mode 4: constant 0
        for r, s in enumerate(shifts):
            j = np.arange(30000) + s - 1 + 40000
            want = taps[0] * ext[j] + taps[1] * ext[j + 1] + taps[2] * ext[j + 2]
            np.testing.assert_allclose(out[r], want, rtol=0, atol=1e-12)


def test_exported():
    assert axisconv.on1d is on1d
    assert set(on1d.__all__) == {"single_row", "replicated", "lag_matrix", "lagged",
                                 "filter_bank"}
    for name in on1d.__all__:
        assert getattr(on1d, name).__doc__
