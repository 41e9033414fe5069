/* Signals (kernel/signal.c): the process's pending set,
 * the wakeups that make a target notice a signal (signal_wake_up,
 * kick_process), and get_signal()'s default actions. No handlers, no
 * queued siginfo, no blocked masks: every signal takes its default
 * action. */
#include "kernel/signal.h"

#include <errno.h>
#include <signal.h>

#include "kernel/fork.h"
#include "kernel/pid.h"
#include "kernel/sched/run.h"
#include "kernel/sched/task.h"

#define sig_bit(sig) (1ULL << ((sig)-1))

#define SIG_KERNEL_STOP_MASK                                      \
	(sig_bit(SIGSTOP) | sig_bit(SIGTSTP) | sig_bit(SIGTTIN) | \
	 sig_bit(SIGTTOU))
#define SIG_KERNEL_IGNORE_MASK                                     \
	(sig_bit(SIGCONT) | sig_bit(SIGCHLD) | sig_bit(SIGWINCH) | \
	 sig_bit(SIGURG))

static bool sig_fatal(int sig)
{
	return !(sig_bit(sig) &
		 (SIG_KERNEL_STOP_MASK | SIG_KERNEL_IGNORE_MASK));
}

/* do_notify_parent_cldstop(): the parent's threads in wait4 look again
 * (SIGCHLD itself is ignored: mmsim has no handlers). */
static void notify_parent_cldstop(struct task_struct *p)
{
	struct task_struct *parent = p->group_leader->real_parent;

	__wake_up(&parent->signal->wait_chldexit, TASK_INTERRUPTIBLE, 0, NULL);
}

/* The threads of p's process leave a stop; pending stops are dropped. A
 * stopped process tells its parent (WCONTINUED). */
static void sig_continue(struct task_struct *p)
{
	struct signal_struct *sig = p->signal;
	struct task_struct *t;

	sig->shared_pending &= ~SIG_KERNEL_STOP_MASK;
	if (sig->flags & SIGNAL_STOP_STOPPED) {
		sig->flags = (sig->flags & ~SIGNAL_STOP_STOPPED) |
			     SIGNAL_STOP_CONTINUED;
		sig->group_exit_code = 0;
		notify_parent_cldstop(p);
	}
	for_each_thread(p, t) wake_up_state(t, __TASK_STOPPED);
}

/* do_signal_stop(): the whole group stops; the parent may see it with
 * WUNTRACED (the stop signal waits in group_exit_code). */
static void do_signal_stop(int sig)
{
	struct signal_struct *signal = current->signal;

	signal->flags = (signal->flags & ~SIGNAL_STOP_CONTINUED) |
			SIGNAL_STOP_STOPPED;
	signal->group_exit_code = sig;
	notify_parent_cldstop(current);
	set_current_state(__TASK_STOPPED);
	schedule();
}

/* signal_wake_up(): each thread notices at its next step; sleepers in
 * S wake (not those in D), and a fatal signal cuts short the user work
 * of a running thread (kick_process: it would be interrupted within a
 * tick). */
static void signal_wake_up(struct task_struct *p, int sig)
{
	struct task_struct *t;

	for_each_thread(p, t)
	{
		if (t->exit_state || (t->flags & PF_EXITING))
			continue;
		if (sig_fatal(sig))
			kick_process(t);
		wake_up_state(t, TASK_INTERRUPTIBLE |
					 (sig == SIGKILL ? __TASK_STOPPED : 0));
	}
}

bool signal_pending(const struct task_struct *p)
{
	return p->signal->shared_pending ||
	       (p->signal->flags & SIGNAL_STOP_STOPPED);
}

int send_sig(int sig, struct task_struct *p)
{
	if (sig < 1 || sig > NR_SIGNALS)
		return -EINVAL;
	p = p->group_leader;
	if (p->exit_state || (p->signal->flags & SIGNAL_GROUP_EXIT))
		return 0; /* dying already */
	if (sig == SIGCONT || sig == SIGKILL)
		sig_continue(p);
	if (sig_bit(sig) & SIG_KERNEL_IGNORE_MASK)
		return 0; /* discarded at once (no handler) */
	if (p->signal->flags & SIGNAL_UNKILLABLE)
		return 0; /* init takes no default action, SIGKILL included */
	p->signal->shared_pending |= sig_bit(sig);
	signal_wake_up(p, sig);
	return 0;
}

/* The lowest pending signal of current, taken off its set. */
static int dequeue_signal(void)
{
	uint64_t *set = &current->signal->shared_pending;
	int sig;

	if (!*set)
		return 0;
	sig = __builtin_ctzll(*set) + 1;
	*set &= ~sig_bit(sig);
	return sig;
}

bool get_signal(void)
{
	struct task_struct *p = current;
	int sig;

	if (p->signal->flags & SIGNAL_STOP_STOPPED) {
		set_current_state(__TASK_STOPPED);
		schedule();
		return true;
	}
	while ((sig = dequeue_signal())) {
		if (sig_bit(sig) & SIG_KERNEL_STOP_MASK) {
			do_signal_stop(sig);
			return true;
		}
		if (sig_fatal(sig)) {
			p->flags |= PF_SIGNALED;
			do_group_exit(sig);
			return true;
		}
	}
	return false;
}

/* kill_ok_by_cred(): every user task runs as uid 1000; kernel threads
 * and init (SIGNAL_UNKILLABLE) belong to root. */
static int check_kill_permission(struct task_struct *p)
{
	if ((p->flags & PF_KTHREAD) || (p->signal->flags & SIGNAL_UNKILLABLE))
		return (current->flags & PF_IDLE) ? 0 : -EPERM;
	return 0;
}

static int kill_one(struct task_struct *p, int sig)
{
	int err = check_kill_permission(p);

	if (err || !sig)
		return err;
	if (p->flags & PF_KTHREAD)
		return 0; /* kernel threads ignore signals */
	return send_sig(sig, p);
}

long sys_kill(pid_t pid, int sig)
{
	struct task_struct *p;
	int ret = -ESRCH, err;

	if (sig < 0 || sig > NR_SIGNALS)
		return -EINVAL;
	if (pid > 0) {
		p = find_task_by_vpid(pid);
		return p && !p->exit_state ? kill_one(p->group_leader, sig) :
					     -ESRCH;
	}
	if (pid < -1)
		return -ESRCH; /* no process group but 0 */
	for_each_process(p)
	{
		if (p->exit_state || (p->flags & PF_KTHREAD))
			continue;
		if (pid == -1 && (p->tgid == 1 || p == current->group_leader))
			continue;
		err = kill_one(p, sig);
		if (ret)
			ret = err;
	}
	return ret;
}
