/* The MMU of each CPU: translate() probes the L1 TLB of its side (dTLB
 * or iTLB), then the STLB, then walks the page tables from CR3 (riscv:
 * satp) as the hardware does, filling the TLBs on success. x86: A set in
 * every entry used, D in the leaf on a write; W and U/S combine over the
 * levels, NX from any level; reserved bits fault with RSVD. riscv (the
 * privileged spec's Sv39/Sv48 walk): the first entry with R or X is the
 * leaf, whose R/W/X/U alone decide; A and D set in the leaf only (as a
 * hart with hardware A/D updates does); non-leaf entries with A, D or U,
 * W without R and misaligned superpages fault; faults report scause. Also
 * the MMU options of a machine, its MMU state at boot, and CR3 loads. */
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
	c->sv48 = -1;
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
	if (!strcmp(key, "sv48"))
		return set_flag(key, value, &c->sv48, err, errlen);
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

/* Option what set to 1 on arch a, which lacks it: refused. */
static bool refuse(const char *what, int v, const char *needs,
		   const struct arch_desc *a, char *err, size_t errlen)
{
	if (v != 1)
		return false;
	snprintf(err, errlen,
		 "mmsim.%s=1: needs --arch %s (%s has no such feature)", what,
		 needs, a->name);
	return true;
}

bool mmu_config_check(const struct mmu_config *c, const struct arch_desc *a,
		      char *err, size_t errlen)
{
	bool x86_64 = a->x86 && a->bits == 64;

	/* riscv64 has ASIDs rather than PCIDs (not modelled) and maps its
	 * linear map with the leaves best_map_size() picks. */
	if (!x86_64 &&
	    (refuse("la57", c->la57, "x86_64", a, err, errlen) ||
	     refuse("pcid", c->pcid, "x86_64", a, err, errlen) ||
	     refuse("gbpages", c->gbpages, "x86_64", a, err, errlen)))
		return false;
	return a->x86 ? !refuse("sv48", c->sv48, "riscv64", a, err, errlen) :
			true;
}

/* ---- boot and teardown --------------------------------------------------- */

/* Linux riscv64 takes the largest mode the hardware has (Sv57 down);
 * mmsim's hart has Sv39, and Sv48 with -o mmsim.sv48=1. */
static const struct pt_format *pick_format(const struct mmu_config *c)
{
	if (!M->arch->x86)
		return c->sv48 == 1 ? &pt_riscv_sv48 : &pt_riscv_sv39;
	if (M->arch->bits == 32)
		return &pt_i386_2level;
	return c->la57 == 1 ? &pt_x86_64_5level : &pt_x86_64_4level;
}

bool mmu_init(void)
{
	const struct mmu_config *c = &M->cfg.mmu;
	struct mmu_state *s;
	bool x86_64 = M->arch->x86 && M->arch->bits == 64;

	s = calloc(1, sizeof(*s) + (size_t)M->nr_cpus * sizeof(s->cpu[0]));
	if (!s)
		return false;
	M->mmu = s;
	M->pt_fmt = pick_format(c);
	s->pcid = x86_64 && c->pcid != 0;
	s->direct_gbpages = x86_64 && c->gbpages != 0;
	/* riscv64's tlb_flush_all_threshold plays the same part. */
	s->tlb_single_page_flush_ceiling =
		M->arch->x86 ? TLB_SINGLE_PAGE_FLUSH_CEILING :
			       RISCV_TLB_FLUSH_ALL_THRESHOLD;
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

/* PCIDs are asid + 1: each needs its one-hot code in a TLB tag. */
_Static_assert(TLB_NR_DYN_ASIDS <= TLB_MAX_PCID, "PCIDs beyond the tag codes");

void load_new_mm_cr3(int cpu, pgd_t *pgdir, uint16_t asid, bool need_flush)
{
	struct mmu_cpu *c = mmu_cpu(M->mmu, cpu);

	c->cr3 = __pa(pgdir);
	c->pcid = M->mmu->pcid ? asid + 1u : 0;
	c->tag_code = tlb_code(c->pcid);
	c->tlb.stats.cr3_loads++;
	if (!M->mmu->pcid || need_flush) {
		c->tlb.stats.flushes++;
		tlb_flush_nonglobal(&c->tlb, M->mmu->pcid ? (int)c->pcid : -1);
	}
}

/* ---- the page walk ------------------------------------------------------- */

/* riscv scause for a failed access: a page fault, or an access fault
 * when the walk left RAM. */
static unsigned riscv_cause(enum mmu_access acc, bool access_fault)
{
	if (acc == MMU_EXEC)
		return access_fault ? EXC_INST_ACCESS : EXC_INST_PAGE_FAULT;
	if (acc == MMU_WRITE)
		return access_fault ? EXC_STORE_ACCESS : EXC_STORE_PAGE_FAULT;
	return access_fault ? EXC_LOAD_ACCESS : EXC_LOAD_PAGE_FAULT;
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

static enum tlb_size leaf_size(const struct tlb *t, unsigned shift)
{
	if (shift == 12)
		return TLB_4K;
	return shift == t->shift[TLB_2M] ? TLB_2M : TLB_1G;
}

/* The x86-64 entry bits walk_x86_64() turns into TLBF_* flags with
 * constant shifts; walker_build() checks the format has them. */
#define X86_PRESENT 0x1ULL
#define X86_RW_BIT 1
#define X86_USER_BIT 2
#define X86_ACCESSED 0x20ULL
#define X86_DIRTY_BIT 6
#define X86_PSE 0x80ULL
#define X86_GLOBAL_BIT 8
#define X86_NX_BIT 63

_Static_assert(X86_USER_BIT == X86_RW_BIT + 1 && TLBF_W == 1 && TLBF_U == 2 &&
		       TLBF_NX == 4 && TLBF_D == 8 && TLBF_G == 16,
	       "flag arithmetic of walk_x86_64");

/* Whether format f is x86-64's layout as walk_x86_64() assumes it:
 * 8-byte entries of 9-bit indices, pfn from bit 12, the flag bits
 * above, W/U/NX combined and A set over the levels, and the same
 * reserved bits in every upper entry. */
static bool x86_64_layout(const struct pt_format *f)
{
	if (f->entry_shift != 3 || f->index_bits != 9 || f->pfn_shift != 12 ||
	    f->present != X86_PRESENT || f->leaf_bits != X86_PSE ||
	    f->accessed != X86_ACCESSED || f->rw != 1ULL << X86_RW_BIT ||
	    f->user != 1ULL << X86_USER_BIT ||
	    f->dirty != 1ULL << X86_DIRTY_BIT ||
	    f->global != 1ULL << X86_GLOBAL_BIT ||
	    f->nx != 1ULL << X86_NX_BIT || f->exec || f->read ||
	    !f->perm_upper || !f->ad_upper || (f->pfn_mask & 0xfff))
		return false;
	for (int l = 0; l < f->levels; l++)
		if (f->shift[l] != 12 + 9 * (f->levels - 1 - l) ||
		    f->rsvd[l] != f->rsvd[0])
			return false;
	return true;
}

/* The walker's constants for format f (TLB sizes as t caches them). */
static void walker_build(struct mmu_walker *w, const struct pt_format *f,
			 const struct tlb *t)
{
	*w = (struct mmu_walker){
		.fmt = f,
		.present = f->present,
		.present_leaf = f->present | f->leaf_bits,
		.upper_a = f->ad_upper ? f->accessed : 0,
		.pfn_mask = f->pfn_mask,
		.rw = f->rw,
		.user = f->user,
		.nx = f->nx,
		.exec = f->exec,
		.read = f->read,
		.dirty = f->dirty,
		.global = f->global,
		.accessed = f->accessed,
		.idx_mask = pt_ptrs(f) - 1,
		.levels = f->levels,
		.pfn_shift = f->pfn_shift,
		.wide = f->entry_shift == 3,
		.perm_upper = f->perm_upper,
		.x86_64 = x86_64_layout(f),
		.riscv = f->riscv,
	};
	for (int l = 0; l < f->levels; l++) {
		struct mmu_walk_level *L = &w->lvl[l];
		enum tlb_size s = leaf_size(t, f->shift[l]);

		L->shift = f->shift[l];
		L->rsvd = f->rsvd[l];
		L->table_rsvd = f->rsvd[l] | f->rsvd_table;
		L->upper_check = L->table_rsvd | w->upper_a;
		L->leaf_bad = f->leaf_levels >> l & 1 ?
				      f->rsvd[l] | f->rsvd_leaf[l] :
				      ~0ULL;
		L->page_mask = pt_level_size(f, l) - 1;
		L->frac_mask = L->page_mask & ~((1ULL << t->shift[s]) - 1);
		L->tlb_size = (unsigned char)s;
	}
}

/* Where the table part of a walk ended: the entry that maps (a leaf, or
 * the last level), or the X86_PF_* bits of a fault on the way. */
struct walk_end {
	pteval_t e, and_bits, or_bits;
	void *slot;
	unsigned lvl;
	unsigned steps; /* entries read, for walk_steps */
	unsigned fault; /* X86_PF_*, when the walk returned false */
	bool outside; /* ... because a table lies outside RAM */
};

/* The table part of the walk from CR3 (table), any format: A set in
 * each upper entry used, W/U/S and NX gathered. A function of its own,
 * so its loop keeps everything in registers. */
static noinline bool walk_tables(const struct mmu_walker *w, uint64_t table,
				 unsigned long va, struct walk_end *end)
{
	const bool wide = w->wide;
	const unsigned pfn_shift = w->pfn_shift;
	char *const ram = M->ram;
	const uint64_t base = M->phys_ram_base;
	const uint64_t last_table = M->ram_bytes - PAGE_SIZE;
	const pteval_t present_leaf = w->present_leaf, present = w->present;
	const pteval_t upper_a = w->upper_a, pfn_mask = w->pfn_mask;
	const unsigned long idx_mask = w->idx_mask;
	const struct mmu_walk_level *L = w->lvl, *last = w->lvl + w->levels - 1;
	pteval_t and_bits = ~0ULL, or_bits = 0, e;
	char *slot;

	for (;; L++) {
		unsigned long idx = (va >> L->shift) & idx_mask;

		/* A table outside RAM reads as all ones: reserved bits. */
		if (unlikely(table - base > last_table)) {
			end->steps = 0;
			end->fault = X86_PF_PROT | X86_PF_RSVD;
			end->outside = true;
			return false;
		}
		if (wide) {
			slot = ram + table + idx * 8;
			e = *(const uint64_t *)slot;
		} else {
			slot = ram + table + idx * 4;
			e = *(const uint32_t *)slot;
		}
		if ((e & present_leaf) != present || L == last)
			break;
		if (unlikely((e & L->upper_check) != upper_a)) {
			if (e & L->table_rsvd) {
				end->steps = (unsigned)(L - w->lvl) + 1;
				end->fault = X86_PF_PROT | X86_PF_RSVD;
				return false;
			}
			if (wide)
				*(uint64_t *)slot = e | upper_a;
			else
				*(uint32_t *)slot = (uint32_t)(e | upper_a);
		}
		and_bits &= e;
		or_bits |= e;
		table = ((e & pfn_mask) >> pfn_shift) << 12;
	}
	end->lvl = (unsigned)(L - w->lvl);
	end->steps = end->lvl + 1;
	if (!(e & present)) {
		end->fault = 0;
		return false;
	}
	end->e = e;
	end->and_bits = and_bits;
	end->or_bits = or_bits;
	end->slot = slot;
	return true;
}

/* The slot of va's entry at shift in the table at physical address
 * table, or NULL when the table is not in RAM. */
static __always_inline uint64_t *x86_64_slot(char *ram, uint64_t table,
					     uint64_t base, uint64_t last_table,
					     unsigned long va, unsigned shift)
{
	if (unlikely(table - base > last_table))
		return NULL;
	return (uint64_t *)(ram + table) + ((va >> shift) & 511);
}

/* The whole walk on x86-64 (see x86_64_layout()): the table part as in
 * walk_tables(), then the leaf as in walk_leaf(), with the flags built by
 * constant shifts. need (without TLBF_D) and forbid: the access's rights;
 * ad: the A and D bits it sets in the leaf; top: the shift of the top
 * level (a constant for the usual 4 levels, so the loop unrolls). */
static __always_inline bool
walk_x86_64_from(const struct mmu_walker *w, uint64_t table, unsigned long va,
		 unsigned need, unsigned forbid, pteval_t ad,
		 struct tlb_xlat *x, struct walk_end *end, const unsigned top)
{
	char *const ram = M->ram;
	const uint64_t base = M->phys_ram_base;
	const uint64_t last_table = M->ram_bytes - PAGE_SIZE;
	const pteval_t upper_check = w->lvl[0].rsvd | X86_ACCESSED;
	const pteval_t pfn_mask = w->pfn_mask;
	pteval_t and_bits = ~0ULL, or_bits = 0, e;
	const struct mmu_walk_level *L;
	unsigned shift, lvl, fl;
	uint64_t *slot;

	/* Level by level down to the 4K level, where shift is 12. */
#pragma GCC unroll 5
	for (shift = top; shift > 12; shift -= 9) {
		slot = x86_64_slot(ram, table, base, last_table, va, shift);
		if (unlikely(!slot))
			goto outside;
		e = *slot;
		if ((e & (X86_PRESENT | X86_PSE)) != X86_PRESENT)
			goto end;
		if (unlikely((e & upper_check) != X86_ACCESSED)) {
			if (e & w->lvl[0].rsvd) {
				end->steps = (top - shift) / 9 + 1;
				end->fault = X86_PF_PROT | X86_PF_RSVD;
				return false;
			}
			*slot = e | X86_ACCESSED;
		}
		and_bits &= e;
		or_bits |= e;
		table = e & pfn_mask;
	}
	slot = x86_64_slot(ram, table, base, last_table, va, 12);
	if (unlikely(!slot))
		goto outside;
	e = *slot;
end:
	lvl = (top - shift) / 9;
	end->steps = lvl + 1;
	if (!(e & X86_PRESENT)) {
		end->fault = 0;
		return false;
	}
	L = &w->lvl[lvl];
	if (e & L->leaf_bad) {
		end->fault = X86_PF_PROT | X86_PF_RSVD;
		return false;
	}
	and_bits &= e;
	fl = (unsigned)((and_bits >> X86_RW_BIT) & (TLBF_W | TLBF_U)) |
	     (unsigned)(((or_bits | e) >> (X86_NX_BIT - 2)) & TLBF_NX) |
	     (unsigned)((e >> (X86_GLOBAL_BIT - 4)) & TLBF_G);
	if (!tlb_allows(fl, need, forbid)) {
		end->fault = X86_PF_PROT;
		return false;
	}
	if ((e & ad) != ad) {
		e |= ad;
		*slot = e;
	}
	x->size = (enum tlb_size)L->tlb_size;
	x->pa = (e & pfn_mask & ~L->page_mask) + (va & L->frac_mask);
	x->flags = fl | (unsigned)((e >> (X86_DIRTY_BIT - 3)) & TLBF_D);
	return true;
outside:
	/* A table outside RAM reads as all ones: reserved bits. */
	end->steps = 0;
	end->fault = X86_PF_PROT | X86_PF_RSVD;
	end->outside = true;
	return false;
}

static __always_inline bool walk_x86_64(const struct mmu_walker *w,
					uint64_t table, unsigned long va,
					unsigned need, unsigned forbid,
					pteval_t ad, struct tlb_xlat *x,
					struct walk_end *end)
{
	if (likely(w->levels == 4))
		return walk_x86_64_from(w, table, va, need, forbid, ad, x, end,
					39);
	return walk_x86_64_from(w, table, va, need, forbid, ad, x, end,
				12 + 9 * (w->levels - 1));
}

/* The leaf: reserved bits and level, rights (W and U/S of every level
 * on x86, NX of any), the hardware's A and D updates, the translation. */
static bool walk_leaf(const struct mmu_walker *w, unsigned long va,
		      struct walk_end *end, enum mmu_access acc,
		      enum mmu_mode mode, struct tlb_xlat *x)
{
	const struct mmu_walk_level *L = &w->lvl[end->lvl];
	pteval_t e = end->e, and_bits = end->and_bits, or_bits = end->or_bits;
	pteval_t ad = w->accessed | (acc == MMU_WRITE ? w->dirty : 0);
	unsigned fl = 0;
	bool nx;

	/* riscv: W without R is a reserved encoding. */
	if ((e & L->leaf_bad) ||
	    (w->riscv && (e & (w->rw | w->read)) == w->rw)) {
		end->fault = X86_PF_PROT | X86_PF_RSVD;
		return false;
	}
	if (!w->perm_upper) {
		and_bits = ~0ULL;
		or_bits = 0;
	}
	nx = w->exec ? !(e & w->exec) : ((or_bits | e) & w->nx) != 0;
	fl |= and_bits & e & w->rw ? TLBF_W : 0;
	fl |= and_bits & e & w->user ? TLBF_U : 0;
	fl |= nx ? TLBF_NX : 0;
	fl |= e & w->global ? TLBF_G : 0;
	fl |= w->read && !(e & w->read) ? TLBF_NR : 0;
	/* The rights the access needs, before the D update below. */
	if (!tlb_allows(fl, tlb_need(acc, mode) & ~TLBF_D,
			tlb_forbid(acc, mode))) {
		end->fault = X86_PF_PROT;
		return false;
	}
	if ((e & ad) != ad) {
		e |= ad;
		if (w->wide)
			*(uint64_t *)end->slot = e;
		else
			*(uint32_t *)end->slot = (uint32_t)e;
	}
	fl |= e & w->dirty ? TLBF_D : 0;
	x->size = (enum tlb_size)L->tlb_size;
	x->pa = ((((e & w->pfn_mask) >> w->pfn_shift) << 12) & ~L->page_mask) +
		(va & L->frac_mask);
	x->flags = fl;
	return true;
}

/* Walks from CR3: true with *x filled, or false with the X86_PF_*
 * error code in *err (0 is a valid one: a kernel read, not present), or
 * on riscv the scause. */
static __always_inline bool mmu_walk(struct mmu_cpu *c, unsigned long va,
				     enum mmu_access acc, enum mmu_mode mode,
				     struct tlb_xlat *x, unsigned *err)
{
	struct mmu_walker *w = &M->mmu->walker;
	struct walk_end end = { .outside = false };
	bool ok;

	if (unlikely(w->fmt != M->pt_fmt))
		walker_build(w, M->pt_fmt, &c->tlb);
	c->tlb.stats.page_walks++;
	if (likely(w->x86_64)) {
		ok = walk_x86_64(w, c->cr3, va, tlb_need(acc, mode) & ~TLBF_D,
				 tlb_forbid(acc, mode),
				 w->accessed |
					 (acc == MMU_WRITE ? w->dirty : 0),
				 x, &end);
		c->tlb.stats.walk_steps += end.steps;
		if (likely(ok))
			return true;
	} else {
		ok = walk_tables(w, c->cr3, va, &end);
		c->tlb.stats.walk_steps += end.steps;
		if (likely(ok) && likely(walk_leaf(w, va, &end, acc, mode, x)))
			return true;
	}
	if (w->riscv)
		*err = riscv_cause(acc, end.outside);
	else
		*err = access_error_bits(w->fmt, acc, mode) | end.fault;
	return false;
}

/* ---- translate ---------------------------------------------------------------- */

static inline uint64_t entry_pa(const struct tlb *t, uint64_t e,
				unsigned long va)
{
	uint64_t size = 1ULL << t->shift[tlb_pa_size(e)];

	return (e & ~TLBF_MASK & ~(size - 1)) + (va & (size - 1));
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

/* The walk (after dropping a stale entry for va, as the CPU does before
 * it faults or sets a dirty bit), then both fills: the STLB and side's
 * L1. Inlined once per side. */
static __always_inline enum translate_result
walk_and_fill(struct mmu_cpu *c, enum tlb_side side, unsigned long va,
	      enum mmu_access acc, enum mmu_mode mode, bool stale, uint64_t *pa,
	      struct mmu_fault *fault)
{
	struct tlb *t = &c->tlb;
	struct tlb_xlat x;
	unsigned err;

	if (stale)
		tlb_invlpg(t, va, c->pcid);
	if (!mmu_walk(c, va, acc, mode, &x, &err))
		return page_fault(c, va, err, fault);
	if (tlb_fill(t, TLB_SIDE_S, va, c->tag_code, &x))
		t->stats.stlb_evictions++;
	if (tlb_fill(t, side, va, c->tag_code, &x)) {
		if (side == TLB_SIDE_I)
			t->stats.itlb_evictions++;
		else
			t->stats.dtlb_evictions++;
	}
	*pa = x.pa + (va & ((1ULL << t->shift[x.size]) - 1));
	return TRANSLATE_OK;
}

/* Past the switch and canonical checks: L1 of side from size "from",
 * the STLB, the walk. Inlined once per side. */
static __always_inline enum translate_result
lookup_side(struct mmu_cpu *c, enum tlb_side side, unsigned long va,
	    enum mmu_access acc, enum mmu_mode mode, uint64_t *pa,
	    struct mmu_fault *fault, enum tlb_size from)
{
	struct tlb *t = &c->tlb;
	unsigned need = tlb_need(acc, mode), forbid = tlb_forbid(acc, mode);
	struct tlb_entry *e = tlb_lookup(t, side, va, c->tag_code, from);
	bool stale = true;
	struct tlb_xlat x;
	uint64_t epa;

	if (likely(e)) {
		if (side == TLB_SIDE_I)
			t->stats.itlb_hits++;
		else
			t->stats.dtlb_hits++;
		if (unlikely(!tlb_allows(e->pa, need, forbid)))
			goto walk;
		*pa = entry_pa(t, e->pa, va);
		return TRANSLATE_OK;
	}
	if (side == TLB_SIDE_I)
		t->stats.itlb_misses++;
	else
		t->stats.dtlb_misses++;
	e = tlb_lookup(t, TLB_SIDE_S, va, c->tag_code, TLB_4K);
	if (!e) {
		t->stats.stlb_misses++;
		stale = false;
		goto walk;
	}
	t->stats.stlb_hits++;
	epa = e->pa;
	if (unlikely(!tlb_allows(epa, need, forbid)))
		goto walk;
	x.size = tlb_pa_size(epa);
	x.pa = epa & ~TLBF_MASK;
	x.flags = (unsigned)(epa & TLBF_FLAGS);
	if (tlb_fill(t, side, va, c->tag_code, &x)) {
		if (side == TLB_SIDE_I)
			t->stats.itlb_evictions++;
		else
			t->stats.dtlb_evictions++;
	}
	*pa = entry_pa(t, epa, va);
	return TRANSLATE_OK;
walk:
	return walk_and_fill(c, side, va, acc, mode, stale, pa, fault);
}

enum translate_result translate_slow(struct mmu_cpu *c, struct mm_struct *mm,
				     unsigned long va, enum mmu_access acc,
				     enum mmu_mode mode, uint64_t *pa,
				     struct mmu_fault *fault,
				     enum tlb_size from)
{
	if (unlikely(c->state.loaded_mm != mm ||
		     (mode == MMU_USER && c->state.is_lazy))) {
		mmu_switch((int)(c - M->mmu->cpu), mm);
		from = TLB_4K;
	}
	if (unlikely(!va_canonical(&c->tlb, va))) {
		/* riscv: upper bits not copies of the top VA bit fault. */
		if (M->pt_fmt->riscv)
			return page_fault(c, va, riscv_cause(acc, false),
					  fault);
		return TRANSLATE_GP;
	}
	if (acc == MMU_EXEC)
		return lookup_side(c, TLB_SIDE_I, va, acc, mode, pa, fault,
				   from);
	return lookup_side(c, TLB_SIDE_D, va, acc, mode, pa, fault, from);
}
