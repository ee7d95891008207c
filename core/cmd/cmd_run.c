/* cmd_run.c: `parlab run` and `parlab validate`. Every file is checked
 * before anything runs; a bad one runs nothing and exits 2. */
#define _GNU_SOURCE
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/units.h"
#include "base/util.h"
#include "cmd/cli.h"
#include "input/calibration.h"
#include "exec/trial_exec.h"
#include "measure/trial_stats.h"
#include "measure/verdict.h"
#include "output/report.h"
#include "output/results.h"
#include "plan/expect_resolve.h"
#include "plan/plan.h"

/* One experiment file on its way from text to verdicts. */
struct job {
	struct experiment *exp;
	struct plan plan;
	struct measurements meas;   /* what the plan's trials measured */
	struct verdict_result *verdicts;
	bool planned;
	size_t selected;    /* trials --only leaves to run */
};

/* Plans and resolves one experiment; false after reporting errors. */
static bool prepare_job(const struct cli *c, const struct topo *tp,
                        struct job *j, struct diag *d)
{
	bool ok = true;

	if (px__plan_build(&j->plan, j->exp, tp, c->repetitions, d))
		return false;
	j->planned = true;
	for (size_t i = 0; i < j->exp->n_expects; i++)
		ok &= px__expect_resolve(j->exp->expects[i].expr, &j->plan, d) == 0;
	j->selected = px__plan_select(&j->plan, c->only);
	return ok;
}

/* Loads every experiment of every file into *jobs; false after errors. */
static bool load_jobs(const struct cli *c, struct registry *reg,
                      const struct topo *tp, struct job **jobs, size_t *n,
                      struct diag *d)
{
	struct load_ctx ctx = { reg, tp, d, c->max_trials, c->repetitions };
	struct calibration cal = { 0 };
	size_t cap = 0;
	bool ok = true;

	*jobs = NULL;
	*n = 0;
	if (c->calibration && px__calibration_load(c->calibration, d, &cal))
		return false;
	for (int f = 0; f < c->nfiles; f++) {
		struct experiment **exps;
		int k = px__experiment_load_all(&ctx, c->files[f], NULL, &exps);
		if (k < 0) {
			ok = false;
			continue;
		}
		px__grow(jobs, &cap, *n + (size_t)k, sizeof(**jobs));
		for (int i = 0; i < k; i++) {
			struct job *j = &(*jobs)[(*n)++];
			j->exp = exps[i];
			if (cal.params)
				ok &= px__calibration_apply(&cal, j->exp, d) == 0;
			ok &= prepare_job(c, tp, j, d);
		}
		free(exps);
	}
	px__calibration_free(&cal);
	if (ok && c->only) {
		size_t selected = 0;
		for (size_t i = 0; i < *n; i++)
			selected += (*jobs)[i].selected;
		if (selected == 0) {
			px__diag_plain(d, "--only '%s' matches no trial", c->only);
			ok = false;
		}
	}
	return ok;
}

static void print_pins(FILE *out, const struct trial *t)
{
	for (size_t w = 0; w < t->pins.n; w++) {
		char buf[256] = "any";
		if (t->pins.sets[w])
			hwloc_bitmap_list_snprintf(buf, sizeof(buf), t->pins.sets[w]);
		fprintf(out, "%sw%zu:%s", w ? " " : "", w, buf);
	}
}

static void print_plan(FILE *out, const struct job *j)
{
	const struct plan *p = &j->plan;
	const struct experiment *e = j->exp;

	fprintf(out, "experiment %s (%s): %zu trials x (%u warm-up + %u measured) runs, timeout %.3g s, seed %llu, pinning %s on %s (%d cores)\n",
	        e->name, e->path, p->n, e->warmup, p->repetitions,
	        (double)e->timeout_ns / 1e9, (unsigned long long)e->seed,
	        px__pinning_name(&e->pinning), p->topo->source, p->topo->cores);
	for (size_t i = 0; i < p->n; i++) {
		const struct trial *t = &p->trials[i];
		fprintf(out, "  %c trial %-3zu %-40s workers=%-4u pus: ",
		        t->selected ? ' ' : '-', i, t->label, t->workers);
		print_pins(out, t);
		fputc('\n', out);
	}
	for (size_t i = 0; i < e->n_expects; i++)
		fprintf(out, "  expect: %s\n", e->expects[i].text);
}

/* xorshift64*: a small seeded generator for the run order. */
static uint64_t next_rand(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545F4914F6CDD1DULL;
}

/* The selected trials in a shuffled order, one shuffle per round, so that
 * drift in the machine hits every trial of a comparison alike. */
static size_t round_order(const struct plan *p, uint64_t *rng, size_t *order)
{
	size_t n = 0;

	for (size_t i = 0; i < p->n; i++)
		if (p->trials[i].selected)
			order[n++] = i;
	for (size_t i = n; i > 1; i--) {
		size_t k = (size_t)(next_rand(rng) % i), tmp = order[i - 1];
		order[i - 1] = order[k];
		order[k] = tmp;
	}
	return n;
}

/* One progress report per run on stderr: on a terminal a line that
 * rewrites itself (failures stay), elsewhere a plain line each. */
static void progress(const struct cli *c, size_t k, size_t total,
                     const struct trial *t, bool warm,
                     const struct run_outcome *o, int64_t started)
{
	double elapsed = (double)(px__now_ns() - started) / 1e9;
	double eta = k ? elapsed / (double)k * (double)(total - k) : 0;
	bool tty = isatty(2);

	if (c->quiet)
		return;
	fprintf(stderr, "%sparlab: [%zu/%zu] %s workers=%u%s: ",
	        tty ? "\r\033[K" : "", k, total, t->label, t->workers,
	        warm ? " (warm-up)" : "");
	if (o->status == RUN_OK)
		fprintf(stderr, "%.4f s", o->values[COL_WALL]);
	else
		fprintf(stderr, "%s: %s", px__status_name(o->status), o->message);
	fprintf(stderr, "  (elapsed %.0f s, eta %.0f s)", elapsed, eta);
	if (!tty || o->status != RUN_OK || k == total)
		fputc('\n', stderr);
	fflush(stderr);
}

/* Stores a measured run in trials.csv and in the trial's measurements. */
static void keep_run(struct job *j, struct results *r, const struct trial *t,
                     const struct run_outcome *o)
{
	char *failure = NULL;

	if (o->status != RUN_OK)
		failure = px__xasprintf("%s: %s", px__status_name(o->status),
		                        o->message);
	if (r)
		px__results_add_run(r, &j->plan, t, j->meas.runs[t->index].n_done,
		                    o);
	px__measurements_add(&j->meas, t->index, o->values, failure);
	free(failure);
}

/* logs/ in the results directory holds the runs' logs; it stays only
 * when a run wrote something (an empty log is removed as its run ends). */
static void logs_dir(const char *dir, bool make)
{
	char *path = px__xasprintf("%s/logs", dir);

	if (make)
		mkdir(path, 0755);
	else
		rmdir(path);
	free(path);
}

/* Copies a run's log to stderr (--verbose), each line indented. */
static void echo_log(const char *path)
{
	FILE *f = fopen(path, "r");
	char line[1024];

	if (!f)
		return;
	fprintf(stderr, "parlab: log %s:\n", path);
	while (fgets(line, sizeof(line), f))
		fprintf(stderr, "  | %s%s", line,
		        strchr(line, '\n') ? "" : "\n");
	fclose(f);
}

/* The run's log: logs/<trial>-<run>.log in the results directory, warm-up
 * runs logs/<trial>-w<round>.log. */
static char *log_path(const struct results *r, const struct job *j,
                      const struct trial *t, bool warm, unsigned round)
{
	if (!r)
		return NULL;
	if (warm)
		return px__xasprintf("%s/logs/%zu-w%u.log", r->dir, t->index,
		                     round);
	return px__xasprintf("%s/logs/%zu-%u.log", r->dir, t->index,
	                     j->meas.runs[t->index].n_done);
}

static void execute_job(const struct cli *c, struct job *j, struct results *r)
{
	struct plan *p = &j->plan;
	const struct experiment *e = j->exp;
	unsigned rounds = e->warmup + p->repetitions;
	size_t *order = px__xcalloc(p->n + 1, sizeof(*order));
	size_t selected = px__plan_select(p, c->only), k = 0;
	uint64_t rng = e->seed * 0x9E3779B97F4A7C15ULL + 1;
	int64_t started = px__now_ns();

	px__measurements_init(&j->meas, p);
	if (r)
		logs_dir(r->dir, true);
	px__exec_set_verbose(c->verbose);
	for (unsigned round = 0; round < rounds; round++) {
		size_t n = round_order(p, &rng, order);
		for (size_t i = 0; i < n; i++) {
			const struct trial *t = &p->trials[order[i]];
			struct run_outcome o;
			bool warm = round < e->warmup;
			char *log = log_path(r, j, t, warm, round);
			px__exec_run_logged(p, t, e->timeout_ns, log, &o);
			if (c->verbose && log)
				echo_log(log);
			free(log);
			progress(c, ++k, (size_t)rounds * selected, t, warm, &o,
			         started);
			if (!warm)
				keep_run(j, r, t, &o);
			px__outcome_free(&o);
		}
	}
	if (r)
		logs_dir(r->dir, false);
	free(order);
}

/* v with 4 significant digits, trailing zeros kept ("1.600"), and no
 * trailing point from 1000 up ("5323"). */
static const char *digits4(double v, char buf[24])
{
	snprintf(buf, 24, fabs(v) >= 999.95 ? "%.0f" : "%#.4g", v);
	return buf;
}

/* One trial's row: the median wall time and its interval in a unit that
 * shows 4 digits, the interval's coverage, and the rest. */
static void print_row(FILE *out, const struct plan *p,
                      const struct measurements *m, size_t i)
{
	const struct trial *t = &p->trials[i];
	const struct trial_runs *runs = &m->runs[i];
	struct summary s;
	struct speedup sp;
	double k;
	const char *unit;
	char med[24], lo[24], hi[24];

	px__trial_speedup(p, m, i, &sp);
	px__trial_summary(m, i, COL_WALL, &s);
	unit = px__seconds_unit(s.median, &k);
	fprintf(out, "%-44.44s %7u %2u/%-2u %9s %-2s [%8s .. %8s] %4.0f%% %6.1f %8.3f %6.2f %8.2f%s%s%s\n",
	        t->label, t->workers, runs->n_done - runs->n_failed,
	        runs->n_done, digits4(s.median * k, med), unit,
	        digits4(s.ci_lo * k, lo), digits4(s.ci_hi * k, hi),
	        s.ci_level * 100, s.cv * 100, sp.v, sp.v / t->workers,
	        px__trial_median(m, i, COL_CPU_PER_WALL),
	        s.noisy ? "  noisy" : "",
	        s.outliers ? (s.outliers == 1 ? "  1 outlier" : "  outliers") : "",
	        runs->failure ? "  FAILED" : "");
}

/* Under the table, once per number of runs whose interval covers less
 * than 95%, a sentence that says so. */
static void print_coverage_notes(FILE *out, const struct plan *p,
                                 const struct measurements *m)
{
	size_t said[8] = { 0 }, nsaid = 0;

	for (size_t i = 0; i < p->n; i++) {
		struct summary s;
		char note[160];
		bool dup = false;
		if (!p->trials[i].selected)
			continue;
		px__trial_summary(m, i, COL_WALL, &s);
		for (size_t k = 0; k < nsaid; k++)
			dup |= said[k] == s.n;
		if (dup || !px__coverage_note(&s, note, sizeof(note)))
			continue;
		fprintf(out, "note: %s (cover: the interval's coverage)\n", note);
		if (nsaid < PX_ARRAY_LEN(said))
			said[nsaid++] = s.n;
	}
}

static void print_table(FILE *out, const struct job *j)
{
	const struct plan *p = &j->plan;
	const struct measurements *m = &j->meas;

	fprintf(out, "\n%s: %s\n", j->exp->name,
	        j->exp->description ? j->exp->description : "");
	fprintf(out, "%-44s %7s %5s %12s %22s %5s %6s %8s %6s %8s\n", "trial",
	        "workers", "runs", "median", "interval of median", "cover",
	        "cv%", "speedup", "eff", "cpu/wall");
	for (size_t i = 0; i < p->n; i++)
		if (p->trials[i].selected)
			print_row(out, p, m, i);
	print_coverage_notes(out, p, m);
	for (size_t i = 0; i < p->n; i++)
		if (m->runs[i].failure)
			fprintf(out, "  trial %zu (%s, workers=%u): %s\n", i,
			        p->trials[i].label, p->trials[i].workers,
			        m->runs[i].failure);
}

static void print_verdicts(FILE *out, const struct job *j)
{
	for (size_t i = 0; i < j->exp->n_expects; i++)
		px__verdict_print(out, j->exp->expects[i].text, &j->verdicts[i],
		                  true);
}

/* Writes every result file after the runs (each that fails is named on
 * stderr and the others are still written); returns how many failed,
 * trials.csv included. */
static unsigned write_results(const struct cli *c, struct job *j,
                              struct results *r, const char *started)
{
	char ended[40];

	px__iso_time(ended, sizeof(ended));
	px__results_summary(r, &j->plan, &j->meas, j->verdicts);
	px__results_meta(r, &j->plan, c->argc, c->argv, started, ended);
	px__results_verdicts(r, &j->plan, j->verdicts);
	px__results_exports(r, &j->plan, &j->meas, j->verdicts, started);
	if (!r->summary_csv) {
		fprintf(stderr, "parlab: error: no charts and no report.html in %s: they are drawn from summary.csv\n",
		        r->dir);
		return r->failed + 1;
	}
	return r->failed + (unsigned)(px__report_write(r->dir, NULL) != 0);
}

/* Runs one prepared job; returns its exit code. With --output-dir and
 * several experiments, each goes in DIR/<experiment>. */
static int run_job(struct cli *c, struct job *j, bool several)
{
	struct results r;
	char started[40];
	FILE *out = c->json ? stderr : stdout;
	int code = PX_EXIT_OK;
	char *exact = NULL;
	unsigned failed;
	int rc;

	if (c->out_exact)
		exact = several ? px__xasprintf("%s/%s", c->out_exact, j->exp->name)
		                : px__xstrdup(c->out_exact);
	px__iso_time(started, sizeof(started));
	rc = px__results_open(&r, &j->plan, exact ? exact : c->out_dir,
	                      exact != NULL);
	free(exact);
	if (rc != PX_RESULTS_OK) {
		px__results_close(&r);
		return rc == PX_RESULTS_NO_DIR ? PX_EXIT_USAGE : PX_EXIT_WRITE;
	}
	if (!c->quiet)
		fprintf(stderr, "parlab: %s: writing results to %s\n",
		        j->exp->name, r.dir);
	execute_job(c, j, &r);
	j->verdicts = px__xcalloc(j->exp->n_expects + 1, sizeof(*j->verdicts));
	for (size_t i = 0; i < j->exp->n_expects; i++) {
		px__expect_eval(j->exp->expects[i].expr, &j->plan, &j->meas,
		                &j->verdicts[i]);
		if (j->verdicts[i].verdict == VERDICT_FAIL)
			code = PX_EXIT_EXPECT;
	}
	for (size_t i = 0; i < j->plan.n; i++)
		if (j->meas.runs[i].n_failed)
			code = PX_EXIT_TRIAL;
	failed = write_results(c, j, &r, started);
	if (failed)
		code = PX_EXIT_WRITE;
	if (!c->quiet || !c->json) {
		print_table(out, j);
		print_verdicts(out, j);
		fprintf(out, "results: %s%s\n", r.dir,
		        failed ? " (incomplete: see the errors above)" : "");
	}
	px__results_close(&r);
	return code;
}

/* The --json document on stdout: one experiment's summary, or, when the
 * files hold several, a list of the summaries of those that ran. Each
 * separator comes before its item, so skipped experiments cannot leave a
 * stray comma; nothing is printed unless something ran. */
struct json_doc {
	bool list;
	size_t items;
};

static void json_item(struct json_doc *doc, const struct job *j)
{
	if (doc->list)
		fputs(doc->items ? ",\n" : "[\n", stdout);
	doc->items++;
	px__write_summary_json(stdout, &j->plan, &j->meas, j->verdicts);
}

static void json_end(const struct json_doc *doc)
{
	if (doc->list && doc->items)
		fputs("]\n", stdout);
	fflush(stdout);
}

/* Runs every job --only leaves something of; returns the worst exit code. */
static int run_jobs(struct cli *c, struct job *jobs, size_t n)
{
	struct json_doc doc = { .list = n > 1 };
	int code = PX_EXIT_OK;

	for (size_t i = 0; i < n; i++) {
		int rc;
		if (jobs[i].selected == 0) {
			if (!c->quiet)
				fprintf(stderr, "parlab: %s: no trial matches --only; skipped\n",
				        jobs[i].exp->name);
			continue;
		}
		rc = run_job(c, &jobs[i], n > 1);
		if (rc > code)
			code = rc;
		if (c->json && jobs[i].verdicts)
			json_item(&doc, &jobs[i]);
	}
	if (c->json)
		json_end(&doc);
	return code;
}

static void free_job(struct job *j)
{
	if (j->planned)
		px__plan_free(&j->plan);
	px__measurements_free(&j->meas);
	px__experiment_free(j->exp);
	free(j->verdicts);
}

int px__cmd_run(struct cli *c, bool validate_only)
{
	struct registry reg = { 0 };
	struct topo tp;
	struct diag d = { 0 };
	struct job *jobs;
	size_t n;
	int code = PX_EXIT_OK;

	if (c->nfiles == 0) {
		fprintf(stderr, "parlab: error: no experiment file given (see parlab %s --help)\n",
		        validate_only ? "validate" : "run");
		return PX_EXIT_USAGE;
	}
	if (c->topology && !c->dry_run && !validate_only) {
		fprintf(stderr, "parlab: error: --topology plans for another machine; add --dry-run\n");
		return PX_EXIT_USAGE;
	}
	if (c->json && c->dry_run) {
		fprintf(stderr, "parlab: error: --json with --dry-run: a dry run measures nothing to summarise\n");
		return PX_EXIT_USAGE;
	}
	if (px__cli_open_topo(c, &tp))
		return PX_EXIT_USAGE;
	if (px__cli_open_plugins(c, &reg)) {
		px__topo_close(&tp);
		return PX_EXIT_USAGE;
	}
	if (!load_jobs(c, &reg, &tp, &jobs, &n, &d))
		code = PX_EXIT_USAGE;
	/* A clash the experiment's names ran into is already among its
	 * errors; one found otherwise (a scan), or no plugin at all, is
	 * said here. */
	if ((code == PX_EXIT_OK || !reg.n_clashes) && px__cli_plugin_errors(&reg))
		code = PX_EXIT_USAGE;
	if (code == PX_EXIT_OK && validate_only && !c->quiet)
		for (size_t i = 0; i < n; i++)
			printf("%s: %s: ok (%zu trials, %zu expectations)\n",
			       jobs[i].exp->path, jobs[i].exp->name, jobs[i].plan.n,
			       jobs[i].exp->n_expects);
	if (code == PX_EXIT_OK && c->dry_run)
		for (size_t i = 0; i < n; i++)
			print_plan(stdout, &jobs[i]);
	if (code == PX_EXIT_OK && !validate_only && !c->dry_run)
		code = run_jobs(c, jobs, n);
	px__diag_flush(&d);
	if (code == PX_EXIT_USAGE && d.errors)
		fprintf(stderr, "parlab: %d error%s; nothing was run\n", d.errors,
		        d.errors == 1 ? "" : "s");
	for (size_t i = 0; i < n; i++)
		free_job(&jobs[i]);
	free(jobs);
	px__registry_close(&reg);
	px__topo_close(&tp);
	return code;
}
