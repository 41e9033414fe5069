/* The zoned buddy allocator (mm/page_alloc.c): free_area[] lists per order
 * and migrate type with split and merge by PFN buddy arithmetic, fallback
 * between migrate types that steals whole page blocks, per-CPU page lists,
 * watermarks and lowmem reserves, zonelists, the allocation slow path, and
 * the CONFIG_DEBUG_VM-style checks that report misuse. */
#include <stdarg.h>
#include <string.h>

#include "base/kernel.h"
#include "kernel/machine.h"
#include "kernel/printk.h"
#include "kernel/sched/psi.h"
#include "kernel/sched/run.h"
#include "mm/gfp.h"
#include "mm/internal.h"
#include "mm/oom.h"
#include "mm/swap.h"
#include "mm/vmstat.h"

const char *const migratetype_names[MIGRATE_TYPES] = {
	"Unmovable", "Movable", "Reclaimable", "HighAtomic", "Isolate",
};

/* Linux's fallback order when a migrate type's lists are empty. */
static const int fallbacks[MIGRATE_PCPTYPES][MIGRATE_PCPTYPES - 1] = {
	[MIGRATE_UNMOVABLE] = { MIGRATE_RECLAIMABLE, MIGRATE_MOVABLE },
	[MIGRATE_MOVABLE] = { MIGRATE_RECLAIMABLE, MIGRATE_UNMOVABLE },
	[MIGRATE_RECLAIMABLE] = { MIGRATE_UNMOVABLE, MIGRATE_MOVABLE },
};

/* ---- page blocks ---------------------------------------------------- */

static unsigned long pageblock_index(const struct zone *zone, unsigned long pfn)
{
	unsigned long base =
		ALIGN_DOWN(zone->zone_start_pfn, pageblock_nr_pages());

	return (pfn - base) >> pageblock_order();
}

static inline int zone_pfnblock_mt(const struct zone *zone, unsigned long pfn)
{
	return zone->pageblock_flags[pageblock_index(zone, pfn)];
}

int get_pfnblock_migratetype(const struct page *page, unsigned long pfn)
{
	return zone_pfnblock_mt(page_zone(page), pfn);
}

void set_pageblock_migratetype(struct page *page, int migratetype)
{
	struct zone *zone = page_zone(page);

	zone->pageblock_flags[pageblock_index(zone, page_to_pfn(page))] =
		(unsigned char)migratetype;
}

/* ---- free lists ----------------------------------------------------- */

static inline unsigned buddy_order(const struct page *page)
{
	return (unsigned)page->private;
}

static inline void account_freepages(struct zone *zone, long nr_pages,
				     unsigned order)
{
	__mod_zone_page_state(zone, NR_FREE_PAGES, nr_pages);
	if (order >= pageblock_order())
		__mod_zone_page_state(zone, NR_FREE_PAGES_BLOCKS, nr_pages);
}

static inline void add_to_free_list(struct page *page, struct zone *zone,
				    unsigned order, int mt, bool tail)
{
	struct free_area *area = &zone->free_area[order];

	page->private = order;
	__SetPageBuddy(page);
	if (tail)
		list_add_tail(&page->lru, &area->free_list[mt]);
	else
		list_add(&page->lru, &area->free_list[mt]);
	area->nr_free++;
	account_freepages(zone, 1L << order, order);
}

static inline void del_page_from_free_list(struct page *page, struct zone *zone,
					   unsigned order)
{
	list_del(&page->lru);
	__ClearPageBuddy(page);
	page->private = 0;
	zone->free_area[order].nr_free--;
	account_freepages(zone, -(1L << order), order);
}

/* Moves a free block to another migrate type's list of the same order. */
static void move_to_free_list(struct page *page, struct zone *zone,
			      unsigned order, int mt)
{
	list_move_tail(&page->lru, &zone->free_area[order].free_list[mt]);
}

/* The free buddy of page at this order, or NULL. */
static struct page *find_buddy_page(struct zone *zone, struct page *page,
				    unsigned long pfn, unsigned order,
				    unsigned long *buddy_pfn)
{
	unsigned long bpfn = pfn ^ (1UL << order);
	struct page *buddy;

	*buddy_pfn = bpfn;
	if (!zone_spans_pfn(zone, bpfn))
		return NULL;
	buddy = page + ((long)bpfn - (long)pfn);
	if (!PageBuddy(buddy) || buddy_order(buddy) != order)
		return NULL;
	return buddy;
}

/* Freed blocks go to the tail of their list when their combined block's
 * buddy is free too, so that merge is likelier (Linux's heuristic). */
static bool buddy_merge_likely(struct zone *zone, unsigned long pfn,
			       unsigned long buddy_pfn, struct page *page,
			       unsigned order)
{
	unsigned long higher_pfn, unused;
	struct page *higher;

	if (order >= MAX_PAGE_ORDER - 1)
		return false;
	higher_pfn = buddy_pfn & pfn;
	higher = page + ((long)higher_pfn - (long)pfn);
	return find_buddy_page(zone, higher, higher_pfn, order + 1, &unused);
}

static void __free_one_page(struct page *page, unsigned long pfn,
			    struct zone *zone, unsigned order, int mt,
			    bool to_tail)
{
	unsigned long buddy_pfn = 0;

	while (order < MAX_PAGE_ORDER) {
		struct page *buddy =
			find_buddy_page(zone, page, pfn, order, &buddy_pfn);
		int buddy_mt = mt;

		if (!buddy)
			break;
		if (order >= pageblock_order()) {
			buddy_mt = zone_pfnblock_mt(zone, buddy_pfn);
			if (buddy_mt != mt && (buddy_mt >= MIGRATE_PCPTYPES ||
					       mt >= MIGRATE_PCPTYPES))
				break;
		}
		del_page_from_free_list(buddy, zone, order);
		/* Whole blocks merged across page blocks take our type, so
		 * every block inside a free block has its list's type. */
		if (buddy_mt != mt)
			set_pageblock_migratetype(buddy, mt);
		page += (long)(buddy_pfn & pfn) - (long)pfn;
		pfn &= buddy_pfn;
		order++;
	}
	if (!to_tail)
		to_tail = buddy_merge_likely(zone, pfn, buddy_pfn, page, order);
	add_to_free_list(page, zone, order, mt, to_tail);
}

/* Splits a block of order high down to order low, returning the upper
 * halves to the free lists of migrate type mt. */
static void expand(struct zone *zone, struct page *page, unsigned low,
		   unsigned high, int mt)
{
	while (high > low) {
		high--;
		add_to_free_list(page + (1UL << high), zone, high, mt, false);
	}
}

static struct page *__rmqueue_smallest(struct zone *zone, unsigned order,
				       int mt)
{
	for (unsigned cur = order; cur < NR_PAGE_ORDERS; cur++) {
		struct list_head *list = &zone->free_area[cur].free_list[mt];
		struct page *page;

		if (list_empty(list))
			continue;
		page = list_first_entry(list, struct page, lru);
		del_page_from_free_list(page, zone, cur);
		expand(zone, page, order, cur, mt);
		return page;
	}
	return NULL;
}

/* Whether an allocation of start_mt may claim a whole block it falls back
 * into: large requests, and unmovable/reclaimable ones always try. */
static bool can_steal_fallback(unsigned order, int start_mt)
{
	if (order >= pageblock_order())
		return true;
	return order >= pageblock_order() / 2 ||
	       start_mt == MIGRATE_RECLAIMABLE ||
	       start_mt == MIGRATE_UNMOVABLE ||
	       M->page_group_by_mobility_disabled;
}

static int find_suitable_fallback(struct free_area *area, unsigned order,
				  int mt, bool *can_steal)
{
	*can_steal = false;
	if (!area->nr_free)
		return -1;
	for (int i = 0; i < MIGRATE_PCPTYPES - 1; i++) {
		int fb = fallbacks[mt][i];

		if (list_empty(&area->free_list[fb]))
			continue;
		*can_steal = can_steal_fallback(order, mt);
		return fb;
	}
	return -1;
}

/* Counts the free pages of the page block holding page and, when enough
 * of it is free (half a block), moves the block to start_mt with all its
 * free pages. Returns whether the block was claimed. */
static bool try_to_claim_block(struct zone *zone, struct page *page,
			       int start_mt)
{
	unsigned long nr = pageblock_nr_pages();
	unsigned long start = ALIGN_DOWN(page_to_pfn(page), nr);
	struct page *first = page + ((long)start - (long)page_to_pfn(page));
	unsigned long free_pages = 0;

	/* A block partly outside the zone is never claimed, as in Linux. */
	if (!zone_spans_pfn(zone, start) ||
	    !zone_spans_pfn(zone, start + nr - 1))
		return false;
	for (unsigned long i = 0; i < nr;) {
		if (PageBuddy(&first[i])) {
			free_pages += 1UL << buddy_order(&first[i]);
			i += 1UL << buddy_order(&first[i]);
		} else {
			i++;
		}
	}
	/* Pages in use are "alike" only for movable allocations on an LRU,
	 * which mmsim does not have yet: only free pages count. */
	if (free_pages < nr / 2 && !M->page_group_by_mobility_disabled)
		return false;
	for (unsigned long i = 0; i < nr;) {
		if (PageBuddy(&first[i])) {
			unsigned o = buddy_order(&first[i]);

			move_to_free_list(&first[i], zone, o, start_mt);
			i += 1UL << o;
		} else {
			i++;
		}
	}
	set_pageblock_migratetype(first, start_mt);
	return true;
}

/* Takes a block from another migrate type's lists: the largest one when it
 * can claim the block, else the smallest, as Linux's __rmqueue_fallback. */
static struct page *__rmqueue_fallback(struct zone *zone, unsigned order,
				       int start_mt)
{
	struct free_area *area = NULL;
	bool can_steal = false;
	int fb = -1, cur;

	for (cur = MAX_PAGE_ORDER; cur >= (int)order; cur--) {
		area = &zone->free_area[cur];
		fb = find_suitable_fallback(area, (unsigned)cur, start_mt,
					    &can_steal);
		if (fb == -1)
			continue;
		if (!can_steal && start_mt == MIGRATE_MOVABLE &&
		    cur > (int)order) {
			/* Take the smallest block that fits instead. */
			for (cur = (int)order; cur < NR_PAGE_ORDERS; cur++) {
				area = &zone->free_area[cur];
				fb = find_suitable_fallback(area, (unsigned)cur,
							    start_mt,
							    &can_steal);
				if (fb != -1)
					break;
			}
		}
		break;
	}
	if (fb == -1)
		return NULL;

	struct page *page =
		list_first_entry(&area->free_list[fb], struct page, lru);
	if ((unsigned)cur >= pageblock_order()) {
		/* Whole blocks change type; the block then splits as ours. */
		unsigned long nr_blocks = 1UL << (cur - pageblock_order());

		for (unsigned long i = 0; i < nr_blocks; i++)
			set_pageblock_migratetype(
				page + i * pageblock_nr_pages(), start_mt);
		move_to_free_list(page, zone, (unsigned)cur, start_mt);
		return __rmqueue_smallest(zone, order, start_mt);
	}
	if (can_steal && try_to_claim_block(zone, page, start_mt))
		return __rmqueue_smallest(zone, order, start_mt);
	/* Borrow one block; its page block keeps its type. */
	del_page_from_free_list(page, zone, (unsigned)cur);
	expand(zone, page, order, (unsigned)cur, fb);
	return page;
}

static struct page *__rmqueue(struct zone *zone, unsigned order, int mt)
{
	struct page *page = __rmqueue_smallest(zone, order, mt);

	if (!page)
		page = __rmqueue_fallback(zone, order, mt);
	return page;
}

/* ---- misuse reports --------------------------------------------------- */

static void format_page_flags(struct seq_file *m, unsigned long flags)
{
	static const char *const names[__NR_PAGEFLAGS] = {
		"locked",  "writeback",	 "referenced",	 "uptodate",
		"dirty",   "lru",	 "head",	 "waiters",
		"active",  "workingset", "owner_priv_1", "owner_2",
		"arch_1",  "reserved",	 "private",	 "private_2",
		"reclaim", "swapbacked", "unevictable",	 "mlocked",
	};
	bool first = true;

	seq_printf(m, "%#lx(", flags);
	for (int i = 0; i < __NR_PAGEFLAGS; i++)
		if (flags & (1UL << i)) {
			seq_printf(m, "%s%s", first ? "" : "|", names[i]);
			first = false;
		}
	seq_printf(m, "%snode=%u|zone=%u)", first ? "" : "|",
		   (unsigned)((flags >> NODES_PGSHIFT) & NODES_MASK),
		   (unsigned)((flags >> ZONES_PGSHIFT) & ZONES_MASK));
}

void dump_page(const struct page *page, const char *reason)
{
	static const char *const types[] = {
		"buddy", "offline",  "table",	   "guard",	    "hugetlb",
		"slab",	 "zsmalloc", "unaccepted", "large_kmalloc",
	};
	unsigned long pfn = page_to_pfn(page);
	struct seq_file m;

	seq_init(&m);
	format_page_flags(&m, page->flags);
	pr_warn("page: refcount:%d mapcount:%d mapping:%016lx index:0x%lx pfn:0x%lx\n",
		page->_refcount, page_mapcount(page),
		(unsigned long)page->mapping, page->index, pfn);
	pr_warn("flags: %s\n", seq_text(&m));
	if (page_type_of(page) >= PGTY_buddy &&
	    page_type_of(page) <= PGTY_large_kmalloc)
		pr_warn("page_type: %x(%s)\n", page_type_of(page),
			types[page_type_of(page) - PGTY_buddy]);
	pr_warn("page dumped because: %s\n", reason);
	seq_release(&m);
}

/* Linux's bad_page(): the page is reported and left alone (leaked). */
static void bad_page(const struct page *page, const char *reason)
{
	pr_alert("BUG: Bad page state in process %s  pfn:%05lx\n",
		 current_comm(), page_to_pfn(page));
	dump_page(page, reason);
	add_taint(TAINT_BAD_PAGE);
	M->nr_bugs++;
}

#define PAGE_FLAGS_CHECK_AT_FREE                                          \
	(1UL << PG_lru | 1UL << PG_locked | 1UL << PG_private |           \
	 1UL << PG_private_2 | 1UL << PG_writeback | 1UL << PG_reserved | \
	 1UL << PG_active | 1UL << PG_unevictable | 1UL << PG_mlocked)

static const char *page_bad_reason(const struct page *page, unsigned long flags)
{
	if (page->_mapcount != -1)
		return "nonzero mapcount";
	if (page->mapping)
		return "non-NULL mapping";
	if (page->_refcount != 0)
		return "nonzero _refcount";
	if (page->flags & flags)
		return "PAGE_FLAGS_CHECK_AT_FREE flag(s) set";
	return NULL;
}

/* Checks a block before it is freed; false means it must not be freed. */
static bool free_pages_prepare(struct page *page, unsigned order)
{
	const char *reason;
	char why[96];

	/* An anonymous page keeps its anon_vma until it is freed. */
	if (PageAnon(page))
		page->mapping = NULL;
	reason = page_bad_reason(page, PAGE_FLAGS_CHECK_AT_FREE);

	if (page->alloc_info != order + 1UL && !reason) {
		snprintf(why, sizeof(why),
			 "freed with order %u, allocated with order %lu", order,
			 page->alloc_info - 1);
		reason = page->alloc_info ?
				 why :
				 "freeing a page that was never allocated";
	}
	if (reason) {
		bad_page(page, reason);
		return false;
	}
	if (PageHead(page)) {
		for (unsigned long i = 1; i < (1UL << order); i++)
			page[i]._words[0] = 0;
		page[1].private = 0;
	}
	/* Every page flag goes (PAGE_FLAGS_CHECK_AT_PREP); node and zone
	 * stay. */
	page->flags &= ~((1UL << __NR_PAGEFLAGS) - 1);
	page->alloc_info = 0;
	page->private = 0;
	return true;
}

/* Linux's might_sleep() check for allocations that may reclaim. */
static void might_sleep_check(void)
{
	if (likely(preempt_count() == 0))
		return;
	pr_err("BUG: sleeping function called from invalid context at %s:%d\n",
	       "mm/page_alloc.c", __LINE__);
	pr_err("in_atomic(): 1, irqs_disabled(): 0, non_block: 0, pid: %d, name: %s\n",
	       current_pid(), current_comm());
	pr_err("preempt_count: %d, expected: 0\n", preempt_count());
	add_taint(TAINT_WARN);
	M->nr_warns++;
}

/* ---- per-CPU page lists ----------------------------------------------- */

static inline unsigned order_to_pindex(int mt, unsigned order)
{
	return order * MIGRATE_PCPTYPES + (unsigned)mt;
}

static inline unsigned pindex_to_order(unsigned pindex)
{
	return pindex / MIGRATE_PCPTYPES;
}

static inline bool pcp_allowed_order(unsigned order)
{
	return order <= PAGE_ALLOC_COSTLY_ORDER;
}

static inline struct per_cpu_pages *this_cpu_pcp(struct zone *zone)
{
	return &zone->per_cpu_pageset[smp_processor_id()];
}

/* Whether order-0..3 pages of this zone go through the pcp lists. */
static inline bool pcp_active(struct zone *zone, unsigned order)
{
	return pcp_allowed_order(order) && zone->per_cpu_pageset &&
	       !M->pcp_disabled && this_cpu_pcp(zone)->high;
}

void pcp_set_enabled(bool on)
{
	if (!on)
		drain_all_pages(NULL);
	M->pcp_disabled = !on;
}

/* Returns count pages from the pcp lists to the buddy lists, taking the
 * lists in turn starting after pindex. */
static void free_pcppages_bulk(struct zone *zone, int count,
			       struct per_cpu_pages *pcp, unsigned pindex)
{
	count = min(pcp->count, count);
	while (count > 0) {
		struct list_head *list;
		unsigned order;

		do {
			pindex = (pindex + 1) % NR_PCP_LISTS;
			list = &pcp->lists[pindex];
		} while (list_empty(list));
		order = pindex_to_order(pindex);
		do {
			struct page *page =
				list_last_entry(list, struct page, lru);
			unsigned long pfn = page_to_pfn(page);

			list_del(&page->lru);
			count -= 1 << order;
			pcp->count -= 1 << order;
			__free_one_page(page, pfn, zone, order,
					zone_pfnblock_mt(zone, pfn), false);
		} while (count > 0 && !list_empty(list));
	}
}

static int rmqueue_bulk(struct zone *zone, unsigned order, int count,
			struct list_head *list, int mt)
{
	int i;

	for (i = 0; i < count; i++) {
		struct page *page = __rmqueue(zone, order, mt);

		if (!page)
			break;
		list_add_tail(&page->lru, list);
	}
	return i;
}

static struct page *rmqueue_pcplist(struct zone *zone, unsigned order, int mt)
{
	struct per_cpu_pages *pcp = this_cpu_pcp(zone);
	struct list_head *list = &pcp->lists[order_to_pindex(mt, order)];
	struct page *page;

	if (list_empty(list)) {
		int batch = order ? max(pcp->batch >> order, 2) : pcp->batch;
		int got = rmqueue_bulk(zone, order, max(batch, 1), list, mt);

		if (!got)
			return NULL;
		pcp->count += got << order;
	}
	page = list_first_entry(list, struct page, lru);
	list_del(&page->lru);
	pcp->count -= 1 << order;
	pcp->free_count = 0;
	return page;
}

static void free_frozen_page_commit(struct zone *zone, struct page *page,
				    unsigned long pfn, unsigned order)
{
	struct per_cpu_pages *pcp = this_cpu_pcp(zone);
	int mt = zone_pfnblock_mt(zone, pfn);
	unsigned pindex = order_to_pindex(mt, order);

	list_add(&page->lru, &pcp->lists[pindex]);
	pcp->count += 1 << order;
	pcp->free_count += 1 << order;
	if (pcp->count >= pcp->high)
		free_pcppages_bulk(zone, max(pcp->batch, 1), pcp, pindex);
}

/* The first page of each naturally aligned block holding page, up to the
 * largest order: a free block starts there. A block never spans nodes,
 * so the search ends where the aligned start leaves page's node. */
bool is_free_buddy_page(const struct page *page)
{
	unsigned long pfn = page_to_pfn(page);
	int nid = page_to_nid(page);

	for (unsigned order = 0; order < NR_PAGE_ORDERS; order++) {
		unsigned long start = pfn & ~((1UL << order) - 1);
		const struct page *head;

		if (!pfn_valid(start) || pfn_to_nid(start) != nid)
			return false;
		head = pfn_to_page(start);
		if (PageBuddy(head) && buddy_order(head) >= order)
			return true;
	}
	return false;
}

void drain_local_pages(struct zone *zone)
{
	struct zone *z;

	for_each_populated_zone(z) {
		struct per_cpu_pages *pcp = this_cpu_pcp(z);

		if ((!zone || z == zone) && pcp->count)
			free_pcppages_bulk(z, pcp->count, pcp, 0);
	}
}

void drain_all_pages(struct zone *zone)
{
	int saved = M->this_cpu, cpu;

	for_each_online_cpu(cpu) {
		M->this_cpu = cpu;
		drain_local_pages(zone);
	}
	M->this_cpu = saved;
}

/* ---- freeing ---------------------------------------------------------- */

static void free_one_page(struct zone *zone, struct page *page,
			  unsigned long pfn, unsigned order, bool to_tail)
{
	__free_one_page(page, pfn, zone, order, zone_pfnblock_mt(zone, pfn),
			to_tail);
}

static void free_frozen_pages(struct page *page, unsigned order)
{
	unsigned long pfn = page_to_pfn(page);
	struct zone *zone = page_zone(page);

	if (!free_pages_prepare(page, order))
		return;
	count_vm_events(PGFREE, 1UL << order);
	if (pcp_active(zone, order))
		free_frozen_page_commit(zone, page, pfn, order);
	else
		free_one_page(zone, page, pfn, order, false);
}

void __free_pages_core(struct page *page, unsigned order)
{
	unsigned long nr = 1UL << order;
	struct zone *zone = page_zone(page);

	for (unsigned long i = 0; i < nr; i++) {
		ClearPageReserved(&page[i]);
		set_page_count(&page[i], 0);
	}
	zone->managed_pages += nr;
	M->totalram_pages += nr;
	count_vm_events(PGFREE, nr);
	free_one_page(zone, page, page_to_pfn(page), order, true);
}

/* Reports a free of a page nobody holds (double free) like DEBUG_VM. */
#define page_ref_zero_bug(page)                                               \
	({                                                                    \
		bool __bad = page_ref_count(page) <= 0;                       \
		if (unlikely(__bad)) {                                        \
			dump_page(                                            \
				page,                                         \
				"VM_BUG_ON_PAGE(page_ref_count(page) == 0)"); \
			BUG_REPORT();                                         \
		}                                                             \
		__bad;                                                        \
	})

void __free_pages(struct page *page, unsigned order)
{
	bool head = PageHead(page);

	if (page_ref_zero_bug(page))
		return;
	if (page_ref_dec_and_test(page)) {
		free_frozen_pages(page, order);
		return;
	}
	/* Someone else still holds the first page of a non-compound block:
	 * free the rest, as Linux does. */
	if (!head) {
		/* The first page stays, to be freed later as order 0. */
		page->alloc_info = 1;
		while (order-- > 0) {
			page[1UL << order].alloc_info = order + 1;
			free_frozen_pages(page + (1UL << order), order);
		}
	}
}

void free_pages(unsigned long addr, unsigned order)
{
	if (!addr)
		return;
	if (!virt_addr_valid((void *)addr)) {
		pr_emerg("free_pages: %#lx is not a kernel address\n", addr);
		BUG_REPORT();
		return;
	}
	__free_pages(virt_to_page((void *)addr), order);
}

void get_page(struct page *page)
{
	page = compound_head(page);
	if (page_ref_count(page) <= 0) {
		dump_page(page, "VM_BUG_ON_PAGE(page_ref_count(page) <= 0)");
		BUG_REPORT();
		return;
	}
	page_ref_inc(page);
}

void put_page(struct page *page)
{
	page = compound_head(page);
	if (page_ref_zero_bug(page))
		return;
	if (!page_ref_dec_and_test(page))
		return;
	if (page->flags & (1UL << PG_lru | 1UL << PG_mlocked))
		__page_cache_release(page);
	free_frozen_pages(page, compound_order(page));
}

/* ---- watermarks ------------------------------------------------------- */

static long zone_watermark_unusable_free(const struct zone *z, unsigned order)
{
	(void)z;
	return (1L << order) - 1;
}

static bool __zone_watermark_ok(const struct zone *z, unsigned order,
				unsigned long mark, int highest_zoneidx,
				unsigned alloc_flags, long free_pages)
{
	long min = (long)mark;

	free_pages -= zone_watermark_unusable_free(z, order);
	if (alloc_flags & ALLOC_RESERVES) {
		if (alloc_flags & ALLOC_MIN_RESERVE) {
			min -= min / 2;
			if (alloc_flags & ALLOC_NON_BLOCK)
				min -= min / 4;
		}
		if (alloc_flags & ALLOC_OOM)
			min -= min / 2;
	}
	if (free_pages <= min + z->lowmem_reserve[highest_zoneidx])
		return false;
	if (!order)
		return true;
	for (unsigned o = order; o < NR_PAGE_ORDERS; o++) {
		const struct free_area *area = &z->free_area[o];

		if (!area->nr_free)
			continue;
		for (int mt = 0; mt < MIGRATE_PCPTYPES; mt++)
			if (!list_empty(&area->free_list[mt]))
				return true;
		if ((alloc_flags & (ALLOC_HIGHATOMIC | ALLOC_OOM)) &&
		    !list_empty(&area->free_list[MIGRATE_HIGHATOMIC]))
			return true;
	}
	return false;
}

static inline bool zone_watermark_fast(const struct zone *z, unsigned order,
				       unsigned long mark, int highest_zoneidx,
				       unsigned alloc_flags)
{
	long free_pages = z->vm_stat[NR_FREE_PAGES];

	if (!order &&
	    free_pages > (long)mark + z->lowmem_reserve[highest_zoneidx])
		return true;
	return __zone_watermark_ok(z, order, mark, highest_zoneidx, alloc_flags,
				   free_pages);
}

bool zone_watermark_ok(const struct zone *z, unsigned order, unsigned long mark,
		       int highest_zoneidx, unsigned alloc_flags)
{
	return __zone_watermark_ok(z, order, mark, highest_zoneidx, alloc_flags,
				   z->vm_stat[NR_FREE_PAGES]);
}

/* mult_frac(x, n, d) without overflow of x * n. */
static unsigned long mult_frac(unsigned long x, unsigned long n,
			       unsigned long d)
{
	return (x / d) * n + ((x % d) * n) / d;
}

static void calculate_totalreserve_pages(void)
{
	unsigned long reserve = 0;
	int nid;

	for_each_online_node(nid) {
		pg_data_t *pgdat = NODE_DATA(nid);

		pgdat->totalreserve_pages = 0;
		for (int i = 0; i < MAX_NR_ZONES; i++) {
			struct zone *zone = &pgdat->node_zones[i];
			long max = 0;

			for (int j = i; j < MAX_NR_ZONES; j++)
				max = max(max, zone->lowmem_reserve[j]);
			max += (long)high_wmark_pages(zone);
			if (max > (long)zone->managed_pages)
				max = (long)zone->managed_pages;
			pgdat->totalreserve_pages += (unsigned long)max;
			reserve += (unsigned long)max;
		}
	}
	M->totalreserve_pages = reserve;
}

static bool is_lowmem_zone(const struct zone *zone)
{
	return zone_idx(zone) != ZONE_HIGHMEM && zone_idx(zone) != ZONE_MOVABLE;
}

void setup_per_zone_wmarks(void)
{
	unsigned long pages_min = (unsigned long)M->min_free_kbytes >>
				  (PAGE_SHIFT - 10);
	unsigned long lowmem_pages = 0;
	struct zone *zone;

	for_each_zone(zone)
		if (is_lowmem_zone(zone))
			lowmem_pages += zone->managed_pages;
	for_each_zone(zone) {
		unsigned long managed = zone->managed_pages;
		unsigned long tmp =
			lowmem_pages ?
				(unsigned long)((unsigned __int128)pages_min *
						managed / lowmem_pages) :
				0;

		if (!is_lowmem_zone(zone))
			zone->_watermark[WMARK_MIN] =
				clamp(managed / 1024, SWAP_CLUSTER_MAX, 128UL);
		else
			zone->_watermark[WMARK_MIN] = tmp;
		tmp = max(tmp >> 2,
			  mult_frac(managed,
				    (unsigned long)M->watermark_scale_factor,
				    10000));
		zone->watermark_boost = 0;
		zone->_watermark[WMARK_LOW] = min_wmark_pages(zone) + tmp;
		zone->_watermark[WMARK_HIGH] = low_wmark_pages(zone) + tmp;
		zone->_watermark[WMARK_PROMO] = high_wmark_pages(zone) + tmp;
	}
	/* The pcp high limits follow the low watermark. */
	zone_pcp_update_all();
	calculate_totalreserve_pages();
}

void setup_per_zone_lowmem_reserve(void)
{
	int nid;

	for_each_online_node(nid) {
		pg_data_t *pgdat = NODE_DATA(nid);

		for (int i = 0; i < MAX_NR_ZONES - 1; i++) {
			struct zone *zone = &pgdat->node_zones[i];
			int ratio = M->lowmem_reserve_ratio[i];
			bool clear = !ratio || !zone->managed_pages;
			unsigned long managed = 0;

			for (int j = i + 1; j < MAX_NR_ZONES; j++) {
				managed += pgdat->node_zones[j].managed_pages;
				zone->lowmem_reserve[j] =
					clear ? 0 :
						(long)(managed /
						       (unsigned)ratio);
			}
		}
	}
	calculate_totalreserve_pages();
}

/* Pages above the high watermark in zones up to the given index, over the
 * local node's zonelist (Linux's nr_free_zone_pages). */
unsigned long nr_free_zone_pages(enum zone_type offset)
{
	const struct zonelist *zl =
		&NODE_DATA(numa_node_id())->node_zonelists[ZONELIST_FALLBACK];
	unsigned long sum = 0;

	for (const struct zoneref *z = zl->_zonerefs; z->zone; z++) {
		unsigned long size = z->zone->managed_pages;
		unsigned long high = high_wmark_pages(z->zone);

		if (z->zone_idx <= (int)offset && size > high)
			sum += size - high;
	}
	return sum;
}

unsigned long nr_free_buffer_pages(void)
{
	return nr_free_zone_pages(gfp_zone(GFP_USER));
}

int calculate_min_free_kbytes(void)
{
	unsigned long lowmem_kbytes =
		nr_free_buffer_pages() * (PAGE_SIZE >> 10);

	return (int)clamp(int_sqrt(lowmem_kbytes * 16), 128UL, 262144UL);
}

/* The per-CPU vmstat thresholds follow the zones' managed pages. */
static void refresh_zone_stat_thresholds(void)
{
	struct zone *zone;

	for_each_populated_zone(zone)
		zone->stat_threshold = calculate_normal_threshold(zone);
}

void init_per_zone_wmark_min(void)
{
	int new_min = calculate_min_free_kbytes();

	if (new_min > M->user_min_free_kbytes)
		M->min_free_kbytes = new_min;
	else
		pr_warn("min_free_kbytes is not updated to %d because user defined value %d is preferred\n",
			new_min, M->user_min_free_kbytes);
	setup_per_zone_wmarks();
	refresh_zone_stat_thresholds();
	setup_per_zone_lowmem_reserve();
}

/* ---- pcp sizing ---------------------------------------------------------- */

static int zone_batchsize(const struct zone *zone)
{
	unsigned long batch = min(zone->managed_pages >> 10, SZ_1M / PAGE_SIZE);

	batch /= 4;
	if (batch < 1)
		batch = 1;
	return (int)rounddown_pow_of_two(batch + batch / 2) - 1;
}

static int cpus_on_node(int nid)
{
	int n = 0, cpu;

	for_each_online_cpu(cpu)
		n += cpu_to_node(cpu) == nid;
	return n;
}

static int zone_highsize(const struct zone *zone, int batch, int fraction)
{
	unsigned long total = fraction ?
				      zone->managed_pages / (unsigned)fraction :
				      low_wmark_pages(zone);
	int split = cpus_on_node(zone->node);
	unsigned long high;

	if (!split)
		split = M->nr_cpus;
	high = total / (unsigned)split;
	return (int)max(high, (unsigned long)batch << 2);
}

static void zone_set_pageset_high_and_batch(struct zone *zone)
{
	int batch = max(1, zone_batchsize(zone));
	int frac = M->percpu_pagelist_high_fraction;
	int high_min = zone_highsize(zone, batch, frac);
	int high_max = frac ? high_min :
			      zone_highsize(zone, batch,
					    MIN_PERCPU_PAGELIST_HIGH_FRACTION);
	int cpu;

	for_each_online_cpu(cpu) {
		struct per_cpu_pages *pcp = &zone->per_cpu_pageset[cpu];

		pcp->batch = batch;
		pcp->high_min = high_min;
		pcp->high_max = high_max;
		pcp->high = high_min;
		/* A lower limit takes effect at once. */
		if (pcp->count >= pcp->high) {
			int saved = M->this_cpu;

			M->this_cpu = cpu;
			free_pcppages_bulk(zone, pcp->count - pcp->high + 1,
					   pcp, 0);
			M->this_cpu = saved;
		}
	}
}

void zone_pcp_update_all(void)
{
	struct zone *zone;

	for_each_populated_zone(zone)
		if (zone->per_cpu_pageset)
			zone_set_pageset_high_and_batch(zone);
}

void setup_per_cpu_pageset(void)
{
	struct zone *zone;

	for_each_populated_zone(zone) {
		size_t bytes =
			sizeof(struct per_cpu_pages) * (size_t)M->nr_cpus;
		struct per_cpu_pages *p =
			memblock_alloc_node(bytes, 64, zone->node);
		int cpu;

		M->percpu_bytes += ALIGN(bytes, PAGE_SIZE);
		for_each_online_cpu(cpu)
			for (int i = 0; i < NR_PCP_LISTS; i++)
				INIT_LIST_HEAD(&p[cpu].lists[i]);
		zone->per_cpu_pageset = p;
	}
	zone_pcp_update_all();
}

/* ---- zonelists -------------------------------------------------------- */

enum zone_type __gfp_zone(gfp_t gfp)
{
	unsigned zbits = gfp & GFP_ZONEMASK;
	int bad = (zbits & __GFP_DMA) + !!(zbits & __GFP_DMA32) +
		  !!(zbits & __GFP_HIGHMEM);

	if (bad > 1)
		WARN(1, "gfp_zone: conflicting zone modifiers %#x\n", zbits);
	/* OPT_ZONE_DMA: ZONE_NORMAL where there is no ZONE_DMA. */
	if (zbits & __GFP_DMA)
		return arch_has_zone(M->arch, ZONE_DMA) ? ZONE_DMA :
							  ZONE_NORMAL;
	if (zbits & __GFP_DMA32)
		return arch_has_zone(M->arch, ZONE_DMA32) ? ZONE_DMA32 :
							    ZONE_NORMAL;
	if (zbits & __GFP_HIGHMEM) {
		if (zbits & __GFP_MOVABLE)
			return ZONE_MOVABLE;
		return arch_has_zone(M->arch, ZONE_HIGHMEM) ? ZONE_HIGHMEM :
							      ZONE_NORMAL;
	}
	return ZONE_NORMAL;
}

static int build_zonerefs_node(pg_data_t *pgdat, struct zoneref *zr)
{
	int n = 0;

	for (int zt = MAX_NR_ZONES - 1; zt >= 0; zt--) {
		struct zone *zone = &pgdat->node_zones[zt];

		if (populated_zone(zone)) {
			zr[n].zone = zone;
			zr[n].zone_idx = zt;
			n++;
		}
	}
	return n;
}

static void build_zonelists(pg_data_t *pgdat)
{
	int order[MAX_NUMNODES], nr = 0, local = pgdat->node_id, nid;
	struct zoneref *zr;

	/* Nodes by distance from this one, nearest (itself) first. */
	for_each_online_node(nid)
		order[nr++] = nid;
	for (int i = 1; i < nr; i++)
		for (int j = i; j > 0; j--) {
			int a = order[j - 1], b = order[j];
			int da = M->node_distance[local][a] * 2 + (a != local);
			int db = M->node_distance[local][b] * 2 + (b != local);

			if (da < db || (da == db && a < b))
				break;
			order[j - 1] = b;
			order[j] = a;
		}
	zr = pgdat->node_zonelists[ZONELIST_FALLBACK]._zonerefs;
	for (int i = 0; i < nr; i++)
		zr += build_zonerefs_node(NODE_DATA(order[i]), zr);
	zr->zone = NULL;
	zr = pgdat->node_zonelists[ZONELIST_NOFALLBACK]._zonerefs;
	zr += build_zonerefs_node(pgdat, zr);
	zr->zone = NULL;
}

void build_all_zonelists(void)
{
	int nid;

	for_each_online_node(nid)
		build_zonelists(NODE_DATA(nid));
}

/* ---- allocation --------------------------------------------------------- */

struct alloc_context {
	const struct zonelist *zonelist;
	struct zone *preferred_zone; /* first zone of the zonelist it may use */
	int preferred_nid;
	int highest_zoneidx;
	int migratetype;
};

/* NUMA counters compare the zone used with the preferred zone's node. */
static void zone_statistics(struct zone *preferred, struct zone *z)
{
	if (z->node == preferred->node) {
		z->vm_numa_event[NUMA_HIT]++;
	} else {
		z->vm_numa_event[NUMA_MISS]++;
		preferred->vm_numa_event[NUMA_FOREIGN]++;
	}
	z->vm_numa_event[z->node == numa_node_id() ? NUMA_LOCAL : NUMA_OTHER]++;
}

static struct zone *first_zone(const struct zonelist *zl, int highest_zoneidx)
{
	for (const struct zoneref *z = zl->_zonerefs; z->zone; z++)
		if (z->zone_idx <= highest_zoneidx)
			return z->zone;
	return NULL;
}

static struct page *rmqueue(struct zone *zone, unsigned order, int mt)
{
	if (likely(pcp_active(zone, order)))
		return rmqueue_pcplist(zone, order, mt);
	return __rmqueue(zone, order, mt);
}

static void prep_new_page(struct page *page, unsigned order, gfp_t gfp)
{
	unsigned long nr = 1UL << order;
	const char *reason = page_bad_reason(page, PAGE_FLAGS_CHECK_AT_FREE);

	if (unlikely(reason))
		bad_page(page, reason);
	set_page_count(page, 1);
	page->private = 0;
	page->alloc_info = order + 1;
	if (gfp & __GFP_ZERO)
		for (unsigned long i = 0; i < nr; i++)
			memset(kmap_local_page(page + i), 0, PAGE_SIZE);
	if ((gfp & __GFP_COMP) && order) {
		SetPageHead(page);
		for (unsigned long i = 1; i < nr; i++)
			page[i]._words[0] = (unsigned long)page | 1;
		page[1].private = order;
	}
}

static struct page *get_page_from_freelist(gfp_t gfp, unsigned order,
					   unsigned alloc_flags,
					   const struct alloc_context *ac)
{
	for (const struct zoneref *z = ac->zonelist->_zonerefs; z->zone; z++) {
		struct zone *zone = z->zone;
		struct page *page;

		if (z->zone_idx > ac->highest_zoneidx)
			continue;
		if (!(alloc_flags & ALLOC_NO_WATERMARKS) &&
		    !zone_watermark_fast(
			    zone, order,
			    wmark_pages(zone, alloc_flags & ALLOC_WMARK_MASK),
			    ac->highest_zoneidx, alloc_flags))
			continue;
		page = rmqueue(zone, order, ac->migratetype);
		if (page) {
			__count_zid_vm_events(PGALLOC, zone_idx(zone),
					      1UL << order);
			zone_statistics(ac->preferred_zone, zone);
			prep_new_page(page, order, gfp);
			return page;
		}
	}
	return NULL;
}

static unsigned gfp_to_alloc_flags(gfp_t gfp, unsigned order)
{
	unsigned alloc_flags = ALLOC_WMARK_MIN | ALLOC_CPUSET;

	alloc_flags |= gfp & (__GFP_HIGH | __GFP_KSWAPD_RECLAIM);
	if (!(gfp & __GFP_DIRECT_RECLAIM)) {
		if (!(gfp & __GFP_NOMEMALLOC))
			alloc_flags |= ALLOC_NON_BLOCK;
		if (order > 0)
			alloc_flags |= ALLOC_HIGHATOMIC;
		if (alloc_flags & ALLOC_MIN_RESERVE)
			alloc_flags &= ~ALLOC_CPUSET;
	}
	return alloc_flags;
}

/* Reclaim (mm/vmscan.c): kswapd of each node the allocation may use,
 * and direct reclaim by the allocating task. */
static void wake_all_kswapds(unsigned order, gfp_t gfp,
			     const struct alloc_context *ac)
{
	for (const struct zoneref *z = ac->zonelist->_zonerefs; z->zone; z++)
		if (z->zone_idx <= ac->highest_zoneidx)
			wakeup_kswapd(z->zone, gfp, order,
				      (enum zone_type)ac->highest_zoneidx);
}

/* Direct reclaim: a memory stall of the allocating task (psi). */
static unsigned long __perform_reclaim(gfp_t gfp, unsigned order,
				       const struct alloc_context *ac)
{
	bool stall = in_task_body();
	unsigned long progress, pflags;

	if (stall)
		psi_memstall_enter(&pflags);
	progress = try_to_free_pages(gfp, order, ac->preferred_nid,
				     (enum zone_type)ac->highest_zoneidx);
	if (stall)
		psi_memstall_leave(&pflags);
	return progress;
}

/* __alloc_pages_may_oom(): reclaim has failed; the OOM killer
 * (mm/oom_kill.c) frees memory by killing a process, for the requests
 * Linux lets it act for. An OOM victim (current) gets one more try with
 * the OOM reserves (ALLOC_OOM), then fails. true to retry. */
static bool __alloc_pages_may_oom(gfp_t gfp, unsigned order,
				  const struct alloc_context *ac,
				  unsigned *alloc_flags)
{
	struct oom_control oc = { .gfp_mask = gfp, .order = (int)order };

	if (!tsk_is_oom_victim(current)) {
		if (order > PAGE_ALLOC_COSTLY_ORDER ||
		    (gfp & (__GFP_RETRY_MAYFAIL | __GFP_THISNODE)) ||
		    ac->highest_zoneidx < ZONE_NORMAL || !out_of_memory(&oc))
			return false;
		if (!tsk_is_oom_victim(current))
			return true;
	} else if (*alloc_flags & ALLOC_OOM) {
		return false;
	}
	*alloc_flags |= ALLOC_OOM;
	return true;
}

static void format_nodemask(struct seq_file *m)
{
	if (M->nr_nodes == 1)
		seq_puts(m, "0");
	else
		seq_printf(m, "0-%d", M->nr_nodes - 1);
}

void warn_alloc(gfp_t gfp, const char *fmt, ...)
{
	struct seq_file m;
	va_list ap;

	if (gfp & __GFP_NOWARN)
		return;
	seq_init(&m);
	seq_printf(&m, "%s: ", current_comm());
	va_start(ap, fmt);
	seq_vprintf(&m, fmt, ap);
	va_end(ap);
	seq_printf(&m, ", mode:%#x(", gfp);
	format_gfp_flags(&m, gfp);
	seq_puts(&m, "), nodemask=(null),cpuset=/,mems_allowed=");
	format_nodemask(&m);
	pr_warn("%s\n", seq_text(&m));
	seq_release(&m);
	print_cpu_line();
	__show_mem(gfp_zone(gfp));
}

static void page_alloc_failure(gfp_t gfp, unsigned order)
{
	M->nr_alloc_failures++;
	warn_alloc(gfp, "page allocation failure: order:%u", order);
}

static struct page *__alloc_pages_slowpath(gfp_t gfp, unsigned order,
					   struct alloc_context *ac)
{
	bool can_direct_reclaim = gfp & __GFP_DIRECT_RECLAIM;
	bool costly = order > PAGE_ALLOC_COSTLY_ORDER;
	unsigned alloc_flags = gfp_to_alloc_flags(gfp, order);
	int no_progress_loops = 0;
	struct page *page;

	if (alloc_flags & ALLOC_KSWAPD)
		wake_all_kswapds(order, gfp, ac);
	page = get_page_from_freelist(gfp, order, alloc_flags, ac);
	if (page)
		return page;
	if (!can_direct_reclaim)
		goto nopage;
	for (;;) {
		unsigned long progress;

		if (alloc_flags & ALLOC_KSWAPD)
			wake_all_kswapds(order, gfp, ac);
		progress = __perform_reclaim(gfp, order, ac);
		page = get_page_from_freelist(gfp, order, alloc_flags, ac);
		if (page)
			return page;
		if (gfp & __GFP_NORETRY)
			goto nopage;
		if (costly && !(gfp & __GFP_RETRY_MAYFAIL))
			goto nopage;
		if (progress && ++no_progress_loops <= MAX_RECLAIM_RETRIES)
			continue;
		/* Writeback under way will free pages: Linux throttles on it
		 * (should_reclaim_retry()); a fault that can wait for it
		 * fails quietly and retries (mm/memory.c), nobody is killed
		 * for memory on its way. */
		if (current && current->fault_may_throttle &&
		    global_node_page_state(NR_WRITEBACK))
			return NULL;
		if (!(gfp & (__GFP_RETRY_MAYFAIL | __GFP_NORETRY)) && !costly &&
		    __alloc_pages_may_oom(gfp, order, ac, &alloc_flags))
			continue;
		break;
	}
nopage:
	/* Non-blocking __GFP_NOFAIL requests are a misuse: warned and failed. */
	if ((gfp & __GFP_NOFAIL) &&
	    !WARN_ON_ONCE_GFP(!can_direct_reclaim, gfp)) {
		WARN_ON_ONCE_GFP(costly, gfp);
		/* Linux loops here until memory appears; with nothing that
		 * can free memory mmsim reports and fails (docs/deviations.md). */
		page = get_page_from_freelist(gfp, order, ALLOC_MIN_RESERVE,
					      ac);
		if (page)
			return page;
		WARN(!(gfp & __GFP_NOWARN),
		     "__GFP_NOFAIL allocation of order %u cannot be satisfied: no memory and nothing can reclaim\n",
		     order);
	}
	page_alloc_failure(gfp, order);
	return NULL;
}

struct page *__alloc_pages(gfp_t gfp, unsigned order, int preferred_nid)
{
	struct alloc_context ac;
	struct page *page;

	gfp &= __GFP_BITS_MASK;
	if (unlikely(order > MAX_PAGE_ORDER)) {
		if (!(gfp & __GFP_NOWARN))
			WARN(1,
			     "allocation of order %u exceeds MAX_PAGE_ORDER (%d)\n",
			     order, MAX_PAGE_ORDER);
		return NULL;
	}
	if (unlikely(preferred_nid < 0 || preferred_nid >= M->nr_nodes)) {
		WARN(1, "allocation on node %d, which does not exist\n",
		     preferred_nid);
		return NULL;
	}
	if (gfp & __GFP_DIRECT_RECLAIM)
		might_sleep_check();
	ac.preferred_nid = preferred_nid;
	ac.highest_zoneidx = (int)gfp_zone(gfp);
	ac.migratetype = gfp_migratetype(gfp);
	ac.zonelist = &NODE_DATA(preferred_nid)
			       ->node_zonelists[(gfp & __GFP_THISNODE) ?
							ZONELIST_NOFALLBACK :
							ZONELIST_FALLBACK];
	ac.preferred_zone = first_zone(ac.zonelist, ac.highest_zoneidx);
	if (unlikely(!ac.preferred_zone)) {
		page_alloc_failure(gfp,
				   order); /* no zone this request may use */
		return NULL;
	}
	page = get_page_from_freelist(gfp, order, ALLOC_WMARK_LOW, &ac);
	if (likely(page))
		return page;
	return __alloc_pages_slowpath(gfp, order, &ac);
}

struct page *alloc_pages_node(int nid, gfp_t gfp, unsigned order)
{
	if (nid == NUMA_NO_NODE)
		nid = numa_node_id();
	return __alloc_pages(gfp, order, nid);
}

struct page *alloc_pages(gfp_t gfp, unsigned order)
{
	return __alloc_pages(gfp, order, numa_node_id());
}

unsigned long __get_free_pages(gfp_t gfp, unsigned order)
{
	struct page *page = alloc_pages(gfp & ~__GFP_HIGHMEM, order);

	return page ? (unsigned long)page_address(page) : 0;
}

unsigned long get_zeroed_page(gfp_t gfp)
{
	return __get_free_pages(gfp | __GFP_ZERO, 0);
}

unsigned long nr_free_pages(void)
{
	return global_zone_page_state(NR_FREE_PAGES);
}

/* ---- GFP flag names (%pGg) ------------------------------------------- */

void format_gfp_flags(struct seq_file *m, gfp_t gfp)
{
	static const struct {
		gfp_t mask;
		const char *name;
	} names[] = {
#define N(f) { f, #f }
		N(GFP_TRANSHUGE),
		N(GFP_TRANSHUGE_LIGHT),
		N(GFP_HIGHUSER_MOVABLE),
		N(GFP_HIGHUSER),
		N(GFP_USER),
		N(GFP_KERNEL_ACCOUNT),
		N(GFP_KERNEL),
		N(GFP_NOFS),
		N(GFP_ATOMIC),
		N(GFP_NOIO),
		N(GFP_NOWAIT),
		N(GFP_DMA),
		N(GFP_DMA32),
		N(__GFP_RECLAIM),
		N(__GFP_DMA),
		N(__GFP_HIGHMEM),
		N(__GFP_DMA32),
		N(__GFP_MOVABLE),
		N(__GFP_RECLAIMABLE),
		N(__GFP_HIGH),
		N(__GFP_IO),
		N(__GFP_FS),
		N(__GFP_ZERO),
		N(__GFP_DIRECT_RECLAIM),
		N(__GFP_KSWAPD_RECLAIM),
		N(__GFP_WRITE),
		N(__GFP_NOWARN),
		N(__GFP_RETRY_MAYFAIL),
		N(__GFP_NOFAIL),
		N(__GFP_NORETRY),
		N(__GFP_MEMALLOC),
		N(__GFP_COMP),
		N(__GFP_NOMEMALLOC),
		N(__GFP_HARDWALL),
		N(__GFP_THISNODE),
		N(__GFP_ACCOUNT),
		N(__GFP_ZEROTAGS),
#undef N
	};
	bool first = true;

	if (!gfp) {
		seq_puts(m, "none");
		return;
	}
	for (size_t i = 0; i < ARRAY_SIZE(names) && gfp; i++)
		if ((gfp & names[i].mask) == names[i].mask) {
			seq_printf(m, "%s%s", first ? "" : "|", names[i].name);
			gfp &= ~names[i].mask;
			first = false;
		}
	if (gfp)
		seq_printf(m, "%s%#x", first ? "" : "|", gfp);
}

/* ---- invariant checker ---------------------------------------------------- */

static unsigned long check_report(unsigned long *bad, const char *fmt, ...)
	__printf(2, 3);

static unsigned long check_report(unsigned long *bad, const char *fmt, ...)
{
	va_list ap;

	if (++*bad <= 20) {
		pr_err("mmsim: page allocator invariant violated: ");
		va_start(ap, fmt);
		vprintk(fmt, ap);
		va_end(ap);
		pr_cont("\n");
	}
	return *bad;
}

static void check_free_lists(struct zone *zone, unsigned long *bad)
{
	unsigned long pages = 0, block_pages = 0;

	for (unsigned o = 0; o < NR_PAGE_ORDERS; o++) {
		struct free_area *area = &zone->free_area[o];
		unsigned long n = 0;

		for (int mt = 0; mt < MIGRATE_TYPES; mt++) {
			struct page *page;

			list_for_each_entry(page, &area->free_list[mt], lru) {
				unsigned long pfn = page_to_pfn(page), bpfn;

				n++;
				if (!PageBuddy(page) || buddy_order(page) != o)
					check_report(
						bad,
						"%s pfn %#lx on order-%u list is not a free block of that order",
						zone->name, pfn, o);
				if (page_zone(page) != zone ||
				    !zone_spans_pfn(zone, pfn))
					check_report(
						bad,
						"pfn %#lx on a free list of zone %s belongs elsewhere",
						pfn, zone->name);
				if (pfn & ((1UL << o) - 1))
					check_report(
						bad,
						"%s pfn %#lx is not aligned to its order %u",
						zone->name, pfn, o);
				if (get_pfnblock_migratetype(page, pfn) != mt)
					check_report(
						bad,
						"%s pfn %#lx on the %s list lies in a %s page block",
						zone->name, pfn,
						migratetype_names[mt],
						migratetype_names
							[get_pfnblock_migratetype(
								page, pfn)]);
				if (page_ref_count(page))
					check_report(
						bad,
						"%s free pfn %#lx has refcount %d",
						zone->name, pfn,
						page_ref_count(page));
				if (o < MAX_PAGE_ORDER &&
				    find_buddy_page(zone, page, pfn, o,
						    &bpfn) &&
				    (o < pageblock_order() ||
				     get_pfnblock_migratetype(page, pfn) ==
					     get_pfnblock_migratetype(page,
								      bpfn)))
					check_report(
						bad,
						"%s free buddies %#lx and %#lx of order %u were not merged",
						zone->name, pfn, bpfn, o);
				pages += 1UL << o;
				if (o >= pageblock_order())
					block_pages += 1UL << o;
			}
		}
		if (n != area->nr_free)
			check_report(
				bad,
				"%s order %u: nr_free %lu but %lu blocks on the lists",
				zone->name, o, area->nr_free, n);
	}
	if (pages != zone_page_state(zone, NR_FREE_PAGES))
		check_report(
			bad,
			"%s: NR_FREE_PAGES %lu but %lu pages on the free lists",
			zone->name, zone_page_state(zone, NR_FREE_PAGES),
			pages);
	if (block_pages != zone_page_state(zone, NR_FREE_PAGES_BLOCKS))
		check_report(
			bad,
			"%s: NR_FREE_PAGES_BLOCKS %lu but %lu pages in whole free blocks",
			zone->name, zone_page_state(zone, NR_FREE_PAGES_BLOCKS),
			block_pages);
}

static void check_pcp_lists(struct zone *zone, unsigned long *bad)
{
	int cpu;

	if (!zone->per_cpu_pageset)
		return;
	for_each_online_cpu(cpu) {
		struct per_cpu_pages *pcp = &zone->per_cpu_pageset[cpu];
		long pages = 0;

		for (unsigned i = 0; i < NR_PCP_LISTS; i++) {
			struct page *page;

			list_for_each_entry(page, &pcp->lists[i], lru) {
				pages += 1L << pindex_to_order(i);
				if (PageBuddy(page) || page_ref_count(page) ||
				    page_zone(page) != zone)
					check_report(
						bad,
						"%s cpu %d: pcp page pfn %#lx is not a free page of this zone",
						zone->name, cpu,
						page_to_pfn(page));
			}
		}
		if (pages != pcp->count)
			check_report(
				bad,
				"%s cpu %d: pcp count %d but %ld pages on its lists",
				zone->name, cpu, pcp->count, pages);
	}
}

unsigned long check_page_alloc_invariants(void)
{
	unsigned long bad = 0, managed = 0;
	struct zone *zone;

	for_each_zone(zone) {
		check_free_lists(zone, &bad);
		check_pcp_lists(zone, &bad);
		managed += zone->managed_pages;
	}
	if (managed != M->totalram_pages)
		check_report(&bad, "totalram_pages %lu but zones manage %lu",
			     M->totalram_pages, managed);
	return bad;
}
