/* What the drivers ask of the caches: the L2 size that sizes their working sets, the L1's
 * ways, and when an output is too large to stay cached and is better streamed past them.
 * Read at run time (cache.c), never a constant of one machine. */
#ifndef AX_CACHE_H
#define AX_CACHE_H

#include <stddef.h>
#include <stdint.h>

/* Bytes of one core's L2 cache (512 KiB when the C library cannot tell), for the buffers
 * a work item keeps hot. */
int64_t ax_l2_bytes(void);

/* Ways of one set of the L1 data cache (8 when the system cannot tell): how many lines a
 * multiple of 4 KiB apart it holds at once. */
int ax_l1_ways(void);

/* Bytes of the last-level cache a core shares with its neighbours (0 when unknown). */
int64_t ax_llc_bytes(void);

/* Whether a call that reads and writes `bytes` in all, with `taps` multiply-adds behind each
 * output (a separable pass: its longer kernel's), should write its output with streaming
 * (non-temporal) stores: ax_stream_threshold() in axisconv.h is the limit of bytes, 16 taps
 * (AX_STREAM_TAPS, cache.c) the limit of taps unless the threshold is 0. */
int ax_stream_pays(int64_t bytes, int64_t taps);

/* Whether a call's input and output, `bytes` together, stay in the last-level cache (a
 * quarter of it: the rest holds everything else): where they do, the order of the accesses
 * matters more than the hardware prefetchers' streams. */
int ax_stays_cached(int64_t bytes);

/* Whether a column kernel of `taps` taps, writing the rows out[0 .. nout) from in[0 ..),
 * should go from right to left (AX_RIGHT_TO_LEFT): when most of the pairs of an output row
 * and an input row of its first block of AX_ROW_GROUP output rows would put each store a few
 * vectors ahead of the loads to come, modulo 4 KiB, and either the kernel's vectors
 * (vector_bytes) are narrower than a cache line and the block's window overflows the L1's
 * ways, or they are a line wide and the call's data stays cached (ax_stays_cached; 0 where
 * unmeasured). */
int ax_right_to_left(const void *const *in, void *const *out, int64_t nout, int64_t taps,
                     int64_t vector_bytes, int cached);

/* memcpy whose whole cache lines of dst are written with streaming stores (plain memcpy
 * where the CPU has none), for outputs ax_stream_pays() sends past the caches.  The stores
 * are weakly ordered: the caller fences them (ax_parallel_for does). */
void ax_copy_streamed(void *dst, const void *src, size_t bytes);

#endif
