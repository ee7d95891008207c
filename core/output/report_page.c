/* report_page.c: report.html around the charts: the experiment's words
 * and file, the machine table, expectations beside their figures. */
#define _GNU_SOURCE
#include "output/report_page.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "input/yaml_tree.h"
#include "output/svg.h"

/* The value of "key" in meta.json (written one key a line), unquoted;
 * NULL when missing. */
static char *meta_value(const char *json, const char *key)
{
	char *pat = px__xasprintf("\"%s\": \"", key), *at = strstr(json, pat), *v;
	size_t len;

	if (!at) {
		free(pat);
		return NULL;
	}
	at += strlen(pat);
	free(pat);
	for (len = 0; at[len] && at[len] != '"'; len++)
		if (at[len] == '\\' && at[len + 1])
			len++;
	v = strndup(at, len);
	return v;
}

static char *scalar_of(const struct ynode *root, const char *key)
{
	for (size_t i = 0; root && root->kind == Y_MAP && i < root->n; i++)
		if (strcmp(px__ymap_key(root, i)->text, key) == 0 &&
		    px__ymap_value(root, i)->kind == Y_SCALAR)
			return px__xstrdup(px__ymap_value(root, i)->text);
	return NULL;
}

/* Reads the document of path whose `experiment:` is name (the first one
 * when none is), quietly: a file that no longer parses shows as text. */
static void read_doc(struct page_exp *e, const char *name)
{
	FILE *null = fopen("/dev/null", "w");
	struct diag d = { null, 0 };
	struct ynode **roots = NULL, *pick = NULL;
	int n = px__yaml_load_all(e->path, e->text, &d, &roots);

	for (int i = 0; i < n; i++) {
		char *s = scalar_of(roots[i], "experiment");
		if (!pick || (s && name && strcmp(s, name) == 0))
			pick = roots[i];
		free(s);
	}
	if (pick) {
		e->name = scalar_of(pick, "experiment");
		e->description = scalar_of(pick, "description");
		e->claim = scalar_of(pick, "claim");
		for (size_t i = 0; pick->kind == Y_MAP && i < pick->n; i++)
			if (strcmp(px__ymap_key(pick, i)->text, "plots") == 0 &&
			    !px__plots_parse(px__ymap_value(pick, i), &d, &e->plots, &e->n_plots)) {
				px__plots_free(e->plots, e->n_plots);
				e->plots = NULL;
				e->n_plots = 0;
			}
	}
	for (int i = 0; i < n; i++)
		px__yaml_free(roots[i]);
	free(roots);
	if (null)
		fclose(null);
}

void px__page_exp_load(const char *dir, const char *experiment,
                       struct page_exp *e)
{
	char *meta = px__xasprintf("%s/meta.json", dir), *json = px__read_file(meta);

	memset(e, 0, sizeof(*e));
	e->path = px__xasprintf("%s/experiment.yaml", dir);
	e->text = px__read_file(e->path);
	if (!e->text && json) {
		free(e->path);
		e->path = meta_value(json, "experiment_file");
		e->text = e->path ? px__read_file(e->path) : NULL;
	}
	if (e->text)
		read_doc(e, experiment);
	free(json);
	free(meta);
}

void px__page_exp_free(struct page_exp *e)
{
	free(e->name);
	free(e->description);
	free(e->claim);
	free(e->text);
	free(e->path);
	px__plots_free(e->plots, e->n_plots);
	memset(e, 0, sizeof(*e));
}

static const char style[] =
	"body{font-family:sans-serif;max-width:1200px;margin:1.5em auto;padding:0 1em;line-height:1.4;color:#222}"
	"h1{margin-bottom:.2em}.description{font-size:1.1em;max-width:60em}"
	".claim{border-left:4px solid #1f77b4;padding:.3em .8em;background:#f3f7fb}"
	"table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;padding:3px 8px;text-align:left;vertical-align:top}"
	".pass{color:#2a7d2a}.fail{color:#c62828}.skipped{color:#777}"
	".verdicts li{font-family:monospace;margin:.3em 0}"
	"section.figure{display:flex;gap:1.5em;align-items:flex-start;margin:1.5em 0;break-inside:avoid}"
	"section.figure figure{margin:0;flex:0 0 auto}section.figure svg{max-width:100%;height:auto}"
	"section.figure aside{flex:1 1 18em;min-width:14em}aside ul{padding-left:1.2em}"
	"pre{background:#f6f6f6;padding:1em;overflow:auto;white-space:pre-wrap}"
	"@media print{body{max-width:none;margin:0;font-size:10pt}section.figure{display:block}"
	"section.figure figure svg{max-width:17cm}h2{break-after:avoid}pre{white-space:pre-wrap}"
	"table,section.figure{break-inside:avoid}}";

void px__page_head(FILE *f, const struct page_exp *e, const char *title)
{
	fputs("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">"
	      "<meta name=\"viewport\" content=\"width=device-width\"><title>parlab: ", f);
	px__xml_text(f, title);
	fprintf(f, "</title><style>%s</style></head>\n<body>\n<h1>", style);
	px__xml_text(f, title);
	fputs("</h1>\n", f);
	if (e->description) {
		fputs("<p class=\"description\">", f);
		px__xml_text(f, e->description);
		fputs("</p>\n", f);
	}
	if (e->claim) {
		fputs("<p class=\"claim\"><b>Claim:</b> ", f);
		px__xml_text(f, e->claim);
		fputs("</p>\n", f);
	}
}

/* The first call of an expectation: its function and first argument. */
static void first_call(const char *s, char *fn, size_t fcap, char *arg,
                       size_t acap)
{
	const char *open = strchr(s, '('), *start, *end;

	fn[0] = arg[0] = '\0';
	if (!open)
		return;
	for (start = open; start > s && (isalnum((unsigned char)start[-1]) ||
	                                 start[-1] == '_'); start--)
		;
	snprintf(fn, fcap, "%.*s", (int)(open - start), start);
	end = open + 1 + strcspn(open + 1, ",)");
	snprintf(arg, acap, "%.*s", (int)(end - open - 1), open + 1);
}

const char *px__page_figure_of(const char *verdict, const char *sampled)
{
	static char fn[64];
	char arg[128];

	first_call(verdict, fn, sizeof(fn), arg, sizeof(arg));
	if (strcmp(fn, "speedup") == 0 || strcmp(fn, "efficiency") == 0)
		return "main";
	if (strcmp(fn, "wall") == 0 || strcmp(fn, "time") == 0)
		return "time";
	if (fn[0] == 'p' && isdigit((unsigned char)fn[1]) && sampled &&
	    strcmp(arg, sampled) == 0)
		return "latency";
	if (strncmp(fn, "gil", 3) == 0)
		return "gil";
	return fn;
}

void px__page_verdicts(FILE *f, char *const *lines, size_t n, const char *fig,
                       const char *sampled)
{
	bool any = false;

	for (size_t i = 0; i < n; i++) {
		const char *cls = strncmp(lines[i], "pass", 4) == 0   ? "pass"
		                  : strncmp(lines[i], "FAIL", 4) == 0 ? "fail"
		                                                      : "skipped";
		if (fig && strcmp(px__page_figure_of(lines[i], sampled), fig))
			continue;
		if (!any)
			fputs("<ul class=\"verdicts\">\n", f);
		any = true;
		fprintf(f, "<li class=\"%s\">", cls);
		px__xml_text(f, lines[i]);
		fputs("</li>\n", f);
	}
	if (any)
		fputs("</ul>\n", f);
}

/* One meta.json line "  \"key\": value," as a table row. */
static void machine_row(FILE *f, const char *line)
{
	const char *k = strchr(line, '"'), *ke, *v;
	size_t vlen;

	if (!k || !(ke = strchr(k + 1, '"')) || strncmp(ke, "\": ", 3))
		return;
	v = ke + 3;
	vlen = strlen(v);
	if (vlen && v[vlen - 1] == ',')
		vlen--;
	if (vlen >= 2 && v[0] == '"' && v[vlen - 1] == '"')
		v++, vlen -= 2;
	fputs("<tr><th>", f);
	for (const char *p = k + 1; p < ke; p++)
		fputc(*p == '_' ? ' ' : *p, f);
	fputs("</th><td>", f);
	{
		char *val = strndup(v, vlen);
		px__xml_text(f, val);
		free(val);
	}
	fputs("</td></tr>\n", f);
}

void px__page_machine(FILE *f, const char *dir)
{
	char *path = px__xasprintf("%s/meta.json", dir), *json = px__read_file(path);

	fputs("<h2>Machine and run</h2>\n", f);
	if (!json) {
		fputs("<p>(meta.json missing)</p>\n", f);
		free(path);
		return;
	}
	fputs("<table class=\"machine\">\n", f);
	for (char *line = strtok(json, "\n"); line; line = strtok(NULL, "\n"))
		machine_row(f, line);
	fputs("</table>\n", f);
	free(json);
	free(path);
}

void px__page_file(FILE *f, const struct page_exp *e)
{
	if (!e->text)
		return;
	fputs("<h2>The experiment file</h2>\n<p><code>", f);
	px__xml_text(f, e->path);
	fputs("</code></p>\n<pre class=\"experiment-file\">", f);
	px__xml_text(f, e->text);
	fputs("</pre>\n", f);
}
