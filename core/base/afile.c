/* afile.c: result files written under a temporary name, synced and
 * renamed into place, with every write checked (see afile.h). */
#define _GNU_SOURCE
#include "base/afile.h"

#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/util.h"

int px__write_whole(int fd, const void *data, size_t len)
{
	const char *p = data;

	while (len > 0) {
		ssize_t n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			return -EIO;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static bool muted;

void px__afile_mute(bool on)
{
	muted = on;
}

static void report(const struct px_afile *a)
{
	if (!muted)
		fprintf(stderr, "parlab: error: cannot write %s: %s\n", a->path,
	        strerror(-a->err));
}

/* The temporary name: ".NAME.tmp-PID-N" in the file's directory, so that
 * the rename stays within one file system and a leftover is easy to spot. */
static char *temp_name(const char *path, unsigned n)
{
	const char *slash = strrchr(path, '/');
	int dirlen = slash ? (int)(slash - path + 1) : 0;

	return px__xasprintf("%.*s.%s.tmp-%ld-%u", dirlen, path,
	                     path + dirlen, (long)getpid(), n);
}

int px__afile_open(struct px_afile *a, const char *path)
{
	static unsigned counter;

	memset(a, 0, sizeof(*a));
	a->path = px__xstrdup(path);
	a->fd = -1;
	a->f = open_memstream(&a->buf, &a->len);
	if (!a->f) {  /* only when memory runs out, as px__xmalloc's exit */
		fprintf(stderr, "parlab: out of memory writing %s\n", path);
		exit(2);
	}
	for (int tries = 0; tries < 100; tries++) {
		a->tmp = temp_name(path, counter++);
		a->fd = open(a->tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
		if (a->fd >= 0)
			return 0;
		a->err = -errno;
		free(a->tmp);
		a->tmp = NULL;
		if (a->err != -EEXIST)
			break;
	}
	report(a);
	return a->err;
}

/* Frees a's memory and closes what is still open. */
static void release(struct px_afile *a)
{
	if (a->f)
		fclose(a->f);
	if (a->fd >= 0)
		close(a->fd);
	if (a->tmp)
		unlink(a->tmp);
	free(a->buf);
	free(a->tmp);
	free(a->path);
	memset(a, 0, sizeof(*a));
	a->fd = -1;
}

int px__afile_commit(struct px_afile *a)
{
	int rc = a->err, fd = a->fd;
	bool bad = ferror(a->f) != 0;

	/* A memory stream fails only when memory runs out. */
	if ((fclose(a->f) != 0 || bad) && !rc)
		rc = -ENOMEM;
	a->f = NULL;
	if (!rc)
		rc = px__write_whole(fd, a->buf, a->len);
	if (!rc && fsync(fd) != 0)
		rc = -errno;
	a->fd = -1;
	if (fd >= 0 && close(fd) != 0 && !rc)
		rc = -errno;
	if (!rc && rename(a->tmp, a->path) != 0)
		rc = -errno;
	if (!rc) {
		free(a->tmp);
		a->tmp = NULL;
	} else if (!a->err) {
		a->err = rc;
		report(a);
	}
	release(a);
	return rc;
}

void px__afile_abort(struct px_afile *a)
{
	release(a);
}

int px__afile_write(const char *path, const void *data, size_t len)
{
	struct px_afile a;

	px__afile_open(&a, path);
	fwrite(data, 1, len, a.f);
	return px__afile_commit(&a);
}
