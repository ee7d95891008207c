/* diag.h: error messages that name the file, line and column. */
#ifndef PX_DIAG_H
#define PX_DIAG_H

#include <stdio.h>

/* Where something was written: a file and a 1-based line and column. */
struct mark {
	const char *file;
	int line, col;
};

/* Counts the errors reported so far; messages go to `out` (stderr when
 * NULL). A bad file reports every error it can find, then runs nothing;
 * past PX_DIAG_MAX_SHOWN errors the rest are counted, not printed, so
 * that a file of 30,000 bad keys does not print 30,000 lines. */
#define PX_DIAG_MAX_SHOWN 50

struct diag {
	FILE *out;
	int errors;
};

/* Prints "file:line:col: error: ..." and counts it. */
void px__diag_error(struct diag *d, struct mark m, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Prints "parlab: error: ..." for errors that belong to no file. */
void px__diag_plain(struct diag *d, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Prints "... and N more errors" when errors were left unprinted; the
 * caller calls it once, after the last error. */
void px__diag_flush(struct diag *d);

#endif
