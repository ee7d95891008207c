/* broken_entry_hang.c: an entry function that never returns. Built into
 * a folder of its own (plugins-hang) that only its test searches, so that
 * the probe's timeout costs that test alone. */
#include <unistd.h>

#include <parlab/plugin.h>

PX_EXPORT const struct px_plugin *parlab_plugin(void);
PX_EXPORT const struct px_plugin *parlab_plugin(void)
{
	for (;;)
		pause();
	return NULL;
}
