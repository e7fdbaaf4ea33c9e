"""NaN and infinities behave as in scipy (issue 11, item 5): every public function against its
peer's reference (_peer_refs.py) with NaN, +inf and -inf placed in x, in the kernel and as
cval / fillvalue, in every mode, boundary and output size.  The NaN and +-inf patterns must be
the reference's exactly and finite values within eps-scaled bounds; a non-finite tap or
fillvalue reaches only the outputs whose reference window uses it.  The library raises no
RuntimeWarning on the way (the C core is silent; so is the Python around it).

Data and kernels are integer-valued, so every product and sum is exact and the patterns do
not depend on the order of a sum or on fused multiply-adds (docs/contract.md §8).  The
documented deviations are asserted as documented, not skipped:

* scipy.ndimage folds odd kernels it takes for symmetric -- its test lets NaN and inf pairs
  through -- and sums (x[a] + x[b]) * inf where axisconv sums the products (inf - 2 inf is
  NaN, not -inf): the reference is then the sum of the products (docs/contract.md §8);
* on1d sums the taps of kernel rows that meet the same samples (its Notes), so a result may
  be +-inf where the reference's inf - inf or 0 * inf is NaN;
* complex values are composed of real calls on their parts, as scipy.ndimage does, where
  scipy.signal's complex products carry NaN x 0 from one part into the other.
"""
import itertools
import warnings

import numpy as np
import pytest
import scipy.ndimage as ndi
import scipy.signal as ss

import axisconv
from axisconv import on1d
from _peer_refs import (conv1d_reference, line_ref, mismatch, on1d_ref, plane_ref, scipy_folds,
                        tolerance, unfolded_line)

SPECIALS = [np.nan, np.inf, -np.inf]
MODES = ["reflect", "mirror", "nearest", "wrap", "constant", "zeros"]
BOUNDARIES = ["constant", "reflect", "wrap", "mirror", "nearest"]  # fill, symm, ...
WHERE = ["x", "kernel", "constant", "all"]


def seeded(*params):
    return np.random.default_rng([abs(hash(str(p))) % 2**32 for p in params])


def integers(rng, shape, dtype=np.float64, lo=-3, hi=3):
    return rng.integers(lo, hi + 1, shape).astype(dtype)


def sprinkle(rng, a, count=None):
    """NaN, +inf and -inf at random places of `a` (in place); returns a."""
    for _ in range(count or int(rng.integers(1, 4))):
        a.flat[int(rng.integers(a.size))] = SPECIALS[int(rng.integers(3))]
    return a


def constant_for(rng, where):
    if where in ("constant", "all"):
        return SPECIALS[int(rng.integers(3))]
    return float(rng.integers(-3, 4))


def quiet(f, *args, **kwargs):
    """f(...) with RuntimeWarnings as errors: the library must not emit them."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        return f(*args, **kwargs)


def check(got, want, dtype, terms, scale, **kw):
    msg = mismatch(got, want, dtype, tolerance(dtype, terms, scale), **kw)
    assert msg is None, msg


# --------------------------------------------------------------------------------------------
# The scipy.ndimage family
# --------------------------------------------------------------------------------------------
def line_kernel(rng, K, where):
    k = integers(rng, K)
    form = rng.integers(3)
    k = k + k[::-1] if form == 1 else k - k[::-1] if form == 2 else k  # folded paths too
    if where in ("kernel", "all"):
        t = int(rng.integers(K))
        k[t] = SPECIALS[int(rng.integers(3))]
        if form and rng.random() < 0.5:  # keep it symmetric or antisymmetric
            k[K - 1 - t] = k[t] if form == 1 else -k[t]
    return k


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("where", WHERE)
@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("fname", ["correlate1d", "convolve1d"])
def test_line_filters(fname, mode, where, dtype):
    rng = seeded(fname, mode, where, dtype)
    for _ in range(8):
        shape = [(int(rng.integers(1, 12)),), (int(rng.integers(1, 6)), int(rng.integers(1, 9)))][
            int(rng.integers(2))]
        axis = int(rng.integers(-len(shape), len(shape)))
        x = integers(rng, shape, dtype)
        if where in ("x", "all"):
            sprinkle(rng, x)
        K = int(rng.choice([1, 2, 3, 4, 5, 7, shape[axis] + 3]))
        k = line_kernel(rng, K, where)
        origin = int(rng.integers(-(K // 2), (K - 1) // 2 + 1))
        cval = constant_for(rng, where)
        got = quiet(getattr(axisconv, fname), x, k, axis, mode=mode, cval=cval, origin=origin)
        want = line_ref(fname, x, k, axis, mode, cval, origin)
        check(got, want, dtype, K, 30 * K)


@pytest.mark.parametrize("fname", ["correlate1d", "convolve1d"])
@pytest.mark.parametrize("parts", ["x", "kernel", "both"])
def test_line_filters_complex(fname, parts):
    rng = seeded(fname, parts)
    for mode in MODES:
        x = integers(rng, (4, 9)) + 1j * integers(rng, (4, 9)) if parts != "kernel" \
            else integers(rng, (4, 9))
        k = integers(rng, 5) + 1j * integers(rng, 5) if parts != "x" else integers(rng, 5)
        sprinkle(rng, x.real if x.dtype.kind == "c" else x)
        if x.dtype.kind == "c":
            sprinkle(rng, x.imag)
        kk = k.imag if k.dtype.kind == "c" else k
        kk[int(rng.integers(5))] = SPECIALS[int(rng.integers(3))]
        cval = complex(np.inf, -2) if x.dtype.kind == "c" else np.nan
        got = quiet(getattr(axisconv, fname), x, k, mode=mode, cval=cval)
        check(got, line_ref(fname, x, k, -1, mode, cval, 0), got.dtype, 5, 300)


def test_inf_taps_sum_their_products_where_scipy_folds():
    """scipy folds [inf, 1, inf] (inf == inf passes its symmetry test) into
    x[c] + (x[c-1] + x[c+1]) * inf; axisconv sums the products, as the contract's §8 says:
    a folded sum that is not finite is redone in the general order."""
    x, k = np.array([1.0, 5.0, -2.0]), np.array([np.inf, 1.0, np.inf])
    got = axisconv.correlate1d(x, k, mode="constant")
    assert scipy_folds(k) == 1
    np.testing.assert_array_equal(ndi.correlate1d(x, k, mode="constant"), [np.inf, -np.inf, np.inf])
    np.testing.assert_array_equal(got, unfolded_line(x, k, 0, "constant", 0.0, 0))
    np.testing.assert_array_equal(got, [np.nan, np.nan, np.nan])  # 0 * inf, inf - 2 inf


def test_scipy_takes_tiny_odd_kernels_for_symmetric():
    """Why the reference is not scipy for such kernels: scipy's symmetry test is absolute
    (|k[c+j] - k[c-j]| <= DBL_EPSILON), so it folds any odd kernel of taps below 1e-16."""
    x = np.array([88.0, 70, 79, 71, 27, 71, 11])
    k = np.array([3.3e-31, 1.1e-30, -8.2e-31, 0.0, 8.2e-31, -1.1e-30, -3.3e-31])
    want = unfolded_line(x, k, 0, "nearest", 0.0, 0)
    atol = 1e-14 * np.abs(k).sum() * np.abs(x).max()
    np.testing.assert_allclose(axisconv.correlate1d(x, k, mode="nearest"), want, atol=atol)
    assert np.abs(ndi.correlate1d(x, k, mode="nearest") - want).max() > 1e10 * atol


LAYOUTS = {"C": lambda a: a, "F": np.asfortranarray}


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("where", WHERE)
@pytest.mark.parametrize("modes", [("reflect", "wrap"), ("constant", "mirror"),
                                   ("nearest", "constant"), ("zeros", "zeros")])
@pytest.mark.parametrize("fname", ["correlate_separable", "convolve_separable"])
def test_separable(fname, modes, where, layout):
    """Equal to the 1-D references in turn, in the order the fused pass takes (contract §3):
    the axis with the smallest stride first, unless a nonzero constant (NaN and inf are)
    makes the order matter -- then the order of `axes`.  With a NaN or inf tap the order
    changes the pattern, so this pins it down."""
    rng = seeded(fname, modes, where, layout)
    f1 = "correlate1d" if fname == "correlate_separable" else "convolve1d"
    for dtype, _ in itertools.product([np.float32, np.float64], range(3)):
        x = LAYOUTS[layout](integers(rng, (int(rng.integers(1, 7)), int(rng.integers(1, 8))),
                                     dtype))
        if where in ("x", "all"):
            sprinkle(rng, x)
        ks = [line_kernel(rng, int(rng.integers(1, 6)), where) for _ in range(2)]
        cval = constant_for(rng, where)
        axes = [0, 1] if rng.random() < 0.5 else [1, 0]
        got = quiet(getattr(axisconv, fname), x, ks, axes, mode=list(modes), cval=cval)
        passes = list(zip(axes, ks, modes))
        if all(m != "constant" or cval == 0 for m in modes):
            passes.sort(key=lambda p: x.strides[p[0]])
        want = x
        for axis, k, mode in passes:
            want = line_ref(f1, want, k, axis, mode, cval, 0)
        check(got, want, dtype, 12, 2000)


# --------------------------------------------------------------------------------------------
# The scipy.signal family
# --------------------------------------------------------------------------------------------
def plane_kernel(rng, shape, where, kind):
    if kind == "rank1":  # split exactly into one outer product: the fused separable route
        k = np.outer(integers(rng, shape[0]), integers(rng, shape[1]))
    elif kind == "rank2":  # float32 data takes its SVD split
        k = sum(np.outer(rng.uniform(-1, 1, shape[0]), rng.uniform(-1, 1, shape[1]))
                for _ in range(2))
    else:
        k = integers(rng, shape)
    if where in ("kernel", "all"):
        sprinkle(rng, k, 1)
    return k


@pytest.mark.parametrize("kind", ["direct", "rank1", "rank2"])
@pytest.mark.parametrize("where", WHERE)
@pytest.mark.parametrize("boundary", BOUNDARIES)
@pytest.mark.parametrize("size", ["full", "same", "valid"])
@pytest.mark.parametrize("fname", ["correlate2d", "convolve2d"])
def test_plane(fname, size, boundary, where, kind):
    rng = seeded(fname, size, boundary, where, kind)
    for dtype in [np.float32, np.float64]:
        for shape, kshape in [((6, 7), (3, 3)), ((5, 8), (4, 5)), ((2, 3), (4, 5)),
                              ((2, 6, 5), (5, 4))]:
            if size == "valid" and not (all(a >= b for a, b in zip(shape[-2:], kshape))
                                        or all(a <= b for a, b in zip(shape[-2:], kshape))):
                continue
            x = integers(rng, shape, dtype)
            if where in ("x", "all"):
                sprinkle(rng, x)
            k = plane_kernel(rng, kshape, where, kind)
            fill = constant_for(rng, where)
            got = quiet(getattr(axisconv, fname), x, k, size, boundary, fill)
            check(got, plane_ref(fname, x, k, size, boundary, fill), dtype, k.size, 300)


def test_valid_with_the_image_inside_a_nan_kernel():
    """scipy slides the image under the kernel: a NaN tap reaches only the outputs whose
    window holds it (padding the image with zeros carried it to all)."""
    x, k = np.ones((2, 2)), np.ones((4, 5))
    k[0, 0] = np.nan
    for fname in ("correlate2d", "convolve2d"):
        got = getattr(axisconv, fname)(x, k, "valid")
        want = getattr(ss, fname)(x, k, "valid")
        assert 0 < np.isnan(want).sum() < want.size
        np.testing.assert_array_equal(got, want)
    single = on1d.single_row(np.ones(3), k, "valid")
    np.testing.assert_array_equal(single, ss.convolve2d(np.ones((1, 3)), k, "valid"))


def test_split_kernels_keep_scipys_infinities():
    """A kernel split into separable passes gives the direct sum's NaN and inf: an infinite
    fillvalue meets a zero tap (NaN, not inf * sum), and a rank-2 split of float32 data
    with an infinity in x (inf, not inf - inf)."""
    k = np.outer([0.0, 1, 2], [0.0, 1, 1])
    x = np.arange(20.0).reshape(4, 5)
    got = axisconv.correlate2d(x, k, "full", "fill", np.inf)
    np.testing.assert_array_equal(got, ss.correlate2d(x, k, "full", "fill", np.inf))
    rng = np.random.default_rng(3)
    k2 = sum(np.outer(rng.uniform(0.5, 1, 7), rng.uniform(0.5, 1, 7)) for _ in range(2))
    x32 = rng.uniform(0, 1, (12, 12)).astype(np.float32)
    x32[5, 6] = np.inf
    got = axisconv.correlate2d(x32, k2, "same", "symm")
    want = ss.correlate2d(x32.astype(float), k2, "same", "symm")
    np.testing.assert_array_equal(np.isposinf(got), np.isposinf(want))
    assert not np.isnan(got).any()


def test_empty_image():
    """Each output of an empty image reads fillvalue under every tap ('valid': nothing), part
    by part for complex kernels."""
    k = np.array([[np.nan, 1.0], [2.0, 3.0]]) + 1j * np.ones((2, 2))
    for shape in [(0, 1), (2, 0)]:
        got = axisconv.convolve2d(np.ones(shape), k, "full", "fill", 2.0)
        assert np.isnan(got.real).all() and (got.imag == 8).all()
        valid = axisconv.correlate2d(np.ones(shape), k.real, "valid")
        np.testing.assert_array_equal(valid, ss.correlate2d(np.ones(shape), k.real, "valid"))
        assert valid.size and not valid.any()


@pytest.mark.parametrize("boundary", ["symm", "wrap", "mirror", "nearest"])
def test_fillvalue_outside_fill_reaches_nothing(boundary):
    x, k = np.arange(12.0).reshape(3, 4), np.ones((2, 3))
    for fill in SPECIALS:
        for got in (quiet(axisconv.convolve2d, x, k, "same", boundary, fill),
                    quiet(on1d.replicated, x[0], k, 3, "same", boundary, fill),
                    quiet(on1d.single_row, x[0], k, "full", boundary, fill)):
            assert np.isfinite(got).all()


@pytest.mark.parametrize("fill", SPECIALS)
def test_valid_never_reads_fillvalue(fill):
    """'valid' never reads the boundary, also when the kernel is the larger."""
    x, k = np.arange(12.0).reshape(3, 4), np.ones((2, 3))
    for xs, ks in [(x, k), (x[:1, :2], k)]:
        for fname in ("convolve2d", "correlate2d"):
            got = quiet(getattr(axisconv, fname), xs, ks, "valid", "fill", fill)
            np.testing.assert_array_equal(got, getattr(ss, fname)(xs, ks, "valid"))
    for got in (on1d.single_row(x[0, :2], k, "valid", fillvalue=fill),
                on1d.replicated(x[0], k[:1], 3, "valid", fillvalue=fill),
                on1d.filter_bank(x[0, :2], k, "valid", fillvalue=fill)):
        assert np.isfinite(got).all()


# --------------------------------------------------------------------------------------------
# axisconv.on1d
# --------------------------------------------------------------------------------------------
def on1d_call(fname, x, k, size, boundary, fill, rows, lag, combine):
    f = getattr(on1d, fname)
    kw = dict(mode=size, boundary=boundary, fillvalue=fill)
    extra = {"replicated": (rows,), "lagged": (rows, lag)}.get(fname, ())
    return f(x, k, *extra, combine=combine, **kw) if fname == "filter_bank" else f(x, k, *extra,
                                                                                      **kw)


@pytest.mark.parametrize("where", WHERE)
@pytest.mark.parametrize("boundary", BOUNDARIES)
@pytest.mark.parametrize("size", ["full", "same", "valid"])
@pytest.mark.parametrize("fname", ["single_row", "replicated", "lagged", "filter_bank"])
def test_on1d(fname, size, boundary, where):
    """Equal to convolve2d of the input built, except as documented: taps of kernel rows that
    meet the same samples are summed first, so +-inf may stand where the reference has NaN
    (inf - inf, 0 * inf) -- only where an infinity is, and never for filter_bank's stack,
    concat and max, which sum no rows."""
    rng = seeded(fname, size, boundary, where)
    for dtype, combine in itertools.product([np.float32, np.float64],
                                            ["stack", "sum", "max"] if fname == "filter_bank"
                                            else ["stack"]):
        for _ in range(3):
            N, rows = int(rng.integers(1, 9)), int(rng.integers(1, 5))
            lag = int(rng.integers(-3, 4))
            x = integers(rng, (int(rng.integers(1, 3)), N), dtype)
            if where in ("x", "all"):
                sprinkle(rng, x)
            k = integers(rng, (int(rng.integers(1, 4)), int(rng.integers(1, 6))))
            if where in ("kernel", "all"):
                sprinkle(rng, k, 1)
            fill = constant_for(rng, where)
            H = rows if fname in ("replicated", "lagged") else 1
            kh = 1 if fname == "filter_bank" else k.shape[0]
            if size == "valid" and not (H >= kh and N >= k.shape[1] or H <= kh and N <= k.shape[1]):
                continue
            got = quiet(on1d_call, fname, x, k, size, boundary, fill, rows, lag, combine)
            want = on1d_ref(fname, x, k, size, boundary, fill, rows, lag, combine)
            infinite = np.isinf(x).any() or np.isinf(k).any() or np.isinf(fill)
            summed = fname != "filter_bank" or combine == "sum"
            check(got, want, dtype, k.size, 300, inf_for_nan=infinite and summed)


def test_on1d_sums_the_taps_of_rows_meeting_the_same_samples():
    """The documented deviation, exactly: with 'symm' both kernel rows meet the one row of
    the signal, so the output is (2 - 1) * inf = inf where convolve2d has 2 inf - inf."""
    x, k = np.array([1.0, np.inf, 2.0]), np.array([[2.0], [-1.0]])
    got = on1d.single_row(x, k, "same", "symm")
    want = ss.convolve2d(x[None], k, "same", "symm")
    np.testing.assert_array_equal(want, [[1.0, np.nan, 2.0]])
    np.testing.assert_array_equal(got, [[1.0, np.inf, 2.0]])


def test_lagged_nan_tap_meeting_only_zeros_of_the_lag_matrix():
    """Every window holds every tap, so a NaN tap makes every output NaN -- also where its
    kernel row meets only the zeros the lag leaves (such rows were dropped)."""
    x, k = np.arange(1.0, 6.0), np.array([[1.0, 2.0], [np.nan, 1.0]])
    for size, lag in itertools.product(["full", "same", "valid"], [4, -4, 3]):
        got = on1d.lagged(x, k, rows=3, lag=lag, mode=size)
        want = ss.convolve2d(on1d.lag_matrix(x, 3, lag), k, size)
        assert np.isnan(want).all() and np.isnan(got).all(), (size, lag, got)


def test_lagged_edge_columns_part_by_part():
    """The columns where the boundary extends the lag matrix are summed part by part too:
    a NaN in the kernel's real part leaves the imaginary part alone."""
    k = np.array([[np.nan + 1j, 1.0 + 2j], [2.0 - 1j, 1.0 + 1j]])
    for size in ("full", "same"):
        got = on1d.lagged(np.arange(1.0, 6.0), k, rows=3, lag=2, mode=size, boundary="symm")
        assert np.isnan(got.real).all() and np.isfinite(got.imag).all()


def test_separable_real_passes_stay_real_before_a_complex_kernel():
    """As correlate1d along each axis in turn: the first, real pass gives real values, whose
    (absent) imaginary part does not meet the inf taps of the complex kernel after it."""
    x = np.arange(12.0).reshape(3, 4)
    ks = [np.array([1.0, 2.0, 1.0]), np.array([1.0, np.inf + 1j, 1.0])]
    got = axisconv.correlate_separable(x, ks, axes=[0, 1], mode="nearest")
    want = axisconv.correlate1d(axisconv.correlate1d(x, ks[0], 0, mode="nearest"), ks[1], 1,
                                mode="nearest")
    np.testing.assert_array_equal(got, want)
    assert np.isfinite(got.imag).all() and np.isinf(got.real).all()


def test_filter_bank_mean_of_complex_rows_part_by_part():
    k = np.array([[-np.inf + 0j], [1.0 + 1j]])
    got = on1d.filter_bank(np.ones(4, np.float32), k, "same", combine="mean")
    assert np.isneginf(got.real).all() and (got.imag == 0.5).all()


# --------------------------------------------------------------------------------------------
# The conv1d layer
# --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("padding_mode", ["constant", "reflect", "mirror", "nearest", "wrap"])
@pytest.mark.parametrize("where", ["x", "filters", "bias", "all"])
@pytest.mark.parametrize("layer", [dict(), dict(stride=2, padding="VALID"), dict(dilation=2),
                                   dict(groups=2), dict(groups=4, padding=(3, 1))], ids=repr)
def test_conv1d(padding_mode, where, layer):
    rng = seeded(padding_mode, where, layer)
    for dtype, fmt in itertools.product([np.float32, np.float64], ["NWC", "NCW"]):
        c_in, c_out, K = 4, 4, int(rng.integers(1, 5))
        shape = (2, int(rng.integers(1, 10)), c_in) if fmt == "NWC" else (2, c_in, 7)
        x = integers(rng, shape, dtype)
        f = integers(rng, (K, c_in // layer.get("groups", 1), c_out))
        bias = integers(rng, c_out)
        for name, a in (("x", x), ("filters", f), ("bias", bias)):
            if where in (name, "all"):
                sprinkle(rng, a, 1 if name != "x" else None)
        kw = dict(layer, data_format=fmt, padding_mode=padding_mode, bias=bias)
        with np.errstate(invalid="ignore"):
            want = conv1d_reference(x, f, **kw)
        check(quiet(axisconv.conv1d, x, f, **kw), want, dtype, f.size + 1, 300)


def test_conv1d_without_samples_meets_its_padding():
    """No samples but padding: each output sums the padded zeros under every tap, so an inf
    tap gives NaN (0 * inf), as the reference and the frameworks' zero padding do."""
    f = np.ones((3, 2, 2))
    f[1, 0, 1] = np.inf
    got = axisconv.conv1d(np.ones((0, 2)), f, padding=2)
    np.testing.assert_array_equal(got, conv1d_reference(np.ones((0, 2)), f, padding=2))
    assert (got[:, 0] == 0).all() and np.isnan(got[:, 1]).all()
