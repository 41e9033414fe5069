/* The MMU of each CPU: translate() probes the L1 TLB of its side (dTLB
 * or iTLB), then the STLB, then walks the page tables from CR3 as x86
 * hardware does (A set in every entry used, D in the leaf on a write;
 * W and U/S combine over the levels, NX from any level; reserved bits
 * fault with RSVD), filling the TLBs on success. Also the MMU options of
 * a machine, its MMU state at boot, and CR3 loads. */
#include "arch/mmu.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arch/tlbflush.h"
#include "base/parse.h"
#include "kernel/machine.h"
#include "mm/pgtable.h"

/* ---- options ----------------------------------------------------------- */

static const struct tlb_geometry tlb_defaults[NR_TLB_ARRAYS] = {
	[TLB_DTLB_4K] = { 64, 4 }, [TLB_DTLB_2M] = { 32, 4 },
	[TLB_DTLB_1G] = { 4, 4 },  [TLB_ITLB_4K] = { 64, 8 },
	[TLB_ITLB_2M] = { 8, 8 },  [TLB_STLB] = { 1536, 12 },
	[TLB_STLB_1G] = { 16, 4 },
};

void mmu_config_default(struct mmu_config *c)
{
	c->la57 = -1;
	c->pcid = -1;
	c->gbpages = -1;
	memcpy(c->tlb, tlb_defaults, sizeof(c->tlb));
}

static int set_flag(const char *key, const char *value, int *out, char *err,
		    size_t errlen)
{
	long v;
	char why[160];

	if (!parse_long(value, 0, 1, &v, why, sizeof(why))) {
		snprintf(err, errlen, "mmsim.%s=%s: expected 0 or 1", key,
			 value);
		return 0;
	}
	*out = (int)v;
	return 1;
}

static bool geometry_ok(unsigned long entries, unsigned long ways)
{
	unsigned long sets;

	if (!entries)
		return true;
	if (!ways || ways > 64 || entries > 65536 || entries % ways)
		return false;
	sets = entries / ways;
	return (sets & (sets - 1)) == 0;
}

static int set_geometry(const char *key, const char *value,
			struct tlb_geometry *g, char *err, size_t errlen)
{
	unsigned long entries, ways;
	char extra;

	if (sscanf(value, "%lu:%lu%c", &entries, &ways, &extra) != 2 ||
	    !geometry_ok(entries, ways)) {
		snprintf(
			err, errlen,
			"mmsim.%s=%s: expected ENTRIES:WAYS with ENTRIES 0..65536 a multiple of WAYS 1..64 and a power-of-two number of sets (e.g. 64:4, 1536:12)",
			key, value);
		return 0;
	}
	g->entries = (unsigned)entries;
	g->ways = entries ? (unsigned)ways : 1;
	return 1;
}

int mmu_config_set(struct mmu_config *c, const char *key, const char *value,
		   char *err, size_t errlen)
{
	if (!strcmp(key, "la57"))
		return set_flag(key, value, &c->la57, err, errlen);
	if (!strcmp(key, "pcid"))
		return set_flag(key, value, &c->pcid, err, errlen);
	if (!strcmp(key, "gbpages"))
		return set_flag(key, value, &c->gbpages, err, errlen);
	if (strncmp(key, "tlb.", 4))
		return -1;
	for (int i = 0; i < NR_TLB_ARRAYS; i++)
		if (!strcmp(key + 4, tlb_array_names[i]))
			return set_geometry(key, value, &c->tlb[i], err,
					    errlen);
	snprintf(
		err, errlen,
		"mmsim.%s: unknown TLB (accepted: dtlb, dtlb2m, dtlb1g, itlb, itlb2m, stlb, stlb1g)",
		key);
	return 0;
}

bool mmu_config_check(const struct mmu_config *c, const struct arch_desc *a,
		      char *err, size_t errlen)
{
	static const char *const what[] = { "la57", "pcid", "gbpages" };
	const int v[] = { c->la57, c->pcid, c->gbpages };

	if (a->bits == 64)
		return true;
	for (size_t i = 0; i < ARRAY_SIZE(v); i++)
		if (v[i] == 1) {
			snprintf(
				err, errlen,
				"mmsim.%s=1: needs --arch x86_64 (%s has no such feature)",
				what[i], a->name);
			return false;
		}
	return true;
}

/* ---- boot and teardown --------------------------------------------------- */

static const struct pt_format *pick_format(const struct mmu_config *c)
{
	if (M->arch->bits == 32)
		return &pt_i386_2level;
	return c->la57 == 1 ? &pt_x86_64_5level : &pt_x86_64_4level;
}

bool mmu_init(void)
{
	const struct mmu_config *c = &M->cfg.mmu;
	struct mmu_state *s;
	bool x86_64 = M->arch->bits == 64;

	s = calloc(1, sizeof(*s) + (size_t)M->nr_cpus * sizeof(s->cpu[0]));
	if (!s)
		return false;
	M->mmu = s;
	M->pt_fmt = pick_format(c);
	s->pcid = x86_64 && c->pcid != 0;
	s->direct_gbpages = x86_64 && c->gbpages != 0;
	s->tlb_single_page_flush_ceiling = TLB_SINGLE_PAGE_FLUSH_CEILING;
	INIT_LIST_HEAD(&s->mms);
	/* INIT_MM_CONTEXT: init_mm's ctx_id is 1. */
	s->__init_mm.context.ctx_id = s->last_mm_ctx_id = 1;
	list_add(&s->__init_mm.mm_node, &s->mms);
	for (int cpu = 0; cpu < M->nr_cpus; cpu++)
		if (!tlb_init(&s->cpu[cpu].tlb, c, M->pt_fmt))
			return false;
	return true;
}

void mmu_destroy(struct machine *m)
{
	if (!m->mmu)
		return;
	for (int cpu = 0; cpu < m->nr_cpus; cpu++)
		tlb_destroy(&m->mmu->cpu[cpu].tlb);
	free(m->mmu);
	m->mmu = NULL;
}

void load_new_mm_cr3(int cpu, pgd_t *pgdir, uint16_t asid, bool need_flush)
{
	struct mmu_cpu *c = mmu_cpu(M->mmu, cpu);

	c->cr3 = __pa(pgdir);
	c->pcid = M->mmu->pcid ? asid + 1u : 0;
	c->tlb.stats.cr3_loads++;
	if (!M->mmu->pcid || need_flush) {
		c->tlb.stats.flushes++;
		tlb_flush_nonglobal(&c->tlb, M->mmu->pcid ? (int)c->pcid : -1);
	}
}

/* ---- the page walk ------------------------------------------------------- */

/* Rights of the leaf: W and U/S of every level (x86), NX of any. */
struct walk_rights {
	bool w, u, nx;
};

static enum tlb_size leaf_size(const struct tlb *t, unsigned shift)
{
	if (shift == 12)
		return TLB_4K;
	return shift == t->shift[TLB_2M] ? TLB_2M : TLB_1G;
}

/* X86_PF_* bits describing the access itself. */
static unsigned access_error_bits(const struct pt_format *f,
				  enum mmu_access acc, enum mmu_mode mode)
{
	unsigned e = mode == MMU_USER ? X86_PF_USER : 0;

	if (acc == MMU_WRITE)
		e |= X86_PF_WRITE;
	if (acc == MMU_EXEC && (f->nx || f->smep))
		e |= X86_PF_INSTR;
	return e;
}

static bool leaf_allows(const struct pt_format *f, pteval_t e,
			const struct walk_rights *r, enum mmu_access acc,
			enum mmu_mode mode)
{
	if (mode == MMU_USER && !r->u)
		return false;
	switch (acc) {
	case MMU_WRITE:
		return r->w;
	case MMU_READ:
		return !f->read || (e & f->read);
	case MMU_EXEC:
		return !r->nx && !(mode == MMU_KERNEL && f->smep && r->u);
	}
	return false;
}

static unsigned leaf_flags(const struct pt_format *f, pteval_t e,
			   const struct walk_rights *r)
{
	unsigned fl = 0;

	fl |= r->w ? TLBF_W : 0;
	fl |= r->u ? TLBF_U : 0;
	fl |= r->nx ? TLBF_NX : 0;
	fl |= (e & f->dirty) ? TLBF_D : 0;
	fl |= (e & f->global) ? TLBF_G : 0;
	fl |= f->read && !(e & f->read) ? TLBF_NR : 0;
	return fl;
}

static bool fault_bits(unsigned *err, unsigned bits)
{
	*err |= bits;
	return false;
}

/* The leaf e at level lvl, reached with the AND and OR of the upper
 * entries' bits: checks, A/D update, the translation. */
static bool walk_leaf(struct mmu_cpu *c, unsigned long va, int lvl, char *slot,
		      pteval_t e, pteval_t and_bits, pteval_t or_bits,
		      enum mmu_access acc, enum mmu_mode mode,
		      struct tlb_xlat *x, unsigned *err)
{
	const struct pt_format *f = M->pt_fmt;
	uint64_t size = pt_level_size(f, lvl);
	struct walk_rights r;

	if ((e & (f->rsvd[lvl] | f->rsvd_leaf[lvl])) ||
	    !(f->leaf_levels >> lvl & 1))
		return fault_bits(err, X86_PF_PROT | X86_PF_RSVD);
	if (!f->perm_upper)
		and_bits = or_bits = e;
	r.w = and_bits & e & f->rw;
	r.u = and_bits & e & f->user;
	r.nx = f->exec ? !(e & f->exec) : ((or_bits | e) & f->nx) != 0;
	if (!leaf_allows(f, e, &r, acc, mode))
		return fault_bits(err, X86_PF_PROT);
	/* The hardware's A and D updates in the leaf. */
	if (!(e & f->accessed) || (acc == MMU_WRITE && !(e & f->dirty))) {
		e |= f->accessed | (acc == MMU_WRITE ? f->dirty : 0);
		pt_store(f, slot, e);
	}
	x->size = leaf_size(&c->tlb, f->shift[lvl]);
	x->pa = (pt_entry_addr(f, e) & ~(size - 1)) +
		(va & (size - 1) & ~((1ULL << c->tlb.shift[x->size]) - 1));
	x->flags = leaf_flags(f, e, &r);
	return true;
}

/* Walks from CR3: true with *x filled, or false with the X86_PF_*
 * error code in *err (0 is a valid one: a kernel read, not present). */
static bool mmu_walk(struct mmu_cpu *c, unsigned long va, enum mmu_access acc,
		     enum mmu_mode mode, struct tlb_xlat *x, unsigned *err)
{
	const struct pt_format *f = M->pt_fmt;
	char *ram = M->ram;
	uint64_t table = c->cr3, last_table = M->ram_bytes - PAGE_SIZE;
	unsigned long idx_mask = pt_ptrs(f) - 1;
	pteval_t and_bits = ~0ULL, or_bits = 0, e;
	int lvl, last = f->levels - 1;
	char *slot;

	*err = access_error_bits(f, acc, mode);
	c->tlb.stats.page_walks++;
	for (lvl = 0;; lvl++) {
		/* A table outside RAM reads as all ones: reserved bits. */
		if (unlikely(table > last_table))
			return fault_bits(err, X86_PF_PROT | X86_PF_RSVD);
		slot = ram + table +
		       (((va >> f->shift[lvl]) & idx_mask) << f->entry_shift);
		e = pt_load(f, slot);
		if (unlikely(!(e & f->present)))
			break;
		if (lvl == last || (e & f->leaf_bits))
			break;
		if (unlikely(e & f->rsvd[lvl])) {
			c->tlb.stats.walk_steps += lvl + 1;
			return fault_bits(err, X86_PF_PROT | X86_PF_RSVD);
		}
		and_bits &= e;
		or_bits |= e;
		if (f->ad_upper && !(e & f->accessed))
			pt_store(f, slot, e | f->accessed);
		table = pt_entry_addr(f, e);
	}
	c->tlb.stats.walk_steps += lvl + 1;
	if (!(e & f->present))
		return false;
	return walk_leaf(c, va, lvl, slot, e, and_bits, or_bits, acc, mode, x,
			 err);
}

/* ---- translate ---------------------------------------------------------------- */

static inline uint64_t entry_pa(const struct tlb *t, const struct tlb_entry *e,
				unsigned long va)
{
	uint64_t size = 1ULL << t->shift[tlb_entry_size(e)];

	return (e->pa & ~TLBF_MASK & ~(size - 1)) + (va & (size - 1));
}

static void mmu_switch(int cpu, struct mm_struct *mm)
{
	int saved = M->this_cpu;

	M->this_cpu = cpu;
	switch_mm_irqs_off(mmu_cpu(M->mmu, cpu)->state.loaded_mm, mm, NULL);
	M->this_cpu = saved;
}

static enum translate_result page_fault(struct mmu_cpu *c, unsigned long va,
					unsigned err, struct mmu_fault *fault)
{
	c->cr2 = va;
	c->tlb.stats.page_faults++;
	if (fault) {
		fault->address = va;
		fault->error_code = err;
	}
	return TRANSLATE_PAGE_FAULT;
}

/* The slow path: the walk (after dropping a stale entry for va, as the
 * CPU does before it faults or sets a dirty bit), then both fills. */
static enum translate_result walk_and_fill(struct mmu_cpu *c, unsigned long va,
					   enum mmu_access acc,
					   enum mmu_mode mode, bool stale,
					   uint64_t *pa,
					   struct mmu_fault *fault)
{
	struct tlb *t = &c->tlb;
	struct tlb_xlat x;
	unsigned err;

	if (stale)
		tlb_invlpg(t, va, c->pcid);
	if (!mmu_walk(c, va, acc, mode, &x, &err))
		return page_fault(c, va, err, fault);
	tlb_fill_stlb(t, va, c->pcid, &x);
	tlb_fill_l1(t, acc == MMU_EXEC, va, c->pcid, &x);
	*pa = x.pa + (va & ((1ULL << t->shift[x.size]) - 1));
	return TRANSLATE_OK;
}

/* L1 missed: the STLB, then the walk. */
static enum translate_result stlb_path(struct mmu_cpu *c, unsigned long va,
				       enum mmu_access acc, enum mmu_mode mode,
				       uint64_t *pa, struct mmu_fault *fault)
{
	struct tlb *t = &c->tlb;
	struct tlb_entry *e = tlb_lookup(t, TLB_STLB, va, c->pcid, TLB_4K);
	struct tlb_xlat x;

	if (!e) {
		t->stats.stlb_misses++;
		return walk_and_fill(c, va, acc, mode, false, pa, fault);
	}
	t->stats.stlb_hits++;
	if (!tlb_allows(e->pa, tlb_need(acc, mode), tlb_forbid(acc, mode)))
		return walk_and_fill(c, va, acc, mode, true, pa, fault);
	x.size = tlb_entry_size(e);
	x.pa = e->pa & ~TLBF_MASK;
	x.flags = (unsigned)(e->pa & TLBF_MASK);
	tlb_fill_l1(t, acc == MMU_EXEC, va, c->pcid, &x);
	*pa = entry_pa(t, e, va);
	return TRANSLATE_OK;
}

enum translate_result translate_slow(int cpu, struct mm_struct *mm,
				     unsigned long va, enum mmu_access acc,
				     enum mmu_mode mode, uint64_t *pa,
				     struct mmu_fault *fault,
				     enum tlb_size from)
{
	struct mmu_cpu *c = mmu_cpu(M->mmu, cpu);
	struct tlb *t = &c->tlb;
	enum tlb_array l1 = acc == MMU_EXEC ? TLB_ITLB_4K : TLB_DTLB_4K;
	struct tlb_entry *e;

	if (unlikely(c->state.loaded_mm != mm ||
		     (mode == MMU_USER && c->state.is_lazy))) {
		mmu_switch(cpu, mm);
		from = TLB_4K;
	}
	if (unlikely(!va_canonical(t, va)))
		return TRANSLATE_GP;
	e = tlb_lookup(t, l1, va, c->pcid, from);
	if (unlikely(!e)) {
		if (acc == MMU_EXEC)
			t->stats.itlb_misses++;
		else
			t->stats.dtlb_misses++;
		return stlb_path(c, va, acc, mode, pa, fault);
	}
	if (acc == MMU_EXEC)
		t->stats.itlb_hits++;
	else
		t->stats.dtlb_hits++;
	if (unlikely(!tlb_allows(e->pa, tlb_need(acc, mode),
				 tlb_forbid(acc, mode))))
		return walk_and_fill(c, va, acc, mode, true, pa, fault);
	*pa = entry_pa(t, e, va);
	return TRANSLATE_OK;
}
