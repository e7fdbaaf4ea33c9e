from . import on1d as on1d
from ._config import get_num_threads as get_num_threads
from ._config import set_num_threads as set_num_threads
from ._config import show_config as show_config
from .conv2d import convolve2d as convolve2d
from .conv2d import correlate2d as correlate2d
from .conv2d import separate as separate
from .filters import convolve1d as convolve1d
from .filters import correlate1d as correlate1d
from .layer import conv1d as conv1d
from .separable import convolve_separable as convolve_separable
from .separable import correlate_separable as correlate_separable

__version__: str
__all__: list[str]

def get_include() -> str: ...
