/* /proc formats, compared line by line with what Linux 6.x prints
 * (mm/vmstat.c frag_show_print, pagetypeinfo_show*, zoneinfo_show_print,
 * vmstat_show; fs/proc/meminfo.c), the counters' agreement with the
 * allocator, sysctl read-back, and the errors of unknown or read-only
 * files. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <errno.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fs/proc/proc.h"
#include "kernel/machine.h"
#include "mm/internal.h"
#include "mm/mm.h"
#include "mm/vmstat.h"
#include "tests/helpers.h"

/* ---- helpers ------------------------------------------------------------- */

struct lines {
	char *buf;
	char **v;
	size_t n;
};

/* Splits text into lines (the final newline ends the last line). */
static void split_lines(struct lines *l, const char *text)
{
	size_t cap = 16;

	l->buf = strdup(text);
	l->v = malloc(cap * sizeof(*l->v));
	l->n = 0;
	assert_non_null(l->buf);
	for (char *p = l->buf; *p;) {
		char *nl = strchr(p, '\n');

		if (l->n == cap)
			l->v = realloc(l->v, (cap *= 2) * sizeof(*l->v));
		l->v[l->n++] = p;
		if (!nl)
			break;
		*nl = '\0';
		p = nl + 1;
	}
}

static void free_lines(struct lines *l)
{
	free(l->buf);
	free(l->v);
}

static void read_lines(struct lines *l, const char *path)
{
	char *t = proc_text(path);

	assert_true(t[0] != '\0');
	assert_int_equal(t[strlen(t) - 1], '\n');
	split_lines(l, t);
	free(t);
}

static bool matches(const char *re, const char *s)
{
	regex_t r;
	int ret;

	assert_int_equal(regcomp(&r, re, REG_EXTENDED | REG_NOSUB), 0);
	ret = regexec(&r, s, 0, NULL, 0);
	regfree(&r);
	return ret == 0;
}

static void assert_matches(const char *re, const char *s)
{
	if (!matches(re, s))
		fail_msg("\"%s\" does not match /%s/", s, re);
}

/* Index of the line that starts with prefix, or -1. */
static long find_line(const struct lines *l, const char *prefix)
{
	for (size_t i = 0; i < l->n; i++)
		if (!strncmp(l->v[i], prefix, strlen(prefix)))
			return (long)i;
	return -1;
}

static long must_find_line(const struct lines *l, const char *prefix)
{
	long i = find_line(l, prefix);

	if (i < 0)
		fail_msg("no line starting with \"%s\"", prefix);
	return i;
}

static unsigned long meminfo(const char *label)
{
	return proc_counter("/proc/meminfo", label);
}

/* ---- /proc/buddyinfo --------------------------------------------------------- */

static void check_buddyinfo_against_zones(void)
{
	struct seq_file want;
	struct zone *zone;
	char *text = proc_text("/proc/buddyinfo");
	struct lines l;

	seq_init(&want);
	for_each_populated_zone(zone) {
		unsigned long pages = 0;

		seq_printf(&want, "Node %d, zone %8s ", zone->node, zone->name);
		for (int o = 0; o < NR_PAGE_ORDERS; o++) {
			seq_printf(&want, "%6lu ", zone->free_area[o].nr_free);
			pages += zone->free_area[o].nr_free << o;
		}
		seq_putc(&want, '\n');
		assert_int_equal(pages, zone_page_state(zone, NR_FREE_PAGES));
	}
	assert_string_equal(text, seq_text(&want));
	split_lines(&l, text);
	for (size_t i = 0; i < l.n; i++)
		assert_matches(
			"^Node [0-9]+, zone [ A-Za-z0-9]{8} ( {0,5}[0-9]+ ){11}$",
			l.v[i]);
	free_lines(&l);
	seq_release(&want);
	free(text);
}

static void test_buddyinfo_format(void **state)
{
	struct machine *m = boot_machine("ram=1G");
	struct page *p[8];

	(void)state;
	check_buddyinfo_against_zones();
	/* Populated zones only: no Normal or Movable on 1G. */
	assert_true(proc_contains("/proc/buddyinfo",
				  "Node 0, zone      DMA      0 "));
	assert_true(
		proc_contains("/proc/buddyinfo", "\nNode 0, zone    DMA32 "));
	assert_false(proc_contains("/proc/buddyinfo", "Normal"));
	assert_false(proc_contains("/proc/buddyinfo", "Movable"));
	/* Split some blocks and look again. */
	for (int i = 0; i < 8; i++)
		assert_non_null(p[i] = alloc_pages(GFP_KERNEL, (unsigned)i));
	check_buddyinfo_against_zones();
	for (int i = 0; i < 8; i++)
		__free_pages(p[i], (unsigned)i);
	machine_destroy(m);
}

/* riscv64 has no ZONE_DMA: DMA32 (from 0x80000000) and Normal. */
static void test_buddyinfo_and_zoneinfo_riscv64(void **state)
{
	struct machine *m = boot_machine("arch=riscv64", "ram=6G");
	const struct zone *normal = &NODE_DATA(0)->node_zones[ZONE_NORMAL];
	char *text, want[96];
	struct lines l;

	(void)state;
	check_buddyinfo_against_zones();
	text = proc_text("/proc/buddyinfo");
	assert_memory_equal(text, "Node 0, zone    DMA32 ", 22);
	assert_non_null(strstr(text, "\nNode 0, zone   Normal "));
	assert_null(strstr(text, " DMA "));
	free(text);
	/* zoneinfo: DMA32, Normal and Movable; three protection values. */
	read_lines(&l, "/proc/zoneinfo");
	assert_string_equal(l.v[0], "Node 0, zone    DMA32");
	assert_int_equal(find_line(&l, "Node 0, zone      DMA"), -1);
	assert_true(find_line(&l, "Node 0, zone   Normal") > 0);
	assert_true(find_line(&l, "Node 0, zone  Movable") > 0);
	snprintf(want, sizeof(want), "        protection: (0, %lu, %lu)",
		 normal->managed_pages / 256, normal->managed_pages / 256);
	assert_true(find_line(&l, want) > 0);
	assert_true(find_line(&l, "  start_pfn:           524288") > 0);
	assert_true(find_line(&l, "  start_pfn:           1048576") > 0);
	free_lines(&l);
	text = proc_text("/proc/sys/vm/lowmem_reserve_ratio");
	assert_string_equal(text, "256\t32\t0\n");
	free(text);
	machine_destroy(m);
}

static void test_buddyinfo_numa_and_i386(void **state)
{
	struct machine *m = boot_machine("ram=1G", "nodes=2");

	(void)state;
	check_buddyinfo_against_zones();
	assert_true(
		proc_contains("/proc/buddyinfo", "\nNode 1, zone    DMA32 "));
	machine_destroy(m);
	m = boot_machine("arch=i386", "ram=2G");
	check_buddyinfo_against_zones();
	assert_true(
		proc_contains("/proc/buddyinfo", "\nNode 0, zone  HighMem "));
	machine_destroy(m);
}

/* ---- /proc/zoneinfo ----------------------------------------------------------- */

struct cursor {
	const struct lines *l;
	size_t i;
};

static const char *next_line(struct cursor *c)
{
	if (c->i >= c->l->n)
		fail_msg("zoneinfo ends early after line %zu", c->i);
	return c->l->v[c->i++];
}

static void expect_exact(struct cursor *c, const char *want)
{
	const char *got = next_line(c);

	if (strcmp(got, want))
		fail_msg("zoneinfo line %zu: \"%s\", want \"%s\"", c->i, got,
			 want);
}

/* n "      %-12s %lu" lines, the first and last with these names. */
static void expect_stats(struct cursor *c, size_t n, const char *first,
			 const char *last)
{
	for (size_t k = 0; k < n; k++) {
		const char *got = next_line(c);
		char name[64];

		assert_matches("^      [a-z_0-9]+ +[0-9]+$", got);
		sscanf(got, "%63s", name);
		/* %-12s: names shorter than 12 are padded to 12, then a space */
		if (strlen(name) < 12)
			assert_true(got[6 + 12] == ' ' && got[6 + 13] != ' ');
		else
			assert_true(got[6 + strlen(name)] == ' ' &&
				    got[7 + strlen(name)] != ' ');
		if (k == 0 && strcmp(name, first))
			fail_msg("first stat is %s, want %s", name, first);
		if (k == n - 1 && strcmp(name, last))
			fail_msg("last stat is %s, want %s", name, last);
	}
}

static void expect_zone_head(struct cursor *c, const char *name,
			     unsigned long free, const char *const wmark[4],
			     unsigned long spanned, unsigned long present,
			     unsigned long managed, const char *protection)
{
	char buf[96];

	snprintf(buf, sizeof(buf), "  pages free     %lu", free);
	expect_exact(c, buf);
	expect_exact(c, "        boost    0");
	snprintf(buf, sizeof(buf), "        min      %s", wmark[0]);
	expect_exact(c, buf);
	snprintf(buf, sizeof(buf), "        low      %s", wmark[1]);
	expect_exact(c, buf);
	snprintf(buf, sizeof(buf), "        high     %s", wmark[2]);
	expect_exact(c, buf);
	snprintf(buf, sizeof(buf), "        promo    %s", wmark[3]);
	expect_exact(c, buf);
	snprintf(buf, sizeof(buf), "        spanned  %lu", spanned);
	expect_exact(c, buf);
	snprintf(buf, sizeof(buf), "        present  %lu", present);
	expect_exact(c, buf);
	snprintf(buf, sizeof(buf), "        managed  %lu", managed);
	expect_exact(c, buf);
	expect_exact(c, "        cma      0");
	snprintf(buf, sizeof(buf), "        protection: %s", protection);
	expect_exact(c, buf);
	(void)name;
}

static void expect_populated_tail(struct cursor *c, unsigned long free,
				  unsigned long pcp_count, const char *pcp_high,
				  const char *batch, const char *high_max,
				  const char *threshold,
				  unsigned long start_pfn)
{
	char buf[96];

	snprintf(buf, sizeof(buf), "      nr_free_pages %lu", free);
	expect_exact(c, buf);
	c->i--;
	expect_stats(c, NR_VM_ZONE_STAT_ITEMS, "nr_free_pages", "nr_free_cma");
	expect_stats(c, NR_VM_NUMA_EVENT_ITEMS, "numa_hit", "numa_other");
	expect_exact(c, "  pagesets");
	expect_exact(c, "    cpu: 0");
	snprintf(buf, sizeof(buf), "              count:    %lu", pcp_count);
	expect_exact(c, buf);
	snprintf(buf, sizeof(buf), "              high:     %s", pcp_high);
	expect_exact(c, buf);
	snprintf(buf, sizeof(buf), "              batch:    %s", batch);
	expect_exact(c, buf);
	snprintf(buf, sizeof(buf), "              high_min: %s", pcp_high);
	expect_exact(c, buf);
	snprintf(buf, sizeof(buf), "              high_max: %s", high_max);
	expect_exact(c, buf);
	snprintf(buf, sizeof(buf), "  vm stats threshold: %s", threshold);
	expect_exact(c, buf);
	expect_exact(c, "  node_unreclaimable:  0");
	snprintf(buf, sizeof(buf), "  start_pfn:           %lu", start_pfn);
	expect_exact(c, buf);
}

/* The whole zoneinfo of a fresh 1G, 1-CPU x86_64 machine, line by line
 * (watermarks as computed in test_watermarks.c).
 *
 * Boot's only allocations are mem_init's 64 PUD tables of the vmalloc
 * range and 8 slab pages. 61 caches (kmem_cache, kmem_cache_node, 13
 * kmalloc sizes of 4 types, vmalloc_init's vmap_area, and task_struct,
 * signal_cache, mm_struct, vm_area_struct, anon_vma, anon_vma_chain) each
 * have a struct kmem_cache (a 256-byte slot with one node and one CPU,
 * cache-line aligned: 16 a page, so 4 pages) and one kmem_cache_node (a
 * 64-byte slot: 64 a page, 1 page); vmap_area has one slab for the
 * vmap_area of the free space, kmalloc-16 one for the copies of the
 * caches' names and kmalloc-8 one for the shadow shrinker's per-node
 * counts. /proc/vmstat and /proc/slabinfo count them. GFP_KERNEL takes
 * all 72 pages from DMA32 (Normal is empty) through CPU 0's pcp list,
 * which the buddy lists refill with one batch (63) whenever it is empty:
 * twice. So DMA32 has 126 pages fewer free than managed, 126 - 72 = 54
 * of them on the pcp list; DMA is untouched. */
static void test_zoneinfo_1G_line_sequence(void **state)
{
	static const char *const dma_wm[] = { "15", "18", "21", "24" };
	static const char *const dma32_wm[] = { "983", "1228", "1473", "1718" };
	static const char *const zero_wm[] = { "0", "0", "0", "0" };
	static const char *const movable_wm[] = { "32", "32", "32", "32" };
	struct machine *m = boot_machine("ram=1G");
	struct lines l;
	struct cursor c = { &l, 0 };
	unsigned long slab = slab_pages();

	(void)state;
	assert_int_equal(slab, 8);
	assert_int_equal(slabinfo_pages(), slab);
	assert_int_equal(vmstat_counter("nr_page_table_pages"), 64);
	read_lines(&l, "/proc/zoneinfo");

	expect_exact(&c, "Node 0, zone      DMA");
	expect_exact(&c, "  per-node stats");
	expect_stats(&c, NR_VM_NODE_STAT_ITEMS, "nr_inactive_anon",
		     "nr_balloon_pages");
	expect_zone_head(&c, "DMA", 3840, dma_wm, 4095, 3998, 3840,
			 "(0, 959, 959, 959)");
	expect_populated_tail(&c, 3840, 0, "18", "1", "480", "2", 1);

	expect_exact(&c, "Node 0, zone    DMA32");
	expect_zone_head(&c, "DMA32", 246448 - 126, dma32_wm, 258048, 258048,
			 246448, "(0, 0, 0, 0)");
	expect_populated_tail(&c, 246448 - 126, 126 - 64 - slab, "1228", "63",
			      "30718", "8", 4096);

	/* Empty zones stop after protection. */
	expect_exact(&c, "Node 0, zone   Normal");
	expect_zone_head(&c, "Normal", 0, zero_wm, 0, 0, 0, "(0, 0, 0, 0)");
	expect_exact(&c, "Node 0, zone  Movable");
	expect_zone_head(&c, "Movable", 0, movable_wm, 0, 0, 0, "(0, 0, 0, 0)");
	assert_int_equal(c.i, l.n);
	free_lines(&l);
	machine_destroy(m);
}

/* Each node's first populated zone carries its per-node stats; every
 * zone of every node is listed. */
static void test_zoneinfo_numa_per_node_stats(void **state)
{
	struct machine *m = boot_machine("ram=1G", "nodes=2", "cpus=2");
	char *t;

	(void)state;
	t = proc_text("/proc/zoneinfo");
	assert_non_null(strstr(t, "Node 0, zone      DMA\n  per-node stats\n"));
	assert_non_null(strstr(t, "\nNode 0, zone    DMA32\n  pages free "));
	assert_non_null(
		strstr(t, "\nNode 1, zone      DMA\n  pages free     0\n"));
	assert_non_null(
		strstr(t, "\nNode 1, zone    DMA32\n  per-node stats\n"));
	assert_non_null(strstr(t, "\nNode 1, zone   Normal\n"));
	assert_non_null(strstr(t, "\nNode 1, zone  Movable\n"));
	/* One CPU per node: each zone lists both CPUs' pagesets. */
	assert_non_null(strstr(t, "\n    cpu: 1\n"));
	free(t);
	machine_destroy(m);
}

/* ---- /proc/pagetypeinfo --------------------------------------------------------- */

static void check_pagetypeinfo(unsigned order)
{
	static const char *const types[] = {
		"Unmovable", "Movable", "Reclaimable", "HighAtomic", "Isolate",
	};
	struct lines l;
	struct zone *zone;
	char buf[160];
	long i;

	read_lines(&l, "/proc/pagetypeinfo");
	snprintf(buf, sizeof(buf), "Page block order: %u", order);
	assert_string_equal(l.v[0], buf);
	snprintf(buf, sizeof(buf), "Pages per block:  %u", 1u << order);
	assert_string_equal(l.v[1], buf);
	assert_string_equal(l.v[2], "");
	assert_string_equal(
		l.v[3],
		"Free pages count per migrate type at order       0      1      2      3      4      5      6      7      8      9     10 ");
	i = must_find_line(&l, "Number of blocks type ");
	assert_string_equal(
		l.v[i],
		"Number of blocks type     Unmovable      Movable  Reclaimable   HighAtomic      Isolate ");
	assert_string_equal(l.v[i - 1], "");

	for_each_populated_zone(zone) {
		unsigned long blocks = 0, want_blocks;
		unsigned long per_order[NR_PAGE_ORDERS] = { 0 };
		long row;

		/* Free counts: one row per migrate type, in Linux's order. */
		snprintf(buf, sizeof(buf), "Node %4d, zone %8s, type ",
			 zone->node, zone->name);
		row = must_find_line(&l, buf);
		for (int t = 0; t < (int)ARRAY_SIZE(types); t++) {
			const char *line = l.v[row + t];
			char want[200];
			const char *p;

			snprintf(want, sizeof(want), "%s%12s ", buf, types[t]);
			assert_memory_equal(line, want, strlen(want));
			assert_matches(
				"^Node +[0-9]+, zone +[A-Za-z0-9]+, type +[A-Za-z]+ ( {0,5}[0-9]+ ){11}$",
				line);
			p = line + strlen(want);
			for (int o = 0; o < NR_PAGE_ORDERS; o++) {
				char *end;

				per_order[o] += strtoul(p, &end, 10);
				p = end + 1;
			}
		}
		for (int o = 0; o < NR_PAGE_ORDERS; o++)
			assert_int_equal(per_order[o],
					 zone->free_area[o].nr_free);

		/* Block counts sum to the zone's page blocks. */
		snprintf(buf, sizeof(buf), "Node %d, zone %8s ", zone->node,
			 zone->name);
		row = must_find_line(&l, buf);
		assert_true(row > i);
		assert_matches(
			"^Node [0-9]+, zone +[A-Za-z0-9]+ ( {0,11}[0-9]+ ){5}$",
			l.v[row]);
		{
			const char *p = l.v[row] + strlen(buf);

			for (int t = 0; t < (int)ARRAY_SIZE(types); t++) {
				char *end;

				blocks += strtoul(p, &end, 10);
				p = end + 1;
			}
		}
		want_blocks = DIV_ROUND_UP(zone->spanned_pages, 1UL << order);
		assert_int_equal(blocks, want_blocks);
	}
	free_lines(&l);
}

static void test_pagetypeinfo_format_x86_64(void **state)
{
	struct machine *m = boot_machine("ram=1G");
	struct page *p[64];
	char *t;

	(void)state;
	check_pagetypeinfo(9);
	t = proc_text("/proc/pagetypeinfo");
	/* 4095 DMA pages starting at pfn 1: 8 blocks; DMA32 504. All are
	 * Movable from memblock_free_all, except in DMA32 the block boot's
	 * slab pages (kmem_cache_init, GFP_KERNEL) claimed: finding no
	 * Unmovable free page, the first fell back to the largest Movable
	 * block, of order MAX_PAGE_ORDER (10), and claimed it whole as
	 * Linux's try_to_claim_block does for a block of pageblock_order
	 * (9) or more: 2 page blocks, leaving 502 Movable. */
	assert_non_null(strstr(
		t,
		"\nNode 0, zone      DMA            0            8            0            0            0 \n"));
	assert_non_null(strstr(
		t,
		"\nNode 0, zone    DMA32            2          502            0            0            0 \n"));
	free(t);
	/* Unmovable allocations claim a block; the counts still add up. */
	for (int i = 0; i < 64; i++)
		assert_non_null(p[i] = alloc_pages(GFP_KERNEL, 3));
	check_pagetypeinfo(9);
	for (int i = 0; i < 64; i++)
		__free_pages(p[i], 3);
	machine_destroy(m);
}

static void test_pagetypeinfo_i386_blocks_are_order_10(void **state)
{
	struct machine *m = boot_machine("arch=i386", "ram=2G");

	(void)state;
	check_pagetypeinfo(10);
	machine_destroy(m);
}

static void test_pagetypeinfo_numa_repeats_header_per_node(void **state)
{
	struct machine *m = boot_machine("ram=1G", "nodes=2");
	char *t = proc_text("/proc/pagetypeinfo");
	const char *second;

	(void)state;
	second = strstr(strstr(t, "Page block order: 9\n") + 1,
			"Page block order: 9\n");
	assert_non_null(second);
	assert_non_null(
		strstr(second, "Node    1, zone    DMA32, type    Unmovable "));
	assert_null(strstr(t, "Node    1, zone      DMA"));
	free(t);
	machine_destroy(m);
}

/* ---- /proc/meminfo --------------------------------------------------------------- */

static const char *const meminfo_x86_64[] = {
	"MemTotal",	  "MemFree",
	"MemAvailable",	  "Buffers",
	"Cached",	  "SwapCached",
	"Active",	  "Inactive",
	"Active(anon)",	  "Inactive(anon)",
	"Active(file)",	  "Inactive(file)",
	"Unevictable",	  "Mlocked",
	"SwapTotal",	  "SwapFree",
	"Zswap",	  "Zswapped",
	"Dirty",	  "Writeback",
	"AnonPages",	  "Mapped",
	"Shmem",	  "KReclaimable",
	"Slab",		  "SReclaimable",
	"SUnreclaim",	  "KernelStack",
	"PageTables",	  "SecPageTables",
	"NFS_Unstable",	  "Bounce",
	"WritebackTmp",	  "CommitLimit",
	"Committed_AS",	  "VmallocTotal",
	"VmallocUsed",	  "VmallocChunk",
	"Percpu",	  "HardwareCorrupted",
	"AnonHugePages",  "ShmemHugePages",
	"ShmemPmdMapped", "FileHugePages",
	"FilePmdMapped",  "Balloon",         "HugePages_Total",
	"HugePages_Free", "HugePages_Rsvd",
	"HugePages_Surp", "Hugepagesize",
	"Hugetlb",	  "DirectMap4k",
	"DirectMap2M",	  "DirectMap1G",
};

static const char *const meminfo_i386[] = {
	"MemTotal",	  "MemFree",
	"MemAvailable",	  "Buffers",
	"Cached",	  "SwapCached",
	"Active",	  "Inactive",
	"Active(anon)",	  "Inactive(anon)",
	"Active(file)",	  "Inactive(file)",
	"Unevictable",	  "Mlocked",
	"HighTotal",	  "HighFree",
	"LowTotal",	  "LowFree",
	"SwapTotal",	  "SwapFree",
	"Zswap",	  "Zswapped",
	"Dirty",	  "Writeback",
	"AnonPages",	  "Mapped",
	"Shmem",	  "KReclaimable",
	"Slab",		  "SReclaimable",
	"SUnreclaim",	  "KernelStack",
	"PageTables",	  "SecPageTables",
	"NFS_Unstable",	  "Bounce",
	"WritebackTmp",	  "CommitLimit",
	"Committed_AS",	  "VmallocTotal",
	"VmallocUsed",	  "VmallocChunk",
	"Percpu",	  "HardwareCorrupted",
	"AnonHugePages",  "ShmemHugePages",
	"ShmemPmdMapped", "FileHugePages",
	"FilePmdMapped",  "Balloon",         "HugePages_Total",
	"HugePages_Free", "HugePages_Rsvd",
	"HugePages_Surp", "Hugepagesize",
	"Hugetlb",	  "DirectMap4k",
	"DirectMap4M",
};

/* riscv64: x86_64's lines without DirectMap (arch_report_meminfo is
 * x86's). */
static const char *const meminfo_riscv64[] = {
	"MemTotal",	  "MemFree",	     "MemAvailable",
	"Buffers",	  "Cached",	     "SwapCached",
	"Active",	  "Inactive",	     "Active(anon)",
	"Inactive(anon)", "Active(file)",    "Inactive(file)",
	"Unevictable",	  "Mlocked",	     "SwapTotal",
	"SwapFree",	  "Zswap",	     "Zswapped",
	"Dirty",	  "Writeback",	     "AnonPages",
	"Mapped",	  "Shmem",	     "KReclaimable",
	"Slab",		  "SReclaimable",    "SUnreclaim",
	"KernelStack",	  "PageTables",	     "SecPageTables",
	"NFS_Unstable",	  "Bounce",	     "WritebackTmp",
	"CommitLimit",	  "Committed_AS",    "VmallocTotal",
	"VmallocUsed",	  "VmallocChunk",    "Percpu",
	"HardwareCorrupted", "AnonHugePages", "ShmemHugePages",
	"ShmemPmdMapped", "FileHugePages",   "FilePmdMapped",
	"Balloon",	  "HugePages_Total", "HugePages_Free",
	"HugePages_Rsvd", "HugePages_Surp",  "Hugepagesize",
	"Hugetlb",
};

/* Every line is "Label:" padded to 16 columns and the value right-aligned
 * in 8, then " kB"; HardwareCorrupted is "%5lu kB" after its 19-column
 * label and HugePages_* are "%5lu" counts after 19 columns. */
static void check_meminfo_lines(const char *const *names, size_t n)
{
	struct lines l;

	read_lines(&l, "/proc/meminfo");
	assert_int_equal(l.n, n);
	for (size_t i = 0; i < n; i++) {
		const char *line = l.v[i];
		char label[40], want[96];
		unsigned long v;
		const char *colon = strchr(line, ':');

		assert_matches("^[A-Za-z_()0-9]+: +[0-9]+( kB)?$", line);
		assert_non_null(colon);
		snprintf(label, sizeof(label), "%s:", names[i]);
		if (strncmp(line, label, strlen(label)))
			fail_msg("meminfo line %zu is \"%s\", want %s", i, line,
				 label);
		v = strtoul(colon + 1, NULL, 10);
		if (!strcmp(names[i], "HardwareCorrupted"))
			snprintf(want, sizeof(want),
				 "HardwareCorrupted: %5lu kB", v);
		else if (!strncmp(names[i], "HugePages_", 10))
			snprintf(want, sizeof(want), "%-19s%5lu", label, v);
		else
			snprintf(want, sizeof(want), "%-16s%8lu kB", label, v);
		assert_string_equal(line, want);
	}
	free_lines(&l);
}

static void check_meminfo_sums(void)
{
	assert_int_equal(meminfo("Slab:"),
			 meminfo("SReclaimable:") + meminfo("SUnreclaim:"));
	assert_int_equal(meminfo("Active:"),
			 meminfo("Active(anon):") + meminfo("Active(file):"));
	assert_int_equal(meminfo("Inactive:"),
			 meminfo("Inactive(anon):") +
				 meminfo("Inactive(file):"));
	assert_true(meminfo("KReclaimable:") >= meminfo("SReclaimable:"));
	assert_true(meminfo("MemFree:") <= meminfo("MemTotal:"));
	assert_int_equal(meminfo("NFS_Unstable:"), 0);
	assert_int_equal(meminfo("Bounce:"), 0);
	assert_int_equal(meminfo("VmallocChunk:"), 0);
	assert_int_equal(meminfo("MemTotal:"), M->totalram_pages * 4);
	assert_int_equal(meminfo("MemFree:"),
			 vmstat_counter("nr_free_pages") * 4);
}

static void test_meminfo_fields_and_format_x86_64(void **state)
{
	struct machine *m = boot_machine("ram=1G");

	(void)state;
	check_meminfo_lines(meminfo_x86_64, ARRAY_SIZE(meminfo_x86_64));
	check_meminfo_sums();
	assert_int_equal(meminfo("Hugepagesize:"), 2048);
	assert_int_equal(meminfo("VmallocTotal:"), 34359738367UL);
	/* CommitLimit without swap: MemTotal * overcommit_ratio 50% */
	assert_int_equal(meminfo("CommitLimit:"),
			 M->totalram_pages * 50 / 100 * 4);
	machine_destroy(m);
}

static void test_meminfo_fields_and_format_i386(void **state)
{
	struct machine *m = boot_machine("arch=i386", "ram=2G");

	(void)state;
	check_meminfo_lines(meminfo_i386, ARRAY_SIZE(meminfo_i386));
	check_meminfo_sums();
	assert_int_equal(meminfo("MemTotal:"),
			 meminfo("HighTotal:") + meminfo("LowTotal:"));
	assert_int_equal(meminfo("MemFree:"),
			 meminfo("HighFree:") + meminfo("LowFree:"));
	assert_int_equal(meminfo("HighTotal:"), 294912 * 4);
	assert_int_equal(meminfo("Hugepagesize:"), 4096);
	assert_int_equal(meminfo("VmallocTotal:"), 122880);
	machine_destroy(m);
}

/* riscv64: no DirectMap lines, 2M huge pages, the 64 GiB vmalloc area
 * below PAGE_OFFSET (32 TiB with Sv48) and its 64 preallocated tables. */
static void test_meminfo_fields_and_format_riscv64(void **state)
{
	struct machine *m = boot_machine("arch=riscv64", "ram=6G");

	(void)state;
	check_meminfo_lines(meminfo_riscv64, ARRAY_SIZE(meminfo_riscv64));
	check_meminfo_sums();
	assert_int_equal(meminfo("Hugepagesize:"), 2048);
	assert_int_equal(meminfo("VmallocTotal:"), 64UL << 20);
	assert_int_equal(meminfo("PageTables:"), 64 * 4);
	machine_destroy(m);
	m = boot_machine("arch=riscv64", "ram=1G", "sv48=1");
	check_meminfo_lines(meminfo_riscv64, ARRAY_SIZE(meminfo_riscv64));
	assert_int_equal(meminfo("VmallocTotal:"), 32UL << 30);
	assert_int_equal(meminfo("PageTables:"), 64 * 4);
	machine_destroy(m);
}

/* Linux 6.15 added an unconditional "Balloon:" line (NR_BALLOON_PAGES,
 * fs/proc/meminfo.c) after the CMA/Unaccepted lines, before
 * hugetlb_report_meminfo()'s HugePages_Total. */
static void test_meminfo_has_balloon_line(void **state)
{
	struct machine *m = boot_machine("ram=1G");

	(void)state;
	assert_true(proc_contains("/proc/meminfo",
				  "\nFilePmdMapped:         0 kB\n"
				  "Balloon:               0 kB\n"
				  "HugePages_Total:       0\n"));
	machine_destroy(m);
}

/* Numbers stay consistent while pages are allocated. The baseline is
 * taken with the per-CPU lists drained (boot's slab allocations left
 * pages there, outside MemFree), as at the end. */
static void test_meminfo_tracks_allocations(void **state)
{
	struct machine *m = boot_machine("ram=1G");
	unsigned long free0;
	struct page *p;

	(void)state;
	drain_all_pages(NULL);
	free0 = meminfo("MemFree:");
	p = alloc_pages(GFP_KERNEL, 8);
	assert_non_null(p);
	assert_true(meminfo("MemFree:") <= free0 - 256 * 4);
	check_meminfo_sums();
	__free_pages(p, 8);
	drain_all_pages(NULL);
	assert_int_equal(meminfo("MemFree:"), free0);
	machine_destroy(m);
}

/* ---- /proc/vmstat ------------------------------------------------------------------ */

static void check_vmstat_lines(struct lines *l)
{
	read_lines(l, "/proc/vmstat");
	for (size_t i = 0; i < l->n; i++) {
		assert_matches("^[a-z0-9_]+ [0-9]+$", l->v[i]);
		/* Names are unique. */
		for (size_t j = 0; j < i; j++) {
			size_t len = strcspn(l->v[j], " ");

			if (!strncmp(l->v[i], l->v[j], len + 1))
				fail_msg("vmstat lists %.*s twice", (int)len,
					 l->v[j]);
		}
	}
}

/* The names in this order, not necessarily adjacent. */
static void assert_in_order(const struct lines *l, const char *const *names,
			    size_t n)
{
	long prev = -1;

	for (size_t k = 0; k < n; k++) {
		char prefix[64];
		long i;

		snprintf(prefix, sizeof(prefix), "%s ", names[k]);
		i = must_find_line(l, prefix);
		if (i <= prev)
			fail_msg("vmstat: %s comes before %s", names[k],
				 names[k - 1]);
		prev = i;
	}
}

/* The names on consecutive lines. */
static void assert_adjacent(const struct lines *l, const char *const *names,
			    size_t n)
{
	char prefix[64];
	long i;

	snprintf(prefix, sizeof(prefix), "%s ", names[0]);
	i = must_find_line(l, prefix);
	for (size_t k = 1; k < n; k++) {
		snprintf(prefix, sizeof(prefix), "%s ", names[k]);
		if ((size_t)i + k >= l->n ||
		    strncmp(l->v[i + k], prefix, strlen(prefix)))
			fail_msg("vmstat: %s does not follow %s", names[k],
				 names[k - 1]);
	}
}

#define ADJ(l, ...)                                              \
	assert_adjacent(l, (const char *const[]){ __VA_ARGS__ }, \
			ARRAY_SIZE(((const char *const[]){ __VA_ARGS__ })))
#define ORDER(l, ...)                                            \
	assert_in_order(l, (const char *const[]){ __VA_ARGS__ }, \
			ARRAY_SIZE(((const char *const[]){ __VA_ARGS__ })))

static void test_vmstat_format_and_order_x86_64(void **state)
{
	struct machine *m = boot_machine("ram=1G");
	struct lines l;

	(void)state;
	check_vmstat_lines(&l);
	assert_matches("^nr_free_pages [0-9]+$", l.v[0]);
	assert_matches("^nr_free_pages_blocks [0-9]+$", l.v[1]);
	assert_matches("^nr_zone_inactive_anon [0-9]+$", l.v[2]);
	assert_string_equal(l.v[l.n - 1], "nr_unstable 0");
	ADJ(&l, "nr_zone_inactive_anon", "nr_zone_active_anon",
	    "nr_zone_inactive_file", "nr_zone_active_file",
	    "nr_zone_unevictable", "nr_zone_write_pending", "nr_mlock");
	ADJ(&l, "numa_hit", "numa_miss", "numa_foreign", "numa_interleave",
	    "numa_local", "numa_other");
	ADJ(&l, "nr_inactive_anon", "nr_active_anon", "nr_inactive_file",
	    "nr_active_file", "nr_unevictable", "nr_slab_reclaimable",
	    "nr_slab_unreclaimable");
	ADJ(&l, "pgalloc_dma", "pgalloc_dma32", "pgalloc_normal",
	    "pgalloc_movable", "allocstall_dma", "allocstall_dma32",
	    "allocstall_normal", "allocstall_movable", "pgskip_dma",
	    "pgskip_dma32", "pgskip_normal", "pgskip_movable", "pgfree",
	    "pgactivate", "pgdeactivate");
	ADJ(&l, "pgpgin", "pgpgout", "pswpin", "pswpout", "pgalloc_dma");
	ADJ(&l, "nr_dirty_threshold", "nr_dirty_background_threshold",
	    "nr_memmap_pages");
	ADJ(&l, "pgfault", "pgmajfault");
	ORDER(&l, "nr_free_pages", "nr_mlock", "numa_hit", "numa_other",
	      "nr_inactive_anon", "workingset_refault_anon",
	      "workingset_refault_file", "workingset_activate_anon",
	      "workingset_activate_file", "workingset_restore_anon",
	      "workingset_restore_file", "nr_anon_pages", "nr_mapped",
	      "nr_file_pages", "nr_dirty", "nr_writeback", "nr_shmem",
	      "nr_page_table_pages", "nr_swapcached", "nr_dirty_threshold",
	      "pgpgin", "pgfree", "pgfault", "pgrefill", "pgreuse",
	      "pgsteal_kswapd", "pgsteal_direct", "pgscan_kswapd",
	      "pgscan_direct", "pgscan_anon", "pgscan_file", "pgsteal_anon",
	      "pgsteal_file", "slabs_scanned", "kswapd_low_wmark_hit_quickly",
	      "kswapd_high_wmark_hit_quickly", "pageoutrun", "pgrotated",
	      "oom_kill", "pgmigrate_success", "compact_stall",
	      "unevictable_pgs_culled", "thp_fault_alloc",
	      "nr_tlb_remote_flush", "nr_tlb_remote_flush_received",
	      "nr_tlb_local_flush_all", "nr_tlb_local_flush_one", "swap_ra",
	      "swap_ra_hit", "nr_unstable");
	assert_int_equal(find_line(&l, "pgalloc_high "), -1);
	assert_int_equal(find_line(&l, "pgalloc_device "), -1);
	assert_int_equal(vmstat_counter("nr_free_pages") * 4,
			 proc_counter("/proc/meminfo", "MemFree:"));
	free_lines(&l);
	machine_destroy(m);
}

static void test_vmstat_zone_events_i386(void **state)
{
	struct machine *m = boot_machine("arch=i386", "ram=2G");
	struct lines l;

	(void)state;
	check_vmstat_lines(&l);
	ADJ(&l, "pgalloc_dma", "pgalloc_normal", "pgalloc_high",
	    "pgalloc_movable", "allocstall_dma", "allocstall_normal",
	    "allocstall_high", "allocstall_movable", "pgskip_dma",
	    "pgskip_normal", "pgskip_high", "pgskip_movable", "pgfree");
	assert_int_equal(find_line(&l, "pgalloc_dma32 "), -1);
	assert_string_equal(l.v[l.n - 1], "nr_unstable 0");
	assert_int_equal(vmstat_counter("nr_free_pages") * 4,
			 proc_counter("/proc/meminfo", "MemFree:"));
	free_lines(&l);
	machine_destroy(m);
}

/* riscv64: zone events for DMA32, Normal and Movable; x86's
 * DEBUG_TLBFLUSH counters and direct-map splits are not there. */
static void test_vmstat_riscv64(void **state)
{
	struct machine *m = boot_machine("arch=riscv64", "ram=1G");
	struct lines l;

	(void)state;
	check_vmstat_lines(&l);
	ADJ(&l, "pgpgin", "pgpgout", "pswpin", "pswpout", "pgalloc_dma32",
	    "pgalloc_normal", "pgalloc_movable", "allocstall_dma32",
	    "allocstall_normal", "allocstall_movable", "pgskip_dma32",
	    "pgskip_normal", "pgskip_movable", "pgfree");
	ADJ(&l, "balloon_migrate", "swap_ra", "swap_ra_hit");
	assert_int_equal(find_line(&l, "pgalloc_dma "), -1);
	assert_int_equal(find_line(&l, "nr_tlb_remote_flush "), -1);
	assert_int_equal(find_line(&l, "direct_map_level2_splits "), -1);
	assert_string_equal(l.v[l.n - 1], "nr_unstable 0");
	/* The 64 vmalloc PMD tables and the slab pages, from DMA32. */
	assert_int_equal(vmstat_counter("pgalloc_dma32"), 64 + slab_pages());
	free_lines(&l);
	machine_destroy(m);
}

/* Boot frees every managed page through the allocator once
 * (memblock_free_all, free_initmem): pgfree = MemTotal in pages. Its only
 * allocations are mem_init's 64 PUD tables of the vmalloc range and the
 * slab pages of kmem_cache_init and vmalloc_init, all from DMA32 on 1G
 * (GFP_KERNEL, Normal empty): pgalloc_dma32 counts exactly those. */
static void test_vmstat_boot_counts_frees_and_slab_allocs(void **state)
{
	struct machine *m = boot_machine("ram=1G");

	(void)state;
	assert_int_equal(vmstat_counter("pgfree"), m->totalram_pages);
	assert_true(slab_pages() > 0);
	assert_int_equal(slabinfo_pages(), slab_pages());
	assert_int_equal(vmstat_counter("nr_page_table_pages"), 64);
	assert_int_equal(vmstat_counter("pgalloc_dma32"), 64 + slab_pages());
	assert_int_equal(vmstat_counter("pgalloc_dma"), 0);
	assert_int_equal(vmstat_counter("pgalloc_normal"), 0);
	assert_int_equal(vmstat_counter("pgalloc_movable"), 0);
	machine_destroy(m);
}

/* pgalloc_<zone> counts pages handed to callers (rmqueue), not the
 * batches that refill the pcp lists; pgfree counts pages callers free,
 * not the pcp lists draining into the buddy lists. numa_hit counts
 * allocations. Counted from boot's state with the pcp lists drained
 * (boot's allocations left part of a batch on CPU 0's). */
static void test_vmstat_pgalloc_pgfree_exact(void **state)
{
	struct machine *m = boot_machine("ram=1G");
	unsigned long a0, d0, f0, hit0, free0;
	struct page *p[100], *big, *dma;

	(void)state;
	drain_all_pages(NULL);
	a0 = vmstat_counter("pgalloc_dma32");
	d0 = vmstat_counter("pgalloc_dma");
	f0 = vmstat_counter("pgfree");
	hit0 = vmstat_counter("numa_hit");
	free0 = vmstat_counter("nr_free_pages");

	assert_non_null(p[0] = alloc_pages(GFP_KERNEL, 0));
	assert_int_equal(vmstat_counter("pgalloc_dma32"), a0 + 1);
	/* One page handed out, a whole batch (63) left the buddy lists. */
	assert_int_equal(vmstat_counter("nr_free_pages"), free0 - 63);
	for (int i = 1; i < 100; i++)
		assert_non_null(p[i] = alloc_pages(GFP_KERNEL, 0));
	assert_int_equal(vmstat_counter("pgalloc_dma32"), a0 + 100);
	assert_int_equal(vmstat_counter("numa_hit"), hit0 + 100);
	assert_int_equal(vmstat_counter("numa_local"), hit0 + 100);

	assert_non_null(big = alloc_pages(GFP_KERNEL, 5)); /* not via pcp */
	assert_int_equal(vmstat_counter("pgalloc_dma32"), a0 + 132);
	assert_non_null(dma = alloc_pages(GFP_KERNEL | __GFP_DMA, 2));
	assert_int_equal(vmstat_counter("pgalloc_dma"), d0 + 4);
	assert_int_equal(vmstat_counter("numa_hit"), hit0 + 102);

	for (int i = 0; i < 100; i++)
		__free_pages(p[i], 0);
	assert_int_equal(vmstat_counter("pgfree"), f0 + 100);
	__free_pages(big, 5);
	__free_pages(dma, 2);
	assert_int_equal(vmstat_counter("pgfree"), f0 + 136);
	/* Draining the pcp lists frees nothing new. */
	drain_all_pages(NULL);
	assert_int_equal(vmstat_counter("pgfree"), f0 + 136);
	assert_int_equal(vmstat_counter("nr_free_pages"), free0);
	assert_int_equal(vmstat_counter("pgalloc_dma32"), a0 + 132);
	assert_int_equal(check_page_alloc_invariants(), 0);
	machine_destroy(m);
}

/* mm/page-writeback.c: global_dirtyable_memory() = free - min(free,
 * totalreserve_pages) + file pages (+ 1), and domain_dirty_limits() with
 * ratios converted to per-PAGE_SIZE units: thresh = (20 * 4096 / 100) *
 * avail / 4096, bg = (10 * 4096 / 100) * avail / 4096. */
static void test_vmstat_dirty_thresholds_follow_linux(void **state)
{
	struct machine *m = boot_machine("ram=1G");
	unsigned long free = vmstat_counter("nr_free_pages");
	unsigned long file = vmstat_counter("nr_inactive_file") +
			     vmstat_counter("nr_active_file");
	unsigned long avail =
		free - min(free, m->totalreserve_pages) + file + 1;

	(void)state;
	assert_int_equal(vmstat_counter("nr_dirty_threshold"),
			 (20 * PAGE_SIZE / 100) * avail / PAGE_SIZE);
	assert_int_equal(vmstat_counter("nr_dirty_background_threshold"),
			 (10 * PAGE_SIZE / 100) * avail / PAGE_SIZE);
	machine_destroy(m);
}

/* ---- /proc/sys/vm and errors ------------------------------------------------------ */

static void test_sysctl_vm_defaults_read_back(void **state)
{
	static const struct {
		const char *path, *text;
	} want[] = {
		{ "/proc/sys/vm/lowmem_reserve_ratio", "256\t256\t32\t0\n" },
		{ "/proc/sys/vm/min_free_kbytes", "3996\n" },
		{ "/proc/sys/vm/percpu_pagelist_high_fraction", "0\n" },
		{ "/proc/sys/vm/watermark_boost_factor", "15000\n" },
		{ "/proc/sys/vm/watermark_scale_factor", "10\n" },
	};
	struct machine *m = boot_machine("ram=1G");

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(want); i++) {
		char *t = proc_text(want[i].path);

		if (strcmp(t, want[i].text))
			fail_msg("%s reads \"%s\"", want[i].path, t);
		free(t);
	}
	machine_destroy(m);
}

static void test_sysctl_written_value_reads_back(void **state)
{
	struct machine *m = boot_machine("ram=1G");
	char err[128];
	char *t;

	(void)state;
	assert_int_equal(proc_write("/proc/sys/vm/watermark_boost_factor",
				    " 1234\n", err, sizeof(err)),
			 0);
	t = proc_text("/proc/sys/vm/watermark_boost_factor");
	assert_string_equal(t, "1234\n");
	free(t);
	machine_destroy(m);
}

static void test_proc_read_unknown_path_is_enoent(void **state)
{
	static const char *const bad[] = {
		"/proc/nonexistent", "/proc/meminfo/",
		"/proc/sys/vm/",     "/proc/sys/vm/swappiness_typo",
		"proc/meminfo",	     "",
		"/proc/MEMINFO",
	};
	struct machine *m = boot_machine("ram=512M");
	struct seq_file s;

	(void)state;
	seq_init(&s);
	seq_puts(&s, "kept");
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++)
		assert_int_equal(proc_read(bad[i], &s), -ENOENT);
	assert_string_equal(seq_text(&s), "kept");
	/* proc_read appends. */
	assert_int_equal(proc_read("/proc/sys/vm/watermark_scale_factor", &s),
			 0);
	assert_string_equal(seq_text(&s), "kept10\n");
	seq_release(&s);
	machine_destroy(m);
}

static void test_proc_write_errors(void **state)
{
	static const char *const read_only[] = {
		"/proc/meminfo",   "/proc/vmstat",	 "/proc/zoneinfo",
		"/proc/buddyinfo", "/proc/pagetypeinfo",
	};
	struct machine *m = boot_machine("ram=512M");
	char *before = proc_text("/proc/meminfo");
	char err[256];

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(read_only); i++) {
		err[0] = '\0';
		assert_int_equal(proc_write(read_only[i], "1", err,
					    sizeof(err)),
				 -EACCES);
		assert_non_null(strstr(err, read_only[i]));
	}
	err[0] = '\0';
	assert_int_equal(proc_write("/proc/sys/vm/nope", "1", err, sizeof(err)),
			 -ENOENT);
	assert_non_null(strstr(err, "/proc/sys/vm/nope"));
	{
		char *after = proc_text("/proc/meminfo");

		assert_string_equal(after, before);
		free(after);
	}
	free(before);
	machine_destroy(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_buddyinfo_format,
					  destroy_current),
		cmocka_unit_test_teardown(test_buddyinfo_numa_and_i386,
					  destroy_current),
		cmocka_unit_test_teardown(test_buddyinfo_and_zoneinfo_riscv64,
					  destroy_current),
		cmocka_unit_test_teardown(test_zoneinfo_1G_line_sequence,
					  destroy_current),
		cmocka_unit_test_teardown(test_zoneinfo_numa_per_node_stats,
					  destroy_current),
		cmocka_unit_test_teardown(test_pagetypeinfo_format_x86_64,
					  destroy_current),
		cmocka_unit_test_teardown(
			test_pagetypeinfo_i386_blocks_are_order_10,
			destroy_current),
		cmocka_unit_test_teardown(
			test_pagetypeinfo_numa_repeats_header_per_node,
			destroy_current),
		cmocka_unit_test_teardown(test_meminfo_fields_and_format_x86_64,
					  destroy_current),
		cmocka_unit_test_teardown(test_meminfo_fields_and_format_i386,
					  destroy_current),
		cmocka_unit_test_teardown(test_meminfo_fields_and_format_riscv64,
					  destroy_current),
		cmocka_unit_test_teardown(test_meminfo_has_balloon_line,
					  destroy_current),
		cmocka_unit_test_teardown(test_meminfo_tracks_allocations,
					  destroy_current),
		cmocka_unit_test_teardown(test_vmstat_format_and_order_x86_64,
					  destroy_current),
		cmocka_unit_test_teardown(test_vmstat_zone_events_i386,
					  destroy_current),
		cmocka_unit_test_teardown(test_vmstat_riscv64, destroy_current),
		cmocka_unit_test_teardown(
			test_vmstat_boot_counts_frees_and_slab_allocs,
			destroy_current),
		cmocka_unit_test_teardown(test_vmstat_pgalloc_pgfree_exact,
					  destroy_current),
		cmocka_unit_test_teardown(
			test_vmstat_dirty_thresholds_follow_linux,
			destroy_current),
		cmocka_unit_test_teardown(test_sysctl_vm_defaults_read_back,
					  destroy_current),
		cmocka_unit_test_teardown(test_sysctl_written_value_reads_back,
					  destroy_current),
		cmocka_unit_test_teardown(test_proc_read_unknown_path_is_enoent,
					  destroy_current),
		cmocka_unit_test_teardown(test_proc_write_errors,
					  destroy_current),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
