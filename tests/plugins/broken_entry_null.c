/* broken_entry_null.c: an entry function that returns NULL. */
#include <parlab/plugin.h>

PX_EXPORT const struct px_plugin *parlab_plugin(void);
PX_EXPORT const struct px_plugin *parlab_plugin(void)
{
	return NULL;
}
