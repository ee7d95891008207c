/* svg.h: the charts parlab draws itself, as standalone SVG, so that a
 * report needs no plotting stack. Two kinds: lines (a value against a
 * swept x, one series per combination, intervals and runs shown) and rows
 * (one row per trial or thread, one to a few values each). Both choose
 * log axes, scale units, fit their legends and split into panels rather
 * than shrink when there are many series or rows. */
#ifndef PX_SVG_H
#define PX_SVG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* What an axis's values are, so labels scale (ns, µs, ms, s; B .. GiB). */
enum svg_unit { SVG_PLAIN, SVG_SECONDS, SVG_NS, SVG_BYTES };

struct svg_axis {
	const char *label;
	enum svg_unit unit;
	int log;            /* -1: log when the values span > 10x or the
	                     * sweep is geometric; 0: linear; 1: log */
	bool integer;       /* integer ticks only (an integer parameter) */
};

/* One line: its points with the interval of each median (lo, hi may be
 * NULL) and, drawn faintly, every run (rx, ry; nruns of them). */
struct svg_series {
	const char *name;
	size_t n;
	const double *x, *y, *lo, *hi;
	size_t nruns;
	const double *rx, *ry;
};

/* A horizontal reference: a trial with no x value (serial beside a
 * sweep of max_in_flight), drawn across the plot with its interval. */
struct svg_ref {
	const char *name;
	double y, lo, hi;
};

struct svg_chart {
	const char *title, *note;   /* note: a smaller line under the title */
	struct svg_axis x, y;
	bool ideal;                 /* draw y = x, the ideal speedup */
	const struct svg_ref *refs;
	size_t nrefs;
};

/* A line chart of the series over shared axes; more than 12 series go
 * into stacked panels of at most 8 with the same axes. */
void px__svg_lines(FILE *f, const struct svg_chart *c,
                   const struct svg_series *s, size_t n);

/* One row of a rows chart: nkeys values (NAN: none), each with an
 * optional interval, and the runs of the first value. A new group
 * starts a new panel, titled by the group. */
struct svg_row {
	const char *label, *group;
	const double *v, *lo, *hi;
	size_t nruns;
	const double *runs;
};

struct svg_rows_chart {
	const char *title, *note;
	struct svg_axis x;
	const char *const *keys;   /* what each value is (legend); nkeys >= 1 */
	size_t nkeys;
};

/* Bars (a linear axis) or dots (a log axis, chosen when the values span
 * more than 10x, so short bars stay visible); panels of at most 12 rows. */
void px__svg_rows(FILE *f, const struct svg_rows_chart *c,
                  const struct svg_row *r, size_t n);

/* Writes s with & < > " escaped, for SVG and HTML text. */
void px__xml_text(FILE *f, const char *s);

#endif
