/* madvise() (mm/madvise.c): advice applied VMA by VMA over a range, holes
 * skipped but reported as -ENOMEM at the end. Flag advice (NORMAL,
 * SEQUENTIAL, RANDOM, DONTFORK, WIPEONFORK, DONTDUMP, HUGEPAGE,
 * MERGEABLE and their opposites) splits and merges VMAs; DONTNEED zaps
 * the pages (the next touch reads zeros, or the object's page for shared
 * memory); FREE makes private pages lazily freeable (clean, moved to the
 * inactive file list with PG_swapbacked cleared, as Linux counts
 * LazyFree); WILLNEED reads swapped-out pages in; COLD ages pages;
 * PAGEOUT reclaims at once: anonymous pages to swap when there is swap,
 * clean shmem and lazily freed pages dropped; REMOVE punches a hole in shared memory;
 * POPULATE_READ/WRITE fault the range in. */
#include <errno.h>

#include "fs/fs.h"
#include "kernel/syscalls.h"
#include "mm/pagewalk.h"
#include "mm/rmap.h"
#include "mm/shmem.h"
#include "mm/swap.h"
#include "mm/vma.h"
#include "mm/vmstat.h"

static bool madvise_behavior_valid(int behavior)
{
	switch (behavior) {
	case MADV_DOFORK:
	case MADV_DONTFORK:
	case MADV_NORMAL:
	case MADV_SEQUENTIAL:
	case MADV_RANDOM:
	case MADV_REMOVE:
	case MADV_WILLNEED:
	case MADV_DONTNEED:
	case MADV_DONTNEED_LOCKED:
	case MADV_FREE:
	case MADV_COLD:
	case MADV_PAGEOUT:
	case MADV_POPULATE_READ:
	case MADV_POPULATE_WRITE:
	case MADV_MERGEABLE:
	case MADV_UNMERGEABLE:
	case MADV_HUGEPAGE:
	case MADV_NOHUGEPAGE:
	case MADV_COLLAPSE:
	case MADV_DONTDUMP:
	case MADV_DODUMP:
	case MADV_WIPEONFORK:
	case MADV_KEEPONFORK:
	case MADV_GUARD_INSTALL:
	case MADV_GUARD_REMOVE:
	case MADV_HWPOISON:
	case MADV_SOFT_OFFLINE:
		return true;
	default:
		return false;
	}
}

/* ---- flag advice ----------------------------------------------------------------- */

/* Gives [start, end) of vma the flags new_flags (madvise_update_vma);
 * *prev is the VMA holding the range after splits and merges. */
static int madvise_update_vma(struct vm_area_struct *vma,
			      struct vm_area_struct **prev, unsigned long start,
			      unsigned long end, vm_flags_t new_flags)
{
	int err;

	if (new_flags == vma->vm_flags) {
		*prev = vma;
		return 0;
	}
	vma = vma_modify_flags(vma, start, end, new_flags, &err);
	if (!vma)
		return err;
	*prev = vma;
	return 0;
}

/* The flags an advice asks for, or -EINVAL where it does not apply. */
static int madvise_new_flags(const struct vm_area_struct *vma, int behavior,
			     vm_flags_t *flags)
{
	vm_flags_t f = *flags;

	switch (behavior) {
	case MADV_NORMAL:
		f &= ~(VM_RAND_READ | VM_SEQ_READ);
		break;
	case MADV_SEQUENTIAL:
		f = (f & ~VM_RAND_READ) | VM_SEQ_READ;
		break;
	case MADV_RANDOM:
		f = (f & ~VM_SEQ_READ) | VM_RAND_READ;
		break;
	case MADV_DONTFORK:
		f |= VM_DONTCOPY;
		break;
	case MADV_DOFORK:
		if (f & VM_IO)
			return -EINVAL;
		f &= ~VM_DONTCOPY;
		break;
	case MADV_WIPEONFORK:
		/* anonymous private memory only */
		if (vma->vm_file || (f & VM_SHARED))
			return -EINVAL;
		f |= VM_WIPEONFORK;
		break;
	case MADV_KEEPONFORK:
		f &= ~VM_WIPEONFORK;
		break;
	case MADV_DONTDUMP:
		f |= VM_DONTDUMP;
		break;
	case MADV_DODUMP:
		if (!(f & VM_HUGETLB) && (f & VM_SPECIAL))
			return -EINVAL;
		f &= ~VM_DONTDUMP;
		break;
	case MADV_MERGEABLE:
		/* ksm_madvise() ignores what KSM cannot merge */
		if (!(f & (VM_MERGEABLE | VM_SHARED | VM_MAYSHARE | VM_PFNMAP |
			   VM_IO | VM_DONTEXPAND | VM_HUGETLB | VM_MIXEDMAP)))
			f |= VM_MERGEABLE;
		break;
	case MADV_UNMERGEABLE:
		f &= ~VM_MERGEABLE;
		break;
	case MADV_HUGEPAGE:
		f = (f & ~VM_NOHUGEPAGE) | VM_HUGEPAGE;
		break;
	case MADV_NOHUGEPAGE:
		f = (f & ~VM_HUGEPAGE) | VM_NOHUGEPAGE;
		break;
	}
	*flags = f;
	return 0;
}

/* ---- DONTNEED and FREE ------------------------------------------------------------ */

/* A clean private page that reclaim may drop instead of swapping
 * (folio_mark_lazyfree): off the anon lists, onto the inactive file
 * list, PG_swapbacked cleared. */
static void mark_page_lazyfree(struct page *page)
{
	if (!PageAnon(page) || !test_bit_flag(page, PG_swapbacked) ||
	    test_bit_flag(page, PG_unevictable) || !PageLRU(page))
		return;
	lruvec_del_page(page);
	page->flags &= ~(1UL << PG_active | 1UL << PG_referenced |
			 1UL << PG_swapbacked);
	lru_cache_add(page);
	count_vm_event(PGLAZYFREE);
}

static int madvise_free_pte(pte_t *pte, unsigned long addr, unsigned long next,
			    struct mm_walk *walk)
{
	struct mmu_gather *tlb = walk->private;
	pte_t v = ptep_get(pte);
	struct page *page;

	(void)next;
	if (is_swap_pte(v)) {
		/* Its contents may go: the slot is freed now
		 * (madvise_free_pte_range). */
		pte_clear(walk->mm, addr, pte);
		dec_mm_counter(walk->mm, MM_SWAPENTS);
		free_swap_and_cache(pte_to_swp_entry(v));
		return 0;
	}
	page = walk_pte_page(pte, addr, walk);
	if (!page || !PageAnon(page))
		return 0;
	if (PageDirty(page)) {
		if (page_mapcount(page) != 1)
			return 0;
		ClearPageDirty(page);
	}
	if (pte_young(v) || pte_dirty(v)) {
		set_pte_at(walk->mm, addr, pte, pte_mkclean(pte_mkold(v)));
		tlb_remove_tlb_entry(tlb, pte, addr);
	}
	mark_page_lazyfree(page);
	return 0;
}

static const struct mm_walk_ops madvise_free_ops = {
	.pte_entry = madvise_free_pte,
};

static int madvise_free_single_vma(struct vm_area_struct *vma,
				   unsigned long start, unsigned long end)
{
	struct mmu_gather tlb;

	/* MADV_FREE works for anonymous memory only. */
	if (!vma_is_anonymous(vma))
		return -EINVAL;
	tlb_gather_mmu(&tlb, vma->vm_mm);
	walk_page_range(vma->vm_mm, start, end, &madvise_free_ops, vma, &tlb);
	tlb_finish_mmu(&tlb);
	return 0;
}

static int madvise_dontneed_free(struct vm_area_struct *vma,
				 struct vm_area_struct **prev,
				 unsigned long start, unsigned long end,
				 int behavior)
{
	vm_flags_t forbidden = VM_PFNMAP;

	*prev = vma;
	if (behavior != MADV_DONTNEED_LOCKED)
		forbidden |= VM_LOCKED;
	if (vma->vm_flags & forbidden)
		return -EINVAL;
	if (behavior == MADV_FREE)
		return madvise_free_single_vma(vma, start, end);
	zap_page_range_single(vma, start, end - start);
	return 0;
}

/* ---- COLD ------------------------------------------------------------------------- */

/* Pages only this mapping uses lose their young bit and their place on
 * the active list (madvise_cold_or_pageout_pte_range). */
static int madvise_cold_pte(pte_t *pte, unsigned long addr, unsigned long next,
			    struct mm_walk *walk)
{
	struct mmu_gather *tlb = walk->private;
	pte_t v = ptep_get(pte);
	struct page *page = walk_pte_page(pte, addr, walk);

	(void)next;
	if (!page || !PageLRU(page) || page_mapcount(page) != 1)
		return 0;
	if (pte_young(v)) {
		set_pte_at(walk->mm, addr, pte, pte_mkold(v));
		tlb_remove_tlb_entry(tlb, pte, addr);
	}
	page->flags &= ~(1UL << PG_referenced);
	if (test_bit_flag(page, PG_active) &&
	    !test_bit_flag(page, PG_unevictable)) {
		lruvec_del_page(page);
		page->flags &= ~(1UL << PG_active);
		lru_cache_add(page);
		count_vm_event(PGDEACTIVATE);
	}
	return 0;
}

static const struct mm_walk_ops madvise_cold_ops = {
	.pte_entry = madvise_cold_pte,
};

/* ---- PAGEOUT: reclaim without swap ----------------------------------------------- */

/* Reclaim could not free the page: back on the active list
 * (shrink_folio_list's activate_locked). */
static void reclaim_activate(struct page *page)
{
	lruvec_del_page(page);
	page->flags |= 1UL << PG_active;
	lru_cache_add(page);
	count_vm_event(PGACTIVATE);
}

/* Takes this PTE's mapping of page away (try_to_unmap_one for a page
 * mapped once); a dirty PTE dirties the page. */
static void reclaim_unmap(struct mm_walk *walk, pte_t *pte, unsigned long addr,
			  struct page *page)
{
	pte_t v = ptep_get_and_clear(walk->mm, addr, pte);

	tlb_remove_tlb_entry((struct mmu_gather *)walk->private, pte, addr);
	if (pte_dirty(v))
		SetPageDirty(page);
	dec_mm_counter(walk->mm, mm_counter(page));
	page_remove_rmap(page, walk->vma);
	tlb_remove_page(walk->private, page);
}

/* What the walks of COLD and PAGEOUT carry: the TLB batch first (the
 * PTE callbacks take walk->private as one), then the pages to reclaim. */
struct pageout_walk {
	struct mmu_gather tlb;
	struct list_head pages;
};

/* One page MADV_PAGEOUT reclaims now (madvise_cold_or_pageout_pte_range,
 * reclaim_pages). An anonymous page goes to swap when there is swap
 * (after the walk); without swap it can only be activated; a
 * lazily freed page is dropped if still clean; a shmem page is unmapped,
 * and dropped when clean, else activated. */
static int madvise_pageout_pte(pte_t *pte, unsigned long addr,
			       unsigned long next, struct mm_walk *walk)
{
	pte_t v = ptep_get(pte);
	struct page *page = walk_pte_page(pte, addr, walk);

	(void)next;
	if (!page || !PageLRU(page) || page_mapcount(page) != 1 ||
	    test_bit_flag(page, PG_unevictable))
		return 0;
	page->flags &= ~(1UL << PG_referenced);
	if (PageAnon(page) && test_bit_flag(page, PG_swapbacked) &&
	    get_nr_swap_pages() > 0) {
		/* Swapped out after the walk (reclaim_pages). */
		struct pageout_walk *pw = walk->private;

		if (pte_young(v))
			set_pte_at(walk->mm, addr, pte, pte_mkold(v));
		if (isolate_lru_page(page))
			list_add_tail(&page->lru, &pw->pages);
	} else if (PageAnon(page) && test_bit_flag(page, PG_swapbacked)) {
		reclaim_activate(page);
	} else if (PageAnon(page)) {
		if (!pte_dirty(v) && !PageDirty(page)) {
			reclaim_unmap(walk, pte, addr, page);
			count_vm_event(PGLAZYFREED);
			return 0;
		}
		page->flags |= 1UL << PG_swapbacked;
		reclaim_activate(page);
	} else {
		reclaim_unmap(walk, pte, addr, page);
		if (PageDirty(page))
			reclaim_activate(page);
		else
			shmem_reclaim_page(page);
	}
	return 0;
}

static const struct mm_walk_ops madvise_pageout_ops = {
	.pte_entry = madvise_pageout_pte,
};

/* MADV_COLD and MADV_PAGEOUT (madvise_cold, madvise_pageout). */
static int madvise_cold(struct vm_area_struct *vma,
			struct vm_area_struct **prev, unsigned long start,
			unsigned long end, int behavior)
{
	struct pageout_walk pw;

	*prev = vma;
	if (vma->vm_flags & (VM_LOCKED | VM_PFNMAP | VM_HUGETLB))
		return -EINVAL;
	INIT_LIST_HEAD(&pw.pages);
	tlb_gather_mmu(&pw.tlb, vma->vm_mm);
	walk_page_range(vma->vm_mm, start, end,
			behavior == MADV_PAGEOUT ? &madvise_pageout_ops :
						   &madvise_cold_ops,
			vma, &pw);
	tlb_finish_mmu(&pw.tlb);
	if (!list_empty(&pw.pages))
		reclaim_pages(&pw.pages);
	return 0;
}

/* ---- WILLNEED ---------------------------------------------------------------------- */

static int madvise_willneed_pte(pte_t *pte, unsigned long addr,
				unsigned long next, struct mm_walk *walk)
{
	pte_t v = ptep_get(pte);

	(void)addr, (void)next, (void)walk;
	if (is_swap_pte(v))
		swapin_prefetch(pte_to_swp_entry(v));
	return 0;
}

static const struct mm_walk_ops madvise_willneed_ops = {
	.pte_entry = madvise_willneed_pte,
};

/* ---- REMOVE ------------------------------------------------------------------------ */

/* Frees the backing store of a shared writable mapping's range
 * (madvise_remove: fallocate PUNCH_HOLE|KEEP_SIZE). */
static int madvise_remove(struct vm_area_struct *vma,
			  struct vm_area_struct **prev, unsigned long start,
			  unsigned long end)
{
	unsigned long first = linear_page_index(vma, start);

	*prev = NULL; /* Linux drops mmap_lock: look the VMA up again */
	if (vma->vm_flags & VM_LOCKED)
		return -EINVAL;
	if (!vma->vm_file || !shmem_mapping(vma->vm_file->f_mapping))
		return -EINVAL;
	if ((vma->vm_flags & (VM_SHARED | VM_MAYWRITE)) !=
	    (VM_SHARED | VM_MAYWRITE))
		return -EACCES;
	shmem_punch_hole(vma->vm_file, first,
			 first + ((end - start) >> PAGE_SHIFT));
	return 0;
}

/* ---- the walk ------------------------------------------------------------------------- */

static int madvise_vma_behavior(struct vm_area_struct *vma,
				struct vm_area_struct **prev,
				unsigned long start, unsigned long end,
				int behavior)
{
	vm_flags_t new_flags = vma->vm_flags;
	int err;

	switch (behavior) {
	case MADV_REMOVE:
		return madvise_remove(vma, prev, start, end);
	case MADV_WILLNEED:
		/* Swapped-out anonymous pages are read in (swapin_walk_pmd_entry);
		 * there is no file readahead. */
		*prev = vma;
		walk_page_range(vma->vm_mm, start, end, &madvise_willneed_ops,
				vma, NULL);
		return 0;
	case MADV_COLD:
	case MADV_PAGEOUT:
		return madvise_cold(vma, prev, start, end, behavior);
	case MADV_FREE:
	case MADV_DONTNEED:
	case MADV_DONTNEED_LOCKED:
		return madvise_dontneed_free(vma, prev, start, end, behavior);
	case MADV_COLLAPSE:
	case MADV_GUARD_INSTALL:
	case MADV_GUARD_REMOVE:
		/* No huge pages and no guard markers in mmsim. */
		*prev = vma;
		return -EINVAL;
	}
	err = madvise_new_flags(vma, behavior, &new_flags);
	if (!err)
		err = madvise_update_vma(vma, prev, start, end, new_flags);
	/* Kernel resources short for a split: EAGAIN. */
	return err == -ENOMEM ? -EAGAIN : err;
}

/* Applies behavior to each VMA of [start, end); holes are skipped but
 * make the result -ENOMEM (madvise_walk_vmas). */
static int madvise_walk_vmas(unsigned long start, unsigned long end,
			     int behavior)
{
	struct mm_struct *mm = current->mm;
	struct vm_area_struct *prev, *vma = find_vma_prev(mm, start, &prev);
	int unmapped_error = 0;

	if (vma && start > vma->vm_start)
		prev = vma;
	for (;;) {
		unsigned long tmp;
		int err;

		if (!vma)
			return -ENOMEM;
		if (start < vma->vm_start) {
			unmapped_error = -ENOMEM;
			start = vma->vm_start;
			if (start >= end)
				break;
		}
		tmp = min(vma->vm_end, end);
		err = madvise_vma_behavior(vma, &prev, start, tmp, behavior);
		if (err)
			return err;
		start = tmp;
		if (prev && start < prev->vm_end)
			start = prev->vm_end;
		if (start >= end)
			break;
		vma = find_vma(mm, prev ? prev->vm_end : start);
	}
	return unmapped_error;
}

/* ---- POPULATE_(READ|WRITE) --------------------------------------------------------- */

/* What get_user_pages checks of a VMA before faulting (check_vma_flags,
 * without FOLL_FORCE). */
static bool populate_allowed(const struct vm_area_struct *vma, bool write)
{
	if (vma->vm_flags & (VM_IO | VM_PFNMAP))
		return false;
	return write ? (vma->vm_flags & VM_WRITE) : (vma->vm_flags & VM_READ);
}

/* Faults in [start, end) for reading or writing (madvise_populate):
 * -ENOMEM at a hole or out of memory, -EINVAL for a VMA without the
 * rights, -EFAULT where an access would take a signal. */
static int madvise_populate(unsigned long start, unsigned long end, bool write)
{
	struct mm_struct *mm = current->mm;

	for (unsigned long a = start; a < end; a += PAGE_SIZE) {
		struct vm_area_struct *vma = vma_lookup(mm, a);
		pte_t *pte;
		unsigned ret;

		if (!vma)
			return -ENOMEM;
		if (!populate_allowed(vma, write))
			return -EINVAL;
		pte = mm_find_pte(mm, a);
		if (pte && pte_present(ptep_get(pte)) &&
		    (!write || pte_write(ptep_get(pte))))
			continue;
		ret = handle_mm_fault(vma, a, write ? FAULT_FLAG_WRITE : 0);
		if (ret & VM_FAULT_OOM)
			return -ENOMEM;
		if (ret & VM_FAULT_ERROR)
			return -EFAULT;
	}
	return 0;
}

long sys_madvise(unsigned long start, size_t len_in, int behavior)
{
	unsigned long len, end;

	if (!madvise_behavior_valid(behavior) || offset_in_page(start))
		return -EINVAL;
	len = PAGE_ALIGN(len_in);
	/* a length rounded up from a small negative one */
	if (len_in && !len)
		return -EINVAL;
	end = start + len;
	if (end < start)
		return -EINVAL;
	if (end == start)
		return 0;
	/* Injecting memory errors needs CAP_SYS_ADMIN. */
	if (behavior == MADV_HWPOISON || behavior == MADV_SOFT_OFFLINE)
		return -EPERM;
	if (behavior == MADV_POPULATE_READ || behavior == MADV_POPULATE_WRITE)
		return madvise_populate(start, end,
					behavior == MADV_POPULATE_WRITE);
	return madvise_walk_vmas(start, end, behavior);
}
