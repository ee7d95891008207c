/* diag.c: error messages that name the file, line and column. */
#include "base/diag.h"

#include <stdarg.h>

static FILE *diag_out(struct diag *d)
{
	return d && d->out ? d->out : stderr;
}

void px__diag_error(struct diag *d, struct mark m, const char *fmt, ...)
{
	FILE *out = diag_out(d);
	va_list ap;

	if (m.line > 0)
		fprintf(out, "%s:%d:%d: error: ", m.file ? m.file : "?",
		        m.line, m.col);
	else
		fprintf(out, "%s: error: ", m.file ? m.file : "parlab");
	va_start(ap, fmt);
	vfprintf(out, fmt, ap);
	va_end(ap);
	fputc('\n', out);
	if (d)
		d->errors++;
}

void px__diag_plain(struct diag *d, const char *fmt, ...)
{
	FILE *out = diag_out(d);
	va_list ap;

	fputs("parlab: error: ", out);
	va_start(ap, fmt);
	vfprintf(out, fmt, ap);
	va_end(ap);
	fputc('\n', out);
	if (d)
		d->errors++;
}
