/* `mmsim bench run`: how fast the running system simulates. One task
 * touches its memory through workload/access.h from its body steps, as
 * a scenario's p:touch{} does: sequentially over pre-faulted memory that
 * the L1 dTLB holds (the TLB-hit path), at random over a region ten
 * times the STLB's reach (the page-walk path), and once per page of
 * fresh anonymous memory (the fault path); then 100 runnable tasks
 * alternate compute() and sched_yield() (the scheduler and the event
 * engine). Each figure is beside a host reference measured in the same
 * run: the same number of plain host memory accesses over a host buffer
 * of the same size; host first-touch faults of a fresh mmap; host
 * context switches between two processes on one CPU passing a byte
 * through pipes (lmbench's lat_ctx). */
#define _GNU_SOURCE
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "arch/mmu.h"
#include "bench/bench.h"
#include "fs/binfmts.h"
#include "kernel/fork.h"
#include "kernel/sched/run.h"
#include "kernel/syscalls.h"
#include "kernel/time/time.h"
#include "mm/vma.h"
#include "mm/vmstat.h"
#include "workload/access.h"

#define RW (PROT_READ | PROT_WRITE)
#define ANON (MAP_PRIVATE | MAP_ANONYMOUS)

#define SEQ_BYTES (128UL << 10) /* 32 pages: half the L1 dTLB */
#define SEQ_ACCESSES (1UL << 25)
#define RANDOM_BYTES (64UL << 20) /* 16384 pages: 10x the STLB */
#define RANDOM_ACCESSES (1UL << 22)
#define FAULT_BYTES (256UL << 20)
#define NR_YIELDERS 100
#define YIELD_COMPUTE_NS 1000
#define SWITCH_RUN_NS (500 * NSEC_PER_MSEC) /* virtual, per round */
#define HOST_PINGPONGS 50000UL
#define SEED 12345

enum { R_SEQ, R_RANDOM, R_FAULT, R_SWITCH, NR_RESULTS };

struct bench_state {
	struct bench_toucher tc;
	unsigned long seq_base, random_base;
	struct tlb_stats tlb[NR_RESULTS]; /* counted over each case */
	uint64_t faults, fault_pages; /* of the fault case's last round */
	uint64_t switches; /* of the last scheduler round */
	unsigned long bad_words; /* words not holding their address */
	unsigned long failures;
	unsigned start_reports;
	bool stop_yielders;
	uint64_t sink;
	struct bench_result r[NR_RESULTS];
};

/* ---- tasks ------------------------------------------------------------------ */

/* ---- the touch cases ------------------------------------------------------------ */

static struct touch_args seq_args(const struct bench_state *s)
{
	return (struct touch_args){ .addr = s->seq_base,
				    .length = SEQ_BYTES,
				    .pattern = TOUCH_LOOP,
				    .write = true,
				    .count = SEQ_ACCESSES,
				    .stride = 8 };
}

static struct touch_args random_args(const struct bench_state *s)
{
	return (struct touch_args){ .addr = s->random_base,
				    .length = RANDOM_BYTES,
				    .pattern = TOUCH_RANDOM,
				    .count = RANDOM_ACCESSES,
				    .stride = 8,
				    .seed = SEED };
}

static struct touch_args fault_args(void)
{
	return (struct touch_args){ .length = FAULT_BYTES, .write = true };
}

/* Host: the same accesses over a host buffer. */
static double host_seq(struct bench_state *s, char *buf)
{
	uint64_t t0 = bench_now_ns();
	unsigned long words = SEQ_BYTES / 8, w = 0;

	for (unsigned long i = 0; i < SEQ_ACCESSES; i++) {
		volatile uint64_t *p = (volatile uint64_t *)buf + w;

		*p = (uint64_t)(uintptr_t)p;
		if (++w == words)
			w = 0;
	}
	(void)s;
	return (double)(bench_now_ns() - t0) / SEQ_ACCESSES;
}

static double host_random(struct bench_state *s, char *buf)
{
	uint64_t t0 = bench_now_ns(), sum = 0;
	struct prng rng;

	prng_seed(&rng, SEED);
	for (unsigned long i = 0; i < RANDOM_ACCESSES; i++)
		sum += ((volatile uint64_t *)
				buf)[prng_below(&rng, RANDOM_BYTES / 8)];
	s->sink += sum;
	return (double)(bench_now_ns() - t0) / RANDOM_ACCESSES;
}

/* First-touch faults of a fresh host mmap (4 KiB pages), the mmap and
 * munmap untimed. */
static double host_fault(struct bench_state *s)
{
	char *p = mmap(NULL, FAULT_BYTES, RW, ANON, -1, 0);
	uint64_t t0;
	double ns;

	if (p == MAP_FAILED) {
		s->failures++;
		return 0;
	}
	madvise(p, FAULT_BYTES, MADV_NOHUGEPAGE);
	t0 = bench_now_ns();
	for (unsigned long off = 0; off < FAULT_BYTES; off += PAGE_SIZE)
		*(volatile uint64_t *)(p + off) =
			(uint64_t)(uintptr_t)(p + off);
	ns = (double)(bench_now_ns() - t0) / (double)(FAULT_BYTES / PAGE_SIZE);
	munmap(p, FAULT_BYTES);
	return ns;
}

/* The TLB counters of all CPUs added up. */
static struct tlb_stats tlb_totals(void)
{
	struct tlb_stats t = { 0 };
	int cpu;

	for_each_online_cpu(cpu) {
		const struct tlb_stats *c = &mmu_cpu(M->mmu, cpu)->tlb.stats;

		t.dtlb_hits += c->dtlb_hits;
		t.dtlb_misses += c->dtlb_misses;
		t.page_walks += c->page_walks;
		t.walk_steps += c->walk_steps;
	}
	return t;
}

static void stats_add_delta(struct tlb_stats *d, const struct tlb_stats *before)
{
	struct tlb_stats now = tlb_totals();

	d->dtlb_hits += now.dtlb_hits - before->dtlb_hits;
	d->dtlb_misses += now.dtlb_misses - before->dtlb_misses;
	d->page_walks += now.page_walks - before->page_walks;
	d->walk_steps += now.walk_steps - before->walk_steps;
}

/* One round of case i on both sides. */
static void touch_round(struct bench_state *s, int i, char *seq_buf,
			char *random_buf)
{
	struct bench_result *r = &s->r[i];
	struct tlb_stats before = tlb_totals();
	struct touch_args a = i == R_SEQ    ? seq_args(s) :
			      i == R_RANDOM ? random_args(s) :
					      fault_args();
	double mm = bench_toucher_run(&s->tc, &a, i == R_FAULT, false), host;

	stats_add_delta(&s->tlb[i], &before);
	if (i == R_FAULT) {
		s->faults = s->tc.t.faults;
		s->fault_pages = s->tc.t.done;
	}
	host = i == R_SEQ    ? host_seq(s, seq_buf) :
	       i == R_RANDOM ? host_random(s, random_buf) :
			       host_fault(s);
	bench_keep_best(&r->ns_per_op, mm);
	bench_keep_best(&r->reference_ns_per_op, host);
}

/* ---- the scheduler case ------------------------------------------------------------ */

static int yielder_body(struct task_struct *p, void *arg)
{
	struct bench_state *s = arg;

	(void)p;
	if (s->stop_yielders)
		return TASK_BODY_EXIT;
	compute(YIELD_COMPUTE_NS);
	sys_sched_yield();
	return TASK_BODY_RUN;
}

/* Host ns per context switch of mmsim's scheduler over a round. */
static double switch_round(struct bench_state *s)
{
	uint64_t n0 = nr_context_switches(), t0 = bench_now_ns(), t1;

	sched_run_for(SWITCH_RUN_NS);
	t1 = bench_now_ns();
	s->switches = nr_context_switches() - n0;
	return s->switches ? (double)(t1 - t0) / (double)s->switches : 0;
}

/* The host's CPU affinity of this process (a mask of 1024 CPUs; the
 * raw system call: <sched.h> would clash with the kernel's names). */
#define HOST_CPU_WORDS 16

static bool host_affinity(unsigned long *mask, bool set)
{
	long r = syscall(set ? SYS_sched_setaffinity : SYS_sched_getaffinity, 0,
			 HOST_CPU_WORDS * sizeof(long), mask);

	return r >= 0;
}

/* A mask of the first CPU in mask. */
static void first_cpu(const unsigned long *mask, unsigned long *one)
{
	memset(one, 0, HOST_CPU_WORDS * sizeof(long));
	for (int w = 0; w < HOST_CPU_WORDS; w++) {
		if (mask[w]) {
			one[w] = mask[w] & -mask[w];
			return;
		}
	}
}

/* Host: two processes on one CPU pass a byte back and forth through
 * two pipes; each pass is one context switch. */
static double host_switch(struct bench_state *s)
{
	unsigned long old[HOST_CPU_WORDS] = { 0 }, one[HOST_CPU_WORDS];
	int ab[2], ba[2];
	bool pinned;
	uint64_t t0, t1;
	pid_t pid;
	char c = 0;

	if (pipe(ab))
		goto fail;
	if (pipe(ba)) {
		close(ab[0]);
		close(ab[1]);
		goto fail;
	}
	pinned = host_affinity(old, false);
	if (pinned) {
		first_cpu(old, one);
		pinned = host_affinity(one, true);
	}
	pid = fork();
	if (pid == 0) {
		for (unsigned long i = 0; i < HOST_PINGPONGS; i++)
			if (read(ab[0], &c, 1) != 1 || write(ba[1], &c, 1) != 1)
				_exit(1);
		_exit(0);
	}
	t0 = bench_now_ns();
	for (unsigned long i = 0; pid > 0 && i < HOST_PINGPONGS; i++)
		if (write(ab[1], &c, 1) != 1 || read(ba[0], &c, 1) != 1)
			break;
	t1 = bench_now_ns();
	if (pid > 0)
		waitpid(pid, NULL, 0);
	if (pinned)
		host_affinity(old, true);
	close(ab[0]);
	close(ab[1]);
	close(ba[0]);
	close(ba[1]);
	if (pid > 0)
		return (double)(t1 - t0) / (2.0 * HOST_PINGPONGS);
fail:
	s->failures++;
	return 0;
}

static bool start_yielders(struct bench_state *s)
{
	for (int i = 0; i < NR_YIELDERS; i++)
		if (!bench_start_task("yielder", yielder_body, s))
			return false;
	return true;
}

/* ---- setup ----------------------------------------------------------------- */

/* The toucher and its pre-faulted regions, each word of the
 * sequential one written with its address. */
static bool setup_regions(struct bench_state *s)
{
	struct touch_args a = { .write = true,
				.length = SEQ_BYTES,
				.stride = 8 };

	if (!bench_toucher_start(&s->tc, "toucher", "mmsim bench run",
				 &s->failures) ||
	    !bench_toucher_run(&s->tc, &a, true, true))
		return false;
	s->seq_base = s->tc.args.addr;
	a.length = RANDOM_BYTES;
	a.stride = PAGE_SIZE;
	if (!bench_toucher_run(&s->tc, &a, true, true))
		return false;
	s->random_base = s->tc.args.addr;
	return true;
}

/* Untimed: a read pass of the sequential region finds each word
 * holding its address (their sum). */
static void check_words(struct bench_state *s)
{
	struct touch_args a = { .addr = s->seq_base,
				.length = SEQ_BYTES,
				.stride = 8 };
	uint64_t want = 0;

	for (unsigned long off = 0; off < SEQ_BYTES; off += 8)
		want += s->seq_base + off;
	if (!bench_toucher_run(&s->tc, &a, false, false) || s->tc.t.sum != want)
		s->bad_words++;
}

static void run_all(struct bench_state *s, char *seq_buf, char *random_buf)
{
	static const char *const names[NR_RESULTS] = { "touch_seq_tlb_hit",
						       "touch_random_walk",
						       "touch_fault",
						       "context_switch" };
	static const char *const refs[NR_RESULTS] = {
		"host seq writes, 128 KiB", "host random reads, 64 MiB",
		"host first-touch faults", "host pipe ping-pong, 1 CPU"
	};

	for (int i = 0; i < NR_RESULTS; i++)
		s->r[i] = (struct bench_result){ names[i], 0, refs[i], 0 };
	for (int i = R_SEQ; i <= R_FAULT; i++) {
		touch_round(s, i, seq_buf, random_buf); /* warm-up */
		s->r[i].ns_per_op = s->r[i].reference_ns_per_op = 0;
		memset(&s->tlb[i], 0, sizeof(s->tlb[i]));
		for (int k = 0; k < BENCH_ROUNDS; k++)
			touch_round(s, i, seq_buf, random_buf);
	}
	check_words(s);
	if (!start_yielders(s)) {
		s->failures++;
		return;
	}
	switch_round(s);
	host_switch(s);
	for (int k = 0; k < BENCH_ROUNDS; k++) {
		bench_keep_best(&s->r[R_SWITCH].ns_per_op, switch_round(s));
		bench_keep_best(&s->r[R_SWITCH].reference_ns_per_op,
				host_switch(s));
	}
	s->stop_yielders = true;
	sched_run_for(100 * NSEC_PER_MSEC);
}

/* ---- report -------------------------------------------------------------------- */

static double pct(unsigned long part, unsigned long whole)
{
	return whole ? 100.0 * (double)part / (double)whole : 0;
}

static double per_sec(double ns_per_op)
{
	return ns_per_op > 0 ? 1e3 / ns_per_op : 0; /* millions per second */
}

static bool check_sanity(struct seq_file *m, void *state)
{
	struct bench_state *s = state;
	const struct tlb_stats *q = &s->tlb[R_SEQ], *w = &s->tlb[R_RANDOM];
	double hit = pct(q->dtlb_hits, q->dtlb_hits + q->dtlb_misses);
	double walk = pct(w->page_walks, w->dtlb_hits + w->dtlb_misses);
	unsigned reports = M->nr_bugs + M->nr_warns - s->start_reports;
	/* each yield of 100 tasks is a switch: about one per
	 * compute + context_switch of virtual time, per CPU */
	uint64_t want = SWITCH_RUN_NS * (uint64_t)M->nr_cpus /
			(YIELD_COMPUTE_NS + cost_ns(COST_CONTEXT_SWITCH)) / 2;
	bool ok = hit > 99 && walk > 80 && s->faults == s->fault_pages &&
		  s->fault_pages == FAULT_BYTES / PAGE_SIZE &&
		  s->switches >= want && !s->bad_words && !s->failures &&
		  !reports;

	seq_printf(m, "per host second: %.1f M TLB-hit accesses (target 100), ",
		   per_sec(s->r[R_SEQ].ns_per_op));
	seq_printf(m, "%.1f M walk accesses, %.2f M faults, ",
		   per_sec(s->r[R_RANDOM].ns_per_op),
		   per_sec(s->r[R_FAULT].ns_per_op));
	seq_printf(m, "%.2f M context switches\n",
		   per_sec(s->r[R_SWITCH].ns_per_op));
	seq_printf(
		m,
		"paths: seq %.1f%% dTLB hits; random %.1f%% walks; fault %lu faults for %lu pages; ",
		hit, walk, (unsigned long)s->faults,
		(unsigned long)s->fault_pages);
	seq_printf(m, "%lu switches in %lu ms of virtual time\n",
		   (unsigned long)s->switches,
		   (unsigned long)(SWITCH_RUN_NS / NSEC_PER_MSEC));
	seq_printf(m, "sanity: %s (%s, %lu failures, %u BUG/WARN reports)\n",
		   ok ? "ok" : "FAILED",
		   s->bad_words ? "words NOT holding their address" :
				  "each word holds its address",
		   s->failures, reports);
	return ok;
}

static void describe(struct seq_file *m, void *state)
{
	(void)state;
	bench_describe_machine(m, NULL);
	seq_puts(
		m,
		"\n"
		"touch_seq_tlb_hit  1 op = one simulated 8-byte write of a task's touch\n"
		"                   (loop pattern) over 128 KiB of pre-faulted memory,\n"
		"                   every page in the L1 dTLB; run from the task's body\n"
		"                   a tick of CPU time per step, costs charged\n"
		"touch_random_walk  one 8-byte read at random over 64 MiB of pre-faulted\n"
		"                   memory, 10x the STLB's reach: most walk the tables\n"
		"touch_fault        one write per page of a fresh 256 MiB anonymous mmap:\n"
		"                   TLB miss, walk, fault, zeroed page, retried access\n"
		"context_switch     one switch of mmsim's scheduler with 100 runnable\n"
		"                   tasks, each step 1 us of compute() and sched_yield()\n"
		"reference          the same number of host 8-byte accesses over a host\n"
		"                   buffer of the same size (same order; random: the same\n"
		"                   generator); host first-touch faults of a fresh mmap\n"
		"                   (MADV_NOHUGEPAGE); host context switches: two\n"
		"                   processes pinned to one CPU passing a byte through\n"
		"                   two pipes (lmbench lat_ctx), one switch per pass\n"
		"ratio              mmsim ns/op / reference ns/op\n\n");
}

static bool enough_memory(void)
{
	unsigned long need = (FAULT_BYTES + RANDOM_BYTES) / PAGE_SIZE * 9 / 8;

	if (bench_free_pages() >= need + M->totalreserve_pages)
		return true;
	fprintf(stderr,
		"mmsim bench run: --ram %lluM is too small: the benchmark touches 320 MiB; use --ram 1G or more\n",
		(unsigned long long)(M->ram_bytes >> 20));
	return false;
}

int bench_run(const struct bench_opts *opts)
{
	struct bench_state *s = calloc(1, sizeof(*s));
	char *seq_buf = malloc(SEQ_BYTES), *random_buf = malloc(RANDOM_BYTES);
	struct machine *m = NULL;
	int status = 1;

	if (!s || !seq_buf || !random_buf) {
		fprintf(stderr, "mmsim bench run: out of host memory\n");
		goto out;
	}
	memset(seq_buf, 1, SEQ_BYTES);
	memset(random_buf, 1, RANDOM_BYTES);
	m = bench_boot(opts, "run");
	if (!m)
		goto out;
	if (!enough_memory()) {
		status = 2;
		goto out;
	}
	s->start_reports = M->nr_bugs + M->nr_warns;
	if (!setup_regions(s)) {
		fprintf(stderr, "mmsim bench run: cannot set up the toucher\n");
		goto out;
	}
	run_all(s, seq_buf, random_buf);
	status = bench_report(
		opts, &(struct bench_report){ "run", s->r, NR_RESULTS,
					      check_sanity, describe, s });
out:
	if (m)
		machine_destroy(m);
	free(seq_buf);
	free(random_buf);
	free(s);
	return status;
}
