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

/* ---- address spaces (include/linux/mm.h) ------------------------------ */

/* vm.max_map_count: USHRT_MAX - MAPCOUNT_ELF_CORE_MARGIN. */
#define DEFAULT_MAX_MAP_COUNT 65530
/* vm.mmap_min_addr: CONFIG_DEFAULT_MMAP_MIN_ADDR of x86 distributions. */
#define DEFAULT_MMAP_MIN_ADDR 65536

#define VM_NONE 0x00000000UL
#define VM_READ 0x00000001UL
#define VM_WRITE 0x00000002UL
#define VM_EXEC 0x00000004UL
#define VM_SHARED 0x00000008UL
#define VM_MAYREAD 0x00000010UL
#define VM_MAYWRITE 0x00000020UL
#define VM_MAYEXEC 0x00000040UL
#define VM_MAYSHARE 0x00000080UL
#define VM_GROWSDOWN 0x00000100UL
#define VM_UFFD_MISSING 0x00000200UL
#define VM_PFNMAP 0x00000400UL
#define VM_UFFD_WP 0x00001000UL
#define VM_LOCKED 0x00002000UL
#define VM_IO 0x00004000UL
#define VM_SEQ_READ 0x00008000UL
#define VM_RAND_READ 0x00010000UL
#define VM_DONTCOPY 0x00020000UL
#define VM_DONTEXPAND 0x00040000UL
#define VM_LOCKONFAULT 0x00080000UL
#define VM_ACCOUNT 0x00100000UL
#define VM_NORESERVE 0x00200000UL
#define VM_HUGETLB 0x00400000UL
#define VM_SYNC 0x00800000UL
#define VM_ARCH_1 0x01000000UL
#define VM_WIPEONFORK 0x02000000UL
#define VM_DONTDUMP 0x04000000UL
#define VM_SOFTDIRTY 0x08000000UL
#define VM_MIXEDMAP 0x10000000UL
#define VM_HUGEPAGE 0x20000000UL
#define VM_NOHUGEPAGE 0x40000000UL
#define VM_MERGEABLE 0x80000000UL

#define VM_STACK VM_GROWSDOWN
#define VM_SPECIAL (VM_IO | VM_DONTEXPAND | VM_PFNMAP | VM_MIXEDMAP)
#define VM_ACCESS_FLAGS (VM_READ | VM_WRITE | VM_EXEC)
#define VM_DATA_DEFAULT_FLAGS \
	(VM_READ | VM_WRITE | VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC)
#define VM_STACK_DEFAULT_FLAGS VM_DATA_DEFAULT_FLAGS
#define VM_STACK_FLAGS (VM_STACK | VM_STACK_DEFAULT_FLAGS | VM_ACCOUNT)
#define VM_LOCKED_MASK (VM_LOCKED | VM_LOCKONFAULT)
/* Flags that never stop two VMAs merging (VM_SOFTDIRTY). */
#define VM_IGNORE_MERGE VM_SOFTDIRTY

/* handle_mm_fault() flags and result (include/linux/mm_types.h). */
#define FAULT_FLAG_WRITE 0x01u
#define FAULT_FLAG_MKWRITE 0x02u
#define FAULT_FLAG_ALLOW_RETRY 0x04u
#define FAULT_FLAG_RETRY_NOWAIT 0x08u
#define FAULT_FLAG_KILLABLE 0x10u
#define FAULT_FLAG_TRIED 0x20u
#define FAULT_FLAG_USER 0x40u
#define FAULT_FLAG_REMOTE 0x80u
#define FAULT_FLAG_INSTRUCTION 0x100u

#define VM_FAULT_OOM 0x000001u
#define VM_FAULT_SIGBUS 0x000002u
#define VM_FAULT_MAJOR 0x000004u
#define VM_FAULT_HWPOISON 0x000010u
#define VM_FAULT_SIGSEGV 0x000040u
#define VM_FAULT_NOPAGE 0x000100u
#define VM_FAULT_LOCKED 0x000200u
#define VM_FAULT_RETRY 0x000400u
#define VM_FAULT_ERROR \
	(VM_FAULT_OOM | VM_FAULT_SIGBUS | VM_FAULT_SIGSEGV | VM_FAULT_HWPOISON)

/* What a fault handler is given (include/linux/mm.h). */
struct vm_fault {
	struct vm_area_struct *vma;
	unsigned long address; /* page aligned */
	unsigned long real_address;
	unsigned flags;        /* FAULT_FLAG_* */
	unsigned long pgoff;   /* of address in the mapping, in pages */
	pmd_t *pmd;
	pte_t *pte;
	pte_t orig_pte;
	struct page *page;     /* ->fault: the page to map */
};

static inline unsigned long vma_pages(const struct vm_area_struct *vma)
{
	return (vma->vm_end - vma->vm_start) >> PAGE_SHIFT;
}

static inline bool vma_is_anonymous(const struct vm_area_struct *vma)
{
	return !vma->vm_ops;
}

/* The stack guard gap (mm/mmap.c stack_guard_gap): 256 pages. */
static inline unsigned long vm_start_gap(const struct vm_area_struct *vma)
{
	unsigned long start = vma->vm_start;

	if (vma->vm_flags & VM_GROWSDOWN) {
		start -= M->stack_guard_gap;
		if (start > vma->vm_start) /* wrapped */
			start = 0;
	}
	return start;
}

static inline unsigned long vm_end_gap(const struct vm_area_struct *vma)
{
	return vma->vm_end;
}

static inline unsigned long get_mm_counter(const struct mm_struct *mm,
					   int member)
{
	long v = mm->rss_stat[member];

	return v < 0 ? 0 : (unsigned long)v;
}

static inline void add_mm_counter(struct mm_struct *mm, int member,
				  long value)
{
	mm->rss_stat[member] += value;
}

static inline void inc_mm_counter(struct mm_struct *mm, int member)
{
	mm->rss_stat[member]++;
}

static inline void dec_mm_counter(struct mm_struct *mm, int member)
{
	mm->rss_stat[member]--;
}

static inline unsigned long get_mm_rss(const struct mm_struct *mm)
{
	return get_mm_counter(mm, MM_FILEPAGES) +
	       get_mm_counter(mm, MM_ANONPAGES) +
	       get_mm_counter(mm, MM_SHMEMPAGES);
}

static inline void update_hiwater_rss(struct mm_struct *mm)
{
	unsigned long rss = get_mm_rss(mm);

	if (mm->hiwater_rss < rss)
		mm->hiwater_rss = rss;
}

static inline void update_hiwater_vm(struct mm_struct *mm)
{
	if (mm->hiwater_vm < mm->total_vm)
		mm->hiwater_vm = mm->total_vm;
}

/* Anonymous pages: page->mapping is the anon_vma with bit 0 set. */
#define PAGE_MAPPING_ANON 0x1UL

static inline bool PageAnon(const struct page *page)
{
	return ((unsigned long)page->mapping & PAGE_MAPPING_ANON) != 0;
}

static inline struct anon_vma *page_anon_vma(const struct page *page)
{
	if (!PageAnon(page))
		return NULL;
	return (struct anon_vma *)((unsigned long)page->mapping &
				   ~PAGE_MAPPING_ANON);
}

/* The RSS counter of a mapped page: shmem pages are the swap-backed
 * ones of the page cache (mm_counter, mm_counter_file). */
static inline int mm_counter(const struct page *page)
{
	if (PageAnon(page))
		return MM_ANONPAGES;
	return test_bit_flag(page, PG_swapbacked) ? MM_SHMEMPAGES
						  : MM_FILEPAGES;
}

static inline bool page_mapped(const struct page *page)
{
	return page_mapcount(page) > 0;
}

/* The shared zero page: the first page of the kernel image's bss. */
static inline struct page *ZERO_PAGE(void)
{
	return M->zero_page;
}

static inline bool is_zero_pfn(unsigned long pfn)
{
	return pfn == page_to_pfn(M->zero_page);
}

void get_page(struct page *page);
void put_page(struct page *page);

/* Prints Linux's dump_page() text: "page:... refcount:... pfn:..." */
void dump_page(const struct page *page, const char *reason);

#endif
