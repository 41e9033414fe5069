/* The textbook reclaim policies beside Linux's LRU (mm/vmscan.c): CLOCK,
 * FIFO and exact LRU, each an ops table of mm/reclaim_policy.h, and the
 * table that --reclaim chooses from. Each keeps two circles or queues
 * per node, its inactive anon and file lists (PG_active is never set),
 * which vm.swappiness balances as for the LRU; reclaim takes its
 * victims from their tails. Linux has no such file: it has MGLRU and
 * the two-list LRU only (docs/reclaim-policies.md). */
#include "mm/reclaim_policy.h"

#include <string.h>

#include "mm/rmap.h"
#include "mm/swap.h"

/* ---- CLOCK (second chance) -------------------------------------------------- */

/* The hand is at the tail of the list and moves towards the head; a
 * page it passes goes to the head, which is just behind the hand, as on
 * a circle. A new page enters there too. */

/* The reference bit: PG_referenced (an access through the kernel) or a
 * young PTE (set by the MMU on a walk), harvested through rmap. A
 * referenced page loses its bit and is passed over; the first
 * unreferenced page is the victim. */
static enum page_references clock_check_references(struct page *page)
{
	unsigned long vm_flags;
	int young = page_referenced(page, &vm_flags);
	bool referenced = test_bit_flag(page, PG_referenced);

	page->flags &= ~(1UL << PG_referenced);
	if (vm_flags & VM_LOCKED)
		return PAGEREF_KEEP; /* mlock() will take it off */
	if (!young && !referenced)
		return PAGEREF_RECLAIM;
	M->reclaim_counters[0]++; /* second_chance */
	return PAGEREF_KEEP;
}

static void clock_mark_accessed(struct page *page)
{
	page->flags |= 1UL << PG_referenced;
}

const struct reclaim_policy_ops clock_policy_ops = {
	.name = "clock",
	.mark_accessed = clock_mark_accessed,
	.check_references = clock_check_references,
	.counters = { "second_chance" },
};

/* ---- FIFO -------------------------------------------------------------------- */

/* Pages leave in the order they came (a new page at the head, victims
 * from the tail); accesses change nothing. */
static enum page_references fifo_check_references(struct page *page)
{
	(void)page;
	return PAGEREF_RECLAIM;
}

static void fifo_mark_accessed(struct page *page)
{
	(void)page;
}

const struct reclaim_policy_ops fifo_policy_ops = {
	.name = "fifo",
	.mark_accessed = fifo_mark_accessed,
	.check_references = fifo_check_references,
};

/* ---- exact LRU --------------------------------------------------------------- */

/* Each access moves the page to the head of its list: the list is in
 * order of last access, the least recently used page at the tail. */
static void exact_lru_touched(struct page *page)
{
	if (!PageLRU(page) || test_bit_flag(page, PG_unevictable))
		return;
	list_move(&page->lru, &page_lruvec(page)->lists[page_lru(page)]);
	M->reclaim_counters[0]++; /* stamps */
}

const struct reclaim_policy_ops exact_lru_policy_ops = {
	.name = "exact-lru",
	.mark_accessed = exact_lru_touched,
	.page_touched = exact_lru_touched,
	.check_references = fifo_check_references, /* the tail is the victim */
	.counters = { "stamps" },
};

/* ---- the choice ---------------------------------------------------------------- */

static const struct reclaim_policy_ops *const policies[NR_RECLAIM_POLICIES] = {
	[RECLAIM_LRU] = &lru_policy_ops,
	[RECLAIM_CLOCK] = &clock_policy_ops,
	[RECLAIM_FIFO] = &fifo_policy_ops,
	[RECLAIM_EXACT_LRU] = &exact_lru_policy_ops,
};

const struct reclaim_policy_ops *reclaim_policy_ops(enum reclaim_policy p)
{
	return (unsigned)p < NR_RECLAIM_POLICIES ? policies[p] : policies[0];
}

bool reclaim_policy_parse(const char *name, enum reclaim_policy *p)
{
	for (int i = 0; i < NR_RECLAIM_POLICIES; i++) {
		if (!strcmp(name, policies[i]->name)) {
			*p = (enum reclaim_policy)i;
			return true;
		}
	}
	return false;
}

/* "policy NAME", the policies on offer with the chosen one in brackets
 * (as sysfs choice files show), then the policy's own counters. */
void reclaim_policy_show(struct seq_file *m)
{
	const struct reclaim_policy_ops *ops = M->reclaim;

	seq_printf(m, "policy %s\navailable", ops->name);
	for (int i = 0; i < NR_RECLAIM_POLICIES; i++)
		seq_printf(m, policies[i] == ops ? " [%s]" : " %s",
			   policies[i]->name);
	seq_putc(m, '\n');
	for (int i = 0; i < RECLAIM_POLICY_COUNTERS; i++)
		if (ops->counters[i])
			seq_printf(m, "%s %lu\n", ops->counters[i],
				   M->reclaim_counters[i]);
}
