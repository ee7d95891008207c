/* test_conditions.c: a real run's meta.json holds a "conditions" object
 * with exactly the keys docs/results.md documents (each documented key is
 * written, each written key documented), and the run warns on stderr,
 * before its first trial, exactly when that object says the machine was
 * not calm; --quiet silences the warning. */
#include "cli_run.h"
#include "json_check.h"

static const char *const yaml =
	"experiment: conditions-check\n"
	"workload: {name: io-sleep, params: {tasks: 2, sleep: 1ms}}\n"
	"strategies: [serial]\nworkers: 1\nrepetitions: 1\nwarmup: 0\n";

/* The keys of the object that starts at `obj` ('{'), one per element of
 * a NULL-ended array of malloc'd strings. */
static char **object_keys(const char *obj)
{
	char **keys = NULL;
	size_t n = 0, cap = 0;
	int depth = 0;

	for (const char *p = obj; *p; p++) {
		if (*p == '"') {
			const char *s = ++p;
			while (*p && *p != '"')
				p += *p == '\\' ? 2 : 1;
			if (depth == 1 && p[1] == ':') {
				px__grow(&keys, &cap, n + 2, sizeof(*keys));
				keys[n++] = strndup(s, (size_t)(p - s));
			}
		} else if (*p == '{' || *p == '[') {
			depth++;
		} else if ((*p == '}' || *p == ']') && --depth == 0) {
			break;
		}
	}
	px__grow(&keys, &cap, n + 1, sizeof(*keys));
	keys[n] = NULL;
	return keys;
}

/* The keys of docs/results.md's "meta.json: conditions" table. */
static char **documented_keys(void)
{
	char *path = px__xasprintf("%s/docs/results.md", PARLAB_TEST_SOURCE_DIR);
	char *doc = px__read_file(path), *sec, *end;
	char **keys = NULL;
	size_t n = 0, cap = 0;

	CU_ASSERT_PTR_NOT_NULL_FATAL(doc);
	sec = strstr(doc, "\n## meta.json: conditions\n");
	CU_ASSERT_PTR_NOT_NULL_FATAL(sec);
	if ((end = strstr(sec + 1, "\n## ")))
		*end = '\0';
	for (char *p = strstr(sec, "\n| `"); p; p = strstr(p + 1, "\n| `")) {
		char *k = p + 4, *q = strchr(k, '`');
		px__grow(&keys, &cap, n + 2, sizeof(*keys));
		keys[n++] = strndup(k, (size_t)(q - k));
	}
	px__grow(&keys, &cap, n + 1, sizeof(*keys));
	keys[n] = NULL;
	free(doc);
	free(path);
	return keys;
}

static bool has(char **v, const char *s)
{
	for (; *v; v++)
		if (!strcmp(*v, s))
			return true;
	return false;
}

/* Checks that every key of `a` is in `b`, naming each that is not. */
static void each_in(char **a, char **b, const char *what)
{
	for (char **k = a; *k; k++) {
		bool ok = has(b, *k);
		if (!ok)
			fprintf(stderr, "\n  `%s` %s\n", *k, what);
		CU_ASSERT(ok);
	}
}

/* Runs the experiment into @/NAME (with `flags`); returns meta.json's
 * text and the run's stderr in *err (the caller frees both). */
static char *run(const char *name, const char *flags, char **err)
{
	char *args = px__xasprintf("run %s --output-dir @/%s @/c.yaml", flags,
	                           name);
	char *out, *meta = px__xasprintf("%s/%s/meta.json", px_cli_tmpdir(),
	                                 name), *text;
	char *path = px__xasprintf("%s/c.yaml", px_cli_tmpdir());
	FILE *f = fopen(path, "w");

	free(path);
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fputs(yaml, f);
	fclose(f);
	CHECK_INT(px_cli_run(args, &out, err), 0);
	text = px__read_file(meta);
	CU_ASSERT_PTR_NOT_NULL_FATAL(text);
	free(out);
	free(meta);
	free(args);
	return text;
}

static void test_every_documented_key(void)
{
	char *err, *meta = run("keys", "--quiet", &err), *obj;
	char **written, **documented = documented_keys();

	CU_ASSERT(json_valid(meta));
	obj = strstr(meta, "\"conditions\": {");
	CU_ASSERT_PTR_NOT_NULL_FATAL(obj);
	written = object_keys(strchr(obj, '{'));
	each_in(documented, written, "is documented but not in meta.json's conditions");
	each_in(written, documented, "is in meta.json's conditions but not documented in docs/results.md");
	CU_ASSERT(has(written, "load_before") && has(written, "git_dirty"));
	CU_ASSERT(has(documented, "cpu_quota_us"));  /* the table was read */
	CU_ASSERT(strstr(err, "not calm") == NULL);  /* --quiet */
	px__free_strv(written);
	px__free_strv(documented);
	free(meta);
	free(err);
}

/* The warning comes before the first trial's progress line when, and
 * only when, meta.json says the machine was not calm. */
static void test_warning_matches_calm(void)
{
	char *err, *meta = run("loud", "", &err);
	const char *warn = strstr(err, "parlab: warning: the machine is not calm: ");
	const char *first = strstr(err, "[1/1]");
	bool calm = strstr(meta, "\"calm\": true,") != NULL;

	CU_ASSERT(calm || strstr(meta, "\"calm\": false,"));
	CU_ASSERT_PTR_NOT_NULL(first);
	if (calm) {
		CU_ASSERT_PTR_NULL(warn);
	} else {
		CU_ASSERT_PTR_NOT_NULL_FATAL(warn);
		CU_ASSERT(first && warn < first);
		CHECK_CONTAINS(warn, "; timings will be noisy\n");
	}
	free(meta);
	free(err);
}

TEST_MAIN("conditions", T(test_every_documented_key),
          T(test_warning_matches_calm))
