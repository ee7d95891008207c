/* cli_run.h: runs the parlab binary with a command line given as one
 * string, in a child process that cannot hang the test, and hands back
 * its exit status, stdout and stderr apart (for tests/system/test_cli*.c). */
#ifndef PX_TEST_CLI_RUN_H
#define PX_TEST_CLI_RUN_H

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "helpers.h"
#include "base/util.h"

static char px_cli_tmp[] = "/tmp/parlab-cli-XXXXXX";

/* A temp dir of the test program's own, made on first use. */
static inline const char *px_cli_tmpdir(void)
{
	static bool made;

	if (!made)
		made = mkdtemp(px_cli_tmp) != NULL;
	return px_cli_tmp;
}

/* Splits `args` at spaces into argv[1..] (argv[0] is "parlab"), 'single
 * quotes' keeping spaces in a word and "@" at a word's start standing for
 * the temp dir. Returns argc; the words are allocated (caller frees). */
static inline int px_cli_split(const char *args, char **argv, int cap)
{
	int argc = 1;

	argv[0] = px__xstrdup("parlab");
	while (*args && argc < cap - 1) {
		struct strbuf sb = { 0 };
		bool quoted = false;
		if (*args == ' ') {
			args++;
			continue;
		}
		if (*args == '@') {
			px__sb_add(&sb, px_cli_tmpdir());
			args++;
		}
		for (; *args && (quoted || *args != ' '); args++) {
			char c[2] = { *args, 0 };
			if (*args == '\'')
				quoted = !quoted;
			else
				px__sb_add(&sb, c);
		}
		argv[argc++] = px__sb_take(&sb);
	}
	argv[argc] = NULL;
	return argc;
}

/* Runs `parlab ARGS` with the test plugins on the path; the child gets
 * SIGALRM after 20 s, so a hang fails the test instead of stopping it.
 * Returns the exit status (-1 if killed), with stdout in *out and stderr
 * in *err (the caller frees both). */
static inline int px_cli_run(const char *args, char **out, char **err)
{
	char *argv[64];
	int argc = px_cli_split(args, argv, 64), status = 0;
	char *opath = px__xasprintf("%s/.stdout", px_cli_tmpdir());
	char *epath = px__xasprintf("%s/.stderr", px_cli_tmpdir());
	pid_t pid;

	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		dup2(open(opath, O_WRONLY | O_CREAT | O_TRUNC, 0644), 1);
		dup2(open(epath, O_WRONLY | O_CREAT | O_TRUNC, 0644), 2);
		setenv("PARLAB_PLUGIN_PATH", PARLAB_TEST_GOOD_DIR, 1);
		alarm(20);
		execv(PARLAB_TEST_BINARY, argv);
		_exit(127);
	}
	CU_ASSERT_FATAL(pid > 0 && waitpid(pid, &status, 0) == pid);
	*out = px__read_file(opath);
	*err = px__read_file(epath);
	for (int i = 0; i < argc; i++)
		free(argv[i]);
	free(opath);
	free(epath);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* Removes the temp dir and all in it. */
static inline void px_cli_cleanup(void)
{
	char *cmd = px__xasprintf("rm -rf '%s'", px_cli_tmpdir());

	CHECK_INT(system(cmd), 0);
	free(cmd);
}

#endif
