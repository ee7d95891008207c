/* test_experiment.c: the experiment schema on good and bad files, with
 * the line and column every error reports. */
#include "helpers.h"
#include "input/baseline.h"

static struct registry reg;
static struct topo tp;

static void setup_world(void)
{
	char err[256];

	px_test_registry(&reg);
	px__topo_open(&tp, "pack:1 core:2 pu:1", err, sizeof(err));
}

/* Loads text; returns the experiment and leaves the messages in *errs. */
static struct experiment *load(const char *text, char **errs, int *n)
{
	if (!reg.n)
		setup_world();
	return px_test_load(&reg, &tp, text, errs, n);
}

static void test_good_file_with_defaults(void)
{
	char *errs = NULL;
	int n = 0;
	struct experiment *e = load(
		"experiment: gil-cpu-bound\n"
		"workload: cpu-count\n"
		"strategies: [serial, free-threads]\n", &errs, &n);

	CU_ASSERT_PTR_NOT_NULL_FATAL(e);
	CHECK_INT(n, 0);
	CHECK_STR(e->name, "gil-cpu-bound");
	CHECK_INT(e->repetitions, 5);
	CHECK_INT(e->warmup, 1);
	CHECK_INT(e->timeout_ns, 60000000000LL);
	CHECK_STR(e->baseline, "serial");
	/* workers default to 1..cores; the synthetic machine has 2 cores. */
	CHECK_INT(e->n_workers, 2);
	CHECK_INT(e->pinning.kind, PIN_NONE);
	px__experiment_free(e);
	free(errs);
}

static void test_full_schema(void)
{
	char *errs = NULL;
	int n = 0;
	struct experiment *e = load(
		"experiment: full\n"
		"description: every key\n"
		"workload:\n"
		"  name: cpu-count\n"
		"  params: {iterations: 1_000_000, tasks: [2, 4]}\n"
		"strategies:\n"
		"  - serial\n"
		"  - name: free-threads\n"
		"    params: {chunksize: [1, 8]}\n"
		"workers: {from: 1, to: cores, scale: 2}\n"
		"pinning: [core:0, core:1]\n"
		"repetitions: 3\n"
		"warmup: 0\n"
		"timeout: 1.5s\n"
		"baseline: serial\n"
		"seed: 42\n"
		"expect:\n"
		"  - speedup(free-threads, workers=cores, chunksize=8, tasks=4) > 0.5\n",
		&errs, &n);

	CU_ASSERT_PTR_NOT_NULL_FATAL(e);
	if (n)
		fprintf(stderr, "%s", errs);
	CHECK_INT(e->repetitions, 3);
	CHECK_INT(e->warmup, 0);
	CHECK_INT(e->timeout_ns, 1500000000);
	CHECK_INT(e->seed, 42);
	CHECK_INT(e->n_workers, 2);
	CHECK_INT(e->workers[1], 2);
	CHECK_INT(e->pinning.kind, PIN_LIST);
	CHECK_INT(e->pinning.n, 2);
	CHECK_INT(e->workload.n, 2);
	CHECK_INT(e->workload.bindings[1].n, 2);
	CHECK_INT(e->n_expects, 1);
	px__experiment_free(e);
	free(errs);
}

/* Each bad file must fail with this text at this line and column. */
static void check_error(const char *text, const char *where, const char *what)
{
	char *errs = NULL;
	int n = 0;
	struct experiment *e = load(text, &errs, &n);

	CU_ASSERT_PTR_NULL(e);
	CU_ASSERT(n >= 1);
	CHECK_CONTAINS(errs, where);
	CHECK_CONTAINS(errs, what);
	px__experiment_free(e);
	free(errs);
}

#define HEAD "experiment: x\nworkload: cpu-count\n"

static void test_unknown_key_suggests(void)
{
	check_error(HEAD "strategies: [serial]\nrepetitons: 3\n",
	            "test.yaml:4:1:", "did you mean 'repetitions'?");
}

/* plots: each bad entry is an error at its line and column. */
static void test_plots_errors(void)
{
	check_error(HEAD "strategies: [serial]\nplots:\n  - {x: workers, y: wall_s, serie: strategy}\n",
	            "test.yaml:5:29:", "did you mean 'series'?");
	check_error(HEAD "strategies: [free-threads]\nplots:\n  - {x: chunksiz, y: speedup}\n",
	            "test.yaml:5:5:", "plots: x: 'chunksiz' is not workers, strategy or a parameter of this experiment; did you mean 'chunksize'?");
	check_error(HEAD "strategies: [serial]\nplots:\n  - {y: \"p99(io latency)\"}\n",
	            "test.yaml:5:9:", "plots: y: expected a column");
	check_error(HEAD "strategies: [serial]\nplots:\n  - {y: wall, log: z}\n",
	            "test.yaml:5:20:", "plots: log: expected x, y, both or none, got z");
	check_error(HEAD "strategies: [serial]\nplots: {y: wall}\n",
	            "test.yaml:4:8:", "plots: expected a list");
}

static void test_plots_good(void)
{
	char *errs = NULL;
	int n = 0;
	struct experiment *e = load(HEAD "strategies: [free-threads]\nplots:\n"
	                            "  - {x: chunksize, y: p99(io_latency), log: both, title: T}\n"
	                            "  - {y: ns_per_task, series: strategy}\n", &errs, &n);
	char *col;

	CU_ASSERT_FATAL(e != NULL);
	CHECK_INT(e->n_plots, 2);
	CHECK_STR(e->plots[0].x, "chunksize");
	CHECK_INT(e->plots[0].xlog, 1);
	CHECK_INT(e->plots[0].ylog, 1);
	CHECK_INT(e->plots[1].xlog, -1);
	col = px__plot_column(e->plots[0].y);
	CHECK_STR(col, "io_latency_p99");
	free(col);
	px__experiment_free(e);
	free(errs);
}

static void test_unknown_strategy_suggests(void)
{
	check_error(HEAD "strategies: [serial, free-thread]\n",
	            "test.yaml:3:22:", "did you mean 'free-threads'?");
}

static void test_unknown_param_suggests(void)
{
	check_error("experiment: x\nworkload:\n  name: cpu-count\n"
	            "  params: {iteratons: 5}\nstrategies: [serial]\n",
	            "test.yaml:4:12:", "did you mean 'iterations'?");
}

static void test_param_out_of_range(void)
{
	check_error("experiment: x\nworkload:\n  name: cpu-count\n"
	            "  params: {tasks: 0}\nstrategies: [serial]\n",
	            "test.yaml:4:19:", "tasks: 0 is out of range, allowed 1 .. 10000000");
}

/* A value that is not a number says what it should be and the
 * parameter's own range (a generic example could lie outside it). */
static void test_param_not_a_number(void)
{
	check_error("experiment: x\nworkload:\n  name: cpu-count\n"
	            "  params: {tasks: many}\nstrategies: [serial]\n",
	            "test.yaml:4:19:", "tasks: 'many' is not an integer "
	            "(digits, _ allowed between them), allowed 1 .. 10000000");
}

static void test_param_bad_enum(void)
{
	check_error("experiment: x\nworkload:\n  name: faulty\n"
	            "  params: {mode: sgev}\nstrategies: [serial]\n",
	            "test.yaml:4:18:", "did you mean 'segv'?");
}

static void test_workers_out_of_range(void)
{
	check_error(HEAD "strategies: [serial]\nworkers: [1, 0]\n",
	            "test.yaml:4:14:", "workers: 0 is out of range, allowed 1 ..");
}

static void test_bad_duration(void)
{
	check_error(HEAD "strategies: [serial]\ntimeout: 10 parsecs\n",
	            "test.yaml:4:10:", "is not a duration");
}

static void test_missing_required_key(void)
{
	check_error("experiment: x\nstrategies: [serial]\n", "test.yaml:1:1:",
	            "missing required key 'workload'");
}

static void test_yaml_syntax_error(void)
{
	check_error("experiment: x\nworkload: [cpu-count\n", "test.yaml:",
	            "YAML syntax");
}

static void test_duplicate_key(void)
{
	check_error(HEAD "strategies: [serial]\nworkload: noop\n",
	            "test.yaml:4:1:", "duplicate key 'workload' (first at line 2)");
}

static void test_bad_experiment_name(void)
{
	check_error("experiment: Bad Name\nworkload: noop\nstrategies: [serial]\n",
	            "test.yaml:1:13:", "must be [a-z0-9_-]+");
}

static void test_baseline_not_a_strategy(void)
{
	check_error(HEAD "strategies: [serial, free-threads]\nbaseline: seral\n",
	            "test.yaml:4:11:", "did you mean 'serial'?");
}

/* baseline: a bare name keeps no parameters; {name, params} keeps the
 * strategy and one value per parameter given; {name} alone none. */
static void test_baseline_forms(void)
{
	const char *forms[] = {
		"baseline: free-threads\n",
		"baseline: {name: free-threads, params: {spawn: per-task}}\n",
		"baseline:\n  name: free-threads\n",
	};
	size_t nparams[] = { 0, 1, 0 };

	for (size_t i = 0; i < PX_ARRAY_LEN(forms); i++) {
		char *errs = NULL, *text = px__xasprintf(
			HEAD "strategies: [serial, {name: free-threads, params: {spawn: [pool, per-task]}}]\n%s",
			forms[i]);
		int n = 0;
		struct experiment *e = load(text, &errs, &n);
		CU_ASSERT_PTR_NOT_NULL_FATAL(e);
		CHECK_INT(n, 0);
		CHECK_STR(e->baseline, "free-threads");
		CHECK_INT(e->baseline_use.plugin != NULL, i > 0);
		CHECK_INT(e->baseline_use.n, nparams[i]);
		if (nparams[i]) {
			const struct pbinding *b = &e->baseline_use.bindings[0];
			char *shown = px__baseline_text(e);
			CHECK_STR(b->param->name, "spawn");
			CHECK_INT(b->n, 1);
			CHECK_INT(b->values[0].i, 1);  /* per-task */
			CHECK_STR(shown, "free-threads with {spawn: per-task}");
			free(shown);
		}
		px__experiment_free(e);
		free(errs);
		free(text);
	}
}

/* A parameter not set in strategies matches its default. */
static void test_baseline_default_value(void)
{
	char *errs = NULL;
	int n = 0;
	struct experiment *e = load(HEAD "strategies: [serial, free-threads]\n"
	                            "baseline: {name: free-threads, params: {spawn: pool}}\n",
	                            &errs, &n);

	CU_ASSERT_PTR_NOT_NULL(e);
	CHECK_INT(n, 0);
	px__experiment_free(e);
	free(errs);
}

/* Each bad baseline is an error at its own line and column. */
static void test_baseline_errors(void)
{
#define BS HEAD "strategies: [serial, free-threads]\nbaseline: "
	check_error(BS "{name: free-thread, params: {spawn: pool}}\n",
	            "test.yaml:4:18:", "unknown strategy 'free-thread'; did you mean 'free-threads'?");
	check_error(BS "{name: free-threads, params: {spawn: per-task}}\n",
	            "test.yaml:4:11:", "baseline: free-threads with {spawn: per-task} is not among the strategies listed at 3:13");
	check_error(BS "{name: free-threads, params: {spawn: poool}}\n",
	            "test.yaml:4:48:", "spawn: 'poool' is not allowed, expected one of pool|per-task; did you mean 'pool'?");
	check_error(BS "{name: free-threads, params: {spwn: pool}}\n",
	            "test.yaml:4:41:", "strategy 'free-threads' has no parameter 'spwn'; did you mean 'spawn'?");
	check_error(BS "{name: free-threads, params: {chunksize: 0}}\n",
	            "test.yaml:4:52:", "chunksize: 0 is out of range");
	check_error(BS "{name: free-threads, params: {spawn: [pool, per-task]}}\n",
	            "test.yaml:4:41:", "baseline: params: 'spawn' has 2 values, but a baseline is one trial: give one value");
	check_error(BS "{name: free-threads, param: {spawn: pool}}\n",
	            "test.yaml:4:32:", "unknown key 'param' in baseline; did you mean 'params'?");
	check_error(BS "{params: {spawn: pool}}\n",
	            "test.yaml:4:11:", "baseline: missing key 'name'");
	check_error(BS "[serial]\n",
	            "test.yaml:4:11:", "baseline: expected a strategy name or {name: ..., params: {...}}, got a list");
	check_error(BS "{name: gil-threads, params: {start: all}}\n",
	            "test.yaml:4:11:", "baseline: 'gil-threads' is not one of this experiment's strategies");
	/* A value that one entry runs, another parameter's that another does:
	 * no single entry runs both. */
	check_error(HEAD "strategies:\n  - {name: free-threads, params: {spawn: per-task}}\n"
	            "  - {name: free-threads, params: {chunksize: 4}}\n"
	            "baseline: {name: free-threads, params: {spawn: per-task, chunksize: 4}}\n",
	            "test.yaml:6:11:", "baseline: free-threads with {spawn: per-task, chunksize: 4} is not among the strategies listed at 4:3");
#undef BS
}

static void test_bad_pinning_location(void)
{
	check_error(HEAD "strategies: [serial]\npinning: [core:0, core:9]\n",
	            "test.yaml:4:19:", "core 9 does not exist here");
}

static void test_expectation_syntax_error(void)
{
	check_error(HEAD "strategies: [serial]\nexpect:\n  - speedup(serial) >> 2\n",
	            "test.yaml:5:22:", "expected a number");
}

static void test_reports_every_error(void)
{
	char *errs = NULL;
	int n = 0;
	struct experiment *e = load(
		"experiment: x\nworkload: cpu-count\nstrategies: [serial]\n"
		"repetitions: 0\nwarmup: -1\nbogus: 1\n", &errs, &n);

	CU_ASSERT_PTR_NULL(e);
	CHECK_INT(n, 3);
	px__experiment_free(e);
	free(errs);
}

static void test_several_documents(void)
{
	char *errs = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&errs, &len);
	struct diag d = { out, 0 };
	struct load_ctx ctx = { &reg, &tp, &d };
	struct experiment **all;
	int n;

	if (!reg.n)
		setup_world();
	n = px__experiment_load_all(&ctx, "multi.yaml",
		"experiment: one\nworkload: noop\nstrategies: [serial]\n"
		"---\n"
		"experiment: two\nworkload: cpu-count\nstrategies: [free-threads]\n",
		&all);
	CHECK_INT(n, 2);
	CHECK_STR(all[0]->name, "one");
	CHECK_STR(all[1]->name, "two");
	for (int i = 0; i < n; i++)
		px__experiment_free(all[i]);
	free(all);
	/* An error in the second document names its own line; nothing loads. */
	n = px__experiment_load_all(&ctx, "multi.yaml",
		"experiment: one\nworkload: noop\nstrategies: [serial]\n"
		"---\n"
		"experiment: two\nworkload: noop\nstrategies: [seriall]\n", &all);
	CHECK_INT(n, -1);
	CU_ASSERT_PTR_NULL(all);
	n = px__experiment_load_all(&ctx, "multi.yaml",
		"experiment: same\nworkload: noop\nstrategies: [serial]\n"
		"---\n"
		"experiment: same\nworkload: noop\nstrategies: [serial]\n", &all);
	CHECK_INT(n, -1);
	fclose(out);
	CHECK_CONTAINS(errs, "multi.yaml:7:14: error: unknown strategy 'seriall'");
	CHECK_CONTAINS(errs, "experiment 'same' appears twice in this file");
	free(errs);
}

TEST_MAIN("experiment", T(test_good_file_with_defaults), T(test_full_schema),
          T(test_unknown_key_suggests), T(test_plots_errors), T(test_plots_good), T(test_unknown_strategy_suggests),
          T(test_unknown_param_suggests), T(test_param_out_of_range),
          T(test_param_not_a_number),
          T(test_param_bad_enum), T(test_workers_out_of_range),
          T(test_bad_duration), T(test_missing_required_key),
          T(test_yaml_syntax_error), T(test_duplicate_key),
          T(test_bad_experiment_name), T(test_baseline_not_a_strategy),
          T(test_baseline_forms), T(test_baseline_default_value),
          T(test_baseline_errors),
          T(test_bad_pinning_location), T(test_expectation_syntax_error),
          T(test_reports_every_error), T(test_several_documents))
