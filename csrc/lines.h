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

/* Byte offsets of outer line `o` in the input and the output. */
static inline void ax_outer_offsets(const ax_lines *g, int64_t o, int64_t *in, int64_t *out)
{
    int64_t a = 0, b = 0;
    for (int d = g->nouter - 1; d >= 0; d--) {
        int64_t q = o % g->oshape[d];
        o /= g->oshape[d];
        a += q * g->ostr_in[d];
        b += q * g->ostr_out[d];
    }
    *in = a;
    *out = b;
}

/* Describe `in`/`out` along `axis`; `inner` is the axis to vectorise across, or -1. */
void ax_lines_init(ax_lines *g, const ax_view *in, const ax_view *out, int axis, int inner);

/* The non-filtered axis with the smallest input stride, if vectorising across it pays. */
int ax_lines_pick_inner(const ax_view *in, int axis);

#endif
