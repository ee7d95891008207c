/* plugin_clash.c: two plugin files that give one kind and name. Neither
 * wins by search order: the name is an error naming both files, unless
 * exactly one lies in a folder the user named with --plugin-path (or
 * $PARLAB_PLUGIN_PATH), which is then preferred over the other. */
#define _GNU_SOURCE
#include "env/plugins.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"

static struct plugin_clash *find_clash(const struct registry *r,
                                       enum px_kind kind, const char *name)
{
	for (size_t i = 0; i < r->n_clashes; i++)
		if (r->clashes[i].kind == kind &&
		    strcmp(r->clashes[i].name, name) == 0)
			return &r->clashes[i];
	return NULL;
}

/* Takes the loaded plugin p out of the registry, into r->gone: its handle
 * stays open, as every handle does, and a caller may still hold it. */
static void take_out(struct registry *r, struct plugin *p)
{
	size_t i = 0;

	while (i < r->n && r->items[i] != p)
		i++;
	memmove(r->items + i, r->items + i + 1,
	        (r->n - i - 1) * sizeof(*r->items));
	r->n--;
	px__grow(&r->gone, &r->cap_gone, r->n_gone + 1, sizeof(*r->gone));
	r->gone[r->n_gone++] = p;
}

/* Records the clash between the loaded plugin p and path, and takes p
 * out. */
static void record(struct registry *r, struct plugin *p, const char *path,
                   char **err)
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
	*err = px__xstrdup(c->msg);
	take_out(r, p);
}

/* "KIND 'NAME' is also given by PATH, in a folder --plugin-path names:
 * that one is used". */
static char *preferred(const struct px_plugin *d, const char *path)
{
	return px__xasprintf("%s '%s' is also given by %s, in a folder --plugin-path names: that one is used",
	                     px__kind_name(d->kind), d->name, path);
}

int px__registry_clash(struct registry *r, const struct px_plugin *d,
                       const char *path, bool named, char **err)
{
	struct plugin_clash *c = find_clash(r, d->kind, d->name);
	struct plugin *p = (struct plugin *)px__registry_find(r, d->kind, d->name);

	*err = NULL;
	if (c) {
		/* A third file with a name already in doubt: say so too. */
		if (!strstr(c->msg, path)) {
			char *msg = px__xasprintf("%s (and %s)", c->msg, path);
			free(c->msg);
			c->msg = msg;
		}
		*err = px__xstrdup(c->msg);
		return -EEXIST;
	}
	if (!p)
		return 0;
	if (p->named && !named) {
		*err = preferred(d, p->path);
		return 1;
	}
	if (named && !p->named) {
		/* Found in the other order (a file by its conventional name
		 * first, a scan later): the named one is still preferred. */
		if (r->warn) {
			char *why = preferred(d, path);
			fprintf(r->warn, "parlab: note: %s: not used: %s\n",
			        p->path, why);
			free(why);
		}
		take_out(r, p);
		return 0;
	}
	record(r, p, path, err);
	return -EEXIST;
}

const char *px__registry_clash_msg(const struct registry *r,
                                   enum px_kind kind, const char *name)
{
	const struct plugin_clash *c = find_clash(r, kind, name);

	return c ? c->msg : NULL;
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
