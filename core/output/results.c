/* results.c: trials.csv, summary.csv, summary.json, meta.json,
 * topology.xml and verdicts, in a directory no later run overwrites. */
#define _GNU_SOURCE
#include "output/results.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "base/afile.h"
#include "base/json.h"
#include "base/util.h"
#include "output/export.h"
#include "output/identity.h"
#include "output/meta_machine.h"
#include "output/meta_plugins.h"

/* Makes a fresh directory: base/name-stamp, then -2, -3... */
static int make_dir(struct results *r, const char *base, const char *name,
                    bool exact)
{
	char stamp[32];
	time_t now = time(NULL);
	struct tm tm;
	int rc;

	if (exact) {
		char *parent = px__xstrdup(base), *slash = strrchr(parent, '/');
		if (slash && slash != parent) {
			*slash = '\0';
			px__mkdir_p(parent);
		}
		free(parent);
		if (mkdir(base, 0777) == 0) {
			r->dir = px__xstrdup(base);
			return 0;
		}
		rc = -errno;
		fprintf(stderr, rc == -EEXIST
		        ? "parlab: error: %s already exists; results are never overwritten\n"
		        : "parlab: error: cannot create %s: %s\n", base, strerror(-rc));
		return rc;
	}
	if ((rc = px__mkdir_p(base))) {
		fprintf(stderr, "parlab: error: cannot create %s: %s\n", base,
		        strerror(-rc));
		return rc;
	}
	localtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%d-%H%M%S", &tm);
	for (int k = 1; k < 1000; k++) {
		char *dir = k == 1 ? px__xasprintf("%s/%s-%s", base, name, stamp)
		                   : px__xasprintf("%s/%s-%s-%d", base, name, stamp, k);
		if (mkdir(dir, 0777) == 0) {
			r->dir = dir;
			return 0;
		}
		rc = -errno;
		free(dir);
		if (rc != -EEXIST)
			break;
	}
	fprintf(stderr, "parlab: error: cannot create a results directory in %s: %s\n",
	        base, strerror(-rc));
	return rc;
}

/* Starts dir/name as an atomic file (base/afile.h). */
static void start(const struct results *r, struct px_afile *a,
                  const char *name)
{
	char *path = px__xasprintf("%s/%s", r->dir, name);

	px__afile_open(a, path);
	free(path);
}

/* Puts a in place; a failure (already named on stderr) counts in r. */
static bool commit(struct results *r, struct px_afile *a)
{
	if (px__afile_commit(a) == 0)
		return true;
	r->failed++;
	return false;
}

int px__results_open(struct results *r, const struct plan *plan,
                     const char *base, bool exact)
{
	const struct experiment *e = plan->exp;

	memset(r, 0, sizeof(*r));
	px__rows_init(r);
	if (make_dir(r, base, e->name, exact))
		return PX_RESULTS_NO_DIR;
	px__param_columns(plan, &r->params);
	px__machine_conditions(&r->machine, plan->topo);
	return px__rows_open(r, plan, O_EXCL) ? PX_RESULTS_OK
	                                      : PX_RESULTS_NO_TRIALS;
}

/* The start of a summary.csv row: "i,label,strategy,s.*,workload,w.*,
 * workers,runs,failed". */
static void csv_row_head(FILE *f, const struct plan *plan,
                         const struct param_cols *pc,
                         const struct measurements *m, size_t i)
{
	const struct trial *t = &plan->trials[i];

	fprintf(f, "%zu,", i);
	px__csv_str(f, t->label);
	fprintf(f, ",%s", t->strategy->desc->name);
	px__param_cells(f, pc, true, t);
	fprintf(f, ",%s", t->workload->desc->name);
	px__param_cells(f, pc, false, t);
	fprintf(f, ",%u,%u,%u", t->workers, m->runs[i].n_done,
	        m->runs[i].n_failed);
}

/* Trial i's rows of summary.csv: one per measured column, then speedup
 * and efficiency when it has a baseline. */
static void csv_trial_rows(FILE *f, const struct plan *plan,
                           const struct param_cols *pc,
                           const struct measurements *m, size_t i)
{
	unsigned workers = plan->trials[i].workers;
	struct speedup sp;
	struct summary wall;

	for (size_t c = 0; c < plan->ncols; c++) {
		struct summary s;
		px__trial_summary(m, i, c, &s);
		if (s.n == 0)
			continue;
		csv_row_head(f, plan, pc, m, i);
		fprintf(f, ",%s,%s", plan->cols[c].name, plan->cols[c].unit);
		double vals[] = { s.median, s.mean, s.stddev, s.min, s.max,
		                  s.ci_lo, s.ci_hi, s.ci_level, s.cv };
		for (size_t k = 0; k < PX_ARRAY_LEN(vals); k++) {
			fputc(',', f);
			px__csv_num(f, vals[k]);
		}
		fprintf(f, ",%zu,%d\n", s.outliers, s.noisy);
	}
	px__trial_speedup(plan, m, i, &sp);
	if (isnan(sp.v))
		return;
	/* The speedup's interval is over the trial's interval of the median
	 * wall time, so it has that interval's coverage. */
	px__trial_summary(m, i, COL_WALL, &wall);
	csv_row_head(f, plan, pc, m, i);
	fprintf(f, ",speedup,x,%.6g,,,,,%.6g,%.6g,%.6g,,,\n", sp.v, sp.lo,
	        sp.hi, wall.ci_level);
	csv_row_head(f, plan, pc, m, i);
	fprintf(f, ",efficiency,ratio,%.6g,,,,,%.6g,%.6g,%.6g,,,\n",
	        sp.v / workers, sp.lo / workers, sp.hi / workers, wall.ci_level);
}

void px__results_summary(struct results *r, const struct plan *plan,
                         const struct measurements *m,
                         const struct verdict_result *verdicts)
{
	struct px_afile a;

	start(r, &a, "summary.csv");
	fputs("trial,label,strategy", a.f);
	px__param_header(a.f, &r->params, true);
	fputs(",workload", a.f);
	px__param_header(a.f, &r->params, false);
	fputs(",workers,runs,failed,column,unit,median,mean,stddev,min,max,ci_lo,ci_hi,ci_level,cv,outliers,noisy\n",
	      a.f);
	for (size_t i = 0; i < plan->n; i++)
		csv_trial_rows(a.f, plan, &r->params, m, i);
	r->summary_csv = commit(r, &a);
	start(r, &a, "summary.json");
	px__write_summary_json(a.f, plan, m, verdicts);
	commit(r, &a);
}

/* Opens a JSON object with the statistics of s; the caller closes it. */
static void json_summary_fields(FILE *f, const struct summary *s)
{
	fputs("{\"median\": ", f);
	px__json_num(f, s->median);
	fputs(", \"mean\": ", f);
	px__json_num(f, s->mean);
	fputs(", \"stddev\": ", f);
	px__json_num(f, s->stddev);
	fputs(", \"min\": ", f);
	px__json_num(f, s->min);
	fputs(", \"max\": ", f);
	px__json_num(f, s->max);
	fputs(", \"ci\": [", f);
	px__json_num(f, s->ci_lo);
	fputs(", ", f);
	px__json_num(f, s->ci_hi);
	fputs("], \"ci_level\": ", f);
	px__json_num(f, s->ci_level);
	fputs(", \"cv\": ", f);
	px__json_num(f, s->cv);
	fprintf(f, ", \"outliers\": %zu, \"noisy\": %s", s->outliers,
	        s->noisy ? "true" : "false");
}

/* The repetitions whose value of column c is an outlier, as a JSON list. */
static void json_outlier_runs(FILE *f, const struct measurements *m,
                              size_t i, size_t c)
{
	unsigned n = m->runs[i].n_done;
	bool *out = px__xcalloc(n + 1, sizeof(*out));
	bool first = true;

	px__trial_outliers(m, i, c, out);
	fputs(", \"outlier_runs\": [", f);
	for (size_t r = 0; r < n; r++) {
		if (!out[r])
			continue;
		fprintf(f, "%s%zu", first ? "" : ", ", r);
		first = false;
	}
	fputs("]", f);
	free(out);
}

static void json_trial(FILE *f, const struct plan *plan,
                       const struct measurements *m, size_t i)
{
	const struct trial *t = &plan->trials[i];
	const struct trial_runs *runs = &m->runs[i];
	struct speedup sp;
	bool first = true;

	fprintf(f, "    {\"trial\": %zu, \"label\": ", t->index);
	px__json_str(f, t->label);
	fputs(", \"strategy\": ", f);
	px__json_str(f, t->strategy->desc->name);
	fputs(", \"strategy_params\": ", f);
	px__param_json(f, t, true);
	fputs(", \"workload\": ", f);
	px__json_str(f, t->workload->desc->name);
	fputs(", \"workload_params\": ", f);
	px__param_json(f, t, false);
	fprintf(f, ", \"workers\": %u, \"runs\": %u, \"failed\": %u, \"selected\": %s",
	        t->workers, runs->n_done, runs->n_failed,
	        t->selected ? "true" : "false");
	if (runs->failure) {
		fputs(", \"failure\": ", f);
		px__json_str(f, runs->failure);
	}
	px__trial_speedup(plan, m, i, &sp);
	fputs(", \"speedup\": ", f);
	px__json_num(f, sp.v);
	fputs(", \"speedup_ci\": [", f);
	px__json_num(f, sp.lo);
	fputs(", ", f);
	px__json_num(f, sp.hi);
	fputs("], \"efficiency\": ", f);
	px__json_num(f, sp.v / t->workers);
	fputs(", \"metrics\": {", f);
	for (size_t c = 0; c < plan->ncols; c++) {
		struct summary s;
		px__trial_summary(m, i, c, &s);
		if (s.n == 0)
			continue;
		fprintf(f, "%s\n      ", first ? "" : ",");
		px__json_str(f, plan->cols[c].name);
		fputs(": ", f);
		json_summary_fields(f, &s);
		json_outlier_runs(f, m, i, c);
		fputs("}", f);
		first = false;
	}
	fputs("}}", f);
}

void px__write_summary_json(FILE *f, const struct plan *plan,
                            const struct measurements *m,
                            const struct verdict_result *verdicts)
{
	const struct experiment *e = plan->exp;

	fputs("{\n  \"experiment\": ", f);
	px__json_str(f, e->name);
	fputs(",\n  \"file\": ", f);
	px__json_str(f, e->path);
	fprintf(f, ",\n  \"cores\": %d,\n  \"repetitions\": %u,\n  \"baseline\": ",
	        plan->topo->cores, plan->repetitions);
	px__json_str(f, e->baseline);
	fprintf(f, ",\n  \"interrupted\": %s,\n  \"runs_planned\": %lu,\n  \"runs_done\": %lu",
	        m->interrupted ? "true" : "false", m->runs_planned,
	        px__measurements_done(m));
	fputs(",\n  \"trials\": [\n", f);
	for (size_t i = 0; i < plan->n; i++) {
		json_trial(f, plan, m, i);
		fputs(i + 1 < plan->n ? ",\n" : "\n", f);
	}
	fputs("  ],\n  \"verdicts\": [", f);
	for (size_t i = 0; verdicts && i < e->n_expects; i++) {
		const struct verdict_result *v = &verdicts[i];
		fputs(i ? ",\n    {\"expect\": " : "\n    {\"expect\": ", f);
		px__json_str(f, e->expects[i].text);
		fputs(", \"verdict\": ", f);
		px__json_str(f, v->verdict == VERDICT_PASS ? "pass"
		                : v->verdict == VERDICT_FAIL ? "fail" : "skipped");
		fprintf(f, ", \"inconclusive\": %s, \"lhs\": ",
		        v->inconclusive ? "true" : "false");
		px__json_num(f, v->lhs);
		fputs(", \"lhs_interval\": [", f);
		px__json_num(f, v->lhs_lo);
		fputs(", ", f);
		px__json_num(f, v->lhs_hi);
		fputs("], \"rhs\": ", f);
		px__json_num(f, v->rhs);
		fputs(", \"rhs_interval\": [", f);
		px__json_num(f, v->rhs_lo);
		fputs(", ", f);
		px__json_num(f, v->rhs_hi);
		fputs("]", f);
		fputs(", \"reason\": ", f);
		px__json_str(f, v->why);
		fputs("}", f);
	}
	fputs("]\n}\n", f);
}

/* The first "model name" line of /proc/cpuinfo. */
static char *cpu_model(void)
{
	char *info = px__read_file("/proc/cpuinfo"), *p, *end, *model;

	if (!info || !(p = strstr(info, "model name"))) {
		free(info);
		return px__xstrdup("unknown");
	}
	p = strchr(p, ':');
	p = p ? p + 2 : info;
	end = strchr(p, '\n');
	model = px__xasprintf("%.*s", end ? (int)(end - p) : (int)strlen(p), p);
	free(info);
	return model;
}

/* topology.xml: hwloc's export, gathered in memory and written as every
 * other result file is. */
static void write_topology(struct results *r, const struct plan *plan)
{
	char *xml = NULL;
	int len = 0;
	struct px_afile a;

	start(r, &a, "topology.xml");
	if (hwloc_topology_export_xmlbuffer(plan->topo->t, &xml, &len, 0) < 0) {
		fprintf(stderr, "parlab: error: cannot write %s: hwloc could not export the topology\n",
		        a.path);
		px__afile_abort(&a);
		r->failed++;
		return;
	}
	fwrite(xml, 1, len > 0 ? (size_t)len - 1 : 0, a.f);  /* less the NUL */
	hwloc_free_xmlbuffer(plan->topo->t, xml);
	commit(r, &a);
}

/* meta.json's record of the run's state and of what `run --resume`
 * needs: the options that shape the plan, and what it compares. */
static void meta_record(FILE *f, const struct plan *plan,
                        const struct measurements *m,
                        const struct run_record *rec)
{
	fputs(",\n  \"experiment\": ", f);
	px__json_str(f, plan->exp->name);
	fputs(",\n  \"experiment_sha256\": ", f);
	px__json_str(f, rec->source_sha256);
	fputs(",\n  \"experiment_copy\": \"experiment.yaml\",\n  \"parlab_sha256\": ", f);
	px__json_str(f, px__build_sha256());
	fputs(",\n  ", f);
	px__meta_plugins(f, plan);
	fputs(",\n  \"state\": ", f);
	px__json_str(f, rec->state);
	fprintf(f, ",\n  \"interrupted\": %s,\n  \"runs_planned\": %lu,\n  \"runs_done\": %lu,\n  \"wall_s\": ",
	        strcmp(rec->state, "interrupted") == 0 ? "true" : "false",
	        m->runs_planned, px__measurements_done(m));
	px__json_num(f, rec->wall_s);
	fputs(",\n  \"resume\": {\"only\": ", f);
	px__json_str(f, rec->only);
	fputs(", \"cpuset\": ", f);
	px__json_str(f, rec->cpuset);
	fputs(", \"plugin_path\": ", f);
	px__json_str(f, rec->plugin_path);
	fputs(", \"calibration\": ", f);
	px__json_str(f, rec->calibration);
	fprintf(f, ", \"repetitions\": %u, \"max_trials\": %u}",
	        rec->repetitions, rec->max_trials);
}

void px__results_meta(struct results *r, const struct plan *plan,
                      const struct measurements *m,
                      const struct run_record *rec)
{
	int argc = rec->argc;
	char **argv = rec->argv;
	char host[256] = "unknown", *model = cpu_model();
	struct utsname u;
	struct px_afile a;
	FILE *f;

	gethostname(host, sizeof(host) - 1);
	uname(&u);
	px__afile_mute(r->meta_named);
	start(r, &a, "meta.json");
	f = a.f;
	fputs("{\n  \"host\": ", f);
	px__json_str(f, host);
	fputs(",\n  \"cpu_model\": ", f);
	px__json_str(f, model);
	fprintf(f, ",\n  \"cores\": %d,\n  \"pus\": %d,\n  \"packages\": %d,\n  \"online_cpus\": %ld,\n  \"kernel\": ",
	        plan->topo->cores, plan->topo->pus, plan->topo->packages,
	        sysconf(_SC_NPROCESSORS_ONLN));
	px__json_str(f, u.release);
	fputs(",\n  \"machine\": ", f);
	px__json_str(f, u.machine);
	fputs(",\n  \"compiler\": ", f);
	px__json_str(f, "gcc-compatible " __VERSION__);
	fputs(",\n  \"parlab_version\": ", f);
	px__json_str(f, PARLAB_VERSION);
	fputs(",\n  \"git_revision\": ", f);
	px__json_str(f, PARLAB_GIT_REVISION);
	fprintf(f, ",\n  \"abi\": \"%d.%d\",\n  \"command_line\": [",
	        PX_ABI_MAJOR, PX_ABI_MINOR);
	for (int i = 0; i < argc; i++) {
		fputs(i ? ", " : "", f);
		px__json_str(f, argv[i]);
	}
	fputs("],\n  \"experiment_file\": ", f);
	px__json_str(f, rec->source);
	meta_record(f, plan, m, rec);
	fputs(",\n  ", f);
	px__meta_machine(f, &r->machine);  /* ends with ",\n  " */
	fputs("\"started\": ", f);
	px__json_str(f, rec->started);
	fputs(",\n  \"ended\": ", f);
	px__json_str(f, rec->ended);
	fprintf(f, ",\n  \"seed\": %llu\n}\n",
	        (unsigned long long)plan->exp->seed);
	if (!commit(r, &a)) {
		/* named once: a later write of it counts, silently */
		r->failed -= r->meta_named;
		r->meta_named = true;
	}
	px__afile_mute(false);
	free(model);
	if (!r->topology_written)
		write_topology(r, plan);
	r->topology_written = true;
}

void px__results_verdicts(struct results *r, const struct plan *plan,
                          const struct verdict_result *v)
{
	struct px_afile a;

	if (!plan->exp->n_expects)
		return;
	start(r, &a, "verdicts");
	for (size_t i = 0; i < plan->exp->n_expects; i++)
		px__verdict_print(a.f, plan->exp->expects[i].text, &v[i], false);
	commit(r, &a);
}

void px__results_exports(struct results *r, const struct plan *plan,
                         const struct measurements *m,
                         const struct verdict_result *v, const char *date)
{
	struct px_afile a;

	start(r, &a, "summary.md");
	px__export_markdown(a.f, plan, m, v);
	commit(r, &a);
	start(r, &a, "gbench.json");
	px__export_gbench(a.f, plan, m, date);
	commit(r, &a);
}

void px__results_close(struct results *r)
{
	if (r->trials.fd >= 0)
		close(r->trials.fd);
	if (r->workers.fd >= 0)
		close(r->workers.fd);
	px__param_columns_free(&r->params);
	px__machine_free(&r->machine);
	free(r->dir);
	memset(r, 0, sizeof(*r));
}
