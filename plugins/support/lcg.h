/* lcg.h: the 64-bit linear congruential generator CPU-bound workloads
 * burn time with, and its O(log n) jump-ahead for verifying results. */
#ifndef PX_PLUGIN_LCG_H
#define PX_PLUGIN_LCG_H

#include <stdint.h>

#define LCG_A 6364136223846793005ULL
#define LCG_C 1442695040888963407ULL

/* The generator state a task starts from. */
static inline uint64_t lcg_seed(uint64_t task)
{
	return task * 0x9E3779B97F4A7C15ULL + 1;
}

/* x -> a*x + c applied k times, by repeated squaring of the affine map. */
static inline uint64_t lcg_jump(uint64_t x, uint64_t k)
{
	uint64_t a = LCG_A, c = LCG_C, ra = 1, rc = 0;

	while (k) {
		if (k & 1) {
			rc = a * rc + c;
			ra = a * ra;
		}
		c = a * c + c;
		a = a * a;
		k >>= 1;
	}
	return ra * x + rc;
}

/* n steps of `rounds` generator rounds each, in a way the compiler keeps. */
#define LCG_ROUNDS(x, rounds)                                                  \
	for (int64_t r_ = 0; r_ < (rounds); r_++)                              \
		(x) = (x) * LCG_A + LCG_C

/* Keeps x alive, so the rounds that computed it are not optimised away
 * when nothing else reads it. Costs nothing at run time. */
static inline void lcg_keep(uint64_t x)
{
	__asm__ volatile("" : : "r"(x));
}

/* Splits `total` steps over `tasks` tasks: the steps of task t. */
static inline uint64_t lcg_share(uint64_t total, uint64_t tasks, uint64_t t)
{
	return total / tasks + (t < total % tasks);
}

#endif
