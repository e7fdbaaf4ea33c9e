/* Geometry of "a short correlation along one axis of many lines" (docs/architecture.md): an
 * array is described as (outer..., axis, inner), where `inner` is the axis the column path
 * vectorises across, and a plane as (outer..., rows, columns).  Shared by every driver
 * (filter1d, separable, conv2d, bank, layer); implemented in geometry.c. */
#ifndef AX_GEOMETRY_H
#define AX_GEOMETRY_H

#include "axisconv.h"

/* The axes a driver does not filter along, iterated as one flat index. */
typedef struct {
    int n;
    int64_t shape[AX_MAXDIM], str_in[AX_MAXDIM], str_out[AX_MAXDIM];
    int64_t count;
} ax_outer;

typedef struct {
    int64_t L, Lout, sa_in, sa_out;    /* the filtered axis: input and output lengths, strides */
    int64_t n_inner, si_in, si_out;    /* the vectorised axis (n_inner == 1: row path) */
    ax_outer outer;
} ax_lines;

/* One axis of a plane: input and output lengths and byte strides. */
typedef struct {
    int64_t L, Lout, s_in, s_out;
} ax_axis;

typedef struct {
    ax_axis c;   /* along the rows: lines of this axis are padded and filtered */
    ax_axis r;   /* across the rows: this axis is filtered by combining rows */
    ax_outer outer;
} ax_plane;

/* Walks the outer lines in order, tracking their byte offsets in the input and output
 * (divisions only to seek, an odometer to step). */
typedef struct {
    int64_t idx[AX_MAXDIM];
    int64_t in, out;
} ax_cursor;

static inline void ax_cursor_seek(const ax_outer *g, ax_cursor *c, int64_t o)
{
    c->in = c->out = 0;
    for (int d = g->n - 1; d >= 0; d--) {
        c->idx[d] = o % g->shape[d];
        o /= g->shape[d];
        c->in += c->idx[d] * g->str_in[d];
        c->out += c->idx[d] * g->str_out[d];
    }
}

static inline void ax_cursor_next(const ax_outer *g, ax_cursor *c)
{
    for (int d = g->n - 1; d >= 0; d--) {
        c->in += g->str_in[d];
        c->out += g->str_out[d];
        if (++c->idx[d] < g->shape[d]) return;
        c->in -= g->shape[d] * g->str_in[d];
        c->out -= g->shape[d] * g->str_out[d];
        c->idx[d] = 0;
    }
}

/* Every axis of `in`/`out` but `skip1` and `skip2` (-1 for none). */
void ax_outer_init(ax_outer *o, const ax_view *in, const ax_view *out, int skip1, int skip2);

/* Describe `in`/`out` along `axis`; `inner` is the axis to vectorise across, or -1. */
void ax_lines_init(ax_lines *g, const ax_view *in, const ax_view *out, int axis, int inner);

/* A plane whose rows run along axis `c`, stacked along axis `r`. */
void ax_plane_init(ax_plane *g, const ax_view *in, const ax_view *out, int r, int c);

/* AX_OK if `in` and `out` can be a plane (r, c) of the same batch, else AX_EINVAL. */
int ax_plane_check(const ax_view *in, const ax_view *out, int r, int c);

/* AX_OK if `in` and `out` can be lines along `axis` of the same batch, else AX_EINVAL. */
int ax_line_check(const ax_view *in, const ax_view *out, int axis);

/* Whether `mode` is a mode and can extend `in` along `axis`: an empty axis has nothing to
 * reflect, repeat or wrap, only a constant to pad with. */
int ax_extends(const ax_view *in, int axis, ax_mode mode);

/* Taps a driver keeps on its stack (more are allocated): a small call pays no allocation. */
#define AX_SMALL_KERNEL 64

/* Output rows the plane drivers compute together (the col kernels' block). */
#define AX_ROW_GROUP 4

/* Whether any axis of `v` has length 0. */
int ax_view_empty(const ax_view *v);

/* The non-filtered axis with the smallest input stride, if vectorising across it pays. */
int ax_lines_pick_inner(const ax_view *in, int axis);

static inline int64_t ax_iabs(int64_t v) { return v < 0 ? -v : v; }

/* n elements of esz bytes rounded up to an odd number of 64-byte cache lines: rows that far
 * apart spread over every L1 set (a multiple of 4 KiB puts them all in the same sets). */
static inline int64_t ax_odd_lines(int64_t n, int64_t esz)
{
    const int64_t line = 64 / esz, lines = (n + line - 1) / line;
    return (lines | 1) * line;
}

#endif
