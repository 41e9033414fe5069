/* The scheduler core (kernel/sched/core.c): runqueues, enqueue and
 * dequeue through the classes, waking tasks (try_to_wake_up, the CPU
 * chosen by the task's class), __schedule() with context_switch() and
 * its lazy-TLB mm handling, the tick, fork and the idle tasks' setup,
 * and the "BUG: scheduling while atomic" / might_sleep() checks. */
#include <stdlib.h>
#include <string.h>

#include "arch/tlbflush.h"
#include "kernel/fork.h"
#include "kernel/printk.h"
#include "kernel/sched/run.h"
#include "kernel/sched/sched.h"
#include "mm/mm.h"
#include "mm/pgtable.h"
#include "mm/vmstat.h"

/* Nice levels -20..19 to load weights (each step ~1.25x), Linux's
 * sched_prio_to_weight[]. */
/* clang-format off */
static const unsigned long sched_prio_to_weight[NICE_WIDTH] = {
	/* -20 */ 88761, 71755, 56483, 46273, 36291,
	/* -15 */ 29154, 23254, 18705, 14949, 11916,
	/* -10 */ 9548,  7620,  6100,  4904,  3906,
	/*  -5 */ 3121,  2501,  1991,  1586,  1277,
	/*   0 */ 1024,  820,   655,   526,   423,
	/*   5 */ 335,   272,   215,   172,   137,
	/*  10 */ 110,   87,    70,    56,    45,
	/*  15 */ 36,    29,    23,    18,    15,
};
/* clang-format on */

/* 100 ms in jiffies (RR_TIMESLICE). */
#define RR_TIMESLICE (100 * HZ / 1000)

static struct task_struct *parent_of_new(void)
{
	return current ? current : M->init_task;
}

void set_load_weight(struct task_struct *p)
{
	if (p->policy == SCHED_IDLE)
		p->se.load.weight = WEIGHT_IDLEPRIO;
	else
		p->se.load.weight =
			sched_prio_to_weight[p->static_prio - MAX_RT_PRIO];
}

int normal_prio(const struct task_struct *p)
{
	if (p->policy == SCHED_FIFO || p->policy == SCHED_RR)
		return MAX_RT_PRIO - 1 - (int)p->rt_priority;
	return p->static_prio;
}

const struct sched_class *__setscheduler_class(int prio)
{
	return rt_prio(prio) ? &rt_sched_class : &fair_sched_class;
}

/* ---- boot ---------------------------------------------------------------- */

static void init_rq(int cpu)
{
	struct rq *rq = cpu_rq(cpu);

	rq->cpu = cpu;
	init_cfs_rq(&rq->cfs);
	init_rt_rq(&rq->rt);
	hrtimer_setup(&rq->work_timer, task_work_timer_fn);
	rq->curr = rq->idle = M->cpus[cpu].idle;
	rq->clock = M->clock_ns;
	rq->work_stamp = M->clock_ns;
}

static void __sched_fork(struct task_struct *p)
{
	p->on_rq = 0;
	memset(&p->se, 0, sizeof(p->se));
	RB_CLEAR_NODE(&p->se.run_node);
	INIT_LIST_HEAD(&p->rt.run_list);
	p->rt.time_slice = (unsigned int)M->sched->sched_rr_timeslice;
	p->rt.on_rq = 0;
	memset(&p->sched_info, 0, sizeof(p->sched_info));
	p->utime = p->stime = 0;
	memset(&p->body, 0, sizeof(p->body)); /* no body until given one */
	hrtimer_setup(&p->body.timer, NULL);
}

static void set_cpus_all(struct task_struct *p)
{
	int cpu;

	memset(p->cpus_mask, 0, sizeof(p->cpus_mask));
	for_each_online_cpu(cpu)
		__set_bit((unsigned long)cpu, p->cpus_mask);
	p->nr_cpus_allowed = M->nr_cpus;
}

/* init_idle(): swapper/N runs on its CPU only, in the idle class. */
static void init_idle(struct task_struct *idle, int cpu)
{
	__sched_fork(idle);
	idle->__state = TASK_RUNNING;
	idle->policy = SCHED_NORMAL;
	idle->static_prio = idle->normal_prio = idle->prio = DEFAULT_PRIO;
	set_load_weight(idle);
	memset(idle->cpus_mask, 0, sizeof(idle->cpus_mask));
	__set_bit((unsigned long)cpu, idle->cpus_mask);
	idle->nr_cpus_allowed = 1;
	idle->cpu = idle->wake_cpu = cpu;
	idle->on_cpu = 1;
	idle->sched_class = &idle_sched_class;
}

bool sched_init_smp(void)
{
	struct sched_state *s;
	int cpu;

	s = calloc(1, sizeof(*s) + sizeof(struct rq) * (size_t)M->nr_cpus);
	if (!s)
		return false;
	M->sched = s;
	s->tunable_scaling = SCHED_TUNABLESCALING_LOG;
	s->sysctl_sched_rt_period = 1000000;
	s->sysctl_sched_rt_runtime = 950000;
	s->sched_rr_timeslice = RR_TIMESLICE;
	sched_update_tunables();
	for_each_online_cpu(cpu)
		init_rq(cpu);
	init_rt_bandwidth();
	calc_load_init();
	psi_init();
	tick_init();
	for_each_online_cpu(cpu)
		init_idle(M->cpus[cpu].idle, cpu);
	return true;
}

void sched_destroy(struct machine *m)
{
	free(m->sched);
	m->sched = NULL;
}

/* ---- runqueue changes ---------------------------------------------------- */

void resched_curr(struct rq *rq)
{
	if (rq->need_resched)
		return;
	rq->need_resched = true;
	sched_dispatch_cpu(rq->cpu);
}

void sched_info_enqueue(struct task_struct *p)
{
	if (!p->sched_info.last_queued)
		p->sched_info.last_queued = M->clock_ns ? M->clock_ns : 1;
}

static void sched_info_dequeue(struct task_struct *p)
{
	if (p->sched_info.last_queued) {
		p->sched_info.run_delay +=
			M->clock_ns -
			min(M->clock_ns, p->sched_info.last_queued);
		p->sched_info.last_queued = 0;
	}
}

static void sched_info_arrive(struct task_struct *p)
{
	sched_info_dequeue(p);
	p->sched_info.pcount++;
	p->sched_info.last_arrival = M->clock_ns;
}

void enqueue_task(struct rq *rq, struct task_struct *p, int flags)
{
	if (!(flags & ENQUEUE_RESTORE)) {
		sched_info_enqueue(p);
		psi_enqueue(p);
	}
	p->sched_class->enqueue_task(rq, p, flags);
}

void dequeue_task(struct rq *rq, struct task_struct *p, int flags)
{
	if (!(flags & DEQUEUE_SAVE)) {
		sched_info_dequeue(p);
		psi_dequeue(p, flags & DEQUEUE_SLEEP);
	}
	p->sched_class->dequeue_task(rq, p, flags);
}

void activate_task(struct rq *rq, struct task_struct *p, int flags)
{
	enqueue_task(rq, p, flags);
	p->on_rq = TASK_ON_RQ_QUEUED;
}

void deactivate_task(struct rq *rq, struct task_struct *p, int flags)
{
	p->on_rq = (flags & DEQUEUE_SLEEP) ? 0 : TASK_ON_RQ_MIGRATING;
	dequeue_task(rq, p, flags);
}

void wakeup_preempt(struct rq *rq, struct task_struct *p, int flags)
{
	const struct sched_class *cur = rq->curr->sched_class;

	if (p->sched_class == cur)
		cur->wakeup_preempt(rq, p, flags);
	else if (sched_class_above(p->sched_class, cur))
		resched_curr(rq);
}

static void __set_task_cpu(struct task_struct *p, int cpu)
{
	p->cpu = p->wake_cpu = cpu;
}

void set_task_cpu(struct task_struct *p, int new_cpu)
{
	if (task_cpu(p) == new_cpu)
		return;
	if (p->sched_class->migrate_task_rq)
		p->sched_class->migrate_task_rq(p, new_cpu);
	p->se.nr_migrations++;
	__set_task_cpu(p, new_cpu);
}

void move_queued_task(struct rq *rq, struct task_struct *p, int new_cpu)
{
	struct rq *dst = cpu_rq(new_cpu);

	deactivate_task(rq, p, 0);
	set_task_cpu(p, new_cpu);
	update_rq_clock(dst);
	activate_task(dst, p, 0);
	wakeup_preempt(dst, p, 0);
}

bool idle_cpu(int cpu)
{
	const struct rq *rq = cpu_rq(cpu);

	return rq->curr == rq->idle && !rq->nr_running;
}

/* An allowed CPU for p: its own if allowed, else the first allowed. */
static int select_fallback_rq(const struct task_struct *p)
{
	int cpu;

	if (cpu_allowed(p, task_cpu(p)))
		return task_cpu(p);
	for_each_allowed_cpu(cpu, p) return cpu;
	return 0;
}

int select_task_rq(struct task_struct *p, int cpu, int wake_flags)
{
	if (p->nr_cpus_allowed > 1)
		cpu = p->sched_class->select_task_rq(p, cpu, wake_flags);
	else
		cpu = (int)find_first_bit(p->cpus_mask,
					  (unsigned long)M->nr_cpus);
	if (cpu < 0 || cpu >= M->nr_cpus || !cpu_allowed(p, cpu))
		cpu = select_fallback_rq(p);
	return cpu;
}

/* ---- fork and wakeups ---------------------------------------------------- */

void sched_fork(struct task_struct *p)
{
	struct task_struct *parent = parent_of_new();

	__sched_fork(p);
	p->__state = TASK_NEW;
	if (parent->sched_class && !is_idle_task(parent)) {
		p->policy = parent->policy;
		p->static_prio = parent->static_prio;
		p->rt_priority = parent->rt_priority;
		p->sched_reset_on_fork = parent->sched_reset_on_fork;
		memcpy(p->cpus_mask, parent->cpus_mask, sizeof(p->cpus_mask));
		p->nr_cpus_allowed = parent->nr_cpus_allowed;
	} else {
		/* Children of swapper (kernel_init's): every CPU, nice 0. */
		p->policy = SCHED_NORMAL;
		p->static_prio = DEFAULT_PRIO;
		p->rt_priority = 0;
		p->sched_reset_on_fork = false;
		set_cpus_all(p);
	}
	if (p->sched_reset_on_fork) {
		if (p->policy == SCHED_FIFO || p->policy == SCHED_RR) {
			p->policy = SCHED_NORMAL;
			p->rt_priority = 0;
			p->static_prio = DEFAULT_PRIO;
		} else if (PRIO_TO_NICE(p->static_prio) < 0) {
			p->static_prio = DEFAULT_PRIO;
		}
		p->sched_reset_on_fork = false;
	}
	p->normal_prio = normal_prio(p);
	p->prio = p->normal_prio;
	set_load_weight(p);
	p->sched_class = __setscheduler_class(p->prio);
	__set_task_cpu(p, smp_processor_id());
	p->on_cpu = 0;
	if (p->sched_class->task_fork)
		p->sched_class->task_fork(p);
}

void wake_up_new_task(struct task_struct *p)
{
	struct rq *rq;
	int cpu;

	if (WARN(!p->sched_class, "wake_up_new_task: %s[%d] was not forked\n",
		 p->comm, p->pid))
		sched_fork(p);
	p->__state = TASK_RUNNING;
	cpu = select_task_rq(p, task_cpu(p), WF_FORK);
	__set_task_cpu(p, cpu);
	rq = cpu_rq(cpu);
	update_rq_clock(rq);
	activate_task(rq, p, ENQUEUE_INITIAL);
	wakeup_preempt(rq, p, WF_FORK);
}

/* The woken task is still queued (it has not scheduled out yet): it
 * only becomes TASK_RUNNING again. */
static int ttwu_runnable(struct task_struct *p, int wake_flags)
{
	struct rq *rq = task_rq(p);

	if (!task_current(rq, p)) {
		update_rq_clock(rq);
		wakeup_preempt(rq, p, wake_flags);
	}
	/* Woken before it left its CPU: its io_schedule() never slept, so
	 * nothing counted it as waiting for I/O (io_schedule_finish()). */
	p->in_iowait = false;
	p->__state = TASK_RUNNING;
	return 1;
}

int try_to_wake_up(struct task_struct *p, unsigned int state, int wake_flags)
{
	int en_flags = ENQUEUE_WAKEUP, cpu;
	struct rq *rq;

	if (!(p->__state & state))
		return 0;
	if (p->on_rq)
		return ttwu_runnable(p, wake_flags);
	if (task_contributes_to_load(p))
		task_rq(p)->nr_uninterruptible--;
	if (p->in_iowait) {
		task_work_update(task_rq(p)); /* its CPU waited until now */
		task_rq(p)->nr_iowait--;
		p->in_iowait = false;
	}
	hrtimer_cancel(&p->body.timer);
	p->__state = TASK_WAKING;
	cpu = select_task_rq(p, task_cpu(p), wake_flags | WF_TTWU);
	if (cpu != task_cpu(p)) {
		wake_flags |= WF_MIGRATED;
		en_flags |= ENQUEUE_MIGRATED;
		set_task_cpu(p, cpu);
	}
	rq = cpu_rq(cpu);
	update_rq_clock(rq);
	activate_task(rq, p, en_flags);
	p->__state = TASK_RUNNING;
	wakeup_preempt(rq, p, wake_flags);
	if (p->sched_class == &rt_sched_class && !task_current(rq, p))
		push_rt_tasks(rq);
	return 1;
}

int wake_up_process(struct task_struct *p)
{
	return try_to_wake_up(p, TASK_NORMAL, 0);
}

int wake_up_state(struct task_struct *p, unsigned int state)
{
	return try_to_wake_up(p, state, 0);
}

/* ---- the tick ------------------------------------------------------------ */

void update_curr_now(struct rq *rq)
{
	update_rq_clock(rq);
	task_work_update(rq);
	if (rq->curr->sched_class->update_curr)
		rq->curr->sched_class->update_curr(rq);
}

void sched_tick(void)
{
	struct rq *rq = this_rq();
	struct task_struct *curr = rq->curr;

	update_curr_now(rq);
	curr->sched_class->task_tick(rq, curr);
	if (!is_idle_task(curr))
		trigger_load_balance(rq);
}

/* ---- __schedule ---------------------------------------------------------- */

static void __schedule_bug(struct task_struct *prev)
{
	pr_err("BUG: scheduling while atomic: %s/%d/0x%08x\n", prev->comm,
	       prev->pid, (unsigned int)preempt_count());
	print_cpu_line();
	add_taint(TAINT_WARN);
	M->nr_bugs++;
}

static void schedule_debug(struct task_struct *prev, bool preempt)
{
	if (!preempt && preempt_count()) {
		__schedule_bug(prev);
		M->cpus[smp_processor_id()].preempt_count = 0;
	}
}

void put_prev_task(struct rq *rq, struct task_struct *prev)
{
	prev->sched_class->put_prev_task(rq, prev);
}

static struct task_struct *pick_next_task(struct rq *rq)
{
	static const struct sched_class *const classes[] = {
		&rt_sched_class, &fair_sched_class, &idle_sched_class
	};

	for (size_t i = 0; i < ARRAY_SIZE(classes); i++) {
		struct task_struct *p = classes[i]->pick_next_task(rq);

		if (p)
			return p;
	}
	return rq->idle;
}

static void mmgrab_lazy_tlb(struct mm_struct *mm)
{
	if (mm && mm != &init_mm)
		mm->mm_count++;
}

static void mmdrop_lazy_tlb(struct mm_struct *mm)
{
	if (mm && mm != &init_mm)
		mmdrop(mm);
}

/* The address-space side of a switch: a kernel thread borrows the mm
 * loaded on the CPU (lazy TLB) and holds a reference to it; a user task
 * loads its own, and the borrowed one is dropped after the switch. */
static void switch_mm_side(struct rq *rq, struct task_struct *prev,
			   struct task_struct *next)
{
	if (!next->mm) {
		enter_lazy_tlb(prev->active_mm, next);
		next->active_mm = prev->active_mm;
		if (prev->mm)
			mmgrab_lazy_tlb(prev->active_mm);
		else
			prev->active_mm = NULL;
	} else {
		switch_mm_irqs_off(prev->active_mm, next->mm, next);
		if (!prev->mm) {
			rq->prev_mm = prev->active_mm;
			prev->active_mm = NULL;
		}
	}
}

static void finish_task_switch(struct rq *rq, struct task_struct *prev)
{
	struct mm_struct *mm = rq->prev_mm;

	rq->prev_mm = NULL;
	prev->on_cpu = 0;
	mmdrop_lazy_tlb(mm);
	if (prev->__state == TASK_DEAD) {
		/* It will never run again: its stack and own reference go. */
		put_task_stack(prev);
		put_task_struct(prev);
	}
}

static void context_switch(struct rq *rq, struct task_struct *prev,
			   struct task_struct *next)
{
	int cpu = rq->cpu;

	next->on_cpu = 1;
	if (!is_idle_task(prev) && task_on_rq_queued(prev))
		sched_info_enqueue(prev);
	if (!is_idle_task(next))
		sched_info_arrive(next);
	psi_sched_switch(prev, next);
	switch_mm_side(rq, prev, next);
	rq->curr = next;
	M->cpus[cpu].curr = next;
	finish_task_switch(rq, prev);
	rq->work_stamp = M->clock_ns;
	hrtimer_cancel(&rq->work_timer);
	if (is_idle_task(next)) {
		tick_nohz_idle_enter(cpu);
	} else {
		tick_nohz_idle_exit(cpu);
		cost_charge(COST_CONTEXT_SWITCH);
	}
}

/* prev leaves the CPU: asleep (not TASK_RUNNING, unless preempted),
 * moved away if it may no longer run here, or back in its queue. */
static void schedule_prev(struct rq *rq, struct task_struct *prev, bool preempt,
			  unsigned long **switch_count)
{
	*switch_count = &prev->nivcsw;
	/* mmsim: a task killed while running leaves at a preemption too
	 * (in Linux it would first run its own do_exit()). */
	if ((!preempt || prev->__state == TASK_DEAD) &&
	    prev->__state != TASK_RUNNING) {
		deactivate_task(rq, prev, DEQUEUE_SLEEP);
		if (task_contributes_to_load(prev))
			rq->nr_uninterruptible++;
		if (prev->in_iowait)
			rq->nr_iowait++;
		*switch_count = &prev->nvcsw;
	}
	put_prev_task(rq, prev);
	if (task_on_rq_queued(prev) && !is_idle_task(prev) &&
	    !cpu_allowed(prev, rq->cpu))
		move_queued_task(rq, prev, select_task_rq(prev, rq->cpu, 0));
}

void __schedule(bool preempt)
{
	struct rq *rq = this_rq();
	struct task_struct *prev = rq->curr, *next;
	unsigned long *switch_count;

	schedule_debug(prev, preempt);
	update_rq_clock(rq);
	task_work_update(rq);
	schedule_prev(rq, prev, preempt, &switch_count);
	if (!rq->nr_running)
		sched_balance_newidle(rq);
	if (!rq->rt.rt_queued)
		pull_rt_task(rq);
	next = pick_next_task(rq);
	next->sched_class->set_next_task(rq, next, true);
	rq->need_resched = false;
	if (next != prev) {
		rq->nr_switches++;
		++*switch_count;
		context_switch(rq, prev, next);
	}
	push_rt_tasks(rq);
	sched_dispatch_cpu(rq->cpu);
}

/* current was made current by set_current_task(), not by the
 * scheduler: if it sleeps, it leaves its runqueue (or, running on a CPU,
 * is switched out there); it stays current until the next run. */
static void schedule_borrowed(struct task_struct *p)
{
	struct rq *rq;

	if (!p->sched_class || !p->on_rq || p->__state == TASK_RUNNING)
		return;
	rq = task_rq(p);
	if (task_current(rq, p)) {
		resched_curr(rq);
		return;
	}
	update_rq_clock(rq);
	deactivate_task(rq, p, DEQUEUE_SLEEP);
}

void schedule(void)
{
	struct task_struct *p = current;

	if (p != this_rq()->curr) {
		schedule_borrowed(p);
		return;
	}
	if (M->sched->in_body) {
		p->body.flags |= TASK_BODY_SCHEDULE;
		return;
	}
	__schedule(false);
}

void kick_process(struct task_struct *p)
{
	struct rq *rq;

	if (!p->sched_class)
		return;
	rq = task_rq(p);
	if (!task_current(rq, p) || !p->body.user_ns)
		return;
	update_curr_now(rq);
	p->body.user_ns = 0;
	sched_dispatch_cpu(rq->cpu);
}

bool sched_task_dead(struct task_struct *p)
{
	struct rq *rq;
	int saved;

	if (!p->sched_class)
		return false;
	rq = task_rq(p);
	if (task_current(rq, p))
		update_curr_now(rq); /* its time until now is its own */
	p->__state = TASK_DEAD;
	p->body.user_ns = p->body.sys_ns = 0;
	hrtimer_cancel(&p->body.timer);
	if (!task_current(rq, p)) {
		if (p->on_rq)
			deactivate_task(rq, p, DEQUEUE_SLEEP);
		return false;
	}
	if (in_task_body() && p == current) {
		schedule(); /* when its step returns */
		return true;
	}
	saved = M->this_cpu;
	M->this_cpu = rq->cpu;
	__schedule(false);
	M->this_cpu = saved;
	return true;
}

/* ---- might_sleep --------------------------------------------------------- */

void __might_sleep(const char *file, int line)
{
	if (likely(preempt_count() == 0))
		return;
	pr_err("BUG: sleeping function called from invalid context at %s:%d\n",
	       file, line);
	pr_err("in_atomic(): 1, irqs_disabled(): 0, non_block: 0, pid: %d, name: %s\n",
	       current_pid(), current_comm());
	pr_err("preempt_count: %d, expected: 0\n", preempt_count());
	pr_err("RCU nest depth: 0, expected: 0\n");
	print_cpu_line();
	add_taint(TAINT_WARN);
	M->nr_warns++;
}

/* ---- sleeping ------------------------------------------------------------ */

static enum hrtimer_restart sleep_timer_fn(struct hrtimer *timer)
{
	struct task_struct *p =
		container_of(timer, struct task_struct, body.timer);

	try_to_wake_up(p, TASK_NORMAL, 0);
	return HRTIMER_NORESTART;
}

static void arm_sleep_timer(struct task_struct *p, uint64_t expires)
{
	p->body.timer.function = sleep_timer_fn;
	hrtimer_start_on(&p->body.timer, expires, smp_processor_id());
}

long schedule_timeout(long timeout)
{
	might_sleep();
	if (timeout != MAX_SCHEDULE_TIMEOUT) {
		uint64_t expire;

		if (timeout < 0)
			timeout = 0;
		/* The timer wheel: the tick boundary timeout jiffies on. */
		expire = (M->clock_ns / TICK_NSEC + (uint64_t)timeout) *
			 TICK_NSEC;
		arm_sleep_timer(current, expire);
	}
	schedule();
	return timeout;
}

long schedule_timeout_interruptible(long timeout)
{
	__set_current_state(TASK_INTERRUPTIBLE);
	return schedule_timeout(timeout);
}

long schedule_timeout_uninterruptible(long timeout)
{
	__set_current_state(TASK_UNINTERRUPTIBLE);
	return schedule_timeout(timeout);
}

long schedule_timeout_idle(long timeout)
{
	__set_current_state(TASK_IDLE);
	return schedule_timeout(timeout);
}

void io_schedule(void)
{
	current->in_iowait = true;
	schedule();
}

void hrtimer_nanosleep(uint64_t ns, enum hrtimer_mode mode)
{
	uint64_t expires = mode == HRTIMER_MODE_ABS ? ns : M->clock_ns + ns;

	might_sleep();
	__set_current_state(TASK_INTERRUPTIBLE);
	arm_sleep_timer(current, expires);
	schedule();
}

void msleep(unsigned int msecs)
{
	schedule_timeout_uninterruptible((long)msecs_to_jiffies(msecs) + 1);
}

/* ---- statistics ---------------------------------------------------------- */

uint64_t task_sched_runtime(struct task_struct *p)
{
	struct rq *rq = task_rq(p);

	if (task_current(rq, p) && !is_idle_task(p))
		update_curr_now(rq);
	return p->se.sum_exec_runtime;
}

void task_cputime(struct task_struct *p, uint64_t *utime, uint64_t *stime)
{
	struct rq *rq = task_rq(p);

	if (task_current(rq, p))
		task_work_update(rq);
	*utime = p->utime;
	*stime = p->stime;
}

void thread_group_cputime(struct task_struct *p, uint64_t *utime,
			  uint64_t *stime)
{
	struct task_struct *t;

	*utime = p->signal->utime;
	*stime = p->signal->stime;
	for_each_thread(p, t)
	{
		uint64_t u, s;

		task_cputime(t, &u, &s);
		*utime += u;
		*stime += s;
	}
}

uint64_t kcpustat_cpu(int cpu, int stat)
{
	task_work_update(cpu_rq(cpu));
	return cpu_rq(cpu)->cpustat[stat];
}

unsigned long nr_running(void)
{
	unsigned long n = 0;
	int cpu;

	for_each_online_cpu(cpu)
		n += cpu_rq(cpu)->nr_running;
	return n;
}

unsigned long nr_iowait(void)
{
	unsigned long n = 0;
	int cpu;

	for_each_online_cpu(cpu)
		n += cpu_rq(cpu)->nr_iowait;
	return n;
}

unsigned long nr_uninterruptible(void)
{
	unsigned long n = 0;
	int cpu;

	for_each_online_cpu(cpu)
		n += cpu_rq(cpu)->nr_uninterruptible;
	return n;
}

uint64_t nr_context_switches(void)
{
	uint64_t n = 0;
	int cpu;

	for_each_online_cpu(cpu)
		n += cpu_rq(cpu)->nr_switches;
	return n;
}

struct task_struct *cpu_curr(int cpu)
{
	return cpu_rq(cpu)->curr;
}
