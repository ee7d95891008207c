/* main.c: `parlab COMMAND [OPTIONS] [ARGS]`: dispatch and options. */
#define _GNU_SOURCE
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cli.h"
#include "base/units.h"

#ifndef PARLAB_VERSION
#define PARLAB_VERSION "0.0.0"
#endif

static const char usage_main[] =
	"usage: parlab COMMAND [OPTIONS] [ARGS]\n"
	"\n"
	"  run FILE...           run experiments; print a table and verdicts; write results\n"
	"  validate FILE...      check experiment files without running anything\n"
	"  list [strategies|workloads]  installed plugins with their parameters\n"
	"  describe NAME         one plugin's documentation and parameter table\n"
	"  topo                  the machine's topology and the pin plan for N workers\n"
	"  report DIR...         re-render the table, charts and report.html of a results directory\n"
	"  compare DIR_A DIR_B   two result sets side by side, with significance\n"
	"\n"
	"parlab COMMAND --help shows a command's options.\n"
	"exit codes: 0 all ran and every expectation held, 1 an expectation failed,\n"
	"2 bad command line or experiment file (nothing ran), 3 a trial failed.\n";

static const char usage_run[] =
	"usage: parlab run [OPTIONS] FILE...\n"
	"  -o, --output DIR       results go under DIR/<experiment>-<time>/ (default results)\n"
	"      --output-dir DIR   results go in DIR itself, which must not exist\n"
	"      --dry-run          print the trial plan and pin plan, run nothing\n"
	"      --topology SPEC    plan for an hwloc synthetic topology or XML file (with --dry-run)\n"
	"      --cpuset LIST      use only these CPUs (OS indices, e.g. 0-3,6)\n"
	"      --plugin-path DIRS also load plugins from DIRS (colon-separated;\n"
	"                         also $PARLAB_PLUGIN_PATH)\n"
	"      --only PATTERN     run only trials whose label or strategy matches (fnmatch)\n"
	"      --repetitions N    measured runs per trial, overriding the file\n"
	"      --max-trials N     allow up to N trials and 10 x N runs (default 10000)\n"
	"      --quiet            no progress lines\n"
	"      --json             print only the JSON summary on stdout\n";

static const char usage_validate[] =
	"usage: parlab validate [OPTIONS] FILE...\n"
	"  Checks each file (schema, plugin names, parameters, selectors of\n"
	"  expectations) and runs nothing. Options as for run: --plugin-path,\n"
	"  --topology, --cpuset, --max-trials, --quiet.\n";

static const char usage_list[] =
	"usage: parlab list [strategies|workloads] [--plugin-path DIRS]\n";

static const char usage_describe[] =
	"usage: parlab describe NAME [--plugin-path DIRS]\n";

static const char usage_compare[] =
	"usage: parlab compare DIR_A DIR_B\n"
	"  Matches the trials of two results directories by label and workers and\n"
	"  prints the median wall times, B/A with its interval, and the two-sided\n"
	"  Mann-Whitney U test's p (faster or slower below 0.05).\n";

static const char usage_report[] =
	"usage: parlab report DIR...\n"
	"  Re-renders each results directory's table, speedup.svg, time.svg,\n"
	"  latency.svg and report.html from its summary.csv, verdicts and\n"
	"  meta.json: a run on a machine without a display can be read later.\n";

static const char usage_topo[] =
	"usage: parlab topo [OPTIONS]\n"
	"  -n, --workers N        plan N workers (default: the number of cores)\n"
	"      --pinning POLICY   compact (default), scatter, none, or a location (core:0)\n"
	"      --topology SPEC    an hwloc synthetic topology (\"pack:2 core:4 pu:2\") or XML file\n"
	"      --cpuset LIST      use only these CPUs (OS indices)\n"
	"      --json             for each worker, the OS indices of its PUs\n";

enum {
	OPT_DRY = 256, OPT_TOPO, OPT_PLUGIN, OPT_ONLY, OPT_REPS, OPT_QUIET,
	OPT_JSON, OPT_CPUSET, OPT_PINNING, OPT_OUTDIR, OPT_MAX_TRIALS,
};

static const struct option options[] = {
	{ "output", required_argument, NULL, 'o' },
	{ "output-dir", required_argument, NULL, OPT_OUTDIR },
	{ "dry-run", no_argument, NULL, OPT_DRY },
	{ "topology", required_argument, NULL, OPT_TOPO },
	{ "cpuset", required_argument, NULL, OPT_CPUSET },
	{ "plugin-path", required_argument, NULL, OPT_PLUGIN },
	{ "only", required_argument, NULL, OPT_ONLY },
	{ "repetitions", required_argument, NULL, OPT_REPS },
	{ "max-trials", required_argument, NULL, OPT_MAX_TRIALS },
	{ "quiet", no_argument, NULL, OPT_QUIET },
	{ "json", no_argument, NULL, OPT_JSON },
	{ "workers", required_argument, NULL, 'n' },
	{ "pinning", required_argument, NULL, OPT_PINNING },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static bool parse_unsigned(const char *opt, const char *s, unsigned *out)
{
	int64_t v;

	if (px__parse_int(s, &v) || v < 1 || v > 1000000) {
		fprintf(stderr, "parlab: error: %s: '%s' is not an integer from 1 to 1000000\n",
		        opt, s);
		return false;
	}
	*out = (unsigned)v;
	return true;
}

/* Parses the options after the command; false on a bad one. */
static bool parse_options(struct cli *c, int argc, char **argv,
                          const char *usage, bool *help)
{
	int opt;

	optind = 1;
	while ((opt = getopt_long(argc, argv, "o:n:h", options, NULL)) != -1) {
		switch (opt) {
		case 'o':
			c->out_dir = optarg;
			break;
		case OPT_OUTDIR:
			c->out_exact = optarg;
			break;
		case OPT_DRY:
			c->dry_run = true;
			break;
		case OPT_TOPO:
			c->topology = optarg;
			break;
		case OPT_CPUSET:
			c->cpuset = optarg;
			break;
		case OPT_PLUGIN:
			c->plugin_path = optarg;
			break;
		case OPT_ONLY:
			c->only = optarg;
			break;
		case OPT_REPS:
			if (!parse_unsigned("--repetitions", optarg, &c->repetitions))
				return false;
			break;
		case OPT_MAX_TRIALS: {
			unsigned v;
			if (!parse_unsigned("--max-trials", optarg, &v))
				return false;
			c->max_trials = v;
			break;
		}
		case OPT_QUIET:
			c->quiet = true;
			break;
		case OPT_JSON:
			c->json = true;
			break;
		case 'n':
			if (!parse_unsigned("--workers", optarg, &c->workers))
				return false;
			break;
		case OPT_PINNING:
			c->pinning = optarg;
			break;
		case 'h':
			*help = true;
			fputs(usage, stdout);
			return true;
		default:
			fputs(usage, stderr);
			return false;
		}
	}
	c->files = argv + optind;
	c->nfiles = argc - optind;
	return true;
}

int main(int argc, char **argv)
{
	static const struct {
		const char *name;
		const char *usage;
	} commands[] = {
		{ "run", usage_run },       { "validate", usage_validate },
		{ "list", usage_list },     { "describe", usage_describe },
		{ "topo", usage_topo },     { "compare", usage_compare },
		{ "report", usage_report },
	};
	struct cli c = { .out_dir = "results", .argc = argc, .argv = argv };
	const char *cmd = argc > 1 ? argv[1] : NULL;
	bool help = false;
	size_t k;

	if (!cmd || strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 ||
	    strcmp(cmd, "help") == 0) {
		fputs(usage_main, cmd ? stdout : stderr);
		return cmd ? PX_EXIT_OK : PX_EXIT_USAGE;
	}
	if (strcmp(cmd, "--version") == 0) {
		printf("parlab %s (plugin ABI %d.%d)\n", PARLAB_VERSION,
		       PX_ABI_MAJOR, PX_ABI_MINOR);
		return PX_EXIT_OK;
	}
	for (k = 0; k < sizeof(commands) / sizeof(commands[0]); k++)
		if (strcmp(cmd, commands[k].name) == 0)
			break;
	if (k == sizeof(commands) / sizeof(commands[0])) {
		fprintf(stderr, "parlab: error: unknown command '%s'\n\n%s", cmd,
		        usage_main);
		return PX_EXIT_USAGE;
	}
	if (!parse_options(&c, argc - 1, argv + 1, commands[k].usage, &help))
		return PX_EXIT_USAGE;
	if (help)
		return PX_EXIT_OK;
	switch (k) {
	case 0:
		return px__cmd_run(&c, false);
	case 1:
		return px__cmd_run(&c, true);
	case 2:
		return px__cmd_list(&c, c.nfiles ? c.files[0] : NULL);
	case 3:
		return px__cmd_describe(&c, c.nfiles ? c.files[0] : NULL);
	case 4:
		return px__cmd_topo(&c);
	case 5:
		return px__cmd_compare(&c);
	default:
		return px__cmd_report(&c);
	}
}
