/* The per-process directories /proc/PID/ and /proc/self (fs/proc/base.c):
 * a path names a task by its pid (a thread's id works too, as in Linux)
 * or "self" for current's thread group, then one of the files of
 * tgid_base_stuff[]. Zombies still have their directory; a kernel
 * thread's has no maps. */
#include <errno.h>
#include <string.h>

#include "fs/proc/internal.h"
#include "fs/proc/proc.h"
#include "kernel/pid.h"
#include "kernel/sched.h"

struct pid_entry {
	const char *name;
	int (*show)(struct seq_file *m, struct task_struct *task);
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

static const struct pid_entry tgid_base_stuff[] = {
	{ "maps", proc_pid_maps },
	{ "sched", proc_sched_show_task },
	{ "schedstat", proc_pid_schedstat },
	{ "smaps", proc_pid_smaps },
	{ "smaps_rollup", proc_pid_smaps_rollup },
	{ "stat", proc_tgid_stat },
	{ "statm", proc_pid_statm },
	{ "status", proc_pid_status },
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

	return err ? err : entry->show(m, task);
}

bool proc_pid_exists(const char *path)
{
	struct task_struct *task;
	const struct pid_entry *entry;

	return proc_pid_lookup_path(path, &task, &entry) == 0;
}
