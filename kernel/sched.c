/* The running task of each CPU (kernel/sched/core.c): the idle tasks
 * swapper/N that boot creates, and the switch of current with its
 * address space, until the scheduler of the running-system work picks
 * tasks itself. */
#include <stdio.h>
#include <string.h>

#include "arch/tlbflush.h"
#include "kernel/fork.h"
#include "kernel/printk.h"
#include "kernel/sched.h"
#include "mm/mm.h"
#include "mm/pgtable.h"
#include "mm/vmstat.h"

/* Linux's init_task, init_signals and init_stack: static data of the
 * kernel image (see struct kernel_image). */
static struct task_struct *static_init_task(void)
{
	char *bss = __va(kernel_bss_start(&M->image));
	struct task_struct *t =
		(struct task_struct *)(bss +
				       IMAGE_BSS_INIT_TASK_PAGE * PAGE_SIZE);
	struct signal_struct *sig =
		(struct signal_struct *)((char *)t + ALIGN(sizeof(*t), 64));

	_Static_assert(sizeof(*t) + 64 + sizeof(*sig) <= PAGE_SIZE,
		       "init_task and init_signals share a page");
	memset(t, 0, sizeof(*t));
	memset(sig, 0, sizeof(*sig));
	t->stack = bss + IMAGE_BSS_INIT_STACK_PAGE * PAGE_SIZE;
	task_struct_init(t);
	sig->sigcnt = sig->nr_threads = sig->live = 1;
	init_rlimits(sig->rlim);
	t->signal = sig;
	return t;
}

/* sched_init() and fork_idle(): swapper/N, pid 0, on init_mm. */
bool sched_init(void)
{
	int cpu;

	for_each_online_cpu(cpu) {
		struct task_struct *idle = cpu ? alloc_task_struct() :
						 static_init_task();

		if (!idle)
			return false;
		if (cpu)
			idle->signal = M->init_task->signal;
		snprintf(idle->comm, sizeof(idle->comm), "swapper/%hu",
			 (unsigned short)cpu);
		idle->flags = PF_IDLE | PF_KTHREAD;
		idle->cpu = cpu;
		idle->active_mm = &init_mm;
		idle->real_parent = idle;
		if (!cpu)
			M->init_task = idle;
		M->cpus[cpu].idle = idle;
		M->cpus[cpu].curr = idle;
	}
	return true;
}

/* Whether t may run: not dead, not asleep (in vfork) (the check
 * try_to_wake_up and the scheduler's pick make). */
static bool task_can_run(const struct task_struct *t)
{
	if (t->exit_state || (t->__state & TASK_DEAD))
		return !WARN(1, "set_current_task: %s[%d] has exited\n",
			     t->comm, t->pid);
	if (t->__state != TASK_RUNNING)
		return !WARN(1, "set_current_task: %s[%d] is asleep%s\n",
			     t->comm, t->pid,
			     t->__state == TASK_UNINTERRUPTIBLE ?
				     " (waiting for its vfork child)" :
				     "");
	return true;
}

void set_current_task(struct task_struct *t)
{
	struct task_struct *prev = current;

	if (!t)
		t = M->cpus[M->this_cpu].idle;
	if (!task_can_run(t))
		return;
	current = t;
	if (!t->on_rq) /* a queued task stays on its runqueue's CPU */
		t->cpu = smp_processor_id();
	if (t->mm) {
		switch_mm(prev ? prev->active_mm : NULL, t->mm, t);
		t->active_mm = t->mm;
	} else {
		/* A kernel thread keeps the loaded mm, lazily. */
		enter_lazy_tlb(this_cpu_loaded_mm(), t);
	}
}
