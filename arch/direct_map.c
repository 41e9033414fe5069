/* The kernel page table at boot (arch/x86/mm/init.c, init_64.c,
 * init_32.c): swapper_pg_dir and the direct map of low memory at
 * PAGE_OFFSET, split as split_mem_range() does (4K head up to the first
 * 2M (i386: the first 4M), 2M pages, 1G pages with direct_gbpages, then
 * 2M and 4K tails), with adjust_range_page_size_mask() promoting a range
 * whose whole large page is memory. The ISA range [0, 1M) is mapped
 * first, regardless of holes. Tables come from the kernel image's
 * early page-table buffer (pgt_buf in .brk), then memblock, and are
 * reserved pages, not PGTY_table, uncounted in NR_PAGETABLE as in Linux.
 * Also meminfo's DirectMap lines.
 *
 * riscv64 (arch/riscv/mm/init.c setup_vm_final): the linear map of all
 * memory but the NOMAP regions, phys_ram_base at PAGE_OFFSET, each step
 * the largest leaf best_map_size() allows (1G with Sv48, 2M, else 4K),
 * tables from memblock. */
#include <string.h>

#include "arch/tlbflush.h"
#include "kernel/printk.h"
#include "mm/memblock.h"
#include "mm/pgtable.h"
#include "mm/vmstat.h"

#define ISA_END_ADDRESS 0x100000ULL
#define NR_RANGE_MR 5

struct map_range {
	uint64_t start, end;
	unsigned page_size_mask; /* 1 << PG_LEVEL_2M, 1 << PG_LEVEL_1G */
};

struct early_pgt {
	uint64_t next, top; /* pgt_buf: [next, top) left */
	unsigned page_size_mask;
	bool failed;
};

/* ---- early tables ------------------------------------------------------- */

/* Linux's alloc_low_pages(1): pgt_buf first, then memblock. */
static void *alloc_low_page(struct early_pgt *e)
{
	uint64_t pa;

	if (e->next < e->top) {
		pa = e->next;
		e->next += PAGE_SIZE;
	} else {
		pa = memblock_phys_alloc_range(PAGE_SIZE, PAGE_SIZE,
					       ISA_END_ADDRESS,
					       M->memblock.current_limit,
					       NUMA_NO_NODE);
		if (!pa) {
			e->failed = true;
			return NULL;
		}
	}
	memset(__va(pa), 0, PAGE_SIZE);
	return __va(pa);
}

static p4d_t *early_p4d(struct early_pgt *e, pgd_t *pgd, unsigned long va)
{
	if (pgd_none(pgdp_get(pgd))) {
		p4d_t *p4d = alloc_low_page(e);

		if (!p4d)
			return NULL;
		pgd_populate(&init_mm, pgd, p4d);
	}
	return p4d_offset(pgd, va);
}

static pud_t *early_pud(struct early_pgt *e, p4d_t *p4d, unsigned long va)
{
	if (p4d_none(p4dp_get(p4d))) {
		pud_t *pud = alloc_low_page(e);

		if (!pud)
			return NULL;
		p4d_populate(&init_mm, p4d, pud);
	}
	return pud_offset(p4d, va);
}

static pmd_t *early_pmd(struct early_pgt *e, pud_t *pud, unsigned long va)
{
	if (pud_none(pudp_get(pud))) {
		pmd_t *pmd = alloc_low_page(e);

		if (!pmd)
			return NULL;
		pud_populate(&init_mm, pud, pmd);
	}
	return pmd_offset(pud, va);
}

static pte_t *early_pte_table(struct early_pgt *e, pmd_t *pmd)
{
	if (pmd_none(pmdp_get(pmd))) {
		pte_t *pte = alloc_low_page(e);

		if (!pte)
			return NULL;
		pmd_populate_kernel(&init_mm, pmd, pte);
	}
	return pt_val_table(pmd_val(pmdp_get(pmd)));
}

/* ---- kernel_physical_mapping_init ----------------------------------------- */

static void update_page_count(enum pg_level level, unsigned long pages)
{
	M->mmu->direct_pages_count[level] += pages;
}

/* [pa, end) inside one pmd's span, with 4K pages; returns the end. */
static uint64_t phys_pte_init(struct early_pgt *e, pmd_t *pmd, uint64_t pa,
			      uint64_t end)
{
	pte_t *table = early_pte_table(e, pmd);
	uint64_t stop = min(end, (pa & PMD_MASK) + PMD_SIZE);
	unsigned long pages = 0;

	if (!table)
		return end;
	for (; pa < stop; pa += PAGE_SIZE) {
		pte_t *pte = pt_slot(table, pte_index(PAGE_OFFSET + pa));

		if (!pte_none(ptep_get(pte)))
			continue;
		set_pte(pte, pfn_pte(PFN_DOWN(pa), PAGE_KERNEL));
		pages++;
	}
	update_page_count(PG_LEVEL_4K, pages);
	return stop;
}

/* One step at pa: a 1G or 2M leaf when the mask allows, else 4K pages to
 * the end of the pmd's span. Returns where the next step starts. */
static uint64_t map_step(struct early_pgt *e, uint64_t pa, uint64_t end)
{
	unsigned long va = PAGE_OFFSET + (unsigned long)pa;
	pgprot_t large = PAGE_KERNEL_LARGE;
	p4d_t *p4d = early_p4d(e, pgd_offset_k(va), va);
	pud_t *pud = p4d ? early_pud(e, p4d, va) : NULL;
	pmd_t *pmd;

	if (!pud)
		return end;
	if ((e->page_size_mask & 1u << PG_LEVEL_1G) && pt_owner(PT_PUD)) {
		if (pud_none(pudp_get(pud))) {
			set_pud(pud, pfn_pud(PFN_DOWN(pa), large));
			update_page_count(PG_LEVEL_1G, 1);
		}
		if (pud_leaf(pudp_get(pud)))
			return (pa & PUD_MASK) + PUD_SIZE;
	}
	pmd = early_pmd(e, pud, va);
	if (!pmd)
		return end;
	if (e->page_size_mask & 1u << PG_LEVEL_2M) {
		if (pmd_none(pmdp_get(pmd))) {
			set_pmd(pmd, pfn_pmd(PFN_DOWN(pa), large));
			update_page_count(PG_LEVEL_2M, 1);
		}
		if (pmd_leaf(pmdp_get(pmd)))
			return (pa & PMD_MASK) + PMD_SIZE;
	}
	return phys_pte_init(e, pmd, pa, end);
}

static void kernel_physical_mapping_init(struct early_pgt *e, uint64_t start,
					 uint64_t end, unsigned mask)
{
	unsigned saved = e->page_size_mask;

	e->page_size_mask = mask;
	while (start < end && !e->failed)
		start = map_step(e, start, end);
	e->page_size_mask = saved;
}

/* ---- split_mem_range --------------------------------------------------------- */

/* Whether [start, end) lies in one stretch of RAM (memblock regions
 * merged, as they are before NUMA init splits them by node). */
static bool region_is_memory(uint64_t start, uint64_t end)
{
	const struct memblock_type *t = &M->memblock.memory;
	uint64_t lo = 0, hi = 0;

	for (unsigned i = 0; i < t->cnt; i++) {
		const struct memblock_region *r = &t->regions[i];

		if (r->base != hi) {
			if (lo <= start && end <= hi && hi > lo)
				return true;
			lo = r->base;
		}
		hi = r->base + r->size;
	}
	return lo <= start && end <= hi && hi > lo;
}

static int save_mr(struct map_range *mr, int nr, uint64_t spfn, uint64_t epfn,
		   unsigned mask)
{
	if (spfn < epfn && nr < NR_RANGE_MR) {
		mr[nr].start = PFN_PHYS(spfn);
		mr[nr].end = PFN_PHYS(epfn);
		mr[nr].page_size_mask = mask;
		nr++;
	}
	return nr;
}

static void adjust_range_page_size_mask(struct map_range *mr, int nr,
					unsigned mask)
{
	for (int i = 0; i < nr; i++) {
		if ((mask & 1u << PG_LEVEL_2M) &&
		    !(mr[i].page_size_mask & 1u << PG_LEVEL_2M)) {
			uint64_t s =
				ALIGN_DOWN(mr[i].start, (uint64_t)PMD_SIZE);
			uint64_t e = ALIGN(mr[i].end, (uint64_t)PMD_SIZE);

			if ((M->arch->bits == 64 ||
			     PFN_DOWN(e) <= M->max_low_pfn) &&
			    region_is_memory(s, e))
				mr[i].page_size_mask |= 1u << PG_LEVEL_2M;
		}
		if ((mask & 1u << PG_LEVEL_1G) &&
		    !(mr[i].page_size_mask & 1u << PG_LEVEL_1G)) {
			uint64_t s =
				ALIGN_DOWN(mr[i].start, (uint64_t)PUD_SIZE);
			uint64_t e = ALIGN(mr[i].end, (uint64_t)PUD_SIZE);

			if (region_is_memory(s, e))
				mr[i].page_size_mask |= 1u << PG_LEVEL_1G;
		}
	}
}

static int split_mem_range(struct map_range *mr, uint64_t start, uint64_t end,
			   unsigned mask)
{
	uint64_t pmd_pfns = PFN_DOWN(PMD_SIZE), pud_pfns = PFN_DOWN(PUD_SIZE);
	uint64_t limit = PFN_DOWN(end), pfn = PFN_DOWN(start), spfn, epfn;
	bool is64 = M->arch->bits == 64;
	int nr = 0;

	/* Head, up to the first large-page boundary (i386: not below 4M). */
	epfn = !is64 && pfn == 0 ? pmd_pfns : ALIGN(pfn, pmd_pfns);
	epfn = min(epfn, limit);
	if (pfn < epfn) {
		nr = save_mr(mr, nr, pfn, epfn, 0);
		pfn = epfn;
	}
	/* 2M (4M) pages up to the first 1G boundary. */
	spfn = ALIGN(pfn, pmd_pfns);
	epfn = is64 ? min(ALIGN(pfn, pud_pfns), ALIGN_DOWN(limit, pmd_pfns)) :
		      ALIGN_DOWN(limit, pmd_pfns);
	if (spfn < epfn) {
		nr = save_mr(mr, nr, spfn, epfn, mask & 1u << PG_LEVEL_2M);
		pfn = epfn;
	}
	if (is64) {
		spfn = ALIGN(pfn, pud_pfns);
		epfn = ALIGN_DOWN(limit, pud_pfns);
		if (spfn < epfn) {
			nr = save_mr(mr, nr, spfn, epfn,
				     mask & (1u << PG_LEVEL_2M |
					     1u << PG_LEVEL_1G));
			pfn = epfn;
		}
		spfn = ALIGN(pfn, pmd_pfns);
		epfn = ALIGN_DOWN(limit, pmd_pfns);
		if (spfn < epfn) {
			nr = save_mr(mr, nr, spfn, epfn,
				     mask & 1u << PG_LEVEL_2M);
			pfn = epfn;
		}
	}
	nr = save_mr(mr, nr, pfn, limit, 0);
	adjust_range_page_size_mask(mr, nr, mask);
	return nr;
}

static void init_memory_mapping(struct early_pgt *e, uint64_t start,
				uint64_t end)
{
	struct map_range mr[NR_RANGE_MR];
	int nr = split_mem_range(mr, start, end, e->page_size_mask);

	for (int i = 0; i < nr; i++)
		kernel_physical_mapping_init(e, mr[i].start, mr[i].end,
					     mr[i].page_size_mask);
}

/* Each stretch of RAM (merged memblock regions) inside [start, end). */
static void init_range_memory_mapping(struct early_pgt *e, uint64_t start,
				      uint64_t end)
{
	const struct memblock_type *t = &M->memblock.memory;

	for (unsigned i = 0; i < t->cnt;) {
		uint64_t lo = t->regions[i].base;
		uint64_t hi = lo + t->regions[i].size;

		for (i++; i < t->cnt && t->regions[i].base == hi; i++)
			hi += t->regions[i].size;
		lo = max(lo, start);
		hi = min(hi, end);
		if (lo < hi)
			init_memory_mapping(e, lo, hi);
	}
}

/* ---- init_mem_mapping ------------------------------------------------------- */

/* swapper_pg_dir and pgt_buf live in the kernel image's bss/brk (riscv64
 * has no pgt_buf: its early tables come from memblock). */
static void early_pgt_setup(struct early_pgt *e)
{
	const struct kernel_image *k = &M->image;
	uint64_t bss = kernel_bss_start(k);
	unsigned long buf = !M->arch->x86	? 0 :
			    M->arch->bits == 64 ? 16 :
						  6; /* INIT_PGT_BUF_SIZE */
	unsigned long room = PFN_DOWN(k->bss);

	init_mm.pgd = __va(bss);
	memset(init_mm.pgd, 0, PAGE_SIZE);
	e->next = bss + PAGE_SIZE;
	e->top = e->next + min(buf, room ? room - 1 : 0) * PAGE_SIZE;
}

static unsigned probe_page_size_mask(void)
{
	unsigned mask = 1u << PG_LEVEL_2M; /* PSE */

	if (M->mmu->direct_gbpages) {
		pr_info("Using GB pages for direct mapping\n");
		mask |= 1u << PG_LEVEL_1G;
	}
	return mask;
}

bool init_mem_mapping(void)
{
	struct early_pgt e = { 0 };
	uint64_t end =
		PFN_PHYS(M->arch->bits == 64 ? M->max_pfn : M->max_low_pfn);
	int cpu;

	e.page_size_mask = probe_page_size_mask();
	early_pgt_setup(&e);
	/* The ISA range is always mapped, regardless of memory holes. */
	init_memory_mapping(&e, 0, ISA_END_ADDRESS);
	init_range_memory_mapping(&e, ISA_END_ADDRESS, end);
	if (e.failed)
		return false;
	for_each_online_cpu(cpu)
		tlbflush_init_cpu(cpu);
	return true;
}

/* ---- riscv64: setup_vm_final ------------------------------------------------ */

static unsigned long linear_map_va(uint64_t pa)
{
	return PAGE_OFFSET + (unsigned long)(pa - M->phys_ram_base);
}

/* The largest leaf that maps pa at va with size bytes left: 1G only when
 * the pud is a level of its own (Sv48), 2M, else 4K. */
static uint64_t best_map_size(uint64_t pa, unsigned long va, uint64_t size)
{
	if (!pt_folded(PT_PUD) && !(pa & (PUD_SIZE - 1)) &&
	    !(va & (PUD_SIZE - 1)) && size >= PUD_SIZE)
		return PUD_SIZE;
	if (!(pa & (PMD_SIZE - 1)) && !(va & (PMD_SIZE - 1)) &&
	    size >= PMD_SIZE)
		return PMD_SIZE;
	return PAGE_SIZE;
}

/* create_pgd_mapping(swapper_pg_dir, va, pa, sz, PAGE_KERNEL). */
static void create_pgd_mapping(struct early_pgt *e, unsigned long va,
			       uint64_t pa, uint64_t sz)
{
	p4d_t *p4d = early_p4d(e, pgd_offset_k(va), va);
	pud_t *pud = p4d ? early_pud(e, p4d, va) : NULL;
	pmd_t *pmd;
	pte_t *table, *pte;

	if (!pud)
		return;
	if (sz == PUD_SIZE && !pt_folded(PT_PUD)) {
		if (pud_none(pudp_get(pud))) {
			set_pud(pud, pfn_pud(PFN_DOWN(pa), PAGE_KERNEL));
			update_page_count(PG_LEVEL_1G, 1);
		}
		return;
	}
	pmd = early_pmd(e, pud, va);
	if (!pmd)
		return;
	if (sz == PMD_SIZE) {
		if (pmd_none(pmdp_get(pmd))) {
			set_pmd(pmd, pfn_pmd(PFN_DOWN(pa), PAGE_KERNEL));
			update_page_count(PG_LEVEL_2M, 1);
		}
		return;
	}
	table = early_pte_table(e, pmd);
	if (!table)
		return;
	pte = pt_slot(table, pte_index(va));
	if (pte_none(ptep_get(pte))) {
		set_pte(pte, pfn_pte(PFN_DOWN(pa), PAGE_KERNEL));
		update_page_count(PG_LEVEL_4K, 1);
	}
}

static void create_linear_mapping_range(struct early_pgt *e, uint64_t start,
					uint64_t end)
{
	uint64_t pa, sz;

	for (pa = start; pa < end && !e->failed; pa += sz) {
		unsigned long va = linear_map_va(pa);

		sz = best_map_size(pa, va, end - pa);
		create_pgd_mapping(e, va, pa, sz);
	}
}

/* Each stretch of memory outside NOMAP regions (the regions are not
 * split by node yet when Linux maps them). */
static void create_linear_mapping_page_table(struct early_pgt *e)
{
	const struct memblock_type *t = &M->memblock.memory;

	for (unsigned i = 0; i < t->cnt;) {
		uint64_t lo = t->regions[i].base;
		uint64_t hi = lo + t->regions[i].size;

		if (memblock_is_nomap(&t->regions[i])) {
			i++;
			continue;
		}
		for (i++; i < t->cnt && t->regions[i].base == hi &&
			  !memblock_is_nomap(&t->regions[i]);
		     i++)
			hi += t->regions[i].size;
		create_linear_mapping_range(e, lo, hi);
	}
}

bool setup_vm_final(void)
{
	struct early_pgt e = { 0 };
	int cpu;

	early_pgt_setup(&e);
	create_linear_mapping_page_table(&e);
	if (e.failed)
		return false;
	for_each_online_cpu(cpu)
		tlbflush_init_cpu(cpu);
	return true;
}

/* ---- /proc/meminfo ------------------------------------------------------------ */

void arch_report_meminfo(struct seq_file *m)
{
	const unsigned long *n = M->mmu->direct_pages_count;

	if (!M->arch->direct_map_large)
		return; /* x86 only */

	seq_printf(m, "DirectMap4k:    %8lu kB\n", n[PG_LEVEL_4K] << 2);
	/* DirectMap2M, or DirectMap4M without PAE. */
	seq_printf(m, "%s:    %8lu kB\n", M->arch->direct_map_large,
		   n[PG_LEVEL_2M] << (PMD_SHIFT - 10));
	if (M->mmu->direct_gbpages)
		seq_printf(m, "DirectMap1G:    %8lu kB\n",
			   n[PG_LEVEL_1G] << 20);
}
