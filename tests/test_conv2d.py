"""convolve2d / correlate2d (docs/contract.md §4) against scipy.signal: the property tests over
everything at once, and both routes, explicitly.

The oracle is scipy.signal.convolve2d / correlate2d in float64 / complex128, image by image over
any leading batch axes (_signal_testing.oracle2d); 'mirror' and 'nearest' (which scipy.signal
lacks) use np.pad + scipy's 'valid' mode, checked here against scipy for fill / wrap / symm.

Kernels of low numerical rank r (r * (kh + kw) < kh * kw) may run as r fused separable passes,
all others through the direct 2-D kernel.  Tolerances (_axc_testing.tolerance2d) scale with
eps * sum|k| * max(|x|, |fill|); for the separable route the bound uses the SVD factors.
Boundaries, sizes and dtypes: test_conv2d_boundaries.py; batches, large planes and threads:
test_conv2d_batches.py; errors: test_conv2d_errors.py; separate: test_separate.py.
"""
import numpy as np
import pytest
import scipy.signal as ss
from _axc_testing import (
    assert_close2d,
    call,
    n_examples,
    names,
    numerical_rank,
    random_values,
    result_dtype,
    separable_route,
)
from _layouts import strided_view
from _signal_testing import (
    ALL_BOUNDARIES,
    FUNCS,
    MAIN_BOUNDARIES,
    ROUTE_KERNELS,
    SIZES,
    canonical_boundary,
    low_rank,
    make_kernel,
    oracle2d,
    pad_oracle,
)
from hypothesis import given, settings
from hypothesis import strategies as st


# --------------------------------------------------------------------------
# The oracle itself
# --------------------------------------------------------------------------
def test_pad_oracle_agrees_with_scipy():
    """np.pad + 'valid' reproduces scipy for the boundaries scipy has, kernels
    larger than the image included: so it is a fair oracle for mirror/nearest."""
    rng = np.random.default_rng(0)
    for H, W in [(1, 1), (1, 6), (6, 1), (4, 5), (9, 7)]:
        for kh, kw in [(1, 1), (3, 3), (2, 6), (11, 3), (14, 15)]:
            x = rng.uniform(-10, 10, (H, W))
            k = rng.uniform(-2, 2, (kh, kw))
            for fname in FUNCS:
                for mode in ("full", "same"):
                    for b in ("fill", "wrap", "symm"):
                        want = getattr(ss, fname)(x, k, mode, b, 1.5)
                        got = pad_oracle(fname, x, k, mode, b, 1.5)
                        np.testing.assert_allclose(got, want, rtol=0, atol=1e-12,
                                                   err_msg=f"{fname} {mode} {b}")


# --------------------------------------------------------------------------
# Property test: everything at once
# --------------------------------------------------------------------------
@st.composite
def cases(draw, x_dtypes=(np.float32, np.float64), k_dtypes=(np.float64,),
          fills=(0.0, 1.5, -3.0)):
    fname = draw(st.sampled_from(FUNCS))
    batch = draw(st.sampled_from([(), (), (), (2,), (3,), (2, 2), (1, 3)]))
    big = draw(st.integers(0, 4)) == 0
    H = draw(st.integers(1, 60 if big else 20))
    W = draw(st.integers(1, 60 if big else 20))
    larger = draw(st.integers(0, 4)) == 0   # kernel larger than the image
    kh = draw(st.integers(1, 2 * H + 3 if larger else min(9, H + 2)))
    kw = draw(st.integers(1, 2 * W + 3 if larger else min(9, W + 2)))
    kh, kw = min(kh, 24), min(kw, 24)
    kind = draw(st.sampled_from(["rank1", "rank1", "rank2", "rank3", "random", "random",
                                 "ones"]))
    mode = draw(st.sampled_from(SIZES + [m.upper() for m in SIZES[:1]]))
    boundary = draw(st.sampled_from(MAIN_BOUNDARIES * 4 + ALL_BOUNDARIES))
    fillvalue = draw(st.sampled_from(list(fills)))
    nd = len(batch) + 2
    perm = draw(st.permutations(range(nd)))
    steps = [draw(st.sampled_from([1, 1, 1, -1, 2, -2])) for _ in range(nd)]
    threads = draw(st.sampled_from([None, 1, 2]))
    x_dtype = np.dtype(draw(st.sampled_from(list(x_dtypes))))
    k_dtype = np.dtype(draw(st.sampled_from(list(k_dtypes))))
    seed = draw(st.integers(0, 2**32 - 1))
    return dict(fname=fname, shape=batch + (H, W), kshape=(kh, kw), kind=kind, mode=mode,
                boundary=boundary, fillvalue=fillvalue, perm=perm, steps=steps,
                threads=threads, x_dtype=x_dtype, k_dtype=k_dtype, seed=seed)


def run_case(c):
    rng = np.random.default_rng(c["seed"])
    values = random_values(rng, c["shape"], c["x_dtype"])
    x, _ = strided_view(values, c["perm"], c["steps"])
    k = make_kernel(rng, *c["kshape"], c["kind"], c["k_dtype"])
    x_before = x.copy()
    msg = repr({key: v for key, v in c.items() if key != "seed"})
    H, W = c["shape"][-2:]
    if c["mode"].lower() == "valid" and not (
            (H >= k.shape[0] and W >= k.shape[1]) or (H <= k.shape[0] and W <= k.shape[1])):
        with pytest.raises(ValueError) as info:
            call(c["fname"], x, k, c["mode"], c["boundary"], c["fillvalue"],
                 threads=c["threads"])
        assert names(str(info.value), "mode"), str(info.value)
        return
    got = call(c["fname"], x, k, c["mode"], c["boundary"], c["fillvalue"],
               threads=c["threads"])
    exp = oracle2d(c["fname"], values, k, c["mode"].lower(), c["boundary"], c["fillvalue"])
    _, fv = canonical_boundary(c["boundary"], c["fillvalue"])
    assert_close2d(got, exp, result_dtype(c["x_dtype"], c["k_dtype"]), k, values, fv,
                   err_msg=msg)
    np.testing.assert_array_equal(x, x_before, err_msg="x was modified")


@settings(max_examples=n_examples(100))
@given(c=cases())
def test_real_matches_scipy(simd, c):
    run_case(c)


@settings(max_examples=n_examples(40))
@given(c=cases(x_dtypes=(np.complex64, np.complex128, np.float32, np.float64),
               k_dtypes=(np.float64, np.complex128), fills=(0.0, 1.5, 0.5 - 2j)))
def test_complex_matches_scipy(simd, c):
    if c["x_dtype"].kind != "c" and c["k_dtype"].kind != "c":
        c["fillvalue"] = np.real(c["fillvalue"])  # a real result: scipy refuses a complex fill
    run_case(c)


@pytest.mark.parametrize("fname", FUNCS)
def test_real_x_complex_kernel_complex_fill(fname):
    """The fill's imaginary part reaches the result through the kernel even when x is real
    (each part of the result sums both parts of the padded x); no rows at all too."""
    rng = np.random.default_rng(5)
    k = rng.standard_normal((3, 4)) + 1j * rng.standard_normal((3, 4))
    for x in (rng.standard_normal((6, 7)), np.zeros((0, 7))):
        for mode in ("full", "same"):
            np.testing.assert_allclose(call(fname, x, k, mode, "fill", 1 - 0.5j),
                                       getattr(ss, fname)(x, k, mode, "fill", 1 - 0.5j),
                                       rtol=1e-12, atol=1e-12)


@settings(max_examples=n_examples(30))
@given(c=cases(x_dtypes=(np.bool_, np.int8, np.uint16, np.int32, np.int64),
               k_dtypes=(np.float64, np.int64, np.float32)))
def test_integer_and_bool_inputs_match_scipy(c):
    run_case(c)


# --------------------------------------------------------------------------
# Both routes, explicitly
# --------------------------------------------------------------------------
@pytest.mark.parametrize("kname", list(ROUTE_KERNELS))
@pytest.mark.parametrize("fname", FUNCS)
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_routes_match_scipy(simd, kname, fname, dtype):
    rng = np.random.default_rng(1)
    build, separable = ROUTE_KERNELS[kname]
    k = build(rng)
    assert separable_route(k) == separable, "test kernel has the wrong rank"
    for shape in [(2, 19, 23), (41, 37), (2, 1, 3, 8)]:
        values = random_values(rng, shape, dtype)
        H, W = shape[-2:]
        for mode in SIZES:
            if mode == "valid" and not ((H >= k.shape[0] and W >= k.shape[1]) or
                                        (H <= k.shape[0] and W <= k.shape[1])):
                with pytest.raises(ValueError):
                    call(fname, values, k, mode)
                continue
            for boundary, fv in [("fill", 0.0), ("fill", 1.5), ("wrap", 0.0), ("symm", 0.0),
                                 ("mirror", 0.0), ("nearest", 0.0)]:
                got = call(fname, values, k, mode, boundary, fv)
                exp = oracle2d(fname, values, k, mode, boundary, fv)
                assert_close2d(got, exp, dtype, k, values, fv,
                               err_msg=f"{kname} {shape} {mode} {boundary} {fv}")


class _Spy:
    """Stands in for axisconv.conv2d._core and records the C entry points used."""

    def __init__(self, core):
        self._core = core
        self.calls = []

    def correlate_separable(self, *args):
        self.calls.append("separable")
        return self._core.correlate_separable(*args)

    def correlate2d(self, *args):
        self.calls.append("direct")
        return self._core.correlate2d(*args)

    def __getattr__(self, name):
        return getattr(self._core, name)


@pytest.mark.parametrize("kname,shape,rank,route64,route32", [
    ("rank1_5x5", (5, 5), 1, ["separable"], ["separable"]),
    ("rank2_7x7", (7, 7), 2, ["direct"], ["separable"] * 2),
    ("rank1_3x3", (3, 3), 1, ["separable"], ["separable"]),
    ("rank3_7x7", (7, 7), 3, ["direct"], ["separable"] * 3),
    ("rank2_3x3", (3, 3), 2, ["direct"], ["direct"]),
    ("rank3_5x5", (5, 5), 3, ["direct"], ["direct"]),
    ("random_3x3", (3, 3), 3, ["direct"], ["direct"]),
    ("random_5x5", (5, 5), 5, ["direct"], ["direct"]),
    ("row_1x5", (1, 5), 1, ["direct"], ["direct"]),
    ("col_6x1", (6, 1), 1, ["direct"], ["direct"]),
])
def test_route_taken(monkeypatch, kname, shape, rank, route64, route32):
    """Kernels that split (r * (kh + kw) < kh * kw) into factors rebuilding every tap to the
    precision of the data go through r separable passes, all others through the direct 2-D
    kernel: a rank-1 kernel's pivot factors rebuild each tap to a few ulps of itself, an SVD
    split of rank 2 or more only to a few ulps of the largest singular value, which is
    enough for float32 data but not for float64.  Both routes give scipy's answer."""
    import axisconv.conv2d as conv2d_module
    rng = np.random.default_rng(2)
    k = low_rank(rng, *shape, rank)
    assert numerical_rank(k) == rank
    spy = _Spy(conv2d_module._core)
    monkeypatch.setattr(conv2d_module, "_core", spy)
    for dtype, route in ((np.float64, route64), (np.float32, route32)):
        x = random_values(rng, (2, 17, 19), dtype)
        for fname in FUNCS:
            spy.calls.clear()
            got = call(fname, x, k, "same", "symm")
            assert spy.calls == route, f"{fname} {dtype}: {spy.calls}"
            assert_close2d(got, oracle2d(fname, x, k, "same", "symm"), dtype, k, x)
