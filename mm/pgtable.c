/* Page-table pages (mm/memory.c, mm/pgtable-generic.c, asm-generic/
 * pgalloc.h, arch/x86/mm/pgtable.c): allocation from the buddy allocator
 * (zeroed; GFP_PGTABLE_USER, or GFP_PGTABLE_KERNEL for init_mm) with the
 * ptdesc constructor (PGTY_table, owner, NR_PAGETABLE), installation,
 * the mm_struct's pgtables_bytes, free_pgd_range() under an mmu_gather,
 * pgd_alloc() sharing the kernel half, lookup_address(), mmsim's map and
 * zap helpers, the list of mms, and the page-table invariant checker. */
#include "mm/pgtable.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "arch/tlbflush.h"
#include "kernel/printk.h"
#include "mm/vmstat.h"

/* ---- constructor and destructor ------------------------------------------ */

static void pagetable_ctor(struct page *page, struct mm_struct *mm, int level)
{
	__SetPageTable(page);
	page->pt_mm = mm;
	page->pt_level = (unsigned long)level;
	__mod_node_page_state(page_pgdat(page), NR_PAGETABLE, 1);
}

static void pagetable_dtor(struct page *page)
{
	__ClearPageTable(page);
	page->pt_mm = NULL;
	page->pt_level = 0;
	__mod_node_page_state(page_pgdat(page), NR_PAGETABLE, -1);
}

/* A zeroed table page for hardware level lvl of mm, or NULL. */
static struct page *pagetable_alloc(struct mm_struct *mm, int lvl)
{
	gfp_t gfp = mm == &init_mm ? GFP_PGTABLE_KERNEL : GFP_PGTABLE_USER;
	struct page *page = alloc_pages(gfp, 0);

	if (page)
		pagetable_ctor(page, mm, lvl);
	return page;
}

static void pagetable_free(struct page *page)
{
	if (!PageTable(page)) {
		dump_page(page, "freeing a page that is not a page table");
		BUG_REPORT();
		return;
	}
	pagetable_dtor(page);
	__free_page(page);
}

static int hw_level(enum pt_level l)
{
	return ptfmt()->named[l];
}

static void *table_addr(struct page *page)
{
	return page ? page_address(page) : NULL;
}

struct page *pte_alloc_one(struct mm_struct *mm)
{
	return pagetable_alloc(mm, hw_level(PT_PTE));
}

pte_t *pte_alloc_one_kernel(struct mm_struct *mm)
{
	return table_addr(pagetable_alloc(mm, hw_level(PT_PTE)));
}

void pte_free(struct mm_struct *mm, struct page *pte)
{
	(void)mm;
	pagetable_free(pte);
}

void pte_free_kernel(struct mm_struct *mm, pte_t *pte)
{
	(void)mm;
	pagetable_free(virt_to_page(pte));
}

pmd_t *pmd_alloc_one(struct mm_struct *mm, unsigned long addr)
{
	(void)addr;
	return table_addr(pagetable_alloc(mm, hw_level(PT_PMD)));
}

void pmd_free(struct mm_struct *mm, pmd_t *pmd)
{
	(void)mm;
	pagetable_free(virt_to_page(pmd));
}

pud_t *pud_alloc_one(struct mm_struct *mm, unsigned long addr)
{
	(void)addr;
	return table_addr(pagetable_alloc(mm, hw_level(PT_PUD)));
}

void pud_free(struct mm_struct *mm, pud_t *pud)
{
	(void)mm;
	pagetable_free(virt_to_page(pud));
}

p4d_t *p4d_alloc_one(struct mm_struct *mm, unsigned long addr)
{
	(void)addr;
	return table_addr(pagetable_alloc(mm, hw_level(PT_P4D)));
}

void p4d_free(struct mm_struct *mm, p4d_t *p4d)
{
	(void)mm;
	pagetable_free(virt_to_page(p4d));
}

/* ---- the pgd ---------------------------------------------------------------- */

/* A new pgd with the kernel half copied from swapper_pg_dir (x86
 * pgd_ctor: clone_pgd_range over KERNEL_PGD_BOUNDARY..PTRS_PER_PGD). */
pgd_t *pgd_alloc(struct mm_struct *mm)
{
	pgd_t *pgd = table_addr(pagetable_alloc(mm, 0));

	if (!pgd)
		return NULL;
	for (unsigned long i = KERNEL_PGD_BOUNDARY; i < PTRS_PER_PGD; i++)
		set_pgd(pt_slot(pgd, i), pgdp_get(pt_slot(swapper_pg_dir, i)));
	return pgd;
}

void pgd_free(struct mm_struct *mm, pgd_t *pgd)
{
	(void)mm;
	pagetable_free(virt_to_page(pgd));
}

/* ---- installing tables ---------------------------------------------------------- */

static pteval_t table_entry(void *table)
{
	return pt_addr_field(ptfmt(), __pa(table)) | _PAGE_TABLE;
}

void pmd_populate(struct mm_struct *mm, pmd_t *pmd, struct page *pte)
{
	(void)mm;
	set_pmd(pmd, __pmd(table_entry(page_address(pte))));
}

void pmd_populate_kernel(struct mm_struct *mm, pmd_t *pmd, pte_t *pte)
{
	(void)mm;
	set_pmd(pmd, __pmd(table_entry(pte)));
}

void pud_populate(struct mm_struct *mm, pud_t *pud, pmd_t *pmd)
{
	(void)mm;
	if (!pt_folded(PT_PMD))
		set_pud(pud, __pud(table_entry(pmd)));
}

void p4d_populate(struct mm_struct *mm, p4d_t *p4d, pud_t *pud)
{
	(void)mm;
	if (!pt_folded(PT_PUD))
		set_p4d(p4d, __p4d(table_entry(pud)));
}

void pgd_populate(struct mm_struct *mm, pgd_t *pgd, p4d_t *p4d)
{
	(void)mm;
	if (!pt_folded(PT_P4D))
		set_pgd(pgd, __pgd(table_entry(p4d)));
}

/* mm->pgtables_bytes (VmPTE): PTE, PMD and PUD tables that exist. */
static void mm_add_table(struct mm_struct *mm, enum pt_level l, long sign)
{
	if (!pt_folded(l))
		mm->pgtables_bytes += sign * (long)PAGE_SIZE;
}

int __pte_alloc(struct mm_struct *mm, pmd_t *pmd)
{
	struct page *new = pte_alloc_one(mm);

	if (!new)
		return -ENOMEM;
	if (pmd_none(pmdp_get(pmd))) {
		mm_add_table(mm, PT_PTE, 1);
		pmd_populate(mm, pmd, new);
	} else {
		pte_free(mm, new); /* someone populated it meanwhile */
	}
	return 0;
}

int __pte_alloc_kernel(pmd_t *pmd)
{
	pte_t *new = pte_alloc_one_kernel(&init_mm);

	if (!new)
		return -ENOMEM;
	if (pmd_none(pmdp_get(pmd)))
		pmd_populate_kernel(&init_mm, pmd, new);
	else
		pte_free_kernel(&init_mm, new);
	return 0;
}

int __pmd_alloc(struct mm_struct *mm, pud_t *pud, unsigned long address)
{
	pmd_t *new = pmd_alloc_one(mm, address);

	if (!new)
		return -ENOMEM;
	if (!pud_present(pudp_get(pud))) {
		mm_add_table(mm, PT_PMD, 1);
		pud_populate(mm, pud, new);
	} else {
		pmd_free(mm, new);
	}
	return 0;
}

int __pud_alloc(struct mm_struct *mm, p4d_t *p4d, unsigned long address)
{
	pud_t *new = pud_alloc_one(mm, address);

	if (!new)
		return -ENOMEM;
	if (!p4d_present(p4dp_get(p4d))) {
		mm_add_table(mm, PT_PUD, 1);
		p4d_populate(mm, p4d, new);
	} else {
		pud_free(mm, new);
	}
	return 0;
}

int __p4d_alloc(struct mm_struct *mm, pgd_t *pgd, unsigned long address)
{
	p4d_t *new = p4d_alloc_one(mm, address);

	if (!new)
		return -ENOMEM;
	if (pgd_present(pgdp_get(pgd)))
		p4d_free(mm, new);
	else
		pgd_populate(mm, pgd, new);
	return 0;
}

/* ---- mmu_gather -------------------------------------------------------------------- */

static void tlb_reset_range(struct mmu_gather *tlb)
{
	tlb->start = tlb->fullmm ? ~0UL : ~0UL;
	tlb->end = tlb->fullmm ? ~0UL : 0;
}

static void gather_init(struct mmu_gather *tlb, struct mm_struct *mm,
			bool fullmm)
{
	tlb->mm = mm;
	tlb->fullmm = fullmm;
	tlb->freed_tables = false;
	tlb->nr_pages = 0;
	INIT_LIST_HEAD(&tlb->tables);
	tlb_reset_range(tlb);
}

void tlb_gather_mmu(struct mmu_gather *tlb, struct mm_struct *mm)
{
	gather_init(tlb, mm, false);
}

void tlb_gather_mmu_fullmm(struct mmu_gather *tlb, struct mm_struct *mm)
{
	gather_init(tlb, mm, true);
}

static void tlb_flush_range(struct mmu_gather *tlb)
{
	if (!tlb->end)
		return;
	if (tlb->fullmm)
		flush_tlb_mm_range(tlb->mm, 0, TLB_FLUSH_ALL, PAGE_SHIFT,
				   tlb->freed_tables);
	else
		flush_tlb_mm_range(tlb->mm, tlb->start, tlb->end, PAGE_SHIFT,
				   tlb->freed_tables);
}

void tlb_flush_mmu(struct mmu_gather *tlb)
{
	tlb_flush_range(tlb);
	tlb_reset_range(tlb);
	for (unsigned i = 0; i < tlb->nr_pages; i++)
		put_page(tlb->pages[i]);
	tlb->nr_pages = 0;
}

void tlb_remove_page(struct mmu_gather *tlb, struct page *page)
{
	tlb->pages[tlb->nr_pages++] = page;
	if (tlb->nr_pages == MMU_GATHER_BATCH)
		tlb_flush_mmu(tlb);
}

void tlb_finish_mmu(struct mmu_gather *tlb)
{
	struct page *page, *next;

	tlb_flush_range(tlb);
	for (unsigned i = 0; i < tlb->nr_pages; i++)
		put_page(tlb->pages[i]);
	tlb->nr_pages = 0;
	list_for_each_entry_safe(page, next, &tlb->tables, pt_list) {
		list_del(&page->pt_list);
		pagetable_free(page);
	}
	tlb->freed_tables = false;
	tlb_reset_range(tlb);
}

/* A table to free after the flush; its range must be flushed too. */
static void free_table_tlb(struct mmu_gather *tlb, void *table,
			   unsigned long addr)
{
	struct page *page = virt_to_page(table);

	tlb_flush_pte_range(tlb, addr, PAGE_SIZE);
	tlb->freed_tables = true;
	list_add_tail(&page->pt_list, &tlb->tables);
}

/* ---- free_pgd_range (mm/memory.c) ----------------------------------------------------- */

static void pt_clear_bad(const char *what, pteval_t v)
{
	pr_err("mm/pgtable.c: bad %s %016llx\n", what, (unsigned long long)v);
	M->nr_bugs++;
}

static bool pmd_none_or_clear_bad(pmd_t *pmd)
{
	pmd_t v = pmdp_get(pmd);

	if (pmd_none(v))
		return true;
	if (unlikely(pmd_bad(v))) {
		pt_clear_bad("pmd", pmd_val(v));
		pmd_clear(pmd);
		return true;
	}
	return false;
}

#define NONE_OR_CLEAR_BAD(name, type, L)                    \
	static bool name##_none_or_clear_bad(type *p)       \
	{                                                   \
		type v = name##p_get(p);                    \
		if (name##_none(v))                         \
			return true;                        \
		if (unlikely(name##_bad(v))) {              \
			pt_clear_bad(#name, name##_val(v)); \
			name##_clear(p);                    \
			return true;                        \
		}                                           \
		return false;                               \
	}

NONE_OR_CLEAR_BAD(pud, pud_t, PT_PUD)
NONE_OR_CLEAR_BAD(p4d, p4d_t, PT_P4D)
NONE_OR_CLEAR_BAD(pgd, pgd_t, PT_PGD)
#undef NONE_OR_CLEAR_BAD

static void free_pte_range(struct mmu_gather *tlb, pmd_t *pmd,
			   unsigned long addr)
{
	void *table = pt_val_table(pmd_val(pmdp_get(pmd)));

	pmd_clear(pmd);
	free_table_tlb(tlb, table, addr);
	mm_add_table(tlb->mm, PT_PTE, -1);
}

/* Whether the tables spanning [start & mask, +size) may go: nothing of
 * another mapping lives below floor or above ceiling in that span. */
static bool span_free(unsigned long start, unsigned long end,
		      unsigned long mask, unsigned long floor,
		      unsigned long ceiling)
{
	start &= mask;
	if (start < floor)
		return false;
	if (ceiling) {
		ceiling &= mask;
		if (!ceiling)
			return false;
	}
	return !(end - 1 > ceiling - 1);
}

static void free_pmd_range(struct mmu_gather *tlb, pud_t *pud,
			   unsigned long addr, unsigned long end,
			   unsigned long floor, unsigned long ceiling)
{
	unsigned long start = addr, next;
	void *table;

	do {
		pmd_t *pmd = pmd_offset(pud, addr);

		next = pmd_addr_end(addr, end);
		if (pmd_none_or_clear_bad(pmd))
			continue;
		free_pte_range(tlb, pmd, addr);
	} while (addr = next, addr != end);

	if (!span_free(start, end, PUD_MASK, floor, ceiling) ||
	    pt_folded(PT_PMD))
		return;
	table = pt_val_table(pud_val(pudp_get(pud)));
	pud_clear(pud);
	free_table_tlb(tlb, table, start & PUD_MASK);
	mm_add_table(tlb->mm, PT_PMD, -1);
}

static void free_pud_range(struct mmu_gather *tlb, p4d_t *p4d,
			   unsigned long addr, unsigned long end,
			   unsigned long floor, unsigned long ceiling)
{
	unsigned long start = addr, next;
	void *table;

	do {
		pud_t *pud = pud_offset(p4d, addr);

		next = pud_addr_end(addr, end);
		if (pud_none_or_clear_bad(pud))
			continue;
		free_pmd_range(tlb, pud, addr, next, floor, ceiling);
	} while (addr = next, addr != end);

	if (!span_free(start, end, P4D_MASK, floor, ceiling) ||
	    pt_folded(PT_PUD))
		return;
	table = pt_val_table(p4d_val(p4dp_get(p4d)));
	p4d_clear(p4d);
	free_table_tlb(tlb, table, start & P4D_MASK);
	mm_add_table(tlb->mm, PT_PUD, -1);
}

static void free_p4d_range(struct mmu_gather *tlb, pgd_t *pgd,
			   unsigned long addr, unsigned long end,
			   unsigned long floor, unsigned long ceiling)
{
	unsigned long start = addr, next;
	void *table;

	do {
		p4d_t *p4d = p4d_offset(pgd, addr);

		next = p4d_addr_end(addr, end);
		if (p4d_none_or_clear_bad(p4d))
			continue;
		free_pud_range(tlb, p4d, addr, next, floor, ceiling);
	} while (addr = next, addr != end);

	if (!span_free(start, end, PGDIR_MASK, floor, ceiling) ||
	    pt_folded(PT_P4D))
		return;
	table = pt_val_table(pgd_val(pgdp_get(pgd)));
	pgd_clear(pgd);
	free_table_tlb(tlb, table, start & PGDIR_MASK);
}

void free_pgd_range(struct mmu_gather *tlb, unsigned long addr,
		    unsigned long end, unsigned long floor,
		    unsigned long ceiling)
{
	unsigned long next;

	addr &= PMD_MASK;
	if (addr < floor) {
		addr += PMD_SIZE;
		if (!addr)
			return;
	}
	if (ceiling) {
		ceiling &= PMD_MASK;
		if (!ceiling)
			return;
	}
	if (end - 1 > ceiling - 1)
		end -= PMD_SIZE;
	if (addr > end - 1)
		return;
	do {
		pgd_t *pgd = pgd_offset(tlb->mm, addr);

		next = pgd_addr_end(addr, end);
		if (pgd_none_or_clear_bad(pgd))
			continue;
		free_p4d_range(tlb, pgd, addr, next, floor, ceiling);
	} while (addr = next, addr != end);
}

/* ---- mapping and zapping (mmsim helpers) ------------------------------------------------ */

static bool leaf_size_ok(enum pt_level l)
{
	return pt_owner(l) && (ptfmt()->leaf_levels >> hw_level(l) & 1);
}

static pte_t *map_walk_pte(struct mm_struct *mm, pmd_t *pmd, unsigned long addr)
{
	if (mm == &init_mm)
		return pte_alloc_kernel(pmd, addr);
	return pte_alloc_map(mm, pmd, addr);
}

/* One leaf: 0, -ENOMEM, or -EBUSY when a lower table is in the way. */
static int map_one(struct mm_struct *mm, unsigned long addr, unsigned long pfn,
		   pgprot_t prot, unsigned long page_size)
{
	p4d_t *p4d = p4d_alloc(mm, pgd_offset(mm, addr), addr);
	pud_t *pud = p4d ? pud_alloc(mm, p4d, addr) : NULL;
	pmd_t *pmd;
	pte_t *pte;

	if (!pud)
		return -ENOMEM;
	if (page_size == PUD_SIZE && page_size != PMD_SIZE) {
		pud_t v = pudp_get(pud);

		if (!pud_none(v) && !pud_leaf(v))
			return -EBUSY;
		set_pud(pud, pud_mkhuge(pfn_pud(pfn, prot)));
		return 0;
	}
	pmd = pmd_alloc(mm, pud, addr);
	if (!pmd)
		return -ENOMEM;
	if (page_size == PMD_SIZE) {
		pmd_t v = pmdp_get(pmd);

		if (!pmd_none(v) && !pmd_leaf(v))
			return -EBUSY;
		set_pmd(pmd, pmd_mkhuge(pfn_pmd(pfn, prot)));
		return 0;
	}
	if (pmd_leaf(pmdp_get(pmd)))
		return -EBUSY;
	pte = map_walk_pte(mm, pmd, addr);
	if (!pte)
		return -ENOMEM;
	set_pte_at(mm, addr, pte, pfn_pte(pfn, prot));
	return 0;
}

int pt_map_range(struct mm_struct *mm, unsigned long addr, unsigned long size,
		 unsigned long pfn, pgprot_t prot, unsigned long page_size)
{
	unsigned long pages = page_size >> PAGE_SHIFT;

	if (page_size != PAGE_SIZE &&
	    !(page_size == PMD_SIZE && leaf_size_ok(PT_PMD)) &&
	    !(page_size == PUD_SIZE && leaf_size_ok(PT_PUD)))
		return -EINVAL;
	if ((addr | size) & (page_size - 1) || pfn & (pages - 1))
		return -EINVAL;
	for (unsigned long off = 0; off < size; off += page_size) {
		int err = map_one(mm, addr + off, pfn + (off >> PAGE_SHIFT),
				  prot, page_size);

		if (err)
			return err;
	}
	return 0;
}

static unsigned long zap_pte_range(struct mmu_gather *tlb, pmd_t *pmd,
				   unsigned long addr, unsigned long end)
{
	void *table = pt_val_table(pmd_val(pmdp_get(pmd)));
	unsigned long n = 0;

	for (; addr != end; addr += PAGE_SIZE) {
		pte_t *pte = pt_slot(table, pte_index(addr));

		if (pte_none(ptep_get(pte)))
			continue;
		ptep_get_and_clear(tlb->mm, addr, pte);
		tlb_remove_tlb_entry(tlb, pte, addr);
		n++;
	}
	return n;
}

static unsigned long zap_pmd_range(struct mmu_gather *tlb, pud_t *pud,
				   unsigned long addr, unsigned long end)
{
	unsigned long next, n = 0;

	do {
		pmd_t *pmd = pmd_offset(pud, addr);
		pmd_t v = pmdp_get(pmd);

		next = pmd_addr_end(addr, end);
		if (pmd_none(v) || (!pmd_leaf(v) && pmd_bad(v)))
			continue;
		if (pmd_leaf(v)) {
			pmd_clear(pmd);
			tlb_flush_pte_range(tlb, addr & PMD_MASK, PMD_SIZE);
			n++;
			continue;
		}
		n += zap_pte_range(tlb, pmd, addr, next);
	} while (addr = next, addr != end);
	return n;
}

static unsigned long zap_pud_range(struct mmu_gather *tlb, p4d_t *p4d,
				   unsigned long addr, unsigned long end)
{
	unsigned long next, n = 0;

	do {
		pud_t *pud = pud_offset(p4d, addr);
		pud_t v = pudp_get(pud);

		next = pud_addr_end(addr, end);
		if (pud_none(v))
			continue;
		if (pud_leaf(v)) {
			pud_clear(pud);
			tlb_flush_pte_range(tlb, addr & PUD_MASK, PUD_SIZE);
			n++;
			continue;
		}
		if (!pud_bad(v))
			n += zap_pmd_range(tlb, pud, addr, next);
	} while (addr = next, addr != end);
	return n;
}

static unsigned long zap_p4d_range(struct mmu_gather *tlb, pgd_t *pgd,
				   unsigned long addr, unsigned long end)
{
	unsigned long next, n = 0;

	do {
		p4d_t *p4d = p4d_offset(pgd, addr);
		p4d_t v = p4dp_get(p4d);

		next = p4d_addr_end(addr, end);
		if (p4d_none(v) || p4d_bad(v))
			continue;
		n += zap_pud_range(tlb, p4d, addr, next);
	} while (addr = next, addr != end);
	return n;
}

unsigned long pt_zap_range(struct mmu_gather *tlb, unsigned long addr,
			   unsigned long end)
{
	unsigned long next, n = 0;

	if (addr >= end)
		return 0;
	do {
		pgd_t *pgd = pgd_offset(tlb->mm, addr);
		pgd_t v = pgdp_get(pgd);

		next = pgd_addr_end(addr, end);
		if (pgd_none(v) || pgd_bad(v))
			continue;
		n += zap_p4d_range(tlb, pgd, addr, next);
	} while (addr = next, addr != end);
	return n;
}

/* ---- lookup_address (arch/x86/mm/pat/set_memory.c) --------------------------------------- */

pte_t *lookup_address_in_pgd(pgd_t *pgd, unsigned long address,
			     unsigned int *level)
{
	p4d_t *p4d;
	pud_t *pud;
	pmd_t *pmd;

	*level = PG_LEVEL_256T;
	if (pgd_none(pgdp_get(pgd)))
		return NULL;
	*level = PG_LEVEL_512G;
	p4d = p4d_offset(pgd, address);
	if (p4d_none(p4dp_get(p4d)))
		return NULL;
	if (p4d_leaf(p4dp_get(p4d)) || !p4d_present(p4dp_get(p4d)))
		return (pte_t *)p4d;
	*level = PG_LEVEL_1G;
	pud = pud_offset(p4d, address);
	if (pud_none(pudp_get(pud)))
		return NULL;
	if (pud_leaf(pudp_get(pud)) || !pud_present(pudp_get(pud)))
		return (pte_t *)pud;
	*level = PG_LEVEL_2M;
	pmd = pmd_offset(pud, address);
	if (pmd_none(pmdp_get(pmd)))
		return NULL;
	if (pmd_leaf(pmdp_get(pmd)) || !pmd_present(pmdp_get(pmd)))
		return (pte_t *)pmd;
	*level = PG_LEVEL_4K;
	return pte_offset_kernel(pmd, address);
}

pte_t *lookup_address(unsigned long address, unsigned int *level)
{
	return lookup_address_in_pgd(pgd_offset_k(address), address, level);
}

/* ---- address spaces ------------------------------------------------------------------------ */

int mm_pgtable_init(struct mm_struct *mm)
{
	mm->pgtables_bytes = 0;
	memset(mm->cpu_bitmap, 0, sizeof(mm->cpu_bitmap));
	/* init_new_context(): a ctx_id never used before, generation 0. */
	mm->context.ctx_id = ++M->mmu->last_mm_ctx_id;
	mm->context.tlb_gen = 0;
	mm->pgd = pgd_alloc(mm);
	if (!mm->pgd)
		return -ENOMEM;
	list_add_tail(&mm->mm_node, &M->mmu->mms);
	return 0;
}

/* Every CPU that has mm loaded (running or lazily) switches away. */
static void unload_everywhere(struct mm_struct *mm)
{
	int saved = M->this_cpu, cpu;

	for_each_online_cpu(cpu) {
		if (mmu_cpu(M->mmu, cpu)->state.loaded_mm != mm)
			continue;
		M->this_cpu = cpu;
		leave_mm();
	}
	M->this_cpu = saved;
}

void mm_pgtable_exit(struct mm_struct *mm)
{
	struct mmu_gather tlb;

	unload_everywhere(mm);
	tlb_gather_mmu_fullmm(&tlb, mm);
	free_pgd_range(&tlb, FIRST_USER_ADDRESS, TASK_SIZE_MAX,
		       FIRST_USER_ADDRESS, USER_PGTABLES_CEILING);
	tlb_finish_mmu(&tlb);
	if (mm->pgtables_bytes) {
		pr_alert("BUG: non-zero pgtables_bytes on freeing mm: %ld\n",
			 mm->pgtables_bytes);
		M->nr_bugs++;
	}
	pgd_free(mm, mm->pgd);
	mm->pgd = NULL;
	list_del(&mm->mm_node);
}

/* ---- the checker ------------------------------------------------------------------------------ */

struct pt_check {
	unsigned long problems;
	unsigned long counted; /* buddy table pages reachable */
	unsigned char *seen; /* bitmap over pfns */
	struct mm_struct *mm;
	long mm_bytes; /* pgtables_bytes found for mm */
};

static void pt_problem(struct pt_check *c, const char *fmt,
		       unsigned long long a, unsigned long long b)
{
	char text[200];

	snprintf(text, sizeof(text), fmt, a, b);
	pr_err("pgtable check: %s\n", text);
	c->problems++;
}

static bool table_page_ok(struct pt_check *c, uint64_t pa, int lvl)
{
	unsigned long pfn = PFN_DOWN(pa);
	struct page *page;

	if (!pfn_valid(pfn)) {
		pt_problem(c,
			   "table at pa %#llx (level %llu) has no struct page",
			   pa, (unsigned long long)lvl);
		return false;
	}
	if (c->seen[pfn / 8] & (1u << (pfn % 8))) {
		pt_problem(c, "table pfn %#llx reachable twice (level %llu)",
			   pfn, (unsigned long long)lvl);
		return false;
	}
	c->seen[pfn / 8] |= 1u << (pfn % 8);
	page = pfn_to_page(pfn);
	if (PageTable(page)) {
		if (page->pt_mm != c->mm ||
		    page->pt_level != (unsigned long)lvl)
			pt_problem(c,
				   "table pfn %#llx: wrong owner or level %llu",
				   pfn, page->pt_level);
		c->counted++;
		if (lvl && lvl >= hw_level(PT_PUD))
			c->mm_bytes += PAGE_SIZE;
		return true;
	}
	if (c->mm == &init_mm && PageReserved(page))
		return true; /* a boot table (kernel image or memblock) */
	pt_problem(c, "table pfn %#llx (level %llu) is not a PGTY_table page",
		   pfn, (unsigned long long)lvl);
	return false;
}

static void check_leaf(struct pt_check *c, pteval_t v, int lvl,
		       unsigned long long va)
{
	const struct pt_format *f = ptfmt();
	uint64_t size = pt_level_size(f, lvl);
	uint64_t pa = pt_entry_addr(f, v ^ protnone_mask(v)) & ~(size - 1);

	/* A PROT_NONE entry keeps its pfn inverted (L1TF): check the bits
	 * it would have when present. */
	if (!(f->leaf_levels >> lvl & 1) ||
	    ((v ^ (protnone_mask(v) & f->pfn_mask)) &
	     (f->rsvd[lvl] | f->rsvd_leaf[lvl])))
		pt_problem(c, "bad leaf %#llx at va %#llx", v, va);
	else if (pa < M->phys_ram_base ||
		 pa + size > M->phys_ram_base + M->ram_bytes)
		pt_problem(c, "leaf at va %#llx maps pa %#llx outside RAM", va,
			   pa);
	else if (c->mm != &init_mm && size == PAGE_SIZE &&
		 !pfn_valid(PFN_DOWN(pa)))
		pt_problem(
			c,
			"user pte at va %#llx maps pfn %#llx without a struct page",
			va, PFN_DOWN(pa));
}

static void check_table(struct pt_check *c, void *table, int lvl,
			unsigned long long va, unsigned long first,
			unsigned long last)
{
	const struct pt_format *f = ptfmt();

	for (unsigned long i = first; i < last; i++) {
		pteval_t v = pt_load(f, pt_slot(table, i));
		unsigned long long eva =
			va + ((unsigned long long)i << f->shift[lvl]);
		bool leaf = lvl == f->levels - 1 || (v & f->leaf_bits);

		if (pt_val_none(v))
			continue;
		if (!pt_val_present(v)) {
			if (lvl != f->levels - 1)
				pt_problem(
					c,
					"non-present upper entry %#llx at va %#llx",
					v, eva);
			continue;
		}
		if (leaf) {
			check_leaf(c, v, lvl, eva);
			continue;
		}
		if (pt_val_bad(v)) {
			pt_problem(c, "bad table entry %#llx at va %#llx", v,
				   eva);
			continue;
		}
		if (table_page_ok(c, pt_entry_addr(f, v), lvl + 1))
			check_table(c, pt_val_table(v), lvl + 1, eva, 0,
				    pt_ptrs(f));
	}
}

static void check_mm(struct pt_check *c, struct mm_struct *mm)
{
	unsigned long boundary = KERNEL_PGD_BOUNDARY, nr = PTRS_PER_PGD;

	c->mm = mm;
	c->mm_bytes = 0;
	if (!table_page_ok(c, __pa(mm->pgd), 0))
		return;
	if (mm == &init_mm) {
		check_table(c, mm->pgd, 0, 0, 0, nr);
		return;
	}
	check_table(c, mm->pgd, 0, 0, 0, boundary);
	for (unsigned long i = boundary; i < nr; i++) {
		pteval_t v = pgd_val(pgdp_get(pt_slot(mm->pgd, i)));

		if (v && v != pgd_val(pgdp_get(pt_slot(swapper_pg_dir, i))))
			pt_problem(
				c,
				"pgd entry %llu differs from swapper_pg_dir (%#llx)",
				i, v);
	}
	if (c->mm_bytes != mm->pgtables_bytes)
		pt_problem(c, "pgtables_bytes %lld, tables found %lld bytes",
			   (unsigned long long)mm->pgtables_bytes,
			   (unsigned long long)c->mm_bytes);
}

/* PGTY_table pages anywhere in mem_map. */
static unsigned long count_table_pages(void)
{
	unsigned long n = 0;

	for (unsigned long pfn = PFN_DOWN(M->phys_ram_base); pfn < M->max_pfn;
	     pfn++)
		if (pfn_valid(pfn) && PageTable(pfn_to_page(pfn)))
			n++;
	return n;
}

unsigned long check_pgtable_invariants(void)
{
	struct pt_check c = { 0 };
	struct mm_struct *mm;
	unsigned long nr = global_node_page_state(NR_PAGETABLE);
	unsigned long typed;

	c.seen = calloc(M->max_pfn / 8 + 1, 1);
	if (!c.seen) {
		pr_err("pgtable check: out of host memory\n");
		return 1;
	}
	list_for_each_entry(mm, &M->mmu->mms, mm_node)
		check_mm(&c, mm);
	free(c.seen);
	if (c.counted != nr)
		pt_problem(&c,
			   "NR_PAGETABLE is %llu, reachable table pages %llu",
			   nr, c.counted);
	typed = count_table_pages();
	if (typed != nr)
		pt_problem(&c, "NR_PAGETABLE is %llu, PGTY_table pages %llu",
			   nr, typed);
	return c.problems;
}
