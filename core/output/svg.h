/* svg.h: the charts parlab draws itself, as standalone SVG, so that a
 * report needs no plotting stack. */
#ifndef PX_SVG_H
#define PX_SVG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* One line of a line chart, with an optional band (lo..hi per point). */
struct svg_series {
	const char *name;
	size_t n;
	const double *x, *y, *lo, *hi;
};

struct svg_axes {
	const char *title, *xlabel, *ylabel;
	bool ideal;         /* draw y = x, the ideal speedup */
};

/* A line chart of the series over shared axes. */
void px__svg_lines(FILE *f, const struct svg_axes *a,
                   const struct svg_series *s, size_t n);

/* One bar of a bar chart, with a whisker from lo to hi. */
struct svg_bar {
	const char *label;
	double value, lo, hi;
};

/* A horizontal bar chart, one bar per row. */
void px__svg_bars(FILE *f, const struct svg_axes *a, const struct svg_bar *b,
                  size_t n);

/* Writes s with & < > " escaped, for SVG and HTML text. */
void px__xml_text(FILE *f, const char *s);

#endif
