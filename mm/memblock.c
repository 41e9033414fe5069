/* Boot-time physical memory allocator: sorted, merged region lists for
 * memory and reservations, and top-down allocation like Linux's memblock. */
#include "mm/memblock.h"

#include "base/kernel.h"
#include "kernel/machine.h"
#include "kernel/printk.h"

static phys_addr_t region_end(const struct memblock_region *r)
{
	return r->base + r->size;
}

static void remove_region(struct memblock_type *t, unsigned i)
{
	for (; i + 1 < t->cnt; i++)
		t->regions[i] = t->regions[i + 1];
	t->cnt--;
}

/* Inserts [base, base+size) keeping the list sorted and merging ranges that
 * touch with the same node and flags. */
static int memblock_add_range(struct memblock_type *t, phys_addr_t base,
			      phys_addr_t size, int nid)
{
	unsigned i = 0;

	if (!size)
		return 0;
	while (i < t->cnt && t->regions[i].base < base)
		i++;
	if (t->cnt == MEMBLOCK_MAX_REGIONS) {
		pr_err("memblock: too many regions\n");
		return -1;
	}
	for (unsigned j = t->cnt; j > i; j--)
		t->regions[j] = t->regions[j - 1];
	t->regions[i] =
		(struct memblock_region){ base, size, nid, MEMBLOCK_NONE };
	t->cnt++;
	/* Merge with neighbours (overlap or adjacency, same nid, flags). */
	for (i = 0; i + 1 < t->cnt;) {
		struct memblock_region *a = &t->regions[i], *b = a + 1;

		if (b->base <= region_end(a) && a->nid == b->nid &&
		    a->flags == b->flags) {
			phys_addr_t end = max(region_end(a), region_end(b));

			a->size = end - a->base;
			remove_region(t, i + 1);
		} else {
			i++;
		}
	}
	return 0;
}

int memblock_add_node(phys_addr_t base, phys_addr_t size, int nid)
{
	return memblock_add_range(&M->memblock.memory, base, size, nid);
}

int memblock_reserve(phys_addr_t base, phys_addr_t size)
{
	return memblock_add_range(&M->memblock.reserved, base, size,
				  NUMA_NO_NODE);
}

/* Splits region i of t at addr (inside it): i keeps the lower part. */
static int split_region(struct memblock_type *t, unsigned i, phys_addr_t addr)
{
	struct memblock_region *r = &t->regions[i];

	if (addr <= r->base || addr >= region_end(r))
		return 0;
	if (t->cnt == MEMBLOCK_MAX_REGIONS) {
		pr_err("memblock: too many regions\n");
		return -1;
	}
	for (unsigned j = t->cnt; j > i + 1; j--)
		t->regions[j] = t->regions[j - 1];
	t->regions[i + 1] = *r;
	t->regions[i + 1].base = addr;
	t->regions[i + 1].size = region_end(r) - addr;
	r->size = addr - r->base;
	t->cnt++;
	return 0;
}

int memblock_mark_nomap(phys_addr_t base, phys_addr_t size)
{
	struct memblock_type *t = &M->memblock.memory;

	for (unsigned i = 0; i < t->cnt; i++) {
		struct memblock_region *r = &t->regions[i];

		if (r->base > base || region_end(r) < base + size)
			continue;
		if (split_region(t, i, base + size) ||
		    split_region(t, i, base))
			return -1;
		if (t->regions[i].base != base)
			i++;
		t->regions[i].flags |= MEMBLOCK_NOMAP;
		return 0;
	}
	return -1;
}

static const struct memblock_region *overlapping_reserved(phys_addr_t base,
							  phys_addr_t end)
{
	const struct memblock_type *t = &M->memblock.reserved;

	for (unsigned i = 0; i < t->cnt; i++) {
		const struct memblock_region *r = &t->regions[i];

		if (r->base < end && base < region_end(r))
			return r;
	}
	return NULL;
}

phys_addr_t memblock_phys_alloc_range(phys_addr_t size, phys_addr_t align,
				      phys_addr_t start, phys_addr_t end,
				      int nid)
{
	const struct memblock_type *mem = &M->memblock.memory;

	size = ALIGN(size, PAGE_SIZE);
	end = min(end, M->memblock.current_limit);
	for (int i = (int)mem->cnt - 1; i >= 0; i--) {
		const struct memblock_region *r = &mem->regions[i];
		phys_addr_t lo = max(r->base, start);
		phys_addr_t hi = min(region_end(r), end);

		if ((nid != NUMA_NO_NODE && r->nid != nid) ||
		    memblock_is_nomap(r))
			continue;
		while (hi > lo && hi - lo >= size) {
			phys_addr_t cand = ALIGN_DOWN(hi - size, align);
			const struct memblock_region *busy;

			if (cand < lo)
				break;
			busy = overlapping_reserved(cand, cand + size);
			if (!busy) {
				memblock_reserve(cand, size);
				return cand;
			}
			hi = busy->base;
		}
	}
	return 0;
}

void *memblock_alloc_node(phys_addr_t size, phys_addr_t align, int nid)
{
	phys_addr_t pa = memblock_phys_alloc_range(size, align, 0, UINT64_MAX,
						   nid);

	if (!pa && nid != NUMA_NO_NODE)
		pa = memblock_phys_alloc_range(size, align, 0, UINT64_MAX,
					       NUMA_NO_NODE);
	return pa ? M->ram + pa : NULL;
}

static phys_addr_t bytes_in(const struct memblock_type *t, phys_addr_t start,
			    phys_addr_t end)
{
	phys_addr_t n = 0;

	for (unsigned i = 0; i < t->cnt; i++) {
		phys_addr_t lo = max(t->regions[i].base, start);
		phys_addr_t hi = min(region_end(&t->regions[i]), end);

		if (hi > lo)
			n += hi - lo;
	}
	return n;
}

phys_addr_t memblock_memory_in(phys_addr_t start, phys_addr_t end)
{
	return bytes_in(&M->memblock.memory, start, end);
}

phys_addr_t memblock_reserved_in(phys_addr_t start, phys_addr_t end)
{
	return bytes_in(&M->memblock.reserved, start, end);
}

bool memblock_is_reserved(phys_addr_t addr)
{
	return overlapping_reserved(addr, addr + 1) != NULL;
}

void memblock_for_each_free_range(void (*fn)(unsigned long spfn,
					     unsigned long epfn, void *arg),
				  void *arg)
{
	const struct memblock_type *mem = &M->memblock.memory;
	const struct memblock_type *res = &M->memblock.reserved;

	for (unsigned i = 0; i < mem->cnt; i++) {
		phys_addr_t pos = mem->regions[i].base;
		phys_addr_t end = region_end(&mem->regions[i]);

		if (memblock_is_nomap(&mem->regions[i]))
			continue;
		for (unsigned j = 0; j < res->cnt && pos < end; j++) {
			const struct memblock_region *r = &res->regions[j];

			if (region_end(r) <= pos)
				continue;
			if (r->base >= end)
				break;
			if (r->base > pos && PFN_UP(pos) < PFN_DOWN(r->base))
				fn(PFN_UP(pos), PFN_DOWN(r->base), arg);
			pos = region_end(r);
		}
		if (pos < end && PFN_UP(pos) < PFN_DOWN(end))
			fn(PFN_UP(pos), PFN_DOWN(end), arg);
	}
}
