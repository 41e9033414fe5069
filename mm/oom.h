/* The OOM killer (include/linux/oom.h, uapi/linux/oom.h): the badness of
 * a process, the oom_control the allocator hands out_of_memory() when
 * reclaim has failed, the victim state a killed process carries, and the
 * oom_score_adj setter behind /proc/PID/oom_score_adj and oom_adj. */
#ifndef MMSIM_MM_OOM_H
#define MMSIM_MM_OOM_H

#include <stdbool.h>

#include "kernel/sched.h"
#include "mm/gfp.h"

/* /proc/PID/oom_score_adj and the legacy /proc/PID/oom_adj. */
#define OOM_SCORE_ADJ_MIN (-1000)
#define OOM_SCORE_ADJ_MAX 1000
#define OOM_DISABLE (-17)
#define OOM_ADJUST_MIN (-16)
#define OOM_ADJUST_MAX 15

/* mm->flags: the OOM killer is done with this mm (reaped, or exited). */
#define MMF_OOM_SKIP 21

enum oom_constraint {
	CONSTRAINT_NONE,
	CONSTRAINT_CPUSET,
	CONSTRAINT_MEMORY_POLICY,
	CONSTRAINT_MEMCG,
};

struct oom_control {
	gfp_t gfp_mask; /* of the allocation that failed */
	int order;
	unsigned long totalpages; /* RAM + swap, set by out_of_memory() */
	struct task_struct *chosen; /* the victim's leader, or NULL */
	long chosen_points;
	enum oom_constraint constraint;
};

/* Whether tsk's process was chosen by the OOM killer (it has reserves);
 * false before tasks exist. */
static inline bool tsk_is_oom_victim(const struct task_struct *tsk)
{
	return tsk && tsk->signal && tsk->signal->oom_mm;
}

/* fatal_signal_pending() (include/linux/sched/signal.h): SIGKILL is on
 * its way to p's process. */
static inline bool fatal_signal_pending(const struct task_struct *p)
{
	return p->signal->shared_pending & (1ULL << (9 /* SIGKILL */ - 1));
}

/* The process's badness: rss + swap entries + page-table pages, plus
 * oom_score_adj * totalpages / 1000; LONG_MIN when it may not be killed
 * (init, kernel threads, oom_score_adj -1000, no mm, already reaped). */
long oom_badness(struct task_struct *p, unsigned long totalpages);
/* /proc/PID/oom_score: badness scaled to 0..2000 as Linux shows it. */
unsigned long oom_score(struct task_struct *p);

/* Called by the page allocator when reclaim cannot make progress: kills
 * the process with the highest badness (and reaps its memory at once
 * unless it is current), or gives a dying current the reserves. true
 * when the allocation should be retried. May panic (vm.panic_on_oom, or
 * nothing killable). */
bool out_of_memory(struct oom_control *oc);

/* A page fault returned VM_FAULT_OOM: true to retry the access (the OOM
 * killer freed memory for it), false when it fails (current is being
 * killed; the SIGKILL ends it). */
bool pagefault_out_of_memory(void);

/* Writes task's oom_score_adj (legacy: oom_adj's value already scaled)
 * as current: 0, or -EACCES when an unprivileged writer lowers it below
 * what it may (oom_score_adj_min; for oom_adj the current value).
 * Processes sharing task's mm get the same value. */
int set_oom_score_adj(struct task_struct *task, int adj, bool legacy);
/* Whether current has CAP_SYS_RESOURCE: swapper (the scenario's top
 * level), init and kernel threads run as root, user tasks as uid 1000. */
bool capable_sys_resource(void);

#endif
