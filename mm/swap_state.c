/* The swap cache (mm/swap_state.c): pages on their way to or from swap,
 * found by swap entry (Linux's per-type xarray is an array per area
 * here), counted in nr_swapcached and meminfo SwapCached; the shadow
 * entries reclaim leaves at evicted pages' slots (mm/workingset.c),
 * dropped when the slot is freed; add_to_swap for reclaim, swap-in with
 * Linux's adaptive readahead (by virtual address around the fault, or
 * by slot on rotating disks), /sys/kernel/mm/swap/vma_ra_enabled, and
 * the wait of a task for swap I/O or memory (a memory stall for psi). */
#include "mm/swap.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/printk.h"
#include "kernel/sched.h"
#include "kernel/sched/psi.h"
#include "kernel/sched/run.h"
#include "kernel/sched/task.h"
#include "mm/vma.h"
#include "mm/vmstat.h"

static struct page **cache_slot(swp_entry_t entry)
{
	struct swap_info_struct *si = swp_swap_info(entry);

	return si ? &si->swap_cache[swp_offset(entry)] : NULL;
}

/* The cached page of entry without a reference or a readahead hit. */
static struct page *lookup_swap_cache_peek(swp_entry_t entry)
{
	struct page **slot = cache_slot(entry);

	return slot ? *slot : NULL;
}

/* ---- the cache's xarray nodes and shadows ---------------------------------- */

bool init_swap_address_space(struct swap_info_struct *si)
{
	unsigned long nodes = si->max / XA_CHUNK_SIZE + 1;

	si->xa_nodes = calloc(nodes, sizeof(*si->xa_nodes));
	if (!si->xa_nodes)
		return false;
	for (unsigned long n = 0; n < nodes; n++) {
		si->xa_nodes[n].type = (unsigned char)si->type;
		INIT_LIST_HEAD(&si->xa_nodes[n].lru);
	}
	si->swap_cache = calloc(si->max, sizeof(*si->swap_cache));
	si->shadows = calloc(si->max, sizeof(*si->shadows));
	return si->swap_cache && si->shadows;
}

void exit_swap_address_space(struct swap_info_struct *si)
{
	/* off the shadow_nodes list (none is on it after swapoff) */
	if (si->xa_nodes)
		for (unsigned long n = 0; n <= si->max / XA_CHUNK_SIZE; n++)
			list_del(&si->xa_nodes[n].lru);
	free(si->swap_cache);
	free(si->shadows);
	free(si->xa_nodes);
}

/* A node holding only shadows, on Linux's shadow_nodes list. */
static bool shadow_node(const struct swap_xa_node *node)
{
	return node->nr_values && node->count == node->nr_values;
}

/* Slot off gains or loses a page or a shadow; workingset_nodes follows
 * its node (workingset_update_node). The xarray nodes are not in
 * simulated RAM: they count on the first node. */
static void xa_node_change(struct swap_info_struct *si, unsigned long off,
			   int pages, int values)
{
	struct swap_xa_node *node = &si->xa_nodes[off >> XA_CHUNK_SHIFT];
	bool listed = shadow_node(node);

	node->count = (unsigned char)(node->count + pages + values);
	node->nr_values = (unsigned char)(node->nr_values + values);
	if (listed == shadow_node(node))
		return;
	__mod_node_page_state(NODE_DATA(0), WORKINGSET_NODES, listed ? -1 : 1);
	if (listed)
		list_del_init(&node->lru);
	else
		list_add_tail(&node->lru, &M->swap->shadow_nodes);
}

/* The shadow at off, now gone (NULL: none). */
static void *take_shadow(struct swap_info_struct *si, unsigned long off)
{
	void *shadow = (void *)si->shadows[off];

	if (!shadow)
		return NULL;
	si->shadows[off] = 0;
	M->swap->nr_shadows--;
	xa_node_change(si, off, 0, -1);
	return shadow;
}

void clear_shadow_from_swap_cache(struct swap_info_struct *si,
				  unsigned long off)
{
	take_shadow(si, off);
}

unsigned long swap_shadow_nodes_reclaim(unsigned long nr)
{
	struct list_head *list = &M->swap->shadow_nodes;
	unsigned long freed = 0;

	for (; freed < nr && !list_empty(list); freed++) {
		struct swap_xa_node *node =
			list_first_entry(list, struct swap_xa_node, lru);
		struct swap_info_struct *si = M->swap->swap_info[node->type];
		unsigned long off = (unsigned long)(node - si->xa_nodes)
				    << XA_CHUNK_SHIFT;
		unsigned long end =
			min(off + XA_CHUNK_SIZE, (unsigned long)si->max);

		/* the last shadow taken unlists the node */
		for (; off < end; off++)
			take_shadow(si, off);
		__mod_node_page_state(NODE_DATA(0), WORKINGSET_NODERECLAIM, 1);
	}
	return freed;
}

/* ---- pages in and out of the cache ------------------------------------------ */

void add_to_swap_cache(struct page *page, swp_entry_t entry, void **shadowp)
{
	struct swap_info_struct *si = swp_swap_info(entry);
	unsigned long off = swp_offset(entry);
	void *shadow;

	if (WARN_ON(!si || si->swap_cache[off]))
		return;
	get_page(page);
	page->flags |= 1UL << PG_swapbacked | 1UL << PG_owner_priv_1;
	page->private = entry.val;
	si->swap_cache[off] = page;
	xa_node_change(si, off, 1, 0);
	shadow = take_shadow(si, off);
	if (shadowp)
		*shadowp = shadow;
	/* Swap cache pages count as file pages too, as in Linux (meminfo
	 * Cached leaves them out). */
	__mod_node_page_state(page_pgdat(page), NR_FILE_PAGES, 1);
	__mod_node_page_state(page_pgdat(page), NR_SWAPCACHE, 1);
}

void __delete_from_swap_cache(struct page *page, void *shadow)
{
	swp_entry_t entry = page_swap_entry(page);
	struct swap_info_struct *si = swp_swap_info(entry);
	unsigned long off = swp_offset(entry);

	if (WARN_ON(!si || si->swap_cache[off] != page))
		return;
	si->swap_cache[off] = NULL;
	xa_node_change(si, off, -1, 0);
	if (shadow) {
		si->shadows[off] = (unsigned long)shadow;
		M->swap->nr_shadows++;
		xa_node_change(si, off, 0, 1);
	}
	page->flags &= ~(1UL << PG_owner_priv_1);
	page->private = 0;
	__mod_node_page_state(page_pgdat(page), NR_FILE_PAGES, -1);
	__mod_node_page_state(page_pgdat(page), NR_SWAPCACHE, -1);
	/* A slot this frees takes its new shadow with it. */
	put_swap_page(entry);
	put_page(page);
}

void delete_from_swap_cache(struct page *page)
{
	__delete_from_swap_cache(page, NULL);
}

bool add_to_swap(struct page *page)
{
	swp_entry_t entry = get_swap_page();

	if (!entry.val)
		return false;
	add_to_swap_cache(page, entry, NULL);
	page->flags |= 1UL << PG_uptodate;
	/* Its contents are on no swap yet (folio_mark_dirty). */
	SetPageDirty(page);
	return true;
}

bool try_to_free_swap(struct page *page)
{
	if (!PageSwapCache(page) || PageWriteback(page) || PageLocked(page) ||
	    swap_count(page_swap_entry(page)))
		return false;
	delete_from_swap_cache(page);
	/* Its swap copy is gone: only the page holds the data now. */
	SetPageDirty(page);
	return true;
}

/* A new page in the swap cache for entry, locked for its read, on the
 * LRU (__read_swap_cache_async); NULL when no page can be had or the
 * slot is free. */
static struct page *read_swap_cache_async(swp_entry_t entry, gfp_t gfp)
{
	struct page *page;
	void *shadow = NULL;

	if (!swap_count(entry))
		return NULL; /* freed meanwhile: nothing to read */
	page = alloc_pages(gfp, 0);
	if (!page)
		return NULL;
	page->flags |= 1UL << PG_locked | 1UL << PG_swapbacked;
	/* The cache's claim on the slot (swapcache_prepare). */
	swp_swap_info(entry)->swap_map[swp_offset(entry)] |= SWAP_HAS_CACHE;
	add_to_swap_cache(page, entry, &shadow);
	/* Evicted earlier: a refault, perhaps activated at once. */
	if (shadow)
		workingset_refault(page, shadow);
	lru_cache_add(page);
	return page;
}

/* ---- swap-in readahead ------------------------------------------------------ */

/* VMA readahead state in vma->swap_readahead_info, as Linux packs it:
 * the last fault's page address, the last window (bits 6..11) and the
 * readahead hits since (bits 0..5). */
#define SWAP_RA_WIN_SHIFT (PAGE_SHIFT / 2)
#define SWAP_RA_HITS_MASK ((1UL << SWAP_RA_WIN_SHIFT) - 1)
#define SWAP_RA_HITS_MAX SWAP_RA_HITS_MASK
#define SWAP_RA_WIN_MASK (~PAGE_MASK & ~SWAP_RA_HITS_MASK)
#define SWAP_RA_ORDER_CEILING 5 /* the largest VMA window: 2^5 pages */

static unsigned long swap_ra_val(unsigned long addr, unsigned long win,
				 unsigned long hits)
{
	return (addr & PAGE_MASK) | win << SWAP_RA_WIN_SHIFT | hits;
}

/* Readahead by virtual address (around the fault, in its VMA) unless
 * it is switched off (/sys/kernel/mm/swap/vma_ra_enabled) or a swap
 * area on a rotating disk is on, where the slots around the fault's
 * cost no seek (swap_use_vma_readahead). */
static bool swap_use_vma_readahead(void)
{
	return M->swap->vma_ra_enabled && !M->swap->nr_rotate_swap;
}

void vma_ra_enabled_show(struct seq_file *m)
{
	seq_puts(m, M->swap->vma_ra_enabled ? "true\n" : "false\n");
}

/* kstrtobool(): y, t, 1, on are true; n, f, 0, off false. */
int vma_ra_enabled_store(const char *value, char *err, size_t errlen)
{
	char c0 = value[0], c1 = c0 ? value[1] : 0;

	if (strchr("yYtT1", c0) && c0) {
		M->swap->vma_ra_enabled = true;
	} else if (strchr("nNfF0", c0) && c0) {
		M->swap->vma_ra_enabled = false;
	} else if ((c0 == 'o' || c0 == 'O') && c1 && strchr("nNfF", c1)) {
		M->swap->vma_ra_enabled = c1 == 'n' || c1 == 'N';
	} else {
		snprintf(
			err, errlen,
			"/sys/kernel/mm/swap/vma_ra_enabled: Invalid argument (%s: expected true or false)",
			value);
		return -EINVAL;
	}
	return 0;
}

/* A cached page was found by a fault at addr of vma (NULL: not a
 * fault): its readahead flag goes, counted as a hit of the VMA's window
 * or of the cluster readahead's (swap_update_readahead). */
static void swap_update_readahead(struct page *page, struct vm_area_struct *vma,
				  unsigned long addr)
{
	bool readahead = !PageWriteback(page) &&
			 test_bit_flag(page, PG_reclaim);
	bool vma_ra = swap_use_vma_readahead();

	if (readahead)
		page->flags &= ~(1UL << PG_reclaim);
	if (vma && vma_ra) {
		unsigned long ra = vma->swap_readahead_info;
		unsigned long hits = ra & SWAP_RA_HITS_MASK;

		if (readahead)
			hits = min(hits + 1, SWAP_RA_HITS_MAX);
		vma->swap_readahead_info = swap_ra_val(
			addr, (ra & SWAP_RA_WIN_MASK) >> SWAP_RA_WIN_SHIFT,
			hits);
	}
	if (readahead) {
		count_vm_event(SWAP_RA_HIT);
		if (!vma || !vma_ra)
			M->swap->ra_hits++;
	}
}

struct page *lookup_swap_cache(swp_entry_t entry, struct vm_area_struct *vma,
			       unsigned long addr)
{
	struct page **slot = cache_slot(entry);
	struct page *page = slot ? *slot : NULL;

	if (!page)
		return NULL;
	get_page(page);
	swap_update_readahead(page, vma, addr);
	return page;
}

/* The next window, from the last one (prev_win), the readahead hits
 * since, and whether this fault (offset, a slot or a page number) is
 * next to the last (prev_offset): hits + 2 pages rounded up to a power
 * of two from 4, or 1 page without hits unless the faults are
 * adjacent; at most max_pages, and never below half the last window
 * (Linux's __swapin_nr_pages heuristic). */
static unsigned int swapin_nr_pages_of(unsigned long prev_offset,
				       unsigned long offset, unsigned int hits,
				       unsigned int max_pages,
				       unsigned int prev_win)
{
	unsigned int pages = hits + 2;

	if (pages == 2) {
		if (offset != prev_offset + 1 && offset != prev_offset - 1)
			pages = 1;
	} else {
		pages = max(4u, (unsigned int)roundup_pow_of_two(pages));
	}
	return max(min(pages, max_pages), prev_win / 2);
}

/* The cluster readahead's window for a fault on slot offset, from the
 * hits counted since the last one (swapin_nr_pages). */
static unsigned int swapin_nr_pages(unsigned long offset)
{
	struct swap_state *s = M->swap;
	unsigned int max_pages = 1u << min(M->page_cluster, 16);
	unsigned int hits = s->ra_hits, pages;

	if (max_pages <= 1)
		return 1;
	s->ra_hits = 0;
	pages = swapin_nr_pages_of(s->ra_prev_offset, offset, hits, max_pages,
				   s->ra_last_pages);
	if (!hits)
		s->ra_prev_offset = offset;
	s->ra_last_pages = pages;
	return pages;
}

/* Reads entry into a new swap-cache page: the fault's own page (gfp as
 * given; *page set, NULL when none could be had) or a readahead page
 * (no reclaim, PG_readahead and SWAP_RA; skipped when it is cached,
 * free or bad). */
static void swapin_one(swp_entry_t entry, gfp_t gfp, bool sync,
		       struct page **page)
{
	struct swap_info_struct *si = swp_swap_info(entry);
	unsigned long off = swp_offset(entry);
	struct page *ra;

	if (page) {
		*page = read_swap_cache_async(entry, gfp);
		if (*page)
			swap_readpage(*page, sync);
		return;
	}
	if (!si || si->swap_cache[off] ||
	    !(si->swap_map[off] & ~SWAP_HAS_CACHE) ||
	    si->swap_map[off] == SWAP_MAP_BAD)
		return;
	ra = read_swap_cache_async(entry,
				   (gfp & ~__GFP_RECLAIM) | __GFP_NOWARN);
	if (!ra)
		return;
	ra->flags |= 1UL << PG_reclaim; /* PG_readahead */
	count_vm_event(SWAP_RA);
	swap_readpage(ra, sync);
	put_page(ra);
}

/* The aligned block of swapin_nr_pages() slots around entry's, in
 * order, entry's own among them (swap_cluster_readahead). */
static struct page *swap_cluster_readahead(swp_entry_t entry, gfp_t gfp,
					   bool sync)
{
	struct swap_info_struct *si = swp_swap_info(entry);
	unsigned long off = swp_offset(entry);
	unsigned long mask = swapin_nr_pages(off) - 1;
	unsigned long start = off & ~mask, end = off | mask;
	struct page *page = NULL;

	start = max(start, 1UL); /* slot 0 is the swap header */
	end = min(end, (unsigned long)si->max - 1);
	for (unsigned long o = start; o <= end; o++)
		swapin_one(swp_entry(si->type, o), gfp, sync,
			   o == off ? &page : NULL);
	return page;
}

/* The VMA readahead's window for the fault vmf, and the range of
 * addresses it covers in [*start, *end): after the fault when it
 * follows the last one, before it when it precedes it, else centred on
 * it; inside the VMA and the fault's page table (swap_vma_ra_win). */
static unsigned int swap_vma_ra_win(struct vm_fault *vmf, unsigned long *start,
				    unsigned long *end)
{
	struct vm_area_struct *vma = vmf->vma;
	unsigned long ra = vma->swap_readahead_info, faddr = vmf->address;
	unsigned long prev = ra & PAGE_MASK, left;
	unsigned int max_win = 1u
			       << min(M->page_cluster, SWAP_RA_ORDER_CEILING),
		     win;

	if (max_win == 1)
		return 1;
	win = swapin_nr_pages_of(prev >> PAGE_SHIFT, faddr >> PAGE_SHIFT,
				 ra & SWAP_RA_HITS_MASK, max_win,
				 (ra & SWAP_RA_WIN_MASK) >> SWAP_RA_WIN_SHIFT);
	vma->swap_readahead_info = swap_ra_val(faddr, win, 0);
	if (win == 1)
		return 1;
	if (faddr == prev + PAGE_SIZE)
		left = faddr;
	else if (prev == faddr + PAGE_SIZE)
		left = faddr - ((unsigned long)win << PAGE_SHIFT) + PAGE_SIZE;
	else
		left = faddr - ((unsigned long)(win - 1) / 2 << PAGE_SHIFT);
	if (left > faddr) /* wrapped below 0 */
		left = 0;
	*start = max(max(left, vma->vm_start), faddr & PMD_MASK);
	*end = min(min(left + ((unsigned long)win << PAGE_SHIFT), vma->vm_end),
		   (faddr & PMD_MASK) + PMD_SIZE);
	return win;
}

/* The swap entries of the PTEs around the fault, in address order, the
 * fault's own among them (swap_vma_readahead). */
static struct page *swap_vma_readahead(swp_entry_t entry, gfp_t gfp,
				       struct vm_fault *vmf, bool sync)
{
	struct mm_struct *mm = vmf->vma->vm_mm;
	unsigned long start, end;
	struct page *page = NULL;

	if (swap_vma_ra_win(vmf, &start, &end) == 1) {
		swapin_one(entry, gfp, sync, &page);
		return page;
	}
	for (unsigned long addr = start; addr < end; addr += PAGE_SIZE) {
		pte_t *pte = mm_find_pte(mm, addr);

		if (addr == vmf->address)
			swapin_one(entry, gfp, sync, &page);
		else if (pte && is_swap_pte(ptep_get(pte)))
			swapin_one(pte_to_swp_entry(ptep_get(pte)), gfp, sync,
				   NULL);
	}
	return page;
}

struct page *swapin_readahead(swp_entry_t entry, gfp_t gfp,
			      struct vm_fault *vmf, bool sync, bool *io)
{
	struct page *page;

	*io = false;
	if (!swp_swap_info(entry))
		return NULL;
	page = swap_use_vma_readahead() ?
		       swap_vma_readahead(entry, gfp, vmf, sync) :
		       swap_cluster_readahead(entry, gfp, sync);
	*io = page != NULL;
	return page;
}

void swapin_prefetch(swp_entry_t entry)
{
	struct page *page;

	if (!swp_swap_info(entry) || lookup_swap_cache_peek(entry))
		return;
	page = read_swap_cache_async(
		entry, GFP_HIGHUSER_MOVABLE | __GFP_NORETRY | __GFP_NOWARN);
	if (!page)
		return;
	swap_readpage(page, !in_task_body());
	put_page(page);
}

/* The waiter's entry lives in host memory until its wakeup: a task body
 * cannot keep one on its C stack across steps. */
static int swap_wake_function(struct wait_queue_entry *wq, unsigned int mode,
			      int flags, void *key)
{
	int ret = default_wake_function(wq, mode, flags, key);

	list_del(&wq->entry);
	free(wq);
	return ret;
}

void swap_waiters_free(struct wait_queue_head *q)
{
	struct wait_queue_entry *wq, *next;

	list_for_each_entry_safe(wq, next, &q->head, entry)
		if (wq->func == swap_wake_function) {
			list_del(&wq->entry);
			free(wq);
		}
}

/* current sleeps in D on q until woken; a memory stall (psi) from now
 * until swap_wait_done() when memstall. */
static void swap_sleep_on(struct wait_queue_head *q, bool memstall)
{
	struct wait_queue_entry *wq = calloc(1, sizeof(*wq));
	unsigned long pflags;

	if (!wq)
		return; /* no host memory: the retry just comes sooner */
	if (memstall)
		psi_memstall_enter(&pflags);
	wq->private = current;
	wq->func = swap_wake_function;
	add_wait_queue(q, wq);
	set_current_state(TASK_UNINTERRUPTIBLE);
	io_schedule();
}

void swap_wait_io(bool memstall)
{
	swap_sleep_on(&M->swap->wait, memstall);
}

void reclaim_throttle(void)
{
	swap_sleep_on(&M->swap->throttle, true);
}

void swap_wait_done(void)
{
	/* A fault sleeps only at the top of a step, outside any other
	 * stall: whatever stall current is in began with that sleep. */
	unsigned long pflags = 0;

	if (current->in_memstall)
		psi_memstall_leave(&pflags);
}

bool swap_io_pending(void)
{
	return M->swap &&
	       (global_node_page_state(NR_WRITEBACK) || M->swap->nr_reads);
}
