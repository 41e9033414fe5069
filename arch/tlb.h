/* The TLBs of one CPU, as hardware (arch/tlb.c): set-associative arrays
 * with LRU replacement inside a set, entries tagged with a PCID/ASID
 * (0 without PCID) and a global bit. L1 dTLB and iTLB have one array per
 * page size; the unified second level (STLB) serves both on an L1 miss.
 * Counters per CPU are shown in /proc/mmsim/tlb. Linux's side of TLB
 * maintenance (switch_mm, flush_tlb_*) is arch/tlbflush.c. */
#ifndef MMSIM_ARCH_TLB_H
#define MMSIM_ARCH_TLB_H

#include <stdbool.h>
#include <stdint.h>

#include "arch/arch.h"
#include "arch/pgtable.h"
#include "base/seq_file.h"

/* Flags kept in the low 12 bits of an entry's physical address. */
#define TLBF_W 0x01u /* writable (RW on every level) */
#define TLBF_U 0x02u /* user accessible (U/S on every level) */
#define TLBF_NX 0x04u /* not executable */
#define TLBF_D 0x08u /* the leaf's dirty bit was set */
#define TLBF_G 0x10u /* global: matches any PCID */
#define TLBF_NR 0x20u /* riscv: not readable (no R) */
#define TLBF_MASK 0xfffULL

/* A tag is the page's virtual address (all 64 bits, so a non-canonical
 * address matches nothing) | size << 10 | PCID. Global entries carry
 * TLB_GLOBAL_PCID, matching any PCID; an invalid entry is all ones. */
#define TLB_PCID_MASK 0x3ffULL
#define TLB_GLOBAL_PCID TLB_PCID_MASK
#define TLB_SIZE_SHIFT 10
#define TLB_INVALID (~0ULL)

enum tlb_size { TLB_4K, TLB_2M, TLB_1G, NR_TLB_SIZES };

struct tlb_entry {
	uint64_t tag; /* page address | size << 10 | pcid, or TLB_INVALID */
	uint64_t pa; /* page's physical address | TLBF_* */
	uint64_t lru; /* the array's clock at the last use; 0: invalid */
};

struct tlb_assoc {
	struct tlb_entry *e; /* sets * ways, set by set */
	unsigned sets, ways;
	uint64_t clock;
	unsigned long nr[NR_TLB_SIZES]; /* valid entries of each size */
};

/* Counters: X(field, "name in /proc/mmsim/tlb"). */
#define TLB_STAT_ITEMS(X)                   \
	X(dtlb_hits, "dtlb_hits")           \
	X(dtlb_misses, "dtlb_misses")       \
	X(itlb_hits, "itlb_hits")           \
	X(itlb_misses, "itlb_misses")       \
	X(stlb_hits, "stlb_hits")           \
	X(stlb_misses, "stlb_misses")       \
	X(page_walks, "page_walks")         \
	X(walk_steps, "walk_steps")         \
	X(page_faults, "page_faults")       \
	X(dtlb_evictions, "dtlb_evictions") \
	X(itlb_evictions, "itlb_evictions") \
	X(stlb_evictions, "stlb_evictions") \
	X(cr3_loads, "cr3_loads")           \
	X(invlpg, "invlpg")                 \
	X(flushes, "flushes")

struct tlb_stats {
#define X_FIELD(f, s) unsigned long f;
	TLB_STAT_ITEMS(X_FIELD)
#undef X_FIELD
};

struct tlb {
	struct tlb_assoc a[NR_TLB_ARRAYS];
	unsigned shift[NR_TLB_SIZES]; /* 12, 21 (22 on i386), 30 */
	/* va is canonical when (va + canon_add) >> va_bits == 0. */
	uint64_t canon_add;
	unsigned va_bits;
	/* Size each side (data, instruction, STLB) caches a page of each
	 * size as: the largest it has an array for (-1: none). */
	signed char fill_size[3][NR_TLB_SIZES];
	struct tlb_stats stats;
};

/* A translation the walker found, to be cached. */
struct tlb_xlat {
	uint64_t pa; /* physical address of the (huge) page */
	enum tlb_size size;
	unsigned flags; /* TLBF_* */
};

/* Allocates the arrays (host memory: the TLB is hardware). */
bool tlb_init(struct tlb *t, const struct mmu_config *cfg,
	      const struct pt_format *f);
void tlb_destroy(struct tlb *t);

static inline uint64_t tlb_tag(const struct tlb *t, unsigned long va,
			       enum tlb_size s, unsigned pcid)
{
	return (va & ~((1ULL << t->shift[s]) - 1)) |
	       (uint64_t)s << TLB_SIZE_SHIFT | pcid;
}

static inline bool tlb_valid(const struct tlb_entry *e)
{
	return e->tag != TLB_INVALID;
}

static inline enum tlb_size tlb_entry_size(const struct tlb_entry *e)
{
	return (enum tlb_size)((e->tag >> TLB_SIZE_SHIFT) & 3);
}

/* The way of set e[0..ways) holding tag want (or the global entry of
 * that page), or NULL. An early exit: the branches it takes repeat with
 * the access pattern, which the host's predictor learns. */
static inline struct tlb_entry *tlb_match(struct tlb_entry *e, unsigned ways,
					  uint64_t want)
{
	uint64_t want_global = want | TLB_GLOBAL_PCID;

	for (unsigned w = 0; w < ways; w++)
		if (e[w].tag == want || e[w].tag == want_global)
			return &e[w];
	return NULL;
}

/* The way of the set holding va's translation of size s, or NULL. */
static inline struct tlb_entry *tlb_probe(struct tlb *t, enum tlb_array ai,
					  unsigned long va, enum tlb_size s,
					  unsigned pcid)
{
	struct tlb_assoc *a = &t->a[ai];
	struct tlb_entry *e =
		a->e + (((va >> t->shift[s]) & (a->sets - 1)) * a->ways);

	return tlb_match(e, a->ways, tlb_tag(t, va, s, pcid));
}

/* Looks va up in the arrays of one side, page sizes from "from" up
 * (4K, 2M, 1G), marking the hit used; counts nothing. ai4k is
 * TLB_DTLB_4K, TLB_ITLB_4K or TLB_STLB. */
struct tlb_entry *tlb_lookup(struct tlb *t, enum tlb_array ai4k,
			     unsigned long va, unsigned pcid,
			     enum tlb_size from);

/* Caches x for va in the L1 array of its side (fracturing a page the
 * side has no array for) or in the STLB; counts evictions. */
void tlb_fill_l1(struct tlb *t, bool instr, unsigned long va, unsigned pcid,
		 const struct tlb_xlat *x);
void tlb_fill_stlb(struct tlb *t, unsigned long va, unsigned pcid,
		   const struct tlb_xlat *x);

/* Invalidations: every entry (CR4.PGE toggle), the non-global entries of
 * one PCID (pcid < 0: of every PCID, a CR3 load without PCID), and the
 * entries for one address in one PCID plus global ones (INVLPG). */
void tlb_flush_everything(struct tlb *t);
void tlb_flush_nonglobal(struct tlb *t, int pcid);
void tlb_invlpg(struct tlb *t, unsigned long va, unsigned pcid);

/* /proc/mmsim/tlb: "name value" lines, totals then per CPU. */
void tlb_show(struct seq_file *m);

#endif
