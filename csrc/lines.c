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

void ax_outer_init(ax_outer *o, const ax_view *in, const ax_view *out, int skip1, int skip2)
{
    o->n = 0;
    o->count = 1;
    for (int d = 0; d < in->ndim; d++) {
        if (d == skip1 || d == skip2) continue;
        o->shape[o->n] = in->shape[d];
        o->str_in[o->n] = in->strides[d];
        o->str_out[o->n] = out->strides[d];
        o->count *= in->shape[d];
        o->n++;
    }
}

void ax_lines_init(ax_lines *g, const ax_view *in, const ax_view *out, int axis, int inner)
{
    g->L = in->shape[axis];
    g->Lout = out->shape[axis];
    g->sa_in = in->strides[axis];
    g->sa_out = out->strides[axis];
    g->n_inner = inner < 0 ? 1 : in->shape[inner];
    g->si_in = inner < 0 ? 0 : in->strides[inner];
    g->si_out = inner < 0 ? 0 : out->strides[inner];
    ax_outer_init(&g->outer, in, out, axis, inner);
}

static ax_axis axis_of(const ax_view *in, const ax_view *out, int d)
{
    ax_axis a = {in->shape[d], out->shape[d], in->strides[d], out->strides[d]};
    return a;
}

void ax_plane_init(ax_plane *g, const ax_view *in, const ax_view *out, int r, int c)
{
    g->r = axis_of(in, out, r);
    g->c = axis_of(in, out, c);
    ax_outer_init(&g->outer, in, out, r, c);
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

#define AX_TEMPLATE "lines_driver.inc"
#include "per_dtype.h"

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
