/* trace_file.h: the file a preloaded recorder (tools/gil_trace.c,
 * tools/sem_race.c) writes its records into: PREFIX.<pid>, LEN bytes,
 * sparse, mapped shared, so that what was recorded is on disk however the
 * process ends (_exit, a signal). Included by each recorder, which stands
 * alone as a library. */
#ifndef PARLAB_TRACE_FILE_H
#define PARLAB_TRACE_FILE_H

#include <fcntl.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

/* The mapping of a fresh PREFIX.<pid> of len bytes, or NULL (no prefix,
 * a name too long, a file that cannot be made or mapped). */
static void *map_trace_file(const char *prefix, size_t len)
{
	char name[4096];
	void *p = NULL;
	int fd;

	if (!prefix || !*prefix ||
	    snprintf(name, sizeof(name), "%s.%d", prefix, (int)getpid()) >=
	    (int)sizeof(name))
		return NULL;
	fd = open(name, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return NULL;
	if (ftruncate(fd, (off_t)len) == 0) {
		p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
		if (p == MAP_FAILED)
			p = NULL;
	}
	syscall(SYS_close, fd);   /* not a recorder's close wrapper */
	return p;
}

#endif
