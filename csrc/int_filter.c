/* ax_correlate1d_int, ax_correlate_separable_int and ax_correlate2d_int (axisconv.h), the C
 * side of src/axisconv/_integer.py: checks the call, describes it as a plane and a kind
 * (below), then runs the driver of int_plane.inc for the input type and the sum width.  The
 * plan (taps, shift, constants) comes from src/axisconv/_fixed.py; the kernels live in
 * int_kernels.inc (portable) and int_kernels_x86.inc. */
#include <stdlib.h>
#include <string.h>

#include "axisconv.h"
#include "boundary.h"
#include "cache.h"
#include "geometry.h"
#include "kernels.h"
#include "parallel.h"
#include "template.h"

/* The kinds of integer call, all over a plane of rows along c stacked along r. */
enum { AX_IROWS, AX_ICOLS, AX_ISEP, AX_I2D };

/* A call, whatever its types: the pass along c (the 2-D kernel for AX_I2D) and along r. */
typedef struct {
    int kind;
    ax_plane g;
    const char *in;
    char *out;
    const int64_t *qc, *qr;
    int64_t Kc, Kr, offc, offr;
    ax_mode modec, moder;
    int64_t cval;  /* the input's constant */
    int64_t cvalr; /* the constant rows beyond the r edges (first-pass sums for AX_ISEP) */
    ax_ifinish fin;
    int64_t osz;
} ax_icall;

#define AX_TEMPLATE "int_plane.inc"
#include "per_itype.h"

static const int64_t isize[AX_ITYPES] = {[AX_U8] = 1, [AX_U16] = 2, [AX_S16] = 2, [AX_S32] = 4,
                                         [AX_S64] = 8};

static int is_image(ax_itype t) { return t == AX_U8 || t == AX_U16 || t == AX_S16; }

static int run(ax_icall *c, ax_itype tin, ax_itype tout, ax_view in, ax_view out,
               const ax_rounding *r, int threads)
{
    if (!is_image(tin) || !is_image(tout) || r->shift < 0 || r->shift > (r->wide ? 62 : 30))
        return AX_EINVAL;
    c->in = in.data;
    c->out = out.data;
    c->osz = isize[tout];
    c->fin = (ax_ifinish){.init = r->init, .post = r->post, .lo = r->lo, .hi = r->hi,
                          .shift = r->shift, .otype = tout, .raw = 0};
    switch (tin + (r->wide ? AX_ITYPES : 0)) {
    case AX_U8: return correlate_int_u8_32(c, threads);
    case AX_U16: return correlate_int_u16_32(c, threads);
    case AX_S16: return correlate_int_s16_32(c, threads);
    case AX_ITYPES + AX_U8: return correlate_int_u8_64(c, threads);
    case AX_ITYPES + AX_U16: return correlate_int_u16_64(c, threads);
    case AX_ITYPES + AX_S16: return correlate_int_s16_64(c, threads);
    }
    return AX_EINVAL;
}

/* The other axis a pass along `axis` steps across row by row: the longest. */
static int other_axis(const ax_view *v, int axis)
{
    int best = -1;
    for (int d = 0; d < v->ndim; d++)
        if (d != axis && (best < 0 || v->shape[d] > v->shape[best])) best = d;
    return best;
}

int ax_correlate1d_int(ax_itype tin, ax_itype tout, ax_view in, ax_view out, const ax_ipass *pass,
                       const ax_rounding *r, int threads)
{
    const int axis = pass->axis;
    if (ax_line_check(&in, &out, axis) != AX_OK || pass->ksize < 1 ||
        !ax_extends(&in, axis, pass->mode))
        return AX_EINVAL;
    if (ax_view_empty(&out)) return AX_OK;
    ax_icall c = {0};
    int inner = ax_lines_pick_inner(&in, axis);
    if (inner >= 0) { /* across rows, vectorised along the inner axis */
        c.kind = AX_ICOLS;
        ax_plane_init(&c.g, &in, &out, axis, inner);
        c.qr = pass->taps;
        c.Kr = pass->ksize;
        c.offr = pass->offset;
        c.moder = pass->mode;
        c.cvalr = pass->cval;
        return run(&c, tin, tout, in, out, r, threads);
    }
    /* along rows: a 1-D array is a plane of one row */
    int64_t shape[2][2] = {{1, in.shape[0]}, {1, out.shape[0]}};
    int64_t strides[2][2] = {{0, in.strides[0]}, {0, out.strides[0]}};
    ax_view in2 = {in.data, 2, shape[0], strides[0]}, out2 = {out.data, 2, shape[1], strides[1]};
    int c_axis = axis, r_axis = other_axis(&in, axis);
    if (in.ndim == 1) {
        in = in2;
        out = out2;
        c_axis = 1;
        r_axis = 0;
    }
    c.kind = AX_IROWS;
    ax_plane_init(&c.g, &in, &out, r_axis, c_axis);
    c.qc = pass->taps;
    c.Kc = pass->ksize;
    c.offc = pass->offset;
    c.modec = pass->mode;
    c.cval = pass->cval;
    return run(&c, tin, tout, in, out, r, threads);
}

int ax_correlate_separable_int(ax_itype tin, ax_itype tout, ax_view in, ax_view out,
                               const ax_ipass *first, const ax_ipass *second,
                               const ax_rounding *r, int threads)
{
    if (ax_plane_check(&in, &out, second->axis, first->axis) != AX_OK || first->ksize < 1 ||
        second->ksize < 1 || !ax_extends(&in, first->axis, first->mode) ||
        !ax_extends(&in, second->axis, second->mode))
        return AX_EINVAL;
    if (ax_view_empty(&out)) return AX_OK;
    ax_icall c = {.kind = AX_ISEP, .qc = first->taps, .Kc = first->ksize, .offc = first->offset,
                  .modec = first->mode, .cval = first->cval, .qr = second->taps,
                  .Kr = second->ksize, .offr = second->offset, .moder = second->mode,
                  .cvalr = second->cval};
    ax_plane_init(&c.g, &in, &out, second->axis, first->axis);
    return run(&c, tin, tout, in, out, r, threads);
}

int ax_correlate2d_int(ax_itype tin, ax_itype tout, ax_view in, ax_view out, int axis_r,
                       int axis_c, const int64_t *taps, int64_t kh, int64_t kw, int64_t off_r,
                       int64_t off_c, ax_mode mode, int64_t cval, const ax_rounding *r,
                       int threads)
{
    if (ax_plane_check(&in, &out, axis_r, axis_c) != AX_OK || kh < 1 || kw < 1 ||
        !ax_extends(&in, axis_r, mode) || !ax_extends(&in, axis_c, mode))
        return AX_EINVAL;
    if (ax_view_empty(&out)) return AX_OK;
    ax_icall c = {.kind = AX_I2D, .qc = taps, .Kc = kw, .Kr = kh, .offc = off_c, .offr = off_r,
                  .modec = mode, .moder = mode, .cval = cval, .cvalr = cval};
    ax_plane_init(&c.g, &in, &out, axis_r, axis_c);
    return run(&c, tin, tout, in, out, r, threads);
}
