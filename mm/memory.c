/* User memory and its page tables (mm/memory.c, mm/gup.c): the fault
 * handler (demand-zero pages, the shared zero page, copy-on-write with
 * reuse of exclusive pages), unmapping and freeing of page tables when
 * mappings go, and faulting ranges in (MAP_POPULATE, mlock). */
#include <errno.h>
#include <string.h>

#include "arch/tlbflush.h"
#include "kernel/printk.h"
#include "kernel/sched/psi.h"
#include "kernel/sched/run.h"
#include "mm/internal.h"
#include "mm/pagewalk.h"
#include "mm/rmap.h"
#include "mm/swap.h"
#include "mm/vma.h"
#include "mm/vmstat.h"

pmd_t *mm_find_pmd(struct mm_struct *mm, unsigned long addr)
{
	pgd_t *pgd = pgd_offset(mm, addr);
	p4d_t *p4d;
	pud_t *pud;
	pmd_t *pmd;

	if (pgd_none(pgdp_get(pgd)))
		return NULL;
	p4d = p4d_offset(pgd, addr);
	if (p4d_none(p4dp_get(p4d)))
		return NULL;
	pud = pud_offset(p4d, addr);
	if (pud_none(pudp_get(pud)) || pud_leaf(pudp_get(pud)))
		return NULL;
	pmd = pmd_offset(pud, addr);
	return pmd_none(pmdp_get(pmd)) ? NULL : pmd;
}

pte_t *mm_find_pte(struct mm_struct *mm, unsigned long addr)
{
	pmd_t *pmd = mm_find_pmd(mm, addr);

	if (!pmd || pmd_leaf(pmdp_get(pmd)))
		return NULL;
	return pte_offset_map(pmd, addr);
}

struct page *vm_normal_page(struct vm_area_struct *vma, unsigned long addr,
			    pte_t pte)
{
	unsigned long pfn = pte_pfn(pte);
	struct page *page;

	(void)vma;
	(void)addr;
	if (pte_special(pte))
		return NULL;
	if (!pfn_valid(pfn)) {
		pr_alert("BUG: Bad page map in process %s  pte:%016llx\n",
			 current_comm(), (unsigned long long)pte_val(pte));
		M->nr_bugs++;
		return NULL;
	}
	/* The zero page by its struct page: cheaper than is_zero_pfn() on
	 * the fork and unmap paths, which ask for every PTE. */
	page = pfn_to_page(pfn);
	return page == ZERO_PAGE() ? NULL : page;
}

/* ---- faults ------------------------------------------------------------------- */

static pte_t maybe_mkwrite(pte_t pte, const struct vm_area_struct *vma)
{
	return vma->vm_flags & VM_WRITE ? pte_mkwrite_novma(pte) : pte;
}

/* Makes a new private page (zeroed or copied: uptodate, as
 * __folio_mark_uptodate says) the one mapped at vmf->address. */
static void map_new_anon_page(struct vm_fault *vmf, struct page *page)
{
	struct vm_area_struct *vma = vmf->vma;
	pte_t entry = pte_mkyoung(mk_pte(page, vma->vm_page_prot));

	page->flags |= 1UL << PG_uptodate;
	if (vma->vm_flags & VM_WRITE)
		entry = pte_mkwrite_novma(pte_mkdirty(entry));
	inc_mm_counter(vma->vm_mm, MM_ANONPAGES);
	page_add_new_anon_rmap(page, vma, vmf->address);
	lru_cache_add_inactive_or_unevictable(page, vma);
	set_pte_at(vma->vm_mm, vmf->address, vmf->pte, entry);
}

/* The fault may end with VM_FAULT_RETRY and current asleep: it runs in
 * a task body and its caller retries the access at the next step. */
static bool fault_may_retry(const struct vm_fault *vmf)
{
	return (vmf->flags & FAULT_FLAG_ALLOW_RETRY) && in_task_body() &&
	       M->swap;
}

/* A user page for a fault. When memory is short and swap I/O is in
 * flight, a task that may retry does not fail: it sleeps until the I/O
 * ends and retries the fault (*retry), as Linux's reclaim_throttle()
 * makes a direct reclaimer wait for writeback. */
static struct page *alloc_fault_page(struct vm_fault *vmf, gfp_t gfp,
				     bool *retry)
{
	struct page *page;

	*retry = false;
	if (!fault_may_retry(vmf))
		return alloc_pages(gfp, 0);
	page = alloc_pages(gfp | __GFP_NORETRY | __GFP_NOWARN, 0);
	if (page)
		return page;
	if (swap_io_pending()) {
		reclaim_throttle();
		*retry = true;
		return NULL;
	}
	return alloc_pages(gfp, 0);
}

/* A zeroed page for user memory: clear_page() costs its time. */
static struct page *alloc_user_page(struct vm_fault *vmf, bool *retry)
{
	struct page *page =
		alloc_fault_page(vmf, GFP_HIGHUSER_MOVABLE | __GFP_ZERO, retry);

	if (page)
		cost_charge(COST_ZERO_PAGE);
	return page;
}

/* A first touch of private anonymous memory (do_anonymous_page): a read
 * maps the shared zero page, a write a new zeroed page. */
static unsigned do_anonymous_page(struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;
	struct page *page;
	bool retry;

	if (vma->vm_flags & VM_SHARED)
		return VM_FAULT_SIGBUS;
	if (pte_alloc(vma->vm_mm, vmf->pmd))
		return VM_FAULT_OOM;
	vmf->pte = pte_offset_map(vmf->pmd, vmf->address);
	if (!(vmf->flags & FAULT_FLAG_WRITE)) {
		pte_t entry = pte_mkspecial(
			pfn_pte(page_to_pfn(ZERO_PAGE()), vma->vm_page_prot));

		set_pte_at(vma->vm_mm, vmf->address, vmf->pte,
			   pte_mkyoung(entry));
		return 0;
	}
	if (anon_vma_prepare(vma))
		return VM_FAULT_OOM;
	page = alloc_user_page(vmf, &retry);
	if (!page)
		return retry ? VM_FAULT_RETRY : VM_FAULT_OOM;
	map_new_anon_page(vmf, page);
	return 0;
}

/* A file or special mapping: its ->fault gives the page to map. */
static unsigned do_fault(struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;
	unsigned ret;
	pte_t entry;

	if (!vma->vm_ops->fault)
		return VM_FAULT_SIGBUS;
	if (pte_alloc(vma->vm_mm, vmf->pmd))
		return VM_FAULT_OOM;
	vmf->pte = pte_offset_map(vmf->pmd, vmf->address);
	ret = vma->vm_ops->fault(vmf);
	if (ret & (VM_FAULT_ERROR | VM_FAULT_NOPAGE))
		return ret;
	entry = pte_mkyoung(mk_pte(vmf->page, vma->vm_page_prot));
	if ((vmf->flags & FAULT_FLAG_WRITE) && (vma->vm_flags & VM_SHARED))
		entry = pte_mkwrite_novma(pte_mkdirty(entry));
	inc_mm_counter(vma->vm_mm, mm_counter(vmf->page));
	if (++vmf->page->_mapcount == 0)
		__mod_node_page_state(page_pgdat(vmf->page), NR_FILE_MAPPED, 1);
	/* Linux does this in folio_add_file_rmap_ptes(). */
	mlock_vma_page(vmf->page, vma);
	set_pte_at(vma->vm_mm, vmf->address, vmf->pte, entry);
	return ret;
}

/* The only reference to an anonymous page is this mapping's: write in
 * place (wp_can_reuse_anon_folio). */
static bool can_reuse_anon_page(struct page *page)
{
	/* The swap cache's reference goes if no PTE elsewhere needs the
	 * slot (wp_can_reuse_anon_folio). */
	if (PageSwapCache(page) && page_ref_count(page) > 1)
		try_to_free_swap(page);
	return page_ref_count(page) == 1;
}

/* A write to a present read-only PTE in a writable VMA (do_wp_page):
 * reuse the page when nobody else holds it, else copy it (or allocate a
 * zeroed page in place of the zero page). */
static unsigned do_wp_page(struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;
	struct mm_struct *mm = vma->vm_mm;
	struct page *old = vm_normal_page(vma, vmf->address, vmf->orig_pte);
	struct page *new;
	bool retry;

	if ((vma->vm_flags & VM_SHARED) ||
	    (old && PageAnon(old) && can_reuse_anon_page(old))) {
		pte_t entry = pte_mkyoung(pte_mkdirty(vmf->orig_pte));

		set_pte_at(mm, vmf->address, vmf->pte,
			   maybe_mkwrite(entry, vma));
		flush_tlb_page(vma, vmf->address);
		if (old && PageAnon(old))
			count_vm_event(PGREUSE);
		return 0;
	}
	if (anon_vma_prepare(vma))
		return VM_FAULT_OOM;
	/* A copy overwrites the whole page: zero only the zero page's. */
	new = old ? alloc_fault_page(vmf, GFP_HIGHUSER_MOVABLE, &retry) :
		    alloc_user_page(vmf, &retry);
	if (!new)
		return retry ? VM_FAULT_RETRY : VM_FAULT_OOM;
	if (old) {
		memcpy(kmap_local_page(new), kmap_local_page(old), PAGE_SIZE);
		cost_charge(COST_COPY_PAGE);
	}
	/* ptep_clear_flush(): no CPU may keep the old translation. */
	ptep_get_and_clear(mm, vmf->address, vmf->pte);
	flush_tlb_page(vma, vmf->address);
	if (old && !PageAnon(old))
		dec_mm_counter(mm, mm_counter(old));
	map_new_anon_page(vmf, new);
	if (old) {
		if (PageAnon(old))
			dec_mm_counter(mm, MM_ANONPAGES);
		page_remove_rmap(old, vma);
		/* Linux does this in folio_remove_rmap_pte(). */
		munlock_vma_page(old, vma);
		put_page(old);
	}
	return 0;
}

/* Frees the slot after swap-in when swap is getting full, or the page is
 * locked in memory, or a write makes the copy stale anyway
 * (should_try_to_free_swap). */
static bool should_try_to_free_swap(struct page *page,
				    const struct vm_area_struct *vma,
				    unsigned flags)
{
	if (!PageSwapCache(page))
		return false;
	if (vm_swap_full() || (vma->vm_flags & VM_LOCKED))
		return true;
	return (flags & FAULT_FLAG_WRITE) && page_ref_count(page) == 2;
}

/* Maps the swap-cache page for vmf's swap PTE (the end of do_swap_page):
 * writable when no other PTE or slot reference shares it. */
static void map_swap_page(struct vm_fault *vmf, struct page *page,
			  swp_entry_t entry)
{
	struct vm_area_struct *vma = vmf->vma;
	struct mm_struct *mm = vma->vm_mm;
	pte_t pte = pte_mkyoung(mk_pte(page, vma->vm_page_prot));
	bool exclusive;

	swap_free(entry);
	exclusive = !swap_count(entry) && !page_mapped(page);
	if (should_try_to_free_swap(page, vma, vmf->flags))
		try_to_free_swap(page);
	dec_mm_counter(mm, MM_SWAPENTS);
	inc_mm_counter(mm, MM_ANONPAGES);
	if (exclusive && (vma->vm_flags & VM_WRITE)) {
		pte = pte_mkwrite_novma(pte);
		if (vmf->flags & FAULT_FLAG_WRITE) {
			pte = pte_mkdirty(pte);
			SetPageDirty(page);
		}
	}
	page_add_anon_rmap(page, vma, vmf->address);
	mlock_vma_page(page, vma);
	set_pte_at(mm, vmf->address, vmf->pte, pte);
	/* Written now, and read-only: the COW break follows at once. */
	if ((vmf->flags & FAULT_FLAG_WRITE) && !pte_write(pte)) {
		vmf->orig_pte = pte;
		do_wp_page(vmf);
	}
}

/* A fault on a swap PTE (do_swap_page): the page from the swap cache, or
 * read in with readahead: a major fault. A task that may retry sleeps in
 * D until the read is done and retries (VM_FAULT_RETRY); any other
 * caller gets the data at once (docs/deviations.md). */
static unsigned do_swap_page(struct vm_fault *vmf)
{
	swp_entry_t entry = pte_to_swp_entry(vmf->orig_pte);
	bool async = fault_may_retry(vmf), io = false;
	unsigned ret = 0;
	struct page *page;

	if (!M->swap || !swp_swap_info(entry)) {
		pr_alert("BUG: Bad swap entry %08lx in process %s at %lx\n",
			 entry.val, current_comm(), vmf->address);
		return VM_FAULT_SIGBUS;
	}
	page = lookup_swap_cache(entry, vmf->vma, vmf->address);
	if (!page) {
		/* As alloc_fault_page(): short of memory with swap I/O in
		 * flight, a task that may retry waits for it. */
		page = swapin_readahead(
			entry,
			GFP_HIGHUSER_MOVABLE |
				(async ? __GFP_NORETRY | __GFP_NOWARN : 0),
			vmf, !async, &io);
		if (!page && async &&
		    (global_node_page_state(NR_WRITEBACK) ||
		     M->swap->nr_reads)) {
			swap_wait_io(true); /* for memory: a stall */
			return VM_FAULT_RETRY;
		}
		if (!page && async)
			page = swapin_readahead(entry, GFP_HIGHUSER_MOVABLE,
						vmf, false, &io);
		if (!page)
			return VM_FAULT_OOM;
		ret = VM_FAULT_MAJOR;
		count_vm_event(PGMAJFAULT);
	}
	if (PageLocked(page)) {
		if (async) {
			/* Waiting for a workingset page's read is thrashing:
			 * a memory stall (folio_wait_bit_common). */
			bool thrashing = !PageUptodate(page) &&
					 test_bit_flag(page, PG_workingset);

			put_page(page);
			swap_wait_io(thrashing);
			return ret | VM_FAULT_RETRY;
		}
		swap_read_now(page);
	}
	/* The PTE changed while the page was read (another thread). */
	if (pte_val(ptep_get(vmf->pte)) != pte_val(vmf->orig_pte)) {
		put_page(page);
		return ret;
	}
	map_swap_page(vmf, page, entry);
	return ret;
}

static unsigned handle_pte_fault(struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;
	pte_t entry;

	if (pmd_none(pmdp_get(vmf->pmd))) {
		vmf->pte = NULL;
	} else {
		vmf->pte = pte_offset_map(vmf->pmd, vmf->address);
		vmf->orig_pte = ptep_get(vmf->pte);
		if (pte_none(vmf->orig_pte))
			vmf->pte = NULL;
	}
	if (!vmf->pte)
		return vma_is_anonymous(vma) ? do_anonymous_page(vmf) :
					       do_fault(vmf);
	entry = vmf->orig_pte;
	if (!pte_present(entry)) {
		if (is_swap_pte(entry))
			return do_swap_page(vmf);
		WARN(1, "non-present pte %016llx at %lx without swap\n",
		     (unsigned long long)pte_val(entry), vmf->address);
		return VM_FAULT_SIGBUS;
	}
	if (vmf->flags & FAULT_FLAG_WRITE) {
		if (!pte_write(entry))
			return do_wp_page(vmf);
		entry = pte_mkdirty(entry);
	}
	/* A spurious fault or one that only sets A/D bits. */
	set_pte_at(vma->vm_mm, vmf->address, vmf->pte, pte_mkyoung(entry));
	flush_tlb_page(vma, vmf->address);
	return 0;
}

/* mm_account_fault(): every fault counts in pgfault, a successful one
 * in current's min_flt or maj_flt. */
static void mm_account_fault(unsigned ret, unsigned flags)
{
	count_vm_event(PGFAULT);
	/* A fault to be retried counts when it completes, as one; major
	 * when it had to wait (FAULT_FLAG_TRIED), as Linux counts it. */
	if (ret & (VM_FAULT_ERROR | VM_FAULT_RETRY))
		return;
	if ((ret & VM_FAULT_MAJOR) || (flags & FAULT_FLAG_TRIED))
		current->maj_flt++;
	else
		current->min_flt++;
}

/* Pages one fault may allocate: a PUD, PMD and PTE table, the page and
 * a slab page for its anon_vma. */
#define FAULT_MAX_PAGES 5

/* A zone a kernel allocation may use has free memory above its min
 * watermark by the pages a fault may allocate. */
static bool fault_memory_ok(void)
{
	struct zone *zone;

	for_each_zone(zone)
		if (managed_zone(zone) && zone_idx(zone) <= ZONE_NORMAL &&
		    zone_watermark_ok(zone, 0,
				      min_wmark_pages(zone) + FAULT_MAX_PAGES,
				      ZONE_NORMAL, 0))
			return true;
	return false;
}

/* Short of memory, a fault that may retry reclaims first (direct
 * reclaim, which starts writeback) and, while writeback is under way,
 * waits for it and retries instead of failing an allocation: Linux's
 * allocator reclaims and throttles inside alloc_pages(); mmsim's cannot
 * sleep there, so the fault does it before it allocates. */
static bool fault_throttle(struct vm_fault *vmf)
{
	const gfp_t gfp = GFP_HIGHUSER_MOVABLE;
	unsigned long pflags;
	struct zone *zone;

	if (!fault_may_retry(vmf) ||
	    (!M->total_swap_pages && !swap_io_pending()) || fault_memory_ok())
		return false;
	for_each_zone(zone)
		wakeup_kswapd(zone, gfp, 0, gfp_zone(gfp));
	/* Direct reclaim is a memory stall, as in __perform_reclaim(). */
	psi_memstall_enter(&pflags);
	if (!swap_io_pending())
		try_to_free_pages(gfp, 0, numa_node_id(), gfp_zone(gfp));
	psi_memstall_leave(&pflags);
	if (fault_memory_ok() || !swap_io_pending())
		return false;
	reclaim_throttle();
	return true;
}

unsigned handle_mm_fault(struct vm_area_struct *vma, unsigned long address,
			 unsigned flags)
{
	struct mm_struct *mm = vma->vm_mm;
	struct vm_fault vmf = {
		.vma = vma,
		.address = address & PAGE_MASK,
		.real_address = address,
		.flags = flags,
		.pgoff = linear_page_index(vma, address),
	};
	pgd_t *pgd = pgd_offset(mm, address);
	p4d_t *p4d = p4d_alloc(mm, pgd, address);
	pud_t *pud = p4d ? pud_alloc(mm, p4d, address) : NULL;
	unsigned ret = VM_FAULT_OOM;

	if (fault_throttle(&vmf)) {
		ret = VM_FAULT_RETRY;
		goto out;
	}
	vmf.pmd = pud ? pmd_alloc(mm, pud, address) : NULL;
	current->fault_may_throttle = fault_may_retry(&vmf);
	if (vmf.pmd)
		ret = handle_pte_fault(&vmf);
	current->fault_may_throttle = false;
	if ((ret & VM_FAULT_OOM) && fault_may_retry(&vmf) &&
	    swap_io_pending()) {
		reclaim_throttle();
		ret = VM_FAULT_RETRY;
	}
out:
	mm_account_fault(ret, flags);
	return ret;
}

/* ---- faulting ranges in (mm/gup.c) ------------------------------------------- */

/* The PTE at addr allows the access without a fault (follow_page). */
static bool page_present_for(struct mm_struct *mm, unsigned long addr,
			     bool write)
{
	pte_t *pte = mm_find_pte(mm, addr);
	pte_t v;

	if (!pte)
		return false;
	v = ptep_get(pte);
	return pte_present(v) && (!write || pte_write(v));
}

long populate_vma_page_range(struct vm_area_struct *vma, unsigned long start,
			     unsigned long end)
{
	/* Private writable memory is written to break COW now; shared or
	 * read-only memory is read. PROT_NONE is skipped. */
	bool write = (vma->vm_flags & (VM_WRITE | VM_SHARED)) == VM_WRITE;
	unsigned flags = write ? FAULT_FLAG_WRITE : 0;

	if (vma->vm_flags & VM_LOCKONFAULT)
		return 0;
	if (!(vma->vm_flags & VM_ACCESS_FLAGS))
		return -EFAULT;
	for (unsigned long a = start; a < end; a += PAGE_SIZE) {
		unsigned ret;

		if (page_present_for(vma->vm_mm, a, write))
			continue;
		ret = handle_mm_fault(vma, a, flags);
		if (ret & VM_FAULT_OOM)
			return -ENOMEM;
		if (ret & VM_FAULT_ERROR)
			return -EFAULT;
	}
	return 0;
}

int mm_populate(unsigned long start, unsigned long len)
{
	struct mm_struct *mm = current->mm;
	unsigned long end = start + len;
	struct vm_area_struct *vma;

	for (vma = find_vma(mm, start); vma && vma->vm_start < end;
	     vma = vma->vm_next) {
		if (vma->vm_flags & (VM_IO | VM_PFNMAP))
			continue;
		/* Errors are ignored, as Linux's mm_populate() does. */
		populate_vma_page_range(vma, max(start, vma->vm_start),
					min(end, vma->vm_end));
	}
	return 0;
}

/* ---- fork: copying page tables (copy_page_range) ------------------------------- */

/* Private mappings that may be written: pages are copied on write. */
static bool is_cow_mapping(vm_flags_t flags)
{
	return (flags & (VM_SHARED | VM_MAYWRITE)) == VM_MAYWRITE;
}

/* vma_needs_copy(): a fault fills anything else in correctly (the zero
 * page, file pages), so only VMAs with private pages or raw pfns copy. */
static bool vma_needs_copy(const struct vm_area_struct *src_vma)
{
	return (src_vma->vm_flags & (VM_PFNMAP | VM_MIXEDMAP)) ||
	       src_vma->anon_vma;
}

struct copy_ctx {
	struct vm_area_struct *dst_vma, *src_vma;
	struct mm_struct *dst_mm, *src_mm;
	bool cow;
	long rss[NR_MM_COUNTERS];
};

/* copy_present_pte(): the child maps the same page; a private writable
 * one becomes read-only in parent and child alike. */
static void copy_present_pte(struct copy_ctx *c, pte_t *dst_pte, pte_t *src_pte,
			     pte_t pte, unsigned long addr)
{
	struct page *page = vm_normal_page(c->src_vma, addr, pte);

	if (page) {
		/* folio_get(): inline for the loop; get_page() reports a
		 * page whose count is already gone. */
		if (likely(page_ref_count(page) > 0))
			page_ref_inc(page);
		else
			get_page(page);
		if (PageAnon(page))
			page_dup_anon_rmap(page);
		else
			page_dup_file_rmap(page);
		c->rss[mm_counter(page)]++;
	}
	if (c->cow && pte_write(pte)) {
		ptep_set_wrprotect(c->src_mm, addr, src_pte);
		pte = pte_wrprotect(pte);
	}
	if (c->src_vma->vm_flags & VM_SHARED)
		pte = pte_mkclean(pte);
	set_pte_at(c->dst_mm, addr, dst_pte, pte_mkold(pte));
}

/* A swap PTE: the child refers to the same slot (copy_nonpresent_pte). */
static int copy_nonpresent_pte(struct copy_ctx *c, pte_t *dst_pte, pte_t pte,
			       unsigned long addr)
{
	if (!is_swap_pte(pte)) {
		WARN(1, "non-present pte %016llx at %lx without swap\n",
		     (unsigned long long)pte_val(pte), addr);
		return 0;
	}
	if (swap_duplicate(pte_to_swp_entry(pte)))
		return -ENOMEM;
	c->rss[MM_SWAPENTS]++;
	set_pte_at(c->dst_mm, addr, dst_pte, pte);
	return 0;
}

static int copy_pte_range(struct copy_ctx *c, pmd_t *dst_pmd, pmd_t *src_pmd,
			  unsigned long addr, unsigned long end)
{
	void *src_table, *dst_table;

	if (pte_alloc(c->dst_mm, dst_pmd))
		return -ENOMEM;
	src_table = pt_val_table(pmd_val(pmdp_get(src_pmd)));
	dst_table = pt_val_table(pmd_val(pmdp_get(dst_pmd)));
	for (; addr != end; addr += PAGE_SIZE) {
		unsigned long i = pte_index(addr);
		pte_t *src_pte = pt_slot(src_table, i);
		pte_t pte = ptep_get(src_pte);

		if (pte_none(pte))
			continue;
		if (unlikely(!pte_present(pte))) {
			if (copy_nonpresent_pte(c, pt_slot(dst_table, i), pte,
						addr))
				return -ENOMEM;
			continue;
		}
		copy_present_pte(c, pt_slot(dst_table, i), src_pte, pte, addr);
	}
	return 0;
}

static int copy_pmd_range(struct copy_ctx *c, pud_t *dst_pud, pud_t *src_pud,
			  unsigned long addr, unsigned long end)
{
	pmd_t *dst_pmd = pmd_alloc(c->dst_mm, dst_pud, addr);
	unsigned long next;

	if (!dst_pmd)
		return -ENOMEM;
	do {
		pmd_t *src_pmd = pmd_offset(src_pud, addr);
		pmd_t v = pmdp_get(src_pmd);

		next = pmd_addr_end(addr, end);
		if (pmd_none(v))
			continue;
		if (unlikely(pmd_leaf(v) || pmd_bad(v))) {
			WARN(1, "huge or bad pmd %016llx in a user range\n",
			     (unsigned long long)pmd_val(v));
			continue;
		}
		if (copy_pte_range(c, pmd_offset(dst_pud, addr), src_pmd, addr,
				   next))
			return -ENOMEM;
	} while ((addr = next) != end);
	return 0;
}

static int copy_pud_range(struct copy_ctx *c, p4d_t *dst_p4d, p4d_t *src_p4d,
			  unsigned long addr, unsigned long end)
{
	pud_t *dst_pud = pud_alloc(c->dst_mm, dst_p4d, addr);
	unsigned long next;

	if (!dst_pud)
		return -ENOMEM;
	do {
		pud_t *src_pud = pud_offset(src_p4d, addr);

		next = pud_addr_end(addr, end);
		if (pud_none(pudp_get(src_pud)))
			continue;
		if (copy_pmd_range(c, pud_offset(dst_p4d, addr), src_pud, addr,
				   next))
			return -ENOMEM;
	} while ((addr = next) != end);
	return 0;
}

static int copy_p4d_range(struct copy_ctx *c, pgd_t *dst_pgd, pgd_t *src_pgd,
			  unsigned long addr, unsigned long end)
{
	p4d_t *dst_p4d = p4d_alloc(c->dst_mm, dst_pgd, addr);
	unsigned long next;

	if (!dst_p4d)
		return -ENOMEM;
	do {
		p4d_t *src_p4d = p4d_offset(src_pgd, addr);

		next = p4d_addr_end(addr, end);
		if (p4d_none(p4dp_get(src_p4d)))
			continue;
		if (copy_pud_range(c, p4d_offset(dst_pgd, addr), src_p4d, addr,
				   next))
			return -ENOMEM;
	} while ((addr = next) != end);
	return 0;
}

int copy_page_range(struct vm_area_struct *dst_vma,
		    struct vm_area_struct *src_vma)
{
	struct copy_ctx c = {
		.dst_vma = dst_vma,
		.src_vma = src_vma,
		.dst_mm = dst_vma->vm_mm,
		.src_mm = src_vma->vm_mm,
		.cow = is_cow_mapping(src_vma->vm_flags),
	};
	unsigned long addr = src_vma->vm_start, end = src_vma->vm_end, next;
	int ret = 0;

	if (!vma_needs_copy(src_vma))
		return 0;
	do {
		pgd_t *src_pgd = pgd_offset(c.src_mm, addr);

		next = pgd_addr_end(addr, end);
		if (pgd_none(pgdp_get(src_pgd)))
			continue;
		ret = copy_p4d_range(&c, pgd_offset(c.dst_mm, addr), src_pgd,
				     addr, next);
	} while (!ret && (addr = next) != end);
	for (int i = 0; i < NR_MM_COUNTERS; i++)
		add_mm_counter(c.dst_mm, i, c.rss[i]);
	return ret;
}

/* ---- unmapping ------------------------------------------------------------------- */

struct zap_details {
	struct mmu_gather *tlb;
};

static int zap_pte(pte_t *pte, unsigned long addr, unsigned long next,
		   struct mm_walk *walk)
{
	struct zap_details *d = walk->private;
	struct mm_struct *mm = walk->mm;
	struct page *page;
	pte_t v = ptep_get(pte);

	(void)next;
	if (pte_none(v))
		return 0;
	ptep_get_and_clear(mm, addr, pte);
	tlb_remove_tlb_entry(d->tlb, pte, addr);
	if (!pte_present(v)) {
		if (is_swap_pte(v)) {
			dec_mm_counter(mm, MM_SWAPENTS);
			free_swap_and_cache(pte_to_swp_entry(v));
			return 0;
		}
		WARN(1, "non-present pte %016llx at %lx without swap\n",
		     (unsigned long long)pte_val(v), addr);
		return 0;
	}
	page = vm_normal_page(walk->vma, addr, v);
	if (!page)
		return 0;
	dec_mm_counter(mm, mm_counter(page));
	if (pte_dirty(v) && !PageAnon(page))
		SetPageDirty(page);
	page_remove_rmap(page, walk->vma);
	/* Linux does this in folio_remove_rmap_ptes(). */
	munlock_vma_page(page, walk->vma);
	/* The last mapping of a swap-cache page: its slot may go
	 * (free_swap_cache at the TLB batch's end). */
	if (PageSwapCache(page) && !page_mapped(page))
		try_to_free_swap(page);
	tlb_remove_page(d->tlb, page);
	return 0;
}

static const struct mm_walk_ops zap_ops = { .pte_entry = zap_pte };

static void unmap_page_range(struct mmu_gather *tlb, struct vm_area_struct *vma,
			     unsigned long start, unsigned long end)
{
	struct zap_details d = { tlb };

	walk_page_range(vma->vm_mm, start, end, &zap_ops, vma, &d);
}

void unmap_vmas(struct mmu_gather *tlb, struct vm_area_struct *vma,
		unsigned long start, unsigned long end)
{
	for (; vma && vma->vm_start < end; vma = vma->vm_next) {
		unsigned long s = max(start, vma->vm_start);
		unsigned long e = min(end, vma->vm_end);

		if (s < e)
			unmap_page_range(tlb, vma, s, e);
	}
}

void zap_page_range_single(struct vm_area_struct *vma, unsigned long start,
			   unsigned long size)
{
	struct mmu_gather tlb;

	tlb_gather_mmu(&tlb, vma->vm_mm);
	update_hiwater_rss(vma->vm_mm);
	unmap_page_range(&tlb, vma, start, start + size);
	tlb_finish_mmu(&tlb);
}

void free_pgtables(struct mmu_gather *tlb, struct vm_area_struct *vma,
		   struct vm_area_struct *end_vma, unsigned long floor,
		   unsigned long ceiling)
{
	for (; vma && vma != end_vma; vma = vma->vm_next) {
		struct vm_area_struct *next = vma->vm_next;

		unlink_anon_vmas(vma);
		free_pgd_range(tlb, vma->vm_start, vma->vm_end, floor,
			       next && next != end_vma ? next->vm_start :
							 ceiling);
	}
}
