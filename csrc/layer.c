/* ax_conv1d (axisconv.h), the C side of src/axisconv/layer.py, the multi-channel layer:
 * checks the geometry, then runs the driver for the element type (layer.inc).  The driver
 * cuts the output into work items of a few batch lines times a chunk of positions; each item
 * gathers just the input rows its outputs read (the boundary mode is applied there, per row,
 * so padding never means copying the input; outputs whose taps all fall inside the line read
 * it in place where the layout allows) and calls a kernel of layer_kernels.inc: dense
 * ("mix"), depthwise across channels ("dw") or depthwise across positions ("dwp", few
 * channels). */
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

/* The problem, shared by both element types: x viewed as (batch..., W, C_in) through the
 * strides of ax_lines (the spatial axis is its `axis`, the channels its `inner`). */
typedef struct {
    ax_lines g;
    int64_t W, Wout, Cin, Cout, K, groups, Cg, Cog, stride, dil, pad;
    ax_mode mode;
} ax_conv;

static int64_t ceil_div(int64_t a, int64_t b) { return (a + b - 1) / b; }

static int64_t lcm64(int64_t a, int64_t b)
{
    int64_t x = a, y = b;
    while (y) {
        int64_t r = x % y;
        x = y;
        y = r;
    }
    return a / x * b;
}

/* Where the input rows of a chunk of P outputs go in the gather buffer, as "slots".
 * Output m (0 <= m < P) reads window position q = m * stride + t * dil at tap t and finds it
 * at slot toff[t] + m * mstep:
 *  - run layout: slot (q % phases) * ldr + q / phases.  With phases = stride (the dense
 *    kernel) every output steps by one slot whatever the stride, so a register tile of
 *    outputs reads consecutive addresses; with phases = 1 (depthwise) the slots are the
 *    window's rows in order, tap t at t * dil, output m at m * stride.  Either way the n
 *    positions of the window take n slots, each once.
 *  - tap layout (im2col): slot t * P + m; used when K * P slots are fewer, i.e. when a large
 *    dilation leaves most window positions unread. */
typedef struct {
    int64_t P, nslots, ldr, phases;
    int im2col;          /* 1: tap layout */
    int64_t *toff;       /* K offsets */
    int64_t mstep;       /* slots from one output to the next */
    int64_t tstep;       /* slots from one tap to the next (when phases == 1) */
} ax_slots;

static int slots_init(ax_slots *s, const ax_conv *c, int64_t P, int64_t phases)
{
    const int64_t n = (P - 1) * c->stride + (c->K - 1) * c->dil + 1;
    s->P = P;
    s->phases = phases;
    s->ldr = ceil_div(n, phases);
    s->im2col = c->K * P < phases * s->ldr;
    s->nslots = s->im2col ? c->K * P : phases * s->ldr;
    s->mstep = s->im2col ? 1 : c->stride / phases;
    s->tstep = s->im2col ? P : c->dil;
    s->toff = malloc((size_t)c->K * sizeof *s->toff);
    if (!s->toff) return AX_ENOMEM;
    for (int64_t t = 0; t < c->K; t++) {
        int64_t q = t * c->dil;
        s->toff[t] = s->im2col ? t * P : (q % phases) * s->ldr + q / phases;
    }
    return AX_OK;
}

/* The slots read by np outputs whose window starts at input position a, as a list:
 * slot[k] and its source row src[k] (-1 for "zero"), for k < the returned count. */
static int64_t slot_sources(const ax_slots *s, const ax_conv *c, int64_t a, int64_t np,
                            int64_t *slot, int64_t *src)
{
    int64_t k = 0;
    if (s->im2col) {
        for (int64_t t = 0; t < c->K; t++)
            for (int64_t m = 0; m < np; m++, k++) {
                slot[k] = t * s->P + m;
                src[k] = ax_boundary_index(a + m * c->stride + t * c->dil, c->W, c->mode);
            }
        return k;
    }
    const int64_t n = (np - 1) * c->stride + (c->K - 1) * c->dil + 1;
    for (int64_t r = 0; r < s->phases && r < n; r++)
        for (int64_t q = r; q < n; q += s->phases, k++) {
            slot[k] = r * s->ldr + q / s->phases;
            src[k] = ax_boundary_index(a + q, c->W, c->mode);
        }
    return k;
}

static int ax_stream_output(const ax_conv *c, int64_t elsize)
{
    return ax_stream_pays(c->g.outer.count * (c->W * c->Cin + c->Wout * c->Cout) * elsize, c->K);
}

/* Which kernel a layer runs: dense mixing, depthwise across channels (vectors of channels),
 * or depthwise across positions (vectors of positions, for layers with few channels). */
enum { KIND_MIX, KIND_DW, KIND_DWP };

/* How a dense layer's interior outputs read x in place: NWC rows of channels, or (NCW,
 * stride 1) runs of positions per channel. */
enum { DIRECT_NONE, DIRECT_ROWS, DIRECT_CHANNELS };

#define AX_TEMPLATE "layer.inc"
#include "per_dtype.h"

/* Depthwise layers with fewer channels than this look for a batch axis to fold into them. */
#define FOLD_BELOW 64

/* A batch axis that steps over exactly one row of channels in `in` and `out` (channels
 * contiguous in `in`), or -1.  Along such an axis a depthwise layer is the same layer with
 * the axis folded into the channels: the column-wise layer on a (B, H, W, C) map with few
 * channels becomes one with W * C, read in place a vector of channels at a time. */
static int fold_axis(const ax_view *in, const ax_view *out, int axis, int chan, int64_t elsize)
{
    if (in->strides[chan] != elsize || out->shape[chan] >= FOLD_BELOW) return -1;
    for (int d = 0; d < in->ndim; d++)
        if (d != axis && d != chan && in->shape[d] > 1
            && in->strides[d] == in->shape[chan] * in->strides[chan]
            && out->strides[d] == out->shape[chan] * out->strides[chan])
            return d;
    return -1;
}

/* Whether folding axis d keeps the memory it takes in proportion: each work item gathers a
 * window of about K * dilation rows of all n * Cout folded channels, and the filters repeat
 * n times (in float64, then packed), which a long kernel over a long folded axis makes many
 * times the input (a 9 MB map took 0.9 GB).  A window of a quarter of the input's values
 * (all of it then takes two to three times the input on one or two threads, a window more
 * per thread beyond), or of no more bytes than the L2 cache, is a small cost. */
static int fold_fits(const ax_view *in, int d, int64_t Cout, int64_t K, int64_t dilation)
{
    double elements = 1, window = (double)K * (double)dilation * (double)in->shape[d] * (double)Cout;
    for (int a = 0; a < in->ndim; a++) elements *= (double)in->shape[a];
    return 4 * window <= elements || window * sizeof(double) <= (double)ax_l2_bytes();
}

static int conv1d_views(ax_dtype dtype, const ax_view *in, const ax_view *out, int axis,
                        int chan, const double *filters, const double *bias, int64_t K,
                        int64_t groups, int64_t stride, int64_t dilation, int64_t pad_left,
                        ax_mode mode, int threads);

/* The depthwise layer with batch axis d folded into the channels: the filters (and bias)
 * repeat once per index along d. */
static int conv1d_folded(ax_dtype dtype, const ax_view *in, const ax_view *out, int axis,
                         int chan, int d, const double *filters, const double *bias, int64_t K,
                         int64_t stride, int64_t dilation, int64_t pad_left, ax_mode mode,
                         int threads)
{
    const int64_t n = in->shape[d], Cin = in->shape[chan], Cout = out->shape[chan];
    int64_t ishape[AX_MAXDIM], oshape[AX_MAXDIM];
    memcpy(ishape, in->shape, (size_t)in->ndim * sizeof(int64_t));
    memcpy(oshape, out->shape, (size_t)out->ndim * sizeof(int64_t));
    ishape[chan] *= n;
    oshape[chan] *= n;
    ishape[d] = oshape[d] = 1;
    ax_view fin = {in->data, in->ndim, ishape, in->strides};
    ax_view fout = {out->data, out->ndim, oshape, out->strides};
    double *f = malloc((size_t)(K * n * Cout) * sizeof(double));
    double *b = bias ? malloc((size_t)(n * Cout) * sizeof(double)) : NULL;
    int rc = AX_ENOMEM;
    if (f && (b || !bias)) {
        for (int64_t t = 0; t < K; t++)
            for (int64_t i = 0; i < n; i++)
                memcpy(f + (t * n + i) * Cout, filters + t * Cout, (size_t)Cout * sizeof(double));
        for (int64_t i = 0; b && i < n; i++)
            memcpy(b + i * Cout, bias, (size_t)Cout * sizeof(double));
        rc = conv1d_views(dtype, &fin, &fout, axis, chan, f, b, K, Cin * n, stride, dilation,
                          pad_left, mode, threads);
    }
    free(f);
    free(b);
    return rc;
}

static int conv1d_views(ax_dtype dtype, const ax_view *in, const ax_view *out, int axis,
                        int chan, const double *filters, const double *bias, int64_t K,
                        int64_t groups, int64_t stride, int64_t dilation, int64_t pad_left,
                        ax_mode mode, int threads)
{
    ax_conv c;
    c.W = in->shape[axis];
    c.Wout = out->shape[axis];
    c.Cin = in->shape[chan];
    c.Cout = out->shape[chan];
    if (groups == c.Cin) {
        int d = fold_axis(in, out, axis, chan, dtype == AX_FLOAT32 ? 4 : 8);
        if (d >= 0 && fold_fits(in, d, c.Cout, K, dilation))
            return conv1d_folded(dtype, in, out, axis, chan, d, filters, bias, K, stride,
                                 dilation, pad_left, mode, threads);
    }
    ax_lines_init(&c.g, in, out, axis, chan);
    c.K = K;
    c.groups = groups;
    c.Cg = c.Cin / groups;
    c.Cog = c.Cout / groups;
    c.stride = stride;
    c.dil = dilation;
    c.pad = pad_left;
    c.mode = mode;
    switch (dtype) {
    case AX_FLOAT32: return conv1d_f32(&c, in->data, out->data, filters, bias, threads);
    case AX_FLOAT64: return conv1d_f64(&c, in->data, out->data, filters, bias, threads);
    }
    return AX_EINVAL;
}

int ax_conv1d(ax_dtype dtype, ax_view in, ax_view out, int axis, int chan, const double *filters,
              const double *bias, int64_t K, int64_t groups, int64_t stride, int64_t dilation,
              int64_t pad_left, ax_mode mode, int threads)
{
    if (ax_plane_check(&in, &out, axis, chan) != AX_OK || K < 1 || groups < 1
        || stride < 1 || dilation < 1 || pad_left < 0
        || (dtype != AX_FLOAT32 && dtype != AX_FLOAT64))
        return AX_EINVAL;
    if (in.shape[chan] % groups || out.shape[chan] % groups) return AX_EINVAL;
    if (!ax_extends(&in, axis, mode)) return AX_EINVAL;
    for (int d = 0; d < out.ndim; d++)
        if (out.shape[d] == 0) return AX_OK;
    return conv1d_views(dtype, &in, &out, axis, chan, filters, bias, K, groups, stride, dilation,
                        pad_left, mode, threads);
}
