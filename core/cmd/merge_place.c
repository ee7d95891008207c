/* merge_place.c: where each merged experiment directory goes in the
 * merged batch: left in place when it is under the output directory
 * already (a SLURM array's shared directory merged into itself), else
 * copied (files and folders) to OUT/<experiment>@<host>; and its matrix
 * column, the host, or "host (2)" for a second run of it on that host. */
#define _GNU_SOURCE
#include "cmd/merge.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/util.h"

/* Copies file a to b; 0 or a negative errno value. */
static int copy_file(const char *a, const char *b)
{
	char buf[65536];
	int in = open(a, O_RDONLY | O_CLOEXEC), out, rc = 0;
	ssize_t n;

	if (in < 0)
		return -errno;
	out = open(b, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
	if (out < 0) {
		rc = -errno;
		close(in);
		return rc;
	}
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, (size_t)n) != n) {
			rc = errno ? -errno : -EIO;
			break;
		}
	if (n < 0)
		rc = -errno;
	if (fsync(out) != 0 && !rc)
		rc = -errno;
	close(in);
	if (close(out) != 0 && !rc)
		rc = -errno;
	return rc;
}

/* Copies folder a into the new folder b, recursively. */
static int copy_tree(const char *a, const char *b)
{
	DIR *d = opendir(a);
	struct dirent *e;
	int rc = 0;

	if (!d)
		return -errno;
	if (mkdir(b, 0777) != 0) {
		rc = -errno;
		closedir(d);
		return rc;
	}
	while (!rc && (e = readdir(d)) != NULL) {
		char *pa, *pb;
		struct stat st;
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		pa = px__xasprintf("%s/%s", a, e->d_name);
		pb = px__xasprintf("%s/%s", b, e->d_name);
		if (stat(pa, &st) != 0)
			rc = -errno;
		else if (S_ISDIR(st.st_mode))
			rc = copy_tree(pa, pb);
		else if (S_ISREG(st.st_mode))
			rc = copy_file(pa, pb);
		free(pa);
		free(pb);
	}
	closedir(d);
	return rc;
}

/* e's column: its host, numbered when an earlier one has the same
 * experiment and host. */
static void set_column(struct merge_set *s, size_t i)
{
	struct merged_exp *e = &s->v[i];
	int k = 1;

	for (size_t j = 0; j < i; j++)
		k += strcmp(s->v[j].name, e->name) == 0 &&
		     strcmp(s->v[j].host, e->host) == 0;
	e->column = k == 1 ? px__xstrdup(e->host)
	                   : px__xasprintf("%s (%d)", e->host, k);
}

/* A fresh name for e's copy in out. */
static char *copy_name(const char *out, const struct merged_exp *e)
{
	char *rel = px__xasprintf("%s@%s", e->name, e->host);

	for (int k = 2;; k++) {
		char *path = px__xasprintf("%s/%s", out, rel);
		bool taken = access(path, F_OK) == 0;
		free(path);
		if (!taken)
			return rel;
		free(rel);
		rel = px__xasprintf("%s@%s-%d", e->name, e->host, k);
	}
}

unsigned px__merge_place(struct merge_set *s, const char *out)
{
	char out_real[PATH_MAX], real[PATH_MAX];
	unsigned failed = 0;
	size_t len;

	if (!realpath(out, out_real))
		snprintf(out_real, sizeof(out_real), "%s", out);
	len = strlen(out_real);
	for (size_t i = 0; i < s->n; i++) {
		struct merged_exp *e = &s->v[i];
		char *to;
		int rc;
		set_column(s, i);
		if (realpath(e->dir, real) && strncmp(real, out_real, len) == 0 &&
		    real[len] == '/') {
			e->rel_dir = px__xstrdup(real + len + 1);
			continue;
		}
		e->rel_dir = copy_name(out, e);
		to = px__xasprintf("%s/%s", out, e->rel_dir);
		rc = copy_tree(e->dir, to);
		if (rc) {
			fprintf(stderr, "parlab: error: cannot copy %s to %s: %s\n",
			        e->dir, to, strerror(-rc));
			failed++;
		}
		free(to);
	}
	return failed;
}
