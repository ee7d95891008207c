/* test_cmd_compare.c: `parlab compare` on tests/data/compare-a and -b, whose
 * trials.csv hold wall times chosen so that the ratios and the verdicts
 * are known: serial the same, free-threads slower in B, event-loop only
 * in B. */
#include <fcntl.h>
#include <unistd.h>

#include "cmd/cli.h"
#include "helpers.h"

#define DATA PARLAB_TEST_SOURCE_DIR "/tests/data/"

/* Runs the compare command with stdout in a file; returns what it printed
 * (caller frees) and its exit code in *code. */
static char *compare(bool json, int *code)
{
	char path[] = "/tmp/parlab-test-compare-XXXXXX";
	char *files[] = { DATA "compare-a", DATA "compare-b" };
	struct cli c = { .files = files, .nfiles = 2, .json = json };
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

static void test_table(void)
{
	int code;
	char *out = compare(false, &code);

	CU_ASSERT_PTR_NOT_NULL_FATAL(out);
	CHECK_INT(code, 0);
	/* Serial: 1.0 s on both sides, identical runs: p = 1. */
	CHECK_CONTAINS(out, "serial, 1 workers                                1.0000     1.0000   1.000  [ 0.966 ..  1.036]        1  no significant difference\n");
	/* free-threads: medians 0.505 s (4 runs; the fifth crashed and is
	 * left out) vs 0.600 s, B/A = 1.188; the sides lie wholly apart, so
	 * the exact two-sided p is 2 / C(9, 4) = 2 / 126 = 0.0159. */
	CHECK_CONTAINS(out, "free-threads, 2 workers                          0.5050     0.6000   1.188  [ 1.115 ..  1.292]   0.0159  B slower\n");
	CHECK_CONTAINS(out, "event-loop, 1 workers                        only in B\n");
	free(out);
}

TEST_MAIN("compare", T(test_table))
