/* Pressure stall information (kernel/sched/psi.c); see psi.h. Every
 * change of a task's PSI flags first adds the time since the last
 * change to the states its CPU was in, so the per-CPU times are exact
 * in virtual time. A collection folds the per-CPU times into system
 * totals, each CPU weighted by its non-idle time; every PSI_FREQ a timer
 * turns the totals into the running averages. */
#include "kernel/sched/psi.h"

#include "kernel/printk.h"
#include "kernel/sched/sched.h"
#include "mm/vmstat.h"

#define PSI_FREQ (2 * HZ + 1) /* jiffies between averages */
#define EXP_10s 1677 /* 1/exp(2s/10s) as fixed-point */
#define EXP_60s 1981 /* 1/exp(2s/60s) */
#define EXP_300s 2034 /* 1/exp(2s/300s) */

static struct psi_group *psi_system(void)
{
	return &M->sched->psi;
}

static unsigned int psi_state_mask(const unsigned int *tasks)
{
	unsigned int mask = 0;

	if (tasks[NR_IOWAIT]) {
		mask |= 1u << PSI_IO_SOME;
		if (!tasks[NR_RUNNING])
			mask |= 1u << PSI_IO_FULL;
	}
	if (tasks[NR_MEMSTALL]) {
		mask |= 1u << PSI_MEM_SOME;
		if (tasks[NR_RUNNING] == tasks[NR_MEMSTALL_RUNNING])
			mask |= 1u << PSI_MEM_FULL;
	}
	if (tasks[NR_RUNNING] > tasks[NR_ONCPU])
		mask |= 1u << PSI_CPU_SOME;
	if (tasks[NR_IOWAIT] || tasks[NR_MEMSTALL] || tasks[NR_RUNNING])
		mask |= 1u << PSI_NONIDLE;
	return mask;
}

/* The time since the last change goes to the states the CPU was in. */
static void record_times(struct psi_group_cpu *groupc, uint64_t now)
{
	uint64_t delta = now - groupc->state_start;

	groupc->state_start = now;
	for (int s = 0; s < NR_PSI_STATES; s++)
		if (groupc->state_mask & (1u << s))
			groupc->times[s] += delta;
}

static void psi_group_change(int cpu, unsigned int flags, int delta,
			     const struct task_struct *p)
{
	struct psi_group_cpu *groupc = &cpu_rq(cpu)->psi;

	record_times(groupc, M->clock_ns);
	for (int t = 0; t < NR_PSI_TASK_COUNTS; t++) {
		if (!(flags & (1u << t)))
			continue;
		if (delta < 0 && !groupc->tasks[t]) {
			WARN(1, "psi: task underflow! cpu=%d t=%d pid=%d\n",
			     cpu, t, p->pid);
			continue;
		}
		groupc->tasks[t] += (unsigned int)delta;
	}
	groupc->state_mask = psi_state_mask(groupc->tasks);
}

/* p's flags become set (counted on the CPU it is on now). */
static void psi_task_change(struct task_struct *p, unsigned int set)
{
	if (p->psi_flags)
		psi_group_change(p->psi_cpu, p->psi_flags, -1, p);
	p->psi_flags = set;
	p->psi_cpu = task_cpu(p);
	if (set)
		psi_group_change(p->psi_cpu, set, 1, p);
}

void psi_enqueue(struct task_struct *p)
{
	unsigned int set = TSK_RUNNING; /* TSK_IOWAIT goes */

	if (p->in_memstall)
		set |= TSK_MEMSTALL | TSK_MEMSTALL_RUNNING;
	psi_task_change(p, set);
}

void psi_dequeue(struct task_struct *p, bool sleep)
{
	unsigned int set = 0;

	if (sleep && p->__state != TASK_DEAD) {
		if (p->in_iowait)
			set |= TSK_IOWAIT;
		if (p->in_memstall)
			set |= TSK_MEMSTALL;
	}
	psi_task_change(p, set);
}

void psi_sched_switch(struct task_struct *prev, struct task_struct *next)
{
	int cpu = task_cpu(next);

	if (!is_idle_task(prev))
		psi_group_change(cpu, TSK_ONCPU, -1, prev);
	if (!is_idle_task(next))
		psi_group_change(cpu, TSK_ONCPU, 1, next);
}

/* The memstall bits of current, as it is (running: queued on its CPU). */
static void psi_memstall_change(struct task_struct *p)
{
	unsigned int set = p->psi_flags &
			   ~(TSK_MEMSTALL | TSK_MEMSTALL_RUNNING);

	if (p->in_memstall)
		set |= (set & TSK_RUNNING) ?
			       TSK_MEMSTALL | TSK_MEMSTALL_RUNNING :
			       TSK_MEMSTALL;
	psi_task_change(p, set);
}

void psi_memstall_enter(unsigned long *flags)
{
	*flags = current->in_memstall;
	if (*flags)
		return;
	current->in_memstall = true;
	psi_memstall_change(current);
}

void psi_memstall_leave(unsigned long *flags)
{
	if (*flags)
		return;
	current->in_memstall = false;
	psi_memstall_change(current);
}

/* collect_percpu_times(): each state's time since the last collection,
 * averaged over the CPUs by their non-idle time (Linux weighs by
 * non-idle jiffies; mmsim by ns). */
static void psi_collect(void)
{
	struct psi_group *group = psi_system();
	unsigned __int128 deltas[NR_PSI_STATES] = { 0 };
	uint64_t nonidle_total = 0;
	int cpu;

	for_each_online_cpu(cpu) {
		struct psi_group_cpu *groupc = &cpu_rq(cpu)->psi;
		uint64_t delta[NR_PSI_STATES], nonidle;

		record_times(groupc, M->clock_ns);
		for (int s = 0; s < NR_PSI_STATES; s++) {
			delta[s] = groupc->times[s] - groupc->times_prev[s];
			groupc->times_prev[s] = groupc->times[s];
		}
		nonidle = delta[PSI_NONIDLE];
		for (int s = 0; s < PSI_NONIDLE; s++)
			deltas[s] += (unsigned __int128)delta[s] * nonidle;
		nonidle_total += nonidle;
	}
	for (int s = 0; s < PSI_NONIDLE; s++)
		group->total[s] +=
			(uint64_t)(deltas[s] / max(nonidle_total, 1));
}

static void calc_avgs(unsigned long avg[3], uint64_t time, uint64_t period)
{
	unsigned long pct;

	if (time > period)
		time = period;
	pct = (unsigned long)(time * 100 / period) * FIXED_1;
	avg[0] = calc_load(avg[0], EXP_10s, pct);
	avg[1] = calc_load(avg[1], EXP_60s, pct);
	avg[2] = calc_load(avg[2], EXP_300s, pct);
}

static enum hrtimer_restart psi_avgs_work(struct hrtimer *timer)
{
	struct psi_group *group = psi_system();
	uint64_t period = M->clock_ns - group->avg_last_update;

	psi_collect();
	for (int s = 0; s < PSI_NONIDLE; s++) {
		uint64_t sample = group->total[s] - group->avg_total[s];

		group->avg_total[s] += sample;
		calc_avgs(group->avg[s], sample, period);
	}
	group->avg_last_update = M->clock_ns;
	hrtimer_forward_now(timer, jiffies_to_nsecs(PSI_FREQ));
	return HRTIMER_RESTART;
}

void psi_init(void)
{
	struct psi_group *group = psi_system();

	group->avg_last_update = M->clock_ns;
	hrtimer_setup(&group->avgs_timer, psi_avgs_work);
	hrtimer_start_on(&group->avgs_timer,
			 M->clock_ns + jiffies_to_nsecs(PSI_FREQ), 0);
}

static void psi_show(struct seq_file *m, enum psi_res res)
{
	struct psi_group *group = psi_system();

	psi_collect();
	for (int full = 0; full < 2; full++) {
		unsigned long avg[3] = { 0 };
		uint64_t total = 0;
		int s = (int)res * 2 + full;

		/* CPU FULL is undefined for the whole system. */
		if (!(res == PSI_CPU && full)) {
			for (int w = 0; w < 3; w++)
				avg[w] = group->avg[s][w];
			total = group->total[s] / NSEC_PER_USEC;
		}
		seq_printf(
			m,
			"%s avg10=%lu.%02lu avg60=%lu.%02lu avg300=%lu.%02lu total=%llu\n",
			full ? "full" : "some", LOAD_INT(avg[0]),
			LOAD_FRAC(avg[0]), LOAD_INT(avg[1]), LOAD_FRAC(avg[1]),
			LOAD_INT(avg[2]), LOAD_FRAC(avg[2]),
			(unsigned long long)total);
	}
}

void psi_io_show(struct seq_file *m)
{
	psi_show(m, PSI_IO);
}

void psi_memory_show(struct seq_file *m)
{
	psi_show(m, PSI_MEM);
}

void psi_cpu_show(struct seq_file *m)
{
	psi_show(m, PSI_CPU);
}
