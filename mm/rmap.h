/* Reverse mapping of anonymous pages (include/linux/rmap.h): each VMA
 * with private pages has an anon_vma; anon_vma_chains link a VMA to its
 * own anon_vma and to those of the VMAs it was forked from, so every PTE
 * that maps an anonymous page can be found from the page. Linux keeps a
 * anon_vma's chains in an interval tree; mmsim keeps a list. */
#ifndef MMSIM_MM_RMAP_H
#define MMSIM_MM_RMAP_H

#include "mm/mm.h"
#include "mm/pgtable.h"

struct anon_vma {
	struct anon_vma *root; /* the anon_vma of the first process */
	struct anon_vma *parent; /* the one it was forked from */
	int refcount; /* chains, plus children through parent */
	int num_children; /* anon_vmas with this one as parent */
	int num_active_vmas; /* VMAs with this as vma->anon_vma */
	struct list_head avcs; /* anon_vma_chain.same_anon_vma */
};

struct anon_vma_chain {
	struct vm_area_struct *vma;
	struct anon_vma *anon_vma;
	struct list_head same_vma; /* in vma->anon_vma_chain */
	struct list_head same_anon_vma; /* in anon_vma->avcs */
};

bool anon_vma_init(void);
/* Gives vma an anon_vma before its first private page: a neighbour's
 * when it could merge with it (find_mergeable_anon_vma), else a new one.
 * 0 or -ENOMEM. */
int anon_vma_prepare(struct vm_area_struct *vma);
/* dst (split from or merged with src) joins every anon_vma of src. */
int anon_vma_clone(struct vm_area_struct *dst, struct vm_area_struct *src);
/* fork: vma (the child's copy of pvma) joins pvma's anon_vmas and gets
 * one of its own whose parent is pvma's, or reuses one of pvma's that no
 * VMA uses any more and that has at most one child (not the root). */
int anon_vma_fork(struct vm_area_struct *vma, struct vm_area_struct *pvma);
/* Drops every chain of vma, freeing anon_vmas nobody uses. */
void unlink_anon_vmas(struct vm_area_struct *vma);

/* The page index of address in vma's mapping (linear_page_index). */
static inline unsigned long linear_page_index(const struct vm_area_struct *vma,
					      unsigned long address)
{
	return ((address - vma->vm_start) >> PAGE_SHIFT) + vma->vm_pgoff;
}

/* A new private page mapped once at address (folio_add_new_anon_rmap). */
void page_add_new_anon_rmap(struct page *page, struct vm_area_struct *vma,
			    unsigned long address);
/* One more PTE maps an anonymous page (fork); inline, as Linux's
 * folio_dup_anon_rmap_pte, for copy_page_range's loop. */
static inline void page_dup_anon_rmap(struct page *page)
{
	page->_mapcount++;
}

/* One more PTE maps a file page (fork). */
static inline void page_dup_file_rmap(struct page *page)
{
	page->_mapcount++;
}
/* A swapped-in page is mapped at address: its first mapping since it
 * was read (page_add_new_anon_rmap) or one more (folio_add_anon_rmap_pte). */
void page_add_anon_rmap(struct page *page, struct vm_area_struct *vma,
			unsigned long address);
/* A PTE mapping page went away (folio_remove_rmap_pte). */
void page_remove_rmap(struct page *page, struct vm_area_struct *vma);

/* Calls fn for each PTE that maps the anonymous page, with its VMA and
 * address; fn returns false to stop. Returns the number of calls. */
typedef bool (*rmap_one_fn)(struct page *page, struct vm_area_struct *vma,
			    unsigned long address, pte_t *pte, void *arg);
int rmap_walk_anon(struct page *page, rmap_one_fn fn, void *arg);

#endif
