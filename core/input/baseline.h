/* baseline.h: the `baseline` key, a strategy name or a strategy with
 * parameters ({name: free-threads, params: {spawn: pool}}): its check
 * against the strategies listed, and which trials it names (plan/plan.c
 * picks each trial's baseline among them). */
#ifndef PX_BASELINE_H
#define PX_BASELINE_H

#include <stdbool.h>

#include "input/experiment.h"

/* Checks e's baseline against its strategies: the name must be one of
 * them (else the nearest is suggested); with params, each gives one value
 * and some listed entry of that strategy runs those values. Reports every
 * problem to d at its line and column; false if there was one. */
bool px__baseline_check(const struct experiment *e, struct diag *d);

/* Whether a trial of strategy s with every parameter's value in svals is
 * one of the baseline's: s is the baseline strategy and, in the params
 * form, has the values given (those not given may be anything). */
bool px__baseline_fits(const struct experiment *e, const struct plugin *s,
                       const union pvalue *svals);

/* The baseline as messages name it: "free-threads with {spawn: pool}",
 * or the name alone. The caller frees it. */
char *px__baseline_text(const struct experiment *e);

#endif
