/* panic() (kernel/panic.c): the report Linux prints when the kernel
 * cannot go on, and the halt that follows. Linux stops every CPU and
 * spins (or reboots after kernel.panic seconds); mmsim marks the machine
 * halted, stops the task that panicked, and lets the scenario runner end
 * the run with the panic as its error. */
#include "kernel/panic.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "kernel/machine.h"
#include "kernel/printk.h"
#include "kernel/sched.h"
#include "kernel/sched/run.h"
#include "kernel/sched/task.h"

void panic(const char *fmt, ...)
{
	char buf[sizeof(M->panic_msg)];
	size_t len;
	va_list ap;

	if (machine_halted())
		return;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	len = strlen(buf);
	if (len && buf[len - 1] == '\n') /* as Linux strips it */
		buf[len - 1] = '\0';
	pr_emerg("Kernel panic - not syncing: %s\n", buf);
	print_cpu_line();
	pr_emerg("---[ end Kernel panic - not syncing: %s ]---\n", buf);
	snprintf(M->panic_msg, sizeof(M->panic_msg), "%s", buf);
	if (!buf[0])
		snprintf(M->panic_msg, sizeof(M->panic_msg), "(panic)");
	/* The CPU stops: the task that panicked never runs again. */
	if (in_task_body() && current->pid) {
		set_current_state(TASK_UNINTERRUPTIBLE);
		schedule();
	}
}

bool machine_halted(void)
{
	return M->panic_msg[0] != '\0';
}
