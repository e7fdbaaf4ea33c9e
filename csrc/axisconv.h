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
 * `out` has the shape of `in`; it may be `in` itself (same data and strides) but must not
 * overlap it otherwise.  Results do not depend on `threads`. */
int ax_correlate1d(ax_dtype dtype, ax_view in, ax_view out, int axis, const double *kernel,
                   int64_t ksize, int64_t offset, ax_mode mode, double cval, int threads);

/* The multi-channel layer (SPEC §6): cross-correlation of `in`, viewed as (batch..., W, C_in)
 * with W on `axis` and the channels on `chan`, with filters (K, C_in / groups, C_out), C-order:
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

/* Threads: how many OpenMP can use (1 when built without OpenMP). */
int ax_openmp_enabled(void);

#ifdef __cplusplus
}
#endif
#endif
