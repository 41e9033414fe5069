/* The zoned buddy allocator (mm/page_alloc.c) as its users rely on it:
 * refcounts and zeroing, natural alignment, zone and node selection,
 * lowmem reserves and watermarks (GFP_ATOMIC's access below min), the
 * per-CPU page lists, migrate-type grouping, the misuse reports
 * (double free, wrong order, mapped page, sleeping in atomic context),
 * the allocation failure report, and independent machines. Each test
 * boots a small machine of its own; the teardown destroys it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "base/seq_file.h"
#include "fs/proc/proc.h"
#include "kernel/machine.h"
#include "mm/gfp.h"
#include "mm/internal.h"
#include "mm/mm.h"
#include "mm/mmzone.h"
#include "mm/slab.h"
#include "mm/vmstat.h"

#include "helpers.h"

/* ---- local helpers ----------------------------------------------------- */

/* Host-side list of the blocks a test holds. */
struct blocks {
	struct page **page;
	unsigned *order;
	size_t n, cap;
};

/* The blocks the running test holds; teardown releases the host arrays
 * even when an assertion ended the test early. */
static struct blocks held;

static void blocks_add(struct blocks *b, struct page *page, unsigned order)
{
	if (b->n == b->cap) {
		b->cap = b->cap ? b->cap * 2 : 1024;
		b->page = realloc(b->page, b->cap * sizeof(*b->page));
		b->order = realloc(b->order, b->cap * sizeof(*b->order));
		assert_non_null(b->page);
		assert_non_null(b->order);
	}
	b->page[b->n] = page;
	b->order[b->n++] = order;
}

/* Drops the host list; the blocks stay allocated (or were freed). */
static void blocks_forget(struct blocks *b)
{
	free(b->page);
	free(b->order);
	memset(b, 0, sizeof(*b));
}

static void blocks_free_all(struct blocks *b)
{
	for (size_t i = 0; i < b->n; i++)
		__free_pages(b->page[i], b->order[i]);
	blocks_forget(b);
}

/* Allocates blocks of one order until the allocator says no; nid < 0
 * means the local node (alloc_pages). Returns how many it got. */
static size_t fill(struct blocks *b, gfp_t gfp, unsigned order, int nid)
{
	size_t got = 0;

	for (;;) {
		struct page *p = nid < 0 ? alloc_pages(gfp, order) :
					   alloc_pages_node(nid, gfp, order);

		if (!p)
			return got;
		blocks_add(b, p, order);
		got++;
	}
}

/* The buddy lists hold want free pages once the pcp lists are drained,
 * and the page allocator passes its invariant checker. */
static void assert_free_pages_consistent(unsigned long want)
{
	assert_int_equal(free_pages_drained(), want);
	assert_int_equal(check_page_alloc_invariants(), 0);
}

static struct zone *zone_of(int nid, enum zone_type z)
{
	return &NODE_DATA(nid)->node_zones[z];
}

static int pcp_count(int nid, enum zone_type z, int cpu)
{
	return zone_of(nid, z)->per_cpu_pageset[cpu].count;
}

/* The "count:" of one CPU's pageset of one zone in /proc/zoneinfo. */
static int zoneinfo_pcp_count(int nid, const char *zone, int cpu)
{
	char *text = proc_text("/proc/zoneinfo");
	char head[64], cpuline[32];
	const char *p;
	int count = -1;

	snprintf(head, sizeof(head), "Node %d, zone %8s\n", nid, zone);
	snprintf(cpuline, sizeof(cpuline), "    cpu: %d\n", cpu);
	p = strstr(text, head);
	assert_non_null(p);
	p = strstr(p, cpuline);
	assert_non_null(p);
	p = strstr(p, "count:");
	assert_non_null(p);
	count = atoi(p + strlen("count:"));
	free(text);
	return count;
}

/* The "Number of blocks type" counts of one zone in /proc/pagetypeinfo. */
static void pageblock_counts(int nid, const char *zone,
			     unsigned long count[MIGRATE_TYPES])
{
	char *text = proc_text("/proc/pagetypeinfo");
	char head[64];
	const char *p;
	char *end;

	p = strstr(text, "Number of blocks type");
	assert_non_null(p);
	snprintf(head, sizeof(head), "Node %d, zone %8s ", nid, zone);
	p = strstr(p, head);
	assert_non_null(p);
	p += strlen(head);
	for (int mt = 0; mt < MIGRATE_TYPES; mt++) {
		count[mt] = strtoul(p, &end, 10);
		assert_true(end != p);
		p = end;
	}
	free(text);
}

static int teardown_machine(void **state)
{
	(void)state;
	blocks_forget(&held);
	if (M)
		machine_destroy(M);
	return 0;
}

/* ---- 1. basic semantics ------------------------------------------------ */

static void test_alloc_page_has_one_reference_in_expected_zone(void **state)
{
	struct page *p;

	(void)state;
	boot_machine("ram=256M");
	p = alloc_page(GFP_KERNEL);
	assert_non_null(p);
	assert_int_equal(page_ref_count(p), 1);
	assert_int_equal(page_mapcount(p), 0);
	assert_false(PageBuddy(p));
	/* 256M has no ZONE_NORMAL: GFP_KERNEL's first zone is DMA32. */
	assert_int_equal(zone_idx(page_zone(p)), ZONE_DMA32);
	assert_true(zone_spans_pfn(page_zone(p), page_to_pfn(p)));
	assert_ptr_equal(pfn_to_page(page_to_pfn(p)), p);
	assert_ptr_equal(virt_to_page(page_address(p)), p);
	__free_page(p);
	assert_int_equal(check_page_alloc_invariants(), 0);
	assert_int_equal(M->nr_bugs, 0);
}

static bool all_zero(const void *addr, size_t len)
{
	const unsigned char *c = addr;

	for (size_t i = 0; i < len; i++)
		if (c[i])
			return false;
	return true;
}

static void test_gfp_zero_clears_a_dirtied_page(void **state)
{
	struct page *p, *q;

	(void)state;
	boot_machine("ram=256M");
	p = alloc_page(GFP_KERNEL);
	memset(page_address(p), 0xa5, PAGE_SIZE);
	__free_page(p);
	/* The pcp list is LIFO: the dirty page comes straight back. */
	q = alloc_page(GFP_KERNEL | __GFP_ZERO);
	assert_ptr_equal(q, p);
	assert_true(all_zero(page_address(q), PAGE_SIZE));
	__free_page(q);
}

static void test_get_zeroed_page_clears_a_dirtied_page(void **state)
{
	unsigned long addr, again;

	(void)state;
	boot_machine("ram=256M");
	addr = __get_free_page(GFP_KERNEL);
	assert_true(addr != 0);
	memset((void *)addr, 0x5a, PAGE_SIZE);
	free_page(addr);
	again = get_zeroed_page(GFP_KERNEL);
	assert_int_equal(again, addr);
	assert_true(all_zero((void *)again, PAGE_SIZE));
	free_page(again);
}

static void test_gfp_zero_clears_every_page_of_a_high_order_block(void **state)
{
	struct page *p;

	(void)state;
	boot_machine("ram=256M");
	p = alloc_pages(GFP_KERNEL, 3);
	memset(page_address(p), 0xff, PAGE_SIZE << 3);
	__free_pages(p, 3);
	p = alloc_pages(GFP_KERNEL | __GFP_ZERO, 3);
	assert_non_null(p);
	assert_true(all_zero(page_address(p), PAGE_SIZE << 3));
	__free_pages(p, 3);
}

static void test_get_free_pages_returns_page_address(void **state)
{
	unsigned long addr;
	struct page *p;

	(void)state;
	boot_machine("ram=256M");
	addr = __get_free_pages(GFP_KERNEL, 2);
	assert_true(addr != 0);
	assert_true(IS_ALIGNED(addr - (unsigned long)M->ram, PAGE_SIZE << 2));
	p = virt_to_page((void *)addr);
	assert_int_equal((unsigned long)page_address(p), addr);
	assert_int_equal(page_ref_count(p), 1);
	free_pages(addr, 2);
	assert_int_equal(page_ref_count(p), 0);
	assert_int_equal(M->nr_bugs, 0);
}

static void test_free_pages_of_zero_is_a_noop(void **state)
{
	unsigned long before;
	size_t mark;

	(void)state;
	boot_machine("ram=256M");
	before = free_pages_drained();
	mark = log_mark();
	free_pages(0, 0);
	free_pages(0, 3);
	assert_int_equal(free_pages_drained(), before);
	assert_int_equal(log_mark(), mark);
	assert_int_equal(M->nr_bugs, 0);
	assert_int_equal(M->nr_warns, 0);
}

static void test_page_is_freed_at_its_last_reference(void **state)
{
	unsigned long base;
	struct page *p;

	(void)state;
	boot_machine("ram=256M");
	base = free_pages_drained();
	p = alloc_page(GFP_KERNEL);
	get_page(p);
	assert_int_equal(page_ref_count(p), 2);
	put_page(p);
	assert_int_equal(page_ref_count(p), 1);
	assert_int_equal(free_pages_drained(), base - 1);
	put_page(p);
	assert_int_equal(page_ref_count(p), 0);
	assert_int_equal(free_pages_drained(), base);
	assert_int_equal(M->nr_bugs, 0);
	assert_int_equal(check_page_alloc_invariants(), 0);
}

static void test_compound_page_refcount_lives_in_head(void **state)
{
	unsigned long base;
	struct page *p;

	(void)state;
	boot_machine("ram=256M");
	base = free_pages_drained();
	p = alloc_pages(GFP_KERNEL | __GFP_COMP, 3);
	assert_non_null(p);
	assert_true(PageHead(p));
	assert_int_equal(compound_order(p), 3);
	for (int i = 1; i < 8; i++)
		assert_ptr_equal(compound_head(p + i), p);
	get_page(p + 5);
	assert_int_equal(page_ref_count(p), 2);
	put_page(p + 7);
	assert_int_equal(free_pages_drained(), base - 8);
	put_page(p + 1); /* the last reference frees all 8 pages */
	assert_int_equal(free_pages_drained(), base);
	assert_false(PageHead(p));
	assert_int_equal(M->nr_bugs, 0);
	assert_int_equal(check_page_alloc_invariants(), 0);
}

/* Linux's __free_pages(): when someone else still holds the first page of
 * a non-compound block, the other pages are freed at once and the first
 * page stays, to be freed as an order-0 page by the last put_page(). */
static void test_free_pages_with_extra_reference_keeps_first_page(void **state)
{
	unsigned long base;
	struct page *p;

	(void)state;
	boot_machine("ram=256M");
	base = free_pages_drained();
	p = alloc_pages(GFP_KERNEL, 2);
	get_page(p);
	__free_pages(p, 2);
	assert_int_equal(page_ref_count(p), 1);
	assert_int_equal(free_pages_drained(), base - 1);
	put_page(p);
	assert_int_equal(M->nr_bugs, 0);
	assert_false(log_contains("Bad page state"));
	assert_free_pages_consistent(base);
}

static void test_every_order_is_naturally_aligned(void **state)
{
	char *boot_text;

	(void)state;
	boot_machine("ram=256M");
	/* Boot's slab left part of a pcp batch on the per-CPU lists: the
	 * baseline is the buddy lists with those drained back. */
	drain_all_pages(NULL);
	boot_text = proc_text("/proc/buddyinfo");
	for (unsigned order = 0; order <= MAX_PAGE_ORDER; order++) {
		struct page *p = alloc_pages(GFP_KERNEL, order);
		unsigned long pfn;

		assert_non_null(p);
		pfn = page_to_pfn(p);
		assert_int_equal(pfn % (1UL << order), 0);
		/* The whole block lies in one zone. */
		assert_true(
			zone_spans_pfn(page_zone(p), pfn + (1UL << order) - 1));
		assert_int_equal(page_ref_count(p), 1);
		blocks_add(&held, p, order);
	}
	/* All blocks live at once: no two overlap. */
	for (size_t i = 0; i < held.n; i++)
		for (size_t j = i + 1; j < held.n; j++) {
			unsigned long a = page_to_pfn(held.page[i]);
			unsigned long c = page_to_pfn(held.page[j]);

			assert_true(a + (1UL << held.order[i]) <= c ||
				    c + (1UL << held.order[j]) <= a);
		}
	assert_int_equal(check_page_alloc_invariants(), 0);
	blocks_free_all(&held);
	drain_all_pages(NULL);
	char *after = proc_text("/proc/buddyinfo");
	assert_string_equal(after, boot_text);
	free(after);
	free(boot_text);
}

static void test_order_above_max_fails_with_warning(void **state)
{
	size_t mark;

	(void)state;
	boot_machine("ram=256M");
	mark = log_mark();
	assert_null(alloc_pages(GFP_KERNEL, MAX_PAGE_ORDER + 1));
	assert_int_equal(M->nr_warns, 1);
	assert_true(log_contains_since(mark,
				       "------------[ cut here ]------------"));
	assert_true(log_contains_since(
		mark, "WARNING: CPU: 0 PID: 0 at mm/page_alloc.c:"));
	assert_int_equal(M->nr_bugs, 0);
}

static void test_order_above_max_with_nowarn_is_silent(void **state)
{
	size_t mark;

	(void)state;
	boot_machine("ram=256M");
	mark = log_mark();
	assert_null(alloc_pages(GFP_KERNEL | __GFP_NOWARN, MAX_PAGE_ORDER + 1));
	assert_int_equal(M->nr_warns, 0);
	assert_int_equal(log_mark(), mark);
}

static void test_vmstat_counts_pages_allocated_and_freed(void **state)
{
	unsigned long pgalloc, pgfree;
	struct page *p;

	(void)state;
	boot_machine("ram=256M");
	pgalloc = vmstat_counter("pgalloc_dma32");
	pgfree = vmstat_counter("pgfree");
	p = alloc_pages(GFP_KERNEL, 2);
	assert_int_equal(vmstat_counter("pgalloc_dma32"), pgalloc + 4);
	__free_pages(p, 2);
	assert_int_equal(vmstat_counter("pgfree"), pgfree + 4);
	drain_all_pages(NULL);
	assert_int_equal(vmstat_counter("nr_free_pages"), nr_free_pages());
}

/* ---- 2. zones ---------------------------------------------------------- */

static void test_gfp_dma_comes_from_zone_dma(void **state)
{
	struct page *p;

	(void)state;
	boot_machine("ram=256M");
	p = alloc_page(GFP_KERNEL | GFP_DMA);
	assert_non_null(p);
	assert_int_equal(zone_idx(page_zone(p)), ZONE_DMA);
	assert_true(page_to_pfn(p) < 4096);
	__free_page(p);
}

static void test_gfp_dma32_comes_from_zone_dma32_above_4g(void **state)
{
	struct page *p;

	(void)state;
	boot_machine("ram=6G");
	p = alloc_page(GFP_KERNEL | GFP_DMA32);
	assert_non_null(p);
	assert_int_equal(zone_idx(page_zone(p)), ZONE_DMA32);
	assert_true(page_to_pfn(p) >= 4096 && page_to_pfn(p) < (1UL << 20));
	__free_page(p);
}

/* riscv64 has no ZONE_DMA: GFP_DMA is served like GFP_KERNEL (Linux's
 * OPT_ZONE_DMA is ZONE_NORMAL), from Normal above 4G; GFP_DMA32 from
 * DMA32, which starts at 0x80000000 with RAM. */
static void test_riscv64_gfp_dma_and_dma32(void **state)
{
	struct page *p;

	(void)state;
	boot_machine("arch=riscv64", "ram=6G");
	assert_int_equal(gfp_zone(GFP_DMA), ZONE_NORMAL);
	p = alloc_page(GFP_KERNEL | GFP_DMA);
	assert_non_null(p);
	assert_int_equal(zone_idx(page_zone(p)), ZONE_NORMAL);
	__free_page(p);
	p = alloc_page(GFP_KERNEL | GFP_DMA32);
	assert_non_null(p);
	assert_int_equal(zone_idx(page_zone(p)), ZONE_DMA32);
	assert_true(page_to_pfn(p) >= 0x80000 && page_to_pfn(p) < 0x100000);
	__free_page(p);
}

static void test_gfp_kernel_prefers_zone_normal(void **state)
{
	struct page *p;

	(void)state;
	boot_machine("ram=6G");
	p = alloc_page(GFP_KERNEL);
	assert_non_null(p);
	assert_int_equal(zone_idx(page_zone(p)), ZONE_NORMAL);
	assert_true(page_to_pfn(p) >= (1UL << 20));
	__free_page(p);
}

static void test_i386_highuser_comes_from_highmem(void **state)
{
	struct page *p;
	void *addr;

	(void)state;
	boot_machine("arch=i386", "ram=2G");
	p = alloc_page(GFP_HIGHUSER | __GFP_ZERO);
	assert_non_null(p);
	assert_int_equal(zone_idx(page_zone(p)), ZONE_HIGHMEM);
	assert_true(PageHighMem(p));
	assert_null(page_address(p));
	addr = kmap_local_page(p);
	assert_non_null(addr);
	assert_true(all_zero(addr, PAGE_SIZE));
	kunmap_local(addr);
	__free_page(p);
}

static void test_i386_get_free_pages_never_returns_highmem(void **state)
{
	unsigned long addr;

	(void)state;
	boot_machine("arch=i386", "ram=2G");
	/* __get_free_pages() must return an address: __GFP_HIGHMEM is
	 * dropped. */
	addr = __get_free_pages(GFP_HIGHUSER, 0);
	assert_true(addr != 0);
	assert_false(PageHighMem(virt_to_page((void *)addr)));
	free_pages(addr, 0);
}

static void test_i386_gfp_kernel_never_returns_highmem(void **state)
{
	struct zone *high;
	unsigned long high_free;

	(void)state;
	boot_machine("arch=i386", "ram=2G");
	high = zone_of(0, ZONE_HIGHMEM);
	high_free = zone_page_state(high, NR_FREE_PAGES);
	assert_true(high_free > 0);
	fill(&held, GFP_KERNEL | __GFP_NOWARN, 0, -1);
	assert_true(held.n > 100000); /* most of the 896M of lowmem */
	for (size_t i = 0; i < held.n; i++)
		assert_false(PageHighMem(held.page[i]));
	assert_int_equal(zone_page_state(high, NR_FREE_PAGES), high_free);
	blocks_free_all(&held);
}

static void test_highuser_movable_falls_back_to_normal(void **state)
{
	struct page *p;

	(void)state;
	boot_machine("ram=6G");
	/* ZONE_MOVABLE exists but is empty: the zonelist starts at Normal. */
	assert_false(populated_zone(zone_of(0, ZONE_MOVABLE)));
	p = alloc_page(GFP_HIGHUSER_MOVABLE);
	assert_non_null(p);
	assert_int_equal(zone_idx(page_zone(p)), ZONE_NORMAL);
	assert_int_equal(get_pfnblock_migratetype(p, page_to_pfn(p)),
			 MIGRATE_MOVABLE);
	__free_page(p);
}

static void test_dma_exhaustion_reports_allocation_failure(void **state)
{
	struct zone *dma;
	unsigned long free0, min;
	size_t mark;

	(void)state;
	boot_machine("ram=256M");
	dma = zone_of(0, ZONE_DMA);
	free0 = zone_page_state(dma, NR_FREE_PAGES);
	min = min_wmark_pages(dma);
	mark = log_mark();
	fill(&held, GFP_KERNEL | GFP_DMA, 0, -1);
	/* GFP_DMA has nowhere else to go; its own zone has no lowmem
	 * reserve against it, so it stops at the min watermark (the DMA
	 * zone's pcp batch is 1, so nothing is stranded on the pcp list). */
	assert_int_equal(dma->per_cpu_pageset[0].batch, 1);
	assert_int_equal(held.n, free0 - min);
	for (size_t i = 0; i < held.n; i++)
		assert_int_equal(zone_idx(page_zone(held.page[i])), ZONE_DMA);
	assert_int_equal(M->nr_alloc_failures, 1);
	assert_true(log_contains_since(
		mark, "swapper/0: page allocation failure: order:0, "
		      "mode:0xcc1(GFP_KERNEL|GFP_DMA), nodemask=(null),"
		      "cpuset=/,mems_allowed=0\n"));
	assert_true(log_contains_since(mark, "Mem-Info:\n"));
	assert_true(log_contains_since(mark, "Node 0 DMA free:"));
	/* zones above the request's (gfp_zone) are left out */
	assert_false(log_contains_since(mark, "Node 0 DMA32"));
	blocks_free_all(&held);
	assert_int_equal(check_page_alloc_invariants(), 0);
}

/* __show_mem(): Linux's Mem-Info block, its figures those of
 * /proc/vmstat, /proc/zoneinfo and the swap areas at that moment. */
static void test_show_mem_block(void **state)
{
	unsigned long present = 0, managed = 0;
	char line[512];
	struct zone *zone;
	size_t mark;

	(void)state;
	boot_machine("ram=256M", "swap=16M");
	mark = log_mark();
	__show_mem(MAX_NR_ZONES - 1);
	snprintf(line, sizeof(line),
		 "] active_anon:%lu inactive_anon:%lu isolated_anon:0\n",
		 vmstat_counter("nr_active_anon"),
		 vmstat_counter("nr_inactive_anon"));
	assert_true(log_contains_since(mark, line));
	snprintf(line, sizeof(line),
		 "]  slab_reclaimable:%lu slab_unreclaimable:%lu\n",
		 vmstat_counter("nr_slab_reclaimable"),
		 vmstat_counter("nr_slab_unreclaimable"));
	assert_true(log_contains_since(mark, line));
	snprintf(line, sizeof(line), "]  mapped:0 shmem:0 pagetables:%lu\n",
		 vmstat_counter("nr_page_table_pages"));
	assert_true(log_contains_since(mark, line));
	assert_true(log_contains_since(
		mark, "]  sec_pagetables:0 bounce:0\n"
		      "[    0.000000]  kernel_misc_reclaimable:0\n"));
	snprintf(
		line, sizeof(line),
		"] Node 0 active_anon:0kB inactive_anon:%lukB active_file:0kB inactive_file:0kB unevictable:0kB isolated(anon):0kB isolated(file):0kB mapped:0kB dirty:0kB writeback:0kB shmem:0kB shmem_thp:0kB shmem_pmdmapped:0kB anon_thp:0kB writeback_tmp:0kB kernel_stack:%lukB pagetables:%lukB sec_pagetables:0kB all_unreclaimable? no\n",
		vmstat_counter("nr_inactive_anon") * 4,
		vmstat_counter("nr_kernel_stack"),
		vmstat_counter("nr_page_table_pages") * 4);
	assert_true(log_contains_since(mark, line));
	assert_true(log_contains_since(
		mark,
		"] Node 0 hugepages_total=0 hugepages_free=0 hugepages_surp=0 hugepages_size=1048576kB\n"
		"[    0.000000] Node 0 hugepages_total=0 hugepages_free=0 hugepages_surp=0 hugepages_size=2048kB\n"
		"[    0.000000] 0 total pagecache pages\n"
		"[    0.000000] 0 pages in swap cache\n"
		"[    0.000000] Free swap  = 16380kB\n"
		"[    0.000000] Total swap = 16380kB\n"));
	for_each_populated_zone(zone) {
		present += zone->present_pages;
		managed += zone->managed_pages;
	}
	snprintf(line, sizeof(line),
		 "] %lu pages RAM\n[    0.000000] 0 pages HighMem/MovableOnly\n"
		 "[    0.000000] %lu pages reserved\n"
		 "[    0.000000] 0 pages hwpoisoned\n",
		 present, present - managed);
	assert_true(log_contains_since(mark, line));
	/* a GFP_DMA request's report stops at the DMA zone */
	mark = log_mark();
	__show_mem(ZONE_DMA);
	assert_true(log_contains_since(mark, "] Node 0 DMA: "));
	assert_false(log_contains_since(mark, "DMA32"));
}

static void test_lowmem_reserve_keeps_gfp_kernel_out_of_dma(void **state)
{
	struct zone *dma;
	unsigned long reserve, min, free;

	(void)state;
	boot_machine("ram=256M");
	dma = zone_of(0, ZONE_DMA);
	/* GFP_KERNEL's highest zone is Normal (empty here). */
	reserve = (unsigned long)dma->lowmem_reserve[ZONE_NORMAL];
	min = min_wmark_pages(dma);
	assert_true(reserve > 0);
	fill(&held, GFP_KERNEL | __GFP_NOWARN, 0, -1);
	free = zone_page_state(dma, NR_FREE_PAGES);
	assert_true(free >= reserve + min);
	/* ... and GFP_KERNEL did use DMA down to that protection. */
	assert_true(free <=
		    reserve + min +
			    (unsigned long)dma->per_cpu_pageset[0].batch);
	/* GFP_DMA itself may still go below it. */
	assert_non_null(alloc_page(GFP_KERNEL | GFP_DMA | __GFP_NOWARN));
	blocks_free_all(
		&held); /* the GFP_DMA page is leaked with the machine */
}

/* ---- 3. NUMA ------------------------------------------------------------- */

static void boot_two_nodes(void)
{
	boot_machine("ram=1G", "nodes=2", "cpus=2");
	assert_int_equal(cpu_to_node(0), 0);
	assert_int_equal(cpu_to_node(1), 1);
}

static void test_alloc_pages_node_returns_pages_of_that_node(void **state)
{
	struct page *p0, *p1, *local;

	(void)state;
	boot_two_nodes();
	p1 = alloc_pages_node(1, GFP_KERNEL, 0);
	p0 = alloc_pages_node(0, GFP_KERNEL, 3);
	assert_int_equal(page_to_nid(p1), 1);
	assert_int_equal(page_to_nid(p0), 0);
	M->this_cpu = 1;
	local = alloc_pages_node(NUMA_NO_NODE, GFP_KERNEL, 0);
	assert_int_equal(page_to_nid(local), 1);
	__free_page(local);
	M->this_cpu = 0;
	__free_page(p1);
	__free_pages(p0, 3);
}

static void test_thisnode_fails_instead_of_falling_back(void **state)
{
	unsigned long node0_free;
	size_t got;

	(void)state;
	boot_two_nodes();
	drain_all_pages(NULL);
	node0_free = zone_page_state(zone_of(0, ZONE_DMA32), NR_FREE_PAGES) +
		     zone_page_state(zone_of(0, ZONE_DMA), NR_FREE_PAGES);
	got = fill(&held, GFP_KERNEL | __GFP_THISNODE | __GFP_NOWARN, 0, 1);
	assert_true(got > 50000);
	for (size_t i = 0; i < held.n; i++)
		assert_int_equal(page_to_nid(held.page[i]), 1);
	assert_null(alloc_pages_node(1, GFP_KERNEL | __GFP_THISNODE, 0));
	assert_true(
		log_contains("page allocation failure: order:0, "
			     "mode:0x200cc0(GFP_KERNEL|__GFP_THISNODE), "
			     "nodemask=(null),cpuset=/,mems_allowed=0-1\n"));
	drain_all_pages(NULL);
	assert_int_equal(
		zone_page_state(zone_of(0, ZONE_DMA32), NR_FREE_PAGES) +
			zone_page_state(zone_of(0, ZONE_DMA), NR_FREE_PAGES),
		node0_free);
	blocks_free_all(&held);
}

static void test_fallback_to_other_node_counts_numa_miss(void **state)
{
	unsigned long miss, foreign, hit;
	struct page *p;

	(void)state;
	boot_two_nodes();
	fill(&held, GFP_KERNEL | __GFP_THISNODE | __GFP_NOWARN, 0, 1);
	miss = vmstat_counter("numa_miss");
	foreign = vmstat_counter("numa_foreign");
	hit = vmstat_counter("numa_hit");
	p = alloc_pages_node(1, GFP_KERNEL, 0);
	assert_non_null(p);
	assert_int_equal(page_to_nid(p), 0);
	assert_int_equal(vmstat_counter("numa_miss"), miss + 1);
	assert_int_equal(vmstat_counter("numa_foreign"), foreign + 1);
	assert_int_equal(vmstat_counter("numa_hit"), hit);
	__free_page(p);
	blocks_free_all(&held);
}

static void test_local_allocations_count_numa_hit_and_local(void **state)
{
	unsigned long hit, local, other, miss;
	struct page *p0, *p1, *remote;

	(void)state;
	boot_two_nodes();
	hit = vmstat_counter("numa_hit");
	local = vmstat_counter("numa_local");
	other = vmstat_counter("numa_other");
	miss = vmstat_counter("numa_miss");
	p0 = alloc_page(GFP_KERNEL); /* CPU 0, node 0 */
	M->this_cpu = 1;
	p1 = alloc_pages(GFP_KERNEL, 2); /* CPU 1, node 1 */
	M->this_cpu = 0;
	assert_int_equal(page_to_nid(p0), 0);
	assert_int_equal(page_to_nid(p1), 1);
	/* NUMA events count allocations, not pages. */
	assert_int_equal(vmstat_counter("numa_hit"), hit + 2);
	assert_int_equal(vmstat_counter("numa_local"), local + 2);
	/* Asking for node 1 from CPU 0: a hit, but not local. */
	remote = alloc_pages_node(1, GFP_KERNEL, 0);
	assert_int_equal(page_to_nid(remote), 1);
	assert_int_equal(vmstat_counter("numa_hit"), hit + 3);
	assert_int_equal(vmstat_counter("numa_other"), other + 1);
	assert_int_equal(vmstat_counter("numa_miss"), miss);
	__free_page(p0);
	__free_pages(p1, 2);
	__free_page(remote);
}

/* Linux compares the zone used with the preferred *zone* (the first zone
 * of the preferred node's zonelist the request may use), not with the
 * preferred node: GFP_DMA from a node without ZONE_DMA prefers node 0's
 * DMA zone, and getting it is a numa_hit (mm/page_alloc.c
 * zone_statistics(ac->preferred_zoneref->zone, zone, 1)). */
static void test_gfp_dma_from_node_without_dma_is_a_numa_hit(void **state)
{
	unsigned long hit, miss, foreign, other;
	struct page *p;

	(void)state;
	boot_two_nodes();
	assert_false(populated_zone(zone_of(1, ZONE_DMA)));
	M->this_cpu = 1;
	hit = vmstat_counter("numa_hit");
	miss = vmstat_counter("numa_miss");
	foreign = vmstat_counter("numa_foreign");
	other = vmstat_counter("numa_other");
	p = alloc_page(GFP_KERNEL | GFP_DMA);
	assert_non_null(p);
	assert_int_equal(page_to_nid(p), 0);
	assert_int_equal(vmstat_counter("numa_other"), other + 1);
	assert_int_equal(vmstat_counter("numa_hit"), hit + 1);
	assert_int_equal(vmstat_counter("numa_miss"), miss);
	assert_int_equal(vmstat_counter("numa_foreign"), foreign);
	__free_page(p);
	M->this_cpu = 0;
}

/* ---- 4. watermarks and GFP_ATOMIC ------------------------------------------ */

/* What __zone_watermark_ok() lets ALLOC_MIN_RESERVE | ALLOC_NON_BLOCK
 * (GFP_ATOMIC) use: min - min/2, then a quarter of that less again. */
static unsigned long atomic_floor(unsigned long min)
{
	unsigned long m = min - min / 2;

	return m - m / 4;
}

/* With the pcp lists off, every page comes from the buddy lists under a
 * watermark check, so the counts are exact. 256M: DMA32 then DMA. */
static void test_atomic_dips_below_min_exactly(void **state)
{
	struct zone *dma, *dma32;
	unsigned long expect = 0;
	size_t got;

	(void)state;
	boot_machine("ram=256M");
	pcp_set_enabled(false);
	dma = zone_of(0, ZONE_DMA);
	dma32 = zone_of(0, ZONE_DMA32);
	fill(&held, GFP_KERNEL | __GFP_NOWARN, 0, -1);
	/* GFP_KERNEL stops at min (+ the lowmem reserve against Normal). */
	assert_int_equal(zone_page_state(dma32, NR_FREE_PAGES),
			 min_wmark_pages(dma32) +
				 dma32->lowmem_reserve[ZONE_NORMAL]);
	assert_int_equal(zone_page_state(dma, NR_FREE_PAGES),
			 min_wmark_pages(dma) +
				 dma->lowmem_reserve[ZONE_NORMAL]);
	/* GFP_NOWAIT does not get below min. */
	assert_null(alloc_page(GFP_NOWAIT));
	assert_null(alloc_page(GFP_KERNEL | __GFP_NOWARN));
	got = fill(&held, GFP_ATOMIC | __GFP_NOWARN, 0, -1);
	expect += min_wmark_pages(dma32) - atomic_floor(min_wmark_pages(dma32));
	expect += min_wmark_pages(dma) - atomic_floor(min_wmark_pages(dma));
	assert_int_equal(got, expect);
	assert_int_equal(zone_page_state(dma32, NR_FREE_PAGES),
			 atomic_floor(min_wmark_pages(dma32)) +
				 dma32->lowmem_reserve[ZONE_NORMAL]);
	assert_int_equal(M->nr_bugs, 0);
	assert_int_equal(check_page_alloc_invariants(), 0);
	blocks_free_all(&held);
	pcp_set_enabled(true);
}

/* With the pcp lists on, a refill takes a whole batch from the buddy
 * lists after one watermark check, so each zone may end up to batch-1
 * pages below the line, and pages refilled before a failed check stay
 * stranded on the pcp list (the check comes before the pcp list is
 * looked at). GFP_ATOMIC first gets the stranded pages, then buddy
 * pages down to its own floor, with the same batch overshoot. So the
 * count is within the sum of the batches of the exact figure. */
static void test_atomic_dips_below_min_within_pcp_slack(void **state)
{
	long expect = 0, slack = 0;
	size_t got;

	(void)state;
	boot_machine("ram=256M");
	fill(&held, GFP_KERNEL | __GFP_NOWARN, 0, -1);
	assert_null(alloc_page(GFP_NOWAIT));
	for (enum zone_type z = ZONE_DMA; z <= ZONE_DMA32; z++) {
		struct zone *zone = zone_of(0, z);
		long floor = (long)atomic_floor(min_wmark_pages(zone)) +
			     zone->lowmem_reserve[ZONE_NORMAL];

		expect += (long)zone_page_state(zone, NR_FREE_PAGES) +
			  zone->per_cpu_pageset[0].count - floor;
		slack += zone->per_cpu_pageset[0].batch;
	}
	got = fill(&held, GFP_ATOMIC | __GFP_NOWARN, 0, -1);
	assert_true((long)got > expect - slack);
	assert_true((long)got <= expect + slack);
	assert_null(alloc_page(GFP_NOWAIT));
	assert_int_equal(check_page_alloc_invariants(), 0);
	blocks_free_all(&held);
}

/* ---- 5. per-CPU page lists ------------------------------------------------- */

/* An order-0 allocation that finds its pcp list empty refills it with
 * one batch from the buddy lists and takes one page of it. Boot's first
 * allocations did just that, all from DMA32 on CPU 0: mem_init's 64 PUD
 * tables of the vmalloc range, then the order-0 slab pages of
 * kmem_cache_init and vmalloc_init, more than one batch and fewer than
 * two: the list was refilled twice. */
static void test_alloc_from_empty_pcp_refills_one_batch(void **state)
{
	struct page *p;
	unsigned long slab, boot;
	int batch;

	(void)state;
	boot_machine("ram=1G");
	batch = zone_of(0, ZONE_DMA32)->per_cpu_pageset[0].batch;
	/* min(managed >> 10, 256) / 4 = 53; * 1.5 = 79, rounded down to a
	 * power of two, less one. */
	assert_int_equal(batch, 63);
	slab = slab_pages();
	assert_true(slab > 0);
	assert_int_equal(vmstat_counter("nr_page_table_pages"), 64);
	boot = 64 + slab;
	assert_true(boot > (unsigned long)batch && boot < 2UL * batch);
	assert_int_equal(vmstat_counter("pgalloc_dma32"), boot);
	assert_int_equal(pcp_count(0, ZONE_DMA32, 0), 2 * batch - (int)boot);
	assert_int_equal(zone_page_state(zone_of(0, ZONE_DMA32), NR_FREE_PAGES),
			 zone_of(0, ZONE_DMA32)->managed_pages -
				 2UL * (unsigned long)batch);
	drain_all_pages(NULL);
	assert_int_equal(pcp_count(0, ZONE_DMA32, 0), 0);
	p = alloc_page(GFP_KERNEL);
	assert_int_equal(zone_idx(page_zone(p)), ZONE_DMA32);
	assert_int_equal(pcp_count(0, ZONE_DMA32, 0), batch - 1);
	assert_int_equal(zoneinfo_pcp_count(0, "DMA32", 0), batch - 1);
	__free_page(p);
	assert_int_equal(pcp_count(0, ZONE_DMA32, 0), batch);
}

static void test_freeing_past_high_returns_a_batch(void **state)
{
	struct per_cpu_pages *pcp;
	int high, batch, count;
	unsigned long buddy;

	(void)state;
	boot_machine("ram=1G");
	pcp = &zone_of(0, ZONE_DMA32)->per_cpu_pageset[0];
	high = pcp->high;
	batch = pcp->batch;
	assert_true(high > batch);
	for (int i = 0; i < high + batch; i++)
		blocks_add(&held, alloc_page(GFP_KERNEL), 0);
	count = pcp->count;
	assert_true(count < batch);
	for (size_t i = 0; i < held.n; i++) {
		buddy = nr_free_pages();
		__free_page(held.page[i]);
		if (count + 1 < high) {
			count++;
			assert_int_equal(pcp->count, count);
			assert_int_equal(nr_free_pages(), buddy);
		} else {
			/* Reaching high sends one batch to the buddy lists. */
			count = count + 1 - batch;
			assert_int_equal(pcp->count, count);
			assert_int_equal(nr_free_pages(),
					 buddy + (unsigned long)batch);
		}
		assert_true(pcp->count < high);
	}
	blocks_forget(&held);
	assert_int_equal(check_page_alloc_invariants(), 0);
}

static void test_drain_all_pages_empties_every_cpu(void **state)
{
	struct page *p0, *p1;
	unsigned long base;

	(void)state;
	boot_machine("ram=1G", "cpus=2");
	/* Boot's slab allocations left pages on CPU 0's list: start from
	 * empty lists, so each CPU's first allocation refills its own. */
	base = free_pages_drained();
	p0 = alloc_page(GFP_KERNEL);
	M->this_cpu = 1;
	p1 = alloc_page(GFP_KERNEL);
	M->this_cpu = 0;
	assert_true(pcp_count(0, ZONE_DMA32, 0) > 0);
	assert_true(pcp_count(0, ZONE_DMA32, 1) > 0);
	assert_true(zoneinfo_pcp_count(0, "DMA32", 1) > 0);
	drain_all_pages(NULL);
	assert_int_equal(pcp_count(0, ZONE_DMA32, 0), 0);
	assert_int_equal(pcp_count(0, ZONE_DMA32, 1), 0);
	assert_int_equal(zoneinfo_pcp_count(0, "DMA32", 0), 0);
	assert_int_equal(zoneinfo_pcp_count(0, "DMA32", 1), 0);
	assert_int_equal(nr_free_pages(), base - 2);
	assert_int_equal(M->this_cpu, 0);
	__free_page(p0);
	__free_page(p1);
	assert_int_equal(free_pages_drained(), base);
}

static void test_pcp_disabled_allocates_from_buddy(void **state)
{
	unsigned long base;
	struct page *p;

	(void)state;
	boot_machine("ram=1G", "cpus=2");
	p = alloc_page(GFP_KERNEL);
	__free_page(p);
	assert_true(pcp_count(0, ZONE_DMA32, 0) > 0);
	pcp_set_enabled(false); /* drains */
	assert_int_equal(pcp_count(0, ZONE_DMA32, 0), 0);
	base = nr_free_pages();
	p = alloc_page(GFP_KERNEL);
	assert_int_equal(pcp_count(0, ZONE_DMA32, 0), 0);
	assert_int_equal(nr_free_pages(), base - 1);
	__free_page(p);
	assert_int_equal(pcp_count(0, ZONE_DMA32, 0), 0);
	assert_int_equal(nr_free_pages(), base);
	pcp_set_enabled(true);
	p = alloc_page(GFP_KERNEL);
	assert_true(pcp_count(0, ZONE_DMA32, 0) > 0);
	__free_page(p);
	assert_int_equal(check_page_alloc_invariants(), 0);
}

/* ---- 6. migrate types ------------------------------------------------------ */

/* memblock_free_all hands all memory over as Movable page blocks. The
 * only unmovable allocations of boot, mem_init's 64 PUD tables of the
 * vmalloc range and the order-0 slab pages of kmem_cache_init and
 * vmalloc_init (GFP_KERNEL: DMA32 on 256M), found no Unmovable free page;
 * the first one fell back to the Movable lists and, as in Linux's
 * __rmqueue_claim, took the largest free block there: one of order
 * MAX_PAGE_ORDER (10), i.e. 2^(10 - 9) = 2 page blocks. A fallback block
 * of pageblock_order or more is claimed whole (try_to_claim_block:
 * change_pageblock_range), so those 2 blocks became Unmovable, and the
 * rest of boot's pages came from them. */
static void test_fresh_machine_is_movable_but_the_boot_slab_block(void **state)
{
	unsigned long dma[MIGRATE_TYPES], dma32[MIGRATE_TYPES];
	unsigned long claimed, slab_block = ~0UL, nr_slab = 0, nr_table = 0;
	unsigned long pfn, end;
	struct zone *zone;

	(void)state;
	boot_machine("ram=256M");
	claimed = 1UL << (MAX_PAGE_ORDER - pageblock_order());
	pageblock_counts(0, "DMA", dma);
	pageblock_counts(0, "DMA32", dma32);
	assert_int_equal(claimed, 2);
	assert_int_equal(dma[MIGRATE_MOVABLE], 8); /* 16M / 2M */
	assert_int_equal(dma32[MIGRATE_UNMOVABLE], claimed);
	assert_int_equal(dma32[MIGRATE_MOVABLE], 120 - claimed); /* 240M / 2M */
	for (int mt = 0; mt < MIGRATE_TYPES; mt++) {
		if (mt != MIGRATE_MOVABLE)
			assert_int_equal(dma[mt], 0);
		if (mt != MIGRATE_MOVABLE && mt != MIGRATE_UNMOVABLE)
			assert_int_equal(dma32[mt], 0);
	}

	/* Every slab and page-table page lies in one MAX_PAGE_ORDER block
	 * of DMA32 ... */
	zone = zone_of(0, ZONE_DMA32);
	end = zone_end_pfn(zone);
	for (pfn = zone->zone_start_pfn; pfn < end; pfn++) {
		struct page *page = pfn_to_page(pfn);

		if (PageSlab(compound_head(page)))
			nr_slab++;
		else if (PageTable(page))
			nr_table++;
		else
			continue;
		if (slab_block == ~0UL)
			slab_block = pfn >> MAX_PAGE_ORDER;
		assert_int_equal(pfn >> MAX_PAGE_ORDER, slab_block);
	}
	assert_int_equal(nr_slab, slab_pages());
	assert_int_equal(nr_slab, slabinfo_pages());
	assert_int_equal(nr_table, 64);
	/* ... and its page blocks are exactly the Unmovable ones. */
	for (pfn = zone->zone_start_pfn; pfn < end; pfn += pageblock_nr_pages())
		assert_int_equal(get_pfnblock_migratetype(pfn_to_page(pfn),
							  pfn),
				 pfn >> MAX_PAGE_ORDER == slab_block ?
					 MIGRATE_UNMOVABLE :
					 MIGRATE_MOVABLE);
}

static void test_unmovable_allocations_claim_page_blocks(void **state)
{
	unsigned long before[MIGRATE_TYPES], after[MIGRATE_TYPES];

	(void)state;
	boot_machine("ram=256M");
	pageblock_counts(0, "DMA32", before);
	/* Boot's slab pages already claimed one MAX_PAGE_ORDER block (see
	 * test_fresh_machine_is_movable_but_the_boot_slab_block). */
	assert_int_equal(before[MIGRATE_UNMOVABLE], 2);
	for (int i = 0; i < 3000; i++)
		blocks_add(&held, alloc_page(GFP_KERNEL), 0);
	pageblock_counts(0, "DMA32", after);
	/* 3000 pages (with boot's slab pages) need at least 6 blocks of
	 * 512: more were claimed, all from Movable. */
	assert_true(after[MIGRATE_UNMOVABLE] >= 6);
	assert_int_equal(after[MIGRATE_UNMOVABLE] + after[MIGRATE_MOVABLE],
			 before[MIGRATE_UNMOVABLE] + before[MIGRATE_MOVABLE]);
	for (size_t i = 0; i < held.n; i++)
		assert_int_equal(
			get_pfnblock_migratetype(held.page[i],
						 page_to_pfn(held.page[i])),
			MIGRATE_UNMOVABLE);
	assert_int_equal(check_page_alloc_invariants(), 0);
	blocks_free_all(&held);
	assert_int_equal(check_page_alloc_invariants(), 0);
}

static void test_freeing_everything_restores_boot_buddyinfo(void **state)
{
	static const gfp_t gfps[] = {
		GFP_KERNEL,
		GFP_HIGHUSER_MOVABLE,
		GFP_KERNEL | __GFP_RECLAIMABLE,
		GFP_ATOMIC,
		GFP_KERNEL | GFP_DMA,
	};
	unsigned long free0;
	char *boot_text, *text;

	(void)state;
	boot_machine("ram=256M");
	/* The baseline: boot's state with the per-CPU lists drained (boot's
	 * slab pages stay allocated throughout). */
	drain_all_pages(NULL);
	boot_text = proc_text("/proc/buddyinfo");
	free0 = nr_free_pages();
	for (int i = 0; i < 4000; i++) {
		unsigned order = (unsigned)(i % 50 == 0 ? i % 11 : i % 3);
		struct page *p = alloc_pages(gfps[i % 5] | __GFP_NOWARN, order);

		if (p)
			blocks_add(&held, p, order);
	}
	assert_true(held.n > 3000);
	assert_int_equal(check_page_alloc_invariants(), 0);
	/* Free in an order unlike the allocation order. */
	for (size_t i = 0; i < held.n; i += 2)
		__free_pages(held.page[i], held.order[i]);
	for (size_t i = 1; i < held.n; i += 2)
		__free_pages(held.page[i], held.order[i]);
	blocks_forget(&held);
	drain_all_pages(NULL);
	assert_int_equal(nr_free_pages(), free0);
	text = proc_text("/proc/buddyinfo");
	assert_string_equal(text, boot_text);
	assert_int_equal(check_page_alloc_invariants(), 0);
	free(text);
	free(boot_text);
}

/* ---- 7. misuse reports ------------------------------------------------------ */

static void test_double_free_is_reported_and_refused(void **state)
{
	unsigned long base;
	struct page *p;

	(void)state;
	boot_machine("ram=256M");
	base = free_pages_drained();
	p = alloc_page(GFP_KERNEL);
	__free_page(p);
	__free_page(p);
	assert_int_equal(M->nr_bugs, 1);
	assert_true(log_contains(
		"page dumped because: VM_BUG_ON_PAGE(page_ref_count(page) == 0)\n"));
	assert_true(log_contains("kernel BUG at mm/page_alloc.c:"));
	assert_int_equal(check_page_alloc_invariants(), 0);
	/* The page was freed once, not twice. */
	assert_free_pages_consistent(base);
}

static void test_double_free_of_merged_block_is_refused(void **state)
{
	unsigned long base;
	struct page *p;

	(void)state;
	boot_machine("ram=256M");
	base = free_pages_drained();
	p = alloc_pages(GFP_KERNEL, 5); /* not a pcp order: straight to buddy */
	__free_pages(p, 5);
	__free_pages(p, 5);
	assert_int_equal(M->nr_bugs, 1);
	assert_free_pages_consistent(base);
}

static void test_wrong_order_free_is_reported_and_refused(void **state)
{
	unsigned long base;
	struct page *p;

	(void)state;
	boot_machine("ram=256M");
	base = free_pages_drained();
	p = alloc_pages(GFP_KERNEL, 0);
	__free_pages(p, 1);
	assert_int_equal(M->nr_bugs, 1);
	assert_true(
		log_contains("BUG: Bad page state in process swapper/0  pfn:"));
	assert_true(log_contains(
		"page dumped because: freed with order 1, allocated with order 0\n"));
	/* The page is not freed (and its buddy is not taken with it). */
	assert_free_pages_consistent(base - 1);
}

static void test_freeing_a_mapped_page_is_reported(void **state)
{
	unsigned long base;
	struct page *p;

	(void)state;
	boot_machine("ram=256M");
	base = free_pages_drained();
	p = alloc_page(GFP_KERNEL);
	p->_mapcount = 0; /* mapped once */
	__free_page(p);
	assert_int_equal(M->nr_bugs, 1);
	assert_true(
		log_contains("BUG: Bad page state in process swapper/0  pfn:"));
	assert_true(log_contains("mapcount:1"));
	assert_true(log_contains("page dumped because: nonzero mapcount\n"));
	assert_free_pages_consistent(base - 1);
}

static void test_sleeping_alloc_in_atomic_context_is_reported(void **state)
{
	struct page *p;

	(void)state;
	boot_machine("ram=256M");
	preempt_disable();
	p = alloc_page(GFP_KERNEL);
	preempt_enable();
	assert_non_null(p); /* as in Linux, the allocation goes ahead */
	assert_int_equal(preempt_count(), 0);
	/* Linux names the might_alloc() site: "at include/linux/sched/mm.h:N";
	 * only the common part is pinned here. */
	assert_true(log_contains(
		"BUG: sleeping function called from invalid context at "));
	assert_true(log_contains(
		"in_atomic(): 1, irqs_disabled(): 0, non_block: 0, pid: 0, name: swapper/0\n"));
	assert_true(log_contains("preempt_count: 1, expected: 0\n"));
	__free_page(p);
}

static void test_atomic_alloc_in_atomic_context_is_fine(void **state)
{
	size_t mark;
	struct page *p;

	(void)state;
	boot_machine("ram=256M");
	mark = log_mark();
	preempt_disable();
	p = alloc_page(GFP_ATOMIC);
	preempt_enable();
	assert_non_null(p);
	assert_int_equal(log_mark(), mark);
	__free_page(p);
}

static void test_free_pages_outside_ram_is_reported(void **state)
{
	unsigned long base;

	(void)state;
	boot_machine("ram=256M");
	base = free_pages_drained();
	free_pages(0x1000, 0);
	free_pages((unsigned long)M->ram + M->ram_bytes + PAGE_SIZE, 0);
	assert_int_equal(M->nr_bugs, 2);
	assert_true(log_contains("kernel BUG at mm/page_alloc.c:"));
	assert_free_pages_consistent(base);
}

static void test_freeing_a_reserved_page_is_reported(void **state)
{
	unsigned long base;
	struct page *kernel_page;

	(void)state;
	boot_machine("ram=256M");
	base = free_pages_drained();
	kernel_page = pfn_to_page(PFN_DOWN(M->image.start)); /* kernel text */
	assert_true(PageReserved(kernel_page));
	__free_page(kernel_page);
	assert_int_equal(M->nr_bugs, 1);
	assert_true(log_contains(
		"page dumped because: PAGE_FLAGS_CHECK_AT_FREE flag(s) set\n"));
	assert_free_pages_consistent(base);
}

static void test_conflicting_zone_modifiers_warn(void **state)
{
	struct page *p;

	(void)state;
	boot_machine("ram=256M");
	p = alloc_page(GFP_KERNEL | GFP_DMA | GFP_DMA32);
	assert_int_equal(M->nr_warns, 1);
	assert_true(log_contains("WARNING: CPU: 0 PID: 0 at mm/page_alloc.c:"));
	assert_int_equal(M->nr_bugs, 0);
	if (p)
		__free_page(p);
	assert_int_equal(check_page_alloc_invariants(), 0);
}

/* __GFP_NOFAIL without __GFP_DIRECT_RECLAIM is a misuse Linux warns about
 * once and then treats as an ordinary request: when memory is gone it
 * fails ("we disregard these unreasonable nofail requests and still
 * return NULL", mm/page_alloc.c __alloc_pages_slowpath). It must not be
 * given the reserves below min that only GFP_ATOMIC may use. The request
 * here is GFP_KERNEL without direct reclaim, so nothing silences the
 * WARNING or the failure report. */
#define GFP_NOFAIL_NOBLOCK ((GFP_KERNEL & ~__GFP_DIRECT_RECLAIM) | __GFP_NOFAIL)

static void test_nonblocking_nofail_gets_no_reserves(void **state)
{
	(void)state;
	boot_machine("ram=256M");
	fill(&held, GFP_KERNEL | __GFP_NOWARN, 0, -1);
	assert_null(alloc_page(GFP_NOWAIT));
	assert_null(alloc_page(GFP_NOFAIL_NOBLOCK));
	assert_true(log_contains("page allocation failure: order:0, "
				 "mode:0x88c0(__GFP_IO|__GFP_FS|"
				 "__GFP_KSWAPD_RECLAIM|__GFP_NOFAIL)"));
	assert_int_equal(M->nr_warns, 1);
	assert_true(log_contains("WARNING: CPU: 0 PID: 0 at mm/page_alloc.c:"));
	blocks_free_all(&held);
}

/* ---- 8. reboot and several machines ---------------------------------------- */

static void test_reboot_gives_the_same_machine(void **state)
{
	char *buddy1, *buddy2, *log1;

	(void)state;
	boot_machine("ram=512M", "cpus=2");
	buddy1 = proc_text("/proc/buddyinfo");
	log1 = strdup(log_text());
	fill(&held, GFP_KERNEL | __GFP_NOWARN, 4, -1);
	blocks_forget(&held); /* destroyed with the machine, never freed */
	machine_destroy(M);
	assert_null(M);

	boot_machine("ram=512M", "cpus=2");
	buddy2 = proc_text("/proc/buddyinfo");
	assert_string_equal(buddy2, buddy1);
	assert_string_equal(log_text(), log1);
	free(buddy1);
	free(buddy2);
	free(log1);
}

/* Linux's WARN_ON_ONCE fires once per boot: every machine must report
 * the misuse once, whatever an earlier machine in the same host process
 * (here: earlier tests) did, or the same input gives different logs. */
static void test_warn_once_warns_once_per_boot(void **state)
{
	(void)state;
	for (int boot = 0; boot < 2; boot++) {
		boot_machine("ram=256M");
		fill(&held, GFP_KERNEL | __GFP_NOWARN, 0, -1);
		/* A __GFP_NOFAIL request that cannot reclaim: WARN_ON_ONCE. */
		(void)alloc_page(GFP_NOFAIL_NOBLOCK);
		(void)alloc_page(GFP_NOFAIL_NOBLOCK);
		if (M->nr_warns != 1)
			fail_msg("boot %d: %u WARNINGs, expected 1", boot,
				 M->nr_warns);
		blocks_forget(&held);
		machine_destroy(M);
	}
}

static void test_two_machines_keep_independent_state(void **state)
{
	struct machine *a, *b;
	unsigned long a_free, b_free;
	char *a_buddy;
	struct page *p;

	(void)state;
	a = boot_machine("ram=256M");
	a_free = free_pages_drained();
	a_buddy = proc_text("/proc/buddyinfo");
	b = boot_machine("ram=512M", "cpus=2");
	assert_ptr_equal(M, b);
	b_free = free_pages_drained();
	assert_true(b_free > a_free);

	machine_set_current(a);
	p = alloc_pages(GFP_KERNEL, 3);
	assert_non_null(p);
	assert_int_equal(free_pages_drained(), a_free - 8);
	assert_true((char *)page_address(p) >= a->ram &&
		    (char *)page_address(p) < a->ram + a->ram_bytes);

	machine_set_current(b);
	assert_int_equal(free_pages_drained(), b_free);
	assert_int_equal(b->nr_bugs + b->nr_warns, 0);
	__free_page(alloc_page(GFP_KERNEL));
	assert_int_equal(free_pages_drained(), b_free);

	machine_set_current(a);
	__free_pages(p, 3);
	drain_all_pages(NULL);
	char *text = proc_text("/proc/buddyinfo");
	assert_string_equal(text, a_buddy);
	free(text);
	free(a_buddy);
	assert_int_equal(check_page_alloc_invariants(), 0);
	machine_destroy(a);
	assert_null(M);
	machine_destroy(b);
}

#define T(f) cmocka_unit_test_teardown(f, teardown_machine)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_alloc_page_has_one_reference_in_expected_zone),
		T(test_gfp_zero_clears_a_dirtied_page),
		T(test_get_zeroed_page_clears_a_dirtied_page),
		T(test_gfp_zero_clears_every_page_of_a_high_order_block),
		T(test_get_free_pages_returns_page_address),
		T(test_free_pages_of_zero_is_a_noop),
		T(test_page_is_freed_at_its_last_reference),
		T(test_compound_page_refcount_lives_in_head),
		T(test_free_pages_with_extra_reference_keeps_first_page),
		T(test_every_order_is_naturally_aligned),
		T(test_order_above_max_fails_with_warning),
		T(test_order_above_max_with_nowarn_is_silent),
		T(test_vmstat_counts_pages_allocated_and_freed),
		T(test_gfp_dma_comes_from_zone_dma),
		T(test_gfp_dma32_comes_from_zone_dma32_above_4g),
		T(test_riscv64_gfp_dma_and_dma32),
		T(test_gfp_kernel_prefers_zone_normal),
		T(test_i386_highuser_comes_from_highmem),
		T(test_i386_get_free_pages_never_returns_highmem),
		T(test_i386_gfp_kernel_never_returns_highmem),
		T(test_highuser_movable_falls_back_to_normal),
		T(test_dma_exhaustion_reports_allocation_failure),
		T(test_show_mem_block),
		T(test_lowmem_reserve_keeps_gfp_kernel_out_of_dma),
		T(test_alloc_pages_node_returns_pages_of_that_node),
		T(test_thisnode_fails_instead_of_falling_back),
		T(test_fallback_to_other_node_counts_numa_miss),
		T(test_local_allocations_count_numa_hit_and_local),
		T(test_gfp_dma_from_node_without_dma_is_a_numa_hit),
		T(test_atomic_dips_below_min_exactly),
		T(test_atomic_dips_below_min_within_pcp_slack),
		T(test_alloc_from_empty_pcp_refills_one_batch),
		T(test_freeing_past_high_returns_a_batch),
		T(test_drain_all_pages_empties_every_cpu),
		T(test_pcp_disabled_allocates_from_buddy),
		T(test_fresh_machine_is_movable_but_the_boot_slab_block),
		T(test_unmovable_allocations_claim_page_blocks),
		T(test_freeing_everything_restores_boot_buddyinfo),
		T(test_double_free_is_reported_and_refused),
		T(test_double_free_of_merged_block_is_refused),
		T(test_wrong_order_free_is_reported_and_refused),
		T(test_freeing_a_mapped_page_is_reported),
		T(test_sleeping_alloc_in_atomic_context_is_reported),
		T(test_atomic_alloc_in_atomic_context_is_fine),
		T(test_free_pages_outside_ram_is_reported),
		T(test_freeing_a_reserved_page_is_reported),
		T(test_conflicting_zone_modifiers_warn),
		T(test_nonblocking_nofail_gets_no_reserves),
		T(test_reboot_gives_the_same_machine),
		T(test_warn_once_warns_once_per_boot),
		T(test_two_machines_keep_independent_state),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
