/* cli_table.c: every command and every option of the command line, as
 * data. Adding an option is one row here (and the field of struct cli it
 * sets); the parser, the help and the errors all read these tables. */
#include "cmd/cli_table.h"

#include <stdbool.h>
#include <string.h>

/* offsetof(struct cli, f), refused at compile time unless f has type t, so
 * that a row's kind and its field cannot disagree. */
#define PX_FIELD(f, t)                                                         \
	(offsetof(struct cli, f) +                                             \
	 0 * sizeof(char[_Generic(((struct cli *)0)->f, t: 1, default: -1)]))
#define FLAG(f) PX_OPT_FLAG, PX_FIELD(f, bool)
#define TEXT(f) PX_OPT_TEXT, PX_FIELD(f, const char *)
#define COUNT(f) PX_OPT_COUNT, PX_FIELD(f, unsigned)
#define LIST_OF(f) PX_OPT_LIST, PX_FIELD(f, struct cli_list)

#define RUN PX_CMD_RUN
#define VALIDATE PX_CMD_VALIDATE
#define LIST PX_CMD_LIST
#define DESCRIBE PX_CMD_DESCRIBE
#define TOPO PX_CMD_TOPO
#define COMPARE PX_CMD_COMPARE
#define SLURM PX_CMD_SLURM
#define MERGE PX_CMD_MERGE

const struct px_option px__options[] = {
	{ "output", 'o', "DIR", TEXT(out_dir), RUN | SLURM | MERGE,
	  "results go under DIR/<experiment>-<time>/, a batch\n"
	  "under DIR/batch-<time>/ (default results); merge:\n"
	  "the merged batch is DIR (default results/merge-<time>)" },
	{ "output-dir", 0, "DIR", TEXT(out_exact), RUN | SLURM,
	  "results go in DIR itself, which must not exist\n"
	  "(a batch: DIR/<experiment> each); slurm: DIR may\n"
	  "exist: a resubmission resumes what is unfinished" },
	{ "keep-going", 0, NULL, FLAG(keep_going), RUN,
	  "run the files without errors; name those left out" },
	{ "resume", 0, "DIR", TEXT(resume), RUN,
	  "go on with an interrupted run: a batch or an\n"
	  "experiment directory; runs recorded are not repeated" },
	{ "force", 0, NULL, FLAG(force), RUN,
	  "with --resume: go on although the experiment file,\n"
	  "a plugin or parlab changed since" },
	{ "dry-run", 0, NULL, FLAG(dry_run), RUN,
	  "print the trial plan and pin plan, run nothing" },
	{ "topology", 0, "SPEC", TEXT(topology), RUN | VALIDATE | TOPO,
	  "plan for another machine: an hwloc synthetic\n"
	  "topology (\"pack:2 core:4 pu:2\") or an XML file;\n"
	  "run takes it with --dry-run only" },
	{ "cpuset", 0, "LIST", TEXT(cpuset), RUN | VALIDATE | TOPO,
	  "use only these CPUs (OS indices, e.g. 0-3,6)" },
	{ "plugin-path", 0, "DIRS", TEXT(plugin_path),
	  RUN | VALIDATE | LIST | DESCRIBE | SLURM,
	  "also load plugins from DIRS (colon-separated;\n"
	  "also $PARLAB_PLUGIN_PATH)" },
	{ "only", 0, "PATTERN", TEXT(only), RUN,
	  "run only trials whose label or strategy matches\n"
	  "(fnmatch); baselines come along" },
	{ "calibration", 0, "FILE", TEXT(calibration), RUN | VALIDATE,
	  "set the parameters FILE gives (tools/calibrate.py)\n"
	  "where the experiment does not set them" },
	{ "repetitions", 0, "N", COUNT(repetitions), RUN | SLURM,
	  "measured runs per trial, overriding the file" },
	{ "max-trials", 0, "N", COUNT(max_trials), RUN | VALIDATE,
	  "allow up to N trials and 10 x N runs\n(default 10000)" },
	{ "quiet", 0, NULL, FLAG(quiet),
	  RUN | VALIDATE | LIST | DESCRIBE | MERGE,
	  "no progress lines, ok lines or plugin warnings" },
	{ "verbose", 'v', NULL, FLAG(verbose), RUN,
	  "plugins' log calls also write PX_LOG_DEBUG, and\n"
	  "each run's log is copied to stderr" },
	{ "json", 0, NULL, FLAG(json), RUN | TOPO | COMPARE,
	  "stdout holds one JSON document and nothing else" },
	{ "metric", 0, "COLUMN", TEXT(metric), COMPARE,
	  "compare this numeric column of trials.csv\n(default wall_s)" },
	{ "workers", 'n', "N", COUNT(workers), TOPO,
	  "plan N workers (default: the number of cores)" },
	{ "pinning", 0, "POLICY", TEXT(pinning), TOPO,
	  "compact (default), scatter, none, or a location\n"
	  "(core:0)" },
	{ "print", 0, NULL, FLAG(print), SLURM,
	  "print the sbatch scripts; create and submit nothing" },
	{ "nodes", 'N', "N", COUNT(nodes), SLURM,
	  "run every file on each of N nodes at once (one\n"
	  "directory per host, to compare machines)" },
	{ "nodelist", 0, "LIST", TEXT(nodelist), SLURM,
	  "run every file on each of these nodes (sbatch\n"
	  "--nodelist, e.g. lab[01-04])" },
	{ "partition", 'p', "NAME", TEXT(partition), SLURM,
	  "sbatch --partition" },
	{ "time", 't', "LIMIT", TEXT(slurm_time), SLURM,
	  "sbatch --time, per array task (e.g. 2:00:00)" },
	{ "account", 'A', "NAME", TEXT(account), SLURM,
	  "sbatch --account" },
	{ "sbatch-arg", 0, "ARG", LIST_OF(sbatch_args), SLURM,
	  "one more #SBATCH line (repeatable: --sbatch-arg\n"
	  "--qos=lab --sbatch-arg --mem=4G)" },
	{ "help", 'h', NULL, PX_OPT_HELP, 0, PX_CMD_ALL,
	  "print this command's options" },
	{ NULL, 0, NULL, 0, 0, 0, NULL },
};

static int cmd_run(struct cli *c)
{
	return px__cmd_run(c, false);
}

static int cmd_validate(struct cli *c)
{
	return px__cmd_run(c, true);
}

static int cmd_list(struct cli *c)
{
	return px__cmd_list(c, c->nfiles ? c->files[0] : NULL);
}

static int cmd_describe(struct cli *c)
{
	return px__cmd_describe(c, c->nfiles ? c->files[0] : NULL);
}

const struct px_command px__commands[] = {
	{ "run", PX_CMD_RUN, "FILE|DIR...", -1,
	  "run experiments; print a table and verdicts; write results",
	  "With --json, stdout holds one JSON document: an experiment's\n"
	  "summary, or, when the files hold several experiments, a list of the\n"
	  "summaries of those that ran (--only may skip some). When nothing ran\n"
	  "(exit code 2) stdout is empty and stderr says why.",
	  cmd_run },
	{ "validate", PX_CMD_VALIDATE, "FILE...", -1,
	  "check experiment files without running anything",
	  "Checks each file (schema, plugin names, parameters, selectors of\n"
	  "expectations) and runs nothing.",
	  cmd_validate },
	{ "list", PX_CMD_LIST, "[strategies|workloads]", 1,
	  "installed plugins with their parameters", NULL, cmd_list },
	{ "describe", PX_CMD_DESCRIBE, "NAME", 1,
	  "one plugin's documentation and parameter table", NULL,
	  cmd_describe },
	{ "topo", PX_CMD_TOPO, "", 0,
	  "the machine's topology and the pin plan for N workers",
	  "With --json, for each worker the OS indices of its PUs.", px__cmd_topo },
	{ "report", PX_CMD_REPORT, "DIR...", -1,
	  "re-render the table, charts and report.html of a results directory",
	  "Re-renders each results directory's table, speedup.svg, time.svg,\n"
	  "latency.svg and report.html from its summary.csv, verdicts and\n"
	  "meta.json: a run on a machine without a display can be read later.",
	  px__cmd_report },
	{ "compare", PX_CMD_COMPARE, "DIR_A DIR_B", 2,
	  "two result sets side by side, with significance",
	  "Matches the trials of two results directories by label and workers\n"
	  "and prints the medians of a column (wall_s, or --metric), B/A with\n"
	  "its interval, and the two-sided Mann-Whitney U test's p (different\n"
	  "below 0.05), with a note when the runs are too few for any p to get\n"
	  "there. With --json, stdout holds one JSON document.",
	  px__cmd_compare },
	{ "slurm", PX_CMD_SLURM, "FILE|DIR...", -1,
	  "run experiments as a SLURM job array; merge them when it ends",
	  "Writes an sbatch script for a job array, one task per experiment\n"
	  "file, each running `parlab run` alone on its node (--exclusive)\n"
	  "into one shared batch directory (a folder every node sees), and a\n"
	  "merge job that waits for the array (afterany) and writes the batch\n"
	  "overview with `parlab merge`. Submits both with sbatch, or prints\n"
	  "them with --print. Submitted again with --output-dir into the same\n"
	  "directory, each task resumes its experiment where it stopped, and\n"
	  "skips a complete one.",
	  px__cmd_slurm },
	{ "merge", PX_CMD_MERGE, "DIR...", -1,
	  "results of several machines or runs as one batch: claims x machines",
	  "Combines results directories (experiment or batch directories,\n"
	  "or folders holding them) into one batch in -o DIR, the host as a\n"
	  "dimension: batch.json, summary.md and index.html gain a matrix of\n"
	  "each expectation on each machine (verdict and measured value).\n"
	  "Directories outside DIR are copied in. Refuses two results of one\n"
	  "experiment name from different experiment files.",
	  px__cmd_merge },
};

const size_t px__n_commands = sizeof(px__commands) / sizeof(px__commands[0]);

const struct px_command *px__command_find(const char *name)
{
	for (size_t i = 0; i < px__n_commands; i++)
		if (strcmp(px__commands[i].name, name) == 0)
			return &px__commands[i];
	return NULL;
}

const struct px_option *px__option_find(const char *name, char short_name)
{
	for (const struct px_option *o = px__options; o->name; o++)
		if (name ? strcmp(o->name, name) == 0
		         : short_name && o->short_name == short_name)
			return o;
	return NULL;
}
