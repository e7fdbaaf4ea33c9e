/* axisconv C API: plain C, no Python.  Arrays are strided views (byte strides, may be
 * negative); every size is 64-bit.  Functions return AX_OK or a negative AX_E* code:
 * AX_EINVAL, writing nothing, also for views not of one batch, a negative extent, a mode
 * that is none of ax_mode's, and an axis of no samples to extend by anything but AX_CONSTANT.
 *
 * Other extensions reach these functions without linking to axisconv: through the table
 * ax_api at the end of this file, which axisconv._core exports in a capsule (see
 * axisconv_capi.h for C, axisconv/capi.pxd for Cython; axisconv.get_include() is the
 * directory of both headers). */
#ifndef AXISCONV_H
#define AXISCONV_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define AX_MAXDIM 64

typedef enum { AX_FLOAT32 = 0, AX_FLOAT64 = 1 } ax_dtype;

/* Every function takes `threads`: the most threads it may use, or 0 for the default
 * (ax_get_num_threads). */

/* Boundary modes, named as in scipy.ndimage (docs/contract.md §1). */
typedef enum {
    AX_REFLECT = 0,  /* d c b a | a b c d | d c b a */
    AX_MIRROR = 1,   /*   d c b | a b c d | c b a   */
    AX_NEAREST = 2,  /* a a a a | a b c d | d d d d */
    AX_WRAP = 3,     /* a b c d | a b c d | a b c d */
    AX_CONSTANT = 4  /* k k k k | a b c d | k k k k */
} ax_mode;

typedef enum { AX_SIMD_BASELINE = 0, AX_SIMD_AVX2 = 1, AX_SIMD_AVX512 = 2, AX_SIMD_COUNT = 3 } ax_simd;

#define AX_OK 0
#define AX_ENOMEM (-1)
#define AX_EINVAL (-2)

typedef struct {
    char *data;
    int ndim;
    const int64_t *shape;
    const int64_t *strides; /* bytes */
} ax_view;

/* out[..., i, ...] = sum_t kernel[t] * x_ext[..., i + t - offset, ...] along `axis`, where x_ext is
 * `in` extended by `mode` (cval for AX_CONSTANT).  offset = K // 2 + origin in scipy's terms.
 * `out` has the shape of `in` except perhaps along `axis` (0 <= i < its length there); it may
 * be `in` itself (same data and strides) but must not overlap it otherwise.  Results do not
 * depend on `threads`. */
int ax_correlate1d(ax_dtype dtype, ax_view in, ax_view out, int axis, const double *kernel,
                   int64_t ksize, int64_t offset, ax_mode mode, double cval, int threads);

/* One 1-D pass of a separable filter: along `axis`, out[i] = sum_t kernel[t] x_ext[i + t - offset],
 * x_ext extended by `mode` (cval for AX_CONSTANT). */
typedef struct {
    int axis;
    const double *kernel;
    int64_t ksize, offset;
    ax_mode mode;
    double cval;
} ax_pass;

/* out (+)= second(first(in)) in one fused pass: `first` runs along its axis over rows of a
 * per-thread buffer, `second` along its axis across those rows, whose constant rows beyond
 * the edges hold second->cval.  `out` may differ from `in` in length along both axes (as in
 * ax_correlate1d); other axes are batch axes.  `out` must not overlap `in`. */
int ax_correlate_separable(ax_dtype dtype, ax_view in, ax_view out, const ax_pass *first,
                           const ax_pass *second, int accumulate, int threads);

/* out[..., i, ..., j, ...] = sum_a sum_b kernel[a * kw + b] * x_ext[i + a - off_r, j + b - off_c]
 * over axes (axis_r, axis_c), x_ext extended by `mode` along both (cval where either index
 * is outside for AX_CONSTANT).  `out` must not overlap `in`. */
int ax_correlate2d(ax_dtype dtype, ax_view in, ax_view out, int axis_r, int axis_c,
                   const double *kernel, int64_t kh, int64_t kw, int64_t off_r, int64_t off_c,
                   ax_mode mode, double cval, int threads);

/* ---- integer images (src/axisconv/_integer.py, csrc/int_filter.c) ------------------------
 * Integer element types: images (u8, u16, s16) and the sums of the integer filters (s32, s64). */
typedef enum { AX_U8 = 0, AX_U16 = 1, AX_S16 = 2, AX_S32 = 3, AX_S64 = 4, AX_ITYPES = 5 } ax_itype;

/* How the integer filters turn sums into outputs.  A sum S of integer taps times samples is
 * computed modulo 2^32 (or 2^64 when `wide`) from `init`; with U = init + S as an unsigned
 * number,
 *     out = clamp((U >> shift) + post, lo, hi).
 * The caller's plan (src/axisconv/_fixed.py) keeps U within [0, 2^bits) for every input, so
 * that this is floor((S + 2^(shift-1)) / 2^shift), saturated, exactly. */
typedef struct {
    int wide;
    int shift;
    int64_t init, post, lo, hi;
} ax_rounding;

/* One 1-D pass of an integer filter: along `axis`, S[i] = sum_t taps[t] x_ext[i + t - offset],
 * x_ext extended by `mode` with the constant `cval`, in the units of what the pass reads (the
 * input's samples; for the second pass of a separable filter, first-pass sums). */
typedef struct {
    int axis;
    const int64_t *taps;
    int64_t ksize, offset;
    ax_mode mode;
    int64_t cval;
} ax_ipass;

/* The integer forms of ax_correlate1d, ax_correlate_separable (one fused pass: the second
 * pass sums exact first-pass sums, rounding once) and ax_correlate2d: `in` of type `tin`
 * (AX_U8, AX_U16, AX_S16), `out` of type `tout` (the same three), rounded as `r` says.  The
 * taps must fit 16 bits (32 when r->wide), first-pass sums 32 bits (64).  `out` must not
 * overlap `in`.  Results do not depend on `threads` or on the SIMD path. */
int ax_correlate1d_int(ax_itype tin, ax_itype tout, ax_view in, ax_view out, const ax_ipass *pass,
                       const ax_rounding *r, int threads);
int ax_correlate_separable_int(ax_itype tin, ax_itype tout, ax_view in, ax_view out,
                               const ax_ipass *first, const ax_ipass *second,
                               const ax_rounding *r, int threads);
int ax_correlate2d_int(ax_itype tin, ax_itype tout, ax_view in, ax_view out, int axis_r,
                       int axis_c, const int64_t *taps, int64_t kh, int64_t kw, int64_t off_r,
                       int64_t off_c, ax_mode mode, int64_t cval, const ax_rounding *r,
                       int threads);

/* A bank of 1-D correlations of each signal, all computed in one pass over it (docs/contract.md §5).
 * `in` is (..., N) and `out` is (..., R, M) with the same leading axes and a contiguous last
 * axis.  A piece is one kernel at one place along the signal:
 *     piece_p[j] = sum_t taps[p.tap0 + t] * x_ext[p.first + j + t]   (any integer j),
 * x_ext being the signal extended by `mode` (cval for AX_CONSTANT).  Line q is bias[q] plus
 * the sum of its pieces (pieces are sorted by line; a line may have none).
 * AX_COMBINE_ROWS: out[..., r, j] = line_q[j + row_shift[r]] with q = row_line[r]
 * (row_shift may be NULL: no shifts).  A line shown on several rows is computed once over
 * the union of their windows and copied, unless the shifts spread wider than a work item.
 * AX_COMBINE_MAX: R == 1, row_line and row_shift are unused, and the row is the
 * elementwise maximum of all lines (NaN propagates).  Results do not depend on `threads`.
 * An empty signal (N = 0) is refused whatever the mode (AX_EINVAL). */
typedef enum { AX_COMBINE_ROWS = 0, AX_COMBINE_MAX = 1 } ax_combine;

typedef struct {
    int64_t tap0, ntaps; /* its kernel: taps[tap0 .. tap0 + ntaps) */
    int64_t first;       /* index in x_ext of the sample under tap 0 for output 0 */
    int64_t line;        /* the line it adds into */
} ax_piece;

int ax_bank(ax_dtype dtype, ax_view in, ax_view out, const double *taps, int64_t ntaps,
            const ax_piece *pieces, int64_t npieces, const double *bias, int64_t nlines,
            const int64_t *row_line, const int64_t *row_shift, ax_combine combine, ax_mode mode,
            double cval, int threads);

/* The multi-channel layer (docs/contract.md §6): cross-correlation of `in`, viewed as
 * (batch..., W, C_in) with W on `axis` and the channels on `chan`, with filters (K, C_in / groups, C_out), C-order:
 *
 *   out[..., i, o] = bias[o] + sum_t sum_c x_ext[..., i * stride - pad_left + t * dilation,
 *                                               g * C_in / groups + c] * filters[t, c, o]
 *
 * where g = o / (C_out / groups) and x_ext is `in` extended by `mode` (AX_CONSTANT pads zeros).
 * `out` has in's shape except W_out on `axis` and C_out on `chan`; it must not overlap `in`.
 * bias (C_out values) may be NULL.  Results do not depend on `threads`. */
int ax_conv1d(ax_dtype dtype, ax_view in, ax_view out, int axis, int chan, const double *filters,
              const double *bias, int64_t K, int64_t groups, int64_t stride, int64_t dilation,
              int64_t pad_left, ax_mode mode, int threads);

/* Run-time SIMD dispatch. */
int ax_simd_supported(ax_simd path);
int ax_simd_select(ax_simd path); /* returns AX_OK, or AX_EINVAL if unsupported */
ax_simd ax_simd_active(void);
ax_simd ax_simd_best(void);
const char *ax_simd_name(ax_simd path);

/* Bytes of input and output together above which a call writes its output with streaming
 * (non-temporal) stores, when at most 16 taps lie behind each output (for a separable
 * filter, its longer kernel's; longer passes are bound by their arithmetic, and write
 * plainly); ax_set_stream_threshold chooses it (a negative value: the default; 0 streams
 * every output, long kernels too), for tests and benchmarks.  Results do not depend on it. */
int64_t ax_stream_threshold(void);
void ax_set_stream_threshold(int64_t bytes);

/* The direction of the column kernels' blocks along their rows: -1 chosen per call from the
 * addresses (the default), 0 left to right, 1 right to left; for tests.  Results do not
 * depend on it. */
void ax_set_column_direction(int direction);

/* Threads.  Calls run on axisconv's own pool of threads (its idle workers spin a few
 * milliseconds, yielding the core at every round, then sleep).  ax_get_num_threads: the
 * default thread count of a call, the one set by ax_set_num_threads if it was (n >= 1), else
 * OMP_NUM_THREADS, else the CPUs the process may use; 1 in a serial build.
 * ax_set_num_threads(0) returns to the default; it returns the previous count.  Both are
 * visible to ctypes, for threadpoolctl. */
#if defined(__GNUC__)
#define AX_VISIBLE __attribute__((visibility("default")))
#else
#define AX_VISIBLE
#endif
AX_VISIBLE int ax_get_num_threads(void);
AX_VISIBLE int ax_set_num_threads(int n);
int ax_threaded(void); /* 1, or 0 in a serial build (AXISCONV_THREADS=OFF) */

/* The table of the C API for other extensions: every function above, by pointer, but the
 * knobs for tests (stream threshold, column direction).  A caller checks version >= the
 * AX_API_VERSION it was built with (later versions only append fields) and size >=
 * sizeof(ax_api) it knows. */
#define AX_API_VERSION 2
#define AX_API_CAPSULE "axisconv._core._C_API"

typedef struct {
    int version, size;
    int (*correlate1d)(ax_dtype, ax_view, ax_view, int, const double *, int64_t, int64_t,
                       ax_mode, double, int);
    int (*correlate_separable)(ax_dtype, ax_view, ax_view, const ax_pass *, const ax_pass *,
                               int, int);
    int (*correlate2d)(ax_dtype, ax_view, ax_view, int, int, const double *, int64_t, int64_t,
                       int64_t, int64_t, ax_mode, double, int);
    int (*bank)(ax_dtype, ax_view, ax_view, const double *, int64_t, const ax_piece *, int64_t,
                const double *, int64_t, const int64_t *, const int64_t *, ax_combine, ax_mode,
                double, int);
    int (*conv1d)(ax_dtype, ax_view, ax_view, int, int, const double *, const double *,
                  int64_t, int64_t, int64_t, int64_t, int64_t, ax_mode, int);
    int (*get_num_threads)(void);
    int (*set_num_threads)(int);
    ax_simd (*simd_active)(void);
    const char *(*simd_name)(ax_simd);
    /* version 2 */
    int (*correlate1d_int)(ax_itype, ax_itype, ax_view, ax_view, const ax_ipass *,
                           const ax_rounding *, int);
    int (*correlate_separable_int)(ax_itype, ax_itype, ax_view, ax_view, const ax_ipass *,
                                   const ax_ipass *, const ax_rounding *, int);
    int (*correlate2d_int)(ax_itype, ax_itype, ax_view, ax_view, int, int, const int64_t *,
                           int64_t, int64_t, int64_t, int64_t, ax_mode, int64_t,
                           const ax_rounding *, int);
    int (*simd_supported)(ax_simd);
    int (*simd_select)(ax_simd);
    ax_simd (*simd_best)(void);
    int (*threaded)(void);
} ax_api;

/* The table (csrc/capi.c); axisconv._core wraps it in the capsule AX_API_CAPSULE. */
const ax_api *ax_api_table(void);

#ifdef __cplusplus
}
#endif
#endif
