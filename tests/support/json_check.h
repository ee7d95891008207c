/* json_check.h: a strict JSON syntax check (RFC 8259), so the tests can
 * say that what parlab writes as JSON parses. */
#ifndef PX_TEST_JSON_CHECK_H
#define PX_TEST_JSON_CHECK_H

#include <ctype.h>
#include <stdbool.h>
#include <string.h>

static bool json_value(const char **p, int depth);

static void json_ws(const char **p)
{
	while (**p == ' ' || **p == '\t' || **p == '\n' || **p == '\r')
		(*p)++;
}

static bool json_string(const char **p)
{
	if (**p != '"')
		return false;
	for ((*p)++; **p != '"'; (*p)++) {
		if ((unsigned char)**p < 0x20 || !**p)
			return false;
		if (**p == '\\') {
			(*p)++;
			if (**p == 'u') {
				for (int i = 1; i <= 4; i++)
					if (!isxdigit((unsigned char)(*p)[i]))
						return false;
				*p += 4;
			} else if (!strchr("\"\\/bfnrt", **p)) {
				return false;
			}
		}
	}
	(*p)++;
	return true;
}

static bool json_number(const char **p)
{
	const char *s = *p;

	if (**p == '-')
		(*p)++;
	if (!isdigit((unsigned char)**p))
		return false;
	if (**p == '0')
		(*p)++;
	else
		while (isdigit((unsigned char)**p))
			(*p)++;
	if (**p == '.') {
		(*p)++;
		if (!isdigit((unsigned char)**p))
			return false;
		while (isdigit((unsigned char)**p))
			(*p)++;
	}
	if (**p == 'e' || **p == 'E') {
		(*p)++;
		if (**p == '+' || **p == '-')
			(*p)++;
		if (!isdigit((unsigned char)**p))
			return false;
		while (isdigit((unsigned char)**p))
			(*p)++;
	}
	return *p > s;
}

static bool json_list(const char **p, int depth, char close, bool pairs)
{
	(*p)++;
	json_ws(p);
	if (**p == close) {
		(*p)++;
		return true;
	}
	for (;;) {
		json_ws(p);
		if (pairs) {
			if (!json_string(p))
				return false;
			json_ws(p);
			if (*(*p)++ != ':')
				return false;
		}
		if (!json_value(p, depth + 1))
			return false;
		json_ws(p);
		if (**p == close) {
			(*p)++;
			return true;
		}
		if (*(*p)++ != ',')
			return false;
	}
}

static bool json_value(const char **p, int depth)
{
	json_ws(p);
	if (depth > 64)
		return false;
	switch (**p) {
	case '{':
		return json_list(p, depth, '}', true);
	case '[':
		return json_list(p, depth, ']', false);
	case '"':
		return json_string(p);
	case 't':
		return strncmp(*p, "true", 4) == 0 && (*p += 4);
	case 'f':
		return strncmp(*p, "false", 5) == 0 && (*p += 5);
	case 'n':
		return strncmp(*p, "null", 4) == 0 && (*p += 4);
	default:
		return json_number(p);
	}
}

/* True when text is exactly one JSON value (and whitespace). */
static inline bool json_valid(const char *text)
{
	const char *p = text;

	if (!text || !json_value(&p, 0))
		return false;
	json_ws(&p);
	return *p == '\0';
}

#endif
