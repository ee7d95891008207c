/* report_page.h: the parts of report.html around the charts: the
 * experiment's own words (title, description, claim) and file, the
 * machine as a table, the expectations beside the figure that decides
 * each, and the page's style (1280 px and print). */
#ifndef PX_REPORT_PAGE_H
#define PX_REPORT_PAGE_H

#include <stdbool.h>
#include <stdio.h>

#include "input/plots.h"

/* What the experiment file of a results directory says: DIR/experiment.yaml,
 * else the file meta.json names (when it still exists). Fields are NULL
 * when there is no such file or key. */
struct page_exp {
	char *name, *description, *claim;
	char *text;                 /* the file itself */
	char *path;                 /* where it was read */
	struct plot_spec *plots;
	size_t n_plots;
};

void px__page_exp_load(const char *dir, const char *experiment,
                       struct page_exp *e);
void px__page_exp_free(struct page_exp *e);

/* <head> with the style, and the heading: title, description, claim. */
void px__page_head(FILE *f, const struct page_exp *e, const char *title);

/* Which figure decides an expectation: "main", "time", "latency", "gil"
 * or a plot's y (its expression's first function name). */
const char *px__page_figure_of(const char *verdict, const char *sampled);

/* The verdict lines of text for figure `fig` as a list (nothing if none). */
void px__page_verdicts(FILE *f, char *const *lines, size_t n, const char *fig,
                       const char *sampled);

/* meta.json as a two-column table. */
void px__page_machine(FILE *f, const char *dir);

/* The experiment file, when there is one. */
void px__page_file(FILE *f, const struct page_exp *e);

#endif
