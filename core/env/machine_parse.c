/* machine_parse.c: the parsers of the /proc and /sys files the machine's
 * conditions come from; text in, values out, no file access, so that the
 * tests feed them fixture text. */
#include "env/machine.h"

#include <stdlib.h>
#include <string.h>

#include "base/util.h"

bool px__parse_loadavg(const char *text, double load[3])
{
	return text && sscanf(text, "%lf %lf %lf", &load[0], &load[1],
	                      &load[2]) == 3;
}

long long px__parse_steal_ticks(const char *text)
{
	long long f[8];

	if (!text || strncmp(text, "cpu ", 4) != 0 ||
	    sscanf(text + 4, "%lld %lld %lld %lld %lld %lld %lld %lld", &f[0],
	           &f[1], &f[2], &f[3], &f[4], &f[5], &f[6], &f[7]) != 8 ||
	    f[7] < 0)
		return -1;
	return f[7];
}

long long px__parse_meminfo(const char *text, const char *key)
{
	size_t len = strlen(key);
	long long kb;

	for (const char *p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : p)
		if (strncmp(p, key, len) == 0 && p[len] == ':' &&
		    sscanf(p + len + 1, "%lld", &kb) == 1 && kb >= 0)
			return kb * 1024;
	return -1;
}

bool px__parse_cpu_max(const char *text, long long *quota_us,
                       long long *period_us)
{
	char quota[32];

	if (!text || sscanf(text, "%31s %lld", quota, period_us) != 2 ||
	    *period_us <= 0)
		return false;
	if (strcmp(quota, "max") == 0) {
		*quota_us = -1;
		return true;
	}
	return sscanf(quota, "%lld", quota_us) == 1 && *quota_us > 0;
}

char *px__cmdline_option(const char *cmdline, const char *name)
{
	size_t len = strlen(name);
	const char *p = cmdline;

	while (p && *p) {
		size_t w;
		p += strspn(p, " \t\n");
		w = strcspn(p, " \t\n");
		if (w == 2 && strncmp(p, "--", 2) == 0)
			break;  /* the rest is init's */
		if (w >= len && strncmp(p, name, len) == 0) {
			if (w == len)
				return px__xstrdup("");
			if (p[len] == '=')
				return strndup(p + len + 1, w - len - 1);
		}
		p += w;
	}
	return NULL;
}

char *px__status_field(const char *status, const char *name)
{
	size_t len = strlen(name);

	for (const char *p = status; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : p)
		if (strncmp(p, name, len) == 0 && p[len] == ':') {
			const char *v = p + len + 1;
			v += strspn(v, " \t");
			return strndup(v, strcspn(v, "\n"));
		}
	return NULL;
}

/* Whether the comma-separated list `list` (of length len) holds word. */
static bool list_has(const char *list, size_t len, const char *word)
{
	size_t wl = strlen(word);

	for (const char *p = list, *end = list + len; p < end; ) {
		const char *c = memchr(p, ',', (size_t)(end - p));
		size_t n = c ? (size_t)(c - p) : (size_t)(end - p);
		if (n == wl && strncmp(p, word, wl) == 0)
			return true;
		p += n + 1;
	}
	return false;
}

char *px__cgroup_path(const char *proc_cgroup, const char *controller,
                      char **controllers)
{
	for (const char *p = proc_cgroup; p && *p;
	     p = strchr(p, '\n'), p = p ? p + 1 : p) {
		const char *c1 = strchr(p, ':'), *c2, *eol = p + strcspn(p, "\n");
		if (!c1 || c1 > eol || !(c2 = strchr(c1 + 1, ':')) || c2 > eol)
			continue;
		if (controller ? !list_has(c1 + 1, (size_t)(c2 - c1 - 1), controller)
		               : (c2 != c1 + 1 || strncmp(p, "0:", 2) != 0))
			continue;
		if (controllers)
			*controllers = strndup(c1 + 1, (size_t)(c2 - c1 - 1));
		return strndup(c2 + 1, (size_t)(eol - c2 - 1));
	}
	return NULL;
}
