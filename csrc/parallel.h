/* Threads: a job is a fixed list of work items (it depends on the problem, never on the
 * number of threads, so every output is computed by the same code whatever the team size),
 * taken one at a time by the threads of axisconv's pool (parallel.c), which copes with a
 * busy core. */
#ifndef AX_PARALLEL_H
#define AX_PARALLEL_H

#include <stddef.h>
#include <stdint.h>

/* Below this many multiply-adds a call runs on the calling thread: waking a team costs
 * more than it saves. */
#define AX_PARALLEL_MIN_WORK ((int64_t)1 << 17)

/* More threads than this only add overhead: the work is split into fixed items. */
#define AX_MAX_THREADS 256

typedef struct {
    void (*run)(const void *ctx, int64_t item, void *scratch); /* one work item */
    const void *ctx;
    int64_t items;
    size_t scratch_bytes; /* per thread, 64-byte aligned, contents unspecified but initialised */
} ax_job;

/* Runs every item of `job` on up to `threads` threads (0: the default), the caller's among
 * them; `work` (multiply-adds) decides whether a team is worth waking.  Returns AX_OK or
 * AX_ENOMEM. */
int ax_parallel_for(const ax_job *job, int threads, int64_t work);

/* The team ax_parallel_for would wake for `work` with `threads` (0: the default), before it
 * is clipped to the job's items: 1 below AX_PARALLEL_MIN_WORK. */
int ax_team_for(int threads, int64_t work);

/* 64-byte aligned memory; free with free(). */
void *ax_alloc(size_t bytes);

#endif
