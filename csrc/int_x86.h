/* The x86 vector layer of the integer kernels (int_kernels_x86.inc): one vector type xv
 * and its operations for AVX-512BW (64 bytes) or AVX2 (32 bytes), the narrowing stores, and
 * the finish of kernels.h on vectors of 32-bit or 16-bit sums.  Included by kernels.c's
 * AVX2 and AVX-512 builds only. */
#ifndef AX_INT_X86_H
#define AX_INT_X86_H

#include <immintrin.h>
#include <stdint.h>

#include "kernels.h"
#include "simd.h"

#define XPAIRS 32 /* pairs of taps of the vector kernels (K <= 64) */

#if defined(__AVX512BW__) && AX_VBYTES == 64
typedef __m512i xv;
#define XB 64
#define x_loadu(p) _mm512_loadu_si512((const void *)(p))
#define x_storeu(p, v) _mm512_storeu_si512((void *)(p), (v))
#define x_set1(v) _mm512_set1_epi32(v)
#define x_set1_16(v) _mm512_set1_epi16(v)
#define x_zero() _mm512_setzero_si512()
#define x_add(a, b) _mm512_add_epi32(a, b)
#define x_madd(a, b) _mm512_madd_epi16(a, b)
#define x_mullo(a, b) _mm512_mullo_epi32(a, b)
#define x_srl(a, n) _mm512_srl_epi32(a, n)
#define x_slli(a, n) _mm512_slli_epi32(a, n)
#define x_max(a, b) _mm512_max_epi32(a, b)
#define x_min(a, b) _mm512_min_epi32(a, b)
#define x_and(a, b) _mm512_and_si512(a, b)
#define x_or(a, b) _mm512_or_si512(a, b)
#define x_xor(a, b) _mm512_xor_si512(a, b)
#define x_unpacklo16(a, b) _mm512_unpacklo_epi16(a, b)
#define x_unpackhi16(a, b) _mm512_unpackhi_epi16(a, b)
#define x_unpacklo32(a, b) _mm512_unpacklo_epi32(a, b)
#define x_unpackhi32(a, b) _mm512_unpackhi_epi32(a, b)
#define x_packs32(a, b) _mm512_packs_epi32(a, b)
#define x_packus32(a, b) _mm512_packus_epi32(a, b)
#define x_widen_u8(p) _mm512_cvtepu8_epi16(_mm256_loadu_si256((const __m256i *)(p)))
#define x_add16(a, b) _mm512_add_epi16(a, b)
#define x_mullo16(a, b) _mm512_mullo_epi16(a, b)
#define x_srl16(a, n) _mm512_srl_epi16(a, n)
#define x_max16(a, b) _mm512_max_epi16(a, b)
#define x_min16(a, b) _mm512_min_epi16(a, b)
#define x_maddubs(a, b) _mm512_maddubs_epi16(a, b)
#define x_slli16(a, n) _mm512_slli_epi16(a, n)
#define x_set1_8(v) _mm512_set1_epi8(v)

/* XB/2 16-bit values in [0, 255] to bytes. */
static inline void x_store_u8_of16(void *p, xv v) { _mm256_storeu_si256(p, _mm512_cvtepi16_epi8(v)); }
/* XB/4 32-bit values that fit 16 bits (unsigned, or signed) to 16-bit values. */
static inline void x_store_u16_of32(void *p, xv v) { _mm256_storeu_si256(p, _mm512_cvtepi32_epi16(v)); }
static inline void x_store_s16_of32(void *p, xv v) { _mm256_storeu_si256(p, _mm512_cvtepi32_epi16(v)); }
/* XB/4 32-bit values in [0, 255] to bytes. */
static inline void x_store_u8_of32(void *p, xv v) { _mm_storeu_si128(p, _mm512_cvtepi32_epi8(v)); }
/* 16-bit a then b, saturated to bytes, in order (packus works within 128-bit lanes). */
static inline xv x_packus16_ordered(xv a, xv b)
{
    return _mm512_permutexvar_epi64(_mm512_set_epi64(7, 5, 3, 1, 6, 4, 2, 0),
                                    _mm512_packus_epi16(a, b));
}
/* Even and odd 32-bit lanes e[m], o[m] to y[2m], y[2m + 1] (two vectors). */
static inline void x_store_interleaved(void *p, xv e, xv o)
{
    const xv lo = x_unpacklo32(e, o), hi = x_unpackhi32(e, o); /* 128-bit lanes of 4 */
    const xv first = _mm512_set_epi64(11, 10, 3, 2, 9, 8, 1, 0);
    const xv second = _mm512_set_epi64(15, 14, 7, 6, 13, 12, 5, 4);
    x_storeu(p, _mm512_permutex2var_epi64(lo, first, hi));
    x_storeu((char *)p + XB, _mm512_permutex2var_epi64(lo, second, hi));
}
/* Even and odd 16-bit lanes e[m], o[m] to y[2m], y[2m + 1] (two vectors). */
static inline void x_store_interleaved16(void *p, xv e, xv o)
{
    const xv lo = x_unpacklo16(e, o), hi = x_unpackhi16(e, o); /* 128-bit lanes of 8 */
    const xv first = _mm512_set_epi64(11, 10, 3, 2, 9, 8, 1, 0);
    const xv second = _mm512_set_epi64(15, 14, 7, 6, 13, 12, 5, 4);
    x_storeu(p, _mm512_permutex2var_epi64(lo, first, hi));
    x_storeu((char *)p + XB, _mm512_permutex2var_epi64(lo, second, hi));
}
#else /* AVX2 */
typedef __m256i xv;
#define XB 32
#define x_loadu(p) _mm256_loadu_si256((const __m256i *)(p))
#define x_storeu(p, v) _mm256_storeu_si256((__m256i *)(p), (v))
#define x_set1(v) _mm256_set1_epi32(v)
#define x_set1_16(v) _mm256_set1_epi16(v)
#define x_zero() _mm256_setzero_si256()
#define x_add(a, b) _mm256_add_epi32(a, b)
#define x_madd(a, b) _mm256_madd_epi16(a, b)
#define x_mullo(a, b) _mm256_mullo_epi32(a, b)
#define x_srl(a, n) _mm256_srl_epi32(a, n)
#define x_slli(a, n) _mm256_slli_epi32(a, n)
#define x_max(a, b) _mm256_max_epi32(a, b)
#define x_min(a, b) _mm256_min_epi32(a, b)
#define x_and(a, b) _mm256_and_si256(a, b)
#define x_or(a, b) _mm256_or_si256(a, b)
#define x_xor(a, b) _mm256_xor_si256(a, b)
#define x_unpacklo16(a, b) _mm256_unpacklo_epi16(a, b)
#define x_unpackhi16(a, b) _mm256_unpackhi_epi16(a, b)
#define x_unpacklo32(a, b) _mm256_unpacklo_epi32(a, b)
#define x_unpackhi32(a, b) _mm256_unpackhi_epi32(a, b)
#define x_packs32(a, b) _mm256_packs_epi32(a, b)
#define x_packus32(a, b) _mm256_packus_epi32(a, b)
#define x_widen_u8(p) _mm256_cvtepu8_epi16(_mm_loadu_si128((const __m128i *)(p)))
#define x_add16(a, b) _mm256_add_epi16(a, b)
#define x_mullo16(a, b) _mm256_mullo_epi16(a, b)
#define x_srl16(a, n) _mm256_srl_epi16(a, n)
#define x_max16(a, b) _mm256_max_epi16(a, b)
#define x_min16(a, b) _mm256_min_epi16(a, b)
#define x_maddubs(a, b) _mm256_maddubs_epi16(a, b)
#define x_slli16(a, n) _mm256_slli_epi16(a, n)
#define x_set1_8(v) _mm256_set1_epi8(v)

static inline __m128i x_lo128(xv v) { return _mm256_castsi256_si128(v); }
static inline __m128i x_hi128(xv v) { return _mm256_extracti128_si256(v, 1); }
static inline void x_store_u8_of16(void *p, xv v)
{
    _mm_storeu_si128(p, _mm_packus_epi16(x_lo128(v), x_hi128(v)));
}
static inline void x_store_u16_of32(void *p, xv v)
{
    _mm_storeu_si128(p, _mm_packus_epi32(x_lo128(v), x_hi128(v)));
}
static inline void x_store_s16_of32(void *p, xv v)
{
    _mm_storeu_si128(p, _mm_packs_epi32(x_lo128(v), x_hi128(v)));
}
static inline void x_store_u8_of32(void *p, xv v)
{
    __m128i w = _mm_packs_epi32(x_lo128(v), x_hi128(v));
    _mm_storel_epi64(p, _mm_packus_epi16(w, w));
}
static inline xv x_packus16_ordered(xv a, xv b)
{
    return _mm256_permute4x64_epi64(_mm256_packus_epi16(a, b), 0xD8);
}
static inline void x_store_interleaved(void *p, xv e, xv o)
{
    const xv lo = x_unpacklo32(e, o), hi = x_unpackhi32(e, o);
    x_storeu(p, _mm256_permute2x128_si256(lo, hi, 0x20));
    x_storeu((char *)p + XB, _mm256_permute2x128_si256(lo, hi, 0x31));
}
static inline void x_store_interleaved16(void *p, xv e, xv o)
{
    const xv lo = x_unpacklo16(e, o), hi = x_unpackhi16(e, o);
    x_storeu(p, _mm256_permute2x128_si256(lo, hi, 0x20));
    x_storeu((char *)p + XB, _mm256_permute2x128_si256(lo, hi, 0x31));
}
#endif

/* The finish of kernels.h with vectors: init is where the sums start (in 32-bit lanes, and
 * in 16-bit lanes for the 16-bit arithmetic that fits16 allows). */
typedef struct {
    xv init, post, lo, hi;
    xv init16, post16, lo16, hi16;
    __m128i shift;
    int otype, raw, fits16, inside;
    int64_t esz; /* bytes per output */
} ax_xfin;

/* The finishing of 32-bit sums (inside: no clamp needed). */
static inline ax_xfin ax_xfin_of(const ax_ifinish *f, uint32_t correction)
{
    const uint32_t init = (uint32_t)f->init + correction;
    const int64_t lo16 = f->lo < -32768 ? -32768 : f->lo, hi16 = f->hi > 32767 ? 32767 : f->hi;
    ax_xfin x = {x_set1((int32_t)init), x_set1((int32_t)f->post), x_set1((int32_t)f->lo),
                 x_set1((int32_t)f->hi), x_set1_16((short)init),
                 x_set1_16((short)f->post), x_set1_16((short)lo16), x_set1_16((short)hi16),
                 _mm_cvtsi32_si128(f->shift), f->otype, f->raw, f->fits16, f->inside,
                 f->otype == AX_U8 ? 1 : f->otype == AX_S32 ? 4 : 2};
    return x;
}

/* 16-bit sums (XB/2 of them, natural order) to y: raw, or finished in 16 bits (fits16:
 * y fits 16 signed bits, so clamping to [lo, hi] within them is exact). */
static inline xv ax_xfinish16(xv u, const ax_xfin *f)
{
    const xv v = x_add16(x_srl16(u, f->shift), f->post16);
    return f->inside ? v : x_min16(x_max16(v, f->lo16), f->hi16);
}

static inline void ax_xput16(void *y, xv u, const ax_xfin *f)
{
    if (f->raw) x_storeu(y, u);
    else if (f->otype == AX_U8) x_store_u8_of16(y, ax_xfinish16(u, f));
    else x_storeu(y, ax_xfinish16(u, f));
}

/* Two vectors of 16-bit sums, outputs y[0 .. XB): to bytes, packus saturates to [0, 255],
 * the clamp of a uint8 output. */
static inline void ax_xput16_pair(void *y, xv a, xv b, const ax_xfin *f)
{
    if (f->raw || f->otype != AX_U8) {
        ax_xput16(y, a, f);
        ax_xput16((char *)y + XB / 2 * f->esz, b, f);
        return;
    }
    a = x_add16(x_srl16(a, f->shift), f->post16);
    b = x_add16(x_srl16(b, f->shift), f->post16);
    x_storeu(y, x_packus16_ordered(a, b));
}

static inline xv ax_xfinish(xv u, const ax_xfin *f)
{
    const xv v = x_add(x_srl(u, f->shift), f->post);
    return f->inside ? v : x_min(x_max(v, f->lo), f->hi);
}

/* Sums of even and odd outputs (lanes m: outputs 2m and 2m + 1) to y[0 .. XB/2). */
static inline void ax_xput_even_odd(void *y, xv e, xv o, const ax_xfin *f)
{
    const xv low16 = x_set1(0xffff);
    if (f->raw) {
        if (f->otype == AX_S16) x_storeu(y, x_or(x_and(e, low16), x_slli(o, 16)));
        else x_store_interleaved(y, e, o);
        return;
    }
    e = ax_xfinish(e, f);
    o = ax_xfinish(o, f);
    if (f->otype == AX_U8) x_store_u16_of32(y, x_or(e, x_slli(o, 8)));
    else x_storeu(y, x_or(x_and(e, low16), x_slli(o, 16)));
}

/* Sums of columns in the in-lane halves of the column kernels to y[0 .. XB/2). */
static inline void ax_xput_halves(void *y, xv lo, xv hi, const ax_xfin *f)
{
    lo = ax_xfinish(lo, f);
    hi = ax_xfinish(hi, f);
    if (f->otype == AX_U8) x_store_u8_of16(y, x_packs32(lo, hi));
    else if (f->otype == AX_U16) x_storeu(y, x_packus32(lo, hi));
    else x_storeu(y, x_packs32(lo, hi));
}

/* Sums in natural order (XB/4 of them) to y. */
static inline void ax_xput_plain(void *y, xv v, const ax_xfin *f)
{
    v = ax_xfinish(v, f);
    if (f->otype == AX_U8) x_store_u8_of32(y, v);
    else if (f->otype == AX_U16) x_store_u16_of32(y, v);
    else x_store_s16_of32(y, v);
}

/* The taps as pairs (q[2p], q[2p + 1]) of 16-bit values in a 32-bit word (q[K] = 0). */
static inline int64_t ax_xpairs(const int32_t *q, int64_t K, int32_t *pair)
{
    const int64_t np = (K + 1) / 2;
    for (int64_t p = 0; p < np; p++) {
        uint32_t hi = 2 * p + 1 < K ? (uint16_t)q[2 * p + 1] : 0;
        pair[p] = (int32_t)((uint16_t)q[2 * p] | hi << 16);
    }
    return np;
}
#endif
