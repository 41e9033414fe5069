/* Shared helpers for the cmocka tests: boot a machine from "key=value"
 * options, read a /proc file into a string (or search it), read one
 * counter from a "name value" file such as /proc/vmstat, search the
 * kernel log, count free pages with the per-CPU lists drained and the
 * pages that boot leaves outside the buddy lists (the slab pages of
 * kmem_cache_init and the per-CPU page lists they came from), and scale
 * long random runs down in slow (sanitizer or unoptimised) builds.
 * Header-only (static inline) so any tests/test_*.c can include it;
 * include <cmocka.h> (after its prerequisites) before this header. */
#ifndef MMSIM_TESTS_HELPERS_H
#define MMSIM_TESTS_HELPERS_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arch/pgtable.h"
#include "base/seq_file.h"
#include "fs/proc/proc.h"
#include "kernel/machine.h"
#include "mm/gfp.h"
#include "mm/vmstat.h"

/* Sanitizers and -O0 make each operation ~10x slower: long random runs
 * divide their operations by OPS_DIVISOR. */
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_UNDEFINED__)
#define SLOW_BUILD 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || \
	__has_feature(undefined_behavior_sanitizer)
#define SLOW_BUILD 1
#endif
#endif
#if !defined(SLOW_BUILD) && !defined(__OPTIMIZE__)
#define SLOW_BUILD 1
#endif
#ifdef SLOW_BUILD
#define OPS_DIVISOR 10
#else
#define OPS_DIVISOR 1
#endif

/* Boots a machine from a NULL-terminated list of "key=value" strings
 * (keys as machine_config_set takes them: ram, nodes, cpus, arch,
 * kernel-size, seed, vm.NAME, kernel.NAME) and makes it current. Fails
 * the test on error. Sysctl values are kept by pointer until boot: pass
 * strings that live that long (literals). Tests see exact addresses:
 * kernel.randomize_va_space is 0 unless the options set it. */
static inline struct machine *boot_machine_opts(const char *const *opts)
{
	struct machine_config cfg;
	char err[256] = "";
	struct machine *m;

	machine_config_default(&cfg);
	/* Applied first, so a test's own setting wins. */
	if (!machine_config_set(&cfg, "kernel.randomize_va_space", "0", err,
				sizeof(err)))
		fail_msg("helpers: %s", err);
	for (; opts && *opts; opts++) {
		const char *eq = strchr(*opts, '=');
		char key[64];
		size_t klen;

		if (!eq)
			fail_msg("helpers: option '%s' is not key=value", *opts);
		klen = (size_t)(eq - *opts);
		if (klen >= sizeof(key))
			fail_msg("helpers: option key too long in '%s'", *opts);
		memcpy(key, *opts, klen);
		key[klen] = '\0';
		/* Sysctl keys are kept by pointer until boot applies them:
		 * copy them to a static pool (no heap, so no leak report). */
		if (!strncmp(key, "vm.", 3) || !strncmp(key, "kernel.", 7)) {
			static char pool[MAX_SYSCTL_OVERRIDES][64];

			if (cfg.nr_sysctls >= MAX_SYSCTL_OVERRIDES)
				fail_msg("helpers: too many sysctl options");
			strcpy(pool[cfg.nr_sysctls], key);
			if (!machine_config_set(&cfg, pool[cfg.nr_sysctls],
						eq + 1, err, sizeof(err)))
				fail_msg("helpers: %s", err);
			continue;
		}
		if (!machine_config_set(&cfg, key, eq + 1, err, sizeof(err)))
			fail_msg("helpers: %s", err);
	}
	m = machine_boot(&cfg, err, sizeof(err));
	if (!m)
		fail_msg("helpers: boot failed: %s", err);
	return m;
}

/* boot_machine("ram=512M", "cpus=2") */
#define boot_machine(...) \
	boot_machine_opts((const char *const[]){ __VA_ARGS__, NULL })

/* Renders a /proc file of the current machine into a malloc'ed string
 * (free() it). Fails the test if the file does not exist. */
static inline char *proc_text(const char *path)
{
	struct seq_file m;
	char *s;

	seq_init(&m);
	if (proc_read(path, &m))
		fail_msg("helpers: %s does not exist", path);
	s = strdup(seq_text(&m));
	seq_release(&m);
	if (!s)
		fail_msg("helpers: out of host memory");
	return s;
}

/* Whether a /proc file of the current machine contains s. */
static inline bool proc_contains(const char *path, const char *s)
{
	char *text = proc_text(path);
	bool found = strstr(text, s) != NULL;

	free(text);
	return found;
}

/* Value of the line "name value" in a /proc file such as /proc/vmstat
 * or /proc/sys-style flat files. Fails the test if there is no such
 * line. */
static inline unsigned long proc_counter(const char *path, const char *name)
{
	char *text = proc_text(path);
	size_t len = strlen(name);
	const char *p = text;
	unsigned long v = 0;
	bool found = false;

	while (p && *p) {
		if (!strncmp(p, name, len) && p[len] == ' ') {
			v = strtoul(p + len + 1, NULL, 10);
			found = true;
			break;
		}
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	free(text);
	if (!found)
		fail_msg("helpers: no '%s' in %s", name, path);
	return v;
}

/* One /proc/vmstat counter by name. */
static inline unsigned long vmstat_counter(const char *name)
{
	return proc_counter("/proc/vmstat", name);
}

/* Pages held by the slab allocator, from /proc/vmstat: nr_slab_reclaimable
 * + nr_slab_unreclaimable (Linux's NR_SLAB_*_B, shown in pages). */
static inline unsigned long slab_pages(void)
{
	return vmstat_counter("nr_slab_reclaimable") +
	       vmstat_counter("nr_slab_unreclaimable");
}

/* The same from /proc/slabinfo: the sum over caches of <num_slabs> *
 * <pagesperslab>. Large kmalloc blocks (above kmalloc-8k) count in
 * nr_slab_unreclaimable but belong to no cache, so the two agree only
 * while there are none (as right after boot). */
static inline unsigned long slabinfo_pages(void)
{
	char *text = proc_text("/proc/slabinfo");
	unsigned long pages = 0;

	for (const char *p = text; p && *p;) {
		unsigned long num_slabs;
		unsigned pagesperslab;

		if (*p != '#' && strncmp(p, "slabinfo ", 9)) {
			if (sscanf(p,
				   "%*s %*u %*u %*u %*u %u : tunables %*u %*u %*u : slabdata %*u %lu",
				   &pagesperslab, &num_slabs) != 2)
				fail_msg(
					"helpers: bad /proc/slabinfo line: %.80s",
					p);
			pages += num_slabs * pagesperslab;
		}
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	free(text);
	return pages;
}

/* Page-table pages a freshly booted machine holds (nr_page_table_pages):
 * the tables under every top-level entry of the vmalloc range that boot
 * preallocates. x86-64 mem_init(): 32 TiB / 512 GiB = 64 PUD tables
 * (LA57: 12800 TiB / 256 TiB = 50 P4D tables); riscv64's
 * pgtable_cache_init(): 64 GiB / 1 GiB = 64 PMD tables with Sv39, 32 TiB /
 * 512 GiB = 64 PUD tables with Sv48; i386 makes its vmalloc tables on
 * demand. Boot's own tables (the direct map) are reserved memory. */
static inline unsigned long boot_pagetable_pages(void)
{
	if (M->pt_fmt == &pt_x86_64_5level)
		return 50;
	if (M->pt_fmt == &pt_i386_2level)
		return 0;
	return 64;
}

/* Pages of kernel stacks (meminfo KernelStack): the idle tasks of the
 * CPUs after the first (fork_idle()); swapper/0's is in the image. */
static inline unsigned long kernel_stack_pages(void)
{
	return proc_counter("/proc/meminfo", "KernelStack:") / 4;
}

/* Free pages in the buddy lists once every per-CPU list is empty. */
static inline unsigned long free_pages_drained(void)
{
	drain_all_pages(NULL);
	return nr_free_pages();
}

/* Pages on the per-CPU page lists of every populated zone and CPU: free,
 * but not in the buddy lists (not in MemFree / nr_free_pages). */
static inline unsigned long pcp_pages(void)
{
	unsigned long pages = 0;
	struct zone *zone;
	int cpu;

	for_each_populated_zone(zone)
		for_each_online_cpu(cpu)
			pages +=
				(unsigned long)zone->per_cpu_pageset[cpu].count;
	return pages;
}

/* The kernel log (dmesg) text of the current machine. */
static inline const char *log_text(void)
{
	return seq_text(&M->log);
}

/* Whether the kernel log contains s. */
static inline bool log_contains(const char *s)
{
	return strstr(log_text(), s) != NULL;
}

/* Log position, so a test can look only at what came after it. */
static inline size_t log_mark(void)
{
	return M->log.count;
}

/* Whether the log text written since mark contains s. */
static inline bool log_contains_since(size_t mark, const char *s)
{
	return strstr(log_text() + mark, s) != NULL;
}

/* cmocka teardown: destroys the machine a failed test left behind, so a
 * failure does not turn into leak reports. */
static inline int destroy_current(void **state)
{
	(void)state;
	if (cur_machine)
		machine_destroy(cur_machine);
	return 0;
}

#endif
