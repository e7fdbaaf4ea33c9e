/* The hot loops of the multi-channel layer (conv1d), compiled once per instruction set
 * (layer_kernels.c) and chosen with the line kernels (dispatch.c).  Both kernels compute a
 * tile of output positions x output channels, vectorised over the output channels; the driver
 * (layer_driver.inc) hands them input rows that already hold any padding, so neither kernel
 * knows about borders, strides or dilation beyond a table of per-tap offsets. */
#ifndef AX_LAYER_KERNELS_H
#define AX_LAYER_KERNELS_H

#include <stdint.h>

/* Dense channel mixing, one group and one block of nr = nv * (vector length) output channels:
 *
 *   y[m * ys + l] = bias[l] + sum_t sum_c x[c * ldc + toff[t] + m] * w[(t * C + c) * nr + l]
 *
 * for 0 <= m < npos, 0 <= l < nr.  x is channel-major (positions contiguous), so a register
 * tile of output positions takes its input values from consecutive addresses.  bias may be
 * NULL.  Each output is summed over t, then c, in increasing order, then the bias is added.
 *
 * mixr computes the same sums, in the same order, from x position-major (rows of channels,
 * read in place from an NWC input): x[m * ldc + toff[t] + c], ldc being the row stride. */
typedef void (*ax_mix_f32)(const float *x, int64_t ldc, const int64_t *toff, const float *w,
                           int64_t K, int64_t C, const float *bias, float *y, int64_t ys,
                           int64_t npos, int nv);
typedef void (*ax_mix_f64)(const double *x, int64_t ldc, const int64_t *toff, const double *w,
                           int64_t K, int64_t C, const double *bias, double *y, int64_t ys,
                           int64_t npos, int nv);

/* Depthwise: every output channel reads the input channel in the same lane.
 *
 *   y[m * ys + l] = bias[l] + sum_t x[m * ms + t * ts + l] * w[t * nr + l]
 *
 * x is position-major (channels contiguous): ms elements from one output's rows to the
 * next's, ts from one tap's row to the next.  Summed over t in increasing order, then the
 * bias is added.  `stream`: write y with non-temporal stores (outputs too large to stay in
 * the caches; only worth it there, since y is then not cached for its next reader), which
 * the caller must fence (ax_parallel_for does). */
typedef void (*ax_dw_f32)(const float *x, int64_t ms, int64_t ts, const float *w, int64_t K,
                          const float *bias, float *y, int64_t ys, int64_t npos, int nv,
                          int stream);
typedef void (*ax_dw_f64)(const double *x, int64_t ms, int64_t ts, const double *w, int64_t K,
                          const double *bias, double *y, int64_t ys, int64_t npos, int nv,
                          int stream);

/* Depthwise across positions, for layers with few channels: one channel at a time,
 *
 *   y[m] = bias[0] + sum_t x[toff[t] + m] * w[t]      for 0 <= m < npos,
 *
 * vectorised over m (x channel-major as for mix).  x must be readable up to
 * toff[t] + npos rounded up to whole vectors.  bias may be NULL.  Same order of operations
 * as dw, so both give the same bits. */
typedef void (*ax_dwp_f32)(const float *x, const int64_t *toff, const float *w, int64_t K,
                           const float *bias, float *y, int64_t npos);
typedef void (*ax_dwp_f64)(const double *x, const int64_t *toff, const double *w, int64_t K,
                           const double *bias, double *y, int64_t npos);

typedef struct {
    const char *name;
    int64_t vec_bytes; /* bytes per vector: the lane padding of packed filters */
    int mix_nv, dw_nv; /* vectors of output channels per block (nv <= these) */
    int mix_mr;        /* output positions of a full mix register tile */
    ax_mix_f32 mix_f32;
    ax_mix_f64 mix_f64;
    ax_mix_f32 mixr_f32;
    ax_mix_f64 mixr_f64;
    ax_dw_f32 dw_f32;
    ax_dw_f64 dw_f64;
    ax_dwp_f32 dwp_f32;
    ax_dwp_f64 dwp_f64;
} ax_layer_kernels;

extern const ax_layer_kernels ax_layer_kernels_baseline;
#if defined(__x86_64__) || defined(_M_X64)
extern const ax_layer_kernels ax_layer_kernels_avx2;
extern const ax_layer_kernels ax_layer_kernels_avx512;
#endif

const ax_layer_kernels *ax_active_layer_kernels(void);

#endif
