/* The vm.* sysctls, and the kernel.* ones of the memory subsystem:
 * integer values in the machine with their ranges and the handlers Linux
 * runs after a write (watermarks and lowmem reserves are recomputed, pcp
 * limits follow, overcommit_ratio and overcommit_kbytes clear each
 * other). Values are read and written as text, like proc_dointvec(_minmax)
 * and proc_doulongvec_minmax: whitespace-separated decimal integers. */
#include "kernel/sysctl.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "kernel/machine.h"
#include "mm/internal.h"
#include "mm/vma.h"

struct ctl_int {
	size_t offset; /* of the int (or first int of the array) in machine */
	int count; /* 1, or MAX_NR_ZONES for a per-zone array */
	long min, max;
	void (*handler)(void); /* recomputes what depends on the value */
};

static int *ctl_value(const struct ctl_int *c)
{
	return (int *)((char *)M + c->offset);
}

static void min_free_kbytes_handler(void)
{
	M->user_min_free_kbytes = M->min_free_kbytes;
	setup_per_zone_wmarks();
}

static void lowmem_reserve_ratio_handler(void)
{
	for (int i = 0; i < MAX_NR_ZONES; i++)
		if (M->lowmem_reserve_ratio[i] < 1)
			M->lowmem_reserve_ratio[i] = 0;
	setup_per_zone_lowmem_reserve();
}

/* Only existing zones have a lowmem_reserve_ratio entry. */
static bool ctl_slot_exists(const struct ctl_int *c, int i)
{
	return c->count == 1 || arch_has_zone(M->arch, (enum zone_type)i);
}

static void ctl_int_show(struct seq_file *m, const void *priv)
{
	const struct ctl_int *c = priv;
	const int *v = ctl_value(c);
	bool first = true;

	for (int i = 0; i < c->count; i++)
		if (ctl_slot_exists(c, i)) {
			seq_printf(m, "%s%d", first ? "" : "\t", v[i]);
			first = false;
		}
	seq_putc(m, '\n');
}

/* Parses up to c->count integers; fewer leave the rest unchanged. */
static int ctl_int_parse(const struct ctl_int *c, const char *s, int *out,
			 char *err, size_t errlen)
{
	int n = 0;

	for (int i = 0; i < c->count; i++) {
		char *end;
		long v;

		if (!ctl_slot_exists(c, i))
			continue;
		while (isspace((unsigned char)*s))
			s++;
		if (!*s)
			break;
		errno = 0;
		v = strtol(s, &end, 10);
		if (end == s || errno ||
		    (*end && !isspace((unsigned char)*end))) {
			snprintf(err, errlen, "'%s' is not an integer", s);
			return -EINVAL;
		}
		if (v < c->min || v > c->max) {
			snprintf(err, errlen,
				 "%ld is out of range (accepted: %ld..%ld)", v,
				 c->min, c->max);
			return -EINVAL;
		}
		out[i] = (int)v;
		s = end;
		n++;
	}
	while (isspace((unsigned char)*s))
		s++;
	if (!n || *s) {
		snprintf(err, errlen, n ? "too many values" : "no value given");
		return -EINVAL;
	}
	return 0;
}

static int ctl_int_write(const char *value, char *err, size_t errlen,
			 const void *priv)
{
	const struct ctl_int *c = priv;
	int tmp[MAX_NR_ZONES];
	int *v = ctl_value(c);
	int ret;

	for (int i = 0; i < c->count; i++)
		tmp[i] = v[i];
	ret = ctl_int_parse(c, value, tmp, err, errlen);
	if (ret)
		return ret;
	for (int i = 0; i < c->count; i++)
		v[i] = tmp[i];
	if (c->handler)
		c->handler();
	return 0;
}

static void percpu_pagelist_high_fraction_handler(void)
{
	zone_pcp_update_all();
}

/* vm.overcommit_ratio and vm.overcommit_kbytes: setting one clears the
 * other (overcommit_ratio_handler, overcommit_kbytes_handler). */
static void overcommit_ratio_handler(void)
{
	M->overcommit_kbytes = 0;
}

static void overcommit_kbytes_handler(void)
{
	M->overcommit_ratio = 0;
}

/* unsigned long sysctls (proc_doulongvec_minmax): one value. */
struct ctl_ulong {
	size_t offset; /* of the unsigned long in machine */
	void (*handler)(void);
};

static unsigned long *ctl_ulong_value(const struct ctl_ulong *c)
{
	return (unsigned long *)((char *)M + c->offset);
}

static void ctl_ulong_show(struct seq_file *m, const void *priv)
{
	seq_printf(m, "%lu\n", *ctl_ulong_value(priv));
}

static int ctl_ulong_write(const char *value, char *err, size_t errlen,
			   const void *priv)
{
	const struct ctl_ulong *c = priv;
	const char *s = value;
	unsigned long v;
	char *end;

	while (isspace((unsigned char)*s))
		s++;
	if (!*s) {
		snprintf(err, errlen, "no value given");
		return -EINVAL;
	}
	errno = 0;
	v = strtoul(s, &end, 10);
	if (*s == '-' || end == s || errno) {
		snprintf(err, errlen, "'%s' is not an unsigned integer", s);
		return -EINVAL;
	}
	while (isspace((unsigned char)*end))
		end++;
	if (*end) {
		snprintf(err, errlen, "too many values");
		return -EINVAL;
	}
	*ctl_ulong_value(c) = v;
	if (c->handler)
		c->handler();
	return 0;
}

#define MOFF(field) offsetof(struct machine, field)

static const struct ctl_int ctl_legacy_va_layout = { MOFF(legacy_va_layout), 1,
						     0, 2147483647L, NULL };
static const struct ctl_int ctl_max_map_count = { MOFF(max_map_count), 1, 0,
						  2147483647L, NULL };
static const struct ctl_ulong ctl_mmap_min_addr = { MOFF(mmap_min_addr), NULL };
static const struct ctl_ulong ctl_overcommit_kbytes = {
	MOFF(overcommit_kbytes), overcommit_kbytes_handler
};
static const struct ctl_int ctl_overcommit_memory = { MOFF(overcommit_memory),
						      1, 0, 2, NULL };
static const struct ctl_int ctl_overcommit_ratio = { MOFF(overcommit_ratio), 1,
						     -2147483647L - 1,
						     2147483647L,
						     overcommit_ratio_handler };
static const struct ctl_int ctl_lowmem_reserve_ratio = {
	MOFF(lowmem_reserve_ratio), MAX_NR_ZONES, -2147483647L - 1, 2147483647L,
	lowmem_reserve_ratio_handler
};
static const struct ctl_int ctl_min_free_kbytes = { MOFF(min_free_kbytes), 1, 0,
						    2147483647L,
						    min_free_kbytes_handler };
static const struct ctl_int ctl_percpu_pagelist_high_fraction = {
	MOFF(percpu_pagelist_high_fraction), 1, 0, 2147483647L,
	percpu_pagelist_high_fraction_handler
};
static const struct ctl_int ctl_watermark_boost_factor = {
	MOFF(watermark_boost_factor), 1, 0, 2147483647L, NULL
};
/* The OOM killer's (mm/oom_kill.c): panic_on_oom 0..2 (minmax), the
 * other two any int (proc_dointvec). */
static const struct ctl_int ctl_oom_dump_tasks = { MOFF(oom_dump_tasks), 1,
						   -2147483647L - 1,
						   2147483647L, NULL };
static const struct ctl_int ctl_oom_kill_allocating_task = {
	MOFF(oom_kill_allocating_task), 1, -2147483647L - 1, 2147483647L, NULL
};
static const struct ctl_int ctl_panic_on_oom = { MOFF(panic_on_oom), 1, 0, 2,
						 NULL };
static const struct ctl_int ctl_watermark_scale_factor = {
	MOFF(watermark_scale_factor), 1, 1, 3000, setup_per_zone_wmarks
};

/* vm.percpu_pagelist_high_fraction accepts 0 or at least 8. */
static int percpu_fraction_write(const char *value, char *err, size_t errlen,
				 const void *priv)
{
	const struct ctl_int *c = priv;
	int v = 0;

	if (ctl_int_parse(c, value, &v, err, errlen))
		return -EINVAL;
	if (v && v < MIN_PERCPU_PAGELIST_HIGH_FRACTION) {
		snprintf(err, errlen,
			 "%d is out of range (accepted: 0, or %d and above)", v,
			 MIN_PERCPU_PAGELIST_HIGH_FRACTION);
		return -EINVAL;
	}
	return ctl_int_write(value, err, errlen, priv);
}

/* vm.mmap_rnd_bits: proc_dointvec_minmax within the arch's
 * ARCH_MMAP_RND_BITS_MIN..MAX. */
static int mmap_rnd_bits_write(const char *value, char *err, size_t errlen,
			       const void *priv)
{
	const struct arch_aslr *a = arch_aslr(M->arch);
	struct ctl_int c = *(const struct ctl_int *)priv;

	c.min = a->mmap_rnd_bits_min;
	c.max = a->mmap_rnd_bits_max;
	return ctl_int_write(value, err, errlen, &c);
}

static const struct ctl_int ctl_mmap_rnd_bits = {
	MOFF(mmap_rnd_bits), 1, 0, 0, NULL /* range: the arch's */
};
/* kernel.randomize_va_space takes any int (proc_dointvec): 0 is off,
 * anything else randomises, above 1 the brk too. */
static const struct ctl_int ctl_randomize_va_space = { MOFF(randomize_va_space),
						       1, -2147483647L - 1,
						       2147483647L, NULL };

static const struct ctl_int ctl_swappiness = { MOFF(vm_swappiness), 1, 0, 200,
					       NULL };
static const struct ctl_int ctl_page_cluster = { MOFF(page_cluster), 1, 0, 31,
						 NULL };
static const struct ctl_int ctl_drop_caches = { MOFF(drop_caches), 1, 1, 4,
						drop_caches_sysctl_handler };

static const struct proc_entry kernel_entries[] = {
	{ "/proc/sys/kernel/randomize_va_space", ctl_int_show, ctl_int_write,
	  &ctl_randomize_va_space },
};

static const struct proc_entry vm_entries[] = {
	{ "/proc/sys/vm/drop_caches", ctl_int_show, ctl_int_write,
	  &ctl_drop_caches },
	{ "/proc/sys/vm/legacy_va_layout", ctl_int_show, ctl_int_write,
	  &ctl_legacy_va_layout },
	{ "/proc/sys/vm/lowmem_reserve_ratio", ctl_int_show, ctl_int_write,
	  &ctl_lowmem_reserve_ratio },
	{ "/proc/sys/vm/max_map_count", ctl_int_show, ctl_int_write,
	  &ctl_max_map_count },
	{ "/proc/sys/vm/min_free_kbytes", ctl_int_show, ctl_int_write,
	  &ctl_min_free_kbytes },
	{ "/proc/sys/vm/mmap_min_addr", ctl_ulong_show, ctl_ulong_write,
	  &ctl_mmap_min_addr },
	{ "/proc/sys/vm/mmap_rnd_bits", ctl_int_show, mmap_rnd_bits_write,
	  &ctl_mmap_rnd_bits },
	{ "/proc/sys/vm/oom_dump_tasks", ctl_int_show, ctl_int_write,
	  &ctl_oom_dump_tasks },
	{ "/proc/sys/vm/oom_kill_allocating_task", ctl_int_show, ctl_int_write,
	  &ctl_oom_kill_allocating_task },
	{ "/proc/sys/vm/overcommit_kbytes", ctl_ulong_show, ctl_ulong_write,
	  &ctl_overcommit_kbytes },
	{ "/proc/sys/vm/overcommit_memory", ctl_int_show, ctl_int_write,
	  &ctl_overcommit_memory },
	{ "/proc/sys/vm/overcommit_ratio", ctl_int_show, ctl_int_write,
	  &ctl_overcommit_ratio },
	{ "/proc/sys/vm/page-cluster", ctl_int_show, ctl_int_write,
	  &ctl_page_cluster },
	{ "/proc/sys/vm/panic_on_oom", ctl_int_show, ctl_int_write,
	  &ctl_panic_on_oom },
	{ "/proc/sys/vm/percpu_pagelist_high_fraction", ctl_int_show,
	  percpu_fraction_write, &ctl_percpu_pagelist_high_fraction },
	{ "/proc/sys/vm/swappiness", ctl_int_show, ctl_int_write,
	  &ctl_swappiness },
	{ "/proc/sys/vm/watermark_boost_factor", ctl_int_show, ctl_int_write,
	  &ctl_watermark_boost_factor },
	{ "/proc/sys/vm/watermark_scale_factor", ctl_int_show, ctl_int_write,
	  &ctl_watermark_scale_factor },
};

const struct proc_entry *sysctl_vm_entries(size_t *n)
{
	*n = ARRAY_SIZE(vm_entries);
	return vm_entries;
}

const struct proc_entry *sysctl_kernel_entries(size_t *n)
{
	*n = ARRAY_SIZE(kernel_entries);
	return kernel_entries;
}
