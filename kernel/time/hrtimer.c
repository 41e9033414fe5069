/* The hrtimer queue (kernel/time/hrtimer.c): one red-black tree of the
 * machine's timers ordered by expiry, then start order, with the first
 * node kept; firing a timer moves the virtual clock to its expiry. */
#include "kernel/time/hrtimer.h"

#include <errno.h>
#include <stdlib.h>
#include <time.h>

#include "kernel/sched/task.h"
#include "kernel/syscalls.h"
#include "kernel/time/internal.h"
#include "kernel/time/time.h"

bool hrtimers_init(void)
{
	size_t bytes = sizeof(struct timer_bases) +
		       sizeof(struct tick_sched) * (size_t)M->nr_cpus;

	M->timers = calloc(1, bytes);
	if (!M->timers)
		return false;
	M->timers->root = RB_ROOT;
	return true;
}

void hrtimers_destroy(struct machine *m)
{
	free(m->timers);
	m->timers = NULL;
}

void hrtimer_setup(struct hrtimer *timer,
		   enum hrtimer_restart (*function)(struct hrtimer *))
{
	RB_CLEAR_NODE(&timer->node);
	timer->function = function;
	timer->expires = 0;
	timer->seq = 0;
	timer->cpu = 0;
	timer->queued = false;
}

static bool hrtimer_before(const struct hrtimer *a, const struct hrtimer *b)
{
	return a->expires < b->expires ||
	       (a->expires == b->expires && a->seq < b->seq);
}

static void enqueue_hrtimer(struct hrtimer *timer)
{
	struct timer_bases *b = M->timers;
	struct rb_node **link = &b->root.rb_node, *parent = NULL;
	bool leftmost = true;

	timer->seq = ++b->seq;
	while (*link) {
		parent = *link;
		if (hrtimer_before(timer,
				   rb_entry(parent, struct hrtimer, node))) {
			link = &parent->rb_left;
		} else {
			link = &parent->rb_right;
			leftmost = false;
		}
	}
	rb_link_node(&timer->node, parent, link);
	rb_insert_color(&timer->node, &b->root);
	if (leftmost)
		b->leftmost = &timer->node;
	timer->queued = true;
}

static void dequeue_hrtimer(struct hrtimer *timer)
{
	struct timer_bases *b = M->timers;

	if (b->leftmost == &timer->node)
		b->leftmost = rb_next(&timer->node);
	rb_erase(&timer->node, &b->root);
	RB_CLEAR_NODE(&timer->node);
	timer->queued = false;
}

void hrtimer_start_on(struct hrtimer *timer, uint64_t expires, int cpu)
{
	if (timer->queued)
		dequeue_hrtimer(timer);
	timer->expires = expires;
	timer->cpu = cpu;
	enqueue_hrtimer(timer);
}

void hrtimer_start(struct hrtimer *timer, uint64_t tim, enum hrtimer_mode mode)
{
	if (mode == HRTIMER_MODE_REL)
		tim = tim > KTIME_MAX - M->clock_ns ? KTIME_MAX :
						      M->clock_ns + tim;
	hrtimer_start_on(timer, tim, smp_processor_id());
}

int hrtimer_cancel(struct hrtimer *timer)
{
	if (!timer->queued)
		return 0;
	dequeue_hrtimer(timer);
	return 1;
}

uint64_t hrtimer_forward(struct hrtimer *timer, uint64_t now, uint64_t interval)
{
	uint64_t orun;

	if (now < timer->expires || !interval)
		return 0;
	orun = (now - timer->expires) / interval + 1;
	timer->expires += orun * interval;
	return orun;
}

uint64_t hrtimer_forward_now(struct hrtimer *timer, uint64_t interval)
{
	return hrtimer_forward(timer, M->clock_ns, interval);
}

uint64_t hrtimer_next_expiry(void)
{
	struct rb_node *first = M->timers->leftmost;

	return first ? rb_entry(first, struct hrtimer, node)->expires :
		       KTIME_MAX;
}

bool hrtimer_run_next(uint64_t until)
{
	struct rb_node *first = M->timers->leftmost;
	struct hrtimer *timer;
	int cpu = M->this_cpu;

	if (!first)
		return false;
	timer = rb_entry(first, struct hrtimer, node);
	if (timer->expires > until)
		return false;
	dequeue_hrtimer(timer);
	if (timer->expires > M->clock_ns)
		M->clock_ns = timer->expires;
	M->this_cpu = timer->cpu;
	if (timer->function(timer) == HRTIMER_RESTART && !timer->queued)
		enqueue_hrtimer(timer);
	M->this_cpu = cpu;
	return true;
}

long sys_nanosleep(const struct timespec *rqtp, struct timespec *rmtp)
{
	(void)rmtp;
	if (!rqtp)
		return -EFAULT;
	if (rqtp->tv_sec < 0 || rqtp->tv_nsec < 0 ||
	    rqtp->tv_nsec >= (long)NSEC_PER_SEC)
		return -EINVAL;
	hrtimer_nanosleep((uint64_t)rqtp->tv_sec * NSEC_PER_SEC +
				  (uint64_t)rqtp->tv_nsec,
			  HRTIMER_MODE_REL);
	return 0;
}
