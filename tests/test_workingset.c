/* Workingset detection (mm/workingset.c) and memory pressure: pages
 * evicted from the swap cache leave shadow entries (counted, and in
 * workingset_nodes by 64-slot node); a refault within the workingset
 * size is activated at once and counted, one just beyond it is not; a
 * page that was in the workingset is restored; shadows go with their
 * slots; loops that together exceed RAM stall on memory in
 * /proc/pressure/memory while loops that fit show no pressure. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>

#include <cmocka.h>

#include "helpers.h"

#include <stdio.h>
#include <stdlib.h>

#include "kernel/sched/run.h"
#include "kernel/time/time.h"
#include "mm/internal.h"
#include "mm/slab.h"
#include "mm/swap.h"
#include "mm/vmstat.h"
#include "vm_helpers.h"
#include "workload/access.h"

#define RW (PROT_READ | PROT_WRITE)
#define ACTIVE 0x200000000UL /* pages made active: the workingset */
#define FILLER 0x300000000UL /* inactive pages, so none is deactivated */
#define VICTIM 0x400000000UL /* the page evicted and refaulted */
#define OTHERS 0x500000000UL /* pages evicted after it */
#define NR_ACTIVE 16

static unsigned long swapcached(void)
{
	return global_node_page_state(NR_SWAPCACHE);
}

static unsigned long swap_used_pages(void)
{
	return (unsigned long)(M->total_swap_pages - get_nr_swap_pages());
}

static struct page *page_at(unsigned long a)
{
	pte_t pte = pte_at(a);

	assert_true(pte_present(pte));
	return pfn_to_page(pte_pfn(pte));
}

static void fill(unsigned long base, unsigned long pages)
{
	for (unsigned long p = 0; p < pages; p++)
		assert_int_equal(poke(base + PG(p), (char)(p + 1)), 0);
}

/* The disk finishes (virtual time passes), then p is current again. */
static void settle(struct task_struct *p)
{
	sched_run_for(NSEC_PER_SEC / 10);
	wake_up_process(p);
	set_current_task(p);
}

/* pages at base go out to swap and leave the swap cache (evicted by
 * reclaim, not only written), in that order as a group. */
static void evict(struct task_struct *p, unsigned long base,
		  unsigned long pages)
{
	assert_int_equal(sys_madvise(base, PG(pages), MADV_PAGEOUT), 0);
	settle(p);
	/* GFP_NOIO reclaim starts no I/O: it only drops the written pages */
	while (swapcached() && try_to_free_pages(GFP_NOIO, 0, 0, ZONE_NORMAL))
		;
	assert_int_equal(swapcached(), 0);
}

/* A process with NR_ACTIVE active pages (accessed twice), 256 inactive
 * ones and VICTIM mapped; no readahead, so a fault reads one page. */
static struct task_struct *setup(void)
{
	struct task_struct *p = start_process("ws");

	M->page_cluster = 0;
	map_fixed(ACTIVE, NR_ACTIVE, RW, MAP_PRIVATE);
	map_fixed(FILLER, 256, RW, MAP_PRIVATE);
	map_fixed(VICTIM, 1, RW, MAP_PRIVATE);
	map_fixed(OTHERS, 96, RW, MAP_PRIVATE);
	fill(ACTIVE, NR_ACTIVE);
	fill(FILLER, 256);
	fill(VICTIM, 1);
	fill(OTHERS, 96);
	for (int i = 0; i < NR_ACTIVE; i++) {
		mark_page_accessed(page_at(ACTIVE + PG(i)));
		mark_page_accessed(page_at(ACTIVE + PG(i)));
	}
	assert_int_equal(global_node_page_state(NR_ACTIVE_ANON), NR_ACTIVE);
	return p;
}

/* VICTIM is evicted, then others pages after it: its refault distance
 * is others + 1 against a workingset of NR_ACTIVE active anon pages
 * (no file pages). Returns whether the refault activated it. */
static bool refault_after(unsigned long others, bool workingset)
{
	struct machine *m = boot_machine("ram=128M", "swap=16M");
	struct task_struct *p = setup();
	unsigned long refault0 = vmstat_counter("workingset_refault_anon");
	struct page *page;
	bool active;
	char c;

	if (workingset) /* as shrink_active_list() leaves a page */
		page_at(VICTIM)->flags |= 1UL << PG_workingset;
	evict(p, VICTIM, 1);
	assert_int_equal(M->swap->nr_shadows, 1);
	if (others)
		evict(p, OTHERS, others);
	assert_int_equal(M->swap->nr_shadows, 1 + others);
	assert_int_equal(check_mm_invariants(NULL), 0);
	/* the refault: read back synchronously outside a task body */
	assert_int_equal(peek(VICTIM, &c), 0);
	assert_int_equal(c, 1);
	assert_int_equal(vmstat_counter("workingset_refault_anon") - refault0,
			 1);
	assert_int_equal(M->swap->nr_shadows, others);
	page = page_at(VICTIM);
	active = test_bit_flag(page, PG_active);
	assert_int_equal(vmstat_counter("workingset_activate_anon"), active);
	assert_int_equal(global_node_page_state(NR_ACTIVE_ANON),
			 NR_ACTIVE + active);
	assert_int_equal(vmstat_counter("workingset_restore_anon"),
			 active && workingset);
	assert_int_equal(test_bit_flag(page, PG_workingset),
			 active && workingset);
	assert_int_equal(check_mm_invariants(NULL), 0);
	/* every slot goes with the process, and every shadow with it */
	end_process(p);
	sched_run_for(NSEC_PER_SEC / 10);
	assert_int_equal(swap_used_pages(), 0);
	assert_int_equal(M->swap->nr_shadows, 0);
	assert_int_equal(global_node_page_state(WORKINGSET_NODES), 0);
	machine_destroy(m);
	return active;
}

static void test_refault_within_workingset_is_activated(void **state)
{
	(void)state;
	/* distance 16 <= 16 active pages */
	assert_true(refault_after(NR_ACTIVE - 1, false));
	/* at once, without others evicted between: distance 1 */
	assert_true(refault_after(0, false));
}

static void test_refault_beyond_workingset_is_not(void **state)
{
	(void)state;
	/* distance 17 > 16 */
	assert_false(refault_after(NR_ACTIVE, false));
	assert_false(refault_after(64, true));
}

static void test_workingset_page_is_restored(void **state)
{
	(void)state;
	assert_true(refault_after(NR_ACTIVE - 1, true));
}

/* workingset_nodes counts the 64-slot nodes of the swap cache holding
 * shadows and no page; a page read back into a node takes it off. */
static void test_workingset_nodes_and_slot_free(void **state)
{
	struct machine *m = boot_machine("ram=128M", "swap=16M");
	struct task_struct *p = setup();
	unsigned long nodes = 0, last = ~0UL;
	char c;

	(void)state;
	evict(p, OTHERS, 96);
	assert_int_equal(M->swap->nr_shadows, 96);
	for (int i = 0; i < 96; i++) {
		unsigned long off =
			swp_offset(pte_to_swp_entry(pte_at(OTHERS + PG(i))));

		/* slots are taken in order from a free cluster: 256.. */
		assert_int_equal(off, SWAPFILE_CLUSTER + i);
		if (off / XA_CHUNK_SIZE != last)
			nodes++;
		last = off / XA_CHUNK_SIZE;
	}
	assert_int_equal(nodes, 2); /* 256..319 and 320..351 */
	assert_int_equal(global_node_page_state(WORKINGSET_NODES), 2);
	assert_true(proc_contains("/proc/vmstat", "\nworkingset_nodes 2\n"));
	/* the last page's node holds its page again */
	assert_int_equal(peek(OTHERS + PG(95), &c), 0);
	assert_int_equal(M->swap->nr_shadows, 95);
	assert_int_equal(global_node_page_state(WORKINGSET_NODES), 1);
	assert_int_equal(check_mm_invariants(NULL), 0);
	/* munmap frees the first node's slots and their shadows */
	assert_int_equal(sys_munmap(OTHERS, PG(64)), 0);
	assert_int_equal(M->swap->nr_shadows, 31);
	assert_int_equal(global_node_page_state(WORKINGSET_NODES), 0);
	assert_int_equal(check_mm_invariants(NULL), 0);
	end_process(p);
	sched_run_for(NSEC_PER_SEC / 10);
	assert_int_equal(M->swap->nr_shadows, 0);
	assert_int_equal(global_node_page_state(WORKINGSET_NODES), 0);
	machine_destroy(m);
}

/* ---- pressure ------------------------------------------------------------ */

/* total= of the "some" or "full" line of /proc/pressure/RES (us). */
/* Shadow-only nodes beyond one per 8 pages of memory (Linux's
 * count_shadow_nodes: ~1.8% of memory in nodes) are freed by the
 * shrinker, oldest first, their shadows with them, and counted in
 * workingset_nodereclaim; vm.drop_caches = 2 runs the shrinkers. */
static void test_shadow_nodes_are_shrunk(void **state)
{
	enum { BATCH = 4096 };
	struct machine *m = boot_machine("ram=64M", "swap=1G");
	struct task_struct *p = start_process("evictor");
	unsigned long present = 0, max_nodes, total, nodes, left;
	swp_entry_t first, last;
	char err[128];
	size_t mark;
	struct swap_info_struct *si;

	(void)state;
	for (int nid = 0; nid < M->nr_nodes; nid++)
		present += NODE_DATA(nid)->node_present_pages;
	max_nodes = present >> (XA_CHUNK_SHIFT - 3);
	total = (max_nodes + 64) * XA_CHUNK_SIZE;
	total += BATCH - total % BATCH;
	map_fixed(OTHERS, total, RW, MAP_PRIVATE | MAP_NORESERVE);
	for (unsigned long done = 0; done < total; done += BATCH) {
		fill(OTHERS + PG(done), BATCH);
		evict(p, OTHERS + PG(done), BATCH);
	}
	nodes = global_node_page_state(WORKINGSET_NODES);
	assert_true(nodes > max_nodes + 60);
	assert_int_equal(vmstat_counter("workingset_nodereclaim"), 0);
	/* echo 2 > /proc/sys/vm/drop_caches: drop_slab() asks the
	 * shrinkers until a pass frees (nearly) nothing */
	mark = log_mark();
	assert_int_equal(proc_write("/proc/sys/vm/drop_caches", "2", err,
				    sizeof(err)),
			 0);
	snprintf(err, sizeof(err), "] evictor (%d): drop_caches: 2\n", p->pid);
	assert_true(log_contains_since(mark, err));
	assert_int_equal(vmstat_counter("drop_slab"), 1);
	assert_int_equal(vmstat_counter("drop_pagecache"), 0);
	/* an excess this small is only deferred by one pass (delta is half
	 * of it, below a batch): reclaim's repeated calls trim it */
	assert_int_equal(global_node_page_state(WORKINGSET_NODES), nodes);
	for (int i = 0; i < 64; i++)
		shrink_slab(GFP_KERNEL, 0, 0);
	left = global_node_page_state(WORKINGSET_NODES);
	assert_true(left <= max_nodes && left + 2 * 64 >= max_nodes);
	assert_int_equal(vmstat_counter("workingset_nodereclaim"),
			 nodes - left);
	/* the first page evicted lost its shadow, the last one kept it */
	first = pte_to_swp_entry(pte_at(OTHERS));
	last = pte_to_swp_entry(pte_at(OTHERS + PG(total - 1)));
	si = swp_swap_info(first);
	assert_int_equal(si->shadows[swp_offset(first)], 0);
	assert_true(si->shadows[swp_offset(last)] != 0);
	assert_int_equal(check_mm_invariants(NULL), 0);
	/* nothing is freeable at or below the limit */
	assert_int_equal(shrink_slab(GFP_KERNEL, 0, 0), 0);
	end_process(p);
	machine_destroy(m);
}

static unsigned long psi_total_of(const char *res, const char *line)
{
	char path[64];
	char *text;
	const char *l;
	unsigned long long total = 0;

	snprintf(path, sizeof(path), "/proc/pressure/%s", res);
	text = proc_text(path);
	l = strstr(text, line);
	assert_non_null(l);
	assert_int_equal(sscanf(strstr(l, "total="), "total=%llu", &total), 1);
	free(text);
	return (unsigned long)total;
}

static unsigned long psi_total(const char *line)
{
	return psi_total_of("memory", line);
}

static int touch_body(struct task_struct *p, void *arg)
{
	(void)p;
	switch (touch_run(arg, TICK_NSEC)) {
	case TOUCH_MORE:
	case TOUCH_BLOCKED:
		return TASK_BODY_RUN;
	default:
		return TASK_BODY_EXIT;
	}
}

/* The task reads VICTIM back in D: waiting for a page that was in the
 * workingset (restored) is a memory stall, for any other page only an
 * I/O wait. */
static void check_refault_stall(bool workingset)
{
	struct machine *m = boot_machine("ram=128M", "swap=16M:ssd");
	struct task_struct *p = setup();
	struct touch_args a = { .addr = VICTIM, .length = PAGE_SIZE };
	struct touch_state t;
	char err[128];

	if (workingset)
		page_at(VICTIM)->flags |= 1UL << PG_workingset;
	evict(p, VICTIM, 1);
	assert_int_equal(psi_total_of("io", "some"), 0);
	assert_int_equal(touch_init(&t, &a, err, sizeof(err)), 0);
	task_body_set(p, touch_body, &t);
	wake_up_process(p);
	set_current_task(NULL);
	sched_run_for(NSEC_PER_SEC / 10);
	assert_int_equal(t.done, 1);
	assert_int_equal(vmstat_counter("pgmajfault"), 1);
	assert_int_equal(vmstat_counter("workingset_restore_anon"), workingset);
	assert_true(psi_total_of("io", "some") > 0);
	if (workingset) {
		/* asleep on the read (the I/O wait), then running until the
		 * access is made again (a few us) */
		assert_true(psi_total("some") >= psi_total_of("io", "some"));
		assert_true(psi_total("some") <
			    psi_total_of("io", "some") + 10);
		assert_int_equal(psi_total("full"), psi_total("some"));
	} else {
		assert_int_equal(psi_total("some"), 0);
		assert_int_equal(psi_total("full"), 0);
	}
	machine_destroy(m);
}

static void test_thrashing_refault_is_a_memory_stall(void **state)
{
	(void)state;
	check_refault_stall(true);
	check_refault_stall(false);
}

/* A process that writes its range, then makes passes of random loads
 * over it, 32 per page. */
struct looper {
	unsigned long base, len;
	int passes, step;
	struct touch_state t;
	bool touching, done;
};

static int looper_body(struct task_struct *p, void *arg)
{
	struct looper *l = arg;
	char err[128];

	(void)p;
	if (l->step == 0) {
		assert_int_equal(sys_mmap(l->base, l->len, RW,
					  MAP_PRIVATE | MAP_ANONYMOUS |
						  MAP_FIXED,
					  -1UL, 0),
				 (long)l->base);
		l->step = 1;
	}
	if (!l->touching) {
		struct touch_args a = {
			.addr = l->base,
			.length = l->len,
			.pattern = l->step == 1 ? TOUCH_SEQ : TOUCH_RANDOM,
			.count = l->step == 1 ? 0 : l->len / PAGE_SIZE * 32,
			.write = l->step == 1,
		};

		assert_int_equal(touch_init(&l->t, &a, err, sizeof(err)), 0);
		l->touching = true;
	}
	switch (touch_run(&l->t, TICK_NSEC)) {
	case TOUCH_MORE:
	case TOUCH_BLOCKED:
		return TASK_BODY_RUN;
	case TOUCH_SIGNAL:
		return TASK_BODY_EXIT;
	case TOUCH_DONE:
		break;
	}
	l->touching = false;
	if (++l->step <= l->passes + 1)
		return TASK_BODY_RUN;
	l->done = true;
	return TASK_BODY_EXIT;
}

/* n loopers of mb each run to the end; returns the virtual ns taken. */
static uint64_t run_loopers(int n, unsigned long mb)
{
	struct looper l[4];
	struct task_struct *t[4];
	uint64_t t0 = M->clock_ns;

	assert_true(n <= 4);
	assert_true(kswapd_init());
	for (int i = 0; i < n; i++) {
		l[i] = (struct looper){ .base = 0x100000000UL * (i + 1),
					.len = mb << 20,
					.passes = 5 };
		t[i] = start_task("loop", looper_body, &l[i]);
	}
	while (true) {
		bool all = true;

		/* l is on this stack: the tasks must be gone */
		for (int i = 0; i < n; i++)
			all &= l[i].done && t[i]->exit_state;
		if (all)
			break;
		assert_true(M->clock_ns - t0 < 120 * NSEC_PER_SEC);
		sched_run_for(NSEC_PER_SEC / 1000);
	}
	for (int i = 0; i < n; i++) {
		assert_int_equal(t[i]->fault_sig.signo, 0);
		put_task_struct(t[i]);
	}
	return M->clock_ns - t0;
}

static const char *const no_pressure =
	"some avg10=0.00 avg60=0.00 avg300=0.00 total=0\n"
	"full avg10=0.00 avg60=0.00 avg300=0.00 total=0\n";

static void test_loops_that_fit_show_no_pressure(void **state)
{
	struct machine *m = boot_machine("ram=128M", "cpus=2", "swap=256M:ssd");
	char *text;

	(void)state;
	run_loopers(2, 24);
	assert_int_equal(vmstat_counter("pswpout"), 0);
	assert_int_equal(vmstat_counter("workingset_refault_anon"), 0);
	text = proc_text("/proc/pressure/memory");
	assert_string_equal(text, no_pressure);
	free(text);
	machine_destroy(m);
}

static void test_thrashing_stalls_on_memory(void **state)
{
	struct machine *m = boot_machine("ram=128M", "cpus=2", "swap=256M:ssd");
	unsigned long some, full;
	uint64_t fits, thrash;

	(void)state;
	/* the loops that fit first: no pressure, no swap */
	fits = run_loopers(2, 24);
	assert_int_equal(psi_total("some"), 0);
	assert_int_equal(vmstat_counter("pswpin"), 0);
	thrash = run_loopers(4, 40);
	/* 160M of loops after 48M: a megabyte of loads takes over twice as
	 * long (deterministic virtual time) */
	assert_true(thrash / 160 > 2 * (fits / 48));
	assert_true(vmstat_counter("pswpin") > 0);
	assert_true(vmstat_counter("workingset_refault_anon") > 0);
	assert_true(vmstat_counter("workingset_activate_anon") > 0);
	assert_true(vmstat_counter("workingset_activate_anon") <=
		    vmstat_counter("workingset_refault_anon"));
	assert_true(vmstat_counter("workingset_restore_anon") <=
		    vmstat_counter("workingset_activate_anon"));
	some = psi_total("some");
	full = psi_total("full");
	assert_true(some > 0);
	assert_true(full > 0);
	assert_true(full <= some);
	assert_int_equal(check_mm_invariants(NULL), 0);
	/* all gone: no slot, no shadow */
	sched_run_for(NSEC_PER_SEC);
	assert_int_equal(swap_used_pages(), 0);
	assert_int_equal(M->swap->nr_shadows, 0);
	assert_int_equal(global_node_page_state(WORKINGSET_NODES), 0);
	machine_destroy(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_refault_within_workingset_is_activated),
		cmocka_unit_test(test_refault_beyond_workingset_is_not),
		cmocka_unit_test(test_workingset_page_is_restored),
		cmocka_unit_test(test_workingset_nodes_and_slot_free),
		cmocka_unit_test(test_shadow_nodes_are_shrunk),
		cmocka_unit_test(test_thrashing_refault_is_a_memory_stall),
		cmocka_unit_test(test_loops_that_fit_show_no_pressure),
		cmocka_unit_test(test_thrashing_stalls_on_memory),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
