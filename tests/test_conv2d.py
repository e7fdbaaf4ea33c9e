"""convolve2d / correlate2d / separate (docs/contract.md §1, §4, §7).

The oracle is scipy.signal.convolve2d / correlate2d in float64 / complex128,
image by image over any leading batch axes.  'mirror' and 'nearest' (which
scipy.signal lacks) use np.pad + scipy's 'valid' mode, an oracle that is
itself checked against scipy for fill / wrap / symm (test_pad_oracle_...).

Both routes are tested explicitly: kernels of low numerical rank r
(r * (kh + kw) < kh * kw) run as r fused separable passes, all others through
the direct 2-D kernel.  Tolerances scale with eps * sum|k| * max(|x|, |fill|);
for the separable route the bound uses the SVD factors (sum over ranks of
s_i * sum|u_i| * sum|v_i|) plus the kernel reconstruction error
kh * kw * eps64 * sum|k| * max|x|.
"""
import inspect
import warnings

import numpy as np
import pytest
import scipy.signal as ss
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import axisconv
from axisconv import _core
from _axc_testing import (STREAMED_SHAPES, canonical_mode, n_examples, names, raises_naming,
                          random_values, strided_view)

FUNCS = ["convolve2d", "correlate2d"]
SIZES = ["full", "same", "valid"]
EPS32 = float(np.finfo(np.float32).eps)
EPS64 = float(np.finfo(np.float64).eps)

# every accepted spelling of a boundary, and what it means
BOUNDARY_ALIASES = {
    "fill": ["fill", "constant", "grid-constant", "BORDER_CONSTANT", "Fill"],
    "symm": ["symm", "symmetric", "reflect", "grid-mirror", "BORDER_REFLECT", "SYMM"],
    "wrap": ["wrap", "circular", "periodic", "grid-wrap", "BORDER_WRAP", "Wrap"],
    "mirror": ["mirror", "reflect101", "reflect_101", "BORDER_REFLECT_101", "BORDER_DEFAULT"],
    "nearest": ["nearest", "edge", "replicate", "BORDER_REPLICATE"],
}
ALL_BOUNDARIES = [b for names_ in BOUNDARY_ALIASES.values() for b in names_] + ["zeros"]
MAIN_BOUNDARIES = ["fill", "wrap", "symm", "mirror", "nearest"]
_NP_PAD = {"fill": "constant", "wrap": "wrap", "symm": "symmetric", "mirror": "reflect",
           "nearest": "edge"}


def call(fname, x, k, *args, **kw):
    return getattr(axisconv, fname)(x, k, *args, **kw)


def canonical_boundary(boundary, fillvalue):
    """('fill' | 'symm' | 'wrap' | 'mirror' | 'nearest', effective fillvalue)."""
    canon, fv = canonical_mode(boundary, fillvalue)
    return {"constant": "fill", "reflect": "symm"}.get(canon, canon), fv


# --------------------------------------------------------------------------
# Oracles
# --------------------------------------------------------------------------
def valid_needs_swap(shape, kshape):
    (h, w), (kh, kw) = shape, kshape
    return not (h >= kh and w >= kw)


def pad_oracle(fname, img, k, mode, boundary, fillvalue):
    """Pad by (kh-1, kw-1) on every side with np.pad, then scipy's 'valid'
    mode gives the 'full' result; 'same' is scipy's centred slice of it."""
    kh, kw = k.shape
    H, W = img.shape
    extra = {"constant_values": fillvalue} if boundary == "fill" else {}
    xp = np.pad(img, ((kh - 1, kh - 1), (kw - 1, kw - 1)), _NP_PAD[boundary], **extra)
    full = getattr(ss, fname)(xp, k, "valid")
    if mode == "full":
        return full
    assert mode == "same"
    r0 = (kh - 1) // 2 if fname == "convolve2d" else kh // 2
    c0 = (kw - 1) // 2 if fname == "convolve2d" else kw // 2
    return full[r0:r0 + H, c0:c0 + W]


def scipy_image(fname, img, k, mode, boundary, fillvalue):
    """One image: scipy.signal, except where scipy has no such boundary."""
    b, fv = canonical_boundary(boundary, fillvalue)
    if mode == "valid":
        if fname == "correlate2d" and valid_needs_swap(img.shape, k.shape) and (
                np.iscomplexobj(img) or np.iscomplexobj(k)):
            # scipy.signal.correlate2d conjugates the *image* when it swaps the
            # inputs (see test_complex_valid_with_kernel_larger_than_image);
            # scipy.signal.correlate (n-D) and the slice of scipy's own 'full'
            # correlate2d agree with each other and are the oracle here.
            return ss.correlate(img, k, "valid", method="direct")
        b, fv = ("fill", 0) if b in ("mirror", "nearest") else (b, fv)
    if b in ("fill", "wrap", "symm"):
        return getattr(ss, fname)(img, k, mode, b, fv)
    return pad_oracle(fname, img, k, mode, b, fv)


def oracle2d(fname, x, k, mode="full", boundary="fill", fillvalue=0):
    """scipy.signal.<fname> on each image of x (float64 / complex128)."""
    x = np.asarray(x)
    k = np.asarray(k)
    xd = x.astype(np.complex128 if x.dtype.kind == "c" else np.float64)
    kd = k.astype(np.complex128 if k.dtype.kind == "c" else np.float64)
    if xd.dtype.kind != "c" and np.iscomplexobj(fillvalue):
        raise AssertionError("complex fillvalue with real x")
    batch = x.shape[:-2]
    imgs = xd.reshape((-1,) + x.shape[-2:])
    outs = [scipy_image(fname, img, kd, mode, boundary, fillvalue) for img in imgs]
    out = np.stack(outs) if outs else None
    if out is None:  # empty batch: compute the image shape from a dummy image
        dummy = scipy_image(fname, np.zeros(x.shape[-2:]), kd, mode, boundary, fillvalue)
        out = np.zeros((0,) + dummy.shape, dummy.dtype)
    return out.reshape(batch + out.shape[1:])


def expected_dtype(x_dtype, k_dtype):
    xd, kd = np.dtype(x_dtype), np.dtype(k_dtype)
    if xd == np.float32:
        base = np.dtype(np.float32)
    elif xd.kind == "c":
        base = xd
    else:
        base = np.dtype(np.float64)
    if kd.kind == "c":
        base = np.promote_types(base, np.complex64)
    return base


# --------------------------------------------------------------------------
# Routing rule (conv2d module docstring / docs/contract.md §4) and tolerance
# --------------------------------------------------------------------------
def numerical_rank(k):
    s = np.linalg.svd(np.asarray(k, np.float64), compute_uv=False)
    if not s.size or s[0] == 0:
        return 0
    return int(np.count_nonzero(s > max(k.shape) * EPS64 * s[0]))


def separable_route(k):
    """True if a real kernel is run as separable passes."""
    kh, kw = k.shape
    if kh < 2 or kw < 2:
        return False
    r = numerical_rank(k)
    return 0 < r and r * (kh + kw) < kh * kw


def _factor_sum(k):
    """sum over the kept ranks of s_i * sum|u_i| * sum|v_i|: bounds every
    intermediate of the separable passes (>= sum|k|)."""
    u, s, vt = np.linalg.svd(np.asarray(k, np.float64))
    r = numerical_rank(k)
    return float(sum(s[i] * np.abs(u[:, i]).sum() * np.abs(vt[i]).sum() for i in range(r)))


def tolerance2d(dtype, k, x, fillvalue=0.0):
    dtype = np.dtype(dtype)
    k = np.asarray(k)
    x = np.asarray(x)
    kh, kw = k.shape
    K = kh * kw
    mx = float(np.max(np.abs(x))) if x.size else 0.0
    mx = max(mx, abs(complex(fillvalue)))
    sk = float(np.sum(np.abs(k.astype(np.complex128))))
    S = sk * mx
    svd = 0.0
    parts = [k.real, k.imag] if k.dtype.kind == "c" else [k]
    for p in parts:
        p = np.asarray(p, np.float64)
        if separable_route(p):
            S = max(S, _factor_sum(p) * mx)
            svd = max(svd, K * EPS64 * float(np.abs(p).sum()) * mx)
    if dtype in (np.dtype(np.float32), np.dtype(np.complex64)):
        atol = 2.0 * (K + 2) * EPS32 * S
    else:
        atol = max(4.0 * (K + 2) * EPS64, 1e-13) * S
    atol += svd
    if dtype.kind == "c":
        atol *= 2.0
    return atol


def assert_close2d(got, expected, dtype, k, x, fillvalue=0.0, err_msg=""):
    got = np.asarray(got)
    assert got.dtype == np.dtype(dtype), f"dtype {got.dtype} != {np.dtype(dtype)}. {err_msg}"
    assert got.shape == expected.shape, f"shape {got.shape} != {expected.shape}. {err_msg}"
    atol = tolerance2d(dtype, k, x, fillvalue)
    np.testing.assert_allclose(got.astype(expected.dtype), expected, rtol=0, atol=atol,
                               err_msg=err_msg)


# --------------------------------------------------------------------------
# Kernels
# --------------------------------------------------------------------------
def low_rank(rng, kh, kw, rank, dtype=np.float64):
    """A kernel of exactly `rank` (generically): a sum of `rank` outer products
    of random (complex, for a complex dtype) factors."""
    cplx = np.dtype(dtype).kind == "c"

    def vec(n):
        v = rng.uniform(-2, 2, n)
        return v + 1j * rng.uniform(-2, 2, n) if cplx else v

    k = sum(np.outer(vec(kh), vec(kw)) for _ in range(rank))
    return np.asarray(k, dtype)


def make_kernel(rng, kh, kw, kind, dtype=np.float64):
    if kind == "ones":
        return np.ones((kh, kw), dtype)
    if kind.startswith("rank"):
        return low_rank(rng, kh, kw, min(int(kind[4:]), kh, kw), dtype)
    k = rng.uniform(-2, 2, (kh, kw))
    if np.dtype(dtype).kind == "c":
        k = k + 1j * rng.uniform(-2, 2, (kh, kw))
    return k.astype(dtype)


# The four kernels of the routing tests, and the route each must take.
ROUTE_KERNELS = {
    "rank1_5x5": (lambda rng: low_rank(rng, 5, 5, 1), True),
    "rank2_7x7": (lambda rng: low_rank(rng, 7, 7, 2), True),
    "random_3x3": (lambda rng: rng.uniform(-2, 2, (3, 3)), False),
    "random_5x5": (lambda rng: rng.uniform(-2, 2, (5, 5)), False),
}


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
    assert_close2d(got, exp, expected_dtype(c["x_dtype"], c["k_dtype"]), k, values, fv,
                   err_msg=msg)
    np.testing.assert_array_equal(x, x_before, err_msg="x was modified")


@settings(max_examples=n_examples(100))
@given(c=cases())
def test_real_matches_scipy(simd, c):
    run_case(c)


@settings(max_examples=n_examples(40))
@given(c=cases(x_dtypes=(np.complex64, np.complex128, np.float32, np.float64),
               k_dtypes=(np.float64, np.complex128), fills=(0.0, 1.5)))
def test_complex_matches_scipy(simd, c):
    run_case(c)


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
                assert got.dtype == expected_dtype(dtype, np.float64)
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


def test_float32_is_computed_in_float32():
    rng = np.random.default_rng(11)
    x = random_values(rng, (64, 64), np.float32)
    for k in (low_rank(rng, 5, 5, 1), rng.uniform(-2, 2, (5, 5))):
        got = axisconv.convolve2d(x, k, "same", "symm")
        ref = axisconv.convolve2d(x.astype(np.float64), k, "same", "symm").astype(np.float32)
        assert got.dtype == np.float32
        assert not np.array_equal(got, ref)


@pytest.mark.parametrize("x_dtype", [np.float64, np.complex128, np.complex64])
@pytest.mark.parametrize("kind", ["rank1", "random"])
def test_correlate2d_conjugates_complex_kernel(simd, x_dtype, kind):
    rng = np.random.default_rng(12)
    x = random_values(rng, (2, 11, 12), x_dtype)
    k = make_kernel(rng, 5, 5, kind, np.complex128)
    want = expected_dtype(x_dtype, np.complex128)
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


# --------------------------------------------------------------------------
# Batches, layouts, threads
# --------------------------------------------------------------------------
@pytest.mark.parametrize("fname", FUNCS)
def test_batches_and_views(simd, fname):
    rng = np.random.default_rng(13)
    k1 = low_rank(rng, 5, 5, 1)
    k2 = rng.uniform(-2, 2, (4, 3))
    base = random_values(rng, (4, 30, 40), np.float64)
    views = [base, base[:, ::-2, 1::3], base.transpose(2, 1, 0), base[::-1, :, ::-1],
             np.asfortranarray(base), base[1:3].reshape(1, 2, 30, 40)]
    for x in views:
        for k in (k1, k2):
            got = call(fname, x, k, "same", "wrap")
            assert_close2d(got, oracle2d(fname, x, k, "same", "wrap"), np.float64, k, x)
    # a list is array_like
    lst = base[0, :5, :6].tolist()
    got = call(fname, lst, k2.tolist())
    assert_close2d(got, oracle2d(fname, np.array(lst), k2), np.float64, k2, np.array(lst))


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("shape", [(300, 500), (3, 110, 150)])
def test_threads_bitwise_identical(dtype, shape, restore_threads):
    rng = np.random.default_rng(14)
    x = random_values(rng, shape, dtype)
    for kname, (build, _) in ROUTE_KERNELS.items():
        k = build(rng)
        for fname, mode, boundary in [("convolve2d", "same", "symm"),
                                      ("correlate2d", "full", "fill"),
                                      ("convolve2d", "full", "wrap"),
                                      ("correlate2d", "valid", "fill")]:
            ref = call(fname, x, k, mode, boundary, 0.5, threads=1)
            for t in (2, 3):
                got = call(fname, x, k, mode, boundary, 0.5, threads=t)
                assert got.tobytes() == ref.tobytes(), f"{kname} {fname} {mode} threads={t}"
            axisconv.set_num_threads(2)
            assert call(fname, x, k, mode, boundary, 0.5).tobytes() == ref.tobytes()
        exp = oracle2d(fname, x, k, mode, boundary, 0.5)
        assert_close2d(ref, exp, dtype, k, x, 0.5, err_msg=kname)


# --------------------------------------------------------------------------
# separate
# --------------------------------------------------------------------------
@settings(max_examples=n_examples(100))
@given(kh=st.integers(1, 9), kw=st.integers(1, 9), rank=st.integers(1, 3),
       scale=st.sampled_from([1.0, 1e-6, 1e6]), cplx=st.sampled_from([False, False, True]),
       seed=st.integers(0, 2**32 - 1))
def test_separate_low_rank(kh, kw, rank, scale, cplx, seed):
    rank = min(rank, kh, kw)
    rng = np.random.default_rng(seed)
    k = low_rank(rng, kh, kw, rank, np.complex128 if cplx else np.float64) * scale
    s = np.linalg.svd(k, compute_uv=False)
    assume(s[rank - 1] > 1e-8 * s[0])  # the rank is well defined
    cols, rows = axisconv.separate(k)
    assert cols.shape == (rank, kh) and rows.shape == (rank, kw)
    rebuilt = sum(np.outer(cols[i], rows[i]) for i in range(rank))
    np.testing.assert_allclose(rebuilt, k, rtol=0, atol=4 * kh * kw * EPS64 * s[0])


@settings(max_examples=n_examples(60))
@given(kh=st.integers(1, 9), kw=st.integers(1, 9), seed=st.integers(0, 2**32 - 1))
def test_separate_full_rank(kh, kw, seed):
    rng = np.random.default_rng(seed)
    k = rng.uniform(-2, 2, (kh, kw))
    s = np.linalg.svd(k, compute_uv=False)
    assume(s[-1] > 1e-8 * s[0])
    cols, rows = axisconv.separate(k)
    r = min(kh, kw)
    assert cols.shape == (r, kh) and rows.shape == (r, kw)
    rebuilt = sum(np.outer(cols[i], rows[i]) for i in range(r))
    np.testing.assert_allclose(rebuilt, k, rtol=0, atol=4 * kh * kw * EPS64 * s[0])


@pytest.mark.parametrize("shape", [(1, 1), (3, 3), (2, 7), (9, 4)])
def test_separate_zero_kernel(shape):
    cols, rows = axisconv.separate(np.zeros(shape))
    assert cols.shape == (0, shape[0]) and rows.shape == (0, shape[1])


def test_separate_examples_and_tol():
    cols, rows = axisconv.separate(np.outer([1, 2, 1], [1, 0, -1]))   # integer input
    assert cols.shape == (1, 3) and rows.shape == (1, 3)
    np.testing.assert_allclose(np.outer(cols[0], rows[0]), np.outer([1, 2, 1], [1, 0, -1]),
                               atol=1e-14)
    k = np.diag([4.0, 2.0, 1e-3])
    assert axisconv.separate(k)[0].shape == (3, 3)
    assert axisconv.separate(k, tol=1e-2)[0].shape == (2, 3)
    assert axisconv.separate(k, tol=3.0)[0].shape == (1, 3)
    assert axisconv.separate(k, tol=4.0)[0].shape == (0, 3)
    assert axisconv.separate(k, tol=0)[0].shape == (3, 3)


@pytest.mark.parametrize("kernel,exc", [
    (np.ones(3), ValueError), (np.ones((2, 2, 2)), ValueError), (np.float64(2.0), ValueError),
    (np.ones((0, 3)), ValueError), (np.ones((3, 0)), ValueError),
    (np.array([["a", "b"]]), TypeError)])
def test_separate_errors(kernel, exc):
    with pytest.raises(exc) as info:
        axisconv.separate(kernel)
    assert names(str(info.value), "kernel"), str(info.value)


@pytest.mark.parametrize("tol", [-1.0, "1", [1.0], np.nan])
def test_separate_bad_tol(tol):
    with pytest.raises((ValueError, TypeError)) as info:
        axisconv.separate(np.ones((3, 3)), tol=tol)
    assert names(str(info.value), "tol"), str(info.value)


# --------------------------------------------------------------------------
# Errors (docs/contract.md §7): the message names the argument
# --------------------------------------------------------------------------
X = np.arange(42.0).reshape(6, 7)
K = np.ones((3, 3))


@pytest.mark.parametrize("fname", FUNCS)
def test_signature(fname):
    params = inspect.signature(getattr(axisconv, fname)).parameters
    assert list(params) == ["x", "kernel", "mode", "boundary", "fillvalue", "dtype",
                            "threads"]
    assert params["threads"].kind == inspect.Parameter.KEYWORD_ONLY
    assert params["mode"].default == "full"
    assert params["boundary"].default == "fill"
    assert params["fillvalue"].default == 0


@pytest.mark.parametrize("fname", FUNCS)
@pytest.mark.parametrize("kernel", [np.ones(3), np.ones((2, 2, 2)), np.float64(1.0), [1.0, 2.0]],
                         ids=["1d", "3d", "0d", "list1d"])
def test_kernel_not_2d(fname, kernel):
    raises_naming((ValueError, TypeError), "kernel", getattr(axisconv, fname), X, kernel)


@pytest.mark.parametrize("fname", FUNCS)
@pytest.mark.parametrize("kshape", [(0, 3), (3, 0), (0, 0)])
def test_empty_kernel(fname, kshape):
    raises_naming(ValueError, "kernel", getattr(axisconv, fname), X, np.ones(kshape))


@pytest.mark.parametrize("fname", FUNCS)
@pytest.mark.parametrize("x", [np.ones(5), np.float64(2.0), [1.0, 2.0]], ids=["1d", "0d", "list"])
def test_x_fewer_than_two_dims(fname, x):
    raises_naming(ValueError, "x", getattr(axisconv, fname), x, K)


@pytest.mark.parametrize("fname", FUNCS)
def test_bad_dtypes(fname):
    f = getattr(axisconv, fname)
    raises_naming(TypeError, "x", f, np.array([["a", "b"]]), K)
    raises_naming(TypeError, "x", f, np.ones((3, 3), np.float16), K)
    raises_naming(TypeError, "kernel", f, X, np.array([["a", "b"]]))


@pytest.mark.parametrize("fname", FUNCS)
@pytest.mark.parametrize("mode", ["bogus", "reflect", "fill", "", "fulll"])
def test_unknown_mode(fname, mode):
    with pytest.raises(ValueError) as info:
        getattr(axisconv, fname)(X, K, mode)
    msg = str(info.value)
    assert names(msg, "mode") and "same" in msg and "valid" in msg, msg


@pytest.mark.parametrize("fname", FUNCS)
@pytest.mark.parametrize("mode", [1, None])
def test_mode_not_a_string(fname, mode):
    raises_naming((ValueError, TypeError), "mode", getattr(axisconv, fname), X, K, mode)


@pytest.mark.parametrize("fname", FUNCS)
@pytest.mark.parametrize("boundary", ["bogus", "full", "pad", "symmetrical"])
def test_unknown_boundary(fname, boundary):
    raises_naming(ValueError, "boundary", getattr(axisconv, fname), X, K, "same", boundary)


@pytest.mark.parametrize("fname", FUNCS)
def test_boundary_not_a_string(fname):
    raises_naming((ValueError, TypeError), "boundary", getattr(axisconv, fname), X, K, "same", 0)


@pytest.mark.parametrize("fname", FUNCS)
@pytest.mark.parametrize("threads,exc", [(0, ValueError), (-1, ValueError),
                                         (1.5, (TypeError, ValueError)),
                                         ("2", (TypeError, ValueError))])
def test_bad_threads(fname, threads, exc):
    for k in (K, np.ones((5, 5))):   # both routes
        raises_naming(exc, "threads", getattr(axisconv, fname), X, k, threads=threads)


@pytest.mark.parametrize("fname", FUNCS)
def test_fillvalue_as_scipy_takes_it(fname):
    """scipy.signal's rules: ValueError for what is not one number; a one-element array,
    None (NaN) and numeric strings are accepted; a complex fillvalue for real data raises
    scipy's ValueError, except a NumPy complex scalar, which keeps its real part with a
    ComplexWarning."""
    f, ref = getattr(axisconv, fname), getattr(ss, fname)
    for bad in ("a", [1, 2], [], np.ones((2, 1)), 1 + 2j, np.array([1j])):
        raises_naming(ValueError, "fillvalue", f, X, K, "full", "fill", bad)
        with pytest.raises(ValueError), warnings.catch_warnings():
            warnings.simplefilter("ignore", np.exceptions.ComplexWarning)
            ref(X, K, "full", "fill", bad)
    # scipy raises OverflowError here; we raise ValueError naming the argument
    raises_naming(ValueError, "fillvalue", f, X, K, "full", "fill", 2**2000)
    for good in (np.array([2.5]), [2.5], np.array([[2.5]]), "2.5", np.float32(2.5), None):
        np.testing.assert_allclose(f(X, K, "full", "fill", good),
                                   ref(X, K, "full", "fill", good), rtol=1e-12)
    for value in (np.complex128(1 + 2j), np.complex64(1 + 2j)):
        with pytest.warns(np.exceptions.ComplexWarning):
            got = f(X, K, "full", "fill", value)
        with pytest.warns(np.exceptions.ComplexWarning):
            want = ref(X, K, "full", "fill", value)
        np.testing.assert_allclose(got, want, rtol=1e-12)


@pytest.mark.parametrize("fname", FUNCS)
def test_errors_before_work_on_zero_size(fname):
    f = getattr(axisconv, fname)
    x = np.zeros((2, 0, 5))
    raises_naming(ValueError, "mode", f, x, K, "bogus")
    raises_naming(ValueError, "boundary", f, x, K, "same", "bogus")
    raises_naming(ValueError, "kernel", f, x, np.ones(3))
    raises_naming(ValueError, "threads", f, x, K, threads=0)


# --------------------------------------------------------------------------
# Large planes: several column tiles and row bands per image
# --------------------------------------------------------------------------
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_wide_and_tall_images(dtype):
    """Images wide and tall enough to be split into several tiles and bands
    (with uneven last ones), both routes, threads 1 / 2 / 3 bitwise equal."""
    rng = np.random.default_rng(15)
    x = random_values(rng, (250, 1531), dtype)
    for k in (low_rank(rng, 15, 15, 1), low_rank(rng, 21, 3, 1), rng.uniform(-1, 1, (9, 9)),
              rng.uniform(-1, 1, (3, 25))):
        for fname, mode, boundary in [("correlate2d", "same", "symm"),
                                      ("convolve2d", "full", "fill"),
                                      ("correlate2d", "valid", "wrap")]:
            ref = call(fname, x, k, mode, boundary, 0.5, threads=1)
            for t in (2, 3):
                got = call(fname, x, k, mode, boundary, 0.5, threads=t)
                assert got.tobytes() == ref.tobytes(), f"k{k.shape} {fname} threads={t}"
            exp = oracle2d(fname, x, k, mode, boundary, 0.5)
            assert_close2d(ref, exp, dtype, k, x, 0.5, err_msg=f"k{k.shape} {fname} {mode}")


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_large_outputs_streamed_past_the_caches(simd, dtype):
    """Over the streaming threshold of input and output, both routes write the result with
    streaming stores in the widest aligned pieces each address allows; odd widths put the
    rows and the planes of a batch at many alignments."""
    rng = np.random.default_rng(16)
    h, w = STREAMED_SHAPES[np.dtype(dtype)]
    x = random_values(rng, (3, h // 2, w), dtype)
    assert 2 * x.nbytes > _core.stream_threshold()
    for k in (rng.uniform(-1, 1, (3, 3)), low_rank(rng, 5, 5, 1)):
        got = call("correlate2d", x, k, "same", "symm")
        for b in range(len(x)):
            assert_close2d(got[b], oracle2d("correlate2d", x[b], k, "same", "symm", 0.0),
                           dtype, k, x[b], 0.0, err_msg=f"k{k.shape} image {b}")


def test_concurrent_calls_from_python_threads():
    """Calls from several Python threads at once (the GIL is released and
    scratch is per thread) give the same bytes as the same calls made alone."""
    import threading
    rng = np.random.default_rng(16)
    jobs = []
    for i in range(6):
        x = random_values(rng, (150 + 7 * i, 300 - 5 * i), [np.float32, np.float64][i % 2])
        k = low_rank(rng, 5, 5, 1) if i % 3 == 0 else rng.uniform(-1, 1, (3 + i % 3, 4))
        jobs.append(("conv2d", x, k))
        jobs.append(("sep", x, [rng.uniform(-1, 1, 3 + i), rng.uniform(-1, 1, 9 - i)]))

    def run(job):
        kind, x, k = job
        if kind == "conv2d":
            return axisconv.convolve2d(x, k, "same", "symm", threads=1).tobytes()
        return axisconv.correlate_separable(x, k, mode="mirror", threads=1).tobytes()

    want = [run(job) for job in jobs]
    errors = []

    def worker(offset):
        try:
            for rep in range(4):
                for i in range(len(jobs)):
                    j = (i + offset + rep) % len(jobs)
                    if run(jobs[j]) != want[j]:
                        errors.append((offset, j))
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(repr(exc))

    threads = [threading.Thread(target=worker, args=(o,)) for o in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
