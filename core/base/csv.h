/* csv.h: reading back the CSV files parlab writes (RFC 4180 quoting). */
#ifndef PX_CSV_H
#define PX_CSV_H

#include <stddef.h>

struct csv {
	char **header;
	size_t ncols;
	char ***rows;       /* rows[r][c], every row ncols fields */
	size_t nrows;
};

/* Reads path; returns 0, or a negative errno value (-EINVAL for a row
 * whose field count differs from the header's). */
int px__csv_read(const char *path, struct csv *out);

/* The index of the column named `name`, or -1. */
int px__csv_column(const struct csv *c, const char *name);

void px__csv_free(struct csv *c);

#endif
