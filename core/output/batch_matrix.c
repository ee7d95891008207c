/* batch_matrix.c: the claims x machines matrix of a merged batch (parlab
 * merge): one row per claim (an expectation of an experiment), one column
 * per host, each cell the verdict and its key figure ("pass 1.98x"), in
 * batch.json, summary.md and index.html. */
#include "output/batch.h"

#include <math.h>
#include <stdio.h>

#include "base/json.h"
#include "output/svg.h"

void px__matrix_cell_text(char *buf, size_t cap, const struct batch_cell *c)
{
	if (!c->present)
		snprintf(buf, cap, "-");
	else if (c->figure[0])
		snprintf(buf, cap, "%s %s", c->verdict, c->figure);
	else
		snprintf(buf, cap, "%s", c->verdict);
}

static void json_cell(FILE *f, const char *host, const struct batch_cell *c)
{
	char text[64];

	px__matrix_cell_text(text, sizeof(text), c);
	fputs("{\"host\": ", f);
	px__json_str(f, host);
	fputs(", \"verdict\": ", f);
	if (c->present)
		px__json_str(f, c->verdict);
	else
		fputs("null", f);
	fputs(", \"value\": ", f);
	px__json_num(f, c->present ? c->value : NAN);
	fputs(", \"text\": ", f);
	px__json_str(f, text);
	fputs("}", f);
}

void px__matrix_json(FILE *f, const struct batch_matrix *m)
{
	fputs(",\n  \"hosts\": [", f);
	for (size_t h = 0; h < m->n_hosts; h++) {
		px__json_str(f, m->hosts[h]);
		fputs(h + 1 < m->n_hosts ? ", " : "", f);
	}
	fputs("],\n  \"matrix\": [", f);
	for (size_t i = 0; i < m->n_claims; i++) {
		const struct batch_claim *cl = &m->claims[i];
		fputs(i ? ",\n    {\"experiment\": " : "\n    {\"experiment\": ", f);
		px__json_str(f, cl->experiment);
		fputs(", \"expect\": ", f);
		px__json_str(f, cl->expect);
		fputs(", \"cells\": [\n      ", f);
		for (size_t h = 0; h < m->n_hosts; h++) {
			json_cell(f, m->hosts[h], &cl->cells[h]);
			fputs(h + 1 < m->n_hosts ? ",\n      " : "", f);
		}
		fputs("]}", f);
	}
	fputs(m->n_claims ? "\n  ]" : "]", f);
}

/* A Markdown cell: '|' would end it. */
static void md_text(FILE *f, const char *s)
{
	for (; s && *s; s++)
		fputs(*s == '|' ? "\\|" : (char[]){ *s, 0 }, f);
}

void px__matrix_md(FILE *f, const struct batch_matrix *m)
{
	if (!m->n_claims) {
		/* a table of headers alone would look like results lost */
		fputs("\n## Claims x machines\n\nno expectations to compare\n", f);
		return;
	}
	fputs("\n## Claims x machines\n\n| experiment | claim |", f);
	for (size_t h = 0; h < m->n_hosts; h++) {
		fputc(' ', f);
		md_text(f, m->hosts[h]);
		fputs(" |", f);
	}
	fputs("\n|---|---|", f);
	for (size_t h = 0; h < m->n_hosts; h++)
		fputs("---|", f);
	fputc('\n', f);
	for (size_t i = 0; i < m->n_claims; i++) {
		const struct batch_claim *cl = &m->claims[i];
		fputs("| ", f);
		md_text(f, cl->experiment);
		fputs(" | ", f);
		md_text(f, cl->expect);
		fputs(" |", f);
		for (size_t h = 0; h < m->n_hosts; h++) {
			char text[64];
			px__matrix_cell_text(text, sizeof(text), &cl->cells[h]);
			fprintf(f, " %s |", text);
		}
		fputc('\n', f);
	}
}

void px__matrix_html(FILE *f, const struct batch_matrix *m)
{
	if (!m->n_claims) {
		fputs("<h2>Claims x machines</h2>\n<p>no expectations to compare</p>\n", f);
		return;
	}
	fputs("<h2>Claims x machines</h2>\n<table>\n<tr><th>experiment</th><th>claim</th>", f);
	for (size_t h = 0; h < m->n_hosts; h++) {
		fputs("<th>", f);
		px__xml_text(f, m->hosts[h]);
		fputs("</th>", f);
	}
	fputs("</tr>\n", f);
	for (size_t i = 0; i < m->n_claims; i++) {
		const struct batch_claim *cl = &m->claims[i];
		fputs("<tr><td>", f);
		px__xml_text(f, cl->experiment);
		fputs("</td><td><code>", f);
		px__xml_text(f, cl->expect);
		fputs("</code></td>", f);
		for (size_t h = 0; h < m->n_hosts; h++) {
			char text[64];
			px__matrix_cell_text(text, sizeof(text), &cl->cells[h]);
			fputs("<td>", f);
			px__xml_text(f, text);
			fputs("</td>", f);
		}
		fputs("</tr>\n", f);
	}
	fputs("</table>\n", f);
}
