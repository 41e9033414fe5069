/* Arch presets. x86_64: DMA < 16 MiB, DMA32 < 4 GiB, Normal above.
 * i386 (2-level, no PAE): DMA < 16 MiB, Normal < 896 MiB, HighMem above;
 * 4 MiB huge pages make its page blocks order 10. riscv64 (a QEMU virt
 * style machine): RAM from 0x80000000, DMA32 < 4 GiB, Normal above, no
 * ZONE_DMA; the kernel loads 2 MiB into RAM, above the firmware. */
#include "arch/arch.h"

#include <string.h>

#define GiB (1ULL << 30)
#define MiB (1ULL << 20)

const struct arch_desc arch_x86_64 = {
	.name = "x86_64",
	.bits = 64,
	.x86 = true,
	.zones_mask = 1u << ZONE_DMA | 1u << ZONE_DMA32 | 1u << ZONE_NORMAL |
		      1u << ZONE_MOVABLE,
	.zone_end = { [ZONE_DMA] = 16 * MiB, [ZONE_DMA32] = 4 * GiB },
	.pageblock_order = 9,
	.kernel_offset = 16 * MiB, /* CONFIG_PHYSICAL_START */
	.max_ram = 128 * GiB,
	.max_arch_pfn = 0x400000000ULL,
	.hpage_kb = 2048,
	.direct_map_large = "DirectMap2M",
};

const struct arch_desc arch_i386 = {
	.name = "i386",
	.bits = 32,
	.x86 = true,
	.zones_mask = 1u << ZONE_DMA | 1u << ZONE_NORMAL | 1u << ZONE_HIGHMEM |
		      1u << ZONE_MOVABLE,
	.zone_end = { [ZONE_DMA] = 16 * MiB, [ZONE_NORMAL] = 896 * MiB },
	.pageblock_order = 10,
	.kernel_offset = 16 * MiB,
	.max_ram = 4 * GiB,
	.max_arch_pfn = 0x100000ULL,
	.hpage_kb = 4096,
	.direct_map_large = "DirectMap4M",
};

/* Page blocks follow HUGETLB_PAGE_ORDER (2 MiB PMD leaves). The linear
 * map holds at most KERN_VIRT_SIZE - 4 GiB (Sv39: 128 - 4 GiB; setup_vm's
 * memory_limit), whatever the paging mode. */
const struct arch_desc arch_riscv64 = {
	.name = "riscv64",
	.bits = 64,
	.zones_mask = 1u << ZONE_DMA32 | 1u << ZONE_NORMAL | 1u << ZONE_MOVABLE,
	.zone_end = { [ZONE_DMA32] = 4 * GiB },
	.pageblock_order = 9,
	.phys_ram_base = 0x80000000ULL,
	.kernel_offset = 2 * MiB,
	.max_ram = 124 * GiB,
	.hpage_kb = 2048,
};

const struct arch_desc *arch_lookup(const char *name)
{
	if (!strcmp(name, "x86_64"))
		return &arch_x86_64;
	if (!strcmp(name, "i386"))
		return &arch_i386;
	if (!strcmp(name, "riscv64"))
		return &arch_riscv64;
	return NULL;
}
