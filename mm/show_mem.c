/* show_mem() (mm/show_mem.c): the "Mem-Info:" block of an allocation
 * failure or OOM report, in Linux 6.x's wording: the global page counts,
 * a line per node, a line per zone (watermarks, LRU sizes, free and
 * per-CPU pages) and its lowmem_reserve, the buddy free lists by order
 * with their migrate types, hugetlb pools per node, the swap cache and
 * swap, and the RAM totals. Zones above the allocation's highest zone
 * are left out, as Linux does. */
#include "arch/mmu.h"
#include "kernel/printk.h"
#include "mm/internal.h"
#include "mm/swap.h"
#include "mm/vmstat.h"

#define K(x) ((x) << (PAGE_SHIFT - 10))

static unsigned long pcp_pages(const struct zone *zone, bool local_only)
{
	unsigned long n = 0;
	int cpu;

	if (!zone->per_cpu_pageset)
		return 0;
	for_each_online_cpu(cpu)
		if (!local_only || cpu == smp_processor_id())
			n += (unsigned long)zone->per_cpu_pageset[cpu].count;
	return n;
}

static void show_global(int max_zone_idx)
{
	unsigned long free_pcp = 0;
	struct zone *zone;

	for_each_populated_zone(zone)
		if ((int)zone_idx(zone) <= max_zone_idx)
			free_pcp += pcp_pages(zone, false);
	printk("active_anon:%lu inactive_anon:%lu isolated_anon:%lu\n"
	       " active_file:%lu inactive_file:%lu isolated_file:%lu\n"
	       " unevictable:%lu dirty:%lu writeback:%lu\n"
	       " slab_reclaimable:%lu slab_unreclaimable:%lu\n"
	       " mapped:%lu shmem:%lu pagetables:%lu\n"
	       " sec_pagetables:%lu bounce:%lu\n"
	       " kernel_misc_reclaimable:%lu\n"
	       " free:%lu free_pcp:%lu free_cma:%lu\n",
	       global_node_page_state(NR_ACTIVE_ANON),
	       global_node_page_state(NR_INACTIVE_ANON),
	       global_node_page_state(NR_ISOLATED_ANON),
	       global_node_page_state(NR_ACTIVE_FILE),
	       global_node_page_state(NR_INACTIVE_FILE),
	       global_node_page_state(NR_ISOLATED_FILE),
	       global_node_page_state(NR_UNEVICTABLE),
	       global_node_page_state(NR_FILE_DIRTY),
	       global_node_page_state(NR_WRITEBACK),
	       global_node_page_state_pages(NR_SLAB_RECLAIMABLE_B),
	       global_node_page_state_pages(NR_SLAB_UNRECLAIMABLE_B),
	       global_node_page_state(NR_FILE_MAPPED),
	       global_node_page_state(NR_SHMEM),
	       global_node_page_state(NR_PAGETABLE),
	       global_node_page_state(NR_SECONDARY_PAGETABLE),
	       global_zone_page_state(NR_BOUNCE),
	       global_node_page_state(NR_KERNEL_MISC_RECLAIMABLE),
	       global_zone_page_state(NR_FREE_PAGES), free_pcp,
	       global_zone_page_state(NR_FREE_CMA_PAGES));
}

static bool node_has_managed_zones(pg_data_t *pgdat, int max_zone_idx)
{
	for (int i = 0; i <= max_zone_idx && i < MAX_NR_ZONES; i++)
		if (pgdat->node_zones[i].managed_pages)
			return true;
	return false;
}

static void show_node(pg_data_t *pgdat)
{
	printk("Node %d active_anon:%lukB inactive_anon:%lukB active_file:%lukB inactive_file:%lukB unevictable:%lukB isolated(anon):%lukB isolated(file):%lukB mapped:%lukB dirty:%lukB writeback:%lukB shmem:%lukB shmem_thp:%lukB shmem_pmdmapped:%lukB anon_thp:%lukB writeback_tmp:%lukB kernel_stack:%lukB pagetables:%lukB sec_pagetables:%lukB all_unreclaimable? %s\n",
	       pgdat->node_id, K(node_page_state(pgdat, NR_ACTIVE_ANON)),
	       K(node_page_state(pgdat, NR_INACTIVE_ANON)),
	       K(node_page_state(pgdat, NR_ACTIVE_FILE)),
	       K(node_page_state(pgdat, NR_INACTIVE_FILE)),
	       K(node_page_state(pgdat, NR_UNEVICTABLE)),
	       K(node_page_state(pgdat, NR_ISOLATED_ANON)),
	       K(node_page_state(pgdat, NR_ISOLATED_FILE)),
	       K(node_page_state(pgdat, NR_FILE_MAPPED)),
	       K(node_page_state(pgdat, NR_FILE_DIRTY)),
	       K(node_page_state(pgdat, NR_WRITEBACK)),
	       K(node_page_state(pgdat, NR_SHMEM)),
	       K(node_page_state(pgdat, NR_SHMEM_THPS)),
	       K(node_page_state(pgdat, NR_SHMEM_PMDMAPPED)),
	       K(node_page_state(pgdat, NR_ANON_THPS)),
	       K(node_page_state(pgdat, NR_WRITEBACK_TEMP)),
	       node_page_state(pgdat, NR_KERNEL_STACK_KB),
	       K(node_page_state(pgdat, NR_PAGETABLE)),
	       K(node_page_state(pgdat, NR_SECONDARY_PAGETABLE)),
	       pgdat_hopeless(pgdat) ? "yes" : "no");
}

static void show_zone(struct zone *zone)
{
	struct seq_file m;

	seq_init(&m);
	seq_printf(
		&m,
		"Node %d %s free:%lukB boost:%lukB min:%lukB low:%lukB high:%lukB reserved_highatomic:0KB free_highatomic:0KB active_anon:%lukB inactive_anon:%lukB active_file:%lukB inactive_file:%lukB unevictable:%lukB writepending:%lukB present:%lukB managed:%lukB mlocked:%lukB bounce:%lukB free_pcp:%lukB local_pcp:%lukB free_cma:%lukB\n",
		zone->node, zone->name, K(zone_page_state(zone, NR_FREE_PAGES)),
		K(zone->watermark_boost), K(min_wmark_pages(zone)),
		K(low_wmark_pages(zone)), K(high_wmark_pages(zone)),
		K(zone_page_state(zone, NR_ZONE_ACTIVE_ANON)),
		K(zone_page_state(zone, NR_ZONE_INACTIVE_ANON)),
		K(zone_page_state(zone, NR_ZONE_ACTIVE_FILE)),
		K(zone_page_state(zone, NR_ZONE_INACTIVE_FILE)),
		K(zone_page_state(zone, NR_ZONE_UNEVICTABLE)),
		K(zone_page_state(zone, NR_ZONE_WRITE_PENDING)),
		K(zone->present_pages), K(zone->managed_pages),
		K(zone_page_state(zone, NR_MLOCK)),
		K(zone_page_state(zone, NR_BOUNCE)), K(pcp_pages(zone, false)),
		K(pcp_pages(zone, true)),
		K(zone_page_state(zone, NR_FREE_CMA_PAGES)));
	seq_puts(&m, "lowmem_reserve[]:");
	for (int i = 0; i < MAX_NR_ZONES; i++)
		if (arch_has_zone(M->arch, (enum zone_type)i))
			seq_printf(&m, " %ld", zone->lowmem_reserve[i]);
	seq_puts(&m, "\n");
	printk("%s", seq_text(&m));
	seq_release(&m);
}

static void show_migration_types(struct seq_file *m, unsigned type_mask)
{
	static const char letters[MIGRATE_TYPES] = { 'U', 'M', 'E', 'H', 'I' };
	char buf[MIGRATE_TYPES + 1];
	int n = 0;

	for (int i = 0; i < MIGRATE_TYPES; i++)
		if (type_mask & (1u << i))
			buf[n++] = letters[i];
	buf[n] = '\0';
	seq_printf(m, "(%s) ", buf);
}

static void show_free_lists(struct zone *zone)
{
	unsigned long total = 0;
	struct seq_file m;

	seq_init(&m);
	seq_printf(&m, "Node %d %s: ", zone->node, zone->name);
	for (int o = 0; o < NR_PAGE_ORDERS; o++) {
		const struct free_area *area = &zone->free_area[o];
		unsigned types = 0;

		for (int mt = 0; mt < MIGRATE_TYPES; mt++)
			if (!list_empty(&area->free_list[mt]))
				types |= 1u << mt;
		total += area->nr_free << o;
		seq_printf(&m, "%lu*%lukB ", area->nr_free, K(1UL) << o);
		if (area->nr_free)
			show_migration_types(&m, types);
	}
	seq_printf(&m, "= %lukB\n", K(total));
	printk("%s", seq_text(&m));
	seq_release(&m);
}

/* The hugetlb pools (hugetlb_show_meminfo_node): none is ever filled.
 * x86-64 and riscv64 have 1 GiB pages beside the default size (on x86
 * with the CPU's gbpages), registered first. */
static void show_hugetlb(int nid)
{
	bool gigantic = M->arch->hpage_kb == 2048 &&
			(!M->arch->x86 || M->mmu->direct_gbpages);

	if (gigantic)
		printk("Node %d hugepages_total=0 hugepages_free=0 hugepages_surp=0 hugepages_size=1048576kB\n",
		       nid);
	printk("Node %d hugepages_total=0 hugepages_free=0 hugepages_surp=0 hugepages_size=%lukB\n",
	       nid, M->arch->hpage_kb);
}

void __show_mem(int max_zone_idx)
{
	unsigned long total = 0, reserved = 0, highmem = 0;
	struct zone *zone;

	printk("Mem-Info:\n");
	show_global(max_zone_idx);
	for (int nid = 0; nid < M->nr_nodes; nid++)
		if (node_has_managed_zones(NODE_DATA(nid), max_zone_idx))
			show_node(NODE_DATA(nid));
	for_each_populated_zone(zone)
		if ((int)zone_idx(zone) <= max_zone_idx)
			show_zone(zone);
	for_each_populated_zone(zone)
		if ((int)zone_idx(zone) <= max_zone_idx)
			show_free_lists(zone);
	for (int nid = 0; nid < M->nr_nodes; nid++)
		show_hugetlb(nid);
	printk("%lu total pagecache pages\n",
	       global_node_page_state(NR_FILE_PAGES));
	/* show_swap_cache_info() */
	printk("%lu pages in swap cache\n",
	       global_node_page_state(NR_SWAPCACHE));
	printk("Free swap  = %ldkB\n", K(get_nr_swap_pages()));
	printk("Total swap = %lukB\n", K((unsigned long)M->total_swap_pages));
	for_each_populated_zone(zone) {
		total += zone->present_pages;
		reserved += zone->present_pages - zone->managed_pages;
		if (is_highmem_idx(zone_idx(zone)))
			highmem += zone->present_pages;
	}
	printk("%lu pages RAM\n", total);
	printk("%lu pages HighMem/MovableOnly\n", highmem);
	printk("%lu pages reserved\n", reserved);
	printk("%lu pages hwpoisoned\n", 0UL);
}
