/* test_report.c: the report model read back from tests/data/report-run
 * (values as its summary.csv and verdicts hold them), and the files
 * `parlab report` writes from it. */
#include <unistd.h>

#include "unit.h"
#include "output/report.h"
#include "output/report_model.h"

#define RUN_DIR PARLAB_TEST_SOURCE_DIR "/tests/data/report-run"

static void test_model_from_summary(void)
{
	struct rmodel m;

	CHECK_INT(px__rmodel_load(RUN_DIR, &m), 0);
	CHECK_INT(m.n, 2);
	CHECK_STR(m.t[0].label, "serial");
	CHECK_STR(m.t[1].label, "gil-threads");
	CHECK_INT(m.t[1].workers, 2);
	CHECK_INT(m.t[0].runs, 5);
	CHECK_INT(m.t[0].failed, 0);
	/* summary.csv: serial wall_s median 0.000387888 in 0.000359679 ..
	 * 0.000492844, cv 0.126100953 (noisy); speedup 1 for the baseline. */
	CHECK_NEAR(m.t[0].wall.median, 0.000387888, 1e-12);
	CHECK_NEAR(m.t[0].wall.lo, 0.000359679, 1e-12);
	CHECK_NEAR(m.t[0].wall.hi, 0.000492844, 1e-12);
	CHECK_NEAR(m.t[0].cv, 0.126100953, 1e-9);
	CU_ASSERT(m.t[0].noisy);
	CHECK_NEAR(m.t[0].speedup.median, 1, 1e-9);
	CHECK_STR(m.sampled, "io_latency");
	px__rmodel_free(&m);
}

/* Copies the fixture into a fresh directory; returns it (caller frees). */
static char *copy_run(void)
{
	char tmpl[] = "/tmp/parlab-test-report-XXXXXX";
	char *cmd;

	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(tmpl));
	cmd = px__xasprintf("cp %s/* %s/", RUN_DIR, tmpl);
	CU_ASSERT_FATAL(system(cmd) == 0);
	free(cmd);
	return px__xstrdup(tmpl);
}

static void test_report_files(void)
{
	char *dir = copy_run(), *path, *html;
	static const char *const charts[] = { "speedup.svg", "time.svg",
	                                      "latency.svg", "gil.svg" };

	CHECK_INT(px__report_write(dir, NULL), 0);
	for (size_t i = 0; i < PX_ARRAY_LEN(charts); i++) {
		path = px__xasprintf("%s/%s", dir, charts[i]);
		CU_ASSERT(access(path, R_OK) == 0);
		free(path);
	}
	html = px_read_in(dir, "report.html");
	CHECK_CONTAINS(html, "<html>");
	CHECK_CONTAINS(html, "gil-threads");
	/* The verdict and its expectation, escaped for HTML. */
	CHECK_CONTAINS(html, "p50(io_latency, gil-threads) &gt; 10 * p50(io_latency, serial)");
	/* Charts are inline: the page needs no other file. */
	CHECK_CONTAINS(html, "<svg");
	free(html);
	free(dir);
}

TEST_MAIN("report", T(test_model_from_summary), T(test_report_files))
