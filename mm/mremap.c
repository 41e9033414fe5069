/* Resizing and moving mappings (mm/mremap.c, Linux 6.18): a shrink unmaps
 * the tail; a growth extends the VMA in place when the space after it is
 * free, else (MREMAP_MAYMOVE) moves it; MREMAP_FIXED moves to a given
 * address (several VMAs at once, gaps kept, when the length does not
 * change) and MREMAP_DONTUNMAP leaves the old range mapped but empty.
 * A move copies the VMA (merging at the destination when it can) and
 * moves the page tables: PTEs, or whole PTE tables when a PMD's range
 * moves, so pages keep their anon_vma and index (vm_pgoff is kept). */
#include <errno.h>

#include "arch/tlbflush.h"
#include "fs/fs.h"
#include "kernel/printk.h"
#include "kernel/syscalls.h"
#include "mm/rmap.h"
#include "mm/vma.h"

enum mremap_type {
	MREMAP_INVALID,
	MREMAP_NO_RESIZE, /* old_len == new_len */
	MREMAP_SHRINK,
	MREMAP_EXPAND,
};

/* One mremap() operation, as it goes (struct vma_remap_struct). */
struct vma_remap_struct {
	unsigned long addr, old_len, new_len, flags, new_addr;
	struct vm_area_struct *vma;
	unsigned long delta; /* |old_len - new_len| */
	enum mremap_type remap_type;
	unsigned long charged; /* pages charged to Committed_AS */
	bool populate_expand; /* a locked VMA grew: fault the growth in */
};

/* ---- moving page tables -------------------------------------------------------- */

static pmd_t *alloc_new_pmd(struct mm_struct *mm, unsigned long addr)
{
	p4d_t *p4d = p4d_alloc(mm, pgd_offset(mm, addr), addr);
	pud_t *pud = p4d ? pud_alloc(mm, p4d, addr) : NULL;

	return pud ? pmd_alloc(mm, pud, addr) : NULL;
}

/* The bytes from `from` to the next PMD boundary of from or of to, at
 * most up to old_end (get_extent). */
static unsigned long get_extent(unsigned long from, unsigned long old_end,
				unsigned long to)
{
	unsigned long extent = ((from + PMD_SIZE) & PMD_MASK) - from;

	extent = min(extent, old_end - from);
	return min(extent, ((to + PMD_SIZE) & PMD_MASK) - to);
}

/* A whole PTE table changes PMD slot (move_normal_pmd, x86's
 * HAVE_MOVE_PMD); false when the destination has a table already. */
static bool move_normal_pmd(struct vm_area_struct *vma, unsigned long from,
			    pmd_t *old_pmd, pmd_t *new_pmd)
{
	pmd_t pmd = pmdp_get(old_pmd);

	if (!pmd_none(pmdp_get(new_pmd)) || !pmd_present(pmd) ||
	    pmd_leaf(pmd) || pmd_bad(pmd))
		return false;
	pmd_clear(old_pmd);
	set_pmd(new_pmd, pmd);
	flush_tlb_range(vma, from, from + PMD_SIZE);
	return true;
}

/* Moves the PTEs of [from, from + extent) to `to` (move_ptes); moved
 * present entries get soft-dirty, and the old range is flushed. */
static void move_ptes(struct vm_area_struct *vma, pmd_t *old_pmd,
		      unsigned long from, unsigned long extent, pmd_t *new_pmd,
		      unsigned long to)
{
	struct mm_struct *mm = vma->vm_mm;
	bool force_flush = false;

	for (unsigned long off = 0; off < extent; off += PAGE_SIZE) {
		pte_t *src = pte_offset_map(old_pmd, from + off);
		pte_t *dst = pte_offset_map(new_pmd, to + off);
		pte_t pte = ptep_get(src);

		if (pte_none(pte))
			continue;
		if (pte_present(pte)) {
			force_flush = true;
			pte = pte_set_flags(pte, ptfmt()->soft_dirty);
		}
		pte_clear(mm, from + off, src);
		set_pte_at(mm, to + off, dst, pte);
	}
	if (force_flush)
		flush_tlb_range(vma, from, from + extent);
}

/* Moves the page tables of [old_addr, old_addr + len) to new_addr:
 * returns the bytes moved, short when a table could not be allocated. */
static unsigned long move_page_tables(struct vm_area_struct *vma,
				      unsigned long old_addr,
				      struct vm_area_struct *new_vma,
				      unsigned long new_addr, unsigned long len)
{
	struct mm_struct *mm = vma->vm_mm;
	unsigned long from = old_addr, to = new_addr, old_end = old_addr + len;
	unsigned long extent;

	for (; from < old_end; from += extent, to += extent) {
		pmd_t *old_pmd, *new_pmd;

		extent = get_extent(from, old_end, to);
		old_pmd = mm_find_pmd(mm, from);
		if (!old_pmd)
			continue;
		new_pmd = alloc_new_pmd(new_vma->vm_mm, to);
		if (!new_pmd)
			break;
		if (extent == PMD_SIZE &&
		    move_normal_pmd(vma, from, old_pmd, new_pmd))
			continue;
		if (pte_alloc(new_vma->vm_mm, new_pmd))
			break;
		move_ptes(vma, old_pmd, from, extent, new_pmd, to);
	}
	return from - old_addr;
}

/* ---- the VMA at the destination ---------------------------------------------------- */

static bool vma_had_uncowed_parents(const struct vm_area_struct *vma)
{
	return vma && vma->anon_vma && !list_is_singular(&vma->anon_vma_chain);
}

/* Whether tgt, next to the new range of src's kind at pgoff, can take
 * it over (is_mergeable_vma + is_mergeable_anon_vma for a copy). */
static bool copy_mergeable(const struct vm_area_struct *tgt,
			   const struct vm_area_struct *src)
{
	if ((tgt->vm_flags ^ src->vm_flags) & ~VM_IGNORE_MERGE)
		return false;
	if (tgt->vm_file != src->vm_file || tgt->vm_ops != src->vm_ops)
		return false;
	if (!tgt->anon_vma && src->anon_vma)
		return !vma_had_uncowed_parents(src);
	if (tgt->anon_vma && !src->anon_vma)
		return !vma_had_uncowed_parents(tgt);
	return tgt->anon_vma == src->anon_vma;
}

/* tgt takes src's anon_vma when it has none (dup_anon_vma). */
static int dup_anon_vma(struct vm_area_struct *tgt, struct vm_area_struct *src)
{
	if (!src->anon_vma || tgt->anon_vma)
		return 0;
	if (anon_vma_clone(tgt, src))
		return -ENOMEM;
	tgt->anon_vma = src->anon_vma;
	tgt->anon_vma->num_active_vmas++;
	return 0;
}

/* Extends prev and/or next over [addr, addr + len), a range of src at
 * pgoff (vma_merge_new_range); NULL when neither can. */
static struct vm_area_struct *merge_new_range(struct vm_area_struct *src,
					      unsigned long addr,
					      unsigned long len,
					      unsigned long pgoff)
{
	struct mm_struct *mm = src->vm_mm;
	struct vm_area_struct *prev, *next = find_vma_prev(mm, addr, &prev);
	unsigned long end = addr + len;
	bool left, right;

	if (src->vm_flags & VM_SPECIAL)
		return NULL;
	left = prev && prev->vm_end == addr && copy_mergeable(prev, src) &&
	       prev->vm_pgoff + vma_pages(prev) == pgoff;
	right = next && next->vm_start == end && copy_mergeable(next, src) &&
		next->vm_pgoff == pgoff + (len >> PAGE_SHIFT);
	/* Merging all three also needs prev and next to agree. */
	if (left && right && prev->anon_vma && next->anon_vma &&
	    prev->anon_vma != next->anon_vma)
		right = false;
	if (left) {
		if (dup_anon_vma(prev, src))
			return NULL;
		if (right && dup_anon_vma(prev, next))
			right = false;
		if (right) {
			end = next->vm_end;
			vma_unlink(next);
			remove_vma(next);
		}
		vma_set_range(prev, prev->vm_start, end, prev->vm_pgoff);
		return prev;
	}
	if (right) {
		if (dup_anon_vma(next, src))
			return NULL;
		vma_set_range(next, addr, next->vm_end, pgoff);
		return next;
	}
	return NULL;
}

/* A VMA for [addr, addr + len) copied from *vmap at pgoff, merged with
 * the destination's neighbours when it can be (copy_vma). When the
 * source itself absorbed the range, *vmap becomes the merged VMA. */
static struct vm_area_struct *copy_vma(struct vm_area_struct **vmap,
				       unsigned long addr, unsigned long len,
				       unsigned long pgoff)
{
	struct vm_area_struct *vma = *vmap, *copy;
	unsigned long vma_start = vma->vm_start;

	/* Never faulted: a fresh pgoff lets it merge where it lands. */
	if (vma_is_anonymous(vma) && !vma->anon_vma)
		pgoff = addr >> PAGE_SHIFT;
	copy = merge_new_range(vma, addr, len, pgoff);
	if (copy) {
		if (vma_start >= copy->vm_start && vma_start < copy->vm_end)
			*vmap = copy;
		return copy;
	}
	copy = vm_area_dup(vma);
	if (!copy)
		return NULL;
	copy->vm_start = addr;
	copy->vm_end = addr + len;
	copy->vm_pgoff = pgoff;
	if (anon_vma_clone(copy, vma)) {
		vm_area_free(copy);
		return NULL;
	}
	if (copy->vm_file)
		get_file(copy->vm_file);
	if (copy->vm_ops && copy->vm_ops->open)
		copy->vm_ops->open(copy);
	vma_link(vma->vm_mm, copy);
	return copy;
}

/* ---- accounting ------------------------------------------------------------------- */

/* Charges the pages the operation adds, for VM_ACCOUNT mappings: all of
 * new_len when the old range stays (DONTUNMAP), else the growth
 * (vrm_calc_charge). */
static bool vrm_calc_charge(struct vma_remap_struct *vrm)
{
	unsigned long charged;

	if (!(vrm->vma->vm_flags & VM_ACCOUNT))
		return true;
	if (vrm->flags & MREMAP_DONTUNMAP)
		charged = vrm->new_len >> PAGE_SHIFT;
	else if (vrm->remap_type == MREMAP_EXPAND)
		charged = vrm->delta >> PAGE_SHIFT;
	else
		charged = 0;
	if (security_vm_enough_memory_mm(current->mm, (long)charged))
		return false;
	vrm->charged = charged;
	return true;
}

static void vrm_uncharge(struct vma_remap_struct *vrm)
{
	if (vrm->vma->vm_flags & VM_ACCOUNT)
		vm_unacct_memory((long)vrm->charged);
	vrm->charged = 0;
}

/* total_vm and friends, and locked_vm, grow by bytes of vrm's VMA. */
static void vrm_stat_account(struct vma_remap_struct *vrm, unsigned long bytes)
{
	unsigned long pages = bytes >> PAGE_SHIFT;
	struct mm_struct *mm = current->mm;

	vm_stat_account(mm, vrm->vma->vm_flags, (long)pages);
	if (vrm->vma->vm_flags & VM_LOCKED)
		mm->locked_vm += pages;
}

/* Room for the VMAs a move may add: the copy, and a split of the source
 * (plus, before_unmaps, the splits of a shrink and of MREMAP_FIXED's
 * unmap of the destination) (__check_map_count_against_split). */
static bool map_count_allows_split(bool before_unmaps)
{
	int map_count = current->mm->map_count + (before_unmaps ? 2 : 0);

	return map_count + 2 <= M->max_map_count;
}

/* ---- moving a VMA ------------------------------------------------------------------ */

/* Unmaps the source of a move. Its VM_ACCOUNT is cleared first so the
 * unmap does not uncharge what the new VMA now holds, and put back on
 * the pieces left either side (unmap_source_vma). */
static void unmap_source_vma(struct vma_remap_struct *vrm)
{
	struct mm_struct *mm = current->mm;
	struct vm_area_struct *vma = vrm->vma;
	unsigned long addr = vrm->addr, end = addr + vrm->old_len;
	unsigned long vm_start = vma->vm_start, vm_end = vma->vm_end;
	bool accountable = (vma->vm_flags & VM_ACCOUNT) &&
			   !(vrm->flags & MREMAP_DONTUNMAP);

	if (accountable)
		vma->vm_flags &= ~VM_ACCOUNT;
	if (do_munmap(mm, addr, vrm->old_len)) {
		/* Could not split: the source stays, charged again. */
		if (accountable) {
			vma->vm_flags |= VM_ACCOUNT;
			M->vm_committed_as +=
				(long)(vrm->old_len >> PAGE_SHIFT);
		}
		vrm->vma = NULL;
		return;
	}
	vrm->vma = NULL;
	if (!accountable)
		return;
	if (vm_start < addr)
		find_vma(mm, addr - 1)->vm_flags |= VM_ACCOUNT;
	if (vm_end > end)
		find_vma(mm, end)->vm_flags |= VM_ACCOUNT;
}

/* MREMAP_DONTUNMAP: the old VMA stays, unlocked, and loses its anon_vma
 * when all of it moved (dontunmap_complete). locked_vm is left as it
 * is, as in Linux. */
static void dontunmap_complete(struct vma_remap_struct *vrm,
			       struct vm_area_struct *new_vma)
{
	struct vm_area_struct *vma = vrm->vma;

	vma->vm_flags &= ~VM_LOCKED_MASK;
	if (new_vma != vma && vrm->addr == vma->vm_start &&
	    vrm->addr + vrm->old_len == vma->vm_end)
		unlink_anon_vmas(vma);
}

/* Copies the VMA to new_addr and moves its page tables; when they do
 * not all move, moves them back and makes the new VMA the one to unmap
 * (copy_vma_and_data). */
static int copy_vma_and_data(struct vma_remap_struct *vrm,
			     struct vm_area_struct **new_vma_ptr)
{
	struct vm_area_struct *vma = vrm->vma, *new_vma;
	unsigned long pgoff =
		vma->vm_pgoff + ((vrm->addr - vma->vm_start) >> PAGE_SHIFT);
	unsigned long moved;

	new_vma = copy_vma(&vma, vrm->new_addr, vrm->new_len, pgoff);
	*new_vma_ptr = new_vma;
	if (!new_vma) {
		vrm_uncharge(vrm);
		return -ENOMEM;
	}
	vrm->vma = vma;
	moved = move_page_tables(vma, vrm->addr, new_vma, vrm->new_addr,
				 vrm->old_len);
	if (moved == vrm->old_len)
		return 0;
	move_page_tables(new_vma, vrm->new_addr, vma, vrm->addr, moved);
	vrm->vma = new_vma;
	vrm->old_len = vrm->new_len;
	vrm->addr = vrm->new_addr;
	return -ENOMEM;
}

static unsigned long move_vma(struct vma_remap_struct *vrm)
{
	struct mm_struct *mm = current->mm;
	struct vm_area_struct *new_vma;
	unsigned long hiwater_vm;
	int err;

	if (!map_count_allows_split(false))
		return -ENOMEM;
	if (!vrm_calc_charge(vrm))
		return -ENOMEM;
	err = copy_vma_and_data(vrm, &new_vma);
	if (err && !new_vma)
		return (unsigned long)err;
	/* total_vm is briefly too high: keep VmPeak as it was. */
	hiwater_vm = mm->hiwater_vm;
	vrm_stat_account(vrm, vrm->new_len);
	if (!err && (vrm->flags & MREMAP_DONTUNMAP))
		dontunmap_complete(vrm, new_vma);
	else
		unmap_source_vma(vrm);
	mm->hiwater_vm = hiwater_vm;
	return err ? (unsigned long)err : vrm->new_addr;
}

/* The destination: MREMAP_FIXED's address, a hint for
 * MREMAP_DONTUNMAP, else anywhere (vrm_set_new_addr). */
static unsigned long vrm_set_new_addr(struct vma_remap_struct *vrm)
{
	struct vm_area_struct *vma = vrm->vma;
	unsigned long pgoff =
		vma->vm_pgoff + ((vrm->addr - vma->vm_start) >> PAGE_SHIFT);
	unsigned long hint = vrm->flags & (MREMAP_FIXED | MREMAP_DONTUNMAP) ?
				     vrm->new_addr :
				     0;
	unsigned long map_flags = 0, res;

	if (vrm->flags & MREMAP_FIXED)
		map_flags |= MAP_FIXED;
	if (vma->vm_flags & VM_MAYSHARE)
		map_flags |= MAP_SHARED;
	res = get_unmapped_area(vma->vm_file, hint, vrm->new_len, pgoff,
				map_flags);
	if (IS_ERR_VALUE(res))
		return res;
	vrm->new_addr = res;
	return 0;
}

/* ---- resizing ------------------------------------------------------------------------ */

/* Unmaps what a shrink gives up; with relookup, the VMA at addr is
 * looked up again for a move to follow (shrink_vma). */
static unsigned long shrink_vma(struct vma_remap_struct *vrm, bool relookup)
{
	int err = do_munmap(current->mm, vrm->addr + vrm->new_len, vrm->delta);

	vrm->vma = NULL;
	if (err)
		return (unsigned long)err;
	if (!relookup)
		return 0;
	vrm->vma = vma_lookup(current->mm, vrm->addr);
	return vrm->vma ? 0 : (unsigned long)-EFAULT;
}

/* mremap_to(): MREMAP_FIXED (the destination unmapped first) or
 * MREMAP_DONTUNMAP. */
static unsigned long mremap_to(struct vma_remap_struct *vrm)
{
	struct mm_struct *mm = current->mm;
	unsigned long err;

	if (vrm->flags & MREMAP_FIXED) {
		err = (unsigned long)do_munmap(mm, vrm->new_addr, vrm->new_len);
		vrm->vma = NULL;
		if (err)
			return err;
		/* The unmap may have split the source VMA. */
		vrm->vma = vma_lookup(mm, vrm->addr);
		if (!vrm->vma)
			return -EFAULT;
	}
	if (vrm->remap_type == MREMAP_SHRINK) {
		err = shrink_vma(vrm, true);
		if (err)
			return err;
		vrm->old_len = vrm->new_len;
	}
	/* DONTUNMAP keeps the old range: old_len more virtual memory. */
	if ((vrm->flags & MREMAP_DONTUNMAP) &&
	    !may_expand_vm(mm, vrm->vma->vm_flags, vrm->old_len >> PAGE_SHIFT))
		return -ENOMEM;
	err = vrm_set_new_addr(vrm);
	if (err)
		return err;
	return move_vma(vrm);
}

/* The VMA can grow by delta where it is (vma_expandable). */
static bool vma_expandable(struct vm_area_struct *vma, unsigned long delta)
{
	unsigned long end = vma->vm_end + delta;

	if (end < vma->vm_end)
		return false;
	if (find_vma_intersection(vma->vm_mm, vma->vm_end, end))
		return false;
	return !offset_in_page(get_unmapped_area(
		NULL, vma->vm_start, end - vma->vm_start, 0, MAP_FIXED));
}

/* Grows the VMA in place, merging with the next one when it then can
 * (expand_vma_in_place, vma_merge_extend). */
static unsigned long expand_vma_in_place(struct vma_remap_struct *vrm)
{
	struct vm_area_struct *vma = vrm->vma;

	if (!vrm_calc_charge(vrm))
		return -ENOMEM;
	vma_set_range(vma, vma->vm_start, vma->vm_end + vrm->delta,
		      vma->vm_pgoff);
	vrm->vma = vma_merge_next(vma);
	vrm_stat_account(vrm, vrm->delta);
	return 0;
}

static unsigned long expand_vma(struct vma_remap_struct *vrm)
{
	unsigned long err;

	/* [addr, addr + old_len) must end where the VMA ends. */
	if (vrm->vma->vm_end - vrm->addr == vrm->old_len &&
	    vma_expandable(vrm->vma, vrm->delta)) {
		err = expand_vma_in_place(vrm);
		return err ? err : vrm->addr;
	}
	if (!(vrm->flags & MREMAP_MAYMOVE))
		return -ENOMEM;
	err = vrm_set_new_addr(vrm);
	if (err)
		return err;
	return move_vma(vrm);
}

/* No new address asked for: resize, moving only to grow (mremap_at). */
static unsigned long mremap_at(struct vma_remap_struct *vrm)
{
	unsigned long err;

	switch (vrm->remap_type) {
	case MREMAP_NO_RESIZE:
		return vrm->addr;
	case MREMAP_SHRINK:
		err = shrink_vma(vrm, false);
		return err ? err : vrm->addr;
	case MREMAP_EXPAND:
		return expand_vma(vrm);
	default:
		return -EINVAL;
	}
}

/* ---- checks ------------------------------------------------------------------------------ */

static bool vrm_implies_new_addr(const struct vma_remap_struct *vrm)
{
	return vrm->flags & (MREMAP_FIXED | MREMAP_DONTUNMAP);
}

static bool vrm_overlaps(const struct vma_remap_struct *vrm)
{
	return vrm->addr + vrm->old_len > vrm->new_addr &&
	       vrm->new_addr + vrm->new_len > vrm->addr;
}

/* The checks that need no VMA (check_mremap_params). */
static unsigned long check_mremap_params(const struct vma_remap_struct *vrm)
{
	unsigned long flags = vrm->flags;

	if (flags & ~(MREMAP_FIXED | MREMAP_MAYMOVE | MREMAP_DONTUNMAP))
		return -EINVAL;
	if (offset_in_page(vrm->addr))
		return -EINVAL;
	/* A zero old_len duplicates a shared mapping; a zero new_len is
	 * nonsense. */
	if (!vrm->new_len || vrm->new_len > TASK_SIZE)
		return -EINVAL;
	if (!vrm_implies_new_addr(vrm))
		return 0;
	if (vrm->new_addr > TASK_SIZE - vrm->new_len)
		return -EINVAL;
	if (offset_in_page(vrm->new_addr))
		return -EINVAL;
	if (!(flags & MREMAP_MAYMOVE))
		return -EINVAL;
	if ((flags & MREMAP_DONTUNMAP) && vrm->old_len != vrm->new_len)
		return -EINVAL;
	return vrm_overlaps(vrm) ? -EINVAL : 0;
}

/* The checks against the VMA at addr, setting delta and the kind of
 * remap (check_prep_vma). */
static int check_prep_vma(struct vma_remap_struct *vrm)
{
	struct vm_area_struct *vma = vrm->vma;
	struct mm_struct *mm = current->mm;
	unsigned long old_len = vrm->old_len, new_len = vrm->new_len, pgoff;

	if (!vma)
		return -EFAULT;
	vrm->delta = old_len > new_len ? old_len - new_len : new_len - old_len;
	vrm->remap_type = !vrm->delta	    ? MREMAP_NO_RESIZE :
			  old_len > new_len ? MREMAP_SHRINK :
					      MREMAP_EXPAND;
	if (!vrm_implies_new_addr(vrm))
		vrm->new_addr = vrm->addr;
	/* Only growing or moving maps anything new. */
	if (vrm->remap_type != MREMAP_EXPAND && !vrm_implies_new_addr(vrm))
		return 0;
	if (!old_len && !(vma->vm_flags & (VM_SHARED | VM_MAYSHARE))) {
		pr_warn_once(
			"%s (%d): attempted to duplicate a private mapping with mremap.  This is not supported.\n",
			current->comm, current->pid);
		return -EINVAL;
	}
	if ((vrm->flags & MREMAP_DONTUNMAP) &&
	    (vma->vm_flags & (VM_DONTEXPAND | VM_PFNMAP)))
		return -EINVAL;
	/* A shrink may unmap across VMA boundaries; what moves may not. */
	if (vrm->remap_type == MREMAP_SHRINK)
		old_len = new_len;
	if (old_len > vma->vm_end - vrm->addr)
		return -EFAULT;
	if (new_len == old_len)
		return 0;
	if (vma->vm_flags & VM_LOCKED)
		vrm->populate_expand = true;
	pgoff = vma->vm_pgoff + ((vrm->addr - vma->vm_start) >> PAGE_SHIFT);
	if (pgoff + (new_len >> PAGE_SHIFT) < pgoff)
		return -EINVAL;
	if (vma->vm_flags & (VM_DONTEXPAND | VM_PFNMAP))
		return -EFAULT;
	if (!mlock_future_ok(mm, vma->vm_flags & VM_LOCKED, vrm->delta))
		return -EAGAIN;
	if (!may_expand_vm(mm, vma->vm_flags, vrm->delta >> PAGE_SHIFT))
		return -ENOMEM;
	return 0;
}

/* MREMAP_FIXED without resizing moves every VMA of [addr, addr +
 * old_len), keeping the gaps between them; the range must start mapped
 * (remap_move). */
static unsigned long remap_move(struct vma_remap_struct *vrm)
{
	struct mm_struct *mm = current->mm;
	unsigned long start = vrm->addr, end = start + vrm->old_len;
	unsigned long target = vrm->new_addr, cursor = start, last_end = 0;
	unsigned long res = -EFAULT;
	struct vm_area_struct *vma;
	bool seen = false;

	while (cursor < end && (vma = find_vma_intersection(mm, cursor, end))) {
		unsigned long addr = max(vma->vm_start, start);
		unsigned long len = min(end, vma->vm_end) - addr;
		unsigned long offset = seen ? vma->vm_start - last_end : 0;
		unsigned long r;

		if (!seen && start < vma->vm_start)
			return -EFAULT;
		last_end = vma->vm_end;
		vrm->vma = vma;
		vrm->addr = addr;
		vrm->new_addr = target + offset;
		vrm->old_len = vrm->new_len = len;
		r = (unsigned long)check_prep_vma(vrm);
		if (!r)
			r = mremap_to(vrm);
		if (IS_ERR_VALUE(r))
			return r;
		if (!seen)
			res = r;
		seen = true;
		target = r + len;
		/* MREMAP_DONTUNMAP leaves the source VMA: go past it. */
		cursor = last_end;
	}
	return res;
}

long sys_mremap(unsigned long addr, unsigned long old_len,
		unsigned long new_len, unsigned long flags,
		unsigned long new_addr)
{
	struct vma_remap_struct vrm = {
		.addr = addr,
		.old_len = PAGE_ALIGN(old_len),
		.new_len = PAGE_ALIGN(new_len),
		.flags = flags,
		.new_addr = new_addr,
	};
	unsigned long res = check_mremap_params(&vrm);

	if (res)
		return (long)res;
	if (!map_count_allows_split(true))
		return -ENOMEM;
	if ((flags & MREMAP_FIXED) && vrm.old_len == vrm.new_len) {
		res = remap_move(&vrm);
	} else {
		vrm.vma = vma_lookup(current->mm, addr);
		res = (unsigned long)check_prep_vma(&vrm);
		if (!res)
			res = vrm_implies_new_addr(&vrm) ? mremap_to(&vrm) :
							   mremap_at(&vrm);
	}
	if (!IS_ERR_VALUE(res) && vrm.populate_expand)
		mm_populate(vrm.new_addr + vrm.old_len, vrm.delta);
	return (long)res;
}
