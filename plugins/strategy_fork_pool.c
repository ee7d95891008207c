/* strategy_fork_pool.c: N worker processes forked once and fed task ids
 * through a socketpair each, results sent back as messages: Python's
 * multiprocessing.Pool. Memory is not shared: what a worker writes to the
 * workload's "shared" allocations stays in its own copy.
 *
 * spawn: pool keeps `depth` chunks in flight per worker, so a worker finds
 * its next chunk already waiting and never sleeps between tasks; spawn:
 * per-task forks one process per task instead, to show what a pool saves.
 * A worker that dies fails the run with its pid and signal; the others are
 * killed and reaped, so nothing is left behind. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <parlab/plugin.h>

#include "support/parent.h"

struct fp_config {
	int64_t chunksize;
	int64_t spawn;
	int64_t max_tasks_per_child;
	int64_t depth;
};

static const char *const fp_spawn[] = { "pool", "per-task", NULL };
enum { SPAWN_POOL, SPAWN_PER_TASK };

static const struct px_param fp_params[] = {
	{ "chunksize", PX_INT, offsetof(struct fp_config, chunksize), "0", 0,
	  1e9, "task ids per message; 0 picks Pool.map's default, "
	  "ceil(tasks / (4 x workers))", NULL },
	{ "spawn", PX_ENUM, offsetof(struct fp_config, spawn), "pool", 0, 0,
	  "pool: fork N workers once; per-task: fork one process per task",
	  fp_spawn },
	{ "max_tasks_per_child", PX_INT,
	  offsetof(struct fp_config, max_tasks_per_child), "0", 0, 1e12,
	  "a worker is replaced by a fresh fork after this many tasks; 0 keeps "
	  "it for the whole run (Pool's maxtasksperchild=None)", NULL },
	{ "depth", PX_INT, offsetof(struct fp_config, depth), "4", 1, 1024,
	  "chunks sent ahead to each worker, so it never waits for the next",
	  NULL },
	PX_PARAM_END
};

enum { C_FORKS, C_MESSAGES, C_BYTES };

static const struct px_metric fp_counters[] = {
	[C_FORKS] = { "forks", "processes", PX_AGG_SUM, "worker processes forked" },
	[C_MESSAGES] = { "messages", "messages", PX_AGG_SUM,
	                 "task and result messages sent, both ways" },
	[C_BYTES] = { "bytes_sent", "B", PX_AGG_SUM,
	              "bytes of task and result messages, both ways" },
	PX_METRIC_END
};

/* A task message: task ids first .. first+count-1; count 0 says stop. A
 * result message repeats the header, then count results. */
struct fp_msg {
	uint64_t first;
	uint64_t count;
};

struct fp_worker {
	pid_t pid;
	int fd;              /* the parent's end */
	uint64_t task;       /* per-task: the task this process runs */
	uint64_t in_flight;  /* chunks sent and not answered */
	uint64_t done;       /* tasks this process ran */
	bool retiring;       /* asked to stop, to be replaced */
	char *rbuf;          /* partial result messages */
	size_t rlen;
};

struct fp {
	px_run *run;
	const struct fp_config *cfg;
	size_t rsize;           /* result bytes per task */
	uint64_t chunk;
	uint64_t next;          /* first task id not sent yet */
	uint64_t answered;      /* tasks whose results came back */
	struct fp_worker *w;
	uint64_t forks, messages, bytes;
};

/* Writes everything; a peer that is gone is an error (EPIPE), never a
 * SIGPIPE that would kill the run. */
static ssize_t write_all(int fd, const void *buf, size_t n)
{
	size_t off = 0;

	while (off < n) {
		ssize_t k = send(fd, (const char *)buf + off, n - off, MSG_NOSIGNAL);
		if (k < 0 && errno == ENOTSOCK)
			k = write(fd, (const char *)buf + off, n - off);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return -1;
		off += (size_t)k;
	}
	return (ssize_t)n;
}

static ssize_t read_all(int fd, void *buf, size_t n)
{
	size_t off = 0;

	while (off < n) {
		ssize_t k = read(fd, (char *)buf + off, n - off);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return k < 0 ? -1 : (ssize_t)off;
		off += (size_t)k;
	}
	return (ssize_t)n;
}

/* ---- the worker process ------------------------------------------------ */

/* Runs chunks until the parent says stop (it decides when a worker has
 * done max_tasks_per_child); never returns. */
static void worker_main(struct fp *fp, uint32_t index, int fd)
{
	const struct px_host *h = fp->run->host;
	px_worker *w = h->worker(fp->run, index);
	size_t cap = (size_t)fp->chunk * fp->rsize + sizeof(struct fp_msg);
	char *out = malloc(cap);
	struct fp_msg m;
	int rc;

	if (!out || h->worker_begin(w))
		_exit(3);
	while (read_all(fd, &m, sizeof(m)) == sizeof(m) && m.count > 0) {
		memcpy(out, &m, sizeof(m));
		for (uint64_t t = m.first; t < m.first + m.count; t++) {
			rc = h->run_task(w, t);
			if (rc)
				_exit(4);
			memcpy(out + sizeof(m) + (t - m.first) * fp->rsize,
			       h->task_result(fp->run, t), fp->rsize);
		}
		if (write_all(fd, out, sizeof(m) + m.count * fp->rsize) < 0)
			_exit(5);
		h->counter_add(w, C_MESSAGES, 1);
		h->counter_add(w, C_BYTES,
		               (double)(sizeof(m) + m.count * fp->rsize));
	}
	h->worker_end(w);
	_exit(0);
}

static int spawn_worker(struct fp *fp, uint32_t index)
{
	struct fp_worker *fw = &fp->w[index];
	int sv[2];
	pid_t pid, parent = getpid();

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
		return -errno;
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		int err = errno;
		close(sv[0]);
		close(sv[1]);
		return -err;
	}
	if (pid == 0) {
		die_with_parent(parent);
		close(sv[0]);
		/* Other workers' ends are not this worker's business. */
		for (uint32_t i = 0; i < fp->run->workers; i++)
			if (fp->w[i].fd >= 0)
				close(fp->w[i].fd);
		worker_main(fp, index, sv[1]);
	}
	close(sv[1]);
	fw->pid = pid;
	fw->fd = sv[0];
	fw->in_flight = 0;
	fw->done = 0;
	fw->retiring = false;
	fw->rlen = 0;
	fp->forks++;
	return 0;
}

/* ---- the parent's side -------------------------------------------------- */

/* Describes how a worker process ended, after reaping it. */
static void describe_death(struct fp *fp, uint32_t i, int status)
{
	pid_t pid = fp->w[i].pid;

	if (WIFSIGNALED(status))
		fp->run->host->fail(fp->run, "fork-pool: worker %u (pid %d) died: signal %d (%s)",
		                    i, (int)pid, WTERMSIG(status),
		                    strsignal(WTERMSIG(status)));
	else
		fp->run->host->fail(fp->run, "fork-pool: worker %u (pid %d) exited with status %d in the middle of its work",
		                    i, (int)pid, WEXITSTATUS(status));
}

/* Kills and reaps every worker still alive. */
static void kill_all(struct fp *fp)
{
	for (uint32_t i = 0; i < fp->run->workers; i++) {
		if (fp->w[i].pid > 0) {
			kill(fp->w[i].pid, SIGKILL);
			while (waitpid(fp->w[i].pid, NULL, 0) < 0 && errno == EINTR)
				;
			fp->w[i].pid = 0;
		}
		if (fp->w[i].fd >= 0) {
			close(fp->w[i].fd);
			fp->w[i].fd = -1;
		}
	}
}

/* Sends worker i its next chunk, or stop when none is left. */
static int feed(struct fp *fp, uint32_t i)
{
	struct fp_worker *fw = &fp->w[i];
	uint64_t n = fp->run->tasks, limit = (uint64_t)fp->cfg->max_tasks_per_child;
	struct fp_msg m = { fp->next, 0 };

	if (fw->retiring)
		return 0;
	if (fp->next < n && !(limit && fw->done + fw->in_flight * fp->chunk >= limit)) {
		m.count = fp->next + fp->chunk <= n ? fp->chunk : n - fp->next;
		fp->next += m.count;
		fw->in_flight++;
	} else {
		/* Nothing more for this process: it finishes what it has. */
		fw->retiring = true;
	}
	if (write_all(fw->fd, &m, sizeof(m)) < 0)
		return -EPIPE;
	fp->messages++;
	fp->bytes += sizeof(m);
	return 0;
}

/* Takes in whatever result messages worker i has sent. */
static int drain(struct fp *fp, uint32_t i)
{
	struct fp_worker *fw = &fp->w[i];
	size_t cap = sizeof(struct fp_msg) + fp->chunk * fp->rsize;
	ssize_t k = read(fw->fd, fw->rbuf + fw->rlen, 2 * cap - fw->rlen);

	if (k < 0 && (errno == EINTR || errno == EAGAIN))
		return 0;
	/* EOF, or ECONNRESET from a worker that died with data unread: the
	 * worker is gone either way. */
	if (k <= 0)
		return -EPIPE;
	fw->rlen += (size_t)k;
	for (;;) {
		struct fp_msg m;
		size_t len;
		if (fw->rlen < sizeof(m))
			return 0;
		memcpy(&m, fw->rbuf, sizeof(m));
		len = sizeof(m) + m.count * fp->rsize;
		if (fw->rlen < len)
			return 0;
		for (uint64_t t = 0; t < m.count; t++)
			memcpy(fp->run->host->task_result(fp->run, m.first + t),
			       fw->rbuf + sizeof(m) + t * fp->rsize, fp->rsize);
		fw->in_flight--;
		fw->done += m.count;
		fp->answered += m.count;
		memmove(fw->rbuf, fw->rbuf + len, fw->rlen - len);
		fw->rlen -= len;
		int rc = feed(fp, i);
		if (rc)
			return rc;
	}
}

/* A worker with nothing in flight that was told to stop: reap it and, if
 * tasks remain (max_tasks_per_child), fork its replacement. */
static int retire(struct fp *fp, uint32_t i, bool *alive)
{
	struct fp_worker *fw = &fp->w[i];
	int status;

	while (waitpid(fw->pid, &status, 0) < 0 && errno == EINTR)
		;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		describe_death(fp, i, status);
		fw->pid = 0;
		return -EIO;
	}
	fw->pid = 0;
	close(fw->fd);
	fw->fd = -1;
	*alive = false;
	if (fp->next < fp->run->tasks) {
		int rc = spawn_worker(fp, i);
		if (rc)
			return rc;
		*alive = true;
		for (int64_t d = 0; d < fp->cfg->depth; d++)
			if ((rc = feed(fp, i)))
				return rc;
	}
	return 0;
}

static int pool_loop(struct fp *fp)
{
	uint32_t n = fp->run->workers;
	struct pollfd *p = calloc(n, sizeof(*p));
	bool *alive = calloc(n, sizeof(*alive));
	int rc = 0;

	if (!p || !alive) {
		free(p);
		free(alive);
		return -ENOMEM;
	}
	for (uint32_t i = 0; i < n && !rc; i++) {
		rc = spawn_worker(fp, i);
		alive[i] = rc == 0;
		for (int64_t d = 0; d < fp->cfg->depth && !rc; d++)
			rc = feed(fp, i);
	}
	while (!rc) {
		uint32_t live = 0;
		for (uint32_t i = 0; i < n; i++) {
			p[i] = (struct pollfd){ .fd = alive[i] ? fp->w[i].fd : -1,
			                        .events = POLLIN };
			live += alive[i];
		}
		if (live == 0)
			break;
		if (poll(p, n, -1) < 0) {
			if (errno == EINTR)
				continue;
			rc = -errno;
			break;
		}
		for (uint32_t i = 0; i < n && !rc; i++) {
			if (!alive[i] || !(p[i].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			rc = drain(fp, i);
			if (rc == -EPIPE || (rc == 0 && fp->w[i].retiring &&
			                     fp->w[i].in_flight == 0)) {
				/* EOF: finished as told, or died. */
				if (rc == -EPIPE && fp->w[i].in_flight == 0 &&
				    fp->w[i].retiring)
					rc = 0;
				if (rc == 0)
					rc = retire(fp, i, &alive[i]);
				else {
					int status;
					while (waitpid(fp->w[i].pid, &status, 0) < 0 &&
					       errno == EINTR)
						;
					describe_death(fp, i, status);
					fp->w[i].pid = 0;
					rc = -EIO;
				}
			}
		}
	}
	free(p);
	free(alive);
	return rc;
}

/* ---- spawn: per-task ----------------------------------------------------- */

/* Forks one process for task t on worker slot i; it sends the result back
 * through a pipe and exits. */
static int fork_task(struct fp *fp, uint32_t i, uint64_t t)
{
	struct fp_worker *fw = &fp->w[i];
	int pfd[2];
	pid_t pid, parent = getpid();

	if (pipe2(pfd, O_CLOEXEC) < 0)
		return -errno;
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		int err = errno;
		close(pfd[0]);
		close(pfd[1]);
		return -err;
	}
	if (pid == 0) {
		const struct px_host *h = fp->run->host;
		px_worker *w = h->worker(fp->run, i);
		die_with_parent(parent);
		close(pfd[0]);
		if (h->worker_begin(w) || h->run_task(w, t))
			_exit(4);
		h->worker_end(w);
		if (write_all(pfd[1], h->task_result(fp->run, t), fp->rsize) < 0)
			_exit(5);
		_exit(0);
	}
	close(pfd[1]);
	fw->pid = pid;
	fw->fd = pfd[0];
	fw->task = t;
	fp->forks++;
	return 0;
}

/* Collects the process on slot i: its result, then its exit status. */
static int reap_task(struct fp *fp, uint32_t i)
{
	struct fp_worker *fw = &fp->w[i];
	void *res = fp->run->host->task_result(fp->run, fw->task);
	ssize_t got = read_all(fw->fd, res, fp->rsize);
	int status;

	close(fw->fd);
	fw->fd = -1;
	while (waitpid(fw->pid, &status, 0) < 0 && errno == EINTR)
		;
	if (got != (ssize_t)fp->rsize || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != 0) {
		describe_death(fp, i, status);
		fw->pid = 0;
		return -EIO;
	}
	fw->pid = 0;
	fp->messages++;
	fp->bytes += fp->rsize;
	fp->answered++;
	return 0;
}

static int per_task_loop(struct fp *fp)
{
	uint32_t n = fp->run->workers;
	struct pollfd *p = calloc(n, sizeof(*p));
	int rc = 0;

	if (!p)
		return -ENOMEM;
	while (!rc && fp->answered < fp->run->tasks) {
		uint32_t busy = 0;
		for (uint32_t i = 0; i < n && !rc; i++) {
			if (fp->w[i].pid == 0 && fp->next < fp->run->tasks)
				rc = fork_task(fp, i, fp->next++);
			p[i] = (struct pollfd){ .fd = fp->w[i].pid ? fp->w[i].fd : -1,
			                        .events = POLLIN };
			busy += fp->w[i].pid != 0;
		}
		if (rc || busy == 0)
			break;
		if (poll(p, n, -1) < 0 && errno != EINTR)
			rc = -errno;
		for (uint32_t i = 0; i < n && !rc; i++)
			if (fp->w[i].pid && (p[i].revents & (POLLIN | POLLHUP)))
				rc = reap_task(fp, i);
	}
	free(p);
	return rc;
}

/* ---- the run ------------------------------------------------------------ */

static int fp_execute(px_run *run)
{
	const struct fp_config *cfg = run->config;
	px_worker *ctl = run->host->worker(run, PX_CONTROL);
	struct fp fp = { .run = run, .cfg = cfg };
	uint64_t chunk = (uint64_t)cfg->chunksize;
	int rc;

	fp.rsize = run->result_size;
	if (chunk == 0)  /* Pool.map: ceil(tasks / (4 * workers)) */
		chunk = (run->tasks + 4 * (uint64_t)run->workers - 1) /
		        (4 * (uint64_t)run->workers);
	fp.chunk = chunk ? chunk : 1;
	fp.w = calloc(run->workers, sizeof(*fp.w));
	if (!fp.w)
		return -ENOMEM;
	for (uint32_t i = 0; i < run->workers; i++) {
		fp.w[i].fd = -1;
		fp.w[i].rbuf = malloc(2 * (sizeof(struct fp_msg) +
		                           fp.chunk * fp.rsize));
		if (!fp.w[i].rbuf) {
			for (uint32_t k = 0; k <= i; k++)
				free(fp.w[k].rbuf);
			free(fp.w);
			return -ENOMEM;
		}
	}
	rc = cfg->spawn == SPAWN_POOL ? pool_loop(&fp) : per_task_loop(&fp);
	kill_all(&fp);
	for (uint32_t i = 0; i < run->workers; i++)
		free(fp.w[i].rbuf);
	free(fp.w);
	run->host->counter_add(ctl, C_FORKS, (double)fp.forks);
	run->host->counter_add(ctl, C_MESSAGES, (double)fp.messages);
	run->host->counter_add(ctl, C_BYTES, (double)fp.bytes);
	if (!rc && fp.answered != run->tasks) {
		run->host->fail(run, "fork-pool: %llu of %llu results came back",
		                (unsigned long long)fp.answered,
		                (unsigned long long)run->tasks);
		rc = -EIO;
	}
	return rc;
}

static const struct px_strategy_ops fp_ops = {
	.max_workers = 4096,
	.execute = fp_execute,
};

static const struct px_plugin fp_plugin = {
	PX_DESCRIPTOR_HEADER,
	.kind = PX_KIND_STRATEGY,
	.name = "fork-pool",
	.summary = "N forked worker processes fed from a queue (multiprocessing.Pool)",
	.doc = "Forks `workers` processes once per run. Each gets chunks of task ids\n"
	       "over its own socketpair (`depth` chunks ahead, so it never waits) and\n"
	       "sends each chunk's results back as one message. Memory is private:\n"
	       "what a worker writes to the workload's allocations stays in its copy,\n"
	       "so a counter incremented by the workers is not seen by the parent.\n"
	       "spawn: per-task forks one process per task instead.",
	.params = fp_params,
	.config_size = sizeof(struct fp_config),
	.metrics = fp_counters,
	.strategy = &fp_ops,
};

PX_PLUGIN(fp_plugin)
