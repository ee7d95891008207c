/* batch_files.h: experiment files and result files for the batch, merge
 * and SLURM system tests: writing a file, reading one back. */
#ifndef PX_TEST_BATCH_FILES_H
#define PX_TEST_BATCH_FILES_H

#include <stdio.h>
#include <stdlib.h>

#include "helpers.h"
#include "base/json.h"
#include "base/util.h"

/* Writes dir/name with the text given (dir made as needed). */
static inline void px_put(const char *dir, const char *name, const char *text)
{
	char *path = px__xasprintf("%s/%s", dir, name);
	FILE *f;

	px__mkdir_p(dir);
	f = fopen(path, "w");
	CU_ASSERT_FATAL(f != NULL);
	fputs(text, f);
	fclose(f);
	free(path);
}

/* dir/name's text, or NULL; the caller frees. */
static inline char *px_read_in(const char *dir, const char *name)
{
	char *path = px__xasprintf("%s/%s", dir, name), *text;

	text = px__read_file(path);
	free(path);
	return text;
}

/* A tiny experiment: noop, serial (and free-threads when two), 2
 * repetitions, one expectation that holds. */
static inline char *px_tiny_experiment(const char *name, bool two)
{
	return px__xasprintf("experiment: %s\ndescription: the %s one\n"
	                     "workload: {name: noop, params: {tasks: 2}}\n"
	                     "strategies: [serial%s]\nworkers: 1\n"
	                     "repetitions: 2\nwarmup: 0\nexpect:\n  - %s\n",
	                     name, name, two ? ", free-threads" : "",
	                     two ? "speedup(free-threads, workers=1) > 0.000001"
	                         : "wall_s(serial) < 100s");
}

/* Asserts that every experiment of dir/batch.json shows as wall_s what
 * its own meta.json records (the experiment's run time, every session
 * together), and returns how many experiments it checked. */
static inline int px_check_batch_walls(const char *dir)
{
	char *batch = px_read_in(dir, "batch.json");
	const char *key = "\"results_dir\": \"";
	int n = 0;

	CU_ASSERT_FATAL(batch != NULL);
	for (const char *p = strstr(batch, key); p; p = strstr(p + 1, key)) {
		const char *rel = p + strlen(key);
		char *sub = px__xasprintf("%s/%.*s", dir,
		                          (int)strcspn(rel, "\""), rel);
		char *meta = px_read_in(sub, "meta.json");
		double want = meta ? px__json_find_num(meta, "wall_s", -1) : -1;
		CU_ASSERT(want >= 0);
		CU_ASSERT_EQUAL(px__json_find_num(p, "wall_s", -2), want);
		n++;
		free(meta);
		free(sub);
	}
	free(batch);
	return n;
}

#endif
