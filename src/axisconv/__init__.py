"""axisconv: fast convolutions along the axes of arrays.

1-D filters along any axis (scipy.ndimage convention) and the multi-channel conv1d layer
(TensorFlow convention), with a C core that picks its SIMD path at run time and runs
OpenMP-parallel.  See SPEC.md for the contract.
"""
from ._config import get_num_threads, set_num_threads, show_config
from ._config import set_simd as _set_simd, simd_path as _simd_path, simd_paths as _simd_paths
from ._config import _apply_environment
from .filters import convolve1d, correlate1d
from .layer import conv1d

__version__ = "0.1.0"

__all__ = ["correlate1d", "convolve1d", "conv1d", "get_num_threads", "set_num_threads",
           "show_config", "__version__"]

_apply_environment()
del _apply_environment
