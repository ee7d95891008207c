/* workload_convoy.c: the convoy effect. IO tasks make many short blocking
 * round trips while one CPU-bound task runs beside them; under a GIL each
 * IO call gives the lock away and may wait a whole switch interval to get
 * it back, so IO latency grows by orders of magnitude.
 *
 * Tasks 0 .. io_tasks-1 do IO; the last task computes until every IO task
 * has finished (or cpu_max passes). Run serially, the IO tasks come first
 * and the CPU task then has nothing to wait for: that is IO "alone".
 *
 * When there are workers enough for the CPU task to run beside the IO
 * tasks, each IO task first waits (in a blocking call, up to
 * start_timeout) until the CPU task has begun: under a GIL the CPU task
 * then holds the lock when the IO starts, and the convoy is what is
 * measured rather than a race between thread starts. cpu_beside records
 * whether it did (1) or the wait ran out (0); cpu_timed_out whether the
 * CPU task stopped at cpu_max rather than when the IO was done.
 *
 * Whether a round trip waits for the lock depends on where the threads
 * and the echo process run (on one core the woken CPU thread cannot
 * preempt the IO thread; on two it races it), so a comparison pins all
 * three: `pinning` places the workers, echo_cpu the echo process.
 *
 * A one-byte ready read gives the lock away for under a microsecond, about
 * as long as a thread woken on another core takes to come for it, so on two
 * cores whether it waits is a race whose odds move with the machine. A bulk
 * read (bulk_bytes from /dev/zero, ready at once) gives it away for tens of
 * microseconds: the woken thread always takes the lock inside it, and every
 * read waits for the lock to come back, the convoy without the race.
 *
 * settle: each IO task sleeps (a blocking call) before its first measured
 * operation. Under gil-threads' start: python the main thread takes the
 * GIL back once on its way to join; with one worker that happens at the
 * reader's first release, and that read would wait for it.
 *
 * slow_above: beside a CPU-bound thread an operation either gets the lock
 * back at once or waits about a switch interval for it, so the mean
 * latency is how often it waited times how long. io_slow counts the
 * operations that took slow_above or longer and io_slow_latency times
 * them, so a comparison can tell the two apart: on two cores how often is
 * the race above, how long is the convoy. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <sched.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <parlab/plugin.h>

#include "support/lcg.h"
#include "support/sockets.h"

struct convoy_config {
	int64_t io_tasks;
	int64_t round_trips;
	int64_t io;
	int64_t cpu_max;
	int64_t work_per_step;
	int64_t start_timeout;
	int64_t echo_cpu;
	int64_t bulk_bytes;
	int64_t settle;
	int64_t slow_above;
};

static const char *const convoy_io[] = { "echo", "ready", "bulk", NULL };
enum { IO_ECHO, IO_READY, IO_BULK };

static const struct px_param convoy_params[] = {
	{ "io_tasks", PX_INT, offsetof(struct convoy_config, io_tasks), "1", 1,
	  1024, "tasks that do IO, beside one CPU-bound task", NULL },
	{ "round_trips", PX_INT, offsetof(struct convoy_config, round_trips),
	  "200", 1, 100000, "IO operations each IO task makes", NULL },
	{ "io", PX_ENUM, offsetof(struct convoy_config, io), "echo", 0, 0,
	  "echo: one-byte round trip to an echo process; ready: read one byte "
	  "that is already waiting; bulk: read bulk_bytes from /dev/zero "
	  "(ready at once; the convoy shows with the CPU task pinned to "
	  "another core)", convoy_io },
	{ "cpu_max", PX_DURATION, offsetof(struct convoy_config, cpu_max), "10s",
	  1e6, 600e9, "the CPU task stops after this long even if IO goes on",
	  NULL },
	{ "work_per_step", PX_INT, offsetof(struct convoy_config, work_per_step),
	  "18", 1, 1e6, "generator rounds per tick in the CPU task", NULL },
	{ "start_timeout", PX_DURATION,
	  offsetof(struct convoy_config, start_timeout), "10s", 0, 600e9,
	  "with workers for both, how long IO waits for the CPU task to begin",
	  NULL },
	{ "echo_cpu", PX_INT, offsetof(struct convoy_config, echo_cpu), "-1", -1,
	  CPU_SETSIZE - 1, "io: echo: the OS CPU number (as taskset's) the echo "
	  "process is pinned to; -1 leaves it to the kernel", NULL },
	{ "settle", PX_DURATION, offsetof(struct convoy_config, settle), "0ns",
	  0, 10e9, "a blocking sleep each IO task takes before its first "
	  "measured operation: what the starting thread still does with the "
	  "lock (under gil-threads' start: python the main thread takes it "
	  "back once on its way to join) then falls outside the measurement",
	  NULL },
	{ "slow_above", PX_DURATION, offsetof(struct convoy_config, slow_above),
	  "100us", 0, 600e9, "an IO operation that takes this long or longer "
	  "counts in io_slow and io_slow_latency: beside a GIL whose switch "
	  "interval is well above it (500us, 5ms) such an operation waited "
	  "for the lock, and one well below it did not", NULL },
	{ "bulk_bytes", PX_SIZE, offsetof(struct convoy_config, bulk_bytes),
	  "1MiB", 1, 64 << 20, "io: bulk: bytes each read takes from /dev/zero "
	  "(ready at once, long enough that a thread woken on another core "
	  "takes the lock inside it)", NULL },
	PX_PARAM_END
};

enum { M_LATENCY, M_CPU_STEPS, M_BESIDE, M_CPU_TIMED_OUT, M_SLOW,
       M_SLOW_LATENCY, M_CPU_NS, M_SLOW_AGAIN };

static const struct px_metric convoy_metrics[] = {
	[M_LATENCY] = { "io_latency", "ns", PX_AGG_SAMPLES,
	                "time of one IO operation, GIL waits included" },
	[M_CPU_STEPS] = { "cpu_steps", "steps", PX_AGG_SUM,
	                  "steps the CPU task made, from its start until the IO "
	                  "was done (or cpu_max)" },
	[M_BESIDE] = { "cpu_beside", "flag", PX_AGG_MIN,
	               "1 if the CPU task was running when every IO task began "
	               "(workers for both), else 0" },
	[M_CPU_TIMED_OUT] = { "cpu_timed_out", "flag", PX_AGG_MAX,
	                      "1 if the CPU task stopped at cpu_max, 0 if the IO "
	                      "finished first" },
	[M_SLOW] = { "io_slow", "ops", PX_AGG_SUM,
	             "IO operations that took slow_above or longer" },
	[M_SLOW_LATENCY] = { "io_slow_latency", "ns", PX_AGG_SAMPLES,
	                     "time of one IO operation that took slow_above or "
	                     "longer" },
	[M_CPU_NS] = { "cpu_ns", "ns", PX_AGG_SUM,
	               "how long the CPU task ran, over the same stretch as "
	               "cpu_steps: over cpu_steps, a step's time, GIL waits "
	               "and releases included; under gil-threads mode: legacy, "
	               "cpu_ns x check_interval / cpu_steps is how often it "
	               "released the lock" },
	[M_SLOW_AGAIN] = { "io_slow_again", "ops", PX_AGG_SUM,
	                   "IO operations that took slow_above or longer right "
	                   "after one that did (beside a GIL: the lock lost "
	                   "again at the first operation after getting it back)" },
	PX_METRIC_END
};

struct convoy_state {
	struct socket_set sockets;
	int started[2];        /* the CPU task writes a byte when it begins */
	int zero;              /* io: bulk: /dev/zero, shared by the IO tasks */
	int64_t io_left;       /* IO tasks not finished yet */
	uint64_t answered;
};

/* ready: fill each IO task's socket with every byte it will read. */
static int prefill(struct convoy_state *st, int64_t bytes)
{
	unsigned char buf[4096] = { 0 };

	for (size_t i = 0; i < st->sockets.n; i++) {
		int64_t left = bytes;
		int one = 1 << 20;
		setsockopt(st->sockets.peer[i], SOL_SOCKET, SO_SNDBUF, &one,
		           sizeof(one));
		fcntl(st->sockets.peer[i], F_SETFL, O_NONBLOCK);
		while (left > 0) {
			ssize_t n = write(st->sockets.peer[i], buf,
			                  left < 4096 ? (size_t)left : 4096);
			if (n <= 0)
				return n < 0 && errno == EAGAIN ? -ENOBUFS : -errno;
			left -= n;
		}
	}
	return 0;
}

/* -1 (unpinned) or a CPU in this process's affinity set. */
static bool cpu_allowed(int64_t cpu)
{
	cpu_set_t set;

	if (cpu < 0)
		return true;
	return sched_getaffinity(0, sizeof(set), &set) == 0 &&
	       CPU_ISSET((int)cpu, &set);
}

static int64_t convoy_setup(px_worker *ctl)
{
	const struct convoy_config *c = ctl->wl_config;
	struct convoy_state *st = ctl->api->shared_alloc(ctl, sizeof(*st));
	int rc;

	if (!st)
		return -ENOMEM;
	ctl->wl_state = st;
	st->zero = -1;
	st->io_left = c->io_tasks;
	if (pipe2(st->started, O_CLOEXEC) < 0) {
		st->started[0] = st->started[1] = -1;
		return -errno;
	}
	if (c->io == IO_BULK) {
		st->zero = open("/dev/zero", O_RDONLY | O_CLOEXEC);
		return st->zero < 0 ? -errno : c->io_tasks + 1;
	}
	rc = sockets_open(&st->sockets, (size_t)c->io_tasks);
	if (rc == 0 && c->io == IO_ECHO && !cpu_allowed(c->echo_cpu)) {
		ctl->api->log(ctl, PX_LOG_ERROR, "echo_cpu: CPU %" PRId64 " is not "
		              "one this process may run on", c->echo_cpu);
		return -EINVAL;
	}
	if (rc == 0)
		rc = c->io == IO_ECHO
		     ? sockets_start_echo(&st->sockets, 0, (int)c->echo_cpu)
		     : prefill(st, c->round_trips);
	if (rc == -ENOBUFS)
		ctl->api->log(ctl, PX_LOG_ERROR,
		              "io: ready needs %" PRId64 " bytes waiting per socket; "
		              "the socket buffer is smaller: lower round_trips",
		              c->round_trips);
	return rc ? rc : c->io_tasks + 1;
}

/* With a worker for every IO task and one for the CPU task, waits until
 * the CPU task has begun; records whether it had. */
static int wait_for_cpu(px_worker *w, const struct convoy_config *c,
                        struct convoy_state *st)
{
	int rc = 0;

	if (w->workers > (uint32_t)c->io_tasks)
		rc = w->api->wait_fd(w, st->started[0], POLLIN, c->start_timeout);
	w->api->metric_record(w, M_BESIDE, rc > 0 ? 1 : 0);
	return rc < 0 ? rc : 0;
}

/* An IO task's slow operations: how many, how many of them came right
 * after another, and whether the last one was slow. */
struct slow_ops {
	int64_t n, again;
	bool last;
};

/* Records one IO operation's time, begun at t0, and counts it in slow
 * when it took slow_above or longer. */
static void record_io(px_worker *w, const struct convoy_config *c,
                      int64_t t0, struct slow_ops *slow)
{
	int64_t ns = w->api->now_ns(w) - t0;
	bool is_slow = ns >= c->slow_above;

	w->api->metric_record(w, M_LATENCY, (double)ns);
	if (is_slow) {
		w->api->metric_record(w, M_SLOW_LATENCY, (double)ns);
		slow->n++;
		slow->again += slow->last;
	}
	slow->last = is_slow;
}

/* io: bulk: round_trips reads of bulk_bytes into a buffer touched
 * beforehand, so that no read pays for the first use of its pages. */
static int bulk_task(px_worker *w, const struct convoy_config *c,
                     struct convoy_state *st, uint64_t *right,
                     struct slow_ops *slow)
{
	size_t size = (size_t)c->bulk_bytes;
	unsigned char *buf = malloc(size);
	int rc = buf ? 0 : -ENOMEM;

	if (buf)
		memset(buf, 1, size);
	for (int64_t r = 0; rc == 0 && r < c->round_trips; r++) {
		int64_t t0 = w->api->now_ns(w);
		ssize_t n = w->api->read(w, st->zero, buf, size);
		if (n != (ssize_t)size) {
			rc = n < 0 ? (int)n : -EIO;
			break;
		}
		record_io(w, c, t0, slow);
		*right += buf[0] == 0 && buf[size - 1] == 0;
	}
	free(buf);
	return rc;
}

/* io: echo or ready: round_trips one-byte operations on the task's socket. */
static int small_io_task(px_worker *w, const struct convoy_config *c, int fd,
                         uint64_t *right, struct slow_ops *slow)
{
	for (int64_t r = 0; r < c->round_trips; r++) {
		unsigned char out = (unsigned char)r, in = 0;
		int64_t t0 = w->api->now_ns(w);
		ssize_t n = 1;
		if (c->io == IO_ECHO)
			n = w->api->write(w, fd, &out, 1);
		if (n == 1)
			n = w->api->read(w, fd, &in, 1);
		if (n != 1)
			return n < 0 ? (int)n : -EPIPE;
		record_io(w, c, t0, slow);
		*right += c->io == IO_READY || in == (unsigned char)(out + 1);
	}
	return 0;
}

static int io_task(px_worker *w, const struct convoy_config *c,
                   struct convoy_state *st, uint64_t task, uint64_t *right)
{
	int fd = st->sockets.mine ? st->sockets.mine[task] : -1;
	int rc = wait_for_cpu(w, c, st);
	struct slow_ops slow = { 0 };

	if (rc == 0 && c->settle > 0)
		rc = w->api->sleep(w, c->settle);

	if (rc == 0)
		rc = c->io == IO_BULK ? bulk_task(w, c, st, right, &slow)
		                      : small_io_task(w, c, fd, right, &slow);
	w->api->metric_record(w, M_SLOW, (double)slow.n);
	w->api->metric_record(w, M_SLOW_AGAIN, (double)slow.again);
	/* Finished or failed, the CPU task no longer waits for it. */
	w->api->atomic_add(w, &st->io_left, -1);
	return rc;
}

static void cpu_task(px_worker *w, const struct convoy_config *c,
                     struct convoy_state *st, uint64_t *steps)
{
	int64_t start = w->api->now_ns(w);
	uint64_t x = lcg_seed(0);
	bool timed_out = false;

	/* The byte stays in the pipe: every IO task, late ones too, sees it. */
	if (write(st->started[1], "c", 1) != 1)
		w->api->log(w, PX_LOG_WARN, "cannot signal the CPU task's start");
	while (__atomic_load_n(&st->io_left, __ATOMIC_RELAXED) > 0) {
		for (int k = 0; k < 1024; k++) {
			LCG_ROUNDS(x, c->work_per_step);
			px_tick(w);
		}
		*steps += 1024;
		if (w->api->now_ns(w) - start > c->cpu_max) {
			timed_out = true;
			break;
		}
	}
	lcg_keep(x);
	w->api->metric_record(w, M_CPU_NS, (double)(w->api->now_ns(w) - start));
	w->api->metric_record(w, M_CPU_TIMED_OUT, timed_out);
}

static int convoy_run_task(px_worker *w, uint64_t task, void *result)
{
	const struct convoy_config *c = w->wl_config;
	struct convoy_state *st = w->wl_state;
	uint64_t *out = result;

	*out = 0;
	if (task < (uint64_t)c->io_tasks)
		return io_task(w, c, st, task, out);
	cpu_task(w, c, st, out);
	w->api->metric_record(w, M_CPU_STEPS, (double)*out);
	return 0;
}

static void convoy_combine(px_worker *ctl, const void *results, uint64_t n)
{
	struct convoy_state *st = ctl->wl_state;
	const uint64_t *r = results;

	st->answered = 0;
	for (uint64_t i = 0; i + 1 < n; i++)
		st->answered += r[i];
}

static int convoy_verify(px_worker *ctl)
{
	const struct convoy_config *c = ctl->wl_config;
	const struct convoy_state *st = ctl->wl_state;
	uint64_t want = (uint64_t)(c->io_tasks * c->round_trips);

	if (st->answered == want)
		return 0;
	ctl->api->log(ctl, PX_LOG_ERROR, "%" PRIu64 " right answers, expected %"
	              PRIu64, st->answered, want);
	return 1;
}

static void convoy_teardown(px_worker *ctl)
{
	struct convoy_state *st = ctl->wl_state;

	if (!st)
		return;
	sockets_close(&st->sockets);
	if (st->zero >= 0)
		close(st->zero);
	if (st->started[0] >= 0) {
		close(st->started[0]);
		close(st->started[1]);
	}
}

static const struct px_workload_ops convoy_ops = {
	.result_size = sizeof(uint64_t),
	.setup = convoy_setup,
	.run_task = convoy_run_task,
	.combine = convoy_combine,
	.verify = convoy_verify,
	.teardown = convoy_teardown,
};

static const struct px_plugin convoy_plugin = {
	PX_DESCRIPTOR_HEADER,
	.kind = PX_KIND_WORKLOAD,
	.name = "convoy",
	.summary = "IO round trips beside one CPU-bound task (the convoy effect)",
	.doc = "io_tasks tasks make round_trips short IO operations each (echo: a\n"
	       "one-byte round trip to an echo process; ready: reading a byte that\n"
	       "is already there; bulk: reading bulk_bytes from /dev/zero, which\n"
	       "shows the convoy when the CPU task is pinned to another core)\n"
	       "while the last task computes until they finish.\n"
	       "Compare p50(io_latency, ...) under serial (IO alone) and under\n"
	       "gil-threads with 2 workers (IO beside the CPU task). With workers\n"
	       "for both, IO starts only once the CPU task has begun (cpu_beside\n"
	       "says whether it had), so the CPU task holds a GIL from the start.\n"
	       "settle sleeps before the first measured operation, so that what\n"
	       "the starting thread still does with the lock is not measured.\n"
	       "io_slow counts the operations that took slow_above or longer\n"
	       "(beside a GIL: those that waited for the lock), io_slow_latency\n"
	       "times them: a mean that mixes waits and no waits splits into how\n"
	       "often an operation waited and how long; io_slow_again counts the\n"
	       "slow ones right after a slow one (the lock lost again at once).",
	.params = convoy_params,
	.config_size = sizeof(struct convoy_config),
	.metrics = convoy_metrics,
	.workload = &convoy_ops,
};

PX_PLUGIN(convoy_plugin)
