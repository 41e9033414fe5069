/* Boot-time memory setup (arch/x86/kernel/e820.c, setup.c, numa_emulation.c,
 * arch/riscv/mm/init.c setup_bootmem, drivers/base/arch_numa.c and
 * mm/mm_init.c): the firmware memory map (x86's e820, riscv's device tree
 * with the firmware's reserved memory), memblock reservations for the
 * kernel image, NODE_DATA and the mem_map, zone sizes, struct page init,
 * and the hand-over of free memory to the buddy allocator, with the boot
 * log lines Linux prints for each step. */
#include "mm/mm_init.h"

#include <stdio.h>
#include <string.h>

#include "kernel/machine.h"
#include "kernel/printk.h"
#include "mm/internal.h"
#include "mm/memblock.h"
#include "mm/pgtable.h"
#include "mm/slab.h"
#include "mm/vmalloc.h"
#include "mm/vmstat.h"

#define ISA_HOLE_START 0x9f000ULL /* end of conventional memory */
#define ISA_HOLE_END 0x100000ULL  /* 1 MiB */
/* riscv64: the M-mode firmware (OpenSBI) keeps the start of RAM to itself
 * and the device tree says so: reserved-memory "mmode_resv0", no-map. */
#define RISCV_FW_SIZE 0x40000ULL /* 256 KiB */

const char *const zone_names[MAX_NR_ZONES] = {
	"DMA", "DMA32", "Normal", "HighMem", "Movable",
};

/* ---- firmware map and NUMA layout ---------------------------------------- */

static void e820_print(void)
{
	pr_info("BIOS-provided physical RAM map:\n");
	pr_info("BIOS-e820: [mem 0x%016llx-0x%016llx] usable\n", 0ULL,
		ISA_HOLE_START - 1);
	pr_info("BIOS-e820: [mem 0x%016llx-0x%016llx] reserved\n",
		ISA_HOLE_START, ISA_HOLE_END - 1);
	pr_info("BIOS-e820: [mem 0x%016llx-0x%016llx] usable\n", ISA_HOLE_END,
		(unsigned long long)M->ram_bytes - 1);
	pr_info("e820: update [mem 0x00000000-0x00000fff] usable ==> reserved\n");
	pr_info("e820: remove [mem 0x000a0000-0x000fffff] usable\n");
}

static phys_addr_t ram_end(void)
{
	return M->phys_ram_base + M->ram_bytes;
}

/* Node nid's share of RAM: equal multiples of 4 MiB, the tail to the last. */
static void node_range(int nid, phys_addr_t *start, phys_addr_t *end)
{
	const phys_addr_t unit = MAX_ORDER_NR_PAGES * PAGE_SIZE;
	phys_addr_t units = M->ram_bytes / unit;
	phys_addr_t base = units / (unsigned)M->nr_nodes;
	phys_addr_t extra = units % (unsigned)M->nr_nodes;
	phys_addr_t n = (phys_addr_t)nid;

	*start = M->phys_ram_base + (n * base + min(n, extra)) * unit;
	*end = *start + (base + (n < extra)) * unit;
	if (nid == M->nr_nodes - 1)
		*end = ram_end();
}

static void add_node_memory(int nid)
{
	phys_addr_t start, end;

	node_range(nid, &start, &end);
	/* x86: page 0 and the ISA hole are not RAM the kernel manages. */
	if (M->arch->x86 && start < ISA_HOLE_END) {
		memblock_add_node(max(start, (phys_addr_t)PAGE_SIZE),
				  min(end, ISA_HOLE_START) -
					  max(start, (phys_addr_t)PAGE_SIZE),
				  nid);
		start = ISA_HOLE_END;
	}
	if (end > start)
		memblock_add_node(start, end - start, nid);
}

/* x86 numa_init(): no SRAT, so one node, or numa=fake nodes. */
static void numa_print(void)
{
	int nid;

	if (M->nr_nodes == 1) {
		pr_info("No NUMA configuration found\n");
		pr_info("Faking a node at [mem 0x%016llx-0x%016llx]\n", 0ULL,
			(unsigned long long)M->ram_bytes - 1);
		return;
	}
	for_each_online_node(nid) {
		phys_addr_t s, e;

		node_range(nid, &s, &e);
		pr_info("Faking node %d at [mem 0x%016llx-0x%016llx] (%lluMB)\n",
			nid, (unsigned long long)s, (unsigned long long)e - 1,
			(unsigned long long)((e - s) >> 20));
	}
}

/* riscv64 arch_numa_init(): the device tree describes the nodes (and
 * their distances); without, a fake node covers all memory. */
static void arch_numa_print(void)
{
	if (M->nr_nodes == 1) {
		pr_info("NUMA: No NUMA configuration found\n");
		pr_info("NUMA: Faking a node at [mem 0x%016llx-0x%016llx]\n",
			(unsigned long long)M->phys_ram_base,
			(unsigned long long)ram_end() - 1);
		return;
	}
	pr_info("OF: NUMA: parsing numa-distance-map-v1\n");
}

/* ---- kernel image ------------------------------------------------------- */

/* Splits the image like a distribution kernel's (code, rwdata, rodata,
 * init, bss in per-mille), each part page aligned. */
static void kernel_image_layout(void)
{
	uint64_t total = M->cfg.kernel_image_bytes;
	struct kernel_image *k = &M->image;

	k->start = M->phys_ram_base + M->arch->kernel_offset;
	k->code = ALIGN(total * 439 / 1000, PAGE_SIZE);
	k->rwdata = ALIGN(total * 72 / 1000, PAGE_SIZE);
	k->rodata = ALIGN(total * 277 / 1000, PAGE_SIZE);
	k->init = ALIGN(total * 85 / 1000, PAGE_SIZE);
	k->bss = ALIGN(total, PAGE_SIZE) - k->code - k->rwdata - k->rodata -
		 k->init;
}

static uint64_t kernel_image_size(void)
{
	const struct kernel_image *k = &M->image;

	return k->code + k->rwdata + k->rodata + k->init + k->bss;
}

/* The init section starts after code, rwdata and rodata. */
static uint64_t kernel_init_start(void)
{
	const struct kernel_image *k = &M->image;

	return k->start + k->code + k->rwdata + k->rodata;
}

/* ---- zones ----------------------------------------------------------------- */

/* Upper pfn limit of each zone type over the whole machine. */
static void arch_zone_limits(unsigned long limit[MAX_NR_ZONES])
{
	unsigned long prev = 0;

	for (int z = 0; z < MAX_NR_ZONES; z++) {
		uint64_t end = M->arch->zone_end[z];

		if (!arch_has_zone(M->arch, (enum zone_type)z) ||
		    z == ZONE_MOVABLE) {
			limit[z] = prev;
			continue;
		}
		limit[z] = end ? min(PFN_DOWN(end), M->max_pfn) : M->max_pfn;
		limit[z] = max(limit[z], prev);
		prev = limit[z];
	}
}

static unsigned long first_memory_pfn(void)
{
	return PFN_DOWN(M->memblock.memory.regions[0].base);
}

static void zone_ranges_print(const unsigned long limit[MAX_NR_ZONES])
{
	unsigned long start = first_memory_pfn();

	pr_info("Zone ranges:\n");
	for (int z = 0; z < ZONE_MOVABLE; z++) {
		if (!arch_has_zone(M->arch, (enum zone_type)z))
			continue;
		if (limit[z] > start)
			pr_info("  %-8s [mem 0x%016llx-0x%016llx]\n", zone_names[z],
				(unsigned long long)PFN_PHYS(start),
				(unsigned long long)PFN_PHYS(limit[z]) - 1);
		else
			pr_info("  %-8s empty\n", zone_names[z]);
		start = max(start, limit[z]);
	}
	pr_info("Movable zone start for each node\n");
	pr_info("Early memory node ranges\n");
	for (unsigned i = 0; i < M->memblock.memory.cnt; i++) {
		const struct memblock_region *r = &M->memblock.memory.regions[i];

		pr_info("  node %3d: [mem 0x%016llx-0x%016llx]\n", r->nid,
			(unsigned long long)r->base,
			(unsigned long long)(r->base + r->size - 1));
	}
}

static void node_span(int nid, unsigned long *start, unsigned long *end)
{
	*start = ~0UL;
	*end = 0;
	for (unsigned i = 0; i < M->memblock.memory.cnt; i++) {
		const struct memblock_region *r = &M->memblock.memory.regions[i];

		if (r->nid != nid)
			continue;
		*start = min(*start, (unsigned long)PFN_UP(r->base));
		*end = max(*end, (unsigned long)PFN_DOWN(r->base + r->size));
	}
}

/* Linux's calc_memmap_size(): pages of struct page a zone costs. */
static unsigned long calc_memmap_size(unsigned long spanned,
				      unsigned long present)
{
	unsigned long pages = spanned;

	if (spanned > present + (present >> 4))
		pages = present;
	return PFN_UP(pages * sizeof(struct page));
}

static void zone_init(pg_data_t *pgdat, enum zone_type z, unsigned long start,
		      unsigned long end)
{
	struct zone *zone = &pgdat->node_zones[z];
	unsigned long present;

	zone->name = zone_names[z];
	zone->node = pgdat->node_id;
	zone->zone_pgdat = pgdat;
	for (int o = 0; o < NR_PAGE_ORDERS; o++)
		for (int mt = 0; mt < MIGRATE_TYPES; mt++)
			INIT_LIST_HEAD(&zone->free_area[o].free_list[mt]);
	if (end <= start)
		return;
	present = (unsigned long)(memblock_memory_in(PFN_PHYS(start),
						     PFN_PHYS(end)) >> PAGE_SHIFT);
	zone->zone_start_pfn = start;
	zone->spanned_pages = end - start;
	zone->present_pages = present;
	/* Linux's estimate until memblock_free_all() counts for real. */
	if (!is_highmem_idx(z)) {
		unsigned long memmap = calc_memmap_size(end - start, present);

		zone->managed_pages = present > memmap ? present - memmap : 0;
	} else {
		zone->managed_pages = present;
	}
	pgdat->node_present_pages += present;
}

static void pageblock_flags_init(struct zone *zone)
{
	unsigned long nr = pageblock_nr_pages();
	unsigned long base = ALIGN_DOWN(zone->zone_start_pfn, nr);
	unsigned long blocks = DIV_ROUND_UP(zone_end_pfn(zone) - base, nr);

	zone->pageblock_flags = memblock_alloc_node(blocks, 8, zone->node);
	memset(zone->pageblock_flags, MIGRATE_MOVABLE, blocks);
}

/* Initialises every struct page of the node as reserved, with its links. */
static void memmap_init_node(pg_data_t *pgdat)
{
	for (int z = 0; z < MAX_NR_ZONES; z++) {
		struct zone *zone = &pgdat->node_zones[z];

		for (unsigned long pfn = zone->zone_start_pfn;
		     pfn < zone_end_pfn(zone); pfn++) {
			struct page *page = pfn_to_page(pfn);

			set_page_links(page, (enum zone_type)z, pgdat->node_id);
			SetPageReserved(page);
			page->_mapcount = -1;
			set_page_count(page, 1);
		}
	}
}

/* Holes inside a node's zones, reported as Linux's memmap_init does. Its
 * count starts at pfn 0 but skips the memory sections without RAM, so
 * it starts at the first section RAM is in (pfn 0 on x86). */
static void print_unavailable_ranges(int nid)
{
	unsigned long hole = PFN_DOWN(ALIGN_DOWN(
		M->memblock.memory.regions[0].base,
		(phys_addr_t)PAGES_PER_SECTION << PAGE_SHIFT));

	for (unsigned i = 0; i < M->memblock.memory.cnt; i++) {
		const struct memblock_region *r = &M->memblock.memory.regions[i];
		unsigned long spfn = PFN_UP(r->base);

		if (r->nid == nid && spfn > hole) {
			const struct page *p = pfn_to_page(spfn);

			pr_info("On node %d, zone %s: %lu pages in unavailable ranges\n",
				nid, zone_names[page_zonenum(p)], spfn - hole);
		}
		hole = PFN_DOWN(r->base + r->size);
	}
}

static void free_area_init_node(int nid, const unsigned long limit[MAX_NR_ZONES])
{
	pg_data_t *pgdat = NODE_DATA(nid);
	unsigned long start, end, zstart = 0;
	size_t map_bytes;

	node_span(nid, &start, &end);
	pgdat->node_id = nid;
	for (int l = 0; l < NR_LRU_LISTS; l++)
		INIT_LIST_HEAD(&pgdat->__lruvec.lists[l]);
	pgdat->node_start_pfn = start;
	pgdat->node_spanned_pages = end - start;
	pr_info("Initmem setup node %d [mem 0x%016llx-0x%016llx]\n", nid,
		(unsigned long long)PFN_PHYS(start),
		(unsigned long long)PFN_PHYS(end) - 1);
	map_bytes = (end - start) * sizeof(struct page);
	pgdat->node_mem_map = memblock_alloc_node(map_bytes, PAGE_SIZE, nid);
	M->nr_memmap_boot_pages += PFN_UP(map_bytes);
	for (int z = 0; z < MAX_NR_ZONES; z++) {
		unsigned long zs = max(zstart, start), ze = min(limit[z], end);

		zone_init(pgdat, (enum zone_type)z, zs, ze);
		zstart = max(zstart, limit[z]);
		if (populated_zone(&pgdat->node_zones[z])) {
			pgdat->nr_zones = z + 1;
			pageblock_flags_init(&pgdat->node_zones[z]);
		}
	}
	memmap_init_node(pgdat);
	print_unavailable_ranges(nid);
}

static void free_area_init(void)
{
	unsigned long limit[MAX_NR_ZONES];
	int nid;

	arch_zone_limits(limit);
	zone_ranges_print(limit);
	for_each_online_node(nid)
		free_area_init_node(nid, limit);
}

/* ---- early allocations ----------------------------------------------------- */

static bool alloc_node_data(void)
{
	int nid;

	for_each_online_node(nid) {
		phys_addr_t size = ALIGN(sizeof(pg_data_t), PAGE_SIZE);
		pg_data_t *pgdat = memblock_alloc_node(size, PAGE_SIZE, nid);
		uint64_t pa;

		if (!pgdat)
			return false;
		pa = __pa(pgdat);
		pr_info("NODE_DATA(%d) allocated [mem 0x%08llx-0x%08llx]\n", nid,
			(unsigned long long)pa,
			(unsigned long long)(pa + size - 1));
		M->node_data[nid] = pgdat;
	}
	return true;
}

static void print_build_zonelists(void)
{
	/* Watermarks are still zero, so this counts every managed page. */
	unsigned long total = nr_free_zone_pages(gfp_zone(GFP_HIGHUSER_MOVABLE));
	struct zone *zone;

	M->page_group_by_mobility_disabled =
		total < pageblock_nr_pages() * MIGRATE_TYPES;
	pr_info("Built %d zonelists, mobility grouping %s.  Total pages: %lu\n",
		M->nr_nodes, M->page_group_by_mobility_disabled ? "off" : "on",
		total);
	M->policy_zone = ZONE_DMA;
	for_each_populated_zone(zone)
		if (zone_idx(zone) != ZONE_MOVABLE && zone_idx(zone) > M->policy_zone)
			M->policy_zone = zone_idx(zone);
	pr_info("Policy zone: %s\n", zone_names[M->policy_zone]);
}

/* ---- handing memory to the buddy allocator ---------------------------------- */

/* Frees [spfn, epfn) zone by zone in the largest aligned blocks. */
static void free_range(unsigned long spfn, unsigned long epfn, void *arg)
{
	(void)arg;
	while (spfn < epfn) {
		struct zone *zone = page_zone(pfn_to_page(spfn));
		unsigned long end = min(epfn, zone_end_pfn(zone));

		while (spfn < end) {
			unsigned order = min((unsigned)MAX_PAGE_ORDER,
					     (unsigned)__builtin_ctzl(spfn | (1UL << 63)));

			while (spfn + (1UL << order) > end)
				order--;
			__free_pages_core(pfn_to_page(spfn), order);
			spfn += 1UL << order;
		}
	}
}

static void memblock_free_all(void)
{
	struct zone *zone;

	for_each_zone(zone)
		zone->managed_pages = 0;
	M->totalram_pages = 0;
	memblock_for_each_free_range(free_range, NULL);
}

#define K(pages) ((unsigned long)(pages) << (PAGE_SHIFT - 10))

static void mem_init_print_info(void)
{
	const struct kernel_image *k = &M->image;
	unsigned long highmem = 0;
	struct zone *zone;
	struct seq_file m;

	seq_init(&m);
	seq_printf(&m, "Memory: %luK/%luK available (%lluK kernel code, %lluK rwdata, %lluK rodata, %lluK init, %lluK bss, %luK reserved, 0K cma-reserved",
		   K(nr_free_pages()), K(M->physpages),
		   (unsigned long long)k->code >> 10,
		   (unsigned long long)k->rwdata >> 10,
		   (unsigned long long)k->rodata >> 10,
		   (unsigned long long)k->init >> 10,
		   (unsigned long long)k->bss >> 10,
		   K(M->physpages - M->totalram_pages));
	for_each_zone(zone)
		if (zone_idx(zone) == ZONE_HIGHMEM)
			highmem += zone->managed_pages;
	if (arch_has_zone(M->arch, ZONE_HIGHMEM))
		seq_printf(&m, ", %luK highmem", K(highmem));
	pr_info("%s)\n", seq_text(&m));
	seq_release(&m);
}

/* The arch's mem_init() once memblock has handed memory over: x86-64
 * preallocates the tables of the vmalloc range, so every pgd shares them. */
static void mem_init(void)
{
	if (M->pt_fmt == &pt_x86_64_4level || M->pt_fmt == &pt_x86_64_5level)
		preallocate_vmalloc_pages();
}

/* Linux's free_initmem(): the init section goes back to the allocator. */
static void free_initmem(void)
{
	unsigned long spfn = PFN_DOWN(kernel_init_start());
	unsigned long epfn = spfn + PFN_DOWN(M->image.init);

	for (unsigned long pfn = spfn; pfn < epfn; pfn++)
		__free_pages_core(pfn_to_page(pfn), 0);
	pr_info("Freeing unused kernel image (initmem) memory: %lluK\n",
		(unsigned long long)M->image.init >> 10);
}

/* ---- the whole sequence ------------------------------------------------------- */

/* x86 setup_arch(): the e820 map, lowmem, memblock, the first 1 MiB
 * and the kernel image reserved, the direct map, NUMA. */
static bool x86_setup_arch(void)
{
	int nid;

	e820_print();
	M->max_pfn = PFN_DOWN(ram_end());
	pr_info("last_pfn = %#lx max_arch_pfn = %#llx\n", M->max_pfn,
		(unsigned long long)M->arch->max_arch_pfn);
	M->max_low_pfn = arch_has_zone(M->arch, ZONE_HIGHMEM) ?
		min(M->max_pfn, PFN_DOWN(M->arch->zone_end[ZONE_NORMAL])) :
		M->max_pfn;
	if (arch_has_zone(M->arch, ZONE_HIGHMEM)) {
		pr_notice("%luMB HIGHMEM available.\n",
			  (M->max_pfn - M->max_low_pfn) >> (20 - PAGE_SHIFT));
		pr_notice("%luMB LOWMEM available.\n",
			  M->max_low_pfn >> (20 - PAGE_SHIFT));
	}
	for_each_online_node(nid)
		add_node_memory(nid);
	/* The kernel maps lowmem only: boot allocations stay below it. */
	M->memblock.current_limit = PFN_PHYS(M->max_low_pfn);
	memblock_reserve(0, ISA_HOLE_END); /* x86 keeps the first 1 MiB */
	kernel_image_layout();
	memblock_reserve(M->image.start, kernel_image_size());
	if (!init_mem_mapping())
		return false;
	numa_print();
	return true;
}

/* early_init_fdt_scan_reserved_mem(): the firmware's no-map region. */
static void riscv_reserved_mem(void)
{
	phys_addr_t base = M->phys_ram_base;

	memblock_mark_nomap(base, RISCV_FW_SIZE);
	pr_info("OF: reserved mem: 0x%016llx..0x%016llx (%llu KiB) nomap non-reusable mmode_resv0@%llx\n",
		(unsigned long long)base,
		(unsigned long long)(base + RISCV_FW_SIZE - 1),
		(unsigned long long)RISCV_FW_SIZE >> 10,
		(unsigned long long)base);
}

/* riscv64 setup_arch(): memory from the device tree, setup_bootmem()
 * (the kernel image reserved up to a 2 MiB boundary, since its linear
 * alias is mapped read-only; the firmware's reserved memory), the linear
 * map (setup_vm_final), then arch_numa_init(). */
static bool riscv_setup_arch(void)
{
	uint64_t end;
	int nid;

	for_each_online_node(nid)
		add_node_memory(nid);
	M->max_pfn = M->max_low_pfn = PFN_DOWN(ram_end());
	M->memblock.current_limit = PFN_PHYS(M->max_low_pfn);
	kernel_image_layout();
	end = ALIGN(M->image.start + kernel_image_size(), (uint64_t)PMD_SIZE);
	memblock_reserve(M->image.start, end - M->image.start);
	riscv_reserved_mem();
	if (!setup_vm_final())
		return false;
	arch_numa_print();
	return true;
}

static bool setup_arch(void)
{
	return M->arch->x86 ? x86_setup_arch() : riscv_setup_arch();
}

bool mm_boot(char *err, size_t errlen)
{
	if (!mmu_init() || !setup_arch())
		return false;
	if (!alloc_node_data())
		return false;
	free_area_init();
	for (int nid = 0; nid < M->nr_nodes; nid++)
		M->physpages += NODE_DATA(nid)->node_present_pages;
	if (M->arch->x86)
		pr_info("setup_percpu: NR_CPUS:%d nr_cpumask_bits:%d nr_cpu_ids:%d nr_node_ids:%d\n",
			NR_CPUS, M->nr_cpus, M->nr_cpus, M->nr_nodes);
	setup_per_cpu_pageset();
	build_all_zonelists();
	print_build_zonelists();
	memblock_free_all();
	mem_init();
	mem_init_print_info();
	kmem_cache_init();
	pgtable_cache_init();
	if (!vmalloc_init()) {
		snprintf(err, errlen,
			 "cannot reserve host address space for the vmalloc area");
		return false;
	}
	init_per_zone_wmark_min();
	free_initmem();
	/* empty_zero_page: the last page of the kernel image's bss. */
	M->zero_page = pfn_to_page(
		PFN_DOWN(kernel_bss_start(&M->image) + M->image.bss) - 1);
	return true;
}
