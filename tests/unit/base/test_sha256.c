/* test_sha256.c: SHA-256 against FIPS 180-4's and NIST's vectors, fed
 * whole and a byte at a time, and a file's digest and size. */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "helpers.h"
#include "base/sha256.h"

static void check(const char *msg, size_t n, const char *want)
{
	struct px_sha256 s;
	char hex[65];

	px__sha256_init(&s);
	px__sha256_update(&s, msg, n);
	px__sha256_hex(&s, hex);
	CHECK_STR(hex, want);
	/* Split at every byte: the buffering must not matter. */
	px__sha256_init(&s);
	for (size_t i = 0; i < n; i++)
		px__sha256_update(&s, msg + i, 1);
	px__sha256_hex(&s, hex);
	CHECK_STR(hex, want);
}

static void test_known_vectors(void)
{
	const char *v448 = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	static char million[1000000];

	check("", 0, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	check("abc", 3, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	check(v448, strlen(v448),
	      "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
	memset(million, 'a', sizeof(million));
	check(million, sizeof(million),
	      "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

/* 55, 56 and 64 bytes: where the padding takes one block or two. */
static void test_padding_edges(void)
{
	char a[64];

	memset(a, 'a', sizeof(a));
	check(a, 55, "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318");
	check(a, 56, "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a");
	check(a, 64, "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb");
}

static void test_file(void)
{
	char path[] = "/tmp/parlab-sha-XXXXXX", hex[65];
	int fd = mkstemp(path);
	uint64_t size = 0;

	CU_ASSERT_FATAL(fd >= 0);
	CHECK_INT(write(fd, "abc", 3), 3);
	close(fd);
	CHECK_INT(px__sha256_file(path, hex, &size), 0);
	CHECK_STR(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	CHECK_INT(size, 3);
	/* A caller that needs no size passes NULL. */
	memset(hex, 0, sizeof(hex));
	CHECK_INT(px__sha256_file(path, hex, NULL), 0);
	CHECK_STR(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	unlink(path);
	CHECK_INT(px__sha256_file(path, hex, &size), -ENOENT);
}

TEST_MAIN("sha256", T(test_known_vectors), T(test_padding_edges), T(test_file))
