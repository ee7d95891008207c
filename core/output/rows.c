/* rows.c: trials.csv (one row per measured run) and workers.csv (one row
 * per run, worker and metric, long format), each row appended with one
 * write and synced as its run ends. Values are numbers in base units:
 * parameters in ns and bytes, timestamps in UTC and epoch ns. */
#define _GNU_SOURCE
#include "output/results.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/afile.h"
#include "base/json.h"
#include "base/util.h"

/* A row of f could not be written whole: cuts the file back to its last
 * whole row (or removes it when even the header failed), names the
 * failure once and appends nothing more. */
static void row_failed(struct results *r, struct rowfile *f, int rc)
{
	char *path = px__xasprintf("%s/%s", r->dir, f->name);

	if (f->end == 0)
		unlink(path);
	else if (ftruncate(f->fd, f->end) != 0)
		fprintf(stderr, "parlab: error: cannot cut %s back to its last whole row: %s\n",
		        path, strerror(errno));
	if (f->end == 0)
		fprintf(stderr, "parlab: error: cannot write %s: %s\n", path,
		        strerror(-rc));
	else
		fprintf(stderr, "parlab: error: cannot write %s: %s (it keeps its first %zu rows; no more are written to it)\n",
		        path, strerror(-rc), f->rows);
	close(f->fd);
	f->fd = -1;
	r->failed++;
	free(path);
}

/* Appends the whole of row to f with one checked write and syncs it, so
 * that a crash or a power cut loses at most the row being written. On
 * failure f stays a parsable prefix of the run. */
static void append_row(struct results *r, struct rowfile *f, const char *row,
                       size_t len)
{
	int rc;

	if (f->fd < 0)
		return;
	rc = px__write_whole(f->fd, row, len);
	if (!rc && fsync(f->fd) != 0)
		rc = -errno;
	if (!rc) {
		f->end += (off_t)len;
		f->rows++;
		return;
	}
	row_failed(r, f, rc);
}

/* Creates f and writes its header as one row. */
static bool open_rows(struct results *r, struct rowfile *f, const char *head,
                      size_t len)
{
	char *path = px__xasprintf("%s/%s", r->dir, f->name);

	f->fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
	if (f->fd < 0) {
		fprintf(stderr, "parlab: error: cannot write %s: %s\n", path,
		        strerror(errno));
		free(path);
		r->failed++;
		return false;
	}
	free(path);
	append_row(r, f, head, len);
	f->rows = 0;  /* the header is no data row */
	return f->fd >= 0;
}

bool px__rows_open(struct results *r, const struct plan *plan)
{
	static const char wh[] = "trial,repetition,worker,metric,value\n";
	char *row = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&row, &len);
	bool ok;

	fputs("experiment,trial,label,strategy", f);
	px__param_header(f, &r->params, true);
	fputs(",workload", f);
	px__param_header(f, &r->params, false);
	fputs(",workers,pinning,repetition,started,started_ns,status,message", f);
	for (size_t c = 0; c < plan->ncols; c++)
		fprintf(f, ",%s", plan->cols[c].name);
	fputc('\n', f);
	fclose(f);
	ok = open_rows(r, &r->trials, row, len);
	free(row);
	if (ok)
		open_rows(r, &r->workers, wh, sizeof(wh) - 1);
	return ok;
}

/* One row of workers.csv into f, when v is a number. */
static void worker_row(FILE *f, size_t trial, unsigned rep, size_t w,
                       const char *metric, double v)
{
	if (isnan(v))
		return;
	fprintf(f, "%zu,%u,%zu,%s,", trial, rep, w, metric);
	px__csv_num(f, v);
	fputc('\n', f);
}

/* workers.csv's rows of one run: per worker its tasks, CPU and active
 * seconds, one `cpu` row per CPU it ran on, and each strategy counter. */
static void add_workers(struct results *r, const struct plan *plan,
                        const struct trial *t, unsigned rep,
                        const struct run_outcome *o)
{
	char *rows = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&rows, &len);

	for (size_t w = 0; o->w && w < o->workers; w++) {
		const struct worker_outcome *wo = &o->w[w];
		worker_row(f, t->index, rep, w, "tasks", (double)wo->tasks);
		worker_row(f, t->index, rep, w, "cpu_s", wo->cpu_s);
		worker_row(f, t->index, rep, w, "active_s", wo->active_s);
		for (int c = 0; c < PX_CPU_BITS; c++)
			if (wo->cpus[c / 64] & (1ull << (c % 64)))
				worker_row(f, t->index, rep, w, "cpu", c);
		for (size_t c = 0; o->per_worker && c < plan->ncols; c++)
			if (plan->cols[c].counter)
				worker_row(f, t->index, rep, w, plan->cols[c].name,
				           o->per_worker[w * plan->ncols + c]);
	}
	fclose(f);
	if (len)
		append_row(r, &r->workers, rows, len);
	free(rows);
}

void px__results_add_run(struct results *r, const struct plan *plan,
                         const struct trial *t, unsigned repetition,
                         const struct run_outcome *o)
{
	char *row = NULL, when[40];
	size_t len = 0;
	FILE *f;

	if (r->trials.fd < 0)
		return;
	f = open_memstream(&row, &len);
	px__csv_str(f, plan->exp->name);
	fprintf(f, ",%zu,", t->index);
	px__csv_str(f, t->label);
	fprintf(f, ",%s", t->strategy->desc->name);
	px__param_cells(f, &r->params, true, t);
	fprintf(f, ",%s", t->workload->desc->name);
	px__param_cells(f, &r->params, false, t);
	px__iso_utc_ms(o->started_ns, when, sizeof(when));
	fprintf(f, ",%u,%s,%u,%s,%lld,%s,", t->workers,
	        px__pinning_name(&plan->exp->pinning), repetition, when,
	        (long long)o->started_ns, px__status_name(o->status));
	px__csv_str(f, o->message);
	for (size_t c = 0; c < plan->ncols; c++) {
		fputc(',', f);
		px__csv_num(f, o->values[c]);
	}
	fputc('\n', f);
	fclose(f);
	append_row(r, &r->trials, row, len);
	free(row);
	add_workers(r, plan, t, repetition, o);
}
