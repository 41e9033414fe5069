/* The per-process directories /proc/PID/ and /proc/self (fs/proc/base.c):
 * a path names a task by its pid (a thread's id works too, as in Linux)
 * or "self" for current's thread group, then one of the files of
 * tgid_base_stuff[]. Zombies still have their directory; a kernel
 * thread's has no maps. oom_score_adj and oom_adj are writable, and
 * clear_refs is only that. pagemap is binary: it has no text, only a
 * read of count bytes at an offset (proc_pid_pread). */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fs/proc/internal.h"
#include "fs/proc/proc.h"
#include "kernel/pid.h"
#include "kernel/sched.h"
#include "mm/oom.h"

struct pid_entry {
	const char *name;
	int (*show)(struct seq_file *m, struct task_struct *task);
	/* Writable files: 0 or -errno (err filled in). */
	int (*write)(struct task_struct *task, const char *value, char *err,
		     size_t errlen);
	/* Binary files (no show): bytes read from off, or -errno. */
	long (*pread)(struct task_struct *task, void *buf, size_t count,
		      unsigned long long off);
};

/* CONFIG_SCHED_INFO: ns on a CPU, ns waiting for one, times run. */
static int proc_pid_schedstat(struct seq_file *m, struct task_struct *task)
{
	seq_printf(m, "%llu %llu %lu\n",
		   (unsigned long long)task->se.sum_exec_runtime,
		   (unsigned long long)task->sched_info.run_delay,
		   task->sched_info.pcount);
	return 0;
}

/* ---- oom_score, oom_score_adj, oom_adj -------------------------------- */

static int proc_oom_score(struct seq_file *m, struct task_struct *task)
{
	seq_printf(m, "%lu\n", oom_score(task));
	return 0;
}

static int oom_score_adj_read(struct seq_file *m, struct task_struct *task)
{
	seq_printf(m, "%hd\n", task->signal->oom_score_adj);
	return 0;
}

/* oom_adj shows oom_score_adj scaled to -17..15 (OOM_SCORE_ADJ_MAX as
 * OOM_ADJUST_MAX). */
static int oom_adj_read(struct seq_file *m, struct task_struct *task)
{
	int adj = task->signal->oom_score_adj;

	seq_printf(m, "%d\n",
		   adj == OOM_SCORE_ADJ_MAX ?
			   OOM_ADJUST_MAX :
			   adj * -OOM_DISABLE / OOM_SCORE_ADJ_MAX);
	return 0;
}

/* Bytes of a write these files look at (Linux's char buffer[PROC_NUMBUF]
 * holds a string of at most 12). */
#define PROC_NUMBUF 13

/* kstrtoint(strstrip(buf), base) of the first PROC_NUMBUF - 1 bytes
 * written: a sign and digits (base 0: also 0x hex or 0 octal), then lo..hi;
 * 0, -EINVAL, or -ERANGE past an int. */
static int parse_int(const char *value, int base, int lo, int hi, int *out,
		     char *err, size_t errlen)
{
	char buf[PROC_NUMBUF];
	const char *s = buf;
	char *end;
	long v;

	snprintf(buf, sizeof(buf), "%s", value);
	while (isspace((unsigned char)*s))
		s++;
	errno = 0;
	v = strtol(s, &end, base);
	while (end != s && isspace((unsigned char)*end))
		end++;
	if (end == s || *end) {
		snprintf(err, errlen, "'%s' is not an integer", value);
		return -EINVAL;
	}
	if (errno || v < INT_MIN || v > INT_MAX) {
		snprintf(err, errlen, "'%s' is too large for an int", value);
		return -ERANGE;
	}
	if (v < lo || v > hi) {
		snprintf(err, errlen, "%ld is out of range (accepted: %d..%d)",
			 v, lo, hi);
		return -EINVAL;
	}
	*out = (int)v;
	return 0;
}

static int set_adj(struct task_struct *task, int adj, bool legacy, char *err,
		   size_t errlen)
{
	int ret = set_oom_score_adj(task, adj, legacy);

	if (ret == -EACCES)
		snprintf(
			err, errlen,
			"Permission denied (lowering it needs CAP_SYS_RESOURCE)");
	return ret;
}

static int oom_score_adj_write(struct task_struct *task, const char *value,
			       char *err, size_t errlen)
{
	int adj, ret = parse_int(value, 0, OOM_SCORE_ADJ_MIN, OOM_SCORE_ADJ_MAX,
				 &adj, err, errlen);

	return ret ? ret : set_adj(task, adj, false, err, errlen);
}

static int oom_adj_write(struct task_struct *task, const char *value, char *err,
			 size_t errlen)
{
	int adj, ret = parse_int(value, 0, OOM_DISABLE, OOM_ADJUST_MAX, &adj,
				 err, errlen);

	if (ret)
		return ret;
	adj = adj == OOM_ADJUST_MAX ? OOM_SCORE_ADJ_MAX :
				      adj * OOM_SCORE_ADJ_MAX / -OOM_DISABLE;
	return set_adj(task, adj, true, err, errlen);
}

/* clear_refs_write(): a decimal type 1..5 (enum clear_refs_types);
 * nothing to do for a task without an mm. */
static int clear_refs_write(struct task_struct *task, const char *value,
			    char *err, size_t errlen)
{
	int type, ret = parse_int(value, 10, CLEAR_REFS_ALL,
				  CLEAR_REFS_LAST - 1, &type, err, errlen);

	if (!ret)
		clear_refs(task, (enum clear_refs_types)type);
	return ret;
}

static const struct pid_entry tgid_base_stuff[] = {
	{ "clear_refs", NULL, clear_refs_write, NULL },
	{ "maps", proc_pid_maps, NULL, NULL },
	{ "oom_adj", oom_adj_read, oom_adj_write, NULL },
	{ "oom_score", proc_oom_score, NULL, NULL },
	{ "oom_score_adj", oom_score_adj_read, oom_score_adj_write, NULL },
	{ "pagemap", NULL, NULL, proc_pagemap_read },
	{ "sched", proc_sched_show_task, NULL, NULL },
	{ "schedstat", proc_pid_schedstat, NULL, NULL },
	{ "smaps", proc_pid_smaps, NULL, NULL },
	{ "smaps_rollup", proc_pid_smaps_rollup, NULL, NULL },
	{ "stat", proc_tgid_stat, NULL, NULL },
	{ "statm", proc_pid_statm, NULL, NULL },
	{ "status", proc_pid_status, NULL, NULL },
};

#define PROC_ROOT "/proc/"

const char *proc_pid_file_name(size_t i)
{
	return i < ARRAY_SIZE(tgid_base_stuff) ? tgid_base_stuff[i].name : NULL;
}

/* name_to_int(): a decimal pid without leading zeros, up to the next '/'
 * or the end; -1 when the component is not one. *end is set past it. */
static long name_to_int(const char *name, const char **end)
{
	long n = 0;
	const char *p = name;

	if (*p == '0' && p[1] && p[1] != '/')
		return -1;
	for (; *p >= '0' && *p <= '9'; p++) {
		n = n * 10 + (*p - '0');
		if (n > 0x7fffffff)
			return -1;
	}
	if (p == name || (*p && *p != '/'))
		return -1;
	*end = p;
	return n;
}

/* The task a /proc/ component (a pid or "self") names, or NULL; *rest
 * is set past the component. */
static struct task_struct *proc_pid_lookup(const char *name, const char **rest)
{
	long nr;

	if (!strncmp(name, "self", 4) && (!name[4] || name[4] == '/')) {
		*rest = name + 4;
		/* proc_self_get_link(): current's tgid; none for swapper */
		nr = current ? task_tgid_nr(current) : 0;
		return nr ? find_task_by_vpid((pid_t)nr) : NULL;
	}
	nr = name_to_int(name, rest);
	if (nr <= 0)
		return NULL;
	return find_task_by_vpid((pid_t)nr);
}

/* The task and file a path names: 0, -ENOENT or -EISDIR. */
static int proc_pid_lookup_path(const char *path, struct task_struct **task,
				const struct pid_entry **entry)
{
	size_t root = strlen(PROC_ROOT);
	const char *rest;

	if (strncmp(path, PROC_ROOT, root))
		return -ENOENT;
	*task = proc_pid_lookup(path + root, &rest);
	if (!*task)
		return -ENOENT;
	if (!*rest || !strcmp(rest, "/"))
		return -EISDIR;
	rest++;
	for (size_t i = 0; i < ARRAY_SIZE(tgid_base_stuff); i++)
		if (!strcmp(rest, tgid_base_stuff[i].name)) {
			*entry = &tgid_base_stuff[i];
			return 0;
		}
	return -ENOENT;
}

int proc_pid_read(const char *path, struct seq_file *m)
{
	struct task_struct *task;
	const struct pid_entry *entry;
	int err = proc_pid_lookup_path(path, &task, &entry);

	if (err)
		return err;
	/* a write-only file has no read: root may open it, read fails; a
	 * binary file has no text (proc_pid_pread reads it) */
	return entry->show ? entry->show(m, task) : -EINVAL;
}

bool proc_pid_binary(const char *path)
{
	struct task_struct *task;
	const struct pid_entry *entry;

	return !proc_pid_lookup_path(path, &task, &entry) && entry->pread;
}

long proc_pid_pread(const char *path, void *buf, size_t count,
		    unsigned long long off)
{
	struct task_struct *task;
	const struct pid_entry *entry;
	int err = proc_pid_lookup_path(path, &task, &entry);

	if (err)
		return err;
	return entry->pread ? entry->pread(task, buf, count, off) : -EINVAL;
}

int proc_pid_write(const char *path, const char *value, char *err,
		   size_t errlen)
{
	struct task_struct *task;
	const struct pid_entry *entry;
	int ret = proc_pid_lookup_path(path, &task, &entry);

	if (ret) {
		snprintf(err, errlen, "%s: %s", path,
			 ret == -EISDIR ? "Is a directory" :
					  "No such file or directory");
		return ret;
	}
	if (!entry->write) {
		snprintf(err, errlen, "%s: Permission denied", path);
		return -EACCES;
	}
	return entry->write(task, value, err, errlen);
}

bool proc_pid_exists(const char *path)
{
	struct task_struct *task;
	const struct pid_entry *entry;

	return proc_pid_lookup_path(path, &task, &entry) == 0;
}
