/* topo.c: hwloc topologies, restriction to the allowed CPUs, pin plans. */
#define _GNU_SOURCE
#include "env/topo.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"

static void count_objects(struct topo *tp)
{
	tp->packages = hwloc_get_nbobjs_by_type(tp->t, HWLOC_OBJ_PACKAGE);
	tp->cores = hwloc_get_nbobjs_by_type(tp->t, HWLOC_OBJ_CORE);
	tp->pus = hwloc_get_nbobjs_by_type(tp->t, HWLOC_OBJ_PU);
	if (tp->cores <= 0)  /* some VMs report PUs only */
		tp->cores = tp->pus;
	if (tp->packages <= 0)
		tp->packages = 1;
}

static int restrict_to(struct topo *tp, hwloc_bitmap_t set, char *err,
                       size_t cap)
{
	if (hwloc_bitmap_iszero(set)) {
		snprintf(err, cap, "no usable CPU is left after restriction");
		return -EINVAL;
	}
	if (hwloc_topology_restrict(tp->t, set,
	                            HWLOC_RESTRICT_FLAG_REMOVE_CPULESS) < 0) {
		snprintf(err, cap, "hwloc cannot restrict the topology: %s",
		         strerror(errno));
		return -EINVAL;
	}
	count_objects(tp);
	return 0;
}

/* Keeps only the PUs this process may run on: hwloc already leaves out
 * what the cgroup forbids; the process binding (taskset, a batch
 * scheduler) narrows it further. */
static int restrict_to_binding(struct topo *tp, char *err, size_t cap)
{
	hwloc_bitmap_t set = hwloc_bitmap_alloc();
	int rc = 0;

	if (hwloc_get_cpubind(tp->t, set, HWLOC_CPUBIND_PROCESS) == 0) {
		hwloc_bitmap_and(set, set,
		                 hwloc_topology_get_allowed_cpuset(tp->t));
		if (!hwloc_bitmap_isequal(set,
		                          hwloc_topology_get_topology_cpuset(tp->t)))
			rc = restrict_to(tp, set, err, cap);
	}
	hwloc_bitmap_free(set);
	return rc;
}

/* The number of PUs a synthetic description makes, before hwloc builds
 * them: the product of every level's arity ("pack:2 core:4(...) pu:2"),
 * saturating at UINT64_MAX. */
static uint64_t synthetic_pus(const char *spec)
{
	uint64_t n = 1;
	const char *p = spec;

	while (*p) {
		size_t len = strcspn(p, " \t");
		char tok[64];
		const char *num;
		unsigned long long k;
		snprintf(tok, sizeof(tok), "%.*s", (int)(len < 63 ? len : 63), p);
		tok[strcspn(tok, "([")] = '\0';
		num = strrchr(tok, ':') ? strrchr(tok, ':') + 1 : tok;
		k = strtoull(num, NULL, 10);
		if (k > 0)
			n = n > UINT64_MAX / k ? UINT64_MAX : n * k;
		p += len;
		p += strspn(p, " \t");
	}
	return n;
}

static int too_many_pus(const char *spec, uint64_t pus, char *err, size_t cap)
{
	snprintf(err, cap,
	         "'%s' has %llu PUs; parlab plans for at most %d", spec,
	         (unsigned long long)pus, PX_MAX_PUS);
	return -EINVAL;
}

int px__topo_open(struct topo *tp, const char *spec, char *err, size_t cap)
{
	size_t len = spec ? strlen(spec) : 0;
	int rc;

	memset(tp, 0, sizeof(*tp));
	if (hwloc_topology_init(&tp->t) < 0) {
		snprintf(err, cap, "hwloc_topology_init failed");
		return -EINVAL;
	}
	if (!spec) {
		tp->this_system = true;
		tp->source = px__xstrdup("this machine");
	} else if (len > 4 && strcmp(spec + len - 4, ".xml") == 0) {
		tp->source = px__xstrdup(spec);
		if (hwloc_topology_set_xml(tp->t, spec) < 0) {
			snprintf(err, cap, "%s: cannot read this hwloc XML file: %s",
			         spec, strerror(errno));
			goto fail;
		}
	} else if (synthetic_pus(spec) > PX_MAX_PUS) {
		too_many_pus(spec, synthetic_pus(spec), err, cap);
		goto fail;
	} else {
		tp->source = px__xstrdup(spec);
		if (hwloc_topology_set_synthetic(tp->t, spec) < 0) {
			snprintf(err, cap,
			         "'%s' is not an hwloc synthetic topology (e.g. \"pack:2 core:4 pu:2\") nor an .xml file",
			         spec);
			goto fail;
		}
	}
	if (hwloc_topology_load(tp->t) < 0) {
		snprintf(err, cap, "hwloc cannot load the topology: %s",
		         strerror(errno));
		goto fail;
	}
	count_objects(tp);
	if (tp->this_system && (rc = restrict_to_binding(tp, err, cap)))
		goto fail;
	if (tp->pus > PX_MAX_PUS) {
		too_many_pus(tp->source, (uint64_t)tp->pus, err, cap);
		goto fail;
	}
	return 0;
fail:
	px__topo_close(tp);
	return -EINVAL;
}

int px__topo_restrict(struct topo *tp, const char *cpulist, char *err,
                      size_t cap)
{
	hwloc_bitmap_t set = hwloc_bitmap_alloc();
	int rc;

	if (hwloc_bitmap_list_sscanf(set, cpulist) < 0) {
		snprintf(err, cap, "'%s' is not a CPU list such as 0-3,6", cpulist);
		hwloc_bitmap_free(set);
		return -EINVAL;
	}
	hwloc_bitmap_and(set, set, hwloc_topology_get_topology_cpuset(tp->t));
	rc = restrict_to(tp, set, err, cap);
	hwloc_bitmap_free(set);
	return rc;
}

void px__topo_close(struct topo *tp)
{
	if (tp->t)
		hwloc_topology_destroy(tp->t);
	free(tp->source);
	memset(tp, 0, sizeof(*tp));
}

bool px__pinning_parse_word(const char *s, enum pin_kind *kind)
{
	static const struct {
		const char *word;
		enum pin_kind kind;
	} words[] = {
		{ "none", PIN_NONE }, { "compact", PIN_COMPACT },
		{ "close", PIN_COMPACT }, { "scatter", PIN_SCATTER },
		{ "spread", PIN_SCATTER },
	};

	for (size_t i = 0; i < PX_ARRAY_LEN(words); i++) {
		if (strcmp(s, words[i].word) == 0) {
			*kind = words[i].kind;
			return true;
		}
	}
	return false;
}

const char *px__pinning_name(const struct pinning *p)
{
	static const char *const names[] = { "none", "compact", "scatter",
	                                     "list" };
	return names[p->kind];
}

/* The core (or the PU where hwloc reports no cores) as the unit of a
 * placement. */
static hwloc_obj_type_t place_type(const struct topo *tp)
{
	return hwloc_get_nbobjs_by_type(tp->t, HWLOC_OBJ_CORE) > 0
	               ? HWLOC_OBJ_CORE : HWLOC_OBJ_PU;
}

static void plan_compact(const struct topo *tp, struct pin_plan *plan)
{
	hwloc_obj_type_t type = place_type(tp);
	unsigned n = (unsigned)hwloc_get_nbobjs_by_type(tp->t, type);

	for (size_t i = 0; i < plan->n; i++) {
		hwloc_obj_t o = hwloc_get_obj_by_type(tp->t, type,
		                                      (unsigned)(i % n));
		plan->sets[i] = hwloc_bitmap_dup(o->cpuset);
	}
}

/* Appends the places (cores, or PUs where there are no cores) under o in
 * scatter order: the first place of each child subtree in turn, then the
 * second of each, and so on, recursively. Consecutive workers so land in
 * different packages, then different caches, then different cores, as
 * Intel's KMP_AFFINITY=scatter and likwid-pin's scatter do. */
static size_t scatter_order(hwloc_topology_t t, hwloc_obj_t o,
                            hwloc_obj_type_t type, hwloc_obj_t *out)
{
	hwloc_obj_t *kids[64], *buf;
	size_t counts[64], n = 0, nk = 0, most = 0;

	if (o->type == type) {
		out[0] = o;
		return 1;
	}
	if (o->arity == 0 || o->arity > 64)
		return 0;
	buf = px__xcalloc((size_t)hwloc_get_nbobjs_by_type(t, type) + 1,
	                  sizeof(*buf));
	for (unsigned i = 0; i < o->arity; i++) {
		kids[nk] = buf + n;
		counts[nk] = scatter_order(t, o->children[i], type, kids[nk]);
		n += counts[nk];
		if (counts[nk] > most)
			most = counts[nk];
		nk++;
	}
	n = 0;
	for (size_t r = 0; r < most; r++)
		for (size_t k = 0; k < nk; k++)
			if (r < counts[k])
				out[n++] = kids[k][r];
	free(buf);
	return n;
}

static void plan_scatter(const struct topo *tp, struct pin_plan *plan)
{
	hwloc_obj_type_t type = place_type(tp);
	size_t total = (size_t)hwloc_get_nbobjs_by_type(tp->t, type), n;
	hwloc_obj_t *order = px__xcalloc(total + 1, sizeof(*order));

	n = scatter_order(tp->t, hwloc_get_root_obj(tp->t), type, order);
	for (size_t i = 0; i < plan->n; i++)
		plan->sets[i] = hwloc_bitmap_dup(order[i % n]->cpuset);
	free(order);
}

int px__pin_location(const struct topo *tp, const char *loc,
                     hwloc_bitmap_t out, char *err, size_t cap)
{
	char type_str[32];
	const char *colon = strchr(loc, ':');
	hwloc_obj_type_t type;
	long lo, hi;
	int n, count;
	char *end;

	if (!colon || colon == loc || (size_t)(colon - loc) >= sizeof(type_str))
		goto bad;
	memcpy(type_str, loc, (size_t)(colon - loc));
	type_str[colon - loc] = '\0';
	if (strcmp(type_str, "pack") == 0)
		strcpy(type_str, "package");
	if (strcmp(type_str, "numa") == 0)
		strcpy(type_str, "numanode");
	if (hwloc_type_sscanf(type_str, &type, NULL, 0) < 0)
		goto bad;
	lo = strtol(colon + 1, &end, 10);
	hi = lo;
	if (end == colon + 1 || lo < 0)
		goto bad;
	if (*end == '-') {
		hi = strtol(end + 1, &end, 10);
		if (hi < lo)
			goto bad;
	}
	if (*end)
		goto bad;
	count = hwloc_get_nbobjs_by_type(tp->t, type);
	if (hi >= count) {
		snprintf(err, cap,
		         "location '%s': %s %ld does not exist here (%d usable, logical indices 0..%d)",
		         loc, type_str, hi, count, count - 1);
		return -EINVAL;
	}
	hwloc_bitmap_zero(out);
	for (n = (int)lo; n <= hi; n++) {
		hwloc_obj_t o = hwloc_get_obj_by_type(tp->t, type, (unsigned)n);
		if (o->cpuset)
			hwloc_bitmap_or(out, out, o->cpuset);
	}
	if (hwloc_bitmap_iszero(out)) {
		snprintf(err, cap, "location '%s' covers no usable CPU", loc);
		return -EINVAL;
	}
	return 0;
bad:
	snprintf(err, cap,
	         "location '%s' is not TYPE:INDEX or TYPE:FIRST-LAST with TYPE one of pu, core, package, numa, l3 (e.g. core:0, pu:2-3)",
	         loc);
	return -EINVAL;
}

int px__pin_plan(const struct topo *tp, const struct pinning *p,
                 unsigned workers, struct pin_plan *out, char *err,
                 size_t cap)
{
	out->n = workers;
	out->sets = px__xcalloc(workers, sizeof(*out->sets));
	switch (p->kind) {
	case PIN_NONE:
		return 0;
	case PIN_COMPACT:
		plan_compact(tp, out);
		return 0;
	case PIN_SCATTER:
		plan_scatter(tp, out);
		return 0;
	case PIN_LIST:
		for (size_t i = 0; i < out->n; i++) {
			out->sets[i] = hwloc_bitmap_alloc();
			if (px__pin_location(tp, p->locs[i % p->n], out->sets[i],
			                     err, cap)) {
				px__pin_plan_free(out);
				return -EINVAL;
			}
		}
		return 0;
	}
	return 0;
}

void px__pin_plan_free(struct pin_plan *plan)
{
	for (size_t i = 0; i < plan->n; i++)
		if (plan->sets[i])
			hwloc_bitmap_free(plan->sets[i]);
	free(plan->sets);
	plan->sets = NULL;
	plan->n = 0;
}

int px__pin_bind_thread(const struct topo *tp, hwloc_const_bitmap_t set)
{
	if (!set || !tp->this_system)
		return 0;
	if (hwloc_set_cpubind(tp->t, set, HWLOC_CPUBIND_THREAD) < 0)
		return -errno;
	return 0;
}
