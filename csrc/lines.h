/* Geometry of "a short correlation along one axis of many lines" (DESIGN.md): the array is
 * described as (outer..., axis, inner), where `inner` is the axis the column path vectorises
 * across.  Shared by the 1-D, separable and layer drivers. */
#ifndef AX_LINES_H
#define AX_LINES_H

#include "axisconv.h"

typedef struct {
    int64_t L, sa_in, sa_out;          /* the filtered axis: length, byte strides */
    int64_t n_inner, si_in, si_out;    /* the vectorised axis (n_inner == 1: row path) */
    int nouter;                        /* every other axis, iterated as a flat index */
    int64_t oshape[AX_MAXDIM], ostr_in[AX_MAXDIM], ostr_out[AX_MAXDIM];
    int64_t n_outer;
} ax_lines;

/* Walks the outer lines in order, tracking their byte offsets in the input and output
 * (divisions only to seek, an odometer to step). */
typedef struct {
    int64_t idx[AX_MAXDIM];
    int64_t in, out;
} ax_cursor;

static inline void ax_cursor_seek(const ax_lines *g, ax_cursor *c, int64_t o)
{
    c->in = c->out = 0;
    for (int d = g->nouter - 1; d >= 0; d--) {
        c->idx[d] = o % g->oshape[d];
        o /= g->oshape[d];
        c->in += c->idx[d] * g->ostr_in[d];
        c->out += c->idx[d] * g->ostr_out[d];
    }
}

static inline void ax_cursor_next(const ax_lines *g, ax_cursor *c)
{
    for (int d = g->nouter - 1; d >= 0; d--) {
        c->in += g->ostr_in[d];
        c->out += g->ostr_out[d];
        if (++c->idx[d] < g->oshape[d]) return;
        c->in -= g->oshape[d] * g->ostr_in[d];
        c->out -= g->oshape[d] * g->ostr_out[d];
        c->idx[d] = 0;
    }
}

/* Describe `in`/`out` along `axis`; `inner` is the axis to vectorise across, or -1. */
void ax_lines_init(ax_lines *g, const ax_view *in, const ax_view *out, int axis, int inner);

/* The non-filtered axis with the smallest input stride, if vectorising across it pays. */
int ax_lines_pick_inner(const ax_view *in, int axis);

#endif
