/* Creating and ending tasks and address spaces (kernel/fork.c,
 * kernel/exit.c, include/linux/sched/mm.h, sched/task.h). The system
 * calls (fork, vfork, clone, exit_group, wait4...) are in
 * kernel/syscalls.h. */
#ifndef MMSIM_KERNEL_FORK_H
#define MMSIM_KERNEL_FORK_H

#include <stdbool.h>

#include "kernel/sched.h"
#include "mm/mm_types.h"

struct exec_image;

/* Boot: the caches of tasks and address spaces, max_threads. */
bool fork_init(void);

/* A zeroed task with a kernel stack, lists initialised, alone in its
 * thread group. */
struct task_struct *alloc_task_struct(void);
/* The lists, group leader and start time of a zeroed task. */
void task_struct_init(struct task_struct *t);
/* Frees the task and its kernel stack (if it still has one). */
void free_task_struct(struct task_struct *t);
/* Takes a reference to t: it stays readable after it is reaped. */
static inline struct task_struct *get_task_struct(struct task_struct *t)
{
	t->usage++;
	return t;
}
/* Drops a reference (task->usage); the last frees the task. */
void put_task_struct(struct task_struct *t);
/* Linux's INIT_RLIMITS. */
void init_rlimits(struct rlimit *r);
/* Limits copied from from, or Linux's initial limits when NULL. */
struct signal_struct *alloc_signal_struct(const struct signal_struct *from);
void free_signal_struct(struct signal_struct *sig);

/* ---- address spaces ------------------------------------------------------ */

/* A new address space with its own page tables (no VMAs), one user. */
struct mm_struct *mm_alloc(void);
/* One more task uses mm (CLONE_VM). */
static inline void mmget(struct mm_struct *mm)
{
	mm->mm_users++;
}
/* One more reference to the struct itself (a lazy TLB user). */
static inline void mmgrab(struct mm_struct *mm)
{
	mm->mm_count++;
}
/* Drops a user of mm; the last one frees its mappings (exit_mmap). */
void mmput(struct mm_struct *mm);
/* Drops a reference to the struct; the last one frees it. */
void mmdrop(struct mm_struct *mm);

/* ---- kernel/fork.c: new tasks ------------------------------------------------- */

/* What kernel_clone() is asked for (struct kernel_clone_args). */
struct kernel_clone_args {
	unsigned long flags; /* CLONE_*, without the exit signal */
	int exit_signal; /* sent to the parent at exit (SIGCHLD, or 0) */
	unsigned long stack; /* the child's user stack pointer; 0: the parent's */
	/* mmsim: the child starts without an address space, as a child of
	 * kernel_thread() does before its kernel_execve(). */
	bool no_mm;
	bool kthread; /* a kernel thread: PF_KTHREAD, no mm */
	/* mmsim: the task that forks, when not current (it need not be
	 * running: init forks a scenario's processes, kthreadd kernel
	 * threads). */
	struct task_struct *parent;
};

/* Linux's kernel_clone(): a copy of current (copy_process) that does not
 * run until a caller makes it current. Returns the child's pid (its
 * thread id for CLONE_THREAD), or -errno: -EINVAL for a bad flag
 * combination, -EAGAIN past RLIMIT_NPROC, max_threads or pid_max,
 * -ENOMEM. With
 * CLONE_VFORK current then sleeps (TASK_UNINTERRUPTIBLE, state D) until
 * the child execs or exits, and this CPU switches to its idle task. */
long kernel_clone(struct kernel_clone_args *args);

/* exec (fs/exec.c) is done with tsk's old mm: a parent waiting in vfork
 * wakes up (exec_mm_release). */
void exec_mm_release(struct task_struct *tsk, struct mm_struct *mm);

/* mmsim: a new process, child of current (or of swapper when none
 * runs), running img as kernel_init's kernel_execve() does. NULL with
 * -errno in *err on failure. current is unchanged. */
struct task_struct *create_user_process(const struct exec_image *img, int *err);
/* The same as if parent (a task that need not be running) had forked
 * the process: a scenario's processes are children of init. */
struct task_struct *spawn_user_process(struct task_struct *parent,
				       const struct exec_image *img, int *err);

/* ---- between fork.c and exit.c ------------------------------------------- */

/* pid 1 while it lives, else swapper (pid_ns->child_reaper). */
struct task_struct *child_reaper(void);
/* Frees tsk's kernel stack (a dead task no longer needs it). */
void put_task_stack(struct task_struct *tsk);
/* exit is done with tsk's mm: a parent waiting in vfork wakes up. */
void exit_mm_release(struct task_struct *tsk, struct mm_struct *mm);
/* Whether some CPU runs tsk; each CPU running it switches to its idle
 * task (tsk sleeps or died). */
bool task_on_cpu(const struct task_struct *tsk);
void switch_away_from(struct task_struct *tsk);

/* ---- kernel/exit.c: tasks going away ---------------------------------------- */

/* exit_group(): current and every other thread of its process exit with
 * exit_code (a wait status: (status & 0xff) << 8, or a signal number). */
void do_group_exit(int exit_code);
/* Frees a task: pid, lists, signal, task_struct (Linux's release_task()
 * of a reaped task). mmsim: a task that has not exited yet is taken out
 * of use first, as if killed (its process exits, children go to the
 * child reaper), without the "Attempted to kill init!" panic; tests and
 * tools use that to end the processes they made. */
void release_task(struct task_struct *t);

#endif
