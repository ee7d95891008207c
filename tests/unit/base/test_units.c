/* test_units.c: integers with '_', durations, sizes, bools, printing. */
#include <errno.h>

#include "helpers.h"
#include "base/units.h"

static void test_int_with_underscores(void)
{
	int64_t v = 0;

	CHECK_INT(px__parse_int("20_000_000", &v), 0);
	CHECK_INT(v, 20000000);
	CHECK_INT(px__parse_int("-7", &v), 0);
	CHECK_INT(v, -7);
	CHECK_INT(px__parse_int("1__0", &v), -EINVAL);
	CHECK_INT(px__parse_int("_5", &v), -EINVAL);
	CHECK_INT(px__parse_int("5_", &v), -EINVAL);
	CHECK_INT(px__parse_int("12ab", &v), -EINVAL);
	CHECK_INT(px__parse_int("", &v), -EINVAL);
	CHECK_INT(px__parse_int("99999999999999999999", &v), -ERANGE);
}

static void test_durations(void)
{
	int64_t ns = 0;

	CHECK_INT(px__parse_duration("5ms", &ns), 0);
	CHECK_INT(ns, 5000000);
	CHECK_INT(px__parse_duration("250us", &ns), 0);
	CHECK_INT(ns, 250000);
	CHECK_INT(px__parse_duration("1.5s", &ns), 0);
	CHECK_INT(ns, 1500000000);
	CHECK_INT(px__parse_duration("100ns", &ns), 0);
	CHECK_INT(ns, 100);
	CHECK_INT(px__parse_duration("0", &ns), 0);
	CHECK_INT(ns, 0);
	/* A bare non-zero number is ambiguous: refuse it. */
	CHECK_INT(px__parse_duration("5", &ns), -EINVAL);
	CHECK_INT(px__parse_duration("5 parsecs", &ns), -EINVAL);
	CHECK_INT(px__parse_duration("ms", &ns), -EINVAL);
}

static void test_sizes(void)
{
	int64_t b = 0;

	CHECK_INT(px__parse_size("64KiB", &b), 0);
	CHECK_INT(b, 65536);
	CHECK_INT(px__parse_size("1MiB", &b), 0);
	CHECK_INT(b, 1048576);
	CHECK_INT(px__parse_size("2GiB", &b), 0);
	CHECK_INT(b, 2147483648LL);
	CHECK_INT(px__parse_size("512B", &b), 0);
	CHECK_INT(b, 512);
	CHECK_INT(px__parse_size("4096", &b), 0);
	CHECK_INT(b, 4096);
	CHECK_INT(px__parse_size("3 furlongs", &b), -EINVAL);
}

static void test_bools(void)
{
	bool v = false;

	CHECK_INT(px__parse_bool("true", &v), 0);
	CU_ASSERT(v);
	CHECK_INT(px__parse_bool("off", &v), 0);
	CU_ASSERT(!v);
	CHECK_INT(px__parse_bool("maybe", &v), -EINVAL);
}

static void test_formatting(void)
{
	char buf[32];

	px__format_duration(5000000, buf, sizeof(buf));
	CHECK_STR(buf, "5ms");
	px__format_duration(1500000000, buf, sizeof(buf));
	CHECK_STR(buf, "1500ms");
	px__format_duration(1234, buf, sizeof(buf));
	CHECK_STR(buf, "1234ns");
	px__format_size(1048576, buf, sizeof(buf));
	CHECK_STR(buf, "1MiB");
	px__format_size(1536, buf, sizeof(buf));
	CHECK_STR(buf, "1536B");
}

/* Seconds print in the unit that shows 4 significant digits. */
static void test_seconds(void)
{
	char buf[32];
	double k;

	px__format_seconds(0.5638, buf, sizeof(buf));
	CHECK_STR(buf, "563.8 ms");
	px__format_seconds(1.6, buf, sizeof(buf));
	CHECK_STR(buf, "1.600 s");
	px__format_seconds(0.0000156, buf, sizeof(buf));
	CHECK_STR(buf, "15.60 \u00b5s");
	px__format_seconds(27e-9, buf, sizeof(buf));
	CHECK_STR(buf, "27.00 ns");
	px__format_seconds(0.99996, buf, sizeof(buf));
	CHECK_STR(buf, "1.000 s");
	px__format_seconds(1234.6, buf, sizeof(buf));
	CHECK_STR(buf, "1235 s");
	CHECK_STR(px__seconds_unit(0, &k), "s");
	CHECK_NEAR(k, 1, 0);
	CHECK_STR(px__seconds_unit(0.00042, &k), "\u00b5s");
	CHECK_NEAR(k, 1e6, 0);
}

TEST_MAIN("units", T(test_int_with_underscores), T(test_durations),
          T(test_sizes), T(test_bools), T(test_formatting), T(test_seconds))
