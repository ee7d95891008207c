/* meta_plugins.h: meta.json's "plugins": which plugin files a run
 * measured, so that a result can be traced to the exact build. */
#ifndef PX_META_PLUGINS_H
#define PX_META_PLUGINS_H

#include <stdio.h>

#include "plan/plan.h"

/* Writes `"plugins": [...]` (no comma around it): for each plugin the
 * plan's selected trials use, once, in order of first use, its kind, name,
 * file, size in bytes, sha256 and version (null where the descriptor has
 * none). A file that cannot be read gets null size and sha256. */
void px__meta_plugins(FILE *f, const struct plan *plan);

/* The plugins the plan's selected trials use, once each, in order of
 * first use; *n of them (the caller frees the list). */
const struct plugin **px__meta_plugins_used(const struct plan *plan,
                                            size_t *n);

/* One plugin's object in that list, as written (the caller frees it):
 * `run --resume` looks for it in the meta.json it recorded. */
char *px__meta_plugin_object(const struct plugin *p);

#endif
