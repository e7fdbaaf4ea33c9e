"""The multi-channel 1-D convolution layer, in TensorFlow's convention (docs/contract.md §6).

One arrow down: conv1d -> _core.conv1d -> csrc/layer.c ax_conv1d -> layer.inc (with
layer_dense.inc, layer_depthwise.inc) -> the mix, mixr, dw and dwp kernels of
layer_kernels.inc; a single-channel layer through filters.run_correlate1d instead.
"""
import numpy as np

from . import _core
from ._checks import (as_array, as_input, check_axis, check_int, prepare_out, refuse_lazy,
                      writable_while_reading)
from ._config import check_threads
from ._docs import filled
from ._modes import CONSTANT, mode_code
from .filters import run_correlate1d

__all__ = ["conv1d"]

# data_format -> the channel axis (counted from the end).
_FORMATS = {"NWC": -1, "NCW": -2}
# Strides, dilations and pads beyond this are refused: the C core's 64-bit index arithmetic
# (K * dilation + pads + W ...) must not overflow.
_LIMIT = 2**40
_SPAN_LIMIT = 2**60  # the whole padded window, in samples: the C index arithmetic stays in int64


@filled
def conv1d(x, filters, *, stride=1, padding="SAME", dilation=1, groups=1, bias=None,
           data_format="NWC", axis=None, padding_mode="constant", out=None, threads=None):
    """The multi-channel 1-D convolution layer, as tf.nn.conv1d, along any axis.

    ``out[..., i, o] = bias[o] + sum_t sum_c x_ext[..., i * stride - left + t * dilation,
    g * C_in // groups + c] * filters[t, c, o]`` where ``g = o // (C_out // groups)`` and
    x_ext is x extended by `padding_mode`.  A cross-correlation, as in every deep-learning
    framework; results equal tf.nn.conv1d and torch.nn.functional.conv1d (layout converted).

    Parameters
    ----------
    x : array_like
        float32 (computed in float32) or float64; bool and integers give float64.  Any
        strides: the axes are never moved or copied.
    filters : array_like
        ``(K, C_in // groups, C_out)``, TensorFlow's layout.  For float32 x each filter is
        rounded to float32 with its sum kept (docs/contract.md §8), not cast tap by tap.
    stride : int, optional
        Step between output positions along the W axis (default 1).
    padding : {"SAME", "VALID"} or int or (int, int), optional
        "SAME" (default): ``W_out = ceil(W / stride)``, padded by
        ``max((W_out - 1) * stride + (K - 1) * dilation + 1 - W, 0)``, the odd sample on the
        right, as TensorFlow.  "VALID": no padding.  An int p pads (p, p); a pair pads
        (left, right).  Case-insensitive.
    dilation : int, optional
        Spacing between taps (default 1).
    groups : int, optional
        Splits the channels into groups that do not mix; must divide C_in and C_out.
        ``groups == C_in`` is the depthwise layer (C_out = multiplier * C_in).
    bias : array_like, optional
        ``(C_out,)``, added to every output position.
    data_format : {"NWC", "NCW"}, optional
        "NWC" (default): x is ``(..., W, C_in)``, the channels are the last axis.
        "NCW": x is ``(..., C_in, W)``, the channels are the second-last axis.  The output
        has x's layout, with C_out channels and W_out positions.
    axis : int, optional
        The spatial axis to run along; default the W axis of the format (-2 for NWC, -1 for
        NCW).  Any axis but the channel axis; all the others are batch axes.  On a
        ``(B, H, W, C)`` map, ``axis=2`` is the row-wise layer and ``axis=1`` the column-wise
        one.  For a channels-first map ``(B, C, H, W)``, pass the view
        ``x.transpose(0, 2, 3, 1)`` as NWC (no copy is made).
    padding_mode : str, optional
        How the padding is filled (case-insensitive)::

            'constant' (zeros, fill, grid-constant)      0 0 0 | a b c d | 0 0 0
            'reflect'  (symmetric, symm, grid-mirror)    c b a | a b c d | d c b
            'mirror'   (reflect101, reflect_101)         d c b | a b c d | c b a
            'nearest'  (edge, replicate)                 a a a | a b c d | d d d
            'wrap'     (circular, periodic, grid-wrap)   b c d | a b c d | a b c

        Default 'constant', zeros as the frameworks pad (PyTorch's padding_mode='reflect'
        is 'mirror' here).  Pads longer than the line keep extending the pattern.
    out : ndarray, optional
        Where to write the result (the output shape, x's dtype).  Returns it.
    {THREADS}

    Returns
    -------
    out : ndarray

    Examples
    --------
    >>> import numpy as np, axisconv
    >>> maps = np.ones((2, 5, 6, 3), np.float32)          # (B, H, W, C_in)
    >>> filters = np.ones((3, 3, 4), np.float32)          # (K, C_in, C_out)
    >>> axisconv.conv1d(maps, filters, axis=2).shape      # along the rows
    (2, 5, 6, 4)
    >>> axisconv.conv1d(maps, filters, axis=1, stride=2, padding="VALID").shape  # columns
    (2, 2, 6, 4)
    """
    x = _as_float_input(x)
    chan = _channel_axis(data_format, x.ndim)
    axis = _spatial_axis(axis, chan, x.ndim)
    stride = _positive_int(stride, "stride")
    dilation = _positive_int(dilation, "dilation")
    groups = _positive_int(groups, "groups")
    W, C_in = x.shape[axis], x.shape[chan]
    f = _check_filters(filters, C_in, groups)
    K, C_out = f.shape[0], f.shape[2]
    b = _check_bias(bias, C_out)
    left, right = conv_padding(padding, W, K, stride, dilation)
    if (K - 1) * dilation + 1 + left + right + W + stride >= _SPAN_LIMIT:
        raise ValueError(f"dilation={dilation} with {K} taps and padding ({left}, {right}) spans "
                         "more samples than 64-bit index arithmetic allows")
    W_out = conv_output_length(W, K, stride, dilation, left, right)
    mode, _ = mode_code(padding_mode, "padding_mode")
    threads = check_threads(threads)
    if W == 0 and W_out > 0 and mode != CONSTANT:
        raise ValueError(f"padding_mode={padding_mode!r} cannot extend an empty W axis "
                         "(x.shape[axis] == 0); use 'constant'")
    shape = list(x.shape)
    shape[axis], shape[chan] = W_out, C_out
    result = prepare_out(out, shape, x.dtype)
    if result.size == 0:
        pass
    elif x.size == 0:  # no samples: each sum is over padding zeros (W is 0) or empty (C_in)
        # 0 * inf is NaN, as the zeros padded give; a bias beyond float32 is inf, as in C
        with np.errstate(invalid="ignore", over="ignore"):
            sums = (f * 0).sum(axis=(0, 1)) + (0 if b is None else b)
            result[...] = _along(sums, chan, x.ndim)
    elif C_in == C_out == 1 and dilation == 1 and (W_out - 1) * stride < W <= 4 * W_out:
        _single_channel(x, f, b, axis, chan, left, stride, mode, result, threads)
    else:
        direct = out is None or writable_while_reading(result, x, in_place=False)
        target = result if direct else np.empty(result.shape, result.dtype.newbyteorder("="))
        _core.conv1d(x, target, axis, chan, f, b, groups, stride, dilation, left, mode, threads)
        if target is not result:
            result[...] = target
    return result if out is None else out


def conv_padding(padding, W, K, stride=1, dilation=1):
    """(left, right) pads for `padding` ("SAME", "VALID", an int or a pair), TensorFlow's rules."""
    if isinstance(padding, str):
        kind = padding.upper()
        if kind == "VALID":
            return 0, 0
        if kind == "SAME":
            total = max((-(-W // stride) - 1) * stride + (K - 1) * dilation + 1 - W, 0)
            return total // 2, total - total // 2
        causal = (f"; Keras' 'causal' is padding=({(K - 1) * dilation}, 0)"
                  if kind == "CAUSAL" else "")
        raise ValueError(f"padding={padding!r} is not 'SAME' or 'VALID' (or an int, or a "
                         f"(left, right) pair){causal}")
    if isinstance(padding, (tuple, list)):
        if len(padding) != 2:
            raise ValueError(f"padding={padding!r} must be a (left, right) pair")
        return _pad_int(padding[0]), _pad_int(padding[1])
    p = _pad_int(padding)
    return p, p


def conv_output_length(W, K, stride, dilation, left, right):
    """Output positions of a line of W samples padded by (left, right)."""
    span = (K - 1) * dilation + 1
    return max((W + left + right - span) // stride + 1, 0)


# --- paths ---------------------------------------------------------------------------------

def _single_channel(x, f, b, axis, chan, left, stride, mode, out, threads):
    """One channel in and out: the 1-D filter of correlate1d (its row and column kernels, all
    lanes busy) along the axis, with the channel axis dropped, unfolded as the layer's own
    kernels sum (so its bits do not depend on which computes it: docs/contract.md §6).
    correlate1d gives the W stride-1 outputs; when the layer wants others (VALID, a stride)
    they are taken from that line, which the caller allows only when it is at most 4x the
    outputs wanted."""
    pick = (slice(None),) * chan + (0,)
    line_axis = axis if axis < chan else axis - 1
    xs, ys = x[pick], out[pick]
    k = f[:, 0, 0]
    with np.errstate(over="ignore"):  # read before `out` is written, which may hold it
        bias = None if b is None else b[0].astype(out.dtype)
    if stride == 1 and ys.shape[line_axis] == xs.shape[line_axis]:
        run_correlate1d(xs, k, line_axis, left, mode, 0.0, ys, threads, fold=False)
    else:
        full = run_correlate1d(xs, k, line_axis, left, mode, 0.0, np.empty_like(xs), threads,
                               fold=False)
        take = [slice(None)] * xs.ndim
        take[line_axis] = slice(0, (ys.shape[line_axis] - 1) * stride + 1, stride)
        ys[...] = full[tuple(take)]
    if bias is not None:
        with np.errstate(invalid="ignore", over="ignore"):  # as the C core adds a bias
            out += bias
    return out


# --- checks (each error names the argument) -----------------------------------------------

def _as_float_input(x):
    x = as_input(x, complex_ok=False)
    if x.dtype.kind == "c":
        raise TypeError(f"x has unsupported dtype {x.dtype}; conv1d computes in float32 or "
                        "float64")
    if x.ndim < 2:
        raise ValueError(f"x must have at least 2 dimensions (W and C_in), got shape {x.shape}")
    return x


def _channel_axis(data_format, ndim):
    if not isinstance(data_format, str):
        raise TypeError(f"data_format must be a string, got {type(data_format).__name__}")
    fmt = data_format.upper()
    if fmt not in _FORMATS:
        raise ValueError(f"data_format={data_format!r} is not one of 'NWC', 'NCW'")
    return ndim + _FORMATS[fmt]


def _spatial_axis(axis, chan, ndim):
    if axis is None:
        return ndim - 2 if chan == ndim - 1 else ndim - 1
    axis = check_axis(axis, ndim)
    if axis == chan:
        raise ValueError(f"axis={axis} is the channel axis of the data_format; choose "
                         "another axis to run along")
    return axis


def _positive_int(value, name):
    return check_int(value, name, minimum=1, maximum=_LIMIT - 1)


def _pad_int(value):
    return check_int(value, "padding", minimum=0, maximum=_LIMIT - 1)


def _real_array(a, name):
    refuse_lazy(a, name, data=False)
    a = as_array(a, name)
    if a.dtype.kind not in "biuf":
        raise TypeError(f"{name} has unsupported dtype {a.dtype}; use a real array")
    return a


def _check_filters(filters, C_in, groups):
    f = _real_array(filters, "filters")
    if f.ndim != 3:
        raise ValueError(f"filters must be 3-D (K, C_in // groups, C_out), got shape {f.shape}")
    if f.shape[0] == 0:
        raise ValueError("filters must have at least one tap (K >= 1)")
    if C_in % groups:
        raise ValueError(f"groups={groups} does not divide the {C_in} input channels")
    if f.shape[1] != C_in // groups:
        raise ValueError(f"filters has shape {f.shape}; expected (K, {C_in // groups}, C_out) "
                         f"for {C_in} input channels in {groups} group(s)")
    if f.shape[2] % groups:
        raise ValueError(f"groups={groups} does not divide the {f.shape[2]} output channels "
                         f"of filters")
    return np.require(f, np.float64, ["C", "A"])  # C reads it by its data pointer


def _check_bias(bias, C_out):
    if bias is None:
        return None
    b = _real_array(bias, "bias")
    if b.shape != (C_out,):
        raise ValueError(f"bias has shape {b.shape}; expected ({C_out},)")
    return np.require(b, np.float64, ["C", "A"])


def _along(v, chan, ndim):
    """The vector v shaped to broadcast along axis `chan` of an ndim-D array."""
    shape = [1] * ndim
    shape[chan] = v.size
    return v.reshape(shape)
