/* probe.h: trying untrusted plugin files in a child process first, so that
 * an entry function (or a constructor) that crashes, returns NULL, fails
 * the descriptor checks or hangs costs one line of warning, never the
 * runner. Only files that passed are then dlopen'ed in the runner. */
#ifndef PX_PROBE_H
#define PX_PROBE_H

#include <stddef.h>
#include <stdint.h>

/* How long one file may take to load in the probe (seconds) unless
 * $PARLAB_PROBE_TIMEOUT says otherwise. */
#define PX_PROBE_TIMEOUT_S 5.0

/* The probe timeout in nanoseconds: $PARLAB_PROBE_TIMEOUT (seconds, a
 * positive number) or PX_PROBE_TIMEOUT_S. */
int64_t px__probe_timeout_ns(void);

/* Probes paths[0 .. n-1] in order in one child process (a new one after a
 * file that crashed or hung), each within timeout_ns. why[i] is NULL when
 * file i loaded and its descriptor passed px__plugin_check, else a
 * malloc'd one-line reason ("crashed in parlab_plugin() or a constructor:
 * SIGSEGV (Segmentation fault)", "timed out after 5 s", the check's
 * message). Returns 0, or a negative errno value when no child could be
 * started (every why[] then says so). */
int px__probe_files(char *const *paths, size_t n, int64_t timeout_ns,
                    char **why);

#endif
