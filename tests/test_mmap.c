/* Process address spaces: exec's layout, mmap/munmap/brk placement and
 * errno values, VMA split and merge, demand paging with the zero page,
 * user memory through the MMU, and everything freed at exit. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>

#include <cmocka.h>

#include "helpers.h"
#include "vm_helpers.h"

#include <errno.h>
#include <signal.h>


#define TOP_DOWN_BASE 0x7ffff7fff000UL /* TASK_SIZE - 128 MiB gap */



/* The VMA list as "start-end" lines, for comparing layouts. */
static void expect_vma(struct vm_area_struct *vma, unsigned long start,
		       unsigned long end)
{
	assert_non_null(vma);
	assert_int_equal(vma->vm_start, start);
	assert_int_equal(vma->vm_end, end);
}

static void test_exec_builds_linux_layout(void **state)
{
	struct task_struct *t;
	struct mm_struct *mm;
	struct vm_area_struct *v;

	(void)state;
	boot_machine("ram=256M");
	t = start_process("/bin/prog");
	mm = t->mm;
	assert_string_equal(t->comm, "prog");
	assert_true(t->pid == 1);
	/* text, data+bss, then the stack at STACK_TOP with 128 KiB below
	 * its argument page */
	v = mm->mmap;
	expect_vma(v, 0x400000, 0x410000);
	assert_int_equal(v->vm_flags & VM_ACCESS_FLAGS, VM_READ | VM_EXEC);
	v = v->vm_next;
	expect_vma(v, 0x410000, 0x414000);
	v = v->vm_next;
	expect_vma(v, 0x7ffffffde000, 0x7ffffffff000);
	assert_true(v->vm_flags & VM_GROWSDOWN);
	assert_null(v->vm_next);
	assert_int_equal(mm->map_count, 3);
	assert_int_equal(mm->start_brk, 0x414000);
	assert_int_equal(mm->brk, 0x414000);
	assert_int_equal(mm->mmap_base, TOP_DOWN_BASE);
	assert_true(mm->start_stack > 0x7ffffffde000 &&
		    mm->start_stack < 0x7ffffffff000);
	assert_int_equal(mm->stack_vm, 0x21);
	assert_int_equal(mm->total_vm, 16 + 4 + 0x21);
	end_process(t);
}

static void test_mmap_16M_grows_vm_not_rss(void **state)
{
	struct task_struct *t;
	unsigned long rss, vm, a, flt;
	char buf[4] = "abc";

	(void)state;
	boot_machine("ram=256M");
	t = start_process("prog");
	rss = get_mm_rss(t->mm);
	vm = t->mm->total_vm;
	a = (unsigned long)sys_mmap(0, 16 * MiB, PROT_READ | PROT_WRITE,
				    MAP_PRIVATE | MAP_ANONYMOUS, -1UL, 0);
	assert_int_equal(a, TOP_DOWN_BASE - 16 * MiB);
	assert_int_equal(t->mm->total_vm, vm + 4096);
	assert_int_equal(get_mm_rss(t->mm), rss);
	/* four pages written: four minor faults, 16 kB of RssAnon */
	flt = t->min_flt;
	for (int i = 0; i < 4; i++)
		assert_int_equal(user_access(a + i * 5 * PAGE_SIZE, buf, 3, true), 0);
	assert_int_equal(t->min_flt, flt + 4);
	assert_int_equal(get_mm_rss(t->mm), rss + 4);
	assert_int_equal(get_mm_counter(t->mm, MM_ANONPAGES), rss + 4);
	memset(buf, 0, sizeof(buf));
	assert_int_equal(user_access(a + 5 * PAGE_SIZE, buf, 3, false), 0);
	assert_string_equal(buf, "abc");
	/* a read of an untouched page maps the zero page: no RSS */
	assert_int_equal(user_access(a + PAGE_SIZE, buf, 3, false), 0);
	assert_int_equal(buf[0], 0);
	assert_int_equal(get_mm_rss(t->mm), rss + 4);
	assert_int_equal(t->min_flt, flt + 5);
	/* then writing it allocates a page in place of the zero page */
	assert_int_equal(user_access(a + PAGE_SIZE, buf, 1, true), 0);
	assert_int_equal(get_mm_rss(t->mm), rss + 5);
	end_process(t);
}

static void test_munmap_middle_splits_and_frees(void **state)
{
	struct task_struct *t;
	unsigned long a, free_before;
	struct vm_area_struct *v;
	int maps;

	(void)state;
	boot_machine("ram=256M");
	/* pages outside the buddy lists: boot's slab pages, and after the
	 * process the slabs its objects came from */
	free_before = free_pages_drained() + slab_pages();
	t = start_process("prog");
	a = (unsigned long)sys_mmap(0, 10 * PAGE_SIZE, PROT_READ | PROT_WRITE,
				    MAP_PRIVATE | MAP_ANONYMOUS, -1UL, 0);
	maps = t->mm->map_count;
	assert_int_equal(user_access(a, NULL, 10 * PAGE_SIZE, true), 0);
	assert_int_equal(sys_munmap(a + 3 * PAGE_SIZE, 2 * PAGE_SIZE), 0);
	assert_int_equal(t->mm->map_count, maps + 1);
	v = find_vma(t->mm, a);
	expect_vma(v, a, a + 3 * PAGE_SIZE);
	expect_vma(v->vm_next, a + 5 * PAGE_SIZE, a + 10 * PAGE_SIZE);
	/* the hole faults with SEGV_MAPERR */
	assert_int_equal(user_access(a + 3 * PAGE_SIZE, NULL, 1, false), -EFAULT);
	assert_int_equal(t->fault_sig.signo, SIGSEGV);
	assert_int_equal(t->fault_sig.code, SEGV_MAPERR);
	assert_int_equal(t->fault_sig.addr, a + 3 * PAGE_SIZE);
	assert_true(log_contains("prog[1]: segfault at "));
	/* mapping the hole again merges the three back into one */
	assert_int_equal(sys_mmap(a + 3 * PAGE_SIZE, 2 * PAGE_SIZE,
				  PROT_READ | PROT_WRITE,
				  MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1UL, 0),
			 (long)(a + 3 * PAGE_SIZE));
	expect_vma(find_vma(t->mm, a), a, a + 10 * PAGE_SIZE);
	assert_int_equal(t->mm->map_count, maps);
	end_process(t);
	assert_int_equal(free_pages_drained() + slab_pages(), free_before);
	assert_int_equal(vmstat_counter("nr_anon_pages"), 0);
	assert_int_equal(vmstat_counter("nr_inactive_anon"), 0);
	assert_int_equal(vmstat_counter("nr_page_table_pages"),
			 boot_pagetable_pages());
}

static void test_mmap_errors(void **state)
{
	struct task_struct *t;

	(void)state;
	boot_machine("ram=256M");
	t = start_process("prog");
	assert_int_equal(sys_mmap(0, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS,
				  -1UL, 0), -EINVAL);
	assert_int_equal(sys_mmap(0, PAGE_SIZE, PROT_READ, MAP_ANONYMOUS, -1UL, 0),
			 -EINVAL);
	assert_int_equal(sys_mmap(0, PAGE_SIZE, PROT_READ, MAP_PRIVATE, 3, 0),
			 -EBADF);
	assert_int_equal(sys_mmap(0x1001, PAGE_SIZE, PROT_READ,
				  MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1UL, 0),
			 -EINVAL);
	assert_int_equal(sys_mmap(0x1000, PAGE_SIZE, PROT_READ,
				  MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1UL, 0),
			 -EPERM);
	assert_int_equal(sys_mmap(0, -PAGE_SIZE, PROT_READ,
				  MAP_PRIVATE | MAP_ANONYMOUS, -1UL, 0),
			 -ENOMEM);
	assert_int_equal(sys_mmap(0x400000, PAGE_SIZE, PROT_READ,
				  MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE,
				  -1UL, 0),
			 -EEXIST);
	/* a free hint is taken as it is */
	assert_int_equal(sys_mmap(0x10000000, PAGE_SIZE, PROT_READ,
				  MAP_PRIVATE | MAP_ANONYMOUS, -1UL, 0),
			 0x10000000);
	assert_int_equal(sys_munmap(0x10000001, PAGE_SIZE), -EINVAL);
	assert_int_equal(sys_munmap(0x10000000, 0), -EINVAL);
	assert_int_equal(sys_munmap(0x20000000, PAGE_SIZE), 0);
	end_process(t);
}

static void test_brk_grows_and_shrinks_heap(void **state)
{
	struct task_struct *t;
	unsigned long start;

	(void)state;
	boot_machine("ram=256M");
	t = start_process("prog");
	start = t->mm->start_brk;
	assert_int_equal(sys_brk(0), (long)start);
	assert_int_equal(sys_brk(start + 5000), (long)(start + 5000));
	/* the heap is a VMA of its own above the bss (vma_prev_limit()
	 * looks no lower than start_brk) */
	expect_vma(find_vma(t->mm, start), start, start + 2 * PAGE_SIZE);
	assert_int_equal(user_access(start + 4999, "x", 1, true), 0);
	assert_int_equal(sys_brk(start + 100), (long)(start + 100));
	expect_vma(find_vma(t->mm, start), start, start + PAGE_SIZE);
	assert_int_equal(sys_brk(start - PAGE_SIZE), (long)(start + 100));
	end_process(t);
}

static void test_stack_grows_down_on_fault(void **state)
{
	struct task_struct *t;
	struct vm_area_struct *stack;
	unsigned long below;

	(void)state;
	boot_machine("ram=256M");
	t = start_process("prog");
	stack = find_vma(t->mm, t->mm->start_stack);
	below = stack->vm_start - 10 * PAGE_SIZE;
	assert_int_equal(user_access(below, "x", 1, true), 0);
	assert_int_equal(stack->vm_start, below);
	/* beyond RLIMIT_STACK (8 MiB) the stack does not grow */
	assert_int_equal(user_access(stack->vm_end - 9 * MiB, "x", 1, true),
			 -EFAULT);
	assert_int_equal(t->fault_sig.code, SEGV_MAPERR);
	end_process(t);
}

static void test_write_to_readonly_is_accerr(void **state)
{
	struct task_struct *t;
	unsigned long a;

	(void)state;
	boot_machine("ram=256M");
	t = start_process("prog");
	a = (unsigned long)sys_mmap(0, PAGE_SIZE, PROT_READ,
				    MAP_PRIVATE | MAP_ANONYMOUS, -1UL, 0);
	assert_int_equal(user_access(a, NULL, 1, false), 0);
	assert_int_equal(user_access(a, "x", 1, true), -EFAULT);
	assert_int_equal(t->fault_sig.signo, SIGSEGV);
	assert_int_equal(t->fault_sig.code, SEGV_ACCERR);
	/* the kernel gets -EFAULT without a signal */
	t->fault_sig.signo = 0;
	assert_int_equal(copy_to_user(a, "x", 1), 1);
	assert_int_equal(t->fault_sig.signo, 0);
	end_process(t);
}

/* i386 (2-level tables, 3G split) and riscv64 (Sv39, faults by cause):
 * the stack at the top of user space, mmap_base 128 MiB below, faults
 * and errors as on x86_64, everything freed at exit. */
static void test_i386_and_riscv64_address_spaces(void **state)
{
	static const struct {
		const char *arch;
		unsigned long stack_top;
	} arches[] = {
		{ "arch=i386", 0xc0000000UL },
		{ "arch=riscv64", 0x4000000000UL },
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(arches); i++) {
		struct task_struct *t;
		unsigned long a, free_before, base, rss;
		char c = 'x';

		boot_machine("ram=256M", arches[i].arch);
		free_before = free_pages_drained() + slab_pages();
		t = start_process("prog");
		base = arches[i].stack_top - (128UL << 20);
		assert_int_equal(t->mm->mmap_base, base);
		expect_vma(find_vma(t->mm, t->mm->start_stack),
			   arches[i].stack_top - 0x21000, arches[i].stack_top);
		a = (unsigned long)sys_mmap(0, MiB, PROT_READ | PROT_WRITE,
					    MAP_PRIVATE | MAP_ANONYMOUS, -1UL, 0);
		assert_int_equal(a, base - MiB);
		rss = get_mm_counter(t->mm, MM_ANONPAGES);
		assert_int_equal(user_access(a, NULL, 3 * PAGE_SIZE, true), 0);
		assert_int_equal(user_access(a + PAGE_SIZE, &c, 1, false), 0);
		assert_int_equal(get_mm_counter(t->mm, MM_ANONPAGES), rss + 3);
		assert_int_equal(user_access(0x400000, &c, 1, true), -EFAULT);
		assert_int_equal(t->fault_sig.code, SEGV_ACCERR);
		assert_int_equal(user_access(a - PAGE_SIZE, &c, 1, false), -EFAULT);
		assert_int_equal(t->fault_sig.code, SEGV_MAPERR);
		end_process(t);
		assert_int_equal(free_pages_drained() + slab_pages(), free_before);
		machine_destroy(M);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_exec_builds_linux_layout,
					  destroy_current),
		cmocka_unit_test_teardown(test_mmap_16M_grows_vm_not_rss,
					  destroy_current),
		cmocka_unit_test_teardown(test_munmap_middle_splits_and_frees,
					  destroy_current),
		cmocka_unit_test_teardown(test_mmap_errors, destroy_current),
		cmocka_unit_test_teardown(test_brk_grows_and_shrinks_heap,
					  destroy_current),
		cmocka_unit_test_teardown(test_stack_grows_down_on_fault,
					  destroy_current),
		cmocka_unit_test_teardown(test_write_to_readonly_is_accerr,
					  destroy_current),
		cmocka_unit_test(test_i386_and_riscv64_address_spaces),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
