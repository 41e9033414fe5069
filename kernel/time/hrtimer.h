/* High-resolution timers (include/linux/hrtimer.h): the event queue of
 * the discrete-event engine. Every future event of the machine is an
 * hrtimer: CPU ticks, sleeps, the RT bandwidth period, the end of the
 * CPU work a task asked for, and (later) I/O completions, which a
 * device model posts as a timer whose function completes the request
 * and wakes the waiting task. Timers fire in order of expiry, then of
 * the order they were started in, so runs are reproducible.
 *
 * A timer belongs to the CPU that started it and fires there: its
 * function runs with smp_processor_id() == that CPU and the clock at the
 * expiry time. One queue holds the timers of every CPU (Linux has a
 * base per CPU); the order is the same. */
#ifndef MMSIM_KERNEL_TIME_HRTIMER_H
#define MMSIM_KERNEL_TIME_HRTIMER_H

#include <stdbool.h>
#include <stdint.h>

#include "base/rbtree.h"

struct machine;

enum hrtimer_restart {
	HRTIMER_NORESTART, /* the timer is done */
	HRTIMER_RESTART, /* the function moved the expiry: fire again */
};

enum hrtimer_mode {
	HRTIMER_MODE_ABS, /* an absolute time in ns since boot */
	HRTIMER_MODE_REL, /* ns from now */
};

struct hrtimer {
	struct rb_node node;
	uint64_t expires; /* ns of virtual time */
	uint64_t seq; /* when it was started: breaks ties in expiry */
	enum hrtimer_restart (*function)(struct hrtimer *);
	int cpu; /* fires on this CPU */
	bool queued; /* in the queue (hrtimer_is_queued) */
};

/* Boot: the machine's timer queue. */
bool hrtimers_init(void);
/* Frees the queue's host memory (machine_destroy). */
void hrtimers_destroy(struct machine *m);

/* Linux's hrtimer_setup(): function runs when the timer expires. */
void hrtimer_setup(struct hrtimer *timer,
		   enum hrtimer_restart (*function)(struct hrtimer *));
/* (Re)starts timer on this CPU at tim (absolute or relative ns). A time
 * already past fires at the next step of the engine. */
void hrtimer_start(struct hrtimer *timer, uint64_t tim, enum hrtimer_mode mode);
/* mmsim: starts timer at the absolute time expires on cpu. */
void hrtimer_start_on(struct hrtimer *timer, uint64_t expires, int cpu);
/* Stops the timer: 1 if it was queued, 0 if not. */
int hrtimer_cancel(struct hrtimer *timer);

static inline bool hrtimer_is_queued(const struct hrtimer *timer)
{
	return timer->queued;
}

#define hrtimer_active(t) hrtimer_is_queued(t)

static inline uint64_t hrtimer_get_expires(const struct hrtimer *timer)
{
	return timer->expires;
}

/* Moves the expiry forward by whole intervals to the first one after
 * now; returns how many intervals (0 if it was already after now). */
uint64_t hrtimer_forward(struct hrtimer *timer, uint64_t now,
			 uint64_t interval);
uint64_t hrtimer_forward_now(struct hrtimer *timer, uint64_t interval);

/* ---- the engine's side --------------------------------------------------- */

/* The expiry of the first queued timer, KTIME_MAX when none is. */
uint64_t hrtimer_next_expiry(void);
/* Fires the first timer if it expires at or before until: the clock
 * moves to its expiry (never backwards) and this CPU becomes the timer's
 * while its function runs. Returns false when no timer is that early. */
bool hrtimer_run_next(uint64_t until);

#endif
