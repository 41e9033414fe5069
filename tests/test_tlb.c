/* The TLB model and Linux's TLB maintenance: exact hits, misses, walks
 * and evictions for known access sequences on the default geometry
 * (dTLB 64 entries 4-way = 16 sets, STLB 1536 12-way = 128 sets, LRU
 * inside a set), huge-page arrays and fracturing, the iTLB, CR3 loads
 * with and without PCID (and the recycling of the 6 PCID slots),
 * flush_tlb_mm_range's single-page ceiling, shootdowns to the CPUs of an
 * mm's cpumask with the vmstat nr_tlb_* counters, lazy TLB mode, kernel
 * flushes, /proc/mmsim/tlb, the TLB options' errors, and the same TLBs
 * on riscv64 Sv39 and Sv48 (no ASIDs, global kernel entries, its flush
 * threshold of 64 pages). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "arch/tlbflush.h"
#include "base/prng.h"
#include "kernel/machine.h"
#include "mm/mm.h"
#include "mm/vmstat.h"

#include "helpers.h"
#include "pgtable_helpers.h"

#define GiB (1UL << 30)
#define MiB (1UL << 20)
#define BASE 0x10000000UL /* 256M: pages below are the test's data */
#define PAGES 4096 /* BASE .. BASE + 16M mapped 4K */

static struct mm_struct mms[8];

/* An mm with PAGES 4K pages at BASE, a 2M page at 2G and a 1G page at
 * 4G (writable, executable). */
static struct mm_struct *mapped_mm(int i)
{
	struct mm_struct *mm = &mms[i];

	assert_int_equal(mm_pgtable_init(mm), 0);
	map_or_fail(mm, BASE, PAGES * PAGE_SIZE, 0x1000, PAGE_SHARED_EXEC,
		    PAGE_SIZE);
	map_or_fail(mm, 2 * GiB, 2 * MiB, 0x200, PAGE_SHARED_EXEC, PMD_SIZE);
	map_or_fail(mm, 4 * GiB, GiB, 0x40000, PAGE_SHARED_EXEC, PUD_SIZE);
	return mm;
}

static void drop_mm(struct mm_struct *mm)
{
	unmap_range(mm, 0, TASK_SIZE_MAX, 0, 0);
	mm_pgtable_exit(mm);
}

static unsigned long page(unsigned long n)
{
	return BASE + n * PAGE_SIZE;
}

static void rd(int cpu, struct mm_struct *mm, unsigned long va)
{
	xlate_ok(cpu, mm, va, MMU_READ, MMU_USER);
}

/* Counter deltas over a sequence. */
struct snap {
	struct tlb_stats s;
};

static void snap(struct snap *sn, int cpu)
{
	sn->s = *cpu_tlb_stats(cpu);
}

#define DELTA(sn, cpu, f) (cpu_tlb_stats(cpu)->f - (sn)->s.f)

static void boot_default(const char *pcid)
{
	boot_machine("ram=6G", "cpus=4", pcid);
}

/* ---- hits, misses, walks, evictions ------------------------------------------ */

static void test_first_touch_walks_then_hits(void **state)
{
	struct mm_struct *mm;
	struct snap sn;

	(void)state;
	boot_default("pcid=1");
	mm = mapped_mm(0);
	snap(&sn, 0);
	rd(0, mm, page(0));
	assert_int_equal(DELTA(&sn, 0, dtlb_misses), 1);
	assert_int_equal(DELTA(&sn, 0, stlb_misses), 1);
	assert_int_equal(DELTA(&sn, 0, page_walks), 1);
	assert_int_equal(DELTA(&sn, 0, walk_steps), 4);
	for (int i = 0; i < 10; i++)
		rd(0, mm, page(0) + (unsigned long)i * 8);
	assert_int_equal(DELTA(&sn, 0, dtlb_hits), 10);
	assert_int_equal(DELTA(&sn, 0, page_walks), 1);
	drop_mm(mm);
}

/* Pages 16 apart share an L1 set (16 sets) but not an STLB set. */
static void test_l1_lru_within_a_set(void **state)
{
	struct mm_struct *mm;
	struct snap sn;

	(void)state;
	boot_default("pcid=1");
	mm = mapped_mm(0);
	for (int i = 0; i < 4; i++)
		rd(0, mm, page(16 * i)); /* fills set 0 */
	snap(&sn, 0);
	rd(0, mm, page(0)); /* hit; 16 is now the LRU way */
	rd(0, mm, page(64)); /* miss, evicts 16 */
	assert_int_equal(DELTA(&sn, 0, dtlb_evictions), 1);
	rd(0, mm, page(0)); /* hit: not evicted (LRU, not FIFO) */
	rd(0, mm, page(16)); /* L1 miss, STLB hit, evicts 32 */
	rd(0, mm, page(32)); /* L1 miss, STLB hit, evicts 48 */
	assert_int_equal(DELTA(&sn, 0, dtlb_hits), 2);
	assert_int_equal(DELTA(&sn, 0, dtlb_misses), 3);
	assert_int_equal(DELTA(&sn, 0, stlb_hits), 2);
	assert_int_equal(DELTA(&sn, 0, stlb_misses), 1);
	assert_int_equal(DELTA(&sn, 0, page_walks), 1);
	assert_int_equal(DELTA(&sn, 0, dtlb_evictions), 3);
	assert_int_equal(DELTA(&sn, 0, stlb_evictions), 0);
	drop_mm(mm);
}

/* Pages 128 apart share an STLB set (128 sets, 12 ways). */
static void test_stlb_lru_within_a_set(void **state)
{
	struct mm_struct *mm;
	struct snap sn;

	(void)state;
	boot_default("pcid=1");
	mm = mapped_mm(0);
	snap(&sn, 0);
	for (int i = 0; i < 13; i++)
		rd(0, mm, page(128 * i));
	assert_int_equal(DELTA(&sn, 0, page_walks), 13);
	assert_int_equal(DELTA(&sn, 0, stlb_evictions), 1); /* page 0 */
	assert_int_equal(DELTA(&sn, 0, dtlb_evictions), 9);
	rd(0, mm, page(128)); /* L1 missed (evicted), STLB still holds it */
	assert_int_equal(DELTA(&sn, 0, stlb_hits), 1);
	rd(0, mm, page(0)); /* gone from both: a walk */
	assert_int_equal(DELTA(&sn, 0, page_walks), 14);
	assert_int_equal(DELTA(&sn, 0, stlb_evictions), 2);
	drop_mm(mm);
}

/* ---- a reference model of exact LRU ------------------------------------------ */

/* A set as a list of pages, most recently used first. */
struct lru_set {
	unsigned long page[16];
	int n;
};

static int lru_find(const struct lru_set *s, unsigned long p)
{
	for (int i = 0; i < s->n; i++)
		if (s->page[i] == p)
			return i;
	return -1;
}

static void lru_remove(struct lru_set *s, int i)
{
	memmove(&s->page[i], &s->page[i + 1],
		(size_t)(s->n - i - 1) * sizeof(s->page[0]));
	s->n--;
}

/* Makes p the most recently used; returns whether one was evicted. */
static bool lru_use(struct lru_set *s, int ways, unsigned long p)
{
	int i = lru_find(s, p);
	bool evicted = false;

	if (i >= 0) {
		lru_remove(s, i);
	} else if (s->n == ways) {
		s->n--;
		evicted = true;
	}
	memmove(&s->page[1], &s->page[0], (size_t)s->n * sizeof(s->page[0]));
	s->page[0] = p;
	s->n++;
	return evicted;
}

/* Random reads, single-page flushes and full flushes of 4K pages that
 * crowd a few sets of both levels, each step's counters checked against
 * a model: a dTLB of 16 sets of 4 and an STLB of 128 sets of 12, each
 * set a list in order of use, a miss filling the STLB (after a walk)
 * and then the dTLB, a flush dropping the page from both. */
static void test_lru_matches_a_reference_model(void **state)
{
	static struct lru_set l1[16], l2[128];
	struct mm_struct *mm;
	struct prng rng;
	struct snap sn;

	(void)state;
	boot_default("pcid=1");
	mm = mapped_mm(0);
	rd(0, mm, page(0)); /* CPU 0 runs mm */
	flush_tlb_local();
	prng_seed(&rng, 42);
	for (int step = 0; step < 200000; step++) {
		/* 4 STLB sets' worth of pages (16 each), over 4 L1 sets */
		unsigned long p = 128 * prng_below(&rng, 16) +
				  16 * prng_below(&rng, 4) +
				  prng_below(&rng, 2);
		unsigned r = (unsigned)prng_below(&rng, 100);
		struct lru_set *a = &l1[p % 16], *b = &l2[p % 128];
		int hit1 = lru_find(a, p) >= 0, hit2 = lru_find(b, p) >= 0;
		int ev1 = 0, ev2 = 0;

		snap(&sn, 0);
		if (r == 0) {
			flush_tlb_local();
			memset(l1, 0, sizeof(l1));
			memset(l2, 0, sizeof(l2));
			continue;
		}
		if (r < 4) {
			flush_tlb_one_user(page(p));
			if (hit1)
				lru_remove(a, lru_find(a, p));
			if (hit2)
				lru_remove(b, lru_find(b, p));
			continue;
		}
		rd(0, mm, page(p));
		if (!hit1) {
			if (hit2) {
				lru_use(b, 12, p);
			} else {
				ev2 = lru_use(b, 12, p);
			}
		}
		ev1 = lru_use(a, 4, p);
		if (hit1)
			ev1 = 0;
		assert_int_equal(DELTA(&sn, 0, dtlb_hits), hit1);
		assert_int_equal(DELTA(&sn, 0, stlb_hits), !hit1 && hit2);
		assert_int_equal(DELTA(&sn, 0, page_walks), !hit1 && !hit2);
		assert_int_equal(DELTA(&sn, 0, dtlb_evictions), ev1);
		assert_int_equal(DELTA(&sn, 0, stlb_evictions), ev2);
	}
	drop_mm(mm);
}

static void test_huge_pages_and_fracturing(void **state)
{
	struct mm_struct *mm;
	struct snap sn;

	(void)state;
	boot_default("pcid=1");
	mm = mapped_mm(0);
	snap(&sn, 0);
	rd(0, mm, 2 * GiB + 0x1000);
	assert_int_equal(DELTA(&sn, 0, walk_steps), 3);
	rd(0, mm, 2 * GiB + 0x1fffff);
	rd(0, mm, 4 * GiB + 0x123);
	assert_int_equal(DELTA(&sn, 0, walk_steps), 3 + 2);
	rd(0, mm, 4 * GiB + GiB - 1);
	assert_int_equal(DELTA(&sn, 0, dtlb_hits), 2);
	assert_int_equal(DELTA(&sn, 0, page_walks), 2);
	/* The iTLB has no 1G array: the page is cached in 2M fractions
	 * (each fraction misses the iTLB once, the STLB holds the 1G). */
	snap(&sn, 0);
	xlate_ok(0, mm, 4 * GiB, MMU_EXEC, MMU_USER);
	xlate_ok(0, mm, 4 * GiB + 3 * MiB, MMU_EXEC, MMU_USER);
	xlate_ok(0, mm, 4 * GiB + 2 * MiB + 5, MMU_EXEC, MMU_USER);
	assert_int_equal(DELTA(&sn, 0, itlb_misses), 2);
	assert_int_equal(DELTA(&sn, 0, itlb_hits), 1);
	assert_int_equal(DELTA(&sn, 0, stlb_hits), 2);
	assert_int_equal(DELTA(&sn, 0, page_walks), 0);
	assert_int_equal(DELTA(&sn, 0, dtlb_hits) + DELTA(&sn, 0, dtlb_misses),
			 0);
	drop_mm(mm);
}

static void test_geometry_is_configurable(void **state)
{
	struct mm_struct *mm;
	struct snap sn;

	(void)state;
	/* A direct-mapped 8-entry dTLB and a tiny STLB. */
	boot_machine("ram=1G", "tlb.dtlb=8:1", "tlb.stlb=16:2",
		     "tlb.dtlb1g=0:1");
	mm = &mms[0];
	assert_int_equal(mm_pgtable_init(mm), 0);
	map_or_fail(mm, BASE, 64 * PAGE_SIZE, 0x1000, PAGE_SHARED, PAGE_SIZE);
	snap(&sn, 0);
	rd(0, mm, page(0));
	rd(0, mm, page(8)); /* same set of a 1-way array */
	rd(0, mm, page(0)); /* L1 miss, STLB hit (set 0 has 2 ways) */
	rd(0, mm, page(16)); /* STLB set 0 again: evicts 8 (LRU) */
	rd(0, mm, page(8));
	assert_int_equal(DELTA(&sn, 0, dtlb_misses), 5);
	assert_int_equal(DELTA(&sn, 0, stlb_hits), 1);
	assert_int_equal(DELTA(&sn, 0, page_walks), 4);
	assert_int_equal(DELTA(&sn, 0, stlb_evictions), 2);
	drop_mm(mm);
}

static void test_tlb_option_errors(void **state)
{
	struct machine_config cfg;
	char err[256];

	(void)state;
	machine_config_default(&cfg);
	assert_false(
		machine_config_set(&cfg, "tlb.dtlb", "65:4", err, sizeof(err)));
	assert_string_equal(
		err,
		"mmsim.tlb.dtlb=65:4: expected ENTRIES:WAYS with ENTRIES 0..65536 a multiple of WAYS 1..64 and a power-of-two number of sets (e.g. 64:4, 1536:12)");
	assert_false(machine_config_set(&cfg, "tlb.stlb", "1536:7", err,
					sizeof(err)));
	assert_false(
		machine_config_set(&cfg, "tlb.l3", "64:4", err, sizeof(err)));
	assert_string_equal(
		err,
		"mmsim.tlb.l3: unknown TLB (accepted: dtlb, dtlb2m, dtlb1g, itlb, itlb2m, stlb, stlb1g)");
	assert_false(machine_config_set(&cfg, "pcid", "2", err, sizeof(err)));
	assert_string_equal(err, "mmsim.pcid=2: expected 0 or 1");
	assert_true(machine_config_set(&cfg, "tlb.stlb", "2048:16", err,
				       sizeof(err)));
	assert_true(machine_config_set(&cfg, "arch", "i386", err, sizeof(err)));
	assert_true(machine_config_set(&cfg, "la57", "1", err, sizeof(err)));
	assert_false(machine_config_check(&cfg, err, sizeof(err)));
	assert_string_equal(
		err,
		"mmsim.la57=1: needs --arch x86_64 (i386 has no such feature)");
}

/* ---- riscv64 ---------------------------------------------------------------------- */

/* Hits, misses, walks and page sizes on riscv, levels levels deep. */
static void check_riscv_tlb(int levels)
{
	unsigned long ram = PFN_DOWN(M->phys_ram_base);
	struct mm_struct *a = &mms[0], *b = &mms[1];
	struct snap sn;

	assert_int_equal(mm_pgtable_init(a), 0);
	assert_int_equal(mm_pgtable_init(b), 0);
	map_or_fail(a, BASE, 128 * PAGE_SIZE, ram + 0x1000, PAGE_SHARED_EXEC,
		    PAGE_SIZE);
	map_or_fail(a, 2 * GiB, 2 * MiB, ram + 0x200, PAGE_SHARED_EXEC,
		    PMD_SIZE);
	map_or_fail(a, 4 * GiB, GiB, ram, PAGE_SHARED_EXEC, PUD_SIZE);
	map_or_fail(b, BASE, PAGE_SIZE, ram + 0x2000, PAGE_SHARED, PAGE_SIZE);
	snap(&sn, 1);
	rd(1, a, page(0));
	assert_int_equal(DELTA(&sn, 1, page_walks), 1);
	assert_int_equal(DELTA(&sn, 1, walk_steps), levels);
	for (int i = 0; i < 10; i++)
		rd(1, a, page(0) + (unsigned long)i * 8);
	assert_int_equal(DELTA(&sn, 1, dtlb_hits), 10);
	/* A 2M leaf is one level up, a 1G leaf two; then hits. */
	rd(1, a, 2 * GiB + 0x1000);
	rd(1, a, 2 * GiB + 0x1fffff);
	rd(1, a, 4 * GiB + 0x123);
	rd(1, a, 4 * GiB + GiB - 1);
	assert_int_equal(DELTA(&sn, 1, walk_steps),
			 levels + (levels - 1) + (levels - 2));
	assert_int_equal(DELTA(&sn, 1, dtlb_hits), 12);
	/* Fetches fill the iTLB; the 1G page in 2M fractions. */
	xlate_ok(1, a, 4 * GiB, MMU_EXEC, MMU_USER);
	xlate_ok(1, a, 4 * GiB + 5, MMU_EXEC, MMU_USER);
	assert_int_equal(DELTA(&sn, 1, itlb_misses), 1);
	assert_int_equal(DELTA(&sn, 1, itlb_hits), 1);
	assert_int_equal(DELTA(&sn, 1, stlb_hits), 1);
	/* No ASIDs: switching to b flushes a's entries but not the
	 * linear map's, which are global. */
	xlate_ok(1, a, PAGE_OFFSET + 0x45000, MMU_READ, MMU_KERNEL);
	rd(1, b, page(0));
	snap(&sn, 1);
	assert_int_equal(xlate_ok(1, b, PAGE_OFFSET + 0x45000, MMU_READ,
				  MMU_KERNEL),
			 PFN_PHYS(ram) + 0x45000);
	assert_int_equal(DELTA(&sn, 1, dtlb_hits), 1);
	rd(1, a, page(0));
	assert_int_equal(DELTA(&sn, 1, page_walks), 1);
	assert_int_equal(DELTA(&sn, 1, cr3_loads), 1);
	/* tlb_flush_all_threshold: 64 pages one by one, 65 flush all. */
	for (int i = 0; i < 65; i++)
		rd(1, a, page(i));
	M->this_cpu = 1;
	snap(&sn, 1);
	flush_tlb_mm_range(a, page(0), page(64), PAGE_SHIFT, false);
	assert_int_equal(DELTA(&sn, 1, invlpg), 64);
	assert_int_equal(DELTA(&sn, 1, flushes), 0);
	flush_tlb_mm_range(a, page(0), page(65), PAGE_SHIFT, false);
	assert_int_equal(DELTA(&sn, 1, invlpg), 64);
	assert_int_equal(DELTA(&sn, 1, flushes), 1);
	M->this_cpu = 0;
	drop_mm(a);
	drop_mm(b);
}

static void test_riscv_tlb(void **state)
{
	char *text;

	(void)state;
	boot_machine("arch=riscv64", "ram=6G", "cpus=2");
	check_riscv_tlb(3);
	/* CONFIG_DEBUG_TLBFLUSH is x86's: no nr_tlb_* in /proc/vmstat. */
	text = proc_text("/proc/vmstat");
	assert_null(strstr(text, "nr_tlb_"));
	free(text);
	machine_destroy(M);
	boot_machine("arch=riscv64", "ram=6G", "cpus=2", "sv48=1");
	check_riscv_tlb(4);
}

/* ---- address-space switches -------------------------------------------------------- */

static void test_cr3_load_without_pcid_flushes(void **state)
{
	struct mm_struct *a, *b;
	struct snap sn;

	(void)state;
	boot_default("pcid=0");
	a = mapped_mm(0);
	b = mapped_mm(1);
	rd(0, a, page(1));
	xlate_ok(0, a, PAGE_OFFSET + 0x5000, MMU_READ, MMU_KERNEL);
	rd(0, b, page(2)); /* switch_mm: CR3 load, non-global entries go */
	snap(&sn, 0);
	rd(0, a, page(1));
	assert_int_equal(DELTA(&sn, 0, dtlb_misses), 1);
	assert_int_equal(DELTA(&sn, 0, stlb_misses), 1);
	assert_int_equal(DELTA(&sn, 0, cr3_loads), 1);
	/* The direct map is global: it survives. */
	xlate_ok(0, a, PAGE_OFFSET + 0x5000, MMU_READ, MMU_KERNEL);
	assert_int_equal(DELTA(&sn, 0, dtlb_hits), 1);
	drop_mm(a);
	drop_mm(b);
}

static void test_pcid_entries_survive_switches(void **state)
{
	struct mm_struct *m[7];
	struct snap sn;

	(void)state;
	boot_default("pcid=1");
	for (int i = 0; i < 7; i++)
		m[i] = mapped_mm(i);
	rd(0, m[0], page(1));
	rd(0, m[1], page(1));
	snap(&sn, 0);
	rd(0, m[0], page(1)); /* tagged with its PCID: still there */
	assert_int_equal(DELTA(&sn, 0, dtlb_hits), 1);
	assert_int_equal(DELTA(&sn, 0, cr3_loads), 1);
	assert_int_equal(DELTA(&sn, 0, flushes), 0);
	/* Six slots (init_mm holds slot 0): m[0..4] take 1..5, m[5] takes
	 * 0 and m[6] takes 1 from m[0], whose next load flushes. */
	for (int i = 2; i < 7; i++)
		rd(0, m[i], page(1));
	snap(&sn, 0);
	rd(0, m[4], page(1));
	assert_int_equal(DELTA(&sn, 0, dtlb_hits), 1);
	rd(0, m[0], page(1));
	assert_int_equal(DELTA(&sn, 0, dtlb_misses), 1);
	assert_int_equal(DELTA(&sn, 0, flushes), 1);
	assert_int_equal(mmu_cpu(M->mmu, 0)->state.loaded_mm_asid, 2);
	for (int i = 0; i < 7; i++)
		drop_mm(m[i]);
}

/* ---- flushes -------------------------------------------------------------------------- */

static void test_flush_range_ceiling(void **state)
{
	struct mm_struct *mm;
	unsigned long one, all;
	struct snap sn;

	(void)state;
	boot_default("pcid=1");
	mm = mapped_mm(0);
	for (int i = 0; i < 40; i++)
		rd(0, mm, page(i));
	one = vmstat_counter("nr_tlb_local_flush_one");
	all = vmstat_counter("nr_tlb_local_flush_all");
	flush_tlb_mm_range(mm, page(3), page(4), PAGE_SHIFT, false);
	assert_int_equal(vmstat_counter("nr_tlb_local_flush_one"), one + 1);
	snap(&sn, 0);
	rd(0, mm, page(3));
	rd(0, mm, page(4));
	assert_int_equal(DELTA(&sn, 0, dtlb_misses), 1);
	/* 33 pages one by one; 34 and more flush the whole mm. */
	flush_tlb_mm_range(mm, page(0), page(33), PAGE_SHIFT, false);
	assert_int_equal(vmstat_counter("nr_tlb_local_flush_one"), one + 34);
	assert_int_equal(vmstat_counter("nr_tlb_local_flush_all"), all);
	flush_tlb_mm_range(mm, page(0), page(34), PAGE_SHIFT, false);
	assert_int_equal(vmstat_counter("nr_tlb_local_flush_all"), all + 1);
	flush_tlb_mm(mm);
	assert_int_equal(vmstat_counter("nr_tlb_local_flush_all"), all + 2);
	assert_int_equal(vmstat_counter("nr_tlb_remote_flush"), 0);
	/* Not loaded anywhere: nothing to do, nothing counted. */
	xlate_ok(0, &init_mm, PAGE_OFFSET, MMU_READ, MMU_KERNEL);
	flush_tlb_mm(&mms[0]);
	assert_int_equal(vmstat_counter("nr_tlb_local_flush_all"), all + 2);
	drop_mm(mm);
}

static void test_shootdowns(void **state)
{
	struct mm_struct *mm, *other;
	struct snap s1, s3;

	(void)state;
	boot_default("pcid=1");
	mm = mapped_mm(0);
	other = mapped_mm(1);
	for (int cpu = 0; cpu < 3; cpu++)
		rd(cpu, mm, page(7));
	rd(3, other, page(7));
	snap(&s1, 1);
	snap(&s3, 3);
	flush_tlb_mm_range(mm, page(7), page(8), PAGE_SHIFT, false);
	assert_int_equal(vmstat_counter("nr_tlb_remote_flush"), 1);
	assert_int_equal(vmstat_counter("nr_tlb_remote_flush_received"), 2);
	assert_int_equal(vmstat_counter("nr_tlb_local_flush_one"), 1);
	assert_int_equal(DELTA(&s1, 1, invlpg), 1);
	assert_int_equal(DELTA(&s3, 3, invlpg), 0);
	rd(1, mm, page(7));
	rd(3, other, page(7));
	assert_int_equal(DELTA(&s1, 1, dtlb_misses), 1);
	assert_int_equal(DELTA(&s3, 3, dtlb_hits), 1);
	/* A CPU that switched away left the cpumask: no IPI for it. */
	rd(2, other, page(7));
	flush_tlb_mm(mm);
	assert_int_equal(vmstat_counter("nr_tlb_remote_flush"), 2);
	assert_int_equal(vmstat_counter("nr_tlb_remote_flush_received"), 3);
	assert_int_equal(vmstat_counter("nr_tlb_local_flush_all"), 1);
	drop_mm(mm);
	drop_mm(other);
}

static void test_lazy_tlb(void **state)
{
	struct mm_struct *mm;
	struct snap sn;

	(void)state;
	boot_default("pcid=1");
	mm = mapped_mm(0);
	rd(0, mm, page(9));
	rd(1, mm, page(9));
	rd(2, mm, page(9));
	/* CPU 1 runs a kernel thread now: it keeps mm loaded, lazily. */
	M->this_cpu = 1;
	enter_lazy_tlb(mm, NULL);
	M->this_cpu = 0;
	flush_tlb_mm_range(mm, page(9), page(10), PAGE_SHIFT, false);
	assert_int_equal(vmstat_counter("nr_tlb_remote_flush"), 1);
	assert_int_equal(vmstat_counter("nr_tlb_remote_flush_received"), 1);
	/* Back to a task of mm: the skipped flush happens now. */
	snap(&sn, 1);
	rd(1, mm, page(9));
	assert_int_equal(DELTA(&sn, 1, flushes), 1);
	assert_int_equal(DELTA(&sn, 1, dtlb_misses), 1);
	/* Page tables freed: lazy CPUs get the IPI and drop the mm. */
	M->this_cpu = 1;
	enter_lazy_tlb(mm, NULL);
	M->this_cpu = 0;
	flush_tlb_mm(mm);
	assert_int_equal(vmstat_counter("nr_tlb_remote_flush_received"), 3);
	assert_ptr_equal(mmu_cpu(M->mmu, 1)->state.loaded_mm, &init_mm);
	assert_false(cpumask_test_cpu(1, mm_cpumask(mm)));
	assert_true(cpumask_test_cpu(2, mm_cpumask(mm)));
	drop_mm(mm);
}

static void test_kernel_flushes(void **state)
{
	struct snap sn[4];
	unsigned long kva;

	(void)state;
	boot_default("pcid=1");
	kva = PAGE_OFFSET + 0x5000;
	for (int cpu = 0; cpu < 4; cpu++) {
		xlate_ok(cpu, &init_mm, kva, MMU_READ, MMU_KERNEL);
		snap(&sn[cpu], cpu);
	}
	flush_tlb_kernel_range(kva, kva + PAGE_SIZE);
	assert_int_equal(vmstat_counter("nr_tlb_remote_flush_received"), 0);
	for (int cpu = 0; cpu < 4; cpu++) {
		assert_int_equal(DELTA(&sn[cpu], cpu, invlpg), 1);
		xlate_ok(cpu, &init_mm, kva, MMU_READ, MMU_KERNEL);
		assert_int_equal(DELTA(&sn[cpu], cpu, dtlb_misses), 1);
	}
	/* Above 33 pages: every CPU flushes everything. */
	flush_tlb_kernel_range(kva, kva + 34 * PAGE_SIZE);
	assert_int_equal(vmstat_counter("nr_tlb_remote_flush"), 0);
	assert_int_equal(vmstat_counter("nr_tlb_remote_flush_received"), 4);
	flush_tlb_all();
	assert_int_equal(vmstat_counter("nr_tlb_remote_flush"), 1);
	assert_int_equal(vmstat_counter("nr_tlb_remote_flush_received"), 8);
	xlate_ok(2, &init_mm, kva, MMU_READ, MMU_KERNEL);
	assert_int_equal(DELTA(&sn[2], 2, dtlb_misses), 2);
}

/* ---- /proc/mmsim/tlb --------------------------------------------------------------------- */

static void test_proc_mmsim_tlb(void **state)
{
	struct mm_struct *mm;
	char *text;
	unsigned long sum = 0;

	(void)state;
	boot_machine("ram=3G", "cpus=2");
	mm = mapped_mm(0);
	rd(0, mm, page(0));
	rd(1, mm, page(0));
	rd(1, mm, page(0));
	xlate_ok(1, mm, page(1), MMU_EXEC, MMU_USER);
	text = proc_text("/proc/mmsim/tlb");
	assert_non_null(strstr(
		text,
		"dtlb_hits 1\ndtlb_misses 2\nitlb_hits 0\nitlb_misses 1\n"));
	assert_non_null(
		strstr(text, "\ncpu1_dtlb_hits 1\ncpu1_dtlb_misses 1\n"));
	for (const char *p = text; *p; p = strchr(p, '\n') + 1) {
		char name[64];
		unsigned long v;

		assert_int_equal(sscanf(p, "%63s %lu", name, &v), 2);
		if (!strcmp(name, "cpu0_page_walks") ||
		    !strcmp(name, "cpu1_page_walks"))
			sum += v;
	}
	assert_int_equal(proc_counter("/proc/mmsim/tlb", "page_walks"), sum);
	assert_int_equal(sum, 3);
	free(text);
	drop_mm(mm);
}

#define T(f) cmocka_unit_test_teardown(f, destroy_current)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_first_touch_walks_then_hits),
		T(test_l1_lru_within_a_set),
		T(test_stlb_lru_within_a_set),
		T(test_lru_matches_a_reference_model),
		T(test_huge_pages_and_fracturing),
		T(test_geometry_is_configurable),
		T(test_tlb_option_errors),
		T(test_riscv_tlb),
		T(test_cr3_load_without_pcid_flushes),
		T(test_pcid_entries_survive_switches),
		T(test_flush_range_ceiling),
		T(test_shootdowns),
		T(test_lazy_tlb),
		T(test_kernel_flushes),
		T(test_proc_mmsim_tlb),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
