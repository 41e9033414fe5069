/* Tasks going away (kernel/exit.c): do_exit drops the address space
 * (exit_mm), hands the children to a reaper (a live thread of the same
 * process, else init, else swapper) and leaves a zombie (EXIT_ZOMBIE)
 * for the parent's wait4, or reaps itself when nobody will wait (a
 * thread, or a child of a kernel thread); exit_group takes every thread
 * of the process along; wait4 reaps zombies into the parent's child
 * counters (cmin_flt, cmaj_flt, cmaxrss); release_task frees what a
 * task held. The CPU that ran an exiting task switches to its idle task
 * (do_task_dead), freeing the kernel stack as finish_task_switch does. */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>

#include "kernel/fork.h"
#include "kernel/pid.h"
#include "kernel/printk.h"
#include "kernel/sched/run.h"
#include "kernel/sched/task.h"
#include "kernel/syscalls.h"
#include "mm/vma.h"

/* ---- freeing a reaped task -------------------------------------------------- */

/* __exit_signal() and __unhash_process(): the task's counters go to its
 * process, its pid and list entries go, then the task itself (and with
 * the last task_struct, the signal_struct). */
static void __release_one(struct task_struct *p)
{
	struct signal_struct *sig = p->signal;
	uint64_t utime, stime;

	task_cputime(p, &utime, &stime);
	sig->utime += utime;
	sig->stime += stime;
	sig->min_flt += p->min_flt;
	sig->maj_flt += p->maj_flt;
	detach_pid(p);
	free_pid(p->pid);
	list_del_init(&p->tasks);
	list_del_init(&p->sibling);
	list_del_init(&p->thread_node);
	M->nr_threads--;
	sig->nr_threads--;
	put_task_struct(p);
}

/* Nobody will wait for tsk when its parent is a kernel thread (swapper
 * ignores SIGCHLD) and it would signal SIGCHLD: autoreap. mmsim has no
 * signal handlers, so no user process ignores SIGCHLD. */
static bool do_notify_parent(struct task_struct *tsk, int sig)
{
	struct task_struct *parent = tsk->real_parent;

	if (sig == SIGCHLD && (parent->flags & PF_KTHREAD))
		return true;
	/* __wake_up_parent(): its threads in wait4 look again. */
	__wake_up(&parent->signal->wait_chldexit, TASK_INTERRUPTIBLE, 0, NULL);
	return false;
}

/* release_task() of a dead (zombie or autoreaped) task; the leader of a
 * process whose last thread this was goes too when nobody waits. */
static void release_dead_task(struct task_struct *p)
{
	for (;;) {
		struct task_struct *leader = p->group_leader;
		bool zap_leader = false;

		__release_one(p);
		if (leader != p && thread_group_empty(leader) &&
		    leader->exit_state == EXIT_ZOMBIE) {
			zap_leader =
				do_notify_parent(leader, leader->exit_signal);
			if (zap_leader)
				leader->exit_state = EXIT_DEAD;
		}
		if (!zap_leader)
			return;
		p = leader;
	}
}

/* ---- exit_mm ------------------------------------------------------------------ */

static void setmax_mm_hiwater_rss(unsigned long *maxrss, struct mm_struct *mm)
{
	unsigned long hiwater = max(mm->hiwater_rss, get_mm_rss(mm));

	if (*maxrss < hiwater)
		*maxrss = hiwater;
}

/* mm_update_next_owner(): another task using mm becomes its owner. */
static void mm_update_next_owner(struct mm_struct *mm, struct task_struct *tsk)
{
	struct task_struct *t;

	if (mm->owner != tsk)
		return;
	mm->owner = NULL;
	if (mm->mm_users <= 1)
		return;
	list_for_each_entry(t, &M->init_task->tasks, tasks) {
		if (t != tsk && t->mm == mm) {
			mm->owner = t;
			return;
		}
	}
}

/* exit_mm(): tsk stops using its mm. A CPU running tsk keeps the tables
 * loaded (lazily) until it switches away: active_mm holds the struct. */
static void exit_mm(struct task_struct *tsk)
{
	struct mm_struct *mm = tsk->mm;

	exit_mm_release(tsk, mm);
	if (!mm)
		return;
	if (task_on_cpu(tsk))
		mmgrab(mm);
	else
		tsk->active_mm = NULL;
	tsk->mm = NULL;
	mm_update_next_owner(mm, tsk);
	mmput(mm);
}

/* ---- exit_notify ------------------------------------------------------------- */

struct task_struct *child_reaper(void)
{
	struct task_struct *init = find_task_by_vpid(1);

	if (init && thread_group_leader(init) && !init->exit_state &&
	    !(init->flags & PF_EXITING))
		return init;
	return M->init_task;
}

/* find_new_reaper(): a live thread of father's process, else the child
 * reaper. */
static struct task_struct *find_new_reaper(struct task_struct *father)
{
	struct task_struct *t;

	for_each_thread(father, t) if (!(t->flags & PF_EXITING)) return t;
	return child_reaper();
}

/* reparent_leader(): the new parent of a zombie that nobody will wait
 * for reaps it at once (true). */
static bool reparent_leader(struct task_struct *p)
{
	if (p->exit_state == EXIT_DEAD)
		return false;
	p->exit_signal = SIGCHLD; /* we don't want people slaying init */
	if (p->exit_state == EXIT_ZOMBIE && thread_group_empty(p) &&
	    do_notify_parent(p, p->exit_signal)) {
		p->exit_state = EXIT_DEAD;
		return true;
	}
	return false;
}

/* forget_original_parent(): father's children go to their new reaper;
 * zombies it will not wait for are released. */
static void forget_original_parent(struct task_struct *father)
{
	struct task_struct *reaper = find_new_reaper(father), *p, *n, *t;
	bool same_group = reaper->group_leader == father->group_leader;
	struct list_head dead;

	INIT_LIST_HEAD(&dead);
	list_for_each_entry_safe(p, n, &father->children, sibling) {
		for_each_thread(p, t) t->real_parent = reaper;
		list_move_tail(&p->sibling, &reaper->children);
		if (!same_group && reparent_leader(p))
			list_move_tail(&p->sibling, &dead);
	}
	list_for_each_entry_safe(p, n, &dead, sibling)
		release_dead_task(p);
}

/* exit_notify(): children reparented, tsk a zombie; true when nobody
 * will wait for it (a thread, or a child of a kernel thread). */
static bool exit_notify(struct task_struct *tsk)
{
	bool autoreap = true;

	forget_original_parent(tsk);
	tsk->exit_state = EXIT_ZOMBIE;
	if (thread_group_leader(tsk))
		autoreap = thread_group_empty(tsk) &&
			   do_notify_parent(tsk, tsk->exit_signal);
	if (autoreap)
		tsk->exit_state = EXIT_DEAD;
	return autoreap;
}

/* do_task_dead() and finish_task_switch(): tsk runs no more. The
 * scheduler switches a task it runs away (sched_task_dead); CPUs that
 * borrowed tsk (set_current_task) switch away now; then the mm kept
 * loaded for it, its kernel stack and its own reference are let go. */
static void do_task_dead(struct task_struct *tsk)
{
	bool running;

	if (sched_task_dead(tsk))
		return;
	running = task_on_cpu(tsk);
	switch_away_from(tsk);
	if (running && tsk->active_mm && tsk->active_mm != &init_mm)
		mmdrop(tsk->active_mm);
	tsk->active_mm = NULL;
	put_task_stack(tsk);
	put_task_struct(tsk);
}

/* A parent asleep in vfork for tsk sleeps no more (its child is gone). */
static void forget_vfork_children(struct task_struct *tsk)
{
	struct task_struct *t;

	list_for_each_entry(t, &M->init_task->tasks, tasks)
		if (t->vfork_parent == tsk)
			t->vfork_parent = NULL;
}

/* The body of do_exit() for any task (current or a thread being
 * zapped). Returns true when tsk was released (autoreaped); otherwise it
 * is a zombie. kill_init: say so when init's process dies. */
static bool exit_task(struct task_struct *tsk, long code, bool kill_init)
{
	bool group_dead, autoreap;

	tsk->flags |= PF_EXITING;
	group_dead = --tsk->signal->live == 0;
	if (group_dead && kill_init && tsk->tgid == 1) {
		/* Linux panics here; mmsim says so and carries on. */
		pr_emerg(
			"Kernel panic - not syncing: Attempted to kill init! exitcode=0x%08x\n",
			tsk->signal->group_exit_code ?
				tsk->signal->group_exit_code :
				(int)code);
		M->nr_bugs++;
	}
	if (tsk->mm)
		setmax_mm_hiwater_rss(&tsk->signal->maxrss, tsk->mm);
	list_del_init(&tsk->child_wait.entry); /* killed in wait4 */
	tsk->exit_code = (int)code;
	forget_vfork_children(tsk);
	exit_mm(tsk);
	autoreap = exit_notify(tsk);
	do_task_dead(tsk);
	if (autoreap)
		release_dead_task(tsk);
	return autoreap;
}

/* A thread of tsk's process other than tsk that has not exited. */
static struct task_struct *other_live_thread(struct task_struct *tsk)
{
	struct task_struct *t;

	for_each_thread(tsk,
			t) if (t != tsk && !(t->flags & PF_EXITING)) return t;
	return NULL;
}

/* zap_other_threads(): in Linux each thread dies of SIGKILL when it next
 * runs; mmsim's threads run only when made current, so they exit now. */
static void zap_other_threads(struct task_struct *tsk, int code)
{
	struct task_struct *t;

	while ((t = other_live_thread(tsk)))
		exit_task(t, code, true);
}

/* Starts a group exit of tsk's process with code, unless one is under
 * way; returns the code the group exits with. */
static int start_group_exit(struct task_struct *tsk, int code)
{
	struct signal_struct *sig = tsk->signal;

	if (sig->flags & SIGNAL_GROUP_EXIT)
		return sig->group_exit_code;
	sig->group_exit_code = code;
	sig->flags |= SIGNAL_GROUP_EXIT;
	zap_other_threads(tsk, code);
	return code;
}

/* ---- the system calls --------------------------------------------------------- */

void do_exit(long code)
{
	struct task_struct *tsk = current;

	if (!tsk->pid) {
		pr_emerg(
			"Kernel panic - not syncing: Attempted to kill the idle task!\n");
		M->nr_bugs++;
		return;
	}
	if (tsk->flags & PF_EXITING) {
		pr_alert("Fixing recursive fault but reboot is needed!\n");
		M->nr_bugs++;
		return;
	}
	exit_task(tsk, code, true);
}

void do_group_exit(int exit_code)
{
	if (!current->pid || (current->flags & PF_EXITING)) {
		do_exit(exit_code); /* reports the misuse */
		return;
	}
	do_exit(start_group_exit(current, exit_code));
}

long sys_exit_group(int error_code)
{
	do_group_exit((error_code & 0xff) << 8);
	return 0;
}

void release_task(struct task_struct *t)
{
	if (!t->exit_state) {
		/* mmsim: taken out of use while alive, as if killed. */
		if (thread_group_leader(t) && !(t->flags & PF_EXITING))
			start_group_exit(t, SIGKILL);
		if (exit_task(t, SIGKILL, false))
			return;
	}
	if (t->exit_state == EXIT_DEAD) {
		WARN(1, "release_task: %s[%d] is being released already\n",
		     t->comm, t->pid);
		return;
	}
	t->exit_state = EXIT_DEAD;
	release_dead_task(t);
}

/* ---- wait4 ------------------------------------------------------------------------ */

struct wait_opts {
	pid_t pid; /* -1: any child, 0: our process group, <-1: -pgid */
	int flags; /* WNOHANG, WUNTRACED, WCONTINUED, __WCLONE, __WALL... */
	int status;
	struct rusage *ru;
};

/* eligible_pid(): mmsim has no process groups yet: every process is in
 * swapper's group 0 (nothing calls setpgid or setsid), so pid 0 means
 * any child and -pgid none. */
static bool eligible_pid(const struct wait_opts *wo,
			 const struct task_struct *p)
{
	if (wo->pid == -1 || wo->pid == 0)
		return true;
	if (wo->pid < 0)
		return false;
	return p->pid == wo->pid;
}

/* eligible_child(): "clone" children (exit signal other than SIGCHLD)
 * only with __WCLONE, the others only without, any with __WALL. */
static bool eligible_child(const struct wait_opts *wo,
			   const struct task_struct *p)
{
	if (!eligible_pid(wo, p))
		return false;
	if (((p->exit_signal != SIGCHLD) ^ !!(wo->flags & __WCLONE)) &&
	    !(wo->flags & __WALL))
		return false;
	return true;
}

/* getrusage(p, RUSAGE_BOTH) of a reaped process: its faults and those of
 * its waited-for children, its peak RSS. */
static void fill_rusage(const struct task_struct *p, struct rusage *ru)
{
	const struct signal_struct *sig = p->signal;
	struct task_struct *t;

	memset(ru, 0, sizeof(*ru));
	ru->ru_minflt = (long)(sig->cmin_flt + sig->min_flt);
	ru->ru_majflt = (long)(sig->cmaj_flt + sig->maj_flt);
	for_each_thread(p, t)
	{
		ru->ru_minflt += (long)t->min_flt;
		ru->ru_majflt += (long)t->maj_flt;
	}
	ru->ru_maxrss =
		(long)(max(sig->cmaxrss, sig->maxrss) * (PAGE_SIZE / 1024));
}

/* wait_task_zombie(): p's counters go to the waiter's process, p goes. */
static pid_t wait_task_zombie(struct wait_opts *wo, struct task_struct *p)
{
	struct signal_struct *sig = p->signal, *psig = current->signal;
	pid_t pid = p->pid;
	uint64_t utime, stime;

	wo->status = (sig->flags & SIGNAL_GROUP_EXIT) ? sig->group_exit_code :
							p->exit_code;
	psig->cmin_flt += p->min_flt + sig->min_flt + sig->cmin_flt;
	psig->cmaj_flt += p->maj_flt + sig->maj_flt + sig->cmaj_flt;
	psig->cmaxrss = max(psig->cmaxrss, max(sig->cmaxrss, sig->maxrss));
	thread_group_cputime(p, &utime, &stime);
	psig->cutime += utime + sig->cutime;
	psig->cstime += stime + sig->cstime;
	if (wo->ru)
		fill_rusage(p, wo->ru);
	p->exit_state = EXIT_DEAD;
	release_dead_task(p);
	return pid;
}

/* wait_task_stopped(): with WUNTRACED, a stopped child not yet reported
 * gives (stop signal << 8) | 0x7f, once. */
static pid_t wait_task_stopped(struct wait_opts *wo, struct task_struct *p)
{
	struct signal_struct *sig = p->signal;

	if (!(wo->flags & WUNTRACED) || !(sig->flags & SIGNAL_STOP_STOPPED) ||
	    !sig->group_exit_code)
		return 0;
	wo->status = (sig->group_exit_code << 8) | 0x7f;
	sig->group_exit_code = 0;
	return p->pid;
}

/* wait_task_continued(): with WCONTINUED, a child that SIGCONT resumed
 * gives 0xffff, once. */
static pid_t wait_task_continued(struct wait_opts *wo, struct task_struct *p)
{
	struct signal_struct *sig = p->signal;

	if (!(wo->flags & WCONTINUED) || !(sig->flags & SIGNAL_STOP_CONTINUED))
		return 0;
	sig->flags &= ~SIGNAL_STOP_CONTINUED;
	wo->status = 0xffff;
	return p->pid;
}

/* do_wait_thread(): a child of tsk reaped or reported (its pid), 0 when
 * eligible children live on, -ECHILD when there are none. */
static pid_t do_wait_thread(struct wait_opts *wo, struct task_struct *tsk)
{
	struct task_struct *p;
	pid_t ret = -ECHILD;

	list_for_each_entry(p, &tsk->children, sibling) {
		if (p->exit_state == EXIT_DEAD || !eligible_child(wo, p))
			continue;
		if (p->exit_state == EXIT_ZOMBIE && !delay_group_leader(p))
			return wait_task_zombie(wo, p);
		ret = 0;
		if (p->exit_state)
			continue;
		ret = wait_task_stopped(wo, p);
		if (!ret)
			ret = wait_task_continued(wo, p);
		if (ret)
			return ret;
	}
	return ret;
}

static long do_wait(struct wait_opts *wo)
{
	struct task_struct *t;
	long notask_error = -ECHILD;

	list_del_init(&current->child_wait.entry); /* the last sleep's */

	for_each_thread(current, t)
	{
		pid_t ret;

		if ((wo->flags & __WNOTHREAD) && t != current)
			continue;
		ret = do_wait_thread(wo, t);
		if (ret > 0)
			return ret;
		if (!ret)
			notask_error = 0;
	}
	if (notask_error || (wo->flags & WNOHANG))
		return notask_error;
	/* mmsim: outside a task body no other task can run meanwhile. */
	if (!in_task_body())
		return -EAGAIN;
	/* Sleep until a child exits (do_notify_parent wakes us); the
	 * caller calls again then, as Linux restarts the call. */
	add_wait_queue(&current->signal->wait_chldexit, &current->child_wait);
	set_current_state(TASK_INTERRUPTIBLE);
	schedule();
	return -ERESTARTSYS;
}

long sys_wait4(long upid, int *wstatus, int options, void *rusage)
{
	struct wait_opts wo = { .ru = rusage };
	long ret;

	if (options & ~(WNOHANG | WUNTRACED | WCONTINUED | __WNOTHREAD |
			__WCLONE | __WALL))
		return -EINVAL;
	wo.pid = (pid_t)upid;
	if (wo.pid == INT_MIN)
		return -ESRCH; /* -INT_MIN is not defined */
	wo.flags = options;
	ret = do_wait(&wo);
	if (ret > 0 && wstatus)
		*wstatus = wo.status;
	return ret;
}
