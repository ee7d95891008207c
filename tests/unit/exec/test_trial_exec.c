/* test_trial_exec.c: each trial run happens in its own process; a crash,
 * an abort, an exit or a hang fails that run only, with a clear message,
 * and leaves no process behind. */
#include "faulty_trials.h"

static void test_segfault_is_a_crash(void)
{
	struct run_outcome o;

	run_mode("segv", 0, &o);
	CHECK_INT(o.status, RUN_CRASH);
	CU_ASSERT(o.message[0] != '\0');
	px__outcome_free(&o);
	check_no_children();
}

static void test_abort_is_a_crash(void)
{
	struct run_outcome o;

	run_mode("abort", 0, &o);
	CHECK_INT(o.status, RUN_CRASH);
	CHECK_CONTAINS(o.message, "signal 6");
	px__outcome_free(&o);
	check_no_children();
}

static void test_exit_is_a_crash(void)
{
	struct run_outcome o;

	run_mode("exit", 0, &o);
	CHECK_INT(o.status, RUN_CRASH);
	CHECK_CONTAINS(o.message, "exited with status 7 before reporting");
	px__outcome_free(&o);
	check_no_children();
}

static void test_hang_times_out(void)
{
	struct run_outcome o;
	int64_t t0 = px__now_ns();

	/* free-threads: the hung worker is a thread of the killed process. */
	run_mode("hang", 7, &o);
	CHECK_INT(o.status, RUN_TIMEOUT);
	CHECK_CONTAINS(o.message, "timeout: killed after 0.3 s");
	CU_ASSERT(px__now_ns() - t0 < 3000000000LL);
	px__outcome_free(&o);
	check_no_children();
}

TEST_MAIN("trial_exec", T(test_segfault_is_a_crash), T(test_abort_is_a_crash),
          T(test_exit_is_a_crash), T(test_hang_times_out))
