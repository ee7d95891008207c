/* helpers.h: a CUnit runner and checks that print both values on failure,
 * shared by every test program. */
#ifndef PX_TEST_HELPERS_H
#define PX_TEST_HELPERS_H

#include <CUnit/Basic.h>
#include <stdio.h>
#include <string.h>

#include <math.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "input/experiment.h"
#include "plan/plan.h"
#include "env/plugins.h"
#include "env/topo.h"
#include "exec/trial_exec.h"
#include "base/util.h"

struct test {
	const char *name;
	void (*fn)(void);
};

/* Registers the tests as one suite, runs them, returns the exit status. */
static inline int px_test_run(const char *suite, const struct test *tests,
                              size_t n)
{
	CU_pSuite s;
	unsigned failed;

	if (CU_initialize_registry() != CUE_SUCCESS)
		return 2;
	s = CU_add_suite(suite, NULL, NULL);
	for (size_t i = 0; i < n; i++)
		CU_add_test(s, tests[i].name, tests[i].fn);
	CU_basic_set_mode(CU_BRM_VERBOSE);
	CU_basic_run_tests();
	failed = CU_get_number_of_tests_failed();
	CU_cleanup_registry();
	return failed ? 1 : 0;
}

#define TEST_MAIN(suite, ...)                                                  \
	int main(void)                                                         \
	{                                                                      \
		static const struct test tests[] = { __VA_ARGS__ };            \
		return px_test_run(suite, tests,                               \
		                   sizeof(tests) / sizeof(tests[0]));          \
	}

#define T(fn) { #fn, fn }

#define CHECK_INT(actual, expected)                                            \
	do {                                                                   \
		long long a_ = (long long)(actual), e_ = (long long)(expected);\
		if (a_ != e_)                                                  \
			fprintf(stderr, "\n  %s:%d: %s is %lld, expected %lld\n",   \
			        __FILE__, __LINE__, #actual, a_, e_);          \
		CU_ASSERT(a_ == e_);                                           \
	} while (0)

#define CHECK_STR(actual, expected)                                            \
	do {                                                                   \
		const char *a_ = (actual), *e_ = (expected);                   \
		bool ok_ = a_ && e_ && strcmp(a_, e_) == 0;                    \
		if (!ok_)                                                      \
			fprintf(stderr, "\n  %s:%d: %s is \"%s\", expected \"%s\"\n", \
			        __FILE__, __LINE__, #actual, a_ ? a_ : "(null)", \
			        e_ ? e_ : "(null)");                           \
		CU_ASSERT(ok_);                                                \
	} while (0)

#define CHECK_CONTAINS(haystack, needle)                                       \
	do {                                                                   \
		const char *h_ = (haystack), *n_ = (needle);                   \
		bool ok_ = h_ && strstr(h_, n_) != NULL;                       \
		if (!ok_)                                                      \
			fprintf(stderr, "\n  %s:%d: \"%s\" does not contain \"%s\"\n", \
			        __FILE__, __LINE__, h_ ? h_ : "(null)", n_);   \
		CU_ASSERT(ok_);                                                \
	} while (0)

#define CHECK_NEAR(actual, expected, tol)                                      \
	do {                                                                   \
		double a_ = (actual), e_ = (expected);                         \
		bool ok_ = a_ >= e_ - (tol) && a_ <= e_ + (tol);               \
		if (!ok_)                                                      \
			fprintf(stderr, "\n  %s:%d: %s is %g, expected %g +- %g\n", \
			        __FILE__, __LINE__, #actual, a_, e_, (double)(tol)); \
		CU_ASSERT(ok_);                                                \
	} while (0)

/* The build's plugins plus the good test plugins. */
static inline void px_test_registry(struct registry *reg)
{
	char *dirs[] = { PARLAB_TEST_PLUGIN_DIR, PARLAB_TEST_GOOD_DIR, NULL };

	memset(reg, 0, sizeof(*reg));
	px__registry_load(reg, dirs, stderr);
}

/* Loads an experiment from text against a synthetic machine, collecting
 * the error messages into *errors (caller frees). */
static inline struct experiment *px_test_load(struct registry *reg,
                                              const struct topo *tp,
                                              const char *text, char **errors,
                                              int *n_errors)
{
	size_t len = 0;
	FILE *out = open_memstream(errors, &len);
	struct diag d = { out, 0 };
	struct load_ctx ctx = { reg, tp, &d };
	struct experiment *e = px__experiment_load(&ctx, "test.yaml", text);

	fclose(out);
	if (n_errors)
		*n_errors = d.errors;
	return e;
}

/* How long a test's run may take before it counts as hung. A bound for a
 * hang, not a timing claim: runs that are meant to finish do so in
 * seconds on a calm machine, but under ThreadSanitizer beside a load of
 * 30 on 2 cores starting 2,000 threads took over 20 s. */
#define PX_TEST_TIMEOUT_NS 300000000000LL

/* How many threads "thousands of threads" means: fewer under
 * ThreadSanitizer, whose every thread start costs milliseconds; the code
 * paths it checks for races are the same. */
#if defined(__SANITIZE_THREAD__)
#define PX_TEST_MANY_THREADS 500
#else
#define PX_TEST_MANY_THREADS 2000
#endif

/* Runs the first trial of the experiment in `yaml` once, in its own
 * process as parlab does, on a synthetic 2-core machine (no pinning), for
 * at most timeout_ns. Returns the run's status; values[i] gets the
 * NULL-terminated columns[i] of that one run, *message its message. */
static inline int px_test_run_columns(const char *yaml, int64_t timeout_ns,
                                      const char *const *columns,
                                      double *values, char *message,
                                      size_t cap)
{
	static struct registry reg;
	static struct topo tp;
	char *errs = NULL, err[256];
	struct diag d = { 0 };
	struct experiment *e;
	struct run_outcome o;
	struct plan p;
	int status;

	if (!reg.n) {
		px_test_registry(&reg);
		px__topo_open(&tp, "pack:1 core:2 pu:1", err, sizeof(err));
	}
	e = px_test_load(&reg, &tp, yaml, &errs, NULL);
	if (!e) {
		fprintf(stderr, "%s", errs);
		free(errs);
		CU_FAIL_FATAL("experiment did not load");
	}
	CU_ASSERT_FATAL(px__plan_build(&p, e, &tp, 1, &d) == 0);
	CU_ASSERT_FATAL(px__exec_run(&p, &p.trials[0], timeout_ns, &o) == 0);
	status = o.status;
	for (size_t i = 0; columns && columns[i]; i++)
		values[i] = o.values[px__plan_column(&p, columns[i])];
	if (message)
		snprintf(message, cap, "%s", o.message);
	px__outcome_free(&o);
	px__plan_free(&p);
	px__experiment_free(e);
	free(errs);
	return status;
}

/* As px_test_run_columns, for one column (or none: NULL). */
static inline int px_test_run_trial(const char *yaml, int64_t timeout_ns,
                                    const char *column, double *value,
                                    char *message, size_t cap)
{
	const char *columns[] = { column, NULL };

	if (value)
		*value = NAN;
	return px_test_run_columns(yaml, timeout_ns,
	                           column && value ? columns : NULL, value,
	                           message, cap);
}

/* The value of `column` after running `workload` under `strategy` with
 * `workers` workers; the run must succeed (verify included). */
static inline double px_test_value(const char *workload, const char *strategy,
                                   int workers, const char *column)
{
	char *y = px__xasprintf("experiment: t\nworkload: %s\nstrategies: [%s]\n"
	                        "workers: [%d]\n", workload, strategy, workers);
	char msg[1024];
	double v = NAN;
	int st = px_test_run_trial(y, PX_TEST_TIMEOUT_NS, column, &v, msg,
	                           sizeof(msg));

	if (st != RUN_OK)
		fprintf(stderr, "\n  %s under %s: %s\n", workload, strategy, msg);
	CU_ASSERT(st == RUN_OK);
	free(y);
	return v;
}

/* Runs `python3 -c SCRIPT ARGS...` (args: NULL-terminated, at most 12)
 * with a fresh scratch folder as its last argument, removed after; the
 * script's exit status, or -1 when it did not exit. Its output goes
 * where the test's goes (ctest keeps it), tracebacks included: the
 * scripts assert what they check. */
static inline int px_test_python(const char *script, const char *const *args)
{
	char dir[] = "/tmp/parlab-test-py-XXXXXX", cmd[64];
	const char *argv[16] = { "python3", "-c", script };
	int n = 3, status = -1;
	pid_t pid;

	if (!mkdtemp(dir))
		return -1;
	while (args && *args && n < 15)
		argv[n++] = *args++;
	argv[n++] = dir;
	argv[n] = NULL;
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		execvp("python3", (char *const *)argv);
		_exit(127);
	}
	if (pid > 0 && waitpid(pid, &status, 0) == pid)
		status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
	else
		status = -1;
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	if (system(cmd) != 0)
		status = -1;
	return status;
}

#endif
