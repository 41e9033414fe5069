/* The scheduler's internals (kernel/sched/sched.h): per-CPU runqueues
 * with their CFS and RT queues, the scheduling classes (rt, fair, idle
 * in that order; no stop or deadline class), the tunables, and the
 * engine's per-CPU state. Only kernel/sched/ includes this. */
#ifndef MMSIM_KERNEL_SCHED_SCHED_H
#define MMSIM_KERNEL_SCHED_SCHED_H

#include "base/bitops.h"
#include "kernel/sched.h"
#include "kernel/sched/psi.h"
#include "kernel/sched/task.h"
#include "kernel/time/hrtimer.h"
#include "kernel/time/time.h"

#define NICE_0_LOAD 1024UL
#define WEIGHT_IDLEPRIO 3
#define RUNTIME_INF ((uint64_t)~0ULL)

/* enqueue/dequeue flags */
#define DEQUEUE_SLEEP 0x01
#define DEQUEUE_SAVE 0x02
#define DEQUEUE_MOVE 0x04
#define ENQUEUE_WAKEUP 0x01
#define ENQUEUE_RESTORE 0x02
#define ENQUEUE_MOVE 0x04
#define ENQUEUE_HEAD 0x10
#define ENQUEUE_INITIAL 0x80
#define ENQUEUE_MIGRATED 0x100

/* wake flags */
#define WF_EXEC 0x02
#define WF_FORK 0x04
#define WF_TTWU 0x08
#define WF_SYNC 0x10
#define WF_MIGRATED 0x20

/* How the tunables scale with the CPU count (sched_tunable_scaling). */
enum sched_tunable_scaling {
	SCHED_TUNABLESCALING_NONE,
	SCHED_TUNABLESCALING_LOG,
	SCHED_TUNABLESCALING_LINEAR,
};

struct cfs_rq {
	struct load_weight load; /* of the queued entities, curr included */
	unsigned int nr_running;
	uint64_t min_vruntime;
	struct rb_root tasks_timeline; /* waiting entities by vruntime */
	struct rb_node *leftmost; /* rb_root_cached's cached node */
	struct sched_entity *curr; /* running, not in the tree */
	struct sched_entity *skip; /* yielded: picked last */
};

struct rt_prio_array {
	DECLARE_BITMAP(bitmap,
		       MAX_RT_PRIO + 1); /* one bit per list + delimiter */
	struct list_head queue[MAX_RT_PRIO];
};

struct rt_rq {
	struct rt_prio_array active;
	unsigned int rt_nr_running;
	int highest_prio; /* of the queued tasks, MAX_RT_PRIO if none */
	bool rt_queued; /* counted in rq->nr_running (not throttled) */
	bool rt_throttled;
	uint64_t rt_time; /* ns run in the current period */
	uint64_t rt_runtime; /* ns allowed per period, RUNTIME_INF: all */
};

struct rq {
	int cpu;
	unsigned int nr_running; /* runnable tasks of every class */
	unsigned int nr_iowait; /* tasks that slept here in io_schedule() */
	unsigned int nr_uninterruptible; /* tasks that slept here in D */
	uint64_t nr_switches;
	struct cfs_rq cfs;
	struct rt_rq rt;
	struct task_struct *curr, *idle;
	uint64_t clock; /* rq_clock(): the virtual clock when last updated */
	bool need_resched; /* TIF_NEED_RESCHED of curr */
	struct mm_struct *prev_mm; /* lazy mm to drop after a switch */
	uint64_t next_balance; /* clock of the next periodic balance */
	uint64_t cpustat[NR_STATS]; /* ns, as kcpustat */
	struct psi_group_cpu psi;

	/* The engine (run.c): curr's CPU work is played out from
	 * work_stamp on and ends when work_timer fires. */
	uint64_t work_stamp;
	struct hrtimer work_timer;
};

struct sched_class {
	int rank; /* higher runs first: rt 2, fair 1, idle 0 */
	void (*enqueue_task)(struct rq *rq, struct task_struct *p, int flags);
	void (*dequeue_task)(struct rq *rq, struct task_struct *p, int flags);
	void (*yield_task)(struct rq *rq);
	/* p was woken or moved onto rq: preempt curr? */
	void (*wakeup_preempt)(struct rq *rq, struct task_struct *p, int flags);
	struct task_struct *(*pick_next_task)(struct rq *rq);
	void (*put_prev_task)(struct rq *rq, struct task_struct *p);
	void (*set_next_task)(struct rq *rq, struct task_struct *p, bool first);
	int (*select_task_rq)(struct task_struct *p, int prev_cpu,
			      int wake_flags);
	/* p leaves its CPU for new_cpu while not queued (wakeup, fork). */
	void (*migrate_task_rq)(struct task_struct *p, int new_cpu);
	void (*task_tick)(struct rq *rq, struct task_struct *p);
	void (*task_fork)(struct task_struct *p);
	void (*switched_from)(struct rq *rq, struct task_struct *p);
	void (*switched_to)(struct rq *rq, struct task_struct *p);
	void (*prio_changed)(struct rq *rq, struct task_struct *p, int oldprio);
	void (*update_curr)(struct rq *rq);
	/* sched_rr_get_interval(), in jiffies. */
	unsigned int (*get_rr_interval)(struct rq *rq, struct task_struct *p);
};

extern const struct sched_class rt_sched_class;
extern const struct sched_class fair_sched_class;
extern const struct sched_class idle_sched_class;

struct sched_state {
	/* CFS tunables, ns, scaled by 1 + ilog2(min(CPUs, 8)). */
	unsigned int tunable_scaling;
	uint64_t sysctl_sched_latency;
	uint64_t sysctl_sched_min_granularity;
	uint64_t sysctl_sched_wakeup_granularity;
	unsigned int sched_nr_latency;
	unsigned int sysctl_sched_child_runs_first;
	/* RT bandwidth (kernel.sched_rt_*) and the RR slice. */
	int sysctl_sched_rt_period; /* us */
	int sysctl_sched_rt_runtime; /* us, -1: no limit */
	int sched_rr_timeslice; /* jiffies */
	struct hrtimer rt_period_timer;
	/* Load balancing: the next idle (nohz) balance; the CPUs with RT
	 * tasks waiting behind the running one (rto_mask). */
	uint64_t nohz_next_balance;
	DECLARE_BITMAP(rto_mask, NR_CPUS);
	/* Load average (loadavg.c): avenrun[] and its 5 s timer. */
	unsigned long avenrun[3];
	struct hrtimer calc_load_timer;
	struct psi_group psi; /* the system's pressure (psi.c) */
	/* The engine: CPUs to look at before time moves on. */
	DECLARE_BITMAP(dispatch, NR_CPUS);
	int in_body; /* a task body is running: schedule() waits for it */
	uint64_t instant; /* the clock of the steps counted */
	unsigned long instant_steps; /* body steps run at that instant */
	struct rq rqs[];
};

static inline struct rq *cpu_rq(int cpu)
{
	return &M->sched->rqs[cpu];
}

static inline struct rq *this_rq(void)
{
	return cpu_rq(smp_processor_id());
}

static inline struct rq *task_rq(const struct task_struct *p)
{
	return cpu_rq(task_cpu(p));
}

static inline bool task_current(const struct rq *rq,
				const struct task_struct *p)
{
	return rq->curr == p;
}

static inline bool task_on_rq_queued(const struct task_struct *p)
{
	return p->on_rq == TASK_ON_RQ_QUEUED;
}

static inline bool is_idle_task(const struct task_struct *p)
{
	return (p->flags & PF_IDLE) != 0;
}

static inline bool sched_class_above(const struct sched_class *a,
				     const struct sched_class *b)
{
	return a->rank > b->rank;
}

static inline struct sched_state *sched_state(void)
{
	return M->sched;
}

static inline void update_rq_clock(struct rq *rq)
{
	rq->clock = M->clock_ns;
}

static inline uint64_t rq_clock(const struct rq *rq)
{
	return rq->clock;
}

static inline bool cpu_allowed(const struct task_struct *p, int cpu)
{
	return test_bit((unsigned long)cpu, p->cpus_mask);
}

#define for_each_allowed_cpu(cpu, p)                 \
	for ((cpu) = 0; (cpu) < M->nr_cpus; (cpu)++) \
		if (cpu_allowed(p, cpu))

/* core.c */
void resched_curr(struct rq *rq);
void enqueue_task(struct rq *rq, struct task_struct *p, int flags);
void dequeue_task(struct rq *rq, struct task_struct *p, int flags);
void put_prev_task(struct rq *rq, struct task_struct *prev);
int select_task_rq(struct task_struct *p, int cpu, int wake_flags);
/* The priority the policy, rt_priority and nice give (no boosting). */
int normal_prio(const struct task_struct *p);
const struct sched_class *__setscheduler_class(int prio);
void activate_task(struct rq *rq, struct task_struct *p, int flags);
void deactivate_task(struct rq *rq, struct task_struct *p, int flags);
void wakeup_preempt(struct rq *rq, struct task_struct *p, int flags);
void set_task_cpu(struct task_struct *p, int new_cpu);
/* Moves a queued, not running p to new_cpu's runqueue. */
void move_queued_task(struct rq *rq, struct task_struct *p, int new_cpu);
void __schedule(bool preempt);
bool idle_cpu(int cpu);
/* Accounts curr's CPU time (and the class's runtime) up to now. */
void update_curr_now(struct rq *rq);
void sched_info_enqueue(struct task_struct *p);

/* fair.c */
void init_cfs_rq(struct cfs_rq *cfs_rq);
void sched_update_tunables(void);
void set_load_weight(struct task_struct *p);
/* Periodic and idle balancing from the tick of rq's CPU. */
void trigger_load_balance(struct rq *rq);
/* cpu is going idle: pull work from the busiest CPU. */
bool sched_balance_newidle(struct rq *rq);

/* rt.c */
void init_rt_rq(struct rt_rq *rt_rq);
void init_rt_bandwidth(void);
/* Moves waiting RT tasks of an overloaded rq to CPUs running lower
 * priorities, and pulls higher ones here when rq's priority drops. */
void push_rt_tasks(struct rq *rq);
void pull_rt_task(struct rq *rq);

/* Sleeping in D (but not TASK_IDLE) counts in the load average. */
static inline bool task_contributes_to_load(const struct task_struct *p)
{
	return (p->__state & TASK_UNINTERRUPTIBLE) &&
	       !(p->__state & TASK_NOLOAD);
}

/* loadavg.c */
void calc_load_init(void);

/* cputime.c */
void account_user_time(struct task_struct *p, uint64_t ns);
void account_system_time(struct task_struct *p, uint64_t ns);
void account_idle_time(struct rq *rq, uint64_t ns);

/* run.c: the engine looks at cpu before time moves on. */
static inline void sched_dispatch_cpu(int cpu)
{
	__set_bit((unsigned long)cpu, M->sched->dispatch);
}

/* run.c: accounts rq->curr's CPU work played out up to now. */
void task_work_update(struct rq *rq);
/* run.c: (re)arms rq's work timer for curr's remaining work. */
void task_work_arm(struct rq *rq);
enum hrtimer_restart task_work_timer_fn(struct hrtimer *timer);

#endif
