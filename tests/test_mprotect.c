/* mprotect(): how VMAs split and merge, errno values, what happens to
 * the PTEs (copy-on-write kept where needed, PROT_NONE, TLB flushes),
 * the commit charge of private mappings becoming writable, VmData. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>

#include <cmocka.h>

#include "helpers.h"

#include <errno.h>
#include <signal.h>

#include "vm_helpers.h"

#define A 0x10000000UL
#define RW (PROT_READ | PROT_WRITE)
#define PRIV MAP_PRIVATE

/* One mprotect of a fresh 10-page RW mapping and the layout after it. */
struct split_case {
	const char *what;
	unsigned long first, pages, prot;
	long ret;
	const char *layout;
	int extra_vmas;
};

static const struct split_case split_cases[] = {
	{ "middle", 3, 2, PROT_READ, 0, "0-3 rw-p\n3-5 r--p\n5-10 rw-p\n", 2 },
	{ "head", 0, 3, PROT_READ, 0, "0-3 r--p\n3-10 rw-p\n", 1 },
	{ "tail", 7, 3, PROT_READ, 0, "0-7 rw-p\n7-10 r--p\n", 1 },
	{ "whole", 0, 10, PROT_NONE, 0, "0-10 ---p\n", 0 },
	{ "same prot", 2, 5, RW, 0, "0-10 rw-p\n", 0 },
	{ "exec", 9, 1, PROT_READ | PROT_EXEC, 0, "0-9 rw-p\n9-10 r-xp\n", 1 },
	{ "past the end", 8, 4, PROT_READ, -ENOMEM, "0-8 rw-p\n8-10 r--p\n",
	  1 },
	{ "hole first", 10, 2, PROT_READ, -ENOMEM, "0-10 rw-p\n", 0 },
};

static void test_split_table(void **state)
{
	struct task_struct *t;

	(void)state;
	boot_machine("ram=256M");
	t = start_process("prog");
	for (size_t i = 0; i < ARRAY_SIZE(split_cases); i++) {
		const struct split_case *c = &split_cases[i];
		int maps;

		map_fixed(A, 10, RW, PRIV);
		maps = t->mm->map_count;
		if (sys_mprotect(A + PG(c->first), PG(c->pages), c->prot) !=
		    c->ret)
			fail_msg("%s: mprotect returned %ld", c->what,
				 sys_mprotect(A + PG(c->first), PG(c->pages),
					      c->prot));
		if (strcmp(layout(A, 12), c->layout))
			fail_msg("%s: layout\n%s", c->what, layout(A, 12));
		assert_int_equal(t->mm->map_count, maps + c->extra_vmas);
		assert_int_equal(sys_munmap(A, PG(12)), 0);
	}
	end_process(t);
}

static void test_remerge_and_neighbours(void **state)
{
	struct task_struct *t;
	int maps;

	(void)state;
	boot_machine("ram=256M");
	t = start_process("prog");
	map_fixed(A, 10, RW, PRIV);
	maps = t->mm->map_count;
	assert_int_equal(sys_mprotect(A + PG(3), PG(2), PROT_READ), 0);
	assert_int_equal(sys_mprotect(A + PG(3), PG(2), RW), 0);
	assert_layout(A, 10, "0-10 rw-p\n");
	assert_int_equal(t->mm->map_count, maps);
	/* two mappings of different protections become one */
	map_fixed(A + PG(5), 5, PROT_READ, PRIV);
	assert_layout(A, 10, "0-5 rw-p\n5-10 r--p\n");
	assert_int_equal(sys_mprotect(A + PG(5), PG(5), RW), 0);
	assert_layout(A, 10, "0-10 rw-p\n");
	/* a change that joins a neighbour: the tail of the first VMA */
	assert_int_equal(sys_mprotect(A + PG(5), PG(5), PROT_READ), 0);
	assert_int_equal(sys_mprotect(A + PG(3), PG(2), PROT_READ), 0);
	assert_layout(A, 10, "0-3 rw-p\n3-10 r--p\n");
	/* across a hole: the part before it changes, then -ENOMEM */
	assert_int_equal(sys_munmap(A + PG(4), PG(2)), 0);
	assert_int_equal(sys_mprotect(A, PG(10), PROT_EXEC), -ENOMEM);
	assert_layout(A, 10, "0-4 --xp\n6-10 r--p\n");
	end_process(t);
}

static void test_errno(void **state)
{
	struct task_struct *t;
	struct vm_area_struct *stack;
	unsigned long below;

	(void)state;
	boot_machine("ram=256M");
	t = start_process("prog");
	map_fixed(A, 4, RW, PRIV);
	assert_int_equal(sys_mprotect(A + 1, PAGE_SIZE, PROT_READ), -EINVAL);
	assert_int_equal(sys_mprotect(A, 0, PROT_READ), 0);
	assert_int_equal(sys_mprotect(0x30000000, 0, PROT_READ), 0);
	assert_int_equal(sys_mprotect(A, PAGE_SIZE, 0x10), -EINVAL);
	assert_int_equal(sys_mprotect(A, PAGE_SIZE,
				      PROT_READ | PROT_GROWSDOWN |
					      PROT_GROWSUP),
			 -EINVAL);
	assert_int_equal(sys_mprotect(A, PAGE_SIZE, PROT_READ | PROT_SEM), 0);
	/* an end that wraps, or a length rounding up to nothing */
	assert_int_equal(sys_mprotect(A, -PAGE_SIZE, PROT_READ), -ENOMEM);
	assert_int_equal(sys_mprotect(A, -1UL, PROT_READ), -ENOMEM);
	assert_int_equal(sys_mprotect(0x30000000, PAGE_SIZE, PROT_READ),
			 -ENOMEM);
	/* the unaligned length covers its last page */
	assert_int_equal(sys_mprotect(A, PAGE_SIZE + 1, PROT_NONE), 0);
	assert_layout(A, 4, "0-2 ---p\n2-4 rw-p\n");
	/* a right the mapping may never have: -EACCES, as for a file opened
	 * read-only (no such file exists yet, so the VMA is edited) */
	find_vma(t->mm, A + PG(2))->vm_flags &= ~VM_MAYEXEC;
	assert_int_equal(sys_mprotect(A, PG(4), PROT_READ | PROT_EXEC), -EACCES);
	assert_layout(A, 4, "0-2 r-xp\n2-4 rw-p\n");
	find_vma(t->mm, A + PG(2))->vm_flags |= VM_MAYEXEC;
	/* PROT_GROWSDOWN: only stacks, from their start */
	assert_int_equal(sys_mprotect(A + PG(3), PAGE_SIZE,
				      PROT_READ | PROT_GROWSDOWN),
			 -EINVAL);
	assert_int_equal(sys_mprotect(A + PG(3), PAGE_SIZE,
				      PROT_READ | PROT_GROWSUP),
			 -EINVAL);
	stack = find_vma(t->mm, t->mm->start_stack);
	below = stack->vm_start;
	assert_int_equal(sys_mprotect(below + PG(2), PAGE_SIZE,
				      RW | PROT_EXEC | PROT_GROWSDOWN),
			 0);
	stack = find_vma(t->mm, below);
	assert_int_equal(stack->vm_start, below);
	assert_int_equal(stack->vm_end, below + PG(3));
	assert_true(stack->vm_flags & VM_EXEC);
	assert_true(stack->vm_flags & VM_GROWSDOWN);
	end_process(t);
}

static void test_ptes_follow(void **state)
{
	struct task_struct *t;
	unsigned long flt;
	char c = 0;

	(void)state;
	boot_machine("ram=256M");
	t = start_process("prog");
	map_fixed(A, 4, RW, PRIV);
	assert_int_equal(poke(A, 'a'), 0);
	assert_int_equal(peek(A + PAGE_SIZE, &c), 0); /* the zero page */
	assert_int_equal(sys_mprotect(A, PG(4), PROT_READ), 0);
	assert_false(pte_write(pte_at(A)));
	/* the TLB held a writable entry: it must be gone */
	assert_int_equal(poke(A, 'b'), -EFAULT);
	assert_int_equal(t->fault_sig.code, SEGV_ACCERR);
	assert_int_equal(sys_mprotect(A, PG(4), RW), 0);
	/* an exclusive anonymous page is writable at once; the zero page
	 * still needs its copy-on-write fault */
	assert_true(pte_write(pte_at(A)));
	assert_false(pte_write(pte_at(A + PAGE_SIZE)));
	flt = t->min_flt;
	assert_int_equal(poke(A, 'c'), 0);
	assert_int_equal(t->min_flt, flt);
	assert_int_equal(poke(A + PAGE_SIZE, 'd'), 0);
	assert_int_equal(t->min_flt, flt + 1);
	/* PROT_NONE keeps the data but refuses every access */
	assert_int_equal(sys_mprotect(A, PG(4), PROT_NONE), 0);
	assert_false(pte_present(pte_at(A)) && !pte_protnone(pte_at(A)));
	assert_int_equal(peek(A, &c), -EFAULT);
	assert_int_equal(t->fault_sig.signo, SIGSEGV);
	assert_int_equal(t->fault_sig.code, SEGV_ACCERR);
	assert_int_equal(sys_mprotect(A, PG(4), PROT_READ), 0);
	assert_int_equal(peek(A, &c), 0);
	assert_int_equal(c, 'c');
	assert_int_equal(peek(A + PAGE_SIZE, &c), 0);
	assert_int_equal(c, 'd');
	end_process(t);
}

static void test_commit_charge(void **state)
{
	struct task_struct *t;
	unsigned long base;

	(void)state;
	boot_machine("ram=256M");
	t = start_process("prog");
	base = meminfo_kb("Committed_AS");
	/* read-only private memory is not charged until it turns writable */
	map_fixed(A, 100, PROT_READ, PRIV);
	assert_int_equal(meminfo_kb("Committed_AS"), base);
	assert_int_equal(sys_mprotect(A, PG(100), RW), 0);
	assert_int_equal(meminfo_kb("Committed_AS"), base + 400);
	assert_true(find_vma(t->mm, A)->vm_flags & VM_ACCOUNT);
	/* nothing faulted in: the charge goes with the write right */
	assert_int_equal(sys_mprotect(A, PG(100), PROT_READ), 0);
	assert_int_equal(meminfo_kb("Committed_AS"), base);
	assert_int_equal(sys_mprotect(A, PG(100), RW), 0);
	assert_int_equal(poke(A, 'x'), 0);
	/* with pages it stays charged */
	assert_int_equal(sys_mprotect(A + PG(50), PG(50), PROT_READ), 0);
	assert_int_equal(meminfo_kb("Committed_AS"), base + 400);
	assert_int_equal(sys_munmap(A, PG(100)), 0);
	assert_int_equal(meminfo_kb("Committed_AS"), base);
	/* MAP_NORESERVE is not charged (outside mode 2) */
	map_fixed(A, 100, PROT_READ, PRIV | MAP_NORESERVE);
	assert_int_equal(sys_mprotect(A, PG(100), RW), 0);
	assert_int_equal(meminfo_kb("Committed_AS"), base);
	end_process(t);
}

static void test_strict_overcommit_refuses(void **state)
{
	struct task_struct *t;
	unsigned long limit_pages, a;

	(void)state;
	boot_machine("ram=256M", "vm.overcommit_memory=2");
	t = start_process("prog");
	limit_pages = meminfo_kb("CommitLimit") / 4;
	a = (unsigned long)sys_mmap(0, PG(limit_pages), PROT_READ,
				    PRIV | MAP_ANONYMOUS, -1UL, 0);
	assert_false(IS_ERR_VALUE(a));
	assert_int_equal(sys_mprotect(a, PG(limit_pages), RW), -ENOMEM);
	assert_int_equal(find_vma(t->mm, a)->vm_flags & VM_WRITE, 0);
	assert_true(
		log_contains("__vm_enough_memory: pid: 1, comm: prog, bytes:"));
	end_process(t);
}

static void test_vm_counters(void **state)
{
	struct task_struct *t;
	unsigned long data, exec;

	(void)state;
	boot_machine("ram=256M");
	t = start_process("prog");
	data = t->mm->data_vm;
	exec = t->mm->exec_vm;
	map_fixed(A, 10, RW, PRIV);
	assert_int_equal(t->mm->data_vm, data + 10);
	assert_int_equal(sys_mprotect(A, PG(4), PROT_READ | PROT_EXEC), 0);
	assert_int_equal(t->mm->data_vm, data + 6);
	assert_int_equal(t->mm->exec_vm, exec + 4);
	assert_int_equal(sys_mprotect(A, PG(10), PROT_READ), 0);
	assert_int_equal(t->mm->data_vm, data);
	assert_int_equal(t->mm->exec_vm, exec);
	end_process(t);
}

static void test_locked_becoming_writable_is_populated(void **state)
{
	struct task_struct *t;
	unsigned long rss;

	(void)state;
	boot_machine("ram=256M");
	t = start_process("prog");
	map_fixed(A, 8, PROT_READ, PRIV | MAP_LOCKED);
	rss = get_mm_counter(t->mm, MM_ANONPAGES);
	assert_int_equal(sys_mprotect(A, PG(8), RW), 0);
	/* COW broken at once for the eight pages, each mlocked */
	assert_int_equal(get_mm_counter(t->mm, MM_ANONPAGES), rss + 8);
	assert_true(pte_write(pte_at(A + PG(7))));
	assert_int_equal(meminfo_kb("Mlocked"), 32);
	end_process(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_split_table, destroy_current),
		cmocka_unit_test_teardown(test_remerge_and_neighbours,
					  destroy_current),
		cmocka_unit_test_teardown(test_errno, destroy_current),
		cmocka_unit_test_teardown(test_ptes_follow, destroy_current),
		cmocka_unit_test_teardown(test_commit_charge, destroy_current),
		cmocka_unit_test_teardown(test_strict_overcommit_refuses,
					  destroy_current),
		cmocka_unit_test_teardown(test_vm_counters, destroy_current),
		cmocka_unit_test_teardown(
			test_locked_becoming_writable_is_populated,
			destroy_current),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
