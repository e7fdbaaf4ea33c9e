/* Where a sample outside a line of length n comes from, for each boundary mode.  The
 * extension is periodic, so kernels longer than the line keep extending as scipy.ndimage
 * does.  Returns the source index in [0, n), or -1 for "use the constant". */
#ifndef AX_BOUNDARY_H
#define AX_BOUNDARY_H

#include "axisconv.h"

static inline int64_t ax_mod(int64_t i, int64_t p)
{
    int64_t r = i % p;
    return r < 0 ? r + p : r;
}

/* Samples within one line length of the edge (every kernel shorter than the line) are
 * mapped without a division: this runs twice per line. */
static inline int64_t ax_boundary_index(int64_t i, int64_t n, ax_mode mode)
{
    if (i >= 0 && i < n) return i;
    switch (mode) {
    case AX_CONSTANT: return -1;
    case AX_NEAREST: return i < 0 ? 0 : n - 1;
    case AX_WRAP:
        if (i >= -n && i < 2 * n) return i < 0 ? i + n : i - n;
        return ax_mod(i, n);
    case AX_REFLECT:                   /* period 2n: d c b a | a b c d */
        if (i >= -n && i < 2 * n) return i < 0 ? -1 - i : 2 * n - 1 - i;
        {
            int64_t r = ax_mod(i, 2 * n);
            return r < n ? r : 2 * n - 1 - r;
        }
    case AX_MIRROR:                    /* period 2n - 2: c b | a b c d | c b */
        if (n == 1) return 0;
        if (i > -n && i < 2 * n - 1) return i < 0 ? -i : 2 * n - 2 - i;
        {
            int64_t r = ax_mod(i, 2 * n - 2);
            return r < n ? r : 2 * n - 2 - r;
        }
    }
    return -1;
}

#endif
