/* The system calls (include/linux/syscalls.h): what every front end
 * (tests, `mmsim vmtest`, Lua scenarios, later riscv64 programs) calls,
 * acting on current with Linux's semantics: a value, or -errno. */
#ifndef MMSIM_KERNEL_SYSCALLS_H
#define MMSIM_KERNEL_SYSCALLS_H

#include <stddef.h>

/* mm/mmap.c */
long sys_mmap(unsigned long addr, unsigned long len, unsigned long prot,
	      unsigned long flags, unsigned long fd, unsigned long off);
long ksys_mmap_pgoff(unsigned long addr, unsigned long len,
		     unsigned long prot, unsigned long flags, unsigned long fd,
		     unsigned long pgoff);
long sys_munmap(unsigned long addr, unsigned long len);
long sys_brk(unsigned long brk);

#endif
