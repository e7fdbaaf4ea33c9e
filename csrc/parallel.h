/* OpenMP helpers: the work is split into a fixed list of items that does not depend on the
 * number of threads, so every output is computed by the same code whatever the team size. */
#ifndef AX_PARALLEL_H
#define AX_PARALLEL_H

#include <stdint.h>
#include <stdlib.h>

/* Below this many multiply-adds a call runs on the calling thread: waking a team costs
 * more than it saves. */
#define AX_PARALLEL_MIN_WORK ((int64_t)1 << 17)

static inline int ax_team_size(int threads, int64_t items, int64_t work)
{
    if (threads < 1 || work < AX_PARALLEL_MIN_WORK) return 1;
    return items < threads ? (int)(items > 0 ? items : 1) : threads;
}

/* Cache-line aligned scratch; sizes rounded up so aligned_alloc accepts them. */
static inline void *ax_scratch(size_t bytes)
{
    return aligned_alloc(64, (bytes + 63) / 64 * 64 + 64);
}

#endif
