/* The TLB hardware of one CPU: set-associative arrays, LRU inside a set
 * (a per-TLB clock stamped on every use), PCID tags with global entries
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

/* The largest size not above size that side has an array for. */
static int find_fill_size(const struct tlb *t, enum tlb_side side,
			  enum tlb_size size)
{
	for (int s = size; s >= 0; s--) {
		enum tlb_array ai = tlb_side_array(side, (enum tlb_size)s);

		if (ai != TLB_NO_ARRAY && t->a[ai].sets)
			return s;
	}
	return -1;
}

/* The tags of an absent array (no ways): never read, never written. */
static uint64_t absent_tags[1] = { TLB_INVALID };

/* Every entry invalid (lru 0); the padding ways of each set (past
 * ways, up to stride) carry the largest stamp, so tlb_victim never
 * picks them. */
static void reset_array(struct tlb_assoc *a)
{
	size_t n = (size_t)a->sets * a->stride;

	memset(a->tag, 0xff, n * sizeof(*a->tag));
	memset(a->e, 0, n * sizeof(*a->e));
	for (size_t k = 0; k < n; k++)
		if (k % a->stride >= a->ways)
			a->e[k].lru = ~0ULL;
	memset(a->nr, 0, sizeof(a->nr));
	if (a->hint)
		for (int h = 0; h < TLB_HINTS; h++)
			a->hint[h] = (struct tlb_way_hint){ TLB_INVALID, NULL };
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
	for (int side = 0; side < 2; side++)
		for (int h = 0; h < TLB_HINTS; h++)
			t->hint[side][h] =
				(struct tlb_way_hint){ TLB_INVALID, NULL };
	for (int i = 0; i < NR_TLB_ARRAYS; i++) {
		const struct tlb_geometry *g = &cfg->tlb[i];
		struct tlb_assoc *a = &t->a[i];
		size_t n;

		a->tag = absent_tags;
		if (!g->entries)
			continue;
		if (i == TLB_DTLB_4K || i == TLB_ITLB_4K)
			a->hint = t->hint[i == TLB_ITLB_4K];
		a->ways = g->ways;
		a->sets = g->entries / g->ways;
		a->set_mask = a->sets - 1;
		a->groups = (g->ways + TLB_GROUP - 1) / TLB_GROUP;
		a->stride = a->groups * TLB_GROUP;
		n = (size_t)a->sets * a->stride;
		/* Whole cache lines (and aligned groups for the lookup). */
		a->tag = aligned_alloc(64, (n * sizeof(*a->tag) + 63) & ~63UL);
		a->e = malloc(n * sizeof(*a->e));
		if (!a->tag || !a->e) {
			tlb_destroy(t);
			return false;
		}
		reset_array(a);
	}
	for (int side = 0; side < NR_TLB_SIDES; side++) {
		for (int sz = 0; sz < NR_TLB_SIZES; sz++) {
			struct tlb_fill_rule *r = &t->fill[side][sz];
			int s = find_fill_size(t, (enum tlb_side)side,
					       (enum tlb_size)sz);

			if (s < 0)
				continue;
			r->a = &t->a[tlb_side_array((enum tlb_side)side,
						    (enum tlb_size)s)];
			r->size = (unsigned char)s;
			r->shift = (unsigned char)t->shift[s];
			r->page_mask = ~0ULL << t->shift[s];
			r->tag_size = (uint64_t)s << TLB_SIZE_SHIFT;
			r->pa_size = (uint64_t)s << TLBF_SIZE_SHIFT;
			r->off_mask = ((1ULL << t->shift[sz]) - 1) &
				      ~((1ULL << t->shift[s]) - 1);
		}
	}
	return true;
}

void tlb_destroy(struct tlb *t)
{
	for (int i = 0; i < NR_TLB_ARRAYS; i++) {
		struct tlb_assoc *a = &t->a[i];

		if (a->tag != absent_tags)
			free(a->tag);
		free(a->e);
		a->tag = absent_tags;
		a->e = NULL;
	}
}

void tlb_flush_everything(struct tlb *t)
{
	for (int i = 0; i < NR_TLB_ARRAYS; i++) {
		if (t->a[i].sets)
			reset_array(&t->a[i]);
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
	uint64_t code = pcid < 0 ? 0 : tlb_code((unsigned)pcid);

	for (int i = 0; i < NR_TLB_ARRAYS; i++) {
		struct tlb_assoc *a = &t->a[i];
		unsigned long n = (unsigned long)a->sets * a->stride;

		if (!a->sets || array_empty(a))
			continue;
		for (unsigned long k = 0; k < n; k++) {
			uint64_t tag = a->tag[k];

			if (!tlb_tag_valid(tag) || (a->e[k].pa & TLBF_G))
				continue;
			if (pcid < 0 || (tag & TLB_CODE_MASK) == code)
				tlb_invalidate(a, k);
		}
	}
}

void tlb_invlpg(struct tlb *t, unsigned long va, unsigned pcid)
{
	uint64_t code = tlb_code(pcid);

	for (int i = 0; i < NR_TLB_ARRAYS; i++) {
		struct tlb_assoc *a = &t->a[i];

		for (int s = 0; s < NR_TLB_SIZES; s++) {
			long k;

			if (!a->nr[s])
				continue;
			k = tlb_probe(a, va, t->shift[s], (enum tlb_size)s,
				      code);
			if (k >= 0)
				tlb_invalidate(a, (unsigned long)k);
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
