/* Kernel threads (kernel/kthread.c). Linux's kthread_create() asks
 * kthreadd to fork the thread and waits for it; mmsim forks it at once
 * with kthreadd as its parent, which is what a user sees in /proc.
 * kthreadd itself then has nothing to do and sleeps. */
#include "kernel/kthread.h"

#include <signal.h>
#include <stdarg.h>
#include <stdio.h>

#include "kernel/fork.h"
#include "kernel/pid.h"
#include "kernel/sched/run.h"
#include "kernel/sched/task.h"

/* A kernel thread forked by parent; the caller names it and gives it a
 * body before the machine runs. */
static struct task_struct *kernel_thread(struct task_struct *parent)
{
	struct kernel_clone_args args = {
		.flags = CLONE_VM | CLONE_UNTRACED,
		.exit_signal = SIGCHLD,
		.kthread = true,
		.parent = parent,
	};
	long pid = kernel_clone(&args);

	return pid < 0 ? NULL : find_task_by_vpid((pid_t)pid);
}

struct task_struct *kthread_run(task_body_fn fn, void *data,
				const char *namefmt, ...)
{
	struct task_struct *t =
		kernel_thread(M->kthreadd ? M->kthreadd : M->init_task);
	va_list ap;

	if (!t)
		return NULL;
	va_start(ap, namefmt);
	vsnprintf(t->comm, sizeof(t->comm), namefmt, ap);
	va_end(ap);
	task_body_set(t, fn, data);
	return t;
}

/* kthreadd's loop: no requests come (threads are forked directly). */
static int kthreadd(struct task_struct *p, void *data)
{
	(void)p;
	(void)data;
	set_current_state(TASK_INTERRUPTIBLE);
	schedule();
	return TASK_BODY_RUN;
}

struct task_struct *kthreadd_start(void)
{
	M->kthreadd = kthread_run(kthreadd, NULL, "kthreadd");
	return M->kthreadd;
}
