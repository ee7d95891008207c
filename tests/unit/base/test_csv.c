/* test_csv.c: reading back CSV with RFC 4180 quoting, column lookup and
 * rows of the wrong width. */
#include <errno.h>
#include <unistd.h>

#include "base/csv.h"
#include "helpers.h"

/* Writes text to a fresh temporary file; returns its path (caller frees). */
static char *temp_file(const char *text)
{
	char tmpl[] = "/tmp/parlab-test-csv-XXXXXX";
	int fd = mkstemp(tmpl);
	FILE *f;

	CU_ASSERT_FATAL(fd >= 0);
	f = fdopen(fd, "w");
	fputs(text, f);
	fclose(f);
	return px__xstrdup(tmpl);
}

static void test_quoted_fields(void)
{
	char *path = temp_file("a,b,c\n"
	                       "1,\"x, y\",\"say \"\"hi\"\"\"\n"
	                       "2,,\"two\nlines\"\n");
	struct csv c;

	CHECK_INT(px__csv_read(path, &c), 0);
	CHECK_INT(c.ncols, 3);
	CHECK_INT(c.nrows, 2);
	CHECK_STR(c.header[2], "c");
	CHECK_STR(c.rows[0][1], "x, y");
	CHECK_STR(c.rows[0][2], "say \"hi\"");
	CHECK_STR(c.rows[1][1], "");
	CHECK_STR(c.rows[1][2], "two\nlines");
	CHECK_INT(px__csv_column(&c, "b"), 1);
	CHECK_INT(px__csv_column(&c, "d"), -1);
	px__csv_free(&c);
	unlink(path);
	free(path);
}

static void test_ragged_row_is_refused(void)
{
	char *path = temp_file("a,b\n1,2\n3\n");
	struct csv c;

	CHECK_INT(px__csv_read(path, &c), -EINVAL);
	unlink(path);
	free(path);
	CU_ASSERT(px__csv_read("/nonexistent/parlab.csv", &c) < 0);
}

TEST_MAIN("csv", T(test_quoted_fields), T(test_ragged_row_is_refused))
