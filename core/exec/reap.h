/* reap.h: finding, killing and reaping what a run left behind. The calling
 * process is a child subreaper (PR_SET_CHILD_SUBREAPER): an orphan below
 * it comes back to it, whatever process group or session it moved to, so
 * every process a run started can be found from it and nothing escapes by
 * calling setsid() or setpgid(). */
#ifndef PX_REAP_H
#define PX_REAP_H

#include <stddef.h>
#include <sys/types.h>

/* A growable list of process ids. */
struct px_pids {
	pid_t *v;
	size_t n, cap;
};

/* What a sweep found alive and killed. */
struct px_sweep {
	size_t n;            /* processes counted (the quiet ones are not) */
	char names[320];     /* "pid 1234, 'sleep'; pid 1240, 'sh'" */
};

/* Makes this process a child subreaper, once; 0 or a negative errno. */
int px__become_subreaper(void);

/* Appends process pid's children, running or not yet reaped, to *out:
 * from each of its threads' /proc children file, or from every process's
 * parent in /proc where the kernel has no such files. */
void px__children(pid_t pid, struct px_pids *out);

/* SIGKILLs and reaps every process below this one, again and again until
 * none is left (a dying process's children come back here), sparing the
 * children listed in `keep` (NULL: none) and everything below them. *s
 * counts the processes found alive, except those in process group `quiet`
 * (0: none), which were already sent SIGKILL with their group. Meant for
 * the end of a run, when nothing below this process should be alive. */
void px__sweep(const struct px_pids *keep, pid_t quiet, struct px_sweep *s);

/* Appends "left 1 process behind (pid 1234, 'sleep'): killed" to msg
 * (after "; " if msg is not empty); nothing when the sweep found none. */
void px__sweep_note(const struct px_sweep *s, char *msg, size_t cap);

void px__pids_free(struct px_pids *p);

#endif
