/* svg.c: line and bar charts as plain SVG 1.1. */
#include "output/svg.h"

#include <math.h>
#include <string.h>

#define W 640
#define H 400
#define LEFT 70
#define RIGHT 160
#define TOP 40
#define BOTTOM 50

static const char *const palette[] = { "#1f77b4", "#d62728", "#2ca02c",
                                       "#9467bd", "#ff7f0e", "#8c564b",
                                       "#e377c2", "#17becf" };

void px__xml_text(FILE *f, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '&':
			fputs("&amp;", f);
			break;
		case '<':
			fputs("&lt;", f);
			break;
		case '>':
			fputs("&gt;", f);
			break;
		case '"':
			fputs("&quot;", f);
			break;
		default:
			fputc(*s, f);
		}
	}
}

/* A round step for about `want` ticks between 0 and max. */
static double tick_step(double max, int want)
{
	double raw = max / want, mag = pow(10, floor(log10(raw)));
	double r = raw / mag;

	return (r < 1.5 ? 1 : r < 3.5 ? 2 : r < 7.5 ? 5 : 10) * mag;
}

static void header_w(FILE *f, const struct svg_axes *a, int width, int height)
{
	fprintf(f, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"12\">\n",
	        width, height, width, height);
	fprintf(f, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>\n", width, height);
	fputs("<text x=\"10\" y=\"22\" font-size=\"15\" font-weight=\"bold\">", f);
	px__xml_text(f, a->title);
	fputs("</text>\n", f);
}

/* The data range a line chart maps onto its plot area. */
struct frame {
	double xmax, ymax;
};

static double fx(const struct frame *fr, double x)
{
	return LEFT + x / fr->xmax * (W - LEFT - RIGHT);
}

static double fy(const struct frame *fr, double y)
{
	return H - BOTTOM - y / fr->ymax * (H - TOP - BOTTOM);
}

/* Axes from (0,0) to (xmax,ymax) with ticks and labels. */
static void axes(FILE *f, const struct svg_axes *a, const struct frame *fr)
{
	double xmax = fr->xmax, ymax = fr->ymax;
	double xs = tick_step(xmax, 6), ys = tick_step(ymax, 6);

	fprintf(f, "<g stroke=\"#888\" stroke-width=\"1\"><line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/><line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/></g>\n",
	        LEFT, H - BOTTOM, W - RIGHT, H - BOTTOM, LEFT, TOP, LEFT,
	        H - BOTTOM);
	for (double x = 0; x <= xmax * 1.0001; x += xs)
		fprintf(f, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%g</text>\n",
		        fx(fr, x), H - BOTTOM + 16, x);
	for (double y = 0; y <= ymax * 1.0001; y += ys)
		fprintf(f, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#eee\"/><text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%g</text>\n",
		        LEFT, fy(fr, y), W - RIGHT, fy(fr, y), LEFT - 6, fy(fr, y) + 4, y);
	fprintf(f, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">", (LEFT + W - RIGHT) / 2,
	        H - 12);
	px__xml_text(f, a->xlabel);
	fprintf(f, "</text>\n<text x=\"14\" y=\"%d\" text-anchor=\"middle\" transform=\"rotate(-90 14 %d)\">",
	        (TOP + H - BOTTOM) / 2, (TOP + H - BOTTOM) / 2);
	px__xml_text(f, a->ylabel);
	fputs("</text>\n", f);
}

void px__svg_lines(FILE *f, const struct svg_axes *a,
                   const struct svg_series *s, size_t n)
{
	double xmax = 1, ymax = 1;

	for (size_t k = 0; k < n; k++)
		for (size_t i = 0; i < s[k].n; i++) {
			xmax = fmax(xmax, s[k].x[i]);
			if (isfinite(s[k].y[i]))
				ymax = fmax(ymax, s[k].y[i]);
			if (s[k].hi && isfinite(s[k].hi[i]))
				ymax = fmax(ymax, s[k].hi[i]);
		}
	if (a->ideal)
		ymax = fmax(ymax, fmin(xmax, ymax * 1.2));
	struct frame fr = { xmax * 1.05, ymax * 1.1 };

	header_w(f, a, W, H);
	axes(f, a, &fr);
	if (a->ideal)
		fprintf(f, "<line class=\"ideal\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#999\" stroke-dasharray=\"4 4\"/>\n",
		        fx(&fr, 0), fy(&fr, 0), fx(&fr, fmin(fr.xmax, fr.ymax)),
		        fy(&fr, fmin(fr.xmax, fr.ymax)));
	for (size_t k = 0; k < n; k++) {
		const char *c = palette[k % (sizeof(palette) / sizeof(*palette))];
		if (s[k].lo && s[k].hi && s[k].n > 1) {
			fprintf(f, "<polygon class=\"band\" fill=\"%s\" fill-opacity=\"0.15\" stroke=\"none\" points=\"", c);
			for (size_t i = 0; i < s[k].n; i++)
				fprintf(f, "%.1f,%.1f ", fx(&fr, s[k].x[i]),
				        fy(&fr, isfinite(s[k].hi[i]) ? s[k].hi[i] : s[k].y[i]));
			for (size_t i = s[k].n; i-- > 0;)
				fprintf(f, "%.1f,%.1f ", fx(&fr, s[k].x[i]),
				        fy(&fr, isfinite(s[k].lo[i]) ? s[k].lo[i] : s[k].y[i]));
			fputs("\"/>\n", f);
		}
		fprintf(f, "<polyline class=\"series\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\" points=\"", c);
		for (size_t i = 0; i < s[k].n; i++)
			if (isfinite(s[k].y[i]))
				fprintf(f, "%.1f,%.1f ", fx(&fr, s[k].x[i]),
				        fy(&fr, s[k].y[i]));
		fputs("\"/>\n", f);
		for (size_t i = 0; i < s[k].n; i++)
			if (isfinite(s[k].y[i]))
				fprintf(f, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"><title>%g: %.3g</title></circle>\n",
				        fx(&fr, s[k].x[i]), fy(&fr, s[k].y[i]), c,
				        s[k].x[i], s[k].y[i]);
		fprintf(f, "<rect x=\"%d\" y=\"%zu\" width=\"12\" height=\"12\" fill=\"%s\"/><text x=\"%d\" y=\"%zu\">",
		        W - RIGHT + 12, TOP + k * 20, c, W - RIGHT + 30, TOP + k * 20 + 10);
		px__xml_text(f, s[k].name);
		fputs("</text>\n", f);
	}
	fputs("</svg>\n", f);
}

void px__svg_bars(FILE *f, const struct svg_axes *a, const struct svg_bar *b,
                  size_t n)
{
	int row = 22, height = TOP + (int)n * row + BOTTOM, left = 120, width;
	double max = 0, step;

	/* The label column fits the longest label (about 7px a character
	 * at 12px sans-serif); the bars get 380px beside it. */
	for (size_t i = 0; i < n; i++) {
		int need = 7 * (int)strlen(b[i].label ? b[i].label : "") + 16;
		left = need > left ? need : left;
		max = fmax(max, isfinite(b[i].hi) ? b[i].hi : b[i].value);
	}
	width = left + 420;
	if (!(max > 0))
		max = 1;
	max *= 1.1;
	header_w(f, a, width, height);
	step = tick_step(max, 5);
	for (double x = 0; x <= max; x += step) {
		double px = left + x / max * (width - left - 40);
		fprintf(f, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#eee\"/><text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%g</text>\n",
		        px, TOP, px, height - BOTTOM, px, height - BOTTOM + 16, x);
	}
	fprintf(f, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">", (left + width - 40) / 2,
	        height - 14);
	px__xml_text(f, a->xlabel);
	fputs("</text>\n", f);
	for (size_t i = 0; i < n; i++) {
		int y = TOP + (int)i * row;
		double w = isfinite(b[i].value) ? b[i].value / max * (width - left - 40) : 0;
		fprintf(f, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">", left - 8, y + 14);
		px__xml_text(f, b[i].label);
		fprintf(f, "</text>\n<rect class=\"bar\" x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"><title>%.4g</title></rect>\n",
		        left, y + 3, w, row - 6, palette[0], b[i].value);
		if (isfinite(b[i].lo) && isfinite(b[i].hi))
			fprintf(f, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"black\"/>\n",
			        left + b[i].lo / max * (width - left - 40), y + row / 2,
			        left + b[i].hi / max * (width - left - 40), y + row / 2);
	}
	fputs("</svg>\n", f);
}
