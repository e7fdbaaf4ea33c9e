/* correlate1d: plans the geometry and dispatches to the row path (contiguous axis: one
 * padded line per work item) or the column path (strided axis: strips of neighbouring
 * lines, one vector across them).  The arithmetic lives in line_kernels.inc. */
#include <stdlib.h>
#include <string.h>

#include "axisconv.h"
#include "boundary.h"
#include "line_kernels.h"
#include "lines.h"
#include "parallel.h"
#include "template.h"

void ax_lines_init(ax_lines *g, const ax_view *in, const ax_view *out, int axis, int inner)
{
    memset(g, 0, sizeof *g);
    g->L = in->shape[axis];
    g->sa_in = in->strides[axis];
    g->sa_out = out->strides[axis];
    g->n_inner = 1;
    g->n_outer = 1;
    for (int d = 0; d < in->ndim; d++) {
        if (d == axis) continue;
        if (d == inner) {
            g->n_inner = in->shape[d];
            g->si_in = in->strides[d];
            g->si_out = out->strides[d];
            continue;
        }
        g->oshape[g->nouter] = in->shape[d];
        g->ostr_in[g->nouter] = in->strides[d];
        g->ostr_out[g->nouter] = out->strides[d];
        g->nouter++;
        g->n_outer *= in->shape[d];
    }
}

static int64_t iabs64(int64_t v) { return v < 0 ? -v : v; }

int ax_lines_pick_inner(const ax_view *in, int axis)
{
    int best = -1;
    for (int d = 0; d < in->ndim; d++) {
        if (d == axis || in->shape[d] < 2) continue;
        if (best < 0 || iabs64(in->strides[d]) < iabs64(in->strides[best])) best = d;
    }
    /* Across fewer than 16 lines a vector is mostly empty; along the axis it is full. */
    if (best < 0 || in->shape[best] < 16) return -1;
    return iabs64(in->strides[best]) < iabs64(in->strides[axis]) ? best : -1;
}

#define T float
#define SFX f32
#include "lines_driver.inc"
#undef T
#undef SFX

#define T double
#define SFX f64
#include "lines_driver.inc"
#undef T
#undef SFX

int ax_correlate1d(ax_dtype dtype, ax_view in, ax_view out, int axis, const double *kernel,
                   int64_t ksize, int64_t offset, ax_mode mode, double cval, int threads)
{
    if (axis < 0 || axis >= in.ndim || ksize < 1 || in.ndim > AX_MAXDIM) return AX_EINVAL;
    for (int d = 0; d < in.ndim; d++)
        if (in.shape[d] == 0) return AX_OK;
    switch (dtype) {
    case AX_FLOAT32: return correlate1d_f32(&in, &out, axis, kernel, ksize, offset, mode, cval, threads);
    case AX_FLOAT64: return correlate1d_f64(&in, &out, axis, kernel, ksize, offset, mode, cval, threads);
    }
    return AX_EINVAL;
}
