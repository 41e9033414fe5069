/* Running the machine over virtual time: each CPU runs its current
 * task's body, the task's CPU work is played out in virtual time, and
 * the clock jumps from event to event (timers, ticks, the end of a piece
 * of work). Linux has no such file: this is the CPU itself.
 *
 * THE TASK BODY. What a simulated task does is a C function, its body,
 * called one step at a time while the task is current on a CPU
 * (current == p, smp_processor_id() == its CPU, the clock at the step's
 * start). A step does some of the task's work and returns:
 *
 *   - TASK_BODY_RUN to be called again, or TASK_BODY_EXIT when the task
 *     is done: it then exits with do_exit(0) if it has not exited in the
 *     step itself (do_exit(), exit_group()).
 *
 * During a step the body may:
 *   - compute(ns): ask for ns of CPU time in user mode;
 *   - make system calls and touch memory: their costs (cost_charge(),
 *     kernel/cost.h) add CPU time in the kernel;
 *   - sleep: hrtimer_nanosleep(), schedule_timeout() after
 *     set_current_state(), io_schedule(), or prepare_to_wait() on a
 *     wait queue (kernel/sched/wait.h) and schedule();
 *   - give up the CPU with sched_yield(), or wake other tasks;
 *   - make a call that would block (wait4): it sleeps and returns
 *     -ERESTARTSYS, and the body makes the same call at its next step.
 * None of these block inside the step: a step runs at one instant. The
 * engine then plays the step out: the CPU time it asked for runs first
 * (kernel time, then user time; the task can be preempted by a tick or
 * a wakeup in the middle and resumes where it was), and then, if the
 * task had set a sleeping state, it sleeps. Its next step comes when
 * that work is done and the task is running again (after its wakeup).
 * A body that waits for a condition re-checks it at its next step
 * (prepare_to_wait, check, schedule; next step: check again, or
 * finish_wait) exactly as Linux's wait loops re-check after schedule().
 *
 * So a step is one slice of a program between two points where Linux
 * could switch tasks; a step that does long work should return after
 * about a tick of it, so that costs land close to when they happen.
 * Lua coroutines plug in here: the body resumes the task's coroutine,
 * whose compute()/sleep()/wait primitives call the functions above and
 * yield; the body returns when the coroutine yields, and TASK_BODY_EXIT
 * when it finishes. A step that neither asks for time, nor sleeps, nor
 * exits is called again at once; 10000 such steps in a row are a bug in
 * the body: a WARNING, and the task is stopped (as TASK_BODY_EXIT). And
 * if 100000 steps of all tasks pass at one instant (tasks waking each
 * other at no cost), a WARNING, and the step takes 1 us.
 */
#ifndef MMSIM_KERNEL_SCHED_RUN_H
#define MMSIM_KERNEL_SCHED_RUN_H

#include <stdbool.h>
#include <stdint.h>

#include "kernel/sched/task.h"

enum {
	TASK_BODY_RUN = 0, /* call the body again */
	TASK_BODY_EXIT = 1, /* the task's program has ended */
};

/* task_body.flags */
#define TASK_BODY_SCHEDULE 0x1u /* schedule() was called in this step */

/* Gives p its body: fn(p, arg) runs whenever p is current and has no
 * CPU work left. Set it after sched_fork() (which leaves a new task
 * without one) and before wake_up_new_task(). */
void task_body_set(struct task_struct *p, task_body_fn fn, void *arg);

/* Whether a task body step is running (current is that task). */
bool in_task_body(void);

/* Asks for ns of CPU time in user mode for current (accumulates over a
 * step). */
void compute(uint64_t ns);

/* Runs the machine until the clock reads ns (no-op if it is past):
 * every event up to ns happens, then the CPU time of running tasks is
 * accounted up to ns. Each CPU's current task is the scheduler's again
 * first (undoing set_current_task()). Not from a task body. */
void sched_run_until(uint64_t ns);
/* sched_run_until(now + ns). */
void sched_run_for(uint64_t ns);
/* No CPU has a task to run: until the next timer (hrtimer_next_expiry)
 * nothing happens, and time may jump to it (NO_HZ idle). */
bool sched_machine_idle(void);

#endif
