/* svg_internal.h: what the chart kinds share inside core/output: axes
 * (log or linear, ticks, unit scaling), series styles, wrapped text and
 * legends. Not for use outside this folder. */
#ifndef PX_SVG_INTERNAL_H
#define PX_SVG_INTERNAL_H

#include "output/svg.h"

/* Estimated width of 12px sans-serif text, generous so nothing overflows. */
#define PX_CHAR_W 7.2

/* A data range mapped onto pixels [p0, p1] (p1 < p0 for a y axis). */
struct px_scale {
	double lo, hi, p0, p1;
	bool log, integer;
	double factor;          /* tick value = data value * factor */
	const char *suffix;     /* the scaled unit, "" when plain */
	enum svg_unit unit;     /* a log axis labels each tick in its own */
};

/* Fits a scale to the n values (finite ones) for axis a; `zero` lets a
 * linear axis start at 0. */
void px__scale_fit(struct px_scale *s, const struct svg_axis *a,
                   const double *v, size_t n, bool zero, bool geometric);

double px__scale_map(const struct px_scale *s, double v);

/* Up to cap tick values of s into t; how many. Uses the data values
 * themselves (d, nd) for an integer axis with few of them. */
size_t px__scale_ticks(const struct px_scale *s, const double *d, size_t nd,
                       double *t, size_t cap);

/* A tick label: the value in the scale's unit, integers without decimals. */
void px__scale_label(const struct px_scale *s, double v, char *buf,
                     size_t cap);

/* The axis title with its unit: "sleep (ms)". */
void px__axis_title(FILE *f, const struct svg_axis *a,
                    const struct px_scale *s);

/* True when the sorted distinct values grow by one ratio >= 2. */
bool px__geometric(const double *v, size_t n);

/* Series k's colour, marker shape and dash pattern, so that every
 * series differs from the others in more than colour. */
const char *px__style_colour(size_t k);
const char *px__style_dash(size_t k);
void px__marker(FILE *f, size_t k, double x, double y, double r);

/* <svg> and its background; the title wrapped to fit width, then the
 * note. Returns the y below them. */
int px__svg_open(FILE *f, int width, int height, const char *title,
                 const char *note, const char *attrs);
int px__title_lines(const char *title, int width);

/* Legend entries below y, wrapped to width; with `lines` each sample is
 * a dashed line with a marker, else a filled square. Returns its height. */
int px__legend(FILE *f, int y, int width, const char *const *names,
               size_t n, bool lines, bool draw);

#endif
