/* cmd_run.c: `parlab run` and `parlab validate`. Every file (a folder: its
 * *.yaml files) is checked before anything runs and every error reported;
 * a bad one runs nothing and exits 2, unless --keep-going leaves it out.
 * Several experiments make a batch (cmd/run_jobs.c); a signal stops the
 * runs, and what was measured is written, marked interrupted. */
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
#include "cmd/run.h"
#include "exec/stop.h"
#include "input/calibration.h"
#include "exec/trial_exec.h"
#include "measure/trial_stats.h"
#include "measure/verdict.h"
#include "output/report.h"
#include "output/results.h"
#include "plan/expect_resolve.h"
#include "plan/plan.h"

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

/* Keeps the experiments of one loaded file as jobs (with --resume only
 * the one it recorded); marks them bad when the file had errors or uses
 * a plugin whose calibration entries are wrong. True in that last case
 * (reported only for the first file that used the plugin). */
static bool add_jobs(const struct cli *c, const struct topo *tp,
                     struct calibration *cal, const struct input *in,
                     struct experiment **exps, int k, struct job **jobs,
                     size_t *n, size_t *cap, struct diag *d)
{
	int before = d->errors;
	bool bad_calibration = false;
	size_t first = *n;

	px__grow(jobs, cap, *n + (size_t)k, sizeof(**jobs));
	for (int i = 0; i < k; i++) {
		struct job *j;
		if (in->want && strcmp(exps[i]->name, in->want) != 0) {
			px__experiment_free(exps[i]);
			continue;
		}
		j = &(*jobs)[(*n)++];
		memset(j, 0, sizeof(*j));
		j->exp = exps[i];
		j->in = in;
		/* A bad entry is reported once, for the first experiment
		 * that uses its plugin; every such experiment is bad. */
		if (cal->params && px__calibration_apply(cal, j->exp, d))
			bad_calibration = true;
		prepare_job(c, tp, j, d);
	}
	for (size_t i = first; i < *n; i++)
		(*jobs)[i].bad = d->errors > before || bad_calibration;
	return bad_calibration;
}

/* Loads every experiment of every input into *jobs, with the parameters
 * of --calibration FILE; returns how many files had errors (each error
 * reported to d, each such file flagged in bad_input), or -1 when the
 * calibration file cannot be used. */
static int load_jobs(const struct cli *c, struct registry *reg,
                     const struct topo *tp, const struct inputs *ins,
                     struct job **jobs, size_t *n, struct diag *d,
                     bool *bad_input)
{
	struct load_ctx ctx = { reg, tp, d, c->max_trials, c->repetitions };
	struct calibration cal = { 0 };
	size_t cap = 0, selected = 0;
	int bad = 0;

	*jobs = NULL;
	*n = 0;
	if (c->calibration && px__calibration_load(c->calibration, d, &cal))
		return -1;
	for (size_t f = 0; f < ins->n; f++) {
		struct experiment **exps;
		int before = d->errors;
		int k = px__experiment_load_all(&ctx, ins->v[f].path, NULL, &exps);
		bool bad_calibration = false;
		if (k > 0) {
			bad_calibration = add_jobs(c, tp, &cal, &ins->v[f], exps,
			                           k, jobs, n, &cap, d);
			free(exps);
		}
		bad_input[f] = d->errors > before || k < 0 || bad_calibration;
		bad += bad_input[f];
	}
	px__calibration_free(&cal);
	for (size_t i = 0; i < *n; i++)
		selected += (*jobs)[i].bad ? 0 : (*jobs)[i].selected;
	if (c->only && selected == 0 && *n) {
		px__diag_plain(d, "--only '%s' matches no trial", c->only);
		bad++;
	}
	return bad;
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

/* v with 4 significant digits, trailing zeros kept ("1.600"), and no
 * trailing point from 1000 up ("5323"). */
static const char *digits4(double v, char buf[24])
{
	snprintf(buf, 24, fabs(v) >= 999.95 ? "%.0f" : "%#.4g", v);
	return buf;
}

/* The trial column's width: 44, or the longest label shown, whole (a
 * calibration's parameters make long ones). */
static int label_width(const struct plan *p)
{
	size_t longest = 0;

	for (size_t i = 0; i < p->n; i++)
		if (p->trials[i].selected && strlen(p->trials[i].label) > longest)
			longest = strlen(p->trials[i].label);
	return px__label_width(longest);
}

/* One trial's row: the median wall time and its interval in a unit that
 * shows 4 digits, the interval's coverage, and the rest. */
static void print_row(FILE *out, const struct plan *p,
                      const struct measurements *m, size_t i, int width)
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
	fprintf(out, "%-*.*s %7u %2u/%-2u %9s %-2s [%8s .. %8s] %4.0f%% %6.1f %8.3f %6.2f %8.2f%s%s%s\n",
	        width, width, t->label, t->workers, runs->n_done - runs->n_failed,
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
	int width = label_width(p);

	if (j->exp->description && j->exp->description[0])
		fprintf(out, "\n%s: %s\n", j->exp->name, j->exp->description);
	else
		fprintf(out, "\n%s\n", j->exp->name);
	fprintf(out, "%-*s %7s %5s %12s %22s %5s %6s %8s %6s %8s\n", width,
	        "trial", "workers", "runs", "median", "interval of median", "cover",
	        "cv%", "speedup", "eff", "cpu/wall");
	for (size_t i = 0; i < p->n; i++)
		if (p->trials[i].selected)
			print_row(out, p, m, i, width);
	print_coverage_notes(out, p, m);
	for (size_t i = 0; i < p->n; i++)
		if (m->runs[i].failure)
			fprintf(out, "  trial %zu (%s, workers=%u): %s\n", i,
			        p->trials[i].label, p->trials[i].workers,
			        m->runs[i].failure);
	/* Before the next experiment's progress lines on stderr. */
	fflush(out);
}

static void print_verdicts(FILE *out, const struct job *j)
{
	for (size_t i = 0; i < j->exp->n_expects; i++)
		px__verdict_print(out, j->exp->expects[i].text, &j->verdicts[i],
		                  true);
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

/* What a stop by signal sig prints; returns 128 + sig. */
static int stopped(const struct run_ctx *x, int sig)
{
	const char *dir = x->batch_dir;

	for (size_t i = 0; !dir && i < x->n; i++)
		if (x->jobs[i].opened)
			dir = x->jobs[i].r.dir;
	fprintf(stderr, "parlab: interrupted by SIG%s after %lu of %lu runs this session (warm-ups included); what was measured is written, marked interrupted\n"
	        "parlab: to go on: parlab run --resume %s\n",
	        sigabbrev_np(sig) ? sigabbrev_np(sig) : "?", x->done,
	        x->total, dir ? dir : "DIR");
	return 128 + sig;
}

/* Runs every job --only leaves something of, in one batch directory when
 * there are several; returns the worst exit code. */
static int run_jobs(struct run_ctx *x, bool several)
{
	struct json_doc doc = { .list = several };
	int code = PX_EXIT_OK;
	FILE *out = x->c->json ? stderr : stdout;

	if (several && !x->batch_dir && px__batch_open(x))
		return PX_EXIT_USAGE;
	if ((code = px__jobs_open(x)) == PX_EXIT_USAGE)
		return code;
	for (size_t i = 0; i < x->n; i++)
		x->total += x->jobs[i].opened ? px__run_left(&x->jobs[i]) : 0;
	x->began_ns = px__now_ns();
	px__batch_overview(x, "running");
	for (size_t i = 0; i < x->n && !px__stop_signal(); i++) {
		struct job *j = &x->jobs[i];
		int rc;
		if (!j->opened) {
			if (!j->bad && !j->unwritable && !x->c->quiet)
				fprintf(stderr, "parlab: %s: no trial matches --only; skipped\n",
				        j->exp->name);
			continue;
		}
		if (j->state != JOB_COMPLETE) {
			if (!x->c->quiet) {
				fprintf(stderr, "parlab: %s: writing results to %s\n",
				        j->exp->name, j->r.dir);
				px__machine_warn(stderr, &j->r.machine);
			}
			j->began_ns = px__now_ns();
			px__run_execute(x, j);
		}
		rc = px__job_finish(x, j);
		code = rc > code ? rc : code;
		if (!x->c->quiet || !x->c->json) {
			print_table(out, j);
			print_verdicts(out, j);
			fprintf(out, "results: %s%s\n", j->r.dir, j->write_failed
			        ? " (incomplete: see the errors above)" : "");
		}
		if (x->c->json)
			json_item(&doc, j);
		px__batch_overview(x, "running");
	}
	if (x->c->json)
		json_end(&doc);
	if (px__stop_signal()) {
		px__batch_overview(x, "interrupted");
		return stopped(x, px__stop_signal());
	}
	px__batch_overview(x, "complete");
	if (x->batch_dir && !x->c->quiet)
		fprintf(out, "batch: %s\n", x->batch_dir);
	return x->write_failed && code < PX_EXIT_WRITE ? PX_EXIT_WRITE : code;
}

static void free_job(struct job *j)
{
	if (j->planned)
		px__plan_free(&j->plan);
	if (j->opened)
		px__results_close(&j->r);
	px__measurements_free(&j->meas);
	px__experiment_free(j->exp);
	free(j->verdicts);
	free(j->rel_dir);
	free(j->est);
}

/* Names the files --keep-going leaves out, on stderr and in x for the
 * overview. */
static void left_out(const struct inputs *ins, const bool *bad_input,
                     struct run_ctx *x)
{
	x->left_out = px__xcalloc(ins->n + 1, sizeof(*x->left_out));
	for (size_t f = 0; f < ins->n; f++)
		if (bad_input[f]) {
			fprintf(stderr, "parlab: %s: left out (--keep-going): see its errors above\n",
			        ins->v[f].source);
			x->left_out[x->n_left_out++] = ins->v[f].source;
		}
}

/* Refuses what cannot go together; 0 or PX_EXIT_USAGE. */
static int check_options(const struct cli *c, bool validate_only)
{
	const char *why = NULL;

	if (c->nfiles == 0 && !c->resume)
		why = "no experiment file given (see parlab %s --help)";
	else if (c->resume && (c->nfiles || c->only || c->repetitions ||
	                       c->cpuset || c->plugin_path || c->max_trials ||
	                       c->calibration || c->out_exact || c->dry_run ||
	                       c->keep_going))
		why = "--resume DIR takes the files and the options shaping the plan from DIR (only --force, --quiet and --json go with it)";
	else if (c->force && !c->resume)
		why = "--force goes with --resume DIR only";
	else if (c->topology && !c->dry_run && !validate_only)
		why = "--topology plans for another machine; add --dry-run";
	else if (c->json && c->dry_run)
		why = "--json with --dry-run: a dry run measures nothing to summarise";
	if (!why)
		return 0;
	fprintf(stderr, "parlab: error: ");
	fprintf(stderr, why, validate_only ? "validate" : "run");
	fputc('\n', stderr);
	return PX_EXIT_USAGE;
}

int px__cmd_run(struct cli *c, bool validate_only)
{
	struct registry reg = { 0 };
	struct topo tp;
	struct diag d = { 0 };
	struct inputs ins;
	struct run_ctx x = { .c = c };
	bool *bad_input;
	int code = PX_EXIT_OK, bad;

	if ((code = check_options(c, validate_only)))
		return code;
	if (c->resume ? !px__inputs_resume(c, &ins) : !px__inputs_expand(c, &ins)) {
		px__inputs_free(&ins);
		return PX_EXIT_USAGE;
	}
	if (px__cli_open_topo(c, &tp)) {
		px__inputs_free(&ins);
		return PX_EXIT_USAGE;
	}
	if (px__cli_open_plugins(c, &reg)) {
		px__registry_close(&reg);
		px__topo_close(&tp);
		px__inputs_free(&ins);
		return PX_EXIT_USAGE;
	}
	bad_input = px__xcalloc(ins.n + 1, sizeof(*bad_input));
	bad = load_jobs(c, &reg, &tp, &ins, &x.jobs, &x.n, &d, bad_input);
	px__diag_flush(&d);
	if (bad < 0 ||
	    (bad && (!c->keep_going || validate_only || c->dry_run || !x.n)))
		code = PX_EXIT_USAGE;
	/* A clash the experiment's names ran into is already among its
	 * errors; one found otherwise (a scan), or no plugin at all, is
	 * said here. */
	if ((code == PX_EXIT_OK || !reg.n_clashes) && px__cli_plugin_errors(&reg))
		code = PX_EXIT_USAGE;
	if (code == PX_EXIT_OK && validate_only && !c->quiet)
		for (size_t i = 0; i < x.n; i++)
			printf("%s: %s: ok (%zu trials, %zu expectations)\n",
			       x.jobs[i].exp->path, x.jobs[i].exp->name,
			       x.jobs[i].plan.n, x.jobs[i].exp->n_expects);
	if (code == PX_EXIT_OK && c->dry_run)
		for (size_t i = 0; i < x.n; i++)
			print_plan(stdout, &x.jobs[i]);
	if (code == PX_EXIT_OK && !validate_only && !c->dry_run) {
		if (bad)
			left_out(&ins, bad_input, &x);
		x.batch_dir = ins.batch_dir ? px__xstrdup(ins.batch_dir) : NULL;
		px__stop_install();
		code = run_jobs(&x, ins.batch || x.n > 1);
		if (bad && code < PX_EXIT_USAGE)
			code = PX_EXIT_USAGE;
	}
	if (code == PX_EXIT_USAGE && d.errors && !x.began_ns)
		fprintf(stderr, "parlab: %d error%s; nothing was run\n", d.errors,
		        d.errors == 1 ? "" : "s");
	for (size_t i = 0; i < x.n; i++)
		free_job(&x.jobs[i]);
	free(x.jobs);
	free(x.batch_dir);
	free(x.left_out);
	free(bad_input);
	px__inputs_free(&ins);
	px__registry_close(&reg);
	px__topo_close(&tp);
	return code;
}
