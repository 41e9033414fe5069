/* mincore() (mm/mincore.c): one byte per page of a mapped range, 1 when
 * the page is resident: mapped by a present PTE, or, for a page of a
 * shmem object that this mm has not mapped, in the object's page cache.
 * The vector goes to user memory through copy_to_user, a page of
 * entries at a time as Linux does. */
#include <errno.h>
#include <string.h>

#include "kernel/syscalls.h"
#include "mm/pagewalk.h"
#include "mm/rmap.h"
#include "mm/shmem.h"
#include "mm/swap.h"
#include "mm/vma.h"

/* Residency of pages [addr, end) of vma that no PTE maps
 * (__mincore_unmapped_range): the page cache decides for files. */
static void mincore_unmapped_range(struct vm_area_struct *vma,
				   unsigned long addr, unsigned long end,
				   unsigned char *vec)
{
	unsigned long nr = (end - addr) >> PAGE_SHIFT;
	struct address_space *mapping;

	if (!vma->vm_file) {
		memset(vec, 0, nr);
		return;
	}
	mapping = vma->vm_file->f_mapping;
	for (unsigned long i = 0; i < nr; i++)
		vec[i] = shmem_mapping(mapping) &&
			 shmem_find_page(mapping,
					 linear_page_index(vma, addr) + i);
}

struct mincore_walk {
	unsigned long start;
	unsigned char *vec;
};

static int mincore_hole(unsigned long addr, unsigned long next,
			struct mm_walk *walk)
{
	struct mincore_walk *w = walk->private;

	mincore_unmapped_range(walk->vma, addr, next,
			       w->vec + ((addr - w->start) >> PAGE_SHIFT));
	return 0;
}

/* A swapped-out page is resident while the swap cache holds its data. */
static unsigned char mincore_swap(swp_entry_t entry)
{
	struct swap_info_struct *si = M->swap ? swp_swap_info(entry) : NULL;
	struct page *page = si ? si->swap_cache[swp_offset(entry)] : NULL;

	return page && PageUptodate(page);
}

static int mincore_pte(pte_t *pte, unsigned long addr, unsigned long next,
		       struct mm_walk *walk)
{
	struct mincore_walk *w = walk->private;
	unsigned char *v = w->vec + ((addr - w->start) >> PAGE_SHIFT);
	pte_t entry = ptep_get(pte);

	if (pte_none(entry))
		mincore_unmapped_range(walk->vma, addr, next, v);
	else if (is_swap_pte(entry))
		*v = mincore_swap(pte_to_swp_entry(entry));
	else
		*v = pte_present(entry);
	return 0;
}

static const struct mm_walk_ops mincore_walk_ops = {
	.pte_entry = mincore_pte,
	.pte_hole = mincore_hole,
};

/* Files the task could not write are reported all resident, so mincore
 * reveals nothing of their cache (can_do_mincore); the task owns its
 * shmem objects. */
static bool can_do_mincore(const struct vm_area_struct *vma)
{
	return vma_is_anonymous(vma) || vma->vm_file;
}

/* Fills vec for up to pages pages from addr, within one VMA: the number
 * done, or -ENOMEM when addr is not mapped (do_mincore). */
static long do_mincore(unsigned long addr, unsigned long pages,
		       unsigned char *vec)
{
	struct vm_area_struct *vma = vma_lookup(current->mm, addr);
	struct mincore_walk w = { addr, vec };
	unsigned long end;

	if (!vma)
		return -ENOMEM;
	end = min(vma->vm_end, addr + (pages << PAGE_SHIFT));
	if (!can_do_mincore(vma))
		memset(vec, 1, (end - addr) >> PAGE_SHIFT);
	else
		walk_page_range(vma->vm_mm, addr, end, &mincore_walk_ops, vma,
				&w);
	return (long)((end - addr) >> PAGE_SHIFT);
}

/* access_ok(): [addr, addr + size) lies in user space. */
static bool access_ok(unsigned long addr, unsigned long size)
{
	return size <= TASK_SIZE_MAX && addr <= TASK_SIZE_MAX - size;
}

long sys_mincore(unsigned long start, size_t len, unsigned long vec)
{
	unsigned long pages;
	struct page *page;
	unsigned char *tmp;
	long ret = 0;

	if (offset_in_page(start))
		return -EINVAL;
	if (!access_ok(start, len))
		return -ENOMEM;
	pages = (len >> PAGE_SHIFT) + (offset_in_page(len) != 0);
	if (!access_ok(vec, pages))
		return -EFAULT;
	page = alloc_pages(GFP_USER, 0);
	if (!page)
		return -EAGAIN;
	tmp = kmap_local_page(page);
	while (pages) {
		ret = do_mincore(start, min(pages, PAGE_SIZE), tmp);
		if (ret <= 0)
			break;
		if (copy_to_user(vec, tmp, (size_t)ret)) {
			ret = -EFAULT;
			break;
		}
		pages -= (unsigned long)ret;
		vec += (unsigned long)ret;
		start += (unsigned long)ret << PAGE_SHIFT;
		ret = 0;
	}
	__free_pages(page, 0);
	return ret;
}
