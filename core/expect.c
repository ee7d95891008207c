/* expect.c: parse, resolve and evaluate expectations. */
#include "expect.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "plan.h"
#include "stats.h"
#include "suggest.h"
#include "units.h"
#include "util.h"

enum enode_kind { E_NUM, E_CORES, E_CALL, E_NEG, E_ADD, E_SUB, E_MUL, E_DIV };
enum cmp { CMP_LT, CMP_LE, CMP_GT, CMP_GE, CMP_EQ, CMP_NE };

struct selector {
	char *key, *value;
	struct mark mark;
};

struct enode {
	enum enode_kind kind;
	struct mark mark;
	double num;
	char *fn;                /* E_CALL: speedup, p99, wall, lost_updates... */
	char *metric;            /* E_CALL with a metric argument: p99(m, ...) */
	char *strategy;
	struct selector *sel;
	size_t nsel;
	size_t trial;            /* resolved */
	int col;                 /* resolved column, or -1 for speedup etc. */
	struct enode *a, *b;
};

struct expr {
	struct enode *lhs, *rhs;
	enum cmp op;
	bool uses_cores;
};

struct parser {
	const char *s;
	size_t pos;
	struct mark m;
	struct diag *d;
	bool failed;
	bool uses_cores;
};

static struct mark at(const struct parser *p, size_t pos)
{
	struct mark m = p->m;

	m.col += (int)pos;
	return m;
}

static void fail(struct parser *p, size_t pos, const char *fmt, const char *arg)
{
	char msg[512];

	if (p->failed)
		return;
	snprintf(msg, sizeof(msg), fmt, arg);
	px__diag_error(p->d, at(p, pos), "expect: %s", msg);
	p->failed = true;
}

static void skip_space(struct parser *p)
{
	while (isspace((unsigned char)p->s[p->pos]))
		p->pos++;
}

static struct enode *node(struct parser *p, enum enode_kind k, size_t pos)
{
	struct enode *n = px__xcalloc(1, sizeof(*n));

	n->kind = k;
	n->mark = at(p, pos);
	n->col = -1;
	return n;
}

static struct enode *parse_sum(struct parser *p);

/* A number ("1.5", "20_000_000", "1e-3"), with an optional duration unit
 * that turns it into seconds (so that wall(serial) < 2s reads naturally). */
static struct enode *parse_number(struct parser *p)
{
	static const struct {
		const char *u;
		double f;
	} units[] = { { "ns", 1e-9 }, { "us", 1e-6 }, { "ms", 1e-3 }, { "s", 1 } };
	size_t start = p->pos, n = 0;
	char buf[64];
	struct enode *node_;
	double v;

	while (n + 1 < sizeof(buf) &&
	       (isdigit((unsigned char)p->s[p->pos]) || p->s[p->pos] == '.' ||
	        p->s[p->pos] == '_' ||
	        ((p->s[p->pos] == 'e' || p->s[p->pos] == 'E') &&
	         (isdigit((unsigned char)p->s[p->pos + 1]) ||
	          p->s[p->pos + 1] == '-' || p->s[p->pos + 1] == '+')))) {
		if (p->s[p->pos] == 'e' || p->s[p->pos] == 'E')
			buf[n++] = p->s[p->pos++];
		buf[n++] = p->s[p->pos++];
	}
	buf[n] = '\0';
	node_ = node(p, E_NUM, start);
	if (px__parse_real(buf, &v)) {
		fail(p, start, "'%s' is not a number", buf);
		return node_;
	}
	node_->num = v;
	for (size_t i = 0; i < PX_ARRAY_LEN(units); i++) {
		size_t len = strlen(units[i].u);
		if (strncmp(p->s + p->pos, units[i].u, len) == 0 &&
		    !isalnum((unsigned char)p->s[p->pos + len])) {
			node_->num *= units[i].f;
			p->pos += len;
			break;
		}
	}
	return node_;
}

/* One raw argument: everything up to ',' or ')', trimmed. */
static char *raw_arg(struct parser *p, size_t *start)
{
	size_t b, e;

	skip_space(p);
	b = *start = p->pos;
	while (p->s[p->pos] && p->s[p->pos] != ',' && p->s[p->pos] != ')')
		p->pos++;
	e = p->pos;
	while (e > b && isspace((unsigned char)p->s[e - 1]))
		e--;
	if (e == b) {
		fail(p, b, "expected an argument here%s", "");
		return NULL;
	}
	return px__xasprintf("%.*s", (int)(e - b), p->s + b);
}

/* Functions whose first argument is a metric, not a strategy. */
static bool takes_metric(const char *fn)
{
	static const char *const fns[] = { "p50", "p90", "p99", "p999",
	                                   "mean", "max", "count" };

	for (size_t i = 0; i < PX_ARRAY_LEN(fns); i++)
		if (strcmp(fn, fns[i]) == 0)
			return true;
	return false;
}

static bool parse_args(struct parser *p, struct enode *n)
{
	size_t cap = 0, pos;
	char *arg;

	if (takes_metric(n->fn)) {
		if (!(n->metric = raw_arg(p, &pos)))
			return false;
		if (p->s[p->pos] != ',') {
			fail(p, p->pos, "%s(METRIC, STRATEGY, key=value...) needs a strategy",
			     n->fn);
			return false;
		}
		p->pos++;
	}
	if (!(n->strategy = raw_arg(p, &pos)))
		return false;
	if (strchr(n->strategy, '=')) {
		fail(p, pos, "the first argument names a strategy, e.g. %s(serial)",
		     n->fn);
		return false;
	}
	while (p->s[p->pos] == ',') {
		char *eq;
		p->pos++;
		if (!(arg = raw_arg(p, &pos)))
			return false;
		eq = strchr(arg, '=');
		if (!eq || eq == arg || !eq[1]) {
			fail(p, pos, "'%s' is not key=value, e.g. workers=2", arg);
			free(arg);
			return false;
		}
		px__grow(&n->sel, &cap, n->nsel + 1, sizeof(*n->sel));
		*eq = '\0';
		n->sel[n->nsel].key = px__xstrdup(arg);
		n->sel[n->nsel].value = px__xstrdup(eq + 1);
		/* Trim the spaces around '='. */
		for (char *k = n->sel[n->nsel].key + strlen(n->sel[n->nsel].key);
		     k > n->sel[n->nsel].key && isspace((unsigned char)k[-1]);)
			*--k = '\0';
		memmove(n->sel[n->nsel].value,
		        n->sel[n->nsel].value +
		                strspn(n->sel[n->nsel].value, " \t"),
		        strlen(n->sel[n->nsel].value) + 1);
		n->sel[n->nsel++].mark = at(p, pos);
		free(arg);
	}
	if (p->s[p->pos] != ')') {
		fail(p, p->pos, "expected ')'%s", "");
		return false;
	}
	p->pos++;
	return true;
}

static struct enode *parse_primary(struct parser *p)
{
	size_t start;
	struct enode *n;

	skip_space(p);
	start = p->pos;
	if (isdigit((unsigned char)p->s[p->pos]) || p->s[p->pos] == '.')
		return parse_number(p);
	if (p->s[p->pos] == '(') {
		p->pos++;
		n = parse_sum(p);
		skip_space(p);
		if (p->s[p->pos] != ')') {
			fail(p, p->pos, "expected ')'%s", "");
			return n;
		}
		p->pos++;
		return n;
	}
	if (!isalpha((unsigned char)p->s[p->pos])) {
		fail(p, p->pos, "expected a number, 'cores' or a metric such as speedup(...)%s",
		     "");
		return NULL;
	}
	while (isalnum((unsigned char)p->s[p->pos]) || p->s[p->pos] == '_')
		p->pos++;
	if (p->pos - start == 5 && strncmp(p->s + start, "cores", 5) == 0) {
		p->uses_cores = true;
		return node(p, E_CORES, start);
	}
	n = node(p, E_CALL, start);
	n->fn = px__xasprintf("%.*s", (int)(p->pos - start), p->s + start);
	skip_space(p);
	if (p->s[p->pos] != '(') {
		fail(p, start, "'%s' must be called with a strategy, e.g. speedup(free-threads, workers=2)",
		     n->fn);
		return n;
	}
	p->pos++;
	parse_args(p, n);
	return n;
}

static struct enode *parse_unary(struct parser *p)
{
	skip_space(p);
	if (p->s[p->pos] == '-') {
		struct enode *n = node(p, E_NEG, p->pos);
		p->pos++;
		n->a = parse_unary(p);
		return n;
	}
	return parse_primary(p);
}

static struct enode *parse_binary(struct parser *p, bool sum)
{
	struct enode *lhs = sum ? parse_binary(p, false) : parse_unary(p);

	for (;;) {
		char c;
		struct enode *n;
		skip_space(p);
		c = p->s[p->pos];
		if (p->failed || !(sum ? (c == '+' || c == '-')
		                       : (c == '*' || c == '/')))
			return lhs;
		n = node(p, c == '+' ? E_ADD : c == '-' ? E_SUB
		                     : c == '*' ? E_MUL : E_DIV, p->pos);
		p->pos++;
		n->a = lhs;
		n->b = sum ? parse_binary(p, false) : parse_unary(p);
		lhs = n;
	}
}

static struct enode *parse_sum(struct parser *p)
{
	return parse_binary(p, true);
}

static bool parse_cmp(struct parser *p, enum cmp *op)
{
	static const struct {
		const char *s;
		enum cmp op;
	} ops[] = { { "<=", CMP_LE }, { ">=", CMP_GE }, { "==", CMP_EQ },
	            { "!=", CMP_NE }, { "<", CMP_LT },  { ">", CMP_GT } };

	skip_space(p);
	for (size_t i = 0; i < PX_ARRAY_LEN(ops); i++) {
		size_t len = strlen(ops[i].s);
		if (strncmp(p->s + p->pos, ops[i].s, len) == 0) {
			*op = ops[i].op;
			p->pos += len;
			return true;
		}
	}
	fail(p, p->pos, "expected a comparison (<, <=, >, >=, ==, !=)%s", "");
	return false;
}

struct expr *px__expect_parse(const char *text, struct mark m, struct diag *d)
{
	struct parser p = { .s = text, .m = m, .d = d };
	struct expr *x = px__xcalloc(1, sizeof(*x));

	x->lhs = parse_sum(&p);
	if (!p.failed && parse_cmp(&p, &x->op))
		x->rhs = parse_sum(&p);
	skip_space(&p);
	if (!p.failed && p.s[p.pos])
		fail(&p, p.pos, "unexpected '%s' after the expression", p.s + p.pos);
	x->uses_cores = p.uses_cores;
	if (p.failed) {
		px__expect_free(x);
		return NULL;
	}
	return x;
}

/* ---- resolution --------------------------------------------------------- */

/* The column a call reads, by the function's name. */
static char *column_name(const struct enode *n)
{
	static const struct {
		const char *fn, *col;
	} alias[] = { { "wall", "wall_s" }, { "time", "wall_s" },
	              { "cpu", "cpu_s" },   { "user", "user_s" },
	              { "sys", "sys_s" },   { "rss", "max_rss_kib" } };

	if (n->metric)
		return px__xasprintf("%s_%s", n->metric, n->fn);
	for (size_t i = 0; i < PX_ARRAY_LEN(alias); i++)
		if (strcmp(n->fn, alias[i].fn) == 0)
			return px__xstrdup(alias[i].col);
	return px__xstrdup(n->fn);
}

/* Which parameter a selector key names in trial t: `s.NAME` the
 * strategy's, `w.NAME` the workload's, a bare NAME whichever has it. When
 * both have it, the one whose table accepts the value is meant (so
 * mode=unsafe finds race-counter's mode beside gil-threads' mode=new|legacy).
 * Returns 0 and sets *side (0 strategy, 1 workload), *p and *v; -ENOENT for
 * no such parameter; -EINVAL after reporting a bad or ambiguous value. */
static int selector_param(const struct trial *t, const struct selector *s,
                          int *side, const struct px_param **p,
                          union pvalue *v, struct diag *d)
{
	const struct px_plugin *pl[2] = { t->strategy->desc, t->workload->desc };
	const char *name = s->key;
	const struct px_param *found[2] = { NULL, NULL };
	union pvalue val[2];
	char err[2][512];
	int ok[2] = { 0, 0 }, first = 0, last = 1;

	if (strncmp(name, "s.", 2) == 0 || strncmp(name, "w.", 2) == 0) {
		first = last = name[0] == 'w';
		name += 2;
	}
	for (int k = first; k <= last; k++) {
		found[k] = px__param_find(pl[k], name);
		if (found[k])
			ok[k] = px__param_parse(found[k], s->value, &val[k], err[k],
			                        sizeof(err[k])) == 0;
	}
	if (!found[0] && !found[1])
		return -ENOENT;
	if (found[0] && found[1] && ok[0] == ok[1]) {
		if (ok[0])
			px__diag_error(d, s->mark,
			               "expect: '%s' is a parameter of both %s and %s; write s.%s or w.%s",
			               name, pl[0]->name, pl[1]->name, name, name);
		else
			px__diag_error(d, s->mark, "expect: %s", err[1]);
		return -EINVAL;
	}
	*side = found[0] && (ok[0] || !found[1]) ? 0 : 1;
	if (!ok[*side]) {
		px__diag_error(d, s->mark, "expect: %s", err[*side]);
		return -EINVAL;
	}
	*p = found[*side];
	*v = val[*side];
	return 0;
}

/* Does trial t have the value `value` for selector key `key`? Returns 1
 * or 0, or -1 after reporting a key or value that can never match. */
static int selector_matches(const struct plan *plan, const struct trial *t,
                            const struct selector *s, struct diag *d)
{
	const union pvalue *vals;
	const struct px_param *p;
	union pvalue v;
	int side, rc;

	if (strcmp(s->key, "workers") == 0) {
		int64_t w;
		if (strcmp(s->value, "cores") == 0)
			w = plan->topo->cores;
		else if (px__parse_int(s->value, &w)) {
			px__diag_error(d, s->mark,
			               "expect: workers=%s is not an integer or 'cores'",
			               s->value);
			return -1;
		}
		return (int64_t)t->workers == w;
	}
	rc = selector_param(t, s, &side, &p, &v, d);
	if (rc == -ENOENT)
		return 0;
	if (rc)
		return -1;
	vals = side ? t->wvals : t->svals;
	return memcmp(&v, &vals[p - (side ? t->workload->desc->params
	                                  : t->strategy->desc->params)],
	              sizeof(v)) == 0;
}

/* Reports a key that is neither `workers` nor a parameter of the strategy
 * or the workload. */
static bool selector_key_known(const struct trial *t, const struct selector *s,
                               struct diag *d)
{
	const char *names[128];
	const char *key = s->key;
	size_t n = 0;
	char msg[512];

	bool only_w = strncmp(key, "w.", 2) == 0, only_s = strncmp(key, "s.", 2) == 0;

	if (only_w || only_s)
		key += 2;
	if (strcmp(s->key, "workers") == 0 ||
	    (!only_w && px__param_find(t->strategy->desc, key)) ||
	    (!only_s && px__param_find(t->workload->desc, key)))
		return true;
	names[n++] = "workers";
	for (const struct px_param *p = t->strategy->desc->params;
	     p && p->name && n < 127; p++)
		names[n++] = p->name;
	for (const struct px_param *p = t->workload->desc->params;
	     p && p->name && n < 127; p++)
		names[n++] = p->name;
	snprintf(msg, sizeof(msg),
	         "expect: '%s' is not workers nor a parameter of %s or %s",
	         s->key, t->strategy->desc->name, t->workload->desc->name);
	px__suggest_hint(msg, sizeof(msg), key, names, n);
	px__diag_error(d, s->mark, "%s", msg);
	return false;
}

static int resolve_call(struct enode *n, const struct plan *plan,
                        struct diag *d)
{
	size_t matches = 0, first = SIZE_MAX, with_strategy = 0;
	const char *names[64];
	size_t nn = 0;
	char *col;

	for (size_t i = 0; i < plan->n; i++) {
		const struct trial *t = &plan->trials[i];
		bool ok = true;
		if (strcmp(t->strategy->desc->name, n->strategy))
			continue;
		if (with_strategy++ == 0)
			for (size_t s = 0; s < n->nsel; s++)
				if (!selector_key_known(t, &n->sel[s], d))
					return -EINVAL;
		for (size_t s = 0; s < n->nsel && ok; s++) {
			int m = selector_matches(plan, t, &n->sel[s], d);
			if (m < 0)
				return -EINVAL;
			ok = m == 1;
		}
		if (ok && matches++ == 0)
			first = i;
	}
	if (with_strategy == 0) {
		char msg[512];
		const struct experiment *e = plan->exp;
		for (size_t i = 0; i < e->n_strategies && nn < 64; i++)
			names[nn++] = e->strategies[i].plugin->desc->name;
		snprintf(msg, sizeof(msg),
		         "expect: %s(%s): '%s' is not a strategy of this experiment",
		         n->fn, n->strategy, n->strategy);
		px__suggest_hint(msg, sizeof(msg), n->strategy, names, nn);
		px__diag_error(d, n->mark, "%s", msg);
		return -EINVAL;
	}
	if (matches != 1) {
		px__diag_error(d, n->mark,
		               matches ? "expect: %s(%s, ...) matches %zu trials; add selectors (workers=N or a parameter) until it matches one"
		                       : "expect: %s(%s, ...) matches %zu trials; check the selectors against the trial plan (parlab run --dry-run)",
		               n->fn, n->strategy, matches);
		return -EINVAL;
	}
	n->trial = first;
	if (strcmp(n->fn, "speedup") == 0 || strcmp(n->fn, "efficiency") == 0) {
		if (plan->trials[first].baseline == SIZE_MAX) {
			px__diag_error(d, n->mark,
			               "expect: %s(%s): no baseline run (%s) has the same workload parameters",
			               n->fn, n->strategy, plan->exp->baseline);
			return -EINVAL;
		}
		return 0;
	}
	col = column_name(n);
	n->col = px__plan_column(plan, col);
	if (n->col < 0) {
		const char **cn = px__xcalloc(plan->ncols + 2, sizeof(*cn));
		char msg[512];
		for (size_t i = 0; i < plan->ncols; i++)
			cn[i] = plan->cols[i].name;
		cn[plan->ncols] = "speedup";
		cn[plan->ncols + 1] = "efficiency";
		snprintf(msg, sizeof(msg), "expect: unknown metric '%s'", col);
		px__suggest_hint(msg, sizeof(msg), col, cn, plan->ncols + 2);
		px__diag_error(d, n->mark, "%s", msg);
		free(cn);
		free(col);
		return -EINVAL;
	}
	free(col);
	return 0;
}

static int resolve(struct enode *n, const struct plan *plan, struct diag *d)
{
	int rc = 0;

	if (!n)
		return 0;
	if (n->kind == E_CALL)
		return resolve_call(n, plan, d);
	if (n->a)
		rc |= resolve(n->a, plan, d);
	if (n->b)
		rc |= resolve(n->b, plan, d);
	return rc ? -EINVAL : 0;
}

int px__expect_resolve(struct expr *x, const struct plan *plan, struct diag *d)
{
	int a = resolve(x->lhs, plan, d), b = resolve(x->rhs, plan, d);

	return a || b ? -EINVAL : 0;
}

/* ---- evaluation --------------------------------------------------------- */

double px__trial_median(const struct plan *plan, size_t trial, int col)
{
	const struct trial *t = &plan->trials[trial];
	double *v = px__xcalloc(t->n_done + 1, sizeof(*v));
	size_t n = 0;
	double m;

	for (size_t r = 0; r < t->n_done; r++) {
		double x = t->values[r * plan->ncols + (size_t)col];
		if (!isnan(x))
			v[n++] = x;
	}
	m = n ? px__median(v, n) : NAN;
	free(v);
	return m;
}

double px__trial_speedup(const struct plan *plan, size_t trial)
{
	size_t b = plan->trials[trial].baseline;

	if (b == SIZE_MAX)
		return NAN;
	return px__trial_median(plan, b, COL_WALL) /
	       px__trial_median(plan, trial, COL_WALL);
}

/* Why a trial has no value: not run, or every run failed. */
static bool trial_unusable(const struct plan *plan, size_t i, char *why,
                           size_t cap, bool *skip)
{
	const struct trial *t = &plan->trials[i];

	if (!t->selected) {
		snprintf(why, cap, "trial '%s' workers=%u was not run (--only)",
		         t->label, t->workers);
		*skip = true;
		return true;
	}
	if (t->n_done == t->n_failed) {
		snprintf(why, cap, "trial '%s' workers=%u has no successful run: %s",
		         t->label, t->workers, t->failure ? t->failure : "not run");
		return true;
	}
	return false;
}

/* A value with the range it may take given the measured intervals. */
struct ival {
	double v, lo, hi;
};

static struct ival point(double v)
{
	return (struct ival){ v, v, v };
}

/* The median of a trial's column with its interval of the median. */
static struct ival column_ival(const struct plan *plan, size_t trial, int col)
{
	const struct trial *t = &plan->trials[trial];
	double *v = px__xcalloc(t->n_done + 1, sizeof(*v));
	struct summary s;

	for (size_t r = 0; r < t->n_done; r++)
		v[r] = t->values[r * plan->ncols + (size_t)col];
	px__summarise(v, t->n_done, &s);
	free(v);
	return (struct ival){ s.median, s.ci_lo, s.ci_hi };
}

static struct ival ival_mul(struct ival a, struct ival b)
{
	double c[4] = { a.lo * b.lo, a.lo * b.hi, a.hi * b.lo, a.hi * b.hi };
	struct ival r = { a.v * b.v, c[0], c[0] };

	for (int i = 1; i < 4; i++) {
		r.lo = fmin(r.lo, c[i]);
		r.hi = fmax(r.hi, c[i]);
	}
	return r;
}

static struct ival ival_div(struct ival a, struct ival b)
{
	if (b.lo <= 0 && b.hi >= 0)  /* the divisor may be 0: no bound */
		return (struct ival){ a.v / b.v, -INFINITY, INFINITY };
	return ival_mul(a, (struct ival){ 1 / b.v, 1 / b.hi, 1 / b.lo });
}

static struct ival eval_call(const struct enode *n, const struct plan *plan,
                             char *why, size_t cap, bool *skip)
{
	const struct trial *t = &plan->trials[n->trial];
	struct ival base, mine, r;

	if (trial_unusable(plan, n->trial, why, cap, skip))
		return point(NAN);
	if (strcmp(n->fn, "speedup") && strcmp(n->fn, "efficiency")) {
		r = column_ival(plan, n->trial, n->col);
		if (isnan(r.v))
			snprintf(why, cap, "%s was not measured in trial '%s'",
			         plan->cols[n->col].name, t->label);
		return r;
	}
	if (trial_unusable(plan, t->baseline, why, cap, skip))
		return point(NAN);
	/* Speedup: the baseline's median over this trial's time, whose
	 * interval gives the speedup's. */
	base = point(column_ival(plan, t->baseline, COL_WALL).v);
	mine = column_ival(plan, n->trial, COL_WALL);
	r = ival_div(base, mine);
	if (n->fn[0] == 'e')
		r = ival_div(r, point(t->workers));
	return r;
}

static struct ival eval(const struct enode *n, const struct plan *plan,
                        char *why, size_t cap, bool *skip)
{
	struct ival a, b;

	switch (n->kind) {
	case E_NUM:
		return point(n->num);
	case E_CORES:
		return point(plan->topo->cores);
	case E_NEG:
		a = eval(n->a, plan, why, cap, skip);
		return (struct ival){ -a.v, -a.hi, -a.lo };
	case E_CALL:
		return eval_call(n, plan, why, cap, skip);
	default:
		break;
	}
	a = eval(n->a, plan, why, cap, skip);
	b = eval(n->b, plan, why, cap, skip);
	switch (n->kind) {
	case E_ADD:
		return (struct ival){ a.v + b.v, a.lo + b.lo, a.hi + b.hi };
	case E_SUB:
		return (struct ival){ a.v - b.v, a.lo - b.hi, a.hi - b.lo };
	case E_MUL:
		return ival_mul(a, b);
	default:
		return ival_div(a, b);
	}
}

static bool compare(enum cmp op, double a, double b)
{
	switch (op) {
	case CMP_LT:
		return a < b;
	case CMP_LE:
		return a <= b;
	case CMP_GT:
		return a > b;
	case CMP_GE:
		return a >= b;
	case CMP_EQ:
		return a == b;
	default:
		return a != b;
	}
}

/* Whether the comparison could come out either way within the ranges:
 * true when the sides' ranges overlap (touching counts for < and >). */
static bool straddles(enum cmp op, struct ival l, struct ival r)
{
	bool degenerate = l.lo == l.hi && r.lo == r.hi;

	if (degenerate)
		return false;
	switch (op) {
	case CMP_LT:
	case CMP_GE:
		return l.hi >= r.lo && l.lo < r.hi;
	case CMP_LE:
	case CMP_GT:
		return l.hi > r.lo && l.lo <= r.hi;
	default:
		return l.lo <= r.hi && r.lo <= l.hi;
	}
}

void px__expect_eval(const struct expr *x, const struct plan *plan,
                     struct verdict_result *out)
{
	bool skip = false;
	struct ival l, r;

	memset(out, 0, sizeof(*out));
	out->lhs = out->rhs = NAN;
	if (x->uses_cores && plan->topo->cores < 2) {
		out->verdict = VERDICT_SKIP;
		snprintf(out->why, sizeof(out->why),
		         "needs at least 2 cores to test, this machine has %d",
		         plan->topo->cores);
		return;
	}
	l = eval(x->lhs, plan, out->why, sizeof(out->why), &skip);
	r = eval(x->rhs, plan, out->why, sizeof(out->why), &skip);
	out->lhs = l.v;
	out->rhs = r.v;
	out->lhs_lo = l.lo;
	out->lhs_hi = l.hi;
	out->rhs_lo = r.lo;
	out->rhs_hi = r.hi;
	if (isnan(l.v) || isnan(r.v)) {
		out->verdict = skip ? VERDICT_SKIP : VERDICT_FAIL;
		return;
	}
	out->verdict = compare(x->op, l.v, r.v) ? VERDICT_PASS : VERDICT_FAIL;
	out->inconclusive = straddles(x->op, l, r);
}

void px__verdict_text(const struct verdict_result *v, char *buf, size_t cap)
{
	if (v->inconclusive && v->verdict != VERDICT_SKIP)
		snprintf(buf, cap, "%s (inconclusive: interval %.4g .. %.4g vs %.4g .. %.4g)",
		         px__verdict_name(v->verdict), v->lhs_lo, v->lhs_hi,
		         v->rhs_lo, v->rhs_hi);
	else
		snprintf(buf, cap, "%s", px__verdict_name(v->verdict));
}

const char *px__verdict_name(enum verdict v)
{
	return v == VERDICT_PASS ? "pass" : v == VERDICT_FAIL ? "FAIL" : "skipped";
}

static void free_node(struct enode *n)
{
	if (!n)
		return;
	free_node(n->a);
	free_node(n->b);
	for (size_t i = 0; i < n->nsel; i++) {
		free(n->sel[i].key);
		free(n->sel[i].value);
	}
	free(n->sel);
	free(n->fn);
	free(n->metric);
	free(n->strategy);
	free(n);
}

void px__expect_free(struct expr *x)
{
	if (!x)
		return;
	free_node(x->lhs);
	free_node(x->rhs);
	free(x);
}
