/* yaml_tree.h: a YAML document as a tree of nodes that remember where they
 * were written, so every later error can name the line and column. */
#ifndef PX_YAML_TREE_H
#define PX_YAML_TREE_H

#include <stdbool.h>
#include <stddef.h>

#include "base/diag.h"

enum ynode_kind { Y_SCALAR, Y_SEQ, Y_MAP };

struct ynode {
	enum ynode_kind kind;
	struct mark mark;
	char *text;             /* Y_SCALAR */
	bool quoted;            /* Y_SCALAR written in quotes */
	struct ynode **items;   /* Y_SEQ items; Y_MAP keys and values, paired */
	size_t n;               /* Y_SEQ: items; Y_MAP: pairs */
};

/* Parses the first document of `path` (or of `text` when not NULL, naming
 * it `path` in messages). Returns the root, or NULL after reporting the
 * syntax error to d. Aliases, anchors and duplicate keys are errors. */
struct ynode *px__yaml_load(const char *path, const char *text, struct diag *d);

/* Parses every document of `path` (or `text`) into *roots (caller frees
 * each with px__yaml_free, then the array). Returns the number of
 * documents, or -1 after reporting an error (nothing is returned then). */
int px__yaml_load_all(const char *path, const char *text, struct diag *d,
                      struct ynode ***roots);

/* Key and value of pair i of a map. */
struct ynode *px__ymap_key(const struct ynode *map, size_t i);
struct ynode *px__ymap_value(const struct ynode *map, size_t i);

/* The node's kind as a noun for messages: "a scalar", "a list", "a map". */
const char *px__ynode_noun(const struct ynode *n);

void px__yaml_free(struct ynode *n);

#endif
