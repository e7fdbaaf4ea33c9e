/* Cache sizes and the streaming-store policy (cache.h). */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "axisconv.h"
#include "cache.h"
#include "geometry.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

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

/* Streaming stores skip the read for ownership of each output line and keep the input
 * cached, but leave the output in memory: they pay only where it could not have stayed
 * cached for whatever reads it next.  Input and output together cannot stay cached once they
 * fill three quarters of the last-level cache (the rest holds everything else, other cores'
 * data among it); below that a buffer reused from a previous stage may still be cached, and
 * streaming over it costs its eviction and the reader's fetch from DRAM
 * (benchmarks/TUNING.md, "Streaming stores"). */
static int64_t default_stream_threshold(void)
{
    int64_t llc = ax_llc_bytes();
    return llc ? llc / 4 * 3 : (int64_t)16 << 20;
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

/* Streaming saves memory traffic, which pays only while memory bounds the pass.  Past
 * AX_STREAM_TAPS taps an output the arithmetic does: the reads for ownership hide under it,
 * and streaming over an output that is still cached only costs.  AMD EPYC Zen 4, one call
 * after OpenCV wrote `out`: K = 31 columns, rows and separable passes 5-25% faster written
 * plainly (1 and 2 threads, float32 and float64, AVX-512 and AVX2), K = 21 columns and
 * separable 5-8% (2 threads); K <= 13 as fast or faster streamed; K = 15 either way (2
 * threads 4-8% faster plainly, 1 thread and float64 7-16% faster streamed), so it streams
 * (benchmarks/TUNING.md, session 13).  A threshold of 0 streams every output, whatever its
 * taps (the tests' `stores` fixture). */
#define AX_STREAM_TAPS 16

int ax_stream_pays(int64_t bytes, int64_t taps)
{
    const int64_t threshold = ax_stream_threshold();
    return bytes > threshold && (taps <= AX_STREAM_TAPS || threshold == 0);
}

/* A load waits for every earlier store still in flight whose address matches its own in the
 * low 12 bits (4K aliasing, on AMD as on Intel).  Columns written left to right with each
 * output a little past its inputs modulo 4 KiB -- an `out` allocated on the heap right after
 * its input starts 16 bytes past it -- stall the loads of the next blocks on the stores of
 * the last ones; right to left, the stores trail the loads.  With AVX2 on a Zen 1, only
 * windows that overflow the L1's ways paid (their rows reloaded from L2 every block): 2048^2
 * columns, `out` 16 bytes past the input, on an AMD EPYC Zen 1 (8 ways), K = 7 / 9 / 13
 * 1.14 / 1.41 / 1.20x faster right to left, K = 3 and 5 (windows within the ways) 5-7%
 * slower; right to left costs 5-15% where nothing stalls (benchmarks/TUNING.md, session 20).
 * Vectors a whole line wide (AVX-512) go right to left only while input and output stay in
 * a quarter of the last-level cache, at any window: from memory an AMD EPYC Zen 4 took
 * 1.0-1.6x the time right to left at K = 3..9 and at best 0.86x beyond (2048^2, streamed;
 * written plainly 1.2-1.5x everywhere), where its AVX2 stores at the same places, streamed,
 * went up to 2.2x faster right to left (session 22); planes of 4-8 MiB (in + out, a quarter
 * of its 32 MiB L3) 0.70-0.98x at K = 3..9, and of 16 MiB 0.96-1.64x again (session 23).
 * Neither Intel's Sapphire Rapids nor a Zen 5 was measured. */
#define AX_ALIAS_NEAR 128 /* bytes ahead within which a store stalled the loads (4 vectors) */

static int chosen_direction = -1; /* ax_set_column_direction's; read and written atomically */

void ax_set_column_direction(int direction)
{
    __atomic_store_n(&chosen_direction, direction == 0 || direction == 1 ? direction : -1,
                     __ATOMIC_RELAXED);
}

int ax_stays_cached(int64_t bytes)
{
    const int64_t llc = ax_llc_bytes();
    return llc > 0 && bytes <= llc / 4;
}

int ax_right_to_left(const void *const *in, void *const *out, int64_t nout, int64_t taps,
                     int64_t vector_bytes, int cached)
{
    const int chosen = __atomic_load_n(&chosen_direction, __ATOMIC_RELAXED);
    if (chosen >= 0) return chosen;
    const int64_t window = taps + AX_ROW_GROUP - 1;
    if (nout < AX_ROW_GROUP) return 0;
    if (vector_bytes >= 64 ? !cached : window <= ax_l1_ways()) return 0;
    int64_t ahead = 0;
    for (int r = 0; r < AX_ROW_GROUP; r++)
        for (int64_t s = 0; s < window; s++)
            ahead += ((uintptr_t)out[r] - (uintptr_t)in[s] - 1) % 4096 < AX_ALIAS_NEAR;
    return 2 * ahead > AX_ROW_GROUP * window;
}

void ax_copy_streamed(void *dst, const void *src, size_t bytes)
{
#if defined(__SSE2__)
    /* SSE2 is every x86-64's: four 16-byte streaming stores fill a line in the write-combining
     * buffer as one 64-byte store would.  The partial lines at the ends are written plainly. */
    char *d = dst;
    const char *s = src;
    size_t head = (64 - (uintptr_t)d % 64) % 64;
    head = head < bytes ? head : bytes;
    memcpy(d, s, head);
    d += head, s += head, bytes -= head;
    for (; bytes >= 64; bytes -= 64, d += 64, s += 64)
        for (int i = 0; i < 4; i++)
            _mm_stream_si128((__m128i *)d + i, _mm_loadu_si128((const __m128i *)s + i));
    memcpy(d, s, bytes);
#else
    memcpy(dst, src, bytes);
#endif
}
