/* child.h: runs the parlab binary on a file in a child process with a
 * generous timeout and, outside sanitizer builds, a cap on its address
 * space, so that a hostile input that would hang or eat memory fails its
 * test instead of the machine. */
#ifndef PX_TEST_BOUNDS_CHILD_H
#define PX_TEST_BOUNDS_CHILD_H

#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "helpers.h"

/* Long enough for a loaded machine; a bounded input needs well under 1 s. */
#define PX_CHILD_TIMEOUT_S 120
/* The address space a child may use. ASan reserves terabytes of shadow
 * memory up front, so a sanitizer build runs without the cap. */
#define PX_CHILD_AS_BYTES (512L << 20)
#if defined(__SANITIZE_ADDRESS__)
#define PX_CHILD_LIMIT_AS 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define PX_CHILD_LIMIT_AS 0
#endif
#endif
#ifndef PX_CHILD_LIMIT_AS
#define PX_CHILD_LIMIT_AS 1
#endif

static char px_child_dir[] = "/tmp/parlab-bounds-XXXXXX";

/* Writes `text` to a file `name` in a temp dir; returns the path. */
static inline char *px_child_file(const char *name, const char *text)
{
	static bool made;
	char *path;
	FILE *f;

	if (!made)
		made = mkdtemp(px_child_dir) != NULL;
	path = px__xasprintf("%s/%s", px_child_dir, name);
	f = fopen(path, "w");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fputs(text, f);
	fclose(f);
	return path;
}

static inline void px_child_exec(char *const argv[], int out)
{
	struct rlimit rl = { PX_CHILD_AS_BYTES, PX_CHILD_AS_BYTES };

	dup2(out, 1);
	dup2(out, 2);
	if (PX_CHILD_LIMIT_AS)
		setrlimit(RLIMIT_AS, &rl);
	setenv("PARLAB_PLUGIN_PATH", PARLAB_TEST_GOOD_DIR, 1);
	execv(PARLAB_TEST_BINARY, argv);
	_exit(127);
}

/* Runs `parlab argv[1..]` (argv[0] is ignored); returns its exit status
 * (-1 if killed: a crash, or the timeout) with stdout and stderr in *out. */
static inline int px_child_run(char *const argv[], char **out)
{
	struct strbuf sb = { 0 };
	time_t deadline = time(NULL) + PX_CHILD_TIMEOUT_S;
	int fds[2], status;
	pid_t pid;

	CU_ASSERT_FATAL(pipe(fds) == 0);
	pid = fork();
	CU_ASSERT_FATAL(pid >= 0);
	if (pid == 0) {
		close(fds[0]);
		px_child_exec(argv, fds[1]);
	}
	close(fds[1]);
	for (;;) {
		struct pollfd p = { fds[0], POLLIN, 0 };
		char buf[4096];
		ssize_t n;
		if (time(NULL) > deadline) {
			fprintf(stderr, "\n  parlab %s: still running after %d s; killed\n",
			        argv[1], PX_CHILD_TIMEOUT_S);
			kill(pid, SIGKILL);
			break;
		}
		if (poll(&p, 1, 1000) <= 0)
			continue;
		if ((n = read(fds[0], buf, sizeof(buf) - 1)) <= 0)
			break;
		buf[n] = '\0';
		px__sb_add(&sb, buf);
	}
	close(fds[0]);
	waitpid(pid, &status, 0);
	*out = px__sb_take(&sb);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* `parlab validate` (or any command) on a file written from `text`:
 * checks the exit status and that the output contains `expect`. */
#define PX_CHILD_CHECK(cmd, text, extra, status, expect)                      \
	do {                                                                  \
		char *path_ = px_child_file("t.yaml", (text));                \
		char *argv_[] = { "parlab", cmd, "--topology",                \
		                  "pack:1 core:2 pu:1", extra, path_, NULL };  \
		char *out_;                                                   \
		if (!*argv_[4])                                               \
			argv_[4] = path_, argv_[5] = NULL;                    \
		CHECK_INT(px_child_run(argv_, &out_), (status));              \
		CHECK_CONTAINS(out_, (expect));                               \
		free(out_);                                                   \
		free(path_);                                                  \
	} while (0)

#endif
