/* Process address spaces, the kernel's side (include/linux/mm.h, mm/vma.h,
 * mm/internal.h): the VMA tree, the mmap family's internals, page
 * faults and the user-memory accessors. The system calls themselves are
 * in kernel/syscalls.h. Everything acts on current->mm unless it takes an
 * mm; there is no mmap_lock (one host thread drives the machine). */
#ifndef MMSIM_MM_VMA_H
#define MMSIM_MM_VMA_H

#include <stdbool.h>
#include <stddef.h>

#include "arch/mmu.h"
#include "kernel/sched.h"
#include "mm/mm.h"
#include "mm/mman.h"
#include "mm/pgtable.h"

/* Errors travel in unsigned longs as in Linux: -4095..-1. */
#define IS_ERR_VALUE(x) ((unsigned long)(x) >= (unsigned long)-4095)

static inline unsigned long offset_in_page(unsigned long addr)
{
	return addr & ~PAGE_MASK;
}

#define PAGE_ALIGN(x) ALIGN((unsigned long)(x), PAGE_SIZE)

/* The address-space window of an mm (x86 DEFAULT_MAP_WINDOW, STACK_TOP):
 * 47 bits on x86_64 even with 5-level paging, the whole user range
 * elsewhere. */
unsigned long default_map_window(void);
#define TASK_SIZE (current->mm ? current->mm->task_size : TASK_SIZE_MAX)
#define STACK_TOP default_map_window()

/* ---- mm/mmap.c: the tree ------------------------------------------------ */

struct vm_area_struct *vm_area_alloc(struct mm_struct *mm);
struct vm_area_struct *vm_area_dup(struct vm_area_struct *orig);
void vm_area_free(struct vm_area_struct *vma);

/* The first VMA with vm_end > addr, or NULL. */
struct vm_area_struct *find_vma(struct mm_struct *mm, unsigned long addr);
/* find_vma(), and in *pprev the VMA before it (or the last VMA). */
struct vm_area_struct *find_vma_prev(struct mm_struct *mm, unsigned long addr,
				     struct vm_area_struct **pprev);
/* The first VMA overlapping [start, end), or NULL. */
struct vm_area_struct *find_vma_intersection(struct mm_struct *mm,
					     unsigned long start,
					     unsigned long end);

/* The VMA containing addr, or NULL. */
static inline struct vm_area_struct *vma_lookup(struct mm_struct *mm,
						unsigned long addr)
{
	struct vm_area_struct *vma = find_vma(mm, addr);

	return vma && vma->vm_start <= addr ? vma : NULL;
}

/* Inserts vma (not overlapping any other) into mm's tree and list. */
void vma_link(struct mm_struct *mm, struct vm_area_struct *vma);
/* Takes vma out of its mm's tree and list (it stays allocated). */
void vma_unlink(struct vm_area_struct *vma);
/* Moves vma's bounds (not past its neighbours), updating the gaps. */
void vma_set_range(struct vm_area_struct *vma, unsigned long start,
		   unsigned long end, unsigned long pgoff);
/* Frees a VMA taken out of the tree: its anon_vma chains, vm_ops->close. */
void remove_vma(struct vm_area_struct *vma);

pgprot_t vm_get_page_prot(vm_flags_t vm_flags);
void vma_set_page_prot(struct vm_area_struct *vma);

/* PROT_* bits as VM_* flags (include/linux/mman.h calc_vm_prot_bits). */
static inline vm_flags_t calc_vm_prot_bits(unsigned long prot)
{
	return (prot & PROT_READ ? VM_READ : 0) |
	       (prot & PROT_WRITE ? VM_WRITE : 0) |
	       (prot & PROT_EXEC ? VM_EXEC : 0);
}

/* Adds npages to the total_vm/exec_vm/stack_vm/data_vm of a mapping with
 * flags (negative to remove). */
void vm_stat_account(struct mm_struct *mm, vm_flags_t flags, long npages);
/* RLIMIT_AS and RLIMIT_DATA allow npages more of flags. */
bool may_expand_vm(struct mm_struct *mm, vm_flags_t flags,
		   unsigned long npages);

/* ---- mm/mmap.c: the mmap family -------------------------------------------- */

/* Picks mm's layout (top-down below mmap_base, or legacy bottom-up) as
 * Linux's arch_pick_mmap_layout() does, with a random mmap_base offset
 * of vm.mmap_rnd_bits pages when current has PF_RANDOMIZE. */
void arch_pick_mmap_layout(struct mm_struct *mm, const struct rlimit *stack);

/* How an arch randomises an address space (Kconfig's
 * ARCH_MMAP_RND_BITS_MIN/MAX, asm/elf.h's STACK_RND_MASK, its
 * arch_align_stack() and arch_randomize_brk()). */
struct arch_aslr {
	int mmap_rnd_bits_min, mmap_rnd_bits_max; /* the first is the default */
	unsigned long stack_rnd_mask; /* in pages */
	unsigned align_stack; /* arch_align_stack: offset below, bytes */
	unsigned long brk_range; /* arch_randomize_brk: bytes above */
};
const struct arch_aslr *arch_aslr(const struct arch_desc *arch);
/* mm/util.c: a random page-aligned address in [start, start + range). */
unsigned long randomize_page(unsigned long start, unsigned long range);
/* mm/util.c: stack_top less up to STACK_RND_MASK pages (PF_RANDOMIZE). */
unsigned long randomize_stack_top(unsigned long stack_top);

unsigned long get_unmapped_area(struct file *file, unsigned long addr,
				unsigned long len, unsigned long pgoff,
				unsigned long flags);
/* Linux's do_mmap(): the address mapped or -errno; *populate is set to
 * the length to fault in for MAP_POPULATE / VM_LOCKED. */
unsigned long do_mmap(struct file *file, unsigned long addr, unsigned long len,
		      unsigned long prot, unsigned long flags,
		      vm_flags_t vm_flags, unsigned long pgoff,
		      unsigned long *populate);
unsigned long mmap_region(struct file *file, unsigned long addr,
			  unsigned long len, vm_flags_t vm_flags,
			  unsigned long pgoff);
/* 0 or -errno; an unmapped range is fine. */
int do_munmap(struct mm_struct *mm, unsigned long start, unsigned long len);
/* An anonymous mapping for brk and the exec loader (do_brk_flags). */
int do_brk_flags(struct vm_area_struct *brkvma, unsigned long addr,
		 unsigned long len, vm_flags_t flags);
/* Grows a VM_GROWSDOWN vma down to address: 0 or -ENOMEM/-EFAULT. */
int expand_downwards(struct vm_area_struct *vma, unsigned long address);
/* Frees every VMA, page and page table of mm (the last user is gone). */
void exit_mmap(struct mm_struct *mm);
/* fork: copies the VMAs of oldmm into the new mm (dup_mmap): VM_DONTCOPY
 * ones are left out, VM_WIPEONFORK ones come empty, the others share
 * their pages copy-on-write (copy_page_range); the parent's TLBs are
 * flushed. 0 or -ENOMEM (what was copied stays in mm, for mmput). */
int dup_mmap(struct mm_struct *mm, struct mm_struct *oldmm);

/* RLIMIT_MEMLOCK allows bytes more locked memory when flags has
 * VM_LOCKED (tasks lack CAP_IPC_LOCK). */
bool mlock_future_ok(struct mm_struct *mm, vm_flags_t flags,
		     unsigned long bytes);

/* Commit accounting (mm/util.c __vm_enough_memory): whether pages more
 * may be committed under vm.overcommit_memory; charges them if so. */
int security_vm_enough_memory_mm(struct mm_struct *mm, long pages);
void vm_unacct_memory(long pages);
unsigned long vm_commit_limit(void);

/* ---- mm/vma.c: split and merge ---------------------------------------------- */

/* Splits vma at addr; the new VMA is the lower part when new_below. */
int split_vma(struct vm_area_struct *vma, unsigned long addr, int new_below);
/* Merges vma with its neighbours where Linux's rules allow; returns
 * the VMA that now holds vma's range. */
struct vm_area_struct *vma_merge_neighbours(struct vm_area_struct *vma);
/* Merges vma with the next VMA only, where the rules allow: a new range
 * that already joined its previous VMA, or a VMA that grew
 * (vma_merge_new_range, vma_merge_extend). Returns vma. */
struct vm_area_struct *vma_merge_next(struct vm_area_struct *vma);
/* The VMA covering exactly [start, end) inside vma, splitting as
 * needed, with new_flags, merged with its neighbours; -errno in *err. */
struct vm_area_struct *vma_modify_flags(struct vm_area_struct *vma,
					unsigned long start, unsigned long end,
					vm_flags_t new_flags, int *err);
/* Whether a and b (a just below b) could be one VMA. */
bool vmas_mergeable(const struct vm_area_struct *a,
		    const struct vm_area_struct *b);

/* ---- mm/memory.c: page tables of user memory, faults ------------------------- */

/* The PMD entry covering addr in mm when it is not none, else NULL. */
pmd_t *mm_find_pmd(struct mm_struct *mm, unsigned long addr);
/* The PTE mapping addr in mm, or NULL when no PTE table covers it. */
pte_t *mm_find_pte(struct mm_struct *mm, unsigned long addr);
/* The struct page a PTE maps, or NULL for the zero page and special
 * mappings (vm_normal_page). */
struct page *vm_normal_page(struct vm_area_struct *vma, unsigned long addr,
			    pte_t pte);
/* Linux's handle_mm_fault(): VM_FAULT_* bits; counts pgfault and
 * current's min_flt/maj_flt. */
unsigned handle_mm_fault(struct vm_area_struct *vma, unsigned long address,
			 unsigned flags);
/* Unmaps the pages of [start, end) of vma, dropping them. */
void zap_page_range_single(struct vm_area_struct *vma, unsigned long start,
			   unsigned long size);
/* Unmaps every VMA from vma on that overlaps [start, end). */
void unmap_vmas(struct mmu_gather *tlb, struct vm_area_struct *vma,
		unsigned long start, unsigned long end);
/* Frees the page tables of the VMAs from vma up to (not including)
 * end_vma, within floor..ceiling; unlinks their anon_vmas. */
void free_pgtables(struct mmu_gather *tlb, struct vm_area_struct *vma,
		   struct vm_area_struct *end_vma, unsigned long floor,
		   unsigned long ceiling);
/* fork: copies the page-table entries of src_vma into dst_vma's mm,
 * write-protecting private writable pages in both (copy_page_range). */
int copy_page_range(struct vm_area_struct *dst_vma,
		    struct vm_area_struct *src_vma);
/* Faults in [start, end) of vma as a write if it is writable
 * (populate_vma_page_range); returns 0 or -ENOMEM/-EFAULT. */
long populate_vma_page_range(struct vm_area_struct *vma, unsigned long start,
			     unsigned long end);
/* Faults in [start, start + len) of current->mm (mm_populate). */
int mm_populate(unsigned long start, unsigned long len);

/* ---- mm/mprotect.c ---------------------------------------------------------- */

/* change_protection() flags (include/linux/mm.h). */
#define MM_CP_TRY_CHANGE_WRITABLE 0x1UL

/* Rewrites the PTEs of [start, end) of vma with vma->vm_page_prot,
 * gathering the range to flush in tlb; returns the PTEs changed. */
long change_protection(struct mmu_gather *tlb, struct vm_area_struct *vma,
		       unsigned long start, unsigned long end,
		       unsigned long cp_flags);
/* Gives [start, end) of vma the flags newflags: splits, merges, commit
 * charge, PTEs; *pprev is the VMA now holding the range. 0 or -errno. */
int mprotect_fixup(struct mmu_gather *tlb, struct vm_area_struct *vma,
		   struct vm_area_struct **pprev, unsigned long start,
		   unsigned long end, vm_flags_t newflags);

/* ---- mm/mlock.c: mlocked pages ------------------------------------------------ */

/* A page one more VM_LOCKED mapping maps: PG_mlocked, unevictable, its
 * mlock_count raised (mlock_folio). */
void mlock_page(struct page *page);
/* One VM_LOCKED mapping fewer: the last one clears PG_mlocked and puts
 * the page back on an evictable list (munlock_folio). */
void munlock_page(struct page *page);
/* A new page of a VM_LOCKED VMA goes straight to the unevictable list
 * (mlock_new_folio). */
void mlock_new_page(struct page *page);

/* mlock_vma_folio()/munlock_vma_folio(): page mapped into or unmapped
 * from vma, which may be VM_LOCKED. */
static inline void mlock_vma_page(struct page *page,
				  const struct vm_area_struct *vma)
{
	if ((vma->vm_flags & (VM_LOCKED | VM_SPECIAL)) == VM_LOCKED)
		mlock_page(page);
}

static inline void munlock_vma_page(struct page *page,
				    const struct vm_area_struct *vma)
{
	if (vma->vm_flags & VM_LOCKED)
		munlock_page(page);
}

/* ---- mm/debug_vm.c: invariants ------------------------------------------------ */

/* Checks mm (every user mm when NULL): the VMA list and tree agree, are
 * sorted, do not overlap, and have the right gaps, highest_vm_end and
 * map_count; every PTE lies in a VMA and is no more writable than it;
 * every mapped page's mapcount equals the PTEs of all mms mapping it,
 * its anon rmap (anon_vma, index) reaches the PTE, it is not free, and
 * a shared anonymous page is read-only; the RSS counters equal what the
 * page tables map. With NULL also: no page has a mapcount that no PTE
 * explains, nr_anon_pages counts the mapped anonymous pages, each swap
 * slot's count is the swap PTEs holding it and its cache bit says the
 * swap cache has its page, and nr_swapcached and the free slots add up.
 * Prints
 * each problem in Linux's words; returns how many were found. */
unsigned long check_mm_invariants(struct mm_struct *mm);

/* ---- mm/fault.c: the CPU's page-fault exception --------------------------- */

/* A page fault on this CPU for current (arch/x86/mm/fault.c
 * exc_page_fault): true when resolved; false when it was fatal: for a
 * user access current has a SIGSEGV or SIGBUS recorded (fault_sig) and
 * the segfault line is logged; a kernel access takes the -EFAULT fixup. */
bool exc_page_fault(unsigned long error_code, unsigned long address, bool user);
/* The same with extra FAULT_FLAG_* (FAULT_FLAG_ALLOW_RETRY, _TRIED): 1
 * resolved, 0 fatal, or -EAGAIN when the fault needs I/O or memory to
 * come and current now sleeps: the caller returns from its task body
 * step and makes the access again at the next one, with
 * FAULT_FLAG_TRIED. */
int do_user_addr_fault(unsigned long error_code, unsigned long address,
		       bool user, unsigned extra_flags);

/* ---- mm/uaccess.c: user memory ------------------------------------------------ */

/* The rest of an access to va that translate() did not translate (r,
 * with the fault in *f): the CPU's exception (exc_page_fault(), or #GP
 * for a non-canonical address), then the access again, until it
 * translates: 0 with *pa set, or -EFAULT when the fault was fatal (for a
 * user access the signal is in current->fault_sig). fault_flags are
 * passed to do_user_addr_fault(): without FAULT_FLAG_ALLOW_RETRY a fault
 * never sleeps (a swap-in reads at once, docs/deviations.md); with it
 * (the data plane, which calls translate() itself and this on a miss),
 * -EAGAIN says current sleeps and the access must be made again at the
 * next step. */
int access_page_fault_flags(unsigned long va, enum mmu_access acc, bool user,
			    enum translate_result r, struct mmu_fault *f,
			    uint64_t *pa, unsigned fault_flags);

/* current's own loads (write false) or stores of [addr, addr + len) in
 * user mode, through the MMU, faulting pages in: 0, or -EFAULT when a
 * fault was fatal (the signal is in current->fault_sig). buf may be NULL
 * to touch without data; a store of NULL leaves bytes unchanged. */
int user_access(unsigned long addr, void *buf, size_t len, bool write);

/* user_access() from a task body that may sleep on the way: the bytes
 * from c->done on, page by page. A page whose fault must wait for I/O
 * (a swap-in) leaves current asleep in D and returns -EAGAIN, c->done
 * at that page: call again at the task's next step, and the fault is
 * retried (FAULT_FLAG_TRIED), as touch_run() does. 0 when all is done,
 * or -EFAULT as user_access(). */
struct user_copy_state {
	unsigned long addr;
	void *buf;
	size_t len, done;
	bool write, retry;
};
int user_access_resumable(struct user_copy_state *c);
/* Kernel accesses to user memory (copy_to_user etc.): bytes NOT copied. */
unsigned long copy_to_user(unsigned long to, const void *from, size_t n);
unsigned long copy_from_user(void *to, unsigned long from, size_t n);
unsigned long clear_user(unsigned long to, size_t n);

#endif
