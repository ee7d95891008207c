/* runtime.h: one trial run, executed inside its own process, reporting
 * through the region of run_region.h. */
#ifndef PX_RUNTIME_H
#define PX_RUNTIME_H

#include "exec/run_region.h"
#include "plan/plan.h"

/* Runs trial t once in the calling process (a child of the runner),
 * writing status, message and values into the region. Returns the exit
 * status the child should end with (0 also when the result was wrong: the
 * status field says so). */
int px__runtime_run(const struct plan *plan, const struct trial *t,
                    void *region, const struct region_layout *l);

#endif
