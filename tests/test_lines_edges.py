"""correlate1d / convolve1d edge cases: memory layouts and views, kernels longer than the line,
zero-size input, exact zeros of antisymmetric kernels and bits that do not depend on the
position in a line.  scipy.ndimage is the oracle.  `out`, in place and threads:
test_lines_out.py."""
import numpy as np
import pytest
from _axc_testing import (
    CANONICAL_MODES,
    assert_close,
    call,
    oracle,
    origin_range,
    VECTOR_BYTES,
    random_kernel,
    random_values,
    register_block,
    result_dtype,
)
from _layouts import strided_view, unaligned_copy

import axisconv

FUNCS = ["correlate1d", "convolve1d"]


# --------------------------------------------------------------------------
# Views: negative strides, transposes, step slices, Fortran order, and the
# less common layouts numpy allows (unaligned, odd strides, zero strides,
# non-native byte order, read-only).
# --------------------------------------------------------------------------
def _field_view(v):
    """A view with a stride that is not a multiple of the itemsize and an
    unaligned data pointer (a field of a packed record array)."""
    rec = np.zeros(v.shape, dtype=np.dtype([("p", "u1"), ("a", v.dtype), ("q", "u1"),
                                            ("r", "u1")]))
    rec["a"] = v
    out = rec["a"]
    assert out.strides[-1] % v.itemsize != 0 and not out.flags.aligned
    return out


def _readonly(v):
    v = v.copy()
    v.flags.writeable = False
    return v


def _broadcast(v):
    # zero stride along axis 0 (every "row" is the same memory)
    return np.broadcast_to(v[:1], v.shape)


def _rev(v):
    return v[tuple(slice(None, None, -1) for _ in range(v.ndim))]


LAYOUTS = {
    "C": lambda v: v.copy(),
    "F": np.asfortranarray,
    "reversed": lambda v: strided_view(v, steps=[-1] * v.ndim)[0],
    "reversed_copy_view": lambda v: _rev(_rev(v).copy()),
    "transposed": lambda v: strided_view(v, perm=list(range(v.ndim))[::-1])[0],
    "step_slices": lambda v: strided_view(v, steps=[3, -2, 2, -1][:v.ndim])[0],
    "perm_and_steps": lambda v: strided_view(
        v, perm=[(i + 1) % v.ndim for i in range(v.ndim)],
        steps=[-2, 1, 3, -1][:v.ndim])[0],
    "unaligned": unaligned_copy,
    "packed_field": _field_view,
    "readonly": _readonly,
    "broadcast": _broadcast,
}

VIEW_SHAPES = [((41,), 0), ((17, 23), 0), ((17, 23), 1), ((17, 23), -1),
               ((5, 6, 7), 0), ((5, 6, 7), 1), ((5, 6, 7), 2),
               ((3, 4, 5, 6), 2)]


@pytest.mark.parametrize("layout", list(LAYOUTS))
@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.complex128, np.int16])
def test_views_match_scipy(simd, layout, dtype):
    rng = np.random.default_rng(100)
    for n, (shape, axis) in enumerate(VIEW_SHAPES):
        values = random_values(rng, shape, dtype)
        x = LAYOUTS[layout](values)
        contents = np.array(x)                       # what x holds, contiguous
        for fname, K, mode, origin in [("correlate1d", 5, CANONICAL_MODES[n % 5], 1),
                                       ("convolve1d", 8, CANONICAL_MODES[(n + 2) % 5], -2)]:
            k = random_kernel(rng, K)
            got = call(fname, x, k, axis=axis, mode=mode, origin=origin, cval=0.5)
            exp = oracle(fname, contents, k, axis=axis, mode=mode, origin=origin, cval=0.5)
            assert_close(got, exp, result_dtype(dtype, k.dtype), k, contents, cval=0.5,
                         err_msg=f"{layout} {shape} axis={axis} {fname}")
        np.testing.assert_array_equal(np.array(x), contents)


@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.complex64])
def test_non_native_byte_order(dtype):
    rng = np.random.default_rng(101)
    values = random_values(rng, (9, 14), dtype)
    x = values.astype(values.dtype.newbyteorder("S"))
    k = random_kernel(rng, 5)
    for axis in (0, 1):
        got = axisconv.correlate1d(x, k, axis=axis)
        want = result_dtype(dtype, k.dtype)
        assert got.dtype.kind == want.kind and got.dtype.itemsize == want.itemsize
        exp = oracle("correlate1d", values, k, axis=axis)
        assert_close(got.astype(want), exp, want, k, values)


@pytest.mark.parametrize("fname", FUNCS)
def test_kernel_views_and_sequences(fname):
    rng = np.random.default_rng(102)
    x = random_values(rng, (6, 30), np.float64)
    base = random_kernel(rng, 13)
    kernels = {
        "reversed": base[::-1],
        "step2": base[::2],
        "step-3": base[::-3],
        "list": list(base[:6]),
        "tuple": tuple(base[:5]),
        "int": np.array([1, -2, 3, 0, 5], np.int32),
        "float32": base[:7].astype(np.float32),
        "readonly": _readonly(base[:4]),
        "unaligned": unaligned_copy(base[:6]),
        "single": np.array([2.5]),
    }
    for name, k in kernels.items():
        for axis in (0, 1):
            got = call(fname, x, k, axis=axis)
            exp = oracle(fname, x, np.array(k), axis=axis)
            assert_close(got, exp, np.float64, np.array(k), x, err_msg=name)


@pytest.mark.parametrize("fname", FUNCS)
def test_size_one_axes_and_lines(fname):
    rng = np.random.default_rng(103)
    for shape in [(1,), (1, 1), (1, 9), (9, 1), (1, 1, 8), (8, 1, 1), (2, 1, 3, 1)]:
        x = random_values(rng, shape, np.float64)
        for axis in range(len(shape)):
            for mode in CANONICAL_MODES:
                k = random_kernel(rng, 4)
                got = call(fname, x, k, axis=axis, mode=mode, cval=3.0)
                exp = oracle(fname, x, k, axis=axis, mode=mode, cval=3.0)
                assert_close(got, exp, np.float64, k, x, cval=3.0,
                             err_msg=f"{shape} axis={axis} {mode}")


@pytest.mark.parametrize("fname", FUNCS)
def test_many_dimensions(fname):
    """N-D means any N numpy allows (here 39 axes)."""
    rng = np.random.default_rng(106)
    shape = (1,) * 35 + (2, 3, 4, 5)
    values = random_values(rng, shape, np.float64)
    x = values[..., ::-1, :].swapaxes(-1, -3)          # a view, not C order
    contents = np.array(x)
    for axis in (0, 17, -1, -2, -3, -4, 38):
        k = random_kernel(rng, 3)
        got = call(fname, x, k, axis=axis, mode="wrap")
        exp = oracle(fname, contents, k, axis=axis, mode="wrap")
        assert_close(got, exp, np.float64, k, contents, err_msg=f"axis={axis}")


# --------------------------------------------------------------------------
# Kernels longer than the line: scipy's extension rules for every mode
# --------------------------------------------------------------------------
@pytest.mark.parametrize("fname", FUNCS)
@pytest.mark.parametrize("mode", CANONICAL_MODES)
def test_kernels_longer_than_the_line(simd, fname, mode):
    rng = np.random.default_rng(104)
    for L in range(1, 7):
        rows = random_values(rng, (3, L), np.float64)       # lines along axis -1
        cols = np.ascontiguousarray(rows.T)                  # lines along axis 0
        for K in range(1, 3 * L + 5):
            k = random_kernel(rng, K)
            lo, hi = origin_range(K)
            for origin in sorted({lo, 0, hi}):
                for x, axis in ((rows, -1), (cols, 0)):
                    got = call(fname, x, k, axis=axis, mode=mode, cval=-2.0, origin=origin)
                    exp = oracle(fname, x, k, axis=axis, mode=mode, cval=-2.0, origin=origin)
                    assert_close(got, exp, np.float64, k, x, cval=-2.0,
                                 err_msg=f"L={L} K={K} origin={origin} axis={axis}")


@pytest.mark.parametrize("fname", FUNCS)
@pytest.mark.parametrize("mode", CANONICAL_MODES)
@pytest.mark.parametrize("dtype", [np.float32, np.complex128])
def test_much_longer_kernels(simd, fname, mode, dtype):
    rng = np.random.default_rng(105)
    for L, K in [(5, 64), (20, 61), (33, 100), (3, 40)]:
        for shape, axis in (((4, L), 1), ((L, 20), 0)):
            x = random_values(rng, shape, dtype)
            k = random_kernel(rng, K)
            lo, hi = origin_range(K)
            for origin in (lo, 0, hi):
                got = call(fname, x, k, axis=axis, mode=mode, origin=origin, cval=1.0)
                exp = oracle(fname, x, k, axis=axis, mode=mode, origin=origin, cval=1.0)
                assert_close(got, exp, dtype, k, x, cval=1.0,
                             err_msg=f"L={L} K={K} origin={origin} axis={axis}")


# --------------------------------------------------------------------------
# Zero-size input
# --------------------------------------------------------------------------
@pytest.mark.parametrize("shape", [(0,), (0, 5), (5, 0), (0, 0), (3, 0, 4), (2, 3, 0)])
@pytest.mark.parametrize("x_dtype", [np.float32, np.float64, np.int32, np.bool_, np.complex64])
@pytest.mark.parametrize("fname", FUNCS)
def test_zero_size_input(shape, x_dtype, fname):
    x = np.zeros(shape, x_dtype)
    for k in (np.array([1.0, 2.0, 3.0]), np.arange(10.0), np.array([1j, 2.0])):
        want = result_dtype(x_dtype, k.dtype)
        for axis in range(-len(shape), len(shape)):
            for mode in ("reflect", "wrap", "zeros", "constant"):
                got = call(fname, x, k, axis=axis, mode=mode)
                assert isinstance(got, np.ndarray)
                assert got.shape == shape and got.dtype == want
            out = np.empty(shape, want)
            assert call(fname, x, k, axis=axis, out=out) is out
            assert call(fname, x, k, axis=axis, threads=2).shape == shape
    # views of zero-size arrays
    xv = np.zeros((4,) + shape, x_dtype)[::-2]
    assert call(fname, xv, [1.0, 2.0], axis=-1).shape == xv.shape
    if len(shape) > 1:
        xt = x.T
        assert call(fname, xt, [1.0, 2.0], axis=0).shape == xt.shape


# --------------------------------------------------------------------------
# Along the contiguous axis antisymmetric kernels are folded (as scipy.ndimage
# folds them): on a constant line every output is exactly zero, at every
# position of the line (register blocks, single vectors and scalar tails) and
# for every length.  (Across lines the column kernel adds the taps in order,
# sharing each input row among 4 outputs; there zeros are exact only up to
# rounding.)
# --------------------------------------------------------------------------
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("K", [3, 5, 7, 9, 13, 17, 23, 31, 41])
def test_antisymmetric_kernels_give_exact_zeros_on_flat_lines(simd, dtype, K):
    rng = np.random.default_rng(K)
    half = rng.uniform(0.1, 1, K // 2)
    anti = np.concatenate([-half, [0.0], half[::-1]])
    for value in (0.1, 0.7, 3.3):
        flat = np.full((3, 517), value, dtype)
        assert not axisconv.correlate1d(flat, anti, axis=-1, mode="nearest").any()


# --------------------------------------------------------------------------
# Short kernels sum each output in one order in register blocks, single vectors and the
# clipped last vector (long ones, residue by residue in blocks, do not): shifting a line
# moves outputs between them without changing a bit.
# --------------------------------------------------------------------------
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("kind", ["random", "symmetric", "antisymmetric"])
def test_short_row_kernels_bits_do_not_depend_on_position(simd, dtype, kind):
    lanes = VECTOR_BYTES[axisconv._simd_path()] // np.dtype(dtype).itemsize
    short = {3, lanes - 1 if lanes % 2 == 0 else lanes}
    if axisconv._simd_path() == "avx512":
        short.add(3 * lanes // 2 - 1)  # shifted blocks: kernels up to 1.5 vectors
    rng = np.random.default_rng(31)
    x = random_values(rng, 1500, dtype)
    for K in sorted(short):
        k = random_kernel(rng, K, kind=kind)
        y = axisconv.correlate1d(x, k, mode="wrap")
        for s in range(1, lanes + 2):
            shifted = axisconv.correlate1d(x[s:], k, mode="wrap")
            assert shifted[K:-K].tobytes() == y[s + K:-K].tobytes(), f"K={K} from {s}"


# --------------------------------------------------------------------------
# Lines shorter than two register blocks are padded end to end and filtered a batch at a
# time (filter1d.inc, F(short_lines)): each line gets the bits it gets alone, in every
# batch of a tall stack, strided or in place, at any thread count; at two blocks lines go
# one at a time again.
# --------------------------------------------------------------------------
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("mode", CANONICAL_MODES)
def test_short_lines_in_batches_have_the_bits_of_lines_alone(simd, dtype, mode):
    block = register_block(dtype)
    rng = np.random.default_rng(47)
    for L in (1, 2, 5, block + 3, 2 * block - 1, 2 * block):
        for K, kind in ((1, "random"), (3, "symmetric"), (4, "random"), (9, "antisymmetric")):
            x = random_values(rng, (1201, L), dtype)  # several batches of up to 2048 elements
            k = random_kernel(rng, K, kind=kind)
            lo, hi = origin_range(K)
            for origin in sorted({lo, hi}):
                alone = np.stack([axisconv.correlate1d(line, k, mode=mode, cval=1.5,
                                                       origin=origin) for line in x])
                msg = f"L={L} K={K} origin={origin}"
                for threads in (1, 2):
                    got = axisconv.correlate1d(x, k, mode=mode, cval=1.5, origin=origin,
                                               threads=threads)
                    assert got.tobytes() == alone.tobytes(), msg
                wide = np.repeat(x, 2, axis=1)[:, ::2]  # strided lines
                got = axisconv.correlate1d(wide, k, mode=mode, cval=1.5, origin=origin)
                assert got.tobytes() == alone.tobytes(), msg
                inplace = x.copy()
                axisconv.correlate1d(inplace, k, mode=mode, cval=1.5, origin=origin,
                                     out=inplace)
                assert inplace.tobytes() == alone.tobytes(), msg
                exp = oracle("correlate1d", x, k, mode=mode, cval=1.5, origin=origin)
                assert_close(got, exp, dtype, k, x, cval=1.5, err_msg=msg)
