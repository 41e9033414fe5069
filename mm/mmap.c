/* Memory mappings (mm/mmap.c, mm/util.c, arch/x86/mm/mmap.c,
 * arch/x86/kernel/sys_x86_64.c): the VMA tree of an address space with
 * its free-gap augmentation, the layout (top-down below mmap_base, or the
 * legacy bottom-up one) and its randomisation, get_unmapped_area,
 * do_mmap/mmap_region, brk, stack growth, commit accounting and
 * exit_mmap. */
#include <errno.h>
#include <string.h>

#include "arch/tlbflush.h"
#include "base/kernel.h"
#include "fs/fs.h"
#include "kernel/printk.h"
#include "kernel/random.h"
#include "kernel/syscalls.h"
#include "mm/rmap.h"
#include "mm/shmem.h"
#include "mm/slab.h"
#include "mm/vma.h"
#include "mm/vmstat.h"

/* ---- VMA objects ------------------------------------------------------------- */

struct vm_area_struct *vm_area_alloc(struct mm_struct *mm)
{
	struct vm_area_struct *vma =
		kmem_cache_zalloc(M->caches.vm_area_struct, GFP_KERNEL);

	if (!vma)
		return NULL;
	vma->vm_mm = mm;
	INIT_LIST_HEAD(&vma->anon_vma_chain);
	RB_CLEAR_NODE(&vma->vm_rb);
	return vma;
}

struct vm_area_struct *vm_area_dup(struct vm_area_struct *orig)
{
	struct vm_area_struct *vma =
		kmem_cache_alloc(M->caches.vm_area_struct, GFP_KERNEL);

	if (!vma)
		return NULL;
	*vma = *orig;
	vma->vm_next = vma->vm_prev = NULL;
	INIT_LIST_HEAD(&vma->anon_vma_chain);
	RB_CLEAR_NODE(&vma->vm_rb);
	return vma;
}

void vm_area_free(struct vm_area_struct *vma)
{
	kmem_cache_free(M->caches.vm_area_struct, vma);
}

void remove_vma(struct vm_area_struct *vma)
{
	if (vma->vm_ops && vma->vm_ops->close)
		vma->vm_ops->close(vma);
	if (vma->vm_file)
		fput(vma->vm_file);
	unlink_anon_vmas(vma);
	vm_area_free(vma);
}

/* ---- the tree ------------------------------------------------------------------ */

/* The free gap below vma, guard gaps excluded (Linux 6.0 vma_compute_gap). */
static unsigned long vma_compute_gap(const struct vm_area_struct *vma)
{
	unsigned long start = vm_start_gap(vma);
	unsigned long prev_end = vma->vm_prev ? vm_end_gap(vma->vm_prev) : 0;

	return start > prev_end ? start - prev_end : 0;
}

RB_DECLARE_CALLBACKS_MAX(static, vma_gap_callbacks, struct vm_area_struct,
			 vm_rb, unsigned long, rb_subtree_gap, vma_compute_gap);

/* Recomputes the gaps of vma and of every ancestor. */
static void vma_gap_update(struct vm_area_struct *vma)
{
	for (struct rb_node *rb = &vma->vm_rb; rb; rb = rb_parent(rb))
		vma_gap_callbacks_compute_max(
			rb_entry(rb, struct vm_area_struct, vm_rb), false);
}

static void update_highest_vm_end(struct mm_struct *mm)
{
	struct rb_node *last = rb_last(&mm->mm_rb);

	mm->highest_vm_end =
		last ? vm_end_gap(rb_entry(last, struct vm_area_struct, vm_rb))
		     : 0;
}

struct vm_area_struct *find_vma(struct mm_struct *mm, unsigned long addr)
{
	struct rb_node *rb = mm->mm_rb.rb_node;
	struct vm_area_struct *found = NULL;

	while (rb) {
		struct vm_area_struct *v = rb_entry(rb, struct vm_area_struct, vm_rb);

		if (v->vm_end > addr) {
			found = v;
			if (v->vm_start <= addr)
				break;
			rb = rb->rb_left;
		} else {
			rb = rb->rb_right;
		}
	}
	return found;
}

struct vm_area_struct *find_vma_prev(struct mm_struct *mm, unsigned long addr,
				     struct vm_area_struct **pprev)
{
	struct vm_area_struct *vma = find_vma(mm, addr);
	struct rb_node *last;

	if (vma) {
		*pprev = vma->vm_prev;
	} else {
		last = rb_last(&mm->mm_rb);
		*pprev = last ? rb_entry(last, struct vm_area_struct, vm_rb)
			      : NULL;
	}
	return vma;
}

struct vm_area_struct *find_vma_intersection(struct mm_struct *mm,
					     unsigned long start,
					     unsigned long end)
{
	struct vm_area_struct *vma = find_vma(mm, start);

	return vma && vma->vm_start < end ? vma : NULL;
}

void vma_link(struct mm_struct *mm, struct vm_area_struct *vma)
{
	struct rb_node **link = &mm->mm_rb.rb_node, *parent = NULL;
	struct vm_area_struct *prev = NULL, *next;

	while (*link) {
		struct vm_area_struct *v;

		parent = *link;
		v = rb_entry(parent, struct vm_area_struct, vm_rb);
		if (v->vm_start > vma->vm_start) {
			link = &parent->rb_left;
		} else {
			prev = v;
			link = &parent->rb_right;
		}
	}
	next = prev ? prev->vm_next : mm->mmap;
	vma->vm_prev = prev;
	vma->vm_next = next;
	if (prev)
		prev->vm_next = vma;
	else
		mm->mmap = vma;
	if (next) {
		next->vm_prev = vma;
		vma_gap_update(next);
	}
	rb_link_node(&vma->vm_rb, parent, link);
	vma->rb_subtree_gap = 0;
	vma_gap_update(vma);
	rb_insert_augmented(&vma->vm_rb, &mm->mm_rb, &vma_gap_callbacks);
	mm->map_count++;
	update_highest_vm_end(mm);
}

void vma_unlink(struct vm_area_struct *vma)
{
	struct mm_struct *mm = vma->vm_mm;
	struct vm_area_struct *prev = vma->vm_prev, *next = vma->vm_next;

	rb_erase_augmented(&vma->vm_rb, &mm->mm_rb, &vma_gap_callbacks);
	RB_CLEAR_NODE(&vma->vm_rb);
	if (prev)
		prev->vm_next = next;
	else
		mm->mmap = next;
	if (next) {
		next->vm_prev = prev;
		vma_gap_update(next);
	}
	vma->vm_next = vma->vm_prev = NULL;
	mm->map_count--;
	update_highest_vm_end(mm);
}

void vma_set_range(struct vm_area_struct *vma, unsigned long start,
		   unsigned long end, unsigned long pgoff)
{
	vma->vm_start = start;
	vma->vm_end = end;
	vma->vm_pgoff = pgoff;
	vma_gap_update(vma);
	if (vma->vm_next)
		vma_gap_update(vma->vm_next);
	update_highest_vm_end(vma->vm_mm);
}

/* ---- protections and accounting ------------------------------------------------- */

pgprot_t vm_get_page_prot(vm_flags_t vm_flags)
{
	/* x86's protection_map: private writable pages start read-only so
	 * that a write faults and can copy them. */
	static const enum pt_prot map[16] = {
		PTP_NONE,	   PTP_READONLY,      PTP_COPY,
		PTP_COPY,	   PTP_READONLY_EXEC, PTP_READONLY_EXEC,
		PTP_COPY_EXEC,	   PTP_COPY_EXEC,     PTP_NONE,
		PTP_READONLY,	   PTP_SHARED,	      PTP_SHARED,
		PTP_READONLY_EXEC, PTP_READONLY_EXEC, PTP_SHARED_EXEC,
		PTP_SHARED_EXEC,
	};

	return __pgprot(ptfmt()->prot[map[vm_flags & 0xf]]);
}

void vma_set_page_prot(struct vm_area_struct *vma)
{
	vma->vm_page_prot = vm_get_page_prot(vma->vm_flags);
}

static bool is_exec_mapping(vm_flags_t f)
{
	return (f & (VM_EXEC | VM_WRITE | VM_STACK)) == VM_EXEC;
}

static bool is_stack_mapping(vm_flags_t f)
{
	return (f & VM_STACK) == VM_STACK;
}

static bool is_data_mapping(vm_flags_t f)
{
	return (f & (VM_WRITE | VM_SHARED | VM_STACK)) == VM_WRITE;
}

void vm_stat_account(struct mm_struct *mm, vm_flags_t flags, long npages)
{
	mm->total_vm += npages;
	if (is_exec_mapping(flags))
		mm->exec_vm += npages;
	else if (is_stack_mapping(flags))
		mm->stack_vm += npages;
	else if (is_data_mapping(flags))
		mm->data_vm += npages;
}

bool may_expand_vm(struct mm_struct *mm, vm_flags_t flags,
		   unsigned long npages)
{
	if (mm->total_vm + npages > rlimit(RLIMIT_AS) >> PAGE_SHIFT)
		return false;
	if (is_data_mapping(flags) &&
	    mm->data_vm + npages > rlimit(RLIMIT_DATA) >> PAGE_SHIFT) {
		/* Linux warns once and refuses (ignore_rlimit_data is 0). */
		pr_warn_once("%s (%d): VmData %lu exceed data ulimit %lu. Update limits or use boot option ignore_rlimit_data.\n",
			     current->comm, current->pid,
			     (mm->data_vm + npages) << PAGE_SHIFT,
			     rlimit(RLIMIT_DATA));
		return false;
	}
	return true;
}

/* ---- commit accounting (mm/util.c) ---------------------------------------------- */

unsigned long vm_commit_limit(void)
{
	unsigned long allowed;

	if (M->overcommit_kbytes)
		allowed = M->overcommit_kbytes >> (PAGE_SHIFT - 10);
	else
		allowed = M->totalram_pages * (unsigned long)M->overcommit_ratio /
			  100;
	return allowed + M->total_swap_pages;
}

void vm_unacct_memory(long pages)
{
	M->vm_committed_as -= pages;
}

int security_vm_enough_memory_mm(struct mm_struct *mm, long pages)
{
	unsigned long allowed;

	M->vm_committed_as += pages;
	if (M->overcommit_memory == OVERCOMMIT_ALWAYS)
		return 0;
	if (M->overcommit_memory == OVERCOMMIT_GUESS) {
		if ((unsigned long)pages <= M->totalram_pages + M->total_swap_pages)
			return 0;
		goto error;
	}
	allowed = vm_commit_limit();
	/* Leave the last 3% for root; keep admin_reserve_kbytes (8 MiB)
	 * and user_reserve_kbytes (3% of the process, at most 128 MiB) */
	allowed -= min(8192UL >> (PAGE_SHIFT - 10), allowed);
	if (mm) {
		unsigned long reserve = min(mm->total_vm / 32,
					    131072UL >> (PAGE_SHIFT - 10));

		allowed -= min(reserve, allowed);
	}
	if ((unsigned long)M->vm_committed_as < allowed)
		return 0;
error:
	pr_warn_ratelimited("__vm_enough_memory: pid: %d, comm: %s, bytes: %lu not enough memory for the allocation\n",
			    current->pid, current->comm,
			    (unsigned long)pages << PAGE_SHIFT);
	vm_unacct_memory(pages);
	return -ENOMEM;
}

/* ---- layout (arch/x86/mm/mmap.c, mm/util.c) --------------------------------------- */

unsigned long default_map_window(void)
{
	/* x86_64 keeps 47-bit addresses unless a hint asks for more. */
	if (M->arch->x86 && M->arch->bits == 64)
		return min(TASK_SIZE_MAX, (1UL << 47) - PAGE_SIZE);
	return TASK_SIZE_MAX;
}

/* x86_64: 28..32 bits, 16 GiB of stack offset, brk within 1 GiB (6.9+);
 * i386: 8..16 bits, 8 MiB, 32 MiB; riscv64: 18..24 bits (Sv39), 1 GiB,
 * 1 GiB, and a sub-page stack offset where x86 takes up to 8 KiB. */
static const struct arch_aslr aslr_x86_64 = { 28, 32, 0x3fffff, 8192,
					      1UL << 30 };
static const struct arch_aslr aslr_i386 = { 8, 16, 0x7ff, 8192, 32UL << 20 };
static const struct arch_aslr aslr_riscv64 = { 18, 24, 0x3ffff, 4096,
					       1UL << 30 };

const struct arch_aslr *arch_aslr(const struct arch_desc *arch)
{
	if (!arch->x86)
		return &aslr_riscv64;
	return arch->bits == 64 ? &aslr_x86_64 : &aslr_i386;
}

unsigned long randomize_page(unsigned long start, unsigned long range)
{
	if (offset_in_page(start)) {
		range -= PAGE_ALIGN(start) - start;
		start = PAGE_ALIGN(start);
	}
	if (start > ~0UL - range)
		range = ~0UL - start;
	range >>= PAGE_SHIFT;
	if (!range)
		return start;
	return start + ((get_random_long() % range) << PAGE_SHIFT);
}

unsigned long randomize_stack_top(unsigned long stack_top)
{
	unsigned long rnd = 0;

	if (current->flags & PF_RANDOMIZE)
		rnd = (get_random_long() & arch_aslr(M->arch)->stack_rnd_mask)
		      << PAGE_SHIFT;
	return PAGE_ALIGN(stack_top) - rnd;
}

/* arch_mmap_rnd(): vm.mmap_rnd_bits random bits, in pages. */
static unsigned long arch_mmap_rnd(void)
{
	if (!(current->flags & PF_RANDOMIZE))
		return 0;
	return (get_random_long() & ((1UL << M->mmap_rnd_bits) - 1))
	       << PAGE_SHIFT;
}

/* mmap_base: below the stack's limit, its random offset and the guard
 * gap, between 128 MiB and 5/6 of the window from its top, less rnd. */
static unsigned long mmap_base(unsigned long rnd, unsigned long task_size,
			       const struct rlimit *stack)
{
	unsigned long gap = stack->rlim_cur, pad = M->stack_guard_gap;
	unsigned long gap_min = 128UL << 20, gap_max = task_size / 6 * 5;

	if (current->flags & PF_RANDOMIZE)
		pad += arch_aslr(M->arch)->stack_rnd_mask << PAGE_SHIFT;
	if (gap + pad > gap)
		gap += pad;
	gap = clamp(gap, gap_min, gap_max);
	return PAGE_ALIGN(task_size - gap - rnd);
}

void arch_pick_mmap_layout(struct mm_struct *mm, const struct rlimit *stack)
{
	unsigned long window = default_map_window();
	/* x86 ignores an unlimited stack; the generic code goes legacy. */
	bool legacy = M->legacy_va_layout ||
		      (!M->arch->x86 && stack->rlim_cur == RLIM_INFINITY);
	unsigned long rnd = arch_mmap_rnd();

	/* TASK_UNMAPPED_BASE, which x86 randomises even for top-down
	 * mms (their bottom-up fallback starts there). */
	mm->mmap_legacy_base = PAGE_ALIGN(window / 3);
	if (M->arch->x86 || legacy)
		mm->mmap_legacy_base += rnd;
	mm->mmap_base = legacy ? mm->mmap_legacy_base :
				 mmap_base(rnd, window, stack);
	if (legacy)
		mm->flags &= ~(1UL << MMF_TOPDOWN);
	else
		mm->flags |= 1UL << MMF_TOPDOWN;
}

/* ---- finding a free range (vm_unmapped_area) -------------------------------------- */

struct unmapped_area_info {
	bool topdown;
	unsigned long length, low_limit, high_limit, align_mask, align_offset;
};

/* The address in the gap [start, end) for info, or 0 when it does not
 * fit within the limits. */
static unsigned long gap_fit(const struct unmapped_area_info *info,
			     unsigned long start, unsigned long end)
{
	unsigned long need = info->length + info->align_mask, a;

	start = max(start, info->low_limit);
	end = min(end, info->high_limit);
	if (end <= start || end - start < need)
		return 0;
	if (info->topdown) {
		a = end - info->length;
		return a - ((a - info->align_offset) & info->align_mask);
	}
	return start + ((info->align_offset - start) & info->align_mask);
}

/* Searches the subtree at rb, highest gap first when top-down. */
static unsigned long gap_search(const struct unmapped_area_info *info,
				struct rb_node *rb)
{
	struct vm_area_struct *vma;
	struct rb_node *first, *second;
	unsigned long a;

	if (!rb)
		return 0;
	vma = rb_entry(rb, struct vm_area_struct, vm_rb);
	if (vma->rb_subtree_gap < info->length + info->align_mask)
		return 0;
	first = info->topdown ? rb->rb_right : rb->rb_left;
	second = info->topdown ? rb->rb_left : rb->rb_right;
	a = gap_search(info, first);
	if (!a)
		a = gap_fit(info, vma->vm_prev ? vm_end_gap(vma->vm_prev) : 0,
			    vm_start_gap(vma));
	if (!a)
		a = gap_search(info, second);
	return a;
}

static unsigned long vm_unmapped_area(const struct unmapped_area_info *info)
{
	struct mm_struct *mm = current->mm;
	unsigned long top = gap_fit(info, mm->highest_vm_end, ~0UL), a = 0;

	if (info->length + info->align_mask < info->length)
		return -ENOMEM;
	if (info->topdown && top)
		return top;
	a = gap_search(info, mm->mm_rb.rb_node);
	if (!a && !info->topdown)
		a = top;
	/* 0 is never a valid result: the low limit is at least a page. */
	return a ? a : (unsigned long)-ENOMEM;
}

/* A hint is taken when the range is free (guard gaps included). */
static bool hint_free(struct mm_struct *mm, unsigned long addr,
		      unsigned long len, unsigned long end)
{
	struct vm_area_struct *vma;

	if (end - len < addr)
		return false;
	vma = find_vma(mm, addr);
	return !vma || addr + len <= vm_start_gap(vma);
}

static unsigned long arch_get_unmapped_area(unsigned long addr,
					    unsigned long len,
					    unsigned long flags)
{
	struct mm_struct *mm = current->mm;
	unsigned long end = addr > default_map_window() ? TASK_SIZE_MAX
							: default_map_window();
	struct unmapped_area_info info = {
		.length = len,
		.low_limit = mm->mmap_legacy_base,
		.high_limit = end,
	};

	if (len > end)
		return -ENOMEM;
	if (flags & MAP_FIXED)
		return addr;
	if (addr) {
		addr = PAGE_ALIGN(addr);
		if (hint_free(mm, addr, len, end))
			return addr;
	}
	return vm_unmapped_area(&info);
}

static unsigned long arch_get_unmapped_area_topdown(unsigned long addr,
						    unsigned long len,
						    unsigned long flags)
{
	struct mm_struct *mm = current->mm;
	unsigned long window = default_map_window();
	struct unmapped_area_info info = {
		.topdown = true,
		.length = len,
		.low_limit = PAGE_SIZE,
		.high_limit = mm->mmap_base,
	};

	if (len > TASK_SIZE)
		return -ENOMEM;
	if (flags & MAP_FIXED)
		return addr;
	if (addr) {
		addr &= PAGE_MASK;
		/* mmap_address_hint_valid(): not across the 47-bit window. */
		if (TASK_SIZE - len >= addr &&
		    (addr > window) == (addr + len > window) &&
		    hint_free(mm, addr, len, TASK_SIZE))
			return addr;
	}
	if (addr > window)
		info.high_limit += TASK_SIZE_MAX - window;
	addr = vm_unmapped_area(&info);
	if (!offset_in_page(addr))
		return addr;
	/* Large stacks or mappings: fall back to bottom-up. */
	return arch_get_unmapped_area(0, len, flags);
}

unsigned long get_unmapped_area(struct file *file, unsigned long addr,
				unsigned long len, unsigned long pgoff,
				unsigned long flags)
{
	(void)file;
	(void)pgoff;
	if (len > TASK_SIZE)
		return -ENOMEM;
	if (current->mm->flags & (1UL << MMF_TOPDOWN))
		addr = arch_get_unmapped_area_topdown(addr, len, flags);
	else
		addr = arch_get_unmapped_area(addr, len, flags);
	if (IS_ERR_VALUE(addr))
		return addr;
	if (addr > TASK_SIZE - len)
		return -ENOMEM;
	if (offset_in_page(addr))
		return -EINVAL;
	/* cap_mmap_addr(): tasks lack CAP_SYS_RAWIO. */
	if (addr < (unsigned long)M->mmap_min_addr)
		return -EPERM;
	return addr;
}

/* ---- do_mmap ------------------------------------------------------------------------- */

static unsigned long round_hint_to_min(unsigned long hint)
{
	hint &= PAGE_MASK;
	if (hint && hint < (unsigned long)M->mmap_min_addr)
		return PAGE_ALIGN((unsigned long)M->mmap_min_addr);
	return hint;
}

static vm_flags_t calc_vm_flag_bits(unsigned long flags)
{
	return (flags & MAP_GROWSDOWN ? VM_GROWSDOWN : 0) |
	       (flags & MAP_LOCKED ? VM_LOCKED : 0);
}

/* mlock_future_ok(): RLIMIT_MEMLOCK allows len more locked bytes
 * (tasks lack CAP_IPC_LOCK). */
bool mlock_future_ok(struct mm_struct *mm, vm_flags_t flags,
		     unsigned long bytes)
{
	unsigned long locked, limit;

	if (!(flags & VM_LOCKED))
		return true;
	locked = (bytes >> PAGE_SHIFT) + mm->locked_vm;
	limit = rlimit(RLIMIT_MEMLOCK) >> PAGE_SHIFT;
	return locked <= limit;
}

/* Whether an anonymous private mapping charges Committed_AS. */
static bool accountable_mapping(vm_flags_t vm_flags)
{
	return (vm_flags & (VM_NORESERVE | VM_SHARED | VM_WRITE)) == VM_WRITE;
}

unsigned long do_mmap(struct file *file, unsigned long addr,
		      unsigned long len, unsigned long prot,
		      unsigned long flags, vm_flags_t vm_flags,
		      unsigned long pgoff, unsigned long *populate)
{
	struct mm_struct *mm = current->mm;

	*populate = 0;
	if (!len)
		return -EINVAL;
	if (flags & MAP_FIXED_NOREPLACE)
		flags |= MAP_FIXED;
	if (!(flags & MAP_FIXED))
		addr = round_hint_to_min(addr);
	len = PAGE_ALIGN(len);
	if (!len)
		return -ENOMEM;
	if (pgoff + (len >> PAGE_SHIFT) < pgoff)
		return -EOVERFLOW;
	if (mm->map_count > M->max_map_count)
		return -ENOMEM;
	addr = get_unmapped_area(file, addr, len, pgoff, flags);
	if (IS_ERR_VALUE(addr))
		return addr;
	if ((flags & MAP_FIXED_NOREPLACE) &&
	    find_vma_intersection(mm, addr, addr + len))
		return -EEXIST;
	vm_flags |= calc_vm_prot_bits(prot) | calc_vm_flag_bits(flags) |
		    mm->def_flags | VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC;
	if (!mlock_future_ok(mm, vm_flags, len))
		return -EAGAIN;
	switch (flags & MAP_TYPE_MASK) {
	case MAP_SHARED:
		if (vm_flags & VM_GROWSDOWN)
			return -EINVAL;
		pgoff = 0;
		vm_flags |= VM_SHARED | VM_MAYSHARE;
		break;
	case MAP_PRIVATE:
		pgoff = addr >> PAGE_SHIFT; /* for the anon_vma */
		break;
	default:
		return -EINVAL;
	}
	if ((flags & MAP_NORESERVE) && M->overcommit_memory != OVERCOMMIT_NEVER)
		vm_flags |= VM_NORESERVE;
	addr = mmap_region(file, addr, len, vm_flags, pgoff);
	if (!IS_ERR_VALUE(addr) &&
	    ((vm_flags & VM_LOCKED) ||
	     (flags & (MAP_POPULATE | MAP_NONBLOCK)) == MAP_POPULATE))
		*populate = len;
	return addr;
}

/* A VMA's fields for [addr, addr + len), outside any tree. */
static void vma_init_range(struct vm_area_struct *vma, unsigned long addr,
			   unsigned long len, vm_flags_t flags,
			   unsigned long pgoff)
{
	vma->vm_start = addr;
	vma->vm_end = addr + len;
	vma->vm_flags = flags;
	vma->vm_pgoff = pgoff;
	vma_set_page_prot(vma);
}

/* Expands prev over stub's range when the two could be one VMA. */
static struct vm_area_struct *merge_into_prev(struct vm_area_struct *prev,
					      struct vm_area_struct *stub)
{
	stub->vm_mm = current->mm;
	stub->vm_prev = stub->vm_next = NULL;
	stub->anon_vma = NULL;
	stub->vm_ops = NULL;
	stub->vm_file = NULL;
	INIT_LIST_HEAD(&stub->anon_vma_chain);
	if (!prev || !vmas_mergeable(prev, stub))
		return NULL;
	vma_set_range(prev, prev->vm_start, stub->vm_end, prev->vm_pgoff);
	return prev;
}

/* Pages of VM_ACCOUNT mappings in [addr, end) (vms.nr_accounted). */
static unsigned long accounted_pages(struct mm_struct *mm, unsigned long addr,
				     unsigned long end, bool all)
{
	struct vm_area_struct *vma = find_vma_intersection(mm, addr, end);
	unsigned long n = 0;

	for (; vma && vma->vm_start < end; vma = vma->vm_next)
		if (all || (vma->vm_flags & VM_ACCOUNT))
			n += (min(vma->vm_end, end) - max(vma->vm_start, addr)) >>
			     PAGE_SHIFT;
	return n;
}

unsigned long mmap_region(struct file *file, unsigned long addr,
			  unsigned long len, vm_flags_t vm_flags,
			  unsigned long pgoff)
{
	struct mm_struct *mm = current->mm;
	unsigned long pages = len >> PAGE_SHIFT, charged = 0, replaced = 0;
	struct vm_area_struct *vma, *prev, stub;
	int err;

	/* MAP_FIXED may replace mappings: only the growth counts. */
	if (!may_expand_vm(mm, vm_flags, pages) &&
	    !may_expand_vm(mm, vm_flags,
			   pages - accounted_pages(mm, addr, addr + len, true)))
		return -ENOMEM;
	if (accountable_mapping(vm_flags)) {
		replaced = accounted_pages(mm, addr, addr + len, false);
		charged = pages - replaced;
		if (charged && security_vm_enough_memory_mm(mm, (long)charged))
			return -ENOMEM;
		vm_flags |= VM_ACCOUNT;
	}
	err = do_munmap(mm, addr, len);
	if (err) {
		vm_unacct_memory((long)charged);
		return err;
	}
	/* The replaced mappings' charge now covers the new one. */
	M->vm_committed_as += (long)replaced;
	find_vma_prev(mm, addr, &prev);
	vma_init_range(&stub, addr, len, vm_flags, pgoff);
	vma = merge_into_prev(prev, &stub);
	if (!vma) {
		vma = vm_area_alloc(mm);
		if (!vma) {
			vm_unacct_memory((long)pages);
			return -ENOMEM;
		}
		vma_init_range(vma, addr, len, vm_flags, pgoff);
		vma->vm_file = file;
		/* Shared anonymous memory is a shmem object. */
		if (!file && (vm_flags & VM_SHARED) && shmem_zero_setup(vma)) {
			vm_area_free(vma);
			vm_unacct_memory((long)charged);
			return -ENOMEM;
		}
		vma_link(mm, vma);
	}
	/* The previous VMA was tried above; Linux's vma_merge_new_range()
	 * never joins two VMAs that were apart before the mapping. */
	vma = vma_merge_next(vma);
	vma->vm_flags |= VM_SOFTDIRTY;
	vm_stat_account(mm, vm_flags, (long)pages);
	if (vm_flags & VM_LOCKED)
		mm->locked_vm += pages;
	return addr;
}

/* ---- munmap ---------------------------------------------------------------------------- */

/* Unmaps the pages of the detached VMAs first..last and frees their
 * page tables between the neighbours that stay (unmap_region). */
static void unmap_region(struct mm_struct *mm, struct vm_area_struct *first,
			 unsigned long start, unsigned long end,
			 struct vm_area_struct *prev,
			 struct vm_area_struct *next)
{
	struct mmu_gather tlb;

	tlb_gather_mmu(&tlb, mm);
	update_hiwater_rss(mm);
	unmap_vmas(&tlb, first, start, end);
	free_pgtables(&tlb, first, NULL, prev ? prev->vm_end : FIRST_USER_ADDRESS,
		      next ? next->vm_start : USER_PGTABLES_CEILING);
	tlb_finish_mmu(&tlb);
}

/* Counters of a VMA leaving the address space. */
static void vma_account_removal(struct mm_struct *mm,
				struct vm_area_struct *vma)
{
	long pages = (long)vma_pages(vma);

	if (vma->vm_flags & VM_LOCKED)
		mm->locked_vm -= (unsigned long)pages;
	if (vma->vm_flags & VM_ACCOUNT)
		vm_unacct_memory(pages);
	vm_stat_account(mm, vma->vm_flags, -pages);
}

int do_munmap(struct mm_struct *mm, unsigned long start, unsigned long len)
{
	struct vm_area_struct *vma, *last, *prev, *next, *first, *v;
	unsigned long end;

	if (offset_in_page(start) || start > TASK_SIZE || len > TASK_SIZE - start)
		return -EINVAL;
	end = start + PAGE_ALIGN(len);
	if (end == start)
		return -EINVAL;
	vma = find_vma_intersection(mm, start, end);
	if (!vma)
		return 0;
	if (start > vma->vm_start) {
		/* Do not leave more than max_map_count mappings. */
		if (end < vma->vm_end && mm->map_count >= M->max_map_count)
			return -ENOMEM;
		if (split_vma(vma, start, 0))
			return -ENOMEM;
		vma = vma->vm_next;
	}
	last = find_vma(mm, end - 1);
	if (last && last->vm_start < end && end < last->vm_end &&
	    split_vma(last, end, 1))
		return -ENOMEM;
	first = find_vma(mm, start); /* the split may have moved it */
	prev = first->vm_prev;
	update_hiwater_vm(mm);
	/* Detach [start, end): the VMAs stay chained for the unmap. */
	for (v = first, next = NULL; v && v->vm_start < end; v = next) {
		next = v->vm_next;
		vma_account_removal(mm, v);
	}
	for (v = first; v != next;) {
		struct vm_area_struct *n = v->vm_next;

		vma_unlink(v);
		v->vm_next = n != next ? n : NULL;
		v = n;
	}
	unmap_region(mm, first, start, end, prev, next);
	for (v = first; v;) {
		struct vm_area_struct *n = v->vm_next;

		remove_vma(v);
		v = n;
	}
	return 0;
}

/* ---- brk ---------------------------------------------------------------------------------- */

int do_brk_flags(struct vm_area_struct *brkvma, unsigned long addr,
		 unsigned long len, vm_flags_t flags)
{
	struct mm_struct *mm = current->mm;
	unsigned long pages = len >> PAGE_SHIFT;
	struct vm_area_struct *vma, stub;

	flags |= VM_DATA_DEFAULT_FLAGS | VM_ACCOUNT | mm->def_flags;
	if (!may_expand_vm(mm, flags, pages))
		return -ENOMEM;
	if (mm->map_count > M->max_map_count)
		return -ENOMEM;
	if (security_vm_enough_memory_mm(mm, (long)pages))
		return -ENOMEM;
	vma_init_range(&stub, addr, len, flags, addr >> PAGE_SHIFT);
	if (merge_into_prev(brkvma, &stub)) {
		vma = brkvma;
	} else {
		vma = vm_area_alloc(mm);
		if (!vma) {
			vm_unacct_memory((long)pages);
			return -ENOMEM;
		}
		vma_init_range(vma, addr, len, flags, addr >> PAGE_SHIFT);
		vma_link(mm, vma);
	}
	vma->vm_flags |= VM_SOFTDIRTY;
	vm_stat_account(mm, flags, (long)pages);
	if (flags & VM_LOCKED)
		mm->locked_vm += pages;
	return 0;
}

long sys_brk(unsigned long brk)
{
	struct mm_struct *mm = current->mm;
	unsigned long newbrk, oldbrk, origbrk = mm->brk;
	struct vm_area_struct *brkvma, *next;

	if (brk < mm->start_brk)
		return (long)origbrk;
	/* check_data_rlimit(): the heap counts with the data segment. */
	if (rlimit(RLIMIT_DATA) < RLIM_INFINITY &&
	    brk - mm->start_brk + (mm->end_data - mm->start_data) >
		    rlimit(RLIMIT_DATA))
		return (long)origbrk;
	newbrk = PAGE_ALIGN(brk);
	oldbrk = PAGE_ALIGN(mm->brk);
	if (oldbrk == newbrk) {
		mm->brk = brk;
		return (long)brk;
	}
	if (brk <= mm->brk) {
		/* Shrinking: unmap the pages above the new break. */
		mm->brk = brk;
		if (do_munmap(mm, newbrk, oldbrk - newbrk)) {
			mm->brk = origbrk;
			return (long)origbrk;
		}
		return (long)brk;
	}
	/* check_brk_limits(), then room below the next mapping's gap. */
	if (IS_ERR_VALUE(get_unmapped_area(NULL, oldbrk, newbrk - oldbrk, 0,
					   MAP_FIXED)) ||
	    !mlock_future_ok(mm, mm->def_flags, newbrk - oldbrk))
		return (long)origbrk;
	next = find_vma_prev(mm, oldbrk, &brkvma);
	if (next && newbrk + PAGE_SIZE > vm_start_gap(next))
		return (long)origbrk;
	if (brkvma && brkvma->vm_end <= mm->start_brk)
		brkvma = NULL;
	if (do_brk_flags(brkvma, oldbrk, newbrk - oldbrk, 0))
		return (long)origbrk;
	mm->brk = brk;
	if (mm->def_flags & VM_LOCKED)
		mm_populate(oldbrk, newbrk - oldbrk);
	return (long)brk;
}

/* ---- stack growth -------------------------------------------------------------------- */

/* acct_stack_growth(): the limits a stack growing to size meets. */
static int acct_stack_growth(struct vm_area_struct *vma, unsigned long size,
			     unsigned long grow)
{
	struct mm_struct *mm = vma->vm_mm;

	if (!may_expand_vm(mm, vma->vm_flags, grow))
		return -ENOMEM;
	if (size > rlimit(RLIMIT_STACK))
		return -ENOMEM;
	if ((vma->vm_flags & VM_LOCKED) &&
	    !mlock_future_ok(mm, vma->vm_flags, grow << PAGE_SHIFT))
		return -ENOMEM;
	if (security_vm_enough_memory_mm(mm, (long)grow))
		return -ENOMEM;
	return 0;
}

int expand_downwards(struct vm_area_struct *vma, unsigned long address)
{
	struct mm_struct *mm = vma->vm_mm;
	struct vm_area_struct *prev = vma->vm_prev;
	unsigned long size, grow;
	int err;

	address &= PAGE_MASK;
	if (!(vma->vm_flags & VM_GROWSDOWN))
		return -EFAULT;
	if (address < (unsigned long)M->mmap_min_addr)
		return -EPERM;
	/* The guard gap above the previous mapping. */
	if (prev && !(prev->vm_flags & VM_GROWSDOWN) &&
	    (prev->vm_flags & VM_ACCESS_FLAGS) &&
	    address - prev->vm_end < M->stack_guard_gap)
		return -ENOMEM;
	if (address >= vma->vm_start)
		return 0;
	size = vma->vm_end - address;
	grow = (vma->vm_start - address) >> PAGE_SHIFT;
	if (grow > vma->vm_pgoff)
		return -ENOMEM;
	err = acct_stack_growth(vma, size, grow);
	if (err)
		return err;
	if (vma->vm_flags & VM_LOCKED)
		mm->locked_vm += grow;
	vm_stat_account(mm, vma->vm_flags, (long)grow);
	vma_set_range(vma, address, vma->vm_end, vma->vm_pgoff - grow);
	return 0;
}

/* ---- exit ----------------------------------------------------------------------------------- */

void exit_mmap(struct mm_struct *mm)
{
	struct vm_area_struct *vma = mm->mmap, *next;
	struct mmu_gather tlb;

	if (!vma)
		return;
	update_hiwater_vm(mm);
	update_hiwater_rss(mm);
	tlb_gather_mmu_fullmm(&tlb, mm);
	unmap_vmas(&tlb, vma, 0, ~0UL);
	free_pgtables(&tlb, vma, NULL, FIRST_USER_ADDRESS,
		      USER_PGTABLES_CEILING);
	tlb_finish_mmu(&tlb);
	for (; vma; vma = next) {
		next = vma->vm_next;
		vma_account_removal(mm, vma);
		remove_vma(vma);
	}
	mm->mmap = NULL;
	mm->mm_rb = RB_ROOT;
	mm->map_count = 0;
	mm->highest_vm_end = 0;
}

/* ---- fork --------------------------------------------------------------------------------- */

/* The child's copy of mpnt, linked into mm: its own anon_vma (or none
 * for VM_WIPEONFORK, which starts empty), never locked. */
static struct vm_area_struct *dup_vma(struct mm_struct *mm,
				      struct vm_area_struct *mpnt)
{
	struct vm_area_struct *tmp = vm_area_dup(mpnt);

	if (!tmp)
		return NULL;
	tmp->vm_mm = mm;
	if (tmp->vm_flags & VM_WIPEONFORK) {
		tmp->anon_vma = NULL;
	} else if (anon_vma_fork(tmp, mpnt)) {
		vm_area_free(tmp);
		return NULL;
	}
	tmp->vm_flags &= ~VM_LOCKED_MASK;
	/* The copy holds the file (a shmem object) as the parent's does. */
	if (tmp->vm_file)
		get_file(tmp->vm_file);
	if (tmp->vm_ops && tmp->vm_ops->open)
		tmp->vm_ops->open(tmp);
	vma_link(mm, tmp);
	return tmp;
}

int dup_mmap(struct mm_struct *mm, struct mm_struct *oldmm)
{
	struct vm_area_struct *mpnt, *tmp;
	int retval = 0;

	for (mpnt = oldmm->mmap; mpnt; mpnt = mpnt->vm_next) {
		long charge = 0;

		if (mpnt->vm_flags & VM_DONTCOPY) {
			vm_stat_account(mm, mpnt->vm_flags,
					-(long)vma_pages(mpnt));
			continue;
		}
		if (mpnt->vm_flags & VM_ACCOUNT) {
			charge = (long)vma_pages(mpnt);
			if (security_vm_enough_memory_mm(oldmm, charge)) {
				retval = -ENOMEM;
				break;
			}
		}
		tmp = dup_vma(mm, mpnt);
		if (!tmp) {
			vm_unacct_memory(charge);
			retval = -ENOMEM;
			break;
		}
		if (!(tmp->vm_flags & VM_WIPEONFORK))
			retval = copy_page_range(tmp, mpnt);
		if (retval)
			break;
	}
	/* The parent's private pages are read-only now: no CPU may keep a
	 * writable translation of them. */
	flush_tlb_mm(oldmm);
	return retval;
}

/* ---- the system calls --------------------------------------------------------------- */

long ksys_mmap_pgoff(unsigned long addr, unsigned long len,
		     unsigned long prot, unsigned long flags, unsigned long fd,
		     unsigned long pgoff)
{
	unsigned long populate, ret;

	(void)fd;
	if (!(flags & MAP_ANONYMOUS))
		return -EBADF; /* no files yet: every fd is bad */
	if (flags & MAP_HUGETLB)
		return -ENOMEM; /* no huge pages reserved (nr_hugepages 0) */
	ret = do_mmap(NULL, addr, len, prot, flags, 0, pgoff, &populate);
	if (!IS_ERR_VALUE(ret) && populate)
		mm_populate(ret, populate);
	return (long)ret;
}

long sys_mmap(unsigned long addr, unsigned long len, unsigned long prot,
	      unsigned long flags, unsigned long fd, unsigned long off)
{
	if (offset_in_page(off))
		return -EINVAL;
	return ksys_mmap_pgoff(addr, len, prot, flags, fd, off >> PAGE_SHIFT);
}

long sys_munmap(unsigned long addr, unsigned long len)
{
	return do_munmap(current->mm, addr, len);
}
