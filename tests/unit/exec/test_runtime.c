/* test_runtime.c: what the runtime reports from inside a trial's process:
 * metrics and histogram quantiles, tasks split between workers, a wrong
 * result and a failed task, each with its message; and that the pages
 * the run records into are in memory before it measures anything. */
#include <signal.h>
#include <sys/mman.h>
#include <unistd.h>

#include "faulty_trials.h"
#include "exec/run_region.h"
#include "exec/runtime.h"

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

/* How many of the pages of region[from, to) are in memory. */
static size_t resident_pages(char *region, size_t from, size_t to)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE), n, in = 0;
	unsigned char *vec;

	from = from / page * page;
	n = (to - from + page - 1) / page;
	vec = px__xcalloc(n, 1);
	CU_ASSERT_FATAL(mincore(region + from, to - from, vec) == 0);
	for (size_t i = 0; i < n; i++)
		in += vec[i] & 1;
	free(vec);
	return in;
}

/* The run's region is mapped lazily, so a first value recorded into a
 * fresh page would take a page fault inside a measured operation (14 to
 * 17 us in a convoy read, traced). The serial "hang" trial records its
 * four samples into worker 0's histogram, then waits forever in its last
 * task; by then every page of the slots and histograms is in memory,
 * those no value went to (the control slot's) included: the runtime
 * touched them all before the first task. */
static void test_recording_pages_in_memory(void)
{
	struct region_layout l;
	size_t page = (size_t)sysconf(_SC_PAGESIZE), pages;
	const struct trial *t;
	volatile struct hist *h0;
	char *region;
	int status;
	pid_t pid;

	build_plan();
	t = &plan.trials[4];
	CHECK_STR(t->workload->desc->name, "faulty");
	px__region_layout(&plan, t, &l);
	region = mmap(NULL, l.total, PROT_READ | PROT_WRITE,
	              MAP_SHARED | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	CU_ASSERT_FATAL(region != MAP_FAILED);
	pages = (l.total - l.slots_off / page * page + page - 1) / page;
	/* More than one page of slots and histograms, none in memory yet. */
	CU_ASSERT_FATAL(pages > 2);
	CHECK_INT(resident_pages(region, l.slots_off, l.total), 0);
	pid = fork();
	CU_ASSERT_FATAL(pid >= 0);
	if (pid == 0)
		_exit(px__runtime_run(&plan, t, region, &l));
	/* Worker 0's first sampled metric: its count reaches 4 when the last
	 * task has recorded and gone to wait. */
	h0 = (volatile struct hist *)(region + l.hist_off);
	for (int i = 0; i < 60000 && h0->count < 4; i++)
		usleep(1000);
	CHECK_INT(h0->count, 4);
	CHECK_INT(resident_pages(region, l.slots_off, l.total), pages);
	kill(pid, SIGKILL);
	CU_ASSERT_FATAL(waitpid(pid, &status, 0) == pid);
	munmap(region, l.total);
}

TEST_MAIN("runtime", T(test_ok_run_reports_metrics), T(test_threads_split_tasks),
          T(test_wrong_result), T(test_task_error),
          T(test_recording_pages_in_memory))
