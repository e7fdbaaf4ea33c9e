"""axisconv.conv1d (docs/contract.md §6): the layer's kernels, their channel blocks and tails,
depthwise and single-channel layers, long pads and dilations, one order of operations on every
path; then `out`, zero sizes and bitwise thread independence.  The reference is
reference.layer.conv1d (check_conv1d)."""
import subprocess
import sys
import textwrap

import numpy as np
import pytest
import reference.layer
from _axc_testing import assert_float32_arithmetic, cancelling_pairs, check_conv1d
from reference.modes import MODES

import axisconv


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
    check_conv1d(x, f, groups=groups, bias=b)
    check_conv1d(np.ascontiguousarray(np.swapaxes(x, 1, 2)), f, groups=groups, bias=b,
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
            check_conv1d(x, f, groups=C, bias=b, stride=stride, dilation=dilation, padding_mode=mode)
        check_conv1d(np.swapaxes(x, 1, 2), f, groups=C, data_format="NCW", dilation=dilation)
        check_conv1d(x, f, groups=C, axis=0, padding=(2, 5), padding_mode="nearest")


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_large_depthwise_streams_its_output(dtype):
    """Input + output over 16 MiB: the output is written past the caches, same bits."""
    rng = np.random.default_rng(15)
    x = rng.uniform(-1, 1, (3, 22000 // np.dtype(dtype).itemsize * 4, 64)).astype(dtype)
    assert 2 * x.nbytes > 16 << 20
    f = rng.uniform(-1, 1, (5, 1, 64))
    b = rng.uniform(-1, 1, 64)
    got = check_conv1d(x, f, groups=64, bias=b, padding_mode="mirror")
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
                check_conv1d(maps, f, axis=axis, groups=C, bias=b, stride=stride, dilation=dilation,
                      padding=padding, padding_mode=mode)
    out = np.full((2, 23, 74, C * multiplier), np.nan, dtype)[:, :, ::2]  # strided: no fold
    check_conv1d(maps, f, axis=1, groups=C, out=out)
    check_conv1d(maps[:, :, ::-1], f, axis=1, groups=C, stride=2)             # reversed rows


@pytest.mark.parametrize("mode", MODES)
def test_single_channel_row_and_column_layers(simd, mode):
    rng = np.random.default_rng(5)
    img = rng.standard_normal((1, 70, 90, 1)).astype(np.float32)
    for K in (1, 2, 4, 15):
        f = rng.standard_normal((K, 1, 1))
        b = np.array([0.25])
        for axis in (1, 2):
            check_conv1d(img, f, axis=axis, padding_mode=mode, bias=b)
            check_conv1d(img, f, axis=axis, padding_mode=mode, padding="VALID")
            check_conv1d(img, f, axis=axis, padding_mode=mode, stride=2)
            check_conv1d(img, f, axis=axis, padding_mode=mode, stride=5)
            check_conv1d(img, f, axis=axis, padding_mode=mode, dilation=3)
            check_conv1d(img, f, axis=axis, padding_mode=mode, padding=(K, 0))
            check_conv1d(img, f, axis=axis, padding_mode=mode, padding=(3 * K, 2 * K))
    check_conv1d(img[0, :, :, 0].reshape(70, 1, 90), rng.standard_normal((5, 1, 1)),
          data_format="NCW", padding_mode=mode)


@pytest.mark.parametrize("mode", MODES)
def test_pads_and_kernels_longer_than_the_line(mode):
    rng = np.random.default_rng(6)
    for W in (1, 2, 3, 5):
        x = rng.standard_normal((2, W, 3))
        for K, padding in [(9, "SAME"), (12, (15, 4)), (3, (7, 9)), (1, 6)]:
            check_conv1d(x, rng.standard_normal((K, 3, 4)), padding=padding, padding_mode=mode)
            check_conv1d(x, rng.standard_normal((K, 1, 3)), padding=padding, padding_mode=mode,
                  groups=3)


def test_huge_dilation_and_pads_stay_exact():
    """Windows far longer than the line: pads and taps read the extension only."""
    x = np.arange(1.0, 11.0).reshape(1, 10, 1)
    f = np.ones((3, 1, 2))
    y = axisconv.conv1d(x, f, dilation=2**39)          # SAME: only the centre tap is inside
    np.testing.assert_array_equal(y[0, :, 0], x[0, :, 0])
    assert axisconv.conv1d(x, f, dilation=2**39, padding="VALID").shape == (1, 0, 2)
    check_conv1d(x, f, dilation=1000, padding_mode="wrap")
    check_conv1d(x, f, padding=(2**20, 3), stride=2**19, padding_mode="reflect")


def test_large_dilation():
    """Dilations that leave most of a window unread (the gather uses per-tap slots)."""
    rng = np.random.default_rng(7)
    x = rng.standard_normal((2, 500, 6))
    for groups, C_out in ((1, 5), (6, 6), (2, 4)):
        f = rng.standard_normal((3, 6 // groups, C_out))
        for mode in MODES:
            check_conv1d(x, f, dilation=200, groups=groups, padding_mode=mode)
            check_conv1d(x, f, dilation=97, stride=3, groups=groups, padding_mode=mode, padding=(7, 500))


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


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("kind", ["symmetric", "antisymmetric", "near symmetric", "tiny",
                                  "random"])
def test_one_channel_bits_do_not_depend_on_stride(simd, dtype, kind):
    """One channel in and out goes through correlate1d's kernels at some strides and the
    layer's at others; correlate1d folds symmetric kernels (and float32 taps that round
    alike), the layer never does, so the one-channel path asks correlate1d not to
    (docs/contract.md §6: one order).  Stride 4 took correlate1d's folded sums, stride 5 the
    layer's."""
    taps = {"symmetric": [0.3, -0.7, 0.2, -0.7, 0.3], "antisymmetric": [0.3, -0.7, 0, 0.7, -0.3],
            "near symmetric": [0.3, -0.7, 0.2, -0.7, 0.3 + 1e-12],
            "tiny": [1e-44, 0.25, 0.375, 0.25, 1.05e-44],  # alike in float32 (subnormal)
            "random": [0.3, -0.7, 0.2, 0.45, 0.1]}[kind]
    f = np.array(taps).reshape(5, 1, 1)
    rng = np.random.default_rng(17)
    for x in (np.full((1, 60, 1), 0.1, dtype), rng.standard_normal((2, 60, 1)).astype(dtype)):
        for axis, columns in ((1, x), (0, np.ascontiguousarray(x.transpose(1, 0, 2)))):
            take = [slice(None)] * 3  # along rows, or down the columns of (W, B, 1)
            for padding in ("VALID", (2, 2), (3, 1)):
                every = axisconv.conv1d(columns, f, bias=[0.5], padding=padding, axis=axis)
                for stride in (2, 4, 5, 7):
                    take[axis] = slice(None, None, stride)
                    np.testing.assert_array_equal(
                        axisconv.conv1d(columns, f, bias=[0.5], padding=padding, stride=stride,
                                        axis=axis),
                        every[tuple(take)], err_msg=f"axis {axis} {padding} stride {stride}")


@pytest.mark.parametrize("C", [1, 2])
def test_bias_inside_out(C, monkeypatch):
    """A bias that is a view of `out` counts with its value before the call (the one-channel
    path added it after writing `out`)."""
    single, taken = axisconv.layer._single_channel, []
    monkeypatch.setattr(axisconv.layer, "_single_channel",
                        lambda *args: taken.append(1) or single(*args))
    x, f = np.ones((1, 10, C)), np.arange(1.0, 3 * C * C + 1).reshape(3, C, C)  # asymmetric:
    want = axisconv.conv1d(x, f, bias=np.full(C, 5.0), padding="SAME")  # one channel, one path
    out = np.full((1, 10, C), 5.0)
    assert axisconv.conv1d(x, f, bias=out[0, 0], padding="SAME", out=out) is out
    np.testing.assert_array_equal(out, want)
    assert bool(taken) == (C == 1)  # each path is the one meant


def test_integer_and_bool_inputs_give_float64():
    x = np.arange(24).reshape(2, 4, 3)
    f = np.ones((2, 3, 2), np.int32)
    y = check_conv1d(x, f, dtype=np.float64)
    assert y.dtype == np.float64
    assert check_conv1d(x > 5, f, dtype=np.float64).dtype == np.float64


def test_float32_stays_float32_with_float64_filters(simd):
    """float32 in, float32 out, and float32 arithmetic: on pairs whose products nearly cancel
    (along W, and across two input channels) the result holds what float32 sums give, not
    the float64 sums rounded to float32."""
    rng = np.random.default_rng(8)
    x = rng.standard_normal((2, 30, 4)).astype(np.float32)
    y = check_conv1d(x, rng.standard_normal((3, 4, 5)), bias=np.ones(5))
    assert y.dtype == np.float32
    a, b, float32, once = cancelling_pairs(rng, 300)
    taps = np.float32([0.3, -0.7])               # float32 values: cast without rounding
    along_w = axisconv.conv1d(np.stack([a, b], 1)[:, :, None], taps.reshape(2, 1, 1),
                              padding="VALID")
    assert_float32_arithmetic(along_w, float32, once)
    across_channels = axisconv.conv1d(np.stack([a, b], 1)[:, None, :], taps.reshape(1, 2, 1))
    assert_float32_arithmetic(across_channels, float32, once)


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
    check_conv1d(x, f, out=out)
    strided = np.full((3, 40, 12), np.nan)[:, ::2, ::2]             # non-contiguous out
    check_conv1d(x, f, out=strided)
    ncw = np.full((6, 3, 20), np.nan).transpose(1, 0, 2)            # (3, 6, 20), NCW
    check_conv1d(np.swapaxes(x, 1, 2), f, out=ncw, data_format="NCW")
    single = np.zeros((1, 9, 1))
    check_conv1d(np.ones((1, 9, 1)), np.ones((3, 1, 1)), out=single)


def test_out_overlapping_x_is_still_exact():
    rng = np.random.default_rng(10)
    buf = rng.standard_normal(400)
    x = buf[:240].reshape(2, 30, 4)
    want = reference.layer.conv1d(x.copy(), np.ones((3, 4, 4)))
    out = buf[8:248].reshape(2, 30, 4)                              # overlaps x, shifted
    got = axisconv.conv1d(x, np.ones((3, 4, 4)), out=out)
    np.testing.assert_allclose(got, want, atol=1e-12)
    for groups in (1, 4):                                           # out is x itself
        x2 = rng.standard_normal((2, 50, 4))
        f2 = rng.standard_normal((5, 4 // groups, 4))
        want2 = reference.layer.conv1d(x2.copy(), f2, groups=groups, padding_mode="wrap")
        assert axisconv.conv1d(x2, f2, groups=groups, out=x2, padding_mode="wrap") is x2
        np.testing.assert_allclose(x2, want2, atol=1e-12)
    buf1 = rng.standard_normal(40)
    x1, out1 = buf1[:30].reshape(1, 30, 1), buf1[5:35].reshape(1, 30, 1)
    want1 = reference.layer.conv1d(x1.copy(), np.ones((5, 1, 1)))
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


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="ru_maxrss in KiB")
def test_folding_a_batch_axis_takes_memory_in_proportion():
    """A depthwise layer down the columns of a (B, H, W, C) map folds W into the channels;
    with a long kernel over a long W the fold's windows took 28x the map (a 3 MB map, K =
    200: +87 MB; 100x with K = 500 and W = 60000).  Measured as the peak resident size of a
    fresh process."""
    script = textwrap.dedent("""
        import resource, numpy as np, axisconv
        x = np.ones((1, 20, 20000, 2), np.float32)
        f = np.ones((200, 1, 2))
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        y = axisconv.conv1d(x, f, axis=1, groups=2, padding="SAME", threads=1)
        grew = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
        assert np.all(y == 20)  # every window covers all 20 rows
        print(grew * 1024 / x.nbytes)
    """)
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         timeout=300)
    assert run.returncode == 0, run.stderr
    assert float(run.stdout) < 4, f"grew by {float(run.stdout):.1f}x the map"
