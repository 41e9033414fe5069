/* Process ids (kernel/pid.c): Linux's cyclic allocation below pid_max,
 * wrapping to RESERVED_PIDS, and lookup of a task by pid. */
#ifndef MMSIM_KERNEL_PID_H
#define MMSIM_KERNEL_PID_H

#include <stdbool.h>
#include <sys/types.h>

struct task_struct;

#define PID_MAX_DEFAULT 0x8000
#define PID_MAX_LIMIT (4 * 1024 * 1024)
#define RESERVED_PIDS 300
#define PIDS_PER_CPU_DEFAULT 1024

/* Boot: pid_max from the CPU count, the table of used pids. */
bool pid_idr_init(void);
/* The next free pid after the last one given, or -EAGAIN when every pid
 * below pid_max is in use. */
pid_t alloc_pid(void);
void free_pid(pid_t nr);
/* The pid allocated last (/proc/loadavg's last field). */
pid_t pid_last(void);
/* Makes t findable by t->pid; detach_pid() undoes it. */
void attach_pid(struct task_struct *t);
void detach_pid(struct task_struct *t);
struct task_struct *find_task_by_vpid(pid_t nr);

#endif
