/* verdict.h: an expectation evaluated over what the trials measured, into
 * pass, fail, skipped or inconclusive, and the verdict as printed. */
#ifndef PX_VERDICT_H
#define PX_VERDICT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "input/expect.h"
#include "measure/trial_stats.h"
#include "plan/plan.h"

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

/* Evaluates x (resolved against plan) over the measured trials (medians
 * of their runs). */
void px__expect_eval(const struct expr *x, const struct plan *plan,
                     const struct measurements *m, struct verdict_result *out);

/* "pass", "FAIL", "skipped". */
const char *px__verdict_name(enum verdict v);

/* Writes the verdict as printed: "pass", "FAIL", "skipped", or with
 * " (inconclusive: interval A .. B vs C .. D)" after pass or FAIL. */
void px__verdict_text(const struct verdict_result *v, char *buf, size_t cap);

/* Prints one verdict line, "pass    EXPECT  [A vs B]  why", as both the
 * terminal (with `measured` set: "[measured A vs B]") and the verdicts
 * file show it. */
void px__verdict_print(FILE *f, const char *expect,
                       const struct verdict_result *v, bool measured);

#endif
