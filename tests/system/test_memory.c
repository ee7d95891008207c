/* test_memory.c: the memory workload verifies its checksum under every
 * strategy, read and write, stream and random, on small arrays; writes
 * stay private to fork-pool's workers (the parent's array is unchanged)
 * and are seen by the parent after shm-pool and threads. No timing. */
#include "helpers.h"

static const char *const strategies[] = {
	"serial", "free-threads", "gil-threads", "fork-pool", "shm-pool",
	"event-loop",
};

static void test_verifies_everywhere(void)
{
	static const char *const workloads[] = {
		"{name: memory, params: {bytes: 64KiB, tasks: 4}}",
		"{name: memory, params: {bytes: 64KiB, tasks: 3, access: write}}",
		"{name: memory, params: {bytes: 96KiB, tasks: 5, pattern: random, passes: 2}}",
		"{name: memory, params: {bytes: 64KiB, tasks: 4, access: write, pattern: random}}",
	};

	for (size_t w = 0; w < PX_ARRAY_LEN(workloads); w++)
		for (size_t s = 0; s < PX_ARRAY_LEN(strategies); s++)
			CHECK_NEAR(px_test_value(workloads[w], strategies[s], 2,
			                         "bytes_touched"),
			           w == 2 ? 2 * 96 * 1024 : 64 * 1024, 0);
}

/* 64 KiB is 8192 words; every one of them is written by a stream. */
static void test_fork_pool_writes_stay_private(void)
{
	const char *wr = "{name: memory, params: {bytes: 64KiB, tasks: 4, access: write}}";

	CHECK_NEAR(px_test_value(wr, "fork-pool", 2, "words_changed"), 0, 0);
	CHECK_NEAR(px_test_value(wr, "{name: fork-pool, params: {spawn: per-task}}",
	                         2, "words_changed"), 0, 0);
}

static void test_shared_writes_are_seen(void)
{
	const char *wr = "{name: memory, params: {bytes: 64KiB, tasks: 4, access: write}}";
	const char *rd = "{name: memory, params: {bytes: 64KiB, tasks: 4}}";

	CHECK_NEAR(px_test_value(wr, "shm-pool", 2, "words_changed"), 8192, 0);
	CHECK_NEAR(px_test_value(wr, "free-threads", 2, "words_changed"), 8192, 0);
	CHECK_NEAR(px_test_value(wr, "serial", 1, "words_changed"), 8192, 0);
	CHECK_NEAR(px_test_value(rd, "shm-pool", 2, "words_changed"), 0, 0);
}

TEST_MAIN("memory", T(test_verifies_everywhere),
          T(test_fork_pool_writes_stay_private),
          T(test_shared_writes_are_seen))
