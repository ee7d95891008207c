/* plugins.h: finding, loading and checking plugin shared objects. */
#ifndef PX_PLUGINS_H
#define PX_PLUGINS_H

#include <stdbool.h>
#include <stdio.h>

#include "env/plugin_dirs.h"
#include "env/probe_cache.h"
#include "parlab/plugin.h"

/* PX_MAX_METRICS, PX_MAX_RESULT and the other limits are public, in
 * parlab/plugin.h. */

struct plugin {
	const struct px_plugin *desc;
	char *path;     /* the file it came from, or "(built in)" */
	void *handle;   /* from dlopen */
	size_t n_metrics;
	bool named;     /* from a folder the user named (--plugin-path) */
};

/* Two files that give one kind and name, neither of them loaded. */
struct plugin_clash {
	enum px_kind kind;
	char *name;
	char *msg;      /* names both files and how to choose */
};

struct registry {
	struct plugin **items;  /* each allocated once: pointers stay valid
	                           while the registry loads more */
	size_t n, cap;
	int refused;    /* plugins refused while loading */
	struct plugin_clash *clashes;
	size_t n_clashes, cap_clashes;
	struct plugin_dirs searched; /* the folders, in order (a copy, freed
	                                with the registry) */
	FILE *warn;     /* where refusals and notes go (NULL: nowhere) */
	char **seen;    /* real paths probed so far, loaded or refused */
	size_t n_seen, cap_seen;
	bool scanned;   /* every file of every folder probed */
	struct probe_cache cache;  /* files that passed the probe before */
	struct plugin **gone;      /* taken out by a clash or a preference;
	                              kept until close, as a caller may still
	                              hold one */
	size_t n_gone, cap_gone;
	char **refusals;    /* "path\0why" of each file refused, so that an
	                       experiment naming it can say why it is missing */
	size_t n_refusals, cap_refusals;
};

/* An empty registry that will search pd's folders (copied; the first
 * pd->n_named ones named by the user); refusals go to warn (may be NULL).
 * Nothing is loaded yet. */
void px__registry_init(struct registry *r, const struct plugin_dirs *pd,
                       FILE *warn);

/* The plugin `name` of `kind`, loaded on first use: the files the naming
 * convention gives (DIR/strategy-NAME.so, DIR/workload-NAME.so) in every
 * folder, else, once, every file of every folder. Each file is probed in a
 * child process first (env/probe.h); a refused one is one line on warn.
 * NULL when no file provides it, or when two files give it (a clash, in
 * r->clashes: see px__registry_clash_msg). */
const struct plugin *px__registry_want(struct registry *r, enum px_kind kind,
                                       const char *name);

/* px__registry_want for a strategy or a workload named `name`
 * (describe): both conventions first, then the scan. */
const struct plugin *px__registry_want_any(struct registry *r,
                                           const char *name);

/* Probes and loads every *.so of every folder not loaded yet (for list,
 * and suggestions). Returns the number loaded now. */
size_t px__registry_scan(struct registry *r);

/* px__registry_init, then px__registry_scan: every *.so of every folder.
 * A plugin that cannot be used is refused with a message on `warn` naming
 * the file and the reason; the others still load. Two files with one kind
 * and name clash: neither loads, and the clash is recorded in r->clashes
 * (not printed), unless exactly one of them lies in a folder the user
 * named (pd->dirs[0 .. pd->n_named)), which is then preferred. Returns the
 * number of plugins loaded. */
size_t px__registry_load_dirs(struct registry *r, const struct plugin_dirs *pd,
                              FILE *warn);

/* As px__registry_load_dirs, with no folder named by the user. */
size_t px__registry_load(struct registry *r, char *const *dirs, FILE *warn);

/* Probes and loads one file. Returns 0, -EINVAL with the whole reason in
 * *err (malloc'd; the caller frees it), or -EEXIST when its name clashes
 * with a file already loaded (the clash is in *err and in r->clashes, and
 * neither file is used). */
int px__registry_load_file(struct registry *r, const char *path, char **err);

/* Why the file the naming convention gives for `name` of `kind`
 * (strategy-NAME.so, workload-NAME.so) was refused, as "PATH: WHY"
 * (malloc'd), or NULL when no such file was refused. */
char *px__registry_refusal(const struct registry *r, enum px_kind kind,
                           const char *name);

/* The clash message for `name` of `kind`, or NULL when it has none. */
const char *px__registry_clash_msg(const struct registry *r,
                                   enum px_kind kind, const char *name);

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

/* Whether plugin d from path may join the registry: 0 yes (when it is
 * named and the one loaded before is not, that one is taken out, with a
 * note on r->warn); 1 no, a plugin of that name from a named folder is
 * preferred (a note in *err); -EEXIST no, the name clashes (recorded, the
 * earlier file taken out, the message in *err). *err is malloc'd. */
int px__registry_clash(struct registry *r, const struct px_plugin *d,
                       const char *path, bool named, char **err);
void px__registry_clashes_free(struct registry *r);

void px__registry_close(struct registry *r);

#endif
