/* The MMU model (arch/mmu.c): translation through every page-table
 * format and page size (x86-64 4- and 5-level 4K/2M/1G, i386 4K/4M,
 * riscv64 Sv39/Sv48), the kernel half and the direct map seen from a
 * process, accessed and dirty bits set as hardware sets them, every x86
 * page-fault error code with CR2, non-canonical addresses, and stale
 * TLB entries that only a flush removes. */
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

/* Every page size of a format, user and kernel side. */
static void check_sizes(unsigned long big, unsigned long giant)
{
	struct mm_struct *mm = new_mm();
	unsigned long b = 2 * GiB;

	map_or_fail(mm, USER_VA, PAGE_SIZE, 0x1234, PAGE_SHARED, PAGE_SIZE);
	assert_int_equal(xlate_ok(0, mm, USER_VA + 0x567, MMU_READ, MMU_USER),
			 0x1234567);
	map_or_fail(mm, b, big, big >> PAGE_SHIFT, PAGE_SHARED, big);
	assert_int_equal(xlate_ok(0, mm, b + big - 8, MMU_WRITE, MMU_USER),
			 2 * big - 8);
	assert_int_equal(xlate_ok(0, mm, b + 0x12345, MMU_READ, MMU_USER),
			 big + 0x12345);
	if (giant) {
		map_or_fail(mm, 8 * GiB, giant, giant >> PAGE_SHIFT,
			    PAGE_SHARED, giant);
		assert_int_equal(xlate_ok(0, mm, 8 * GiB + 0x3456789, MMU_READ,
					  MMU_USER),
				 giant + 0x3456789);
	}
	/* The kernel half through the process's pgd. */
	assert_int_equal(xlate_ok(0, mm, PAGE_OFFSET + 0x5123, MMU_READ,
				  MMU_KERNEL),
			 0x5123);
	assert_int_equal(xlate_ok(0, mm, PAGE_OFFSET + 0x1234567, MMU_WRITE,
				  MMU_KERNEL),
			 0x1234567);
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

/* The riscv formats, walked by the same MMU on user addresses. */
static void check_riscv(const struct pt_format *f)
{
	unsigned long va = 0x10000;
	struct mm_struct *mm;

	M->pt_fmt = f;
	mm = new_mm();
	map_or_fail(mm, va, PAGE_SIZE, 0x1234, PAGE_SHARED, PAGE_SIZE);
	map_or_fail(mm, 2 * MiB, 2 * MiB, 0x200, PAGE_READONLY_EXEC, 2 * MiB);
	map_or_fail(mm, GiB, GiB, 0x40000, PAGE_SHARED, GiB);
	assert_int_equal(xlate_ok(0, mm, va + 8, MMU_WRITE, MMU_USER),
			 0x1234008);
	assert_int_equal(xlate_ok(0, mm, 3 * MiB, MMU_EXEC, MMU_USER), 3 * MiB);
	assert_int_equal(xlate_ok(0, mm, GiB + 0x123456, MMU_READ, MMU_USER),
			 GiB + 0x123456);
	/* No X on a data page; no W on a read-only one. */
	assert_int_equal(xlate_fault(0, mm, va, MMU_EXEC, MMU_USER),
			 X86_PF_PROT | X86_PF_USER | X86_PF_INSTR);
	assert_int_equal(xlate_fault(0, mm, 2 * MiB, MMU_WRITE, MMU_USER),
			 X86_PF_PROT | X86_PF_USER | X86_PF_WRITE);
	/* A and D land in the leaf only. */
	assert_true(pte_young(ptep_get(user_pte(mm, va))));
	assert_true(pte_dirty(ptep_get(user_pte(mm, va))));
	unmap_range(mm, 0, TASK_SIZE_MAX, 0, 0);
	mm_pgtable_exit(mm);
	M->pt_fmt = &pt_x86_64_4level;
	flush_tlb_all();
}

static void test_translate_riscv(void **state)
{
	(void)state;
	boot_machine("ram=3G");
	/* Only the x86-64 vmalloc PUD tables of boot are left. */
	check_riscv(&pt_riscv_sv39);
	check_riscv(&pt_riscv_sv48);
	assert_int_equal(nr_pagetable(), 64);
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
		T(test_translate_riscv),
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
