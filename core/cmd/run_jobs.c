/* run_jobs.c: the jobs of one `parlab run` from their results directory
 * to their verdicts: a fresh directory (a batch's, or one of its own) or
 * the one a resumed run recorded, checked for changes; the result files
 * written as the experiment ends or is interrupted; the batch overview. */
#define _GNU_SOURCE
#include "cmd/run.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/json.h"
#include "base/sha256.h"
#include "base/util.h"
#include "output/batch.h"
#include "output/identity.h"
#include "output/report.h"

const char *px__job_state_name(enum job_state s)
{
	static const char *const names[] = { "pending", "running",
	                                     "interrupted", "complete" };
	return names[s];
}

/* The wall seconds of j over every session so far. */
static double job_wall(const struct job *j)
{
	if (!j->began_ns)
		return j->wall_before;
	return j->wall_before + (double)(px__now_ns() - j->began_ns) / 1e9;
}

/* meta.json in j's current state. */
static void write_meta(struct run_ctx *x, struct job *j, const char *ended)
{
	const struct cli *c = x->c;
	struct run_record rec = {
		.state = px__job_state_name(j->state),
		.started = j->started, .ended = ended, .wall_s = job_wall(j),
		.argc = c->argc, .argv = c->argv, .source = j->in->source,
		.source_sha256 = j->sha, .only = c->only, .cpuset = c->cpuset,
		.plugin_path = c->plugin_path, .calibration = c->calibration,
		.repetitions = c->repetitions,
		.max_trials = c->max_trials,
	};

	j->wall_s = rec.wall_s;  /* the overview shows the same */
	px__results_meta(&j->r, &j->plan, &j->meas, &rec);
}

/* A fresh results directory for j: its own, or dir inside the batch. */
static int open_fresh(struct run_ctx *x, struct job *j)
{
	const struct cli *c = x->c;
	char *exact = NULL;
	int rc;

	if (x->batch_dir) {
		exact = px__xasprintf("%s/%s", x->batch_dir, j->exp->name);
		for (int k = 2; access(exact, F_OK) == 0; k++) {
			free(exact);
			exact = px__xasprintf("%s/%s-%d", x->batch_dir,
			                      j->exp->name, k);
		}
	} else if (c->out_exact) {
		exact = px__xstrdup(c->out_exact);
	}
	rc = px__results_open(&j->r, &j->plan, exact ? exact : c->out_dir,
	                      exact != NULL);
	free(exact);
	if (rc == PX_RESULTS_NO_DIR)
		return PX_EXIT_USAGE;
	if (rc != PX_RESULTS_OK) {
		/* no trials.csv: nothing measured could be kept, so nothing
		 * of this experiment runs */
		px__results_close(&j->r);
		j->unwritable = true;
		return PX_EXIT_WRITE;
	}
	j->opened = true;
	if (x->batch_dir)
		j->rel_dir = px__xstrdup(strrchr(j->r.dir, '/') + 1);
	px__iso_time(j->started, sizeof(j->started));
	px__results_keep_source(&j->r, j->in->path, j->sha);
	write_meta(x, j, NULL);
	return PX_EXIT_OK;
}

/* Whether the experiment file recorded in j's meta.json is still what
 * was kept; prints what changed. */
static int source_changed(const struct job *j)
{
	char hex[65], *was = px__json_find_str(j->in->meta, "experiment_sha256");
	int rc = px__sha256_file(j->in->source, hex, NULL);
	int changed = rc != 0 || !was || strcmp(was, hex) != 0;

	if (rc)
		fprintf(stderr, "parlab: error: %s: the experiment file %s is gone: %s\n",
		        j->in->dir, j->in->source, strerror(-rc));
	else if (changed)
		fprintf(stderr, "parlab: error: %s: the experiment file %s changed: sha256 recorded %s, now %s\n",
		        j->in->dir, j->in->source, was ? was : "(nothing)", hex);
	free(was);
	return changed;
}

/* Takes up j's recorded directory again; returns the number of changes
 * found (each printed) or -1 when the directory cannot go on. */
static int open_recorded(struct job *j)
{
	const char *meta = j->in->meta;
	char *state = px__json_find_str(meta, "state"), *started;
	int changes = source_changed(j) +
	              px__identity_compare(meta, j->in->dir, &j->plan);

	j->state = !state ? JOB_INTERRUPTED
	           : strcmp(state, "complete") == 0 ? JOB_COMPLETE
	           : strcmp(state, "pending") == 0 ? JOB_PENDING : JOB_INTERRUPTED;
	free(state);
	started = px__json_find_str(meta, "started");
	snprintf(j->started, sizeof(j->started), "%s", started ? started : "");
	free(started);
	j->wall_before = px__json_find_num(meta, "wall_s", 0);
	if (isnan(j->wall_before))
		j->wall_before = 0;
	j->wall_s = j->wall_before;
	if (px__results_resume(&j->r, &j->plan, j->in->dir, &j->meas) != 0) {
		px__results_close(&j->r);
		return -1;
	}
	j->opened = true;
	j->rel_dir = px__xstrdup(strrchr(j->in->dir, '/') ?
	                         strrchr(j->in->dir, '/') + 1 : j->in->dir);
	state = px__json_find_str(meta, "experiment_sha256");
	snprintf(j->sha, sizeof(j->sha), "%s", state ? state : "");
	free(state);
	return changes;
}

int px__jobs_open(struct run_ctx *x)
{
	int code = PX_EXIT_OK, changes = 0;

	for (size_t i = 0; i < x->n; i++) {
		struct job *j = &x->jobs[i];
		int rc;
		if (j->bad || !j->selected)
			continue;
		j->est = px__xcalloc(j->plan.n + 1, sizeof(double));
		px__measurements_init(&j->meas, &j->plan);
		if (!j->in->dir) {
			rc = open_fresh(x, j);
			code = rc > code ? rc : code;
			if (rc == PX_EXIT_USAGE)
				return rc;
		} else if ((rc = open_recorded(j)) < 0) {
			return PX_EXIT_USAGE;
		} else {
			changes += rc;
			/* trials.csv is the truth: a "complete" one short of
			 * runs (cut by hand) goes on too */
			if (j->state == JOB_COMPLETE && px__run_left(j))
				j->state = JOB_INTERRUPTED;
		}
		for (size_t t = 0; t < j->plan.n; t++)
			j->est[t] = px__trial_median(&j->meas, t, COL_WALL);
	}
	if (changes && !x->c->force) {
		fprintf(stderr, "parlab: error: not resumed: %d change%s since the run started (see above); --force goes on with the experiment as kept in experiment.yaml\n",
		        changes, changes == 1 ? "" : "s");
		return PX_EXIT_USAGE;
	}
	return code;
}

/* Evaluates j's expectations over what was measured; returns the exit
 * code they and its runs give. */
static int judge(struct job *j)
{
	int code = PX_EXIT_OK;

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
	return code;
}

unsigned px__job_write(struct run_ctx *x, struct job *j)
{
	struct results *r = &j->r;
	char ended[40];

	px__iso_time(ended, sizeof(ended));
	px__results_summary(r, &j->plan, &j->meas, j->verdicts);
	write_meta(x, j, ended);
	px__results_verdicts(r, &j->plan, j->verdicts);
	px__results_exports(r, &j->plan, &j->meas, j->verdicts, j->started);
	if (!r->summary_csv) {
		fprintf(stderr, "parlab: error: no charts and no report.html in %s: they are drawn from summary.csv\n",
		        r->dir);
		return r->failed + 1;
	}
	return r->failed + (unsigned)(px__report_write(r->dir, NULL) != 0);
}

int px__job_finish(struct run_ctx *x, struct job *j)
{
	bool was_complete = j->state == JOB_COMPLETE;
	unsigned failed = 0;

	j->code = judge(j);
	if (was_complete)
		return j->code;
	j->state = j->meas.interrupted ? JOB_INTERRUPTED : JOB_COMPLETE;
	failed = px__job_write(x, j);
	if (failed)
		j->code = PX_EXIT_WRITE;
	j->write_failed = failed != 0;
	return j->code;
}

/* j's row of the overview. */
static void overview_row(const struct job *j, struct batch_row *b)
{
	memset(b, 0, sizeof(*b));
	b->name = j->exp->name;
	b->description = j->exp->description;
	b->source = j->in->source;
	b->results_dir = j->rel_dir;
	b->state = px__job_state_name(j->state);
	/* what its meta.json says, not the clock now: a job ended earlier
	 * in this session would count the later ones too */
	b->wall_s = j->state == JOB_PENDING ? NAN : j->wall_s;
	b->runs_planned = j->meas.runs_planned;
	b->runs_done = px__measurements_done(&j->meas);
	for (size_t i = 0; i < j->plan.n; i++)
		b->failed_runs += j->meas.runs[i].n_failed;
	for (size_t i = 0; j->verdicts && i < j->exp->n_expects; i++) {
		const struct verdict_result *v = &j->verdicts[i];
		if (v->verdict == VERDICT_SKIP)
			b->skipped++;
		else if (v->inconclusive)
			b->inconclusive++;
		else if (v->verdict == VERDICT_PASS)
			b->pass++;
		else
			b->fail++;
	}
}

void px__batch_overview(struct run_ctx *x, const char *state)
{
	struct batch_row *rows = px__xcalloc(x->n + 1, sizeof(*rows));
	size_t n = 0;

	if (!x->batch_dir) {
		free(rows);
		return;
	}
	for (size_t i = 0; i < x->n; i++)
		if (x->jobs[i].opened)
			overview_row(&x->jobs[i], &rows[n++]);
	x->write_failed |= px__batch_write_full(x->batch_dir, rows, n, state,
	                                        NULL, x->left_out,
	                                        x->n_left_out) != 0;
	free(rows);
}

int px__batch_open(struct run_ctx *x)
{
	const struct cli *c = x->c;
	char stamp[32];
	time_t now = time(NULL);
	struct tm tm;
	int rc;

	if (c->out_exact) {
		if (mkdir(c->out_exact, 0777) == 0) {
			x->batch_dir = px__xstrdup(c->out_exact);
			return 0;
		}
		rc = errno;
		fprintf(stderr, rc == EEXIST
		        ? "parlab: error: %s already exists; results are never overwritten\n"
		        : "parlab: error: cannot create %s: %s\n", c->out_exact,
		        strerror(rc));
		return PX_EXIT_USAGE;
	}
	px__mkdir_p(c->out_dir);
	localtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%d-%H%M%S", &tm);
	for (int k = 1; k < 1000; k++) {
		char *dir = k == 1 ? px__xasprintf("%s/batch-%s", c->out_dir, stamp)
		                   : px__xasprintf("%s/batch-%s-%d", c->out_dir, stamp, k);
		if (mkdir(dir, 0777) == 0) {
			x->batch_dir = dir;
			return 0;
		}
		rc = errno;
		free(dir);
		if (rc != EEXIST)
			break;
	}
	fprintf(stderr, "parlab: error: cannot create a batch directory in %s: %s\n",
	        c->out_dir, strerror(rc));
	return PX_EXIT_USAGE;
}
