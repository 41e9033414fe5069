/* Kernel threads (include/linux/kthread.h): tasks with no address space
 * that run a body in the kernel, children of kthreadd (pid 2) once it
 * runs, shown by ps in brackets. */
#ifndef MMSIM_KERNEL_KTHREAD_H
#define MMSIM_KERNEL_KTHREAD_H

#include "kernel/sched/entity.h"

struct task_struct;

/* A kernel thread named as printf(namefmt, ...) running fn(task, data)
 * (kernel/sched/run.h), queued to run; its body returning ends it. NULL
 * when it cannot be created (-ENOMEM, -EAGAIN). */
struct task_struct *kthread_run(task_body_fn fn, void *data,
				const char *namefmt, ...)
	__attribute__((format(printf, 3, 4)));

/* kthreadd: pid 2, the parent of kernel threads. */
struct task_struct *kthreadd_start(void);

#endif
