/* `mmsim bench page_alloc`: the page allocator's order-0 alloc+free pair
 * with and without the per-CPU page lists, and a mixed order-0..4 load
 * of 10,000 live blocks, each beside the host malloc/free of the same
 * sizes in the same run. Ends by checking every page came back. */
#include <stdlib.h>

#include "base/prng.h"
#include "bench/bench.h"
#include "mm/gfp.h"
#include "mm/internal.h"
#include "mm/vmstat.h"

/* Iterations per round: alloc+free pairs, or free+alloc (2 ops). */
#define PAIR_ITERS (1UL << 20)
#define NOPCP_ITERS (1UL << 19)
#define MIXED_ITERS (1UL << 18)
#define MIXED_SLOTS 10000 /* live blocks */
#define MIXED_MAX_ORDER 4
#define MIXED_SEED 1

enum { R_PCP, R_NOPCP, R_MIXED, NR_RESULTS };

struct pair_ctx {
	unsigned long failures;
};

/* The 10,000-slot table of the mixed test: mmsim pages or host blocks. */
struct mixed_ctx {
	struct prng rng;
	unsigned long failures;
	void *slot[MIXED_SLOTS];
	unsigned char order[MIXED_SLOTS];
};

struct bench_state {
	struct pair_ctx pair;
	struct mixed_ctx *mm, *host;
	struct bench_result r[NR_RESULTS];
	unsigned long start_free; /* free pages after boot, pcp drained */
	unsigned start_reports; /* BUG/WARN reports printed by boot */
};

/* ---- order-0 pair --------------------------------------------------- */

static void mm_pair(void *arg, unsigned long n)
{
	struct pair_ctx *c = arg;

	for (unsigned long i = 0; i < n; i++) {
		struct page *page = alloc_pages(GFP_KERNEL, 0);

		if (unlikely(!page)) {
			c->failures++;
			return;
		}
		__free_pages(page, 0);
	}
}

static void host_pair(void *arg, unsigned long n)
{
	(void)arg;
	for (unsigned long i = 0; i < n; i++) {
		void *p = malloc(4096);

		bench_keep(p);
		free(p);
	}
}

static void run_pair(struct bench_state *s, struct bench_result *r,
		     unsigned long iters)
{
	struct bench_body mm = { mm_pair, &s->pair, iters, iters };
	struct bench_body host = { host_pair, NULL, iters, iters };

	bench_compare(&mm, &host, BENCH_ROUNDS, r);
}

/* ---- mixed orders --------------------------------------------------- */

static void mm_mixed_alloc(struct mixed_ctx *c, unsigned long s)
{
	unsigned order = (unsigned)prng_below(&c->rng, MIXED_MAX_ORDER + 1);

	c->slot[s] = alloc_pages(GFP_KERNEL, order);
	c->order[s] = (unsigned char)order;
	if (unlikely(!c->slot[s]))
		c->failures++;
}

static void host_mixed_alloc(struct mixed_ctx *c, unsigned long s)
{
	unsigned order = (unsigned)prng_below(&c->rng, MIXED_MAX_ORDER + 1);

	c->slot[s] = malloc(4096UL << order);
	c->order[s] = (unsigned char)order;
	bench_keep(c->slot[s]);
}

/* Each iteration frees a random slot and allocates a random order into
 * it: two operations. */
static void mm_mixed(void *arg, unsigned long n)
{
	struct mixed_ctx *c = arg;

	for (unsigned long i = 0; i < n; i++) {
		unsigned long s = prng_below(&c->rng, MIXED_SLOTS);

		if (likely(c->slot[s]))
			__free_pages(c->slot[s], c->order[s]);
		mm_mixed_alloc(c, s);
	}
}

static void host_mixed(void *arg, unsigned long n)
{
	struct mixed_ctx *c = arg;

	for (unsigned long i = 0; i < n; i++) {
		unsigned long s = prng_below(&c->rng, MIXED_SLOTS);

		free(c->slot[s]);
		host_mixed_alloc(c, s);
	}
}

static void mixed_fill(struct mixed_ctx *mm, struct mixed_ctx *host)
{
	prng_seed(&mm->rng, MIXED_SEED);
	prng_seed(&host->rng, MIXED_SEED);
	for (unsigned long s = 0; s < MIXED_SLOTS; s++) {
		mm_mixed_alloc(mm, s);
		host_mixed_alloc(host, s);
	}
}

static void mixed_free_all(struct mixed_ctx *mm, struct mixed_ctx *host)
{
	for (unsigned long s = 0; s < MIXED_SLOTS; s++) {
		if (mm->slot[s])
			__free_pages(mm->slot[s], mm->order[s]);
		free(host->slot[s]);
		mm->slot[s] = host->slot[s] = NULL;
	}
}

static void run_mixed(struct bench_state *s, struct bench_result *r)
{
	struct bench_body mm = { mm_mixed, s->mm, MIXED_ITERS,
				 2 * MIXED_ITERS };
	struct bench_body host = { host_mixed, s->host, MIXED_ITERS,
				   2 * MIXED_ITERS };

	mixed_fill(s->mm, s->host);
	bench_compare(&mm, &host, BENCH_ROUNDS, r);
	mixed_free_all(s->mm, s->host);
}

/* ---- sanity --------------------------------------------------------- */

static unsigned long zone_pcp_pages(const struct zone *zone)
{
	unsigned long n = 0;
	int cpu;

	if (zone->per_cpu_pageset)
		for_each_online_cpu(cpu)
			n += (unsigned long)zone->per_cpu_pageset[cpu].count;
	return n;
}

static unsigned long pcp_pages(void)
{
	unsigned long n = 0;
	struct zone *zone;

	for_each_populated_zone(zone)
		n += zone_pcp_pages(zone);
	return n;
}

/* Free pages once the pcp lists are drained back to the buddy lists. */
static unsigned long free_pages_drained(void)
{
	drain_all_pages(NULL);
	return nr_free_pages() + pcp_pages();
}

/* Prints the one-line sanity result; returns whether it passed. */
static bool check_sanity(struct seq_file *m, const struct bench_state *s)
{
	unsigned long end_free = free_pages_drained();
	unsigned long bad = check_page_alloc_invariants();
	unsigned long fails = s->pair.failures + s->mm->failures;
	unsigned reports = M->nr_bugs + M->nr_warns - s->start_reports;
	bool ok = end_free == s->start_free && !bad && !fails && !reports;

	seq_printf(m, "sanity: %s (free pages %lu at start, %lu at end; ",
		   ok ? "ok" : "FAILED", s->start_free, end_free);
	seq_printf(m, "%lu invariant violations, %lu failed allocations, ", bad,
		   fails);
	seq_printf(m, "%u BUG/WARN reports)\n", reports);
	return ok;
}

/* The mixed test can hold MIXED_SLOTS blocks of the largest order; a
 * machine too small for that would measure allocation failures. */
static bool enough_memory(const struct bench_state *s)
{
	unsigned long need = (unsigned long)MIXED_SLOTS << MIXED_MAX_ORDER;

	if (s->start_free >= need + M->totalreserve_pages)
		return true;
	fprintf(stderr,
		"mmsim bench page_alloc: --ram %lluM is too small: the mixed test may hold %lu MiB; use --ram 1G or more\n",
		(unsigned long long)(M->ram_bytes >> 20),
		need >> (20 - PAGE_SHIFT));
	return false;
}

/* ---- report --------------------------------------------------------- */

static void describe_machine(struct seq_file *m)
{
	seq_printf(m, "machine: %lu MiB RAM, %d node%s, %d CPU%s, %s\n",
		   (unsigned long)(M->ram_bytes >> 20), M->nr_nodes,
		   M->nr_nodes == 1 ? "" : "s", M->nr_cpus,
		   M->nr_cpus == 1 ? "" : "s", M->arch->name);
	seq_printf(m, "figures: best of %d rounds, ", BENCH_ROUNDS);
	seq_puts(m, "mmsim and host rounds alternating\n");
}

static void describe_ops(struct seq_file *m)
{
	seq_puts(m, "\norder0_pair_*   1 op = alloc_pages(GFP_KERNEL, 0) + "
		    "__free_pages(page, 0);\n"
		    "                pcp: per-CPU lists on; "
		    "nopcp: off (buddy lists only)\n");
	seq_printf(m,
		   "mixed_order0_4  1 op = one allocation or one free; "
		   "%d live blocks,\n",
		   MIXED_SLOTS);
	seq_printf(m,
		   "                a random one freed, then a new one of "
		   "order 0..%d (uniform,\n",
		   MIXED_MAX_ORDER);
	seq_printf(m,
		   "                GFP_KERNEL) allocated in its place; "
		   "PRNG seed %d\n",
		   MIXED_SEED);
	seq_puts(m, "reference       host malloc/free of the same sizes "
		    "(4096 << order bytes);\n"
		    "                neither side touches the memory\n"
		    "ratio           mmsim ns/op / reference ns/op "
		    "(below 1: mmsim is faster)\n\n");
}

static void run_all(struct bench_state *s)
{
	s->r[R_PCP] = (struct bench_result){ "order0_pair_pcp", 0,
					     "malloc(4096)+free", 0 };
	s->r[R_NOPCP] = (struct bench_result){ "order0_pair_nopcp", 0,
					       "malloc(4096)+free", 0 };
	s->r[R_MIXED] = (struct bench_result){ "mixed_order0_4", 0,
					       "malloc(4096<<order)/free", 0 };
	run_pair(s, &s->r[R_PCP], PAIR_ITERS);
	pcp_set_enabled(false);
	run_pair(s, &s->r[R_NOPCP], NOPCP_ITERS);
	pcp_set_enabled(true);
	run_mixed(s, &s->r[R_MIXED]);
}

static int report(const struct bench_opts *opts, struct bench_state *s)
{
	struct seq_file out, sanity;
	bool ok;

	seq_init(&out);
	seq_init(&sanity);
	ok = check_sanity(&sanity, s);
	if (opts->json) {
		bench_print_json(&out, "page_alloc", s->r, NR_RESULTS);
	} else {
		describe_machine(&out);
		describe_ops(&out);
		bench_print_table(&out, s->r, NR_RESULTS);
		seq_puts(&out, seq_text(&sanity));
	}
	fputs(seq_text(&out), opts->out);
	if (opts->json && !ok)
		fprintf(stderr, "mmsim bench page_alloc: %s",
			seq_text(&sanity));
	seq_release(&out);
	seq_release(&sanity);
	return ok ? 0 : 1;
}

int bench_page_alloc(const struct bench_opts *opts)
{
	struct bench_state s = { 0 };
	struct machine *m;
	char err[256];
	int status;

	m = machine_boot(&opts->cfg, err, sizeof(err));
	if (!m) {
		fprintf(stderr, "mmsim bench page_alloc: %s\n", err);
		return 1;
	}
	s.mm = calloc(1, sizeof(*s.mm));
	s.host = calloc(1, sizeof(*s.host));
	if (!s.mm || !s.host) {
		fprintf(stderr, "mmsim bench page_alloc: out of host memory\n");
		status = 1;
		goto out;
	}
	s.start_free = free_pages_drained();
	s.start_reports = M->nr_bugs + M->nr_warns;
	if (!enough_memory(&s)) {
		status = 2;
		goto out;
	}
	run_all(&s);
	status = report(opts, &s);
out:
	free(s.mm);
	free(s.host);
	machine_destroy(m);
	return status;
}
