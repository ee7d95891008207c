/* json_scan.c: reading back a value from a JSON document parlab wrote
 * itself (meta.json), by key: enough for `run --resume` to compare what
 * a results directory recorded, without a general JSON parser. */
#include "base/json.h"

#include <stdlib.h>
#include <string.h>

#include "base/util.h"

/* Where the value of the first "key": in doc starts, or NULL. */
static const char *find_value(const char *doc, const char *key)
{
	size_t n = strlen(key);

	for (const char *p = doc ? strchr(doc, '"') : NULL; p;
	     p = strchr(p + 1, '"')) {
		const char *q = p + 1 + n;
		if (strncmp(p + 1, key, n) != 0 || *q != '"')
			continue;
		for (q++; *q == ' ' || *q == '\n' || *q == '\t'; q++)
			;
		if (*q != ':')
			continue;
		for (q++; *q == ' ' || *q == '\n' || *q == '\t'; q++)
			;
		return q;
	}
	return NULL;
}

/* The JSON string starting at p, unescaped; NULL when p holds none. */
static char *parse_str(const char *p)
{
	struct strbuf sb = { 0 };

	if (!p || *p != '"')
		return NULL;
	for (p++; *p && *p != '"'; p++) {
		char c[2] = { *p, 0 };
		if (*p == '\\' && p[1]) {
			p++;
			c[0] = *p == 'n' ? '\n' : *p == 't' ? '\t' : *p;
			if (*p == 'u' && strlen(p) >= 5) {
				c[0] = (char)strtol((char[]){ p[3], p[4], 0 }, NULL, 16);
				p += 4;
			}
		}
		px__sb_add(&sb, c);
	}
	if (*p == '"')
		return px__sb_take(&sb);
	free(sb.s);
	return NULL;
}

char *px__json_find_str(const char *doc, const char *key)
{
	return parse_str(find_value(doc, key));
}

double px__json_find_num(const char *doc, const char *key, double dflt)
{
	const char *p = find_value(doc, key);
	char *end;
	double v;

	if (!p)
		return dflt;
	v = strtod(p, &end);
	return end == p ? dflt : v;
}

char **px__json_find_all_str(const char *doc, const char *key, size_t *n)
{
	char **v = px__xcalloc(1, sizeof(*v));
	size_t cap = 1;
	const char *p = doc;

	*n = 0;
	while ((p = find_value(p, key)) != NULL) {
		char *s = parse_str(p);
		if (s) {
			px__grow(&v, &cap, *n + 2, sizeof(*v));
			v[(*n)++] = s;
			v[*n] = NULL;
		}
		p++;
	}
	return v;
}
