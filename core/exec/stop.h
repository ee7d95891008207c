/* stop.h: SIGINT, SIGTERM and SIGHUP turned into a request to stop. The
 * first such signal is remembered and wakes px__exec_run, which kills and
 * reaps the running trial; the runner then writes what was measured. A
 * second one ends parlab at once (with the default action of the signal),
 * so that a user who insists is obeyed even while the files are written;
 * but the same signal passed on by the parent process (as parlab-hold and
 * the fidelity tools do), or the group's copy of one it passed on, is the
 * same request, not a second one. */
#ifndef PX_STOP_H
#define PX_STOP_H

/* Installs the handlers (idempotent). Returns 0 or a negative errno. */
int px__stop_install(void);

/* The signal that asked to stop, or 0. */
int px__stop_signal(void);

/* A descriptor that becomes readable once a stop was asked (-1 before
 * px__stop_install), for poll. */
int px__stop_fd(void);

/* In a freshly forked trial process: back to the default actions, so
 * that the trial never answers for the runner. */
void px__stop_child(void);

#endif
