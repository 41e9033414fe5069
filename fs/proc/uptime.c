/* /proc/uptime (fs/proc/uptime.c): seconds since boot and the idle
 * seconds of all CPUs together, in hundredths. */
#include "fs/proc/internal.h"
#include "kernel/machine.h"
#include "kernel/sched/task.h"
#include "kernel/time/time.h"
#include "mm/vmstat.h"

static void put_seconds(struct seq_file *m, uint64_t ns)
{
	seq_printf(
		m, "%llu.%02llu", (unsigned long long)(ns / NSEC_PER_SEC),
		(unsigned long long)(ns % NSEC_PER_SEC / (NSEC_PER_SEC / 100)));
}

void uptime_show(struct seq_file *m)
{
	uint64_t idle = 0;
	int cpu;

	for_each_online_cpu(cpu)
		idle += kcpustat_cpu(cpu, CPUTIME_IDLE) +
			kcpustat_cpu(cpu, CPUTIME_IOWAIT);
	put_seconds(m, ktime_get_ns());
	seq_putc(m, ' ');
	put_seconds(m, idle);
	seq_putc(m, '\n');
}
