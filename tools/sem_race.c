/* sem_race.c: the wake-up race on a semaphore lock (Python 2's GIL,
 * gil-threads' mode legacy), stamped from both ends, for any program:
 * LD_PRELOAD this library and set PARLAB_SEM_RACE=PREFIX, and every
 * process writes PREFIX.<pid>, fixed records (struct sem_event) that
 * tools/sem_race.py reads.
 *
 * A waiter's steps happen inside glibc's sem_wait, out of a preloaded
 * wrapper's sight, so this library carries its own sem_post, sem_wait and
 * sem_trywait: glibc's algorithm (2.21 and later, a 64-bit word holding
 * the value in its low half and the sleeping waiters in its high half,
 * the futex on the low half) with a stamp at each step. Both programs
 * compared then run the same semaphore code, stamps included. Other
 * semaphore calls (sem_timedwait, sem_clockwait) stay glibc's, which keep
 * the same word the same way. Only for glibc on a little-endian 64-bit
 * machine: elsewhere the library records nothing and calls glibc's. Its
 * futex calls are glibc's (private ones for a private semaphore).
 *
 * Recorded, per thread, with CLOCK_MONOTONIC: a post's start and return;
 * a waiter going to sleep in the futex, its return from it, and whether
 * the take that followed won or lost. A thread's slot (SLOT_EVENTS
 * records) is written through when the thread claims it, so that no
 * page fault lands inside the race; a file is 256 MiB long (SLOTS x
 * SLOT_EVENTS records), sparse: 4 MiB on disk for each thread that used
 * a semaphore. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <gnu/libc-version.h>
#include <limits.h>
#include <linux/futex.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "trace_file.h"

/* The record, as tools/sem_race.py unpacks it ("<qii", 16 bytes). */
struct sem_event {
	int64_t ns;
	int32_t tid;
	int32_t type;          /* enum sem_event_type */
};

enum sem_event_type {
	EV_POST = 1,           /* sem_post begins (the lock is free from here) */
	EV_POST_END,           /* ... returns */
	EV_SLEEP,              /* a waiter calls the futex to sleep */
	EV_WOKE,               /* ... the call returned (woken, or the value
	                          had changed before it slept) */
	EV_WON,                /* the take after a return got the semaphore */
	EV_LOST,               /* ... found it taken: the waiter sleeps again */
};

enum { SLOTS = 64, SLOT_EVENTS = 1 << 18 };

/* glibc's struct new_sem on a 64-bit machine (nptl/semaphoreP.h). */
struct word_sem {
	uint64_t data;         /* value | waiters << 32 */
	int private;           /* 0 for a process-private semaphore,
	                          FUTEX_PRIVATE_FLAG for a shared one: glibc's
	                          LLL_PRIVATE and LLL_SHARED, which it turns
	                          into a futex operation as below */
	int pad;
};
#define WAITER ((uint64_t)1 << 32)
#define VALUE(d) ((d) & 0xffffffffu)

static struct sem_event *events;
static int slots_used;
static int generation = 1;          /* a forked child starts a new one */
static int usable;                  /* glibc's layout is the one above */
static __thread struct sem_event *slot;
static __thread int slot_used, slot_generation, slot_tid;

static void open_trace(void)
{
	slots_used = 0;
	events = usable ? map_trace_file(getenv("PARLAB_SEM_RACE"),
	                                 sizeof(struct sem_event) *
	                                 (size_t)SLOTS * SLOT_EVENTS)
	                : NULL;
}

static void after_fork_in_child(void)
{
	if (events)
		munmap(events, sizeof(struct sem_event) * (size_t)SLOTS *
		               SLOT_EVENTS);
	generation++;
	open_trace();
}

__attribute__((constructor)) static void sem_race_init(void)
{
	int major = 0, minor = 0;

	/* 2.21 brought the 64-bit word; a big-endian machine would put the
	 * value in the word's other half. */
	usable = sizeof(void *) == 8 && sizeof(sem_t) >= sizeof(struct word_sem)
	         && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	         && sscanf(gnu_get_libc_version(), "%d.%d", &major, &minor) == 2
	         && (major > 2 || (major == 2 && minor >= 21));
	open_trace();
	pthread_atfork(NULL, NULL, after_fork_in_child);
}

static void record(int type)
{
	struct timespec ts;

	if (!events)
		return;
	if (slot_generation != generation) {
		slot_generation = generation;
		slot = NULL;
	}
	if (!slot) {
		int s = __atomic_fetch_add(&slots_used, 1, __ATOMIC_RELAXED);
		if (s >= SLOTS)
			return;
		slot = events + (size_t)s * SLOT_EVENTS;
		memset(slot, 0, sizeof(*slot) * SLOT_EVENTS);
		slot_used = 0;
		slot_tid = (int)syscall(SYS_gettid);
	}
	if (slot_used >= SLOT_EVENTS)
		return;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	slot[slot_used].ns = (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
	slot[slot_used].tid = slot_tid;
	slot[slot_used].type = type;
	slot_used++;
}

/* glibc's __lll_private_flag: a private semaphore's futex calls are
 * FUTEX_PRIVATE_FLAG ones (cheaper, and the ones glibc's own timed waits
 * on the same semaphore make: a wake of the other kind would not reach
 * them). */
static long futex(struct word_sem *s, int op, unsigned value)
{
	return syscall(SYS_futex, &s->data, (op | FUTEX_PRIVATE_FLAG) ^
	               s->private, value, NULL, NULL, 0);
}

/* glibc's __new_sem_wait_fast: takes one unit if there is one. */
static int take_now(struct word_sem *s)
{
	uint64_t d = __atomic_load_n(&s->data, __ATOMIC_RELAXED);

	while (VALUE(d) > 0)
		if (__atomic_compare_exchange_n(&s->data, &d, d - 1, 1,
		                                __ATOMIC_ACQUIRE,
		                                __ATOMIC_RELAXED))
			return 0;
	return -1;
}

/* glibc's own NAME, on a system whose semaphore this library does not
 * know; *real keeps it once looked up. */
static int glibcs(int (**real)(sem_t *), const char *name, sem_t *sem)
{
	if (!*real)
		*real = (int (*)(sem_t *))dlsym(RTLD_NEXT, name);
	return (*real)(sem);
}

int sem_post(sem_t *sem)
{
	struct word_sem *s = (struct word_sem *)sem;
	uint64_t d;

	if (!usable) {
		static int (*real)(sem_t *);
		return glibcs(&real, "sem_post", sem);
	}
	record(EV_POST);
	d = __atomic_load_n(&s->data, __ATOMIC_RELAXED);
	do {
		if (VALUE(d) == SEM_VALUE_MAX) {
			errno = EOVERFLOW;
			return -1;
		}
	} while (!__atomic_compare_exchange_n(&s->data, &d, d + 1, 1,
	                                      __ATOMIC_RELEASE,
	                                      __ATOMIC_RELAXED));
	if (d >> 32)
		futex(s, FUTEX_WAKE, 1);
	record(EV_POST_END);
	return 0;
}

int sem_trywait(sem_t *sem)
{
	if (!usable) {
		static int (*real)(sem_t *);
		return glibcs(&real, "sem_trywait", sem);
	}
	if (take_now((struct word_sem *)sem) == 0)
		return 0;
	errno = EAGAIN;
	return -1;
}

/* glibc's __new_sem_wait_slow without a deadline; a signal's EINTR ends
 * it with -1, as glibc's does. */
int sem_wait(sem_t *sem)
{
	struct word_sem *s = (struct word_sem *)sem;
	uint64_t d;
	int woke = 0;

	if (!usable) {
		static int (*real)(sem_t *);
		return glibcs(&real, "sem_wait", sem);
	}
	if (take_now(s) == 0)
		return 0;
	d = __atomic_fetch_add(&s->data, WAITER, __ATOMIC_RELAXED);
	for (;;) {
		if (VALUE(d) == 0) {
			if (woke)
				record(EV_LOST);
			record(EV_SLEEP);
			long rc = futex(s, FUTEX_WAIT, 0);
			record(EV_WOKE);
			woke = 1;
			if (rc < 0 && errno == EINTR) {
				__atomic_fetch_sub(&s->data, WAITER,
				                   __ATOMIC_RELAXED);
				return -1;
			}
			d = __atomic_load_n(&s->data, __ATOMIC_RELAXED);
		} else if (__atomic_compare_exchange_n(&s->data, &d,
		                                       d - 1 - WAITER, 1,
		                                       __ATOMIC_ACQUIRE,
		                                       __ATOMIC_RELAXED)) {
			if (woke)
				record(EV_WON);
			return 0;
		}
	}
}
