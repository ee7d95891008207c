/* machine.c: reads the machine's conditions around a run from /proc and
 * /sys (under a root, so that tests point it at a fixture tree) and judges
 * whether the machine is calm enough for timings. */
#include "env/machine.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"

const char *const px__isolation_options[PX_ISOL_N] = {
	"isolcpus", "nohz_full", "rcu_nocbs", "irqaffinity",
};

/* The text of root + rel less one trailing newline; NULL when it cannot
 * be read. */
static char *read_at(const char *root, const char *rel)
{
	char *path = px__xasprintf("%s%s", root, rel), *text;
	size_t n;

	text = px__read_file(path);
	free(path);
	if (text && (n = strlen(text)) && text[n - 1] == '\n')
		text[n - 1] = '\0';
	return text;
}

/* A file holding one number; -1 when missing or not a number. */
static long long read_num(const char *root, const char *rel)
{
	char *text = read_at(root, rel);
	long long v = -1;

	if (text && sscanf(text, "%lld", &v) != 1)
		v = -1;
	free(text);
	return v;
}

static void read_load(const char *root, double load[3])
{
	char *text = read_at(root, "/proc/loadavg");

	if (!px__parse_loadavg(text, load))
		load[0] = load[1] = load[2] = NAN;
	free(text);
}

double px__steal_s(void)
{
	char *text = read_at("", "/proc/stat");
	long long ticks = px__parse_steal_ticks(text);
	long hz = sysconf(_SC_CLK_TCK);

	free(text);
	return ticks < 0 || hz <= 0 ? NAN : (double)ticks / (double)hz;
}

/* One CPU's cpufreq/<file>: its text, or its number (-1 if none). */
static char *cpufreq_text(const char *root, unsigned cpu, const char *file)
{
	char *rel = px__xasprintf("/sys/devices/system/cpu/cpu%u/cpufreq/%s",
	                          cpu, file);
	char *text = read_at(root, rel);

	free(rel);
	return text;
}

static long long cpufreq_num(const char *root, unsigned cpu, const char *file)
{
	char *rel = px__xasprintf("/sys/devices/system/cpu/cpu%u/cpufreq/%s",
	                          cpu, file);
	long long v = read_num(root, rel);

	free(rel);
	return v;
}

/* cpufreq of each CPU of m->cpus. */
static void read_cpus(struct machine *m)
{
	hwloc_bitmap_t set = hwloc_bitmap_alloc();
	int i, n;

	if (!m->cpus || hwloc_bitmap_list_sscanf(set, m->cpus) < 0 ||
	    (n = hwloc_bitmap_weight(set)) <= 0 || n > PX_MAX_PUS) {
		hwloc_bitmap_free(set);
		return;
	}
	m->cpu = px__xcalloc((size_t)n, sizeof(*m->cpu));
	hwloc_bitmap_foreach_begin(i, set) {
		struct machine_cpu *c = &m->cpu[m->n_cpu++];
		c->cpu = (unsigned)i;
		c->governor = cpufreq_text(m->root, c->cpu, "scaling_governor");
		c->min_khz = cpufreq_num(m->root, c->cpu, "scaling_min_freq");
		c->max_khz = cpufreq_num(m->root, c->cpu, "scaling_max_freq");
		c->cur_khz = cpufreq_num(m->root, c->cpu, "scaling_cur_freq");
		c->boost = (int)cpufreq_num(m->root, c->cpu, "boost");
	} hwloc_bitmap_foreach_end();
	hwloc_bitmap_free(set);
}

/* Turbo/boost: intel_pstate's no_turbo, acpi-cpufreq's global boost, else
 * amd_pstate's per-policy boost (on when any CPU used has it on). */
static void read_boost(struct machine *m)
{
	long long v = read_num(m->root, "/sys/devices/system/cpu/intel_pstate/no_turbo");

	m->boost = -1;
	if (v == 0 || v == 1) {
		m->boost = v == 0;
		m->boost_source = "intel_pstate/no_turbo";
		return;
	}
	v = read_num(m->root, "/sys/devices/system/cpu/cpufreq/boost");
	if (v == 0 || v == 1) {
		m->boost = v == 1;
		m->boost_source = "cpufreq/boost";
		return;
	}
	for (size_t i = 0; i < m->n_cpu; i++)
		if (m->cpu[i].boost == 0 || m->cpu[i].boost == 1) {
			m->boost = m->boost == 1 || m->cpu[i].boost == 1;
			m->boost_source = "cpu*/cpufreq/boost";
		}
}

/* One cgroup directory's CPU limit: v2 cpu.max, or v1 cfs quota and
 * period (a quota of -1 is no limit); false when it has none. */
static bool quota_of(const char *root, const char *dir, int version,
                     long long *q, long long *p)
{
	char *rel, *text;
	bool ok;

	if (version == 2) {
		rel = px__xasprintf("%s/cpu.max", dir);
		text = read_at(root, rel);
		ok = px__parse_cpu_max(text, q, p);
		free(text);
		free(rel);
		return ok;
	}
	rel = px__xasprintf("%s/cpu.cfs_quota_us", dir);
	*q = read_num(root, rel);
	free(rel);
	rel = px__xasprintf("%s/cpu.cfs_period_us", dir);
	*p = read_num(root, rel);
	free(rel);
	if (*q <= 0)
		*q = -1;
	return *p > 0;
}

/* Walks from mount + path up to mount itself keeping the tightest limit
 * (a child cannot use more than its ancestors allow); false when no
 * directory on the way had a limit file. */
static bool walk_quota(struct machine *m, const char *mount, const char *path,
                       int version)
{
	char *dir = px__xasprintf("%s%s", mount, strcmp(path, "/") ? path : "");
	size_t base = strlen(mount);
	bool found = false;
	char *slash;

	for (;;) {
		long long q, p;
		if (quota_of(m->root, dir, version, &q, &p)) {
			bool tighter = q > 0 && (m->quota_us < 0 ||
			               (double)q / p < (double)m->quota_us / m->period_us);
			if (!found || tighter) {
				m->quota_us = q;
				m->period_us = p;
			}
			found = true;
		}
		if (!(slash = strrchr(dir + base, '/')))
			break;
		*slash = '\0';
	}
	free(dir);
	return found;
}

/* The process's cgroup and its CPU quota: v2 where cpu.max exists (pure
 * v2 at /sys/fs/cgroup, hybrid at /sys/fs/cgroup/unified), else v1's cpu
 * controller (/sys/fs/cgroup/<controllers> or /sys/fs/cgroup/cpu). */
static void read_cgroup(struct machine *m)
{
	static const char *const v2[] = { "/sys/fs/cgroup", "/sys/fs/cgroup/unified" };
	char *text = read_at(m->root, "/proc/self/cgroup"), *ctl = NULL, *path;

	m->quota_us = m->period_us = -1;
	if ((m->cgroup = px__cgroup_path(text, NULL, NULL)))
		for (size_t i = 0; i < 2 && !m->cgroup_version; i++)
			if (walk_quota(m, v2[i], m->cgroup, 2))
				m->cgroup_version = 2;
	if (!m->cgroup_version && (path = px__cgroup_path(text, "cpu", &ctl))) {
		char *mounts[2] = { px__xasprintf("/sys/fs/cgroup/%s", ctl),
		                    px__xstrdup("/sys/fs/cgroup/cpu") };
		for (size_t i = 0; i < 2 && !m->cgroup_version; i++)
			if (walk_quota(m, mounts[i], path, 1))
				m->cgroup_version = 1;
		if (m->cgroup_version || !m->cgroup) {
			free(m->cgroup);
			m->cgroup = path;
		} else {
			free(path);
		}
		free(mounts[0]);
		free(mounts[1]);
		free(ctl);
	}
	free(text);
}

/* Memory, SMT, the process's affinity and the kernel's isolation options. */
static void read_system(struct machine *m)
{
	char *text = read_at(m->root, "/proc/meminfo");
	const char *held = getenv("PARLAB_HOLD_CPUS");
	long long smt;

	m->mem_total = px__parse_meminfo(text, "MemTotal");
	m->mem_available = px__parse_meminfo(text, "MemAvailable");
	free(text);
	smt = read_num(m->root, "/sys/devices/system/cpu/smt/active");
	m->smt_active = smt == 0 || smt == 1 ? (int)smt : -1;
	text = read_at(m->root, "/proc/self/status");
	m->affinity = px__status_field(text, "Cpus_allowed_list");
	free(text);
	text = read_at(m->root, "/proc/cmdline");
	for (int i = 0; text && i < PX_ISOL_N; i++)
		m->isolation[i] = px__cmdline_option(text, px__isolation_options[i]);
	free(text);
	/* How an idle CPU waits: "none" is a plain halt (on a virtual machine
	 * the host's to wake), which moves wake-up latencies. */
	text = read_at(m->root, "/sys/devices/system/cpu/cpuidle/current_driver");
	if (text && !text[0]) {
		free(text);
		text = NULL;
	}
	m->cpuidle_driver = text;
	m->held_cpus = held && *held ? px__xstrdup(held) : NULL;
}

static void add_reason(struct machine *m, char *reason)
{
	if (m->n_not_calm < PX_NOT_CALM_MAX)
		m->not_calm[m->n_not_calm++] = reason;
	else
		free(reason);
}

/* The governors of the CPUs used other than performance, each once:
 * "governor powersave"; NULL when there are none. */
static char *slow_governors(const struct machine *m)
{
	struct strbuf sb = { 0 };
	size_t n = 0;

	for (size_t i = 0; i < m->n_cpu; i++) {
		const char *g = m->cpu[i].governor;
		bool seen = false;
		if (!g || !strcmp(g, "performance"))
			continue;
		for (size_t j = 0; j < i && !seen; j++)
			seen = m->cpu[j].governor && !strcmp(m->cpu[j].governor, g);
		if (seen)
			continue;
		px__sb_addf(&sb, "%s%s", n++ ? ", " : "governor ", g);
	}
	return n ? px__sb_take(&sb) : NULL;
}

/* Not calm: a 1-minute load above 0.5 per usable CPU, a governor other
 * than performance, turbo/boost on. What is unknown is not judged. */
static void judge(struct machine *m)
{
	double u = m->usable_cpus, load = m->load_before[0];
	char *gov;

	if (u > 0 && load > 0.5 * u)
		add_reason(m, px__xasprintf("load %.1f on %g CPU%s%s", load, u,
		                            u == 1 ? "" : "s", m->held_cpus
		                            ? " (parlab-hold's busy loops count "
		                              "in it)" : ""));
	if ((gov = slow_governors(m)))
		add_reason(m, gov);
	if (m->boost == 1)
		add_reason(m, px__xstrdup(strcmp(m->boost_source,
		                                 "intel_pstate/no_turbo")
		                          ? "boost on" : "turbo on"));
	m->calm = m->n_not_calm == 0;
}

void px__machine_read(struct machine *m, const char *root, const char *cpus)
{
	memset(m, 0, sizeof(*m));
	m->root = px__xstrdup(root);
	read_load(m->root, m->load_before);
	m->load_after[0] = m->load_after[1] = m->load_after[2] = NAN;
	read_system(m);
	m->cpus = cpus ? px__xstrdup(cpus)
	               : m->affinity ? px__xstrdup(m->affinity) : NULL;
	read_cpus(m);
	read_boost(m);
	read_cgroup(m);
	m->usable_cpus = m->n_cpu ? (double)m->n_cpu : NAN;
	if (m->quota_us > 0 && m->period_us > 0 &&
	    (double)m->quota_us / m->period_us < m->usable_cpus)
		m->usable_cpus = (double)m->quota_us / m->period_us;
	judge(m);
}

void px__machine_conditions(struct machine *m, const struct topo *tp)
{
	char cpus[4096];
	hwloc_const_bitmap_t set = hwloc_topology_get_topology_cpuset(tp->t);
	bool known = tp->this_system &&
	             hwloc_bitmap_list_snprintf(cpus, sizeof(cpus), set) <
	             (int)sizeof(cpus);

	px__machine_read(m, "", known ? cpus : NULL);
	if (m->smt_active < 0 && tp->this_system && tp->cores > 0)
		m->smt_active = tp->pus > tp->cores;
}

void px__machine_after(struct machine *m)
{
	if (m->root)
		read_load(m->root, m->load_after);
}

void px__machine_warn(FILE *f, const struct machine *m)
{
	if (!m->root || m->calm)
		return;
	fputs("parlab: warning: the machine is not calm: ", f);
	for (size_t i = 0; i < m->n_not_calm; i++)
		fprintf(f, "%s%s", i ? "; " : "", m->not_calm[i]);
	fputs("; timings will be noisy\n", f);
}

void px__machine_free(struct machine *m)
{
	for (size_t i = 0; i < m->n_cpu; i++)
		free(m->cpu[i].governor);
	for (int i = 0; i < PX_ISOL_N; i++)
		free(m->isolation[i]);
	for (size_t i = 0; i < m->n_not_calm; i++)
		free(m->not_calm[i]);
	free(m->cpu);
	free(m->cpus);
	free(m->cpuidle_driver);
	free(m->held_cpus);
	free(m->affinity);
	free(m->cgroup);
	free(m->root);
	memset(m, 0, sizeof(*m));
}
