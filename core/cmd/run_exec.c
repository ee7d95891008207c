/* run_exec.c: the runs of one experiment in the order its seed gives,
 * skipping those a resumed directory already holds, with one progress
 * line for the whole batch and an ETA learnt from the runs measured. */
#define _GNU_SOURCE
#include "cmd/run.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/util.h"
#include "exec/stop.h"
#include "exec/trial_exec.h"

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

/* Measured runs trial i still needs. */
static unsigned runs_left(const struct job *j, size_t i)
{
	return j->plan.repetitions - j->meas.runs[i].n_done;
}

unsigned long px__run_left(const struct job *j)
{
	unsigned long n = 0;

	for (size_t i = 0; i < j->plan.n; i++)
		if (j->plan.trials[i].selected && runs_left(j, i))
			n += runs_left(j, i) + j->exp->warmup;
	return n;
}

/* Seconds the runs left will take: per trial the median wall time of its
 * measured runs times the runs it has left; a trial with none measured
 * yet counts the mean of the measured trials' medians (of the whole
 * batch); nothing measured yet: the elapsed time per run so far. */
static double eta(const struct run_ctx *x, double elapsed)
{
	double known = 0, sum = 0;
	unsigned long unknown_runs = 0, n_known = 0;

	for (size_t k = 0; k < x->n; k++) {
		const struct job *j = &x->jobs[k];
		for (size_t i = 0; j->est && i < j->plan.n; i++) {
			unsigned left;
			if (!j->plan.trials[i].selected)
				continue;
			left = runs_left(j, i);
			if (left && j->state == JOB_PENDING)
				left += j->exp->warmup;
			if (!isnan(j->est[i])) {
				known += j->est[i] * left;
				sum += j->est[i];
				n_known++;
			} else {
				unknown_runs += left;
			}
		}
	}
	if (n_known)
		return known + sum / (double)n_known * (double)unknown_runs;
	return x->done ? elapsed / (double)x->done * (double)(x->total - x->done)
	               : 0;
}

/* One progress report per run on stderr: on a terminal a line that
 * rewrites itself (failures stay), elsewhere a plain line each. */
static void progress(const struct run_ctx *x, const struct job *j,
                     const struct trial *t, bool warm,
                     const struct run_outcome *o)
{
	double elapsed = (double)(px__now_ns() - x->began_ns) / 1e9;
	bool tty = isatty(2);

	if (x->c->quiet)
		return;
	fprintf(stderr, "%sparlab: [%lu/%lu] %s: %s workers=%u%s: ",
	        tty ? "\r\033[K" : "", x->done, x->total, j->exp->name,
	        t->label, t->workers, warm ? " (warm-up)" : "");
	if (o->status == RUN_OK)
		fprintf(stderr, "%.4f s", o->values[COL_WALL]);
	else
		fprintf(stderr, "%s: %s", px__status_name(o->status), o->message);
	fprintf(stderr, "  (elapsed %.0f s, eta %.0f s)", elapsed,
	        eta(x, elapsed));
	if (!tty || o->status != RUN_OK || x->done == x->total)
		fputc('\n', stderr);
	fflush(stderr);
}

/* Stores a measured run in trials.csv and in the trial's measurements. */
static void keep_run(struct job *j, const struct trial *t,
                     const struct run_outcome *o)
{
	char *failure = NULL;

	if (o->status != RUN_OK)
		failure = px__xasprintf("%s: %s", px__status_name(o->status),
		                        o->message);
	if (j->opened)
		px__results_add_run(&j->r, &j->plan, t,
		                    j->meas.runs[t->index].n_done, o);
	px__measurements_add(&j->meas, t->index, o->values, failure);
	j->est[t->index] = px__trial_median(&j->meas, t->index, COL_WALL);
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
 * runs logs/<trial>-w<round>.log; none without a results directory. */
static char *log_path(const struct job *j, const struct trial *t, bool warm,
                      unsigned round)
{
	if (!j->opened)
		return NULL;
	if (warm)
		return px__xasprintf("%s/logs/%zu-w%u.log", j->r.dir, t->index,
		                     round);
	return px__xasprintf("%s/logs/%zu-%u.log", j->r.dir, t->index,
	                     j->meas.runs[t->index].n_done);
}

/* Runs trial t once (unless a stop came); false when stopped. */
static bool one_run(struct run_ctx *x, struct job *j, const struct trial *t,
                    bool warm, unsigned round)
{
	struct run_outcome o;
	char *log;
	int rc;

	if (px__stop_signal()) {
		j->meas.interrupted = true;
		return false;
	}
	log = log_path(j, t, warm, round);
	rc = px__exec_run_logged(&j->plan, t, j->exp->timeout_ns, log, &o);
	if (x->c->verbose && log)
		echo_log(log);
	free(log);
	if (rc == -EINTR) {
		/* killed and reaped: it measured nothing */
		px__outcome_free(&o);
		j->meas.interrupted = true;
		return false;
	}
	x->done++;
	if (!warm)
		keep_run(j, t, &o);
	progress(x, j, t, warm, &o);
	px__outcome_free(&o);
	return true;
}

void px__run_execute(struct run_ctx *x, struct job *j)
{
	struct plan *p = &j->plan;
	const struct experiment *e = j->exp;
	unsigned rounds = e->warmup + p->repetitions;
	size_t *order = px__xcalloc(p->n + 1, sizeof(*order));
	uint64_t rng = e->seed * 0x9E3779B97F4A7C15ULL + 1;
	bool go = true;

	j->state = JOB_RUNNING;
	if (j->opened)
		logs_dir(j->r.dir, true);
	px__exec_set_verbose(x->c->verbose);
	for (unsigned round = 0; round < rounds && go; round++) {
		size_t n = round_order(p, &rng, order);
		for (size_t i = 0; i < n && go; i++) {
			const struct trial *t = &p->trials[order[i]];
			bool warm = round < e->warmup;
			unsigned rep = warm ? 0 : round - e->warmup;
			/* Recorded runs are not repeated; a warm-up only
			 * precedes a trial that still has runs to measure. */
			if (warm ? runs_left(j, t->index) == 0
			         : rep < j->meas.runs[t->index].n_done)
				continue;
			go = one_run(x, j, t, warm, round);
		}
	}
	if (j->opened)
		logs_dir(j->r.dir, false);
	free(order);
}
