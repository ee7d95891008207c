/* test_baseline.c: a real run whose baseline is a strategy with parameters
 * ({name: free-threads, params: {spawn: per-task}}): summary.csv's speedup
 * of every trial is the ratio of the medians of that trial and the
 * baseline's trial, free-threads spawn=per-task at 1 worker. */
#include <math.h>
#include <stdlib.h>
#include <sys/wait.h>

#include "helpers.h"
#include "base/csv.h"

static const char *const run_yaml =
	"experiment: baseline-params\n"
	"workload: {name: cpu-count, params: {iterations: 100_000, tasks: 4}}\n"
	"strategies:\n"
	"  - serial\n"
	"  - {name: free-threads, params: {spawn: [pool, per-task]}}\n"
	"workers: [1, 2]\nrepetitions: 3\nwarmup: 0\n"
	"baseline: {name: free-threads, params: {spawn: per-task}}\n";

static const char *cell(const struct csv *c, size_t r, const char *col)
{
	int k = px__csv_column(c, col);

	CU_ASSERT_FATAL(k >= 0);
	return c->rows[r][k];
}

/* The median of summary.csv's row of `column` for the trial labelled
 * `label` with `workers`; NAN when there is none. */
static double median_of(const struct csv *s, const char *label,
                        const char *workers, const char *column)
{
	for (size_t r = 0; r < s->nrows; r++)
		if (!strcmp(cell(s, r, "label"), label) &&
		    !strcmp(cell(s, r, "workers"), workers) &&
		    !strcmp(cell(s, r, "column"), column))
			return strtod(cell(s, r, "median"), NULL);
	return NAN;
}

static void test_speedup_against_parameterised_baseline(void)
{
	char tmp[] = "/tmp/parlab-baseline-XXXXXX";
	char *yaml, *cmd, *dir, *path, *json;
	double base;
	size_t speedups = 0;
	struct csv s;
	FILE *f;

	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(tmp));
	yaml = px__xasprintf("%s/b.yaml", tmp);
	dir = px__xasprintf("%s/out", tmp);
	f = fopen(yaml, "w");
	fputs(run_yaml, f);
	fclose(f);
	cmd = px__xasprintf("timeout 300 %s run --quiet --output-dir %s %s >/dev/null",
	                    PARLAB_TEST_BINARY, dir, yaml);
	CHECK_INT(WEXITSTATUS(system(cmd)), 0);
	path = px__xasprintf("%s/summary.csv", dir);
	CHECK_INT(px__csv_read(path, &s), 0);
	base = median_of(&s, "free-threads spawn=per-task", "1", "wall_s");
	CU_ASSERT_FATAL(base > 0);
	for (size_t r = 0; r < s.nrows; r++) {
		const char *label = cell(&s, r, "label");
		const char *w = cell(&s, r, "workers");
		double wall, speedup;
		if (strcmp(cell(&s, r, "column"), "speedup") != 0)
			continue;
		speedups++;
		wall = median_of(&s, label, w, "wall_s");
		speedup = strtod(cell(&s, r, "median"), NULL);
		/* summary.csv prints the speedup to 6 significant digits. */
		CHECK_NEAR(speedup, base / wall, 1e-5 * (base / wall));
		if (!strcmp(label, "free-threads spawn=per-task") && !strcmp(w, "1"))
			CHECK_NEAR(speedup, 1.0, 1e-9);
	}
	/* Every trial has a baseline: serial and 2 x 2 free-threads. */
	CHECK_INT(speedups, 5);
	json = px__xasprintf("%s/summary.json", dir);
	free(cmd);
	cmd = px__read_file(json);
	CHECK_CONTAINS(cmd, "\"baseline\": \"free-threads\"");
	px__csv_free(&s);
	free(cmd);
	cmd = px__xasprintf("rm -rf %s", tmp);
	CHECK_INT(system(cmd), 0);
	free(cmd);
	free(json);
	free(path);
	free(yaml);
	free(dir);
}

TEST_MAIN("baseline", T(test_speedup_against_parameterised_baseline))
