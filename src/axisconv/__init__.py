"""axisconv: fast convolutions along the axes of arrays.

1-D filters along any axis and separable filters (scipy.ndimage convention), 2-D kernels
and 2-D kernels over 1-D signals (scipy.signal convention, axisconv.on1d), and the
multi-channel conv1d layer (TensorFlow convention), with a C core that picks its SIMD path
at run time and runs OpenMP-parallel.
"""
import os as _os

# Idle OpenMP threads spin only briefly before they sleep (libgomp's GOMP_SPINCOUNT, 10x
# below its default), unless the user chose a policy.  Back-to-back calls still find the
# team awake, but on a machine whose cores are busy with other work an idle thread does not
# hold on to a core it then loses, which would make every call wait a scheduler tick.
# libgomp reads the setting once, when _core loads it; the environment is then restored.
_SPIN = "30000"


def _libgomp_loaded():
    """True if another library loaded libgomp first (then its settings stand)."""
    try:
        with open("/proc/self/maps") as maps:
            return "libgomp" in maps.read()
    except OSError:
        return False


_early = _libgomp_loaded()
_user_policy = _os.environ.get("OMP_WAIT_POLICY") or _os.environ.get("GOMP_SPINCOUNT")
if _user_policy is None:
    _os.environ["GOMP_SPINCOUNT"] = _SPIN
try:
    from . import _core  # noqa: F401
finally:
    if _user_policy is None:
        del _os.environ["GOMP_SPINCOUNT"]
from . import _config  # noqa: E402

_config.wait_policy = (f"OMP_WAIT_POLICY={_os.environ['OMP_WAIT_POLICY']}"
                       if _os.environ.get("OMP_WAIT_POLICY")
                       else f"GOMP_SPINCOUNT={_os.environ.get('GOMP_SPINCOUNT', _SPIN)}")
if _early:
    _config.wait_policy = "as set by whoever loaded libgomp before axisconv"
del _user_policy, _SPIN, _early, _libgomp_loaded

from ._config import get_num_threads, set_num_threads, show_config
from ._config import set_simd as _set_simd, simd_path as _simd_path, simd_paths as _simd_paths
from ._config import _apply_environment
from .conv2d import convolve2d, correlate2d, separate
from .filters import convolve1d, correlate1d
from .separable import convolve_separable, correlate_separable
from .layer import conv1d
from . import on1d

__version__ = "0.1.0"

__all__ = ["correlate1d", "convolve1d", "correlate_separable", "convolve_separable",
           "correlate2d", "convolve2d", "separate", "on1d", "conv1d", "get_num_threads",
           "set_num_threads", "show_config", "__version__"]

_apply_environment()
del _apply_environment


def __getattr__(name):
    """axisconv.dask is imported on first use: importing axisconv does not import dask."""
    if name == "dask":
        import importlib
        return importlib.import_module(".dask", __name__)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
