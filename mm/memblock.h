/* The boot-time memory allocator (mm/memblock.c): lists of memory and
 * reserved physical ranges. It places the kernel image, NODE_DATA, the
 * mem_map and the per-CPU areas before the buddy allocator exists, then
 * hands every unreserved page to the buddy allocator. Memory marked
 * MEMBLOCK_NOMAP (firmware's) is present but never allocated, freed or
 * put in the kernel's linear map. */
#ifndef MMSIM_MM_MEMBLOCK_H
#define MMSIM_MM_MEMBLOCK_H

#include <stdbool.h>
#include <stdint.h>

#define MEMBLOCK_MAX_REGIONS 128
#define NUMA_NO_NODE (-1)

typedef uint64_t phys_addr_t;

/* Region flags (enum memblock_flags). */
#define MEMBLOCK_NONE 0x0
#define MEMBLOCK_NOMAP 0x4 /* not in the kernel's linear map */

struct memblock_region {
	phys_addr_t base;
	phys_addr_t size;
	int nid;
	unsigned flags;
};

struct memblock_type {
	unsigned cnt;
	struct memblock_region regions[MEMBLOCK_MAX_REGIONS];
};

struct memblock {
	struct memblock_type memory;
	struct memblock_type reserved;
	phys_addr_t current_limit; /* allocations stay below this */
};

int memblock_add_node(phys_addr_t base, phys_addr_t size, int nid);
int memblock_reserve(phys_addr_t base, phys_addr_t size);
/* Marks [base, base + size), inside one memory region, MEMBLOCK_NOMAP
 * (splitting the region). 0, or -1 when it is not inside one region. */
int memblock_mark_nomap(phys_addr_t base, phys_addr_t size);

static inline bool memblock_is_nomap(const struct memblock_region *r)
{
	return r->flags & MEMBLOCK_NOMAP;
}
/* Top-down allocation inside [start, end) on node nid (NUMA_NO_NODE: any),
 * outside NOMAP memory; returns 0 on failure. The memory is zero: fresh RAM is never touched
 * before memblock hands it out. */
phys_addr_t memblock_phys_alloc_range(phys_addr_t size, phys_addr_t align,
				      phys_addr_t start, phys_addr_t end,
				      int nid);
/* Host pointer to zeroed memory on node nid, falling back to any node. */
void *memblock_alloc_node(phys_addr_t size, phys_addr_t align, int nid);
bool memblock_is_reserved(phys_addr_t addr);
/* Bytes of memory (or reserved memory) inside [start, end). */
phys_addr_t memblock_memory_in(phys_addr_t start, phys_addr_t end);
phys_addr_t memblock_reserved_in(phys_addr_t start, phys_addr_t end);

/* Calls fn(start_pfn, end_pfn, arg) for each free (memory, not reserved,
 * not NOMAP) range, in ascending order. */
void memblock_for_each_free_range(void (*fn)(unsigned long spfn,
					     unsigned long epfn, void *arg),
				  void *arg);

#endif
