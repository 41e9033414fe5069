/* /proc/kpagecount and /proc/kpageflags (fs/proc/page.c): one
 * little-endian 64-bit entry per page frame, from PFN 0 to the end of
 * the memory section holding the last one (FLATMEM i386: the last one):
 * the page's mapcount, or its flags in the stable KPF_* encoding of
 * include/uapi/linux/kernel-page-flags.h. Binary: read at an offset and
 * a count that are multiples of 8, as Linux's kpage readers are. */
#include <errno.h>

#include "fs/proc/internal.h"
#include "kernel/machine.h"
#include "mm/internal.h"
#include "mm/mm.h"
#include "mm/slab.h"
#include "mm/swap.h"

#define KPMSIZE 8

/* include/uapi/linux/kernel-page-flags.h, and the kernel-hacking bits
 * of include/linux/kernel-page-flags.h (32 and up). */
enum {
	KPF_LOCKED = 0,
	KPF_REFERENCED = 2,
	KPF_UPTODATE = 3,
	KPF_DIRTY = 4,
	KPF_LRU = 5,
	KPF_ACTIVE = 6,
	KPF_SLAB = 7,
	KPF_WRITEBACK = 8,
	KPF_RECLAIM = 9,
	KPF_BUDDY = 10,
	KPF_MMAP = 11,
	KPF_ANON = 12,
	KPF_SWAPCACHE = 13,
	KPF_SWAPBACKED = 14,
	KPF_COMPOUND_HEAD = 15,
	KPF_COMPOUND_TAIL = 16,
	KPF_UNEVICTABLE = 18,
	KPF_NOPAGE = 20,
	KPF_ZERO_PAGE = 24,
	KPF_PGTABLE = 26,
	KPF_RESERVED = 32,
	KPF_MLOCKED = 33,
	KPF_OWNER_2 = 34,
	KPF_PRIVATE = 35,
	KPF_PRIVATE_2 = 36,
	KPF_OWNER_PRIVATE = 37,
	KPF_ARCH = 38,
};

/* Page flags shown as they are: (KPF bit, PG bit). */
static const unsigned char kpf_copied[][2] = {
	{ KPF_LOCKED, PG_locked },
	{ KPF_DIRTY, PG_dirty },
	{ KPF_UPTODATE, PG_uptodate },
	{ KPF_WRITEBACK, PG_writeback },
	{ KPF_LRU, PG_lru },
	{ KPF_REFERENCED, PG_referenced },
	{ KPF_ACTIVE, PG_active },
	{ KPF_RECLAIM, PG_reclaim },
	{ KPF_SWAPBACKED, PG_swapbacked },
	{ KPF_UNEVICTABLE, PG_unevictable },
	{ KPF_MLOCKED, PG_mlocked },
	{ KPF_RESERVED, PG_reserved },
	{ KPF_OWNER_2, PG_owner_2 },
	{ KPF_PRIVATE, PG_private },
	{ KPF_PRIVATE_2, PG_private_2 },
	{ KPF_OWNER_PRIVATE, PG_owner_priv_1 },
	{ KPF_ARCH, PG_arch_1 },
};

/* i386 is FLATMEM (one mem_map from PFN 0); x86_64 and riscv64 are
 * SPARSEMEM, whose memmap covers each memory section holding RAM. */
static bool flatmem(void)
{
	return M->arch->x86 && M->arch->bits == 32;
}

/* get_max_dump_pfn(): past the last frame, to its section's end. */
static unsigned long max_dump_pfn(void)
{
	return flatmem() ? M->max_pfn : ALIGN(M->max_pfn, PAGES_PER_SECTION);
}

/* Whether Linux has a struct page for a frame mmsim keeps none for: a
 * hole in a section with RAM (or below max_pfn on FLATMEM), which
 * memmap_init leaves reserved ("pages in unavailable ranges"). */
static bool unavailable_page(unsigned long pfn)
{
	unsigned long start = ALIGN_DOWN(pfn, PAGES_PER_SECTION);

	if (flatmem())
		return pfn < M->max_pfn;
	for (int nid = 0; nid < M->nr_nodes; nid++) {
		const pg_data_t *p = NODE_DATA(nid);

		if (p && p->node_start_pfn < start + PAGES_PER_SECTION &&
		    start < p->node_start_pfn + p->node_spanned_pages)
			return true;
	}
	return false;
}

/* stable_page_flags(): a page's flags, its folio's for what a folio
 * has (mapped, anon, slab, the flag word); NULL is a hole. */
static uint64_t stable_page_flags(const struct page *page, unsigned long pfn)
{
	const struct page *folio;
	uint64_t u = 0;

	if (!page)
		return unavailable_page(pfn) ? 1ULL << KPF_RESERVED :
					       1ULL << KPF_NOPAGE;
	folio = compound_head(page);
	if (page_mapped(folio))
		u |= 1ULL << KPF_MMAP;
	if (PageAnon(folio))
		u |= 1ULL << KPF_ANON;
	if (page != folio)
		u |= 1ULL << KPF_COMPOUND_TAIL;
	else if (PageHead(page))
		u |= 1ULL << KPF_COMPOUND_HEAD;
	if (is_zero_pfn(pfn))
		u |= 1ULL << KPF_ZERO_PAGE;
	/* Only a free block's first page is PageBuddy; the rest of it is
	 * found by its order. */
	if (PageBuddy(page) ||
	    (!page_ref_count(page) && is_free_buddy_page(page)))
		u |= 1ULL << KPF_BUDDY;
	if (PageTable(page))
		u |= 1ULL << KPF_PGTABLE;
	if (PageSlab(folio))
		u |= 1ULL << KPF_SLAB;
	for (size_t i = 0; i < ARRAY_SIZE(kpf_copied); i++)
		u |= (uint64_t)test_bit_flag(folio, kpf_copied[i][1])
		     << kpf_copied[i][0];
	if (PageSwapCache(folio))
		u |= 1ULL << KPF_SWAPCACHE;
	return u;
}

/* folio_precise_page_mapcount(): the PTEs mapping this page (0 for a
 * typed page: buddy, slab, page table...). */
static uint64_t kpage_count(const struct page *page, unsigned long pfn)
{
	(void)pfn;
	return page ? (uint64_t)page_mapcount(page) : 0;
}

/* kpage_read(): the entries of the frames from byte off, as info
 * describes each (page NULL for a frame without one). */
static long kpage_read(void *buf, size_t count, unsigned long long off,
		       uint64_t (*info)(const struct page *, unsigned long))
{
	unsigned long end = max_dump_pfn();
	unsigned long long pfn = off / KPMSIZE;
	unsigned char *out = buf;
	size_t n;

	if (off % KPMSIZE || count % KPMSIZE)
		return -EINVAL;
	if (pfn >= end)
		return 0;
	n = (size_t)min((unsigned long long)(count / KPMSIZE), end - pfn);
	for (size_t i = 0; i < n; i++, pfn++) {
		const struct page *page =
			pfn_valid((unsigned long)pfn) ?
				pfn_to_page((unsigned long)pfn) :
				NULL;

		proc_put_le64(out + i * KPMSIZE,
			      info(page, (unsigned long)pfn));
	}
	return (long)(n * KPMSIZE);
}

long kpagecount_read(void *buf, size_t count, unsigned long long off)
{
	return kpage_read(buf, count, off, kpage_count);
}

long kpageflags_read(void *buf, size_t count, unsigned long long off)
{
	return kpage_read(buf, count, off, stable_page_flags);
}
