/* merge_collect.c: the results directories `parlab merge` is given, found
 * and checked: an experiment directory (it holds meta.json), or any
 * folder above them (a batch, a SLURM array's shared directory), whose
 * experiment directories are found below, sorted; results of different
 * experiment files under one experiment name are refused, naming the
 * first line where their kept experiment.yaml differ. */
#define _GNU_SOURCE
#include "cmd/merge.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/util.h"

static bool is_file(const char *dir, const char *name)
{
	char *path = px__xasprintf("%s/%s", dir, name);
	struct stat st;
	bool ok = stat(path, &st) == 0 && S_ISREG(st.st_mode);

	free(path);
	return ok;
}

/* Adds dir, or the experiment directories below it (depth levels at
 * most); false when one could not be read (said on stderr). */
static bool collect(struct merge_set *s, const char *dir, int depth)
{
	struct dirent **names;
	bool ok = true;
	int n;

	if (is_file(dir, "meta.json")) {
		px__grow(&s->v, &s->cap, s->n + 1, sizeof(*s->v));
		if (!px__merged_read(&s->v[s->n], dir)) {
			px__merged_free(&s->v[s->n]);
			return false;
		}
		s->n++;
		return true;
	}
	if (depth <= 0 || (n = scandir(dir, &names, NULL, alphasort)) < 0)
		return true;
	for (int i = 0; i < n; i++) {
		char *path = px__xasprintf("%s/%s", dir, names[i]->d_name);
		struct stat st;
		if (names[i]->d_name[0] != '.' && stat(path, &st) == 0 &&
		    S_ISDIR(st.st_mode))
			ok &= collect(s, path, depth - 1);
		free(path);
		free(names[i]);
	}
	free(names);
	return ok;
}

bool px__merge_collect(struct merge_set *s, char **dirs, int n)
{
	bool ok = true;

	for (int i = 0; i < n; i++) {
		size_t before = s->n;
		struct stat st;
		if (stat(dirs[i], &st) != 0 || !S_ISDIR(st.st_mode)) {
			fprintf(stderr, "parlab: error: %s: not a directory\n",
			        dirs[i]);
			ok = false;
			continue;
		}
		ok &= collect(s, dirs[i], 3);
		if (s->n == before) {
			fprintf(stderr, "parlab: error: %s: no results directory in it (no meta.json here or up to 3 folders below)\n",
			        dirs[i]);
			ok = false;
		}
	}
	return ok;
}

/* The first line where a/experiment.yaml and b/experiment.yaml differ,
 * printed; or that one is missing. */
static void say_difference(const char *a, const char *b)
{
	char *pa = px__xasprintf("%s/experiment.yaml", a);
	char *pb = px__xasprintf("%s/experiment.yaml", b);
	char *ta = px__read_file(pa), *tb = px__read_file(pb);
	const char *x = ta, *y = tb;
	int line = 1;

	if (!ta || !tb) {
		fprintf(stderr, "parlab:   (%s missing: cannot show the difference)\n",
		        ta ? pb : pa);
	} else {
		for (; *x && *x == *y; x++, y++)
			line += *x == '\n';
		while (x > ta && x[-1] != '\n')
			x--, y--;
		fprintf(stderr, "parlab:   experiment.yaml line %d: %s has '%.*s', %s has '%.*s'\n",
		        line, a, (int)strcspn(x, "\n"), x, b,
		        (int)strcspn(y, "\n"), y);
	}
	free(pa);
	free(pb);
	free(ta);
	free(tb);
}

bool px__merge_check(const struct merge_set *s)
{
	bool ok = true;

	for (size_t i = 0; i < s->n; i++)
		for (size_t j = i + 1; j < s->n; j++) {
			const struct merged_exp *a = &s->v[i], *b = &s->v[j];
			if (strcmp(a->name, b->name) != 0 ||
			    (a->sha256 && b->sha256 &&
			     strcmp(a->sha256, b->sha256) == 0))
				continue;
			fprintf(stderr, "parlab: error: experiment '%s' comes from different experiment files: %s (sha256 %.12s) and %s (sha256 %.12s); not merged\n",
			        a->name, a->dir, a->sha256 ? a->sha256 : "none",
			        b->dir, b->sha256 ? b->sha256 : "none");
			say_difference(a->dir, b->dir);
			ok = false;
		}
	return ok;
}
