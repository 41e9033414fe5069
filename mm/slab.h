/* The slab layer (include/linux/slab.h, mm/slab.h, slub_def.h): named
 * object caches (kmem_cache_*), the kmalloc family on top of them, the
 * shrinker hook for reclaim, and /proc/slabinfo. The allocator behind the
 * caches is chosen at boot through struct slab_allocator_ops: SLUB
 * (mm/slub.c, the default), SLAB (mm/slab.c) or SLOB (mm/slob.c). */
#ifndef MMSIM_MM_SLAB_H
#define MMSIM_MM_SLAB_H

#include <stdbool.h>
#include <stddef.h>

#include "arch/pgtable.h"
#include "base/list.h"
#include "base/seq_file.h"
#include "mm/gfp.h"
#include "mm/internal.h"

typedef unsigned int slab_flags_t;

/* kmem_cache_create flags (Linux's values before 6.8 made them
 * config-dependent bit numbers). */
#define SLAB_CONSISTENCY_CHECKS 0x00000100u /* sanity checks on alloc/free */
#define SLAB_RED_ZONE 0x00000400u /* red zones around objects */
#define SLAB_POISON 0x00000800u /* poison free objects */
#define SLAB_KMALLOC 0x00001000u /* a kmalloc cache */
#define SLAB_HWCACHE_ALIGN 0x00002000u /* align objects to cache lines */
#define SLAB_CACHE_DMA 0x00004000u /* slabs from ZONE_DMA */
#define SLAB_CACHE_DMA32 0x00008000u /* slabs from ZONE_DMA32 */
#define SLAB_STORE_USER 0x00010000u /* SLUB: track callers */
#define SLAB_RECLAIM_ACCOUNT 0x00020000u /* reclaimable (SReclaimable) */
#define SLAB_PANIC 0x00040000u /* creation failure is fatal */
#define SLAB_TYPESAFE_BY_RCU 0x00080000u
#define SLAB_TRACE 0x00200000u
#define SLAB_NOLEAKTRACE 0x00800000u
#define SLAB_NO_MERGE 0x01000000u
#define SLAB_ACCOUNT 0x04000000u
#define SLAB_NO_USER_FLAGS 0x10000000u
#define SLAB_NO_OBJ_EXT 0x40000000u
/* Internal: poison objects (SLAB_POISON without a constructor). */
#define __OBJECT_POISON 0x80000000u

#define SLAB_DEBUG_FLAGS                                              \
	(SLAB_RED_ZONE | SLAB_POISON | SLAB_STORE_USER | SLAB_TRACE | \
	 SLAB_CONSISTENCY_CHECKS)
#define SLAB_NEVER_MERGE                                              \
	(SLAB_RED_ZONE | SLAB_POISON | SLAB_STORE_USER | SLAB_TRACE | \
	 SLAB_TYPESAFE_BY_RCU | SLAB_NOLEAKTRACE | SLAB_NO_MERGE)
#define SLAB_MERGE_SAME                                             \
	(SLAB_RECLAIM_ACCOUNT | SLAB_CACHE_DMA | SLAB_CACHE_DMA32 | \
	 SLAB_ACCOUNT)
/* What kmem_cache_create accepts (SLAB_KMALLOC is for boot's caches). */
#define SLAB_FLAGS_PERMITTED                                       \
	(SLAB_DEBUG_FLAGS | SLAB_HWCACHE_ALIGN | SLAB_CACHE_DMA |  \
	 SLAB_CACHE_DMA32 | SLAB_RECLAIM_ACCOUNT | SLAB_PANIC |    \
	 SLAB_TYPESAFE_BY_RCU | SLAB_NOLEAKTRACE | SLAB_NO_MERGE | \
	 SLAB_ACCOUNT | SLAB_NO_USER_FLAGS | SLAB_NO_OBJ_EXT)

/* Debug patterns (include/linux/poison.h). */
#define SLUB_RED_INACTIVE 0xbb /* Linux 6.x: free objects' red zones */
#define SLUB_RED_ACTIVE 0xcc /* allocated objects' red zones */
#define POISON_INUSE 0x5a /* padding and never-used memory */
#define POISON_FREE 0x6b /* a free object */
#define POISON_END 0xa5 /* the last byte of a poisoned object */

#define ARCH_KMALLOC_MINALIGN 8
#define ARCH_SLAB_MINALIGN 8
#define L1_CACHE_BYTES 64

/* kmalloc size classes (SLUB): kmalloc-8 .. kmalloc-8k. */
#define KMALLOC_SHIFT_LOW 3
#define KMALLOC_SHIFT_HIGH (PAGE_SHIFT + 1)
#define KMALLOC_SHIFT_MAX (MAX_PAGE_ORDER + PAGE_SHIFT)
#define KMALLOC_MIN_SIZE (1UL << KMALLOC_SHIFT_LOW)
#define KMALLOC_MAX_CACHE_SIZE (1UL << KMALLOC_SHIFT_HIGH)
#define KMALLOC_MAX_SIZE (1UL << KMALLOC_SHIFT_MAX)

enum kmalloc_cache_type {
	KMALLOC_NORMAL,
	KMALLOC_RECLAIM, /* kmalloc-rcl-*: __GFP_RECLAIMABLE */
	KMALLOC_DMA, /* dma-kmalloc-*: __GFP_DMA */
	KMALLOC_CGROUP, /* kmalloc-cg-*: __GFP_ACCOUNT */
	NR_KMALLOC_TYPES
};

/* kmalloc(0) returns this: not NULL, but not usable either. */
#define ZERO_SIZE_PTR ((void *)16)
#define ZERO_OR_NULL_PTR(x) ((unsigned long)(x) <= (unsigned long)ZERO_SIZE_PTR)

/* ---- the cache structure ---------------------------------------------- */

/* SLUB statistics (Linux's enum stat_item, CONFIG_SLUB_STATS). */
enum stat_item {
	ALLOC_FASTPATH, /* from the CPU freelist */
	ALLOC_SLOWPATH, /* by the slow path */
	FREE_FASTPATH, /* to the CPU slab's freelist */
	FREE_SLOWPATH, /* to another slab */
	FREE_FROZEN, /* to another CPU's slab */
	FREE_ADD_PARTIAL, /* a full slab became partial */
	FREE_REMOVE_PARTIAL, /* an empty slab left the partial list */
	ALLOC_FROM_PARTIAL, /* a CPU slab taken from a partial list */
	ALLOC_SLAB, /* a new slab from the page allocator */
	ALLOC_REFILL, /* the CPU freelist refilled from its slab */
	ALLOC_NODE_MISMATCH, /* the CPU slab was on the wrong node */
	FREE_SLAB, /* a slab returned to the page allocator */
	CPUSLAB_FLUSH, /* a CPU slab flushed */
	DEACTIVATE_FULL, /* a full CPU slab deactivated */
	DEACTIVATE_EMPTY, /* an empty CPU slab deactivated (freed) */
	DEACTIVATE_TO_HEAD, /* a CPU slab put at a partial list's head */
	DEACTIVATE_TO_TAIL, /* ... at its tail */
	DEACTIVATE_REMOTE_FREES, /* a CPU slab with remote frees */
	DEACTIVATE_BYPASS, /* a CPU slab dropped when it ran empty */
	ORDER_FALLBACK, /* the minimum order used for lack of memory */
	CPU_PARTIAL_ALLOC, /* a CPU slab taken from the CPU partial list */
	CPU_PARTIAL_FREE, /* a full slab freed to joined the CPU partial list */
	CPU_PARTIAL_NODE, /* a node's partial slab moved to the CPU list */
	CPU_PARTIAL_DRAIN, /* the CPU partial list went back to the node */
	NR_SLUB_STAT_ITEMS
};

/* A CPU's active slab: objects come off freelist without touching the
 * slab (Linux's struct kmem_cache_cpu, less the cmpxchg transaction id),
 * its partial slabs (CONFIG_SLUB_CPU_PARTIAL: frozen, linked through
 * slab_list.next, their count in the first one's slab_list.prev), and the CPU's statistics (CONFIG_SLUB_STATS). */
struct kmem_cache_cpu {
	void *freelist; /* next free object of slab */
	struct page *slab; /* the slab allocated from (frozen) */
	struct page *partial; /* frozen slabs with free objects */
	unsigned int stat[NR_SLUB_STAT_ITEMS];
};

/* Per node: partial slabs, and the full slabs of debug caches (as in
 * Linux; other full slabs are on no list). */
struct kmem_cache_node {
	unsigned long nr_partial;
	struct list_head partial;
	struct list_head full;
	unsigned long nr_slabs;
	unsigned long total_objects;
};

/* Division by a constant as a multiply and shifts (lib/reciprocal_div.c):
 * object index = offset / size without a divide on every free. */
struct reciprocal_value {
	uint32_t m;
	uint8_t sh1, sh2;
};

static inline struct reciprocal_value reciprocal_value(uint32_t d)
{
	int l = fls(d - 1);
	uint64_t m = ((1ULL << 32) * ((1ULL << l) - d)) / d + 1;
	struct reciprocal_value r = { (uint32_t)m, (uint8_t)min(l, 1),
				      (uint8_t)max(l - 1, 0) };

	return r;
}

static inline uint32_t reciprocal_divide(uint32_t a, struct reciprocal_value r)
{
	uint32_t t = (uint32_t)(((uint64_t)a * r.m) >> 32);

	return (t + ((a - t) >> r.sh1)) >> r.sh2;
}

/* Objects per slab and slab order packed in one word, as Linux does. */
struct kmem_cache_order_objects {
	unsigned int x;
};

struct kmem_cache {
	struct kmem_cache_cpu *cpu_slab; /* [nr_cpus], after node[] */
	slab_flags_t flags;
	unsigned short cpu_partial; /* objects kept on CPU partial lists */
	unsigned short cpu_partial_slabs; /* ... as slabs (half full) */
	unsigned int min_partial; /* empty slabs a node keeps */
	/* SLUB's free paths: bytes of a slab of the preferred order less
	 * one (an object's offset in its slab is its address's low bits,
	 * slabs being buddy blocks), and whether free pointers are 64-bit
	 * (else 32-bit, i386), read here rather than from the arch. */
	unsigned int slab_mask;
	unsigned int size; /* object slot, metadata included */
	struct reciprocal_value reciprocal_size;
	bool fp64;
	/* UINT64_MAX / size + 1: for an offset x < 2^32, the high half of
	 * size_magic * x is x / size, and the low half is below size_magic
	 * iff size divides x (Lemire's fastmod), in one multiply. */
	uint64_t size_magic;
	unsigned int object_size; /* what the user asked for */
	unsigned int offset; /* free pointer offset in the object */
	struct kmem_cache_order_objects oo; /* preferred order, objects */
	struct kmem_cache_order_objects min; /* fallback (smallest) order */
	gfp_t allocflags; /* added to every slab page allocation */
	int refcount; /* users (aliases); -1: boot cache, never merged */
	void (*ctor)(void *object);
	unsigned int inuse; /* object + word padding + red zone */
	unsigned int align;
	unsigned int red_left_pad; /* left red zone before each object */
	unsigned int usersize; /* kmalloc caches: never merged */
	const char *name;
	bool name_owned; /* name was kstrdup'ed */
	struct list_head list; /* on slab_caches, newest first */
	struct kmem_cache_node *node[]; /* [nr_nodes] */
};

/* What /proc/slabinfo shows of a cache. */
struct slabinfo {
	unsigned long active_objs;
	unsigned long num_objs;
	unsigned long active_slabs;
	unsigned long num_slabs;
	unsigned long shared_avail;
	unsigned int limit;
	unsigned int batchcount;
	unsigned int shared;
	unsigned int objects_per_slab;
	unsigned int cache_order;
};

/* One slab allocator (SLUB, later SLAB and SLOB): the allocator-specific
 * half of every kmem_cache operation. */
struct slab_allocator_ops {
	const char *name;
	/* Boot: creates the kmem_cache and kmem_cache_node caches. */
	void (*init)(void);
	/* Lays s out from its object_size/align/flags/ctor and allocates
	 * its per-node and per-CPU parts: 0 or -errno. */
	int (*create)(struct kmem_cache *s, slab_flags_t flags);
	/* A compatible existing cache to merge into (NULL: none, or the
	 * allocator does not merge). */
	struct kmem_cache *(*alias)(const char *name, unsigned int size,
				    unsigned int align, slab_flags_t flags,
				    void (*ctor)(void *));
	void *(*alloc)(struct kmem_cache *s, gfp_t gfp, int node);
	void (*free)(struct kmem_cache *s, struct page *slab, void *object);
	/* Returns empty slabs to the page allocator; 0 if none are left. */
	int (*shrink)(struct kmem_cache *s);
	/* Frees every slab: 0, or non-zero (reported) if objects remain. */
	int (*shutdown)(struct kmem_cache *s);
	/* Frees the per-node parts of a cache that shut down. */
	void (*release)(struct kmem_cache *s);
	/* Usable bytes of each object (ksize). */
	size_t (*ksize)(const struct kmem_cache *s);
	/* NULL: the allocator has no /proc/slabinfo (SLOB). */
	void (*get_slabinfo)(struct kmem_cache *s, struct slabinfo *sinfo);
	/* Boot, once the kmalloc caches exist (optional). */
	void (*init_late)(void);
	/* The smallest kmalloc cache is kmalloc-(1 << kmalloc_shift_low)
	 * (0: KMALLOC_SHIFT_LOW); smaller requests share it. */
	unsigned int kmalloc_shift_low;
	/* Flags every kmalloc cache gets (SLAB: SLAB_HWCACHE_ALIGN). */
	slab_flags_t kmalloc_flags;
	/* An allocator without kmalloc caches (SLOB) serves kmalloc up to
	 * KMALLOC_MAX_CACHE_SIZE itself; its slab pages have no slab_cache,
	 * and kfree hands it their objects with a NULL cache. */
	void *(*kmalloc)(size_t size, gfp_t gfp, int node);
	/* ksize of such an object. */
	size_t (*kmalloc_size)(const void *object);
};

extern const struct slab_allocator_ops slub_ops, slab_ops, slob_ops;

/* Linux's slab_state. */
enum slab_state {
	DOWN, /* nothing works yet */
	PARTIAL, /* kmem_cache_node works */
	UP, /* kmalloc works */
	FULL, /* everything works */
};

/* Slab's static variables (Linux: slab_state, slab_caches, kmem_cache,
 * kmalloc_caches, ...). They live in the simulated kernel image's .data
 * section, like Linux's, so every machine has its own. */
struct slab_globals {
	enum slab_state state;
	const struct slab_allocator_ops *ops;
	struct list_head slab_caches; /* newest first */
	struct kmem_cache *kmem_cache; /* caches of struct kmem_cache */
	struct kmem_cache *kmem_cache_node; /* ... of struct kmem_cache_node */
	struct kmem_cache
		*kmalloc_caches[NR_KMALLOC_TYPES][KMALLOC_SHIFT_HIGH + 1];
	unsigned long slab_nodes; /* nodes with normal memory */
	/* Node 0's directly mapped struct pages, memmap_pfns of them from
	 * memmap_start_pfn (0 until boot sets them): the free paths find an
	 * object's struct page from its address with one load, as Linux's
	 * vmemmap gives it (virt_to_slab). */
	struct page *memmap;
	unsigned long memmap_start_pfn, memmap_pfns;
	struct list_head aliases; /* struct slab_alias */
	struct list_head shrinkers;
	/* Boot copies of the first two caches, before they can allocate
	 * themselves (room for node[] and the per-CPU array). */
	unsigned long boot_kmem_cache[3200];
	unsigned long boot_kmem_cache_node[3200];
	/* The allocator's own globals (SLOB's page lists, SLAB's limits). */
	unsigned long priv[16];
};

/* The slab globals of the current machine. */
static inline struct slab_globals *slab_globals(void)
{
	return (struct slab_globals *)(M->ram + M->image.start + M->image.code);
}

/* A name under which kmem_cache_create returned an existing cache. */
struct slab_alias {
	struct list_head list;
	struct kmem_cache *cache;
	char name[];
};

/* ---- slab pages ---------------------------------------------------------- */

static inline bool PageSlab(const struct page *page)
{
	return page_type_of(page) == PGTY_slab;
}

static inline void __SetPageSlab(struct page *page)
{
	page->page_type = (unsigned int)PGTY_slab << 24;
}

static inline bool PageLargeKmalloc(const struct page *page)
{
	return page_type_of(page) == PGTY_large_kmalloc;
}

static inline void __SetPageLargeKmalloc(struct page *page)
{
	page->page_type = (unsigned int)PGTY_large_kmalloc << 24;
}

static inline void __ClearPageType(struct page *page)
{
	page->page_type = PAGE_TYPE_NONE;
}

/* Smallest order whose block holds size bytes (size > 0). */
static inline unsigned get_order(unsigned long size)
{
	return size <= PAGE_SIZE ? 0 : (unsigned)fls64(size - 1) - PAGE_SHIFT;
}

/* The slab (head page) holding a kernel address, or NULL. The struct
 * page of an address of node 0 comes from the slab globals' window on
 * its mem_map, others' from virt_to_page_or_null. */
static inline struct page *virt_to_slab(const void *addr)
{
	const struct slab_globals *sg = slab_globals();
	unsigned long idx = PFN_DOWN((uintptr_t)addr - (uintptr_t)M->ram) -
			    sg->memmap_start_pfn; /* wraps below */
	struct page *page;

	if (likely(idx < sg->memmap_pfns)) {
		page = sg->memmap + idx;
	} else {
		page = virt_to_page_or_null(addr);
		if (unlikely(!page))
			return NULL;
	}
	page = compound_head(page);
	return likely(PageSlab(page)) ? page : NULL;
}

static inline int slab_nid(const struct page *slab)
{
	return page_to_nid(slab);
}

/* The kernel virtual address Linux would print for p (direct map),
 * so reports read like Linux's and are the same on every run. */
static inline unsigned long kaddr(const void *p)
{
	return (unsigned long)(M->pt_fmt->page_offset - M->phys_ram_base) +
	       (unsigned long)__pa(p);
}

/* Hex digits of a kernel address on this arch. */
static inline int kaddr_width(void)
{
	return M->arch->bits / 4;
}

/* ---- the kmem_cache API ------------------------------------------------ */

/* Boot: sets up the slab allocator and the kmalloc caches. Call once,
 * after the page allocator is up (mm_core_init's place in Linux). */
void kmem_cache_init(void);
/* Whether kmalloc works yet (Linux's slab_is_available). */
bool slab_is_available(void);

/* A cache of objects of size bytes aligned to align (0: the minimum),
 * constructed by ctor when their slab is populated. Returns an existing
 * compatible cache (an alias) when one exists. NULL on failure (after a
 * warning; with SLAB_PANIC a panic report). */
struct kmem_cache *kmem_cache_create(const char *name, unsigned int size,
				     unsigned int align, slab_flags_t flags,
				     void (*ctor)(void *));
/* The same with a region [useroffset, useroffset + usersize) that may
 * be copied to and from user space (hardened usercopy): such a cache is
 * never merged with another. */
struct kmem_cache *
kmem_cache_create_usercopy(const char *name, unsigned int size,
			   unsigned int align, slab_flags_t flags,
			   unsigned int useroffset, unsigned int usersize,
			   void (*ctor)(void *));
/* Drops a reference; the last one frees the cache, unless objects are
 * still allocated: then they are reported and the cache is kept. */
void kmem_cache_destroy(struct kmem_cache *s);
/* Returns the cache's empty slabs to the page allocator; 0 if the cache
 * holds no slab after. */
int kmem_cache_shrink(struct kmem_cache *s);
unsigned int kmem_cache_size(struct kmem_cache *s);
const char *kmem_cache_name(const struct kmem_cache *s);

void *kmem_cache_alloc(struct kmem_cache *s, gfp_t gfp);
void *kmem_cache_alloc_node(struct kmem_cache *s, gfp_t gfp, int node);
static inline void *kmem_cache_zalloc(struct kmem_cache *s, gfp_t gfp)
{
	return kmem_cache_alloc(s, gfp | __GFP_ZERO);
}
void kmem_cache_free(struct kmem_cache *s, void *object);

/* ---- kmalloc ------------------------------------------------------------ */

void *kmalloc(size_t size, gfp_t gfp);
void *kmalloc_node(size_t size, gfp_t gfp, int node);
static inline void *kzalloc(size_t size, gfp_t gfp)
{
	return kmalloc(size, gfp | __GFP_ZERO);
}
static inline void *kzalloc_node(size_t size, gfp_t gfp, int node)
{
	return kmalloc_node(size, gfp | __GFP_ZERO, node);
}
/* NULL when n * size overflows. */
void *kmalloc_array(size_t n, size_t size, gfp_t gfp);
static inline void *kcalloc(size_t n, size_t size, gfp_t gfp)
{
	return kmalloc_array(n, size, gfp | __GFP_ZERO);
}
void *krealloc(const void *p, size_t new_size, gfp_t gfp);
void kfree(const void *object);
/* Usable size of a kmalloc'ed object (its cache's, or the pages'). */
size_t ksize(const void *object);
void *kmemdup(const void *src, size_t len, gfp_t gfp);
char *kstrdup(const char *s, gfp_t gfp);
char *kstrndup(const char *s, size_t max, gfp_t gfp);

/* The cache kmalloc(size, gfp) uses; NULL above KMALLOC_MAX_CACHE_SIZE
 * or for size 0. */
struct kmem_cache *kmalloc_slab(size_t size, gfp_t gfp);

/* SLAB_STORE_USER records the function that called the slab API (Linux
 * records the return address, _RET_IP_, and prints it as a symbol): each
 * call names its caller here first. Functions that allocate for their
 * caller (kstrdup, krealloc, ...) call the API in parentheses, keeping
 * their caller's name, as Linux's kmalloc_track_caller does. */
extern _Thread_local const char *slab_caller;
#define SLAB_CALLER(call) (slab_caller = __func__, (call))
#define kmem_cache_alloc(...) SLAB_CALLER(kmem_cache_alloc(__VA_ARGS__))
#define kmem_cache_alloc_node(...) \
	SLAB_CALLER(kmem_cache_alloc_node(__VA_ARGS__))
#define kmem_cache_zalloc(...) SLAB_CALLER(kmem_cache_zalloc(__VA_ARGS__))
#define kmem_cache_free(...) SLAB_CALLER(kmem_cache_free(__VA_ARGS__))
#define kmalloc(...) SLAB_CALLER(kmalloc(__VA_ARGS__))
#define kmalloc_node(...) SLAB_CALLER(kmalloc_node(__VA_ARGS__))
#define kzalloc(...) SLAB_CALLER(kzalloc(__VA_ARGS__))
#define kzalloc_node(...) SLAB_CALLER(kzalloc_node(__VA_ARGS__))
#define kmalloc_array(...) SLAB_CALLER(kmalloc_array(__VA_ARGS__))
#define kcalloc(...) SLAB_CALLER(kcalloc(__VA_ARGS__))
#define krealloc(...) SLAB_CALLER(krealloc(__VA_ARGS__))
#define kfree(...) SLAB_CALLER(kfree(__VA_ARGS__))
#define kmemdup(...) SLAB_CALLER(kmemdup(__VA_ARGS__))
#define kstrdup(...) SLAB_CALLER(kstrdup(__VA_ARGS__))
#define kstrndup(...) SLAB_CALLER(kstrndup(__VA_ARGS__))

/* ---- shrinkers ---------------------------------------------------------- */

struct shrink_control {
	gfp_t gfp_mask;
	int nid; /* node being reclaimed */
	unsigned long nr_to_scan; /* objects to scan in this call */
	unsigned long nr_scanned; /* objects scanned (scan_objects may set) */
};

#define SHRINK_STOP (~0UL)
#define SHRINK_EMPTY (~0UL - 1)
#define DEFAULT_SEEKS 2
#define SHRINK_BATCH 128
#define SHRINKER_NUMA_AWARE 0x1u

/* A cache of reclaimable objects outside the page LRUs (dentries,
 * inodes...): count_objects says how many could be freed, scan_objects
 * frees up to nr_to_scan and returns how many it freed (or SHRINK_STOP). */
struct shrinker {
	unsigned long (*count_objects)(struct shrinker *,
				       struct shrink_control *sc);
	unsigned long (*scan_objects)(struct shrinker *,
				      struct shrink_control *sc);
	long batch; /* objects per scan_objects call; 0: SHRINK_BATCH */
	int seeks; /* cost to recreate an object */
	unsigned flags;
	struct list_head list;
	long *nr_deferred; /* [nr_nodes] work carried to the next call */
};

/* 0, or -ENOMEM. */
int register_shrinker(struct shrinker *shrinker);
void unregister_shrinker(struct shrinker *shrinker);
/* Linux's shrink_slab(): asks every shrinker to free objects in
 * proportion to its count >> priority; returns the objects freed. */
unsigned long shrink_slab(gfp_t gfp, int nid, int priority);
/* Returns every cache's empty slabs to the page allocator (flushing the
 * CPU slabs first); returns the pages freed. */
unsigned long kmem_cache_shrink_all(void);

/* ---- /proc and /sys ------------------------------------------------------ */

/* /proc/slabinfo, version 2.1. */
void slabinfo_show(struct seq_file *m);
/* Whether /proc/slabinfo exists (not with SLOB, as in Linux). */
bool slabinfo_present(void);
/* Writes "NAME LIMIT BATCHCOUNT SHARED" to /proc/slabinfo: SLAB retunes
 * the cache's array caches. 0, or -errno with err filled in (-EACCES
 * with SLUB and SLOB, whose /proc/slabinfo is read-only). */
int slabinfo_write(const char *value, char *err, size_t errlen);
/* SLAB's periodic reaping, each CPU's share at once (tests): for each
 * CPU, gives back part of untouched array caches and, every 4 s per
 * node, frees some free slabs to the page allocator. No-op under
 * SLUB/SLOB. */
void cache_reap(void);
/* Boot, once timers work: under SLAB, starts each CPU's reap timer (the
 * same work, about a second after boot and then every 2 s of virtual
 * time, as Linux's per-CPU delayed work). true (a failure is only
 * warned about). */
bool cpucache_init(void);

/* /sys/kernel/slab (SLUB only). path is relative to /sys/kernel/slab/:
 * "NAME/ATTR", NAME a cache, an alias, or the ":[flags-]size" id under
 * which SLUB files a mergeable cache (its name and aliases being links to
 * it). Renders the attribute into out: 0, or -ENOENT. */
int slab_sysfs_show(const char *path, struct seq_file *out);
/* Writes "NAME/shrink" ("1" shrinks the cache): 0, -ENOENT, -EACCES for
 * a read-only attribute, or -EINVAL with err filled in. */
int slab_sysfs_store(const char *path, const char *value, char *err,
		     size_t errlen);
/* The entries of /sys/kernel/slab, sorted, one a line: cache
 * directories, and "NAME -> TARGET" for links (as ls -l shows them). */
void slab_sysfs_list(struct seq_file *out);
/* The attribute files of every cache directory, sorted, one a line. */
void slab_sysfs_attrs(struct seq_file *out);

/* ---- shared by slab_common.c and the allocators ------------------------- */

unsigned int calculate_alignment(slab_flags_t flags, unsigned int align,
				 unsigned int size);
int slab_unmergeable(const struct kmem_cache *s);
struct kmem_cache *find_mergeable(unsigned int size, unsigned int align,
				  slab_flags_t flags, const char *name,
				  void (*ctor)(void *));
/* Records that name now refers to s. */
void slab_add_alias(struct kmem_cache *s, const char *name);
/* Fixes a gfp mask with bits slab cannot honour, with Linux's warning. */
gfp_t kmalloc_fix_flags(gfp_t flags);
/* Above the kmalloc caches: whole pages, marked large_kmalloc. */
void *kmalloc_large_node(size_t size, gfp_t flags, int node);
/* Creates kmalloc cache idx of a type (kmalloc_caches[type][idx]). */
void new_kmalloc_cache(unsigned int idx, enum kmalloc_cache_type type);
#define GFP_SLAB_BUG_MASK (__GFP_DMA32 | __GFP_HIGHMEM | ~__GFP_BITS_MASK)

/* Sets up a cache whose struct is not allocated from kmem_cache (the
 * first two caches, the kmalloc caches); failure is fatal at boot. */
void create_boot_cache(struct kmem_cache *s, const char *name,
		       unsigned int size, slab_flags_t flags,
		       unsigned int useroffset, unsigned int usersize);

/* Report helpers in Linux's wording: the "BUG NAME (Not tainted): ..."
 * banner (slab_bug; slab_vbug takes a va_list) and the "FIX NAME: ..."
 * line (slab_fix). */
__printf(2, 3) void slab_bug(struct kmem_cache *s, const char *fmt, ...);
__printf(2, 0) void slab_vbug(struct kmem_cache *s, const char *fmt,
			      va_list ap);
__printf(2, 3) void slab_fix(struct kmem_cache *s, const char *fmt, ...);
/* The first line of SLAB's and SLUB's out-of-memory report
 * ("SLUB: Unable to allocate memory on node N, gfp=..."); false, and
 * nothing printed, when gfp has __GFP_NOWARN. */
bool slab_oom_header(const char *allocator, int nid, gfp_t gfp);
/* Linux's account_slab()/unaccount_slab() (sign 1 or -1): a slab of
 * 2^order pages in its node's NR_SLAB_RECLAIMABLE_B or, for a cache
 * without SLAB_RECLAIM_ACCOUNT or no cache (s NULL: SLOB's pages),
 * NR_SLAB_UNRECLAIMABLE_B. */
void account_slab(struct page *slab, unsigned int order,
		  const struct kmem_cache *s, long sign);
/* Gives a slab's 2^order pages back to the page allocator: the slab
 * fields of its struct page cleared, its page type dropped and its bytes
 * unaccounted (as account_slab). */
void free_slab_pages(const struct kmem_cache *s, struct page *slab,
		     unsigned int order);
/* Linux's print_hex_dump(KERN_ERR, text, DUMP_PREFIX_ADDRESS, 16, 1, ...,
 * true): 16 bytes a line with their ASCII. */
void print_section(const char *text, const unsigned char *addr,
		   unsigned int length);

#endif
