/* cmd_report.c: `parlab report DIR...` re-renders each results
 * directory's table, charts and report.html from its own files, so a run
 * on a lab machine without a display can be read later elsewhere. Exits
 * 2 when a directory cannot be read, 3 when a file could not be written. */
#include <stdio.h>

#include "cmd/cli.h"
#include "output/report.h"

int px__cmd_report(struct cli *c)
{
	int code = PX_EXIT_OK;

	if (c->nfiles < 1) {
		fprintf(stderr, "parlab: error: report needs a results directory\n");
		return PX_EXIT_USAGE;
	}
	for (int i = 0; i < c->nfiles; i++) {
		int rc;
		printf("%s\n", c->files[i]);
		rc = px__report_write(c->files[i], stdout);
		if (rc == PX_REPORT_UNREADABLE) {
			if (code < PX_EXIT_USAGE)
				code = PX_EXIT_USAGE;
		} else if (rc) {
			code = PX_EXIT_WRITE;  /* named on stderr */
		} else {
			printf("report: %s/report.html\n\n", c->files[i]);
		}
	}
	return code;
}
