/* merge_matrix.c: the claims x machines matrix of merged results: a claim
 * is an expectation of an experiment, a column a host (or a second run on
 * one host); each cell the verdict and the measured value of the
 * expectation's left side, the key figure ("pass 1.98x"). */
#define _GNU_SOURCE
#include "output/merge.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/units.h"
#include "base/util.h"

/* The key figure of v: a speedup as "1.98x", a wall time in its unit,
 * anything else with 4 digits. */
static void figure(char *buf, size_t cap, const struct merged_verdict *v)
{
	if (isnan(v->value))
		buf[0] = '\0';
	else if (strncmp(v->expect, "speedup(", 8) == 0)
		snprintf(buf, cap, "%.3gx", v->value);
	else if (strncmp(v->expect, "wall_s(", 7) == 0)
		px__format_seconds(v->value, buf, cap);
	else
		snprintf(buf, cap, "%.4g", v->value);
}

static size_t index_of(const char **v, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(v[i], s) == 0)
			return i;
	return n;
}

static size_t claim_of(struct batch_matrix *m, size_t *cap, const char *exp,
                       const char *expect)
{
	struct batch_claim *c;

	for (size_t i = 0; i < m->n_claims; i++)
		if (strcmp(m->claims[i].experiment, exp) == 0 &&
		    strcmp(m->claims[i].expect, expect) == 0)
			return i;
	px__grow(&m->claims, cap, m->n_claims + 1, sizeof(*m->claims));
	c = &m->claims[m->n_claims];
	c->experiment = exp;
	c->expect = expect;
	c->cells = NULL;
	return m->n_claims++;
}

void px__merged_matrix(const struct merged_exp *v, size_t n,
                       struct batch_matrix *m)
{
	size_t hcap = 0, ccap = 0;

	memset(m, 0, sizeof(*m));
	for (size_t i = 0; i < n; i++) {
		if (index_of(m->hosts, m->n_hosts, v[i].column) == m->n_hosts) {
			px__grow(&m->hosts, &hcap, m->n_hosts + 1, sizeof(*m->hosts));
			m->hosts[m->n_hosts++] = v[i].column;
		}
		for (size_t k = 0; k < v[i].n_verdicts; k++)
			claim_of(m, &ccap, v[i].name, v[i].verdicts[k].expect);
	}
	for (size_t c = 0; c < m->n_claims; c++)
		m->claims[c].cells = px__xcalloc(m->n_hosts + 1,
		                                 sizeof(struct batch_cell));
	for (size_t i = 0; i < n; i++) {
		size_t h = index_of(m->hosts, m->n_hosts, v[i].column);
		for (size_t k = 0; k < v[i].n_verdicts; k++) {
			const struct merged_verdict *mv = &v[i].verdicts[k];
			struct batch_cell *cell = &m->claims[claim_of(m, &ccap,
			        v[i].name, mv->expect)].cells[h];
			cell->present = true;
			snprintf(cell->verdict, sizeof(cell->verdict), "%s",
			         mv->verdict);
			cell->value = mv->value;
			figure(cell->figure, sizeof(cell->figure), mv);
		}
	}
}

void px__matrix_free(struct batch_matrix *m)
{
	for (size_t c = 0; c < m->n_claims; c++)
		free(m->claims[c].cells);
	free(m->claims);
	free(m->hosts);
	memset(m, 0, sizeof(*m));
}
