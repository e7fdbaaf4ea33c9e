/* ax_correlate1d (axisconv.h), the C side of src/axisconv/filters.py: checks the call, then
 * runs filter1d.inc, which plans the row path (contiguous axis: one padded line per work
 * item; kernel row) or the column path (strided axis: strips of neighbouring lines, one
 * vector across them; kernel col).  The kernels live in line_kernels.inc. */
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

#define AX_TEMPLATE "filter1d.inc"
#include "per_dtype.h"

static int correlate1d(ax_dtype dtype, ax_view in, ax_view out, int axis, const double *kernel,
                       int64_t ksize, int64_t offset, ax_mode mode, double cval, int fold,
                       int threads)
{
    if (ax_line_check(&in, &out, axis) != AX_OK || ksize < 1 || !ax_extends(&in, axis, mode))
        return AX_EINVAL;
    if (ax_view_empty(&out)) return AX_OK;
    switch (dtype) {
    case AX_FLOAT32:
        return correlate1d_f32(&in, &out, axis, kernel, ksize, offset, mode, cval, fold, threads);
    case AX_FLOAT64:
        return correlate1d_f64(&in, &out, axis, kernel, ksize, offset, mode, cval, fold, threads);
    }
    return AX_EINVAL;
}

int ax_correlate1d(ax_dtype dtype, ax_view in, ax_view out, int axis, const double *kernel,
                   int64_t ksize, int64_t offset, ax_mode mode, double cval, int threads)
{
    return correlate1d(dtype, in, out, axis, kernel, ksize, offset, mode, cval, 1, threads);
}

int ax_correlate1d_unfolded(ax_dtype dtype, ax_view in, ax_view out, int axis,
                            const double *kernel, int64_t ksize, int64_t offset, ax_mode mode,
                            double cval, int threads)
{
    return correlate1d(dtype, in, out, axis, kernel, ksize, offset, mode, cval, 0, threads);
}
