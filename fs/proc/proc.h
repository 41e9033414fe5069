/* procfs: the files a user reads (and the sysctls a user writes) under
 * /proc, rendered on demand into a seq_file with Linux's exact formats. */
#ifndef MMSIM_FS_PROC_PROC_H
#define MMSIM_FS_PROC_PROC_H

#include <stddef.h>

#include "base/seq_file.h"

struct proc_entry {
	const char *path; /* e.g. "/proc/meminfo" */
	void (*show)(struct seq_file *m, const void *priv);
	/* Writable files only: parse and apply value; 0 or -errno with err
	 * filled in. */
	int (*write)(const char *value, char *err, size_t errlen,
		     const void *priv);
	const void *priv;
};

/* Renders path of the current machine into out (appending): a /proc
 * file, a file of a process's directory /proc/PID/ or /proc/self/, a
 * SLUB attribute /sys/kernel/slab/NAME/ATTR or a disk's attribute
 * /sys/block/NAME/ATTR. Returns 0, or -ENOENT for
 * an unknown path, -EISDIR for a process's directory itself, -ESRCH
 * when the process has nothing to show (smaps_rollup of a kernel
 * thread). */
int proc_read(const char *path, struct seq_file *out);
/* pread(2) of any file proc_read knows, and of the binary ones it does
 * not (/proc/PID/pagemap): up to count bytes from byte off into buf.
 * Returns the bytes read (0 at the end), or -errno as proc_read does;
 * pagemap gives -EINVAL for an off or count that is not a multiple of 8,
 * and its whole-file text read (proc_read) is -EINVAL. */
long proc_pread(const char *path, void *buf, size_t count,
		unsigned long long off);
/* Writes value to a writable file (sysctls, /sys/kernel/slab/NAME/shrink,
 * /proc/PID/oom_score_adj and oom_adj, written as current):
 * 0, -ENOENT, -EACCES for a read-only file, or -EINVAL with err naming
 * the problem. */
int proc_write(const char *path, const char *value, char *err, size_t errlen);
struct task_struct;
/* The state letter /proc/PID/stat shows (R, S, D, T, Z, X...). */
char task_state_to_char(const struct task_struct *t);

/* Every file, in a stable order, for listings and /proc snapshots. */
const struct proc_entry *proc_entries(size_t *n);
/* The name of the i-th file of every /proc/PID/, NULL past the last. */
const char *proc_pid_file_name(size_t i);

#endif
