/* batch.h: the overview of a batch directory: batch.json, summary.md and
 * index.html, one row per experiment. */
#ifndef PX_BATCH_H
#define PX_BATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* One experiment of a batch as the overview shows it. */
struct batch_row {
	const char *name, *description;
	const char *source;       /* the experiment file as given */
	const char *host;         /* where it ran; NULL: this machine */
	const char *results_dir;  /* its results directory, relative to the
	                             batch directory */
	const char *state;        /* "pending", "running", "interrupted",
	                             "complete" */
	unsigned pass, fail, inconclusive, skipped;  /* verdicts */
	unsigned failed_runs;
	double wall_s;            /* NaN before it ran */
	unsigned long runs_planned, runs_done;
};

/* One cell of the claims x machines matrix: one expectation on one host. */
struct batch_cell {
	bool present;             /* false: that host has no such result */
	char verdict[16];         /* "pass", "fail", "inconclusive", "skipped" */
	double value;             /* the measured value (lhs), NaN if none */
	char figure[32];          /* value as shown: "1.98x", "14.1 us" */
};

/* One claim (an expectation of an experiment): a cell per host. */
struct batch_claim {
	const char *experiment, *expect;
	struct batch_cell *cells;  /* n_hosts of them */
};

/* The claims x machines matrix of a merged batch (parlab merge). */
struct batch_matrix {
	const char **hosts;
	size_t n_hosts;
	struct batch_claim *claims;
	size_t n_claims;
};

/* Writes dir/batch.json, dir/summary.md and dir/index.html (each whole or
 * not at all); `state` is the batch's. Returns how many could not be
 * written (each named on stderr). */
unsigned px__batch_write(const char *dir, const struct batch_row *rows,
                         size_t n, const char *state);
/* The same, with the claims x machines matrix m (NULL: none) in each. */
unsigned px__batch_write_matrix(const char *dir, const struct batch_row *rows,
                                size_t n, const char *state,
                                const struct batch_matrix *m);
/* The same, naming the n_left files --keep-going left out (batch.json's
 * "left_out", a line in summary.md and index.html). */
unsigned px__batch_write_full(const char *dir, const struct batch_row *rows,
                              size_t n, const char *state,
                              const struct batch_matrix *m,
                              const char *const *left, size_t n_left);

/* The matrix parts (batch_matrix.c): "hosts" and "matrix" members of
 * batch.json, and a table in summary.md and in index.html. */
void px__matrix_json(FILE *f, const struct batch_matrix *m);
void px__matrix_md(FILE *f, const struct batch_matrix *m);
void px__matrix_html(FILE *f, const struct batch_matrix *m);
/* "pass 1.98x", or "-" for a host without the claim. */
void px__matrix_cell_text(char *buf, size_t cap, const struct batch_cell *c);

#endif
