#include <stdlib.h>
#include <string.h>

#include "axisconv.h"
#include "parallel.h"

void *ax_alloc(size_t bytes)
{
    return aligned_alloc(64, (bytes + 63) / 64 * 64 + 64);
}

static void *zeroed_scratch(size_t bytes)
{
    void *s = ax_alloc(bytes);
    if (s) memset(s, 0, bytes);
    return s;
}

int ax_parallel_for(const ax_job *job, int threads, int64_t work)
{
    int team = work < AX_PARALLEL_MIN_WORK ? 1 : threads;
    if (team > job->items) team = (int)job->items;
    if (team <= 1) {
        void *scratch = zeroed_scratch(job->scratch_bytes);
        if (!scratch) return AX_ENOMEM;
        for (int64_t w = 0; w < job->items; w++) job->run(job->ctx, w, scratch);
        free(scratch);
        return AX_OK;
    }
    int failed = 0;
#pragma omp parallel num_threads(team) reduction(| : failed)
    {
        void *scratch = zeroed_scratch(job->scratch_bytes);
        failed |= !scratch;
#pragma omp for schedule(dynamic, 1)
        for (int64_t w = 0; w < job->items; w++)
            if (scratch) job->run(job->ctx, w, scratch);
        free(scratch);
    }
    return failed ? AX_ENOMEM : AX_OK;
}
