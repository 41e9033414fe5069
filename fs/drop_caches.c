/* vm.drop_caches (fs/drop_caches.c): writing 1 drops clean page cache
 * (mmsim's only page cache is shmem's, which is never clean: nothing
 * goes), 2 asks every shrinker to free what it can (drop_slab), 3 both;
 * each counted in /proc/vmstat (drop_pagecache, drop_slab) and logged as
 * "COMM (PID): drop_caches: N" until a value with 4 set silences it. */
#include "kernel/machine.h"
#include "kernel/printk.h"
#include "kernel/sched.h"
#include "mm/internal.h"
#include "mm/vmstat.h"

void drop_caches_sysctl_handler(void)
{
	int v = M->drop_caches;

	if (v & 1)
		count_vm_event(DROP_PAGECACHE);
	if (v & 2) {
		drop_slab();
		count_vm_event(DROP_SLAB);
	}
	if (!M->drop_caches_stfu)
		pr_info("%s (%d): drop_caches: %d\n", current_comm(),
			current ? current->pid : 0, v);
	M->drop_caches_stfu |= v & 4;
}
