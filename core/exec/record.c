/* record.c: the one place a run records a value: a strategy's counter
 * (host->counter_add) or a workload's metric (api->metric_record). */
#include <math.h>

#include "exec/runtime_internal.h"

void px__agg_fold(double *acc, enum px_agg agg, double v)
{
	switch (agg) {
	case PX_AGG_SUM:
		*acc += v;
		break;
	case PX_AGG_MAX:
		if (isnan(*acc) || v > *acc)
			*acc = v;
		break;
	case PX_AGG_MIN:
		if (isnan(*acc) || v < *acc)
			*acc = v;
		break;
	default:
		*acc = v;
	}
}

void px__rt_record(px_worker *w, bool counter, unsigned id, double v)
{
	struct rt *rt = rt_of(w);
	const struct plugin *pl = counter ? rt->t->strategy : rt->t->workload;
	size_t slot = w->index == PX_CONTROL ? rt->t->workers : w->index;
	struct wslot *s = &rt->slots[slot];
	enum px_agg agg;

	if (id >= pl->n_metrics)
		return;
	agg = pl->desc->metrics[id].agg;
	if (!counter && agg == PX_AGG_SAMPLES) {
		px__hist_add(&rt->hists[slot * rt->n_sampled +
		                        (size_t)rt->sampled[id]], v);
		return;
	}
	if (agg == PX_AGG_LAST)
		s = &rt->slots[rt->t->workers];
	px__agg_fold(counter ? &s->counters[id] : &s->metrics[id], agg, v);
}
