/* Conversions between page frame numbers, struct pages, physical and
 * kernel addresses (include/linux/mm.h, asm/page.h), and page references.
 * A host pointer into simulated RAM plays the kernel direct-map address. */
#ifndef MMSIM_MM_MM_H
#define MMSIM_MM_MM_H

#include "kernel/machine.h"
#include "mm/mm_types.h"
#include "mm/mmzone.h"

static inline int page_to_nid(const struct page *page)
{
	return (int)((page->flags >> NODES_PGSHIFT) & NODES_MASK);
}

static inline enum zone_type page_zonenum(const struct page *page)
{
	return (enum zone_type)((page->flags >> ZONES_PGSHIFT) & ZONES_MASK);
}

static inline void set_page_links(struct page *page, enum zone_type zone,
				  int nid)
{
	page->flags &= ~((ZONES_MASK << ZONES_PGSHIFT) |
			 (NODES_MASK << NODES_PGSHIFT));
	page->flags |= ((unsigned long)zone << ZONES_PGSHIFT) |
		       ((unsigned long)nid << NODES_PGSHIFT);
}

static inline struct zone *page_zone(const struct page *page)
{
	return &NODE_DATA(page_to_nid(page))->node_zones[page_zonenum(page)];
}

static inline pg_data_t *page_pgdat(const struct page *page)
{
	return NODE_DATA(page_to_nid(page));
}

static inline unsigned long page_to_pfn(const struct page *page)
{
	const pg_data_t *pgdat = NODE_DATA(page_to_nid(page));

	return (unsigned long)(page - pgdat->node_mem_map) +
	       pgdat->node_start_pfn;
}

/* Node holding pfn, or -1 when no node spans it. Inline, without a
 * call, so the free paths of the allocators stay leaf code. */
static inline int pfn_to_nid(unsigned long pfn)
{
	for (int nid = 0; nid < M->nr_nodes; nid++) {
		const pg_data_t *p = M->node_data[nid];

		if (likely(p &&
			   pfn - p->node_start_pfn < p->node_spanned_pages))
			return nid;
	}
	return -1;
}

static inline bool pfn_valid(unsigned long pfn)
{
	return pfn < M->max_pfn && pfn_to_nid(pfn) >= 0;
}

/* pfn must be valid (pfn_valid). */
static inline struct page *pfn_to_page(unsigned long pfn)
{
	const pg_data_t *pgdat = NODE_DATA(pfn_to_nid(pfn));

	return pgdat->node_mem_map + (pfn - pgdat->node_start_pfn);
}

static inline bool PageHighMem(const struct page *page)
{
	return page_zonenum(page) == ZONE_HIGHMEM;
}

/* Kernel address of a page: NULL for HighMem pages, which have no
 * permanent kernel mapping (use kmap_local_page). */
static inline void *page_address(const struct page *page)
{
	if (PageHighMem(page))
		return NULL;
	return M->ram + PFN_PHYS(page_to_pfn(page));
}

/* Maps any page, HighMem included, for a short kernel access. */
static inline void *kmap_local_page(const struct page *page)
{
	return M->ram + PFN_PHYS(page_to_pfn(page));
}

static inline void kunmap_local(const void *addr)
{
	(void)addr;
}

static inline uint64_t __pa(const void *addr)
{
	return (uint64_t)((const char *)addr - M->ram);
}

static inline void *__va(uint64_t phys)
{
	return M->ram + phys;
}

static inline bool virt_addr_valid(const void *addr)
{
	const char *p = addr;

	return p >= M->ram && p < M->ram + PFN_PHYS(M->max_low_pfn) &&
	       pfn_valid(PFN_DOWN(__pa(addr)));
}

/* addr must be a valid kernel address (virt_addr_valid). */
static inline struct page *virt_to_page(const void *addr)
{
	return pfn_to_page(PFN_DOWN(__pa(addr)));
}

/* virt_addr_valid(addr) ? virt_to_page(addr) : NULL with one node
 * lookup, for free paths that must survive any pointer. */
static inline struct page *virt_to_page_or_null(const void *addr)
{
	unsigned long pfn =
		PFN_DOWN((uintptr_t)addr - (uintptr_t)M->ram); /* wraps below */

	if (unlikely(pfn >= M->max_low_pfn))
		return NULL;
	for (int nid = 0; nid < M->nr_nodes; nid++) {
		const pg_data_t *p = M->node_data[nid];
		unsigned long idx = pfn - (p ? p->node_start_pfn : 0);

		if (likely(p && idx < p->node_spanned_pages))
			return p->node_mem_map + idx;
	}
	return NULL;
}

void get_page(struct page *page);
void put_page(struct page *page);

/* Prints Linux's dump_page() text: "page:... refcount:... pfn:..." */
void dump_page(const struct page *page, const char *reason);

#endif
