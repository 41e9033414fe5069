/* Completions (include/linux/completion.h, kernel/sched/completion.c):
 * a count of "done" events and a wait queue. An I/O's end (a bio's
 * bi_end_io, run by the disk's completion timer) calls complete(); the
 * task that waits for it sleeps in D until then.
 *
 * In a task body a wait cannot block inside the step
 * (kernel/sched/run.h), so wait_for_completion_io() becomes a step:
 *
 *	if (!wait_for_completion_io_step(&s->done, &s->wait))
 *		return TASK_BODY_RUN;	// asleep in D; check again next step
 *	// done: one completion consumed, current is TASK_RUNNING
 *
 * The wait entry lives across steps, in the body's state (zeroed, or set
 * up with init_wait()), never on the C stack. */
#ifndef MMSIM_KERNEL_SCHED_COMPLETION_H
#define MMSIM_KERNEL_SCHED_COMPLETION_H

#include <limits.h>
#include <stdbool.h>

#include "kernel/sched/wait.h"

struct completion {
	unsigned int done; /* UINT_MAX after complete_all() */
	struct wait_queue_head wait;
};

void init_completion(struct completion *x);
/* done goes back to 0 (the waiters stay queued). */
void reinit_completion(struct completion *x);
/* One more done; wakes one waiter. */
void complete(struct completion *x);
/* Done for good: wakes every waiter, and every later wait succeeds. */
void complete_all(struct completion *x);
/* Whether a wait would succeed now (nothing is consumed). */
bool completion_done(struct completion *x);
/* Consumes one done if there is one: true; false otherwise. */
bool try_wait_for_completion(struct completion *x);

/* In a task body: true when a done was consumed (current is running,
 * off the queue). Otherwise current is queued on x with wait
 * (exclusively, as Linux's waiters are) in TASK_UNINTERRUPTIBLE and
 * false is returned: the body returns TASK_BODY_RUN and calls this again
 * at its next step, after complete() woke it. The _io variant sleeps
 * in io_schedule(): /proc shows D, the CPU's idle time counts as
 * iowait and nr_iowait() (procs_blocked) counts the task. */
bool wait_for_completion_step(struct completion *x,
			      struct wait_queue_entry *wait);
bool wait_for_completion_io_step(struct completion *x,
				 struct wait_queue_entry *wait);

#endif
