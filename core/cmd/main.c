/* main.c: `parlab COMMAND [OPTIONS] [ARGS]`: finds the command in the
 * command table, parses its options by the option table, runs it. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/suggest.h"
#include "cmd/cli_table.h"

#ifndef PARLAB_VERSION
#define PARLAB_VERSION "0.0.0"
#endif

/* What a command printed on stdout (tables, --json) is output too: when
 * it could not all be written (a full disk, a closed pipe) say so, and
 * exit 3 rather than 0. */
static int finish_stdout(int code)
{
	errno = 0;
	if (fflush(stdout) == 0 && !ferror(stdout))
		return code;
	fprintf(stderr, "parlab: error: cannot write standard output: %s\n",
	        errno ? strerror(errno) : "a write failed");
	return code > PX_EXIT_WRITE ? code : PX_EXIT_WRITE;
}

int main(int argc, char **argv)
{
	struct cli c = { .out_dir = "results", .argc = argc, .argv = argv };
	const char *name = argc > 1 ? argv[1] : NULL;
	const struct px_command *cmd;
	int code;

	if (!name || strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0 ||
	    strcmp(name, "help") == 0) {
		px__cli_usage(name ? stdout : stderr);
		return name ? PX_EXIT_OK : PX_EXIT_USAGE;
	}
	if (strcmp(name, "--version") == 0) {
		printf("parlab %s (plugin ABI %d.%d)\n", PARLAB_VERSION,
		       PX_ABI_MAJOR, PX_ABI_MINOR);
		return PX_EXIT_OK;
	}
	cmd = px__command_find(name);
	if (!cmd) {
		const char *names[16];
		char msg[256];
		for (size_t i = 0; i < px__n_commands && i < 16; i++)
			names[i] = px__commands[i].name;
		snprintf(msg, sizeof(msg), "unknown command '%s'", name);
		px__suggest_hint(msg, sizeof(msg), name, names,
		                 px__n_commands < 16 ? px__n_commands : 16);
		fprintf(stderr, "parlab: error: %s\n\n", msg);
		px__cli_usage(stderr);
		return PX_EXIT_USAGE;
	}
	/* Under a file-size limit (ulimit -f) a write fails with EFBIG, which
	 * parlab names and reports, instead of the signal killing the run
	 * and what it measured. */
	signal(SIGXFSZ, SIG_IGN);
	code = px__cli_parse(cmd, &c, argc - 2, argv + 2);
	if (code < 0)
		code = cmd->fn(&c);
	free(c.files);
	free(c.sbatch_args.v);
	return finish_stdout(code);
}
