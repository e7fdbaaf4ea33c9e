/* The memory floor of a 1-D filter on this machine: the time a 3-tap stream kernel takes to
 * read an array and write another of the same size, with ordinary stores and with
 * non-temporal (cache-bypassing) ones, on 2 threads.  No library code: this is the yardstick
 * for the memory-bound cases of the benchmarks (a filter cannot beat it).
 *
 *     gcc -O2 -fopenmp -march=native benchmarks/stream_floor.c -o /tmp/stream_floor
 *     /tmp/stream_floor 8 16 32 64        # MiB per array
 */
#include <immintrin.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

/* y[i] = (x[i-1] + 2 x[i] + x[i+1]) / 4 over [16, n - 16), 16 floats at a time. */
static void stream3(const float *x, float *y, size_t n, int nontemporal)
{
#ifdef __AVX512F__
    const __m512 a = _mm512_set1_ps(0.25f), b = _mm512_set1_ps(0.5f);
    for (size_t i = 16; i + 32 <= n; i += 16) {
        __m512 v = _mm512_mul_ps(b, _mm512_loadu_ps(x + i));
        v = _mm512_fmadd_ps(a, _mm512_add_ps(_mm512_loadu_ps(x + i - 1), _mm512_loadu_ps(x + i + 1)), v);
        if (nontemporal) _mm512_stream_ps(y + i, v);
        else _mm512_store_ps(y + i, v);
    }
#else
    (void)nontemporal;
    for (size_t i = 1; i + 1 < n; i++) y[i] = 0.25f * (x[i - 1] + x[i + 1]) + 0.5f * x[i];
#endif
}

static int cmp(const void *a, const void *b)
{
    double d = *(const double *)a - *(const double *)b;
    return (d > 0) - (d < 0);
}

int main(int argc, char **argv)
{
    for (int arg = 1; arg < argc; arg++) {
        size_t bytes = (size_t)atol(argv[arg]) << 20, n = bytes / sizeof(float);
        float *x = aligned_alloc(64, bytes), *y = aligned_alloc(64, bytes);
        for (size_t i = 0; i < n; i++) x[i] = y[i] = (float)(i % 1000003); /* distinct pages */
        for (int nt = 0; nt < 2; nt++) {
            double t[31];
            for (int r = 0; r < 31; r++) {
                double t0 = now();
#pragma omp parallel num_threads(2)
                {
                    size_t half = n / 2 / 16 * 16, id = (size_t)omp_get_thread_num();
                    stream3(x + id * half, y + id * half, id ? n - half : half, nt);
                }
                _mm_sfence();
                t[r] = now() - t0;
            }
            qsort(t, 31, sizeof t[0], cmp);
            printf("%4zu MiB -> %4zu MiB, %s stores: median %.3f ms, best %.3f ms\n",
                   bytes >> 20, bytes >> 20, nt ? "non-temporal" : "ordinary    ",
                   t[15] * 1e3, t[0] * 1e3);
        }
        free(x);
        free(y);
    }
    return 0;
}
