/* Shared anonymous memory: the shmem object behind MAP_SHARED|
 * MAP_ANONYMOUS, pages shared by every mapping of it (mremap's
 * duplicate, a VMA copied into another process as fork will), the
 * counters (RssShmem, Shmem, nr_shmem, nr_file_pages, Cached, Mapped,
 * the anon LRU, Committed_AS), SIGBUS past the object's size, splits
 * and merges, DONTNEED, REMOVE, mincore, mlock, and the object freed
 * with its last mapping. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>

#include <cmocka.h>

#include "helpers.h"

#include <errno.h>
#include <signal.h>

#include "kernel/pid.h"
#include "mm/shmem.h"
#include "vm_helpers.h"

#define A 0x10000000UL
#define B 0x20000000UL
#define RW (PROT_READ | PROT_WRITE)

static void test_counters_and_free(void **state)
{
	struct task_struct *t;
	unsigned long committed, free_before, inactive, anon;
	struct vm_area_struct *v;
	char prefix[64], line[128];

	(void)state;
	boot_machine("ram=256M");
	free_before = free_pages_drained() + slab_pages();
	t = start_process("prog");
	committed = meminfo_kb("Committed_AS");
	inactive = vmstat_counter("nr_inactive_anon");
	anon = get_mm_counter(t->mm, MM_ANONPAGES);
	map_fixed(A, 8, RW, MAP_SHARED);
	v = find_vma(t->mm, A);
	assert_true(vma_is_anon_shmem(v));
	assert_string_equal(v->vm_file->f_name, "/dev/zero (deleted)");
	assert_int_equal(v->vm_pgoff, 0);
	/* maps shows the object as Linux does: device 00:01, its inode */
	snprintf(prefix, sizeof(prefix), "%08lx-%08lx rw-s 00000000 00:01 %lu",
		 A, A + PG(8), file_inode(v->vm_file)->i_ino);
	snprintf(line, sizeof(line), "%-73s/dev/zero (deleted)\n", prefix);
	assert_true(proc_contains("/proc/self/maps", line));
	/* the whole object is charged at once */
	assert_int_equal(meminfo_kb("Committed_AS"), committed + 32);
	assert_int_equal(poke(A, 'x'), 0);
	assert_int_equal(peek(A + PG(5), (char[1]){ 0 }), 0);
	assert_int_equal(get_mm_counter(t->mm, MM_SHMEMPAGES), 2);
	assert_int_equal(get_mm_counter(t->mm, MM_ANONPAGES), anon);
	assert_int_equal(meminfo_kb("Shmem"), 8);
	assert_int_equal(meminfo_kb("Mapped"), 8);
	assert_int_equal(meminfo_kb("Cached"), 8);
	assert_int_equal(vmstat_counter("nr_shmem"), 2);
	assert_int_equal(vmstat_counter("nr_file_pages"), 2);
	assert_int_equal(vmstat_counter("nr_inactive_anon"), inactive + 2);
	/* a read maps the object's page, writable: no copy-on-write */
	assert_true(pte_write(pte_at(A + PG(5))));
	/* half unmapped: the object stays */
	assert_int_equal(sys_munmap(A, PG(4)), 0);
	assert_int_equal(vmstat_counter("nr_shmem"), 2);
	assert_int_equal(get_mm_counter(t->mm, MM_SHMEMPAGES), 1);
	assert_int_equal(meminfo_kb("Mapped"), 4);
	assert_int_equal(sys_munmap(A, PG(8)), 0);
	assert_int_equal(vmstat_counter("nr_shmem"), 0);
	assert_int_equal(vmstat_counter("nr_file_pages"), 0);
	assert_int_equal(meminfo_kb("Committed_AS"), committed);
	end_process(t);
	assert_int_equal(free_pages_drained() + slab_pages(), free_before);
	assert_int_equal(vmstat_counter("nr_inactive_anon"), 0);
}

static void test_mappings_share_pages(void **state)
{
	struct task_struct *t;
	unsigned long dup;
	char c;

	(void)state;
	boot_machine("ram=256M");
	t = start_process("prog");
	map_fixed(A, 4, RW, MAP_SHARED);
	/* mremap with old_len 0 maps the same object again */
	dup = (unsigned long)sys_mremap(A, 0, PG(4), MREMAP_MAYMOVE, 0);
	assert_false(IS_ERR_VALUE(dup));
	assert_ptr_equal(find_vma(t->mm, dup)->vm_file,
			 find_vma(t->mm, A)->vm_file);
	assert_int_equal(poke(A + PG(2), 's'), 0);
	assert_int_equal(peek(dup + PG(2), &c), 0);
	assert_int_equal(c, 's');
	assert_int_equal(poke(dup + PG(3), 't'), 0);
	assert_int_equal(peek(A + PG(3), &c), 0);
	assert_int_equal(c, 't');
	assert_int_equal(vmstat_counter("nr_shmem"), 2);
	assert_int_equal(get_mm_counter(t->mm, MM_SHMEMPAGES), 4);
	/* DONTNEED drops the mapping, not the data */
	assert_int_equal(sys_madvise(A, PG(4), MADV_DONTNEED), 0);
	assert_int_equal(get_mm_counter(t->mm, MM_SHMEMPAGES), 2);
	assert_int_equal(peek(A + PG(2), &c), 0);
	assert_int_equal(c, 's');
	/* REMOVE drops it from the object and from every mapping */
	assert_int_equal(sys_madvise(A + PG(2), PG(1), MADV_REMOVE), 0);
	assert_int_equal(vmstat_counter("nr_shmem"), 1);
	assert_false(pte_present(pte_at(dup + PG(2))));
	assert_int_equal(peek(dup + PG(2), &c), 0);
	assert_int_equal(c, 0);
	end_process(t);
	assert_int_equal(vmstat_counter("nr_shmem"), 0);
}

/* What fork's dup_mmap does for one VMA of parent in child's mm. */
static void copy_vma_into(struct mm_struct *mm, struct vm_area_struct *src)
{
	struct vm_area_struct *v = vm_area_dup(src);

	assert_non_null(v);
	v->vm_mm = mm;
	v->anon_vma = NULL;
	if (v->vm_file)
		get_file(v->vm_file);
	if (v->vm_ops && v->vm_ops->open)
		v->vm_ops->open(v);
	vma_link(mm, v);
	vm_stat_account(mm, v->vm_flags, (long)vma_pages(v));
}

static void test_object_outlives_its_first_process(void **state)
{
	struct task_struct *p, *q;
	unsigned long committed;
	char c;

	(void)state;
	boot_machine("ram=256M");
	committed = meminfo_kb("Committed_AS");
	p = start_process("parent");
	map_fixed(B, 4, RW, MAP_SHARED);
	assert_int_equal(poke(B + PG(1), 'p'), 0);
	set_current_task(NULL);
	q = start_process("child");
	copy_vma_into(q->mm, find_vma(p->mm, B));
	set_current_task(p);
	end_process(p);
	/* the parent is gone; the object lives on in the child */
	set_current_task(q);
	assert_int_equal(vmstat_counter("nr_shmem"), 1);
	assert_int_equal(peek(B + PG(1), &c), 0);
	assert_int_equal(c, 'p');
	assert_int_equal(get_mm_counter(q->mm, MM_SHMEMPAGES), 1);
	end_process(q);
	assert_int_equal(vmstat_counter("nr_shmem"), 0);
	assert_int_equal(meminfo_kb("Committed_AS"), committed);
}

/* fork: the child's VMA holds the object too (dup_mmap takes a file
 * reference); its pages are shared, not copied, and not mapped in the
 * child until it touches them. */
static void test_fork_shares_the_object(void **state)
{
	struct task_struct *p, *c;
	unsigned long committed;
	int status;
	char v;

	(void)state;
	boot_machine("ram=256M");
	committed = meminfo_kb("Committed_AS");
	p = start_process("parent");
	map_fixed(B, 4, RW, MAP_SHARED);
	assert_int_equal(poke(B + PG(1), 'p'), 0);
	c = find_task_by_vpid((pid_t)sys_fork());
	assert_non_null(c);
	assert_int_equal(get_mm_counter(c->mm, MM_SHMEMPAGES), 0);
	set_current_task(c);
	assert_int_equal(peek(B + PG(1), &v), 0);
	assert_int_equal(v, 'p');
	assert_int_equal(poke(B + PG(2), 'c'), 0);
	assert_int_equal(get_mm_counter(c->mm, MM_SHMEMPAGES), 2);
	set_current_task(p);
	assert_int_equal(peek(B + PG(2), &v), 0);
	assert_int_equal(v, 'c');
	/* the parent unmaps it; the child still has it */
	assert_int_equal(sys_munmap(B, PG(4)), 0);
	assert_int_equal(vmstat_counter("nr_shmem"), 2);
	set_current_task(c);
	assert_int_equal(peek(B + PG(1), &v), 0);
	assert_int_equal(v, 'p');
	do_exit(0);
	set_current_task(p);
	assert_int_equal(sys_wait4(c->pid, &status, 0, NULL), c->pid);
	assert_int_equal(vmstat_counter("nr_shmem"), 0);
	assert_int_equal(check_mm_invariants(NULL), 0);
	end_process(p);
	assert_int_equal(meminfo_kb("Committed_AS"), committed);
}

static void test_sigbus_past_the_object(void **state)
{
	struct task_struct *t;

	(void)state;
	boot_machine("ram=256M");
	t = start_process("prog");
	map_fixed(A, 2, RW, MAP_SHARED);
	assert_int_equal(sys_mremap(A, PG(2), PG(4), 0, 0), (long)A);
	assert_int_equal(poke(A + PG(1), 'a'), 0);
	assert_int_equal(poke(A + PG(2), 'a'), -EFAULT);
	assert_int_equal(t->fault_sig.signo, SIGBUS);
	assert_int_equal(t->fault_sig.code, BUS_ADRERR);
	/* populating it fails the same way */
	assert_int_equal(sys_madvise(A, PG(4), MADV_POPULATE_READ), -EFAULT);
	end_process(t);
}

static void test_split_merge_and_mprotect(void **state)
{
	struct task_struct *t;
	char c;

	(void)state;
	boot_machine("ram=256M");
	t = start_process("prog");
	map_fixed(A, 8, RW, MAP_SHARED);
	/* another object next to it never merges with it */
	map_fixed(A + PG(8), 2, RW, MAP_SHARED);
	assert_layout(A, 10, "0-8 rw-s\n8-10 rw-s\n");
	assert_int_equal(sys_mprotect(A + PG(2), PG(2), PROT_READ), 0);
	assert_layout(A, 10, "0-2 rw-s\n2-4 r--s\n4-8 rw-s\n8-10 rw-s\n");
	assert_int_equal(find_vma(t->mm, A + PG(4))->vm_pgoff, 4);
	assert_int_equal(poke(A + PG(2), 'w'), -EFAULT);
	assert_int_equal(sys_mprotect(A + PG(2), PG(2), RW), 0);
	assert_layout(A, 10, "0-8 rw-s\n8-10 rw-s\n");
	/* shared pages are writable again at once */
	assert_int_equal(poke(A + PG(3), 'w'), 0);
	assert_int_equal(sys_mprotect(A, PG(8), PROT_READ), 0);
	assert_int_equal(sys_mprotect(A, PG(8), RW), 0);
	assert_true(pte_write(pte_at(A + PG(3))));
	/* moved pieces come back together */
	assert_int_equal(sys_mremap(A + PG(4), PG(4), PG(4),
				    MREMAP_MAYMOVE | MREMAP_FIXED, B),
			 (long)B);
	assert_int_equal(sys_mremap(B, PG(4), PG(4),
				    MREMAP_MAYMOVE | MREMAP_FIXED, A + PG(4)),
			 (long)(A + PG(4)));
	assert_layout(A, 10, "0-8 rw-s\n8-10 rw-s\n");
	assert_int_equal(peek(A + PG(3), &c), 0);
	assert_int_equal(c, 'w');
	end_process(t);
}

static void test_noreserve_mincore_mlock(void **state)
{
	struct task_struct *t;
	unsigned long base, committed, dup, buf;
	unsigned char vec[4];

	(void)state;
	boot_machine("ram=256M");
	base = meminfo_kb("Committed_AS");
	t = start_process("prog");
	committed = meminfo_kb("Committed_AS");
	map_fixed(A, 4, RW, MAP_SHARED | MAP_NORESERVE);
	assert_int_equal(meminfo_kb("Committed_AS"), committed);
	assert_int_equal(poke(A, 'n'), 0);
	assert_int_equal(meminfo_kb("Committed_AS"), committed + 4);
	/* mincore sees the object's pages through any mapping */
	dup = (unsigned long)sys_mremap(A, 0, PG(4), MREMAP_MAYMOVE, 0);
	buf = t->mm->start_brk;
	assert_int_equal(sys_brk(buf + PAGE_SIZE), (long)(buf + PAGE_SIZE));
	assert_int_equal(sys_mincore(dup, PG(4), buf), 0);
	assert_int_equal(copy_from_user(vec, buf, 4), 0);
	assert_memory_equal(vec, ((unsigned char[4]){ 1, 0, 0, 0 }), 4);
	assert_false(pte_present(pte_at(dup)));
	/* a page mapped twice by locked VMAs stays mlocked until both go */
	assert_int_equal(sys_mlock(A, PG(1)), 0);
	assert_int_equal(sys_mlock(dup, PG(1)), 0);
	assert_int_equal(vmstat_counter("nr_mlock"), 1);
	assert_int_equal(sys_munlock(A, PG(1)), 0);
	assert_int_equal(vmstat_counter("nr_mlock"), 1);
	assert_int_equal(sys_munmap(dup, PG(4)), 0);
	assert_int_equal(vmstat_counter("nr_mlock"), 0);
	end_process(t);
	assert_int_equal(meminfo_kb("Committed_AS"), base);
}

static void test_strict_overcommit(void **state)
{
	struct task_struct *t;
	unsigned long limit;

	(void)state;
	boot_machine("ram=256M", "vm.overcommit_memory=2");
	t = start_process("prog");
	limit = meminfo_kb("CommitLimit") / 4;
	assert_int_equal(sys_mmap(0, PG(limit), RW, MAP_SHARED | MAP_ANONYMOUS,
				  -1UL, 0),
			 -ENOMEM);
	/* mode 2 ignores MAP_NORESERVE */
	assert_int_equal(sys_mmap(0, PG(limit), RW,
				  MAP_SHARED | MAP_ANONYMOUS | MAP_NORESERVE,
				  -1UL, 0),
			 -ENOMEM);
	assert_false(IS_ERR_VALUE(sys_mmap(
		0, PG(64), PROT_READ, MAP_SHARED | MAP_ANONYMOUS, -1UL, 0)));
	end_process(t);
	(void)t;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_counters_and_free,
					  destroy_current),
		cmocka_unit_test_teardown(test_mappings_share_pages,
					  destroy_current),
		cmocka_unit_test_teardown(test_object_outlives_its_first_process,
					  destroy_current),
		cmocka_unit_test_teardown(test_fork_shares_the_object,
					  destroy_current),
		cmocka_unit_test_teardown(test_sigbus_past_the_object,
					  destroy_current),
		cmocka_unit_test_teardown(test_split_merge_and_mprotect,
					  destroy_current),
		cmocka_unit_test_teardown(test_noreserve_mincore_mlock,
					  destroy_current),
		cmocka_unit_test_teardown(test_strict_overcommit,
					  destroy_current),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
