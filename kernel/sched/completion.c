/* Completions (kernel/sched/completion.c): done counts and exclusive
 * waiters, with the task-body form of wait_for_completion(_io). */
#include "kernel/sched/completion.h"

#include "kernel/sched/task.h"

void init_completion(struct completion *x)
{
	x->done = 0;
	init_waitqueue_head(&x->wait);
}

void reinit_completion(struct completion *x)
{
	x->done = 0;
}

void complete(struct completion *x)
{
	if (x->done != UINT_MAX)
		x->done++;
	wake_up(&x->wait);
}

void complete_all(struct completion *x)
{
	x->done = UINT_MAX;
	wake_up_all(&x->wait);
}

bool completion_done(struct completion *x)
{
	return x->done != 0;
}

bool try_wait_for_completion(struct completion *x)
{
	if (!x->done)
		return false;
	if (x->done != UINT_MAX)
		x->done--;
	return true;
}

/* One step of do_wait_for_common(): consume a done, or queue and sleep. */
static bool wait_step(struct completion *x, struct wait_queue_entry *wait,
		      bool io)
{
	if (!wait->func)
		init_wait(wait);
	if (try_wait_for_completion(x)) {
		finish_wait(&x->wait, wait);
		return true;
	}
	wait->private = current;
	might_sleep();
	prepare_to_wait_exclusive(&x->wait, wait, TASK_UNINTERRUPTIBLE);
	if (io)
		io_schedule();
	else
		schedule();
	return false;
}

bool wait_for_completion_step(struct completion *x,
			      struct wait_queue_entry *wait)
{
	return wait_step(x, wait, false);
}

bool wait_for_completion_io_step(struct completion *x,
				 struct wait_queue_entry *wait)
{
	return wait_step(x, wait, true);
}
