/* expect_parse.c: expectations from text to syntax tree, with the exact
 * column of every syntax error. */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "input/expect.h"
#include "input/expect_ast.h"
#include "base/units.h"
#include "base/util.h"

#define PX_STR_(x) #x
#define PX_STR(x) PX_STR_(x)

/* Parentheses and unary minuses nest at most this deep (the parser and
 * the evaluator recurse), and an expression has at most this many nodes
 * (a left-leaning chain of 200,000 '+' would be as deep as it is long). */
#define MAX_DEPTH 64
#define MAX_NODES 1024

struct parser {
	const char *s;
	size_t pos;
	struct mark m;
	struct diag *d;
	bool failed;
	bool uses_cores;
	int depth;
	size_t nodes;
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

	if (++p->nodes == MAX_NODES + 1)
		fail(p, pos, "the expression is too long (more than %s terms and operators)",
		     PX_STR(MAX_NODES));
	n->kind = k;
	n->mark = at(p, pos);
	n->col = -1;
	return n;
}

static struct enode *parse_sum(struct parser *p);

/* Whether s starts a character of a number: a digit, '.', '_', or an
 * exponent's 'e' followed by its sign or first digit. */
static bool number_char(const char *s)
{
	return isdigit((unsigned char)s[0]) || s[0] == '.' || s[0] == '_' ||
	       ((s[0] == 'e' || s[0] == 'E') &&
	        (isdigit((unsigned char)s[1]) || s[1] == '-' || s[1] == '+'));
}

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

	/* n + 2: an exponent's 'e' is copied with the sign or digit after
	 * it, and the terminating NUL still fits (a fuzzer found the
	 * one-byte overrun when the pair began at buf[62]). */
	while (n + 2 < sizeof(buf) && number_char(p->s + p->pos)) {
		if (p->s[p->pos] == 'e' || p->s[p->pos] == 'E')
			buf[n++] = p->s[p->pos++];
		buf[n++] = p->s[p->pos++];
	}
	buf[n] = '\0';
	node_ = node(p, E_NUM, start);
	if (number_char(p->s + p->pos)) {
		char longest[24];
		snprintf(longest, sizeof(longest), "%zu", sizeof(buf) - 2);
		fail(p, start, "a number longer than %s characters", longest);
		return node_;
	}
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
static const char *const metric_fns[] = { "p50", "p90", "p99", "p999",
                                          "mean", "max", "count" };

const char *px__expect_metric_fn(size_t i)
{
	return i < PX_ARRAY_LEN(metric_fns) ? metric_fns[i] : NULL;
}

static bool takes_metric(const char *fn)
{
	for (size_t i = 0; i < PX_ARRAY_LEN(metric_fns); i++)
		if (strcmp(fn, metric_fns[i]) == 0)
			return true;
	return false;
}

/* Drops the spaces at the start of s, in place. */
static void trim_front(char *s)
{
	size_t skip = strspn(s, " \t");

	memmove(s, s + skip, strlen(s + skip) + 1);
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
		trim_front(n->sel[n->nsel].value);
		/* workers=cores asks about this machine's cores as much as
		 * `cores` in a sum does: on one core it cannot be tested. */
		if (strcmp(n->sel[n->nsel].value, "cores") == 0)
			p->uses_cores = true;
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

/* One level deeper into parentheses or minuses; false past MAX_DEPTH. */
static bool enter(struct parser *p, size_t pos)
{
	if (p->depth >= MAX_DEPTH) {
		fail(p, pos, "parentheses and minus signs nest deeper than %s levels",
		     PX_STR(MAX_DEPTH));
		return false;
	}
	p->depth++;
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
		if (!enter(p, p->pos))
			return NULL;
		p->pos++;
		n = parse_sum(p);
		p->depth--;
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
		struct enode *n;
		if (!enter(p, p->pos))
			return NULL;
		n = node(p, E_NEG, p->pos);
		p->pos++;
		n->a = parse_unary(p);
		p->depth--;
		return n;
	}
	return parse_primary(p);
}

/* A literal zero, or minus one: what a division may never have below. */
static bool is_zero(const struct enode *n)
{
	while (n && n->kind == E_NEG)
		n = n->a;
	return n && n->kind == E_NUM && n->num == 0;
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
		if (n->kind == E_DIV && is_zero(n->b))
			fail(p, n->b->mark.col - p->m.col,
			     "division by zero%s", "");
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
