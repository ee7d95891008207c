/* test_docs.c: the user's reference in docs/ checked against the code:
 * every key the experiment loader accepts, every function an expectation
 * may call, every file and column a real run writes, and every field of
 * plugin.h's structs is documented. A failure names what is missing. */
#include <ctype.h>
#include <dirent.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "helpers.h"
#include "base/util.h"
#include "input/experiment.h"
#include "plan/expect_resolve.h"
#include "plan/plan.h"

/* docs/NAME from the source tree (the caller frees it). */
static char *read_doc(const char *name)
{
	char *path = px__xasprintf("%s/docs/%s", PARLAB_TEST_SOURCE_DIR, name);
	char *text = px__read_file(path);

	if (!text)
		fprintf(stderr, "\n  cannot read %s\n", path);
	free(path);
	CU_ASSERT_PTR_NOT_NULL_FATAL(text);
	return text;
}

/* Whether doc names `name` in code style: "`name`" or "`name(". */
static bool mentions(const char *doc, const char *name)
{
	size_t len = strlen(name);

	for (const char *p = strchr(doc, '`'); p; p = strchr(p + 1, '`'))
		if (strncmp(p + 1, name, len) == 0 &&
		    (p[1 + len] == '`' || p[1 + len] == '('))
			return true;
	return false;
}

/* Asserts that doc mentions name, saying where it comes from if not. */
static void check_mentioned(const char *doc, const char *docname,
                            const char *name, const char *from)
{
	bool ok = mentions(doc, name);

	if (!ok)
		fprintf(stderr, "\n  docs/%s does not document `%s` (%s)\n",
		        docname, name, from);
	CU_ASSERT(ok);
}

static void test_every_loader_key_documented(void)
{
	char *doc = read_doc("experiment-files.md");
	const char *key, *where;
	size_t i;

	for (i = 0; (key = px__experiment_key(i, &where)); i++)
		check_mentioned(doc, "experiment-files.md", key,
		                *where ? where : "a top-level key");
	CU_ASSERT(i >= 12);  /* the table was really read */
	free(doc);
}

static void test_every_expect_function_documented(void)
{
	char *doc = read_doc("expectations.md");
	const char *fn;
	size_t i;

	for (i = 0; (fn = px__expect_function(i)); i++)
		check_mentioned(doc, "expectations.md", fn,
		                "a function the expectation language accepts");
	CU_ASSERT(i >= 9);
	free(doc);
}

/* ---- a real run's files and columns ------------------------------------ */

static const char *const run_yaml =
	"experiment: docs-check\n"
	"workload: {name: io-sleep, params: {tasks: 4, sleep: 1ms}}\n"
	"strategies: [serial, gil-threads]\n"
	"workers: 2\nrepetitions: 1\nwarmup: 0\n"
	"expect:\n  - speedup(gil-threads, workers=2) > 0\n";

static char tmp[] = "/tmp/parlab-docs-XXXXXX";

/* Runs the experiment above with the parlab binary (under a timeout) into
 * a new directory under tmp; returns its path (the caller frees it). */
static char *real_run(void)
{
	char *dir, *yaml, *cmd;
	FILE *f;
	int status;

	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(tmp));
	yaml = px__xasprintf("%s/docs-check.yaml", tmp);
	dir = px__xasprintf("%s/out", tmp);
	f = fopen(yaml, "w");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fputs(run_yaml, f);
	fclose(f);
	cmd = px__xasprintf("timeout 120 %s run --quiet --output-dir %s %s >/dev/null",
	                    PARLAB_TEST_BINARY, dir, yaml);
	status = system(cmd);
	CHECK_INT(WIFEXITED(status) ? WEXITSTATUS(status) : -1, 0);
	free(cmd);
	free(yaml);
	return dir;
}

/* The first line of dir/name, split at commas into a NULL-ended array
 * (free the array and its first element). */
static char **csv_header(const char *dir, const char *name)
{
	char *path = px__xasprintf("%s/%s", dir, name);
	char *text = px__read_file(path), *p;
	char **cols = NULL;
	size_t n = 0, cap = 0;

	free(path);
	CU_ASSERT_PTR_NOT_NULL_FATAL(text);
	text[strcspn(text, "\n")] = '\0';
	for (p = text; p; ) {
		px__grow(&cols, &cap, n + 2, sizeof(*cols));
		cols[n++] = p;
		if ((p = strchr(p, ',')))
			*p++ = '\0';
	}
	cols[n] = NULL;
	return cols;
}

/* The metric or counter `col` is named after, with the generic form the
 * docs use for it ("NAME", "NAME_per_worker", "NAME_p99") in *form;
 * NULL when col is not named after a plugin's metric. */
static const char *plugin_column(const struct registry *reg, const char *col,
                                 const char **form)
{
	static const char *const stats[] = {
#define X(id, suffix) suffix,
		PX_SAMPLE_STATS(X)
#undef X
	};
	static char buf[64];

	for (size_t i = 0; i < reg->n; i++) {
		for (const struct px_metric *m = reg->items[i]->desc->metrics;
		     m && m->name; m++) {
			size_t len = strlen(m->name);
			if (strncmp(col, m->name, len) != 0)
				continue;
			if (!col[len]) {
				*form = "NAME";
				return m->name;
			}
			if (strcmp(col + len, "_per_worker") == 0) {
				*form = "NAME_per_worker";
				return m->name;
			}
			for (size_t k = 0; k < PX_ARRAY_LEN(stats); k++)
				if (col[len] == '_' && !strcmp(col + len + 1, stats[k])) {
					snprintf(buf, sizeof(buf), "NAME_%s", stats[k]);
					*form = buf;
					return m->name;
				}
		}
	}
	return NULL;
}

/* Whether column c is a parameter column, "s.NAME" or "w.NAME_ns";
 * checks then that the docs describe its generic form. */
static bool param_column(const char *doc, const char *c)
{
	char generic[] = "s.PARAM";

	if (strncmp(c, "s.", 2) && strncmp(c, "w.", 2))
		return false;
	generic[0] = c[0];
	check_mentioned(doc, "results.md", generic, c);
	return true;
}

static void check_trials_columns(const char *doc, const char *dir)
{
	struct registry reg;
	char **cols = csv_header(dir, "trials.csv");
	size_t n = 0;

	px_test_registry(&reg);
	for (n = 0; cols[n]; n++) {
		const char *c = cols[n], *form;
		if (param_column(doc, c)) {
			continue;
		} else if (!mentions(doc, c) && plugin_column(&reg, c, &form)) {
			check_mentioned(doc, "results.md", form, c);
		} else {
			check_mentioned(doc, "results.md", c, "a column of trials.csv");
		}
	}
	CU_ASSERT(n > 30);  /* parameters, counters and samples all came */
	px__registry_close(&reg);
	free(cols[0]);
	free(cols);
}

static void test_every_result_file_and_column_documented(void)
{
	char *doc = read_doc("results.md"), *dir = real_run();
	char **cols = csv_header(dir, "summary.csv");
	DIR *d = opendir(dir);
	struct dirent *de;
	size_t files = 0;

	for (size_t i = 0; cols[i]; i++)
		if (!param_column(doc, cols[i]))
			check_mentioned(doc, "results.md", cols[i],
			                "a column of summary.csv");
	free(cols[0]);
	free(cols);
	cols = csv_header(dir, "workers.csv");
	for (size_t i = 0; cols[i]; i++)
		check_mentioned(doc, "results.md", cols[i], "a column of workers.csv");
	free(cols[0]);
	free(cols);
	check_trials_columns(doc, dir);
	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		check_mentioned(doc, "results.md", de->d_name, "a file a run writes");
		files++;
	}
	closedir(d);
	CU_ASSERT(files >= 13);  /* latency.svg and gil.svg included */
	free(dir);
	dir = px__xasprintf("rm -rf %s", tmp);
	CHECK_INT(system(dir), 0);
	free(dir);
	free(doc);
}

/* ---- plugin.h ----------------------------------------------------------- */

/* Removes the comments of C text in place. */
static void strip_comments(char *s)
{
	char *w = s;

	for (char *r = s; *r;) {
		if (r[0] == '/' && r[1] == '*') {
			char *end = strstr(r + 2, "*/");
			r = end ? end + 2 : r + strlen(r);
		} else {
			*w++ = *r++;
		}
	}
	*w = '\0';
}

/* The last identifier in s[0..len), copied into out. */
static void last_ident(const char *s, size_t len, char *out, size_t cap)
{
	size_t e = len, b;

	while (e > 0 && !(isalnum((unsigned char)s[e - 1]) || s[e - 1] == '_'))
		e--;
	for (b = e; b > 0 && (isalnum((unsigned char)s[b - 1]) || s[b - 1] == '_');)
		b--;
	snprintf(out, cap, "%.*s", (int)(e - b), s + b);
}

/* Checks every member of the struct body body[0..len) against doc. */
static size_t check_members(const char *doc, const char *sname,
                            const char *body, size_t len)
{
	size_t count = 0;
	char name[64];

	for (const char *st = body; st < body + len;) {
		const char *end = memchr(st, ';', (size_t)(body + len - st));
		const char *fp;
		if (!end)
			break;
		fp = strstr(st, "(*");
		if (fp && fp < end) {
			last_ident(fp, strcspn(fp, ")"), name, sizeof(name));
			check_mentioned(doc, "plugins.md", name, sname);
			count++;
		} else {
			/* "double min, max;": each comma part's last identifier. */
			for (const char *part = st; part < end;) {
				const char *comma = memchr(part, ',', (size_t)(end - part));
				const char *stop = comma ? comma : end;
				last_ident(part, (size_t)(stop - part), name, sizeof(name));
				if (*name) {
					check_mentioned(doc, "plugins.md", name, sname);
					count++;
				}
				part = stop + 1;
			}
		}
		st = end + 1;
	}
	return count;
}

static void test_every_plugin_field_documented(void)
{
	char *doc = read_doc("plugins.md");
	char *path = px__xasprintf("%s/core/include/parlab/plugin.h",
	                           PARLAB_TEST_SOURCE_DIR);
	char *h = px__read_file(path), *p;
	size_t structs = 0, fields = 0;

	CU_ASSERT_PTR_NOT_NULL_FATAL(h);
	strip_comments(h);
	for (p = strstr(h, "\nstruct px_"); p; p = strstr(p + 1, "\nstruct px_")) {
		char sname[64], full[80];
		char *open = strchr(p, '{'), *semi = strchr(p, ';'), *close;
		if (!open || (semi && semi < open))
			continue;  /* a declaration, not a definition */
		close = strstr(open, "\n};");
		CU_ASSERT_PTR_NOT_NULL_FATAL(close);
		last_ident(p + 1, (size_t)(open - p - 1), sname, sizeof(sname));
		snprintf(full, sizeof(full), "struct %s", sname);
		if (!mentions(doc, sname))
			check_mentioned(doc, "plugins.md", full, "a struct of plugin.h");
		fields += check_members(doc, full, open + 1,
		                        (size_t)(close - open - 1));
		structs++;
	}
	CU_ASSERT(structs >= 9);
	CU_ASSERT(fields >= 60);
	free(h);
	free(path);
	free(doc);
}

TEST_MAIN("docs", T(test_every_loader_key_documented),
          T(test_every_expect_function_documented),
          T(test_every_result_file_and_column_documented),
          T(test_every_plugin_field_documented))
