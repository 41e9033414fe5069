/* Watermarks, lowmem reserves and per-CPU page list sizes, checked
 * against numbers computed by hand from Linux's formulas
 * (mm/page_alloc.c: calculate_min_free_kbytes, __setup_per_zone_wmarks,
 * setup_per_zone_lowmem_reserve, zone_batchsize, zone_highsize) for the
 * managed page counts each machine reports, and the vm sysctls that
 * recompute them.
 *
 * One detail matters for the boot-time numbers: init_per_zone_wmark_min()
 * runs before free_initmem() (in Linux a postcore initcall, before
 * kernel_init frees the init section), so the watermarks, reserves and pcp
 * sizes are computed from managed counts 697 pages (the 2788K init section,
 * which lies in DMA32 on x86_64 and in Normal on i386) smaller than what
 * zoneinfo shows afterwards. Values set by a later sysctl write use the
 * managed counts zoneinfo shows. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fs/proc/proc.h"
#include "kernel/machine.h"
#include "mm/internal.h"
#include "mm/vmstat.h"
#include "tests/helpers.h"

#define INIT_PAGES 697 /* 2788K freed by free_initmem() after the wmarks */

/* What zoneinfo shows for one zone. -1: not checked (no pageset). */
struct zone_expect {
	const char *name; /* "%8s" as zoneinfo prints it */
	unsigned long managed;
	unsigned long min, low, high, promo;
	const char *protection; /* "(0, 959, 959, 959)" */
	long batch, high_min, high_max;
};

/* ---- zoneinfo parsing ------------------------------------------------------ */

/* The zoneinfo section of one zone: from its "Node N, zone NAME" line up
 * to the next zone's. malloc'ed. */
static char *zoneinfo_section(int nid, const char *name)
{
	char *text = proc_text("/proc/zoneinfo"), *start, *end, *sec;
	char head[64];

	snprintf(head, sizeof(head), "Node %d, zone %8s\n", nid, name);
	start = strstr(text, head);
	if (!start)
		fail_msg("zoneinfo has no \"%s\"", head);
	end = strstr(start + 1, "\nNode ");
	sec = end ? strndup(start, (size_t)(end - start + 1)) : strdup(start);
	free(text);
	return sec;
}

static long field(const char *sec, const char *label)
{
	const char *p = strstr(sec, label);

	if (!p)
		fail_msg("no \"%s\" in zoneinfo section:\n%s", label, sec);
	return strtol(p + strlen(label), NULL, 10);
}

static void assert_zone(int nid, const struct zone_expect *e)
{
	char *sec = zoneinfo_section(nid, e->name);
	const char *p;
	char prot[96];

	assert_int_equal(field(sec, "\n        managed  "), e->managed);
	assert_int_equal(field(sec, "\n        min      "), e->min);
	assert_int_equal(field(sec, "\n        low      "), e->low);
	assert_int_equal(field(sec, "\n        high     "), e->high);
	assert_int_equal(field(sec, "\n        promo    "), e->promo);
	p = strstr(sec, "\n        protection: ");
	assert_non_null(p);
	p += strlen("\n        protection: ");
	snprintf(prot, sizeof(prot), "%.*s", (int)strcspn(p, "\n"), p);
	assert_string_equal(prot, e->protection);
	if (e->batch >= 0) {
		assert_int_equal(field(sec, "\n              batch:    "),
				 e->batch);
		assert_int_equal(field(sec, "\n              high_min: "),
				 e->high_min);
		assert_int_equal(field(sec, "\n              high_max: "),
				 e->high_max);
		/* mmsim keeps pcp->high at high_min (docs/deviations.md). */
		assert_int_equal(field(sec, "\n              high:     "),
				 e->high_min);
	} else {
		assert_null(strstr(sec, "pagesets"));
	}
	free(sec);
}

static void assert_zones(const struct zone_expect *e, size_t n)
{
	for (size_t i = 0; i < n; i++)
		assert_zone(0, &e[i]);
}

static long min_free_kbytes(void)
{
	char *t = proc_text("/proc/sys/vm/min_free_kbytes");
	long v = strtol(t, NULL, 10);

	free(t);
	return v;
}

static void assert_sysctl_text(const char *path, const char *want)
{
	char *t = proc_text(path);

	assert_string_equal(t, want);
	free(t);
}

static void write_ok(const char *path, const char *value)
{
	char err[256] = "";
	int ret = proc_write(path, value, err, sizeof(err));

	if (ret)
		fail_msg("write \"%s\" to %s: %d (%s)", value, path, ret, err);
}

/* Empty zones: Normal (lowmem: min 0) and Movable (min clamped to 32). */
/* clang-format off */
#define EMPTY_NORMAL { "Normal", 0, 0, 0, 0, 0, "(0, 0, 0, 0)", -1, -1, -1 }
#define EMPTY_MOVABLE { "Movable", 0, 32, 32, 32, 32, "(0, 0, 0, 0)", -1, -1, -1 }
/* clang-format on */

/* ---- boot-time values, x86_64 ----------------------------------------------- */

/* 512M: DMA 3840 managed, DMA32 117424 (117424 - 697 = 116727 at init).
 *   lowmem_kbytes = (3840 + 116727) * 4 = 482268
 *   min_free_kbytes = int_sqrt(482268 * 16 = 7716288) = 2777
 *   pages_min = 2777 / 4 = 694; lowmem_pages = 120567
 *   DMA:   tmp = 694*3840/120567 = 22;  delta = max(22/4=5, 3840*10/10000=3) = 5
 *          min 22, low 27, high 32, promo 37
 *   DMA32: tmp = 694*116727/120567 = 671; delta = max(167, 116) = 167
 *          min 671, low 838, high 1005, promo 1172
 *   protection DMA = 116727/256 = 455 (Normal, Movable add 0)
 *   batch DMA: 3840>>10 = 3, /4 = 0 -> 1, rounddown_pow2(1)-1 = 0 -> max(1, 0) = 1
 *   batch DMA32: 116727>>10 = 113, /4 = 28, rounddown_pow2(28+14=42)-1 = 31
 *   high_min = max(low / 1 CPU, 4*batch): 27, 838
 *   high_max = max(managed/8 / 1 CPU, 4*batch): 3840/8 = 480, 116727/8 = 14590 */
static void test_wmarks_x86_64_512M(void **state)
{
	/* clang-format off */
	static const struct zone_expect z[] = {
		{ "DMA", 3840, 22, 27, 32, 37, "(0, 455, 455, 455)", 1, 27, 480 },
		{ "DMA32", 117424, 671, 838, 1005, 1172, "(0, 0, 0, 0)", 31, 838, 14590 },
		EMPTY_NORMAL,
		EMPTY_MOVABLE,
	};
	/* clang-format on */
	struct machine *m = boot_machine("ram=512M");

	(void)state;
	assert_int_equal(min_free_kbytes(), 2777);
	assert_zones(z, ARRAY_SIZE(z));
	machine_destroy(m);
}

/* 1G: DMA 3840, DMA32 246448 (245751 at init).
 *   lowmem_kbytes = (3840 + 245751) * 4 = 998364
 *   min_free_kbytes = int_sqrt(15973824) = 3996; pages_min = 999
 *   lowmem_pages = 249591
 *   DMA:   tmp = 999*3840/249591 = 15; delta = max(3, 3) = 3 -> 15 18 21 24
 *   DMA32: tmp = 999*245751/249591 = 983; delta = max(245, 245) = 245
 *          -> 983 1228 1473 1718
 *   protection DMA = 245751/256 = 959
 *   batch DMA32: 245751>>10 = 239, /4 = 59, rounddown_pow2(88)-1 = 63
 *   high_min 18, 1228; high_max 480, 245751/8 = 30718 */
/* clang-format off */
static const struct zone_expect wm_1G[] = {
	{ "DMA", 3840, 15, 18, 21, 24, "(0, 959, 959, 959)", 1, 18, 480 },
	{ "DMA32", 246448, 983, 1228, 1473, 1718, "(0, 0, 0, 0)", 63, 1228, 30718 },
	EMPTY_NORMAL,
	EMPTY_MOVABLE,
};
/* clang-format on */

static void test_wmarks_x86_64_1G(void **state)
{
	struct machine *m = boot_machine("ram=1G");

	(void)state;
	assert_int_equal(min_free_kbytes(), 3996);
	assert_zones(wm_1G, ARRAY_SIZE(wm_1G));
	machine_destroy(m);
}

/* 4G (no PCI hole: DMA32 is everything above 16M): DMA 3840, DMA32
 * 1020592 (1019895 at init).
 *   lowmem_kbytes = (3840 + 1019895) * 4 = 4094940
 *   min_free_kbytes = int_sqrt(65519040) = 8094; pages_min = 2023
 *   lowmem_pages = 1023735
 *   DMA:   tmp = 2023*3840/1023735 = 7; delta = max(1, 3) = 3 -> 7 10 13 16
 *   DMA32: tmp = 2023*1019895/1023735 = 2015; delta = max(503, 1019) = 1019
 *          -> 2015 3034 4053 5072
 *   protection DMA = 1019895/256 = 3983
 *   batch DMA32: min(995, 256)/4 = 64, rounddown_pow2(96)-1 = 63
 *   high_min 10, 3034; high_max 480, 1019895/8 = 127486 */
static void test_wmarks_x86_64_4G(void **state)
{
	/* clang-format off */
	static const struct zone_expect z[] = {
		{ "DMA", 3840, 7, 10, 13, 16, "(0, 3983, 3983, 3983)", 1, 10, 480 },
		{ "DMA32", 1020592, 2015, 3034, 4053, 5072, "(0, 0, 0, 0)", 63, 3034, 127486 },
		EMPTY_NORMAL,
		EMPTY_MOVABLE,
	};
	/* clang-format on */
	struct machine *m = boot_machine("ram=4G");

	(void)state;
	assert_int_equal(min_free_kbytes(), 8094);
	assert_zones(z, ARRAY_SIZE(z));
	machine_destroy(m);
}

/* 16G: DMA 3840, DMA32 1036985 (1036288 at init), Normal 3080180.
 *   lowmem_kbytes = (3840 + 1036288 + 3080180) * 4 = 16481232
 *   min_free_kbytes = int_sqrt(263699712) = 16238; pages_min = 4059
 *   lowmem_pages = 4120308
 *   DMA:    tmp = 4059*3840/4120308 = 3; delta = max(0, 3) = 3 -> 3 6 9 12
 *   DMA32:  tmp = 4059*1036288/4120308 = 1020; delta = max(255, 1036) = 1036
 *           -> 1020 2056 3092 4128
 *   Normal: tmp = 4059*3080180/4120308 = 3034; delta = max(758, 3080) = 3080
 *           -> 3034 6114 9194 12274
 *   protection DMA:   1036288/256 = 4048, (1036288+3080180)/256 = 16079
 *   protection DMA32: 3080180/256 = 12031
 *   high_max: 1036288/8 = 129536, 3080180/8 = 385022 */
static void test_wmarks_x86_64_16G(void **state)
{
	/* clang-format off */
	static const struct zone_expect z[] = {
		{ "DMA", 3840, 3, 6, 9, 12, "(0, 4048, 16079, 16079)", 1, 6, 480 },
		{ "DMA32", 1036985, 1020, 2056, 3092, 4128, "(0, 0, 12031, 12031)", 63, 2056, 129536 },
		{ "Normal", 3080180, 3034, 6114, 9194, 12274, "(0, 0, 0, 0)", 63, 6114, 385022 },
		EMPTY_MOVABLE,
	};
	/* clang-format on */
	struct machine *m = boot_machine("ram=16G");

	(void)state;
	assert_int_equal(min_free_kbytes(), 16238);
	assert_zones(z, ARRAY_SIZE(z));
	machine_destroy(m);
}

/* i386 2G: DMA 3840, Normal 209582 (208885 at init), HighMem 294912.
 *   lowmem_kbytes counts GFP_USER's zones, DMA and Normal:
 *     (3840 + 208885) * 4 = 850900; int_sqrt(13614400) = 3689
 *   pages_min = 922; lowmem_pages (not HighMem/Movable) = 212725
 *   DMA:     tmp = 922*3840/212725 = 16; delta = max(4, 3) = 4 -> 16 20 24 28
 *   Normal:  tmp = 922*208885/212725 = 905; delta = max(226, 208) = 226
 *            -> 905 1131 1357 1583
 *   HighMem: min = clamp(294912/1024 = 288, 32, 128) = 128;
 *            tmp = 922*294912/212725 = 1278; delta = max(319, 294) = 319
 *            -> 128 447 766 1085
 *   protection (DMA, Normal, HighMem, Movable; ratios 256 32 0 0):
 *     DMA:    208885/256 = 815, (208885+294912)/256 = 1967
 *     Normal: 294912/32 = 9216
 *   high_max: 208885/8 = 26110, 294912/8 = 36864 */
static void test_wmarks_i386_2G_highmem(void **state)
{
	/* clang-format off */
	static const struct zone_expect z[] = {
		{ "DMA", 3840, 16, 20, 24, 28, "(0, 815, 1967, 1967)", 1, 20, 480 },
		{ "Normal", 209582, 905, 1131, 1357, 1583, "(0, 0, 9216, 9216)", 63, 1131, 26110 },
		{ "HighMem", 294912, 128, 447, 766, 1085, "(0, 0, 0, 0)", 63, 447, 36864 },
		EMPTY_MOVABLE,
	};
	/* clang-format on */
	struct machine *m = boot_machine("arch=i386", "ram=2G");

	(void)state;
	assert_int_equal(min_free_kbytes(), 3689);
	assert_zones(z, ARRAY_SIZE(z));
	assert_sysctl_text("/proc/sys/vm/lowmem_reserve_ratio",
			   "256\t32\t0\t0\n");
	machine_destroy(m);
}

/* pcp limits are split between the CPUs of the zone's node.
 * 1G, 4 CPUs (at init DMA 3840, DMA32 245751):
 *   DMA:   high_min = max(18/4 = 4, 4*1) = 4;  high_max = 3840/8/4 = 120
 *   DMA32: high_min = max(1228/4 = 307, 252) = 307; high_max = 245751/8/4 = 7679 */
static void test_pcp_high_split_between_cpus(void **state)
{
	/* clang-format off */
	static const struct zone_expect z[] = {
		{ "DMA", 3840, 15, 18, 21, 24, "(0, 959, 959, 959)", 1, 4, 120 },
		{ "DMA32", 246448, 983, 1228, 1473, 1718, "(0, 0, 0, 0)", 63, 307, 7679 },
	};
	/* clang-format on */
	struct machine *m = boot_machine("ram=1G", "cpus=4");
	char *sec;

	(void)state;
	assert_zones(z, ARRAY_SIZE(z));
	/* Every CPU has the same limits. */
	sec = zoneinfo_section(0, "DMA32");
	assert_non_null(strstr(sec, "\n    cpu: 3\n              count:    0\n"
				    "              high:     307\n"
				    "              batch:    63\n"
				    "              high_min: 307\n"
				    "              high_max: 7679\n"));
	free(sec);
	machine_destroy(m);
}

/* Linux's totalreserve_pages: per zone max(lowmem_reserve[]) + high,
 * capped at managed. 1G: DMA 959 + 21 = 980, DMA32 0 + 1473, empty
 * Normal and Movable (high 32) capped at 0 managed: 2453 pages.
 * MemAvailable of an idle machine = free - totalreserve. */
static void test_totalreserve_and_memavailable(void **state)
{
	struct machine *m = boot_machine("ram=1G");

	(void)state;
	assert_int_equal(m->totalreserve_pages, 2453);
	assert_int_equal(
		proc_counter("/proc/meminfo", "MemAvailable:"),
		(proc_counter("/proc/meminfo", "MemFree:") / 4 - 2453) * 4);
	machine_destroy(m);
}

/* ---- sysctl writes ------------------------------------------------------------ */

/* min_free_kbytes = 65536 on 1G, now with DMA 3840 and DMA32 246448:
 *   pages_min = 16384; lowmem_pages = 250288
 *   DMA:   tmp = 16384*3840/250288 = 251; delta = max(62, 3) = 62
 *          -> 251 313 375 437
 *   DMA32: tmp = 16384*246448/250288 = 16132; delta = max(4033, 246) = 4033
 *          -> 16132 20165 24198 28231
 *   pcp follows the low watermark: high_min 313, 20165; high_max now
 *   from today's managed: 480, 246448/8 = 30806. Reserves unchanged. */
static void test_min_free_kbytes_write_recomputes(void **state)
{
	/* clang-format off */
	static const struct zone_expect z[] = {
		{ "DMA", 3840, 251, 313, 375, 437, "(0, 959, 959, 959)", 1, 313, 480 },
		{ "DMA32", 246448, 16132, 20165, 24198, 28231, "(0, 0, 0, 0)", 63, 20165, 30806 },
		EMPTY_NORMAL,
		EMPTY_MOVABLE,
	};
	/* clang-format on */
	struct machine *m = boot_machine("ram=1G");

	(void)state;
	write_ok("/proc/sys/vm/min_free_kbytes", "65536");
	assert_sysctl_text("/proc/sys/vm/min_free_kbytes", "65536\n");
	assert_zones(z, ARRAY_SIZE(z));
	assert_int_equal(check_page_alloc_invariants(), 0);
	machine_destroy(m);
}

/* A written value at least as large as the computed default survives a
 * recalculation (memory hotplug, khugepaged call init_per_zone_wmark_min
 * or calculate_min_free_kbytes), with Linux's warning. The new default
 * counts nr_free_buffer_pages(), managed less the high watermarks that
 * 65536 set: (3840 - 375) + (246448 - 24198) = 225715 pages,
 * int_sqrt(902860 * 16) = 3800. */
static void test_min_free_kbytes_user_value_wins(void **state)
{
	struct machine *m = boot_machine("ram=1G");
	char *sec;

	(void)state;
	write_ok("/proc/sys/vm/min_free_kbytes", "65536");
	init_per_zone_wmark_min();
	assert_int_equal(min_free_kbytes(), 65536);
	assert_true(log_contains(
		"min_free_kbytes is not updated to 3800 because user defined value 65536 is preferred\n"));
	sec = zoneinfo_section(0, "DMA32");
	assert_int_equal(field(sec, "\n        min      "), 16132);
	free(sec);
	machine_destroy(m);
}

/* A written value below the default does not: Linux's
 * calculate_min_free_kbytes() takes the new default when it is larger
 * than user_min_free_kbytes. Recomputed with today's managed counts
 * (nr_free_buffer_pages = managed - high: 3831 + 245704 = 249535 pages,
 * int_sqrt(998140*16) = 3996) and watermarks from them:
 *   DMA32: tmp = 999*246448/250288 = 983; delta = max(245, 246) = 246
 *          -> 983 1229 1475 1721 */
static void test_min_free_kbytes_smaller_user_value_is_replaced(void **state)
{
	struct machine *m = boot_machine("ram=1G");
	char *sec;

	(void)state;
	write_ok("/proc/sys/vm/min_free_kbytes", "1024");
	assert_int_equal(min_free_kbytes(), 1024);
	sec = zoneinfo_section(0, "DMA32");
	/* 1024: pages_min 256; tmp = 256*246448/250288 = 252; delta = 246 */
	assert_int_equal(field(sec, "\n        min      "), 252);
	assert_int_equal(field(sec, "\n        low      "), 498);
	free(sec);
	init_per_zone_wmark_min();
	assert_int_equal(min_free_kbytes(), 3996);
	sec = zoneinfo_section(0, "DMA32");
	assert_int_equal(field(sec, "\n        min      "), 983);
	assert_int_equal(field(sec, "\n        low      "), 1229);
	assert_int_equal(field(sec, "\n        high     "), 1475);
	assert_int_equal(field(sec, "\n        promo    "), 1721);
	free(sec);
	machine_destroy(m);
}

/* -o vm.min_free_kbytes=8192 is applied after boot and reads back.
 *   pages_min = 2048 over 250288 lowmem pages:
 *   DMA:   tmp = 31; delta = max(7, 3) = 7 -> 31 38 45 52
 *   DMA32: tmp = 2016; delta = max(504, 246) = 504 -> 2016 2520 3024 3528 */
static void test_min_free_kbytes_set_at_boot(void **state)
{
	/* clang-format off */
	static const struct zone_expect z[] = {
		{ "DMA", 3840, 31, 38, 45, 52, "(0, 959, 959, 959)", 1, 38, 480 },
		{ "DMA32", 246448, 2016, 2520, 3024, 3528, "(0, 0, 0, 0)", 63, 2520, 30806 },
	};
	/* clang-format on */
	struct machine *m = boot_machine("ram=1G", "vm.min_free_kbytes=8192");

	(void)state;
	assert_sysctl_text("/proc/sys/vm/min_free_kbytes", "8192\n");
	assert_zones(z, ARRAY_SIZE(z));
	assert_int_equal(m->user_min_free_kbytes, 8192);
	machine_destroy(m);
}

static void test_min_free_kbytes_rejects_bad_values(void **state)
{
	struct machine *m = boot_machine("ram=1G");
	char err[256] = "";

	(void)state;
	assert_int_equal(proc_write("/proc/sys/vm/min_free_kbytes", "-1", err,
				    sizeof(err)),
			 -EINVAL);
	assert_non_null(strstr(err, "-1"));
	assert_int_equal(proc_write("/proc/sys/vm/min_free_kbytes", "lots", err,
				    sizeof(err)),
			 -EINVAL);
	assert_int_equal(proc_write("/proc/sys/vm/min_free_kbytes", "", err,
				    sizeof(err)),
			 -EINVAL);
	assert_int_equal(min_free_kbytes(), 3996);
	assert_zones(wm_1G, ARRAY_SIZE(wm_1G));
	machine_destroy(m);
}

/* watermark_scale_factor = 100 (1%), min_free_kbytes still 3996:
 *   DMA:   tmp = 999*3840/250288 = 15; delta = max(3, 3840*100/10000 = 38) = 38
 *          -> 15 53 91 129
 *   DMA32: tmp = 999*246448/250288 = 983; delta = max(245, 2464) = 2464
 *          -> 983 3447 5911 8375 */
static void test_watermark_scale_factor_write_recomputes(void **state)
{
	/* clang-format off */
	static const struct zone_expect z[] = {
		{ "DMA", 3840, 15, 53, 91, 129, "(0, 959, 959, 959)", 1, 53, 480 },
		{ "DMA32", 246448, 983, 3447, 5911, 8375, "(0, 0, 0, 0)", 63, 3447, 30806 },
		EMPTY_NORMAL,
		EMPTY_MOVABLE,
	};
	/* clang-format on */
	struct machine *m = boot_machine("ram=1G");

	(void)state;
	assert_sysctl_text("/proc/sys/vm/watermark_scale_factor", "10\n");
	write_ok("/proc/sys/vm/watermark_scale_factor", "100");
	assert_sysctl_text("/proc/sys/vm/watermark_scale_factor", "100\n");
	assert_zones(z, ARRAY_SIZE(z));
	assert_int_equal(min_free_kbytes(), 3996);
	machine_destroy(m);
}

static void test_watermark_scale_factor_range(void **state)
{
	struct machine *m = boot_machine("ram=1G");
	char err[256] = "";

	(void)state;
	assert_int_equal(proc_write("/proc/sys/vm/watermark_scale_factor", "0",
				    err, sizeof(err)),
			 -EINVAL);
	assert_non_null(strstr(err, "0 is out of range"));
	assert_non_null(strstr(err, "1..3000"));
	err[0] = '\0';
	assert_int_equal(proc_write("/proc/sys/vm/watermark_scale_factor",
				    "3001", err, sizeof(err)),
			 -EINVAL);
	assert_non_null(strstr(err, "3001"));
	assert_non_null(strstr(err, "1..3000"));
	assert_sysctl_text("/proc/sys/vm/watermark_scale_factor", "10\n");
	assert_zones(wm_1G, ARRAY_SIZE(wm_1G));
	write_ok("/proc/sys/vm/watermark_scale_factor", "1");
	write_ok("/proc/sys/vm/watermark_scale_factor", "3000");
	assert_sysctl_text("/proc/sys/vm/watermark_scale_factor", "3000\n");
	machine_destroy(m);
}

/* lowmem_reserve_ratio "128 128 16" on 16G (DMA32 1036985, Normal
 * 3080180 managed now):
 *   DMA:   1036985/128 = 8101, (1036985+3080180)/128 = 32165
 *   DMA32: 3080180/128 = 24063
 *   Normal (ratio 16): Movable is empty -> 0
 * Fewer values than zones leave the rest (Movable's 0). */
static void test_lowmem_reserve_ratio_write(void **state)
{
	struct machine *m = boot_machine("ram=16G");
	char *sec;

	(void)state;
	assert_sysctl_text("/proc/sys/vm/lowmem_reserve_ratio",
			   "256\t256\t32\t0\n");
	write_ok("/proc/sys/vm/lowmem_reserve_ratio", "128 128 16");
	assert_sysctl_text("/proc/sys/vm/lowmem_reserve_ratio",
			   "128\t128\t16\t0\n");
	sec = zoneinfo_section(0, "DMA");
	assert_non_null(
		strstr(sec, "\n        protection: (0, 8101, 32165, 32165)\n"));
	free(sec);
	sec = zoneinfo_section(0, "DMA32");
	assert_non_null(
		strstr(sec, "\n        protection: (0, 0, 24063, 24063)\n"));
	free(sec);
	sec = zoneinfo_section(0, "Normal");
	assert_non_null(strstr(sec, "\n        protection: (0, 0, 0, 0)\n"));
	free(sec);
	/* One value sets DMA's ratio only: with 64,
	 *   1036985/64 = 16202, (1036985+3080180)/64 = 64330 */
	write_ok("/proc/sys/vm/lowmem_reserve_ratio", "64");
	assert_sysctl_text("/proc/sys/vm/lowmem_reserve_ratio",
			   "64\t128\t16\t0\n");
	sec = zoneinfo_section(0, "DMA");
	assert_non_null(strstr(
		sec, "\n        protection: (0, 16202, 64330, 64330)\n"));
	free(sec);
	machine_destroy(m);
}

/* Values below 1 become 0 (no reserve), as Linux's handler does; bad
 * text changes nothing. */
static void test_lowmem_reserve_ratio_zero_and_bad_input(void **state)
{
	struct machine *m = boot_machine("ram=1G");
	char err[256] = "";
	char *sec;

	(void)state;
	write_ok("/proc/sys/vm/lowmem_reserve_ratio", "-5 100");
	assert_sysctl_text("/proc/sys/vm/lowmem_reserve_ratio",
			   "0\t100\t32\t0\n");
	sec = zoneinfo_section(0, "DMA");
	assert_non_null(strstr(sec, "\n        protection: (0, 0, 0, 0)\n"));
	free(sec);
	assert_int_equal(proc_write("/proc/sys/vm/lowmem_reserve_ratio",
				    "1 2 x", err, sizeof(err)),
			 -EINVAL);
	assert_sysctl_text("/proc/sys/vm/lowmem_reserve_ratio",
			   "0\t100\t32\t0\n");
	machine_destroy(m);
}

/* percpu_pagelist_high_fraction = 8: high_min = high_max = managed/8
 * per CPU (today's managed): DMA 3840/8 = 480, DMA32 246448/8 = 30806.
 * Values 1..7 are refused; 0 returns to the watermark-based default. */
static void test_percpu_pagelist_high_fraction(void **state)
{
	struct machine *m = boot_machine("ram=1G");
	char err[256] = "";
	char *sec;

	(void)state;
	assert_sysctl_text("/proc/sys/vm/percpu_pagelist_high_fraction", "0\n");
	write_ok("/proc/sys/vm/percpu_pagelist_high_fraction", "8");
	sec = zoneinfo_section(0, "DMA32");
	assert_int_equal(field(sec, "\n              high_min: "), 30806);
	assert_int_equal(field(sec, "\n              high_max: "), 30806);
	free(sec);
	sec = zoneinfo_section(0, "DMA");
	assert_int_equal(field(sec, "\n              high_min: "), 480);
	free(sec);
	assert_int_equal(
		proc_write("/proc/sys/vm/percpu_pagelist_high_fraction", "7",
			   err, sizeof(err)),
		-EINVAL);
	assert_non_null(strstr(err, "7"));
	assert_sysctl_text("/proc/sys/vm/percpu_pagelist_high_fraction", "8\n");
	write_ok("/proc/sys/vm/percpu_pagelist_high_fraction", "0");
	sec = zoneinfo_section(0, "DMA32");
	/* Back to low/1 CPU and managed/8 with today's managed. */
	assert_int_equal(field(sec, "\n              high_min: "), 1228);
	assert_int_equal(field(sec, "\n              high_max: "), 30806);
	free(sec);
	machine_destroy(m);
}

static void test_watermark_boost_factor_sysctl(void **state)
{
	struct machine *m = boot_machine("ram=1G");
	char err[256] = "";

	(void)state;
	assert_sysctl_text("/proc/sys/vm/watermark_boost_factor", "15000\n");
	write_ok("/proc/sys/vm/watermark_boost_factor", "0");
	assert_sysctl_text("/proc/sys/vm/watermark_boost_factor", "0\n");
	assert_int_equal(proc_write("/proc/sys/vm/watermark_boost_factor", "-1",
				    err, sizeof(err)),
			 -EINVAL);
	assert_sysctl_text("/proc/sys/vm/watermark_boost_factor", "0\n");
	machine_destroy(m);
}

/* The zone stat threshold ("vm stats threshold") is Linux's
 * calculate_normal_threshold() of the zone's managed pages, which Linux
 * evaluates in refresh_zone_stat_thresholds() from
 * init_per_zone_wmark_min(), after memblock_free_all():
 *   2 * fls(cpus) * (1 + fls(managed >> 15)), at most 125.
 * 2100M x86_64, 1 CPU: DMA32 managed 517600 (516903 at init);
 *   516903 >> 15 = 15, fls(15) = 4: 2 * 1 * 5 = 10.
 *   (The estimate before memblock hands memory over, 533504 - 8336 =
 *   525168, gives 16 -> fls 5 -> 12.) */
static void test_stat_threshold_from_managed_pages(void **state)
{
	struct machine *m = boot_machine("ram=2100M");
	char *sec = zoneinfo_section(0, "DMA32");
	long managed = field(sec, "\n        managed  ");
	long threshold = field(sec, "\n  vm stats threshold: ");

	(void)state;
	free(sec);
	assert_int_equal(managed, 517600);
	assert_int_equal(threshold, 10);
	machine_destroy(m);
}

/* 1G, 8 CPUs: DMA32 245751 >> 15 = 7, fls 3; fls(8) = 4: 2*4*4 = 32.
 * DMA: 3840 >> 15 = 0: 2*4*1 = 8. */
static void test_stat_threshold_scales_with_cpus(void **state)
{
	struct machine *m = boot_machine("ram=1G", "cpus=8");
	char *sec;

	(void)state;
	sec = zoneinfo_section(0, "DMA32");
	assert_int_equal(field(sec, "\n  vm stats threshold: "), 32);
	free(sec);
	sec = zoneinfo_section(0, "DMA");
	assert_int_equal(field(sec, "\n  vm stats threshold: "), 8);
	free(sec);
	machine_destroy(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_wmarks_x86_64_512M,
					  destroy_current),
		cmocka_unit_test_teardown(test_wmarks_x86_64_1G,
					  destroy_current),
		cmocka_unit_test_teardown(test_wmarks_x86_64_4G,
					  destroy_current),
		cmocka_unit_test_teardown(test_wmarks_x86_64_16G,
					  destroy_current),
		cmocka_unit_test_teardown(test_wmarks_i386_2G_highmem,
					  destroy_current),
		cmocka_unit_test_teardown(test_pcp_high_split_between_cpus,
					  destroy_current),
		cmocka_unit_test_teardown(test_totalreserve_and_memavailable,
					  destroy_current),
		cmocka_unit_test_teardown(test_min_free_kbytes_write_recomputes,
					  destroy_current),
		cmocka_unit_test_teardown(test_min_free_kbytes_user_value_wins,
					  destroy_current),
		cmocka_unit_test_teardown(
			test_min_free_kbytes_smaller_user_value_is_replaced,
			destroy_current),
		cmocka_unit_test_teardown(test_min_free_kbytes_set_at_boot,
					  destroy_current),
		cmocka_unit_test_teardown(
			test_min_free_kbytes_rejects_bad_values,
			destroy_current),
		cmocka_unit_test_teardown(
			test_watermark_scale_factor_write_recomputes,
			destroy_current),
		cmocka_unit_test_teardown(test_watermark_scale_factor_range,
					  destroy_current),
		cmocka_unit_test_teardown(test_lowmem_reserve_ratio_write,
					  destroy_current),
		cmocka_unit_test_teardown(
			test_lowmem_reserve_ratio_zero_and_bad_input,
			destroy_current),
		cmocka_unit_test_teardown(test_percpu_pagelist_high_fraction,
					  destroy_current),
		cmocka_unit_test_teardown(test_watermark_boost_factor_sysctl,
					  destroy_current),
		cmocka_unit_test_teardown(test_stat_threshold_from_managed_pages,
					  destroy_current),
		cmocka_unit_test_teardown(test_stat_threshold_scales_with_cpus,
					  destroy_current),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
