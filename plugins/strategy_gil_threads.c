/* strategy_gil_threads.c: N POSIX threads that must hold one global
 * interpreter lock to run workload code, emulating CPython's GIL.
 *
 * mode: new (CPython 3.2 to 3.12, Python/ceval_gil.c)
 *   The lock is a `locked` flag guarded by a mutex, with a condition
 *   variable signalled on release. A thread that wants the lock waits on
 *   the condition for `switch_interval`; if the wait times out and no
 *   switch happened meanwhile, it sets the drop request, which is the
 *   workload's eval breaker: the holder sees it at its next px_tick(),
 *   drops the lock and (FORCE_SWITCHING) waits until another thread has
 *   taken it before it tries again.
 *
 * mode: legacy (Python 2)
 *   The lock is a semaphore. Every `check_interval` ticks the holder
 *   releases it and at once takes it again, with no handoff: on several
 *   cores the woken waiter usually finds it taken again.
 *
 * In both modes the blocking host calls (sleep, wait_fd, read, write),
 * native sections and waiting for the strategy's own lock release the GIL
 * first and take it back after, as Py_BEGIN_ALLOW_THREADS does;
 * `call_overhead` adds the interpreter's own cost of such a call, spent
 * holding the GIL, half before and half after (tools/calibrate.py
 * measures it). `switch_overhead` adds the cost of resuming a thread that
 * takes the GIL from another one: in CPython such a thread runs cold (its
 * caches refilled after it slept while the other ran), and the time it
 * then holds the lock before its next release decides whether a woken
 * waiter on another core finds the lock free (tools/gil_trace.c measures
 * it on both sides); `cold_after` scales it to how long the thread waited
 * (in full from cold_after on), as CPython's resume grows colder with the
 * wait. `request_lines` adds the interpreter's walk through
 * its own state between a waiter's drop request and its next wait: CPython
 * 3.11's waiter takes about 0.9 us there after a 5 ms wait, parlab's 0.5
 * us, and whether the holder, dropping the lock at once, finds the mutex
 * still held decides how many of its waits sleep (voluntary switches).
 * Those lines are read, not timed: cold after a long wait, warm after a
 * short one, as the interpreter's are. Not calibrated: the tracer that
 * measures the path moves the race too (docs/calibration.md).
 *
 * start: python (the default) starts the pool as a Python program does:
 * the thread that runs execute plays the main thread, holding the GIL;
 * like threading.Thread.start(), it creates each worker and waits, with
 * the GIL released, until that worker has taken the GIL once and said so
 * (threading's `started` Event), then takes the GIL back as any waiter
 * does. So the workers join the lock one at a time. start: all creates
 * every worker at once, and all of them wait for the lock together. */
#define _GNU_SOURCE
#include <errno.h>
#include <math.h>
#include <poll.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <parlab/plugin.h>

#include "support/cold_lines.h"
#include "support/threads.h"

struct gil_config {
	int64_t mode;
	int64_t switch_interval;
	int64_t check_interval;
	int64_t chunksize;
	int64_t spawn;
	int64_t stack_size;
	int64_t start;
	int64_t call_overhead;
	int64_t switch_overhead;
	int64_t cold_after;
	int64_t request_lines;
};

static const char *const gil_start[] = { "python", "all", NULL };
enum { START_PYTHON, START_ALL };

static const char *const gil_spawn[] = { "pool", "per-task", NULL };
enum { SPAWN_POOL, SPAWN_PER_TASK };

static const char *const gil_modes[] = { "new", "legacy", NULL };
enum { MODE_NEW, MODE_LEGACY };

static const struct px_param gil_params[] = {
	{ "mode", PX_ENUM, offsetof(struct gil_config, mode), "new", 0, 0,
	  "new: CPython 3.2+ (time-based, forced switching); legacy: Python 2 "
	  "(release and reacquire every check_interval ticks)", gil_modes },
	{ "switch_interval", PX_DURATION,
	  offsetof(struct gil_config, switch_interval), "5ms", 1000, 10e9,
	  "how long a waiting thread waits before it asks the holder to drop "
	  "the lock (sys.setswitchinterval)", NULL },
	{ "check_interval", PX_INT, offsetof(struct gil_config, check_interval),
	  "100", 1, 1e9, "legacy mode: ticks between release and reacquire "
	  "(sys.setcheckinterval)", NULL },
	{ "chunksize", PX_INT, offsetof(struct gil_config, chunksize), "1", 1,
	  1e9, "task ids a thread claims at a time", NULL },
	{ "spawn", PX_ENUM, offsetof(struct gil_config, spawn), "pool", 0, 0,
	  "pool: N threads take tasks until none are left; per-task: a new "
	  "thread for every task, created and joined, at most N alive",
	  gil_spawn },
	THREADS_STACK_PARAM(struct gil_config, stack_size),
	{ "start", PX_ENUM, offsetof(struct gil_config, start), "python", 0, 0,
	  "spawn: pool: python: a main thread holding the GIL starts the "
	  "workers one by one, each start waiting until the new thread has "
	  "run (threading.Thread.start); all: every worker at once", gil_start },
	{ "call_overhead", PX_DURATION,
	  offsetof(struct gil_config, call_overhead), "0ns", 0, 1e9,
	  "the interpreter's cost around each blocking call, spent holding the "
	  "GIL, half before and half after (tools/calibrate.py)", NULL },
	{ "switch_overhead", PX_DURATION,
	  offsetof(struct gil_config, switch_overhead), "0ns", 0, 1e9,
	  "CPU time a thread spends holding the GIL each time it takes it from "
	  "another thread: the interpreter resuming with cold caches "
	  "(tools/calibrate.py)", NULL },
	{ "cold_after", PX_DURATION, offsetof(struct gil_config, cold_after),
	  "0ns", 0, 600e9, "switch_overhead is spent in full after a wait for "
	  "the lock this long or longer and in proportion after a shorter one "
	  "(the longer a thread waited, the colder it resumes); 0: in full "
	  "after any wait (tools/calibrate.py)", NULL },
	{ "request_lines", PX_INT, offsetof(struct gil_config, request_lines),
	  "0", 0, 4096, "mode: new: cache lines, one per page, a waiter reads "
	  "after it asks the holder to drop the lock and before it waits "
	  "again, holding the lock's mutex: the interpreter state CPython walks "
	  "there, costly only when the thread slept long enough for them to go "
	  "cold (not calibrated: tools/calibrate.py records the path, "
	  "request_ns)", NULL },
	PX_PARAM_END
};

enum {
	C_ACQUISITIONS, C_SWITCHES, C_DROP_REQUESTS, C_FORCED_DROPS, C_WAIT,
	C_HOLD, C_WAIT_LONGEST, C_THREAD_WAIT_MAX, C_THREAD_WAIT_MIN,
	C_THREAD_HOLD_MAX, C_THREAD_HOLD_MIN, C_FAIRNESS, C_PEAK, C_STACKS,
	C_MAIN_WAIT, C_START_HANDOFFS, C_REQUEST_LINES, C_REQUEST,
	C_SWITCH_OVERHEAD,
};

static const struct px_metric gil_counters[] = {
	[C_ACQUISITIONS] = { "gil_acquisitions", "acquisitions", PX_AGG_SUM,
	                     "times a thread took the lock" },
	[C_SWITCHES] = { "gil_switches", "switches", PX_AGG_SUM,
	                 "acquisitions by a thread other than the last holder" },
	[C_DROP_REQUESTS] = { "gil_drop_requests", "requests", PX_AGG_SUM,
	                      "times a waiter timed out and asked for the lock" },
	[C_FORCED_DROPS] = { "gil_forced_drops", "drops", PX_AGG_SUM,
	                     "times the holder dropped the lock on request at a tick" },
	[C_WAIT] = { "gil_wait_ns", "ns", PX_AGG_SUM,
	             "time all threads spent waiting for the lock" },
	[C_HOLD] = { "gil_hold_ns", "ns", PX_AGG_SUM,
	             "time all threads spent holding the lock" },
	[C_WAIT_LONGEST] = { "gil_wait_longest_ns", "ns", PX_AGG_MAX,
	                     "the longest single wait for the lock" },
	[C_THREAD_WAIT_MAX] = { "gil_thread_wait_max_ns", "ns", PX_AGG_MAX,
	                        "waiting time of the thread that waited most" },
	[C_THREAD_WAIT_MIN] = { "gil_thread_wait_min_ns", "ns", PX_AGG_MIN,
	                        "waiting time of the thread that waited least" },
	[C_THREAD_HOLD_MAX] = { "gil_thread_hold_max_ns", "ns", PX_AGG_MAX,
	                        "holding time of the thread that held it most" },
	[C_THREAD_HOLD_MIN] = { "gil_thread_hold_min_ns", "ns", PX_AGG_MIN,
	                        "holding time of the thread that held it least" },
	[C_FAIRNESS] = { "gil_fairness", "index", PX_AGG_LAST,
	                 "Jain's index of the threads' holding times when the "
	                 "first thread ran out of work: 1 is fair, 1/N is one "
	                 "thread taking everything" },
	[C_PEAK] = { "peak_threads", "threads", PX_AGG_MAX,
	             "most threads alive at once" },
	[C_STACKS] = { "thread_stack_bytes", "B", PX_AGG_MAX,
	               "stack memory those threads reserved" },
	[C_MAIN_WAIT] = { "gil_main_wait_ns", "ns", PX_AGG_SUM,
	                  "start: python: time the starting (main) thread "
	                  "waited for the lock, not counted in gil_wait_ns" },
	[C_START_HANDOFFS] = { "start_handoffs", "workers", PX_AGG_SUM,
	                       "start: python: workers whose first hold of the "
	                       "lock came in worker order, while the main thread "
	                       "waited for that worker alone" },
	[C_REQUEST_LINES] = { "gil_request_lines", "lines", PX_AGG_SUM,
	                      "request_lines: cache lines the waiters read "
	                      "after their drop requests" },
	[C_REQUEST] = { "gil_request_ns", "ns", PX_AGG_SUM,
	                "time waiters took from a wait that timed out, when "
	                "they asked for the lock, to their next wait: the path "
	                "request_lines lengthens" },
	[C_SWITCH_OVERHEAD] = { "gil_switch_overhead_ns", "ns", PX_AGG_SUM,
	                        "switch_overhead the threads spent, as cold_after "
	                        "scaled it to each wait" },
	PX_METRIC_END
};

struct gil;

/* One thread's view of the lock, and what it measured. */
struct gil_thread {
	struct gil *g;
	uint32_t index;
	px_worker *w;
	int rc;
	int64_t hold_start;
	_Atomic int64_t hold_ns;    /* read by the fairness snapshot */
	int64_t wait_ns, wait_longest;
	uint64_t acquisitions, switches, drop_requests, forced_drops;
	uint64_t request_lines;     /* lines read after drop requests */
	int64_t request_ns;         /* from those timeouts to the next waits */
	int64_t overhead_ns;        /* switch_overhead spent */
	int64_t countdown;          /* legacy: ticks to the next release */
	bool native;                /* inside a native section: no GIL held */
};

struct gil {
	int mode;
	int64_t interval_ns;
	int64_t check_interval;
	int64_t call_overhead;
	int64_t switch_overhead;
	int64_t cold_after;
	struct cold_lines request;       /* request_lines, read by waiters */

	/* start: python: the main thread and the workers' `started` signal */
	bool start_python;
	struct gil_thread *main;
	pthread_mutex_t start_mutex;
	pthread_cond_t start_cond;
	uint32_t started;                /* under start_mutex */
	uint32_t handoffs;               /* under start_mutex */

	/* mode new: ceval_gil.c's state */
	pthread_mutex_t mutex;
	pthread_cond_t cond;
	int locked;                      /* under mutex */
	unsigned long switch_number;     /* under mutex */
	_Atomic int64_t last_holder;     /* written under switch_mutex */
	pthread_mutex_t switch_mutex;
	pthread_cond_t switch_cond;
	_Atomic uint32_t drop_request;   /* the eval breaker */

	/* mode legacy */
	sem_t sem;
	_Atomic uint32_t always;         /* a breaker that is always set */

	/* task hand-out and fairness */
	px_run *run;
	struct gil_thread *threads;
	_Atomic uint64_t next;
	uint64_t chunk;
	pthread_mutex_t fair_mutex;
	bool fair_done;
	double fairness;
};

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* ---- mode new ------------------------------------------------------- */

static void take_new(struct gil_thread *t)
{
	struct gil *g = t->g;
	int64_t asked = 0;       /* when this thread's wait timed out */

	pthread_mutex_lock(&g->mutex);
	while (g->locked) {
		unsigned long saved = g->switch_number;
		int64_t now = now_ns(), at = now + g->interval_ns;
		struct timespec deadline = { at / 1000000000, at % 1000000000 };
		int rc;

		if (asked) {             /* back at a wait after a request */
			t->request_ns += now - asked;
			asked = 0;
		}
		rc = pthread_cond_timedwait(&g->cond, &g->mutex, &deadline);
		/* Timed out and nobody switched meanwhile: ask the holder. */
		if (rc == ETIMEDOUT && g->locked && g->switch_number == saved) {
			asked = now_ns();
			atomic_store_explicit(&g->drop_request, 1,
			                      memory_order_relaxed);
			t->drop_requests++;
			/* CPython's waiter, still holding the mutex, goes on
			 * through its time conversion and thread state. */
			t->request_lines += (uint64_t)cold_lines_read(&g->request);
		}
	}
	/* last_holder changes under switch_mutex: see drop_new(). */
	pthread_mutex_lock(&g->switch_mutex);
	g->locked = 1;
	if (atomic_load_explicit(&g->last_holder, memory_order_relaxed) !=
	    t->index) {
		atomic_store_explicit(&g->last_holder, t->index,
		                      memory_order_relaxed);
		g->switch_number++;
		t->switches++;
	}
	pthread_cond_signal(&g->switch_cond);
	pthread_mutex_unlock(&g->switch_mutex);
	if (atomic_load_explicit(&g->drop_request, memory_order_relaxed))
		atomic_store_explicit(&g->drop_request, 0, memory_order_relaxed);
	pthread_mutex_unlock(&g->mutex);
}

static void drop_new(struct gil_thread *t)
{
	struct gil *g = t->g;

	pthread_mutex_lock(&g->mutex);
	g->locked = 0;
	pthread_cond_signal(&g->cond);
	pthread_mutex_unlock(&g->mutex);
	/* FORCE_SWITCHING: when asked to drop, wait until another thread has
	 * really taken the lock, so that this one cannot take it back first. */
	if (atomic_load_explicit(&g->drop_request, memory_order_relaxed)) {
		pthread_mutex_lock(&g->switch_mutex);
		if (atomic_load_explicit(&g->last_holder, memory_order_relaxed) ==
		    t->index) {
			atomic_store_explicit(&g->drop_request, 0,
			                      memory_order_relaxed);
			pthread_cond_wait(&g->switch_cond, &g->switch_mutex);
		}
		pthread_mutex_unlock(&g->switch_mutex);
	}
}

/* ---- mode legacy ---------------------------------------------------- */

static void take_legacy(struct gil_thread *t)
{
	struct gil *g = t->g;

	if (sem_trywait(&g->sem) != 0)
		while (sem_wait(&g->sem) != 0 && errno == EINTR)
			;
	if (atomic_exchange_explicit(&g->last_holder, t->index,
	                             memory_order_relaxed) != t->index)
		t->switches++;
}

static void drop_legacy(struct gil_thread *t)
{
	sem_post(&t->g->sem);
}

/* ---- either mode, with the accounting --------------------------------- */

/* Spends ns of CPU time holding the GIL: the interpreter's own work
 * around a blocking call (call_overhead: argument parsing, objects made
 * for the result) or in resuming a cold thread (switch_overhead). */
static void spend(int64_t ns)
{
	int64_t until;

	if (ns <= 0)
		return;
	until = now_ns() + ns;
	while (now_ns() < until)
		;
}

/* The switch_overhead of a take after `waited` ns: in full from cold_after
 * on (and always with cold_after 0), in proportion below it. CPython 3.11's
 * reader, traced on a 2-core guest, held the lock about 3.5 us after a
 * 500 us convoy wait and 12.5 us after a 5 ms one, parlab's 2 and 4.6 us:
 * how cold a thread resumes grows with how long it waited. */
static int64_t resume_cost(const struct gil *g, int64_t waited)
{
	if (g->cold_after <= 0 || waited >= g->cold_after)
		return g->switch_overhead;
	return (int64_t)((double)g->switch_overhead * (double)waited /
	                 (double)g->cold_after);
}

/* Takes the lock; a thread that takes it from another one then spends
 * switch_overhead (scaled by resume_cost) holding it: the interpreter
 * resuming a thread whose caches went cold while it waited. */
static void gil_acquire(struct gil_thread *t)
{
	int64_t t0 = now_ns(), waited;
	uint64_t switches = t->switches;

	if (t->g->mode == MODE_NEW)
		take_new(t);
	else
		take_legacy(t);
	t->hold_start = now_ns();
	waited = t->hold_start - t0;
	t->wait_ns += waited;
	if (waited > t->wait_longest)
		t->wait_longest = waited;
	t->acquisitions++;
	if (t->switches != switches) {
		int64_t cost = resume_cost(t->g, waited);
		t->overhead_ns += cost;
		spend(cost);
	}
}

static void gil_release(struct gil_thread *t)
{
	atomic_fetch_add_explicit(&t->hold_ns, now_ns() - t->hold_start,
	                          memory_order_relaxed);
	if (t->g->mode == MODE_NEW)
		drop_new(t);
	else
		drop_legacy(t);
}

/* ---- the workload-facing calls ---------------------------------------- */

static void gil_tick(px_worker *w)
{
	struct gil_thread *t = w->strategy_data;

	if (!t || t->native)
		return;
	if (t->g->mode == MODE_LEGACY) {
		if (--t->countdown > 0)
			return;
		t->countdown = t->g->check_interval;
	} else {
		if (!atomic_load_explicit(&t->g->drop_request,
		                          memory_order_relaxed))
			return;
		t->forced_drops++;
	}
	gil_release(t);
	gil_acquire(t);
}

/* The host's plain blocking calls (px_host.plain), set by prepare: the
 * wrappers below release the GIL around them, as Py_BEGIN_ALLOW_THREADS.
 * The plain calls return -errno themselves, so no errno is read after the
 * GIL is taken back. */
static const struct px_api *plain;

/* Before a blocking call: the first half of call_overhead, then the GIL
 * goes (unless a native section let it go already). Returns the thread
 * to give to with_gil, or NULL when there is nothing to take back. */
static struct gil_thread *without_gil(px_worker *w)
{
	struct gil_thread *t = w->strategy_data;

	if (!t || t->native)
		return NULL;
	spend(t->g->call_overhead / 2);
	gil_release(t);
	return t;
}

/* After it: the GIL comes back, then the second half. */
static void with_gil(struct gil_thread *t)
{
	if (!t)
		return;
	gil_acquire(t);
	spend(t->g->call_overhead - t->g->call_overhead / 2);
}

static int gil_sleep(px_worker *w, int64_t ns)
{
	struct gil_thread *t = without_gil(w);
	int rc = plain->sleep(w, ns);

	with_gil(t);
	return rc;
}

static int gil_wait_fd(px_worker *w, int fd, short events, int64_t timeout_ns)
{
	struct gil_thread *t = without_gil(w);
	int rc = plain->wait_fd(w, fd, events, timeout_ns);

	with_gil(t);
	return rc;
}

static ssize_t gil_read(px_worker *w, int fd, void *buf, size_t n)
{
	struct gil_thread *t = without_gil(w);
	ssize_t rc = plain->read(w, fd, buf, n);

	with_gil(t);
	return rc;
}

static ssize_t gil_write(px_worker *w, int fd, const void *buf, size_t n)
{
	struct gil_thread *t = without_gil(w);
	ssize_t rc = plain->write(w, fd, buf, n);

	with_gil(t);
	return rc;
}

static void gil_native_begin(px_worker *w)
{
	struct gil_thread *t = w->strategy_data;

	if (t && !t->native) {
		gil_release(t);
		t->native = true;
	}
}

static void gil_native_end(px_worker *w)
{
	struct gil_thread *t = w->strategy_data;

	if (t && t->native) {
		t->native = false;
		gil_acquire(t);
	}
}

static px_lock *gil_lock_new(px_worker *w)
{
	pthread_mutex_t *m = w->api->shared_alloc(w, sizeof(*m));

	if (m)
		pthread_mutex_init(m, NULL);
	return (px_lock *)m;
}

/* Like threading.Lock.acquire: an uncontended lock is taken with the GIL
 * held; a contended one is waited for without it. */
static void gil_lock(px_worker *w, px_lock *l)
{
	pthread_mutex_t *m = (pthread_mutex_t *)l;

	struct gil_thread *t;

	if (pthread_mutex_trylock(m) == 0)
		return;
	t = without_gil(w);
	pthread_mutex_lock(m);
	with_gil(t);
}

static void gil_unlock(px_worker *w, px_lock *l)
{
	(void)w;
	pthread_mutex_unlock((pthread_mutex_t *)l);
}

static const struct px_api gil_api = {
	.abi_minor = PX_ABI_MINOR,
	.struct_size = sizeof(struct px_api),
	.tick = gil_tick,
	.sleep = gil_sleep,
	.wait_fd = gil_wait_fd,
	.read = gil_read,
	.write = gil_write,
	.native_begin = gil_native_begin,
	.native_end = gil_native_end,
	.lock_new = gil_lock_new,
	.lock = gil_lock,
	.unlock = gil_unlock,
};

/* ---- the run ----------------------------------------------------------- */

static int gil_prepare(px_run *run)
{
	const struct gil_config *cfg = run->config;
	struct gil *g = calloc(1, sizeof(*g));
	pthread_condattr_t attr;

	if (!g)
		return -ENOMEM;
	if (cold_lines_init(&g->request, cfg->request_lines) != 0) {
		free(g);
		return -ENOMEM;
	}
	plain = run->host->plain;
	/* One more than the workers: the main thread of start: python. */
	g->threads = calloc((size_t)run->workers + 1, sizeof(*g->threads));
	if (!g->threads) {
		cold_lines_free(&g->request);
		free(g);
		return -ENOMEM;
	}
	g->mode = (int)cfg->mode;
	g->interval_ns = cfg->switch_interval;
	g->check_interval = cfg->check_interval;
	g->call_overhead = cfg->call_overhead;
	g->switch_overhead = cfg->switch_overhead;
	g->cold_after = cfg->cold_after;
	g->start_python = cfg->start == START_PYTHON;
	pthread_mutex_init(&g->start_mutex, NULL);
	pthread_cond_init(&g->start_cond, NULL);
	g->chunk = (uint64_t)cfg->chunksize;
	g->run = run;
	atomic_init(&g->last_holder, -1);
	atomic_init(&g->always, 1);
	pthread_mutex_init(&g->mutex, NULL);
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&g->cond, &attr);
	pthread_condattr_destroy(&attr);
	pthread_mutex_init(&g->switch_mutex, NULL);
	pthread_cond_init(&g->switch_cond, NULL);
	pthread_mutex_init(&g->fair_mutex, NULL);
	sem_init(&g->sem, 0, 1);
	run->state = g;
	return 0;
}

/* Jain's index of the threads' holding times, taken once, when the first
 * thread runs out of work: later on, finished threads hold nothing and the
 * index would say less about how the lock was shared. */
static void snapshot_fairness(struct gil *g, uint32_t n)
{
	double sum = 0, sq = 0;

	pthread_mutex_lock(&g->fair_mutex);
	if (!g->fair_done) {
		for (uint32_t i = 0; i < n; i++) {
			double x = (double)atomic_load_explicit(&g->threads[i].hold_ns,
			                                        memory_order_relaxed);
			sum += x;
			sq += x * x;
		}
		g->fairness = sq > 0 ? sum * sum / ((double)n * sq) : 1;
		g->fair_done = true;
	}
	pthread_mutex_unlock(&g->fair_mutex);
}

/* start: python: what threading's `started` Event does: the new thread,
 * holding the GIL, tells the main thread it runs. A handoff counts when it
 * is the worker the main thread is waiting for, and the next in order. */
static void signal_started(struct gil_thread *t)
{
	struct gil *g = t->g;

	pthread_mutex_lock(&g->start_mutex);
	if (g->started == t->index)
		g->handoffs++;
	g->started++;
	pthread_cond_broadcast(&g->start_cond);
	pthread_mutex_unlock(&g->start_mutex);
}

/* start: python: the main thread waits, without the GIL (Event.wait),
 * until worker `index` has signalled, then takes the GIL back. */
static void wait_started(struct gil *g, uint32_t index)
{
	gil_release(g->main);
	pthread_mutex_lock(&g->start_mutex);
	while (g->started <= index)
		pthread_cond_wait(&g->start_cond, &g->start_mutex);
	pthread_mutex_unlock(&g->start_mutex);
	gil_acquire(g->main);
}

static void *gil_worker(void *arg)
{
	struct gil_thread *t = arg;
	struct gil *g = t->g;
	const struct px_host *h = g->run->host;
	uint64_t n = g->run->tasks;

	t->rc = h->worker_begin(t->w);
	t->countdown = g->check_interval;
	gil_acquire(t);
	if (g->start_python)
		signal_started(t);
	while (t->rc == 0) {
		uint64_t first = atomic_fetch_add_explicit(&g->next, g->chunk,
		                                           memory_order_relaxed);
		uint64_t end = first + g->chunk < n ? first + g->chunk : n;
		if (first >= n)
			break;
		for (uint64_t k = first; k < end && t->rc == 0; k++)
			t->rc = h->run_task(t->w, k);
	}
	gil_release(t);
	snapshot_fairness(g, g->run->workers);
	h->worker_end(t->w);
	return NULL;
}

static void report(px_run *run, struct gil *g)
{
	const struct px_host *h = run->host;

	for (uint32_t i = 0; i < run->workers; i++) {
		struct gil_thread *t = &g->threads[i];
		double hold = (double)atomic_load(&t->hold_ns);
		h->counter_add(t->w, C_ACQUISITIONS, (double)t->acquisitions);
		h->counter_add(t->w, C_SWITCHES, (double)t->switches);
		h->counter_add(t->w, C_DROP_REQUESTS, (double)t->drop_requests);
		h->counter_add(t->w, C_FORCED_DROPS, (double)t->forced_drops);
		h->counter_add(t->w, C_REQUEST_LINES, (double)t->request_lines);
		h->counter_add(t->w, C_REQUEST, (double)t->request_ns);
		h->counter_add(t->w, C_SWITCH_OVERHEAD, (double)t->overhead_ns);
		h->counter_add(t->w, C_WAIT, (double)t->wait_ns);
		h->counter_add(t->w, C_HOLD, hold);
		h->counter_add(t->w, C_WAIT_LONGEST, (double)t->wait_longest);
		h->counter_add(t->w, C_THREAD_WAIT_MAX, (double)t->wait_ns);
		h->counter_add(t->w, C_THREAD_WAIT_MIN, (double)t->wait_ns);
		h->counter_add(t->w, C_THREAD_HOLD_MAX, hold);
		h->counter_add(t->w, C_THREAD_HOLD_MIN, hold);
	}
	h->counter_add(h->worker(run, PX_CONTROL), C_FAIRNESS, g->fairness);
	if (g->start_python) {
		h->counter_add(h->worker(run, PX_CONTROL), C_MAIN_WAIT,
		               (double)g->main->wait_ns);
		h->counter_add(h->worker(run, PX_CONTROL), C_START_HANDOFFS,
		               (double)g->handoffs);
	}
}

/* spawn: per-task: a fresh thread takes the GIL, runs one task as worker
 * `slot` and lets the GIL go. */
static int gil_one_task(void *ctx, uint32_t slot, uint64_t task)
{
	struct gil *g = ctx;
	struct gil_thread *t = &g->threads[slot];
	const struct px_host *h = g->run->host;
	int rc = h->worker_begin(t->w);

	t->countdown = g->check_interval;
	gil_acquire(t);
	if (rc == 0)
		rc = h->run_task(t->w, task);
	gil_release(t);
	h->worker_end(t->w);
	return rc;
}

static int gil_pool(px_run *run, struct gil *g, uint32_t *peak)
{
	const struct gil_config *cfg = run->config;
	pthread_t *tids = calloc(run->workers, sizeof(*tids));
	uint32_t started = 0;
	int rc = 0;

	if (!tids)
		return -ENOMEM;
	if (g->start_python)
		gil_acquire(g->main);
	for (; started < run->workers; started++) {
		rc = threads_start(run, &tids[started], (size_t)cfg->stack_size,
		                   gil_worker, &g->threads[started], started + 1,
		                   run->workers);
		if (rc)
			break;
		if (g->start_python)
			wait_started(g, started);
	}
	/* The main thread lets the GIL go to join: a blocking call. */
	if (g->start_python)
		gil_release(g->main);
	*peak = started;
	for (uint32_t i = 0; i < started; i++) {
		pthread_join(tids[i], NULL);
		if (g->threads[i].rc && !rc)
			rc = g->threads[i].rc;
	}
	free(tids);
	return rc;
}

static int gil_execute(px_run *run)
{
	const struct gil_config *cfg = run->config;
	struct gil *g = run->state;
	px_worker *ctl = run->host->worker(run, PX_CONTROL);
	uint32_t peak = 0;
	int rc;

	for (uint32_t i = 0; i < run->workers; i++) {
		struct gil_thread *t = &g->threads[i];
		t->g = g;
		t->index = i;
		t->w = run->host->worker(run, i);
		t->w->strategy_data = t;
		t->w->breaker = g->mode == MODE_NEW ? &g->drop_request : &g->always;
	}
	g->main = &g->threads[run->workers];
	g->main->g = g;
	g->main->index = run->workers;
	if (cfg->spawn != SPAWN_POOL)
		g->start_python = false;
	if (cfg->spawn == SPAWN_POOL) {
		rc = gil_pool(run, g, &peak);
	} else {
		/* Fairness between threads that each run one task says nothing
		 * about the lock; it is left unmeasured. */
		g->fair_done = true;
		g->fairness = NAN;
		rc = threads_per_task(run, run->workers, (size_t)cfg->stack_size,
		                      gil_one_task, g, &peak);
	}
	report(run, g);
	run->host->counter_add(ctl, C_PEAK, peak);
	run->host->counter_add(ctl, C_STACKS, (double)peak * (double)cfg->stack_size);
	return rc;
}

static void gil_finish(px_run *run)
{
	struct gil *g = run->state;

	if (!g)
		return;
	pthread_mutex_destroy(&g->mutex);
	pthread_cond_destroy(&g->cond);
	pthread_mutex_destroy(&g->switch_mutex);
	pthread_cond_destroy(&g->switch_cond);
	pthread_mutex_destroy(&g->fair_mutex);
	pthread_mutex_destroy(&g->start_mutex);
	pthread_cond_destroy(&g->start_cond);
	sem_destroy(&g->sem);
	cold_lines_free(&g->request);
	free(g->threads);
	free(g);
	run->state = NULL;
}

static const struct px_strategy_ops gil_ops = {
	.max_workers = 65536,
	.prepare = gil_prepare,
	.execute = gil_execute,
	.finish = gil_finish,
	.api = &gil_api,
};

static const struct px_plugin gil_plugin = {
	PX_DESCRIPTOR_HEADER,
	.kind = PX_KIND_STRATEGY,
	.name = "gil-threads",
	.summary = "N POSIX threads under one global interpreter lock (CPython's GIL)",
	.doc = "Emulates CPython's global interpreter lock. mode: new follows\n"
	       "Python/ceval_gil.c of CPython 3.2 to 3.12: a waiting thread waits\n"
	       "switch_interval, then sets a drop request that the holder honours at\n"
	       "its next tick, waiting until another thread has taken the lock\n"
	       "(FORCE_SWITCHING). mode: legacy is Python 2's lock: release and at\n"
	       "once reacquire every check_interval ticks, no handoff. Blocking calls,\n"
	       "native sections and waits for the strategy's lock run without the\n"
	       "GIL. A tick costs one relaxed load unless a drop is requested (new);\n"
	       "in legacy mode every tick counts down, as Python 2's ticker did.\n"
	       "spawn: per-task creates and joins a thread for every task, at most\n"
	       "`workers` alive at once. start: python (default, spawn: pool) starts\n"
	       "the pool as threading.Thread.start() does: a main thread holding the\n"
	       "GIL creates each worker and waits, without the GIL, until it has run,\n"
	       "so workers join the lock one at a time; start: all starts them all\n"
	       "at once. call_overhead is the interpreter's cost around a blocking\n"
	       "call, spent holding the GIL; switch_overhead the cost of resuming a\n"
	       "thread that takes the GIL from another, in full after a wait of\n"
	       "cold_after or longer and in proportion after a shorter one\n"
	       "(tools/calibrate.py measures all three). request_lines (mode: new)\n"
	       "lengthens a waiter's path between its drop request and its next wait\n"
	       "by cache lines read cold after a long wait; it decides how often the\n"
	       "waits around a switch sleep and is not calibrated\n"
	       "(docs/calibration.md).",
	.params = gil_params,
	.config_size = sizeof(struct gil_config),
	.metrics = gil_counters,
	.strategy = &gil_ops,
};

PX_PLUGIN(gil_plugin)
