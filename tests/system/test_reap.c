/* test_reap.c: every process a run starts dies with the run, even one that
 * moved to a session of its own, and a run that left one behind says so
 * and fails; the runner's own other children are spared. Also: a refused
 * thread's message names RLIMIT_AS when the address space is limited, and
 * a plugin's forked child dies with a parent that died before it could
 * ask (support/parent.h).
 *
 * This process is a child subreaper, so a process left running anywhere
 * below it stays its descendant; having no child at all after a run then
 * means that nothing the run started is alive, nor even unreaped. The
 * runs sweep before they return, so that holds at once, with no waiting. */
#include <errno.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "exec/reap.h"
#include "helpers.h"
#include "../plugins/support/parent.h"

/* The leaver workload under `strategy` in `mode`, run once. */
static int run_leaver(const char *strategy, const char *mode,
                      int64_t timeout_ns, double *left_pid, char *msg,
                      size_t cap)
{
	char *y = px__xasprintf("experiment: t\n"
	                        "workload: {name: leaver, params: {mode: %s}}\n"
	                        "strategies: [%s]\nworkers: [2]\n", mode, strategy);
	int st;

	prctl(PR_SET_CHILD_SUBREAPER, 1);
	st = px_test_run_trial(y, timeout_ns, "left_pid", left_pid, msg, cap);
	free(y);
	return st;
}

/* No child of this process is left, running or unreaped; one that is gets
 * killed here, so that it cannot outlive the test. */
static void check_no_children(void)
{
	struct px_sweep s;

	errno = 0;
	CHECK_INT(waitpid(-1, NULL, WNOHANG), -1);
	CHECK_INT(errno, ECHILD);
	px__sweep(NULL, 0, &s);
}

/* The message names the one process left behind: pid (when known) and
 * name; a fork of this test keeps its name. */
static void check_names_leftover(const char *msg, double pid)
{
	char want[96];

	if (isnan(pid))
		snprintf(want, sizeof(want), "left 1 process behind (pid ");
	else
		snprintf(want, sizeof(want), "left 1 process behind (pid %d, ",
		         (int)pid);
	CHECK_CONTAINS(msg, want);
	/* The leftover is a fork of this program: it has its name. */
	snprintf(want, sizeof(want), "'%.15s'): killed",
	         program_invocation_short_name);
	CHECK_CONTAINS(msg, want);
}

/* The bug: a grandchild that calls setsid() left the run's process group,
 * outlived the run and the run was reported ok. */
static void test_setsid_grandchild_dies_and_fails_the_run(void)
{
	char msg[1024];
	double pid;

	CHECK_INT(run_leaver("serial", "setsid", PX_TEST_TIMEOUT_NS, &pid, msg,
	                     sizeof(msg)), RUN_ERROR);
	CU_ASSERT(pid > 0);
	check_names_leftover(msg, pid);
	check_no_children();
}

/* A child left in the run's own group used to die silently with the
 * group: it is a leftover too. */
static void test_child_in_group_is_reported(void)
{
	char msg[1024];
	double pid;

	CHECK_INT(run_leaver("serial", "child", PX_TEST_TIMEOUT_NS, &pid, msg,
	                     sizeof(msg)), RUN_ERROR);
	check_names_leftover(msg, pid);
	check_no_children();
}

/* Left from a pool's worker process, the grandchild comes back to the
 * run's process; the pool's own workers, reaped by the pool, are not
 * counted. */
static void test_leftover_of_a_pool_worker(void)
{
	char msg[1024];
	double pid;

	CHECK_INT(run_leaver("fork-pool", "setsid", PX_TEST_TIMEOUT_NS, &pid,
	                     msg, sizeof(msg)), RUN_ERROR);
	check_names_leftover(msg, pid);
	check_no_children();
}

/* Runs that leave nothing stay ok, helper processes included. */
static void test_clean_runs_stay_ok(void)
{
	static const char *const strategies[] = { "serial", "fork-pool",
	                                          "shm-pool" };
	char msg[1024];
	double pid;

	for (size_t i = 0; i < PX_ARRAY_LEN(strategies); i++) {
		CHECK_INT(run_leaver(strategies[i], "none", PX_TEST_TIMEOUT_NS,
		                     &pid, msg, sizeof(msg)), RUN_OK);
		CHECK_STR(msg, "");
	}
	CHECK_INT(px_test_run_trial("experiment: t\nworkload: {name: io-pipe, "
	                            "params: {tasks: 2, round_trips: 2}}\n"
	                            "strategies: [fork-pool]\nworkers: [2]\n",
	                            PX_TEST_TIMEOUT_NS, NULL, NULL, msg,
	                            sizeof(msg)), RUN_OK);
	CHECK_STR(msg, "");
	check_no_children();
}

/* The run's process killed on timeout takes its subreaper role with it:
 * its orphan comes to the runner, which kills and reports it. The 3 s
 * bound covers the leftover's start (two forks and a setsid(), well under
 * a second on a busy machine), not a timing claim: the task then hangs. */
static void test_timed_out_run_reports_its_leftover(void)
{
	char msg[1024];

	CHECK_INT(run_leaver("serial", "setsid-hang", 3000000000LL, NULL, msg,
	                     sizeof(msg)), RUN_TIMEOUT);
	CHECK_CONTAINS(msg, "timeout: killed after 3 s; ");
	check_names_leftover(msg, NAN);
	check_no_children();
}

/* The same without a clock: the run's process kills itself once the
 * leftover is in place. */
static void test_crashed_run_reports_its_leftover(void)
{
	char msg[1024];

	CHECK_INT(run_leaver("serial", "setsid-crash", PX_TEST_TIMEOUT_NS, NULL,
	                     msg, sizeof(msg)), RUN_CRASH);
	CHECK_CONTAINS(msg, "crashed: signal 9");
	check_names_leftover(msg, NAN);
	check_no_children();
}

/* A child the runner had before the run is not the run's: it survives. */
static void test_runner_children_are_spared(void)
{
	char msg[1024];
	int p[2], st;
	pid_t mine;

	CU_ASSERT_FATAL(pipe(p) == 0);
	mine = fork();
	if (mine == 0) {
		char c;
		close(p[1]);
		_exit(read(p[0], &c, 1) == 0 ? 0 : 1);  /* until EOF */
	}
	close(p[0]);
	CHECK_INT(run_leaver("serial", "setsid", PX_TEST_TIMEOUT_NS, NULL, msg,
	                     sizeof(msg)), RUN_ERROR);
	CHECK_INT(waitpid(mine, &st, WNOHANG), 0);  /* still running */
	close(p[1]);
	CHECK_INT(waitpid(mine, &st, 0), mine);
	CU_ASSERT(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	check_no_children();
}

/* The race PR_SET_PDEATHSIG leaves open, forced: the parent dies after
 * the fork and before its child asks to die with it. The child must see
 * that its parent changed and go; it then exits 1, where it would go on
 * (exit 0) without the check. */
static void test_child_of_a_dead_parent_goes(void)
{
	int go[2], tell[2], st;
	pid_t mid, child = 0;

	prctl(PR_SET_CHILD_SUBREAPER, 1);
	CU_ASSERT_FATAL(pipe(go) == 0 && pipe(tell) == 0);
	mid = fork();
	if (mid == 0) {
		pid_t parent = getpid(), c = fork();
		if (c == 0) {
			char g;
			if (read(go[0], &g, 1) != 1)  /* until its parent is gone */
				_exit(2);
			die_with_parent(parent);
			_exit(0);
		}
		_exit(write(tell[1], &c, sizeof(c)) == sizeof(c) ? 0 : 1);
	}
	CHECK_INT(waitpid(mid, &st, 0), mid);
	CHECK_INT(read(tell[0], &child, sizeof(child)), sizeof(child));
	/* mid is gone and reaped: its child is this process's now. */
	CHECK_INT(write(go[1], "g", 1), 1);
	CHECK_INT(waitpid(child, &st, 0), child);
	CU_ASSERT(WIFEXITED(st) && WEXITSTATUS(st) == 1);
	for (int i = 0; i < 2; i++) {
		close(go[i]);
		close(tell[i]);
	}
	check_no_children();
}

static void test_refused_thread_names_rlimit_as(void)
{
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
	return;  /* the sanitizers reserve terabytes of address space */
#else
	struct rlimit old, low = { 1ull << 30, 1ull << 30 };
	char msg[1024];
	int st;

	getrlimit(RLIMIT_AS, &old);
	low.rlim_max = old.rlim_max;
	CU_ASSERT_FATAL(setrlimit(RLIMIT_AS, &low) == 0);
	/* 16 stacks of 128MiB do not fit in 1GiB of address space. */
	st = px_test_run_trial("experiment: t\nworkload: {name: noop, params: {tasks: 16}}\n"
	                       "strategies: [{name: free-threads, params: {stack_size: 128MiB}}]\n"
	                       "workers: [16]\n", PX_TEST_TIMEOUT_NS, NULL, NULL,
	                       msg, sizeof(msg));
	setrlimit(RLIMIT_AS, &old);
	CHECK_INT(st, RUN_ERROR);
	CHECK_CONTAINS(msg, "cannot create thread");
	CHECK_CONTAINS(msg, "RLIMIT_AS 1073741824 bytes");
	CHECK_CONTAINS(msg, "RLIMIT_NPROC");
#endif
}

TEST_MAIN("reap", T(test_setsid_grandchild_dies_and_fails_the_run),
          T(test_child_in_group_is_reported),
          T(test_leftover_of_a_pool_worker), T(test_clean_runs_stay_ok),
          T(test_timed_out_run_reports_its_leftover),
          T(test_crashed_run_reports_its_leftover),
          T(test_runner_children_are_spared),
          T(test_child_of_a_dead_parent_goes),
          T(test_refused_thread_names_rlimit_as))
