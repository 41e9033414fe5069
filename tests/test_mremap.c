/* mremap(): shrink, growth in place, moves (MREMAP_MAYMOVE, MREMAP_FIXED
 * with several VMAs, MREMAP_DONTUNMAP), the VMA layouts they leave,
 * errno values, data and reverse mappings surviving the move, and the
 * counters (total_vm, locked_vm, Committed_AS, page tables). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>

#include <cmocka.h>

#include "helpers.h"

#include <errno.h>

#include "mm/rmap.h"
#include "vm_helpers.h"

#define A 0x10000000UL
#define RW (PROT_READ | PROT_WRITE)
#define PRIV MAP_PRIVATE
#define MAYMOVE MREMAP_MAYMOVE
#define FIXED (MREMAP_MAYMOVE | MREMAP_FIXED)

static void test_shrink_and_grow_in_place(void **state)
{
	struct task_struct *t;

	(void)state;
	boot_machine("ram=256M");
	t = start_process("prog");
	map_fixed(A, 10, RW, PRIV);
	assert_int_equal(sys_mremap(A, PG(10), PG(4), 0, 0), (long)A);
	assert_layout(A, 20, "0-4 rw-p\n");
	assert_int_equal(sys_mremap(A, PG(4), PG(14), 0, 0), (long)A);
	assert_layout(A, 20, "0-14 rw-p\n");
	/* unaligned lengths round up; equal lengths change nothing */
	assert_int_equal(sys_mremap(A, PG(14) - 5, PG(14), 0, 0), (long)A);
	assert_layout(A, 20, "0-14 rw-p\n");
	/* a shrink may unmap across VMAs */
	map_fixed(A + PG(14), 4, PROT_READ, PRIV);
	assert_int_equal(sys_mremap(A, PG(18), PG(2), 0, 0), (long)A);
	assert_layout(A, 20, "0-2 rw-p\n");
	/* growing up to the next VMA merges with it when it can */
	map_fixed(A + PG(5), 3, RW, PRIV);
	assert_int_equal(sys_mremap(A, PG(2), PG(5), 0, 0), (long)A);
	assert_layout(A, 20, "0-8 rw-p\n");
	assert_int_equal(t->mm->total_vm, 16 + 4 + 0x21 + 8);
	end_process(t);
}

static void test_grow_blocked(void **state)
{
	struct task_struct *t;
	long r;

	(void)state;
	boot_machine("ram=256M");
	t = start_process("prog");
	map_fixed(A, 10, RW, PRIV);
	map_fixed(A + PG(10), 1, PROT_READ, PRIV);
	assert_int_equal(sys_mremap(A, PG(10), PG(12), 0, 0), -ENOMEM);
	/* the middle of a VMA cannot grow in place either */
	assert_int_equal(sys_mremap(A + PG(2), PG(3), PG(4), 0, 0), -ENOMEM);
	assert_layout(A, 11, "0-10 rw-p\n10-11 r--p\n");
	r = sys_mremap(A, PG(10), PG(12), MAYMOVE, 0);
	assert_false(IS_ERR_VALUE(r));
	assert_true((unsigned long)r > A + PG(11));
	assert_layout(A, 11, "10-11 r--p\n");
	assert_layout((unsigned long)r, 12, "0-12 rw-p\n");
	end_process(t);
	(void)t;
}

/* One move of part of a fresh 10-page mapping and the layout left. */
struct move_case {
	const char *what;
	unsigned long first, pages, flags, to, new_pages;
	bool touch;
	long ret; /* page offset from A, or -errno */
	const char *layout;
};

static const struct move_case move_cases[] = {
	{ "fixed", 0, 4, FIXED, 20, 4, false, 20, "4-10 rw-p\n20-24 rw-p\n" },
	{ "fixed grow", 6, 4, FIXED, 20, 6, false, 20,
	  "0-6 rw-p\n20-26 rw-p\n" },
	{ "fixed shrink", 0, 4, FIXED, 20, 2, true, 20,
	  "4-10 rw-p\n20-22 rw-p\n" },
	/* never faulted: pgoff follows the move, so it merges where it
	 * lands, even with its own VMA */
	{ "unfaulted next to itself", 6, 4, FIXED, 10, 4, false, 10,
	  "0-6 rw-p\n10-14 rw-p\n" },
	{ "unfaulted apart", 0, 2, FIXED, 12, 2, false, 12,
	  "2-10 rw-p\n12-14 rw-p\n" },
	{ "over part of itself", 0, 2, FIXED, 1, 2, false, -EINVAL,
	  "0-10 rw-p\n" },
	{ "replacing its own tail", 0, 2, FIXED, 8, 2, true, 8,
	  "2-8 rw-p\n8-10 rw-p\n" },
	{ "fixed without maymove", 0, 2, MREMAP_FIXED, 20, 2, false, -EINVAL,
	  "0-10 rw-p\n" },
	{ "dontunmap resize", 0, 2, MAYMOVE | MREMAP_DONTUNMAP, 20, 3, false,
	  -EINVAL, "0-10 rw-p\n" },
	{ "dontunmap fixed", 0, 2, FIXED | MREMAP_DONTUNMAP, 20, 2, true, 20,
	  "0-10 rw-p\n20-22 rw-p\n" },
	{ "past the VMA", 8, 4, FIXED, 20, 6, false, -EFAULT, "0-10 rw-p\n" },
	/* a pure move covers what is mapped after the start */
	{ "move past the end", 8, 4, FIXED, 20, 4, false, 20,
	  "0-8 rw-p\n20-22 rw-p\n" },
	{ "move from a hole", 10, 2, FIXED, 20, 2, false, -EFAULT,
	  "0-10 rw-p\n" },
};

static void test_move_table(void **state)
{
	struct task_struct *t;

	(void)state;
	boot_machine("ram=256M");
	t = start_process("prog");
	for (size_t i = 0; i < ARRAY_SIZE(move_cases); i++) {
		const struct move_case *c = &move_cases[i];
		long want = c->ret < 0 ? c->ret : (long)(A + PG(c->ret));
		long r;

		map_fixed(A, 10, RW, PRIV);
		if (c->touch)
			assert_int_equal(user_access(A, NULL, PG(10), true), 0);
		r = sys_mremap(A + PG(c->first), PG(c->pages), PG(c->new_pages),
			       c->flags, A + PG(c->to));
		if (r != want)
			fail_msg("%s: mremap returned %ld, not %ld", c->what, r,
				 want);
		if (strcmp(layout(A, 32), c->layout))
			fail_msg("%s: layout\n%s", c->what, layout(A, 32));
		assert_int_equal(sys_munmap(A, PG(32)), 0);
	}
	end_process(t);
}

static void test_faulted_moves_keep_pgoff(void **state)
{
	struct task_struct *t;

	(void)state;
	boot_machine("ram=256M");
	t = start_process("prog");
	map_fixed(A, 10, RW, PRIV);
	assert_int_equal(poke(A + PG(7), 'x'), 0);
	/* a faulted VMA keeps its pgoff: next to its old self it does not
	 * merge, but moved back it does */
	assert_int_equal(sys_mremap(A + PG(6), PG(4), PG(4), FIXED, A + PG(10)),
			 (long)(A + PG(10)));
	assert_layout(A, 14, "0-6 rw-p\n10-14 rw-p\n");
	assert_int_equal(sys_mremap(A + PG(10), PG(4), PG(4), FIXED, A + PG(6)),
			 (long)(A + PG(6)));
	assert_layout(A, 14, "0-10 rw-p\n");
	assert_int_equal(t->mm->map_count, 4);
	end_process(t);
}

static void test_several_vmas_move_together(void **state)
{
	struct task_struct *t;
	char c;

	(void)state;
	boot_machine("ram=256M");
	t = start_process("prog");
	map_fixed(A, 2, RW, PRIV);
	map_fixed(A + PG(3), 2, PROT_READ, PRIV);
	map_fixed(A + PG(6), 1, RW, MAP_SHARED);
	assert_int_equal(poke(A, 'a'), 0);
	assert_int_equal(poke(A + PG(6), 's'), 0);
	/* gaps kept; the range may end in a hole */
	assert_int_equal(sys_mremap(A, PG(8), PG(8), FIXED, A + PG(20)),
			 (long)(A + PG(20)));
	assert_layout(A, 32, "20-22 rw-p\n23-25 r--p\n26-27 rw-s\n");
	assert_int_equal(peek(A + PG(20), &c), 0);
	assert_int_equal(c, 'a');
	assert_int_equal(peek(A + PG(26), &c), 0);
	assert_int_equal(c, 's');
	/* a range starting in a hole moves nothing */
	assert_int_equal(sys_mremap(A + PG(22), PG(3), PG(3), FIXED, A),
			 -EFAULT);
	/* growing or shrinking needs a single VMA */
	assert_int_equal(sys_mremap(A + PG(20), PG(5), PG(6), FIXED, A),
			 -EFAULT);
	end_process(t);
	(void)t;
}

static void test_errno(void **state)
{
	struct task_struct *t;
	struct rlimit *lim;

	(void)state;
	boot_machine("ram=256M");
	t = start_process("prog");
	map_fixed(A, 4, RW, PRIV);
	assert_int_equal(sys_mremap(A, PG(4), PG(4), 8, 0), -EINVAL);
	assert_int_equal(sys_mremap(A + 1, PG(4), PG(4), 0, 0), -EINVAL);
	assert_int_equal(sys_mremap(A, PG(4), 0, 0, 0), -EINVAL);
	assert_int_equal(sys_mremap(A, PG(4), -1UL, MAYMOVE, 0), -EINVAL);
	assert_int_equal(sys_mremap(A, PG(4), 1UL << 48, MAYMOVE, 0), -EINVAL);
	assert_int_equal(sys_mremap(A, PG(4), PG(4), FIXED, A + PG(8) + 1),
			 -EINVAL);
	assert_int_equal(sys_mremap(A, PG(4), PG(4), FIXED, 0x7ffffffff000UL),
			 -EINVAL);
	assert_int_equal(sys_mremap(0x30000000, PG(1), PG(2), MAYMOVE, 0),
			 -EFAULT);
	assert_int_equal(sys_mremap(A, PG(5), PG(6), MAYMOVE, 0), -EFAULT);
	/* a private mapping cannot be duplicated */
	assert_int_equal(sys_mremap(A, 0, PG(2), MAYMOVE, 0), -EINVAL);
	assert_true(log_contains(
		"prog (1): attempted to duplicate a private mapping with mremap.  This is not supported."));
	/* limits: RLIMIT_AS, RLIMIT_MEMLOCK for locked mappings */
	lim = &t->signal->rlim[RLIMIT_AS];
	lim->rlim_cur = (t->mm->total_vm + 2) << PAGE_SHIFT;
	assert_int_equal(sys_mremap(A, PG(4), PG(8), MAYMOVE, 0), -ENOMEM);
	lim->rlim_cur = RLIM_INFINITY;
	assert_int_equal(sys_mlock(A, PG(4)), 0);
	t->signal->rlim[RLIMIT_MEMLOCK].rlim_cur = PG(6);
	assert_int_equal(sys_mremap(A, PG(4), PG(8), MAYMOVE, 0), -EAGAIN);
	assert_int_equal(sys_mremap(A, PG(4), PG(6), MAYMOVE, 0), (long)A);
	end_process(t);
}

static void fill(unsigned long a, unsigned long pages, char seed)
{
	for (unsigned long i = 0; i < pages; i++)
		assert_int_equal(poke(a + PG(i) + i, (char)(seed + i)), 0);
}

static void check(unsigned long a, unsigned long pages, char seed)
{
	for (unsigned long i = 0; i < pages; i++) {
		char c = 0;

		assert_int_equal(peek(a + PG(i) + i, &c), 0);
		assert_int_equal(c, (char)(seed + i));
	}
}

static bool count_rmap(struct page *page, struct vm_area_struct *vma,
		       unsigned long address, pte_t *pte, void *arg)
{
	unsigned long *where = arg;

	(void)page;
	(void)vma;
	(void)pte;
	*where = address;
	return true;
}

static void test_data_and_rmap_survive_moves(void **state)
{
	struct task_struct *t;
	unsigned long b, where = 0;
	struct page *page;
	long r;

	(void)state;
	boot_machine("ram=256M");
	t = start_process("prog");
	map_fixed(A, 8, RW, PRIV);
	fill(A, 8, 'a');
	map_fixed(A + PG(8), 1, PROT_READ, PRIV);
	r = sys_mremap(A, PG(8), PG(16), MAYMOVE, 0);
	assert_false(IS_ERR_VALUE(r));
	b = (unsigned long)r;
	check(b, 8, 'a');
	/* the grown part reads as zeros */
	assert_int_equal(peek(b + PG(12), (char *)&where), 0);
	assert_int_equal(where & 0xff, 0);
	/* the rmap finds the page at its new address */
	page = vm_normal_page(find_vma(t->mm, b), b + PG(3), pte_at(b + PG(3)));
	assert_non_null(page);
	assert_int_equal(rmap_walk_anon(page, count_rmap, &where), 1);
	assert_int_equal(where, b + PG(3));
	/* and again with MREMAP_FIXED into the middle of another VMA */
	map_fixed(A, 32, PROT_READ, PRIV);
	assert_int_equal(sys_mremap(b, PG(8), PG(8), FIXED, A + PG(10)),
			 (long)(A + PG(10)));
	check(A + PG(10), 8, 'a');
	assert_layout(A, 32, "0-10 r--p\n10-18 rw-p\n18-32 r--p\n");
	assert_int_equal(rmap_walk_anon(page, count_rmap, &where), 1);
	assert_int_equal(where, A + PG(13));
	/* DONTUNMAP: the data moves, the old range reads as new zeros */
	r = sys_mremap(A + PG(10), PG(4), PG(4), MAYMOVE | MREMAP_DONTUNMAP, 0);
	assert_false(IS_ERR_VALUE(r));
	check((unsigned long)r, 4, 'a');
	assert_int_equal(peek(A + PG(11) + 1, (char *)&where), 0);
	assert_int_equal(where & 0xff, 0);
	for (unsigned long i = 4; i < 8; i++) {
		char c = 0;

		assert_int_equal(peek(A + PG(10 + i) + i, &c), 0);
		assert_int_equal(c, (char)('a' + i));
	}
	end_process(t);
}

static void test_whole_page_tables_move(void **state)
{
	struct task_struct *t;
	unsigned long src = 0x40000000UL, dst = 0x80000000UL, tables;

	(void)state;
	boot_machine("ram=256M");
	t = start_process("prog");
	map_fixed(src, 1024, RW, PRIV); /* 4 MiB: two PTE tables */
	fill(src, 1024, 'q');
	assert_non_null(mm_find_pte(t->mm, src));
	tables = vmstat_counter("nr_page_table_pages");
	assert_int_equal(sys_mremap(src, PG(1024), PG(1024), FIXED, dst),
			 (long)dst);
	check(dst, 1024, 'q');
	/* the two PTE tables moved; a PMD table was made for the new
	 * gigabyte, the old one freed with the old range */
	assert_null(mm_find_pte(t->mm, src));
	assert_int_equal(vmstat_counter("nr_page_table_pages"), tables);
	/* unaligned: PTE by PTE */
	assert_int_equal(sys_mremap(dst + PG(1), PG(10), PG(10), FIXED,
				    src + PG(3)),
			 (long)(src + PG(3)));
	for (unsigned long i = 1; i <= 10; i++) {
		char c = 0;

		assert_int_equal(peek(src + PG(3) + PG(i - 1) + i, &c), 0);
		assert_int_equal(c, (char)('q' + i));
	}
	end_process(t);
}

static void test_counters(void **state)
{
	struct task_struct *t;
	unsigned long base, vm;
	long r;

	(void)state;
	boot_machine("ram=256M");
	t = start_process("prog");
	base = meminfo_kb("Committed_AS");
	vm = t->mm->total_vm;
	map_fixed(A, 10, RW, PRIV);
	assert_int_equal(meminfo_kb("Committed_AS"), base + 40);
	assert_int_equal(sys_mremap(A, PG(10), PG(20), 0, 0), (long)A);
	assert_int_equal(meminfo_kb("Committed_AS"), base + 80);
	assert_int_equal(t->mm->total_vm, vm + 20);
	assert_int_equal(sys_mremap(A, PG(20), PG(5), 0, 0), (long)A);
	assert_int_equal(meminfo_kb("Committed_AS"), base + 20);
	r = sys_mremap(A, PG(5), PG(5), FIXED, A + PG(40));
	assert_int_equal(r, (long)(A + PG(40)));
	assert_int_equal(meminfo_kb("Committed_AS"), base + 20);
	assert_int_equal(t->mm->total_vm, vm + 5);
	/* moved and shrunk at once */
	r = sys_mremap(A + PG(40), PG(5), PG(3), FIXED, A);
	assert_int_equal(r, (long)A);
	assert_int_equal(meminfo_kb("Committed_AS"), base + 12);
	/* DONTUNMAP keeps both: charged twice */
	r = sys_mremap(A, PG(3), PG(3), FIXED | MREMAP_DONTUNMAP, A + PG(40));
	assert_int_equal(r, (long)(A + PG(40)));
	assert_int_equal(meminfo_kb("Committed_AS"), base + 24);
	assert_int_equal(t->mm->total_vm, vm + 6);
	assert_int_equal(sys_munmap(A, PG(64)), 0);
	assert_int_equal(meminfo_kb("Committed_AS"), base);
	assert_int_equal(t->mm->total_vm, vm);
	/* a locked mapping grows locked and faulted in */
	map_fixed(A, 4, RW, PRIV | MAP_LOCKED);
	assert_int_equal(t->mm->locked_vm, 4);
	assert_int_equal(sys_mremap(A, PG(4), PG(6), 0, 0), (long)A);
	assert_int_equal(t->mm->locked_vm, 6);
	assert_int_equal(meminfo_kb("Mlocked"), 24);
	r = sys_mremap(A, PG(6), PG(6), FIXED, A + PG(40));
	assert_int_equal(t->mm->locked_vm, 6);
	assert_int_equal(meminfo_kb("Mlocked"), 24);
	end_process(t);
	assert_int_equal(vmstat_counter("nr_mlock"), 0);
	assert_int_equal(vmstat_counter("nr_anon_pages"), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_shrink_and_grow_in_place,
					  destroy_current),
		cmocka_unit_test_teardown(test_grow_blocked, destroy_current),
		cmocka_unit_test_teardown(test_move_table, destroy_current),
		cmocka_unit_test_teardown(test_faulted_moves_keep_pgoff,
					  destroy_current),
		cmocka_unit_test_teardown(test_several_vmas_move_together,
					  destroy_current),
		cmocka_unit_test_teardown(test_errno, destroy_current),
		cmocka_unit_test_teardown(test_data_and_rmap_survive_moves,
					  destroy_current),
		cmocka_unit_test_teardown(test_whole_page_tables_move,
					  destroy_current),
		cmocka_unit_test_teardown(test_counters, destroy_current),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
