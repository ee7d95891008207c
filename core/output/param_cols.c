/* param_cols.c: parameter columns in base units for the data files. */
#include "output/param_cols.h"

#include <string.h>

#include "base/json.h"
#include "base/util.h"
#include "env/params.h"

static void add_params(struct param_cols *pc, size_t *cap,
                       const struct px_plugin *d, bool strategy)
{
	char col[128];

	for (const struct px_param *p = d->params; p && p->name; p++) {
		bool have = false;
		px__param_column(p, col, sizeof(col));
		for (size_t i = 0; i < pc->n && !have; i++)
			have = pc->c[i].strategy == strategy &&
			       strcmp(pc->c[i].name, col) == 0;
		if (have)
			continue;
		px__grow(&pc->c, cap, pc->n + 1, sizeof(*pc->c));
		pc->c[pc->n++] = (struct param_col){ px__xstrdup(col), p->name,
		                                     strategy };
	}
}

void px__param_columns(const struct plan *plan, struct param_cols *pc)
{
	size_t cap = 0;

	memset(pc, 0, sizeof(*pc));
	for (size_t i = 0; i < plan->n; i++)
		add_params(pc, &cap, plan->trials[i].strategy->desc, true);
	add_params(pc, &cap, plan->exp->workload.plugin->desc, false);
}

void px__param_columns_free(struct param_cols *pc)
{
	for (size_t i = 0; i < pc->n; i++)
		free(pc->c[i].name);
	free(pc->c);
	memset(pc, 0, sizeof(*pc));
}

void px__param_header(FILE *f, const struct param_cols *pc, bool strategy)
{
	for (size_t i = 0; i < pc->n; i++)
		if (pc->c[i].strategy == strategy)
			fprintf(f, ",%s.%s", strategy ? "s" : "w", pc->c[i].name);
}

/* Column col of trial t in base units into buf; "" when t lacks it. */
static void cell(const struct param_col *col, const struct trial *t,
                 char *buf, size_t cap)
{
	const struct px_plugin *d = col->strategy ? t->strategy->desc
	                                          : t->workload->desc;
	const union pvalue *v = col->strategy ? t->svals : t->wvals;
	const struct px_param *p = px__param_find(d, col->param);
	char name[128];

	buf[0] = '\0';
	if (!p)
		return;
	px__param_column(p, name, sizeof(name));
	if (strcmp(name, col->name) == 0)
		px__param_base(p, v[p - d->params], buf, cap);
}

void px__param_cells(FILE *f, const struct param_cols *pc, bool strategy,
                     const struct trial *t)
{
	char buf[128];

	for (size_t i = 0; i < pc->n; i++) {
		if (pc->c[i].strategy != strategy)
			continue;
		cell(&pc->c[i], t, buf, sizeof(buf));
		fputc(',', f);
		px__csv_str(f, buf);
	}
}

void px__param_json(FILE *f, const struct trial *t, bool strategy)
{
	const struct px_plugin *d = strategy ? t->strategy->desc
	                                     : t->workload->desc;
	const union pvalue *v = strategy ? t->svals : t->wvals;
	char name[128], buf[128];
	size_t n = px__param_count(d);

	fputc('{', f);
	for (size_t i = 0; i < n; i++) {
		const struct px_param *p = &d->params[i];
		px__param_column(p, name, sizeof(name));
		px__param_base(p, v[i], buf, sizeof(buf));
		fputs(i ? ", " : "", f);
		px__json_str(f, name);
		fputs(": ", f);
		if (p->type == PX_ENUM)
			px__json_str(f, buf);
		else if (p->type == PX_BOOL)
			fputs(v[i].i ? "true" : "false", f);
		else if (p->type == PX_REAL)
			px__json_num(f, v[i].r);
		else
			fputs(buf, f);
	}
	fputc('}', f);
}
