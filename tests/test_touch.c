/* The data plane (workload/access.h): each pattern's exact address
 * sequence, random and zipf deterministic per seed and in range, zipf's
 * ranks by popularity, bad arguments named, written words holding their
 * own address, a touch split by budgets ending exactly as one run, a
 * touch past its mapping signalled at the right address, one minor
 * fault per page first touched, and the cost model charged exactly:
 * a task touching fresh pages uses N * (fault_entry + fault_exit +
 * zero_page) of system time and accesses * tlb_hit + walk steps *
 * walk_step of user time. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>

#include <cmocka.h>

#include "helpers.h"

#include <errno.h>
#include <signal.h>

#include "kernel/pid.h"
#include "kernel/sched/run.h"
#include "kernel/time/time.h"
#include "vm_helpers.h"
#include "workload/access.h"

#define RW (PROT_READ | PROT_WRITE)
#define ANON (MAP_PRIVATE | MAP_ANONYMOUS)
/* Alone in its 512 GiB slot of the x86-64 PGD: no table below it yet. */
#define LONELY 0x100000000000UL

/* ---- helpers ------------------------------------------------------------- */

static void init_ok(struct touch_state *t, const struct touch_args *a)
{
	char err[256] = "";

	if (touch_init(t, a, err, sizeof(err)))
		fail_msg("touch_init: %s", err);
}

/* The whole address sequence of a, into addrs (at most max). */
static uint64_t sequence(const struct touch_args *a, unsigned long *addrs,
			 uint64_t max)
{
	struct touch_state t;

	init_ok(&t, a);
	return touch_generate(&t, addrs, max);
}

static void assert_sequence(const struct touch_args *a,
			    const unsigned long *want, uint64_t n)
{
	unsigned long got[64];

	assert_true(n <= 64);
	assert_int_equal(sequence(a, got, 64), n);
	for (uint64_t i = 0; i < n; i++)
		if (got[i] != want[i])
			fail_msg("access %lu: %#lx, expected %#lx",
				 (unsigned long)i, got[i], want[i]);
}

static unsigned long map_anon(unsigned long pages)
{
	long a = sys_mmap(0, PG(pages), RW, ANON, -1UL, 0);

	assert_false(IS_ERR_VALUE(a));
	return (unsigned long)a;
}

static uint64_t word_at(unsigned long va)
{
	uint64_t w;

	assert_int_equal(copy_from_user(&w, va, sizeof(w)), 0);
	return w;
}

/* ---- sequences ----------------------------------------------------------- */

static void test_seq_stride_loop_orders(void **state)
{
	const unsigned long b = 0x10000;

	(void)state;
	/* seq: one pass, a page apart by default */
	assert_sequence(&(struct touch_args){ .addr = b, .length = PG(4) },
			(unsigned long[]){ b, b + PG(1), b + PG(2), b + PG(3) },
			4);
	/* a larger count wraps to addr */
	assert_sequence(
		&(struct touch_args){ .addr = b, .length = PG(3), .count = 5 },
		(unsigned long[]){ b, b + PG(1), b + PG(2), b, b + PG(1) }, 5);
	/* positions round down to their 8-byte word; a partial last
	 * stride is a position */
	assert_sequence(&(struct touch_args){ .addr = b + 3,
					      .length = 20,
					      .stride = 8 },
			(unsigned long[]){ b, b + 8, b + 16 }, 3);
	/* stride: every other page of five */
	assert_sequence(&(struct touch_args){ .addr = b,
					      .length = PG(5),
					      .pattern = TOUCH_STRIDE,
					      .stride = PG(2) },
			(unsigned long[]){ b, b + PG(2), b + PG(4) }, 3);
	/* loop: four passes by default */
	assert_sequence(&(struct touch_args){ .addr = b,
					      .length = 24,
					      .pattern = TOUCH_LOOP,
					      .stride = 8 },
			(unsigned long[]){ b, b + 8, b + 16, b, b + 8, b + 16,
					   b, b + 8, b + 16, b, b + 8, b + 16 },
			12);
	/* shorter than the default stride (a page): one position */
	assert_sequence(
		&(struct touch_args){ .addr = b, .length = 100, .count = 3 },
		(unsigned long[]){ b, b, b }, 3);
}

/* Checks that each address is a position's word in the range. */
static void assert_positions(const struct touch_args *a,
			     const unsigned long *addrs, uint64_t n,
			     unsigned long stride)
{
	for (uint64_t i = 0; i < n; i++) {
		assert_int_equal(addrs[i] % 8, 0);
		assert_true(addrs[i] >= (a->addr & ~7UL));
		assert_true(addrs[i] < a->addr + a->length);
		assert_int_equal((addrs[i] - a->addr) % stride, 0);
	}
}

static void test_random_is_uniform_and_seeded(void **state)
{
	enum { N = 16000 };
	static unsigned long s1[N], s2[N], s3[N];
	struct touch_args a = { .addr = 0x40000,
				.length = PG(16),
				.pattern = TOUCH_RANDOM,
				.count = N,
				.seed = 42 };
	unsigned hits[16] = { 0 };

	(void)state;
	assert_int_equal(sequence(&a, s1, N), N);
	assert_int_equal(sequence(&a, s2, N), N);
	assert_memory_equal(s1, s2, sizeof(s1));
	a.seed = 43;
	assert_int_equal(sequence(&a, s3, N), N);
	assert_memory_not_equal(s1, s3, sizeof(s1));
	assert_positions(&a, s1, N, PAGE_SIZE);
	for (int i = 0; i < N; i++)
		hits[(s1[i] - a.addr) / PAGE_SIZE]++;
	for (int i = 0; i < 16; i++)
		assert_in_range(hits[i], N / 16 * 8 / 10, N / 16 * 12 / 10);
	/* the default count: one access per position */
	a.count = 0;
	a.stride = 64;
	assert_int_equal(sequence(&a, s1, N), PG(16) / 64);
	assert_positions(&a, s1, PG(16) / 64, 64);
}

static void test_zipf_ranks_by_popularity(void **state)
{
	enum { POS = 1000, N = 200000 };
	static unsigned long s1[N], s2[N];
	static unsigned hits[POS];
	struct touch_args a = { .addr = 0x1000000,
				.length = PG(POS),
				.pattern = TOUCH_ZIPF,
				.count = N,
				.seed = 7 };
	struct touch_state t;
	unsigned long hot0, hot1;
	unsigned best = 0, second = 0;
	double ratio;

	(void)state;
	assert_int_equal(sequence(&a, s1, N), N);
	assert_int_equal(sequence(&a, s2, N), N);
	assert_memory_equal(s1, s2, sizeof(s1));
	assert_positions(&a, s1, N, PAGE_SIZE);
	for (int i = 0; i < N; i++)
		hits[(s1[i] - a.addr) / PAGE_SIZE]++;
	init_ok(&t, &a);
	hot0 = touch_zipf_position(&t, 0);
	hot1 = touch_zipf_position(&t, 1);
	for (int i = 0; i < POS; i++) {
		if (i == (int)hot0)
			continue;
		if (hits[i] > second)
			second = hits[i];
		best = hits[i] > hits[best] ? (unsigned)i : best;
	}
	/* rank 0 is the hottest, rank 1 the next */
	assert_true(hits[hot0] > second);
	assert_int_equal(hits[hot1], second);
	/* P(rank 0) / P(rank 1) = 2^theta */
	ratio = (double)hits[hot0] / (double)hits[hot1];
	assert_true(ratio > 1.85 && ratio < 2.1);
	/* the hot positions are scattered, not the first ones */
	assert_false(hot0 == 0 && hot1 == 1);
	/* another seed, another order */
	a.seed = 8;
	assert_int_equal(sequence(&a, s2, N), N);
	assert_memory_not_equal(s1, s2, sizeof(s1));
}

static void test_zipf_permutation_is_a_bijection(void **state)
{
	static const unsigned long sizes[] = { 1, 2, 3, 5, 64, 1000, 4097 };
	static unsigned char seen[4097];

	(void)state;
	for (size_t s = 0; s < ARRAY_SIZE(sizes); s++) {
		struct touch_state t;
		unsigned long n = sizes[s];

		init_ok(&t, &(struct touch_args){ .addr = 0,
						  .length = n * 8,
						  .stride = 8,
						  .pattern = TOUCH_ZIPF,
						  .seed = s });
		assert_int_equal(t.nr_pos, n);
		assert_int_equal(t.count, n); /* default: one per position */
		memset(seen, 0, sizeof(seen));
		for (unsigned long r = 0; r < n; r++) {
			unsigned long p = touch_zipf_position(&t, r);

			assert_true(p < n);
			assert_int_equal(seen[p], 0);
			seen[p] = 1;
		}
		/* past the ranks: no position of its own */
		assert_int_equal(touch_zipf_position(&t, n), n);
	}
}

static void test_bad_arguments_are_named(void **state)
{
	static const struct {
		struct touch_args a;
		const char *msg;
	} cases[] = {
		{ { .addr = 0x1000, .length = 0 },
		  "length 0: must be at least 1 byte" },
		{ { .addr = ~0UL - 10, .length = 100 },
		  "addr 0xfffffffffffffff5 + length 0x64: past the end of the address space" },
		{ { .addr = 0x1000, .length = 100, .stride = 101 },
		  "stride 101: larger than length 100" },
		{ { .addr = 0x1000, .length = PG(4), .pattern = TOUCH_STRIDE },
		  "stride: pattern stride needs a stride" },
		{ { .addr = 0x1000, .length = PG(4), .pattern = 9 },
		  "pattern 9: unknown (accepted: seq, random, zipf, stride, loop)" },
		{ { .addr = 0x1000,
		    .length = PG(4),
		    .pattern = TOUCH_ZIPF,
		    .theta = 1.0 },
		  "theta 1: out of range (0 < theta < 1)" },
		{ { .addr = 0x1000,
		    .length = PG(4),
		    .pattern = TOUCH_ZIPF,
		    .theta = -0.5 },
		  "theta -0.5: out of range (0 < theta < 1)" },
	};
	enum touch_pattern p;

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct touch_state t;
		char err[256] = "";

		assert_int_equal(touch_init(&t, &cases[i].a, err, sizeof(err)),
				 -EINVAL);
		assert_string_equal(err, cases[i].msg);
	}
	assert_true(touch_pattern_parse("zipf", &p));
	assert_int_equal(p, TOUCH_ZIPF);
	assert_string_equal(touch_pattern_name(TOUCH_LOOP), "loop");
	assert_false(touch_pattern_parse("sequential", &p));
}

/* ---- accesses ------------------------------------------------------------- */

static void test_writes_leave_each_word_its_address(void **state)
{
	enum { PAGES = 8, N = 600 };
	struct machine *m = boot_machine("ram=128M");
	struct task_struct *p = start_process("touch");
	unsigned long base = map_anon(PAGES), addrs[N];
	static unsigned char touched[PG(PAGES) / 8];
	struct touch_args a = { .addr = base,
				.length = PG(PAGES),
				.pattern = TOUCH_RANDOM,
				.write = true,
				.count = N,
				.stride = 8,
				.seed = 99 };
	struct touch_state t;
	uint64_t sum = 0;

	(void)state;
	assert_int_equal(sequence(&a, addrs, N), N);
	init_ok(&t, &a);
	assert_int_equal(touch_run(&t, UINT64_MAX), TOUCH_DONE);
	assert_int_equal(t.done, N);
	memset(touched, 0, sizeof(touched));
	for (int i = 0; i < N; i++)
		touched[(addrs[i] - base) / 8] = 1;
	for (unsigned long w = 0; w < PG(PAGES) / 8; w++) {
		uint64_t v = word_at(base + w * 8);

		assert_int_equal(v, touched[w] ? base + w * 8 : 0);
		sum += v;
	}
	/* a read pass loads them back */
	init_ok(&t, &(struct touch_args){
			    .addr = base, .length = PG(PAGES), .stride = 8 });
	assert_int_equal(touch_run(&t, UINT64_MAX), TOUCH_DONE);
	assert_int_equal(t.sum, sum);
	end_process(p);
	machine_destroy(m);
}

/* What a touch leaves behind, to compare two runs. */
struct outcome {
	uint64_t done, faults, walk_steps, user_ns, sys_ns, sum;
	unsigned long min_flt, words;
	uint64_t body_user, body_sys;
};

/* Runs a write then a read zipf touch of fresh memory in calls of
 * budget ns; returns the calls that said TOUCH_MORE. */
static unsigned long split_run(uint64_t budget, struct outcome *o)
{
	struct machine *m = boot_machine("ram=128M");
	struct task_struct *p = start_process("touch");
	unsigned long base = map_anon(64), more = 0;
	struct touch_state t;
	enum touch_result r;

	*o = (struct outcome){ 0 };
	for (int pass = 0; pass < 2; pass++) {
		init_ok(&t, &(struct touch_args){ .addr = base,
						  .length = PG(64),
						  .pattern = TOUCH_ZIPF,
						  .write = pass == 0,
						  .count = 3000,
						  .stride = 64,
						  .seed = 5 });
		while (1) {
			uint64_t before = t.user_ns + t.sys_ns;

			r = touch_run(&t, budget);
			if (r != TOUCH_MORE)
				break;
			/* a call stops once its budget is spent */
			assert_true(t.user_ns + t.sys_ns - before >= budget);
			more++;
		}
		assert_int_equal(r, TOUCH_DONE);
		o->done += t.done;
		o->faults += t.faults;
		o->walk_steps += t.walk_steps;
		o->user_ns += t.user_ns;
		o->sys_ns += t.sys_ns;
		o->sum += t.sum;
	}
	o->min_flt = p->min_flt;
	o->body_user = p->body.user_ns;
	o->body_sys = p->body.sys_ns;
	for (unsigned long w = 0; w < PG(64) / 8; w++)
		o->words += word_at(base + w * 8) != 0;
	end_process(p);
	machine_destroy(m);
	return more;
}

static void test_budget_split_ends_as_one_run(void **state)
{
	struct outcome one, split;

	(void)state;
	assert_int_equal(split_run(UINT64_MAX, &one), 0);
	assert_true(split_run(2000, &split) > 10);
	assert_int_equal(one.done, 6000);
	assert_true(one.faults > 0 && one.sum > 0 && one.words > 0);
	assert_int_equal(split.done, one.done);
	assert_int_equal(split.faults, one.faults);
	assert_int_equal(split.walk_steps, one.walk_steps);
	assert_int_equal(split.user_ns, one.user_ns);
	assert_int_equal(split.sys_ns, one.sys_ns);
	assert_int_equal(split.sum, one.sum);
	assert_int_equal(split.min_flt, one.min_flt);
	assert_int_equal(split.words, one.words);
	assert_int_equal(split.body_user, one.body_user);
	assert_int_equal(split.body_sys, one.body_sys);
}

static void test_touch_past_mapping_is_signalled(void **state)
{
	struct machine *m = boot_machine("ram=128M");
	struct task_struct *p = start_process("touch");
	unsigned long base = map_fixed(LONELY, 4, RW, MAP_PRIVATE);
	unsigned long ro =
		map_fixed(LONELY + PG(16), 2, PROT_READ, MAP_PRIVATE);
	struct touch_state t;

	(void)state;
	init_ok(&t, &(struct touch_args){
			    .addr = base, .length = PG(6), .write = true });
	assert_int_equal(touch_run(&t, UINT64_MAX), TOUCH_SIGNAL);
	assert_int_equal(t.done, 4);
	assert_true(t.failed);
	assert_int_equal(t.fault_addr, base + PG(4));
	assert_int_equal(p->fault_sig.signo, SIGSEGV);
	assert_int_equal(p->fault_sig.code, SEGV_MAPERR);
	assert_int_equal(p->fault_sig.addr, base + PG(4));
	assert_true(log_contains("touch[1]: segfault at 100000004000"));
	/* the four pages before it were written */
	assert_int_equal(word_at(base + PG(3)), base + PG(3));
	/* a failed touch stays failed */
	assert_int_equal(touch_run(&t, UINT64_MAX), TOUCH_SIGNAL);
	assert_int_equal(t.done, 4);
	/* a read-only mapping: reads pass, a write is SEGV_ACCERR */
	init_ok(&t, &(struct touch_args){ .addr = ro, .length = PG(2) });
	assert_int_equal(touch_run(&t, UINT64_MAX), TOUCH_DONE);
	assert_int_equal(p->fault_sig.signo, 0);
	init_ok(&t, &(struct touch_args){
			    .addr = ro + 8, .length = 8, .write = true });
	assert_int_equal(touch_run(&t, UINT64_MAX), TOUCH_SIGNAL);
	assert_int_equal(t.done, 0);
	assert_int_equal(t.fault_addr, ro + 8);
	assert_int_equal(p->fault_sig.signo, SIGSEGV);
	assert_int_equal(p->fault_sig.code, SEGV_ACCERR);
	assert_int_equal(p->fault_sig.addr, ro + 8);
	end_process(p);
	machine_destroy(m);
}

static void test_minor_faults_count_pages_first_touched(void **state)
{
	enum { PAGES = 64, N = 150 };
	struct machine *m = boot_machine("ram=128M");
	struct task_struct *p = start_process("touch");
	unsigned long base = map_anon(PAGES), addrs[N], flt, distinct = 0;
	struct touch_args a = { .addr = base,
				.length = PG(PAGES),
				.pattern = TOUCH_RANDOM,
				.write = true,
				.count = N,
				.seed = 3 };
	bool seen[PAGES] = { false };
	struct touch_state t;

	(void)state;
	assert_int_equal(sequence(&a, addrs, N), N);
	for (int i = 0; i < N; i++) {
		unsigned long pg = (addrs[i] - base) / PAGE_SIZE;

		distinct += !seen[pg];
		seen[pg] = true;
	}
	assert_true(distinct > 40 && distinct < PAGES);
	flt = p->min_flt;
	init_ok(&t, &a);
	assert_int_equal(touch_run(&t, UINT64_MAX), TOUCH_DONE);
	assert_int_equal(p->min_flt - flt, distinct);
	assert_int_equal(t.faults, distinct);
	assert_int_equal(meminfo_kb("AnonPages") >= distinct * 4, true);
	/* touched again, nothing faults */
	flt = p->min_flt;
	init_ok(&t, &a);
	assert_int_equal(touch_run(&t, UINT64_MAX), TOUCH_DONE);
	assert_int_equal(p->min_flt, flt);
	assert_int_equal(t.faults, 0);
	end_process(p);
	machine_destroy(m);
}

/* ---- the cost model, exactly ---------------------------------------------- */

struct toucher {
	unsigned long pages;
	struct touch_state t;
	int calls;
	enum touch_result last;
	unsigned long min_flt; /* before the touch */
};

/* Maps its pages at LONELY, touches one word of each in 50 us calls,
 * then sleeps for ever. */
static int toucher_body(struct task_struct *p, void *arg)
{
	struct toucher *w = arg;

	if (!w->calls++) {
		w->min_flt = p->min_flt;
		map_fixed(LONELY, w->pages, RW, MAP_PRIVATE);
		init_ok(&w->t, &(struct touch_args){ .addr = LONELY,
						     .length = PG(w->pages),
						     .write = true });
	}
	if (w->last == TOUCH_DONE && w->calls > 1) {
		set_current_state(TASK_INTERRUPTIBLE);
		schedule();
		return TASK_BODY_RUN;
	}
	w->last = touch_run(&w->t, 50000);
	return TASK_BODY_RUN;
}


static void test_cpu_time_of_fresh_pages_is_exact(void **state)
{
	enum { N = 300 };
	struct machine *m =
		boot_machine("ram=128M", "cost.tlb_hit=3", "cost.walk_step=7",
			     "cost.fault_entry=110", "cost.fault_exit=60",
			     "cost.zero_page=230", "cost.context_switch=0");
	struct toucher w = { .pages = N, .last = TOUCH_MORE };
	struct task_struct *t = start_task("toucher", toucher_body, &w);
	uint64_t ut, st;

	(void)state;
	sched_run_until(NSEC_PER_SEC);
	assert_int_equal(w.last, TOUCH_DONE);
	assert_true(w.calls > 3); /* the 50 us budget split it */
	assert_int_equal(t->min_flt - w.min_flt, N);
	assert_int_equal(w.t.faults, N);
	/* the first walk stops at the empty PGD entry; then each access
	 * walks 4 levels to the fault and 4 again after it */
	assert_int_equal(w.t.walk_steps, 1 + 4 + (N - 1) * 8);
	task_cputime(t, &ut, &st);
	assert_int_equal(st, N * (110 + 60 + 230));
	assert_int_equal(ut, N * 3 + (1 + 4 + (N - 1) * 8) * 7);
	assert_int_equal(w.t.user_ns, ut);
	assert_int_equal(w.t.sys_ns, st);
	assert_int_equal(kcpustat_cpu(task_cpu(t), CPUTIME_USER), ut);
	assert_int_equal(kcpustat_cpu(task_cpu(t), CPUTIME_SYSTEM), st);
	machine_destroy(m);
}

static void test_kernel_copies_and_cow_are_charged(void **state)
{
	struct machine *m = boot_machine("ram=128M", "cost.fault_entry=110",
					 "cost.fault_exit=60",
					 "cost.zero_page=230",
					 "cost.copy_page=470");
	struct task_struct *p = start_process("touch");
	unsigned long base = map_anon(2);
	uint64_t sys = p->body.sys_ns, w = 1;
	struct task_struct *child;
	long pid;

	(void)state;
	/* a kernel write into a fresh page faults like the program's */
	assert_int_equal(copy_to_user(base, &w, sizeof(w)), 0);
	assert_int_equal(p->body.sys_ns - sys, 110 + 60 + 230);
	pid = sys_fork();
	assert_true(pid > 0);
	child = find_task_by_vpid((pid_t)pid);
	/* the parent's write after fork copies the page */
	sys = p->body.sys_ns;
	assert_int_equal(poke(base, 2), 0);
	assert_int_equal(p->body.sys_ns - sys, 110 + 60 + 470);
	/* a read of the never-touched page maps the zero page: no
	 * zeroing; a write then replaces it with a zeroed page */
	sys = p->body.sys_ns;
	assert_int_equal(peek(base + PG(1), &(char){ 0 }), 0);
	assert_int_equal(p->body.sys_ns - sys, 110 + 60);
	sys = p->body.sys_ns;
	assert_int_equal(poke(base + PG(1), 3), 0);
	assert_int_equal(p->body.sys_ns - sys, 110 + 60 + 230);
	set_current_task(NULL);
	release_task(child);
	end_process(p);
	machine_destroy(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_seq_stride_loop_orders),
		cmocka_unit_test(test_random_is_uniform_and_seeded),
		cmocka_unit_test(test_zipf_ranks_by_popularity),
		cmocka_unit_test(test_zipf_permutation_is_a_bijection),
		cmocka_unit_test(test_bad_arguments_are_named),
		cmocka_unit_test(test_writes_leave_each_word_its_address),
		cmocka_unit_test(test_budget_split_ends_as_one_run),
		cmocka_unit_test(test_touch_past_mapping_is_signalled),
		cmocka_unit_test(test_minor_faults_count_pages_first_touched),
		cmocka_unit_test(test_cpu_time_of_fresh_pages_is_exact),
		cmocka_unit_test(test_kernel_copies_and_cow_are_charged),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
