"""axisconv: fast convolutions along the axes of arrays.

1-D filters along any axis and separable filters (scipy.ndimage convention), 2-D kernels
and 2-D kernels over 1-D signals (scipy.signal convention, axisconv.on1d), and the
multi-channel conv1d layer (TensorFlow convention), with a C core that picks its SIMD path
at run time and runs OpenMP-parallel.
"""
import os as _os

# Idle OpenMP threads sleep rather than spin, unless the user chose a policy: on a machine
# whose cores are shared, a spinning idle thread loses its core to other work and every
# parallel call then waits a scheduler tick for it.  libgomp reads the policy once, when
# _core loads it; the environment is then restored.
_user_policy = _os.environ.get("OMP_WAIT_POLICY")
if _user_policy is None:
    _os.environ["OMP_WAIT_POLICY"] = "PASSIVE"
try:
    from . import _core  # noqa: F401
finally:
    if _user_policy is None:
        del _os.environ["OMP_WAIT_POLICY"]
from . import _config  # noqa: E402

_config.wait_policy = _user_policy or "PASSIVE"
del _user_policy

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
