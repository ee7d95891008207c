/* fuzz_experiment.c: libFuzzer target for the experiment loader and the
 * expectation language. Each input is loaded as an experiment file the
 * way `parlab validate` does (YAML tree, schema, plugins' parameters,
 * bounds, plan, selectors of expectations) against a fixed synthetic
 * machine and the build's plugins, and is also parsed as one expectation.
 * Built only with -DPARLAB_FUZZ=ON under clang (tools/fuzz.sh). */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "env/plugins.h"
#include "env/topo.h"
#include "input/expect.h"
#include "input/experiment.h"
#include "plan/expect_resolve.h"
#include "plan/plan.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* What every input shares: loaded once, never freed (the process ends). */
static struct registry reg;
static struct topo tp;
static FILE *sink;

static void setup(void)
{
	char *dirs[] = { PARLAB_FUZZ_PLUGIN_DIR, NULL };
	char err[256];

	sink = fopen("/dev/null", "w");
	px__registry_load(&reg, dirs, NULL);
	if (px__topo_open(&tp, "pack:1 core:4 pu:2", err, sizeof(err))) {
		fprintf(stderr, "fuzz_experiment: %s\n", err);
		abort();
	}
}

/* What validate does with each experiment of a file that loaded. */
static void plan_and_resolve(struct experiment *e, struct diag *d)
{
	struct plan p;

	if (px__plan_build(&p, e, &tp, 0, d) == 0)
		for (size_t i = 0; i < e->n_expects; i++)
			px__expect_resolve(e->expects[i].expr, &p, d);
	px__plan_free(&p);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = px__xmalloc(size + 1);
	struct diag d = { 0 };
	struct load_ctx ctx;
	struct experiment **exps;
	struct expr *x;
	int n;

	if (!sink)
		setup();
	d.out = sink;
	ctx = (struct load_ctx){ &reg, &tp, &d, 0, 0 };
	memcpy(text, data, size);
	text[size] = '\0';   /* the loaders read text up to its first NUL */
	n = px__experiment_load_all(&ctx, "fuzz.yaml", text, &exps);
	for (int i = 0; i < n; i++) {
		plan_and_resolve(exps[i], &d);
		px__experiment_free(exps[i]);
	}
	free(exps);
	x = px__expect_parse(text, (struct mark){ "fuzz", 1, 1 }, &d);
	px__expect_free(x);
	free(text);
	return 0;
}
