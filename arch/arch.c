/* Arch presets. x86_64: DMA < 16 MiB, DMA32 < 4 GiB, Normal above.
 * i386 (2-level, no PAE): DMA < 16 MiB, Normal < 896 MiB, HighMem above;
 * 4 MiB huge pages make its page blocks order 10. */
#include "arch/arch.h"

#include <string.h>

#define GiB (1ULL << 30)
#define MiB (1ULL << 20)

const struct arch_desc arch_x86_64 = {
	.name = "x86_64",
	.bits = 64,
	.zones_mask = 1u << ZONE_DMA | 1u << ZONE_DMA32 | 1u << ZONE_NORMAL |
		      1u << ZONE_MOVABLE,
	.zone_end = { [ZONE_DMA] = 16 * MiB, [ZONE_DMA32] = 4 * GiB },
	.pageblock_order = 9,
	.max_ram = 128 * GiB,
	.max_arch_pfn = 0x400000000ULL,
	.hpage_kb = 2048,
	.direct_map_large = "DirectMap2M",
};

const struct arch_desc arch_i386 = {
	.name = "i386",
	.bits = 32,
	.zones_mask = 1u << ZONE_DMA | 1u << ZONE_NORMAL | 1u << ZONE_HIGHMEM |
		      1u << ZONE_MOVABLE,
	.zone_end = { [ZONE_DMA] = 16 * MiB, [ZONE_NORMAL] = 896 * MiB },
	.pageblock_order = 10,
	.max_ram = 4 * GiB,
	.max_arch_pfn = 0x100000ULL,
	.hpage_kb = 4096,
	.direct_map_large = "DirectMap4M",
};

const struct arch_desc *arch_lookup(const char *name)
{
	if (!strcmp(name, "x86_64"))
		return &arch_x86_64;
	if (!strcmp(name, "i386"))
		return &arch_i386;
	return NULL;
}
