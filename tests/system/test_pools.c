/* test_pools.c: fork-pool and shm-pool. Every workload verifies under
 * both; fork-pool keeps memory private and shm-pool shares it; a worker
 * that crashes or exits fails its run with a message naming it, without a
 * hang; nothing is left behind, not even when the runner itself is killed.
 * This process is a child subreaper, so an orphaned worker would come back
 * to it and be seen. */
#include <dirent.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "helpers.h"

/* This process adopts orphans, so a worker left behind shows here. */
static void become_subreaper(void)
{
	static bool done;

	if (!done)
		done = prctl(PR_SET_CHILD_SUBREAPER, 1) == 0;
}

static int run_one(const char *yaml, int64_t timeout_ns, char *message,
                   size_t cap)
{
	become_subreaper();
	return px_test_run_trial(yaml, timeout_ns, NULL, NULL, message, cap);
}

static double value_of(const char *workload, const char *strategy,
                       const char *column)
{
	become_subreaper();
	return px_test_value(workload, strategy, 2, column);
}

/* No process is left alive below this one. Being a subreaper, this
 * process inherits the killed workers as zombies and reaps them here; one
 * still running after 30 s (a bound for a hang, not a timing claim: a
 * killed process normally goes within milliseconds) is left behind. */
static void check_nothing_left(void)
{
	pid_t pid = 0;

	for (int i = 0; i < 1500; i++) {
		int status;
		while ((pid = waitpid(-1, &status, WNOHANG)) > 0)
			;
		if (pid < 0)
			break;
		usleep(20000);
	}
	if (pid == 0)
		fprintf(stderr, "\n  a process was left running\n");
	CHECK_INT(pid, -1);
}

static const char *const pools[] = {
	"fork-pool",
	"{name: fork-pool, params: {chunksize: 1}}",
	"{name: fork-pool, params: {spawn: per-task}}",
	"{name: fork-pool, params: {chunksize: 1, max_tasks_per_child: 2}}",
	"shm-pool",
	"{name: shm-pool, params: {chunksize: 1}}",
};

static void test_every_workload_verifies(void)
{
	static const char *const workloads[] = {
		"{name: cpu-count, params: {iterations: 100_000}}",
		"{name: noop, params: {tasks: 300}}",
		"{name: io-sleep, params: {tasks: 4, sleep: 1ms}}",
		"{name: io-pipe, params: {tasks: 4, round_trips: 3, reply_delay: 1ms}}",
		"{name: cpu-native, params: {iterations: 100_000}}",
		"{name: race-counter, params: {increments: 10_000, mode: locked}}",
		/* Under fork-pool the CPU task never sees the IO finish (its
		 * memory is its own), so it stops at cpu_max; a pool may queue
		 * both tasks on one worker, so IO does not wait for the CPU
		 * task to begin (start_timeout: 0). */
		"{name: convoy, params: {round_trips: 20, cpu_max: 100ms, start_timeout: 0}}",
		"{name: convoy, params: {round_trips: 20, io: bulk, cpu_max: 100ms, start_timeout: 0}}",
	};

	for (size_t w = 0; w < PX_ARRAY_LEN(workloads); w++)
		for (size_t s = 0; s < PX_ARRAY_LEN(pools); s++)
			value_of(workloads[w], pools[s], "wall_s");
	check_nothing_left();
}

static void test_fork_pool_memory_is_private(void)
{
	const char *atomic = "{name: race-counter, params: {mode: atomic, increments: 50_000}}";

	/* Two tasks added 100,000 in their own copies; the parent saw none. */
	CHECK_NEAR(value_of(atomic, "fork-pool", "final_count"), 0, 0);
	CHECK_NEAR(value_of(atomic, "fork-pool", "lost_updates"), 100000, 0);
	CHECK_NEAR(value_of(atomic, "{name: fork-pool, params: {spawn: per-task}}",
	                    "final_count"), 0, 0);
}

static void test_shm_pool_memory_is_shared(void)
{
	const char *shm = "{name: shm-pool, params: {chunksize: 1}}";

	CHECK_NEAR(value_of("{name: race-counter, params: {mode: atomic, increments: 50_000}}",
	                    shm, "final_count"), 100000, 0);
	CHECK_NEAR(value_of("{name: race-counter, params: {mode: locked, increments: 50_000}}",
	                    shm, "final_count"), 100000, 0);
	/* force_race: task 0 holds a read until the other worker's process
	 * moved the shared counter, so its store surely loses updates. */
	CU_ASSERT(value_of("{name: race-counter, params: {mode: unsafe, increments: 20_000, force_race: true}}",
	                   shm, "lost_updates") > 0);
}

static void test_counters(void)
{
	const char *noop = "{name: noop, params: {tasks: 100}}";

	CHECK_NEAR(value_of(noop, "{name: fork-pool, params: {spawn: per-task}}",
	                    "forks"), 100, 0);
	CHECK_NEAR(value_of(noop, "{name: fork-pool, params: {chunksize: 10}}",
	                    "forks"), 2, 0);
	/* 10 chunks out, 10 results back, and a stop to each worker. */
	CHECK_NEAR(value_of(noop, "{name: fork-pool, params: {chunksize: 10}}",
	                    "messages"), 22, 0);
	/* A fresh process after every 10 tasks: 100 / 10 forks. */
	CHECK_NEAR(value_of(noop, "{name: fork-pool, params: {chunksize: 5, max_tasks_per_child: 10}}",
	                    "forks"), 10, 0);
	CHECK_NEAR(value_of(noop, "{name: shm-pool, params: {chunksize: 10}}",
	                    "claims"), 10, 0);
}

/* A worker that dies fails the run, names itself, and hangs nothing. */
static void check_worker_fault(const char *mode, const char *strategy,
                               const char *expect)
{
	char *y = px__xasprintf("experiment: t\nworkload: {name: faulty, params: {mode: %s, tasks: 8}}\n"
	                        "strategies: [%s]\nworkers: [2]\n", mode, strategy);
	char msg[1024];
	int st = run_one(y, PX_TEST_TIMEOUT_NS, msg, sizeof(msg));

	CHECK_INT(st, RUN_ERROR);
	CHECK_CONTAINS(msg, expect);
	free(y);
	check_nothing_left();
}

static void test_crashing_worker(void)
{
	check_worker_fault("abort", "fork-pool", "fork-pool: worker");
	check_worker_fault("abort", "fork-pool", "signal 6");
	check_worker_fault("abort", "{name: fork-pool, params: {spawn: per-task}}",
	                   "fork-pool: worker");
	check_worker_fault("abort", "shm-pool", "shm-pool: worker");
	check_worker_fault("abort", "shm-pool", "signal 6");
	check_worker_fault("exit", "fork-pool", "exited with status 7");
	check_worker_fault("exit", "shm-pool", "exited with status 7");
}

static void test_hanging_worker_times_out(void)
{
	char msg[1024];

	/* The pool's hanging workers go with the timed-out trial process. */
	CHECK_INT(run_one("experiment: t\nworkload: {name: faulty, params: {mode: hang}}\n"
	                  "strategies: [fork-pool]\nworkers: [2]\n", 300000000LL,
	                  msg, sizeof(msg)), RUN_TIMEOUT);
	check_nothing_left();
}

/* The runner killed with SIGKILL mid-run: its trial process and that
 * process's workers go too (PR_SET_PDEATHSIG), rather than spin on. */
static void test_killed_runner_leaves_nothing(void)
{
	char path[] = "/tmp/parlab-pools-XXXXXX.yaml";
	int fd = mkstemps(path, 5);
	pid_t pid;

	become_subreaper();
	dprintf(fd, "experiment: hang\nworkload: {name: faulty, params: {mode: hang}}\n"
	            "strategies: [fork-pool]\nworkers: [2]\ntimeout: 60s\nwarmup: 0\n");
	close(fd);
	pid = fork();
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);
		dup2(null, 1);
		dup2(null, 2);
		setenv("PARLAB_PLUGIN_PATH", PARLAB_TEST_GOOD_DIR, 1);
		execl(PARLAB_TEST_BINARY, "parlab", "run", "--quiet", "-o",
		      "/tmp/parlab-pools-out", path, (char *)NULL);
		_exit(127);
	}
	usleep(500000);  /* the workers are up and hanging by now */
	kill(pid, SIGKILL);
	/* parlab, its trial process and the two workers must all end. */
	check_nothing_left();
	unlink(path);
	CHECK_INT(system("rm -rf /tmp/parlab-pools-out"), 0);
}

static int count_dev_shm(void)
{
	DIR *d = opendir("/dev/shm");
	int n = 0;

	if (!d)
		return 0;
	while (readdir(d))
		n++;
	closedir(d);
	return n;
}

static void test_no_shared_memory_left(void)
{
	int before = count_dev_shm();

	value_of("{name: noop, params: {tasks: 1000}}", "shm-pool", "wall_s");
	value_of("{name: noop, params: {tasks: 1000}}", "fork-pool", "wall_s");
	CHECK_INT(count_dev_shm(), before);
}

TEST_MAIN("pools", T(test_every_workload_verifies),
          T(test_fork_pool_memory_is_private), T(test_shm_pool_memory_is_shared),
          T(test_counters), T(test_crashing_worker),
          T(test_hanging_worker_times_out), T(test_killed_runner_leaves_nothing),
          T(test_no_shared_memory_left))
