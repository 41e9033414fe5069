/* Page reclaim (mm/vmscan.c): the active/inactive LRU aging of each node,
 * scan balance between anonymous and file pages by vm.swappiness and scan
 * priority (12 down to 0), shrink_page_list() deciding each page's fate
 * (activate, keep, swap out, drop), the slab shrinkers, kswapd per node
 * and direct reclaim in the allocator's slow path. Which pages go is the
 * reclaim policy's choice (mm/reclaim_policy.h): Linux's active/inactive
 * LRU, defined here, is the default.
 *
 * Costs: reclaim charges walk_step (kernel/cost.h) per page it scans, the
 * rmap lookup of its PTEs, to the task reclaiming (kswapd, or the task
 * that allocates in direct reclaim). Swap writes are asynchronous: a
 * page written out is freed by a later scan once its bio is done. */
#include "mm/swap.h"

#include <stdlib.h>

#include "kernel/kthread.h"
#include "kernel/printk.h"
#include "kernel/sched.h"
#include "kernel/sched/psi.h"
#include "kernel/sched/run.h"
#include "kernel/sched/task.h"
#include "kernel/time/time.h"
#include "mm/internal.h"
#include "mm/reclaim_policy.h"
#include "mm/rmap.h"
#include "mm/slab.h"
#include "mm/vma.h"
#include "mm/vmstat.h"

#define DEF_PRIORITY 12

struct scan_control {
	unsigned long nr_to_reclaim;
	gfp_t gfp_mask;
	int priority;
	enum zone_type reclaim_idx;
	bool may_writepage; /* __GFP_IO: swap I/O may start */
	bool may_swap;
	bool kswapd; /* else direct reclaim (or MADV_PAGEOUT) */
	bool ignore_references; /* MADV_PAGEOUT */
	unsigned long nr_scanned, nr_reclaimed;
	unsigned long nr_writeback; /* of the batch being shrunk */
	unsigned long nr_pageout; /* of the batch: swap writes started */
	unsigned long nr_queued; /* of the pass: swap writes started */
	/* Every page of a batch was under writeback: scanning on finds
	 * nothing until it ends (Linux throttles here). */
	bool writeback_stall;
};

/* kswapd of one node (pgdat->kswapd* in Linux). */
struct kswapd_node {
	struct task_struct *task;
	struct wait_queue_head wait;
	struct wait_queue_entry wq; /* kswapd's own, across steps */
	bool pending; /* woken: balance the node */
	int order;
	enum zone_type highest_zoneidx;
	int priority; /* of the balance_pgdat round under way */
	unsigned long nr_reclaimed_round;
	bool io_wait; /* asleep on the swap throttle queue */
	bool stalled; /* the last round met only writeback */
	bool napping; /* the short sleep after balancing */
	struct wait_queue_entry io_wq;
};

struct vmscan_state {
	struct kswapd_node node[MAX_NUMNODES];
};

/* ---- LRU moves ------------------------------------------------------------------- */

bool isolate_lru_page(struct page *page)
{
	if (!PageLRU(page))
		return false;
	get_page(page);
	lruvec_del_page(page);
	return true;
}

/* Back on its list (head), and isolation's reference dropped. */
static void putback_lru_page(struct page *page)
{
	lru_cache_add(page);
	put_page(page);
}

/* The last references go: the page is free (flags of the LRU cleared
 * as __folio_put would). */
static void free_isolated_page(struct page *page)
{
	page->flags &= ~(1UL << PG_active | 1UL << PG_referenced |
			 1UL << PG_reclaim | 1UL << PG_workingset);
	put_page(page);
}

static unsigned long lru_size(pg_data_t *pgdat, enum lru_list lru)
{
	return (unsigned long)pgdat->vm_stat[NR_INACTIVE_ANON + lru];
}

/* Linux's inactive_is_low(): the inactive list should hold at least
 * 1/(ratio + 1) of the type, ratio = sqrt(10 * GB) (1 below 1 GB). */
static bool inactive_is_low(pg_data_t *pgdat, enum lru_list inactive_lru)
{
	unsigned long inactive = lru_size(pgdat, inactive_lru);
	unsigned long active = lru_size(pgdat, inactive_lru + 1);
	unsigned long gb = (inactive + active) >> (30 - PAGE_SHIFT);
	unsigned long ratio = 1;

	if (gb) {
		unsigned long x = 10 * gb, r = 0;

		while ((r + 1) * (r + 1) <= x)
			r++;
		ratio = r;
	}
	return inactive * ratio < active;
}

static bool is_file_lru(enum lru_list lru)
{
	return lru == LRU_INACTIVE_FILE || lru == LRU_ACTIVE_FILE;
}

/* Up to nr pages from the tail of list lru onto dst, in their order, the
 * oldest first (isolate_lru_folios): pages put back one by one in that
 * order keep it, as Linux's move_folios_to_lru() keeps it (and the hand
 * of CLOCK passes them in order). Returns how many. */
static unsigned long isolate_lru_pages(pg_data_t *pgdat, enum lru_list lru,
				       unsigned long nr, struct list_head *dst)
{
	struct list_head *src = &pgdat->__lruvec.lists[lru];
	unsigned long taken = 0;

	while (taken < nr && !list_empty(src)) {
		struct page *page = list_last_entry(src, struct page, lru);

		isolate_lru_page(page);
		list_add_tail(&page->lru, dst);
		taken++;
	}
	return taken;
}

/* ---- shrink_page_list ----------------------------------------------------------- */

/* The LRU policy's verdict (folio_check_references). */
static enum page_references page_check_references(struct page *page)
{
	unsigned long vm_flags;
	int ptes = page_referenced(page, &vm_flags);
	bool referenced_page = test_bit_flag(page, PG_referenced);

	page->flags &= ~(1UL << PG_referenced);
	if (vm_flags & VM_LOCKED)
		return PAGEREF_ACTIVATE;
	if (ptes) {
		/* Looked at twice before activation (folio_check_references). */
		page->flags |= 1UL << PG_referenced;
		if (referenced_page || ptes > 1)
			return PAGEREF_ACTIVATE;
		if ((vm_flags & VM_EXEC) && !test_bit_flag(page, PG_swapbacked))
			return PAGEREF_ACTIVATE;
		return PAGEREF_KEEP;
	}
	return PAGEREF_RECLAIM;
}

/* Reclaim keeps the page: to the active list, or back at the head of
 * its list under a policy without active lists. */
static void activate_page(struct page *page)
{
	if (!M->reclaim->active_lists)
		return;
	page->flags |= 1UL << PG_active;
	count_vm_event(PGACTIVATE);
}

/* A clean, unmapped page nobody else holds leaves: from the swap cache
 * (its slot stays, a valid copy, with a shadow entry for workingset
 * detection), or a lazily freed one (__remove_mapping). */
static bool remove_mapping(struct page *page)
{
	if (PageSwapCache(page)) {
		if (page_ref_count(page) != 2)
			return false;
		__delete_from_swap_cache(page, workingset_eviction(page));
	} else if (page_ref_count(page) != 1) {
		return false;
	}
	free_isolated_page(page);
	return true;
}

/* What happens to one isolated page; true when it was freed. */
static bool shrink_page(struct page *page, struct scan_control *sc)
{
	bool lazyfree = PageAnon(page) && !test_bit_flag(page, PG_swapbacked);

	if (PageWriteback(page)) {
		/* Marked for immediate reclaim: its end rotates it to the
		 * tail of the inactive list. */
		if (!test_bit_flag(page, PG_reclaim)) {
			page->flags |= 1UL << PG_reclaim;
			__mod_node_page_state(page_pgdat(page),
					      NR_VMSCAN_IMMEDIATE, 1);
		}
		sc->nr_writeback++;
		return false;
	}
	if (!sc->ignore_references) {
		enum page_references ref = M->reclaim->check_references(page);

		if (ref == PAGEREF_ACTIVATE) {
			activate_page(page);
			return false;
		}
		if (ref == PAGEREF_KEEP)
			return false;
	}
	/* shmem pages are swap-backed but not swapped by mmsim. */
	if (test_bit_flag(page, PG_swapbacked) && !PageAnon(page) &&
	    !PageSwapCache(page)) {
		activate_page(page);
		return false;
	}
	if (PageAnon(page) && !lazyfree && !PageSwapCache(page)) {
		if (!sc->may_writepage || !sc->may_swap)
			return false;
		if (!add_to_swap(page)) {
			activate_page(page); /* swap full or absent */
			return false;
		}
	}
	if (page_mapped(page) && !try_to_unmap(page)) {
		activate_page(page);
		return false;
	}
	if (PageDirty(page)) {
		if (!PageSwapCache(page) || !sc->may_writepage)
			return false;
		page->flags |= 1UL << PG_reclaim;
		swap_writepage(page);
		__mod_node_page_state(page_pgdat(page), NR_VMSCAN_WRITE, 1);
		sc->nr_pageout++;
		sc->nr_queued++;
		return false;
	}
	if (!remove_mapping(page))
		return false;
	if (lazyfree)
		count_vm_event(PGLAZYFREED);
	return true;
}

/* Reclaims what it can of list; the rest goes back on the LRU. */
static unsigned long shrink_page_list(struct list_head *list,
				      struct scan_control *sc)
{
	unsigned long nr_reclaimed = 0;

	while (!list_empty(list)) {
		struct page *page = list_first_entry(list, struct page, lru);

		list_del(&page->lru);
		sc->nr_scanned++;
		if (test_bit_flag(page, PG_unevictable) ||
		    test_bit_flag(page, PG_mlocked)) {
			putback_lru_page(page);
			continue;
		}
		if (shrink_page(page, sc))
			nr_reclaimed++;
		else
			putback_lru_page(page);
	}
	sc->nr_reclaimed += nr_reclaimed;
	return nr_reclaimed;
}

unsigned long reclaim_pages(struct list_head *list)
{
	struct scan_control sc = {
		.gfp_mask = GFP_KERNEL,
		.may_writepage = true,
		.may_swap = true,
		.ignore_references = true,
	};

	return shrink_page_list(list, &sc);
}

/* ---- the lists -------------------------------------------------------------------- */

static void shrink_inactive_list(unsigned long nr_to_scan, pg_data_t *pgdat,
				 struct scan_control *sc, enum lru_list lru)
{
	struct list_head list = LIST_HEAD_INIT(list);
	unsigned long taken = isolate_lru_pages(pgdat, lru, nr_to_scan, &list);
	unsigned long reclaimed;

	if (!taken)
		return;
	cost_charge_n(COST_WALK_STEP, taken);
	count_vm_events(sc->kswapd ? PGSCAN_KSWAPD : PGSCAN_DIRECT, taken);
	count_vm_events(is_file_lru(lru) ? PGSCAN_FILE : PGSCAN_ANON, taken);
	sc->nr_writeback = sc->nr_pageout = 0;
	reclaimed = shrink_page_list(&list, sc);
	if (sc->nr_writeback == taken)
		sc->writeback_stall = true;
	lru_note_cost(&pgdat->__lruvec, is_file_lru(lru), sc->nr_pageout,
		      taken - reclaimed);
	count_vm_events(sc->kswapd ? PGSTEAL_KSWAPD : PGSTEAL_DIRECT,
			reclaimed);
	count_vm_events(is_file_lru(lru) ? PGSTEAL_FILE : PGSTEAL_ANON,
			reclaimed);
}

/* Ages the active list: referenced executable file pages stay, every
 * other page goes to the inactive list (shrink_active_list). */
static void shrink_active_list(unsigned long nr_to_scan, pg_data_t *pgdat,
			       enum lru_list lru)
{
	struct list_head list = LIST_HEAD_INIT(list);
	unsigned long taken = isolate_lru_pages(pgdat, lru, nr_to_scan, &list);
	unsigned long deactivated = 0;

	if (!taken)
		return;
	cost_charge_n(COST_WALK_STEP, taken);
	count_vm_events(PGREFILL, taken);
	while (!list_empty(&list)) {
		struct page *page = list_first_entry(&list, struct page, lru);
		unsigned long vm_flags;

		list_del(&page->lru);
		if (!test_bit_flag(page, PG_unevictable) &&
		    !(page_referenced(page, &vm_flags) &&
		      (vm_flags & VM_EXEC) && is_file_lru(lru))) {
			page->flags &= ~(1UL << PG_active);
			page->flags |= 1UL << PG_workingset;
			deactivated++;
		}
		putback_lru_page(page);
	}
	count_vm_events(PGDEACTIVATE, deactivated);
}

static void shrink_list(enum lru_list lru, unsigned long nr_to_scan,
			pg_data_t *pgdat, struct scan_control *sc)
{
	if (lru == LRU_ACTIVE_ANON || lru == LRU_ACTIVE_FILE) {
		if (M->reclaim->age_active && inactive_is_low(pgdat, lru - 1))
			M->reclaim->age_active(nr_to_scan, pgdat, lru);
		return;
	}
	shrink_inactive_list(nr_to_scan, pgdat, sc, lru);
}

static unsigned long node_free_and_high(pg_data_t *pgdat, unsigned long *high)
{
	unsigned long free = 0;

	*high = 0;
	for (int i = 0; i < MAX_NR_ZONES; i++) {
		struct zone *z = &pgdat->node_zones[i];

		if (!managed_zone(z))
			continue;
		free += zone_page_state(z, NR_FREE_PAGES);
		*high += high_wmark_pages(z);
	}
	return free;
}

/* How many pages of each list to scan (get_scan_count): anon only with
 * swap; file only while the file lists are big enough to trim; otherwise
 * anon and file in the ratio swappiness : 200 - swappiness, both equally
 * at priority 0. Linux also weighs recent reclaim cost (refaults,
 * rotations); mmsim does not (docs/deviations.md). */
/* SCAN_FRACT: the pressure on anon and file goes inversely to what
 * reclaiming each has cost lately, times swappiness (anon's I/O cost
 * relative to file's, 100 being equal); each keeps at least a third of
 * the pressure before swappiness. */
static void scan_fraction(pg_data_t *pgdat, unsigned long *anon_w,
			  unsigned long *file_w)
{
	const struct lruvec *lruvec = &pgdat->__lruvec;
	unsigned long total = lruvec->anon_cost + lruvec->file_cost;
	unsigned long anon_cost = total + lruvec->anon_cost;
	unsigned long file_cost = total + lruvec->file_cost;

	total = anon_cost + file_cost;
	*anon_w = M->vm_swappiness * (total + 1) / (anon_cost + 1);
	*file_w = (200 - M->vm_swappiness) * (total + 1) / (file_cost + 1);
}

static void get_scan_count(pg_data_t *pgdat, struct scan_control *sc,
			   unsigned long nr[NR_LRU_LISTS])
{
	unsigned long anon_w, file_w, high;
	unsigned long file = lru_size(pgdat, LRU_INACTIVE_FILE) +
			     lru_size(pgdat, LRU_ACTIVE_FILE);
	unsigned long free = node_free_and_high(pgdat, &high);
	bool can_anon = sc->may_swap && get_nr_swap_pages() > 0;

	if (!can_anon) {
		anon_w = 0;
		file_w = 1;
	} else if (!sc->priority && M->vm_swappiness) {
		anon_w = file_w = 1;
	} else if (file + free <= high) {
		anon_w = 1; /* file_is_tiny */
		file_w = 0;
	} else if ((lru_size(pgdat, LRU_INACTIVE_FILE) >> sc->priority) &&
		   !inactive_is_low(pgdat, LRU_INACTIVE_FILE)) {
		anon_w = 0; /* cache_trim_mode */
		file_w = 1;
	} else {
		scan_fraction(pgdat, &anon_w, &file_w);
	}
	for (int lru = 0; lru < LRU_UNEVICTABLE; lru++) {
		unsigned long size = lru_size(pgdat, (enum lru_list)lru);
		unsigned long scan = size >> sc->priority;
		unsigned long w = is_file_lru((enum lru_list)lru) ? file_w :
								    anon_w;

		/* A small list is scanned whole once the priority is low. */
		if (!scan && size && sc->priority < DEF_PRIORITY - 2)
			scan = min(size, SWAP_CLUSTER_MAX);
		nr[lru] = anon_w + file_w ? scan * w / (anon_w + file_w) : 0;
		if (w && !nr[lru] && scan)
			nr[lru] = 1;
	}
}

/* A pass has done its part once it has freed, or started the swap
 * writes of, nr_to_reclaim pages (see node_deficit()). */
static bool reclaim_goal_met(const struct scan_control *sc)
{
	return sc->nr_reclaimed + sc->nr_queued >= sc->nr_to_reclaim;
}

static void shrink_lruvec(pg_data_t *pgdat, struct scan_control *sc)
{
	unsigned long nr[NR_LRU_LISTS];

	get_scan_count(pgdat, sc, nr);
	while (nr[LRU_INACTIVE_ANON] || nr[LRU_ACTIVE_FILE] ||
	       nr[LRU_INACTIVE_FILE]) {
		for (int lru = 0; lru < LRU_UNEVICTABLE; lru++) {
			unsigned long n = min(nr[lru], SWAP_CLUSTER_MAX);

			if (!n)
				continue;
			nr[lru] -= n;
			shrink_list((enum lru_list)lru, n, pgdat, sc);
		}
		if (reclaim_goal_met(sc) || sc->writeback_stall)
			break;
	}
	/* Keep the anon lists aged even when file pages were reclaimed. */
	if (M->reclaim->age_active && sc->may_swap && get_nr_swap_pages() > 0 &&
	    inactive_is_low(pgdat, LRU_INACTIVE_ANON))
		M->reclaim->age_active(SWAP_CLUSTER_MAX, pgdat,
				       LRU_ACTIVE_ANON);
}

static void shrink_node(pg_data_t *pgdat, struct scan_control *sc)
{
	unsigned long nr_reclaimed = sc->nr_reclaimed;

	shrink_lruvec(pgdat, sc);
	if (sc->gfp_mask & __GFP_FS)
		sc->nr_reclaimed +=
			shrink_slab(sc->gfp_mask, pgdat->node_id, sc->priority);
	/* Progress revives a kswapd that gave the node up. */
	if (sc->nr_reclaimed > nr_reclaimed)
		pgdat->kswapd_failures = 0;
}

/* Linux's two-list LRU, the default policy: pages enter inactive, a
 * page referenced twice (PG_referenced, or PTE young bits harvested
 * through rmap) is activated, the active list is aged into the
 * inactive one when that gets low (inactive_is_low). Its counters are
 * Linux's own in /proc/vmstat (pgactivate, pgdeactivate, pgrefill). */
const struct reclaim_policy_ops lru_policy_ops = {
	.name = "lru",
	.active_lists = true,
	.mark_accessed = lru_mark_page_accessed,
	.check_references = page_check_references,
	.age_active = shrink_active_list,
};

void drop_slab(void)
{
	unsigned long freed;
	int shift = 0;

	do {
		freed = 0;
		for (int nid = 0; nid < M->nr_nodes; nid++)
			freed += shrink_slab(GFP_KERNEL, nid, 0);
	} while ((freed >> shift++) > 1);
}

/* ---- direct reclaim --------------------------------------------------------------- */

unsigned long try_to_free_pages(gfp_t gfp, unsigned order, int nid,
				enum zone_type highest_zoneidx)
{
	struct scan_control sc = {
		.nr_to_reclaim = SWAP_CLUSTER_MAX,
		.gfp_mask = gfp,
		.reclaim_idx = highest_zoneidx,
		.may_writepage = gfp & __GFP_IO,
		.may_swap = true,
	};

	(void)order;
	if (!(gfp & __GFP_DIRECT_RECLAIM))
		return 0;
	count_vm_event((enum vm_event_item)(ALLOCSTALL_DMA + highest_zoneidx));
	for (sc.priority = DEF_PRIORITY; sc.priority >= 0; sc.priority--) {
		for (int i = 0; i < M->nr_nodes; i++) {
			int n = (nid + i) % M->nr_nodes;

			shrink_node(NODE_DATA(n), &sc);
		}
		if (reclaim_goal_met(&sc) || sc.writeback_stall)
			break;
	}
	return sc.nr_reclaimed;
}

/* ---- kswapd ----------------------------------------------------------------------- */

/* A zone up to highest_zoneidx is above its high watermark, the lowmem
 * reserve for such allocations included: they can be served
 * (pgdat_balanced). */
static bool pgdat_balanced(pg_data_t *pgdat, int order, enum zone_type idx)
{
	for (int i = 0; i <= (int)idx && i < MAX_NR_ZONES; i++) {
		struct zone *z = &pgdat->node_zones[i];

		if (managed_zone(z) &&
		    zone_watermark_ok(z, (unsigned)order, high_wmark_pages(z),
				      idx, 0))
			return true;
	}
	return false;
}

void wakeup_kswapd(struct zone *zone, gfp_t gfp, unsigned order,
		   enum zone_type highest_zoneidx)
{
	struct kswapd_node *ks;

	(void)gfp;
	if (!managed_zone(zone) || !M->vmscan)
		return;
	ks = &M->vmscan->node[zone->node];
	if (!ks->task || pgdat_hopeless(zone->zone_pgdat))
		return;
	if (ks->pending) {
		ks->order = max(ks->order, (int)order);
		ks->highest_zoneidx = max(ks->highest_zoneidx, highest_zoneidx);
		return;
	}
	if (pgdat_balanced(zone->zone_pgdat, (int)order, highest_zoneidx))
		return;
	ks->pending = true;
	ks->order = (int)order;
	ks->highest_zoneidx = highest_zoneidx;
	ks->priority = DEF_PRIORITY;
	ks->nr_reclaimed_round = 0;
	wake_up_interruptible(&ks->wait);
}

/* One priority level of balance_pgdat(): true when the node is balanced. */
/* What the node lacks of its high watermarks, the swap writes under way
 * counted in: once they cover it, kswapd waits for them rather than
 * scan on and write out more. (Linux's writes mostly end within its
 * reclaim, and a later scan frees their pages; mmsim's take virtual
 * time.) */
static unsigned long node_deficit(pg_data_t *pgdat)
{
	unsigned long high, free = node_free_and_high(pgdat, &high) +
				   node_page_state(pgdat, NR_WRITEBACK);

	return high > free ? high - free : 0;
}

static bool balance_pgdat_step(pg_data_t *pgdat, struct kswapd_node *ks)
{
	struct scan_control sc = {
		.gfp_mask = GFP_KERNEL,
		.priority = ks->priority,
		.reclaim_idx = ks->highest_zoneidx,
		.may_writepage = true,
		.may_swap = true,
		.kswapd = true,
	};

	sc.nr_to_reclaim = max(node_deficit(pgdat), SWAP_CLUSTER_MAX);
	shrink_node(pgdat, &sc);
	ks->nr_reclaimed_round += sc.nr_reclaimed;
	ks->stalled = sc.writeback_stall;
	if (pgdat_balanced(pgdat, ks->order, ks->highest_zoneidx))
		return true;
	/* Little reclaimed at this priority: look harder (raise_priority);
	 * not while it only waits for writeback. */
	if (!reclaim_goal_met(&sc) && !sc.writeback_stall && ks->priority > 1)
		ks->priority--;
	return false;
}

/* The end of kswapd's nap: woken for more work already (the low
 * watermark was hit quickly), or the node is short again (the high
 * one): reclaim; else true, for the long sleep. */
static bool kswapd_nap_end(pg_data_t *pgdat, struct kswapd_node *ks)
{
	ks->napping = false;
	finish_wait(&ks->wait, &ks->wq);
	if (ks->pending) {
		count_vm_event(KSWAPD_LOW_WMARK_HIT_QUICKLY);
		return true;
	}
	if (!pgdat_balanced(pgdat, ks->order, ks->highest_zoneidx)) {
		count_vm_event(KSWAPD_HIGH_WMARK_HIT_QUICKLY);
		ks->pending = true;
		ks->priority = DEF_PRIORITY;
		ks->nr_reclaimed_round = 0;
	}
	return true;
}

/* psi: balance_pgdat() is a memory stall of kswapd from the start of a
 * round until the node is balanced or kswapd gives up, its waits for
 * writeback included. */
static void kswapd_memstall(bool stall)
{
	unsigned long pflags = 0;

	if (stall == current->in_memstall)
		return;
	if (stall)
		psi_memstall_enter(&pflags);
	else
		psi_memstall_leave(&pflags);
}

static int kswapd(struct task_struct *p, void *data)
{
	struct kswapd_node *ks = data;
	pg_data_t *pgdat = NODE_DATA((int)(ks - M->vmscan->node));

	(void)p;
	current->in_iowait = false;
	if (ks->io_wait) {
		finish_wait(&M->swap->throttle, &ks->io_wq);
		ks->io_wait = false;
	}
	if (ks->napping && !kswapd_nap_end(pgdat, ks))
		return TASK_BODY_RUN;
	if (!ks->pending) {
		prepare_to_wait(&ks->wait, &ks->wq, TASK_INTERRUPTIBLE);
		schedule();
		return TASK_BODY_RUN;
	}
	finish_wait(&ks->wait, &ks->wq);
	if (ks->priority == DEF_PRIORITY && !ks->nr_reclaimed_round)
		count_vm_event(PAGEOUTRUN);
	kswapd_memstall(true);
	if (swap_io_pending() && !node_deficit(pgdat)) {
		ks->stalled = true;
	} else if (balance_pgdat_step(pgdat, ks)) {
		/* Balanced: a short nap first (kswapd_try_to_sleep). */
		kswapd_memstall(false);
		ks->pending = false;
		ks->napping = true;
		prepare_to_wait(&ks->wait, &ks->wq, TASK_INTERRUPTIBLE);
		schedule_timeout(HZ / 10);
		return TASK_BODY_RUN;
	}
	/* Nothing more to free until writeback ends: wait for it
	 * (reclaim_throttle(VMSCAN_THROTTLE_WRITEBACK)). */
	if (ks->stalled && swap_io_pending()) {
		ks->io_wait = true;
		prepare_to_wait(&M->swap->throttle, &ks->io_wq,
				TASK_UNINTERRUPTIBLE);
		io_schedule();
	} else if (ks->priority <= 1) {
		/* The end of a round (balance_pgdat) that left the node short:
		 * one that freed nothing counts against the node. kswapd goes
		 * on with another (kswapd_try_to_sleep does not sleep on an
		 * unbalanced node) unless the node is now hopeless. */
		if (!ks->nr_reclaimed_round)
			pgdat->kswapd_failures++;
		ks->priority = DEF_PRIORITY;
		ks->nr_reclaimed_round = 0;
		if (pgdat_hopeless(pgdat)) {
			kswapd_memstall(false);
			ks->pending = false;
		}
	}
	return TASK_BODY_RUN;
}

bool kswapd_init(void)
{
	struct vmscan_state *v = M->vmscan;

	if (!v) {
		v = calloc(1, sizeof(*v));
		if (!v)
			return false;
		M->vmscan = v;
	}
	for (int nid = 0; nid < M->nr_nodes; nid++) {
		struct kswapd_node *ks = &v->node[nid];

		if (ks->task)
			continue;
		init_waitqueue_head(&ks->wait);
		init_wait(&ks->wq);
		init_wait(&ks->io_wq);
		ks->task = kthread_run(kswapd, ks, "kswapd%d", nid);
		if (!ks->task)
			return false;
		ks->wq.private = ks->task;
		ks->io_wq.private = ks->task;
	}
	return true;
}

void vmscan_destroy(struct machine *m)
{
	free(m->vmscan);
	m->vmscan = NULL;
}
