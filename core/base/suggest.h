/* suggest.h: "did you mean" for misspelt keys and names. */
#ifndef PX_SUGGEST_H
#define PX_SUGGEST_H

#include <stddef.h>

/* Returns the word of words[0..n-1] nearest to `typo` by edit distance, or
 * NULL when none is close enough to be a plausible misspelling. */
const char *px__suggest(const char *typo, const char *const *words, size_t n);

/* Appends "; did you mean 'X'?" to buf (of size cap) when there is an X. */
void px__suggest_hint(char *buf, size_t cap, const char *typo,
                      const char *const *words, size_t n);

#endif
