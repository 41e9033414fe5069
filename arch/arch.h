/* Arch presets: what differs between x86_64 and i386 at the level of
 * physical memory (zones, their limits, page-block order, kernel split). */
#ifndef MMSIM_ARCH_ARCH_H
#define MMSIM_ARCH_ARCH_H

#include <stdint.h>

#include "mm/mmzone.h"

struct arch_desc {
	const char *name;
	int bits;                     /* 64 or 32 */
	unsigned zones_mask;          /* 1 << zone_type for each zone that exists */
	uint64_t zone_end[MAX_NR_ZONES]; /* physical end of DMA/DMA32/NORMAL; 0 = n/a */
	unsigned pageblock_order;
	uint64_t max_ram;             /* largest RAM mmsim accepts for this arch */
	uint64_t max_arch_pfn;        /* printed by the boot log */
	unsigned long vmalloc_total_kb; /* meminfo VmallocTotal */
	unsigned long hpage_kb;       /* meminfo Hugepagesize */
	const char *direct_map_large; /* meminfo DirectMap line for large pages */
};

extern const struct arch_desc arch_x86_64;
extern const struct arch_desc arch_i386;

/* NULL when the name is unknown. */
const struct arch_desc *arch_lookup(const char *name);

static inline int arch_has_zone(const struct arch_desc *a, enum zone_type z)
{
	return (a->zones_mask >> z) & 1;
}

#endif
