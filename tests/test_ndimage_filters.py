"""axisconv.ndimage's kernel filters against scipy.ndimage: correlate1d, convolve1d, correlate,
convolve, uniform_filter1d and uniform_filter.

Property tests draw shapes (1-D to 4-D, sides of 0 and 1 included, kernels longer than the
axes), every dtype scipy reads, every mode name, origins, axes and `output=` arguments, and
compare with scipy's result for the same call: float outputs to a rounding bound, integer
outputs exactly (scipy's float64 result converted by the documented rule; with integer taps
and data, that is scipy's own integer result).  A representative subset runs on every SIMD
path (`simd`).
"""
import math

import numpy as np
import pytest
import scipy.ndimage as sndi
from hypothesis import given, settings
from hypothesis import strategies as st

from _ndi_testing import (DTYPES, MODES, as_read, assert_integer_output, assert_same_float,
                          call_both, data, integer_oracle, magnitude, output_variants,
                          rounding_bound, same_bytes, shapes, tolerance)
from axisconv import ndimage as andi


def compare(name, x, args, kwargs, kernel, divisor=1):
    """Ours against scipy's for one call of a single-pass filter with `kernel` (the taps,
    before any division by `divisor`)."""
    ours, theirs = call_both(name, x, *args, **kwargs)
    assert ours.dtype == theirs.dtype and ours.shape == theirs.shape
    if ours.size == 0:
        return
    kernel = np.asarray(kernel)
    mode, cval = kwargs.get("mode", "reflect"), kwargs.get("cval", 0.0)
    scale = np.abs(kernel).sum() * magnitude(x, mode, cval) / divisor
    if ours.dtype.kind in "fc":
        atol = tolerance(x.dtype, ours.dtype, scale, np.count_nonzero(kernel))
        assert_same_float(ours, theirs, atol, f"{name} {kwargs}")
        return
    function = getattr(sndi, name)  # scipy's float64 result, and |x| correlated with |kernel|
    result = function(x, *args, **dict(kwargs, output=np.float64))
    magnitudes = function(np.abs(as_read(x).astype(np.float64)), *[
        np.abs(a) if isinstance(a, np.ndarray) else a for a in args],
        **dict(kwargs, output=np.float64, cval=abs(cval)))
    expected = integer_oracle(result, ours.dtype,
                              rounding_bound(kernel, magnitudes, x.dtype.kind in "biu"))
    assert same_bytes(ours, expected), f"{name} {kwargs}\n{ours}\n{expected}"
    if np.array_equal(kernel, np.round(kernel)) and x.dtype.kind in "biu" and divisor == 1:
        assert same_bytes(ours, theirs), "integer taps on integer data must match exactly"


@st.composite
def one_d_case(draw):
    shape = draw(shapes(max_dims=3))
    dtype = np.dtype(draw(st.sampled_from(DTYPES)))
    size = draw(st.integers(1, 7))
    kind = draw(st.sampled_from(["float", "int", "complex"]))
    complex_result = dtype.kind == "c" or kind == "complex"
    seed = draw(st.integers(0, 2**32 - 1))
    kwargs = {"axis": draw(st.integers(-len(shape), len(shape) - 1)),
              "mode": draw(st.sampled_from(MODES)),
              "origin": draw(st.integers(-(size // 2), (size - 1) // 2)),
              "output": draw(st.sampled_from(output_variants(dtype, complex_result)))}
    cval = draw(st.sampled_from([0.0, 1.5, -3]))
    kwargs["cval"] = cval + 2j if dtype.kind == "c" and draw(st.booleans()) else cval
    return shape, dtype, size, kind, seed, kwargs


def kernel_of(rng, shape, kind):
    if kind == "int":
        return rng.integers(-3, 4, shape)
    k = rng.uniform(-2, 2, shape)
    return k + 1j * rng.uniform(-2, 2, shape) if kind == "complex" else k


@pytest.mark.parametrize("name", ["correlate1d", "convolve1d"])
@settings(max_examples=80)
@given(case=one_d_case())
def test_1d_filters_match_scipy(name, case):
    shape, dtype, size, kind, seed, kwargs = case
    rng = np.random.default_rng(seed)
    x, weights = data(rng, shape, dtype), kernel_of(rng, size, kind)
    compare(name, x, (weights,), kwargs, weights)


@st.composite
def nd_case(draw):
    shape = draw(shapes(max_dims=4, max_side=7))
    ndim = len(shape)
    axes = draw(st.none() | st.lists(st.integers(-ndim, ndim - 1), min_size=1, max_size=ndim,
                                     unique_by=lambda a: a % ndim))
    filtered = ndim if axes is None else len(axes)
    wshape = tuple(draw(st.sampled_from([1, 1, 2, 3, 4, 5])) for _ in range(filtered))
    if draw(st.booleans()):  # one origin per entry of axes, or one valid for all
        # scipy: the weights' axes follow the input's axes in increasing order, the
        # origins follow `axes` in its given order (unless axes covers every axis)
        order = list(range(filtered))
        if axes is not None and filtered < ndim:
            order = list(np.argsort(np.argsort([a % ndim for a in axes])))
        origin = [draw(st.integers(-(wshape[i] // 2), (wshape[i] - 1) // 2)) for i in order]
    else:
        origin = draw(st.integers(-(min(wshape) // 2), (min(wshape) - 1) // 2))
    dtype = np.dtype(draw(st.sampled_from(DTYPES)))
    kind = draw(st.sampled_from(["float", "int", "complex"]))
    output = draw(st.sampled_from(output_variants(dtype, dtype.kind == "c" or kind == "complex")))
    kwargs = {"mode": draw(st.sampled_from(MODES)), "cval": draw(st.sampled_from([0.0, 2.5])),
              "origin": origin, "axes": None if axes is None else tuple(axes), "output": output}
    return shape, dtype, wshape, kind, draw(st.integers(0, 2**32 - 1)), kwargs


@pytest.mark.parametrize("name", ["correlate", "convolve"])
@settings(max_examples=100)
@given(case=nd_case())
def test_nd_filters_match_scipy(name, case):
    """Kernels with 0 to 4 axes longer than one: the product, 1-D, 2-D and N-D paths."""
    shape, dtype, wshape, kind, seed, kwargs = case
    rng = np.random.default_rng(seed)
    x, weights = data(rng, shape, dtype), kernel_of(rng, wshape, kind)
    compare(name, x, (weights,), kwargs, weights)


@pytest.mark.parametrize("name", ["correlate", "convolve"])
@pytest.mark.parametrize("wshape", [(3,), (3, 4), (2, 1, 5), (3, 2, 4), (2, 3, 2, 3)])
def test_nd_paths_per_simd(simd, name, wshape):
    """Each path of correlate/convolve on every SIMD path, float32 (computed in float32) and
    float64, every mode, kernels longer than some axes."""
    rng = np.random.default_rng(len(wshape))
    weights = rng.uniform(-1, 1, wshape)
    shape = (5, 9, 4, 6)[:len(wshape)]
    for dtype in (np.float32, np.float64):
        x = data(rng, shape, dtype)
        for mode in MODES:
            origin = [(n - 1) // 2 for n in wshape]
            compare(name, x, (weights,), {"mode": mode, "cval": -1.25, "origin": origin},
                    weights)


@settings(max_examples=80)
@given(shape=shapes(max_dims=3), dtype=st.sampled_from(DTYPES), size=st.integers(1, 8),
       mode=st.sampled_from(MODES), seed=st.integers(0, 2**32 - 1), data_=st.data())
def test_uniform_filter1d_matches_scipy(shape, dtype, size, mode, seed, data_):
    dtype = np.dtype(dtype)
    x = data(np.random.default_rng(seed), shape, dtype)
    kwargs = {"axis": data_.draw(st.integers(-len(shape), len(shape) - 1)), "mode": mode,
              "origin": data_.draw(st.integers(-(size // 2), (size - 1) // 2)),
              "cval": data_.draw(st.sampled_from([0.0, 4.5])),
              "output": data_.draw(st.sampled_from(output_variants(dtype, dtype.kind == "c")))}
    compare("uniform_filter1d", x, (size,), kwargs, np.ones(size), divisor=size)


@settings(max_examples=80)
@given(shape=shapes(max_dims=4, max_side=7), dtype=st.sampled_from(DTYPES),
       seed=st.integers(0, 2**32 - 1), data_=st.data())
def test_uniform_filter_matches_scipy(shape, dtype, seed, data_):
    """Several axes (fused), per-axis sizes (<= 1 and fractional sizes too), origins and
    modes, axes; integer outputs pass by pass."""
    dtype, ndim = np.dtype(dtype), len(shape)
    axes = data_.draw(st.none() | st.permutations(range(ndim)).map(lambda p: p[:max(1, ndim - 1)]))
    n = ndim if axes is None else len(axes)
    sizes = [data_.draw(st.sampled_from([0, 1, 2, 3, 4, 2.5, 6])) for _ in range(n)]
    origins = [data_.draw(st.integers(-(int(s) // 2), (int(s) - 1) // 2)) if s > 1 else 0
               for s in sizes]
    modes = [data_.draw(st.sampled_from(MODES)) for _ in range(n)]
    output = data_.draw(st.sampled_from(output_variants(dtype, dtype.kind == "c")))
    kwargs = {"size": sizes, "origin": origins, "mode": modes, "axes": axes, "output": output,
              "cval": data_.draw(st.sampled_from([0.0, -2.0]))}
    x = data(np.random.default_rng(seed), shape, dtype)
    ours, theirs = call_both("uniform_filter", x, **kwargs)
    assert ours.dtype == theirs.dtype and ours.shape == theirs.shape
    if ours.dtype.kind in "fc":
        atol = tolerance(dtype, ours.dtype, magnitude(x, "constant", kwargs["cval"]), 2 * n)
        assert_same_float(ours, theirs, atol)
        return
    passes = [(lambda p, out, a=a, s=int(s), o=o, m=m: sndi.uniform_filter1d(
        p, s, a, out, m, kwargs["cval"], o), np.ones(int(s)), a, o, int(s), m)
        for a, s, o, m in zip(range(ndim) if axes is None else axes, sizes, origins, modes)
        if s > 1]
    assert_integer_output(ours, x, passes, kwargs["cval"])
    if dtype.kind in "biu":  # sums of integers: exact, and so are the truncated means
        assert same_bytes(ours, theirs)


def realistic_image(dtype, shape=(48, 64)):
    """A smooth gradient with an edge and noise, the range of `dtype` (uint8: 0..255)."""
    rng = np.random.default_rng(7)
    rows, cols = np.mgrid[:shape[0], :shape[1]]
    image = 40 + 2.5 * cols + 0.8 * rows + 60 * (cols > shape[1] // 2) + rng.normal(0, 6, shape)
    info = np.iinfo(dtype)
    return np.clip(image, max(info.min, 0), min(info.max, 255)).astype(dtype)


@pytest.mark.parametrize("dtype", [np.uint8, np.int16, np.uint16, np.int32])
def test_integer_outputs_exact_on_images(dtype):
    """Integer data through integer outputs (the default for integer input): exact means
    and integer taps equal scipy's results byte for byte, wraparound of unsigned types and
    truncation of the intermediate passes included."""
    image = realistic_image(dtype)
    volume = np.stack([image, image[::-1], image[:, ::-1]])
    laplacian = np.array([[0, 1, 0], [1, -4, 1], [0, 1, 0]])
    for x in (image, volume):
        for mode in ("reflect", "constant", "nearest", "wrap", "mirror"):
            calls = [("uniform_filter", (3,), {}), ("uniform_filter", ((5, 2, 4)[-x.ndim:],), {}),
                     ("uniform_filter1d", (7,), {"axis": 0}),
                     ("uniform_filter1d", (4,), {"origin": -2}),
                     ("correlate", (laplacian,), {"axes": (0, 1)}),
                     ("convolve", (np.ones((3,) * x.ndim),), {}),
                     ("correlate1d", ([1, -2, 1],), {}), ("convolve1d", ([-1, 0, 3, 1],), {}),
                     ("correlate", (laplacian,), {"output": np.int16, "axes": (-2, -1)})]
            for name, args, kwargs in calls:
                ours, theirs = call_both(name, x, *args, mode=mode, cval=3, **kwargs)
                assert same_bytes(ours, theirs), (name, mode, kwargs, x.ndim)


def test_flat_regions_stay_flat():
    """A constant image filtered into an integer output keeps its value (within rounding of
    an integer means that integer), whatever the SIMD path or layout of the pass."""
    for value in (1, 7, 100, 254, 255):
        x = np.full((20, 30), value, np.uint8)
        for weights in ([0.25, 0.5, 0.25], np.full(7, 1 / 7)):
            for axis in (0, 1):
                assert (andi.correlate1d(x, weights, axis) == value).all()
        assert (andi.uniform_filter(x, 5) == value).all()
        assert (andi.correlate(x, np.full((3, 3), 1 / 9)) == value).all()


def test_output_in_place_and_overlapping():
    """output may be the input itself or overlap it (scipy goes through a temporary)."""
    rng = np.random.default_rng(3)
    base = rng.uniform(-5, 5, (12, 14))
    for name, args in [("correlate1d", ([1, 2, -1],)), ("correlate", (rng.uniform(size=(3, 4)),)),
                       ("correlate", (rng.uniform(size=(3, 1)),)), ("uniform_filter", (4,)),
                       ("uniform_filter1d", (3,)), ("convolve", (rng.uniform(size=(2, 2)),))]:
        expected = getattr(sndi, name)(base, *args)
        x = base.copy()
        assert getattr(andi, name)(x, *args, output=x) is x
        np.testing.assert_allclose(x, expected, atol=1e-12)
        buffer = np.zeros((13, 14))
        buffer[1:] = base
        out = buffer[:-1]  # overlaps the input buffer[1:] shifted by a row
        getattr(andi, name)(buffer[1:], *args, output=out)
        np.testing.assert_allclose(out, expected, atol=1e-12)


def test_complex_output_overlapping_the_input():
    rng = np.random.default_rng(8)
    base = data(rng, (7, 9), np.complex128)
    for name, args in [("uniform_filter", (3,)), ("gaussian_filter", (1.0,)), ("sobel", ()),
                       ("correlate1d", ([1, 2j, -1],)), ("correlate", (np.ones((2, 3)),))]:
        expected = getattr(sndi, name)(base, *args)
        for shift in (1, 2):  # half an element apart (imaginary parts under real ones), one
            flat = np.zeros(2 * base.size + shift)
            x = flat[shift:].view(np.complex128).reshape(base.shape)
            out = flat[:-shift].view(np.complex128).reshape(base.shape)
            x[...] = base
            getattr(andi, name)(x, *args, output=out)
            np.testing.assert_allclose(out, expected, atol=1e-12, err_msg=name)
        x = base.copy()
        getattr(andi, name)(x, *args, output=x)
        np.testing.assert_allclose(x, expected, atol=1e-12, err_msg=name)


def test_strided_and_byteswapped_arrays():
    rng = np.random.default_rng(4)
    x = rng.uniform(-1, 1, (9, 16))[:, ::2].astype(">f8")
    weights = rng.uniform(-1, 1, (3, 3))
    out = np.zeros((9, 16), "<f4")[:, 1::2]
    for name in ("correlate", "convolve"):
        ours, theirs = call_both(name, x, weights, output=out, mode="wrap")
        np.testing.assert_allclose(ours, theirs, atol=1e-6)


def test_weights_with_tiny_or_nan_taps_are_dropped_as_in_scipy():
    """scipy's N-D correlate drops taps with |w| <= eps (NaN too); correlate1d does not."""
    x = np.arange(12.0).reshape(3, 4)
    weights = np.array([[np.nan, 1e-17, 1.0], [2.0, -1e-300, 0.5]])
    for name in ("correlate", "convolve"):
        ours, theirs = call_both(name, x, weights)
        np.testing.assert_allclose(ours, theirs, rtol=1e-15)
    ours, theirs = call_both("correlate1d", x, [np.nan, 1.0, 1e-17])
    assert np.isnan(ours).all() and np.isnan(theirs).all()


@pytest.mark.parametrize("name", ["correlate", "convolve", "correlate1d"])
@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.complex128])
def test_inf_and_nan_reach_the_outputs_they_reach_in_scipy(name, dtype):
    """scipy's N-D correlate leaves zero taps out of its sum, so an inf or NaN under a zero
    tap stays out of that output (its correlate1d multiplies every tap: 0 * inf is NaN)."""
    rng = np.random.default_rng(12)
    kernels = [np.array([0.0, 1.0, 0.0, -2.0, 0.0, 0.5]),
               np.array([[0, 1, 0], [1, -4, 1], [0, 1, 0.]]),
               np.array([[[0, 1], [2, 0]], [[0, 0], [-1, 3.]]])]
    for weights in kernels[:1] if name == "correlate1d" else kernels:
        x = data(rng, (6, 7) if name == "correlate1d" else (8, 6, 7)[-weights.ndim:], dtype)
        x.flat[np.array([3, 17, 40, 41]) % x.size] = [np.nan, np.inf, -np.inf, np.inf]
        for mode, cval in [("reflect", 0.0), ("constant", 1.0), ("constant", np.nan),
                           ("constant", -np.inf), ("wrap", 0.0)]:
            ours, theirs = call_both(name, x, weights, mode=mode, cval=cval)
            for part in (np.real, np.imag):  # NaN, inf and -inf where scipy has them
                a, b = part(ours), part(theirs)
                np.testing.assert_array_equal(np.isnan(a), np.isnan(b), err_msg=mode)
                infinite = np.isinf(b)
                np.testing.assert_array_equal(a[infinite], b[infinite], err_msg=mode)
                finite = np.isfinite(b)
                np.testing.assert_allclose(a[finite], b[finite], atol=1e-4, err_msg=mode)


def test_empty_weights_axis_gives_zeros_as_in_scipy():
    x = np.arange(12.0).reshape(3, 4)
    ours, theirs = call_both("correlate", x, np.ones((0, 3, 3)))
    assert same_bytes(ours, theirs) and not ours.any()


def test_zero_dimensional_input():
    for name, args in [("correlate", (np.float64(2.5),)), ("convolve", (-3,)),
                       ("uniform_filter", ()), ("gaussian_filter", (1.0,)), ("laplace", ())]:
        ours, theirs = call_both(name, np.float32(4.0), *args)
        assert same_bytes(ours, theirs), name


@pytest.mark.parametrize("name", ["correlate1d", "convolve1d"])
def test_one_tap_of_zero_keeps_nan_inf_and_signs(name):
    """correlate1d multiplies: x * 0 is NaN for NaN and inf, -0.0 for a negative tap; only
    N-D correlate leaves zero taps out."""
    x = np.array([[1.0, np.nan, np.inf, 2.0], [-1.0, 3.0, -np.inf, 0.5]])
    for tap in (0.0, -0.0):
        for axis in (0, 1):
            ours, theirs = call_both(name, x, [tap], axis=axis)
            assert same_bytes(ours, theirs), (tap, axis, ours, theirs)
    assert same_bytes(andi.correlate(x, [[0.0]]), sndi.correlate(x, [[0.0]]))


@pytest.mark.parametrize("name", ["correlate1d", "correlate"])
def test_integer_taps_with_a_fractional_constant_into_integers(name):
    """Integer taps on integer data sum exactly unless the constant padded with is not an
    integer: then the result is snapped like any other (it truncated -1.9999999999999998
    to -1 where the exact value is -2; scipy's sum, in another order, lands on either side).
    The reference is the exact sum, truncated as scipy converts."""
    x = np.array([2, 1, 1], np.uint8)
    w = [-2.0, 2.0, 0.0, -1.0, 1.0]
    for cval in (0.3, 0.7, -0.3, 2.0):
        padded = [cval] * 2 + x.tolist() + [cval] * 2
        exact = [math.fsum(t * v for t, v in zip(w, padded[i:i + 5])) for i in range(3)]
        ours = getattr(andi, name)(x, w, mode="constant", cval=cval, output=np.int16)
        np.testing.assert_array_equal(ours, np.trunc(exact), err_msg=f"cval={cval}")


def test_float32_data_with_a_constant_beyond_float32():
    """scipy pads with the float64 constant; cast to float32 it became inf (and inf * 0 NaN
    at the other end)."""
    y = np.zeros((1, 4), np.float32)
    for name, args, cval in (("correlate1d", ([0.001, 0, 0],), 1e39),
                             ("correlate", ([[0.001, 0, 0]],), 1e39),
                             ("uniform_filter1d", (3,), 1e39),
                             ("uniform_filter", (3,), 1e38)):  # sums of it beyond float32
        ours, theirs = call_both(name, y, *args, mode="constant", cval=cval)
        assert ours.dtype == theirs.dtype == np.float32
        np.testing.assert_allclose(ours, theirs, rtol=1e-6, err_msg=name)


@pytest.mark.parametrize("name", ["correlate1d", "convolve1d", "correlate", "convolve"])
def test_weights_inside_a_complex_output(name):
    """Real weights that are a view of a complex `output` count with their values before the
    call (complex data is filtered part by part; the second part read them after the first
    wrote `output`)."""
    rng = np.random.default_rng(26)
    x = rng.standard_normal((6, 20)) + 1j * rng.standard_normal((6, 20))
    w = np.array([0.25, 0.5, 1.0]) if name.endswith("1d") else np.arange(9.0).reshape(3, 3)
    for where in ("first", "last"):
        output = np.full(x.shape, 0.5 + 0.25j)
        flat = output.view(np.float64).reshape(-1)
        view = flat[:w.size] if where == "first" else flat[-w.size:]
        view[:] = w.ravel()
        want = getattr(andi, name)(x, w)
        getattr(andi, name)(x, view.reshape(w.shape), output=output)
        np.testing.assert_array_equal(output, want, err_msg=where)
