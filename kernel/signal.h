/* Signals (kernel/signal.c, include/linux/sched/signal.h): sending, and
 * their default actions, since mmsim's programs install no handlers.
 * A signal is pending until its target's next body step (Linux: the
 * return to user mode), where get_signal() acts on it: a fatal signal
 * ends the process (exit_group with the signal), a stop signal stops
 * it (state T) until SIGCONT, SIGCHLD, SIGURG, SIGWINCH are ignored. */
#ifndef MMSIM_KERNEL_SIGNAL_H
#define MMSIM_KERNEL_SIGNAL_H

#include <stdbool.h>
#include <sys/types.h>

struct task_struct;

#define NR_SIGNALS 64

/* Whether p has a signal to act on (or its process is stopped). */
bool signal_pending(const struct task_struct *p);

/* Sends sig (1..NR_SIGNALS) to p's process, as the kernel (no permission
 * check). 0, or -EINVAL for a bad signal. */
int send_sig(int sig, struct task_struct *p);

/* At the start of current's body step: acts on a pending signal.
 * Returns true when current must not run its body now (it exits or
 * stops). */
bool get_signal(void);

/* kill(2): pid > 0 one process, -1 every process current may signal
 * but init and itself, 0 current's process group (every user
 * process: mmsim has one group). sig 0 checks only. 0 or -errno:
 * -EINVAL, -ESRCH, -EPERM (kernel threads and init belong to root). */
long sys_kill(pid_t pid, int sig);

#endif
