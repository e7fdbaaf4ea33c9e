"""scipy.ndimage's linear filters on axisconv's C core: ``from axisconv import ndimage as ndi``.

The functions have scipy.ndimage's signatures (1.17) and semantics: the same results to
float rounding for every argument scipy accepts, ``output=`` as an array or a dtype (integer
outputs converted as scipy converts them, intermediates of several passes included),
per-axis modes, origins and axes where scipy takes them, and the same exception types for
bad arguments.  Where they differ, on purpose:

* float32 input into a float32 output is computed in float32 (scipy computes in float64
  and rounds at the end), so near float32's maximum a sum may overflow to inf where scipy's
  does not (a uniform filter sums its window before dividing); likewise, the passes of a
  filter along several axes run inner axis first, so sobel and prewitt may smooth values
  near the float maximum to inf before differencing them (NaN) where scipy does not;
* an integer output takes a value within its rounding error of an integer as that integer
  before truncating (scipy's own sum, in another order, may land on either side of it);
* uniform filters sum each window on its own (scipy's running sum, whose result with NaN
  scipy calls undefined, carries a NaN or inf to the end of the line);
* ``axes=-1`` (a lone negative axis) is normalised in correlate and convolve too.

=================================  =============================================
correlate1d, convolve1d            1-D kernel along one axis
correlate, convolve                N-D kernel (1-D, 2-D and N-D paths)
uniform_filter1d, uniform_filter   mean over a window (one axis, several axes)
gaussian_filter1d, gaussian_filter Gaussian and its derivatives (order, truncate, radius)
sobel, prewitt                     edge filters
laplace, gaussian_laplace          sums of second derivatives
gaussian_gradient_magnitude        gradient magnitude of a smoothed input
generic_laplace,                   the same with a derivative callable
generic_gradient_magnitude
=================================  =============================================
"""
from ._derivatives import (
    generic_gradient_magnitude,
    generic_laplace,
    laplace,
    prewitt,
    sobel,
)
from ._gaussian import (
    gaussian_filter,
    gaussian_filter1d,
    gaussian_gradient_magnitude,
    gaussian_laplace,
)
from ._linear import (
    convolve,
    convolve1d,
    correlate,
    correlate1d,
    uniform_filter,
    uniform_filter1d,
)

__all__ = [
    "convolve",
    "convolve1d",
    "correlate",
    "correlate1d",
    "gaussian_filter",
    "gaussian_filter1d",
    "gaussian_gradient_magnitude",
    "gaussian_laplace",
    "generic_gradient_magnitude",
    "generic_laplace",
    "laplace",
    "prewitt",
    "sobel",
    "uniform_filter",
    "uniform_filter1d",
]
