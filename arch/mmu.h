/* The MMU of each simulated CPU (arch/mmu.c): translate() looks a virtual
 * address up in the TLBs, walks the page tables on a miss as the hardware
 * does (setting accessed and dirty bits), and on failure reports a page
 * fault with the faulting address (x86 CR2, riscv stval) and the arch's
 * description of it: an x86 error code, or a riscv exception cause. Also
 * the machine's MMU state: init_mm, the registered mms, per-CPU TLBs and
 * Linux's per-CPU TLB state (cpu_tlbstate). */
#ifndef MMSIM_ARCH_MMU_H
#define MMSIM_ARCH_MMU_H

#include <stdbool.h>
#include <stdint.h>

#include "arch/tlb.h"
#include "base/list.h"
#include "kernel/machine.h"
#include "mm/mm_types.h"

struct machine;

/* Linux's PCID slots per CPU (arch/x86/include/asm/tlbflush.h). */
#define TLB_NR_DYN_ASIDS 6

/* Direct-map page sizes (x86 enum pg_level; PG_LEVEL_2M is 4M on i386). */
enum pg_level {
	PG_LEVEL_NONE,
	PG_LEVEL_4K,
	PG_LEVEL_2M,
	PG_LEVEL_1G,
	PG_LEVEL_512G,
	PG_LEVEL_256T,
	PG_LEVEL_NUM
};

struct tlb_context {
	uint64_t ctx_id;
	uint64_t tlb_gen;
};

/* Linux's cpu_tlbstate and cpu_tlbstate_shared.is_lazy. */
struct cpu_tlbstate {
	struct mm_struct *loaded_mm;
	uint16_t loaded_mm_asid;
	uint16_t next_asid;
	bool is_lazy;
	struct tlb_context ctxs[TLB_NR_DYN_ASIDS];
};

struct mmu_cpu {
	/* translate()'s fast path: the loaded mm unless the CPU is lazy. */
	struct mm_struct *fast_mm;
	uint64_t tag_code; /* tlb_code(pcid), for the lookups */
	struct tlb tlb;
	struct cpu_tlbstate state;
	uint64_t cr3; /* physical address of the loaded pgd */
	unsigned pcid; /* PCID of CR3: asid + 1 with PCID, else 0 */
	uint64_t cr2; /* address of the last page fault (riscv: stval) */
};

/* The page-table format as the hardware walker uses it: constants per
 * level derived from M->pt_fmt once, rebuilt when the format changes
 * (arch/mmu.c). */
struct mmu_walk_level {
	/* An upper entry needing the slow case: a reserved bit set, or A
	 * clear where the walker sets it: (e & upper_check) != upper_a. */
	pteval_t upper_check;
	pteval_t rsvd; /* reserved in any entry here */
	pteval_t table_rsvd; /* reserved in an entry pointing to a table */
	pteval_t leaf_bad; /* reserved in a leaf here; ~0: no leaf here */
	uint64_t page_mask; /* size of a leaf here, minus 1 */
	uint64_t frac_mask; /* va bits of the part of a leaf a TLB holds */
	unsigned char shift;
	unsigned char tlb_size; /* enum tlb_size of a leaf here */
};

struct mmu_walker {
	const struct pt_format *fmt; /* built from; NULL: not yet */
	pteval_t present, present_leaf, upper_a, pfn_mask;
	pteval_t rw, user, nx, exec, read, dirty, global, accessed;
	unsigned long idx_mask;
	unsigned levels, pfn_shift;
	bool wide, perm_upper;
	bool x86_64; /* x86-64's bit layout: walk_x86_64() applies */
	bool riscv; /* riscv rules: W without R reserved, scause codes */
	struct mmu_walk_level lvl[PT_MAX_LEVELS];
};

struct mmu_state {
	struct mmu_walker walker;
	struct mm_struct __init_mm;
	struct list_head mms; /* every mm with page tables, init_mm first */
	uint64_t last_mm_ctx_id;
	bool pcid;
	bool direct_gbpages;
	unsigned long direct_pages_count[PG_LEVEL_NUM];
	unsigned long tlb_single_page_flush_ceiling;
	struct mmu_cpu cpu[]; /* nr_cpus */
};

enum mmu_access { MMU_READ, MMU_WRITE, MMU_EXEC };
enum mmu_mode { MMU_KERNEL, MMU_USER };

/* x86 page-fault error code (arch/x86/include/asm/trap_pf.h). */
#define X86_PF_PROT 0x01 /* 0: not present, 1: protection or reserved */
#define X86_PF_WRITE 0x02 /* the access was a write */
#define X86_PF_USER 0x04 /* from user mode */
#define X86_PF_RSVD 0x08 /* a reserved bit was set in an entry */
#define X86_PF_INSTR 0x10 /* an instruction fetch (with NX or SMEP) */

/* riscv exception causes (scause, arch/riscv/include/asm/csr.h). A riscv
 * page fault says only which kind of access failed: a load, a store (or
 * AMO) or an instruction fetch; not why (invalid entry, rights, a
 * reserved bit or encoding, a misaligned superpage, a non-canonical
 * address) nor from which mode (that is sstatus.SPP, which mmsim does
 * not model). A page table outside RAM is an access fault (PMA check). */
#define EXC_INST_ACCESS 1
#define EXC_LOAD_ACCESS 5
#define EXC_STORE_ACCESS 7
#define EXC_INST_PAGE_FAULT 12
#define EXC_LOAD_PAGE_FAULT 13
#define EXC_STORE_PAGE_FAULT 15

enum translate_result {
	TRANSLATE_OK,
	TRANSLATE_PAGE_FAULT, /* fault->error_code and address (CR2) set */
	TRANSLATE_GP, /* x86 non-canonical address: #GP, no CR2 */
};

/* A failed translation: address is the faulting virtual address (x86
 * CR2, riscv stval); error_code is the x86 error code (X86_PF_*) on x86,
 * the exception cause (EXC_*: scause) on riscv, where a non-canonical
 * address is a page fault like any other. */
struct mmu_fault {
	unsigned long address;
	unsigned long error_code;
};

/* translate() past a hit in the 4K L1 array of its side: every case,
 * counted. The L1 lookup starts at page size "from" (TLB_2M: 4K already
 * missed). c is CPU cpu's MMU. */
enum translate_result translate_slow(struct mmu_cpu *c, struct mm_struct *mm,
				     unsigned long va, enum mmu_access acc,
				     enum mmu_mode mode, uint64_t *pa,
				     struct mmu_fault *fault,
				     enum tlb_size from);

static inline struct mmu_cpu *mmu_cpu(struct mmu_state *s, int cpu)
{
	return &s->cpu[cpu];
}

static inline bool va_canonical(const struct tlb *t, unsigned long va)
{
	return ((va + t->canon_add) >> t->va_bits) == 0;
}

/* Rights an access needs in a TLB entry, and rights that forbid it. */
static inline unsigned tlb_need(enum mmu_access acc, enum mmu_mode mode)
{
	return (acc == MMU_WRITE ? TLBF_W | TLBF_D : 0) |
	       (mode == MMU_USER ? TLBF_U : 0);
}

static inline unsigned tlb_forbid(enum mmu_access acc, enum mmu_mode mode)
{
	if (acc == MMU_READ)
		return TLBF_NR;
	if (acc == MMU_WRITE)
		return 0;
	return TLBF_NX | (mode == MMU_KERNEL && M->pt_fmt->smep ? TLBF_U : 0);
}

/* need and forbid never share a bit: one mask, one compare. */
static inline bool tlb_allows(uint64_t pa, unsigned need, unsigned forbid)
{
	return (pa & (need | forbid)) == need;
}

/* Translates va for an access on cpu in mode: TLB, then page walk. The
 * CPU must have mm loaded (CR3); if it has another, translate first
 * switches to mm as the scheduler would (switch_mm_irqs_off). A user
 * access on a CPU in lazy TLB mode leaves lazy mode. On TRANSLATE_OK
 * *pa is the physical address. Inline: an L1 hit on a 4K page. */
static inline enum translate_result
translate(int cpu, struct mm_struct *mm, unsigned long va, enum mmu_access acc,
	  enum mmu_mode mode, uint64_t *pa, struct mmu_fault *fault)
{
	struct mmu_cpu *c = mmu_cpu(M->mmu, cpu);
	bool instr = acc == MMU_EXEC;
	struct tlb_way_hint *h = &c->tlb.hint[instr][(va >> 12) % TLB_HINTS];
	uint64_t want = (va & ~TLBF_MASK) | c->tag_code;
	enum tlb_size from = TLB_4K;
	struct tlb_entry *e;
	uint64_t epa;

	if (unlikely(c->fast_mm != mm))
		goto slow;
	if (likely(h->want == want)) {
		e = h->e;
	} else {
		/* The set; an absent array has no ways: a miss. */
		const struct tlb_assoc *a =
			&c->tlb.a[instr ? TLB_ITLB_4K : TLB_DTLB_4K];
		unsigned long k = ((va >> 12) & a->set_mask) * a->stride;
		uint64_t m = tlb_match(a->tag + k, a->groups,
				       tlb_key_mask(c->tag_code), want);

		if (unlikely(!m)) {
			from = TLB_2M;
			goto slow;
		}
		e = &a->e[k + (unsigned long)__builtin_ctzll(m)];
		h->want = want;
		h->e = e;
	}
	epa = e->pa;
	if (unlikely(!tlb_allows(epa, tlb_need(acc, mode),
				 tlb_forbid(acc, mode))))
		goto slow;
	e->lru = ++c->tlb.clock;
	if (instr)
		c->tlb.stats.itlb_hits++;
	else
		c->tlb.stats.dtlb_hits++;
	*pa = (epa & ~TLBF_MASK) | (va & TLBF_MASK);
	return TRANSLATE_OK;
slow:
	return translate_slow(c, mm, va, acc, mode, pa, fault, from);
}

/* Boot: the MMU state and each CPU's TLBs (before the page tables). */
bool mmu_init(void);
/* Teardown (host memory only); m need not be current. */
void mmu_destroy(struct machine *m);

/* Loads CR3 of cpu: the hardware side of switch_mm (no PCID: every
 * non-global entry goes; with PCID, the PCID's entries go unless
 * noflush). */
void load_new_mm_cr3(int cpu, pgd_t *pgdir, uint16_t asid, bool need_flush);

#endif
