"""correlate1d / convolve1d (docs/contract.md §2, §7) writing `out` (returned and filled over
every dtype and memory order: test_reference.py): views of it with nothing written around
them, in place (out=x) with no full-size temporary, out overlapping x, outputs streamed past
the caches, and the same bytes for every thread count.  scipy.ndimage is the oracle."""
import subprocess
import sys
import textwrap

import numpy as np
import pytest
from _axc_testing import (
    assert_close,
    call,
    oracle,
    random_kernel,
    random_values,
)
from _layouts import STORED_SHAPES, in_layout, out_at_offset, strided_view

import axisconv
from axisconv import _core

FUNCS = ["correlate1d", "convolve1d"]


# --------------------------------------------------------------------------
# out=
# --------------------------------------------------------------------------
OUT_LAYOUTS = {
    "F": dict(perm=[1, 0]),
    "reversed": dict(steps=[-1, -1]),
    "step_slices": dict(steps=[2, -3]),
    "transposed_steps": dict(perm=[1, 0], steps=[-2, 2]),
}


@pytest.mark.parametrize("layout", list(OUT_LAYOUTS))
@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.complex64])
def test_out_views_and_no_writes_outside_out(simd, layout, dtype):
    rng = np.random.default_rng(111)
    x = random_values(rng, (19, 37), dtype)
    k = random_kernel(rng, 7)
    for axis in (0, 1):
        out, base = strided_view(np.zeros(x.shape, dtype), **OUT_LAYOUTS[layout])
        n_gap = base.size - out.size
        res = axisconv.convolve1d(x, k, axis=axis, out=out, mode="mirror", origin=2)
        assert res is out
        assert_close(out, oracle("convolve1d", x, k, axis=axis, mode="mirror", origin=2),
                     dtype, k, x)
        assert np.isnan(base).sum() == n_gap, "wrote into the gaps of out's buffer"
    # a window of a larger buffer: nothing before or after it changes
    buf = np.full(x.size + 64, 777, dtype)
    out = buf[32:32 + x.size].reshape(x.shape)
    axisconv.correlate1d(x, k, axis=0, out=out)
    assert (buf[:32] == 777).all() and (buf[32 + x.size:] == 777).all()
    # an unaligned out
    out = in_layout(np.zeros(x.shape, dtype), "unaligned")
    axisconv.correlate1d(x, k, axis=1, out=out)
    assert_close(out, oracle("correlate1d", x, k, axis=1), dtype, k, x)


# --------------------------------------------------------------------------
# In place: out=x
# --------------------------------------------------------------------------
@pytest.mark.parametrize("fname", FUNCS)
@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.complex128])
@pytest.mark.parametrize("layout", ["C", "F", "reversed", "strided"])
@pytest.mark.parametrize("threads", [1, 2])
def test_in_place(simd, fname, dtype, layout, threads):
    rng = np.random.default_rng(120)
    for shape, axis in [((50,), 0), ((13, 29), 0), ((13, 29), 1), ((4, 9, 11), 1),
                        ((200, 150), 0), ((200, 150), 1)]:
        L = shape[axis]
        kernels = [(5, "reflect", 0), (6, "wrap", -3), (1, "nearest", 0)]
        if np.prod(shape) < 2000:                  # long kernels on small arrays
            kernels += [(2 * L + 3, "mirror", 1), (3 * L + 1, "wrap", 0),
                        (L + 1, "constant", 0), (2 * L, "nearest", -L)]
        for K, mode, origin in kernels:
            values = random_values(rng, shape, dtype)
            x = in_layout(values, layout)
            k = random_kernel(rng, K)
            exp = oracle(fname, values, k, axis=axis, mode=mode, origin=origin, cval=2.0)
            res = call(fname, x, k, axis=axis, mode=mode, origin=origin, cval=2.0,
                       out=x, threads=threads)
            assert res is x
            assert_close(x, exp, dtype, k, values, cval=2.0,
                         err_msg=f"{shape} axis={axis} K={K} {mode} origin={origin}")


@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_in_place_has_no_full_size_temporary(dtype, tmp_path):
    """out=x works in place: the process's peak memory grows by much less
    than the size of x (measured with ru_maxrss in a fresh process)."""
    pytest.importorskip("resource")
    code = textwrap.dedent(f"""
        import resource, sys
        import numpy as np, axisconv
        def peak():
            return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # Linux: KiB
        axisconv.correlate1d(np.ones((64, 64)), np.ones(5), out=np.ones((64, 64)))
        x = np.ones((4000, 4000), np.{dtype})
        x[...] = 0.5
        nbytes = x.nbytes
        for axis, threads in ((1, 1), (0, 1), (1, 2), (0, 2)):
            before = peak()
            r = axisconv.correlate1d(x, np.ones(9), axis=axis, out=x, threads=threads,
                                     mode="wrap")
            assert r is x
            grew = peak() - before
            print(axis, threads, grew, nbytes, flush=True)
            if grew > 0.25 * nbytes:
                sys.exit(f"axis={{axis}} threads={{threads}}: peak memory grew by "
                         f"{{grew / nbytes:.0%}} of x")
        print("ok")
    """)
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=str(tmp_path), timeout=300, check=False)
    assert proc.returncode == 0 and "ok" in proc.stdout, proc.stdout + proc.stderr


# --------------------------------------------------------------------------
# out overlapping x (but not equal to it)
# --------------------------------------------------------------------------
def _overlap_cases(rng, dtype):
    """Yield (description, x, out, axis) with out sharing memory with x."""
    # 1-D: reversed view of the same buffer
    buf = random_values(rng, (64,), dtype)
    yield "1d reversed", buf, buf[::-1], 0
    # 1-D: shifted by s in both directions
    for s in (1, 2, 5, 17):
        buf = random_values(rng, (80 + s,), dtype)
        yield f"1d out=x shifted +{s}", buf[:80], buf[s:], 0
        buf = random_values(rng, (80 + s,), dtype)
        yield f"1d out=x shifted -{s}", buf[s:], buf[:80], 0
    # 2-D: reversed rows / columns
    for axis in (0, 1):
        buf = random_values(rng, (23, 31), dtype)
        yield f"2d columns reversed axis={axis}", buf, buf[:, ::-1], axis
        buf = random_values(rng, (23, 31), dtype)
        yield f"2d rows reversed axis={axis}", buf, buf[::-1], axis
        # shifted by one row, by one column
        buf = random_values(rng, (24, 31), dtype)
        yield f"2d shifted one row axis={axis}", buf[:-1], buf[1:], axis
        buf = random_values(rng, (24, 31), dtype)
        yield f"2d shifted one row back axis={axis}", buf[1:], buf[:-1], axis
        buf = random_values(rng, (23, 32), dtype)
        yield f"2d shifted one column axis={axis}", buf[:, :-1], buf[:, 1:], axis
        # transposed square
        buf = random_values(rng, (27, 27), dtype)
        yield f"2d out=x.T axis={axis}", buf, buf.T, axis
        # interleaved: same buffer, disjoint elements
        buf = random_values(rng, (23, 62), dtype)
        yield f"2d interleaved axis={axis}", buf[:, ::2], buf[:, 1::2], axis
        # flat-shifted: out starts half-way through x's first line
        flat = random_values(rng, (23 * 31 + 15,), dtype)
        yield (f"2d flat shift 15 axis={axis}", flat[:23 * 31].reshape(23, 31),
               flat[15:].reshape(23, 31), axis)
    # 3-D, lines along the middle axis, out shifted by one plane
    buf = random_values(rng, (6, 9, 10), dtype)
    yield "3d shifted plane axis=1", buf[:-1], buf[1:], 1
    # large, so the parallel path is taken
    for axis in (0, 1):
        buf = random_values(rng, (301, 700), dtype)
        yield f"large shifted row axis={axis}", buf[:-1], buf[1:], axis
        buf = random_values(rng, (300, 700), dtype)
        yield f"large reversed axis={axis}", buf, buf[::-1, ::-1], axis


@pytest.mark.parametrize("fname", FUNCS)
@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.complex64])
@pytest.mark.parametrize("threads", [1, 2])
def test_out_overlapping_x(simd, fname, dtype, threads):
    rng = np.random.default_rng(130)
    for i, (desc, x, out, axis) in enumerate(_overlap_cases(rng, dtype)):
        assert np.shares_memory(x, out) or "interleaved" in desc
        assert x.shape == out.shape
        values = x.copy()
        L = x.shape[axis]
        K_long = 2 * L + 1 if x.size < 5000 else 13
        K, mode, origin = [(5, "reflect", 1), (8, "wrap", -4), (K_long, "mirror", 0),
                           (3, "constant", -1), (4, "nearest", 0)][i % 5]
        k = random_kernel(rng, K)
        exp = oracle(fname, values, k, axis=axis, mode=mode, origin=origin, cval=-1.0)
        res = call(fname, x, k, axis=axis, mode=mode, origin=origin, cval=-1.0,
                   out=out, threads=threads)
        assert res is out
        assert_close(out, exp, dtype, k, values, cval=-1.0,
                     err_msg=f"{desc} K={K} {mode} origin={origin}")


@pytest.mark.parametrize("fname", FUNCS)
@pytest.mark.parametrize("axis", [0, 1])
@pytest.mark.parametrize("where", ["first", "last"])
def test_kernel_inside_a_complex_out(fname, axis, where):
    """A real kernel that is a view of a complex `out` counts with its values before the
    call: complex values are filtered part by part, and the second part read the kernel
    after the first wrote `out` (a difference of up to 1.3)."""
    rng = np.random.default_rng(25)
    x = rng.standard_normal((6, 20)) + 1j * rng.standard_normal((6, 20))
    out = np.full((6, 20), 0.5 + 0.25j)
    flat = out.view(np.float64).reshape(-1)
    k = flat[:3] if where == "first" else flat[-3:]
    want = getattr(axisconv, fname)(x, k.copy(), axis=axis)
    assert getattr(axisconv, fname)(x, k, axis=axis, out=out) is out
    np.testing.assert_array_equal(out, want)


@pytest.mark.parametrize("fname", FUNCS)
def test_out_aliases_x_with_another_dtype(fname):
    """x and out share memory but have different dtypes (legal: out must
    have the result's dtype, x may be anything)."""
    rng = np.random.default_rng(131)
    k = random_kernel(rng, 5)
    # int64 x living in the bytes of the float64 out
    for axis in (0, 1):
        buf = np.zeros((11, 17), np.float64)
        x = buf.view(np.int64)
        x[...] = rng.integers(-1000, 1000, size=x.shape)
        values = x.copy()
        res = call(fname, x, k, axis=axis, out=buf)
        assert res is buf
        assert_close(buf, oracle(fname, values, k, axis=axis), np.float64, k, values)
    # float32 x = real part of the complex64 out, complex kernel
    kc = random_kernel(rng, 4, np.complex64)
    for axis in (0, 1):
        c = random_values(rng, (11, 17), np.complex64)
        x = c.real
        values = x.copy()
        res = call(fname, x, kc, axis=axis, out=c)
        assert res is c
        assert_close(c, oracle(fname, values, kc, axis=axis), np.complex64, kc, values)
    # float64 x = imag part of complex128 out, in the other direction
    kc = random_kernel(rng, 6, np.complex128)
    c = random_values(rng, (30, 8), np.complex128)
    x = c.imag[::-1]
    values = x.copy()
    out = c[::-1]
    call(fname, x, kc, axis=0, out=out, mode="wrap")
    assert_close(out, oracle(fname, values, kc, axis=0, mode="wrap"), np.complex128, kc, values)


# Widths of the streamed outputs: rows at every alignment, rows a multiple of 64 bytes long
# (every row starts at the same offset in its line), rows shorter than a line.
STREAMED_WIDTHS = {"odd": None, "lines": 256, "narrow": 5}


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("offset", [0, 4, 16, 32, 56], ids=lambda o: f"out+{o}B")
@pytest.mark.parametrize("axis", [0, 1], ids=["columns", "rows"])
@pytest.mark.parametrize("width", list(STREAMED_WIDTHS))
def test_large_outputs_streamed_past_the_caches(simd, dtype, offset, axis, width, stores):
    """Written with streaming stores (over the streaming threshold, here set to 0) and
    with plain ones: the column and row paths stream whole cache lines of `out` and write
    the pieces around them plainly: every alignment, general and folded taps, in place,
    nothing written around `out`."""
    rng = np.random.default_rng(12)
    shape = STORED_SHAPES[np.dtype(dtype)]
    if STREAMED_WIDTHS[width]:
        shape = (67, STREAMED_WIDTHS[width] * 4 // np.dtype(dtype).itemsize)
    x = random_values(rng, shape, dtype)
    for k in (random_kernel(rng, 6), random_kernel(rng, 9, kind="symmetric")):
        want = oracle("correlate1d", x, k, axis=axis, mode="mirror")
        out, untouched = out_at_offset(x.shape, dtype, offset)
        assert axisconv.correlate1d(x, k, axis=axis, mode="mirror", out=out) is out
        assert_close(out, want, dtype, k, x)
        assert untouched(), "wrote outside out"
        out[...] = x
        axisconv.correlate1d(out, k, axis=axis, mode="mirror", out=out)
        assert_close(out, want, dtype, k, x)
        assert untouched(), "wrote outside out (in place)"


# --------------------------------------------------------------------------
# Threads: identical bytes for every thread count
# --------------------------------------------------------------------------
THREAD_CASES = [((300, 700), -1), ((300, 700), 0), ((1000, 64), 0), ((1000, 64), 1),
                ((4, 200, 300), 1), ((64, 1000), 0), ((200000,), 0), ((3, 70000), -1)]


@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.complex128])
@pytest.mark.parametrize("shape,axis", THREAD_CASES)
def test_threads_bitwise_identical(simd, dtype, shape, axis, restore_threads):
    rng = np.random.default_rng(140)
    x = random_values(rng, shape, dtype)
    for fname, K, mode, kind in [("correlate1d", 7, "reflect", "symmetric"),
                                 ("convolve1d", 12, "wrap", "random"),
                                 ("correlate1d", 5, "constant", "antisymmetric")]:
        k = random_kernel(rng, K, kind=kind)
        ref = call(fname, x, k, axis=axis, mode=mode, cval=0.25, threads=1)
        for t in (2, 3, 7):
            got = call(fname, x, k, axis=axis, mode=mode, cval=0.25, threads=t)
            assert got.dtype == ref.dtype
            assert got.tobytes() == ref.tobytes(), f"{fname} {mode} threads={t} differs"
        # threads=None follows set_num_threads
        for t in (1, 2):
            axisconv.set_num_threads(t)
            got = call(fname, x, k, axis=axis, mode=mode, cval=0.25)
            assert got.tobytes() == ref.tobytes(), f"default threads={t} differs"
        # in place, threads 1 vs 2
        a = x.copy()
        b = x.copy()
        call(fname, a, k, axis=axis, mode=mode, cval=0.25, out=a, threads=1)
        call(fname, b, k, axis=axis, mode=mode, cval=0.25, out=b, threads=2)
        assert a.tobytes() == b.tobytes(), f"{fname} {mode} in place differs"
    # and the answer is right
    assert_close(ref, oracle(fname, x, k, axis=axis, mode=mode, cval=0.25), dtype, k, x,
                 cval=0.25)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_threads_bitwise_on_views(dtype):
    rng = np.random.default_rng(141)
    big = random_values(rng, (600, 1401), dtype)
    x = big[::-2, 1::2].T                     # (700, 300), strided, transposed
    k = random_kernel(rng, 9)
    for axis in (0, 1):
        ref = axisconv.correlate1d(x, k, axis=axis, threads=1)
        for t in (2, 3):
            assert axisconv.correlate1d(x, k, axis=axis, threads=t).tobytes() == ref.tobytes()


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_columns_of_rows_a_multiple_of_4k_apart(simd, dtype, stores):
    """Rows 4 KiB apart and a window taller than 1.5 times the L1's ways: the column path copies
    each strip's rows to a ring of scratch rows (filter1d.inc), here wrapped many times, as
    it does strided rows, and writes through scratch rows when `out` is strided."""
    rng = np.random.default_rng(31)
    x = random_values(rng, (203, 4096 // np.dtype(dtype).itemsize), dtype)
    for K, mode in ((31, "reflect"), (24, "constant"), (41, "wrap")):
        k = random_kernel(rng, K, kind="symmetric" if K % 2 else "random")
        want = oracle("correlate1d", x, k, axis=0, mode=mode)
        assert_close(axisconv.correlate1d(x, k, axis=0, mode=mode), want, dtype, k, x)
        out = np.zeros((x.shape[0], 2 * x.shape[1]), dtype)[:, ::2]
        axisconv.correlate1d(x, k, axis=0, mode=mode, out=out)
        assert_close(out, want, dtype, k, x)
        strided = np.repeat(x, 2, axis=1)[:, ::2]  # always copied to the ring
        assert_close(axisconv.correlate1d(strided, k, axis=0, mode=mode), want, dtype, k, x)
