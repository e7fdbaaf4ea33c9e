"""axisconv: fast convolutions along the axes of arrays.

1-D filters along any axis and separable filters (scipy.ndimage convention), 2-D kernels
(scipy.signal convention), with a C core that picks its SIMD path at run time and runs
OpenMP-parallel.
"""
from ._config import get_num_threads, set_num_threads, show_config
from ._config import set_simd as _set_simd, simd_path as _simd_path, simd_paths as _simd_paths
from ._config import _apply_environment
from .conv2d import convolve2d, correlate2d, separate
from .filters import convolve1d, correlate1d
from .separable import convolve_separable, correlate_separable

__version__ = "0.1.0"

__all__ = ["correlate1d", "convolve1d", "correlate_separable", "convolve_separable",
           "correlate2d", "convolve2d", "separate", "get_num_threads", "set_num_threads",
           "show_config", "__version__"]

_apply_environment()
del _apply_environment
