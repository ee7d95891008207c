/* test_plugin_dirs.c: the plugin search folders: named ones are checked
 * and come first; the built-in one is found relative to the executable,
 * in a build tree and in an install wherever its prefix lies. */
#include <errno.h>
#include <limits.h>
#include <sys/stat.h>
#include <unistd.h>

#include "helpers.h"

static char tmp[] = "/tmp/parlab-dirs-XXXXXX";

static char *in_tmp(const char *rel)
{
	return px__xasprintf("%s/%s", tmp, rel);
}

static void mkdirs(const char *rel)
{
	char *p = in_tmp(rel);

	CHECK_INT(px__mkdir_p(p), 0);
	free(p);
}

/* An install: PREFIX/bin beside PREFIX/lib/parlab/plugins, the latter
 * returned resolved (no "bin/.."), wherever PREFIX is. */
static void test_install_layout(void)
{
	char *bin, **v, real[PATH_MAX], *want;

	mkdirs("inst/bin");
	mkdirs("inst/lib/parlab/plugins");
	bin = in_tmp("inst/bin");
	v = px__plugin_builtin_dirs(bin);
	CU_ASSERT_FATAL(realpath(tmp, real) != NULL);
	want = px__xasprintf("%s/inst/lib/parlab/plugins", real);
	CHECK_STR(v[0], want);
	CU_ASSERT_PTR_NULL(v[1]);
	px__free_strv(v);
	free(want);
	free(bin);
}

/* A build tree: plugins/ beside the executable, and nothing else. */
static void test_build_tree(void)
{
	char *bin, **v, *want;

	mkdirs("build/plugins");
	mkdirs("build/../lib/parlab/plugins");
	bin = in_tmp("build");
	want = in_tmp("build/plugins");
	v = px__plugin_builtin_dirs(bin);
	CHECK_STR(v[0], want);
	CU_ASSERT_PTR_NULL(v[1]);
	px__free_strv(v);
	free(want);
	free(bin);
}

/* No folder beside the executable: the configured one; when that is
 * missing too, both candidates, so that the error can name them. */
static void test_nothing_there_names_candidates(void)
{
	char *bin = in_tmp("empty/bin"), **v;
	struct stat st;

	mkdirs("empty/bin");
	v = px__plugin_builtin_dirs(bin);
	CU_ASSERT_PTR_NOT_NULL_FATAL(v[0]);
	if (stat(PARLAB_INSTALL_PLUGIN_DIR, &st) == 0) {
		CHECK_STR(v[0], PARLAB_INSTALL_PLUGIN_DIR);
	} else {
		CHECK_CONTAINS(v[0], "/empty/bin/");
		CHECK_CONTAINS(v[0], "lib/parlab/plugins");
		CHECK_STR(v[1], PARLAB_INSTALL_PLUGIN_DIR);
	}
	px__free_strv(v);
	free(bin);
}

static void test_named_folders_first_and_checked(void)
{
	struct plugin_dirs pd;
	char err[512] = "", *a = in_tmp("inst/bin"), *b = in_tmp("build");
	char *both = px__xasprintf("%s:%s", a, b), *file = in_tmp("f.so");
	FILE *f;

	unsetenv("PARLAB_PLUGIN_PATH");
	CHECK_INT(px__plugin_dirs_find(&pd, both, err, sizeof(err)), 0);
	CHECK_INT(pd.n_named, 2);
	CHECK_STR(pd.dirs[0], a);
	CHECK_STR(pd.dirs[1], b);
	CU_ASSERT_PTR_NOT_NULL(pd.dirs[2]); /* the built-in folder */
	px__plugin_dirs_free(&pd);

	setenv("PARLAB_PLUGIN_PATH", b, 1);
	CHECK_INT(px__plugin_dirs_find(&pd, a, err, sizeof(err)), 0);
	CHECK_INT(pd.n_named, 2);
	CHECK_STR(pd.dirs[0], a);   /* --plugin-path before the variable */
	CHECK_STR(pd.dirs[1], b);
	px__plugin_dirs_free(&pd);
	unsetenv("PARLAB_PLUGIN_PATH");

	CHECK_INT(px__plugin_dirs_find(&pd, "/no/such/folder", err, sizeof(err)),
	          -EINVAL);
	CHECK_STR(err, "--plugin-path '/no/such/folder': No such file or directory");
	CU_ASSERT_PTR_NULL(pd.dirs);
	f = fopen(file, "w");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fclose(f);
	setenv("PARLAB_PLUGIN_PATH", file, 1);
	CHECK_INT(px__plugin_dirs_find(&pd, NULL, err, sizeof(err)), -EINVAL);
	CHECK_CONTAINS(err, "$PARLAB_PLUGIN_PATH '");
	CHECK_CONTAINS(err, "/f.so' is not a folder; give the folder that holds the plugin");
	unsetenv("PARLAB_PLUGIN_PATH");
	unlink(file);
	free(file);
	free(both);
	free(a);
	free(b);
}

static void test_join(void)
{
	char *dirs[] = { "a", "b c", NULL }, *s = px__plugin_dirs_join(dirs);

	CHECK_STR(s, "a, b c");
	free(s);
}

static void setup(void)
{
	if (!mkdtemp(tmp))
		abort();
}

int main(void)
{
	static const struct test tests[] = {
		T(test_install_layout), T(test_build_tree),
		T(test_nothing_there_names_candidates),
		T(test_named_folders_first_and_checked), T(test_join),
	};
	int rc;
	char *cmd;

	setup();
	rc = px_test_run("plugin_dirs", tests, PX_ARRAY_LEN(tests));
	cmd = px__xasprintf("rm -rf '%s'", tmp);
	if (system(cmd) != 0)
		rc = 1;
	free(cmd);
	return rc;
}
