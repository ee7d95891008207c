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

#endif
