/* The page-table formats: x86-64 4-level and 5-level (LA57), i386 2-level
 * (no PAE), and riscv64 Sv39/Sv48. Bit values, protections, swap layouts
 * and kernel layouts are Linux 6.x's; reserved bits are the hardware's
 * (x86-64 with a 46-bit MAXPHYADDR; riscv64 without Svpbmt or Svnapot,
 * whose non-leaf entries must have A, D and U clear). */
#include "arch/pgtable.h"

#define BIT(n) (1ULL << (n))
#define GENMASK(h, l) (((~0ULL) >> (63 - (h))) & ~((1ULL << (l)) - 1))

/* ---- x86 ------------------------------------------------------------- */

#define _PAGE_PRESENT BIT(0)
#define _PAGE_RW BIT(1)
#define _PAGE_USER BIT(2)
#define _PAGE_PWT BIT(3)
#define _PAGE_PCD BIT(4)
#define _PAGE_ACCESSED BIT(5)
#define _PAGE_DIRTY BIT(6)
#define _PAGE_PSE BIT(7)
#define _PAGE_GLOBAL BIT(8)
#define _PAGE_SOFTW1 BIT(9) /* _PAGE_SPECIAL */
#define _PAGE_SOFTW3 BIT(11) /* _PAGE_SOFT_DIRTY (64-bit) */
#define _PAGE_NX BIT(63)
#define _PAGE_PROTNONE _PAGE_GLOBAL

#define X86_PP (_PAGE_PRESENT)
#define X86_A (_PAGE_ACCESSED)
#define X86_D (_PAGE_DIRTY)
#define X86_RW (_PAGE_RW)
#define X86_U (_PAGE_USER)
#define X86_G (_PAGE_GLOBAL)

#define X86_KERNPG_TABLE (X86_PP | X86_RW | X86_A | X86_D)
#define X86_PAGE_TABLE (X86_KERNPG_TABLE | X86_U)

/* Linux's PAGE_* protections (pgtable_types.h); nx is 0 without NX. */
#define X86_PROTS(nx)                                                          \
	{                                                                      \
		[PTP_NONE] = X86_A | _PAGE_PROTNONE,                           \
		[PTP_SHARED] = X86_PP | X86_RW | X86_U | X86_A | (nx),         \
		[PTP_SHARED_EXEC] = X86_PP | X86_RW | X86_U | X86_A,           \
		[PTP_COPY] = X86_PP | X86_U | X86_A | (nx),                    \
		[PTP_COPY_EXEC] = X86_PP | X86_U | X86_A,                      \
		[PTP_READONLY] = X86_PP | X86_U | X86_A | (nx),                \
		[PTP_READONLY_EXEC] = X86_PP | X86_U | X86_A,                  \
		[PTP_KERNEL] = X86_PP | X86_RW | X86_A | X86_D | X86_G | (nx), \
		[PTP_KERNEL_RO] = X86_PP | X86_A | X86_D | X86_G | (nx),       \
		[PTP_KERNEL_EXEC] = X86_PP | X86_RW | X86_A | X86_D | X86_G,   \
		[PTP_KERNEL_LARGE] = X86_PP | X86_RW | X86_A | X86_D | X86_G | \
				     _PAGE_PSE | (nx),                         \
		[PTP_TABLE] = X86_PAGE_TABLE,                                  \
	}

/* x86-64: physical addresses up to bit 51 in the format, 46 in hardware. */
#define X86_64_PFN_MASK GENMASK(51, 12)
#define X86_64_RSVD GENMASK(51, 46)
#define X86_64_RSVD_2M GENMASK(20, 13)
#define X86_64_RSVD_1G GENMASK(29, 13)

#define X86_64_COMMON                                                        \
	.entry_shift = 3, .index_bits = 9, .canonical = true,                \
	.perm_upper = true, .ad_upper = true, .smep = true,                  \
	.l1tf_invert = true, .pfn_shift = 12, .pfn_mask = X86_64_PFN_MASK,   \
	.present = _PAGE_PRESENT, .rw = _PAGE_RW, .user = _PAGE_USER,        \
	.pwt = _PAGE_PWT, .pcd = _PAGE_PCD, .accessed = _PAGE_ACCESSED,      \
	.dirty = _PAGE_DIRTY, .huge = _PAGE_PSE, .global = _PAGE_GLOBAL,     \
	.nx = _PAGE_NX, .protnone = _PAGE_PROTNONE, .special = _PAGE_SOFTW1, \
	.soft_dirty = _PAGE_SOFTW3, .swp_exclusive = _PAGE_PWT,              \
	.leaf_bits = _PAGE_PSE, .none_ignore = _PAGE_DIRTY | _PAGE_ACCESSED, \
	.table_check = ~(X86_64_PFN_MASK | _PAGE_USER | _PAGE_ACCESSED),     \
	.chg_mask = X86_64_PFN_MASK | _PAGE_PCD | _PAGE_PWT | _PAGE_SOFTW1 | \
		    _PAGE_ACCESSED | _PAGE_DIRTY | _PAGE_SOFTW3,             \
	.prot = X86_PROTS(_PAGE_NX), .swp_type_shift = 59,                   \
	.swp_offset_shift = 9, .swp_offset_bits = 50,                        \
	.swp_offset_invert = true

const struct pt_format pt_x86_64_4level = {
	.name = "x86-64 4-level",
	.levels = 4,
	.va_bits = 48,
	.shift = { 39, 30, 21, 12 },
	.named = { [PT_PGD] = 0,
		   [PT_P4D] = 0,
		   [PT_PUD] = 1,
		   [PT_PMD] = 2,
		   [PT_PTE] = 3 },
	.leaf_levels = 1u << 1 | 1u << 2 | 1u << 3,
	.rsvd = { X86_64_RSVD, X86_64_RSVD, X86_64_RSVD, X86_64_RSVD },
	.rsvd_leaf = { 0, X86_64_RSVD_1G, X86_64_RSVD_2M, 0 },
	.page_offset = 0xffff888000000000ULL,
	.task_size = (1ULL << 47) - 4096,
	.kernel_start = 0xffff888000000000ULL,
	X86_64_COMMON,
};

const struct pt_format pt_x86_64_5level = {
	.name = "x86-64 5-level",
	.levels = 5,
	.va_bits = 57,
	.shift = { 48, 39, 30, 21, 12 },
	.named = { [PT_PGD] = 0,
		   [PT_P4D] = 1,
		   [PT_PUD] = 2,
		   [PT_PMD] = 3,
		   [PT_PTE] = 4 },
	.leaf_levels = 1u << 2 | 1u << 3 | 1u << 4,
	.rsvd = { X86_64_RSVD, X86_64_RSVD, X86_64_RSVD, X86_64_RSVD,
		  X86_64_RSVD },
	.rsvd_leaf = { 0, 0, X86_64_RSVD_1G, X86_64_RSVD_2M, 0 },
	.page_offset = 0xff11000000000000ULL,
	.task_size = (1ULL << 56) - 4096,
	.kernel_start = 0xff11000000000000ULL,
	X86_64_COMMON,
};

/* i386 without PAE: 32-bit entries, no NX, no SMEP in the model, 4 MiB
 * leaves (PSE, no PSE-36: address bits 13..21 of a 4M leaf reserved). */
const struct pt_format pt_i386_2level = {
	.name = "i386 2-level",
	.levels = 2,
	.entry_shift = 2,
	.index_bits = 10,
	.va_bits = 32,
	.shift = { 22, 12 },
	.named = { [PT_PGD] = 0,
		   [PT_P4D] = 0,
		   [PT_PUD] = 0,
		   [PT_PMD] = 0,
		   [PT_PTE] = 1 },
	.leaf_levels = 1u << 0 | 1u << 1,
	.perm_upper = true,
	.ad_upper = true,
	.pfn_shift = 12,
	.pfn_mask = GENMASK(31, 12),
	.present = _PAGE_PRESENT,
	.rw = _PAGE_RW,
	.user = _PAGE_USER,
	.pwt = _PAGE_PWT,
	.pcd = _PAGE_PCD,
	.accessed = _PAGE_ACCESSED,
	.dirty = _PAGE_DIRTY,
	.huge = _PAGE_PSE,
	.global = _PAGE_GLOBAL,
	.protnone = _PAGE_PROTNONE,
	.special = _PAGE_SOFTW1,
	.swp_exclusive = _PAGE_PSE,
	.leaf_bits = _PAGE_PSE,
	.none_ignore = _PAGE_DIRTY | _PAGE_ACCESSED,
	.table_check = GENMASK(11, 0) & ~(_PAGE_USER | _PAGE_ACCESSED),
	.chg_mask = GENMASK(31, 12) | _PAGE_PCD | _PAGE_PWT | _PAGE_SOFTW1 |
		    _PAGE_ACCESSED | _PAGE_DIRTY,
	.rsvd_leaf = { GENMASK(21, 13), 0 },
	.prot = X86_PROTS(0),
	.swp_type_shift = 1,
	.swp_offset_shift = 9,
	.swp_offset_bits = 23,
	.page_offset = 0xc0000000ULL,
	.task_size = 0xc0000000ULL,
	.kernel_start = 0xc0000000ULL,
};

/* ---- riscv64 --------------------------------------------------------- */

#define RV_V BIT(0)
#define RV_R BIT(1)
#define RV_W BIT(2)
#define RV_X BIT(3)
#define RV_U BIT(4)
#define RV_G BIT(5)
#define RV_A BIT(6)
#define RV_D BIT(7)
#define RV_SOFT BIT(8) /* _PAGE_SPECIAL */
#define RV_LEAF (RV_R | RV_W | RV_X)
#define RV_PFN_MASK GENMASK(53, 10)
#define RV_BASE (RV_V | RV_A | RV_U)
#define RV_KERNEL (RV_R | RV_W | RV_V | RV_A | RV_D | RV_G)

#define RISCV_COMMON \
	.entry_shift = 3, .index_bits = 9, .canonical = true, .smep = true,   \
	.riscv = true, .rsvd_table = RV_A | RV_D | RV_U,                      \
	.pfn_shift = 10, .pfn_mask = RV_PFN_MASK, .present = RV_V,            \
	.rw = RV_W, .user = RV_U, .accessed = RV_A, .dirty = RV_D,            \
	.global = RV_G, .read = RV_R, .exec = RV_X, .protnone = RV_G,         \
	.special = RV_SOFT, .swp_exclusive = BIT(6), .leaf_bits = RV_LEAF,    \
	.table_check = RV_V | RV_LEAF,                                        \
	.chg_mask = RV_PFN_MASK | RV_A | RV_D | RV_SOFT,                      \
	.prot = {                                                             \
		[PTP_NONE] = RV_G | RV_R,                                     \
		[PTP_SHARED] = RV_BASE | RV_R | RV_W,                         \
		[PTP_SHARED_EXEC] = RV_BASE | RV_R | RV_W | RV_X,             \
		[PTP_COPY] = RV_BASE | RV_R,                                  \
		[PTP_COPY_EXEC] = RV_BASE | RV_R | RV_X,                      \
		[PTP_READONLY] = RV_BASE | RV_R,                              \
		[PTP_READONLY_EXEC] = RV_BASE | RV_R | RV_X,                  \
		[PTP_KERNEL] = RV_KERNEL,                                     \
		[PTP_KERNEL_RO] = RV_KERNEL & ~RV_W,                          \
		[PTP_KERNEL_EXEC] = RV_KERNEL | RV_X,                         \
		[PTP_KERNEL_LARGE] = RV_KERNEL,                               \
		[PTP_TABLE] = RV_V,                                           \
	},                                                                    \
	.swp_type_shift = 7, .swp_offset_shift = 12, .swp_offset_bits = 52

/* Bits 54..63 (PBMT, N) are reserved without Svpbmt/Svnapot; a
 * superpage whose low PPN fields are not zero is misaligned. */
#define RV_RSVD GENMASK(63, 54)

const struct pt_format pt_riscv_sv39 = {
	.name = "riscv64 Sv39",
	.levels = 3,
	.va_bits = 39,
	.shift = { 30, 21, 12 },
	.named = { [PT_PGD] = 0,
		   [PT_P4D] = 0,
		   [PT_PUD] = 0,
		   [PT_PMD] = 1,
		   [PT_PTE] = 2 },
	.leaf_levels = 1u << 0 | 1u << 1 | 1u << 2,
	.rsvd = { RV_RSVD, RV_RSVD, RV_RSVD },
	.rsvd_leaf = { GENMASK(27, 10), GENMASK(18, 10), 0 },
	.page_offset = 0xffffffd600000000ULL,
	.task_size = 1ULL << 38,
	.kernel_start = 0xffffffc000000000ULL,
	RISCV_COMMON,
};

const struct pt_format pt_riscv_sv48 = {
	.name = "riscv64 Sv48",
	.levels = 4,
	.va_bits = 48,
	.shift = { 39, 30, 21, 12 },
	.named = { [PT_PGD] = 0,
		   [PT_P4D] = 0,
		   [PT_PUD] = 1,
		   [PT_PMD] = 2,
		   [PT_PTE] = 3 },
	.leaf_levels = 1u << 0 | 1u << 1 | 1u << 2 | 1u << 3,
	.rsvd = { RV_RSVD, RV_RSVD, RV_RSVD, RV_RSVD },
	.rsvd_leaf = { GENMASK(36, 10), GENMASK(27, 10), GENMASK(18, 10), 0 },
	.page_offset = 0xffffaf8000000000ULL,
	.task_size = 1ULL << 47,
	.kernel_start = 0xffff800000000000ULL,
	RISCV_COMMON,
};
