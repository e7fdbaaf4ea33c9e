/* The geometry every driver shares (geometry.h): outer axes, lines along an axis, planes. */
#include "geometry.h"

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

int ax_lines_pick_inner(const ax_view *in, int axis)
{
    int best = -1;
    for (int d = 0; d < in->ndim; d++) {
        if (d == axis || in->shape[d] < 2) continue;
        if (best < 0 || ax_iabs(in->strides[d]) < ax_iabs(in->strides[best])) best = d;
    }
    /* Across fewer than 16 lines a vector is mostly empty; along the axis it is full. */
    if (best < 0 || in->shape[best] < 16) return -1;
    return ax_iabs(in->strides[best]) < ax_iabs(in->strides[axis]) ? best : -1;
}

/* in and out of one rank, no extent negative, alike except along axes r and c. */
static int alike_but(const ax_view *in, const ax_view *out, int r, int c)
{
    if (in->ndim != out->ndim || in->ndim > AX_MAXDIM || r < 0 || c < 0 || r >= in->ndim ||
        c >= in->ndim)
        return 0;
    for (int d = 0; d < in->ndim; d++) {
        if (in->shape[d] < 0 || out->shape[d] < 0) return 0;
        if (d != r && d != c && in->shape[d] != out->shape[d]) return 0;
    }
    return 1;
}

int ax_plane_check(const ax_view *in, const ax_view *out, int r, int c)
{
    return r != c && alike_but(in, out, r, c) ? AX_OK : AX_EINVAL;
}

int ax_line_check(const ax_view *in, const ax_view *out, int axis)
{
    return alike_but(in, out, axis, axis) ? AX_OK : AX_EINVAL;
}

int ax_extends(const ax_view *in, int axis, ax_mode mode)
{
    return (unsigned)mode <= AX_CONSTANT && (in->shape[axis] > 0 || mode == AX_CONSTANT);
}

int ax_view_empty(const ax_view *v)
{
    for (int d = 0; d < v->ndim; d++)
        if (v->shape[d] == 0) return 1;
    return 0;
}
