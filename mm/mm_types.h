/* struct page: one per physical page frame, in the mem_map that lives in
 * simulated RAM (include/linux/mm_types.h, page-flags.h). */
#ifndef MMSIM_MM_MM_TYPES_H
#define MMSIM_MM_MM_TYPES_H

#include <stdint.h>

#include "base/list.h"
#include "base/rbtree.h"

#include "arch/pgtable.h"

struct kmem_cache;
struct mm_struct;
struct vm_area_struct;

#define PAGE_SHIFT 12
#define PAGE_SIZE (1UL << PAGE_SHIFT)
#define PAGE_MASK (~(PAGE_SIZE - 1))
#define PFN_UP(x) (((x) + PAGE_SIZE - 1) >> PAGE_SHIFT)
#define PFN_DOWN(x) ((x) >> PAGE_SHIFT)
#define PFN_PHYS(x) ((uint64_t)(x) << PAGE_SHIFT)

/* Page flags (bit numbers), in Linux's order for the ones mmsim uses. */
enum pageflags {
	PG_locked,
	PG_writeback,
	PG_referenced,
	PG_uptodate,
	PG_dirty,
	PG_lru,
	PG_head,
	PG_waiters,
	PG_active,
	PG_workingset,
	PG_owner_priv_1,
	PG_owner_2,
	PG_arch_1,
	PG_reserved,
	PG_private,
	PG_private_2,
	PG_reclaim,
	PG_swapbacked,
	PG_unevictable,
	PG_mlocked,
	__NR_PAGEFLAGS,
};

/* The node and zone of a page live in the top bits of page->flags. */
#define NODES_SHIFT 6
#define MAX_NUMNODES (1 << NODES_SHIFT)
#define ZONES_SHIFT 3
#define NODES_PGSHIFT (64 - NODES_SHIFT)
#define ZONES_PGSHIFT (NODES_PGSHIFT - ZONES_SHIFT)
#define ZONES_MASK ((1UL << ZONES_SHIFT) - 1)
#define NODES_MASK ((1UL << NODES_SHIFT) - 1)

/* page_type (Linux 6.12+): the top byte names the type; 0xff.. = none
 * (shares the word with _mapcount, -1 when unmapped). */
#define PAGE_TYPE_NONE 0xffffffffu
enum pagetype {
	PGTY_buddy = 0xf0,
	PGTY_offline = 0xf1,
	PGTY_table = 0xf2,
	PGTY_guard = 0xf3,
	PGTY_hugetlb = 0xf4,
	PGTY_slab = 0xf5,
	PGTY_zsmalloc = 0xf6,
	PGTY_unaccepted = 0xf7,
	PGTY_large_kmalloc = 0xf8,
};

struct page {
	unsigned long flags;
	union {
		struct {
			union {
				/* Buddy and pcp free lists; LRU lists. */
				struct list_head lru;
				/* An unevictable page is on no list (as in
				 * Linux): __filler stays even (not a tail),
				 * mlock_count counts the VM_LOCKED VMAs
				 * mapping it. */
				struct {
					void *__filler;
					unsigned int mlock_count;
				};
			};
			void *mapping;
			unsigned long index;
			/* Buddy: order of the free block. */
			unsigned long private;
		};
		/* Slab (Linux's struct slab overlay): the head page of a slab
		 * marked PGTY_slab. slab_cache overlays compound_head (an
		 * aligned pointer, bit 0 clear); slab_list.prev overlays
		 * mapping, cleared before the page is freed. */
		struct {
			struct kmem_cache *slab_cache;
			struct list_head slab_list;
			void *freelist; /* first free object */
			union {
				unsigned long counters;
				struct {
					unsigned inuse : 16;
					unsigned objects : 15;
					unsigned frozen : 1; /* a CPU's slab */
				};
			};
		};
		/* Page-table page (Linux's struct ptdesc overlay), page type
		 * PGTY_table: pt_list overlays lru, __pt_mapping stays
		 * NULL, pt_mm is the owner (init_mm for kernel tables). */
		struct {
			struct list_head pt_list;
			void *__pt_mapping;
			struct mm_struct *pt_mm;
			unsigned long
				pt_level; /* mmsim: hardware level, 0 = top */
		};
		unsigned long _words[5];
	};
	union {
		int _mapcount;
		unsigned int page_type;
	};
	int _refcount;
	/* Order the page was allocated with (debug: wrong-order frees). */
	unsigned long alloc_info;
};

_Static_assert(sizeof(struct page) <= 64, "struct page must fit 64 bytes");

static inline int test_bit_flag(const struct page *p, int nr)
{
	return (p->flags >> nr) & 1;
}

#define PAGEFLAG(name, bit)                                \
	static inline int Page##name(const struct page *p) \
	{                                                  \
		return test_bit_flag(p, PG_##bit);         \
	}                                                  \
	static inline void SetPage##name(struct page *p)   \
	{                                                  \
		p->flags |= 1UL << PG_##bit;               \
	}                                                  \
	static inline void ClearPage##name(struct page *p) \
	{                                                  \
		p->flags &= ~(1UL << PG_##bit);            \
	}

PAGEFLAG(Reserved, reserved)
PAGEFLAG(Head, head)
PAGEFLAG(LRU, lru)
PAGEFLAG(Dirty, dirty)
PAGEFLAG(Private, private)

static inline unsigned int page_type_of(const struct page *p)
{
	return p->page_type >> 24;
}

static inline int PageBuddy(const struct page *p)
{
	return page_type_of(p) == PGTY_buddy;
}

static inline void __SetPageBuddy(struct page *p)
{
	p->page_type = (unsigned int)PGTY_buddy << 24;
}

static inline void __ClearPageBuddy(struct page *p)
{
	p->page_type = PAGE_TYPE_NONE;
}

/* Page-table pages (Linux's folio_test_pgtable / __folio_set_pgtable). */
static inline int PageTable(const struct page *p)
{
	return page_type_of(p) == PGTY_table;
}

static inline void __SetPageTable(struct page *p)
{
	p->page_type = (unsigned int)PGTY_table << 24;
}

static inline void __ClearPageTable(struct page *p)
{
	p->page_type = PAGE_TYPE_NONE;
}

static inline int page_ref_count(const struct page *p)
{
	return p->_refcount;
}

static inline void set_page_count(struct page *p, int v)
{
	p->_refcount = v;
}

static inline void page_ref_inc(struct page *p)
{
	p->_refcount++;
}

/* Returns true when the count dropped to zero. */
static inline int page_ref_dec_and_test(struct page *p)
{
	return --p->_refcount == 0;
}

/* Typed pages (buddy, table, slab...) are never mapped to user space. */
static inline int page_mapcount(const struct page *p)
{
	unsigned int t = page_type_of(p);

	return t >= PGTY_buddy && t < 0xff ? 0 : p->_mapcount + 1;
}

/* mm->context on x86 (asm/mmu.h): a unique id for the PCID slots of
 * each CPU, and the generation of TLB flushes requested for the mm. */
typedef struct {
	uint64_t ctx_id;
	uint64_t tlb_gen;
} mm_context_t;

#define MM_CPUMASK_BITS 256 /* NR_CPUS */

typedef unsigned long vm_flags_t;

struct anon_vma;
struct file;
struct vm_fault;
struct task_struct;

/* What a mapping does on a fault (include/linux/mm.h): file mappings
 * come with the VFS; anonymous VMAs have none. */
struct vm_operations_struct {
	const char *name; /* mmsim: what /proc/PID/maps shows, e.g. "[vdso]" */
	/* A copy of the VMA was made: split, mremap, fork (dup_mmap). */
	void (*open)(struct vm_area_struct *vma);
	void (*close)(struct vm_area_struct *vma);
	unsigned (*fault)(struct vm_fault *vmf);
};

/* One mapping of an address space (include/linux/mm_types.h). Linux 6.x
 * keeps VMAs in a maple tree; mmsim keeps Linux 6.0's augmented rbtree
 * (rb_subtree_gap) beside the sorted vm_next/vm_prev list. */
struct vm_area_struct {
	unsigned long vm_start, vm_end; /* [vm_start, vm_end) */
	struct vm_area_struct *vm_next, *vm_prev;
	struct rb_node vm_rb;
	/* Largest free gap below any VMA of this subtree, guard gaps
	 * included (Linux 6.0 mm/mmap.c vma_compute_gap). */
	unsigned long rb_subtree_gap;
	struct mm_struct *vm_mm;
	pgprot_t vm_page_prot;
	vm_flags_t vm_flags;
	/* Every anon_vma_chain linking this VMA to an anon_vma. */
	struct list_head anon_vma_chain;
	struct anon_vma *anon_vma;
	const struct vm_operations_struct *vm_ops;
	unsigned long vm_pgoff; /* in pages; anonymous: vm_start >> PAGE_SHIFT */
	struct file *vm_file;
	void *vm_private_data;
	/* Swap-in readahead by address (mm/swap_state.c): the last fault,
	 * window and hits. */
	unsigned long swap_readahead_info;
};

/* RSS counters per type (include/linux/mm_types_task.h). */
enum { MM_FILEPAGES, MM_ANONPAGES, MM_SWAPENTS, MM_SHMEMPAGES, NR_MM_COUNTERS };

/* mm->flags bits (include/linux/sched/coredump.h). */
#define MMF_TOPDOWN 31 /* top-down get_unmapped_area */

/* An address space (include/linux/mm_types.h). Single-threaded host
 * code drives it: no mmap_lock or page-table locks. */
/* Entries of saved_auxv (x86_64: 3 arch entries, 22 generic, AT_NULL;
 * each a type and a value). */
#define AT_VECTOR_SIZE (2 * (3 + 22 + 1))

struct mm_struct {
	struct vm_area_struct *mmap; /* lowest VMA */
	struct rb_root mm_rb;
	int map_count;
	unsigned long mmap_base, mmap_legacy_base, task_size;
	unsigned long highest_vm_end; /* vm_end_gap of the highest VMA */
	pgd_t *pgd;
	int mm_users; /* tasks (threads) using the address space */
	int mm_count; /* references to the struct, mm_users counting 1 */
	long pgtables_bytes; /* PTE, PMD and PUD tables (VmPTE) */
	unsigned long hiwater_rss, hiwater_vm; /* VmHWM, VmPeak (pages) */
	unsigned long total_vm, locked_vm, pinned_vm;
	unsigned long data_vm, exec_vm, stack_vm;
	unsigned long def_flags;
	unsigned long start_code, end_code, start_data, end_data;
	unsigned long start_brk, brk, start_stack;
	unsigned long arg_start, arg_end, env_start, env_end;
	/* The auxiliary vector exec gave the program (/proc/PID/auxv): the
	 * part of the struct that may be copied to user space. */
	unsigned long saved_auxv[AT_VECTOR_SIZE];
	long rss_stat[NR_MM_COUNTERS];
	unsigned long flags; /* MMF_* */
	struct task_struct *owner;
	mm_context_t context;
	unsigned long cpu_bitmap[MM_CPUMASK_BITS / 64]; /* mm_cpumask() */
	struct list_head mm_node; /* mmsim: on the machine's list of mms */
};

#endif
