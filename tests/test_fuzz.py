"""The fuzz test (issue 11, item 9): every public function called with random plausible and
hostile arguments -- shapes with zeros and ones, huge, negative and non-integer axes and
origins, kernels of every dtype and shape, NaN and inf, `out` wrong, read-only, overlapping,
unaligned, byte-swapped or a subclass, odd spellings of modes, absurd thread counts, strides
and layer parameters (_fuzz_args.py, _fuzz_cases.py).  Each call must end in one of two ways:

* a ValueError or TypeError whose message names an argument that was drawn bad, or
* a result equal to the peer's reference (_peer_refs.py: scipy.ndimage, scipy.signal, the
  NumPy conv1d reference): the same dtype and shape, the same NaN and +-inf pattern (on1d's
  documented summed taps aside), finite values within eps-scaled bounds, `out` returned and
  nothing outside it written, the inputs unchanged.

Anything else -- another exception, a NumPy-internal message, a RuntimeWarning leaking out
of the library, a crash -- fails.  The cases are seed-driven and reproducible: a failure
prints the case's seed and the call.

    AXISCONV_FUZZ_CASES    total calls, spread over the functions (default 5200)
    AXISCONV_FUZZ_SEED     base seed (default 2026)
    AXISCONV_FUZZ_START    first case index (to resume or split a long run)
"""
import os
import warnings

import numpy as np
import pytest

from _axc_testing import names
from _fuzz_args import Draw
from _fuzz_cases import line_case, separable_case
from _fuzz_signal import conv1d_case, lag_matrix_case, on1d_case, plane_case, separate_case
from _peer_refs import mismatch

BUILDERS = {
    "correlate1d": lambda d: line_case(d, "correlate1d"),
    "convolve1d": lambda d: line_case(d, "convolve1d"),
    "correlate_separable": lambda d: separable_case(d, "correlate_separable"),
    "convolve_separable": lambda d: separable_case(d, "convolve_separable"),
    "correlate2d": lambda d: plane_case(d, "correlate2d"),
    "convolve2d": lambda d: plane_case(d, "convolve2d"),
    "separate": separate_case,
    "single_row": lambda d: on1d_case(d, "single_row"),
    "replicated": lambda d: on1d_case(d, "replicated"),
    "lagged": lambda d: on1d_case(d, "lagged"),
    "filter_bank": lambda d: on1d_case(d, "filter_bank"),
    "lag_matrix": lag_matrix_case,
    "conv1d": conv1d_case,
}

CASES = int(os.environ.get("AXISCONV_FUZZ_CASES", "5200"))
SEED = int(os.environ.get("AXISCONV_FUZZ_SEED", "2026"))
START = int(os.environ.get("AXISCONV_FUZZ_START", "0"))
FUNCS = list(BUILDERS)


def build(fname, index):
    rng = np.random.default_rng([SEED, FUNCS.index(fname), index])
    return BUILDERS[fname](Draw(rng))


def outcome(case):
    """None if the call ended as it must, else what went wrong."""
    d = case.draw
    if not d.bad and not d.maybe:  # the call must succeed: its reference, before `out`
        wants = reference(case)         # may overwrite x
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)  # the library must not leak them
        warnings.simplefilter("ignore", np.exceptions.ComplexWarning)  # scipy's, for fillvalue
        try:
            result = case.func(*case.args, **case.kwargs)
        except (ValueError, TypeError) as exc:
            allowed = d.bad | d.maybe
            if not allowed:
                return f"unexpected {type(exc).__name__}: {exc}"
            if not any(names(str(exc), n) for n in allowed):
                return (f"{type(exc).__name__} names none of {sorted(allowed)}: {exc}")
            return None
        except MemoryError as exc:
            return None if d.bad else f"MemoryError: {exc}"
        except Exception as exc:  # noqa: BLE001 - anything else is a finding
            return f"{type(exc).__name__} escaped: {exc}"
    if d.bad:
        return f"no error for bad {sorted(d.bad)}"
    out = case.kwargs.get("out")
    if out is not None and result is not out:
        return "the result is not the `out` given"
    if d.out_check is not None and (msg := d.out_check()):
        return msg
    for name, arg, before in case.inputs:
        if out is not None and isinstance(arg, np.ndarray) and np.shares_memory(arg, out):
            continue
        if isinstance(arg, np.ndarray) and arg.dtype.kind in "biufc" \
                and not np.array_equal(arg, before, equal_nan=True):
            return f"{name} was modified"
    got = result if isinstance(result, tuple) else np.asarray(
        result.data if isinstance(result, np.ma.MaskedArray) else result)
    if d.maybe:  # an `out` is never among the arguments then (its dtype was unknown)
        wants = reference(case)
    failures = [_compare(result, got, want) for want in wants]
    if all(failures):
        return failures[0]
    return None


def _compare(result, got, want):
    """None if the result matches one expectation: an array and its bounds (mismatch), the
    definition, exactly ('exact'), or factors that rebuild the kernel ('separate')."""
    kind = want[0] if isinstance(want[0], str) else "array"
    if kind == "exact":
        ok = got.dtype == want[1].dtype and np.array_equal(
            got, want[1], equal_nan=got.dtype.kind in "fc")
        return None if ok else f"not the definition's {want[1]!r}"
    if kind == "separate":
        kernel, atol = want[1], want[2]
        cols, rows = result
        if cols.shape[1:] != kernel.shape[:1] or rows.shape[1:] != kernel.shape[1:] \
                or len(cols) != len(rows):
            return f"factor shapes {cols.shape}, {rows.shape} for a kernel {kernel.shape}"
        err = np.abs(np.einsum("ri,rj->ij", cols, rows) - kernel).max() if kernel.size else 0
        return None if err <= atol else f"the factors rebuild the kernel to {err:.3g} > {atol:.3g}"
    return mismatch(got, *want)


def reference(case):
    try:
        return case.expect()
    except Exception as exc:
        raise AssertionError(f"the reference failed on {case!r}") from exc


def run(fname, first, count):
    failures = []
    for i in range(first, first + count):
        case = build(fname, i)
        msg = outcome(case)
        if msg:
            failures.append(f"[seed {SEED}, {fname} case {i}] {msg}\n    {case!r}"[:3000])
    return failures


@pytest.mark.parametrize("fname", FUNCS)
def test_fuzz(fname):
    per_function = -(-CASES // len(FUNCS))
    failures = run(fname, START, per_function)
    assert not failures, f"{len(failures)} of {per_function} calls failed:\n" + "\n".join(
        failures[:10])
