/* A long random run of the page allocator: millions of allocations and
 * frees over every order (weighted toward small ones), every zone of a
 * 6G two-node machine, both CPUs, and the GFP flags kernel code uses,
 * with memory driven to exhaustion now and then. A host-side table of the
 * live blocks and a bitmap of allocated pfns catch overlapping blocks;
 * a pfn-derived pattern at both ends of every block catches memory
 * handed out twice or moved; the allocator's invariant checker and an
 * exact page count run every 50,000 operations. At the end everything is
 * freed and the buddy lists must be exactly as at boot (with the per-CPU
 * lists drained; boot's slab pages stay allocated throughout).
 *
 * Fixed seed; MMSIM_RANDOM_SEED and MMSIM_RANDOM_OPS override it and the
 * operation count to reproduce or extend a run. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "base/prng.h"
#include "kernel/machine.h"
#include "mm/gfp.h"
#include "mm/internal.h"
#include "mm/mm.h"
#include "mm/vmstat.h"

#include "helpers.h"

#define DEFAULT_SEED 0x6d6d73696d2d7061ULL /* "mmsim-pa" */
#define DEFAULT_OPS 4000000UL
#define CHECK_EVERY 50000UL
/* Per run, whatever its length: fills to exhaustion, sysctl changes and
 * changes of the live-set target. */
#define NR_FILLS 10
#define NR_SYSCTL_CHANGES 13
#define NR_TARGETS 40

struct live {
	struct page *page;
	unsigned order;
	gfp_t gfp;
};

struct run {
	struct prng rng;
	uint64_t seed;
	unsigned long op;
	struct live *live;
	size_t nr_live, cap;
	unsigned long live_pages;
	uint8_t *used; /* bitmap of allocated pfns */
	unsigned long free0;
	/* statistics for the summary line */
	unsigned long allocs, failures, frees, fills, zeroed, compound;
	unsigned long by_zone[MAX_NUMNODES][MAX_NR_ZONES];
};

#define CHECK(r, cond)                                                   \
	do {                                                             \
		if (!(cond))                                             \
			fail_msg("seed %#llx, op %lu: check failed: %s", \
				 (unsigned long long)(r)->seed, (r)->op, \
				 #cond);                                 \
	} while (0)

static uint64_t pattern(unsigned long pfn, unsigned order)
{
	uint64_t x = ((uint64_t)pfn << 4 | order) * 0x9e3779b97f4a7c15ULL;

	return x ^ (x >> 29) ^ 0xa5a5a5a5a5a5a5a5ULL;
}

/* The first and last 8 bytes of a block (kmap: any page works). */
static uint64_t *block_head(struct page *page)
{
	return kmap_local_page(page);
}

static uint64_t *block_tail(struct page *page, unsigned order)
{
	char *last = kmap_local_page(page + (1UL << order) - 1);

	return (uint64_t *)(last + PAGE_SIZE - sizeof(uint64_t));
}

static void mark_used(struct run *r, unsigned long pfn, unsigned order,
		      bool used)
{
	for (unsigned long i = 0; i < (1UL << order); i++) {
		unsigned long p = pfn + i;
		uint8_t bit = (uint8_t)(1u << (p & 7));

		if (used) {
			CHECK(r, !(r->used[p >> 3] & bit)); /* overlap */
			r->used[p >> 3] |= bit;
		} else {
			r->used[p >> 3] &= (uint8_t)~bit;
		}
	}
}

static void live_add(struct run *r, struct page *page, unsigned order,
		     gfp_t gfp)
{
	if (r->nr_live == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 65536;
		r->live = realloc(r->live, r->cap * sizeof(*r->live));
		assert_non_null(r->live);
	}
	r->live[r->nr_live++] = (struct live){ page, order, gfp };
	r->live_pages += 1UL << order;
}

/* Checks a block the allocator just returned and takes ownership. */
static void accept_block(struct run *r, struct page *page, unsigned order,
			 gfp_t gfp, int nid)
{
	unsigned long pfn = page_to_pfn(page);
	struct zone *zone = page_zone(page);

	CHECK(r, pfn % (1UL << order) == 0);
	CHECK(r, page_ref_count(page) == 1);
	CHECK(r, !PageBuddy(page));
	CHECK(r, zone_spans_pfn(zone, pfn + (1UL << order) - 1));
	CHECK(r, (int)zone_idx(zone) <= (int)gfp_zone(gfp));
	if (gfp & __GFP_THISNODE)
		CHECK(r, page_to_nid(page) == nid);
	if ((gfp & __GFP_COMP) && order) {
		CHECK(r, PageHead(page));
		CHECK(r, compound_order(page) == order);
		CHECK(r, compound_head(page + (1UL << order) - 1) == page);
		r->compound++;
	}
	if (gfp & __GFP_ZERO) {
		CHECK(r, *block_head(page) == 0);
		CHECK(r, *block_tail(page, order) == 0);
		if (order == 0) {
			const uint64_t *w = block_head(page);

			for (size_t i = 0; i < PAGE_SIZE / 8; i++)
				CHECK(r, w[i] == 0);
		}
		r->zeroed++;
	}
	mark_used(r, pfn, order, true);
	*block_head(page) = pattern(pfn, order);
	*block_tail(page, order) = ~pattern(pfn, order);
	live_add(r, page, order, gfp);
	r->allocs++;
	r->by_zone[page_to_nid(page)][zone_idx(zone)]++;
}

/* Frees live block i in one of the ways kernel code does. */
static void free_live(struct run *r, size_t i)
{
	struct live b = r->live[i];
	unsigned long pfn = page_to_pfn(b.page);
	bool comp = (b.gfp & __GFP_COMP) && b.order;
	uint64_t how = prng_below(&r->rng, 8);

	CHECK(r, page_ref_count(b.page) == 1);
	CHECK(r, *block_head(b.page) == pattern(pfn, b.order));
	CHECK(r, *block_tail(b.page, b.order) == ~pattern(pfn, b.order));
	mark_used(r, pfn, b.order, false);
	r->live[i] = r->live[--r->nr_live];
	r->live_pages -= 1UL << b.order;
	r->frees++;

	if (how == 0) {
		/* A second reference, dropped after the owner's free. For a
		 * non-compound block, __free_pages() frees all but the first
		 * page, which the last put_page() frees as an order-0 page. */
		get_page(b.page);
		if (comp)
			put_page(b.page);
		else
			__free_pages(b.page, b.order);
		CHECK(r, page_ref_count(b.page) == 1);
		put_page(comp ? b.page + (1UL << b.order) - 1 : b.page);
	} else if (how == 1 && comp) {
		put_page(b.page + prng_below(&r->rng, 1UL << b.order));
	} else if (how == 2 && !PageHighMem(b.page)) {
		free_pages((unsigned long)page_address(b.page), b.order);
	} else {
		__free_pages(b.page, b.order);
	}
}

static unsigned random_order(struct run *r)
{
	uint64_t x = prng_below(&r->rng, 1000);

	if (x < 500)
		return 0;
	if (x < 650)
		return 1;
	if (x < 750)
		return 2;
	if (x < 830)
		return 3;
	return 4 +
	       (unsigned)prng_below(&r->rng, MAX_PAGE_ORDER - 3); /* 4..10 */
}

static gfp_t random_gfp(struct run *r, unsigned order)
{
	static const struct {
		gfp_t gfp;
		unsigned weight;
	} bases[] = {
		{ GFP_KERNEL, 30 },
		{ GFP_HIGHUSER_MOVABLE, 25 },
		{ GFP_KERNEL | __GFP_RECLAIMABLE, 10 },
		{ GFP_ATOMIC, 10 },
		{ GFP_NOWAIT, 8 },
		{ GFP_KERNEL | GFP_DMA32, 10 },
		{ GFP_USER, 4 },
		{ GFP_KERNEL | GFP_DMA, 2 },
		{ GFP_ATOMIC | GFP_DMA, 1 },
	};
	unsigned total = 0, pick;
	gfp_t gfp = 0;

	for (size_t i = 0; i < ARRAY_SIZE(bases); i++)
		total += bases[i].weight;
	pick = (unsigned)prng_below(&r->rng, total);
	for (size_t i = 0; i < ARRAY_SIZE(bases); i++) {
		if (pick < bases[i].weight) {
			gfp = bases[i].gfp;
			break;
		}
		pick -= bases[i].weight;
	}
	if (prng_below(&r->rng, 10) == 0)
		gfp |= __GFP_THISNODE;
	/* Zeroing big blocks touches host memory: keep it to small ones. */
	if (order <= 3 && prng_below(&r->rng, 16) == 0)
		gfp |= __GFP_ZERO;
	if (order && prng_below(&r->rng, 3) == 0)
		gfp |= __GFP_COMP;
	/* An allocation failure report now and then, not thousands. */
	if (prng_below(&r->rng, 2000))
		gfp |= __GFP_NOWARN;
	return gfp;
}

static void random_alloc(struct run *r)
{
	unsigned order = random_order(r);
	gfp_t gfp = random_gfp(r, order);
	int nid = prng_below(&r->rng, 2) ?
			  (int)prng_below(&r->rng, (uint64_t)M->nr_nodes) :
			  numa_node_id();
	struct page *page =
		prng_below(&r->rng, 2) ?
			alloc_pages_node(nid, gfp, order) :
			(nid = numa_node_id(), alloc_pages(gfp, order));

	if (!page) {
		r->failures++;
		return;
	}
	accept_block(r, page, order, gfp, nid);
}

/* Every page free at the start (all managed pages but boot's slab pages)
 * is either live (host table), on a buddy list or on a pcp list; and the
 * allocator's own checks hold. */
static void check_all(struct run *r)
{
	CHECK(r, check_page_alloc_invariants() == 0);
	CHECK(r, r->live_pages + nr_free_pages() + pcp_pages() == r->free0);
	CHECK(r, M->nr_bugs == 0);
	CHECK(r, M->nr_warns == 0);
}

/* Drives memory to exhaustion: the biggest blocks first, then smaller
 * ones, then what GFP_ATOMIC may still take below min. */
static void fill_memory(struct run *r)
{
	for (int order = MAX_PAGE_ORDER; order >= 0; order--) {
		gfp_t gfp = (order > 3 ? GFP_HIGHUSER_MOVABLE : GFP_KERNEL) |
			    __GFP_NOWARN;
		struct page *page;

		while ((page = alloc_pages(gfp, (unsigned)order)))
			accept_block(r, page, (unsigned)order, gfp,
				     numa_node_id());
	}
	/* Below min only for those allowed there. */
	CHECK(r, !alloc_page(GFP_NOWAIT));
	for (struct page *page; (page = alloc_page(GFP_ATOMIC | __GFP_NOWARN));)
		accept_block(r, page, 0, GFP_ATOMIC | __GFP_NOWARN,
			     numa_node_id());
	CHECK(r, !alloc_page(GFP_NOWAIT));
	CHECK(r, !alloc_page(GFP_KERNEL | __GFP_NOWARN));
	r->fills++;
}

static unsigned long env_ulong(const char *name, unsigned long def)
{
	const char *v = getenv(name);

	return v && *v ? strtoul(v, NULL, 0) : def;
}

/* Now and then an administrator retunes the allocator under load: the
 * pcp high limits (lowering them drains pcp lists at once) and the
 * watermarks; and the pcp lists go off (drained) or back on. */
static void random_sysctl(struct run *r, int default_min_free_kbytes)
{
	static const char *const fractions[] = { "0", "8", "64", "1000" };
	char value[32], err[160];

	CHECK(r,
	      proc_write("/proc/sys/vm/percpu_pagelist_high_fraction",
			 fractions[prng_below(&r->rng, ARRAY_SIZE(fractions))],
			 err, sizeof(err)) == 0);
	snprintf(
		value, sizeof(value), "%d",
		default_min_free_kbytes / 2 +
			(int)prng_below(&r->rng,
					(uint64_t)default_min_free_kbytes * 2));
	CHECK(r, proc_write("/proc/sys/vm/min_free_kbytes", value, err,
			    sizeof(err)) == 0);
	pcp_set_enabled(prng_below(&r->rng, 4) != 0);
}

/* The random run on the current machine; returns after freeing all and
 * checking the buddy lists are as at boot. The baseline is taken with the
 * per-CPU lists drained: boot's slab allocations (kmem_cache_init) left
 * the rest of a pcp batch there, which the end of the run drains too. */
static void random_run(struct run *r, unsigned long nr_ops)
{
	int default_min_free_kbytes = M->min_free_kbytes;
	unsigned long fill_every = max(nr_ops / NR_FILLS, 1000UL);
	unsigned long sysctl_every = max(nr_ops / NR_SYSCTL_CHANGES, 1000UL);
	unsigned long target_every = max(nr_ops / NR_TARGETS, 1000UL);
	size_t target = 2000;
	char *boot_buddy, *buddy;

	prng_seed(&r->rng, r->seed);
	drain_all_pages(NULL);
	boot_buddy = proc_text("/proc/buddyinfo");
	r->free0 = nr_free_pages();
	CHECK(r, pcp_pages() == 0);
	r->used = calloc(M->max_pfn / 8 + 1, 1);
	assert_non_null(r->used);

	for (r->op = 0; r->op < nr_ops; r->op++) {
		uint64_t x = prng_below(&r->rng, 100);

		if (prng_below(&r->rng, 8) == 0)
			M->this_cpu =
				(int)prng_below(&r->rng, (uint64_t)M->nr_cpus);
		if (r->op % target_every == 0) {
			static const size_t targets[] = { 200, 2000, 8000,
							  20000 };

			target = targets[prng_below(&r->rng,
						    ARRAY_SIZE(targets))];
		}
		if (r->op % sysctl_every == sysctl_every - 1)
			random_sysctl(r, default_min_free_kbytes);
		if (r->op % fill_every == fill_every / 2)
			fill_memory(r);
		if (r->nr_live == 0 || x < (r->nr_live < target ? 60u : 40u))
			random_alloc(r);
		else
			free_live(r, prng_below(&r->rng, r->nr_live));
		if (r->op % CHECK_EVERY == CHECK_EVERY - 1)
			check_all(r);
	}
	check_all(r);

	while (r->nr_live)
		free_live(r, prng_below(&r->rng, r->nr_live));
	drain_all_pages(NULL);
	CHECK(r, nr_free_pages() == r->free0);
	CHECK(r, check_page_alloc_invariants() == 0);
	buddy = proc_text("/proc/buddyinfo");
	if (strcmp(buddy, boot_buddy))
		fail_msg(
			"seed %#llx: /proc/buddyinfo differs from boot:\n%s\nboot:\n%s",
			(unsigned long long)r->seed, buddy, boot_buddy);
	CHECK(r, M->nr_bugs == 0 && M->nr_warns == 0);
	print_message(
		"seed %#llx: %lu ops, %lu allocs (%lu zeroed, %lu compound), "
		"%lu failed, %lu frees, %lu fills to exhaustion\n",
		(unsigned long long)r->seed, nr_ops, r->allocs, r->zeroed,
		r->compound, r->failures, r->frees, r->fills);
	free(buddy);
	free(boot_buddy);
	free(r->live);
	free(r->used);
}

static unsigned long nr_ops(unsigned long share)
{
	return env_ulong("MMSIM_RANDOM_OPS", DEFAULT_OPS / OPS_DIVISOR) / share;
}

/* x86_64, 6G, two nodes: DMA and DMA32 on node 0, DMA32 and Normal on
 * node 1; both CPUs. */
static void test_random_x86_64_two_nodes(void **state)
{
	static struct run r; /* static: reachable if a check ends the test */

	(void)state;
	memset(&r, 0, sizeof(r));
	r.seed = env_ulong("MMSIM_RANDOM_SEED", DEFAULT_SEED);
	boot_machine("ram=6G", "nodes=2", "cpus=2");
	random_run(&r, nr_ops(1));
	/* Every zone took part. */
	CHECK(&r, r.by_zone[0][ZONE_DMA] && r.by_zone[0][ZONE_DMA32] &&
			  r.by_zone[1][ZONE_DMA32] &&
			  r.by_zone[1][ZONE_NORMAL]);
	print_message(
		"allocations: node 0 DMA %lu, DMA32 %lu; node 1 DMA32 %lu, Normal %lu\n",
		r.by_zone[0][ZONE_DMA], r.by_zone[0][ZONE_DMA32],
		r.by_zone[1][ZONE_DMA32], r.by_zone[1][ZONE_NORMAL]);
	machine_destroy(M);
}

/* i386, 2G: DMA, Normal and HighMem (reached through kmap), page blocks
 * of order 10; a quarter of the operations. */
static void test_random_i386_highmem(void **state)
{
	static struct run r;

	(void)state;
	memset(&r, 0, sizeof(r));
	r.seed = env_ulong("MMSIM_RANDOM_SEED", DEFAULT_SEED) ^ 1;
	boot_machine("arch=i386", "ram=2G", "cpus=2");
	random_run(&r, nr_ops(4));
	CHECK(&r, r.by_zone[0][ZONE_DMA] && r.by_zone[0][ZONE_NORMAL] &&
			  r.by_zone[0][ZONE_HIGHMEM]);
	print_message("allocations: DMA %lu, Normal %lu, HighMem %lu\n",
		      r.by_zone[0][ZONE_DMA], r.by_zone[0][ZONE_NORMAL],
		      r.by_zone[0][ZONE_HIGHMEM]);
	machine_destroy(M);
}

static int teardown_machine(void **state)
{
	(void)state;
	if (M)
		machine_destroy(M);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_random_x86_64_two_nodes,
					  teardown_machine),
		cmocka_unit_test_teardown(test_random_i386_highmem,
					  teardown_machine),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
