/* test_svg.c: the charts are well-formed standalone SVG that carry their
 * titles, labels and series, with text escaped. */
#include "unit.h"
#include "output/svg.h"

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
	struct svg_series s = { "free & easy", 3, x, y, NULL, NULL };
	struct svg_axes a = { "Speedup <by workers>", "workers", "speedup",
	                      true };
	char *svg = NULL;

	PX_CAPTURE(svg, px__svg_lines(out_, &a, &s, 1));
	CU_ASSERT(strncmp(svg, "<svg", 4) == 0 || strstr(svg, "<svg") != NULL);
	CU_ASSERT(strstr(svg, "</svg>") != NULL);
	CHECK_CONTAINS(svg, "xmlns=\"http://www.w3.org/2000/svg\"");
	CHECK_CONTAINS(svg, "Speedup &lt;by workers&gt;");
	CHECK_CONTAINS(svg, "free &amp; easy");
	CHECK_CONTAINS(svg, "workers");
	CU_ASSERT(strstr(svg, "Speedup <by") == NULL);
	free(svg);
}

static void test_bars_chart(void)
{
	struct svg_bar b[] = { { "serial", 1.0, 0.9, 1.1 },
	                       { "gil-threads", 2.0, 1.5, 2.5 } };
	struct svg_axes a = { "Wall time", NULL, "s", false };
	char *svg = NULL;
	int rects = 0;

	PX_CAPTURE(svg, px__svg_bars(out_, &a, b, 2));
	CU_ASSERT(strstr(svg, "</svg>") != NULL);
	CHECK_CONTAINS(svg, "Wall time");
	CHECK_CONTAINS(svg, ">serial<");
	CHECK_CONTAINS(svg, ">gil-threads<");
	for (const char *p = svg; (p = strstr(p, "<rect")); p++)
		rects++;
	CU_ASSERT(rects >= 2);   /* one bar each, besides any background */
	free(svg);
}

TEST_MAIN("svg", T(test_xml_text_escapes), T(test_lines_chart),
          T(test_bars_chart))
