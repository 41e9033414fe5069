/* Helpers shared by the page-table, MMU and TLB tests: a meminfo value,
 * unmapping a range the way munmap will (zap the leaves, free the tables
 * between floor and ceiling, flush), and translate() with a fault
 * checked. Include after <cmocka.h> and helpers.h. */
#ifndef MMSIM_TESTS_PGTABLE_HELPERS_H
#define MMSIM_TESTS_PGTABLE_HELPERS_H

#include "arch/mmu.h"
#include "arch/tlbflush.h"
#include "mm/gfp.h"
#include "mm/pgtable.h"

/* "Label:   N kB" of /proc/meminfo; fails the test if absent. */
static inline unsigned long meminfo_kb(const char *label)
{
	char *text = proc_text("/proc/meminfo");
	const char *p = strstr(text, label);
	unsigned long v;

	if (!p || (p != text && p[-1] != '\n'))
		fail_msg("no %s in /proc/meminfo", label);
	v = strtoul(p + strlen(label), NULL, 10);
	free(text);
	return v;
}

static inline bool meminfo_has(const char *label)
{
	return proc_contains("/proc/meminfo", label);
}

static inline unsigned long nr_pagetable(void)
{
	return vmstat_counter("nr_page_table_pages");
}

/* munmap's page-table work for [start, end) between neighbours ending at
 * floor and starting at ceiling (0: none). */
static inline void unmap_range(struct mm_struct *mm, unsigned long start,
			       unsigned long end, unsigned long floor,
			       unsigned long ceiling)
{
	struct mmu_gather tlb;

	tlb_gather_mmu(&tlb, mm);
	pt_zap_range(&tlb, start, end);
	free_pgd_range(&tlb, start, end, floor, ceiling);
	tlb_finish_mmu(&tlb);
}

static inline void map_or_fail(struct mm_struct *mm, unsigned long addr,
			       unsigned long size, unsigned long pfn,
			       pgprot_t prot, unsigned long page_size)
{
	int err = pt_map_range(mm, addr, size, pfn, prot, page_size);

	if (err)
		fail_msg("pt_map_range(%#lx, %#lx, pfn %#lx, %#lx): %d", addr,
			 size, pfn, page_size, err);
}

/* Translates and expects success; returns the physical address. */
static inline uint64_t xlate_ok(int cpu, struct mm_struct *mm, unsigned long va,
				enum mmu_access acc, enum mmu_mode mode)
{
	struct mmu_fault f = { 0 };
	uint64_t pa = ~0ULL;
	enum translate_result r = translate(cpu, mm, va, acc, mode, &pa, &f);

	if (r != TRANSLATE_OK)
		fail_msg(
			"translate(%#lx, acc %d, mode %d): result %d, error %#lx",
			va, acc, mode, r, f.error_code);
	return pa;
}

/* Translates and expects a page fault; returns its error code. */
static inline unsigned long xlate_fault(int cpu, struct mm_struct *mm,
					unsigned long va, enum mmu_access acc,
					enum mmu_mode mode)
{
	struct mmu_fault f = { 0 };
	uint64_t pa = 0;
	enum translate_result r = translate(cpu, mm, va, acc, mode, &pa, &f);

	if (r != TRANSLATE_PAGE_FAULT)
		fail_msg(
			"translate(%#lx, acc %d, mode %d): result %d, pa %#llx; expected a page fault",
			va, acc, mode, r, (unsigned long long)pa);
	if (f.address != va)
		fail_msg("fault address %#lx, expected %#lx", f.address, va);
	return f.error_code;
}

static inline struct tlb_stats *cpu_tlb_stats(int cpu)
{
	return &mmu_cpu(M->mmu, cpu)->tlb.stats;
}

#endif
