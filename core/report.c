/* report.c: charts and report.html from a run's measured trials. */
#define _GNU_SOURCE
#include "report.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "stats.h"
#include "svg.h"
#include "util.h"

/* The interval of the median of column c for trial t. */
static struct summary col_summary(const struct plan *plan,
                                  const struct trial *t, int c)
{
	double *v = px__xcalloc(t->n_done + 1, sizeof(*v));
	struct summary s;

	for (size_t r = 0; r < t->n_done; r++)
		v[r] = t->values[r * plan->ncols + (size_t)c];
	px__summarise(v, t->n_done, &s);
	free(v);
	return s;
}

/* Speedup against workers, one line per trial label (a strategy and its
 * parameters), with the interval as a band and the ideal line. */
static void speedup_chart(FILE *f, const struct plan *plan)
{
	struct svg_series *series = px__xcalloc(plan->n + 1, sizeof(*series));
	double *buf = px__xcalloc(4 * plan->n + 1, sizeof(double));
	size_t ns = 0, used = 0;
	struct svg_axes a = { "Speedup over the baseline against workers",
	                      "workers", "speedup", true };

	for (size_t i = 0; i < plan->n; i++) {
		const struct trial *t = &plan->trials[i];
		size_t k;
		for (k = 0; k < ns; k++)
			if (strcmp(series[k].name, t->label) == 0)
				break;
		if (k < ns || !t->selected || t->baseline == SIZE_MAX)
			continue;
		/* A new label: gather its trials in order of workers. */
		series[ns] = (struct svg_series){ .name = t->label,
		                                  .x = buf + used };
		for (size_t j = i; j < plan->n; j++) {
			const struct trial *u = &plan->trials[j];
			if (strcmp(u->label, t->label) || !u->selected)
				continue;
			buf[used++] = u->workers;
			series[ns].n++;
		}
		ns++;
	}
	/* Second pass: the y, lo and hi arrays after all x arrays. */
	for (size_t k = 0; k < ns; k++) {
		double *y = buf + used, *lo = y + series[k].n, *hi = lo + series[k].n;
		size_t m = 0;
		used += 3 * series[k].n;
		for (size_t j = 0; j < plan->n; j++) {
			const struct trial *u = &plan->trials[j];
			struct summary s, b;
			if (strcmp(u->label, series[k].name) || !u->selected)
				continue;
			s = col_summary(plan, u, COL_WALL);
			b = col_summary(plan, &plan->trials[u->baseline], COL_WALL);
			y[m] = b.median / s.median;
			lo[m] = b.median / s.ci_hi;
			hi[m] = b.median / s.ci_lo;
			m++;
		}
		series[k].y = y;
		series[k].lo = lo;
		series[k].hi = hi;
	}
	px__svg_lines(f, &a, series, ns);
	free(series);
	free(buf);
}

static void time_chart(FILE *f, const struct plan *plan)
{
	struct svg_bar *bars = px__xcalloc(plan->n + 1, sizeof(*bars));
	char **labels = px__xcalloc(plan->n + 1, sizeof(*labels));
	size_t n = 0;
	struct svg_axes a = { "Wall time per trial (median, interval of the median)",
	                      "seconds", "", false };

	for (size_t i = 0; i < plan->n; i++) {
		const struct trial *t = &plan->trials[i];
		struct summary s;
		if (!t->selected)
			continue;
		s = col_summary(plan, t, COL_WALL);
		labels[n] = px__xasprintf("%s, %u workers", t->label, t->workers);
		bars[n] = (struct svg_bar){ labels[n], s.median, s.ci_lo, s.ci_hi };
		n++;
	}
	px__svg_bars(f, &a, bars, n);
	for (size_t i = 0; i < n; i++)
		free(labels[i]);
	free(labels);
	free(bars);
}

/* The first sampled metric's p50, p90 and p99 per trial, or nothing. */
static bool latency_chart(FILE *f, const struct plan *plan)
{
	int p50 = -1;
	struct svg_bar *bars;
	char **labels, *metric;
	size_t n = 0;
	static const char *const q[] = { "p50", "p90", "p99" };

	for (size_t c = 0; c < plan->ncols && p50 < 0; c++) {
		size_t len = strlen(plan->cols[c].name);
		if (len > 4 && strcmp(plan->cols[c].name + len - 4, "_p50") == 0)
			p50 = (int)c;
	}
	if (p50 < 0)
		return false;
	metric = px__xasprintf("%.*s", (int)strlen(plan->cols[p50].name) - 4,
	                       plan->cols[p50].name);
	bars = px__xcalloc(3 * plan->n + 1, sizeof(*bars));
	labels = px__xcalloc(3 * plan->n + 1, sizeof(*labels));
	for (size_t i = 0; i < plan->n; i++) {
		const struct trial *t = &plan->trials[i];
		if (!t->selected)
			continue;
		for (int k = 0; k < 3; k++) {
			/* _p50, _p90, _p99 are consecutive columns. */
			struct summary s = col_summary(plan, t, p50 + k);
			labels[n] = px__xasprintf("%s, %u w: %s", t->label,
			                          t->workers, q[k]);
			bars[n] = (struct svg_bar){ labels[n], s.median / 1e3,
			                            s.ci_lo / 1e3, s.ci_hi / 1e3 };
			n++;
		}
	}
	{
		char *title = px__xasprintf("%s percentiles per trial (us)", metric);
		struct svg_axes a = { title, "microseconds", "", false };
		px__svg_bars(f, &a, bars, n);
		free(title);
	}
	for (size_t i = 0; i < n; i++)
		free(labels[i]);
	free(labels);
	free(bars);
	free(metric);
	return true;
}

/* Writes a chart both to dir/name and into the HTML page. */
static void chart(const char *dir, const char *name, FILE *html,
                  const struct plan *plan,
                  bool (*draw)(FILE *, const struct plan *))
{
	char *text = NULL, *path;
	size_t len = 0;
	FILE *mem = open_memstream(&text, &len);
	FILE *f;

	if (!draw(mem, plan)) {
		fclose(mem);
		free(text);
		return;
	}
	fclose(mem);
	path = px__xasprintf("%s/%s", dir, name);
	f = fopen(path, "w");
	if (f) {
		fputs(text, f);
		fclose(f);
	}
	fprintf(html, "<figure>%s</figure>\n", text);
	free(path);
	free(text);
}

static bool draw_speedup(FILE *f, const struct plan *plan)
{
	speedup_chart(f, plan);
	return true;
}

static bool draw_time(FILE *f, const struct plan *plan)
{
	time_chart(f, plan);
	return true;
}

static void html_table(FILE *f, const struct plan *plan)
{
	fputs("<table><tr><th>trial</th><th>workers</th><th>runs</th><th>median s</th><th>interval of the median</th><th>cv</th><th>speedup</th><th>flags</th></tr>\n", f);
	for (size_t i = 0; i < plan->n; i++) {
		const struct trial *t = &plan->trials[i];
		struct summary s;
		if (!t->selected)
			continue;
		s = col_summary(plan, t, COL_WALL);
		fputs("<tr><td>", f);
		px__xml_text(f, t->label);
		fprintf(f, "</td><td>%u</td><td>%u/%u</td><td>%.4g</td><td>%.4g .. %.4g</td><td>%.1f%%</td><td>%.3g</td><td>%s%s",
		        t->workers, t->n_done - t->n_failed, t->n_done, s.median,
		        s.ci_lo, s.ci_hi, s.cv * 100, px__trial_speedup(plan, i),
		        s.noisy ? "noisy " : "", s.outliers ? "outliers " : "");
		if (t->failure)
			px__xml_text(f, t->failure);
		fputs("</td></tr>\n", f);
	}
	fputs("</table>\n", f);
}

int px__report_write(const char *dir, const struct plan *plan,
                     const struct verdict_result *verdicts)
{
	const struct experiment *e = plan->exp;
	char *path = px__xasprintf("%s/report.html", dir);
	char *meta = px__xasprintf("%s/meta.json", dir);
	char *context = px__read_file(meta);
	FILE *f = fopen(path, "w");

	free(path);
	free(meta);
	if (!f) {
		free(context);
		return -errno;
	}
	fputs("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>parlab: ", f);
	px__xml_text(f, e->name);
	fputs("</title><style>body{font-family:sans-serif;max-width:960px;margin:2em auto}"
	      "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:3px 8px;text-align:left}"
	      ".pass{color:#2a7d2a}.fail{color:#c62828}.skipped{color:#777}"
	      "figure{margin:1em 0}pre{background:#f6f6f6;padding:1em;overflow:auto}</style></head>\n<body>\n<h1>", f);
	px__xml_text(f, e->name);
	fputs("</h1>\n<p>", f);
	px__xml_text(f, e->description);
	fputs("</p>\n<h2>Verdicts</h2>\n<ul>\n", f);
	for (size_t i = 0; verdicts && i < e->n_expects; i++) {
		char text[256];
		px__verdict_text(&verdicts[i], text, sizeof(text));
		fprintf(f, "<li class=\"%s\"><b>", verdicts[i].verdict == VERDICT_PASS ? "pass"
		        : verdicts[i].verdict == VERDICT_FAIL ? "fail" : "skipped");
		px__xml_text(f, text);
		fputs("</b> <code>", f);
		px__xml_text(f, e->expects[i].text);
		fprintf(f, "</code>: measured %.4g vs %.4g ", verdicts[i].lhs,
		        verdicts[i].rhs);
		px__xml_text(f, verdicts[i].why);
		fputs("</li>\n", f);
	}
	fputs("</ul>\n<h2>Charts</h2>\n", f);
	chart(dir, "speedup.svg", f, plan, draw_speedup);
	chart(dir, "time.svg", f, plan, draw_time);
	chart(dir, "latency.svg", f, plan, latency_chart);
	fputs("<h2>Trials</h2>\n", f);
	html_table(f, plan);
	fputs("<h2>Machine and run</h2>\n<pre>", f);
	px__xml_text(f, context ? context : "(meta.json missing)");
	fputs("</pre>\n</body></html>\n", f);
	fclose(f);
	free(context);
	return 0;
}
