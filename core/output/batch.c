/* batch.c: batch.json (the batch's record: which experiments, where, in
 * which state; `run --resume` reads it back), summary.md and index.html
 * (the overview a person reads: one row per experiment, linking to its
 * report.html). */
#define _GNU_SOURCE
#include "output/batch.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "base/afile.h"
#include "base/json.h"
#include "base/util.h"
#include "output/svg.h"

/* What one overview shows. */
struct overview {
	const struct batch_row *rows;
	size_t n;
	const char *state;
	const struct batch_matrix *m;
	const char *const *left;  /* files --keep-going left out */
	size_t n_left;
};

static void json_left(FILE *f, const struct overview *o)
{
	fputs(",\n  \"left_out\": [", f);
	for (size_t i = 0; i < o->n_left; i++) {
		fputs(i ? ",\n    {\"source\": " : "\n    {\"source\": ", f);
		px__json_str(f, o->left[i]);
		fputs(", \"reason\": \"errors in the file\"}", f);
	}
	fputs(o->n_left ? "\n  ]" : "]", f);
}

/* "Left out (errors): a.yaml, b.yaml", or nothing when none was. */
static void left_line(FILE *f, const struct overview *o, bool html)
{
	if (!o->n_left)
		return;
	fputs(html ? "<p>Left out (errors): " : "\nLeft out (errors): ", f);
	for (size_t i = 0; i < o->n_left; i++) {
		fputs(i ? ", " : "", f);
		if (html)
			px__xml_text(f, o->left[i]);
		else
			fputs(o->left[i], f);
	}
	fputs(html ? "</p>\n" : "\n", f);
}

static void json_row(FILE *f, const char *host, const struct batch_row *b)
{
	fputs("    {\"name\": ", f);
	px__json_str(f, b->name);
	fputs(", \"description\": ", f);
	px__json_str(f, b->description);
	fputs(", \"source\": ", f);
	px__json_str(f, b->source);
	fputs(", \"host\": ", f);
	px__json_str(f, b->host ? b->host : host);
	fputs(",\n     \"results_dir\": ", f);
	px__json_str(f, b->results_dir);
	fputs(", \"state\": ", f);
	px__json_str(f, b->state);
	fprintf(f, ", \"runs_planned\": %lu, \"runs_done\": %lu,\n     \"pass\": %u, \"fail\": %u, \"inconclusive\": %u, \"skipped\": %u, \"failed_runs\": %u, \"wall_s\": ",
	        b->runs_planned, b->runs_done, b->pass, b->fail,
	        b->inconclusive, b->skipped, b->failed_runs);
	px__json_num(f, b->wall_s);
	fputs(", \"report\": ", f);
	{
		char *report = px__xasprintf("%s/report.html", b->results_dir);
		px__json_str(f, report);
		free(report);
	}
	fputs("}", f);
}

static void write_json(FILE *f, const struct overview *o)
{
	const struct batch_row *rows = o->rows;
	size_t n = o->n;
	char host[256] = "unknown";

	gethostname(host, sizeof(host) - 1);
	fputs("{\n  \"parlab_batch\": 1,\n  \"state\": ", f);
	px__json_str(f, o->state);
	fprintf(f, ",\n  \"experiments\": [\n");
	for (size_t i = 0; i < n; i++) {
		json_row(f, host, &rows[i]);
		fputs(i + 1 < n ? ",\n" : "\n", f);
	}
	fputs("  ]", f);
	json_left(f, o);
	if (o->m)
		px__matrix_json(f, o->m);
	fputs("\n}\n", f);
}

/* "12.3 s", or "-" before the experiment ran. */
static void wall_text(char *buf, size_t cap, double wall_s)
{
	if (isnan(wall_s))
		snprintf(buf, cap, "-");
	else
		snprintf(buf, cap, "%.1f s", wall_s);
}

static void write_md(FILE *f, const struct overview *o)
{
	const struct batch_row *rows = o->rows;
	size_t n = o->n;

	fprintf(f, "# parlab batch (%s)\n\n", o->state);
	fputs("| experiment | description | state | runs | pass | fail | inconclusive | skipped | failed runs | wall | report |\n"
	      "|---|---|---|---|---|---|---|---|---|---|---|\n", f);
	for (size_t i = 0; i < n; i++) {
		const struct batch_row *b = &rows[i];
		char wall[32];
		wall_text(wall, sizeof(wall), b->wall_s);
		fprintf(f, "| %s | %s | %s | %lu/%lu | %u | %u | %u | %u | %u | %s | [report](%s/report.html) |\n",
		        b->name, b->description ? b->description : "", b->state,
		        b->runs_done, b->runs_planned, b->pass, b->fail,
		        b->inconclusive, b->skipped, b->failed_runs, wall,
		        b->results_dir);
	}
	left_line(f, o, false);
	if (o->m)
		px__matrix_md(f, o->m);
}

static void html_cell(FILE *f, const char *text)
{
	fputs("<td>", f);
	px__xml_text(f, text ? text : "");
	fputs("</td>", f);
}

static void write_html(FILE *f, const struct overview *o)
{
	const struct batch_row *rows = o->rows;
	size_t n = o->n;

	fprintf(f, "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>parlab batch</title>\n"
	        "<style>body{font-family:sans-serif}td,th{padding:2px 8px;border-bottom:1px solid #ccc}</style>\n"
	        "</head><body>\n<h1>parlab batch (%s)</h1>\n<table>\n"
	        "<tr><th>experiment</th><th>description</th><th>state</th><th>runs</th><th>pass</th><th>fail</th><th>inconclusive</th><th>skipped</th><th>failed runs</th><th>wall</th><th>report</th></tr>\n",
	        o->state);
	for (size_t i = 0; i < n; i++) {
		const struct batch_row *b = &rows[i];
		char wall[32];
		wall_text(wall, sizeof(wall), b->wall_s);
		fputs("<tr>", f);
		html_cell(f, b->name);
		html_cell(f, b->description);
		html_cell(f, b->state);
		fprintf(f, "<td>%lu/%lu</td><td>%u</td><td>%u</td><td>%u</td><td>%u</td><td>%u</td>",
		        b->runs_done, b->runs_planned, b->pass, b->fail,
		        b->inconclusive, b->skipped, b->failed_runs);
		html_cell(f, wall);
		fputs("<td><a href=\"", f);
		px__xml_text(f, b->results_dir);
		fputs("/report.html\">report</a></td></tr>\n", f);
	}
	fputs("</table>\n", f);
	left_line(f, o, true);
	if (o->m)
		px__matrix_html(f, o->m);
	fputs("</body></html>\n", f);
}

unsigned px__batch_write(const char *dir, const struct batch_row *rows,
                         size_t n, const char *state)
{
	return px__batch_write_matrix(dir, rows, n, state, NULL);
}

unsigned px__batch_write_matrix(const char *dir, const struct batch_row *rows,
                                size_t n, const char *state,
                                const struct batch_matrix *m)
{
	return px__batch_write_full(dir, rows, n, state, m, NULL, 0);
}

unsigned px__batch_write_full(const char *dir, const struct batch_row *rows,
                              size_t n, const char *state,
                              const struct batch_matrix *m,
                              const char *const *left, size_t n_left)
{
	static void (*const writers[])(FILE *, const struct overview *) = {
		write_json, write_md, write_html
	};
	const struct overview o = { rows, n, state, m, left, n_left };
	static const char *const names[] = { "batch.json", "summary.md",
	                                     "index.html" };
	unsigned failed = 0;

	for (size_t k = 0; k < PX_ARRAY_LEN(names); k++) {
		struct px_afile a;
		char *path = px__xasprintf("%s/%s", dir, names[k]);
		px__afile_open(&a, path);
		writers[k](a.f, &o);
		failed += px__afile_commit(&a) != 0;
		free(path);
	}
	return failed;
}
