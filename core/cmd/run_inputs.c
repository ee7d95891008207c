/* run_inputs.c: what `parlab run` is given, as a list of experiment
 * files: files and folders (every *.yaml under a folder, recursively, in
 * sorted order), or, with --resume, the experiments a results directory
 * recorded (each from the copy it kept, experiment.yaml). */
#define _GNU_SOURCE
#include "cmd/run.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/json.h"
#include "base/util.h"

static void add(struct inputs *in, size_t *cap, const char *path)
{
	px__grow(&in->v, cap, in->n + 1, sizeof(*in->v));
	memset(&in->v[in->n], 0, sizeof(in->v[0]));
	in->v[in->n].path = px__xstrdup(path);
	in->v[in->n++].source = px__xstrdup(path);
}

static bool is_yaml(const char *name)
{
	size_t n = strlen(name);

	return n > 5 && strcmp(name + n - 5, ".yaml") == 0;
}

/* Adds every *.yaml under dir, recursively, sorted by path (alphasort
 * per folder, a subfolder's files where its name sorts). */
static void add_folder(struct inputs *in, size_t *cap, const char *dir)
{
	struct dirent **names;
	int n = scandir(dir, &names, NULL, alphasort);

	for (int i = 0; i < n; i++) {
		const char *name = names[i]->d_name;
		char *path = px__xasprintf("%s%s%s", dir,
		                           dir[strlen(dir) - 1] == '/' ? "" : "/",
		                           name);
		struct stat st;
		if (name[0] != '.' && stat(path, &st) == 0) {
			if (S_ISDIR(st.st_mode))
				add_folder(in, cap, path);
			else if (is_yaml(name))
				add(in, cap, path);
		}
		free(path);
		free(names[i]);
	}
	free(names);
}

bool px__inputs_expand(const struct cli *c, struct inputs *in)
{
	size_t cap = 0;

	memset(in, 0, sizeof(*in));
	in->batch = c->nfiles > 1;
	for (int f = 0; f < c->nfiles; f++) {
		struct stat st;
		if (stat(c->files[f], &st) == 0 && S_ISDIR(st.st_mode)) {
			size_t before = in->n;
			add_folder(in, &cap, c->files[f]);
			in->batch = true;
			if (in->n == before)
				fprintf(stderr, "parlab: warning: %s: no *.yaml file in this folder\n",
				        c->files[f]);
		} else {
			add(in, &cap, c->files[f]);  /* the loader names errors */
		}
	}
	return true;
}

/* Adds the experiment recorded in results directory dir; false after
 * saying why it cannot be resumed. */
static bool add_recorded(struct inputs *in, size_t *cap, const char *dir)
{
	char *path = px__xasprintf("%s/meta.json", dir);
	char *meta = px__read_file(path);
	struct input *i;

	free(path);
	if (!meta) {
		fprintf(stderr, "parlab: error: %s: no meta.json: not a parlab results directory, or it was stopped before its first run\n",
		        dir);
		return false;
	}
	path = px__xasprintf("%s/experiment.yaml", dir);
	add(in, cap, path);
	free(path);
	i = &in->v[in->n - 1];
	free(i->source);
	i->source = px__json_find_str(meta, "experiment_file");
	i->want = px__json_find_str(meta, "experiment");
	i->dir = px__xstrdup(dir);
	i->meta = meta;
	if (!i->source || !i->want) {
		fprintf(stderr, "parlab: error: %s/meta.json does not record the experiment (made by an older parlab?)\n",
		        dir);
		return false;
	}
	return true;
}

/* A recorded option: "" (written for none) is none. */
static char *recorded(const char *meta, const char *key)
{
	char *s = px__json_find_str(meta, key);

	if (s && !*s) {
		free(s);
		s = NULL;
	}
	return s;
}

/* The options that shape the plan, as the first experiment recorded. */
static void recorded_options(struct cli *c, struct inputs *in)
{
	const char *meta = in->v[0].meta;

	c->only = in->only = recorded(meta, "only");
	c->cpuset = in->cpuset = recorded(meta, "cpuset");
	c->plugin_path = in->plugin_path = recorded(meta, "plugin_path");
	c->calibration = in->calibration = recorded(meta, "calibration");
	c->repetitions = (unsigned)px__json_find_num(meta, "repetitions", 0);
	c->max_trials = (unsigned)px__json_find_num(meta, "max_trials", 0);
}

bool px__inputs_resume(struct cli *c, struct inputs *in)
{
	char *bpath = px__xasprintf("%s/batch.json", c->resume);
	char *batch = px__read_file(bpath);
	size_t cap = 0;
	bool ok = true;

	memset(in, 0, sizeof(*in));
	free(bpath);
	if (!batch) {
		ok = add_recorded(in, &cap, c->resume);
	} else {
		size_t n;
		char **dirs = px__json_find_all_str(batch, "results_dir", &n);
		in->batch = true;
		in->batch_dir = px__xstrdup(c->resume);
		for (size_t k = 0; k < n; k++) {
			char *dir = px__xasprintf("%s/%s", c->resume, dirs[k]);
			ok &= add_recorded(in, &cap, dir);
			free(dir);
		}
		px__free_strv(dirs);
	}
	free(batch);
	if (ok && in->n)
		recorded_options(c, in);
	return ok && in->n;
}

void px__inputs_free(struct inputs *in)
{
	for (size_t i = 0; i < in->n; i++) {
		free(in->v[i].path);
		free(in->v[i].source);
		free(in->v[i].want);
		free(in->v[i].dir);
		free(in->v[i].meta);
	}
	free(in->v);
	free(in->batch_dir);
	free(in->only);
	free(in->cpuset);
	free(in->plugin_path);
	free(in->calibration);
	memset(in, 0, sizeof(*in));
}
