/* ax_correlate2d (axisconv.h), the C side of src/axisconv/conv2d.py: checks the call, then
 * runs the direct 2-D correlation of conv2d.inc (kernel: row2d, line_kernels.inc).  Kernels
 * that split into separable factors never get here: conv2d.py runs them through
 * ax_correlate_separable. */
#include <stdlib.h>
#include <string.h>

#include "axisconv.h"
#include "boundary.h"
#include "cache.h"
#include "geometry.h"
#include "kernels.h"
#include "parallel.h"
#include "taps.h"
#include "template.h"

#define AX_TEMPLATE "conv2d.inc"
#include "per_dtype.h"

int ax_correlate2d(ax_dtype dtype, ax_view in, ax_view out, int axis_r, int axis_c,
                   const double *kernel, int64_t kh, int64_t kw, int64_t off_r, int64_t off_c,
                   ax_mode mode, double cval, int threads)
{
    int rc = ax_plane_check(&in, &out, axis_r, axis_c);
    if (rc != AX_OK || kh < 1 || kw < 1 || !ax_extends(&in, axis_r, mode) ||
        !ax_extends(&in, axis_c, mode))
        return AX_EINVAL;
    if (ax_view_empty(&out)) return AX_OK;
    switch (dtype) {
    case AX_FLOAT32:
        return correlate2d_f32(&in, &out, axis_r, axis_c, kernel, kh, kw, off_r, off_c, mode,
                               cval, threads);
    case AX_FLOAT64:
        return correlate2d_f64(&in, &out, axis_r, axis_c, kernel, kh, kw, off_r, off_c, mode,
                               cval, threads);
    }
    return AX_EINVAL;
}
