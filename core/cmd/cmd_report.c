/* cmd_report.c: `parlab report DIR...` re-renders each results
 * directory's table, charts and report.html from its own files, so a run
 * on a lab machine without a display can be read later elsewhere. */
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
		printf("%s\n", c->files[i]);
		if (px__report_write(c->files[i], stdout))
			code = PX_EXIT_USAGE;
		else
			printf("report: %s/report.html\n\n", c->files[i]);
	}
	return code;
}
