/* report.c: charts and report.html from a results directory's files. */
#define _GNU_SOURCE
#include "output/report.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/afile.h"
#include "output/report_model.h"
#include "output/svg.h"
#include "base/util.h"

/* Speedup against workers, one line per trial label (a strategy and its
 * parameters), the interval as a band, and the ideal line. */
static bool draw_speedup(FILE *f, const struct rmodel *m)
{
	struct svg_series *series = px__xcalloc(m->n + 1, sizeof(*series));
	double *buf = px__xcalloc(4 * m->n + 1, sizeof(double));
	struct svg_axes a = { "Speedup over the baseline against workers",
	                      "workers", "speedup", true };
	size_t ns = 0, used = 0;

	for (size_t i = 0; i < m->n; i++) {
		const struct rtrial *t = &m->t[i];
		size_t k, count = 0;
		double *x, *y, *lo, *hi;
		for (k = 0; k < ns; k++)
			if (strcmp(series[k].name, t->label) == 0)
				break;
		if (k < ns || isnan(t->speedup.median))
			continue;
		for (size_t j = i; j < m->n; j++)
			count += strcmp(m->t[j].label, t->label) == 0 &&
			         !isnan(m->t[j].speedup.median);
		x = buf + used;
		y = x + count;
		lo = y + count;
		hi = lo + count;
		used += 4 * count;
		series[ns] = (struct svg_series){ t->label, 0, x, y, lo, hi };
		for (size_t j = i; j < m->n; j++) {
			const struct rtrial *u = &m->t[j];
			size_t at = series[ns].n;
			if (strcmp(u->label, t->label) || isnan(u->speedup.median))
				continue;
			x[at] = u->workers;
			y[at] = u->speedup.median;
			lo[at] = u->speedup.lo;
			hi[at] = u->speedup.hi;
			series[ns].n++;
		}
		ns++;
	}
	px__svg_lines(f, &a, series, ns);
	free(series);
	free(buf);
	return true;
}

static char *trial_name(const struct rtrial *t, const char *extra)
{
	return px__xasprintf("%s, %u workers%s", t->label, t->workers, extra);
}

static bool draw_time(FILE *f, const struct rmodel *m)
{
	struct svg_bar *bars = px__xcalloc(m->n + 1, sizeof(*bars));
	char **names = px__xcalloc(m->n + 1, sizeof(*names));
	struct svg_axes a = { "Wall time per trial (median, interval of the median)",
	                      "seconds", "", false };

	for (size_t i = 0; i < m->n; i++) {
		names[i] = trial_name(&m->t[i], "");
		bars[i] = (struct svg_bar){ names[i], m->t[i].wall.median,
		                            m->t[i].wall.lo, m->t[i].wall.hi };
	}
	px__svg_bars(f, &a, bars, m->n);
	for (size_t i = 0; i < m->n; i++)
		free(names[i]);
	free(names);
	free(bars);
	return true;
}

/* p50, p90 and p99 of the first sampled metric per trial, if any. */
static bool draw_latency(FILE *f, const struct rmodel *m)
{
	static const char *const q[] = { ": p50", ": p90", ": p99" };
	struct svg_bar *bars;
	char **names, *title;
	size_t n = 0;

	if (!m->sampled)
		return false;
	bars = px__xcalloc(3 * m->n + 1, sizeof(*bars));
	names = px__xcalloc(3 * m->n + 1, sizeof(*names));
	for (size_t i = 0; i < m->n; i++)
		for (int k = 0; k < 3; k++) {
			const struct mci *v = &m->t[i].p[k];
			names[n] = trial_name(&m->t[i], q[k]);
			bars[n] = (struct svg_bar){ names[n], v->median / 1e3,
			                            v->lo / 1e3, v->hi / 1e3 };
			n++;
		}
	title = px__xasprintf("%s percentiles per trial (us)", m->sampled);
	{
		struct svg_axes a = { title, "microseconds", "", false };
		px__svg_bars(f, &a, bars, n);
	}
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	free(bars);
	free(title);
	return true;
}

/* Per thread of each gil-threads trial (up to 16 threads, to stay
 * readable): the median time it waited for the GIL and held it. */
static bool draw_gil(FILE *f, const struct rmodel *m)
{
	struct svg_bar *bars;
	char **names;
	size_t n = 0, cap = 0;
	struct svg_axes a = { "GIL wait and hold time per thread (median over runs, ms)",
	                      "milliseconds", "", false };

	for (size_t i = 0; i < m->n; i++)
		if (m->t[i].gil_wait_ms && m->t[i].workers <= 16)
			cap += 2 * m->t[i].workers;
	if (cap == 0)
		return false;
	bars = px__xcalloc(cap, sizeof(*bars));
	names = px__xcalloc(cap, sizeof(*names));
	for (size_t i = 0; i < m->n; i++) {
		const struct rtrial *t = &m->t[i];
		if (!t->gil_wait_ms || t->workers > 16)
			continue;
		for (unsigned k = 0; k < t->workers; k++) {
			names[n] = px__xasprintf("%s, %u w: thread %u waits",
			                         t->label, t->workers, k);
			bars[n] = (struct svg_bar){ names[n], t->gil_wait_ms[k], NAN, NAN };
			n++;
			names[n] = px__xasprintf("%s, %u w: thread %u holds",
			                         t->label, t->workers, k);
			bars[n] = (struct svg_bar){ names[n], t->gil_hold_ms[k], NAN, NAN };
			n++;
		}
	}
	px__svg_bars(f, &a, bars, n);
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	free(bars);
	return true;
}

/* Writes a chart to dir/name and inline into the page; returns 1 when
 * the file could not be written (the page still gets the chart). */
static int chart(const char *dir, const char *name, FILE *html,
                 const struct rmodel *m,
                 bool (*draw)(FILE *, const struct rmodel *))
{
	char *text = NULL, *path;
	size_t len = 0;
	FILE *mem = open_memstream(&text, &len);
	bool drawn = draw(mem, m);
	int failed = 0;

	fclose(mem);
	if (drawn) {
		path = px__xasprintf("%s/%s", dir, name);
		failed = px__afile_write(path, text, len) != 0;
		fprintf(html, "<figure>%s</figure>\n", text);
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

static void text_table(FILE *f, const struct rmodel *m)
{
	fprintf(f, "%-44s %7s %5s %10s %21s %6s %8s\n", "trial", "workers",
	        "runs", "median s", "interval of median", "cv%", "speedup");
	for (size_t i = 0; i < m->n; i++) {
		const struct rtrial *t = &m->t[i];
		fprintf(f, "%-44.44s %7u %2u/%-2u %10.4f  [%8.4f .. %8.4f] %6.1f %8.3f%s%s\n",
		        t->label, t->workers, t->runs - t->failed, t->runs,
		        t->wall.median, t->wall.lo, t->wall.hi, t->cv * 100,
		        t->speedup.median, t->noisy ? "  noisy" : "",
		        t->outliers ? "  outliers" : "");
	}
}

/* The verdicts file, one <li> per line, classed by its first word. */
static void html_verdicts(FILE *f, const char *dir, FILE *table)
{
	char *path = px__xasprintf("%s/verdicts", dir);
	char *text = px__read_file(path);

	free(path);
	if (!text) {
		fputs("<p>No expectations.</p>\n", f);
		return;
	}
	fputs("<ul>\n", f);
	for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
		const char *cls = strncmp(line, "pass", 4) == 0 ? "pass"
		                  : strncmp(line, "FAIL", 4) == 0 ? "fail" : "skipped";
		fprintf(f, "<li class=\"%s\">", cls);
		px__xml_text(f, line);
		fputs("</li>\n", f);
		if (table)
			fprintf(table, "%s\n", line);
	}
	fputs("</ul>\n", f);
	free(text);
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

int px__report_write(const char *dir, FILE *table)
{
	char *path = px__xasprintf("%s/report.html", dir);
	char *meta = px__xasprintf("%s/meta.json", dir);
	char *context = px__read_file(meta);
	char *title = px__xstrdup(base_name(dir));
	struct rmodel m;
	struct px_afile a;
	FILE *f;
	int failed = 0;

	free(meta);
	title[strcspn(title, "/")] = '\0';
	if (px__rmodel_load(dir, &m)) {
		failed = PX_REPORT_UNREADABLE;  /* the model's loader said why */
		goto out;
	}
	px__afile_open(&a, path);
	f = a.f;
	fputs("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>parlab: ", f);
	px__xml_text(f, title);
	fputs("</title><style>body{font-family:sans-serif;max-width:960px;margin:2em auto}"
	      "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:3px 8px;text-align:left}"
	      ".pass{color:#2a7d2a}.fail{color:#c62828}.skipped{color:#777}"
	      "figure{margin:1em 0}pre{background:#f6f6f6;padding:1em;overflow:auto}</style></head>\n<body>\n<h1>", f);
	px__xml_text(f, title);
	fputs("</h1>\n<h2>Verdicts</h2>\n", f);
	if (table)
		text_table(table, &m);
	html_verdicts(f, dir, table);
	fputs("<h2>Charts</h2>\n", f);
	failed += chart(dir, "speedup.svg", f, &m, draw_speedup);
	failed += chart(dir, "time.svg", f, &m, draw_time);
	failed += chart(dir, "latency.svg", f, &m, draw_latency);
	failed += chart(dir, "gil.svg", f, &m, draw_gil);
	fputs("<h2>Trials</h2>\n", f);
	html_table(f, &m);
	fputs("<h2>Machine and run</h2>\n<pre>", f);
	px__xml_text(f, context ? context : "(meta.json missing)");
	fputs("</pre>\n</body></html>\n", f);
	failed += px__afile_commit(&a) != 0;
out:
	px__rmodel_free(&m);
	free(context);
	free(title);
	free(path);
	return failed;
}
