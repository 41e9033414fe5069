/* The load average (kernel/sched/loadavg.c): every LOAD_FREQ (5 s and a
 * tick) the runnable and uninterruptible tasks of all CPUs are folded
 * into exponentially decaying averages over 1, 5 and 15 minutes, in
 * Linux's fixed point. Sampled by a timer at multiples of LOAD_FREQ
 * since boot (Linux samples on the tick that passes calc_load_update,
 * folding idle CPUs' counts in). */
#include "kernel/sched/sched.h"
#include "mm/vmstat.h"

#define LOAD_FREQ (5 * HZ + 1) /* jiffies */
#define EXP_1 1884 /* 1/exp(5sec/1min) as fixed-point */
#define EXP_5 2014 /* 1/exp(5sec/5min) */
#define EXP_15 2037 /* 1/exp(5sec/15min) */

static long calc_load_fold_active(void)
{
	long active = 0;
	int cpu;

	for_each_online_cpu(cpu) {
		struct rq *rq = cpu_rq(cpu);

		active += (long)rq->nr_running + (long)rq->nr_uninterruptible;
	}
	return active;
}

static enum hrtimer_restart calc_global_load(struct hrtimer *timer)
{
	unsigned long *avenrun = M->sched->avenrun;
	unsigned long active = (unsigned long)calc_load_fold_active() * FIXED_1;

	avenrun[0] = calc_load(avenrun[0], EXP_1, active);
	avenrun[1] = calc_load(avenrun[1], EXP_5, active);
	avenrun[2] = calc_load(avenrun[2], EXP_15, active);
	hrtimer_forward_now(timer, jiffies_to_nsecs(LOAD_FREQ));
	return HRTIMER_RESTART;
}

void calc_load_init(void)
{
	struct hrtimer *timer = &M->sched->calc_load_timer;

	hrtimer_setup(timer, calc_global_load);
	hrtimer_start_on(timer, M->clock_ns + jiffies_to_nsecs(LOAD_FREQ), 0);
}

void get_avenrun(unsigned long *loads, unsigned long offset, int shift)
{
	for (int i = 0; i < 3; i++)
		loads[i] = (M->sched->avenrun[i] + offset) << shift;
}
