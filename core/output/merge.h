/* merge.h: what `parlab merge` reads back from one experiment's results
 * directory (meta.json and summary.json), and the claims x machines
 * matrix it builds from several. */
#ifndef PX_MERGE_H
#define PX_MERGE_H

#include <stdbool.h>
#include <stddef.h>

#include "output/batch.h"

/* One expectation's verdict as summary.json recorded it. */
struct merged_verdict {
	char *expect;
	char verdict[16];      /* pass, fail, skipped, or inconclusive */
	double value;          /* lhs: the measured value, NaN if none */
};

/* One experiment's results directory. */
struct merged_exp {
	char *dir;             /* where it is now */
	char *name, *host, *sha256, *state, *source, *description;
	char *column;          /* its matrix column: the host, "host (2)"
	                          for a second run on one host */
	char *rel_dir;         /* its place in the merged batch */
	unsigned long runs_planned, runs_done;
	double wall_s;
	unsigned failed_runs;
	struct merged_verdict *verdicts;
	size_t n_verdicts;
};

/* Reads dir/meta.json and dir/summary.json into e; false after naming on
 * stderr what is missing. */
bool px__merged_read(struct merged_exp *e, const char *dir);
void px__merged_free(struct merged_exp *e);

/* e's overview row (pointing into e). */
void px__merged_row(const struct merged_exp *e, struct batch_row *b);

/* The claims x machines matrix of v: claims in the order first seen,
 * columns by v's `column`s in the order first seen. */
void px__merged_matrix(const struct merged_exp *v, size_t n,
                       struct batch_matrix *m);
void px__matrix_free(struct batch_matrix *m);

#endif
