/* The TLBs of one CPU, as hardware (arch/tlb.c): set-associative arrays
 * with LRU replacement inside a set, entries tagged with a PCID/ASID
 * (0 without PCID) and a global bit. L1 dTLB and iTLB have one array per
 * page size; the unified second level (STLB) serves both on an L1 miss.
 * Counters per CPU are shown in /proc/mmsim/tlb. Linux's side of TLB
 * maintenance (switch_mm, flush_tlb_*) is arch/tlbflush.c.
 *
 * Layout, for speed: each array keeps its tags apart from the payloads
 * (a set's tags are contiguous and compared four at a time without
 * branches), payloads are 16 bytes (address | flags, LRU stamp), and the
 * 4 KiB L1 arrays have a direct-mapped way cache in front (see struct
 * tlb_way_hint) so a hit reads one slot instead of a whole set. None of
 * this changes what hits, misses or is evicted. */
#ifndef MMSIM_ARCH_TLB_H
#define MMSIM_ARCH_TLB_H

#include <stdbool.h>
#include <stdint.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "arch/arch.h"
#include "arch/pgtable.h"
#include "base/kernel.h"
#include "base/seq_file.h"

/* Flags kept in the low 12 bits of an entry's physical address. */
#define TLBF_W 0x01u /* writable (RW on every level) */
#define TLBF_U 0x02u /* user accessible (U/S on every level) */
#define TLBF_NX 0x04u /* not executable */
#define TLBF_D 0x08u /* the leaf's dirty bit was set */
#define TLBF_G 0x10u /* global: matches any PCID */
#define TLBF_NR 0x20u /* riscv: not readable (no R) */
#define TLBF_FLAGS 0x3fu /* the bits above */
#define TLBF_SIZE_SHIFT 6 /* bits 6..7: the entry's enum tlb_size */
#define TLBF_MASK 0xfffULL

/* A tag is the page's virtual address (all 64 bits, so a non-canonical
 * address matches nothing) | size << 10 | the PCID's code in bits 0..9:
 * 1 << pcid, or all ten bits for a global entry. An entry matches a
 * lookup when tag & (~TLB_CODE_MASK | code) equals the wanted page | size
 * | code: one AND and one compare per way, which accepts the PCID's own
 * entries and global ones and nothing else (codes are one-hot). An
 * invalid tag is all ones, whose size field (3) no lookup asks for. */
#define TLB_CODE_MASK 0x3ffULL
#define TLB_GLOBAL_CODE TLB_CODE_MASK
#define TLB_MAX_PCID 9 /* one-hot codes in ten bits */
#define TLB_SIZE_SHIFT 10
#define TLB_INVALID (~0ULL)

enum tlb_size { TLB_4K, TLB_2M, TLB_1G, NR_TLB_SIZES };

/* An entry's payload; its tag lives in the array's tag[] at the same
 * index, so a set's tags are contiguous for the lookup. */
struct tlb_entry {
	uint64_t pa; /* page's physical address | TLBF_* | size */
	uint64_t lru; /* the TLB's clock at the last use; 0: invalid */
};

/* The way cache of a 4 KiB L1 array: slot (va >> 12) % TLB_HINTS says
 * that a lookup of want (as the fast path builds it) finds entry e first
 * in its set. Kept exact: a slot is dropped when its entry's tag changes
 * and when an entry for its page is inserted (which could match first),
 * so using it is the same as searching the set. */
#define TLB_HINTS 64

struct tlb_way_hint {
	uint64_t want; /* TLB_INVALID: empty */
	struct tlb_entry *e;
};

/* Ways are compared in groups of TLB_GROUP; a set's tags are padded
 * with invalid ones to a whole number of groups (their payloads carry
 * the largest stamp, so they are never a victim). */
#define TLB_GROUP 4

struct tlb_assoc {
	uint64_t *tag; /* sets * stride tags, set by set */
	struct tlb_entry *e; /* payloads, same index as the tags */
	struct tlb_way_hint *hint; /* the way cache, or NULL */
	unsigned long set_mask; /* sets - 1 (0 when the array is absent) */
	unsigned groups; /* ways / TLB_GROUP rounded up; 0: absent */
	unsigned stride; /* groups * TLB_GROUP */
	unsigned sets, ways;
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

/* The arrays each side looks in and fills, per page size: data and
 * instruction L1, and the unified second level (STLB). */
enum tlb_side { TLB_SIDE_D, TLB_SIDE_I, TLB_SIDE_S, NR_TLB_SIDES };

#define TLB_NO_ARRAY NR_TLB_ARRAYS

/* How a side caches a page of some size: in array a, as pages of size
 * (the largest it has an array for), each holding the part of the page
 * that contains the address (va & off_mask). */
struct tlb_fill_rule {
	struct tlb_assoc *a; /* NULL: not cached on this side */
	uint64_t off_mask;
	uint64_t page_mask; /* ~0 << shift: the page bits of a tag */
	uint64_t tag_size; /* size << TLB_SIZE_SHIFT */
	uint64_t pa_size; /* size << TLBF_SIZE_SHIFT */
	unsigned char size;
	unsigned char shift; /* of size: the set index is va >> shift */
};

struct tlb {
	struct tlb_assoc a[NR_TLB_ARRAYS];
	/* Stamped on every use of an entry: LRU inside a set is the
	 * smallest stamp (one clock for all arrays: stamps are only
	 * compared inside a set). */
	uint64_t clock;
	unsigned shift[NR_TLB_SIZES]; /* 12, 21 (22 on i386), 30 */
	/* va is canonical when (va + canon_add) >> va_bits == 0. */
	uint64_t canon_add;
	unsigned va_bits;
	struct tlb_fill_rule fill[NR_TLB_SIDES][NR_TLB_SIZES];
	struct tlb_way_hint hint[2][TLB_HINTS]; /* dTLB, iTLB (4 KiB) */
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

/* The code of pcid in a tag (pcid <= TLB_MAX_PCID), and the mask a
 * lookup with that code applies to each tag before comparing. */
static inline uint64_t tlb_code(unsigned pcid)
{
	return 1ULL << pcid;
}

static inline uint64_t tlb_key_mask(uint64_t code)
{
	return ~TLB_CODE_MASK | code;
}

static inline uint64_t tlb_tag(unsigned long va, unsigned shift,
			       enum tlb_size s, uint64_t code)
{
	return (va & (~0ULL << shift)) | (uint64_t)s << TLB_SIZE_SHIFT | code;
}

static inline bool tlb_tag_valid(uint64_t tag)
{
	return tag != TLB_INVALID;
}

static inline enum tlb_size tlb_tag_size(uint64_t tag)
{
	return (enum tlb_size)((tag >> TLB_SIZE_SHIFT) & 3);
}

/* The page size an entry's pa records (TLBF_SIZE). */
static inline enum tlb_size tlb_pa_size(uint64_t pa)
{
	return (enum tlb_size)((pa >> TLBF_SIZE_SHIFT) & 3);
}

/* Bit w set for each way w of tag[0..TLB_GROUP) whose tag matches want
 * under mask (see TLB_CODE_MASK). No branch per way: which way holds a
 * page does not repeat with the access pattern, so it would mispredict. */
#if defined(__SSE2__)
static __always_inline unsigned tlb_match_group(const uint64_t *tag,
						uint64_t mask, uint64_t want)
{
	__m128i vm = _mm_set1_epi64x((long long)mask);
	__m128i vw = _mm_set1_epi64x((long long)want);
	__m128i a = _mm_load_si128((const __m128i *)tag);
	__m128i b = _mm_load_si128((const __m128i *)tag + 1);
	/* 32-bit halves equal, then both halves of each way. */
	__m128 ea = _mm_castsi128_ps(_mm_cmpeq_epi32(_mm_and_si128(a, vm), vw));
	__m128 eb = _mm_castsi128_ps(_mm_cmpeq_epi32(_mm_and_si128(b, vm), vw));
	__m128 lo = _mm_shuffle_ps(ea, eb, _MM_SHUFFLE(2, 0, 2, 0));
	__m128 hi = _mm_shuffle_ps(ea, eb, _MM_SHUFFLE(3, 1, 3, 1));

	return (unsigned)_mm_movemask_ps(_mm_and_ps(lo, hi));
}
#else
static __always_inline unsigned tlb_match_group(const uint64_t *tag,
						uint64_t mask, uint64_t want)
{
	unsigned m = 0;

	for (unsigned w = 0; w < TLB_GROUP; w++)
		m |= (unsigned)((tag[w] & mask) == want) << w;
	return m;
}
#endif

/* Bit w set for each way w of a set (groups of its tags from tag);
 * the usual numbers of groups unrolled. */
static __always_inline uint64_t tlb_match(const uint64_t *tag, unsigned groups,
					  uint64_t mask, uint64_t want)
{
	uint64_t m = 0;

	switch (groups) {
	case 0:
		return 0;
	case 1:
		return tlb_match_group(tag, mask, want);
	case 2:
		return tlb_match_group(tag, mask, want) |
		       tlb_match_group(tag + 4, mask, want) << 4;
	case 3:
		return tlb_match_group(tag, mask, want) |
		       tlb_match_group(tag + 4, mask, want) << 4 |
		       tlb_match_group(tag + 8, mask, want) << 8;
	}
	for (unsigned g = groups; g-- > 0;)
		m = m << TLB_GROUP |
		    tlb_match_group(tag + g * TLB_GROUP, mask, want);
	return m;
}

/* Index in a of the first way of va's set holding va's translation of
 * size s (page shift shift) for the PCID with this code (or a global
 * one), or -1. */
static __always_inline long tlb_probe(const struct tlb_assoc *a,
				      unsigned long va, unsigned shift,
				      enum tlb_size s, uint64_t code)
{
	unsigned long first = ((va >> shift) & a->set_mask) * a->stride;
	uint64_t m = tlb_match(a->tag + first, a->groups, tlb_key_mask(code),
			       tlb_tag(va, shift, s, code));

	return m ? (long)(first + (unsigned long)__builtin_ctzll(m)) : -1;
}

/* The array side uses for pages of size s (TLB_NO_ARRAY: none). */
static inline enum tlb_array tlb_side_array(enum tlb_side side, enum tlb_size s)
{
	switch (side) {
	case TLB_SIDE_D:
		return s == TLB_4K ? TLB_DTLB_4K :
		       s == TLB_2M ? TLB_DTLB_2M :
				     TLB_DTLB_1G;
	case TLB_SIDE_I:
		return s == TLB_4K ? TLB_ITLB_4K :
		       s == TLB_2M ? TLB_ITLB_2M :
				     TLB_NO_ARRAY;
	default:
		return s == TLB_1G ? TLB_STLB_1G : TLB_STLB;
	}
}

/* Array ai, if it holds entries of size s: va's entry, marked used. */
static __always_inline struct tlb_entry *
tlb_lookup_size(struct tlb *t, enum tlb_array ai, unsigned long va,
		enum tlb_size s, uint64_t code)
{
	struct tlb_assoc *a;
	long k;

	if (ai == TLB_NO_ARRAY || !t->a[ai].nr[s])
		return NULL;
	a = &t->a[ai];
	k = tlb_probe(a, va, s == TLB_4K ? 12 : t->shift[s], s, code);
	if (k < 0)
		return NULL;
	a->e[k].lru = ++t->clock;
	return &a->e[k];
}

/* Looks va up in the arrays of one side, page sizes from "from" up
 * (4K, 2M, 1G), for the PCID with this code, marking the hit used
 * (LRU); counts nothing. Arrays holding no entry of a size are
 * skipped. */
static __always_inline struct tlb_entry *
tlb_lookup(struct tlb *t, enum tlb_side side, unsigned long va, uint64_t code,
	   enum tlb_size from)
{
	struct tlb_entry *e = NULL;

	if (from == TLB_4K)
		e = tlb_lookup_size(t, tlb_side_array(side, TLB_4K), va, TLB_4K,
				    code);
	if (!e && from <= TLB_2M)
		e = tlb_lookup_size(t, tlb_side_array(side, TLB_2M), va, TLB_2M,
				    code);
	if (!e)
		e = tlb_lookup_size(t, tlb_side_array(side, TLB_1G), va, TLB_1G,
				    code);
	return e;
}

/* Empties the way cache slot of tag's page (whichever entry it names:
 * a slot is only ever a shortcut, and testing first would mispredict). */
static inline void tlb_unhint(struct tlb_assoc *a, uint64_t tag)
{
	a->hint[(tag >> 12) % TLB_HINTS].want = TLB_INVALID;
}

/* Drops entry k of a (its lru 0: below every valid one). */
static inline void tlb_invalidate(struct tlb_assoc *a, unsigned long k)
{
	if (a->hint)
		tlb_unhint(a, a->tag[k]);
	a->nr[tlb_tag_size(a->tag[k])]--;
	a->tag[k] = TLB_INVALID;
	a->e[k].lru = 0;
}

/* Of (*m, *im) and (b, ib), with *im < ib: the smaller stamp, the
 * lower index on a tie. The outcome is random: on x86-64 two cmovs, as
 * the compiler would otherwise choose a (mispredicted) branch. */
static __always_inline void tlb_older(uint64_t *m, unsigned *im, uint64_t b,
				      unsigned ib)
{
#if defined(__x86_64__)
	uint64_t mv = *m;
	unsigned iv = *im;

	__asm__("cmpq %[m], %[b]\n\t"
		"cmovbq %[b], %[m]\n\t"
		"cmovbl %[ib], %[im]"
		: [m] "+r"(mv), [im] "+r"(iv)
		: [b] "r"(b), [ib] "r"(ib)
		: "cc");
	*m = mv;
	*im = iv;
#else
	bool lt = b < *m;

	*m = lt ? b : *m;
	*im = lt ? ib : *im;
#endif
}

/* Of the group of payloads q (indices i..i+3): the oldest stamp, and
 * its index in *v. */
static __always_inline uint64_t tlb_oldest4(const struct tlb_entry *q,
					    unsigned i, unsigned *v)
{
	uint64_t m0 = q[0].lru, m2 = q[2].lru;
	unsigned i0 = i, i2 = i + 2;

	tlb_older(&m0, &i0, q[1].lru, i0 + 1);
	tlb_older(&m2, &i2, q[3].lru, i2 + 1);
	tlb_older(&m0, &i0, m2, i2);
	*v = i0;
	return m0;
}

/* The way to fill in the set of payloads e: the first invalid one (lru
 * 0) if any, else the least recently used. Branch-free, a group at a
 * time. */
static __always_inline unsigned tlb_victim(const struct tlb_entry *e,
					   unsigned groups)
{
	uint64_t best, m;
	unsigned v, vg;

	best = tlb_oldest4(e, 0, &v);
	switch (groups) {
	case 3:
		m = tlb_oldest4(e + 4, 4, &vg);
		tlb_older(&best, &v, m, vg);
		m = tlb_oldest4(e + 8, 8, &vg);
		tlb_older(&best, &v, m, vg);
		/* fall through */
	case 1:
		return v;
	}
	for (unsigned g = 1; g < groups; g++) {
		m = tlb_oldest4(e + g * TLB_GROUP, g * TLB_GROUP, &vg);
		tlb_older(&best, &v, m, vg);
	}
	return v;
}

/* Caches x for va on side for the PCID with this code (as the part of
 * the page holding va when the side has no array for its size:
 * "fractured"), in the least recently used way of its set (see
 * tlb_victim); a global translation is tagged to match every PCID.
 * Fills follow a miss on the same array, or an INVLPG of the address,
 * so the tag is never there already. Returns whether a valid entry was
 * evicted. */
static __always_inline bool tlb_fill(struct tlb *t, enum tlb_side side,
				     unsigned long va, uint64_t code,
				     const struct tlb_xlat *x)
{
	const struct tlb_fill_rule *r = &t->fill[side][x->size];
	struct tlb_assoc *a = r->a;
	enum tlb_size s = (enum tlb_size)r->size;
	unsigned long first, v;
	uint64_t old;

	if (!a)
		return false;
	first = ((va >> r->shift) & a->set_mask) * a->stride;
	v = first + tlb_victim(a->e + first, a->groups);
	old = a->tag[v];
	/* Counted only when they change: a full array refilled with pages
	 * of the same size (the usual case) updates no counter. */
	if (!tlb_tag_valid(old)) {
		a->nr[s]++;
	} else if (tlb_tag_size(old) != s) {
		a->nr[tlb_tag_size(old)]--;
		a->nr[s]++;
	}
	if (a->hint) {
		/* The slot of the page evicted (if any: an invalid tag's slot
		 * is harmlessly emptied too), and the slot of the new one: its
		 * page may now be found first in this way. */
		tlb_unhint(a, old);
		tlb_unhint(a, va);
	}
	a->tag[v] = (va & r->page_mask) | r->tag_size |
		    (x->flags & TLBF_G ? TLB_GLOBAL_CODE : code);
	a->e[v].pa = (x->pa + (va & r->off_mask)) | x->flags | r->pa_size;
	a->e[v].lru = ++t->clock;
	return tlb_tag_valid(old);
}

/* Invalidations: every entry (CR4.PGE toggle), the non-global entries of
 * one PCID (pcid < 0: of every PCID, a CR3 load without PCID), and the
 * entries for one address in one PCID plus global ones (INVLPG). */
void tlb_flush_everything(struct tlb *t);
void tlb_flush_nonglobal(struct tlb *t, int pcid);
void tlb_invlpg(struct tlb *t, unsigned long va, unsigned pcid);

/* /proc/mmsim/tlb: "name value" lines, totals then per CPU. */
void tlb_show(struct seq_file *m);

#endif
