/* Page-table formats as data (arch/x86/include/asm/pgtable_types.h,
 * pgtable_64_types.h, pgtable-2level*.h, arch/riscv/include/asm/
 * pgtable-bits.h): the entry types, and for each format its levels,
 * entry size, bit layout, protections, reserved bits and swap-entry
 * encoding. Nothing here depends on a machine: the kernel's generic
 * helpers (mm/pgtable.h) and the hardware walker (arch/mmu.c) read the
 * format the machine booted with, M->pt_fmt. */
#ifndef MMSIM_ARCH_PGTABLE_H
#define MMSIM_ARCH_PGTABLE_H

#include <stdbool.h>
#include <stdint.h>

/* Entries are handled as 64-bit values whatever their size in memory
 * (4 bytes on i386): read them with ptep_get()/pmdp_get()... and write
 * them with set_pte()/set_pmd()..., never through the pointer. */
typedef uint64_t pteval_t;
typedef struct {
	pteval_t pte;
} pte_t;
typedef struct {
	pteval_t pmd;
} pmd_t;
typedef struct {
	pteval_t pud;
} pud_t;
typedef struct {
	pteval_t p4d;
} p4d_t;
typedef struct {
	pteval_t pgd;
} pgd_t;
typedef struct {
	pteval_t pgprot;
} pgprot_t;

#define PT_MAX_LEVELS 5

/* Linux's software levels, top first. A folded level has no table of its
 * own: its entry is its parent's (p4d on 4-level x86-64; p4d, pud and pmd
 * on i386). */
enum pt_level { PT_PGD, PT_P4D, PT_PUD, PT_PMD, PT_PTE, PT_NR_LEVELS };

/* The protections every format defines (Linux's PAGE_* names). */
enum pt_prot {
	PTP_NONE,
	PTP_SHARED,
	PTP_SHARED_EXEC,
	PTP_COPY,
	PTP_COPY_EXEC,
	PTP_READONLY,
	PTP_READONLY_EXEC,
	PTP_KERNEL,
	PTP_KERNEL_RO,
	PTP_KERNEL_EXEC,
	PTP_KERNEL_LARGE, /* a kernel huge leaf (PSE on x86) */
	PTP_TABLE, /* an entry pointing to a lower table */
	NR_PTP
};

struct pt_format {
	const char *name;
	unsigned char levels; /* hardware levels */
	unsigned char entry_shift; /* log2 of an entry's bytes: 3, or 2 */
	unsigned char index_bits; /* 9, or 10 on i386 */
	unsigned char va_bits; /* 48, 57, 32, 39 */
	unsigned char shift[PT_MAX_LEVELS]; /* address shift of each level */
	unsigned char named[PT_NR_LEVELS]; /* hardware level of a Linux level */
	unsigned char leaf_levels; /* bit L: level L may map a page */
	bool canonical; /* bits above va_bits copy bit va_bits - 1 */
	bool perm_upper; /* x86: W, U, NX of every level combine */
	bool ad_upper; /* x86: the walker sets A in upper entries */
	bool smep; /* a kernel fetch from a user page faults */
	bool l1tf_invert; /* the pfn of a non-present entry is inverted */
	bool riscv; /* RISC-V: faults report scause; W without R is reserved */
	unsigned char pfn_shift; /* lowest bit of the pfn field */
	pteval_t pfn_mask; /* the pfn field (PTE_PFN_MASK) */

	/* Bits of an entry (0: the format has no such bit). */
	pteval_t present, rw, user, pwt, pcd, accessed, dirty, huge, global;
	pteval_t nx; /* x86: no-execute */
	pteval_t read; /* riscv: R (x86 pages are always readable) */
	pteval_t exec; /* riscv: X (x86 pages execute unless NX) */
	pteval_t protnone, special, soft_dirty, swp_exclusive;
	pteval_t leaf_bits; /* set in a leaf above the last level */
	pteval_t none_ignore; /* pte_none ignores these (x86 KNL erratum) */
	pteval_t table_check; /* bits *_bad compare with PTP_TABLE */
	pteval_t chg_mask; /* bits pte_modify keeps (_PAGE_CHG_MASK) */
	pteval_t rsvd[PT_MAX_LEVELS]; /* must be 0 in a present entry */
	pteval_t rsvd_leaf[PT_MAX_LEVELS]; /* also 0 in a leaf at that level */
	pteval_t rsvd_table; /* also 0 in an entry pointing to a table */
	pteval_t prot[NR_PTP];

	/* Swap entry in a non-present pte: 5 bits of type, then offset. */
	unsigned char swp_type_shift, swp_offset_shift, swp_offset_bits;
	bool swp_offset_invert; /* x86-64 stores ~offset (L1TF) */

	/* Kernel layout: the direct map, the end of user space, and the
	 * lowest address of the kernel half every pgd shares (x86:
	 * PAGE_OFFSET; riscv64: the upper half of the address space, whose
	 * vmalloc area lies below PAGE_OFFSET). */
	uint64_t page_offset;
	uint64_t task_size;
	uint64_t kernel_start;
};

extern const struct pt_format pt_x86_64_4level;
extern const struct pt_format pt_x86_64_5level;
extern const struct pt_format pt_i386_2level;
extern const struct pt_format pt_riscv_sv39;
extern const struct pt_format pt_riscv_sv48;

/* Entries per table, bytes per entry. */
static inline unsigned pt_ptrs(const struct pt_format *f)
{
	return 1u << f->index_bits;
}

/* Page size mapped by a leaf at hardware level lvl. */
static inline uint64_t pt_level_size(const struct pt_format *f, int lvl)
{
	return 1ULL << f->shift[lvl];
}

/* Reads or writes the entry at slot (4 or 8 bytes). */
static inline pteval_t pt_load(const struct pt_format *f, const void *slot)
{
	if (f->entry_shift == 3)
		return *(const uint64_t *)slot;
	return *(const uint32_t *)slot;
}

static inline void pt_store(const struct pt_format *f, void *slot, pteval_t v)
{
	if (f->entry_shift == 3)
		*(uint64_t *)slot = v;
	else
		*(uint32_t *)slot = (uint32_t)v;
}

/* Physical address held by an entry: a table, or a leaf's page. */
static inline uint64_t pt_entry_addr(const struct pt_format *f, pteval_t v)
{
	return ((v & f->pfn_mask) >> f->pfn_shift) << 12;
}

/* The pfn field for physical address pa. */
static inline pteval_t pt_addr_field(const struct pt_format *f, uint64_t pa)
{
	return ((pa >> 12) << f->pfn_shift) & f->pfn_mask;
}

#endif
