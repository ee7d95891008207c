/* contract.c: catching a strategy that breaks the rules of plugin.h: a
 * worker that ran tasks without beginning or never ended, began again before ending,
 * ended on another thread, or threads left running after finish.
 * Each is a failed run with a message that says which rule broke, since
 * its measurements (pinning, CPU time, the end of the work) cannot be
 * trusted. */
#define _GNU_SOURCE
#include <dirent.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "exec/runtime_internal.h"
#include "base/util.h"

static const char *strategy_name(const struct rt *rt)
{
	return rt->t->strategy->desc->name;
}

bool px__rt_begin_ok(struct rt *rt, px_worker *w)
{
	struct wslot *s = slot_of(w);

	if (w->index == PX_CONTROL)
		return true;
	if (__atomic_exchange_n(&s->open, 1, __ATOMIC_SEQ_CST)) {
		px__rt_fail(rt, "strategy %s: worker %u called worker_begin again before worker_end",
		            strategy_name(rt), w->index);
		return false;
	}
	__atomic_add_fetch(&s->begun, 1, __ATOMIC_SEQ_CST);
	s->tid = (int32_t)gettid();
	return true;
}

bool px__rt_end_ok(struct rt *rt, px_worker *w)
{
	struct wslot *s = slot_of(w);

	if (w->index == PX_CONTROL)
		return true;
	if (!__atomic_load_n(&s->open, __ATOMIC_SEQ_CST)) {
		px__rt_fail(rt, "strategy %s: worker %u called worker_end without worker_begin",
		            strategy_name(rt), w->index);
		return false;
	}
	if (s->tid != (int32_t)gettid()) {
		px__rt_fail(rt, "strategy %s: worker %u called worker_end on another thread than worker_begin",
		            strategy_name(rt), w->index);
		return false;
	}
	__atomic_store_n(&s->open, 0, __ATOMIC_SEQ_CST);
	return true;
}

bool px__rt_workers_ok(struct rt *rt)
{
	uint32_t n = rt->t->workers, begun = 0;

	for (uint32_t i = 0; i < n; i++) {
		const struct wslot *s = &rt->slots[i];
		if (s->tasks > 0 && !s->begun) {
			px__rt_fail(rt, "strategy %s: worker %u ran %lld tasks without calling worker_begin, so it was not pinned or timed",
			            strategy_name(rt), i, (long long)s->tasks);
			return false;
		}
		if (s->open) {
			px__rt_fail(rt, "strategy %s: worker %u never called worker_end, so its CPU time was not measured",
			            strategy_name(rt), i);
			return false;
		}
		begun += s->begun > 0;
	}
	/* Idle workers leave the run valid (a thread per task may reuse
	 * one slot): a warning in the run's log. */
	if (begun < n)
		fprintf(stderr, "parlab: warning: strategy %s used %u of %u workers\n",
		        strategy_name(rt), begun, n);
	return true;
}

/* Whether thread `name` of this process is exiting (state Z or X). */
static bool exiting(const char *name)
{
	char path[64], buf[256], *close_paren;
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "/proc/self/task/%s/stat", name);
	if (!(f = fopen(path, "r")))
		return true;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	close_paren = strrchr(buf, ')');
	return !close_paren || close_paren[1] == '\0' || close_paren[2] == 'Z' ||
	       close_paren[2] == 'X';
}

#if defined(__SANITIZE_THREAD__)
static void *nothing(void *arg)
{
	return arg;
}
#endif

/* ThreadSanitizer starts a thread of its own with the first thread a
 * process creates, and keeps it: start it before the count that the
 * strategy is judged against, so that it is not taken for a thread the
 * strategy left running. */
static void settle_sanitizer_threads(void)
{
#if defined(__SANITIZE_THREAD__)
	static bool done;
	pthread_t t;

	if (!done && pthread_create(&t, NULL, nothing, NULL) == 0)
		pthread_join(t, NULL);
	done = true;
#endif
}

int px__rt_count_threads(void)
{
	DIR *d;
	struct dirent *de;
	int n = 0;

	settle_sanitizer_threads();
	d = opendir("/proc/self/task");
	if (!d)
		return -1;
	while ((de = readdir(d)))
		if (de->d_name[0] != '.' && !exiting(de->d_name))
			n++;
	closedir(d);
	return n;
}

bool px__rt_threads_ok(struct rt *rt, int before)
{
	struct timespec pause = { 0, 1000000 };
	int now = px__rt_count_threads();

	/* A joined thread may still be listed for a moment while the kernel
	 * finishes its exit: look again for up to a second. */
	for (int i = 0; before >= 0 && now > before && i < 1000; i++) {
		nanosleep(&pause, NULL);
		now = px__rt_count_threads();
	}
	if (before < 0 || now <= before)
		return true;
	px__rt_fail(rt, "strategy %s left %d thread%s running after %s returned",
	            strategy_name(rt), now - before, now - before == 1 ? "" : "s",
	            rt->t->strategy->desc->strategy->finish ? "finish" : "execute");
	return false;
}
