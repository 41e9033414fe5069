/* TLB maintenance, Linux's side (arch/x86/include/asm/tlbflush.h,
 * arch/x86/mm/tlb.c): switching address spaces (CR3 loads with PCID
 * slots and TLB generations), lazy TLB mode for kernel threads, and the
 * flushes (local and by IPI to the other CPUs in an mm's cpumask),
 * counted in /proc/vmstat nr_tlb_*. Functions act on the CPU running
 * kernel code (smp_processor_id()). */
#ifndef MMSIM_ARCH_TLBFLUSH_H
#define MMSIM_ARCH_TLBFLUSH_H

#include <stdbool.h>

#include "mm/mm_types.h"

struct task_struct;

#define TLB_FLUSH_ALL (~0UL)
#define TLB_GENERATION_INVALID 0

/* Linux's default: a range of more pages than this is flushed whole. */
#define TLB_SINGLE_PAGE_FLUSH_CEILING 33
/* riscv64 (arch/riscv/mm/tlbflush.c tlb_flush_all_threshold). */
#define RISCV_TLB_FLUSH_ALL_THRESHOLD 64

static inline unsigned long *mm_cpumask(struct mm_struct *mm)
{
	return mm->cpu_bitmap;
}

static inline bool cpumask_test_cpu(int cpu, const unsigned long *mask)
{
	return (mask[cpu / 64] >> (cpu % 64)) & 1;
}

static inline void cpumask_set_cpu(int cpu, unsigned long *mask)
{
	mask[cpu / 64] |= 1UL << (cpu % 64);
}

static inline void cpumask_clear_cpu(int cpu, unsigned long *mask)
{
	mask[cpu / 64] &= ~(1UL << (cpu % 64));
}

/* Loads next on this CPU: picks its PCID slot (flushing it if the slot
 * is new or behind next's TLB generation); without PCID every switch
 * flushes the non-global entries. prev == next leaves lazy mode, catching
 * up with flushes skipped meanwhile. tsk is unused. */
void switch_mm_irqs_off(struct mm_struct *prev, struct mm_struct *next,
			struct task_struct *tsk);
#define switch_mm(prev, next, tsk) switch_mm_irqs_off(prev, next, tsk)

/* A kernel thread borrows mm: the CPU keeps it loaded but in lazy mode,
 * where flushes that free no page tables skip it (it catches up at its
 * next switch_mm). */
void enter_lazy_tlb(struct mm_struct *mm, struct task_struct *tsk);
/* Switches this CPU to init_mm if it has another mm loaded. */
void leave_mm(void);
/* The mm this CPU has loaded, and whether it is in lazy mode. */
struct mm_struct *this_cpu_loaded_mm(void);
bool this_cpu_is_lazy(void);

/* Flushes [start, end) of mm everywhere it may be cached: locally if
 * loaded, and by IPI on the other CPUs of mm_cpumask (lazy ones only when
 * freed_tables). More than 33 pages, or end == TLB_FLUSH_ALL, flush the
 * whole mm. */
void flush_tlb_mm_range(struct mm_struct *mm, unsigned long start,
			unsigned long end, unsigned int stride_shift,
			bool freed_tables);
#define flush_tlb_mm(mm) flush_tlb_mm_range(mm, 0UL, TLB_FLUSH_ALL, 0U, true)
/* vma: anything with a vm_mm member (vm_area_struct when it exists). */
#define flush_tlb_range(vma, start, end) \
	flush_tlb_mm_range((vma)->vm_mm, start, end, PAGE_SHIFT, false)
#define flush_tlb_page(vma, a) \
	flush_tlb_mm_range((vma)->vm_mm, a, (a) + PAGE_SIZE, PAGE_SHIFT, false)

/* Every entry on every CPU, global ones too. */
void flush_tlb_all(void);
/* Kernel addresses [start, end) on every CPU. */
void flush_tlb_kernel_range(unsigned long start, unsigned long end);

/* This CPU only: INVLPG of one address, the non-global entries of the
 * current PCID (a CR3 reload), and everything (CR4.PGE toggle). */
void flush_tlb_one_user(unsigned long addr);
void flush_tlb_one_kernel(unsigned long addr);
void flush_tlb_local(void);
void __flush_tlb_all(void);

/* Boot: every CPU starts on init_mm (ASID 0). */
void tlbflush_init_cpu(int cpu);

#endif
