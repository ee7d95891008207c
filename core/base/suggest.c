/* suggest.c: nearest word by Levenshtein distance. */
#include "base/suggest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static size_t edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	size_t *row = calloc(lb + 1, sizeof(*row));
	size_t d;

	if (!row)
		return (size_t)-1;
	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t diag = row[0];
		row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t up = row[j];
			size_t best = diag + (a[i - 1] != b[j - 1]);
			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
		}
	}
	d = row[lb];
	free(row);
	return d;
}

const char *px__suggest(const char *typo, const char *const *words, size_t n)
{
	const char *best = NULL;
	size_t best_d = (size_t)-1;
	size_t limit = strlen(typo) / 3 + 1;

	for (size_t i = 0; i < n; i++) {
		size_t d;
		if (!words[i])
			continue;
		d = edit_distance(typo, words[i]);
		if (d < best_d) {
			best_d = d;
			best = words[i];
		}
	}
	/* A prefix ("free" for "free-threads") is a plausible slip too. */
	if (best && best_d > limit) {
		for (size_t i = 0; i < n; i++)
			if (words[i] && strlen(typo) >= 3 &&
			    strncmp(words[i], typo, strlen(typo)) == 0)
				return words[i];
		return NULL;
	}
	return best;
}

void px__suggest_hint(char *buf, size_t cap, const char *typo,
                      const char *const *words, size_t n)
{
	const char *s = px__suggest(typo, words, n);
	size_t len = strlen(buf);

	if (s && len < cap)
		snprintf(buf + len, cap - len, "; did you mean '%s'?", s);
}
