/* plugin_registry.c: the plugins a command uses, found on demand: by the
 * naming convention strategy-NAME.so / workload-NAME.so in every search
 * folder, else by scanning them all; each file probed in a child first
 * (probe.c), then opened (plugins.c), then checked for a name clash
 * (plugin_clash.c). */
#define _GNU_SOURCE
#include "env/plugins.h"

#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "env/probe.h"
#include "env/probe_cache.h"
#include "base/util.h"

/* A file to look at, and whether its folder was named by the user. */
struct cand {
	char *path;
	bool named;
};

static bool seen(const struct registry *r, const char *real)
{
	for (size_t i = 0; i < r->n_seen; i++)
		if (strcmp(r->seen[i], real) == 0)
			return true;
	return false;
}

/* Opens a file the probe passed, and adds it unless its name clashes.
 * Returns 0 (added), 1 (another file of that name is preferred) or a
 * negative errno value (refused, or -EEXIST: a name clash). */
static int add_file(struct registry *r, const char *path, bool named,
                    char **err)
{
	const struct px_plugin *d = NULL;
	struct plugin *p;
	void *h;
	int rc = px__plugin_open(path, &h, &d, err);

	if (rc)
		return rc;
	if ((rc = px__registry_clash(r, d, path, named, err))) {
		dlclose(h);
		return rc;
	}
	p = px__xcalloc(1, sizeof(*p));
	p->desc = d;
	p->path = px__xstrdup(path);
	p->handle = h;
	p->named = named;
	for (const struct px_metric *m = d->metrics; m && m->name; m++)
		p->n_metrics++;
	px__grow(&r->items, &r->cap, r->n + 1, sizeof(*r->items));
	r->items[r->n++] = p;
	return 0;
}

/* Probes those of c[0 .. n-1] the cache does not know in a child;
 * why[i] is NULL for each that passed, before or now. */
static void probe(struct registry *r, const struct cand *c, size_t n,
                  char **why)
{
	char **todo = px__xcalloc(n + 1, sizeof(*todo)), **got;
	size_t *at = px__xcalloc(n + 1, sizeof(*at)), k = 0;

	for (size_t i = 0; i < n; i++)
		if (!px__probe_cache_passed(&r->cache, c[i].path)) {
			at[k] = i;
			todo[k++] = c[i].path;
		}
	got = px__xcalloc(k + 1, sizeof(*got));
	if (k)
		px__probe_files(todo, k, px__probe_timeout_ns(), got);
	for (size_t j = 0; j < k; j++) {
		why[at[j]] = got[j];
		if (!got[j])
			px__probe_cache_add(&r->cache, todo[j]);
	}
	px__probe_cache_save(&r->cache);
	free(got);
	free(at);
	free(todo);
}

/* Says on r->warn why a file is not used: a note when another file of its
 * name is preferred, a warning when it is refused; a clash is left to the
 * caller (r->clashes). */
static void report(struct registry *r, const char *path, int rc,
                   const char *why)
{
	if (rc == -EEXIST)
		return;
	if (rc != 1) {
		size_t lp = strlen(path), lw = strlen(why);
		char *rec = px__xcalloc(lp + lw + 2, 1);
		memcpy(rec, path, lp);
		memcpy(rec + lp + 1, why, lw);
		px__grow(&r->refusals, &r->cap_refusals, r->n_refusals + 1,
		         sizeof(*r->refusals));
		r->refusals[r->n_refusals++] = rec;
		r->refused++;
	}
	if (r->warn)
		fprintf(r->warn, "parlab: %s: %s: %s: %s\n",
		        rc == 1 ? "note" : "warning", path,
		        rc == 1 ? "not used" : "refused", why);
}

/* Probes c[0 .. n-1] (real paths, not yet seen), then loads those that
 * passed. Returns the number loaded. */
static size_t load_cands(struct registry *r, const struct cand *c, size_t n)
{
	char **why = px__xcalloc(n + 1, sizeof(*why));
	size_t loaded = 0;

	probe(r, c, n, why);
	for (size_t i = 0; i < n; i++) {
		int rc = why[i] ? -EINVAL : 0;

		px__grow(&r->seen, &r->cap_seen, r->n_seen + 1, sizeof(*r->seen));
		r->seen[r->n_seen++] = px__xstrdup(c[i].path);
		if (!rc)
			rc = add_file(r, c[i].path, c[i].named, &why[i]);
		if (rc == 0)
			loaded++;
		else
			report(r, c[i].path, rc, why[i]);
		free(why[i]);
	}
	free(why);
	return loaded;
}

static void free_cands(struct cand *c, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(c[i].path);
	free(c);
}

int px__registry_load_file(struct registry *r, const char *path, char **err)
{
	char *why = NULL, *paths[1] = { (char *)path };
	int rc;

	*err = NULL;
	px__probe_files(paths, 1, px__probe_timeout_ns(), &why);
	if (why) {
		*err = why;
		return -EINVAL;
	}
	rc = add_file(r, path, false, err);
	return rc > 0 ? -EEXIST : rc;
}

static int cmp_cand(const void *a, const void *b)
{
	return strcmp(((const struct cand *)a)->path,
	              ((const struct cand *)b)->path);
}

/* Adds the real paths of one folder's *.so files not yet seen, in name
 * order. */
static void list_dir(const struct registry *r, const char *dir, bool named,
                     struct cand **v, size_t *n, size_t *cap)
{
	DIR *dp = opendir(dir);
	struct dirent *de;
	size_t first = *n;

	if (!dp)
		return;
	while ((de = readdir(dp))) {
		size_t len = strlen(de->d_name);
		char *path, real[PATH_MAX];
		if (len <= 3 || strcmp(de->d_name + len - 3, ".so") != 0)
			continue;
		path = px__xasprintf("%s/%s", dir, de->d_name);
		if (realpath(path, real)) {
			free(path);
			path = px__xstrdup(real);
		}
		if (seen(r, path)) {
			free(path);
			continue;
		}
		px__grow(v, cap, *n + 1, sizeof(**v));
		(*v)[*n].path = path;
		(*v)[(*n)++].named = named;
	}
	closedir(dp);
	if (*n > first)  /* *v is NULL while nothing was found */
		qsort(*v + first, *n - first, sizeof(**v), cmp_cand);
}

void px__registry_init(struct registry *r, const struct plugin_dirs *pd,
                       FILE *warn)
{
	size_t n = 0;

	memset(r, 0, sizeof(*r));
	while (pd && pd->dirs && pd->dirs[n])
		n++;
	r->searched.dirs = px__xcalloc(n + 1, sizeof(*r->searched.dirs));
	for (size_t i = 0; i < n; i++)
		r->searched.dirs[i] = px__xstrdup(pd->dirs[i]);
	r->searched.n_named = pd ? pd->n_named : 0;
	r->warn = warn;
}

size_t px__registry_scan(struct registry *r)
{
	struct cand *c = NULL;
	size_t n = 0, cap = 0, loaded;
	char **dirs = r->searched.dirs;

	for (size_t i = 0; dirs && dirs[i]; i++)
		list_dir(r, dirs[i], i < r->searched.n_named, &c, &n, &cap);
	loaded = n ? load_cands(r, c, n) : 0;
	free_cands(c, n);
	r->scanned = true;
	return loaded;
}

size_t px__registry_load_dirs(struct registry *r, const struct plugin_dirs *pd,
                              FILE *warn)
{
	px__registry_init(r, pd, warn);
	return px__registry_scan(r);
}

size_t px__registry_load(struct registry *r, char *const *dirs, FILE *warn)
{
	struct plugin_dirs pd = { (char **)dirs, 0 };

	return px__registry_load_dirs(r, &pd, warn);
}

/* Loads the files the naming convention gives for `name` of `kind` in
 * every folder (not only the first: two of them are a clash, or one is
 * preferred), unless the registry has it already. */
static const struct plugin *by_convention(struct registry *r,
                                          enum px_kind kind, const char *name)
{
	const struct plugin *p = px__registry_find(r, kind, name);
	char **dirs = r->searched.dirs;
	struct cand *c = NULL;
	size_t n = 0, cap = 0;

	for (size_t i = 0; !p && dirs && dirs[i]; i++) {
		char *path = px__xasprintf("%s/%s-%s.so", dirs[i],
		                           px__kind_name(kind), name),
		     real[PATH_MAX];
		if (realpath(path, real) && !seen(r, real)) {
			px__grow(&c, &cap, n + 1, sizeof(*c));
			c[n].path = px__xstrdup(real);
			c[n++].named = i < r->searched.n_named;
		}
		free(path);
	}
	if (n) {
		load_cands(r, c, n);
		p = px__registry_find(r, kind, name);
	}
	free_cands(c, n);
	return p;
}

const struct plugin *px__registry_want(struct registry *r, enum px_kind kind,
                                       const char *name)
{
	const struct plugin *p = by_convention(r, kind, name);

	/* A plugin named otherwise: every file, once. */
	if (!p && !r->scanned && !px__registry_clash_msg(r, kind, name)) {
		px__registry_scan(r);
		p = px__registry_find(r, kind, name);
	}
	return p;
}

const struct plugin *px__registry_want_any(struct registry *r,
                                           const char *name)
{
	const struct plugin *p = by_convention(r, PX_KIND_STRATEGY, name);

	if (!p)
		p = by_convention(r, PX_KIND_WORKLOAD, name);
	if (!p)
		p = px__registry_want(r, PX_KIND_STRATEGY, name);
	if (!p)
		p = px__registry_find(r, PX_KIND_WORKLOAD, name);
	return p;
}

const struct plugin *px__registry_find(const struct registry *r,
                                       enum px_kind kind, const char *name)
{
	for (size_t i = 0; i < r->n; i++)
		if (r->items[i]->desc->kind == kind &&
		    strcmp(r->items[i]->desc->name, name) == 0)
			return r->items[i];
	return NULL;
}

const char **px__registry_names(const struct registry *r, enum px_kind kind,
                                size_t *n)
{
	const char **v = px__xcalloc(r->n + 1, sizeof(*v));

	*n = 0;
	for (size_t i = 0; i < r->n; i++)
		if (r->items[i]->desc->kind == kind)
			v[(*n)++] = r->items[i]->desc->name;
	return v;
}

static void free_plugins(struct plugin **v, size_t n)
{
	/* Handles stay open: descriptors point into them until exit, and
	 * unloading buys nothing in a short-lived runner. */
	for (size_t i = 0; i < n; i++) {
		free(v[i]->path);
		free(v[i]);
	}
	free(v);
}

char *px__registry_refusal(const struct registry *r, enum px_kind kind,
                           const char *name)
{
	char *file = px__xasprintf("/%s-%s.so", px__kind_name(kind), name);
	char *msg = NULL;
	size_t lf = strlen(file);

	for (size_t i = 0; i < r->n_refusals && !msg; i++) {
		const char *path = r->refusals[i];
		size_t lp = strlen(path);
		if (lp >= lf && strcmp(path + lp - lf, file) == 0)
			msg = px__xasprintf("%s: %s", path, path + lp + 1);
	}
	free(file);
	return msg;
}

void px__registry_close(struct registry *r)
{
	for (size_t i = 0; i < r->n_refusals; i++)
		free(r->refusals[i]);
	free(r->refusals);
	for (size_t i = 0; i < r->n_seen; i++)
		free(r->seen[i]);
	free(r->seen);
	px__probe_cache_free(&r->cache);
	free_plugins(r->items, r->n);
	free_plugins(r->gone, r->n_gone);
	px__registry_clashes_free(r);
	px__plugin_dirs_free(&r->searched);
	memset(r, 0, sizeof(*r));
}
