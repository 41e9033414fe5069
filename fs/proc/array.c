/* /proc/PID/status, stat and statm (fs/proc/array.c): every line and
 * field of Linux 6.16 in its order and format. What mmsim models (state,
 * ids, parent, memory, faults, limits, threads, CPUs and nodes, start
 * time) is real; what it does not (credentials, signals, capabilities,
 * seccomp, CPU time) shows what an ordinary unprivileged task has. */
#include <signal.h>
#include <string.h>

#include "fs/proc/internal.h"
#include "kernel/sched.h"
#include "kernel/sched/task.h"
#include "kernel/time/time.h"
#include "mm/mm.h"

/* The credentials every task shows: an ordinary user's. */
#define TASK_UID 1000
#define TASK_GID 1000
#define TASK_UMASK 0022
#define CAP_LAST_CAP 40 /* CAP_CHECKPOINT_RESTORE */
#define MAX_RT_PRIO 100
#define NR_OPEN_DEFAULT ((unsigned)M->arch->bits) /* BITS_PER_LONG */

/* A value of the arch's unsigned long (RLIM_INFINITY is 2^32-1 on i386). */
static unsigned long user_ulong(unsigned long v)
{
	return M->arch->bits == 32 ? v & 0xffffffffUL : v;
}

/* ---- the task's state and relations --------------------------------------- */

static const char *const task_state_array[] = {
	"R (running)", /* 0x00 */
	"S (sleeping)", /* 0x01 */
	"D (disk sleep)", /* 0x02 */
	"T (stopped)", /* 0x04 */
	"t (tracing stop)", /* 0x08 */
	"X (dead)", /* 0x10 */
	"Z (zombie)", /* 0x20 */
	"P (parked)", /* 0x40 */
	"I (idle)", /* 0x80 */
};

#define TASK_REPORT 0x7fu

/* task_state_index(): the highest state bit that is set. */
static const char *get_task_state(const struct task_struct *t)
{
	unsigned int state = (t->__state | t->exit_state) & TASK_REPORT;
	unsigned int i = 0;

	while (state) {
		i++;
		state >>= 1;
	}
	return task_state_array[i];
}

char task_state_to_char(const struct task_struct *t)
{
	return *get_task_state(t);
}

static pid_t task_ppid(const struct task_struct *t)
{
	return t->real_parent ? task_tgid_nr(t->real_parent) : 0;
}

/* mmsim has no process groups or sessions: each process is in the ones
 * of its first ancestor below swapper, as if that one had called
 * setsid() (as init does) and its descendants inherited them. */
static pid_t task_session_nr(const struct task_struct *t)
{
	const struct task_struct *p = t->group_leader;

	while (p->real_parent && p->real_parent->pid && p->real_parent != p)
		p = p->real_parent->group_leader;
	return task_tgid_nr(p);
}

static int get_nr_threads(const struct task_struct *t)
{
	return t->signal ? t->signal->nr_threads : 1;
}

/* ---- status --------------------------------------------------------------------- */

/* The name with '\n' and '\\' escaped (proc_task_name with escape). */
static void task_name(struct seq_file *m, const struct task_struct *t)
{
	seq_puts(m, "Name:\t");
	for (size_t i = 0; i < sizeof(t->comm) && t->comm[i]; i++) {
		char c = t->comm[i];

		if (c == '\n')
			seq_puts(m, "\\n");
		else if (c == '\\')
			seq_puts(m, "\\\\");
		else
			seq_putc(m, c);
	}
	seq_putc(m, '\n');
}

static void task_state(struct seq_file *m, const struct task_struct *t)
{
	pid_t sid = task_session_nr(t);

	seq_printf(m, "Umask:\t%#04o\n", TASK_UMASK);
	seq_printf(m, "State:\t%s\n", get_task_state(t));
	seq_printf(m, "Tgid:\t%d\nNgid:\t0\nPid:\t%d\nPPid:\t%d\n",
		   task_tgid_nr(t), t->pid, task_ppid(t));
	seq_puts(m, "TracerPid:\t0\n");
	seq_printf(m, "Uid:\t%d\t%d\t%d\t%d\n", TASK_UID, TASK_UID, TASK_UID,
		   TASK_UID);
	seq_printf(m, "Gid:\t%d\t%d\t%d\t%d\n", TASK_GID, TASK_GID, TASK_GID,
		   TASK_GID);
	seq_printf(m, "FDSize:\t%u\n", NR_OPEN_DEFAULT);
	/* One group, and the trailing space Linux keeps for compatibility. */
	seq_printf(m, "Groups:\t%d \n", TASK_GID);
	seq_printf(m, "NStgid:\t%d\nNSpid:\t%d\nNSpgid:\t%d\nNSsid:\t%d\n",
		   task_tgid_nr(t), t->pid, sid, sid);
	seq_printf(m, "Kthread:\t%c\n", t->flags & PF_KTHREAD ? '1' : '0');
}

/* A 64-signal set in hex; no signal is pending, blocked or handled. */
static void render_sigset_t(struct seq_file *m, const char *header)
{
	seq_printf(m, "%s%016x\n", header, 0u);
}

static void task_sig(struct seq_file *m, const struct task_struct *t)
{
	seq_printf(m, "Threads:\t%d\n", get_nr_threads(t));
	seq_printf(m, "SigQ:\t0/%lu\n",
		   user_ulong(t->signal->rlim[RLIMIT_SIGPENDING].rlim_cur));
	render_sigset_t(m, "SigPnd:\t");
	render_sigset_t(m, "ShdPnd:\t");
	render_sigset_t(m, "SigBlk:\t");
	render_sigset_t(m, "SigIgn:\t");
	render_sigset_t(m, "SigCgt:\t");
}

static void task_cap(struct seq_file *m)
{
	unsigned long long all = (1ULL << (CAP_LAST_CAP + 1)) - 1;

	seq_printf(m, "CapInh:\t%016llx\n", 0ULL);
	seq_printf(m, "CapPrm:\t%016llx\n", 0ULL);
	seq_printf(m, "CapEff:\t%016llx\n", 0ULL);
	seq_printf(m, "CapBnd:\t%016llx\n", all);
	seq_printf(m, "CapAmb:\t%016llx\n", 0ULL);
}

static bool arch_is_x86_64(void)
{
	return !strcmp(M->arch->name, "x86_64");
}

/* Speculation: on x86 as on a CPU with the default prctl-based
 * mitigations; other arches have no arch_prctl_spec_ctrl_get(). */
static void task_seccomp(struct seq_file *m)
{
	bool x86 = arch_is_x86_64() || !strcmp(M->arch->name, "i386");

	seq_puts(m, "NoNewPrivs:\t0\nSeccomp:\t0\nSeccomp_filters:\t0\n");
	seq_printf(m, "Speculation_Store_Bypass:\t%s\n",
		   x86 ? "thread vulnerable" : "unknown");
	seq_printf(m, "SpeculationIndirectBranch:\t%s\n",
		   x86 ? "conditional enabled" : "unsupported");
}

/* The CPUs the task may run on; every node's memory is allowed. */
static void task_cpus_allowed(struct seq_file *m,
			      const struct task_struct *task)
{
	unsigned long nodes[BITS_TO_LONGS(MAX_NUMNODES)] = { 0 };

	for (int n = 0; n < M->nr_nodes; n++)
		nodes[n / BITS_PER_LONG] |= 1UL << (n % BITS_PER_LONG);
	seq_puts(m, "Cpus_allowed:\t");
	seq_bitmap(m, task->cpus_mask, (unsigned)M->nr_cpus);
	seq_puts(m, "\nCpus_allowed_list:\t");
	seq_bitmap_list(m, task->cpus_mask, (unsigned)M->nr_cpus);
	seq_puts(m, "\nMems_allowed:\t");
	seq_bitmap(m, nodes, MAX_NUMNODES);
	seq_puts(m, "\nMems_allowed_list:\t");
	seq_bitmap_list(m, nodes, (unsigned)M->nr_nodes);
	seq_putc(m, '\n');
}

int proc_pid_status(struct seq_file *m, struct task_struct *task)
{
	struct mm_struct *mm = task->flags & PF_KTHREAD ? NULL : task->mm;

	task_name(m, task);
	task_state(m, task);
	if (mm) {
		task_mem(m, mm);
		seq_puts(m, "CoreDumping:\t0\nTHP_enabled:\t1\n");
		seq_printf(m, "untag_mask:\t%#lx\n", user_ulong(~0UL));
	}
	task_sig(m, task);
	task_cap(m);
	task_seccomp(m);
	task_cpus_allowed(m, task);
	seq_printf(m, "voluntary_ctxt_switches:\t%lu\n", task->nvcsw);
	seq_printf(m, "nonvoluntary_ctxt_switches:\t%lu\n", task->nivcsw);
	if (arch_is_x86_64()) /* no shadow stack features enabled */
		seq_puts(m, "x86_Thread_features:\t\n"
			    "x86_Thread_features_locked:\t\n");
	return 0;
}

/* ---- stat ---------------------------------------------------------------------- */

/* Faults of the whole thread group, dead threads included. */
static void group_faults(struct task_struct *task, unsigned long *min_flt,
			 unsigned long *maj_flt)
{
	struct task_struct *t;

	*min_flt = task->signal->min_flt;
	*maj_flt = task->signal->maj_flt;
	for_each_thread(task, t)
	{
		*min_flt += t->min_flt;
		*maj_flt += t->maj_flt;
	}
}

/* The fields from the name to num_threads (3-20). */
static void stat_task_fields(struct seq_file *m, struct task_struct *task)
{
	const struct signal_struct *sig = task->signal;
	unsigned long min_flt, maj_flt;
	pid_t sid = task_session_nr(task);
	uint64_t utime, stime;

	group_faults(task, &min_flt, &maj_flt);
	thread_group_cputime(task, &utime, &stime);
	seq_printf(m, " (%.16s) %c %d %d %d 0 -1 %u", task->comm,
		   *get_task_state(task), task_ppid(task), sid, sid,
		   task->flags);
	seq_printf(m, " %lu %lu %lu %lu", min_flt, sig->cmin_flt, maj_flt,
		   sig->cmaj_flt);
	seq_printf(m, " %llu %llu %llu %llu %d %d %d", nsec_to_clock_t(utime),
		   nsec_to_clock_t(stime), nsec_to_clock_t(sig->cutime),
		   nsec_to_clock_t(sig->cstime), task_prio(task),
		   task_nice(task), get_nr_threads(task));
}

/* The fields from itrealvalue to kstkeip (21-30). */
static void stat_mm_fields(struct seq_file *m, struct task_struct *task,
			   const struct mm_struct *mm)
{
	seq_printf(m, " 0 %llu %lu %lu %lu", nsec_to_clock_t(task->start_time),
		   mm ? task_vsize(mm) : 0, mm ? get_mm_rss(mm) : 0,
		   user_ulong(task->signal->rlim[RLIMIT_RSS].rlim_cur));
	seq_printf(m, " %lu %lu %lu 0 0", mm ? mm->start_code : 0,
		   mm ? mm->end_code : 0, mm ? mm->start_stack : 0);
}

int proc_tgid_stat(struct seq_file *m, struct task_struct *task)
{
	struct mm_struct *mm = task->flags & PF_KTHREAD ? NULL : task->mm;
	bool running = task->__state == TASK_RUNNING && !task->exit_state;

	seq_printf(m, "%d", task->pid);
	stat_task_fields(m, task);
	stat_mm_fields(m, task, mm);
	/* signal blocked sigignore sigcatch wchan nswap cnswap */
	seq_printf(m, " 0 0 0 0 %d 0 0", running ? 0 : 1);
	/* exit_signal processor rt_priority policy blkio gtime cgtime */
	seq_printf(m, " %d %d %u %u 0 0 0", task->exit_signal, task->cpu,
		   task->rt_priority, task->policy);
	if (mm)
		seq_printf(m, " %lu %lu %lu %lu %lu %lu %lu", mm->start_data,
			   mm->end_data, mm->start_brk, mm->arg_start,
			   mm->arg_end, mm->env_start, mm->env_end);
	else
		seq_puts(m, " 0 0 0 0 0 0 0");
	seq_printf(m, " %d\n", task->exit_code);
	return 0;
}

/* ---- statm ---------------------------------------------------------------------- */

int proc_pid_statm(struct seq_file *m, struct task_struct *task)
{
	struct mm_struct *mm = task->flags & PF_KTHREAD ? NULL : task->mm;
	unsigned long size, resident, shared, text, data;

	if (!mm) {
		seq_puts(m, "0 0 0 0 0 0 0\n");
		return 0;
	}
	size = task_statm(mm, &shared, &text, &data, &resident);
	seq_printf(m, "%lu %lu %lu %lu 0 %lu 0\n", size, resident, shared, text,
		   data);
	return 0;
}
