/* Changing the protection of mappings (mm/mprotect.c): mprotect() checks
 * the range and each VMA's VM_MAY* rights; mprotect_fixup() splits or
 * merges the VMAs, charges Committed_AS when a private mapping becomes
 * writable, and change_protection() rewrites the PTEs, leaving private
 * pages read-only where a write must still copy them, then the TLBs of
 * the changed range are flushed. */
#include <errno.h>

#include "kernel/syscalls.h"
#include "mm/pagewalk.h"
#include "mm/vma.h"

/* ---- PTEs ----------------------------------------------------------------------- */

/* x86's pte_needs_flush(): a TLB may cache oldpte, and newpte takes a
 * right away, changes the page or its caching, or clears D. */
static bool pte_needs_flush(pte_t oldpte, pte_t newpte)
{
	const struct pt_format *f = ptfmt();
	pteval_t oldv = pte_val(oldpte), diff = oldv ^ pte_val(newpte);
	pteval_t flush_on_clear = f->present | f->dirty;
	pteval_t flush_on_change = f->rw | f->user | f->pwt | f->pcd | f->huge |
				   f->global | f->nx | f->read | f->exec;

	if (!(oldv & f->present))
		return false;
	if (pte_pfn(oldpte) != pte_pfn(newpte))
		return true;
	return (diff & oldv & flush_on_clear) || (diff & flush_on_change);
}

/* An anonymous page only this PTE maps and nobody else holds: a write
 * fault would reuse it in place (PageAnonExclusive). */
static bool anon_page_exclusive(const struct page *page)
{
	return PageAnon(page) && page_mapcount(page) == 1 &&
	       page_ref_count(page) == 1;
}

/* Whether a PTE of a writable VMA may be made writable now, without the
 * write fault (can_change_pte_writable): an exclusive anonymous page of
 * a private mapping, or a dirty page of a shared one. */
static bool can_change_pte_writable(struct vm_area_struct *vma,
				    unsigned long addr, pte_t pte)
{
	struct page *page;

	if (!(vma->vm_flags & VM_WRITE) || pte_protnone(pte))
		return false;
	if (!(vma->vm_flags & VM_SHARED)) {
		page = vm_normal_page(vma, addr, pte);
		return page && anon_page_exclusive(page);
	}
	return pte_dirty(pte);
}

struct prot_change {
	struct mmu_gather *tlb;
	pgprot_t newprot;
	unsigned long cp_flags;
	long pages;
};

static int change_pte(pte_t *ptep, unsigned long addr, unsigned long next,
		      struct mm_walk *walk)
{
	struct prot_change *c = walk->private;
	pte_t oldpte = ptep_get(ptep), ptent;

	(void)next;
	/* Empty entries and swap entries keep no protection. */
	if (!pte_present(oldpte))
		return 0;
	ptent = pte_modify(oldpte, c->newprot);
	if ((c->cp_flags & MM_CP_TRY_CHANGE_WRITABLE) && !pte_write(ptent) &&
	    can_change_pte_writable(walk->vma, addr, ptent))
		ptent = pte_mkwrite_novma(ptent);
	set_pte_at(walk->mm, addr, ptep, ptent);
	if (pte_needs_flush(oldpte, ptent))
		tlb_flush_pte_range(c->tlb, addr, PAGE_SIZE);
	c->pages++;
	return 0;
}

static const struct mm_walk_ops change_prot_ops = {
	.pte_entry = change_pte,
};

long change_protection(struct mmu_gather *tlb, struct vm_area_struct *vma,
		       unsigned long start, unsigned long end,
		       unsigned long cp_flags)
{
	struct prot_change c = { tlb, vma->vm_page_prot, cp_flags, 0 };

	walk_page_range(vma->vm_mm, start, end, &change_prot_ops, vma, &c);
	return c.pages;
}

/* ---- VMAs ------------------------------------------------------------------------ */

/* Private writable mappings need the PTE write bit set by hand: their
 * vm_page_prot is read-only for copy-on-write. Shared anonymous memory
 * has no writenotify, so its vm_page_prot is already writable
 * (vma_wants_manual_pte_write_upgrade). */
static bool vma_wants_manual_pte_write_upgrade(const struct vm_area_struct *vma)
{
	return !(vma->vm_flags & VM_SHARED) && (vma->vm_flags & VM_WRITE);
}

/* The commit charge of a change to newflags: pages to charge (0 when
 * none), with VM_ACCOUNT set or cleared in *newflags. -ENOMEM when the
 * limits refuse it. */
static long mprotect_charge(struct vm_area_struct *vma, vm_flags_t *newflags,
			    unsigned long nrpages)
{
	struct mm_struct *mm = vma->vm_mm;
	vm_flags_t oldflags = vma->vm_flags;

	if (*newflags & VM_WRITE) {
		/* Check space limits when the area turns into data. */
		if (!may_expand_vm(mm, *newflags, nrpages) &&
		    may_expand_vm(mm, oldflags, nrpages))
			return -ENOMEM;
		if (oldflags & (VM_ACCOUNT | VM_WRITE | VM_HUGETLB | VM_SHARED |
				VM_NORESERVE))
			return 0;
		if (security_vm_enough_memory_mm(mm, (long)nrpages))
			return -ENOMEM;
		*newflags |= VM_ACCOUNT;
		return (long)nrpages;
	}
	/* Nothing was faulted in yet: the charge can go. */
	if ((oldflags & VM_ACCOUNT) && vma_is_anonymous(vma) && !vma->anon_vma)
		*newflags &= ~VM_ACCOUNT;
	return 0;
}

int mprotect_fixup(struct mmu_gather *tlb, struct vm_area_struct *vma,
		   struct vm_area_struct **pprev, unsigned long start,
		   unsigned long end, vm_flags_t newflags)
{
	struct mm_struct *mm = vma->vm_mm;
	vm_flags_t oldflags = vma->vm_flags;
	unsigned long nrpages = (end - start) >> PAGE_SHIFT;
	unsigned long cp_flags = 0;
	long charged;
	int err;

	if (newflags == oldflags) {
		*pprev = vma;
		return 0;
	}
	charged = mprotect_charge(vma, &newflags, nrpages);
	if (charged < 0)
		return (int)charged;
	vma = vma_modify_flags(vma, start, end, newflags, &err);
	if (!vma) {
		vm_unacct_memory(charged);
		return err;
	}
	*pprev = vma;
	if (vma_wants_manual_pte_write_upgrade(vma))
		cp_flags |= MM_CP_TRY_CHANGE_WRITABLE;
	change_protection(tlb, vma, start, end, cp_flags);
	if ((oldflags & VM_ACCOUNT) && !(newflags & VM_ACCOUNT))
		vm_unacct_memory((long)nrpages);
	/* A private locked VMA becoming writable: break COW now. */
	if ((oldflags & (VM_WRITE | VM_SHARED | VM_LOCKED)) == VM_LOCKED &&
	    (newflags & VM_WRITE))
		populate_vma_page_range(vma, start, end);
	vm_stat_account(mm, oldflags, -(long)nrpages);
	vm_stat_account(mm, newflags, (long)nrpages);
	return 0;
}

/* ---- the system call ---------------------------------------------------------------- */

/* The prot bits x86 accepts (arch_validate_prot). */
static bool arch_validate_prot(unsigned long prot)
{
	return !(prot & ~(PROT_READ | PROT_WRITE | PROT_EXEC | PROT_SEM));
}

/* The VMA mprotect starts at: it must contain start, or with
 * PROT_GROWSDOWN be a stack overlapping the range (whose start then
 * becomes the start). -errno when there is none. */
static struct vm_area_struct *mprotect_first_vma(struct mm_struct *mm,
						 unsigned long *start,
						 unsigned long end, int grows,
						 int *err)
{
	struct vm_area_struct *vma = find_vma_intersection(mm, *start, end);

	*err = -ENOMEM;
	if (!vma)
		return NULL;
	if (grows & PROT_GROWSDOWN) {
		*start = vma->vm_start;
		*err = -EINVAL;
		return vma->vm_flags & VM_GROWSDOWN ? vma : NULL;
	}
	if (vma->vm_start > *start)
		return NULL;
	/* x86 has no VM_GROWSUP stacks. */
	*err = -EINVAL;
	return grows & PROT_GROWSUP ? NULL : vma;
}

/* Applies prot VMA by VMA from vma; stops at a hole (-ENOMEM) or at a
 * VMA whose VM_MAY* bits refuse prot (-EACCES), keeping the changes
 * made before it, as Linux does. */
static int mprotect_vmas(struct vm_area_struct *vma, unsigned long start,
			 unsigned long end, unsigned long prot)
{
	unsigned long nstart = start, tmp = vma->vm_start;
	struct vm_area_struct *prev = NULL;
	struct mmu_gather tlb;
	int err = 0;

	tlb_gather_mmu(&tlb, vma->vm_mm);
	while (vma && vma->vm_start < end) {
		vm_flags_t newflags;

		if (vma->vm_start != tmp) {
			err = -ENOMEM;
			break;
		}
		newflags = calc_vm_prot_bits(prot) |
			   (vma->vm_flags & ~VM_ACCESS_FLAGS);
		/* newflags >> 4 shifts VM_MAY* in place of VM_* */
		if ((newflags & ~(newflags >> 4)) & VM_ACCESS_FLAGS) {
			err = -EACCES;
			break;
		}
		tmp = min(vma->vm_end, end);
		err = mprotect_fixup(&tlb, vma, &prev, nstart, tmp, newflags);
		if (err)
			break;
		tmp = prev->vm_end;
		nstart = tmp;
		vma = prev->vm_next;
	}
	tlb_finish_mmu(&tlb);
	if (!err && tmp < end)
		err = -ENOMEM;
	return err;
}

long sys_mprotect(unsigned long start, size_t len, unsigned long prot)
{
	int grows = (int)(prot & (PROT_GROWSDOWN | PROT_GROWSUP));
	struct vm_area_struct *vma;
	unsigned long end;
	int err;

	prot &= ~(unsigned long)(PROT_GROWSDOWN | PROT_GROWSUP);
	if (grows == (PROT_GROWSDOWN | PROT_GROWSUP))
		return -EINVAL;
	if (offset_in_page(start))
		return -EINVAL;
	if (!len)
		return 0;
	len = PAGE_ALIGN(len);
	end = start + len;
	if (end <= start)
		return -ENOMEM;
	if (!arch_validate_prot(prot))
		return -EINVAL;
	vma = mprotect_first_vma(current->mm, &start, end, grows, &err);
	if (!vma)
		return err;
	return mprotect_vmas(vma, start, end, prot);
}
