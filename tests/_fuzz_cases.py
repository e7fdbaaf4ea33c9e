"""One random call of a public function, with what must come of it (test_fuzz.py): the call,
the arguments that make it bad (an error must name one), and the reference its result must
equal otherwise (_peer_refs.py).  The scipy.ndimage family here, the scipy.signal family and
the layer in _fuzz_signal.py.
"""
import itertools
from dataclasses import dataclass, field

import numpy as np

import axisconv
from _axc_testing import canonical_mode, result_dtype
from _fuzz_args import Draw
from _peer_refs import abs_sum, finite_max, line_ref, taps_at_risk, tolerance
from reference import integer as int_ref

from axisconv import _fixed

LINE_MODES = ["reflect", "grid-mirror", "symm", "symmetric", "BORDER_REFLECT", "mirror",
              "reflect101", "reflect_101", "BORDER_REFLECT_101", "BORDER_DEFAULT", "nearest",
              "edge", "replicate", "wrap", "grid-wrap", "circular", "periodic", "constant",
              "grid-constant", "fill", "BORDER_CONSTANT", "zeros"]


@dataclass
class Case:
    func: object
    args: tuple
    kwargs: dict
    draw: Draw
    expect: object = None          # () -> [(want, dtype, atol, inf_for_nan)], any may match
    inputs: list = field(default_factory=list)   # (name, argument, copy): must not change

    def __repr__(self):
        def short(v):
            if isinstance(v, np.ndarray):
                text = np.array2string(np.asarray(v), threshold=12, edgeitems=2, precision=3)
                return (f"{type(v).__name__}(shape={v.shape}, dtype={v.dtype}, "
                        f"strides={v.strides}, {' '.join(text.split())})")
            return repr(v)
        args = ", ".join([short(a) for a in self.args]
                         + [f"{k}={short(v)}" for k, v in self.kwargs.items()])
        return f"{getattr(self.func, '__module__', '')}.{self.func.__name__}({args})"


def values_of(arg):
    """The values the reference computes from (float64 / complex128), or None."""
    try:
        a = np.asarray(arg.data if isinstance(arg, np.ma.MaskedArray) else arg)
    except ValueError:
        return None
    if a.dtype.kind not in "biufc":
        return None
    return a.astype(np.complex128 if a.dtype.kind == "c" else np.float64)


def data_arg(d, name, ndims, complex_ok=True, zero_ok=True, small=False):
    """(argument, dtype or None if bad) for an input array of one of `ndims` dimensions."""
    dt = d.dtype(name, complex_ok)
    a = d.layout(d.values(d.shape(d.weighted(ndims), zero_ok, small), dt))
    return a, (None if name in d.bad else effective_dtype(a, dt))


def effective_dtype(arg, dtype):
    """The dtype an argument reaches the library with (nested lists become float64)."""
    return np.asarray(arg).dtype if isinstance(arg, list) else np.dtype(dtype)


def kernel_arg(d, name, shape, complex_ok=True, form=None, one_of_many=False):
    """(argument, dtype or None if bad): a kernel of `shape`, or a bad one (for the one kernel
    of several axes, nothing that reads as one kernel per axis; for an entry of the list of
    per-axis kernels, `one_of_many="entry"`, no number, which the list would read as a tap)."""
    if d.p(0.05):
        d.bad.add(name)
        many = [] if one_of_many is True else [np.ones(shape + (2,)), [[1.0], [1.0, 2.0]]]
        scalar = [] if one_of_many == "entry" else [2.0]  # numbers in a list make a kernel
        return d.one([[], np.ones((0,) + shape[1:]), None, ["a", "b"]] + scalar + many), None
    dt = d.dtype(name, complex_ok, kernel=True)
    # Taps are cast to the result's dtype (docs/contract.md §2): ones that are subnormal in
    # float64 would be zeros for float32 data where scipy's float64 sums keep them.
    k = d.values(shape, dt, specials=0.15, big=1e3, full_range=False, tiny=1e-30)
    form = form or d.weighted({"random": 5, "symmetric": 2, "antisymmetric": 1, "zeros": 1})
    if dt.kind in "fc" and k.ndim == 1 and form in ("symmetric", "antisymmetric"):
        with np.errstate(invalid="ignore"):
            k = k + k[::-1] if form == "symmetric" else k - k[::-1]
    if dt.kind in "fciu" and form == "zeros" and k.size > 1:
        k.flat[d.int_in(0, k.size - 1)] = 0
    k = d.layout(k)
    return k, (None if name in d.bad else effective_dtype(k, dt))


# --- the scipy.ndimage family --------------------------------------------------------------

def line_case(d, fname):
    func = getattr(axisconv, fname)
    x, xdt = data_arg(d, "x", {0: 0.1, 1: 3, 2: 4, 3: 2, 4: 0.5})
    nd = np.ndim(x)
    if nd == 0:
        d.bad.add("x")
    n_line = max(np.shape(x) or (1,))
    K = d.weighted({1: 1, d.int_in(2, 9): 6, d.int_in(10, 40): 1, n_line + d.int_in(1, 9): 1})
    k, kdt = kernel_arg(d, "kernel", (K,))
    kw = {}
    axis = -1
    if d.p(0.6):
        axis = kw["axis"] = d.integer("axis", -max(nd, 1), max(nd - 1, 0))
    origin = 0
    if d.p(0.4):
        if kdt is None:
            d.maybe.add("origin")
        origin = kw["origin"] = d.integer("origin", -(K // 2), (K - 1) // 2)
    mode = "reflect"
    if d.p(0.7):
        mode = kw["mode"] = d.spelling("mode", "reflect", LINE_MODES)
    cval = 0.0
    complex_x = xdt is not None and xdt.kind == "c"
    if d.p(0.5) or (isinstance(mode, str) and mode.lower() in ("constant", "fill")):
        cval = kw["cval"] = d.constant("cval", complex_x)
    if d.p(0.3):
        kw["threads"] = d.threads()
    dtype = result_dtype(xdt, kdt) if xdt is not None and kdt is not None else None
    kw_out = d.out(x, np.shape(x), dtype, integer_ok=True)
    if kw_out is not None or d.p(0.1):
        kw["out"] = kw_out
    if d.integer_out is not None:
        check_integer_request(d, "kernel", [k], [mode], cval)
    case = Case(func, (x, k), kw, d, inputs=[("x", x, snapshot(x)), ("kernel", k, snapshot(k))])

    def expect():
        canon, c = canonical_mode(str(mode), cval)
        xv, kv = values_of(x), values_of(k)
        want = line_ref(fname, xv, kv, int(axis), canon, complex(c) if complex_x else
                        float(np.real(c)), int(origin))
        if d.integer_out is not None:
            return [integer_want(want, [correlation(fname, kv)], xdt, d.integer_out, [canon])]
        scale = abs_sum(kv) * finite_max(xv, c)
        return [(want, dtype, tolerance(dtype, K, scale), False, taps_at_risk([kv], dtype))]
    case.expect = expect
    return case


# --- integer results (an integer x filtered in place: issue 17) ----------------------------

def check_integer_request(d, kname, kernels, modes, cval, n_axes=1):
    """What an integer result refuses: complex or non-finite taps, more than two axes, a
    used constant that is not an integer of x's range."""
    if d.bad & {kname, "x"}:
        return  # already bad: errors may name any of them
    if any(np.iscomplexobj(k) or not np.isfinite(values_of(k)).all() for k in kernels):
        d.bad.add(kname)
    elif max(np.abs(values_of(k)).max() for k in kernels) >= 2 ** 30:
        d.maybe.add(kname)  # taps too large for 32-bit integers
    if n_axes > 2:
        d.bad.add("axes")
    if "mode" in d.bad:
        return
    used = any(canonical_mode(str(m))[0] == "constant" and str(m).lower() != "zeros"
               for m in modes)
    if used and "cval" not in d.bad:
        c = np.asarray(cval).reshape(()).item() if np.size(cval) == 1 else cval
        lo, hi = _fixed.RANGE[d.integer_out]
        if not (np.isfinite(c) and c == int(c) and lo <= c <= hi):
            d.bad.add("cval")


def correlation(fname, kv):
    return kv[::-1] if fname.startswith("convolve") else kv


def integer_want(float_want, kernels, in_dtype, out_dtype, modes):
    """docs: |y - clip(Y)| <= 1/2 + E, E the reference's box bound of the quantised
    kernels (their F the library's plan: its choice is tested in test_integer_plan.py)."""
    lo, hi = _fixed.RANGE[np.dtype(in_dtype)]
    if len(kernels) == 1:
        F = _fixed.plan_single(kernels[0], in_dtype, out_dtype).shifts[0]
        E = int_ref.box_bound(kernels[0], int_ref.quantise(kernels[0], F), F, lo, hi)
    else:
        k1, k2 = kernels
        F1, F2 = _fixed.plan_separable(k1, k2, in_dtype, out_dtype, 0 if modes[1] ==
                                       "constant" else None).shifts
        E = int_ref.separable_bound(k1, k2, int_ref.quantise(k1, F1),
                                    int_ref.quantise(k2, F2), F1, F2, lo, hi)
    olo, ohi = _fixed.RANGE[np.dtype(out_dtype)]
    return np.clip(float_want, olo, ohi), out_dtype, 0.5 + float(E) + 1e-9, False, None


def separable_case(d, fname):
    func = getattr(axisconv, fname)
    x, xdt = data_arg(d, "x", {0: 0.1, 1: 1, 2: 5, 3: 2, 4: 0.5}, small=True)
    nd = np.ndim(x)
    if nd == 0:
        d.bad.add("x")
    axes_list = list(range(max(nd - 2, 0), nd))
    kw = {}
    if d.p(0.5) and nd:
        n = d.int_in(1, nd)
        axes_list = [int(a) for a in d.rng.permutation(nd)[:n]]
        axes_list = [a - nd if d.p(0.3) else a for a in axes_list]
        kw["axes"] = d.weighted([(tuple(axes_list), 2), (list(axes_list), 2),
                                 (np.array(axes_list), 1),
                                 (axes_list[0] if n == 1 else tuple(axes_list), 1)])
        if d.p(0.08):
            d.bad.add("axes")
            kw["axes"] = d.one([[], [0, 0] if nd else [0], [nd], [-nd - 1], [1.0], "0",
                                [np.array([0])]])
    n_axes = max(len(axes_list), 1)
    Ks = [d.weighted({1: 1, d.int_in(2, 7): 6, d.int_in(8, 20): 1}) for _ in range(n_axes)]
    if d.p(0.5) or n_axes == 1:  # one kernel for every axis
        Ks = [Ks[0]] * n_axes
        k, kdt = kernel_arg(d, "kernels", (Ks[0],), one_of_many=True)
        kernels, karg = [k] * n_axes, k
    else:
        pairs = [kernel_arg(d, "kernels", (K,), one_of_many="entry") for K in Ks]
        kernels, kdt = [p[0] for p in pairs], (None if "kernels" in d.bad else
                                               np.result_type(*[p[1] for p in pairs]))
        karg = kernels
        if d.p(0.05):
            d.bad.add("kernels")
            karg = kernels + [kernels[0]]
        elif len(set(Ks)) == 1 and kdt is not None and d.p(0.3):
            karg = np.array([np.asarray(k) for k in kernels])
            kernels = list(karg)  # one dtype for all (complex with zeros, say)
    if "axes" in d.bad:
        d.maybe.update(["kernels", "mode", "origin"])
    modes = ["reflect"] * n_axes
    if d.p(0.7):
        if d.p(0.5):
            modes = [d.spelling("mode", "reflect", LINE_MODES, True) for _ in range(n_axes)]
            kw["mode"] = modes if d.p(0.7) else tuple(modes)
        else:
            kw["mode"] = d.spelling("mode", "reflect", LINE_MODES, True)
            modes = [kw["mode"]] * n_axes
    origins = [0] * n_axes
    if d.p(0.4):
        if kdt is None:
            d.maybe.add("origin")
        if d.p(0.5):
            origins = [d.integer("origin", -(K // 2), (K - 1) // 2, sequence_ok=True) for K in Ks]
            kw["origin"] = origins
        else:
            lo, hi = max(-(K // 2) for K in Ks), min((K - 1) // 2 for K in Ks)
            kw["origin"] = d.integer("origin", lo, hi, sequence_ok=n_axes == 1)
            origins = [kw["origin"]] * n_axes
    cval = 0.0
    complex_x = xdt is not None and xdt.kind == "c"
    if d.p(0.5):
        cval = kw["cval"] = d.constant("cval", complex_x)
    if d.p(0.3):
        kw["threads"] = d.threads()
    dtype = result_dtype(xdt, kdt) if xdt is not None and kdt is not None else None
    kw_out = d.out(x, np.shape(x), dtype, integer_ok=True)
    if kw_out is not None:
        kw["out"] = kw_out
    if d.integer_out is not None:
        check_integer_request(d, "kernels", kernels, modes, cval, n_axes)
    case = Case(func, (x, karg), kw, d, inputs=[("x", x, snapshot(x))])

    def expect():
        xv, kvs = values_of(x), [values_of(k) for k in kernels]
        f1 = "correlate1d" if fname == "correlate_separable" else "convolve1d"
        c = complex(cval) if complex_x else float(np.real(cval))
        passes = [(kv, int(a) % nd) + canonical_mode(str(m), c) + (int(o),)
                  for kv, a, m, o in zip(kvs, axes_list, modes, origins)]
        scale, m = 0.0, finite_max(xv)
        for kv in kvs:  # each pass pads what the one before gave with cval
            m = abs_sum(kv) * max(m, finite_max(c))
            scale += m
        atol = tolerance(dtype, sum(Ks), scale, np.prod([1 + abs_sum(k) for k in kvs]))
        # Non-finite taps make the order of the passes matter; the fused pass's order
        # depends on the strides (docs/contract.md §3): here any order is accepted.
        finite = all(np.isfinite(k).all() for k in kvs)
        if d.integer_out is not None:
            r = xv
            for kv, a, m, cv, o in passes:  # exact sums: any order
                r = line_ref(f1, r, kv, a, m, cv, o)
            return [integer_want(r, [correlation(fname, kv) for kv in kvs], xdt,
                                 d.integer_out, [p[2] for p in passes])]
        wants = []
        for order in [passes] if finite else itertools.permutations(passes):
            r, unsure = xv, np.zeros(np.shape(xv), bool)
            for i, (kv, a, m, cv, o) in enumerate(order):
                # docs/contract.md §8: a sum that scipy cancels to 0 may leave the rounding
                # residue of a fused multiply-add; an inf tap of a later pass then gives
                # +-inf where scipy's 0 * inf is NaN.
                if i and not np.isfinite(kv).all():
                    near = (np.abs(r.real) <= atol) | (np.abs(np.imag(r)) <= atol)
                    unsure |= near
                if unsure.any():
                    ones = np.ones(kv.shape)
                    unsure = line_ref(f1, unsure.astype(float), ones, a, m, 0.0, o) > 0
                r = line_ref(f1, r, kv, a, m, cv, o)
            wants.append((r, dtype, atol, False, unsure | taps_at_risk(kvs, dtype)))
        return wants
    case.expect = expect
    return case


def snapshot(a):
    """A copy of an argument, to check it was not written (lists compare as they are)."""
    if isinstance(a, np.ndarray):
        return a.copy()
    return a
