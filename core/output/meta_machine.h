/* meta_machine.h: meta.json's "conditions": the state of the machine
 * around a run and the build that measured it, so that two runs' results
 * can be told apart and judged. */
#ifndef PX_META_MACHINE_H
#define PX_META_MACHINE_H

#include <stdio.h>

#include "env/machine.h"

/* Reads the load average again (the "after" of the run) and writes
 * `"conditions": {...},` and the next line's indent: every key of
 * docs/results.md, null where the machine does not say. */
void px__meta_machine(FILE *f, struct machine *m);

#endif
