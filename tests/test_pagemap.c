/* /proc/PID/pagemap through proc_pread(): the exact 64-bit entry of an
 * absent page, a present one (its PFN, the exclusive bit), a page shared
 * by COW after fork and each side's after a write, a swapped one (type
 * and offset of its swap PTE), the zero page, a shmem page (the file
 * bit); zeros outside every VMA across a read of several VMAs and holes;
 * the little-endian bytes; EINVAL for a misaligned offset or count, EOF
 * at TASK_SIZE, nothing for a kernel thread; no text read; and
 * proc_pread() of a text file giving a slice of it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "helpers.h"
#include "vm_helpers.h"

#include <endian.h>
#include <errno.h>

#include "kernel/pid.h"
#include "kernel/sched/run.h"
#include "kernel/time/time.h"
#include "mm/swap.h"

#define RW (PROT_READ | PROT_WRITE)
#define BASE 0x200000000UL

#define PM_PFRAME_MASK ((1ULL << 55) - 1)
#define PM_EXCLUSIVE (1ULL << 56)
#define PM_FILE (1ULL << 61)
#define PM_SWAP (1ULL << 62)
#define PM_PRESENT (1ULL << 63)

/* ---- helpers ---------------------------------------------------------------- */

/* The entries of n pages from addr in /proc/PID/pagemap of t (pid 0:
 * /proc/self), into out. */
static void read_entries(pid_t pid, unsigned long addr, size_t n, uint64_t *out)
{
	uint64_t buf[64];
	char path[64];

	assert_true(n <= 64);
	if (pid)
		snprintf(path, sizeof(path), "/proc/%d/pagemap", pid);
	else
		snprintf(path, sizeof(path), "/proc/self/pagemap");
	assert_int_equal(proc_pread(path, buf, n * 8, addr / PAGE_SIZE * 8),
			 (long)(n * 8));
	for (size_t i = 0; i < n; i++)
		out[i] = le64toh(buf[i]);
}

static uint64_t entry_of(pid_t pid, unsigned long addr)
{
	uint64_t e;

	read_entries(pid, addr, 1, &e);
	return e;
}

/* What a present PTE at addr of current's mm must read as. */
static uint64_t present_entry(unsigned long addr, uint64_t flags)
{
	pte_t pte = pte_at(addr);

	assert_true(pte_present(pte));
	return PM_PRESENT | flags | pte_pfn(pte);
}

/* ---- entries ---------------------------------------------------------------- */

static void test_absent_then_present(void **state)
{
	struct task_struct *t;
	uint64_t e[4];
	unsigned char raw[8];

	(void)state;
	boot_machine("ram=256M");
	t = start_process("prog");
	map_fixed(BASE, 4, RW, MAP_PRIVATE);
	read_entries(0, BASE, 4, e);
	for (int i = 0; i < 4; i++)
		assert_int_equal(e[i], 0);
	assert_int_equal(poke(BASE, 1), 0);
	assert_int_equal(poke(BASE + PG(2), 1), 0);
	read_entries(0, BASE, 4, e);
	assert_int_equal(e[0], present_entry(BASE, PM_EXCLUSIVE));
	assert_int_equal(e[1], 0);
	assert_int_equal(e[2], present_entry(BASE + PG(2), PM_EXCLUSIVE));
	assert_int_equal(e[3], 0);
	assert_int_not_equal(e[0] & PM_PFRAME_MASK, e[2] & PM_PFRAME_MASK);
	/* /proc/PID is the same file; the bytes are little-endian */
	assert_int_equal(entry_of(t->pid, BASE), e[0]);
	assert_int_equal(proc_pread("/proc/self/pagemap", raw, 8,
				    BASE / PAGE_SIZE * 8),
			 8);
	assert_int_equal(raw[7], 0x81); /* present, exclusive (bit 56) */
	assert_int_equal(raw[0], pte_pfn(pte_at(BASE)) & 0xff);
	end_process(t);
}

/* A read fault of anonymous memory maps the zero page: present, its PFN,
 * not a normal page so neither exclusive nor file. */
static void test_zero_page(void **state)
{
	struct task_struct *t;
	char c;

	(void)state;
	boot_machine("ram=256M");
	t = start_process("prog");
	map_fixed(BASE, 1, RW, MAP_PRIVATE);
	assert_int_equal(peek(BASE, &c), 0);
	assert_int_equal(entry_of(0, BASE),
			 PM_PRESENT | page_to_pfn(ZERO_PAGE()));
	end_process(t);
}

/* After fork both share the page read-only: neither is exclusive; a
 * write gives the writer its own copy, and leaves the other the only
 * mapper of the old one. */
static void test_fork_shares_then_cow(void **state)
{
	struct task_struct *p, *c;
	uint64_t before, pe, ce;

	(void)state;
	boot_machine("ram=256M");
	p = start_process("parent");
	map_fixed(BASE, 2, RW, MAP_PRIVATE);
	assert_int_equal(poke(BASE, 1), 0);
	assert_int_equal(poke(BASE + PG(1), 1), 0);
	before = entry_of(0, BASE);
	assert_int_equal(before, present_entry(BASE, PM_EXCLUSIVE));
	c = task_by_pid(sys_fork());
	pe = entry_of(p->pid, BASE);
	ce = entry_of(c->pid, BASE);
	assert_int_equal(pe, before & ~PM_EXCLUSIVE);
	assert_int_equal(ce, pe);
	/* the parent writes page 0: its new copy and the child's old page
	 * are each mapped once */
	assert_int_equal(poke(BASE, 2), 0);
	pe = entry_of(p->pid, BASE);
	assert_int_equal(pe, present_entry(BASE, PM_EXCLUSIVE));
	assert_int_not_equal(pe & PM_PFRAME_MASK, before & PM_PFRAME_MASK);
	assert_int_equal(entry_of(c->pid, BASE), before);
	/* page 1 stays shared until the child exits */
	assert_int_equal(entry_of(p->pid, BASE + PG(1)) & PM_EXCLUSIVE, 0);
	set_current_task(NULL);
	release_task(c);
	set_current_task(p);
	assert_int_equal(entry_of(0, BASE + PG(1)),
			 present_entry(BASE + PG(1), PM_EXCLUSIVE));
	end_process(p);
}

/* MADV_PAGEOUT leaves swap PTEs: the swap bit, the type in bits 0-4 and
 * the offset above; never exclusive (the PTE names no page). */
static void test_swapped(void **state)
{
	struct task_struct *p;
	uint64_t e[2];

	(void)state;
	boot_machine("ram=128M", "swap=16M", "swap=16M");
	p = start_process("swapper");
	map_fixed(BASE, 2, RW, MAP_PRIVATE);
	assert_int_equal(poke(BASE, 1), 0);
	assert_int_equal(poke(BASE + PG(1), 1), 0);
	assert_int_equal(sys_madvise(BASE, PG(2), MADV_PAGEOUT), 0);
	read_entries(0, BASE, 2, e);
	for (int i = 0; i < 2; i++) {
		pte_t pte = pte_at(BASE + PG(i));
		swp_entry_t s = pte_to_swp_entry(pte);

		assert_true(is_swap_pte(pte));
		assert_int_equal(e[i], PM_SWAP | swp_type(s) |
					       (uint64_t)swp_offset(s) << 5);
	}
	/* two areas at priorities -2 and -3: the first takes both */
	assert_int_equal(e[0] & 31, 0);
	assert_int_equal((e[1] >> 5) & PM_PFRAME_MASK,
			 ((e[0] >> 5) & PM_PFRAME_MASK) + 1);
	/* the writes end in virtual time (p waits as in pause()); a write
	 * brings the page back, present again */
	sched_run_for(NSEC_PER_SEC / 10);
	wake_up_process(p);
	set_current_task(p);
	assert_int_equal(poke(BASE, 2), 0);
	assert_int_equal(entry_of(0, BASE) & (PM_PRESENT | PM_SWAP),
			 PM_PRESENT);
	end_process(p);
}

/* Shared anonymous memory is shmem: the file bit; mapped once, it is
 * exclusive too. */
static void test_shmem_file_bit(void **state)
{
	struct task_struct *t;

	(void)state;
	boot_machine("ram=256M");
	t = start_process("prog");
	map_fixed(BASE, 2, RW, MAP_SHARED);
	assert_int_equal(poke(BASE + PG(1), 1), 0);
	assert_int_equal(entry_of(0, BASE), 0);
	assert_int_equal(entry_of(0, BASE + PG(1)),
			 present_entry(BASE + PG(1), PM_FILE | PM_EXCLUSIVE));
	end_process(t);
}

/* ---- ranges ----------------------------------------------------------------- */

/* [BASE - 2, BASE + 10) pages: a hole, VMA A (pages 0-3, pages 0 and 3
 * touched), a hole (4-5), VMA B (6-7, page 7 touched), a hole. */
static void test_read_across_vmas_and_holes(void **state)
{
	struct task_struct *t;
	uint64_t e[12];

	(void)state;
	boot_machine("ram=256M");
	t = start_process("prog");
	map_fixed(BASE, 4, RW, MAP_PRIVATE);
	map_fixed(BASE + PG(6), 2, PROT_READ, MAP_PRIVATE);
	sys_mprotect(BASE + PG(6), PG(2), RW);
	assert_int_equal(poke(BASE, 1), 0);
	assert_int_equal(poke(BASE + PG(3), 1), 0);
	assert_int_equal(poke(BASE + PG(7), 1), 0);
	read_entries(0, BASE - PG(2), 12, e);
	for (int i = 0; i < 12; i++) {
		unsigned long a = BASE - PG(2) + PG(i);
		bool touched = i == 2 || i == 5 || i == 9;

		assert_int_equal(e[i],
				 touched ? present_entry(a, PM_EXCLUSIVE) : 0);
	}
	end_process(t);
}

static void test_offsets_counts_and_end(void **state)
{
	struct task_struct *t;
	unsigned char buf[32];
	unsigned long long top;

	(void)state;
	boot_machine("ram=256M");
	t = start_process("prog");
	top = t->mm->task_size / PAGE_SIZE * 8;
	/* misaligned offset or count */
	assert_int_equal(proc_pread("/proc/self/pagemap", buf, 8, 4), -EINVAL);
	assert_int_equal(proc_pread("/proc/self/pagemap", buf, 12, 0), -EINVAL);
	assert_int_equal(proc_pread("/proc/self/pagemap", buf, 7, 8), -EINVAL);
	assert_int_equal(proc_pread("/proc/self/pagemap", buf, 0, 8), 0);
	/* the last page below TASK_SIZE, then EOF */
	assert_int_equal(proc_pread("/proc/self/pagemap", buf, 32, top - 8), 8);
	assert_int_equal(proc_pread("/proc/self/pagemap", buf, 32, top), 0);
	assert_int_equal(proc_pread("/proc/self/pagemap", buf, 8, top + 8), 0);
	assert_int_equal(
		proc_pread("/proc/self/pagemap", buf, 8, ~0ULL & ~7ULL), 0);
	/* the stack's top page is mapped and touched */
	assert_int_equal(entry_of(0, t->mm->start_stack) & PM_PRESENT,
			 PM_PRESENT);
	end_process(t);
}

static void test_no_text_and_kernel_threads(void **state)
{
	struct task_struct *t;
	struct seq_file m;
	unsigned char buf[16];
	char err[64];

	(void)state;
	boot_machine("ram=256M");
	/* swapper: /proc/self names nothing */
	assert_int_equal(proc_pread("/proc/self/pagemap", buf, 8, 0), -ENOENT);
	t = start_process("prog");
	/* pagemap has no text; it cannot be written */
	seq_init(&m);
	assert_int_equal(proc_read("/proc/self/pagemap", &m), -EINVAL);
	seq_release(&m);
	assert_int_equal(proc_write("/proc/self/pagemap", "1", err,
				    sizeof(err)),
			 -EACCES);
	/* a kernel thread has no mm: an empty file, whatever the offset */
	t->flags |= PF_KTHREAD;
	assert_int_equal(proc_pread("/proc/self/pagemap", buf, 8, 0), 0);
	assert_int_equal(proc_pread("/proc/self/pagemap", buf, 3, 5), 0);
	t->flags &= ~PF_KTHREAD;
	end_process(t);
}

/* proc_pread() of a text file: the bytes from the offset, up to count. */
static void test_pread_of_text_files(void **state)
{
	char buf[16] = "";
	char *text;

	(void)state;
	boot_machine("ram=256M");
	text = proc_text("/proc/meminfo");
	assert_int_equal(proc_pread("/proc/meminfo", buf, 9, 0), 9);
	assert_memory_equal(buf, "MemTotal:", 9);
	assert_int_equal(proc_pread("/proc/meminfo", buf, 16, 3), 16);
	assert_memory_equal(buf, text + 3, 16);
	assert_int_equal(proc_pread("/proc/meminfo", buf, 16, strlen(text) - 2),
			 2);
	assert_int_equal(proc_pread("/proc/meminfo", buf, 16, strlen(text)), 0);
	assert_int_equal(proc_pread("/proc/nope", buf, 16, 0), -ENOENT);
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_absent_then_present,
					  destroy_current),
		cmocka_unit_test_teardown(test_zero_page, destroy_current),
		cmocka_unit_test_teardown(test_fork_shares_then_cow,
					  destroy_current),
		cmocka_unit_test_teardown(test_swapped, destroy_current),
		cmocka_unit_test_teardown(test_shmem_file_bit, destroy_current),
		cmocka_unit_test_teardown(test_read_across_vmas_and_holes,
					  destroy_current),
		cmocka_unit_test_teardown(test_offsets_counts_and_end,
					  destroy_current),
		cmocka_unit_test_teardown(test_no_text_and_kernel_threads,
					  destroy_current),
		cmocka_unit_test_teardown(test_pread_of_text_files,
					  destroy_current),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
