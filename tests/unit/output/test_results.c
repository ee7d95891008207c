/* test_results.c: summary.csv, summary.json and verdicts of a run with
 * hand-made measurements, parsed back and checked against values worked
 * out by hand. */
#include <unistd.h>

#include "base/csv.h"
#include "fixture.h"
#include "output/results.h"

/* The field `col` of the summary.csv row of trial `trial`, column `name`. */
static const char *field(const struct csv *c, const char *trial,
                         const char *name, const char *col)
{
	int ti = px__csv_column(c, "trial"), ci = px__csv_column(c, "column");
	int k = px__csv_column(c, col);

	for (size_t r = 0; r < c->nrows; r++)
		if (!strcmp(c->rows[r][ti], trial) && !strcmp(c->rows[r][ci], name))
			return k < 0 ? NULL : c->rows[r][k];
	return NULL;
}

/* A fresh results directory for the fixture's run; caller frees. */
static char *write_results(struct fixture *f, struct results *r)
{
	char tmpl[] = "/tmp/parlab-test-results-XXXXXX";
	char *dir;

	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(tmpl));
	dir = px__xasprintf("%s/run", tmpl);
	CU_ASSERT_FATAL(px__results_open(r, &f->plan, dir, true) == 0);
	px__results_summary(r, &f->plan, &f->m, f->v);
	px__results_verdicts(r, &f->plan, f->v);
	return dir;
}

static void test_summary_csv(void)
{
	struct fixture f;
	struct results r;
	struct csv c;
	char *dir, *path;

	px_fx_open(&f);
	dir = write_results(&f, &r);
	path = px__xasprintf("%s/summary.csv", dir);
	CHECK_INT(px__csv_read(path, &c), 0);
	CHECK_STR(c.header[0], "trial");
	/* Serial: runs 1.2, 1.0, 0.8. */
	CHECK_STR(field(&c, "0", "wall_s", "median"), "1");
	CHECK_STR(field(&c, "0", "wall_s", "min"), "0.8");
	CHECK_STR(field(&c, "0", "wall_s", "max"), "1.2");
	CHECK_STR(field(&c, "0", "wall_s", "runs"), "3");
	CHECK_STR(field(&c, "0", "wall_s", "noisy"), "1");
	CHECK_NEAR(atof(field(&c, "0", "wall_s", "stddev")), 0.2, 1e-9);
	/* cpu_s was half of each wall time. */
	CHECK_NEAR(atof(field(&c, "2", "cpu_s", "median")), 0.25, 1e-12);
	/* Columns no run measured have no row. */
	CU_ASSERT_PTR_NULL(field(&c, "0", "tasks", "median"));
	/* Speedup 1.0 / 0.5 and efficiency 2 / 2, with exact intervals. */
	CHECK_STR(field(&c, "2", "speedup", "median"), "2");
	CHECK_STR(field(&c, "2", "speedup", "ci_lo"), "2");
	CHECK_STR(field(&c, "2", "speedup", "ci_hi"), "2");
	CHECK_STR(field(&c, "2", "efficiency", "median"), "1");
	CHECK_STR(field(&c, "1", "speedup", "median"), "1");
	px__csv_free(&c);
	px__results_close(&r);
	free(path);
	free(dir);
	px_fx_close(&f);
}

static void test_summary_json_and_verdicts(void)
{
	struct fixture f;
	struct results r;
	char *dir, *text;

	px_fx_open(&f);
	dir = write_results(&f, &r);
	text = px_read_in(dir, "summary.json");
	CHECK_CONTAINS(text, "\"experiment\": \"fx\"");
	CHECK_CONTAINS(text, "\"cores\": 2,\n  \"repetitions\": 3,\n  \"baseline\": \"serial\"");
	CHECK_CONTAINS(text, "\"workers\": 2, \"runs\": 3, \"failed\": 0, \"selected\": true, \"speedup\": 2, \"speedup_ci\": [2, 2], \"efficiency\": 1");
	CHECK_CONTAINS(text, "\"wall_s\": {\"median\": 1, ");
	CHECK_CONTAINS(text, "\"outlier_runs\": []");
	CHECK_CONTAINS(text, "{\"expect\": \"speedup(free-threads, workers=2) > 1.5\", \"verdict\": \"pass\", \"inconclusive\": false, \"lhs\": 2");
	free(text);
	text = px_read_in(dir, "verdicts");
	CHECK_STR(text, "pass    speedup(free-threads, workers=2) > 1.5  [2 vs 1.5]\n");
	free(text);
	px__results_close(&r);
	free(dir);
	px_fx_close(&f);
}

static void test_verdict_line(void)
{
	struct verdict_result v = { .verdict = VERDICT_FAIL, .lhs = 1.25,
	                            .rhs = 1.5 };
	char *line = NULL;

	/* The terminal says "measured"; the verdicts file does not. */
	PX_CAPTURE(line, px__verdict_print(out_, "x > 1.5", &v, true));
	CHECK_STR(line, "FAIL    x > 1.5  [measured 1.25 vs 1.5]\n");
	free(line);
	snprintf(v.why, sizeof(v.why), "no successful run");
	PX_CAPTURE(line, px__verdict_print(out_, "x > 1.5", &v, false));
	CHECK_STR(line, "FAIL    x > 1.5  [1.25 vs 1.5]  no successful run\n");
	free(line);
}

TEST_MAIN("results", T(test_summary_csv), T(test_summary_json_and_verdicts),
          T(test_verdict_line))
