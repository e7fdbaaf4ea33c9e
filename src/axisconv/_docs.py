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


def fill(template):
    """Insert the shared fragments into a docstring."""
    return template.replace("{MODES}", MODES)
