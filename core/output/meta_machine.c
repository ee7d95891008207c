/* meta_machine.c: writes meta.json's "conditions" object, one key a line
 * (report.html shows each line as a row): whether the machine was calm
 * and why not, load before and after, frequency scaling, memory, SMT,
 * cpuset, cgroup quota, kernel isolation options, and the build. */
#include "output/meta_machine.h"

#include <stdlib.h>
#include <string.h>

#include "base/json.h"

/* The build, from CMake (cmake/build_info.cmake). */
#ifndef PARLAB_BUILD_TYPE
#define PARLAB_BUILD_TYPE ""
#endif
#ifndef PARLAB_C_FLAGS
#define PARLAB_C_FLAGS ""
#endif
#ifndef PARLAB_SANITIZERS
#define PARLAB_SANITIZERS ""
#endif
#ifndef PARLAB_GIT_DIRTY
#define PARLAB_GIT_DIRTY -1   /* 1 dirty, 0 clean, -1 not a git tree */
#endif

static void key(FILE *f, const char *name)
{
	fprintf(f, ",\n    \"%s\": ", name);
}

/* s as a JSON string, or null for NULL (or "" when empty_is_null). */
static void str_or_null(FILE *f, const char *s, bool empty_is_null)
{
	if (!s || (empty_is_null && !*s))
		fputs("null", f);
	else
		px__json_str(f, s);
}

static void int_or_null(FILE *f, long long v)
{
	if (v < 0)
		fputs("null", f);
	else
		fprintf(f, "%lld", v);
}

static void bool_or_null(FILE *f, int v)
{
	fputs(v < 0 ? "null" : v ? "true" : "false", f);
}

static void load(FILE *f, const double l[3])
{
	fputc('[', f);
	for (int i = 0; i < 3; i++) {
		fputs(i ? ", " : "", f);
		px__json_num(f, l[i]);
	}
	fputc(']', f);
}

/* A per-CPU governor: one value when every CPU used agrees, else an
 * array in the order of "cpus". */
static void governors(FILE *f, const struct machine *m)
{
	bool same = true;

	for (size_t i = 1; i < m->n_cpu && same; i++) {
		const char *a = m->cpu[0].governor, *b = m->cpu[i].governor;
		same = a == b || (a && b && !strcmp(a, b));
	}
	if (same) {
		str_or_null(f, m->n_cpu ? m->cpu[0].governor : NULL, false);
		return;
	}
	fputc('[', f);
	for (size_t i = 0; i < m->n_cpu; i++) {
		fputs(i ? ", " : "", f);
		str_or_null(f, m->cpu[i].governor, false);
	}
	fputc(']', f);
}

/* A CPU's frequency: `which` 0 min, 1 max, 2 current. */
static long long freq(const struct machine_cpu *c, int which)
{
	return which == 0 ? c->min_khz : which == 1 ? c->max_khz : c->cur_khz;
}

/* A per-CPU frequency, as governors. */
static void freqs(FILE *f, const struct machine *m, int which)
{
	bool same = true;

	for (size_t i = 1; i < m->n_cpu && same; i++)
		same = freq(&m->cpu[i], which) == freq(&m->cpu[0], which);
	if (same) {
		int_or_null(f, m->n_cpu ? freq(&m->cpu[0], which) : -1);
		return;
	}
	fputc('[', f);
	for (size_t i = 0; i < m->n_cpu; i++) {
		fputs(i ? ", " : "", f);
		int_or_null(f, freq(&m->cpu[i], which));
	}
	fputc(']', f);
}

static void calm(FILE *f, const struct machine *m)
{
	fprintf(f, "\"conditions\": {\n    \"calm\": %s,\n    \"not_calm_reasons\": [",
	        m->calm ? "true" : "false");
	for (size_t i = 0; i < m->n_not_calm; i++) {
		fputs(i ? ", " : "", f);
		px__json_str(f, m->not_calm[i]);
	}
	fputc(']', f);
	key(f, "load_before");
	load(f, m->load_before);
	key(f, "load_after");
	load(f, m->load_after);
}

static void cpus(FILE *f, const struct machine *m)
{
	key(f, "cpus");
	if (!m->n_cpu)
		fputs("null", f);
	for (size_t i = 0; i < m->n_cpu; i++)
		fprintf(f, "%s%u", i ? ", " : "[", m->cpu[i].cpu);
	if (m->n_cpu)
		fputc(']', f);
	key(f, "usable_cpus");
	px__json_num(f, m->usable_cpus);
	key(f, "affinity");
	str_or_null(f, m->affinity, false);
	key(f, "governor");
	governors(f, m);
	key(f, "freq_min_khz");
	freqs(f, m, 0);
	key(f, "freq_max_khz");
	freqs(f, m, 1);
	key(f, "freq_cur_khz");
	freqs(f, m, 2);
	key(f, "boost");
	bool_or_null(f, m->boost);
	key(f, "boost_source");
	str_or_null(f, m->boost_source, false);
	key(f, "smt_active");
	bool_or_null(f, m->smt_active);
	key(f, "cpuidle_driver");
	str_or_null(f, m->cpuidle_driver, false);
	key(f, "held_cpus");
	str_or_null(f, m->held_cpus, false);
}

static void system_keys(FILE *f, const struct machine *m)
{
	key(f, "mem_total_bytes");
	int_or_null(f, m->mem_total);
	key(f, "mem_available_bytes");
	int_or_null(f, m->mem_available);
	key(f, "cgroup");
	str_or_null(f, m->cgroup, false);
	key(f, "cgroup_version");
	int_or_null(f, m->cgroup_version ? m->cgroup_version : -1);
	key(f, "cpu_quota_us");
	int_or_null(f, m->quota_us);
	key(f, "cpu_period_us");
	int_or_null(f, m->period_us);
	for (int i = 0; i < PX_ISOL_N; i++) {
		key(f, px__isolation_options[i]);
		str_or_null(f, m->isolation[i], false);
	}
}

static void build(FILE *f)
{
	key(f, "build_type");
	str_or_null(f, PARLAB_BUILD_TYPE, true);
	key(f, "c_flags");
	px__json_str(f, PARLAB_C_FLAGS);
	key(f, "sanitizers");
	str_or_null(f, PARLAB_SANITIZERS, true);
	key(f, "git_dirty");
	bool_or_null(f, PARLAB_GIT_DIRTY);
}

void px__meta_machine(FILE *f, struct machine *m)
{
	px__machine_after(m);
	calm(f, m);
	cpus(f, m);
	system_keys(f, m);
	build(f);
	fputs("\n  },\n  ", f);
}
