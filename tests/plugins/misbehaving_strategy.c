/* misbehaving_strategy.c: strategies that break the rules of plugin.h,
 * one build per rule: STRAY_THREAD starts a thread that runs on after
 * execute (it waits forever), NO_BEGIN runs every task on worker 0 without
 * calling worker_begin or worker_end for any worker. The host must fail
 * their runs saying why. */
#include <pthread.h>
#include <unistd.h>

#include <parlab/plugin.h>

#ifdef STRAY_THREAD
static void *forever(void *arg)
{
	(void)arg;
	for (;;)
		pause();
	return NULL;
}
#endif

static int execute(px_run *run)
{
	const struct px_host *h = run->host;
	px_worker *w = h->worker(run, 0);
	int rc = 0;

#ifdef STRAY_THREAD
	pthread_t t;
	if (pthread_create(&t, NULL, forever, NULL) == 0)
		pthread_detach(t);
	rc = h->worker_begin(w);
	for (uint64_t i = 0; rc == 0 && i < run->tasks; i++)
		rc = h->run_task(w, i);
	h->worker_end(w);
#else
	for (uint64_t i = 0; rc == 0 && i < run->tasks; i++)
		rc = h->run_task(w, i);
#endif
	return rc;
}

static const struct px_strategy_ops ops = { .max_workers = 1, .execute = execute };

static const struct px_plugin plugin = {
	PX_DESCRIPTOR_HEADER,
	.kind = PX_KIND_STRATEGY,
#ifdef STRAY_THREAD
	.name = "stray-thread",
#else
	.name = "no-begin",
#endif
	.summary = "test strategy that breaks a rule of plugin.h",
	.strategy = &ops,
};

PX_PLUGIN(plugin)
