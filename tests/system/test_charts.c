/* test_charts.c: every chart kind, rendered by headless Chromium, draws
 * what it should: as many legend entries as series, no text outside the
 * SVG's viewBox, a log axis (equal gaps between 1, 2, 4) when the values
 * span more than 10x, integer tick labels for integer parameters. A
 * script in the page measures the drawn elements and writes what it
 * found into the DOM, which --dump-dom returns. Skips, saying so, when
 * chromium is not installed. */
#include <sys/stat.h>
#include <unistd.h>

#include "chromium.h"
#include "helpers.h"
#include "output/svg.h"

/* For each svg: kind, series, legend entries, text outside the viewBox,
 * the x tick labels and their positions; one line each, in <pre>. */
static const char measure_js[] =
	"<script>\n"
	"const out=[];\n"
	"document.querySelectorAll('svg.chart').forEach((s,i)=>{\n"
	" const vb=s.viewBox.baseVal, r=s.getBoundingClientRect(), k=vb.width/r.width;\n"
	" let outside=0;\n"
	" s.querySelectorAll('text').forEach(t=>{const b=t.getBoundingClientRect();\n"
	"  if(t.textContent.trim()==='')return;\n"
	"  const x0=(b.left-r.left)*k,x1=(b.right-r.left)*k,y0=(b.top-r.top)*k,y1=(b.bottom-r.top)*k;\n"
	"  if(x0<-0.5||y0<-0.5||x1>vb.width+0.5||y1>vb.height+0.5)outside++;});\n"
	" const ticks=[...s.querySelectorAll('text.xtick')].map(t=>t.textContent+'@'+t.getBBox().x.toFixed(1)+'+'+t.getBBox().width.toFixed(1));\n"
	" out.push('chart '+i+' kind='+s.classList[1]+' series='+s.querySelectorAll('g.series').length+\n"
	"  ' legend='+s.querySelectorAll('g.legend-entry').length+' keys='+(s.dataset.keys||0)+\n"
	"  ' xlog='+s.dataset.xlog+' outside='+outside+' ticks='+ticks.join('|'));\n"
	"});\n"
	"const p=document.createElement('pre');p.id='result';p.textContent=out.join('\\n')+'\\nend';\n"
	"document.body.appendChild(p);\n"
	"</script>\n";

static char *tmp(void)
{
	static char dir[] = "/tmp/parlab-test-charts-XXXXXX";
	static bool made;

	if (!made)
		made = mkdtemp(dir) != NULL;
	return dir;
}

/* One chart's measurements, from the line "chart I ..." of the result. */
struct drawn {
	char kind[16];
	int series, legend, keys, xlog, outside;
	char ticks[1024];
};

static bool parse(const char *dom, int i, struct drawn *d)
{
	char *pat = px__xasprintf("chart %d kind=", i);
	const char *at = strstr(dom, pat);
	int n;

	free(pat);
	memset(d, 0, sizeof(*d));
	if (!at)
		return false;
	n = sscanf(at, "chart %*d kind=%15s series=%d legend=%d keys=%d xlog=%d outside=%d ticks=%1023[^\n]",
	           d->kind, &d->series, &d->legend, &d->keys, &d->xlog,
	           &d->outside, d->ticks);
	return n >= 6;
}

/* Whether every x tick label is an integer. */
static bool integer_ticks(const char *ticks)
{
	for (const char *p = ticks; *p;) {
		const char *at = strchr(p, '@');
		if (!at)
			break;
		for (const char *c = p; c < at; c++)
			if (!(*c >= '0' && *c <= '9'))
				return false;
		p = strchr(at, '|') ? strchr(at, '|') + 1 : at + strlen(at);
	}
	return true;
}

/* The centre of tick label `label`, or NAN. */
static double tick_at(const char *ticks, const char *label)
{
	char *pat = px__xasprintf("%s@", label);
	const char *at = strstr(ticks, pat);
	double x = NAN, w = 0;

	if (at && (at == ticks || at[-1] == '|'))
		sscanf(at + strlen(pat), "%lf+%lf", &x, &w);
	free(pat);
	return x + w / 2;
}

static void lines(FILE *f, const char *title, const char *xname, const double *x,
                  size_t nx, size_t nseries, const char *name_fmt,
                  const struct svg_ref *refs, size_t nrefs)
{
	struct svg_series *s = px__xcalloc(nseries, sizeof(*s));
	double *y = px__xcalloc(nseries * nx, sizeof(*y));
	double *lo = px__xcalloc(nseries * nx, sizeof(*y));
	double *hi = px__xcalloc(nseries * nx, sizeof(*y));
	char **names = px__xcalloc(nseries, sizeof(*names));
	struct svg_chart c = { title, "whiskers: interval of the median",
	                       { xname, SVG_PLAIN, -1, true },
	                       { "speedup over the baseline", SVG_PLAIN, -1, false },
	                       false, refs, nrefs };

	for (size_t k = 0; k < nseries; k++) {
		names[k] = px__xasprintf(name_fmt, (int)k);
		for (size_t i = 0; i < nx; i++) {
			y[k * nx + i] = 0.5 + 0.1 * (double)(k + i);
			lo[k * nx + i] = y[k * nx + i] * 0.9;
			hi[k * nx + i] = y[k * nx + i] * 1.1;
		}
		s[k] = (struct svg_series){ names[k], nx, x, y + k * nx, lo + k * nx,
		                            hi + k * nx, 0, NULL, NULL };
	}
	px__svg_lines(f, &c, s, nseries);
	for (size_t k = 0; k < nseries; k++)
		free(names[k]);
	free(names);
	free(s);
	free(y);
	free(lo);
	free(hi);
}

/* Rows charts: wall times from 1 ms to 7 s; three percentiles a row;
 * GIL wait and hold in two groups. */
static void rows(FILE *f)
{
	static const char *const one[] = { "median wall time" };
	static const char *const three[] = { "p50", "p90", "p99" };
	static const char *const two[] = { "waits for the GIL", "holds the GIL" };
	double t[3] = { 0.001, 0.3, 7 }, p[3][3] = { { 1e4, 2e4, 9e4 },
	                                           { 2e6, 5e6, 1e7 }, { 1e5, 2e5, 3e5 } };
	double g[4][2] = { { 0.01, 0.02 }, { 0.02, 0.01 }, { 0.03, 0.03 }, { 0.01, 0.02 } };
	struct svg_row r[4];
	struct svg_rows_chart c1 = { "Wall time per trial", NULL, { "wall time", SVG_SECONDS, -1, false }, one, 1 };
	struct svg_rows_chart c3 = { "io_latency percentiles per trial", NULL, { "io_latency", SVG_NS, -1, false }, three, 3 };
	struct svg_rows_chart c2 = { "GIL wait and hold time per thread", NULL, { "time", SVG_SECONDS, -1, false }, two, 2 };
	const char *labels[] = { "serial, 1 worker", "gil-threads mode=legacy, 2 workers",
	                         "free-threads chunksize=1024 spawn=per-task, 64 workers" };

	for (int i = 0; i < 3; i++)
		r[i] = (struct svg_row){ labels[i], NULL, &t[i], NULL, NULL, 0, NULL };
	px__svg_rows(f, &c1, r, 3);
	for (int i = 0; i < 3; i++)
		r[i] = (struct svg_row){ labels[i], NULL, p[i], NULL, NULL, 0, NULL };
	px__svg_rows(f, &c3, r, 3);
	for (int i = 0; i < 4; i++)
		r[i] = (struct svg_row){ i % 2 ? "thread 1" : "thread 0",
		                         i < 2 ? "gil-threads, 2 workers" : "gil-threads mode=legacy, 2 workers",
		                         g[i], NULL, NULL, 0, NULL };
	px__svg_rows(f, &c2, r, 4);
}

/* Writes the page of every chart kind; returns its path. */
static char *page_of_charts(void)
{
	static const double pow4[] = { 1, 4, 16, 64, 256, 1024 }, w[] = { 1, 2, 3, 4 };
	struct svg_ref serial = { "serial", 1, 0.95, 1.05 };
	char *path = px__xasprintf("%s/charts.html", tmp());
	FILE *f = fopen(path, "w");

	fputs("<!DOCTYPE html><html><head><meta charset=\"utf-8\"></head><body>\n", f);
	lines(f, "Speedup against chunksize", "chunksize", pow4, 6, 2,
	      "fork-pool workers=%d", &serial, 1);
	lines(f, "Speedup against workers", "workers", w, 4, 3, "strategy %d", NULL, 0);
	lines(f, "Twenty series split into panels rather than shrunk", "workers", w, 4,
	      20, "free-threads chunksize=%d spawn=per-task", NULL, 0);
	lines(f, "A title long enough that it must wrap onto a second line to stay inside the chart's canvas",
	      "max_in_flight", pow4, 6, 5,
	      "event-loop max_in_flight stack_size=64KiB yield_every=%d0000 and more words", NULL, 0);
	rows(f);
	fputs(measure_js, f);
	fputs("</body></html>\n", f);
	fclose(f);
	return path;
}

static void check_no_overflow(const struct drawn *d, int i)
{
	if (d->outside)
		fprintf(stderr, "\n  chart %d: %d text elements outside the viewBox\n",
		        i, d->outside);
	CHECK_INT(d->outside, 0);
}

#define SKIP_WITHOUT_CHROMIUM()                                              \
	do {                                                                 \
		if (!px_chromium_found()) {                                  \
			fprintf(stderr, "\n  SKIPPED: chromium is not installed (tools/deps.sh installs it)\n"); \
			return;                                              \
		}                                                            \
	} while (0)

/* Each chart kind as drawn: series = legend entries (keys for rows),
 * no text outside, log axes where the range is over 10x, integer and
 * log-spaced ticks. */
static void test_chart_kinds_drawn(void)
{
	char *page, *dom = NULL;
	struct drawn d[7];

	SKIP_WITHOUT_CHROMIUM();
	page = page_of_charts();
	CHECK_INT(px_chromium("--dump-dom", page, &dom), 0);
	CHECK_CONTAINS(dom, "\nend");
	for (int i = 0; i < 7; i++) {
		CU_ASSERT_FATAL(parse(dom, i, &d[i]));
		check_no_overflow(&d[i], i);
	}
	for (int i = 0; i < 4; i++) {
		CHECK_STR(d[i].kind, "lines");
		CHECK_INT(d[i].series, d[i].legend);
	}
	CHECK_INT(d[0].series, 3);                    /* 2 series, 1 reference */
	CHECK_INT(d[2].series, 20);
	/* chunksize 1 .. 1024 by 4: log axis; 1, 4, 16 equally spaced. */
	CHECK_INT(d[0].xlog, 1);
	CU_ASSERT(integer_ticks(d[0].ticks));
	CU_ASSERT(fabs((tick_at(d[0].ticks, "4") - tick_at(d[0].ticks, "1")) -
	               (tick_at(d[0].ticks, "16") - tick_at(d[0].ticks, "4"))) < 1.5);
	/* workers 1 .. 4: linear, integer ticks, 1 to 2 as far as 3 to 4. */
	CHECK_INT(d[1].xlog, 0);
	CU_ASSERT(integer_ticks(d[1].ticks));
	CU_ASSERT(fabs((tick_at(d[1].ticks, "2") - tick_at(d[1].ticks, "1")) -
	               (tick_at(d[1].ticks, "4") - tick_at(d[1].ticks, "3"))) < 1.5);
	/* Rows: 1 ms .. 7 s is a log axis; the legends hold every key. */
	CHECK_STR(d[4].kind, "rows");
	CHECK_INT(d[4].xlog, 1);
	CHECK_INT(d[5].legend, 3);
	CHECK_INT(d[5].keys, 3);
	CHECK_INT(d[6].legend, 2);
	free(dom);
	free(page);
}

/* The report of a real results directory (the fixture), as Chromium
 * lays it out at 1280 px: every chart keeps its text inside, every line
 * chart has a legend entry per series. */
static void test_report_charts_drawn(void)
{
	char *cmd, *html, *page, *dom = NULL, *at = NULL;
	struct drawn d;
	FILE *f;
	int i;

	SKIP_WITHOUT_CHROMIUM();
	cmd = px__xasprintf("cp -r %s/tests/data/report-run %s/run && %s report %s/run >/dev/null",
	                    PARLAB_TEST_SOURCE_DIR, tmp(), PARLAB_TEST_BINARY, tmp());
	CHECK_INT(system(cmd), 0);
	free(cmd);
	page = px__xasprintf("%s/run/report.html", tmp());
	html = px__read_file(page);
	if (html)
		at = strstr(html, "</body>");
	CU_ASSERT_FATAL(at != NULL);
	*at = '\0';
	f = fopen(page, "w");
	fprintf(f, "%s%s</body></html>\n", html, measure_js);
	fclose(f);
	CHECK_INT(px_chromium("--dump-dom", page, &dom), 0);
	for (i = 0; parse(dom, i, &d); i++) {
		check_no_overflow(&d, i);
		if (strcmp(d.kind, "lines") == 0)
			CHECK_INT(d.series, d.legend);
	}
	CHECK_INT(i, 4);   /* speedup, time, latency, gil */
	free(dom);
	free(html);
	free(page);
}

static void test_cleanup(void)
{
	char *cmd = px__xasprintf("rm -rf '%s'", tmp());

	CHECK_INT(system(cmd), 0);
	free(cmd);
}

TEST_MAIN("charts", T(test_chart_kinds_drawn), T(test_report_charts_drawn),
          T(test_cleanup))
