/* resume.c: a results directory taken up again by `run --resume`: its
 * trials.csv read back into the measurements, workers.csv cut back to the
 * runs trials.csv records (a partial last row, left by a power cut, cut
 * off both), both reopened for appending; and the experiment file kept
 * beside the results. */
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
	struct px_sha256 s;
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
	px__sha256_init(&s);
	px__sha256_update(&s, text, strlen(text));
	px__sha256_hex(&s, hex);
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

/* True when path starts with exactly the header want. */
static bool header_matches(const char *want, const char *path)
{
	char *text = px__read_file(path);
	bool ok = text && strncmp(text, want, strlen(want)) == 0;

	if (!ok)
		fprintf(stderr, "parlab: error: %s: its header is not the one this experiment writes\n",
		        path);
	free(text);
	return ok;
}

/* Where workers.csv's rows of the runs trials.csv records (as m counts
 * them) end: at the first row of another run, which a stop between a
 * run's workers and its trials.csv row left; -1 after saying why when a
 * recorded run's row follows it. */
static off_t workers_end(const char *path, const char *text,
                         const struct plan *plan,
                         const struct measurements *m)
{
	const char *line = strchr(text, '\n') + 1;  /* after the header */
	off_t cut = -1;
	size_t no = 2;

	for (; *line; line = strchr(line, '\n') + 1, no++) {
		char *end;
		unsigned long t = strtoul(line, &end, 10);
		unsigned long rep = *end == ',' ? strtoul(end + 1, &end, 10) : 0;
		bool known = *end == ',' && t < plan->n && rep < m->runs[t].n_done;
		if (!known && cut < 0)
			cut = line - text;
		if (known && cut >= 0) {
			fprintf(stderr, "parlab: error: %s: row %zu is of a recorded run but follows a run trials.csv does not record\n",
			        path, no);
			return -1;
		}
	}
	return cut < 0 ? (off_t)strlen(text) : cut;
}

/* Reopens workers.csv after the rows of the runs m holds (recreated
 * when not even its header is there); 0, or -EINVAL after saying why it
 * does not fit trials.csv. */
static int resume_workers(struct results *r, const struct plan *plan,
                          const struct measurements *m)
{
	char *path = px__xasprintf("%s/workers.csv", r->dir), *text;
	off_t keep = cut_partial_row(path);
	int rc = 0;

	if (keep <= 0) {
		/* its failure, named and counted, fails no run (as at start) */
		free(path);
		px__rows_start(r, &r->workers, px__workers_header,
		               strlen(px__workers_header), O_TRUNC);
		return 0;
	}
	if (!header_matches(px__workers_header, path)) {
		free(path);
		return -EINVAL;
	}
	text = px__read_file(path);
	keep = text ? workers_end(path, text, plan, m) : -1;
	if (keep < 0 || truncate(path, keep) != 0)
		rc = -EINVAL;
	else if ((r->workers.fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC)) < 0) {
		fprintf(stderr, "parlab: error: cannot write %s: %s\n", path,
		        strerror(errno));
		r->failed++;
	}
	r->workers.end = keep;
	for (off_t i = 0; rc == 0 && i < keep; i++)
		r->workers.rows += text[i] == '\n';
	r->workers.rows -= r->workers.rows > 0;  /* less the header */
	free(text);
	free(path);
	return rc;
}

int px__results_resume(struct results *r, const struct plan *plan,
                       const char *dir, struct measurements *m)
{
	char *path = px__xasprintf("%s/trials.csv", dir), *want;
	size_t len;
	off_t keep;
	int rc = 0;

	memset(r, 0, sizeof(*r));
	px__rows_init(r);
	r->dir = px__xstrdup(dir);
	px__param_columns(plan, &r->params);
	/* The machine as this session finds it: meta.json tells the
	 * conditions of the session that wrote it last. */
	px__machine_conditions(&r->machine, plan->topo);
	want = px__results_header(r, plan, &len);
	keep = cut_partial_row(path);
	if (keep <= 0) {
		/* no trials.csv, or not even a whole header: start both again */
		rc = px__rows_open(r, plan, O_TRUNC) ? 0 : -EIO;
	} else if (!header_matches(want, path) ||
	           read_rows(path, plan, m) != 0) {
		rc = -EINVAL;
	} else {
		r->trials.fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC);
		r->trials.end = keep;
		r->trials.rows = m->runs_done_at_start;
		if (r->trials.fd < 0) {
			fprintf(stderr, "parlab: error: cannot write %s: %s\n",
			        path, strerror(errno));
			rc = -EIO;
		}
		if (rc == 0)
			rc = resume_workers(r, plan, m);
	}
	free(want);
	free(path);
	return rc;
}
