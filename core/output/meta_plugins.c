/* meta_plugins.c: meta.json's list of the plugin files a run used, each
 * with its size and SHA-256. */
#define _GNU_SOURCE
#include "output/meta_plugins.h"

#include <inttypes.h>
#include <stdlib.h>

#include "base/json.h"
#include "base/sha256.h"
#include "base/util.h"
#include "env/plugins.h"

char *px__meta_plugin_object(const struct plugin *p)
{
	char hex[65], *text = NULL;
	size_t len = 0;
	uint64_t size = 0;
	/* ABI 1.1's `version`, where d->struct_size covers it. */
	const char *version = px__plugin_version(p->desc);
	bool read = px__sha256_file(p->path, hex, &size) == 0;
	FILE *f = open_memstream(&text, &len);

	fputs("{\"kind\": ", f);
	px__json_str(f, px__kind_name(p->desc->kind));
	fputs(", \"name\": ", f);
	px__json_str(f, p->desc->name);
	fputs(", \"file\": ", f);
	px__json_str(f, p->path);
	if (read)
		fprintf(f, ", \"size\": %" PRIu64 ", \"sha256\": \"%s\"", size, hex);
	else
		fputs(", \"size\": null, \"sha256\": null", f);
	fputs(", \"version\": ", f);
	if (version)
		px__json_str(f, version);
	else
		fputs("null", f);
	fputs("}", f);
	fclose(f);
	return text;
}

const struct plugin **px__meta_plugins_used(const struct plan *plan,
                                            size_t *n)
{
	const struct plugin **seen = px__xcalloc(2 * plan->n + 1, sizeof(*seen));

	*n = 0;
	for (size_t i = 0; i < plan->n; i++) {
		const struct plugin *use[2] = { plan->trials[i].strategy,
		                                plan->trials[i].workload };
		if (!plan->trials[i].selected)
			continue;
		for (int u = 0; u < 2; u++) {
			bool dup = false;
			for (size_t j = 0; j < *n && !dup; j++)
				dup = seen[j] == use[u];
			if (!dup && use[u])
				seen[(*n)++] = use[u];
		}
	}
	return seen;
}

void px__meta_plugins(FILE *f, const struct plan *plan)
{
	size_t n;
	const struct plugin **used = px__meta_plugins_used(plan, &n);

	fputs("\"plugins\": [", f);
	for (size_t i = 0; i < n; i++) {
		char *o = px__meta_plugin_object(used[i]);
		fprintf(f, "%s\n    %s", i ? "," : "", o);
		free(o);
	}
	fputs(n ? "\n  ]" : "]", f);
	free(used);
}
