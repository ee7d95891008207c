/* json.h: the two things a hand-written JSON document needs. */
#ifndef PX_JSON_H
#define PX_JSON_H

#include <stdio.h>

/* Writes s as a JSON string, quotes included. */
void px__json_str(FILE *f, const char *s);
/* Writes v as a JSON number, or null when it is NaN or infinite. */
void px__json_num(FILE *f, double v);

/* Writes s as one CSV field, quoted when it holds a comma, quote or
 * newline. */
void px__csv_str(FILE *f, const char *s);
/* Writes v as a CSV field, empty when it is NaN. */
void px__csv_num(FILE *f, double v);

/* Reads back, from a document parlab wrote, the value of the first member
 * called `key` (json_scan.c): a string (unescaped, the caller frees; NULL
 * when absent or not a string) or a number (dflt when absent). */
char *px__json_find_str(const char *doc, const char *key);
double px__json_find_num(const char *doc, const char *key, double dflt);
/* Every string value of members called `key`, in document order, as a
 * NULL-terminated array (px__free_strv frees it); *n of them. */
char **px__json_find_all_str(const char *doc, const char *key, size_t *n);

#endif
