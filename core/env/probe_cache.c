/* probe_cache.c: the probe's memory of files that passed (probe_cache.h). */
#define _GNU_SOURCE
#include "env/probe_cache.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "parlab/plugin.h"
#include "base/util.h"

/* The first line: a cache of another ABI (other checks) is not trusted. */
#define HEADER_FMT "parlab probe cache, ABI %d.%d\n"

/* The key of path as it is now, or NULL when it cannot be stat'ed. */
static char *key_of(const char *path)
{
	struct stat st;

	if (strchr(path, '\n') || stat(path, &st) < 0)
		return NULL;
	return px__xasprintf("%lld %lld %ld %s", (long long)st.st_size,
	                     (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec,
	                     path);
}

static void add_key(struct probe_cache *c, char *key)
{
	px__grow(&c->keys, &c->cap, c->n + 1, sizeof(*c->keys));
	c->keys[c->n++] = key;
}

static void load(struct probe_cache *c)
{
	const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
	char header[64], *line = NULL;
	size_t cap = 0;
	ssize_t len;
	FILE *f;

	c->loaded = true;
	if (xdg && *xdg == '/')
		c->file = px__xasprintf("%s/parlab/probe-cache", xdg);
	else if (home && *home == '/')
		c->file = px__xasprintf("%s/.cache/parlab/probe-cache", home);
	if (!c->file || !(f = fopen(c->file, "r")))
		return;
	snprintf(header, sizeof(header), HEADER_FMT, PX_ABI_MAJOR, PX_ABI_MINOR);
	if ((len = getline(&line, &cap, f)) > 0 && strcmp(line, header) == 0)
		while ((len = getline(&line, &cap, f)) > 1 &&
		       line[len - 1] == '\n') {
			line[len - 1] = '\0';
			add_key(c, px__xstrdup(line));
		}
	free(line);
	fclose(f);
}

bool px__probe_cache_passed(struct probe_cache *c, const char *path)
{
	char *key;
	bool found = false;

	if (!c->loaded)
		load(c);
	if (!(key = key_of(path)))
		return false;
	for (size_t i = 0; i < c->n && !found; i++)
		found = strcmp(c->keys[i], key) == 0;
	free(key);
	return found;
}

void px__probe_cache_add(struct probe_cache *c, const char *path)
{
	char *key = key_of(path);
	size_t plen = strlen(path);

	if (!c->loaded)
		load(c);
	if (!key)
		return;
	/* An older key of the same file goes. */
	for (size_t i = 0; i < c->n; i++) {
		size_t klen = strlen(c->keys[i]);
		if (klen > plen && strcmp(c->keys[i] + klen - plen, path) == 0 &&
		    c->keys[i][klen - plen - 1] == ' ') {
			free(c->keys[i]);
			c->keys[i] = c->keys[--c->n];
			i--;
		}
	}
	add_key(c, key);
	c->dirty = true;
}

void px__probe_cache_save(struct probe_cache *c)
{
	char *dir, *tmp;
	FILE *f;
	int fd;

	if (!c->dirty || !c->file)
		return;
	c->dirty = false;
	dir = px__xstrdup(c->file);
	*strrchr(dir, '/') = '\0';
	px__mkdir_p(dir);
	tmp = px__xasprintf("%s/.probe-cache-XXXXXX", dir);
	if ((fd = mkstemp(tmp)) >= 0 && (f = fdopen(fd, "w"))) {
		bool ok;
		fprintf(f, HEADER_FMT, PX_ABI_MAJOR, PX_ABI_MINOR);
		for (size_t i = 0; i < c->n; i++)
			fprintf(f, "%s\n", c->keys[i]);
		ok = fflush(f) == 0 && !ferror(f);
		ok &= fclose(f) == 0;
		if (!ok || rename(tmp, c->file) < 0)
			unlink(tmp);
	} else if (fd >= 0) {
		close(fd);
		unlink(tmp);
	}
	free(tmp);
	free(dir);
}

void px__probe_cache_free(struct probe_cache *c)
{
	for (size_t i = 0; i < c->n; i++)
		free(c->keys[i]);
	free(c->keys);
	free(c->file);
	memset(c, 0, sizeof(*c));
}
