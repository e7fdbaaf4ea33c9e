"""axisconv.conv1d (docs/contract.md §6) against the slow NumPy reference in reference_conv1d.py.

Property tests (hypothesis) over random layers: batch shapes, W, channels, groups and
depthwise multipliers, K, stride, dilation, every padding form, every padding_mode spelling,
NWC/NCW, the spatial axis, memory layouts, dtypes, bias and thread counts, once per SIMD path.
Deterministic tests for TensorFlow's size rules, the row-/column-wise layers on (B, H, W, C)
maps, the kernels' block and tail sizes, long pads, large dilations, `out`, zero sizes,
bitwise thread independence, and the argument errors of docs/contract.md §7.  Cross-checks against
torch.nn.functional.conv1d and tf.nn.conv1d run when those are installed.
"""
import os

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import axisconv
from _axc_testing import names, strided_view
from reference_conv1d import (MODES, conv1d_reference, extended_index,
                              tf_padding)

CANONICAL = ("constant", "reflect", "mirror", "nearest", "wrap")


def layer_tolerance(x, filters, bias, dtype):
    """|error| bound of one output: a sum of K * C_in/groups products plus the bias."""
    x = np.asarray(x, np.float64)
    f = np.abs(np.asarray(filters, np.float64))
    terms = f.shape[0] * f.shape[1] + 2
    bound = (np.abs(x).max() if x.size else 0.0) * f.sum(axis=(0, 1)).max(initial=0.0)
    if bias is not None:
        bound += np.abs(np.asarray(bias, np.float64)).max(initial=0.0)
    eps = np.finfo(dtype).eps
    return 4 * terms * eps * bound + (1e-300 if dtype == np.float64 else 1e-30)


def check(x, filters, *, dtype=None, threads=None, out=None, **kw):
    """conv1d(x, filters, **kw) equals the reference within the layer's rounding bound."""
    got = axisconv.conv1d(x, filters, out=out, threads=threads, **kw)
    want = conv1d_reference(x, filters, **kw)
    dtype = np.dtype(dtype or (x.dtype if np.asarray(x).dtype.kind == "f" else np.float64))
    assert got.dtype == dtype
    assert got.shape == want.shape, (got.shape, want.shape)
    if out is not None:
        assert got is out
    atol = layer_tolerance(x, filters, kw.get("bias"), dtype)
    np.testing.assert_allclose(got, want, rtol=0, atol=atol, err_msg=str(kw))
    return got


# --------------------------------------------------------------------------
# The reference itself
# --------------------------------------------------------------------------
NP_PAD = {"reflect": "symmetric", "mirror": "reflect", "nearest": "edge", "wrap": "wrap",
          "constant": "constant"}


@pytest.mark.parametrize("mode", CANONICAL)
def test_reference_extension_matches_np_pad(mode):
    """Where np.pad's modes agree with ours (pads no longer than the line), they agree."""
    for n in (1, 2, 3, 5, 8):
        x = np.arange(1.0, n + 1)
        pad = n - 1 if mode == "mirror" else n
        want = np.pad(x, pad, NP_PAD[mode])
        idx = extended_index(np.arange(-pad, n + pad), n, mode)
        got = np.where(idx < 0, 0.0, x[np.maximum(idx, 0)])
        np.testing.assert_array_equal(got, want, err_msg=f"n={n}")


def test_reference_extension_pictures():
    """The pictures of docs/contract.md §1, including pads longer than the line (a b c d = 1 2 3 4)."""
    pos = np.arange(-6, 10)
    want = {
        "reflect": [3, 4, 4, 3, 2, 1, 1, 2, 3, 4, 4, 3, 2, 1, 1, 2],
        "mirror": [1, 2, 3, 4, 3, 2, 1, 2, 3, 4, 3, 2, 1, 2, 3, 4],
        "nearest": [1] * 7 + [2, 3, 4] + [4] * 6,
        "wrap": [3, 4, 1, 2, 3, 4, 1, 2, 3, 4, 1, 2, 3, 4, 1, 2],
        "constant": [0] * 6 + [1, 2, 3, 4] + [0] * 6,
    }
    for mode, row in want.items():
        idx = extended_index(pos, 4, mode)
        np.testing.assert_array_equal(np.where(idx < 0, 0, idx + 1), row, err_msg=mode)


# --------------------------------------------------------------------------
# TensorFlow's size rules
# --------------------------------------------------------------------------
@pytest.mark.parametrize("W", [1, 2, 5, 7, 16, 33])
@pytest.mark.parametrize("K", [1, 2, 3, 4, 7])
@pytest.mark.parametrize("stride", [1, 2, 3])
@pytest.mark.parametrize("dilation", [1, 2, 3])
def test_same_and_valid_output_lengths(W, K, stride, dilation):
    x = np.ones((1, W, 1))
    f = np.ones((K, 1, 1))
    span = (K - 1) * dilation + 1
    same = axisconv.conv1d(x, f, stride=stride, dilation=dilation, padding="SAME")
    assert same.shape[1] == -(-W // stride)
    valid = axisconv.conv1d(x, f, stride=stride, dilation=dilation, padding="valid")
    assert valid.shape[1] == (max(-(-(W - span + 1) // stride), 0))
    # SAME pads the odd sample on the right: one-hot input, identity-at-tap-0 filter.
    left, right = tf_padding("SAME", W, K, stride, dilation)
    assert left <= right <= left + 1
    assert axisconv.layer.conv_padding("SAME", W, K, stride, dilation) == (left, right)


@pytest.mark.parametrize("padding,shape", [(0, 6), (2, 10), ((0, 3), 9), ((5, 0), 11),
                                           ((1, 1), 8), ((20, 13), 39)])
def test_explicit_padding_lengths(padding, shape):
    x = np.arange(8.0).reshape(1, 8, 1)
    f = np.ones((3, 1, 1))
    assert axisconv.conv1d(x, f, padding=padding).shape == (1, shape, 1)
    for mode in CANONICAL:
        check(x, f, padding=padding, padding_mode=mode)


def test_same_puts_the_odd_pad_on_the_right():
    # K = 4: total pad 3 -> left 1, right 2.  Filter picks tap 0 -> out[i] = x[i - 1].
    x = np.arange(1.0, 7.0).reshape(1, 6, 1)
    f = np.zeros((4, 1, 1))
    f[0] = 1
    np.testing.assert_array_equal(axisconv.conv1d(x, f)[0, :, 0], [0, 1, 2, 3, 4, 5])
    f[:] = 0
    f[3] = 1                                                     # tap 3 -> x[i + 2]
    np.testing.assert_array_equal(axisconv.conv1d(x, f)[0, :, 0], [3, 4, 5, 6, 0, 0])


# --------------------------------------------------------------------------
# Properties over random layers
# --------------------------------------------------------------------------
@st.composite
def layers(draw, max_w=40):
    fmt = draw(st.sampled_from(["NWC", "NCW", "nwc"]))
    nbatch = draw(st.integers(0, 2))
    batch = [draw(st.integers(1, 3)) for _ in range(nbatch)]
    W = draw(st.integers(1, max_w))
    kind = draw(st.sampled_from(["dense", "dense", "grouped", "depthwise", "single"]))
    if kind == "single":
        C_in, groups, C_out = 1, 1, 1
    elif kind == "depthwise":
        C_in = draw(st.sampled_from([1, 2, 3, 8, 16, 17, 32]))
        groups, C_out = C_in, C_in * draw(st.sampled_from([1, 1, 2, 3]))
    elif kind == "grouped":
        groups = draw(st.integers(2, 4))
        C_in = groups * draw(st.integers(1, 5))
        C_out = groups * draw(st.integers(1, 20))
    else:
        C_in, groups, C_out = draw(st.integers(1, 20)), 1, draw(st.integers(1, 40))
    K = draw(st.integers(1, 7))
    stride = draw(st.sampled_from([1, 1, 2, 3, 4]))
    dilation = draw(st.sampled_from([1, 1, 2, 3]))
    padding = draw(st.one_of(st.sampled_from(["SAME", "VALID", "same"]),
                             st.integers(0, 6),
                             st.tuples(st.integers(0, 2 * W + 3), st.integers(0, 2 * W + 3))))
    mode = draw(st.sampled_from(list(CANONICAL) * 2 + sorted(MODES)))
    # Spatial axis among the non-channel axes of (batch..., W, C) / (batch..., C, W).
    shape = batch + ([W, C_in] if fmt.upper() == "NWC" else [C_in, W])
    nd = len(shape)
    chan = nd - 1 if fmt.upper() == "NWC" else nd - 2
    w_axis = nd - 2 if fmt.upper() == "NWC" else nd - 1
    axis = draw(st.sampled_from([None, w_axis, w_axis - nd] + [a for a in range(nd)
                                                               if a not in (chan, w_axis)]))
    if axis is not None and axis % nd != w_axis:    # move the W length onto that axis
        a = axis % nd
        shape[a], shape[w_axis] = shape[w_axis], shape[a]
    return dict(shape=shape, C_out=C_out, K=K, groups=groups,
                kw=dict(stride=stride, padding=padding, dilation=dilation, groups=groups,
                        data_format=fmt, axis=axis, padding_mode=mode),
                bias=draw(st.booleans()),
                dtype=draw(st.sampled_from([np.float32, np.float64])),
                perm=draw(st.permutations(range(nd))),
                steps=[draw(st.sampled_from([1, 1, 1, -1, 2])) for _ in range(nd)],
                threads=draw(st.sampled_from([None, 1, 2, 3])),
                seed=draw(st.integers(0, 2**32 - 1)))


def run_layer(c):
    rng = np.random.default_rng(c["seed"])
    values = rng.uniform(-4, 4, c["shape"]).astype(c["dtype"])
    x, _ = strided_view(values, c["perm"], c["steps"])   # gaps hold NaN: reading one shows
    chan = -1 if c["kw"]["data_format"].upper() == "NWC" else -2
    C_in = c["shape"][chan]
    f = rng.uniform(-2, 2, (c["K"], C_in // c["groups"], c["C_out"]))
    b = rng.uniform(-3, 3, c["C_out"]) if c["bias"] else None
    check(x, f, bias=b, threads=c["threads"], **c["kw"])


@settings(max_examples=70)
@given(c=layers())
def test_random_layers_match_reference(simd, c):
    run_layer(c)


@settings(max_examples=25)
@given(c=layers(max_w=300))
def test_random_long_lines_match_reference(c):
    run_layer(c)


# --------------------------------------------------------------------------
# Layouts: the row- and column-wise layers, NCW, views
# --------------------------------------------------------------------------
def test_row_and_column_layers_on_a_feature_map():
    rng = np.random.default_rng(1)
    maps = rng.standard_normal((2, 9, 11, 5)).astype(np.float32)     # (B, H, W, C)
    f = rng.standard_normal((3, 5, 7)).astype(np.float32)
    rows = check(maps, f, axis=2, padding_mode="reflect")
    cols = check(maps, f, axis=1, padding_mode="reflect")
    assert rows.shape == cols.shape == (2, 9, 11, 7)
    # The same as the framework recipe: move the axis, reshape to (N, W, C), conv, undo.
    flat = maps.transpose(0, 2, 1, 3).reshape(22, 9, 5)
    want = conv1d_reference(flat, f, padding_mode="reflect").reshape(2, 11, 9, 7)
    np.testing.assert_allclose(cols, want.transpose(0, 2, 1, 3), atol=1e-4)
    assert axisconv.conv1d(maps, f, axis=-2).shape == rows.shape    # default axis is W
    np.testing.assert_array_equal(axisconv.conv1d(maps, f), axisconv.conv1d(maps, f, axis=2))


def test_ncw_channel_axis_is_second_last():
    rng = np.random.default_rng(2)
    x = rng.standard_normal((2, 3, 4, 10))          # (..., C_in = 4, W = 10)
    f = rng.standard_normal((3, 4, 6))
    y = check(x, f, data_format="NCW")
    assert y.shape == (2, 3, 6, 10)
    np.testing.assert_allclose(
        y, np.swapaxes(axisconv.conv1d(np.swapaxes(x, -1, -2), f), -1, -2), atol=1e-12)
    y1 = check(x, f, data_format="NCW", axis=1, padding="VALID")   # along the axis of 3
    assert y1.shape == (2, 1, 6, 10)


def test_channels_first_map_through_a_transposed_view():
    rng = np.random.default_rng(3)
    nchw = rng.standard_normal((2, 4, 6, 8)).astype(np.float32)
    f = rng.standard_normal((5, 4, 3)).astype(np.float32)
    view = nchw.transpose(0, 2, 3, 1)               # (B, H, W, C): no copy
    assert np.shares_memory(view, nchw)
    rows = axisconv.conv1d(view, f, axis=2).transpose(0, 3, 1, 2)
    want = conv1d_reference(view, f, axis=2).transpose(0, 3, 1, 2)
    np.testing.assert_allclose(rows, want, atol=1e-4)


@pytest.mark.parametrize("fmt", ["NWC", "NCW"])
def test_strided_and_negative_stride_views(fmt):
    rng = np.random.default_rng(4)
    base = rng.standard_normal((3, 40, 30))
    x = base[::-1, ::2, 1::3] if fmt == "NWC" else base[:, ::-3, ::-2]
    C_in = x.shape[-1] if fmt == "NWC" else x.shape[-2]
    f = rng.standard_normal((4, C_in, 9))
    for mode in CANONICAL:
        check(x, f, data_format=fmt, padding_mode=mode, stride=2)
        check(x, f, data_format=fmt, padding_mode=mode, axis=0, padding=(4, 1))


# --------------------------------------------------------------------------
# Kernel coverage: channel blocks and tails, depthwise, single channel, long pads
# --------------------------------------------------------------------------
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("C_in,C_out,groups", [(1, 1, 1), (3, 16, 1), (37, 70, 1),
                                               (64, 64, 1), (8, 33, 1), (70, 10, 2),
                                               (12, 36, 3), (40, 8, 4)])
@pytest.mark.parametrize("W", [1, 5, 13, 200])
def test_dense_blocks_and_tails(simd, dtype, C_in, C_out, groups, W):
    rng = np.random.default_rng(C_in * 1000 + C_out + W)
    x = rng.uniform(-1, 1, (2, W, C_in)).astype(dtype)
    f = rng.uniform(-1, 1, (3, C_in // groups, C_out))
    b = rng.uniform(-1, 1, C_out)
    check(x, f, groups=groups, bias=b)
    check(np.ascontiguousarray(np.swapaxes(x, 1, 2)), f, groups=groups, bias=b,
          data_format="NCW", padding="VALID", stride=2)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("C,multiplier", [(1, 1), (1, 5), (7, 1), (16, 1), (32, 1), (48, 1),
                                          (64, 1), (70, 1), (64, 2), (5, 3)])
def test_depthwise(simd, dtype, C, multiplier):
    rng = np.random.default_rng(C * 10 + multiplier)
    for W, K, stride, dilation in [(300, 7, 1, 1), (9, 3, 1, 1), (60, 4, 2, 3), (2, 9, 1, 1)]:
        x = rng.uniform(-1, 1, (3, W, C)).astype(dtype)
        f = rng.uniform(-1, 1, (K, 1, C * multiplier))
        b = rng.uniform(-1, 1, C * multiplier)
        for mode in ("constant", "mirror", "wrap"):
            check(x, f, groups=C, bias=b, stride=stride, dilation=dilation, padding_mode=mode)
        check(np.swapaxes(x, 1, 2), f, groups=C, data_format="NCW", dilation=dilation)
        check(x, f, groups=C, axis=0, padding=(2, 5), padding_mode="nearest")


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_large_depthwise_streams_its_output(dtype):
    """Input + output over 16 MiB: the output is written past the caches, same bits."""
    rng = np.random.default_rng(15)
    x = rng.uniform(-1, 1, (3, 22000 // np.dtype(dtype).itemsize * 4, 64)).astype(dtype)
    assert 2 * x.nbytes > 16 << 20
    f = rng.uniform(-1, 1, (5, 1, 64))
    b = rng.uniform(-1, 1, 64)
    got = check(x, f, groups=64, bias=b, padding_mode="mirror")
    # Written through a tile instead (out not contiguous in the channels): the same bits.
    tiled = np.empty((3, x.shape[1], 128), dtype)[:, :, ::2]
    np.testing.assert_array_equal(axisconv.conv1d(x, f, groups=64, bias=b, out=tiled,
                                                  padding_mode="mirror"), got)
    shifted = np.empty(got.size + 1, dtype)[1:].reshape(got.shape)   # not 16-byte aligned
    np.testing.assert_array_equal(axisconv.conv1d(x, f, groups=64, bias=b, out=shifted,
                                                  padding_mode="mirror"), got)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("C,multiplier", [(1, 1), (1, 3), (3, 1), (3, 2), (8, 1), (20, 1)])
def test_few_channel_depthwise_rows_and_columns(simd, dtype, C, multiplier):
    """Few channels: vectors of positions along the rows; along the columns the row axis
    folds into the channels (its stride is one row of channels)."""
    rng = np.random.default_rng(C * 7 + multiplier)
    maps = rng.uniform(-1, 1, (2, 23, 37, C)).astype(dtype)            # (B, H, W, C)
    f = rng.uniform(-1, 1, (5, 1, C * multiplier))
    b = rng.uniform(-1, 1, C * multiplier)
    for axis in (1, 2):
        for stride, dilation, padding in [(1, 1, "SAME"), (3, 1, "SAME"), (1, 2, "VALID"),
                                          (2, 3, (4, 9))]:
            for mode in ("constant", "reflect", "wrap"):
                check(maps, f, axis=axis, groups=C, bias=b, stride=stride, dilation=dilation,
                      padding=padding, padding_mode=mode)
    out = np.full((2, 23, 74, C * multiplier), np.nan, dtype)[:, :, ::2]  # strided: no fold
    check(maps, f, axis=1, groups=C, out=out)
    check(maps[:, :, ::-1], f, axis=1, groups=C, stride=2)             # reversed rows


@pytest.mark.parametrize("mode", CANONICAL)
def test_single_channel_row_and_column_layers(simd, mode):
    rng = np.random.default_rng(5)
    img = rng.standard_normal((1, 70, 90, 1)).astype(np.float32)
    for K in (1, 2, 4, 15):
        f = rng.standard_normal((K, 1, 1))
        b = np.array([0.25])
        for axis in (1, 2):
            check(img, f, axis=axis, padding_mode=mode, bias=b)
            check(img, f, axis=axis, padding_mode=mode, padding="VALID")
            check(img, f, axis=axis, padding_mode=mode, stride=2)
            check(img, f, axis=axis, padding_mode=mode, stride=5)
            check(img, f, axis=axis, padding_mode=mode, dilation=3)
            check(img, f, axis=axis, padding_mode=mode, padding=(K, 0))
            check(img, f, axis=axis, padding_mode=mode, padding=(3 * K, 2 * K))
    check(img[0, :, :, 0].reshape(70, 1, 90), rng.standard_normal((5, 1, 1)),
          data_format="NCW", padding_mode=mode)


@pytest.mark.parametrize("mode", CANONICAL)
def test_pads_and_kernels_longer_than_the_line(mode):
    rng = np.random.default_rng(6)
    for W in (1, 2, 3, 5):
        x = rng.standard_normal((2, W, 3))
        for K, padding in [(9, "SAME"), (12, (15, 4)), (3, (7, 9)), (1, 6)]:
            check(x, rng.standard_normal((K, 3, 4)), padding=padding, padding_mode=mode)
            check(x, rng.standard_normal((K, 1, 3)), padding=padding, padding_mode=mode,
                  groups=3)


def test_huge_dilation_and_pads_stay_exact():
    """Windows far longer than the line: pads and taps read the extension only."""
    x = np.arange(1.0, 11.0).reshape(1, 10, 1)
    f = np.ones((3, 1, 2))
    y = axisconv.conv1d(x, f, dilation=2**39)          # SAME: only the centre tap is inside
    np.testing.assert_array_equal(y[0, :, 0], x[0, :, 0])
    assert axisconv.conv1d(x, f, dilation=2**39, padding="VALID").shape == (1, 0, 2)
    check(x, f, dilation=1000, padding_mode="wrap")
    check(x, f, padding=(2**20, 3), stride=2**19, padding_mode="reflect")


def test_large_dilation():
    """Dilations that leave most of a window unread (the gather uses per-tap slots)."""
    rng = np.random.default_rng(7)
    x = rng.standard_normal((2, 500, 6))
    for groups, C_out in ((1, 5), (6, 6), (2, 4)):
        f = rng.standard_normal((3, 6 // groups, C_out))
        for mode in CANONICAL:
            check(x, f, dilation=200, groups=groups, padding_mode=mode)
            check(x, f, dilation=97, stride=3, groups=groups, padding_mode=mode, padding=(7, 500))


@pytest.mark.parametrize("C_in,groups,C_out", [(8, 1, 40), (8, 2, 6), (8, 8, 8), (8, 8, 24),
                                               (1, 1, 1), (3, 3, 3), (6, 6, 6), (5, 5, 5),
                                               (12, 12, 12)])
def test_every_path_gives_the_same_bits(simd, C_in, groups, C_out):
    """In place (NWC rows, interleaved few-channel rows, NCW runs), gathered windows, tiles,
    folded axes: one order of operations, so the same bits whatever the layout."""
    rng = np.random.default_rng(16)
    x = rng.standard_normal((3, 150, C_in)).astype(np.float32)
    f = rng.standard_normal((5, C_in // groups, C_out)).astype(np.float32)
    b = rng.standard_normal(C_out).astype(np.float32)
    kw = dict(groups=groups, bias=b, padding_mode="mirror", dilation=2)
    ref = axisconv.conv1d(x, f, **kw)
    gapped = np.full((3, 150, 2 * C_in), np.nan, np.float32)[:, :, ::2]   # gathered
    gapped[...] = x
    np.testing.assert_array_equal(axisconv.conv1d(gapped, f, **kw), ref)
    ncw = np.ascontiguousarray(x.transpose(0, 2, 1))                       # NCW runs
    np.testing.assert_array_equal(
        axisconv.conv1d(ncw, f, data_format="NCW", **kw).transpose(0, 2, 1), ref)
    out = np.empty((3, 150, 2 * C_out), np.float32)[:, :, ::2]            # through tiles
    np.testing.assert_array_equal(axisconv.conv1d(x, f, out=out, **kw), ref)
    rows_first = np.ascontiguousarray(x.transpose(1, 0, 2))               # (W, B, C): folds B
    cols = axisconv.conv1d(rows_first, f, axis=0, **kw)                   # if depthwise
    np.testing.assert_array_equal(cols.transpose(1, 0, 2), ref)


def test_integer_and_bool_inputs_give_float64():
    x = np.arange(24).reshape(2, 4, 3)
    f = np.ones((2, 3, 2), np.int32)
    y = check(x, f, dtype=np.float64)
    assert y.dtype == np.float64
    assert check(x > 5, f, dtype=np.float64).dtype == np.float64


def test_float32_stays_float32_with_float64_filters():
    rng = np.random.default_rng(8)
    x = rng.standard_normal((2, 30, 4)).astype(np.float32)
    y = check(x, rng.standard_normal((3, 4, 5)), bias=np.ones(5))
    assert y.dtype == np.float32


def test_nan_only_reaches_outputs_that_read_it():
    x = np.zeros((1, 20, 2))
    x[0, 10, 1] = np.nan
    y = axisconv.conv1d(x, np.ones((3, 2, 2)))
    assert np.isnan(y[0, 9:12]).all()
    assert np.isfinite(np.delete(y, [9, 10, 11], axis=1)).all()


# --------------------------------------------------------------------------
# out, zero sizes, threads
# --------------------------------------------------------------------------
def test_out_is_filled_and_returned():
    rng = np.random.default_rng(9)
    x = rng.standard_normal((3, 20, 4))
    f = rng.standard_normal((3, 4, 6))
    out = np.full((3, 20, 6), np.nan)
    check(x, f, out=out)
    strided = np.full((3, 40, 12), np.nan)[:, ::2, ::2]             # non-contiguous out
    check(x, f, out=strided)
    ncw = np.full((6, 3, 20), np.nan).transpose(1, 0, 2)            # (3, 6, 20), NCW
    check(np.swapaxes(x, 1, 2), f, out=ncw, data_format="NCW")
    single = np.zeros((1, 9, 1))
    check(np.ones((1, 9, 1)), np.ones((3, 1, 1)), out=single)


def test_out_overlapping_x_is_still_exact():
    rng = np.random.default_rng(10)
    buf = rng.standard_normal(400)
    x = buf[:240].reshape(2, 30, 4)
    want = conv1d_reference(x.copy(), np.ones((3, 4, 4)))
    out = buf[8:248].reshape(2, 30, 4)                              # overlaps x, shifted
    got = axisconv.conv1d(x, np.ones((3, 4, 4)), out=out)
    np.testing.assert_allclose(got, want, atol=1e-12)
    for groups in (1, 4):                                           # out is x itself
        x2 = rng.standard_normal((2, 50, 4))
        f2 = rng.standard_normal((5, 4 // groups, 4))
        want2 = conv1d_reference(x2.copy(), f2, groups=groups, padding_mode="wrap")
        assert axisconv.conv1d(x2, f2, groups=groups, out=x2, padding_mode="wrap") is x2
        np.testing.assert_allclose(x2, want2, atol=1e-12)
    buf1 = rng.standard_normal(40)
    x1, out1 = buf1[:30].reshape(1, 30, 1), buf1[5:35].reshape(1, 30, 1)
    want1 = conv1d_reference(x1.copy(), np.ones((5, 1, 1)))
    np.testing.assert_allclose(axisconv.conv1d(x1, np.ones((5, 1, 1)), out=out1), want1,
                               atol=1e-12)


def test_zero_sizes():
    f = np.ones((3, 2, 4))
    assert axisconv.conv1d(np.ones((0, 5, 2)), f).shape == (0, 5, 4)
    assert axisconv.conv1d(np.ones((2, 5, 2)), np.ones((3, 2, 0))).shape == (2, 5, 0)
    assert axisconv.conv1d(np.ones((2, 0, 2)), f).shape == (2, 0, 4)
    assert axisconv.conv1d(np.ones((2, 2, 2)), f, padding="VALID").shape == (2, 0, 4)
    # An empty line with explicit zero padding: every output is the bias.
    y = axisconv.conv1d(np.ones((2, 0, 2)), f, padding=(2, 1), bias=[1, 2, 3, 4])
    np.testing.assert_array_equal(y, np.broadcast_to([1.0, 2, 3, 4], (2, 1, 4)))
    y = axisconv.conv1d(np.ones((2, 4, 0)), np.ones((3, 0, 2)), bias=[5, 6])
    np.testing.assert_array_equal(y, np.broadcast_to([5.0, 6], (2, 4, 2)))
    with pytest.raises(ValueError, match="padding_mode"):
        axisconv.conv1d(np.ones((2, 0, 2)), f, padding=3, padding_mode="reflect")


@pytest.mark.parametrize("groups,C_out", [(1, 24), (16, 16), (16, 32), (4, 8)])
def test_bitwise_identical_for_every_thread_count(groups, C_out, restore_threads):
    rng = np.random.default_rng(11)
    x = rng.standard_normal((5, 700, 16)).astype(np.float32)
    f = rng.standard_normal((5, 16 // groups, C_out)).astype(np.float32)
    b = rng.standard_normal(C_out)
    ref = axisconv.conv1d(x, f, groups=groups, bias=b, threads=1, padding_mode="wrap")
    for threads in (2, 3, 7):
        got = axisconv.conv1d(x, f, groups=groups, bias=b, threads=threads, padding_mode="wrap")
        np.testing.assert_array_equal(got, ref)
    axisconv.set_num_threads(2)
    np.testing.assert_array_equal(
        axisconv.conv1d(x, f, groups=groups, bias=b, padding_mode="wrap"), ref)


# --------------------------------------------------------------------------
# Errors (docs/contract.md §7): ValueError / TypeError naming the argument
# --------------------------------------------------------------------------
X = np.ones((2, 10, 4))
F = np.ones((3, 4, 6))


def raises_naming(exc, argname, *args, **kw):
    with pytest.raises(exc) as info:
        axisconv.conv1d(*args, **kw)
    assert names(str(info.value), argname), str(info.value)


@pytest.mark.parametrize("exc,arg,call", [
    (ValueError, "x", lambda: ((np.ones(5), np.ones((3, 1, 1))), {})),
    (TypeError, "x", lambda: ((X.astype(complex), F), {})),
    (TypeError, "x", lambda: ((np.array([["a"]]), F), {})),
    (ValueError, "filters", lambda: ((X, np.ones((3, 4))), {})),
    (ValueError, "filters", lambda: ((X, np.ones((0, 4, 6))), {})),
    (ValueError, "filters", lambda: ((X, np.ones((3, 3, 6))), {})),
    (TypeError, "filters", lambda: ((X, F.astype(complex)), {})),
    (ValueError, "groups", lambda: ((X, np.ones((3, 1, 6))), {"groups": 3})),
    (ValueError, "groups", lambda: ((X, np.ones((3, 2, 5))), {"groups": 2})),
    (ValueError, "groups", lambda: ((X, F), {"groups": 0})),
    (TypeError, "groups", lambda: ((X, F), {"groups": 1.0})),
    (ValueError, "stride", lambda: ((X, F), {"stride": 0})),
    (ValueError, "stride", lambda: ((X, F), {"stride": 2**63})),
    (ValueError, "dilation", lambda: ((X, F), {"dilation": 2**62})),
    (ValueError, "padding", lambda: ((X, F), {"padding": 2**64})),
    (ValueError, "padding", lambda: ((X, F), {"padding": (0, 2**45)})),
    (TypeError, "stride", lambda: ((X, F), {"stride": True})),
    (ValueError, "dilation", lambda: ((X, F), {"dilation": -1})),
    (TypeError, "dilation", lambda: ((X, F), {"dilation": "2"})),
    (ValueError, "padding", lambda: ((X, F), {"padding": "FULL"})),
    (ValueError, "padding", lambda: ((X, F), {"padding": -1})),
    (ValueError, "padding", lambda: ((X, F), {"padding": (1, 2, 3)})),
    (ValueError, "padding", lambda: ((X, F), {"padding": (1, -2)})),
    (TypeError, "padding", lambda: ((X, F), {"padding": 1.5})),
    (TypeError, "padding", lambda: ((X, F), {"padding": None})),
    (ValueError, "padding_mode", lambda: ((X, F), {"padding_mode": "bogus"})),
    (TypeError, "padding_mode", lambda: ((X, F), {"padding_mode": 0})),
    (ValueError, "data_format", lambda: ((X, F), {"data_format": "NHWC"})),
    (TypeError, "data_format", lambda: ((X, F), {"data_format": None})),
    (ValueError, "axis", lambda: ((X, F), {"axis": 2})),
    (ValueError, "axis", lambda: ((X, F), {"axis": -1})),
    (ValueError, "axis", lambda: ((X, F), {"axis": 3})),
    (TypeError, "axis", lambda: ((X, F), {"axis": 1.0})),
    (ValueError, "bias", lambda: ((X, F), {"bias": np.ones(5)})),
    (ValueError, "bias", lambda: ((X, F), {"bias": np.ones((1, 6))})),
    (TypeError, "bias", lambda: ((X, F), {"bias": np.ones(6, complex)})),
    (ValueError, "out", lambda: ((X, F), {"out": np.empty((2, 10, 4))})),
    (TypeError, "out", lambda: ((X, F), {"out": np.empty((2, 10, 6), np.float32)})),
    (TypeError, "out", lambda: ((X, F), {"out": [0.0]})),
    (ValueError, "threads", lambda: ((X, F), {"threads": 0})),
])
def test_errors_name_the_argument(exc, arg, call):
    args, kw = call()
    raises_naming(exc, arg, *args, **kw)


def test_read_only_out_is_rejected():
    out = np.empty((2, 10, 6))
    out.flags.writeable = False
    raises_naming(ValueError, "out", X, F, out=out)


def test_keyword_only_arguments():
    with pytest.raises(TypeError):
        axisconv.conv1d(X, F, 1)


# --------------------------------------------------------------------------
# Cross-checks against the frameworks (skipped when they are not installed)
# --------------------------------------------------------------------------
TORCH_MODES = {"constant": "constant", "mirror": "reflect", "nearest": "replicate",
               "wrap": "circular"}


def test_matches_torch_conv1d():
    torch = pytest.importorskip("torch")
    F_ = torch.nn.functional
    rng = np.random.default_rng(12)
    for trial in range(60):
        N, W = int(rng.integers(1, 4)), int(rng.integers(8, 60))
        groups = int(rng.choice([1, 2, 4]))
        C_in = groups * int(rng.integers(1, 6))
        C_out = groups * int(rng.integers(1, 6))
        if trial % 4 == 0:                                  # depthwise, with multiplier
            groups = C_in
            C_out = C_in * int(rng.integers(1, 3))
        K, stride = int(rng.integers(1, 6)), int(rng.integers(1, 4))
        dilation = int(rng.integers(1, 3))
        left, right = int(rng.integers(0, 4)), int(rng.integers(0, 4))
        mode = str(rng.choice(list(TORCH_MODES)))
        x = rng.standard_normal((N, C_in, W)).astype(np.float32)
        w = rng.standard_normal((C_out, C_in // groups, K)).astype(np.float32)
        b = rng.standard_normal(C_out).astype(np.float32)
        xt = F_.pad(torch.from_numpy(x), (left, right), mode=TORCH_MODES[mode])
        want = F_.conv1d(xt, torch.from_numpy(w), torch.from_numpy(b), stride=stride,
                         dilation=dilation, groups=groups).numpy()
        got = axisconv.conv1d(x, w.transpose(2, 1, 0), stride=stride, dilation=dilation,
                              groups=groups, bias=b, padding=(left, right), padding_mode=mode,
                              data_format="NCW")
        atol = layer_tolerance(x, w.transpose(2, 1, 0), b, np.float32)
        np.testing.assert_allclose(got, want, rtol=0, atol=atol, err_msg=f"trial {trial}")


def test_matches_tensorflow_conv1d():
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    tf = pytest.importorskip("tensorflow")
    rng = np.random.default_rng(13)
    for trial in range(30):
        N, W = int(rng.integers(1, 4)), int(rng.integers(1, 50))
        C_in, C_out, K = int(rng.integers(1, 9)), int(rng.integers(1, 40)), int(rng.integers(1, 8))
        padding = str(rng.choice(["SAME", "VALID"]))
        if trial % 2:   # TensorFlow takes dilation > 1 with stride 1 only
            stride, dilation = 1, int(rng.integers(1, 4))
        else:
            stride, dilation = int(rng.integers(1, 4)), 1
        if padding == "VALID" and W < (K - 1) * dilation + 1:
            W = (K - 1) * dilation + 1
        x = rng.standard_normal((N, W, C_in)).astype(np.float32)
        f = rng.standard_normal((K, C_in, C_out)).astype(np.float32)
        want = tf.nn.conv1d(x, f, stride=stride, padding=padding, dilations=dilation).numpy()
        got = axisconv.conv1d(x, f, stride=stride, padding=padding, dilation=dilation)
        np.testing.assert_allclose(got, want, rtol=0, atol=layer_tolerance(x, f, None, np.float32),
                                   err_msg=f"trial {trial}")


def test_matches_tensorflow_depthwise():
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    tf = pytest.importorskip("tensorflow")
    rng = np.random.default_rng(14)
    for C, M, K, stride, padding in [(8, 1, 3, 1, "SAME"), (32, 1, 7, 1, "SAME"),
                                     (5, 2, 4, 2, "VALID"), (16, 3, 5, 3, "SAME")]:
        x = rng.standard_normal((2, 40, C)).astype(np.float32)
        f = rng.standard_normal((K, 1, C * M)).astype(np.float32)
        want = tf.nn.depthwise_conv2d(x[:, None], f.reshape(1, K, C, M), [1, 1, stride, 1],
                                      padding).numpy()[:, 0]
        got = axisconv.conv1d(x, f, groups=C, stride=stride, padding=padding)
        np.testing.assert_allclose(got, want, rtol=0, atol=layer_tolerance(x, f, None, np.float32))
