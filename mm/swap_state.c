/* The swap cache (mm/swap_state.c): pages on their way to or from swap,
 * found by swap entry (Linux's per-type xarray is an array per area
 * here), counted in nr_swapcached and meminfo SwapCached; add_to_swap
 * for reclaim, swap-in with readahead of 2^vm.page-cluster slots around
 * the fault's (swap_cluster_readahead), and the wait of a task for swap
 * I/O. */
#include "mm/swap.h"

#include <stdlib.h>

#include "kernel/printk.h"
#include "kernel/sched.h"
#include "kernel/sched/run.h"
#include "kernel/sched/task.h"
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

struct page *lookup_swap_cache(swp_entry_t entry)
{
	struct page **slot = cache_slot(entry);
	struct page *page = slot ? *slot : NULL;

	if (!page)
		return NULL;
	get_page(page);
	/* A readahead page's first use (swap_cache_get_folio). */
	if (!PageWriteback(page) && test_bit_flag(page, PG_reclaim)) {
		page->flags &= ~(1UL << PG_reclaim);
		count_vm_event(SWAP_RA_HIT);
	}
	return page;
}

void add_to_swap_cache(struct page *page, swp_entry_t entry)
{
	struct page **slot = cache_slot(entry);

	if (WARN_ON(!slot || *slot))
		return;
	get_page(page);
	page->flags |= 1UL << PG_swapbacked | 1UL << PG_owner_priv_1;
	page->private = entry.val;
	*slot = page;
	/* Swap cache pages count as file pages too, as in Linux (meminfo
	 * Cached leaves them out). */
	__mod_node_page_state(page_pgdat(page), NR_FILE_PAGES, 1);
	__mod_node_page_state(page_pgdat(page), NR_SWAPCACHE, 1);
}

void delete_from_swap_cache(struct page *page)
{
	swp_entry_t entry = page_swap_entry(page);
	struct page **slot = cache_slot(entry);

	if (WARN_ON(!slot || *slot != page))
		return;
	*slot = NULL;
	page->flags &= ~(1UL << PG_owner_priv_1);
	page->private = 0;
	__mod_node_page_state(page_pgdat(page), NR_FILE_PAGES, -1);
	__mod_node_page_state(page_pgdat(page), NR_SWAPCACHE, -1);
	put_swap_page(entry);
	put_page(page);
}

bool add_to_swap(struct page *page)
{
	swp_entry_t entry = get_swap_page();

	if (!entry.val)
		return false;
	add_to_swap_cache(page, entry);
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

	if (!swap_count(entry))
		return NULL; /* freed meanwhile: nothing to read */
	page = alloc_pages(gfp, 0);
	if (!page)
		return NULL;
	page->flags |= 1UL << PG_locked | 1UL << PG_swapbacked;
	/* The cache's claim on the slot (swapcache_prepare). */
	swp_swap_info(entry)->swap_map[swp_offset(entry)] |= SWAP_HAS_CACHE;
	add_to_swap_cache(page, entry);
	lru_cache_add(page);
	return page;
}

struct page *swapin_readahead(swp_entry_t entry, gfp_t gfp, bool sync, bool *io)
{
	struct swap_info_struct *si = swp_swap_info(entry);
	unsigned long off = swp_offset(entry), nr, start, end;
	struct page *page;

	*io = false;
	if (!si)
		return NULL;
	page = read_swap_cache_async(entry, gfp);
	if (!page)
		return NULL;
	*io = true;
	swap_readpage(page, sync);
	/* The cluster of 2^page-cluster slots around it (aligned), those
	 * in use and not cached, without reclaim (GFP_NOWAIT-like). */
	nr = 1UL << min(M->page_cluster, 16);
	start = off & ~(nr - 1);
	end = min(start + nr, (unsigned long)si->max);
	for (unsigned long o = start ? start : 1; nr > 1 && o < end; o++) {
		swp_entry_t e = swp_entry(si->type, o);
		struct page *ra;

		if (o == off || si->swap_cache[o] ||
		    !(si->swap_map[o] & ~SWAP_HAS_CACHE) ||
		    si->swap_map[o] == SWAP_MAP_BAD)
			continue;
		ra = read_swap_cache_async(e, (gfp & ~__GFP_RECLAIM) |
						      __GFP_NOWARN);
		if (!ra)
			break;
		ra->flags |= 1UL << PG_reclaim; /* PG_readahead */
		count_vm_event(SWAP_RA);
		swap_readpage(ra, sync);
		put_page(ra);
	}
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

static void swap_sleep_on(struct wait_queue_head *q)
{
	struct wait_queue_entry *wq = calloc(1, sizeof(*wq));

	if (!wq)
		return; /* no host memory: the retry just comes sooner */
	wq->private = current;
	wq->func = swap_wake_function;
	add_wait_queue(q, wq);
	set_current_state(TASK_UNINTERRUPTIBLE);
	io_schedule();
}

void swap_wait_io(void)
{
	swap_sleep_on(&M->swap->wait);
}

void reclaim_throttle(void)
{
	swap_sleep_on(&M->swap->throttle);
}

bool swap_io_pending(void)
{
	return M->swap &&
	       (global_node_page_state(NR_WRITEBACK) || M->swap->nr_reads);
}
