/* Vector width for the translation unit being compiled: each ISA build of the kernels
 * (baseline, AVX2+FMA, AVX-512 F+BW+DQ+VL) includes this with its own compiler flags. */
#ifndef AX_SIMD_H
#define AX_SIMD_H

#include <stdint.h>
#include <string.h>
#include <math.h>
#if defined(__SSE2__)
#include <immintrin.h>
#elif defined(__aarch64__)
#include <arm_neon.h>
#endif

#include "template.h"

#if defined(__AVX512F__)
#define AX_VBYTES 64
#define AX_NBLOCK 8
#elif defined(__AVX2__)
#define AX_VBYTES 32
#define AX_NBLOCK 8
#else
#define AX_VBYTES 16
#define AX_NBLOCK 4
#endif

/* A scalar multiply-add that rounds exactly like the vector code of this build (F(madd) in
 * vector.inc), so the scalar tails of a line give the same bits as its vector body. */
#if defined(__FMA__) || defined(__aarch64__)
#define AX_MADD(a, b, c) fma((a), (b), (c))
#define AX_MADDF(a, b, c) fmaf((a), (b), (c))
#else
#define AX_MADD(a, b, c) ((a) * (b) + (c))
#define AX_MADDF(a, b, c) ((a) * (b) + (c))
#endif

#endif
