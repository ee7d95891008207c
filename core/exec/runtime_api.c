/* runtime_api.c: the workload-facing host calls with their plain meaning
 * (tick does nothing, blocking calls block, a lock is a mutex, shared
 * memory is calloc'd), which every strategy may override. */
#define _GNU_SOURCE
#include <errno.h>
#include <math.h>
#include <poll.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "exec/runtime_internal.h"
#include "base/util.h"

int px__log_level = PX_LOG_INFO;

/* ---- the workload-facing calls, plain meaning --------------------------- */

static void def_tick(px_worker *w)
{
	(void)w;
}

static int def_sleep(px_worker *w, int64_t ns)
{
	struct timespec ts = { ns / 1000000000, ns % 1000000000 };

	(void)w;
	while (clock_nanosleep(CLOCK_MONOTONIC, 0, &ts, &ts) == EINTR)
		;
	return 0;
}

static int def_wait_fd(px_worker *w, int fd, short events, int64_t timeout_ns)
{
	struct pollfd p = { .fd = fd, .events = events };
	/* The one rounding rule: up, so that a wait never ends early. */
	int64_t ms64 = timeout_ns < 0 ? -1 : (timeout_ns + 999999) / 1000000;
	int ms = ms64 > INT32_MAX ? INT32_MAX : (int)ms64;
	int rc;

	(void)w;
	while ((rc = poll(&p, 1, ms)) < 0 && errno == EINTR)
		;
	return rc < 0 ? -errno : rc;
}

static ssize_t def_read(px_worker *w, int fd, void *buf, size_t n)
{
	ssize_t rc;

	(void)w;
	while ((rc = read(fd, buf, n)) < 0 && errno == EINTR)
		;
	return rc < 0 ? -errno : rc;
}

static ssize_t def_write(px_worker *w, int fd, const void *buf, size_t n)
{
	ssize_t rc;

	(void)w;
	while ((rc = write(fd, buf, n)) < 0 && errno == EINTR)
		;
	return rc < 0 ? -errno : rc;
}

static void def_native(px_worker *w)
{
	(void)w;
}

static void *def_shared_alloc(px_worker *w, size_t size)
{
	struct rt *rt = rt_of(w);
	void *p = px__xcalloc(1, size);

	pthread_mutex_lock(&rt->alloc_lock);
	px__grow(&rt->allocs, &rt->cap_allocs, rt->n_allocs + 1,
	         sizeof(*rt->allocs));
	rt->allocs[rt->n_allocs++] = p;
	pthread_mutex_unlock(&rt->alloc_lock);
	return p;
}

static px_lock *def_lock_new(px_worker *w)
{
	pthread_mutex_t *m = rt_of(w)->api.shared_alloc(w, sizeof(*m));

	pthread_mutex_init(m, NULL);
	return (px_lock *)m;
}

static void def_lock(px_worker *w, px_lock *l)
{
	(void)w;
	pthread_mutex_lock((pthread_mutex_t *)l);
}

static void def_unlock(px_worker *w, px_lock *l)
{
	(void)w;
	pthread_mutex_unlock((pthread_mutex_t *)l);
}

static int64_t def_atomic_add(px_worker *w, int64_t *p, int64_t v)
{
	(void)w;
	return __atomic_fetch_add(p, v, __ATOMIC_SEQ_CST);
}

static void def_metric_record(px_worker *w, unsigned id, double value)
{
	px__rt_record(w, false, id, value);
}

static void def_log(px_worker *w, int level, const char *fmt, ...)
{
	static const char *const names[] = { "error", "warning", "info", "debug" };
	va_list ap;

	if (level > px__log_level)
		return;
	if (level > PX_LOG_DEBUG)
		level = PX_LOG_DEBUG;
	if (w->index == PX_CONTROL)
		fprintf(stderr, "parlab: %s: %s: ",
		        rt_of(w)->t->workload->desc->name,
		        names[level < 0 ? 0 : level]);
	else
		fprintf(stderr, "parlab: %s[w%u]: %s: ",
		        rt_of(w)->t->workload->desc->name, w->index,
		        names[level < 0 ? 0 : level]);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* The run's one clock: the host's. */
static int64_t def_now_ns(px_worker *w)
{
	return rt_of(w)->host.now_ns();
}

const struct px_api px__default_api = {
	.abi_minor = PX_ABI_MINOR,
	.struct_size = sizeof(struct px_api),
	.tick = def_tick,
	.sleep = def_sleep,
	.wait_fd = def_wait_fd,
	.read = def_read,
	.write = def_write,
	.native_begin = def_native,
	.native_end = def_native,
	.lock_new = def_lock_new,
	.lock = def_lock,
	.unlock = def_unlock,
	.atomic_add = def_atomic_add,
	.shared_alloc = def_shared_alloc,
	.metric_record = def_metric_record,
	.log = def_log,
	.now_ns = def_now_ns,
};
