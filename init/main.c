/* The first processes (init/main.c rest_init): init, pid 1, the user
 * process that adopts orphans and reaps them, and kthreadd, pid 2, the
 * parent of kernel threads. mmsim's init is a built-in program, not an
 * executable: it waits for its children, for ever, as /sbin/init's main
 * loop does. It cannot be killed (SIGNAL_UNKILLABLE). */
#include "init/main.h"

#include <stdio.h>
#include <errno.h>
#include <sys/wait.h>

#include "fs/binfmts.h"
#include "kernel/fork.h"
#include "kernel/kthread.h"
#include "kernel/pid.h"
#include "kernel/sched/run.h"
#include "kernel/sched/task.h"
#include "kernel/syscalls.h"
#include "mm/swap.h"

/* Reaps every zombie child, then sleeps until a child exits. */
static int init_loop(struct task_struct *p, void *data)
{
	long ret;

	(void)data;
	do
		ret = sys_wait4(-1, NULL, __WALL, NULL);
	while (ret > 0);
	if (ret == -ECHILD) {
		/* No children yet: one that comes and exits wakes us. */
		add_wait_queue(&p->signal->wait_chldexit, &p->child_wait);
		set_current_state(TASK_INTERRUPTIBLE);
		schedule();
	}
	return TASK_BODY_RUN;
}

bool rest_init(char *err, size_t errlen)
{
	struct exec_image img;
	struct task_struct *init;
	int ret;

	if (find_task_by_vpid(1)) {
		snprintf(err, errlen, "rest_init: the machine has processes");
		return false;
	}
	set_current_task(NULL);
	exec_image_default(&img, "/sbin/init", 0x40000, 0x2000, 0x2000);
	init = create_user_process(&img, &ret);
	if (!init || !kthreadd_start() || !kswapd_init()) {
		snprintf(err, errlen, "rest_init: cannot start %s (error %d)",
			 init ? "kthreadd" : "init", init ? -ENOMEM : ret);
		return false;
	}
	init->signal->flags |= SIGNAL_UNKILLABLE;
	task_body_set(init, init_loop, NULL);
	return true;
}
