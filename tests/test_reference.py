"""Every public function against its slow reference in tests/reference/ (bottleneck's pattern):
one loop over the public API, each call drawn by hypothesis over dtypes (bool, integers,
float32, float64, complex), shapes, axes, every spelling of every mode, origins and the memory
orders of _layouts.LAYOUTS (C, Fortran, negative strides, non-contiguous views, byte-swapped,
unaligned), with `out` (a new array in any of those orders, or x itself) where a function has
one, checked with the tolerance rule of _axc_testing.

The deep tests of each function (test_lines*, test_separable*, test_conv2d*, test_on1d,
test_conv1d*) compare with scipy, OpenCV and the frameworks and cover the edges; this one makes
sure no public function, and no argument of one, goes unchecked.
"""
import itertools

import numpy as np
import pytest
import reference.conv2d
import reference.filters
import reference.layer
import reference.on1d
import reference.separable
import scipy.ndimage as ndi
import scipy.signal as ss
from _axc_testing import (
    assert_chain_close,
    assert_close,
    assert_close2d,
    layer_tolerance,
    n_examples,
    names,
    origin_range,
    random_kernel,
    random_values,
    result_dtype,
    separable_dtype,
)
from _layouts import LAYOUTS, in_layout
from _signal_testing import make_kernel, valid_ok
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from reference.modes import ALIASES, MODES, SPELLINGS, canonical, pad_axis

import axisconv

X_DTYPES = [np.bool_, np.uint8, np.int16, np.int64, np.float32, np.float64, np.float64,
            np.complex64, np.complex128]
K_DTYPES = [np.float64, np.float64, np.float32, np.int32, np.complex128]
MODE_SPELLINGS = [spelling for spelling, _ in SPELLINGS]
SIGNAL_SIZES = ["full", "same", "valid", "FULL", "Same"]
SEED = st.integers(0, 2**32 - 1)


def constants(x_dtype):
    """Pad values to draw from: complex ones only for complex data (docs/contract.md §2)."""
    return [0.0, 1.5, -3.0] + ([2.0 - 1.0j] if np.dtype(x_dtype).kind == "c" else [])


def draw_array(draw, shape, dtypes=X_DTYPES):
    """(values, the same values in a drawn memory order, the dtype, the layout)."""
    dtype = np.dtype(draw(st.sampled_from(dtypes)))
    layout = draw(st.sampled_from(LAYOUTS))
    values = random_values(np.random.default_rng(draw(SEED)), shape, dtype)
    return values, in_layout(values, layout), dtype, layout


def draw_out(draw, x, dtype):
    """None, a new array of the result's dtype in a drawn memory order, or x itself (in
    place) where x has the result's dtype."""
    kind = draw(st.sampled_from(["none", "none", "new", "x"]))
    if kind == "x" and x.dtype == dtype and x.flags.writeable:
        return x
    if kind == "none":
        return None
    layout = draw(st.sampled_from([name for name in LAYOUTS if name != "byteswapped"]))
    return in_layout(np.zeros(x.shape, dtype), layout)


def shape_of(draw, ndim, largest):
    return tuple(draw(st.integers(1, largest)) for _ in range(ndim))


# --------------------------------------------------------------------------
# The references themselves: the pictures of docs/contract.md §1, np.pad, scipy
# --------------------------------------------------------------------------
NP_PAD = {"reflect": "symmetric", "mirror": "reflect", "nearest": "edge", "wrap": "wrap",
          "constant": "constant"}


def test_modes_draw_the_pictures_of_the_contract():
    """docs/contract.md §1, pads longer than the line included (a b c d = 1 2 3 4)."""
    want = {
        "reflect": [3, 4, 4, 3, 2, 1, 1, 2, 3, 4, 4, 3, 2, 1, 1, 2],
        "mirror": [1, 2, 3, 4, 3, 2, 1, 2, 3, 4, 3, 2, 1, 2, 3, 4],
        "nearest": [1] * 7 + [2, 3, 4] + [4] * 6,
        "wrap": [3, 4, 1, 2, 3, 4, 1, 2, 3, 4, 1, 2, 3, 4, 1, 2],
        "constant": [9] * 6 + [1, 2, 3, 4] + [9] * 6,
    }
    for mode, row in want.items():
        for spelling in ALIASES[mode]:
            padded = pad_axis(np.arange(1.0, 5.0), 6, 6, 0, spelling, 9.0)
            np.testing.assert_array_equal(padded, row, err_msg=spelling)
    np.testing.assert_array_equal(pad_axis(np.arange(1.0, 5.0), 2, 1, 0, "zeros", 9.0),
                                  [0, 0, 1, 2, 3, 4, 0])


@pytest.mark.parametrize("mode", MODES)
def test_modes_agree_with_np_pad(mode):
    """Where np.pad's modes agree with ours (pads no longer than the line), they agree."""
    for n in (1, 2, 3, 5, 8):
        x = np.arange(1.0, n + 1)
        pad = n - 1 if mode == "mirror" else n
        np.testing.assert_array_equal(pad_axis(x, pad, pad, 0, mode), np.pad(x, pad, NP_PAD[mode]))


@pytest.mark.parametrize("name", ["correlate1d", "convolve1d"])
def test_filters_reference_agrees_with_scipy(name):
    rng = np.random.default_rng(0)
    for L, K, mode in itertools.product([1, 2, 5], [1, 2, 5, 12], MODES):
        x = rng.standard_normal((3, L)) + 1j * rng.standard_normal((3, L))
        k = rng.standard_normal(K) + 1j * rng.standard_normal(K)
        for origin in sorted({origin_range(K)[0], 0, origin_range(K)[1]}):
            want = getattr(ndi, name)(x, k, 1, mode=mode, cval=1.5, origin=origin)
            got = getattr(reference.filters, name)(x, k, 1, mode, 1.5, origin)
            np.testing.assert_allclose(got, want, rtol=0, atol=1e-12,
                                       err_msg=f"L={L} K={K} {mode} origin={origin}")


@pytest.mark.parametrize("name", ["correlate2d", "convolve2d"])
def test_conv2d_reference_agrees_with_scipy(name):
    """Every size and the boundaries scipy.signal has, kernels larger than the image too."""
    rng = np.random.default_rng(1)
    for (H, W), (kh, kw) in itertools.product([(1, 1), (1, 6), (4, 5), (9, 7)],
                                              [(1, 1), (3, 3), (2, 6), (11, 3), (5, 4)]):
        x, k = rng.uniform(-10, 10, (H, W)), rng.uniform(-2, 2, (kh, kw))
        for mode, boundary in itertools.product(["full", "same", "valid"],
                                                ["fill", "wrap", "symm"]):
            if mode == "valid" and not valid_ok((H, W), (kh, kw)):
                continue
            want = getattr(ss, name)(x, k, mode, boundary, 1.5)
            got = getattr(reference.conv2d, name)(x, k, mode, boundary, 1.5)
            np.testing.assert_allclose(got, want, rtol=0, atol=1e-10,
                                       err_msg=f"{x.shape} {k.shape} {mode} {boundary}")


# --------------------------------------------------------------------------
# One case per public function: draw the arguments, call, compare with the reference
# --------------------------------------------------------------------------
def filter1d_case(draw, name):
    ndim = draw(st.integers(1, 3))
    shape = shape_of(draw, ndim, 40 if ndim == 1 else 9)
    values, x, dtype, layout = draw_array(draw, shape)
    axis = draw(st.integers(-ndim, ndim - 1))
    K = draw(st.integers(1, 2 * shape[axis] + 3))
    k = random_kernel(np.random.default_rng(draw(SEED)), K, draw(st.sampled_from(K_DTYPES)))
    kw = {"mode": draw(st.sampled_from(MODE_SPELLINGS)),
          "origin": draw(st.integers(*origin_range(K))),
          "cval": draw(st.sampled_from(constants(dtype)))}
    out = draw_out(draw, x, result_dtype(dtype, k.dtype))
    got = getattr(axisconv, name)(x, k, axis, out=out, **kw)
    assert out is None or got is out
    want = getattr(reference.filters, name)(values, k, axis, **kw)
    assert_close(got, want, result_dtype(dtype, k.dtype), k, values, kw["cval"],
                 err_msg=f"{layout} axis={axis} {kw} out={out is not None}")


def separable_case(draw, name):
    ndim = draw(st.integers(1, 3))
    shape = shape_of(draw, ndim, 30 if ndim == 1 else 9)
    values, x, dtype, layout = draw_array(draw, shape)
    axes = draw(st.one_of(st.none(), st.integers(-ndim, ndim - 1),
                          st.permutations(range(ndim)).flatmap(
                              lambda p: st.integers(1, ndim).map(lambda n: p[:n]))))
    real_axes = reference.separable.axes_list(axes, ndim)
    n = len(real_axes)
    rng = np.random.default_rng(draw(SEED))
    Ks = [draw(st.integers(1, 2 * shape[a] + 3)) for a in real_axes]
    if draw(st.booleans()):                                   # one kernel for every axis
        Ks = [min(Ks)] * n
        kernels = random_kernel(rng, Ks[0], draw(st.sampled_from(K_DTYPES)))
        klist = [kernels] * n
    else:
        kernels = klist = [random_kernel(rng, K, draw(st.sampled_from(K_DTYPES))) for K in Ks]
    modes = [draw(st.sampled_from(MODE_SPELLINGS)) for _ in range(n)]
    origins = [draw(st.integers(*origin_range(K))) for K in Ks]
    mode = modes if draw(st.booleans()) else modes[0]
    shared = st.integers(max(origin_range(K)[0] for K in Ks), min(origin_range(K)[1] for K in Ks))
    origin = origins if draw(st.booleans()) else draw(shared)
    cval = draw(st.sampled_from(constants(dtype)))
    kw = {"mode": mode, "cval": cval, "origin": origin}
    out = draw_out(draw, x, separable_dtype(dtype, klist))
    got = getattr(axisconv, name)(x, kernels, axes, out=out, **kw)
    assert out is None or got is out
    want = getattr(reference.separable, name)(values, kernels, axes, **kw)
    assert_chain_close(got, want, separable_dtype(dtype, klist), klist,
                       reference.separable.per_axis(mode, n), values, cval,
                       err_msg=f"{layout} axes={axes} {kw} out={out is not None}")


def conv2d_case(draw, name):
    batch = draw(st.sampled_from([(), (), (2,)]))
    H, W = shape_of(draw, 2, 12)
    values, x, dtype, layout = draw_array(draw, batch + (H, W))
    kh, kw = draw(st.integers(1, H + 3)), draw(st.integers(1, W + 3))
    kind = draw(st.sampled_from(["random", "rank1", "rank2", "ones"]))
    k = make_kernel(np.random.default_rng(draw(SEED)), kh, kw, kind,
                    draw(st.sampled_from(K_DTYPES)))
    mode = draw(st.sampled_from(SIGNAL_SIZES))
    boundary = draw(st.sampled_from(MODE_SPELLINGS))
    fillvalue = draw(st.sampled_from(constants(dtype)))
    f = getattr(axisconv, name)
    if mode.lower() == "valid" and not valid_ok((H, W), (kh, kw)):
        with pytest.raises(ValueError) as info:
            f(x, k, mode, boundary, fillvalue)
        assert names(info.value, "mode"), str(info.value)
        return
    got = f(x, k, mode, boundary, fillvalue)
    want = getattr(reference.conv2d, name)(values, k, mode, boundary, fillvalue)
    assert_close2d(got, want, result_dtype(dtype, k.dtype), k, values,
                   canonical(boundary, fillvalue)[1], err_msg=f"{layout} {mode} {boundary}")


def separate_case(draw, name):
    kh, kw = draw(st.integers(1, 7)), draw(st.integers(1, 7))
    rank = draw(st.integers(1, min(kh, kw, 3)))
    rng = np.random.default_rng(draw(SEED))
    kind = draw(st.sampled_from(["integer", "float", "complex"]))
    if kind == "integer":
        factors = [(rng.integers(-4, 5, kh), rng.integers(-4, 5, kw)) for _ in range(rank)]
    else:
        factors = [(random_kernel(rng, kh, kind=kind), random_kernel(rng, kw, kind=kind))
                   for _ in range(rank)]
        factors = [(u if kind == "float" else u + 1j * u[::-1], v) for u, v in factors]
    kernel = sum(np.outer(u, v) for u, v in factors)
    s = np.linalg.svd(kernel.astype(complex), compute_uv=False)
    assume(s[0] > 0 and s[-1 if rank == min(kh, kw) else rank - 1] > 1e-6 * s[0])
    tol = None
    if rank > 1 and draw(st.booleans()):            # a tolerance between two singular values
        tol = float(np.sqrt(s[rank - 1] * s[rank - 2]))
    layout = draw(st.sampled_from(LAYOUTS))
    cols, rows = axisconv.separate(in_layout(kernel, layout), tol=tol)
    reference.conv2d.check_separate(kernel, cols, rows, tol,
                                    exact=rank == 1 and kind == "integer")


def on1d_case(draw, name):
    batch = draw(st.sampled_from([(), (), (2,)]))
    N = draw(st.integers(1, 30))
    values, x, dtype, layout = draw_array(draw, batch + (N,))
    rows = draw(st.integers(1, 5))
    lag = draw(st.integers(-N - 2, N + 2))
    if name == "lag_matrix":
        got = axisconv.on1d.lag_matrix(x, rows, lag)
        want = reference.on1d.lag_matrix(values, rows, lag)
        assert got.dtype == x.dtype and np.array_equal(got, want), (layout, rows, lag)
        return
    kh, kw = draw(st.integers(1, 5)), draw(st.integers(1, 7))
    k = make_kernel(np.random.default_rng(draw(SEED)), kh, kw, "random",
                    draw(st.sampled_from(K_DTYPES)))
    kwargs = {"mode": draw(st.sampled_from(SIGNAL_SIZES)),
              "boundary": draw(st.sampled_from(MODE_SPELLINGS)),
              "fillvalue": draw(st.sampled_from(constants(dtype)))}
    args = {"replicated": (rows,), "lagged": (rows, lag)}.get(name, ())
    if name == "filter_bank":
        complex_result = result_dtype(dtype, k.dtype).kind == "c"
        kwargs["combine"] = draw(st.sampled_from(["stack", "concat", "sum", "mean"] +
                                                 ([] if complex_result else ["max"])))
    height = rows if args else 1
    f = getattr(axisconv.on1d, name)
    if kwargs["mode"].lower() == "valid" and name != "filter_bank" and not valid_ok(
            (height, N), (kh, kw)):
        with pytest.raises(ValueError) as info:
            f(x, k, *args, **kwargs)
        assert names(info.value, "mode"), str(info.value)
        return
    got = f(x, k, *args, **kwargs)
    want = getattr(reference.on1d, name)(values, k, *args, **kwargs)
    assert_close(got, want, result_dtype(dtype, k.dtype), k, values,
                 canonical(kwargs["boundary"], kwargs["fillvalue"])[1],
                 err_msg=f"{layout} {args} {kwargs}")


def conv1d_case(draw, name):
    fmt = draw(st.sampled_from(["NWC", "NCW"]))
    W = draw(st.integers(1, 24))
    groups = draw(st.sampled_from([1, 1, 2, 3]))
    C_in = groups * draw(st.integers(1, 3))
    C_out = groups * draw(st.integers(1, 4))
    batch = draw(st.sampled_from([(), (2,), (2, 1)]))
    shape = batch + ((W, C_in) if fmt == "NWC" else (C_in, W))
    values, x, dtype, layout = draw_array(draw, shape, [np.bool_, np.int16, np.float32, np.float64])
    rng = np.random.default_rng(draw(SEED))
    K = draw(st.integers(1, 5))
    filters = rng.uniform(-2, 2, (K, C_in // groups, C_out))
    bias = rng.uniform(-1, 1, C_out) if draw(st.booleans()) else None
    padding = st.one_of(st.sampled_from(["SAME", "VALID", "same"]), st.integers(0, 4),
                        st.tuples(st.integers(0, W + 2), st.integers(0, W + 2)))
    kw = {"stride": draw(st.integers(1, 3)), "dilation": draw(st.integers(1, 3)),
          "groups": groups, "padding": draw(padding), "data_format": fmt,
          "padding_mode": draw(st.sampled_from(MODE_SPELLINGS))}
    got = axisconv.conv1d(x, filters, bias=bias, **kw)
    want = reference.layer.conv1d(values, filters, bias=bias, **kw)
    out_dtype = np.float32 if dtype == np.float32 else np.float64
    assert got.dtype == out_dtype and got.shape == want.shape, (got.dtype, got.shape, kw)
    np.testing.assert_allclose(got, want, rtol=0,
                               atol=layer_tolerance(values, filters, bias, out_dtype),
                               err_msg=f"{layout} {kw}")


CASES = {
    "correlate1d": filter1d_case, "convolve1d": filter1d_case,
    "correlate_separable": separable_case, "convolve_separable": separable_case,
    "correlate2d": conv2d_case, "convolve2d": conv2d_case, "separate": separate_case,
    "conv1d": conv1d_case,
    **{f"on1d.{name}": on1d_case for name in axisconv.on1d.__all__},
}
NOT_FILTERS = {"on1d", "get_num_threads", "set_num_threads", "show_config", "get_include",
               "__version__"}


def test_every_public_function_has_a_case():
    public = (set(axisconv.__all__) - NOT_FILTERS) | {f"on1d.{n}" for n in axisconv.on1d.__all__}
    assert public == set(CASES)


@pytest.mark.parametrize("name", sorted(CASES))
@settings(max_examples=n_examples(100))
@given(data=st.data())
def test_matches_reference(name, data):
    CASES[name](data.draw, name.split(".")[-1])
