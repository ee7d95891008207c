/* expect_fixture.h: an experiment with one expectation line, parsed,
 * planned (serial and free-threads with chunksize 1 or 4, at 1 and 2
 * workers, on a synthetic 2-core machine) and resolved, for the tests of
 * the expectation language: parsing, resolving and verdicts. Each includer
 * is one program. */
#ifndef PX_TEST_EXPECT_FIXTURE_H
#define PX_TEST_EXPECT_FIXTURE_H

#include "helpers.h"
#include "base/util.h"
#include "measure/verdict.h"
#include "plan/expect_resolve.h"

static struct registry reg;
static struct topo tp;
static struct measurements meas;

static inline void init_world(void)
{
	char err[256];

	if (!reg.n) {
		px_test_registry(&reg);
		px__topo_open(&tp, "pack:1 core:2 pu:1", err, sizeof(err));
	}
}

/* An experiment with serial and free-threads (chunksize 1 or 4) at 1 and
 * 2 workers on a 2-core synthetic machine, every trial given fake runs. */
static inline struct experiment *make(const char *expect_line, struct plan *p,
                               char **errs, int *n_errors)
{
	char *text;
	struct experiment *e;
	size_t len = 0;
	FILE *out;
	struct diag d;

	init_world();
	text = px__xasprintf(
		"experiment: x\nworkload: faulty\n"
		"strategies: [serial, {name: free-threads, params: {chunksize: [1, 4]}}]\n"
		"workers: [1, 2]\nexpect:\n  - %s\n", expect_line);
	e = px_test_load(&reg, &tp, text, errs, n_errors);
	free(text);
	if (!e)
		return NULL;
	free(*errs);
	out = open_memstream(errs, &len);
	d = (struct diag){ out, 0 };
	CHECK_INT(px__plan_build(p, e, &tp, 3, &d), 0);
	px__measurements_init(&meas, p);
	if (px__expect_resolve(e->expects[0].expr, p, &d)) {
		px__plan_free(p);
		px__measurements_free(&meas);
	}
	fclose(out);
	*n_errors = d.errors;
	return e;
}

/* `line` must fail to parse or resolve with `what` at `where`. */
static inline void check_error(const char *line, const char *where, const char *what)
{
	struct plan p;
	char *errs = NULL;
	int n = 0;
	struct experiment *e = make(line, &p, &errs, &n);

	CU_ASSERT(n >= 1);
	CHECK_CONTAINS(errs, where);
	CHECK_CONTAINS(errs, what);
	if (e && n == 0) {
		px__plan_free(&p);
		px__measurements_free(&meas);
	}
	px__experiment_free(e);
	free(errs);
}

#endif
