/* plots.h: the `plots:` list of an experiment file: which charts to draw
 * besides the default one (x, y, series, log axes, title). Read by the
 * loader, and again by `parlab report` from a results directory's copy. */
#ifndef PX_PLOTS_H
#define PX_PLOTS_H

#include <stdbool.h>
#include <stddef.h>

#include "base/diag.h"
#include "input/yaml_tree.h"

struct plot_spec {
	char *x;        /* workers, strategy or a parameter; NULL: default */
	char *y;        /* a summary column, speedup, or pNN(metric) */
	char *series;   /* what tells lines apart; NULL: the rest that varies */
	char *title;
	int xlog, ylog; /* -1: automatic, 0: linear, 1: log */
	struct mark mark;
};

/* Parses a `plots:` node into *out (n of them). Reports every bad entry
 * to d at its line and column; false if there was one. */
bool px__plots_parse(const struct ynode *v, struct diag *d,
                     struct plot_spec **out, size_t *n);

/* The summary column y names: "p99(io_latency)" -> "io_latency_p99",
 * "wall" -> "wall_s"; others as written. Caller frees. */
char *px__plot_column(const char *y);

void px__plots_free(struct plot_spec *p, size_t n);

/* The keys a `plots:` entry accepts, for the loader's key list. */
extern const char *const px__plot_keys[];
extern const size_t px__n_plot_keys;

#endif
