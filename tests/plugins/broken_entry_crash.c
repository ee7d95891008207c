/* broken_entry_crash.c: an entry function that dies of SIGSEGV. The probe
 * must name the file and the signal; nothing else may notice. */
#include <signal.h>

#include <parlab/plugin.h>

PX_EXPORT const struct px_plugin *parlab_plugin(void);
PX_EXPORT const struct px_plugin *parlab_plugin(void)
{
	raise(SIGSEGV);
	return NULL;
}
