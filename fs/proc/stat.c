/* /proc/stat (fs/proc/stat.c): CPU time per state for the whole machine
 * and each CPU in USER_HZ ticks, then context switches, boot time, forks
 * and the running and blocked task counts. mmsim models no interrupts
 * or softirqs: those lines are zeros. */
#include "fs/proc/internal.h"
#include "kernel/machine.h"
#include "kernel/sched/task.h"
#include "kernel/time/time.h"
#include "mm/vmstat.h"

/* btime: the machine "booted" at this wall-clock second (a fixed date,
 * 2025-01-01 00:00:00 UTC, so that output is deterministic). */
#define MMSIM_BTIME 1735689600ULL
#define NR_SOFTIRQS 10

static void cpu_line(struct seq_file *m, const char *name, const uint64_t *stat)
{
	seq_puts(m, name);
	for (int i = 0; i < NR_STATS; i++) {
		/* Linux's column order: user nice system idle iowait irq
		 * softirq steal guest guest_nice. */
		static const int order[NR_STATS] = {
			CPUTIME_USER,	    CPUTIME_NICE,   CPUTIME_SYSTEM,
			CPUTIME_IDLE,	    CPUTIME_IOWAIT, CPUTIME_IRQ,
			CPUTIME_SOFTIRQ,    CPUTIME_STEAL,  CPUTIME_GUEST,
			CPUTIME_GUEST_NICE,
		};

		seq_printf(m, " %llu", nsec_to_clock_t(stat[order[i]]));
	}
	seq_putc(m, '\n');
}

void stat_show(struct seq_file *m)
{
	uint64_t sum[NR_STATS] = { 0 };
	char name[16];
	int cpu;

	for_each_online_cpu(cpu)
		for (int i = 0; i < NR_STATS; i++)
			sum[i] += kcpustat_cpu(cpu, i);
	cpu_line(m, "cpu ", sum);
	for_each_online_cpu(cpu) {
		uint64_t stat[NR_STATS];

		for (int i = 0; i < NR_STATS; i++)
			stat[i] = kcpustat_cpu(cpu, i);
		snprintf(name, sizeof(name), "cpu%d", cpu);
		cpu_line(m, name, stat);
	}
	seq_puts(m, "intr 0\n");
	seq_printf(m, "ctxt %llu\n", (unsigned long long)nr_context_switches());
	seq_printf(m, "btime %llu\n", MMSIM_BTIME);
	seq_printf(m, "processes %lu\n", M->total_forks);
	seq_printf(m, "procs_running %lu\n", nr_running());
	seq_printf(m, "procs_blocked %lu\n", nr_iowait());
	seq_puts(m, "softirq 0");
	for (int i = 0; i < NR_SOFTIRQS; i++)
		seq_puts(m, " 0");
	seq_putc(m, '\n');
}
