/* cmd_info.c: `parlab list`, `parlab describe` and `parlab topo`. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/json.h"
#include "base/suggest.h"
#include "base/util.h"
#include "cmd/cli.h"
#include "env/params.h"

static void list_kind(const struct registry *reg, enum px_kind kind)
{
	printf("%s:\n", kind == PX_KIND_STRATEGY ? "strategies" : "workloads");
	for (size_t i = 0; i < reg->n; i++) {
		const struct px_plugin *d = reg->items[i]->desc;
		if (d->kind != kind)
			continue;
		printf("  %-16s %s\n", d->name, d->summary ? d->summary : "");
		for (const struct px_param *p = d->params; p && p->name; p++)
			printf("      %-16s %-8s default %s\n", p->name,
			       px__param_type_name(p->type), p->def);
	}
}

/* "plugin folders: A, B": where list and describe looked. */
static void print_folders(const struct registry *reg)
{
	char *where = px__plugin_dirs_join(reg->searched.dirs);

	printf("plugin folders: %s\n", where);
	free(where);
}

int px__cmd_list(struct cli *c, const char *what)
{
	struct registry reg = { 0 };
	bool s = !what || strcmp(what, "strategies") == 0;
	bool w = !what || strcmp(what, "workloads") == 0;
	int code;

	if (!s && !w) {
		fprintf(stderr, "parlab: error: list '%s': expected strategies or workloads\n",
		        what);
		return PX_EXIT_USAGE;
	}
	code = px__cli_load_plugins(c, &reg);
	if (reg.searched.dirs)
		print_folders(&reg);
	if (reg.n && s)
		list_kind(&reg, PX_KIND_STRATEGY);
	if (reg.n && s && w)
		putchar('\n');
	if (reg.n && w)
		list_kind(&reg, PX_KIND_WORKLOAD);
	px__registry_close(&reg);
	return code;
}

/* describe's heading: kind, name, summary, file. */
static void describe(const struct plugin *p)
{
	const struct px_plugin *d = p->desc;

	printf("%s %s: %s\n", px__kind_name(d->kind), d->name,
	       d->summary ? d->summary : "");
	printf("file: %s (ABI %u.%u%s%s)\n", p->path, d->abi_major,
	       d->abi_minor, px__plugin_version(d) ? ", version " : "",
	       px__plugin_version(d) ? px__plugin_version(d) : "");
}

/* describe's documentation, parameters and metrics. */
static void describe_body(const struct plugin *p)
{
	const struct px_plugin *d = p->desc;
	static const char *const agg[] = { "", "sum", "max", "min", "last",
	                                   "samples" };

	if (d->doc)
		printf("%s\n\n", d->doc);
	printf("parameters:\n");
	px__param_print_table(stdout, d);
	if (d->metrics && d->metrics->name) {
		/* Columns as wide as the longest name and unit, at least as
		 * wide as the parameters' name column. */
		int wn = 18, wu = 10;
		for (const struct px_metric *m = d->metrics; m->name; m++) {
			int n = (int)strlen(m->name);
			int u = m->unit ? (int)strlen(m->unit) : 0;
			wn = n > wn ? n : wn;
			wu = u > wu ? u : wu;
		}
		printf("\n%s:\n", d->kind == PX_KIND_STRATEGY ? "counters"
		                                              : "metrics");
		for (const struct px_metric *m = d->metrics; m->name; m++)
			printf("  %-*s %-*s %-8s %s\n", wn, m->name, wu,
			       m->unit ? m->unit : "", agg[m->agg],
			       m->help ? m->help : "");
	}
}

int px__cmd_describe(struct cli *c, const char *name)
{
	struct registry reg = { 0 };
	const struct plugin *p;
	int code = PX_EXIT_OK;

	if (!name) {
		fprintf(stderr, "parlab: error: describe needs a plugin name (see parlab list)\n");
		return PX_EXIT_USAGE;
	}
	if (px__cli_open_plugins(c, &reg))
		return PX_EXIT_USAGE;
	p = px__registry_want_any(&reg, name);
	if (px__cli_plugin_errors(&reg)) {
		px__registry_close(&reg);
		return PX_EXIT_USAGE;
	}
	if (p) {
		describe(p);
		print_folders(&reg);
		putchar('\n');
		describe_body(p);
	} else {
		const char **names = px__xcalloc(reg.n + 1, sizeof(*names));
		char msg[256];
		for (size_t i = 0; i < reg.n; i++)
			names[i] = reg.items[i]->desc->name;
		snprintf(msg, sizeof(msg), "no plugin named '%s'", name);
		px__suggest_hint(msg, sizeof(msg), name, names, reg.n);
		fprintf(stderr, "parlab: error: %s (see parlab list)\n", msg);
		free(names);
		code = PX_EXIT_USAGE;
	}
	px__registry_close(&reg);
	return code;
}

static void topo_text(const struct topo *tp, const struct pinning *pin,
                      const struct pin_plan *plan)
{
	char buf[256];

	hwloc_bitmap_list_snprintf(buf, sizeof(buf),
	                           hwloc_topology_get_topology_cpuset(tp->t));
	printf("machine: %s\n  packages %d, cores %d, PUs %d, usable PUs %s\n",
	       tp->source, tp->packages, tp->cores, tp->pus, buf);
	for (int i = 0; i < tp->cores; i++) {
		hwloc_obj_t o = hwloc_get_obj_by_type(
			tp->t, hwloc_get_nbobjs_by_type(tp->t, HWLOC_OBJ_CORE) > 0
			               ? HWLOC_OBJ_CORE : HWLOC_OBJ_PU, (unsigned)i);
		hwloc_obj_t pkg = hwloc_get_ancestor_obj_by_type(tp->t,
		                                                 HWLOC_OBJ_PACKAGE, o);
		hwloc_bitmap_list_snprintf(buf, sizeof(buf), o->cpuset);
		printf("  core %-3d package %-2d PUs %s\n", i,
		       pkg ? (int)pkg->logical_index : 0, buf);
	}
	printf("pin plan for %zu workers (%s):\n", plan->n,
	       px__pinning_name(pin));
	for (size_t w = 0; w < plan->n; w++) {
		if (plan->sets[w])
			hwloc_bitmap_list_snprintf(buf, sizeof(buf), plan->sets[w]);
		else
			snprintf(buf, sizeof(buf), "any (not pinned)");
		printf("  worker %-4zu PUs %s\n", w, buf);
	}
}

static void topo_json(const struct topo *tp, const struct pinning *pin,
                      const struct pin_plan *plan)
{
	printf("{\"source\": ");
	px__json_str(stdout, tp->source);
	printf(", \"packages\": %d, \"cores\": %d, \"pus\": %d, \"pinning\": \"%s\", \"workers\": [",
	       tp->packages, tp->cores, tp->pus, px__pinning_name(pin));
	for (size_t w = 0; w < plan->n; w++) {
		unsigned id;
		bool first = true;
		printf("%s\n  {\"worker\": %zu, \"pus\": [", w ? "," : "", w);
		if (plan->sets[w]) {
			hwloc_bitmap_foreach_begin(id, plan->sets[w])
				printf("%s%u", first ? "" : ", ", id);
				first = false;
			hwloc_bitmap_foreach_end();
		}
		printf("]}");
	}
	printf("\n]}\n");
}

int px__cmd_topo(struct cli *c)
{
	struct topo tp;
	struct pinning pin = { .kind = PIN_COMPACT };
	struct pin_plan plan;
	char err[512];
	int code = PX_EXIT_OK;

	if (c->pinning && !px__pinning_parse_word(c->pinning, &pin.kind)) {
		if (strchr(c->pinning, ':')) {
			pin.kind = PIN_LIST;
			pin.locs = (char **)&c->pinning;
			pin.n = 1;
		} else {
			fprintf(stderr, "parlab: error: --pinning '%s': expected none, compact, scatter or a location such as core:0\n",
			        c->pinning);
			return PX_EXIT_USAGE;
		}
	}
	if (px__cli_open_topo(c, &tp))
		return PX_EXIT_USAGE;
	if (px__pin_plan(&tp, &pin, c->workers ? c->workers : (unsigned)tp.cores,
	                 &plan, err, sizeof(err))) {
		fprintf(stderr, "parlab: error: %s\n", err);
		code = PX_EXIT_USAGE;
	} else {
		if (c->json)
			topo_json(&tp, &pin, &plan);
		else
			topo_text(&tp, &pin, &plan);
		px__pin_plan_free(&plan);
	}
	px__topo_close(&tp);
	return code;
}
