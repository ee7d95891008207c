/* cmd_compare.c: `parlab compare DIR_A DIR_B` puts two result sets side by side
 * (two machines, two versions), trial by trial, with the ratio of the
 * median wall times, its interval, and whether the difference is
 * significant by the Mann-Whitney U test. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cli.h"
#include "base/csv.h"
#include "measure/stats.h"
#include "base/util.h"

/* The measured wall times of one trial (label and workers). */
struct side {
	char *key;          /* "label, N workers" */
	long trial;         /* the trial's index, for the order of the table */
	double *wall;
	size_t n, cap;
};

struct sides {
	struct side *s;
	size_t n, cap;
};

static struct side *side_of(struct sides *ss, const char *key)
{
	for (size_t i = 0; i < ss->n; i++)
		if (strcmp(ss->s[i].key, key) == 0)
			return &ss->s[i];
	px__grow(&ss->s, &ss->cap, ss->n + 1, sizeof(*ss->s));
	ss->s[ss->n].key = px__xstrdup(key);
	return &ss->s[ss->n++];
}

static int by_trial(const void *x, const void *y)
{
	long a = ((const struct side *)x)->trial, b = ((const struct side *)y)->trial;

	return (a > b) - (a < b);
}

/* Reads DIR/trials.csv into wall times per trial; 0 or prints why. */
static int load(const char *dir, struct sides *out)
{
	char *path = px__xasprintf("%s/trials.csv", dir);
	struct csv c;
	int rc = px__csv_read(path, &c), trial, label, workers, status, wall;

	memset(out, 0, sizeof(*out));
	if (rc) {
		fprintf(stderr, "parlab: error: %s: %s\n", path,
		        rc == -EINVAL ? "not a parlab trials.csv (rows of uneven length)"
		                      : strerror(-rc));
		free(path);
		return rc;
	}
	trial = px__csv_column(&c, "trial");
	label = px__csv_column(&c, "label");
	workers = px__csv_column(&c, "workers");
	status = px__csv_column(&c, "status");
	wall = px__csv_column(&c, "wall_s");
	if (trial < 0 || label < 0 || workers < 0 || status < 0 || wall < 0) {
		fprintf(stderr, "parlab: error: %s: lacks the trial, label, workers, status or wall_s column\n",
		        path);
		px__csv_free(&c);
		free(path);
		return -EINVAL;
	}
	for (size_t r = 0; r < c.nrows; r++) {
		char **row = c.rows[r];
		char *key = px__xasprintf("%s, %s workers", row[label], row[workers]);
		struct side *s = side_of(out, key);
		free(key);
		s->trial = atol(row[trial]);
		if (strcmp(row[status], "ok") != 0 || !row[wall][0])
			continue;
		px__grow(&s->wall, &s->cap, s->n + 1, sizeof(double));
		s->wall[s->n++] = atof(row[wall]);
	}
	px__csv_free(&c);
	free(path);
	qsort(out->s, out->n, sizeof(*out->s), by_trial);
	return 0;
}

static void free_sides(struct sides *ss)
{
	for (size_t i = 0; i < ss->n; i++) {
		free(ss->s[i].key);
		free(ss->s[i].wall);
	}
	free(ss->s);
}

static void compare_one(const struct side *a, const struct side *b)
{
	struct summary sa, sb;
	double p, u;
	const char *verdict;

	px__summarise(a->wall, a->n, &sa);
	px__summarise(b->wall, b->n, &sb);
	p = px__mann_whitney(a->wall, a->n, b->wall, b->n, &u);
	if (isnan(p))
		verdict = "not measured";
	else if (p >= 0.05)
		verdict = "no significant difference";
	else
		verdict = sb.median < sa.median ? "B faster" : "B slower";
	printf("%-44.44s %10.4f %10.4f %7.3f  [%6.3f .. %6.3f] %8.3g  %s\n",
	       a->key, sa.median, sb.median, sb.median / sa.median,
	       sb.ci_lo / sa.ci_hi, sb.ci_hi / sa.ci_lo, p, verdict);
}

int px__cmd_compare(struct cli *c)
{
	struct sides a, b;
	int code = PX_EXIT_OK;

	if (c->nfiles != 2) {
		fprintf(stderr, "parlab: error: compare needs two results directories\n");
		return PX_EXIT_USAGE;
	}
	if (load(c->files[0], &a))
		return PX_EXIT_USAGE;
	if (load(c->files[1], &b)) {
		free_sides(&a);
		return PX_EXIT_USAGE;
	}
	printf("A: %s\nB: %s\n", c->files[0], c->files[1]);
	printf("wall time, median of each side's runs; B/A with the interval from both sides' intervals of the median;\n"
	       "p: Mann-Whitney U test, two-sided (exact without ties), significant below 0.05\n\n");
	printf("%-44s %10s %10s %7s  %18s %8s  %s\n", "trial", "A s", "B s", "B/A",
	       "interval of B/A", "p", "verdict");
	for (size_t i = 0; i < a.n; i++) {
		const struct side *other = NULL;
		for (size_t k = 0; k < b.n; k++)
			if (strcmp(a.s[i].key, b.s[k].key) == 0)
				other = &b.s[k];
		if (other)
			compare_one(&a.s[i], other);
		else
			printf("%-44.44s only in A\n", a.s[i].key);
	}
	for (size_t k = 0; k < b.n; k++) {
		bool in_a = false;
		for (size_t i = 0; i < a.n; i++)
			in_a |= strcmp(a.s[i].key, b.s[k].key) == 0;
		if (!in_a)
			printf("%-44.44s only in B\n", b.s[k].key);
	}
	free_sides(&a);
	free_sides(&b);
	return code;
}
