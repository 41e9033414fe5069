/* The reclaim policies (--reclaim, mm/reclaim_policy.h): which pages
 * each one evicts for a known access sequence (FIFO the oldest even
 * when hot, CLOCK passing a referenced page over once, exact LRU the
 * least recently used), data surviving swap byte for byte under every
 * policy with counts back to zero after exit, and the option itself
 * (/proc/mmsim/reclaim, the boot line, errors). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>

#include <cmocka.h>

#include "helpers.h"

#include <endian.h>
#include <stdlib.h>

#include "arch/tlbflush.h"
#include "kernel/sched/run.h"
#include "kernel/time/time.h"
#include "mm/reclaim_policy.h"
#include "mm/rmap.h"
#include "mm/swap.h"
#include "mm/vmstat.h"
#include "vm_helpers.h"
#include "workload/access.h"

#define RW (PROT_READ | PROT_WRITE)
#define BASE 0x100000000UL
#define NPAGES 1024UL
#define HOT 8UL /* pages 0..HOT-1 are touched again */

static const char *const policy_names[] = { "lru", "clock", "fifo",
					    "exact-lru" };

/* Makes current's accesses of [addr, addr + len) at once, one word per
 * page (outside a task body faults complete synchronously). */
static void touch_pages(unsigned long addr, unsigned long pages, bool write)
{
	struct touch_args a = { .addr = addr,
				.length = PG(pages),
				.pattern = TOUCH_SEQ,
				.write = write };
	struct touch_state t;
	char err[128];

	assert_int_equal(touch_init(&t, &a, err, sizeof(err)), 0);
	assert_int_equal(touch_run(&t, UINT64_MAX / 2), TOUCH_DONE);
}

static bool evicted(unsigned long i)
{
	return !pte_present(pte_at(BASE + PG(i)));
}

/* The hand has gone round once: every PTE young bit of the range is
 * cleared through rmap, and the TLB flushed so that the next access
 * walks the page tables and sets the bit again. */
static void clear_young(void)
{
	for (unsigned long i = 0; i < NPAGES; i++) {
		unsigned long vm_flags;

		page_referenced(pte_page(pte_at(BASE + PG(i))), &vm_flags);
	}
	flush_tlb_all();
}

/* Direct reclaim until some page of the range has gone to swap (at
 * most a few rounds); returns how many have. */
static unsigned long reclaim_some(void)
{
	unsigned long n = 0;

	for (int round = 0; round < 16 && !n; round++) {
		try_to_free_pages(GFP_KERNEL, 0, 0, ZONE_NORMAL);
		for (unsigned long i = 0; i < NPAGES; i++)
			n += evicted(i);
	}
	return n;
}

/* The pages evicted are exactly the first k of order[] (k returned):
 * the policy's victims came in its order. */
static unsigned long assert_evicted_prefix(const unsigned long *order)
{
	unsigned long k = 0;

	while (k < NPAGES && evicted(order[k]))
		k++;
	for (unsigned long j = k; j < NPAGES; j++)
		if (evicted(order[j]))
			fail_msg(
				"page %lu evicted, but page %lu (earlier in the policy's order) was not",
				order[j], order[k]);
	assert_true(k > 0);
	return k;
}

/* Pages 0..N-1 arrive in order, the hand goes round once, then pages
 * 0..HOT-1 are touched again; reclaim evicts some. */
static unsigned long hot_run(const char *policy, unsigned long *order_hot_last)
{
	boot_machine("ram=128M", "swap=64M", policy);
	start_process("trace");
	map_fixed(BASE, NPAGES, RW, MAP_PRIVATE);
	touch_pages(BASE, NPAGES, true);
	clear_young();
	touch_pages(BASE, HOT, false);
	touch_pages(BASE, HOT, false); /* again: TLB hits */
	for (unsigned long i = 0; i < NPAGES; i++)
		order_hot_last[i] = i + HOT < NPAGES ? i + HOT :
						       i + HOT - NPAGES;
	return reclaim_some();
}

static void end_run(void)
{
	struct machine *m = M;

	end_process(current);
	machine_destroy(m);
}

static void test_fifo_evicts_the_oldest_even_if_hot(void **state)
{
	unsigned long order[NPAGES], hot_last[NPAGES];

	(void)state;
	hot_run("reclaim=fifo", hot_last);
	for (unsigned long i = 0; i < NPAGES; i++)
		order[i] = i;
	/* arrival order: the hot pages were first in, so first out */
	assert_true(assert_evicted_prefix(order) > HOT);
	assert_int_equal(vmstat_counter("pgactivate"), 0);
	end_run();
}

static void test_exact_lru_evicts_the_least_recent(void **state)
{
	unsigned long order[NPAGES];

	(void)state;
	hot_run("reclaim=exact-lru", order);
	assert_true(assert_evicted_prefix(order) <= NPAGES - HOT);
	/* every data-plane access was stamped, TLB hits too: N writes,
	 * then HOT reads twice */
	assert_int_equal(M->reclaim_counters[0], NPAGES + 2 * HOT);
	end_run();
}

static void test_clock_spares_a_referenced_page(void **state)
{
	unsigned long order[NPAGES];

	(void)state;
	hot_run("reclaim=clock", order);
	assert_true(assert_evicted_prefix(order) <= NPAGES - HOT);
	/* referenced pages were passed over */
	assert_true(M->reclaim_counters[0] > 0);
	end_run();
}

/* Every page referenced: the hand clears each bit once, comes round
 * again and evicts in arrival order, page 0 first. */
static void test_clock_spares_only_once(void **state)
{
	unsigned long order[NPAGES];

	(void)state;
	boot_machine("ram=128M", "swap=64M", "reclaim=clock");
	start_process("trace");
	map_fixed(BASE, NPAGES, RW, MAP_PRIVATE);
	touch_pages(BASE, NPAGES, true);
	assert_true(reclaim_some() > 0);
	for (unsigned long i = 0; i < NPAGES; i++)
		order[i] = i;
	assert_evicted_prefix(order);
	assert_true(evicted(0));
	assert_true(M->reclaim_counters[0] >= NPAGES);
	end_run();
}

/* ---- data through swap under each policy ----------------------------------- */

#define WORKERS 2
#define WORK_LEN (40UL << 20)

/* Writes every word of its range (each holding its own address), reads
 * a word of each page back twice, then checks each page byte for byte:
 * one read through the data plane brings it in (waiting for swap-in as
 * any access does), and its frame is compared while it is mapped. */
struct worker {
	unsigned long base;
	int step; /* 0 map, 1 write, 2-3 read, 4 check */
	bool touching;
	struct touch_state t;
	unsigned long check; /* the next page to check */
	unsigned long bad; /* words that did not hold their address */
	bool done;
};

static void check_page(struct worker *w, unsigned long va)
{
	pte_t *pte = mm_find_pte(current->mm, va);
	const uint64_t *word;

	assert_true(pte && pte_present(ptep_get(pte)));
	word = page_address(pte_page(ptep_get(pte)));
	for (unsigned long i = 0; i < PAGE_SIZE / 8; i++)
		w->bad += le64toh(word[i]) != va + i * 8;
}

static void start_touch(struct worker *w)
{
	struct touch_args a = { .addr = w->base,
				.length = WORK_LEN,
				.stride = w->step == 1 ? 8 : PAGE_SIZE,
				.pattern = TOUCH_STRIDE,
				.write = w->step == 1 };
	char err[128];

	if (w->step == 4) {
		a.addr = w->base + PG(w->check);
		a.length = PAGE_SIZE;
		a.stride = 0;
		a.pattern = TOUCH_SEQ;
	}
	assert_int_equal(touch_init(&w->t, &a, err, sizeof(err)), 0);
	w->touching = true;
}

static int worker_body(struct task_struct *p, void *arg)
{
	struct worker *w = arg;

	(void)p;
	if (w->done)
		return TASK_BODY_EXIT;
	if (w->step == 0) {
		assert_int_equal(sys_mmap(w->base, WORK_LEN, RW,
					  MAP_PRIVATE | MAP_ANONYMOUS |
						  MAP_FIXED | MAP_NORESERVE,
					  -1UL, 0),
				 (long)w->base);
		w->step = 1;
	}
	if (!w->touching)
		start_touch(w);
	switch (touch_run(&w->t, TICK_NSEC)) {
	case TOUCH_MORE:
	case TOUCH_BLOCKED:
		return TASK_BODY_RUN;
	case TOUCH_SIGNAL:
		return TASK_BODY_EXIT;
	case TOUCH_DONE:
		break;
	}
	w->touching = false;
	if (w->step < 4) {
		w->step++;
		return TASK_BODY_RUN;
	}
	check_page(w, w->base + PG(w->check));
	if (++w->check == WORK_LEN / PAGE_SIZE)
		w->done = true;
	return TASK_BODY_RUN;
}

static unsigned long lru_pages(void)
{
	return vmstat_counter("nr_inactive_anon") +
	       vmstat_counter("nr_active_anon") +
	       vmstat_counter("nr_inactive_file") +
	       vmstat_counter("nr_active_file");
}

static void data_survives(const char *policy)
{
	struct machine *m = boot_machine("ram=64M", "swap=128M:ssd", policy);
	struct worker w[WORKERS];
	struct task_struct *t[WORKERS];
	unsigned long lru0 = lru_pages();

	assert_true(kswapd_init());
	for (int i = 0; i < WORKERS; i++) {
		w[i] = (struct worker){ .base = BASE * (i + 1) };
		t[i] = start_task("worker", worker_body, &w[i]);
	}
	sched_run_for(60 * NSEC_PER_SEC);
	for (int i = 0; i < WORKERS; i++) {
		assert_true(w[i].done);
		assert_int_equal(t[i]->fault_sig.signo, 0);
		assert_int_equal(w[i].bad, 0);
		put_task_struct(t[i]);
	}
	assert_true(vmstat_counter("pswpout") > 0);
	assert_true(vmstat_counter("pswpin") > 0);
	assert_int_equal(check_mm_invariants(NULL), 0);
	/* everything exited: slots, swap cache and LRU are as at boot */
	sched_run_for(NSEC_PER_SEC);
	assert_int_equal(M->total_swap_pages - get_nr_swap_pages(), 0);
	assert_int_equal(global_node_page_state(NR_SWAPCACHE), 0);
	assert_int_equal(global_node_page_state(NR_WRITEBACK), 0);
	assert_int_equal(lru_pages(), lru0);
	machine_destroy(m);
}

static void test_data_survives_swap_under_each_policy(void **state)
{
	char opt[32];

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(policy_names); i++) {
		snprintf(opt, sizeof(opt), "reclaim=%s", policy_names[i]);
		data_survives(opt);
	}
}

/* ---- the option -------------------------------------------------------------- */

static void assert_proc_starts(const char *path, const char *want)
{
	char *text = proc_text(path);

	if (strncmp(text, want, strlen(want)))
		fail_msg("%s: got \"%s\", want it to start \"%s\"", path, text,
			 want);
	free(text);
}

static void test_policy_option(void **state)
{
	struct machine_config cfg;
	struct machine *m;
	char err[256], want[128];

	(void)state;
	machine_config_default(&cfg);
	assert_false(
		machine_config_set(&cfg, "reclaim", "mglru", err, sizeof(err)));
	assert_string_equal(
		err,
		"--reclaim mglru: unknown reclaim policy (accepted: lru, clock, fifo, exact-lru)");
	/* the default: Linux's LRU, nothing in the boot log */
	m = boot_machine("ram=128M");
	assert_proc_starts(
		"/proc/mmsim/reclaim",
		"policy lru\navailable [lru] clock fifo exact-lru\n");
	assert_false(proc_contains("/proc/mmsim/reclaim", "\n\n"));
	assert_false(log_contains("reclaim policy"));
	assert_ptr_equal(M->reclaim, &lru_policy_ops);
	machine_destroy(m);
	for (size_t i = 1; i < ARRAY_SIZE(policy_names); i++) {
		snprintf(want, sizeof(want), "reclaim=%s", policy_names[i]);
		m = boot_machine("ram=128M", want);
		snprintf(want, sizeof(want), "] mmsim: reclaim policy: %s\n",
			 policy_names[i]);
		assert_true(log_contains(want));
		snprintf(want, sizeof(want), "policy %s\n", policy_names[i]);
		assert_proc_starts("/proc/mmsim/reclaim", want);
		/* no active lists: Active(anon) stays 0 as pages come in */
		start_process("p");
		map_fixed(BASE, 64, RW, MAP_PRIVATE);
		touch_pages(BASE, 64, true);
		touch_pages(BASE, 64, true);
		assert_int_equal(meminfo_kb("Active(anon)"), 0);
		assert_true(meminfo_kb("Inactive(anon)") >= 64 * 4);
		end_run();
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fifo_evicts_the_oldest_even_if_hot),
		cmocka_unit_test(test_exact_lru_evicts_the_least_recent),
		cmocka_unit_test(test_clock_spares_a_referenced_page),
		cmocka_unit_test(test_clock_spares_only_once),
		cmocka_unit_test(test_data_survives_swap_under_each_policy),
		cmocka_unit_test(test_policy_option),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
