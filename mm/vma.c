/* Splitting and merging VMAs (mm/vma.c). Linux's vma_merge() decides in
 * one step among its cases; mmsim splits first and then merges the
 * result with each neighbour where Linux's rules allow (equal flags but
 * VM_SOFTDIRTY, same file and contiguous pgoff, compatible anon_vmas, no
 * ->close), which gives the same layouts. */
#include <errno.h>

#include "fs/fs.h"

#include "mm/rmap.h"
#include "mm/vma.h"

int split_vma(struct vm_area_struct *vma, unsigned long addr, int new_below)
{
	struct vm_area_struct *new;
	unsigned long delta = (addr - vma->vm_start) >> PAGE_SHIFT;

	if (addr <= vma->vm_start || addr >= vma->vm_end)
		return -EINVAL;
	new = vm_area_dup(vma);
	if (!new)
		return -ENOMEM;
	if (anon_vma_clone(new, vma)) {
		vm_area_free(new);
		return -ENOMEM;
	}
	if (new_below) {
		new->vm_end = addr;
		vma_set_range(vma, addr, vma->vm_end, vma->vm_pgoff + delta);
	} else {
		new->vm_start = addr;
		new->vm_pgoff += delta;
		vma_set_range(vma, vma->vm_start, addr, vma->vm_pgoff);
	}
	if (new->vm_file)
		get_file(new->vm_file);
	if (new->vm_ops && new->vm_ops->open)
		new->vm_ops->open(new);
	vma_link(vma->vm_mm, new);
	return 0;
}

/* The VMA holds an anon_vma inherited from a parent (fork) that it has
 * not replaced (vma_had_uncowed_parents). */
static bool uncowed_parents(const struct vm_area_struct *vma)
{
	return vma->anon_vma && !list_is_singular(&vma->anon_vma_chain);
}

static bool anon_vmas_compatible(const struct vm_area_struct *a,
				 const struct vm_area_struct *b)
{
	if (!a->anon_vma && b->anon_vma)
		return !uncowed_parents(b);
	if (a->anon_vma && !b->anon_vma)
		return !uncowed_parents(a);
	return a->anon_vma == b->anon_vma;
}

bool vmas_mergeable(const struct vm_area_struct *a,
		    const struct vm_area_struct *b)
{
	if (a->vm_end != b->vm_start)
		return false;
	if ((a->vm_flags ^ b->vm_flags) & ~VM_IGNORE_MERGE)
		return false;
	if (a->vm_flags & VM_SPECIAL)
		return false;
	if (a->vm_file != b->vm_file || a->vm_ops != b->vm_ops)
		return false;
	if ((a->vm_ops && a->vm_ops->close) || (b->vm_ops && b->vm_ops->close))
		return false;
	if (b->vm_pgoff != a->vm_pgoff + vma_pages(a))
		return false;
	return anon_vmas_compatible(a, b);
}

/* b joins a (a just below b): a grows over b's range and takes b's
 * anon_vma if it had none; b is freed. */
static int vma_absorb_next(struct vm_area_struct *a, struct vm_area_struct *b)
{
	if (!a->anon_vma && b->anon_vma) {
		if (anon_vma_clone(a, b))
			return -ENOMEM;
		a->anon_vma = b->anon_vma;
		a->anon_vma->num_active_vmas++;
	}
	a->vm_flags |= b->vm_flags & VM_SOFTDIRTY;
	vma_unlink(b);
	vma_set_range(a, a->vm_start, b->vm_end, a->vm_pgoff);
	remove_vma(b);
	return 0;
}

struct vm_area_struct *vma_merge_next(struct vm_area_struct *vma)
{
	struct vm_area_struct *next = vma->vm_next;

	if (next && vmas_mergeable(vma, next))
		vma_absorb_next(vma, next);
	return vma;
}

struct vm_area_struct *vma_merge_neighbours(struct vm_area_struct *vma)
{
	struct vm_area_struct *prev = vma->vm_prev, *next = vma->vm_next;

	if (prev && vmas_mergeable(prev, vma) && !vma_absorb_next(prev, vma))
		vma = prev;
	if (next && vmas_mergeable(vma, next))
		vma_absorb_next(vma, next);
	return vma;
}

struct vm_area_struct *vma_modify_flags(struct vm_area_struct *vma,
					unsigned long start, unsigned long end,
					vm_flags_t new_flags, int *err)
{
	struct mm_struct *mm = vma->vm_mm;

	*err = 0;
	if (vma->vm_start < start) {
		if (mm->map_count >= M->max_map_count) {
			*err = -ENOMEM;
			return NULL;
		}
		*err = split_vma(vma, start, 1);
		if (*err)
			return NULL;
	}
	if (vma->vm_end > end) {
		if (mm->map_count >= M->max_map_count) {
			*err = -ENOMEM;
			return NULL;
		}
		*err = split_vma(vma, end, 0);
		if (*err)
			return NULL;
	}
	vma->vm_flags = new_flags;
	vma_set_page_prot(vma);
	return vma_merge_neighbours(vma);
}
