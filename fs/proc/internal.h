/* Renderers of the /proc files that live under fs/proc/: the system
 * files, and the per-process files of /proc/PID/ (fs/proc/base.c looks
 * the task up; array.c and task_mmu.c render). A per-process renderer
 * returns 0, or -ESRCH when the task has nothing to show (Linux's
 * smaps_rollup of a kernel thread). */
#ifndef MMSIM_FS_PROC_INTERNAL_H
#define MMSIM_FS_PROC_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/seq_file.h"

struct mm_struct;
struct task_struct;

void meminfo_show(struct seq_file *m);
void loadavg_show(struct seq_file *m);
void stat_show(struct seq_file *m);
void uptime_show(struct seq_file *m);
unsigned long si_mem_available(void);

/* /proc/PID/... and /proc/self/...: 0, -ENOENT (no such process or
 * file), -EISDIR (the directory itself), -EINVAL (a write-only file, or
 * a binary one: pagemap has no text) or -ESRCH. */
int proc_pid_read(const char *path, struct seq_file *m);
/* Whether path is a file of /proc/PID/. */
bool proc_pid_exists(const char *path);
/* Whether path is a binary file of /proc/PID/ (pagemap), read only by
 * proc_pid_pread(): bytes read or -errno. */
bool proc_pid_binary(const char *path);
long proc_pid_pread(const char *path, void *buf, size_t count,
		    unsigned long long off);
/* Writes a writable file of /proc/PID/ (oom_score_adj, oom_adj,
 * clear_refs) as current: 0, or -ENOENT, -EACCES, -EINVAL, -ERANGE with
 * err filled in. */
int proc_pid_write(const char *path, const char *value, char *err,
		   size_t errlen);

/* fs/proc/array.c */
int proc_pid_status(struct seq_file *m, struct task_struct *task);
int proc_tgid_stat(struct seq_file *m, struct task_struct *task);
int proc_pid_statm(struct seq_file *m, struct task_struct *task);

/* kernel/sched/debug.c: /proc/PID/sched */
int proc_sched_show_task(struct seq_file *m, struct task_struct *task);

/* fs/proc/task_mmu.c */
int proc_pid_maps(struct seq_file *m, struct task_struct *task);
int proc_pid_smaps(struct seq_file *m, struct task_struct *task);
int proc_pid_smaps_rollup(struct seq_file *m, struct task_struct *task);
/* What a write of 1..5 to /proc/PID/clear_refs resets. */
enum clear_refs_types {
	CLEAR_REFS_ALL = 1, /* every page's accessed bits */
	CLEAR_REFS_ANON, /* anonymous pages' */
	CLEAR_REFS_MAPPED, /* file-mapped pages' */
	CLEAR_REFS_SOFT_DIRTY, /* soft-dirty bits (none here: a TLB flush) */
	CLEAR_REFS_MM_HIWATER_RSS, /* VmHWM, to the current RSS */
	CLEAR_REFS_LAST,
};
void clear_refs(struct task_struct *task, enum clear_refs_types type);
/* /proc/kpagecount and /proc/kpageflags (fs/proc/page.c) from byte off:
 * the bytes read (fewer at the end of the frames) or -EINVAL when off or
 * count is not a multiple of 8. */
long kpagecount_read(void *buf, size_t count, unsigned long long off);
long kpageflags_read(void *buf, size_t count, unsigned long long off);

/* Stores v at p as 8 little-endian bytes: an entry of a binary file. */
static inline void proc_put_le64(unsigned char *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

/* /proc/PID/pagemap from byte off: the bytes read (fewer at TASK_SIZE, 0
 * for a task without an mm) or -EINVAL when off or count is not a
 * multiple of 8. */
long proc_pagemap_read(struct task_struct *task, void *buf, size_t count,
		       unsigned long long off);
/* The Vm and Rss lines of /proc/PID/status. */
void task_mem(struct seq_file *m, struct mm_struct *mm);
/* Bytes of address space (/proc/PID/stat vsize). */
unsigned long task_vsize(const struct mm_struct *mm);
/* /proc/PID/statm's counts in pages; returns the size. */
unsigned long task_statm(const struct mm_struct *mm, unsigned long *shared,
			 unsigned long *text, unsigned long *data,
			 unsigned long *resident);

/* A value in width columns after delimiter (seq_put_decimal_ull_width). */
static inline void seq_put_decimal_ull_width(struct seq_file *m,
					     const char *delimiter,
					     unsigned long long num,
					     unsigned width)
{
	seq_printf(m, "%s%*llu", delimiter, (int)width, num);
}

static inline void seq_put_decimal_ull(struct seq_file *m,
				       const char *delimiter,
				       unsigned long long num)
{
	seq_printf(m, "%s%llu", delimiter, num);
}

static inline void seq_put_decimal_ll(struct seq_file *m, const char *delimiter,
				      long long num)
{
	seq_printf(m, "%s%lld", delimiter, num);
}

#endif
