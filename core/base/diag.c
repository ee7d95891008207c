/* diag.c: error messages that name the file, line and column. */
#include "base/diag.h"

#include <stdarg.h>
#include <stdbool.h>

static FILE *diag_out(struct diag *d)
{
	return d && d->out ? d->out : stderr;
}

/* Counts one more error; true when it is still to be printed. */
static bool diag_count(struct diag *d)
{
	if (!d)
		return true;
	return d->errors++ < PX_DIAG_MAX_SHOWN;
}

void px__diag_error(struct diag *d, struct mark m, const char *fmt, ...)
{
	FILE *out = diag_out(d);
	va_list ap;

	if (!diag_count(d))
		return;
	if (m.line > 0)
		fprintf(out, "%s:%d:%d: error: ", m.file ? m.file : "?",
		        m.line, m.col);
	else
		fprintf(out, "%s: error: ", m.file ? m.file : "parlab");
	va_start(ap, fmt);
	vfprintf(out, fmt, ap);
	va_end(ap);
	fputc('\n', out);
}

void px__diag_plain(struct diag *d, const char *fmt, ...)
{
	FILE *out = diag_out(d);
	va_list ap;

	if (!diag_count(d))
		return;
	fputs("parlab: error: ", out);
	va_start(ap, fmt);
	vfprintf(out, fmt, ap);
	va_end(ap);
	fputc('\n', out);
}

void px__diag_flush(struct diag *d)
{
	if (d && d->errors > PX_DIAG_MAX_SHOWN)
		fprintf(diag_out(d), "... and %d more errors\n",
		        d->errors - PX_DIAG_MAX_SHOWN);
}
