/* plugin_dirs.h: which folders plugins are looked for in, in order: the
 * folders the user names (--plugin-path, then $PARLAB_PLUGIN_PATH), then
 * the built-in folder, found from the runner's own location so that an
 * install works wherever its prefix is put. */
#ifndef PX_PLUGIN_DIRS_H
#define PX_PLUGIN_DIRS_H

#include <stddef.h>

struct plugin_dirs {
	char **dirs;     /* NULL-terminated, in search order */
	size_t n_named;  /* dirs[0 .. n_named) were named by the user; their
	                    plugins win a name clash with a built-in one */
};

/* The built-in folder for a runner whose executable lies in exe_dir: its
 * build tree's `plugins/` beside it when that exists, else
 * exe_dir/PARLAB_PLUGIN_RELDIR (../lib/parlab/plugins in an install) when
 * that exists, else the folder configured at build time. When none of
 * them exists, both install candidates are returned, so that an error
 * can name them. Returns a NULL-terminated array (px__free_strv). */
char **px__plugin_builtin_dirs(const char *exe_dir);

/* Fills pd for the command line's --plugin-path (colon-separated, may be
 * NULL) and $PARLAB_PLUGIN_PATH. A named entry that does not exist or is
 * not a folder is an error: returns -EINVAL with a message naming it in
 * err, and pd empty. */
int px__plugin_dirs_find(struct plugin_dirs *pd, const char *cli_path,
                         char *err, size_t cap);

/* "A, B, C": the folders, for messages. The caller frees. */
char *px__plugin_dirs_join(char *const *dirs);

void px__plugin_dirs_free(struct plugin_dirs *pd);

#endif
