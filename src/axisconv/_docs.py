"""Docstring fragments shared by the public functions."""

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
        The k of 'fill' (default 0).  A complex fillvalue needs a complex x."""


THREADS = """\
threads : int, optional
        Threads to use (default: get_num_threads()).  Results are bitwise identical for any
        thread count.  The GIL is released while computing."""


DTYPE = """\
dtype : {None, uint8, uint16, int16}, optional
        For x of uint8, uint16 or int16: the integer type of the result, rounded to nearest
        and saturated to the type's range (Notes, "Integer results"); an `out` of one of
        these types asks for it too.  Default None: the float result."""

INTEGER = """\
Integer results (`dtype` or `out` of uint8, uint16 or int16, for x of one of these
    types) are computed in integers, exactly:

    * The kernel k becomes integer taps q with F fractional bits by error diffusion:
      ``q[t] = R(2^F P[t]) - R(2^F P[t-1])``, ``P[t] = k[0] + ... + k[t]`` summed exactly,
      ``P[-1] = 0``, R rounding half to even.  So ``|q[t] - 2^F k[t]| <= 1`` and
      ``sum(q) = R(2^F sum(k))``: a kernel summing to 1 keeps a constant image constant.
    * Each output is the exact sum S of taps times samples, rounded once, half up, and
      saturated: ``y = clip(floor((S + 2^(F-1)) / 2^F))``.{SEPARABLE}
    * F is the largest number of bits for which the taps fit 16 bits and every sum (over all
      inputs of x's type) fits 32 bits; where that leaves E (below) above 1/2, sums are
      64 bits and taps up to 32 bits, with the largest F those allow.
    * Bound: with Y the float64 result, ``|y - clip(Y)| <= 1/2 + E``, where
      ``E = max |sum_t (q[t] / 2^F - k[t]) x[t]|`` over samples x[t] in the range [lo, hi]
      of x's type, i.e. ``max(sum max(d lo, d hi), -sum min(d lo, d hi))`` with
      ``d = q / 2^F - k``.  E <= 1/2, so y is within 1 unit of Y, for every non-negative
      kernel summing to at most 1 with up to 64 taps{PER_AXIS} (a 15-tap Gaussian on
      uint8: E < 0.01 in one pass, < 0.32 separable); for other kernels the formula says
      how far y can be.
    * The bits depend neither on the thread count nor on the SIMD path.  `cval` (or
      `fillvalue`) must be an integer in x's range."""


def fill(template, **extra):
    """Insert the shared fragments into a docstring, then the `extra` ones ({NAME})."""
    text = (template.replace("{MODES}", MODES).replace("{SIZE}", SIZE)
            .replace("{BOUNDARY}", BOUNDARY).replace("{THREADS}", THREADS)
            .replace("{DTYPE}", DTYPE).replace("{INTEGER}", INTEGER))
    for name, value in extra.items():
        text = text.replace("{" + name + "}", value)
    return text
