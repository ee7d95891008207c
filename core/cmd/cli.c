/* cli.c: what every subcommand does with the command line before its own
 * work: loading the plugins and opening the topology it names. */
#include "cmd/cli.h"

#include <errno.h>
#include <stdio.h>

#include "base/util.h"

void px__cli_open_plugins(const struct cli *c, struct registry *reg)
{
	char **dirs = px__plugin_dirs(c->plugin_path);

	px__registry_init(reg, dirs, c->quiet ? NULL : stderr);
	px__free_strv(dirs);
}

void px__cli_load_plugins(const struct cli *c, struct registry *reg)
{
	px__cli_open_plugins(c, reg);
	px__registry_scan(reg);
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
