/* Swap (mm/swapfile.c, swap_state.c, page_io.c): /proc/swaps exact text
 * and priorities, swapon/swapoff errnos, equal priorities taking turns,
 * MADV_PAGEOUT writing pages out through the disk model and faults
 * reading them back byte for byte (synchronously outside a task body,
 * in D with a major fault inside one), fork sharing swap entries, and
 * every slot and swap-cache page gone when the processes exit. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>

#include <cmocka.h>

#include "helpers.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "kernel/pid.h"
#include "kernel/sched/run.h"
#include "kernel/time/time.h"
#include "mm/swap.h"
#include "mm/vmstat.h"
#include "vm_helpers.h"
#include "workload/access.h"

#define RW (PROT_READ | PROT_WRITE)
#define BASE 0x200000000UL

static unsigned long swap_used_pages(void)
{
	return (unsigned long)(M->total_swap_pages - get_nr_swap_pages());
}

static unsigned long swapcached(void)
{
	return global_node_page_state(NR_SWAPCACHE);
}

/* Lets the disk finish (virtual time passes), then p is current again. */
static void settle(struct task_struct *p)
{
	sched_run_for(NSEC_PER_SEC / 10);
	if (p) /* a process without a body waits as in pause() */
		wake_up_process(p);
	set_current_task(p);
}

/* Reclaim as a GFP_NOIO allocation would (no new swap I/O), until the
 * swap cache is empty: pages whose writeback ended are dropped, their
 * slots keeping the data. */
static void drop_swap_cache(void)
{
	while (swapcached() && try_to_free_pages(GFP_NOIO, 0, 0, ZONE_NORMAL))
		;
	assert_int_equal(swapcached(), 0);
}

/* Fills pages with a pattern of seed through the MMU. */
static void fill(unsigned long base, unsigned long pages, unsigned seed)
{
	static uint32_t buf[PAGE_SIZE / 4];

	for (unsigned long p = 0; p < pages; p++) {
		for (size_t i = 0; i < ARRAY_SIZE(buf); i++)
			buf[i] =
				(uint32_t)(seed * 2654435761u + p * 40503u + i);
		assert_int_equal(
			user_access(base + PG(p), buf, PAGE_SIZE, true), 0);
	}
}

static bool check(unsigned long base, unsigned long pages, unsigned seed)
{
	static uint32_t buf[PAGE_SIZE / 4];

	for (unsigned long p = 0; p < pages; p++) {
		assert_int_equal(
			user_access(base + PG(p), buf, PAGE_SIZE, false), 0);
		for (size_t i = 0; i < ARRAY_SIZE(buf); i++)
			if (buf[i] !=
			    (uint32_t)(seed * 2654435761u + p * 40503u + i))
				return false;
	}
	return true;
}

/* Pages of [base, base + pages) that mincore() says are resident. */
static unsigned long resident(unsigned long base, unsigned long pages)
{
	static unsigned char vec[1024];
	unsigned long vecp = 0x7f0000000000UL, n = 0;

	assert_true(pages <= sizeof(vec));
	if (!find_vma(current->mm, vecp) ||
	    find_vma(current->mm, vecp)->vm_start > vecp)
		map_fixed(vecp, 1, RW, MAP_PRIVATE);
	assert_int_equal(sys_mincore(base, PG(pages), vecp), 0);
	assert_int_equal(user_access(vecp, vec, pages, false), 0);
	for (unsigned long i = 0; i < pages; i++)
		n += vec[i] & 1;
	return n;
}

/* ---- areas -------------------------------------------------------------- */

static void test_proc_swaps_and_priorities(void **state)
{
	char path[64];
	struct machine *m;
	const char *dev;
	char err[128];
	char *text;

	(void)state;
	snprintf(path, sizeof(path), "/tmp/mmsim-swap-%d.img", (int)getpid());
	m = boot_machine("ram=128M", "swap=64M", "swap=32M:hdd");
	assert_int_equal(mkswap(16 << 20, NULL, path, &dev, err, sizeof(err)),
			 0);
	assert_string_equal(dev, path);
	assert_int_equal(sys_swapon(dev, SWAP_FLAG_PREFER | 5), 0);
	text = proc_text("/proc/swaps");
	char want[512];
	snprintf(
		want, sizeof(want),
		"Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n"
		"/dev/nvme1n1                            partition\t65532\t\t0\t\t-2\n"
		"/dev/sda                                partition\t32764\t\t0\t\t-3\n"
		"%s%*sfile\t\t16380\t\t0\t\t5\n",
		path, (int)(40 - strlen(path)), " ");
	assert_string_equal(text, want);
	free(text);
	assert_true(log_contains(
		"Adding 65532k swap on /dev/nvme1n1.  Priority:-2 extents:1 across:65532k SS"));
	assert_true(log_contains(
		"Adding 32764k swap on /dev/sda.  Priority:-3 extents:1 across:32764k \n"));
	assert_int_equal(meminfo_kb("SwapTotal"), 65532 + 32764 + 16380);
	assert_int_equal(meminfo_kb("SwapFree"), 65532 + 32764 + 16380);
	/* errnos */
	assert_int_equal(sys_swapon(dev, 0), -EBUSY);
	assert_int_equal(sys_swapon("/dev/nvme0n1", 0),
			 -EINVAL); /* no mkswap */
	assert_int_equal(sys_swapon("/dev/nope", 0), -ENOENT);
	assert_int_equal(sys_swapon(dev, 0x100000), -EINVAL);
	assert_int_equal(sys_swapoff("/dev/nvme0n1"), -EINVAL);
	/* the highest priority is used first */
	swp_entry_t e = get_swap_page();
	assert_int_equal(swp_type(e), 2);
	put_swap_page(e);
	assert_int_equal(sys_swapoff(dev), 0);
	assert_int_equal(meminfo_kb("SwapTotal"), 65532 + 32764);
	/* it may come back, at the next default priority */
	assert_int_equal(sys_swapon(dev, 0), 0);
	assert_true(proc_contains("/proc/swaps", "file\t\t16380\t\t0\t\t-4\n"));
	/* the ones below a default priority that goes move up */
	assert_int_equal(sys_swapoff("/dev/nvme1n1"), 0);
	assert_true(proc_contains(
		"/proc/swaps",
		"/dev/sda                                partition\t32764\t\t0\t\t-2\n"));
	assert_true(proc_contains("/proc/swaps", "file\t\t16380\t\t0\t\t-3\n"));
	assert_int_equal(sys_swapon("/dev/nvme1n1", 0), 0);
	assert_true(proc_contains(
		"/proc/swaps",
		"/dev/nvme1n1                            partition\t65532\t\t0\t\t-4\n"));
	machine_destroy(m);
	unlink(path);
}

static void test_equal_priorities_take_turns(void **state)
{
	struct machine *m = boot_machine("ram=128M");
	const char *a, *b;
	char err[128];
	swp_entry_t e[8];

	(void)state;
	assert_int_equal(mkswap(4 << 20, "ssd", NULL, &a, err, sizeof(err)), 0);
	assert_int_equal(mkswap(4 << 20, "ssd", NULL, &b, err, sizeof(err)), 0);
	assert_int_equal(sys_swapon(a, SWAP_FLAG_PREFER | 10), 0);
	assert_int_equal(sys_swapon(b, SWAP_FLAG_PREFER | 10), 0);
	for (int i = 0; i < 8; i++) {
		e[i] = get_swap_page();
		assert_int_equal(swp_type(e[i]), i % 2);
	}
	/* each area hands out its cluster in order (slot 0 is the header) */
	assert_int_equal(swp_offset(e[0]), SWAPFILE_CLUSTER);
	assert_int_equal(swp_offset(e[2]), SWAPFILE_CLUSTER + 1);
	assert_int_equal(swap_used_pages(), 8);
	for (int i = 0; i < 8; i++)
		put_swap_page(e[i]);
	assert_int_equal(swap_used_pages(), 0);
	machine_destroy(m);
}

static void test_bad_swap_options_are_named(void **state)
{
	struct machine_config cfg;
	char err[256];

	(void)state;
	machine_config_default(&cfg);
	assert_false(
		machine_config_set(&cfg, "swap", "lots", err, sizeof(err)));
	assert_non_null(strstr(err, "--swap lots"));
	assert_false(machine_config_set(&cfg, "swap", "4K", err, sizeof(err)));
	assert_non_null(strstr(err, "out of range"));
	assert_false(machine_config_set(&cfg, "swap", "1M:", err, sizeof(err)));
	assert_non_null(strstr(err, "empty FILE"));
	assert_false(
		machine_config_set(&cfg, "swap", "1M::", err, sizeof(err)));
	assert_non_null(strstr(err, "--swap 1M::: empty disk type"));
	assert_true(
		machine_config_set(&cfg, "swap", "1M:ssd", err, sizeof(err)));
}

/* ---- out and in ---------------------------------------------------------------- */

static void test_pageout_and_fault_back_byte_for_byte(void **state)
{
	enum { N = 64 };
	struct machine *m = boot_machine("ram=128M", "swap=16M");
	struct task_struct *p = start_process("swapper");
	unsigned long out0 = vmstat_counter("pswpout"), in0, anon0;

	(void)state;
	map_fixed(BASE, N, RW, MAP_PRIVATE);
	assert_int_equal(resident(BASE, N), 0); /* maps mincore's buffer */
	anon0 = get_mm_counter(p->mm, MM_ANONPAGES);
	fill(BASE, N, 7);
	assert_int_equal(sys_madvise(BASE, PG(N), MADV_PAGEOUT), 0);
	assert_int_equal(vmstat_counter("pswpout") - out0, N);
	assert_int_equal(swap_used_pages(), N);
	assert_int_equal(get_mm_counter(p->mm, MM_SWAPENTS), N);
	assert_int_equal(get_mm_counter(p->mm, MM_ANONPAGES), anon0);
	assert_true(proc_contains("/proc/self/status", "VmSwap:\t     256 kB"));
	assert_int_equal(meminfo_kb("Writeback"), N * 4);
	/* the writes end in virtual time */
	settle(p);
	assert_int_equal(meminfo_kb("Writeback"), 0);
	assert_int_equal(swapcached(), N);
	/* reclaim frees the clean swap-cache pages */
	drop_swap_cache();
	assert_int_equal(resident(BASE, N), 0);
	/* WILLNEED reads the first half back into the swap cache */
	assert_int_equal(sys_madvise(BASE, PG(N / 2), MADV_WILLNEED), 0);
	assert_int_equal(swapcached(), N / 2);
	assert_int_equal(resident(BASE, N), N / 2);
	in0 = vmstat_counter("pswpin");
	assert_true(check(BASE, N, 7));
	assert_true(vmstat_counter("pswpin") - in0 >= 1);
	assert_int_equal(get_mm_counter(p->mm, MM_SWAPENTS), 0);
	assert_int_equal(get_mm_counter(p->mm, MM_ANONPAGES), anon0 + N);
	if (check_mm_invariants(p->mm))
		fprintf(stderr, "%s", log_text());
	assert_int_equal(check_mm_invariants(p->mm), 0);
	end_process(p);
	settle(NULL);
	assert_int_equal(swap_used_pages(), 0);
	assert_int_equal(swapcached(), 0);
	machine_destroy(m);
}

/* ---- readahead ------------------------------------------------------------ */

/* N pages at BASE written, swapped out and out of the swap cache. */
static struct task_struct *swapped_out(unsigned long n)
{
	struct task_struct *p = start_process("ra");

	map_fixed(BASE, n, RW, MAP_PRIVATE);
	fill(BASE, n, 5);
	assert_int_equal(sys_madvise(BASE, PG(n), MADV_PAGEOUT), 0);
	settle(p);
	drop_swap_cache();
	return p;
}

/* Pages read from swap by a read of page i of BASE. */
static unsigned long touch_page(unsigned long i)
{
	unsigned long in0 = vmstat_counter("pswpin");
	uint32_t w;

	assert_int_equal(user_access(BASE + PG(i), &w, sizeof(w), false), 0);
	return vmstat_counter("pswpin") - in0;
}

/* On SSD swap the window follows the faults' addresses: it grows on
 * readahead hits (hits + 2 rounded up to a power of two from 4, at most
 * 2^page-cluster), stays inside the VMA, and halves at most per fault
 * when the hits stop. */
static void test_vma_readahead_window(void **state)
{
	/* faulting pages of a sequential read and what each reads */
	static const unsigned long at[] = { 0, 1, 3, 7, 15, 23, 31, 39, 47 };
	static const unsigned long got[] = { 1, 2, 4, 8, 8, 8, 8, 8, 8 };
	struct machine *m = boot_machine("ram=128M", "swap=16M:ssd");
	struct task_struct *p = swapped_out(128);
	unsigned long ra0 = vmstat_counter("swap_ra");
	unsigned long hit0 = vmstat_counter("swap_ra_hit"), k = 0;

	(void)state;
	assert_true(
		proc_contains("/sys/kernel/mm/swap/vma_ra_enabled", "true"));
	for (unsigned long i = 0; i < 55; i++) {
		unsigned long n = touch_page(i);

		if (k < ARRAY_SIZE(at) && i == at[k])
			assert_int_equal(n, got[k++]);
		else
			assert_int_equal(n, 0); /* a readahead hit */
	}
	assert_int_equal(k, ARRAY_SIZE(at));
	assert_int_equal(vmstat_counter("swap_ra") - ra0, 55 - 9);
	assert_int_equal(vmstat_counter("swap_ra_hit") - hit0, 55 - 9);
	/* 7 hits: a window of 8 centred on 124, cut at the VMA's end */
	assert_int_equal(touch_page(124), 7);
	/* no hits since: 1 page, but not below half the last window */
	assert_int_equal(touch_page(80), 4);
	assert_int_equal(touch_page(100), 2);
	assert_int_equal(touch_page(110), 1);
	assert_int_equal(touch_page(112), 1);
	assert_true(check(BASE, 128, 5));
	end_process(p);
	machine_destroy(m);
}

/* Cluster readahead from page k of p's 64, whose slot starts an aligned
 * block of 8: 1 page, then 2-slot blocks for adjacent faults (the
 * fault's slot already cached is not read again), hits growing the
 * block to 4 and 8 slots. */
static void cluster_sequence(void)
{
	static const unsigned long got[] = { 1, 1, 2, 0, 4, 0, 0, 0, 8 };
	swp_entry_t e0 = pte_to_swp_entry(pte_at(BASE));
	unsigned long k = (8 - swp_offset(e0) % 8) % 8;

	/* the slots follow the addresses (one cluster, in order) */
	for (unsigned long i = 0; i < 64; i++)
		assert_int_equal(
			swp_offset(pte_to_swp_entry(pte_at(BASE + PG(i)))),
			swp_offset(e0) + i);
	for (unsigned long i = 0; i < ARRAY_SIZE(got); i++)
		assert_int_equal(touch_page(k + i), got[i]);
	assert_true(check(BASE, 64, 5));
}

/* Switched off (/sys/kernel/mm/swap/vma_ra_enabled), or with a swap
 * area on a rotating disk, readahead goes by slot (cluster readahead). */
static void test_cluster_readahead(void **state)
{
	struct machine *m = boot_machine("ram=128M", "swap=16M:ssd");
	struct task_struct *p = swapped_out(64);
	char err[128];

	(void)state;
	assert_int_equal(proc_write("/sys/kernel/mm/swap/vma_ra_enabled",
				    "maybe", err, sizeof(err)),
			 -EINVAL);
	assert_non_null(strstr(err, "expected true or false"));
	assert_int_equal(proc_write("/sys/kernel/mm/swap/vma_ra_enabled", "off",
				    err, sizeof(err)),
			 0);
	assert_true(
		proc_contains("/sys/kernel/mm/swap/vma_ra_enabled", "false"));
	cluster_sequence();
	end_process(p);
	machine_destroy(m);

	m = boot_machine("ram=128M", "swap=16M:hdd");
	p = swapped_out(64);
	assert_true(
		proc_contains("/sys/kernel/mm/swap/vma_ra_enabled", "true"));
	cluster_sequence();
	end_process(p);
	machine_destroy(m);
}

/* Faults far apart read one page each, whichever way readahead goes. */
static void test_random_faults_read_one_page(void **state)
{
	static const unsigned long order[] = { 40, 9, 27, 2, 51, 18, 33, 60 };
	const char *swap[] = { "swap=16M:ssd", "swap=16M:hdd" };

	(void)state;
	for (int d = 0; d < 2; d++) {
		struct machine *m = boot_machine("ram=128M", swap[d]);
		struct task_struct *p = swapped_out(64);
		unsigned long ra0 = vmstat_counter("swap_ra");

		for (size_t i = 0; i < ARRAY_SIZE(order); i++)
			assert_int_equal(touch_page(order[i]), 1);
		assert_int_equal(vmstat_counter("swap_ra"), ra0);
		end_process(p);
		machine_destroy(m);
	}
}

static void test_fork_shares_swap_entries(void **state)
{
	enum { N = 16 };
	struct machine *m = boot_machine("ram=128M", "swap=16M");
	struct task_struct *p = start_process("parent"), *c;
	long pid;

	(void)state;
	map_fixed(BASE, N, RW, MAP_PRIVATE);
	fill(BASE, N, 3);
	assert_int_equal(sys_madvise(BASE, PG(N), MADV_PAGEOUT), 0);
	settle(p);
	pid = sys_fork();
	assert_true(pid > 0);
	c = find_task_by_vpid((pid_t)pid);
	assert_int_equal(get_mm_counter(c->mm, MM_SWAPENTS), N);
	/* each slot is shared by two PTEs: half of it is the parent's */
	assert_int_equal(proc_counter("/proc/self/smaps_rollup", "Swap:"),
			 N * 4);
	assert_int_equal(proc_counter("/proc/self/smaps_rollup", "SwapPss:"),
			 N * 2);
	/* the checker agrees with the slot counts, and sees a wrong one */
	assert_int_equal(check_mm_invariants(NULL), 0);
	{
		pte_t pte = pte_at(BASE);
		swp_entry_t e = pte_to_swp_entry(pte);
		unsigned char *c = &swp_swap_info(e)->swap_map[swp_offset(e)];

		assert_true(is_swap_pte(pte));
		assert_int_equal(*c & ~SWAP_HAS_CACHE, 2);
		(*c)++;
		assert_int_equal(check_mm_invariants(NULL), 1);
		assert_true(log_contains(
			"has count 3+cache, 2 PTEs and a page in the swap cache"));
		(*c)--;
	}
	/* the child writes its own copy; the parent keeps the old bytes */
	set_current_task(c);
	assert_true(check(BASE, N, 3));
	fill(BASE, N, 4);
	set_current_task(p);
	assert_true(check(BASE, N, 3));
	set_current_task(c);
	assert_true(check(BASE, N, 4));
	assert_int_equal(check_mm_invariants(NULL), 0);
	set_current_task(NULL);
	release_task(c);
	end_process(p);
	assert_int_equal(swap_used_pages(), 0);
	assert_int_equal(swapcached(), 0);
	machine_destroy(m);
}

/* MADV_FREE and munmap let go of swapped pages' slots; the freed range
 * reads zeros. */
static void test_free_and_unmap_release_slots(void **state)
{
	enum { N = 32 };
	struct machine *m = boot_machine("ram=128M", "swap=8M");
	struct task_struct *p = start_process("freer");
	char c = 1;

	(void)state;
	map_fixed(BASE, 2 * N, RW, MAP_PRIVATE);
	fill(BASE, 2 * N, 21);
	assert_int_equal(sys_madvise(BASE, PG(2 * N), MADV_PAGEOUT), 0);
	settle(p);
	assert_int_equal(swap_used_pages(), 2 * N);
	assert_int_equal(sys_madvise(BASE, PG(N), MADV_FREE), 0);
	assert_int_equal(swap_used_pages(), N);
	assert_int_equal(get_mm_counter(p->mm, MM_SWAPENTS), N);
	assert_int_equal(peek(BASE + PG(3) + 5, &c), 0);
	assert_int_equal(c, 0);
	assert_int_equal(sys_munmap(BASE + PG(N), PG(N)), 0);
	assert_int_equal(swap_used_pages(), 0);
	assert_int_equal(swapcached(), 0);
	assert_int_equal(get_mm_counter(p->mm, MM_SWAPENTS), 0);
	assert_int_equal(check_mm_invariants(NULL), 0);
	end_process(p);
	machine_destroy(m);
}

static void test_swapoff_brings_pages_back(void **state)
{
	enum { N = 40 };
	struct machine *m = boot_machine("ram=128M", "swap=8M");
	struct task_struct *p = start_process("swapoff");

	(void)state;
	map_fixed(BASE, N, RW, MAP_PRIVATE);
	fill(BASE, N, 11);
	assert_int_equal(sys_madvise(BASE, PG(N), MADV_PAGEOUT), 0);
	settle(p);
	drop_swap_cache();
	assert_int_equal(swap_used_pages(), N);
	assert_int_equal(sys_swapoff("/dev/nvme1n1"), 0);
	assert_int_equal(M->total_swap_pages, 0);
	assert_int_equal(get_nr_swap_pages(), 0);
	assert_int_equal(get_mm_counter(p->mm, MM_SWAPENTS), 0);
	assert_int_equal(swapcached(), 0);
	assert_true(check(BASE, N, 11));
	assert_int_equal(check_mm_invariants(p->mm), 0);
	assert_int_equal(sys_swapoff("/dev/nvme1n1"), -EINVAL);
	end_process(p);
	machine_destroy(m);
}

static void test_swapoff_fails_cleanly_without_room(void **state)
{
	enum { N = 10240, H = 15360 }; /* 40M swapped, 60M taken */
	struct machine *m = boot_machine("ram=128M", "swap=128M");
	struct task_struct *p = start_process("swapoff");
	unsigned long hog = BASE + PG(2 * N);
	char *before;

	(void)state;
	map_fixed(BASE, N, RW, MAP_PRIVATE);
	fill(BASE, N, 13);
	assert_int_equal(sys_madvise(BASE, PG(N), MADV_PAGEOUT), 0);
	settle(p);
	drop_swap_cache();
	/* the memory the swapped pages would need is taken */
	map_fixed(hog, H, RW, MAP_PRIVATE);
	fill(hog, H, 14);
	before = proc_text("/proc/swaps");
	assert_int_equal(sys_swapoff("/dev/nvme1n1"), -ENOMEM);
	assert_true(proc_contains("/proc/swaps", before));
	assert_int_equal(meminfo_kb("SwapTotal"), 131068);
	assert_int_equal(swap_used_pages(), N);
	assert_int_equal(get_mm_counter(p->mm, MM_SWAPENTS), N);
	/* with room again it brings everything back */
	assert_int_equal(sys_munmap(hog, PG(H)), 0);
	assert_int_equal(sys_swapoff("/dev/nvme1n1"), 0);
	assert_int_equal(get_mm_counter(p->mm, MM_SWAPENTS), 0);
	assert_true(check(BASE, N, 13));
	free(before);
	end_process(p);
	machine_destroy(m);
}

/* ---- in a task body: D state and a major fault ---------------------------- */

struct reader {
	bool armed; /* t is set up: go */
	struct touch_state t;
	enum touch_result last;
	int blocked;
	unsigned state_when_blocked;
};

static int reader_body(struct task_struct *p, void *arg)
{
	struct reader *r = arg;

	(void)p;
	if (!r->armed) {
		set_current_state(TASK_INTERRUPTIBLE);
		schedule();
		return TASK_BODY_RUN;
	}
	r->last = touch_run(&r->t, 1000000);
	if (r->last == TOUCH_BLOCKED) {
		r->blocked++;
		r->state_when_blocked = current->__state;
		return TASK_BODY_RUN;
	}
	return r->last == TOUCH_MORE ? TASK_BODY_RUN : TASK_BODY_EXIT;
}

static void test_swapin_sleeps_in_d_and_counts_major(void **state)
{
	enum { N = 8 };
	struct machine *m =
		boot_machine("ram=128M", "swap=16M:hdd", "vm.page-cluster=0");
	struct reader r = { 0 };
	struct task_struct *t;
	char err[128];

	(void)state;
	t = start_task("reader", reader_body, &r);
	set_current_task(t);
	map_fixed(BASE, N, RW, MAP_PRIVATE);
	fill(BASE, N, 5);
	assert_int_equal(sys_madvise(BASE, PG(N), MADV_PAGEOUT), 0);
	settle(t);
	drop_swap_cache();
	assert_int_equal(touch_init(&r.t,
				    &(struct touch_args){ .addr = BASE,
							  .length = PG(N) },
				    err, sizeof(err)),
			 0);
	unsigned long maj0 = t->maj_flt, pgmaj0 = vmstat_counter("pgmajfault");
	r.armed = true;
	set_current_task(NULL);
	wake_up_process(t);
	sched_run_for(NSEC_PER_SEC);
	assert_int_equal(r.last, TOUCH_DONE);
	assert_int_equal(r.blocked, N);
	assert_int_equal(r.state_when_blocked, TASK_UNINTERRUPTIBLE);
	assert_int_equal(t->maj_flt - maj0, N);
	assert_int_equal(vmstat_counter("pgmajfault") - pgmaj0, N);
	/* each word read back is the pattern written */
	assert_int_equal(r.t.done, N);
	uint64_t sum = 0;
	for (unsigned long pg = 0; pg < N; pg++)
		sum += (uint64_t)(uint32_t)(5 * 2654435761u + pg * 40503u) |
		       (uint64_t)(uint32_t)(5 * 2654435761u + pg * 40503u + 1)
			       << 32;
	assert_int_equal(r.t.sum, sum);
	put_task_struct(t);
	machine_destroy(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_proc_swaps_and_priorities),
		cmocka_unit_test(test_equal_priorities_take_turns),
		cmocka_unit_test(test_bad_swap_options_are_named),
		cmocka_unit_test(test_pageout_and_fault_back_byte_for_byte),
		cmocka_unit_test(test_fork_shares_swap_entries),
		cmocka_unit_test(test_vma_readahead_window),
		cmocka_unit_test(test_cluster_readahead),
		cmocka_unit_test(test_random_faults_read_one_page),
		cmocka_unit_test(test_free_and_unmap_release_slots),
		cmocka_unit_test(test_swapoff_brings_pages_back),
		cmocka_unit_test(test_swapoff_fails_cleanly_without_room),
		cmocka_unit_test(test_swapin_sleeps_in_d_and_counts_major),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
