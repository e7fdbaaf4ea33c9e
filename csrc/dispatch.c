/* Run-time choice of the instruction set: the best one this CPU supports, unless the caller
 * selects a lower one (AXISCONV_SIMD is read by the Python layer).  One table per
 * instruction set holds every kernel (kernels.h); this is the only place that picks one. */
#include "axisconv.h"
#include "kernels.h"

static const ax_kernels *const tables[AX_SIMD_COUNT] = {
    [AX_SIMD_BASELINE] = &ax_kernels_baseline,
#ifdef AX_X86_KERNELS
    [AX_SIMD_AVX2] = &ax_kernels_avx2,
    [AX_SIMD_AVX512] = &ax_kernels_avx512,
#endif
};

int ax_simd_supported(ax_simd path)
{
    if (path < 0 || path >= AX_SIMD_COUNT || !tables[path]) return 0;
#ifdef AX_X86_KERNELS
    __builtin_cpu_init();
    if (path >= AX_SIMD_AVX2 && !(__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")))
        return 0;
    /* The AVX-512 set uses the byte, word and quadword instructions (BW, DQ, VL) of every
     * AVX-512 CPU since Skylake-SP; without them (Knights Landing) AVX2 is used. */
    if (path >= AX_SIMD_AVX512 &&
        !(__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
          __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl")))
        return 0;
#endif
    return 1;
}

ax_simd ax_simd_best(void)
{
    for (int p = AX_SIMD_COUNT - 1; p > 0; p--)
        if (ax_simd_supported((ax_simd)p)) return (ax_simd)p;
    return AX_SIMD_BASELINE;
}

static int active = AX_SIMD_COUNT; /* chosen on first use; read and written atomically */

int ax_simd_select(ax_simd path)
{
    if (!ax_simd_supported(path)) return AX_EINVAL;
    __atomic_store_n(&active, (int)path, __ATOMIC_RELAXED);
    return AX_OK;
}

ax_simd ax_simd_active(void)
{
    int path = __atomic_load_n(&active, __ATOMIC_RELAXED);
    if (path == AX_SIMD_COUNT) {
        path = (int)ax_simd_best();
        __atomic_store_n(&active, path, __ATOMIC_RELAXED);
    }
    return (ax_simd)path;
}

const char *ax_simd_name(ax_simd path)
{
    if (path < 0 || path >= AX_SIMD_COUNT || !tables[path]) return "unknown";
    return tables[path]->name;
}

const ax_kernels *ax_active_kernels(void) { return tables[ax_simd_active()]; }
