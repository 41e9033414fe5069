/* /proc/PID/maps, smaps and smaps_rollup, and the memory lines of status
 * and statm (fs/proc/task_mmu.c): one line per VMA padded to Linux's
 * column, names ([heap], [stack], a special mapping's, x86-64's
 * [vsyscall] gate), and per VMA the resident, proportional (PSS, in
 * Linux's 12-bit fixed point), shared/private and clean/dirty sizes that
 * a walk of the page tables finds, with the two-letter VmFlags. Also
 * clear_refs, which resets what smaps counts as Referenced, or VmHWM,
 * and the binary pagemap: one 64-bit entry per virtual page (PFN or swap
 * entry, exclusive, file, swapped and present bits), read at an offset. */
#include <errno.h>
#include <string.h>

#include "arch/tlbflush.h"
#include "fs/fs.h"
#include "fs/proc/internal.h"
#include "kernel/sched.h"
#include "mm/pagewalk.h"
#include "mm/swap.h"
#include "mm/vma.h"

#define K(pages) ((unsigned long)(pages) << (PAGE_SHIFT - 10))

/* ---- status and statm -------------------------------------------------- */

static void put_kb(struct seq_file *m, const char *label, unsigned long kb)
{
	seq_put_decimal_ull_width(m, label, kb, 8);
	seq_puts(m, " kB\n");
}

/* text: the executable pages of the program (start_code..end_code); lib:
 * the rest of exec_vm. In bytes. */
static void split_exec_vm(const struct mm_struct *mm, unsigned long *text,
			  unsigned long *lib)
{
	*text = PAGE_ALIGN(mm->end_code) - (mm->start_code & PAGE_MASK);
	*text = min(*text, mm->exec_vm << PAGE_SHIFT);
	*lib = (mm->exec_vm << PAGE_SHIFT) - *text;
}

void task_mem(struct seq_file *m, struct mm_struct *mm)
{
	unsigned long anon = get_mm_counter(mm, MM_ANONPAGES);
	unsigned long file = get_mm_counter(mm, MM_FILEPAGES);
	unsigned long shmem = get_mm_counter(mm, MM_SHMEMPAGES);
	unsigned long rss = anon + file + shmem, text, lib;

	split_exec_vm(mm, &text, &lib);
	put_kb(m, "VmPeak:\t", K(max(mm->total_vm, mm->hiwater_vm)));
	put_kb(m, "VmSize:\t", K(mm->total_vm));
	put_kb(m, "VmLck:\t", K(mm->locked_vm));
	put_kb(m, "VmPin:\t", K(mm->pinned_vm));
	put_kb(m, "VmHWM:\t", K(max(rss, mm->hiwater_rss)));
	put_kb(m, "VmRSS:\t", K(rss));
	put_kb(m, "RssAnon:\t", K(anon));
	put_kb(m, "RssFile:\t", K(file));
	put_kb(m, "RssShmem:\t", K(shmem));
	put_kb(m, "VmData:\t", K(mm->data_vm));
	put_kb(m, "VmStk:\t", K(mm->stack_vm));
	put_kb(m, "VmExe:\t", text >> 10);
	put_kb(m, "VmLib:\t", lib >> 10);
	put_kb(m, "VmPTE:\t", (unsigned long)mm->pgtables_bytes >> 10);
	put_kb(m, "VmSwap:\t", K(get_mm_counter(mm, MM_SWAPENTS)));
	put_kb(m, "HugetlbPages:\t", 0); /* no hugetlbfs */
}

unsigned long task_vsize(const struct mm_struct *mm)
{
	return PAGE_SIZE * mm->total_vm;
}

unsigned long task_statm(const struct mm_struct *mm, unsigned long *shared,
			 unsigned long *text, unsigned long *data,
			 unsigned long *resident)
{
	*shared = get_mm_counter(mm, MM_FILEPAGES) +
		  get_mm_counter(mm, MM_SHMEMPAGES);
	*text = (PAGE_ALIGN(mm->end_code) - (mm->start_code & PAGE_MASK)) >>
		PAGE_SHIFT;
	*data = mm->data_vm + mm->stack_vm;
	*resident = *shared + get_mm_counter(mm, MM_ANONPAGES);
	return mm->total_vm;
}

/* ---- the VMAs ------------------------------------------------------------- */

/* x86-64's vsyscall page (arch/x86/entry/vsyscall): the gate VMA every
 * 64-bit process shows last, execute-only as with vsyscall=xonly, the
 * default since Linux 5.3. It is in no mm and maps nothing. */
#define VSYSCALL_ADDR 0xffffffffff600000UL

static const struct vm_operations_struct gate_vma_ops = {
	.name = "[vsyscall]",
};

static const struct vm_area_struct gate_vma = {
	.vm_start = VSYSCALL_ADDR,
	.vm_end = VSYSCALL_ADDR + PAGE_SIZE,
	.vm_flags = VM_EXEC,
	.vm_ops = &gate_vma_ops,
};

static const struct vm_area_struct *get_gate_vma(const struct mm_struct *mm)
{
	(void)mm;
	return strcmp(M->arch->name, "x86_64") ? NULL : &gate_vma;
}

/* The next VMA to show after vma (NULL: the first), the gate VMA last. */
static const struct vm_area_struct *
next_vma_to_show(const struct mm_struct *mm, const struct vm_area_struct *vma)
{
	const struct vm_area_struct *gate = get_gate_vma(mm);

	if (!vma)
		return mm->mmap ? mm->mmap : gate;
	if (vma == gate)
		return NULL;
	return vma->vm_next ? vma->vm_next : gate;
}

static bool vma_is_initial_heap(const struct vm_area_struct *vma)
{
	return vma->vm_start < vma->vm_mm->brk &&
	       vma->vm_end > vma->vm_mm->start_brk;
}

static bool vma_is_initial_stack(const struct vm_area_struct *vma)
{
	return vma->vm_start <= vma->vm_mm->start_stack &&
	       vma->vm_end >= vma->vm_mm->start_stack;
}

/* What maps shows after the inode, or NULL (get_vma_name): a file's
 * path (only shmem objects so far: "/dev/zero (deleted)"), a special
 * mapping's name, [heap] or [stack]; no anon_vma_name. */
static const char *get_vma_name(const struct vm_area_struct *vma)
{
	if (vma->vm_file)
		return vma->vm_file->f_name;
	if (vma->vm_ops && vma->vm_ops->name)
		return vma->vm_ops->name;
	if (!vma->vm_mm)
		return "[vdso]";
	if (vma_is_initial_heap(vma))
		return "[heap]";
	if (vma_is_initial_stack(vma))
		return "[stack]";
	return NULL;
}

/* Columns before a name: 25 + 6 per byte of a pointer - 1 (seq_setwidth
 * of show_vma_header_prefix): 72 on 64-bit, 48 on 32-bit. */
static size_t name_column(void)
{
	return 25 + (size_t)M->arch->bits / 8 * 6 - 1;
}

/* "start-end perms offset MAJ:MIN inode " of a VMA or of the rollup. */
static void show_vma_header_prefix(struct seq_file *m, unsigned long start,
				   unsigned long end, vm_flags_t flags,
				   unsigned long long pgoff, unsigned dev,
				   unsigned long ino)
{
	seq_printf(m, "%08lx-%08lx %c%c%c%c %08llx %02x:%02x %lu ", start, end,
		   flags & VM_READ ? 'r' : '-', flags & VM_WRITE ? 'w' : '-',
		   flags & VM_EXEC ? 'x' : '-', flags & VM_MAYSHARE ? 's' : 'p',
		   pgoff, dev >> 8, dev & 0xff, ino);
}

/* seq_pad(): spaces up to the name column of the line started at
 * line_start, then one more. */
static void seq_pad(struct seq_file *m, size_t line_start)
{
	while (m->count < line_start + name_column())
		seq_putc(m, ' ');
	seq_putc(m, ' ');
}

static void show_map_vma(struct seq_file *m, const struct vm_area_struct *vma)
{
	size_t line_start = m->count;
	const char *name = get_vma_name(vma);

	const struct file *f = vma->vm_file;

	/* Anonymous VMAs show offset 0 and no device; a file its offset,
	 * device and inode (shmem's internal mount is device 00:01). */
	show_vma_header_prefix(
		m, vma->vm_start, vma->vm_end, vma->vm_flags,
		f ? (unsigned long long)vma->vm_pgoff << PAGE_SHIFT : 0,
		f ? 0x0001u : 0, f ? file_inode(f)->i_ino : 0);
	if (name) {
		seq_pad(m, line_start);
		seq_puts(m, name);
	}
	seq_putc(m, '\n');
}

/* The mm of a task for the maps files: NULL for kernel threads and
 * tasks that have exited (Linux's proc_mem_open gives no mm). */
static struct mm_struct *task_maps_mm(const struct task_struct *task)
{
	if (task->flags & PF_KTHREAD)
		return NULL;
	return task->mm;
}

int proc_pid_maps(struct seq_file *m, struct task_struct *task)
{
	struct mm_struct *mm = task_maps_mm(task);
	const struct vm_area_struct *vma = NULL;

	if (!mm)
		return 0;
	while ((vma = next_vma_to_show(mm, vma)))
		show_map_vma(m, vma);
	return 0;
}

/* ---- smaps ------------------------------------------------------------------- */

/* PSS is kept in bytes << PSS_SHIFT, so a page shared by n mappers adds
 * PAGE_SIZE / n without losing the fraction. */
#define PSS_SHIFT 12

struct mem_size_stats {
	unsigned long resident;
	unsigned long shared_clean, shared_dirty;
	unsigned long private_clean, private_dirty;
	unsigned long referenced, anonymous, lazyfree;
	unsigned long anonymous_thp, shmem_thp, file_thp;
	unsigned long swap, shared_hugetlb, private_hugetlb, ksm;
	uint64_t pss, pss_anon, pss_file, pss_shmem, pss_dirty, pss_locked;
	uint64_t swap_pss;
};

static void smaps_page_accumulate(struct mem_size_stats *mss,
				  const struct page *page, unsigned long size,
				  uint64_t pss, bool dirty, bool locked,
				  bool private)
{
	mss->pss += pss;
	if (PageAnon(page))
		mss->pss_anon += pss;
	else if (test_bit_flag(page, PG_swapbacked))
		mss->pss_shmem += pss;
	else
		mss->pss_file += pss;
	if (locked)
		mss->pss_locked += pss;
	if (dirty || PageDirty(page)) {
		mss->pss_dirty += pss;
		if (private)
			mss->private_dirty += size;
		else
			mss->shared_dirty += size;
	} else if (private) {
		mss->private_clean += size;
	} else {
		mss->shared_clean += size;
	}
}

/* A present page: its share goes by its mapcount, unless this mapping
 * holds the only reference. */
static void smaps_account(struct mem_size_stats *mss, const struct page *page,
			  bool young, bool dirty, bool locked)
{
	uint64_t pss = (uint64_t)PAGE_SIZE << PSS_SHIFT;
	int mapcount;

	if (PageAnon(page)) {
		mss->anonymous += PAGE_SIZE;
		if (!test_bit_flag(page, PG_swapbacked) && !dirty &&
		    !PageDirty(page))
			mss->lazyfree += PAGE_SIZE;
	}
	mss->resident += PAGE_SIZE;
	if (young || test_bit_flag(page, PG_referenced))
		mss->referenced += PAGE_SIZE;
	if (page_ref_count(page) == 1) {
		smaps_page_accumulate(mss, page, PAGE_SIZE, pss, dirty, locked,
				      true);
		return;
	}
	mapcount = page_mapcount(page);
	if (mapcount >= 2)
		pss /= (uint64_t)mapcount;
	smaps_page_accumulate(mss, page, PAGE_SIZE, pss, dirty, locked,
			      mapcount < 2);
}

static int smaps_pte_entry(pte_t *ptep, unsigned long addr, unsigned long next,
			   struct mm_walk *walk)
{
	struct mem_size_stats *mss = walk->private;
	struct vm_area_struct *vma = walk->vma;
	pte_t pte = ptep_get(ptep);
	struct page *page;

	(void)next;
	if (pte_none(pte))
		return 0;
	if (!pte_present(pte)) {
		/* A swap entry: its PSS shared by the PTEs referring to the
		 * slot (smaps_pte_entry). */
		int refs = is_swap_pte(pte) ?
				   swap_count(pte_to_swp_entry(pte)) :
				   1;

		mss->swap += PAGE_SIZE;
		mss->swap_pss += ((uint64_t)PAGE_SIZE << PSS_SHIFT) /
				 (uint64_t)(refs > 1 ? refs : 1);
		return 0;
	}
	/* The zero page and special mappings are not counted. */
	page = vm_normal_page(vma, addr, pte);
	if (page)
		smaps_account(mss, page, pte_young(pte), pte_dirty(pte),
			      vma->vm_flags & VM_LOCKED);
	return 0;
}

static const struct mm_walk_ops smaps_walk_ops = {
	.pte_entry = smaps_pte_entry,
};

static void smap_gather_stats(const struct vm_area_struct *vma,
			      struct mem_size_stats *mss)
{
	if (!vma->vm_mm) /* the gate VMA maps nothing in user tables */
		return;
	walk_page_range(vma->vm_mm, vma->vm_start, vma->vm_end, &smaps_walk_ops,
			(struct vm_area_struct *)vma, mss);
}

static void put_smap_kb(struct seq_file *m, const char *label,
			unsigned long bytes)
{
	seq_put_decimal_ull_width(m, label, bytes >> 10, 8);
	seq_puts(m, " kB\n");
}

/* The lines smaps and smaps_rollup share (__show_smap). */
static void __show_smap(struct seq_file *m, const struct mem_size_stats *mss,
			bool rollup_mode)
{
	put_smap_kb(m, "Rss:            ", mss->resident);
	put_smap_kb(m, "Pss:            ", mss->pss >> PSS_SHIFT);
	put_smap_kb(m, "Pss_Dirty:      ", mss->pss_dirty >> PSS_SHIFT);
	if (rollup_mode) {
		put_smap_kb(m, "Pss_Anon:       ", mss->pss_anon >> PSS_SHIFT);
		put_smap_kb(m, "Pss_File:       ", mss->pss_file >> PSS_SHIFT);
		put_smap_kb(m, "Pss_Shmem:      ", mss->pss_shmem >> PSS_SHIFT);
	}
	put_smap_kb(m, "Shared_Clean:   ", mss->shared_clean);
	put_smap_kb(m, "Shared_Dirty:   ", mss->shared_dirty);
	put_smap_kb(m, "Private_Clean:  ", mss->private_clean);
	put_smap_kb(m, "Private_Dirty:  ", mss->private_dirty);
	put_smap_kb(m, "Referenced:     ", mss->referenced);
	put_smap_kb(m, "Anonymous:      ", mss->anonymous);
	put_smap_kb(m, "KSM:            ", mss->ksm);
	put_smap_kb(m, "LazyFree:       ", mss->lazyfree);
	put_smap_kb(m, "AnonHugePages:  ", mss->anonymous_thp);
	put_smap_kb(m, "ShmemPmdMapped: ", mss->shmem_thp);
	put_smap_kb(m, "FilePmdMapped:  ", mss->file_thp);
	put_smap_kb(m, "Shared_Hugetlb: ", mss->shared_hugetlb);
	seq_put_decimal_ull_width(
		m, "Private_Hugetlb: ", mss->private_hugetlb >> 10, 7);
	seq_puts(m, " kB\n");
	put_smap_kb(m, "Swap:           ", mss->swap);
	put_smap_kb(m, "SwapPss:        ", mss->swap_pss >> PSS_SHIFT);
	put_smap_kb(m, "Locked:         ", mss->pss_locked >> PSS_SHIFT);
}

/* THPeligible with transparent_hugepage/enabled at "always" (Linux's
 * default): an anonymous VMA of a process, not excluded with
 * MADV_NOHUGEPAGE, that holds a naturally aligned PMD-sized range. */
static bool thp_vma_allowable(const struct vm_area_struct *vma)
{
	unsigned long hpage = M->arch->hpage_kb << 10;
	unsigned long haddr;

	if (!vma->vm_mm || !vma_is_anonymous(vma) ||
	    (vma->vm_flags & VM_NOHUGEPAGE) ||
	    vma->vm_end - vma->vm_start < hpage)
		return false;
	haddr = (vma->vm_end - hpage) & ~(hpage - 1);
	return haddr >= vma->vm_start;
}

/* The two-letter codes of VmFlags, by bit (show_smap_vma_flags); bits
 * without a code print "??" when set. */
static const char *const vm_flag_mnemonics[32] = {
	[0] = "rd",  [1] = "wr",  [2] = "ex",  [3] = "sh",  [4] = "mr",
	[5] = "mw",  [6] = "me",  [7] = "ms",  [8] = "gd",  [9] = "um",
	[10] = "pf", [12] = "uw", [13] = "lo", [14] = "io", [15] = "sr",
	[16] = "rr", [17] = "dc", [18] = "de", [19] = "lf", [20] = "ac",
	[21] = "nr", [22] = "ht", [23] = "sf", [24] = "ar", [25] = "wf",
	[26] = "dd", [27] = "sd", [28] = "mm", [29] = "hg", [30] = "nh",
	[31] = "mg",
};

static void show_smap_vma_flags(struct seq_file *m,
				const struct vm_area_struct *vma)
{
	seq_puts(m, "VmFlags: ");
	for (int i = 0; i < M->arch->bits; i++) {
		const char *code = i < 32 ? vm_flag_mnemonics[i] : NULL;

		if (vma->vm_flags & (1UL << i))
			seq_printf(m, "%s ", code ? code : "??");
	}
	seq_putc(m, '\n');
}

static void show_smap(struct seq_file *m, const struct vm_area_struct *vma)
{
	struct mem_size_stats mss = { 0 };

	smap_gather_stats(vma, &mss);
	show_map_vma(m, vma);
	put_smap_kb(m, "Size:           ", vma->vm_end - vma->vm_start);
	put_smap_kb(m, "KernelPageSize: ", PAGE_SIZE);
	put_smap_kb(m, "MMUPageSize:    ", PAGE_SIZE);
	__show_smap(m, &mss, false);
	seq_printf(m, "THPeligible:    %8u\n",
		   thp_vma_allowable(vma) ? 1u : 0u);
	show_smap_vma_flags(m, vma);
}

int proc_pid_smaps(struct seq_file *m, struct task_struct *task)
{
	struct mm_struct *mm = task_maps_mm(task);
	const struct vm_area_struct *vma = NULL;

	if (!mm)
		return 0;
	while ((vma = next_vma_to_show(mm, vma)))
		show_smap(m, vma);
	return 0;
}

/* One header line from the first VMA's start to the last one's end (the
 * gate VMA not included), then the sums. */
int proc_pid_smaps_rollup(struct seq_file *m, struct task_struct *task)
{
	struct mm_struct *mm = task_maps_mm(task);
	struct mem_size_stats mss = { 0 };
	unsigned long start = 0, end = 0;
	size_t line_start = m->count;

	if (!mm)
		return -ESRCH;
	for (struct vm_area_struct *vma = mm->mmap; vma; vma = vma->vm_next) {
		if (vma == mm->mmap)
			start = vma->vm_start;
		smap_gather_stats(vma, &mss);
		end = vma->vm_end;
	}
	show_vma_header_prefix(m, start, end, 0, 0, 0, 0);
	seq_pad(m, line_start);
	seq_puts(m, "[rollup]\n");
	__show_smap(m, &mss, true);
	return 0;
}

/* ---- clear_refs ------------------------------------------------------------ */

/* clear_refs_pte_range(): a mapped page loses its PTE's accessed bit and
 * PG_referenced. The TLB is not flushed, as in Linux: on x86 a
 * translation the TLB still holds is used without setting the bit again
 * until it is evicted or flushed, so such an access is not seen. */
static int clear_refs_pte(pte_t *pte, unsigned long addr, unsigned long next,
			  struct mm_walk *walk)
{
	struct page *page = walk_pte_page(pte, addr, walk);

	(void)next;
	if (!page)
		return 0;
	ptep_test_and_clear_young(walk->vma, addr, pte);
	page->flags &= ~(1UL << PG_referenced);
	return 0;
}

static const struct mm_walk_ops clear_refs_ops = {
	.pte_entry = clear_refs_pte,
};

/* clear_refs_test_walk(): the VMAs a type covers (2: anonymous ones, 3:
 * those with a file, shmem included; never PFN or hugetlb mappings). */
static bool clear_refs_covers(const struct vm_area_struct *vma, int type)
{
	if (vma->vm_flags & (VM_PFNMAP | VM_HUGETLB))
		return false;
	if (type == CLEAR_REFS_ANON)
		return !vma->vm_file;
	return type != CLEAR_REFS_MAPPED || vma->vm_file;
}

void clear_refs(struct task_struct *task, enum clear_refs_types type)
{
	struct mm_struct *mm = task_maps_mm(task);

	if (!mm)
		return;
	if (type == CLEAR_REFS_MM_HIWATER_RSS) {
		/* reset_mm_hiwater_rss() */
		mm->hiwater_rss = get_mm_rss(mm);
		return;
	}
	if (type == CLEAR_REFS_SOFT_DIRTY) {
		/* No PTE has a soft-dirty bit (a kernel without
		 * CONFIG_MEM_SOFT_DIRTY): the flush is all there is. */
		flush_tlb_mm(mm);
		return;
	}
	for (struct vm_area_struct *vma = mm->mmap; vma; vma = vma->vm_next)
		if (clear_refs_covers(vma, type))
			walk_page_range(mm, vma->vm_start, vma->vm_end,
					&clear_refs_ops, vma, NULL);
}

/* ---- pagemap -------------------------------------------------------------- */

/* One little-endian 64-bit entry per virtual page (pagemap_read()). */
#define PM_ENTRY_BYTES 8
#define PM_PFRAME_BITS 55
#define PM_PFRAME_MASK ((1ULL << PM_PFRAME_BITS) - 1)
#define PM_MMAP_EXCLUSIVE (1ULL << 56)
#define PM_FILE (1ULL << 61)
#define PM_SWAP (1ULL << 62)
#define PM_PRESENT (1ULL << 63)

/* The entries of the pages from walk start on, written by address: an
 * entry no PTE fills stays 0 (a hole, or an address outside every VMA). */
struct pagemapread {
	unsigned char *buf;
	unsigned long start;
};

static void put_pagemap_entry(struct pagemapread *pm, unsigned long addr,
			      uint64_t pme)
{
	proc_put_le64(pm->buf + ((addr - pm->start) >> PAGE_SHIFT) *
					PM_ENTRY_BYTES,
		      pme);
}

/* A swap PTE's frame: the type in bits 0-4, the offset above it. */
static uint64_t swap_frame(pte_t pte)
{
	swp_entry_t entry = pte_to_swp_entry(pte);

	return swp_type(entry) |
	       ((uint64_t)swp_offset(entry) << MAX_SWAPFILES_SHIFT);
}

/* pte_to_pagemap_entry(): the reader is privileged, so the frame (PFN
 * or swap entry) is shown. A page is exclusive when this PTE is its only
 * mapping; a swapped one never is (the PTE names no page), and no PTE is
 * soft-dirty or uffd-wp here. */
static int pagemap_pte(pte_t *ptep, unsigned long addr, unsigned long next,
		       struct mm_walk *walk)
{
	pte_t pte = ptep_get(ptep);
	const struct page *page = walk_pte_page(ptep, addr, walk);
	uint64_t frame, flags;

	(void)next;
	if (pte_present(pte)) {
		frame = pte_pfn(pte);
		flags = PM_PRESENT;
	} else if (is_swap_pte(pte)) {
		frame = swap_frame(pte);
		flags = PM_SWAP;
	} else {
		return 0;
	}
	if (page && !PageAnon(page))
		flags |= PM_FILE;
	if (page && page_mapcount(page) == 1)
		flags |= PM_MMAP_EXCLUSIVE;
	put_pagemap_entry(walk->private, addr,
			  (frame & PM_PFRAME_MASK) | flags);
	return 0;
}

static const struct mm_walk_ops pagemap_ops = {
	.pte_entry = pagemap_pte,
};

/* The first address an offset of the file stands for, or end when it is
 * at or past end (mm->task_size). */
static unsigned long pagemap_start(unsigned long long off, unsigned long end)
{
	unsigned long long vpfn = off / PM_ENTRY_BYTES;

	if (vpfn > (end >> PAGE_SHIFT))
		return end;
	return (unsigned long)vpfn << PAGE_SHIFT;
}

long proc_pagemap_read(struct task_struct *task, void *buf, size_t count,
		       unsigned long long off)
{
	struct mm_struct *mm = task_maps_mm(task);
	struct pagemapread pm = { buf, 0 };
	unsigned long end;
	size_t pages;

	if (!mm) /* nothing to open: reads as an empty file */
		return 0;
	if (off % PM_ENTRY_BYTES || count % PM_ENTRY_BYTES)
		return -EINVAL;
	pm.start = pagemap_start(off, mm->task_size);
	pages = min(count / PM_ENTRY_BYTES,
		    (size_t)((mm->task_size - pm.start) >> PAGE_SHIFT));
	end = pm.start + (pages << PAGE_SHIFT);
	memset(buf, 0, pages * PM_ENTRY_BYTES);
	for (struct vm_area_struct *vma = find_vma(mm, pm.start);
	     vma && vma->vm_start < end; vma = vma->vm_next)
		walk_page_range(mm, max(pm.start, vma->vm_start),
				min(end, vma->vm_end), &pagemap_ops, vma, &pm);
	return (long)(pages * PM_ENTRY_BYTES);
}
