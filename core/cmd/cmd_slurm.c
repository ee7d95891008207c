/* cmd_slurm.c: `parlab slurm FILE|DIR...`: checks every experiment file,
 * picks the shared batch directory, writes the array and merge scripts
 * into it and submits them with sbatch (the merge job depending on the
 * array, afterany), or prints them with --print. Exits 2 when a file has
 * errors or sbatch refuses, 3 when a script cannot be written. */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "base/afile.h"
#include "base/util.h"
#include "cmd/run.h"
#include "cmd/slurm.h"

/* path made absolute against the working directory (not resolved: the
 * nodes see the shared folder under the same name). */
static char *absolute(const char *path)
{
	char cwd[PATH_MAX];

	if (path[0] == '/' || !getcwd(cwd, sizeof(cwd)))
		return px__xstrdup(path);
	return px__xasprintf("%s/%s", cwd, path[0] == '.' && path[1] == '/'
	                     ? path + 2 : path);
}

/* --output-dir DIR, or DIR/batch-<time> under -o DIR (default results). */
static char *batch_dir(const struct cli *c)
{
	char stamp[32], *rel, *abs;
	time_t now = time(NULL);
	struct tm tm;

	if (c->out_exact)
		return absolute(c->out_exact);
	localtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%d-%H%M%S", &tm);
	rel = px__xasprintf("%s/batch-%s", c->out_dir, stamp);
	abs = absolute(rel);
	free(rel);
	return abs;
}

/* Each file's directory name: its base name less ".yaml", -2... when two
 * files share one. */
static char **dir_names(char **files, size_t n)
{
	char **names = px__xcalloc(n + 1, sizeof(*names));

	for (size_t i = 0; i < n; i++) {
		const char *base = strrchr(files[i], '/');
		size_t len;
		base = base ? base + 1 : files[i];
		len = strlen(base);
		if (len > 5 && strcmp(base + len - 5, ".yaml") == 0)
			len -= 5;
		names[i] = px__xasprintf("%.*s", (int)len, base);
		for (int k = 2;; k++) {
			size_t j = 0;
			while (j < i && strcmp(names[j], names[i]) != 0)
				j++;
			if (j == i)
				break;
			free(names[i]);
			names[i] = px__xasprintf("%.*s-%d", (int)len, base, k);
		}
	}
	return names;
}

/* Runs argv, its stdout into out (cap bytes); its exit status, or -1. */
static int run_capture(char *const argv[], char *out, size_t cap)
{
	int fd[2], status;
	size_t len = 0;
	ssize_t n;
	pid_t pid;

	if (pipe(fd) != 0)
		return -1;
	pid = fork();
	if (pid == 0) {
		dup2(fd[1], STDOUT_FILENO);
		close(fd[0]);
		close(fd[1]);
		execvp(argv[0], argv);
		fprintf(stderr, "parlab: error: cannot run %s: %s\n", argv[0],
		        strerror(errno));
		_exit(127);
	}
	close(fd[1]);
	while (pid > 0 && len + 1 < cap &&
	       (n = read(fd[0], out + len, cap - 1 - len)) > 0)
		len += (size_t)n;
	out[len] = '\0';
	close(fd[0]);
	if (pid < 0 || waitpid(pid, &status, 0) < 0)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* sbatch --parsable [dependency] script; the job id, or NULL after
 * saying why. */
static char *submit(const char *script, const char *dependency)
{
	char out[256], *dep = dependency
	        ? px__xasprintf("--dependency=afterany:%s", dependency) : NULL;
	char *argv[] = { "sbatch", "--parsable", dep ? dep : (char *)script,
	                 dep ? (char *)script : NULL, NULL };
	int rc = run_capture(argv, out, sizeof(out));

	free(dep);
	out[strcspn(out, ";\n")] = '\0';
	if (rc != 0 || !out[0]) {
		fprintf(stderr, "parlab: error: sbatch %s failed (exit %d); nothing more submitted\n",
		        script, rc);
		return NULL;
	}
	return px__xstrdup(out);
}

/* Writes text to batch/name; false after saying why. */
static bool write_script(const char *batch, const char *name, const char *text)
{
	char *path = px__xasprintf("%s/%s", batch, name);
	struct px_afile a;
	bool ok;

	px__afile_open(&a, path);
	fputs(text, a.f);
	ok = px__afile_commit(&a) == 0;
	free(path);
	return ok;
}

/* Writes both scripts into the batch directory and submits them. */
static int submit_all(const struct slurm_job *j, const char *array,
                      const char *merge)
{
	char *path, *id, *mid;
	int rc = px__mkdir_p(j->batch);

	if (rc) {
		fprintf(stderr, "parlab: error: cannot create %s: %s\n", j->batch,
		        strerror(-rc));
		return PX_EXIT_USAGE;
	}
	if (!write_script(j->batch, "slurm-array.sh", array) ||
	    !write_script(j->batch, "slurm-merge.sh", merge))
		return PX_EXIT_WRITE;
	path = px__xasprintf("%s/slurm-array.sh", j->batch);
	id = submit(path, NULL);
	free(path);
	if (!id)
		return PX_EXIT_USAGE;
	path = px__xasprintf("%s/slurm-merge.sh", j->batch);
	mid = submit(path, id);
	free(path);
	if (mid) {
		printf("array job: %s (%zu task%s)\nmerge job: %s (after the array)\nbatch: %s\n",
		       id, j->n, j->n == 1 ? "" : "s", mid, j->batch);
		printf("overview when the merge job ends: %s/index.html\n", j->batch);
	}
	free(id);
	free(mid);
	return mid ? PX_EXIT_OK : PX_EXIT_USAGE;
}

/* Prints or submits the scripts of the files in ins. */
static int emit(const struct cli *c, const struct inputs *ins)
{
	char self[PATH_MAX];
	ssize_t len = readlink("/proc/self/exe", self, sizeof(self) - 1);
	struct slurm_job j = { .c = c, .n = ins->n };
	char *array, *merge;
	int code = PX_EXIT_OK;

	self[len > 0 ? len : 0] = '\0';
	j.parlab = len > 0 ? self : "parlab";
	j.batch = batch_dir(c);
	j.files = px__xcalloc(ins->n + 1, sizeof(*j.files));
	for (size_t i = 0; i < ins->n; i++)
		j.files[i] = absolute(ins->v[i].path);
	j.names = dir_names(j.files, j.n);
	array = px__slurm_array_script(&j);
	merge = px__slurm_merge_script(&j);
	if (c->print)
		printf("%s\n# then, after the array job: sbatch --dependency=afterany:<array job id> %s/slurm-merge.sh\n%s",
		       array, j.batch, merge);
	else
		code = submit_all(&j, array, merge);
	free(array);
	free(merge);
	px__free_strv(j.files);
	px__free_strv(j.names);
	free((char *)j.batch);
	return code;
}

int px__cmd_slurm(struct cli *c)
{
	struct inputs ins;
	bool quiet = c->quiet;
	int code;

	if (c->nfiles < 1) {
		fprintf(stderr, "parlab: error: slurm needs experiment files or folders\n");
		return PX_EXIT_USAGE;
	}
	/* every file checked here, before anything is submitted */
	c->quiet = true;
	code = px__cmd_run(c, true);
	c->quiet = quiet;
	if (code != PX_EXIT_OK)
		return code;
	px__inputs_expand(c, &ins);
	code = ins.n ? emit(c, &ins) : PX_EXIT_USAGE;
	px__inputs_free(&ins);
	return code;
}
