/* util.h: small helpers every module of the runner uses. */
#ifndef PX_UTIL_H
#define PX_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define PX_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* Allocation that cannot fail: on exhaustion the runner prints and exits,
 * since nothing it does can go on without memory. */
void *px__xmalloc(size_t n);
void *px__xcalloc(size_t n, size_t size);
void *px__xrealloc(void *p, size_t n);
char *px__xstrdup(const char *s);
char *px__xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Grows *items (of *cap elements of `size` bytes) to hold at least `need`. */
void px__grow(void *items, size_t *cap, size_t need, size_t size);

/* A growable string. */
struct strbuf {
	char *s;
	size_t len, cap;
};
void px__sb_addf(struct strbuf *sb, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void px__sb_add(struct strbuf *sb, const char *s);
/* Returns the string (never NULL) and leaves sb empty; the caller frees. */
char *px__sb_take(struct strbuf *sb);

/* Monotonic clock in nanoseconds. */
int64_t px__now_ns(void);

/* The wall clock (CLOCK_REALTIME) in nanoseconds since the epoch. */
int64_t px__wall_clock_ns(void);

/* Epoch nanoseconds as UTC ISO 8601 with milliseconds:
 * "2026-11-26T08:40:00.123Z". */
void px__iso_utc_ms(int64_t epoch_ns, char *buf, size_t cap);

/* The current local time as "2026-11-26T08:40:00+0000". */
void px__iso_time(char *buf, size_t cap);

/* Frees a NULL-terminated array of strings and the strings. */
void px__free_strv(char **v);

/* Reads a whole small file (such as /proc/cpuinfo); NULL on failure. */
char *px__read_file(const char *path);

/* Creates every missing directory of path; 0 or a negative errno value. */
int px__mkdir_p(const char *path);

#endif
