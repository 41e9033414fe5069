/* vmalloc as Linux 6.x does it (mm/vmalloc.c): a kernel virtual-area
 * allocator over busy, free and lazy trees of struct vmap_area (the free
 * tree augmented with subtree_max_size for a lowest-address fit), lazy
 * freeing purged with one TLB flush past lazy_max_pages(), vm_struct
 * areas with a guard page, vmalloc from single pages mapped with
 * PAGE_KERNEL in init_mm, vmap of given pages, /proc/vmallocinfo. Also
 * the arch parts: the x86 and riscv64 vmalloc ranges, the tables boot
 * preallocates for them (x86-64 preallocate_vmalloc_pages(), riscv64
 * pgtable_cache_init()) and the pgd sync of new kernel tables (i386).
 *
 * mmsim: each mapping is mirrored in a host window, MAP_SHARED views of
 * the RAM file at the same frames, so the pointer vmalloc returns works
 * for the host; unmapped pages of the window (guard pages, free space)
 * are PROT_NONE. */
#include "mm/vmalloc.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "arch/tlbflush.h"
#include "kernel/printk.h"
#include "mm/internal.h"
#include "mm/slab.h"
#include "mm/vmstat.h"

#define GFP_RECLAIM_MASK                                                       \
	(__GFP_RECLAIM | __GFP_HIGH | __GFP_IO | __GFP_FS | __GFP_NOWARN |     \
	 __GFP_RETRY_MAYFAIL | __GFP_NOFAIL | __GFP_NORETRY | __GFP_MEMALLOC | \
	 __GFP_NOMEMALLOC)

#define VMAP_RAM 0x1 /* vm_map_ram area (none yet) */

/* The machine's vmalloc globals (Linux's vmap_area_root and friends, one
 * vmap node); host memory, like the MMU state. */
struct vmalloc_state {
	char *host; /* host address of VMALLOC_START */
	unsigned long host_size; /* bytes of the window */
	struct kmem_cache *vmap_area_cachep;
	struct rb_root busy_root, free_root, lazy_root;
	struct list_head busy_list, free_list, lazy_list;
	unsigned long lazy_nr; /* vmap_lazy_nr: pages waiting for a purge */
	unsigned long nr_vmalloc_pages;
	struct vmap_area *ne_fit_preload[NR_CPUS];
};

/* Largest host window (x86-64's 32 TiB cannot all be reserved). */
#define VMALLOC_HOST_MAX (1UL << 40)
#define VMALLOC_HOST_MIN (16UL << 20)

/* ---- layout (arch/x86/include/asm/pgtable_64_types.h, _32_areas.h,
 * arch/riscv/include/asm/pgtable.h) ------------------------------------- */

#define VMALLOC_BASE_L4 0xffffc90000000000UL
#define VMALLOC_BASE_L5 0xffa0000000000000UL
#define VMALLOC_SIZE_TB_L4 32UL
#define VMALLOC_SIZE_TB_L5 12800UL
#define VMALLOC_RESERVE_32 (128UL << 20) /* __VMALLOC_RESERVE */

/* riscv64: VMALLOC_END is PAGE_OFFSET, below it half of KERN_VIRT_SIZE,
 * itself half of the upper half of the address space: 64 GiB with Sv39,
 * 32 TiB with Sv48. */
static unsigned long riscv_vmalloc_size(void)
{
	unsigned long kern_virt_size = PTRS_PER_PGD / 2 * PGDIR_SIZE / 2;

	return kern_virt_size >> 1;
}

static unsigned long high_memory(void)
{
	return PAGE_OFFSET + (unsigned long)PFN_PHYS(M->max_low_pfn);
}

unsigned long vmalloc_start(void)
{
	const struct pt_format *f = ptfmt();

	if (f == &pt_x86_64_4level)
		return VMALLOC_BASE_L4;
	if (f == &pt_x86_64_5level)
		return VMALLOC_BASE_L5;
	if (f == &pt_i386_2level)
		return high_memory() + VMALLOC_OFFSET;
	if (f->riscv)
		return PAGE_OFFSET - riscv_vmalloc_size();
	return 0;
}

/* i386: MAXMEM = VMALLOC_END - PAGE_OFFSET - __VMALLOC_RESERVE, with
 * mmsim's lowmem limit as MAXMEM (there is no fixmap or PKMAP above). */
unsigned long vmalloc_end(void)
{
	const struct pt_format *f = ptfmt();

	if (f == &pt_x86_64_4level)
		return VMALLOC_BASE_L4 + (VMALLOC_SIZE_TB_L4 << 40) - 1;
	if (f == &pt_x86_64_5level)
		return VMALLOC_BASE_L5 + (VMALLOC_SIZE_TB_L5 << 40) - 1;
	if (f == &pt_i386_2level)
		return PAGE_OFFSET +
		       (unsigned long)M->arch->zone_end[ZONE_NORMAL] +
		       VMALLOC_RESERVE_32;
	if (f->riscv)
		return PAGE_OFFSET;
	return 0;
}

unsigned long vmalloc_total_kb(void)
{
	return (VMALLOC_END - VMALLOC_START) >> 10;
}

unsigned long vmalloc_nr_pages(void)
{
	return M->vmalloc ? M->vmalloc->nr_vmalloc_pages : 0;
}

bool is_vmalloc_addr(const void *addr)
{
	const struct vmalloc_state *s = M->vmalloc;

	return s && (uintptr_t)addr - (uintptr_t)s->host < s->host_size;
}

unsigned long vmalloc_va(const void *addr)
{
	if (!is_vmalloc_addr(addr))
		return 0;
	return VMALLOC_START +
	       (unsigned long)((const char *)addr - M->vmalloc->host);
}

void *vmalloc_ptr(unsigned long va)
{
	const struct vmalloc_state *s = M->vmalloc;

	if (!s || va - VMALLOC_START >= s->host_size)
		return NULL;
	return s->host + (va - VMALLOC_START);
}

/* Where allocations may end: VMALLOC_END, or the host window's end. */
static unsigned long vmalloc_usable_end(unsigned long vend)
{
	return min(vend, VMALLOC_START + M->vmalloc->host_size);
}

/* ---- the host window ------------------------------------------------------ */

static int host_prot(pgprot_t prot)
{
	return pte_write(__pte(pgprot_val(prot))) ? PROT_READ | PROT_WRITE :
						    PROT_READ;
}

/* Maps nr pages at va in the window, one mmap per run of consecutive
 * frames. */
static int host_map_pages(unsigned long va, struct page **pages,
			  unsigned long nr, pgprot_t prot)
{
	unsigned long i, j;

	for (i = 0; i < nr; i = j) {
		unsigned long pfn = page_to_pfn(pages[i]);
		void *at = vmalloc_ptr(va + i * PAGE_SIZE);

		for (j = i + 1; j < nr && page_to_pfn(pages[j]) == pfn + j - i;
		     j++)
			;
		if (mmap(at, (j - i) * PAGE_SIZE, host_prot(prot),
			 MAP_SHARED | MAP_FIXED, M->ram_fd,
			 (off_t)(PFN_PHYS(pfn) - M->phys_ram_base)) ==
		    MAP_FAILED)
			return -ENOMEM;
	}
	return 0;
}

static void host_unmap(unsigned long va, unsigned long size)
{
	void *at = vmalloc_ptr(va);

	if (!at)
		return;
	size = min(size, M->vmalloc->host_size - (va - VMALLOC_START));
	if (mmap(at, size, PROT_NONE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_NORESERVE, -1,
		 0) == MAP_FAILED)
		pr_err("vmalloc: host window 0x%lx-0x%lx stays mapped: %s\n",
		       va, va + size, strerror(errno));
}

/* ---- page tables ----------------------------------------------------------- */

/* pgtbl_mod_mask: which levels got a new table. */
#define PGTBL_PGD_MODIFIED (1u << PT_PGD)
#define PGTBL_P4D_MODIFIED (1u << PT_P4D)
#define PGTBL_PUD_MODIFIED (1u << PT_PUD)
#define PGTBL_PMD_MODIFIED (1u << PT_PMD)

/* ARCH_PAGE_TABLE_SYNC_MASK: the level whose entries live in the pgd
 * (x86-64 4-level: P4D, 5-level: PGD, i386: PMD). */
static unsigned arch_page_table_sync_mask(void)
{
	unsigned mask = 0;

	for (enum pt_level l = PT_PGD; l < PT_PTE; l++)
		if (ptfmt()->named[l] == 0 && pt_owner(l))
			mask = 1u << l;
	return mask;
}

/* arch_sync_kernel_mappings(): copies new kernel top-level entries of
 * [start, end) into every other pgd (x86 vmalloc_sync_one). */
static void arch_sync_kernel_mappings(unsigned long start, unsigned long end)
{
	struct mm_struct *mm;

	list_for_each_entry(mm, &M->mmu->mms, mm_node) {
		if (mm == &init_mm)
			continue;
		for (unsigned long i = pgd_index(start);
		     i <= pgd_index(end - 1); i++) {
			pgd_t *dst = pt_slot(mm->pgd, i);
			pgd_t k = pgdp_get(pt_slot(swapper_pg_dir, i));

			if (pgd_val(pgdp_get(dst)) != pgd_val(k))
				set_pgd(dst, k);
		}
	}
}

struct vmap_walk {
	struct page **pages;
	pgprot_t prot;
	unsigned long nr; /* pages mapped so far */
	unsigned mask; /* pgtbl_mod_mask */
};

static int vmap_pte_range(pmd_t *pmd, unsigned long addr, unsigned long end,
			  struct vmap_walk *w)
{
	if (pmd_none(pmdp_get(pmd))) {
		if (__pte_alloc_kernel(pmd))
			return -ENOMEM;
		w->mask |= PGTBL_PMD_MODIFIED;
	}
	do {
		pte_t *pte = pte_offset_kernel(pmd, addr);
		struct page *page = w->pages[w->nr];

		if (WARN_ON(!pte_none(ptep_get(pte))))
			return -EBUSY;
		if (WARN_ON(!page))
			return -ENOMEM;
		set_pte_at(&init_mm, addr, pte, mk_pte(page, w->prot));
		w->nr++;
	} while (addr += PAGE_SIZE, addr != end);
	return 0;
}

static int vmap_pmd_range(pud_t *pud, unsigned long addr, unsigned long end,
			  struct vmap_walk *w)
{
	unsigned long next;
	pmd_t *pmd;

	if (pud_none(pudp_get(pud)))
		w->mask |= PGTBL_PUD_MODIFIED;
	pmd = pmd_alloc(&init_mm, pud, addr);
	if (!pmd)
		return -ENOMEM;
	do {
		pmd = pmd_offset(pud, addr);
		next = pmd_addr_end(addr, end);
		if (vmap_pte_range(pmd, addr, next, w))
			return -ENOMEM;
	} while (addr = next, addr != end);
	return 0;
}

static int vmap_pud_range(p4d_t *p4d, unsigned long addr, unsigned long end,
			  struct vmap_walk *w)
{
	unsigned long next;
	pud_t *pud;

	if (p4d_none(p4dp_get(p4d)))
		w->mask |= PGTBL_P4D_MODIFIED;
	pud = pud_alloc(&init_mm, p4d, addr);
	if (!pud)
		return -ENOMEM;
	do {
		pud = pud_offset(p4d, addr);
		next = pud_addr_end(addr, end);
		if (vmap_pmd_range(pud, addr, next, w))
			return -ENOMEM;
	} while (addr = next, addr != end);
	return 0;
}

static int vmap_p4d_range(pgd_t *pgd, unsigned long addr, unsigned long end,
			  struct vmap_walk *w)
{
	unsigned long next;
	p4d_t *p4d;

	if (pgd_none(pgdp_get(pgd)))
		w->mask |= PGTBL_PGD_MODIFIED;
	p4d = p4d_alloc(&init_mm, pgd, addr);
	if (!p4d)
		return -ENOMEM;
	do {
		p4d = p4d_offset(pgd, addr);
		next = p4d_addr_end(addr, end);
		if (vmap_pud_range(p4d, addr, next, w))
			return -ENOMEM;
	} while (addr = next, addr != end);
	return 0;
}

/* vmap_pages_range(): ptes of [addr, end) point at pages[], allocating
 * tables; then the host window. No TLB flush (new entries only). */
static int vmap_pages_range(unsigned long addr, unsigned long end,
			    pgprot_t prot, struct page **pages)
{
	struct vmap_walk w = { .pages = pages, .prot = prot };
	unsigned long start = addr, next;
	int err = 0;

	do {
		next = pgd_addr_end(addr, end);
		err = vmap_p4d_range(pgd_offset_k(addr), addr, next, &w);
		if (err)
			break;
	} while (addr = next, addr != end);
	if (w.mask & arch_page_table_sync_mask())
		arch_sync_kernel_mappings(start, end);
	if (!err)
		err = host_map_pages(start, pages, w.nr, prot);
	return err;
}

static void vunmap_pte_range(pmd_t *pmd, unsigned long addr, unsigned long end)
{
	do {
		pte_t *pte = pte_offset_kernel(pmd, addr);
		pte_t ptent = ptep_get_and_clear(&init_mm, addr, pte);

		WARN_ON(!pte_none(ptent) && !pte_present(ptent));
	} while (addr += PAGE_SIZE, addr != end);
}

static void vunmap_pmd_range(pud_t *pud, unsigned long addr, unsigned long end)
{
	unsigned long next;

	do {
		pmd_t *pmd = pmd_offset(pud, addr);
		pmd_t v = pmdp_get(pmd);

		next = pmd_addr_end(addr, end);
		if (pmd_none(v) || WARN_ON(pmd_leaf(v) || pmd_bad(v)))
			continue;
		vunmap_pte_range(pmd, addr, next);
	} while (addr = next, addr != end);
}

static void vunmap_pud_range(p4d_t *p4d, unsigned long addr, unsigned long end)
{
	unsigned long next;

	do {
		pud_t *pud = pud_offset(p4d, addr);
		pud_t v = pudp_get(pud);

		next = pud_addr_end(addr, end);
		if (pud_none(v) || WARN_ON(pud_leaf(v) || pud_bad(v)))
			continue;
		vunmap_pmd_range(pud, addr, next);
	} while (addr = next, addr != end);
}

static void vunmap_p4d_range(pgd_t *pgd, unsigned long addr, unsigned long end)
{
	unsigned long next;

	do {
		p4d_t *p4d = p4d_offset(pgd, addr);
		p4d_t v = p4dp_get(p4d);

		next = p4d_addr_end(addr, end);
		if (p4d_none(v) || WARN_ON(p4d_bad(v)))
			continue;
		vunmap_pud_range(p4d, addr, next);
	} while (addr = next, addr != end);
}

/* vunmap_range_noflush(): clears the ptes (tables stay, as in Linux) and
 * the host window; the TLB flush is the caller's (or the purge's). */
static void vunmap_range_noflush(unsigned long start, unsigned long end)
{
	unsigned long addr = start, next;

	do {
		pgd_t *pgd = pgd_offset_k(addr);
		pgd_t v = pgdp_get(pgd);

		next = pgd_addr_end(addr, end);
		if (pgd_none(v) || WARN_ON(pgd_bad(v)))
			continue;
		vunmap_p4d_range(pgd, addr, next);
	} while (addr = next, addr != end);
	host_unmap(start, end - start);
}

/* ---- vmap_area trees -------------------------------------------------------- */

static inline unsigned long va_size(const struct vmap_area *va)
{
	return va->va_end - va->va_start;
}

static inline unsigned long get_subtree_max_size(const struct rb_node *node)
{
	return node ? rb_entry(node, struct vmap_area, rb_node)
			       ->subtree_max_size :
		      0;
}

RB_DECLARE_CALLBACKS_MAX(static, free_vmap_area_rb_augment_cb, struct vmap_area,
			 rb_node, unsigned long, subtree_max_size, va_size);

static struct vmap_area *__find_vmap_area(unsigned long addr,
					  const struct rb_root *root)
{
	struct rb_node *n = root->rb_node;

	while (n) {
		struct vmap_area *va = rb_entry(n, struct vmap_area, rb_node);

		if (addr < va->va_start)
			n = n->rb_left;
		else if (addr >= va->va_end)
			n = n->rb_right;
		else
			return va;
	}
	return NULL;
}

/* Where va goes in root (and its parent), or NULL when it overlaps an
 * area already there. */
static struct rb_node **find_va_links(const struct vmap_area *va,
				      struct rb_root *root,
				      struct rb_node **parent)
{
	struct rb_node **link = &root->rb_node, *p = NULL;

	while (*link) {
		struct vmap_area *tmp =
			rb_entry(*link, struct vmap_area, rb_node);

		p = *link;
		if (va->va_end <= tmp->va_start) {
			link = &p->rb_left;
		} else if (va->va_start >= tmp->va_end) {
			link = &p->rb_right;
		} else {
			WARN(1,
			     "vmalloc bug: 0x%lx-0x%lx overlaps with 0x%lx-0x%lx\n",
			     va->va_start, va->va_end, tmp->va_start,
			     tmp->va_end);
			return NULL;
		}
	}
	*parent = p;
	return link;
}

/* The list entry after the place find_va_links() found (NULL: empty). */
static struct list_head *get_va_next_sibling(struct rb_node *parent,
					     struct rb_node **link)
{
	struct vmap_area *va;

	if (!parent)
		return NULL;
	va = rb_entry(parent, struct vmap_area, rb_node);
	return &parent->rb_right == link ? va->list.next : &va->list;
}

static void link_va(struct vmap_area *va, struct rb_root *root,
		    struct rb_node *parent, struct rb_node **link,
		    struct list_head *head, bool augment)
{
	struct list_head *prev = head;

	if (parent) {
		prev = &rb_entry(parent, struct vmap_area, rb_node)->list;
		if (&parent->rb_right != link)
			prev = prev->prev;
	}
	rb_link_node(&va->rb_node, parent, link);
	if (augment) {
		/* 0 until inserted: the propagate below then fixes the
		 * path from va up (Linux's __link_va). */
		va->subtree_max_size = 0;
		rb_insert_augmented(&va->rb_node, root,
				    &free_vmap_area_rb_augment_cb);
		va->subtree_max_size = 0;
		free_vmap_area_rb_augment_cb_propagate(&va->rb_node, NULL);
	} else {
		rb_insert_color(&va->rb_node, root);
	}
	list_add(&va->list, prev);
}

static void unlink_va(struct vmap_area *va, struct rb_root *root, bool augment)
{
	if (WARN_ON(RB_EMPTY_NODE(&va->rb_node)))
		return;
	if (augment)
		rb_erase_augmented(&va->rb_node, root,
				   &free_vmap_area_rb_augment_cb);
	else
		rb_erase(&va->rb_node, root);
	list_del_init(&va->list);
	RB_CLEAR_NODE(&va->rb_node);
}

static void insert_vmap_area(struct vmap_area *va, struct rb_root *root,
			     struct list_head *head)
{
	struct rb_node *parent;
	struct rb_node **link = find_va_links(va, root, &parent);

	if (link)
		link_va(va, root, parent, link, head, false);
}

static void augment_tree_propagate_from(struct vmap_area *va)
{
	free_vmap_area_rb_augment_cb_propagate(&va->rb_node, NULL);
}

/* Puts a freed range back into the free tree, merged with free
 * neighbours it touches (va itself may be freed). */
static struct vmap_area *merge_or_add_vmap_area(struct vmap_area *va)
{
	struct vmalloc_state *s = M->vmalloc;
	struct list_head *head = &s->free_list, *next;
	struct rb_node *parent, **link;
	struct vmap_area *sibling;
	bool merged = false;

	link = find_va_links(va, &s->free_root, &parent);
	if (!link)
		return NULL;
	next = get_va_next_sibling(parent, link);
	if (!next)
		goto insert;
	if (next != head) {
		sibling = list_entry(next, struct vmap_area, list);
		if (sibling->va_start == va->va_end) {
			sibling->va_start = va->va_start;
			kmem_cache_free(s->vmap_area_cachep, va);
			va = sibling;
			merged = true;
		}
	}
	if (next->prev != head) {
		sibling = list_entry(next->prev, struct vmap_area, list);
		if (sibling->va_end == va->va_start) {
			if (merged)
				unlink_va(va, &s->free_root, true);
			sibling->va_end = va->va_end;
			kmem_cache_free(s->vmap_area_cachep, va);
			va = sibling;
			merged = true;
		}
	}
insert:
	if (!merged)
		link_va(va, &s->free_root, parent, link, head, true);
	augment_tree_propagate_from(va);
	return va;
}

/* ---- lowest-address fit ----------------------------------------------------- */

static bool is_within_this_va(const struct vmap_area *va, unsigned long size,
			      unsigned long align, unsigned long vstart)
{
	unsigned long nva_start_addr = va->va_start > vstart ?
					       ALIGN(va->va_start, align) :
					       ALIGN(vstart, align);

	if (nva_start_addr + size < nva_start_addr || nva_start_addr < vstart)
		return false;
	return nva_start_addr + size <= va->va_end;
}

/* The free block with the lowest address that holds size at align above
 * vstart: go left while the left subtree has a big enough block, else
 * try this node, else go right; when stuck, climb to the first right
 * subtree not searched yet. */
static struct vmap_area *find_vmap_lowest_match(const struct rb_root *root,
						unsigned long size,
						unsigned long align,
						unsigned long vstart,
						bool adjust_search_size)
{
	unsigned long length = adjust_search_size ? size + align - 1 : size;
	struct rb_node *node = root->rb_node;
	struct vmap_area *va;

	while (node) {
		va = rb_entry(node, struct vmap_area, rb_node);
		if (get_subtree_max_size(node->rb_left) >= length &&
		    vstart < va->va_start) {
			node = node->rb_left;
			continue;
		}
		if (is_within_this_va(va, size, align, vstart))
			return va;
		if (get_subtree_max_size(node->rb_right) >= length) {
			node = node->rb_right;
			continue;
		}
		while ((node = rb_parent(node))) {
			va = rb_entry(node, struct vmap_area, rb_node);
			if (is_within_this_va(va, size, align, vstart))
				return va;
			if (get_subtree_max_size(node->rb_right) >= length &&
			    vstart <= va->va_start) {
				/* Do not search this node's left side again. */
				vstart = va->va_start + 1;
				node = node->rb_right;
				break;
			}
		}
	}
	return NULL;
}

enum fit_type {
	NOTHING_FIT,
	FL_FIT_TYPE, /* full fit */
	LE_FIT_TYPE, /* left edge fit */
	RE_FIT_TYPE, /* right edge fit */
	NE_FIT_TYPE, /* no edge fit: the block splits in two */
};

static enum fit_type classify_va_fit_type(const struct vmap_area *va,
					  unsigned long start,
					  unsigned long size)
{
	if (start < va->va_start || start + size > va->va_end)
		return NOTHING_FIT;
	if (va->va_start == start)
		return va->va_end == start + size ? FL_FIT_TYPE : LE_FIT_TYPE;
	return va->va_end == start + size ? RE_FIT_TYPE : NE_FIT_TYPE;
}

/* Carves [start, start + size) out of the free block va. */
static int adjust_va_to_fit_type(struct vmap_area *va, unsigned long start,
				 unsigned long size)
{
	struct vmalloc_state *s = M->vmalloc;
	struct vmap_area *lva = NULL;
	enum fit_type type = classify_va_fit_type(va, start, size);
	int cpu = smp_processor_id();

	switch (type) {
	case FL_FIT_TYPE:
		unlink_va(va, &s->free_root, true);
		kmem_cache_free(s->vmap_area_cachep, va);
		return 0;
	case LE_FIT_TYPE:
		va->va_start += size;
		break;
	case RE_FIT_TYPE:
		va->va_end = start;
		break;
	case NE_FIT_TYPE:
		lva = s->ne_fit_preload[cpu];
		s->ne_fit_preload[cpu] = NULL;
		if (!lva)
			lva = kmem_cache_alloc(s->vmap_area_cachep, GFP_NOWAIT);
		if (!lva)
			return -1;
		lva->va_start = va->va_start;
		lva->va_end = start;
		va->va_start = start + size;
		break;
	default:
		return -1;
	}
	augment_tree_propagate_from(va);
	if (lva) {
		struct rb_node *parent;
		struct rb_node **link =
			find_va_links(lva, &s->free_root, &parent);

		if (link)
			link_va(lva, &s->free_root, parent, link, &s->free_list,
				true);
	}
	return 0;
}

/* The start of a new range in [vstart, vend), or vend when none fits. */
static unsigned long __alloc_vmap_area(unsigned long size, unsigned long align,
				       unsigned long vstart, unsigned long vend)
{
	bool adjust = !(align <= PAGE_SIZE || vend - vstart == size);
	struct vmap_area *va;
	unsigned long start;

	va = find_vmap_lowest_match(&M->vmalloc->free_root, size, align, vstart,
				    adjust);
	if (unlikely(!va))
		return vend;
	start = va->va_start > vstart ? ALIGN(va->va_start, align) :
					ALIGN(vstart, align);
	if (start + size > vend)
		return vend;
	if (WARN_ON_ONCE(adjust_va_to_fit_type(va, start, size)))
		return vend;
	return start;
}

/* ---- lazy freeing and purging ------------------------------------------------- */

/* Pages of freed ranges gathered before a purge flushes the TLBs. */
static unsigned long lazy_max_pages(void)
{
	return (unsigned long)fls((unsigned)M->nr_cpus) *
	       (32UL * 1024 * 1024 / PAGE_SIZE);
}

/* Moves every lazily freed range back to the free tree after one
 * flush_tlb_kernel_range() over all of them. True if there were any. */
static bool __purge_vmap_area_lazy(unsigned long start, unsigned long end)
{
	struct vmalloc_state *s = M->vmalloc;
	struct vmap_area *va, *n;

	if (list_empty(&s->lazy_list))
		return false;
	start = min(start,
		    list_first_entry(&s->lazy_list, struct vmap_area, list)
			    ->va_start);
	end = max(
		end,
		list_last_entry(&s->lazy_list, struct vmap_area, list)->va_end);
	flush_tlb_kernel_range(start, end);
	s->lazy_root = RB_ROOT;
	list_for_each_entry_safe(va, n, &s->lazy_list, list) {
		unsigned long nr = va_size(va) >> PAGE_SHIFT;

		list_del_init(&va->list);
		s->lazy_nr -= nr;
		merge_or_add_vmap_area(va);
	}
	return true;
}

static void purge_vmap_area_lazy(void)
{
	__purge_vmap_area_lazy(ULONG_MAX, 0);
}

void vm_unmap_aliases(void)
{
	if (M->vmalloc)
		purge_vmap_area_lazy();
}

/* The range waits in the lazy tree; past lazy_max_pages() Linux queues
 * drain_vmap_work, which mmsim runs at once. */
static void free_vmap_area_noflush(struct vmap_area *va)
{
	struct vmalloc_state *s = M->vmalloc;

	s->lazy_nr += va_size(va) >> PAGE_SHIFT;
	insert_vmap_area(va, &s->lazy_root, &s->lazy_list);
	if (unlikely(s->lazy_nr > lazy_max_pages()))
		purge_vmap_area_lazy();
}

static void free_unmap_vmap_area(struct vmap_area *va)
{
	vunmap_range_noflush(va->va_start, va->va_end);
	free_vmap_area_noflush(va);
}

/* ---- allocating ranges ------------------------------------------------------------ */

/* preload_this_cpu_lock(): one spare vmap_area per CPU for a split. */
static void preload_this_cpu(gfp_t gfp, int node)
{
	struct vmalloc_state *s = M->vmalloc;
	int cpu = smp_processor_id();

	if (!s->ne_fit_preload[cpu])
		s->ne_fit_preload[cpu] =
			kmem_cache_alloc_node(s->vmap_area_cachep, gfp, node);
}

static void setup_vmalloc_vm(struct vm_struct *vm, struct vmap_area *va,
			     unsigned long flags, const char *caller)
{
	vm->flags = flags;
	vm->addr = vmalloc_ptr(va->va_start);
	vm->size = va_size(va);
	vm->caller = caller;
	va->vm = vm;
}

static struct vmap_area *
alloc_vmap_area(unsigned long size, unsigned long align, unsigned long vstart,
		unsigned long vend, int node, gfp_t gfp, struct vm_struct *vm)
{
	struct vmalloc_state *s = M->vmalloc;
	struct vmap_area *va;
	unsigned long addr;
	bool purged = false;

	if (unlikely(!size || size & ~PAGE_MASK || !is_power_of_2(align)))
		return NULL;
	if (unlikely(!s || vstart < VMALLOC_START))
		return NULL;
	vend = vmalloc_usable_end(vend);
	gfp &= GFP_RECLAIM_MASK;
	va = kmem_cache_alloc_node(s->vmap_area_cachep, gfp, node);
	if (unlikely(!va))
		return NULL;
	for (;;) {
		preload_this_cpu(gfp, node);
		addr = __alloc_vmap_area(size, align, vstart, vend);
		if (likely(addr != vend))
			break;
		if (purged) {
			if (!(gfp & __GFP_NOWARN))
				pr_warn("vmap allocation for size %lu failed: use vmalloc=<size> to increase size\n",
					size);
			kmem_cache_free(s->vmap_area_cachep, va);
			return NULL;
		}
		purge_vmap_area_lazy();
		purged = true;
	}
	va->va_start = addr;
	va->va_end = addr + size;
	va->vm = NULL;
	va->flags = 0;
	insert_vmap_area(va, &s->busy_root, &s->busy_list);
	if (vm)
		setup_vmalloc_vm(vm, va, vm->flags, vm->caller);
	return va;
}

/* x86-64: PUD_SHIFT, i386: PMD_SHIFT, riscv64 the generic 7 +
 * PAGE_SHIFT (128 pages). */
static int ioremap_max_order(void)
{
	if (!M->arch->x86)
		return 7 + PAGE_SHIFT;
	return (int)(M->arch->bits == 64 ? PUD_SHIFT : PMD_SHIFT);
}

static struct vm_struct *
__get_vm_area_node(unsigned long size, unsigned long align, unsigned long flags,
		   unsigned long start, unsigned long end, int node, gfp_t gfp,
		   const char *caller)
{
	unsigned long requested_size = size;
	struct vm_struct *area;

	size = ALIGN(size, PAGE_SIZE);
	if (unlikely(!size) || unlikely(!M->vmalloc))
		return NULL;
	if (flags & VM_IOREMAP) /* IOREMAP_MAX_ORDER */
		align = 1UL << clamp(fls64(size - 1), PAGE_SHIFT,
				     ioremap_max_order());
	area = kzalloc_node(sizeof(*area), gfp & GFP_RECLAIM_MASK, node);
	if (unlikely(!area))
		return NULL;
	if (!(flags & VM_NO_GUARD))
		size += PAGE_SIZE;
	area->flags = flags;
	area->caller = caller;
	area->requested_size = requested_size;
	if (!alloc_vmap_area(size, align, start, end, node, gfp, area)) {
		kfree(area);
		return NULL;
	}
	return area;
}

struct vm_struct *get_vm_area_caller(unsigned long size, unsigned long flags,
				     const char *caller)
{
	return __get_vm_area_node(size, 1, flags, VMALLOC_START, VMALLOC_END,
				  NUMA_NO_NODE, GFP_KERNEL, caller);
}

struct vm_struct *find_vm_area(const void *addr)
{
	struct vmap_area *va;

	if (!M->vmalloc || !is_vmalloc_addr(addr))
		return NULL;
	va = __find_vmap_area(vmalloc_va(addr), &M->vmalloc->busy_root);
	return va ? va->vm : NULL;
}

/* A kernel address as reports print it: the vmalloc or direct-map
 * address for pointers mmsim knows, else the pointer itself. */
static unsigned long report_addr(const void *addr)
{
	if (is_vmalloc_addr(addr))
		return vmalloc_va(addr);
	if (virt_addr_valid(addr))
		return PAGE_OFFSET +
		       (unsigned long)(__pa(addr) - M->phys_ram_base);
	return (unsigned long)addr;
}

struct vm_struct *remove_vm_area(const void *addr)
{
	struct vmalloc_state *s = M->vmalloc;
	struct vm_struct *vm;
	struct vmap_area *va;

	if (WARN(!IS_ALIGNED((uintptr_t)addr, PAGE_SIZE),
		 "Trying to vfree() bad address (%016lx)\n", report_addr(addr)))
		return NULL;
	if (!s || !is_vmalloc_addr(addr))
		return NULL;
	va = __find_vmap_area(vmalloc_va(addr), &s->busy_root);
	if (!va || !va->vm)
		return NULL;
	vm = va->vm;
	unlink_va(va, &s->busy_root, false);
	free_unmap_vmap_area(va); /* va may be merged and freed by a purge */
	return vm;
}

void free_vm_area(struct vm_struct *area)
{
	struct vm_struct *ret = remove_vm_area(area->addr);

	WARN_ON(ret != area);
	kfree(area);
}

/* ---- vmalloc and vfree ---------------------------------------------------------------- */

static pgprot_t pgprot_nx(pgprot_t prot)
{
	return __pgprot(pgprot_val(prot) | ptfmt()->nx);
}

/* vm_area_alloc_pages(): order-0 pages, one at a time (the bulk
 * allocator hands out the same pages); the count obtained. */
static unsigned int vm_area_alloc_pages(gfp_t gfp, int nid,
					unsigned int nr_pages,
					struct page **pages)
{
	unsigned int nr;

	for (nr = 0; nr < nr_pages; nr++) {
		pages[nr] = nid == NUMA_NO_NODE ? alloc_pages(gfp, 0) :
						  alloc_pages_node(nid, gfp, 0);
		if (!pages[nr])
			break;
	}
	return nr;
}

static void *__vmalloc_area_node(struct vm_struct *area, gfp_t gfp,
				 pgprot_t prot, int node)
{
	const gfp_t nested_gfp = (gfp & GFP_RECLAIM_MASK) | __GFP_ZERO;
	unsigned long addr = vmalloc_va(area->addr);
	unsigned long size = get_vm_area_size(area);
	unsigned int nr_small_pages = (unsigned int)(size >> PAGE_SHIFT);
	unsigned long array_size =
		(unsigned long)nr_small_pages * sizeof(struct page *);

	if (!(gfp & (GFP_DMA | GFP_DMA32)))
		gfp |= __GFP_HIGHMEM;
	/* The recursion is bounded: a page array of a page array... */
	if (array_size > PAGE_SIZE)
		area->pages = __vmalloc_node(array_size, 1, nested_gfp, node,
					     area->caller);
	else
		area->pages = kmalloc_node(array_size, nested_gfp, node);
	if (!area->pages) {
		warn_alloc(
			gfp,
			"vmalloc error: size %lu, failed to allocated page array size %lu",
			(unsigned long)nr_small_pages * PAGE_SIZE, array_size);
		free_vm_area(area);
		return NULL;
	}
	area->page_order = 0;
	area->nr_pages = vm_area_alloc_pages(gfp | __GFP_NOWARN, node,
					     nr_small_pages, area->pages);
	M->vmalloc->nr_vmalloc_pages += area->nr_pages;
	if (area->nr_pages != nr_small_pages) {
		warn_alloc(gfp,
			   "vmalloc error: size %lu, failed to allocate pages",
			   (unsigned long)area->nr_pages * PAGE_SIZE);
		goto fail;
	}
	if (vmap_pages_range(addr, addr + size, prot, area->pages) < 0) {
		warn_alloc(gfp, "vmalloc error: size %lu, failed to map pages",
			   (unsigned long)area->nr_pages * PAGE_SIZE);
		goto fail;
	}
	return area->addr;
fail:
	vfree(area->addr);
	return NULL;
}

void *__vmalloc_node_range(unsigned long size, unsigned long align,
			   unsigned long start, unsigned long end, gfp_t gfp,
			   pgprot_t prot, unsigned long vm_flags, int node,
			   const char *caller)
{
	struct vm_struct *area;

	if (WARN_ON_ONCE(!size))
		return NULL;
	if ((size >> PAGE_SHIFT) > M->totalram_pages) {
		warn_alloc(gfp, "vmalloc error: size %lu, exceeds total pages",
			   size);
		return NULL;
	}
	/* Huge mappings (VM_ALLOW_HUGE_VMAP) are not modelled: 4K pages. */
	area = __get_vm_area_node(size, align,
				  VM_ALLOC | VM_UNINITIALIZED | vm_flags, start,
				  end, node, gfp, caller);
	if (!area) {
		/* Linux retries __GFP_NOFAIL for ever; mmsim fails. */
		warn_alloc(
			gfp,
			"vmalloc error: size %lu, vm_struct allocation failed",
			size);
		return NULL;
	}
	if (!__vmalloc_area_node(area, gfp, prot, node))
		return NULL;
	area->flags &= ~VM_UNINITIALIZED;
	return area->addr;
}

void *__vmalloc_node(unsigned long size, unsigned long align, gfp_t gfp,
		     int node, const char *caller)
{
	return __vmalloc_node_range(size, align, VMALLOC_START, VMALLOC_END,
				    gfp, PAGE_KERNEL, 0, node, caller);
}

void vfree(const void *addr)
{
	struct vm_struct *vm;

	if (!addr)
		return;
	vm = remove_vm_area(addr);
	if (unlikely(!vm)) {
		WARN(1,
		     KERN_ERR
		     "Trying to vfree() nonexistent vm area (%016lx)\n",
		     report_addr(addr));
		return;
	}
	for (unsigned int i = 0; i < vm->nr_pages; i++) {
		if (WARN_ON(!vm->pages[i]))
			continue;
		__free_page(vm->pages[i]);
	}
	if (!(vm->flags & VM_MAP_PUT_PAGES))
		M->vmalloc->nr_vmalloc_pages -= vm->nr_pages;
	kvfree(vm->pages);
	kfree(vm);
}

void *vmap_caller(struct page **pages, unsigned int count, unsigned long flags,
		  pgprot_t prot, const char *caller)
{
	struct vm_struct *area;
	unsigned long addr, size;

	if (WARN_ON_ONCE(flags & VM_FLUSH_RESET_PERMS))
		return NULL;
	/* Your top guard is someone else's bottom guard. */
	if (WARN_ON_ONCE(flags & VM_NO_GUARD))
		flags &= ~VM_NO_GUARD;
	if (count > M->totalram_pages)
		return NULL;
	size = (unsigned long)count << PAGE_SHIFT;
	area = get_vm_area_caller(size, flags, caller);
	if (!area)
		return NULL;
	addr = vmalloc_va(area->addr);
	if (vmap_pages_range(addr, addr + size, pgprot_nx(prot), pages) < 0) {
		vunmap(area->addr);
		return NULL;
	}
	if (flags & VM_MAP_PUT_PAGES) {
		area->pages = pages;
		area->nr_pages = count;
	}
	return area->addr;
}

void vunmap(const void *addr)
{
	struct vm_struct *vm;

	if (!addr)
		return;
	vm = remove_vm_area(addr);
	if (unlikely(!vm)) {
		WARN(1,
		     KERN_ERR
		     "Trying to vunmap() nonexistent vm area (%016lx)\n",
		     report_addr(addr));
		return;
	}
	kfree(vm);
}

/* kmalloc_gfp_adjust(): a large kmalloc may fail quietly, vmalloc is
 * the fallback. */
void *kvmalloc_node_caller(size_t size, gfp_t gfp, int node, const char *caller)
{
	gfp_t kgfp = gfp;
	void *ret;

	if (size > PAGE_SIZE) {
		kgfp |= __GFP_NOWARN;
		if (!(kgfp & __GFP_RETRY_MAYFAIL))
			kgfp |= __GFP_NORETRY;
		kgfp &= ~__GFP_NOFAIL;
	}
	ret = kmalloc_node(size, kgfp, node);
	if (ret || size <= PAGE_SIZE)
		return ret;
	if (!gfpflags_allow_blocking(gfp))
		return NULL;
	if (unlikely(size > 0x7fffffff)) {
		WARN_ON_ONCE(!(gfp & __GFP_NOWARN));
		return NULL;
	}
	return __vmalloc_node_range(size, 1, VMALLOC_START, VMALLOC_END, gfp,
				    PAGE_KERNEL, VM_ALLOW_HUGE_VMAP, node,
				    caller);
}

void kvfree(const void *addr)
{
	if (is_vmalloc_addr(addr))
		vfree(addr);
	else
		kfree(addr);
}

/* ---- vmalloc_to_page ------------------------------------------------------------------ */

struct page *vmalloc_to_page(const void *vmalloc_addr)
{
	unsigned long addr = vmalloc_va(vmalloc_addr);
	pgd_t *pgd;
	p4d_t *p4d;
	pud_t *pud;
	pmd_t *pmd;
	pte_t pte;

	if (!addr)
		return NULL;
	pgd = pgd_offset_k(addr);
	if (pgd_none(pgdp_get(pgd)) || WARN_ON_ONCE(pgd_bad(pgdp_get(pgd))))
		return NULL;
	p4d = p4d_offset(pgd, addr);
	if (p4d_none(p4dp_get(p4d)) || WARN_ON_ONCE(p4d_bad(p4dp_get(p4d))))
		return NULL;
	pud = pud_offset(p4d, addr);
	if (pud_none(pudp_get(pud)))
		return NULL;
	if (pud_leaf(pudp_get(pud)))
		return pfn_to_page(pud_pfn(pudp_get(pud)) +
				   ((addr & ~PUD_MASK) >> PAGE_SHIFT));
	if (WARN_ON_ONCE(pud_bad(pudp_get(pud))))
		return NULL;
	pmd = pmd_offset(pud, addr);
	if (pmd_none(pmdp_get(pmd)))
		return NULL;
	if (pmd_leaf(pmdp_get(pmd)))
		return pfn_to_page(pmd_pfn(pmdp_get(pmd)) +
				   ((addr & ~PMD_MASK) >> PAGE_SHIFT));
	if (WARN_ON_ONCE(pmd_bad(pmdp_get(pmd))))
		return NULL;
	pte = ptep_get(pte_offset_kernel(pmd, addr));
	return pte_present(pte) ? pte_page(pte) : NULL;
}

unsigned long vmalloc_to_pfn(const void *addr)
{
	struct page *page = vmalloc_to_page(addr);

	return page ? page_to_pfn(page) : 0;
}

/* ---- /proc/vmallocinfo --------------------------------------------------------------- */

/* "0x%pK-0x%pK" as root reads it (kptr_restrict 1): the real address,
 * zero-padded to the arch's pointer width. */
static void show_range(struct seq_file *m, unsigned long start,
		       unsigned long end)
{
	int w = M->arch->bits / 4;

	seq_printf(m, "0x%0*lx-0x%0*lx %7ld", w, start, w, end,
		   (long)(end - start));
}

static void show_numa_info(struct seq_file *m, const struct vm_struct *v)
{
	unsigned int counters[MAX_NUMNODES] = { 0 };
	int nid;

	if (v->flags & VM_UNINITIALIZED)
		return;
	for (unsigned int nr = 0; nr < v->nr_pages; nr++)
		counters[page_to_nid(v->pages[nr])]++;
	for_each_online_node(nid)
		if (counters[nid])
			seq_printf(m, " N%d=%u", nid, counters[nid]);
}

static void show_vm_area(struct seq_file *m, const struct vm_struct *v)
{
	static const struct {
		unsigned long flag;
		const char *word;
	} types[] = {
		{ VM_IOREMAP, " ioremap" },
		{ VM_SPARSE, " sparse" },
		{ VM_ALLOC, " vmalloc" },
		{ VM_MAP, " vmap" },
		{ VM_USERMAP, " user" },
		{ VM_DMA_COHERENT, " dma-coherent" },
	};
	unsigned long start = vmalloc_va(v->addr);

	show_range(m, start, start + v->size);
	if (v->caller)
		seq_printf(m, " %s+0x0/0x0", v->caller);
	if (v->nr_pages)
		seq_printf(m, " pages=%d", v->nr_pages);
	if (v->phys_addr)
		seq_printf(m, " phys=0x%0*llx", M->arch->bits / 4,
			   (unsigned long long)v->phys_addr);
	for (size_t i = 0; i < ARRAY_SIZE(types); i++)
		if (v->flags & types[i].flag)
			seq_puts(m, types[i].word);
	if (is_vmalloc_addr(v->pages))
		seq_puts(m, " vpages");
	show_numa_info(m, v);
	seq_putc(m, '\n');
}

void vmallocinfo_show(struct seq_file *m)
{
	struct vmalloc_state *s = M->vmalloc;
	struct vmap_area *va;

	if (!s)
		return;
	list_for_each_entry(va, &s->busy_list, list) {
		if (!va->vm) {
			if (va->flags & VMAP_RAM) {
				show_range(m, va->va_start, va->va_end);
				seq_puts(m, " vm_map_ram\n");
			}
			continue;
		}
		show_vm_area(m, va->vm);
	}
	/* As a final step, the "unpurged" areas. */
	list_for_each_entry(va, &s->lazy_list, list) {
		show_range(m, va->va_start, va->va_end);
		seq_puts(m, " unpurged vm_area\n");
	}
}

/* ---- boot ------------------------------------------------------------------------------ */

void preallocate_vmalloc_pages(void)
{
	const char *lvl;

	for (unsigned long addr = VMALLOC_START; addr <= VMALLOC_END;
	     addr = ALIGN(addr + 1, PGDIR_SIZE)) {
		pgd_t *pgd = pgd_offset_k(addr);
		p4d_t *p4d;

		lvl = "p4d";
		p4d = p4d_alloc(&init_mm, pgd, addr);
		if (!p4d)
			goto failed;
		if (!pt_folded(PT_P4D))
			continue;
		/* 4 levels: the p4d is the pgd; allocate the PUD tables. */
		lvl = "pud";
		if (!pud_alloc(&init_mm, p4d, addr))
			goto failed;
	}
	return;
failed:
	pr_emerg(
		"Kernel panic - not syncing: Failed to pre-allocate %s pages for vmalloc area\n",
		lvl);
	M->nr_bugs++;
}

/* riscv64 preallocate_pgd_pages_range(): the tables under the pgd entries
 * of [start, end), at the level that lives in the pgd (PMD tables with
 * Sv39, PUD tables with Sv48). */
static void preallocate_pgd_pages_range(unsigned long start, unsigned long end,
					const char *area)
{
	const char *lvl;

	for (unsigned long addr = start; addr < end && addr >= start;
	     addr = ALIGN(addr + 1, PGDIR_SIZE)) {
		pgd_t *pgd = pgd_offset_k(addr);
		p4d_t *p4d;
		pud_t *pud;

		lvl = "p4d";
		p4d = p4d_alloc(&init_mm, pgd, addr);
		if (!p4d)
			goto failed;
		if (!pt_folded(PT_P4D))
			continue;
		lvl = "pud";
		pud = pud_alloc(&init_mm, p4d, addr);
		if (!pud)
			goto failed;
		if (!pt_folded(PT_PUD))
			continue;
		lvl = "pmd";
		if (!pmd_alloc(&init_mm, pud, addr))
			goto failed;
	}
	return;
failed:
	pr_emerg(
		"Kernel panic - not syncing: Failed to pre-allocate %s pages for %s area\n",
		lvl, area);
	M->nr_bugs++;
}

void pgtable_cache_init(void)
{
	if (ptfmt()->riscv)
		preallocate_pgd_pages_range(VMALLOC_START, VMALLOC_END,
					    "vmalloc");
}

/* The host window: as much of [VMALLOC_START, VMALLOC_END) as the host
 * lets mmsim reserve, up to VMALLOC_HOST_MAX. */
static bool reserve_host_window(struct vmalloc_state *s)
{
	unsigned long size = min(ALIGN(VMALLOC_END - VMALLOC_START, PAGE_SIZE),
				 VMALLOC_HOST_MAX);

	for (; size >= VMALLOC_HOST_MIN; size /= 2) {
		void *p = mmap(NULL, size, PROT_NONE,
			       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1,
			       0);

		if (p != MAP_FAILED) {
			s->host = p;
			s->host_size = size;
			return true;
		}
	}
	return false;
}

/* vmap_init_free_space(): with no early areas, all of [1, ULONG_MAX). */
static bool vmap_init_free_space(struct vmalloc_state *s)
{
	struct vmap_area *free =
		kmem_cache_zalloc(s->vmap_area_cachep, GFP_NOWAIT);

	if (!free)
		return false;
	free->va_start = 1;
	free->va_end = ULONG_MAX;
	merge_or_add_vmap_area(free);
	return true;
}

bool vmalloc_init(void)
{
	struct vmalloc_state *s;

	if (!VMALLOC_START || !(s = calloc(1, sizeof(*s))))
		return false;
	if (!reserve_host_window(s)) {
		free(s);
		pr_err("vmalloc: cannot reserve host address space for the vmalloc area\n");
		return false;
	}
	s->busy_root = s->free_root = s->lazy_root = RB_ROOT;
	INIT_LIST_HEAD(&s->busy_list);
	INIT_LIST_HEAD(&s->free_list);
	INIT_LIST_HEAD(&s->lazy_list);
	M->vmalloc = s;
	s->vmap_area_cachep = kmem_cache_create("vmap_area",
						sizeof(struct vmap_area),
						__alignof__(struct vmap_area),
						SLAB_PANIC, NULL);
	if (s->vmap_area_cachep && vmap_init_free_space(s))
		return true;
	vmalloc_destroy(M);
	return false;
}

void vmalloc_destroy(struct machine *m)
{
	struct vmalloc_state *s = m->vmalloc;

	if (!s)
		return;
	munmap(s->host, s->host_size);
	free(s);
	m->vmalloc = NULL;
}

/* ---- invariants ---------------------------------------------------------------------------- */

struct vm_check {
	unsigned long problems;
};

__printf(2, 3) static void vm_problem(struct vm_check *c, const char *fmt, ...)
{
	va_list ap;

	pr_err("vmalloc check: ");
	va_start(ap, fmt);
	vprintk(fmt, ap);
	va_end(ap);
	pr_cont("\n");
	c->problems++;
}

/* The list is sorted, disjoint and walks the tree in order. */
static void check_tree(struct vm_check *c, const char *name,
		       const struct rb_root *root, const struct list_head *head)
{
	const struct rb_node *n = rb_first(root);
	const struct vmap_area *va, *prev = NULL;

	list_for_each_entry(va, head, list) {
		if (n != &va->rb_node)
			vm_problem(c, "%s tree and list differ at 0x%lx", name,
				   va->va_start);
		if (va->va_start >= va->va_end)
			vm_problem(c, "%s area 0x%lx-0x%lx is empty", name,
				   va->va_start, va->va_end);
		if (prev && prev->va_end > va->va_start)
			vm_problem(
				c,
				"%s areas 0x%lx-0x%lx and 0x%lx-0x%lx overlap",
				name, prev->va_start, prev->va_end,
				va->va_start, va->va_end);
		prev = va;
		n = n ? rb_next(n) : NULL;
	}
	if (n)
		vm_problem(c, "%s tree has more areas than its list", name);
}

static void check_free_tree(struct vm_check *c, struct vmalloc_state *s)
{
	const struct vmap_area *va, *prev = NULL;

	list_for_each_entry(va, &s->free_list, list) {
		unsigned long want =
			max(va_size(va),
			    max(get_subtree_max_size(va->rb_node.rb_left),
				get_subtree_max_size(va->rb_node.rb_right)));

		if (va->subtree_max_size != want)
			vm_problem(
				c,
				"free area 0x%lx: subtree_max_size %lu, want %lu",
				va->va_start, va->subtree_max_size, want);
		if (prev && prev->va_end == va->va_start)
			vm_problem(c, "free areas not merged at 0x%lx",
				   va->va_start);
		prev = va;
	}
}

/* Busy, lazy and free ranges tile [1, ULONG_MAX). */
static void check_tiling(struct vm_check *c, struct vmalloc_state *s)
{
	struct list_head *heads[3] = { &s->busy_list, &s->lazy_list,
				       &s->free_list };
	struct list_head *pos[3] = { s->busy_list.next, s->lazy_list.next,
				     s->free_list.next };
	unsigned long at = 1;

	for (;;) {
		int k = -1;

		for (int i = 0; i < 3; i++)
			if (pos[i] != heads[i] &&
			    list_entry(pos[i], struct vmap_area, list)
					    ->va_start == at)
				k = i;
		if (k < 0)
			break;
		at = list_entry(pos[k], struct vmap_area, list)->va_end;
		pos[k] = pos[k]->next;
	}
	if (at != ULONG_MAX)
		vm_problem(c, "no busy, lazy or free area at 0x%lx", at);
}

static void check_busy_area(struct vm_check *c, const struct vmap_area *va,
			    unsigned long *vmalloc_pages)
{
	const struct vm_struct *vm = va->vm;
	unsigned int level;
	pte_t *pte;

	if (!vm)
		return;
	if (vm->addr != vmalloc_ptr(va->va_start) || vm->size != va_size(va))
		vm_problem(c, "area 0x%lx: vm_struct does not match its range",
			   va->va_start);
	for (unsigned int i = 0; i < vm->nr_pages && vm->pages; i++) {
		unsigned long a = va->va_start + i * PAGE_SIZE;

		pte = lookup_address(a, &level);
		if (!pte || level != PG_LEVEL_4K ||
		    !pte_present(ptep_get(pte)) ||
		    pte_pfn(ptep_get(pte)) != page_to_pfn(vm->pages[i]))
			vm_problem(c, "area 0x%lx: page %u not mapped at 0x%lx",
				   va->va_start, i, a);
	}
	if (!(vm->flags & VM_NO_GUARD)) {
		pte = lookup_address(va->va_end - PAGE_SIZE, &level);
		if (pte && level == PG_LEVEL_4K && !pte_none(ptep_get(pte)))
			vm_problem(c, "area 0x%lx: guard page mapped",
				   va->va_start);
	}
	if (vm->flags & VM_ALLOC)
		*vmalloc_pages += vm->nr_pages;
}

unsigned long check_vmalloc_invariants(void)
{
	struct vmalloc_state *s = M->vmalloc;
	struct vm_check c = { 0 };
	unsigned long lazy = 0, pages = 0;
	struct vmap_area *va;

	if (!s)
		return 0;
	check_tree(&c, "busy", &s->busy_root, &s->busy_list);
	check_tree(&c, "lazy", &s->lazy_root, &s->lazy_list);
	check_tree(&c, "free", &s->free_root, &s->free_list);
	check_free_tree(&c, s);
	check_tiling(&c, s);
	list_for_each_entry(va, &s->busy_list, list)
		check_busy_area(&c, va, &pages);
	list_for_each_entry(va, &s->lazy_list, list)
		lazy += va_size(va) >> PAGE_SHIFT;
	if (lazy != s->lazy_nr)
		vm_problem(&c, "vmap_lazy_nr is %lu, lazy areas hold %lu pages",
			   s->lazy_nr, lazy);
	if (pages != s->nr_vmalloc_pages)
		vm_problem(&c,
			   "nr_vmalloc_pages is %lu, vmalloc areas hold %lu",
			   s->nr_vmalloc_pages, pages);
	return c.problems;
}
