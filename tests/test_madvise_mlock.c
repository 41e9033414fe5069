/* madvise(), the mlock family and mincore(): errno tables, the VMA splits
 * and merges that flag advice and locking make, pages dropped, lazily
 * freed and populated, the mlock counters (locked_vm, Mlocked, the
 * unevictable list, unevictable_pgs_* events) and mincore vectors. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>

#include <cmocka.h>

#include "helpers.h"

#include <errno.h>

#include "vm_helpers.h"

#define A 0x10000000UL
#define RW (PROT_READ | PROT_WRITE)
#define PRIV MAP_PRIVATE

static bool locked(unsigned long a)
{
	return find_vma(current->mm, a)->vm_flags & VM_LOCKED;
}

/* ---- madvise ---------------------------------------------------------------------- */

static void test_madvise_errno(void **state)
{
	struct task_struct *t;
	static const struct {
		unsigned long first, pages, len_bytes;
		int advice;
		long ret;
	} cases[] = {
		{ 0, 1, 0, 999, -EINVAL },
		{ 0, 1, 0, MADV_HWPOISON, -EPERM },
		{ 0, 1, 0, MADV_SOFT_OFFLINE, -EPERM },
		{ 0, 0, 0, MADV_HWPOISON, 0 }, /* nothing to do comes first */
		{ 0, 0, -1UL, MADV_DONTNEED, -EINVAL },
		{ 0, 0, -PAGE_SIZE * 2, MADV_DONTNEED, -EINVAL },
		{ 20, 2, 0, MADV_DONTNEED, -ENOMEM },
		{ 3, 4, 0, MADV_NORMAL, -ENOMEM }, /* applied, then -ENOMEM */
		{ 0, 1, 0, MADV_COLLAPSE, -EINVAL },
		{ 0, 1, 0, MADV_GUARD_INSTALL, -EINVAL },
		{ 4, 2, 0, MADV_POPULATE_READ, -ENOMEM },
		{ 0, 4, 0, MADV_REMOVE, -EINVAL },
		{ 0, 4, 0, MADV_WIPEONFORK, 0 },
		{ 0, 4, 0, MADV_KEEPONFORK, 0 },
		{ 0, 4, 0, MADV_PAGEOUT, 0 },
		{ 0, 4, 0, MADV_WILLNEED, 0 },
	};

	(void)state;
	boot_machine("ram=256M");
	t = start_process("prog");
	map_fixed(A, 4, RW, PRIV);
	map_fixed(A + PG(6), 2, PROT_NONE, PRIV);
	assert_int_equal(sys_madvise(A + 1, PAGE_SIZE, MADV_NORMAL), -EINVAL);
	assert_int_equal(sys_madvise(-PAGE_SIZE, PG(2), MADV_NORMAL), -EINVAL);
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		unsigned long len = cases[i].len_bytes ? cases[i].len_bytes :
							 PG(cases[i].pages);
		long r = sys_madvise(A + PG(cases[i].first), len,
				     cases[i].advice);

		if (r != cases[i].ret)
			fail_msg("case %zu (advice %d): %ld, not %ld", i,
				 cases[i].advice, r, cases[i].ret);
	}
	assert_int_equal(sys_madvise(A, PG(4), MADV_POPULATE_READ), 0);
	assert_int_equal(sys_madvise(A, PG(6), MADV_POPULATE_READ), -ENOMEM);
	assert_int_equal(sys_madvise(A + PG(6), PG(1), MADV_POPULATE_WRITE),
			 -EINVAL);
	/* shared memory: no MADV_FREE, no WIPEONFORK */
	map_fixed(A + PG(10), 2, RW, MAP_SHARED);
	assert_int_equal(sys_madvise(A + PG(10), PG(2), MADV_FREE), -EINVAL);
	assert_int_equal(sys_madvise(A + PG(10), PG(2), MADV_WIPEONFORK),
			 -EINVAL);
	/* locked memory: no DONTNEED, no FREE, no COLD, but DONTNEED_LOCKED */
	assert_int_equal(sys_mlock(A, PG(2)), 0);
	assert_int_equal(sys_madvise(A, PG(2), MADV_DONTNEED), -EINVAL);
	assert_int_equal(sys_madvise(A, PG(2), MADV_FREE), -EINVAL);
	assert_int_equal(sys_madvise(A, PG(2), MADV_COLD), -EINVAL);
	assert_int_equal(sys_madvise(A, PG(2), MADV_REMOVE), -EINVAL);
	assert_int_equal(sys_madvise(A, PG(2), MADV_DONTNEED_LOCKED), 0);
	end_process(t);
	(void)t;
}

static void test_madvise_flags_split_and_merge(void **state)
{
	struct task_struct *t;
	int maps;

	(void)state;
	boot_machine("ram=256M");
	t = start_process("prog");
	map_fixed(A, 10, RW, PRIV);
	maps = t->mm->map_count;
	assert_int_equal(sys_madvise(A + PG(2), PG(3), MADV_SEQUENTIAL), 0);
	assert_int_equal(t->mm->map_count, maps + 2);
	assert_true(find_vma(t->mm, A + PG(2))->vm_flags & VM_SEQ_READ);
	assert_int_equal(sys_madvise(A + PG(2), PG(3), MADV_RANDOM), 0);
	assert_int_equal(find_vma(t->mm, A + PG(2))->vm_flags &
				 (VM_SEQ_READ | VM_RAND_READ),
			 VM_RAND_READ);
	assert_int_equal(sys_madvise(A, PG(10), MADV_NORMAL), 0);
	assert_int_equal(t->mm->map_count, maps);
	assert_layout(A, 10, "0-10 rw-p\n");
	/* across a hole: both sides get it, the result is -ENOMEM */
	assert_int_equal(sys_munmap(A + PG(4), PG(2)), 0);
	assert_int_equal(sys_madvise(A + PG(3), PG(5), MADV_DONTFORK), -ENOMEM);
	assert_layout(A, 10, "0-3 rw-p\n3-4 rw-p\n6-8 rw-p\n8-10 rw-p\n");
	assert_true(find_vma(t->mm, A + PG(6))->vm_flags & VM_DONTCOPY);
	assert_int_equal(sys_madvise(A, PG(10), MADV_DOFORK), -ENOMEM);
	assert_layout(A, 10, "0-4 rw-p\n6-10 rw-p\n");
	/* flags that stay out of merges' way only when equal */
	assert_int_equal(sys_madvise(A, PG(1), MADV_HUGEPAGE), 0);
	assert_int_equal(sys_madvise(A + PG(1), PG(1), MADV_NOHUGEPAGE), 0);
	assert_int_equal(sys_madvise(A + PG(2), PG(1), MADV_DONTDUMP), 0);
	assert_int_equal(sys_madvise(A + PG(3), PG(1), MADV_MERGEABLE), 0);
	assert_layout(A, 4, "0-1 rw-p\n1-2 rw-p\n2-3 rw-p\n3-4 rw-p\n");
	end_process(t);
}

static void test_dontneed_and_free(void **state)
{
	struct task_struct *t;
	unsigned long anon, inactive_anon, inactive_file, lazy, free_before;
	char c;

	(void)state;
	boot_machine("ram=256M");
	t = start_process("prog");
	map_fixed(A, 8, RW, PRIV);
	assert_int_equal(user_access(A, NULL, PG(8), true), 0);
	assert_int_equal(poke(A + PG(1), 'd'), 0);
	anon = get_mm_counter(t->mm, MM_ANONPAGES);
	free_before = free_pages_drained();
	assert_int_equal(sys_madvise(A, PG(4), MADV_DONTNEED), 0);
	assert_int_equal(get_mm_counter(t->mm, MM_ANONPAGES), anon - 4);
	assert_int_equal(free_pages_drained(), free_before + 4);
	assert_int_equal(peek(A + PG(1), &c), 0);
	assert_int_equal(c, 0);
	/* MADV_FREE: clean, on the inactive file list, still readable
	 * until reclaim takes it */
	assert_int_equal(poke(A + PG(5), 'f'), 0);
	inactive_anon = vmstat_counter("nr_inactive_anon");
	inactive_file = vmstat_counter("nr_inactive_file");
	lazy = vmstat_counter("pglazyfree");
	assert_int_equal(sys_madvise(A + PG(4), PG(4), MADV_FREE), 0);
	assert_int_equal(vmstat_counter("pglazyfree"), lazy + 4);
	assert_int_equal(vmstat_counter("nr_inactive_anon"), inactive_anon - 4);
	assert_int_equal(vmstat_counter("nr_inactive_file"), inactive_file + 4);
	assert_false(pte_dirty(pte_at(A + PG(5))));
	assert_int_equal(peek(A + PG(5), &c), 0);
	assert_int_equal(c, 'f');
	/* LazyFree pages: anonymous without PG_swapbacked */
	for (int i = 4; i < 8; i++) {
		struct page *p = vm_normal_page(find_vma(t->mm, A), A + PG(i),
						pte_at(A + PG(i)));

		assert_true(PageAnon(p) && !test_bit_flag(p, PG_swapbacked));
	}
	/* the zero page is not freed lazily; a second FREE changes nothing */
	assert_int_equal(sys_madvise(A, PG(8), MADV_FREE), 0);
	assert_int_equal(vmstat_counter("pglazyfree"), lazy + 4);
	end_process(t);
	assert_int_equal(vmstat_counter("nr_inactive_file"), 0);
}

static void test_populate_and_cold(void **state)
{
	struct task_struct *t;
	unsigned long anon;

	(void)state;
	boot_machine("ram=256M");
	t = start_process("prog");
	map_fixed(A, 8, RW, PRIV);
	anon = get_mm_counter(t->mm, MM_ANONPAGES);
	/* reads map the zero page; writes allocate */
	assert_int_equal(sys_madvise(A, PG(8), MADV_POPULATE_READ), 0);
	assert_int_equal(get_mm_counter(t->mm, MM_ANONPAGES), anon);
	assert_true(pte_present(pte_at(A + PG(7))));
	assert_int_equal(sys_madvise(A, PG(8), MADV_POPULATE_WRITE), 0);
	assert_int_equal(get_mm_counter(t->mm, MM_ANONPAGES), anon + 8);
	assert_true(pte_write(pte_at(A + PG(7))));
	assert_true(pte_young(pte_at(A)));
	assert_int_equal(sys_madvise(A, PG(8), MADV_COLD), 0);
	assert_false(pte_young(pte_at(A)));
	end_process(t);
}

/* ---- mlock ------------------------------------------------------------------------------- */

static void test_mlock_counters(void **state)
{
	struct task_struct *t;
	unsigned long inactive, mlocked, culled;

	(void)state;
	boot_machine("ram=256M");
	t = start_process("prog");
	map_fixed(A, 8, RW, PRIV);
	assert_int_equal(user_access(A, NULL, PG(8), true), 0);
	inactive = vmstat_counter("nr_inactive_anon");
	mlocked = vmstat_counter("unevictable_pgs_mlocked");
	culled = vmstat_counter("unevictable_pgs_culled");
	assert_int_equal(sys_mlock(A + PG(2) + 100, PG(4) - 200), 0);
	assert_layout(A, 8, "0-2 rw-p\n2-6 rw-p\n6-8 rw-p\n");
	assert_true(locked(A + PG(2)) && !locked(A) && !locked(A + PG(6)));
	assert_int_equal(t->mm->locked_vm, 4);
	assert_int_equal(meminfo_kb("Mlocked"), 16);
	assert_int_equal(meminfo_kb("Unevictable"), 16);
	assert_int_equal(vmstat_counter("nr_mlock"), 4);
	assert_int_equal(vmstat_counter("nr_inactive_anon"), inactive - 4);
	assert_int_equal(vmstat_counter("unevictable_pgs_mlocked"),
			 mlocked + 4);
	assert_int_equal(vmstat_counter("unevictable_pgs_culled"), culled + 4);
	/* locking again counts nothing twice */
	assert_int_equal(sys_mlock(A, PG(8)), 0);
	assert_int_equal(t->mm->locked_vm, 8);
	assert_int_equal(meminfo_kb("Mlocked"), 32);
	assert_layout(A, 8, "0-8 rw-p\n");
	assert_int_equal(sys_munlock(A, PG(8)), 0);
	assert_int_equal(t->mm->locked_vm, 0);
	assert_int_equal(meminfo_kb("Mlocked"), 0);
	assert_int_equal(vmstat_counter("nr_unevictable"), 0);
	assert_int_equal(vmstat_counter("unevictable_pgs_munlocked"), 8);
	assert_int_equal(vmstat_counter("unevictable_pgs_rescued"), 8);
	assert_int_equal(vmstat_counter("nr_inactive_anon"), inactive);
	/* unmapping locked pages munlocks them */
	assert_int_equal(sys_mlock(A, PG(8)), 0);
	assert_int_equal(sys_munmap(A, PG(8)), 0);
	assert_int_equal(t->mm->locked_vm, 0);
	assert_int_equal(vmstat_counter("nr_mlock"), 0);
	assert_int_equal(vmstat_counter("unevictable_pgs_munlocked"), 16);
	end_process(t);
	(void)t;
}

static void test_mlock_onfault_and_all(void **state)
{
	struct task_struct *t;
	unsigned long anon, a;

	(void)state;
	boot_machine("ram=256M");
	t = start_process("prog");
	map_fixed(A, 8, RW, PRIV);
	anon = get_mm_counter(t->mm, MM_ANONPAGES);
	assert_int_equal(sys_mlock2(A, PG(8), MLOCK_ONFAULT), 0);
	assert_int_equal(get_mm_counter(t->mm, MM_ANONPAGES), anon);
	assert_true(find_vma(t->mm, A)->vm_flags & VM_LOCKONFAULT);
	assert_int_equal(poke(A + PG(3), 'x'), 0);
	assert_int_equal(vmstat_counter("nr_mlock"), 1);
	assert_int_equal(sys_mlock2(A, PG(8), 2), -EINVAL);
	/* MLOCK_ONFAULT off again: now the range is faulted in */
	assert_int_equal(sys_mlock(A, PG(8)), 0);
	assert_int_equal(vmstat_counter("nr_mlock"), 8);
	assert_int_equal(sys_munlockall(), 0);
	assert_int_equal(vmstat_counter("nr_mlock"), 0);
	/* mlockall: every VMA now, and what comes later */
	assert_int_equal(sys_mlockall(0), -EINVAL);
	assert_int_equal(sys_mlockall(MCL_ONFAULT), -EINVAL);
	assert_int_equal(sys_mlockall(8), -EINVAL);
	assert_int_equal(sys_mlockall(MCL_CURRENT | MCL_FUTURE), 0);
	assert_int_equal(t->mm->locked_vm, t->mm->total_vm);
	for (struct vm_area_struct *v = t->mm->mmap; v; v = v->vm_next)
		assert_true(v->vm_flags & VM_LOCKED);
	a = (unsigned long)sys_mmap(0, PG(4), RW, PRIV | MAP_ANONYMOUS, -1UL,
				    0);
	assert_true(find_vma(t->mm, a)->vm_flags & VM_LOCKED);
	assert_true(pte_present(pte_at(a + PG(3))));
	assert_int_equal(t->mm->locked_vm, t->mm->total_vm);
	assert_int_equal(sys_munlockall(), 0);
	assert_int_equal(t->mm->locked_vm, 0);
	assert_int_equal(t->mm->def_flags & VM_LOCKED, 0);
	end_process(t);
}

static void test_mlock_limits_and_errno(void **state)
{
	struct task_struct *t;
	struct rlimit *lim;

	(void)state;
	boot_machine("ram=256M");
	t = start_process("prog");
	lim = &t->signal->rlim[RLIMIT_MEMLOCK];
	assert_int_equal(lim->rlim_cur, 8UL << 20);
	map_fixed(A, 8, RW, PRIV);
	map_fixed(A + PG(10), 2, PROT_NONE, PRIV);
	/* a hole: the VMAs before it are locked, then -ENOMEM */
	assert_int_equal(sys_mlock(A + PG(6), PG(4)), -ENOMEM);
	assert_layout(A, 8, "0-6 rw-p\n6-8 rw-p\n");
	assert_true(locked(A + PG(6)));
	assert_int_equal(sys_munlock(A + PG(6), PG(4)), -ENOMEM);
	assert_false(locked(A + PG(6)));
	assert_int_equal(sys_mlock(A + PG(20), PG(1)), -ENOMEM);
	/* PROT_NONE is locked but cannot be faulted in: -ENOMEM */
	assert_int_equal(sys_mlock(A + PG(10), PG(2)), -ENOMEM);
	assert_true(locked(A + PG(10)));
	assert_int_equal(sys_munlock(A + PG(10), PG(2)), 0);
	/* RLIMIT_MEMLOCK */
	lim->rlim_cur = PG(4);
	assert_int_equal(sys_mlock(A, PG(5)), -ENOMEM);
	assert_int_equal(sys_mlock(A, PG(4)), 0);
	assert_int_equal(sys_mlock(A, PG(4)), 0); /* already counted */
	assert_int_equal(sys_mlockall(MCL_CURRENT), -ENOMEM);
	assert_int_equal(sys_mlockall(MCL_FUTURE), 0);
	assert_int_equal(sys_mmap(0, PG(1), RW, PRIV | MAP_ANONYMOUS, -1UL, 0),
			 -EAGAIN);
	assert_int_equal(sys_munlockall(), 0);
	lim->rlim_cur = 0;
	assert_int_equal(sys_mlock(A, PG(1)), -EPERM);
	assert_int_equal(sys_mlockall(MCL_CURRENT), -EPERM);
	assert_int_equal(sys_munlock(A, PG(1)), 0);
	end_process(t);
}

/* ---- mincore --------------------------------------------------------------------------- */

/* mincore of [a, a + PG(pages)) into a user buffer, as a string of
 * '0'/'1'. */
static const char *residency(unsigned long a, unsigned long pages, long *ret)
{
	static char out[64];
	unsigned char vec[64];
	unsigned long buf = current->mm->start_brk;

	*ret = sys_mincore(a, PG(pages), buf);
	assert_int_equal(copy_from_user(vec, buf, pages), 0);
	for (unsigned long i = 0; i < pages; i++)
		out[i] = (char)('0' + vec[i]);
	out[pages] = '\0';
	return out;
}

static void test_mincore(void **state)
{
	struct task_struct *t;
	unsigned long buf;
	long ret;
	char c;

	(void)state;
	boot_machine("ram=256M");
	t = start_process("prog");
	buf = t->mm->start_brk;
	assert_int_equal(sys_brk(buf + PAGE_SIZE), (long)(buf + PAGE_SIZE));
	assert_int_equal(clear_user(buf, 64), 0);
	map_fixed(A, 8, RW, PRIV);
	assert_int_equal(poke(A + PG(1), 'a'), 0);
	assert_int_equal(peek(A + PG(3), &c), 0); /* the zero page */
	assert_string_equal(residency(A, 8, &ret), "01010000");
	assert_int_equal(ret, 0);
	assert_int_equal(sys_madvise(A, PG(4), MADV_DONTNEED), 0);
	assert_string_equal(residency(A, 8, &ret), "00000000");
	/* the part before a hole is filled, then -ENOMEM */
	assert_int_equal(poke(A + PG(7), 'a'), 0);
	assert_int_equal(clear_user(buf, 64), 0);
	assert_string_equal(residency(A + PG(6), 4, &ret), "0100");
	assert_int_equal(ret, -ENOMEM);
	/* errno */
	assert_int_equal(sys_mincore(A + 1, PAGE_SIZE, buf), -EINVAL);
	assert_int_equal(sys_mincore(A + PG(8), PAGE_SIZE, buf), -ENOMEM);
	assert_int_equal(sys_mincore(A, -PAGE_SIZE, buf), -ENOMEM);
	assert_int_equal(sys_mincore(A, PAGE_SIZE, 0x7ffffffff000UL), -EFAULT);
	assert_int_equal(sys_mincore(A, PAGE_SIZE, A + PG(40)), -EFAULT);
	assert_int_equal(sys_mincore(A, 0, A + PG(40)), 0);
	/* a length in the middle of a page counts that page */
	assert_int_equal(sys_mincore(A + PG(7), 1, buf), 0);
	assert_int_equal(copy_from_user(&c, buf, 1), 0);
	assert_int_equal(c, 1);
	end_process(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_madvise_errno, destroy_current),
		cmocka_unit_test_teardown(test_madvise_flags_split_and_merge,
					  destroy_current),
		cmocka_unit_test_teardown(test_dontneed_and_free,
					  destroy_current),
		cmocka_unit_test_teardown(test_populate_and_cold,
					  destroy_current),
		cmocka_unit_test_teardown(test_mlock_counters, destroy_current),
		cmocka_unit_test_teardown(test_mlock_onfault_and_all,
					  destroy_current),
		cmocka_unit_test_teardown(test_mlock_limits_and_errno,
					  destroy_current),
		cmocka_unit_test_teardown(test_mincore, destroy_current),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
