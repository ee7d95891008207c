/* unit.h: what the unit tests of tests/unit/ share beside helpers.h:
 * capturing what a writer prints, and reading a file it wrote. */
#ifndef PX_TEST_UNIT_H
#define PX_TEST_UNIT_H

#include "helpers.h"

/* Runs `call` with out_ open on memory; buf gets what it wrote (the
 * caller frees it). */
#define PX_CAPTURE(buf, call)                                                 \
	do {                                                                  \
		size_t len_ = 0;                                              \
		FILE *out_ = open_memstream(&(buf), &len_);                   \
		call;                                                         \
		fclose(out_);                                                 \
	} while (0)

/* The whole of dir/name, which must exist (the caller frees it). */
static inline char *px_read_in(const char *dir, const char *name)
{
	char *path = px__xasprintf("%s/%s", dir, name);
	char *text = px__read_file(path);

	if (!text)
		fprintf(stderr, "\n  cannot read %s\n", path);
	free(path);
	CU_ASSERT_PTR_NOT_NULL_FATAL(text);
	return text;
}

#endif
