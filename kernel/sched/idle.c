/* The idle class (kernel/sched/idle.c): each CPU's swapper/N runs when
 * no other task can; anything that wakes preempts it. Idle CPUs have no
 * tick and pull work when they go idle (kernel/sched/fair.c). */
#include "kernel/printk.h"
#include "kernel/sched/sched.h"

static void enqueue_task_idle(struct rq *rq, struct task_struct *p, int flags)
{
	(void)rq;
	(void)flags;
	WARN(1, "bad: scheduling from the idle thread: %s\n", p->comm);
}

static void dequeue_task_idle(struct rq *rq, struct task_struct *p, int flags)
{
	(void)rq;
	(void)flags;
	WARN(1, "bad: scheduling from the idle thread: %s\n", p->comm);
}

static void yield_task_idle(struct rq *rq)
{
	(void)rq;
}

static void wakeup_preempt_idle(struct rq *rq, struct task_struct *p, int flags)
{
	(void)p;
	(void)flags;
	resched_curr(rq);
}

static struct task_struct *pick_next_task_idle(struct rq *rq)
{
	return rq->idle;
}

static void put_prev_task_idle(struct rq *rq, struct task_struct *p)
{
	(void)rq;
	(void)p;
}

static void set_next_task_idle(struct rq *rq, struct task_struct *p, bool first)
{
	(void)rq;
	(void)p;
	(void)first;
}

static int select_task_rq_idle(struct task_struct *p, int cpu, int flags)
{
	(void)cpu;
	(void)flags;
	return task_cpu(p);
}

static void task_tick_idle(struct rq *rq, struct task_struct *p)
{
	(void)rq;
	(void)p;
}

const struct sched_class idle_sched_class = {
	.rank = 0,
	.enqueue_task = enqueue_task_idle,
	.dequeue_task = dequeue_task_idle,
	.yield_task = yield_task_idle,
	.wakeup_preempt = wakeup_preempt_idle,
	.pick_next_task = pick_next_task_idle,
	.put_prev_task = put_prev_task_idle,
	.set_next_task = set_next_task_idle,
	.select_task_rq = select_task_rq_idle,
	.task_tick = task_tick_idle,
};
