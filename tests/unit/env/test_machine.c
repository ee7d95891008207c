/* test_machine.c: the machine's conditions read from fixture text and
 * from fixture /proc and /sys trees built in a temporary folder: each
 * parser, the tightest cgroup quota up the tree, cgroup v1, per-CPU
 * cpufreq, turbo/boost, the calm judgement and its warning line, and a
 * bare tree (a VM with nothing) read as unknown without an error. */
#include <math.h>
#include <unistd.h>

#include "helpers.h"
#include "env/machine.h"

static char tmp[] = "/tmp/parlab-machine-XXXXXX";
static int trees;

/* A fresh empty tree under tmp; the caller frees its path. */
static char *new_tree(void)
{
	char *root;

	if (!trees++)
		CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(tmp));
	root = px__xasprintf("%s/t%d", tmp, trees);
	CHECK_INT(px__mkdir_p(root), 0);
	return root;
}

/* Writes root/rel (its folders made) holding text. */
static void put(const char *root, const char *rel, const char *text)
{
	char *path = px__xasprintf("%s/%s", root, rel);
	char *slash = strrchr(path, '/');
	FILE *f;

	*slash = '\0';
	CHECK_INT(px__mkdir_p(path), 0);
	*slash = '/';
	f = fopen(path, "w");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fputs(text, f);
	fclose(f);
	free(path);
}

/* The warning px__machine_warn prints for m; the caller frees it. */
static char *warning(const struct machine *m)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	px__machine_warn(f, m);
	fclose(f);
	return text;
}

static void test_cpu_max(void)
{
	long long q = 0, p = 0;

	CU_ASSERT(px__parse_cpu_max("max 100000\n", &q, &p));
	CHECK_INT(q, -1);
	CHECK_INT(p, 100000);
	CU_ASSERT(px__parse_cpu_max("50000 100000", &q, &p));
	CHECK_INT(q, 50000);
	CHECK_INT(p, 100000);
	CU_ASSERT(!px__parse_cpu_max("max", &q, &p));
	CU_ASSERT(!px__parse_cpu_max("lots 100000", &q, &p));
	CU_ASSERT(!px__parse_cpu_max("50000 0", &q, &p));
	CU_ASSERT(!px__parse_cpu_max(NULL, &q, &p));
}

static void test_cmdline(void)
{
	const char *cmd = "BOOT_IMAGE=/vmlinuz root=/dev/sda1 xisolcpus=9 "
	                  "isolcpus=nohz,domain,2-3 nohz_full=2-3 rcu_nocbs quiet"
	                  " -- irqaffinity=0\n";
	char *v;

	CHECK_STR((v = px__cmdline_option(cmd, "isolcpus")), "nohz,domain,2-3");
	free(v);
	CHECK_STR((v = px__cmdline_option(cmd, "nohz_full")), "2-3");
	free(v);
	CHECK_STR((v = px__cmdline_option(cmd, "rcu_nocbs")), "");  /* bare */
	free(v);
	/* after " -- " the words are init's, not the kernel's */
	CU_ASSERT_PTR_NULL(px__cmdline_option(cmd, "irqaffinity"));
	CU_ASSERT_PTR_NULL(px__cmdline_option(cmd, "root=/dev"));
	CU_ASSERT_PTR_NULL(px__cmdline_option("", "isolcpus"));
}

static void test_status_loadavg_meminfo(void)
{
	const char *status = "Name:\tparlab\nCpus_allowed:\t4f\n"
	                     "Cpus_allowed_list:\t0-3,6\nMems_allowed:\t1\n";
	double l[3];
	char *v;

	CHECK_STR((v = px__status_field(status, "Cpus_allowed_list")), "0-3,6");
	free(v);
	CU_ASSERT_PTR_NULL(px__status_field(status, "Cpus"));
	CU_ASSERT(px__parse_loadavg("3.20 1.50 0.25 2/100 1234\n", l));
	CHECK_NEAR(l[0], 3.2, 1e-9);
	CHECK_NEAR(l[2], 0.25, 1e-9);
	CU_ASSERT(!px__parse_loadavg("", l));
	CHECK_INT(px__parse_meminfo("MemTotal:  1024 kB\nMemFree: 1 kB\n"
	                            "MemAvailable:   512 kB\n", "MemAvailable"),
	          512 * 1024);
	CHECK_INT(px__parse_meminfo("MemTotal: 1 kB\n", "MemAvailable"), -1);
}

/* /proc/stat's first line: user nice system idle iowait irq softirq steal
 * guest guest_nice; the eighth is steal. A kernel too old to have it, or
 * text that does not start with the all-CPUs line, gives -1. */
static void test_steal_ticks(void)
{
	CHECK_INT(px__parse_steal_ticks("cpu  1398185 5091 472228 2796282 6616 "
	                                "0 25068 3624 0 0\ncpu0 1 2 3 4 5 6 7 "
	                                "8 0 0\n"), 3624);
	CHECK_INT(px__parse_steal_ticks("cpu  1 2 3 4 5 6 7\n"), -1);
	CHECK_INT(px__parse_steal_ticks("cpu0 1 2 3 4 5 6 7 8 0 0\n"), -1);
	CHECK_INT(px__parse_steal_ticks(NULL), -1);
	CU_ASSERT(px__steal_s() >= 0 || isnan(px__steal_s()));
}

static void test_cgroup_path(void)
{
	const char *hybrid = "4:memory:/m\n3:cpu,cpuacct:/job/7\n0::/user.slice\n";
	char *ctl = NULL, *v;

	CHECK_STR((v = px__cgroup_path(hybrid, NULL, NULL)), "/user.slice");
	free(v);
	CHECK_STR((v = px__cgroup_path(hybrid, "cpu", &ctl)), "/job/7");
	CHECK_STR(ctl, "cpu,cpuacct");
	free(v);
	free(ctl);
	CU_ASSERT_PTR_NULL(px__cgroup_path("3:cpuacct:/x\n", "cpu", NULL));
	CU_ASSERT_PTR_NULL(px__cgroup_path("3:cpu:/x\n", NULL, NULL));
}

/* A machine in a fixture tree: CPUs 0-3 and 6 allowed, CPU 6 on
 * powersave, turbo on, a 0.5-CPU quota on the parent cgroup (tighter than
 * the process's own "max"), load 3.2: not calm for three reasons. */
static void test_busy_tree(void)
{
	char *root = new_tree(), *w;
	struct machine m;

	put(root, "proc/loadavg", "3.20 1.00 0.50 2/100 123\n");
	put(root, "proc/meminfo", "MemTotal: 2048 kB\nMemAvailable: 1024 kB\n");
	put(root, "proc/cmdline", "ro isolcpus=6 quiet\n");
	put(root, "proc/self/status", "Cpus_allowed_list:\t0-3,6\n");
	put(root, "proc/self/cgroup", "0::/a/b\n");
	put(root, "sys/fs/cgroup/a/b/cpu.max", "max 100000\n");
	put(root, "sys/fs/cgroup/a/cpu.max", "50000 100000\n");
	put(root, "sys/devices/system/cpu/intel_pstate/no_turbo", "0\n");
	put(root, "sys/devices/system/cpu/smt/active", "1\n");
	put(root, "sys/devices/system/cpu/cpuidle/current_driver", "none\n");
	for (unsigned c = 0; c < 7; c++) {
		char *d = px__xasprintf("sys/devices/system/cpu/cpu%u/cpufreq/", c);
		char *g = px__xasprintf("%sscaling_governor", d);
		char *mx = px__xasprintf("%sscaling_max_freq", d);
		put(root, g, c == 6 ? "powersave\n" : "performance\n");
		put(root, mx, "3000000\n");
		free(d);
		free(g);
		free(mx);
	}
	/* Under parlab-hold: its busy loops are in the load. */
	CHECK_INT(setenv("PARLAB_HOLD_CPUS", "0-1", 1), 0);
	px__machine_read(&m, root, NULL);
	CHECK_INT(unsetenv("PARLAB_HOLD_CPUS"), 0);
	CHECK_STR(m.held_cpus, "0-1");
	CHECK_STR(m.cpuidle_driver, "none");
	CHECK_STR(m.cpus, "0-3,6");
	CHECK_STR(m.affinity, "0-3,6");
	CHECK_INT(m.n_cpu, 5);
	CHECK_INT(m.cpu[4].cpu, 6);
	CHECK_STR(m.cpu[4].governor, "powersave");
	CHECK_INT(m.cpu[0].max_khz, 3000000);
	CHECK_INT(m.cpu[0].cur_khz, -1);
	CHECK_INT(m.boost, 1);
	CHECK_STR(m.boost_source, "intel_pstate/no_turbo");
	CHECK_INT(m.smt_active, 1);
	CHECK_INT(m.mem_total, 2048 * 1024);
	CHECK_INT(m.mem_available, 1024 * 1024);
	CHECK_STR(m.cgroup, "/a/b");
	CHECK_INT(m.cgroup_version, 2);
	CHECK_INT(m.quota_us, 50000);
	CHECK_INT(m.period_us, 100000);
	CHECK_NEAR(m.usable_cpus, 0.5, 1e-9);
	CHECK_STR(m.isolation[PX_ISOL_ISOLCPUS], "6");
	CU_ASSERT_PTR_NULL(m.isolation[PX_ISOL_NOHZ_FULL]);
	CU_ASSERT(!m.calm);
	CHECK_INT(m.n_not_calm, 3);
	w = warning(&m);
	CHECK_STR(w, "parlab: warning: the machine is not calm: load 3.2 on 0.5 CPUs (parlab-hold's busy loops count in it); governor powersave; turbo on; timings will be noisy\n");
	free(w);
	put(root, "proc/loadavg", "0.10 0.20 0.30 1/100 124\n");
	px__machine_after(&m);
	CHECK_NEAR(m.load_after[0], 0.1, 1e-9);
	CHECK_NEAR(m.load_before[0], 3.2, 1e-9);
	px__machine_free(&m);
	free(root);
}

/* A bare tree, as a VM or a container without /sys shows: everything
 * unknown, nothing judged, no warning. */
static void test_bare_tree(void)
{
	char *root = new_tree(), *w;
	struct machine m;

	px__machine_read(&m, root, NULL);
	CU_ASSERT(isnan(m.load_before[0]));
	CU_ASSERT_PTR_NULL(m.cpuidle_driver);
	CU_ASSERT_PTR_NULL(m.held_cpus);
	CU_ASSERT_PTR_NULL(m.cpus);
	CHECK_INT(m.n_cpu, 0);
	CHECK_INT(m.boost, -1);
	CHECK_INT(m.smt_active, -1);
	CHECK_INT(m.mem_total, -1);
	CU_ASSERT_PTR_NULL(m.cgroup);
	CHECK_INT(m.cgroup_version, 0);
	CHECK_INT(m.quota_us, -1);
	CHECK_INT(m.period_us, -1);
	CU_ASSERT(isnan(m.usable_cpus));
	CU_ASSERT(m.calm);
	w = warning(&m);
	CHECK_STR(w, "");
	free(w);
	px__machine_free(&m);
	free(root);
}

/* cgroup v1 (no cpu.max anywhere): the cpu controller's cfs quota; the
 * CPUs given by the caller, not the affinity; amd_pstate's per-CPU boost;
 * a calm machine under its load threshold. */
static void test_v1_and_cpu_list(void)
{
	char *root = new_tree();
	struct machine m;

	put(root, "proc/loadavg", "0.70 0.50 0.50 1/10 5\n");
	put(root, "proc/self/status", "Cpus_allowed_list:\t0-3\n");
	put(root, "proc/self/cgroup", "5:cpu,cpuacct:/job\n0::/\n");
	put(root, "sys/fs/cgroup/cpu,cpuacct/job/cpu.cfs_quota_us", "150000\n");
	put(root, "sys/fs/cgroup/cpu,cpuacct/job/cpu.cfs_period_us", "100000\n");
	put(root, "sys/fs/cgroup/cpu,cpuacct/cpu.cfs_quota_us", "-1\n");
	put(root, "sys/fs/cgroup/cpu,cpuacct/cpu.cfs_period_us", "100000\n");
	put(root, "sys/devices/system/cpu/cpu1/cpufreq/boost", "0\n");
	put(root, "sys/devices/system/cpu/cpu2/cpufreq/boost", "0\n");
	px__machine_read(&m, root, "1-2");
	CHECK_INT(m.n_cpu, 2);
	CHECK_INT(m.cpu[0].cpu, 1);
	CHECK_INT(m.cgroup_version, 1);
	CHECK_STR(m.cgroup, "/job");
	CHECK_INT(m.quota_us, 150000);
	CHECK_NEAR(m.usable_cpus, 1.5, 1e-9);
	CHECK_INT(m.boost, 0);
	CHECK_STR(m.boost_source, "cpu*/cpufreq/boost");
	CU_ASSERT(m.calm);  /* 0.7 <= 0.5 x 1.5 */
	px__machine_free(&m);
	put(root, "sys/fs/cgroup/cpu,cpuacct/job/cpu.cfs_quota_us", "-1\n");
	px__machine_read(&m, root, "1-2");
	CHECK_INT(m.quota_us, -1);      /* no limit anywhere */
	CHECK_INT(m.period_us, 100000);
	CHECK_NEAR(m.usable_cpus, 2, 1e-9);
	px__machine_free(&m);
	free(root);
}

/* This machine: whatever it exposes, reading it succeeds and its CPUs
 * are the topology's. */
static void test_this_machine(void)
{
	struct topo tp;
	struct machine m;
	char err[256];

	CHECK_INT(px__topo_open(&tp, NULL, err, sizeof(err)), 0);
	px__machine_conditions(&m, &tp);
	CU_ASSERT_PTR_NOT_NULL(m.cpus);
	CHECK_INT(m.n_cpu, tp.pus);
	CU_ASSERT(m.smt_active == 0 || m.smt_active == 1);
	CU_ASSERT(m.calm == (m.n_not_calm == 0));
	px__machine_free(&m);
	px__topo_close(&tp);
}

static void test_cleanup(void)
{
	char *cmd = px__xasprintf("rm -rf %s", tmp);

	CHECK_INT(system(cmd), 0);
	free(cmd);
}

TEST_MAIN("machine", T(test_cpu_max), T(test_cmdline),
          T(test_status_loadavg_meminfo), T(test_steal_ticks),
          T(test_cgroup_path),
          T(test_busy_tree), T(test_bare_tree), T(test_v1_and_cpu_list),
          T(test_this_machine), T(test_cleanup))
