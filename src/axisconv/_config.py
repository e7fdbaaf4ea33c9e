"""Library-wide settings: the default thread count and the SIMD path (docs/contract.md §7).

Also compiled by Cython (CMakeLists.txt): check_threads is on the call path of every function.
The thread count lives in C (ax_get_num_threads): OMP_NUM_THREADS or the CPUs the process
may use, unless set_num_threads (or threadpoolctl's threadpool_limits, through the
controller in _threadpool.py) chose a number.
"""
import os
import warnings

from . import _core
from ._checks import check_int

MAX_THREADS = 256  # more would only add overhead: the work is split into fixed items


def get_num_threads():
    """The number of threads a call uses when it is not given ``threads=``: the number given
    to set_num_threads (or threadpoolctl's threadpool_limits), else OMP_NUM_THREADS, else
    the CPUs the process may use; 1 in a serial build."""
    return _core.get_num_threads()


def set_num_threads(n):
    """Set the default number of threads (an integer >= 1); returns the previous value.
    ``set_num_threads(None)`` returns to the default (OMP_NUM_THREADS, or the CPUs)."""
    previous = _core.get_num_threads()
    _core.set_num_threads(0 if n is None else min(check_int(n, "n", minimum=1), MAX_THREADS))
    return previous


def check_threads(threads, name="threads"):
    """The thread count to pass to C: `threads` checked, or 0 for None (the default, which C
    looks up only for a call large enough to use threads)."""
    if threads is None:
        return 0
    if type(threads) is not int or threads < 1:
        threads = check_int(threads, name, minimum=1)
    return min(threads, MAX_THREADS)


# --- SIMD path -----------------------------------------------------------------------

def simd_paths():
    """The SIMD paths this CPU supports, lowest first."""
    return _core.simd_paths()


def simd_path():
    """The SIMD path in use."""
    return _core.simd_name(_core.simd_active())


def set_simd(name):
    """Use SIMD path `name` (one of simd_paths()); returns the previous path's name."""
    previous = simd_path()
    if name not in simd_paths():
        raise ValueError(f"SIMD path {name!r} is not available here; available: {simd_paths()}")
    if not _core.simd_select(_core.SIMD_PATHS.get(name, _core.SIMD_PATHS["baseline"])):
        raise RuntimeError(f"the C core refused SIMD path {name!r}")
    return previous


def apply_environment():
    """AXISCONV_SIMD=baseline|avx2|avx512 forces a lower path than the best one."""
    wanted = os.environ.get("AXISCONV_SIMD", "").strip().lower()
    if not wanted:
        return
    if wanted not in simd_paths():
        warnings.warn(f"AXISCONV_SIMD={wanted!r} is not available on this CPU "
                      f"(available: {simd_paths()}); using {simd_path()!r}", RuntimeWarning)
        return
    set_simd(wanted)


# --- show_config ---------------------------------------------------------------------

def show_config():
    """Print the version, the SIMD path, the thread pool and how its idle threads wait, and
    the thread count."""
    from . import __version__
    print(f"axisconv {__version__}")
    print(f"  SIMD path : {simd_path()} (available: {', '.join(simd_paths())})")
    if _core.threaded():
        print("  threads   : "
              f"{get_num_threads()} (axisconv's own pool; idle threads spin up to 5 ms, "
              "yielding the core every round, then sleep)")
    else:
        print("  threads   : 1 (a serial build: every call runs on the calling thread)")
    print(f"  streaming : outputs written past the caches above "
          f"{_core.stream_threshold() / 2**20:g} MiB of input and output, by passes of "
          "at most 16 taps")
