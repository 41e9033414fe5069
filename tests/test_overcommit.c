/* The vm sysctls of address spaces and their effects: overcommit_memory
 * (heuristic, always, never against CommitLimit), overcommit_ratio and
 * overcommit_kbytes (each clearing the other), Committed_AS following
 * mmap/munmap/mprotect/brk, MAP_NORESERVE, max_map_count,
 * mmap_min_addr and legacy_va_layout. */
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
#define ANON (MAP_PRIVATE | MAP_ANONYMOUS)

static void write_ok(const char *path, const char *value)
{
	char err[128];

	if (proc_write(path, value, err, sizeof(err)))
		fail_msg("%s <- %s: %s", path, value, err);
}

static void write_bad(const char *path, const char *value)
{
	char err[128] = "";

	assert_int_equal(proc_write(path, value, err, sizeof(err)), -EINVAL);
	assert_true(err[0]);
}

static void assert_sysctl(const char *name, const char *text)
{
	char path[64], *t;

	snprintf(path, sizeof(path), "/proc/sys/vm/%s", name);
	t = proc_text(path);
	assert_string_equal(t, text);
	free(t);
}

static void test_defaults_and_writes(void **state)
{
	unsigned long ram_kb;

	(void)state;
	boot_machine("ram=256M");
	assert_sysctl("overcommit_memory", "0\n");
	assert_sysctl("overcommit_ratio", "50\n");
	assert_sysctl("overcommit_kbytes", "0\n");
	assert_sysctl("max_map_count", "65530\n");
	assert_sysctl("mmap_min_addr", "65536\n");
	assert_sysctl("legacy_va_layout", "0\n");
	ram_kb = meminfo_kb("MemTotal");
	assert_int_equal(meminfo_kb("CommitLimit"), ram_kb / 2);
	/* kbytes replaces the ratio, and the other way round */
	write_ok("/proc/sys/vm/overcommit_kbytes", "100000");
	assert_sysctl("overcommit_ratio", "0\n");
	assert_int_equal(meminfo_kb("CommitLimit"), 100000);
	write_ok("/proc/sys/vm/overcommit_ratio", "25");
	assert_sysctl("overcommit_kbytes", "0\n");
	assert_int_equal(meminfo_kb("CommitLimit"), ram_kb / 4);
	/* ranges */
	write_bad("/proc/sys/vm/overcommit_memory", "3");
	write_bad("/proc/sys/vm/overcommit_memory", "-1");
	write_bad("/proc/sys/vm/overcommit_kbytes", "-1");
	write_bad("/proc/sys/vm/overcommit_kbytes", "12k");
	write_bad("/proc/sys/vm/max_map_count", "-1");
	write_bad("/proc/sys/vm/mmap_min_addr", "");
	write_bad("/proc/sys/vm/legacy_va_layout", "-2");
	write_ok("/proc/sys/vm/overcommit_memory", "2");
	assert_sysctl("overcommit_memory", "2\n");
	write_ok("/proc/sys/vm/mmap_min_addr", "  4096\n");
	assert_sysctl("mmap_min_addr", "4096\n");
}

static void test_committed_as_follows(void **state)
{
	struct task_struct *t;
	unsigned long base, brk;

	(void)state;
	boot_machine("ram=256M");
	t = start_process("prog");
	base = meminfo_kb("Committed_AS");
	map_fixed(A, 16, RW, MAP_PRIVATE);
	assert_int_equal(meminfo_kb("Committed_AS"), base + 64);
	assert_int_equal(sys_munmap(A + PG(8), PG(8)), 0);
	assert_int_equal(meminfo_kb("Committed_AS"), base + 32);
	map_fixed(A + PG(8), 8, PROT_READ, MAP_PRIVATE);
	assert_int_equal(meminfo_kb("Committed_AS"), base + 32);
	assert_int_equal(sys_mprotect(A + PG(8), PG(8), RW), 0);
	assert_int_equal(meminfo_kb("Committed_AS"), base + 64);
	/* MAP_FIXED over a charged mapping charges only the difference */
	map_fixed(A, 16, RW, MAP_PRIVATE);
	assert_int_equal(meminfo_kb("Committed_AS"), base + 64);
	map_fixed(A, 16, RW, MAP_PRIVATE | MAP_NORESERVE);
	assert_int_equal(meminfo_kb("Committed_AS"), base);
	brk = t->mm->start_brk;
	assert_int_equal(sys_brk(brk + PG(10)), (long)(brk + PG(10)));
	assert_int_equal(meminfo_kb("Committed_AS"), base + 40);
	assert_int_equal(sys_brk(brk + PG(2)), (long)(brk + PG(2)));
	assert_int_equal(meminfo_kb("Committed_AS"), base + 8);
	end_process(t);
}

static void test_heuristic_and_always(void **state)
{
	struct task_struct *t;
	unsigned long ram = 256UL << 20;

	(void)state;
	boot_machine("ram=256M");
	t = start_process("prog");
	/* mode 0 refuses one mapping larger than RAM + swap */
	assert_int_equal(sys_mmap(0, 2 * ram, RW, ANON, -1UL, 0), -ENOMEM);
	assert_true(log_contains(
		"__vm_enough_memory: pid: 1, comm: prog, bytes: 536870912 not enough memory for the allocation"));
	/* ... but not one that is not charged, nor many smaller ones */
	assert_false(IS_ERR_VALUE(
		sys_mmap(0, 2 * ram, RW, ANON | MAP_NORESERVE, -1UL, 0)));
	assert_false(IS_ERR_VALUE(sys_mmap(0, ram / 2, RW, ANON, -1UL, 0)));
	assert_false(IS_ERR_VALUE(sys_mmap(0, ram / 2, RW, ANON, -1UL, 0)));
	assert_false(IS_ERR_VALUE(sys_mmap(0, ram / 2, RW, ANON, -1UL, 0)));
	write_ok("/proc/sys/vm/overcommit_memory", "1");
	assert_false(IS_ERR_VALUE(sys_mmap(0, 64 * ram, RW, ANON, -1UL, 0)));
	end_process(t);
}

static void test_strict_mode(void **state)
{
	struct task_struct *t;
	unsigned long limit_pages, used, brk;

	(void)state;
	boot_machine("ram=256M", "vm.overcommit_memory=2");
	t = start_process("prog");
	limit_pages = meminfo_kb("CommitLimit") / 4;
	used = meminfo_kb("Committed_AS") / 4;
	/* a private writable mapping past CommitLimit fails ... */
	assert_int_equal(sys_mmap(0, PG(limit_pages - used), RW, ANON, -1UL, 0),
			 -ENOMEM);
	/* MAP_NORESERVE does not help in mode 2 */
	assert_int_equal(sys_mmap(0, PG(limit_pages - used), RW,
				  ANON | MAP_NORESERVE, -1UL, 0),
			 -ENOMEM);
	/* read-only private memory is not charged */
	assert_false(IS_ERR_VALUE(
		sys_mmap(0, PG(limit_pages), PROT_READ, ANON, -1UL, 0)));
	/* what fits (below the admin and user reserves) is accepted */
	assert_false(IS_ERR_VALUE(
		sys_mmap(0, PG(limit_pages / 2), RW, ANON, -1UL, 0)));
	/* brk meets the same limit */
	brk = t->mm->start_brk;
	assert_int_equal(sys_brk(brk + PG(limit_pages / 2)), (long)brk);
	assert_int_equal(sys_brk(brk + PG(1)), (long)(brk + PG(1)));
	end_process(t);
}

static void test_max_map_count(void **state)
{
	struct task_struct *t;
	char value[16];
	int n = 0;

	(void)state;
	boot_machine("ram=256M");
	t = start_process("prog");
	snprintf(value, sizeof(value), "%d", t->mm->map_count + 4);
	write_ok("/proc/sys/vm/max_map_count", value);
	/* do_mmap refuses once map_count exceeds the limit */
	while (!IS_ERR_VALUE(sys_mmap(A + PG(2 * n), PAGE_SIZE,
				      n % 2 ? PROT_READ : RW, ANON | MAP_FIXED,
				      -1UL, 0)))
		n++;
	assert_int_equal(t->mm->map_count, M->max_map_count + 1);
	/* at the limit a split is refused, a plain unmap is not */
	assert_int_equal(sys_munmap(A, PG(3)), 0);
	map_fixed(0x30000000, 4, RW, MAP_PRIVATE);
	assert_int_equal(t->mm->map_count, M->max_map_count);
	assert_int_equal(sys_munmap(0x30000000 + PG(1), PAGE_SIZE), -ENOMEM);
	assert_int_equal(sys_mprotect(0x30000000 + PG(1), PAGE_SIZE, PROT_READ),
			 -ENOMEM);
	assert_int_equal(sys_madvise(0x30000000 + PG(1), PAGE_SIZE,
				     MADV_DONTFORK),
			 -EAGAIN);
	assert_int_equal(sys_munmap(0x30000000, PG(4)), 0);
	end_process(t);
}

static void test_mmap_min_addr_and_layout(void **state)
{
	struct task_struct *t;
	long a;

	(void)state;
	boot_machine("ram=256M", "vm.mmap_min_addr=1048576",
		     "vm.legacy_va_layout=1");
	t = start_process("prog");
	assert_int_equal(sys_mmap(0x80000, PAGE_SIZE, RW, ANON | MAP_FIXED,
				  -1UL, 0),
			 -EPERM);
	/* a hint below the minimum is raised to it */
	assert_int_equal(sys_mmap(0x80000, PAGE_SIZE, RW, ANON, -1UL, 0),
			 0x100000);
	/* the legacy layout allocates upwards from TASK_SIZE / 3 */
	assert_false(t->mm->flags & (1UL << MMF_TOPDOWN));
	a = sys_mmap(0, PAGE_SIZE, RW, ANON, -1UL, 0);
	assert_int_equal(a, (long)t->mm->mmap_legacy_base);
	assert_int_equal(sys_mmap(0, PAGE_SIZE, RW, ANON, -1UL, 0),
			 a + (long)PAGE_SIZE);
	end_process(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_defaults_and_writes,
					  destroy_current),
		cmocka_unit_test_teardown(test_committed_as_follows,
					  destroy_current),
		cmocka_unit_test_teardown(test_heuristic_and_always,
					  destroy_current),
		cmocka_unit_test_teardown(test_strict_mode, destroy_current),
		cmocka_unit_test_teardown(test_max_map_count, destroy_current),
		cmocka_unit_test_teardown(test_mmap_min_addr_and_layout,
					  destroy_current),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
