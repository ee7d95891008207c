/* identity.c: the parlab build (version, git revision, sha256 of the
 * binary) as meta.json records it, and what `run --resume` compares with
 * it: the build, and each plugin file (path, size and sha256, as
 * meta_plugins.c writes them in meta.json's "plugins"). */
#define _GNU_SOURCE
#include "output/identity.h"

#include <stdlib.h>
#include <string.h>

#include "base/json.h"
#include "base/sha256.h"
#include "base/util.h"
#include "output/meta_plugins.h"

const char *px__build_sha256(void)
{
	static char hex[65];

	if (!hex[0] && px__sha256_file("/proc/self/exe", hex, NULL) != 0)
		snprintf(hex, sizeof(hex), "unknown");
	return hex;
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
	const struct plugin **v = px__meta_plugins_used(plan, &np);

	n += differs(meta, dir, "parlab_version", "the parlab version",
	             PARLAB_VERSION);
	n += differs(meta, dir, "git_revision", "parlab's git revision",
	             PARLAB_GIT_REVISION);
	n += differs(meta, dir, "parlab_sha256", "the parlab binary (sha256)",
	             px__build_sha256());
	for (size_t i = 0; i < np; i++) {
		char *o = px__meta_plugin_object(v[i]);
		if (!strstr(meta, o)) {
			fprintf(stderr, "parlab: error: %s: plugin %s changed (its file, size or sha256): now %s\n",
			        dir, v[i]->desc->name, o);
			n++;
		}
		free(o);
	}
	free(v);
	return n;
}
