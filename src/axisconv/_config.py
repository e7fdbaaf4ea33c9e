"""Library-wide settings: the default thread count and the SIMD path (docs/contract.md §7).

Also compiled by Cython (CMakeLists.txt): check_threads is on the call path of every function.
The thread count lives in C (ax_get_num_threads): OpenMP's current limit, so
OMP_NUM_THREADS and threadpoolctl's threadpool_limits govern axisconv as they govern
scikit-learn, unless set_num_threads chose a number.
"""
import os
import sys
import tempfile
import warnings

from . import _core
from ._checks import check_int

MAX_THREADS = 256  # more would only add overhead: the work is split into fixed items


def get_num_threads():
    """The number of threads a call uses when it is not given ``threads=``: the number given
    to set_num_threads, else OpenMP's current limit (OMP_NUM_THREADS, threadpoolctl)."""
    return _core.get_num_threads()


def set_num_threads(n):
    """Set the default number of threads (an integer >= 1); returns the previous value.
    ``set_num_threads(None)`` follows OpenMP's limit again."""
    previous = _core.get_num_threads()
    _core.set_num_threads(0 if n is None else check_int(n, "n", minimum=1))
    return previous


def check_threads(threads, name="threads"):
    if threads is None:
        threads = _core.get_num_threads()
    elif type(threads) is not int or threads < 1:
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
    """Print the version, the SIMD path, OpenMP support with the wait policy in force, and
    the thread count."""
    from . import __version__
    print(f"axisconv {__version__}")
    print(f"  SIMD path : {simd_path()} (available: {', '.join(simd_paths())})")
    if _core.openmp_enabled():
        print(f"  OpenMP    : yes, idle threads: {_wait_policy()}")
        print(f"  threads   : {get_num_threads()}")
    else:
        print("  OpenMP    : no (a serial build: every call runs on the calling thread)")
        print("  threads   : 1")


def _wait_policy():
    """How idle OpenMP threads wait, as the runtime reports it (omp_display_env), or as the
    environment says when it cannot."""
    shown = _openmp_display()
    found = [line.split("=", 1)[1].strip().strip("'") for line in shown.splitlines()
             if line.strip().startswith(("OMP_WAIT_POLICY", "GOMP_SPINCOUNT"))]
    if len(found) == 2:
        return f"OMP_WAIT_POLICY={found[0]}, GOMP_SPINCOUNT={found[1]}"
    if len(found) == 1:
        return f"OMP_WAIT_POLICY={found[0]}"
    policy = os.environ.get("OMP_WAIT_POLICY", "the runtime's default")
    return f"OMP_WAIT_POLICY={policy} (from the environment)"


def _openmp_display():
    """What omp_display_env prints to stderr, captured; '' if the runtime cannot say."""
    with tempfile.TemporaryFile() as capture:
        sys.stderr.flush()
        saved = os.dup(2)
        os.dup2(capture.fileno(), 2)
        try:
            shown = _core.openmp_display_env()
        finally:
            os.dup2(saved, 2)
            os.close(saved)
        capture.seek(0)
        return capture.read().decode(errors="replace") if shown else ""
