/* Reclaim policies: which pages reclaim (mm/vmscan.c) takes, behind one
 * ops table chosen at boot with --reclaim, as Kconfig chooses MGLRU or
 * the classic LRU in Linux. Linux's active/inactive LRU is the default
 * (mm/vmscan.c); CLOCK, FIFO and exact LRU are the textbook policies
 * (mm/reclaim_policy.c, docs/reclaim-policies.md). Every policy keeps
 * its pages on the node's LRU lists and reclaim takes its victims from
 * the tail of the inactive lists; a policy decides where pages go on
 * those lists, what an access does, and what reclaim does with a page
 * it finds there. */
#ifndef MMSIM_MM_RECLAIM_POLICY_H
#define MMSIM_MM_RECLAIM_POLICY_H

#include <stdbool.h>

#include "base/seq_file.h"
#include "mm/mmzone.h"

struct page;

enum reclaim_policy {
	RECLAIM_LRU, /* the default */
	RECLAIM_CLOCK,
	RECLAIM_FIFO,
	RECLAIM_EXACT_LRU,
	NR_RECLAIM_POLICIES
};

/* What reclaim does with a page from the tail of an inactive list
 * (folio_check_references): free it, put it back at the head, or (with
 * active lists) move it to the active list. */
enum page_references { PAGEREF_RECLAIM, PAGEREF_KEEP, PAGEREF_ACTIVATE };

#define RECLAIM_POLICY_COUNTERS 2

struct reclaim_policy_ops {
	const char *name;
	/* Pages move between active and inactive lists (Linux's LRU). Else
	 * PG_active is never set: every evictable page is on its type's
	 * inactive list, in the policy's order, tail first out. */
	bool active_lists;
	/* A page used through the kernel (folio_mark_accessed). */
	void (*mark_accessed)(struct page *page);
	/* Every data-plane access of a page on the LRU, TLB hits included
	 * (workload/access.c); NULL when the policy needs only the PTE
	 * accessed bits the MMU sets, so the access path stays as it was. */
	void (*page_touched)(struct page *page);
	/* The verdict on a page reclaim took from an inactive list's tail. */
	enum page_references (*check_references)(struct page *page);
	/* Ages nr pages of active list lru when its inactive list is low
	 * (shrink_active_list); NULL without active lists. */
	void (*age_active)(unsigned long nr, pg_data_t *pgdat,
			   enum lru_list lru);
	/* The policy's own counters in /proc/mmsim/reclaim (Linux's are in
	 * /proc/vmstat), in M->reclaim_counters[]. */
	const char *counters[RECLAIM_POLICY_COUNTERS];
};

extern const struct reclaim_policy_ops lru_policy_ops, clock_policy_ops,
	fifo_policy_ops, exact_lru_policy_ops;

/* The ops of policy p, and its name ("lru", "clock", "fifo",
 * "exact-lru"); reclaim_policy_parse() is false for an unknown name. */
const struct reclaim_policy_ops *reclaim_policy_ops(enum reclaim_policy p);
bool reclaim_policy_parse(const char *name, enum reclaim_policy *p);

/* Linux's folio_mark_accessed(): referenced once, activated the second
 * time (the LRU policy's mark_accessed). */
void lru_mark_page_accessed(struct page *page);

/* /proc/mmsim/reclaim: the policy and its counters. */
void reclaim_policy_show(struct seq_file *m);

#endif
