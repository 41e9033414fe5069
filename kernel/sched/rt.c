/* The real-time class (kernel/sched/rt.c): SCHED_FIFO and SCHED_RR at
 * priorities 1..99 in per-priority lists found through a bitmap; FIFO
 * runs until it blocks or yields, RR rotates every 100 ms. RT bandwidth
 * throttling keeps 950 ms of each 1 s period for RT tasks per CPU (the
 * rest goes to CFS); push and pull move waiting RT tasks to CPUs
 * running lower priorities. */
#include "kernel/printk.h"
#include "kernel/sched/sched.h"
#include "mm/vmstat.h"

static struct sched_state *S(void)
{
	return M->sched;
}

static uint64_t rt_period_ns(void)
{
	return (uint64_t)S()->sysctl_sched_rt_period * NSEC_PER_USEC;
}

static bool rt_bandwidth_enabled(void)
{
	return S()->sysctl_sched_rt_runtime >= 0;
}

void init_rt_rq(struct rt_rq *rt_rq)
{
	struct rt_prio_array *array = &rt_rq->active;

	for (int i = 0; i < MAX_RT_PRIO; i++)
		INIT_LIST_HEAD(&array->queue[i]);
	__set_bit(MAX_RT_PRIO, array->bitmap); /* delimiter for the search */
	rt_rq->highest_prio = MAX_RT_PRIO;
	rt_rq->rt_runtime =
		rt_bandwidth_enabled() ?
			(uint64_t)S()->sysctl_sched_rt_runtime * NSEC_PER_USEC :
			RUNTIME_INF;
}

static struct rq *rq_of_rt_rq(struct rt_rq *rt_rq)
{
	return container_of(rt_rq, struct rq, rt);
}

static int first_rt_prio(const struct rt_rq *rt_rq)
{
	return (int)find_first_bit(rt_rq->active.bitmap, MAX_RT_PRIO + 1);
}

/* ---- throttling ---------------------------------------------------------- */

/* The RT tasks count in rq->nr_running again (sched_rt_rq_enqueue). */
static void sched_rt_rq_enqueue(struct rt_rq *rt_rq)
{
	struct rq *rq = rq_of_rt_rq(rt_rq);

	if (rt_rq->rt_queued || !rt_rq->rt_nr_running || rt_rq->rt_throttled)
		return;
	rq->nr_running += rt_rq->rt_nr_running;
	rt_rq->rt_queued = true;
	if (rt_rq->highest_prio < rq->curr->prio)
		resched_curr(rq);
}

static void sched_rt_rq_dequeue(struct rt_rq *rt_rq)
{
	if (!rt_rq->rt_queued)
		return;
	rq_of_rt_rq(rt_rq)->nr_running -= rt_rq->rt_nr_running;
	rt_rq->rt_queued = false;
}

static bool sched_rt_runtime_exceeded(struct rt_rq *rt_rq)
{
	uint64_t runtime = rt_rq->rt_runtime;

	if (rt_rq->rt_throttled)
		return true;
	if (runtime == RUNTIME_INF || runtime >= rt_period_ns())
		return false;
	if (rt_rq->rt_time > runtime) {
		rt_rq->rt_throttled = true;
		pr_warn_once("sched: RT throttling activated\n");
		sched_rt_rq_dequeue(rt_rq);
		return true;
	}
	return false;
}

/* do_sched_rt_period_timer(): each period gives back a period's
 * runtime; throttled queues run again. Returns whether no CPU has RT
 * time or tasks left (the timer can stop). */
static bool do_sched_rt_period_timer(uint64_t overrun)
{
	bool idle = true;
	int cpu;

	for_each_online_cpu(cpu) {
		struct rt_rq *rt_rq = &cpu_rq(cpu)->rt;
		bool enqueue = false;

		update_rq_clock(cpu_rq(cpu));
		if (rt_rq->rt_time) {
			uint64_t runtime = rt_rq->rt_runtime;

			if (runtime == RUNTIME_INF)
				rt_rq->rt_time = 0;
			else
				rt_rq->rt_time -=
					min(rt_rq->rt_time, overrun * runtime);
			if (rt_rq->rt_throttled && rt_rq->rt_time < runtime) {
				rt_rq->rt_throttled = false;
				enqueue = true;
			}
			if (rt_rq->rt_time || rt_rq->rt_nr_running)
				idle = false;
		} else if (rt_rq->rt_nr_running) {
			idle = false;
			if (!rt_rq->rt_throttled)
				enqueue = true;
		}
		if (enqueue)
			sched_rt_rq_enqueue(rt_rq);
	}
	return idle;
}

static enum hrtimer_restart sched_rt_period_timer(struct hrtimer *timer)
{
	bool idle = false;
	uint64_t overrun;

	while ((overrun = hrtimer_forward_now(timer, rt_period_ns())))
		idle = do_sched_rt_period_timer(overrun);
	return idle ? HRTIMER_NORESTART : HRTIMER_RESTART;
}

void init_rt_bandwidth(void)
{
	hrtimer_setup(&S()->rt_period_timer, sched_rt_period_timer);
}

/* The period timer runs while RT tasks do; periods start at multiples of
 * the period since boot. */
static void start_rt_bandwidth(void)
{
	struct hrtimer *timer = &S()->rt_period_timer;

	if (!rt_bandwidth_enabled() || hrtimer_active(timer))
		return;
	hrtimer_forward_now(timer, rt_period_ns());
	hrtimer_start_on(timer, timer->expires, smp_processor_id());
}

static void update_curr_rt(struct rq *rq)
{
	struct task_struct *curr = rq->curr;
	struct rt_rq *rt_rq = &rq->rt;
	int64_t delta;

	if (curr->sched_class != &rt_sched_class)
		return;
	delta = (int64_t)(rq_clock(rq) - curr->se.exec_start);
	if (delta <= 0)
		return;
	curr->se.sum_exec_runtime += (uint64_t)delta;
	curr->se.exec_start = rq_clock(rq);
	if (!rt_bandwidth_enabled())
		return;
	/* sched_rt_bandwidth_account() */
	if (hrtimer_active(&S()->rt_period_timer) ||
	    rt_rq->rt_time < rt_rq->rt_runtime)
		rt_rq->rt_time += (uint64_t)delta;
	if (sched_rt_runtime_exceeded(rt_rq))
		resched_curr(rq);
}

/* ---- queueing ------------------------------------------------------------ */

/* rto_mask: CPUs with RT tasks waiting behind the running one. */
static void update_rt_overload(struct rq *rq)
{
	if (rq->rt.rt_nr_running > 1)
		__set_bit((unsigned long)rq->cpu, S()->rto_mask);
	else
		__clear_bit((unsigned long)rq->cpu, S()->rto_mask);
}

static void enqueue_task_rt(struct rq *rq, struct task_struct *p, int flags)
{
	struct rt_rq *rt_rq = &rq->rt;
	struct list_head *queue = &rt_rq->active.queue[p->prio];

	if (flags & ENQUEUE_HEAD)
		list_add(&p->rt.run_list, queue);
	else
		list_add_tail(&p->rt.run_list, queue);
	__set_bit((unsigned long)p->prio, rt_rq->active.bitmap);
	p->rt.on_rq = 1;
	rt_rq->rt_nr_running++;
	if (p->prio < rt_rq->highest_prio)
		rt_rq->highest_prio = p->prio;
	if (rt_rq->rt_queued)
		rq->nr_running++;
	else
		sched_rt_rq_enqueue(rt_rq);
	update_rt_overload(rq);
	start_rt_bandwidth();
}

static void dequeue_task_rt(struct rq *rq, struct task_struct *p, int flags)
{
	struct rt_rq *rt_rq = &rq->rt;
	struct list_head *queue = &rt_rq->active.queue[p->prio];

	(void)flags;
	update_curr_rt(rq);
	list_del_init(&p->rt.run_list);
	if (list_empty(queue))
		__clear_bit((unsigned long)p->prio, rt_rq->active.bitmap);
	p->rt.on_rq = 0;
	rt_rq->rt_nr_running--;
	rt_rq->highest_prio = first_rt_prio(rt_rq);
	if (rt_rq->rt_queued) {
		rq->nr_running--;
		if (!rt_rq->rt_nr_running)
			rt_rq->rt_queued = false;
	}
	update_rt_overload(rq);
}

static void requeue_task_rt(struct rq *rq, struct task_struct *p, bool head)
{
	struct list_head *queue = &rq->rt.active.queue[p->prio];

	if (head)
		list_move(&p->rt.run_list, queue);
	else
		list_move_tail(&p->rt.run_list, queue);
}

static void yield_task_rt(struct rq *rq)
{
	requeue_task_rt(rq, rq->curr, false);
}

static void wakeup_preempt_rt(struct rq *rq, struct task_struct *p, int flags)
{
	(void)flags;
	if (p->prio < rq->curr->prio)
		resched_curr(rq);
}

static struct task_struct *pick_next_task_rt(struct rq *rq)
{
	int idx;

	if (!rq->rt.rt_queued)
		return NULL;
	idx = first_rt_prio(&rq->rt);
	if (idx >= MAX_RT_PRIO)
		return NULL;
	return list_first_entry(&rq->rt.active.queue[idx], struct task_struct,
				rt.run_list);
}

static void set_next_task_rt(struct rq *rq, struct task_struct *p, bool first)
{
	(void)first;
	p->se.exec_start = rq_clock(rq);
}

static void put_prev_task_rt(struct rq *rq, struct task_struct *p)
{
	(void)p;
	update_curr_rt(rq);
}

/* SCHED_RR: at the end of its slice the task goes behind the others of
 * its priority. */
static void task_tick_rt(struct rq *rq, struct task_struct *p)
{
	update_curr_rt(rq);
	if (p->policy != SCHED_RR || !p->rt.on_rq)
		return;
	if (--p->rt.time_slice)
		return;
	p->rt.time_slice = (unsigned int)S()->sched_rr_timeslice;
	if (!list_is_singular(&rq->rt.active.queue[p->prio])) {
		requeue_task_rt(rq, p, false);
		resched_curr(rq);
	}
}

/* ---- choosing CPUs ------------------------------------------------------- */

/* cpupri: how urgent the work on cpu is (higher = less): idle, CFS,
 * then the RT priority running there. */
static int cpu_prio(int cpu)
{
	const struct rq *rq = cpu_rq(cpu);

	if (idle_cpu(cpu))
		return MAX_PRIO + 1;
	if (rq->rt.rt_queued)
		return min(rq->rt.highest_prio, rq->curr->prio);
	return rt_prio(rq->curr->prio) ? rq->curr->prio : MAX_PRIO;
}

/* The allowed CPU running the least urgent work, less urgent than p;
 * its own CPU first on ties, then in order. -1 if none. */
static int find_lowest_rq(struct task_struct *p)
{
	int start = task_cpu(p), best = -1, best_prio = p->prio;

	for (int i = 0; i < M->nr_cpus; i++) {
		int cpu = (start + i) % M->nr_cpus;
		int prio;

		if (!cpu_allowed(p, cpu) || cpu_rq(cpu)->rt.rt_throttled)
			continue;
		prio = cpu_prio(cpu);
		if (prio > best_prio) {
			best = cpu;
			best_prio = prio;
		}
	}
	return best;
}

static int select_task_rq_rt(struct task_struct *p, int cpu, int wake_flags)
{
	struct task_struct *curr = cpu_rq(cpu)->curr;
	int target;

	(void)wake_flags;
	if (!rt_task(curr) ||
	    (curr->nr_cpus_allowed > 1 && curr->prio > p->prio))
		return cpu;
	target = find_lowest_rq(p);
	return target >= 0 ? target : cpu;
}

/* The most urgent RT task of rq that waits (not running) and could
 * run on dst (-1: anywhere but rq). */
static struct task_struct *pick_pushable_task(struct rq *rq, int dst)
{
	for (int prio = first_rt_prio(&rq->rt); prio < MAX_RT_PRIO;
	     prio = (int)find_next_bit(rq->rt.active.bitmap, MAX_RT_PRIO + 1,
				       (unsigned long)prio + 1)) {
		struct task_struct *p;

		list_for_each_entry(p, &rq->rt.active.queue[prio],
				    rt.run_list) {
			if (task_current(rq, p) || p->nr_cpus_allowed < 2)
				continue;
			if (dst < 0 || cpu_allowed(p, dst))
				return p;
		}
	}
	return NULL;
}

void push_rt_tasks(struct rq *rq)
{
	for (int n = 0; n < M->nr_cpus && rq->rt.rt_nr_running > 1; n++) {
		struct task_struct *p = pick_pushable_task(rq, -1);
		int target;

		if (!p)
			return;
		if (p->prio < rq->curr->prio) {
			resched_curr(rq);
			return;
		}
		target = find_lowest_rq(p);
		if (target < 0 || target == rq->cpu)
			return;
		update_rq_clock(rq);
		move_queued_task(rq, p, target);
	}
}

void pull_rt_task(struct rq *this)
{
	struct task_struct *best = NULL;
	int prio = this->rt.rt_queued ? this->rt.highest_prio : MAX_RT_PRIO;
	unsigned long cpu;

	for_each_set_bit(cpu, S()->rto_mask, (unsigned long)M->nr_cpus)
	{
		struct rq *src = cpu_rq((int)cpu);
		struct task_struct *p;

		if (src == this)
			continue;
		p = pick_pushable_task(src, this->cpu);
		/* One about to preempt its own CPU's task stays there. */
		if (p && p->prio < prio && p->prio >= src->curr->prio) {
			best = p;
			prio = p->prio;
		}
	}
	if (best) {
		update_rq_clock(task_rq(best));
		move_queued_task(task_rq(best), best, this->cpu);
	}
}

/* ---- class changes ------------------------------------------------------- */

static void prio_changed_rt(struct rq *rq, struct task_struct *p, int oldprio)
{
	if (!task_on_rq_queued(p))
		return;
	if (task_current(rq, p)) {
		if (oldprio < p->prio && rq->rt.highest_prio < p->prio)
			resched_curr(rq);
	} else if (p->prio < rq->curr->prio) {
		resched_curr(rq);
	}
}

static void switched_to_rt(struct rq *rq, struct task_struct *p)
{
	if (task_on_rq_queued(p) && !task_current(rq, p) &&
	    p->prio < rq->curr->prio)
		resched_curr(rq);
}

static unsigned int get_rr_interval_rt(struct rq *rq, struct task_struct *p)
{
	(void)rq;
	return p->policy == SCHED_RR ? (unsigned int)S()->sched_rr_timeslice :
				       0;
}

const struct sched_class rt_sched_class = {
	.rank = 2,
	.enqueue_task = enqueue_task_rt,
	.dequeue_task = dequeue_task_rt,
	.yield_task = yield_task_rt,
	.wakeup_preempt = wakeup_preempt_rt,
	.pick_next_task = pick_next_task_rt,
	.put_prev_task = put_prev_task_rt,
	.set_next_task = set_next_task_rt,
	.select_task_rq = select_task_rq_rt,
	.task_tick = task_tick_rt,
	.switched_to = switched_to_rt,
	.prio_changed = prio_changed_rt,
	.update_curr = update_curr_rt,
	.get_rr_interval = get_rr_interval_rt,
};
