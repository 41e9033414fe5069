/* Virtual time (include/linux/jiffies.h, ktime.h, time64.h): the
 * machine's clock in nanoseconds since boot, HZ and jiffies, and the
 * per-CPU scheduler tick (kernel/time/tick-sched.c). Nothing here reads
 * the host's clock: time moves only when the event engine
 * (kernel/sched/run.h) advances it to the next event. */
#ifndef MMSIM_KERNEL_TIME_TIME_H
#define MMSIM_KERNEL_TIME_TIME_H

#include <limits.h>
#include <stdint.h>

#include "base/kernel.h"
#include "kernel/machine.h"

#define NSEC_PER_USEC 1000ULL
#define NSEC_PER_MSEC 1000000ULL
#define NSEC_PER_SEC 1000000000ULL
#define USEC_PER_SEC 1000000ULL
#define KTIME_MAX UINT64_MAX

/* CONFIG_HZ_250, as Debian's kernels are built. */
#define HZ 250
#define TICK_NSEC ((NSEC_PER_SEC + HZ / 2) / HZ)
/* jiffies start 5 minutes before wrapping their low 32 bits. */
#define INITIAL_JIFFIES ((unsigned long)(unsigned int)(-300 * HZ))
#define MAX_SCHEDULE_TIMEOUT LONG_MAX
/* The clock ticks of the user ABI (times(), /proc/PID/stat, /proc/stat). */
#define USER_HZ 100

static inline unsigned long long nsec_to_clock_t(uint64_t ns)
{
	return ns / (NSEC_PER_SEC / USER_HZ);
}

/* ktime_get(): nanoseconds of virtual time since boot. */
static inline uint64_t ktime_get_ns(void)
{
	return M->clock_ns;
}

/* jiffies_64: INITIAL_JIFFIES plus the ticks since boot. Linux's
 * do_timer() counts the ticks; with one virtual clock the count is the
 * elapsed time in tick periods, whichever CPUs were ticking. */
static inline uint64_t get_jiffies_64(void)
{
	return INITIAL_JIFFIES + M->clock_ns / TICK_NSEC;
}

#define jiffies ((unsigned long)get_jiffies_64())

static inline unsigned long msecs_to_jiffies(unsigned int m)
{
	return DIV_ROUND_UP((unsigned long)m * HZ, 1000UL);
}

static inline unsigned long usecs_to_jiffies(unsigned int u)
{
	return DIV_ROUND_UP((unsigned long)u * HZ, 1000000UL);
}

static inline unsigned long nsecs_to_jiffies(uint64_t n)
{
	return (unsigned long)(n / TICK_NSEC);
}

static inline unsigned int jiffies_to_msecs(unsigned long j)
{
	return (unsigned int)(j * (1000 / HZ));
}

static inline uint64_t jiffies_to_nsecs(unsigned long j)
{
	return (uint64_t)j * TICK_NSEC;
}

/* ---- the per-CPU tick (kernel/time/tick-sched.c) ------------------------- */

/* Boot: the tick of every CPU, stopped while it is idle (NO_HZ_IDLE). */
void tick_init(void);
/* The CPU goes idle: its tick stops. */
void tick_nohz_idle_enter(int cpu);
/* The CPU has work again: its tick restarts at the next tick boundary
 * of the global tick grid (multiples of TICK_NSEC since boot). */
void tick_nohz_idle_exit(int cpu);
/* Whether cpu's tick is running. */
bool tick_running(int cpu);

#endif
