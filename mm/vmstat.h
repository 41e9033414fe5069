/* Memory statistics (include/linux/vmstat.h): per-zone and per-node page
 * counters, NUMA and VM event counters, and the /proc files that show
 * them (vmstat, buddyinfo, pagetypeinfo, zoneinfo). mmsim keeps counters
 * exact (no per-CPU differentials), so every read is precise. */
#ifndef MMSIM_MM_VMSTAT_H
#define MMSIM_MM_VMSTAT_H

#include "base/seq_file.h"
#include "kernel/machine.h"
#include "mm/mmzone.h"

static inline void __mod_zone_page_state(struct zone *z,
					 enum zone_stat_item item, long delta)
{
	z->vm_stat[item] += delta;
}

static inline unsigned long zone_page_state(const struct zone *z,
					    enum zone_stat_item item)
{
	long x = z->vm_stat[item];

	return x < 0 ? 0 : (unsigned long)x;
}

static inline void __mod_node_page_state(pg_data_t *pgdat,
					 enum node_stat_item item, long delta)
{
	pgdat->vm_stat[item] += delta;
}

static inline unsigned long node_page_state(const pg_data_t *pgdat,
					    enum node_stat_item item)
{
	long x = pgdat->vm_stat[item];

	return x < 0 ? 0 : (unsigned long)x;
}

static inline void count_vm_events(enum vm_event_item item, unsigned long n)
{
	M->vm_events[item] += n;
}

static inline void count_vm_event(enum vm_event_item item)
{
	M->vm_events[item]++;
}

/* PGALLOC_<zone>, ALLOCSTALL_<zone>, PGSKIP_<zone>. */
#define __count_zid_vm_events(item, zid, n) \
	count_vm_events((enum vm_event_item)(item##_DMA + (zid)), n)

unsigned long global_zone_page_state(enum zone_stat_item item);
unsigned long global_node_page_state(enum node_stat_item item);
/* Node items kept in bytes (slab) converted to pages, as Linux shows them. */
unsigned long node_page_state_pages(const pg_data_t *pgdat,
				    enum node_stat_item item);
unsigned long global_node_page_state_pages(enum node_stat_item item);

/* Linux's calculate_normal_threshold(): the "vm stats threshold". */
int calculate_normal_threshold(const struct zone *zone);

void vmstat_show(struct seq_file *m);
void buddyinfo_show(struct seq_file *m);
void pagetypeinfo_show(struct seq_file *m);
void zoneinfo_show(struct seq_file *m);

extern const char *const zone_names[MAX_NR_ZONES];

/* Iteration over existing nodes and zones. */
#define for_each_online_node(nid) for (nid = 0; nid < M->nr_nodes; nid++)
#define for_each_online_cpu(cpu) for (cpu = 0; cpu < M->nr_cpus; cpu++)
#define for_each_zone(zone)                                                \
	for (int __nid = 0; __nid < M->nr_nodes; __nid++)                  \
		for (zone = NODE_DATA(__nid)->node_zones;                  \
		     zone < NODE_DATA(__nid)->node_zones + MAX_NR_ZONES;   \
		     zone++)                                               \
			if (arch_has_zone(M->arch, zone_idx(zone)))
#define for_each_populated_zone(zone) \
	for_each_zone(zone) if (populated_zone(zone))

#endif
