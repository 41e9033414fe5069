/* The Completely Fair Scheduler (kernel/sched/fair.c as of Linux 6.5,
 * before EEVDF): tasks wait in a red-black tree ordered by vruntime,
 * their runtime weighted by nice level; the leftmost runs. The period
 * sched_latency is shared by weight (slices no shorter than
 * min_granularity), the tick preempts a task past its slice, a wakeup
 * preempts when the woken task is ahead by more than
 * wakeup_granularity, and sleepers come back with up to half a latency
 * of credit. Load balancing moves waiting tasks between CPUs. */
#include "kernel/printk.h"
#include "kernel/sched/sched.h"
#include "mm/vmstat.h"

/* Linux's defaults before scaling (normalized_sysctl_sched_*). */
#define NORMALIZED_LATENCY 6000000ULL
#define NORMALIZED_MIN_GRANULARITY 750000ULL
#define NORMALIZED_WAKEUP_GRANULARITY 1000000ULL
/* Busy CPUs balance 16x less often than idle ones (sd->busy_factor). */
#define BUSY_FACTOR 16

static struct sched_state *S(void)
{
	return M->sched;
}

static struct task_struct *task_of(struct sched_entity *se)
{
	return container_of(se, struct task_struct, se);
}

static struct cfs_rq *cfs_rq_of(struct sched_entity *se)
{
	return &task_rq(task_of(se))->cfs;
}

static struct rq *rq_of(struct cfs_rq *cfs_rq)
{
	return container_of(cfs_rq, struct rq, cfs);
}

/* get_update_sysctl_factor(): 1 + ilog2(CPUs), CPUs capped at 8. */
static unsigned int get_update_sysctl_factor(void)
{
	unsigned int cpus = (unsigned int)min(M->nr_cpus, 8);

	switch (S()->tunable_scaling) {
	case SCHED_TUNABLESCALING_NONE:
		return 1;
	case SCHED_TUNABLESCALING_LINEAR:
		return cpus;
	default:
		return 1 + (unsigned int)ilog2(cpus);
	}
}

void sched_update_tunables(void)
{
	unsigned int factor = get_update_sysctl_factor();

	S()->sysctl_sched_latency = factor * NORMALIZED_LATENCY;
	S()->sysctl_sched_min_granularity = factor * NORMALIZED_MIN_GRANULARITY;
	S()->sysctl_sched_wakeup_granularity =
		factor * NORMALIZED_WAKEUP_GRANULARITY;
	S()->sched_nr_latency = (unsigned int)DIV_ROUND_UP(
		S()->sysctl_sched_latency, S()->sysctl_sched_min_granularity);
}

void init_cfs_rq(struct cfs_rq *cfs_rq)
{
	cfs_rq->tasks_timeline = RB_ROOT;
	cfs_rq->leftmost = NULL;
	/* Starts near the top, as Linux does, so wrapping is exercised. */
	cfs_rq->min_vruntime = (uint64_t)(-(1LL << 20));
}

/* ---- weighted time ------------------------------------------------------- */

/* delta * weight / lw, exactly (Linux uses a 32-bit inverse). */
static uint64_t __calc_delta(uint64_t delta, unsigned long weight,
			     unsigned long lw)
{
	return (uint64_t)((unsigned __int128)delta * weight / lw);
}

static uint64_t calc_delta_fair(uint64_t delta, const struct sched_entity *se)
{
	if (se->load.weight != NICE_0_LOAD)
		delta = __calc_delta(delta, NICE_0_LOAD, se->load.weight);
	return delta;
}

static uint64_t max_vruntime(uint64_t max_vr, uint64_t vruntime)
{
	return (int64_t)(vruntime - max_vr) > 0 ? vruntime : max_vr;
}

static uint64_t min_vruntime(uint64_t min_vr, uint64_t vruntime)
{
	return (int64_t)(vruntime - min_vr) < 0 ? vruntime : min_vr;
}

static bool entity_before(const struct sched_entity *a,
			  const struct sched_entity *b)
{
	return (int64_t)(a->vruntime - b->vruntime) < 0;
}

/* ---- the tree ------------------------------------------------------------ */

static void __enqueue_entity(struct cfs_rq *cfs_rq, struct sched_entity *se)
{
	struct rb_node **link = &cfs_rq->tasks_timeline.rb_node;
	struct rb_node *parent = NULL;
	bool leftmost = true;

	while (*link) {
		parent = *link;
		if (entity_before(se, rb_entry(parent, struct sched_entity,
					       run_node))) {
			link = &parent->rb_left;
		} else {
			link = &parent->rb_right;
			leftmost = false;
		}
	}
	rb_link_node(&se->run_node, parent, link);
	rb_insert_color(&se->run_node, &cfs_rq->tasks_timeline);
	if (leftmost)
		cfs_rq->leftmost = &se->run_node;
}

static void __dequeue_entity(struct cfs_rq *cfs_rq, struct sched_entity *se)
{
	if (cfs_rq->leftmost == &se->run_node)
		cfs_rq->leftmost = rb_next(&se->run_node);
	rb_erase(&se->run_node, &cfs_rq->tasks_timeline);
	RB_CLEAR_NODE(&se->run_node);
}

static struct sched_entity *__pick_first_entity(struct cfs_rq *cfs_rq)
{
	return rb_entry_safe(cfs_rq->leftmost, struct sched_entity, run_node);
}

static struct sched_entity *__pick_next_entity(struct sched_entity *se)
{
	return rb_entry_safe(rb_next(&se->run_node), struct sched_entity,
			     run_node);
}

static void update_min_vruntime(struct cfs_rq *cfs_rq)
{
	struct sched_entity *curr = cfs_rq->curr;
	struct sched_entity *left = __pick_first_entity(cfs_rq);
	uint64_t vruntime = cfs_rq->min_vruntime;

	if (curr && !curr->on_rq)
		curr = NULL;
	if (curr)
		vruntime = curr->vruntime;
	if (left)
		vruntime = curr ? min_vruntime(vruntime, left->vruntime) :
				  left->vruntime;
	cfs_rq->min_vruntime = max_vruntime(cfs_rq->min_vruntime, vruntime);
}

/* ---- slices -------------------------------------------------------------- */

static uint64_t __sched_period(unsigned int nr_running)
{
	if (nr_running > S()->sched_nr_latency)
		return nr_running * S()->sysctl_sched_min_granularity;
	return S()->sysctl_sched_latency;
}

/* The entity's share of the period by weight, at least min_granularity. */
static uint64_t sched_slice(struct cfs_rq *cfs_rq, struct sched_entity *se)
{
	unsigned long load = cfs_rq->load.weight;
	uint64_t slice = __sched_period(cfs_rq->nr_running + !se->on_rq);

	if (!se->on_rq)
		load += se->load.weight;
	slice = __calc_delta(slice, se->load.weight, load);
	return max(slice, S()->sysctl_sched_min_granularity);
}

static uint64_t sched_vslice(struct cfs_rq *cfs_rq, struct sched_entity *se)
{
	return calc_delta_fair(sched_slice(cfs_rq, se), se);
}

static void update_curr(struct cfs_rq *cfs_rq)
{
	struct sched_entity *curr = cfs_rq->curr;
	uint64_t now = rq_clock(rq_of(cfs_rq));
	int64_t delta_exec;

	if (!curr)
		return;
	delta_exec = (int64_t)(now - curr->exec_start);
	if (delta_exec <= 0)
		return;
	curr->exec_start = now;
	curr->sum_exec_runtime += (uint64_t)delta_exec;
	curr->vruntime += calc_delta_fair((uint64_t)delta_exec, curr);
	update_min_vruntime(cfs_rq);
}

static void update_curr_fair(struct rq *rq)
{
	update_curr(&rq->cfs);
}

/* ---- placing and queueing ------------------------------------------------ */

/* A sleep so long that vruntimes could wrap (~104 days): forget it. */
static bool entity_is_long_sleeper(const struct sched_entity *se)
{
	uint64_t now = rq_clock(rq_of(cfs_rq_of((struct sched_entity *)se)));
	int64_t sleep_time = (int64_t)(now - se->exec_start);

	return sleep_time > 0 &&
	       (uint64_t)sleep_time > (1ULL << 63) / NICE_0_LOAD;
}

/* New tasks start a slice behind (START_DEBIT); sleepers get back half a
 * latency of credit (GENTLE_FAIR_SLEEPERS) but never gain by sleeping. */
static void place_entity(struct cfs_rq *cfs_rq, struct sched_entity *se,
			 bool initial)
{
	uint64_t vruntime = cfs_rq->min_vruntime;

	if (initial)
		vruntime += sched_vslice(cfs_rq, se);
	else
		vruntime -= S()->sysctl_sched_latency >> 1;
	if (entity_is_long_sleeper(se))
		se->vruntime = vruntime;
	else
		se->vruntime = max_vruntime(se->vruntime, vruntime);
}

static void clear_buddies(struct cfs_rq *cfs_rq, struct sched_entity *se)
{
	if (cfs_rq->skip == se)
		cfs_rq->skip = NULL;
}

static void enqueue_entity(struct cfs_rq *cfs_rq, struct sched_entity *se,
			   int flags)
{
	bool renorm = !(flags & ENQUEUE_WAKEUP) || (flags & ENQUEUE_MIGRATED);
	bool curr = cfs_rq->curr == se;

	if (renorm && curr)
		se->vruntime += cfs_rq->min_vruntime;
	update_curr(cfs_rq);
	if (renorm && !curr)
		se->vruntime += cfs_rq->min_vruntime;
	cfs_rq->load.weight += se->load.weight;
	cfs_rq->nr_running++;
	if (flags & ENQUEUE_WAKEUP)
		place_entity(cfs_rq, se, false);
	if (!curr)
		__enqueue_entity(cfs_rq, se);
	se->on_rq = 1;
}

static void dequeue_entity(struct cfs_rq *cfs_rq, struct sched_entity *se,
			   int flags)
{
	update_curr(cfs_rq);
	clear_buddies(cfs_rq, se);
	if (se != cfs_rq->curr)
		__dequeue_entity(cfs_rq, se);
	se->on_rq = 0;
	cfs_rq->load.weight -= se->load.weight;
	cfs_rq->nr_running--;
	/* Relative to min_vruntime while off this queue (not for sleep). */
	if (!(flags & DEQUEUE_SLEEP))
		se->vruntime -= cfs_rq->min_vruntime;
	if ((flags & (DEQUEUE_SAVE | DEQUEUE_MOVE)) != DEQUEUE_SAVE)
		update_min_vruntime(cfs_rq);
}

static void enqueue_task_fair(struct rq *rq, struct task_struct *p, int flags)
{
	enqueue_entity(&rq->cfs, &p->se, flags);
	rq->nr_running++;
}

static void dequeue_task_fair(struct rq *rq, struct task_struct *p, int flags)
{
	dequeue_entity(&rq->cfs, &p->se, flags);
	rq->nr_running--;
}

/* ---- picking ------------------------------------------------------------- */

static uint64_t wakeup_gran(const struct sched_entity *se)
{
	return calc_delta_fair(S()->sysctl_sched_wakeup_granularity, se);
}

/* 1 when curr is ahead of se by more than se's wakeup granularity, -1
 * when it is not ahead at all, 0 in between. */
static int wakeup_preempt_entity(struct sched_entity *curr,
				 struct sched_entity *se)
{
	int64_t vdiff = (int64_t)(curr->vruntime - se->vruntime);

	if (vdiff <= 0)
		return -1;
	if ((uint64_t)vdiff > wakeup_gran(se))
		return 1;
	return 0;
}

/* The leftmost, unless it yielded (the skip buddy) and the next one is
 * not too far behind it. */
static struct sched_entity *pick_next_entity(struct cfs_rq *cfs_rq)
{
	struct sched_entity *left = __pick_first_entity(cfs_rq);
	struct sched_entity *se = left;

	if (cfs_rq->skip && cfs_rq->skip == se) {
		struct sched_entity *second = __pick_next_entity(se);

		if (second && wakeup_preempt_entity(second, left) < 1)
			se = second;
	}
	return se;
}

static struct task_struct *pick_next_task_fair(struct rq *rq)
{
	struct sched_entity *se;

	if (!rq->cfs.nr_running)
		return NULL;
	se = pick_next_entity(&rq->cfs);
	return se ? task_of(se) : NULL;
}

static void set_next_task_fair(struct rq *rq, struct task_struct *p, bool first)
{
	struct cfs_rq *cfs_rq = &rq->cfs;
	struct sched_entity *se = &p->se;

	(void)first;
	clear_buddies(cfs_rq, se);
	if (se->on_rq)
		__dequeue_entity(cfs_rq, se);
	se->exec_start = rq_clock(rq);
	cfs_rq->curr = se;
	se->prev_sum_exec_runtime = se->sum_exec_runtime;
}

static void put_prev_task_fair(struct rq *rq, struct task_struct *prev)
{
	struct cfs_rq *cfs_rq = &rq->cfs;
	struct sched_entity *se = &prev->se;

	if (se->on_rq) {
		update_curr(cfs_rq);
		__enqueue_entity(cfs_rq, se);
	}
	cfs_rq->curr = NULL;
}

static void yield_task_fair(struct rq *rq)
{
	struct task_struct *curr = rq->curr;

	if (rq->nr_running == 1)
		return;
	clear_buddies(&rq->cfs, &curr->se);
	if (curr->policy != SCHED_BATCH)
		update_curr(&rq->cfs);
	rq->cfs.skip = &curr->se;
}

/* check_preempt_wakeup(). */
static void wakeup_preempt_fair(struct rq *rq, struct task_struct *p,
				int wake_flags)
{
	struct task_struct *curr = rq->curr;

	(void)wake_flags;
	if (curr == p || rq->need_resched)
		return;
	/* SCHED_IDLE tasks give way to anything else. */
	if (curr->policy == SCHED_IDLE && p->policy != SCHED_IDLE)
		goto preempt;
	/* Batch and idle tasks do not preempt on wakeup (only the tick). */
	if (p->policy != SCHED_NORMAL)
		return;
	update_curr(&rq->cfs);
	if (wakeup_preempt_entity(&curr->se, &p->se) == 1)
		goto preempt;
	return;
preempt:
	resched_curr(rq);
}

/* check_preempt_tick(): past its slice, or past the leftmost by more
 * than a slice once it has run min_granularity. */
static void check_preempt_tick(struct cfs_rq *cfs_rq, struct sched_entity *curr)
{
	uint64_t ideal_runtime =
		min(sched_slice(cfs_rq, curr), S()->sysctl_sched_latency);
	uint64_t delta_exec =
		curr->sum_exec_runtime - curr->prev_sum_exec_runtime;
	struct sched_entity *se;
	int64_t delta;

	if (delta_exec > ideal_runtime) {
		resched_curr(rq_of(cfs_rq));
		clear_buddies(cfs_rq, curr);
		return;
	}
	if (delta_exec < S()->sysctl_sched_min_granularity)
		return;
	se = __pick_first_entity(cfs_rq);
	if (!se)
		return;
	delta = (int64_t)(curr->vruntime - se->vruntime);
	if (delta > 0 && (uint64_t)delta > ideal_runtime)
		resched_curr(rq_of(cfs_rq));
}

static void task_tick_fair(struct rq *rq, struct task_struct *curr)
{
	update_curr(&rq->cfs);
	if (rq->cfs.nr_running > 1)
		check_preempt_tick(&rq->cfs, &curr->se);
}

/* task_fork_fair(): the child starts where its parent is, placed a
 * slice behind min_vruntime, kept relative until it is queued. */
static void task_fork_fair(struct task_struct *p)
{
	struct rq *rq = this_rq();
	struct cfs_rq *cfs_rq = &rq->cfs;
	struct sched_entity *curr = cfs_rq->curr, *se = &p->se;

	update_rq_clock(rq);
	if (curr) {
		update_curr(cfs_rq);
		se->vruntime = curr->vruntime;
	} else {
		se->vruntime = cfs_rq->min_vruntime;
	}
	place_entity(cfs_rq, se, true);
	if (S()->sysctl_sched_child_runs_first && curr &&
	    entity_before(curr, se)) {
		uint64_t v = curr->vruntime;

		curr->vruntime = se->vruntime;
		se->vruntime = v;
		resched_curr(rq);
	}
	se->vruntime -= cfs_rq->min_vruntime;
}

/* A waking task moves to another CPU: its vruntime goes relative to the
 * old queue; the enqueue (ENQUEUE_MIGRATED) adds the new one's. */
static void migrate_task_rq_fair(struct task_struct *p, int new_cpu)
{
	(void)new_cpu;
	if (p->__state == TASK_WAKING)
		p->se.vruntime -= task_rq(p)->cfs.min_vruntime;
}

static bool vruntime_normalized(const struct task_struct *p)
{
	if (p->on_rq)
		return true;
	return !p->se.sum_exec_runtime || p->__state == TASK_WAKING;
}

static void switched_from_fair(struct rq *rq, struct task_struct *p)
{
	if (!vruntime_normalized(p)) {
		place_entity(&rq->cfs, &p->se, false);
		p->se.vruntime -= rq->cfs.min_vruntime;
	}
}

static void switched_to_fair(struct rq *rq, struct task_struct *p)
{
	if (!vruntime_normalized(p))
		p->se.vruntime += rq->cfs.min_vruntime;
	if (!task_on_rq_queued(p))
		return;
	if (task_current(rq, p))
		resched_curr(rq);
	else
		wakeup_preempt(rq, p, 0);
}

static void prio_changed_fair(struct rq *rq, struct task_struct *p, int oldprio)
{
	if (!task_on_rq_queued(p) || rq->cfs.nr_running == 1)
		return;
	if (task_current(rq, p)) {
		if (p->prio > oldprio)
			resched_curr(rq);
	} else {
		wakeup_preempt(rq, p, 0);
	}
}

/* ---- choosing a CPU ------------------------------------------------------ */

/* Fork: the allowed CPU with the fewest runnable tasks (then the least
 * CFS load), this CPU first on ties, then the next ones in order. */
static int find_idlest_cpu(struct task_struct *p)
{
	int this = smp_processor_id(), best = -1;
	unsigned int best_nr = 0;
	unsigned long best_load = 0;

	for (int i = 0; i < M->nr_cpus; i++) {
		int cpu = (this + i) % M->nr_cpus;
		struct rq *rq = cpu_rq(cpu);
		unsigned int nr = rq->nr_running;

		if (!cpu_allowed(p, cpu))
			continue;
		if (best < 0 || nr < best_nr ||
		    (nr == best_nr && rq->cfs.load.weight < best_load)) {
			best = cpu;
			best_nr = nr;
			best_load = rq->cfs.load.weight;
		}
	}
	return best;
}

/* Wakeup (select_idle_sibling): the previous CPU if idle, else an idle
 * allowed CPU of its node (the last-level cache), else the previous. */
static int select_idle_sibling(struct task_struct *p, int prev)
{
	int node = cpu_to_node(prev);

	if (cpu_allowed(p, prev) && idle_cpu(prev))
		return prev;
	for (int i = 1; i < M->nr_cpus; i++) {
		int cpu = (prev + i) % M->nr_cpus;

		if (cpu_to_node(cpu) == node && cpu_allowed(p, cpu) &&
		    idle_cpu(cpu))
			return cpu;
	}
	return prev;
}

static int select_task_rq_fair(struct task_struct *p, int prev_cpu,
			       int wake_flags)
{
	if (wake_flags & (WF_FORK | WF_EXEC))
		return find_idlest_cpu(p);
	return select_idle_sibling(p, prev_cpu);
}

/* ---- load balancing ------------------------------------------------------ */

/* CFS tasks of rq waiting in its tree (the running one cannot move). */
static unsigned int cfs_movable(const struct rq *rq)
{
	unsigned int n = rq->cfs.nr_running;

	return rq->cfs.curr ? n - 1 : n;
}

/* The busiest other CPU with a task to give: by runnable tasks when the
 * puller is idle, else by CFS load. -1 when none is busier. */
static int find_busiest_cpu(struct rq *this, bool idle)
{
	int busiest = -1, cpu;
	unsigned long best = 0;

	for_each_online_cpu(cpu) {
		struct rq *rq = cpu_rq(cpu);
		unsigned long v = idle ? rq->nr_running : rq->cfs.load.weight;

		if (rq == this || !cfs_movable(rq))
			continue;
		if (idle ? v < 2 : v <= this->cfs.load.weight)
			continue;
		if (busiest < 0 || v > best) {
			busiest = cpu;
			best = v;
		}
	}
	return busiest;
}

static bool can_migrate_task(const struct task_struct *p, const struct rq *dst)
{
	return cpu_allowed(p, dst->cpu) && !task_current(task_rq(p), p);
}

/* Moves tasks that waited longest (leftmost first) from busiest to this:
 * half the difference in tasks when this CPU is idle (migrate_task),
 * else tasks whose weight fits in half the load difference
 * (migrate_load). Returns the number moved. */
static int detach_attach_tasks(struct rq *this, struct rq *busiest, bool idle)
{
	long imbalance =
		idle ? ((long)busiest->nr_running - (long)this->nr_running) /
				2 :
		       ((long)busiest->cfs.load.weight -
			(long)this->cfs.load.weight) /
				2;
	struct rb_node *node = busiest->cfs.leftmost;
	int moved = 0;

	if (idle && imbalance < 1)
		imbalance = 1;
	update_rq_clock(busiest);
	while (node && imbalance > 0) {
		struct sched_entity *se =
			rb_entry(node, struct sched_entity, run_node);
		struct task_struct *p = task_of(se);

		node = rb_next(node);
		if (!can_migrate_task(p, this))
			continue;
		if (!idle && (long)se->load.weight > imbalance)
			continue;
		move_queued_task(busiest, p, this->cpu);
		imbalance -= idle ? 1 : (long)se->load.weight;
		moved++;
	}
	return moved;
}

static int load_balance(struct rq *this, bool idle)
{
	int busiest = find_busiest_cpu(this, idle);

	if (busiest < 0)
		return 0;
	update_rq_clock(this);
	return detach_attach_tasks(this, cpu_rq(busiest), idle);
}

/* sd->balance_interval: one ms per CPU of the domain, at least a tick. */
static uint64_t balance_interval(bool busy)
{
	uint64_t ms = (uint64_t)M->nr_cpus * (busy ? BUSY_FACTOR : 1);

	return max(ms * NSEC_PER_MSEC, (uint64_t)TICK_NSEC);
}

bool sched_balance_newidle(struct rq *rq)
{
	if (M->nr_cpus == 1)
		return false;
	return load_balance(rq, true) > 0;
}

/* nohz_balancer_kick(): a busy CPU with tasks waiting has idle CPUs
 * (which have no tick) pull work, in CPU order. */
static void nohz_idle_balance(struct rq *busy)
{
	int cpu;

	if (busy->nr_running < 2 || M->clock_ns < S()->nohz_next_balance)
		return;
	S()->nohz_next_balance = M->clock_ns + balance_interval(false);
	for_each_online_cpu(cpu)
		if (idle_cpu(cpu))
			load_balance(cpu_rq(cpu), true);
}

void trigger_load_balance(struct rq *rq)
{
	if (M->nr_cpus == 1)
		return;
	if (M->clock_ns >= rq->next_balance) {
		rq->next_balance = M->clock_ns + balance_interval(true);
		load_balance(rq, false);
	}
	nohz_idle_balance(rq);
}

static unsigned int get_rr_interval_fair(struct rq *rq, struct task_struct *p)
{
	if (!rq->cfs.load.weight)
		return 0;
	return (unsigned int)nsecs_to_jiffies(sched_slice(&rq->cfs, &p->se));
}

const struct sched_class fair_sched_class = {
	.rank = 1,
	.enqueue_task = enqueue_task_fair,
	.dequeue_task = dequeue_task_fair,
	.yield_task = yield_task_fair,
	.wakeup_preempt = wakeup_preempt_fair,
	.pick_next_task = pick_next_task_fair,
	.put_prev_task = put_prev_task_fair,
	.set_next_task = set_next_task_fair,
	.select_task_rq = select_task_rq_fair,
	.migrate_task_rq = migrate_task_rq_fair,
	.task_tick = task_tick_fair,
	.task_fork = task_fork_fair,
	.switched_from = switched_from_fair,
	.switched_to = switched_to_fair,
	.prio_changed = prio_changed_fair,
	.update_curr = update_curr_fair,
	.get_rr_interval = get_rr_interval_fair,
};
