/* Pressure stall information (include/linux/psi_types.h, kernel/sched/
 * psi.c): how much of the time tasks were held up waiting for a CPU, for
 * I/O, or for memory (reclaim, refaults, swap-in). Each CPU counts its
 * tasks by what they are doing; from the counts follow its states
 * (SOME: at least one task stalled, FULL: every non-idle task stalled),
 * whose times make the totals and the 10 s, 60 s and 300 s averages of
 * /proc/pressure/{cpu,io,memory}. */
#ifndef MMSIM_KERNEL_SCHED_PSI_H
#define MMSIM_KERNEL_SCHED_PSI_H

#include <stdint.h>

#include "base/seq_file.h"
#include "kernel/time/hrtimer.h"

struct task_struct;

enum psi_task_count {
	NR_IOWAIT,
	NR_MEMSTALL,
	NR_RUNNING,
	NR_ONCPU,
	NR_MEMSTALL_RUNNING, /* memstalled and runnable (in reclaim) */
	NR_PSI_TASK_COUNTS
};

#define TSK_IOWAIT (1u << NR_IOWAIT)
#define TSK_MEMSTALL (1u << NR_MEMSTALL)
#define TSK_RUNNING (1u << NR_RUNNING)
#define TSK_ONCPU (1u << NR_ONCPU)
#define TSK_MEMSTALL_RUNNING (1u << NR_MEMSTALL_RUNNING)

enum psi_res { PSI_IO, PSI_MEM, PSI_CPU, NR_PSI_RESOURCES };

/* SOME and FULL of each resource (res * 2 + full), then non-idle. */
enum psi_states {
	PSI_IO_SOME,
	PSI_IO_FULL,
	PSI_MEM_SOME,
	PSI_MEM_FULL,
	PSI_CPU_SOME,
	PSI_CPU_FULL, /* undefined for the whole system: always 0 */
	PSI_NONIDLE,
	NR_PSI_STATES
};

struct psi_group_cpu {
	unsigned int tasks[NR_PSI_TASK_COUNTS];
	unsigned int state_mask;
	uint64_t state_start; /* clock of the last change */
	uint64_t times[NR_PSI_STATES]; /* ns in each state */
	uint64_t times_prev[NR_PSI_STATES]; /* at the last collection */
};

struct psi_group {
	uint64_t total[NR_PSI_STATES]; /* ns stalled, system-wide */
	uint64_t avg_total[NR_PSI_STATES]; /* total at the last average */
	uint64_t avg_last_update;
	unsigned long avg[NR_PSI_STATES][3]; /* FIXED_1 percent */
	struct hrtimer avgs_timer;
};

/* At boot (after the runqueues). */
void psi_init(void);
/* The scheduler's hooks: p was queued (a wakeup ends its I/O wait),
 * p left its runqueue (to sleep if sleep, else to move), prev left the
 * CPU and next got it. */
void psi_enqueue(struct task_struct *p);
void psi_dequeue(struct task_struct *p, bool sleep);
void psi_sched_switch(struct task_struct *prev, struct task_struct *next);

/* current stalls on memory (reclaim, refault, swap-in) until the
 * matching leave; nested calls count once (flags keeps the state). */
void psi_memstall_enter(unsigned long *flags);
void psi_memstall_leave(unsigned long *flags);

/* /proc/pressure/{io,memory,cpu} */
void psi_io_show(struct seq_file *m);
void psi_memory_show(struct seq_file *m);
void psi_cpu_show(struct seq_file *m);

#endif
