/* Cache sizes and the streaming-store policy (cache.h). */
#include <unistd.h>

#include "axisconv.h"
#include "cache.h"

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
 * so it is not asked), the output is not cached for its reader anyway, and streaming it
 * saves the read for ownership and keeps the input cached (benchmarks/RESULTS_2d.md). */
static int64_t default_stream_threshold(void) { return (int64_t)16 << 20; }

static int64_t chosen_threshold = -1; /* -1: the default; read and written atomically */

int64_t ax_stream_threshold(void)
{
    int64_t t = __atomic_load_n(&chosen_threshold, __ATOMIC_RELAXED);
    return t >= 0 ? t : default_stream_threshold();
}

void ax_set_stream_threshold(int64_t bytes)
{
    __atomic_store_n(&chosen_threshold, bytes >= 0 ? bytes : -1, __ATOMIC_RELAXED);
}

int ax_stream_pays(int64_t bytes) { return bytes > ax_stream_threshold(); }
