/* The MMU model (arch/mmu.c): translation through every page-table
 * format and page size (x86-64 4- and 5-level 4K/2M/1G, i386 4K/4M,
 * riscv64 Sv39/Sv48 4K/2M/1G), the kernel half and the direct map seen
 * from a process, accessed and dirty bits set as hardware sets them (in
 * riscv leaves only), every x86 page-fault error code with CR2, riscv's
 * load/store/instruction page faults with stval (rights, reserved bits and
 * encodings, misaligned superpages, non-canonical addresses, tables
 * outside RAM), x86 non-canonical addresses, and stale TLB entries that
 * only a flush removes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "kernel/machine.h"
#include "mm/mm.h"
#include "mm/vmstat.h"

#include "helpers.h"
#include "pgtable_helpers.h"

#define GiB (1UL << 30)
#define MiB (1UL << 20)
#define USER_VA 0x400000UL

static struct mm_struct test_mm;

static struct mm_struct *new_mm(void)
{
	assert_int_equal(mm_pgtable_init(&test_mm), 0);
	return &test_mm;
}

static pte_t *user_pte(struct mm_struct *mm, unsigned long va)
{
	unsigned int level;
	pte_t *pte = lookup_address_in_pgd(pgd_offset(mm, va), va, &level);

	assert_non_null(pte);
	return pte;
}

/* Every page size of a format, user and kernel side; physical
 * addresses from the start of RAM (0 on x86, 0x80000000 on riscv64). */
static void check_sizes(unsigned long big, unsigned long giant)
{
	struct mm_struct *mm = new_mm();
	unsigned long b = 2 * GiB, ram = M->phys_ram_base;

	map_or_fail(mm, USER_VA, PAGE_SIZE, PFN_DOWN(ram) + 0x1234, PAGE_SHARED,
		    PAGE_SIZE);
	assert_int_equal(xlate_ok(0, mm, USER_VA + 0x567, MMU_READ, MMU_USER),
			 ram + 0x1234567);
	map_or_fail(mm, b, big, PFN_DOWN(ram + big), PAGE_SHARED, big);
	assert_int_equal(xlate_ok(0, mm, b + big - 8, MMU_WRITE, MMU_USER),
			 ram + 2 * big - 8);
	assert_int_equal(xlate_ok(0, mm, b + 0x12345, MMU_READ, MMU_USER),
			 ram + big + 0x12345);
	if (giant) {
		map_or_fail(mm, 8 * GiB, giant, PFN_DOWN(ram + giant),
			    PAGE_SHARED, giant);
		assert_int_equal(xlate_ok(0, mm, 8 * GiB + 0x3456789, MMU_READ,
					  MMU_USER),
				 ram + giant + 0x3456789);
	}
	/* The kernel half through the process's pgd. */
	assert_int_equal(xlate_ok(0, mm, PAGE_OFFSET + 0x45123, MMU_READ,
				  MMU_KERNEL),
			 ram + 0x45123);
	assert_int_equal(xlate_ok(0, mm, PAGE_OFFSET + 0x1234567, MMU_WRITE,
				  MMU_KERNEL),
			 ram + 0x1234567);
	unmap_range(mm, 0, TASK_SIZE_MAX, 0, 0);
	mm_pgtable_exit(mm);
	assert_int_equal(check_pgtable_invariants(), 0);
}

static void test_translate_x86_64_4level(void **state)
{
	(void)state;
	boot_machine("ram=3G");
	check_sizes(2 * MiB, GiB);
	/* The direct map's own 1G pages. */
	assert_int_equal(xlate_ok(0, &init_mm, PAGE_OFFSET + 0x87654321,
				  MMU_READ, MMU_KERNEL),
			 0x87654321);
}

static void test_translate_x86_64_5level(void **state)
{
	(void)state;
	boot_machine("ram=3G", "la57=1");
	check_sizes(2 * MiB, GiB);
	assert_int_equal(cpu_tlb_stats(0)->walk_steps,
			 5 + 4 + 3 + 5 + 4); /* 4K, 2M, 1G; direct map 4K, 2M */
}

static void test_translate_i386(void **state)
{
	(void)state;
	boot_machine("ram=1G", "arch=i386");
	check_sizes(4 * MiB, 0);
	/* 4M pages of the direct map, up to the end of low memory. */
	assert_int_equal(xlate_ok(0, &init_mm, PAGE_OFFSET + 0x37ffffff,
				  MMU_READ, MMU_KERNEL),
			 0x37ffffff);
	/* Above 896M nothing is mapped: high memory. */
	assert_int_equal(xlate_fault(0, &init_mm, PAGE_OFFSET + 0x38000000,
				     MMU_READ, MMU_KERNEL),
			 0);
}

/* ---- riscv64 ------------------------------------------------------------------ */

/* RAM from 0x80000000 (3G: to 0x13fffffff) mapped at PAGE_OFFSET. */
#define RV_RAM 0x80000000UL

static void test_translate_riscv_sv39(void **state)
{
	(void)state;
	boot_machine("arch=riscv64", "ram=3G");
	assert_ptr_equal(M->pt_fmt, &pt_riscv_sv39);
	check_sizes(2 * MiB, GiB);
	/* 4K, 2M, 1G; linear map 4K, 2M. */
	assert_int_equal(cpu_tlb_stats(0)->walk_steps, 3 + 2 + 1 + 3 + 2);
	/* Sv39's linear map has 2M leaves at most, past a 4K head: the
	 * firmware's first 256K of RAM are not mapped. */
	assert_int_equal(xlate_ok(0, &init_mm, PAGE_OFFSET + 0x87654321,
				  MMU_READ, MMU_KERNEL),
			 RV_RAM + 0x87654321);
	assert_int_equal(cpu_tlb_stats(0)->walk_steps, 11 + 2);
	assert_int_equal(xlate_fault(0, &init_mm, PAGE_OFFSET + 0x3f000,
				     MMU_READ, MMU_KERNEL),
			 EXC_LOAD_PAGE_FAULT);
	assert_int_equal(xlate_ok(0, &init_mm, PAGE_OFFSET + 0x40000, MMU_READ,
				  MMU_KERNEL),
			 RV_RAM + 0x40000);
	assert_int_equal(nr_pagetable(), 64); /* the vmalloc PMD tables */
}

static void test_translate_riscv_sv48(void **state)
{
	(void)state;
	boot_machine("arch=riscv64", "ram=3G", "sv48=1");
	assert_ptr_equal(M->pt_fmt, &pt_riscv_sv48);
	check_sizes(2 * MiB, GiB);
	assert_int_equal(cpu_tlb_stats(0)->walk_steps, 4 + 3 + 2 + 4 + 3);
	/* Sv48's linear map has 1G leaves from the first 1G boundary. */
	assert_int_equal(xlate_ok(0, &init_mm, PAGE_OFFSET + 0x87654321,
				  MMU_READ, MMU_KERNEL),
			 RV_RAM + 0x87654321);
	assert_int_equal(cpu_tlb_stats(0)->walk_steps, 16 + 2);
	assert_int_equal(nr_pagetable(), 64); /* the vmalloc PUD tables */
}

/* Loads, stores and fetches that fail report their kind and stval;
 * the kernel may read and write user pages (SUM) but never fetch from
 * them. */
static void check_riscv_faults(void)
{
	unsigned long ram = PFN_DOWN(M->phys_ram_base);
	unsigned long high = 1UL << (ptfmt()->va_bits - 1);
	struct mm_struct *mm = new_mm();

	map_or_fail(mm, USER_VA, PAGE_SIZE, ram + 0x100, PAGE_READONLY,
		    PAGE_SIZE);
	map_or_fail(mm, USER_VA + PAGE_SIZE, PAGE_SIZE, ram + 0x101,
		    PAGE_SHARED, PAGE_SIZE);
	map_or_fail(mm, USER_VA + 2 * PAGE_SIZE, PAGE_SIZE, ram + 0x102,
		    PAGE_SHARED_EXEC, PAGE_SIZE);
	/* Nothing mapped: the cause tells the access, not the mode. */
	assert_int_equal(xlate_fault(0, mm, 0x10000, MMU_READ, MMU_USER),
			 EXC_LOAD_PAGE_FAULT);
	assert_int_equal(mmu_cpu(M->mmu, 0)->cr2, 0x10000);
	assert_int_equal(xlate_fault(0, mm, 0x10000, MMU_WRITE, MMU_KERNEL),
			 EXC_STORE_PAGE_FAULT);
	assert_int_equal(xlate_fault(0, mm, 0x10000, MMU_EXEC, MMU_USER),
			 EXC_INST_PAGE_FAULT);
	/* R, W, X and U of the leaf decide. */
	assert_int_equal(xlate_fault(0, mm, USER_VA, MMU_WRITE, MMU_USER),
			 EXC_STORE_PAGE_FAULT);
	assert_int_equal(xlate_fault(0, mm, USER_VA, MMU_EXEC, MMU_USER),
			 EXC_INST_PAGE_FAULT);
	xlate_ok(0, mm, USER_VA + 2 * PAGE_SIZE, MMU_EXEC, MMU_USER);
	assert_int_equal(xlate_fault(0, mm, PAGE_OFFSET + 0x45000, MMU_READ,
				     MMU_USER),
			 EXC_LOAD_PAGE_FAULT);
	assert_int_equal(xlate_fault(0, mm, PAGE_OFFSET + 0x45000, MMU_EXEC,
				     MMU_KERNEL),
			 EXC_INST_PAGE_FAULT);
	assert_int_equal(xlate_fault(0, mm, USER_VA + 2 * PAGE_SIZE, MMU_EXEC,
				     MMU_KERNEL),
			 EXC_INST_PAGE_FAULT);
	assert_int_equal(xlate_ok(0, mm, USER_VA + PAGE_SIZE + 8, MMU_WRITE,
				  MMU_KERNEL),
			 PFN_PHYS(ram + 0x101) + 8);
	/* Non-canonical: a page fault like any other, not a #GP. */
	assert_int_equal(xlate_fault(0, mm, high, MMU_READ, MMU_USER),
			 EXC_LOAD_PAGE_FAULT);
	assert_int_equal(xlate_fault(0, mm, ~high, MMU_EXEC, MMU_KERNEL),
			 EXC_INST_PAGE_FAULT);
	assert_int_equal(mmu_cpu(M->mmu, 0)->cr2, ~high);
	assert_int_equal(cpu_tlb_stats(0)->page_faults, 10);
	unmap_range(mm, 0, TASK_SIZE_MAX, 0, 0);
	mm_pgtable_exit(mm);
}

/* Reserved bits and encodings, misaligned superpages, and a table
 * outside RAM (an access fault). */
static void check_riscv_reserved(void)
{
	const struct pt_format *f = ptfmt();
	unsigned long ram = PFN_DOWN(M->phys_ram_base);
	struct mm_struct *mm = new_mm();
	pteval_t v;
	pmd_t *pmd, *big;
	pte_t *pte;

	map_or_fail(mm, USER_VA, PAGE_SIZE, ram + 0x100, PAGE_SHARED,
		    PAGE_SIZE);
	map_or_fail(mm, 2 * GiB, 2 * MiB, ram + 0x200, PAGE_SHARED, PMD_SIZE);
	pte = user_pte(mm, USER_VA);
	pmd = pmd_offset(
		pud_offset(p4d_offset(pgd_offset(mm, USER_VA), USER_VA),
			   USER_VA),
		USER_VA);
	v = pte_val(ptep_get(pte));
	/* Bits 54..63 (no Svpbmt, no Svnapot). */
	set_pte(pte, __pte(v | 1ULL << 60));
	assert_int_equal(xlate_fault(0, mm, USER_VA, MMU_READ, MMU_USER),
			 EXC_LOAD_PAGE_FAULT);
	/* W without R. */
	set_pte(pte, __pte(v & ~f->read));
	assert_int_equal(xlate_fault(0, mm, USER_VA, MMU_WRITE, MMU_USER),
			 EXC_STORE_PAGE_FAULT);
	assert_int_equal(xlate_fault(0, mm, USER_VA, MMU_READ, MMU_KERNEL),
			 EXC_LOAD_PAGE_FAULT);
	set_pte(pte, __pte(v));
	/* A, D and U are reserved in a pointer to a table. */
	set_pmd(pmd, __pmd(pmd_val(pmdp_get(pmd)) | f->accessed));
	assert_int_equal(xlate_fault(0, mm, USER_VA, MMU_READ, MMU_USER),
			 EXC_LOAD_PAGE_FAULT);
	set_pmd(pmd, __pmd(pmd_val(pmdp_get(pmd)) & ~f->accessed));
	/* A 2M leaf whose ppn[0] is not zero. */
	big = (pmd_t *)user_pte(mm, 2 * GiB);
	set_pmd(big,
		__pmd(pmd_val(pmdp_get(big)) | pt_addr_field(f, PAGE_SIZE)));
	assert_int_equal(xlate_fault(0, mm, 2 * GiB, MMU_READ, MMU_USER),
			 EXC_LOAD_PAGE_FAULT);
	/* A table below RAM: the walk's load fails, an access fault. */
	set_pmd(pmd, __pmd(pt_addr_field(f, 0x1000) | _PAGE_TABLE));
	assert_int_equal(xlate_fault(0, mm, USER_VA, MMU_WRITE, MMU_USER),
			 EXC_STORE_ACCESS);
	assert_int_equal(xlate_fault(0, mm, USER_VA, MMU_EXEC, MMU_USER),
			 EXC_INST_ACCESS);
	set_pmd(pmd, __pmd(0));
	unmap_range(mm, 0, TASK_SIZE_MAX, 0, 0);
	mm_pgtable_exit(mm);
}

static void test_riscv_faults(void **state)
{
	(void)state;
	boot_machine("arch=riscv64", "ram=1G");
	check_riscv_faults();
	check_riscv_reserved();
	machine_destroy(M);
	boot_machine("arch=riscv64", "ram=1G", "sv48=1");
	check_riscv_faults();
	check_riscv_reserved();
}

/* The hart sets A on any access and D on a store, in the leaf only:
 * entries pointing to tables must keep A and D clear. */
static void test_riscv_accessed_and_dirty_bits(void **state)
{
	const struct pt_format *f;
	unsigned long ram;
	struct mm_struct *mm;
	pteval_t table;
	pte_t *pte;
	pmd_t *pmd;

	(void)state;
	boot_machine("arch=riscv64", "ram=1G");
	f = ptfmt();
	ram = PFN_DOWN(M->phys_ram_base);
	mm = new_mm();
	map_or_fail(mm, USER_VA, PAGE_SIZE, ram + 0x1234,
		    __pgprot(pgprot_val(PAGE_SHARED) & ~f->accessed),
		    PAGE_SIZE);
	pte = user_pte(mm, USER_VA);
	pmd = pmd_offset(
		pud_offset(p4d_offset(pgd_offset(mm, USER_VA), USER_VA),
			   USER_VA),
		USER_VA);
	table = pmd_val(pmdp_get(pmd));
	assert_false(pte_young(ptep_get(pte)));
	xlate_ok(0, mm, USER_VA, MMU_READ, MMU_USER);
	assert_true(pte_young(ptep_get(pte)));
	assert_false(pte_dirty(ptep_get(pte)));
	assert_int_equal(pmd_val(pmdp_get(pmd)), table);
	/* The first store through the clean cached entry walks again. */
	xlate_ok(0, mm, USER_VA, MMU_WRITE, MMU_USER);
	assert_true(pte_dirty(ptep_get(pte)));
	assert_int_equal(pte_val(ptep_get(pte)),
			 pte_val(pfn_pte(ram + 0x1234, PAGE_SHARED)) |
				 f->dirty);
	assert_int_equal(pmd_val(pmdp_get(pmd)), table);
	assert_int_equal(cpu_tlb_stats(0)->page_walks, 2);
	/* Huge leaves get them too. */
	map_or_fail(mm, 2 * GiB, 2 * MiB, ram + 0x200,
		    __pgprot(pgprot_val(PAGE_SHARED) & ~f->accessed), PMD_SIZE);
	pmd = (pmd_t *)user_pte(mm, 2 * GiB);
	assert_false(pmd_young(pmdp_get(pmd)));
	xlate_ok(0, mm, 2 * GiB + 5, MMU_WRITE, MMU_USER);
	assert_true(pmd_young(pmdp_get(pmd)) && pmd_dirty(pmdp_get(pmd)));
	unmap_range(mm, 0, TASK_SIZE_MAX, 0, 0);
	mm_pgtable_exit(mm);
}

/* ---- accessed and dirty bits ------------------------------------------------- */

static void test_accessed_and_dirty_bits(void **state)
{
	struct mm_struct *mm;
	pte_t *pte;
	pud_t *pud;
	pmd_t *pmd;

	(void)state;
	boot_machine("ram=1G");
	mm = new_mm();
	map_or_fail(mm, USER_VA, PAGE_SIZE, 0x1234,
		    __pgprot(pgprot_val(PAGE_SHARED) & ~ptfmt()->accessed),
		    PAGE_SIZE);
	pte = user_pte(mm, USER_VA);
	pud = pud_offset(p4d_offset(pgd_offset(mm, USER_VA), USER_VA), USER_VA);
	pmd = pmd_offset(pud, USER_VA);
	set_pud(pud, __pud(pud_val(pudp_get(pud)) & ~ptfmt()->accessed));
	set_pmd(pmd, __pmd(pmd_val(pmdp_get(pmd)) & ~ptfmt()->accessed));
	assert_false(pte_young(ptep_get(pte)));

	/* A read sets A in the leaf and in every entry on the way. */
	xlate_ok(0, mm, USER_VA, MMU_READ, MMU_USER);
	assert_true(pte_young(ptep_get(pte)));
	assert_false(pte_dirty(ptep_get(pte)));
	assert_true(pmd_young(pmdp_get(pmd)));
	assert_true(pud_val(pudp_get(pud)) & ptfmt()->accessed);

	/* A TLB hit touches nothing: reclaim's pte_mkold stays until a flush. */
	set_pte(pte, pte_mkold(ptep_get(pte)));
	xlate_ok(0, mm, USER_VA, MMU_READ, MMU_USER);
	assert_false(pte_young(ptep_get(pte)));
	flush_tlb_one_user(USER_VA);
	xlate_ok(0, mm, USER_VA, MMU_READ, MMU_USER);
	assert_true(pte_young(ptep_get(pte)));

	/* The first write through a clean cached entry sets D. */
	xlate_ok(0, mm, USER_VA, MMU_WRITE, MMU_USER);
	assert_true(pte_dirty(ptep_get(pte)));

	/* Huge leaves get A and D too. */
	map_or_fail(mm, 2 * GiB, 2 * MiB, 0x200,
		    __pgprot(pgprot_val(PAGE_SHARED) & ~ptfmt()->accessed),
		    PMD_SIZE);
	pmd = pmd_offset(
		pud_offset(p4d_offset(pgd_offset(mm, 2 * GiB), 2 * GiB),
			   2 * GiB),
		2 * GiB);
	assert_false(pmd_young(pmdp_get(pmd)));
	xlate_ok(0, mm, 2 * GiB + 5, MMU_WRITE, MMU_USER);
	assert_true(pmd_young(pmdp_get(pmd)) && pmd_dirty(pmdp_get(pmd)));
	unmap_range(mm, 0, TASK_SIZE_MAX, 0, 0);
	mm_pgtable_exit(mm);
}

static void test_i386_accessed_and_dirty_bits(void **state)
{
	struct mm_struct *mm;
	pte_t *pte;

	(void)state;
	boot_machine("ram=512M", "arch=i386");
	mm = new_mm();
	map_or_fail(mm, 0x08048000, PAGE_SIZE, 0x1234,
		    __pgprot(pgprot_val(PAGE_SHARED) & ~ptfmt()->accessed),
		    PAGE_SIZE);
	pte = user_pte(mm, 0x08048000);
	xlate_ok(0, mm, 0x08048000, MMU_WRITE, MMU_USER);
	assert_int_equal(pte_val(ptep_get(pte)), 0x1234067); /* P|RW|U|A|D */
	unmap_range(mm, 0, TASK_SIZE_MAX, 0, 0);
	mm_pgtable_exit(mm);
}

/* ---- page faults ---------------------------------------------------------------- */

static void test_fault_error_codes(void **state)
{
	struct mm_struct *mm;
	unsigned long kva = 0xffffc90000000000UL; /* vmalloc space */

	(void)state;
	boot_machine("ram=1G", "cpus=2");
	/* Kernel mappings made before the process exists are in its pgd. */
	map_or_fail(&init_mm, kva, PAGE_SIZE, 0x1003, PAGE_KERNEL_RO,
		    PAGE_SIZE);
	mm = new_mm();
	map_or_fail(mm, USER_VA, PAGE_SIZE, 0x1000, PAGE_READONLY, PAGE_SIZE);
	map_or_fail(mm, USER_VA + PAGE_SIZE, PAGE_SIZE, 0x1001, PAGE_SHARED,
		    PAGE_SIZE);
	map_or_fail(mm, USER_VA + 2 * PAGE_SIZE, PAGE_SIZE, 0x1002,
		    PAGE_SHARED_EXEC, PAGE_SIZE);

	/* Not present: read, write, fetch, from user and kernel. */
	assert_int_equal(xlate_fault(1, mm, 0x10000, MMU_READ, MMU_USER), 0x4);
	assert_int_equal(mmu_cpu(M->mmu, 1)->cr2, 0x10000);
	assert_int_equal(xlate_fault(1, mm, 0x10000, MMU_WRITE, MMU_KERNEL),
			 0x2);
	assert_int_equal(xlate_fault(1, mm, 0x10000, MMU_EXEC, MMU_USER), 0x14);
	/* Write to a read-only page: user, and kernel (CR0.WP). */
	assert_int_equal(xlate_fault(1, mm, USER_VA, MMU_WRITE, MMU_USER), 0x7);
	assert_int_equal(xlate_fault(1, mm, kva, MMU_WRITE, MMU_KERNEL), 0x3);
	assert_int_equal(xlate_ok(1, mm, kva, MMU_READ, MMU_KERNEL), 0x1003000);
	/* User access to kernel pages. */
	assert_int_equal(xlate_fault(1, mm, PAGE_OFFSET, MMU_READ, MMU_USER),
			 0x5);
	assert_int_equal(xlate_fault(1, mm, kva, MMU_READ, MMU_USER), 0x5);
	/* NX, and SMEP for kernel fetches from user pages. */
	assert_int_equal(xlate_fault(1, mm, USER_VA + PAGE_SIZE, MMU_EXEC,
				     MMU_USER),
			 0x15);
	assert_int_equal(xlate_fault(1, mm, PAGE_OFFSET, MMU_EXEC, MMU_KERNEL),
			 0x11);
	xlate_ok(1, mm, USER_VA + 2 * PAGE_SIZE, MMU_EXEC, MMU_USER);
	assert_int_equal(xlate_fault(1, mm, USER_VA + 2 * PAGE_SIZE, MMU_EXEC,
				     MMU_KERNEL),
			 0x11);
	/* The kernel may read and write user pages (no SMAP). */
	xlate_ok(1, mm, USER_VA + PAGE_SIZE, MMU_WRITE, MMU_KERNEL);
	assert_int_equal(cpu_tlb_stats(1)->page_faults, 10);
	assert_int_equal(mmu_cpu(M->mmu, 1)->cr2, USER_VA + 2 * PAGE_SIZE);
	unmap_range(mm, 0, TASK_SIZE_MAX, 0, 0);
	mm_pgtable_exit(mm);
}

static void test_reserved_bit_faults(void **state)
{
	struct mm_struct *mm;
	pte_t *pte;
	pmd_t *pmd;
	pgd_t *pgd;

	(void)state;
	boot_machine("ram=1G");
	mm = new_mm();
	map_or_fail(mm, USER_VA, PAGE_SIZE, 0x1000, PAGE_SHARED, PAGE_SIZE);
	map_or_fail(mm, 2 * GiB, 2 * MiB, 0x200, PAGE_SHARED, PMD_SIZE);
	pte = user_pte(mm, USER_VA);
	set_pte(pte, __pte(pte_val(ptep_get(pte)) | 1ULL << 51));
	assert_int_equal(xlate_fault(0, mm, USER_VA, MMU_READ, MMU_USER), 0xd);
	assert_int_equal(xlate_fault(0, mm, USER_VA, MMU_WRITE, MMU_KERNEL),
			 0xb);
	/* A 2M leaf with an address bit below 2M. */
	pmd = (pmd_t *)user_pte(mm, 2 * GiB);
	set_pmd(pmd, __pmd(pmd_val(pmdp_get(pmd)) | 1ULL << 13));
	assert_int_equal(xlate_fault(0, mm, 2 * GiB, MMU_READ, MMU_USER), 0xd);
	/* A huge bit in the top level, where x86-64 has no leaves. */
	pgd = pgd_offset(mm, USER_VA);
	set_pgd(pgd, __pgd(pgd_val(pgdp_get(pgd)) | ptfmt()->huge));
	assert_int_equal(xlate_fault(0, mm, USER_VA, MMU_READ, MMU_USER), 0xd);
	set_pgd(pgd, __pgd(pgd_val(pgdp_get(pgd)) & ~ptfmt()->huge));
	set_pmd(pmd, __pmd(pmd_val(pmdp_get(pmd)) & ~(1ULL << 13)));
	set_pte(pte, __pte(pte_val(ptep_get(pte)) & ~(1ULL << 51)));
	xlate_ok(0, mm, USER_VA, MMU_READ, MMU_USER);
	unmap_range(mm, 0, TASK_SIZE_MAX, 0, 0);
	mm_pgtable_exit(mm);
}

/* Swap entries and PROT_NONE ptes are not present to the hardware. */
static void test_swap_and_prot_none_fault(void **state)
{
	struct mm_struct *mm;
	pte_t *pte;

	(void)state;
	boot_machine("ram=1G");
	mm = new_mm();
	map_or_fail(mm, USER_VA, PAGE_SIZE, 0x1000, PAGE_NONE, PAGE_SIZE);
	pte = user_pte(mm, USER_VA);
	assert_true(pte_protnone(ptep_get(pte)));
	assert_int_equal(xlate_fault(0, mm, USER_VA, MMU_READ, MMU_USER), 0x4);
	set_pte(pte, swp_entry_to_pte(swp_entry(1, 0x777)));
	assert_int_equal(xlate_fault(0, mm, USER_VA, MMU_WRITE, MMU_USER), 0x6);
	set_pte(pte, pfn_pte(0x1000, PAGE_SHARED));
	assert_int_equal(xlate_ok(0, mm, USER_VA, MMU_WRITE, MMU_USER),
			 0x1000000);
	unmap_range(mm, 0, TASK_SIZE_MAX, 0, 0);
	mm_pgtable_exit(mm);
}

static void test_i386_fault_codes(void **state)
{
	struct mm_struct *mm;

	(void)state;
	boot_machine("ram=512M", "arch=i386");
	mm = new_mm();
	map_or_fail(mm, USER_VA, PAGE_SIZE, 0x1000, PAGE_READONLY, PAGE_SIZE);
	/* No NX on 2-level paging: data pages execute; no I/D bit. */
	xlate_ok(0, mm, USER_VA, MMU_EXEC, MMU_USER);
	assert_int_equal(xlate_fault(0, mm, 0x10000, MMU_EXEC, MMU_USER), 0x4);
	assert_int_equal(xlate_fault(0, mm, USER_VA, MMU_WRITE, MMU_USER), 0x7);
	assert_int_equal(xlate_fault(0, mm, PAGE_OFFSET + 0x1000, MMU_READ,
				     MMU_USER),
			 0x5);
	unmap_range(mm, 0, TASK_SIZE_MAX, 0, 0);
	mm_pgtable_exit(mm);
}

static void test_non_canonical_is_gp(void **state)
{
	uint64_t pa;
	struct mmu_fault f = { 0 };

	(void)state;
	boot_machine("ram=256M");
	assert_int_equal(translate(0, &init_mm, 0x0000800000000000UL, MMU_READ,
				   MMU_KERNEL, &pa, &f),
			 TRANSLATE_GP);
	assert_int_equal(translate(0, &init_mm, 0xffff7fffffffffffUL, MMU_READ,
				   MMU_KERNEL, &pa, &f),
			 TRANSLATE_GP);
	assert_int_equal(cpu_tlb_stats(0)->page_faults, 0);
	machine_destroy(M);
	boot_machine("ram=256M", "la57=1");
	/* Canonical with 57 bits, not with 48. */
	assert_int_equal(translate(0, &init_mm, 0x0000800000000000UL, MMU_READ,
				   MMU_KERNEL, &pa, &f),
			 TRANSLATE_PAGE_FAULT);
	machine_destroy(M);
	boot_machine("ram=256M", "arch=i386");
	assert_int_equal(translate(0, &init_mm, 0x100000000UL, MMU_READ,
				   MMU_KERNEL, &pa, &f),
			 TRANSLATE_GP);
}

/* A stale TLB entry keeps granting the old rights until flushed. */
static void test_stale_entry_until_flushed(void **state)
{
	struct mm_struct *mm;
	pte_t *pte;
	struct {
		struct mm_struct *vm_mm;
	} vma;

	(void)state;
	boot_machine("ram=512M");
	mm = new_mm();
	vma.vm_mm = mm;
	map_or_fail(mm, USER_VA, PAGE_SIZE, 0x1000, PAGE_SHARED, PAGE_SIZE);
	xlate_ok(0, mm, USER_VA, MMU_WRITE, MMU_USER);
	pte = user_pte(mm, USER_VA);
	ptep_set_wrprotect(mm, USER_VA, pte);
	xlate_ok(0, mm, USER_VA, MMU_WRITE, MMU_USER); /* stale: still W */
	flush_tlb_page(&vma, USER_VA);
	assert_int_equal(xlate_fault(0, mm, USER_VA, MMU_WRITE, MMU_USER), 0x7);
	/* Unmapped but not flushed: still translates. */
	set_pte(pte, pte_mkwrite_novma(ptep_get(pte)));
	xlate_ok(0, mm, USER_VA, MMU_WRITE, MMU_USER);
	pte_clear(mm, USER_VA, pte);
	xlate_ok(0, mm, USER_VA, MMU_READ, MMU_USER);
	flush_tlb_range(&vma, USER_VA, USER_VA + PAGE_SIZE);
	assert_int_equal(xlate_fault(0, mm, USER_VA, MMU_READ, MMU_USER), 0x4);
	unmap_range(mm, 0, TASK_SIZE_MAX, 0, 0);
	mm_pgtable_exit(mm);
}

#define T(f) cmocka_unit_test_teardown(f, destroy_current)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_translate_x86_64_4level),
		T(test_translate_x86_64_5level),
		T(test_translate_i386),
		T(test_translate_riscv_sv39),
		T(test_translate_riscv_sv48),
		T(test_riscv_faults),
		T(test_riscv_accessed_and_dirty_bits),
		T(test_accessed_and_dirty_bits),
		T(test_i386_accessed_and_dirty_bits),
		T(test_fault_error_codes),
		T(test_reserved_bit_faults),
		T(test_swap_and_prot_none_fault),
		T(test_i386_fault_codes),
		T(test_non_canonical_is_gp),
		T(test_stale_entry_until_flushed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
