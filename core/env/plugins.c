/* plugins.c: finding plugin files (by the naming convention
 * strategy-NAME.so / workload-NAME.so, else by scanning), checking their
 * descriptors, and loading those the probe (probe.c) passed. */
#define _GNU_SOURCE
#include "env/plugins.h"

#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "env/params.h"
#include "env/probe.h"
#include "env/probe_cache.h"
#include "base/util.h"

#ifndef PARLAB_INSTALL_PLUGIN_DIR
#define PARLAB_INSTALL_PLUGIN_DIR "/usr/local/lib/parlab/plugins"
#endif

/* The descriptor's size when minor version 0 was current: every field up
 * to `strategy`. A plugin built against 1.0 has at least this many bytes. */
#define PX_PLUGIN_SIZE_1_0                                                    \
	(offsetof(struct px_plugin, strategy) + sizeof(void *))
/* struct px_api as 1.0 had it: every entry up to now_ns. */
#define PX_API_SIZE_1_0 (offsetof(struct px_api, now_ns) + sizeof(void *))

const char *px__kind_name(enum px_kind kind)
{
	return kind == PX_KIND_STRATEGY ? "strategy" : "workload";
}

static void add_split(char ***v, size_t *n, size_t *cap, const char *list)
{
	char *copy, *save = NULL;

	if (!list)
		return;
	copy = px__xstrdup(list);
	for (char *tok = strtok_r(copy, ":", &save); tok;
	     tok = strtok_r(NULL, ":", &save)) {
		px__grow(v, cap, *n + 2, sizeof(**v));
		(*v)[(*n)++] = px__xstrdup(tok);
	}
	free(copy);
}

char **px__plugin_dirs(const char *cli_path)
{
	char **v = NULL, exe[PATH_MAX];
	size_t n = 0, cap = 0;
	ssize_t len;
	struct stat st;
	bool in_build_tree = false;

	add_split(&v, &n, &cap, cli_path);
	add_split(&v, &n, &cap, getenv("PARLAB_PLUGIN_PATH"));
	/* A runner in its build tree uses the plugins built beside it; an
	 * installed one uses the install folder. Searching both would load
	 * every plugin twice. */
	len = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (len > 0) {
		char *dir;
		exe[len] = '\0';
		*strrchr(exe, '/') = '\0';
		dir = px__xasprintf("%s/plugins", exe);
		in_build_tree = stat(dir, &st) == 0 && S_ISDIR(st.st_mode) &&
		                strcmp(dir, PARLAB_INSTALL_PLUGIN_DIR) != 0;
		if (in_build_tree) {
			px__grow(&v, &cap, n + 2, sizeof(*v));
			v[n++] = dir;
		} else {
			free(dir);
		}
	}
	if (!in_build_tree)
		add_split(&v, &n, &cap, PARLAB_INSTALL_PLUGIN_DIR);
	px__grow(&v, &cap, n + 1, sizeof(*v));
	v[n] = NULL;
	return v;
}

static bool valid_name(const char *s, const char *extra)
{
	if (!s || !*s)
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
		      strchr(extra, *s)))
			return false;
	return true;
}

/* A reserved name, or one declared before row p. */
static const char *name_clash(const struct px_plugin *d,
                              const struct px_param *p)
{
	static const char *const reserved[] = PX_RESERVED_PARAMS;

	for (const char *const *r = reserved; *r; r++)
		if (strcmp(*r, p->name) == 0)
			return "is reserved (an experiment file uses it beside params)";
	for (const struct px_param *q = d->params; q != p; q++)
		if (strcmp(q->name, p->name) == 0)
			return "is declared twice";
	return NULL;
}

static int check_params(const struct px_plugin *d, char **err)
{
	size_t n = 0;

	for (const struct px_param *p = d->params; p && p->name; p++, n++) {
		size_t width = p->type == PX_REAL ? sizeof(double) : sizeof(int64_t);
		const char *clash;

		if (n >= PX_MAX_PARAMS) {
			*err = px__xasprintf("more than %d parameters declared",
			                     PX_MAX_PARAMS);
			return -EINVAL;
		}
		if (strlen(p->name) > PX_MAX_NAME) {
			*err = px__xasprintf("parameter name of %zu bytes, at most %d",
			                     strlen(p->name), PX_MAX_NAME);
			return -EINVAL;
		}
		if ((clash = name_clash(d, p))) {
			*err = px__xasprintf("parameter '%s' %s", p->name, clash);
			return -EINVAL;
		}

		if (!valid_name(p->name, "_")) {
			*err = px__xasprintf("parameter '%s': name must be [a-z0-9_]+",
			         p->name);
			return -EINVAL;
		}
		if (p->type < PX_INT || p->type > PX_REAL) {
			*err = px__xasprintf("parameter '%s': unknown type %d",
			         p->name, (int)p->type);
			return -EINVAL;
		}
		if (p->offset + width > d->config_size) {
			*err = px__xasprintf("parameter '%s': offset %zu lies outside the %zu-byte config",
			         p->name, p->offset, d->config_size);
			return -EINVAL;
		}
		if (p->type == PX_ENUM && (!p->words || !p->words[0])) {
			*err = px__xasprintf("parameter '%s': an enum needs words",
			         p->name);
			return -EINVAL;
		}
		if (p->type != PX_ENUM && p->type != PX_BOOL && p->min > p->max) {
			*err = px__xasprintf("parameter '%s': min %g > max %g",
			         p->name, p->min, p->max);
			return -EINVAL;
		}
	}
	return 0;
}

static int check_metrics(const struct px_plugin *d, char **err)
{
	size_t n = 0;

	for (const struct px_metric *m = d->metrics; m && m->name; m++, n++) {
		if (!valid_name(m->name, "_")) {
			*err = px__xasprintf("metric '%s': name must be [a-z0-9_]+",
			         m->name);
			return -EINVAL;
		}
		if (m->agg < PX_AGG_SUM || m->agg > PX_AGG_SAMPLES) {
			*err = px__xasprintf("metric '%s': unknown aggregation %d",
			         m->name, (int)m->agg);
			return -EINVAL;
		}
	}
	if (n > PX_MAX_METRICS) {
		*err = px__xasprintf("%zu metrics declared, at most %d", n,
		         PX_MAX_METRICS);
		return -EINVAL;
	}
	return 0;
}

/* Names the first required hook the descriptor lacks, or NULL. */
static const char *missing_hook(const struct px_plugin *d)
{
	if (d->kind == PX_KIND_WORKLOAD) {
		const struct px_workload_ops *w = d->workload;
		if (!w)
			return "workload";
		if (!w->setup)
			return "setup";
		if (!w->run_task)
			return "run_task";
		if (!w->verify)
			return "verify";
		return NULL;
	}
	if (!d->strategy)
		return "strategy";
	if (!d->strategy->execute)
		return "execute";
	return NULL;
}

/* The descriptor's version, size, kind and name. */
static int check_header(const struct px_plugin *d, char **err)
{
	if (!d) {
		*err = px__xasprintf("%s() returned NULL", PX_ENTRY_NAME);
		return -EINVAL;
	}
	if (d->abi_major != PX_ABI_MAJOR || d->abi_minor > PX_ABI_MINOR) {
		*err = px__xasprintf("plugin ABI %u.%u, this parlab loads %d.0 to %d.%d; rebuild it against this parlab's headers",
		         d->abi_major, d->abi_minor, PX_ABI_MAJOR, PX_ABI_MAJOR,
		         PX_ABI_MINOR);
		return -EINVAL;
	}
	if (d->struct_size < PX_PLUGIN_SIZE_1_0) {
		*err = px__xasprintf("descriptor of %u bytes, ABI %u.%u needs %zu",
		         d->struct_size, d->abi_major, d->abi_minor,
		         PX_PLUGIN_SIZE_1_0);
		return -EINVAL;
	}
	if (d->kind != PX_KIND_STRATEGY && d->kind != PX_KIND_WORKLOAD) {
		*err = px__xasprintf("unknown kind %d", (int)d->kind);
		return -EINVAL;
	}
	if (!valid_name(d->name, "-") || strlen(d->name) > PX_MAX_NAME) {
		*err = px__xasprintf("name '%s' must be [a-z0-9-]+, at most %d bytes",
		         d->name ? d->name : "(null)", PX_MAX_NAME);
		return -EINVAL;
	}
	return 0;
}

/* A strategy's workload-facing table: checked like the descriptor, so
 * that a table the host would read none of is refused, not ignored. */
static int check_api(const struct px_plugin *d, char **err)
{
	const struct px_api *a = d->strategy->api;

	if (!a)
		return 0;
	if (a->abi_minor > PX_ABI_MINOR) {
		*err = px__xasprintf("strategy '%s': api table of ABI %u.%u, this parlab loads up to %d.%d",
		         d->name, PX_ABI_MAJOR, a->abi_minor, PX_ABI_MAJOR,
		         PX_ABI_MINOR);
		return -EINVAL;
	}
	if (a->struct_size < PX_API_SIZE_1_0) {
		*err = px__xasprintf("strategy '%s': api table with struct_size %u, needs at least %zu (set .abi_minor = PX_ABI_MINOR, .struct_size = sizeof(struct px_api))",
		         d->name, a->struct_size, PX_API_SIZE_1_0);
		return -EINVAL;
	}
	return 0;
}

int px__plugin_check(const struct px_plugin *d, char **err)
{
	const char *hook;
	int rc;

	*err = NULL;
	if ((rc = check_header(d, err)))
		return rc;
	if ((hook = missing_hook(d))) {
		*err = px__xasprintf("%s '%s' lacks the required hook '%s'",
		         px__kind_name(d->kind), d->name, hook);
		return -EINVAL;
	}
	if (d->kind == PX_KIND_WORKLOAD &&
	    d->workload->result_size > PX_MAX_RESULT) {
		*err = px__xasprintf("result_size %zu, at most %d",
		         d->workload->result_size, PX_MAX_RESULT);
		return -EINVAL;
	}
	if (d->kind == PX_KIND_STRATEGY && d->strategy->max_workers < 1) {
		*err = px__xasprintf("max_workers must be at least 1");
		return -EINVAL;
	}
	if (d->kind == PX_KIND_STRATEGY && (rc = check_api(d, err)))
		return rc;
	if ((rc = check_params(d, err)) || (rc = check_metrics(d, err)))
		return rc;
	if (d->config_size > 0 || d->params) {
		void *cfg = px__xcalloc(1, d->config_size);
		rc = px__param_defaults(d, cfg, err);
		free(cfg);
	}
	return rc;
}

const char *px__plugin_version(const struct px_plugin *d)
{
	if (d->struct_size < offsetof(struct px_plugin, version) + sizeof(char *))
		return NULL;
	return d->version;
}

/* Points fd 1 at /dev/null; returns the saved fd 1, or -1 (nothing done,
 * such as when no descriptor is left). */
static int silence_begin(void)
{
	int null = open("/dev/null", O_WRONLY | O_CLOEXEC), saved;

	if (null < 0)
		return -1;
	fflush(stdout);
	saved = fcntl(1, F_DUPFD_CLOEXEC, 0);
	if (saved >= 0)
		dup2(null, 1);
	close(null);
	return saved;
}

static void silence_end(int saved)
{
	if (saved < 0)
		return;
	fflush(stdout);
	dup2(saved, 1);
	close(saved);
}

/* dlopen, entry and check, with fd 1 pointed at /dev/null meanwhile so
 * that a constructor's or entry's printf cannot reach parlab's stdout.
 * Short of descriptors, it loads unsilenced rather than not at all. */
int px__plugin_open(const char *path, void **handle,
                    const struct px_plugin **desc, char **err)
{
	int saved = silence_begin();
	px_entry_fn entry;
	int rc = -EINVAL;

	*err = NULL;
	*handle = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	if (!*handle && saved >= 0) {
		silence_end(saved);
		saved = -1;
		*handle = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	}
	if (!*handle) {
		*err = px__xasprintf("cannot load: %s", dlerror());
	} else if (!(*(void **)&entry = dlsym(*handle, PX_ENTRY_NAME))) {
		*err = px__xasprintf("no entry symbol '%s()'; is it a parlab plugin?",
		                     PX_ENTRY_NAME);
	} else {
		*desc = entry();
		rc = px__plugin_check(*desc, err);
	}
	silence_end(saved);
	if (rc && *handle) {
		dlclose(*handle);
		*handle = NULL;
	}
	return rc;
}

static bool seen(const struct registry *r, const char *real)
{
	for (size_t i = 0; i < r->n_seen; i++)
		if (strcmp(r->seen[i], real) == 0)
			return true;
	return false;
}

/* Loads a file the probe passed; a duplicate name is refused here. */
static int add_file(struct registry *r, const char *path, char **err)
{
	const struct px_plugin *d = NULL;
	const struct plugin *dup;
	struct plugin *p;
	void *h;
	int rc = px__plugin_open(path, &h, &d, err);

	if (rc)
		return rc;
	if ((dup = px__registry_find(r, d->kind, d->name))) {
		*err = px__xasprintf("duplicate %s name '%s' (already loaded from %s)",
		         px__kind_name(d->kind), d->name, dup->path);
		dlclose(h);
		return -EINVAL;
	}
	px__grow(&r->items, &r->cap, r->n + 1, sizeof(*r->items));
	p = &r->items[r->n++];
	memset(p, 0, sizeof(*p));
	p->desc = d;
	p->path = px__xstrdup(path);
	p->handle = h;
	for (const struct px_metric *m = d->metrics; m && m->name; m++)
		p->n_metrics++;
	return 0;
}

/* Probes those of paths[0 .. n-1] the cache does not know in a child;
 * why[i] is NULL for each that passed, before or now. */
static void probe(struct registry *r, char **paths, size_t n, char **why)
{
	char **todo = px__xcalloc(n + 1, sizeof(*todo)), **got;
	size_t *at = px__xcalloc(n + 1, sizeof(*at)), k = 0;

	for (size_t i = 0; i < n; i++)
		if (!px__probe_cache_passed(&r->cache, paths[i])) {
			at[k] = i;
			todo[k++] = paths[i];
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

/* Probes paths[0 .. n-1] (real paths, not yet seen), then loads those that
 * passed; each refused one is one line on r->warn. */
static size_t load_paths(struct registry *r, char **paths, size_t n)
{
	char **why = px__xcalloc(n + 1, sizeof(*why));
	size_t loaded = 0;

	probe(r, paths, n, why);
	for (size_t i = 0; i < n; i++) {
		px__grow(&r->seen, &r->cap_seen, r->n_seen + 1, sizeof(*r->seen));
		r->seen[r->n_seen++] = px__xstrdup(paths[i]);
		if (!why[i] && add_file(r, paths[i], &why[i]) == 0) {
			loaded++;
			continue;
		}
		r->refused++;
		if (r->warn)
			fprintf(r->warn, "parlab: warning: %s: refused: %s\n",
			        paths[i], why[i]);
		free(why[i]);
	}
	free(why);
	return loaded;
}

int px__registry_load_file(struct registry *r, const char *path, char **err)
{
	char *why = NULL, *paths[1] = { (char *)path };
	int rc;

	px__probe_files(paths, 1, px__probe_timeout_ns(), &why);
	if (why) {
		*err = why;
		return -EINVAL;
	}
	rc = add_file(r, path, err);
	return rc;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Adds the real paths of one directory's *.so files not yet seen, in name
 * order. */
static void list_dir(const struct registry *r, const char *dir, char ***v,
                     size_t *n, size_t *cap)
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
		px__grow(v, cap, *n + 2, sizeof(**v));
		(*v)[(*n)++] = path;
	}
	closedir(dp);
	qsort(*v + first, *n - first, sizeof(**v), cmp_str);
}

void px__registry_init(struct registry *r, char *const *dirs, FILE *warn)
{
	size_t n = 0;

	memset(r, 0, sizeof(*r));
	while (dirs && dirs[n])
		n++;
	r->dirs = px__xcalloc(n + 1, sizeof(*r->dirs));
	for (size_t i = 0; i < n; i++)
		r->dirs[i] = px__xstrdup(dirs[i]);
	r->warn = warn;
}

size_t px__registry_scan(struct registry *r)
{
	char **paths = NULL;
	size_t n = 0, cap = 0, loaded;

	for (char **d = r->dirs; d && *d; d++)
		list_dir(r, *d, &paths, &n, &cap);
	loaded = n ? load_paths(r, paths, n) : 0;
	for (size_t i = 0; i < n; i++)
		free(paths[i]);
	free(paths);
	r->scanned = true;
	return loaded;
}

size_t px__registry_load(struct registry *r, char *const *dirs, FILE *warn)
{
	px__registry_init(r, dirs, warn);
	return px__registry_scan(r);
}

/* Loads the file the naming convention gives for `name` of `kind`, in the
 * first folder that has one not probed yet. */
static const struct plugin *by_convention(struct registry *r,
                                          enum px_kind kind, const char *name)
{
	const struct plugin *p = px__registry_find(r, kind, name);

	for (char **d = r->dirs; !p && d && *d; d++) {
		char *path = px__xasprintf("%s/%s-%s.so", *d, px__kind_name(kind),
		                           name), real[PATH_MAX];
		if (realpath(path, real) && !seen(r, real)) {
			char *one[1] = { real };
			load_paths(r, one, 1);
			p = px__registry_find(r, kind, name);
		}
		free(path);
	}
	return p;
}

const struct plugin *px__registry_want(struct registry *r, enum px_kind kind,
                                       const char *name)
{
	const struct plugin *p = by_convention(r, kind, name);

	/* A plugin named otherwise: every file, once. */
	if (!p && !r->scanned) {
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
		if (r->items[i].desc->kind == kind &&
		    strcmp(r->items[i].desc->name, name) == 0)
			return &r->items[i];
	return NULL;
}

const char **px__registry_names(const struct registry *r, enum px_kind kind,
                                size_t *n)
{
	const char **v = px__xcalloc(r->n + 1, sizeof(*v));

	*n = 0;
	for (size_t i = 0; i < r->n; i++)
		if (r->items[i].desc->kind == kind)
			v[(*n)++] = r->items[i].desc->name;
	return v;
}

void px__registry_close(struct registry *r)
{
	for (size_t i = 0; i < r->n_seen; i++)
		free(r->seen[i]);
	free(r->seen);
	px__free_strv(r->dirs);
	px__probe_cache_free(&r->cache);
	for (size_t i = 0; i < r->n; i++) {
		/* Handles stay open: descriptors point into them until exit,
		 * and unloading buys nothing in a short-lived runner. */
		free(r->items[i].path);
	}
	free(r->items);
	memset(r, 0, sizeof(*r));
}
