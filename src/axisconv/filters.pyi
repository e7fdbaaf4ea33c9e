from typing import Optional

from numpy.typing import ArrayLike, DTypeLike

from ._typing import Array, Mode, Scalar

__all__ = ["correlate1d", "convolve1d"]

def correlate1d(x: ArrayLike, kernel: ArrayLike, axis: int = -1, *, mode: Mode = "reflect",
                cval: Scalar = 0.0, origin: int = 0, out: Optional[Array] = None,
                dtype: DTypeLike = None, threads: Optional[int] = None) -> Array: ...
def convolve1d(x: ArrayLike, kernel: ArrayLike, axis: int = -1, *, mode: Mode = "reflect",
               cval: Scalar = 0.0, origin: int = 0, out: Optional[Array] = None,
               dtype: DTypeLike = None, threads: Optional[int] = None) -> Array: ...
