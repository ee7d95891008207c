/* test_tidy.c: the data files of a real run load into a data frame with
 * no string parsing: every cell of trials.csv, summary.csv and
 * workers.csv outside the documented word columns parses whole as a
 * number (no "10ms", no "a;b;c"), parameters are in base units, and
 * workers.csv joins trials.csv on trial and repetition. */
#include <stdlib.h>
#include <sys/wait.h>

#include "helpers.h"
#include "base/csv.h"

static const char *const run_yaml =
	"experiment: tidy\n"
	"workload: {name: io-sleep, params: {tasks: 4, sleep: 1ms}}\n"
	"strategies: [serial, gil-threads, {name: free-threads, params: {spawn: pool}}]\n"
	"workers: 2\nrepetitions: 2\nwarmup: 0\nbaseline: serial\n";

/* A parameter column s.NAME or w.NAME whose parameter is an enum in some
 * plugin: its cells are that enum's words. */
static bool enum_param_column(const char *c)
{
	static struct registry reg;

	if (strncmp(c, "s.", 2) != 0 && strncmp(c, "w.", 2) != 0)
		return false;
	if (!reg.n)
		px_test_registry(&reg);
	for (size_t i = 0; i < reg.n; i++)
		for (const struct px_param *p = reg.items[i]->desc->params;
		     p && p->name; p++)
			if (p->type == PX_ENUM && strcmp(p->name, c + 2) == 0)
				return true;
	return false;
}

/* Columns whose cells are words (docs/results.md says which). */
static bool word_column(const char *c)
{
	static const char *const words[] = {
		"experiment", "label", "strategy", "workload", "pinning",
		"started", "status", "message", "column", "unit", "metric",
	};

	for (size_t i = 0; i < PX_ARRAY_LEN(words); i++)
		if (strcmp(c, words[i]) == 0)
			return true;
	return enum_param_column(c);
}

/* Loads dir/name and checks every cell of every non-word column is empty
 * or a whole number; returns the file (the caller frees it). */
static struct csv load_numeric(const char *dir, const char *name)
{
	char *path = px__xasprintf("%s/%s", dir, name);
	struct csv c;

	CHECK_INT(px__csv_read(path, &c), 0);
	CU_ASSERT(c.nrows > 0);
	for (size_t k = 0; k < c.ncols; k++) {
		if (word_column(c.header[k]))
			continue;
		for (size_t r = 0; r < c.nrows; r++) {
			const char *s = c.rows[r][k];
			char *end;
			if (!*s)
				continue;
			strtod(s, &end);
			if (*end)
				fprintf(stderr, "\n  %s: %s = \"%s\" is no number\n",
				        name, c.header[k], s);
			CU_ASSERT(*end == '\0');
		}
	}
	free(path);
	return c;
}

static const char *cell(const struct csv *c, size_t r, const char *col)
{
	int k = px__csv_column(c, col);

	CU_ASSERT_FATAL(k >= 0);
	return c->rows[r][k];
}

static void test_files_are_numeric(void)
{
	char tmp[] = "/tmp/parlab-tidy-XXXXXX";
	char *yaml, *cmd, *dir, *json;
	struct csv t, s, w;
	FILE *f;

	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(tmp));
	yaml = px__xasprintf("%s/tidy.yaml", tmp);
	dir = px__xasprintf("%s/out", tmp);
	f = fopen(yaml, "w");
	fputs(run_yaml, f);
	fclose(f);
	cmd = px__xasprintf("timeout 120 %s run --quiet --output-dir %s %s >/dev/null",
	                    PARLAB_TEST_BINARY, dir, yaml);
	CHECK_INT(WEXITSTATUS(system(cmd)), 0);
	t = load_numeric(dir, "trials.csv");
	s = load_numeric(dir, "summary.csv");
	w = load_numeric(dir, "workers.csv");
	/* Base units: 1ms as ns, 256KiB as bytes, a word for the enum. */
	CHECK_STR(cell(&t, 0, "w.sleep_ns"), "1000000");
	CHECK_STR(cell(&s, 0, "w.sleep_ns"), "1000000");
	CHECK_INT(px__csv_column(&t, "w.sleep"), -1);
	for (size_t r = 0; r < t.nrows; r++)
		if (!strcmp(cell(&t, r, "strategy"), "free-threads")) {
			CHECK_STR(cell(&t, r, "s.stack_size_bytes"), "262144");
			CHECK_STR(cell(&t, r, "s.spawn"), "pool");
		}
	/* Every row of workers.csv belongs to a run of trials.csv. */
	for (size_t r = 0; r < w.nrows; r++) {
		bool found = false;
		for (size_t k = 0; k < t.nrows && !found; k++)
			found = !strcmp(cell(&w, r, "trial"), cell(&t, k, "trial")) &&
			        !strcmp(cell(&w, r, "repetition"),
			                cell(&t, k, "repetition"));
		CU_ASSERT(found);
	}
	CU_ASSERT(w.nrows >= t.nrows * 2);
	json = px__xasprintf("%s/summary.json", dir);
	free(cmd);
	cmd = px__read_file(json);
	CHECK_CONTAINS(cmd, "\"workload_params\": {\"tasks\": 4, \"sleep_ns\": 1000000");
	CHECK_CONTAINS(cmd, "\"spawn\": \"pool\"");
	px__csv_free(&t);
	px__csv_free(&s);
	px__csv_free(&w);
	free(cmd);
	cmd = px__xasprintf("rm -rf %s", tmp);
	CHECK_INT(system(cmd), 0);
	free(cmd);
	free(json);
	free(yaml);
	free(dir);
}

TEST_MAIN("tidy", T(test_files_are_numeric))
