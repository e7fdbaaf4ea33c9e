"""conv1d (docs/contract.md §6), slowly, in float64.

Written from docs/contract.md and TensorFlow's documented rules only: the padding is built as an
explicit index array (reference.modes, so pads longer than the line keep extending), the input
is gathered with it, and the sum is one einsum per group.
"""
import numpy as np

from .modes import source_index


def tf_padding(padding, W, K, stride, dilation):
    """(left, right) as TensorFlow computes them."""
    if isinstance(padding, str):
        if padding.upper() == "VALID":
            return 0, 0
        out = -(-W // stride)
        total = max((out - 1) * stride + (K - 1) * dilation + 1 - W, 0)
        return total // 2, total - total // 2
    if isinstance(padding, (tuple, list)):
        return int(padding[0]), int(padding[1])
    return int(padding), int(padding)


def conv1d(x, filters, stride=1, padding="SAME", dilation=1, groups=1, bias=None,
           data_format="NWC", axis=None, padding_mode="constant"):
    """axisconv.conv1d's result, computed in float64."""
    x = np.asarray(x, np.float64)
    filters = np.asarray(filters, np.float64)
    nd = x.ndim
    chan = nd - 1 if data_format.upper() == "NWC" else nd - 2
    if axis is None:
        axis = nd - 2 if chan == nd - 1 else nd - 1
    axis %= nd
    # Bring the layout to (batch..., W, C): the reference may copy.
    xm = np.moveaxis(x, (axis, chan), (-2, -1))
    W, C_in = xm.shape[-2:]
    K, Cg, C_out = filters.shape
    left, right = tf_padding(padding, W, K, stride, dilation)
    span = (K - 1) * dilation + 1
    W_out = max((W + left + right - span) // stride + 1, 0)
    pos = np.arange(W_out)[:, None] * stride - left + np.arange(K)[None, :] * dilation
    src = source_index(pos, W, padding_mode)
    padded = np.concatenate([xm, np.zeros(xm.shape[:-2] + (1, C_in))], axis=-2)
    taps = padded[..., np.where(src < 0, W, src), :]          # (batch..., W_out, K, C_in)
    Cog = C_out // groups
    y = np.empty(xm.shape[:-2] + (W_out, C_out))
    for g in range(groups):
        ins, outs = slice(g * Cg, (g + 1) * Cg), slice(g * Cog, (g + 1) * Cog)
        y[..., outs] = np.einsum("...wkc,kco->...wo", taps[..., ins], filters[:, :, outs])
    if bias is not None:
        y += np.asarray(bias, np.float64)
    return np.moveaxis(y, (-2, -1), (axis, chan))

