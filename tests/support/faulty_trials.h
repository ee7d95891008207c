/* faulty_trials.h: a plan of the faulty workload, one serial and one
 * free-threads trial per mode (ok, segv, abort, exit, hang, wrong, fail),
 * and a helper that runs one of them in its own process, for the tests of
 * trial execution and of the runtime. Each includer is one program. */
#ifndef PX_TEST_FAULTY_TRIALS_H
#define PX_TEST_FAULTY_TRIALS_H

#include <errno.h>
#include <sys/wait.h>

#include "helpers.h"
#include "exec/trial_exec.h"
#include "base/util.h"

static struct registry reg;
static struct topo tp;
static struct experiment *exp_;
static struct plan plan;

/* One trial per faulty mode, in the order of the list below. */
static const char *const modes[] = { "ok", "segv", "abort", "exit", "hang",
                                     "wrong", "fail" };

static inline void build_plan(void)
{
	char *errs = NULL, err[256];
	struct diag d = { 0 };

	if (exp_)
		return;
	px_test_registry(&reg);
	px__topo_open(&tp, "pack:1 core:2 pu:1", err, sizeof(err));
	exp_ = px_test_load(&reg, &tp,
		"experiment: faults\n"
		"workload:\n"
		"  name: faulty\n"
		"  params: {mode: [ok, segv, abort, exit, hang, wrong, fail]}\n"
		"strategies: [serial, free-threads]\n"
		"workers: [2]\n"
		"timeout: 300ms\n", &errs, NULL);
	if (!exp_)
		fprintf(stderr, "%s", errs);
	free(errs);
	CU_ASSERT_PTR_NOT_NULL_FATAL(exp_);
	CHECK_INT(px__plan_build(&plan, exp_, &tp, 1, &d), 0);
	CHECK_INT(plan.n, 14);
}

/* Runs the serial trial for `mode` and returns its outcome. */
static inline void run_mode(const char *mode, size_t first_trial,
                     struct run_outcome *o)
{
	size_t k;

	build_plan();
	for (k = 0; k < PX_ARRAY_LEN(modes); k++)
		if (strcmp(modes[k], mode) == 0)
			break;
	/* Only a hang should wait out its timeout; the others get time to
	 * spare even under a sanitizer. */
	CHECK_INT(px__exec_run(&plan, &plan.trials[first_trial + k],
	                       strcmp(mode, "hang") ? 10000000000LL : 300000000LL,
	                       o), 0);
}

/* No child of this process is left, running or unreaped. */
static inline void check_no_children(void)
{
	errno = 0;
	CHECK_INT(waitpid(-1, NULL, WNOHANG), -1);
	CHECK_INT(errno, ECHILD);
}

#endif
