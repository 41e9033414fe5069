/* Page tables, the kernel's side (include/linux/pgtable.h, mm.h,
 * swapops.h, asm-generic/pgalloc.h, x86 asm/pgtable.h): Linux's generic
 * helpers over whichever format the machine booted with (M->pt_fmt), with
 * Linux's folding of the levels a format lacks; allocation of page-table
 * pages from the buddy allocator (zeroed, accounted in NR_PAGETABLE) and
 * their freeing (free_pgd_range); init_mm and swapper_pg_dir; swap
 * entries; lookup_address; and the page-table invariant checker.
 *
 * Entries are 4 bytes on i386: always read them with ptep_get(),
 * pmdp_get()... and write them with set_pte(), set_pmd()...; never
 * dereference or step an entry pointer (use the *_offset helpers). */
#ifndef MMSIM_MM_PGTABLE_H
#define MMSIM_MM_PGTABLE_H

#include "arch/mmu.h"
#include "arch/pgtable.h"
#include "base/seq_file.h"
#include "mm/gfp.h"
#include "mm/mm.h"

static inline const struct pt_format *ptfmt(void)
{
	return M->pt_fmt;
}

#define init_mm (M->mmu->__init_mm)
#define swapper_pg_dir (init_mm.pgd)

#define pte_val(x) ((x).pte)
#define pmd_val(x) ((x).pmd)
#define pud_val(x) ((x).pud)
#define p4d_val(x) ((x).p4d)
#define pgd_val(x) ((x).pgd)
#define pgprot_val(x) ((x).pgprot)
#define __pte(x) ((pte_t){ (x) })
#define __pmd(x) ((pmd_t){ (x) })
#define __pud(x) ((pud_t){ (x) })
#define __p4d(x) ((p4d_t){ (x) })
#define __pgd(x) ((pgd_t){ (x) })
#define __pgprot(x) ((pgprot_t){ (x) })

/* ---- geometry ------------------------------------------------------------ */

static inline unsigned pt_named_shift(enum pt_level l)
{
	return ptfmt()->shift[ptfmt()->named[l]];
}

/* Level l has no table of its own: its entry is its parent's. */
static inline bool pt_folded(enum pt_level l)
{
	return l != PT_PGD && ptfmt()->named[l] == ptfmt()->named[l - 1];
}

/* The entry at level l is l's own (the next level is not folded into
 * it); a level whose child is folded has trivial none/present/bad. */
static inline bool pt_owner(enum pt_level l)
{
	return l == PT_PTE || ptfmt()->named[l + 1] != ptfmt()->named[l];
}

#define PGDIR_SHIFT pt_named_shift(PT_PGD)
#define P4D_SHIFT pt_named_shift(PT_P4D)
#define PUD_SHIFT pt_named_shift(PT_PUD)
#define PMD_SHIFT pt_named_shift(PT_PMD)
#define PGDIR_SIZE (1UL << PGDIR_SHIFT)
#define P4D_SIZE (1UL << P4D_SHIFT)
#define PUD_SIZE (1UL << PUD_SHIFT)
#define PMD_SIZE (1UL << PMD_SHIFT)
#define PGDIR_MASK (~(PGDIR_SIZE - 1))
#define P4D_MASK (~(P4D_SIZE - 1))
#define PUD_MASK (~(PUD_SIZE - 1))
#define PMD_MASK (~(PMD_SIZE - 1))

#define PTRS_PER_PTE (1UL << ptfmt()->index_bits)
#define PTRS_PER_PMD (pt_folded(PT_PMD) ? 1UL : PTRS_PER_PTE)
#define PTRS_PER_PUD (pt_folded(PT_PUD) ? 1UL : PTRS_PER_PTE)
#define PTRS_PER_P4D (pt_folded(PT_P4D) ? 1UL : PTRS_PER_PTE)
#define PTRS_PER_PGD (1UL << (ptfmt()->va_bits - PGDIR_SHIFT))

#define PAGE_OFFSET ((unsigned long)ptfmt()->page_offset)
#define TASK_SIZE_MAX ((unsigned long)ptfmt()->task_size)
#define FIRST_USER_ADDRESS 0UL
#define USER_PGTABLES_CEILING 0UL
/* x86's KERNEL_PGD_BOUNDARY, riscv64's USER_PTRS_PER_PGD. */
#define KERNEL_PGD_BOUNDARY pgd_index(ptfmt()->kernel_start)
#define KERNEL_PGD_PTRS (PTRS_PER_PGD - KERNEL_PGD_BOUNDARY)

static inline unsigned long pgd_index(unsigned long a)
{
	return (a >> PGDIR_SHIFT) & (PTRS_PER_PGD - 1);
}

static inline unsigned long p4d_index(unsigned long a)
{
	return (a >> P4D_SHIFT) & (PTRS_PER_P4D - 1);
}

static inline unsigned long pud_index(unsigned long a)
{
	return (a >> PUD_SHIFT) & (PTRS_PER_PUD - 1);
}

static inline unsigned long pmd_index(unsigned long a)
{
	return (a >> PMD_SHIFT) & (PTRS_PER_PMD - 1);
}

static inline unsigned long pte_index(unsigned long a)
{
	return (a >> PAGE_SHIFT) & (PTRS_PER_PTE - 1);
}

/* Next boundary of a level's span after addr, capped at end. */
static inline unsigned long pt_addr_end(unsigned long addr, unsigned long end,
					unsigned shift)
{
	unsigned long boundary = (addr + (1UL << shift)) &
				 ~((1UL << shift) - 1);

	return boundary - 1 < end - 1 ? boundary : end;
}

#define pgd_addr_end(a, e) pt_addr_end(a, e, PGDIR_SHIFT)
#define p4d_addr_end(a, e) pt_addr_end(a, e, P4D_SHIFT)
#define pud_addr_end(a, e) pt_addr_end(a, e, PUD_SHIFT)
#define pmd_addr_end(a, e) pt_addr_end(a, e, PMD_SHIFT)

/* ---- reading and writing entries ------------------------------------------- */

static inline void *pt_slot(void *table, unsigned long index)
{
	return (char *)table + (index << ptfmt()->entry_shift);
}

static inline pte_t ptep_get(const pte_t *p)
{
	return __pte(pt_load(ptfmt(), p));
}

static inline pmd_t pmdp_get(const pmd_t *p)
{
	return __pmd(pt_load(ptfmt(), p));
}

static inline pud_t pudp_get(const pud_t *p)
{
	return __pud(pt_load(ptfmt(), p));
}

static inline p4d_t p4dp_get(const p4d_t *p)
{
	return __p4d(pt_load(ptfmt(), p));
}

static inline pgd_t pgdp_get(const pgd_t *p)
{
	return __pgd(pt_load(ptfmt(), p));
}

static inline void set_pte(pte_t *p, pte_t v)
{
	pt_store(ptfmt(), p, pte_val(v));
}

static inline void set_pmd(pmd_t *p, pmd_t v)
{
	pt_store(ptfmt(), p, pmd_val(v));
}

static inline void set_pud(pud_t *p, pud_t v)
{
	pt_store(ptfmt(), p, pud_val(v));
}

static inline void set_p4d(p4d_t *p, p4d_t v)
{
	pt_store(ptfmt(), p, p4d_val(v));
}

static inline void set_pgd(pgd_t *p, pgd_t v)
{
	pt_store(ptfmt(), p, pgd_val(v));
}

#define set_pte_at(mm, addr, ptep, pte) \
	((void)(mm), (void)(addr), set_pte(ptep, pte))

static inline void pte_clear(struct mm_struct *mm, unsigned long addr, pte_t *p)
{
	(void)mm;
	(void)addr;
	set_pte(p, __pte(0));
}

static inline void pmd_clear(pmd_t *p)
{
	set_pmd(p, __pmd(0));
}

/* Clearing a level whose child is folded into it does nothing: the
 * child's clear does it (pgtable-nop4d.h and friends). */
static inline void pud_clear(pud_t *p)
{
	if (pt_owner(PT_PUD))
		set_pud(p, __pud(0));
}

static inline void p4d_clear(p4d_t *p)
{
	if (pt_owner(PT_P4D))
		set_p4d(p, __p4d(0));
}

static inline void pgd_clear(pgd_t *p)
{
	if (pt_owner(PT_PGD))
		set_pgd(p, __pgd(0));
}

/* ---- entry tests, any level ------------------------------------------------- */

static inline bool pt_val_none(pteval_t v)
{
	return !(v & ~ptfmt()->none_ignore);
}

static inline bool pt_val_present(pteval_t v)
{
	return v & (ptfmt()->present | ptfmt()->protnone);
}

/* Not a pointer to a lower table (x86: flags other than U and A differ
 * from _KERNPG_TABLE; riscv: not valid, or a leaf). */
static inline bool pt_val_bad(pteval_t v)
{
	const struct pt_format *f = ptfmt();

	return (v & f->table_check) != (f->prot[PTP_TABLE] & f->table_check);
}

static inline bool pt_val_leaf(enum pt_level l, pteval_t v)
{
	const struct pt_format *f = ptfmt();

	return pt_owner(l) && (f->leaf_levels >> f->named[l] & 1) &&
	       (v & f->leaf_bits);
}

/* Kernel address of the table an entry points to. */
static inline void *pt_val_table(pteval_t v)
{
	return __va(pt_entry_addr(ptfmt(), v));
}

#define PT_LEVEL_TESTS(name, type, L)                                 \
	static inline bool name##_none(type x)                        \
	{                                                             \
		return pt_owner(L) && pt_val_none(name##_val(x));     \
	}                                                             \
	static inline bool name##_present(type x)                     \
	{                                                             \
		return !pt_owner(L) || pt_val_present(name##_val(x)); \
	}                                                             \
	static inline bool name##_bad(type x)                         \
	{                                                             \
		return pt_owner(L) && pt_val_bad(name##_val(x));      \
	}                                                             \
	static inline bool name##_leaf(type x)                        \
	{                                                             \
		return pt_val_leaf(L, name##_val(x));                 \
	}

PT_LEVEL_TESTS(pgd, pgd_t, PT_PGD)
PT_LEVEL_TESTS(p4d, p4d_t, PT_P4D)
PT_LEVEL_TESTS(pud, pud_t, PT_PUD)
PT_LEVEL_TESTS(pmd, pmd_t, PT_PMD)
#undef PT_LEVEL_TESTS

/* ---- walking down ------------------------------------------------------------ */

static inline pgd_t *pgd_offset_pgd(pgd_t *pgd, unsigned long addr)
{
	return pt_slot(pgd, pgd_index(addr));
}

#define pgd_offset(mm, addr) pgd_offset_pgd((mm)->pgd, (addr))
#define pgd_offset_k(addr) pgd_offset(&init_mm, (addr))

static inline p4d_t *p4d_offset(pgd_t *pgd, unsigned long addr)
{
	if (pt_folded(PT_P4D))
		return (p4d_t *)pgd;
	return pt_slot(pt_val_table(pgd_val(pgdp_get(pgd))), p4d_index(addr));
}

static inline pud_t *pud_offset(p4d_t *p4d, unsigned long addr)
{
	if (pt_folded(PT_PUD))
		return (pud_t *)p4d;
	return pt_slot(pt_val_table(p4d_val(p4dp_get(p4d))), pud_index(addr));
}

static inline pmd_t *pmd_offset(pud_t *pud, unsigned long addr)
{
	if (pt_folded(PT_PMD))
		return (pmd_t *)pud;
	return pt_slot(pt_val_table(pud_val(pudp_get(pud))), pmd_index(addr));
}

static inline pte_t *pte_offset_kernel(pmd_t *pmd, unsigned long addr)
{
	return pt_slot(pt_val_table(pmd_val(pmdp_get(pmd))), pte_index(addr));
}

/* NULL when the pmd holds no page table (none, a huge leaf, or bad). */
static inline pte_t *pte_offset_map(pmd_t *pmd, unsigned long addr)
{
	pmd_t v = pmdp_get(pmd);

	if (pmd_none(v) || pmd_leaf(v) || pmd_bad(v))
		return NULL;
	return pte_offset_kernel(pmd, addr);
}

static inline void pte_unmap(pte_t *pte)
{
	(void)pte;
}

/* Tables an entry points to. */
#define pmd_page_vaddr(pmd) ((unsigned long)pt_val_table(pmd_val(pmd)))
#define pmd_page(pmd) \
	pfn_to_page(pt_entry_addr(ptfmt(), pmd_val(pmd)) >> PAGE_SHIFT)
#define pud_pgtable(pud) ((pmd_t *)pt_val_table(pud_val(pud)))
#define p4d_pgtable(p4d) ((pud_t *)pt_val_table(p4d_val(p4d)))
#define pgd_pgtable(pgd) ((p4d_t *)pt_val_table(pgd_val(pgd)))

/* ---- ptes ------------------------------------------------------------------------ */

static inline bool pte_none(pte_t pte)
{
	return pt_val_none(pte_val(pte));
}

static inline bool pte_present(pte_t pte)
{
	return pt_val_present(pte_val(pte));
}

/* PROT_NONE: present to Linux, not to the hardware. */
static inline bool pte_protnone(pte_t pte)
{
	const struct pt_format *f = ptfmt();

	return (pte_val(pte) & (f->protnone | f->present)) == f->protnone;
}

static inline bool pte_write(pte_t pte)
{
	return pte_val(pte) & ptfmt()->rw;
}

static inline bool pte_dirty(pte_t pte)
{
	return pte_val(pte) & ptfmt()->dirty;
}

static inline bool pte_young(pte_t pte)
{
	return pte_val(pte) & ptfmt()->accessed;
}

static inline bool pte_global(pte_t pte)
{
	return pte_val(pte) & ptfmt()->global;
}

static inline bool pte_special(pte_t pte)
{
	return pte_val(pte) & ptfmt()->special;
}

static inline bool pte_soft_dirty(pte_t pte)
{
	return pte_val(pte) & ptfmt()->soft_dirty;
}

static inline bool pte_exec(pte_t pte)
{
	const struct pt_format *f = ptfmt();

	if (f->nx)
		return !(pte_val(pte) & f->nx);
	if (f->exec)
		return pte_val(pte) & f->exec;
	return true;
}

static inline pte_t pte_set_flags(pte_t pte, pteval_t set)
{
	return __pte(pte_val(pte) | set);
}

static inline pte_t pte_clear_flags(pte_t pte, pteval_t clear)
{
	return __pte(pte_val(pte) & ~clear);
}

static inline pte_t pte_mkold(pte_t pte)
{
	return pte_clear_flags(pte, ptfmt()->accessed);
}

static inline pte_t pte_mkyoung(pte_t pte)
{
	return pte_set_flags(pte, ptfmt()->accessed);
}

static inline pte_t pte_mkdirty(pte_t pte)
{
	return pte_set_flags(pte, ptfmt()->dirty | ptfmt()->soft_dirty);
}

static inline pte_t pte_mkclean(pte_t pte)
{
	return pte_clear_flags(pte, ptfmt()->dirty);
}

static inline pte_t pte_wrprotect(pte_t pte)
{
	return pte_clear_flags(pte, ptfmt()->rw);
}

static inline pte_t pte_mkwrite_novma(pte_t pte)
{
	return pte_set_flags(pte, ptfmt()->rw);
}

#define pte_mkwrite(pte, vma) ((void)(vma), pte_mkwrite_novma(pte))

static inline pte_t pte_mkexec(pte_t pte)
{
	const struct pt_format *f = ptfmt();

	return __pte((pte_val(pte) & ~f->nx) | f->exec);
}

static inline pte_t pte_mkspecial(pte_t pte)
{
	return pte_set_flags(pte, ptfmt()->special);
}

/* x86-64 L1TF mitigation: a non-present, non-empty entry keeps its pfn
 * inverted, so a speculative walk never lands on real memory. */
static inline pteval_t protnone_mask(pteval_t v)
{
	const struct pt_format *f = ptfmt();

	return f->l1tf_invert && v && !(v & f->present) ? ~0ULL : 0;
}

static inline unsigned long pte_pfn(pte_t pte)
{
	pteval_t v = pte_val(pte) ^ protnone_mask(pte_val(pte));

	return (unsigned long)(pt_entry_addr(ptfmt(), v) >> PAGE_SHIFT);
}

static inline pte_t pfn_pte(unsigned long pfn, pgprot_t prot)
{
	pteval_t v = pt_addr_field(ptfmt(), PFN_PHYS(pfn));

	v ^= protnone_mask(pgprot_val(prot)) & ptfmt()->pfn_mask;
	return __pte(v | pgprot_val(prot));
}

#define mk_pte(page, prot) pfn_pte(page_to_pfn(page), prot)
#define pte_page(pte) pfn_to_page(pte_pfn(pte))

static inline pgprot_t pte_pgprot(pte_t pte)
{
	return __pgprot(pte_val(pte) & ~ptfmt()->pfn_mask);
}

/* Keeps the pfn, A, D and software bits; takes the rest from newprot. */
static inline pte_t pte_modify(pte_t pte, pgprot_t newprot)
{
	const struct pt_format *f = ptfmt();
	pteval_t old = pte_val(pte);
	pteval_t v = (old & f->chg_mask) | (pgprot_val(newprot) & ~f->chg_mask);

	if (!protnone_mask(old) != !protnone_mask(v))
		v ^= f->pfn_mask;
	return __pte(v);
}

/* ---- huge leaves ----------------------------------------------------------------- */

static inline pmd_t pmd_mkhuge(pmd_t pmd)
{
	return __pmd(pmd_val(pmd) | ptfmt()->huge);
}

static inline pud_t pud_mkhuge(pud_t pud)
{
	return __pud(pud_val(pud) | ptfmt()->huge);
}

static inline pteval_t pt_leaf_val(unsigned long pfn, pgprot_t prot,
				   unsigned shift)
{
	pteval_t v = pte_val(pfn_pte(pfn, prot));

	return v & ~(pt_addr_field(ptfmt(), (1ULL << shift) - 1));
}

#define pfn_pmd(pfn, prot) __pmd(pt_leaf_val(pfn, prot, PMD_SHIFT))
#define pfn_pud(pfn, prot) __pud(pt_leaf_val(pfn, prot, PUD_SHIFT))

static inline unsigned long pt_leaf_pfn(pteval_t v, unsigned shift)
{
	v ^= protnone_mask(v);
	return (unsigned long)((pt_entry_addr(ptfmt(), v) &
				~((1ULL << shift) - 1)) >>
			       PAGE_SHIFT);
}

#define pmd_pfn(pmd) \
	pt_leaf_pfn(pmd_val(pmd), pmd_leaf(pmd) ? PMD_SHIFT : PAGE_SHIFT)
#define pud_pfn(pud) \
	pt_leaf_pfn(pud_val(pud), pud_leaf(pud) ? PUD_SHIFT : PAGE_SHIFT)

static inline bool pmd_write(pmd_t pmd)
{
	return pmd_val(pmd) & ptfmt()->rw;
}

static inline bool pmd_dirty(pmd_t pmd)
{
	return pmd_val(pmd) & ptfmt()->dirty;
}

static inline bool pmd_young(pmd_t pmd)
{
	return pmd_val(pmd) & ptfmt()->accessed;
}

/* ---- atomic updates (one CPU runs kernel code at a time) -------------------------- */

static inline pte_t ptep_get_and_clear(struct mm_struct *mm, unsigned long addr,
				       pte_t *ptep)
{
	pte_t old = ptep_get(ptep);

	pte_clear(mm, addr, ptep);
	return old;
}

static inline void ptep_set_wrprotect(struct mm_struct *mm, unsigned long addr,
				      pte_t *ptep)
{
	(void)mm;
	(void)addr;
	set_pte(ptep, pte_wrprotect(ptep_get(ptep)));
}

/* vma: the vm_area_struct, unused until address spaces exist. */
static inline int ptep_test_and_clear_young(void *vma, unsigned long addr,
					    pte_t *ptep)
{
	pte_t pte = ptep_get(ptep);

	(void)vma;
	(void)addr;
	if (!pte_young(pte))
		return 0;
	set_pte(ptep, pte_mkold(pte));
	return 1;
}

static inline pmd_t pmdp_get_and_clear(struct mm_struct *mm, unsigned long addr,
				       pmd_t *pmdp)
{
	pmd_t old = pmdp_get(pmdp);

	(void)mm;
	(void)addr;
	pmd_clear(pmdp);
	return old;
}

/* ---- protections --------------------------------------------------------------------- */

#define PAGE_NONE __pgprot(ptfmt()->prot[PTP_NONE])
#define PAGE_SHARED __pgprot(ptfmt()->prot[PTP_SHARED])
#define PAGE_SHARED_EXEC __pgprot(ptfmt()->prot[PTP_SHARED_EXEC])
#define PAGE_COPY __pgprot(ptfmt()->prot[PTP_COPY])
#define PAGE_COPY_EXEC __pgprot(ptfmt()->prot[PTP_COPY_EXEC])
#define PAGE_READONLY __pgprot(ptfmt()->prot[PTP_READONLY])
#define PAGE_READONLY_EXEC __pgprot(ptfmt()->prot[PTP_READONLY_EXEC])
#define PAGE_KERNEL __pgprot(ptfmt()->prot[PTP_KERNEL])
#define PAGE_KERNEL_RO __pgprot(ptfmt()->prot[PTP_KERNEL_RO])
#define PAGE_KERNEL_EXEC __pgprot(ptfmt()->prot[PTP_KERNEL_EXEC])
#define PAGE_KERNEL_LARGE __pgprot(ptfmt()->prot[PTP_KERNEL_LARGE])
#define _PAGE_TABLE (ptfmt()->prot[PTP_TABLE])

/* ---- swap entries (include/linux/swapops.h) --------------------------------------------- */

typedef struct {
	unsigned long val;
} swp_entry_t;

#define MAX_SWAPFILES_SHIFT 5

/* The arch-independent layout: type in the top bits of an xarray value
 * (BITS_PER_XA_VALUE = BITS_PER_LONG - 1). */
static inline unsigned swp_type_shift(void)
{
	return (unsigned)M->arch->bits - 1 - MAX_SWAPFILES_SHIFT;
}

static inline swp_entry_t swp_entry(unsigned long type, unsigned long offset)
{
	unsigned s = swp_type_shift();

	return (swp_entry_t){ (type << s) | (offset & ((1UL << s) - 1)) };
}

static inline unsigned swp_type(swp_entry_t e)
{
	return (unsigned)(e.val >> swp_type_shift());
}

static inline unsigned long swp_offset(swp_entry_t e)
{
	return e.val & ((1UL << swp_type_shift()) - 1);
}

/* The format's encoding in a non-present pte (__swp_entry...). */
static inline pte_t __swp_entry_to_pte(unsigned long type, unsigned long offset)
{
	const struct pt_format *f = ptfmt();
	pteval_t mask = (1ULL << f->swp_offset_bits) - 1;
	pteval_t off = f->swp_offset_invert ? ~(pteval_t)offset : offset;

	return __pte((pteval_t)(type & 31) << f->swp_type_shift |
		     (off & mask) << f->swp_offset_shift);
}

static inline bool is_swap_pte(pte_t pte)
{
	return !pte_none(pte) && !pte_present(pte);
}

static inline swp_entry_t pte_to_swp_entry(pte_t pte)
{
	const struct pt_format *f = ptfmt();
	pteval_t v = pte_val(pte);
	pteval_t mask = (1ULL << f->swp_offset_bits) - 1;
	pteval_t off = f->swp_offset_invert ? ~v : v;

	return swp_entry((v >> f->swp_type_shift) & 31,
			 (unsigned long)((off >> f->swp_offset_shift) & mask));
}

static inline pte_t swp_entry_to_pte(swp_entry_t e)
{
	return __swp_entry_to_pte(swp_type(e), swp_offset(e));
}

static inline bool pte_swp_exclusive(pte_t pte)
{
	return pte_val(pte) & ptfmt()->swp_exclusive;
}

static inline pte_t pte_swp_mkexclusive(pte_t pte)
{
	return pte_set_flags(pte, ptfmt()->swp_exclusive);
}

static inline pte_t pte_swp_clear_exclusive(pte_t pte)
{
	return pte_clear_flags(pte, ptfmt()->swp_exclusive);
}

/* ---- page-table pages (mm/pgtable.c) ------------------------------------------------ */

#define GFP_PGTABLE_KERNEL (GFP_KERNEL | __GFP_ZERO)
#define GFP_PGTABLE_USER (GFP_PGTABLE_KERNEL | __GFP_ACCOUNT)

pgd_t *pgd_alloc(struct mm_struct *mm);
void pgd_free(struct mm_struct *mm, pgd_t *pgd);
struct page *pte_alloc_one(struct mm_struct *mm);
pte_t *pte_alloc_one_kernel(struct mm_struct *mm);
void pte_free(struct mm_struct *mm, struct page *pte);
void pte_free_kernel(struct mm_struct *mm, pte_t *pte);
pmd_t *pmd_alloc_one(struct mm_struct *mm, unsigned long addr);
void pmd_free(struct mm_struct *mm, pmd_t *pmd);
pud_t *pud_alloc_one(struct mm_struct *mm, unsigned long addr);
void pud_free(struct mm_struct *mm, pud_t *pud);
p4d_t *p4d_alloc_one(struct mm_struct *mm, unsigned long addr);
void p4d_free(struct mm_struct *mm, p4d_t *p4d);

/* Install a lower table (no-op when the lower level is folded). */
void pmd_populate(struct mm_struct *mm, pmd_t *pmd, struct page *pte);
void pmd_populate_kernel(struct mm_struct *mm, pmd_t *pmd, pte_t *pte);
void pud_populate(struct mm_struct *mm, pud_t *pud, pmd_t *pmd);
void p4d_populate(struct mm_struct *mm, p4d_t *p4d, pud_t *pud);
void pgd_populate(struct mm_struct *mm, pgd_t *pgd, p4d_t *p4d);

/* 0, or -ENOMEM. */
int __pte_alloc(struct mm_struct *mm, pmd_t *pmd);
int __pte_alloc_kernel(pmd_t *pmd);
int __pmd_alloc(struct mm_struct *mm, pud_t *pud, unsigned long address);
int __pud_alloc(struct mm_struct *mm, p4d_t *p4d, unsigned long address);
int __p4d_alloc(struct mm_struct *mm, pgd_t *pgd, unsigned long address);

/* True when the allocation failed (Linux's pte_alloc). */
static inline bool pte_alloc(struct mm_struct *mm, pmd_t *pmd)
{
	return unlikely(pmd_none(pmdp_get(pmd))) && __pte_alloc(mm, pmd);
}

static inline pte_t *pte_alloc_map(struct mm_struct *mm, pmd_t *pmd,
				   unsigned long address)
{
	return pte_alloc(mm, pmd) ? NULL : pte_offset_map(pmd, address);
}

static inline pte_t *pte_alloc_kernel(pmd_t *pmd, unsigned long address)
{
	if (unlikely(pmd_none(pmdp_get(pmd))) && __pte_alloc_kernel(pmd))
		return NULL;
	return pte_offset_kernel(pmd, address);
}

static inline pmd_t *pmd_alloc(struct mm_struct *mm, pud_t *pud,
			       unsigned long address)
{
	if (unlikely(pud_none(pudp_get(pud))) && __pmd_alloc(mm, pud, address))
		return NULL;
	return pmd_offset(pud, address);
}

static inline pud_t *pud_alloc(struct mm_struct *mm, p4d_t *p4d,
			       unsigned long address)
{
	if (unlikely(p4d_none(p4dp_get(p4d))) && __pud_alloc(mm, p4d, address))
		return NULL;
	return pud_offset(p4d, address);
}

static inline p4d_t *p4d_alloc(struct mm_struct *mm, pgd_t *pgd,
			       unsigned long address)
{
	if (unlikely(pgd_none(pgdp_get(pgd))) && __p4d_alloc(mm, pgd, address))
		return NULL;
	return p4d_offset(pgd, address);
}

/* Unmap-and-free batching (include/asm-generic/tlb.h): entries cleared
 * widen the range to flush; tables freed wait for the flush. */
#define MMU_GATHER_BATCH 64

struct mmu_gather {
	struct mm_struct *mm;
	unsigned long start, end;
	bool fullmm;
	bool freed_tables;
	struct list_head tables; /* struct page via pt_list */
	unsigned nr_pages;       /* user pages to put after the flush */
	struct page *pages[MMU_GATHER_BATCH];
};

void tlb_gather_mmu(struct mmu_gather *tlb, struct mm_struct *mm);
void tlb_gather_mmu_fullmm(struct mmu_gather *tlb, struct mm_struct *mm);
/* Flushes the gathered range (flush_tlb_mm_range), then frees tables. */
void tlb_finish_mmu(struct mmu_gather *tlb);
/* Flushes the gathered range and puts the gathered pages. */
void tlb_flush_mmu(struct mmu_gather *tlb);
/* A page unmapped in the gathered range: put once no TLB can use it. */
void tlb_remove_page(struct mmu_gather *tlb, struct page *page);

static inline void tlb_flush_pte_range(struct mmu_gather *tlb,
				       unsigned long address,
				       unsigned long size)
{
	tlb->start = min(tlb->start, address);
	tlb->end = max(tlb->end, address + size);
}

#define tlb_remove_tlb_entry(tlb, ptep, address) \
	tlb_flush_pte_range(tlb, address, PAGE_SIZE)

/* Frees the page tables that map only [addr, end), within [floor,
 * ceiling) where no other mapping lives (ceiling 0: the top). The
 * entries must be cleared already (mm/memory.c free_pgd_range). */
void free_pgd_range(struct mmu_gather *tlb, unsigned long addr,
		    unsigned long end, unsigned long floor,
		    unsigned long ceiling);

/* mmsim: map [addr, addr + size) to pfn.. with prot, in leaves of
 * page_size (PAGE_SIZE, PMD_SIZE or PUD_SIZE; addr, size and pfn aligned
 * to it), allocating tables; existing entries are overwritten. No TLB
 * flush. 0, -EINVAL or -ENOMEM. */
int pt_map_range(struct mm_struct *mm, unsigned long addr, unsigned long size,
		 unsigned long pfn, pgprot_t prot, unsigned long page_size);
/* mmsim: clears every leaf mapping [addr, end) (huge leaves must lie
 * inside it), gathering the range into tlb. Pages are not put. Returns
 * the number of leaves cleared. */
unsigned long pt_zap_range(struct mmu_gather *tlb, unsigned long addr,
			   unsigned long end);

/* x86 lookup_address_in_pgd(): the entry mapping address at whatever
 * level (*level: PG_LEVEL_4K, 2M, 1G), or NULL when nothing maps it. */
pte_t *lookup_address_in_pgd(pgd_t *pgd, unsigned long address,
			     unsigned int *level);
pte_t *lookup_address(unsigned long address, unsigned int *level);

/* ---- address spaces -------------------------------------------------------------- */

/* Sets up mm's page tables (a pgd sharing the kernel half), its TLB
 * context, and registers it for the checker. 0 or -ENOMEM. */
int mm_pgtable_init(struct mm_struct *mm);
/* Unloads mm from every CPU, frees all its user page tables and its pgd,
 * and unregisters it. Leaves must be cleared first (pt_zap_range). */
void mm_pgtable_exit(struct mm_struct *mm);

/* ---- boot and reports -------------------------------------------------------------- */

/* The direct map of low memory at PAGE_OFFSET in swapper_pg_dir
 * (arch/x86/mm/init.c init_mem_mapping), from the kernel image's early
 * page-table buffer and memblock; loads it on every CPU. */
bool init_mem_mapping(void);
/* riscv64: the linear map of all memory outside NOMAP regions, RAM's
 * start at PAGE_OFFSET (arch/riscv/mm/init.c setup_vm_final), tables
 * from memblock; loads it on every CPU. */
bool setup_vm_final(void);
/* DirectMap4k, DirectMap2M (4M on i386), DirectMap1G lines of meminfo
 * (x86 only). */
void arch_report_meminfo(struct seq_file *m);

/* Walks every registered mm and checks: each present entry's pfn is
 * valid; each table is a PGTY_table page owned by its mm at its level (or
 * a reserved boot table of init_mm); no table is reachable twice; leaves
 * are aligned and at levels that allow them; user pgds share the kernel
 * half; NR_PAGETABLE equals the reachable table pages that came from the
 * buddy allocator, and so does the number of PGTY_table pages in
 * mem_map; pgtables_bytes matches. Prints each violation; returns how
 * many were found. */
unsigned long check_pgtable_invariants(void);

#endif
