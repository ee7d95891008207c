/* yaml_tree.c: libyaml events folded into a tree of marked nodes. */
#define _GNU_SOURCE
#include "input/yaml_tree.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <yaml.h>

#include "base/util.h"

/* How deep lists and maps may nest: an experiment needs 4 or 5 levels,
 * and the tree is built (and freed) by recursion. */
#define MAX_DEPTH 64
/* Experiment files are a few KiB; anything this big is a mistake. */
#define MAX_FILE_BYTES (4 << 20)

struct loader {
	yaml_parser_t parser;
	const char *path;
	struct diag *d;
	int depth;
};

static struct mark mark_of(const struct loader *l, yaml_mark_t m)
{
	return (struct mark){ l->path, (int)m.line + 1, (int)m.column + 1 };
}

static struct ynode *new_node(enum ynode_kind kind, struct mark m)
{
	struct ynode *n = px__xcalloc(1, sizeof(*n));

	n->kind = kind;
	n->mark = m;
	return n;
}

static void add_item(struct ynode *parent, struct ynode *child, size_t *cap,
                     size_t *used)
{
	px__grow(&parent->items, cap, *used + 1, sizeof(*parent->items));
	parent->items[(*used)++] = child;
}

static bool next_event(struct loader *l, yaml_event_t *ev)
{
	if (yaml_parser_parse(&l->parser, ev))
		return true;
	px__diag_error(l->d, mark_of(l, l->parser.problem_mark),
	               "YAML syntax: %s%s%s", l->parser.problem,
	               l->parser.context ? " " : "",
	               l->parser.context ? l->parser.context : "");
	return false;
}

static struct ynode *parse_node(struct loader *l, yaml_event_t *ev);

/* Reads the next node, or returns NULL with *at_end set at the event that
 * closes the enclosing sequence or mapping. */
static struct ynode *parse_next(struct loader *l, yaml_event_type_t end,
                                bool *at_end, bool *failed)
{
	yaml_event_t ev;
	struct ynode *n;

	*at_end = false;
	if (!next_event(l, &ev)) {
		*failed = true;
		return NULL;
	}
	if (ev.type == end) {
		*at_end = true;
		yaml_event_delete(&ev);
		return NULL;
	}
	n = parse_node(l, &ev);
	yaml_event_delete(&ev);
	*failed = n == NULL;
	return n;
}

/* A map's key must be a scalar (duplicates are found once the map is
 * read, by check_duplicates). */
static bool check_key(struct loader *l, const struct ynode *key)
{
	if (key->kind == Y_SCALAR)
		return true;
	px__diag_error(l->d, key->mark, "a key must be a plain word, not %s",
	               px__ynode_noun(key));
	return false;
}

/* Orders key positions by text, then by position in the map. */
static int cmp_keys(const void *a, const void *b, void *map_)
{
	const struct ynode *map = map_;
	size_t i = *(const size_t *)a, k = *(const size_t *)b;
	int c = strcmp(map->items[2 * i]->text, map->items[2 * k]->text);

	return c ? c : (i > k) - (i < k);
}

/* Reports the first key (in file order) that repeats an earlier one:
 * sorting makes it n log n, so a map of 30,000 keys stays fast. */
static bool check_duplicates(struct loader *l, const struct ynode *map)
{
	size_t *order = px__xcalloc(map->n + 1, sizeof(*order));
	size_t dup = SIZE_MAX, first = 0, group = 0;

	for (size_t i = 0; i < map->n; i++)
		order[i] = i;
	qsort_r(order, map->n, sizeof(*order), cmp_keys, (void *)map);
	/* Equal keys sit together, the earliest first (at `group`). */
	for (size_t i = 1; i < map->n; i++) {
		if (strcmp(map->items[2 * order[i]]->text,
		           map->items[2 * order[i - 1]]->text)) {
			group = i;
			continue;
		}
		if (order[i] < dup) {
			dup = order[i];
			first = order[group];
		}
	}
	free(order);
	if (dup == SIZE_MAX)
		return true;
	px__diag_error(l->d, map->items[2 * dup]->mark,
	               "duplicate key '%s' (first at line %d)",
	               map->items[2 * dup]->text, map->items[2 * first]->mark.line);
	return false;
}

/* Reads the items of a sequence or the key/value pairs of a mapping. */
static bool parse_children(struct loader *l, struct ynode *parent,
                           yaml_event_type_t end)
{
	size_t cap = 0, used = 0;
	bool at_end, failed = false;

	for (;;) {
		struct ynode *child = parse_next(l, end, &at_end, &failed);
		struct ynode *value;

		if (!child)
			return at_end && (parent->kind == Y_SEQ ||
			                  check_duplicates(l, parent));
		if (parent->kind == Y_SEQ) {
			add_item(parent, child, &cap, &used);
			parent->n++;
			continue;
		}
		value = check_key(l, child)
		        ? parse_next(l, end, &at_end, &failed) : NULL;
		if (!value) {
			px__yaml_free(child);
			return false;
		}
		add_item(parent, child, &cap, &used);
		add_item(parent, value, &cap, &used);
		parent->n++;
	}
}

/* Reads a list's or a map's children one level deeper; false after an
 * error (nesting too deep included). */
static bool parse_nested(struct loader *l, struct ynode *n,
                         yaml_event_type_t end)
{
	bool ok;

	if (l->depth >= MAX_DEPTH) {
		px__diag_error(l->d, n->mark,
		               "lists and maps nest deeper than %d levels here",
		               MAX_DEPTH);
		return false;
	}
	l->depth++;
	ok = parse_children(l, n, end);
	l->depth--;
	return ok;
}

static struct ynode *parse_node(struct loader *l, yaml_event_t *ev)
{
	struct ynode *n;

	switch (ev->type) {
	case YAML_SCALAR_EVENT:
		n = new_node(Y_SCALAR, mark_of(l, ev->start_mark));
		n->text = px__xstrdup((const char *)ev->data.scalar.value);
		n->quoted = ev->data.scalar.style == YAML_SINGLE_QUOTED_SCALAR_STYLE ||
		            ev->data.scalar.style == YAML_DOUBLE_QUOTED_SCALAR_STYLE;
		if (ev->data.scalar.anchor)
			goto anchor;
		return n;
	case YAML_SEQUENCE_START_EVENT:
		n = new_node(Y_SEQ, mark_of(l, ev->start_mark));
		if (ev->data.sequence_start.anchor)
			goto anchor;
		if (!parse_nested(l, n, YAML_SEQUENCE_END_EVENT))
			goto fail;
		return n;
	case YAML_MAPPING_START_EVENT:
		n = new_node(Y_MAP, mark_of(l, ev->start_mark));
		if (ev->data.mapping_start.anchor)
			goto anchor;
		if (!parse_nested(l, n, YAML_MAPPING_END_EVENT))
			goto fail;
		return n;
	case YAML_ALIAS_EVENT:
		px__diag_error(l->d, mark_of(l, ev->start_mark),
		               "aliases (*name) are not supported; write the value out");
		return NULL;
	default:
		px__diag_error(l->d, mark_of(l, ev->start_mark),
		               "unexpected YAML event");
		return NULL;
	}
anchor:
	px__diag_error(l->d, n->mark,
	               "anchors (&name) are not supported; write the value out");
fail:
	px__yaml_free(n);
	return NULL;
}

/* Opens `path` for reading if it is a regular file of a sane size;
 * NULL after reporting why. O_NONBLOCK keeps a FIFO from blocking the
 * open; fstat then refuses it, a directory or a device. */
static FILE *open_regular(struct loader *l)
{
	struct mark m = { l->path, 0, 0 };
	struct stat st;
	int fd = open(l->path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	FILE *f;

	if (fd < 0) {
		px__diag_error(l->d, m, "cannot open: %s", strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st) < 0) {
		px__diag_error(l->d, m, "cannot stat: %s", strerror(errno));
		close(fd);
		return NULL;
	}
	if (!S_ISREG(st.st_mode)) {
		px__diag_error(l->d, m,
		               "not a regular file (%s); expected an experiment file",
		               S_ISDIR(st.st_mode) ? "a directory"
		               : S_ISFIFO(st.st_mode) ? "a FIFO"
		               : S_ISSOCK(st.st_mode) ? "a socket" : "a device");
		close(fd);
		return NULL;
	}
	if (st.st_size > MAX_FILE_BYTES) {
		px__diag_error(l->d, m,
		               "the file has %lld bytes; an experiment file may have at most %d",
		               (long long)st.st_size, MAX_FILE_BYTES);
		close(fd);
		return NULL;
	}
	/* Reads block as usual from here on. */
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
	if (!(f = fdopen(fd, "rb")))
		close(fd);
	return f;
}

/* Opens the parser on a file or a string; false after reporting why. */
static bool open_input(struct loader *l, const char *text, FILE **f)
{
	*f = NULL;
	if (!text && !(*f = open_regular(l)))
		return false;
	if (!yaml_parser_initialize(&l->parser)) {
		px__diag_plain(l->d, "cannot initialise the YAML parser");
		if (*f)
			fclose(*f);
		return false;
	}
	if (text)
		yaml_parser_set_input_string(&l->parser, (const unsigned char *)text,
		                             strlen(text));
	else
		yaml_parser_set_input_file(&l->parser, *f);
	return true;
}

int px__yaml_load_all(const char *path, const char *text, struct diag *d,
                      struct ynode ***roots)
{
	struct loader l = { .path = path, .d = d };
	size_t n = 0, cap = 0;
	yaml_event_t ev;
	bool ok = true, done = false;
	FILE *f;

	*roots = NULL;
	if (!open_input(&l, text, &f))
		return -1;
	while (ok && !done && (ok = next_event(&l, &ev))) {
		struct ynode *root;
		switch (ev.type) {
		case YAML_STREAM_START_EVENT:
		case YAML_DOCUMENT_START_EVENT:
		case YAML_DOCUMENT_END_EVENT:
			break;
		case YAML_STREAM_END_EVENT:
			done = true;
			break;
		default:
			root = parse_node(&l, &ev);
			if (!root) {
				ok = false;
				break;
			}
			px__grow(roots, &cap, n + 1, sizeof(**roots));
			(*roots)[n++] = root;
		}
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&l.parser);
	if (f)
		fclose(f);
	if (ok && n == 0) {
		px__diag_error(d, (struct mark){ path, 1, 1 },
		               "the file is empty; expected an experiment");
		ok = false;
	}
	if (!ok) {
		for (size_t i = 0; i < n; i++)
			px__yaml_free((*roots)[i]);
		free(*roots);
		*roots = NULL;
		return -1;
	}
	return (int)n;
}

struct ynode *px__yaml_load(const char *path, const char *text, struct diag *d)
{
	struct ynode **roots, *first;
	int n = px__yaml_load_all(path, text, d, &roots);

	if (n < 0)
		return NULL;
	first = roots[0];
	for (int i = 1; i < n; i++)
		px__yaml_free(roots[i]);
	free(roots);
	return first;
}

struct ynode *px__ymap_key(const struct ynode *map, size_t i)
{
	return map->items[2 * i];
}

struct ynode *px__ymap_value(const struct ynode *map, size_t i)
{
	return map->items[2 * i + 1];
}

const char *px__ynode_noun(const struct ynode *n)
{
	switch (n->kind) {
	case Y_SCALAR:
		return "a scalar";
	case Y_SEQ:
		return "a list";
	default:
		return "a map";
	}
}

void px__yaml_free(struct ynode *n)
{
	size_t count;

	if (!n)
		return;
	count = n->kind == Y_MAP ? 2 * n->n : n->n;
	for (size_t i = 0; i < count; i++)
		px__yaml_free(n->items[i]);
	free(n->items);
	free(n->text);
	free(n);
}
