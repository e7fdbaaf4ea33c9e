"""Memory layouts for the axisconv tests: arrays equal to given values in any memory order
(strided, reversed, Fortran, byte-swapped, unaligned) inside buffers whose gaps show a read or
a write that should not happen, and outputs large enough to be streamed past the caches."""
import numpy as np


def sentinel(dtype):
    dtype = np.dtype(dtype)
    if dtype.kind == "f":
        return np.nan
    if dtype.kind == "c":
        return complex(np.nan, np.nan)
    if dtype.kind == "b":
        return True
    return np.iinfo(dtype).max


def strided_view(values, perm=None, steps=None, fill=None):
    """Return an array equal to `values` whose memory layout is: axes stored
    in order `perm` (perm[0] outermost), step steps[i] (may be negative) along
    axis i, inside a base buffer filled with `fill` (default: NaN-like
    sentinel, so reading a gap shows up)."""
    values = np.asarray(values)
    nd = values.ndim
    perm = list(range(nd)) if perm is None else list(perm)
    steps = [1] * nd if steps is None else list(steps)
    base_shape = [max(values.shape[p], 0) * abs(steps[p]) for p in perm]
    base = np.empty(base_shape, values.dtype)
    base[...] = sentinel(values.dtype) if fill is None else fill
    sl = tuple(slice(None, None, steps[p]) for p in perm)
    v = base[sl]
    inv = np.argsort(perm)
    view = v.transpose(inv)
    assert view.shape == values.shape
    view[...] = values
    return view, base


def unaligned_copy(values):
    """A copy of `values` whose data pointer is NOT aligned to its itemsize."""
    values = np.ascontiguousarray(values)
    nbytes = values.nbytes
    buf = np.zeros(nbytes + 2, np.uint8)
    # make the data address odd => misaligned for any itemsize > 1
    off = 1 if buf.ctypes.data % 2 == 0 else 0
    a = np.ndarray(values.shape, values.dtype, buffer=buf, offset=off)
    a[...] = values
    assert not a.flags.aligned or values.itemsize == 1
    return a


LAYOUTS = ("C", "F", "reversed", "strided", "byteswapped", "unaligned")


def in_layout(values, layout):
    """An array equal to `values` in one of the memory orders of LAYOUTS: C or Fortran order,
    negative strides on every axis, a non-contiguous view with axes permuted and steps
    (gaps hold a NaN-like sentinel), non-native byte order, or an unaligned data pointer."""
    values = np.asarray(values)
    nd = values.ndim
    if layout == "C":
        return np.ascontiguousarray(values).copy()
    if layout == "F":
        return np.array(values, order="F")          # a copy, even where values is F-ordered
    if layout == "reversed":
        return strided_view(values, steps=[-1] * nd)[0]
    if layout == "strided":
        return strided_view(values, perm=list(range(nd))[::-1],
                            steps=[(2, -3, 1, -2)[i % 4] for i in range(nd)])[0]
    if layout == "byteswapped":
        return values.astype(values.dtype.newbyteorder("S"))
    assert layout == "unaligned", layout
    return unaligned_copy(values)


# Outputs for the `stores` fixture (streamed or plain stores): widths that are no multiple of a
# vector, tall enough for several work items.
STORED_SHAPES = {np.dtype(np.float32): (301, 517), np.dtype(np.float64): (263, 401)}


def out_at_offset(shape, dtype, offset):
    """An array of `shape` (C order) whose data starts `offset` bytes past a 64-byte boundary
    (rounded up to a multiple of the element size), inside a larger buffer.  Returns it and
    a function telling whether every byte of the buffer around it is as it was."""
    dtype = np.dtype(dtype)
    offset = -(-offset // dtype.itemsize) * dtype.itemsize
    nbytes = int(np.prod(shape)) * dtype.itemsize
    raw = np.random.default_rng(offset).integers(0, 256, nbytes + 256, dtype=np.uint8)
    start = (-raw.ctypes.data) % 64 + 64 + offset
    out = raw[start:start + nbytes].view(dtype).reshape(shape)
    before, after = raw[:start].copy(), raw[start + nbytes:].copy()

    def untouched():
        return (raw[:start] == before).all() and (raw[start + nbytes:] == after).all()
    return out, untouched
