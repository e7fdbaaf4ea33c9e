"""Complex values as real ones, for every function: the C core computes on real arrays, and a
correlation is bilinear, so (a + ib) * (k + il) = a*k - b*l + i(a*l + b*k), where a and b
extend with the real and imaginary parts of the constant they are padded with (as
scipy.ndimage's _complex_via_real_components does)."""
import numpy as np


def via_real(part, out, x_complex, k_complex, constant=0.0):
    """Fill complex (or real) `out` from real correlations.

    ``part(xpart, kpart, into)`` correlates xpart(x) with kpart(kernel), padding with
    xpart(constant), where xpart and kpart are np.real or np.imag; it writes the real result
    into the real array `into` (a view of out's real or imaginary part, perhaps strided) or,
    when `into` is None, into a new array it returns.  When x and the kernel are both complex
    every part of x is needed by both parts of out, so two temporaries of out's size are
    used; otherwise the parts go straight into out (in place if out is x).  A real x padded
    with a complex `constant` counts as complex: its imaginary part is the constant's padding
    around zeros.
    """
    re, im = np.real, np.imag
    x_complex = x_complex or np.imag(constant) != 0
    if out.dtype.kind != "c":
        part(re, re, out)
    elif not k_complex:
        part(re, re, out.real)
        part(im, re, out.imag)
    elif not x_complex:
        part(re, re, out.real)
        part(re, im, out.imag)
    else:
        a, b = part(re, re, None), part(im, im, None)
        with np.errstate(invalid="ignore", over="ignore"):  # inf - inf is NaN, silently
            a -= b
            c = part(re, im, b)
            c += part(im, re, None)
        out.real, out.imag = a, c
    return out
