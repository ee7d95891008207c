/* cmd_report.c: `parlab report DIR...` re-renders each results
 * directory's table, charts and report.html from its own files, so a run
 * on a lab machine without a display can be read later elsewhere. Exits
 * 2 when a directory cannot be read, 3 when a file could not be written. */
#include <stdio.h>
#include <sys/stat.h>

#include "base/util.h"
#include "cmd/cli.h"
#include "output/report.h"

/* A results directory is one that `parlab run` wrote: it holds
 * summary.csv. Says so when dir is none. */
static bool is_results_dir(const char *dir)
{
	char *path = px__xasprintf("%s/summary.csv", dir);
	struct stat st;
	bool ok = stat(path, &st) == 0 && S_ISREG(st.st_mode);

	if (!ok)
		fprintf(stderr, "parlab: error: %s is not a results directory "
		        "(no summary.csv: give a directory `parlab run` wrote)\n",
		        dir);
	free(path);
	return ok;
}

int px__cmd_report(struct cli *c)
{
	int code = PX_EXIT_OK;

	if (c->nfiles < 1) {
		fprintf(stderr, "parlab: error: report needs a results directory\n");
		return PX_EXIT_USAGE;
	}
	for (int i = 0; i < c->nfiles; i++) {
		int rc;
		if (!is_results_dir(c->files[i])) {
			code = code < PX_EXIT_USAGE ? PX_EXIT_USAGE : code;
			continue;
		}
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
