/* test_sdk.c: what a plugin author does. Installs parlab (a fresh build
 * in a temporary folder, so build/ is untouched) into a prefix given at
 * install time, copies the prefix elsewhere and removes the original,
 * builds a C strategy and a C++ workload out of tree with
 * find_package(parlab) and parlab_add_plugin, and a C workload with
 * pkg-config, then runs an experiment with them through the relocated
 * binary. Needs cmake, cc, c++ and pkg-config: exits 77 (ctest: skipped,
 * and says why) when g++ is missing. */
#include <stdarg.h>
#include <sys/wait.h>
#include <unistd.h>

#include "helpers.h"

static char tmp[] = "/tmp/parlab-sdk-XXXXXX";

/* Runs a shell script line (made from fmt) in the temp dir with a
 * timeout, its output in tmp/log; prints the log when it fails. Returns
 * its exit status. */
static int sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int sh(const char *fmt, ...)
{
	va_list ap;
	char *line, *cmd, *log, *script;
	FILE *f;
	int rc;

	va_start(ap, fmt);
	if (vasprintf(&line, fmt, ap) < 0)
		abort();
	va_end(ap);
	script = px__xasprintf("%s/step.sh", tmp);
	f = fopen(script, "w");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fprintf(f, "%s\n", line);
	fclose(f);
	cmd = px__xasprintf("cd '%s' && timeout 600 sh -e step.sh >log 2>&1", tmp);
	rc = system(cmd);
	rc = WIFEXITED(rc) ? WEXITSTATUS(rc) : 128;
	if (rc != 0) {
		log = px__xasprintf("%s/log", tmp);
		char *text = px__read_file(log);
		fprintf(stderr, "\n  $ %s\n  exit %d:\n%s\n", line, rc,
		        text ? text : "");
		free(text);
		free(log);
	}
	free(script);
	free(cmd);
	free(line);
	return rc;
}

static char *read_tmp(const char *rel)
{
	char *path = px__xasprintf("%s/%s", tmp, rel), *text = px__read_file(path);

	free(path);
	return text ? text : px__xstrdup("");
}

/* Builds and installs into tmp/inst, then moves the install to tmp/moved
 * (cp -a, and the original removed so nothing can still point at it). */
static void test_install_and_relocate(void)
{
	CHECK_INT(sh("cmake -S %s -B build -DPARLAB_TESTS=OFF -DCMAKE_BUILD_TYPE=Release"
	             " && cmake --build build -j2 && cmake --install build --prefix \"$PWD/inst\"",
	             PARLAB_TEST_SOURCE_DIR), 0);
	CHECK_INT(sh("cp -a inst moved && rm -rf inst build"), 0);
	CHECK_INT(sh("test -f moved/lib/pkgconfig/parlab.pc"
	             " && test -f moved/lib/cmake/parlab/parlabConfig.cmake"
	             " && test -f moved/share/parlab/skeletons/skeleton_strategy.c"
	             " && test -f moved/share/doc/parlab/plugins.md"
	             " && test -f moved/share/man/man1/parlab.1"
	             " && test -f moved/share/man/man5/parlab-experiment.5"), 0);
}

/* The relocated binary, run from another folder, finds its plugins. */
static void test_relocated_list(void)
{
	char *out, *want;

	CHECK_INT(sh("cd / && %s/moved/bin/parlab list > %s/list.txt", tmp, tmp), 0);
	out = read_tmp("list.txt");
	want = px__xasprintf("plugin folders: %s/moved/lib/parlab/plugins\n", tmp);
	CU_ASSERT(strncmp(out, want, strlen(want)) == 0);
	CHECK_CONTAINS(out, "  gil-threads ");
	CHECK_CONTAINS(out, "  cpu-count ");
	free(want);
	free(out);
}

/* find_package(parlab) + parlab_add_plugin, C and C++, from the skeleton
 * the install ships; pkg-config for a third. */
static void test_build_out_of_tree(void)
{
	CHECK_INT(sh("mkdir author && cp %s/tests/data/sdk/* author/"
	             " && sed \"s/\\.name = \\\"skeleton\\\"/.name = \\\"my-c-strategy\\\"/\""
	             " moved/share/parlab/skeletons/skeleton_strategy.c > author/my_c_strategy.c"
	             " && grep -q my-c-strategy author/my_c_strategy.c",
	             PARLAB_TEST_SOURCE_DIR), 0);
	CHECK_INT(sh("cmake -S author -B author/build -DCMAKE_PREFIX_PATH=\"$PWD/moved\""
	             " && cmake --build author/build"
	             " && cmake --install author/build --prefix \"$PWD/user\""), 0);
	CHECK_INT(sh("sed \"s/\\.name = \\\"skeleton\\\"/.name = \\\"my-pc-workload\\\"/\""
	             " moved/share/parlab/skeletons/skeleton_workload.c > pc.c"
	             " && PKG_CONFIG_PATH=\"$PWD/moved/lib/pkgconfig\""
	             " && export PKG_CONFIG_PATH"
	             " && cc -std=c11 -O2 -fPIC -shared -fvisibility=hidden"
	             " $(pkg-config --cflags parlab) -o user/lib/parlab/plugins/my-pc-workload.so pc.c"
	             " $(pkg-config --libs parlab)"
	             " && test \"$(pkg-config --variable=plugindir parlab)\" -ef moved/lib/parlab/plugins"), 0);
}

static void test_run_with_them(void)
{
	char *meta, *want;

	CHECK_INT(sh("cd / && %s/moved/bin/parlab run --plugin-path %s/user/lib/parlab/plugins"
	             " -o %s/results --quiet %s/tests/data/sdk/experiment.yaml",
	             tmp, tmp, tmp, PARLAB_TEST_SOURCE_DIR), 0);
	CHECK_INT(sh("cat results/sdk-cpp-*/meta.json > meta.json"), 0);
	meta = read_tmp("meta.json");
	want = px__xasprintf("\"file\": \"%s/user/lib/parlab/plugins/my-c-strategy.so\"",
	                     tmp);
	CHECK_CONTAINS(meta, want);
	CHECK_CONTAINS(meta, "\"name\": \"my-cpp-workload\"");
	/* the recorded digest is the file's */
	CHECK_INT(sh("sha256sum user/lib/parlab/plugins/my-c-strategy.so | cut -c1-64 > sum"
	             " && grep -q \"$(cat sum)\" meta.json"), 0);
	CHECK_INT(sh("test -f results/sdk-pc-*/summary.json"), 0);
	free(want);
	free(meta);
}

int main(void)
{
	static const struct test tests[] = {
		T(test_install_and_relocate), T(test_relocated_list),
		T(test_build_out_of_tree), T(test_run_with_them),
	};
	char *rm;
	int rc;

	if (system("command -v g++ >/dev/null 2>&1") != 0) {
		printf("system.sdk: SKIPPED: g++ not found (tools/deps.sh installs it)\n");
		return 77;
	}
	if (!mkdtemp(tmp))
		return 2;
	rc = px_test_run("sdk", tests, PX_ARRAY_LEN(tests));
	rm = px__xasprintf("rm -rf '%s'", tmp);
	if (rc == 0 && system(rm) != 0)
		rc = 1;
	free(rm);
	return rc;
}
