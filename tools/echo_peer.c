/* echo_peer.c: parlab's echo helper as a program, for
 * tools/cpython_bench.py. The same loop (plugins/support/sockets.h) that
 * answers parlab's round trips answers CPython's, so the two sides of a
 * fidelity row differ only in the client: with a Python echo server,
 * CPython's round trip measured 13 us against 10 us with this one (2-core
 * guest, 2026-12-05), a difference that is not the GIL's.
 *
 * Descriptor 0 is the socket. It writes "r" when it is ready, answers each
 * byte b with b+1 and ends at end of file. */
#include "support/sockets.h"

int main(void)
{
	int fd = 0;
	struct socket_set s = { .n = 1, .mine = NULL, .peer = &fd };

	if (write(fd, "r", 1) != 1)
		return 1;
	sockets_echo_loop(&s, 0);
	return 0;
}
