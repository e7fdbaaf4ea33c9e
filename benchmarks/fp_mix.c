/* How many 256-bit adds, FMAs and multiplies a core issues a cycle, alone and mixed: twelve
 * independent chains per loop (no latency bound), in the mixes the folded kernels make.  On
 * an AMD Zen 1 the adds and the FMAs have pipes of their own, yet the mix runs barely faster
 * than either alone (TUNING.md, session 18): the floor of a folded sum is its count of FP
 * instructions.  Adds beside plain multiplies do issue two a cycle there, but a pair made
 * with a multiply needs two adds (session 21).
 *
 *     gcc -O2 -mavx2 -mfma benchmarks/fp_mix.c -o /tmp/fp_mix && /tmp/fp_mix 2.35   # GHz
 */
#include <immintrin.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define ITERATIONS 100000000L

static double seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

/* One instruction on chain r, kept by the compiler as written (asm volatile). */
#define ADD(r) __asm__ volatile("vaddps %1, %0, %0" : "+x"(r) : "x"(tiny));
#define FMA(r) __asm__ volatile("vfmadd213ps %2, %1, %0" : "+x"(r) : "x"(near1), "x"(tiny));
/* by 1, so that the chains stay normal numbers (0.999 would make them subnormal, then 0) */
#define MUL(r) __asm__ volatile("vmulps %1, %0, %0" : "+x"(r) : "x"(one));

#define MIX(name, BODY)                                                                      \
    do {                                                                                     \
        __m256 r0 = _mm256_set1_ps(1), r1 = r0, r2 = r0, r3 = r0, r4 = r0, r5 = r0, r6 = r0,  \
               r7 = r0, r8 = r0, r9 = r0, r10 = r0, r11 = r0;                                \
        const __m256 near1 = _mm256_set1_ps(0.999f), tiny = _mm256_set1_ps(1e-9f);           \
        const __m256 one = _mm256_set1_ps(1.0f);                                             \
        (void)near1, (void)tiny, (void)one;                                                  \
        double t = seconds();                                                                \
        for (long i = 0; i < ITERATIONS; i++) {                                              \
            BODY                                                                             \
        }                                                                                    \
        t = seconds() - t;                                                                   \
        __m256 s = r0 + r1 + r2 + r3 + r4 + r5 + r6 + r7 + r8 + r9 + r10 + r11;              \
        printf("%-26s %5.2f cycles a loop of 12 (checksum %g)\n", name,                     \
               t * ghz * 1e9 / ITERATIONS, (double)s[0]);                                    \
    } while (0)

int main(int argc, char **argv)
{
    const double ghz = argc > 1 ? atof(argv[1]) : 1.0;
    if (argc < 2) printf("(no clock given: nanoseconds, not cycles)\n");
    MIX("12 adds", ADD(r0) ADD(r1) ADD(r2) ADD(r3) ADD(r4) ADD(r5) ADD(r6) ADD(r7) ADD(r8)
                       ADD(r9) ADD(r10) ADD(r11));
    MIX("12 FMAs", FMA(r0) FMA(r1) FMA(r2) FMA(r3) FMA(r4) FMA(r5) FMA(r6) FMA(r7) FMA(r8)
                       FMA(r9) FMA(r10) FMA(r11));
    MIX("6 adds + 6 FMAs", ADD(r0) FMA(r1) ADD(r2) FMA(r3) ADD(r4) FMA(r5) ADD(r6) FMA(r7)
                               ADD(r8) FMA(r9) ADD(r10) FMA(r11));
    MIX("4 adds + 8 FMAs", ADD(r0) FMA(r1) FMA(r2) ADD(r3) FMA(r4) FMA(r5) ADD(r6) FMA(r7)
                               FMA(r8) ADD(r9) FMA(r10) FMA(r11));
    MIX("8 adds + 4 FMAs", ADD(r0) ADD(r1) FMA(r2) ADD(r3) ADD(r4) FMA(r5) ADD(r6) ADD(r7)
                               FMA(r8) ADD(r9) ADD(r10) FMA(r11));
    /* A folded pair as a product and two adds instead of an add and an FMA: more adds,
     * though an add issues beside a multiply as it does not beside an FMA (session 21). */
    MIX("12 muls", MUL(r0) MUL(r1) MUL(r2) MUL(r3) MUL(r4) MUL(r5) MUL(r6) MUL(r7) MUL(r8)
                       MUL(r9) MUL(r10) MUL(r11));
    MIX("6 adds + 6 muls", ADD(r0) MUL(r1) ADD(r2) MUL(r3) ADD(r4) MUL(r5) ADD(r6) MUL(r7)
                               ADD(r8) MUL(r9) ADD(r10) MUL(r11));
    MIX("8 adds + 4 muls (4 pairs)", ADD(r0) ADD(r1) MUL(r2) ADD(r3) ADD(r4) MUL(r5) ADD(r6)
                                         ADD(r7) MUL(r8) ADD(r9) ADD(r10) MUL(r11));
    return 0;
}
