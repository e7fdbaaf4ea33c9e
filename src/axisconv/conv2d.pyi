from typing import Literal, Optional, Tuple

from numpy.typing import ArrayLike, DTypeLike

from ._typing import Array, Scalar

__all__ = ["convolve2d", "correlate2d", "separate"]

Size = Literal["full", "same", "valid"]

def correlate2d(x: ArrayLike, kernel: ArrayLike, mode: Size = "full", boundary: str = "fill",
                fillvalue: Scalar | ArrayLike = 0, *, dtype: DTypeLike = None,
                threads: Optional[int] = None) -> Array: ...
def convolve2d(x: ArrayLike, kernel: ArrayLike, mode: Size = "full", boundary: str = "fill",
               fillvalue: Scalar | ArrayLike = 0, *, dtype: DTypeLike = None,
               threads: Optional[int] = None) -> Array: ...
def separate(kernel: ArrayLike, tol: Optional[float] = None) -> Tuple[Array, Array]: ...
