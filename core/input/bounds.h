/* bounds.h: what an experiment may ask for, checked from the sizes of its
 * sweeps before anything is expanded: trials, runs, worker placements,
 * and no strategy listed twice. */
#ifndef PX_BOUNDS_H
#define PX_BOUNDS_H

#include <stdbool.h>

#include "input/experiment.h"

/* Reports to ctx->d (with the count and how long it could take) a plan
 * that would be too big, and strategies listed twice with the same
 * parameters. Returns true when the experiment is within bounds. */
bool px__experiment_check_bounds(const struct load_ctx *ctx,
                                 const struct experiment *e);

#endif
