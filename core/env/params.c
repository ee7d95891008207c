/* params.c: parse, check, store and print plugin parameters. */
#include "env/params.h"

#include <errno.h>
#include <math.h>
#include <string.h>

#include "base/suggest.h"
#include "base/units.h"
#include "base/util.h"

const struct px_param *px__param_find(const struct px_plugin *pl,
                                      const char *name)
{
	for (const struct px_param *p = pl->params; p && p->name; p++)
		if (strcmp(p->name, name) == 0)
			return p;
	return NULL;
}

size_t px__param_count(const struct px_plugin *pl)
{
	size_t n = 0;

	for (const struct px_param *p = pl->params; p && p->name; p++)
		n++;
	return n;
}

const char *px__param_type_name(enum px_type t)
{
	switch (t) {
	case PX_INT:
		return "integer";
	case PX_DURATION:
		return "duration";
	case PX_SIZE:
		return "size";
	case PX_BOOL:
		return "bool";
	case PX_ENUM:
		return "word";
	case PX_REAL:
		return "number";
	}
	return "?";
}

/* Writes a bound in the parameter's own unit. */
static void format_bound(const struct px_param *p, double b, char *buf,
                         size_t cap)
{
	if (p->type == PX_DURATION)
		px__format_duration((int64_t)b, buf, cap);
	else if (p->type == PX_SIZE)
		px__format_size((int64_t)b, buf, cap);
	else if (p->type == PX_REAL)
		snprintf(buf, cap, "%g", b);
	else
		snprintf(buf, cap, "%.0f", b);
}

void px__param_allowed(const struct px_param *p, char *buf, size_t cap)
{
	char lo[32], hi[32];
	size_t len = 0;

	buf[0] = '\0';
	if (p->type == PX_BOOL) {
		snprintf(buf, cap, "true|false");
	} else if (p->type == PX_ENUM) {
		for (const char *const *w = p->words; w && *w && len < cap; w++)
			len += (size_t)snprintf(buf + len, cap - len, "%s%s",
			                        w == p->words ? "" : "|", *w);
	} else {
		format_bound(p, p->min, lo, sizeof(lo));
		format_bound(p, p->max, hi, sizeof(hi));
		snprintf(buf, cap, "%s .. %s", lo, hi);
	}
}

/* A value as messages quote it: whole up to 512 bytes, else its start and
 * its length, so that a message always fits PX_PARAM_ERR_MAX whole. */
static const char *quoted(const char *text, char *buf, size_t cap)
{
	size_t len = strlen(text);

	if (len <= 512)
		return text;
	snprintf(buf, cap, "%.64s... (%zu bytes)", text, len);
	return buf;
}

static int parse_enum(const struct px_param *p, const char *text,
                      union pvalue *v, char *err, size_t cap)
{
	size_t n = 0;
	char allowed[1024], q[96];

	for (const char *const *w = p->words; w && *w; w++, n++) {
		if (strcmp(*w, text) == 0) {
			v->i = (int64_t)n;
			return 0;
		}
	}
	px__param_allowed(p, allowed, sizeof(allowed));
	snprintf(err, cap, "%s: '%s' is not allowed, expected one of %s",
	         p->name, quoted(text, q, sizeof(q)), allowed);
	px__suggest_hint(err, cap, text, (const char *const *)p->words, n);
	return -EINVAL;
}

int px__param_parse(const struct px_param *p, const char *text,
                    union pvalue *v, char *err, size_t cap)
{
	char allowed[128], q[96];
	bool b;
	int rc = -EINVAL;
	double x;

	switch (p->type) {
	case PX_ENUM:
		return parse_enum(p, text, v, err, cap);
	case PX_BOOL:
		if (px__parse_bool(text, &b) == 0) {
			v->i = b;
			return 0;
		}
		snprintf(err, cap, "%s: '%s' is not a bool, expected true or false",
		         p->name, quoted(text, q, sizeof(q)));
		return -EINVAL;
	case PX_INT:
		rc = px__parse_int(text, &v->i);
		x = (double)v->i;
		break;
	case PX_DURATION:
		rc = px__parse_duration(text, &v->i);
		x = (double)v->i;
		break;
	case PX_SIZE:
		rc = px__parse_size(text, &v->i);
		x = (double)v->i;
		break;
	case PX_REAL:
		rc = px__parse_real(text, &v->r);
		x = v->r;
		break;
	}
	if (rc) {
		/* What the value should look like, and the parameter's own
		 * range: a generic example could lie outside it. */
		static const char *const expect[] = {
			[PX_INT] = "an integer (digits, _ allowed between them)",
			[PX_DURATION] = "a duration (units ns us ms s min)",
			[PX_SIZE] = "a size (units B KiB MiB GiB TiB, also kB MB GB)",
			[PX_REAL] = "a number",
		};
		px__param_allowed(p, allowed, sizeof(allowed));
		snprintf(err, cap, "%s: '%s' is not %s, allowed %s", p->name,
		         quoted(text, q, sizeof(q)),
		         rc == -ERANGE ? "in the 64-bit range"
		                       : expect[p->type], allowed);
		return -EINVAL;
	}
	if (x < p->min || x > p->max || isnan(x)) {
		px__param_allowed(p, allowed, sizeof(allowed));
		snprintf(err, cap, "%s: %s is out of range, allowed %s", p->name,
		         quoted(text, q, sizeof(q)), allowed);
		return -EINVAL;
	}
	return 0;
}

void px__param_format(const struct px_param *p, union pvalue v, char *buf,
                      size_t cap)
{
	switch (p->type) {
	case PX_DURATION:
		px__format_duration(v.i, buf, cap);
		break;
	case PX_SIZE:
		px__format_size(v.i, buf, cap);
		break;
	case PX_BOOL:
		snprintf(buf, cap, "%s", v.i ? "true" : "false");
		break;
	case PX_ENUM:
		snprintf(buf, cap, "%s", p->words[v.i]);
		break;
	case PX_REAL:
		snprintf(buf, cap, "%g", v.r);
		break;
	default:
		snprintf(buf, cap, "%lld", (long long)v.i);
	}
}

void px__param_column(const struct px_param *p, char *buf, size_t cap)
{
	snprintf(buf, cap, "%s%s", p->name, p->type == PX_DURATION ? "_ns"
	         : p->type == PX_SIZE ? "_bytes" : "");
}

void px__param_base(const struct px_param *p, union pvalue v, char *buf,
                    size_t cap)
{
	if (p->type == PX_ENUM)
		snprintf(buf, cap, "%s", p->words[v.i]);
	else if (p->type == PX_REAL)
		snprintf(buf, cap, "%.17g", v.r);
	else
		snprintf(buf, cap, "%lld", (long long)v.i);
}

void px__param_store(const struct px_param *p, void *config, union pvalue v)
{
	char *at = (char *)config + p->offset;

	if (p->type == PX_REAL)
		memcpy(at, &v.r, sizeof(v.r));
	else
		memcpy(at, &v.i, sizeof(v.i));
}

int px__param_defaults(const struct px_plugin *pl, void *config, char **err)
{
	for (const struct px_param *p = pl->params; p && p->name; p++) {
		union pvalue v;
		char why[PX_PARAM_ERR_MAX];

		if (px__param_parse(p, p->def ? p->def : "", &v, why,
		                    sizeof(why))) {
			*err = px__xasprintf("plugin %s: bad default: %s",
			                     pl->name, why);
			return -EINVAL;
		}
		px__param_store(p, config, v);
	}
	return 0;
}

void px__param_print_table(FILE *out, const struct px_plugin *pl)
{
	if (!pl->params || !pl->params->name) {
		fprintf(out, "  (no parameters)\n");
		return;
	}
	fprintf(out, "  %-18s %-9s %-10s %-22s %s\n", "name", "type",
	        "default", "allowed", "help");
	for (const struct px_param *p = pl->params; p->name; p++) {
		char allowed[128];
		px__param_allowed(p, allowed, sizeof(allowed));
		fprintf(out, "  %-18s %-9s %-10s %-22s %s\n", p->name,
		        px__param_type_name(p->type), p->def, allowed,
		        p->help ? p->help : "");
	}
}
