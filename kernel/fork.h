/* Creating tasks and address spaces (kernel/fork.c, include/linux/
 * sched/mm.h, sched/task.h). */
#ifndef MMSIM_KERNEL_FORK_H
#define MMSIM_KERNEL_FORK_H

#include <stdbool.h>

#include "kernel/sched.h"

struct exec_image;

/* Boot: the caches of tasks and address spaces, max_threads. */
bool fork_init(void);

/* A zeroed task with a kernel stack, lists initialised. */
struct task_struct *alloc_task_struct(void);
void free_task_struct(struct task_struct *t);
/* Linux's INIT_RLIMITS. */
void init_rlimits(struct rlimit *r);
/* Limits copied from from, or Linux's initial limits when NULL. */
struct signal_struct *alloc_signal_struct(const struct signal_struct *from);
void free_signal_struct(struct signal_struct *sig);

/* A new address space with its own page tables (no VMAs), one user. */
struct mm_struct *mm_alloc(void);
/* Drops a user of mm; the last one frees its mappings (exit_mmap). */
void mmput(struct mm_struct *mm);
/* Drops a reference to the struct; the last one frees it. */
void mmdrop(struct mm_struct *mm);

/* mmsim: a new process, child of current (or of swapper when none
 * runs), running img as kernel_init's kernel_execve() does. NULL with
 * -errno in *err on failure. current is unchanged. */
struct task_struct *create_user_process(const struct exec_image *img,
					int *err);
/* Frees a task taken out of use: pid, lists, mm, signal, stack. */
void release_task(struct task_struct *t);

#endif
