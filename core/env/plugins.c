/* plugins.c: checking plugin descriptors and opening plugin files (the
 * registry that finds them is plugin_registry.c). */
#define _GNU_SOURCE
#include "env/plugins.h"

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "env/params.h"
#include "base/util.h"

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
