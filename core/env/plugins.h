/* plugins.h: finding, loading and checking plugin shared objects. */
#ifndef PX_PLUGINS_H
#define PX_PLUGINS_H

#include <stdio.h>

#include "parlab/plugin.h"
#include "env/plugin_dirs.h"

/* Most metrics or counters one plugin may declare. */
#define PX_MAX_METRICS 32
/* Most bytes of result one task may write. */
#define PX_MAX_RESULT 256

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
	struct plugin *items;
	size_t n, cap;
	int refused;    /* plugins refused while loading */
	struct plugin_clash *clashes;
	size_t n_clashes, cap_clashes;
	struct plugin_dirs searched; /* where it looked, if its loader kept
	                                that (freed with the registry) */
};

/* Loads every *.so in dirs. A plugin that cannot be used is refused with a
 * message on `warn` naming the file and the reason; the others still load.
 * Two files with one kind and name clash: neither loads, and the clash is
 * recorded in r->clashes (not printed), unless exactly one of them lies in
 * a folder the user named (pd->dirs[0 .. pd->n_named)), which is then
 * preferred. Returns the number of plugins loaded. */
size_t px__registry_load_dirs(struct registry *r, const struct plugin_dirs *pd,
                              FILE *warn);

/* As px__registry_load_dirs, with no folder named by the user. */
size_t px__registry_load(struct registry *r, char *const *dirs, FILE *warn);

/* Loads one file. Returns 0, -EINVAL with the reason in err, or -EEXIST
 * when its name clashes with a file already loaded (the clash is in err
 * and in r->clashes, and neither file is used). */
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

/* Whether plugin d from path may join the registry: 0 yes; 1 no, a
 * plugin of that name from a named folder is preferred (a note in err);
 * -EEXIST no, the name clashes (recorded, the earlier file taken out,
 * the message in err). */
int px__registry_clash(struct registry *r, const struct px_plugin *d,
                       const char *path, bool named, char *err, size_t cap);
void px__registry_clashes_free(struct registry *r);

void px__registry_close(struct registry *r);

#endif
