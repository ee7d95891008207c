/* machine.h: the conditions of this machine around a run, as meta.json
 * records them (load, frequency scaling, memory, SMT, cpuset, cgroup CPU
 * quota, the kernel's isolation options), and whether it is calm enough
 * to measure. Whatever a machine does not expose (no cpufreq in a VM, no
 * cgroup cpu controller) stays unknown: never an error. */
#ifndef PX_MACHINE_H
#define PX_MACHINE_H

#include <stdbool.h>
#include <stdio.h>

#include "env/topo.h"

/* One CPU the run uses, as cpufreq shows it. */
struct machine_cpu {
	unsigned cpu;          /* OS index */
	char *governor;        /* scaling_governor; NULL: unknown */
	long long min_khz, max_khz, cur_khz;  /* scaling_*_freq; -1: unknown */
	int boost;             /* per-policy cpufreq/boost (amd_pstate): 1, 0, -1 */
};

/* The kernel command line's isolation options, in this order. */
enum { PX_ISOL_ISOLCPUS, PX_ISOL_NOHZ_FULL, PX_ISOL_RCU_NOCBS,
       PX_ISOL_IRQAFFINITY, PX_ISOL_N };
extern const char *const px__isolation_options[PX_ISOL_N];

#define PX_NOT_CALM_MAX 4

struct machine {
	char *root;                /* "" on this machine; a fixture tree in tests */
	double load_before[3];     /* 1, 5, 15 min; NaN: unknown */
	double load_after[3];      /* read by px__machine_after */
	char *cpus;                /* the CPUs the run uses ("0-3,6"); NULL: unknown */
	struct machine_cpu *cpu;   /* one per CPU of cpus, ascending */
	size_t n_cpu;
	char *affinity;            /* the process's Cpus_allowed_list; NULL */
	int boost;                 /* turbo/boost: 1 on, 0 off, -1 unknown */
	const char *boost_source;  /* the file that said so; NULL: unknown */
	long long mem_total, mem_available;   /* bytes at the start; -1 */
	int smt_active;            /* 1, 0, -1 unknown */
	char *cpuidle_driver;      /* cpuidle's current_driver ("none"); NULL */
	char *held_cpus;           /* PARLAB_HOLD_CPUS: CPUs parlab-hold keeps
	                              out of idle (tools/hold_cpus.c); NULL */
	char *cgroup;              /* the process's cgroup (v2, else v1 cpu) */
	int cgroup_version;        /* 2 or 1 where a CPU quota file was read; 0 */
	long long quota_us;        /* the tightest CPU quota; -1: no limit */
	long long period_us;       /* its period; -1 unknown */
	char *isolation[PX_ISOL_N];  /* each option's value, "" when bare;
	                              * NULL when absent */
	double usable_cpus;        /* CPUs the run may use, less under a quota */
	bool calm;                 /* no reason below */
	char *not_calm[PX_NOT_CALM_MAX];  /* "load 3.2 on 2 cores", ... */
	size_t n_not_calm;
};

/* Reads the conditions of the machine whose /proc and /sys lie under
 * root ("" for this one) for the CPUs of `cpus` (OS indices, "0-3,6";
 * NULL: the process's Cpus_allowed_list), and judges whether it is calm:
 * a 1-minute load above 0.5 per usable CPU, a governor other than
 * performance or turbo/boost on make it not calm. */
void px__machine_read(struct machine *m, const char *root, const char *cpus);

/* px__machine_read for this machine and the CPUs of tp; where sysfs has
 * no SMT state, hwloc's topology gives it (a core with several PUs). */
void px__machine_conditions(struct machine *m, const struct topo *tp);

/* The time a hypervisor has taken from this machine's CPUs since boot
 * (all CPUs together, /proc/stat's steal), in seconds, 10 ms steps; NaN
 * where the kernel does not say. */
double px__steal_s(void);

/* Reads the load average again, at the end of the run, into load_after. */
void px__machine_after(struct machine *m);

/* The line "parlab: warning: the machine is not calm: ...; timings will be
 * noisy" on f when it is not calm; nothing when it is. */
void px__machine_warn(FILE *f, const struct machine *m);

void px__machine_free(struct machine *m);

/* ---- the parsers of each file's text (machine_parse.c) ----------------- */

/* /proc/loadavg: the 1, 5 and 15 minute loads; false if malformed. */
bool px__parse_loadavg(const char *text, double load[3]);

/* /proc/stat: the steal time of all CPUs together (the "cpu" line's
 * eighth field), in clock ticks; -1 if missing or malformed. */
long long px__parse_steal_ticks(const char *text);

/* /proc/meminfo's `key` ("MemTotal") in bytes; -1 if missing. */
long long px__parse_meminfo(const char *text, const char *key);

/* A cgroup v2 cpu.max ("max 100000", "50000 100000"): quota (-1 for max)
 * and period in microseconds; false if malformed. */
bool px__parse_cpu_max(const char *text, long long *quota_us,
                       long long *period_us);

/* The value of kernel option `name` on a command line (the part before a
 * " -- ", which belongs to init): malloc'd, "" when given bare, NULL
 * when absent. */
char *px__cmdline_option(const char *cmdline, const char *name);

/* The value of field `name` of /proc/self/status ("Cpus_allowed_list"),
 * malloc'd; NULL if missing. */
char *px__status_field(const char *status, const char *name);

/* The cgroup path in /proc/self/cgroup of the v2 hierarchy (controller
 * NULL: the "0::" line) or of the v1 hierarchy whose controller list holds
 * `controller`; malloc'd, NULL if none. *controllers gets that line's
 * controller list (malloc'd) when not NULL. */
char *px__cgroup_path(const char *proc_cgroup, const char *controller,
                      char **controllers);

#endif
