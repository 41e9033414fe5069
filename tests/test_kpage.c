/* /proc/kpagecount and /proc/kpageflags through proc_pread(): the exact
 * flags and mapcount of an anonymous page as it is written, shared by
 * fork and unmapped; a slab's head and tail pages, a page table, every
 * page of a free buddy block, the zero page; frames without a page
 * (reserved where Linux's memmap has one, NOPAGE elsewhere) and the end
 * of the file at the last section's end; EINVAL for a misaligned offset
 * or count, no text read, no write. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "helpers.h"
#include "vm_helpers.h"

#include <endian.h>
#include <errno.h>

#include "fs/proc/proc.h"
#include "kernel/pid.h"
#include "kernel/sched/run.h"
#include "mm/gfp.h"
#include "mm/internal.h"
#include "mm/pgtable.h"
#include "mm/slab.h"

#define RW (PROT_READ | PROT_WRITE)
#define BASE 0x200000000UL

/* include/uapi/linux/kernel-page-flags.h */
#define KPF(n) (1ULL << KPF_##n)
enum {
	KPF_UPTODATE = 3,
	KPF_LRU = 5,
	KPF_SLAB = 7,
	KPF_BUDDY = 10,
	KPF_MMAP = 11,
	KPF_ANON = 12,
	KPF_SWAPBACKED = 14,
	KPF_COMPOUND_HEAD = 15,
	KPF_COMPOUND_TAIL = 16,
	KPF_NOPAGE = 20,
	KPF_ZERO_PAGE = 24,
	KPF_PGTABLE = 26,
	KPF_RESERVED = 32,
};

/* Entry pfn of a kpage file: proc_pread() must give all 8 bytes. */
static uint64_t kpage(const char *file, unsigned long pfn)
{
	uint64_t v;

	assert_int_equal(proc_pread(file, &v, 8, pfn * 8ULL), 8);
	return le64toh(v);
}

static uint64_t kflags(unsigned long pfn)
{
	return kpage("/proc/kpageflags", pfn);
}

static uint64_t kcount(unsigned long pfn)
{
	return kpage("/proc/kpagecount", pfn);
}

static unsigned long pfn_at(unsigned long addr)
{
	pte_t pte = pte_at(addr);

	assert_true(pte_present(pte));
	return pte_pfn(pte);
}

/* A written anonymous page: uptodate, on the LRU, mapped, anonymous,
 * swap-backed; mapped twice after fork; unmapped, no longer MMAP. */
static void test_anon_page(void **state)
{
	const uint64_t anon = KPF(UPTODATE) | KPF(LRU) | KPF(MMAP) | KPF(ANON) |
			      KPF(SWAPBACKED);
	struct task_struct *p, *c;
	unsigned long pfn;

	(void)state;
	boot_machine("ram=256M");
	p = start_process("prog");
	map_fixed(BASE, 1, RW, MAP_PRIVATE);
	assert_int_equal(poke(BASE, 1), 0);
	pfn = pfn_at(BASE);
	assert_int_equal(kflags(pfn), anon);
	assert_int_equal(kcount(pfn), 1);
	c = task_by_pid(sys_fork());
	assert_int_equal(kcount(pfn), 2);
	set_current_task(NULL);
	release_task(c);
	set_current_task(p);
	assert_int_equal(kcount(pfn), 1);
	assert_int_equal(sys_munmap(BASE, PAGE_SIZE), 0);
	assert_int_equal(kcount(pfn), 0);
	assert_int_equal(kflags(pfn) & (KPF(MMAP) | KPF(ANON)), 0);
	end_process(p);
}

/* kmalloc-8k's slabs are order-3 compound pages: SLAB on all of them,
 * COMPOUND_HEAD on the first, COMPOUND_TAIL on the rest; never mapped. */
static void test_slab_and_page_table(void **state)
{
	struct task_struct *p;
	void *obj;
	unsigned long pfn, order;

	(void)state;
	boot_machine("ram=256M");
	obj = kmalloc(8192, GFP_KERNEL);
	assert_non_null(obj);
	pfn = page_to_pfn(virt_to_slab(obj));
	order = compound_order(pfn_to_page(pfn));
	assert_true(order > 0);
	assert_int_equal(kflags(pfn), KPF(SLAB) | KPF(COMPOUND_HEAD));
	for (unsigned long i = 1; i < 1UL << order; i++) {
		assert_int_equal(kflags(pfn + i),
				 KPF(SLAB) | KPF(COMPOUND_TAIL));
		assert_int_equal(kcount(pfn + i), 0);
	}
	assert_int_equal(kcount(pfn), 0);
	kfree(obj);

	p = start_process("prog");
	map_fixed(BASE, 1, RW, MAP_PRIVATE);
	assert_int_equal(poke(BASE, 1), 0);
	pfn = page_to_pfn(virt_to_page(mm_find_pte(current->mm, BASE)));
	assert_int_equal(kflags(pfn), KPF(PGTABLE));
	assert_int_equal(kcount(pfn), 0);
	end_process(p);
}

/* Every page of a free block is BUDDY (only the first is PageBuddy). */
static void test_free_block(void **state)
{
	struct page *page;
	unsigned long pfn;

	(void)state;
	boot_machine("ram=256M");
	page = alloc_pages(GFP_KERNEL, 4); /* past the per-CPU lists */
	assert_non_null(page);
	pfn = page_to_pfn(page);
	assert_int_equal(kflags(pfn + 5) & KPF(BUDDY), 0);
	__free_pages(page, 4);
	for (unsigned long i = 0; i < 16; i++) {
		assert_int_equal(kflags(pfn + i), KPF(BUDDY));
		assert_int_equal(kcount(pfn + i), 0);
	}
}

/* The zero page is reserved (the kernel image's bss) and ZERO_PAGE. */
static void test_zero_page(void **state)
{
	unsigned long pfn;

	(void)state;
	boot_machine("ram=256M");
	pfn = page_to_pfn(ZERO_PAGE());
	assert_int_equal(kflags(pfn), KPF(ZERO_PAGE) | KPF(RESERVED));
	assert_int_equal(kcount(pfn), 0);
}

/* x86_64: frame 0 has no page here but one in Linux's memmap (reserved);
 * 200M is not a whole number of 128M sections: the rest of the last one
 * is reserved too, and the files end there. */
static void test_holes_and_end(void **state)
{
	unsigned long last = (200UL << 20) / PAGE_SIZE,
		      end = (256UL << 20) / PAGE_SIZE;
	unsigned char b[16];

	(void)state;
	boot_machine("ram=200M");
	assert_false(pfn_valid(0));
	assert_int_equal(kflags(0), KPF(RESERVED));
	assert_int_equal(kcount(0), 0);
	assert_int_equal(M->max_pfn, last);
	assert_int_equal(kflags(last), KPF(RESERVED));
	assert_int_equal(kflags(end - 1), KPF(RESERVED));
	assert_int_equal(
		proc_pread("/proc/kpageflags", b, 16, (end - 1) * 8ULL), 8);
	assert_int_equal(proc_pread("/proc/kpageflags", b, 8, end * 8ULL), 0);
	assert_int_equal(proc_pread("/proc/kpagecount", b, 8, ~0ULL & ~7ULL),
			 0);
}

/* riscv64: RAM starts at 2G; the sections below hold none: NOPAGE. */
static void test_no_page_below_riscv_ram(void **state)
{
	(void)state;
	boot_machine("arch=riscv64", "ram=256M");
	assert_int_equal(kflags(0), KPF(NOPAGE));
	assert_int_equal(kcount(0), 0);
	assert_int_not_equal(kflags(M->max_pfn - 1), KPF(NOPAGE));
}

static void test_errors(void **state)
{
	unsigned char b[16];
	struct seq_file m;
	char err[128];

	(void)state;
	boot_machine("ram=256M");
	assert_int_equal(proc_pread("/proc/kpageflags", b, 8, 4), -EINVAL);
	assert_int_equal(proc_pread("/proc/kpagecount", b, 12, 0), -EINVAL);
	assert_int_equal(proc_pread("/proc/kpagecount", b, 0, 8), 0);
	seq_init(&m);
	assert_int_equal(proc_read("/proc/kpageflags", &m), -EINVAL);
	seq_release(&m);
	assert_int_equal(proc_write("/proc/kpagecount", "1", err, sizeof(err)),
			 -EACCES);
}

#define T(f) cmocka_unit_test_teardown(f, destroy_current)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_anon_page),     T(test_slab_and_page_table),
		T(test_free_block),    T(test_zero_page),
		T(test_holes_and_end), T(test_no_page_below_riscv_ram),
		T(test_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
