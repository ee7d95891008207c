/* units.c: parsing and printing numbers with units. */
#include "base/units.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Copies s without the '_' digit separators; fails on a leading, trailing
 * or doubled '_' so that "1__0" or "_5" are not taken for numbers. */
static int strip_underscores(const char *s, char *buf, size_t cap)
{
	size_t n = 0;
	char prev = '\0';

	for (const char *p = s; *p; p++) {
		if (*p == '_') {
			if (!(prev >= '0' && prev <= '9') ||
			    !(p[1] >= '0' && p[1] <= '9'))
				return -EINVAL;
		} else {
			if (n + 1 >= cap)
				return -ERANGE;
			buf[n++] = *p;
		}
		prev = *p;
	}
	buf[n] = '\0';
	return n ? 0 : -EINVAL;
}

int px__parse_int(const char *s, int64_t *out)
{
	char buf[64], *end;
	long long v;
	int rc = strip_underscores(s, buf, sizeof(buf));

	if (rc)
		return rc;
	if (!((buf[0] >= '0' && buf[0] <= '9') || buf[0] == '-' || buf[0] == '+'))
		return -EINVAL;
	errno = 0;
	v = strtoll(buf, &end, 10);
	if (*end)
		return -EINVAL;
	if (errno == ERANGE)
		return -ERANGE;
	*out = v;
	return 0;
}

int px__parse_real(const char *s, double *out)
{
	char buf[64], *end;
	double v;
	int rc = strip_underscores(s, buf, sizeof(buf));

	if (rc)
		return rc;
	errno = 0;
	v = strtod(buf, &end);
	if (*end || end == buf || !isfinite(v))
		return -EINVAL;
	*out = v;
	return 0;
}

struct unit {
	const char *name;
	double scale;
};

/* Splits "1.5ms" into 1.5 and "ms", then scales by the unit's factor. */
static int parse_scaled(const char *s, const struct unit *units, size_t n,
                        bool unit_required, int64_t *out)
{
	char num[64];
	size_t i = 0;
	const char *u;
	double v, scale = 1;

	while (s[i] && (strchr("0123456789._+-eE", s[i]) != NULL) &&
	       !(s[i] == 'e' && i > 0 && !strchr("0123456789.", s[i - 1])))
		i++;
	/* An 'e' followed by no digit belongs to a unit, not an exponent. */
	while (i > 0 && (s[i - 1] == 'e' || s[i - 1] == 'E'))
		i--;
	if (i == 0 || i >= sizeof(num))
		return -EINVAL;
	memcpy(num, s, i);
	num[i] = '\0';
	u = s + i;
	while (*u == ' ')
		u++;
	if (px__parse_real(num, &v))
		return -EINVAL;
	if (*u) {
		size_t k;
		for (k = 0; k < n; k++)
			if (strcmp(u, units[k].name) == 0)
				break;
		if (k == n)
			return -EINVAL;
		scale = units[k].scale;
	} else if (unit_required && v != 0) {
		return -EINVAL;
	}
	v *= scale;
	if (v < -9.2e18 || v > 9.2e18)
		return -ERANGE;
	*out = (int64_t)llround(v);
	return 0;
}

static const struct unit duration_units[] = {
	{ "ns", 1 }, { "us", 1e3 }, { "ms", 1e6 }, { "s", 1e9 },
	{ "min", 60e9 },
};

static const struct unit size_units[] = {
	{ "B", 1 }, { "KiB", 1024.0 }, { "MiB", 1048576.0 },
	{ "GiB", 1073741824.0 }, { "TiB", 1099511627776.0 },
	{ "kB", 1e3 }, { "MB", 1e6 }, { "GB", 1e9 },
};

int px__parse_duration(const char *s, int64_t *ns)
{
	return parse_scaled(s, duration_units, sizeof(duration_units) /
	                    sizeof(duration_units[0]), true, ns);
}

int px__parse_size(const char *s, int64_t *bytes)
{
	return parse_scaled(s, size_units, sizeof(size_units) /
	                    sizeof(size_units[0]), false, bytes);
}

int px__parse_bool(const char *s, bool *out)
{
	static const char *const yes[] = { "true", "yes", "on" };
	static const char *const no[] = { "false", "no", "off" };

	for (size_t i = 0; i < 3; i++) {
		if (strcasecmp(s, yes[i]) == 0) {
			*out = true;
			return 0;
		}
		if (strcasecmp(s, no[i]) == 0) {
			*out = false;
			return 0;
		}
	}
	return -EINVAL;
}

void px__format_duration(int64_t ns, char *buf, size_t cap)
{
	static const struct unit u[] = {
		{ "s", 1e9 }, { "ms", 1e6 }, { "us", 1e3 }, { "ns", 1 },
	};

	for (size_t i = 0; i < 4; i++) {
		int64_t f = (int64_t)u[i].scale;
		if (ns != 0 && ns % f == 0) {
			snprintf(buf, cap, "%lld%s", (long long)(ns / f), u[i].name);
			return;
		}
	}
	snprintf(buf, cap, "%lldns", (long long)ns);
}

void px__format_size(int64_t bytes, char *buf, size_t cap)
{
	static const struct unit u[] = {
		{ "GiB", 1073741824.0 }, { "MiB", 1048576.0 }, { "KiB", 1024.0 },
	};

	for (size_t i = 0; i < 3; i++) {
		int64_t f = (int64_t)u[i].scale;
		if (bytes != 0 && bytes % f == 0) {
			snprintf(buf, cap, "%lld%s", (long long)(bytes / f),
			         u[i].name);
			return;
		}
	}
	snprintf(buf, cap, "%lldB", (long long)bytes);
}

const char *px__seconds_unit(double seconds, double *scale)
{
	static const struct { const char *name; double scale; } u[] = {
		{ "s", 1 }, { "ms", 1e3 }, { "\u00b5s", 1e6 }, { "ns", 1e9 },
	};
	double a = fabs(seconds);
	size_t k = 0;

	while (k + 1 < sizeof(u) / sizeof(u[0]) && a > 0 && a * u[k].scale < 0.9995)
		k++;
	*scale = u[k].scale;
	return u[k].name;
}

void px__format_seconds(double seconds, char *buf, size_t cap)
{
	double scale;
	const char *unit = px__seconds_unit(seconds, &scale);

	if (isnan(seconds))
		snprintf(buf, cap, "-");
	else if (fabs(seconds * scale) >= 999.95)
		snprintf(buf, cap, "%.0f %s", seconds * scale, unit);
	else
		snprintf(buf, cap, "%#.4g %s", seconds * scale, unit);
}
