/* The scheduler's interface to the rest of the kernel (include/linux/
 * sched.h, sched/task.h, sched/prio.h, sched/cputime.h, kernel_stat.h):
 * boot, starting and waking tasks, blocking, priorities and policies,
 * CPU affinity, CPU-time accounting and the might_sleep() check. The
 * system calls are in kernel/syscalls.h; running task bodies over
 * virtual time is kernel/sched/run.h. */
#ifndef MMSIM_KERNEL_SCHED_TASK_H
#define MMSIM_KERNEL_SCHED_TASK_H

#include <stdbool.h>
#include <stdint.h>

#include "kernel/sched.h"
#include "kernel/time/hrtimer.h"

struct machine;

struct sched_param {
	int sched_priority;
};

/* /proc/stat's CPU time columns (include/linux/kernel_stat.h). */
enum cpu_usage_stat {
	CPUTIME_USER,
	CPUTIME_NICE,
	CPUTIME_SYSTEM,
	CPUTIME_SOFTIRQ,
	CPUTIME_IRQ,
	CPUTIME_IDLE,
	CPUTIME_IOWAIT,
	CPUTIME_STEAL,
	CPUTIME_GUEST,
	CPUTIME_GUEST_NICE,
	NR_STATS
};

static inline int task_cpu(const struct task_struct *p)
{
	return p->cpu;
}

/* ---- boot ---------------------------------------------------------------- */

/* After sched_init(): runqueues, tunables scaled to the CPU count, the
 * idle tasks' scheduling state, the ticks. */
bool sched_init_smp(void);
/* Frees the runqueues' host memory (machine_destroy). */
void sched_destroy(struct machine *m);

/* ---- starting and waking tasks ------------------------------------------- */

/* copy_process(): p takes current's policy, priority and affinity (or
 * the defaults, with SCHED_RESET_ON_FORK), its CFS place, state
 * TASK_NEW. Every scheduler field of p is set afresh (p may be a copy of
 * its parent's task_struct, as dup_task_struct() makes). p does not run
 * until wake_up_new_task(). */
void sched_fork(struct task_struct *p);
/* Puts a forked task on the runqueue of the least busy allowed CPU. */
void wake_up_new_task(struct task_struct *p);
/* Wakes p if its state is in state: 1 if it was woken, 0 if it was
 * not sleeping in such a state. */
int try_to_wake_up(struct task_struct *p, unsigned int state, int wake_flags);
int wake_up_process(struct task_struct *p);
int wake_up_state(struct task_struct *p, unsigned int state);

/* ---- blocking ------------------------------------------------------------ */

#define __set_current_state(s) (current->__state = (s))
#define set_current_state(s) (current->__state = (s))

/* Gives up the CPU: a task whose state is not TASK_RUNNING sleeps until
 * woken. In a task body, the switch happens when the body step returns
 * (kernel/sched/run.h); elsewhere at once, on this CPU. A task made
 * current by set_current_task() only leaves its runqueue if it sleeps. */
void schedule(void);
/* Sleeps for timeout jiffies in the state the caller set (the wakeup
 * comes at a tick boundary, as the timer wheel gives it); returns at
 * once, the sleep starting when the body step returns.
 * MAX_SCHEDULE_TIMEOUT: no timer. Returns timeout. */
long schedule_timeout(long timeout);
long schedule_timeout_interruptible(long timeout);
long schedule_timeout_uninterruptible(long timeout);
long schedule_timeout_idle(long timeout);
/* schedule() counting the sleep as I/O wait (state D, iowait time). */
void io_schedule(void);
/* Sleeps for ns (HRTIMER_MODE_REL) or until ns (ABS) in
 * TASK_INTERRUPTIBLE, like nanosleep() and clock_nanosleep(). */
void hrtimer_nanosleep(uint64_t ns, enum hrtimer_mode mode);
void msleep(unsigned int msecs);
/* The tick of this CPU (update_process_times): accounting, the class's
 * task_tick (slices, RR rotation, RT bandwidth), load balancing. */
void sched_tick(void);
/* A signal for p, running on its CPU: the user work it was doing is
 * cut short, so that its next body step (and the signal) comes now. */
void kick_process(struct task_struct *p);
/* An exiting task p is TASK_DEAD, with no CPU work left, off its
 * runqueue. Returns true when the scheduler was running p: its CPU
 * switches away (at once, or when p's own body step returns) and
 * finish_task_switch() drops p's kernel stack and own reference;
 * false when the caller lets them go. */
bool sched_task_dead(struct task_struct *p);

/* might_sleep(): a sleep in atomic context (preempt_count() != 0) prints
 * Linux's "BUG: sleeping function called from invalid context". */
void __might_sleep(const char *file, int line);
#define might_sleep() __might_sleep(__FILE__, __LINE__)

/* ---- priorities, policies, CPUs ------------------------------------------ */

static inline int task_nice(const struct task_struct *p)
{
	return PRIO_TO_NICE(p->static_prio);
}

/* The priority /proc/PID/stat shows: prio - MAX_RT_PRIO (-100..39). */
static inline int task_prio(const struct task_struct *p)
{
	return p->prio - MAX_RT_PRIO;
}

static inline bool rt_prio(int prio)
{
	return prio < MAX_RT_PRIO;
}

static inline bool rt_task(const struct task_struct *p)
{
	return rt_prio(p->prio);
}

/* Sets p's nice level (clamped to -20..19), with no permission check. */
void set_user_nice(struct task_struct *p, long nice);
/* Whether current may give p the nice level nice: raising priority
 * needs RLIMIT_NICE (tasks have no CAP_SYS_NICE). */
bool can_nice(const struct task_struct *p, int nice);
/* Linux's checks (policy and priority range, RLIMIT_RTPRIO and
 * RLIMIT_NICE for raising priority): 0 or -EINVAL / -EPERM. policy may
 * carry SCHED_RESET_ON_FORK. */
int sched_setscheduler(struct task_struct *p, int policy,
		       const struct sched_param *param);
/* The same for the kernel's own use: no permission check. */
int sched_setscheduler_nocheck(struct task_struct *p, int policy,
			       const struct sched_param *param);
/* Restricts p to the CPUs of mask (NR_CPUS bits); a task running or
 * queued on a CPU it may no longer use moves at once. 0 or -EINVAL if
 * mask holds no online CPU. */
int set_cpus_allowed_ptr(struct task_struct *p, const unsigned long *mask);

/* ---- CPU time ------------------------------------------------------------ */

/* sum_exec_runtime with the running part up to now (task_sched_runtime). */
uint64_t task_sched_runtime(struct task_struct *p);
/* User and system ns, the running part included. */
void task_cputime(struct task_struct *p, uint64_t *utime, uint64_t *stime);
/* thread_group_cputime(): the whole process's, dead threads included. */
void thread_group_cputime(struct task_struct *p, uint64_t *utime,
			  uint64_t *stime);
/* A column of /proc/stat for cpu (enum cpu_usage_stat in ns). */
uint64_t kcpustat_cpu(int cpu, int stat);
/* The figures of /proc/stat and /proc/loadavg's runnable count. */
unsigned long nr_running(void);
unsigned long nr_iowait(void);
/* Tasks asleep in TASK_UNINTERRUPTIBLE (D), TASK_IDLE excepted. */
unsigned long nr_uninterruptible(void);

/* The load average, /proc/loadavg's first three figures: fixed point
 * with FSHIFT fractional bits (LOAD_INT and LOAD_FRAC split them). */
#define FSHIFT 11
#define FIXED_1 (1UL << FSHIFT)
#define LOAD_INT(x) ((x) >> FSHIFT)
#define LOAD_FRAC(x) LOAD_INT(((x) & (FIXED_1 - 1)) * 100)
void get_avenrun(unsigned long *loads, unsigned long offset, int shift);

/* a1 = a0 * e + a * (1 - e) in that fixed point, rounded up when the
 * load grows (include/linux/sched/loadavg.h). */
static inline unsigned long calc_load(unsigned long load, unsigned long exp,
				      unsigned long active)
{
	unsigned long newload = load * exp + active * (FIXED_1 - exp);

	if (active >= load)
		newload += FIXED_1 - 1;
	return newload / FIXED_1;
}
uint64_t nr_context_switches(void);
/* The task running on cpu (rq->curr). */
struct task_struct *cpu_curr(int cpu);

#endif
