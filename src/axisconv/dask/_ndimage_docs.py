"""The docstrings of axisconv.dask.ndimage: the in-memory functions' parameters (the
fragments of axisconv.ndimage._docs, with scipy's names), the dask array and its chunks."""
from ..ndimage import _docs as _ndi_docs

_PARAMETERS = {
    "input": """input : dask.array.Array
        N-D input with NumPy chunks of known sizes; dtypes as in memory.""",
    "weights": """weights : array_like
        A non-empty 1-D sequence of numbers.""",
    "weights_nd": """weights : array_like
        The kernel: one axis per axis of the input, or per axis of `axes` (in increasing
        order of the axes).""",
    "axis": _ndi_docs.AXIS,
    "axes": _ndi_docs.AXES,
    "size": """size : int
        The window length (>= 1).""",
    "sizes": """size : int or sequence of int, optional
        The window length per axis (default 3); axes with size <= 1 are left alone.""",
    "sigma": """sigma : scalar
        The standard deviation of the Gaussian.""",
    "sigmas": """sigma : scalar or sequence of scalars
        The standard deviation of the Gaussian, per axis of `axes` or one for all; axes
        with sigma <= 1e-15 are left alone.""",
    "sigmas_all": """sigma : scalar or sequence of scalars
        The standard deviation of the Gaussians, per axis of the input or one for all
        (the in-memory rule, even with `axes`: the smoothing runs along every axis).""",
    "order": """order : int, optional
        0 (default) smooths; n > 0 correlates with the n-th derivative of the Gaussian.""",
    "orders": """order : int or sequence of int, optional
        The derivative per axis of `axes` (default 0: smoothing), or one for all.""",
    "truncate": """truncate : float, optional
        The kernel reaches ``radius = int(truncate * sigma + 0.5)`` samples from its centre
        (default 4.0); so do the halos.""",
    "radius": """radius : None or int, optional
        The kernel's radius; overrides `truncate`.""",
    "radii": """radius : None, int or sequence of int, optional
        The kernel's radius per axis of `axes`, or one for all; overrides `truncate`.""",
    "output": """output : dtype, optional
        The result's dtype: a dtype, a type such as np.float32 or a dtype string.  Default:
        the input's, as in memory (integer input gives an integer result).  An array is
        refused (ValueError): the result is a new dask array.""",
    "mode": _ndi_docs.MODE,
    "modes": _ndi_docs.MODES.replace("{PER_AXIS}", " of `axes`"),
    "modes_all": _ndi_docs.MODES.replace("{PER_AXIS}", " of the input"),
    "cval": _ndi_docs.CVAL,
    "origin": _ndi_docs.ORIGIN,
    "origins": """origin : int or sequence of int, optional
        Shifts the kernel along each axis, as in the 1-D filters (default 0).""",
    "edge_axis": """axis : int, optional
        The axis of the derivative (default -1).""",
    "kwargs": """**kwargs
        Passed on to gaussian_filter (``truncate``, ``radius``).""",
    "threads": """threads : int, optional
        Threads per task (default 1).  Each chunk is one task and a scheduler already runs
        one task per core (per worker thread), so more threads per task oversubscribe the
        cores; raise it only when there are fewer chunks than cores.  None: axisconv's
        default (``axisconv.get_num_threads()``).""",
}

# name: (summary, parameters, example arguments, extra notes)
_FUNCTIONS = {
    "correlate1d": ("Correlate along one axis",
                    "input weights axis output mode cval origin", "[1, 3, -2], axis=0", ""),
    "convolve1d": ("Convolve along one axis",
                   "input weights axis output mode cval origin", "[1, 3, -2, 5], origin=-1",
                   ""),
    "correlate": ("Correlate with an N-D kernel",
                  "input weights_nd output mode cval origins axes", "np.ones((2, 3))", ""),
    "convolve": ("Convolve with an N-D kernel",
                 "input weights_nd output mode cval origins axes",
                 "np.arange(6.).reshape(3, 2), mode='wrap'", ""),
    "uniform_filter1d": ("The mean over a window along one axis",
                         "input size axis output mode cval origin", "4, mode='mirror'", ""),
    "uniform_filter": ("The mean over a window along each axis",
                       "input sizes output modes cval origins axes", "(3, 4), mode='nearest'",
                       ""),
    "gaussian_filter1d": ("A Gaussian along one axis",
                          "input sigma axis order output mode cval truncate radius",
                          "1.5, axis=0, order=1", ""),
    "gaussian_filter": ("A Gaussian filter along axes",
                        "input sigmas orders output modes cval truncate radii axes",
                        "2.0, mode='wrap'", ""),
    "gaussian_laplace": ("The Laplacian of a Gaussian-smoothed input",
                         "input sigmas output modes cval axes kwargs", "1.0", "mixed"),
    "gaussian_gradient_magnitude": ("The gradient magnitude of a Gaussian-smoothed input",
                                    "input sigmas_all output modes cval axes kwargs",
                                    "1.0, mode='constant'", "mixed"),
    "sobel": ("The Sobel edge filter", "input edge_axis output modes_all cval", "axis=0", ""),
    "prewitt": ("The Prewitt edge filter", "input edge_axis output modes_all cval", "", ""),
    "laplace": ("Second differences summed over axes", "input output modes cval axes",
                "mode='reflect'", ""),
}

_TEMPLATE = """{summary} of a dask array, chunk by chunk.

    Equal to ``axisconv.ndimage.{name}``
    on the whole (C-ordered) array, bit for bit, for every mode: each chunk is filtered
    with its neighbours' samples as a halo as deep as the kernel reaches ('wrap' and
    'grid-wrap' take theirs from the far end of the array), and at the array's edges the
    filter applies its own mode.  Chunks smaller
    than the halo along an axis are merged with their neighbours first (that axis only;
    the result keeps the merged chunks), and an axis shorter than the kernel becomes one
    chunk.  Arguments are checked, and the dtype found, on a one-element array now;
    nothing is computed until the result is.{notes}

    Parameters
    ----------
    {parameters}

    Returns
    -------
    dask.array.Array

    Examples
    --------
    >>> import numpy as np, dask.array as da, axisconv.dask
    >>> x = np.random.default_rng(0).standard_normal((7, 9))
    >>> d = da.from_array(x, chunks=(3, 4))
    >>> lazy = axisconv.dask.ndimage.{name}(d{arguments})
    >>> expected = axisconv.ndimage.{name}(x{arguments})
    >>> np.array_equal(lazy.compute(), expected)
    True
"""

_MIXED = """

    With modes that differ on whether they wrap, the terms cannot share a halo: each is
    filtered on its own (``gaussian_filter`` with its axis' mode), and the terms are
    combined as in memory."""


def document(function, name):
    summary, parameters, arguments, notes = _FUNCTIONS[name]
    parameters = "\n    ".join(_PARAMETERS[p] for p in parameters.split())
    function.__doc__ = _TEMPLATE.format(
        summary=summary, name=name, notes=_MIXED if notes == "mixed" else "",
        parameters=parameters + "\n    " + _PARAMETERS["threads"],
        arguments=", " + arguments if arguments else "")
