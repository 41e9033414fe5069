/* Reclaim (mm/vmscan.c) under load, with processes running as tasks:
 * data written by several processes bigger together than RAM survives
 * repeated swap cycles (each touched word holds its own address), slots
 * and the swap cache empty when they exit; kswapd leaves free memory
 * between the watermarks; direct reclaim steps in when kswapd falls
 * behind; with swap full or absent the run ends in the OOM path instead
 * of hanging; swappiness 0 drops lazily freed pages before it swaps;
 * mlocked pages stay. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>

#include <cmocka.h>

#include "helpers.h"

#include <signal.h>

#include "kernel/pid.h"
#include "kernel/sched/run.h"
#include "kernel/time/time.h"
#include "mm/internal.h"
#include "mm/swap.h"
#include "mm/vmstat.h"
#include "vm_helpers.h"
#include "workload/access.h"

#define RW (PROT_READ | PROT_WRITE)
#define STRIDE 512UL /* 8 words of each page */

/* A process that writes its range once, then reads it back passes
 * times, checking each pass's sum of words against their addresses. */
struct worker {
	unsigned long base, len;
	int passes;
	int step; /* 0: map; 1: write; 2..: read passes; then done */
	bool mlock_it, madv_free;
	struct touch_state t;
	bool touching;
	int bad_sums;
	bool done;
	int hold; /* stay alive (asleep) when done */
};

static uint64_t expected_sum(const struct worker *w)
{
	uint64_t s = 0;

	for (unsigned long o = 0; o < w->len; o += STRIDE)
		s += w->base + o;
	return s;
}

static int worker_body(struct task_struct *p, void *arg)
{
	struct worker *w = arg;
	char err[128];

	(void)p;
	if (w->done) {
		if (!w->hold)
			return TASK_BODY_EXIT;
		set_current_state(TASK_INTERRUPTIBLE);
		schedule();
		return TASK_BODY_RUN;
	}
	if (w->step == 0) {
		long a = sys_mmap(w->base, w->len, RW,
				  MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED |
					  MAP_NORESERVE,
				  -1UL, 0);

		assert_int_equal(a, (long)w->base);
		if (w->mlock_it)
			assert_int_equal(sys_mlock(w->base, w->len), 0);
		w->step = 1;
	}
	if (!w->touching) {
		struct touch_args a = { .addr = w->base,
					.length = w->len,
					.stride = STRIDE,
					.pattern = TOUCH_STRIDE,
					.write = w->step == 1 };

		assert_int_equal(touch_init(&w->t, &a, err, sizeof(err)), 0);
		w->touching = true;
	}
	switch (touch_run(&w->t, TICK_NSEC)) {
	case TOUCH_MORE:
	case TOUCH_BLOCKED:
		return TASK_BODY_RUN;
	case TOUCH_SIGNAL:
		return TASK_BODY_EXIT; /* killed: the test sees the signal */
	case TOUCH_DONE:
		break;
	}
	w->touching = false;
	if (w->step > 1 && w->t.sum != expected_sum(w))
		w->bad_sums++;
	if (w->step == 1 && w->madv_free)
		assert_int_equal(sys_madvise(w->base, w->len, MADV_FREE), 0);
	if (++w->step > w->passes + 1)
		w->done = true;
	return TASK_BODY_RUN;
}

static unsigned long swap_used_pages(void)
{
	return (unsigned long)(M->total_swap_pages - get_nr_swap_pages());
}

static void test_data_survives_swap_cycles(void **state)
{
	enum { NR = 3 };
	struct machine *m = boot_machine("ram=128M", "cpus=2", "swap=256M:ssd");
	struct worker w[NR];
	struct task_struct *t[NR];

	(void)state;
	assert_true(kswapd_init());
	for (int i = 0; i < NR; i++) {
		w[i] = (struct worker){ .base = 0x100000000UL * (i + 1),
					.len = 48UL << 20,
					.passes = 2 };
		t[i] = start_task("worker", worker_body, &w[i]);
	}
	sched_run_for(60 * NSEC_PER_SEC);
	for (int i = 0; i < NR; i++) {
		assert_true(w[i].done);
		assert_int_equal(w[i].bad_sums, 0);
		assert_int_equal(t[i]->fault_sig.signo, 0);
		put_task_struct(t[i]);
	}
	assert_true(vmstat_counter("pswpout") > 0);
	assert_true(vmstat_counter("pswpin") > 0);
	assert_true(vmstat_counter("pgmajfault") > 0);
	assert_int_equal(check_mm_invariants(NULL), 0);
	/* everything exited: every slot and swap-cache page is gone */
	sched_run_for(NSEC_PER_SEC);
	assert_int_equal(swap_used_pages(), 0);
	assert_int_equal(global_node_page_state(NR_SWAPCACHE), 0);
	assert_int_equal(global_node_page_state(NR_WRITEBACK), 0);
	machine_destroy(m);
}

/* Free pages of the zone the load allocates from (DMA32 on 128M). */
static struct zone *dma32(void)
{
	return &NODE_DATA(0)->node_zones[ZONE_DMA32];
}

static void test_kswapd_keeps_free_between_watermarks(void **state)
{
	struct machine *m = boot_machine("ram=128M", "swap=256M");
	struct worker w = { .base = 0x100000000UL,
			    .len = 160UL << 20,
			    .passes = 0,
			    .hold = 1 };
	struct task_struct *t;
	struct zone *z;

	(void)state;
	assert_true(kswapd_init());
	t = start_task("steady", worker_body, &w);
	sched_run_for(30 * NSEC_PER_SEC);
	assert_true(w.done);
	z = dma32();
	assert_true(vmstat_counter("pgscan_kswapd") > 0);
	assert_true(vmstat_counter("pgsteal_kswapd") > 0);
	/* the load is over and kswapd asleep: it stopped at high */
	assert_true(zone_page_state(z, NR_FREE_PAGES) >= low_wmark_pages(z));
	assert_true(zone_page_state(z, NR_FREE_PAGES) <
		    high_wmark_pages(z) + 4 * SWAP_CLUSTER_MAX);
	assert_int_equal(M->vmscan == NULL, 0);
	put_task_struct(t);
	machine_destroy(m);
}

/* A writer at a steady pace (PACE pages per jiffy: less than the gap
 * between the min and low watermarks) and a sampler of the
 * free pages of DMA32 each jiffy. */
#define PACE 16

struct paced {
	unsigned long base, len, done;
	bool mapped, finished;
	struct touch_state t;
	bool touching;
};

static int paced_body(struct task_struct *p, void *arg)
{
	struct paced *w = arg;
	char err[128];

	(void)p;
	if (w->finished) {
		set_current_state(TASK_INTERRUPTIBLE);
		schedule();
		return TASK_BODY_RUN;
	}
	if (!w->mapped) {
		assert_int_equal(sys_mmap(w->base, w->len, RW,
					  MAP_PRIVATE | MAP_ANONYMOUS |
						  MAP_FIXED | MAP_NORESERVE,
					  -1UL, 0),
				 (long)w->base);
		w->mapped = true;
	}
	if (!w->touching) {
		struct touch_args a = { .addr = w->base + w->done,
					.length = PACE * PAGE_SIZE,
					.write = true };

		assert_int_equal(touch_init(&w->t, &a, err, sizeof(err)), 0);
		w->touching = true;
	}
	switch (touch_run(&w->t, TICK_NSEC)) {
	case TOUCH_MORE:
	case TOUCH_BLOCKED:
		return TASK_BODY_RUN;
	case TOUCH_SIGNAL:
		w->finished = true;
		return TASK_BODY_EXIT;
	case TOUCH_DONE:
		break;
	}
	w->touching = false;
	w->done += PACE * PAGE_SIZE;
	if (w->done >= w->len)
		w->finished = true;
	else
		schedule_timeout_uninterruptible(1);
	return TASK_BODY_RUN;
}

struct sampler {
	struct paced *w;
	bool low_seen; /* kswapd has had work */
	unsigned long min_free, max_free; /* from then on */
};

static int sampler_body(struct task_struct *p, void *arg)
{
	struct sampler *s = arg;
	struct zone *z = dma32();
	unsigned long free = zone_page_state(z, NR_FREE_PAGES);

	(void)p;
	if (s->w->finished)
		return TASK_BODY_EXIT;
	if (free < low_wmark_pages(z) && !s->low_seen) {
		s->low_seen = true;
		s->min_free = s->max_free = free;
	}
	if (s->low_seen) {
		s->min_free = min(s->min_free, free);
		s->max_free = max(s->max_free, free);
	}
	schedule_timeout_uninterruptible(1);
	return TASK_BODY_RUN;
}

static void test_kswapd_keeps_up_with_a_steady_load(void **state)
{
	struct machine *m = boot_machine("ram=128M", "cpus=2", "swap=256M");
	struct paced w = { .base = 0x100000000UL, .len = 160UL << 20 };
	struct sampler s = { .w = &w };
	struct task_struct *a, *b;
	struct zone *z;

	(void)state;
	assert_true(kswapd_init());
	a = start_task("paced", paced_body, &w);
	b = start_task("sampler", sampler_body, &s);
	sched_run_for(60 * NSEC_PER_SEC);
	z = dma32();
	assert_true(w.finished);
	assert_int_equal(w.done, w.len);
	assert_true(s.low_seen);
	assert_true(vmstat_counter("pgsteal_kswapd") > 0);
	/* kswapd alone kept free memory about the watermarks */
	assert_int_equal(vmstat_counter("allocstall_movable"), 0);
	assert_int_equal(vmstat_counter("pgscan_direct"), 0);
	assert_true(s.min_free >= min_wmark_pages(z));
	assert_true(s.max_free <= high_wmark_pages(z) + 4 * SWAP_CLUSTER_MAX);
	put_task_struct(a);
	put_task_struct(b);
	machine_destroy(m);
}

static void test_direct_reclaim_when_kswapd_falls_behind(void **state)
{
	struct machine *m = boot_machine("ram=128M", "cpus=2", "swap=256M:ssd");
	struct worker w[2] = {
		{ .base = 0x100000000UL, .len = 96UL << 20, .passes = 1 },
		{ .base = 0x200000000UL, .len = 96UL << 20, .passes = 1 },
	};
	struct task_struct *t[2];

	(void)state;
	assert_true(kswapd_init());
	for (int i = 0; i < 2; i++)
		t[i] = start_task("hog", worker_body, &w[i]);
	sched_run_for(120 * NSEC_PER_SEC);
	for (int i = 0; i < 2; i++) {
		assert_true(w[i].done);
		assert_int_equal(w[i].bad_sums, 0);
		put_task_struct(t[i]);
	}
	assert_true(vmstat_counter("allocstall_movable") > 0);
	assert_true(vmstat_counter("pgscan_direct") > 0);
	machine_destroy(m);
}

/* Too much for RAM and swap together: the fault runs out of memory and
 * the process is killed; nothing hangs. */
static void check_oom_ends_run(const char *swap)
{
	struct machine *m = swap ? boot_machine("ram=128M", swap) :
				   boot_machine("ram=128M");
	struct worker w = { .base = 0x100000000UL,
			    .len = 200UL << 20,
			    .passes = 1 };
	struct task_struct *t;

	assert_true(kswapd_init());
	t = start_task("hog", worker_body, &w);
	sched_run_for(60 * NSEC_PER_SEC);
	assert_false(w.done);
	assert_int_equal(t->fault_sig.signo, SIGKILL);
	assert_true(t->exit_state != 0);
	put_task_struct(t);
	if (swap) /* its slots went with it */
		assert_int_equal(swap_used_pages(), 0);
	machine_destroy(m);
}

static void test_no_deadlock_when_swap_full_or_absent(void **state)
{
	(void)state;
	check_oom_ends_run("swap=16M");
	check_oom_ends_run(NULL);
}

static void test_swappiness_0_drops_lazyfree_before_swapping(void **state)
{
	struct machine *m =
		boot_machine("ram=128M", "swap=256M", "vm.swappiness=0");
	struct worker lazy = { .base = 0x100000000UL,
			       .len = 64UL << 20,
			       .passes = 0,
			       .madv_free = true,
			       .hold = 1 };
	struct worker hog = {
		.base = 0x200000000UL, .len = 48UL << 20, .passes = 1, .hold = 1
	};
	struct task_struct *a, *b;

	(void)state;
	assert_true(kswapd_init());
	a = start_task("lazy", worker_body, &lazy);
	sched_run_for(5 * NSEC_PER_SEC);
	assert_true(lazy.done);
	assert_true(global_node_page_state(NR_INACTIVE_FILE) > 0);
	b = start_task("hog", worker_body, &hog);
	sched_run_for(20 * NSEC_PER_SEC);
	assert_true(hog.done);
	assert_int_equal(hog.bad_sums, 0);
	/* lazily freed pages went, while some remain: no anon swapped */
	assert_true(vmstat_counter("pglazyfreed") > 0);
	assert_true(global_node_page_state(NR_INACTIVE_FILE) > 0);
	assert_int_equal(vmstat_counter("pswpout"), 0);
	put_task_struct(a);
	put_task_struct(b);
	machine_destroy(m);
}

/* lru_note_cost(): a page's write to swap costs SWAP_CLUSTER_MAX, a page
 * put back one; once the costs pass a quarter of the LRU both halve. And
 * a load that swaps leaves reclaim having noted anon's cost. */
static void test_reclaim_cost_is_noted_and_decays(void **state)
{
	struct machine *m = boot_machine("ram=128M", "swap=256M");
	struct worker w = {
		.base = 0x100000000UL, .len = 32UL << 20, .passes = 0, .hold = 1
	};
	struct worker big = { .base = 0x200000000UL,
			      .len = 160UL << 20,
			      .passes = 1,
			      .hold = 1 };
	struct lruvec *lruvec = &NODE_DATA(0)->__lruvec;
	struct task_struct *a, *b;

	(void)state;
	a = start_task("w", worker_body, &w);
	sched_run_for(NSEC_PER_SEC);
	assert_true(w.done);
	assert_int_equal(global_node_page_state(NR_INACTIVE_ANON), 8192 + 1);
	assert_int_equal(lruvec->anon_cost + lruvec->file_cost, 0);
	lru_note_cost(lruvec, false, 2, 3); /* 2 * 32 + 3 */
	lru_note_cost(lruvec, true, 1, 0);
	assert_int_equal(lruvec->anon_cost, 67);
	assert_int_equal(lruvec->file_cost, 32);
	/* past 8193 / 4: both halve */
	lru_note_cost(lruvec, false, 61, 0);
	assert_int_equal(lruvec->anon_cost, (67 + 61 * 32) / 2);
	assert_int_equal(lruvec->file_cost, 16);
	lruvec->anon_cost = lruvec->file_cost = 0;
	assert_true(kswapd_init());
	b = start_task("big", worker_body, &big);
	sched_run_for(20 * NSEC_PER_SEC);
	assert_true(big.done);
	assert_int_equal(big.bad_sums, 0);
	assert_true(vmstat_counter("pswpout") > 0);
	assert_true(lruvec->anon_cost > 0);
	assert_int_equal(lruvec->file_cost, 0);
	put_task_struct(a);
	put_task_struct(b);
	machine_destroy(m);
}

static void test_mlocked_pages_are_not_swapped(void **state)
{
	struct machine *m = boot_machine("ram=128M", "swap=256M");
	struct worker locked = { .base = 0x100000000UL,
				 .len = 4UL << 20,
				 .passes = 0,
				 .mlock_it = true,
				 .hold = 1 };
	struct worker hog = { .base = 0x200000000UL,
			      .len = 128UL << 20,
			      .passes = 0,
			      .hold = 1 };
	struct task_struct *a, *b;

	(void)state;
	assert_true(kswapd_init());
	a = start_task("locked", worker_body, &locked);
	sched_run_for(NSEC_PER_SEC);
	b = start_task("hog", worker_body, &hog);
	sched_run_for(30 * NSEC_PER_SEC);
	assert_true(hog.done);
	assert_true(vmstat_counter("pswpout") > 0);
	/* every page of the locked range is still mapped */
	for (unsigned long va = locked.base; va < locked.base + locked.len;
	     va += PAGE_SIZE) {
		pte_t *pte = mm_find_pte(a->mm, va);

		assert_true(pte && pte_present(ptep_get(pte)));
	}
	assert_true(get_mm_counter(b->mm, MM_SWAPENTS) > 0);
	assert_int_equal(check_mm_invariants(NULL), 0);
	put_task_struct(a);
	put_task_struct(b);
	machine_destroy(m);
}

/* Without swap nothing anonymous can be freed: kswapd tries
 * MAX_RECLAIM_RETRIES rounds (pageoutrun), then gives the node up
 * (node_unreclaimable, all_unreclaimable) and is not woken for it any
 * more, until a reclaim that frees something (lazily freed pages here)
 * revives it. */
static void test_kswapd_gives_up_a_hopeless_node(void **state)
{
	struct machine *m = boot_machine("ram=128M");
	struct task_struct *p;
	struct zone *z = dma32();
	unsigned long a = 0x100000000UL, n = 0, mark;

	(void)state;
	assert_true(kswapd_init());
	p = start_process("filler");
	map_fixed(a, 32768, RW, MAP_PRIVATE | MAP_NORESERVE);
	/* down to the min watermark: the slow path woke kswapd */
	while (zone_page_state(z, NR_FREE_PAGES) > min_wmark_pages(z) + 8)
		assert_int_equal(poke(a + PG(n++), 1), 0);
	sched_run_for(NSEC_PER_SEC);
	assert_int_equal(vmstat_counter("pageoutrun"), MAX_RECLAIM_RETRIES);
	assert_int_equal(vmstat_counter("pgsteal_kswapd"), 0);
	assert_true(proc_contains("/proc/zoneinfo", "node_unreclaimable:  1"));
	mark = log_mark();
	__show_mem(MAX_NR_ZONES - 1);
	assert_true(log_contains_since(mark, "all_unreclaimable? yes\n"));
	/* more allocations in the slow path wake it no more */
	wake_up_process(p); /* a process without a body waits as in pause() */
	set_current_task(p);
	for (int i = 0; i < 4; i++)
		assert_int_equal(poke(a + PG(n++), 1), 0);
	sched_run_for(NSEC_PER_SEC);
	assert_int_equal(vmstat_counter("pageoutrun"), MAX_RECLAIM_RETRIES);
	/* pages freed lazily can go without swap: progress revives it */
	wake_up_process(p);
	set_current_task(p);
	assert_int_equal(sys_madvise(a, PG(1024), MADV_FREE), 0);
	assert_true(try_to_free_pages(GFP_KERNEL, 0, 0, ZONE_NORMAL) > 0);
	assert_true(proc_contains("/proc/zoneinfo", "node_unreclaimable:  0"));
	end_process(p);
	machine_destroy(m);
}

/* GFP_NOIO reclaim starts no swap I/O, GFP_ATOMIC does not reclaim at
 * all, GFP_KERNEL swaps. */
static void test_gfp_flags_limit_reclaim(void **state)
{
	struct machine *m = boot_machine("ram=128M", "swap=64M");
	struct task_struct *p = start_process("filler");
	unsigned long stall;

	(void)state;
	map_fixed(0x100000000UL, 4096, RW, MAP_PRIVATE);
	for (unsigned long i = 0; i < 4096; i++)
		assert_int_equal(poke(0x100000000UL + PG(i), 1), 0);
	for (int prio = 0; prio < 4; prio++)
		try_to_free_pages(GFP_NOIO, 0, 0, ZONE_NORMAL);
	assert_int_equal(vmstat_counter("pswpout"), 0);
	assert_int_equal(global_node_page_state(NR_WRITEBACK), 0);
	assert_true(vmstat_counter("pgscan_direct") > 0);
	stall = vmstat_counter("allocstall_normal");
	assert_int_equal(try_to_free_pages(GFP_ATOMIC, 0, 0, ZONE_NORMAL), 0);
	assert_int_equal(vmstat_counter("allocstall_normal"), stall);
	try_to_free_pages(GFP_KERNEL, 0, 0, ZONE_NORMAL);
	assert_true(vmstat_counter("pswpout") > 0);
	assert_int_equal(vmstat_counter("allocstall_normal"), stall + 1);
	end_process(p);
	machine_destroy(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_data_survives_swap_cycles),
		cmocka_unit_test(test_kswapd_keeps_free_between_watermarks),
		cmocka_unit_test(test_kswapd_keeps_up_with_a_steady_load),
		cmocka_unit_test(test_direct_reclaim_when_kswapd_falls_behind),
		cmocka_unit_test(test_no_deadlock_when_swap_full_or_absent),
		cmocka_unit_test(
			test_swappiness_0_drops_lazyfree_before_swapping),
		cmocka_unit_test(test_reclaim_cost_is_noted_and_decays),
		cmocka_unit_test(test_mlocked_pages_are_not_swapped),
		cmocka_unit_test(test_kswapd_gives_up_a_hopeless_node),
		cmocka_unit_test(test_gfp_flags_limit_reclaim),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
