/* report.c: charts and report.html from a results directory's files. */
#define _GNU_SOURCE
#include "output/report.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/afile.h"
#include "output/chart_pick.h"
#include "output/report_model.h"
#include "output/report_page.h"
#include "output/svg.h"
#include "base/util.h"

/* The default line chart: x what the experiment sweeps, y speedup or
 * wall time (chart_pick.c). */
static bool draw_main(FILE *f, const struct rmodel *m, const void *arg)
{
	(void)arg;
	return px__chart_draw(f, m, NULL);
}

/* A chart of the `plots:` list. */
static bool draw_spec(FILE *f, const struct rmodel *m, const void *arg)
{
	return px__chart_draw(f, m, arg);
}

static char *trial_name(const struct rtrial *t)
{
	return px__xasprintf("%s, %u worker%s", t->label, t->workers,
	                     t->workers == 1 ? "" : "s");
}

/* Median wall time per trial with its interval and runs: bars, or dots
 * on a log axis when the times span more than 10x. */
static bool draw_time(FILE *f, const struct rmodel *m, const void *arg)
{
	struct svg_row *rows = px__xcalloc(m->n + 1, sizeof(*rows));
	double **runs = px__xcalloc(m->n + 1, sizeof(*runs));
	static const char *const keys[] = { "median wall time" };
	struct svg_rows_chart c = { "Wall time per trial",
	                            "whiskers: interval of the median; faint dots: each run",
	                            { "wall time", SVG_SECONDS, -1, false }, keys, 1 };
	int col = px__csv_column(&m->runs, "wall_s");

	(void)arg;
	for (size_t i = 0; i < m->n; i++) {
		const struct rtrial *t = &m->t[i];
		rows[i] = (struct svg_row){ trial_name(t), NULL, &t->wall.median,
		                            &t->wall.lo, &t->wall.hi, 0, NULL };
		rows[i].nruns = px__rmodel_runs(m, t, col, &runs[i]);
		rows[i].runs = runs[i];
	}
	px__svg_rows(f, &c, rows, m->n);
	for (size_t i = 0; i < m->n; i++) {
		free((char *)rows[i].label);
		free(runs[i]);
	}
	free(runs);
	free(rows);
	return true;
}

/* p50, p90 and p99 of the first sampled metric: one row per trial, the
 * three percentiles in three colours. */
static bool draw_latency(FILE *f, const struct rmodel *m, const void *arg)
{
	static const char *const keys[] = { "p50", "p90", "p99" };
	struct svg_row *rows;
	double (*v)[3][3];
	char *title;

	(void)arg;
	if (!m->sampled)
		return false;
	rows = px__xcalloc(m->n + 1, sizeof(*rows));
	v = px__xcalloc(m->n + 1, sizeof(*v));
	for (size_t i = 0; i < m->n; i++) {
		for (int k = 0; k < 3; k++) {
			v[i][0][k] = m->t[i].p[k].median;
			v[i][1][k] = m->t[i].p[k].lo;
			v[i][2][k] = m->t[i].p[k].hi;
		}
		rows[i] = (struct svg_row){ trial_name(&m->t[i]), NULL, v[i][0],
		                            v[i][1], v[i][2], 0, NULL };
	}
	title = px__xasprintf("%s percentiles per trial", m->sampled);
	{
		struct svg_rows_chart c = { title, "median over runs, whiskers: its interval",
		                            { m->sampled, SVG_NS, -1, false }, keys, 3 };
		px__svg_rows(f, &c, rows, m->n);
	}
	for (size_t i = 0; i < m->n; i++)
		free((char *)rows[i].label);
	free(v);
	free(rows);
	free(title);
	return true;
}

/* Per thread of each gil-threads trial (up to 16 threads): the median
 * time it waited for the GIL and held it, two colours, a panel a trial. */
static bool draw_gil(FILE *f, const struct rmodel *m, const void *arg)
{
	static const char *const keys[] = { "waits for the GIL", "holds the GIL" };
	struct svg_rows_chart c = { "GIL wait and hold time per thread",
	                            "median over runs", { "time", SVG_SECONDS, -1, false },
	                            keys, 2 };
	struct svg_row *rows;
	double (*v)[2];
	char **names, **groups;
	size_t n = 0, cap = 0, ng = 0;

	(void)arg;
	for (size_t i = 0; i < m->n; i++)
		if (m->t[i].gil_wait_ms && m->t[i].workers <= 16)
			cap += m->t[i].workers;
	if (cap == 0)
		return false;
	rows = px__xcalloc(cap, sizeof(*rows));
	v = px__xcalloc(cap, sizeof(*v));
	names = px__xcalloc(cap, sizeof(*names));
	groups = px__xcalloc(m->n, sizeof(*groups));
	for (size_t i = 0; i < m->n; i++) {
		const struct rtrial *t = &m->t[i];
		if (!t->gil_wait_ms || t->workers > 16)
			continue;
		groups[ng] = trial_name(t);
		for (unsigned k = 0; k < t->workers; k++, n++) {
			names[n] = px__xasprintf("thread %u", k);
			v[n][0] = t->gil_wait_ms[k] / 1e3;
			v[n][1] = t->gil_hold_ms[k] / 1e3;
			rows[n] = (struct svg_row){ names[n], groups[ng], v[n], NULL, NULL, 0, NULL };
		}
		ng++;
	}
	px__svg_rows(f, &c, rows, n);
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	for (size_t i = 0; i < ng; i++)
		free(groups[i]);
	free(groups);
	free(names);
	free(v);
	free(rows);
	return true;
}

/* A chart's file, what draws it and the figure its verdicts name. */
struct chart {
	char *file;
	const char *fig;
	bool (*draw)(FILE *, const struct rmodel *, const void *);
	const void *arg;
};

/* Writes a chart to dir/name and into the page beside the verdicts it
 * decides; returns 1 when the file could not be written (the page still
 * gets the chart). */
static int chart(const char *dir, FILE *html, const struct rmodel *m,
                 const struct chart *c, char *const *verdicts, size_t nv)
{
	char *text = NULL, *path;
	size_t len = 0;
	FILE *mem = open_memstream(&text, &len);
	bool drawn = c->draw(mem, m, c->arg);
	int failed = 0;

	fclose(mem);
	if (drawn) {
		path = px__xasprintf("%s/%s", dir, c->file);
		failed = px__afile_write(path, text, len) != 0;
		fprintf(html, "<section class=\"figure\"><figure>%s</figure><aside>", text);
		px__page_verdicts(html, verdicts, nv, c->fig, m->sampled);
		fputs("</aside></section>\n", html);
		free(path);
	}
	free(text);
	return failed;
}

static void html_table(FILE *f, const struct rmodel *m)
{
	fputs("<table><tr><th>trial</th><th>workers</th><th>runs ok</th><th>median s</th><th>interval of the median</th><th>cv</th><th>speedup</th><th>flags</th></tr>\n", f);
	for (size_t i = 0; i < m->n; i++) {
		const struct rtrial *t = &m->t[i];
		fputs("<tr><td>", f);
		px__xml_text(f, t->label);
		fprintf(f, "</td><td>%u</td><td>%u/%u</td><td>%.4g</td><td>%.4g .. %.4g</td><td>%.1f%%</td><td>%.3g</td><td>%s%s%s</td></tr>\n",
		        t->workers, t->runs - t->failed, t->runs, t->wall.median,
		        t->wall.lo, t->wall.hi, t->cv * 100, t->speedup.median,
		        t->noisy ? "noisy " : "", t->outliers ? "outliers " : "",
		        t->failed ? "FAILED runs" : "");
	}
	fputs("</table>\n", f);
}

/* The trial column: 44 wide, or as wide as the longest label, whole. */
int px__label_width(size_t longest)
{
	if (longest < 44)
		return 44;
	return longest > 1000 ? 1000 : (int)longest;
}

static int text_label_width(const struct rmodel *m)
{
	size_t longest = 0;

	for (size_t i = 0; i < m->n; i++)
		if (strlen(m->t[i].label) > longest)
			longest = strlen(m->t[i].label);
	return px__label_width(longest);
}

static void text_table(FILE *f, const struct rmodel *m)
{
	int width = text_label_width(m);

	fprintf(f, "%-*s %7s %5s %10s %21s %6s %8s\n", width, "trial",
	        "workers", "runs", "median s", "interval of median", "cv%",
	        "speedup");
	for (size_t i = 0; i < m->n; i++) {
		const struct rtrial *t = &m->t[i];
		fprintf(f, "%-*.*s %7u %2u/%-2u %10.4f  [%8.4f .. %8.4f] %6.1f %8.3f%s%s\n",
		        width, width, t->label, t->workers, t->runs - t->failed, t->runs,
		        t->wall.median, t->wall.lo, t->wall.hi, t->cv * 100,
		        t->speedup.median, t->noisy ? "  noisy" : "",
		        t->outliers ? "  outliers" : "");
	}
}

/* The verdicts file's lines (caller frees the text in *text). */
static char **read_verdicts(const char *dir, char **text, size_t *n)
{
	char *path = px__xasprintf("%s/verdicts", dir), **lines;

	*text = px__read_file(path);
	*n = 0;
	free(path);
	lines = px__xcalloc((*text ? strlen(*text) : 0) / 2 + 2, sizeof(*lines));
	for (char *l = *text ? strtok(*text, "\n") : NULL; l; l = strtok(NULL, "\n"))
		lines[(*n)++] = l;
	return lines;
}

/* The directory's last path component, as the page's title. */
static const char *base_name(const char *dir)
{
	const char *end = dir + strlen(dir), *s;

	while (end > dir && end[-1] == '/')
		end--;
	for (s = end; s > dir && s[-1] != '/'; s--)
		;
	return s;
}

/* The charts the page shows: the main one, time, latency, GIL, then the
 * `plots:` list's (plot-1.svg, ...). */
static size_t charts_of(const struct page_exp *e, const struct rmodel *m,
                        struct chart *c)
{
	size_t n = 0;

	c[n++] = (struct chart){ px__xstrdup("speedup.svg"), "main", draw_main, NULL };
	for (size_t i = 0; i < e->n_plots; i++)
		c[n++] = (struct chart){ px__xasprintf("plot-%zu.svg", i + 1), NULL,
		                         draw_spec, &e->plots[i] };
	c[n++] = (struct chart){ px__xstrdup("time.svg"), "time", draw_time, NULL };
	c[n++] = (struct chart){ px__xstrdup("latency.svg"), "latency", draw_latency, NULL };
	c[n++] = (struct chart){ px__xstrdup("gil.svg"), "gil", draw_gil, NULL };
	(void)m;
	return n;
}

/* Everything of the page after its heading. */
static int page_body(FILE *f, const char *dir, const struct rmodel *m,
                     const struct page_exp *e, FILE *table)
{
	char *text, **lines;
	size_t nv, nc;
	struct chart *c = px__xcalloc(e->n_plots + 5, sizeof(*c));
	char **cols = px__xcalloc(e->n_plots + 1, sizeof(*cols));
	int failed = 0;

	lines = read_verdicts(dir, &text, &nv);
	if (table) {
		text_table(table, m);
		for (size_t i = 0; i < nv; i++)
			fprintf(table, "%s\n", lines[i]);
	}
	fputs("<h2>Verdicts</h2>\n", f);
	if (nv)
		px__page_verdicts(f, lines, nv, NULL, NULL);
	else
		fputs("<p>No expectations.</p>\n", f);
	fputs("<h2>Charts</h2>\n", f);
	nc = charts_of(e, m, c);
	for (size_t i = 0; i < nc; i++) {
		if (c[i].draw == draw_spec) {
			/* A plot of y = lost_updates shows lost_updates(...) verdicts. */
			cols[i - 1] = px__plot_column(e->plots[i - 1].y);
			c[i].fig = cols[i - 1];
		}
		failed += chart(dir, f, m, &c[i], lines, nv);
		free(c[i].file);
	}
	fputs("<h2>Trials</h2>\n", f);
	html_table(f, m);
	px__page_machine(f, dir);
	px__page_file(f, e);
	for (size_t i = 0; i < e->n_plots; i++)
		free(cols[i]);
	free(cols);
	free(c);
	free(lines);
	free(text);
	return failed;
}

int px__report_write(const char *dir, FILE *table)
{
	char *path = px__xasprintf("%s/report.html", dir);
	char *title = px__xstrdup(base_name(dir));
	struct page_exp e;
	struct rmodel m;
	struct px_afile a;
	int failed = 0;

	title[strcspn(title, "/")] = '\0';
	if (px__rmodel_load(dir, &m)) {
		free(title);
		free(path);
		return PX_REPORT_UNREADABLE;  /* the model's loader said why */
	}
	px__page_exp_load(dir, m.experiment, &e);
	px__afile_open(&a, path);
	px__page_head(a.f, &e, e.name ? e.name : title);
	failed += page_body(a.f, dir, &m, &e, table);
	fputs("</body></html>\n", a.f);
	failed += px__afile_commit(&a) != 0;
	px__page_exp_free(&e);
	px__rmodel_free(&m);
	free(title);
	free(path);
	return failed;
}
