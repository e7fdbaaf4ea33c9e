"""Docstring fragments shared by the public functions, and the decorator that fills them in
(as scipy.ndimage's docfiller): each docstring stays next to its function."""

MODES = """\
mode : str, optional
        How the input is extended beyond its edges (case-insensitive)::

            'reflect'  (grid-mirror, symm, symmetric)   d c b a | a b c d | d c b a
            'mirror'   (reflect101, reflect_101)          d c b | a b c d | c b a
            'nearest'  (edge, replicate)                a a a a | a b c d | d d d d
            'wrap'     (grid-wrap, circular, periodic)  a b c d | a b c d | a b c d
            'constant' (grid-constant, fill)            k k k k | a b c d | k k k k
            'zeros'                                     0 0 0 0 | a b c d | 0 0 0 0

        OpenCV's names are accepted too ('BORDER_REFLECT_101' is 'mirror').  Default
        'reflect'.  Kernels longer than the line keep extending the pattern."""


SIZE = """\
mode : {'full', 'same', 'valid'}, optional
        The output size, as in scipy.signal.convolve2d: 'full' (default) every position
        where the kernel overlaps the input, 'same' the input's size (centred on 'full'),
        'valid' only where it overlaps entirely.  For 'valid', the input must be at least
        as large as the kernel in every dimension or the kernel at least as large as the
        input (scipy's rule; the larger one slides over the smaller)."""

BOUNDARY = """\
boundary : str, optional
        How the 2-D input is extended beyond its edges, along both of its axes
        (case-insensitive)::

            'fill'    (constant, zeros)               k k k k | a b c d | k k k k
            'symm'    (reflect, symmetric)            d c b a | a b c d | d c b a
            'wrap'    (circular, periodic)            a b c d | a b c d | a b c d
            'mirror'  (reflect101)                      d c b | a b c d | c b a
            'nearest' (edge, replicate)               a a a a | a b c d | d d d d

        with k = fillvalue ('zeros': k = 0).  Default 'fill'.  scipy.signal.convolve2d knows
        the first three; the others follow the same rule.  The pattern keeps extending
        when the kernel is larger than the input.
    fillvalue : scalar, optional
        The k of 'fill' (default 0): a number or a one-element array, as scipy takes it
        (a complex fillvalue for real data raises scipy's ValueError)."""


THREADS = """\
threads : int, optional
        Threads to use (default: get_num_threads()).  Results are bitwise identical for any
        thread count.  The GIL is released while computing, except by calls
        too short to share among threads (under 2^17 multiply-adds)."""


LINE = """\
axis : int, optional
        The axis to filter along: -1 (default) runs along the rows of a 2-D map, -2 along its
        columns.
    {MODES}
    cval : scalar, optional
        The constant k of mode 'constant' (default 0.0).  A complex cval pads the real and
        imaginary parts of a complex x with its real and imaginary parts.
    origin : int, optional
        Shifts the kernel: -(K // 2) <= origin <= (K - 1) // 2.  Default 0 (centred).
    out : ndarray, optional
        Where to write the result: x's shape and the result's dtype.  May be x itself (in
        place, with line-sized scratch only -- except complex data with a complex kernel,
        whose real and imaginary parts need result-sized temporaries) or overlap x; must not
        overlap itself.
    {DTYPE}
    {THREADS}"""

PLANE = """\
{SIZE}
    {BOUNDARY}
    {DTYPE}
    {THREADS}

    Returns
    -------
    out : ndarray
        (..., H', W') with H', W' per `mode`.

    Notes
    -----
    A kernel that splits into separable factors rebuilding every tap -- exactly when it is
    integer-valued, else to a few units of x's precision of each tap -- runs as fused
    separable passes (about 2K instead of K^2 multiplies per output for rank 1); any other
    kernel, or one holding NaN or inf, runs as a direct 2-D sum, and so does a split of two
    or more passes when x holds NaN or inf, and any split when the fill does (their sums
    would give NaN where scipy's give +-inf, or the reverse).  So integer data with an
    integer kernel gives exact sums wherever they are representable, as scipy's do, and NaN
    and inf land where scipy's land.  Complex values are real correlations of their parts,
    as in scipy.ndimage: NaN or inf in one part does not reach the other, which
    scipy.signal's complex products carry it into (NaN x 0).  One deliberate difference from
    scipy: for complex data with mode 'valid' and a kernel larger than x,
    scipy.signal.correlate2d swaps its inputs and so conjugates x instead of the kernel; the
    result here equals scipy.signal.correlate(x, kernel, 'valid') then too.

    {INTEGER_2D}"""

DTYPE = """\
dtype : {None, uint8, uint16, int16}, optional
        For x of uint8, uint16 or int16: the integer type of the result, rounded to nearest
        and saturated to the type's range (Notes, "Integer results"); an `out` of one of
        these types asks for it too (and is written through a temporary when it overlaps
        x).  Default None: the float result."""


def _integer(how, per_axis=""):
    return """Integer results (`dtype` or `out` of uint8, uint16 or int16, for x of one of these
    types) are computed in integers, exactly:

    * The kernel k becomes integer taps q with F fractional bits by error diffusion:
      ``q[t] = R(2^F P[t]) - R(2^F P[t-1])``, ``P[t] = k[0] + ... + k[t]`` summed exactly,
      ``P[-1] = 0``, R rounding half to even.  So ``|q[t] - 2^F k[t]| <= 1`` and
      ``sum(q) = R(2^F sum(k))``: a kernel summing to 1 keeps a constant image constant.
    * Each output is the exact sum S of taps times samples, rounded once, half up, and
      saturated: ``y = clip(floor((S + 2^(F-1)) / 2^F))``.""" + how + """
    * F is the largest number of bits for which the taps fit 16 bits and the sums fit
      32-bit arithmetic (over all inputs of x's type, S spans at most 2^32 - 2^F values and
      S / 2^F stays within +-2^30); where that leaves E (below) above 1/2, the sums are
      64 bits and the taps up to 32 bits, with the largest F those allow (2^64, +-2^62).
    * Bound: with Y the float64 result, ``|y - clip(Y)| <= 1/2 + E``, where
      ``E = max |sum_t (q[t] / 2^F - k[t]) x[t]|`` over samples x[t] in the range [lo, hi]
      of x's type, i.e. ``max(sum max(d lo, d hi), -sum min(d lo, d hi))`` with
      ``d = q / 2^F - k``.  E <= 1/2, so y is within 1 unit of Y, for every non-negative
      kernel summing to at most 1 with up to 64 taps""" + per_axis + """ (a 15-tap Gaussian
      on uint8: E < 0.01 in one pass, < 0.32 separable); for other kernels the formula says
      how far y can be.
    * The bits depend neither on the thread count nor on the SIMD path.  `cval` (or
      `fillvalue`) must be an integer in x's range."""


INTEGER = _integer("")
INTEGER_SEPARABLE = _integer("""
      Separable: each kernel is quantised (F1, F2 bits); the pass along the second axis
      sums the exact first-pass sums (rows beyond its edges hold cval 2^F1): F = F1 + F2,
      one rounding.  In the bound, k and q are outer(k2, k1) and outer(q2, q1) (with mode
      'constant' along the second axis, its rows of cval count as such).  At most two
      axes.""", " per axis")
INTEGER_2D = _integer("""
      The 2-D kernel is quantised as a whole, in C order.""")

ON1D_REFERENCE = """, where convolve2d
    is scipy.signal.convolve2d with the same mode, boundary and fillvalue."""

ON1D_PARAMETERS = """Parameters
    ----------
    x : array_like
        The signal, shape (..., N); leading axes are a batch of signals.  float32 is computed
        in float32, float64 in float64; bool and integers give float64; complex x or kernel
        gives a complex result.
    kernel : array_like
        2-D, non-empty, (kh, kw).  Convolution, as scipy.signal.convolve2d: the kernel is
        flipped along both axes (and not conjugated)."""

ON1D_OPTIONS = """{SIZE}
    {BOUNDARY}
    {THREADS}"""

ON1D_NOTES = """The 2-D input is never built: besides the result, a call takes O(threads x N) scratch
    (in fact a few segments of 8192 samples per thread).  Complex values are computed as
    real calls on their parts, with up to three real arrays of the result's size as
    temporaries (NaN or inf in one part does not reach the other, as in scipy.ndimage).
    Taps of kernel rows that meet the same samples (and the taps meeting rows of fillvalue)
    are summed before multiplying, so where x or fillvalue holds infinities a result may be
    +-inf where the reference's inf - inf or 0 * inf gives NaN."""

_FRAGMENTS = {"{ON1D_REFERENCE}": ON1D_REFERENCE, "{ON1D_PARAMETERS}": ON1D_PARAMETERS,
              "{ON1D_OPTIONS}": ON1D_OPTIONS,
              "{ON1D_NOTES}": ON1D_NOTES, "{PLANE}": PLANE, "{LINE}": LINE, "{MODES}": MODES, "{SIZE}": SIZE,
              "{BOUNDARY}": BOUNDARY, "{THREADS}": THREADS, "{DTYPE}": DTYPE,
              "{INTEGER}": INTEGER, "{INTEGER_SEPARABLE}": INTEGER_SEPARABLE,
              "{INTEGER_2D}": INTEGER_2D}


def fill(template):
    """Insert the shared fragments into a docstring."""
    for key, text in _FRAGMENTS.items():
        template = template.replace(key, text)
    return template


def filled(function):
    """Decorator: the shared fragments inserted into the function's own docstring."""
    if function.__doc__:  # None under python -OO
        function.__doc__ = fill(function.__doc__)
    return function
