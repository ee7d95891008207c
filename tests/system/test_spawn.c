/* test_spawn.c: how the thread strategies make threads: thousands of them
 * with small stacks, a thread per task with at most N alive, and a clear
 * error naming the limits when the system refuses one. */
#include <sys/resource.h>

#include "helpers.h"

static const char *const strategies[] = { "free-threads", "gil-threads" };

static void test_thousands_of_threads(void)
{
	for (size_t s = 0; s < PX_ARRAY_LEN(strategies); s++) {
		/* 2,000 threads wait for each other in a blocking call: all
		 * of them alive and waiting at once, however long starting
		 * them takes on a busy machine or under a sanitizer. */
		int n = PX_TEST_MANY_THREADS;
		char *meet = px__xasprintf("{name: rendezvous, params: {tasks: %d}}", n);
		CHECK_NEAR(px_test_value(meet, strategies[s], n, "peak_threads"), n, 0);
		CHECK_NEAR(px_test_value(meet, strategies[s], n, "max_waiting"), n, 0);
		free(meet);
		CHECK_NEAR(px_test_value("{name: noop, params: {tasks: 10}}",
		                         strategies[s], 100, "thread_stack_bytes"),
		           100 * 262144.0, 0);
	}
}

static void test_thread_per_task(void)
{
	const char *sleep = "{name: io-sleep, params: {tasks: 100, sleep: 1ms}}";
	/* The first 8 tasks wait for each other: 8 threads at once. */
	const char *meet = "{name: rendezvous, params: {tasks: 100, parties: 8}}";

	for (size_t s = 0; s < PX_ARRAY_LEN(strategies); s++) {
		char *st = px__xasprintf("{name: %s, params: {spawn: per-task}}",
		                         strategies[s]);
		/* Every task ran (verify), never more than 8 threads at once. */
		CU_ASSERT(px_test_value(sleep, st, 8, "peak_threads") <= 8);
		CU_ASSERT(px_test_value(meet, st, 8, "peak_threads") <= 8);
		CHECK_NEAR(px_test_value(meet, st, 8, "max_waiting"), 8, 0);
		CHECK_NEAR(px_test_value("{name: race-counter, params: {mode: atomic, tasks: 50, increments: 1000}}",
		                         st, 4, "lost_updates"), 0, 0);
		free(st);
	}
}

static void test_refused_thread_is_explained(void)
{
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
	/* The sanitizers reserve terabytes of address space; an address
	 * space limit cannot be tested under them. */
	return;
#else
	struct rlimit old, low = { 1ull << 31, 1ull << 31 };
	char msg[1024];
	int st;

	getrlimit(RLIMIT_AS, &old);
	low.rlim_max = old.rlim_max;
	setrlimit(RLIMIT_AS, &low);
	/* 64 threads of 256MiB stacks cannot fit in 2GiB of address space. */
	st = px_test_run_trial("experiment: t\nworkload: {name: noop, params: {tasks: 64}}\n"
	                       "strategies: [{name: free-threads, params: {stack_size: 256MiB}}]\n"
	                       "workers: [64]\n", PX_TEST_TIMEOUT_NS, NULL, NULL,
	                       msg, sizeof(msg));
	setrlimit(RLIMIT_AS, &old);
	CHECK_INT(st, RUN_ERROR);
	CHECK_CONTAINS(msg, "cannot create thread");
	CHECK_CONTAINS(msg, "of 64");
	CHECK_CONTAINS(msg, "RLIMIT_NPROC");
	CHECK_CONTAINS(msg, "stacks of 268435456 bytes each");
#endif
}

TEST_MAIN("spawn", T(test_thousands_of_threads), T(test_thread_per_task),
          T(test_refused_thread_is_explained))
