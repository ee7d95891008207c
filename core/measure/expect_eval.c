/* expect_eval.c: expectations evaluated over measured trials, each value
 * with its interval, into pass, fail, skipped or inconclusive. */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "input/expect_ast.h"
#include "measure/verdict.h"

/* Why a trial has no value: not run, or every run failed. */
static bool trial_unusable(const struct plan *plan,
                           const struct measurements *m, size_t i, char *why,
                           size_t cap, bool *skip)
{
	const struct trial *t = &plan->trials[i];
	const struct trial_runs *runs = &m->runs[i];

	if (!t->selected) {
		snprintf(why, cap, "trial '%s' workers=%u was not run (--only)",
		         t->label, t->workers);
		*skip = true;
		return true;
	}
	if (runs->n_done == runs->n_failed) {
		snprintf(why, cap, "trial '%s' workers=%u has no successful run: %s",
		         t->label, t->workers,
		         runs->failure ? runs->failure : "not run");
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
static struct ival column_ival(const struct measurements *m, size_t trial,
                               int col)
{
	struct summary s;

	px__trial_summary(m, trial, (size_t)col, &s);
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

/* The value of one call: a column's median, or a speedup or efficiency,
 * each with its interval. */
static struct ival eval_call(const struct enode *n, const struct plan *plan,
                             const struct measurements *m, char *why,
                             size_t cap, bool *skip)
{
	const struct trial *t = &plan->trials[n->trial];
	struct speedup sp;
	struct ival r;

	if (trial_unusable(plan, m, n->trial, why, cap, skip))
		return point(NAN);
	if (strcmp(n->fn, "speedup") && strcmp(n->fn, "efficiency")) {
		r = column_ival(m, n->trial, n->col);
		if (isnan(r.v))
			snprintf(why, cap, "%s was not measured in trial '%s'",
			         plan->cols[n->col].name, t->label);
		return r;
	}
	if (trial_unusable(plan, m, t->baseline, why, cap, skip))
		return point(NAN);
	px__trial_speedup(plan, m, n->trial, &sp);
	r = (struct ival){ sp.v, sp.lo, sp.hi };
	if (n->fn[0] == 'e')
		r = ival_div(r, point(t->workers));
	return r;
}

static struct ival eval(const struct enode *n, const struct plan *plan,
                        const struct measurements *m, char *why, size_t cap,
                        bool *skip)
{
	struct ival a, b;

	switch (n->kind) {
	case E_NUM:
		return point(n->num);
	case E_CORES:
		return point(plan->topo->cores);
	case E_NEG:
		a = eval(n->a, plan, m, why, cap, skip);
		return (struct ival){ -a.v, -a.hi, -a.lo };
	case E_CALL:
		return eval_call(n, plan, m, why, cap, skip);
	default:
		break;
	}
	a = eval(n->a, plan, m, why, cap, skip);
	b = eval(n->b, plan, m, why, cap, skip);
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
                     const struct measurements *m, struct verdict_result *out)
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
	l = eval(x->lhs, plan, m, out->why, sizeof(out->why), &skip);
	r = eval(x->rhs, plan, m, out->why, sizeof(out->why), &skip);
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


void px__verdict_print(FILE *f, const char *expect,
                       const struct verdict_result *v, bool measured)
{
	char text[256];

	px__verdict_text(v, text, sizeof(text));
	fprintf(f, "%-7s %s  [%s%.4g vs %.4g]%s%s\n", text, expect,
	        measured ? "measured " : "", v->lhs, v->rhs,
	        v->why[0] ? "  " : "", v->why);
}
