/* run_log.h: a trial run's stdout and stderr, captured in a file per run
 * (run_log.c). */
#ifndef PX_RUN_LOG_H
#define PX_RUN_LOG_H

#include <stdbool.h>
#include <stddef.h>

/* What of the log a failed run's message quotes: at most this many last
 * lines, of at most this many last bytes. */
#define PX_LOG_TAIL_LINES 5
#define PX_LOG_TAIL_BYTES 400

/* Opens the run's log: path (created or truncated), or an anonymous file
 * when path is NULL. Returns the descriptor or -1 (errno set). */
int px__run_log_open(const char *path);

/* In the run's process: stdout and stderr go to fd (when >= 0), stdout
 * line-buffered, stdio flushed before a crash by SIGSEGV, SIGBUS, SIGFPE,
 * SIGILL or SIGABRT. */
void px__run_log_attach(int fd);

/* Appends "; output: LINE | LINE" (the log's last lines) to msg. */
void px__run_log_tail(int fd, char *msg, size_t cap);

/* Closes the log, removing path when the run wrote nothing to it. */
void px__run_log_close(int fd, const char *path);

#endif
