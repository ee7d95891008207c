/* test_json_scan.c: reading values back by key from a document parlab
 * writes: strings with escapes, numbers, absent keys, a key that only
 * appears as a value. */
#include "base/json.h"
#include "helpers.h"

static void test_find(void)
{
	const char *doc = "{\n  \"name\": \"size\",\n  \"size\": 12,\n"
	                  "  \"path\": \"a\\\"b\\\\c\\n\\u0041\",\n"
	                  "  \"nested\": {\"x\" : 2.5e3}\n}\n";
	char *s;

	s = px__json_find_str(doc, "path");
	CHECK_STR(s, "a\"b\\c\nA");
	free(s);
	s = px__json_find_str(doc, "name");
	CHECK_STR(s, "size");
	free(s);
	/* "size" first appears as a value: the member is what counts */
	CHECK_NEAR(px__json_find_num(doc, "size", -1), 12, 0);
	CHECK_NEAR(px__json_find_num(doc, "x", -1), 2500, 0);
	CHECK_NEAR(px__json_find_num(doc, "absent", -1), -1, 0);
	CU_ASSERT(px__json_find_str(doc, "size") == NULL);
	CU_ASSERT(px__json_find_str(doc, "absent") == NULL);
	CU_ASSERT(px__json_find_str(NULL, "x") == NULL);
}

TEST_MAIN("json_scan", T(test_find))
