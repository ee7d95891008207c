/* gil_trace.c: per-thread timelines of the calls a GIL is made of, for
 * any process, CPython or parlab alike: LD_PRELOAD this library and set
 * PARLAB_GIL_TRACE=PREFIX, and every process writes PREFIX.<pid>, a list
 * of fixed records (struct gil_event) that tools/gil_trace.py reads.
 *
 * Recorded: condition signals and waits (CPython 3's GIL and parlab's mode
 * new are a mutex, a condition and a switch condition), semaphore waits
 * and posts (Python 2's lock and parlab's mode legacy), read/recv and
 * write/send (the IO a GIL is given away for) and close (so that reads of a reused
 * descriptor number are told apart). Mutex calls are left out: they are
 * many and say little that the waits around them do not.
 *
 * With PARLAB_GIL_TRACE_ONLY=sem_post only semaphore posts are recorded,
 * each at its call and at its return (how long the post took: a post
 * that wakes a waiter makes a futex call of about a microsecond, with
 * the semaphore already free). That is for a semaphore lock's wake-up
 * race, decided by tens of nanoseconds: Python 2 takes its lock back with
 * sem_wait, parlab's mode legacy with sem_trywait first, so recording the
 * takes would lengthen one side's path from release to take and not the
 * other's. In that mode a thread's slot is written through when it is
 * claimed: the first record on a fresh page of the file faults it in, a
 * microsecond or more inside the release being measured.
 *
 * Each thread owns a slot of the file, claimed at its first event, so
 * recording takes no lock: a clock read and four stores, about 50 ns. The
 * file is a shared mapping: what was recorded is on disk even when the
 * process ends with _exit or is killed. A forked child starts its own
 * file. Past SLOT_EVENTS events a thread records no more. A file is sparse:
 * 192 MiB long (SLOTS x SLOT_EVENTS records), a few hundred KiB on disk
 * (3 MiB for each thread that posted, with PARLAB_GIL_TRACE_ONLY). */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "trace_file.h"

/* The record, as tools/gil_trace.py unpacks it ("<qiiQ", 24 bytes). */
struct gil_event {
	int64_t ns;            /* CLOCK_MONOTONIC */
	int32_t tid;
	int32_t type;          /* enum gil_event_type */
	uint64_t arg;          /* an address, a descriptor or a return code */
};

enum gil_event_type {
	EV_SIGNAL = 1,         /* pthread_cond_signal/broadcast(cond) */
	EV_TIMEDWAIT_IN,       /* pthread_cond_timedwait(cond) begins */
	EV_TIMEDWAIT_OUT,      /* ... returns rc (ETIMEDOUT: timed out) */
	EV_WAIT_IN,            /* pthread_cond_wait(cond) */
	EV_WAIT_OUT,
	EV_SEM_WAIT_IN,        /* sem_wait/sem_timedwait/sem_clockwait(sem) */
	EV_SEM_WAIT_OUT,       /* ... returns rc (0 or -1) */
	EV_SEM_POST,           /* sem_post(sem) */
	EV_READ_IN,            /* read/recv(fd) */
	EV_READ_OUT,           /* ... returns the byte count */
	EV_CLOSE,              /* close(fd): a later read of that number is
	                          another file's */
	EV_WRITE_IN,           /* write/send(fd) */
	EV_WRITE_OUT,          /* ... returns the byte count */
	EV_SEM_POST_OUT,       /* sem_post returns rc */
};

enum { SLOTS = 64, SLOT_EVENTS = 1 << 17 };

static struct gil_event *events;   /* SLOTS slots of SLOT_EVENTS */
static int slots_used;
static __thread struct gil_event *slot;
static __thread int slot_used;
static __thread int slot_tid;
static int (*real_clock_gettime)(clockid_t, struct timespec *);
static int only_posts;             /* PARLAB_GIL_TRACE_ONLY=sem_post */

#define REAL(ret, name, ...)                                              \
	static ret (*real_##name)(__VA_ARGS__);                           \
	if (!real_##name)                                                 \
		real_##name = (ret (*)(__VA_ARGS__))dlsym(RTLD_NEXT, #name)

static void open_trace(void)
{
	slots_used = 0;
	slot = NULL;
	events = map_trace_file(getenv("PARLAB_GIL_TRACE"),
	                        sizeof(struct gil_event) * (size_t)SLOTS *
	                        SLOT_EVENTS);
}

/* The child's events go to a file of its own: the parent's mapping is
 * shared, and the child's threads would claim the parent's slots. */
static void after_fork_in_child(void)
{
	if (events)
		munmap(events, sizeof(struct gil_event) * (size_t)SLOTS *
		               SLOT_EVENTS);
	open_trace();
}

__attribute__((constructor)) static void gil_trace_init(void)
{
	const char *only = getenv("PARLAB_GIL_TRACE_ONLY");

	real_clock_gettime = (int (*)(clockid_t, struct timespec *))
	                     dlsym(RTLD_NEXT, "clock_gettime");
	only_posts = only && strcmp(only, "sem_post") == 0;
	open_trace();
	pthread_atfork(NULL, NULL, after_fork_in_child);
}

static void record(int type, uint64_t arg)
{
	struct timespec ts;

	if (!events || !real_clock_gettime)
		return;
	if (only_posts && type != EV_SEM_POST && type != EV_SEM_POST_OUT)
		return;
	if (!slot) {
		int s = __atomic_fetch_add(&slots_used, 1, __ATOMIC_RELAXED);
		if (s >= SLOTS)
			return;
		slot = events + (size_t)s * SLOT_EVENTS;
		slot_used = 0;
		slot_tid = (int)syscall(SYS_gettid);
		if (only_posts)
			memset(slot, 0, sizeof(*slot) * SLOT_EVENTS);
	}
	if (slot_used >= SLOT_EVENTS)
		return;
	real_clock_gettime(CLOCK_MONOTONIC, &ts);
	slot[slot_used].ns = (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
	slot[slot_used].tid = slot_tid;
	slot[slot_used].type = type;
	slot[slot_used].arg = arg;
	slot_used++;
}

int pthread_cond_signal(pthread_cond_t *c)
{
	REAL(int, pthread_cond_signal, pthread_cond_t *);
	record(EV_SIGNAL, (uintptr_t)c);
	return real_pthread_cond_signal(c);
}

int pthread_cond_broadcast(pthread_cond_t *c)
{
	REAL(int, pthread_cond_broadcast, pthread_cond_t *);
	record(EV_SIGNAL, (uintptr_t)c);
	return real_pthread_cond_broadcast(c);
}

int pthread_cond_timedwait(pthread_cond_t *c, pthread_mutex_t *m,
                           const struct timespec *at)
{
	REAL(int, pthread_cond_timedwait, pthread_cond_t *, pthread_mutex_t *,
	     const struct timespec *);
	record(EV_TIMEDWAIT_IN, (uintptr_t)c);
	int rc = real_pthread_cond_timedwait(c, m, at);
	record(EV_TIMEDWAIT_OUT, (uint64_t)rc);
	return rc;
}

int pthread_cond_wait(pthread_cond_t *c, pthread_mutex_t *m)
{
	REAL(int, pthread_cond_wait, pthread_cond_t *, pthread_mutex_t *);
	record(EV_WAIT_IN, (uintptr_t)c);
	int rc = real_pthread_cond_wait(c, m);
	record(EV_WAIT_OUT, (uintptr_t)c);
	return rc;
}

int sem_wait(sem_t *s)
{
	REAL(int, sem_wait, sem_t *);
	record(EV_SEM_WAIT_IN, (uintptr_t)s);
	int rc = real_sem_wait(s);
	record(EV_SEM_WAIT_OUT, (uint64_t)rc);
	return rc;
}

int sem_timedwait(sem_t *s, const struct timespec *at)
{
	REAL(int, sem_timedwait, sem_t *, const struct timespec *);
	record(EV_SEM_WAIT_IN, (uintptr_t)s);
	int rc = real_sem_timedwait(s, at);
	record(EV_SEM_WAIT_OUT, (uint64_t)rc);
	return rc;
}

/* glibc 2.30 and later; Python 3.10+ times its lock waits with it. */
int sem_clockwait(sem_t *s, clockid_t clock, const struct timespec *at)
{
	REAL(int, sem_clockwait, sem_t *, clockid_t, const struct timespec *);
	record(EV_SEM_WAIT_IN, (uintptr_t)s);
	int rc = real_sem_clockwait(s, clock, at);
	record(EV_SEM_WAIT_OUT, (uint64_t)rc);
	return rc;
}

int sem_post(sem_t *s)
{
	REAL(int, sem_post, sem_t *);
	record(EV_SEM_POST, (uintptr_t)s);
	int rc = real_sem_post(s);
	record(EV_SEM_POST_OUT, (uint64_t)rc);
	return rc;
}

ssize_t read(int fd, void *buf, size_t n)
{
	REAL(ssize_t, read, int, void *, size_t);
	record(EV_READ_IN, (uint64_t)fd);
	ssize_t rc = real_read(fd, buf, n);
	record(EV_READ_OUT, (uint64_t)rc);
	return rc;
}

ssize_t recv(int fd, void *buf, size_t n, int flags)
{
	REAL(ssize_t, recv, int, void *, size_t, int);
	record(EV_READ_IN, (uint64_t)fd);
	ssize_t rc = real_recv(fd, buf, n, flags);
	record(EV_READ_OUT, (uint64_t)rc);
	return rc;
}

int close(int fd)
{
	REAL(int, close, int);
	record(EV_CLOSE, (uint64_t)fd);
	return real_close(fd);
}

ssize_t write(int fd, const void *buf, size_t n)
{
	REAL(ssize_t, write, int, const void *, size_t);
	record(EV_WRITE_IN, (uint64_t)fd);
	ssize_t rc = real_write(fd, buf, n);
	record(EV_WRITE_OUT, (uint64_t)rc);
	return rc;
}

ssize_t send(int fd, const void *buf, size_t n, int flags)
{
	REAL(ssize_t, send, int, const void *, size_t, int);
	record(EV_WRITE_IN, (uint64_t)fd);
	ssize_t rc = real_send(fd, buf, n, flags);
	record(EV_WRITE_OUT, (uint64_t)rc);
	return rc;
}
