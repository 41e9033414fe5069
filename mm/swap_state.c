/* The swap cache (mm/swap_state.c): pages on their way to or from swap,
 * found by swap entry (Linux's per-type xarray is an array per area
 * here), counted in nr_swapcached and meminfo SwapCached; the shadow
 * entries reclaim leaves at evicted pages' slots (mm/workingset.c),
 * dropped when the slot is freed; add_to_swap
 * for reclaim, swap-in with readahead of 2^vm.page-cluster slots around
 * the fault's (swap_cluster_readahead), and the wait of a task for swap
 * I/O or memory (a memory stall for psi). */
#include "mm/swap.h"

#include <stdlib.h>

#include "kernel/printk.h"
#include "kernel/sched.h"
#include "kernel/sched/psi.h"
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

/* ---- the cache's xarray nodes and shadows ---------------------------------- */

bool init_swap_address_space(struct swap_info_struct *si)
{
	si->swap_cache = calloc(si->max, sizeof(*si->swap_cache));
	si->shadows = calloc(si->max, sizeof(*si->shadows));
	si->xa_nodes =
		calloc(si->max / XA_CHUNK_SIZE + 1, sizeof(*si->xa_nodes));
	return si->swap_cache && si->shadows && si->xa_nodes;
}

void exit_swap_address_space(struct swap_info_struct *si)
{
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
	if (listed != shadow_node(node))
		__mod_node_page_state(NODE_DATA(0), WORKINGSET_NODES,
				      listed ? -1 : 1);
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
