/* `mmsim bench translate`: the MMU model's cost per translation on an L1
 * dTLB hit, on an L1 miss that hits the STLB, and on a miss in both (a
 * full 4-level walk), each beside a host memory load over an array of
 * the same footprint (one load per page, same page order) measured in
 * the same run. Working sets are sized from the TLB geometry so each
 * case hits the path it names; a sanity line checks that it did, and
 * that the page tables went back to the allocator. */
#include <stdlib.h>
#include <string.h>

#include "arch/mmu.h"
#include "arch/tlbflush.h"
#include "base/prng.h"
#include "bench/bench.h"
#include "mm/pgtable.h"
#include "mm/vmstat.h"

#define BENCH_VA 0x10000000UL /* user address of the first page */
#define HIT_ITERS (1UL << 22)
#define L2_ITERS (1UL << 21)
#define WALK_ITERS (1UL << 20)
#define PERM_SEED 7

enum { R_HIT, R_L2, R_WALK, NR_RESULTS };

/* One working set: the order its pages are visited in, for both sides. */
struct wset {
	unsigned long pages; /* a power of two */
	unsigned long *order;
	struct mm_struct *mm;
	char *host; /* pages * 4 KiB of host memory */
	uint64_t sink;
	unsigned long faults;
};

struct bench_state {
	struct mm_struct mm;
	struct wset w[NR_RESULTS];
	struct bench_result r[NR_RESULTS];
	struct tlb_stats delta[NR_RESULTS];
	unsigned long start_free, start_tables;
};

/* ---- bodies --------------------------------------------------------------- */

static void mm_translate(void *arg, unsigned long n)
{
	struct wset *w = arg;
	unsigned long mask = w->pages - 1;
	uint64_t sum = 0;

	for (unsigned long i = 0; i < n; i++) {
		uint64_t pa = 0;

		if (unlikely(translate(0, w->mm, BENCH_VA + w->order[i & mask],
				       MMU_READ, MMU_USER, &pa, NULL)))
			w->faults++;
		sum += pa;
	}
	w->sink += sum;
}

static void host_load(void *arg, unsigned long n)
{
	struct wset *w = arg;
	unsigned long mask = w->pages - 1;
	uint64_t sum = 0;

	for (unsigned long i = 0; i < n; i++)
		sum += *(volatile uint64_t *)(w->host + w->order[i & mask]);
	w->sink += sum;
}

/* ---- working sets ----------------------------------------------------------- */

/* Byte offsets of pages 0..n-1 in a fixed random order. */
static unsigned long *page_order(unsigned long n)
{
	unsigned long *o = malloc(n * sizeof(*o));
	struct prng rng;

	if (!o)
		return NULL;
	prng_seed(&rng, PERM_SEED);
	for (unsigned long i = 0; i < n; i++)
		o[i] = i * PAGE_SIZE;
	for (unsigned long i = n - 1; i > 0; i--) {
		unsigned long j = prng_below(&rng, i + 1), t = o[i];

		o[i] = o[j];
		o[j] = t;
	}
	return o;
}

static unsigned long pow2_floor(unsigned long x)
{
	return x ? rounddown_pow_of_two(x) : 1;
}

/* Half the L1 dTLB fits it; a third of the STLB overflows every L1 set
 * but fits the STLB; 8x the STLB (at least 64 pages per STLB set)
 * misses both. */
static bool wsets_init(struct bench_state *s)
{
	const struct tlb *t = &mmu_cpu(M->mmu, 0)->tlb;
	unsigned long l1 = t->a[TLB_DTLB_4K].sets * t->a[TLB_DTLB_4K].ways;
	unsigned long l2 = t->a[TLB_STLB].sets * t->a[TLB_STLB].ways;
	unsigned long n[NR_RESULTS] = {
		pow2_floor(l1 / 2),
		pow2_floor(l2 / 3),
		max(pow2_floor(l2 * 8), 64UL * t->a[TLB_STLB].sets),
	};

	for (int i = 0; i < NR_RESULTS; i++) {
		struct wset *w = &s->w[i];

		w->pages = n[i];
		w->mm = &s->mm;
		w->order = page_order(n[i]);
		w->host = malloc(n[i] * PAGE_SIZE);
		if (!w->order || !w->host)
			return false;
		memset(w->host, 1, n[i] * PAGE_SIZE);
	}
	return true;
}

static void wsets_free(struct bench_state *s)
{
	for (int i = 0; i < NR_RESULTS; i++) {
		free(s->w[i].order);
		free(s->w[i].host);
	}
}

/* The largest working set, mapped to frames cycling over 16..48 MiB. */
static int map_pages(struct bench_state *s)
{
	unsigned long pages = s->w[R_WALK].pages;

	for (unsigned long i = 0; i < pages; i += 4096) {
		unsigned long nr = min(pages - i, 4096UL);
		int err = pt_map_range(&s->mm, BENCH_VA + i * PAGE_SIZE,
				       nr * PAGE_SIZE, 0x1000 + (i % 8192),
				       PAGE_SHARED, PAGE_SIZE);

		if (err)
			return err;
	}
	return 0;
}

/* ---- running ------------------------------------------------------------------ */

static void stats_delta(struct tlb_stats *d, const struct tlb_stats *before)
{
	const struct tlb_stats *now = &mmu_cpu(M->mmu, 0)->tlb.stats;

	d->dtlb_hits = now->dtlb_hits - before->dtlb_hits;
	d->dtlb_misses = now->dtlb_misses - before->dtlb_misses;
	d->stlb_hits = now->stlb_hits - before->stlb_hits;
	d->stlb_misses = now->stlb_misses - before->stlb_misses;
	d->page_walks = now->page_walks - before->page_walks;
	d->walk_steps = now->walk_steps - before->walk_steps;
}

static void run_one(struct bench_state *s, int i, unsigned long iters)
{
	struct bench_body mm = { mm_translate, &s->w[i], iters, iters };
	struct bench_body host = { host_load, &s->w[i], iters, iters };
	struct tlb_stats before = mmu_cpu(M->mmu, 0)->tlb.stats;

	/* Start cold, so the warm-up pays the first touches of every case. */
	flush_tlb_mm(&s->mm);
	bench_compare(&mm, &host, BENCH_ROUNDS, &s->r[i]);
	stats_delta(&s->delta[i], &before);
}

static void run_all(struct bench_state *s)
{
	static char ref[NR_RESULTS][48];
	static const char *const names[NR_RESULTS] = {
		"tlb_hit",
		"l1_miss_l2_hit",
		"full_walk",
	};
	static const unsigned long iters[NR_RESULTS] = {
		HIT_ITERS,
		L2_ITERS,
		WALK_ITERS,
	};

	for (int i = 0; i < NR_RESULTS; i++) {
		snprintf(ref[i], sizeof(ref[i]), "host load, %lu KiB array",
			 s->w[i].pages * (PAGE_SIZE >> 10));
		s->r[i] = (struct bench_result){ names[i], 0, ref[i], 0 };
		run_one(s, i, iters[i]);
	}
}

/* ---- sanity and report ---------------------------------------------------------- */

static double pct(unsigned long part, unsigned long whole)
{
	return whole ? 100.0 * (double)part / (double)whole : 0;
}

/* Each case took its path on (nearly) every translation. */
static bool paths_ok(const struct bench_state *s, struct seq_file *m)
{
	const struct tlb_stats *h = &s->delta[R_HIT], *l = &s->delta[R_L2],
			       *w = &s->delta[R_WALK];
	double hit = pct(h->dtlb_hits, h->dtlb_hits + h->dtlb_misses);
	double l2 = pct(l->stlb_hits, l->dtlb_hits + l->dtlb_misses);
	double walk = pct(w->page_walks, w->dtlb_hits + w->dtlb_misses);
	double steps = w->page_walks ?
			       (double)w->walk_steps / (double)w->page_walks :
			       0;

	seq_printf(
		m,
		"paths: tlb_hit %.1f%% dTLB hits; l1_miss_l2_hit %.1f%% STLB hits; ",
		hit, l2);
	seq_printf(m, "full_walk %.1f%% walks of %.1f steps\n", walk, steps);
	return hit > 99 && l2 > 99 && walk > 99;
}

static bool check_sanity(struct seq_file *m, void *state)
{
	struct bench_state *s = state;
	unsigned long faults = 0, bad, tables, end_free;
	bool ok = paths_ok(s, m);
	struct mmu_gather tlb;

	for (int i = 0; i < NR_RESULTS; i++)
		faults += s->w[i].faults;
	tlb_gather_mmu(&tlb, &s->mm);
	pt_zap_range(&tlb, 0, TASK_SIZE_MAX);
	free_pgd_range(&tlb, 0, TASK_SIZE_MAX, 0, 0);
	tlb_finish_mmu(&tlb);
	bad = check_pgtable_invariants();
	mm_pgtable_exit(&s->mm);
	tables = global_node_page_state(NR_PAGETABLE);
	end_free = bench_free_pages();
	ok = ok && !faults && !bad && tables == s->start_tables &&
	     end_free == s->start_free;
	seq_printf(m, "sanity: %s (%lu faults, %lu invariant violations, ",
		   ok ? "ok" : "FAILED", faults, bad);
	seq_printf(m, "page-table pages %lu at start, %lu at end; ",
		   s->start_tables, tables);
	seq_printf(m, "free pages %lu at start, %lu at end)\n", s->start_free,
		   end_free);
	return ok;
}

static void describe(struct seq_file *m, void *state)
{
	const struct bench_state *s = state;

	seq_printf(m, "machine: %lu MiB RAM, %s, %s paging, %s\n",
		   (unsigned long)(M->ram_bytes >> 20), M->arch->name,
		   M->pt_fmt->name,
		   !M->arch->x86 ? "no ASIDs" :
		   M->mmu->pcid	 ? "PCID on" :
				   "PCID off");
	bench_describe_rounds(m);
	seq_printf(
		m,
		"\ntlb_hit         1 op = translate() of a user read; %lu pages visited\n",
		s->w[R_HIT].pages);
	seq_puts(
		m,
		"                in a fixed random order, all in the L1 dTLB\n");
	seq_printf(
		m,
		"l1_miss_l2_hit  the same over %lu pages: every L1 set overflows, the\n",
		s->w[R_L2].pages);
	seq_puts(m, "                STLB holds them all\n");
	seq_printf(
		m,
		"full_walk       the same over %lu pages: both levels miss, every\n",
		s->w[R_WALK].pages);
	seq_printf(m, "                translation walks the %d-level tables\n",
		   M->pt_fmt->levels);
	seq_puts(
		m,
		"reference       one 8-byte load per page of a host array of the same\n"
		"                footprint, pages in the same order\n"
		"ratio           mmsim ns/op / reference ns/op\n"
		"targets         tlb_hit under 3 ns, full_walk under 30 ns\n\n");
}

int bench_translate(const struct bench_opts *opts)
{
	struct bench_state *s = calloc(1, sizeof(*s));
	struct machine *m;
	int status = 1;

	if (!s) {
		fprintf(stderr, "mmsim bench translate: out of host memory\n");
		return 1;
	}
	m = bench_boot(opts, "translate");
	if (!m) {
		free(s);
		return 1;
	}
	s->start_free = bench_free_pages();
	s->start_tables = global_node_page_state(NR_PAGETABLE);
	if (!wsets_init(s) || mm_pgtable_init(&s->mm) || map_pages(s)) {
		fprintf(stderr,
			"mmsim bench translate: out of memory setting up\n");
		goto out;
	}
	run_all(s);
	status = bench_report(
		opts, &(struct bench_report){ "translate", s->r, NR_RESULTS,
					      check_sanity, describe, s });
out:
	wsets_free(s);
	machine_destroy(m);
	free(s);
	return status;
}
