/* The line kernels alone, on data that stays in cache: nanoseconds (and cycles, given the
 * clock) per output vector of the column kernel and of the row kernel of one SIMD path, for
 * a kernel of K symmetric taps, nrows output rows of n elements.  No driver, no threads, no
 * Python: what the arithmetic and the L1/L2 traffic of the kernel cost (TUNING.md, "Columns").
 *
 *     cmake -S . -B /tmp/bc -DAXISCONV_PYTHON=OFF && cmake --build /tmp/bc --target axcore
 *     gcc -O2 -DAX_X86_KERNELS -Icsrc benchmarks/kernel_cycles.c /tmp/bc/libaxcore.a \
 *         -lm -lpthread -o /tmp/kernel_cycles
 *     /tmp/kernel_cycles avx512 13 1920 16 [GHz]   # path, K, n, nrows
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "axisconv.h"
#include "kernels.h"

static double seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

int main(int argc, char **argv)
{
    if (argc < 5) {
        fprintf(stderr, "usage: %s baseline|avx2|avx512 K n nrows [GHz]\n", argv[0]);
        return 2;
    }
    ax_simd path = !strcmp(argv[1], "avx512") ? AX_SIMD_AVX512
                   : !strcmp(argv[1], "avx2") ? AX_SIMD_AVX2 : AX_SIMD_BASELINE;
    if (ax_simd_select(path) != AX_OK) {
        fprintf(stderr, "%s: not supported here\n", argv[1]);
        return 1;
    }
    const ax_kernels *kern = ax_active_kernels();
    const int K = atoi(argv[2]), nrows = atoi(argv[4]);
    const int64_t n = atol(argv[3]), stride = n + 16; /* rows not a power of two apart */
    const double ghz = argc > 5 ? atof(argv[5]) : 0;
    const int in_rows = nrows + K - 1;
    float *in = aligned_alloc(64, (size_t)(stride * in_rows + 64) * sizeof(float));
    float *out = aligned_alloc(64, (size_t)(stride * nrows + 64) * sizeof(float));
    const float **rows = malloc((size_t)in_rows * sizeof *rows);
    float **y = malloc((size_t)nrows * sizeof *y), k[256];
    if (!in || !out || !rows || !y || K < 1 || K > 255 || K % 2 == 0 || n < 1 || nrows < 1)
        return 1;
    for (int64_t i = 0; i < stride * in_rows + 64; i++) in[i] = (float)(i % 97) * 0.01f;
    for (int r = 0; r < in_rows; r++) rows[r] = in + r * stride;
    for (int r = 0; r < nrows; r++) y[r] = out + r * stride;
    for (int t = 0; t < K; t++) k[t] = 1.0f / (1 + abs(t - K / 2)); /* symmetric */

    const double vectors = (double)n * nrows * sizeof(float) / (double)kern->vector_bytes;
    long reps = (long)(2e9 / ((double)n * nrows * K));
    if (reps < 10) reps = 10;
    double col = 1e9, row = 1e9;
    for (int round = 0; round < 5; round++) {
        double t = seconds();
        for (long i = 0; i < reps; i++) kern->col_f32(rows, k, K, 1, y, nrows, n, AX_WRITE);
        t = (seconds() - t) / reps;
        col = t < col ? t : col;
        t = seconds();
        for (long i = 0; i < reps; i++)
            for (int r = 0; r < nrows; r++) kern->row_f32(rows[r], k, K, 1, y[r], n, AX_WRITE);
        t = (seconds() - t) / reps;
        row = t < row ? t : row;
    }
    printf("%s K=%d n=%ld nrows=%d: columns %.2f ns/vector, rows %.2f ns/vector", kern->name, K,
           (long)n, nrows, col * 1e9 / vectors, row * 1e9 / vectors);
    if (ghz > 0)
        printf(" (%.1f and %.1f cycles at %g GHz)", col * ghz * 1e9 / vectors,
               row * ghz * 1e9 / vectors, ghz);
    printf("\n");
    return 0;
}
