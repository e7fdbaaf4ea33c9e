from typing import Optional, Sequence, Union

from numpy.typing import ArrayLike, DTypeLike

from ._typing import Array, PerAxis, Scalar

__all__ = ["correlate_separable", "convolve_separable"]

def correlate_separable(x: ArrayLike, kernels: Union[ArrayLike, Sequence[ArrayLike]],
                        axes: Optional[Union[int, Sequence[int]]] = None, *,
                        mode: PerAxis = "reflect", cval: Scalar = 0.0,
                        origin: Union[int, Sequence[int]] = 0, out: Optional[Array] = None,
                        dtype: DTypeLike = None, threads: Optional[int] = None) -> Array: ...
def convolve_separable(x: ArrayLike, kernels: Union[ArrayLike, Sequence[ArrayLike]],
                       axes: Optional[Union[int, Sequence[int]]] = None, *,
                       mode: PerAxis = "reflect", cval: Scalar = 0.0,
                       origin: Union[int, Sequence[int]] = 0, out: Optional[Array] = None,
                       dtype: DTypeLike = None, threads: Optional[int] = None) -> Array: ...
