/* strategy_serial.c: one worker runs every task in order, on the calling
 * thread. The usual baseline: no concurrency, no parallelism, no
 * overhead beyond a loop. Host calls keep their plain meaning. */
#include <parlab/plugin.h>

static int serial_execute(px_run *run)
{
	const struct px_host *h = run->host;
	px_worker *w = h->worker(run, 0);
	int rc = h->worker_begin(w);

	for (uint64_t t = 0; rc == 0 && t < run->tasks; t++)
		rc = h->run_task(w, t);
	h->worker_end(w);
	return rc;
}

static const struct px_strategy_ops serial_ops = {
	.max_workers = 1,
	.execute = serial_execute,
};

static const struct px_plugin serial_plugin = {
	PX_DESCRIPTOR_HEADER,
	.kind = PX_KIND_STRATEGY,
	.name = "serial",
	.summary = "one worker runs all tasks in order (the usual baseline)",
	.doc = "Runs task 0, 1, ..., n-1 on one thread, pinned to the first place of\n"
	       "the pin plan. It has one worker whatever `workers` says, so an\n"
	       "experiment runs it once per combination of the other parameters.",
	.strategy = &serial_ops,
};

PX_PLUGIN(serial_plugin)
