/* The engine (kernel/sched/run.h): runs task bodies on the CPUs, plays
 * their CPU work out in virtual time, and moves the clock from event to
 * event. Each CPU whose state changed (a resched, the end of its current
 * task's work) is looked at, in CPU order, before time moves on. */
#include "kernel/sched/run.h"

#include "arch/tlbflush.h"
#include "kernel/printk.h"
#include "kernel/sched/sched.h"
#include "kernel/signal.h"
#include "kernel/syscalls.h"
#include "mm/mm.h"
#include "mm/vmstat.h"

/* Steps in a row that neither take time, nor sleep, nor exit. */
#define MAX_IDLE_STEPS 10000u
/* Body steps at one instant on the whole machine before time is forced
 * to move (a loop of zero-cost wakeups). */
#define MAX_STEPS_PER_INSTANT 100000u
#define FORCED_STEP_NS 1000u

void task_body_set(struct task_struct *p, task_body_fn fn, void *arg)
{
	p->body.fn = fn;
	p->body.arg = arg;
	p->body.idle_steps = 0;
}

bool in_task_body(void)
{
	return M && M->sched && M->sched->in_body;
}

void compute(uint64_t ns)
{
	struct task_struct *t = current;

	if (t && !(t->flags & PF_IDLE))
		t->body.user_ns += ns;
}

static uint64_t task_work_left(const struct task_struct *p)
{
	return p->body.sys_ns + p->body.user_ns;
}

void task_work_update(struct rq *rq)
{
	struct task_struct *p = rq->curr;
	uint64_t delta = M->clock_ns - rq->work_stamp, sys, user;

	if (!delta || M->clock_ns < rq->work_stamp)
		return;
	rq->work_stamp = M->clock_ns;
	if (is_idle_task(p)) {
		account_idle_time(rq, delta);
		return;
	}
	sys = min(delta, p->body.sys_ns);
	p->body.sys_ns -= sys;
	user = min(delta - sys, p->body.user_ns);
	p->body.user_ns -= user;
	/* Time with no work left (between steps) is the kernel's. */
	account_system_time(p, delta - user);
	if (user)
		account_user_time(p, user);
}

void task_work_arm(struct rq *rq)
{
	uint64_t end = M->clock_ns + task_work_left(rq->curr);

	if (!hrtimer_is_queued(&rq->work_timer) ||
	    rq->work_timer.expires != end)
		hrtimer_start_on(&rq->work_timer, end, rq->cpu);
}

enum hrtimer_restart task_work_timer_fn(struct hrtimer *timer)
{
	sched_dispatch_cpu(timer->cpu);
	return HRTIMER_NORESTART;
}

/* current and its loaded mm follow the runqueue again (after callers
 * of set_current_task() borrowed the CPU). */
static void sync_current(int cpu)
{
	struct task_struct *t = cpu_rq(cpu)->curr;

	if (M->cpus[cpu].curr == t)
		return;
	M->this_cpu = cpu;
	M->cpus[cpu].curr = t;
	if (t->mm)
		switch_mm(this_cpu_loaded_mm(), t->mm, t);
	else
		enter_lazy_tlb(this_cpu_loaded_mm(), t);
}

/* The body has ended: its task exits (as a thread function returning
 * does) unless it did already, and dies when the step is played out. */
static void body_exit(struct task_struct *p)
{
	if (p->flags & PF_EXITING)
		return;
	M->sched->in_body++;
	do_exit(0);
	M->sched->in_body--;
}

/* Runs one step of p's body; afterwards p has work, sleeps, exits, asks
 * to schedule, or made no progress (counted). */
static void run_body_step(struct task_struct *p)
{
	struct task_body *b = &p->body;
	int ret;

	hrtimer_cancel(&b->timer); /* the last sleep is over */
	b->flags &= ~TASK_BODY_SCHEDULE;
	M->sched->in_body++;
	/* Signals first, as on the return to user mode. */
	if (signal_pending(p) && get_signal())
		ret = TASK_BODY_RUN;
	else
		ret = b->fn(p, b->arg);
	M->sched->in_body--;
	if (ret == TASK_BODY_EXIT)
		body_exit(p);
	if (task_work_left(p) || p->__state != TASK_RUNNING ||
	    (b->flags & TASK_BODY_SCHEDULE) || this_rq()->need_resched) {
		b->idle_steps = 0;
		return;
	}
	if (++b->idle_steps < MAX_IDLE_STEPS)
		return;
	WARN(1, "%s[%d]: task body made no progress in %u steps; stopped\n",
	     p->comm, p->pid, MAX_IDLE_STEPS);
	body_exit(p);
}

/* Guards against a loop of steps that never lets time move. */
static void count_instant_step(struct task_struct *p)
{
	struct sched_state *s = M->sched;

	if (s->instant != M->clock_ns) {
		s->instant = M->clock_ns;
		s->instant_steps = 0;
	}
	if (++s->instant_steps < MAX_STEPS_PER_INSTANT)
		return;
	WARN(1,
	     "no virtual time passed in %u task body steps; %s[%d] takes %u ns\n",
	     MAX_STEPS_PER_INSTANT, p->comm, p->pid, FORCED_STEP_NS);
	p->body.sys_ns += FORCED_STEP_NS;
	s->instant_steps = 0;
}

/* What cpu does now: switch tasks if asked, then play the current
 * task's work out, put it to sleep, or run its next step. */
static void run_cpu(int cpu)
{
	struct rq *rq = cpu_rq(cpu);

	M->this_cpu = cpu;
	for (;;) {
		struct task_struct *p;

		if (rq->need_resched && !preempt_count())
			__schedule(true);
		p = rq->curr;
		if (is_idle_task(p))
			return;
		task_work_update(rq);
		if (task_work_left(p)) {
			task_work_arm(rq);
			return;
		}
		hrtimer_cancel(&rq->work_timer);
		if (p->__state != TASK_RUNNING ||
		    (p->body.flags & TASK_BODY_SCHEDULE)) {
			p->body.flags &= ~TASK_BODY_SCHEDULE;
			__schedule(false);
			continue;
		}
		if (!p->body.fn) {
			/* Nothing to run: it waits, as in pause(). */
			p->__state = TASK_INTERRUPTIBLE;
			__schedule(false);
			continue;
		}
		count_instant_step(p);
		run_body_step(p);
	}
}

static void dispatch_cpus(void)
{
	unsigned long *mask = M->sched->dispatch;
	unsigned long cpu;

	while ((cpu = find_first_bit(mask, (unsigned long)M->nr_cpus)) <
	       (unsigned long)M->nr_cpus) {
		__clear_bit(cpu, mask);
		run_cpu((int)cpu);
	}
}

void sched_run_until(uint64_t ns)
{
	int saved = M->this_cpu, cpu;

	if (WARN(M->sched->in_body, "sched_run_until() from a task body\n"))
		return;
	for_each_online_cpu(cpu) {
		sync_current(cpu);
		sched_dispatch_cpu(cpu);
	}
	dispatch_cpus();
	while (hrtimer_run_next(ns))
		dispatch_cpus();
	if (M->clock_ns < ns)
		M->clock_ns = ns;
	for_each_online_cpu(cpu) {
		M->this_cpu = cpu;
		update_curr_now(cpu_rq(cpu));
	}
	M->this_cpu = saved;
}

bool sched_machine_idle(void)
{
	int cpu;

	for_each_online_cpu(cpu)
		if (cpu_rq(cpu)->nr_running)
			return false;
	return true;
}

void sched_run_for(uint64_t ns)
{
	sched_run_until(M->clock_ns + ns);
}
