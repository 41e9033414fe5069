/* The scheduler's state in each task (include/linux/sched.h,
 * uapi/linux/sched.h, sched/prio.h): policies and priorities, the more
 * task states, the CFS and RT scheduling entities, run-delay statistics,
 * and mmsim's task body (what the task runs: kernel/sched/run.h).
 * task_struct embeds these; kernel/sched.h includes this header. */
#ifndef MMSIM_KERNEL_SCHED_ENTITY_H
#define MMSIM_KERNEL_SCHED_ENTITY_H

#include <stdint.h>

#include "base/list.h"
#include "base/rbtree.h"
#include "kernel/time/hrtimer.h"

/* Scheduling policies (include/uapi/linux/sched.h). */
#define SCHED_NORMAL 0
#define SCHED_FIFO 1
#define SCHED_RR 2
#define SCHED_BATCH 3
#define SCHED_IDLE 5
#define SCHED_DEADLINE 6
#define SCHED_RESET_ON_FORK 0x40000000

/* Priorities (include/linux/sched/prio.h): 0..99 real-time (99 -
 * rt_priority), 100..139 the nice levels -20..19. */
#define MAX_NICE 19
#define MIN_NICE -20
#define NICE_WIDTH (MAX_NICE - MIN_NICE + 1)
#define MAX_RT_PRIO 100
#define MAX_PRIO (MAX_RT_PRIO + NICE_WIDTH)
#define DEFAULT_PRIO (MAX_RT_PRIO + NICE_WIDTH / 2)
#define NICE_TO_PRIO(nice) ((nice) + DEFAULT_PRIO)
#define PRIO_TO_NICE(prio) ((prio)-DEFAULT_PRIO)

/* The task states beyond kernel/sched.h's (include/linux/sched.h). */
#define __TASK_TRACED 0x0008u
#define TASK_PARKED 0x0040u
#define TASK_WAKEKILL 0x0100u
#define TASK_WAKING 0x0200u
#define TASK_NOLOAD 0x0400u
#define TASK_NEW 0x0800u
#define TASK_KILLABLE (TASK_WAKEKILL | TASK_UNINTERRUPTIBLE)
#define TASK_STOPPED (TASK_WAKEKILL | __TASK_STOPPED)
#define TASK_IDLE (TASK_UNINTERRUPTIBLE | TASK_NOLOAD)
#define TASK_NORMAL (TASK_INTERRUPTIBLE | TASK_UNINTERRUPTIBLE)

/* task->on_rq */
#define TASK_ON_RQ_QUEUED 1
#define TASK_ON_RQ_MIGRATING 2

struct load_weight {
	unsigned long weight; /* sched_prio_to_weight[]: nice 0 is 1024 */
};

/* A CFS entity (only tasks: there is no group scheduling). */
struct sched_entity {
	struct load_weight load;
	struct rb_node run_node; /* in the cfs_rq's tree while waiting */
	unsigned int on_rq;
	uint64_t exec_start; /* clock when accounting last ran */
	uint64_t sum_exec_runtime; /* ns on a CPU */
	uint64_t prev_sum_exec_runtime; /* sum_exec_runtime when picked */
	uint64_t vruntime; /* weighted runtime, ns */
	uint64_t nr_migrations;
};

/* A real-time entity: a place in a priority list. */
struct sched_rt_entity {
	struct list_head run_list;
	unsigned int time_slice; /* ticks left of an RR slice */
	unsigned short on_rq;
};

/* CONFIG_SCHED_INFO (/proc/PID/schedstat): time spent runnable but
 * waiting for a CPU. */
struct sched_info {
	unsigned long pcount; /* times run on a CPU */
	uint64_t run_delay; /* ns waited on a runqueue */
	uint64_t last_arrival; /* when it last got a CPU */
	uint64_t last_queued; /* when it was queued, 0 if not waiting */
};

struct task_struct;

/* A task's program, one step at a time (kernel/sched/run.h). Returns
 * TASK_BODY_RUN to be called again or TASK_BODY_EXIT when done. */
typedef int (*task_body_fn)(struct task_struct *p, void *arg);

struct task_body {
	task_body_fn fn; /* NULL: nothing to run (a task made for tests) */
	void *arg;
	uint64_t user_ns; /* CPU work left in user mode (compute) */
	uint64_t sys_ns; /* CPU work left in the kernel (cost_charge) */
	unsigned int flags; /* TASK_BODY_* flags (run.h) */
	unsigned int idle_steps; /* steps in a row that did nothing */
	struct hrtimer timer; /* its sleeps */
};

#endif
