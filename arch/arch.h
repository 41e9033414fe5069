/* Arch presets: what differs between x86_64, i386 and riscv64 at the
 * level of physical memory (where RAM starts, zones and their limits,
 * page-block order, where the kernel loads), and the MMU options a machine
 * is built with (paging mode, PCID, 1 GiB direct-map pages, TLB
 * geometry). */
#ifndef MMSIM_ARCH_ARCH_H
#define MMSIM_ARCH_ARCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mm/mmzone.h"

struct arch_desc {
	const char *name;
	int bits;                     /* 64 or 32 */
	bool x86;                     /* CONFIG_X86: x86_64 or i386 */
	unsigned zones_mask;          /* 1 << zone_type for each zone that exists */
	uint64_t zone_end[MAX_NR_ZONES]; /* physical end of DMA/DMA32/NORMAL; 0 = n/a */
	unsigned pageblock_order;
	uint64_t phys_ram_base;       /* physical address where RAM starts */
	uint64_t kernel_offset;       /* the kernel loads at phys_ram_base + this */
	uint64_t max_ram;             /* largest RAM mmsim accepts for this arch */
	uint64_t max_arch_pfn;        /* printed by the x86 boot log */
	unsigned long hpage_kb;       /* meminfo Hugepagesize */
	const char *direct_map_large; /* meminfo DirectMap line for large
					 pages (x86); NULL: no DirectMap lines */
};

/* The TLB arrays of each CPU (arch/tlb.c). "2M" arrays hold the format's
 * middle leaf size (2 MiB, or 4 MiB on i386); the unified second level
 * (STLB) holds 4K and 2M/4M entries, 1G entries have their own array. */
enum tlb_array {
	TLB_DTLB_4K,
	TLB_DTLB_2M,
	TLB_DTLB_1G,
	TLB_ITLB_4K,
	TLB_ITLB_2M,
	TLB_STLB,
	TLB_STLB_1G,
	NR_TLB_ARRAYS
};

struct tlb_geometry {
	unsigned entries; /* 0: the array does not exist */
	unsigned ways;    /* entries / ways sets, a power of two */
};

/* MMU options of a machine: -1 means "as the arch does by default". */
struct mmu_config {
	int la57;    /* x86_64 5-level paging (57-bit virtual addresses) */
	int sv48;    /* riscv64 Sv48 paging (48-bit; default Sv39, 39-bit) */
	int pcid;    /* TLB entries tagged with PCIDs (x86_64 default on) */
	int gbpages; /* 1 GiB pages in the direct map (x86_64 default on) */
	struct tlb_geometry tlb[NR_TLB_ARRAYS];
};

extern const char *const tlb_array_names[NR_TLB_ARRAYS];

/* Defaults: dtlb 64:4, dtlb2m 32:4, dtlb1g 4:4, itlb 64:8, itlb2m 8:8,
 * stlb 1536:12, stlb1g 16:4 (a Skylake-class core). */
void mmu_config_default(struct mmu_config *c);
/* Keys "la57", "sv48", "pcid", "gbpages" (0 or 1) and "tlb.NAME"
 * (ENTRIES:WAYS, NAME one of tlb_array_names). Returns 1 when set, 0 with
 * err filled in on a bad value, -1 when key is not an MMU option. */
int mmu_config_set(struct mmu_config *c, const char *key, const char *value,
		   char *err, size_t errlen);

/* Options that the arch cannot have (la57 or pcid on i386 or riscv64,
 * sv48 on x86...). */
bool mmu_config_check(const struct mmu_config *c, const struct arch_desc *a,
		      char *err, size_t errlen);

extern const struct arch_desc arch_x86_64;
extern const struct arch_desc arch_i386;
extern const struct arch_desc arch_riscv64;

/* NULL when the name is unknown. */
const struct arch_desc *arch_lookup(const char *name);

static inline int arch_has_zone(const struct arch_desc *a, enum zone_type z)
{
	return (a->zones_mask >> z) & 1;
}

#endif
