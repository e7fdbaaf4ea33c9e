"""A slow, obviously-correct NumPy reference for axisconv.conv1d (docs/contract.md §6), in float64.

Written from docs/contract.md and TensorFlow's documented rules only: the padding is built as an
explicit index array (periodic rules of docs/contract.md §1, so pads longer than the line keep
extending), the input is gathered with it, and the sum is one einsum per group.
"""
import numpy as np

MODES = {  # every docs/contract.md §1 spelling -> canonical name
    "reflect": "reflect", "grid-mirror": "reflect", "symm": "reflect", "symmetric": "reflect",
    "mirror": "mirror", "reflect101": "mirror", "reflect_101": "mirror",
    "nearest": "nearest", "edge": "nearest", "replicate": "nearest",
    "wrap": "wrap", "grid-wrap": "wrap", "circular": "wrap", "periodic": "wrap",
    "constant": "constant", "grid-constant": "constant", "fill": "constant",
    "zeros": "constant",
}


def extended_index(i, n, mode):
    """Source index in [0, n) of position i of a line of n extended by `mode`; -1 = zero."""
    i = np.asarray(i)
    mode = MODES[mode.lower()]
    if mode == "constant":
        return np.where((i >= 0) & (i < n), i, -1)
    if mode == "nearest":
        return np.clip(i, 0, n - 1)
    if mode == "wrap":
        return np.mod(i, n)
    if mode == "reflect":                       # d c b a | a b c d | d c b a: period 2n
        r = np.mod(i, 2 * n)
        return np.where(r < n, r, 2 * n - 1 - r)
    if n == 1:                                  # mirror: c b | a b c d | c b: period 2n - 2
        return np.zeros_like(i)
    r = np.mod(i, 2 * n - 2)
    return np.where(r < n, r, 2 * n - 2 - r)


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


def conv1d_reference(x, filters, stride=1, padding="SAME", dilation=1, groups=1, bias=None,
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
    src = extended_index(pos, W, padding_mode) if W else np.full(pos.shape, -1)
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


def output_length(W, K, stride, padding, dilation):
    left, right = tf_padding(padding, W, K, stride, dilation)
    return max((W + left + right - (K - 1) * dilation - 1) // stride + 1, 0)
