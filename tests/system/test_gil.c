/* test_gil.c: the gil-threads strategy behaves as CPython's lock does:
 * mutual exclusion, handover from a holder that never blocks, blocking
 * calls and native sections that let others run, the legacy mode's
 * counters, and lost updates under the unsafe increment only. The same
 * race checks run under free-threads. Workers start as Python's do (one at
 * a time, each start waiting for the new thread to run), and
 * call_overhead and switch_overhead are spent holding the lock. */
#include "helpers.h"

/* The value of `column` after `workload` ran under `strategy`. */
static double run_with(const char *workload, const char *strategy,
                       int workers, const char *column)
{
	return px_test_value(workload, strategy, workers, column);
}

static void test_mutual_exclusion(void)
{
	const char *probe = "{name: gil-probe, params: {tasks: 8, steps: 200_000}}";

	CHECK_NEAR(run_with(probe, "{name: gil-threads, params: {switch_interval: 100us}}",
	                    4, "max_inside"), 1, 0);
	CHECK_NEAR(run_with(probe, "{name: gil-threads, params: {mode: legacy, check_interval: 10}}",
	                    4, "max_inside"), 1, 0);
	/* The probe does see overlap where there is no lock: with meet, both
	 * wait inside for each other (on one core too, by turns). */
	CHECK_NEAR(run_with("{name: gil-probe, params: {tasks: 2, steps: 1000, meet: true}}",
	                    "free-threads", 2, "max_inside"), 2, 0);
}

static void test_native_sections_run_in_parallel(void)
{
	/* Inside a native section the GIL is released, so the second thread
	 * gets in while the first waits there for it. */
	CHECK_NEAR(run_with("{name: gil-probe, params: {tasks: 2, steps: 1000, native: true, meet: true}}",
	                    "gil-threads", 2, "max_inside"), 2, 0);
}

static void test_holder_hands_over(void)
{
	const char *cpu = "{name: cpu-count, params: {iterations: 20_000_000, tasks: 2}}";
	const char *gil = "{name: gil-threads, params: {switch_interval: 5ms}}";

	/* Two threads that never block still take turns: a waiter asks, the
	 * holder drops at its next tick. How long turns last is a timing
	 * claim, checked by experiments/claims/02-gil-fairness.yaml. */
	CU_ASSERT(run_with(cpu, gil, 2, "gil_switches") >= 10);
	CU_ASSERT(run_with(cpu, gil, 2, "gil_forced_drops") >= 5);
	CU_ASSERT(run_with(cpu, gil, 2, "gil_drop_requests") >= 5);
}

static void test_blocking_calls_release_the_lock(void)
{
	/* All four threads wait in a blocking call at once, for each other:
	 * only possible if the call runs without the GIL. */
	CHECK_NEAR(run_with("{name: rendezvous, params: {tasks: 4}}",
	                    "gil-threads", 4, "max_waiting"), 4, 0);
	CHECK_NEAR(run_with("{name: rendezvous, params: {tasks: 4}}",
	                    "{name: gil-threads, params: {mode: legacy}}", 4,
	                    "max_waiting"), 4, 0);
	/* Waiting for the strategy's lock releases the GIL too, or this
	 * would deadlock (and time out). */
	CHECK_NEAR(run_with("{name: race-counter, params: {mode: locked, tasks: 4, increments: 50_000}}",
	                    "{name: gil-threads, params: {switch_interval: 50us}}", 4,
	                    "lost_updates"), 0, 0);
}

static void test_legacy_counters(void)
{
	const char *cpu = "{name: cpu-count, params: {iterations: 1_000_000, tasks: 2}}";
	const char *legacy = "{name: gil-threads, params: {mode: legacy, check_interval: 100}}";

	/* A release and reacquire every 100 ticks, and never a request. */
	CU_ASSERT(run_with(cpu, legacy, 2, "gil_acquisitions") >= 1000000 / 100);
	CHECK_NEAR(run_with(cpu, legacy, 2, "gil_drop_requests"), 0, 0);
	CHECK_NEAR(run_with(cpu, legacy, 2, "gil_forced_drops"), 0, 0);
}

static void test_lost_updates(void)
{
	const char *gil = "{name: gil-threads, params: {switch_interval: 100us}}";
	/* force_race holds task 0's first read until the other task moved
	 * the counter: a switch inside the window is certain, not lucky. */
	const char *forced = "{name: race-counter, params: {mode: unsafe, increments: 20_000, force_race: true}}";
	const char *unsafe = "{name: race-counter, params: {mode: unsafe, increments: 200_000}}";
	const char *atomic = "{name: race-counter, params: {mode: atomic, increments: 200_000}}";
	const char *locked = "{name: race-counter, params: {mode: locked, increments: 200_000}}";

	CU_ASSERT(run_with(forced, gil, 2, "lost_updates") > 0);
	CHECK_NEAR(run_with(atomic, gil, 2, "lost_updates"), 0, 0);
	CHECK_NEAR(run_with(locked, gil, 2, "lost_updates"), 0, 0);
	CHECK_NEAR(run_with(unsafe, "serial", 1, "lost_updates"), 0, 0);
	CU_ASSERT(run_with(forced, "free-threads", 2, "lost_updates") > 0);
	/* Alone, task 0 holds nothing: serial loses no update. */
	CHECK_NEAR(run_with(forced, "serial", 1, "lost_updates"), 0, 0);
	CHECK_NEAR(run_with(atomic, "free-threads", 2, "lost_updates"), 0, 0);
	CHECK_NEAR(run_with(locked, "free-threads", 2, "lost_updates"), 0, 0);
}

static void test_convoy_starts_beside_the_cpu_task(void)
{
	const char *convoy = "{name: convoy, params: {round_trips: 20, cpu_max: 15s}}";

	/* With a worker each, IO begins only once the CPU task runs (and,
	 * under a GIL, holds the lock); alone, it never runs beside it. */
	CHECK_NEAR(run_with(convoy, "gil-threads", 2, "cpu_beside"), 1, 0);
	CHECK_NEAR(run_with(convoy, "free-threads", 2, "cpu_beside"), 1, 0);
	CHECK_NEAR(run_with(convoy, "serial", 1, "cpu_beside"), 0, 0);
	CHECK_NEAR(run_with(convoy, "gil-threads", 2, "cpu_timed_out"), 0, 0);
}

static void test_convoy_pins_the_echo_process(void)
{
	char msg[1024] = "";
	double answered = NAN;
	int st;

	/* CPU 0 is in every process's set here: the helper pins itself there
	 * and answers every round trip (verify counts the answers). */
	CHECK_NEAR(run_with("{name: convoy, params: {round_trips: 20, echo_cpu: 0}}",
	                    "gil-threads", 2, "cpu_beside"), 1, 0);
	/* A CPU outside the process's set is refused by name at setup, before
	 * any round trip could fail with a broken pipe. */
	st = px_test_run_trial("experiment: t\n"
	                       "workload: {name: convoy, params: {echo_cpu: 1023}}\n"
	                       "strategies: [serial]\nworkers: [1]\n",
	                       PX_TEST_TIMEOUT_NS, "wall_s", &answered, msg,
	                       sizeof(msg));
	CU_ASSERT(st != RUN_OK);
	CU_ASSERT(strstr(msg, "echo_cpu: CPU 1023 is not one this process may "
	                      "run on") != NULL);
}

static void test_start_python_one_at_a_time(void)
{
	const char *cpu = "{name: cpu-count, params: {iterations: 400_000, tasks: 64}}";
	const char *io = "{name: io-sleep, params: {tasks: 16, sleep: 1ms}}";

	/* Each worker's first hold of the lock comes in worker order while
	 * the main thread waits for that worker alone: one handoff each. The
	 * CPU-bound workers never block, so the main thread gets the lock
	 * back only through a drop request; a lost one would hang. */
	CHECK_NEAR(run_with(cpu, "gil-threads", 8, "start_handoffs"), 8, 0);
	CHECK_NEAR(run_with(cpu, "{name: gil-threads, params: {mode: legacy}}",
	                    8, "start_handoffs"), 8, 0);
	CHECK_NEAR(run_with(io, "{name: gil-threads, params: {start: python}}",
	                    16, "start_handoffs"), 16, 0);
	CU_ASSERT(run_with(cpu, "gil-threads", 8, "gil_main_wait_ns") >= 0);
}

static void test_call_overhead_is_spent_holding_the_lock(void)
{
	const char *io = "{name: io-sleep, params: {tasks: 4, sleep: 1us}}";

	/* 4 blocking calls of 2ms overhead each: a lower bound on the time
	 * the lock was held, whatever else the machine does. */
	CU_ASSERT(run_with(io, "{name: gil-threads, params: {call_overhead: 2ms}}",
	                   1, "gil_hold_ns") >= 4 * 2e6);
}

static void test_switch_overhead_is_spent_holding_the_lock(void)
{
	const char *y = "experiment: t\n"
	                "workload: {name: io-sleep, params: {tasks: 200, sleep: 1us}}\n"
	                "strategies: [{name: gil-threads, params: {switch_overhead: 500us}}]\n"
	                "workers: [2]\n";
	const char *const columns[] = { "gil_hold_ns", "gil_switches", NULL };
	double v[2] = { NAN, NAN };

	/* Every take from another thread holds the lock 500us more: a lower
	 * bound on the hold, from one run's own switch count (each worker's
	 * first take is one: the main thread held the lock before). Without
	 * the overhead a hold here lasts microseconds. */
	CU_ASSERT(px_test_run_columns(y, PX_TEST_TIMEOUT_NS, columns, v, NULL,
	                              0) == RUN_OK);
	CU_ASSERT(v[1] >= 2);
	CU_ASSERT(v[0] >= v[1] * 500e3);
}

/* cold_after: switch_overhead in full after any wait when 0, in
 * proportion to the wait below cold_after. Both checked on the run's own
 * counters, not on times: with 0 the spent overhead is the switches times
 * switch_overhead exactly; with 600s (far longer than any wait here) every
 * take pays its wait / 600s of it, so at most switch_overhead x the total
 * wait / 600s, and less than in full (microseconds, not 50us, a take). */
static void test_cold_after_scales_switch_overhead(void)
{
	const char *const columns[] = { "gil_switch_overhead_ns", "gil_switches",
	                                "gil_wait_ns", NULL };

	for (int cold = 0; cold <= 600; cold += 600) {
		char *y = px__xasprintf(
			"experiment: t\n"
			"workload: {name: io-sleep, params: {tasks: 50, sleep: 1us}}\n"
			"strategies: [{name: gil-threads, params: "
			"{switch_overhead: 50us, cold_after: %ds}}]\n"
			"workers: [2]\n", cold);
		double v[3] = { NAN, NAN, NAN };

		CU_ASSERT_FATAL(px_test_run_columns(y, PX_TEST_TIMEOUT_NS, columns,
		                                    v, NULL, 0) == RUN_OK);
		CU_ASSERT(v[1] >= 2);
		if (cold == 0)
			CHECK_NEAR(v[0], v[1] * 50e3, 0);
		else {
			CU_ASSERT(v[0] <= 50e3 * v[2] / 600e9 + v[1]);
			CU_ASSERT(v[0] < v[1] * 50e3);
		}
		free(y);
	}
}

/* request_lines: each drop request reads the lines once; none without. A
 * drop request is sure: each task holds the lock far longer than the
 * 100us a waiter waits before it asks. */
static void test_request_lines_are_read_once_per_request(void)
{
	const char *const columns[] = { "gil_drop_requests", "gil_request_lines",
	                                "gil_request_ns", NULL };
	double v[2][3];

	for (int lines = 0; lines <= 8; lines += 8) {
		char *y = px__xasprintf(
			"experiment: t\n"
			"workload: {name: cpu-count, params: {iterations: 4_000_000, tasks: 2}}\n"
			"strategies: [{name: gil-threads, params: "
			"{switch_interval: 100us, request_lines: %d}}]\n"
			"workers: [2]\n", lines);
		double *got = v[lines / 8];

		got[0] = got[1] = got[2] = NAN;
		CU_ASSERT_FATAL(px_test_run_columns(y, PX_TEST_TIMEOUT_NS, columns,
		                                    got, NULL, 0) == RUN_OK);
		CU_ASSERT(got[0] >= 1);
		CU_ASSERT(got[2] >= 0);
		free(y);
	}
	CU_ASSERT_EQUAL(v[0][1], 0);
	CU_ASSERT_EQUAL(v[1][1], 8 * v[1][0]);
}

/* A bulk read fills bulk_bytes (verify checks the first and last byte of
 * each) and every read is one io_latency sample, alone and beside the CPU
 * task. */
static void test_convoy_bulk_reads(void)
{
	const char *bulk = "{name: convoy, params: {round_trips: 7, io: bulk, "
	                   "bulk_bytes: 3000}}";

	CHECK_NEAR(px_test_value(bulk, "serial", 1, "io_latency_count"), 7, 0);
	CHECK_NEAR(px_test_value(bulk, "gil-threads", 2, "io_latency_count"), 7, 0);
	CHECK_NEAR(px_test_value(bulk, "gil-threads", 2, "cpu_beside"), 1, 0);
}

/* settle: each IO task sleeps, blocking, before its first measured
 * operation: the run lasts at least that long (a lower bound whatever the
 * load) and the sleep is not one of the latency samples. */
static void test_convoy_settle_sleeps_before_measuring(void)
{
	const char *y = "experiment: t\n"
	                "workload: {name: convoy, params: {round_trips: 5, "
	                "io: ready, settle: 30ms}}\n"
	                "strategies: [gil-threads]\n"
	                "workers: [1]\n";
	const char *const columns[] = { "wall_s", "io_latency_count", NULL };
	double v[2] = { NAN, NAN };

	CU_ASSERT_FATAL(px_test_run_columns(y, PX_TEST_TIMEOUT_NS, columns, v,
	                                    NULL, 0) == RUN_OK);
	CU_ASSERT(v[0] >= 0.030);
	CHECK_NEAR(v[1], 5, 0);
}

/* slow_above: the operations that took that long or longer are counted
 * and timed apart, and those right after another one counted again. The bounds are forced: every operation takes 0 ns or
 * longer, none 600 s (the test's timeout is far shorter), and a 1 MiB
 * read takes over a microsecond on any machine (a terabyte a second). */
static void test_convoy_counts_slow_operations(void)
{
	static const struct {
		const char *params;
		double slow;
	} cases[] = {
		{ "round_trips: 6, io: ready, slow_above: 0ns", 6 },
		{ "round_trips: 6, io: ready, slow_above: 600s", 0 },
		{ "round_trips: 6, io: bulk, slow_above: 1us", 6 },
	};
	const char *const columns[] = { "io_slow", "io_slow_latency_count",
	                                "io_slow_latency_mean",
	                                "io_latency_mean", "io_slow_again",
	                                NULL };

	for (size_t i = 0; i < PX_ARRAY_LEN(cases); i++) {
		char y[256];
		double v[5] = { NAN, NAN, NAN, NAN, NAN };
		snprintf(y, sizeof(y), "experiment: t\n"
		         "workload: {name: convoy, params: {%s}}\n"
		         "strategies: [gil-threads]\nworkers: [1]\n",
		         cases[i].params);
		CU_ASSERT_FATAL(px_test_run_columns(y, PX_TEST_TIMEOUT_NS,
		                                    columns, v, NULL, 0) == RUN_OK);
		CHECK_NEAR(v[0], cases[i].slow, 0);
		CHECK_NEAR(v[1], cases[i].slow, 0);
		/* All slow: each but the first right after a slow one. */
		CHECK_NEAR(v[4], cases[i].slow > 0 ? cases[i].slow - 1 : 0, 0);
		/* All slow: the same operations, the same mean; none: no mean. */
		if (cases[i].slow > 0)
			CHECK_NEAR(v[2], v[3], 1e-6 * v[3]);
		else
			CU_ASSERT(isnan(v[2]));
	}
}

/* cpu_ns: the CPU task's running time. With two workers the IO task
 * begins only once the CPU task runs, then sleeps settle before its reads,
 * and the CPU task stops only when the IO is done: it ran at least the
 * settle, and no longer than the run. */
static void test_convoy_times_the_cpu_task(void)
{
	const char *const columns[] = { "cpu_ns", "cpu_steps", "wall_s", NULL };
	double v[3] = { NAN, NAN, NAN };

	CU_ASSERT_FATAL(px_test_run_columns(
		"experiment: t\n"
		"workload: {name: convoy, params: {round_trips: 2, io: ready, "
		"settle: 50ms}}\n"
		"strategies: [{name: gil-threads, params: {mode: legacy}}]\n"
		"workers: [2]\n", PX_TEST_TIMEOUT_NS, columns, v, NULL, 0) ==
		RUN_OK);
	CU_ASSERT(v[0] >= 50e6);
	CU_ASSERT(v[0] <= v[2] * 1e9);
	CU_ASSERT(v[1] > 0);
}

static void test_every_workload_verifies(void)
{
	static const char *const workloads[] = {
		"{name: cpu-count, params: {iterations: 100_000}}",
		"{name: noop, params: {tasks: 10_000}}",
		"{name: io-sleep, params: {tasks: 4, sleep: 1ms}}",
		"{name: io-pipe, params: {tasks: 4, round_trips: 3, reply_delay: 1ms}}",
		"{name: cpu-native, params: {iterations: 100_000}}",
		"{name: cpu-native, params: {iterations: 100_000, release_gil: false}}",
		"{name: race-counter, params: {increments: 10_000}}",
		"{name: convoy, params: {round_trips: 20}}",
		"{name: convoy, params: {round_trips: 20, io: ready}}",
		"{name: convoy, params: {round_trips: 20, io: bulk, bulk_bytes: 64KiB}}",
	};
	static const char *const strategies[] = {
		"serial", "free-threads", "gil-threads",
		"{name: gil-threads, params: {mode: legacy}}",
		"{name: gil-threads, params: {start: all}}",
		"{name: gil-threads, params: {switch_interval: 100us, request_lines: 4}}",
	};

	/* run_one checks status ok, which includes the workload's verify. */
	for (size_t w = 0; w < PX_ARRAY_LEN(workloads); w++)
		for (size_t s = 0; s < PX_ARRAY_LEN(strategies); s++)
			run_with(workloads[w], strategies[s], 2, "wall_s");
}

TEST_MAIN("gil", T(test_mutual_exclusion), T(test_native_sections_run_in_parallel),
          T(test_holder_hands_over), T(test_blocking_calls_release_the_lock),
          T(test_legacy_counters), T(test_lost_updates),
          T(test_convoy_starts_beside_the_cpu_task),
          T(test_convoy_pins_the_echo_process), T(test_convoy_bulk_reads),
          T(test_convoy_settle_sleeps_before_measuring),
          T(test_convoy_counts_slow_operations),
          T(test_convoy_times_the_cpu_task),
          T(test_start_python_one_at_a_time),
          T(test_call_overhead_is_spent_holding_the_lock),
          T(test_switch_overhead_is_spent_holding_the_lock),
          T(test_cold_after_scales_switch_overhead),
          T(test_request_lines_are_read_once_per_request),
          T(test_every_workload_verifies))
