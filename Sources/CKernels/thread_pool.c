// A persistent worker pool: workers spin for a short while after each job (a transformer step issues hundreds of
// jobs per token, a few microseconds apart), then park on a condition variable so idle time costs no CPU.
// Written in C because Swift's atomics (Synchronization) need macOS 15 while the package supports macOS 14.
#include "CKernels.h"

#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>

#if defined(__x86_64__)
#include <immintrin.h>
#define TW_PAUSE() _mm_pause()
#elif defined(__aarch64__)
#define TW_PAUSE() __asm__ volatile("yield")
#else
#define TW_PAUSE() ((void)0)
#endif

/// Spin iterations (pause instructions) before a worker parks: ~50-100 µs, about one transformer step.
#define TW_SPIN_LIMIT 20000

typedef struct {
    tw_pool *pool;
    int index;
    pthread_t thread;
} tw_worker;

// A job is identified by its generation. `claim` packs (generation << 32 | next unclaimed index), so a worker that
// wakes late can never take a chunk of a newer job with the old job's function; `done` counts finished indices,
// so the caller waits only for chunks actually running elsewhere, never for a worker that has not woken up.
struct tw_pool {
    int threads;
    tw_worker *workers;
    _Atomic(tw_task_fn) fn;
    _Atomic(void *) context;
    atomic_llong count;
    atomic_llong chunk;
    _Alignas(64) atomic_ullong claim;
    _Alignas(64) atomic_llong done;
    _Alignas(64) atomic_uint generation;
    _Alignas(64) atomic_int sleepers;
    atomic_int stop;
    pthread_mutex_t lock;
    pthread_cond_t wake;
};

/// Claims and runs chunks of job `gen` until none are left; returns when the job has no unclaimed chunk.
static void tw_pool_work(tw_pool *p, unsigned gen, int thread) {
    const tw_task_fn fn = atomic_load_explicit(&p->fn, memory_order_relaxed);
    void *const context = atomic_load_explicit(&p->context, memory_order_relaxed);
    const int64_t count = atomic_load_explicit(&p->count, memory_order_relaxed);
    const int64_t chunk = atomic_load_explicit(&p->chunk, memory_order_relaxed);
    unsigned long long c = atomic_load_explicit(&p->claim, memory_order_acquire);
    for (;;) {
        if ((unsigned)(c >> 32) != gen) return;  // a newer job: the values read above are stale, use none
        const int64_t begin = (int64_t)(c & 0xffffffffu);
        if (begin >= count) return;
        const int64_t end = begin + chunk < count ? begin + chunk : count;
        const unsigned long long next = ((unsigned long long)gen << 32) | (unsigned long long)end;
        if (!atomic_compare_exchange_weak_explicit(&p->claim, &c, next, memory_order_acq_rel,
                                                   memory_order_acquire))
            continue;
        fn(context, thread, begin, end);
        atomic_fetch_add_explicit(&p->done, end - begin, memory_order_release);
        c = atomic_load_explicit(&p->claim, memory_order_acquire);
    }
}

static void *tw_worker_main(void *arg) {
    tw_worker *self = (tw_worker *)arg;
    tw_pool *p = self->pool;
    unsigned seen = 0;
    for (;;) {
        unsigned g = atomic_load_explicit(&p->generation, memory_order_acquire);
        for (int spin = 0; g == seen && spin < TW_SPIN_LIMIT; spin++) {
            TW_PAUSE();
            g = atomic_load_explicit(&p->generation, memory_order_acquire);
        }
        if (g == seen) {
            pthread_mutex_lock(&p->lock);
            atomic_fetch_add(&p->sleepers, 1);  // seq_cst: pairs with the caller's bump-then-check
            while ((g = atomic_load(&p->generation)) == seen && !atomic_load(&p->stop)) {
                pthread_cond_wait(&p->wake, &p->lock);
            }
            atomic_fetch_sub(&p->sleepers, 1);
            pthread_mutex_unlock(&p->lock);
        }
        if (atomic_load_explicit(&p->stop, memory_order_acquire)) break;
        seen = g;
        tw_pool_work(p, g, self->index);
    }
    return NULL;
}

tw_pool *tw_pool_create(int threads) {
    if (threads < 1) threads = 1;
    tw_pool *p = (tw_pool *)calloc(1, sizeof(tw_pool));
    if (!p) return NULL;
    p->threads = threads;
    pthread_mutex_init(&p->lock, NULL);
    pthread_cond_init(&p->wake, NULL);
    atomic_init(&p->fn, NULL);
    atomic_init(&p->context, NULL);
    atomic_init(&p->count, 0);
    atomic_init(&p->chunk, 1);
    atomic_init(&p->claim, 0);
    atomic_init(&p->done, 0);
    atomic_init(&p->generation, 0);
    atomic_init(&p->sleepers, 0);
    atomic_init(&p->stop, 0);
    p->workers = (tw_worker *)calloc((size_t)threads, sizeof(tw_worker));
    if (!p->workers) {
        free(p);
        return NULL;
    }
    for (int i = 1; i < threads; i++) {
        p->workers[i].pool = p;
        p->workers[i].index = i;
        if (pthread_create(&p->workers[i].thread, NULL, tw_worker_main, &p->workers[i]) != 0) {
            p->threads = i;  // run with the workers that did start
            break;
        }
    }
    return p;
}

void tw_pool_destroy(tw_pool *p) {
    if (!p) return;
    pthread_mutex_lock(&p->lock);
    atomic_store(&p->stop, 1);
    atomic_fetch_add(&p->generation, 1);
    pthread_cond_broadcast(&p->wake);
    pthread_mutex_unlock(&p->lock);
    for (int i = 1; i < p->threads; i++) pthread_join(p->workers[i].thread, NULL);
    pthread_cond_destroy(&p->wake);
    pthread_mutex_destroy(&p->lock);
    free(p->workers);
    free(p);
}

int tw_pool_threads(const tw_pool *p) { return p->threads; }

void tw_pool_run(tw_pool *p, int64_t count, int64_t chunk, tw_task_fn fn, void *context) {
    if (count <= 0) return;
    if (chunk < 1) chunk = 1;
    if (p->threads == 1 || count <= chunk || count > 0x7fffffff) {
        fn(context, 0, 0, count);
        return;
    }
    const unsigned gen = atomic_load_explicit(&p->generation, memory_order_relaxed) + 1;
    atomic_store_explicit(&p->fn, fn, memory_order_relaxed);
    atomic_store_explicit(&p->context, context, memory_order_relaxed);
    atomic_store_explicit(&p->count, count, memory_order_relaxed);
    atomic_store_explicit(&p->chunk, chunk, memory_order_relaxed);
    atomic_store_explicit(&p->done, 0, memory_order_relaxed);
    atomic_store_explicit(&p->claim, (unsigned long long)gen << 32, memory_order_release);
    atomic_store(&p->generation, gen);  // seq_cst: publishes the job, then the sleeper check below
    if (atomic_load(&p->sleepers) > 0) {
        pthread_mutex_lock(&p->lock);
        pthread_cond_broadcast(&p->wake);
        pthread_mutex_unlock(&p->lock);
    }
    tw_pool_work(p, gen, 0);
    for (int spin = 0; atomic_load_explicit(&p->done, memory_order_acquire) < count; spin++) {
        if (spin < TW_SPIN_LIMIT) {
            TW_PAUSE();
        } else {
            sched_yield();  // a worker holding a chunk was descheduled on a busy machine; let it run
        }
    }
}
