#include <stdlib.h>
#include <string.h>

#include "axisconv.h"
#include "parallel.h"

void *ax_alloc(size_t bytes)
{
    return aligned_alloc(64, (bytes + 63) / 64 * 64 + 64);
}

/* Each thread keeps its scratch between calls: a fresh large block would be mmapped, and
 * the page faults of touching it cost more than the filtering of a small image.  It is
 * zeroed when it grows, so no uninitialised value is ever read. */
static _Thread_local void *cached;
static _Thread_local size_t cached_bytes;

static void *thread_scratch(size_t bytes)
{
    if (bytes > cached_bytes || !cached) {
        free(cached);
        cached_bytes = 0;
        cached = ax_alloc(bytes);
        if (!cached) return NULL;
        memset(cached, 0, bytes);
        cached_bytes = bytes;
    }
    return cached;
}

/* Scratch above this size is returned to the system after the call. */
#define KEEP_BYTES ((size_t)16 << 20)

static void release_scratch(void)
{
    if (cached_bytes > KEEP_BYTES) {
        free(cached);
        cached = NULL;
        cached_bytes = 0;
    }
}

int ax_parallel_for(const ax_job *job, int threads, int64_t work)
{
    int team = work < AX_PARALLEL_MIN_WORK ? 1 : threads;
    if (team > job->items) team = (int)job->items;
    if (team <= 1) {
        void *scratch = thread_scratch(job->scratch_bytes);
        if (!scratch) return AX_ENOMEM;
        for (int64_t w = 0; w < job->items; w++) job->run(job->ctx, w, scratch);
        release_scratch();
        return AX_OK;
    }
    int failed = 0;
#pragma omp parallel num_threads(team) reduction(| : failed)
    {
        void *scratch = thread_scratch(job->scratch_bytes);
        failed |= !scratch;
#pragma omp for schedule(dynamic, 1)
        for (int64_t w = 0; w < job->items; w++)
            if (scratch) job->run(job->ctx, w, scratch);
        release_scratch();
    }
    return failed ? AX_ENOMEM : AX_OK;
}
