/* Memory statistics and the /proc files that show them (mm/vmstat.c):
 * /proc/vmstat, /proc/buddyinfo, /proc/pagetypeinfo, /proc/zoneinfo. */
#include "mm/vmstat.h"

#include "mm/internal.h"
#include "mm/mm.h"

#define X_NAME(e, s) s,
static const char *const zone_stat_names[] = { ZONE_STAT_ITEMS(X_NAME) };
static const char *const numa_stat_names[] = { NUMA_STAT_ITEMS(X_NAME) };
static const char *const node_stat_names[] = { NODE_STAT_ITEMS(X_NAME) };
static const char *const vm_stat_names[] = { VM_STAT_ITEMS(X_NAME) };
#define Z_NAME(e, s) s "_dma", s "_dma32", s "_normal", s "_high", s "_movable",
static const char *const vm_event_names[] = { VM_EVENT_ITEMS(X_NAME, Z_NAME) };
#undef Z_NAME
#undef X_NAME

_Static_assert(ARRAY_SIZE(vm_event_names) == NR_VM_EVENT_ITEMS,
	       "vm event names and enum disagree");

unsigned long global_zone_page_state(enum zone_stat_item item)
{
	long sum = 0;
	struct zone *zone;

	for_each_zone(zone)
		sum += zone->vm_stat[item];
	return sum < 0 ? 0 : (unsigned long)sum;
}

unsigned long global_node_page_state(enum node_stat_item item)
{
	long sum = 0;
	int nid;

	for_each_online_node(nid)
		sum += NODE_DATA(nid)->vm_stat[item];
	return sum < 0 ? 0 : (unsigned long)sum;
}

static bool node_item_in_bytes(enum node_stat_item item)
{
	return item == NR_SLAB_RECLAIMABLE_B || item == NR_SLAB_UNRECLAIMABLE_B;
}

unsigned long node_page_state_pages(const pg_data_t *pgdat,
				    enum node_stat_item item)
{
	unsigned long v = node_page_state(pgdat, item);

	return node_item_in_bytes(item) ? v >> PAGE_SHIFT : v;
}

unsigned long global_node_page_state_pages(enum node_stat_item item)
{
	unsigned long v = global_node_page_state(item);

	return node_item_in_bytes(item) ? v >> PAGE_SHIFT : v;
}

int calculate_normal_threshold(const struct zone *zone)
{
	unsigned long mem = zone->managed_pages >> (27 - PAGE_SHIFT);
	int threshold = 2 * fls((unsigned)M->nr_cpus) * (1 + fls64(mem));

	return min(125, threshold);
}

/* ---- /proc/vmstat ----------------------------------------------------- */

/* Linux's global_dirtyable_memory() and domain_dirty_limits() with
 * vm.dirty_ratio 20 and vm.dirty_background_ratio 10: free pages above
 * the reserves plus file pages, HighMem excluded, in per-page ratios. */
static void global_dirty_limits(unsigned long *bg, unsigned long *dirty)
{
	unsigned long x = global_zone_page_state(NR_FREE_PAGES);
	unsigned long high = 0, ratio, bg_ratio;
	struct zone *zone;

	x -= min(x, M->totalreserve_pages);
	x += global_node_page_state(NR_INACTIVE_FILE) +
	     global_node_page_state(NR_ACTIVE_FILE);
	for_each_populated_zone(zone)
		if (zone_idx(zone) == ZONE_HIGHMEM) {
			unsigned long free =
				zone_page_state(zone, NR_FREE_PAGES);
			long reserve = (long)high_wmark_pages(zone);

			for (int j = 0; j < MAX_NR_ZONES; j++)
				reserve = max(reserve, zone->lowmem_reserve[j]);
			high += free - min(free, (unsigned long)reserve);
		}
	x -= min(x, high);
	x += 1; /* never 0 */
	ratio = 20 * PAGE_SIZE / 100;
	bg_ratio = 10 * PAGE_SIZE / 100;
	*dirty = ratio * x / PAGE_SIZE;
	*bg = bg_ratio * x / PAGE_SIZE;
	if (*bg >= *dirty)
		*bg = *dirty / 2;
}

/* Events only x86 has: CONFIG_DEBUG_TLBFLUSH's nr_tlb_* and the direct
 * map's splits and collapses. */
static bool x86_only_event(enum vm_event_item i)
{
	return (i >= NR_TLB_REMOTE_FLUSH && i <= NR_TLB_LOCAL_FLUSH_ONE) ||
	       (i >= DIRECT_MAP_LEVEL2_SPLIT &&
		i <= DIRECT_MAP_LEVEL3_COLLAPSE);
}

static void show_zone_events(struct seq_file *m, int base)
{
	for (int z = 0; z < MAX_NR_ZONES; z++)
		if (arch_has_zone(M->arch, (enum zone_type)z))
			seq_printf(m, "%s %lu\n", vm_event_names[base + z],
				   M->vm_events[base + z]);
}

void vmstat_show(struct seq_file *m)
{
	unsigned long bg, dirty;
	struct zone *zone;

	for (int i = 0; i < NR_VM_ZONE_STAT_ITEMS; i++)
		seq_printf(m, "%s %lu\n", zone_stat_names[i],
			   global_zone_page_state((enum zone_stat_item)i));
	for (int i = 0; i < NR_VM_NUMA_EVENT_ITEMS; i++) {
		unsigned long sum = 0;

		for_each_zone(zone)
			sum += zone->vm_numa_event[i];
		seq_printf(m, "%s %lu\n", numa_stat_names[i], sum);
	}
	for (int i = 0; i < NR_VM_NODE_STAT_ITEMS; i++)
		seq_printf(
			m, "%s %lu\n", node_stat_names[i],
			global_node_page_state_pages((enum node_stat_item)i));
	global_dirty_limits(&bg, &dirty);
	seq_printf(m, "%s %lu\n", vm_stat_names[NR_DIRTY_THRESHOLD], dirty);
	seq_printf(m, "%s %lu\n", vm_stat_names[NR_DIRTY_BG_THRESHOLD], bg);
	seq_printf(m, "%s %lu\n", vm_stat_names[NR_MEMMAP_PAGES], 0UL);
	seq_printf(m, "%s %lu\n", vm_stat_names[NR_MEMMAP_BOOT_PAGES],
		   M->nr_memmap_boot_pages);
	for (int i = 0; i < NR_VM_EVENT_ITEMS;) {
		/* Per-zone events come in runs of MAX_NR_ZONES. */
		if (i == PGALLOC_DMA || i == ALLOCSTALL_DMA ||
		    i == PGSKIP_DMA) {
			show_zone_events(m, i);
			i += MAX_NR_ZONES;
			continue;
		}
		if (!x86_only_event((enum vm_event_item)i) || M->arch->x86)
			seq_printf(m, "%s %lu\n", vm_event_names[i],
				   M->vm_events[i]);
		i++;
	}
	seq_puts(m, "nr_unstable 0\n");
}

/* ---- /proc/buddyinfo, /proc/pagetypeinfo ----------------------------------- */

void buddyinfo_show(struct seq_file *m)
{
	struct zone *zone;

	for_each_populated_zone(zone) {
		seq_printf(m, "Node %d, zone %8s ", zone->node, zone->name);
		for (int o = 0; o < NR_PAGE_ORDERS; o++)
			seq_printf(m, "%6lu ", zone->free_area[o].nr_free);
		seq_putc(m, '\n');
	}
}

static void pagetypeinfo_node(struct seq_file *m, pg_data_t *pgdat)
{
	struct zone *zone;

	seq_printf(m, "Page block order: %u\n", pageblock_order());
	seq_printf(m, "Pages per block:  %lu\n\n", pageblock_nr_pages());
	seq_printf(m, "%-43s ", "Free pages count per migrate type at order");
	for (int o = 0; o < NR_PAGE_ORDERS; o++)
		seq_printf(m, "%6d ", o);
	seq_putc(m, '\n');
	for (zone = pgdat->node_zones; zone < pgdat->node_zones + MAX_NR_ZONES;
	     zone++) {
		if (!populated_zone(zone))
			continue;
		for (int mt = 0; mt < MIGRATE_TYPES; mt++) {
			seq_printf(m, "Node %4d, zone %8s, type %12s ",
				   pgdat->node_id, zone->name,
				   migratetype_names[mt]);
			for (int o = 0; o < NR_PAGE_ORDERS; o++) {
				unsigned long n = 0;
				struct list_head *pos;

				list_for_each(pos,
					      &zone->free_area[o].free_list[mt])
					if (++n >= 100000)
						break;
				seq_printf(m, "%s%6lu ", n >= 100000 ? ">" : "",
					   n);
			}
			seq_putc(m, '\n');
		}
	}
	seq_printf(m, "\n%-23s", "Number of blocks type ");
	for (int mt = 0; mt < MIGRATE_TYPES; mt++)
		seq_printf(m, "%12s ", migratetype_names[mt]);
	seq_putc(m, '\n');
	for (zone = pgdat->node_zones; zone < pgdat->node_zones + MAX_NR_ZONES;
	     zone++) {
		unsigned long count[MIGRATE_TYPES] = { 0 };

		if (!populated_zone(zone))
			continue;
		for (unsigned long pfn = zone->zone_start_pfn;
		     pfn < zone_end_pfn(zone); pfn += pageblock_nr_pages())
			count[get_pfnblock_migratetype(pfn_to_page(pfn), pfn)]++;
		seq_printf(m, "Node %d, zone %8s ", pgdat->node_id, zone->name);
		for (int mt = 0; mt < MIGRATE_TYPES; mt++)
			seq_printf(m, "%12lu ", count[mt]);
		seq_putc(m, '\n');
	}
}

void pagetypeinfo_show(struct seq_file *m)
{
	int nid;

	for_each_online_node(nid)
		pagetypeinfo_node(m, NODE_DATA(nid));
}

/* ---- /proc/zoneinfo ------------------------------------------------------- */

static bool is_zone_first_populated(const pg_data_t *pgdat,
				    const struct zone *zone)
{
	for (int z = 0; z < MAX_NR_ZONES; z++)
		if (populated_zone(&pgdat->node_zones[z]))
			return zone == &pgdat->node_zones[z];
	return false;
}

static void zoneinfo_pagesets(struct seq_file *m, const struct zone *zone)
{
	int cpu;

	seq_puts(m, "\n  pagesets");
	for_each_online_cpu(cpu) {
		const struct per_cpu_pages *pcp = &zone->per_cpu_pageset[cpu];

		seq_printf(m,
			   "\n    cpu: %i"
			   "\n              count:    %i"
			   "\n              high:     %i"
			   "\n              batch:    %i"
			   "\n              high_min: %i"
			   "\n              high_max: %i",
			   cpu, pcp->count, pcp->high, pcp->batch,
			   pcp->high_min, pcp->high_max);
		seq_printf(m, "\n  vm stats threshold: %d",
			   zone->stat_threshold);
	}
}

static void zoneinfo_zone(struct seq_file *m, pg_data_t *pgdat,
			  struct zone *zone)
{
	int z = (int)(zone - pgdat->node_zones);

	seq_printf(m, "Node %d, zone %8s", pgdat->node_id, zone_names[z]);
	if (is_zone_first_populated(pgdat, zone)) {
		seq_puts(m, "\n  per-node stats");
		for (int i = 0; i < NR_VM_NODE_STAT_ITEMS; i++)
			seq_printf(m, "\n      %-12s %lu", node_stat_names[i],
				   node_page_state_pages(
					   pgdat, (enum node_stat_item)i));
	}
	seq_printf(m,
		   "\n  pages free     %lu"
		   "\n        boost    %lu"
		   "\n        min      %lu"
		   "\n        low      %lu"
		   "\n        high     %lu"
		   "\n        promo    %lu"
		   "\n        spanned  %lu"
		   "\n        present  %lu"
		   "\n        managed  %lu"
		   "\n        cma      %lu",
		   zone_page_state(zone, NR_FREE_PAGES), zone->watermark_boost,
		   min_wmark_pages(zone), low_wmark_pages(zone),
		   high_wmark_pages(zone), promo_wmark_pages(zone),
		   zone->spanned_pages, zone->present_pages,
		   zone->managed_pages, 0UL);
	seq_puts(m, "\n        protection: (");
	for (int i = 0, first = 1; i < MAX_NR_ZONES; i++)
		if (arch_has_zone(M->arch, (enum zone_type)i)) {
			seq_printf(m, first ? "%ld" : ", %ld",
				   zone->lowmem_reserve[i]);
			first = 0;
		}
	seq_putc(m, ')');
	if (!populated_zone(zone)) {
		seq_putc(m, '\n');
		return;
	}
	for (int i = 0; i < NR_VM_ZONE_STAT_ITEMS; i++)
		seq_printf(m, "\n      %-12s %lu", zone_stat_names[i],
			   zone_page_state(zone, (enum zone_stat_item)i));
	for (int i = 0; i < NR_VM_NUMA_EVENT_ITEMS; i++)
		seq_printf(m, "\n      %-12s %lu", numa_stat_names[i],
			   zone->vm_numa_event[i]);
	zoneinfo_pagesets(m, zone);
	seq_printf(m,
		   "\n  node_unreclaimable:  %u"
		   "\n  start_pfn:           %lu\n",
		   (unsigned)pgdat_hopeless(zone->zone_pgdat),
		   zone->zone_start_pfn);
}

void zoneinfo_show(struct seq_file *m)
{
	int nid;

	for_each_online_node(nid) {
		pg_data_t *pgdat = NODE_DATA(nid);

		for (int z = 0; z < MAX_NR_ZONES; z++)
			if (arch_has_zone(M->arch, (enum zone_type)z))
				zoneinfo_zone(m, pgdat, &pgdat->node_zones[z]);
	}
}
