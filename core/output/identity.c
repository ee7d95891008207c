/* identity.c: the parlab build (version, git revision, sha256 of the
 * binary) and the plugin files (path, size, mtime) a run used, as
 * meta.json records them and `run --resume` compares them. Plugins are
 * compared by size and modification time: a rebuilt plugin gets a new
 * mtime, and hashing every plugin on every run would cost for nothing. */
#define _GNU_SOURCE
#include "output/identity.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/json.h"
#include "base/sha256.h"
#include "base/util.h"

#ifndef PARLAB_VERSION
#define PARLAB_VERSION "0.0.0"
#endif
#ifndef PARLAB_GIT_REVISION
#define PARLAB_GIT_REVISION "unknown"
#endif

const char *px__build_sha256(void)
{
	static char hex[65];

	if (!hex[0] && px__sha256_file("/proc/self/exe", hex) != 0)
		snprintf(hex, sizeof(hex), "unknown");
	return hex;
}

/* One plugin's object, as written and as looked for. */
static char *plugin_object(const struct plugin *p)
{
	struct stat st;
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	long long size = -1, mtime = 0;

	if (stat(p->path, &st) == 0) {
		size = (long long)st.st_size;
		mtime = (long long)st.st_mtim.tv_sec * 1000000000LL +
		        st.st_mtim.tv_nsec;
	}
	fputs("{\"name\": ", f);
	px__json_str(f, p->desc->name);
	fputs(", \"file\": ", f);
	px__json_str(f, p->path);
	fprintf(f, ", \"size\": %lld, \"mtime_ns\": %lld}", size, mtime);
	fclose(f);
	return text;
}

/* The distinct plugins of plan, workload first; *n of them. */
static const struct plugin **plugins_of(const struct plan *plan, size_t *n)
{
	const struct plugin **v = px__xcalloc(plan->n + 2, sizeof(*v));

	*n = 0;
	v[(*n)++] = plan->exp->workload.plugin;
	for (size_t i = 0; i < plan->n; i++) {
		size_t k = 0;
		while (k < *n && v[k] != plan->trials[i].strategy)
			k++;
		if (k == *n)
			v[(*n)++] = plan->trials[i].strategy;
	}
	return v;
}

void px__plugins_json(FILE *f, const struct plan *plan)
{
	size_t n;
	const struct plugin **v = plugins_of(plan, &n);

	for (size_t i = 0; i < n; i++) {
		char *o = plugin_object(v[i]);
		fprintf(f, "%s%s", i ? ", " : "", o);
		free(o);
	}
	free(v);
}

/* A recorded string that differs from `now`: one line naming it. */
static int differs(const char *meta, const char *dir, const char *key,
                   const char *what, const char *now)
{
	char *was = px__json_find_str(meta, key);
	int d = !was || strcmp(was, now) != 0;

	if (d)
		fprintf(stderr, "parlab: error: %s: %s changed: recorded %s, now %s\n",
		        dir, what, was ? was : "(nothing)", now);
	free(was);
	return d;
}

int px__identity_compare(const char *meta, const char *dir,
                         const struct plan *plan)
{
	int n = 0;
	size_t np;
	const struct plugin **v = plugins_of(plan, &np);

	n += differs(meta, dir, "parlab_version", "the parlab version",
	             PARLAB_VERSION);
	n += differs(meta, dir, "git_revision", "parlab's git revision",
	             PARLAB_GIT_REVISION);
	n += differs(meta, dir, "parlab_sha256", "the parlab binary (sha256)",
	             px__build_sha256());
	for (size_t i = 0; i < np; i++) {
		char *o = plugin_object(v[i]);
		if (!strstr(meta, o)) {
			fprintf(stderr, "parlab: error: %s: plugin %s changed (size or modification time, or another file): now %s\n",
			        dir, v[i]->desc->name, o);
			n++;
		}
		free(o);
	}
	free(v);
	return n;
}
