/* chromium.h: headless Chromium (Debian's `chromium`, as tools/deps.sh
 * installs it) for tests that check what a page draws, not only its
 * markup. */
#ifndef PX_TEST_CHROMIUM_H
#define PX_TEST_CHROMIUM_H

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include "base/util.h"

/* Whether a chromium binary is on PATH. */
static inline bool px_chromium_found(void)
{
	return system("command -v chromium >/dev/null 2>&1") == 0;
}

/* Runs headless Chromium on file with `what` (--dump-dom, or
 * --screenshot=PNG) in a fresh profile, with a virtual time budget so
 * scripts finish; returns the exit status, stdout in *out. */
static inline int px_chromium(const char *what, const char *file, char **out)
{
	char profile[] = "/tmp/parlab-chromium-XXXXXX";
	char *cmd, buf[4096];
	struct strbuf sb = { 0 };
	FILE *p;
	size_t n;
	int status;

	if (!mkdtemp(profile))
		return -1;
	cmd = px__xasprintf("timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-quic "
	                    "--no-first-run --disable-background-networking "
	                    "--disable-component-update --disable-sync "
	                    "--user-data-dir=%s --window-size=1280,1400 %s 'file://%s' 2>/dev/null; "
	                    "rm -rf %s", profile, what, file, profile);
	p = popen(cmd, "r");
	while ((n = fread(buf, 1, sizeof(buf) - 1, p)) > 0) {
		buf[n] = '\0';
		px__sb_add(&sb, buf);
	}
	status = pclose(p);
	*out = px__sb_take(&sb);
	free(cmd);
	return status;
}

#endif
