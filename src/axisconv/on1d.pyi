from typing import Literal, Optional

from numpy.typing import ArrayLike

from ._typing import Array, Scalar

__all__ = ["single_row", "replicated", "lag_matrix", "lagged", "filter_bank"]

Size = Literal["full", "same", "valid"]
Combine = Literal["stack", "concat", "sum", "mean", "max"]

def single_row(x: ArrayLike, kernel: ArrayLike, mode: Size = "full", boundary: str = "fill",
               fillvalue: Scalar | ArrayLike = 0, *, threads: Optional[int] = None) -> Array: ...
def replicated(x: ArrayLike, kernel: ArrayLike, rows: int, mode: Size = "full",
               boundary: str = "fill", fillvalue: Scalar | ArrayLike = 0, *,
               threads: Optional[int] = None) -> Array: ...
def lagged(x: ArrayLike, kernel: ArrayLike, rows: int, lag: int = 1, mode: Size = "full",
           boundary: str = "fill", fillvalue: Scalar | ArrayLike = 0, *,
           threads: Optional[int] = None) -> Array: ...
def filter_bank(x: ArrayLike, kernel: ArrayLike, mode: Size = "full", boundary: str = "fill",
                fillvalue: Scalar | ArrayLike = 0, combine: Combine = "stack", *,
                threads: Optional[int] = None) -> Array: ...
def lag_matrix(x: ArrayLike, rows: int, lag: int = 1) -> Array: ...
