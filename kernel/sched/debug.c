/* /proc/PID/sched (kernel/sched/debug.c proc_sched_show_task): a task's
 * scheduler figures, one "name : value" line each, times in ms with six
 * decimals. mmsim keeps no PELT averages (se.avg.*), so those lines are
 * not shown; clock-delta is 0 because reading the virtual clock twice
 * takes no time. */
#include "fs/proc/internal.h"
#include "kernel/machine.h"
#include "kernel/sched.h"
#include "kernel/sched/sched.h"

static void show_value(struct seq_file *m, const char *name,
		       unsigned long long v)
{
	seq_printf(m, "%-45s:%21llu\n", name, v);
}

static void show_ns(struct seq_file *m, const char *name, uint64_t ns)
{
	seq_printf(m, "%-45s:%14llu.%06llu\n", name,
		   (unsigned long long)(ns / 1000000),
		   (unsigned long long)(ns % 1000000));
}

int proc_sched_show_task(struct seq_file *m, struct task_struct *p)
{
	/* scale_load(): 64-bit kernels keep weights with 10 more bits. */
	unsigned shift = M->arch->bits == 64 ? 10 : 0;

	seq_printf(m, "%s (%d, #threads: %d)\n", p->comm, p->pid,
		   p->signal->nr_threads);
	seq_puts(m, "-------------------------------------------------------"
		    "------------\n");
	show_ns(m, "se.exec_start", p->se.exec_start);
	show_ns(m, "se.vruntime", p->se.vruntime);
	show_ns(m, "se.sum_exec_runtime", p->se.sum_exec_runtime);
	show_value(m, "se.nr_migrations", p->se.nr_migrations);
	show_value(m, "nr_switches", p->nvcsw + p->nivcsw);
	show_value(m, "nr_voluntary_switches", p->nvcsw);
	show_value(m, "nr_involuntary_switches", p->nivcsw);
	show_value(m, "se.load.weight",
		   (unsigned long long)p->se.load.weight << shift);
	show_value(m, "policy", p->policy);
	show_value(m, "prio", (unsigned long long)p->prio);
	show_value(m, "clock-delta", 0);
	return 0;
}
