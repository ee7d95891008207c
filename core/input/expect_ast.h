/* expect_ast.h: the parsed form of an expectation, shared by the parser,
 * the resolver and the evaluator (private to the runner). */
#ifndef PX_EXPECT_AST_H
#define PX_EXPECT_AST_H

#include <stdbool.h>
#include <stddef.h>

#include "base/diag.h"

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

#endif
