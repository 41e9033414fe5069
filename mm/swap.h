/* LRU lists and swap (include/linux/swap.h, mm_inline.h): the lists each
 * node keeps of user pages, which reclaim will scan. */
#ifndef MMSIM_MM_SWAP_H
#define MMSIM_MM_SWAP_H

#include "mm/mm.h"

static inline struct lruvec *page_lruvec(const struct page *page)
{
	return &page_pgdat(page)->__lruvec;
}

/* The list a page on the LRU belongs to (folio_lru_list). */
static inline enum lru_list page_lru(const struct page *page)
{
	if (test_bit_flag(page, PG_unevictable))
		return LRU_UNEVICTABLE;
	return (test_bit_flag(page, PG_swapbacked) ? LRU_INACTIVE_ANON
						   : LRU_INACTIVE_FILE) +
	       (test_bit_flag(page, PG_active) ? 1 : 0);
}

/* A new user page goes on its inactive list, or the unevictable one in
 * a VM_LOCKED mapping (folio_add_lru_vma). */
void lru_cache_add_inactive_or_unevictable(struct page *page,
					   struct vm_area_struct *vma);
void lru_cache_add(struct page *page);
/* Takes a page off its LRU list. */
void lruvec_del_page(struct page *page);
/* put_page() of the last reference to a user page, before the free. */
void __page_cache_release(struct page *page);

#endif
