/* test_resume.c: interruptions of the real binary. SIGKILL at 20 seeded
 * moments of a batch of three files (each moment a count of rows that
 * must have appeared, never a time), then --resume: every time each
 * trials.csv holds exactly the planned runs, once each, in the order of a
 * never-interrupted run, and workers.csv exactly their workers, once
 * each, in the same order. Five of the kills are followed by what a power
 * cut between a run's workers and its trials.csv row leaves (workers.csv
 * rows of an unrecorded run, a partial last row in both files), written
 * here, so that resume must drop them. SIGINT, SIGTERM and SIGHUP: exit code, the
 * interrupted marks, the hint on stderr, then resume completes. A changed
 * experiment file is refused by --resume, and --force goes on. The
 * report of an interrupted run says so in a banner. */
#include <dirent.h>
#include <signal.h>
#include <sys/stat.h>

#include "base/csv.h"
#include "batch_files.h"
#include "cli_run.h"
#include "json_check.h"

#define REPS 4
#define TRIALS 3
#define FILES 3
#define TOTAL_ROWS (REPS * TRIALS * FILES)

/* Writes an experiment file: noop under serial and free-threads at 1 and
 * 2 workers, REPS runs; `slow` adds a trial whose runs sleep 30 s, so a
 * signal sent while the batch runs always finds it running. */
static char *write_exp(const char *dir, const char *name, bool slow)
{
	char *path = px__xasprintf("%s/%s.yaml", dir, name);
	FILE *f = fopen(path, "w");

	CU_ASSERT_FATAL(f != NULL);
	fprintf(f, "experiment: %s\ndescription: resume %s\n"
	        "workload: {name: %s, params: {tasks: 2%s}}\n"
	        "strategies: [serial, free-threads]\nworkers: [1, 2]\n"
	        "repetitions: %d\nseed: 7\ntimeout: 60s\n"
	        "expect:\n  - speedup(free-threads, workers=2) > 0.000001\n",
	        name, name, slow ? "io-sleep" : "noop",
	        slow ? ", sleep: 15s" : "", REPS);
	fclose(f);
	return path;
}

static char *epath;   /* the stderr of the last run start() began */

/* Starts `parlab ARGS...` in the background, stdout to /dev/null and
 * stderr to a file of its own (epath), made empty before it starts so
 * that nothing of an earlier run is read; the caller waits for it. */
static pid_t start(char *const argv[])
{
	static int runs;
	pid_t pid;

	free(epath);
	epath = px__xasprintf("%s/.bg-stderr-%d", px_cli_tmpdir(), runs++);
	close(open(epath, O_WRONLY | O_CREAT | O_TRUNC, 0644));
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		dup2(open("/dev/null", O_WRONLY), 1);
		dup2(open(epath, O_WRONLY | O_APPEND), 2);
		setenv("PARLAB_PLUGIN_PATH", PARLAB_TEST_GOOD_DIR, 1);
		alarm(120);
		execv(PARLAB_TEST_BINARY, argv);
		_exit(127);
	}
	CU_ASSERT_FATAL(pid > 0);
	return pid;
}

/* Rows of dir/NAME/trials.csv over NAME in names, header left out. */
static int rows_in(const char *dir, char **names, size_t n)
{
	int rows = 0;

	for (size_t i = 0; i < n; i++) {
		char *path = px__xasprintf("%s/%s/trials.csv", dir, names[i]);
		char *text = px__read_file(path);
		for (char *p = text; p && *p; p++)
			rows += *p == '\n';
		rows -= text && strchr(text, '\n');
		free(text);
		free(path);
	}
	return rows;
}

/* Waits until at least k rows appeared (or the run ended); returns
 * whether the run still goes on. Polls: what is awaited is a state of
 * the run, not a time. */
static bool wait_rows(pid_t pid, const char *dir, char **names, size_t n,
                      int k)
{
	for (;;) {
		int status;
		if (waitpid(pid, &status, WNOHANG) == pid)
			return false;
		if (rows_in(dir, names, n) >= k)
			return true;
		usleep(2000);
	}
}

/* "trial:repetition" of each row of path, in file order, one string. */
static char *row_keys(const char *path)
{
	struct csv c;
	struct strbuf sb = { 0 };
	int t, r;

	if (px__csv_read(path, &c) != 0)
		return px__xstrdup("(unreadable)");
	t = px__csv_column(&c, "trial");
	r = px__csv_column(&c, "repetition");
	for (size_t i = 0; i < c.nrows; i++)
		px__sb_addf(&sb, "%s:%s ", c.rows[i][t], c.rows[i][r]);
	px__csv_free(&c);
	return px__sb_take(&sb);
}

static char *names[FILES] = { "ra", "rb", "rc" };

/* The three files in folder `exp` under the temp dir. */
static char *make_folder(void)
{
	char *exp = px__xasprintf("%s/exp", px_cli_tmpdir());

	mkdir(exp, 0777);
	for (size_t i = 0; i < FILES; i++)
		free(write_exp(exp, names[i], false));
	return exp;
}

static int wait_exit(pid_t pid)
{
	int status;

	CU_ASSERT_FATAL(waitpid(pid, &status, 0) == pid);
	return WIFEXITED(status) ? WEXITSTATUS(status)
	                         : 128 + WTERMSIG(status);
}

/* "trial:repetition:worker" of each worker of each row of trials.csv in
 * dir, in file order, one string: what workers.csv must join exactly. */
static char *worker_keys_of_trials(const char *dir)
{
	char *path = px__xasprintf("%s/trials.csv", dir);
	struct csv c;
	struct strbuf sb = { 0 };

	CU_ASSERT_FATAL(px__csv_read(path, &c) == 0);
	for (size_t i = 0; i < c.nrows; i++) {
		char **row = c.rows[i];
		long workers = atol(row[px__csv_column(&c, "workers")]);
		for (long w = 0; w < workers; w++)
			px__sb_addf(&sb, "%s:%s:%ld ",
			            row[px__csv_column(&c, "trial")],
			            row[px__csv_column(&c, "repetition")], w);
	}
	px__csv_free(&c);
	free(path);
	return px__sb_take(&sb);
}

/* The same keys from the `tasks` rows of workers.csv in dir (one per
 * worker of each run), in file order. */
static char *worker_keys(const char *dir)
{
	char *path = px__xasprintf("%s/workers.csv", dir);
	struct csv c;
	struct strbuf sb = { 0 };

	CU_ASSERT_FATAL(px__csv_read(path, &c) == 0);
	for (size_t i = 0; i < c.nrows; i++)
		if (strcmp(c.rows[i][px__csv_column(&c, "metric")], "tasks") == 0)
			px__sb_addf(&sb, "%s:%s:%s ", c.rows[i][0], c.rows[i][1],
			            c.rows[i][2]);
	px__csv_free(&c);
	free(path);
	return px__sb_take(&sb);
}

/* Checks each experiment's trials.csv in dir against the reference keys,
 * and that its workers.csv joins it exactly. */
static void check_against(const char *dir, char **ref)
{
	for (size_t i = 0; i < FILES; i++) {
		char *sub = px__xasprintf("%s/%s", dir, names[i]);
		char *path = px__xasprintf("%s/trials.csv", sub);
		char *keys = row_keys(path), *want = worker_keys_of_trials(sub);
		char *got = worker_keys(sub);
		CHECK_STR(keys, ref[i]);
		CHECK_STR(got, want);
		free(keys);
		free(want);
		free(got);
		free(path);
		free(sub);
	}
}

/* Appends text to path. */
static void append(const char *path, const char *text)
{
	FILE *f = fopen(path, "a");

	CU_ASSERT_FATAL(f != NULL);
	fputs(text, f);
	fclose(f);
}

/* What a power cut between a run's rows of workers.csv and its row of
 * trials.csv leaves, in the first experiment of dir with runs left: the
 * workers of the next run of a trial with runs left, then a partial row,
 * in workers.csv, and a partial row in trials.csv. */
static void cut_between(const char *dir)
{
	for (size_t i = 0; i < FILES; i++) {
		char *sub = px__xasprintf("%s/%s", dir, names[i]);
		char *path = px__xasprintf("%s/trials.csv", sub), *wpath, *rows;
		int count[TRIALS] = { 0 };
		struct csv c;
		int rc = px__csv_read(path, &c);
		bool full = rc == 0 && c.nrows >= REPS * TRIALS;
		if (full)
			px__csv_free(&c);
		if (rc != 0 || full) {
			free(path);
			free(sub);
			continue;
		}
		for (size_t r = 0; r < c.nrows; r++)
			count[atoi(c.rows[r][px__csv_column(&c, "trial")])]++;
		px__csv_free(&c);
		for (int t = 0; t < TRIALS; t++) {
			if (count[t] == REPS)
				continue;
			rows = px__xasprintf("%d,%d,0,tasks,1\n%d,%d,0,cpu_s,0.001\n%d,%d,0,act",
			                     t, count[t], t, count[t], t, count[t]);
			wpath = px__xasprintf("%s/workers.csv", sub);
			append(wpath, rows);
			append(path, names[i]);
			append(path, ",1,serial");
			free(wpath);
			free(rows);
			break;
		}
		free(path);
		free(sub);
		return;
	}
}

static void test_sigkill_at_20_moments(void)
{
	char *exp = make_folder(), *ref[FILES], *out = NULL, *err = NULL;
	char *refdir = px__xasprintf("%s/ref", px_cli_tmpdir());
	char *args = px__xasprintf("run --quiet %s --output-dir %s", exp, refdir);
	unsigned seed = 20261128;

	CHECK_INT(px_cli_run(args, &out, &err), 0);
	for (size_t i = 0; i < FILES; i++) {
		char *path = px__xasprintf("%s/%s/trials.csv", refdir, names[i]);
		ref[i] = row_keys(path);
		free(path);
	}
	for (int kill_no = 0; kill_no < 20; kill_no++) {
		char *dir = px__xasprintf("%s/k%d", px_cli_tmpdir(), kill_no);
		char *run[] = { "parlab", "run", "--quiet", exp, "--output-dir",
		                dir, NULL };
		char *resume[] = { "parlab", "run", "--quiet", "--resume", dir,
		                   NULL };
		int k = 1 + (int)(rand_r(&seed) % (TOTAL_ROWS - 1));
		pid_t pid = start(run);
		if (wait_rows(pid, dir, names, FILES, k))
			kill(pid, SIGKILL);
		wait_exit(pid);
		if (kill_no % 4 == 1)
			cut_between(dir);
		/* every third time, the resumed run is killed too */
		if (kill_no % 3 == 0) {
			k = rows_in(dir, names, FILES) + 1 +
			    (int)(rand_r(&seed) % 6);
			pid = start(resume);
			if (k < TOTAL_ROWS && wait_rows(pid, dir, names, FILES, k))
				kill(pid, SIGKILL);
			wait_exit(pid);
		}
		pid = start(resume);
		CHECK_INT(wait_exit(pid), 0);
		check_against(dir, ref);
		free(dir);
	}
	for (size_t i = 0; i < FILES; i++)
		free(ref[i]);
	free(out);
	free(err);
	free(args);
	free(refdir);
	free(exp);
}

/* Sends sig to a single experiment of two 60 s runs once its results
 * directory is open (stderr says so): the signal finds it before or in
 * its first run, never after its end. Checks what is written. */
static void interrupt_with(int sig)
{
	char *dir = px__xasprintf("%s/int%d", px_cli_tmpdir(), sig);
	char *file = px__xasprintf("%s/slow.yaml", px_cli_tmpdir());
	char *run[] = { "parlab", "run", file, "--output-dir", dir, NULL };
	char *text = NULL, *path, *hint;
	FILE *f = fopen(file, "w");
	pid_t pid;

	fputs("experiment: slow\nworkload: {name: io-sleep, params: {tasks: 1, sleep: 60s}}\n"
	      "strategies: [serial]\nworkers: [1]\nrepetitions: 2\nwarmup: 0\ntimeout: 120s\n",
	      f);
	fclose(f);
	pid = start(run);
	while (!text || !strstr(text, "writing results to")) {
		int status;
		free(text);
		/* parlab gone before it said so (a crash): fail, do not wait
		 * for ever. */
		if (waitpid(pid, &status, WNOHANG) == pid) {
			fprintf(stderr, "\n  parlab ended (status %d) before opening its results\n",
			        status);
			CU_FAIL_FATAL("parlab ended before opening its results");
		}
		usleep(2000);
		text = px__read_file(epath);
	}
	free(text);
	kill(pid, sig);
	CHECK_INT(wait_exit(pid), 128 + sig);
	text = px__read_file(epath);
	hint = px__xasprintf("to go on: parlab run --resume %s", dir);
	CHECK_CONTAINS(text, hint);
	CHECK_CONTAINS(text, "interrupted by SIG");
	free(text);
	path = px__xasprintf("%s/meta.json", dir);
	text = px__read_file(path);
	CHECK_CONTAINS(text, "\"interrupted\": true");
	CHECK_CONTAINS(text, "\"state\": \"interrupted\"");
	CHECK_CONTAINS(text, "\"runs_planned\": 2");
	CHECK_CONTAINS(text, "\"runs_done\": 0");
	CU_ASSERT(text && json_valid(text));
	free(text);
	free(path);
	path = px__xasprintf("%s/summary.json", dir);
	text = px__read_file(path);
	CHECK_CONTAINS(text, "\"interrupted\": true");
	free(text);
	free(path);
	path = px__xasprintf("%s/report.html", dir);
	text = px__read_file(path);
	CHECK_CONTAINS(text, "<strong>Interrupted</strong> after 0 of 2 measured runs");
	free(text);
	free(path);
	free(hint);
	free(file);
	free(dir);
}

static void test_signals_write_and_mark(void)
{
	interrupt_with(SIGINT);
	interrupt_with(SIGTERM);
	interrupt_with(SIGHUP);
}

/* SIGINT in a batch of fast runs (after 5 rows; should the batch end
 * first, there is nothing to interrupt and it is complete), then resume:
 * every planned run once, the overview complete. */
static void test_resume_after_signal(void)
{
	char *exp = make_folder(), *out, *err;
	char *dir = px__xasprintf("%s/after-sig", px_cli_tmpdir());
	char *run[] = { "parlab", "run", "--quiet", exp, "--output-dir", dir,
	                NULL };
	char *args = px__xasprintf("run --resume %s", dir), *path, *text;
	pid_t pid = start(run);

	int rc;

	if (wait_rows(pid, dir, names, FILES, 5))
		kill(pid, SIGINT);
	rc = wait_exit(pid);
	CU_ASSERT(rc == 130 || rows_in(dir, names, FILES) == TOTAL_ROWS);
	path = px__xasprintf("%s/batch.json", dir);
	text = px__read_file(path);
	CHECK_CONTAINS(text, rc == 130 ? "\"state\": \"interrupted\""
	                               : "\"state\": \"complete\"");
	free(text);
	free(path);
	CHECK_INT(px_cli_run(args, &out, &err), 0);
	CHECK_INT(rows_in(dir, names, FILES), TOTAL_ROWS);
	path = px__xasprintf("%s/batch.json", dir);
	text = px__read_file(path);
	CHECK_CONTAINS(text, "\"state\": \"complete\"");
	/* each experiment's own run time, as its meta.json has it, not the
	 * session up to the signal or up to the batch's end */
	CHECK_INT(px_check_batch_walls(dir), FILES);
	free(text);
	free(path);
	free(out);
	free(err);
	free(args);
	free(dir);
	free(exp);
}

static void test_changed_file_refused_unless_force(void)
{
	char *file = write_exp(px_cli_tmpdir(), "changing", false);
	char *dir = px__xasprintf("%s/changing-out", px_cli_tmpdir());
	char *args = px__xasprintf("run --quiet %s --output-dir %s", file, dir);
	char *out, *err, *want;
	FILE *f;

	CHECK_INT(px_cli_run(args, &out, &err), 0);
	free(out);
	free(err);
	f = fopen(file, "a");
	fputs("# edited after the run\n", f);
	fclose(f);
	free(args);
	args = px__xasprintf("run --resume %s", dir);
	CHECK_INT(px_cli_run(args, &out, &err), 2);
	want = px__xasprintf("the experiment file %s changed", file);
	CHECK_CONTAINS(err, want);
	CHECK_CONTAINS(err, "--force");
	free(out);
	free(err);
	free(args);
	args = px__xasprintf("run --resume %s --force", dir);
	CHECK_INT(px_cli_run(args, &out, &err), 0);
	free(out);
	free(err);
	free(args);
	free(want);
	free(dir);
	free(file);
}

static void test_cleanup(void)
{
	free(epath);
	px_cli_cleanup();
}

TEST_MAIN("resume", T(test_sigkill_at_20_moments),
          T(test_signals_write_and_mark), T(test_resume_after_signal),
          T(test_changed_file_refused_unless_force), T(test_cleanup))
