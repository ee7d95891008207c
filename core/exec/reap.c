/* reap.c: finds every process below this one through /proc, kills it and
 * reaps it, and says what it found: the end of a run leaves nothing. */
#define _GNU_SOURCE
#include "exec/reap.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/util.h"

/* The fields of /proc/<pid>/stat a sweep needs. */
struct proc_stat {
	char state;          /* R S D T Z X ... */
	pid_t ppid, pgrp;
	char comm[16];
};

int px__become_subreaper(void)
{
	static bool done;

	if (!done) {
		if (prctl(PR_SET_CHILD_SUBREAPER, 1) != 0)
			return -errno;
		done = true;
	}
	return 0;
}

static void pids_add(struct px_pids *p, pid_t pid)
{
	px__grow(&p->v, &p->cap, p->n + 1, sizeof(*p->v));
	p->v[p->n++] = pid;
}

static bool pids_has(const struct px_pids *p, pid_t pid)
{
	for (size_t i = 0; p && i < p->n; i++)
		if (p->v[i] == pid)
			return true;
	return false;
}

void px__pids_free(struct px_pids *p)
{
	free(p->v);
	memset(p, 0, sizeof(*p));
}

/* Reads process pid's state, parent, group and name; false once it is
 * gone. The name may hold spaces and parentheses: it ends at the last ')'. */
static bool read_stat(pid_t pid, struct proc_stat *st)
{
	char path[64], buf[512], *open, *close;
	size_t len;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	f = fopen(path, "re");
	if (!f)
		return false;
	len = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[len] = '\0';
	open = strchr(buf, '(');
	close = strrchr(buf, ')');
	if (!open || !close || close < open)
		return false;
	len = (size_t)(close - open - 1);
	if (len >= sizeof(st->comm))
		len = sizeof(st->comm) - 1;
	memcpy(st->comm, open + 1, len);
	st->comm[len] = '\0';
	return sscanf(close + 1, " %c %d %d", &st->state, &st->ppid,
	              &st->pgrp) == 3;
}

/* Appends the pids in a /proc children file; false if it cannot be read. */
static bool read_children_file(const char *path, struct px_pids *out)
{
	FILE *f = fopen(path, "re");
	int pid;

	if (!f)
		return false;
	while (fscanf(f, "%d", &pid) == 1)
		pids_add(out, (pid_t)pid);
	fclose(f);
	return true;
}

/* Every process whose parent is `parent`, from /proc/<pid>/stat. */
static void scan_for_children(pid_t parent, struct px_pids *out)
{
	DIR *d = opendir("/proc");
	struct dirent *e;

	while (d && (e = readdir(d))) {
		struct proc_stat st;
		if (!isdigit((unsigned char)e->d_name[0]))
			continue;
		if (read_stat((pid_t)atoi(e->d_name), &st) && st.ppid == parent)
			pids_add(out, (pid_t)atoi(e->d_name));
	}
	if (d)
		closedir(d);
}

void px__children(pid_t pid, struct px_pids *out)
{
	char path[96];
	struct dirent *e;
	bool have = false;
	DIR *d;

	snprintf(path, sizeof(path), "/proc/%d/task", (int)pid);
	d = opendir(path);
	while (d && (e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/proc/%d/task/%.20s/children",
		         (int)pid, e->d_name);
		have |= read_children_file(path, out);
	}
	if (d)
		closedir(d);
	if (!have)  /* a kernel without CONFIG_PROC_CHILDREN */
		scan_for_children(pid, out);
}

/* Kills process pid if it is alive, and counts it the first time unless
 * it is in group `quiet`. */
static void kill_one(pid_t pid, pid_t quiet, struct px_pids *killed,
                     struct px_sweep *s)
{
	struct proc_stat st;
	size_t len = strlen(s->names);

	if (!read_stat(pid, &st) || st.state == 'Z' || st.state == 'X')
		return;
	kill(pid, SIGKILL);
	if (pids_has(killed, pid))
		return;
	pids_add(killed, pid);
	if (quiet && st.pgrp == quiet)
		return;
	if (s->n < 4)
		snprintf(s->names + len, sizeof(s->names) - len, "%spid %d, '%s'",
		         s->n ? "; " : "", (int)pid, st.comm);
	else if (s->n == 4)
		snprintf(s->names + len, sizeof(s->names) - len, "; ...");
	s->n++;
}

void px__sweep(const struct px_pids *keep, pid_t quiet, struct px_sweep *s)
{
	struct px_pids killed = { 0 }, all = { 0 };
	pid_t self = getpid();

	memset(s, 0, sizeof(*s));
	for (;;) {
		size_t mine = 0;
		all.n = 0;
		px__children(self, &all);
		for (size_t i = 0; i < all.n; i++)
			if (!pids_has(keep, all.v[i]))
				all.v[mine++] = all.v[i];
		all.n = mine;
		if (mine == 0)
			break;
		/* Everything below them, found before any of them dies. */
		for (size_t i = 0; i < all.n; i++)
			px__children(all.v[i], &all);
		for (size_t i = 0; i < all.n; i++)
			kill_one(all.v[i], quiet, &killed, s);
		/* The children die (or are zombies already); theirs come
		 * back to this process and are found in the next round. An
		 * unreaped child's pid cannot have been reused: killing it
		 * again is safe, and sure to end it. */
		for (size_t i = 0; i < mine; i++) {
			kill(all.v[i], SIGKILL);
			while (waitpid(all.v[i], NULL, 0) < 0 && errno == EINTR)
				;
		}
	}
	px__pids_free(&all);
	px__pids_free(&killed);
}

void px__sweep_note(const struct px_sweep *s, char *msg, size_t cap)
{
	size_t len = strlen(msg);

	if (s->n == 0 || len + 1 >= cap)
		return;
	snprintf(msg + len, cap - len, "%sleft %zu process%s behind (%s): killed",
	         len ? "; " : "", s->n, s->n == 1 ? "" : "es", s->names);
}
