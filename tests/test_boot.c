/* Machine configuration and boot: every bad option is refused with a
 * message naming the option and the accepted range; the supported sizes,
 * arches, node and CPU counts boot to a consistent allocator; the boot
 * log has Linux's lines with numbers that agree with /proc; boots are
 * deterministic; machines are independent; NUMA nodes own their memory. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fs/proc/proc.h"
#include "kernel/machine.h"
#include "kernel/sched.h"
#include "mm/internal.h"
#include "mm/memblock.h"
#include "mm/mm.h"
#include "mm/vmstat.h"
#include "tests/helpers.h"

/* ---- helpers ------------------------------------------------------------ */

/* Applies "key=value" options to a default config; fails the test if
 * machine_config_set refuses one. */
static void config_from(struct machine_config *cfg, const char *const *opts)
{
	char err[256];

	machine_config_default(cfg);
	for (; *opts; opts++) {
		const char *eq = strchr(*opts, '=');
		char key[64];

		assert_non_null(eq);
		snprintf(key, sizeof(key), "%.*s", (int)(eq - *opts), *opts);
		if (!strncmp(key, "vm.", 3))
			fail_msg("config_from: use boot_machine() for vm.*");
		if (!machine_config_set(cfg, key, eq + 1, err, sizeof(err)))
			fail_msg("machine_config_set(%s, %s): %s", key, eq + 1,
				 err);
	}
}

/* machine_config_set(key, value) is refused and the message contains
 * every string in want[]. */
static void assert_set_refused(const char *key, const char *value,
			       const char *const *want)
{
	struct machine_config cfg, before;
	char err[256] = "";

	machine_config_default(&cfg);
	before = cfg;
	if (machine_config_set(&cfg, key, value, err, sizeof(err)))
		fail_msg("machine_config_set(%s, \"%s\") was accepted", key,
			 value);
	for (; *want; want++)
		if (!strstr(err, *want))
			fail_msg(
				"machine_config_set(%s, \"%s\"): \"%s\" lacks \"%s\"",
				key, value, err, *want);
	/* A refused value changes nothing. */
	assert_memory_equal(&cfg, &before, sizeof(cfg));
}

#define assert_set_refused_with(key, value, ...) \
	assert_set_refused(key, value,           \
			   (const char *const[]){ __VA_ARGS__, NULL })

/* Boot with these options fails; the message contains every want[]. The
 * current machine is left as it was. */
static void assert_boot_refused(const char *const *opts,
				const char *const *want)
{
	struct machine_config cfg;
	struct machine *before = cur_machine, *m;
	char err[256] = "";

	config_from(&cfg, opts);
	m = machine_boot(&cfg, err, sizeof(err));
	if (m) {
		machine_destroy(m);
		fail_msg("boot with %s... succeeded", opts[0]);
	}
	assert_ptr_equal(cur_machine, before);
	for (; *want; want++)
		if (!strstr(err, *want))
			fail_msg("boot refused with \"%s\", which lacks \"%s\"",
				 err, *want);
}

#define OPTS(...) ((const char *const[]){ __VA_ARGS__, NULL })
#define assert_boot_refused_with(opts, ...) \
	assert_boot_refused(opts, (const char *const[]){ __VA_ARGS__, NULL })

static unsigned long meminfo_kb(const char *label)
{
	return proc_counter("/proc/meminfo", label);
}

static unsigned long sum_zones(unsigned long (*get)(const struct zone *))
{
	unsigned long sum = 0;
	struct zone *zone;

	for_each_zone(zone)
		sum += get(zone);
	return sum;
}

static unsigned long zone_managed(const struct zone *z)
{
	return z->managed_pages;
}

static unsigned long zone_present(const struct zone *z)
{
	return z->present_pages;
}

/* The unsigned number right after the first occurrence of prefix in the
 * log; fails if prefix is absent. */
static unsigned long log_number_after(const char *prefix)
{
	const char *p = strstr(log_text(), prefix);

	if (!p)
		fail_msg("no \"%s\" in the boot log:\n%s", prefix, log_text());
	return strtoul(p + strlen(prefix), NULL, 10);
}

/* The text of the log line containing s (without its timestamp), in a
 * static buffer. */
static const char *log_line_with(const char *s)
{
	static char line[512];
	const char *p = strstr(log_text(), s), *start, *end;

	if (!p)
		fail_msg("no \"%s\" in the boot log:\n%s", s, log_text());
	start = p;
	while (start > log_text() && start[-1] != '\n')
		start--;
	if (*start == '[')
		start = strstr(start, "] ") + 2;
	end = strchr(p, '\n');
	snprintf(line, sizeof(line), "%.*s", (int)(end - start), start);
	return line;
}

static void assert_log_has(const char *s)
{
	if (!log_contains(s))
		fail_msg("boot log lacks \"%s\":\n%s", s, log_text());
}

/* The sum of every /proc/vmstat counter whose name starts with prefix
 * (e.g. "pgalloc_": one per zone type of the arch). */
static unsigned long vmstat_sum(const char *prefix)
{
	char *text = proc_text("/proc/vmstat");
	size_t len = strlen(prefix);
	unsigned long sum = 0;

	for (const char *p = text; p && *p;) {
		if (!strncmp(p, prefix, len))
			sum += strtoul(strchr(p, ' ') + 1, NULL, 10);
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	free(text);
	return sum;
}

/* The allocator of the current machine is consistent and /proc agrees
 * with the zones. Drains the per-CPU page lists. */
static void assert_machine_sane(uint64_t ram_bytes)
{
	unsigned long managed = sum_zones(zone_managed);
	unsigned long memtotal = meminfo_kb("MemTotal:");
	unsigned long slab, pgtables, stacks, used, pcp;

	assert_int_equal(check_page_alloc_invariants(), 0);
	assert_int_equal(managed, M->totalram_pages);
	assert_int_equal(memtotal, managed * 4);
	assert_true((uint64_t)memtotal * 1024 < ram_bytes);
	/* Right after boot the only allocations are the page tables of the
	 * vmalloc range (x86-64 mem_init(), riscv64 pgtable_cache_init()),
	 * the slab pages of kmem_cache_init (kmem_cache_node, kmem_cache),
	 * vmalloc_init (vmap_area) and the task and mm caches, and the
	 * kernel stacks of the idle tasks of CPUs after the first:
	 * /proc/vmstat and /proc/slabinfo agree on the slab pages, meminfo's
	 * Slab, PageTables and KernelStack show them, and every page the
	 * allocator handed out (pgalloc_*) is one of them. */
	slab = slab_pages();
	assert_true(slab > 0);
	assert_int_equal(slabinfo_pages(), slab);
	assert_int_equal(meminfo_kb("Slab:"), slab * 4);
	pgtables = vmstat_counter("nr_page_table_pages");
	assert_int_equal(pgtables, boot_pagetable_pages());
	assert_int_equal(meminfo_kb("PageTables:"), pgtables * 4);
	stacks = kernel_stack_pages();
	assert_int_equal(stacks, (unsigned long)(M->nr_cpus - 1) << THREAD_SIZE_ORDER);
	assert_int_equal(vmstat_sum("pgalloc_"), slab + pgtables + stacks);
	/* They were taken through the per-CPU lists, which keep the rest of
	 * the batches they refilled from the buddy lists (none on 64M,
	 * whose pcp batch is 1). Every other managed page is free in the
	 * buddy lists. */
	pcp = pcp_pages();
	used = slab + pgtables + stacks;
	assert_int_equal(vmstat_counter("nr_free_pages") + used + pcp, managed);
	assert_int_equal(meminfo_kb("MemFree:"), memtotal - (used + pcp) * 4);
	/* Draining the per-CPU lists leaves only those pages out. */
	drain_all_pages(NULL);
	assert_int_equal(pcp_pages(), 0);
	assert_int_equal(vmstat_counter("nr_free_pages"), managed - used);
	assert_int_equal(check_page_alloc_invariants(), 0);
}

static void boot_and_check(const char *const *opts, uint64_t ram_bytes)
{
	struct machine *m = boot_machine_opts(opts);

	assert_ptr_equal(cur_machine, m);
	assert_int_equal(m->ram_bytes, ram_bytes);
	assert_machine_sane(ram_bytes);
	machine_destroy(m);
	assert_null(cur_machine);
}

#define MiB (1ULL << 20)
#define GiB (1ULL << 30)

/* ---- configuration refused ---------------------------------------------- */

static void test_config_ram_parse_errors_name_option(void **state)
{
	(void)state;
	assert_set_refused_with("ram", "12Q", "--ram 12Q", "'12Q'");
	assert_set_refused_with("ram", "", "--ram");
	assert_set_refused_with("ram", "-1G", "--ram -1G");
	assert_set_refused_with("ram", "lots", "--ram lots");
	assert_set_refused_with("kernel-size", "3X", "--kernel-size 3X");
}

static void test_config_ram_below_64M_refused(void **state)
{
	(void)state;
	assert_boot_refused_with(OPTS("ram=32M"), "--ram", "64M..128G",
				 "x86_64");
	assert_boot_refused_with(OPTS("arch=i386", "ram=63M"), "--ram",
				 "64M..4G", "i386");
}

static void test_config_ram_above_128G_refused_on_x86_64(void **state)
{
	(void)state;
	assert_boot_refused_with(OPTS("ram=129G"), "--ram", "64M..128G");
	assert_boot_refused_with(OPTS("ram=1T"), "--ram", "64M..128G");
}

static void test_config_ram_above_4G_refused_on_i386(void **state)
{
	(void)state;
	assert_boot_refused_with(OPTS("arch=i386", "ram=5G"), "--ram",
				 "64M..4G", "i386");
	assert_boot_refused_with(OPTS("arch=i386", "ram=8G"), "--ram",
				 "64M..4G");
}

static void test_config_nodes_out_of_range_refused(void **state)
{
	(void)state;
	assert_set_refused_with("nodes", "0", "--nodes 0", "1..64");
	assert_set_refused_with("nodes", "65", "--nodes 65", "1..64");
	assert_set_refused_with("nodes", "two", "--nodes two");
	assert_set_refused_with("nodes", "-1", "--nodes -1", "1..64");
}

static void test_config_nodes_below_32M_each_refused(void **state)
{
	(void)state;
	/* 1G / 64 nodes = 16M per node; 1G allows at most 32 nodes. */
	assert_boot_refused_with(OPTS("ram=1G", "nodes=64"), "--nodes 64",
				 "32M", "32 nodes");
	assert_boot_refused_with(OPTS("ram=128M", "nodes=5"), "--nodes 5",
				 "32M", "4 nodes");
}

static void test_config_cpus_out_of_range_refused(void **state)
{
	(void)state;
	assert_set_refused_with("cpus", "0", "--cpus 0", "1..256");
	assert_set_refused_with("cpus", "257", "--cpus 257", "1..256");
	assert_set_refused_with("cpus", "4x", "--cpus 4x");
}

static void test_config_unknown_arch_refused(void **state)
{
	(void)state;
	assert_set_refused_with("arch", "sparc", "--arch sparc", "x86_64",
				"i386", "riscv64");
	assert_set_refused_with("arch", "", "--arch", "x86_64", "i386",
				"riscv64");
}

/* riscv64 takes up to 124G (its linear map's memory_limit) and has
 * neither x86's paging options nor PCIDs; x86 has no Sv48. */
static void test_config_riscv64_limits_and_options(void **state)
{
	(void)state;
	assert_boot_refused_with(OPTS("arch=riscv64", "ram=125G"), "--ram",
				 "64M..124G", "riscv64");
	assert_boot_refused_with(OPTS("arch=riscv64", "ram=32M"), "--ram",
				 "64M..124G");
	assert_boot_refused_with(
		OPTS("arch=riscv64", "la57=1"),
		"mmsim.la57=1: needs --arch x86_64 (riscv64 has no such feature)");
	assert_boot_refused_with(OPTS("arch=riscv64", "pcid=1"),
				 "mmsim.pcid=1: needs --arch x86_64");
	assert_boot_refused_with(OPTS("arch=riscv64", "gbpages=1"),
				 "mmsim.gbpages=1: needs --arch x86_64");
	assert_boot_refused_with(
		OPTS("sv48=1"),
		"mmsim.sv48=1: needs --arch riscv64 (x86_64 has no such feature)");
	assert_boot_refused_with(OPTS("arch=i386", "sv48=1"),
				 "mmsim.sv48=1: needs --arch riscv64");
	assert_set_refused_with("sv48", "2", "mmsim.sv48=2: expected 0 or 1");
	/* Its kernel loads 2M into RAM. */
	assert_boot_refused_with(
		OPTS("arch=riscv64", "ram=128M", "kernel-size=95M"),
		"--kernel-size 95M", "2M + kernel size at most 3/4 of RAM");
	assert_boot_refused_with(OPTS("ram=128M", "kernel-size=81M"),
				 "16M + kernel size");
}

static void test_config_kernel_size_too_large_refused(void **state)
{
	(void)state;
	assert_boot_refused_with(OPTS("kernel-size=1G"), "--kernel-size",
				 "1M..256M");
	assert_boot_refused_with(OPTS("ram=4G", "kernel-size=257M"),
				 "--kernel-size", "1M..256M");
	/* The image loads at 16M and must leave room for the rest of
	 * the kernel: 16M + 96M is most of a 128M machine. */
	assert_boot_refused_with(OPTS("ram=128M", "kernel-size=96M"),
				 "--kernel-size", "1M..256M");
	assert_boot_refused_with(OPTS("kernel-size=512K"), "--kernel-size",
				 "1M..256M");
}

static void test_config_unknown_key_refused(void **state)
{
	(void)state;
	assert_set_refused_with("frobnicate", "1", "'frobnicate'", "ram",
				"nodes", "cpus", "arch", "kernel-size",
				"vm.NAME");
	assert_set_refused_with("RAM", "1G", "'RAM'");
}

static void test_config_bad_sysctl_fails_boot_with_its_name(void **state)
{
	struct machine_config cfg;
	char err[256] = "";

	(void)state;
	machine_config_default(&cfg);
	assert_true(machine_config_set(&cfg, "vm.min_free_kbytes", "abc", err,
				       sizeof(err)));
	assert_null(machine_boot(&cfg, err, sizeof(err)));
	assert_non_null(strstr(err, "vm.min_free_kbytes"));
	assert_null(cur_machine);

	machine_config_default(&cfg);
	assert_true(machine_config_set(&cfg, "vm.no_such_knob", "1", err,
				       sizeof(err)));
	err[0] = '\0';
	assert_null(machine_boot(&cfg, err, sizeof(err)));
	assert_non_null(strstr(err, "vm.no_such_knob"));

	machine_config_default(&cfg);
	assert_true(machine_config_set(&cfg, "vm.watermark_scale_factor", "0",
				       err, sizeof(err)));
	err[0] = '\0';
	assert_null(machine_boot(&cfg, err, sizeof(err)));
	assert_non_null(strstr(err, "vm.watermark_scale_factor"));
	assert_non_null(strstr(err, "1..3000"));
}

/* A refused boot leaves another machine current and intact. */
static void test_refused_boot_keeps_current_machine(void **state)
{
	struct machine *m = boot_machine("ram=512M");

	(void)state;
	assert_boot_refused_with(OPTS("ram=32M"), "--ram");
	assert_ptr_equal(cur_machine, m);
	assert_machine_sane(512 * MiB);
	machine_destroy(m);
}

/* ---- supported machines boot -------------------------------------------- */

/* The smallest RAM the options accept must boot with the default kernel
 * image size. */
static void test_boot_x86_64_64M(void **state)
{
	(void)state;
	boot_and_check(OPTS("ram=64M"), 64 * MiB);
}

static void test_boot_x86_64_64M_small_kernel(void **state)
{
	(void)state;
	boot_and_check(OPTS("ram=64M", "kernel-size=16M"), 64 * MiB);
}

static void test_boot_x86_64_512M(void **state)
{
	(void)state;
	boot_and_check(OPTS("ram=512M"), 512 * MiB);
}

static void test_boot_x86_64_1G(void **state)
{
	(void)state;
	boot_and_check(OPTS("ram=1G"), GiB);
}

static void test_boot_x86_64_4G(void **state)
{
	(void)state;
	boot_and_check(OPTS("ram=4G"), 4 * GiB);
}

static void test_boot_x86_64_6G_has_normal_zone(void **state)
{
	struct machine *m = boot_machine("ram=6G");
	struct zone *normal = &NODE_DATA(0)->node_zones[ZONE_NORMAL];

	(void)state;
	assert_machine_sane(6 * GiB);
	assert_int_equal(normal->zone_start_pfn, 0x100000);
	assert_int_equal(normal->spanned_pages, 2 * GiB / PAGE_SIZE);
	assert_true(normal->managed_pages > 0);
	machine_destroy(m);
}

/* The mem_map of 64G is 1 GiB of struct page that boot initialises (and
 * so touches): about 1 s and 1 GiB of host RSS, several times that under
 * ASan. The simulated RAM itself is MAP_NORESERVE. */
static void test_boot_x86_64_64G(void **state)
{
	(void)state;
	boot_and_check(OPTS("ram=64G"), 64 * GiB);
}

static void test_boot_i386_sizes(void **state)
{
	static const char *const sizes[] = { "512M", "1G", "2G", "4G" };
	static const uint64_t bytes[] = { 512 * MiB, GiB, 2 * GiB, 4 * GiB };

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(sizes); i++) {
		char ram[32];

		snprintf(ram, sizeof(ram), "ram=%s", sizes[i]);
		boot_and_check(OPTS("arch=i386", ram), bytes[i]);
	}
}

/* riscv64: RAM from 0x80000000, DMA32 up to 4G, Normal above, no DMA;
 * Sv39 and Sv48, several nodes. */
static void test_boot_riscv64_sizes(void **state)
{
	static const char *const sizes[] = { "64M", "1G", "4G", "6G" };
	static const uint64_t bytes[] = { 64 * MiB, GiB, 4 * GiB, 6 * GiB };

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(sizes); i++) {
		char ram[32];

		snprintf(ram, sizeof(ram), "ram=%s", sizes[i]);
		boot_and_check(OPTS("arch=riscv64", ram), bytes[i]);
		boot_and_check(OPTS("arch=riscv64", ram, "sv48=1"), bytes[i]);
	}
	boot_and_check(OPTS("arch=riscv64", "ram=4G", "nodes=4", "cpus=4"),
		       4 * GiB);
}

static void test_boot_riscv64_zones(void **state)
{
	struct machine *m = boot_machine("arch=riscv64", "ram=6G");
	struct zone *z = NODE_DATA(0)->node_zones;

	(void)state;
	assert_int_equal(m->phys_ram_base, 0x80000000);
	assert_int_equal(m->max_pfn, 0x200000); /* 8 GiB */
	assert_int_equal(NODE_DATA(0)->node_start_pfn, 0x80000);
	assert_false(populated_zone(&z[ZONE_DMA]));
	assert_int_equal(z[ZONE_DMA32].zone_start_pfn, 0x80000);
	assert_int_equal(z[ZONE_DMA32].spanned_pages, 0x80000);
	/* The firmware's no-map 256K is present, never free. */
	assert_int_equal(z[ZONE_DMA32].present_pages, 0x80000);
	assert_true(PageReserved(pfn_to_page(0x80000)));
	assert_true(PageReserved(pfn_to_page(0x8003f)));
	assert_int_equal(z[ZONE_NORMAL].zone_start_pfn, 0x100000);
	assert_int_equal(z[ZONE_NORMAL].spanned_pages, 0x100000);
	assert_false(pfn_valid(0x7ffff));
	assert_true(pfn_valid(0x80000));
	/* Nothing is mapped below RAM: a physical address there is no
	 * frame. */
	assert_int_equal(virt_to_page_or_null(m->ram + 0x1000), NULL);
	machine_destroy(m);
}

static void test_boot_nodes_1_2_4(void **state)
{
	static const char *const nodes[] = { "nodes=1", "nodes=2", "nodes=4" };

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(nodes); i++) {
		struct machine *m = boot_machine("ram=1G", nodes[i]);

		assert_int_equal(m->nr_nodes, 1 << i);
		assert_machine_sane(GiB);
		machine_destroy(m);
	}
}

static void test_boot_cpus_1_2_8(void **state)
{
	static const char *const cpus[] = { "cpus=1", "cpus=2", "cpus=8" };
	static const int n[] = { 1, 2, 8 };

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cpus); i++) {
		struct machine *m = boot_machine("ram=1G", cpus[i]);
		char *zi;
		char want[32];

		assert_int_equal(m->nr_cpus, n[i]);
		assert_machine_sane(GiB);
		/* zoneinfo has a pageset per CPU. */
		zi = proc_text("/proc/zoneinfo");
		snprintf(want, sizeof(want), "\n    cpu: %d\n", n[i] - 1);
		assert_non_null(strstr(zi, want));
		snprintf(want, sizeof(want), "\n    cpu: %d\n", n[i]);
		assert_null(strstr(zi, want));
		free(zi);
		machine_destroy(m);
	}
}

/* ---- the boot log ------------------------------------------------------------ */

static void test_log_zone_ranges_1G(void **state)
{
	struct machine *m = boot_machine("ram=1G");

	(void)state;
	assert_log_has("] Zone ranges:\n");
	assert_log_has(
		"]   DMA      [mem 0x0000000000001000-0x0000000000ffffff]\n");
	assert_log_has(
		"]   DMA32    [mem 0x0000000001000000-0x000000003fffffff]\n");
	assert_log_has("]   Normal   empty\n");
	assert_log_has("] Movable zone start for each node\n");
	assert_log_has("] Early memory node ranges\n");
	assert_log_has(
		"]   node   0: [mem 0x0000000000001000-0x000000000009efff]\n");
	assert_log_has(
		"]   node   0: [mem 0x0000000000100000-0x000000003fffffff]\n");
	assert_log_has(
		"] Initmem setup node 0 [mem 0x0000000000001000-0x000000003fffffff]\n");
	machine_destroy(m);
}

static void test_log_zone_ranges_6G_has_normal(void **state)
{
	struct machine *m = boot_machine("ram=6G");

	(void)state;
	assert_log_has(
		"]   DMA32    [mem 0x0000000001000000-0x00000000ffffffff]\n");
	assert_log_has(
		"]   Normal   [mem 0x0000000100000000-0x000000017fffffff]\n");
	machine_destroy(m);
}

/* The whole boot log of a 4G riscv64 machine, timestamps aside: the
 * device tree's reserved memory instead of e820, arch_numa's lines,
 * DMA32 and Normal only, the no-map firmware region as its own memory
 * range, no x86-only lines. Reserved: the 32M image (to a 2M boundary),
 * the firmware's 256K, 64M of mem_map, NODE_DATA (20K), the page-block
 * bitmaps and pagesets of two zones (8K each) and the linear map's
 * tables (4 PMD tables and a PTE table for its 4K head: 20K). */
static void test_log_riscv64_4G(void **state)
{
	static const char want[] =
		"Linux version 6.16.0-mmsim (mmsim) #1 SMP PREEMPT_DYNAMIC\n"
		"OF: reserved mem: 0x0000000080000000..0x000000008003ffff (256 KiB) nomap non-reusable mmode_resv0@80000000\n"
		"NUMA: No NUMA configuration found\n"
		"NUMA: Faking a node at [mem 0x0000000080000000-0x000000017fffffff]\n"
		"NODE_DATA(0) allocated [mem 0x17fff6000-0x17fffafff]\n"
		"Zone ranges:\n"
		"  DMA32    [mem 0x0000000080000000-0x00000000ffffffff]\n"
		"  Normal   [mem 0x0000000100000000-0x000000017fffffff]\n"
		"Movable zone start for each node\n"
		"Early memory node ranges\n"
		"  node   0: [mem 0x0000000080000000-0x000000008003ffff]\n"
		"  node   0: [mem 0x0000000080040000-0x000000017fffffff]\n"
		"Initmem setup node 0 [mem 0x0000000080000000-0x000000017fffffff]\n"
		"Built 1 zonelists, mobility grouping on.  Total pages: 1032192\n"
		"Policy zone: Normal\n"
		"Memory: 4095688K/4194304K available (14388K kernel code, 2360K rwdata, 9080K rodata, 2788K init, 4152K bss, 98616K reserved, 0K cma-reserved)\n"
		"SLUB: HWalign=64, Order=0-3, MinObjects=0, CPUs=1, Nodes=1\n"
		"Freeing unused kernel image (initmem) memory: 2788K\n";
	struct machine *m = boot_machine("arch=riscv64", "ram=4G");
	char got[sizeof(want) + 256];
	size_t n = 0;

	(void)state;
	for (const char *p = log_text(); *p && n + 1 < sizeof(got);) {
		const char *eol = strchr(p, '\n');
		const char *text = strstr(p, "] ") + 2;
		size_t len = (size_t)(eol - text) + 1;

		if (n + len >= sizeof(got))
			break;
		memcpy(got + n, text, len);
		n += len;
		p = eol + 1;
	}
	got[n] = '\0';
	assert_string_equal(got, want);
	/* 98616K = 32768 + 256 + 65536 + 20 + 8 + 8 + 20: memblock's
	 * reservations and the no-map region; available is the rest, as
	 * nothing was allocated before the line (riscv preallocates its
	 * vmalloc tables after kmem_cache_init). */
	assert_int_equal(memblock_reserved_in(0, ~0ULL) + 256 * 1024,
			 98616ULL * 1024);
	machine_destroy(m);
	/* Two nodes from the device tree: its distance map instead. */
	m = boot_machine("arch=riscv64", "ram=4G", "nodes=2");
	assert_log_has("] OF: NUMA: parsing numa-distance-map-v1\n");
	assert_log_has(
		"]   node   1: [mem 0x0000000100000000-0x000000017fffffff]\n");
	assert_false(log_contains("Faking"));
	machine_destroy(m);
}

/* The log lines come in start_kernel's order. */
static void test_log_lines_in_boot_order(void **state)
{
	static const char *const order[] = {
		"Linux version ",
		"BIOS-provided physical RAM map:",
		"Zone ranges:",
		"Early memory node ranges",
		"Initmem setup node 0",
		"Built 1 zonelists",
		"Memory: ",
		"Freeing unused kernel image (initmem) memory: ",
	};
	struct machine *m = boot_machine("ram=1G");
	const char *prev = log_text();

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(order); i++) {
		const char *p = strstr(log_text(), order[i]);

		if (!p || p < prev)
			fail_msg("\"%s\" missing or out of order", order[i]);
		prev = p;
	}
	machine_destroy(m);
}

static void test_log_built_zonelists_line(void **state)
{
	struct machine *m = boot_machine("ram=1G");
	unsigned long total;

	(void)state;
	assert_log_has(
		"] Built 1 zonelists, mobility grouping on.  Total pages: ");
	total = log_number_after("Total pages: ");
	/* Pages of the zones GFP_HIGHUSER_MOVABLE reaches, before memblock
	 * hands memory over: no more than present, no less than managed. */
	assert_true(total <= sum_zones(zone_present));
	assert_true(total >= sum_zones(zone_managed) - 1024);
	assert_log_has("] Policy zone: DMA32\n");
	machine_destroy(m);
	m = boot_machine("ram=1G", "nodes=2");
	assert_log_has(
		"] Built 2 zonelists, mobility grouping on.  Total pages: ");
	machine_destroy(m);
}

/* "Memory: N/MK available (...)": M is the present memory, N what was
 * free at that moment, i.e. before the init section was freed. */
static void test_log_memory_line_matches_proc(void **state)
{
	struct machine *m = boot_machine("ram=1G");
	unsigned long present_kb = sum_zones(zone_present) * 4;
	unsigned long init_kb, avail_kb, total_kb, reserved_kb, pcp_at_line;
	char want[64];
	int batch;
	const char *line;

	(void)state;
	init_kb = log_number_after(
		"Freeing unused kernel image (initmem) memory: ");
	assert_int_equal(init_kb, 2788); /* 85/1000 of 32M, page aligned */
	avail_kb = log_number_after("] Memory: ");
	snprintf(want, sizeof(want), "] Memory: %luK/%luK available (",
		 avail_kb, present_kb);
	assert_log_has(want);
	line = log_line_with("] Memory: ");
	total_kb = strtoul(strchr(line, '/') + 1, NULL, 10);
	assert_int_equal(total_kb, present_kb);
	assert_int_equal(total_kb,
			 1048184); /* pfn 1..0x9e and 0x100..0x3ffff */
	reserved_kb = strtoul(strstr(line, "K bss, ") + 7, NULL, 10);
	/* Before the line, mem_init() took the 64 PUD tables of the
	 * vmalloc range through CPU 0's per-CPU list, which the buddy
	 * lists refilled twice with a batch of 63 (DMA32 on 1G): the free
	 * count lacks the tables and the 2 * 63 - 64 = 62 pages left on
	 * the list. */
	batch = NODE_DATA(0)->node_zones[ZONE_DMA32].per_cpu_pageset[0].batch;
	assert_int_equal(batch, 63);
	pcp_at_line = 2 * batch - 64;
	assert_int_equal(avail_kb,
			 present_kb - reserved_kb - (64 + pcp_at_line) * 4);
	/* Since the line, free_initmem gave back the init section, and
	 * kmem_cache_init and vmalloc_init took their slab pages through
	 * the same list, which keeps the rest of its batch out of
	 * MemFree. */
	assert_int_equal(avail_kb + init_kb,
			 meminfo_kb("MemFree:") +
				 (slab_pages() + pcp_pages() - pcp_at_line) *
					 4);
	assert_non_null(strstr(line, "K reserved, 0K cma-reserved)"));
	/* MemTotal = present - reserved, plus the init section that
	 * free_initmem gave back after the line was printed (Linux's
	 * free_reserved_area raises totalram_pages too). */
	assert_int_equal(meminfo_kb("MemTotal:") + reserved_kb,
			 present_kb + init_kb);
	assert_non_null(strstr(
		line,
		"14388K kernel code, 2360K rwdata, 9080K rodata, 2788K init, 4152K bss"));
	assert_log_has(
		"] Freeing unused kernel image (initmem) memory: 2788K\n");
	machine_destroy(m);
}

static void test_log_i386_2G_highmem(void **state)
{
	struct machine *m = boot_machine("arch=i386", "ram=2G");
	const char *line;

	(void)state;
	assert_log_has("] 1152MB HIGHMEM available.\n");
	assert_log_has("] 896MB LOWMEM available.\n");
	assert_log_has(
		"]   DMA      [mem 0x0000000000001000-0x0000000000ffffff]\n");
	assert_log_has(
		"]   Normal   [mem 0x0000000001000000-0x0000000037ffffff]\n");
	assert_log_has(
		"]   HighMem  [mem 0x0000000038000000-0x000000007fffffff]\n");
	assert_false(log_contains("DMA32"));
	line = log_line_with("] Memory: ");
	assert_non_null(strstr(line, ", 0K cma-reserved, 1179648K highmem)"));
	assert_int_equal(meminfo_kb("HighTotal:"), 1179648);
	machine_destroy(m);
}

/* With CONFIG_HIGHMEM, arch/x86/mm/init_32.c initmem_init() prints the
 * HIGHMEM line unconditionally: "0MB HIGHMEM available." below 896M. */
static void test_log_i386_512M_prints_0MB_highmem(void **state)
{
	struct machine *m = boot_machine("arch=i386", "ram=512M");

	(void)state;
	assert_log_has("] 512MB LOWMEM available.\n");
	assert_log_has("]   HighMem  empty\n");
	assert_log_has("] 0MB HIGHMEM available.\n");
	machine_destroy(m);
}

/* ---- determinism and independence ---------------------------------------- */

struct snapshot {
	char *log;
	char *files[64]; /* proc_entries() lists at most 64 */
	size_t n;
};

static void take_snapshot(struct snapshot *s)
{
	size_t n;
	const struct proc_entry *e = proc_entries(&n);

	s->log = strdup(log_text());
	assert_true(n <= ARRAY_SIZE(s->files));
	for (size_t i = 0; i < n; i++)
		s->files[i] = proc_text(e[i].path);
	s->n = n;
}

static void free_snapshot(struct snapshot *s)
{
	free(s->log);
	for (size_t i = 0; i < s->n; i++)
		free(s->files[i]);
}

static void test_boot_is_deterministic(void **state)
{
	struct snapshot a, b;
	struct machine *m;
	size_t n;
	const struct proc_entry *e = proc_entries(&n);

	(void)state;
	m = boot_machine("ram=1G", "cpus=2", "nodes=2");
	take_snapshot(&a);
	machine_destroy(m);
	m = boot_machine("ram=1G", "cpus=2", "nodes=2");
	take_snapshot(&b);
	machine_destroy(m);
	assert_string_equal(a.log, b.log);
	assert_int_equal(a.n, b.n);
	for (size_t i = 0; i < a.n; i++)
		if (strcmp(a.files[i], b.files[i]))
			fail_msg("%s differs between two identical boots",
				 e[i].path);
	free_snapshot(&a);
	free_snapshot(&b);
}

static void test_two_machines_stay_independent(void **state)
{
	struct machine *a, *b;
	unsigned long a_free, b_free, a_pgalloc, b_pgalloc;
	struct page *pages[100];
	char *b_meminfo;

	(void)state;
	a = boot_machine("ram=512M");
	a_free = meminfo_kb("MemFree:");
	/* Boot's own allocations (page tables and slab pages). */
	a_pgalloc =
		vmstat_counter("pgalloc_dma32") + vmstat_counter("pgalloc_dma");
	b = boot_machine("ram=1G", "cpus=2");
	assert_ptr_equal(cur_machine, b);
	b_free = meminfo_kb("MemFree:");
	b_pgalloc = vmstat_counter("pgalloc_dma32");
	assert_true(b_free > a_free);
	b_meminfo = proc_text("/proc/meminfo");

	machine_set_current(a);
	assert_int_equal(meminfo_kb("MemFree:"), a_free);
	for (int i = 0; i < 100; i++) {
		pages[i] = alloc_pages(GFP_KERNEL, 0);
		assert_non_null(pages[i]);
		/* Pages of a come from a's RAM. */
		assert_true((char *)page_address(pages[i]) >= a->ram);
		assert_true((char *)page_address(pages[i]) <
			    a->ram + a->ram_bytes);
	}
	assert_true(meminfo_kb("MemFree:") < a_free);

	machine_set_current(b);
	{
		char *now = proc_text("/proc/meminfo");

		assert_string_equal(now, b_meminfo);
		free(now);
	}
	assert_int_equal(vmstat_counter("pgalloc_dma32"), b_pgalloc);

	machine_set_current(a);
	for (int i = 0; i < 100; i++)
		__free_pages(pages[i], 0);
	assert_int_equal(vmstat_counter("pgalloc_dma32") +
				 vmstat_counter("pgalloc_dma"),
			 a_pgalloc + 100);
	assert_int_equal(check_page_alloc_invariants(), 0);
	machine_destroy(a);
	assert_null(cur_machine);

	/* b survives a's teardown. */
	machine_set_current(b);
	{
		char *now = proc_text("/proc/meminfo");

		assert_string_equal(now, b_meminfo);
		free(now);
	}
	assert_int_equal(check_page_alloc_invariants(), 0);
	machine_destroy(b);
	free(b_meminfo);
}

/* ---- NUMA -------------------------------------------------------------------- */

static void test_numa_two_nodes_split_ram_evenly(void **state)
{
	struct machine *m = boot_machine("ram=1G", "nodes=2");
	const unsigned long half = GiB / 2 / PAGE_SIZE;
	char *zi;

	(void)state;
	assert_int_equal(NODE_DATA(0)->node_start_pfn, 1);
	assert_int_equal(NODE_DATA(0)->node_start_pfn +
				 NODE_DATA(0)->node_spanned_pages,
			 half);
	assert_int_equal(NODE_DATA(1)->node_start_pfn, half);
	assert_int_equal(NODE_DATA(1)->node_spanned_pages, half);
	assert_int_equal(NODE_DATA(1)->node_present_pages, half);
	/* Node 0 loses page 0 and the ISA hole (97 pages). */
	assert_int_equal(NODE_DATA(0)->node_present_pages, half - 98);
	assert_int_equal(pfn_to_nid(half - 1), 0);
	assert_int_equal(pfn_to_nid(half), 1);

	zi = proc_text("/proc/zoneinfo");
	assert_non_null(strstr(zi, "Node 0, zone      DMA\n"));
	assert_non_null(strstr(zi, "Node 0, zone    DMA32\n"));
	assert_non_null(strstr(zi, "Node 1, zone      DMA\n"));
	assert_non_null(
		strstr(zi, "Node 1, zone    DMA32\n  per-node stats\n"));
	free(zi);
	assert_log_has(
		"] Faking node 0 at [mem 0x0000000000000000-0x000000001fffffff] (512MB)\n");
	assert_log_has(
		"] Faking node 1 at [mem 0x0000000020000000-0x000000003fffffff] (512MB)\n");
	machine_destroy(m);
}

static void assert_node_owns_its_metadata(int nid)
{
	pg_data_t *pgdat = NODE_DATA(nid);
	uint64_t map_pa = __pa(pgdat->node_mem_map);
	uint64_t map_end =
		__pa(pgdat->node_mem_map + pgdat->node_spanned_pages) - 1;

	if (pfn_to_nid(PFN_DOWN(map_pa)) != nid ||
	    pfn_to_nid(PFN_DOWN(map_end)) != nid)
		fail_msg("node %d's mem_map [%#llx-%#llx] is not on node %d",
			 nid, (unsigned long long)map_pa,
			 (unsigned long long)map_end, nid);
	assert_int_equal(pfn_to_nid(PFN_DOWN(__pa(pgdat))), nid);
	assert_int_equal(pgdat->node_id, nid);
}

static void test_numa_mem_map_lives_on_its_node(void **state)
{
	struct machine *m = boot_machine("ram=1G", "nodes=2");

	(void)state;
	assert_node_owns_its_metadata(0);
	assert_node_owns_its_metadata(1);
	machine_destroy(m);
	m = boot_machine("ram=4G", "nodes=4");
	for (int nid = 0; nid < 4; nid++)
		assert_node_owns_its_metadata(nid);
	machine_destroy(m);
}

static void test_numa_cpus_spread_over_nodes(void **state)
{
	struct machine *m = boot_machine("ram=1G", "nodes=2", "cpus=8");

	(void)state;
	for (int cpu = 0; cpu < 8; cpu++)
		assert_int_equal(cpu_to_node(cpu), cpu / 4);
	machine_destroy(m);
}

/* Every page of a node links back to its node and a zone of that node. */
static void test_numa_page_links(void **state)
{
	struct machine *m = boot_machine("ram=1G", "nodes=2");

	(void)state;
	for (int nid = 0; nid < 2; nid++) {
		pg_data_t *pgdat = NODE_DATA(nid);

		for (unsigned long pfn = pgdat->node_start_pfn;
		     pfn < pgdat->node_start_pfn + pgdat->node_spanned_pages;
		     pfn += 97) {
			struct page *page = pfn_to_page(pfn);

			assert_int_equal(page_to_nid(page), nid);
			assert_int_equal(page_to_pfn(page), pfn);
			assert_true(zone_spans_pfn(page_zone(page), pfn));
		}
	}
	machine_destroy(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(
			test_config_ram_parse_errors_name_option,
			destroy_current),
		cmocka_unit_test_teardown(test_config_ram_below_64M_refused,
					  destroy_current),
		cmocka_unit_test_teardown(
			test_config_ram_above_128G_refused_on_x86_64,
			destroy_current),
		cmocka_unit_test_teardown(
			test_config_ram_above_4G_refused_on_i386,
			destroy_current),
		cmocka_unit_test_teardown(test_config_nodes_out_of_range_refused,
					  destroy_current),
		cmocka_unit_test_teardown(
			test_config_nodes_below_32M_each_refused,
			destroy_current),
		cmocka_unit_test_teardown(test_config_cpus_out_of_range_refused,
					  destroy_current),
		cmocka_unit_test_teardown(test_config_unknown_arch_refused,
					  destroy_current),
		cmocka_unit_test_teardown(
			test_config_kernel_size_too_large_refused,
			destroy_current),
		cmocka_unit_test_teardown(test_config_unknown_key_refused,
					  destroy_current),
		cmocka_unit_test_teardown(
			test_config_bad_sysctl_fails_boot_with_its_name,
			destroy_current),
		cmocka_unit_test_teardown(
			test_refused_boot_keeps_current_machine,
			destroy_current),
		cmocka_unit_test_teardown(test_boot_x86_64_64M,
					  destroy_current),
		cmocka_unit_test_teardown(test_boot_x86_64_64M_small_kernel,
					  destroy_current),
		cmocka_unit_test_teardown(test_boot_x86_64_512M,
					  destroy_current),
		cmocka_unit_test_teardown(test_boot_x86_64_1G, destroy_current),
		cmocka_unit_test_teardown(test_boot_x86_64_4G, destroy_current),
		cmocka_unit_test_teardown(test_boot_x86_64_6G_has_normal_zone,
					  destroy_current),
		cmocka_unit_test_teardown(test_boot_x86_64_64G,
					  destroy_current),
		cmocka_unit_test_teardown(test_boot_i386_sizes,
					  destroy_current),
		cmocka_unit_test_teardown(test_boot_riscv64_sizes,
					  destroy_current),
		cmocka_unit_test_teardown(test_boot_riscv64_zones,
					  destroy_current),
		cmocka_unit_test_teardown(test_log_riscv64_4G, destroy_current),
		cmocka_unit_test_teardown(test_config_riscv64_limits_and_options,
					  destroy_current),
		cmocka_unit_test_teardown(test_boot_nodes_1_2_4,
					  destroy_current),
		cmocka_unit_test_teardown(test_boot_cpus_1_2_8,
					  destroy_current),
		cmocka_unit_test_teardown(test_log_zone_ranges_1G,
					  destroy_current),
		cmocka_unit_test_teardown(test_log_zone_ranges_6G_has_normal,
					  destroy_current),
		cmocka_unit_test_teardown(test_log_lines_in_boot_order,
					  destroy_current),
		cmocka_unit_test_teardown(test_log_built_zonelists_line,
					  destroy_current),
		cmocka_unit_test_teardown(test_log_memory_line_matches_proc,
					  destroy_current),
		cmocka_unit_test_teardown(test_log_i386_2G_highmem,
					  destroy_current),
		cmocka_unit_test_teardown(test_log_i386_512M_prints_0MB_highmem,
					  destroy_current),
		cmocka_unit_test_teardown(test_boot_is_deterministic,
					  destroy_current),
		cmocka_unit_test_teardown(test_two_machines_stay_independent,
					  destroy_current),
		cmocka_unit_test_teardown(test_numa_two_nodes_split_ram_evenly,
					  destroy_current),
		cmocka_unit_test_teardown(test_numa_mem_map_lives_on_its_node,
					  destroy_current),
		cmocka_unit_test_teardown(test_numa_cpus_spread_over_nodes,
					  destroy_current),
		cmocka_unit_test_teardown(test_numa_page_links,
					  destroy_current),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
