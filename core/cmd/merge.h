/* merge.h: the parts of `parlab merge`: finding and checking the results
 * directories given, and placing them in the merged batch. */
#ifndef PX_CMD_MERGE_H
#define PX_CMD_MERGE_H

#include <stdbool.h>
#include <stddef.h>

#include "output/merge.h"

struct merge_set {
	struct merged_exp *v;
	size_t n, cap;
};

/* Adds the experiment directories of each of dirs (one, or those below
 * it); false after naming each that holds none or cannot be read. */
bool px__merge_collect(struct merge_set *s, char **dirs, int n);

/* False after naming each experiment whose results come from different
 * experiment files (experiment_sha256), with the first line that
 * differs. */
bool px__merge_check(const struct merge_set *s);

/* Gives each its matrix column and its place in out: where it already
 * is when under out, else a copy in out/<experiment>@<host>. Returns how
 * many could not be copied (named on stderr). */
unsigned px__merge_place(struct merge_set *s, const char *out);

#endif
