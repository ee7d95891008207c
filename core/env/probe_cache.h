/* probe_cache.h: which plugin files passed the probe before, so that a
 * command need not fork to probe them again. A file is known by its real
 * path, size and modification time; one that changed is probed anew.
 * Only passes are kept: a crash or a hang is probed (and reported) every
 * time. The cache lives in $XDG_CACHE_HOME/parlab/probe-cache (else
 * ~/.cache/parlab/probe-cache), is rewritten whole under a temporary name
 * and renamed into place, and is optional: when it cannot be read or
 * written, every file is probed and nothing is said. */
#ifndef PX_PROBE_CACHE_H
#define PX_PROBE_CACHE_H

#include <stdbool.h>
#include <stddef.h>

struct probe_cache {
	char *file;       /* the cache file, NULL when there is no place */
	char **keys;      /* "SIZE MTIME_S MTIME_NS PATH" of each pass */
	size_t n, cap;
	bool loaded, dirty;
};

/* Whether path, as it is now, passed the probe before. */
bool px__probe_cache_passed(struct probe_cache *c, const char *path);

/* Records that path, as it is now, passed. */
void px__probe_cache_add(struct probe_cache *c, const char *path);

/* Writes the cache back if something was added. */
void px__probe_cache_save(struct probe_cache *c);

void px__probe_cache_free(struct probe_cache *c);

#endif
