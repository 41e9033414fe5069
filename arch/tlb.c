/* The TLB hardware of one CPU: set-associative arrays, LRU inside a set
 * (a per-array clock stamped on every use), PCID tags with global entries
 * matching any PCID, INVLPG and the flushes a CR3 load or CR4.PGE toggle
 * causes. A page larger than any array of its side is cached in
 * fractions ("fractured", as Intel's iTLB does with 1 GiB pages). Also
 * /proc/mmsim/tlb. */
#include "arch/tlb.h"

#include <stdlib.h>
#include <string.h>

#include "arch/mmu.h"
#include "kernel/machine.h"

const char *const tlb_array_names[NR_TLB_ARRAYS] = {
	[TLB_DTLB_4K] = "dtlb",	  [TLB_DTLB_2M] = "dtlb2m",
	[TLB_DTLB_1G] = "dtlb1g", [TLB_ITLB_4K] = "itlb",
	[TLB_ITLB_2M] = "itlb2m", [TLB_STLB] = "stlb",
	[TLB_STLB_1G] = "stlb1g",
};

#define NO_ARRAY NR_TLB_ARRAYS

/* Which array caches each page size, per side (data, instruction, L2). */
enum tlb_side { SIDE_D, SIDE_I, SIDE_S, NR_SIDES };

static const enum tlb_array side_array[NR_SIDES][NR_TLB_SIZES] = {
	[SIDE_D] = { TLB_DTLB_4K, TLB_DTLB_2M, TLB_DTLB_1G },
	[SIDE_I] = { TLB_ITLB_4K, TLB_ITLB_2M, NO_ARRAY },
	[SIDE_S] = { TLB_STLB, TLB_STLB, TLB_STLB_1G },
};

/* The largest size not above size that side has an array for. */
static int find_fill_size(const struct tlb *t, enum tlb_side side,
			  enum tlb_size size)
{
	for (int s = size; s >= 0; s--) {
		enum tlb_array ai = side_array[side][s];

		if (ai != NO_ARRAY && t->a[ai].sets)
			return s;
	}
	return -1;
}

bool tlb_init(struct tlb *t, const struct mmu_config *cfg,
	      const struct pt_format *f)
{
	unsigned pmd = f->shift[f->named[PT_PMD]];
	unsigned pud = f->shift[f->named[PT_PUD]];

	memset(t, 0, sizeof(*t));
	t->shift[TLB_4K] = 12;
	t->shift[TLB_2M] = pmd;
	t->shift[TLB_1G] = pud > pmd ? pud : 30;
	t->va_bits = f->va_bits;
	t->canon_add = f->canonical ? 1ULL << (f->va_bits - 1) : 0;
	for (int i = 0; i < NR_TLB_ARRAYS; i++) {
		const struct tlb_geometry *g = &cfg->tlb[i];
		struct tlb_assoc *a = &t->a[i];

		if (!g->entries)
			continue;
		a->ways = g->ways;
		a->sets = g->entries / g->ways;
		a->e = calloc(g->entries, sizeof(*a->e));
		if (!a->e) {
			tlb_destroy(t);
			return false;
		}
		for (unsigned k = 0; k < g->entries; k++)
			a->e[k].tag = TLB_INVALID;
	}
	for (int side = 0; side < NR_SIDES; side++)
		for (int sz = 0; sz < NR_TLB_SIZES; sz++)
			t->fill_size[side][sz] = (signed char)find_fill_size(
				t, (enum tlb_side)side, (enum tlb_size)sz);
	return true;
}

void tlb_destroy(struct tlb *t)
{
	for (int i = 0; i < NR_TLB_ARRAYS; i++) {
		free(t->a[i].e);
		t->a[i].e = NULL;
	}
}

/* An invalid entry has lru 0, below every valid one: the first victim. */
static void invalidate(struct tlb_assoc *a, struct tlb_entry *e)
{
	a->nr[tlb_entry_size(e)]--;
	e->tag = TLB_INVALID;
	e->lru = 0;
}

static bool has(const struct tlb *t, enum tlb_array ai, enum tlb_size s)
{
	return ai != NO_ARRAY && t->a[ai].sets && t->a[ai].nr[s];
}

static struct tlb_entry *side_lookup(struct tlb *t, enum tlb_side side,
				     unsigned long va, unsigned pcid,
				     enum tlb_size from)
{
	for (int s = from; s < NR_TLB_SIZES; s++) {
		enum tlb_array ai = side_array[side][s];
		struct tlb_entry *e;

		if (!has(t, ai, (enum tlb_size)s))
			continue;
		e = tlb_probe(t, ai, va, (enum tlb_size)s, pcid);
		if (e) {
			e->lru = ++t->a[ai].clock;
			return e;
		}
	}
	return NULL;
}

struct tlb_entry *tlb_lookup(struct tlb *t, enum tlb_array ai4k,
			     unsigned long va, unsigned pcid,
			     enum tlb_size from)
{
	enum tlb_side side = ai4k == TLB_DTLB_4K ? SIDE_D :
			     ai4k == TLB_ITLB_4K ? SIDE_I :
						   SIDE_S;

	return side_lookup(t, side, va, pcid, from);
}

/* Puts (tag, pa) in the least recently used way of its set (an invalid
 * one first). Fills follow a miss on the same array, or an INVLPG of the
 * address, so the tag is never there already. Returns whether a valid
 * entry was evicted. */
static bool insert(struct tlb *t, enum tlb_array ai, unsigned long va,
		   enum tlb_size s, unsigned pcid, uint64_t pa)
{
	struct tlb_assoc *a = &t->a[ai];
	uint64_t tag = tlb_tag(t, va, s, pa & TLBF_G ? TLB_GLOBAL_PCID : pcid);
	struct tlb_entry *e =
		a->e + ((va >> t->shift[s]) & (a->sets - 1)) * a->ways;
	struct tlb_entry *victim;
	uint64_t best = e[0].lru;
	unsigned v = 0;
	bool evicted = false;

	for (unsigned w = 1; w < a->ways; w++) {
		if (e[w].lru < best) {
			best = e[w].lru;
			v = w;
		}
	}
	victim = &e[v];
	if (tlb_valid(victim)) {
		evicted = true;
		invalidate(a, victim);
	}
	victim->tag = tag;
	victim->pa = pa;
	victim->lru = ++a->clock;
	a->nr[s]++;
	return evicted;
}

static bool fill(struct tlb *t, enum tlb_side side, unsigned long va,
		 unsigned pcid, const struct tlb_xlat *x)
{
	int s = t->fill_size[side][x->size];
	uint64_t off;

	if (s < 0)
		return false;
	/* A fraction of the page: the part of it that holds va. */
	off = va & ((1ULL << t->shift[x->size]) - 1) &
	      ~((1ULL << t->shift[s]) - 1);
	return insert(t, side_array[side][s], va, (enum tlb_size)s, pcid,
		      (x->pa + off) | x->flags);
}

void tlb_fill_l1(struct tlb *t, bool instr, unsigned long va, unsigned pcid,
		 const struct tlb_xlat *x)
{
	if (fill(t, instr ? SIDE_I : SIDE_D, va, pcid, x)) {
		if (instr)
			t->stats.itlb_evictions++;
		else
			t->stats.dtlb_evictions++;
	}
}

void tlb_fill_stlb(struct tlb *t, unsigned long va, unsigned pcid,
		   const struct tlb_xlat *x)
{
	if (fill(t, SIDE_S, va, pcid, x))
		t->stats.stlb_evictions++;
}

void tlb_flush_everything(struct tlb *t)
{
	for (int i = 0; i < NR_TLB_ARRAYS; i++) {
		struct tlb_assoc *a = &t->a[i];

		if (!a->sets)
			continue;
		for (unsigned long k = 0; k < (unsigned long)a->sets * a->ways;
		     k++)
			a->e[k] = (struct tlb_entry){ .tag = TLB_INVALID };
		memset(a->nr, 0, sizeof(a->nr));
	}
}

static bool array_empty(const struct tlb_assoc *a)
{
	for (int s = 0; s < NR_TLB_SIZES; s++)
		if (a->nr[s])
			return false;
	return true;
}

void tlb_flush_nonglobal(struct tlb *t, int pcid)
{
	for (int i = 0; i < NR_TLB_ARRAYS; i++) {
		struct tlb_assoc *a = &t->a[i];
		unsigned long n = (unsigned long)a->sets * a->ways;

		if (!a->sets || array_empty(a))
			continue;
		for (unsigned long k = 0; k < n; k++) {
			struct tlb_entry *e = &a->e[k];

			if (!tlb_valid(e) || (e->pa & TLBF_G))
				continue;
			if (pcid < 0 ||
			    (e->tag & TLB_PCID_MASK) == (uint64_t)pcid)
				invalidate(a, e);
		}
	}
}

void tlb_invlpg(struct tlb *t, unsigned long va, unsigned pcid)
{
	for (int i = 0; i < NR_TLB_ARRAYS; i++) {
		for (int s = 0; s < NR_TLB_SIZES; s++) {
			struct tlb_entry *e;

			if (!has(t, (enum tlb_array)i, (enum tlb_size)s))
				continue;
			e = tlb_probe(t, (enum tlb_array)i, va,
				      (enum tlb_size)s, pcid);
			if (e)
				invalidate(&t->a[i], e);
		}
	}
}

/* ---- /proc/mmsim/tlb ------------------------------------------------------ */

static void stats_add(struct tlb_stats *sum, const struct tlb_stats *s)
{
#define X_ADD(f, name) sum->f += s->f;
	TLB_STAT_ITEMS(X_ADD)
#undef X_ADD
}

static void stats_show(struct seq_file *m, const char *prefix,
		       const struct tlb_stats *s)
{
#define X_SHOW(f, name) seq_printf(m, "%s%s %lu\n", prefix, name, s->f);
	TLB_STAT_ITEMS(X_SHOW)
#undef X_SHOW
}

void tlb_show(struct seq_file *m)
{
	struct tlb_stats sum = { 0 };
	char prefix[16];

	for (int cpu = 0; cpu < M->nr_cpus; cpu++)
		stats_add(&sum, &mmu_cpu(M->mmu, cpu)->tlb.stats);
	stats_show(m, "", &sum);
	for (int cpu = 0; cpu < M->nr_cpus; cpu++) {
		snprintf(prefix, sizeof(prefix), "cpu%d_", cpu);
		stats_show(m, prefix, &mmu_cpu(M->mmu, cpu)->tlb.stats);
	}
}
