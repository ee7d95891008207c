/* test_slurm.c: `parlab slurm` against a real one-node SLURM, started by
 * tools/slurm-local.sh (slurmctld, slurmd and munged on this machine, as
 * root). Submits a folder of two tiny experiments (noop, serial, 2
 * repetitions) as a job array, waits for the merge job (a generous bound
 * for a hang, not a timing claim) and checks the merged overview; then
 * marks one experiment interrupted and submits again: that task resumes
 * it, the other skips its complete one, and the overview is rewritten.
 * Exits 77 (ctest: skipped), saying why, when SLURM cannot start here. */
#include <unistd.h>

#include "batch_files.h"
#include "cli_run.h"
#include "json_check.h"

/* Bound on one job array's life: a hang, not a measurement. */
#define WAIT_S 900

static char *exp_dir, *batch;

/* The job id after "merge job: " in out, or 0. */
static long merge_job(const char *out)
{
	const char *p = out ? strstr(out, "merge job: ") : NULL;

	return p ? strtol(p + 11, NULL, 10) : 0;
}

/* Waits until job id has ended; its JobState ("COMPLETED"...). */
static char *wait_job(long id)
{
	char *cmd = px__xasprintf("scontrol show job %ld 2>&1", id);
	char line[4096], *state = NULL;

	for (int s = 0; s < WAIT_S && !state; s++) {
		FILE *p = popen(cmd, "r");
		CU_ASSERT_FATAL(p != NULL);
		while (fgets(line, sizeof(line), p)) {
			char *st = strstr(line, "JobState=");
			if (st && !strstr(st, "PENDING") && !strstr(st, "RUNNING") &&
			    !strstr(st, "COMPLETING") && !strstr(st, "CONFIGURING"))
				state = px__xasprintf("%.*s", (int)strcspn(st + 9, " \n"),
				                      st + 9);
		}
		pclose(p);
		if (!state)
			sleep(1);
	}
	free(cmd);
	return state ? state : px__xstrdup("(still running: hang bound reached)");
}

/* Submits the folder and waits for its merge job; parlab's stdout. */
static char *submit_and_wait(void)
{
	char *args = px__xasprintf("slurm %s --output-dir %s --partition debug --sbatch-arg --job-name=parlab-test",
	                           exp_dir, batch);
	char *out, *err, *state;

	CHECK_INT(px_cli_run(args, &out, &err), 0);
	CHECK_CONTAINS(out, "array job: ");
	CU_ASSERT_FATAL(merge_job(out) > 0);
	state = wait_job(merge_job(out));
	CHECK_STR(state, "COMPLETED");
	free(state);
	free(err);
	free(args);
	return out;
}

/* The folder of two tiny experiments, alpha and beta. */
static void test_setup(void)
{
	char *text;

	exp_dir = px__xasprintf("%s/exp", px_cli_tmpdir());
	batch = px__xasprintf("%s/batch", px_cli_tmpdir());
	text = px_tiny_experiment("alpha", true);
	px_put(exp_dir, "a.yaml", text);
	free(text);
	text = px_tiny_experiment("beta", false);
	px_put(exp_dir, "b.yaml", text);
	free(text);
}

static void test_array_and_merge(void)
{
	char *out = submit_and_wait(), *text = px_read_in(batch, "batch.json");

	CU_ASSERT(text && json_valid(text));
	CHECK_CONTAINS(text, "\"state\": \"complete\"");
	CHECK_CONTAINS(text, "\"name\": \"alpha\", \"description\": \"the alpha one\"");
	CHECK_CONTAINS(text, "\"name\": \"beta\", \"description\": \"the beta one\"");
	CHECK_CONTAINS(text, "\"results_dir\": \"a\"");
	CHECK_CONTAINS(text, "\"results_dir\": \"b\"");
	CHECK_CONTAINS(text, "\"runs_planned\": 2, \"runs_done\": 2,\n     \"pass\": 1, \"fail\": 0, \"inconclusive\": 0, \"skipped\": 0");
	CHECK_CONTAINS(text, "\"runs_planned\": 4, \"runs_done\": 4,\n     \"pass\": 1, \"fail\": 0");
	free(text);
	text = px_read_in(batch, "summary.md");
	CHECK_CONTAINS(text, "## Claims x machines");
	free(text);
	text = px_read_in(batch, "slurm-array.sh");
	CHECK_CONTAINS(text, "#SBATCH --exclusive");
	CHECK_CONTAINS(text, "#SBATCH --partition=debug");
	free(text);
	free(out);
}

static void test_resubmit_resumes(void)
{
	char *cmd = px__xasprintf("sed -i 's/\"state\": \"complete\"/\"state\": \"interrupted\"/' '%s/b/meta.json'",
	                          batch);
	char *out, *logs, *text;

	CHECK_INT(system(cmd), 0);
	free(cmd);
	out = submit_and_wait();
	cmd = px__xasprintf("cat '%s'/slurm-*_*.out > '%s/all.log'", batch, batch);
	CHECK_INT(system(cmd), 0);
	logs = px_read_in(batch, "all.log");
	CHECK_CONTAINS(logs, "/a is complete; skipped");
	CHECK_CONTAINS(logs, "resuming ");
	text = px_read_in(batch, "b/meta.json");
	CHECK_CONTAINS(text, "\"state\": \"complete\"");
	CHECK_CONTAINS(text, "\"runs_done\": 2");
	free(text);
	text = px_read_in(batch, "batch.json");
	CU_ASSERT(text && json_valid(text));
	CHECK_CONTAINS(text, "\"state\": \"complete\"");
	free(text);
	free(logs);
	free(cmd);
	free(out);
}

/* Why SLURM cannot start, or NULL when it runs. */
static char *start_slurm(void)
{
	char *cmd = px__xasprintf("sh %s/tools/slurm-local.sh 2>%s/start.log",
	                          PARLAB_TEST_SOURCE_DIR, px_cli_tmpdir());
	char *log, *why = NULL;

	if (geteuid() != 0)
		why = px__xstrdup("not root (slurmctld and slurmd run as root)");
	else if (system(cmd) != 0) {
		log = px_read_in(px_cli_tmpdir(), "start.log");
		why = log && strstr(log, "cannot start: ")
		      ? px__xasprintf("%.*s", (int)strcspn(strstr(log, "cannot start: ") + 14, "\n"),
		                      strstr(log, "cannot start: ") + 14)
		      : px__xstrdup("tools/slurm-local.sh failed");
		free(log);
	}
	free(cmd);
	return why;
}

int main(void)
{
	static const struct test tests[] = {
		T(test_setup), T(test_array_and_merge), T(test_resubmit_resumes),
	};
	char *why = start_slurm();
	int rc;

	if (why) {
		printf("system.slurm: SKIPPED: SLURM cannot start here: %s\n", why);
		free(why);
		why = px__xasprintf("rm -rf '%s'", px_cli_tmpdir());
		rc = system(why);
		free(why);
		return 77;
	}
	rc = px_test_run("slurm", tests, PX_ARRAY_LEN(tests));
	if (rc == 0) {
		why = px__xasprintf("rm -rf '%s'", px_cli_tmpdir());
		rc = system(why) != 0;
		free(why);
	}
	free(exp_dir);
	free(batch);
	return rc;
}
