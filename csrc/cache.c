/* Cache sizes and the streaming-store policy (cache.h). */
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#endif

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

/* The last-level cache as one core sees it: Linux's sysfs gives the cache the core shares
 * with its neighbours (a Zen core complex's 32 MiB, not the 384 MiB of L3 in the package that
 * sysconf reports here); elsewhere sysconf's L3; 0 when nobody says. */
static int64_t sysfs_cache_bytes(int index, int *level)
{
    char path[96], text[32];
    int64_t bytes = 0;
    snprintf(path, sizeof path, "/sys/devices/system/cpu/cpu0/cache/index%d/level", index);
    FILE *f = fopen(path, "r");
    if (!f) return -1;
    if (fscanf(f, "%d", level) != 1) *level = 0;
    fclose(f);
    snprintf(path, sizeof path, "/sys/devices/system/cpu/cpu0/cache/index%d/size", index);
    if ((f = fopen(path, "r"))) {
        long long v;
        if (fgets(text, sizeof text, f) && sscanf(text, "%lld", &v) == 1)
            bytes = (int64_t)v << (strchr(text, 'M') ? 20 : strchr(text, 'K') ? 10 : 0);
        fclose(f);
    }
    return bytes;
}

/* An integer in sysfs file `name` of cache index `index` (-1 when unreadable). */
static long sysfs_cache_field(int index, const char *name)
{
    char path[96];
    long v = -1;
    snprintf(path, sizeof path, "/sys/devices/system/cpu/cpu0/cache/index%d/%s", index, name);
    FILE *f = fopen(path, "r");
    if (f) {
        if (fscanf(f, "%ld", &v) != 1) v = -1;
        fclose(f);
    }
    return v;
}

int ax_l1_ways(void)
{
    static int known; /* asked once; racing callers store the same value */
    int ways = __atomic_load_n(&known, __ATOMIC_RELAXED);
    if (!ways) {
        long v = -1;
        for (int i = 0; i < 16 && v <= 0; i++) {
            char path[96], type[16] = "";
            snprintf(path, sizeof path, "/sys/devices/system/cpu/cpu0/cache/index%d/type", i);
            FILE *f = fopen(path, "r");
            if (!f) break;
            if (fscanf(f, "%15s", type) != 1) type[0] = 0;
            fclose(f);
            if (sysfs_cache_field(i, "level") == 1 && strcmp(type, "Instruction") != 0)
                v = sysfs_cache_field(i, "ways_of_associativity");
        }
#ifdef _SC_LEVEL1_DCACHE_ASSOC
        if (v <= 0) v = sysconf(_SC_LEVEL1_DCACHE_ASSOC);
#endif
        ways = v >= 2 && v <= 64 ? (int)v : 8;
        __atomic_store_n(&known, ways, __ATOMIC_RELAXED);
    }
    return ways;
}

int64_t ax_llc_bytes(void)
{
    static int64_t known; /* asked once; racing callers store the same value */
    int64_t bytes = __atomic_load_n(&known, __ATOMIC_RELAXED);
    if (bytes) return bytes > 0 ? bytes : 0;
    int top = 0, level = 0;
    for (int i = 0; i < 16; i++) {
        int64_t b = sysfs_cache_bytes(i, &level);
        if (b < 0) break;
        if (level > top && b > 0) top = level, bytes = b;
    }
#ifdef _SC_LEVEL3_CACHE_SIZE
    if (!bytes) bytes = sysconf(_SC_LEVEL3_CACHE_SIZE) > 0 ? sysconf(_SC_LEVEL3_CACHE_SIZE) : 0;
#endif
    __atomic_store_n(&known, bytes ? bytes : -1, __ATOMIC_RELAXED);
    return bytes;
}

/* Whether the CPU is AMD's (or Hygon's, of the same design), from its vendor string. */
static int cpu_is_amd(void)
{
#if defined(__x86_64__) || defined(__i386__)
    unsigned level, vendor[3];
    if (!__get_cpuid(0, &level, &vendor[0], &vendor[2], &vendor[1])) return 0;
    return !memcmp(vendor, "AuthenticAMD", 12) || !memcmp(vendor, "HygonGenuine", 12);
#else
    return 0;
#endif
}

/* Streaming stores skip the read for ownership of each output line and the eviction of
 * whatever the output displaces, but leave the output in memory, so its next reader fetches
 * it from DRAM.  What that costs when the output could have stayed cached differs by vendor
 * (benchmarks/TUNING.md, "Streaming stores"):
 * - AMD: the reader pays a few percent and the call itself runs up to twice as fast, so
 *   streaming pays from a quarter of the last-level cache (below that, where input and output
 *   stay in cache from stage to stage, it does not);
 * - Intel: streaming over an output still cached cost 3.6x (issue 15), so only outputs that
 *   cannot stay cached are streamed: past three quarters of the last-level cache (the rest
 *   holds everything else, other cores' data among it). */
int64_t ax_stream_threshold_for(int64_t llc, int amd)
{
    if (!llc) return (int64_t)16 << 20;
    return amd ? llc / 4 : llc / 4 * 3;
}

static int64_t default_stream_threshold(void)
{
    return ax_stream_threshold_for(ax_llc_bytes(), cpu_is_amd());
}

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
