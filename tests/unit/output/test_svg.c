/* test_svg.c: the charts are well-formed standalone SVG that carry their
 * titles, labels and series, with text escaped; axes go log when the
 * values span more than 10x or the sweep is geometric, integer axes get
 * integer ticks, units scale, many series split into panels, and a
 * rows chart of a wide range draws dots on a log axis. */
#include "unit.h"
#include "output/svg.h"

static int count(const char *s, const char *what)
{
	int n = 0;

	for (const char *p = s; (p = strstr(p, what)); p++)
		n++;
	return n;
}

static void test_xml_text_escapes(void)
{
	char *s = NULL;

	PX_CAPTURE(s, px__xml_text(out_, "a<b & \"c\">d"));
	CHECK_STR(s, "a&lt;b &amp; &quot;c&quot;&gt;d");
	free(s);
}

static void test_lines_chart(void)
{
	static const double x[] = { 1, 2, 4 }, y[] = { 1, 1.9, 3.5 };
	struct svg_series s = { "free & easy", 3, x, y, NULL, NULL, 0, NULL, NULL };
	struct svg_chart c = { "Speedup <by workers>", NULL,
	                       { "workers", SVG_PLAIN, 0, true },
	                       { "speedup", SVG_PLAIN, -1, false }, true, NULL, 0 };
	char *svg = NULL;

	PX_CAPTURE(svg, px__svg_lines(out_, &c, &s, 1));
	CU_ASSERT(strstr(svg, "<svg") != NULL);
	CU_ASSERT(strstr(svg, "</svg>") != NULL);
	CHECK_CONTAINS(svg, "xmlns=\"http://www.w3.org/2000/svg\"");
	CHECK_CONTAINS(svg, "Speedup &lt;by workers&gt;");
	CHECK_CONTAINS(svg, "free &amp; easy");
	CHECK_CONTAINS(svg, "class=\"ideal\"");
	CHECK_CONTAINS(svg, "data-xlog=\"0\"");
	CHECK_INT(count(svg, "class=\"legend-entry\""), 1);
	CU_ASSERT(strstr(svg, "Speedup <by") == NULL);
	free(svg);
}

/* Powers of two from 1 to 64: a log x axis with ticks at the data, all
 * integers; times in ns scale to ms. */
static void test_geometric_sweep_is_log(void)
{
	static const double x[] = { 1, 2, 4, 8, 16, 32, 64 };
	static const double y[] = { 2e6, 3e6, 4e6, 5e6, 6e6, 7e6, 8e6 };
	struct svg_series s = { "event-loop", 7, x, y, NULL, NULL, 0, NULL, NULL };
	struct svg_chart c = { "t", NULL, { "max_in_flight", SVG_PLAIN, -1, true },
	                       { "latency", SVG_NS, -1, false }, false, NULL, 0 };
	char *svg = NULL;

	PX_CAPTURE(svg, px__svg_lines(out_, &c, &s, 1));
	CHECK_CONTAINS(svg, "data-xlog=\"1\"");
	CHECK_CONTAINS(svg, "data-ylog=\"0\"");
	CHECK_CONTAINS(svg, "max_in_flight, log scale");
	CHECK_CONTAINS(svg, "latency (ms)");
	CHECK_CONTAINS(svg, ">64</text>");
	CHECK_CONTAINS(svg, ">16</text>");
	CU_ASSERT(strstr(svg, "class=\"xtick\" x=\"") != NULL);
	CU_ASSERT(strstr(svg, ">1.5</text>") == NULL);
	free(svg);
}

/* 20 series: panels of at most 8, each with its own legend, so nothing
 * shrinks; every series is still there and has a legend entry. */
static void test_many_series_split(void)
{
	static const double x[] = { 1, 2 }, y[] = { 1, 2 };
	struct svg_series s[20];
	char names[20][16];
	struct svg_chart c = { "many", NULL, { "workers", SVG_PLAIN, -1, true },
	                       { "speedup", SVG_PLAIN, -1, false }, false, NULL, 0 };
	char *svg = NULL;

	for (int k = 0; k < 20; k++) {
		snprintf(names[k], sizeof(names[k]), "series %d", k);
		s[k] = (struct svg_series){ names[k], 2, x, y, NULL, NULL, 0, NULL, NULL };
	}
	PX_CAPTURE(svg, px__svg_lines(out_, &c, s, 20));
	CHECK_INT(count(svg, "class=\"legend-entry\""), 20);
	CHECK_INT(count(svg, "<g class=\"series\">"), 20);
	CHECK_INT(count(svg, "class=\"xlabel\""), 3);  /* three panels */
	free(svg);
}

/* Times from 1 ms to 7 s: a log axis with dots, not bars that would
 * make the short ones invisible. */
static void test_rows_wide_range_dots(void)
{
	static const char *const keys[] = { "median" };
	double v[] = { 0.001, 0.3, 7 };
	struct svg_row r[3] = { { "a", NULL, &v[0], NULL, NULL, 0, NULL },
	                        { "b", NULL, &v[1], NULL, NULL, 0, NULL },
	                        { "c", NULL, &v[2], NULL, NULL, 0, NULL } };
	struct svg_rows_chart c = { "Wall time", NULL,
	                            { "wall time", SVG_SECONDS, -1, false }, keys, 1 };
	char *svg = NULL;

	PX_CAPTURE(svg, px__svg_rows(out_, &c, r, 3));
	CHECK_CONTAINS(svg, "data-xlog=\"1\"");
	CHECK_INT(count(svg, "class=\"bar\""), 0);
	CHECK_CONTAINS(svg, ">a</text>");
	free(svg);
	v[0] = 1;   /* 1 .. 7 s: bars on a linear axis */
	v[1] = 2;
	PX_CAPTURE(svg, px__svg_rows(out_, &c, r, 3));
	CHECK_CONTAINS(svg, "data-xlog=\"0\"");
	CHECK_INT(count(svg, "class=\"bar\""), 3);
	CHECK_CONTAINS(svg, "wall time (s)");
	free(svg);
}

/* Two values a row (GIL wait and hold): a legend of two, and a new
 * group starts a new panel with its heading. */
static void test_rows_groups_and_legend(void)
{
	static const char *const keys[] = { "waits", "holds" };
	double v[4][2] = { { 1, 2 }, { 2, 1 }, { 1, 1 }, { 2, 2 } };
	struct svg_row r[4] = { { "thread 0", "trial A", v[0], NULL, NULL, 0, NULL },
	                        { "thread 1", "trial A", v[1], NULL, NULL, 0, NULL },
	                        { "thread 0", "trial B", v[2], NULL, NULL, 0, NULL },
	                        { "thread 1", "trial B", v[3], NULL, NULL, 0, NULL } };
	struct svg_rows_chart c = { "GIL", NULL, { "time", SVG_SECONDS, -1, false },
	                            keys, 2 };
	char *svg = NULL;

	PX_CAPTURE(svg, px__svg_rows(out_, &c, r, 4));
	CHECK_INT(count(svg, "class=\"legend-entry\""), 2);
	CHECK_INT(count(svg, "class=\"group\""), 2);
	CHECK_CONTAINS(svg, ">trial B</text>");
	CHECK_INT(count(svg, "class=\"bar\""), 8);
	free(svg);
}

TEST_MAIN("svg", T(test_xml_text_escapes), T(test_lines_chart),
          T(test_geometric_sweep_is_log), T(test_many_series_split),
          T(test_rows_wide_range_dots), T(test_rows_groups_and_legend))
