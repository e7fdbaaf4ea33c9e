"""correlate_separable / convolve_separable (docs/contract.md §3, §7) writing `out` (returned
and filled over every dtype and memory order: test_reference.py): views of it with nothing
written around them, streamed past the caches, in place and overlapping x; the column pass
(folded, accumulating, bits independent of the position) and the same bytes for every thread
count; zero-size input.  The oracle is scipy.ndimage's 1-D filters along each axis in turn
(_axc_testing.separable_oracle)."""
import numpy as np
import pytest
from _axc_testing import (
    assert_chain_close,
    call,
    chain_tolerance,
    random_kernel,
    random_values,
    result_dtype,
    separable_oracle,
)
from _layouts import STORED_SHAPES, out_at_offset, strided_view
from reference.separable import axes_list, per_axis

import axisconv
from axisconv import _core
from axisconv._modes import mode_code

FUNCS = ["correlate_separable", "convolve_separable"]


# --------------------------------------------------------------------------
# out=
# --------------------------------------------------------------------------
LAYOUTS = [
    ("C", None, None), ("F", [1, 0], None), ("reversed", None, [-1, -1]),
    ("step2", None, [2, 3]), ("F-neg", [1, 0], [-2, 1]),
]


@pytest.mark.parametrize("fname", FUNCS)
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("layout", LAYOUTS, ids=[l[0] for l in LAYOUTS])
def test_out_views_and_no_writes_outside_out(simd, fname, dtype, layout):
    rng = np.random.default_rng(21)
    _, perm, steps = layout
    for shape in [(23, 31), (130, 97)]:
        x = random_values(rng, shape, dtype)
        k = [random_kernel(rng, 6), random_kernel(rng, 3)]
        out, base = strided_view(np.zeros(shape, dtype), perm, steps, fill=-123.0)
        gaps = base == -123.0          # the cells of base that are not out's
        res = call(fname, x, k, mode=["reflect", "constant"], cval=0.5, out=out)
        assert res is out
        exp = separable_oracle(fname, x, k, mode=["reflect", "constant"], cval=0.5)
        assert_chain_close(out, exp, dtype, k, ["reflect", "constant"], x, 0.5)
        assert (base[gaps] == -123.0).all(), "wrote outside out"


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("offset", [0, 4, 8, 16, 32], ids=lambda o: f"out+{o}B")
def test_large_outputs_streamed_past_the_caches(simd, dtype, offset, stores):
    """Written with streaming stores (over the streaming threshold, here set to 0) and
    with plain ones: the column pass (tap by tap, and folded) streams whole cache lines
    of `out` and writes the pieces around them plainly: every alignment of `out`, odd
    widths (vector tails), nothing written around."""
    rng = np.random.default_rng(27)
    x = random_values(rng, STORED_SHAPES[np.dtype(dtype)], dtype)
    for kind in ("random", "symmetric"):
        out, untouched = out_at_offset(x.shape, dtype, offset)
        ks = [random_kernel(rng, 5, kind=kind), random_kernel(rng, 4)]
        assert axisconv.correlate_separable(x, ks, mode=["nearest", "wrap"], out=out) is out
        exp = separable_oracle("correlate_separable", x, ks, mode=["nearest", "wrap"])
        assert_chain_close(out, exp, dtype, ks, ["nearest", "wrap"], x, 0.0, err_msg=kind)
        assert untouched(), "wrote outside out"


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("kind", ["symmetric", "antisymmetric"])
def test_folded_column_pass(simd, dtype, kind):
    """Odd symmetric and antisymmetric column kernels are folded (half the multiplies):
    right against the oracle, the same bits for any thread count (the images are tall
    enough for several bands), and for antisymmetric kernels exact zeros on constant images,
    as along rows."""
    rng = np.random.default_rng(28)
    for shape in [(600, 200), (37, 131), (9, 45)]:
        x = random_values(rng, shape, dtype)
        for K in (3, 5, 9, 15, 31):
            ks = [random_kernel(rng, K, kind=kind), random_kernel(rng, 4)]
            modes = ["mirror", "reflect"]
            ref = axisconv.correlate_separable(x, ks, mode=modes, threads=1)
            exp = separable_oracle("correlate_separable", x, ks, mode=modes)
            assert_chain_close(ref, exp, dtype, ks, modes, x, 0.0, err_msg=f"{shape} K={K}")
            for threads in (2, 3):
                got = axisconv.correlate_separable(x, ks, mode=modes, threads=threads)
                assert got.tobytes() == ref.tobytes(), f"{shape} K={K} threads={threads}"
            if kind == "antisymmetric":
                flat = np.full(shape, 0.7, dtype)
                assert not axisconv.correlate_separable(flat, ks, mode=modes).any()


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("kind", ["random", "symmetric", "antisymmetric"])
def test_column_pass_bits_do_not_depend_on_position(simd, dtype, kind):
    """Column kernels sum each output in one order in their 4-row, several-vector blocks and
    in their single-row, single-vector and scalar tails: shifting the image by a column or
    a row moves outputs between blocks and tails without changing a bit."""
    rng = np.random.default_rng(29)
    x = random_values(rng, (41, 173), dtype)
    for K in (3, 7, 15):
        ks = [random_kernel(rng, K, kind=kind), np.ones(1)]   # the row pass copies
        y = axisconv.correlate_separable(x, ks, mode="wrap")
        for s in range(1, 18):
            shifted = axisconv.correlate_separable(x[:, s:], ks, mode="wrap")
            assert shifted.tobytes() == y[:, s:].tobytes(), f"K={K} columns from {s}"
        for s in range(1, 5):
            shifted = axisconv.correlate_separable(x[s:], ks, mode="wrap")
            assert shifted[K:-K].tobytes() == y[s + K:-K].tobytes(), f"K={K} rows from {s}"


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_first_pass_rows_in_chunks(simd, dtype):
    """The fused pass filters its input rows a chunk of 1 KiB at a time (prefetching the row
    ahead in between, plane.inc): rows one chunk long, a little more or less, and several
    chunks with a rest give, in every mode and at every origin, the bits of correlate1d
    along the rows (the column kernel [1] copies; the row kernel runs first in every mode),
    and with a column kernel the oracle's values."""
    rng = np.random.default_rng(31)
    chunk = 1024 // np.dtype(dtype).itemsize  # plane.inc, AX_PREFETCH_CHUNK
    for width in (chunk - 1, chunk, chunk + 1, 2 * chunk + 6, 3 * chunk + 37, 4 * chunk - 3):
        x = random_values(rng, (23, width), dtype)
        for K, kind in ((3, "symmetric"), (13, "symmetric"), (8, "random"), (31, "random")):
            k = random_kernel(rng, K, kind=kind)
            for mode in ("mirror", "constant", "wrap", "nearest"):
                for origin in (-(K // 2), 0, (K - 1) // 2):
                    got = axisconv.correlate_separable(x, [k, np.ones(1)], axes=(1, 0),
                                                       mode=mode, cval=0.5, origin=[origin, 0])
                    row = axisconv.correlate1d(x, k, axis=-1, mode=mode, cval=0.5,
                                               origin=origin)
                    assert got.tobytes() == row.tobytes(), f"width {width} K={K} {mode} {origin}"
            ks = [random_kernel(rng, 5), k]
            modes = ["reflect", "reflect"]
            got = axisconv.correlate_separable(x, ks, mode=modes, threads=2)
            exp = separable_oracle("correlate_separable", x, ks, mode=modes)
            assert_chain_close(got, exp, dtype, ks, modes, x, 0.0, err_msg=f"{width} {K}")


def test_first_pass_chunks_of_narrow_tiles(simd):
    """A long column kernel on wide float64 rows makes the ring of a whole row outgrow the L2
    budget (plane.inc, tile_plane): the plane is cut into tiles of columns, and each tile's
    rows are filtered a chunk at a time from the tile's first column."""
    rng = np.random.default_rng(32)
    x = random_values(rng, (40, 16384), np.float64)
    ks = [random_kernel(rng, 7), random_kernel(rng, 31, kind="symmetric")]
    for mode in ("mirror", "constant"):  # rows first (axes order), then the long columns
        got = axisconv.correlate_separable(x, ks, axes=(1, 0), mode=mode, cval=0.25, threads=2)
        exp = separable_oracle("correlate_separable", x, ks, axes=(1, 0), mode=mode, cval=0.25)
        assert_chain_close(got, exp, np.float64, ks, [mode] * 2, x, 0.25, err_msg=mode)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("kind", ["random", "symmetric"])
def test_accumulating_pass(simd, dtype, kind):
    """The fused pass adding to `out` (how correlate2d sums the separable passes of a
    low-rank kernel), with tap-by-tap and folded column kernels."""
    rng = np.random.default_rng(30)
    x = random_values(rng, (70, 150), dtype)
    rows, cols = random_kernel(rng, 4).astype(dtype), random_kernel(rng, 7, kind=kind).astype(dtype)
    start = random_values(rng, x.shape, dtype)
    out = start.copy()
    reflect = mode_code("reflect")[0]
    _core.correlate_separable(x, out, (1, rows.astype(np.float64), 2, reflect, 0.0),
                              (0, cols.astype(np.float64), 3, reflect, 0.0), True, 2)
    conv = separable_oracle("correlate_separable", x, [cols, rows], mode="reflect")
    exp = start + conv
    # the passes' error, then one rounding of the addition to `out`
    atol = (chain_tolerance(dtype, [rows, cols], ["reflect"] * 2, x, 0.0)
            + float(np.finfo(dtype).eps) * np.abs(exp).max())
    np.testing.assert_allclose(out, exp, rtol=0, atol=atol)


# (shape, axes, perm, steps): C order, a large plane, a permuted view with a reversed and a
# stepped axis, three axes
IN_PLACE_CASES = [((40, 50), None, None, None), ((300, 500), None, None, None),
                  ((3, 40, 30), (0, 2), [2, 0, 1], [1, -1, 2]), ((5, 6, 7), (2, 0, 1), None, None)]


def in_place_case(rng, shape, axes, perm, steps, dtype):
    """(values, x: a view of them with those strides, one kernel per axis of 5, 4, 7 taps)."""
    values = random_values(rng, shape, dtype)
    x, _ = strided_view(values, perm, steps)
    n = len(axes_list(axes, len(shape)))
    return values, x, [random_kernel(rng, K) for K in (5, 4, 7)[:n]]


@pytest.mark.parametrize("fname", FUNCS)
@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.complex64])
@pytest.mark.parametrize("threads", [1, 2])
def test_in_place(simd, fname, dtype, threads):
    rng = np.random.default_rng(22)
    for shape, axes, perm, steps in IN_PLACE_CASES:
        values, x, ks = in_place_case(rng, shape, axes, perm, steps, dtype)
        n = len(ks)
        modes = ["wrap", "constant", "reflect"][:n]
        res = call(fname, x, ks, axes, mode=modes, cval=-2.0, origin=[1, 0, -1][:n],
                   out=x, threads=threads)
        assert res is x
        exp = separable_oracle(fname, values, ks, axes, mode=modes, cval=-2.0,
                               origin=[1, 0, -1][:n])
        assert_chain_close(x, exp, dtype, ks, modes, values, -2.0, err_msg=f"{shape} {axes}")


@pytest.mark.parametrize("fname", FUNCS)
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_in_place_gives_the_bits_of_a_fresh_result(simd, fname, dtype):
    """In place the passes run one at a time, yet in the fused pass's order (by stride, where
    the order is free: docs/contract.md §3), so the bits are those of a fresh result."""
    rng = np.random.default_rng(23)
    for shape, axes, perm, steps in IN_PLACE_CASES + [((40, 50), (1, 0), None, None)]:
        values, x, ks = in_place_case(rng, shape, axes, perm, steps, dtype)
        for mode, cval in (("reflect", 0.0), ("constant", 0.0), ("constant", -2.0)):
            fresh = call(fname, x, ks, axes, mode=mode, cval=cval)
            y, _ = strided_view(values.copy(), perm, steps)  # x's values and strides
            assert call(fname, y, ks, axes, mode=mode, cval=cval, out=y) is y
            assert y.tobytes() == fresh.tobytes(), f"{shape} {axes} {mode} {cval}"


@pytest.mark.parametrize("fname", FUNCS)
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("threads", [1, 2])
def test_out_overlapping_x(simd, fname, dtype, threads):
    rng = np.random.default_rng(23)
    cases = []
    buf = random_values(rng, (41, 30), dtype)
    cases.append(("shifted rows", buf[1:], buf[:-1]))
    buf = random_values(rng, (40, 31), dtype)
    cases.append(("shifted cols", buf[:, :-1], buf[:, 1:]))
    buf = random_values(rng, (30, 30), dtype)
    cases.append(("transposed", buf, buf.T))
    buf = random_values(rng, (301, 500), dtype)
    cases.append(("large shifted", buf[:-1], buf[1:]))
    buf = random_values(rng, (300, 500), dtype)
    cases.append(("large reversed", buf, buf[::-1, ::-1]))
    for desc, x, out in cases:
        assert np.shares_memory(x, out)
        values = x.copy()
        ks = [random_kernel(rng, 7), random_kernel(rng, 4)]
        exp = separable_oracle(fname, values, ks, mode=["mirror", "constant"], cval=1.0)
        res = call(fname, x, ks, mode=["mirror", "constant"], cval=1.0, out=out,
                   threads=threads)
        assert res is out
        assert_chain_close(out, exp, dtype, ks, ["mirror", "constant"], values, 1.0,
                           err_msg=desc)


# --------------------------------------------------------------------------
# Threads: identical bytes for every thread count
# --------------------------------------------------------------------------
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("shape,axes", [((300, 500), None), ((300, 500), (1, 0)),
                                        ((4, 120, 130), None), ((6, 80, 90), (0, 2)),
                                        ((1000, 64), None), ((3, 100, 200), (2, 0, 1))])
def test_threads_bitwise_identical(dtype, shape, axes, restore_threads):
    rng = np.random.default_rng(30)
    x = random_values(rng, shape, dtype)
    n = len(axes_list(axes, len(shape)))
    for fname, ks, mode in [("correlate_separable", [random_kernel(rng, K) for K in (7, 4, 3)][:n],
                             "reflect"),
                            ("convolve_separable", random_kernel(rng, 5), "constant"),
                            ("correlate_separable", [random_kernel(rng, K) for K in (2, 9, 5)][:n],
                             ["wrap", "constant", "mirror"][:n])]:
        ref = call(fname, x, ks, axes, mode=mode, cval=0.25, threads=1)
        for t in (2, 3):
            got = call(fname, x, ks, axes, mode=mode, cval=0.25, threads=t)
            assert got.dtype == ref.dtype
            assert got.tobytes() == ref.tobytes(), f"{fname} {mode} threads={t} differs"
        axisconv.set_num_threads(2)
        assert call(fname, x, ks, axes, mode=mode, cval=0.25).tobytes() == ref.tobytes()
        a, b = x.copy(), x.copy()
        call(fname, a, ks, axes, mode=mode, cval=0.25, out=a, threads=1)
        call(fname, b, ks, axes, mode=mode, cval=0.25, out=b, threads=2)
        assert a.tobytes() == b.tobytes(), f"{fname} {mode} in place differs"
    klist = ks if isinstance(ks, list) else [ks] * n
    exp = separable_oracle(fname, x, ks, axes, mode=mode, cval=0.25)
    assert_chain_close(ref, exp, dtype, klist, per_axis(mode, n), x, 0.25)


# --------------------------------------------------------------------------
# Zero-size input
# --------------------------------------------------------------------------
@pytest.mark.parametrize("fname", FUNCS)
@pytest.mark.parametrize("shape", [(0, 5), (5, 0), (0, 0), (3, 0, 4), (0,)])
@pytest.mark.parametrize("x_dtype", [np.float32, np.float64, np.int32, np.complex64])
def test_zero_size_input(fname, shape, x_dtype):
    x = np.zeros(shape, x_dtype)
    got = call(fname, x, [1.0, 2.0, 3.0])
    assert got.shape == shape
    assert got.dtype == result_dtype(x_dtype, np.float64)


def test_kernels_longer_than_the_image_run_one_axis_at_a_time(monkeypatch):
    """The fused pass would filter K - 1 halo rows of boundary copies (K^2 work: 12 s for a
    4x4 image and 60001 taps); one axis at a time gives the same bits in milliseconds."""
    import axisconv.separable as separable_module

    class NoFusedPass:
        def __getattr__(self, name):
            if name == "correlate_separable":
                raise AssertionError("the fused pass ran a kernel longer than its axis")
            return getattr(separable_module._core, name)

    x = np.random.default_rng(0).random((4, 4))
    k = np.random.default_rng(1).random(60001)
    monkeypatch.setattr(separable_module, "_core", NoFusedPass())
    fused = axisconv.correlate_separable(x, k, mode="mirror")
    twice = axisconv.correlate1d(axisconv.correlate1d(x, k, axis=1, mode="mirror"), k, axis=0,
                                 mode="mirror")
    np.testing.assert_array_equal(fused, twice)


@pytest.mark.parametrize("fname", FUNCS)
@pytest.mark.parametrize("shape,axes", [((2, 100), None), ((3, 50), None), ((40, 60), None),
                                        ((4, 5, 30), (0, 1, 2)), ((30, 20), (1, 0))])
@pytest.mark.parametrize("where", ["first", "last"])
def test_kernel_inside_out(simd, fname, shape, axes, where):
    """A kernel that is a view of `out` gives what a copy of it gives: the passes run one at a
    time (a kernel longer than the axis, a third axis) read it after a pass wrote `out` (each
    kernel was then read from what that pass had written)."""
    rng = np.random.default_rng(24)
    x, k = rng.standard_normal(shape), np.array([0.25, 0.5, 0.125, 0.0625, 1.0])
    for inplace in (False, True):
        out = x.copy() if inplace else np.zeros(shape)
        flat = out.reshape(-1)
        at = slice(0, 5) if where == "first" else slice(flat.size - 5, None)
        flat[at] = k
        source = out if inplace else x
        want = call(fname, source.copy(), k, axes)
        assert call(fname, source, flat[at], axes, out=out) is out
        np.testing.assert_array_equal(out, want, err_msg=f"in place: {inplace}")
