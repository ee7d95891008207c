/* cmd_compare.c: `parlab compare DIR_A DIR_B` puts two result sets side by
 * side (two machines, two versions), trial by trial: the medians of one
 * column of trials.csv (wall_s unless --metric names another), B/A with
 * its interval, and whether the difference is significant by the
 * Mann-Whitney U test, saying so when the runs are too few for any
 * difference to be. --json prints one JSON document instead. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/csv.h"
#include "base/json.h"
#include "base/units.h"
#include "base/util.h"
#include "cmd/cli.h"
#include "measure/stats.h"

#define PX_ALPHA 0.05

/* The measured values of one trial (label and workers). */
struct side {
	char *key;          /* "label, N workers" */
	char *label;
	long trial;         /* the trial's index, for the order of the table */
	long workers;
	double *v;
	size_t n, cap;
};

struct sides {
	struct side *s;
	size_t n, cap;
};

static struct side *side_of(struct sides *ss, char **row, int label,
                            int workers)
{
	char *key = px__xasprintf("%s, %s workers", row[label], row[workers]);

	for (size_t i = 0; i < ss->n; i++)
		if (strcmp(ss->s[i].key, key) == 0) {
			free(key);
			return &ss->s[i];
		}
	px__grow(&ss->s, &ss->cap, ss->n + 1, sizeof(*ss->s));
	ss->s[ss->n] = (struct side){ .key = key,
	                              .label = px__xstrdup(row[label]),
	                              .workers = atol(row[workers]) };
	return &ss->s[ss->n++];
}

static int by_trial(const void *x, const void *y)
{
	long a = ((const struct side *)x)->trial, b = ((const struct side *)y)->trial;

	return (a > b) - (a < b);
}

/* Whether s is empty or a whole number. */
static bool numeric(const char *s)
{
	char *end;

	if (!*s)
		return true;
	strtod(s, &end);
	return *end == '\0';
}

/* Reads column `metric` of DIR/trials.csv per trial; 0 or prints why. */
static int load(const char *dir, const char *metric, struct sides *out)
{
	char *path = px__xasprintf("%s/trials.csv", dir);
	struct csv c;
	int rc = px__csv_read(path, &c), trial, label, workers, status, col;

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
	col = px__csv_column(&c, metric);
	if (trial < 0 || label < 0 || workers < 0 || status < 0) {
		fprintf(stderr, "parlab: error: %s: lacks the trial, label, workers or status column\n",
		        path);
		rc = -EINVAL;
	} else if (col < 0) {
		fprintf(stderr, "parlab: error: %s: no column '%s' (--metric takes a numeric column of trials.csv, such as wall_s or cpu_s)\n",
		        path, metric);
		rc = -EINVAL;
	}
	for (size_t r = 0; !rc && r < c.nrows; r++) {
		char **row = c.rows[r];
		struct side *s = side_of(out, row, label, workers);
		s->trial = atol(row[trial]);
		if (!numeric(row[col])) {
			fprintf(stderr, "parlab: error: %s: column '%s' holds '%s', not a number\n",
			        path, metric, row[col]);
			rc = -EINVAL;
		}
		if (rc || strcmp(row[status], "ok") != 0 || !row[col][0])
			continue;
		px__grow(&s->v, &s->cap, s->n + 1, sizeof(double));
		s->v[s->n++] = atof(row[col]);
	}
	px__csv_free(&c);
	free(path);
	if (out->n)
		qsort(out->s, out->n, sizeof(*out->s), by_trial);
	return rc;
}

static void free_sides(struct sides *ss)
{
	for (size_t i = 0; i < ss->n; i++) {
		free(ss->s[i].key);
		free(ss->s[i].label);
		free(ss->s[i].v);
	}
	free(ss->s);
}

/* One matched trial: both sides' statistics and the test. */
struct pair {
	const struct side *a, *b;
	struct summary sa, sb;
	double ratio, lo, hi, p, min_p;
	const char *verdict;
};

static void judge(const struct side *a, const struct side *b, bool time,
                  struct pair *p)
{
	double u;

	p->a = a;
	p->b = b;
	px__summarise(a->v, a->n, &p->sa);
	px__summarise(b->v, b->n, &p->sb);
	p->ratio = p->sb.median / p->sa.median;
	p->lo = p->sb.ci_lo / p->sa.ci_hi;
	p->hi = p->sb.ci_hi / p->sa.ci_lo;
	p->p = px__mann_whitney(a->v, a->n, b->v, b->n, &u);
	p->min_p = px__mann_whitney_min_p(a->n, b->n);
	if (isnan(p->p))
		p->verdict = "not measured";
	else if (p->p < PX_ALPHA)
		p->verdict = p->sb.median < p->sa.median
		             ? (time ? "B faster" : "B lower")
		             : (time ? "B slower" : "B higher");
	else if (p->min_p >= PX_ALPHA)
		p->verdict = "too few runs to tell";
	else
		p->verdict = "no significant difference";
}

/* The other side's trial with a's key, or NULL. */
static const struct side *match(const struct sides *ss, const struct side *a)
{
	for (size_t k = 0; k < ss->n; k++)
		if (strcmp(a->key, ss->s[k].key) == 0)
			return &ss->s[k];
	return NULL;
}

/* "with 3 and 3 runs no difference can reach p < 0.05; 4 runs a side
 * would be needed", or "" when every matched pair can reach it. */
static void power_note(const struct sides *a, const struct sides *b,
                       char *buf, size_t cap)
{
	buf[0] = '\0';
	for (size_t i = 0; i < a->n && !buf[0]; i++) {
		const struct side *o = match(b, &a->s[i]);
		if (!o || !a->s[i].n || !o->n ||
		    px__mann_whitney_min_p(a->s[i].n, o->n) < PX_ALPHA)
			continue;
		snprintf(buf, cap, "with %zu and %zu runs no difference can reach p < %g; %u runs a side would be needed",
		         a->s[i].n, o->n, PX_ALPHA,
		         px__mann_whitney_runs_for(PX_ALPHA));
	}
}

/* Whether column `metric` is a time in seconds (its values then print
 * in s, ms, µs or ns, and lower is faster). */
static bool seconds_column(const char *metric)
{
	size_t n = strlen(metric);

	return n > 2 && strcmp(metric + n - 2, "_s") == 0;
}

/* A value of the compared column, 4 significant digits, scaled to a
 * unit when it is in seconds. */
static void value_text(double v, bool secs, char *buf, size_t cap)
{
	if (secs)
		px__format_seconds(v, buf, cap);
	else
		snprintf(buf, cap, "%.4g", v);
}

static void print_pair(const struct pair *p, bool secs)
{
	char a[32], b[32];

	value_text(p->sa.median, secs, a, sizeof(a));
	value_text(p->sb.median, secs, b, sizeof(b));
	printf("%-44.44s %11s %11s %7.3f  [%6.3f .. %6.3f] %8.3g  %s\n",
	       p->a->key, a, b, p->ratio, p->lo, p->hi, p->p, p->verdict);
}

static void json_side(const struct summary *s)
{
	printf("{\"runs\": %zu, \"median\": ", s->n);
	px__json_num(stdout, s->median);
	fputs(", \"ci\": [", stdout);
	px__json_num(stdout, s->ci_lo);
	fputs(", ", stdout);
	px__json_num(stdout, s->ci_hi);
	fputs("], \"ci_level\": ", stdout);
	px__json_num(stdout, s->ci_level);
	fputs("}", stdout);
}

static void json_pair(const struct pair *p)
{
	fputs("{\"label\": ", stdout);
	px__json_str(stdout, p->a->label);
	printf(", \"workers\": %ld, \"a\": ", p->a->workers);
	json_side(&p->sa);
	fputs(", \"b\": ", stdout);
	json_side(&p->sb);
	fputs(", \"ratio\": ", stdout);
	px__json_num(stdout, p->ratio);
	fputs(", \"ratio_interval\": [", stdout);
	px__json_num(stdout, p->lo);
	fputs(", ", stdout);
	px__json_num(stdout, p->hi);
	fputs("], \"p\": ", stdout);
	px__json_num(stdout, p->p);
	fputs(", \"smallest_possible_p\": ", stdout);
	px__json_num(stdout, p->min_p);
	fputs(", \"verdict\": ", stdout);
	px__json_str(stdout, p->verdict);
	fputs("}", stdout);
}

/* The keys of `of` that `other` lacks, as a JSON list or text lines. */
static void unmatched(const struct sides *of, const struct sides *other,
                      bool json, const char *where)
{
	bool first = true;

	for (size_t i = 0; i < of->n; i++) {
		if (match(other, &of->s[i]))
			continue;
		if (json) {
			fputs(first ? "" : ", ", stdout);
			px__json_str(stdout, of->s[i].key);
		} else {
			printf("%-44.44s only in %s\n", of->s[i].key, where);
		}
		first = false;
	}
}

static void print_text(const struct cli *c, const char *metric,
                       const struct sides *a, const struct sides *b,
                       const char *note)
{
	bool secs = seconds_column(metric);

	printf("A: %s\nB: %s\n", c->files[0], c->files[1]);
	printf("%s, median of each side's runs; B/A with the interval from both sides' intervals of the median;\n"
	       "p: Mann-Whitney U test, two-sided (exact without ties), significant below %g\n\n",
	       metric, PX_ALPHA);
	printf("%-44s %11s %11s %7s  %18s %8s  %s\n", "trial", "A", "B", "B/A",
	       "interval of B/A", "p", "verdict");
	for (size_t i = 0; i < a->n; i++) {
		const struct side *o = match(b, &a->s[i]);
		struct pair p;
		if (!o)
			continue;
		judge(&a->s[i], o, secs, &p);
		print_pair(&p, secs);
	}
	unmatched(a, b, false, "A");
	unmatched(b, a, false, "B");
	if (note[0])
		printf("\nnote: %s\n", note);
}

static void print_json(const struct cli *c, const char *metric,
                       const struct sides *a, const struct sides *b,
                       const char *note)
{
	bool first = true;

	fputs("{\"a\": ", stdout);
	px__json_str(stdout, c->files[0]);
	fputs(", \"b\": ", stdout);
	px__json_str(stdout, c->files[1]);
	fputs(", \"metric\": ", stdout);
	px__json_str(stdout, metric);
	printf(", \"alpha\": %g, \"trials\": [", PX_ALPHA);
	for (size_t i = 0; i < a->n; i++) {
		const struct side *o = match(b, &a->s[i]);
		struct pair p;
		if (!o)
			continue;
		judge(&a->s[i], o, seconds_column(metric), &p);
		fputs(first ? "\n  " : ",\n  ", stdout);
		json_pair(&p);
		first = false;
	}
	fputs("],\n \"only_in_a\": [", stdout);
	unmatched(a, b, true, "A");
	fputs("], \"only_in_b\": [", stdout);
	unmatched(b, a, true, "B");
	fputs("], \"note\": ", stdout);
	px__json_str(stdout, note);
	fputs("}\n", stdout);
}

int px__cmd_compare(struct cli *c)
{
	const char *metric = c->metric ? c->metric : "wall_s";
	struct sides a, b;
	char note[160];

	if (c->nfiles != 2) {
		fprintf(stderr, "parlab: error: compare needs two results directories\n");
		return PX_EXIT_USAGE;
	}
	if (load(c->files[0], metric, &a)) {
		free_sides(&a);
		return PX_EXIT_USAGE;
	}
	if (load(c->files[1], metric, &b)) {
		free_sides(&a);
		free_sides(&b);
		return PX_EXIT_USAGE;
	}
	power_note(&a, &b, note, sizeof(note));
	if (c->json)
		print_json(c, metric, &a, &b, note);
	else
		print_text(c, metric, &a, &b, note);
	free_sides(&a);
	free_sides(&b);
	return PX_EXIT_OK;
}
