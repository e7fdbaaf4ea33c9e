"""Checking and timing for bench_lines.py and bench_2d.py: one Impl per library and case, each
checked before it is timed, then timed two ways, interleaved round-robin in one process:

* steady state (time_case): an untimed lead-in call, then a timed burst of calls;
* after another library (time_after_other): another library writes the `out` buffer, then one
  call writing that same buffer is timed, with no lead-in -- what a call inside a pipeline sees.
"""

from __future__ import annotations

import functools
import gc
import math
import os
import time
import traceback

import numpy as np

HEAVY_ROUND_S = 1.0  # a round (one sample of every library) longer than this: fewer rounds
LEADIN_MAX_S = 0.1  # calls shorter than this get an untimed lead-in call before each timed burst
AFTER_NOTE = (
    "after other: one call timed alone, with no lead-in, right after another library's call "
    "wrote the same output buffer (axisconv after OpenCV, every other library after axisconv, a "
    "variant such as `sep` after its twin; a library without `out=` allocates its result as "
    "always): what a call inside a pipeline that reuses its buffers sees. At least three times the "
    "steady-state figures' minimum of rounds, interleaved the same way; medians."
)


class Impl:
    """One library's way to compute a case: fn() returns the result (an ndarray).

    A library that can write into a given array (out=, dst=, output=) is given as into(dst),
    returning dst, and its own preallocated `out`; fn is then into(out). The after-other timing
    hands such libraries a buffer shared with the library that ran before.
    """

    def __init__(self, name, fn=None, *, into=None, out=None, ref_mode="reflect",
                 extra_check=None, note=""):
        self.name = name
        self.into, self.out = into, out
        self.fn = fn if fn is not None else functools.partial(into, out)
        self.ref_mode = ref_mode  # which reference the result must equal
        self.extra_check = extra_check  # optional () -> another result to check
        self.note = note


def check_impls(impls: list, checker, label: str, res: dict, failures: list):
    """Calls every implementation once and checks its result with checker(impl, result) ->
    (ok, max_err, message), before anything is timed. Records notes, errors and failures in res /
    failures. Returns (the impls that passed, {name: duration of that first call in s})."""
    good, first_call = [], {}
    for im in impls:
        res["notes"][im.name] = im.note
        try:
            t0 = time.perf_counter()
            out = im.fn()
            first_call[im.name] = time.perf_counter() - t0
            ok, err, msg = checker(im, out)
        except Exception as e:
            ok, err, msg = False, None, f"raised {type(e).__name__}: {e}"
            if os.environ.get("BENCH_DEBUG"):
                traceback.print_exc()
        res["errs"][im.name] = err
        if ok:
            good.append(im)
        else:
            res["status"][im.name] = f"CHECK FAILED, not timed: {msg}"
            failures.append(f"{label}: {im.name}: {msg}")
            print(f"  !! {label}: {im.name}: {msg}", flush=True)
    return good, first_call


def estimate(impls: list[Impl], first_call: dict) -> dict:
    """Warm-up and seconds per call of each library (the checked call warmed each once): the
    median of a few calls, so that one slow call (a page fault storm, the host's noise) does not
    make a 15 ms call look like one that needs no lead-in."""
    est = {}
    for im in impls:
        if first_call.get(im.name, 0.0) >= 10 * LEADIN_MAX_S:
            est[im.name] = first_call[im.name]  # slow call: the checked call was the warm-up
            continue  # (a shorter one may have been slowed by faulting in a fresh output)
        times = []
        t0 = time.perf_counter()
        while True:
            t = time.perf_counter()
            im.fn()
            times.append(time.perf_counter() - t)
            el = time.perf_counter() - t0
            if ((len(times) >= 3 and el >= 0.02) or len(times) >= 200
                    or (len(times) >= 2 and min(times) >= LEADIN_MAX_S)):
                break  # (stopping early only when two calls were slow)
        est[im.name] = float(np.median(times))
    return est


def n_rounds(per_round: float, target_s: float, nmin: int, nmax: int, nmin_heavy: int) -> int:
    if per_round > HEAVY_ROUND_S:  # very large cases (one round > 1 s): fewer rounds
        nmin = min(nmin, nmin_heavy)
    return int(min(nmax, max(nmin, round(target_s / per_round))))


def summarize(samples: list[float]) -> dict:
    a = np.asarray(samples)
    return dict(median=float(np.median(a)), p25=float(np.percentile(a, 25)),
                p75=float(np.percentile(a, 75)), n=len(a))


def round_robin(calls: dict, rounds: int, gap_s: float, sample) -> dict:
    """sample(name, call) -> seconds, for every name of `calls` in every round, the order
    rotated each round; the garbage collector is off meanwhile. Returns {name: [seconds]}."""
    order = list(calls)
    samples = {name: [] for name in order}
    gc_was = gc.isenabled()
    gc.disable()
    try:
        for r in range(rounds):
            for name in order[r % len(order):] + order[:r % len(order)]:
                if gap_s:
                    time.sleep(gap_s)
                samples[name].append(sample(name, calls[name]))
    finally:
        if gc_was:
            gc.enable()
    return samples


def time_case(impls: list[Impl], est: dict, target_s: float, nmin: int, nmax: int, gap_s: float,
              min_sample_s: float, nmin_heavy: int) -> dict:
    """Steady state. Returns {name: dict(median, p25, p75, n, batch, leadin)}, seconds per call.

    One sample of a library = an untimed lead-in call (for calls under LEADIN_MAX_S) followed by a
    timed burst of `batch` calls (batch > 1 only for calls shorter than min_sample_s); the sample is
    the burst's time per call. The lead-in puts the library in its steady state (its thread pool
    awake, its data in cache) whatever library ran before it: on this 2-core VM a call right after
    another library's call, or after any idle period, is measurably slower (up to 2x at ~1 ms).
    """
    batch = {n: max(1, math.ceil(min_sample_s / t)) for n, t in est.items()}
    leadin = {n: 1 if t < LEADIN_MAX_S else 0 for n, t in est.items()}
    per_round = sum(est[n] * (batch[n] + leadin[n]) + gap_s for n in est)
    rounds = n_rounds(per_round, target_s, nmin, nmax, nmin_heavy)

    def sample(name, fn):
        if leadin[name]:
            fn()
        t0 = time.perf_counter_ns()
        for _ in range(batch[name]):
            fn()
        return (time.perf_counter_ns() - t0) * 1e-9 / batch[name]

    samples = round_robin({im.name: im.fn for im in impls}, rounds, gap_s, sample)
    return {name: dict(summarize(s), batch=batch[name], leadin=leadin[name])
            for name, s in samples.items()}


def predecessor(name: str, names: list[str]):
    """Whose call comes right before `name`'s in the after-other timing: axisconv follows OpenCV
    (the peer of its targets), every other library follows axisconv; a variant (' full', ' sep')
    follows its twin. Otherwise the first other library; None when there is none."""
    lib, _, variant = name.partition(" ")
    peer = "cv2" if lib == "axisconv" else "axisconv"
    for cand in (f"{peer} {variant}".strip(), peer):
        if cand in names and cand != name:
            return cand
    others = [n for n in names if n.partition(" ")[0] != lib]
    return others[0] if others else None


def after_other_calls(impls: list[Impl]) -> dict:
    """{name: (predecessor's name, its call, the timed call)}: both write one buffer shared by
    every library with an `out` of that shape and dtype (a library without one keeps its own
    way: it allocates, or writes its own buffer)."""
    by_name = {im.name: im for im in impls}
    shared = {}

    def writing(im, key):
        if im.into is None or (im.out.shape, im.out.dtype.str) != key:
            return im.fn
        return functools.partial(im.into, shared.setdefault(key, np.empty_like(im.out)))

    calls = {}
    for im in impls:
        pred = predecessor(im.name, list(by_name))
        if pred is None:
            continue
        key = (im.out.shape, im.out.dtype.str) if im.into is not None else None
        calls[im.name] = (pred, writing(by_name[pred], key), writing(im, key))
    return calls


def time_after_other(impls: list[Impl], est: dict, target_s: float, nmin: int, nmax: int,
                     gap_s: float, nmin_heavy: int) -> dict:
    """The call made right after another library wrote the same `out`: per sample the
    predecessor writes the shared buffer (untimed), then one call writing it is timed, with no
    lead-in. Returns {name: dict(median, p25, p75, n, after)}, seconds per call."""
    calls = after_other_calls(impls)
    per_round = sum(est[n] + est[pred] + gap_s for n, (pred, _, _) in calls.items())
    # Single calls spread more than bursts, and the slowest libraries set the round: the
    # headline figure takes three times the steady state's minimum (with 5 samples, a 2048^2
    # K = 31 column call took 3.7 ms in one run and 2.35-2.56 in two others; with 15, 2.78:
    # TUNING.md, session 22).
    rounds = n_rounds(per_round, target_s, 3 * nmin, nmax, nmin_heavy) if calls else 0

    def sample(name, pair):
        before, fn = pair
        before()
        t0 = time.perf_counter_ns()
        fn()
        return (time.perf_counter_ns() - t0) * 1e-9

    samples = round_robin({n: (b, f) for n, (_, b, f) in calls.items()}, rounds, gap_s, sample)
    return {name: dict(summarize(s), after=calls[name][0]) for name, s in samples.items()}


def time_checked(good: list[Impl], first_call: dict, timing: tuple, label: str,
                 failures: list) -> dict:
    """Both timings of the implementations that passed their check, with the settings
    parse_common returns: {name: steady-state stats, plus "after": the after-other stats}.
    A library that raises while timed is recorded as a failure."""
    target_s, nmin, nmax, nmin_heavy, min_sample_s, gap_s = timing
    try:
        est = estimate(good, first_call)
        stats = time_case(good, est, target_s, nmin, nmax, gap_s, min_sample_s, nmin_heavy)
        after = time_after_other(good, est, target_s, nmin, nmax, gap_s, nmin_heavy)
    except Exception as e:  # a library that passed the check but fails later
        failures.append(f"{label}: timing raised {type(e).__name__}: {e}")
        print(f"  !! {label}: timing raised {type(e).__name__}: {e}", flush=True)
        return {}
    for name, s in after.items():
        stats[name]["after"] = s
    return stats
