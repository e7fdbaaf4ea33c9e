/* axisconv C API: plain C, no Python.  Arrays are strided views (byte strides, may be
 * negative); every size is 64-bit.  Functions return AX_OK or a negative AX_E* code. */
#ifndef AXISCONV_H
#define AXISCONV_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define AX_MAXDIM 64

typedef enum { AX_FLOAT32 = 0, AX_FLOAT64 = 1 } ax_dtype;

/* Boundary modes, named as in scipy.ndimage (SPEC §1). */
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

/* Run-time SIMD dispatch. */
int ax_simd_supported(ax_simd path);
int ax_simd_select(ax_simd path); /* returns AX_OK, or AX_EINVAL if unsupported */
ax_simd ax_simd_active(void);
ax_simd ax_simd_best(void);
const char *ax_simd_name(ax_simd path);

/* Threads: how many OpenMP can use (1 when built without OpenMP). */
int ax_openmp_enabled(void);

#ifdef __cplusplus
}
#endif
#endif
