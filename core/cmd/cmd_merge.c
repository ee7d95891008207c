/* cmd_merge.c: `parlab merge DIR... -o OUT`: the results of several runs
 * or hosts (experiment or batch directories) as one batch in OUT, with the
 * host as a dimension: the overview (batch.json, summary.md, index.html)
 * gains a claims x machines matrix. A SLURM array's last job merges its
 * shared directory into itself. Exits 2 when a directory cannot be read
 * or two results of one experiment name come from different files, 3
 * when something could not be written. */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/util.h"
#include "cmd/cli.h"
#include "cmd/merge.h"

/* OUT: -o as given, or results/merge-<time> for the default. */
static char *out_dir(const struct cli *c)
{
	char stamp[32];
	time_t now = time(NULL);
	struct tm tm;

	if (strcmp(c->out_dir, "results") != 0)
		return px__xstrdup(c->out_dir);
	localtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%d-%H%M%S", &tm);
	return px__xasprintf("results/merge-%s", stamp);
}

/* The distinct hosts of s, and in *runs the most results one experiment
 * has on one host (2: it ran twice there). */
static size_t count_hosts(const struct merge_set *s, size_t *runs)
{
	size_t hosts = 0;

	*runs = s->n ? 1 : 0;
	for (size_t i = 0; i < s->n; i++) {
		size_t same = 1, k = 0;
		for (size_t j = 0; j < i; j++) {
			bool host = strcmp(s->v[j].host, s->v[i].host) == 0;
			k += host;
			same += host && strcmp(s->v[j].name, s->v[i].name) == 0;
		}
		hosts += k == 0;
		*runs = same > *runs ? same : *runs;
	}
	return hosts;
}

/* "merged 6 results from 1 machine (up to 2 runs of one experiment on
 * one machine) into OUT": hosts and runs counted apart. */
static void say_merged(const struct merge_set *s, const char *out)
{
	size_t runs, hosts = count_hosts(s, &runs);

	printf("merged %zu result%s from %zu machine%s", s->n,
	       s->n == 1 ? "" : "s", hosts, hosts == 1 ? "" : "s");
	if (runs > 1)
		printf(" (up to %zu runs of one experiment on one machine)",
		       runs);
	printf(" into %s\n", out);
}

/* Writes the overview of s in out; returns how many files failed. */
static unsigned write_overview(const struct merge_set *s, const char *out,
                               bool quiet)
{
	struct batch_row *rows = px__xcalloc(s->n + 1, sizeof(*rows));
	struct batch_matrix m;
	const char *state = "complete";
	unsigned failed;

	for (size_t i = 0; i < s->n; i++) {
		px__merged_row(&s->v[i], &rows[i]);
		if (strcmp(rows[i].state, "complete") != 0)
			state = "interrupted";
	}
	px__merged_matrix(s->v, s->n, &m);
	failed = px__batch_write_matrix(out, rows, s->n, state, &m);
	if (!quiet) {
		say_merged(s, out);
		px__matrix_md(stdout, &m);
		printf("\noverview: %s/index.html\n", out);
	}
	px__matrix_free(&m);
	free(rows);
	return failed;
}

int px__cmd_merge(struct cli *c)
{
	struct merge_set s = { 0 };
	char *out;
	int code = PX_EXIT_OK, rc;

	if (c->nfiles < 1) {
		fprintf(stderr, "parlab: error: merge needs at least one results directory\n");
		return PX_EXIT_USAGE;
	}
	out = out_dir(c);
	if (!px__merge_collect(&s, c->files, c->nfiles) || !px__merge_check(&s)) {
		code = PX_EXIT_USAGE;
	} else if ((rc = px__mkdir_p(out)) != 0) {
		fprintf(stderr, "parlab: error: cannot create %s: %s\n", out,
		        strerror(-rc));
		code = PX_EXIT_USAGE;
	} else if (px__merge_place(&s, out) + write_overview(&s, out, c->quiet)) {
		code = PX_EXIT_WRITE;
	}
	for (size_t i = 0; i < s.n; i++)
		px__merged_free(&s.v[i]);
	free(s.v);
	free(out);
	return code;
}
