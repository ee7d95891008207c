/* test_writes.c: every file parlab writes is written whole or reported.
 * A full disk is simulated without root by a file-size limit
 * (RLIMIT_FSIZE, with SIGXFSZ ignored so that writes fail with EFBIG) in
 * a child process running the parlab binary; limits of different sizes
 * make different files fail. The atomic-file helper (base/afile.h) is
 * also tested on its own. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "helpers.h"
#include "json_check.h"
#include "base/afile.h"
#include "base/util.h"

static char tmp[] = "/tmp/parlab-writes-XXXXXX";

/* Nine measured runs that take milliseconds, and one expectation. */
static const char experiment[] =
	"experiment: wr\n"
	"workload: {name: noop, params: {tasks: 4}}\n"
	"strategies: [serial, free-threads]\n"
	"workers: [1, 2]\n"
	"repetitions: 3\n"
	"warmup: 0\n"
	"expect:\n"
	"  - tasks(serial) == 4\n";

/* Every file a run of `experiment` writes. */
static const char *const outputs[] = {
	"trials.csv", "summary.csv", "summary.json", "meta.json",
	"topology.xml", "verdicts", "summary.md", "gbench.json",
	"report.html", "speedup.svg", "time.svg",
};

static const char *tmpdir(void)
{
	static bool made;

	if (!made) {
		made = mkdtemp(tmp) != NULL;
		CU_ASSERT_FATAL(made);
	}
	return tmp;
}

static char *in_tmp(const char *name)
{
	return px__xasprintf("%s/%s", tmpdir(), name);
}

/* Runs the parlab binary with args (argv[1..], NULL-terminated) in a child
 * whose `resource` is limited to `limit` (0: no limit); returns its exit
 * status and what it printed on stderr in *err. stdout goes to
 * /dev/null. A hang is ended by alarm(). */
static int parlab_rlimit(const char *const *args, int resource,
                         rlim_t limit, char **err)
{
	int fds[2];
	pid_t pid;
	struct strbuf sb = { 0 };
	char buf[4096];
	ssize_t n;
	int status;

	CU_ASSERT_FATAL(pipe(fds) == 0);
	pid = fork();
	CU_ASSERT_FATAL(pid >= 0);
	if (pid == 0) {
		const char *argv[16] = { PARLAB_TEST_BINARY };
		struct rlimit rl;
		int null = open("/dev/null", O_WRONLY);
		for (int i = 0; args[i] && i < 14; i++)
			argv[i + 1] = args[i];
		dup2(null, 0);
		dup2(null, 1);
		dup2(fds[1], 2);
		/* parlab starts with stdin, stdout and stderr alone, as from
		 * a shell, so that RLIMIT_NOFILE counts its own files only. */
		for (int fd = 3; fd < 1024; fd++)
			close(fd);
		signal(SIGXFSZ, SIG_IGN);
		getrlimit(resource, &rl);
		rl.rlim_cur = limit;
		if (limit && setrlimit(resource, &rl) != 0)
			_exit(126);
		alarm(120);
		execv(PARLAB_TEST_BINARY, (char **)argv);
		_exit(127);
	}
	close(fds[1]);
	while ((n = read(fds[0], buf, sizeof(buf) - 1)) > 0) {
		buf[n] = '\0';
		px__sb_add(&sb, buf);
	}
	close(fds[0]);
	waitpid(pid, &status, 0);
	*err = px__sb_take(&sb);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* parlab args in a child whose files may grow to `limit` bytes. */
static int parlab_limited(const char *const *args, rlim_t limit, char **err)
{
	return parlab_rlimit(args, RLIMIT_FSIZE, limit, err);
}

/* Runs `parlab run --quiet --output-dir TMP/dir experiment` with
 * `resource` limited to `limit`. */
static int run_rlimit(const char *dir, int resource, rlim_t limit,
                      char **err)
{
	char *file = in_tmp("wr.yaml"), *out = in_tmp(dir);
	FILE *f = fopen(file, "w");
	const char *args[] = { "run", "--quiet", "--output-dir", out, file,
	                       NULL };
	int rc;

	fputs(experiment, f);
	fclose(f);
	rc = parlab_rlimit(args, resource, limit, err);
	free(file);
	free(out);
	return rc;
}

static int run_limited(const char *dir, rlim_t limit, char **err)
{
	return run_rlimit(dir, RLIMIT_FSIZE, limit, err);
}

static int count(const char *hay, const char *needle)
{
	int n = 0;

	for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle))
		n++;
	return n;
}

/* Fields of a CSV line without quotes (as this experiment's are). */
static int fields(const char *line, size_t len)
{
	int n = 1;

	for (size_t i = 0; i < len; i++)
		n += line[i] == ',';
	return n;
}

/* A CSV file of whole rows: it ends with a newline and every line has
 * the header's number of fields. Returns the number of data rows. */
static int check_whole_csv(const char *path)
{
	char *text = px__read_file(path);
	int rows = -1, want = 0;

	CU_ASSERT_PTR_NOT_NULL_FATAL(text);
	CU_ASSERT(text[0] && text[strlen(text) - 1] == '\n');
	for (char *line = text, *nl; (nl = strchr(line, '\n')); line = nl + 1) {
		int got = fields(line, (size_t)(nl - line));
		if (rows < 0)
			want = got;
		else if (got != want)
			fprintf(stderr, "\n  %s: a line of %d fields, the header has %d\n",
			        path, got, want);
		CU_ASSERT(got == want);
		rows++;
	}
	free(text);
	return rows;
}

/* The text a complete file of this name ends with. */
static const char *ending(const char *name)
{
	if (strstr(name, ".svg"))
		return "</svg>\n";
	if (strstr(name, ".html"))
		return "</html>\n";
	if (strstr(name, ".xml"))
		return "</topology>\n";
	return "\n";
}

static void check_no_temp(const char *dir);

/* Every result file in dir is absent or complete; every absent one is
 * named once on stderr; no temporary file is left. */
static void check_whole_or_named(const char *dir, const char *err)
{
	for (size_t i = 0; i < PX_ARRAY_LEN(outputs); i++) {
		char *path = px__xasprintf("%s/%s", dir, outputs[i]);
		char *named = px__xasprintf("cannot write %s: ", path);
		char *text = px__read_file(path);
		bool chart = strstr(path, ".svg") || strstr(path, ".html");
		if (!text && !(chart && strstr(err, "no charts and no report.html"))) {
			if (count(err, named) != 1)
				fprintf(stderr, "\n  %s is missing and named %d times in:\n%s",
				        path, count(err, named), err);
			CU_ASSERT(count(err, named) == 1);
		}
		if (text) {
			size_t n = strlen(text), e = strlen(ending(path));
			/* Only trials.csv keeps what it has when it fails. */
			CU_ASSERT(count(err, named) ==
			          0 + (i == 0 && count(err, named) == 1));
			CU_ASSERT(n >= e && strcmp(text + n - e, ending(path)) == 0);
			if (strstr(path, ".json"))
				CU_ASSERT(json_valid(text));
			if (strstr(path, ".csv"))
				check_whole_csv(path);
		}
		free(text);
		free(named);
		free(path);
	}
	check_no_temp(dir);
}

/* No temporary file (".NAME.tmp-PID-N") is left in dir. */
static void check_no_temp(const char *dir)
{
	DIR *d = opendir(dir);

	CU_ASSERT_PTR_NOT_NULL_FATAL(d);
	for (struct dirent *de; (de = readdir(d));) {
		if (strstr(de->d_name, ".tmp-"))
			fprintf(stderr, "\n  temporary file left: %s\n", de->d_name);
		CU_ASSERT(strstr(de->d_name, ".tmp-") == NULL);
	}
	closedir(d);
}

static long size_of(const char *dir, const char *name)
{
	char *path = px__xasprintf("%s/%s", dir, name);
	struct stat st;
	long n = stat(path, &st) == 0 ? (long)st.st_size : -1;

	free(path);
	return n;
}

/* A limit of 1 KiB: the header and a few rows of trials.csv fit, the
 * next row does not, nor most summaries. trials.csv keeps whole rows
 * only, each failed file is named once with its cause, exit 3. */
static void test_full_disk_mid_trials(void)
{
	char *dir = in_tmp("mid-trials"), *err = NULL;
	int rc = run_limited("mid-trials", 1024, &err);
	char *csv = px__xasprintf("%s/trials.csv", dir);
	int rows;

	CHECK_INT(rc, 3);
	CHECK_CONTAINS(err, "trials.csv: File too large");
	CHECK_CONTAINS(err, "it keeps its first");
	rows = check_whole_csv(csv);
	CU_ASSERT(rows >= 0 && rows < 9);
	CU_ASSERT(size_of(dir, "trials.csv") <= 1024);
	check_whole_or_named(dir, err);
	/* What could not go to disk was still measured and judged. */
	CU_ASSERT(size_of(dir, "summary.json") < 0);
	free(csv);
	free(err);
	free(dir);
}

/* A limit just over what trials.csv and summary.csv need, well under
 * summary.json (sizes from a run without a limit): trials.csv is whole
 * with all nine rows, summary.csv is written, summary.json is named. */
static void test_full_disk_at_summary(void)
{
	char *ref = in_tmp("reference"), *dir = in_tmp("at-summary");
	char *err = NULL, *csv = px__xasprintf("%s/trials.csv", dir);
	long limit;

	CHECK_INT(run_limited("reference", 0, &err), 0);
	free(err);
	limit = size_of(ref, "trials.csv");
	if (size_of(ref, "summary.csv") > limit)
		limit = size_of(ref, "summary.csv");
	limit += 512;
	/* The premise: summary.json is bigger than the limit by far. */
	CU_ASSERT_FATAL(size_of(ref, "summary.json") > limit + 1024);
	CHECK_INT(run_limited("at-summary", (rlim_t)limit, &err), 3);
	CHECK_INT(check_whole_csv(csv), 9);
	free(csv);
	csv = px__xasprintf("%s/summary.csv", dir);
	CU_ASSERT(check_whole_csv(csv) > 0);
	CHECK_CONTAINS(err, "summary.json: File too large");
	CU_ASSERT(size_of(dir, "summary.json") < 0);
	check_whole_or_named(dir, err);
	free(csv);
	free(err);
	free(ref);
	free(dir);
}

/* A limit under trials.csv's header: nothing can be kept, so nothing
 * runs; no half file is left, exit 3. */
static void test_full_disk_at_header(void)
{
	char *dir = in_tmp("at-header"), *err = NULL;

	CHECK_INT(run_limited("at-header", 64, &err), 3);
	CHECK_CONTAINS(err, "trials.csv: File too large");
	CU_ASSERT(size_of(dir, "trials.csv") < 0);
	/* Nothing ran: no summary was even tried. */
	CU_ASSERT(size_of(dir, "meta.json") < 0);
	CU_ASSERT(strstr(err, "summary") == NULL);
	free(err);
	free(dir);
}

/* `parlab report` on a full disk: charts and report.html are named, the
 * report.html already there stays as it was, exit 3. */
static void test_report_full_disk(void)
{
	char *dir = in_tmp("reference"), *err = NULL;
	char *path = px__xasprintf("%s/report.html", dir);
	char *before, *after;
	const char *args[] = { "report", dir, NULL };

	if (size_of(dir, "summary.csv") < 0)  /* the reference run, if alone */
		CHECK_INT(run_limited("reference", 0, &err), 0);
	free(err);
	before = px__read_file(path);
	CU_ASSERT_PTR_NOT_NULL_FATAL(before);
	CHECK_INT(parlab_limited(args, 1024, &err), 3);
	CHECK_INT(count(err, "report.html: File too large"), 1);
	CHECK_INT(count(err, "speedup.svg: File too large"), 1);
	after = px__read_file(path);
	CHECK_STR(after, before);
	check_no_temp(dir);
	free(before);
	free(after);
	free(path);
	free(err);
	free(dir);
}

/* Four descriptors: stdin, stdout, stderr and trials.csv, which stays
 * open to the end: every other file fails to open. Each is named with
 * the cause (charts were once silently missing), trials.csv is whole,
 * exit 3. */
static void test_few_descriptors(void)
{
	char *dir = in_tmp("few-fds"), *err = NULL;

	CHECK_INT(run_rlimit("few-fds", RLIMIT_NOFILE, 4, &err), 3);
	CHECK_CONTAINS(err, ": Too many open files");
	CU_ASSERT(size_of(dir, "trials.csv") > 0);
	check_whole_or_named(dir, err);
	free(err);
	free(dir);
}

/* What a command prints on stdout is output too: a full stdout exits 3. */
static void test_full_stdout(void)
{
	char *cmd = px__xasprintf("%s list > /dev/full 2>%s/list.err",
	                          PARLAB_TEST_BINARY, tmpdir());
	char *errpath = in_tmp("list.err"), *err;
	int status;

	if (access("/dev/full", W_OK) != 0) {
		fprintf(stderr, "\n  no /dev/full here; skipped\n");
		free(cmd);
		free(errpath);
		return;
	}
	status = system(cmd);
	CHECK_INT(WIFEXITED(status) ? WEXITSTATUS(status) : -1, 3);
	err = px__read_file(errpath);
	CHECK_CONTAINS(err, "cannot write standard output: No space left on device");
	free(err);
	free(errpath);
	free(cmd);
}

/* Runs call with stderr going to a file; *err gets what it printed. */
#define CAPTURE_STDERR(err, call)                                              \
	do {                                                                   \
		char *p_ = in_tmp("stderr");                                   \
		int saved_ = dup(2);                                           \
		int fd_ = open(p_, O_WRONLY | O_CREAT | O_TRUNC, 0600);        \
		fflush(stderr);                                                \
		dup2(fd_, 2);                                                  \
		call;                                                          \
		fflush(stderr);                                                \
		dup2(saved_, 2);                                               \
		close(fd_);                                                    \
		close(saved_);                                                 \
		(err) = px__read_file(p_);                                     \
		free(p_);                                                      \
	} while (0)

/* A committed file holds exactly what was written, under its own name. */
static void test_afile_commit(void)
{
	char *path = in_tmp("afile-ok"), *text;
	struct px_afile a;

	CHECK_INT(px__afile_open(&a, path), 0);
	fputs("whole\n", a.f);
	CHECK_INT(px__afile_commit(&a), 0);
	text = px__read_file(path);
	CHECK_STR(text, "whole\n");
	check_no_temp(tmpdir());
	free(text);
	free(path);
}

/* A file in a directory that does not exist: named once, at open. */
static void test_afile_no_dir(void)
{
	char *path = in_tmp("no-such-dir/file"), *err;
	int open_rc = 0, commit_rc = 0;
	struct px_afile a;

	CAPTURE_STDERR(err, {
		open_rc = px__afile_open(&a, path);
		fputs("lost\n", a.f);
		commit_rc = px__afile_commit(&a);
	});
	CHECK_INT(open_rc, -ENOENT);
	CHECK_INT(commit_rc, -ENOENT);
	CHECK_INT(count(err, "cannot write "), 1);
	CHECK_CONTAINS(err, "no-such-dir/file: No such file or directory");
	free(err);
	free(path);
}

/* The directory disappears between open and commit: the rename fails,
 * and commit names the file and the cause. */
static void test_afile_dir_vanishes(void)
{
	char *dir = in_tmp("vanishing"), *path = in_tmp("vanishing/f"), *err;
	struct px_afile a;
	int rc = 0;

	CU_ASSERT_FATAL(mkdir(dir, 0777) == 0);
	CHECK_INT(px__afile_open(&a, path), 0);
	fputs("text\n", a.f);
	CU_ASSERT(unlink(a.tmp) == 0);
	CU_ASSERT(rmdir(dir) == 0);
	CAPTURE_STDERR(err, rc = px__afile_commit(&a));
	CHECK_INT(rc, -ENOENT);
	CHECK_INT(count(err, "cannot write "), 1);
	CHECK_CONTAINS(err, "vanishing/f: No such file or directory");
	free(err);
	free(path);
	free(dir);
}

/* Under a file-size limit (in a child: the limit is per process) a file
 * too big fails with EFBIG, the older file of that name stays as it was
 * and no temporary file is left. */
static void test_afile_too_big_keeps_old(void)
{
	char *path = in_tmp("afile-old"), *text, big[4096];
	pid_t pid;
	int status;

	CHECK_INT(px__afile_write(path, "old\n", 4), 0);
	memset(big, 'x', sizeof(big));
	pid = fork();
	CU_ASSERT_FATAL(pid >= 0);
	if (pid == 0) {
		struct rlimit rl = { 1000, RLIM_INFINITY };
		signal(SIGXFSZ, SIG_IGN);
		setrlimit(RLIMIT_FSIZE, &rl);
		freopen("/dev/null", "w", stderr);
		_exit(px__afile_write(path, big, sizeof(big)) == -EFBIG ? 0 : 1);
	}
	waitpid(pid, &status, 0);
	CHECK_INT(WIFEXITED(status) ? WEXITSTATUS(status) : -1, 0);
	text = px__read_file(path);
	CHECK_STR(text, "old\n");
	check_no_temp(tmpdir());
	free(text);
	free(path);
}

/* An aborted file leaves nothing behind. */
static void test_afile_abort(void)
{
	char *path = in_tmp("afile-aborted");
	struct px_afile a;

	CHECK_INT(px__afile_open(&a, path), 0);
	fputs("never\n", a.f);
	px__afile_abort(&a);
	CU_ASSERT(access(path, F_OK) != 0);
	check_no_temp(tmpdir());
	free(path);
}

static void test_cleanup(void)
{
	char *cmd = px__xasprintf("rm -rf %s", tmpdir());

	CU_ASSERT(system(cmd) == 0);
	free(cmd);
}

TEST_MAIN("writes",
          T(test_afile_commit), T(test_afile_no_dir),
          T(test_afile_dir_vanishes), T(test_afile_too_big_keeps_old),
          T(test_afile_abort), T(test_full_disk_mid_trials),
          T(test_full_disk_at_summary), T(test_full_disk_at_header),
          T(test_report_full_disk), T(test_few_descriptors),
          T(test_full_stdout), T(test_cleanup))
