"""axisconv: fast convolutions along the axes of arrays.

1-D filters along any axis and separable filters (scipy.ndimage convention), 2-D kernels
and 2-D kernels over 1-D signals (scipy.signal convention, axisconv.on1d), and the
multi-channel conv1d layer (TensorFlow convention), with a C core that picks its SIMD path
at run time and runs on a pool of threads of its own.  The contract is docs/contract.md.
"""
from ._config import get_num_threads, set_num_threads, show_config
from ._config import set_simd as _set_simd, simd_path as _simd_path, simd_paths as _simd_paths
from .conv2d import convolve2d, correlate2d, separate
from .filters import convolve1d, correlate1d
from .separable import convolve_separable, correlate_separable
from .layer import conv1d
from . import on1d
from . import ndimage

__version__ = "0.1.0"

__all__ = ["correlate1d", "convolve1d", "correlate_separable", "convolve_separable",
           "correlate2d", "convolve2d", "separate", "on1d", "conv1d", "get_num_threads",
           "set_num_threads", "show_config", "get_include", "__version__"]


def get_include():
    """The directory of axisconv.h and axisconv_capi.h, for extensions that call axisconv's
    C API (the capsule axisconv._core._C_API; axisconv/capi.pxd for Cython)."""
    import os
    return os.path.join(os.path.dirname(__file__), "include")


def _setup():
    """AXISCONV_SIMD, and axisconv's entry in threadpoolctl where that is installed."""
    from ._config import apply_environment
    apply_environment()
    try:
        from ._threadpool import register
    except ImportError:  # threadpoolctl is optional
        return
    register()


_setup()
del _setup


def __getattr__(name):
    """axisconv.dask is imported on first use: importing axisconv does not import dask."""
    if name == "dask":
        import importlib
        return importlib.import_module(".dask", __name__)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
