/* merge_read.c: one experiment's results directory read back for `parlab
 * merge` (its name, host, experiment sha256, state, runs and each
 * verdict with its measured value), its overview row, and the claims x
 * machines matrix of several. */
#define _GNU_SOURCE
#include "output/merge.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/json.h"
#include "base/util.h"

/* Reads the verdict objects of summary.json: each starts at "expect". */
static void read_verdicts(struct merged_exp *e, const char *summary)
{
	const char *p = summary ? strstr(summary, "\"verdicts\":") : NULL;
	size_t cap = 0;

	while (p && (p = strstr(p, "{\"expect\":")) != NULL) {
		struct merged_verdict *v;
		char *word = px__json_find_str(p, "verdict");
		char *inc = strstr(p, "\"inconclusive\": true");
		const char *end = strchr(p, '}');
		px__grow(&e->verdicts, &cap, e->n_verdicts + 1, sizeof(*v));
		v = &e->verdicts[e->n_verdicts++];
		v->expect = px__json_find_str(p, "expect");
		snprintf(v->verdict, sizeof(v->verdict), "%s",
		         inc && end && inc < end ? "inconclusive"
		         : word ? word : "?");
		v->value = px__json_find_num(p, "lhs", NAN);
		free(word);
		p = end;
	}
}

/* The failed runs of every trial: each trial's "failed": N. */
static unsigned count_failed(const char *summary)
{
	unsigned n = 0;

	for (const char *p = summary; p && (p = strstr(p, "\"failed\": ")); p++)
		n += (unsigned)strtoul(p + 10, NULL, 10);
	return n;
}

/* The experiment's description: the paragraph under its heading in its
 * summary.md ("### name", a blank line, the description). */
static char *read_description(const char *dir)
{
	char *path = px__xasprintf("%s/summary.md", dir);
	char *md = px__read_file(path), *d = NULL;
	const char *p = md && strncmp(md, "### ", 4) == 0 ? strchr(md, '\n') : NULL;

	free(path);
	if (p && p[1] == '\n' && p[2] && p[2] != '|' && p[2] != '\n') {
		const char *end = strstr(p + 2, "\n\n");
		d = px__xasprintf("%.*s", end ? (int)(end - p - 2)
		                            : (int)strcspn(p + 2, "\n"), p + 2);
		for (char *q = d; *q; q++)
			if (*q == '\n')
				*q = ' ';
	}
	free(md);
	return d;
}

bool px__merged_read(struct merged_exp *e, const char *dir)
{
	char *path = px__xasprintf("%s/meta.json", dir);
	char *meta = px__read_file(path), *summary;

	memset(e, 0, sizeof(*e));
	e->dir = px__xstrdup(dir);
	free(path);
	path = px__xasprintf("%s/summary.json", dir);
	summary = px__read_file(path);
	free(path);
	if (!meta || !(e->name = px__json_find_str(meta, "experiment"))) {
		fprintf(stderr, "parlab: error: %s: no meta.json naming the experiment: not a parlab results directory\n",
		        dir);
		free(meta);
		free(summary);
		return false;
	}
	e->host = px__json_find_str(meta, "host");
	if (!e->host)
		e->host = px__xstrdup("unknown");
	e->sha256 = px__json_find_str(meta, "experiment_sha256");
	e->state = px__json_find_str(meta, "state");
	e->source = px__json_find_str(meta, "experiment_file");
	e->runs_planned = (unsigned long)px__json_find_num(meta, "runs_planned", 0);
	e->runs_done = (unsigned long)px__json_find_num(meta, "runs_done", 0);
	e->wall_s = px__json_find_num(meta, "wall_s", NAN);
	e->failed_runs = count_failed(summary);
	e->description = read_description(dir);
	read_verdicts(e, summary);
	free(meta);
	free(summary);
	return true;
}

void px__merged_free(struct merged_exp *e)
{
	for (size_t i = 0; i < e->n_verdicts; i++)
		free(e->verdicts[i].expect);
	free(e->verdicts);
	free(e->dir);
	free(e->name);
	free(e->host);
	free(e->sha256);
	free(e->state);
	free(e->source);
	free(e->description);
	free(e->column);
	free(e->rel_dir);
	memset(e, 0, sizeof(*e));
}

void px__merged_row(const struct merged_exp *e, struct batch_row *b)
{
	memset(b, 0, sizeof(*b));
	b->name = e->name;
	b->description = e->description;
	b->source = e->source;
	b->host = e->host;
	b->results_dir = e->rel_dir;
	b->state = e->state ? e->state : "unknown";
	b->wall_s = e->wall_s;
	b->runs_planned = e->runs_planned;
	b->runs_done = e->runs_done;
	b->failed_runs = e->failed_runs;
	for (size_t i = 0; i < e->n_verdicts; i++) {
		const char *w = e->verdicts[i].verdict;
		if (strcmp(w, "pass") == 0)
			b->pass++;
		else if (strcmp(w, "fail") == 0)
			b->fail++;
		else if (strcmp(w, "inconclusive") == 0)
			b->inconclusive++;
		else
			b->skipped++;
	}
}
