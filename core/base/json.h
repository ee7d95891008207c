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

#endif
