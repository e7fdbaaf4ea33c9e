/* Slow, obviously right references for tests/c/test_capi.c, in double precision, on
 * C-ordered arrays of doubles; and typed, strided buffers to hand the C API.  Nothing here
 * shares code with csrc/: the boundary extension is written as the unfolding of its
 * definition, not as the library's modular arithmetic. */
#ifndef AX_TEST_REFERENCE_H
#define AX_TEST_REFERENCE_H

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "axisconv.h"

#define MAXD 4

/* ---- the boundary extension: where sample i of a line of n comes from (-1: constant) ---- */

static int64_t ext_index(int64_t i, int64_t n, ax_mode mode)
{
    if (mode == AX_CONSTANT) return i >= 0 && i < n ? i : -1;
    if (mode == AX_NEAREST) return i < 0 ? 0 : i >= n ? n - 1 : i;
    if (mode == AX_MIRROR && n == 1) return 0;
    while (i < 0 || i >= n) { /* fold back in, one reflection or period at a time */
        switch (mode) {
        case AX_WRAP: i += i < 0 ? n : -n; break;
        case AX_REFLECT: i = i < 0 ? -1 - i : 2 * n - 1 - i; break; /* d c b a | a b c d */
        default: i = i < 0 ? -i : 2 * n - 2 - i; break;             /*   d c b | a b c d */
        }
    }
    return i;
}

/* ---- shapes ----------------------------------------------------------------------------- */

static int64_t count_of(int nd, const int64_t *shape)
{
    int64_t n = 1;
    for (int d = 0; d < nd; d++) n *= shape[d];
    return n;
}

static void unravel(int64_t o, int nd, const int64_t *shape, int64_t *idx)
{
    for (int d = nd - 1; d >= 0; d--) {
        idx[d] = o % shape[d];
        o /= shape[d];
    }
}

static int64_t ravel(int nd, const int64_t *shape, const int64_t *idx)
{
    int64_t o = 0;
    for (int d = 0; d < nd; d++) o = o * shape[d] + idx[d];
    return o;
}

/* ---- typed strided buffers ---------------------------------------------------------------- */

/* An array of float or double in a buffer of `cap` elements, seen through a view whose
 * strides are given in elements (and may leave gaps). */
typedef struct {
    ax_dtype dt;
    void *base;
    int64_t offset, cap;
    int nd;
    int64_t shape[MAXD], strides[MAXD]; /* elements, then bytes in the view */
    int64_t bstrides[MAXD];
    ax_view v;
} typed;

static size_t size_of(ax_dtype dt) { return dt == AX_FLOAT32 ? sizeof(float) : sizeof(double); }

/* C-ordered strides (elements) for `shape`, every axis spread by `spread[d]` (>= 1). */
static void typed_init(typed *a, ax_dtype dt, int nd, const int64_t *shape, const int64_t *spread)
{
    a->dt = dt;
    a->nd = nd;
    int64_t step = 1;
    for (int d = nd - 1; d >= 0; d--) {
        a->shape[d] = shape[d];
        a->strides[d] = step * (spread ? spread[d] : 1);
        step = a->strides[d] * (shape[d] > 0 ? shape[d] : 1);
    }
    a->offset = 0;
    a->cap = step + 1;
    /* one element past the start, so the data is not 64-byte aligned: kernels must not care */
    a->base = calloc((size_t)a->cap + 1, size_of(dt));
    if (!a->base) abort();
    a->offset = 1;
    for (int d = 0; d < nd; d++) a->bstrides[d] = a->strides[d] * (int64_t)size_of(dt);
    a->v.data = (char *)a->base + a->offset * (int64_t)size_of(dt);
    a->v.ndim = nd;
    a->v.shape = a->shape;
    a->v.strides = a->bstrides;
}

/* The same elements with axes `perm` (a transposed view). */
static void typed_permute(typed *a, const int *perm)
{
    int64_t shape[MAXD], strides[MAXD];
    for (int d = 0; d < a->nd; d++) {
        shape[d] = a->shape[perm[d]];
        strides[d] = a->strides[perm[d]];
    }
    for (int d = 0; d < a->nd; d++) {
        a->shape[d] = shape[d];
        a->strides[d] = strides[d];
        a->bstrides[d] = strides[d] * (int64_t)size_of(a->dt);
    }
}

static int64_t typed_at(const typed *a, const int64_t *idx)
{
    int64_t o = a->offset;
    for (int d = 0; d < a->nd; d++) o += idx[d] * a->strides[d];
    return o;
}

static double typed_get(const typed *a, const int64_t *idx)
{
    int64_t o = typed_at(a, idx);
    return a->dt == AX_FLOAT32 ? (double)((float *)a->base)[o] : ((double *)a->base)[o];
}

static void typed_set(typed *a, const int64_t *idx, double v)
{
    int64_t o = typed_at(a, idx);
    if (a->dt == AX_FLOAT32) ((float *)a->base)[o] = (float)v;
    else ((double *)a->base)[o] = v;
}

/* x (C-ordered doubles of a's shape) into a, rounded to its type; x keeps the rounded values. */
static void typed_fill(typed *a, double *x)
{
    int64_t idx[MAXD], n = count_of(a->nd, a->shape);
    for (int64_t o = 0; o < n; o++) {
        unravel(o, a->nd, a->shape, idx);
        typed_set(a, idx, x[o]);
        x[o] = typed_get(a, idx);
    }
}

static void typed_free(typed *a) { free(a->base); }

/* ---- random numbers (xorshift64*: the same on every machine) ------------------------------ */

static uint64_t rng_state = 0x9E3779B97F4A7C15u;

static double uniform(void) /* in [-1, 1) */
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return (double)((rng_state * 2685821657736338717u) >> 11) / 4503599627370496.0 - 1.0;
}

static double *random_doubles(int64_t n)
{
    double *x = malloc((size_t)(n > 0 ? n : 1) * sizeof *x);
    if (!x) abort();
    for (int64_t i = 0; i < n; i++) x[i] = uniform();
    return x;
}

/* ---- references ----------------------------------------------------------------------------- */

/* y (oshape) = x (shape) correlated with k along `axis`: y[i] = sum_t k[t] x_ext[i + t - off]. */
static void ref_correlate1d(const double *x, int nd, const int64_t *shape, const int64_t *oshape,
                            int axis, const double *k, int64_t K, int64_t off, ax_mode mode,
                            double cval, double *y)
{
    int64_t idx[MAXD], n = count_of(nd, oshape);
    for (int64_t o = 0; o < n; o++) {
        unravel(o, nd, oshape, idx);
        const int64_t i = idx[axis];
        double s = 0;
        for (int64_t t = 0; t < K; t++) {
            int64_t src = ext_index(i + t - off, shape[axis], mode);
            idx[axis] = src;
            s += k[t] * (src < 0 ? cval : x[ravel(nd, shape, idx)]);
        }
        y[o] = s;
    }
}

#endif
