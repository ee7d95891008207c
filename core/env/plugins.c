/* plugins.c: dlopen, ABI check, hook check, duplicate check. */
#define _GNU_SOURCE
#include "env/plugins.h"

#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "env/params.h"
#include "base/util.h"

/* The descriptor's size when minor version 0 was current: every field up
 * to `strategy`. A plugin built against 1.0 has at least this many bytes. */
#define PX_PLUGIN_SIZE_1_0                                                    \
	(offsetof(struct px_plugin, strategy) + sizeof(void *))

const char *px__kind_name(enum px_kind kind)
{
	return kind == PX_KIND_STRATEGY ? "strategy" : "workload";
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

static int check_params(const struct px_plugin *d, char *err, size_t cap)
{
	for (const struct px_param *p = d->params; p && p->name; p++) {
		size_t width = p->type == PX_REAL ? sizeof(double) : sizeof(int64_t);

		if (!valid_name(p->name, "_")) {
			snprintf(err, cap, "parameter '%s': name must be [a-z0-9_]+",
			         p->name);
			return -EINVAL;
		}
		if (p->type < PX_INT || p->type > PX_REAL) {
			snprintf(err, cap, "parameter '%s': unknown type %d",
			         p->name, (int)p->type);
			return -EINVAL;
		}
		if (p->offset + width > d->config_size) {
			snprintf(err, cap,
			         "parameter '%s': offset %zu lies outside the %zu-byte config",
			         p->name, p->offset, d->config_size);
			return -EINVAL;
		}
		if (p->type == PX_ENUM && (!p->words || !p->words[0])) {
			snprintf(err, cap, "parameter '%s': an enum needs words",
			         p->name);
			return -EINVAL;
		}
		if (p->type != PX_ENUM && p->type != PX_BOOL && p->min > p->max) {
			snprintf(err, cap, "parameter '%s': min %g > max %g",
			         p->name, p->min, p->max);
			return -EINVAL;
		}
	}
	return 0;
}

static int check_metrics(const struct px_plugin *d, char *err, size_t cap)
{
	size_t n = 0;

	for (const struct px_metric *m = d->metrics; m && m->name; m++, n++) {
		if (!valid_name(m->name, "_")) {
			snprintf(err, cap, "metric '%s': name must be [a-z0-9_]+",
			         m->name);
			return -EINVAL;
		}
		if (m->agg < PX_AGG_SUM || m->agg > PX_AGG_SAMPLES) {
			snprintf(err, cap, "metric '%s': unknown aggregation %d",
			         m->name, (int)m->agg);
			return -EINVAL;
		}
	}
	if (n > PX_MAX_METRICS) {
		snprintf(err, cap, "%zu metrics declared, at most %d", n,
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

int px__plugin_check(const struct px_plugin *d, char *err, size_t cap)
{
	char allowed[64];
	const char *hook;
	int rc;

	if (!d) {
		snprintf(err, cap, "%s() returned NULL", PX_ENTRY_NAME);
		return -EINVAL;
	}
	if (d->abi_major != PX_ABI_MAJOR || d->abi_minor > PX_ABI_MINOR) {
		snprintf(err, cap,
		         "plugin ABI %u.%u, this parlab loads %d.0 to %d.%d; rebuild it against this parlab's headers",
		         d->abi_major, d->abi_minor, PX_ABI_MAJOR, PX_ABI_MAJOR,
		         PX_ABI_MINOR);
		return -EINVAL;
	}
	if (d->struct_size < PX_PLUGIN_SIZE_1_0) {
		snprintf(err, cap, "descriptor of %u bytes, ABI %u.%u needs %zu",
		         d->struct_size, d->abi_major, d->abi_minor,
		         PX_PLUGIN_SIZE_1_0);
		return -EINVAL;
	}
	if (d->kind != PX_KIND_STRATEGY && d->kind != PX_KIND_WORKLOAD) {
		snprintf(err, cap, "unknown kind %d", (int)d->kind);
		return -EINVAL;
	}
	if (!valid_name(d->name, "-")) {
		snprintf(err, cap, "name '%s' must be [a-z0-9-]+",
		         d->name ? d->name : "(null)");
		return -EINVAL;
	}
	if ((hook = missing_hook(d))) {
		snprintf(err, cap, "%s '%s' lacks the required hook '%s'",
		         px__kind_name(d->kind), d->name, hook);
		return -EINVAL;
	}
	if (d->kind == PX_KIND_WORKLOAD &&
	    d->workload->result_size > PX_MAX_RESULT) {
		snprintf(err, cap, "result_size %zu, at most %d",
		         d->workload->result_size, PX_MAX_RESULT);
		return -EINVAL;
	}
	if (d->kind == PX_KIND_STRATEGY && d->strategy->max_workers < 1) {
		snprintf(err, cap, "max_workers must be at least 1");
		return -EINVAL;
	}
	if ((rc = check_params(d, err, cap)) || (rc = check_metrics(d, err, cap)))
		return rc;
	if (d->config_size > 0 || d->params) {
		void *cfg = px__xcalloc(1, d->config_size);
		rc = px__param_defaults(d, cfg, allowed, sizeof(allowed));
		free(cfg);
		if (rc) {
			snprintf(err, cap, "%s", allowed);
			return rc;
		}
	}
	return 0;
}

/* Returns 0 (added), 1 (another file of that name is preferred) or a
 * negative errno value (refused, or -EEXIST: a name clash). */
static int add_plugin(struct registry *r, const struct px_plugin *d,
                      const char *path, void *handle, bool named, char *err,
                      size_t cap)
{
	struct plugin *p;
	int rc = px__plugin_check(d, err, cap);

	if (!rc)
		rc = px__registry_clash(r, d, path, named, err, cap);
	if (rc)
		return rc;
	px__grow(&r->items, &r->cap, r->n + 1, sizeof(*r->items));
	p = &r->items[r->n++];
	p->desc = d;
	p->path = px__xstrdup(path);
	p->handle = handle;
	p->named = named;
	p->n_metrics = 0;
	for (const struct px_metric *m = d->metrics; m && m->name; m++)
		p->n_metrics++;
	return 0;
}

static int load_file(struct registry *r, const char *path, bool named,
                     char *err, size_t cap)
{
	void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	px_entry_fn entry;
	int rc;

	if (!h) {
		snprintf(err, cap, "cannot load: %s", dlerror());
		return -EINVAL;
	}
	*(void **)&entry = dlsym(h, PX_ENTRY_NAME);
	if (!entry) {
		snprintf(err, cap, "no entry symbol '%s()'; is it a parlab plugin?",
		         PX_ENTRY_NAME);
		dlclose(h);
		return -EINVAL;
	}
	rc = add_plugin(r, entry(), path, h, named, err, cap);
	if (rc)
		dlclose(h);
	return rc;
}

int px__registry_load_file(struct registry *r, const char *path, char *err,
                           size_t cap)
{
	int rc = load_file(r, path, false, err, cap);

	return rc > 0 ? -EEXIST : rc;
}

static bool already_loaded(const struct registry *r, const char *real)
{
	for (size_t i = 0; i < r->n; i++)
		if (strcmp(r->items[i].path, real) == 0)
			return true;
	return false;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Loads the *.so files of one directory in name order. */
static size_t load_dir(struct registry *r, const char *dir, bool named,
                       FILE *warn)
{
	DIR *dp = opendir(dir);
	struct dirent *de;
	char **names = NULL;
	size_t n = 0, cap = 0, loaded = 0;

	if (!dp)
		return 0;
	while ((de = readdir(dp))) {
		size_t len = strlen(de->d_name);
		if (len > 3 && strcmp(de->d_name + len - 3, ".so") == 0) {
			px__grow(&names, &cap, n + 1, sizeof(*names));
			names[n++] = px__xasprintf("%s/%s", dir, de->d_name);
		}
	}
	closedir(dp);
	qsort(names, n, sizeof(*names), cmp_str);
	for (size_t i = 0; i < n; i++) {
		char real[PATH_MAX], err[512];
		const char *path = realpath(names[i], real) ? real : names[i];

		if (already_loaded(r, path)) {
			free(names[i]);
			continue;
		}
		int rc = load_file(r, path, named, err, sizeof(err));
		if (rc == 0) {
			loaded++;
		} else if (rc == 1 || rc == -EEXIST) {
			/* preferred elsewhere (a note), or a clash (the
			 * caller reports r->clashes) */
			if (rc == 1 && warn)
				fprintf(warn, "parlab: note: %s: not used: %s\n",
				        path, err);
		} else {
			r->refused++;
			if (warn)
				fprintf(warn, "parlab: warning: %s: refused: %s\n",
				        path, err);
		}
		free(names[i]);
	}
	free(names);
	return loaded;
}

size_t px__registry_load_dirs(struct registry *r, const struct plugin_dirs *pd,
                              FILE *warn)
{
	size_t loaded = 0;

	for (size_t i = 0; pd->dirs && pd->dirs[i]; i++)
		loaded += load_dir(r, pd->dirs[i], i < pd->n_named, warn);
	return loaded;
}

size_t px__registry_load(struct registry *r, char *const *dirs, FILE *warn)
{
	struct plugin_dirs pd = { (char **)dirs, 0 };

	return px__registry_load_dirs(r, &pd, warn);
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
	for (size_t i = 0; i < r->n; i++) {
		/* Handles stay open: descriptors point into them until exit,
		 * and unloading buys nothing in a short-lived runner. */
		free(r->items[i].path);
	}
	free(r->items);
	px__registry_clashes_free(r);
	px__plugin_dirs_free(&r->searched);
	memset(r, 0, sizeof(*r));
}
