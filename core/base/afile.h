/* afile.h: the one way parlab writes a result file: whole or not at all.
 * The text is gathered in memory, written to a temporary name in the
 * file's own directory with one checked write, synced, and renamed into
 * place, so that a reader (or a power cut) sees the old state or the
 * whole new file, never a file cut short. Every failure names the file
 * and its cause on stderr once. */
#ifndef PX_AFILE_H
#define PX_AFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct px_afile {
	FILE *f;        /* write the contents here (a memory stream) */
	char *path;     /* the name the file gets when committed */
	char *tmp;      /* the temporary name it is written under */
	char *buf;      /* f's memory */
	size_t len;
	int fd;         /* the temporary file, -1 when it could not be made */
	int err;        /* the first failure (a negative errno value), or 0 */
};

/* Starts path: creates its temporary file beside it. Always gives a
 * usable a->f, so that a writer need not branch: when the file cannot be
 * created, the error is printed now, what is written goes nowhere, and
 * commit returns it. Returns 0 or a negative errno value. */
int px__afile_open(struct px_afile *a, const char *path);

/* Writes what a->f holds to the temporary file, syncs it and renames it
 * to a->path. On failure prints "cannot write PATH: CAUSE" (unless open
 * already did), removes the temporary file and leaves an older file of
 * that name as it was. Frees a. Returns 0 or a negative errno value. */
int px__afile_commit(struct px_afile *a);

/* Drops the file: removes the temporary file, frees a. */
void px__afile_abort(struct px_afile *a);

/* While on, failures are not printed (still returned): for a file written
 * again whose failure was already named once. */
void px__afile_mute(bool on);

/* path, holding the len bytes at data, through open and commit. */
int px__afile_write(const char *path, const void *data, size_t len);

/* Writes all len bytes to fd, going on after short writes; 0 or a
 * negative errno value (what was written before the failure stays). */
int px__write_whole(int fd, const void *data, size_t len);

#endif
