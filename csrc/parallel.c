/* Work items on axisconv's own pool of threads, and the per-thread scratch they use
 * (parallel.h).
 *
 * Why a pool of our own, not OpenMP: how idle threads wait decides a library's speed in a
 * pipeline.  Spinning makes back-to-back calls fast but, on a machine whose cores are busy
 * (another library's threads, another process), takes cores from them and loses the
 * scheduler's quanta to them; sleeping at once makes every call pay a wake-up.  OpenMP's
 * runtime has one policy for every library in the process, set by environment variables
 * before it loads (benchmarks/TUNING.md, "Threads").  Our workers spin for a while, yielding
 * the core at every round so that any other runnable thread goes first, then sleep: the
 * policy of our threads alone, changing nothing other libraries read. */
#define _GNU_SOURCE /* sched_getaffinity, CPU_COUNT */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "axisconv.h"
#include "parallel.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

void *ax_alloc(size_t bytes)
{
    return aligned_alloc(64, (bytes + 63) / 64 * 64 + 64);
}

/* ---- per-thread scratch ------------------------------------------------------------------
 * Each thread keeps its scratch between calls: a fresh large block would be mmapped, and
 * the page faults of touching it cost more than the filtering of a small image.  It lives
 * under a thread key, so it is freed when its thread exits, and is zeroed when it grows
 * (kernels may read, and discard, the slack lanes of a previous call). */
typedef struct {
    void *data;
    size_t bytes;
} scratch;

static pthread_key_t scratch_key;
static pthread_once_t scratch_once = PTHREAD_ONCE_INIT;

static void free_scratch(void *p)
{
    scratch *s = p;
    free(s->data);
    free(s);
}

static void make_scratch_key(void) { pthread_key_create(&scratch_key, free_scratch); }

static void *thread_scratch(size_t bytes)
{
    pthread_once(&scratch_once, make_scratch_key);
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

/* Items of `job` taken from the shared counter until none is left (a thread that finds none
 * left touches no scratch); 0 if scratch failed. */
static int run_items(const ax_job *job, int64_t *next)
{
    int64_t w = __atomic_fetch_add(next, 1, __ATOMIC_RELAXED);
    if (w >= job->items) return 1;
    void *scratch = thread_scratch(job->scratch_bytes);
    if (scratch)
        for (; w < job->items; w = __atomic_fetch_add(next, 1, __ATOMIC_RELAXED))
            job->run(job->ctx, w, scratch);
    fence_streams();
    release_scratch();
    return scratch != NULL;
}

/* ---- the pool ----------------------------------------------------------------------------
 * One call at a time runs on it (a call made while another runs, from another Python thread,
 * runs on its own thread).  A call is published under a sequence number, odd while its
 * fields are written: a worker reads the number, the fields, the number again.  Workers 1 ..
 * team - 1 may take part: each joins the call before it takes items.  The caller takes items
 * too; when none is left it closes the call to joining and waits only for the workers that
 * joined.  A worker still waking up then (tens of microseconds on a virtual machine, more on a
 * busy one) finds the call closed: the caller never waits for a thread that took no item. */

#define SPIN_NS 5000000 /* how long an idle worker spins, yielding, before it sleeps */

static struct {
    pthread_mutex_t call_lock;   /* held by the call running on the pool */
    pthread_mutex_t lock;        /* guards sleeping, started and the condition */
    pthread_cond_t wake;
    int started, sleeping;       /* workers running, workers blocked on `wake` */
    uint64_t sequence;           /* atomic: even when a call is published */
    const ax_job *job;           /* atomic: the published call ... */
    int team;                    /* atomic */
    int64_t next;                /* atomic: its next item */
    uint64_t members;            /* atomic: the call's number << 16 | CLOSED | workers joined */
    int failed;                  /* atomic: a worker ran out of scratch */
} pool = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER};

static int64_t now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

static inline void relax(void)
{
#if defined(__SSE2__)
    _mm_pause();
#elif defined(__aarch64__)
    __asm__ __volatile__("yield");
#endif
}

/* Spins until `done()` holds, yielding the core every 64 rounds, for at most SPIN_NS; then
 * returns 0 (the caller sleeps) -- or 1 as soon as it holds. */
static int spin_until(int (*done)(uint64_t), uint64_t arg)
{
    const int64_t deadline = now_ns() + SPIN_NS;
    for (int round = 1;; round++) {
        if (done(arg)) return 1;
        if (round % 64) {
            relax();
            continue;
        }
        if (now_ns() > deadline) return 0;
        sched_yield();
    }
}

static int published_after(uint64_t seen)
{
    uint64_t s = __atomic_load_n(&pool.sequence, __ATOMIC_ACQUIRE);
    return s != seen && !(s & 1);
}

#define CLOSED ((uint64_t)1 << 15)
#define JOINED (CLOSED - 1)
#define MEMBERS_OF(sequence) ((sequence) >> 1 << 16) /* a call open to joining, none joined */

/* Joins the call published under `s` if it is still open; 0 if it is closed or over. */
static int join(uint64_t s)
{
    uint64_t m = __atomic_load_n(&pool.members, __ATOMIC_ACQUIRE);
    while ((m & ~JOINED) == MEMBERS_OF(s))
        if (__atomic_compare_exchange_n(&pool.members, &m, m + 1, 1, __ATOMIC_ACQ_REL,
                                        __ATOMIC_ACQUIRE))
            return 1;
    return 0;
}

typedef struct {
    int id;          /* 1 .. : takes part in calls whose team is larger */
    uint64_t seen;   /* the sequence before the call it was started for */
} worker_start;

static void *worker(void *arg)
{
    const worker_start start = *(const worker_start *)arg;
    free(arg);
#if defined(__linux__)
    pthread_setname_np(pthread_self(), "axisconv"); /* how ps, top and /proc show it */
#endif
    uint64_t seen = start.seen;
    for (;;) {
        if (!spin_until(published_after, seen)) {
            pthread_mutex_lock(&pool.lock);
            pool.sleeping++;
            while (!published_after(seen)) pthread_cond_wait(&pool.wake, &pool.lock);
            pool.sleeping--;
            pthread_mutex_unlock(&pool.lock);
        }
        /* The published call's fields, read between two equal even sequence numbers. */
        const uint64_t s = __atomic_load_n(&pool.sequence, __ATOMIC_ACQUIRE);
        const ax_job *job = __atomic_load_n(&pool.job, __ATOMIC_RELAXED);
        const int team = __atomic_load_n(&pool.team, __ATOMIC_RELAXED);
        __atomic_thread_fence(__ATOMIC_ACQUIRE);
        if ((s & 1) || __atomic_load_n(&pool.sequence, __ATOMIC_RELAXED) != s) continue;
        seen = s;
        if (start.id >= team || !join(s)) continue; /* not needed, or too late */
        if (!run_items(job, &pool.next)) __atomic_store_n(&pool.failed, 1, __ATOMIC_RELAXED);
        __atomic_fetch_sub(&pool.members, 1, __ATOMIC_RELEASE);
    }
    return NULL;
}

/* Starts workers up to `wanted` (fewer if the system refuses); returns how many run. */
static int start_workers(int wanted)
{
    pthread_mutex_lock(&pool.lock);
    while (pool.started < wanted) {
        worker_start *start = malloc(sizeof *start);
        if (!start) break;
        start->id = pool.started + 1;
        start->seen = __atomic_load_n(&pool.sequence, __ATOMIC_ACQUIRE);
        pthread_attr_t attr;
        pthread_t thread;
        pthread_attr_init(&attr);
        pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
        int rc = pthread_create(&thread, &attr, worker, start);
        pthread_attr_destroy(&attr);
        if (rc != 0) {
            free(start);
            break;
        }
        pool.started++;
    }
    int started = pool.started;
    pthread_mutex_unlock(&pool.lock);
    return started;
}

static int members_done(uint64_t unused)
{
    (void)unused;
    return (__atomic_load_n(&pool.members, __ATOMIC_ACQUIRE) & JOINED) == 0;
}

/* Publishes the call (odd sequence while its fields change), wakes sleeping workers, takes
 * items itself, then closes the call and waits for the workers that joined it. */
static int run_on_pool(const ax_job *job, int team)
{
    const int workers = start_workers(team - 1);
    if (team > workers + 1) team = workers + 1;
    const uint64_t s = __atomic_load_n(&pool.sequence, __ATOMIC_RELAXED);
    __atomic_store_n(&pool.sequence, s + 1, __ATOMIC_RELAXED);
    __atomic_thread_fence(__ATOMIC_RELEASE);
    __atomic_store_n(&pool.job, job, __ATOMIC_RELAXED);
    __atomic_store_n(&pool.team, team, __ATOMIC_RELAXED);
    __atomic_store_n(&pool.next, 0, __ATOMIC_RELAXED);
    __atomic_store_n(&pool.members, MEMBERS_OF(s + 2), __ATOMIC_RELAXED);
    __atomic_store_n(&pool.failed, 0, __ATOMIC_RELAXED);
    __atomic_store_n(&pool.sequence, s + 2, __ATOMIC_RELEASE);
    pthread_mutex_lock(&pool.lock);
    if (pool.sleeping) pthread_cond_broadcast(&pool.wake);
    pthread_mutex_unlock(&pool.lock);
    int ok = run_items(job, &pool.next);
    __atomic_fetch_or(&pool.members, CLOSED, __ATOMIC_ACQ_REL);
    while (!spin_until(members_done, 0)) sched_yield();
    return ok && !__atomic_load_n(&pool.failed, __ATOMIC_RELAXED);
}

/* A fork()ed child has none of the parent's workers: it starts its own when it needs them. */
static void forget_workers(void)
{
    pthread_mutex_init(&pool.call_lock, NULL);
    pthread_mutex_init(&pool.lock, NULL);
    pthread_cond_init(&pool.wake, NULL);
    pool.started = pool.sleeping = 0;
    pool.sequence = (pool.sequence | 1) + 1; /* even: no call half-published */
}

static pthread_once_t fork_once = PTHREAD_ONCE_INIT;

static void watch_forks(void) { pthread_atfork(NULL, NULL, forget_workers); }

int ax_team_for(int threads, int64_t work)
{
    /* A small call never asks: the default count costs a getenv and a system call
     * (sched_getaffinity), as much as a 64-sample call (benchmarks/TUNING.md, "Threads"). */
    if (work < AX_PARALLEL_MIN_WORK || !ax_threaded()) return 1;
    return threads > 0 ? threads : ax_get_num_threads();
}

int ax_parallel_for(const ax_job *job, int threads, int64_t work)
{
    int team = ax_team_for(threads, work);
    if (team > job->items) team = (int)job->items;
    if (team > AX_MAX_THREADS) team = AX_MAX_THREADS;
    int ok;
    pthread_once(&fork_once, watch_forks);
    if (team > 1 && pthread_mutex_trylock(&pool.call_lock) == 0) {
        ok = run_on_pool(job, team);
        pthread_mutex_unlock(&pool.call_lock);
    } else {
        int64_t next = 0;
        ok = run_items(job, &next);
    }
    return ok ? AX_OK : AX_ENOMEM;
}

/* ---- the thread count -------------------------------------------------------------------- */

static int chosen_threads; /* 0: the default; read and written atomically */

/* OMP_NUM_THREADS (its first value) as scikit-learn and the BLAS read it, else the CPUs
 * this process may run on. */
static int default_threads(void)
{
    const char *env = getenv("OMP_NUM_THREADS");
    if (env) {
        char *end;
        long n = strtol(env, &end, 10);
        if (end != env && n >= 1) return n > AX_MAX_THREADS ? AX_MAX_THREADS : (int)n;
    }
#if defined(__linux__)
    cpu_set_t cpus;
    if (sched_getaffinity(0, sizeof cpus, &cpus) == 0 && CPU_COUNT(&cpus) >= 1)
        return CPU_COUNT(&cpus);
#endif
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n >= 1 ? (n > AX_MAX_THREADS ? AX_MAX_THREADS : (int)n) : 1;
}

int ax_get_num_threads(void)
{
    if (!ax_threaded()) return 1; /* a serial build: set_num_threads checks and changes nothing */
    int n = __atomic_load_n(&chosen_threads, __ATOMIC_RELAXED);
    return n > 0 ? n : default_threads();
}

int ax_set_num_threads(int n)
{
    int previous = ax_get_num_threads();
    __atomic_store_n(&chosen_threads, n > 0 ? (n > AX_MAX_THREADS ? AX_MAX_THREADS : n) : 0,
                     __ATOMIC_RELAXED);
    return previous;
}

int ax_threaded(void)
{
#ifdef AX_SERIAL
    return 0;
#else
    return 1;
#endif
}
