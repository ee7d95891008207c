/* cli.c: what every subcommand does with the command line before its own
 * work: loading the plugins and opening the topology it names. */
#include "cmd/cli.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>

#include "base/util.h"

int px__cli_open_plugins(const struct cli *c, struct registry *reg)
{
	char err[PATH_MAX + 128];
	struct plugin_dirs pd;

	if (px__plugin_dirs_find(&pd, c->plugin_path, err, sizeof(err))) {
		fprintf(stderr, "parlab: error: %s\n", err);
		return PX_EXIT_USAGE;
	}
	px__registry_init(reg, &pd, c->quiet ? NULL : stderr);
	px__plugin_dirs_free(&pd);
	return 0;
}

int px__cli_plugin_errors(const struct registry *reg)
{
	char *where;

	for (size_t i = 0; i < reg->n_clashes; i++)
		fprintf(stderr, "parlab: error: %s\n", reg->clashes[i].msg);
	if (reg->n_clashes)
		return PX_EXIT_USAGE;
	if (reg->scanned && reg->n == 0) {
		where = px__plugin_dirs_join(reg->searched.dirs);
		fprintf(stderr, "parlab: error: no plugins found; searched %s\n",
		        where);
		free(where);
		return PX_EXIT_USAGE;
	}
	return 0;
}

int px__cli_load_plugins(const struct cli *c, struct registry *reg)
{
	if (px__cli_open_plugins(c, reg))
		return PX_EXIT_USAGE;
	px__registry_scan(reg);
	return px__cli_plugin_errors(reg);
}

int px__cli_open_topo(const struct cli *c, struct topo *tp)
{
	char err[512];

	if (px__topo_open(tp, c->topology, err, sizeof(err))) {
		fprintf(stderr, "parlab: error: --topology: %s\n", err);
		return -EINVAL;
	}
	if (c->cpuset && px__topo_restrict(tp, c->cpuset, err, sizeof(err))) {
		fprintf(stderr, "parlab: error: --cpuset: %s\n", err);
		px__topo_close(tp);
		return -EINVAL;
	}
	return 0;
}
