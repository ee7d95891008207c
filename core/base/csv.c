/* csv.c: a CSV reader for parlab's own files. */
#include "base/csv.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"

/* Splits one record starting at *p into fields; advances *p past it. */
static char **split_record(const char **p, size_t *n)
{
	char **fields = NULL;
	size_t cap = 0;
	struct strbuf sb = { 0 };
	const char *s = *p;

	*n = 0;
	for (;;) {
		bool quoted = *s == '"';
		if (quoted) {
			for (s++; *s; s++) {
				if (*s == '"' && s[1] == '"') {
					px__sb_add(&sb, "\"");
					s++;
				} else if (*s == '"') {
					s++;
					break;
				} else {
					px__sb_addf(&sb, "%c", *s);
				}
			}
		}
		while (*s && *s != ',' && *s != '\n' && *s != '\r')
			px__sb_addf(&sb, "%c", *s++);
		px__grow(&fields, &cap, *n + 1, sizeof(*fields));
		fields[(*n)++] = px__sb_take(&sb);
		if (*s != ',')
			break;
		s++;
	}
	while (*s == '\r' || *s == '\n')
		s++;
	*p = s;
	return fields;
}

int px__csv_read(const char *path, struct csv *out)
{
	char *text = px__read_file(path);
	const char *p = text;
	size_t cap = 0, n;

	memset(out, 0, sizeof(*out));
	if (!text)
		return -errno ? -errno : -EIO;
	out->header = split_record(&p, &out->ncols);
	while (*p) {
		char **row = split_record(&p, &n);
		if (n != out->ncols) {
			for (size_t i = 0; i < n; i++)
				free(row[i]);
			free(row);
			free(text);
			px__csv_free(out);  /* a ragged file yields nothing */
			return -EINVAL;
		}
		px__grow(&out->rows, &cap, out->nrows + 1, sizeof(*out->rows));
		out->rows[out->nrows++] = row;
	}
	free(text);
	return 0;
}

int px__csv_column(const struct csv *c, const char *name)
{
	for (size_t i = 0; i < c->ncols; i++)
		if (strcmp(c->header[i], name) == 0)
			return (int)i;
	return -1;
}

void px__csv_free(struct csv *c)
{
	for (size_t r = 0; r < c->nrows; r++) {
		for (size_t i = 0; i < c->ncols; i++)
			free(c->rows[r][i]);
		free(c->rows[r]);
	}
	for (size_t i = 0; i < c->ncols; i++)
		free(c->header[i]);
	free(c->rows);
	free(c->header);
	memset(c, 0, sizeof(*c));
}
