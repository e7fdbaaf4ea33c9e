/* ax_correlate_separable (axisconv.h), the C side of src/axisconv/separable.py: checks the
 * call, then runs the fused pass of separable.inc (kernels: col and row, line_kernels.inc). */
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

#define AX_TEMPLATE "separable.inc"
#include "per_dtype.h"

int ax_correlate_separable(ax_dtype dtype, ax_view in, ax_view out, const ax_pass *first,
                           const ax_pass *second, int accumulate, int threads)
{
    int rc = ax_plane_check(&in, &out, second->axis, first->axis);
    if (rc != AX_OK || first->ksize < 1 || second->ksize < 1 ||
        !ax_extends(&in, first->axis, first->mode) || !ax_extends(&in, second->axis, second->mode))
        return AX_EINVAL;
    if (ax_view_empty(&out)) return AX_OK;
    switch (dtype) {
    case AX_FLOAT32: return correlate_separable_f32(&in, &out, first, second, accumulate, threads);
    case AX_FLOAT64: return correlate_separable_f64(&in, &out, first, second, accumulate, threads);
    }
    return AX_EINVAL;
}
