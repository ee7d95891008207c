/* test_calibration.c: a calibration file's values become one-value
 * bindings of the plugins an experiment uses, where the file set none;
 * unknown parameters and bad values are errors at their place. */
#include "helpers.h"

#include "input/calibration.h"

static struct registry reg;
static struct topo tp;

/* Writes text to a temporary file; returns its path (caller frees). */
static char *temp_file(const char *text)
{
	char *path = strdup("/tmp/px-calibration-XXXXXX");
	int fd = mkstemp(path);

	CU_ASSERT_FATAL(fd >= 0);
	CU_ASSERT_FATAL(write(fd, text, strlen(text)) == (ssize_t)strlen(text));
	close(fd);
	return path;
}

/* Loads `exp`, applies the calibration `cal` to it; returns the status of
 * loading (load) or applying (otherwise) and the messages in *errs. */
static int apply(const char *exp, const char *cal, struct experiment **e,
                 char **errs)
{
	char err[256], *path = temp_file(cal), *lerrs = NULL;
	size_t len = 0;
	FILE *out = open_memstream(errs, &len);
	struct diag d = { out, 0 };
	struct calibration c;
	int rc;

	if (!reg.n) {
		px_test_registry(&reg);
		px__topo_open(&tp, "pack:1 core:2 pu:1", err, sizeof(err));
	}
	*e = px_test_load(&reg, &tp, exp, &lerrs, NULL);
	free(lerrs);
	CU_ASSERT_PTR_NOT_NULL_FATAL(*e);
	rc = px__calibration_load(path, &d, &c);
	if (rc == 0) {
		rc = px__calibration_apply(&c, *e, &d);
		px__calibration_free(&c);
	}
	fclose(out);
	unlink(path);
	free(path);
	return rc;
}

/* The one value of parameter `name` bound in u, or -1. */
static int64_t bound_value(const struct plugin_use *u, const char *name)
{
	for (size_t i = 0; i < u->n; i++)
		if (strcmp(u->bindings[i].param->name, name) == 0)
			return u->bindings[i].n == 1 ? u->bindings[i].values[0].i : -2;
	return -1;
}

static void test_values_fill_what_the_file_leaves(void)
{
	struct experiment *e;
	char *errs = NULL;

	CHECK_INT(apply("experiment: x\n"
	                "workload: {name: cpu-count, params: {tasks: 4}}\n"
	                "strategies: [serial, {name: gil-threads, params: {call_overhead: 3us}}, free-threads]\n",
	                "{\"machine\": \"m\", \"params\": {\"cpu-count\": {\"work_per_step\": 7},"
	                " \"gil-threads\": {\"call_overhead\": \"1500ns\"},"
	                " \"io-pipe\": {\"nonsense\": 1}}}\n", &e, &errs), 0);
	CHECK_STR(errs, "");
	CHECK_INT(bound_value(&e->workload, "work_per_step"), 7);
	CHECK_INT(bound_value(&e->workload, "tasks"), 4);
	/* The experiment file wins over the calibration. */
	CHECK_INT(bound_value(&e->strategies[1], "call_overhead"), 3000);
	CHECK_INT(bound_value(&e->strategies[2], "call_overhead"), -1);
	px__experiment_free(e);
	free(errs);
}

static void test_bad_entries_are_errors(void)
{
	struct experiment *e;
	char *errs = NULL;
	const char *exp = "experiment: x\nworkload: cpu-count\nstrategies: [gil-threads]\n";

	CHECK_INT(apply(exp, "params:\n  gil-threads: {call_overhed: 1us}\n",
	                &e, &errs), -EINVAL);
	CHECK_CONTAINS(errs, ":2:17: error: calibration: gil-threads has no parameter 'call_overhed'");
	px__experiment_free(e);
	free(errs);
	CHECK_INT(apply(exp, "params:\n  cpu-count: {work_per_step: many}\n",
	                &e, &errs), -EINVAL);
	CHECK_CONTAINS(errs, "calibration: cpu-count.work_per_step:");
	px__experiment_free(e);
	free(errs);
	CHECK_INT(apply(exp, "machine: m\n", &e, &errs), -EINVAL);
	CHECK_CONTAINS(errs, "expected a map `params`");
	px__experiment_free(e);
	free(errs);
}

static void test_a_bad_entry_is_reported_once(void)
{
	char err[256], *path = temp_file("params:\n  cpu-count: {work_per_step: many}\n");
	char *errs = NULL, *lerrs = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&errs, &len);
	struct diag d = { out, 0 };
	struct calibration c;
	struct experiment *e[2];
	const char *exp = "experiment: x\nworkload: cpu-count\nstrategies: [serial]\n";

	if (!reg.n) {
		px_test_registry(&reg);
		px__topo_open(&tp, "pack:1 core:2 pu:1", err, sizeof(err));
	}
	CU_ASSERT_FATAL(px__calibration_load(path, &d, &c) == 0);
	/* Two experiments use the plugin: both fail, one error is printed. */
	for (int i = 0; i < 2; i++) {
		e[i] = px_test_load(&reg, &tp, exp, &lerrs, NULL);
		free(lerrs);
		CU_ASSERT_PTR_NOT_NULL_FATAL(e[i]);
		CHECK_INT(px__calibration_apply(&c, e[i], &d), -EINVAL);
		px__experiment_free(e[i]);
	}
	px__calibration_free(&c);
	fclose(out);
	CHECK_INT(d.errors, 1);
	CHECK_CONTAINS(errs, "calibration: cpu-count.work_per_step:");
	free(errs);
	unlink(path);
	free(path);
}

TEST_MAIN("calibration", T(test_values_fill_what_the_file_leaves),
          T(test_a_bad_entry_is_reported_once),
          T(test_bad_entries_are_errors))
