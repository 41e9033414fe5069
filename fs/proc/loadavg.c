/* /proc/loadavg (fs/proc/loadavg.c): the 1, 5 and 15-minute load
 * averages, runnable tasks / all tasks, and the last pid handed out. */
#include "fs/proc/internal.h"
#include "kernel/machine.h"
#include "kernel/pid.h"
#include "kernel/sched/task.h"

void loadavg_show(struct seq_file *m)
{
	unsigned long avnrun[3];

	get_avenrun(avnrun, FIXED_1 / 200, 0);
	seq_printf(m, "%lu.%02lu %lu.%02lu %lu.%02lu %lu/%d %d\n",
		   LOAD_INT(avnrun[0]), LOAD_FRAC(avnrun[0]),
		   LOAD_INT(avnrun[1]), LOAD_FRAC(avnrun[1]),
		   LOAD_INT(avnrun[2]), LOAD_FRAC(avnrun[2]), nr_running(),
		   M->nr_threads, pid_last());
}
