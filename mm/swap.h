/* LRU lists and swap (include/linux/swap.h, swapops.h, mm_inline.h):
 * the lists each node keeps of user pages, which reclaim scans; swap
 * areas (mm/swapfile.c), the swap cache (mm/swap_state.c), swap I/O
 * (mm/page_io.c) and reclaim (mm/vmscan.c). */
#ifndef MMSIM_MM_SWAP_H
#define MMSIM_MM_SWAP_H

#include "base/seq_file.h"
#include "kernel/sched/wait.h"
#include "mm/gfp.h"
#include "mm/mm.h"
#include "mm/pgtable.h"

static inline struct lruvec *page_lruvec(const struct page *page)
{
	return &page_pgdat(page)->__lruvec;
}

/* The list a page on the LRU belongs to (folio_lru_list). */
static inline enum lru_list page_lru(const struct page *page)
{
	if (test_bit_flag(page, PG_unevictable))
		return LRU_UNEVICTABLE;
	return (test_bit_flag(page, PG_swapbacked) ? LRU_INACTIVE_ANON :
						     LRU_INACTIVE_FILE) +
	       (test_bit_flag(page, PG_active) ? 1 : 0);
}

/* A new user page goes on its inactive list, or the unevictable one in
 * a VM_LOCKED mapping (folio_add_lru_vma). */
void lru_cache_add_inactive_or_unevictable(struct page *page,
					   struct vm_area_struct *vma);
void lru_cache_add(struct page *page);
/* Reclaim of nr_io pages' I/O and nr_rotated pages put back cost this
 * much for the anon or file lists of lruvec (lru_note_cost); a refault
 * of an evicted workingset page costs one I/O (lru_note_cost_refault). */
void lru_note_cost(struct lruvec *lruvec, bool file, unsigned long nr_io,
		   unsigned long nr_rotated);
void lru_note_cost_refault(struct page *page);
/* Takes a page off its LRU list. */
void lruvec_del_page(struct page *page);
/* put_page() of the last reference to a user page, before the free. */
void __page_cache_release(struct page *page);
/* A page accessed through a syscall or a fault (folio_mark_accessed):
 * what the reclaim policy does with it (the LRU: referenced once, then
 * activated). */
void mark_page_accessed(struct page *page);

/* ---- page flags of swap ---------------------------------------------------- */

/* PG_swapcache is PG_owner_priv_1 on a swap-backed page; PG_readahead
 * (a swap-in readahead page not yet used) is PG_reclaim, as in Linux. */
static inline bool PageSwapCache(const struct page *page)
{
	return test_bit_flag(page, PG_swapbacked) &&
	       test_bit_flag(page, PG_owner_priv_1);
}

static inline bool PageWriteback(const struct page *page)
{
	return test_bit_flag(page, PG_writeback);
}

static inline bool PageLocked(const struct page *page)
{
	return test_bit_flag(page, PG_locked);
}

static inline bool PageUptodate(const struct page *page)
{
	return test_bit_flag(page, PG_uptodate);
}

/* The swap entry of a page in the swap cache (folio->swap). */
static inline swp_entry_t page_swap_entry(const struct page *page)
{
	return (swp_entry_t){ page->private };
}

/* ---- swap areas (mm/swapfile.c) ---------------------------------------------- */

/* swap_map: the references to each slot (PTEs and the swap cache's
 * SWAP_HAS_CACHE bit). Linux continues counts above SWAP_MAP_MAX in
 * extra pages; mmsim refuses the 63rd reference (docs/deviations.md). */
#define SWAP_HAS_CACHE 0x40
#define SWAP_MAP_MAX 0x3e
#define SWAP_MAP_BAD 0x3f
#define SWAPFILE_CLUSTER 256 /* slots per cluster (x86-64 HPAGE_PMD_NR) */
/* Swap types a PTE can name: 32 minus migration (3), hwpoison and the
 * pte marker types of a distribution kernel. */
#define MAX_SWAPFILES 27
/* swapon(2) flags (include/linux/swap.h). */
#define SWAP_FLAG_PREFER 0x8000
#define SWAP_FLAG_PRIO_MASK 0x7fff
#define SWAP_FLAG_DISCARD 0x10000
#define SWAP_FLAG_DISCARD_ONCE 0x20000
#define SWAP_FLAG_DISCARD_PAGES 0x40000
#define SWAP_FLAGS_VALID                                              \
	(SWAP_FLAG_PRIO_MASK | SWAP_FLAG_PREFER | SWAP_FLAG_DISCARD | \
	 SWAP_FLAG_DISCARD_ONCE | SWAP_FLAG_DISCARD_PAGES)

struct block_device;
struct swap_device;

/* The swap cache's slots in groups of 64, as the leaf nodes of Linux's
 * xarray: a node holding shadows and no page is what Linux keeps on its
 * shadow_nodes list and counts in workingset_nodes. */
#define XA_CHUNK_SHIFT 6
#define XA_CHUNK_SIZE (1UL << XA_CHUNK_SHIFT)
struct swap_xa_node {
	unsigned char count; /* pages and shadows */
	unsigned char nr_values; /* shadows */
	unsigned char type; /* of its swap area */
	/* On M->swap->shadow_nodes while it holds only shadows. */
	struct list_head lru;
};

/* si->flags */
#define SWP_USED 0x01u
#define SWP_WRITEOK 0x02u
#define SWP_DISCARDABLE 0x04u
#define SWP_SOLIDSTATE 0x10u

/* One swap area (include/linux/swap.h). */
struct swap_info_struct {
	unsigned int flags; /* SWP_* */
	signed short prio;
	int type; /* index in swap_info[] */
	unsigned int max; /* slots, the header (slot 0) included */
	unsigned char *swap_map; /* [max] */
	unsigned int *cluster_count; /* used slots per cluster */
	unsigned int nr_clusters;
	unsigned int cluster_next; /* the next slot of the current cluster */
	unsigned int free_cluster_head; /* scan start for a free cluster */
	unsigned int pages; /* usable slots */
	unsigned int inuse_pages;
	struct page **swap_cache; /* [max]: the swap cache of this type */
	/* Shadow entries of pages evicted from it (mm/workingset.c):
	 * Linux's value entries in the cache's xarray. */
	unsigned long *shadows; /* [max] */
	struct swap_xa_node *xa_nodes; /* [max / XA_CHUNK_SIZE + 1] */
	struct swap_device *dev; /* what it is on */
	struct list_head avail_list; /* on swap_avail_head, by priority */
};

/* One swap area's backing before and after swapon: a partition of its
 * own (data in host memory) or a host file, timed on a disk. */
struct swap_device {
	char path[256]; /* /dev/NAME or the host file */
	bool is_file;
	uint64_t pages; /* size in pages, the header included */
	unsigned char *mem; /* partition: the data (MAP_NORESERVE) */
	int fd; /* file: the host file */
	struct block_device *bdev; /* times the I/O */
	uint64_t start_sector; /* of slot 0 on bdev */
	struct swap_info_struct *si; /* while swapped on */
	struct list_head list;
};

/* The machine's swap (M->swap, host memory like the disks). */
struct swap_state {
	struct swap_info_struct *swap_info[MAX_SWAPFILES];
	int nr_swapfiles; /* types ever used */
	long nr_swap_pages; /* free slots over all areas */
	int least_priority; /* the default priorities: -2, -3, ... */
	struct list_head avail_head; /* areas with free slots, by priority */
	struct list_head devices; /* every swap_device */
	int nr_nvme, nr_sd; /* swap disks made (names) */
	struct wait_queue_head wait; /* swap I/O completions */
	/* Reclaim throttled on writeback (reclaim_throttle): woken each
	 * SWAP_CLUSTER_MAX pages written, or when writeback is over. */
	struct wait_queue_head throttle;
	unsigned int nr_written;
	long nr_reads; /* read bios in flight */
	long nr_shadows; /* shadow entries in the swap cache */
	struct list_head bios; /* every swap bio in flight (page_io.c) */
	/* Swap-in readahead (swap_state.c): the cluster readahead's hits
	 * since its last window, the slot of its last fault without hits
	 * and its last window; VMA readahead allowed
	 * (/sys/kernel/mm/swap/vma_ra_enabled), and the swap areas on
	 * rotating disks, which turn it off while one is on. */
	unsigned int ra_hits, ra_last_pages;
	unsigned long ra_prev_offset;
	bool vma_ra_enabled;
	int nr_rotate_swap;
	/* The swap-cache nodes holding only shadows, oldest first (Linux's
	 * shadow_nodes list_lru), and their shrinker (mm/workingset.c). */
	struct list_head shadow_nodes;
	struct shrinker *shadow_shrinker; /* host memory */
};

/* Boot: the swap state and each configured area (--swap). False with
 * err on a bad option or when it cannot be made. */
bool swap_init(char *err, size_t errlen);
void swap_destroy(struct machine *m);

/* Parses "SIZE[:nvme|ssd|hdd][:FILE]" of --swap: false with err. */
bool swap_option_check(const char *value, char *err, size_t errlen);
/* Makes a swap device as mkswap would (a new disk of preset, or the host
 * file path timed on such a disk or the machine's own) and returns its
 * path in *path; preset NULL takes the machine's disk type (nvme if it
 * has none). 0 or a negative errno with err set. */
int mkswap(uint64_t bytes, const char *preset, const char *file,
	   const char **path, char *err, size_t errlen);
/* swapon(2) and swapoff(2): 0 or -errno. */
long sys_swapon(const char *specialfile, int swap_flags);
long sys_swapoff(const char *specialfile);
/* /proc/swaps */
void swaps_show(struct seq_file *m);

/* The area of entry, NULL for a bad one (logged as Linux does). */
struct swap_info_struct *swp_swap_info(swp_entry_t entry);
/* A free slot with SWAP_HAS_CACHE set, from the best area (val 0: none;
 * folio_alloc_swap). */
swp_entry_t get_swap_page(void);
/* One more PTE refers to entry: 0, or -ENOMEM at SWAP_MAP_MAX. */
int swap_duplicate(swp_entry_t entry);
/* A PTE's reference goes (swap_free). */
void swap_free(swp_entry_t entry);
/* The swap cache lets go of entry's slot (put_swap_folio). */
void put_swap_page(swp_entry_t entry);
/* PTE references to entry's slot (swap_count). */
int swap_count(swp_entry_t entry);
/* A PTE holding entry is zapped: the slot goes, and an unmapped page in
 * the swap cache with it. */
void free_swap_and_cache(swp_entry_t entry);
/* More than half of swap is in use. */
bool vm_swap_full(void);
static inline long get_nr_swap_pages(void)
{
	return M->swap ? M->swap->nr_swap_pages : 0;
}

/* ---- the swap cache (mm/swap_state.c) -------------------------------------- */

/* The swap cache and shadows of an area at swapon (false: no host
 * memory), freed at swapoff (init/exit_swap_address_space). */
bool init_swap_address_space(struct swap_info_struct *si);
void exit_swap_address_space(struct swap_info_struct *si);
/* The cached page of entry with a reference, or NULL; a fault at addr
 * of vma (NULL: no fault) counts a readahead hit for the windows. */
struct page *lookup_swap_cache(swp_entry_t entry, struct vm_area_struct *vma,
			       unsigned long addr);
/* page (locked or uptodate) goes in the cache at entry: one reference;
 * the shadow it replaces in *shadowp (NULL: none) when shadowp. */
void add_to_swap_cache(struct page *page, swp_entry_t entry, void **shadowp);
/* ... and leaves it, the slot's cache bit and the reference going; a
 * shadow (workingset_eviction) takes its place unless NULL. */
void __delete_from_swap_cache(struct page *page, void *shadow);
void delete_from_swap_cache(struct page *page);
/* Drops the shadows of up to nr nodes that hold nothing else, oldest
 * first (shadow_lru_isolate): the nodes freed. */
unsigned long swap_shadow_nodes_reclaim(unsigned long nr);
/* The slot off of si is free: its shadow goes
 * (clear_shadow_from_swap_cache). */
void clear_shadow_from_swap_cache(struct swap_info_struct *si,
				  unsigned long off);
/* Gives an anonymous page a slot and puts it in the swap cache, dirty
 * (add_to_swap): false when swap is full or absent. */
bool add_to_swap(struct page *page);
/* Drops a swap-cache page's slot when no PTE refers to it any more and
 * no I/O is in flight (folio_free_swap). */
bool try_to_free_swap(struct page *page);
/* /sys/kernel/mm/swap/vma_ra_enabled: "true" or "false"; a write takes
 * what kstrtobool() does (0 or -EINVAL with err). */
void vma_ra_enabled_show(struct seq_file *m);
int vma_ra_enabled_store(const char *value, char *err, size_t errlen);
/* Reads the page of entry for the fault vmf (vma and address) into the
 * swap cache with readahead, as Linux's swapin_readahead: by virtual
 * address around the fault in its VMA (swap_vma_readahead), or the
 * aligned block of slots around entry's while a swap area on a rotating
 * disk is on (swap_cluster_readahead); windows of up to
 * 2^vm.page-cluster pages that grow with readahead hits and shrink to
 * one page without them. sync reads at once. NULL when no page can be
 * allocated; *io says whether a read was started. */
struct page *swapin_readahead(swp_entry_t entry, gfp_t gfp,
			      struct vm_fault *vmf, bool sync, bool *io);
/* Frees the entries swap_wait_io() and reclaim_throttle() left on q
 * (the machine goes). */
void swap_waiters_free(struct wait_queue_head *q);
/* MADV_WILLNEED: starts reading entry's page into the swap cache
 * (synchronously outside a task body). */
void swapin_prefetch(swp_entry_t entry);
/* Sleeps current (D) until the next swap I/O completes; the caller
 * returns and retries (folio_lock_or_retry, reclaim_throttle). The
 * sleep is a memory stall (psi) when memstall: the wait for a
 * workingset page's read (a thrashing refault) or for memory. */
void swap_wait_io(bool memstall);
/* Sleeps current (D) until writeback has freed some memory
 * (reclaim_throttle(VMSCAN_THROTTLE_WRITEBACK)), a memory stall; the
 * caller retries. */
void reclaim_throttle(void);
/* current runs again after one of those sleeps: its memory stall ends
 * (the end of folio_wait_bit_common and of direct reclaim). */
void swap_wait_done(void);
/* Swap I/O in flight: writeback or reads. */
bool swap_io_pending(void);

/* ---- swap I/O (mm/page_io.c) ------------------------------------------------ */

/* Writes a dirty swap-cache page out: PG_writeback until the device is
 * done (then PG_reclaim rotates it to the inactive tail). */
void swap_writepage(struct page *page);
/* Reads a locked swap-cache page in: sync copies the data at once; else
 * a read bio unlocks it when done. */
void swap_readpage(struct page *page, bool sync);
/* The data of a locked page whose read is in flight, now (a synchronous
 * fault that cannot wait). */
void swap_read_now(struct page *page);
/* Frees the bios still in flight when the machine goes. */
void swap_io_destroy(struct swap_state *s);

/* ---- reclaim (mm/vmscan.c) --------------------------------------------------- */

/* Reclaims the pages on list (isolated from the LRU) as MADV_PAGEOUT
 * does, references ignored (reclaim_pages). Returns pages freed. */
unsigned long reclaim_pages(struct list_head *list);
/* Takes a page off the LRU for reclaim (folio_isolate_lru). */
bool isolate_lru_page(struct page *page);
/* The direct reclaim of the allocator's slow path. */
unsigned long try_to_free_pages(gfp_t gfp, unsigned order, int nid,
				enum zone_type highest_zoneidx);
/* Wakes kswapd of each node whose zones are low (wake_all_kswapds). */
void wakeup_kswapd(struct zone *zone, gfp_t gfp, unsigned order,
		   enum zone_type highest_zoneidx);
/* kswapd0.. for each node (kswapd_run), after kthreadd. */
bool kswapd_init(void);
void vmscan_destroy(struct machine *m);
/* Free pages of z above mark for an allocation of order (mm/page_alloc.c). */
bool zone_watermark_ok(const struct zone *z, unsigned order, unsigned long mark,
		       int highest_zoneidx, unsigned alloc_flags);
/* An anonymous page's PTEs become swap entries (try_to_unmap): false if
 * one cannot (mlocked, count overflow, a dirty lazyfree page). */
bool try_to_unmap(struct page *page);
/* PTEs that map page and were young, now cleared (folio_referenced);
 * *vm_flags gathers their VMAs' flags. */
int page_referenced(struct page *page, unsigned long *vm_flags);

/* ---- workingset detection (mm/workingset.c) ---------------------------------- */

/* nr_pages more evictions or activations on lruvec. */
void workingset_age_nonresident(struct lruvec *lruvec, unsigned long nr_pages);
/* The shadow entry of a page being evicted from the swap cache (the
 * node's age, which advances, and PG_workingset). */
void *workingset_eviction(struct page *page);
/* A new page read in for a slot whose shadow is given: counted, and
 * activated (PG_active; PG_workingset when it was in the workingset)
 * if the refault distance is within the workingset size. Before the
 * page goes on the LRU. */
void workingset_refault(struct page *page, void *shadow);
/* mark_page_accessed() activated page. */
void workingset_activation(struct page *page);
/* Boot: the shrinker of shadow-only nodes (workingset_init); false when
 * it cannot be registered. */
bool workingset_init(void);

#endif
