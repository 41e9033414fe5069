/* Locking memory (mm/mlock.c): mlock, mlock2, munlock, mlockall and
 * munlockall set VM_LOCKED (and VM_LOCKONFAULT) on VMAs within
 * RLIMIT_MEMLOCK (tasks lack CAP_IPC_LOCK), keep mm->locked_vm, and
 * move the pages they map to the unevictable list as PG_mlocked, with a
 * per-page count of the locked VMAs mapping it; then fault the range in.
 * Linux batches page moves per CPU; mmsim moves each page at once. */
#include <errno.h>

#include "kernel/syscalls.h"
#include "mm/pagewalk.h"
#include "mm/swap.h"
#include "mm/vma.h"
#include "mm/vmstat.h"

/* ---- mlocked pages ---------------------------------------------------------- */

static bool page_test_set_flag(struct page *page, int bit)
{
	bool was = test_bit_flag(page, bit);

	page->flags |= 1UL << bit;
	return was;
}

static bool page_test_clear_flag(struct page *page, int bit)
{
	bool was = test_bit_flag(page, bit);

	page->flags &= ~(1UL << bit);
	return was;
}

static void count_mlocked(struct page *page, long n)
{
	__mod_zone_page_state(page_zone(page), NR_MLOCK, n);
}

void mlock_new_page(struct page *page)
{
	page->flags |= 1UL << PG_mlocked | 1UL << PG_unevictable;
	count_mlocked(page, 1);
	count_vm_event(UNEVICTABLE_PGMLOCKED);
	page->mlock_count = 1;
	count_vm_event(UNEVICTABLE_PGCULLED);
	lru_cache_add(page);
}

void mlock_page(struct page *page)
{
	if (!page_test_set_flag(page, PG_mlocked)) {
		count_mlocked(page, 1);
		count_vm_event(UNEVICTABLE_PGMLOCKED);
	}
	/* Off the LRU there is nothing more to do (__mlock_folio). */
	if (!PageLRU(page))
		return;
	if (test_bit_flag(page, PG_unevictable)) {
		page->mlock_count++;
		return;
	}
	lruvec_del_page(page);
	page->flags &= ~(1UL << PG_active);
	page->flags |= 1UL << PG_unevictable;
	page->mlock_count = 1;
	lru_cache_add(page);
	count_vm_event(UNEVICTABLE_PGCULLED);
}

void munlock_page(struct page *page)
{
	bool isolated = PageLRU(page);
	bool unevictable = test_bit_flag(page, PG_unevictable);

	if (isolated && unevictable) {
		if (page->mlock_count)
			page->mlock_count--;
		if (page->mlock_count)
			return;
	}
	if (page_test_clear_flag(page, PG_mlocked)) {
		count_mlocked(page, -1);
		count_vm_event(isolated || !unevictable ?
				       UNEVICTABLE_PGMUNLOCKED :
				       UNEVICTABLE_PGSTRANDED);
	}
	/* Evictable again: back to its inactive list. */
	if (isolated && unevictable) {
		lruvec_del_page(page);
		page->flags &= ~(1UL << PG_unevictable);
		lru_cache_add(page);
		count_vm_event(UNEVICTABLE_PGRESCUED);
	}
}

/* ---- VMAs -------------------------------------------------------------------- */

static int mlock_pte(pte_t *pte, unsigned long addr, unsigned long next,
		     struct mm_walk *walk)
{
	struct page *page = walk_pte_page(pte, addr, walk);

	(void)next;
	if (!page)
		return 0;
	if (walk->vma->vm_flags & VM_LOCKED)
		mlock_page(page);
	else
		munlock_page(page);
	return 0;
}

static const struct mm_walk_ops mlock_walk_ops = {
	.pte_entry = mlock_pte,
};

/* Sets newflags on vma and (un)mlocks the pages mapped in [start, end)
 * (mlock_vma_pages_range). */
static void mlock_vma_pages_range(struct vm_area_struct *vma,
				  unsigned long start, unsigned long end,
				  vm_flags_t newflags)
{
	vma->vm_flags = newflags;
	walk_page_range(vma->vm_mm, start, end, &mlock_walk_ops, vma, NULL);
}

/* Gives [start, end) of vma the lock flags newflags (mlock_fixup);
 * *pprev is the VMA now holding the range. */
static int mlock_fixup(struct vm_area_struct *vma,
		       struct vm_area_struct **pprev, unsigned long start,
		       unsigned long end, vm_flags_t newflags)
{
	struct mm_struct *mm = vma->vm_mm;
	vm_flags_t oldflags = vma->vm_flags;
	long nr_pages;
	int err;

	/* Special mappings are never locked and never counted. */
	if (newflags == oldflags || (oldflags & (VM_SPECIAL | VM_HUGETLB))) {
		*pprev = vma;
		return 0;
	}
	vma = vma_modify_flags(vma, start, end, newflags, &err);
	if (!vma)
		return err;
	*pprev = vma;
	nr_pages = (long)((end - start) >> PAGE_SHIFT);
	if (!(newflags & VM_LOCKED))
		nr_pages = -nr_pages;
	else if (oldflags & VM_LOCKED)
		nr_pages = 0;
	mm->locked_vm += (unsigned long)nr_pages;
	if ((newflags & VM_LOCKED) && (oldflags & VM_LOCKED))
		vma->vm_flags = newflags; /* mlocking twice would be wrong */
	else
		mlock_vma_pages_range(vma, start, end, newflags);
	return 0;
}

/* mlock/munlock of [start, start + len): every page must be mapped;
 * VMAs before a hole are changed all the same (apply_vma_lock_flags). */
static int apply_vma_lock_flags(unsigned long start, unsigned long len,
				vm_flags_t flags)
{
	unsigned long end = start + len, nstart = start, tmp;
	struct vm_area_struct *vma, *prev;

	if (end < start)
		return -EINVAL;
	if (end == start)
		return 0;
	vma = vma_lookup(current->mm, start);
	if (!vma)
		return -ENOMEM;
	tmp = vma->vm_start;
	while (vma && vma->vm_start < end) {
		vm_flags_t newflags = (vma->vm_flags & ~VM_LOCKED_MASK) | flags;
		int err;

		if (vma->vm_start != tmp)
			return -ENOMEM;
		tmp = min(vma->vm_end, end);
		err = mlock_fixup(vma, &prev, nstart, tmp, newflags);
		if (err)
			return err;
		tmp = prev->vm_end;
		nstart = tmp;
		vma = prev->vm_next;
	}
	return tmp < end ? -ENOMEM : 0;
}

/* Pages of [start, start + len) already in VM_LOCKED VMAs
 * (count_mm_mlocked_page_nr). */
static unsigned long count_mm_mlocked_page_nr(struct mm_struct *mm,
					      unsigned long start,
					      unsigned long len)
{
	unsigned long end = start + len, count = 0;
	struct vm_area_struct *vma;

	if (end <= start)
		return 0;
	for (vma = find_vma_intersection(mm, start, end);
	     vma && vma->vm_start < end; vma = vma->vm_next) {
		if (!(vma->vm_flags & VM_LOCKED))
			continue;
		count += min(end, vma->vm_end) - max(start, vma->vm_start);
	}
	return count >> PAGE_SHIFT;
}

/* __mm_populate() without ignoring errors: faults in [start, start +
 * len) VMA by VMA, stopping at the first error. */
static int populate_range(unsigned long start, unsigned long len)
{
	unsigned long end = start + len, nstart;
	struct vm_area_struct *vma;

	for (nstart = start; nstart < end;) {
		long ret;

		vma = find_vma_intersection(current->mm, nstart, end);
		if (!vma)
			break;
		nstart = max(nstart, vma->vm_start);
		if (!(vma->vm_flags & (VM_IO | VM_PFNMAP))) {
			ret = populate_vma_page_range(vma, nstart,
						      min(end, vma->vm_end));
			if (ret < 0)
				return (int)ret;
		}
		nstart = vma->vm_end;
	}
	return 0;
}

/* mlock's errno for a populate failure (__mlock_posix_error_return). */
static long mlock_posix_error(long err)
{
	if (err == -EFAULT)
		return -ENOMEM;
	if (err == -ENOMEM)
		return -EAGAIN;
	return err;
}

/* RLIMIT_MEMLOCK 0 forbids locking altogether (can_do_mlock). */
static bool can_do_mlock(void)
{
	return rlimit(RLIMIT_MEMLOCK) != 0;
}

static long do_mlock(unsigned long start, size_t len, vm_flags_t flags)
{
	struct mm_struct *mm = current->mm;
	unsigned long locked, lock_limit;
	long err;

	if (!can_do_mlock())
		return -EPERM;
	len = PAGE_ALIGN(len + offset_in_page(start));
	start &= PAGE_MASK;
	lock_limit = rlimit(RLIMIT_MEMLOCK) >> PAGE_SHIFT;
	locked = (len >> PAGE_SHIFT) + mm->locked_vm;
	/* Ranges locked already do not count twice. */
	if (locked > lock_limit)
		locked -= count_mm_mlocked_page_nr(mm, start, len);
	if (locked > lock_limit)
		return -ENOMEM;
	err = apply_vma_lock_flags(start, len, flags);
	if (err)
		return err;
	err = populate_range(start, len);
	return err ? mlock_posix_error(err) : 0;
}

long sys_mlock(unsigned long start, size_t len)
{
	return do_mlock(start, len, VM_LOCKED);
}

long sys_mlock2(unsigned long start, size_t len, int flags)
{
	vm_flags_t vm_flags = VM_LOCKED;

	if (flags & ~MLOCK_ONFAULT)
		return -EINVAL;
	if (flags & MLOCK_ONFAULT)
		vm_flags |= VM_LOCKONFAULT;
	return do_mlock(start, len, vm_flags);
}

long sys_munlock(unsigned long start, size_t len)
{
	len = PAGE_ALIGN(len + offset_in_page(start));
	start &= PAGE_MASK;
	return apply_vma_lock_flags(start, len, 0);
}

/* Sets mm->def_flags for future mappings and, with MCL_CURRENT, locks
 * or unlocks every VMA, ignoring errors (apply_mlockall_flags). */
static void apply_mlockall_flags(int flags)
{
	struct mm_struct *mm = current->mm;
	struct vm_area_struct *vma, *prev, *next;
	vm_flags_t to_add = 0;

	mm->def_flags &= ~VM_LOCKED_MASK;
	if (flags & MCL_FUTURE) {
		mm->def_flags |= VM_LOCKED;
		if (flags & MCL_ONFAULT)
			mm->def_flags |= VM_LOCKONFAULT;
		if (!(flags & MCL_CURRENT))
			return;
	}
	if (flags & MCL_CURRENT) {
		to_add |= VM_LOCKED;
		if (flags & MCL_ONFAULT)
			to_add |= VM_LOCKONFAULT;
	}
	for (vma = mm->mmap; vma; vma = next) {
		vm_flags_t newflags = (vma->vm_flags & ~VM_LOCKED_MASK) |
				      to_add;

		next = vma->vm_next;
		if (!mlock_fixup(vma, &prev, vma->vm_start, vma->vm_end,
				 newflags))
			next = prev->vm_next;
	}
}

long sys_mlockall(int flags)
{
	unsigned long lock_limit;

	if (!flags || (flags & ~(MCL_CURRENT | MCL_FUTURE | MCL_ONFAULT)) ||
	    flags == MCL_ONFAULT)
		return -EINVAL;
	if (!can_do_mlock())
		return -EPERM;
	lock_limit = rlimit(RLIMIT_MEMLOCK) >> PAGE_SHIFT;
	if ((flags & MCL_CURRENT) && current->mm->total_vm > lock_limit)
		return -ENOMEM;
	apply_mlockall_flags(flags);
	if (flags & MCL_CURRENT)
		mm_populate(0, TASK_SIZE);
	return 0;
}

long sys_munlockall(void)
{
	apply_mlockall_flags(0);
	return 0;
}
