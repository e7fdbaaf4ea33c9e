"""axisconv.ndimage's Gaussian and derivative filters against scipy.ndimage:
gaussian_filter1d, gaussian_filter, sobel, prewitt, laplace, gaussian_laplace,
gaussian_gradient_magnitude, generic_laplace and generic_gradient_magnitude.

Float outputs agree with scipy's to a rounding bound; integer outputs follow scipy's chain
of 1-D passes, each stored into the output's dtype by the documented rule (exact for the
integer taps of sobel, prewitt and laplace on integer data).  The generic filters are
compared with scipy's own, given the same derivative callables.
"""
import numpy as np
import pytest
import scipy.ndimage as sndi
from hypothesis import example, given, settings
from hypothesis import strategies as st

from _ndi_testing import (DTYPES, MODES, ArrayOf, assert_integer_output, assert_same_float,
                          call_both, data, magnitude, output_dtype, output_variants, same_bytes,
                          shapes, tolerance)
from axisconv import ndimage as andi
from axisconv.ndimage._gaussian import gaussian_kernel1d

scipy_kernel = sndi._filters._gaussian_kernel1d  # scipy's own taps, for the tolerances


@pytest.mark.parametrize("order", [0, 1, 2, 3])
def test_gaussian_kernel_is_scipys(order):
    for sigma in np.geomspace(0.1, 30, 25):
        for radius in (0, 1, 3, int(4 * sigma + 0.5), 50):
            ours = gaussian_kernel1d(sigma, order, radius)
            theirs = scipy_kernel(sigma, order, radius)
            np.testing.assert_allclose(ours, theirs, rtol=0, atol=1e-14 * np.abs(theirs).max())


def gaussian_passes(ndim, sigma, order, mode, radius, truncate, axes, cval):
    """scipy's 1-D passes of gaussian_filter (as `chained` takes them) for each axis whose
    sigma exceeds 1e-15, in the order of `axes`."""
    axes = range(ndim) if axes is None else [a % ndim for a in axes]
    n = len(axes)
    per = [v if isinstance(v, (list, tuple)) else [v] * n for v in (sigma, order, mode, radius)]
    passes = []
    for a, s, o, m, r in zip(axes, *per):
        if s > 1e-15:
            f = (lambda p, out, a=a, s=s, o=o, m=m, r=r: sndi.gaussian_filter1d(
                p, s, a, o, out, m, cval, truncate, radius=r))
            radius_ = int(truncate * s + 0.5) if r is None else r
            passes.append((f, scipy_kernel(s, o, radius_)[::-1], a, 0, 1, m))
    return passes


def check_passes(ours, theirs, x, passes, cval):
    """Ours against scipy's result of the chain of 1-D `passes`."""
    assert ours.dtype == theirs.dtype and ours.shape == theirs.shape
    if ours.size == 0:
        return
    if ours.dtype.kind in "fc":
        scale = magnitude(x, "constant", cval)
        for _, kernel, _, _, divisor, _ in passes:
            scale *= np.abs(kernel).sum() / divisor
        taps = sum(np.count_nonzero(k) for _, k, _, _, _, _ in passes)
        assert_same_float(ours, theirs, tolerance(x.dtype, ours.dtype, scale, taps))
    else:
        assert_integer_output(ours, x, passes, cval)


@st.composite
def gaussian_case(draw, ndim_range=(1, 3)):
    shape = draw(shapes(*ndim_range, max_side=8))
    ndim = len(shape)
    axes = draw(st.none() | st.permutations(range(ndim)).map(lambda p: p[:max(1, ndim - 1)]))
    n = ndim if axes is None else len(axes)

    def per_axis(strategy):
        return draw(st.lists(strategy, min_size=n, max_size=n) | strategy)
    dtype = np.dtype(draw(st.sampled_from(DTYPES)))
    kwargs = {"sigma": per_axis(st.sampled_from([0, 0.4, 1.0, 1.7, 3.0])),
              "order": per_axis(st.integers(0, 3)), "mode": per_axis(st.sampled_from(MODES)),
              "radius": per_axis(st.none() | st.integers(0, 5)),
              "truncate": draw(st.sampled_from([4.0, 2.5, 1.0])), "axes": axes,
              "cval": draw(st.sampled_from([0.0, 1.5])),
              "output": draw(st.sampled_from(output_variants(dtype)))}
    return shape, dtype, draw(st.integers(0, 2**32 - 1)), kwargs


@settings(max_examples=80)
@given(case=gaussian_case())
def test_gaussian_filter_matches_scipy(case):
    shape, dtype, seed, kwargs = case
    x = data(np.random.default_rng(seed), shape, dtype)
    ours, theirs = call_both("gaussian_filter", x, **kwargs)
    passes = gaussian_passes(x.ndim, kwargs["sigma"], kwargs["order"], kwargs["mode"],
                             kwargs["radius"], kwargs["truncate"], kwargs["axes"], kwargs["cval"])
    check_passes(ours, theirs, x, passes, kwargs["cval"])


@settings(max_examples=80)
@given(case=gaussian_case(), data_=st.data())
def test_gaussian_filter1d_matches_scipy(case, data_):
    shape, dtype, seed, kwargs = case
    x = data(np.random.default_rng(seed), shape, dtype)
    axis = data_.draw(st.integers(-x.ndim, x.ndim - 1))
    sigma = data_.draw(st.sampled_from([0.3, 1.0, 2.2, -0.1]))
    order, radius = data_.draw(st.integers(0, 3)), data_.draw(st.none() | st.integers(0, 6))
    args = {"sigma": sigma, "axis": axis, "order": order,
            "mode": data_.draw(st.sampled_from(MODES)), "cval": kwargs["cval"],
            "truncate": kwargs["truncate"], "radius": radius, "output": kwargs["output"]}
    ours, theirs = call_both("gaussian_filter1d", x, **args)
    r = int(args["truncate"] * sigma + 0.5) if radius is None else radius
    f = (lambda p, out: sndi.gaussian_filter1d(p, **dict(args, output=out)))
    taps = scipy_kernel(sigma, order, r)[::-1]
    check_passes(ours, theirs, x, [(f, taps, axis % x.ndim, 0, 1, args["mode"])], args["cval"])


@pytest.mark.parametrize("shape", [(37, 53), (6, 40, 33), (300,)])
def test_gaussian_filter_per_simd(simd, shape):
    """The fused pass (and further in-place passes) on every SIMD path, both precisions."""
    rng = np.random.default_rng(sum(shape))
    for dtype in (np.float32, np.float64):
        x = data(rng, shape, dtype)
        for mode in ("reflect", "constant", "wrap", "mirror", "nearest"):
            for sigma, order in ((1.5, 0), (0.8, [1, 0, 2][:len(shape)])):
                ours, theirs = call_both("gaussian_filter", x, sigma, order, mode=mode, cval=2.0)
                passes = gaussian_passes(x.ndim, sigma, order, mode, None, 4.0, None, 2.0)
                check_passes(ours, theirs, x, passes, 2.0)


@st.composite
def edge_case(draw):
    shape = draw(shapes(max_dims=4, max_side=7))
    dtype = np.dtype(draw(st.sampled_from(DTYPES)))
    modes = draw(st.sampled_from(MODES) | st.lists(st.sampled_from(MODES), min_size=len(shape),
                                                   max_size=len(shape)))
    return shape, dtype, modes, draw(st.integers(0, 2**32 - 1)), draw(st.data())


@pytest.mark.parametrize("name, smooth", [("sobel", [1, 2, 1]), ("prewitt", [1, 1, 1])])
@settings(max_examples=60)
@given(case=edge_case())
def test_sobel_prewitt_match_scipy(name, smooth, case):
    shape, dtype, modes, seed, data_ = case
    x = data(np.random.default_rng(seed), shape, dtype)
    axis = data_.draw(st.integers(-x.ndim, x.ndim - 1))
    cval, output = data_.draw(st.sampled_from([0.0, -4.0])), data_.draw(
        st.sampled_from(output_variants(dtype)))
    ours, theirs = call_both(name, x, axis, output=output, mode=modes, cval=cval)
    per = modes if isinstance(modes, list) else [modes] * x.ndim
    first = axis % x.ndim
    order = [(first, [-1, 0, 1])] + [(a, smooth) for a in range(x.ndim) if a != first]
    passes = [(lambda p, out, a=a, k=k, m=per[a]: sndi.correlate1d(p, k, a, out, m, cval),
               np.array(k), a, 0, 1, per[a]) for a, k in order]
    check_passes(ours, theirs, x, passes, cval)
    if dtype.kind in "biu" and ours.dtype.kind in "biu":  # integer taps: exact
        assert same_bytes(ours, theirs)


@settings(max_examples=60)
@given(case=edge_case())
def test_laplace_matches_scipy(case):
    shape, dtype, _, seed, data_ = case
    x = data(np.random.default_rng(seed), shape, dtype)
    axes = data_.draw(st.none() | st.permutations(range(x.ndim)))
    n = x.ndim if axes is None else len(axes)
    modes = data_.draw(st.sampled_from(MODES) | st.lists(st.sampled_from(MODES), min_size=n,
                                                         max_size=n))
    output = data_.draw(st.sampled_from(output_variants(dtype)))
    ours, theirs = call_both("laplace", x, output=output, mode=modes, cval=1.5, axes=axes)
    assert ours.dtype == theirs.dtype and ours.shape == theirs.shape
    if ours.dtype.kind in "fc":
        atol = tolerance(dtype, ours.dtype, 4 * n * magnitude(x, "constant", 1.5), 3 * n)
        assert_same_float(ours, theirs, atol)
    elif dtype.kind in "biu" or ours.dtype.kind == "b":  # integer taps: exact
        assert same_bytes(ours, theirs)


def our_derivative(order):
    def derivative(input, axis, output, mode, cval, sigma, **kwargs):
        orders = [0] * input.ndim
        orders[axis] = order
        return andi.gaussian_filter(input, sigma, orders, output, mode, cval, **kwargs)
    return derivative


@pytest.mark.parametrize("name, generic, order", [
    ("gaussian_laplace", "generic_laplace", 2),
    ("gaussian_gradient_magnitude", "generic_gradient_magnitude", 1)])
@settings(max_examples=50)
@given(case=gaussian_case(ndim_range=(1, 3)))
@example(case=((1, 1, 1), np.dtype(np.int16), 0,  # int16 702: scipy's smoothed 701 wraps
               {"sigma": [0, 0, 0.4], "order": [0, 0, 0], "mode": ["reflect"] * 3,
                "radius": None, "truncate": 4.0, "axes": None, "cval": 0.0, "output": None}))
def test_gaussian_laplace_and_gradient_magnitude_match_scipy(name, generic, order, case):
    shape, dtype, seed, kwargs = case
    x = data(np.random.default_rng(seed), shape, dtype)
    sigma = kwargs["sigma"] if name == "gaussian_laplace" or kwargs["axes"] is None else 1.2
    call = {"sigma": sigma, "output": kwargs["output"], "mode": kwargs["mode"],
            "cval": kwargs["cval"], "axes": kwargs["axes"], "truncate": kwargs["truncate"]}
    per_input_axis = _laplace_sigmas(x.ndim, sigma, kwargs["axes"]) if order == 2 else sigma

    def scipy_on_our_derivative(x, sigma, output, mode, cval, axes, truncate):
        return getattr(sndi, generic)(x, our_derivative(order), output, mode, cval,
                                      extra_arguments=(per_input_axis,),
                                      extra_keywords={"truncate": truncate}, axes=axes)

    # An integer output takes a value within rounding of an integer as that integer, where
    # scipy's sum may land below it and truncate (the module's docstring): its intermediates
    # then differ, and with them the warnings (a square wrapped negative before the sqrt,
    # int16 702 against scipy's 701), so integer outputs are compared with scipy's generic
    # filter on our derivative, warnings included.
    integer = output_dtype(kwargs["output"], x).kind in "biu"
    ours, theirs = call_both(name, x, **call,
                             scipy_call=scipy_on_our_derivative if integer else None)
    assert ours.dtype == theirs.dtype and ours.shape == theirs.shape
    if ours.dtype.kind in "fc" and ours.size:
        sigmas = per_input_axis if isinstance(per_input_axis, list) else [sigma] * x.ndim
        radii = [int(kwargs["truncate"] * s + 0.5) for s in sigmas if s > 1e-15]
        sums = [max(np.abs(scipy_kernel(s, o, r)).sum() for o in (0, order))
                for s, r in zip([s for s in sigmas if s > 1e-15], radii)]
        scale = x.ndim * np.prod(sums) * magnitude(x, "constant", kwargs["cval"])
        atol = tolerance(dtype, ours.dtype, scale, sum(2 * r + 1 for r in radii))
        assert_same_float(ours, theirs, atol)
    # scipy's own generic filter, given our derivative, gives our result bit for bit
    output = kwargs["output"]
    expected = scipy_on_our_derivative(
        x, sigma, output.dtype if isinstance(output, ArrayOf) else output, kwargs["mode"],
        kwargs["cval"], kwargs["axes"], kwargs["truncate"])
    assert same_bytes(ours, expected)


def _laplace_sigmas(ndim, sigma, axes):
    """gaussian_laplace's sigma per input axis (0 off `axes`), as scipy builds it."""
    if axes is None:
        return sigma
    axes = [a % ndim for a in axes]
    sigmas = sigma if isinstance(sigma, list) else [sigma] * len(axes)
    full = [0] * ndim
    for s, a in zip(sigmas, axes):
        full[a] = s
    return full


@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.int16, np.complex128])
def test_generic_filters_with_our_derivatives_match_scipy(dtype):
    """generic_laplace / generic_gradient_magnitude of both libraries, each with its own
    derivative callables (extra_arguments and extra_keywords included)."""
    x = data(np.random.default_rng(5), (9, 11, 7), dtype)

    def d2(module):
        def derivative2(input, axis, output, mode, cval, weight, *, shift=0):
            return module.correlate1d(input, [weight, -2 * weight, weight], axis, output, mode,
                                      cval, shift)
        return derivative2

    def d1(module):
        def derivative(input, axis, output, mode, cval, sigma, truncate=4.0):
            return module.gaussian_filter1d(input, sigma, axis, 1, output, mode, cval, truncate)
        return derivative

    for axes in (None, (2, 0), [1]):
        n = 3 if axes is None else len(axes)
        mode = ["wrap", "constant", "nearest"][:n]
        calls = [("generic_laplace", d2, (1.0,), {"shift": 1}),
                 ("generic_gradient_magnitude", d1, (0.9,), {"truncate": 2.0})]
        for name, make, args, keywords in calls:
            ours = getattr(andi, name)(x, make(andi), None, mode, 0.5, args, keywords, axes=axes)
            # scipy's generic filter with our derivative: the same bytes
            same = getattr(sndi, name)(x, make(andi), None, mode, 0.5, args, keywords, axes=axes)
            assert same_bytes(ours, same)
            # and with its own derivative: the same values (integer taps: exactly)
            theirs = getattr(sndi, name)(x, make(sndi), None, mode, 0.5, args, keywords,
                                         axes=axes)
            if ours.dtype.kind in "fc":
                atol = tolerance(dtype, ours.dtype, 10 * magnitude(x, "constant", 0.5), 30)
                assert_same_float(ours, theirs, atol)
            elif name == "generic_laplace":
                assert same_bytes(ours, theirs)


def test_integer_images_exact():
    """Integer taps on integer images, the default integer output: scipy's bytes exactly
    (negative differences wrap in uint8, as scipy's do)."""
    rng = np.random.default_rng(11)
    image = np.clip(np.add.outer(np.arange(40), 3 * np.arange(50)) + rng.normal(0, 9, (40, 50)),
                    0, 255).astype(np.uint8)
    for x in (image, image.astype(np.int16), np.stack([image] * 3).astype(np.int32)):
        for mode in ("reflect", "constant", "nearest"):
            for name, args in [("sobel", (0,)), ("sobel", (-1,)), ("prewitt", (0,)),
                               ("laplace", ())]:
                ours, theirs = call_both(name, x, *args, mode=mode, cval=7)
                assert same_bytes(ours, theirs), (name, args, mode, x.dtype)


@pytest.mark.parametrize("name", ["generic_laplace", "generic_gradient_magnitude"])
def test_generic_filters_start_from_zeros(name):
    """A derivative that returns a new array and leaves `output` alone: the result is what
    scipy's gives, whose output starts as zeros (it was np.empty's leftover memory)."""
    def derivative(x, axis, output, mode, cval):
        return sndi.correlate1d(x, [1.0, -2.0, 1.0], axis, None, mode, cval)

    x = np.arange(48.0).reshape(6, 8) ** 2
    for _ in range(5):
        np.full(x.shape, 7.0)  # freed: the next array of this size may reuse its memory
        ours, theirs = getattr(andi, name)(x, derivative), getattr(sndi, name)(x, derivative)
        np.testing.assert_array_equal(ours, theirs)
