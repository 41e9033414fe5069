/* Nodes, zones and free areas (include/linux/mmzone.h): pg_data_t per NUMA
 * node, struct zone per memory zone, free_area[] per order and migrate
 * type, per-CPU page lists, and the pfn <-> page <-> address helpers. */
#ifndef MMSIM_MM_MMZONE_H
#define MMSIM_MM_MMZONE_H

#include <stdbool.h>

#include "base/kernel.h"
#include "base/list.h"
#include "mm/mm_types.h"
#include "mm/vmstat_items.h"

#define MAX_PAGE_ORDER 10
#define NR_PAGE_ORDERS (MAX_PAGE_ORDER + 1)
#define MAX_ORDER_NR_PAGES (1UL << MAX_PAGE_ORDER)
#define PAGE_ALLOC_COSTLY_ORDER 3
/* SPARSEMEM's memory sections (x86_64 and riscv64 alike): 128 MiB. */
#define SECTION_SIZE_BITS 27
#define PAGES_PER_SECTION (1UL << (SECTION_SIZE_BITS - PAGE_SHIFT))

enum migratetype {
	MIGRATE_UNMOVABLE,
	MIGRATE_MOVABLE,
	MIGRATE_RECLAIMABLE,
	MIGRATE_PCPTYPES,
	MIGRATE_HIGHATOMIC = MIGRATE_PCPTYPES,
	MIGRATE_ISOLATE,
	MIGRATE_TYPES
};

extern const char *const migratetype_names[MIGRATE_TYPES];

/* Every zone type any arch has; an arch preset says which exist. */
enum zone_type {
	ZONE_DMA,
	ZONE_DMA32,
	ZONE_NORMAL,
	ZONE_HIGHMEM,
	ZONE_MOVABLE,
	MAX_NR_ZONES
};

enum zone_watermarks {
	WMARK_MIN,
	WMARK_LOW,
	WMARK_HIGH,
	WMARK_PROMO,
	NR_WMARK
};

#define X_ENUM(e, s) e,
enum zone_stat_item { ZONE_STAT_ITEMS(X_ENUM) NR_VM_ZONE_STAT_ITEMS };
enum numa_stat_item { NUMA_STAT_ITEMS(X_ENUM) NR_VM_NUMA_EVENT_ITEMS };
enum node_stat_item { NODE_STAT_ITEMS(X_ENUM) NR_VM_NODE_STAT_ITEMS };
enum vm_stat_item { VM_STAT_ITEMS(X_ENUM) NR_VM_STAT_ITEMS };
#define Z_ENUM(e, s) e##_DMA, e##_DMA32, e##_NORMAL, e##_HIGH, e##_MOVABLE,
enum vm_event_item { VM_EVENT_ITEMS(X_ENUM, Z_ENUM) NR_VM_EVENT_ITEMS };
#undef Z_ENUM
#undef X_ENUM

struct free_area {
	struct list_head free_list[MIGRATE_TYPES];
	unsigned long nr_free;
};

/* pcp lists: one per migrate type for each order 0..PAGE_ALLOC_COSTLY_ORDER */
#define NR_PCP_LISTS (MIGRATE_PCPTYPES * (PAGE_ALLOC_COSTLY_ORDER + 1))

struct per_cpu_pages {
	int count; /* pages on the lists */
	int high;
	int high_min;
	int high_max;
	int batch;
	int free_count; /* consecutive frees, for batch sizing */
	struct list_head lists[NR_PCP_LISTS];
};

struct pglist_data;

struct zone {
	unsigned long _watermark[NR_WMARK];
	unsigned long watermark_boost;
	long lowmem_reserve[MAX_NR_ZONES];
	int node;
	struct pglist_data *zone_pgdat;
	struct per_cpu_pages *per_cpu_pageset; /* [nr_cpus], in the percpu area */
	unsigned char *pageblock_flags; /* migrate type per pageblock */
	unsigned long zone_start_pfn;
	unsigned long managed_pages;
	unsigned long spanned_pages;
	unsigned long present_pages;
	const char *name;
	int stat_threshold;
	struct free_area free_area[NR_PAGE_ORDERS];
	long vm_stat[NR_VM_ZONE_STAT_ITEMS];
	unsigned long vm_numa_event[NR_VM_NUMA_EVENT_ITEMS];
};

enum {
	ZONELIST_FALLBACK, /* this node first, then others by distance */
	ZONELIST_NOFALLBACK, /* __GFP_THISNODE: this node only */
	MAX_ZONELISTS
};

#define MAX_ZONES_PER_ZONELIST (MAX_NUMNODES * MAX_NR_ZONES)

struct zoneref {
	struct zone *zone;
	int zone_idx;
};

struct zonelist {
	struct zoneref _zonerefs[MAX_ZONES_PER_ZONELIST + 1];
};

/* The LRU lists of a node (include/linux/mmzone.h). */
enum lru_list {
	LRU_INACTIVE_ANON,
	LRU_ACTIVE_ANON,
	LRU_INACTIVE_FILE,
	LRU_ACTIVE_FILE,
	LRU_UNEVICTABLE,
	NR_LRU_LISTS
};

struct lruvec {
	struct list_head lists[NR_LRU_LISTS];
	/* Evictions and activations so far (mm/workingset.c). */
	unsigned long nonresident_age;
	/* What reclaiming each kind has cost lately: I/O and rotations
	 * (lru_note_cost), decaying; get_scan_count() weighs by them. */
	unsigned long anon_cost, file_cost;
};

typedef struct pglist_data {
	struct zone node_zones[MAX_NR_ZONES];
	struct zonelist node_zonelists[MAX_ZONELISTS];
	int nr_zones; /* highest populated zone index + 1 */
	struct page *node_mem_map;
	unsigned long node_start_pfn;
	unsigned long node_present_pages;
	unsigned long node_spanned_pages;
	int node_id;
	unsigned long totalreserve_pages;
	/* kswapd's rounds in a row that freed nothing; at
	 * MAX_RECLAIM_RETRIES the node is hopeless: kswapd is not woken for
	 * it until any reclaim there frees something (vmscan.c). */
	int kswapd_failures;
	long vm_stat[NR_VM_NODE_STAT_ITEMS];
	struct lruvec __lruvec;
} pg_data_t;

static inline unsigned long zone_end_pfn(const struct zone *z)
{
	return z->zone_start_pfn + z->spanned_pages;
}

static inline bool populated_zone(const struct zone *z)
{
	return z->present_pages != 0;
}

static inline bool managed_zone(const struct zone *z)
{
	return z->managed_pages != 0;
}

static inline unsigned long zone_managed_pages(const struct zone *z)
{
	return z->managed_pages;
}

static inline bool zone_spans_pfn(const struct zone *z, unsigned long pfn)
{
	return z->zone_start_pfn <= pfn && pfn < zone_end_pfn(z);
}

#define min_wmark_pages(z) ((z)->_watermark[WMARK_MIN] + (z)->watermark_boost)
#define low_wmark_pages(z) ((z)->_watermark[WMARK_LOW] + (z)->watermark_boost)
#define high_wmark_pages(z) ((z)->_watermark[WMARK_HIGH] + (z)->watermark_boost)
#define promo_wmark_pages(z) \
	((z)->_watermark[WMARK_PROMO] + (z)->watermark_boost)
#define wmark_pages(z, i) ((z)->_watermark[i] + (z)->watermark_boost)

static inline enum zone_type zone_idx(const struct zone *z)
{
	return (enum zone_type)(z - z->zone_pgdat->node_zones);
}

static inline bool is_highmem_idx(enum zone_type idx)
{
	return idx == ZONE_HIGHMEM;
}

/* Page block: the unit of migrate-type grouping. */
static inline unsigned long zone_free_pages(const struct zone *z)
{
	return (unsigned long)z->vm_stat[NR_FREE_PAGES];
}

#endif
