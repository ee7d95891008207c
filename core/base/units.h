/* units.h: integers with '_', durations (ns us ms s), sizes (B KiB MiB GiB TiB, kB MB GB). */
#ifndef PX_UNITS_H
#define PX_UNITS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Each parser returns 0 and sets *out, or -EINVAL when s is not of its
 * form, or -ERANGE when it does not fit in 64 bits. */
int px__parse_int(const char *s, int64_t *out);        /* "20_000_000" */
int px__parse_real(const char *s, double *out);        /* "0.8", "1e-3" */
int px__parse_duration(const char *s, int64_t *ns);    /* "5ms", "1.5s" */
int px__parse_size(const char *s, int64_t *bytes);     /* "64KiB", "512" */
int px__parse_bool(const char *s, bool *out);          /* "true", "off" */

/* Writes the shortest exact form: 5000000 ns -> "5ms", 1536 -> "1536B",
 * 1048576 -> "1MiB". */
void px__format_duration(int64_t ns, char *buf, size_t cap);
void px__format_size(int64_t bytes, char *buf, size_t cap);

/* The unit in which `seconds` reads between 1 and 1000: "s", "ms", "µs"
 * or "ns" (s for 0, NaN and values of 1000 s and more); *scale turns
 * seconds into it. Each is at most 2 columns wide on a terminal. */
const char *px__seconds_unit(double seconds, double *scale);

/* `seconds` in its unit with 4 significant digits: "563.8 ms",
 * "27.00 ns", "1.600 s". */
void px__format_seconds(double seconds, char *buf, size_t cap);

#endif
