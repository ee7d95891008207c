/* threads.h: starting threads for the thread strategies: small stacks, so
 * that thousands fit; a message naming the limits when the system refuses
 * one; and a thread per task with at most N alive at once. */
#ifndef PX_PLUGIN_THREADS_H
#define PX_PLUGIN_THREADS_H

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include <parlab/plugin.h>

/* The stack_size parameter both thread strategies declare. */
#define THREADS_STACK_PARAM(type, field)                                       \
	{ "stack_size", PX_SIZE, offsetof(type, field), "256KiB", 16384,       \
	  1073741824.0, "stack of each thread; small stacks let thousands of " \
	  "threads fit", NULL }

/* The first line of a file, for limits in /proc and /sys. */
static inline void threads_read_limit(const char *path, char *buf, size_t cap)
{
	FILE *f = fopen(path, "r");

	snprintf(buf, cap, "?");
	if (f) {
		if (fgets(buf, (int)cap, f))
			buf[strcspn(buf, "\n")] = '\0';
		fclose(f);
	}
}

/* A resource limit's soft value as text: the number, or "unlimited". */
static inline void threads_rlimit_text(int resource, char *buf, size_t cap)
{
	struct rlimit r;

	if (getrlimit(resource, &r) != 0)
		snprintf(buf, cap, "?");
	else if (r.rlim_cur == RLIM_INFINITY)
		snprintf(buf, cap, "unlimited");
	else
		snprintf(buf, cap, "%llu", (unsigned long long)r.rlim_cur);
}

/* Reports through host->fail that thread nth of `of` could not start, and
 * the limits that may have been hit: the address space only when it is
 * limited, since each stack takes `stack` bytes of it. */
static inline void threads_explain(px_run *run, int err, uint64_t nth,
                                   uint64_t of, size_t stack)
{
	char nproc[32], as[64] = "", tmax[32], pids[32];
	struct rlimit r;

	threads_rlimit_text(RLIMIT_NPROC, nproc, sizeof(nproc));
	if (getrlimit(RLIMIT_AS, &r) == 0 && r.rlim_cur != RLIM_INFINITY)
		snprintf(as, sizeof(as), ", RLIMIT_AS %llu bytes",
		         (unsigned long long)r.rlim_cur);
	threads_read_limit("/proc/sys/kernel/threads-max", tmax, sizeof(tmax));
	threads_read_limit("/sys/fs/cgroup/pids.max", pids, sizeof(pids));
	run->host->fail(run,
	                "cannot create thread %llu of %llu: %s (limits: RLIMIT_NPROC %s%s, kernel.threads-max %s, cgroup pids.max %s; stacks of %zu bytes each)",
	                (unsigned long long)nth, (unsigned long long)of,
	                strerror(err), nproc, as, tmax, pids, stack);
}

/* Starts fn(arg) on a thread with a stack of `stack` bytes. On failure
 * reports through host->fail which thread it was and the limits that may
 * have been hit, and returns the negative errno value. */
static inline int threads_start(px_run *run, pthread_t *t, size_t stack,
                                void *(*fn)(void *), void *arg, uint64_t nth,
                                uint64_t of)
{
	pthread_attr_t a;
	int rc;

	pthread_attr_init(&a);
	pthread_attr_setstacksize(&a, stack);
	rc = pthread_create(t, &a, fn, arg);
	pthread_attr_destroy(&a);
	if (rc)
		threads_explain(run, rc, nth, of, stack);
	return -rc;
}

/* ---- a thread per task ---------------------------------------------------- */

/* Runs task `task` as worker slot `slot`, on the thread made for it. */
typedef int (*threads_task_fn)(void *ctx, uint32_t slot, uint64_t task);

struct threads_spawner {
	px_run *run;
	threads_task_fn fn;
	void *ctx;
	size_t stack;
	pthread_mutex_t mu;
	pthread_cond_t freed;
	uint32_t *free_slots;     /* a stack of free slot numbers */
	uint32_t n_free;
	uint32_t alive, peak;
	int rc;
};

struct threads_job {
	struct threads_spawner *s;
	uint32_t slot;
	uint64_t task;
};

static inline void *threads_job_main(void *arg)
{
	struct threads_job *j = arg;
	struct threads_spawner *s = j->s;
	int rc = s->fn(s->ctx, j->slot, j->task);

	pthread_mutex_lock(&s->mu);
	if (rc && !s->rc)
		s->rc = rc;
	s->free_slots[s->n_free++] = j->slot;
	s->alive--;
	pthread_cond_signal(&s->freed);
	pthread_mutex_unlock(&s->mu);
	return NULL;
}

/* Runs every task of the run on a thread of its own, at most `slots`
 * threads alive at once, each finished thread joined before its slot is
 * used again. Sets *peak to the most threads alive at once. Returns 0, the
 * first task's error, or the error of a thread that could not start. */
static inline int threads_per_task(px_run *run, uint32_t slots, size_t stack,
                                   threads_task_fn fn, void *ctx,
                                   uint32_t *peak)
{
	struct threads_spawner s = { .run = run, .fn = fn, .ctx = ctx,
	                             .stack = stack };
	pthread_t *tids = calloc(slots, sizeof(*tids));
	bool *used = calloc(slots, sizeof(*used));
	struct threads_job *jobs = calloc(slots, sizeof(*jobs));
	int rc = 0;

	s.free_slots = calloc(slots, sizeof(*s.free_slots));
	if (!tids || !used || !jobs || !s.free_slots) {
		rc = -ENOMEM;
		goto out;
	}
	pthread_mutex_init(&s.mu, NULL);
	pthread_cond_init(&s.freed, NULL);
	for (uint32_t i = 0; i < slots; i++)
		s.free_slots[s.n_free++] = slots - 1 - i;
	for (uint64_t t = 0; t < run->tasks && !rc; t++) {
		uint32_t slot;
		pthread_mutex_lock(&s.mu);
		while (s.n_free == 0)
			pthread_cond_wait(&s.freed, &s.mu);
		slot = s.free_slots[--s.n_free];
		if (++s.alive > s.peak)
			s.peak = s.alive;
		rc = s.rc;
		pthread_mutex_unlock(&s.mu);
		if (used[slot])
			pthread_join(tids[slot], NULL);
		used[slot] = false;
		if (rc)
			break;
		jobs[slot] = (struct threads_job){ &s, slot, t };
		rc = threads_start(run, &tids[slot], stack, threads_job_main,
		                   &jobs[slot], t + 1, run->tasks);
		used[slot] = rc == 0;
	}
	for (uint32_t i = 0; i < slots; i++)
		if (used[i])
			pthread_join(tids[i], NULL);
	if (!rc)
		rc = s.rc;
	*peak = s.peak;
	pthread_mutex_destroy(&s.mu);
	pthread_cond_destroy(&s.freed);
out:
	free(tids);
	free(used);
	free(jobs);
	free(s.free_slots);
	return rc;
}

#endif
