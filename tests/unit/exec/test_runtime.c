/* test_runtime.c: what the runtime reports from inside a trial's process:
 * metrics and histogram quantiles, tasks split between workers, a wrong
 * result and a failed task, each with its message. */
#include "faulty_trials.h"

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
	CHECK_INT(o.workers, 1);
	CHECK_INT(o.w[0].tasks, 4);
	CU_ASSERT(o.started_ns > 1600000000000000000LL);
	px__outcome_free(&o);
	check_no_children();
}

static void test_threads_split_tasks(void)
{
	struct run_outcome o;

	run_mode("ok", 7, &o);
	CHECK_INT(o.status, RUN_OK);
	CHECK_INT(o.workers, 2);
	CHECK_INT(o.w[0].tasks + o.w[1].tasks, 4);
	CHECK_NEAR(o.values[px__plan_column(&plan, "claims")], 4, 0);
	px__outcome_free(&o);
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

TEST_MAIN("runtime", T(test_ok_run_reports_metrics), T(test_threads_split_tasks),
          T(test_wrong_result), T(test_task_error))
