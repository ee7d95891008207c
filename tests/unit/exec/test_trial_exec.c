/* test_trial.c: each trial run happens in its own process; a crash, an
 * abort, an exit, a hang or a wrong result fails that run only, with a
 * clear message, and leaves no process behind. */
#include <errno.h>
#include <sys/wait.h>

#include "helpers.h"
#include "exec/runtime.h"
#include "exec/trial_exec.h"
#include "base/util.h"

static struct registry reg;
static struct topo tp;
static struct experiment *exp_;
static struct plan plan;

/* One trial per faulty mode, in the order of the list below. */
static const char *const modes[] = { "ok", "segv", "abort", "exit", "hang",
                                     "wrong", "fail" };

static void build_plan(void)
{
	char *errs = NULL, err[256];
	struct diag d = { 0 };

	if (exp_)
		return;
	px_test_registry(&reg);
	px__topo_open(&tp, "pack:1 core:2 pu:1", err, sizeof(err));
	exp_ = px_test_load(&reg, &tp,
		"experiment: faults\n"
		"workload:\n"
		"  name: faulty\n"
		"  params: {mode: [ok, segv, abort, exit, hang, wrong, fail]}\n"
		"strategies: [serial, free-threads]\n"
		"workers: [2]\n"
		"timeout: 300ms\n", &errs, NULL);
	if (!exp_)
		fprintf(stderr, "%s", errs);
	free(errs);
	CU_ASSERT_PTR_NOT_NULL_FATAL(exp_);
	CHECK_INT(px__plan_build(&plan, exp_, &tp, 1, &d), 0);
	CHECK_INT(plan.n, 14);
}

/* Runs the serial trial for `mode` and returns its outcome. */
static void run_mode(const char *mode, size_t first_trial,
                     struct run_outcome *o)
{
	size_t k;

	build_plan();
	for (k = 0; k < PX_ARRAY_LEN(modes); k++)
		if (strcmp(modes[k], mode) == 0)
			break;
	/* Only a hang should wait out its timeout; the others get time to
	 * spare even under a sanitizer. */
	CHECK_INT(px__exec_run(&plan, &plan.trials[first_trial + k],
	                       strcmp(mode, "hang") ? 10000000000LL : 300000000LL,
	                       o), 0);
}

/* No child of this process is left, running or unreaped. */
static void check_no_children(void)
{
	errno = 0;
	CHECK_INT(waitpid(-1, NULL, WNOHANG), -1);
	CHECK_INT(errno, ECHILD);
}

static void test_ok_run_reports_metrics(void)
{
	struct run_outcome o;
	int col;

	run_mode("ok", 0, &o);
	CHECK_INT(o.status, RUN_OK);
	CHECK_STR(o.message, "");
	CHECK_INT((long long)o.values[COL_TASKS], 4);
	CU_ASSERT(o.values[COL_WALL] > 0);
	col = px__plan_column(&plan, "latency_p50");
	CU_ASSERT_FATAL(col >= 0);
	/* Samples 1000, 2000, 3000, 4000: the histogram keeps 3%. */
	CHECK_NEAR(o.values[col], 2000, 60);
	CHECK_NEAR(o.values[px__plan_column(&plan, "latency_max")], 4000, 0);
	CHECK_NEAR(o.values[px__plan_column(&plan, "latency_count")], 4, 0);
	CHECK_NEAR(o.values[px__plan_column(&plan, "latency_mean")], 2500, 0);
	CHECK_NEAR(o.values[px__plan_column(&plan, "biggest")], 3, 0);
	CHECK_STR(o.worker_tasks, "4");
	px__outcome_free(&o);
	check_no_children();
}

static void test_threads_split_tasks(void)
{
	struct run_outcome o;
	long long a = 0, b = 0;

	run_mode("ok", 7, &o);
	CHECK_INT(o.status, RUN_OK);
	CHECK_INT(sscanf(o.worker_tasks, "%lld;%lld", &a, &b), 2);
	CHECK_INT(a + b, 4);
	CHECK_NEAR(o.values[px__plan_column(&plan, "claims")], 4, 0);
	px__outcome_free(&o);
}

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

static void test_wrong_result(void)
{
	struct run_outcome o;

	run_mode("wrong", 0, &o);
	CHECK_INT(o.status, RUN_WRONG);
	CHECK_CONTAINS(o.message, "wrong result");
	/* The measurements of a wrong run are still reported. */
	CU_ASSERT(o.values[COL_WALL] > 0);
	px__outcome_free(&o);
}

static void test_task_error(void)
{
	struct run_outcome o;

	run_mode("fail", 0, &o);
	CHECK_INT(o.status, RUN_ERROR);
	CHECK_CONTAINS(o.message, "task 3 failed: Input/output error");
	px__outcome_free(&o);
}

TEST_MAIN("trial", T(test_ok_run_reports_metrics), T(test_threads_split_tasks),
          T(test_segfault_is_a_crash), T(test_abort_is_a_crash),
          T(test_exit_is_a_crash), T(test_hang_times_out),
          T(test_wrong_result), T(test_task_error))
