/* plugin_dirs.c: the plugin search folders: the ones the user names,
 * checked, then the built-in one, found relative to /proc/self/exe. */
#define _GNU_SOURCE
#include "env/plugin_dirs.h"

#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/util.h"

#ifndef PARLAB_INSTALL_PLUGIN_DIR
#define PARLAB_INSTALL_PLUGIN_DIR "/usr/local/lib/parlab/plugins"
#endif
/* The plugin folder relative to the runner's bin folder in an install. */
#ifndef PARLAB_PLUGIN_RELDIR
#define PARLAB_PLUGIN_RELDIR "../lib/parlab/plugins"
#endif

static bool is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static void push(char ***v, size_t *n, size_t *cap, char *s)
{
	px__grow(v, cap, *n + 2, sizeof(**v));
	(*v)[(*n)++] = s;
	(*v)[*n] = NULL;
}

char **px__plugin_builtin_dirs(const char *exe_dir)
{
	char *build = px__xasprintf("%s/plugins", exe_dir);
	char *rel = px__xasprintf("%s/%s", exe_dir, PARLAB_PLUGIN_RELDIR);
	char **v = NULL;
	size_t n = 0, cap = 0;

	/* One folder only: a runner in its build tree must not also load an
	 * older install's plugins, nor a relocated install the ones left at
	 * the configured prefix (every name would clash). */
	if (is_dir(build)) {
		push(&v, &n, &cap, build);
		free(rel);
		return v;
	}
	free(build);
	if (is_dir(rel)) {
		char real[PATH_MAX];
		push(&v, &n, &cap, px__xstrdup(realpath(rel, real) ? real : rel));
		free(rel);
	} else if (!is_dir(PARLAB_INSTALL_PLUGIN_DIR)) {
		push(&v, &n, &cap, rel);
	} else {
		free(rel);
	}
	if (n == 0 || !is_dir(v[0]))
		push(&v, &n, &cap, px__xstrdup(PARLAB_INSTALL_PLUGIN_DIR));
	return v;
}

/* Adds each entry of a colon-separated list, which must be a folder. */
static int add_named(char ***v, size_t *n, size_t *cap, const char *list,
                     const char *source, char *err, size_t errcap)
{
	char *copy, *save = NULL;
	int rc = 0;

	if (!list)
		return 0;
	copy = px__xstrdup(list);
	for (char *tok = strtok_r(copy, ":", &save); tok && !rc;
	     tok = strtok_r(NULL, ":", &save)) {
		struct stat st;
		if (stat(tok, &st) != 0) {
			snprintf(err, errcap, "%s '%s': %s", source, tok,
			         strerror(errno));
			rc = -EINVAL;
		} else if (!S_ISDIR(st.st_mode)) {
			snprintf(err, errcap,
			         "%s '%s' is not a folder; give the folder that holds the plugin",
			         source, tok);
			rc = -EINVAL;
		} else {
			push(v, n, cap, px__xstrdup(tok));
		}
	}
	free(copy);
	return rc;
}

/* Whether two paths name the same folder. */
static bool same_dir(const char *a, const char *b)
{
	struct stat sa, sb;

	return stat(a, &sa) == 0 && stat(b, &sb) == 0 &&
	       sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

/* The folder of the running executable, resolved through symlinks. */
static char *exe_dir(void)
{
	char exe[PATH_MAX];
	ssize_t len = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

	if (len <= 0)
		return px__xstrdup(".");
	exe[len] = '\0';
	*strrchr(exe, '/') = '\0';
	return px__xstrdup(exe[0] ? exe : "/");
}

int px__plugin_dirs_find(struct plugin_dirs *pd, const char *cli_path,
                         char *err, size_t cap)
{
	size_t n = 0, vcap = 0;
	char **v = NULL, **builtin, *dir;
	int rc;

	memset(pd, 0, sizeof(*pd));
	rc = add_named(&v, &n, &vcap, cli_path, "--plugin-path", err, cap);
	if (!rc)
		rc = add_named(&v, &n, &vcap, getenv("PARLAB_PLUGIN_PATH"),
		               "$PARLAB_PLUGIN_PATH", err, cap);
	if (rc) {
		px__free_strv(v);
		return rc;
	}
	pd->n_named = n;
	dir = exe_dir();
	builtin = px__plugin_builtin_dirs(dir);
	free(dir);
	for (size_t i = 0; builtin[i]; i++) {
		bool named = false;
		for (size_t j = 0; j < pd->n_named; j++)
			named = named || same_dir(v[j], builtin[i]);
		if (named)
			free(builtin[i]);
		else
			push(&v, &n, &vcap, builtin[i]);
	}
	free(builtin);
	pd->dirs = v;
	return 0;
}

char *px__plugin_dirs_join(char *const *dirs)
{
	struct strbuf sb = { 0 };

	for (size_t i = 0; dirs && dirs[i]; i++) {
		px__sb_add(&sb, i ? ", " : "");
		px__sb_add(&sb, dirs[i]);
	}
	return px__sb_take(&sb);
}

void px__plugin_dirs_free(struct plugin_dirs *pd)
{
	px__free_strv(pd->dirs);
	memset(pd, 0, sizeof(*pd));
}
