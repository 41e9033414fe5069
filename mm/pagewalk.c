/* Page-table walks over user ranges (mm/pagewalk.c): every level down to
 * the PTE tables, holes reported where a table is missing. User memory
 * has no huge leaves in mmsim (no THP yet), so a leaf above the PTE
 * level is reported as a bug. */
#include "mm/pagewalk.h"

#include "kernel/printk.h"
#include "mm/vma.h"

static int walk_hole(unsigned long addr, unsigned long next,
		     struct mm_walk *walk)
{
	return walk->ops->pte_hole ? walk->ops->pte_hole(addr, next, walk) : 0;
}

static int walk_pte_range(pmd_t *pmd, unsigned long addr, unsigned long end,
			  struct mm_walk *walk)
{
	void *table = pt_val_table(pmd_val(pmdp_get(pmd)));

	if (!walk->ops->pte_entry)
		return 0;
	for (; addr != end; addr += PAGE_SIZE) {
		int err = walk->ops->pte_entry(pt_slot(table, pte_index(addr)),
					       addr, addr + PAGE_SIZE, walk);

		if (err)
			return err;
	}
	return 0;
}

static int walk_pmd_range(pud_t *pud, unsigned long addr, unsigned long end,
			  struct mm_walk *walk)
{
	unsigned long next;
	int err = 0;

	do {
		pmd_t *pmd = pmd_offset(pud, addr);
		pmd_t v = pmdp_get(pmd);

		next = pmd_addr_end(addr, end);
		if (pmd_none(v))
			err = walk_hole(addr, next, walk);
		else if (pmd_leaf(v) || pmd_bad(v))
			WARN(1, "huge or bad pmd %016llx in a user range\n",
			     (unsigned long long)pmd_val(v));
		else
			err = walk_pte_range(pmd, addr, next, walk);
	} while (!err && (addr = next) != end);
	return err;
}

static int walk_pud_range(p4d_t *p4d, unsigned long addr, unsigned long end,
			  struct mm_walk *walk)
{
	unsigned long next;
	int err = 0;

	do {
		pud_t *pud = pud_offset(p4d, addr);

		next = pud_addr_end(addr, end);
		if (pud_none(pudp_get(pud)))
			err = walk_hole(addr, next, walk);
		else
			err = walk_pmd_range(pud, addr, next, walk);
	} while (!err && (addr = next) != end);
	return err;
}

static int walk_p4d_range(pgd_t *pgd, unsigned long addr, unsigned long end,
			  struct mm_walk *walk)
{
	unsigned long next;
	int err = 0;

	do {
		p4d_t *p4d = p4d_offset(pgd, addr);

		next = p4d_addr_end(addr, end);
		if (p4d_none(p4dp_get(p4d)))
			err = walk_hole(addr, next, walk);
		else
			err = walk_pud_range(p4d, addr, next, walk);
	} while (!err && (addr = next) != end);
	return err;
}

int walk_page_range(struct mm_struct *mm, unsigned long start,
		    unsigned long end, const struct mm_walk_ops *ops,
		    struct vm_area_struct *vma, void *private)
{
	struct mm_walk walk = { ops, mm, vma, private };
	unsigned long next;
	int err = 0;

	if (start >= end)
		return 0;
	do {
		pgd_t *pgd = pgd_offset(mm, start);

		next = pgd_addr_end(start, end);
		if (pgd_none(pgdp_get(pgd)))
			err = walk_hole(start, next, &walk);
		else
			err = walk_p4d_range(pgd, start, next, &walk);
	} while (!err && (start = next) != end);
	return err;
}

struct page *walk_pte_page(const pte_t *pte, unsigned long addr,
			   const struct mm_walk *walk)
{
	pte_t v = ptep_get(pte);

	return pte_present(v) ? vm_normal_page(walk->vma, addr, v) : NULL;
}
