/* plugins.h: finding, loading and checking plugin shared objects. */
#ifndef PX_PLUGINS_H
#define PX_PLUGINS_H

#include <stdbool.h>
#include <stdio.h>

#include "env/probe_cache.h"
#include "parlab/plugin.h"

/* PX_MAX_METRICS, PX_MAX_RESULT and the other limits are public, in
 * parlab/plugin.h. */

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
	char **dirs;    /* the folders searched, in order */
	FILE *warn;     /* where refusals go (NULL: nowhere) */
	char **seen;    /* real paths probed so far, loaded or refused */
	size_t n_seen, cap_seen;
	bool scanned;   /* every file of every folder probed */
	struct probe_cache cache;  /* files that passed the probe before */
};

/* The directories searched, in order: each of `cli_path` (colon-separated,
 * may be NULL), each of $PARLAB_PLUGIN_PATH, then the build tree's plugin
 * folder next to the executable when there is one, else the install folder.
 * Returns a NULL-terminated
 * array the caller frees with px__free_strv() (base/util.h). */
char **px__plugin_dirs(const char *cli_path);

/* An empty registry that will search dirs (copied); refusals go to warn
 * (may be NULL). Nothing is loaded yet. */
void px__registry_init(struct registry *r, char *const *dirs, FILE *warn);

/* The plugin `name` of `kind`, loaded on first use: the file the naming
 * convention gives (DIR/strategy-NAME.so, DIR/workload-NAME.so) in each
 * folder in order, else, once, every file of every folder. Each file is
 * probed in a child process first (env/probe.h); a refused one is one line
 * on warn. NULL when no file provides it. */
const struct plugin *px__registry_want(struct registry *r, enum px_kind kind,
                                       const char *name);

/* px__registry_want for a strategy or a workload named `name`
 * (describe): both conventions first, then the scan. */
const struct plugin *px__registry_want_any(struct registry *r,
                                           const char *name);

/* Probes and loads every *.so of every folder not loaded yet (for list,
 * and suggestions). Returns the number loaded now. */
size_t px__registry_scan(struct registry *r);

/* px__registry_init, then px__registry_scan. */
size_t px__registry_load(struct registry *r, char *const *dirs, FILE *warn);

/* Probes and loads one file. Returns 0, or -EINVAL with the whole reason
 * in *err (malloc'd; the caller frees it). */
int px__registry_load_file(struct registry *r, const char *path, char **err);

/* Checks a descriptor as the loader does: 0, or -EINVAL with the whole
 * reason in *err (malloc'd). */
int px__plugin_check(const struct px_plugin *d, char **err);

/* dlopen()s path, calls its entry and checks the descriptor, with stdout
 * silenced meanwhile. Returns 0 with *handle and *desc set, or -EINVAL
 * with *err (malloc'd). Runs untrusted code: the runner calls it only on
 * files the probe passed. */
int px__plugin_open(const char *path, void **handle,
                    const struct px_plugin **desc, char **err);

/* The descriptor's version string (ABI 1.1), or NULL. */
const char *px__plugin_version(const struct px_plugin *d);

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
