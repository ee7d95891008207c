/* svg_lines.c: line charts: a value against a swept x, one series per
 * combination, each median with its interval and each run faintly;
 * references (trials without an x) across the plot; legends below. */
#include "output/svg_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"

#define W 720
#define LEFT 74
#define RIGHT 24
#define PH 280          /* height of one panel's plot area */
#define PER_PANEL 8     /* series per panel once there are more than 12 */

/* Where a panel's parts are, and the scales they share. */
struct frame {
	struct px_scale xs, ys;
	const struct svg_chart *c;
	const double *xv;   /* every x, for integer ticks at the data */
	size_t nx;
};

static bool in_range(const struct px_scale *s, double v)
{
	return isfinite(v) && (!s->log || v > 0);
}

static void axes(FILE *f, const struct frame *fr, int top)
{
	double t[64];
	char buf[32];
	size_t n;
	int bottom = top + PH;

	n = px__scale_ticks(&fr->ys, NULL, 0, t, 64);
	for (size_t i = 0; i < n; i++) {
		double y = top + px__scale_map(&fr->ys, t[i]);
		px__scale_label(&fr->ys, t[i], buf, sizeof(buf));
		fprintf(f, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#eee\"/><text class=\"ytick\" x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>\n",
		        LEFT, y, W - RIGHT, y, LEFT - 6, y + 4, buf);
	}
	n = px__scale_ticks(&fr->xs, fr->xv, fr->nx, t, 64);
	for (size_t i = 0; i < n; i++) {
		double x = px__scale_map(&fr->xs, t[i]);
		px__scale_label(&fr->xs, t[i], buf, sizeof(buf));
		fprintf(f, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#888\"/><text class=\"xtick\" x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>\n",
		        x, bottom, x, bottom + 4, x, bottom + 17, buf);
	}
	fprintf(f, "<g stroke=\"#888\"><line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/><line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/></g>\n",
	        LEFT, bottom, W - RIGHT, bottom, LEFT, top, LEFT, bottom);
	fprintf(f, "<text class=\"xlabel\" x=\"%d\" y=\"%d\" text-anchor=\"middle\">",
	        (LEFT + W - RIGHT) / 2, bottom + 34);
	px__axis_title(f, &fr->c->x, &fr->xs);
	fprintf(f, "</text>\n<text class=\"ylabel\" x=\"16\" y=\"%d\" text-anchor=\"middle\" transform=\"rotate(-90 16 %d)\">",
	        top + PH / 2, top + PH / 2);
	px__axis_title(f, &fr->c->y, &fr->ys);
	fputs("</text>\n", f);
}

/* y = x, sampled so that it stays right on mixed log/linear axes. */
static void ideal(FILE *f, const struct frame *fr, int top)
{
	double a = fmax(fr->xs.lo, fr->ys.lo), b = fmin(fr->xs.hi, fr->ys.hi);

	if (!(b > a) || (fr->xs.log && a <= 0) || (fr->ys.log && a <= 0))
		return;
	fputs("<polyline class=\"ideal\" fill=\"none\" stroke=\"#999\" stroke-dasharray=\"4 4\" points=\"", f);
	for (int i = 0; i <= 40; i++) {
		double v = fr->xs.log ? a * pow(b / a, i / 40.0) : a + (b - a) * i / 40.0;
		fprintf(f, "%.1f,%.1f ", px__scale_map(&fr->xs, v),
		        top + px__scale_map(&fr->ys, v));
	}
	fputs("\"><title>ideal: speedup = workers</title></polyline>\n", f);
}

static void one_series(FILE *f, const struct frame *fr, int top,
                       const struct svg_series *s, size_t k)
{
	const char *c = px__style_colour(k);

	fputs("<g class=\"series\">\n", f);
	for (size_t i = 0; i < s->nruns; i++)
		if (in_range(&fr->xs, s->rx[i]) && in_range(&fr->ys, s->ry[i]))
			fprintf(f, "<circle class=\"run\" cx=\"%.1f\" cy=\"%.1f\" r=\"2\" fill=\"%s\" fill-opacity=\"0.3\"/>\n",
			        px__scale_map(&fr->xs, s->rx[i]),
			        top + px__scale_map(&fr->ys, s->ry[i]), c);
	for (size_t i = 0; s->lo && s->hi && i < s->n; i++) {
		double x = px__scale_map(&fr->xs, s->x[i]), a, b;
		if (!in_range(&fr->ys, s->lo[i]) || !in_range(&fr->ys, s->hi[i]))
			continue;
		a = top + px__scale_map(&fr->ys, s->lo[i]);
		b = top + px__scale_map(&fr->ys, s->hi[i]);
		fprintf(f, "<path class=\"interval\" d=\"M%.1f %.1fV%.1fM%.1f %.1fH%.1fM%.1f %.1fH%.1f\" stroke=\"%s\" stroke-width=\"1.5\"/>\n",
		        x, a, b, x - 4, a, x + 4, x - 4, b, x + 4, c);
	}
	fprintf(f, "<polyline class=\"line\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\" stroke-dasharray=\"%s\" points=\"",
	        c, px__style_dash(k));
	for (size_t i = 0; i < s->n; i++)
		if (in_range(&fr->xs, s->x[i]) && in_range(&fr->ys, s->y[i]))
			fprintf(f, "%.1f,%.1f ", px__scale_map(&fr->xs, s->x[i]),
			        top + px__scale_map(&fr->ys, s->y[i]));
	fputs("\"/>\n", f);
	for (size_t i = 0; i < s->n; i++) {
		if (!in_range(&fr->xs, s->x[i]) || !in_range(&fr->ys, s->y[i]))
			continue;
		fputs("<g class=\"point\">", f);
		px__marker(f, k, px__scale_map(&fr->xs, s->x[i]),
		           top + px__scale_map(&fr->ys, s->y[i]), 3.5);
		fputs("<title>", f);
		px__xml_text(f, s->name);
		fprintf(f, ": %g, %.4g</title></g>\n", s->x[i], s->y[i]);
	}
	fputs("</g>\n", f);
}

static void reference(FILE *f, const struct frame *fr, int top,
                      const struct svg_ref *r, size_t k)
{
	double y;

	if (!in_range(&fr->ys, r->y))
		return;
	y = top + px__scale_map(&fr->ys, r->y);
	fputs("<g class=\"series ref\">", f);
	if (in_range(&fr->ys, r->lo) && in_range(&fr->ys, r->hi))
		fprintf(f, "<rect x=\"%d\" y=\"%.1f\" width=\"%d\" height=\"%.1f\" fill=\"%s\" fill-opacity=\"0.12\"/>",
		        LEFT, top + px__scale_map(&fr->ys, r->hi), W - RIGHT - LEFT,
		        fmax(0.5, px__scale_map(&fr->ys, r->lo) - px__scale_map(&fr->ys, r->hi)),
		        px__style_colour(k));
	fprintf(f, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"2\" stroke-dasharray=\"%s\"/><title>",
	        LEFT, y, W - RIGHT, y, px__style_colour(k), px__style_dash(k));
	px__xml_text(f, r->name);
	fprintf(f, ": %.4g</title></g>\n", r->y);
}

/* Every x, and every y the chart draws (medians, intervals, runs,
 * references), for fitting the scales. */
static void fit(struct frame *fr, const struct svg_series *s, size_t n)
{
	const struct svg_chart *c = fr->c;
	size_t nx = 0, ny = 0, cap = 4 * c->nrefs + 2;
	double *xv, *yv;

	for (size_t k = 0; k < n; k++)
		cap += 4 * s[k].n + 2 * s[k].nruns;
	xv = px__xcalloc(cap, sizeof(*xv));
	yv = px__xcalloc(cap, sizeof(*yv));
	for (size_t k = 0; k < n; k++) {
		for (size_t i = 0; i < s[k].n; i++) {
			xv[nx++] = s[k].x[i];
			yv[ny++] = s[k].y[i];
			if (s[k].lo && s[k].hi) {
				yv[ny++] = s[k].lo[i];
				yv[ny++] = s[k].hi[i];
			}
		}
		for (size_t i = 0; i < s[k].nruns; i++)
			yv[ny++] = s[k].ry[i];
	}
	for (size_t r = 0; r < c->nrefs; r++) {
		yv[ny++] = c->refs[r].y;
		yv[ny++] = c->refs[r].lo;
		yv[ny++] = c->refs[r].hi;
	}
	px__scale_fit(&fr->xs, &c->x, xv, nx, c->ideal, px__geometric(xv, nx));
	px__scale_fit(&fr->ys, &c->y, yv, ny, true, false);
	fr->xs.p0 = LEFT;
	fr->xs.p1 = W - RIGHT;
	fr->ys.p0 = PH;
	fr->ys.p1 = 0;
	fr->xv = xv;
	fr->nx = nx;
	free(yv);
}

/* The legend's names for series [from, to) and the references. */
static const char **legend_names(const struct svg_chart *c,
                                 const struct svg_series *s, size_t from,
                                 size_t to)
{
	const char **names = px__xcalloc(to - from + c->nrefs + 1, sizeof(*names));

	for (size_t k = from; k < to; k++)
		names[k - from] = s[k].name;
	for (size_t r = 0; r < c->nrefs; r++)
		names[to - from + r] = c->refs[r].name;
	return names;
}

/* Draws (or only measures, f NULL) the panel of series [from, to) at
 * top; returns its height. Styles count from `from` so that a series
 * looks the same in every panel's legend. */
static int panel(FILE *f, const struct frame *fr, int top,
                 const struct svg_series *s, size_t from, size_t to)
{
	const struct svg_chart *c = fr->c;
	const char **names = legend_names(c, s, from, to);
	size_t nn = to - from + c->nrefs;
	int lh = px__legend(NULL, 0, W, names, nn, true, false);

	if (f) {
		axes(f, fr, top);
		if (c->ideal)
			ideal(f, fr, top);
		for (size_t r = 0; r < c->nrefs; r++)
			reference(f, fr, top, &c->refs[r], to - from + r);
		for (size_t k = from; k < to; k++)
			one_series(f, fr, top, &s[k], k - from);
		px__legend(f, top + PH + 44, W, names, nn, true, true);
	}
	free(names);
	return PH + 50 + lh;
}

void px__svg_lines(FILE *f, const struct svg_chart *c,
                   const struct svg_series *s, size_t n)
{
	struct frame fr = { .c = c };
	size_t per = n > 12 ? PER_PANEL : (n ? n : 1);
	int head = 22 + 19 * px__title_lines(c->title, W) + (c->note ? 16 : 0);
	int height = head, top;
	char attrs[160];

	fit(&fr, s, n);
	for (size_t from = 0; from < n || from == 0; from += per)
		height += panel(NULL, &fr, 0, s, from, from + per < n ? from + per : n);
	snprintf(attrs, sizeof(attrs),
	         " class=\"chart lines\" data-series=\"%zu\" data-xlog=\"%d\" data-ylog=\"%d\"",
	         n + c->nrefs, fr.xs.log, fr.ys.log);
	top = px__svg_open(f, W, height, c->title, c->note, attrs);
	for (size_t from = 0; from < n || from == 0; from += per) {
		size_t to = from + per < n ? from + per : n;
		top += panel(f, &fr, top, s, from, to);
	}
	fputs("</svg>\n", f);
	free((void *)fr.xv);
}
