/* Walking the page tables of a range of user addresses
 * (include/linux/pagewalk.h): callbacks per PTE and per hole, as
 * mprotect, munmap, fork, mincore and /proc/PID/smaps use them. */
#ifndef MMSIM_MM_PAGEWALK_H
#define MMSIM_MM_PAGEWALK_H

#include "mm/pgtable.h"

struct mm_walk;

struct mm_walk_ops {
	/* Each PTE slot of a PTE table in the range, none ones included. */
	int (*pte_entry)(pte_t *pte, unsigned long addr, unsigned long next,
			 struct mm_walk *walk);
	/* A range no PTE table covers. */
	int (*pte_hole)(unsigned long addr, unsigned long next,
			struct mm_walk *walk);
};

struct mm_walk {
	const struct mm_walk_ops *ops;
	struct mm_struct *mm;
	struct vm_area_struct *vma; /* set by the caller, for callbacks */
	void *private;
};

/* The page a PTE of the walk's VMA maps (vm_normal_page()), or NULL when
 * it is not present or maps no normal page (the zero page, a special
 * mapping's): the start of most pte_entry callbacks. */
struct page *walk_pte_page(const pte_t *pte, unsigned long addr,
			   const struct mm_walk *walk);

/* Walks [start, end) of mm; a callback's non-zero return stops the walk
 * and is returned. */
int walk_page_range(struct mm_struct *mm, unsigned long start,
		    unsigned long end, const struct mm_walk_ops *ops,
		    struct vm_area_struct *vma, void *private);

#endif
