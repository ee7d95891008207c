/* svg_rows.c: rows charts: one row per trial (or thread), one to a few
 * values each, as bars on a linear axis or dots on a log one, in panels
 * of at most 12 rows, with a legend when a row holds several values. */
#include "output/svg_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"

#define ROW 22
#define PLOT_W 460
#define PER_PANEL 12

struct rframe {
	const struct svg_rows_chart *c;
	struct px_scale xs;
	int left, width;
};

/* Fits the value scale to everything drawn; sets the label column. */
static void fit(struct rframe *fr, const struct svg_row *r, size_t n)
{
	size_t k = fr->c->nkeys, m = 0, cap = 1;
	double *v;

	for (size_t i = 0; i < n; i++)
		cap += 3 * k + r[i].nruns;
	v = px__xcalloc(cap, sizeof(*v));
	fr->left = 120;
	for (size_t i = 0; i < n; i++) {
		int need = (int)(PX_CHAR_W * (double)strlen(r[i].label ? r[i].label : "")) + 16;
		fr->left = need > fr->left ? need : fr->left;
		for (size_t j = 0; j < k; j++) {
			v[m++] = r[i].v[j];
			v[m++] = r[i].lo ? r[i].lo[j] : NAN;
			v[m++] = r[i].hi ? r[i].hi[j] : NAN;
		}
		for (size_t j = 0; j < r[i].nruns; j++)
			v[m++] = r[i].runs[j];
	}
	/* Bars need a zero, so they are drawn only on a linear axis. */
	for (size_t i = 0; i < m; i++)
		if (v[i] <= 0)
			v[i] = NAN;
	px__scale_fit(&fr->xs, &fr->c->x, v, m, true, false);
	fr->width = fr->left + PLOT_W + 30;
	fr->xs.p0 = fr->left;
	fr->xs.p1 = fr->left + PLOT_W;
	free(v);
}

static bool shown(const struct px_scale *s, double v)
{
	return isfinite(v) && (!s->log || v > 0);
}

/* Value j of row r at y: a bar (linear) or a marker (log), its interval
 * as a whisker, and (for the first value) each run as a faint dot. */
static void value(FILE *f, const struct rframe *fr, const struct svg_row *r,
                  size_t j, int y)
{
	const struct px_scale *s = &fr->xs;
	size_t k = fr->c->nkeys;
	double bh = (ROW - 6.0) / (double)k, cy = y + 3 + bh * ((double)j + 0.5);
	const char *c = px__style_colour(j);

	if (!shown(s, r->v[j]))
		return;
	if (s->log) {
		px__marker(f, j, px__scale_map(s, r->v[j]), cy, 3.5);
	} else {
		double w = px__scale_map(s, r->v[j]) - fr->left;
		fprintf(f, "<rect class=\"bar\" x=\"%d\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"><title>%.4g</title></rect>",
		        fr->left, cy - bh / 2, r->v[j] > 0 && w < 2 ? 2 : w,
		        bh, c, r->v[j]);
	}
	if (r->lo && r->hi && shown(s, r->lo[j]) && shown(s, r->hi[j]))
		fprintf(f, "<line class=\"interval\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"1.5\"/>",
		        px__scale_map(s, r->lo[j]), cy, px__scale_map(s, r->hi[j]),
		        cy, s->log ? c : "black");
	for (size_t i = 0; j == 0 && i < r->nruns; i++)
		if (shown(s, r->runs[i]))
			fprintf(f, "<circle class=\"run\" cx=\"%.1f\" cy=\"%.1f\" r=\"2\" fill=\"%s\" fill-opacity=\"0.35\"/>",
			        px__scale_map(s, r->runs[i]), cy, s->log ? c : "#333");
	fputc('\n', f);
}

static void ticks(FILE *f, const struct rframe *fr, int top, int bottom)
{
	double t[64];
	char buf[32];
	size_t n = px__scale_ticks(&fr->xs, NULL, 0, t, 64);

	for (size_t i = 0; i < n; i++) {
		double x = px__scale_map(&fr->xs, t[i]);
		px__scale_label(&fr->xs, t[i], buf, sizeof(buf));
		fprintf(f, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#eee\"/><text class=\"xtick\" x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>\n",
		        x, top, x, bottom, x, bottom + 15, buf);
	}
}

/* Where panels break: every PER_PANEL rows and wherever the group
 * changes. */
static bool breaks(const struct svg_row *r, size_t i, size_t in_panel)
{
	const char *a = r[i - 1].group, *b = r[i].group;

	return in_panel >= PER_PANEL ||
	       ((a || b) && (!a || !b || strcmp(a, b) != 0));
}

/* Draws (f not NULL) or measures the panels from y; returns the height. */
static int panels(FILE *f, const struct rframe *fr, const struct svg_row *r,
                  size_t n, int y)
{
	int y0 = y;

	for (size_t i = 0; i < n;) {
		size_t end = i + 1;
		while (end < n && !breaks(r, end, end - i))
			end++;
		if (r[i].group) {
			if (f) {
				fprintf(f, "<text class=\"group\" x=\"10\" y=\"%d\" font-weight=\"bold\">", y + 14);
				px__xml_text(f, r[i].group);
				fputs("</text>\n", f);
			}
			y += 20;
		}
		if (f)
			ticks(f, fr, y, y + (int)(end - i) * ROW);
		for (size_t k = i; f && k < end; k++) {
			int ry = y + (int)(k - i) * ROW;
			fprintf(f, "<text class=\"rowlabel\" x=\"%d\" y=\"%d\" text-anchor=\"end\">", fr->left - 8, ry + 15);
			px__xml_text(f, r[k].label);
			fputs("</text>\n", f);
			for (size_t j = 0; j < fr->c->nkeys; j++)
				value(f, fr, &r[k], j, ry);
		}
		y += (int)(end - i) * ROW + 26;
		i = end;
	}
	return y - y0;
}

void px__svg_rows(FILE *f, const struct svg_rows_chart *c,
                  const struct svg_row *r, size_t n)
{
	struct rframe fr = { .c = c };
	int head, legend, body, y;
	char attrs[160];
	bool several = c->nkeys > 1;

	fit(&fr, r, n);
	head = 22 + 19 * px__title_lines(c->title, fr.width) + (c->note ? 16 : 0);
	legend = several ? px__legend(NULL, 0, fr.width, c->keys,
	                              c->nkeys, false, false) + 6 : 0;
	body = panels(NULL, &fr, r, n, 0);
	snprintf(attrs, sizeof(attrs),
	         " class=\"chart rows\" data-rows=\"%zu\" data-xlog=\"%d\" data-keys=\"%zu\"",
	         n, fr.xs.log, c->nkeys);
	y = px__svg_open(f, fr.width, head + legend + body + 24, c->title,
	                 c->note, attrs);
	if (several)
		px__legend(f, y, fr.width, c->keys, c->nkeys,
		           false, true);
	y += legend;
	y += panels(f, &fr, r, n, y);
	fprintf(f, "<text class=\"xlabel\" x=\"%d\" y=\"%d\" text-anchor=\"middle\">",
	        fr.left + PLOT_W / 2, y + 6);
	px__axis_title(f, &c->x, &fr.xs);
	fputs("</text>\n</svg>\n", f);
}
