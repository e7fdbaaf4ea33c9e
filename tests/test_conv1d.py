"""axisconv.conv1d (docs/contract.md §6) against the slow NumPy reference.layer.conv1d.

Property tests (hypothesis) over random layers: batch shapes, W, channels, groups and
depthwise multipliers, K, stride, dilation, every padding form, every padding_mode spelling,
NWC/NCW, the spatial axis, memory layouts, dtypes, bias and thread counts, once per SIMD path.
Deterministic tests for TensorFlow's size rules, the row-/column-wise layers on (B, H, W, C)
maps and views.  Cross-checks against torch.nn.functional.conv1d and tf.nn.conv1d run when
those are installed.  The kernels, `out` and threads: test_conv1d_kernels.py; the errors:
test_conv1d_errors.py.
"""
import os

import numpy as np
import pytest
import reference.layer
from _axc_testing import check_conv1d, layer_tolerance
from _layouts import strided_view
from hypothesis import given, settings
from hypothesis import strategies as st
from reference.layer import tf_padding
from reference.modes import MODES, SPELLINGS

import axisconv


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
    for mode in MODES:
        check_conv1d(x, f, padding=padding, padding_mode=mode)


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
    mode = draw(st.sampled_from(list(MODES) * 2 + [name for name, _ in SPELLINGS]))
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
    check_conv1d(x, f, bias=b, threads=c["threads"], **c["kw"])


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
    rows = check_conv1d(maps, f, axis=2, padding_mode="reflect")
    cols = check_conv1d(maps, f, axis=1, padding_mode="reflect")
    assert rows.shape == cols.shape == (2, 9, 11, 7)
    # The same as the framework recipe: move the axis, reshape to (N, W, C), conv, undo.
    flat = maps.transpose(0, 2, 1, 3).reshape(22, 9, 5)
    want = reference.layer.conv1d(flat, f, padding_mode="reflect").reshape(2, 11, 9, 7)
    np.testing.assert_allclose(cols, want.transpose(0, 2, 1, 3), atol=1e-4)
    assert axisconv.conv1d(maps, f, axis=-2).shape == rows.shape    # default axis is W
    np.testing.assert_array_equal(axisconv.conv1d(maps, f), axisconv.conv1d(maps, f, axis=2))


def test_ncw_channel_axis_is_second_last():
    rng = np.random.default_rng(2)
    x = rng.standard_normal((2, 3, 4, 10))          # (..., C_in = 4, W = 10)
    f = rng.standard_normal((3, 4, 6))
    y = check_conv1d(x, f, data_format="NCW")
    assert y.shape == (2, 3, 6, 10)
    np.testing.assert_allclose(
        y, np.swapaxes(axisconv.conv1d(np.swapaxes(x, -1, -2), f), -1, -2), atol=1e-12)
    y1 = check_conv1d(x, f, data_format="NCW", axis=1, padding="VALID")   # along the axis of 3
    assert y1.shape == (2, 1, 6, 10)


def test_channels_first_map_through_a_transposed_view():
    rng = np.random.default_rng(3)
    nchw = rng.standard_normal((2, 4, 6, 8)).astype(np.float32)
    f = rng.standard_normal((5, 4, 3)).astype(np.float32)
    view = nchw.transpose(0, 2, 3, 1)               # (B, H, W, C): no copy
    assert np.shares_memory(view, nchw)
    rows = axisconv.conv1d(view, f, axis=2).transpose(0, 3, 1, 2)
    want = reference.layer.conv1d(view, f, axis=2).transpose(0, 3, 1, 2)
    np.testing.assert_allclose(rows, want, atol=1e-4)


@pytest.mark.parametrize("fmt", ["NWC", "NCW"])
def test_strided_and_negative_stride_views(fmt):
    rng = np.random.default_rng(4)
    base = rng.standard_normal((3, 40, 30))
    x = base[::-1, ::2, 1::3] if fmt == "NWC" else base[:, ::-3, ::-2]
    C_in = x.shape[-1] if fmt == "NWC" else x.shape[-2]
    f = rng.standard_normal((4, C_in, 9))
    for mode in MODES:
        check_conv1d(x, f, data_format=fmt, padding_mode=mode, stride=2)
        check_conv1d(x, f, data_format=fmt, padding_mode=mode, axis=0, padding=(4, 1))


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
        # TF's CPU kernel takes equal strides only; on a height-1 map the row stride is moot.
        want = tf.nn.depthwise_conv2d(x[:, None], f.reshape(1, K, C, M),
                                      [1, stride, stride, 1], padding).numpy()[:, 0]
        got = axisconv.conv1d(x, f, groups=C, stride=stride, padding=padding)
        np.testing.assert_allclose(got, want, rtol=0, atol=layer_tolerance(x, f, None, np.float32))
