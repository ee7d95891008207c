/* slurm.h: the two sbatch scripts of `parlab slurm`: the job array (one
 * task per experiment file) and the merge job that follows it. */
#ifndef PX_SLURM_H
#define PX_SLURM_H

#include <stddef.h>

#include "cmd/cli.h"

struct slurm_job {
	const char *parlab;     /* this binary, absolute */
	const char *batch;      /* the shared batch directory, absolute */
	char **files;           /* the experiment files, absolute */
	char **names;           /* each one's directory name in the batch */
	size_t n;
	const struct cli *c;    /* --nodes, --partition, ... */
};

/* The array script (the caller frees): task i runs files[i] into
 * batch/names[i] (batch/names[i]@<host> on each node with --nodes or
 * --nodelist), resumes it when it is there unfinished, skips it when it
 * is complete. */
char *px__slurm_array_script(const struct slurm_job *j);

/* The merge job's script: `parlab merge -o batch batch`. */
char *px__slurm_merge_script(const struct slurm_job *j);

#endif
