/* The hot loops of 1-D correlation, compiled once per instruction set (line_kernels.c).
 * A "row" kernel runs along one contiguous padded line; a "column" kernel runs across a
 * strip of neighbouring lines, one vector per group of lines. */
#ifndef AX_LINE_KERNELS_H
#define AX_LINE_KERNELS_H

#include <stdint.h>

/* Shape of the taps, detected once per call: folded kernels use half the multiplies. */
enum { AX_TAPS_GENERAL = 0, AX_TAPS_SYMMETRIC = 1, AX_TAPS_ANTISYMMETRIC = -1 };

/* y[i] = sum_t k[t] * x[i + t] for 0 <= i < n.  x must be readable up to n + K - 1 + block
 * elements (a last partial vector is computed whole into a scratch and clipped). */
typedef void (*ax_row_f32)(const float *x, const float *k, int64_t K, int taps, float *y, int64_t n);
typedef void (*ax_row_f64)(const double *x, const double *k, int64_t K, int taps, double *y, int64_t n);

/* How a kernel writes its sums to y: stored, added to y, or stored with non-temporal
 * (streaming) stores that bypass the caches, for outputs too large to stay cached.  The
 * kernels do not fence streamed stores: their caller must (ax_parallel_for does). */
enum { AX_WRITE = 0, AX_ADD = 1, AX_STREAM = 2 };

/* y[r][j] (+)= sum_t k[t] * rows[r + t][j] for 0 <= r < nrows, 0 <= j < n: nrows output rows
 * from nrows + K - 1 input rows (pointers, so boundary rows are just other rows), folded as
 * `taps` allows, written as `how` says. */
typedef void (*ax_col_f32)(const float *const *rows, const float *k, int64_t K, int taps,
                           float *const *y, int64_t nrows, int64_t n, int how);
typedef void (*ax_col_f64)(const double *const *rows, const double *k, int64_t K, int taps,
                           double *const *y, int64_t nrows, int64_t n, int how);

/* y[j] = sum_a sum_b k[a * kw + b] * rows[a][j + b] for 0 <= j < n: a direct 2-D correlation
 * over kh padded rows, each readable up to n + kw - 1 + block elements; written as `how`
 * says (AX_WRITE or AX_STREAM). */
typedef void (*ax_row2d_f32)(const float *const *rows, const float *k, int64_t kh, int64_t kw,
                             float *y, int64_t n, int how);
typedef void (*ax_row2d_f64)(const double *const *rows, const double *k, int64_t kh, int64_t kw,
                             double *y, int64_t n, int how);

typedef struct {
    const char *name;
    int64_t block_bytes;  /* bytes of output per register block: slack a row buffer needs */
    int64_t vector_bytes; /* bytes per vector: row kernels on a multiple of it read no further */
    ax_row_f32 row_f32;
    ax_row_f64 row_f64;
    ax_col_f32 col_f32;
    ax_col_f64 col_f64;
    ax_row2d_f32 row2d_f32;
    ax_row2d_f64 row2d_f64;
} ax_line_kernels;

extern const ax_line_kernels ax_line_kernels_baseline;
#if defined(__x86_64__) || defined(_M_X64)
#define AX_HAVE_X86_PATHS 1
extern const ax_line_kernels ax_line_kernels_avx2;
extern const ax_line_kernels ax_line_kernels_avx512;
#endif

const ax_line_kernels *ax_active_kernels(void);

#endif
