/* The machine's timer state, shared by kernel/time/ files: the queue of
 * hrtimers (a red-black tree by expiry and start order, its leftmost
 * node kept) and each CPU's tick (struct tick_sched). Host memory, like
 * the per-CPU data Linux keeps outside the slab. */
#ifndef MMSIM_KERNEL_TIME_INTERNAL_H
#define MMSIM_KERNEL_TIME_INTERNAL_H

#include "kernel/time/hrtimer.h"

struct tick_sched {
	struct hrtimer sched_timer; /* the tick */
	bool tick_stopped; /* idle: no tick (NO_HZ_IDLE) */
};

struct timer_bases {
	struct rb_root root;
	struct rb_node *leftmost; /* the next timer to fire */
	uint64_t seq; /* timers started so far */
	struct tick_sched ticks[]; /* one per CPU */
};

#endif
