/* Float64 taps rounded to float32 with their sum kept (taps.h). */
#include <math.h>
#include <stdlib.h>

#include "taps.h"

static int mirrored(const double *src, int64_t step, int64_t K, double sign)
{
    for (int64_t t = 0; t < K / 2; t++)
        if (src[t * step] != sign * src[(K - 1 - t) * step]) return 0;
    return K % 2 == 0 || sign > 0 || src[K / 2 * step] == 0;
}

/* Taps are rounded one unit at a time (a tap, or a mirrored pair of equal taps), largest
 * first, each with the rounding error of the units before it added in: the last and
 * smallest unit, whose float32 grid is finest, absorbs what is left, so the sum is kept to
 * half an ulp of the smallest tap.  Zero and non-finite taps are rounded alone and carry
 * nothing, so zeros stay zeros. */
typedef struct {
    double value; /* each tap of the unit */
    int64_t first, second; /* its taps (second == first for a single tap) */
} unit;

static int larger_first(const void *a, const void *b) /* ties in the order of the taps */
{
    const unit *p = a, *q = b;
    double x = fabs(p->value), y = fabs(q->value);
    if (x != y) return x > y ? -1 : 1;
    return (p->first > q->first) - (p->first < q->first);
}

static void round_units(unit *u, int64_t n, float *dst, int64_t dst_step)
{
    qsort(u, (size_t)n, sizeof *u, larger_first);
    double carry = 0; /* exact sum so far minus rounded sum so far */
    for (int64_t i = 0; i < n; i++) {
        const double count = u[i].first == u[i].second ? 1 : 2, v = u[i].value;
        const int moves = v != 0 && isfinite(v);
        float r = (float)(moves ? v + carry / count : v);
        if (moves && isfinite(r)) carry += count * (v - (double)r);
        dst[u[i].first * dst_step] = dst[u[i].second * dst_step] = r;
    }
}

void ax_round_taps_f32(const double *src, int64_t src_step, int64_t K, float *dst,
                       int64_t dst_step)
{
    const int anti = K > 1 && mirrored(src, src_step, K, -1.0);
    unit *u = anti ? NULL : malloc((size_t)(K > 0 ? K : 1) * sizeof *u);
    if (!u) { /* antisymmetric taps sum to 0 whatever the rounding (or no memory: plain) */
        for (int64_t t = 0; t < K; t++) dst[t * dst_step] = (float)src[t * src_step];
        return;
    }
    int64_t n = 0;
    if (K > 1 && mirrored(src, src_step, K, 1.0)) {
        for (int64_t t = 0; t < (K + 1) / 2; t++)
            u[n++] = (unit){src[t * src_step], t, K - 1 - t};
    } else {
        for (int64_t t = 0; t < K; t++) u[n++] = (unit){src[t * src_step], t, t};
    }
    round_units(u, n, dst, dst_step);
    free(u);
}
