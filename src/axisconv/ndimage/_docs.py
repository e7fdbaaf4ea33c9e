"""Docstring fragments shared by the axisconv.ndimage functions (scipy's parameter names)."""

INPUT = """input : array_like
        The input array: bool, integers, float32, float64, complex64 or complex128."""

OUTPUT = """output : ndarray or dtype, optional
        The array to place the result in (the input's shape), or its dtype (a dtype, a
        type such as np.float32, or a dtype string).  Default: the input's dtype, as in
        scipy, so an integer input gives an integer result: truncated toward zero
        (negative values wrap in unsigned types), a value within its rounding error of an
        integer taken as that integer.  Ask for ``output=np.float64`` to keep the
        fractions.  float32 input into a float32 output is computed in float32 (scipy
        computes in float64 and rounds: the results agree to float32 rounding), every
        other combination in float64."""

MODE = """mode : str, optional
        How the input is extended beyond its edges, in scipy.ndimage's names
        (case-sensitive)::

            'reflect'   'grid-mirror'     d c b a | a b c d | d c b a
            'mirror'                        d c b | a b c d | c b a
            'nearest'                     a a a a | a b c d | d d d d
            'wrap'      'grid-wrap'       a b c d | a b c d | a b c d
            'constant'  'grid-constant'   k k k k | a b c d | k k k k    (k = cval)

        The pattern keeps extending when the kernel is longer than the axis.  Default
        'reflect'."""

MODES = MODE.replace("mode : str, optional", "mode : str or sequence of str, optional") + """
        A sequence gives one mode per axis{PER_AXIS}."""

CVAL = """cval : scalar, optional
        The k of mode 'constant' (default 0.0).  For complex input, its real and
        imaginary parts pad the real and imaginary parts."""

ORIGIN = """origin : int, optional
        Shifts the kernel: 0 (default) centres it on each output sample; a positive
        origin shifts it toward lower indices.  -(K // 2) <= origin <= (K - 1) // 2 for a
        kernel of K taps."""

AXIS = """axis : int, optional
        The axis to filter along (default -1, the last)."""

AXES = """axes : int, tuple of int or None, optional
        The axes to filter along (default: all).  Sequences given for the per-axis
        parameters have one entry per axis of `axes`, in its order."""

FAST = """The work runs on axisconv's C core (SIMD, threads: ``axisconv.set_num_threads``)."""


def fill(template, **extra):
    """Insert the shared fragments (and `extra` ones) into a docstring."""
    fragments = {"INPUT": INPUT, "OUTPUT": OUTPUT, "MODE": MODE, "MODES": MODES,
                 "CVAL": CVAL, "ORIGIN": ORIGIN, "AXIS": AXIS, "AXES": AXES, "FAST": FAST,
                 "PER_AXIS": ""}
    fragments.update(extra)
    for _ in range(2):  # fragments may hold fragments
        for name, text in fragments.items():
            template = template.replace("{" + name + "}", text)
    return template
