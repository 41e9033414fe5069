/* Page-allocator internals shared by mm/ files (mm/internal.h): allocation
 * flags, page-block migrate types, and the boot and sysctl entry points. */
#ifndef MMSIM_MM_INTERNAL_H
#define MMSIM_MM_INTERNAL_H

#include "mm/gfp.h"

/* alloc_flags (mm/internal.h). ALLOC_MIN_RESERVE equals __GFP_HIGH and
 * ALLOC_KSWAPD equals __GFP_KSWAPD_RECLAIM, as in Linux. */
#define ALLOC_WMARK_MIN WMARK_MIN
#define ALLOC_WMARK_LOW WMARK_LOW
#define ALLOC_WMARK_HIGH WMARK_HIGH
#define ALLOC_NO_WATERMARKS 0x04
#define ALLOC_WMARK_MASK (ALLOC_NO_WATERMARKS - 1)
#define ALLOC_OOM 0x08
#define ALLOC_NON_BLOCK 0x10
#define ALLOC_MIN_RESERVE 0x20
#define ALLOC_CPUSET 0x40
#define ALLOC_HIGHATOMIC 0x200
#define ALLOC_KSWAPD 0x800
#define ALLOC_RESERVES \
	(ALLOC_NON_BLOCK | ALLOC_MIN_RESERVE | ALLOC_HIGHATOMIC | ALLOC_OOM)

#define SWAP_CLUSTER_MAX 32UL
#define MAX_RECLAIM_RETRIES 16

/* Frees what every shrinker can, node by node, until a pass frees
 * (nearly) nothing (drop_slab, for vm.drop_caches). */
void drop_slab(void);
/* vm.drop_caches was written (fs/drop_caches.c). */
void drop_caches_sysctl_handler(void);

/* kswapd gave the node up (pgdat->kswapd_failures): Linux's
 * "all_unreclaimable"/"node_unreclaimable". */
static inline bool pgdat_hopeless(const pg_data_t *pgdat)
{
	return pgdat->kswapd_failures >= MAX_RECLAIM_RETRIES;
}
#define MIN_PERCPU_PAGELIST_HIGH_FRACTION 8

static inline unsigned pageblock_order(void)
{
	return M->arch->pageblock_order;
}

static inline unsigned long pageblock_nr_pages(void)
{
	return 1UL << M->arch->pageblock_order;
}

int get_pfnblock_migratetype(const struct page *page, unsigned long pfn);
void set_pageblock_migratetype(struct page *page, int migratetype);

/* Compound pages (__GFP_COMP): tails point at their head. */
static inline struct page *compound_head(const struct page *page)
{
	unsigned long h = page->_words[0];

	return (struct page *)((h & 1) ? h - 1 : (unsigned long)page);
}

static inline unsigned compound_order(const struct page *page)
{
	return PageHead(page) ? (unsigned)page[1]._words[4] : 0;
}

/* Whether page lies in a free block of the buddy lists (any page of it,
 * not only the first, which alone is PageBuddy). */
bool is_free_buddy_page(const struct page *page);
/* Boot: frees a naturally aligned block that memblock did not reserve. */
void __free_pages_core(struct page *page, unsigned order);
void build_all_zonelists(void);
void setup_per_zone_wmarks(void);
void setup_per_zone_lowmem_reserve(void);
void init_per_zone_wmark_min(void);
void setup_per_cpu_pageset(void);
void zone_pcp_update_all(void);
/* Turns the per-CPU page lists off (draining them) or back on; while off,
 * order-0..3 pages go straight to and from the buddy lists. */
void pcp_set_enabled(bool on);
/* vm.min_free_kbytes default: int_sqrt(lowmem_kbytes * 16) clamped. */
int calculate_min_free_kbytes(void);
/* Pages above the high watermark in the zones up to offset that the local
 * zonelist reaches (Linux's nr_free_zone_pages). */
unsigned long nr_free_zone_pages(enum zone_type offset);
unsigned long nr_free_buffer_pages(void);

/* Linux's warn_alloc(): "COMM: <fmt>, mode:%#x(flags), nodemask=(null),
 * cpuset=/,mems_allowed=N", the CPU line and Mem-Info; nothing with
 * __GFP_NOWARN. */
__printf(2, 3) void warn_alloc(gfp_t gfp, const char *fmt, ...);

/* Linux's __show_mem() (mm/show_mem.c): "Mem-Info:" and what follows
 * in allocation-failure and OOM reports, zones above max_zone_idx (the
 * allocation's gfp_zone()) left out. */
void __show_mem(int max_zone_idx);

/* Walks every free list and pcp list and checks the allocator's
 * invariants (list membership, counts, page-block types, no unmerged
 * buddies). Prints each violation; returns how many were found. */
unsigned long check_page_alloc_invariants(void);

#endif
