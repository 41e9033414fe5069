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

struct bench_state {
	struct pair_ctx pair;
	struct bench_slots mm, host; /* the mixed test: pages, host blocks */
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

static void run_pair(struct bench_state *s, struct bench_result *r,
		     unsigned long iters)
{
	size_t size = 4096;
	struct bench_body mm = { mm_pair, &s->pair, iters, iters };
	struct bench_body host = { bench_host_malloc_free, &size, iters,
				   iters };

	bench_compare(&mm, &host, BENCH_ROUNDS, r);
}

/* ---- mixed orders --------------------------------------------------- */

/* Each step frees a random block and allocates one of a random order in
 * its place: two operations. */

static unsigned random_order(struct prng *rng)
{
	return (unsigned)prng_below(rng, MIXED_MAX_ORDER + 1);
}

static void *mm_alloc_order(unsigned order)
{
	return alloc_pages(GFP_KERNEL, order);
}

static void mm_free_order(void *page, unsigned order)
{
	__free_pages(page, order);
}

static void *host_alloc_order(unsigned order)
{
	return bench_host_malloc(4096U << order);
}

static const struct bench_slot_ops mm_mixed = { random_order, mm_alloc_order,
						mm_free_order };
static const struct bench_slot_ops host_mixed = { random_order,
						  host_alloc_order,
						  bench_host_free };

static void mm_churn(void *arg, unsigned long n)
{
	bench_slots_churn(arg, n, &mm_mixed);
}

static void host_churn(void *arg, unsigned long n)
{
	bench_slots_churn(arg, n, &host_mixed);
}

static void run_mixed(struct bench_state *s, struct bench_result *r)
{
	struct bench_body mm = { mm_churn, &s->mm, MIXED_ITERS,
				 2 * MIXED_ITERS };
	struct bench_body host = { host_churn, &s->host, MIXED_ITERS,
				   2 * MIXED_ITERS };

	bench_slots_fill(&s->mm, &mm_mixed, MIXED_SEED);
	bench_slots_fill(&s->host, &host_mixed, MIXED_SEED);
	bench_compare(&mm, &host, BENCH_ROUNDS, r);
	bench_slots_free_all(&s->mm, &mm_mixed);
	bench_slots_free_all(&s->host, &host_mixed);
}

/* ---- sanity --------------------------------------------------------- */

/* Prints the one-line sanity result; returns whether it passed. */
static bool check_sanity(struct seq_file *m, void *state)
{
	const struct bench_state *s = state;
	unsigned long end_free = bench_free_pages();
	unsigned long bad = check_page_alloc_invariants();
	unsigned long fails = s->pair.failures + s->mm.failures;
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

static void describe(struct seq_file *m, void *state)
{
	(void)state;
	bench_describe_machine(m, NULL);
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

int bench_page_alloc(const struct bench_opts *opts)
{
	struct bench_state s = { 0 };
	struct machine *m;
	int status;

	m = bench_boot(opts, "page_alloc");
	if (!m)
		return 1;
	if (!bench_slots_init(&s.mm, MIXED_SLOTS) ||
	    !bench_slots_init(&s.host, MIXED_SLOTS)) {
		fprintf(stderr, "mmsim bench page_alloc: out of host memory\n");
		status = 1;
		goto out;
	}
	s.start_free = bench_free_pages();
	s.start_reports = M->nr_bugs + M->nr_warns;
	if (!enough_memory(&s)) {
		status = 2;
		goto out;
	}
	run_all(&s);
	status = bench_report(
		opts, &(struct bench_report){ "page_alloc", s.r, NR_RESULTS,
					      check_sanity, describe, &s });
out:
	bench_slots_destroy(&s.mm);
	bench_slots_destroy(&s.host);
	machine_destroy(m);
	return status;
}
