/* Run-time choice of the instruction set: the best one this CPU supports, unless the
 * caller selects a lower one (AXISCONV_SIMD is read by the Python layer). */
#include "axisconv.h"
#include "layer_kernels.h"
#include "line_kernels.h"

#include <unistd.h>

#ifdef _OPENMP
#include <omp.h>
#endif

#include "lines.h"

static const char *const names[AX_SIMD_COUNT] = {"baseline", "avx2", "avx512"};

static const ax_line_kernels *table(ax_simd path)
{
#ifdef AX_HAVE_X86_PATHS
    if (path == AX_SIMD_AVX512) return &ax_line_kernels_avx512;
    if (path == AX_SIMD_AVX2) return &ax_line_kernels_avx2;
#endif
    (void)path;
    return &ax_line_kernels_baseline;
}

int ax_simd_supported(ax_simd path)
{
    switch (path) {
    case AX_SIMD_BASELINE: return 1;
#ifdef AX_HAVE_X86_PATHS
    case AX_SIMD_AVX2:
        __builtin_cpu_init();
        return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    case AX_SIMD_AVX512:
        __builtin_cpu_init();
        return __builtin_cpu_supports("avx512f") && ax_simd_supported(AX_SIMD_AVX2);
#endif
    default: return 0;
    }
}

ax_simd ax_simd_best(void)
{
    for (int p = AX_SIMD_COUNT - 1; p > 0; p--)
        if (ax_simd_supported((ax_simd)p)) return (ax_simd)p;
    return AX_SIMD_BASELINE;
}

static ax_simd active = AX_SIMD_COUNT; /* chosen on first use */

int ax_simd_select(ax_simd path)
{
    if (path < 0 || path >= AX_SIMD_COUNT || !ax_simd_supported(path)) return AX_EINVAL;
    active = path;
    return AX_OK;
}

ax_simd ax_simd_active(void)
{
    if (active == AX_SIMD_COUNT) active = ax_simd_best();
    return active;
}

const char *ax_simd_name(ax_simd path)
{
    if (path < 0 || path >= AX_SIMD_COUNT) return "unknown";
#if !defined(AX_HAVE_X86_PATHS) && defined(__aarch64__)
    if (path == AX_SIMD_BASELINE) return "neon";
#endif
    return names[path];
}

const ax_line_kernels *ax_active_kernels(void) { return table(ax_simd_active()); }

/* The layer kernels follow the same choice (one path for the whole library). */
const ax_layer_kernels *ax_active_layer_kernels(void)
{
#ifdef AX_HAVE_X86_PATHS
    ax_simd path = ax_simd_active();
    if (path == AX_SIMD_AVX512) return &ax_layer_kernels_avx512;
    if (path == AX_SIMD_AVX2) return &ax_layer_kernels_avx2;
#endif
    return &ax_layer_kernels_baseline;
}

int64_t ax_l2_bytes(void)
{
    static int64_t known; /* asked once; racing callers store the same value */
    int64_t bytes = __atomic_load_n(&known, __ATOMIC_RELAXED);
    if (!bytes) {
        long v = -1;
#ifdef _SC_LEVEL2_CACHE_SIZE
        v = sysconf(_SC_LEVEL2_CACHE_SIZE);
#endif
        bytes = v >= (128L << 10) && v <= (64L << 20) ? v : (512 << 10);
        __atomic_store_n(&known, bytes, __ATOMIC_RELAXED);
    }
    return bytes;
}

/* When input and output together outgrow what a core can expect of the last-level cache
 * (16 MiB: half of a 32 MiB core complex; sysconf reports a whole package's L3 on some CPUs,
 * so it is not asked), the output will not be cached for its reader anyway, and streaming
 * it saves the read for ownership and keeps the input cached.  Measured, 2 threads: the
 * depthwise layer N=16, L=4096, C=64 (32 MiB) 0.85 -> 0.59 ms; the separable K=3 float32
 * 2048^2 (32 MiB) 0.70 -> 0.48 ms, 4096^2 3.98 -> 3.06 ms; at 16 MiB both ran as fast either
 * way, at 8 MiB streaming was 1.3x slower. */
int64_t ax_stream_threshold(void) { return (int64_t)16 << 20; }

int ax_stream_pays(int64_t bytes) { return bytes > ax_stream_threshold(); }

int ax_openmp_enabled(void)
{
#ifdef _OPENMP
    return 1;
#else
    return 0;
#endif
}
