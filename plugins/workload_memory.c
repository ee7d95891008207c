/* workload_memory.c: tasks that stream over, or randomly touch, one array
 * of `bytes` bytes made in setup, reading it or writing it, so that an
 * experiment can ask what data size does to a strategy: fork-pool's
 * workers read the parent's pages until they write them (copy-on-write,
 * private), shm-pool's and threads' workers share one array, and every
 * worker competes for the same memory bandwidth.
 *
 * The array holds 64-bit words, word i = value(i). Task t owns slice t of
 * `tasks` equal slices and touches slice-length words `passes` times:
 * in order (stream) or at indices drawn from its own generator (random).
 * A read adds the word, less its mark bit, to the task's checksum; a write
 * also stores the word back with the mark bit set. The checksum is then
 * the same whatever was written before, and verify recomputes it from
 * value() and the generator alone, never from the array. Verify also
 * counts the marked words the parent sees (`words_changed`): 0 after
 * fork-pool, every touched word after shm-pool or threads. */
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdlib.h>

#include <parlab/plugin.h>

#include "support/lcg.h"

struct mem_config {
	int64_t bytes;
	int64_t tasks;
	int64_t access;
	int64_t pattern;
	int64_t passes;
};

static const char *const mem_access[] = { "read", "write", NULL };
static const char *const mem_pattern[] = { "stream", "random", NULL };
enum { ACCESS_READ, ACCESS_WRITE };
enum { PATTERN_STREAM, PATTERN_RANDOM };

static const struct px_param mem_params[] = {
	{ "bytes", PX_SIZE, offsetof(struct mem_config, bytes), "64MiB", 4096,
	  68719476736.0, "size of the shared array (8-byte words)", NULL },
	{ "tasks", PX_INT, offsetof(struct mem_config, tasks), "8", 1, 1e6,
	  "tasks; task t touches slice t of `tasks` equal slices", NULL },
	{ "access", PX_ENUM, offsetof(struct mem_config, access), "read", 0, 0,
	  "read: load words; write: load and store each word back, marked",
	  mem_access },
	{ "pattern", PX_ENUM, offsetof(struct mem_config, pattern), "stream",
	  0, 0, "stream: in order; random: at random indices of the slice",
	  mem_pattern },
	{ "passes", PX_INT, offsetof(struct mem_config, passes), "1", 1, 1e6,
	  "touches per task = passes x words in its slice", NULL },
	PX_PARAM_END
};

enum { M_BYTES, M_GBPS, M_CHANGED };

static const struct px_metric mem_metrics[] = {
	[M_BYTES] = { "bytes_touched", "bytes", PX_AGG_LAST,
	              "bytes the tasks read or wrote: 8 x touches" },
	[M_GBPS] = { "gb_per_s", "GB/s", PX_AGG_LAST,
	             "bytes_touched / the time from the end of setup to the "
	             "end of the last task (about wall_s), in 1e9 bytes/s" },
	[M_CHANGED] = { "words_changed", "words", PX_AGG_LAST,
	                "marked words the parent's array holds after the run: "
	                "0 when writes stayed private (fork-pool)" },
	PX_METRIC_END
};

#define MARK (1ULL << 63)

struct mem_state {
	uint64_t *a;
	uint64_t words;
	int64_t t_ready;     /* now_ns at the end of setup */
	uint64_t sum;        /* the tasks' checksums, added in combine */
};

/* The value word i starts with (mark bit clear). */
static inline uint64_t value(uint64_t i)
{
	return (i * 0x9E3779B97F4A7C15ULL) >> 1;
}

/* The first word of task t's slice; the slice ends at slice_lo(t + 1). */
static uint64_t slice_lo(uint64_t words, uint64_t tasks, uint64_t t)
{
	return (uint64_t)((unsigned __int128)words * t / tasks);
}

static int64_t mem_setup(px_worker *ctl)
{
	const struct mem_config *c = ctl->wl_config;
	struct mem_state *st = ctl->api->shared_alloc(ctl, sizeof(*st));
	uint64_t words = (uint64_t)c->bytes / 8;

	if (!st || (uint64_t)c->tasks > words)
		return st ? -EINVAL : -ENOMEM;
	st->a = ctl->api->shared_alloc(ctl, words * 8);
	if (!st->a)
		return -ENOMEM;
	st->words = words;
	for (uint64_t i = 0; i < words; i++)
		st->a[i] = value(i);
	ctl->wl_state = st;
	st->t_ready = ctl->api->now_ns(ctl);
	return c->tasks;
}

/* The index of touch k of a slice [lo, lo + len): in order, or drawn. */
static inline uint64_t touch_index(bool random, uint64_t *x, uint64_t lo,
                                   uint64_t len, uint64_t k)
{
	if (!random)
		return lo + k % len;
	*x = *x * LCG_A + LCG_C;
	return lo + (*x >> 16) % len;
}

static int mem_run_task(px_worker *w, uint64_t task, void *result)
{
	const struct mem_config *c = w->wl_config;
	struct mem_state *st = w->wl_state;
	uint64_t lo = slice_lo(st->words, (uint64_t)c->tasks, task);
	uint64_t len = slice_lo(st->words, (uint64_t)c->tasks, task + 1) - lo;
	uint64_t n = len * (uint64_t)c->passes, x = lcg_seed(task), sum = 0;
	bool random = c->pattern == PATTERN_RANDOM;
	bool write = c->access == ACCESS_WRITE;

	for (uint64_t k = 0; k < n; k++) {
		uint64_t i = touch_index(random, &x, lo, len, k);
		uint64_t v = st->a[i];
		sum += v & ~MARK;
		if (write)
			st->a[i] = v | MARK;
		if ((k & 4095) == 4095)
			px_tick(w);  /* a safe point every 32 KiB touched */
	}
	*(uint64_t *)result = sum;
	return 0;
}

static void mem_combine(px_worker *ctl, const void *results, uint64_t n)
{
	const struct mem_config *c = ctl->wl_config;
	struct mem_state *st = ctl->wl_state;
	const uint64_t *sums = results;
	double secs = (double)(ctl->api->now_ns(ctl) - st->t_ready) / 1e9;
	double bytes = 8.0 * (double)st->words * (double)c->passes;

	st->sum = 0;
	for (uint64_t t = 0; t < n; t++)
		st->sum += sums[t];
	ctl->api->metric_record(ctl, M_BYTES, bytes);
	ctl->api->metric_record(ctl, M_GBPS, secs > 0 ? bytes / secs / 1e9 : 0);
}

/* The checksum every task should have returned, from value() and the
 * generator, without reading the array. */
static uint64_t expected_sum(const struct mem_config *c, uint64_t words)
{
	uint64_t sum = 0;

	for (uint64_t t = 0; t < (uint64_t)c->tasks; t++) {
		uint64_t lo = slice_lo(words, (uint64_t)c->tasks, t);
		uint64_t len = slice_lo(words, (uint64_t)c->tasks, t + 1) - lo;
		uint64_t n = len * (uint64_t)c->passes, x = lcg_seed(t);
		for (uint64_t k = 0; k < n; k++)
			sum += value(touch_index(c->pattern == PATTERN_RANDOM,
			                         &x, lo, len, k));
	}
	return sum;
}

/* The checksum is right, and every word of the parent's array is its
 * value, marked or not: anything else is a torn or stray write. */
static int mem_verify(px_worker *ctl)
{
	const struct mem_config *c = ctl->wl_config;
	const struct mem_state *st = ctl->wl_state;
	uint64_t want = expected_sum(c, st->words), changed = 0;

	for (uint64_t i = 0; i < st->words; i++) {
		uint64_t v = st->a[i];
		if ((v & ~MARK) != value(i) ||
		    (v & MARK && c->access == ACCESS_READ)) {
			ctl->api->log(ctl, PX_LOG_ERROR, "word %" PRIu64
			              " holds %#" PRIx64 ", not %#" PRIx64, i, v,
			              value(i));
			return 1;
		}
		changed += (v & MARK) != 0;
	}
	ctl->api->metric_record(ctl, M_CHANGED, (double)changed);
	if (st->sum == want)
		return 0;
	ctl->api->log(ctl, PX_LOG_ERROR, "checksum %#" PRIx64 ", expected %#"
	              PRIx64, st->sum, want);
	return 1;
}

static const struct px_workload_ops mem_ops = {
	.result_size = sizeof(uint64_t),
	.setup = mem_setup,
	.run_task = mem_run_task,
	.combine = mem_combine,
	.verify = mem_verify,
};

static const struct px_plugin mem_plugin = {
	PX_DESCRIPTOR_HEADER,
	.kind = PX_KIND_WORKLOAD,
	.name = "memory",
	.summary = "tasks stream over or randomly touch a shared array of `bytes`",
	.doc = "Setup fills an array of `bytes` bytes (8-byte words) through the\n"
	       "strategy's shared memory: one array every worker shares under\n"
	       "threads and shm-pool, a copy-on-write copy per worker under\n"
	       "fork-pool. Task t touches slice t of `tasks` equal slices,\n"
	       "passes x its length times, in order (pattern stream) or at random\n"
	       "indices (pattern random); access read loads each word, access\n"
	       "write also stores it back with its top bit set, so that fork-pool\n"
	       "copies every page it writes. Each task returns a checksum of what\n"
	       "it read, which verify recomputes without the array; words_changed\n"
	       "counts the marked words the parent sees (0 after fork-pool, every\n"
	       "touched word after shm-pool or threads). gb_per_s shows where\n"
	       "memory bandwidth stops the speedup.",
	.params = mem_params,
	.config_size = sizeof(struct mem_config),
	.metrics = mem_metrics,
	.workload = &mem_ops,
};

PX_PLUGIN(mem_plugin)
