/* expect_resolve.h: an expectation's selectors bound to the trials of a
 * plan, so that each call names exactly one trial and one column. */
#ifndef PX_EXPECT_RESOLVE_H
#define PX_EXPECT_RESOLVE_H

#include "base/diag.h"
#include "input/expect.h"
#include "plan/plan.h"

/* Binds every call to the one trial it selects and checks its metric
 * exists. Returns 0, or -EINVAL after reporting each selector that matches
 * no trial or several. */
int px__expect_resolve(struct expr *x, const struct plan *plan,
                       struct diag *d);

/* The i-th function an expectation may call by name (speedup, efficiency,
 * the short names of built-in columns such as wall, then p50, p99, ...),
 * or NULL past the last. Any column of trials.csv may be called as well.
 * The documentation test checks docs/expectations.md against it. */
const char *px__expect_function(size_t i);

#endif
