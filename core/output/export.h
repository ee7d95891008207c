/* export.h: a run's results in formats other tools read: a Markdown table
 * to paste into a README, and Google Benchmark's JSON, which its
 * tools/compare.py takes. */
#ifndef PX_EXPORT_H
#define PX_EXPORT_H

#include <stdio.h>

#include "measure/trial_stats.h"
#include "measure/verdict.h"
#include "plan/plan.h"

/* The trial table and the verdicts as Markdown. */
void px__export_markdown(FILE *f, const struct plan *plan,
                         const struct measurements *m,
                         const struct verdict_result *verdicts);

/* Google Benchmark's JSON: a context, then per trial one "iteration" row
 * per measured run and "aggregate" rows for mean, median and stddev;
 * times in ns, a trial named experiment/label/workers:N. */
void px__export_gbench(FILE *f, const struct plan *plan,
                       const struct measurements *m, const char *date);

#endif
