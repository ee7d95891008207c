/* test_topo.c: pin plans on synthetic machines, restriction, locations. */
#include <unistd.h>

#include "helpers.h"

/* The OS indices of worker w's PUs, as "0-1" or "4". */
static const char *pus(const struct pin_plan *p, size_t w)
{
	static char buf[64];

	hwloc_bitmap_list_snprintf(buf, sizeof(buf), p->sets[w]);
	return buf;
}

static void open_synthetic(struct topo *tp, const char *spec)
{
	char err[256];

	CHECK_INT(px__topo_open(tp, spec, err, sizeof(err)), 0);
}

static void test_counts(void)
{
	struct topo tp;

	open_synthetic(&tp, "pack:2 core:4 pu:2");
	CHECK_INT(tp.packages, 2);
	CHECK_INT(tp.cores, 8);
	CHECK_INT(tp.pus, 16);
	CU_ASSERT(!tp.this_system);
	px__topo_close(&tp);
}

static void test_compact_fills_cores_in_order(void)
{
	struct topo tp;
	struct pinning pin = { .kind = PIN_COMPACT };
	struct pin_plan p;
	char err[256];

	open_synthetic(&tp, "pack:2 core:4 pu:2");
	CHECK_INT(px__pin_plan(&tp, &pin, 3, &p, err, sizeof(err)), 0);
	/* Worker i on core i: both hyperthreads of it. */
	CHECK_STR(pus(&p, 0), "0-1");
	CHECK_STR(pus(&p, 1), "2-3");
	CHECK_STR(pus(&p, 2), "4-5");
	px__pin_plan_free(&p);
	/* More workers than cores wrap around. */
	CHECK_INT(px__pin_plan(&tp, &pin, 9, &p, err, sizeof(err)), 0);
	CHECK_STR(pus(&p, 8), "0-1");
	px__pin_plan_free(&p);
	px__topo_close(&tp);
}

static void test_scatter_spreads_over_packages(void)
{
	struct topo tp;
	struct pinning pin = { .kind = PIN_SCATTER };
	struct pin_plan p;
	char err[256];

	open_synthetic(&tp, "pack:2 core:4 pu:2");
	CHECK_INT(px__pin_plan(&tp, &pin, 2, &p, err, sizeof(err)), 0);
	/* One worker per package, each on one whole core. */
	CHECK_STR(pus(&p, 0), "0-1");
	CHECK_STR(pus(&p, 1), "8-9");
	px__pin_plan_free(&p);
	/* Then the next core of each package in turn. */
	CHECK_INT(px__pin_plan(&tp, &pin, 4, &p, err, sizeof(err)), 0);
	CHECK_STR(pus(&p, 0), "0-1");
	CHECK_STR(pus(&p, 1), "8-9");
	CHECK_STR(pus(&p, 2), "2-3");
	CHECK_STR(pus(&p, 3), "10-11");
	px__pin_plan_free(&p);
	px__topo_close(&tp);
}

static void test_restricted_cpuset_is_respected(void)
{
	struct topo tp;
	struct pinning compact = { .kind = PIN_COMPACT };
	struct pinning scatter = { .kind = PIN_SCATTER };
	struct pin_plan p;
	char err[256];

	open_synthetic(&tp, "pack:2 core:4 pu:2");
	/* As under taskset -c 2-5,12-13: three cores' worth of PUs. */
	CHECK_INT(px__topo_restrict(&tp, "2-5,12-13", err, sizeof(err)), 0);
	CHECK_INT(tp.cores, 3);
	CHECK_INT(px__pin_plan(&tp, &compact, 4, &p, err, sizeof(err)), 0);
	CHECK_STR(pus(&p, 0), "2-3");
	CHECK_STR(pus(&p, 1), "4-5");
	CHECK_STR(pus(&p, 2), "12-13");
	CHECK_STR(pus(&p, 3), "2-3");
	px__pin_plan_free(&p);
	CHECK_INT(px__pin_plan(&tp, &scatter, 2, &p, err, sizeof(err)), 0);
	CHECK_STR(pus(&p, 0), "2-3");
	CHECK_STR(pus(&p, 1), "12-13");
	px__pin_plan_free(&p);
	px__topo_close(&tp);
}

static void test_locations(void)
{
	struct topo tp;
	char *locs[] = { "pu:3", "core:2", "package:1", "pu:4-5" };
	struct pinning pin = { .kind = PIN_LIST, .locs = locs, .n = 4 };
	struct pin_plan p;
	hwloc_bitmap_t set = hwloc_bitmap_alloc();
	char err[256];

	open_synthetic(&tp, "pack:2 core:4 pu:2");
	CHECK_INT(px__pin_plan(&tp, &pin, 5, &p, err, sizeof(err)), 0);
	CHECK_STR(pus(&p, 0), "3");
	CHECK_STR(pus(&p, 1), "4-5");
	CHECK_STR(pus(&p, 2), "8-15");
	CHECK_STR(pus(&p, 3), "4-5");
	CHECK_STR(pus(&p, 4), "3");
	px__pin_plan_free(&p);
	CHECK_INT(px__pin_location(&tp, "core:8", set, err, sizeof(err)), -EINVAL);
	CHECK_CONTAINS(err, "core 8 does not exist here (8 usable");
	CHECK_INT(px__pin_location(&tp, "socket", set, err, sizeof(err)), -EINVAL);
	CHECK_CONTAINS(err, "is not TYPE:INDEX");
	CHECK_INT(px__pin_location(&tp, "gpu:0", set, err, sizeof(err)), -EINVAL);
	hwloc_bitmap_free(set);
	px__topo_close(&tp);
}

static void test_bad_topology_spec(void)
{
	struct topo tp;
	char err[256];

	CHECK_INT(px__topo_open(&tp, "pack:two", err, sizeof(err)), -EINVAL);
	CHECK_CONTAINS(err, "not an hwloc synthetic topology");
	CHECK_INT(px__topo_open(&tp, "/nonexistent/lab.xml", err, sizeof(err)),
	          -EINVAL);
	CHECK_CONTAINS(err, "lab.xml");
}

/* A lab machine's topology exported as hwloc XML plans like the machine. */
static void test_xml_topology(void)
{
	struct topo tp, lab;
	struct pinning pin = { .kind = PIN_SCATTER };
	struct pin_plan p;
	char path[] = "/tmp/parlab-lab-XXXXXX.xml", err[256];
	int fd = mkstemps(path, 4);

	close(fd);
	open_synthetic(&tp, "pack:2 core:8 pu:2");
	CHECK_INT(hwloc_topology_export_xml(tp.t, path, 0), 0);
	px__topo_close(&tp);
	CHECK_INT(px__topo_open(&lab, path, err, sizeof(err)), 0);
	CHECK_INT(lab.packages, 2);
	CHECK_INT(lab.cores, 16);
	CHECK_INT(lab.pus, 32);
	CU_ASSERT(!lab.this_system);
	CHECK_INT(px__pin_plan(&lab, &pin, 2, &p, err, sizeof(err)), 0);
	CHECK_STR(pus(&p, 1), "16-17");
	px__pin_plan_free(&p);
	px__topo_close(&lab);
	unlink(path);
}

static void test_this_machine(void)
{
	struct topo tp;
	struct pinning pin = { .kind = PIN_COMPACT };
	struct pin_plan p;
	char err[256];

	CHECK_INT(px__topo_open(&tp, NULL, err, sizeof(err)), 0);
	CU_ASSERT(tp.cores >= 1);
	CU_ASSERT(tp.this_system);
	CHECK_INT(px__pin_plan(&tp, &pin, 1, &p, err, sizeof(err)), 0);
	/* Binding to the first core works here. */
	CHECK_INT(px__pin_bind_thread(&tp, p.sets[0]), 0);
	px__pin_plan_free(&p);
	px__topo_close(&tp);
}

TEST_MAIN("topo", T(test_counts), T(test_compact_fills_cores_in_order),
          T(test_scatter_spreads_over_packages),
          T(test_restricted_cpuset_is_respected), T(test_locations),
          T(test_bad_topology_spec), T(test_xml_topology),
          T(test_this_machine))
