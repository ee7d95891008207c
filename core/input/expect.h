/* expect.h: the expectation language as written, parsed into a tree
 * (plan/expect_resolve.h binds it to trials, measure/verdict.h evaluates
 * it), e.g.
 *   speedup(free-threads, workers=cores) > 0.8 * cores
 *   p99(io_latency, gil-threads, workers=2) > 10 * p99(io_latency, serial)
 * A call names a metric and selects one trial: the strategy, then
 * key=value pairs (workers, or a strategy or workload parameter). */
#ifndef PX_EXPECT_H
#define PX_EXPECT_H

#include <stdbool.h>
#include <stddef.h>

#include "base/diag.h"

struct expr;

/* Parses `text`, written at mark m. Returns NULL after reporting a syntax
 * error at its exact column. */
struct expr *px__expect_parse(const char *text, struct mark m, struct diag *d);

void px__expect_free(struct expr *x);

/* The i-th function whose first argument is a sampled metric (p50, p99,
 * ...), or NULL past the last. */
const char *px__expect_metric_fn(size_t i);

#endif
