/* panic() (kernel/panic.c): the kernel cannot go on. */
#ifndef MMSIM_KERNEL_PANIC_H
#define MMSIM_KERNEL_PANIC_H

#include <stdbool.h>

#include "base/kernel.h"

/* Logs "Kernel panic - not syncing: MSG" and its end marker, as Linux
 * does, and halts the machine: M->panic_msg holds the message, a task
 * that panics in its body step stops (it sleeps in D, never woken), and
 * the scenario runner stops the run. Linux never returns from panic();
 * mmsim returns, and the caller fails what it was doing. Only the
 * first panic of a boot is reported. */
__printf(1, 2) void panic(const char *fmt, ...);

/* Whether the machine has panicked. */
bool machine_halted(void);

#endif
