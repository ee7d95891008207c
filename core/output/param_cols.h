/* param_cols.h: the parameter columns of the data files (trials.csv,
 * summary.csv) and the parameter objects of summary.json, in base units
 * so that a notebook reads them without parsing: "s.chunksize",
 * "w.sleep_ns" (nanoseconds), "w.region_bytes" (bytes), booleans 0 or 1,
 * enums as their word. */
#ifndef PX_PARAM_COLS_H
#define PX_PARAM_COLS_H

#include <stdbool.h>
#include <stdio.h>

#include "plan/plan.h"

struct param_col {
	char *name;          /* "chunksize", "sleep_ns": no "s." or "w." */
	const char *param;   /* the parameter's own name */
	bool strategy;       /* a strategy's (s.) or the workload's (w.) */
};

struct param_cols {
	struct param_col *c;
	size_t n;
};

/* The union of the parameters of every strategy and of the workload of
 * plan, each once (a name whose type differs between strategies gets a
 * column per unit). */
void px__param_columns(const struct plan *plan, struct param_cols *pc);

void px__param_columns_free(struct param_cols *pc);

/* ",s.a,s.b" (strategy) or ",w.a,w.b" (workload): the header cells. */
void px__param_header(FILE *f, const struct param_cols *pc, bool strategy);

/* ",v,v": trial t's values in base units for the same columns, empty
 * where t's plugin has no such parameter. */
void px__param_cells(FILE *f, const struct param_cols *pc, bool strategy,
                     const struct trial *t);

/* {"name": value, ...} of every parameter of t's strategy or workload:
 * numbers in base units, booleans true/false, enums as strings. Keys are
 * the column names ("sleep_ns"). */
void px__param_json(FILE *f, const struct trial *t, bool strategy);

#endif
