/* The vm.* sysctls (kernel/sysctl.c, mm/page_alloc.c handlers), shown as
 * /proc/sys/vm/NAME, and the memory subsystem's kernel.* ones
 * (/proc/sys/kernel/NAME). */
#ifndef MMSIM_KERNEL_SYSCTL_H
#define MMSIM_KERNEL_SYSCTL_H

#include <stddef.h>

#include "fs/proc/proc.h"

/* The /proc/sys/vm entries, in the order Linux lists them. */
const struct proc_entry *sysctl_vm_entries(size_t *n);
/* The /proc/sys/kernel entries: randomize_va_space. */
const struct proc_entry *sysctl_kernel_entries(size_t *n);

#endif
