/* runtime.c: the host side of one trial run, inside the run's process.
 *
 * It builds the workers, merges the strategy's workload-facing calls over
 * the plain ones (runtime_api.c), gives strategies their host calls, runs
 * prepare, setup, execute (timed), combine and verify, and reports
 * everything through the shared region the parent reads after the
 * process ends. */
#define _GNU_SOURCE
#include "exec/runtime.h"

#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "env/machine.h"
#include "exec/runtime_internal.h"
#include "base/util.h"

static _Atomic uint32_t no_breaker;

void px__rt_vfail(struct rt *rt, const char *fmt, va_list ap)
{
	if (rt->head->message[0])
		return;
	vsnprintf(rt->head->message, sizeof(rt->head->message), fmt, ap);
}

void px__rt_fail(struct rt *rt, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	px__rt_vfail(rt, fmt, ap);
	va_end(ap);
}

/* The defaults, with every entry the strategy sets (within the size of the
 * table it was built with) taking their place. */
static void merge_api(struct px_api *out, const struct px_api *s)
{
	*out = px__default_api;
	if (!s)
		return;
#define MERGE(f)                                                               \
	if (offsetof(struct px_api, f) + sizeof(out->f) <= s->struct_size &&   \
	    s->f)                                                              \
		out->f = s->f;
	MERGE(tick) MERGE(sleep) MERGE(wait_fd) MERGE(read) MERGE(write)
	MERGE(native_begin) MERGE(native_end) MERGE(lock_new) MERGE(lock)
	MERGE(unlock) MERGE(atomic_add) MERGE(shared_alloc)
	MERGE(metric_record) MERGE(log) MERGE(now_ns)
#undef MERGE
}

/* ---- the strategy-facing calls ------------------------------------------ */

static px_worker *host_worker(px_run *run, uint32_t i)
{
	struct rt *rt = run->host_data;

	return &rt->workers[i == PX_CONTROL ? run->workers : i];
}

static int64_t thread_cpu_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void note_cpu(struct wslot *s)
{
	int cpu = sched_getcpu();

	if (cpu >= 0 && cpu < PX_CPU_BITS)
		s->cpus[cpu / 64] |= 1ull << (cpu % 64);
}

static int host_worker_begin(px_worker *w)
{
	struct rt *rt = rt_of(w);
	struct wslot *s = slot_of(w);
	int rc = 0;

	if (!px__rt_begin_ok(rt, w))
		return -EINVAL;
	if (w->index != PX_CONTROL && rt->t->pins.sets)
		rc = px__pin_bind_thread(rt->plan->topo,
		                         rt->t->pins.sets[w->index]);
	if (rc)
		px__rt_fail(rt, "worker %u: cannot pin: %s", w->index, strerror(-rc));
	note_cpu(s);
	s->cpu_start = thread_cpu_ns();
	s->active_start = px__now_ns();
	return rc;
}

static void host_worker_end(px_worker *w)
{
	struct wslot *s = slot_of(w);

	if (!px__rt_end_ok(rt_of(w), w))
		return;
	s->cpu_ns += thread_cpu_ns() - s->cpu_start;
	s->active_ns += px__now_ns() - s->active_start;
	note_cpu(s);
}

static int host_run_task(px_worker *w, uint64_t task)
{
	struct rt *rt = rt_of(w);
	struct wslot *s = slot_of(w);
	int rc;

	if (task >= rt->run.tasks) {
		px__rt_fail(rt, "strategy asked for task %llu of %llu",
		      (unsigned long long)task, (unsigned long long)rt->run.tasks);
		return -EINVAL;
	}
	/* Atomic: a worker's tasks may run on several threads at once. */
	if ((__atomic_add_fetch(&s->tasks, 1, __ATOMIC_RELAXED) & 63) == 0)
		note_cpu(s);
	rc = rt->wl->run_task(w, task, rt->results + task * rt->result_size);
	if (rc)
		px__rt_fail(rt, "workload %s: task %llu failed: %s",
		      rt->t->workload->desc->name, (unsigned long long)task,
		      strerror(rc < 0 ? -rc : rc));
	return rc;
}

static void *host_task_result(px_run *run, uint64_t task)
{
	struct rt *rt = run->host_data;

	return rt->results + task * rt->result_size;
}

static void host_counter_add(px_worker *w, unsigned id, double v)
{
	px__rt_record(w, true, id, v);
}

static void host_fail(px_run *run, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	px__rt_vfail(run->host_data, fmt, ap);
	va_end(ap);
}

static void host_log(px_run *run, int level, const char *fmt, ...)
{
	struct rt *rt = run->host_data;
	va_list ap;

	if (level > px__log_level)
		return;
	fprintf(stderr, "parlab: %s: ", rt->t->strategy->desc->name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* ---- one run ------------------------------------------------------------ */

/* Sums start at zero; MAX, MIN and LAST start as NaN, "not recorded". */
static void init_slots(struct rt *rt)
{
	const struct px_metric *sm = rt->t->strategy->desc->metrics;
	const struct px_metric *wm = rt->t->workload->desc->metrics;

	for (size_t w = 0; w <= rt->t->workers; w++) {
		struct wslot *s = &rt->slots[w];
		for (size_t i = 0; sm && sm[i].name; i++)
			s->counters[i] = sm[i].agg == PX_AGG_SUM ? 0 : NAN;
		for (size_t i = 0; wm && wm[i].name; i++)
			s->metrics[i] = wm[i].agg == PX_AGG_SUM ? 0 : NAN;
	}
}

/* Touches every page of the region's recording part (slots and
 * histograms) before anything is timed. The region is mapped lazily, so
 * the first value recorded into a fresh page would otherwise take a page
 * fault inside the run: traced in the convoy, 14 to 17 us holding the GIL
 * after the first operation, which Python's list append does not pay.
 * At most TOUCH_MAX bytes: a run of thousands of workers that sample
 * (7.5 KiB a worker and sampled metric) keeps the rest lazy rather than
 * take memory its workers may never write. */
#define TOUCH_MAX ((size_t)64 << 20)

static void touch_pages(void *region, size_t from, size_t to)
{
	long page = sysconf(_SC_PAGESIZE);
	size_t step = page > 0 ? (size_t)page : 4096;
	volatile char *p = region;

	if (to - from > TOUCH_MAX)
		to = from + TOUCH_MAX;
	for (size_t off = from; off < to; off += step)
		p[off] = p[off];
}

static void build(struct rt *rt, const struct plan *plan, const struct trial *t,
                  void *region, const struct region_layout *l)
{
	size_t k = 0;

	rt->plan = plan;
	rt->t = t;
	rt->wl = t->workload->desc->workload;
	rt->head = region;
	rt->values = (double *)((char *)region + l->values_off);
	rt->slots = (struct wslot *)((char *)region + l->slots_off);
	rt->hists = (struct hist *)((char *)region + l->hist_off);
	rt->n_sampled = l->n_sampled;
	touch_pages(region, l->slots_off, l->total);
	for (size_t i = 0; i < t->workload->n_metrics; i++)
		rt->sampled[i] = t->workload->desc->metrics[i].agg == PX_AGG_SAMPLES
		                 ? (int)k++ : -1;
	pthread_mutex_init(&rt->alloc_lock, NULL);
	merge_api(&rt->api, t->strategy->desc->strategy->api);
	rt->host = (struct px_host){
		.abi_minor = PX_ABI_MINOR,
		.struct_size = sizeof(struct px_host),
		.worker = host_worker,
		.worker_begin = host_worker_begin,
		.worker_end = host_worker_end,
		.run_task = host_run_task,
		.task_result = host_task_result,
		.counter_add = host_counter_add,
		.fail = host_fail,
		.log = host_log,
		.now_ns = px__now_ns,
		.plain = &px__default_api,
	};
	rt->run = (px_run){ .host = &rt->host, .config = t->sconfig,
	                    .workers = t->workers, .host_data = rt };
	rt->workers = px__xcalloc((size_t)t->workers + 1, sizeof(*rt->workers));
	for (size_t i = 0; i <= t->workers; i++) {
		px_worker *w = &rt->workers[i];
		w->breaker = &no_breaker;
		w->api = &rt->api;
		w->index = i == t->workers ? PX_CONTROL : (uint32_t)i;
		w->workers = t->workers;
		w->wl_config = t->wconfig;
		w->host_data = rt;
	}
	init_slots(rt);
}

static double aggregate(const struct rt *rt, bool counter, size_t id,
                        enum px_agg agg)
{
	double acc = NAN;

	for (size_t w = 0; w <= rt->t->workers; w++) {
		const struct wslot *s = &rt->slots[w];
		double v = counter ? s->counters[id] : s->metrics[id];
		if (agg == PX_AGG_LAST && w < rt->t->workers)
			continue;
		if (isnan(v))
			continue;
		if (isnan(acc))
			acc = v;
		else
			px__agg_fold(&acc, agg, v);
	}
	/* A sum nobody added to is a measured zero. */
	return isnan(acc) && agg == PX_AGG_SUM ? 0 : acc;
}

static void report_samples(const struct rt *rt, size_t id, int col)
{
	struct hist h = { 0 };

	for (size_t w = 0; w <= rt->t->workers; w++)
		px__hist_merge(&h, &rt->hists[w * rt->n_sampled +
		                              (size_t)rt->sampled[id]]);
	/* No sample is a measured count of zero; the rest stay unknown. */
	rt->values[col + SAMPLE_COUNT] = (double)h.count;
	if (h.count == 0)
		return;
	rt->values[col + SAMPLE_P50] = px__hist_quantile(&h, 0.50);
	rt->values[col + SAMPLE_P90] = px__hist_quantile(&h, 0.90);
	rt->values[col + SAMPLE_P99] = px__hist_quantile(&h, 0.99);
	rt->values[col + SAMPLE_P999] = px__hist_quantile(&h, 0.999);
	rt->values[col + SAMPLE_MEAN] = (double)h.sum / (double)h.count;
	rt->values[col + SAMPLE_MAX] = (double)h.max;
}

static double tv_s(struct timeval tv)
{
	return (double)tv.tv_sec + (double)tv.tv_usec / 1e6;
}

/* Resource use of this process and of its reaped children (pool workers). */
static void usage_now(struct rusage *u)
{
	struct rusage c;

	getrusage(RUSAGE_SELF, u);
	getrusage(RUSAGE_CHILDREN, &c);
	timeradd(&u->ru_utime, &c.ru_utime, &u->ru_utime);
	timeradd(&u->ru_stime, &c.ru_stime, &u->ru_stime);
	u->ru_nvcsw += c.ru_nvcsw;
	u->ru_nivcsw += c.ru_nivcsw;
	if (c.ru_maxrss > u->ru_maxrss)
		u->ru_maxrss = c.ru_maxrss;
}

static void report(struct rt *rt, int64_t wall_ns, const struct rusage *a,
                   const struct rusage *b, double steal_s)
{
	const struct trial *t = rt->t;
	double *v = rt->values;
	int64_t tasks = 0;

	for (size_t w = 0; w < t->workers; w++)
		tasks += rt->slots[w].tasks;
	v[COL_WALL] = (double)wall_ns / 1e9;
	v[COL_USER] = tv_s(b->ru_utime) - tv_s(a->ru_utime);
	v[COL_SYS] = tv_s(b->ru_stime) - tv_s(a->ru_stime);
	v[COL_CPU] = v[COL_USER] + v[COL_SYS];
	v[COL_CPU_PER_WALL] = v[COL_CPU] / v[COL_WALL];
	v[COL_VCSW] = (double)(b->ru_nvcsw - a->ru_nvcsw);
	v[COL_IVCSW] = (double)(b->ru_nivcsw - a->ru_nivcsw);
	v[COL_RSS] = (double)b->ru_maxrss;
	v[COL_TASKS] = (double)tasks;
	v[COL_NS_PER_TASK] = tasks ? (double)wall_ns / (double)tasks : NAN;
	v[COL_STEAL] = steal_s;
	for (size_t i = 0; i < t->strategy->n_metrics; i++)
		v[t->counter_col[i]] = aggregate(
			rt, true, i, t->strategy->desc->metrics[i].agg);
	for (size_t i = 0; i < t->workload->n_metrics; i++) {
		enum px_agg agg = t->workload->desc->metrics[i].agg;
		if (agg == PX_AGG_SAMPLES)
			report_samples(rt, i, t->metric_col[i]);
		else
			v[t->metric_col[i]] = aggregate(rt, false, i, agg);
	}
}

/* prepare, setup, execute (timed), combine, verify. Returns the status. */
static int run_phases(struct rt *rt)
{
	const struct px_strategy_ops *s = rt->t->strategy->desc->strategy;
	px_worker *ctl = &rt->workers[rt->t->workers];
	struct rusage u0, u1;
	double steal0, steal1;
	int64_t n, t0, t1, ran = 0;
	int rc;

	if (s->prepare && (rc = s->prepare(&rt->run))) {
		px__rt_fail(rt, "strategy %s: prepare failed: %s",
		      rt->t->strategy->desc->name, strerror(-rc));
		return RUN_ERROR;
	}
	n = rt->wl->setup(ctl);
	if (n <= 0) {
		px__rt_fail(rt, "workload %s: setup failed: %s",
		      rt->t->workload->desc->name,
		      n ? strerror((int)-n) : "no tasks");
		return RUN_ERROR;
	}
	for (size_t i = 0; i < rt->t->workers; i++)
		rt->workers[i].wl_state = ctl->wl_state;
	rt->run.tasks = (uint64_t)n;
	rt->result_size = rt->wl->result_size ? rt->wl->result_size : 1;
	rt->run.result_size = rt->result_size;
	rt->results = rt->api.shared_alloc(ctl, (size_t)n * rt->result_size);
	/* The host's steal, read around the timed part: a run during which a
	 * hypervisor took CPU time from the machine says so (steal_s). */
	steal0 = px__steal_s();
	usage_now(&u0);
	t0 = px__now_ns();
	rc = s->execute(&rt->run);
	t1 = px__now_ns();
	usage_now(&u1);
	steal1 = px__steal_s();
	for (size_t w = 0; w < rt->t->workers; w++)
		ran += rt->slots[w].tasks;
	if (rc) {
		px__rt_fail(rt, "strategy %s: execute failed: %s",
		      rt->t->strategy->desc->name, strerror(-rc));
		return RUN_ERROR;
	}
	if (ran != n) {
		px__rt_fail(rt, "strategy %s ran %lld tasks of %lld",
		      rt->t->strategy->desc->name, (long long)ran, (long long)n);
		return RUN_ERROR;
	}
	if (!px__rt_workers_ok(rt))
		return RUN_ERROR;
	if (rt->head->message[0])
		return RUN_ERROR;
	if (rt->wl->combine)
		rt->wl->combine(ctl, rt->results, (uint64_t)n);
	rc = rt->wl->verify(ctl);
	report(rt, t1 - t0, &u0, &u1, steal1 - steal0);
	if (rc)
		px__rt_fail(rt, "workload %s: wrong result", rt->t->workload->desc->name);
	return rc ? RUN_WRONG : RUN_OK;
}

/* Open file descriptors of this process. */
static int count_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	int n = 0;

	if (!d)
		return -1;
	while (readdir(d))
		n++;
	closedir(d);
	return n;
}

int px__runtime_run(const struct plan *plan, const struct trial *t,
                    void *region, const struct region_layout *l)
{
	const struct px_strategy_ops *s = t->strategy->desc->strategy;
	struct rt rt = { 0 };
	int status, fds = count_fds(), threads = px__rt_count_threads();

	build(&rt, plan, t, region, l);
	status = run_phases(&rt);
	if (rt.run.tasks && rt.wl->teardown)
		rt.wl->teardown(&rt.workers[t->workers]);
	if (s->finish)
		s->finish(&rt.run);
	if ((status == RUN_OK || status == RUN_WRONG) &&
	    !px__rt_threads_ok(&rt, threads))
		status = RUN_ERROR;
	/* What the strategy and the workload left open after their clean-up. */
	if (status == RUN_OK || status == RUN_WRONG)
		rt.values[COL_FDS_LEFT] = (double)(count_fds() - fds);
	rt.head->status = status;
	for (size_t i = 0; i < rt.n_allocs; i++)
		free(rt.allocs[i]);
	free(rt.allocs);
	free(rt.workers);
	return 0;
}
