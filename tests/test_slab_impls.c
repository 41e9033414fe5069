/* The three slab allocators behind the kmem_cache API (--slab slub|slab
 * |slob), as a user comparing them relies on: the checks every
 * implementation must pass (alignment, constructors, debugging, leak
 * reports on destroy, kmalloc classes, NUMA placement, a random stress
 * run checking every object's contents, all memory going back to the
 * buddy allocator), with each allocator's reports and geometry checked
 * where they differ, then what is particular to SLAB (geometry, array
 * caches and their tunables, colouring, reaping, /proc/slabinfo) and to
 * SLOB (first-fit packing, no /proc/slabinfo), and the memory each uses
 * for the same workload. Each test boots a machine of its own. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/prng.h"
#include "base/seq_file.h"
#include "fs/proc/proc.h"
#include "kernel/machine.h"
#include "kernel/printk.h"
#include "kernel/sched/run.h"
#include "kernel/time/time.h"
#include "mm/gfp.h"
#include "mm/internal.h"
#include "mm/mm.h"
#include "mm/slab.h"
#include "mm/vmstat.h"

#include "helpers.h"
#include "slab_helpers.h"

/* ---- local helpers ----------------------------------------------------- */

/* Boots a machine with slab=impl and the other "key=value" options. */
static struct machine *boot_impl_opts(const char *impl, const char *const *opts)
{
	const char *all[16];
	char slab_opt[32];
	size_t n = 0;

	snprintf(slab_opt, sizeof(slab_opt), "slab=%s", impl);
	all[n++] = slab_opt;
	for (; opts && *opts && n + 1 < ARRAY_SIZE(all); opts++)
		all[n++] = *opts;
	all[n] = NULL;
	return boot_machine_opts(all);
}

#define boot_impl(impl, ...) \
	boot_impl_opts(impl, (const char *const[]){ __VA_ARGS__, NULL })

static bool is(const char *impl, const char *name)
{
	return !strcmp(impl, name);
}

/* "ffff888..." as SLAB's reports print one (%px). */
static const char *px_text(const void *p)
{
	return addr_text(p) + 2;
}

/* Tests taking the implementation, run once per --slab value. */
#define IMPL_TEST(fn)                       \
	static void fn##_slub(void **state) \
	{                                   \
		(void)state;                \
		fn("slub");                 \
	}                                   \
	static void fn##_slab(void **state) \
	{                                   \
		(void)state;                \
		fn("slab");                 \
	}                                   \
	static void fn##_slob(void **state) \
	{                                   \
		(void)state;                \
		fn("slob");                 \
	}

/* ---- 1. choosing the allocator -------------------------------------------- */

static void test_slab_option_chooses_the_allocator(void **state)
{
	struct machine_config cfg;
	char err[160];
	struct seq_file m;

	(void)state;
	machine_config_default(&cfg);
	assert_int_equal(cfg.slab, SLAB_IMPL_SLUB);
	assert_false(
		machine_config_set(&cfg, "slab", "slab2", err, sizeof(err)));
	assert_string_equal(
		err,
		"--slab slab2: unknown slab allocator (accepted: slub, slab, slob)");
	assert_true(machine_config_set(&cfg, "slab", "slob", err, sizeof(err)));
	assert_int_equal(cfg.slab, SLAB_IMPL_SLOB);

	boot_impl("slub", "ram=256M");
	assert_string_equal(slab_globals()->ops->name, "slub");
	assert_true(log_contains("SLUB: HWalign=64"));
	/* SLUB's /proc/slabinfo is read-only */
	assert_int_equal(proc_write("/proc/slabinfo", "kmalloc-64 1 1 0", err,
				    sizeof(err)),
			 -EACCES);
	assert_string_equal(err, "/proc/slabinfo: Permission denied");
	machine_destroy(M);

	boot_impl("slab", "ram=256M");
	assert_string_equal(slab_globals()->ops->name, "slab");
	assert_false(log_contains("SLUB:"));
	machine_destroy(M);

	/* Linux has no /proc/slabinfo with SLOB */
	boot_impl("slob", "ram=256M");
	assert_string_equal(slab_globals()->ops->name, "slob");
	seq_init(&m);
	assert_int_equal(proc_read("/proc/slabinfo", &m), -ENOENT);
	seq_release(&m);
	assert_int_equal(proc_write("/proc/slabinfo", "x 1 1 1", err,
				    sizeof(err)),
			 -ENOENT);
	assert_int_equal(M->nr_bugs + M->nr_warns, 0);
}

/* ---- 2. alignment ----------------------------------------------------------- */

static void objects_are_aligned(const char *impl)
{
	boot_impl(impl, "ram=256M");
	check_alignment("al_plain", 13, 0, 0, 8);
	check_alignment("al_hw", 100, 0, SLAB_HWCACHE_ALIGN, 64);
	/* objects of at most half a line get half a line */
	check_alignment("al_hw_small", 20, 0, SLAB_HWCACHE_ALIGN, 32);
	check_alignment("al_explicit", 24, 128, 0, 128);
	check_alignment("al_page", 100, 4096, 0, 4096);
	check_alignment("al_rz", 100, 64, SLAB_RED_ZONE, 64);
	check_alignment("al_poison", 100, 32, SLAB_POISON, 32);
	check_alignment("al_big", 5000, 0, 0, 8);
	/* kmalloc: powers of two are aligned to their size */
	for (size_t size = 8; size <= 8192; size <<= 1)
		for (int i = 0; i < 3; i++) {
			void *p = kmalloc(size, GFP_KERNEL);

			if (__pa(p) % size)
				fail_msg("kmalloc(%zu) at %s", size,
					 addr_text(p));
			memset(p, 1, size);
		}
	for (int i = 0; i < 50; i++)
		assert_int_equal(__pa(kmalloc(13 + (size_t)i, GFP_KERNEL)) % 8,
				 0);
	assert_int_equal(M->nr_bugs + M->nr_warns, 0);
}
IMPL_TEST(objects_are_aligned)

/* ---- 3. constructors ---------------------------------------------------------- */

/* SLUB and SLAB construct a whole slab when they populate it; SLOB
 * constructs an object on every allocation. */
static void constructors_run_as_the_allocator_says(const char *impl)
{
	unsigned int per_slab = 1;
	struct kmem_cache *s;
	unsigned char *p;
	void *obj[128];

	boot_impl(impl, "ram=256M");
	ctor_calls = 0;
	s = kmem_cache_create("ctor_test", 48, 0, 0, count_ctor);
	assert_non_null(s);
	assert_int_equal(ctor_calls, 0);
	if (!is(impl, "slob"))
		per_slab = (unsigned int)slabinfo_of("ctor_test").objperslab;
	if (is(impl, "slub")) {
		/* a constructed object must stay intact when free, so the
		 * free pointer goes after it: 56-byte slots, 73 to a page */
		assert_int_equal(slabinfo_of("ctor_test").objsize, 56);
		assert_int_equal(per_slab, 73);
	}
	p = kmem_cache_alloc(s, GFP_KERNEL);
	assert_int_equal(ctor_calls, per_slab);
	for (int i = 0; i < 48; i++)
		assert_int_equal(p[i], 0x3c);
	memset(p, 0x11, 48);
	kmem_cache_free(s, p);
	obj[0] = kmem_cache_alloc(s, GFP_KERNEL);
	assert_ptr_equal(obj[0], p);
	if (is(impl, "slob")) {
		/* constructed again: a SLOB object has no state while free */
		assert_int_equal(ctor_calls, 2);
		assert_int_equal(p[0], 0x3c);
		for (int i = 1; i < 100; i++)
			obj[i] = kmem_cache_alloc(s, GFP_KERNEL);
		assert_int_equal(ctor_calls, 101);
		for (int i = 0; i < 100; i++)
			kmem_cache_free(s, obj[i]);
		assert_int_equal(ctor_calls, 101);
		kmem_cache_destroy(s);
		assert_int_equal(M->nr_bugs + M->nr_warns, 0);
		return;
	}
	/* a reused object keeps its state */
	assert_int_equal(ctor_calls, per_slab);
	assert_int_equal(p[0], 0x11);
	for (unsigned int i = 1; i < per_slab; i++)
		obj[i] = kmem_cache_alloc(s, GFP_KERNEL);
	assert_int_equal(ctor_calls, per_slab);
	p = kmem_cache_alloc(s, GFP_KERNEL); /* a second slab */
	assert_int_equal(ctor_calls, 2 * per_slab);
	kmem_cache_free(s, p);
	for (unsigned int i = 0; i < per_slab; i++)
		kmem_cache_free(s, obj[i]);
	assert_int_equal(ctor_calls, 2 * per_slab);
	kmem_cache_destroy(s);
	assert_false(slabinfo_line("ctor_test", (char[256]){ 0 }, 256));
	assert_int_equal(M->nr_bugs + M->nr_warns, 0);
}
IMPL_TEST(constructors_run_as_the_allocator_says)

/* ---- 4. poison and red zones ------------------------------------------------- */

/* SLUB's report, since mark, of the byte at p found to be got instead of
 * want, and its FIX line restoring what (Poison, Right Redzone, ...). */
static void expect_slub_restored(size_t mark, const char *cache,
				 const char *what, const unsigned char *p,
				 unsigned got, unsigned want)
{
	char line[160];

	snprintf(line, sizeof(line),
		 "%s-%s @offset=%lu. First byte 0x%x instead of 0x%x\n",
		 addr_text(p), addr_text(p),
		 (unsigned long)(__pa(p) & (PAGE_SIZE - 1)), got, want);
	assert_true(log_contains_since(mark, line));
	snprintf(line, sizeof(line), "FIX %s: Restoring %s %s-%s=0x%x\n", cache,
		 what, addr_text(p), addr_text(p), want);
	assert_true(log_contains_since(mark, line));
}

static void poison_detects_write_after_free(const char *impl)
{
	struct kmem_cache *s;
	unsigned char *p, *q;
	char want[160];
	size_t mark;
	unsigned bugs;

	boot_impl(impl, "ram=256M");
	s = kmem_cache_create("poison_test", 64, 0, SLAB_POISON, NULL);
	assert_non_null(s);
	p = kmem_cache_alloc(s, GFP_KERNEL);
	kmem_cache_free(s, p);
	if (is(impl, "slob")) {
		/* Linux's SLOB has no debugging: the flag is ignored */
		p = kmem_cache_alloc(s, GFP_KERNEL);
		p[10] = 0x42;
		kmem_cache_free(s, p);
		assert_non_null(kmem_cache_alloc(s, GFP_KERNEL));
		assert_int_equal(M->nr_bugs, 0);
		return;
	}
	/* a free object is 0x6b with 0xa5 in its last byte */
	for (int i = 0; i < 63; i++)
		assert_int_equal(p[i], POISON_FREE);
	assert_int_equal(p[63], POISON_END);
	p[10] = 0x42; /* use after free */
	mark = log_mark();
	bugs = M->nr_bugs;
	q = kmem_cache_alloc(s, GFP_KERNEL);
	assert_non_null(q);
	assert_int_equal(M->nr_bugs, bugs + 1);
	if (is(impl, "slub")) {
		assert_ptr_not_equal(q, p); /* that slab is taken out of use */
		assert_true(log_contains_since(
			mark,
			"BUG poison_test (Not tainted): Poison overwritten\n"));
		expect_slub_restored(mark, "poison_test", "Poison", p + 10,
				     0x42, 0x6b);
		assert_true(log_contains_since(
			mark, "FIX poison_test: Marking all objects used\n"));
		snprintf(
			want, sizeof(want),
			"Object   %s: 6b 6b 6b 6b 6b 6b 6b 6b 6b 6b 42 6b 6b 6b 6b 6b  kkkkkkkkkkBkkkkk\n",
			addr_text(p) + 2);
		assert_true(log_contains_since(mark, want));
		assert_true(M->taint & (1UL << TAINT_BAD_PAGE));
		/* allocated objects of a poisoned cache still read as poison */
		assert_int_equal(q[0], POISON_FREE);
		kmem_cache_free(s, q);
		return;
	}
	/* SLAB reports (CONFIG_DEBUG_SLAB's words) and hands it out */
	snprintf(
		want, sizeof(want),
		"Slab corruption (Not tainted): poison_test start=%s, len=64\n",
		px_text(p));
	assert_true(log_contains_since(mark, want));
	assert_true(log_contains_since(
		mark,
		"000: 6b 6b 6b 6b 6b 6b 6b 6b 6b 6b 42 6b 6b 6b 6b 6b  kkkkkkkkkkBkkkkk\n"));
	assert_true(log_contains_since(mark, "Prev obj: start=") ||
		    log_contains_since(mark, "Next obj: start="));
	assert_ptr_equal(q, p);
	/* an allocated object of a poisoned SLAB cache reads 0x5a */
	assert_int_equal(q[0], POISON_INUSE);
	assert_int_equal(q[63], POISON_END);
	kmem_cache_free(s, q);
	mark = log_mark();
	kmem_cache_destroy(s);
	assert_false(log_contains_since(mark, "corruption"));
}
IMPL_TEST(poison_detects_write_after_free)

static void red_zone_catches_overruns(const char *impl)
{
	struct kmem_cache *s;
	unsigned char *p;
	char want[200];
	size_t mark;

	boot_impl(impl, "ram=256M");
	s = kmem_cache_create("rz_test", 64, 0, SLAB_RED_ZONE, NULL);
	assert_non_null(s);
	p = kmem_cache_alloc(s, GFP_KERNEL);
	if (is(impl, "slob")) {
		p[64] = 0x12; /* the neighbour's problem: nothing checks */
		kmem_cache_free(s, p);
		assert_int_equal(M->nr_bugs, 0);
		return;
	}
	if (is(impl, "slub")) {
		/* 64 + 8 right red zone + 8 padding + 8 left red zone */
		assert_int_equal(slabinfo_of("rz_test").objsize, 88);
		assert_int_equal(p[64], SLUB_RED_ACTIVE);
		assert_int_equal(p[-1], SLUB_RED_ACTIVE);
	}
	mark = log_mark();
	p[64] = 0x12; /* one byte past the object */
	kmem_cache_free(s, p);
	if (is(impl, "slub")) {
		assert_true(log_contains_since(
			mark,
			"=============================================================================\n"));
		assert_true(log_contains_since(
			mark,
			"BUG rz_test (Not tainted): Right Redzone overwritten\n"));
		expect_slub_restored(mark, "rz_test", "Right Redzone", p + 64,
				     0x12, 0xcc);
		snprintf(want, sizeof(want),
			 "FIX rz_test: Object at %s not freed\n", addr_text(p));
		assert_true(log_contains_since(mark, want));
		assert_int_equal(slabinfo_of("rz_test").active_objs, 1);
		/* the zone was repaired: the object can be freed now */
		mark = log_mark();
		kmem_cache_free(s, p);
		assert_false(log_contains_since(mark, "BUG"));
		assert_int_equal(p[64], SLUB_RED_INACTIVE);
		assert_int_equal(slabinfo_of("rz_test").active_objs, 0);
		/* an underrun hits the left red zone */
		p = kmem_cache_alloc(s, GFP_KERNEL);
		p[-3] = 0;
		mark = log_mark();
		kmem_cache_free(s, p);
		assert_true(log_contains_since(
			mark,
			"BUG rz_test (Tainted: G B): Left Redzone overwritten\n"));
		kmem_cache_free(s, p);
		mark = log_mark();
		kmem_cache_destroy(s);
		assert_false(log_contains_since(mark, "BUG"));
		return;
	}
	/* SLAB: 64-bit red zones on both sides: 8 + 64 + 8 bytes */
	assert_int_equal(slabinfo_of("rz_test").objsize, 80);
	assert_true(log_contains_since(
		mark,
		"slab error in verify_redzone_free(): cache `rz_test': memory outside object was overwritten\n"));
	snprintf(
		want, sizeof(want),
		"%s: redzone 1:0xd84156c5635688c0, redzone 2:0xd84156c563568812\n",
		px_text(p - 8));
	assert_true(log_contains_since(mark, want));
	assert_true(M->taint & (1UL << TAINT_BAD_PAGE));
	/* the object was freed: freeing it again is a double free */
	mark = log_mark();
	kmem_cache_free(s, p);
	assert_true(log_contains_since(
		mark,
		"slab error in verify_redzone_free(): cache `rz_test': double free detected\n"));
	/* an underrun hits the left zone */
	p = kmem_cache_alloc(s, GFP_KERNEL);
	assert_int_equal(p[-1], 0xd8); /* RED_ACTIVE, little-endian */
	p[-3] = 0;
	mark = log_mark();
	kmem_cache_free(s, p);
	assert_true(log_contains_since(
		mark, "memory outside object was overwritten\n"));
	mark = log_mark();
	kmem_cache_destroy(s);
	assert_false(log_contains_since(mark, "slab error"));
}
IMPL_TEST(red_zone_catches_overruns)

static void double_free_is_caught(const char *impl)
{
	void *p, *keep;
	size_t mark;

	boot_impl(impl, "ram=256M");
	keep = kmalloc(64, GFP_KERNEL); /* so SLOB keeps the page */
	p = kmalloc(64, GFP_KERNEL);
	kfree(p);
	mark = log_mark();
	kfree(p);
	if (is(impl, "slub"))
		assert_true(log_contains_since(
			mark,
			"BUG kmalloc-64 (Not tainted): Object already free\n"));
	else if (is(impl, "slab"))
		assert_true(log_contains_since(mark, "slab: double free of "));
	else
		assert_true(log_contains_since(mark, "is already free"));
	/* the allocator is intact: two allocations give two objects */
	p = kmalloc(64, GFP_KERNEL);
	assert_ptr_not_equal(kmalloc(64, GFP_KERNEL), p);
	assert_ptr_not_equal(p, keep);
}
IMPL_TEST(double_free_is_caught)

/* ---- 5. destroy ------------------------------------------------------------- */

static void destroy_with_live_objects_reports_and_keeps_cache(const char *impl)
{
	unsigned long free_before;
	struct kmem_cache *s;
	char *a, *b, want[128];
	size_t mark;

	boot_impl(impl, "ram=256M");
	kmem_cache_shrink_all();
	free_before = free_pages_drained();
	s = kmem_cache_create("leaky", 100, 0, 0, NULL);
	a = kmem_cache_alloc(s, GFP_KERNEL);
	b = kmem_cache_alloc(s, GFP_KERNEL);
	mark = log_mark();
	kmem_cache_destroy(s);
	assert_true(log_contains_since(
		mark,
		"kmem_cache_destroy leaky: Slab cache still has objects\n"));
	if (!is(impl, "slab")) /* Linux's SLAB says no more than that */
		assert_true(log_contains_since(
			mark,
			"BUG leaky (Not tainted): Objects remaining in leaky on __kmem_cache_shutdown()\n"));
	if (is(impl, "slub")) { /* each object left, and the warning */
		snprintf(want, sizeof(want), "Object %s @offset=%lu\n",
			 addr_text(a),
			 (unsigned long)(__pa(a) & (PAGE_SIZE - 1)));
		assert_true(log_contains_since(mark, want));
		snprintf(want, sizeof(want), "Object %s @offset=%lu\n",
			 addr_text(b),
			 (unsigned long)(__pa(b) & (PAGE_SIZE - 1)));
		assert_true(log_contains_since(mark, want));
		assert_true(log_contains_since(
			mark, "WARNING: CPU: 0 PID: 0 at mm/slab_common.c:"));
	}
	/* kept: still listed, objects still usable and freeable */
	if (!is(impl, "slob"))
		assert_int_equal(slabinfo_of("leaky").active_objs, 2);
	memset(a, 1, 100);
	kmem_cache_free(s, a);
	kmem_cache_free(s, b);
	mark = log_mark();
	kmem_cache_destroy(s);
	assert_false(log_contains_since(mark, "still has objects"));
	if (is(impl, "slub"))
		assert_false(log_contains_since(mark, "BUG"));
	if (!is(impl, "slob"))
		assert_false(slabinfo_line("leaky", (char[256]){ 0 }, 256));
	kmem_cache_shrink_all();
	assert_int_equal(free_pages_drained(), free_before);
}
IMPL_TEST(destroy_with_live_objects_reports_and_keeps_cache)

/* ---- 6. kmalloc --------------------------------------------------------------- */

static void kmalloc_family_works(const char *impl)
{
	char *p, *q;

	boot_impl(impl, "ram=256M");
	for (size_t size = 1; size <= 9000; size += size < 300 ? 1 : 97) {
		p = kmalloc(size, GFP_KERNEL);
		assert_non_null(p);
		assert_true(ksize(p) >= size);
		memset(p, 0x5c, ksize(p));
		kfree(p);
	}
	p = kzalloc(500, GFP_KERNEL);
	for (int i = 0; i < 500; i++)
		assert_int_equal(p[i], 0);
	strcpy(p, "kept across krealloc");
	q = krealloc(p, 3000, GFP_KERNEL);
	assert_string_equal(q, "kept across krealloc");
	p = krealloc(q, 20000, GFP_KERNEL);
	assert_true(PageLargeKmalloc(virt_to_page(p)));
	assert_string_equal(p, "kept across krealloc");
	kfree(p);
	assert_null(kcalloc(SIZE_MAX / 2 + 1, 2, GFP_KERNEL));
	assert_ptr_equal(kmalloc(0, GFP_KERNEL), ZERO_SIZE_PTR);
	p = kstrdup("a string", GFP_KERNEL);
	assert_string_equal(p, "a string");
	kfree(p);
	p = kmalloc(100, GFP_KERNEL | GFP_DMA);
	if (!is(impl, "slob")) /* SLOB packs DMA requests anywhere */
		assert_int_equal(page_zonenum(virt_to_page(p)), ZONE_DMA);
	kfree(p);
	assert_int_equal(M->nr_bugs + M->nr_warns, 0);
}
IMPL_TEST(kmalloc_family_works)

static void node_allocations_come_from_that_node(const char *impl)
{
	struct kmem_cache *s;
	void *p;

	boot_impl(impl, "ram=512M", "nodes=2", "cpus=2");
	s = kmem_cache_create("node_test", 128, 0, 0, NULL);
	p = kmem_cache_alloc_node(s, GFP_KERNEL, 1);
	assert_int_equal(page_to_nid(virt_to_page(p)), 1);
	kmem_cache_free(s, p);
	p = kmem_cache_alloc_node(s, GFP_KERNEL, 0);
	assert_int_equal(page_to_nid(virt_to_page(p)), 0);
	kmem_cache_free(s, p);
	p = kmalloc_node(1000, GFP_KERNEL, 1);
	assert_int_equal(page_to_nid(virt_to_page(p)), 1);
	kfree(p);
	p = kmalloc_node(100000, GFP_KERNEL, 1);
	assert_int_equal(page_to_nid(virt_to_page(p)), 1);
	kfree(p);
	/* CPU 1 lives on node 1: SLUB and SLAB allocate there */
	M->this_cpu = 1;
	p = kmem_cache_alloc(s, GFP_KERNEL);
	if (!is(impl, "slob"))
		assert_int_equal(page_to_nid(virt_to_page(p)), 1);
	/* a free on another node's CPU goes back to the object's node */
	M->this_cpu = 0;
	kmem_cache_free(s, p);
	kmem_cache_destroy(s);
	assert_int_equal(M->nr_bugs + M->nr_warns, 0);
	/* i386: node 1 is all HighMem, so requests for it fall back */
	machine_destroy(M);
	boot_impl(impl, "ram=2G", "arch=i386", "nodes=2", "cpus=2");
	M->this_cpu = 1;
	p = kmalloc_node(64, GFP_KERNEL, 1);
	assert_int_equal(page_to_nid(virt_to_page(p)), 0);
	assert_false(PageHighMem(virt_to_page(p)));
	kfree(p);
	p = kmalloc(100, GFP_KERNEL);
	assert_false(PageHighMem(virt_to_page(p)));
	kfree(p);
	assert_int_equal(M->nr_bugs + M->nr_warns, 0);
}
IMPL_TEST(node_allocations_come_from_that_node)

/* ---- 7. stress and giving memory back -------------------------------------------- */

/* About a million allocations (half the operations) per allocator,
 * fewer under the sanitizers (STRESS_OPS). */
static void random_alloc_free_keeps_every_object_intact(const char *impl)
{
	static const gfp_t gfps[] = {
		GFP_KERNEL,
		GFP_KERNEL,
		GFP_KERNEL,
		GFP_KERNEL | __GFP_ZERO,
		GFP_KERNEL | __GFP_RECLAIMABLE,
		GFP_KERNEL_ACCOUNT,
		GFP_KERNEL | GFP_DMA,
		GFP_ATOMIC,
	};

	boot_impl(impl, "ram=1G", "cpus=2");
	kmalloc_stress(impl, gfps, ARRAY_SIZE(gfps));
}
IMPL_TEST(random_alloc_free_keeps_every_object_intact)

/* Caches of every kind (plain, reclaimable, debugging, constructed),
 * used from three CPUs, on both arches (i386: 4-byte pointers). */
static void everything_goes_back_to_the_buddy_allocator(const char *impl)
{
	boot_impl(impl, "ram=256M", "cpus=3");
	give_everything_back(4);
	machine_destroy(M);
	boot_impl(impl, "ram=256M", "cpus=3", "arch=i386");
	give_everything_back(4);
}
IMPL_TEST(everything_goes_back_to_the_buddy_allocator)

/* ---- 8. SLAB ------------------------------------------------------------------ */

static void test_slab_kmalloc_caches_are_linux_slab_s(void **state)
{
	static const struct {
		const char *name;
		unsigned long objsize, perslab, pages, limit;
	} caches[] = {
		/* on-slab index array: 4096 / (32 + 1) */
		{ "kmalloc-32", 32, 124, 1, 120 },
		/* objfreelist: the array in a free object */
		{ "kmalloc-64", 64, 64, 1, 120 },
		/* SLAB_HWCACHE_ALIGN: 96-byte objects take 128 */
		{ "kmalloc-96", 128, 32, 1, 120 },
		{ "kmalloc-192", 192, 21, 1, 120 },
		{ "kmalloc-256", 256, 16, 1, 120 },
		{ "kmalloc-512", 512, 8, 1, 54 },
		{ "kmalloc-1k", 1024, 4, 1, 54 },
		{ "kmalloc-2k", 2048, 2, 1, 24 },
		{ "kmalloc-4k", 4096, 1, 1, 24 },
		{ "kmalloc-8k", 8192, 1, 2, 8 },
	};
	char line[256];

	(void)state;
	boot_impl("slab", "ram=256M");
	for (size_t i = 0; i < ARRAY_SIZE(caches); i++) {
		struct sinfo si = slabinfo_of(caches[i].name);

		assert_int_equal(si.objsize, caches[i].objsize);
		assert_int_equal(si.objperslab, caches[i].perslab);
		assert_int_equal(si.pagesperslab, caches[i].pages);
		assert_int_equal(si.limit, caches[i].limit);
		assert_int_equal(si.batchcount, (caches[i].limit + 1) / 2);
		assert_int_equal(si.shared, 0); /* one CPU */
	}
	/* no kmalloc-8 or -16: they share kmalloc-32 */
	assert_false(slabinfo_line("kmalloc-8", line, sizeof(line)));
	assert_false(slabinfo_line("kmalloc-16", line, sizeof(line)));
	assert_string_equal(kmalloc_slab(8, GFP_KERNEL)->name, "kmalloc-32");
	assert_string_equal(kmalloc_slab(100, __GFP_RECLAIMABLE)->name,
			    "kmalloc-rcl-128");
	/* SLAB's ksize is the object size, without the alignment */
	assert_int_equal(ksize(kmalloc(65, GFP_KERNEL)), 96);
	assert_int_equal(ksize(kmalloc(8, GFP_KERNEL)), 32);
	machine_destroy(M);
	/* SMP: shared arrays of 8 batches, up to a page */
	boot_impl("slab", "ram=256M", "cpus=2");
	assert_int_equal(slabinfo_of("kmalloc-4k").shared, 8);
	assert_int_equal(slabinfo_of("kmalloc-8k").shared, 0);
	assert_int_equal(slabinfo_of("kmalloc-32").shared, 8);
}

static void test_slab_places_the_index_array_as_linux(void **state)
{
	struct kmem_cache *s;
	void *p[8];

	(void)state;
	boot_impl("slab", "ram=256M");
	/* a constructor rules out objfreelist: 48 + 1 bytes per object */
	kmem_cache_create("ctor48", 48, 0, 0, nop_ctor);
	assert_int_equal(slabinfo_of("ctor48").objperslab, 83);
	/* 512-byte constructed objects: the 8 indices go off-slab (to
	 * kmalloc-32), so 8 objects fit instead of 7 */
	s = kmem_cache_create("ctor512", 512, 0, 0, nop_ctor);
	assert_int_equal(slabinfo_of("ctor512").objperslab, 8);
	/* the array cache hands out the slab's objects last first */
	for (int i = 7; i >= 0; i--) {
		p[i] = kmem_cache_alloc(s, GFP_KERNEL);
		assert_int_equal(__pa(p[i]) % PAGE_SIZE, (unsigned)i * 512);
	}
	for (int i = 0; i < 8; i++)
		kmem_cache_free(s, p[i]);
	/* without a constructor the array lives in a free object */
	kmem_cache_create("plain512", 512, 0, SLAB_NO_MERGE, NULL);
	assert_int_equal(slabinfo_of("plain512").objperslab, 8);
	/* reclaimable caches stop at the first order that fits */
	kmem_cache_create("recl3000", 3000, 0, SLAB_RECLAIM_ACCOUNT, NULL);
	assert_int_equal(slabinfo_of("recl3000").objperslab, 1);
	assert_int_equal(slabinfo_of("recl3000").pagesperslab, 1);
	/* the others take order 1 when order 0 wastes more than 1/8 */
	kmem_cache_create("plain3000", 3000, 0, SLAB_NO_MERGE, NULL);
	assert_int_equal(slabinfo_of("plain3000").objperslab, 2);
	assert_int_equal(slabinfo_of("plain3000").pagesperslab, 2);
	assert_int_equal(M->nr_bugs + M->nr_warns, 0);
}

static void test_slab_colours_successive_slabs(void **state)
{
	struct kmem_cache *s;
	void *p[12];

	(void)state;
	boot_impl("slab", "ram=256M");
	/* 1296-byte objects: 3 a page and 208 bytes left, 3 colours of 64 */
	s = kmem_cache_create("colour_test", 1296, 0, 0, NULL);
	assert_int_equal(slabinfo_of("colour_test").objperslab, 3);
	/* each refill grows a slab and takes its 3 objects, handed out
	 * last first; the slabs' colours: colour_next cycles 1, 2, 0, 1 */
	for (int i = 0; i < 12; i++) {
		unsigned long colour = (unsigned long)(i / 3 + 1) % 3 * 64;

		p[i] = kmem_cache_alloc(s, GFP_KERNEL);
		assert_int_equal(__pa(p[i]) % PAGE_SIZE,
				 colour + (unsigned long)(2 - i % 3) * 1296);
	}
	for (int i = 0; i < 12; i++)
		kmem_cache_free(s, p[i]);
}

/* After the sequence below, on 2 CPUs. The kmalloc caches hold SLAB's own
 * structures: kmalloc-4k the shared arrays of the 30 caches of limit 120
 * (16 + 8 * 60 * 8 bytes), kmalloc-2k those of the 11 of limit 54,
 * kmalloc-1k the per-CPU arrays of limit 120 (60 of them, and 8 shared
 * ones of limit 24: 68 objects, so 17 slabs), kmalloc-512, -256 and -96
 * the per-CPU arrays of limits 54, 24 and 8, kmalloc-128 the node
 * structures; objects waiting in array caches count as active.
 * vmalloc_init's vmap_area took one object for the free space: the first
 * refill of its array took BATCHREFILL_LIMIT (16); task_struct one for
 * CPU 1's idle task (fork_idle), its refill the whole 11-object slab. */
static const char slabinfo_expected[] =
	"slabinfo - version: 2.1\n"
	"# name            <active_objs> <num_objs> <objsize> <objperslab> <pagesperslab> : tunables <limit> <batchcount> <sharedfactor> : slabdata <active_slabs> <num_slabs> <sharedavail>\n"
	"test_objs             48     48    256   16    1 : tunables  120   60    8 : slabdata      3      3      0\n"
	"vm_area_struct         0      0    152   26    1 : tunables  120   60    8 : slabdata      0      0      0\n"
	"mm_struct              0      0    768    5    1 : tunables   54   27    8 : slabdata      0      0      0\n"
	"signal_cache           0      0    448    9    1 : tunables   54   27    8 : slabdata      0      0      0\n"
	"task_struct           11     11    704   11    2 : tunables   54   27    8 : slabdata      1      1      0\n"
	"anon_vma_chain         0      0     48   83    1 : tunables  120   60    8 : slabdata      0      0      0\n"
	"anon_vma               0      0     48   83    1 : tunables  120   60    8 : slabdata      0      0      0\n"
	"vmap_area             16     56     72   56    1 : tunables  120   60    8 : slabdata      1      1      0\n"
	"kmalloc-cg-8k          0      0   8192    1    2 : tunables    8    4    0 : slabdata      0      0      0\n"
	"kmalloc-cg-4k          0      0   4096    1    1 : tunables   24   12    8 : slabdata      0      0      0\n"
	"kmalloc-cg-2k          0      0   2048    2    1 : tunables   24   12    8 : slabdata      0      0      0\n"
	"kmalloc-cg-1k          0      0   1024    4    1 : tunables   54   27    8 : slabdata      0      0      0\n"
	"kmalloc-cg-512         0      0    512    8    1 : tunables   54   27    8 : slabdata      0      0      0\n"
	"kmalloc-cg-256         0      0    256   16    1 : tunables  120   60    8 : slabdata      0      0      0\n"
	"kmalloc-cg-192         0      0    192   21    1 : tunables  120   60    8 : slabdata      0      0      0\n"
	"kmalloc-cg-128         0      0    128   32    1 : tunables  120   60    8 : slabdata      0      0      0\n"
	"kmalloc-cg-96          0      0    128   32    1 : tunables  120   60    8 : slabdata      0      0      0\n"
	"kmalloc-cg-64          0      0     64   64    1 : tunables  120   60    8 : slabdata      0      0      0\n"
	"kmalloc-cg-32          0      0     32  124    1 : tunables  120   60    8 : slabdata      0      0      0\n"
	"dma-kmalloc-8k         0      0   8192    1    2 : tunables    8    4    0 : slabdata      0      0      0\n"
	"dma-kmalloc-4k         0      0   4096    1    1 : tunables   24   12    8 : slabdata      0      0      0\n"
	"dma-kmalloc-2k         0      0   2048    2    1 : tunables   24   12    8 : slabdata      0      0      0\n"
	"dma-kmalloc-1k         0      0   1024    4    1 : tunables   54   27    8 : slabdata      0      0      0\n"
	"dma-kmalloc-512        0      0    512    8    1 : tunables   54   27    8 : slabdata      0      0      0\n"
	"dma-kmalloc-256        0      0    256   16    1 : tunables  120   60    8 : slabdata      0      0      0\n"
	"dma-kmalloc-192        0      0    192   21    1 : tunables  120   60    8 : slabdata      0      0      0\n"
	"dma-kmalloc-128        0      0    128   32    1 : tunables  120   60    8 : slabdata      0      0      0\n"
	"dma-kmalloc-96         0      0    128   32    1 : tunables  120   60    8 : slabdata      0      0      0\n"
	"dma-kmalloc-64         0      0     64   64    1 : tunables  120   60    8 : slabdata      0      0      0\n"
	"dma-kmalloc-32         0      0     32  124    1 : tunables  120   60    8 : slabdata      0      0      0\n"
	"kmalloc-rcl-8k         0      0   8192    1    2 : tunables    8    4    0 : slabdata      0      0      0\n"
	"kmalloc-rcl-4k         0      0   4096    1    1 : tunables   24   12    8 : slabdata      0      0      0\n"
	"kmalloc-rcl-2k         0      0   2048    2    1 : tunables   24   12    8 : slabdata      0      0      0\n"
	"kmalloc-rcl-1k         0      0   1024    4    1 : tunables   54   27    8 : slabdata      0      0      0\n"
	"kmalloc-rcl-512        0      0    512    8    1 : tunables   54   27    8 : slabdata      0      0      0\n"
	"kmalloc-rcl-256        0      0    256   16    1 : tunables  120   60    8 : slabdata      0      0      0\n"
	"kmalloc-rcl-192        0      0    192   21    1 : tunables  120   60    8 : slabdata      0      0      0\n"
	"kmalloc-rcl-128        0      0    128   32    1 : tunables  120   60    8 : slabdata      0      0      0\n"
	"kmalloc-rcl-96         0      0    128   32    1 : tunables  120   60    8 : slabdata      0      0      0\n"
	"kmalloc-rcl-64         0      0     64   64    1 : tunables  120   60    8 : slabdata      0      0      0\n"
	"kmalloc-rcl-32         0      0     32  124    1 : tunables  120   60    8 : slabdata      0      0      0\n"
	"kmalloc-8k             0      0   8192    1    2 : tunables    8    4    0 : slabdata      0      0      0\n"
	"kmalloc-4k            30     30   4096    1    1 : tunables   24   12    8 : slabdata     30     30      0\n"
	"kmalloc-2k            12     12   2048    2    1 : tunables   24   12    8 : slabdata      6      6      0\n"
	"kmalloc-1k            68     68   1024    4    1 : tunables   54   27    8 : slabdata     17     17      0\n"
	"kmalloc-512           24     24    512    8    1 : tunables   54   27    8 : slabdata      3      3      0\n"
	"kmalloc-256           16     16    256   16    1 : tunables  120   60    8 : slabdata      1      1      0\n"
	"kmalloc-192            0      0    192   21    1 : tunables  120   60    8 : slabdata      0      0      0\n"
	"kmalloc-96             8     32    128   32    1 : tunables  120   60    8 : slabdata      1      1      0\n"
	"kmalloc-64             0      0     64   64    1 : tunables  120   60    8 : slabdata      0      0      0\n"
	"kmalloc-32            16    124     32  124    1 : tunables  120   60    8 : slabdata      1      1      0\n"
	"kmalloc-128           61     64    128   32    1 : tunables  120   60    8 : slabdata      2      2      0\n"
	"kmem_cache            60     63    192   21    1 : tunables  120   60    8 : slabdata      3      3      0\n";

/* An array cache, its reaping and the node's free slabs, step by step
 * (see the comments for how Linux's SLAB gets each number). */
static void test_slab_array_caches_and_reaping(void **state)
{
	struct kmem_cache *s;
	void *obj[40];
	char *text, line[256];

	(void)state;
	boot_impl("slab", "ram=512M", "cpus=2");
	/* 200 bytes, cache-line aligned: 256-byte objects, 16 a slab;
	 * limit 120, batchcount 60, shared arrays of 8 batches (SMP) */
	s = kmem_cache_create("test_objs", 200, 0, SLAB_HWCACHE_ALIGN, NULL);
	/* the first refill of an untouched array takes 16 (a new slab),
	 * then 60 a time: each of the three slabs comes new and goes whole
	 * into the array; 40 handed out, 8 left in the array */
	for (int i = 0; i < 40; i++)
		obj[i] = kmem_cache_alloc(s, GFP_KERNEL);
	for (int i = 0; i < 40; i++)
		kmem_cache_free(s, obj[i]);
	/* 48 objects in the array: all active, as Linux counts them */
	text = proc_text("/proc/slabinfo");
	assert_string_equal(text, slabinfo_expected);
	free(text);
	/* the first reap finds the array touched and clears that */
	cache_reap();
	assert_int_equal(slabinfo_of("test_objs").active_objs, 48);
	/* the second gives back (limit + 4) / 5 = 24 of the oldest: the 8
	 * left from slab 3 and the 16 of slab 1, which is free now */
	cache_reap();
	assert_true(slabinfo_line("test_objs", line, sizeof(line)));
	assert_string_equal(
		line,
		"test_objs             24     48    256   16    1 : tunables  120   60    8 : slabdata      2      3      0");
	/* 4 to 8 s later (Linux staggers caches by their address) the
	 * node's turn comes: the array's last 24 go back and
	 * up to (free_limit + 5 * 16 - 1) / (5 * 16) = 3 free slabs
	 * (free_limit = (1 + 2 CPUs) * 60 + 16 = 196) go to the buddy
	 * allocator */
	M->clock_ns += 9000000000ULL;
	cache_reap();
	assert_true(slabinfo_line("test_objs", line, sizeof(line)));
	assert_string_equal(
		line,
		"test_objs              0      0    256   16    1 : tunables  120   60    8 : slabdata      0      0      0");
	assert_int_equal(kmem_cache_shrink(s), 0);
	assert_int_equal(M->nr_bugs + M->nr_warns, 0);
}

static void test_slab_shared_array_passes_objects_between_cpus(void **state)
{
	struct kmem_cache *s;
	void *obj[200], *p;

	(void)state;
	boot_impl("slab", "ram=256M", "cpus=2");
	s = kmem_cache_create("shared_test", 256, 0, SLAB_NO_MERGE, NULL);
	for (int i = 0; i < 200; i++)
		obj[i] = kmem_cache_alloc(s, GFP_KERNEL);
	/* CPU 1 frees all: its full array flushes 60 at a time to the
	 * shared one */
	M->this_cpu = 1;
	for (int i = 0; i < 200; i++)
		kmem_cache_free(s, obj[i]);
	assert_int_equal(slabinfo_of("shared_test").sharedavail, 120);
	/* CPU 0 first uses the 8 left in its array, then its refill
	 * takes the shared array's newest 60, obj[60..119], newest first */
	M->this_cpu = 0;
	for (int i = 0; i < 20; i++)
		p = kmem_cache_alloc(s, GFP_KERNEL);
	assert_ptr_equal(p, obj[119 - 11]);
	assert_int_equal(slabinfo_of("shared_test").sharedavail, 60);
	assert_int_equal(kmem_cache_shrink(s), 1);
}

static void test_slab_free_slabs_beyond_free_limit_go_back(void **state)
{
	unsigned long pages;
	struct kmem_cache *s;
	void *obj[1000];

	(void)state;
	boot_impl("slab", "ram=256M");
	/* 1000-byte objects, 4 a slab: limit 54, batchcount 27, so
	 * free_limit = (1 + 1 CPU) * 27 + 4 = 58 free objects */
	s = kmem_cache_create("limit_test", 1000, 0, SLAB_NO_MERGE, NULL);
	for (int i = 0; i < 1000; i++)
		obj[i] = kmem_cache_alloc(s, GFP_KERNEL);
	assert_int_equal(slabinfo_of("limit_test").num_slabs, 250);
	for (int i = 0; i < 1000; i++)
		kmem_cache_free(s, obj[i]);
	/* the array keeps its last 27 or more; the slabs keep at most
	 * free_limit free objects: everything else went back at once */
	pages = slabinfo_of("limit_test").num_slabs;
	assert_true(pages * 4 <= 54 + 58 + 4);
	assert_int_equal(kmem_cache_shrink(s), 0);
	assert_int_equal(slabinfo_of("limit_test").num_slabs, 0);
}

/* Nothing but virtual time passes: the reap timers each CPU starts at
 * boot give the arrays' objects and then the free slabs back. */
static void test_slab_reap_timer_gives_memory_back(void **state)
{
	unsigned long slab_pages;
	struct kmem_cache *s;
	void *obj[40];
	char line[256];

	(void)state;
	boot_impl("slab", "ram=512M", "cpus=1");
	s = kmem_cache_create("reap_objs", 200, 0, SLAB_HWCACHE_ALIGN, NULL);
	slab_pages = vmstat_counter("nr_slab_unreclaimable");
	/* three slabs of 16 256-byte objects come whole into the array:
	 * 40 handed out and given back, 48 in the array (limit 120) */
	for (int i = 0; i < 40; i++)
		obj[i] = kmem_cache_alloc(s, GFP_KERNEL);
	for (int i = 0; i < 40; i++)
		kmem_cache_free(s, obj[i]);
	assert_int_equal(vmstat_counter("nr_slab_unreclaimable"),
			 slab_pages + 3);
	/* CPU 0 reaps at whole seconds of jiffies (INITIAL_JIFFIES is 46
	 * jiffies past one): 204 jiffies (816 ms) after boot, then every 2 s.
	 * The first reap only finds the array touched */
	sched_run_until(815 * NSEC_PER_MSEC);
	assert_true(slabinfo_line("reap_objs", line, sizeof(line)));
	assert_string_equal(
		line,
		"reap_objs             48     48    256   16    1 : tunables  120   60    0 : slabdata      3      3      0");
	sched_run_until(2 * NSEC_PER_SEC);
	assert_true(slabinfo_line("reap_objs", line, sizeof(line)));
	assert_string_equal(
		line,
		"reap_objs             48     48    256   16    1 : tunables  120   60    0 : slabdata      3      3      0");
	/* at 2.816 s (limit + 4) / 5 = 24 of the oldest go back: slab 1
	 * is free, and stays (free_limit = 2 * 60 + 16 = 136) */
	sched_run_until(2816 * NSEC_PER_MSEC);
	assert_true(slabinfo_line("reap_objs", line, sizeof(line)));
	assert_string_equal(
		line,
		"reap_objs             24     48    256   16    1 : tunables  120   60    0 : slabdata      2      3      0");
	assert_int_equal(vmstat_counter("nr_slab_unreclaimable"),
			 slab_pages + 3);
	/* at 4.816 s the other 24; every 4 s the node's turn frees up to
	 * (136 + 5 * 16 - 1) / (5 * 16) = 2 free slabs */
	sched_run_until(20 * NSEC_PER_SEC);
	assert_true(slabinfo_line("reap_objs", line, sizeof(line)));
	assert_string_equal(
		line,
		"reap_objs              0      0    256   16    1 : tunables  120   60    0 : slabdata      0      0      0");
	assert_int_equal(vmstat_counter("nr_slab_unreclaimable"), slab_pages);
	assert_int_equal(M->nr_bugs + M->nr_warns, 0);
}

/* Two nodes: objects freed on the other node's CPU wait in that node's
 * alien cache for their node (12 of them), which goes in a batch to
 * their node's shared array when full, and at the reap. */
static void test_slab_alien_caches_batch_remote_frees(void **state)
{
	unsigned long slab_pages;
	struct kmem_cache *s;
	void *obj[20];
	char line[256];

	(void)state;
	boot_impl("slab", "ram=512M", "nodes=2", "cpus=2");
	s = kmem_cache_create("alien_objs", 200, 0, SLAB_HWCACHE_ALIGN, NULL);
	slab_pages = vmstat_counter("nr_slab_unreclaimable");
	/* CPU 0 (node 0): two slabs of 16 come whole into its array */
	for (int i = 0; i < 20; i++)
		obj[i] = kmem_cache_alloc(s, GFP_KERNEL);
	assert_int_equal(page_to_nid(virt_to_page(obj[0])), 0);
	/* CPU 1 (node 1) frees them: 12 fill its node's alien cache for
	 * node 0, nothing reaches node 0 yet */
	M->this_cpu = 1;
	for (int i = 0; i < 12; i++)
		kmem_cache_free(s, obj[i]);
	assert_int_equal(slabinfo_of("alien_objs").sharedavail, 0);
	/* the 13th drains the 12 into node 0's shared array first */
	kmem_cache_free(s, obj[12]);
	assert_true(slabinfo_line("alien_objs", line, sizeof(line)));
	assert_string_equal(
		line,
		"alien_objs            32     32    256   16    1 : tunables  120   60    8 : slabdata      2      2     12");
	for (int i = 13; i < 20; i++)
		kmem_cache_free(s, obj[i]);
	M->this_cpu = 0;
	/* CPU 1 reaps first, 201 jiffies after boot (804 ms; CPU 0 at
	 * 816 ms), draining the alien caches for node 0 (the node after
	 * its own): the other 8 go to node 0's shared array */
	sched_run_until(803 * NSEC_PER_MSEC);
	assert_int_equal(slabinfo_of("alien_objs").sharedavail, 12);
	sched_run_until(805 * NSEC_PER_MSEC);
	assert_true(slabinfo_line("alien_objs", line, sizeof(line)));
	assert_string_equal(
		line,
		"alien_objs            32     32    256   16    1 : tunables  120   60    8 : slabdata      2      2     20");
	/* reaping gives everything back in time */
	sched_run_until(60 * NSEC_PER_SEC);
	assert_true(slabinfo_line("alien_objs", line, sizeof(line)));
	assert_string_equal(
		line,
		"alien_objs             0      0    256   16    1 : tunables  120   60    8 : slabdata      0      0      0");
	assert_int_equal(vmstat_counter("nr_slab_unreclaimable"), slab_pages);
	/* shrinking drains the alien caches too */
	for (int i = 0; i < 5; i++)
		obj[i] = kmem_cache_alloc(s, GFP_KERNEL);
	M->this_cpu = 1;
	for (int i = 0; i < 5; i++)
		kmem_cache_free(s, obj[i]);
	M->this_cpu = 0;
	assert_int_equal(slabinfo_of("alien_objs").num_slabs, 1);
	assert_int_equal(kmem_cache_shrink(s), 0);
	assert_int_equal(slabinfo_of("alien_objs").num_slabs, 0);
	assert_int_equal(M->nr_bugs + M->nr_warns, 0);
}

static void test_slab_tunables_can_be_written(void **state)
{
	char err[160];

	(void)state;
	boot_impl("slab", "ram=256M");
	kmem_cache_create("tune_test", 100, 0, SLAB_NO_MERGE, NULL);
	assert_int_equal(proc_write("/proc/slabinfo", "tune_test 200 100 4",
				    err, sizeof(err)),
			 0);
	assert_int_equal(slabinfo_of("tune_test").limit, 200);
	assert_int_equal(slabinfo_of("tune_test").batchcount, 100);
	assert_int_equal(slabinfo_of("tune_test").shared, 4);
	/* values out of range are ignored, as in Linux */
	assert_int_equal(proc_write("/proc/slabinfo", "tune_test 10 20 0", err,
				    sizeof(err)),
			 0);
	assert_int_equal(slabinfo_of("tune_test").limit, 200);
	assert_int_equal(proc_write("/proc/slabinfo", "no_such 1 1 0", err,
				    sizeof(err)),
			 -EINVAL);
	assert_int_equal(proc_write("/proc/slabinfo", "tune_test", err,
				    sizeof(err)),
			 -EINVAL);
	assert_int_equal(M->nr_bugs + M->nr_warns, 0);
}

/* ---- 9. SLOB ------------------------------------------------------------------ */

static void test_slob_packs_small_objects_first_fit(void **state)
{
	unsigned long unrecl;
	struct kmem_cache *s;
	char *p[100], *big, *plug[200];
	int nr_plugs = 0;

	(void)state;
	boot_impl("slob", "ram=256M");
	unrecl = vmstat_counter("nr_slab_unreclaimable");
	/* Boot's last small page has room left (vmalloc_init's vmap_area
	 * cache started it): fill that room first fit, until an object
	 * needs a new page; that page, empty again, goes back at once. */
	do {
		assert_true(nr_plugs < 200);
		plug[nr_plugs++] = kmalloc(13, GFP_KERNEL);
	} while (vmstat_counter("nr_slab_unreclaimable") == unrecl);
	assert_true(nr_plugs > 1);
	assert_int_equal(vmstat_counter("nr_slab_unreclaimable"), unrecl + 1);
	kfree(plug[--nr_plugs]);
	assert_int_equal(vmstat_counter("nr_slab_unreclaimable"), unrecl);
	/* 13 bytes + an 8-byte size header = 11 units of 2 bytes; with the
	 * object 8-aligned, 24 bytes apart: 100 fit one page */
	for (int i = 0; i < 100; i++)
		p[i] = kmalloc(13, GFP_KERNEL);
	for (int i = 1; i < 100; i++)
		assert_int_equal(p[i] - p[i - 1], 24);
	assert_int_equal(vmstat_counter("nr_slab_unreclaimable"), unrecl + 1);
	assert_int_equal(ksize(p[0]), 14);
	/* a freed block is reused first fit */
	big = p[50];
	kfree(p[50]);
	p[50] = kmalloc(10, GFP_KERNEL);
	assert_ptr_equal(p[50], big);
	for (int i = 0; i < 100; i++)
		kfree(p[i]);
	/* an empty page goes back at once */
	assert_int_equal(vmstat_counter("nr_slab_unreclaimable"), unrecl);
	/* up to a page less the header in a slob page, then whole pages */
	big = kmalloc(PAGE_SIZE - 9, GFP_KERNEL);
	assert_false(PageLargeKmalloc(virt_to_page(big)));
	kfree(big);
	big = kmalloc(PAGE_SIZE - 8, GFP_KERNEL);
	assert_true(PageLargeKmalloc(virt_to_page(big)));
	kfree(big);
	/* cache objects have no header */
	s = kmem_cache_create("slob_objs", 20, 0, 0, NULL);
	p[0] = kmem_cache_alloc(s, GFP_KERNEL);
	p[1] = kmem_cache_alloc(s, GFP_KERNEL);
	assert_int_equal(p[1] - p[0], 24); /* 20 bytes, 8-aligned */
	kmem_cache_free(s, p[0]);
	kmem_cache_free(s, p[1]);
	kmem_cache_destroy(s);
	assert_int_equal(vmstat_counter("nr_slab_unreclaimable"), unrecl);
	while (nr_plugs)
		kfree(plug[--nr_plugs]);
	assert_int_equal(vmstat_counter("nr_slab_unreclaimable"), unrecl);
	assert_int_equal(M->nr_bugs + M->nr_warns, 0);
}

/* ---- 10. memory used for the same workload ----------------------------------- */

/* Slab pages per byte requested after 20,000 kmallocs of 16..512 bytes
 * and 5,000 objects of a 100-byte cache, for each allocator. */
static double overhead(const char *impl, unsigned long *pages_out,
		       unsigned long *bytes_out)
{
	static void *objs[25000];
	unsigned long before, bytes = 0;
	struct kmem_cache *s;
	struct prng r;

	boot_impl(impl, "ram=256M");
	kmem_cache_shrink_all();
	before = slab_bytes();
	s = kmem_cache_create("overhead_objs", 100, 0, 0, NULL);
	prng_seed(&r, 7);
	for (int i = 0; i < 20000; i++) {
		size_t size = 16 + prng_below(&r, 497);

		objs[i] = kmalloc(size, GFP_KERNEL);
		bytes += size;
	}
	for (int i = 20000; i < 25000; i++) {
		objs[i] = kmem_cache_alloc(s, GFP_KERNEL);
		bytes += 100;
	}
	*pages_out = (slab_bytes() - before) / PAGE_SIZE;
	*bytes_out = bytes;
	for (int i = 0; i < 20000; i++)
		kfree(objs[i]);
	for (int i = 20000; i < 25000; i++)
		kmem_cache_free(s, objs[i]);
	kmem_cache_destroy(s);
	machine_destroy(M);
	return (double)*pages_out * PAGE_SIZE / (double)bytes;
}

static void test_memory_overhead_of_each_allocator(void **state)
{
	static const char *const impls[] = { "slub", "slab", "slob" };
	unsigned long pages[3], bytes[3];
	double ratio[3];

	(void)state;
	for (int i = 0; i < 3; i++) {
		ratio[i] = overhead(impls[i], &pages[i], &bytes[i]);
		print_message(
			"%s: %lu slab pages for %lu bytes requested: %.3f\n",
			impls[i], pages[i], bytes[i], ratio[i]);
		assert_true(ratio[i] >= 1.0);
	}
	/* SLOB packs exact sizes: the tightest */
	assert_true(ratio[2] < ratio[0]);
	assert_true(ratio[2] < ratio[1]);
}

#define T(f) cmocka_unit_test_teardown(f, destroy_current)
#define T3(f) T(f##_slub), T(f##_slab), T(f##_slob)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_slab_option_chooses_the_allocator),
		T3(objects_are_aligned),
		T3(constructors_run_as_the_allocator_says),
		T3(poison_detects_write_after_free),
		T3(red_zone_catches_overruns),
		T3(double_free_is_caught),
		T3(destroy_with_live_objects_reports_and_keeps_cache),
		T3(kmalloc_family_works),
		T3(node_allocations_come_from_that_node),
		T3(random_alloc_free_keeps_every_object_intact),
		T3(everything_goes_back_to_the_buddy_allocator),
		T(test_slab_kmalloc_caches_are_linux_slab_s),
		T(test_slab_places_the_index_array_as_linux),
		T(test_slab_colours_successive_slabs),
		T(test_slab_array_caches_and_reaping),
		T(test_slab_shared_array_passes_objects_between_cpus),
		T(test_slab_free_slabs_beyond_free_limit_go_back),
		T(test_slab_reap_timer_gives_memory_back),
		T(test_slab_alien_caches_batch_remote_frees),
		T(test_slab_tunables_can_be_written),
		T(test_slob_packs_small_objects_first_fit),
		T(test_memory_overhead_of_each_allocator),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
