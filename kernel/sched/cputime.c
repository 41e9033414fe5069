/* CPU-time accounting (kernel/sched/cputime.c): user and system time
 * per task and the per-CPU columns of /proc/stat, in ns of virtual time.
 * The engine knows what the CPU was doing every nanosecond (a task's
 * compute() is user time, its charged costs system time, nothing to run
 * is idle or iowait), so accounting is exact, like
 * CONFIG_VIRT_CPU_ACCOUNTING_GEN rather than sampling at ticks. */
#include "kernel/sched/sched.h"

void account_user_time(struct task_struct *p, uint64_t ns)
{
	struct rq *rq = task_rq(p);

	p->utime += ns;
	rq->cpustat[task_nice(p) > 0 ? CPUTIME_NICE : CPUTIME_USER] += ns;
}

void account_system_time(struct task_struct *p, uint64_t ns)
{
	p->stime += ns;
	task_rq(p)->cpustat[CPUTIME_SYSTEM] += ns;
}

void account_idle_time(struct rq *rq, uint64_t ns)
{
	rq->cpustat[rq->nr_iowait ? CPUTIME_IOWAIT : CPUTIME_IDLE] += ns;
}
