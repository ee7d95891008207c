/* params.h: a plugin's parameter table turned into checked config values. */
#ifndef PX_PARAMS_H
#define PX_PARAMS_H

#include <stdio.h>

#include "parlab/plugin.h"

/* One parsed value: i for every type but PX_REAL. */
union pvalue {
	int64_t i;
	double r;
};

/* The parameter of plugin pl named `name`, or NULL. */
const struct px_param *px__param_find(const struct px_plugin *pl,
                                      const char *name);

/* Number of rows in pl's parameter table. */
size_t px__param_count(const struct px_plugin *pl);

/* A buffer that holds any message px__param_parse writes whole: names are
 * at most PX_MAX_NAME bytes, enum words are listed up to 1 KiB, and a
 * value longer than 512 bytes is quoted by its start and length. */
#define PX_PARAM_ERR_MAX 4096

/* Parses `text` as a value of p and checks its range or words. Returns 0,
 * or -EINVAL with a message in err saying what was allowed. */
int px__param_parse(const struct px_param *p, const char *text,
                    union pvalue *v, char *err, size_t cap);

/* Writes v the way an experiment file would ("5ms", "true", "unsafe"). */
void px__param_format(const struct px_param *p, union pvalue v, char *buf,
                      size_t cap);

/* The column a results file gives p, named with its base unit:
 * "sleep_ns" (duration), "region_bytes" (size), else the name. */
void px__param_column(const struct px_param *p, char *buf, size_t cap);

/* Writes v in base units for data files: nanoseconds, bytes, 0 or 1,
 * the enum's word, or the number. */
void px__param_base(const struct px_param *p, union pvalue v, char *buf,
                    size_t cap);

/* Stores v at p's offset in config. */
void px__param_store(const struct px_param *p, void *config, union pvalue v);

/* Fills config with every parameter's default. Returns 0, or -EINVAL when
 * a default does not parse (a plugin bug, named in *err, malloc'd). */
int px__param_defaults(const struct px_plugin *pl, void *config, char **err);

/* "integer", "duration", ... */
const char *px__param_type_name(enum px_type t);

/* Writes the allowed range or words of p ("1 .. 4096", "unsafe|atomic"). */
void px__param_allowed(const struct px_param *p, char *buf, size_t cap);

/* Prints pl's parameter table as `parlab describe` shows it. */
void px__param_print_table(FILE *out, const struct px_plugin *pl);

#endif
