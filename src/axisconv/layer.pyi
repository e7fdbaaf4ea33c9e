from typing import Literal, Optional, Tuple, Union

from numpy.typing import ArrayLike

from ._typing import Array

__all__ = ["conv1d"]

def conv1d(x: ArrayLike, filters: ArrayLike, *, stride: int = 1,
           padding: Union[Literal["SAME", "VALID", "same", "valid"], str, int, Tuple[int, int]]
           = "SAME", dilation: int = 1, groups: int = 1, bias: Optional[ArrayLike] = None,
           data_format: Literal["NWC", "NCW"] = "NWC", axis: Optional[int] = None,
           padding_mode: str = "constant", out: Optional[Array] = None,
           threads: Optional[int] = None) -> Array: ...
def conv_padding(padding: Union[str, int, Tuple[int, int]], W: int, K: int, stride: int = 1,
                 dilation: int = 1) -> Tuple[int, int]: ...
def conv_output_length(W: int, K: int, stride: int, dilation: int, left: int,
                       right: int) -> int: ...
