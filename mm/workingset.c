/* Workingset detection (mm/workingset.c): when reclaim evicts a page
 * from the swap cache, a shadow entry at its slot records when (the
 * node's nonresident age, which advances on each eviction and each
 * activation) and whether the page was in the workingset. When the slot
 * is read back in, the refault distance (the pages evicted or activated
 * since) is compared with the workingset size: a page that would have
 * stayed resident with that much more memory is activated at once. The
 * counters are Linux's workingset_refault/activate/restore_{anon,file}.
 * Shadows live in the swap cache (mm/swap_state.c), which also counts
 * the cache's 64-slot "nodes" that hold only shadows (workingset_nodes). */
#include "mm/swap.h"

#include <stdlib.h>

#include "mm/slab.h"
#include "mm/vmstat.h"

/* A shadow is an xarray value entry: eviction time, memcg id (always 0
 * in mmsim), node and the workingset bit, above the value tag bit. */
#define BITS_PER_XA_VALUE (BITS_PER_LONG - 1)
#define MEM_CGROUP_ID_SHIFT 16
#define WORKINGSET_SHIFT 1
#define EVICTION_SHIFT                                            \
	((BITS_PER_LONG - BITS_PER_XA_VALUE) + WORKINGSET_SHIFT + \
	 NODES_SHIFT + MEM_CGROUP_ID_SHIFT)
#define EVICTION_MASK (~0UL >> EVICTION_SHIFT)

/* Eviction timestamps are kept in buckets of 2^bucket_order pages when
 * RAM has more pages than the timestamp bits count (never on a 64-bit
 * machine of mmsim's size, computed as Linux does at init). */
static unsigned int bucket_order(void)
{
	unsigned int timestamp_bits = BITS_PER_LONG - EVICTION_SHIFT;
	unsigned long pages = M->totalram_pages;
	unsigned int max_order = pages > 1 ? (unsigned)fls64(pages - 1) : 0;

	return max_order > timestamp_bits ? max_order - timestamp_bits : 0;
}

static void *pack_shadow(int nid, unsigned long eviction, bool workingset)
{
	unsigned long v = eviction & EVICTION_MASK;

	v = v << MEM_CGROUP_ID_SHIFT; /* memcg id 0 */
	v = (v << NODES_SHIFT) | (unsigned long)nid;
	v = (v << WORKINGSET_SHIFT) | workingset;
	return (void *)(v << 1 | 1); /* xa_mk_value */
}

static void unpack_shadow(const void *shadow, int *nid, unsigned long *eviction,
			  bool *workingset)
{
	unsigned long v = (unsigned long)shadow >> 1; /* xa_to_value */

	*workingset = v & ((1UL << WORKINGSET_SHIFT) - 1);
	v >>= WORKINGSET_SHIFT;
	*nid = (int)(v & ((1UL << NODES_SHIFT) - 1));
	v >>= NODES_SHIFT;
	v >>= MEM_CGROUP_ID_SHIFT;
	*eviction = v << bucket_order();
}

void workingset_age_nonresident(struct lruvec *lruvec, unsigned long nr_pages)
{
	lruvec->nonresident_age += nr_pages;
}

void *workingset_eviction(struct page *page)
{
	struct lruvec *lruvec = page_lruvec(page);
	unsigned long eviction = lruvec->nonresident_age >> bucket_order();

	workingset_age_nonresident(lruvec, 1);
	return pack_shadow(page_to_nid(page), eviction,
			   test_bit_flag(page, PG_workingset));
}

/* The refault distance is within what the workingset could hold: the
 * active file pages, plus the inactive file pages for an anon refault,
 * plus the active anon pages (and the inactive anon ones for a file
 * refault) while there is swap to reclaim them to
 * (workingset_test_recent). */
static bool workingset_test_recent(const void *shadow, bool file,
				   bool *workingset)
{
	unsigned long eviction, refault, distance, size;
	pg_data_t *pgdat;
	int nid;

	unpack_shadow(shadow, &nid, &eviction, workingset);
	if (nid >= M->nr_nodes)
		return false;
	pgdat = NODE_DATA(nid);
	refault = pgdat->__lruvec.nonresident_age;
	distance = (refault - eviction) & EVICTION_MASK;
	size = node_page_state(pgdat, NR_ACTIVE_FILE);
	if (!file)
		size += node_page_state(pgdat, NR_INACTIVE_FILE);
	if (get_nr_swap_pages() > 0) {
		size += node_page_state(pgdat, NR_ACTIVE_ANON);
		if (file)
			size += node_page_state(pgdat, NR_INACTIVE_ANON);
	}
	return distance <= size;
}

void workingset_refault(struct page *page, void *shadow)
{
	bool file = !test_bit_flag(page, PG_swapbacked), workingset;
	struct lruvec *lruvec = page_lruvec(page);
	pg_data_t *pgdat = page_pgdat(page);

	__mod_node_page_state(
		pgdat, file ? WORKINGSET_REFAULT_FILE : WORKINGSET_REFAULT_ANON,
		1);
	if (!workingset_test_recent(shadow, file, &workingset))
		return;
	page->flags |= 1UL << PG_active;
	workingset_age_nonresident(lruvec, 1);
	__mod_node_page_state(
		pgdat,
		file ? WORKINGSET_ACTIVATE_FILE : WORKINGSET_ACTIVATE_ANON, 1);
	/* It was active before its eviction: back in the workingset. */
	if (workingset) {
		page->flags |= 1UL << PG_workingset;
		lru_note_cost_refault(page);
		__mod_node_page_state(pgdat,
				      file ? WORKINGSET_RESTORE_FILE :
					     WORKINGSET_RESTORE_ANON,
				      1);
	}
}

void workingset_activation(struct page *page)
{
	workingset_age_nonresident(page_lruvec(page), 1);
}

/* ---- the shadow-node shrinker ---------------------------------------------- */

/* Shadow-only nodes are worth keeping up to one per 8 pages of memory's
 * worth of slots (Linux: about 1.8% of memory in nodes): the excess is
 * freeable (count_shadow_nodes). Every node counts on node 0 here. */
static unsigned long count_shadow_nodes(struct shrinker *shrinker,
					struct shrink_control *sc)
{
	unsigned long nodes = global_node_page_state(WORKINGSET_NODES);
	unsigned long pages = 0, max_nodes;

	(void)shrinker;
	(void)sc;
	if (!nodes)
		return SHRINK_EMPTY;
	for (int nid = 0; nid < M->nr_nodes; nid++)
		pages += NODE_DATA(nid)->node_present_pages;
	max_nodes = pages >> (XA_CHUNK_SHIFT - 3);
	return nodes > max_nodes ? nodes - max_nodes : 0;
}

static unsigned long scan_shadow_nodes(struct shrinker *shrinker,
				       struct shrink_control *sc)
{
	(void)shrinker;
	return swap_shadow_nodes_reclaim(sc->nr_to_scan);
}

bool workingset_init(void)
{
	struct shrinker *s = calloc(1, sizeof(*s));

	M->swap->shadow_shrinker = s;
	if (!s)
		return false;
	s->count_objects = count_shadow_nodes;
	s->scan_objects = scan_shadow_nodes;
	s->seeks = 0; /* count reports only expendable nodes */
	return !register_shrinker(s);
}
