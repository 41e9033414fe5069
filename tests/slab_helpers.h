/* Helpers shared by the slab tests (test_slab.c: the slab layer with
 * SLUB in depth; test_slab_impls.c: SLUB, SLAB and SLOB side by side):
 * kernel addresses as reports print them, /proc/slabinfo lines and
 * fields, the bytes in slab pages, the alignment check, a counting
 * constructor, the random kmalloc stress run and the run that gives
 * every cache's memory back. Header-only; include after <cmocka.h> and
 * helpers.h. */
#ifndef MMSIM_TESTS_SLAB_HELPERS_H
#define MMSIM_TESTS_SLAB_HELPERS_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/prng.h"
#include "mm/gfp.h"
#include "mm/internal.h"
#include "mm/mm.h"
#include "mm/slab.h"
#include "mm/vmstat.h"

/* "0xffff888..." as reports print a kernel address (4 at a time). */
static inline const char *addr_text(const void *p)
{
	static char buf[4][32];
	static int i;

	i = (i + 1) % 4;
	snprintf(buf[i], sizeof(buf[i]), "0x%0*lx", kaddr_width(), kaddr(p));
	return buf[i];
}

/* The /proc/slabinfo line of a cache (without the newline), in buf. */
static inline bool slabinfo_line(const char *name, char *buf, size_t len)
{
	char *text = proc_text("/proc/slabinfo");
	size_t nlen = strlen(name);
	bool found = false;

	for (char *p = text; p && *p;
	     p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL) {
		if (!strncmp(p, name, nlen) && p[nlen] == ' ') {
			snprintf(buf, len, "%.*s", (int)strcspn(p, "\n"), p);
			found = true;
			break;
		}
	}
	free(text);
	return found;
}

/* Fields of a /proc/slabinfo line. */
struct sinfo {
	unsigned long active_objs, num_objs, objsize, objperslab, pagesperslab;
	unsigned long limit, batchcount, shared;
	unsigned long active_slabs, num_slabs, sharedavail;
};

static inline struct sinfo slabinfo_of(const char *name)
{
	struct sinfo si = { 0 };
	char line[256], cname[64];

	if (!slabinfo_line(name, line, sizeof(line)))
		fail_msg("no %s in /proc/slabinfo", name);
	assert_int_equal(
		sscanf(line,
		       "%63s %lu %lu %lu %lu %lu : tunables %lu %lu %lu : slabdata %lu %lu %lu",
		       cname, &si.active_objs, &si.num_objs, &si.objsize,
		       &si.objperslab, &si.pagesperslab, &si.limit,
		       &si.batchcount, &si.shared, &si.active_slabs,
		       &si.num_slabs, &si.sharedavail),
		12);
	return si;
}

/* Bytes in slab pages (NR_SLAB_RECLAIMABLE_B + NR_SLAB_UNRECLAIMABLE_B). */
static inline unsigned long slab_bytes(void)
{
	return global_node_page_state(NR_SLAB_RECLAIMABLE_B) +
	       global_node_page_state(NR_SLAB_UNRECLAIMABLE_B);
}

/* 100 objects of a new cache, each at a multiple of expect. */
static inline void check_alignment(const char *name, unsigned int size,
				   unsigned int align, slab_flags_t flags,
				   unsigned long expect)
{
	struct kmem_cache *s =
		kmem_cache_create(name, size, align, flags, NULL);
	void *obj[100];

	assert_non_null(s);
	for (int i = 0; i < 100; i++) {
		obj[i] = kmem_cache_alloc(s, GFP_KERNEL);
		assert_non_null(obj[i]);
		if ((uintptr_t)__pa(obj[i]) % expect)
			fail_msg("%s: object %d at %s not %lu-aligned", name, i,
				 addr_text(obj[i]), expect);
		memset(obj[i], 0xee, size);
	}
	for (int i = 0; i < 100; i++)
		kmem_cache_free(s, obj[i]);
	kmem_cache_destroy(s);
}

/* A constructor that counts its calls and fills 48 bytes with 0x3c. */
static unsigned long ctor_calls;

static inline void count_ctor(void *object)
{
	ctor_calls++;
	memset(object, 0x3c, 48);
}

static inline void nop_ctor(void *p)
{
	(void)p;
}

/* ---- the random kmalloc stress run --------------------------------------- */

/* About a million allocations (half the operations), fewer under the
 * sanitizers. */
#if defined(__SANITIZE_ADDRESS__)
#define STRESS_OPS 200000UL
#define STRESS_SLOTS 4000
#else
#define STRESS_OPS 2000000UL
#define STRESS_SLOTS 20000
#endif

/* A live object and the seed of the pattern written into it. */
struct live {
	unsigned char *p;
	size_t size;
	uint64_t seed;
};

static inline void live_fill(struct live *o)
{
	uint64_t x = o->seed;
	size_t i;

	for (i = 0; i + 8 <= o->size; i += 8) {
		memcpy(o->p + i, &x, 8);
		x = x * 6364136223846793005ULL + 1442695040888963407ULL;
	}
	for (; i < o->size; i++)
		o->p[i] = (unsigned char)(x >> (8 * (i & 7)));
}

static inline bool live_intact(const struct live *o)
{
	uint64_t x = o->seed, y;
	size_t i;

	for (i = 0; i + 8 <= o->size; i += 8) {
		memcpy(&y, o->p + i, 8);
		if (y != x)
			return false;
		x = x * 6364136223846793005ULL + 1442695040888963407ULL;
	}
	for (; i < o->size; i++)
		if (o->p[i] != (unsigned char)(x >> (8 * (i & 7))))
			return false;
	return true;
}

/* Sizes log-uniform over 1..8192, with a few large ones. */
static inline size_t stress_size(struct prng *r)
{
	if (prng_below(r, 100) < 2)
		return 8193 + prng_below(r, 60000);
	return 1 + prng_below(r, 1UL << prng_below(r, 14));
}

/* A new object is there, aligned, as big as asked and zeroed if asked. */
static inline void check_new_object(struct live *o, gfp_t gfp, unsigned long op)
{
	if (!o->p)
		fail_msg("op %lu: kmalloc(%zu) failed", op, o->size);
	if (__pa(o->p) % 8 || (is_power_of_2(o->size) && o->size <= PAGE_SIZE &&
			       __pa(o->p) % o->size))
		fail_msg("op %lu: kmalloc(%zu) misaligned", op, o->size);
	if (ksize(o->p) < o->size)
		fail_msg("op %lu: ksize %zu < %zu", op, ksize(o->p), o->size);
	if (gfp & __GFP_ZERO)
		for (size_t i = 0; i < o->size; i++)
			if (o->p[i])
				fail_msg("op %lu: kzalloc byte %zu not zero",
					 op, i);
}

/* On the booted machine (slab allocator impl, two CPUs): STRESS_OPS
 * random kmallocs and kfrees over STRESS_SLOTS slots, with gfp masks
 * drawn from gfps, checking every object's contents until it is freed;
 * then everything goes back (SLOB's pages as they empty, the others' on
 * kmem_cache_shrink_all) with no report and the page allocator intact. */
static inline void kmalloc_stress(const char *impl, const gfp_t *gfps,
				  size_t nr_gfps)
{
	struct live *slots = calloc(STRESS_SLOTS, sizeof(*slots));
	unsigned long free_before, slab_before, live = 0;
	struct prng r;

	assert_non_null(slots);
	kmem_cache_shrink_all();
	free_before = free_pages_drained();
	slab_before = slab_bytes();
	prng_seed(&r, 42);
	for (unsigned long op = 0; op < STRESS_OPS; op++) {
		struct live *o = &slots[prng_below(&r, STRESS_SLOTS)];
		gfp_t gfp;

		if (op % 4096 == 0)
			M->this_cpu = (int)prng_below(&r, 2);
		if (o->p) {
			if (!live_intact(o))
				fail_msg(
					"%s op %lu: object at %s (%zu bytes) changed underneath",
					impl, op, addr_text(o->p), o->size);
			kfree(o->p);
			o->p = NULL;
			live--;
			continue;
		}
		gfp = gfps[prng_below(&r, nr_gfps)];
		o->size = stress_size(&r);
		o->seed = prng_next(&r);
		o->p = kmalloc(o->size, gfp);
		check_new_object(o, gfp, op);
		live_fill(o);
		live++;
	}
	assert_true(live > STRESS_SLOTS / 4);
	for (int i = 0; i < STRESS_SLOTS; i++) {
		if (!slots[i].p)
			continue;
		if (!live_intact(&slots[i]))
			fail_msg("object at %s (%zu bytes) changed underneath",
				 addr_text(slots[i].p), slots[i].size);
		kfree(slots[i].p);
	}
	free(slots);
	assert_int_equal(M->nr_bugs, 0);
	assert_int_equal(M->nr_warns, 0);
	/* SLOB gives pages back as they empty: nothing left to shrink */
	assert_true(!strcmp(impl, "slob") ? kmem_cache_shrink_all() == 0 :
					    kmem_cache_shrink_all() > 0);
	assert_int_equal(slab_bytes(), slab_before);
	assert_int_equal(free_pages_drained(), free_before);
	assert_int_equal(check_page_alloc_invariants(), 0);
}

/* ---- giving everything back ---------------------------------------------- */

/* The first nr_caches (3 or 4) of: a plain cache, a reclaimable one, a
 * debugging one and a constructed one (off-slab with SLAB), 300 objects
 * each allocated from three CPUs and freed from others in reverse; once
 * the caches are destroyed and shrunk every page is free again. */
static inline void give_everything_back(int nr_caches)
{
	unsigned long free_before;
	struct kmem_cache *s[4];
	void *obj[4][300];

	kmem_cache_shrink_all();
	free_before = free_pages_drained();
	s[0] = kmem_cache_create("back_a", 30, 0, 0, NULL);
	s[1] = kmem_cache_create("back_b", 3000, 0, SLAB_RECLAIM_ACCOUNT, NULL);
	s[2] = kmem_cache_create("back_c", 500, 0, SLAB_POISON | SLAB_RED_ZONE,
				 NULL);
	if (nr_caches > 3)
		s[3] = kmem_cache_create("back_d", 600, 0, 0, count_ctor);
	for (int i = 0; i < 300; i++)
		for (int c = 0; c < nr_caches; c++) {
			M->this_cpu = i % 3;
			obj[c][i] = kmem_cache_alloc(s[c], GFP_KERNEL);
		}
	for (int i = 299; i >= 0; i--)
		for (int c = 0; c < nr_caches; c++) {
			M->this_cpu = (i + c) % 3;
			kmem_cache_free(s[c], obj[c][i]);
		}
	for (int c = 0; c < nr_caches; c++)
		kmem_cache_destroy(s[c]);
	assert_int_equal(M->nr_bugs, 0);
	kmem_cache_shrink_all();
	assert_int_equal(free_pages_drained(), free_before);
	assert_int_equal(check_page_alloc_invariants(), 0);
}

#endif
