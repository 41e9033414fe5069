/* The LRU lists (mm/swap.c, include/linux/mm_inline.h): user pages go on
 * their node's lists when first mapped and come off when freed; the
 * node and zone counters (nr_inactive_anon, nr_zone_inactive_anon...)
 * follow. Linux batches additions per CPU; mmsim adds at once. Where a
 * page goes and what an access does is the reclaim policy's choice
 * (mm/reclaim_policy.h). */
#include "mm/swap.h"

#include "mm/reclaim_policy.h"
#include "mm/internal.h"
#include "mm/vma.h"
#include "mm/vmstat.h"

static void update_lru_size(struct page *page, enum lru_list lru, long n)
{
	__mod_node_page_state(page_pgdat(page),
			      (enum node_stat_item)(NR_INACTIVE_ANON + lru), n);
	__mod_zone_page_state(
		page_zone(page),
		(enum zone_stat_item)(NR_ZONE_INACTIVE_ANON + lru), n);
}

/* The unevictable "list" is only a count, as in Linux: page->lru of an
 * unevictable page holds its mlock_count (lruvec_add_folio). */
void lru_cache_add(struct page *page)
{
	enum lru_list lru;

	/* A policy without active lists keeps every page inactive. */
	if (!M->reclaim->active_lists)
		page->flags &= ~(1UL << PG_active);
	lru = page_lru(page);

	SetPageLRU(page);
	if (lru != LRU_UNEVICTABLE)
		list_add(&page->lru, &page_lruvec(page)->lists[lru]);
	update_lru_size(page, lru, 1);
}

void lru_cache_add_inactive_or_unevictable(struct page *page,
					   struct vm_area_struct *vma)
{
	if ((vma->vm_flags & (VM_LOCKED | VM_SPECIAL)) == VM_LOCKED)
		mlock_new_page(page);
	else
		lru_cache_add(page);
}

void lru_note_cost(struct lruvec *lruvec, bool file, unsigned long nr_io,
		   unsigned long nr_rotated)
{
	pg_data_t *pgdat = container_of(lruvec, pg_data_t, __lruvec);
	unsigned long lrusize = 0;

	if (file)
		lruvec->file_cost += nr_io * SWAP_CLUSTER_MAX + nr_rotated;
	else
		lruvec->anon_cost += nr_io * SWAP_CLUSTER_MAX + nr_rotated;
	/* A floating average: recent events weigh more than old ones. */
	for (int lru = LRU_INACTIVE_ANON; lru <= LRU_ACTIVE_FILE; lru++)
		lrusize += node_page_state(
			pgdat, (enum node_stat_item)(NR_INACTIVE_ANON + lru));
	if (lruvec->file_cost + lruvec->anon_cost > lrusize / 4) {
		lruvec->file_cost /= 2;
		lruvec->anon_cost /= 2;
	}
}

void lru_note_cost_refault(struct page *page)
{
	lru_note_cost(page_lruvec(page), !test_bit_flag(page, PG_swapbacked), 1,
		      0);
}

void lruvec_del_page(struct page *page)
{
	enum lru_list lru = page_lru(page);

	if (lru != LRU_UNEVICTABLE)
		list_del(&page->lru);
	ClearPageLRU(page);
	update_lru_size(page, lru, -1);
}

/* The last reference to a user page is going (__page_cache_release):
 * off the LRU, the mlock count undone, the LRU flags that the free path
 * would report cleared (the free clears every other flag). */
void __page_cache_release(struct page *page)
{
	if (PageLRU(page))
		lruvec_del_page(page);
	if (test_bit_flag(page, PG_mlocked)) {
		page->flags &= ~(1UL << PG_mlocked);
		__mod_zone_page_state(page_zone(page), NR_MLOCK, -1);
		count_vm_event(UNEVICTABLE_PGCLEARED);
	}
	page->flags &= ~(1UL << PG_active | 1UL << PG_unevictable);
}

void mark_page_accessed(struct page *page)
{
	M->reclaim->mark_accessed(page);
}

void lru_mark_page_accessed(struct page *page)
{
	if (!test_bit_flag(page, PG_referenced)) {
		page->flags |= 1UL << PG_referenced;
		return;
	}
	if (!PageLRU(page) || test_bit_flag(page, PG_active) ||
	    test_bit_flag(page, PG_unevictable))
		return;
	lruvec_del_page(page);
	page->flags |= 1UL << PG_active;
	page->flags &= ~(1UL << PG_referenced);
	lru_cache_add(page);
	count_vm_event(PGACTIVATE);
	workingset_activation(page);
}
