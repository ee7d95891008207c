/* test_plugin_header.c: parlab/plugin.h compiles as C11 and as C++17
 * with every pedantic warning an error, and both languages see one
 * layout: a probe printing sizes and offsets is built both ways and the
 * outputs compared. A C++ plugin's entry symbol is not mangled. Exits 77
 * (ctest: skipped, and says why) when g++ is missing. */
#include <unistd.h>

#include "helpers.h"

static char tmp[] = "/tmp/parlab-header-XXXXXX";

static const char probe[] =
	"#include <parlab/plugin.h>\n"
	"#include <stdio.h>\n"
	"#define O(t, f) printf(#t \".\" #f \" %zu\\n\", offsetof(struct t, f))\n"
	"#define S(t) printf(#t \" %zu %zu\\n\", sizeof(struct t), _Alignof(struct t))\n"
	"static const struct px_plugin d = { 1, 0, 0, PX_KIND_WORKLOAD, 0, 0, 0, 0, 0, 0, 0, 0, 0 };\n"
	"PX_PLUGIN(d)\n"
	"int main(void)\n{\n"
	"\tS(px_worker); O(px_worker, api); O(px_worker, index);\n"
	"\tO(px_worker, host_data); S(px_api); O(px_api, now_ns);\n"
	"\tS(px_host); O(px_host, now_ns); O(px_host, plain); S(px_run);\n"
	"\tS(px_param); S(px_plugin); O(px_plugin, strategy);\n"
	"\tO(px_plugin, version); S(px_strategy_ops);\n"
	"\tS(px_workload_ops);\n"
	"\treturn parlab_plugin() == &d ? 0 : 1;\n}\n";

/* Runs cmd in tmp; prints its output when it fails. */
static int run(const char *cmd)
{
	char *full = px__xasprintf("cd '%s' && ( %s ) >log 2>&1", tmp, cmd);
	int rc = system(full);

	if (rc != 0) {
		char *log = px__xasprintf("%s/log", tmp), *text = px__read_file(log);
		fprintf(stderr, "\n  $ %s\n%s\n", cmd, text ? text : "");
		free(text);
		free(log);
	}
	free(full);
	return rc;
}

static void write_probe(const char *name, const char *alignof_word)
{
	char *path = px__xasprintf("%s/%s", tmp, name);
	FILE *f = fopen(path, "w");
	const char *p;

	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	/* C++ spells _Alignof alignof */
	for (p = probe; *p; p++) {
		if (strncmp(p, "_Alignof", 8) == 0) {
			fputs(alignof_word, f);
			p += 7;
		} else {
			fputc(*p, f);
		}
	}
	fclose(f);
	free(path);
}

static void test_c_and_cxx_same_layout(void)
{
	char *c_out, *cxx_out, *path;

	write_probe("probe.c", "_Alignof");
	write_probe("probe.cpp", "alignof");
	CHECK_INT(run("gcc -std=c11 -Wall -Wextra -Wpedantic -Werror -I"
	              PARLAB_TEST_SOURCE_DIR "/core/include -o probe-c probe.c"), 0);
	CHECK_INT(run("g++ -std=c++17 -Wall -Wextra -Wpedantic -Werror -I"
	              PARLAB_TEST_SOURCE_DIR "/core/include -o probe-cxx probe.cpp"), 0);
	CHECK_INT(run("./probe-c > c.txt && ./probe-cxx > cxx.txt"), 0);
	path = px__xasprintf("%s/c.txt", tmp);
	c_out = px__read_file(path);
	free(path);
	path = px__xasprintf("%s/cxx.txt", tmp);
	cxx_out = px__read_file(path);
	free(path);
	CU_ASSERT_PTR_NOT_NULL_FATAL(c_out);
	CHECK_CONTAINS(c_out, "px_worker 56 8\n");
	CHECK_STR(cxx_out, c_out);
	/* the entry keeps its C name in C++ */
	CHECK_INT(run("nm probe-cxx | grep -q ' T parlab_plugin$'"), 0);
	free(c_out);
	free(cxx_out);
}

int main(void)
{
	static const struct test tests[] = { T(test_c_and_cxx_same_layout) };
	char *rm;
	int rc;

	if (system("command -v g++ >/dev/null 2>&1") != 0) {
		printf("system.plugin_header: SKIPPED: g++ not found (tools/deps.sh installs it)\n");
		return 77;
	}
	if (!mkdtemp(tmp))
		return 2;
	rc = px_test_run("plugin_header", tests, PX_ARRAY_LEN(tests));
	rm = px__xasprintf("rm -rf '%s'", tmp);
	if (system(rm) != 0)
		rc = 1;
	free(rm);
	return rc;
}
