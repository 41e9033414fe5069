/* The system calls (include/linux/syscalls.h): what every front end
 * (tests, `mmsim vmtest`, Lua scenarios, later riscv64 programs) calls,
 * acting on current with Linux's semantics: a value, or -errno. */
#ifndef MMSIM_KERNEL_SYSCALLS_H
#define MMSIM_KERNEL_SYSCALLS_H

#include <stddef.h>

/* A call that would block put current to sleep in its task body step
 * (kernel/sched/run.h): the front end makes the same call again at the
 * task's next step, as Linux restarts an interrupted call. */
#define ERESTARTSYS 512

/* mm/mmap.c */
long sys_mmap(unsigned long addr, unsigned long len, unsigned long prot,
	      unsigned long flags, unsigned long fd, unsigned long off);
long ksys_mmap_pgoff(unsigned long addr, unsigned long len, unsigned long prot,
		     unsigned long flags, unsigned long fd,
		     unsigned long pgoff);
long sys_munmap(unsigned long addr, unsigned long len);
long sys_brk(unsigned long brk);

/* To come (issue 5), with these signatures: */
/* mm/mprotect.c, mm/mremap.c, mm/madvise.c, mm/mlock.c, mm/mincore.c */
long sys_mprotect(unsigned long start, size_t len, unsigned long prot);
long sys_mremap(unsigned long addr, unsigned long old_len,
		unsigned long new_len, unsigned long flags,
		unsigned long new_addr);
long sys_madvise(unsigned long start, size_t len, int behavior);
long sys_mlock(unsigned long start, size_t len);
long sys_mlock2(unsigned long start, size_t len, int flags);
long sys_munlock(unsigned long start, size_t len);
long sys_mlockall(int flags);
long sys_munlockall(void);
/* vec: a user address, as in Linux. */
long sys_mincore(unsigned long start, size_t len, unsigned long vec);

/* kernel/fork.c, kernel/exit.c: the child of fork/vfork/clone is on a
 * runqueue when the call returns, with no body yet (task_body_set());
 * callers outside the scheduler may also make it current
 * (set_current_task). wstatus: a kernel pointer or NULL. wait4 with
 * nothing to reap yet sleeps in a task body (-ERESTARTSYS), and returns
 * -EAGAIN elsewhere. */
long sys_fork(void);
long sys_vfork(void);
long sys_clone(unsigned long clone_flags, unsigned long newsp);
long sys_getpid(void);
long sys_getppid(void);
void do_exit(long code);
long sys_exit_group(int error_code);
long sys_wait4(long pid, int *wstatus, int options, void *rusage);

/* kernel/sched/syscalls.c: pid 0 is current; param, interval and the
 * CPU masks are kernel pointers. */
struct sched_param;
struct timespec;
long sys_sched_setscheduler(int pid, int policy,
			    const struct sched_param *param);
long sys_sched_setparam(int pid, const struct sched_param *param);
long sys_sched_getscheduler(int pid);
long sys_sched_getparam(int pid, struct sched_param *param);
long sys_sched_get_priority_max(int policy);
long sys_sched_get_priority_min(int policy);
long sys_sched_rr_get_interval(int pid, struct timespec *interval);
long sys_sched_yield(void);
long sys_nice(int increment);
long sys_setpriority(int which, int who, int niceval);
long sys_getpriority(int which, int who);
long sys_sched_setaffinity(int pid, unsigned int len,
			   const unsigned long *user_mask_ptr);
long sys_sched_getaffinity(int pid, unsigned int len,
			   unsigned long *user_mask_ptr);
/* kernel/time/hrtimer.c: the sleep starts when the task body's step
 * returns (kernel/sched/run.h), so rmtp is left alone; 0 or -EINVAL. */
long sys_nanosleep(const struct timespec *rqtp, struct timespec *rmtp);

#endif
