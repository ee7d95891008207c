/* test_sha256.c: SHA-256 against the FIPS 180-4 / NIST known vectors
 * (empty, "abc", the two-block 448-bit message, a million 'a's) and
 * around the padding boundaries; px__sha256_file against the same. */
#include <unistd.h>

#include "base/sha256.h"
#include "helpers.h"

static void hex_of(const void *data, size_t len, char hex[65])
{
	uint8_t d[32];

	px__sha256(data, len, d);
	for (int i = 0; i < 32; i++)
		snprintf(hex + 2 * i, 3, "%02x", d[i]);
}

static void test_known_vectors(void)
{
	char hex[65];
	char *million = px__xmalloc(1000000);

	hex_of("", 0, hex);
	CHECK_STR(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	hex_of("abc", 3, hex);
	CHECK_STR(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	hex_of("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 56, hex);
	CHECK_STR(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
	memset(million, 'a', 1000000);
	hex_of(million, 1000000, hex);
	CHECK_STR(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
	free(million);
}

/* 55, 56 and 64 bytes put the length in the first or a second padding
 * block: known digests of runs of 'a'. */
static void test_padding_boundaries(void)
{
	char a[64], hex[65];

	memset(a, 'a', sizeof(a));
	hex_of(a, 55, hex);
	CHECK_STR(hex, "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318");
	hex_of(a, 56, hex);
	CHECK_STR(hex, "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a");
	hex_of(a, 64, hex);
	CHECK_STR(hex, "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb");
}

static void test_file(void)
{
	char tmpl[] = "/tmp/parlab-test-sha-XXXXXX", hex[65];
	int fd = mkstemp(tmpl);

	CU_ASSERT_FATAL(fd >= 0);
	CU_ASSERT(write(fd, "abc", 3) == 3);
	close(fd);
	CHECK_INT(px__sha256_file(tmpl, hex), 0);
	CHECK_STR(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	unlink(tmpl);
	CU_ASSERT(px__sha256_file(tmpl, hex) < 0);
}

TEST_MAIN("sha256", T(test_known_vectors), T(test_padding_boundaries),
          T(test_file))
