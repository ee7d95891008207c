/* test_meta_machine.c: meta.json's "conditions" object written from
 * hand-made machines: it parses as JSON inside meta.json's braces, one
 * value where every CPU agrees and an array where they differ, and null
 * for every unknown, never a made-up number. */
#include "helpers.h"
#include "json_check.h"
#include "output/meta_machine.h"

/* The conditions object of m, wrapped as a whole JSON document; the
 * caller frees it. */
static char *written(struct machine *m)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	fputs("{\n  ", f);
	px__meta_machine(f, m);
	fputs("\"plugins\": []\n}\n", f);
	fclose(f);
	return text;
}

/* A machine that was read from nowhere: every field unknown. */
static void unknown_machine(struct machine *m)
{
	memset(m, 0, sizeof(*m));
	m->root = px__xstrdup("/nonexistent-parlab-root");
	for (int i = 0; i < 3; i++)
		m->load_before[i] = m->load_after[i] = NAN;
	m->boost = m->smt_active = -1;
	m->mem_total = m->mem_available = m->quota_us = m->period_us = -1;
	m->usable_cpus = NAN;
	m->calm = true;
}

static void test_all_unknown(void)
{
	struct machine m;
	char *j;

	unknown_machine(&m);
	j = written(&m);
	CU_ASSERT(json_valid(j));
	CHECK_CONTAINS(j, "\"calm\": true,\n    \"not_calm_reasons\": [],");
	CHECK_CONTAINS(j, "\"load_before\": [null, null, null],");
	CHECK_CONTAINS(j, "\"load_after\": [null, null, null],");
	CHECK_CONTAINS(j, "\"cpus\": null,");
	CHECK_CONTAINS(j, "\"governor\": null,");
	CHECK_CONTAINS(j, "\"freq_cur_khz\": null,");
	CHECK_CONTAINS(j, "\"boost\": null,");
	CHECK_CONTAINS(j, "\"smt_active\": null,");
	CHECK_CONTAINS(j, "\"cpuidle_driver\": null,");
	CHECK_CONTAINS(j, "\"held_cpus\": null,");
	CHECK_CONTAINS(j, "\"mem_total_bytes\": null,");
	CHECK_CONTAINS(j, "\"cgroup_version\": null,");
	CHECK_CONTAINS(j, "\"cpu_quota_us\": null,");
	CHECK_CONTAINS(j, "\"isolcpus\": null,");
	CHECK_CONTAINS(j, "\"irqaffinity\": null,");
	CHECK_CONTAINS(j, "\"git_dirty\": ");
	free(j);
	px__machine_free(&m);
}

static void test_two_cpus(void)
{
	struct machine m;
	char *j;

	unknown_machine(&m);
	m.cpu = px__xcalloc(2, sizeof(*m.cpu));
	m.n_cpu = 2;
	for (size_t i = 0; i < 2; i++) {
		m.cpu[i].cpu = (unsigned)(2 * i + 1);
		m.cpu[i].min_khz = 800000;
		m.cpu[i].max_khz = 3000000;
		m.cpu[i].cur_khz = i ? 2500000 : -1;
		m.cpu[i].governor = px__xstrdup(i ? "powersave" : "performance");
	}
	m.load_before[0] = 3.25;
	m.load_before[1] = m.load_before[2] = 1;
	m.usable_cpus = 2;
	m.boost = 1;
	m.boost_source = "intel_pstate/no_turbo";
	m.smt_active = 0;
	m.cpuidle_driver = px__xstrdup("none");
	m.held_cpus = px__xstrdup("0-1");
	m.quota_us = 150000;
	m.period_us = 100000;
	m.cgroup_version = 2;
	m.cgroup = px__xstrdup("/a \"quoted\" slice");
	m.isolation[PX_ISOL_RCU_NOCBS] = px__xstrdup("");
	m.calm = false;
	m.not_calm[m.n_not_calm++] = px__xstrdup("load 3.2 on 2 CPUs");
	m.not_calm[m.n_not_calm++] = px__xstrdup("turbo on");
	j = written(&m);
	CU_ASSERT(json_valid(j));
	CHECK_CONTAINS(j, "\"calm\": false,\n    \"not_calm_reasons\": [\"load 3.2 on 2 CPUs\", \"turbo on\"],");
	CHECK_CONTAINS(j, "\"load_before\": [3.25, 1, 1],");
	CHECK_CONTAINS(j, "\"cpus\": [1, 3],");
	CHECK_CONTAINS(j, "\"governor\": [\"performance\", \"powersave\"],");
	CHECK_CONTAINS(j, "\"freq_min_khz\": 800000,");
	CHECK_CONTAINS(j, "\"freq_max_khz\": 3000000,");
	CHECK_CONTAINS(j, "\"freq_cur_khz\": [null, 2500000],");
	CHECK_CONTAINS(j, "\"boost\": true,\n    \"boost_source\": \"intel_pstate/no_turbo\",");
	CHECK_CONTAINS(j, "\"smt_active\": false,\n    \"cpuidle_driver\": \"none\",\n    \"held_cpus\": \"0-1\",");
	CHECK_CONTAINS(j, "\"cgroup\": \"/a \\\"quoted\\\" slice\",");
	CHECK_CONTAINS(j, "\"cgroup_version\": 2,");
	CHECK_CONTAINS(j, "\"cpu_quota_us\": 150000,\n    \"cpu_period_us\": 100000,");
	CHECK_CONTAINS(j, "\"rcu_nocbs\": \"\",");
	free(j);
	px__machine_free(&m);
}

TEST_MAIN("meta_machine", T(test_all_unknown), T(test_two_cpus))
