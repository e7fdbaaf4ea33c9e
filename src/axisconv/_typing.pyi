"""Types shared by the stubs of the public modules."""
from typing import Any, Sequence, Union

import numpy as np
from numpy.typing import ArrayLike, NDArray

Array = NDArray[Any]
Scalar = Union[int, float, complex, np.number[Any]]
Mode = str
PerAxis = Union[str, Sequence[str]]
