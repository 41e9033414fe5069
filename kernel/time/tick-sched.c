/* The per-CPU scheduler tick (kernel/time/tick-sched.c, timer.c): an
 * hrtimer every TICK_NSEC on the global tick grid, calling
 * update_process_times() -> sched_tick(). A CPU running its idle task
 * has no tick (NO_HZ_IDLE); the tick restarts at the next boundary of
 * the grid when the CPU gets work. */
#include "kernel/sched/task.h"
#include "kernel/time/internal.h"
#include "kernel/time/time.h"
#include "mm/vmstat.h"

static struct tick_sched *tick_sched_of(int cpu)
{
	return &M->timers->ticks[cpu];
}

/* update_process_times(): CPU time is accounted exactly at every switch
 * and tick by the engine, so only the scheduler's part is left. */
static void update_process_times(void)
{
	sched_tick();
}

static enum hrtimer_restart tick_sched_timer(struct hrtimer *timer)
{
	update_process_times();
	hrtimer_forward_now(timer, TICK_NSEC);
	return HRTIMER_RESTART;
}

static void tick_sched_restart(int cpu)
{
	struct tick_sched *ts = tick_sched_of(cpu);
	uint64_t next = (M->clock_ns / TICK_NSEC + 1) * TICK_NSEC;

	ts->tick_stopped = false;
	hrtimer_start_on(&ts->sched_timer, next, cpu);
}

void tick_init(void)
{
	int cpu;

	for_each_online_cpu(cpu) {
		struct tick_sched *ts = tick_sched_of(cpu);

		hrtimer_setup(&ts->sched_timer, tick_sched_timer);
		ts->tick_stopped = true;
	}
}

void tick_nohz_idle_enter(int cpu)
{
	struct tick_sched *ts = tick_sched_of(cpu);

	if (ts->tick_stopped)
		return;
	hrtimer_cancel(&ts->sched_timer);
	ts->tick_stopped = true;
}

void tick_nohz_idle_exit(int cpu)
{
	if (tick_sched_of(cpu)->tick_stopped)
		tick_sched_restart(cpu);
}

bool tick_running(int cpu)
{
	return !tick_sched_of(cpu)->tick_stopped;
}
