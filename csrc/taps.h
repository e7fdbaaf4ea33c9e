/* How float64 taps become float32 taps, for every function that casts them: rounded so that
 * their sum is kept (the rounding error of each tap is carried into the next, so a kernel
 * normalised to 1 in float64 still sums to 1 as closely as float32 allows), and symmetric or
 * antisymmetric kernels stay exactly so (pairs rounded alike, the centre tap last).  taps.c. */
#ifndef AX_TAPS_H
#define AX_TAPS_H

#include <stdint.h>

/* dst[t * dst_step] for t < K, from src[t * src_step]; ax_round_taps_f64 only copies (so a
 * template calls F(ax_round_taps) for either type). */
void ax_round_taps_f32(const double *src, int64_t src_step, int64_t K, float *dst,
                       int64_t dst_step);

static inline void ax_round_taps_f64(const double *src, int64_t src_step, int64_t K,
                                     double *dst, int64_t dst_step)
{
    for (int64_t t = 0; t < K; t++) dst[t * dst_step] = src[t * src_step];
}

#endif
