/* vm.* sysctls: integer values in the machine with their ranges and the
 * handlers Linux runs after a write (watermarks and lowmem reserves are
 * recomputed, pcp limits follow). Values are read and written as text,
 * like proc_dointvec_minmax: whitespace-separated decimal integers. */
#include "kernel/sysctl.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "kernel/machine.h"
#include "mm/internal.h"

struct ctl_int {
	size_t offset; /* of the int (or first int of the array) in machine */
	int count;     /* 1, or MAX_NR_ZONES for a per-zone array */
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
		if (end == s || errno || (*end && !isspace((unsigned char)*end))) {
			snprintf(err, errlen, "'%s' is not an integer", s);
			return -EINVAL;
		}
		if (v < c->min || v > c->max) {
			snprintf(err, errlen, "%ld is out of range (accepted: %ld..%ld)",
				 v, c->min, c->max);
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

#define MOFF(field) offsetof(struct machine, field)

static const struct ctl_int ctl_lowmem_reserve_ratio = {
	MOFF(lowmem_reserve_ratio), MAX_NR_ZONES, -2147483647L - 1, 2147483647L,
	lowmem_reserve_ratio_handler
};
static const struct ctl_int ctl_min_free_kbytes = {
	MOFF(min_free_kbytes), 1, 0, 2147483647L, min_free_kbytes_handler
};
static const struct ctl_int ctl_percpu_pagelist_high_fraction = {
	MOFF(percpu_pagelist_high_fraction), 1, 0, 2147483647L,
	percpu_pagelist_high_fraction_handler
};
static const struct ctl_int ctl_watermark_boost_factor = {
	MOFF(watermark_boost_factor), 1, 0, 2147483647L, NULL
};
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
		snprintf(err, errlen, "%d is out of range (accepted: 0, or %d and above)",
			 v, MIN_PERCPU_PAGELIST_HIGH_FRACTION);
		return -EINVAL;
	}
	return ctl_int_write(value, err, errlen, priv);
}

static const struct proc_entry vm_entries[] = {
	{ "/proc/sys/vm/lowmem_reserve_ratio", ctl_int_show, ctl_int_write,
	  &ctl_lowmem_reserve_ratio },
	{ "/proc/sys/vm/min_free_kbytes", ctl_int_show, ctl_int_write,
	  &ctl_min_free_kbytes },
	{ "/proc/sys/vm/percpu_pagelist_high_fraction", ctl_int_show,
	  percpu_fraction_write, &ctl_percpu_pagelist_high_fraction },
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
