/* Tasks (include/linux/sched.h, sched/signal.h, resource.h): task_struct
 * and signal_struct with what memory management, /proc and the process
 * calls need; `current`, the task running on this CPU. The scheduler
 * (kernel/sched/task.h, run.h) picks the running task while the machine
 * runs; outside a run, kernel code and tests may pick it with
 * set_current_task(). */
#ifndef MMSIM_KERNEL_SCHED_H
#define MMSIM_KERNEL_SCHED_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "base/list.h"
#include "kernel/machine.h"
#include "kernel/sched/entity.h"
#include "kernel/sched/wait.h"

struct mm_struct;

#define TASK_COMM_LEN 16

/* Kernel stacks: 16 KiB on 64-bit, 8 KiB on i386. */
#define THREAD_SIZE_ORDER (M->arch->bits == 64 ? 2U : 1U)
#define THREAD_SIZE (PAGE_SIZE << THREAD_SIZE_ORDER)

/* __state and exit_state (include/linux/sched.h). */
#define TASK_RUNNING 0x0000u
#define TASK_INTERRUPTIBLE 0x0001u
#define TASK_UNINTERRUPTIBLE 0x0002u
#define __TASK_STOPPED 0x0004u
#define EXIT_DEAD 0x0010u
#define EXIT_ZOMBIE 0x0020u
#define TASK_DEAD 0x0080u

/* task->flags */
#define PF_IDLE 0x00000002u
#define PF_EXITING 0x00000004u
#define PF_VCPU 0x00000010u
#define PF_FORKNOEXEC 0x00000040u
#define PF_SIGNALED 0x00000400u
#define PF_KTHREAD 0x00200000u
#define PF_RANDOMIZE 0x00400000u

/* Resource limits (include/uapi/asm-generic/resource.h). */
enum {
	RLIMIT_CPU,
	RLIMIT_FSIZE,
	RLIMIT_DATA,
	RLIMIT_STACK,
	RLIMIT_CORE,
	RLIMIT_RSS,
	RLIMIT_NPROC,
	RLIMIT_NOFILE,
	RLIMIT_MEMLOCK,
	RLIMIT_AS,
	RLIMIT_LOCKS,
	RLIMIT_SIGPENDING,
	RLIMIT_MSGQUEUE,
	RLIMIT_NICE,
	RLIMIT_RTPRIO,
	RLIMIT_RTTIME,
	RLIM_NLIMITS
};

#define RLIM_INFINITY (~0UL)
#define _STK_LIM (8UL * 1024 * 1024)
#define MLOCK_LIMIT (8UL * 1024 * 1024)

struct rlimit {
	unsigned long rlim_cur, rlim_max;
};

/* What wait4 reports of a reaped child (include/uapi/linux/resource.h). */
struct __kernel_old_timeval {
	long tv_sec, tv_usec;
};

struct rusage {
	struct __kernel_old_timeval ru_utime, ru_stime;
	long ru_maxrss; /* KiB */
	long ru_ixrss, ru_idrss, ru_isrss;
	long ru_minflt, ru_majflt;
	long ru_nswap, ru_inblock, ru_oublock;
	long ru_msgsnd, ru_msgrcv, ru_nsignals;
	long ru_nvcsw, ru_nivcsw;
};

/* A fault signal the task took (the siginfo of force_sig_fault). */
struct fault_signal {
	int signo; /* 0: none; SIGSEGV or SIGBUS */
	int code; /* SEGV_MAPERR, SEGV_ACCERR, BUS_ADRERR... */
	unsigned long addr;
	unsigned long error_code; /* x86 page-fault error code */
};

/* signal->flags */
#define SIGNAL_STOP_STOPPED 0x00000001u /* the group is stopped (SIGSTOP) */
#define SIGNAL_STOP_CONTINUED 0x00000002u /* SIGCONT came: for WCONTINUED */
#define SIGNAL_GROUP_EXIT 0x00000004u /* the group is exiting (exit_group) */
#define SIGNAL_UNKILLABLE 0x00000040u /* init: ignores fatal signals */

/* A set of pending signals: bit sig - 1 for signal sig (1..64). */
typedef uint64_t sigset_t_k;

/* What the threads of a process share (include/linux/sched/signal.h). */
struct signal_struct {
	int sigcnt; /* task_structs that point here (freed at 0) */
	int nr_threads; /* threads not yet released */
	int live; /* threads not yet exited */
	unsigned int flags; /* SIGNAL_* */
	int group_exit_code;
	unsigned long min_flt, maj_flt; /* of dead threads */
	unsigned long cmin_flt, cmaj_flt; /* of waited-for children */
	uint64_t utime, stime; /* ns, of dead threads */
	uint64_t cutime, cstime; /* ns, of waited-for children */
	unsigned long maxrss, cmaxrss; /* pages */
	struct rlimit rlim[RLIM_NLIMITS];
	sigset_t_k shared_pending; /* signals sent to the process */
	struct wait_queue_head wait_chldexit; /* threads in wait4 */
	/* The OOM killer (mm/oom.h): the mm of a victim (referenced), and
	 * oom_score_adj with the floor an unprivileged writer may go to;
	 * both inherited across fork. */
	struct mm_struct *oom_mm;
	short oom_score_adj, oom_score_adj_min;
};

/* clone() flags (include/uapi/linux/sched.h), spelt as glibc spells them
 * so that either definition may come first. */
#define CSIGNAL 0x000000ff
#define CLONE_VM 0x00000100
#define CLONE_FS 0x00000200
#define CLONE_FILES 0x00000400
#define CLONE_SIGHAND 0x00000800
#define CLONE_PIDFD 0x00001000
#define CLONE_PTRACE 0x00002000
#define CLONE_VFORK 0x00004000
#define CLONE_PARENT 0x00008000
#define CLONE_THREAD 0x00010000
#define CLONE_NEWNS 0x00020000
#define CLONE_SYSVSEM 0x00040000
#define CLONE_SETTLS 0x00080000
#define CLONE_PARENT_SETTID 0x00100000
#define CLONE_CHILD_CLEARTID 0x00200000
#define CLONE_DETACHED 0x00400000
#define CLONE_UNTRACED 0x00800000
#define CLONE_CHILD_SETTID 0x01000000
#define CLONE_NEWCGROUP 0x02000000
#define CLONE_NEWUTS 0x04000000
#define CLONE_NEWIPC 0x08000000
#define CLONE_NEWUSER 0x10000000
#define CLONE_NEWPID 0x20000000
#define CLONE_NEWNET 0x40000000
#define CLONE_IO 0x80000000

struct task_struct {
	unsigned int __state;
	unsigned int exit_state; /* EXIT_ZOMBIE, EXIT_DEAD */
	int exit_code; /* wait status: (code << 8) | signal */
	int exit_signal; /* sent to the parent at exit (SIGCHLD) */
	unsigned int flags; /* PF_* */
	pid_t pid, tgid;
	char comm[TASK_COMM_LEN];
	int cpu;
	struct task_struct *real_parent, *group_leader;
	struct list_head children; /* our children, by sibling */
	struct list_head sibling; /* in the parent's children */
	struct list_head thread_node; /* in the leader's thread list */
	struct list_head thread_group; /* leader: its threads, itself first */
	struct list_head tasks; /* every task of the machine */
	struct list_head pid_hash; /* in the pid lookup table */
	struct mm_struct *mm; /* NULL for kernel threads */
	struct mm_struct *active_mm; /* the mm whose tables are loaded */
	struct signal_struct *signal;
	unsigned long min_flt, maj_flt; /* page faults without / with I/O */
	unsigned long nvcsw, nivcsw;
	uint64_t start_time; /* ns of virtual time since boot */
	void *stack; /* kernel stack, THREAD_SIZE bytes */
	struct task_struct *vfork_parent; /* parent waiting in vfork */
	struct fault_signal fault_sig;
	/* References: one for whoever releases the task (release_task),
	 * one its own, dropped once it has left its CPU for good. */
	int usage;
	struct wait_queue_entry child_wait; /* on the parent's wait_chldexit */
	unsigned long user_ip, user_sp; /* user registers (start_thread) */

	/* The scheduler (kernel/sched/entity.h, kernel/sched/task.h). */
	const struct sched_class *sched_class; /* NULL until sched_fork */
	int on_rq; /* TASK_ON_RQ_QUEUED: on its CPU's runqueue */
	int on_cpu; /* running on its CPU */
	int prio, static_prio, normal_prio;
	unsigned int rt_priority;
	unsigned int policy;
	bool sched_reset_on_fork;
	bool in_iowait; /* sleeping in io_schedule() */
	bool in_memstall; /* between psi_memstall_enter() and _leave() */
	/* In a fault that waits for writeback and retries when short of
	 * memory (mm/memory.c): its allocations fail quietly then. */
	bool fault_may_throttle;
	struct sched_entity se;
	struct sched_rt_entity rt;
	unsigned long cpus_mask[BITS_TO_LONGS(NR_CPUS)]; /* affinity */
	int nr_cpus_allowed;
	int wake_cpu;
	uint64_t utime, stime; /* ns in user mode and in the kernel */
	struct sched_info sched_info;
	unsigned int
		psi_flags; /* TSK_* counted on psi_cpu (kernel/sched/psi.h) */
	int psi_cpu;
	struct task_body body; /* what it runs (kernel/sched/run.h) */
};

/* The running task of this CPU: its idle task when nothing else runs. */
#define current (M->cpus[M->this_cpu].curr)

static inline unsigned long rlimit(unsigned int limit)
{
	return current->signal->rlim[limit].rlim_cur;
}

static inline bool thread_group_leader(const struct task_struct *t)
{
	return t->group_leader == t;
}

static inline pid_t task_tgid_nr(const struct task_struct *t)
{
	return t->tgid;
}

/* Boot: the idle task swapper/N of each CPU, running. */
bool sched_init(void);

/* Makes t the running task of this CPU, loading its address space (the
 * part of context_switch() that mmsim needs before the scheduler); NULL
 * picks this CPU's idle task. A task that cannot run (exited, or asleep
 * like a parent waiting in vfork) is refused with a WARNING and current
 * stays as it was. */
void set_current_task(struct task_struct *t);

static inline bool thread_group_empty(const struct task_struct *p)
{
	return list_is_singular(&p->group_leader->thread_group);
}

/* A leader whose other threads still live cannot be reaped yet. */
static inline bool delay_group_leader(const struct task_struct *p)
{
	return thread_group_leader(p) && !thread_group_empty(p);
}

/* Each process (thread-group leader) of the machine but swapper, which
 * heads the list (as Linux's for_each_process skips init_task). */
#define for_each_process(p)                                 \
	list_for_each_entry(p, &M->init_task->tasks, tasks) \
		if (thread_group_leader(p))

/* Each thread of p's process, the leader first. */
#define for_each_thread(p, t) \
	list_for_each_entry(t, &(p)->group_leader->thread_group, thread_node)

#endif
