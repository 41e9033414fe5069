/* TEMPORARY (issue 5): weak stand-ins for the system calls that other
 * branches are writing (mprotect, mremap, madvise, mlock, mincore, fork,
 * exit, wait4...), so that `mmsim vmtest` links before they are merged:
 * they answer ENOSYS, and the exits only mark the task. This file is
 * linked into the mmsim executable alone, never into libmmsim_core (a
 * weak definition in the archive could be picked instead of the real
 * one for another program); mmsim links the whole core, so a real
 * definition replaces each stand-in as soon as it exists. Delete this
 * file (and its two lines in CMakeLists.txt) once the branches are in. */
#include <errno.h>
#include <stddef.h>

#include "kernel/sched.h"
#include "kernel/syscalls.h"

void do_group_exit(int exit_code);

#define VT_WEAK __attribute__((weak))
VT_WEAK long sys_mprotect(unsigned long start, size_t len, unsigned long prot)
{
	(void)start, (void)len, (void)prot;
	return -ENOSYS;
}
VT_WEAK long sys_mremap(unsigned long addr, unsigned long old_len,
			unsigned long new_len, unsigned long flags,
			unsigned long new_addr)
{
	(void)addr, (void)old_len, (void)new_len, (void)flags, (void)new_addr;
	return -ENOSYS;
}
VT_WEAK long sys_madvise(unsigned long start, size_t len, int behavior)
{
	(void)start, (void)len, (void)behavior;
	return -ENOSYS;
}
VT_WEAK long sys_mlock(unsigned long start, size_t len)
{
	(void)start, (void)len;
	return -ENOSYS;
}
VT_WEAK long sys_mlock2(unsigned long start, size_t len, int flags)
{
	(void)start, (void)len, (void)flags;
	return -ENOSYS;
}
VT_WEAK long sys_munlock(unsigned long start, size_t len)
{
	(void)start, (void)len;
	return -ENOSYS;
}
VT_WEAK long sys_mlockall(int flags)
{
	(void)flags;
	return -ENOSYS;
}
VT_WEAK long sys_munlockall(void)
{
	return -ENOSYS;
}
VT_WEAK long sys_mincore(unsigned long start, size_t len, unsigned long vec)
{
	(void)start, (void)len, (void)vec;
	return -ENOSYS;
}
VT_WEAK long sys_fork(void)
{
	return -ENOSYS;
}
VT_WEAK long sys_vfork(void)
{
	return -ENOSYS;
}
VT_WEAK long sys_clone(unsigned long clone_flags, unsigned long newsp)
{
	(void)clone_flags, (void)newsp;
	return -ENOSYS;
}
VT_WEAK void do_exit(long code)
{
	current->exit_code = (int)code;
	current->flags |= PF_EXITING;
}
VT_WEAK void do_group_exit(int exit_code)
{
	do_exit(exit_code);
}
VT_WEAK long sys_exit_group(int error_code)
{
	do_exit((error_code & 0xff) << 8);
	return 0;
}
VT_WEAK long sys_wait4(long pid, int *wstatus, int options, void *rusage)
{
	(void)pid, (void)wstatus, (void)options, (void)rusage;
	return -ENOSYS;
}
