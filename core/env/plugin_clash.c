/* plugin_clash.c: two plugin files that give one kind and name. Neither
 * wins by search order: the name is an error naming both files, unless
 * exactly one lies in a folder the user named with --plugin-path (or
 * $PARLAB_PLUGIN_PATH), which is then preferred over the other. */
#define _GNU_SOURCE
#include "env/plugins.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"

static struct plugin_clash *find_clash(struct registry *r, enum px_kind kind,
                                       const char *name)
{
	for (size_t i = 0; i < r->n_clashes; i++)
		if (r->clashes[i].kind == kind &&
		    strcmp(r->clashes[i].name, name) == 0)
			return &r->clashes[i];
	return NULL;
}

/* Takes the loaded plugin p out of the registry (its handle stays open,
 * as every handle does) and records the clash between it and path. */
static void record(struct registry *r, struct plugin *p, const char *path,
                   char *err, size_t cap)
{
	const struct px_plugin *d = p->desc;
	struct plugin_clash *c;

	px__grow(&r->clashes, &r->cap_clashes, r->n_clashes + 1,
	         sizeof(*r->clashes));
	c = &r->clashes[r->n_clashes++];
	c->kind = d->kind;
	c->name = px__xstrdup(d->name);
	c->msg = px__xasprintf(
		"%s name '%s' is given by two files, %s and %s; remove one, or name the folder of the one to use with --plugin-path",
		px__kind_name(d->kind), d->name, p->path, path);
	snprintf(err, cap, "%s", c->msg);
	free(p->path);
	memmove(p, p + 1, (size_t)(r->items + r->n - (p + 1)) * sizeof(*p));
	r->n--;
}

int px__registry_clash(struct registry *r, const struct px_plugin *d,
                       const char *path, bool named, char *err, size_t cap)
{
	struct plugin_clash *c = find_clash(r, d->kind, d->name);
	struct plugin *p = (struct plugin *)px__registry_find(r, d->kind, d->name);

	if (c) {
		/* A third file with a name already in doubt: say so too. */
		if (!strstr(c->msg, path)) {
			char *msg = px__xasprintf("%s (and %s)", c->msg, path);
			free(c->msg);
			c->msg = msg;
		}
		snprintf(err, cap, "%s", c->msg);
		return -EEXIST;
	}
	if (!p)
		return 0;
	if (p->named && !named) {
		snprintf(err, cap, "%s '%s' is also given by %s, in a folder --plugin-path names: that one is used",
		         px__kind_name(d->kind), d->name, p->path);
		return 1;
	}
	record(r, p, path, err, cap);
	return -EEXIST;
}

void px__registry_clashes_free(struct registry *r)
{
	for (size_t i = 0; i < r->n_clashes; i++) {
		free(r->clashes[i].name);
		free(r->clashes[i].msg);
	}
	free(r->clashes);
	r->clashes = NULL;
	r->n_clashes = r->cap_clashes = 0;
}
