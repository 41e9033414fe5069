/* Address-space layout randomisation and the machine's seed: the PRNG
 * repeats per seed; kernel.randomize_va_space (default 2, any int) and
 * vm.mmap_rnd_bits (the arch's range); with 2 an exec'd process gets a
 * random mmap_base below the stack gap, stack top, stack pointer and brk,
 * each within Linux's range for x86_64, i386 and riscv64; the same seed
 * gives the same /proc text, two seeds different layouts; 1 leaves brk
 * alone, 0 gives exactly the fixed layout; fork keeps the layout and exec
 * draws a new one. The expected ranges restate Linux's constants here
 * rather than reading mmsim's. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>

#include <cmocka.h>

#include "helpers.h"

#include <errno.h>

#include "kernel/pid.h"
#include "kernel/random.h"
#include "vm_helpers.h"

/* What Linux 6.16 randomises per arch (Kconfig ARCH_MMAP_RND_BITS_MIN,
 * STACK_RND_MASK, arch_align_stack, arch_randomize_brk). */
struct aslr_ref {
	const char *arch;
	unsigned long stack_top; /* STACK_TOP */
	int rnd_bits; /* vm.mmap_rnd_bits default */
	int rnd_bits_max;
	unsigned long stack_rnd_pages; /* STACK_RND_MASK */
	unsigned long align_pages; /* pages arch_align_stack can drop */
	unsigned long brk_range;
};

static const struct aslr_ref ref_x86_64 = { "x86_64", 0x7ffffffff000UL, 28,
					    32,	      0x3fffff,		2,
					    1UL << 30 };
static const struct aslr_ref ref_i386 = { "i386", 0xc0000000UL, 8, 16, 0x7ff,
					  2,	  32 * MiB };
static const struct aslr_ref ref_riscv64 = { "riscv64", 0x4000000000UL, 18,
					     24,	0x3ffff,	1,
					     1UL << 30 };

/* The default image's text, data and bss end here (exec_image_default
 * with 64 KiB of text, 8 KiB of data and 8 KiB of bss). */
#define BSS_END 0x414000UL

/* One exec'd process's layout. */
struct layout {
	unsigned long mmap_base, legacy_base, stack_end, start_stack;
	unsigned long start_brk, brk;
	bool randomize; /* PF_RANDOMIZE */
};

static struct layout sample(void)
{
	struct task_struct *t = start_process("aslr");
	struct mm_struct *mm = t->mm;
	struct vm_area_struct *stack = find_vma(mm, mm->start_stack);
	struct layout l = {
		.mmap_base = mm->mmap_base,
		.legacy_base = mm->mmap_legacy_base,
		.stack_end = stack ? stack->vm_end : 0,
		.start_stack = mm->start_stack,
		.start_brk = mm->start_brk,
		.brk = mm->brk,
		.randomize = t->flags & PF_RANDOMIZE,
	};

	assert_non_null(stack);
	assert_true(stack->vm_flags & VM_GROWSDOWN);
	end_process(t);
	return l;
}

/* mmap_base without randomisation, for a stack rlimit of 8 MiB and a
 * guard gap of 256 pages, plus the stack's random range when
 * randomising (mmap_base() of arch/x86/mm/mmap.c and mm/util.c). */
static unsigned long base_below_gap(const struct aslr_ref *r, bool rnd)
{
	unsigned long gap = 8 * MiB + PG(256);

	if (rnd)
		gap += PG(r->stack_rnd_pages);
	if (gap < 128 * MiB)
		gap = 128 * MiB;
	if (gap > r->stack_top / 6 * 5)
		gap = r->stack_top / 6 * 5;
	return r->stack_top - gap;
}

static bool page_aligned(unsigned long a)
{
	return !(a & (PAGE_SIZE - 1));
}

/* mmap_base: rnd_bits of page offset below the gap. */
static void check_mmap_base(const struct aslr_ref *r, const struct layout *l,
			    int rnd_bits)
{
	unsigned long top = base_below_gap(r, true);

	assert_true(page_aligned(l->mmap_base));
	assert_true(l->mmap_base <= top);
	assert_true(top - l->mmap_base < PG(1UL << rnd_bits));
}

/* The stack: at most STACK_RND_MASK pages, and what arch_align_stack
 * rounds to, below STACK_TOP; sp 16-byte aligned below its top. */
static void check_stack(const struct aslr_ref *r, const struct layout *l)
{
	assert_true(page_aligned(l->stack_end));
	assert_true(l->stack_end <= r->stack_top);
	assert_true(r->stack_top - l->stack_end <=
		    PG(r->stack_rnd_pages + r->align_pages));
	assert_int_equal(l->start_stack & 15, 0);
	assert_true(l->start_stack < l->stack_end);
}

/* brk: a page above the bss, then a random page within brk_range. */
static void check_brk(const struct aslr_ref *r, const struct layout *l)
{
	assert_true(page_aligned(l->start_brk));
	assert_int_equal(l->brk, l->start_brk);
	assert_true(l->start_brk >= BSS_END + PAGE_SIZE);
	assert_true(l->start_brk - (BSS_END + PAGE_SIZE) < r->brk_range);
}

/* Boots arch with randomize_va_space=2 and seed 1. */
static void boot_randomised(const struct aslr_ref *r)
{
	static char arch[32];

	snprintf(arch, sizeof(arch), "arch=%s", r->arch);
	boot_machine("ram=256M", arch, "seed=1", "kernel.randomize_va_space=2");
}

#define NR_SAMPLES 512

/* Each exec draws anew: every sample lies in Linux's ranges, and they
 * spread (mostly distinct, some past half of each range, mmap_base
 * close to its highest value too). */
static void check_ranges(const struct aslr_ref *r)
{
	unsigned long top = base_below_gap(r, true), max_mmap = 0;
	unsigned long min_mmap = ~0UL, max_stack = 0, max_brk = 0;
	static struct layout l[NR_SAMPLES];
	int distinct = 0;

	boot_randomised(r);
	for (int i = 0; i < NR_SAMPLES; i++) {
		l[i] = sample();
		assert_true(l[i].randomize);
		check_mmap_base(r, &l[i], r->rnd_bits);
		check_stack(r, &l[i]);
		check_brk(r, &l[i]);
		max_mmap = max(max_mmap, top - l[i].mmap_base);
		min_mmap = min(min_mmap, top - l[i].mmap_base);
		max_stack = max(max_stack, r->stack_top - l[i].stack_end);
		max_brk = max(max_brk, l[i].start_brk - BSS_END - PAGE_SIZE);
		distinct += i == 0 || l[i].mmap_base != l[i - 1].mmap_base;
	}
	assert_true(distinct > NR_SAMPLES / 2);
	assert_true(max_mmap > PG(1UL << r->rnd_bits) / 2);
	assert_true(min_mmap < PG(1UL << r->rnd_bits) / 64);
	assert_true(max_stack > PG(r->stack_rnd_pages) / 2);
	assert_true(max_brk > r->brk_range / 2);
	machine_destroy(M);
}

/* ---- the PRNG ------------------------------------------------------------- */

static void test_prng_repeats_per_seed(void **state)
{
	uint64_t a[8], b[8];
	unsigned char bytes[13] = { 0 }, zero[13] = { 0 };

	(void)state;
	boot_machine("ram=128M", "seed=42");
	for (int i = 0; i < 8; i++)
		a[i] = get_random_u64();
	machine_destroy(M);
	boot_machine("ram=128M", "seed=0x2a");
	for (int i = 0; i < 8; i++)
		b[i] = get_random_u64();
	assert_memory_equal(a, b, sizeof(a));
	machine_destroy(M);
	boot_machine("ram=128M", "seed=43");
	assert_true(get_random_u64() != a[0] || get_random_u64() != a[1]);
	for (int i = 0; i < 1000; i++)
		assert_true(get_random_u32_below(10) < 10);
	assert_int_equal(get_random_u32_below(0), 0);
	get_random_bytes(bytes, sizeof(bytes));
	assert_memory_not_equal(bytes, zero, sizeof(bytes));
	machine_destroy(M);
}

/* ---- the sysctls ---------------------------------------------------------- */

static void expect_sysctl(const char *path, const char *text)
{
	char *s = proc_text(path);

	assert_string_equal(s, text);
	free(s);
}

static void test_sysctl_defaults(void **state)
{
	static const struct {
		const char *arch, *bits;
	} cases[] = {
		{ "arch=x86_64", "28\n" },
		{ "arch=i386", "8\n" },
		{ "arch=riscv64", "18\n" },
	};
	struct machine_config cfg;
	char err[256];

	(void)state;
	/* Linux's default without the test helpers' 0. */
	machine_config_default(&cfg);
	assert_non_null(machine_boot(&cfg, err, sizeof(err)));
	expect_sysctl("/proc/sys/kernel/randomize_va_space", "2\n");
	machine_destroy(M);
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		boot_machine("ram=256M", cases[i].arch);
		expect_sysctl("/proc/sys/vm/mmap_rnd_bits", cases[i].bits);
		machine_destroy(M);
	}
}

static int write_sysctl(const char *path, const char *value)
{
	char err[256];

	return proc_write(path, value, err, sizeof(err));
}

static void test_sysctl_writes(void **state)
{
	const char *rva = "/proc/sys/kernel/randomize_va_space";
	const char *bits = "/proc/sys/vm/mmap_rnd_bits";

	(void)state;
	boot_machine("ram=128M");
	expect_sysctl(rva, "0\n"); /* the test helpers' default */
	/* proc_dointvec: any int, as Linux (3 acts as 2, -1 as 1). */
	assert_int_equal(write_sysctl(rva, "3"), 0);
	expect_sysctl(rva, "3\n");
	assert_int_equal(write_sysctl(rva, "-1"), 0);
	assert_int_equal(write_sysctl(rva, " 1\n"), 0);
	expect_sysctl(rva, "1\n");
	assert_int_equal(write_sysctl(rva, "two"), -EINVAL);
	assert_int_equal(write_sysctl(rva, ""), -EINVAL);
	assert_int_equal(write_sysctl(rva, "2147483648"), -EINVAL);
	expect_sysctl(rva, "1\n");
	/* proc_dointvec_minmax within ARCH_MMAP_RND_BITS_MIN..MAX. */
	assert_int_equal(write_sysctl(bits, "27"), -EINVAL);
	assert_int_equal(write_sysctl(bits, "33"), -EINVAL);
	assert_int_equal(write_sysctl(bits, "32"), 0);
	expect_sysctl(bits, "32\n");
	machine_destroy(M);
	boot_machine("ram=256M", "arch=riscv64");
	assert_int_equal(write_sysctl(bits, "25"), -EINVAL);
	assert_int_equal(write_sysctl(bits, "24"), 0);
	machine_destroy(M);
	boot_machine("ram=256M", "arch=i386");
	assert_int_equal(write_sysctl(bits, "7"), -EINVAL);
	assert_int_equal(write_sysctl(bits, "16"), 0);
	machine_destroy(M);
}

/* ---- randomisation -------------------------------------------------------- */

static void test_ranges_x86_64(void **state)
{
	(void)state;
	check_ranges(&ref_x86_64);
}

static void test_ranges_i386(void **state)
{
	(void)state;
	check_ranges(&ref_i386);
}

static void test_ranges_riscv64(void **state)
{
	(void)state;
	check_ranges(&ref_riscv64);
}

/* vm.mmap_rnd_bits=32 lets mmap_base move 16 times as far. */
static void test_mmap_rnd_bits_widens_the_range(void **state)
{
	unsigned long top = base_below_gap(&ref_x86_64, true), max_off = 0;

	(void)state;
	boot_machine("ram=256M", "seed=1", "kernel.randomize_va_space=2",
		     "vm.mmap_rnd_bits=32");
	for (int i = 0; i < NR_SAMPLES; i++) {
		struct layout l = sample();

		check_mmap_base(&ref_x86_64, &l, 32);
		max_off = max(max_off, top - l.mmap_base);
	}
	assert_true(max_off >= PG(1UL << 28));
	machine_destroy(M);
}

/* The sub-page part of the stack pointer: with randomisation the
 * distance from the stack's top to sp grows by less than 8 KiB. */
static void test_stack_pointer_offset(void **state)
{
	unsigned long fixed, d, lo = ~0UL, hi = 0;

	(void)state;
	boot_machine("ram=256M");
	{
		struct layout l = sample();

		fixed = l.stack_end - l.start_stack;
	}
	assert_int_equal(
		write_sysctl("/proc/sys/kernel/randomize_va_space", "2"), 0);
	for (int i = 0; i < NR_SAMPLES; i++) {
		struct layout l = sample();

		d = l.stack_end - l.start_stack;
		assert_true(d >= fixed && d < fixed + 8192 + 16);
		lo = min(lo, d);
		hi = max(hi, d);
	}
	assert_true(hi - lo > 4096);
	machine_destroy(M);
}

/* The layout of the first process of a machine with seed, and its maps,
 * status and stat text after a mapping and a grown heap. */
static struct layout first_process(const char *seed, const char *rva,
				   char **text)
{
	struct task_struct *t;
	struct layout l = { 0 };
	char path[64];
	size_t n = 0;

	boot_machine("ram=256M", seed, rva);
	t = start_process("aslr");
	l.mmap_base = t->mm->mmap_base;
	l.stack_end = find_vma(t->mm, t->mm->start_stack)->vm_end;
	l.start_stack = t->mm->start_stack;
	l.start_brk = t->mm->start_brk;
	l.randomize = t->flags & PF_RANDOMIZE;
	assert_false(
		IS_ERR_VALUE(sys_mmap(0, PG(16), PROT_READ | PROT_WRITE,
				      MAP_PRIVATE | MAP_ANONYMOUS, -1UL, 0)));
	assert_int_equal(sys_brk(l.start_brk + PG(4)), l.start_brk + PG(4));
	*text = calloc(1, 65536);
	assert_non_null(*text);
	for (const char *f = "maps\0status\0stat\0"; *f; f += strlen(f) + 1) {
		char *s;

		snprintf(path, sizeof(path), "/proc/%d/%s", t->pid, f);
		s = proc_text(path);
		n += (size_t)snprintf(*text + n, 65536 - n, "%s", s);
		free(s);
	}
	end_process(t);
	machine_destroy(M);
	return l;
}

/* The [stack] and [heap] lines of maps show the randomised addresses. */
static void test_same_seed_same_text(void **state)
{
	char *a, *b, line[96];
	struct layout la, lb;

	(void)state;
	la = first_process("seed=7", "kernel.randomize_va_space=2", &a);
	lb = first_process("seed=7", "kernel.randomize_va_space=2", &b);
	assert_true(la.randomize);
	assert_string_equal(a, b);
	assert_int_equal(la.mmap_base, lb.mmap_base);
	snprintf(line, sizeof(line), "%08lx-%08lx rw-p 00000000 00:00 0",
		 la.start_brk, la.start_brk + PG(4));
	assert_non_null(strstr(a, line));
	snprintf(line, sizeof(line), "-%08lx rw-p 00000000 00:00 0",
		 la.stack_end);
	assert_non_null(strstr(a, line));
	assert_non_null(strstr(strstr(a, line), "[stack]"));
	free(a);
	free(b);
}

static void test_two_seeds_differ(void **state)
{
	struct layout a, b;
	char *ta, *tb;

	(void)state;
	a = first_process("seed=1", "kernel.randomize_va_space=2", &ta);
	b = first_process("seed=2", "kernel.randomize_va_space=2", &tb);
	assert_true(a.mmap_base != b.mmap_base);
	assert_true(a.stack_end != b.stack_end);
	assert_true(a.start_brk != b.start_brk);
	assert_string_not_equal(ta, tb);
	free(ta);
	free(tb);
}

/* 1: mmap_base and the stack move, brk stays right after the bss. */
static void test_one_leaves_brk(void **state)
{
	struct layout l;
	char *text;

	(void)state;
	l = first_process("seed=3", "kernel.randomize_va_space=1", &text);
	assert_true(l.randomize);
	check_mmap_base(&ref_x86_64, &l, 28);
	check_stack(&ref_x86_64, &l);
	assert_int_equal(l.start_brk, BSS_END);
	free(text);
}

/* 0: the fixed layout, whatever the seed. */
static void test_zero_is_the_fixed_layout(void **state)
{
	struct layout a, b;
	char *ta, *tb;

	(void)state;
	a = first_process("seed=1", "kernel.randomize_va_space=0", &ta);
	b = first_process("seed=99", "kernel.randomize_va_space=0", &tb);
	assert_false(a.randomize);
	assert_int_equal(b.mmap_base, a.mmap_base);
	assert_int_equal(a.mmap_base, base_below_gap(&ref_x86_64, false));
	assert_int_equal(a.stack_end, ref_x86_64.stack_top);
	assert_int_equal(a.start_brk, BSS_END);
	assert_string_equal(ta, tb);
	assert_non_null(strstr(ta, "00414000-00418000 rw-p 00000000 00:00 0"));
	assert_non_null(strstr(ta, "7ffffffde000-7ffffffff000 rw-p"));
	free(ta);
	free(tb);
}

/* vm.legacy_va_layout=1: mmap_base is TASK_UNMAPPED_BASE plus the
 * random offset, and mappings go up from there. */
static void test_legacy_layout_randomised(void **state)
{
	unsigned long tub = PAGE_ALIGN(ref_x86_64.stack_top / 3);
	struct task_struct *t;
	long a;

	(void)state;
	boot_machine("ram=256M", "seed=5", "kernel.randomize_va_space=2",
		     "vm.legacy_va_layout=1");
	t = start_process("aslr");
	assert_true(page_aligned(t->mm->mmap_base));
	assert_true(t->mm->mmap_base >= tub);
	assert_true(t->mm->mmap_base - tub < PG(1UL << 28));
	assert_true(t->mm->mmap_base != tub);
	a = sys_mmap(0, PG(4), PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1UL, 0);
	assert_int_equal(a, (long)t->mm->mmap_base);
	end_process(t);
	machine_destroy(M);
}

/* fork copies the layout; exec in the child draws a new one. */
static void test_fork_keeps_exec_redraws(void **state)
{
	struct task_struct *parent, *child;
	struct exec_image img;
	char path[32], *pm, *cm;

	(void)state;
	boot_machine("ram=256M", "seed=11", "kernel.randomize_va_space=2");
	parent = start_process("parent");
	assert_int_equal(sys_brk(parent->mm->start_brk + PG(2)),
			 parent->mm->start_brk + PG(2));
	child = find_task_by_vpid((pid_t)sys_fork());
	assert_non_null(child);
	assert_true(child->flags & PF_RANDOMIZE);
	assert_int_equal(child->mm->mmap_base, parent->mm->mmap_base);
	assert_int_equal(child->mm->start_brk, parent->mm->start_brk);
	assert_int_equal(child->mm->start_stack, parent->mm->start_stack);
	snprintf(path, sizeof(path), "/proc/%d/maps", parent->pid);
	pm = proc_text(path);
	snprintf(path, sizeof(path), "/proc/%d/maps", child->pid);
	cm = proc_text(path);
	assert_string_equal(pm, cm);
	free(cm);
	set_current_task(child);
	exec_image_default(&img, "child", 64 * 1024, 8192, 8192);
	assert_int_equal(kernel_execve(&img), 0);
	assert_true(child->mm->mmap_base != parent->mm->mmap_base);
	assert_true(child->mm->start_brk != parent->mm->start_brk);
	assert_true(child->mm->start_stack != parent->mm->start_stack);
	cm = proc_text(path);
	assert_string_not_equal(pm, cm);
	free(pm);
	free(cm);
	set_current_task(NULL);
	release_task(parent);
	machine_destroy(M);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_teardown(f, destroy_current)
		T(test_prng_repeats_per_seed),
		T(test_sysctl_defaults),
		T(test_sysctl_writes),
		T(test_ranges_x86_64),
		T(test_ranges_i386),
		T(test_ranges_riscv64),
		T(test_mmap_rnd_bits_widens_the_range),
		T(test_stack_pointer_offset),
		T(test_same_seed_same_text),
		T(test_two_seeds_differ),
		T(test_one_leaves_brk),
		T(test_zero_is_the_fixed_layout),
		T(test_legacy_layout_randomised),
		T(test_fork_keeps_exec_redraws),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
