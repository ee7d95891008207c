/* cli.h: the command line, shared by every subcommand. */
#ifndef PX_CLI_H
#define PX_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "env/plugins.h"
#include "env/topo.h"

/* Exit codes (docs/results.md). */
enum {
	PX_EXIT_OK = 0,        /* every trial ran, every expectation held */
	PX_EXIT_EXPECT = 1,    /* an expectation failed */
	PX_EXIT_USAGE = 2,     /* bad command line or experiment file */
	PX_EXIT_TRIAL = 3,     /* a trial failed; the rest went on */
	PX_EXIT_WRITE = 3,     /* a result file could not be written (the
	                          others were, the run went on) */
};

/* A repeatable option's values, in order (the strings are argv's). */
struct cli_list {
	const char **v;
	size_t n;
};

struct cli {
	const char *out_dir;
	const char *out_exact;   /* --output-dir: this exact directory */
	bool dry_run, quiet, json;
	bool keep_going;         /* run the valid files, leave the others out */
	bool force;              /* resume although something changed */
	const char *resume;      /* --resume DIR */
	bool verbose;            /* run: debug logs, run logs on stderr */
	const char *topology;
	const char *cpuset;
	const char *plugin_path;
	const char *only;
	const char *calibration; /* --calibration FILE (tools/calibrate.py) */
	const char *pinning;     /* topo: the policy to plan */
	const char *metric;      /* compare: the trials.csv column compared */
	unsigned repetitions;
	unsigned max_trials;     /* --max-trials (0: the default) */
	unsigned workers;        /* topo: how many workers to plan */
	bool print;              /* slurm: print the scripts, submit nothing */
	unsigned nodes;          /* slurm: run every file on each of N nodes */
	const char *nodelist;    /* slurm: on exactly these nodes */
	const char *partition, *slurm_time, *account;  /* slurm: for sbatch */
	struct cli_list sbatch_args;  /* slurm: more #SBATCH lines */
	char **files;
	int nfiles;
	int argc;                /* the whole command line, for meta.json */
	char **argv;
};

/* A registry over the search folders (kept in reg->searched) that loads
 * plugins as they are named (run, validate, describe), warning about
 * refused ones on stderr unless quiet. Returns 0, or says why on stderr
 * and returns PX_EXIT_USAGE: a --plugin-path or $PARLAB_PLUGIN_PATH entry
 * that is not a folder. */
int px__cli_open_plugins(const struct cli *c, struct registry *reg);

/* Says on stderr what makes the plugins the registry looked at unusable:
 * two files with one name (docs/plugins.md), or, once every folder was
 * scanned, no plugin at all (naming the folders searched). Returns 0 or
 * PX_EXIT_USAGE. */
int px__cli_plugin_errors(const struct registry *reg);

/* px__cli_open_plugins with every plugin of every folder loaded (list),
 * then px__cli_plugin_errors. */
int px__cli_load_plugins(const struct cli *c, struct registry *reg);

/* Opens the topology the command line asks for (this machine, or
 * --topology), restricted by --cpuset. Returns 0, or prints why and
 * returns -EINVAL. */
int px__cli_open_topo(const struct cli *c, struct topo *tp);

int px__cmd_run(struct cli *c, bool validate_only);
int px__cmd_list(struct cli *c, const char *what);
int px__cmd_describe(struct cli *c, const char *name);
int px__cmd_topo(struct cli *c);
int px__cmd_compare(struct cli *c);
int px__cmd_report(struct cli *c);
int px__cmd_merge(struct cli *c);
int px__cmd_slurm(struct cli *c);

#endif
