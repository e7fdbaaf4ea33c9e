"""convolve2d / correlate2d (docs/contract.md §1, §4): every boundary and its spellings, tiny
images and kernels larger than the image, 'valid' in both orders, empty images, the dtype rules
and complex kernels.  The oracle is scipy.signal (_signal_testing.oracle2d)."""
import numpy as np
import pytest
import scipy.signal as ss
from _axc_testing import (
    assert_close2d,
    assert_float32_arithmetic,
    call,
    cancelling_pairs,
    names,
    random_values,
    result_dtype,
)
from _signal_testing import (
    BOUNDARY_ALIASES,
    FUNCS,
    SIZES,
    low_rank,
    make_kernel,
    oracle2d,
)

import axisconv


# --------------------------------------------------------------------------
# Modes and boundaries, deterministic
# --------------------------------------------------------------------------
@pytest.mark.parametrize("fname", FUNCS)
@pytest.mark.parametrize("canon", list(BOUNDARY_ALIASES))
def test_boundary_aliases_give_identical_results(fname, canon):
    rng = np.random.default_rng(3)
    x = random_values(rng, (13, 11), np.float64)
    for k in (low_rank(rng, 4, 5, 1), rng.uniform(-2, 2, (3, 4))):
        for mode in SIZES:
            ref = call(fname, x, k, mode, canon, 2.5)
            exp = oracle2d(fname, x, k, mode, canon, 2.5)
            assert_close2d(ref, exp, np.float64, k, x, 2.5, err_msg=f"{canon} {mode}")
            for alias in BOUNDARY_ALIASES[canon]:
                got = call(fname, x, k, mode, alias, 2.5)
                assert got.tobytes() == ref.tobytes(), f"{alias} != {canon} ({mode})"
            assert call(fname, x, k, mode.upper(), canon, 2.5).tobytes() == ref.tobytes()


@pytest.mark.parametrize("fname", FUNCS)
def test_zeros_boundary_ignores_fillvalue(fname):
    rng = np.random.default_rng(4)
    x = random_values(rng, (9, 8), np.float64)
    for k in (low_rank(rng, 3, 3, 1), rng.uniform(-2, 2, (3, 3))):
        ref = call(fname, x, k, "full", "fill", 0)
        assert call(fname, x, k, "full", "zeros", 7.5).tobytes() == ref.tobytes()


@pytest.mark.parametrize("fname", FUNCS)
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("shape", [(1, 1), (1, 7), (7, 1), (2, 2), (1, 2), (3, 1)])
def test_tiny_images(simd, fname, dtype, shape):
    rng = np.random.default_rng(5)
    values = random_values(rng, (2,) + shape, dtype)
    for kh, kw, kind in [(1, 1, "random"), (3, 3, "rank1"), (2, 5, "random"),
                         (4, 4, "random"), (7, 2, "rank1"), (5, 5, "rank1"), (1, 3, "random"),
                         (3, 1, "random")]:
        k = make_kernel(rng, kh, kw, kind)
        for mode in SIZES:
            H, W = shape
            if mode == "valid" and not ((H >= kh and W >= kw) or (H <= kh and W <= kw)):
                with pytest.raises(ValueError):
                    call(fname, values, k, mode)
                continue
            for boundary, fv in [("fill", 0.0), ("fill", -2.0), ("wrap", 0.0), ("symm", 0.0),
                                 ("mirror", 0.0), ("nearest", 0.0)]:
                got = call(fname, values, k, mode, boundary, fv)
                exp = oracle2d(fname, values, k, mode, boundary, fv)
                assert_close2d(got, exp, dtype, k, values, fv,
                               err_msg=f"{shape} k{k.shape} {mode} {boundary} {fv}")


@pytest.mark.parametrize("fname", FUNCS)
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_kernels_larger_than_the_image(simd, fname, dtype):
    """Every boundary; scipy's own results are the oracle (the padding keeps
    extending, as np.pad does)."""
    rng = np.random.default_rng(6)
    for shape in [(3, 4), (2, 2), (5, 3), (1, 4)]:
        values = random_values(rng, (2,) + shape, dtype)
        for kh, kw, kind in [(7, 9, "rank1"), (7, 9, "random"), (10, 2, "random"),
                             (2, 10, "rank1"), (13, 13, "rank1"), (9, 9, "random"),
                             (12, 11, "rank2")]:
            k = make_kernel(rng, kh, kw, kind)
            for mode in SIZES:
                H, W = shape
                if mode == "valid" and not ((H >= kh and W >= kw) or (H <= kh and W <= kw)):
                    continue
                for boundary, fv in [("fill", 0.0), ("fill", 1.5), ("wrap", 0.0),
                                     ("symm", 0.0), ("mirror", 0.0), ("nearest", 0.0)]:
                    got = call(fname, values, k, mode, boundary, fv)
                    exp = oracle2d(fname, values, k, mode, boundary, fv)
                    assert_close2d(got, exp, dtype, k, values, fv,
                                   err_msg=f"{shape} k{k.shape} {kind} {mode} {boundary}")


@pytest.mark.parametrize("fname", FUNCS)
@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.complex128])
def test_valid_both_orders(fname, dtype):
    rng = np.random.default_rng(7)
    for shape, kshape in [((20, 17), (5, 4)), ((5, 4), (20, 17)), ((6, 6), (6, 6)),
                          ((6, 9), (6, 3)), ((6, 3), (6, 9)), ((1, 1), (4, 4)), ((4, 4), (1, 1)),
                          ((3, 9), (7, 9))]:
        values = random_values(rng, (2,) + shape, dtype)
        for kind in ("rank1", "random"):
            k = make_kernel(rng, *kshape, kind)
            for boundary, fv in [("fill", 0.0), ("fill", 3.0), ("wrap", 0.0), ("symm", 0.0),
                                 ("nearest", 0.0)]:
                got = call(fname, values, k, "valid", boundary, fv)
                assert got.shape == (2, abs(shape[0] - kshape[0]) + 1,
                                     abs(shape[1] - kshape[1]) + 1)
                exp = oracle2d(fname, values, k, "valid", boundary, fv)
                assert_close2d(got, exp, dtype, k, values, 0.0,
                               err_msg=f"{shape} {kshape} {kind} {boundary}")


@pytest.mark.parametrize("fname", FUNCS)
@pytest.mark.parametrize("shape,kshape", [((5, 3), (3, 5)), ((3, 5), (5, 3)), ((4, 4), (5, 3)),
                                          ((1, 7), (2, 6)), ((0, 5), (2, 3))])
def test_valid_size_mismatch_raises(fname, shape, kshape):
    x = np.ones(shape)
    k = np.ones(kshape)
    with pytest.raises(ValueError) as info:
        call(fname, x, k, "valid")
    assert names(str(info.value), "mode"), str(info.value)
    with pytest.raises(ValueError):
        getattr(ss, fname)(x, k, "valid")  # scipy refuses it too


def test_complex_valid_with_kernel_larger_than_image():
    """correlate2d(x, k, 'valid') with k larger than x, complex data.

    The result is the 'valid' part of the 'full' correlation (as for every
    other shape) and equals scipy.signal.correlate(x, k, 'valid').
    scipy.signal.correlate2d returns the complex conjugate of that here (it
    swaps the inputs and then conjugates the image instead of the kernel), so
    scipy is self-inconsistent in this one corner and is not the oracle."""
    rng = np.random.default_rng(8)
    x = random_values(rng, (3, 4), np.complex128)
    k = make_kernel(rng, 5, 6, "random", np.complex128)
    got = axisconv.correlate2d(x, k, "valid")
    full = ss.correlate2d(x, k, "full")
    np.testing.assert_allclose(got, full[2:5, 3:6], rtol=0, atol=1e-12)
    np.testing.assert_allclose(got, ss.correlate(x, k, "valid", method="direct"),
                               rtol=0, atol=1e-12)
    # convolve2d has no such corner: scipy.signal.convolve2d is the oracle
    np.testing.assert_allclose(axisconv.convolve2d(x, k, "valid"), ss.convolve2d(x, k, "valid"),
                               rtol=0, atol=1e-12)


# --------------------------------------------------------------------------
# Empty images
# --------------------------------------------------------------------------
@pytest.mark.parametrize("fname", FUNCS)
@pytest.mark.parametrize("shape", [(0, 5), (5, 0), (0, 0), (0, 1), (2, 0, 3), (3, 4, 0)])
@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.int32])
def test_empty_image_with_fill(fname, shape, dtype):
    """fillvalue * kernel.sum() everywhere, in scipy's output shape."""
    rng = np.random.default_rng(9)
    x = np.zeros(shape, dtype)
    for k in (rng.uniform(-2, 2, (2, 3)), low_rank(rng, 3, 4, 1), np.ones((4, 4))):
        for mode in SIZES:
            for fv in (0.0, 1.5):
                img = np.zeros(shape[-2:])
                try:
                    want = getattr(ss, fname)(img, k, mode, "fill", fv)
                except ValueError:
                    with pytest.raises(ValueError):
                        call(fname, x, k, mode, "fill", fv)
                    continue
                got = call(fname, x, k, mode, "fill", fv)
                assert got.shape == shape[:-2] + want.shape
                assert got.dtype == result_dtype(dtype, np.float64)
                if mode != "valid":
                    np.testing.assert_allclose(got, fv * k.sum(), rtol=1e-6, atol=1e-12)
                np.testing.assert_allclose(got, np.broadcast_to(want, got.shape), rtol=1e-6,
                                           atol=1e-12 * np.abs(k).sum())


@pytest.mark.parametrize("fname", FUNCS)
@pytest.mark.parametrize("shape", [(0, 5), (5, 0), (0, 0), (2, 0, 3)])
@pytest.mark.parametrize("boundary", ["wrap", "symm", "circular", "symmetric", "mirror",
                                      "nearest"])
def test_empty_image_with_other_boundaries_raises(fname, shape, boundary):
    """No data to wrap or reflect: ValueError (scipy itself crashes here, so it
    is not called)."""
    x = np.zeros(shape)
    with pytest.raises(ValueError) as info:
        call(fname, x, np.ones((2, 3)), "full", boundary)
    assert names(str(info.value), "boundary"), str(info.value)


# --------------------------------------------------------------------------
# dtypes and complex data
# --------------------------------------------------------------------------
@pytest.mark.parametrize("fname", FUNCS)
@pytest.mark.parametrize("x_dtype,k_dtype,want", [
    (np.float32, np.float64, np.float32), (np.float32, np.float32, np.float32),
    (np.float64, np.float32, np.float64), (np.int16, np.float64, np.float64),
    (np.uint8, np.int64, np.float64), (np.bool_, np.bool_, np.float64),
    (np.int64, np.float32, np.float64), (np.float32, np.complex128, np.complex64),
    (np.float64, np.complex64, np.complex128), (np.int32, np.complex64, np.complex128),
    (np.complex64, np.float64, np.complex64), (np.complex128, np.float32, np.complex128),
    (np.complex64, np.complex128, np.complex64),
])
def test_result_dtype_rules(fname, x_dtype, k_dtype, want):
    rng = np.random.default_rng(10)
    x = random_values(rng, (2, 8, 9), x_dtype)
    for kind in ("rank1", "random"):
        k = make_kernel(rng, 3, 3, kind, np.complex128 if np.dtype(k_dtype).kind == "c"
                        else np.float64)
        k = k.astype(k_dtype) if np.dtype(k_dtype).kind != "b" else k > 0
        got = call(fname, x, k, "same", "wrap")
        assert got.dtype == np.dtype(want)
        exp = oracle2d(fname, x, k, "same", "wrap")
        assert_close2d(got, exp, want, np.asarray(k, np.result_type(k, np.float64)), x)


def test_float32_is_computed_in_float32(simd):
    """float32 in, float32 arithmetic on both routes: not a rounded float64 result; and on
    pairs whose products nearly cancel, the result holds what float32 sums give (in either
    order, fused or not), not the float64 sums rounded to float32."""
    rng = np.random.default_rng(11)
    x = random_values(rng, (64, 64), np.float32)
    for k in (low_rank(rng, 5, 5, 1), rng.uniform(-2, 2, (5, 5))):
        got = axisconv.convolve2d(x, k, "same", "symm")
        ref = axisconv.convolve2d(x.astype(np.float64), k, "same", "symm").astype(np.float32)
        assert got.dtype == np.float32
        assert not np.array_equal(got, ref)
    a, b, float32, once = cancelling_pairs(rng, 500)
    taps = np.float32([[0.3, -0.7]])             # float32 values: cast without rounding
    got = axisconv.correlate2d(np.stack([a, b], axis=1), taps, "valid")
    assert_float32_arithmetic(got, float32, once)
    got = axisconv.correlate2d(np.stack([a, b]), taps.T, "valid")
    assert_float32_arithmetic(got, float32, once)


@pytest.mark.parametrize("x_dtype", [np.float64, np.complex128, np.complex64])
@pytest.mark.parametrize("kind", ["rank1", "random"])
def test_correlate2d_conjugates_complex_kernel(simd, x_dtype, kind):
    rng = np.random.default_rng(12)
    x = random_values(rng, (2, 11, 12), x_dtype)
    k = make_kernel(rng, 5, 5, kind, np.complex128)
    want = result_dtype(x_dtype, np.complex128)
    for mode in ("full", "same"):
        for boundary, fv in [("fill", 0), ("fill", 1.5), ("wrap", 0), ("symm", 0)]:
            if np.dtype(x_dtype).kind == "c" and fv:
                fv = complex(fv, -0.5)
            got = axisconv.correlate2d(x, k, mode, boundary, fv)
            exp = oracle2d("correlate2d", x, k, mode, boundary, fv)
            assert_close2d(got, exp, want, k, x, fv, err_msg=f"{mode} {boundary} {fv}")
            wrong = oracle2d("correlate2d", x, np.conj(k), mode, boundary, fv)
            assert np.abs(got - wrong).max() > 1e-2
            got = axisconv.convolve2d(x, k, mode, boundary, fv)
            exp = oracle2d("convolve2d", x, k, mode, boundary, fv)
            assert_close2d(got, exp, want, k, x, fv, err_msg=f"{mode} {boundary} {fv}")
