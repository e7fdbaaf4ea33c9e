/* Fused separable correlation and direct 2-D correlation over a plane of an N-D array:
 * tiles of output rows whose first pass (or padded rows) live in a small per-thread buffer,
 * so the input is read once and the output written once. */
#include <stdlib.h>
#include <string.h>

#include "axisconv.h"
#include "boundary.h"
#include "line_kernels.h"
#include "lines.h"
#include "parallel.h"
#include "template.h"

#define AX_TEMPLATE "plane_driver.inc"
#include "per_dtype.h"

static int check_plane(const ax_view *in, const ax_view *out, int r, int c)
{
    if (in->ndim != out->ndim || in->ndim > AX_MAXDIM || r == c || r < 0 || c < 0 ||
        r >= in->ndim || c >= in->ndim)
        return AX_EINVAL;
    for (int d = 0; d < in->ndim; d++)
        if (d != r && d != c && in->shape[d] != out->shape[d]) return AX_EINVAL;
    return AX_OK;
}

static int empty(const ax_view *v)
{
    for (int d = 0; d < v->ndim; d++)
        if (v->shape[d] == 0) return 1;
    return 0;
}

int ax_correlate_separable(ax_dtype dtype, ax_view in, ax_view out, const ax_pass *first,
                           const ax_pass *second, int accumulate, int threads)
{
    int rc = check_plane(&in, &out, second->axis, first->axis);
    if (rc != AX_OK || first->ksize < 1 || second->ksize < 1) return AX_EINVAL;
    if (empty(&out)) return AX_OK;
    switch (dtype) {
    case AX_FLOAT32: return separable_f32(&in, &out, first, second, accumulate, threads);
    case AX_FLOAT64: return separable_f64(&in, &out, first, second, accumulate, threads);
    }
    return AX_EINVAL;
}

int ax_correlate2d(ax_dtype dtype, ax_view in, ax_view out, int axis_r, int axis_c,
                   const double *kernel, int64_t kh, int64_t kw, int64_t off_r, int64_t off_c,
                   ax_mode mode, double cval, int threads)
{
    int rc = check_plane(&in, &out, axis_r, axis_c);
    if (rc != AX_OK || kh < 1 || kw < 1) return AX_EINVAL;
    if (empty(&out)) return AX_OK;
    switch (dtype) {
    case AX_FLOAT32:
        return correlate2d_f32(&in, &out, axis_r, axis_c, kernel, kh, kw, off_r, off_c, mode, cval, threads);
    case AX_FLOAT64:
        return correlate2d_f64(&in, &out, axis_r, axis_c, kernel, kh, kw, off_r, off_c, mode, cval, threads);
    }
    return AX_EINVAL;
}
