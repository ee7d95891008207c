/* svg.c: what every chart kind shares: escaping, the <svg> opening with a
 * wrapped title, series styles (colour, marker, dash) and legends. */
#define _GNU_SOURCE
#include "output/svg_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"

static const char *const palette[] = { "#1f77b4", "#d62728", "#2ca02c",
                                       "#9467bd", "#ff7f0e", "#8c564b",
                                       "#e377c2", "#17becf" };
static const char *const dashes[] = { "none", "6 3", "2 3", "8 3 2 3" };

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

const char *px__style_colour(size_t k)
{
	return palette[k % PX_ARRAY_LEN(palette)];
}

/* The dash changes once the colours come round again, so series k and
 * k + 8 still differ. */
const char *px__style_dash(size_t k)
{
	return dashes[(k / PX_ARRAY_LEN(palette)) % PX_ARRAY_LEN(dashes)];
}

/* Circle, square, triangle, diamond, cross: five shapes against eight
 * colours, so no two of the first 40 series look alike. */
void px__marker(FILE *f, size_t k, double x, double y, double r)
{
	const char *c = px__style_colour(k);

	switch (k % 5) {
	case 0:
		fprintf(f, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%.1f\" fill=\"%s\"/>", x, y, r, c);
		break;
	case 1:
		fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"/>",
		        x - r, y - r, 2 * r, 2 * r, c);
		break;
	case 2:
		fprintf(f, "<path d=\"M%.1f %.1fL%.1f %.1fL%.1f %.1fZ\" fill=\"%s\"/>",
		        x, y - 1.3 * r, x + 1.2 * r, y + r, x - 1.2 * r, y + r, c);
		break;
	case 3:
		fprintf(f, "<path d=\"M%.1f %.1fL%.1f %.1fL%.1f %.1fL%.1f %.1fZ\" fill=\"%s\"/>",
		        x, y - 1.4 * r, x + 1.4 * r, y, x, y + 1.4 * r, x - 1.4 * r, y, c);
		break;
	default:
		fprintf(f, "<path d=\"M%.1f %.1fL%.1f %.1fM%.1f %.1fL%.1f %.1f\" stroke=\"%s\" stroke-width=\"2.5\"/>",
		        x - r, y - r, x + r, y + r, x - r, y + r, x + r, y - r, c);
	}
}

/* Where title should break so that each line fits width at 15px bold:
 * the length of its first line (at a space when there is one). */
static size_t title_cut(const char *s, int width)
{
	size_t fit = (size_t)((width - 20) / 9.0), len = strlen(s), cut;

	if (len <= fit)
		return len;
	for (cut = fit; cut > 0 && s[cut] != ' '; cut--)
		;
	return cut ? cut : fit;
}

int px__title_lines(const char *title, int width)
{
	int n = 0;

	while (title && *title) {
		size_t cut = title_cut(title, width);
		title += cut;
		while (*title == ' ')
			title++;
		n++;
	}
	return n;
}

int px__svg_open(FILE *f, int width, int height, const char *title,
                 const char *note, const char *attrs)
{
	int y = 22;

	fprintf(f, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"12\"%s>\n",
	        width, height, width, height, attrs ? attrs : "");
	fprintf(f, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>\n", width, height);
	while (title && *title) {
		size_t cut = title_cut(title, width);
		char *line = strndup(title, cut);
		fprintf(f, "<text class=\"title\" x=\"10\" y=\"%d\" font-size=\"15\" font-weight=\"bold\">", y);
		px__xml_text(f, line);
		fputs("</text>\n", f);
		free(line);
		title += cut;
		while (*title == ' ')
			title++;
		y += 19;
	}
	if (note && *note) {
		fprintf(f, "<text class=\"note\" x=\"10\" y=\"%d\" fill=\"#555\" font-size=\"11\">", y - 2);
		px__xml_text(f, note);
		fputs("</text>\n", f);
		y += 16;
	}
	return y;
}

/* One legend entry's sample at (x, y): a line in the series' dash with
 * its marker, or a square. */
static void sample(FILE *f, size_t k, double x, double y, bool lines)
{
	if (lines) {
		fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"2\" stroke-dasharray=\"%s\"/>",
		        x, y, x + 26, y, px__style_colour(k), px__style_dash(k));
		px__marker(f, k, x + 13, y, 3.5);
	} else {
		fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"12\" height=\"12\" fill=\"%s\"/>",
		        x + 7, y - 6, px__style_colour(k));
	}
}

int px__legend(FILE *f, int y, int width, const char *const *names,
               size_t n, bool lines, bool draw)
{
	double x = 10;
	int rows = n ? 1 : 0;

	for (size_t k = 0; k < n; k++) {
		double w = 40 + PX_CHAR_W * (double)strlen(names[k]) + 14;
		if (x > 10 && x + w > width - 10) {
			x = 10;
			rows++;
		}
		if (draw) {
			int ry = y + (rows - 1) * 20 + 10;
			fputs("<g class=\"legend-entry\">", f);
			sample(f, k, x, ry, lines);
			fprintf(f, "<text x=\"%.1f\" y=\"%d\">", x + 34, ry + 4);
			px__xml_text(f, names[k]);
			fputs("</text></g>\n", f);
		}
		x += w;
	}
	return rows * 20;
}
