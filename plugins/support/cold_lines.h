/* cold_lines.h: a set of cache lines, one per page in shuffled order, read
 * as a pointer chase, so that reading them costs what the memory they come
 * from costs: next to nothing while they are in the core's caches, a miss
 * each (about 100 ns) once the core has slept long enough for them to be
 * evicted. gil-threads reads them where CPython's interpreter walks its own
 * scattered state (request_lines): a cost that, like the interpreter's,
 * depends on how long the thread slept, not a fixed time. */
#ifndef PX_PLUGIN_COLD_LINES_H
#define PX_PLUGIN_COLD_LINES_H

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>

#include "lcg.h"

enum { COLD_LINE_PAGE = 4096, COLD_LINE_SIZE = 64 };

struct cold_lines {
	void *mem;        /* n pages */
	void **first;     /* the chase starts here and comes back after n */
	int64_t n;
};

/* The address of line i: on page i, at a line offset that also varies,
 * so that the lines do not all map to the same cache set. */
static inline void **cold_line(const struct cold_lines *c, int64_t i)
{
	return (void **)((char *)c->mem + i * COLD_LINE_PAGE +
	                 (i * COLD_LINE_SIZE) % COLD_LINE_PAGE);
}

/* n lines, linked in an order shuffled with a fixed seed (a hardware
 * prefetcher cannot guess the next); 0 on success, -ENOMEM. n == 0 is an
 * empty set that costs nothing to read. */
static inline int cold_lines_init(struct cold_lines *c, int64_t n)
{
	int64_t *order;
	uint64_t x = lcg_seed(n);

	c->mem = NULL;
	c->first = NULL;
	c->n = n;
	if (n <= 0)
		return 0;
	c->mem = aligned_alloc(COLD_LINE_PAGE, (size_t)n * COLD_LINE_PAGE);
	order = malloc(sizeof(*order) * (size_t)n);
	if (!c->mem || !order) {
		free(c->mem);
		free(order);
		c->mem = NULL;
		return -ENOMEM;
	}
	for (int64_t i = 0; i < n; i++)
		order[i] = i;
	for (int64_t i = n - 1; i > 0; i--) {   /* Fisher-Yates */
		int64_t j, t;
		x = x * LCG_A + LCG_C;
		j = (int64_t)((x >> 33) % (uint64_t)(i + 1));
		t = order[i];
		order[i] = order[j];
		order[j] = t;
	}
	for (int64_t i = 0; i < n; i++)
		*cold_line(c, order[i]) = cold_line(c, order[(i + 1) % n]);
	c->first = cold_line(c, order[0]);
	free(order);
	return 0;
}

/* Reads every line once, each load waiting for the one before; returns the
 * number of lines read (n). */
static inline int64_t cold_lines_read(const struct cold_lines *c)
{
	void **p = c->first;

	for (int64_t i = 0; i < c->n; i++)
		p = (void **)*p;
	__asm__ volatile("" : : "r"(p));
	return c->n;
}

static inline void cold_lines_free(struct cold_lines *c)
{
	free(c->mem);
	c->mem = NULL;
	c->first = NULL;
	c->n = 0;
}

#endif
