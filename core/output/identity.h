/* identity.h: what a results directory records to recognise, when a run
 * is resumed, the parlab build and the plugin files that measured it. */
#ifndef PX_IDENTITY_H
#define PX_IDENTITY_H

#include <stdio.h>

#include "plan/plan.h"

/* The build's version and git revision, as CMake passes them; these
 * stand in for a compiler that was given neither. */
#ifndef PARLAB_VERSION
#define PARLAB_VERSION "0.0.0"
#endif
#ifndef PARLAB_GIT_REVISION
#define PARLAB_GIT_REVISION "unknown"
#endif

/* The sha256 of the running parlab binary (/proc/self/exe), computed
 * once; "unknown" when it cannot be read. */
const char *px__build_sha256(void);

/* Compares what meta.json text `meta` (of directory dir) recorded with
 * plan's plugins and this parlab build; prints one line per difference,
 * naming it, and returns how many there were. */
int px__identity_compare(const char *meta, const char *dir,
                         const struct plan *plan);

#endif
