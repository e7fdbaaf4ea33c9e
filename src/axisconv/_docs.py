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


def fill(template):
    """Insert the shared fragments into a docstring."""
    return (template.replace("{MODES}", MODES).replace("{SIZE}", SIZE)
            .replace("{BOUNDARY}", BOUNDARY).replace("{THREADS}", THREADS))
