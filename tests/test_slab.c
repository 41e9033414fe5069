/* The slab layer (mm/slab_common.c, mm/slub.c) as its users rely on it:
 * the caches boot creates, kmalloc's alignment, double frees and other
 * misuse reports, leak reports for full slabs, cache merging, kmalloc's
 * size classes and variants, large kmalloc, the kmalloc helpers, CPU and
 * node behaviour, accounting in meminfo and vmstat, shrinkers, the exact
 * /proc/slabinfo text, /sys/kernel/slab, a random stress run that checks
 * every object's contents, and all memory going back to the buddy
 * allocator. Cache alignment, constructors, poisoning, red zones and the
 * leak report on destroy are checked for SLUB (with SLAB and SLOB, each
 * in its own words) in test_slab_impls.c. Each test boots a machine of
 * its own. */
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

/* Boots a machine (see boot_machine) and brings up the slab allocator if
 * boot did not. */
#define boot_slab(...)                                           \
	({                                                       \
		struct machine *__m = boot_machine(__VA_ARGS__); \
		if (!slab_is_available())                        \
			kmem_cache_init();                       \
		__m;                                             \
	})

/* The cache an object lives in. */
static struct kmem_cache *cache_of(const void *object)
{
	struct page *slab = virt_to_slab(object);

	assert_non_null(slab);
	return slab->slab_cache;
}

/* /proc/slabinfo (free() it). */
static char *slabinfo_text(void)
{
	return proc_text("/proc/slabinfo");
}

/* /sys/kernel/slab/PATH (free() it); fails the test if there is none. */
static char *sysfs_text(const char *path)
{
	struct seq_file m;
	char *s;

	seq_init(&m);
	if (slab_sysfs_show(path, &m))
		fail_msg("no /sys/kernel/slab/%s", path);
	s = strdup(seq_text(&m));
	seq_release(&m);
	return s;
}

#define assert_sysfs(path, text)                \
	do {                                    \
		char *__t = sysfs_text(path);   \
		assert_string_equal(__t, text); \
		free(__t);                      \
	} while (0)

/* ---- 1. boot ------------------------------------------------------------- */

static void test_boot_creates_the_caches_linux_creates(void **state)
{
	static const char *const sizes[] = {
		"8k",  "4k", "2k", "1k", "512", "256", "192",
		"128", "96", "64", "32", "16",	"8",
	};
	static const char *const prefixes[] = {
		"kmalloc-cg-",
		"dma-kmalloc-",
		"kmalloc-rcl-",
		"kmalloc-",
	};
	static const char *const task_caches[] = {
		"vm_area_struct ", "mm_struct ",      "signal_cache ",
		"task_struct ",	   "anon_vma_chain ", "anon_vma ",
		"vmap_area ",
	};
	char *text, *p, name[32];

	(void)state;
	boot_slab("ram=512M");
	assert_true(log_contains(
		"SLUB: HWalign=64, Order=0-3, MinObjects=0, CPUs=1, Nodes=1\n"));
	text = slabinfo_text();
	p = strchr(strchr(text, '\n') + 1, '\n') + 1;
	/* newest first: the task and mm caches (fork_init after
	 * anon_vma_init),
	 * vmalloc_init's vmap_area, the kmalloc variants in reverse creation
	 * order, then the two bootstrap caches */
	for (size_t i = 0; i < ARRAY_SIZE(task_caches); i++) {
		assert_memory_equal(p, task_caches[i], strlen(task_caches[i]));
		p = strchr(p, '\n') + 1;
	}
	for (size_t t = 0; t < ARRAY_SIZE(prefixes); t++)
		for (size_t i = 0; i < ARRAY_SIZE(sizes); i++) {
			snprintf(name, sizeof(name), "%s%s ", prefixes[t],
				 sizes[i]);
			assert_memory_equal(p, name, strlen(name));
			p = strchr(p, '\n') + 1;
		}
	assert_memory_equal(p, "kmem_cache_node ", 16);
	p = strchr(p, '\n') + 1;
	assert_memory_equal(p, "kmem_cache ", 11);
	assert_int_equal(strchr(p, '\n')[1], '\0'); /* the last line */
	free(text);
}

/* Without ZONE_DMA (riscv64) there are no dma-kmalloc caches: 48 (the
 * bootstrap caches, 3 kmalloc types, vmap_area and the 6 task and mm
 * caches). */
static void test_boot_caches_riscv64(void **state)
{
	char *text;
	unsigned lines = 0;

	(void)state;
	boot_slab("ram=512M", "arch=riscv64");
	text = slabinfo_text();
	assert_null(strstr(text, "dma-kmalloc"));
	assert_non_null(strstr(text, "\nkmalloc-rcl-8k "));
	assert_non_null(strstr(text, "\nkmalloc-cg-8 "));
	for (const char *p = text; (p = strchr(p, '\n')); p++)
		lines++;
	assert_int_equal(lines - 2, 2 + 3 * 13 + 1 + 6);
	free(text);
}

static void test_kmalloc_cache_geometry_follows_calculate_order(void **state)
{
	static const struct {
		const char *name;
		unsigned long objsize, perslab, pages;
	} one_cpu[] = {
		{ "kmalloc-8", 8, 512, 1 },    { "kmalloc-96", 96, 42, 1 },
		{ "kmalloc-192", 192, 21, 1 }, { "kmalloc-512", 512, 8, 1 },
		{ "kmalloc-1k", 1024, 8, 2 },  { "kmalloc-2k", 2048, 8, 4 },
		{ "kmalloc-4k", 4096, 8, 8 },  { "kmalloc-8k", 8192, 4, 8 },
	};

	(void)state;
	boot_slab("ram=256M");
	for (size_t i = 0; i < ARRAY_SIZE(one_cpu); i++) {
		struct sinfo si = slabinfo_of(one_cpu[i].name);

		assert_int_equal(si.objsize, one_cpu[i].objsize);
		assert_int_equal(si.objperslab, one_cpu[i].perslab);
		assert_int_equal(si.pagesperslab, one_cpu[i].pages);
	}
	machine_destroy(M);
	/* 4 CPUs: slub_min_objects = 4 * (fls(4) + 1) = 16 */
	boot_slab("ram=256M", "cpus=4");
	assert_int_equal(slabinfo_of("kmalloc-512").objperslab, 16);
	assert_int_equal(slabinfo_of("kmalloc-512").pagesperslab, 2);
	assert_int_equal(slabinfo_of("kmalloc-2k").objperslab, 16);
	assert_int_equal(slabinfo_of("kmalloc-2k").pagesperslab, 8);
	assert_int_equal(slabinfo_of("kmalloc-8k").objperslab, 4);
}

/* ---- 2. alignment --------------------------------------------------------- */

static void test_kmalloc_alignment_guarantees(void **state)
{
	(void)state;
	boot_slab("ram=256M");
	for (size_t size = 8; size <= 8192; size <<= 1) {
		void *p = kmalloc(size, GFP_KERNEL);

		assert_int_equal(__pa(p) % size, 0);
		kfree(p);
	}
	/* 96 and 192: the largest power of two dividing the size */
	for (int i = 0; i < 50; i++) {
		assert_int_equal(__pa(kmalloc(96, GFP_KERNEL)) % 32, 0);
		assert_int_equal(__pa(kmalloc(192, GFP_KERNEL)) % 64, 0);
		assert_int_equal(__pa(kmalloc(13, GFP_KERNEL)) % 8, 0);
	}
	assert_int_equal(__pa(kmalloc(20000, GFP_KERNEL)) % PAGE_SIZE, 0);
}

/* ---- 3. debugging: double frees and bad frees ---------------------------- */

static void test_debug_cache_catches_double_free(void **state)
{
	struct kmem_cache *s;
	void *a, *b, *c;
	char want[128];
	size_t mark;

	(void)state;
	boot_slab("ram=256M");
	s = kmem_cache_create("df_test", 100, 0, SLAB_POISON | SLAB_RED_ZONE,
			      NULL);
	a = kmem_cache_alloc(s, GFP_KERNEL);
	b = kmem_cache_alloc(s, GFP_KERNEL);
	c = kmem_cache_alloc(s, GFP_KERNEL);
	kmem_cache_free(s, a);
	kmem_cache_free(s, b);
	mark = log_mark();
	kmem_cache_free(s, a); /* found further down the freelist */
	assert_true(log_contains_since(
		mark, "BUG df_test (Not tainted): Object already free\n"));
	snprintf(want, sizeof(want), "FIX df_test: Object at %s not freed\n",
		 addr_text(a));
	assert_true(log_contains_since(mark, want));
	assert_int_equal(slabinfo_of("df_test").active_objs, 1);
	kmem_cache_free(s, c);
	/* freeing into an empty slab is caught by the count */
	mark = log_mark();
	kmem_cache_free(s, c);
	assert_true(log_contains_since(
		mark,
		"BUG df_test (Tainted: G B): Slab has 0 allocated objects but 1 are to be freed\n"));
	assert_int_equal(slabinfo_of("df_test").active_objs, 0);
	mark = log_mark();
	kmem_cache_destroy(s);
	assert_false(log_contains_since(mark, "BUG"));
}

static void test_plain_cache_catches_immediate_double_free(void **state)
{
	void *p;
	size_t mark;
	unsigned bugs;

	(void)state;
	boot_slab("ram=256M");
	p = kmalloc(64, GFP_KERNEL);
	kfree(p);
	mark = log_mark();
	bugs = M->nr_bugs;
	kfree(p);
	assert_true(log_contains_since(
		mark, "BUG kmalloc-64 (Not tainted): Object already free\n"));
	assert_int_equal(M->nr_bugs, bugs + 1);
	/* the freelist is intact: two allocations give two objects */
	assert_ptr_equal(kmalloc(64, GFP_KERNEL), p);
	assert_ptr_not_equal(kmalloc(64, GFP_KERNEL), p);
}

/* A slab taken off the CPU full, then emptied by frees while it waits on
 * the CPU partial list: one more free of an object that is not the head
 * of its freelist is a double free, not an object in use less. */
static void
test_plain_cache_catches_double_free_into_an_emptied_slab(void **state)
{
	struct kmem_cache *s;
	struct page *slab;
	void *obj[64], *extra;
	unsigned int n;
	unsigned bugs;
	size_t mark;

	(void)state;
	boot_slab("ram=256M");
	s = kmem_cache_create("df_plain", 256, 0, SLAB_NO_MERGE, NULL);
	obj[0] = kmem_cache_alloc(s, GFP_KERNEL);
	slab = virt_to_slab(obj[0]);
	/* the rest of the slab, then one from a new slab: slab is full and
	 * off the CPU */
	for (n = 1;; n++) {
		assert_true(n < 64);
		extra = kmem_cache_alloc(s, GFP_KERNEL);
		if (virt_to_slab(extra) != slab)
			break;
		obj[n] = extra;
	}
	assert_true(n >= 2);
	for (unsigned int i = 0; i < n; i++)
		kmem_cache_free(s, obj[i]);
	mark = log_mark();
	bugs = M->nr_bugs;
	kmem_cache_free(s, obj[0]); /* under obj[n - 1] on the freelist */
	assert_true(log_contains_since(
		mark, "BUG df_plain (Not tainted): Object already free\n"));
	assert_int_equal(M->nr_bugs, bugs + 1);
	/* nothing was lost or counted twice */
	kmem_cache_free(s, extra);
	mark = log_mark();
	kmem_cache_destroy(s);
	assert_false(log_contains_since(mark, "Objects remaining"));
	assert_int_equal(M->nr_bugs, bugs + 1);
}

/* Leaves only order-0 blocks free: every page taken, the odd ones given
 * back (each keeps its buddy taken), then every bigger block left in the
 * reserves taken too. Returns how many blocks are in pages[] (their
 * orders in order[]). */
static size_t fragment_free_memory(struct page **pages, unsigned char *order,
				   size_t max)
{
	size_t n = 0, kept = 0;
	struct page *p;

	while (n < max &&
	       (p = alloc_pages(GFP_ATOMIC | __GFP_NOWARN, 0)) != NULL)
		pages[n++] = p;
	for (size_t i = 0; i < n; i++) {
		if (page_to_pfn(pages[i]) & 1)
			__free_pages(pages[i], 0);
		else
			pages[kept++] = pages[i];
	}
	for (size_t i = 0; i < kept; i++)
		order[i] = 0;
	while (kept < max &&
	       (p = alloc_pages(GFP_ATOMIC | __GFP_NOWARN, 1)) != NULL) {
		order[kept] = 1;
		pages[kept++] = p;
	}
	return kept;
}

/* SLUB checks a freed object against a slab of the cache's preferred
 * order first: objects of a slab of the fallback order, which fail that
 * check, must still free normally and interior pointers still be
 * reported. */
static void test_objects_of_fallback_order_slabs_free_normally(void **state)
{
	enum { MAX_PAGES = 64 * 256, NR = 12 };
	struct page **pages = calloc(MAX_PAGES, sizeof(*pages));
	unsigned char *order = calloc(MAX_PAGES, 1);
	struct kmem_cache *s;
	void *obj[NR];
	char *t, want[128];
	size_t n, mark;
	unsigned bugs, preferred;

	(void)state;
	assert_true(pages && order);
	boot_slab("ram=64M");
	s = kmem_cache_create("fb_test", 1024, 0, SLAB_NO_MERGE, NULL);
	t = sysfs_text("fb_test/order");
	preferred = (unsigned)strtoul(t, NULL, 10);
	free(t);
	assert_true(preferred > 0);
	n = fragment_free_memory(pages, order, MAX_PAGES);
	bugs = M->nr_bugs;
	for (int i = 0; i < NR; i++) {
		obj[i] = kmem_cache_alloc(s, GFP_KERNEL);
		assert_non_null(obj[i]);
		assert_int_equal(compound_order(virt_to_slab(obj[i])), 0);
	}
	t = sysfs_text("fb_test/order_fallback");
	assert_true(strtoul(t, NULL, 10) >= NR / 4);
	free(t);
	/* an interior pointer is still refused */
	mark = log_mark();
	kmem_cache_free(s, (char *)obj[1] + 8);
	snprintf(want, sizeof(want),
		 "BUG fb_test (Not tainted): Invalid object pointer %s\n",
		 addr_text((char *)obj[1] + 8));
	assert_true(log_contains_since(mark, want));
	bugs = M->nr_bugs;
	/* the CPU slab's objects (fast path), then the others' */
	for (int i = NR - 1; i >= 0; i--)
		kmem_cache_free(s, obj[i]);
	assert_int_equal(M->nr_bugs, bugs);
	for (int i = 0; i < NR; i++)
		obj[i] = kmem_cache_alloc(s, GFP_KERNEL);
	for (int i = 0; i < NR; i++)
		kmem_cache_free(s, obj[i]);
	assert_int_equal(M->nr_bugs, bugs);
	mark = log_mark();
	kmem_cache_destroy(s);
	assert_false(log_contains_since(mark, "Objects remaining"));
	for (size_t i = 0; i < n; i++)
		__free_pages(pages[i], order[i]);
	free(pages);
	free(order);
}

static void test_kfree_of_a_bad_pointer_is_reported(void **state)
{
	struct page *page;
	char *p, want[96];
	int local;
	size_t mark;

	(void)state;
	boot_slab("ram=256M");
	page = alloc_page(GFP_KERNEL);
	mark = log_mark();
	kfree(page_address(page));
	snprintf(want, sizeof(want), "kfree: invalid pointer %s\n",
		 addr_text(page_address(page)));
	assert_true(log_contains_since(mark, want));
	assert_true(log_contains_since(
		mark, "page dumped because: Not a kmalloc allocation\n"));
	assert_int_equal(page_ref_count(page), 1); /* not freed */
	__free_page(page);

	p = kmalloc(64, GFP_KERNEL);
	mark = log_mark();
	kfree(p + 8);
	snprintf(want, sizeof(want),
		 "BUG kmalloc-64 (Tainted: G W): Invalid object pointer %s\n",
		 addr_text(p + 8));
	assert_true(log_contains_since(mark, want));
	assert_int_equal(ksize(p), 64);
	kfree(p);

	mark = log_mark();
	kfree(&local);
	assert_true(log_contains_since(
		mark, "kfree: invalid pointer (not a kernel address)\n"));

	p = kmalloc(3 * PAGE_SIZE, GFP_KERNEL);
	mark = log_mark();
	kfree(p + PAGE_SIZE);
	assert_true(log_contains_since(mark, "kfree: invalid pointer"));
	kfree(p);
	mark = log_mark();
	kfree(p); /* a large kmalloc freed twice: its pages are no longer one */
	snprintf(want, sizeof(want), "kfree: invalid pointer %s\n",
		 addr_text(p));
	assert_true(log_contains_since(mark, want));
	kfree(NULL);
	kfree(ZERO_SIZE_PTR);
}

static void test_wrong_cache_free_warns_and_uses_the_right_one(void **state)
{
	struct kmem_cache *a, *b;
	void *p;
	size_t mark;

	(void)state;
	boot_slab("ram=256M");
	a = kmem_cache_create("wc_a", 40, 0, 0, NULL);
	b = kmem_cache_create("wc_b", 200, 0, 0, NULL);
	p = kmem_cache_alloc(a, GFP_KERNEL);
	mark = log_mark();
	kmem_cache_free(b, p);
	assert_true(log_contains_since(
		mark,
		"kmem_cache_free: Wrong slab cache. wc_b but object is from wc_a\n"));
	assert_int_equal(slabinfo_of("wc_a").active_objs,
			 slabinfo_of("wc_a").num_objs);
	kmem_cache_destroy(a);
	kmem_cache_destroy(b);
	assert_false(log_contains_since(mark, "Objects remaining"));
}

/* ---- 4. destroy ------------------------------------------------------------- */

/* Full slabs of a plain cache are on no list (as in Linux), yet the
 * leak report still finds their objects, on every node. */
static void test_destroy_reports_objects_of_full_slabs(void **state)
{
	struct kmem_cache *s;
	void *obj[40];
	char want[128];
	size_t mark;

	(void)state;
	boot_slab("ram=512M", "nodes=2");
	s = kmem_cache_create("leaky_full", 256, 0, 0, NULL); /* 16 a slab */
	for (int i = 0; i < 40; i++)
		obj[i] = kmem_cache_alloc_node(s, GFP_KERNEL, i % 2);
	kmem_cache_shrink(s);
	assert_sysfs("leaky_full/slabs", "4 N0=2 N1=2\n");
	assert_sysfs("leaky_full/partial", "2 N0=1 N1=1\n"); /* 2 full */
	mark = log_mark();
	kmem_cache_destroy(s);
	for (int i = 0; i < 40; i++) {
		snprintf(want, sizeof(want), "Object %s @offset=%lu\n",
			 addr_text(obj[i]),
			 (unsigned long)(__pa(obj[i]) & (PAGE_SIZE - 1)));
		assert_true(log_contains_since(mark, want));
	}
	assert_int_equal(slabinfo_of("leaky_full").active_objs, 40);
	for (int i = 0; i < 40; i++)
		kmem_cache_free(s, obj[i]);
	mark = log_mark();
	kmem_cache_destroy(s);
	assert_false(log_contains_since(mark, "BUG"));
}

static void test_boot_caches_cannot_be_destroyed(void **state)
{
	size_t mark;

	(void)state;
	boot_slab("ram=256M");
	mark = log_mark();
	kmem_cache_destroy(kmalloc_slab(64, GFP_KERNEL));
	assert_true(log_contains_since(
		mark,
		"kmem_cache_destroy kmalloc-64: boot caches cannot be destroyed\n"));
	assert_non_null(kmalloc(64, GFP_KERNEL));
	kmem_cache_destroy(NULL);
}

/* ---- 5. creation and merging ---------------------------------------------- */

static void test_compatible_caches_merge(void **state)
{
	struct kmem_cache *a, *b;
	char line[256];

	(void)state;
	boot_slab("ram=256M");
	a = kmem_cache_create("merge_a", 64, 0, 0, NULL);
	assert_non_null(a);
	/* not merged into kmalloc-64: kmalloc caches stay apart */
	assert_ptr_not_equal(a, kmalloc_slab(64, GFP_KERNEL));
	b = kmem_cache_create("merge_b", 64, 0, 0, NULL);
	assert_ptr_equal(b, a);
	assert_ptr_equal(kmem_cache_create("merge_c", 60, 0, 0, NULL), a);
	assert_ptr_equal(kmem_cache_create("merge_hw", 64, 0,
					   SLAB_HWCACHE_ALIGN, NULL),
			 a);
	assert_ptr_equal(kmem_cache_create("merge_al", 57, 64, 0, NULL), a);
	/* incompatible: accounting, constructor, debugging, size, alignment */
	assert_ptr_not_equal(kmem_cache_create("nm_rcl", 64, 0,
					       SLAB_RECLAIM_ACCOUNT, NULL),
			     a);
	assert_ptr_not_equal(
		kmem_cache_create("nm_dma", 64, 0, SLAB_CACHE_DMA, NULL), a);
	assert_ptr_not_equal(kmem_cache_create("nm_ctor", 64, 0, 0, nop_ctor),
			     a);
	assert_ptr_not_equal(
		kmem_cache_create("nm_poison", 64, 0, SLAB_POISON, NULL), a);
	assert_ptr_not_equal(
		kmem_cache_create("nm_rz", 64, 0, SLAB_RED_ZONE, NULL), a);
	assert_ptr_not_equal(kmem_cache_create("nm_small", 56, 0, 0, NULL), a);
	assert_ptr_not_equal(kmem_cache_create("nm_align", 64, 128, 0, NULL),
			     a);
	assert_ptr_not_equal(
		kmem_cache_create("nm_nomerge", 64, 0, SLAB_NO_MERGE, NULL), a);
	/* an alias has no line of its own */
	assert_true(slabinfo_line("merge_a", line, sizeof(line)));
	assert_false(slabinfo_line("merge_b", line, sizeof(line)));
	assert_false(slabinfo_line("merge_c", line, sizeof(line)));
	/* the two rcl caches of the same shape merge with each other */
	assert_ptr_equal(kmem_cache_create("nm_rcl2", 64, 0,
					   SLAB_RECLAIM_ACCOUNT, NULL),
			 kmem_cache_create("nm_rcl3", 62, 0,
					   SLAB_RECLAIM_ACCOUNT, NULL));
	/* destroying an alias drops a reference only */
	kmem_cache_destroy(b);
	kmem_cache_free(a, kmem_cache_alloc(a, GFP_KERNEL));
	for (int i = 0; i < 4; i++)
		kmem_cache_destroy(a);
	assert_false(slabinfo_line("merge_a", line, sizeof(line)));
}

static void test_merged_cache_clears_the_larger_object_on_zalloc(void **state)
{
	struct kmem_cache *a, *b;
	unsigned char *p;

	(void)state;
	boot_slab("ram=256M");
	a = kmem_cache_create("zm_a", 50, 0, 0, NULL);
	b = kmem_cache_create("zm_b", 56, 0, 0, NULL);
	assert_ptr_equal(a, b);
	assert_int_equal(kmem_cache_size(a), 56);
	p = kmem_cache_alloc(a, GFP_KERNEL);
	memset(p, 0xff, 56);
	kmem_cache_free(a, p);
	p = kmem_cache_zalloc(b, GFP_KERNEL);
	for (int i = 0; i < 56; i++)
		assert_int_equal(p[i], 0);
}

static void test_bad_create_arguments_fail_cleanly(void **state)
{
	size_t mark;

	(void)state;
	boot_slab("ram=256M");
	mark = log_mark();
	assert_null(kmem_cache_create(NULL, 64, 0, 0, NULL));
	assert_null(kmem_cache_create("zero", 0, 0, 0, NULL));
	assert_null(kmem_cache_create("odd_align", 64, 24, 0, NULL));
	assert_null(kmem_cache_create("huge", (unsigned)KMALLOC_MAX_SIZE + 1, 0,
				      0, NULL));
	assert_null(kmem_cache_create("badflags", 64, 0, 0x2, NULL));
	assert_true(log_contains_since(
		mark, "kmem_cache_create(zero) failed with error -22\n"));
	assert_true(log_contains_since(
		mark, "kmem_cache_create(badflags) failed with error -22\n"));
	assert_false(log_contains_since(mark, "Kernel panic"));
	assert_null(kmem_cache_create("panicky", 0, 0, SLAB_PANIC, NULL));
	assert_true(log_contains_since(
		mark,
		"Kernel panic - not syncing: kmem_cache_create: Failed to create slab 'panicky'. Error -22\n"));
	/* the biggest object a cache can hold */
	assert_non_null(kmem_cache_create("biggest", (unsigned)KMALLOC_MAX_SIZE,
					  0, 0, NULL));
}

/* ---- 6. kmalloc -------------------------------------------------------------- */

static const char *expected_class(size_t size)
{
	static const struct {
		size_t max;
		const char *name;
	} classes[] = {
		{ 8, "kmalloc-8" },	{ 16, "kmalloc-16" },
		{ 32, "kmalloc-32" },	{ 64, "kmalloc-64" },
		{ 96, "kmalloc-96" },	{ 128, "kmalloc-128" },
		{ 192, "kmalloc-192" }, { 256, "kmalloc-256" },
		{ 512, "kmalloc-512" }, { 1024, "kmalloc-1k" },
		{ 2048, "kmalloc-2k" }, { 4096, "kmalloc-4k" },
		{ 8192, "kmalloc-8k" },
	};

	for (size_t i = 0; i < ARRAY_SIZE(classes); i++)
		if (size <= classes[i].max)
			return classes[i].name;
	return NULL;
}

static void test_every_size_maps_to_its_kmalloc_cache(void **state)
{
	(void)state;
	boot_slab("ram=256M");
	for (size_t size = 1; size <= 8192; size++) {
		const char *want = expected_class(size);
		void *p = kmalloc(size, GFP_KERNEL);
		struct kmem_cache *s = cache_of(p);

		if (strcmp(s->name, want))
			fail_msg("kmalloc(%zu) from %s, expected %s", size,
				 s->name, want);
		assert_ptr_equal(s, kmalloc_slab(size, GFP_KERNEL));
		assert_int_equal(ksize(p), kmem_cache_size(s));
		assert_true(ksize(p) >= size);
		memset(p, 0x5c, ksize(p));
		kfree(p);
	}
	assert_int_equal(ksize(kmalloc(65, GFP_KERNEL)), 96);
	assert_int_equal(ksize(kmalloc(129, GFP_KERNEL)), 192);
	assert_int_equal(ksize(kmalloc(193, GFP_KERNEL)), 256);
	assert_null(kmalloc_slab(8193, GFP_KERNEL));
	assert_null(kmalloc_slab(0, GFP_KERNEL));
	assert_ptr_equal(kmalloc(0, GFP_KERNEL), ZERO_SIZE_PTR);
	assert_int_equal(ksize(ZERO_SIZE_PTR), 0);
	assert_int_equal(ksize(NULL), 0);
}

static void test_gfp_flags_pick_kmalloc_variants(void **state)
{
	void *p;

	(void)state;
	boot_slab("ram=256M");
	p = kmalloc(100, GFP_KERNEL | __GFP_RECLAIMABLE);
	assert_string_equal(cache_of(p)->name, "kmalloc-rcl-128");
	p = kmalloc(100, GFP_KERNEL_ACCOUNT);
	assert_string_equal(cache_of(p)->name, "kmalloc-cg-128");
	p = kmalloc(3000, GFP_KERNEL | GFP_DMA);
	assert_string_equal(cache_of(p)->name, "dma-kmalloc-4k");
	assert_int_equal(page_zonenum(virt_to_page(p)), ZONE_DMA);
	/* __GFP_DMA wins over the others, then __GFP_RECLAIMABLE */
	p = kmalloc(8, GFP_DMA | __GFP_RECLAIMABLE | __GFP_ACCOUNT);
	assert_string_equal(cache_of(p)->name, "dma-kmalloc-8");
	p = kmalloc(8, GFP_KERNEL | __GFP_RECLAIMABLE | __GFP_ACCOUNT);
	assert_string_equal(cache_of(p)->name, "kmalloc-rcl-8");
}

static void test_large_kmalloc_comes_from_the_page_allocator(void **state)
{
	unsigned long unrecl;
	struct page *page;
	char *p;

	(void)state;
	boot_slab("ram=256M");
	unrecl = vmstat_counter("nr_slab_unreclaimable");
	p = kmalloc(8193, GFP_KERNEL);
	assert_non_null(p);
	assert_int_equal(__pa(p) % PAGE_SIZE, 0);
	page = virt_to_page(p);
	assert_true(PageLargeKmalloc(page));
	assert_true(PageHead(page));
	assert_int_equal(compound_order(page), 2);
	assert_int_equal(ksize(p), 4 * PAGE_SIZE);
	assert_int_equal(vmstat_counter("nr_slab_unreclaimable"), unrecl + 4);
	memset(p, 0x77, 8193);
	kfree(p);
	assert_int_equal(vmstat_counter("nr_slab_unreclaimable"), unrecl);

	/* kzalloc of a large size is zeroed */
	p = kzalloc(3 * PAGE_SIZE, GFP_KERNEL);
	for (size_t i = 0; i < 3 * PAGE_SIZE; i++)
		if (p[i])
			fail_msg("byte %zu not zero", i);
	kfree(p);

	/* KMALLOC_MAX_SIZE is the limit */
	p = kmalloc(KMALLOC_MAX_SIZE, GFP_KERNEL);
	assert_non_null(p);
	assert_int_equal(compound_order(virt_to_page(p)), MAX_PAGE_ORDER);
	kfree(p);
	size_t mark = log_mark();
	unsigned warns = M->nr_warns;

	assert_null(kmalloc(KMALLOC_MAX_SIZE + 1, GFP_KERNEL));
	assert_int_equal(M->nr_warns, warns + 1);
	assert_true(log_contains_since(
		mark,
		"kmalloc: 4194305 bytes exceed KMALLOC_MAX_SIZE (4194304)\n"));
	mark = log_mark();
	assert_null(kmalloc(KMALLOC_MAX_SIZE * 4, GFP_KERNEL | __GFP_NOWARN));
	assert_int_equal(M->nr_warns, warns + 1);
	assert_null(kmalloc(SIZE_MAX, GFP_KERNEL | __GFP_NOWARN));
}

static void test_kcalloc_and_kmalloc_array_check_overflow(void **state)
{
	unsigned char *p;

	(void)state;
	boot_slab("ram=256M");
	assert_null(kcalloc(SIZE_MAX / 2 + 1, 2, GFP_KERNEL));
	assert_null(kmalloc_array(1UL << 40, 1UL << 30, GFP_KERNEL));
	assert_null(kcalloc(2, SIZE_MAX / 2 + 1, GFP_KERNEL));
	p = kmalloc(40, GFP_KERNEL);
	memset(p, 0xff, 40);
	kfree(p);
	p = kcalloc(10, 4, GFP_KERNEL); /* the same object, cleared */
	for (int i = 0; i < 40; i++)
		assert_int_equal(p[i], 0);
	assert_ptr_equal(kmalloc_array(0, 8, GFP_KERNEL), ZERO_SIZE_PTR);
}

static void test_krealloc_keeps_contents(void **state)
{
	char *p, *q;

	(void)state;
	boot_slab("ram=256M");
	p = krealloc(NULL, 20, GFP_KERNEL);
	assert_string_equal(cache_of(p)->name, "kmalloc-32");
	strcpy(p, "nineteen characters");
	q = krealloc(p, 30, GFP_KERNEL); /* still fits in place */
	assert_ptr_equal(q, p);
	q = krealloc(p, 5000, GFP_KERNEL);
	assert_ptr_not_equal(q, p);
	assert_string_equal(q, "nineteen characters");
	assert_string_equal(cache_of(q)->name, "kmalloc-8k");
	p = krealloc(q, 20000, GFP_KERNEL);
	assert_true(PageLargeKmalloc(virt_to_page(p)));
	assert_string_equal(p, "nineteen characters");
	assert_ptr_equal(krealloc(p, 0, GFP_KERNEL), ZERO_SIZE_PTR);
	assert_int_equal(slabinfo_of("kmalloc-32").active_objs,
			 slabinfo_of("kmalloc-32").num_objs); /* CPU slab */
}

static void test_kmemdup_and_kstrdup(void **state)
{
	static const char text[] = "a string to copy";
	char *p;

	(void)state;
	boot_slab("ram=256M");
	p = kstrdup(text, GFP_KERNEL);
	assert_string_equal(p, text);
	assert_true(virt_addr_valid(p));
	assert_string_equal(cache_of(p)->name, "kmalloc-32");
	kfree(p);
	p = kstrndup(text, 8, GFP_KERNEL);
	assert_string_equal(p, "a string");
	kfree(p);
	p = kmemdup(text, 5, GFP_KERNEL);
	assert_memory_equal(p, "a str", 5);
	assert_string_equal(cache_of(p)->name, "kmalloc-8");
	kfree(p);
	assert_null(kstrdup(NULL, GFP_KERNEL));
}

static void test_bad_gfp_bits_are_fixed_with_a_warning(void **state)
{
	struct kmem_cache *s;
	void *p;

	(void)state;
	boot_slab("ram=256M");
	/* Flags are fixed where a slab page is allocated: a new cache has
	 * none yet (kmalloc-64's may have room left by boot). */
	s = kmem_cache_create("gfp_test", 64, 0, SLAB_NO_MERGE, NULL);
	p = kmem_cache_alloc(s, GFP_KERNEL | __GFP_HIGHMEM);
	assert_non_null(p);
	assert_false(PageHighMem(virt_to_page(p)));
	assert_true(log_contains(
		"Unexpected gfp: 0x2 (__GFP_HIGHMEM). Fixing up to gfp: 0xcc0 (GFP_KERNEL). Fix your code!\n"));
	kfree(p);
}

/* ---- 7. CPUs and nodes ---------------------------------------------------- */

static void test_cpus_have_their_own_slabs_and_free_remotely(void **state)
{
	struct kmem_cache *s;
	void *a, *b, *c;

	(void)state;
	boot_slab("ram=256M", "cpus=2");
	s = kmem_cache_create("percpu_test", 256, 0, 0, NULL);
	a = kmem_cache_alloc(s, GFP_KERNEL);
	M->this_cpu = 1;
	b = kmem_cache_alloc(s, GFP_KERNEL);
	assert_ptr_not_equal(virt_to_slab(a), virt_to_slab(b));
	assert_int_equal(slabinfo_of("percpu_test").num_slabs, 2);
	assert_sysfs("percpu_test/cpu_slabs", "2 N0=2\n");
	kmem_cache_free(s, a); /* to CPU 0's slab, from CPU 1 */
	assert_sysfs("percpu_test/free_frozen", "1 C1=1\n");
	assert_sysfs("percpu_test/free_fastpath", "0\n");
	M->this_cpu = 0;
	/* CPU 0 exhausts its freelist, then takes the remote free back */
	for (int i = 1; i < 16; i++)
		c = kmem_cache_alloc(s, GFP_KERNEL);
	assert_sysfs("percpu_test/alloc_refill", "0\n");
	c = kmem_cache_alloc(s, GFP_KERNEL);
	assert_ptr_equal(c, a);
	assert_sysfs("percpu_test/alloc_refill", "1 C0=1\n");
	assert_sysfs("percpu_test/alloc_slab", "2 C0=1 C1=1\n");
	assert_sysfs("percpu_test/alloc_fastpath", "15 C0=15\n");
	assert_sysfs("percpu_test/alloc_slowpath", "3 C0=2 C1=1\n");
}

static void test_node_allocations_come_from_that_node(void **state)
{
	struct kmem_cache *s;
	void *p;

	(void)state;
	boot_slab("ram=512M", "nodes=2", "cpus=2");
	assert_true(log_contains("CPUs=2, Nodes=2\n"));
	s = kmem_cache_create("node_test", 128, 0, 0, NULL);
	p = kmem_cache_alloc_node(s, GFP_KERNEL, 1);
	assert_int_equal(page_to_nid(virt_to_page(p)), 1);
	p = kmem_cache_alloc_node(s, GFP_KERNEL, 0);
	assert_int_equal(page_to_nid(virt_to_page(p)), 0);
	assert_sysfs("node_test/alloc_node_mismatch", "1 C0=1\n");
	assert_sysfs("node_test/slabs", "2 N0=1 N1=1\n");
	p = kmalloc_node(1000, GFP_KERNEL, 1);
	assert_int_equal(page_to_nid(virt_to_page(p)), 1);
	p = kmalloc_node(100000, GFP_KERNEL, 1);
	assert_int_equal(page_to_nid(virt_to_page(p)), 1);
	/* CPU 1 lives on node 1: its plain allocations are local */
	M->this_cpu = 1;
	p = kmalloc(64, GFP_KERNEL);
	assert_int_equal(page_to_nid(virt_to_page(p)), 1);
	assert_true(node_page_state(NODE_DATA(1), NR_SLAB_UNRECLAIMABLE_B) > 0);
}

/* ---- 8. accounting, shrinking, shrinkers ---------------------------------- */

static void test_slab_pages_show_in_meminfo_and_vmstat(void **state)
{
	unsigned long unrecl, recl, free_before;
	struct kmem_cache *r;
	void *obj[200];

	(void)state;
	boot_slab("ram=256M");
	kmem_cache_shrink_all();
	free_before = free_pages_drained();
	unrecl = vmstat_counter("nr_slab_unreclaimable");
	recl = vmstat_counter("nr_slab_reclaimable");
	assert_int_equal(unrecl * PAGE_SIZE, slab_bytes());
	assert_int_equal(recl, 0);
	assert_int_equal(proc_counter("/proc/meminfo", "SUnreclaim:"),
			 unrecl * 4);

	r = kmem_cache_create("recl_test", 1000, 0, SLAB_RECLAIM_ACCOUNT, NULL);
	for (int i = 0; i < 200; i++)
		obj[i] = kmem_cache_alloc(r, GFP_KERNEL);
	/* 1000 -> 1000-byte objects, 8 per order-1 slab (min 8 objects) */
	assert_int_equal(slabinfo_of("recl_test").pagesperslab, 2);
	assert_int_equal(slabinfo_of("recl_test").num_slabs, 25);
	assert_int_equal(vmstat_counter("nr_slab_reclaimable"), 50);
	assert_int_equal(proc_counter("/proc/meminfo", "SReclaimable:"), 200);
	assert_int_equal(proc_counter("/proc/meminfo", "KReclaimable:"), 200);
	assert_int_equal(proc_counter("/proc/meminfo", "Slab:"),
			 proc_counter("/proc/meminfo", "SReclaimable:") +
				 proc_counter("/proc/meminfo", "SUnreclaim:"));
	/* reclaimable slabs come from reclaimable page blocks */
	assert_int_equal(
		get_pfnblock_migratetype(virt_to_page(obj[0]),
					 page_to_pfn(virt_to_page(obj[0]))),
		MIGRATE_RECLAIMABLE);
	for (int i = 0; i < 200; i++)
		kmem_cache_free(r, obj[i]);
	/* freed-to full slabs join the CPU partial list; at its limit of
	 * 13 slabs (52 objects of 1000 bytes, half free) it goes back to
	 * the node, whose list keeps min_partial (5) empty slabs: 5 there,
	 * 11 on the CPU partial list again, and the CPU slab */
	assert_int_equal(slabinfo_of("recl_test").num_slabs, 17);
	assert_int_equal(kmem_cache_shrink(r), 0);
	assert_int_equal(slabinfo_of("recl_test").num_slabs, 0);
	assert_int_equal(vmstat_counter("nr_slab_reclaimable"), 0);
	kmem_cache_destroy(r);
	kmem_cache_shrink_all();
	assert_int_equal(vmstat_counter("nr_slab_unreclaimable"), unrecl);
	assert_int_equal(free_pages_drained(), free_before);
	assert_int_equal(check_page_alloc_invariants(), 0);
}

static void test_dma_cache_takes_pages_from_zone_dma(void **state)
{
	struct kmem_cache *s;
	void *p;

	(void)state;
	boot_slab("ram=256M");
	s = kmem_cache_create("dma_test", 512, 0, SLAB_CACHE_DMA, NULL);
	for (int i = 0; i < 40; i++) {
		p = kmem_cache_alloc(s, GFP_KERNEL);
		assert_int_equal(page_zonenum(virt_to_page(p)), ZONE_DMA);
	}
}

struct toy_shrinker {
	struct shrinker shrinker;
	unsigned long objects;
	unsigned long scans;
};

static unsigned long toy_count(struct shrinker *sh, struct shrink_control *sc)
{
	struct toy_shrinker *t =
		container_of(sh, struct toy_shrinker, shrinker);

	(void)sc;
	return t->objects ? t->objects : SHRINK_EMPTY;
}

static unsigned long toy_scan(struct shrinker *sh, struct shrink_control *sc)
{
	struct toy_shrinker *t =
		container_of(sh, struct toy_shrinker, shrinker);
	unsigned long n = min(sc->nr_to_scan, t->objects);

	t->scans++;
	t->objects -= n;
	return n;
}

static void test_shrinkers_are_asked_in_proportion(void **state)
{
	struct toy_shrinker t = {
		.shrinker = { .count_objects = toy_count,
			      .scan_objects = toy_scan,
			      .seeks = DEFAULT_SEEKS },
		.objects = 4096,
	};

	(void)state;
	boot_slab("ram=256M");
	assert_int_equal(register_shrinker(&t.shrinker), 0);
	/* priority 12: 4096 >> 12 = 1, times 4 / seeks = 2 < batch: deferred */
	assert_int_equal(shrink_slab(GFP_KERNEL, 0, 12), 0);
	assert_int_equal(t.scans, 0);
	/* priority 4: 256 * 4 / 2 = 512 objects in batches of 128 */
	assert_int_equal(shrink_slab(GFP_KERNEL, 0, 4), 512);
	assert_int_equal(t.scans, 4);
	assert_int_equal(t.objects, 4096 - 512);
	assert_int_equal(vmstat_counter("slabs_scanned"), 512);
	/* priority 0: everything freeable (twice the count at most) */
	t.objects = 100;
	assert_int_equal(shrink_slab(GFP_KERNEL, 0, 0), 100);
	assert_int_equal(t.objects, 0);
	assert_int_equal(shrink_slab(GFP_KERNEL, 0, 0), 0); /* SHRINK_EMPTY */
	unregister_shrinker(&t.shrinker);
	t.objects = 1000;
	assert_int_equal(shrink_slab(GFP_KERNEL, 0, 0), 0);
}

/* ---- 9. /proc/slabinfo --------------------------------------------------- */

static const char slabinfo_expected[] =
	"slabinfo - version: 2.1\n"
	"# name            <active_objs> <num_objs> <objsize> <objperslab> <pagesperslab> : tunables <limit> <batchcount> <sharedfactor> : slabdata <active_slabs> <num_slabs> <sharedavail>\n"
	"test_objs             32     32    256   16    1 : tunables    0    0    0 : slabdata      2      2      0\n"
	"vm_area_struct         0      0    152   26    1 : tunables    0    0    0 : slabdata      0      0      0\n"
	"mm_struct              0      0    768   10    2 : tunables    0    0    0 : slabdata      0      0      0\n"
	"signal_cache           0      0    448    9    1 : tunables    0    0    0 : slabdata      0      0      0\n"
	"task_struct            0      0    704   11    2 : tunables    0    0    0 : slabdata      0      0      0\n"
	"anon_vma_chain         0      0     48   85    1 : tunables    0    0    0 : slabdata      0      0      0\n"
	"anon_vma               0      0     56   73    1 : tunables    0    0    0 : slabdata      0      0      0\n"
	"vmap_area             56     56     72   56    1 : tunables    0    0    0 : slabdata      1      1      0\n"
	"kmalloc-cg-8k          0      0   8192    4    8 : tunables    0    0    0 : slabdata      0      0      0\n"
	"kmalloc-cg-4k          0      0   4096    8    8 : tunables    0    0    0 : slabdata      0      0      0\n"
	"kmalloc-cg-2k          0      0   2048    8    4 : tunables    0    0    0 : slabdata      0      0      0\n"
	"kmalloc-cg-1k          0      0   1024    8    2 : tunables    0    0    0 : slabdata      0      0      0\n"
	"kmalloc-cg-512         0      0    512    8    1 : tunables    0    0    0 : slabdata      0      0      0\n"
	"kmalloc-cg-256         0      0    256   16    1 : tunables    0    0    0 : slabdata      0      0      0\n"
	"kmalloc-cg-192         0      0    192   21    1 : tunables    0    0    0 : slabdata      0      0      0\n"
	"kmalloc-cg-128         0      0    128   32    1 : tunables    0    0    0 : slabdata      0      0      0\n"
	"kmalloc-cg-96          0      0     96   42    1 : tunables    0    0    0 : slabdata      0      0      0\n"
	"kmalloc-cg-64          0      0     64   64    1 : tunables    0    0    0 : slabdata      0      0      0\n"
	"kmalloc-cg-32          0      0     32  128    1 : tunables    0    0    0 : slabdata      0      0      0\n"
	"kmalloc-cg-16          0      0     16  256    1 : tunables    0    0    0 : slabdata      0      0      0\n"
	"kmalloc-cg-8           0      0      8  512    1 : tunables    0    0    0 : slabdata      0      0      0\n"
	"dma-kmalloc-8k         0      0   8192    4    8 : tunables    0    0    0 : slabdata      0      0      0\n"
	"dma-kmalloc-4k         0      0   4096    8    8 : tunables    0    0    0 : slabdata      0      0      0\n"
	"dma-kmalloc-2k         0      0   2048    8    4 : tunables    0    0    0 : slabdata      0      0      0\n"
	"dma-kmalloc-1k         0      0   1024    8    2 : tunables    0    0    0 : slabdata      0      0      0\n"
	"dma-kmalloc-512        0      0    512    8    1 : tunables    0    0    0 : slabdata      0      0      0\n"
	"dma-kmalloc-256        0      0    256   16    1 : tunables    0    0    0 : slabdata      0      0      0\n"
	"dma-kmalloc-192        0      0    192   21    1 : tunables    0    0    0 : slabdata      0      0      0\n"
	"dma-kmalloc-128        0      0    128   32    1 : tunables    0    0    0 : slabdata      0      0      0\n"
	"dma-kmalloc-96         0      0     96   42    1 : tunables    0    0    0 : slabdata      0      0      0\n"
	"dma-kmalloc-64         0      0     64   64    1 : tunables    0    0    0 : slabdata      0      0      0\n"
	"dma-kmalloc-32         0      0     32  128    1 : tunables    0    0    0 : slabdata      0      0      0\n"
	"dma-kmalloc-16         0      0     16  256    1 : tunables    0    0    0 : slabdata      0      0      0\n"
	"dma-kmalloc-8          0      0      8  512    1 : tunables    0    0    0 : slabdata      0      0      0\n"
	"kmalloc-rcl-8k         0      0   8192    4    8 : tunables    0    0    0 : slabdata      0      0      0\n"
	"kmalloc-rcl-4k         0      0   4096    8    8 : tunables    0    0    0 : slabdata      0      0      0\n"
	"kmalloc-rcl-2k         0      0   2048    8    4 : tunables    0    0    0 : slabdata      0      0      0\n"
	"kmalloc-rcl-1k         0      0   1024    8    2 : tunables    0    0    0 : slabdata      0      0      0\n"
	"kmalloc-rcl-512        0      0    512    8    1 : tunables    0    0    0 : slabdata      0      0      0\n"
	"kmalloc-rcl-256        0      0    256   16    1 : tunables    0    0    0 : slabdata      0      0      0\n"
	"kmalloc-rcl-192        0      0    192   21    1 : tunables    0    0    0 : slabdata      0      0      0\n"
	"kmalloc-rcl-128        0      0    128   32    1 : tunables    0    0    0 : slabdata      0      0      0\n"
	"kmalloc-rcl-96         0      0     96   42    1 : tunables    0    0    0 : slabdata      0      0      0\n"
	"kmalloc-rcl-64         0      0     64   64    1 : tunables    0    0    0 : slabdata      0      0      0\n"
	"kmalloc-rcl-32         0      0     32  128    1 : tunables    0    0    0 : slabdata      0      0      0\n"
	"kmalloc-rcl-16         0      0     16  256    1 : tunables    0    0    0 : slabdata      0      0      0\n"
	"kmalloc-rcl-8          0      0      8  512    1 : tunables    0    0    0 : slabdata      0      0      0\n"
	"kmalloc-8k             0      0   8192    4    8 : tunables    0    0    0 : slabdata      0      0      0\n"
	"kmalloc-4k             0      0   4096    8    8 : tunables    0    0    0 : slabdata      0      0      0\n"
	"kmalloc-2k             0      0   2048    8    4 : tunables    0    0    0 : slabdata      0      0      0\n"
	"kmalloc-1k             0      0   1024    8    2 : tunables    0    0    0 : slabdata      0      0      0\n"
	"kmalloc-512            0      0    512    8    1 : tunables    0    0    0 : slabdata      0      0      0\n"
	"kmalloc-256            0      0    256   16    1 : tunables    0    0    0 : slabdata      0      0      0\n"
	"kmalloc-192            0      0    192   21    1 : tunables    0    0    0 : slabdata      0      0      0\n"
	"kmalloc-128            0      0    128   32    1 : tunables    0    0    0 : slabdata      0      0      0\n"
	"kmalloc-96             0      0     96   42    1 : tunables    0    0    0 : slabdata      0      0      0\n"
	"kmalloc-64             0      0     64   64    1 : tunables    0    0    0 : slabdata      0      0      0\n"
	"kmalloc-32             0      0     32  128    1 : tunables    0    0    0 : slabdata      0      0      0\n"
	"kmalloc-16           256    256     16  256    1 : tunables    0    0    0 : slabdata      1      1      0\n"
	"kmalloc-8            512    512      8  512    1 : tunables    0    0    0 : slabdata      1      1      0\n"
	"kmem_cache_node       64     64     64   64    1 : tunables    0    0    0 : slabdata      1      1      0\n"
	"kmem_cache            64     64    256   16    1 : tunables    0    0    0 : slabdata      4      4      0\n";

static void test_slabinfo_text_for_a_known_sequence(void **state)
{
	struct kmem_cache *s;
	void *obj[20];
	char *text;

	(void)state;
	boot_slab("ram=512M");
	s = kmem_cache_create("test_objs", 200, 0, SLAB_HWCACHE_ALIGN, NULL);
	for (int i = 0; i < 20; i++)
		obj[i] = kmem_cache_alloc(s, GFP_KERNEL);
	/* three frees from the full first slab put it on the CPU partial
	 * list: only node partial slabs' free objects are inactive, so
	 * every object shows active, the CPU slab's 12 free ones too */
	for (int i = 0; i < 3; i++)
		kmem_cache_free(s, obj[i]);
	text = slabinfo_text();
	assert_string_equal(text, slabinfo_expected);
	free(text);

	for (int i = 3; i < 20; i++)
		kmem_cache_free(s, obj[i]);
	assert_int_equal(slabinfo_of("test_objs").num_objs, 32);
	assert_int_equal(kmem_cache_shrink(s), 0);
	char line[256];

	assert_true(slabinfo_line("test_objs", line, sizeof(line)));
	assert_string_equal(
		line,
		"test_objs              0      0    256   16    1 : tunables    0    0    0 : slabdata      0      0      0");
}

static void test_sysfs_attributes_read_like_linux(void **state)
{
	struct kmem_cache *s;
	void *obj[70];
	char err[128];

	(void)state;
	boot_slab("ram=256M");
	for (int i = 0; i < 70; i++)
		obj[i] = kmalloc(64, GFP_KERNEL);
	assert_sysfs("kmalloc-64/object_size", "64\n");
	assert_sysfs("kmalloc-64/slab_size", "64\n");
	assert_sysfs("kmalloc-64/align", "64\n");
	assert_sysfs("kmalloc-64/objs_per_slab", "64\n");
	assert_sysfs("kmalloc-64/order", "0\n");
	assert_sysfs("kmalloc-64/min_partial", "5\n");
	assert_sysfs("kmalloc-64/aliases", "0\n");
	assert_sysfs("kmalloc-64/usersize", "64\n");
	assert_sysfs("kmalloc-64/slabs", "2 N0=2\n");
	assert_sysfs("kmalloc-64/cpu_slabs", "1 N0=1\n");
	assert_sysfs("kmalloc-64/total_objects", "128 N0=128\n");
	assert_sysfs("kmalloc-64/objects", "128 N0=128\n"); /* CPU slab */
	assert_sysfs("kmalloc-64/partial", "0\n");
	/* 70 allocations, two of them new slabs */
	assert_sysfs("kmalloc-64/alloc_fastpath", "68 C0=68\n");
	assert_sysfs("kmalloc-64/alloc_slowpath", "2 C0=2\n");
	assert_sysfs("kmalloc-64/alloc_slab", "2 C0=2\n");
	assert_sysfs("kmalloc-64/deactivate_bypass", "1 C0=1\n");
	assert_sysfs("kmalloc-64/cpu_partial", "120\n");
	assert_sysfs("kmalloc-64/slabs_cpu_partial", "0(0)\n");
	/* two frees from the full slab: it joins the CPU partial list
	 * (frozen, the second free a free to a frozen slab); its free
	 * objects count as in use, as only node partial slabs are looked
	 * at, and slabs_cpu_partial guesses half of its objects free */
	kfree(obj[0]);
	kfree(obj[1]);
	assert_sysfs("kmalloc-64/partial", "0\n");
	assert_sysfs("kmalloc-64/cpu_slabs", "2 N0=2\n");
	assert_sysfs("kmalloc-64/objects", "128 N0=128\n");
	assert_sysfs("kmalloc-64/cpu_partial_free", "1 C0=1\n");
	assert_sysfs("kmalloc-64/free_frozen", "1 C0=1\n");
	assert_sysfs("kmalloc-64/free_slowpath", "2 C0=2\n");
	assert_sysfs("kmalloc-64/slabs_cpu_partial", "32(1) C0=32(1)\n");
	/* shrinking flushes it to the node's partial list */
	kmem_cache_shrink(kmalloc_slab(64, GFP_KERNEL));
	assert_sysfs("kmalloc-64/partial", "2 N0=2\n");
	assert_sysfs("kmalloc-64/objects_partial", "68 N0=68\n");
	assert_sysfs("kmalloc-64/free_add_partial", "1 C0=1\n");
	assert_sysfs("kmalloc-64/slabs_cpu_partial", "0(0)\n");
	assert_sysfs("kmalloc-64/hwcache_align", "0\n");
	assert_sysfs("kmalloc-rcl-64/reclaim_account", "1\n");
	assert_sysfs("dma-kmalloc-64/cache_dma", "1\n");
	assert_sysfs("kmalloc-64/cmpxchg_double_fail", "0\n");
	assert_sysfs("kmalloc-64/shrink", "");

	s = kmem_cache_create("rz_sys", 64, 0, SLAB_RED_ZONE, NULL);
	assert_sysfs("rz_sys/red_zone", "1\n");
	assert_sysfs("rz_sys/sanity_checks", "1\n");
	assert_sysfs("rz_sys/poison", "0\n");
	assert_sysfs("rz_sys/slab_size", "88\n");
	kmem_cache_destroy(s);

	/* writing */
	for (int i = 2; i < 70; i++)
		kfree(obj[i]);
	assert_int_equal(slab_sysfs_store("kmalloc-64/shrink", "1\n", err,
					  sizeof(err)),
			 0);
	assert_sysfs("kmalloc-64/slabs", "0\n"); /* every object was freed */
	assert_int_equal(slab_sysfs_store("kmalloc-64/shrink", "2", err,
					  sizeof(err)),
			 -EINVAL);
	assert_string_equal(
		err,
		"/sys/kernel/slab/kmalloc-64/shrink: write 1 to shrink the cache");
	assert_int_equal(slab_sysfs_store("kmalloc-64/order", "1", err,
					  sizeof(err)),
			 -EACCES);
	assert_int_equal(slab_sysfs_store("nosuch/shrink", "1", err,
					  sizeof(err)),
			 -ENOENT);
	assert_int_equal(slab_sysfs_show("kmalloc-64/nosuch",
					 &(struct seq_file){ 0 }),
			 -ENOENT);
	assert_int_equal(slab_sysfs_show("kmalloc-64", &(struct seq_file){ 0 }),
			 -ENOENT);
}

/* Named callers for the SLAB_STORE_USER test: the tracks record them. */
static noinline void *su_allocate(struct kmem_cache *s)
{
	return kmem_cache_alloc(s, GFP_KERNEL);
}

static noinline void su_release(struct kmem_cache *s, void *p)
{
	kmem_cache_free(s, p);
}

static void test_store_user_records_callers(void **state)
{
	struct seq_file m;
	struct kmem_cache *s;
	void *a, *b, *c, *d, *e;
	char want[160];
	size_t mark;

	(void)state;
	boot_slab("ram=256M", "cpus=2");
	/* slub_debug=FU: tracks, and the checks that report a double free */
	s = kmem_cache_create("su_test", 64, 0,
			      SLAB_STORE_USER | SLAB_CONSISTENCY_CHECKS, NULL);
	/* 64 bytes, then an alloc and a free track of 24 bytes each */
	assert_int_equal(slabinfo_of("su_test").objsize, 112);
	assert_int_equal(ksize(a = su_allocate(s)), 64);
	b = su_allocate(s);
	c = su_allocate(s);
	M->this_cpu = 1;
	d = su_allocate(s);
	/* a second (250 jiffies) later CPU 1 frees a */
	sched_run_until(NSEC_PER_SEC);
	su_release(s, a);
	assert_sysfs("su_test/store_user", "1\n");
	assert_sysfs("su_test/alloc_calls",
		     "      3 su_allocate age=250/250/250 pid=0 cpus=0-1\n");
	/* objects never freed have an empty free track: jiffies since 0 */
	snprintf(want, sizeof(want),
		 "      3 <not-available> age=%lu pid=0 cpus=0\n", jiffies);
	assert_sysfs("su_test/free_calls", want);
	/* a comes back with its free track */
	e = su_allocate(s);
	assert_ptr_equal(e, a);
	snprintf(want, sizeof(want),
		 "      3 <not-available> age=%lu pid=0 cpus=0\n"
		 "      1 su_release age=0 pid=0 cpus=1\n",
		 jiffies);
	assert_sysfs("su_test/free_calls", want);
	assert_sysfs("su_test/alloc_calls",
		     "      4 su_allocate age=0/187/250 pid=0 cpus=0-1\n");
	/* a report shows both tracks */
	M->this_cpu = 0;
	sched_run_until(2 * NSEC_PER_SEC);
	su_release(s, b);
	mark = log_mark();
	su_release(s, b);
	assert_true(log_contains_since(
		mark, "BUG su_test (Not tainted): Object already free\n"));
	assert_true(log_contains_since(
		mark, "Allocated in su_allocate age=500 cpu=0 pid=0\n"));
	assert_true(log_contains_since(
		mark, "Freed in su_release age=0 cpu=0 pid=0\n"));
	su_release(s, c);
	su_release(s, d);
	su_release(s, e);
	assert_sysfs("su_test/alloc_calls", "No data\n");
	/* without SLAB_STORE_USER there are no tracks to list */
	seq_init(&m);
	assert_int_equal(slab_sysfs_show("kmalloc-64/alloc_calls", &m),
			 -ENOSYS);
	seq_release(&m);
	kmem_cache_destroy(s);
}

static void test_sysfs_files_mergeable_caches_under_an_id(void **state)
{
	struct seq_file m;
	struct kmem_cache *a;
	const char *list;

	(void)state;
	boot_slab("ram=256M");
	a = kmem_cache_create("sys_a", 64, 0, 0, NULL);
	assert_ptr_equal(kmem_cache_create("sys_b", 60, 0, 0, NULL), a);
	kmem_cache_create("sys_rcl", 100, 0, SLAB_RECLAIM_ACCOUNT, NULL);
	kmem_cache_create("sys_ctor", 64, 0, 0, nop_ctor);
	seq_init(&m);
	seq_putc(&m, '\n'); /* so every entry reads "\nNAME\n" */
	slab_sysfs_list(&m);
	list = seq_text(&m);
	assert_non_null(strstr(list, "\n:0000064\n"));
	assert_non_null(strstr(list, "\n:a-0000104\n"));
	assert_non_null(strstr(list, "\nsys_a -> :0000064\n"));
	assert_non_null(strstr(list, "\nsys_b -> :0000064\n"));
	assert_non_null(strstr(list, "\nsys_rcl -> :a-0000104\n"));
	assert_non_null(strstr(list, "\nsys_ctor\n")); /* unmergeable */
	assert_non_null(strstr(list, "\nkmalloc-64\n"));
	assert_non_null(strstr(list, "\nkmem_cache\n"));
	/* sorted, as ls shows it */
	for (const char *p = list + 1, *q; (q = strchr(p, '\n')) && q[1];
	     p = q + 1) {
		const char *r = strchr(q + 1, '\n');
		size_t a_len = (size_t)(q - p), b_len = (size_t)(r - q - 1);
		int c = memcmp(p, q + 1, min(a_len, b_len));

		assert_true(c < 0 || (c == 0 && a_len < b_len));
	}
	seq_release(&m);
	assert_sysfs(":0000064/aliases", "1\n");
	assert_sysfs("sys_b/aliases", "1\n");
	assert_sysfs("sys_a/object_size", "64\n");
	seq_init(&m);
	slab_sysfs_attrs(&m);
	assert_true(strstr(seq_text(&m),
			   "aliases\nalign\nalloc_calls\nalloc_fastpath\n") ==
		    seq_text(&m));
	assert_non_null(strstr(seq_text(&m), "\nusersize\n"));
	seq_release(&m);
}

/* ---- 10. stress ------------------------------------------------------------- */

/* About a million allocations (half the operations), fewer under the
 * sanitizers (STRESS_OPS), mostly GFP_KERNEL. */
static void test_random_alloc_free_keeps_every_object_intact(void **state)
{
	static const gfp_t gfps[] = {
		GFP_KERNEL,
		GFP_KERNEL,
		GFP_KERNEL,
		GFP_KERNEL,
		GFP_KERNEL,
		GFP_KERNEL,
		GFP_KERNEL | __GFP_ZERO,
		GFP_KERNEL | __GFP_RECLAIMABLE,
		GFP_KERNEL_ACCOUNT,
		GFP_KERNEL | GFP_DMA,
		GFP_ATOMIC,
	};

	(void)state;
	boot_slab("ram=1G", "cpus=2");
	kmalloc_stress("slub", gfps, ARRAY_SIZE(gfps));
}

/* A plain, a reclaimable and a debugging cache, used from three CPUs. */
static void test_everything_goes_back_to_the_buddy_allocator(void **state)
{
	(void)state;
	boot_slab("ram=256M", "cpus=3");
	give_everything_back(3);
}

/* ---- 11. other machines ------------------------------------------------------- */

static void test_i386_uses_four_byte_free_pointers(void **state)
{
	struct kmem_cache *s;
	void *p;

	(void)state;
	boot_slab("ram=256M", "arch=i386");
	/* 64 + 4 right red zone + 4 padding, left zone 8: 80 (x86_64: 88) */
	s = kmem_cache_create("rz32", 64, 0, SLAB_RED_ZONE, NULL);
	assert_int_equal(slabinfo_of("rz32").objsize, 80);
	p = kmem_cache_alloc(s, GFP_KERNEL);
	kmem_cache_free(s, p);
	assert_int_equal(M->nr_bugs, 0);
	p = kmalloc(100, GFP_KERNEL);
	assert_false(PageHighMem(virt_to_page(p)));
	assert_int_equal(strlen(addr_text(p)), 10); /* 0xc....... */
	kfree(p);
	machine_destroy(M);

	/* node 1 is all HighMem: no slab pages there, requests fall back */
	boot_slab("ram=2G", "arch=i386", "nodes=2", "cpus=2");
	M->this_cpu = 1;
	p = kmalloc_node(64, GFP_KERNEL, 1);
	assert_non_null(p);
	assert_int_equal(page_to_nid(virt_to_page(p)), 0);
	assert_false(PageHighMem(virt_to_page(p)));
	kfree(p);
	p = kmalloc(100, GFP_KERNEL);
	assert_int_equal(page_to_nid(virt_to_page(p)), 0);
	kfree(p);
	assert_int_equal(M->nr_bugs + M->nr_warns, 0);
}

static void test_each_machine_has_its_own_caches(void **state)
{
	struct machine *a, *b;
	void *pa, *pb;

	(void)state;
	a = boot_slab("ram=256M");
	kmem_cache_create("only_on_a", 100, 0, 0, NULL);
	pa = kmalloc(64, GFP_KERNEL);
	b = boot_slab("ram=256M");
	assert_ptr_equal(M, b);
	assert_false(slabinfo_line("only_on_a", (char[256]){ 0 }, 256));
	pb = kmalloc(64, GFP_KERNEL);
	machine_set_current(a);
	assert_true(slabinfo_line("only_on_a", (char[256]){ 0 }, 256));
	kfree(pa);
	machine_set_current(b);
	kfree(pb);
	assert_int_equal(b->nr_bugs, 0);
	machine_destroy(b);
	machine_set_current(a);
	assert_int_equal(a->nr_bugs, 0);
}

#define T(f) cmocka_unit_test_teardown(f, destroy_current)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_boot_creates_the_caches_linux_creates),
		T(test_boot_caches_riscv64),
		T(test_kmalloc_cache_geometry_follows_calculate_order),
		T(test_kmalloc_alignment_guarantees),
		T(test_debug_cache_catches_double_free),
		T(test_plain_cache_catches_immediate_double_free),
		T(test_plain_cache_catches_double_free_into_an_emptied_slab),
		T(test_objects_of_fallback_order_slabs_free_normally),
		T(test_kfree_of_a_bad_pointer_is_reported),
		T(test_wrong_cache_free_warns_and_uses_the_right_one),
		T(test_destroy_reports_objects_of_full_slabs),
		T(test_boot_caches_cannot_be_destroyed),
		T(test_compatible_caches_merge),
		T(test_merged_cache_clears_the_larger_object_on_zalloc),
		T(test_bad_create_arguments_fail_cleanly),
		T(test_every_size_maps_to_its_kmalloc_cache),
		T(test_gfp_flags_pick_kmalloc_variants),
		T(test_large_kmalloc_comes_from_the_page_allocator),
		T(test_kcalloc_and_kmalloc_array_check_overflow),
		T(test_krealloc_keeps_contents),
		T(test_kmemdup_and_kstrdup),
		T(test_bad_gfp_bits_are_fixed_with_a_warning),
		T(test_cpus_have_their_own_slabs_and_free_remotely),
		T(test_node_allocations_come_from_that_node),
		T(test_slab_pages_show_in_meminfo_and_vmstat),
		T(test_dma_cache_takes_pages_from_zone_dma),
		T(test_shrinkers_are_asked_in_proportion),
		T(test_slabinfo_text_for_a_known_sequence),
		T(test_sysfs_attributes_read_like_linux),
		T(test_store_user_records_callers),
		T(test_sysfs_files_mergeable_caches_under_an_id),
		T(test_random_alloc_free_keeps_every_object_intact),
		T(test_everything_goes_back_to_the_buddy_allocator),
		T(test_i386_uses_four_byte_free_pointers),
		T(test_each_machine_has_its_own_caches),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
