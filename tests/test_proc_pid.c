/* /proc/PID/ files in Linux's exact formats: maps (names, the padding to
 * column 73), smaps and smaps_rollup (Rss, fixed-point Pss of pages
 * shared by several address spaces, dirty and clean, Locked, VmFlags),
 * status, stat and statm against the mm's counters, /proc/self, kernel
 * threads and zombies, i386's widths, and meminfo's AnonPages, Mapped
 * and Mlocked. clear_refs: which VMAs each type resets, the TLB it leaves
 * alone, VmHWM, and what a write may hold. Sharing uses a special mapping
 * whose fault handler hands every process the same pages; sharing
 * through fork comes with fork. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "helpers.h"
#include "vm_helpers.h"

#include <errno.h>
#include <signal.h>

#define MAP_ANON_PRIVATE (MAP_PRIVATE | MAP_ANONYMOUS)
#define RW (PROT_READ | PROT_WRITE)
#define TOP_DOWN_BASE 0x7ffff7fff000UL

/* ---- helpers ---------------------------------------------------------------- */

/* /proc/PID/NAME of t. */
static char *pid_file(const struct task_struct *t, const char *name)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/%d/%s", t->pid, name);
	return proc_text(path);
}

static void expect_file(const struct task_struct *t, const char *name,
			const char *expected)
{
	char *text = pid_file(t, name);

	assert_string_equal(text, expected);
	free(text);
}

/* The lines of text from the one starting with first up to the end of
 * the one starting with last (the first such after it). */
static char *lines_between(const char *text, const char *first,
			   const char *last)
{
	const char *s = strstr(text, first), *e;

	assert_non_null(s);
	e = strstr(s, last);
	assert_non_null(e);
	e = strchr(e, '\n');
	assert_non_null(e);
	return strndup(s, (size_t)(e + 1 - s));
}

/* Field n (1-based) of /proc/PID/stat text, the comm being field 2. */
static unsigned long long stat_field(const char *text, int n)
{
	const char *p = strrchr(text, ')');

	assert_non_null(p);
	assert_true(n >= 3);
	p += 2; /* ") " */
	for (int i = 3; i < n; i++) {
		p = strchr(p, ' ');
		assert_non_null(p);
		p++;
	}
	return strtoull(p, NULL, 10);
}

static int count_fields(const char *text)
{
	int n = 1;

	for (const char *p = strrchr(text, ')'); *p && *p != '\n'; p++)
		n += *p == ' ';
	return n + 1; /* the pid and the comm */
}

static unsigned long mmap_anon(unsigned long len, unsigned long prot,
			       unsigned long flags)
{
	unsigned long a = (unsigned long)sys_mmap(0, len, prot, flags, -1UL, 0);

	assert_false(IS_ERR_VALUE(a));
	return a;
}

/* ---- maps -------------------------------------------------------------------- */

static void test_maps_lines_names_and_padding(void **state)
{
	struct task_struct *t;
	unsigned long a, brk;
	char *text, *line;

	(void)state;
	boot_machine("ram=256M");
	t = start_process("/bin/prog");
	a = mmap_anon(16 * MiB, RW, MAP_ANON_PRIVATE);
	assert_int_equal(a, TOP_DOWN_BASE - 16 * MiB);
	brk = (unsigned long)sys_brk(0);
	assert_int_equal(sys_brk(brk + 8192), (long)(brk + 8192));
	expect_file(
		t, "maps",
		"00400000-00410000 r-xp 00000000 00:00 0 \n"
		"00410000-00414000 rw-p 00000000 00:00 0 \n"
		"00414000-00416000 rw-p 00000000 00:00 0                                  [heap]\n"
		"7ffff6fff000-7ffff7fff000 rw-p 00000000 00:00 0 \n"
		"7ffffffde000-7ffffffff000 rw-p 00000000 00:00 0                          [stack]\n"
		"ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0                  [vsyscall]\n");
	/* names start in column 74 (after 73 characters) on 64-bit */
	text = pid_file(t, "maps");
	line = strstr(text, "7ffffffde000");
	assert_int_equal(strchr(line, '[') - line, 73);
	free(text);
	/* /proc/self is the running process */
	assert_true(proc_contains("/proc/self/maps", "[heap]"));
	end_process(t);
}

/* No heap yet (brk == start_brk): no [heap]; a read-only PROT_NONE
 * mapping shows ---p. */
static void test_maps_no_heap_and_prot_none(void **state)
{
	struct task_struct *t;

	(void)state;
	boot_machine("ram=256M");
	t = start_process("prog");
	mmap_anon(PAGE_SIZE, PROT_NONE, MAP_ANON_PRIVATE);
	expect_file(
		t, "maps",
		"00400000-00410000 r-xp 00000000 00:00 0 \n"
		"00410000-00414000 rw-p 00000000 00:00 0 \n"
		"7ffff7ffe000-7ffff7fff000 ---p 00000000 00:00 0 \n"
		"7ffffffde000-7ffffffff000 rw-p 00000000 00:00 0                          [stack]\n"
		"ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0                  [vsyscall]\n");
	end_process(t);
}

/* ---- status --------------------------------------------------------------------- */

static void test_status_memory_lines(void **state)
{
	struct task_struct *t;
	unsigned long a;
	char *text, *mem, expected[1024];

	(void)state;
	boot_machine("ram=256M");
	t = start_process("prog");
	a = mmap_anon(16 * MiB, RW, MAP_ANON_PRIVATE);
	assert_int_equal(user_access(a, NULL, 4 * PAGE_SIZE, true), 0);
	/* 16 MiB + 64K text + 16K data/bss + 132K stack; 4 pages + the
	 * stack's first page resident */
	snprintf(expected, sizeof(expected),
		 "VmPeak:\t   16596 kB\n"
		 "VmSize:\t   16596 kB\n"
		 "VmLck:\t       0 kB\n"
		 "VmPin:\t       0 kB\n"
		 "VmHWM:\t      20 kB\n"
		 "VmRSS:\t      20 kB\n"
		 "RssAnon:\t      20 kB\n"
		 "RssFile:\t       0 kB\n"
		 "RssShmem:\t       0 kB\n"
		 "VmData:\t   16400 kB\n"
		 "VmStk:\t     132 kB\n"
		 "VmExe:\t      64 kB\n"
		 "VmLib:\t       0 kB\n"
		 "VmPTE:\t%8lu kB\n"
		 "VmSwap:\t       0 kB\n"
		 "HugetlbPages:\t       0 kB\n",
		 (unsigned long)t->mm->pgtables_bytes >> 10);
	text = pid_file(t, "status");
	mem = lines_between(text, "VmPeak:", "HugetlbPages:");
	assert_string_equal(mem, expected);
	free(mem);
	/* unmapping lowers VmSize and VmRSS; VmPeak and VmHWM stay */
	assert_int_equal(sys_munmap(a, 16 * MiB), 0);
	free(text);
	text = pid_file(t, "status");
	assert_non_null(
		strstr(text, "VmPeak:\t   16596 kB\nVmSize:\t     212 kB\n"));
	assert_non_null(
		strstr(text, "VmHWM:\t      20 kB\nVmRSS:\t       4 kB\n"));
	free(text);
	end_process(t);
}

static void test_status_whole_file(void **state)
{
	struct task_struct *t;
	char *text, *head, *tail, expected[2048];

	(void)state;
	boot_machine("ram=256M", "cpus=4", "nodes=2");
	t = start_process("my prog\\1");
	text = pid_file(t, "status");
	head = lines_between(text, "Name:", "Kthread:");
	/* the name escapes '\\'; the ids, the parent (swapper: 0) and an
	 * ordinary user's credentials */
	assert_string_equal(head, "Name:\tmy prog\\\\1\n"
				  "Umask:\t0022\n"
				  "State:\tR (running)\n"
				  "Tgid:\t1\n"
				  "Ngid:\t0\n"
				  "Pid:\t1\n"
				  "PPid:\t0\n"
				  "TracerPid:\t0\n"
				  "Uid:\t1000\t1000\t1000\t1000\n"
				  "Gid:\t1000\t1000\t1000\t1000\n"
				  "FDSize:\t64\n"
				  "Groups:\t1000 \n"
				  "NStgid:\t1\n"
				  "NSpid:\t1\n"
				  "NSpgid:\t1\n"
				  "NSsid:\t1\n"
				  "Kthread:\t0\n");
	free(head);
	tail = lines_between(text,
			     "HugetlbPages:", "x86_Thread_features_locked:");
	/* SigQ's limit is RLIMIT_SIGPENDING (max_threads / 2) */
	snprintf(expected, sizeof(expected),
		 "CoreDumping:\t0\n"
		 "THP_enabled:\t1\n"
		 "untag_mask:\t0xffffffffffffffff\n"
		 "Threads:\t1\n"
		 "SigQ:\t0/%lu\n"
		 "SigPnd:\t0000000000000000\n"
		 "ShdPnd:\t0000000000000000\n"
		 "SigBlk:\t0000000000000000\n"
		 "SigIgn:\t0000000000000000\n"
		 "SigCgt:\t0000000000000000\n"
		 "CapInh:\t0000000000000000\n"
		 "CapPrm:\t0000000000000000\n"
		 "CapEff:\t0000000000000000\n"
		 "CapBnd:\t000001ffffffffff\n"
		 "CapAmb:\t0000000000000000\n"
		 "NoNewPrivs:\t0\n"
		 "Seccomp:\t0\n"
		 "Seccomp_filters:\t0\n"
		 "Speculation_Store_Bypass:\tthread vulnerable\n"
		 "SpeculationIndirectBranch:\tconditional enabled\n"
		 "Cpus_allowed:\tf\n"
		 "Cpus_allowed_list:\t0-3\n"
		 "Mems_allowed:\t00000000,00000003\n"
		 "Mems_allowed_list:\t0-1\n"
		 "voluntary_ctxt_switches:\t0\n"
		 "nonvoluntary_ctxt_switches:\t0\n"
		 "x86_Thread_features:\t\n"
		 "x86_Thread_features_locked:\t\n",
		 t->signal->rlim[RLIMIT_SIGPENDING].rlim_cur);
	assert_string_equal(strchr(tail, '\n') + 1, expected);
	assert_int_equal(t->signal->rlim[RLIMIT_SIGPENDING].rlim_cur,
			 (unsigned long)M->max_threads / 2);
	free(tail);
	free(text);
	end_process(t);
}

/* ---- stat and statm ----------------------------------------------------------------- */

static void test_stat_fields(void **state)
{
	struct task_struct *t, *child;
	struct mm_struct *mm;
	unsigned long a;
	char *text;

	(void)state;
	boot_machine("ram=256M");
	t = start_process("prog");
	mm = t->mm;
	a = mmap_anon(16 * MiB, RW, MAP_ANON_PRIVATE);
	assert_int_equal(user_access(a, NULL, 4 * PAGE_SIZE, true), 0);
	text = pid_file(t, "stat");
	assert_int_equal(count_fields(text), 52);
	assert_int_equal(strncmp(text, "1 (prog) R 0 1 1 0 -1 ", 22), 0);
	assert_int_equal(stat_field(text, 10), t->min_flt); /* minflt */
	assert_int_equal(stat_field(text, 11), 0); /* cminflt */
	assert_int_equal(stat_field(text, 12), 0); /* majflt */
	assert_int_equal(stat_field(text, 18), 20); /* priority */
	assert_int_equal(stat_field(text, 20), 1); /* num_threads */
	assert_int_equal(stat_field(text, 22), 0); /* starttime */
	assert_int_equal(stat_field(text, 23), (16 * MiB + 212 * 1024));
	assert_int_equal(stat_field(text, 24), 5); /* rss pages */
	assert_int_equal(stat_field(text, 25), ~0ULL); /* rsslim */
	assert_int_equal(stat_field(text, 26), 0x400000); /* startcode */
	assert_int_equal(stat_field(text, 27), 0x410000); /* endcode */
	assert_int_equal(stat_field(text, 28), mm->start_stack);
	assert_int_equal(stat_field(text, 38), 17); /* SIGCHLD */
	assert_int_equal(stat_field(text, 45), 0x410000); /* start_data */
	assert_int_equal(stat_field(text, 46), 0x412000); /* end_data */
	assert_int_equal(stat_field(text, 47), 0x414000); /* start_brk */
	assert_int_equal(stat_field(text, 48), mm->arg_start);
	assert_int_equal(stat_field(text, 49), mm->arg_end);
	assert_int_equal(stat_field(text, 50), mm->env_start);
	assert_int_equal(stat_field(text, 51), mm->env_end);
	assert_int_equal(stat_field(text, 52), 0); /* exit_code */
	free(text);
	/* starttime counts clock ticks (USER_HZ 100) of virtual time; the
	 * child's session and group are its parent's */
	M->clock_ns += 2500000000ULL;
	child = start_process("child");
	text = pid_file(child, "stat");
	assert_int_equal(strncmp(text, "2 (child) R 1 1 1 0 -1 ", 23), 0);
	assert_int_equal(stat_field(text, 22), 250);
	free(text);
	end_process(child);
	end_process(t);
}

static void test_statm(void **state)
{
	struct task_struct *t;
	unsigned long a;

	(void)state;
	boot_machine("ram=256M");
	t = start_process("prog");
	/* size: 53 pages; resident: the stack page; text: 16; data: data,
	 * bss and stack */
	expect_file(t, "statm", "53 1 0 16 0 37 0\n");
	a = mmap_anon(16 * MiB, RW, MAP_ANON_PRIVATE);
	assert_int_equal(user_access(a, NULL, 4 * PAGE_SIZE, true), 0);
	expect_file(t, "statm", "4149 5 0 16 0 4133 0\n");
	end_process(t);
}

/* ---- smaps ---------------------------------------------------------------------------- */

#define SMAP_ZEROS                      \
	"KSM:                   0 kB\n" \
	"LazyFree:              0 kB\n" \
	"AnonHugePages:         0 kB\n" \
	"ShmemPmdMapped:        0 kB\n" \
	"FilePmdMapped:         0 kB\n" \
	"Shared_Hugetlb:        0 kB\n" \
	"Private_Hugetlb:       0 kB\n" \
	"Swap:                  0 kB\n" \
	"SwapPss:               0 kB\n"

static void test_smaps_private_anonymous(void **state)
{
	struct task_struct *t;
	unsigned long a;
	char *text, *block;

	(void)state;
	boot_machine("ram=256M");
	t = start_process("prog");
	a = mmap_anon(16 * MiB, RW, MAP_ANON_PRIVATE);
	/* four pages written, one read: the read maps the zero page, which
	 * is not counted */
	assert_int_equal(user_access(a, NULL, 4 * PAGE_SIZE, true), 0);
	assert_int_equal(user_access(a + 8 * PAGE_SIZE, NULL, 1, false), 0);
	text = pid_file(t, "smaps");
	block = lines_between(text, "7ffff6fff000-", "VmFlags:");
	assert_string_equal(block,
			    "7ffff6fff000-7ffff7fff000 rw-p 00000000 00:00 0 \n"
			    "Size:              16384 kB\n"
			    "KernelPageSize:        4 kB\n"
			    "MMUPageSize:           4 kB\n"
			    "Rss:                  16 kB\n"
			    "Pss:                  16 kB\n"
			    "Pss_Dirty:            16 kB\n"
			    "Shared_Clean:          0 kB\n"
			    "Shared_Dirty:          0 kB\n"
			    "Private_Clean:         0 kB\n"
			    "Private_Dirty:        16 kB\n"
			    "Referenced:           16 kB\n"
			    "Anonymous:            16 kB\n" SMAP_ZEROS
			    "Locked:                0 kB\n"
			    "THPeligible:           1\n"
			    "VmFlags: rd wr mr mw me ac sd \n");
	free(block);
	/* the text: never touched, too small for a huge page */
	block = lines_between(text, "00400000-", "VmFlags:");
	assert_non_null(strstr(block, "Rss:                   0 kB\n"));
	assert_non_null(strstr(block, "THPeligible:           0\n"
				      "VmFlags: rd ex mr mw me sd \n"));
	free(block);
	/* the gate VMA */
	assert_non_null(
		strstr(text, "[vsyscall]\nSize:                  4 kB\n"));
	assert_non_null(
		strstr(text, "THPeligible:           0\nVmFlags: ex \n"));
	free(text);
	end_process(t);
}

/* A special mapping whose fault handler maps the pages of shared_pages
 * (its vm_ops, set as a driver's mmap would): every process that maps
 * it shares them, as file pages. */
#define NR_SHARED 6
static struct page *shared_pages[NR_SHARED];

static unsigned shared_fault(struct vm_fault *vmf)
{
	unsigned long i = (vmf->address - vmf->vma->vm_start) >> PAGE_SHIFT;

	if (i >= NR_SHARED)
		return VM_FAULT_SIGBUS;
	get_page(shared_pages[i]);
	vmf->page = shared_pages[i];
	return 0;
}

static const struct vm_operations_struct shared_ops = {
	.name = "[shared]",
	.fault = shared_fault,
};

/* Current maps the shared pages (read-only) and reads them all. */
static unsigned long map_shared(void)
{
	unsigned long a =
		mmap_anon(NR_SHARED * PAGE_SIZE, PROT_READ, MAP_ANON_PRIVATE);

	find_vma(current->mm, a)->vm_ops = &shared_ops;
	assert_int_equal(user_access(a, NULL, NR_SHARED * PAGE_SIZE, false), 0);
	return a;
}

static void test_smaps_pss_of_shared_pages(void **state)
{
	struct task_struct *t[3];
	char *text, *block;
	unsigned long mapped;

	(void)state;
	boot_machine("ram=256M");
	mapped = proc_counter("/proc/vmstat", "nr_mapped");
	for (int i = 0; i < NR_SHARED; i++) {
		shared_pages[i] = alloc_pages(GFP_KERNEL, 0);
		assert_non_null(shared_pages[i]);
	}
	for (int i = 0; i < 3; i++) {
		t[i] = start_process("prog");
		map_shared();
	}
	/* six pages mapped by three processes: each has 24 kB resident and
	 * a third of it, 8190 bytes, as PSS: 7 kB (1 kB per page would make
	 * 6) */
	text = pid_file(t[0], "smaps");
	block = lines_between(text, "7ffff7ff9000-", "VmFlags:");
	assert_string_equal(
		block,
		"7ffff7ff9000-7ffff7fff000 r--p 00000000 00:00 0                          [shared]\n"
		"Size:                 24 kB\n"
		"KernelPageSize:        4 kB\n"
		"MMUPageSize:           4 kB\n"
		"Rss:                  24 kB\n"
		"Pss:                   7 kB\n"
		"Pss_Dirty:             0 kB\n"
		"Shared_Clean:         24 kB\n"
		"Shared_Dirty:          0 kB\n"
		"Private_Clean:         0 kB\n"
		"Private_Dirty:         0 kB\n"
		"Referenced:           24 kB\n"
		"Anonymous:             0 kB\n" SMAP_ZEROS
		"Locked:                0 kB\n"
		"THPeligible:           0\n"
		"VmFlags: rd mr mw me sd \n");
	free(block);
	free(text);
	/* the rollup adds the stack page: Pss_Anon 4, Pss_File 7 */
	text = pid_file(t[1], "smaps_rollup");
	block = lines_between(text, "Rss:", "Private_Dirty:");
	assert_string_equal(block, "Rss:                  28 kB\n"
				   "Pss:                  11 kB\n"
				   "Pss_Dirty:             4 kB\n"
				   "Pss_Anon:              4 kB\n"
				   "Pss_File:              7 kB\n"
				   "Pss_Shmem:             0 kB\n"
				   "Shared_Clean:         24 kB\n"
				   "Shared_Dirty:          0 kB\n"
				   "Private_Clean:         0 kB\n"
				   "Private_Dirty:         4 kB\n");
	free(block);
	free(text);
	assert_true(proc_contains("/proc/3/status", "RssFile:\t      24 kB\n"));
	expect_file(t[2], "statm", "59 7 6 16 0 37 0\n");
	/* Mapped counts each page once */
	assert_int_equal(proc_counter("/proc/vmstat", "nr_mapped"),
			 mapped + NR_SHARED);
	/* once the others are gone the pages are the last one's own */
	end_process(t[2]);
	end_process(t[1]);
	text = pid_file(t[0], "smaps");
	assert_non_null(strstr(text, "Pss:                  24 kB\n"));
	assert_non_null(strstr(text, "Private_Clean:        24 kB\n"));
	free(text);
	end_process(t[0]);
	assert_int_equal(proc_counter("/proc/vmstat", "nr_mapped"), mapped);
	for (int i = 0; i < NR_SHARED; i++)
		put_page(shared_pages[i]);
}

static void test_smaps_rollup_sums_every_vma(void **state)
{
	struct task_struct *t;
	unsigned long a, b;
	char *text;

	(void)state;
	boot_machine("ram=256M");
	t = start_process("prog");
	a = mmap_anon(64 * PAGE_SIZE, RW, MAP_ANON_PRIVATE);
	b = mmap_anon(4 * MiB, PROT_READ, MAP_ANON_PRIVATE);
	assert_int_equal(user_access(a, NULL, 3 * PAGE_SIZE, true), 0);
	assert_int_equal(user_access(b, NULL, 4 * MiB, false), 0);
	text = pid_file(t, "smaps_rollup");
	assert_string_equal(
		text,
		"00400000-7ffffffff000 ---p 00000000 00:00 0                              [rollup]\n"
		"Rss:                  16 kB\n"
		"Pss:                  16 kB\n"
		"Pss_Dirty:            16 kB\n"
		"Pss_Anon:             16 kB\n"
		"Pss_File:              0 kB\n"
		"Pss_Shmem:             0 kB\n"
		"Shared_Clean:          0 kB\n"
		"Shared_Dirty:          0 kB\n"
		"Private_Clean:         0 kB\n"
		"Private_Dirty:        16 kB\n"
		"Referenced:           16 kB\n"
		"Anonymous:            16 kB\n" SMAP_ZEROS
		"Locked:                0 kB\n");
	free(text);
	end_process(t);
}

static void test_locked_mapping(void **state)
{
	struct task_struct *t;
	unsigned long a, mlocked;
	char *text, *block;

	(void)state;
	boot_machine("ram=256M");
	mlocked = proc_counter("/proc/vmstat", "nr_mlock");
	t = start_process("prog");
	a = mmap_anon(4 * PAGE_SIZE, RW, MAP_ANON_PRIVATE | MAP_LOCKED);
	text = pid_file(t, "smaps");
	block = lines_between(text, "7ffff7ffb000-", "VmFlags:");
	assert_non_null(strstr(block, "Rss:                  16 kB\n"));
	assert_non_null(strstr(block, "Locked:               16 kB\n"));
	assert_non_null(strstr(block, "VmFlags: rd wr mr mw me lo ac sd \n"));
	free(block);
	free(text);
	assert_true(proc_contains("/proc/1/status", "VmLck:\t      16 kB\n"));
	assert_true(proc_contains("/proc/meminfo",
				  "Mlocked:              16 kB\n"));
	assert_int_equal(proc_counter("/proc/vmstat", "nr_mlock"), mlocked + 4);
	(void)a;
	end_process(t);
	assert_int_equal(proc_counter("/proc/vmstat", "nr_mlock"), mlocked);
}

/* ---- meminfo ---------------------------------------------------------------------------- */

static void test_meminfo_anon_pages_and_commit(void **state)
{
	struct task_struct *t;
	unsigned long anon, committed, a;

	(void)state;
	boot_machine("ram=256M");
	anon = meminfo_kb("AnonPages");
	t = start_process("prog");
	committed = meminfo_kb("Committed_AS");
	a = mmap_anon(16 * MiB, RW, MAP_ANON_PRIVATE);
	/* a private writable mapping is committed whole, touched or not */
	assert_int_equal(meminfo_kb("Committed_AS"), committed + 16384);
	assert_int_equal(user_access(a, NULL, 4 * PAGE_SIZE, true), 0);
	/* the four pages and the stack's */
	assert_int_equal(meminfo_kb("AnonPages"), anon + 20);
	assert_int_equal(meminfo_kb("Mapped"), 0);
	/* overcommit_ratio 50 of RAM, no swap */
	assert_int_equal(meminfo_kb("CommitLimit"),
			 M->totalram_pages * 50 / 100 * 4);
	assert_int_equal(sys_munmap(a, 16 * MiB), 0);
	assert_int_equal(meminfo_kb("Committed_AS"), committed);
	end_process(t);
	assert_int_equal(meminfo_kb("AnonPages"), anon);
}

/* ---- paths, kernel threads, zombies ----------------------------------------------------------- */

static int read_errno(const char *path)
{
	struct seq_file m;
	int r;

	seq_init(&m);
	r = proc_read(path, &m);
	seq_release(&m);
	return r;
}

static void test_paths(void **state)
{
	struct task_struct *t;
	char err[128];

	(void)state;
	boot_machine("ram=256M");
	/* swapper runs: /proc/self names nothing */
	assert_int_equal(read_errno("/proc/self/status"), -ENOENT);
	t = start_process("prog");
	assert_true(proc_contains("/proc/self/status", "Name:\tprog\n"));
	assert_true(proc_contains("/proc/self/stat", "1 (prog) R "));
	assert_int_equal(read_errno("/proc/1"), -EISDIR);
	assert_int_equal(read_errno("/proc/self/"), -EISDIR);
	assert_int_equal(read_errno("/proc/2/maps"), -ENOENT);
	assert_int_equal(read_errno("/proc/0/maps"), -ENOENT);
	assert_int_equal(read_errno("/proc/01/maps"), -ENOENT);
	assert_int_equal(read_errno("/proc/1/mapsx"), -ENOENT);
	assert_int_equal(read_errno("/proc/1/maps/x"), -ENOENT);
	assert_int_equal(read_errno("/proc/99999999999/maps"), -ENOENT);
	assert_int_equal(read_errno("/proc/selfish/maps"), -ENOENT);
	assert_int_equal(proc_write("/proc/1/status", "1", err, sizeof(err)),
			 -EACCES);
	assert_int_equal(proc_write("/proc/2/status", "1", err, sizeof(err)),
			 -ENOENT);
	end_process(t);
}

static void test_kernel_thread_and_zombie(void **state)
{
	struct task_struct *t;
	struct mm_struct *mm;
	char *text;

	(void)state;
	boot_machine("ram=256M");
	t = start_process("prog");
	/* as a kernel thread: no maps, no memory lines, zeros */
	t->flags |= PF_KTHREAD;
	expect_file(t, "maps", "");
	expect_file(t, "smaps", "");
	assert_int_equal(read_errno("/proc/1/smaps_rollup"), -ESRCH);
	expect_file(t, "statm", "0 0 0 0 0 0 0\n");
	text = pid_file(t, "status");
	assert_non_null(strstr(text, "Kthread:\t1\nThreads:\t1\n"));
	assert_null(strstr(text, "VmSize"));
	free(text);
	t->flags &= ~PF_KTHREAD;
	/* a zombie: its mm is gone, its state and exit code remain */
	mm = t->mm;
	t->mm = NULL;
	t->exit_state = EXIT_ZOMBIE;
	t->exit_code = SIGSEGV;
	text = pid_file(t, "status");
	assert_non_null(strstr(text, "State:\tZ (zombie)\n"));
	free(text);
	text = pid_file(t, "stat");
	assert_int_equal(strncmp(text, "1 (prog) Z ", 11), 0);
	assert_int_equal(stat_field(text, 23), 0); /* vsize */
	assert_int_equal(stat_field(text, 35), 1); /* wchan: not running */
	assert_int_equal(stat_field(text, 45), 0); /* start_data */
	assert_int_equal(stat_field(text, 52), SIGSEGV);
	free(text);
	expect_file(t, "maps", "");
	t->mm = mm;
	t->exit_state = 0;
	end_process(t);
}

/* ---- clear_refs ----------------------------------------------------------- */

/* The number after the first field (e.g. "VmRSS:") in text. */
static unsigned long field_kb(const char *text, const char *field)
{
	const char *f = strstr(text, field);

	assert_non_null(f);
	return strtoul(f + strlen(field), NULL, 10);
}

/* Field (e.g. "Referenced:") of the smaps block of the VMA at start, in
 * kB. */
static unsigned long smaps_kb(const struct task_struct *t, unsigned long start,
			      const char *field)
{
	char *text = pid_file(t, "smaps"), head[32], *block;
	unsigned long kb;

	snprintf(head, sizeof(head), "%lx-", start);
	block = lines_between(text, head, "VmFlags:");
	kb = field_kb(block, field);
	free(block);
	free(text);
	return kb;
}

static int clear_refs_write(const struct task_struct *t, const char *value)
{
	char path[64], err[128];

	snprintf(path, sizeof(path), "/proc/%d/clear_refs", t->pid);
	return proc_write(path, value, err, sizeof(err));
}

static void test_clear_refs_accessed_bits(void **state)
{
	struct task_struct *t;
	unsigned long a, sh;

	(void)state;
	boot_machine("ram=256M");
	t = start_process("prog");
	a = mmap_anon(PG(16), RW, MAP_ANON_PRIVATE);
	sh = mmap_anon(PG(4), RW, MAP_SHARED | MAP_ANONYMOUS);
	assert_int_equal(user_access(a, NULL, PG(16), true), 0);
	assert_int_equal(user_access(sh, NULL, PG(4), true), 0);
	assert_int_equal(smaps_kb(t, a, "Referenced:"), 64);
	assert_int_equal(smaps_kb(t, sh, "Referenced:"), 16);
	/* 2: anonymous VMAs only (shared anonymous memory has a shmem file) */
	assert_int_equal(clear_refs_write(t, "2"), 0);
	assert_int_equal(smaps_kb(t, a, "Referenced:"), 0);
	assert_int_equal(smaps_kb(t, sh, "Referenced:"), 16);
	assert_false(pte_young(pte_at(a)));
	/* 3: those with a file */
	assert_int_equal(clear_refs_write(t, "3"), 0);
	assert_int_equal(smaps_kb(t, sh, "Referenced:"), 0);
	assert_int_equal(smaps_kb(t, a, "Rss:"), 64);
	/* the TLB was not flushed: its translations are used without
	 * setting the accessed bit, as on x86 */
	assert_int_equal(user_access(a, NULL, PG(4), false), 0);
	assert_int_equal(smaps_kb(t, a, "Referenced:"), 0);
	/* 4 (soft-dirty, which no PTE has here) flushes it: the next
	 * accesses walk the tables and set the bit */
	assert_int_equal(clear_refs_write(t, "4"), 0);
	assert_int_equal(smaps_kb(t, a, "Referenced:"), 0);
	assert_int_equal(user_access(a, NULL, PG(4), false), 0);
	assert_int_equal(smaps_kb(t, a, "Referenced:"), 16);
	assert_true(pte_young(pte_at(a)));
	/* 1: every VMA */
	assert_int_equal(user_access(sh, NULL, 1, false), 0);
	assert_int_equal(clear_refs_write(t, "1"), 0);
	assert_int_equal(smaps_kb(t, a, "Referenced:"), 0);
	assert_int_equal(smaps_kb(t, sh, "Referenced:"), 0);
	end_process(t);
}

static unsigned long status_kb(const char *field)
{
	char *text = proc_text("/proc/self/status");
	unsigned long kb = field_kb(text, field);

	free(text);
	return kb;
}

static void test_clear_refs_hiwater_rss(void **state)
{
	struct task_struct *t;
	unsigned long a, rss;

	(void)state;
	boot_machine("ram=256M");
	t = start_process("prog");
	a = mmap_anon(PG(64), RW, MAP_ANON_PRIVATE);
	assert_int_equal(user_access(a, NULL, PG(64), true), 0);
	assert_int_equal(sys_munmap(a, PG(48)), 0);
	rss = status_kb("VmRSS:");
	assert_int_equal(status_kb("VmHWM:"), rss + 192);
	/* 5: the peak becomes the current RSS; the accessed bits stay */
	assert_int_equal(clear_refs_write(t, "5"), 0);
	assert_int_equal(status_kb("VmHWM:"), rss);
	assert_int_equal(smaps_kb(t, a + PG(48), "Referenced:"), 64);
	end_process(t);
}

static void test_clear_refs_input(void **state)
{
	static const char *const einval[] = { "0",   "6",  "-1",  "",
					      "abc", "1x", "0x1", "1 1" };
	struct task_struct *t;
	unsigned long a;
	char err[128];

	(void)state;
	boot_machine("ram=256M");
	t = start_process("prog");
	/* write-only: root opens it, the read fails */
	assert_int_equal(read_errno("/proc/self/clear_refs"), -EINVAL);
	for (size_t i = 0; i < ARRAY_SIZE(einval); i++)
		assert_int_equal(clear_refs_write(t, einval[i]), -EINVAL);
	assert_int_equal(clear_refs_write(t, "99999999999"), -ERANGE);
	/* kstrtoint(strstrip()): spaces, a newline and a sign are fine */
	assert_int_equal(clear_refs_write(t, " +1\n"), 0);
	/* only the first 12 bytes count (PROC_NUMBUF) */
	assert_int_equal(clear_refs_write(t, "1           x"), 0);
	assert_int_equal(clear_refs_write(t, "1          x"), -EINVAL);
	/* so for oom_score_adj, which also overflows with ERANGE */
	assert_int_equal(proc_write("/proc/self/oom_score_adj", "99999999999",
				    err, sizeof(err)),
			 -ERANGE);
	/* as a kernel thread it has no mm: nothing to do */
	a = mmap_anon(PG(1), RW, MAP_ANON_PRIVATE);
	assert_int_equal(poke(a, 1), 0);
	t->flags |= PF_KTHREAD;
	assert_int_equal(clear_refs_write(t, "1"), 0);
	t->flags &= ~PF_KTHREAD;
	assert_int_equal(smaps_kb(t, a, "Referenced:"), 4);
	end_process(t);
}

static void test_i386_widths(void **state)
{
	struct task_struct *t;
	char *text;

	(void)state;
	boot_machine("ram=512M", "arch=i386");
	t = start_process("prog");
	/* names at column 50 (48 + 1 + 1) on 32-bit; no vsyscall page */
	expect_file(
		t, "maps",
		"00400000-00410000 r-xp 00000000 00:00 0 \n"
		"00410000-00414000 rw-p 00000000 00:00 0 \n"
		"bffdf000-c0000000 rw-p 00000000 00:00 0          [stack]\n");
	text = pid_file(t, "stat");
	assert_int_equal(stat_field(text, 25), 4294967295ULL); /* rsslim */
	free(text);
	text = pid_file(t, "status");
	assert_non_null(strstr(text, "untag_mask:\t0xffffffff\n"));
	assert_null(strstr(text, "x86_Thread_features"));
	assert_non_null(strstr(text, "FDSize:\t32\n"));
	free(text);
	text = pid_file(t, "smaps_rollup");
	assert_int_equal(
		strncmp(text,
			"00400000-c0000000 ---p 00000000 00:00 0          [rollup]\n",
			58),
		0);
	free(text);
	end_process(t);
}

static void test_riscv64(void **state)
{
	struct task_struct *t;
	char *text;

	(void)state;
	boot_machine("ram=512M", "arch=riscv64");
	t = start_process("prog");
	/* Sv39's stack top; no gate VMA */
	expect_file(
		t, "maps",
		"00400000-00410000 r-xp 00000000 00:00 0 \n"
		"00410000-00414000 rw-p 00000000 00:00 0 \n"
		"3ffffdf000-4000000000 rw-p 00000000 00:00 0                              [stack]\n");
	text = pid_file(t, "status");
	assert_non_null(strstr(text,
			       "Speculation_Store_Bypass:\tunknown\n"
			       "SpeculationIndirectBranch:\tunsupported\n"));
	assert_null(strstr(text, "x86_Thread_features"));
	free(text);
	end_process(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_maps_lines_names_and_padding,
					  destroy_current),
		cmocka_unit_test_teardown(test_maps_no_heap_and_prot_none,
					  destroy_current),
		cmocka_unit_test_teardown(test_status_memory_lines,
					  destroy_current),
		cmocka_unit_test_teardown(test_status_whole_file,
					  destroy_current),
		cmocka_unit_test_teardown(test_stat_fields, destroy_current),
		cmocka_unit_test_teardown(test_statm, destroy_current),
		cmocka_unit_test_teardown(test_smaps_private_anonymous,
					  destroy_current),
		cmocka_unit_test_teardown(test_smaps_pss_of_shared_pages,
					  destroy_current),
		cmocka_unit_test_teardown(test_smaps_rollup_sums_every_vma,
					  destroy_current),
		cmocka_unit_test_teardown(test_locked_mapping, destroy_current),
		cmocka_unit_test_teardown(test_meminfo_anon_pages_and_commit,
					  destroy_current),
		cmocka_unit_test_teardown(test_paths, destroy_current),
		cmocka_unit_test_teardown(test_kernel_thread_and_zombie,
					  destroy_current),
		cmocka_unit_test_teardown(test_clear_refs_accessed_bits,
					  destroy_current),
		cmocka_unit_test_teardown(test_clear_refs_hiwater_rss,
					  destroy_current),
		cmocka_unit_test_teardown(test_clear_refs_input,
					  destroy_current),
		cmocka_unit_test_teardown(test_i386_widths, destroy_current),
		cmocka_unit_test_teardown(test_riscv64, destroy_current),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
