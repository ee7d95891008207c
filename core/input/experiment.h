/* experiment.h: an experiment file, checked against the schema and the
 * plugins' parameter tables. */
#ifndef PX_EXPERIMENT_H
#define PX_EXPERIMENT_H

#include <stdint.h>

#include "base/diag.h"
#include "env/params.h"
#include "env/plugins.h"
#include "env/topo.h"
#include "input/plots.h"

/* A parameter as the file sets it: one value, or a list that sweeps it. */
struct pbinding {
	const struct px_param *param;
	union pvalue *values;
	size_t n;
	struct mark mark;
};

/* A strategy or the workload, with the parameters the file sets. */
struct plugin_use {
	const struct plugin *plugin;
	struct pbinding *bindings;
	size_t n;
	struct mark mark;
};

struct expr;

struct expectation {
	char *text;
	struct mark mark;
	struct expr *expr;
};

struct experiment {
	char *path;
	char *name;
	char *description;
	struct plugin_use workload;
	struct plugin_use *strategies;
	size_t n_strategies;
	struct mark strategies_mark;
	unsigned *workers;
	size_t n_workers;
	struct mark workers_mark;
	struct pinning pinning;
	unsigned repetitions, warmup;
	int64_t timeout_ns;
	char *baseline;             /* the baseline strategy's name */
	struct mark baseline_mark;
	/* baseline: {name, params}: the strategy and the one value of each
	 * parameter it fixes (input/baseline.h); plugin NULL for a bare name. */
	struct plugin_use baseline_use;
	uint64_t seed;
	struct expectation *expects;
	size_t n_expects;
	struct plot_spec *plots;   /* the `plots:` list; n_plots of them */
	size_t n_plots;
};

/* What loading needs: the plugins, the machine (for `cores` and pinning
 * locations) and where errors go; how many trials a file may ask for
 * (0: PX_DEFAULT_MAX_TRIALS; runs may be 10 times as many) and the
 * --repetitions that overrides the file's (0: none). */
struct load_ctx {
	struct registry *reg;    /* loads the plugins a file names */
	const struct topo *topo;
	struct diag *d;
	unsigned long max_trials;
	unsigned repetitions;
};

#define PX_DEFAULT_MAX_TRIALS 10000UL
/* An experiment's name plus "-YYYYmmdd-HHMMSS-NN" must fit NAME_MAX. */
#define PX_MAX_NAME_LEN 200

/* Loads and checks `path` (or `text`, named `path`, when not NULL).
 * Returns the experiment, or NULL after reporting every error found. */
struct experiment *px__experiment_load(const struct load_ctx *ctx,
                                       const char *path, const char *text);

/* Loads every experiment of a file whose YAML documents are separated by
 * `---`. Returns how many, with the array in *out, or -1 after reporting
 * every error found (nothing is returned then: a bad file runs nothing). */
int px__experiment_load_all(const struct load_ctx *ctx, const char *path,
                            const char *text, struct experiment ***out);

void px__experiment_free(struct experiment *e);

/* The i-th key the loader accepts, counting the top-level keys first, then
 * those of the maps inside them; *where names the map ("" at the top, or
 * "workers", "workload/strategies"). Returns NULL past the last key. The
 * documentation test checks docs/experiment-files.md against it. */
const char *px__experiment_key(size_t i, const char **where);

#endif
