/* parent.h: a process forked by a plugin (a pool's worker, an echo
 * helper) dies with the process that forked it, even when that process
 * died before the child could ask to be told. */
#ifndef PX_PLUGIN_PARENT_H
#define PX_PLUGIN_PARENT_H

#include <signal.h>
#include <sys/prctl.h>
#include <unistd.h>

/* Called first thing in the child, with the pid its parent had (taken
 * with getpid() before the fork). A parent that died between fork() and
 * prctl() sends no signal; the child has been reparented by then, so its
 * parent's pid tells, and it goes at once. */
static inline void die_with_parent(pid_t parent)
{
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)
		_exit(1);
}

#endif
