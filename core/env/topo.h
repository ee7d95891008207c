/* topo.h: the machine (or a machine described by hwloc) and pin plans. */
#ifndef PX_TOPO_H
#define PX_TOPO_H

#include <hwloc.h>
#include <stdbool.h>
#include <stddef.h>

#include "base/diag.h"

struct topo {
	hwloc_topology_t t;
	char *source;     /* "this machine", a synthetic string or an XML path */
	bool this_system; /* binding is real only on this system */
	int packages, cores, pus;
};

/* The most PUs a topology may have: plans hold a pin set per worker, and
 * a synthetic "pack:64 core:64 pu:16" would take minutes and gigabytes. */
#define PX_MAX_PUS 4096

/* Opens this machine when spec is NULL, else an hwloc synthetic string
 * ("pack:2 core:4 pu:2") or an exported XML file (a path ending in .xml).
 * On this machine the topology is restricted to the CPUs the process may
 * run on (its binding, taskset, cgroup), so no plan ever pins outside it.
 * More than PX_MAX_PUS PUs is an error. Returns 0, or -EINVAL with the reason in err. */
int px__topo_open(struct topo *tp, const char *spec, char *err, size_t cap);

/* Restricts the topology to the PUs of `cpulist` (OS indices, "0-3,6").
 * Returns 0, or -EINVAL with the reason in err. */
int px__topo_restrict(struct topo *tp, const char *cpulist, char *err,
                      size_t cap);

void px__topo_close(struct topo *tp);

enum pin_kind { PIN_NONE, PIN_COMPACT, PIN_SCATTER, PIN_LIST };

struct pinning {
	enum pin_kind kind;
	char **locs;        /* PIN_LIST: "core:0", "pu:2-3", ... */
	struct mark *marks; /* where each location was written */
	size_t n;
};

/* Parses "none", "compact" or "scatter"; false for anything else. */
bool px__pinning_parse_word(const char *s, enum pin_kind *kind);
const char *px__pinning_name(const struct pinning *p);

/* The PUs each worker may run on; sets[i] is NULL under PIN_NONE. */
struct pin_plan {
	size_t n;
	hwloc_bitmap_t *sets;
};

/* Plans `workers` workers. compact gives worker i the i-th core in
 * logical order; scatter takes the packages in turn, then the caches and
 * cores inside each (round-robin down the tree, as KMP_AFFINITY=scatter and
 * likwid-pin do); a list gives worker i location
 * i mod n; past the number of cores, placements wrap around. Returns 0, or
 * -EINVAL with the reason in err (a location that does not exist here). */
int px__pin_plan(const struct topo *tp, const struct pinning *p,
                 unsigned workers, struct pin_plan *out, char *err,
                 size_t cap);

/* Resolves one hwloc location ("core:0", "pu:2-3", "package:1") into the
 * PUs it covers; 0 or -EINVAL with the reason in err. */
int px__pin_location(const struct topo *tp, const char *loc,
                     hwloc_bitmap_t out, char *err, size_t cap);

void px__pin_plan_free(struct pin_plan *plan);

/* Binds the calling thread to set (a no-op that succeeds off this system
 * or for a NULL set). Returns 0 or a negative errno value. */
int px__pin_bind_thread(const struct topo *tp, hwloc_const_bitmap_t set);

#endif
