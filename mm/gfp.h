/* GFP flags and the page allocator API (include/linux/gfp_types.h, gfp.h),
 * with Linux 6.x bit values so "mode:0x..." reports match Linux's. */
#ifndef MMSIM_MM_GFP_H
#define MMSIM_MM_GFP_H

#include "base/seq_file.h"
#include "mm/mm.h"

typedef unsigned int gfp_t;

#define __GFP_DMA 0x01u
#define __GFP_HIGHMEM 0x02u
#define __GFP_DMA32 0x04u
#define __GFP_MOVABLE 0x08u
#define __GFP_RECLAIMABLE 0x10u
#define __GFP_HIGH 0x20u
#define __GFP_IO 0x40u
#define __GFP_FS 0x80u
#define __GFP_ZERO 0x100u
#define __GFP_DIRECT_RECLAIM 0x400u
#define __GFP_KSWAPD_RECLAIM 0x800u
#define __GFP_WRITE 0x1000u
#define __GFP_NOWARN 0x2000u
#define __GFP_RETRY_MAYFAIL 0x4000u
#define __GFP_NOFAIL 0x8000u
#define __GFP_NORETRY 0x10000u
#define __GFP_MEMALLOC 0x20000u
#define __GFP_COMP 0x40000u
#define __GFP_NOMEMALLOC 0x80000u
#define __GFP_HARDWALL 0x100000u
#define __GFP_THISNODE 0x200000u
#define __GFP_ACCOUNT 0x400000u
#define __GFP_ZEROTAGS 0x800000u
#define __GFP_BITS_MASK 0x3ffffffu

#define GFP_ZONEMASK (__GFP_DMA | __GFP_HIGHMEM | __GFP_DMA32 | __GFP_MOVABLE)
#define GFP_MOVABLE_MASK (__GFP_RECLAIMABLE | __GFP_MOVABLE)
#define __GFP_RECLAIM (__GFP_DIRECT_RECLAIM | __GFP_KSWAPD_RECLAIM)

#define GFP_ATOMIC (__GFP_HIGH | __GFP_KSWAPD_RECLAIM)
#define GFP_KERNEL (__GFP_RECLAIM | __GFP_IO | __GFP_FS)
#define GFP_KERNEL_ACCOUNT (GFP_KERNEL | __GFP_ACCOUNT)
#define GFP_NOWAIT (__GFP_KSWAPD_RECLAIM | __GFP_NOWARN)
#define GFP_NOIO (__GFP_RECLAIM)
#define GFP_NOFS (__GFP_RECLAIM | __GFP_IO)
#define GFP_USER (__GFP_RECLAIM | __GFP_IO | __GFP_FS | __GFP_HARDWALL)
#define GFP_DMA __GFP_DMA
#define GFP_DMA32 __GFP_DMA32
#define GFP_HIGHUSER (GFP_USER | __GFP_HIGHMEM)
#define GFP_HIGHUSER_MOVABLE (GFP_HIGHUSER | __GFP_MOVABLE)
#define GFP_TRANSHUGE_LIGHT                                              \
	((GFP_HIGHUSER_MOVABLE | __GFP_COMP | __GFP_NOMEMALLOC |         \
	  __GFP_NOWARN) & ~__GFP_RECLAIM)
#define GFP_TRANSHUGE (GFP_TRANSHUGE_LIGHT | __GFP_DIRECT_RECLAIM)

static inline bool gfpflags_allow_blocking(gfp_t gfp)
{
	return gfp & __GFP_DIRECT_RECLAIM;
}

/* The highest zone an allocation may use (Linux's GFP_ZONE_TABLE). */
enum zone_type __gfp_zone(gfp_t gfp);

static inline enum zone_type gfp_zone(gfp_t gfp)
{
	if (likely(!(gfp & (__GFP_DMA | __GFP_DMA32 | __GFP_HIGHMEM))))
		return ZONE_NORMAL;
	return __gfp_zone(gfp);
}

static inline int gfp_migratetype(gfp_t gfp)
{
	if (gfp & __GFP_MOVABLE)
		return MIGRATE_MOVABLE;
	if (gfp & __GFP_RECLAIMABLE)
		return MIGRATE_RECLAIMABLE;
	return MIGRATE_UNMOVABLE;
}

/* Appends Linux's %pGg text, e.g. "GFP_KERNEL|__GFP_ZERO" ("none" for 0). */
void format_gfp_flags(struct seq_file *m, gfp_t gfp);

/* The page allocator (mm/page_alloc.c). NULL on failure. */
struct page *__alloc_pages(gfp_t gfp, unsigned order, int preferred_nid);
struct page *alloc_pages_node(int nid, gfp_t gfp, unsigned order);
struct page *alloc_pages(gfp_t gfp, unsigned order);
#define alloc_page(gfp) alloc_pages(gfp, 0)
unsigned long __get_free_pages(gfp_t gfp, unsigned order);
#define __get_free_page(gfp) __get_free_pages(gfp, 0)
unsigned long get_zeroed_page(gfp_t gfp);
void __free_pages(struct page *page, unsigned order);
#define __free_page(page) __free_pages(page, 0)
void free_pages(unsigned long addr, unsigned order);
#define free_page(addr) free_pages(addr, 0)

/* Returns every page on this CPU's (or every CPU's) pcp lists to the
 * buddy lists. */
void drain_local_pages(struct zone *zone);
void drain_all_pages(struct zone *zone);

/* Total free pages (buddy lists only, as NR_FREE_PAGES counts them). */
unsigned long nr_free_pages(void);

#endif
