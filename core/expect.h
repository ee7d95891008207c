/* expect.h: the expectation language, e.g.
 *   speedup(free-threads, workers=cores) > 0.8 * cores
 *   p99(io_latency, gil-threads, workers=2) > 10 * p99(io_latency, serial)
 * A call names a metric and selects one trial: the strategy, then
 * key=value pairs (workers, or a strategy or workload parameter). */
#ifndef PX_EXPECT_H
#define PX_EXPECT_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"

struct plan;
struct expr;

/* Parses `text`, written at mark m. Returns NULL after reporting a syntax
 * error at its exact column. */
struct expr *px__expect_parse(const char *text, struct mark m, struct diag *d);

/* Binds every call to the one trial it selects and checks its metric
 * exists. Returns 0, or -EINVAL after reporting each selector that matches
 * no trial or several. */
int px__expect_resolve(struct expr *x, const struct plan *plan,
                       struct diag *d);

enum verdict { VERDICT_PASS, VERDICT_FAIL, VERDICT_SKIP };

struct verdict_result {
	enum verdict verdict;
	double lhs, rhs;
	/* Each side's range when every measured value varies within its
	 * interval of the median; the verdict is inconclusive when the
	 * comparison comes out differently somewhere in those ranges. */
	double lhs_lo, lhs_hi, rhs_lo, rhs_hi;
	bool inconclusive;
	char why[512];   /* the reason for a skip or a failure to measure */
};

/* Evaluates x over the measured trials (medians of their runs). */
void px__expect_eval(const struct expr *x, const struct plan *plan,
                     struct verdict_result *out);

/* "pass", "FAIL", "skipped". */
const char *px__verdict_name(enum verdict v);

/* Writes the verdict as printed: "pass", "FAIL", "skipped", or with
 * " (inconclusive: interval A .. B vs C .. D)" after pass or FAIL. */
void px__verdict_text(const struct verdict_result *v, char *buf, size_t cap);

/* The value of metric column `col` for trial t: the median over its
 * successful runs, NaN when it has none. */
double px__trial_median(const struct plan *plan, size_t trial, int col);

/* Speedup of trial t over its baseline (baseline median wall / t's). */
double px__trial_speedup(const struct plan *plan, size_t trial);

void px__expect_free(struct expr *x);

#endif
