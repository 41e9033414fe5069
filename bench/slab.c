/* `mmsim bench slab`: the slab allocator's kmem_cache_alloc+free pair of
 * a 64-byte object (the per-CPU fast path) and kmalloc of random sizes
 * 16..512 with 10,000 live objects, each beside the host malloc/free of
 * the same pattern in the same run, then the memory the random load
 * kept in slab pages per byte requested. Ends by checking that every
 * object and page came back. */
#include <stdlib.h>
#include <string.h>

#include "base/prng.h"
#include "bench/bench.h"
#include "mm/gfp.h"
#include "mm/internal.h"
#include "mm/slab.h"
#include "mm/vmstat.h"

/* Iterations per round: alloc+free pairs, or free+alloc pairs. */
#define PAIR_ITERS (1UL << 22)
#define PAIR_SIZE 64
#define RANDOM_ITERS (1UL << 20)
#define RANDOM_SLOTS 10000 /* live objects */
#define RANDOM_MIN 16
#define RANDOM_MAX 512
#define RANDOM_SEED 1

enum { R_PAIR, R_RANDOM, R_OVERHEAD, NR_RESULTS };

struct pair_ctx {
	struct kmem_cache *cache;
	unsigned long failures;
};

struct bench_state {
	struct pair_ctx pair;
	struct bench_slots mm, host; /* the random test: objects, host blocks */
	struct bench_result r[NR_RESULTS];
	unsigned long start_free; /* free pages, caches shrunk, pcp drained */
	unsigned long start_objs; /* active objects of every cache */
	unsigned long start_slab; /* slab bytes before the random load */
	unsigned start_reports; /* BUG/WARN reports printed before */
};

/* ---- 64-byte pair ----------------------------------------------------- */

static void mm_pair(void *arg, unsigned long n)
{
	struct pair_ctx *c = arg;
	struct kmem_cache *s = c->cache;

	for (unsigned long i = 0; i < n; i++) {
		void *p = kmem_cache_alloc(s, GFP_KERNEL);

		if (unlikely(!p)) {
			c->failures++;
			return;
		}
		kmem_cache_free(s, p);
	}
}

static bool run_pair(struct bench_state *s, struct bench_result *r)
{
	size_t size = PAIR_SIZE;
	struct bench_body mm = { mm_pair, &s->pair, PAIR_ITERS, PAIR_ITERS };
	struct bench_body host = { bench_host_malloc_free, &size, PAIR_ITERS,
				   PAIR_ITERS };

	s->pair.cache = kmem_cache_create("bench_obj64", PAIR_SIZE, 0, 0, NULL);
	if (!s->pair.cache)
		return false;
	bench_compare(&mm, &host, BENCH_ROUNDS, r);
	kmem_cache_destroy(s->pair.cache);
	return true;
}

/* ---- random sizes ------------------------------------------------------- */

/* Each step frees a random object and allocates one of a random size in
 * its place: one free+alloc pair. */

static unsigned random_size(struct prng *rng)
{
	return RANDOM_MIN +
	       (unsigned)prng_below(rng, RANDOM_MAX - RANDOM_MIN + 1);
}

static void *mm_kmalloc(unsigned size)
{
	return kmalloc(size, GFP_KERNEL);
}

static void mm_kfree(void *object, unsigned size)
{
	(void)size;
	kfree(object);
}

static const struct bench_slot_ops mm_random = { random_size, mm_kmalloc,
						 mm_kfree };
static const struct bench_slot_ops host_random = { random_size,
						   bench_host_malloc,
						   bench_host_free };

static void mm_churn(void *arg, unsigned long n)
{
	bench_slots_churn(arg, n, &mm_random);
}

static void host_churn(void *arg, unsigned long n)
{
	bench_slots_churn(arg, n, &host_random);
}

static unsigned long slab_bytes(void)
{
	return global_node_page_state(NR_SLAB_RECLAIMABLE_B) +
	       global_node_page_state(NR_SLAB_UNRECLAIMABLE_B);
}

/* Bytes of slab pages the live objects hold per byte they asked for. */
static double random_overhead(const struct bench_state *s)
{
	unsigned long requested = 0;

	for (unsigned long i = 0; i < RANDOM_SLOTS; i++)
		if (s->mm.block[i])
			requested += s->mm.size[i];
	if (!requested)
		return 0;
	return (double)(slab_bytes() - s->start_slab) / (double)requested;
}

static void run_random(struct bench_state *s, struct bench_result *r,
		       struct bench_result *overhead)
{
	struct bench_body mm = { mm_churn, &s->mm, RANDOM_ITERS, RANDOM_ITERS };
	struct bench_body host = { host_churn, &s->host, RANDOM_ITERS,
				   RANDOM_ITERS };

	s->start_slab = slab_bytes();
	bench_slots_fill(&s->mm, &mm_random, RANDOM_SEED);
	bench_slots_fill(&s->host, &host_random, RANDOM_SEED);
	bench_compare(&mm, &host, BENCH_ROUNDS, r);
	overhead->ns_per_op = random_overhead(s);
	bench_slots_free_all(&s->mm, &mm_random);
	bench_slots_free_all(&s->host, &host_random);
}

/* ---- sanity --------------------------------------------------------- */

/* Free pages once every cache's empty slabs went back and the pcp lists
 * are drained to the buddy lists. */
static unsigned long free_pages_drained(void)
{
	kmem_cache_shrink_all();
	return bench_free_pages();
}

/* Allocated objects of every cache (after kmem_cache_shrink_all, CPU
 * slabs are flushed and the slabinfo counts are exact). */
static unsigned long active_objects(void)
{
	struct seq_file m;
	unsigned long total = 0, active;
	const char *line;

	seq_init(&m);
	slabinfo_show(&m);
	for (line = seq_text(&m); line && *line; line = strchr(line, '\n')) {
		if (*line == '\n')
			line++;
		if (*line != '#' && sscanf(line, "%*s %lu", &active) == 1)
			total += active;
	}
	seq_release(&m);
	return total;
}

/* Prints the one-line sanity result; returns whether it passed. */
static bool check_sanity(struct seq_file *m, void *state)
{
	const struct bench_state *s = state;
	unsigned long end_free = free_pages_drained();
	unsigned long end_objs = active_objects();
	unsigned long bad = check_page_alloc_invariants();
	unsigned long fails = s->pair.failures + s->mm.failures;
	unsigned reports = M->nr_bugs + M->nr_warns - s->start_reports;
	bool ok = end_free == s->start_free && end_objs == s->start_objs &&
		  !bad && !fails && !reports;

	seq_printf(m, "sanity: %s (objects in use %lu at start, %lu at end; ",
		   ok ? "ok" : "FAILED", s->start_objs, end_objs);
	seq_printf(m, "free pages %lu at start, %lu at end; ", s->start_free,
		   end_free);
	seq_printf(m, "%lu invariant violations, %lu failed allocations, ", bad,
		   fails);
	seq_printf(m, "%u BUG/WARN reports)\n", reports);
	return ok;
}

/* ---- report --------------------------------------------------------- */

static void describe(struct seq_file *m, void *state)
{
	(void)state;
	bench_describe_machine(m, slab_globals()->ops->name);
	seq_printf(m,
		   "\ncache_pair_64   1 op = kmem_cache_alloc(GFP_KERNEL) + "
		   "kmem_cache_free of a\n"
		   "                %d-byte object (cache bench_obj64)\n",
		   PAIR_SIZE);
	seq_printf(m,
		   "kmalloc_random  1 op = kfree of a random one of %d live "
		   "objects, then\n",
		   RANDOM_SLOTS);
	seq_printf(m,
		   "                kmalloc(GFP_KERNEL) of %d..%d bytes "
		   "(uniform) in its place;\n"
		   "                PRNG seed %d\n",
		   RANDOM_MIN, RANDOM_MAX, RANDOM_SEED);
	seq_puts(m, "kmalloc_random_memory\n"
		    "                not a time: bytes of slab pages the "
		    "kmalloc_random objects\n"
		    "                hold per byte they asked for (1.00 = no "
		    "overhead)\n"
		    "reference       host malloc/free of the same sizes; "
		    "neither side touches\n"
		    "                the memory\n"
		    "ratio           mmsim ns/op / reference ns/op "
		    "(below 1: mmsim is faster)\n\n");
}

static bool run_all(struct bench_state *s)
{
	s->r[R_PAIR] = (struct bench_result){ "cache_pair_64", 0,
					      "malloc(64)+free", 0 };
	s->r[R_RANDOM] = (struct bench_result){ "kmalloc_random", 0,
						"malloc(16..512)/free", 0 };
	s->r[R_OVERHEAD] =
		(struct bench_result){ "kmalloc_random_memory", 0, "none", 0 };
	if (!run_pair(s, &s->r[R_PAIR])) {
		fprintf(stderr, "mmsim bench slab: kmem_cache_create failed\n");
		return false;
	}
	run_random(s, &s->r[R_RANDOM], &s->r[R_OVERHEAD]);
	return true;
}

int bench_slab(const struct bench_opts *opts)
{
	struct bench_state s = { 0 };
	struct machine *m;
	int status = 1;

	m = bench_boot(opts, "slab");
	if (!m)
		return 1;
	if (!bench_slots_init(&s.mm, RANDOM_SLOTS) ||
	    !bench_slots_init(&s.host, RANDOM_SLOTS)) {
		fprintf(stderr, "mmsim bench slab: out of host memory\n");
		goto out;
	}
	s.start_free = free_pages_drained();
	s.start_objs = active_objects();
	s.start_reports = M->nr_bugs + M->nr_warns;
	if (run_all(&s))
		status = bench_report(
			opts,
			&(struct bench_report){ "slab", s.r, NR_RESULTS,
						check_sanity, describe, &s });
out:
	bench_slots_destroy(&s.mm);
	bench_slots_destroy(&s.host);
	machine_destroy(m);
	return status;
}
