/* plugins.h: finding, loading and checking plugin shared objects. */
#ifndef PX_PLUGINS_H
#define PX_PLUGINS_H

#include <stdio.h>

#include "parlab/plugin.h"

/* Most metrics or counters one plugin may declare. */
#define PX_MAX_METRICS 32
/* Most bytes of result one task may write. */
#define PX_MAX_RESULT 256

struct plugin {
	const struct px_plugin *desc;
	char *path;     /* the file it came from, or "(built in)" */
	void *handle;   /* from dlopen */
	size_t n_metrics;
};

struct registry {
	struct plugin *items;
	size_t n, cap;
	int refused;    /* plugins refused while loading */
};

/* The directories searched, in order: each of `cli_path` (colon-separated,
 * may be NULL), each of $PARLAB_PLUGIN_PATH, then the build tree's plugin
 * folder next to the executable when there is one, else the install folder.
 * Returns a NULL-terminated
 * array the caller frees with px__free_strv() (base/util.h). */
char **px__plugin_dirs(const char *cli_path);

/* Loads every *.so in dirs. A plugin that cannot be used is refused with a
 * message on `warn` naming the file and the reason; the others still load.
 * Returns the number of plugins loaded. */
size_t px__registry_load(struct registry *r, char *const *dirs, FILE *warn);

/* Loads one file. Returns 0, or -EINVAL with the reason in err. */
int px__registry_load_file(struct registry *r, const char *path, char *err,
                           size_t cap);

/* Checks a descriptor as the loader does; 0 or -EINVAL with the reason. */
int px__plugin_check(const struct px_plugin *d, char *err, size_t cap);

const struct plugin *px__registry_find(const struct registry *r,
                                       enum px_kind kind, const char *name);

/* Names of every plugin of `kind`, for suggestions; caller frees the array
 * (not the names). */
const char **px__registry_names(const struct registry *r, enum px_kind kind,
                                size_t *n);

/* "strategy" or "workload". */
const char *px__kind_name(enum px_kind kind);

void px__registry_close(struct registry *r);

#endif
