/* The scheduler's system calls and their kernel helpers
 * (kernel/sched/syscalls.c): policies and priorities
 * (sched_setscheduler, nice, setpriority), sched_yield, CPU affinity and
 * their permission checks for an unprivileged task. */
#include <errno.h>
#include <string.h>
#include <time.h>

#include "kernel/pid.h"
#include "kernel/sched/sched.h"
#include "kernel/syscalls.h"
#include "mm/vmstat.h"

#ifndef PRIO_PROCESS
#define PRIO_PROCESS 0
#define PRIO_PGRP 1
#define PRIO_USER 2
#endif

static bool rt_policy(int policy)
{
	return policy == SCHED_FIFO || policy == SCHED_RR;
}

static bool valid_policy(int policy)
{
	return policy == SCHED_NORMAL || policy == SCHED_BATCH ||
	       policy == SCHED_IDLE || rt_policy(policy);
}

static unsigned long task_rlimit(const struct task_struct *p, unsigned limit)
{
	return p->signal ? p->signal->rlim[limit].rlim_cur : 0;
}

/* A task the scheduler knows (pid 0: current), or NULL. */
static struct task_struct *find_process_by_pid(int pid)
{
	struct task_struct *p = pid ? find_task_by_vpid(pid) : current;

	return p && p->sched_class && !is_idle_task(p) ? p : NULL;
}

bool can_nice(const struct task_struct *p, int nice)
{
	/* nice_to_rlimit(): RLIMIT_NICE n allows nice down to 20 - n. */
	return (unsigned long)(20 - nice) <= task_rlimit(p, RLIMIT_NICE);
}

/* ---- nice ---------------------------------------------------------------- */

void set_user_nice(struct task_struct *p, long nice)
{
	bool queued, running;
	struct rq *rq;
	int old_prio;

	if (nice < MIN_NICE || nice > MAX_NICE || task_nice(p) == nice)
		return;
	if (!p->sched_class || rt_policy((int)p->policy)) {
		/* RT tasks keep the nice level for when they go back to CFS. */
		p->static_prio = NICE_TO_PRIO((int)nice);
		return;
	}
	rq = task_rq(p);
	queued = task_on_rq_queued(p);
	running = task_current(rq, p);
	update_curr_now(rq);
	if (queued)
		dequeue_task(rq, p, DEQUEUE_SAVE);
	if (running)
		put_prev_task(rq, p);
	p->static_prio = NICE_TO_PRIO((int)nice);
	set_load_weight(p);
	old_prio = p->prio;
	p->prio = p->normal_prio = normal_prio(p);
	if (queued)
		enqueue_task(rq, p, ENQUEUE_RESTORE);
	if (running)
		p->sched_class->set_next_task(rq, p, false);
	p->sched_class->prio_changed(rq, p, old_prio);
}

long sys_nice(int increment)
{
	int nice;

	increment = clamp(increment, -NICE_WIDTH, NICE_WIDTH);
	nice = clamp(task_nice(current) + increment, MIN_NICE, MAX_NICE);
	if (increment < 0 && !can_nice(current, nice))
		return -EPERM;
	set_user_nice(current, nice);
	return 0;
}

/* Only PRIO_PROCESS: there are no process groups or users yet. */
long sys_setpriority(int which, int who, int niceval)
{
	struct task_struct *p;

	if (which != PRIO_PROCESS)
		return -EINVAL;
	niceval = clamp(niceval, MIN_NICE, MAX_NICE);
	p = find_process_by_pid(who);
	if (!p)
		return -ESRCH;
	if (niceval < task_nice(p) && !can_nice(p, niceval))
		return -EACCES;
	set_user_nice(p, niceval);
	return 0;
}

/* The system call's value: 20 - nice (1..40); glibc turns it back. */
long sys_getpriority(int which, int who)
{
	struct task_struct *p;

	if (which != PRIO_PROCESS)
		return -EINVAL;
	p = find_process_by_pid(who);
	if (!p)
		return -ESRCH;
	return 20 - task_nice(p);
}

/* ---- policies ------------------------------------------------------------ */

static int user_check_sched_setscheduler(struct task_struct *p, int policy,
					 int prio, bool reset_on_fork)
{
	if (rt_policy(policy)) {
		unsigned long rlim_rtprio = task_rlimit(p, RLIMIT_RTPRIO);

		if (policy != (int)p->policy && !rlim_rtprio)
			return -EPERM;
		if ((unsigned long)prio > p->rt_priority &&
		    (unsigned long)prio > rlim_rtprio)
			return -EPERM;
	}
	if (p->policy == SCHED_IDLE && policy != SCHED_IDLE &&
	    !can_nice(p, task_nice(p)))
		return -EPERM;
	if (p->sched_reset_on_fork && !reset_on_fork)
		return -EPERM;
	return 0;
}

static void check_class_changed(struct rq *rq, struct task_struct *p,
				const struct sched_class *prev_class,
				int oldprio)
{
	if (prev_class != p->sched_class) {
		if (prev_class->switched_from)
			prev_class->switched_from(rq, p);
		if (p->sched_class->switched_to)
			p->sched_class->switched_to(rq, p);
	} else if (oldprio != p->prio) {
		p->sched_class->prio_changed(rq, p, oldprio);
	}
}

static bool changes_nothing(const struct task_struct *p, int policy, int prio,
			    bool reset_on_fork)
{
	return policy == (int)p->policy &&
	       (!rt_policy(policy) || (unsigned int)prio == p->rt_priority) &&
	       reset_on_fork == p->sched_reset_on_fork;
}

/* Requeues p under its new policy: a task whose priority dropped goes to
 * the head of its new list (POSIX), and its class sees the change. */
static void setscheduler_requeue(struct task_struct *p, int policy, int prio)
{
	struct rq *rq = task_rq(p);
	bool queued = task_on_rq_queued(p), running = task_current(rq, p);
	const struct sched_class *prev_class = p->sched_class;
	int oldprio = p->prio;

	update_curr_now(rq);
	if (queued)
		dequeue_task(rq, p, DEQUEUE_SAVE | DEQUEUE_MOVE);
	if (running)
		put_prev_task(rq, p);
	p->policy = (unsigned int)policy;
	p->rt_priority = (unsigned int)prio;
	p->normal_prio = normal_prio(p);
	set_load_weight(p);
	p->prio = p->normal_prio;
	p->sched_class = __setscheduler_class(p->prio);
	if (queued)
		enqueue_task(rq, p,
			     ENQUEUE_RESTORE | ENQUEUE_MOVE |
				     (oldprio < p->prio ? ENQUEUE_HEAD : 0));
	if (running)
		p->sched_class->set_next_task(rq, p, true);
	check_class_changed(rq, p, prev_class, oldprio);
}

static int __sched_setscheduler(struct task_struct *p, int policy,
				const struct sched_param *param, bool user)
{
	bool reset_on_fork = (policy & SCHED_RESET_ON_FORK) != 0;
	int prio, ret;

	policy &= ~SCHED_RESET_ON_FORK;
	if (!p || !param || !p->sched_class || is_idle_task(p))
		return -EINVAL;
	if (!valid_policy(policy))
		return -EINVAL;
	prio = param->sched_priority;
	if (prio < 0 || prio > MAX_RT_PRIO - 1 ||
	    rt_policy(policy) != (prio != 0))
		return -EINVAL;
	if (user) {
		ret = user_check_sched_setscheduler(p, policy, prio,
						    reset_on_fork);
		if (ret)
			return ret;
	}
	if (!changes_nothing(p, policy, prio, reset_on_fork))
		setscheduler_requeue(p, policy, prio);
	p->sched_reset_on_fork = reset_on_fork;
	return 0;
}

int sched_setscheduler(struct task_struct *p, int policy,
		       const struct sched_param *param)
{
	return __sched_setscheduler(p, policy, param, true);
}

int sched_setscheduler_nocheck(struct task_struct *p, int policy,
			       const struct sched_param *param)
{
	return __sched_setscheduler(p, policy, param, false);
}

long sys_sched_setscheduler(int pid, int policy,
			    const struct sched_param *param)
{
	struct task_struct *p;

	if (!param || pid < 0 || policy < 0)
		return -EINVAL;
	p = find_process_by_pid(pid);
	if (!p)
		return -ESRCH;
	return sched_setscheduler(p, policy, param);
}

long sys_sched_setparam(int pid, const struct sched_param *param)
{
	struct task_struct *p;

	if (!param || pid < 0)
		return -EINVAL;
	p = find_process_by_pid(pid);
	if (!p)
		return -ESRCH;
	return sched_setscheduler(
		p,
		(int)p->policy |
			(p->sched_reset_on_fork ? SCHED_RESET_ON_FORK : 0),
		param);
}

long sys_sched_getscheduler(int pid)
{
	struct task_struct *p;

	if (pid < 0)
		return -EINVAL;
	p = find_process_by_pid(pid);
	if (!p)
		return -ESRCH;
	return (long)p->policy |
	       (p->sched_reset_on_fork ? SCHED_RESET_ON_FORK : 0);
}

long sys_sched_getparam(int pid, struct sched_param *param)
{
	struct task_struct *p;

	if (!param || pid < 0)
		return -EINVAL;
	p = find_process_by_pid(pid);
	if (!p)
		return -ESRCH;
	param->sched_priority =
		rt_policy((int)p->policy) ? (int)p->rt_priority : 0;
	return 0;
}

long sys_sched_get_priority_max(int policy)
{
	if (rt_policy(policy))
		return MAX_RT_PRIO - 1;
	if (valid_policy(policy) || policy == SCHED_DEADLINE)
		return 0;
	return -EINVAL;
}

long sys_sched_get_priority_min(int policy)
{
	if (rt_policy(policy))
		return 1;
	if (valid_policy(policy) || policy == SCHED_DEADLINE)
		return 0;
	return -EINVAL;
}

long sys_sched_rr_get_interval(int pid, struct timespec *interval)
{
	struct task_struct *p;
	unsigned int slice = 0;
	uint64_t ns;

	if (pid < 0 || !interval)
		return -EINVAL;
	p = find_process_by_pid(pid);
	if (!p)
		return -ESRCH;
	if (p->sched_class->get_rr_interval)
		slice = p->sched_class->get_rr_interval(task_rq(p), p);
	ns = jiffies_to_nsecs(slice);
	interval->tv_sec = (time_t)(ns / NSEC_PER_SEC);
	interval->tv_nsec = (long)(ns % NSEC_PER_SEC);
	return 0;
}

long sys_sched_yield(void)
{
	struct rq *rq = this_rq();

	if (current != rq->curr || is_idle_task(current))
		return 0;
	update_curr_now(rq);
	current->sched_class->yield_task(rq);
	schedule();
	return 0;
}

/* ---- affinity ------------------------------------------------------------ */

int set_cpus_allowed_ptr(struct task_struct *p, const unsigned long *mask)
{
	DECLARE_BITMAP(new_mask, NR_CPUS) = { 0 };
	struct rq *rq;
	int cpu;

	for_each_online_cpu(cpu)
		if (test_bit((unsigned long)cpu, mask))
			__set_bit((unsigned long)cpu, new_mask);
	if (bitmap_weight(new_mask, NR_CPUS) == 0 || is_idle_task(p))
		return -EINVAL;
	memcpy(p->cpus_mask, new_mask, sizeof(p->cpus_mask));
	p->nr_cpus_allowed = (int)bitmap_weight(new_mask, NR_CPUS);
	if (!p->sched_class || cpu_allowed(p, task_cpu(p)))
		return 0;
	rq = task_rq(p);
	if (task_current(rq, p)) {
		/* It moves when it leaves the CPU (__schedule). */
		resched_curr(rq);
	} else if (task_on_rq_queued(p)) {
		update_rq_clock(rq);
		move_queued_task(rq, p, select_task_rq(p, task_cpu(p), 0));
	}
	return 0;
}

/* cpumask_size(): the bytes of a mask of the machine's CPUs. */
static unsigned int cpumask_size(void)
{
	return (unsigned int)(BITS_TO_LONGS(M->nr_cpus) * sizeof(long));
}

long sys_sched_setaffinity(int pid, unsigned int len,
			   const unsigned long *user_mask_ptr)
{
	DECLARE_BITMAP(mask, NR_CPUS) = { 0 };
	struct task_struct *p;

	if (!user_mask_ptr)
		return -EFAULT;
	memcpy(mask, user_mask_ptr, min(len, cpumask_size()));
	p = find_process_by_pid(pid);
	if (!p)
		return -ESRCH;
	return set_cpus_allowed_ptr(p, mask);
}

long sys_sched_getaffinity(int pid, unsigned int len,
			   unsigned long *user_mask_ptr)
{
	unsigned int ret = min(len, cpumask_size());
	struct task_struct *p;

	if ((unsigned long)len * 8 < (unsigned long)M->nr_cpus ||
	    (len & (sizeof(long) - 1)))
		return -EINVAL;
	if (!user_mask_ptr)
		return -EFAULT;
	p = find_process_by_pid(pid);
	if (!p)
		return -ESRCH;
	memcpy(user_mask_ptr, p->cpus_mask, ret);
	return ret;
}
