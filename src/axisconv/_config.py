"""Library-wide settings: the default thread count and the SIMD path."""
import os
import warnings

from . import _core
from ._checks import MAX_THREADS

_num_threads = None
wait_policy = None  # how idle OpenMP threads wait, as set at import


def _default_threads():
    env = os.environ.get("OMP_NUM_THREADS", "").split(",")[0].strip()
    if env.isdigit() and int(env) > 0:
        return int(env)
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def get_num_threads():
    """The number of threads a call uses when it is not given ``threads=`` (always 1 in a
    build without OpenMP)."""
    global _num_threads
    if _num_threads is None:
        _num_threads = _default_threads() if _core.openmp_enabled() else 1
    return _num_threads


def set_num_threads(n):
    """Set the default number of threads (an integer >= 1); returns the previous value.  A
    build without OpenMP checks `n` and stays at 1."""
    global _num_threads
    if n is None:
        raise TypeError("n must be an integer >= 1, got None")
    n = check_threads(n, "n")
    previous = get_num_threads()
    if _core.openmp_enabled():
        _num_threads = n
    return previous


def check_threads(threads, name="threads"):
    if threads is None:
        return _num_threads or get_num_threads()
    if isinstance(threads, bool) or not hasattr(threads, "__index__"):
        raise TypeError(f"{name} must be an integer >= 1 or None, got {threads!r}")
    threads = threads.__index__()
    if threads < 1:
        raise ValueError(f"{name} must be >= 1, got {threads}")
    return min(threads, MAX_THREADS)


# --- SIMD path -----------------------------------------------------------------------

_PATH_NUMBERS = {"baseline": 0, "neon": 0, "avx2": 1, "avx512": 2}


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
    if not _core.simd_select(_PATH_NUMBERS[name]):
        raise RuntimeError(f"the C core refused SIMD path {name!r}")
    return previous


def _apply_environment():
    """AXISCONV_SIMD=baseline|avx2|avx512 forces a lower path than the best one."""
    wanted = os.environ.get("AXISCONV_SIMD", "").strip().lower()
    if not wanted:
        return
    if wanted not in simd_paths():
        warnings.warn(f"AXISCONV_SIMD={wanted!r} is not available on this CPU "
                      f"(available: {simd_paths()}); using {simd_path()!r}", RuntimeWarning)
        return
    set_simd(wanted)


def show_config():
    """Print the version, the SIMD path, OpenMP support and the thread count."""
    from . import __version__
    print(f"axisconv {__version__}")
    print(f"  SIMD path : {simd_path()} (available: {', '.join(simd_paths())})")
    openmp = f"yes, idle threads: {wait_policy}" if _core.openmp_enabled() else "no (serial build)"
    print(f"  OpenMP    : {openmp}")
    print(f"  threads   : {get_num_threads()}")
