/* strategy_event_loop.c: one thread, many tasks in flight, like asyncio
 * or gevent: concurrency without parallelism.
 *
 * Up to `max_in_flight` coroutines (ucontext, each on a small stack of its
 * own) take task ids in turn. The host's blocking calls do not block the
 * thread: sleep parks the coroutine on a timer, wait_fd/read/write park it
 * on epoll until the descriptor is ready, and the strategy's lock parks it
 * in the lock's queue. The loop runs whatever is ready, then waits in
 * epoll_wait until the next timer or descriptor. CPU-bound code yields only
 * at every `yield_every`-th tick (0: never, as in asyncio). */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <time.h>
#include <ucontext.h>
#include <unistd.h>

#include <parlab/plugin.h>

struct el_config {
	int64_t max_in_flight;
	int64_t stack_size;
	int64_t yield_every;
};

static const struct px_param el_params[] = {
	{ "max_in_flight", PX_INT, offsetof(struct el_config, max_in_flight),
	  "64", 1, 1e6, "tasks running at once, each a coroutine", NULL },
	{ "stack_size", PX_SIZE, offsetof(struct el_config, stack_size),
	  "64KiB", 16384, 1073741824.0, "stack of each coroutine", NULL },
	{ "yield_every", PX_INT, offsetof(struct el_config, yield_every), "0",
	  0, 1e12, "a tick yields to the loop every this many ticks; 0 never "
	  "does, as CPU-bound code under asyncio", NULL },
	PX_PARAM_END
};

enum { C_SWITCHES, C_PEAK, C_ITERATIONS, C_EPOLL_NS };

static const struct px_metric el_counters[] = {
	[C_SWITCHES] = { "coroutine_switches", "switches", PX_AGG_SUM,
	                 "switches into and out of coroutines" },
	[C_PEAK] = { "peak_in_flight", "tasks", PX_AGG_MAX,
	             "most tasks in flight at once" },
	[C_ITERATIONS] = { "loop_iterations", "iterations", PX_AGG_SUM,
	                   "turns of the event loop" },
	[C_EPOLL_NS] = { "epoll_wait_ns", "ns", PX_AGG_SUM,
	                 "time the loop spent blocked in epoll_wait" },
	PX_METRIC_END
};

struct coro;

/* A lock of coroutines: one thread, so no atomics, just a wait queue. */
struct el_lock {
	bool locked;
	struct coro *head, *tail;
};

struct coro {
	ucontext_t ctx;
	void *stack;
	size_t stack_len;
	struct el *el;
	px_worker w;                /* this coroutine's copy of the worker */
	bool done;
	bool queued;
	struct coro *next;          /* in the ready queue or a lock's queue */
	int64_t deadline;           /* parked on a timer: when to wake */
	size_t heap_at;             /* index in the timer heap, or SIZE_MAX */
	int woke_by;                /* 1 fd ready, 0 timer */
	int64_t ticks;              /* ticks to the next yield */
};

struct el {
	px_run *run;
	const struct el_config *cfg;
	px_worker *w0;              /* the host's worker 0 */
	ucontext_t loop_ctx;
	int epfd;
	struct coro *coros;
	size_t n_coros;
	struct coro *ready_head, *ready_tail;
	struct coro **heap;         /* timers, a min-heap on deadline */
	size_t heap_n;
	struct coro *current;
	uint64_t next_task;
	int rc;
	uint64_t switches, iterations, in_flight, peak;
	int64_t epoll_ns;
	_Atomic uint32_t always;    /* breaker when yield_every > 0 */
};

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* The host's plain blocking calls (px_host.plain), for calls made
 * outside a coroutine (the control context); set by prepare. */
static const struct px_api *plain;

static int el_prepare(px_run *run)
{
	plain = run->host->plain;
	return 0;
}

static struct coro *coro_of(px_worker *w)
{
	return w->strategy_data;
}

/* ---- ready queue and timers --------------------------------------------- */

static void make_ready(struct el *el, struct coro *c)
{
	if (c->queued)
		return;
	c->queued = true;
	c->next = NULL;
	if (el->ready_tail)
		el->ready_tail->next = c;
	else
		el->ready_head = c;
	el->ready_tail = c;
}

static struct coro *pop_ready(struct el *el)
{
	struct coro *c = el->ready_head;

	if (c) {
		el->ready_head = c->next;
		if (!el->ready_head)
			el->ready_tail = NULL;
		c->queued = false;
	}
	return c;
}

static void heap_swap(struct el *el, size_t a, size_t b)
{
	struct coro *t = el->heap[a];

	el->heap[a] = el->heap[b];
	el->heap[b] = t;
	el->heap[a]->heap_at = a;
	el->heap[b]->heap_at = b;
}

static void heap_up(struct el *el, size_t i)
{
	while (i > 0 && el->heap[(i - 1) / 2]->deadline > el->heap[i]->deadline) {
		heap_swap(el, i, (i - 1) / 2);
		i = (i - 1) / 2;
	}
}

static void heap_down(struct el *el, size_t i)
{
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, m = i;
		if (l < el->heap_n && el->heap[l]->deadline < el->heap[m]->deadline)
			m = l;
		if (r < el->heap_n && el->heap[r]->deadline < el->heap[m]->deadline)
			m = r;
		if (m == i)
			return;
		heap_swap(el, i, m);
		i = m;
	}
}

static void timer_add(struct el *el, struct coro *c, int64_t deadline)
{
	c->deadline = deadline;
	c->heap_at = el->heap_n;
	el->heap[el->heap_n++] = c;
	heap_up(el, c->heap_at);
}

static void timer_remove(struct el *el, struct coro *c)
{
	size_t i = c->heap_at;

	if (i == SIZE_MAX)
		return;
	c->heap_at = SIZE_MAX;
	el->heap_n--;
	if (i == el->heap_n)
		return;
	el->heap[i] = el->heap[el->heap_n];
	el->heap[i]->heap_at = i;
	heap_down(el, i);
	heap_up(el, i);
}

/* Gives the thread back to the loop until something makes c ready. */
static void park(struct coro *c)
{
	c->el->switches++;
	swapcontext(&c->ctx, &c->el->loop_ctx);
}

/* ---- the workload-facing calls ------------------------------------------ */

static void el_tick(px_worker *w)
{
	struct coro *c = coro_of(w);

	if (!c || --c->ticks > 0)
		return;
	c->ticks = c->el->cfg->yield_every;
	make_ready(c->el, c);
	park(c);
}

static int el_sleep(px_worker *w, int64_t ns)
{
	struct coro *c = coro_of(w);

	if (!c)
		return plain->sleep(w, ns);
	timer_add(c->el, c, now_ns() + ns);
	park(c);
	return 0;
}

/* Parks c until fd is ready for `events` or timeout_ns passes (negative:
 * no timeout). Returns 1 when ready, 0 on timeout, or -errno. */
static int el_wait_fd(px_worker *w, int fd, short events, int64_t timeout_ns)
{
	struct coro *c = coro_of(w);
	struct epoll_event ev = { 0 };
	struct el *el;

	if (!c)
		return plain->wait_fd(w, fd, events, timeout_ns);
	el = c->el;
	ev.events = (events & POLLIN ? EPOLLIN : 0) |
	            (events & POLLOUT ? EPOLLOUT : 0) | EPOLLONESHOT;
	ev.data.ptr = c;
	if (epoll_ctl(el->epfd, EPOLL_CTL_ADD, fd, &ev) < 0)
		return -errno;
	if (timeout_ns >= 0)
		timer_add(el, c, now_ns() + timeout_ns);
	c->woke_by = 0;
	park(c);
	epoll_ctl(el->epfd, EPOLL_CTL_DEL, fd, NULL);
	timer_remove(el, c);
	return c->woke_by;
}

/* One read or write that parks the coroutine until the descriptor is
 * ready instead of blocking the thread. Sockets are tried without blocking
 * first; anything else is waited for, then read or written. */
static ssize_t el_io(px_worker *w, int fd, void *buf, size_t n, bool out)
{
	short want = out ? POLLOUT : POLLIN;

	for (;;) {
		ssize_t k = out ? send(fd, buf, n, MSG_DONTWAIT | MSG_NOSIGNAL)
		                : recv(fd, buf, n, MSG_DONTWAIT);
		int rc;
		if (k >= 0)
			return k;
		if (errno == EINTR)
			continue;
		if (errno == ENOTSOCK) {
			/* epoll refuses what is always ready, regular files and
			 * devices such as /dev/zero (EPERM): the call runs at
			 * once, blocking the loop as a file read blocks asyncio's. */
			if ((rc = el_wait_fd(w, fd, want, -1)) < 0 && rc != -EPERM)
				return rc;
			return out ? plain->write(w, fd, buf, n)
			           : plain->read(w, fd, buf, n);
		}
		if (errno != EAGAIN)
			return -errno;
		if ((rc = el_wait_fd(w, fd, want, -1)) < 0)
			return rc;
	}
}

static ssize_t el_read(px_worker *w, int fd, void *buf, size_t n)
{
	return el_io(w, fd, buf, n, false);
}

static ssize_t el_write(px_worker *w, int fd, const void *buf, size_t n)
{
	return el_io(w, fd, (void *)buf, n, true);
}

static px_lock *el_lock_new(px_worker *w)
{
	return w->api->shared_alloc(w, sizeof(struct el_lock));
}

static void el_lock(px_worker *w, px_lock *l)
{
	struct el_lock *k = (struct el_lock *)l;
	struct coro *c = coro_of(w);

	if (!k->locked || !c) {
		k->locked = true;
		return;
	}
	/* Queue up; unlock hands the lock over and makes this one ready. */
	c->next = NULL;
	if (k->tail)
		k->tail->next = c;
	else
		k->head = c;
	k->tail = c;
	park(c);
}

static void el_unlock(px_worker *w, px_lock *l)
{
	struct el_lock *k = (struct el_lock *)l;
	struct coro *next = k->head;

	if (!next) {
		k->locked = false;
		return;
	}
	k->head = next->next;
	if (!k->head)
		k->tail = NULL;
	make_ready(coro_of(w) ? coro_of(w)->el : next->el, next);
}

static int64_t el_atomic_add(px_worker *w, int64_t *p, int64_t v)
{
	int64_t old = *p;

	(void)w;
	*p = old + v;
	return old;
}

static const struct px_api el_api = {
	.abi_minor = PX_ABI_MINOR,
	.struct_size = sizeof(struct px_api),
	.tick = el_tick,
	.sleep = el_sleep,
	.wait_fd = el_wait_fd,
	.read = el_read,
	.write = el_write,
	.lock_new = el_lock_new,
	.lock = el_lock,
	.unlock = el_unlock,
	.atomic_add = el_atomic_add,
};

/* ---- coroutines and the loop --------------------------------------------- */

/* A coroutine's body: tasks one after another until none is left. The
 * context's argument is split in two ints, as makecontext wants. */
static void coro_main(unsigned int hi, unsigned int lo)
{
	struct coro *c = (struct coro *)(((uintptr_t)hi << 32) | lo);
	struct el *el = c->el;
	const struct px_host *h = el->run->host;

	while (el->rc == 0 && el->next_task < el->run->tasks) {
		uint64_t t = el->next_task++;
		int rc = h->run_task(&c->w, t);
		if (rc && !el->rc)
			el->rc = rc;
	}
	c->done = true;
	el->in_flight--;
	/* uc_link returns to the loop. */
}

static int coro_start(struct el *el, struct coro *c)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	uintptr_t self = (uintptr_t)c;

	c->el = el;
	c->heap_at = SIZE_MAX;
	c->ticks = el->cfg->yield_every;
	c->stack_len = ((size_t)el->cfg->stack_size + page - 1) / page * page + page;
	c->stack = mmap(NULL, c->stack_len, PROT_READ | PROT_WRITE,
	                MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
	if (c->stack == MAP_FAILED) {
		c->stack = NULL;
		return -errno;
	}
	/* A guard page below the stack turns an overflow into a crash. */
	mprotect(c->stack, page, PROT_NONE);
	/* Each coroutine runs as worker 0, with itself as strategy data. */
	c->w = *el->w0;
	c->w.strategy_data = c;
	if (el->cfg->yield_every > 0)
		c->w.breaker = &el->always;
	getcontext(&c->ctx);
	c->ctx.uc_stack.ss_sp = c->stack;
	c->ctx.uc_stack.ss_size = c->stack_len;
	c->ctx.uc_link = &el->loop_ctx;
	makecontext(&c->ctx, (void (*)(void))coro_main, 2,
	            (unsigned int)(self >> 32), (unsigned int)(self & 0xffffffffu));
	make_ready(el, c);
	if (++el->in_flight > el->peak)
		el->peak = el->in_flight;
	return 0;
}

/* Waits for descriptors until the next timer; wakes what became ready. */
static int poll_events(struct el *el)
{
	struct epoll_event evs[64];
	int64_t t0 = now_ns(), timeout = -1;
	int n;

	if (el->ready_head)
		timeout = 0;
	else if (el->heap_n)
		/* A timer already due (the loop ran late) means: look, do not
		 * wait; rounding a negative delay could give -1, forever. */
		timeout = el->heap[0]->deadline <= t0
		          ? 0 : (el->heap[0]->deadline - t0 + 999999) / 1000000;
	n = epoll_wait(el->epfd, evs, 64, timeout < 0 ? -1 : (int)timeout);
	el->epoll_ns += now_ns() - t0;
	if (n < 0 && errno != EINTR)
		return -errno;
	for (int i = 0; i < n; i++) {
		struct coro *c = evs[i].data.ptr;
		c->woke_by = 1;
		make_ready(el, c);
	}
	for (int64_t now = now_ns(); el->heap_n && el->heap[0]->deadline <= now;) {
		struct coro *c = el->heap[0];
		timer_remove(el, c);
		make_ready(el, c);
	}
	return 0;
}

static int loop(struct el *el)
{
	size_t started = 0;
	int rc = 0;

	while (!rc) {
		struct coro *c;
		/* Start coroutines up to max_in_flight while tasks remain. */
		while (started < el->n_coros && el->next_task < el->run->tasks &&
		       el->in_flight < (uint64_t)el->cfg->max_in_flight) {
			rc = coro_start(el, &el->coros[started++]);
			if (rc)
				break;
			/* Each started coroutine takes a task before the next
			 * starts, so none starts with nothing to do. */
			c = pop_ready(el);
			el->current = c;
			el->switches++;
			swapcontext(&el->loop_ctx, &c->ctx);
		}
		if (rc)
			break;
		el->iterations++;
		/* One turn runs what was ready when it began: a coroutine that
		 * yields goes back to the end of the queue and waits for the
		 * next turn, after the loop has looked at timers and epoll. */
		for (struct coro *last = el->ready_tail; last && (c = pop_ready(el));) {
			el->current = c;
			el->switches++;
			swapcontext(&el->loop_ctx, &c->ctx);
			if (c == last)
				break;
		}
		if (el->in_flight == 0 && el->next_task >= el->run->tasks)
			break;
		if (el->in_flight == 0)
			continue;
		rc = poll_events(el);
	}
	return rc ? rc : el->rc;
}

static int el_execute(px_run *run)
{
	const struct el_config *cfg = run->config;
	const struct px_host *h = run->host;
	struct el el = { .run = run, .cfg = cfg, .epfd = -1 };
	uint64_t n = (uint64_t)cfg->max_in_flight < run->tasks
	             ? (uint64_t)cfg->max_in_flight : run->tasks;
	int rc;

	atomic_init(&el.always, 1);
	el.w0 = h->worker(run, 0);
	el.coros = calloc(n, sizeof(*el.coros));
	el.heap = calloc(n, sizeof(*el.heap));
	el.n_coros = n;
	el.epfd = epoll_create1(EPOLL_CLOEXEC);
	if (!el.coros || !el.heap || el.epfd < 0) {
		rc = el.epfd < 0 ? -errno : -ENOMEM;
		goto out;
	}
	rc = h->worker_begin(el.w0);
	if (rc == 0)
		rc = loop(&el);
	h->worker_end(el.w0);
	h->counter_add(el.w0, C_SWITCHES, (double)el.switches);
	h->counter_add(el.w0, C_PEAK, (double)el.peak);
	h->counter_add(el.w0, C_ITERATIONS, (double)el.iterations);
	h->counter_add(el.w0, C_EPOLL_NS, (double)el.epoll_ns);
	if (rc == -ENOMEM || rc == -EAGAIN)
		h->fail(run, "event-loop: cannot map a %lld-byte stack for coroutine %llu: %s",
		        (long long)cfg->stack_size, (unsigned long long)el.peak + 1,
		        strerror(-rc));
out:
	for (size_t i = 0; i < n; i++)
		if (el.coros && el.coros[i].stack)
			munmap(el.coros[i].stack, el.coros[i].stack_len);
	if (el.epfd >= 0)
		close(el.epfd);
	free(el.coros);
	free(el.heap);
	return rc;
}

static const struct px_strategy_ops el_ops = {
	.max_workers = 1,
	.prepare = el_prepare,
	.execute = el_execute,
	.api = &el_api,
};

static const struct px_plugin el_plugin = {
	PX_DESCRIPTOR_HEADER,
	.kind = PX_KIND_STRATEGY,
	.name = "event-loop",
	.summary = "one thread, many coroutines, epoll: concurrency without parallelism",
	.doc = "Runs up to `max_in_flight` tasks at once as coroutines on one thread\n"
	       "(one worker, like serial). A blocking call parks the coroutine and\n"
	       "returns to the loop, which waits in epoll_wait for descriptors and\n"
	       "timers. CPU-bound code runs without interruption unless yield_every\n"
	       "makes every Nth tick yield. Overlaps waits, never computation.",
	.params = el_params,
	.config_size = sizeof(struct el_config),
	.metrics = el_counters,
	.strategy = &el_ops,
};

PX_PLUGIN(el_plugin)
