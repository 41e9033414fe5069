/* Page tables as the kernel uses them (mm/pgtable.h): the geometry and
 * folding of each format, pte/pmd helpers and their exact bit values,
 * PROT_NONE and swap entries, table allocation accounted in
 * nr_page_table_pages / PageTables / pgtables_bytes, the kernel half
 * shared by every pgd, the direct map and meminfo's DirectMap lines,
 * free_pgd_range's floor and ceiling, the invariant checker (and the
 * corruptions it catches), and a long random run of mapping and
 * unmapping ranges that must leave no page table and no page behind. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "base/prng.h"
#include "kernel/machine.h"
#include "mm/mm.h"
#include "mm/vmalloc.h"
#include "mm/vmstat.h"

#include "helpers.h"
#include "pgtable_helpers.h"

#define GiB (1UL << 30)
#define MiB (1UL << 20)

/* ---- geometry ------------------------------------------------------------ */

static void test_x86_64_4level_geometry(void **state)
{
	(void)state;
	boot_machine("ram=1G");
	assert_ptr_equal(M->pt_fmt, &pt_x86_64_4level);
	assert_int_equal(PGDIR_SHIFT, 39);
	assert_int_equal(P4D_SHIFT, 39);
	assert_int_equal(PUD_SHIFT, 30);
	assert_int_equal(PMD_SHIFT, 21);
	assert_int_equal(PTRS_PER_PGD, 512);
	assert_int_equal(PTRS_PER_P4D, 1);
	assert_int_equal(PTRS_PER_PUD, 512);
	assert_int_equal(PTRS_PER_PMD, 512);
	assert_int_equal(PTRS_PER_PTE, 512);
	assert_true(pt_folded(PT_P4D));
	assert_false(pt_folded(PT_PUD));
	assert_int_equal(PAGE_OFFSET, 0xffff888000000000UL);
	assert_int_equal(KERNEL_PGD_BOUNDARY, 273);
	assert_int_equal(TASK_SIZE_MAX, 0x7ffffffff000UL);
}

static void test_x86_64_5level_geometry(void **state)
{
	(void)state;
	boot_machine("ram=1G", "la57=1");
	assert_ptr_equal(M->pt_fmt, &pt_x86_64_5level);
	assert_int_equal(PGDIR_SHIFT, 48);
	assert_int_equal(P4D_SHIFT, 39);
	assert_int_equal(PTRS_PER_P4D, 512);
	assert_false(pt_folded(PT_P4D));
	assert_int_equal(PAGE_OFFSET, 0xff11000000000000UL);
	assert_int_equal(KERNEL_PGD_BOUNDARY, 273);
	assert_int_equal(TASK_SIZE_MAX, (1UL << 56) - 4096);
}

static void test_i386_geometry(void **state)
{
	(void)state;
	boot_machine("ram=512M", "arch=i386");
	assert_ptr_equal(M->pt_fmt, &pt_i386_2level);
	assert_int_equal(PGDIR_SHIFT, 22);
	assert_int_equal(PMD_SHIFT, 22);
	assert_int_equal(PUD_SHIFT, 22);
	assert_int_equal(PTRS_PER_PGD, 1024);
	assert_int_equal(PTRS_PER_PMD, 1);
	assert_int_equal(PTRS_PER_PTE, 1024);
	assert_true(pt_folded(PT_PMD) && pt_folded(PT_PUD) &&
		    pt_folded(PT_P4D));
	assert_int_equal(PAGE_OFFSET, 0xc0000000UL);
	assert_int_equal(KERNEL_PGD_BOUNDARY, 768);
}

/* riscv64: Sv39 folds p4d and pud into the pgd (1G entries), Sv48 only
 * the p4d; user space is the lower half, the kernel half (from pgd
 * entry 256) holds vmalloc and the linear map. */
static void test_riscv_geometry(void **state)
{
	(void)state;
	boot_machine("ram=256M", "arch=riscv64");
	assert_ptr_equal(M->pt_fmt, &pt_riscv_sv39);
	assert_int_equal(PGDIR_SHIFT, 30);
	assert_int_equal(PUD_SHIFT, 30);
	assert_int_equal(PMD_SHIFT, 21);
	assert_int_equal(PTRS_PER_PGD, 512);
	assert_int_equal(PTRS_PER_PUD, 1);
	assert_int_equal(PTRS_PER_PMD, 512);
	assert_true(pt_folded(PT_PUD) && pt_folded(PT_P4D));
	assert_false(pt_folded(PT_PMD));
	assert_int_equal(TASK_SIZE_MAX, 1UL << 38);
	assert_int_equal(PAGE_OFFSET, 0xffffffd600000000UL);
	assert_int_equal(KERNEL_PGD_BOUNDARY, 256);
	machine_destroy(M);
	boot_machine("ram=256M", "arch=riscv64", "sv48=1");
	assert_ptr_equal(M->pt_fmt, &pt_riscv_sv48);
	assert_int_equal(PGDIR_SHIFT, 39);
	assert_int_equal(PTRS_PER_PUD, 512);
	assert_false(pt_folded(PT_PUD));
	assert_true(pt_folded(PT_P4D));
	assert_int_equal(TASK_SIZE_MAX, 1UL << 47);
	assert_int_equal(PAGE_OFFSET, 0xffffaf8000000000UL);
	assert_int_equal(KERNEL_PGD_BOUNDARY, 256);
}

/* riscv64 bits (asm/pgtable-bits.h): V R W X U G A D from bit 0, the
 * pfn from bit 10; PROT_NONE is G without V; leaves have R, W or X. */
static void test_riscv_pte_bits(void **state)
{
	pte_t pte;
	pmd_t pmd;

	(void)state;
	boot_machine("ram=256M", "arch=riscv64");
	pte = pfn_pte(0x80123, PAGE_KERNEL); /* V|R|W|G|A|D */
	assert_int_equal(pte_val(pte), (0x80123ULL << 10) | 0xe7);
	assert_int_equal(pgprot_val(PAGE_SHARED), 0x57); /* V|R|W|U|A */
	assert_int_equal(pgprot_val(PAGE_READONLY_EXEC), 0x5b);
	assert_int_equal(_PAGE_TABLE, 0x1);
	assert_int_equal(pte_pfn(pte), 0x80123);
	assert_true(pte_present(pte) && pte_write(pte) && pte_dirty(pte) &&
		    pte_young(pte) && pte_global(pte) && !pte_exec(pte));
	assert_true(pte_exec(pte_mkexec(pte)));
	assert_ptr_equal(pte_page(pte), pfn_to_page(0x80123));
	pte = pfn_pte(0x80123, PAGE_NONE);
	assert_int_equal(pte_val(pte), (0x80123ULL << 10) | 0x22);
	assert_true(pte_present(pte) && pte_protnone(pte));
	pte = pte_modify(pte, PAGE_SHARED);
	assert_false(pte_protnone(pte));
	assert_int_equal(pte_pfn(pte), 0x80123);
	pmd = pfn_pmd(0x80200, PAGE_KERNEL);
	assert_int_equal(pmd_val(pmd), (0x80200ULL << 10) | 0xe7);
	assert_true(pmd_leaf(pmd));
	assert_true(pmd_bad(pmd)); /* a leaf is no table */
	assert_false(pmd_bad(__pmd((0x80300ULL << 10) | _PAGE_TABLE)));
}

/* ---- pte helpers ----------------------------------------------------------- */

static void test_x86_64_pte_bits(void **state)
{
	pte_t pte;

	(void)state;
	boot_machine("ram=256M");
	/* PAGE_KERNEL: P|RW|A|D|G|NX. */
	pte = pfn_pte(0x1234, PAGE_KERNEL);
	assert_int_equal(pte_val(pte), 0x8000000001234163ULL);
	assert_int_equal(pgprot_val(PAGE_SHARED), 0x8000000000000027ULL);
	assert_int_equal(pgprot_val(PAGE_READONLY_EXEC), 0x25);
	assert_int_equal(_PAGE_TABLE, 0x67);
	assert_int_equal(pte_pfn(pte), 0x1234);
	assert_true(pte_present(pte) && pte_write(pte) && pte_dirty(pte) &&
		    pte_young(pte) && pte_global(pte) && !pte_exec(pte));
	pte = pte_mkold(pte_mkclean(pte_wrprotect(pte)));
	assert_int_equal(pte_val(pte), 0x8000000001234101ULL);
	assert_false(pte_write(pte) || pte_dirty(pte) || pte_young(pte));
	/* pte_mkdirty also sets the soft-dirty bit (bit 11). */
	pte = pte_mkyoung(pte_mkdirty(pte_mkwrite_novma(pte)));
	assert_int_equal(pte_val(pte), 0x8000000001234963ULL);
	assert_true(pte_exec(pte_mkexec(pte)));
	assert_int_equal(pte_val(mk_pte(pfn_to_page(0x1234), PAGE_KERNEL)),
			 0x8000000001234163ULL);
	assert_ptr_equal(pte_page(pte), pfn_to_page(0x1234));
}

/* PROT_NONE: not present to the CPU, present to Linux, pfn inverted. */
static void test_x86_64_prot_none(void **state)
{
	pte_t pte;

	(void)state;
	boot_machine("ram=256M");
	pte = pfn_pte(0x1234, PAGE_NONE);
	assert_int_equal(pte_val(pte),
			 (~(0x1234ULL << 12) & 0x000ffffffffff000ULL) | 0x120);
	assert_true(pte_present(pte));
	assert_true(pte_protnone(pte));
	assert_int_equal(pte_pfn(pte), 0x1234);
	assert_false(is_swap_pte(pte));
	/* mprotect back to read/write: the pfn is un-inverted. */
	pte = pte_modify(pte, PAGE_SHARED);
	assert_int_equal(pte_val(pte), 0x8000000001234027ULL);
	assert_false(pte_protnone(pte));
	pte = pte_modify(pte, PAGE_NONE);
	assert_true(pte_protnone(pte));
	assert_int_equal(pte_pfn(pte), 0x1234);
}

static void check_swap_roundtrip(unsigned type, unsigned long offset,
				 pteval_t raw)
{
	swp_entry_t e = swp_entry(type, offset);
	pte_t pte = swp_entry_to_pte(e);

	assert_int_equal(pte_val(pte), raw);
	assert_true(is_swap_pte(pte));
	assert_false(pte_present(pte));
	assert_false(pte_none(pte));
	e = pte_to_swp_entry(pte_swp_mkexclusive(pte));
	assert_int_equal(swp_type(e), type);
	assert_int_equal(swp_offset(e), offset);
	assert_true(pte_swp_exclusive(pte_swp_mkexclusive(pte)));
	assert_false(pte_swp_exclusive(pte));
}

static void test_swap_entries(void **state)
{
	(void)state;
	boot_machine("ram=256M");
	/* x86-64: type in bits 59..63, ~offset in bits 9..58. */
	check_swap_roundtrip(3, 0x12345,
			     3ULL << 59 |
				     ((~0x12345ULL & ((1ULL << 50) - 1)) << 9));
	check_swap_roundtrip(31, (1UL << 50) - 1, 31ULL << 59);
	assert_int_equal(swp_entry(3, 7).val, 3UL << 58 | 7);
	machine_destroy(M);

	boot_machine("ram=256M", "arch=riscv64");
	/* riscv64: type in bits 7..11, offset from bit 12. */
	check_swap_roundtrip(3, 0x12345, 3ULL << 7 | 0x12345ULL << 12);
	assert_int_equal(swp_entry(3, 7).val, 3UL << 58 | 7);
	machine_destroy(M);

	boot_machine("ram=256M", "arch=i386");
	/* i386: type in bits 1..5, offset from bit 9; 32-bit swp_entry_t. */
	check_swap_roundtrip(3, 0x12345, 3ULL << 1 | 0x12345ULL << 9);
	assert_int_equal(swp_entry(3, 7).val, 3UL << 26 | 7);
}

static void test_i386_pte_bits(void **state)
{
	pte_t pte;

	(void)state;
	boot_machine("ram=256M", "arch=i386");
	pte = pfn_pte(0x1234, PAGE_KERNEL); /* no NX on 2-level paging */
	assert_int_equal(pte_val(pte), 0x1234163);
	assert_true(pte_exec(pte));
	pte = pfn_pte(0x1234, PAGE_NONE); /* no pfn inversion either */
	assert_int_equal(pte_val(pte), 0x1234120);
	assert_true(pte_protnone(pte));
	assert_int_equal(pmd_val(pmd_mkhuge(pfn_pmd(0x400, PAGE_KERNEL))),
			 0x4001e3);
}

/* ---- allocation and accounting -------------------------------------------------- */

static void test_tables_accounted_and_freed(void **state)
{
	struct mm_struct mm;
	unsigned long free0, nr0, kb0;
	struct page *pgd;

	(void)state;
	boot_machine("ram=512M");
	free0 = free_pages_drained();
	nr0 = nr_pagetable();
	kb0 = meminfo_kb("PageTables:");
	/* Boot's direct-map tables are reserved, uncounted; mem_init's 64
	 * PUD tables of the vmalloc range are counted. */
	assert_int_equal(nr0, 64);
	assert_int_equal(kb0, 256);
	assert_int_equal(mm_pgtable_init(&mm), 0);
	pgd = virt_to_page(mm.pgd);
	assert_true(PageTable(pgd));
	assert_ptr_equal(pgd->pt_mm, &mm);
	assert_int_equal(nr_pagetable(), nr0 + 1);
	map_or_fail(&mm, 0x400000, PAGE_SIZE, 0x1000, PAGE_SHARED, PAGE_SIZE);
	/* PUD, PMD and PTE tables (the p4d is folded). */
	assert_int_equal(nr_pagetable(), nr0 + 4);
	assert_int_equal(meminfo_kb("PageTables:"), kb0 + 16);
	assert_int_equal(mm.pgtables_bytes, 3 * 4096);
	assert_int_equal(check_pgtable_invariants(), 0);
	unmap_range(&mm, 0x400000, 0x401000, 0, 0);
	assert_int_equal(nr_pagetable(), nr0 + 1);
	assert_int_equal(mm.pgtables_bytes, 0);
	mm_pgtable_exit(&mm);
	assert_int_equal(nr_pagetable(), nr0);
	assert_int_equal(free_pages_drained(), free0);
	assert_int_equal(check_pgtable_invariants(), 0);
}

static void test_5level_and_i386_table_counts(void **state)
{
	struct mm_struct mm;

	(void)state;
	boot_machine("ram=512M", "la57=1");
	/* The 50 P4D tables of the vmalloc range (12800 TiB / 256 TiB). */
	assert_int_equal(nr_pagetable(), 50);
	assert_int_equal(mm_pgtable_init(&mm), 0);
	map_or_fail(&mm, 0x400000, PAGE_SIZE, 0x1000, PAGE_SHARED, PAGE_SIZE);
	/* pgd, P4D, PUD, PMD, PTE; the p4d is not in pgtables_bytes. */
	assert_int_equal(nr_pagetable(), 50 + 5);
	assert_int_equal(mm.pgtables_bytes, 3 * 4096);
	assert_int_equal(check_pgtable_invariants(), 0);
	mm_pgtable_exit(&mm);
	assert_int_equal(nr_pagetable(), 50);
	machine_destroy(M);

	boot_machine("ram=512M", "arch=i386");
	assert_int_equal(nr_pagetable(), 0); /* no vmalloc tables at boot */
	assert_int_equal(mm_pgtable_init(&mm), 0);
	map_or_fail(&mm, 0x08048000, PAGE_SIZE, 0x1000, PAGE_SHARED, PAGE_SIZE);
	assert_int_equal(nr_pagetable(), 2); /* pgd and one PTE table */
	assert_int_equal(mm.pgtables_bytes, 4096);
	assert_int_equal(check_pgtable_invariants(), 0);
	unmap_range(&mm, 0x08048000, 0x08049000, 0, 0);
	assert_int_equal(nr_pagetable(), 1);
	mm_pgtable_exit(&mm);
	assert_int_equal(nr_pagetable(), 0);
}

/* riscv64: a pgd, then PMD and PTE tables (Sv48: a PUD table too), all
 * counted; the 64 vmalloc tables of boot are there from the start. */
static void test_riscv_tables_accounted(void **state)
{
	struct mm_struct mm;
	unsigned long nr0, free0;

	(void)state;
	for (int sv48 = 0; sv48 <= 1; sv48++) {
		boot_machine("ram=512M", "arch=riscv64",
			     sv48 ? "sv48=1" : "sv48=0");
		free0 = free_pages_drained();
		nr0 = nr_pagetable();
		assert_int_equal(nr0, 64);
		assert_int_equal(mm_pgtable_init(&mm), 0);
		map_or_fail(&mm, 0x400000, PAGE_SIZE, 0x80100, PAGE_SHARED,
			    PAGE_SIZE);
		assert_int_equal(nr_pagetable(), nr0 + 1 + 2 + sv48);
		assert_int_equal(mm.pgtables_bytes, (2 + sv48) * 4096);
		assert_int_equal(check_pgtable_invariants(), 0);
		/* The kernel half: vmalloc's entries and the linear map. */
		for (unsigned long i = 0; i < PTRS_PER_PGD; i++) {
			pteval_t k =
				pgd_val(pgdp_get(pt_slot(swapper_pg_dir, i)));

			if (i >= KERNEL_PGD_BOUNDARY)
				assert_int_equal(
					pgd_val(pgdp_get(pt_slot(mm.pgd, i))),
					k);
		}
		assert_true(pgd_val(pgdp_get(pgd_offset(&mm, VMALLOC_START))));
		assert_true(pgd_val(pgdp_get(pgd_offset(&mm, PAGE_OFFSET))));
		unmap_range(&mm, 0x400000, 0x401000, 0, 0);
		mm_pgtable_exit(&mm);
		assert_int_equal(nr_pagetable(), nr0);
		assert_int_equal(free_pages_drained(), free0);
		assert_int_equal(check_pgtable_invariants(), 0);
		machine_destroy(M);
	}
}

/* The riscv64 linear map: RAM's start at PAGE_OFFSET, the no-map
 * firmware region left out, 4K pages to the first 2M boundary, then
 * 2M leaves (Sv48: 1G leaves from the first 1G boundary). */
static void test_riscv_linear_map(void **state)
{
	unsigned int level;
	pte_t *pte;

	(void)state;
	boot_machine("ram=3G", "arch=riscv64");
	pte = lookup_address(PAGE_OFFSET + 0x3f000, &level);
	assert_non_null(pte);
	assert_int_equal(level, PG_LEVEL_4K);
	assert_true(pte_none(ptep_get(pte)));
	pte = lookup_address(PAGE_OFFSET + 0x41000, &level);
	assert_int_equal(level, PG_LEVEL_4K);
	assert_int_equal(pte_pfn(ptep_get(pte)), 0x80041);
	assert_non_null(lookup_address(PAGE_OFFSET + 0x200000, &level));
	assert_int_equal(level, PG_LEVEL_2M);
	assert_non_null(lookup_address(PAGE_OFFSET + 0xbfffffffUL, &level));
	assert_int_equal(level, PG_LEVEL_2M);
	/* Nothing past the end of RAM; no DirectMap lines. */
	assert_null(lookup_address(PAGE_OFFSET + 3 * GiB, &level));
	assert_false(meminfo_has("DirectMap"));
	assert_int_equal(check_pgtable_invariants(), 0);
	machine_destroy(M);
	boot_machine("ram=3G", "arch=riscv64", "sv48=1");
	assert_non_null(lookup_address(PAGE_OFFSET + 0x200000, &level));
	assert_int_equal(level, PG_LEVEL_2M);
	assert_non_null(lookup_address(PAGE_OFFSET + GiB, &level));
	assert_int_equal(level, PG_LEVEL_1G);
	assert_int_equal(check_pgtable_invariants(), 0);
}

static void test_kernel_half_is_shared(void **state)
{
	struct mm_struct a, b;
	unsigned int la, lb;

	(void)state;
	boot_machine("ram=1G");
	assert_int_equal(mm_pgtable_init(&a), 0);
	assert_int_equal(mm_pgtable_init(&b), 0);
	for (unsigned long i = 0; i < PTRS_PER_PGD; i++) {
		pteval_t k = pgd_val(pgdp_get(pt_slot(swapper_pg_dir, i)));

		assert_int_equal(pgd_val(pgdp_get(pt_slot(a.pgd, i))),
				 i >= KERNEL_PGD_BOUNDARY ? k : 0);
	}
	/* The same kernel entry through either pgd. */
	assert_ptr_equal(
		lookup_address_in_pgd(pgd_offset(&a, PAGE_OFFSET + 0x5000),
				      PAGE_OFFSET + 0x5000, &la),
		lookup_address_in_pgd(pgd_offset(&b, PAGE_OFFSET + 0x5000),
				      PAGE_OFFSET + 0x5000, &lb));
	assert_int_equal(la, PG_LEVEL_4K);
	assert_int_equal(lb, PG_LEVEL_4K);
	mm_pgtable_exit(&a);
	mm_pgtable_exit(&b);
	assert_int_equal(check_pgtable_invariants(), 0);
}

/* ---- the direct map ---------------------------------------------------------------- */

static void check_direct_map(unsigned long k4, unsigned long large, long g1,
			     const char *large_label)
{
	assert_int_equal(meminfo_kb("DirectMap4k:"), k4);
	assert_int_equal(meminfo_kb(large_label), large);
	if (g1 < 0)
		assert_false(meminfo_has("DirectMap1G:"));
	else
		assert_int_equal(meminfo_kb("DirectMap1G:"), (unsigned long)g1);
	assert_int_equal(check_pgtable_invariants(), 0);
}

static unsigned lookup_level(unsigned long pa)
{
	unsigned int level = 0;
	pte_t *pte = lookup_address(PAGE_OFFSET + pa, &level);

	assert_non_null(pte);
	return level;
}

static void test_direct_map_x86_64(void **state)
{
	(void)state;
	/* 0-2M in 4K pages, 2M pages up to 1G, 1G pages above. */
	boot_machine("ram=4G");
	check_direct_map(2048, 1046528, 3145728, "DirectMap2M:");
	assert_int_equal(lookup_level(0x1000), PG_LEVEL_4K);
	assert_int_equal(lookup_level(0x9f000), PG_LEVEL_4K); /* ISA hole */
	assert_int_equal(lookup_level(0x200000), PG_LEVEL_2M);
	assert_int_equal(lookup_level(0x3fe00000), PG_LEVEL_2M);
	assert_int_equal(lookup_level(0x40000000), PG_LEVEL_1G);
	assert_int_equal(lookup_level(0xffffffffUL), PG_LEVEL_1G);
	assert_true(log_contains("Using GB pages for direct mapping\n"));
	machine_destroy(M);

	/* A RAM size that is not a multiple of 2M ends in 4K pages. */
	boot_machine("ram=1001M");
	check_direct_map(2048 + 1024, 1001 * 1024 - 3072, 0, "DirectMap2M:");
	machine_destroy(M);

	boot_machine("ram=3G", "gbpages=0");
	check_direct_map(2048, 3 * 1048576 - 2048, -1, "DirectMap2M:");
	assert_false(log_contains("Using GB pages"));
	machine_destroy(M);

	boot_machine("ram=2G", "la57=1");
	check_direct_map(2048, 1046528, 1048576, "DirectMap2M:");
	assert_int_equal(lookup_level(0x40000000), PG_LEVEL_1G);
}

static void test_direct_map_i386(void **state)
{
	(void)state;
	/* Low memory only: 4K for the first 4M, then 4M pages to 896M. */
	boot_machine("ram=2G", "arch=i386");
	check_direct_map(4096, (896 - 4) * 1024, -1, "DirectMap4M:");
	assert_int_equal(lookup_level(0x3ff000), PG_LEVEL_4K);
	assert_int_equal(lookup_level(0x400000), PG_LEVEL_2M);
	assert_null(lookup_address(PAGE_OFFSET + 896 * MiB, &(unsigned){ 0 }));
	machine_destroy(M);

	boot_machine("ram=130M", "arch=i386");
	check_direct_map(4096 + 2048, 124 * 1024, -1, "DirectMap4M:");
}

/* Every byte of low memory reads back through its direct-map address. */
static void test_direct_map_points_at_the_right_frames(void **state)
{
	unsigned long pas[] = { 0x1000,	    0x123456,	0x2345678,
				0x3fffffff, 0x40001234, 0xbffff000 };

	(void)state;
	boot_machine("ram=3G", "cpus=2");
	for (size_t i = 0; i < ARRAY_SIZE(pas); i++)
		assert_int_equal(xlate_ok(1, &init_mm, PAGE_OFFSET + pas[i],
					  MMU_READ, MMU_KERNEL),
				 pas[i]);
}

/* ---- free_pgd_range ------------------------------------------------------------------ */

static void test_free_pgd_range_respects_neighbours(void **state)
{
	struct mm_struct mm;
	unsigned long a = 0x400000,
		      b = 0x600000; /* two PMD spans, one PMD table */
	unsigned long boot;

	(void)state;
	boot_machine("ram=512M");
	boot = nr_pagetable(); /* the vmalloc PUD tables */
	assert_int_equal(boot, 64);
	assert_int_equal(mm_pgtable_init(&mm), 0);
	map_or_fail(&mm, a, PAGE_SIZE, 0x1000, PAGE_SHARED, PAGE_SIZE);
	map_or_fail(&mm, b, PAGE_SIZE, 0x1001, PAGE_SHARED, PAGE_SIZE);
	assert_int_equal(nr_pagetable(), boot + 1 + 1 + 1 + 2);
	/* Unmapping a with b as the next mapping frees a's PTE table only. */
	unmap_range(&mm, a, a + PAGE_SIZE, 0, b);
	assert_int_equal(nr_pagetable(), boot + 1 + 1 + 1 + 1);
	assert_int_equal(check_pgtable_invariants(), 0);
	/* A neighbour c inside a's PMD span keeps even its PTE table... */
	map_or_fail(&mm, a, PAGE_SIZE, 0x1000, PAGE_SHARED, PAGE_SIZE);
	map_or_fail(&mm, a + 2 * PAGE_SIZE, PAGE_SIZE, 0x1002, PAGE_SHARED,
		    PAGE_SIZE);
	unmap_range(&mm, a, a + PAGE_SIZE, 0, a + 2 * PAGE_SIZE);
	assert_int_equal(nr_pagetable(), boot + 1 + 1 + 1 + 2);
	/* ...until c goes too. */
	unmap_range(&mm, a + 2 * PAGE_SIZE, a + 3 * PAGE_SIZE, 0, b);
	assert_int_equal(nr_pagetable(), boot + 1 + 1 + 1 + 1);
	assert_int_equal(check_pgtable_invariants(), 0);
	/* The last mapping goes with everything above it. */
	unmap_range(&mm, b, b + PAGE_SIZE, 0, 0);
	assert_int_equal(nr_pagetable(), boot + 1);
	assert_int_equal(mm.pgtables_bytes, 0);
	mm_pgtable_exit(&mm);
	assert_int_equal(nr_pagetable(), boot);
}

static void test_huge_leaves_map_and_unmap(void **state)
{
	struct mm_struct mm;
	unsigned int level;

	(void)state;
	boot_machine("ram=2G");
	assert_int_equal(mm_pgtable_init(&mm), 0);
	map_or_fail(&mm, 2 * GiB, 2 * MiB, 0x200, PAGE_SHARED, PMD_SIZE);
	map_or_fail(&mm, 4 * GiB, GiB, 0x40000, PAGE_SHARED, PUD_SIZE);
	assert_non_null(lookup_address_in_pgd(pgd_offset(&mm, 2 * GiB + 5),
					      2 * GiB + 5, &level));
	assert_int_equal(level, PG_LEVEL_2M);
	assert_non_null(lookup_address_in_pgd(pgd_offset(&mm, 5 * GiB - 1),
					      5 * GiB - 1, &level));
	assert_int_equal(level, PG_LEVEL_1G);
	assert_int_equal(pt_map_range(&mm, 2 * GiB + PAGE_SIZE, PAGE_SIZE, 1,
				      PAGE_SHARED, PAGE_SIZE),
			 -EBUSY);
	assert_int_equal(pt_map_range(&mm, 2 * GiB + PAGE_SIZE, PMD_SIZE, 0x200,
				      PAGE_SHARED, PMD_SIZE),
			 -EINVAL);
	assert_int_equal(check_pgtable_invariants(), 0);
	unmap_range(&mm, 2 * GiB, 5 * GiB, 0, 0);
	assert_int_equal(nr_pagetable(), 64 + 1);
	mm_pgtable_exit(&mm);
}

/* ---- the checker ------------------------------------------------------------------------ */

static void test_checker_catches_corruption(void **state)
{
	struct mm_struct mm;
	struct page *leak;
	pte_t *pte;
	pteval_t saved;

	(void)state;
	boot_machine("ram=512M");
	assert_int_equal(mm_pgtable_init(&mm), 0);
	map_or_fail(&mm, 0x400000, PAGE_SIZE, 0x1000, PAGE_SHARED, PAGE_SIZE);
	assert_int_equal(check_pgtable_invariants(), 0);

	/* A table allocated and never installed: a leak. */
	leak = pte_alloc_one(&mm);
	assert_int_equal(check_pgtable_invariants(), 1);
	assert_true(log_contains(
		"pgtable check: NR_PAGETABLE is 69, reachable table pages 68"));
	pte_free(&mm, leak);

	/* A user pte pointing past the end of RAM. */
	pte = pte_offset_map(
		pmd_offset(pud_offset(p4d_offset(pgd_offset(&mm, 0x400000),
						 0x400000),
				      0x400000),
			   0x400000),
		0x400000);
	assert_non_null(pte);
	saved = pte_val(ptep_get(pte));
	set_pte(pte, pfn_pte(M->max_pfn + 5, PAGE_SHARED));
	assert_int_equal(check_pgtable_invariants(), 1);
	assert_true(log_contains("outside RAM"));

	/* A table pointer to a page that is not a page table. */
	set_pte(pte, __pte(saved));
	{
		pmd_t *pmd = pmd_offset(
			pud_offset(p4d_offset(pgd_offset(&mm, 0x400000),
					      0x400000),
				   0x400000),
			0x400000);
		pmd_t old = pmdp_get(pmd);

		set_pmd(pmd,
			__pmd(pt_addr_field(ptfmt(), 0x1000000) | _PAGE_TABLE));
		assert_true(check_pgtable_invariants() >= 1);
		assert_true(log_contains("is not a PGTY_table page"));
		set_pmd(pmd, old);
	}
	assert_int_equal(check_pgtable_invariants(), 0);
	unmap_range(&mm, 0x400000, 0x401000, 0, 0);
	mm_pgtable_exit(&mm);
}

/* ---- random map/unmap ------------------------------------------------------------------------ */

#define MAX_RANGES 64

struct ranges {
	unsigned long s[MAX_RANGES], e[MAX_RANGES];
	int n;
};

struct random_run {
	struct prng rng;
	struct ranges r;
	struct mm_struct mm;
	unsigned long cluster[3]; /* 4K mappings */
	unsigned long huge; /* 2M (4M) leaves */
	unsigned long giant; /* 1G leaves (0: none) */
	unsigned long span;
	unsigned long maps, unmaps;
};

static int find_slot(const struct ranges *r, unsigned long s, unsigned long e)
{
	int i = 0;

	while (i < r->n && r->s[i] < s)
		i++;
	if ((i > 0 && r->e[i - 1] > s) || (i < r->n && r->s[i] < e))
		return -1;
	return i;
}

static void insert_range(struct ranges *r, int i, unsigned long s,
			 unsigned long e)
{
	memmove(&r->s[i + 1], &r->s[i], (size_t)(r->n - i) * sizeof(r->s[0]));
	memmove(&r->e[i + 1], &r->e[i], (size_t)(r->n - i) * sizeof(r->e[0]));
	r->s[i] = s;
	r->e[i] = e;
	r->n++;
}

static void remove_range(struct ranges *r, int i)
{
	memmove(&r->s[i], &r->s[i + 1],
		(size_t)(r->n - i - 1) * sizeof(r->s[0]));
	memmove(&r->e[i], &r->e[i + 1],
		(size_t)(r->n - i - 1) * sizeof(r->e[0]));
	r->n--;
}

static void random_map(struct random_run *t)
{
	unsigned long kind = prng_below(&t->rng, 10), s, len, pfn, size;
	int slot;

	if (kind < 7) { /* small 4K ranges, sometimes across PMD spans */
		unsigned long c = t->cluster[kind % 3];

		len = (prng_below(&t->rng, 8) ? 1 + prng_below(&t->rng, 64) :
						1 + prng_below(&t->rng, 1024)) *
		      PAGE_SIZE;
		s = c + prng_below(&t->rng, t->span / PAGE_SIZE) * PAGE_SIZE;
		if (s + len > c + t->span)
			return;
		size = PAGE_SIZE;
		pfn = 0x1000 + prng_below(&t->rng, 0x1000);
	} else if (kind < 9 || !t->giant) {
		size = PMD_SIZE;
		len = (1 + prng_below(&t->rng, 4)) * size;
		s = t->huge + prng_below(&t->rng, t->span / size) * size;
		pfn = (1 + prng_below(&t->rng, 8)) * (size >> PAGE_SHIFT);
	} else {
		size = PUD_SIZE;
		len = size;
		s = t->giant + prng_below(&t->rng, 4) * size;
		pfn = size >> PAGE_SHIFT;
	}
	slot = find_slot(&t->r, s, s + len);
	if (slot < 0 || t->r.n == MAX_RANGES)
		return;
	map_or_fail(&t->mm, s, len, pfn & ~((size >> PAGE_SHIFT) - 1),
		    PAGE_SHARED, size);
	insert_range(&t->r, slot, s, s + len);
	t->maps++;
}

static void random_unmap(struct random_run *t, int i)
{
	unsigned long floor = i ? t->r.e[i - 1] : FIRST_USER_ADDRESS;
	unsigned long ceiling = i < t->r.n - 1 ? t->r.s[i + 1] :
						 USER_PGTABLES_CEILING;

	unmap_range(&t->mm, t->r.s[i], t->r.e[i], floor, ceiling);
	remove_range(&t->r, i);
	t->unmaps++;
}

static void random_run_setup(struct random_run *t, bool giant)
{
	unsigned long top = TASK_SIZE_MAX;

	prng_seed(&t->rng, 0x70677461626c65ULL);
	t->span = 256 * MiB;
	t->cluster[0] = 4 * MiB;
	t->cluster[1] = ALIGN_DOWN(top / 2, t->span);
	t->cluster[2] = ALIGN_DOWN(top - t->span, PAGE_SIZE);
	t->huge = ALIGN_DOWN(top - 3 * t->span, t->span);
	t->giant = giant ? ALIGN_DOWN(top / 4, PUD_SIZE) : 0;
	if (t->cluster[2] + t->span > top)
		t->span = top - t->cluster[2];
	assert_int_equal(mm_pgtable_init(&t->mm), 0);
}

static void random_map_unmap(unsigned long ops, bool giant)
{
	struct random_run *t = calloc(1, sizeof(*t));
	unsigned long free0, nr0;

	assert_non_null(t);
	free0 = free_pages_drained();
	nr0 = nr_pagetable();
	random_run_setup(t, giant);
	for (unsigned long op = 1; op <= ops; op++) {
		if (t->r.n < 4 ||
		    (t->r.n < MAX_RANGES && prng_below(&t->rng, 2)))
			random_map(t);
		else
			random_unmap(t, (int)prng_below(&t->rng,
							(uint64_t)t->r.n));
		if (t->r.n == 0)
			assert_int_equal(nr_pagetable(), nr0 + 1);
		if (op % (ops / 8) == 0)
			assert_int_equal(check_pgtable_invariants(), 0);
	}
	while (t->r.n)
		random_unmap(t, t->r.n - 1);
	assert_int_equal(nr_pagetable(), nr0 + 1);
	assert_int_equal(t->mm.pgtables_bytes, 0);
	mm_pgtable_exit(&t->mm);
	assert_int_equal(nr_pagetable(), nr0);
	assert_int_equal(free_pages_drained(), free0);
	assert_int_equal(check_pgtable_invariants(), 0);
	assert_true(t->maps > ops / 4 && t->unmaps > ops / 4);
	assert_int_equal(M->nr_bugs, 0);
	free(t);
}

static void test_random_map_unmap_x86_64(void **state)
{
	(void)state;
	boot_machine("ram=2G");
	random_map_unmap(1000000UL / OPS_DIVISOR, true);
}

static void test_random_map_unmap_5level(void **state)
{
	(void)state;
	boot_machine("ram=2G", "la57=1");
	random_map_unmap(200000UL / OPS_DIVISOR, true);
}

static void test_random_map_unmap_i386(void **state)
{
	(void)state;
	boot_machine("ram=512M", "arch=i386");
	random_map_unmap(200000UL / OPS_DIVISOR, false);
}

#define T(f) cmocka_unit_test_teardown(f, destroy_current)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_x86_64_4level_geometry),
		T(test_x86_64_5level_geometry),
		T(test_i386_geometry),
		T(test_riscv_geometry),
		T(test_riscv_pte_bits),
		T(test_riscv_tables_accounted),
		T(test_riscv_linear_map),
		T(test_x86_64_pte_bits),
		T(test_x86_64_prot_none),
		T(test_swap_entries),
		T(test_i386_pte_bits),
		T(test_tables_accounted_and_freed),
		T(test_5level_and_i386_table_counts),
		T(test_kernel_half_is_shared),
		T(test_direct_map_x86_64),
		T(test_direct_map_i386),
		T(test_direct_map_points_at_the_right_frames),
		T(test_free_pgd_range_respects_neighbours),
		T(test_huge_leaves_map_and_unmap),
		T(test_checker_catches_corruption),
		T(test_random_map_unmap_x86_64),
		T(test_random_map_unmap_5level),
		T(test_random_map_unmap_i386),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
