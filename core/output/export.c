/* export.c: Markdown and Google Benchmark JSON from a run's results. */
#include "output/export.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/json.h"
#include "base/units.h"
#include "base/util.h"

/* The wall and CPU seconds of a trial's measured runs, NaN for failed. */
static void times_of(const struct measurements *m, const struct trial_runs *t,
                     double *wall, double *cpu)
{
	for (size_t r = 0; r < t->n_done; r++) {
		wall[r] = t->values[r * m->ncols + COL_WALL];
		cpu[r] = t->values[r * m->ncols + COL_CPU];
	}
}

/* Below the table, each distinct shortfall of coverage in words. */
static void markdown_notes(FILE *f, const struct plan *plan,
                           const struct measurements *m)
{
	char last[160] = "", note[160];

	for (size_t i = 0; i < plan->n; i++) {
		struct summary s;
		if (!plan->trials[i].selected)
			continue;
		px__trial_summary(m, i, COL_WALL, &s);
		if (px__coverage_note(&s, note, sizeof(note)) && strcmp(note, last)) {
			fprintf(f, "%sNote: %s.\n", last[0] ? "" : "\n", note);
			snprintf(last, sizeof(last), "%s", note);
		}
	}
}

void px__export_markdown(FILE *f, const struct plan *plan,
                         const struct measurements *m,
                         const struct verdict_result *verdicts)
{
	const struct experiment *e = plan->exp;

	fprintf(f, "### %s\n\n", e->name);
	if (e->description)
		fprintf(f, "%s\n\n", e->description);
	fputs("| trial | workers | runs | median | interval of the median | coverage | cv | speedup | efficiency | flags |\n"
	      "|---|---|---|---|---|---|---|---|---|---|\n", f);
	for (size_t i = 0; i < plan->n; i++) {
		const struct trial *t = &plan->trials[i];
		const struct trial_runs *runs = &m->runs[i];
		struct speedup sp;
		struct summary s;
		double k;
		const char *unit;

		if (!t->selected)
			continue;
		px__trial_speedup(plan, m, i, &sp);
		px__trial_summary(m, i, COL_WALL, &s);
		unit = px__seconds_unit(s.median, &k);
		fprintf(f, "| %s | %u | %u/%u | %#.4g %s | %#.4g .. %#.4g %s | %.4g%% | %.1f%% | %.3g | %.3g | %s%s%s |\n",
		        t->label, t->workers, runs->n_done - runs->n_failed,
		        runs->n_done, s.median * k, unit, s.ci_lo * k,
		        s.ci_hi * k, unit, s.ci_level * 100, s.cv * 100,
		        sp.v, sp.v / t->workers,
		        s.noisy ? "noisy " : "", s.outliers ? "outliers " : "",
		        runs->failure ? "FAILED" : "");
	}
	markdown_notes(f, plan, m);
	if (e->n_expects)
		fputs("\n| verdict | expectation | measured |\n|---|---|---|\n", f);
	for (size_t i = 0; verdicts && i < e->n_expects; i++) {
		char text[256];
		px__verdict_text(&verdicts[i], text, sizeof(text));
		fprintf(f, "| %s | `%s` | %.4g vs %.4g%s%s |\n", text,
		        e->expects[i].text, verdicts[i].lhs, verdicts[i].rhs,
		        verdicts[i].why[0] ? ": " : "", verdicts[i].why);
	}
}

static void gbench_row(FILE *f, bool *first, const char *name, size_t family,
                       const struct trial *t, unsigned runs, const char *type,
                       const char *aggregate, long rep, double wall,
                       double cpu)
{
	char *full = aggregate ? px__xasprintf("%s_%s", name, aggregate)
	                       : px__xstrdup(name);

	fputs(*first ? "\n    {" : ",\n    {", f);
	*first = false;
	fputs("\"name\": ", f);
	px__json_str(f, full);
	free(full);
	fputs(", \"run_name\": ", f);
	px__json_str(f, name);
	fprintf(f, ", \"family_index\": %zu, \"per_family_instance_index\": 0, \"run_type\": \"%s\", \"repetitions\": %u",
	        family, type, runs);
	if (rep >= 0)
		fprintf(f, ", \"repetition_index\": %ld", rep);
	if (aggregate)
		fprintf(f, ", \"aggregate_name\": \"%s\"", aggregate);
	fprintf(f, ", \"threads\": %u, \"iterations\": 1, \"real_time\": ", t->workers);
	px__json_num(f, wall * 1e9);
	fputs(", \"cpu_time\": ", f);
	px__json_num(f, cpu * 1e9);
	fputs(", \"time_unit\": \"ns\"}", f);
}

void px__export_gbench(FILE *f, const struct plan *plan,
                       const struct measurements *m, const char *date)
{
	char host[256] = "unknown";
	bool first = true;

	gethostname(host, sizeof(host) - 1);
	fputs("{\n  \"context\": {\"date\": ", f);
	px__json_str(f, date);
	fputs(", \"host_name\": ", f);
	px__json_str(f, host);
	fprintf(f, ", \"executable\": \"parlab\", \"num_cpus\": %d, \"mhz_per_cpu\": 0, \"cpu_scaling_enabled\": false, \"library_build_type\": \"release\", \"caches\": []},\n  \"benchmarks\": [",
	        plan->topo->cores);
	for (size_t i = 0; i < plan->n; i++) {
		const struct trial *t = &plan->trials[i];
		const struct trial_runs *runs = &m->runs[i];
		unsigned n = runs->n_done;
		double *wall = px__xcalloc(n + 1, sizeof(double));
		double *cpu = px__xcalloc(n + 1, sizeof(double));
		char *name = px__xasprintf("%s/%s/workers:%u", plan->exp->name,
		                           t->label, t->workers);
		struct summary sw, sc;

		times_of(m, runs, wall, cpu);
		for (size_t r = 0; r < n; r++)
			if (!isnan(wall[r]))
				gbench_row(f, &first, name, i, t, n, "iteration",
				           NULL, (long)r, wall[r], cpu[r]);
		px__trial_summary(m, i, COL_WALL, &sw);
		px__trial_summary(m, i, COL_CPU, &sc);
		if (sw.n) {
			gbench_row(f, &first, name, i, t, n, "aggregate", "mean",
			           -1, sw.mean, sc.mean);
			gbench_row(f, &first, name, i, t, n, "aggregate",
			           "median", -1, sw.median, sc.median);
			gbench_row(f, &first, name, i, t, n, "aggregate",
			           "stddev", -1, sw.stddev, sc.stddev);
		}
		free(name);
		free(wall);
		free(cpu);
	}
	fputs("\n  ]\n}\n", f);
}
