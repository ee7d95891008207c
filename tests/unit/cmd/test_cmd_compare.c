/* test_cmd_compare.c: `parlab compare` on tests/data/compare-a and -b, whose
 * trials.csv hold wall times chosen so that the ratios and the verdicts
 * are known: serial the same, free-threads slower in B, event-loop only
 * in B. */
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd/cli.h"
#include "helpers.h"

#define DATA PARLAB_TEST_SOURCE_DIR "/tests/data/"

/* Runs the compare command with stdout in a file; returns what it printed
 * (caller frees) and its exit code in *code. */
static char *compare_dirs(const char *a, const char *b, bool json,
                          const char *metric, int *code)
{
	char path[] = "/tmp/parlab-test-compare-XXXXXX";
	char *files[] = { (char *)a, (char *)b };
	struct cli c = { .files = files, .nfiles = 2, .json = json,
	                 .metric = metric };
	int fd = mkstemp(path), saved;
	char *text;

	CU_ASSERT_FATAL(fd >= 0);
	fflush(stdout);
	saved = dup(1);
	dup2(fd, 1);
	*code = px__cmd_compare(&c);
	fflush(stdout);
	dup2(saved, 1);
	close(saved);
	close(fd);
	text = px__read_file(path);
	unlink(path);
	return text;
}

static char *compare(bool json, int *code)
{
	return compare_dirs(DATA "compare-a", DATA "compare-b", json, NULL, code);
}

static void test_table(void)
{
	int code;
	char *out = compare(false, &code);

	CU_ASSERT_PTR_NOT_NULL_FATAL(out);
	CHECK_INT(code, 0);
	/* Serial: 1.0 s on both sides, identical runs: p = 1. */
	CHECK_CONTAINS(out, "serial, 1 workers                                1.000 s     1.000 s   1.000  [ 0.966 ..  1.036]        1  no significant difference\n");
	/* free-threads: medians 0.505 s (4 runs; the fifth crashed and is
	 * left out) vs 0.600 s, B/A = 1.188; the sides lie wholly apart, so
	 * the exact two-sided p is 2 / C(9, 4) = 2 / 126 = 0.0159. */
	CHECK_CONTAINS(out, "free-threads, 2 workers                         505.0 ms    600.0 ms   1.188  [ 1.115 ..  1.292]   0.0159  B slower\n");
	/* 5 and 5 (or 4) runs can reach p < 0.05: no note. */
	CU_ASSERT(strstr(out, "note:") == NULL);
	CHECK_CONTAINS(out, "event-loop, 1 workers                        only in B\n");
	free(out);
}

/* --json: one document with the same numbers. */
static void test_json(void)
{
	int code;
	char *out = compare(true, &code);

	CU_ASSERT_PTR_NOT_NULL_FATAL(out);
	CHECK_INT(code, 0);
	CHECK_INT(out[0], '{');
	CHECK_CONTAINS(out, "\"metric\": \"wall_s\"");
	CHECK_CONTAINS(out, "{\"label\": \"free-threads\", \"workers\": 2, \"a\": {\"runs\": 4, \"median\": 0.505");
	CHECK_CONTAINS(out, "\"verdict\": \"B slower\"");
	CHECK_CONTAINS(out, "\"only_in_b\": [\"event-loop, 1 workers\"]");
	CHECK_CONTAINS(out, "\"note\": \"\"}\n");
	free(out);
}

/* Writes DIR/trials.csv with 3 runs of one trial: steps v0, v1, v2. */
static char *three_runs(const char *name, int v0, int v1, int v2)
{
	char *dir = px__xasprintf("/tmp/parlab-test-compare-%s-%d", name, (int)getpid());
	char *path = px__xasprintf("%s/trials.csv", dir);
	FILE *f;

	mkdir(dir, 0777);
	f = fopen(path, "w");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fprintf(f, "trial,label,workers,repetition,status,wall_s,steps,mode\n"
	        "0,serial,1,0,ok,1,%d,unsafe\n0,serial,1,1,ok,1,%d,unsafe\n"
	        "0,serial,1,2,ok,1,%d,unsafe\n", v0, v1, v2);
	fclose(f);
	free(path);
	return dir;
}

/* --metric compares another column; with 3 runs a side even sides wholly
 * apart give p = 0.1, and the note says that 4 a side would be needed. */
static void test_metric_and_power(void)
{
	char *a = three_runs("a", 10, 11, 12), *b = three_runs("b", 20, 21, 22);
	char *cmd, *out;
	int code;

	out = compare_dirs(a, b, false, "steps", &code);
	CHECK_INT(code, 0);
	CHECK_CONTAINS(out, "steps, median of each side's runs");
	CHECK_CONTAINS(out, "serial, 1 workers                                     11          21   1.909");
	CHECK_CONTAINS(out, "0.1  too few runs to tell\n");
	CHECK_CONTAINS(out, "note: with 3 and 3 runs no difference can reach p < 0.05; 4 runs a side would be needed\n");
	free(out);
	out = compare_dirs(a, b, true, "steps", &code);
	CHECK_CONTAINS(out, "\"smallest_possible_p\": 0.1");
	CHECK_CONTAINS(out, "\"note\": \"with 3 and 3 runs");
	free(out);
	/* A word column, or none at all: exit 2, nothing on stdout. */
	out = compare_dirs(a, b, false, "mode", &code);
	CHECK_INT(code, PX_EXIT_USAGE);
	CHECK_STR(out, "");
	free(out);
	out = compare_dirs(a, b, true, "nope", &code);
	CHECK_INT(code, PX_EXIT_USAGE);
	CHECK_STR(out, "");
	free(out);
	cmd = px__xasprintf("rm -rf %s %s", a, b);
	CHECK_INT(system(cmd), 0);
	free(cmd);
	free(a);
	free(b);
}

TEST_MAIN("compare", T(test_table), T(test_json), T(test_metric_and_power))
