/* run_region.c: the layout of the region a trial's process reports
 * through, computed alike by the parent and the child. */
#include "exec/run_region.h"

void px__region_layout(const struct plan *plan, const struct trial *t,
                       struct region_layout *l)
{
	size_t slots = (size_t)t->workers + 1;

	l->n_sampled = 0;
	for (const struct px_metric *m = t->workload->desc->metrics;
	     m && m->name; m++)
		l->n_sampled += m->agg == PX_AGG_SAMPLES;
	l->values_off = (sizeof(struct run_head) + 63) & ~(size_t)63;
	l->slots_off = (l->values_off + plan->ncols * sizeof(double) + 63) &
	               ~(size_t)63;
	l->hist_off = l->slots_off + slots * sizeof(struct wslot);
	l->total = l->hist_off + slots * l->n_sampled * sizeof(struct hist);
}
