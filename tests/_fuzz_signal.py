"""Random calls of the scipy.signal family (correlate2d, convolve2d, separate, axisconv.on1d)
and of the conv1d layer, for the fuzz test (test_fuzz.py; see _fuzz_cases.py)."""
import itertools

import numpy as np

import axisconv
from axisconv import on1d
from _axc_testing import canonical_mode, result_dtype
from _fuzz_args import SPECIALS
from _fuzz_cases import (LINE_MODES, Case, data_arg, effective_dtype, kernel_arg, snapshot,
                         values_of)
from _peer_refs import (abs_sum, conv1d_reference, factor_sum, finite_max, lag_matrix, on1d_ref,
                        output_length, plane_ref, taps_at_risk, tolerance)

# --- the scipy.signal family ---------------------------------------------------------------

SIZES = ["full", "same", "valid"]
BOUNDARIES = ["fill", "constant", "grid-constant", "zeros", "symm", "symmetric", "reflect",
              "wrap", "circular", "periodic", "mirror", "reflect101", "nearest", "edge"]


def _plane_kernel(d, shape, complex_ok=True):
    """A 2-D kernel: random, integer-valued, or low rank (so the split paths run too)."""
    form = d.weighted({"random": 3, "rank1": 2, "rank2": 1})
    k, kdt = kernel_arg(d, "kernel", shape, complex_ok)
    if kdt is not None and kdt.kind == "f" and form != "random" and min(shape) > 1:
        rows = [np.outer(d.values((shape[0],), kdt, 0, 1e3, tiny=1e-15),
                         d.values((shape[1],), kdt, 0, 1e3, tiny=1e-15))
                for _ in range(1 if form == "rank1" else 2)]
        k = np.asarray(sum(rows)).astype(kdt)
        if d.p(0.3):
            k.flat[d.int_in(0, k.size - 1)] = d.one(SPECIALS)
            d.nonfinite = True
            d.infinite |= bool(np.isinf(k).any())
    return k, kdt


def _fill_scalar(fillvalue, dtype):
    """The fill value as scipy converts it (through NumPy)."""
    v = complex(np.asarray(fillvalue, np.complex128).reshape(()))
    return v if np.dtype(dtype).kind == "c" else v.real


def _signal_args(d, x_shape, kshape, result_complex, H=None):
    """(kwargs, size, boundary, fillvalue) for the scipy.signal family; 'valid' on shapes it
    refuses makes the mode bad."""
    kw = {}
    size, boundary, fillvalue = "full", "fill", 0
    if d.p(0.8):
        size = kw["mode"] = d.spelling("mode", "full", SIZES)
    if d.p(0.7):
        boundary = kw["boundary"] = d.spelling("boundary", "fill", BOUNDARIES)
    if d.p(0.6):
        fillvalue = kw["fillvalue"] = d.fillvalue(result_complex)
    if d.p(0.3):
        kw["threads"] = d.threads()
    if (isinstance(size, str) and size.lower() == "valid" and "mode" not in d.bad
            and len(x_shape) >= (1 if H is not None else 2)):
        h, w = (H if H is not None else x_shape[-2]), x_shape[-1]
        kh, kwd = kshape
        if not (h >= kh and w >= kwd or h <= kh and w <= kwd):
            d.bad.add("mode")
    return kw, str(size).lower(), boundary, fillvalue


def plane_case(d, fname):
    func = getattr(axisconv, fname)
    x, xdt = data_arg(d, "x", {0: 0.05, 1: 0.2, 2: 5, 3: 1, 4: 0.3}, small=True)
    if np.ndim(x) < 2:
        d.bad.add("x")
    kshape = (d.weighted({1: 1, d.int_in(2, 5): 5, d.int_in(6, 9): 1}),
              d.weighted({1: 1, d.int_in(2, 5): 5, d.int_in(6, 9): 1}))
    k, kdt = _plane_kernel(d, kshape)
    dtype = result_dtype(xdt, kdt) if xdt is not None and kdt is not None else None
    kw, size, boundary, fillvalue = _signal_args(d, np.shape(x), kshape,
                                                 dtype is not None and dtype.kind == "c")
    shape = np.shape(x)
    if (len(shape) >= 2 and 0 in shape[-2:] and size != "valid" and "boundary" not in d.bad
            and canonical_mode(boundary.lower(), 0)[0] != "constant"):
        d.maybe.add("boundary")  # an empty image: only 'fill' defines its outputs
    case = Case(func, (x, k), kw, d, inputs=[("x", x, snapshot(x)), ("kernel", k, snapshot(k))])

    def expect():
        xv, kv = values_of(x), values_of(k)
        canon, f = canonical_mode(boundary.lower(), _fill_scalar(fillvalue, dtype))
        want = plane_ref(fname, xv, kv, size, canon, f)
        scale = factor_sum(kv) * finite_max(xv, f)
        return [(want, dtype, tolerance(dtype, kv.size, scale), False,
                 taps_at_risk([kv], dtype))]
    case.expect = expect
    return case


def _row_sums(k):
    """The column sums of every set of the kernel's rows: on1d sums the rows that meet the
    same samples into one line's kernel."""
    rows = range(k.shape[0])
    with np.errstate(invalid="ignore"):
        return [k[list(s)].sum(0) for n in range(2, len(rows) + 1)
                for s in itertools.combinations(rows, n)]


def on1d_case(d, fname):
    func = getattr(on1d, fname)
    x, xdt = data_arg(d, "x", {0: 0.05, 1: 4, 2: 1, 3: 0.3}, small=True)
    if np.ndim(x) < 1:
        d.bad.add("x")
    kshape = (d.int_in(1, 5), d.weighted({1: 1, d.int_in(2, 6): 5, d.int_in(7, 14): 1}))
    k, kdt = _plane_kernel(d, kshape)
    dtype = result_dtype(xdt, kdt) if xdt is not None and kdt is not None else None
    rows, lag, combine, args = 1, 1, "stack", ()
    if fname in ("replicated", "lagged"):
        rows = d.integer("rows", 1, 6, bounded=False)
        if "rows" not in d.bad and d.p(0.01):
            rows = 2**62
            d.bad.add("rows")  # a result beyond memory
        if "rows" in d.bad and isinstance(rows, int) and rows > 6:
            d.maybe.add("mode")  # 'valid' on an input that tall may be refused first
        args = (rows,)
    if fname == "lagged" and d.p(0.8):
        lag = d.weighted([(d.int_in(-4, 4), 10), (2**62, 1), (-2**63, 1), (2**70, 0.3)])
        if d.p(0.05):
            lag = d.one([1.5, None, np.array([1]), "1"])
            d.bad.add("lag")
        args = (rows, lag)
    H = int(rows) if fname in ("replicated", "lagged") and "rows" not in d.bad else 1
    kw, size, boundary, fillvalue = _signal_args(
        d, np.shape(x)[-1:] and (H,) + np.shape(x)[-1:],
        (1, kshape[1]) if fname == "filter_bank" else kshape,  # one kernel row at a time
        dtype is not None and dtype.kind == "c", H=H)
    if fname == "filter_bank" and d.p(0.6):
        combine = kw["combine"] = d.spelling("combine", "stack",
                                             ["stack", "concat", "sum", "mean", "max"])
        if isinstance(combine, str) and combine.lower() == "max" and dtype is not None \
                and dtype.kind == "c":
            d.bad.add("combine")
    if (np.shape(x)[-1:] == (0,) and 0 not in np.shape(x)[:-1] and size == "full"
            and kshape[1] > 1 and "boundary" not in d.bad
            and canonical_mode(boundary.lower(), 0)[0] != "constant"):
        d.bad.add("boundary")  # an empty signal: only 'fill' defines a full output's columns
    case = Case(func, (x, k) + args, kw, d,
                inputs=[("x", x, snapshot(x)), ("kernel", k, snapshot(k))])

    def expect():
        xv, kv = values_of(x), values_of(k)
        canon, f = canonical_mode(boundary.lower(), _fill_scalar(fillvalue, dtype))
        comb = str(combine).lower()
        lag_ = int(max(-10**6, min(lag, 10**6)))
        want = on1d_ref(fname, xv, kv, size, canon, f, int(rows), lag_, comb)
        summed = fname != "filter_bank" or comb in ("sum", "mean")
        scale = abs_sum(kv) * finite_max(xv, f)
        at_risk = taps_at_risk([kv] + _row_sums(kv), dtype)  # the lines' kernels
        return [(want, dtype, tolerance(dtype, kv.size, scale), summed and d.infinite, at_risk)]
    case.expect = expect
    return case


# --- the layer -----------------------------------------------------------------------------

def conv1d_case(d):
    fmt = d.spelling("data_format", "NWC", ["NWC", "NCW"]) if d.p(0.5) else "NWC"
    nd = d.weighted({1: 0.1, 2: 3, 3: 3, 4: 1})
    groups = d.weighted({1: 6, 2: 1, 3: 0.5})
    c_in = groups * d.int_in(1, 3)
    c_out = groups * d.int_in(1, 3)
    if d.p(0.2):
        groups, c_in, c_out = 1, 1, 1
    dt = d.dtype("x", complex_ok=False)
    fmt_ok = isinstance(fmt, str) and fmt.upper() in ("NWC", "NCW")
    chan = (nd - 1 if not fmt_ok or fmt.upper() == "NWC" else nd - 2)
    shape = list(d.shape(nd, small=True))
    if 0 <= chan < nd:
        shape[chan] = c_in if d.p(0.97) else c_in + 1  # a mismatch: filters is then bad
    x = d.layout(d.values(tuple(shape), dt))
    dt = effective_dtype(x, dt)
    if nd < 2:
        d.bad.add("x")
    K = d.weighted({1: 1, d.int_in(2, 5): 5, d.int_in(6, 12): 1})
    f, _ = kernel_arg(d, "filters", (K, c_in // groups, c_out), complex_ok=False)
    if nd >= 2 and 0 <= chan < nd and shape[chan] != c_in:
        d.bad.add("filters")
        d.maybe.add("groups")  # may not divide x's channels then
    kw = {}
    if fmt != "NWC":
        kw["data_format"] = fmt
    for name in ("stride", "dilation"):
        if d.p(0.4):
            kw[name] = d.integer(name, 1, 4, bounded=False)
    if d.p(0.3):
        kw["groups"] = d.integer("groups", groups, groups)
    elif groups != 1:
        kw["groups"] = groups
    if "groups" in d.bad:
        d.maybe.add("filters")
    padding = "SAME"
    if d.p(0.6):
        r = d.rng.random()
        if r < 0.6:
            padding = d.spelling("padding", "SAME", ["SAME", "VALID"])
            if type(padding) is int:  # not a name, but a legal padding
                d.bad.discard("padding")
        elif r < 0.8:
            padding = d.integer("padding", 0, 5, bounded=False)
        else:
            padding = (d.integer("padding", 0, 4, False), d.integer("padding", 0, 4, False))
            padding = list(padding) if d.p(0.3) else padding
            if d.p(0.1):
                d.bad.add("padding")
                padding = d.one([(1,), (1, 2, 3), np.array([1, 1]), []])
        kw["padding"] = padding
    mode = "constant"
    if d.p(0.5):
        mode = kw["padding_mode"] = d.spelling("padding_mode", "constant", LINE_MODES)
    axis = None
    if d.p(0.3) and nd >= 2:
        axis = kw["axis"] = d.integer("axis", -nd, nd - 1)
        if axis is None:  # the default
            d.bad.discard("axis")
        elif "axis" not in d.bad and int(axis) % nd == chan:
            d.bad.add("axis")
    bias = None
    if d.p(0.4):
        bias = kw["bias"] = d.values((c_out,), d.weighted({np.float64: 3, np.float32: 1,
                                                          np.int16: 1}), 0.1, 1e3)
        if d.p(0.05):
            d.bad.add("bias")
            bias = kw["bias"] = d.one([np.ones(c_out + 1), np.ones((1, c_out)), [1j] * c_out,
                                       [[1.0], [1.0, 2.0]]])
    if d.p(0.3):
        kw["threads"] = d.threads()
    dtype = None if "x" in d.bad else (np.dtype(np.float32) if dt == np.float32
                                       else np.dtype(np.float64))
    out_shape = None
    if not d.bad:
        stride, dil = int(kw.get("stride", 1)), int(kw.get("dilation", 1))
        sp = chan - 1 if (axis is None and chan == nd - 1) else (nd - 1 if axis is None
                                                                 else int(axis) % nd)
        pad = padding if isinstance(padding, str) else (
            tuple(int(p) for p in padding) if isinstance(padding, (tuple, list)) else int(padding))
        W = shape[sp]
        W_out = output_length(W, K, stride, pad, dil)
        out_shape = list(shape)
        out_shape[sp], out_shape[chan] = W_out, c_out
        if W == 0 and W_out > 0 and canonical_mode(mode, 0)[0] != "constant":
            d.bad.add("padding_mode")
    if out_shape is not None or d.p(0.5):
        out = d.out(x, out_shape, dtype if out_shape is not None else None)
        if out is not None:
            kw["out"] = out
    case = Case(axisconv.conv1d, (x, f), kw, d,
                inputs=[("x", x, snapshot(x)), ("filters", f, snapshot(f))])

    def expect():
        xv, fv = values_of(x), values_of(f)
        b = None if bias is None else values_of(bias)
        pad = padding if isinstance(padding, str) else kw["padding"]
        with np.errstate(invalid="ignore"):
            want = conv1d_reference(xv, fv, stride=int(kw.get("stride", 1)), padding=pad,
                                    dilation=int(kw.get("dilation", 1)), groups=groups, bias=b,
                                    data_format=fmt.upper(),
                                    axis=None if axis is None else int(axis),
                                    padding_mode=canonical_mode(mode, 0)[0])
        scale = max(abs_sum(fv[:, :, o]) for o in range(fv.shape[2])) * finite_max(xv) + finite_max(
            b if b is not None else 0)
        at_risk = any(taps_at_risk([fv[:, c, o]], dtype) for c in range(fv.shape[1])
                      for o in range(fv.shape[2]))
        return [(want, dtype, tolerance(dtype, fv.shape[0] * fv.shape[1] + 1, scale), False,
                 at_risk)]
    case.expect = expect
    return case




def separate_case(d):
    k, kdt = kernel_arg(d, "kernel", (d.int_in(1, 6), d.int_in(1, 6)))
    kw = {}
    if d.p(0.3):
        if d.p(0.15):
            d.bad.add("tol")
            kw["tol"] = d.one([-1.0, np.nan, "0.1", [0.1], True, np.array(0.1)])
        else:
            kw["tol"] = d.one([0.0, 1e-12, 0.5, 10.0, np.float32(1e-3), 3, np.inf])
    if kdt is not None and not np.isfinite(values_of(k)).all():
        d.bad.add("kernel")
    case = Case(axisconv.separate, (k,), kw, d, inputs=[("kernel", k, snapshot(k))])

    def expect():
        kv = values_of(k)
        s = np.linalg.svd(kv, compute_uv=False)
        eps = np.finfo(kdt if kdt.kind in "fc" else np.float64).eps
        tol = float(kw.get("tol", max(kv.shape) * eps * (s[0] if s.size else 0.0)))
        dropped = float(np.sqrt(np.sum(s[s <= tol] ** 2))) if np.isfinite(tol) else s[0]
        atol = dropped + 64 * max(kv.shape) * float(np.finfo(float).eps) * finite_max(kv)
        return [("separate", kv, atol)]
    case.expect = expect
    return case


def lag_matrix_case(d):
    dt = d.weighted({np.float64: 3, np.float32: 2, np.int16: 1, np.complex64: 1, object: 0.2,
                     "U2": 0.2})
    x = d.layout(d.values(d.shape(d.weighted({0: 0.1, 1: 4, 2: 1})), np.dtype(dt)))
    if np.ndim(x) == 0:
        d.bad.add("x")
    rows = d.integer("rows", 1, 6, bounded=False)
    lag = d.weighted([(d.int_in(-4, 4), 10), (2**62, 1), (-2**64, 1)])
    if d.p(0.05):
        d.bad.add("lag")
        lag = d.one([1.5, None, np.array([1]), "1"])
    if "rows" not in d.bad and d.p(0.02):
        d.bad.add("rows")
        rows = d.one([2**62, 2**40 * 2**23])
    case = Case(on1d.lag_matrix, (x, rows, lag), {}, d, inputs=[("x", x, snapshot(x))])

    def expect():
        xa = np.asarray(x.data if isinstance(x, np.ma.MaskedArray) else x)
        return [("exact", lag_matrix(xa, int(rows), int(max(-10**6, min(int(lag), 10**6)))))]
    case.expect = expect
    return case
