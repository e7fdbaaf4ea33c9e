/* The hot loops, compiled once per instruction set by kernels.c and chosen at run time by
 * dispatch.c.  One table per instruction set holds every kernel:
 *
 *   line kernels (line_kernels.inc), for filter1d, separable, conv2d and bank:
 *     row    1-D correlation along one contiguous padded line
 *     col    1-D correlation across a strip of neighbouring lines, one vector across them
 *     row2d  direct 2-D correlation of padded rows
 *   layer kernels (layer_kernels.inc), for the conv1d layer:
 *     mix, mixr  dense channel mixing (input channel-major, or rows of channels in place)
 *     dw         depthwise, vectors of channels
 *     dwp        depthwise, vectors of positions (few channels)
 *
 * Names: a template's F(row) is row_f32 and row_f64 (template.h); the table of instruction
 * set `isa` is ax_kernels_<isa>.  AX_X86_KERNELS (set by CMake when it builds the x86 sets)
 * says which tables exist. */
#ifndef AX_KERNELS_H
#define AX_KERNELS_H

#include <stdint.h>

#include "axisconv.h"

/* ---- line kernels ------------------------------------------------------------------------ */

/* A kernel's symmetry, detected once per call: folded kernels use half the multiplies. */
enum { AX_GENERAL = 0, AX_SYMMETRIC = 1, AX_ANTISYMMETRIC = -1 };

/* ax_correlate1d summing every kernel in the general order (filter1d.c): the one-channel
 * path of the layer, whose own kernels never fold, so that a layer's bits do not depend on
 * which of them computes it (docs/contract.md §6).  Not part of the C API. */
int ax_correlate1d_unfolded(ax_dtype dtype, ax_view in, ax_view out, int axis,
                            const double *kernel, int64_t ksize, int64_t offset, ax_mode mode,
                            double cval, int threads);

/* How a kernel writes its sums to y: stored, added to y, or stored with non-temporal
 * (streaming) stores that bypass the caches, for outputs too large to stay cached.  The
 * kernels do not fence streamed stores: their caller must (ax_parallel_for does).  A column
 * kernel's `how` may add AX_RIGHT_TO_LEFT: its blocks then go from the last columns to the
 * first (ax_right_to_left, cache.h), computing the same sums. */
enum { AX_WRITE = 0, AX_ADD = 1, AX_STREAM = 2, AX_RIGHT_TO_LEFT = 4 };

/* y[i] = sum_t k[t] * x[i + t] for 0 <= i < n, folded as `symmetry` allows, written as `how`
 * says (AX_WRITE or AX_STREAM).  x must be readable up to n + K - 1 + block elements (a last
 * partial vector is computed whole into a scratch and clipped). */
typedef void (*ax_row_f32)(const float *x, const float *k, int64_t K, int symmetry, float *y,
                           int64_t n, int how);
typedef void (*ax_row_f64)(const double *x, const double *k, int64_t K, int symmetry, double *y,
                           int64_t n, int how);

/* y[r][j] (+)= sum_t k[t] * rows[r + t][j] for 0 <= r < nrows, 0 <= j < n: nrows output rows
 * from nrows + K - 1 input rows (pointers, so boundary rows are just other rows), folded as
 * `symmetry` allows, written as `how` says.  No y row may be an input row: some outputs are
 * written twice, by overlapping blocks (F(col)). */
typedef void (*ax_col_f32)(const float *const *rows, const float *k, int64_t K, int symmetry,
                           float *const *y, int64_t nrows, int64_t n, int how);
typedef void (*ax_col_f64)(const double *const *rows, const double *k, int64_t K, int symmetry,
                           double *const *y, int64_t nrows, int64_t n, int how);

/* y[j] = sum_a sum_b k[a * kw + b] * rows[a][j + b] for 0 <= j < n: a direct 2-D correlation
 * over kh padded rows, each readable up to n + kw - 1 + block elements; written as `how`
 * says (AX_WRITE or AX_STREAM). */
typedef void (*ax_row2d_f32)(const float *const *rows, const float *k, int64_t kh, int64_t kw,
                             float *y, int64_t n, int how);
typedef void (*ax_row2d_f64)(const double *const *rows, const double *k, int64_t kh, int64_t kw,
                             double *y, int64_t n, int how);

/* ---- layer kernels ----------------------------------------------------------------------- */

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
 * bias is added.  `stream`: write y with non-temporal stores, which the caller must fence. */
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

/* ---- integer kernels (int_kernels.inc; int_kernels_x86.inc where SIMD intrinsics pay) ----
 * For an input type (ax_itype: u8, u16, s16, or s32/s64 first-pass sums) and a sum width
 * (32 bits, or 64 when wide): taps q are integers of the sum type, sums are exact modulo
 * 2^bits and every output is finished as an ax_ifinish says.  Integer arithmetic is exact,
 * so every kernel gives the same bits whatever order it sums in.  No kernel reads beyond
 * the samples its outputs need (interior lines are read in place). */

/* How sums become outputs: U = init + S (mod 2^bits, unsigned), y = clamp((U >> shift) +
 * post, lo, hi) stored as otype (AX_U8, AX_U16, AX_S16); with `raw`, y is S itself (a first
 * pass), stored as otype: the sum type, or AX_S16 when the caller knows S fits 16 bits.
 * `fits16`: the caller knows that U < 2^16 and y fits 16 signed bits for every input, so
 * 16-bit arithmetic gives the same bits (kernels may use it, or not); `inside`: it knows
 * that (U >> shift) + post lies in [lo, hi] for every input (kernels may skip the clamp). */
typedef struct {
    int64_t init, post, lo, hi;
    int shift, otype, raw, fits16, inside;
} ax_ifinish;

/* y[i] = finish(sum_t q[t] x[i + t]) for 0 <= i < n. */
typedef void (*ax_irow)(const void *x, const void *q, int64_t K, const ax_ifinish *f, void *y,
                        int64_t n);
/* y[r][j] = finish(sum_t q[t] rows[r + t][j]) for 0 <= r < nrows, 0 <= j < n. */
typedef void (*ax_icol)(const void *const *rows, const void *q, int64_t K, const ax_ifinish *f,
                        void *const *y, int64_t nrows, int64_t n);
/* y[j] = finish(sum_a sum_b q[a * kw + b] rows[a][j + b]) for 0 <= j < n (rows padded). */
typedef void (*ax_irow2d)(const void *const *rows, const void *q, int64_t kh, int64_t kw,
                          const ax_ifinish *f, void *y, int64_t n);
/* The fused separable pass of images whose first-pass sums, sums and outputs fit 16 bits (the
 * caller's part: f->fits16 for the second pass): y[r][j] = finish(sum_t qr[t] sum_s qc[s]
 * rows[r + t][j + s]) for 0 <= r < nrows, 0 <= j < n, rows readable up to n + Kc - 1
 * samples.  Returns 0, having written nothing, where it cannot (the caller then runs irow
 * and icol). */
typedef int (*ax_isep)(const void *const *rows, const void *qc, int64_t Kc, const void *qr,
                       int64_t Kr, const ax_ifinish *f, void *const *y, int64_t nrows,
                       int64_t n);

/* ---- the table of one instruction set ----------------------------------------------------- */

typedef struct {
    const char *name;
    int64_t vector_bytes; /* bytes per vector: row kernels on a multiple of it read no further,
                             and the lane padding of packed layer filters */
    int64_t block_bytes;  /* bytes of output per row-kernel register block: the slack a row
                             buffer needs */
    int mix_nv, dw_nv;    /* vectors of output channels per layer block (nv <= these) */
    int mix_mr;           /* output positions of a full mix register tile */
    ax_row_f32 row_f32;
    ax_row_f64 row_f64;
    ax_col_f32 col_f32;
    ax_col_f64 col_f64;
    ax_row2d_f32 row2d_f32;
    ax_row2d_f64 row2d_f64;
    ax_mix_f32 mix_f32;
    ax_mix_f64 mix_f64;
    ax_mix_f32 mixr_f32;
    ax_mix_f64 mixr_f64;
    ax_dw_f32 dw_f32;
    ax_dw_f64 dw_f64;
    ax_dwp_f32 dwp_f32;
    ax_dwp_f64 dwp_f64;
    /* integer kernels, [wide][input type] (NULL where a pair does not exist) */
    ax_irow irow[2][AX_ITYPES];
    ax_icol icol[2][AX_ITYPES];
    ax_irow2d irow2d[2][AX_ITYPES];
    ax_isep isep[AX_ITYPES]; /* 32-bit pairs only, where a set has one */
} ax_kernels;

extern const ax_kernels ax_kernels_baseline;
#ifdef AX_X86_KERNELS
#ifndef __x86_64__
#error "AX_X86_KERNELS is set but the compiler does not target x86-64 (see cmake/target_isa.cmake)"
#endif
extern const ax_kernels ax_kernels_avx2;
extern const ax_kernels ax_kernels_avx512;
#endif

/* The table of the SIMD path in use (dispatch.c). */
const ax_kernels *ax_active_kernels(void);

#endif
