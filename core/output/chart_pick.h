/* chart_pick.h: the line chart that answers an experiment's question,
 * from a results directory's files: x is what the experiment sweeps
 * (workers, or the parameter with most values), one series per other
 * combination, y speedup where there is a baseline, else wall time; or
 * what a `plots:` entry asks for. */
#ifndef PX_CHART_PICK_H
#define PX_CHART_PICK_H

#include <stdbool.h>
#include <stdio.h>

#include "input/plots.h"
#include "output/report_model.h"

/* Draws spec's chart (NULL: the default one) of m into f. Returns false,
 * drawing nothing, when m has no value for its y (says why on stderr
 * when spec named it). */
bool px__chart_draw(FILE *f, const struct rmodel *m,
                    const struct plot_spec *spec);

/* The x the default chart uses for m ("workers", "chunksize", ...). */
const char *px__chart_default_x(const struct rmodel *m);

#endif
