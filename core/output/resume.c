/* resume.c: a results directory taken up again by `run --resume`: its
 * trials.csv read back into the measurements (a partial last row, left by
 * a power cut, cut off) and reopened for appending; and the experiment
 * file kept beside the results. */
#define _GNU_SOURCE
#include "output/results.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/afile.h"
#include "base/csv.h"
#include "base/sha256.h"
#include "base/util.h"

int px__results_keep_source(struct results *r, const char *src,
                            char hex[65])
{
	char *text = px__read_file(src), *path;
	uint8_t d[32];
	int rc;

	if (!text) {
		fprintf(stderr, "parlab: error: cannot read %s to keep it with the results: %s\n",
		        src, strerror(errno));
		r->failed++;
		return -EIO;
	}
	path = px__xasprintf("%s/experiment.yaml", r->dir);
	rc = px__afile_write(path, text, strlen(text));
	if (rc)
		r->failed++;
	px__sha256(text, strlen(text), d);
	for (int i = 0; i < 32; i++)
		snprintf(hex + 2 * i, 3, "%02x", d[i]);
	free(path);
	free(text);
	return rc;
}

/* Cuts path after its last newline (a row a power cut left partial);
 * returns the length kept, or -1 when the file cannot be opened. */
static off_t cut_partial_row(const char *path)
{
	char *text = px__read_file(path), *nl;
	off_t keep;

	if (!text)
		return -1;
	nl = strrchr(text, '\n');
	keep = nl ? (off_t)(nl - text + 1) : 0;
	if ((size_t)keep != strlen(text) && truncate(path, keep) != 0)
		keep = -1;
	free(text);
	return keep;
}

/* Adds one row of trials.csv to m; false when it does not fit the plan
 * (another trial, or not the trial's next repetition). */
static bool add_row(const struct plan *plan, struct measurements *m,
                    const struct csv *c, char **row, const int *col_of)
{
	int ti = px__csv_column(c, "trial"), re = px__csv_column(c, "repetition");
	int st = px__csv_column(c, "status"), me = px__csv_column(c, "message");
	char *end;
	unsigned long t = strtoul(row[ti], &end, 10);
	double *v = px__xcalloc(plan->ncols + 1, sizeof(*v));
	char *failure = NULL;

	if (*end || t >= plan->n || !plan->trials[t].selected ||
	    strtoul(row[re], NULL, 10) != m->runs[t].n_done ||
	    m->runs[t].n_done >= plan->repetitions) {
		free(v);
		return false;
	}
	for (size_t k = 0; k < plan->ncols; k++)
		v[k] = row[col_of[k]][0] ? strtod(row[col_of[k]], NULL) : NAN;
	if (strcmp(row[st], "ok") != 0)
		failure = px__xasprintf("%s: %s", row[st], row[me]);
	px__measurements_add(m, t, v, failure);
	free(failure);
	free(v);
	return true;
}

/* Reads the rows of path into m; 0 or -EINVAL after saying why. */
static int read_rows(const char *path, const struct plan *plan,
                     struct measurements *m)
{
	struct csv c;
	int *col_of = px__xcalloc(plan->ncols + 1, sizeof(*col_of));
	int rc = px__csv_read(path, &c);

	for (size_t k = 0; rc == 0 && k < plan->ncols; k++)
		col_of[k] = px__csv_column(&c, plan->cols[k].name);
	for (size_t i = 0; rc == 0 && i < c.nrows; i++)
		if (!add_row(plan, m, &c, c.rows[i], col_of)) {
			fprintf(stderr, "parlab: error: %s: row %zu does not belong to the planned runs (another trial, or a repetition out of order)\n",
			        path, i + 2);
			rc = -EINVAL;
		}
	if (rc == 0)
		m->runs_done_at_start = c.nrows;
	else if (rc != -EINVAL)
		fprintf(stderr, "parlab: error: cannot read %s: %s\n", path,
		        strerror(-rc));
	px__csv_free(&c);
	free(col_of);
	return rc ? -EINVAL : 0;
}

/* True when path starts with exactly the header the plan writes. */
static bool header_matches(const struct results *r, const struct plan *plan,
                           const char *path)
{
	size_t len;
	char *want = px__results_header(r, plan, &len), *text = px__read_file(path);
	bool ok = text && strncmp(text, want, len) == 0;

	if (!ok)
		fprintf(stderr, "parlab: error: %s: its header is not the one this experiment writes\n",
		        path);
	free(want);
	free(text);
	return ok;
}

int px__results_resume(struct results *r, const struct plan *plan,
                       const char *dir, struct measurements *m)
{
	char *path = px__xasprintf("%s/trials.csv", dir);
	off_t keep;
	int rc = 0;

	memset(r, 0, sizeof(*r));
	r->trials_fd = -1;
	r->dir = px__xstrdup(dir);
	px__results_columns(r, plan);
	keep = cut_partial_row(path);
	if (keep <= 0) {
		/* no trials.csv, or not even a whole header: start it again */
		rc = px__results_start_trials(r, plan, O_TRUNC) ? 0 : -EIO;
	} else if (!header_matches(r, plan, path) ||
	           read_rows(path, plan, m) != 0) {
		rc = -EINVAL;
	} else {
		r->trials_fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC);
		r->trials_end = keep;
		r->rows = m->runs_done_at_start;
		if (r->trials_fd < 0) {
			fprintf(stderr, "parlab: error: cannot write %s: %s\n",
			        path, strerror(errno));
			rc = -EIO;
		}
	}
	free(path);
	return rc;
}
