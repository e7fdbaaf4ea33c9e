"""Integer images in, integer images out: bit equality with the slow reference of the stated
arithmetic (tests/reference/integer.py) for correlate1d, convolve1d, the separable filters and
correlate2d/convolve2d, over random shapes, strides, modes, origins, kernels (1..41 taps),
types, every SIMD path and 1 or 2 threads.  The plan's choice of F is tested on its own in
test_integer_plan.py; here the reference takes F from the plan and quantises by itself."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import axisconv
from reference import integer as ref
from _axc_testing import n_examples
from _layouts import strided_view
from axisconv import _fixed
from axisconv._signal import window

TYPES = [np.uint8, np.uint16, np.int16]
MODES = ["reflect", "mirror", "nearest", "wrap", "constant"]
KINDS = ["random", "smooth", "dyadic", "integer", "gain"]


def make_kernel(rng, K, kind, shape=None, gains=(-3, 3)):
    """Kernels of every regime: random taps of both signs, normalised non-negative ones,
    exactly representable ones (narrow sums, 16-bit first passes), small integers, gains."""
    shape = (K,) if shape is None else shape
    if kind == "random":
        return rng.uniform(-1, 1, shape)
    if kind == "smooth":
        k = rng.uniform(0, 1, shape) + 1e-3
        return k / k.sum()
    if kind == "dyadic":
        return rng.integers(-2, 7, shape) / 2.0 ** int(rng.integers(0, 7))
    if kind == "integer":
        return rng.integers(-3, 4, shape).astype(float)
    return rng.uniform(-1, 1, shape) * 10.0 ** float(rng.uniform(*gains))


def image(rng, shape, dtype, layout):
    """Random samples over the whole range of dtype, stored with a random layout."""
    lo, hi = ref.RANGES[np.dtype(dtype)]
    x = rng.integers(lo, hi + 1, shape).astype(dtype)
    if layout and len(shape) > 1:
        perm = rng.permutation(len(shape))
        steps = [int(rng.choice([1, 1, 2, -1, -3])) for _ in shape]
        x, _ = strided_view(x, perm, steps, fill=0)
    return x


@st.composite
def problems(draw, ndim_min=1, ndim_max=3):
    seed = draw(st.integers(0, 2 ** 32 - 1))
    rng = np.random.default_rng(seed)
    ndim = draw(st.integers(ndim_min, ndim_max))
    dims = [draw(st.integers(1, 9)) for _ in range(ndim)]
    dims[-1] = draw(st.one_of(st.integers(1, 80), st.integers(80, 260)))  # vector blocks
    if ndim > 1:
        dims[-2] = draw(st.integers(1, 70))
    return dict(rng=rng, shape=tuple(dims), tin=draw(st.sampled_from(TYPES)),
                tout=draw(st.sampled_from(TYPES)), mode=draw(st.sampled_from(MODES)),
                kind=draw(st.sampled_from(KINDS)), layout=draw(st.booleans()),
                threads=draw(st.sampled_from([1, 2])))


def constant_of(rng, dtype):
    lo, hi = ref.RANGES[np.dtype(dtype)]
    return int(rng.integers(lo, hi + 1))


@settings(max_examples=n_examples(40))
@given(p=problems(), K=st.integers(1, 41), convolve=st.booleans(), use_out=st.booleans())
def test_filter1d_bits(simd, p, K, convolve, use_out):
    rng = p["rng"]
    x = image(rng, p["shape"], p["tin"], p["layout"])
    k = make_kernel(rng, K, p["kind"])
    axis = int(rng.integers(-x.ndim, x.ndim))
    origin = int(rng.integers(-(K // 2), (K - 1) // 2 + 1))
    cval = constant_of(rng, p["tin"])
    f = axisconv.convolve1d if convolve else axisconv.correlate1d
    kw = dict(axis=axis, mode=p["mode"], cval=cval, origin=origin, threads=p["threads"])
    if use_out:
        out = np.full(x.shape, 7, p["tout"])
        got = f(x, k, out=out, **kw)
        assert got is out
    else:
        got = f(x, k, dtype=p["tout"], **kw)
    kc, oc = (k[::-1], -origin - (1 - K % 2)) if convolve else (k, origin)
    plan = _fixed.plan_single(kc, p["tin"], p["tout"])
    assert np.array_equal(plan.taps[0], ref.quantise(kc, plan.shifts[0]).astype(np.int64))
    want = ref.correlate1d(x, kc, plan.shifts[0], p["tout"], axis=axis, offset=K // 2 + oc,
                           mode=p["mode"], cval=cval)
    assert got.dtype == np.dtype(p["tout"]) and got.shape == x.shape
    np.testing.assert_array_equal(got, want)


@settings(max_examples=n_examples(40))
@given(p=problems(ndim_min=2), K1=st.integers(1, 41), K2=st.integers(1, 41),
       convolve=st.booleans(), per_axis_modes=st.booleans())
def test_separable_bits(simd, p, K1, K2, convolve, per_axis_modes):
    rng = p["rng"]
    x = image(rng, p["shape"], p["tin"], p["layout"])
    k1, k2 = make_kernel(rng, K1, p["kind"]), make_kernel(rng, K2, p["kind"])
    axes = [int(a) for a in rng.choice(x.ndim, 2, replace=False)]
    modes = [str(rng.choice(MODES)) for _ in axes] if per_axis_modes else [p["mode"]] * 2
    origins = [int(rng.integers(-(K // 2), (K - 1) // 2 + 1)) for K in (K1, K2)]
    cval = constant_of(rng, p["tin"])
    f = axisconv.convolve_separable if convolve else axisconv.correlate_separable
    got = f(x, [k1, k2], axes=axes, mode=modes, cval=cval, origin=origins, dtype=p["tout"],
            threads=p["threads"])
    corr = [(k[::-1], -o - (1 - k.size % 2)) if convolve else (k, o)
            for k, o in zip((k1, k2), origins)]
    (c1, o1), (c2, o2) = corr
    second_constant = cval if modes[1] == "constant" else None
    plan = _fixed.plan_separable(c1, c2, p["tin"], p["tout"], second_constant)
    want = ref.correlate_separable(x, c1, c2, *plan.shifts, p["tout"], axes=axes,
                                   offsets=(c1.size // 2 + o1, c2.size // 2 + o2),
                                   modes=modes, cval=cval)
    np.testing.assert_array_equal(got, want)


@settings(max_examples=n_examples(40))
@given(p=problems(ndim_min=2), kh=st.integers(1, 7), kw=st.integers(1, 7),
       size=st.sampled_from(["same", "full", "valid"]), convolve=st.booleans(),
       boundary=st.sampled_from(["fill", "symm", "wrap", "mirror", "nearest"]),
       rank1=st.booleans())
def test_conv2d_bits(simd, p, kh, kw, size, convolve, boundary, rank1):
    rng = p["rng"]
    x = image(rng, p["shape"], p["tin"], p["layout"])
    (h, w) = x.shape[-2:]
    if size == "valid" and not ((h >= kh and w >= kw) or (h <= kh and w <= kw)):
        return
    if rank1:  # a separable kernel, as Sobel or a blur
        k = np.outer(make_kernel(rng, kh, p["kind"]), make_kernel(rng, kw, p["kind"]))
    else:
        k = make_kernel(rng, None, p["kind"], shape=(kh, kw))
    fill = constant_of(rng, p["tin"])
    f = axisconv.convolve2d if convolve else axisconv.correlate2d
    got = f(x, k, mode=size, boundary=boundary, fillvalue=fill, dtype=p["tout"],
            threads=p["threads"])
    kc = k[::-1, ::-1] if convolve else k
    (r0, n_r), (c0, n_c) = window(size, h, kh, not convolve), window(size, w, kw, not convolve)
    o_r, o_c = kh - 1 - r0, kw - 1 - c0  # output i reads x[i - o + a] under tap a
    mode = {"fill": "constant", "symm": "reflect"}.get(boundary, boundary)
    if size == "valid":
        mode, fill = "constant", 0
    plan = _fixed.plan_single(kc, p["tin"], p["tout"])
    want = ref.correlate2d(x, kc, plan.shifts[0], p["tout"], (o_r, o_c), (n_r, n_c), mode, fill)
    np.testing.assert_array_equal(got, want)


@pytest.mark.parametrize("tin", TYPES)
@pytest.mark.parametrize("K", [2, 3, 5, 7, 15, 41])
def test_large_images_every_path(simd, tin, K):
    """Images large enough for every vector block, tile and band of the drivers (rows,
    columns, the fused pass with 16- and 32-bit first-pass sums and symmetric or other second
    kernels of each size it unrolls, 64-bit sums), 2 threads."""
    rng = np.random.default_rng(K)
    x = image(rng, (150, 333), tin, layout=False)
    g = np.exp(-0.5 * ((np.arange(K) - (K - 1) / 2) / max(K / 6, 0.5)) ** 2)
    binomial = np.array([1.0])
    for _ in range(K - 1):
        binomial = np.convolve(binomial, [0.5, 0.5])
    for k in (g / g.sum(), binomial, make_kernel(rng, K, "random")):
        for axis in (-1, 0):
            got = axisconv.correlate1d(x, k, axis=axis, dtype=tin, threads=2)
            plan = _fixed.plan_single(k, tin, tin)
            want = ref.correlate1d(x, k, plan.shifts[0], tin, axis=axis)
            np.testing.assert_array_equal(got, want)
        got = axisconv.correlate_separable(x, k, dtype=tin, threads=2)
        plan = _fixed.plan_separable(k, k, tin, tin)
        want = ref.correlate_separable(x, k, k, *plan.shifts, tin, axes=(0, 1))
        np.testing.assert_array_equal(got, want)


@pytest.mark.parametrize("tin", TYPES)
def test_short_wide_images_in_narrower_tiles(simd, tin):
    """Images too short for 4 bands of the fused and direct 2-D passes are shared in narrower
    tiles (plane.inc, F(tile_plane)): the reference's bits at 1 and 2 threads, the last tile
    partial."""
    rng = np.random.default_rng(7)
    for shape, K in (((6, 4100), 5), ((40, 2000), 13), ((2, 20, 3001), 3)):
        x = image(rng, shape, tin, layout=False)
        k = make_kernel(rng, K, "smooth")
        k2d = make_kernel(rng, None, "random", shape=(3, 4))
        plan = _fixed.plan_separable(k, k, tin, tin)
        want = ref.correlate_separable(x, k, k, *plan.shifts, tin, axes=(-2, -1))
        plan2d = _fixed.plan_single(k2d, tin, tin)
        want2d = ref.correlate2d(x, k2d, plan2d.shifts[0], tin, (1, 1), shape[-2:], "mirror", 0)
        for threads in (1, 2):
            got = axisconv.correlate_separable(x, k, axes=(-2, -1), dtype=tin, threads=threads)
            np.testing.assert_array_equal(got, want, err_msg=f"{shape} K={K} {threads}")
            got = axisconv.correlate2d(x, k2d, mode="same", boundary="mirror", dtype=tin,
                                       threads=threads)
            np.testing.assert_array_equal(got, want2d, err_msg=f"{shape} 3x4 {threads}")


def test_threads_and_simd_paths_give_the_same_bits(restore_threads):
    rng = np.random.default_rng(5)
    x = image(rng, (4, 97, 530), np.uint8, layout=False)
    k = make_kernel(rng, 9, "smooth")
    results = []
    for path in axisconv._simd_paths():
        previous = axisconv._set_simd(path)
        try:
            for threads in (1, 2, 3):
                results.append(axisconv.correlate_separable(x, k, dtype=np.uint8,
                                                            threads=threads))
                results.append(axisconv.correlate1d(x, k, axis=1, dtype=np.uint8,
                                                    threads=threads))
        finally:
            axisconv._set_simd(previous)
    for a, b in zip(results[::2], results[2::2]):
        np.testing.assert_array_equal(a, b)
    for a, b in zip(results[1::2], results[3::2]):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("tout", TYPES)
def test_sixteen_bit_sums(simd, tout):
    """Exact small kernels on uint8, whose sums fit 16 bits: the kernels may use 16-bit
    arithmetic (rows, columns, the fused pass), giving the reference's bits."""
    rng = np.random.default_rng(7)
    x = image(rng, (70, 333), np.uint8, layout=False)
    for k1, k2 in (([0.25, 0.5, 0.25], [0.25, 0.5, 0.25]), ([1, 0, -1], [1, 2, 1]),
                   ([1 / 16, 4 / 16, 6 / 16, 4 / 16, 1 / 16], [-1, 3, -1]), ([2.0], [-0.5, 0.5])):
        k1, k2 = np.array(k1, float), np.array(k2, float)
        for axis in (-1, 0):
            got = axisconv.correlate1d(x, k1, axis=axis, dtype=tout, mode="wrap")
            plan = _fixed.plan_single(k1, np.uint8, tout)
            want = ref.correlate1d(x, k1, plan.shifts[0], tout, axis=axis, mode="wrap")
            np.testing.assert_array_equal(got, want)
        got = axisconv.correlate_separable(x, [k1, k2], dtype=tout, mode="constant", cval=9)
        plan = _fixed.plan_separable(k1, k2, np.uint8, tout, 9)
        want = ref.correlate_separable(x, k1, k2, *plan.shifts, tout, axes=(0, 1),
                                       modes=("constant", "constant"), cval=9)
        np.testing.assert_array_equal(got, want)


def test_strided_outputs_and_long_kernels(simd):
    """Outputs strided along the rows or stored in Fortran order go through the scratch
    rows; kernels longer than the vector kernels' 64 taps through the portable ones."""
    rng = np.random.default_rng(8)
    x = image(rng, (40, 300), np.uint8, layout=False)
    for K in (3, 65, 100):
        k = make_kernel(rng, K, "smooth")
        base = np.zeros((40, 600), np.int16)
        out = axisconv.correlate1d(x, k, axis=1, out=base[:, ::2])
        plan = _fixed.plan_single(k, np.uint8, np.int16)
        np.testing.assert_array_equal(out, ref.correlate1d(x, k, plan.shifts[0], np.int16))
        assert (base[:, 1::2] == 0).all()
        out = np.zeros((300, 40), np.uint8).T
        axisconv.correlate_separable(x, k[:70], out=out)
        plan = _fixed.plan_separable(k[:70], k[:70], np.uint8, np.uint8)
        want = ref.correlate_separable(x, k[:70], k[:70], *plan.shifts, np.uint8, axes=(0, 1))
        np.testing.assert_array_equal(out, want)


@pytest.mark.parametrize("K", [3, 5, 7])
@pytest.mark.parametrize("mode", ["reflect", "mirror", "nearest", "wrap", "constant"])
def test_fused_small_kernels(simd, K, mode):
    """uint8 with small exact kernels of 3, 5 or 7 taps on both axes run the fused pass
    (kernels.h, ax_isep): strips down the rows, edges from padded rows; every width around
    the strips and heights across its runs of rows, every output type."""
    rng = np.random.default_rng(K)
    binomial = np.array([1.0])
    for _ in range(K - 1):
        binomial = np.convolve(binomial, [0.5, 0.5])
    for shape in ((37, 64), (40, 65), (19, 130), (70, 199)):
        x = image(rng, shape, np.uint8, layout=False)
        k2 = rng.integers(0, 3, K) / 8.0
        for k1, axes in ((rng.integers(0, 4, K) / 16.0, (0, 1)), (binomial, (1, 0))):
            for tout, cval in ((np.uint8, 0), (np.int16, 7), (np.uint16, 255)):
                # axes (1, 0) with a nonzero cval: the binomial's first pass of a row of cval
                # is cval 2^F1, the second pass's constant, so the fused pass runs there too
                got = axisconv.correlate_separable(x, [k1, k2], axes=axes, mode=mode,
                                                   cval=cval, dtype=tout)
                c = cval if mode == "constant" else None
                plan = _fixed.plan_separable(k1, k2, np.uint8, tout, c)
                want = ref.correlate_separable(x, k1, k2, *plan.shifts, tout, axes=axes,
                                               modes=(mode, mode), cval=cval)
                np.testing.assert_array_equal(got, want)


@pytest.mark.parametrize("fname", ["correlate1d", "convolve1d", "correlate_separable",
                                   "convolve_separable"])
def test_out_subclass_is_returned(fname):
    """The caller's own `out` comes back, a subclass too (the fuzz test's finding)."""
    class Sub(np.ndarray):
        pass
    x = np.arange(60, dtype=np.uint8).reshape(6, 10)
    for out in (np.zeros_like(x).view(Sub), x.view(Sub)):
        want = getattr(axisconv, fname)(x.copy(), [0.25, 0.5, 0.25], dtype=np.uint8)
        assert getattr(axisconv, fname)(x.copy(), [0.25, 0.5, 0.25], out=out) is out
        assert np.array_equal(out.view(np.ndarray), want)


@pytest.mark.parametrize("fname", ["correlate1d", "convolve1d", "correlate_separable",
                                   "convolve_separable"])
@pytest.mark.parametrize("dtype", [None, "uint16", ">u2"])
def test_byte_swapped_integer_out(fname, dtype):
    """An integer `out` in the other byte order is taken, as a float one is (it was refused
    as "expected float64")."""
    x = (np.arange(60, dtype=np.uint16) * 997).reshape(6, 10)
    f = getattr(axisconv, fname)
    want = f(x, [0.25, 0.5, 0.25], dtype=np.uint16)
    out = np.zeros(x.shape, ">u2")
    assert f(x, [0.25, 0.5, 0.25], out=out, dtype=dtype) is out
    np.testing.assert_array_equal(out, want)
    assert f(x, [0.25, 0.5, 0.25], dtype=">u2").dtype == np.uint16  # C writes native values
