"""Every C entry point gives the GIL up for a long call, so that other Python threads run
meanwhile, and keeps it for a short one (under the work the C core would share among threads):
a busy Python thread that took the GIL would keep it for its switch interval, a thousand times
such a call.  Two witnesses: the bridge's count of the calls that gave the GIL up, and a
counting thread, which counts only while the caller has given the GIL up (a long switch interval
keeps the interpreter from handing it over on its own).  The thread sees every long call; a
short call that gave the GIL up for a microsecond only now and then."""
import contextlib
import sys
import threading
import time

import numpy as np
import pytest

import axisconv
from axisconv import _core

pytestmark = pytest.mark.skipif(not getattr(sys, "_is_gil_enabled", lambda: True)(),
                                reason="a free-threaded Python: no GIL")

SWITCH_S = 5.0  # the interpreter's own hand-over: far longer than any call below
YIELD_EVERY = 1000  # counts after which the counting thread gives the GIL back itself
RNG = np.random.default_rng(7)
K3 = np.array([1.0, 2.0, 1.0]) / 4
# Not separable (the direct 2-D pass), and integer-valued for the uint8 case.
K5X5 = np.arange(25).reshape(5, 5) % 3 + np.eye(5, dtype=int)
AS_IS, U8 = (lambda x: x), (lambda x: x.astype(np.uint8))

# (case, the _core entry it must reach, input from a float32 image, the call on that input)
CASES = [
    ("correlate1d", "correlate1d", AS_IS, lambda x: axisconv.correlate1d(x, K3, axis=-1)),
    ("correlate_separable", "correlate_separable", AS_IS,
     lambda x: axisconv.correlate_separable(x, K3)),
    ("correlate2d", "correlate2d", AS_IS,
     lambda x: axisconv.correlate2d(x, K5X5.astype(float), mode="same")),
    ("on1d.filter_bank", "bank", lambda x: x.ravel().astype(float),
     lambda x: axisconv.on1d.filter_bank(x, K5X5)),
    ("conv1d", "conv1d", lambda x: x[None],
     lambda x: axisconv.conv1d(x, np.ones((3, x.shape[-1], 2), np.float32))),
    ("correlate1d uint8", "correlate1d_int", U8,
     lambda x: axisconv.correlate1d(x, [1, 2, 1], axis=-1, dtype=np.uint8)),
    ("correlate_separable uint8", "correlate_separable_int", U8,
     lambda x: axisconv.correlate_separable(x, [1, 2, 1], dtype=np.uint8)),
    ("correlate2d uint8", "correlate2d_int", U8,
     lambda x: axisconv.correlate2d(x, K5X5, mode="same", dtype=np.uint8)),
]
IDS = [c[0] for c in CASES]
# 16² outputs x at most 50 taps stay under the C core's sharing threshold (2^17 multiply-adds)
# and under NumPy's (it gives the GIL up in loops over 500 elements); 512² pass both.
SHORT, LONG = 16, 512
CALLS = 200  # calls watched


def made(prepare, side):
    """The input of a case for a side x side image, made before the count is watched (NumPy's
    random fill and casts give the GIL up for large arrays)."""
    return prepare((RNG.random((side, side)) * 200).astype(np.float32))


@contextlib.contextmanager
def counting():
    """A thread counting while it holds the GIL, and giving it back now and then (so that the
    interpreter never has to take it from the caller); yields a function that reads its count."""
    counted, stop = [0], threading.Event()

    def run():
        while not stop.is_set():
            counted[0] += 1
            if counted[0] % YIELD_EVERY == 0:
                time.sleep(0)

    old = sys.getswitchinterval()
    sys.setswitchinterval(SWITCH_S)
    t = threading.Thread(target=run, daemon=True)
    t.start()
    try:
        yield lambda: counted[0]
    finally:
        stop.set()
        t.join()
        sys.setswitchinterval(old)


def watched(monkeypatch, entry, count):
    """_core.<entry> replaced, wherever axisconv's modules hold it, by itself watched: returns
    the list of its calls, True for each during which the counting thread counted.  (NumPy
    gives the GIL up for a moment in some small operations of the Python layer, argmax for
    one: the call into C alone is watched.)"""
    moved = []
    original = getattr(_core, entry)

    def watching(*args):
        before = count()
        result = original(*args)
        moved.append(count() != before)
        return result

    for name, module in list(sys.modules.items()):
        if name.startswith("axisconv"):
            for attr, value in list(vars(module).items()):
                if value is original:
                    monkeypatch.setattr(module, attr, watching)
    return moved


def watch_calls(monkeypatch, entry, call, x, long):
    """Calls call(x) CALLS times (long calls: until the counting thread has run during one,
    usually at once).  Returns (per call of _core.<entry>: whether the thread counted, how
    many calls the bridge counted as giving the GIL up)."""
    with counting() as count:
        moved = watched(monkeypatch, entry, count)
        released = _core.released_gil_count()
        while len(moved) < CALLS and not (long and any(moved)):
            call(x)
        return moved, _core.released_gil_count() - released


@pytest.mark.parametrize("case, entry, prepare, call", CASES, ids=IDS)
def test_short_calls_keep_the_gil(case, entry, prepare, call, monkeypatch):
    moved, released = watch_calls(monkeypatch, entry, call, made(prepare, SHORT), long=False)
    assert len(moved) == CALLS, f"{case}: {len(moved)} calls of _core.{entry}, not {CALLS}"
    assert released == 0, f"{case}: {released} of {CALLS} short calls gave the GIL up"
    assert not any(moved), f"{case}: {sum(moved)} of {CALLS} short calls let a thread run"


@pytest.mark.parametrize("case, entry, prepare, call", CASES, ids=IDS)
def test_long_calls_give_the_gil_up(case, entry, prepare, call, monkeypatch):
    moved, released = watch_calls(monkeypatch, entry, call, made(prepare, LONG), long=True)
    assert moved, f"{case}: no call of _core.{entry}"
    assert released == len(moved), f"{case}: {len(moved) - released} long calls kept the GIL"
    assert any(moved), f"{case}: {len(moved)} long calls let no thread run"
