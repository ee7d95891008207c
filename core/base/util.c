/* util.c: allocation, strings, clocks and files. */
#define _GNU_SOURCE
#include "base/util.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

static void out_of_memory(size_t n)
{
	fprintf(stderr, "parlab: out of memory (asked for %zu bytes)\n", n);
	exit(2);
}

void *px__xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		out_of_memory(n);
	return p;
}

void *px__xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (!p)
		out_of_memory(n * size);
	return p;
}

void *px__xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	if (!q)
		out_of_memory(n);
	return q;
}

char *px__xstrdup(const char *s)
{
	char *d = strdup(s ? s : "");
	if (!d)
		out_of_memory(strlen(s));
	return d;
}

char *px__xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		out_of_memory(0);
	va_end(ap);
	return s;
}

void px__grow(void *items, size_t *cap, size_t need, size_t size)
{
	void **p = items;
	size_t n = *cap ? *cap : 8;

	if (need <= *cap)
		return;
	while (n < need)
		n *= 2;
	*p = px__xrealloc(*p, n * size);
	memset((char *)*p + *cap * size, 0, (n - *cap) * size);
	*cap = n;
}

static void sb_vaddf(struct strbuf *sb, const char *fmt, va_list ap)
{
	va_list ap2;
	int n;

	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	px__grow(&sb->s, &sb->cap, sb->len + (size_t)n + 1, 1);
	vsnprintf(sb->s + sb->len, (size_t)n + 1, fmt, ap);
	sb->len += (size_t)n;
}

void px__sb_addf(struct strbuf *sb, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	sb_vaddf(sb, fmt, ap);
	va_end(ap);
}

void px__sb_add(struct strbuf *sb, const char *s)
{
	px__sb_addf(sb, "%s", s);
}

char *px__sb_take(struct strbuf *sb)
{
	char *s = sb->s ? sb->s : px__xstrdup("");

	sb->s = NULL;
	sb->len = sb->cap = 0;
	return s;
}

int64_t px__now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

int64_t px__wall_clock_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

void px__iso_utc_ms(int64_t epoch_ns, char *buf, size_t cap)
{
	time_t secs = (time_t)(epoch_ns / 1000000000);
	struct tm tm;
	char day[32];

	gmtime_r(&secs, &tm);
	strftime(day, sizeof(day), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buf, cap, "%s.%03dZ", day, (int)(epoch_ns / 1000000 % 1000));
}

void px__iso_time(char *buf, size_t cap)
{
	time_t now = time(NULL);
	struct tm tm;

	localtime_r(&now, &tm);
	strftime(buf, cap, "%Y-%m-%dT%H:%M:%S%z", &tm);
}

void px__free_strv(char **v)
{
	for (char **p = v; p && *p; p++)
		free(*p);
	free(v);
}

char *px__read_file(const char *path)
{
	struct strbuf sb = { 0 };
	char buf[4096];
	size_t n;
	FILE *f = fopen(path, "r");

	if (!f)
		return NULL;
	while ((n = fread(buf, 1, sizeof(buf) - 1, f)) > 0) {
		buf[n] = '\0';
		px__sb_add(&sb, buf);
	}
	fclose(f);
	return px__sb_take(&sb);
}

int px__mkdir_p(const char *path)
{
	char *p = px__xstrdup(path);
	int rc = 0;

	for (char *s = p + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(p, 0777) < 0 && errno != EEXIST)
			rc = -errno;
		*s = '/';
	}
	if (!rc && mkdir(p, 0777) < 0 && errno != EEXIST)
		rc = -errno;
	free(p);
	return rc;
}
