/* Work items on OpenMP threads, and the per-thread scratch they use (parallel.h). */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "axisconv.h"
#include "parallel.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#ifdef _OPENMP
#include <omp.h>
#endif

void *ax_alloc(size_t bytes)
{
    return aligned_alloc(64, (bytes + 63) / 64 * 64 + 64);
}

/* Each thread keeps its scratch between calls: a fresh large block would be mmapped, and
 * the page faults of touching it cost more than the filtering of a small image.  It lives
 * under a thread key, so it is freed when its thread exits, and is zeroed when it grows
 * (kernels may read, and discard, the slack lanes of a previous call). */
typedef struct {
    void *data;
    size_t bytes;
} scratch;

static pthread_key_t scratch_key;
static pthread_once_t scratch_once = PTHREAD_ONCE_INIT;
static int forked_child; /* set in a fork()ed child: the parent's OpenMP team is unusable */

static void free_scratch(void *p)
{
    scratch *s = p;
    free(s->data);
    free(s);
}

static void note_fork(void) { forked_child = 1; }

static void init_once(void)
{
    pthread_key_create(&scratch_key, free_scratch);
    pthread_atfork(NULL, NULL, note_fork);
}

static void *thread_scratch(size_t bytes)
{
    pthread_once(&scratch_once, init_once);
    scratch *s = pthread_getspecific(scratch_key);
    if (!s) {
        s = calloc(1, sizeof *s);
        if (!s || pthread_setspecific(scratch_key, s) != 0) {
            free(s);
            return NULL;
        }
    }
    if (bytes > s->bytes || !s->data) {
        free(s->data);
        s->bytes = 0;
        s->data = ax_alloc(bytes);
        if (!s->data) return NULL;
        memset(s->data, 0, bytes);
        s->bytes = bytes;
    }
    return s->data;
}

/* Scratch above this size is returned to the system after the call. */
#define KEEP_BYTES ((size_t)16 << 20)

static void release_scratch(void)
{
    scratch *s = pthread_getspecific(scratch_key);
    if (s && s->bytes > KEEP_BYTES) {
        free(s->data);
        s->data = NULL;
        s->bytes = 0;
    }
}

/* Streamed (non-temporal) stores are weakly ordered: each thread fences its own once, after
 * its last item, so that they are all visible when the call returns (the kernels do not). */
static void fence_streams(void)
{
#if defined(__SSE2__)
    _mm_sfence();
#endif
}

int ax_parallel_for(const ax_job *job, int threads, int64_t work)
{
    if (threads <= 0) threads = ax_get_num_threads();
    int team = work < AX_PARALLEL_MIN_WORK || forked_child ? 1 : threads;
    if (team > job->items) team = (int)job->items;
    if (team <= 1) {
        void *scratch = thread_scratch(job->scratch_bytes);
        if (!scratch) return AX_ENOMEM;
        for (int64_t w = 0; w < job->items; w++) job->run(job->ctx, w, scratch);
        fence_streams();
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
        fence_streams();
        release_scratch();
    }
    return failed ? AX_ENOMEM : AX_OK;
}

static int explicit_threads; /* 0: follow OpenMP's limit; read and written atomically */

int ax_get_num_threads(void)
{
    int n = __atomic_load_n(&explicit_threads, __ATOMIC_RELAXED);
    if (n > 0) return n;
#ifdef _OPENMP
    return omp_get_max_threads();
#else
    return 1;
#endif
}

int ax_set_num_threads(int n)
{
    int previous = ax_get_num_threads();
    __atomic_store_n(&explicit_threads, n > 0 ? n : 0, __ATOMIC_RELAXED);
    return previous;
}

#ifdef _OPENMP
extern void omp_display_env(int verbose) __attribute__((weak)); /* OpenMP 5.1 runtimes */
#endif

int ax_openmp_display_env(void)
{
#ifdef _OPENMP
    if (omp_display_env) {
        omp_display_env(1);
        return 1;
    }
#endif
    return 0;
}

int ax_openmp_enabled(void)
{
#ifdef _OPENMP
    return 1;
#else
    return 0;
#endif
}
