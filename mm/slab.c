/* SLAB (mm/slab.c of Linux <= 6.7), the classic slab allocator. Each
 * node keeps its slabs on three lists (slabs_full, slabs_partial,
 * slabs_free); a slab's free objects are a stack of 1-byte indices kept
 * in a free object (objfreelist), at the end of the slab (on-slab) or in
 * a kmalloc'ed array (off-slab). Objects flow through per-CPU array
 * caches of limit entries, refilled from and flushed to the lists
 * batchcount at a time (through a per-node shared array on SMP). Slabs
 * start at a rotating cache-colour offset. Free slabs beyond a node's
 * free_limit go back to the page allocator at once, the rest when
 * cache_reap() or kmem_cache_shrink() runs. Red zones and poisoning
 * work, and report, as with CONFIG_DEBUG_SLAB. Array-cache entries are
 * physical addresses the size of a simulated kernel pointer. */
#include "mm/slab.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "kernel/printk.h"
#include "kernel/time/hrtimer.h"
#include "kernel/time/time.h"
#include "mm/vmstat.h"

/* g: the slab globals, Linux's file-scope variables of mm/slab*.c. */
#define g slab_globals()

typedef unsigned char u8;

#ifndef LIST_HEAD
#define LIST_HEAD(name) struct list_head name = LIST_HEAD_INIT(name)
#endif

/* The smallest kmalloc cache under SLAB is kmalloc-32 (KMALLOC_SHIFT_LOW
 * 5), so objects are at least 16 bytes and, with 4 KiB pages, a slab
 * holds at most 255 of them: one-byte free-object indices. */
#define SLAB_KMALLOC_SHIFT_LOW 5
#define SLAB_OBJ_MIN_SIZE 16
#define FREELIST_BYTE_INDEX ((PAGE_SIZE >> 8) <= SLAB_OBJ_MIN_SIZE)
#if FREELIST_BYTE_INDEX
typedef unsigned char freelist_idx_t;
#else
typedef unsigned short freelist_idx_t;
#endif
#define SLAB_OBJ_MAX_NUM ((1u << sizeof(freelist_idx_t) * 8) - 1)

/* Internal cache flags: where the free-object index array lives. */
#define CFLGS_OBJFREELIST_SLAB 0x20000000u /* in a free object */
#define CFLGS_OFF_SLAB 0x08000000u /* kmalloc'ed */

/* Slab orders: 0, or 1 on machines with more than 32 MiB. */
#define SLAB_MAX_ORDER_HI 1
#define SLAB_MAX_ORDER_LO 0

#define BATCHREFILL_LIMIT 16
/* Reaping: the per-CPU work every 2 s, a node's lists every 4 s (in
 * jiffies, kept as virtual nanoseconds). */
#define JIFFY_NS TICK_NSEC
#define REAPTIMEOUT_AC (2 * HZ)
#define REAPTIMEOUT_NODE (4 * HZ)

/* CONFIG_DEBUG_SLAB's red zones: a 64-bit word on each side. */
#define REDZONE_ALIGN 8u
#define RED_INACTIVE 0x09F911029D74E35BULL /* when obj is inactive */
#define RED_ACTIVE 0xD84156C5635688C0ULL /* when obj is active */

#define GFP_RECLAIM_MASK                                                       \
	(__GFP_RECLAIM | __GFP_HIGH | __GFP_IO | __GFP_FS | __GFP_NOWARN |     \
	 __GFP_RETRY_MAYFAIL | __GFP_NOFAIL | __GFP_NORETRY | __GFP_MEMALLOC | \
	 __GFP_NOMEMALLOC)
#define GFP_CONSTRAINT_MASK (__GFP_HARDWALL | __GFP_THISNODE)

/* Linux's struct array_cache: a LIFO of object addresses. */
struct array_cache {
	unsigned int avail;
	unsigned int limit;
	unsigned int batchcount;
	unsigned int touched;
	unsigned char entry[]; /* [limit] pointer-sized physical addresses */
};

/* SLAB's struct kmem_cache_node. */
struct slab_node {
	struct list_head slabs_partial; /* partial list first, as Linux */
	struct list_head slabs_full;
	struct list_head slabs_free;
	unsigned long total_slabs;
	unsigned long free_slabs;
	unsigned long free_objects; /* on the lists, not in arrays */
	unsigned int free_limit;
	unsigned int colour_next;
	struct array_cache *shared;
	/* [nr_nodes]: objects of other nodes freed on this one, an array
	 * for each (Linux's alien caches; NULL on one node) */
	struct array_cache **alien;
	uint64_t next_reap; /* virtual time */
	int free_touched;
};

/* SLAB's part of struct kmem_cache, after node[]. */
struct slab_cache_info {
	unsigned int batchcount;
	unsigned int limit;
	unsigned int shared;
	unsigned int num; /* objects per slab */
	unsigned int gfporder;
	unsigned int colour; /* colour range */
	unsigned int colour_off; /* colour offset */
	unsigned int freelist_size;
	unsigned int obj_offset; /* the left red zone */
	struct array_cache *cpu_cache[]; /* [nr_cpus] */
};

/* SLAB's file-scope variables, in the slab globals of the machine. */
struct slab_priv {
	unsigned int slab_max_order;
	/* [nr_cpus]: each CPU's reap timer and the node whose alien
	 * caches it drains next, from kmalloc once the caches are up */
	struct slab_reap *reap_work;
};

/* Linux's per-CPU slab_reap_work (a delayed work) and slab_reap_node. */
struct slab_reap {
	struct hrtimer timer;
	int reap_node;
};

_Static_assert(sizeof(struct slab_priv) <=
		       sizeof(((struct slab_globals *)0)->priv),
	       "SLAB globals must fit slab_globals.priv");

/* Bootstrap node structures (Linux's init_kmem_cache_node[]): the
 * kmem_cache cache's, then the kmem_cache_node kmalloc cache's. */
#define CACHE_CACHE 0
#define SIZE_NODE MAX_NUMNODES
#define NUM_INIT_LISTS (2 * MAX_NUMNODES)

_Static_assert(NUM_INIT_LISTS * sizeof(struct slab_node) <=
		       sizeof(((struct slab_globals *)0)->boot_kmem_cache_node),
	       "SLAB bootstrap nodes must fit slab_globals");

static inline struct slab_priv *slab_priv(void)
{
	return (struct slab_priv *)g->priv;
}

static inline unsigned int ptr_size(void)
{
	return (unsigned int)M->arch->bits / 8;
}

static inline size_t cache_info_offset(void)
{
	return ALIGN(offsetof(struct kmem_cache, node) +
			     (size_t)M->nr_nodes *
				     sizeof(struct kmem_cache_node *),
		     _Alignof(struct slab_cache_info));
}

static inline struct slab_cache_info *cinfo(const struct kmem_cache *s)
{
	return (struct slab_cache_info *)((char *)s + cache_info_offset());
}

static unsigned int slab_cache_struct_size(void)
{
	return (unsigned int)(cache_info_offset() +
			      sizeof(struct slab_cache_info) +
			      (size_t)M->nr_cpus *
				      sizeof(struct array_cache *));
}

static inline struct slab_node *get_node(const struct kmem_cache *s, int nid)
{
	return (struct slab_node *)s->node[nid];
}

#define for_each_slab_node(s, nid, n)           \
	for (nid = 0; nid < M->nr_nodes; nid++) \
		if (((n) = get_node(s, nid)) != NULL)

static inline struct array_cache *cpu_cache_get(const struct kmem_cache *s)
{
	return cinfo(s)->cpu_cache[smp_processor_id()];
}

#define OFF_SLAB(s) ((s)->flags & CFLGS_OFF_SLAB)
#define OBJFREELIST_SLAB(s) ((s)->flags & CFLGS_OBJFREELIST_SLAB)

static inline bool slab_debug(const struct kmem_cache *s)
{
	return s->flags & (SLAB_RED_ZONE | SLAB_POISON);
}

/* ---- nodes ---------------------------------------------------------- */

/* The node a CPU's slab memory comes from (numa_mem_id): its own, or
 * the nearest with normal memory (i386's HighMem-only nodes have none). */
static int cpu_mem_node(int cpu)
{
	int nid = cpu_to_node(cpu);
	struct zoneref *z;

	if (likely(g->slab_nodes >> nid & 1))
		return nid;
	z = NODE_DATA(nid)->node_zonelists[ZONELIST_FALLBACK]._zonerefs;
	for (; z->zone; z++)
		if (g->slab_nodes >> z->zone->node & 1)
			return z->zone->node;
	return 0;
}

static inline int numa_mem_id(void)
{
	return cpu_mem_node(smp_processor_id());
}

static int nr_cpus_node(int nid)
{
	int cpu, n = 0;

	for_each_online_cpu(cpu)
		if (cpu_to_node(cpu) == nid)
			n++;
	return n;
}

/* A requested node slab can serve, or NUMA_NO_NODE. */
static inline int slab_valid_node(int node)
{
	if (node == NUMA_NO_NODE)
		return node;
	if (node < 0 || node >= M->nr_nodes || !(g->slab_nodes >> node & 1))
		return NUMA_NO_NODE;
	return node;
}

static inline gfp_t gfp_exact_node(gfp_t flags)
{
	return (flags | __GFP_THISNODE | __GFP_NOWARN) &
	       ~(__GFP_RECLAIM | __GFP_NOFAIL);
}

/* ---- array caches ------------------------------------------------------- */

static inline void *ac_get(const struct array_cache *ac, unsigned int i)
{
	uint64_t phys = ptr_size() == 8 ? ((const uint64_t *)ac->entry)[i] :
					  ((const uint32_t *)ac->entry)[i];

	return M->ram + phys;
}

static inline void ac_set(struct array_cache *ac, unsigned int i, void *objp)
{
	if (ptr_size() == 8)
		((uint64_t *)ac->entry)[i] = __pa(objp);
	else
		((uint32_t *)ac->entry)[i] = (uint32_t)__pa(objp);
}

/* Drops the first nr entries of ac, keeping the rest in order. */
static void ac_shift(struct array_cache *ac, unsigned int nr)
{
	ac->avail -= nr;
	memmove(ac->entry, ac->entry + (size_t)nr * ptr_size(),
		(size_t)ac->avail * ptr_size());
}

static struct array_cache *alloc_arraycache(int node, unsigned int entries,
					    unsigned int batchcount, gfp_t gfp)
{
	size_t memsize =
		(size_t)ptr_size() * entries + sizeof(struct array_cache);
	struct array_cache *ac = kmalloc_node(memsize, gfp, node);

	if (ac) {
		ac->avail = 0;
		ac->limit = entries;
		ac->batchcount = batchcount;
		ac->touched = 0;
	}
	return ac;
}

/* Moves up to max objects from one array to another (the top ones). */
static unsigned int transfer_objects(struct array_cache *to,
				     struct array_cache *from, unsigned int max)
{
	unsigned int nr = min(min(from->avail, max), to->limit - to->avail);

	if (!nr)
		return 0;
	memcpy(to->entry + (size_t)to->avail * ptr_size(),
	       from->entry + (size_t)(from->avail - nr) * ptr_size(),
	       (size_t)nr * ptr_size());
	from->avail -= nr;
	to->avail += nr;
	return nr;
}

/* ---- slabs: objects and their index array ------------------------------ */

/* A slab's first object: after its colour offset (kept in objects). */
static inline u8 *slab_s_mem(const struct kmem_cache *s,
			     const struct page *slab)
{
	return (u8 *)page_address(slab) +
	       (size_t)slab->objects * cinfo(s)->colour_off;
}

static inline void *index_to_obj(const struct kmem_cache *s,
				 const struct page *slab, unsigned int idx)
{
	return slab_s_mem(s, slab) + (size_t)s->size * idx;
}

static inline unsigned int obj_to_index(const struct kmem_cache *s,
					const struct page *slab,
					const void *obj)
{
	uint32_t offset = (uint32_t)((const u8 *)obj - slab_s_mem(s, slab));

	return reciprocal_divide(offset, s->reciprocal_size);
}

static inline unsigned int get_free_obj(const struct page *slab,
					unsigned int idx)
{
	return ((const freelist_idx_t *)slab->freelist)[idx];
}

static inline void set_free_obj(struct page *slab, unsigned int idx,
				unsigned int val)
{
	((freelist_idx_t *)slab->freelist)[idx] = (freelist_idx_t)val;
}

/* Whether objp is the slot of an object of slab. */
static bool slab_valid_slot(const struct kmem_cache *s, const struct page *slab,
			    const void *objp)
{
	long off = (const u8 *)objp - slab_s_mem(s, slab);
	unsigned int idx;

	if (off < 0 || off >= (long)cinfo(s)->num * s->size)
		return false;
	idx = obj_to_index(s, slab, objp);
	return (long)idx * s->size == off;
}

/* ---- reports ------------------------------------------------------------ */

/* Linux's slab_error(): the function it was detected in and the cache,
 * and a bad-page taint. */
__printf(3, 4) static void __slab_error(const char *function,
					struct kmem_cache *s, const char *fmt,
					...)
{
	va_list ap;

	pr_err("slab error in %s(): cache `%s': ", function, s->name);
	va_start(ap, fmt);
	vprintk(fmt, ap);
	va_end(ap);
	pr_cont("\n");
	add_taint(TAINT_BAD_PAGE);
	M->nr_bugs++;
}
#define slab_error(s, ...) __slab_error(__func__, s, __VA_ARGS__)

/* %px: a kernel address as bare hex digits. */
#define PX "%0*lx"
#define PXA(p) kaddr_width(), kaddr(p)

static inline unsigned long long *dbg_redzone1(const struct kmem_cache *s,
					       void *slot)
{
	return (unsigned long long *)((u8 *)slot + cinfo(s)->obj_offset -
				      sizeof(unsigned long long));
}

static inline unsigned long long *dbg_redzone2(const struct kmem_cache *s,
					       void *slot)
{
	return (unsigned long long *)((u8 *)slot + s->size -
				      sizeof(unsigned long long));
}

static void poison_obj(const struct kmem_cache *s, void *slot, u8 val)
{
	u8 *addr = (u8 *)slot + cinfo(s)->obj_offset;

	memset(addr, val, s->object_size);
	addr[s->object_size - 1] = POISON_END;
}

/* One line of a poison report: offset, 16 bytes in hex and ASCII, and a
 * hint when exactly one bit of one byte differs from the poison. */
static void dump_line(const u8 *data, unsigned int offset, unsigned int limit)
{
	char line[16 * 3 + 2 + 16 + 1];
	unsigned int bad_count = 0;
	u8 error = 0;
	int lx = 0;

	for (unsigned int i = 0; i < limit; i++) {
		if (data[offset + i] != POISON_FREE) {
			error = data[offset + i];
			bad_count++;
		}
		lx += snprintf(line + lx, sizeof(line) - (size_t)lx, "%02x ",
			       data[offset + i]);
	}
	lx--; /* no space after the last byte */
	while (lx < 49)
		line[lx++] = ' ';
	for (unsigned int i = 0; i < limit; i++) {
		u8 c = data[offset + i];

		line[lx++] = c >= 0x20 && c < 0x7f ? (char)c : '.';
	}
	line[lx] = '\0';
	pr_err("%03x: %s\n", offset, line);
	error ^= POISON_FREE;
	if (bad_count == 1 && !(error & (error - 1))) {
		pr_err("Single bit error detected. Probably bad RAM.\n");
		pr_err("Run memtest86+ or a similar memory test tool.\n");
	}
}

static void print_objinfo(const struct kmem_cache *s, void *slot,
			  unsigned int lines)
{
	const u8 *realobj = (u8 *)slot + cinfo(s)->obj_offset;

	if (s->flags & SLAB_RED_ZONE)
		pr_err("Redzone: 0x%llx/0x%llx\n", *dbg_redzone1(s, slot),
		       *dbg_redzone2(s, slot));
	for (unsigned int i = 0; i < s->object_size && lines; i += 16, lines--)
		dump_line(realobj, i, min(16u, s->object_size - i));
}

static void print_neighbours(const struct kmem_cache *s, void *slot)
{
	struct page *slab = virt_to_slab(slot);
	unsigned int objnr = obj_to_index(s, slab, slot);
	u8 *objp;

	if (objnr) {
		objp = index_to_obj(s, slab, objnr - 1);
		pr_err("Prev obj: start=" PX ", len=%u\n",
		       PXA(objp + cinfo(s)->obj_offset), s->object_size);
		print_objinfo(s, objp, 2);
	}
	if (objnr + 1 < cinfo(s)->num) {
		objp = index_to_obj(s, slab, objnr + 1);
		pr_err("Next obj: start=" PX ", len=%u\n",
		       PXA(objp + cinfo(s)->obj_offset), s->object_size);
		print_objinfo(s, objp, 2);
	}
}

/* Linux's check_poison_obj(): up to 6 lines around bytes of a free
 * object that are not the poison, then its neighbours. Reports only. */
static void check_poison_obj(struct kmem_cache *s, void *slot)
{
	u8 *realobj = (u8 *)slot + cinfo(s)->obj_offset;
	unsigned int size = s->object_size, lines = 0;

	for (unsigned int i = 0; i < size; i++) {
		u8 exp = i == size - 1 ? POISON_END : POISON_FREE;

		if (realobj[i] == exp)
			continue;
		if (!lines) {
			pr_err("Slab corruption (%s): %s start=" PX
			       ", len=%u\n",
			       print_tainted(), s->name, PXA(realobj), size);
			print_objinfo(s, slot, 0);
			M->nr_bugs++;
		}
		i = i / 16 * 16;
		dump_line(realobj, i, min(16u, size - i));
		i += 16; /* and the loop's i++: as Linux, skips a byte */
		if (++lines > 5)
			break;
	}
	if (lines)
		print_neighbours(s, slot);
}

/* Red zones and poison of a new slab; the constructor runs here unless
 * poisoning (which would destroy what it built) defers it to allocation. */
static void cache_init_objs_debug(struct kmem_cache *s, struct page *slab)
{
	unsigned int off = cinfo(s)->obj_offset;

	for (unsigned int i = 0; i < cinfo(s)->num; i++) {
		u8 *objp = index_to_obj(s, slab, i);

		if (s->flags & SLAB_RED_ZONE) {
			*dbg_redzone1(s, objp) = RED_INACTIVE;
			*dbg_redzone2(s, objp) = RED_INACTIVE;
		}
		if (s->ctor && !(s->flags & SLAB_POISON))
			s->ctor(objp + off);
		if (s->flags & SLAB_RED_ZONE) {
			if (*dbg_redzone2(s, objp) != RED_INACTIVE)
				slab_error(
					s,
					"constructor overwrote the end of an object");
			if (*dbg_redzone1(s, objp) != RED_INACTIVE)
				slab_error(
					s,
					"constructor overwrote the start of an object");
		}
		if (s->flags & SLAB_POISON)
			poison_obj(s, objp, POISON_FREE);
	}
}

/* Linux's cache_alloc_debugcheck_after(): checks the poison and the red
 * zones of an object leaving the cache, marks it active (allocated
 * objects of a poisoned cache read 0x5a) and returns the object. */
static void *cache_alloc_debugcheck_after(struct kmem_cache *s, gfp_t flags,
					  void *slot)
{
	u8 *objp;

	WARN_ON_ONCE(s->ctor && (flags & __GFP_ZERO));
	if (s->flags & SLAB_POISON) {
		check_poison_obj(s, slot);
		poison_obj(s, slot, POISON_INUSE);
	}
	if (s->flags & SLAB_RED_ZONE) {
		if (*dbg_redzone1(s, slot) != RED_INACTIVE ||
		    *dbg_redzone2(s, slot) != RED_INACTIVE) {
			slab_error(
				s,
				"double free, or memory outside object was overwritten");
			pr_err(PX ": redzone 1:0x%llx, redzone 2:0x%llx\n",
			       PXA(slot), *dbg_redzone1(s, slot),
			       *dbg_redzone2(s, slot));
		}
		*dbg_redzone1(s, slot) = RED_ACTIVE;
		*dbg_redzone2(s, slot) = RED_ACTIVE;
	}
	objp = (u8 *)slot + cinfo(s)->obj_offset;
	if (s->ctor && (s->flags & SLAB_POISON))
		s->ctor(objp);
	return objp;
}

/* Linux's verify_redzone_free(); false for a double free, which mmsim
 * refuses (Linux reports it and frees the object a second time). */
static bool verify_redzone_free(struct kmem_cache *s, void *slot)
{
	unsigned long long redzone1 = *dbg_redzone1(s, slot);
	unsigned long long redzone2 = *dbg_redzone2(s, slot);
	bool double_free = redzone1 == RED_INACTIVE && redzone2 == RED_INACTIVE;

	if (redzone1 == RED_ACTIVE && redzone2 == RED_ACTIVE)
		return true;
	if (double_free)
		slab_error(s, "double free detected");
	else
		slab_error(s, "memory outside object was overwritten");
	pr_err(PX ": redzone 1:0x%llx, redzone 2:0x%llx\n", PXA(slot), redzone1,
	       redzone2);
	return !double_free;
}

/* Linux's cache_free_debugcheck(): red zones back to inactive, poison. */
static bool cache_free_debugcheck(struct kmem_cache *s, void *slot)
{
	if (s->flags & SLAB_RED_ZONE) {
		if (!verify_redzone_free(s, slot))
			return false;
		*dbg_redzone1(s, slot) = RED_INACTIVE;
		*dbg_redzone2(s, slot) = RED_INACTIVE;
	}
	if (s->flags & SLAB_POISON)
		poison_obj(s, slot, POISON_FREE);
	return true;
}

/* Before a slab goes back to the page allocator: every object must be
 * free and intact. */
static void slab_destroy_debugcheck(struct kmem_cache *s, struct page *slab)
{
	if (OBJFREELIST_SLAB(s) && (s->flags & SLAB_POISON) && slab->freelist)
		poison_obj(s, (u8 *)slab->freelist - cinfo(s)->obj_offset,
			   POISON_FREE);
	for (unsigned int i = 0; i < cinfo(s)->num; i++) {
		void *objp = index_to_obj(s, slab, i);

		if (s->flags & SLAB_POISON)
			check_poison_obj(s, objp);
		if (!(s->flags & SLAB_RED_ZONE))
			continue;
		if (*dbg_redzone1(s, objp) != RED_INACTIVE)
			slab_error(s,
				   "start of a freed object was overwritten");
		if (*dbg_redzone2(s, objp) != RED_INACTIVE)
			slab_error(s, "end of a freed object was overwritten");
	}
}

/* ---- slab pages --------------------------------------------------------- */

static void slab_out_of_memory(struct kmem_cache *s, gfp_t gfp, int nodeid)
{
	struct slab_node *n;
	int node;

	if (!slab_oom_header("SLAB", nodeid, gfp))
		return;
	pr_warn("  cache: %s, object size: %u, order: %u\n", s->name, s->size,
		cinfo(s)->gfporder);
	for_each_slab_node(s, node, n)
	{
		unsigned long total = n->total_slabs, num = cinfo(s)->num;

		pr_warn("  node %d: slabs: %lu/%lu, objs: %lu/%lu\n", node,
			total - n->free_slabs, total,
			total * num - n->free_objects, total * num);
	}
}

static struct page *kmem_getpages(struct kmem_cache *s, gfp_t flags, int nodeid)
{
	struct page *page;

	flags |= s->allocflags;
	page = alloc_pages_node(nodeid, flags, cinfo(s)->gfporder);
	if (!page) {
		slab_out_of_memory(s, flags, nodeid);
		return NULL;
	}
	account_slab(page, cinfo(s)->gfporder, s, 1);
	__SetPageSlab(page);
	page->counters = 0;
	return page;
}

static void kmem_freepages(struct kmem_cache *s, struct page *slab)
{
	free_slab_pages(s, slab, cinfo(s)->gfporder);
}

static void slab_destroy(struct kmem_cache *s, struct page *slab)
{
	void *freelist = slab->freelist;

	if (slab_debug(s))
		slab_destroy_debugcheck(s, slab);
	kmem_freepages(s, slab);
	if (OFF_SLAB(s))
		kfree(freelist);
}

static void slabs_destroy(struct kmem_cache *s, struct list_head *list)
{
	struct page *slab, *t;

	list_for_each_entry_safe(slab, t, list, slab_list) {
		list_del(&slab->slab_list);
		slab_destroy(s, slab);
	}
}

/* The index array of a new slab; the colour index is kept in objects. */
static void *alloc_slabmgmt(struct kmem_cache *s, struct page *slab,
			    unsigned int colour, gfp_t flags, int nodeid)
{
	struct slab_cache_info *ci = cinfo(s);

	slab->objects = colour;
	slab->inuse = 0;
	if (OBJFREELIST_SLAB(s))
		return NULL;
	if (OFF_SLAB(s))
		return kmalloc_node(ci->freelist_size, flags, nodeid);
	return (u8 *)page_address(slab) + (PAGE_SIZE << ci->gfporder) -
	       ci->freelist_size;
}

static void cache_init_objs(struct kmem_cache *s, struct page *slab)
{
	struct slab_cache_info *ci = cinfo(s);
	bool debug = slab_debug(s);

	if (debug)
		cache_init_objs_debug(s, slab);
	if (OBJFREELIST_SLAB(s))
		slab->freelist = (u8 *)index_to_obj(s, slab, ci->num - 1) +
				 ci->obj_offset;
	for (unsigned int i = 0; i < ci->num; i++) {
		if (!debug && s->ctor)
			s->ctor(index_to_obj(s, slab, i));
		set_free_obj(slab, i, i);
	}
}

/* Linux's cache_grow_begin(): a new slab with its colour, index array
 * and constructed objects, not yet on a list. */
static struct page *cache_grow_begin(struct kmem_cache *s, gfp_t flags,
				     int nodeid)
{
	struct slab_cache_info *ci = cinfo(s);
	struct slab_node *n;
	struct page *slab;
	unsigned int offset;
	gfp_t local_flags;
	void *freelist;

	if (unlikely(flags & GFP_SLAB_BUG_MASK))
		flags = kmalloc_fix_flags(flags);
	WARN_ON_ONCE(s->ctor && (flags & __GFP_ZERO));
	local_flags = flags & (GFP_CONSTRAINT_MASK | GFP_RECLAIM_MASK);
	slab = kmem_getpages(s, local_flags, nodeid);
	if (!slab)
		return NULL;
	n = get_node(s, slab_nid(slab));
	n->colour_next++;
	if (n->colour_next >= ci->colour)
		n->colour_next = 0;
	offset = n->colour_next;
	if (offset >= ci->colour)
		offset = 0;
	freelist = alloc_slabmgmt(s, slab, offset,
				  local_flags & ~GFP_CONSTRAINT_MASK,
				  slab_nid(slab));
	if (OFF_SLAB(s) && !freelist) {
		kmem_freepages(s, slab);
		return NULL;
	}
	slab->slab_cache = s;
	slab->freelist = freelist;
	cache_init_objs(s, slab);
	return slab;
}

/* ---- node lists ------------------------------------------------------------ */

static void kmem_cache_node_init(struct slab_node *n)
{
	INIT_LIST_HEAD(&n->slabs_full);
	INIT_LIST_HEAD(&n->slabs_partial);
	INIT_LIST_HEAD(&n->slabs_free);
	n->total_slabs = n->free_slabs = n->free_objects = 0;
	n->free_limit = 0;
	n->shared = NULL;
	n->alien = NULL;
	n->colour_next = 0;
	n->free_touched = 0;
	n->next_reap = 0;
}

/* Linux staggers the caches' reaping by their address. */
static uint64_t first_reap(const struct kmem_cache *s)
{
	return M->clock_ns +
	       (REAPTIMEOUT_NODE + kaddr(s) % REAPTIMEOUT_NODE) * JIFFY_NS;
}

static struct page *get_first_slab(struct slab_node *n)
{
	struct page *slab = NULL;

	if (!list_empty(&n->slabs_partial))
		return list_first_entry(&n->slabs_partial, struct page,
					slab_list);
	n->free_touched = 1;
	if (!list_empty(&n->slabs_free)) {
		slab = list_first_entry(&n->slabs_free, struct page, slab_list);
		n->free_slabs--;
	}
	return slab;
}

/* A corrupt index array: the slab is taken out of use. */
static void slab_freelist_corrupt(struct kmem_cache *s, struct page *slab,
				  unsigned int idx)
{
	slab_error(s, "free object index %u of slab " PX " out of range", idx,
		   PXA(page_address(slab)));
	slab->inuse = (unsigned short)cinfo(s)->num;
	if (OBJFREELIST_SLAB(s))
		slab->freelist = NULL;
}

static void *slab_get_obj(struct kmem_cache *s, struct page *slab)
{
	unsigned int idx = get_free_obj(slab, slab->inuse);

	if (unlikely(idx >= cinfo(s)->num)) {
		slab_freelist_corrupt(s, slab, idx);
		return NULL;
	}
	slab->inuse++;
	return index_to_obj(s, slab, idx);
}

/* Whether objnr is among the free indices [from, to) of slab. */
static bool index_is_free(const struct page *slab, unsigned int from,
			  unsigned int to, unsigned int objnr)
{
	if (FREELIST_BYTE_INDEX)
		return memchr((const u8 *)slab->freelist + from, (int)objnr,
			      to - from) != NULL;
	for (unsigned int i = from; i < to; i++)
		if (get_free_obj(slab, i) == objnr)
			return true;
	return false;
}

/* Returns an object's index to its slab: false (reported) when it is
 * already free there, which would corrupt the slab (Linux checks this
 * with CONFIG_DEBUG_SLAB only). */
static bool slab_put_obj(struct kmem_cache *s, struct page *slab, void *objp)
{
	struct slab_cache_info *ci = cinfo(s);
	unsigned int objnr = obj_to_index(s, slab, objp);
	bool free_already = !slab->inuse;

	if (!free_already && slab->freelist)
		free_already = index_is_free(slab, slab->inuse, ci->num, objnr);
	if (unlikely(free_already)) {
		pr_err("slab: double free detected in cache '%s', objp " PX
		       "\n",
		       s->name, PXA(objp));
		add_taint(TAINT_BAD_PAGE);
		M->nr_bugs++;
		return false;
	}
	slab->inuse--;
	if (!slab->freelist)
		slab->freelist = (u8 *)objp + ci->obj_offset;
	set_free_obj(slab, slab->inuse, objnr);
	return true;
}

/* Puts a slab that gave objects on the list its fill says. An
 * objfreelist slab that ran full has handed out the object holding its
 * index array: poisoned again, it leaves like any other. */
static void fixup_slab_list(struct kmem_cache *s, struct slab_node *n,
			    struct page *slab)
{
	list_del(&slab->slab_list);
	if (slab->inuse == cinfo(s)->num) {
		list_add(&slab->slab_list, &n->slabs_full);
		if (OBJFREELIST_SLAB(s)) {
			if ((s->flags & SLAB_POISON) && slab->freelist)
				poison_obj(s,
					   (u8 *)slab->freelist -
						   cinfo(s)->obj_offset,
					   POISON_FREE);
			slab->freelist = NULL;
		}
	} else {
		list_add(&slab->slab_list, &n->slabs_partial);
	}
}

static void cache_grow_end(struct kmem_cache *s, struct page *slab)
{
	struct slab_node *n;

	if (!slab)
		return;
	INIT_LIST_HEAD(&slab->slab_list);
	n = get_node(s, slab_nid(slab));
	n->total_slabs++;
	if (!slab->inuse) {
		list_add_tail(&slab->slab_list, &n->slabs_free);
		n->free_slabs++;
	} else {
		fixup_slab_list(s, n, slab);
	}
	n->free_objects += cinfo(s)->num - slab->inuse;
}

/* One object back to its slab and the slab to its list. */
static void free_block_one(struct kmem_cache *s, void *objp)
{
	struct page *slab = compound_head(virt_to_page(objp));
	struct slab_node *n = get_node(s, slab_nid(slab));

	if (!slab_put_obj(s, slab, objp))
		return;
	n->free_objects++;
	list_del(&slab->slab_list);
	if (!slab->inuse) {
		list_add(&slab->slab_list, &n->slabs_free);
		n->free_slabs++;
	} else {
		/* at the tail: most time for its other objects to come back */
		list_add_tail(&slab->slab_list, &n->slabs_partial);
	}
}

/* Free slabs beyond the node's free_limit move to list, to be freed. */
static void free_block_trim(struct kmem_cache *s, struct slab_node *n,
			    struct list_head *list)
{
	while (n->free_objects > n->free_limit && !list_empty(&n->slabs_free)) {
		struct page *slab =
			list_last_entry(&n->slabs_free, struct page, slab_list);

		n->free_objects -= cinfo(s)->num;
		list_move(&slab->slab_list, list);
		n->free_slabs--;
		n->total_slabs--;
	}
}

/* Linux's free_block(): the first nr objects of ac back to their slabs. */
static void free_block(struct kmem_cache *s, struct array_cache *ac,
		       unsigned int nr, int node, struct list_head *list)
{
	for (unsigned int i = 0; i < nr; i++)
		free_block_one(s, ac_get(ac, i));
	free_block_trim(s, get_node(s, node), list);
}

/* An object straight to its node's lists (boot, or a remote free
 * before the alien caches exist). */
static void free_to_node(struct kmem_cache *s, void *objp)
{
	int node = slab_nid(compound_head(virt_to_page(objp)));
	LIST_HEAD(list);

	free_block_one(s, objp);
	free_block_trim(s, get_node(s, node), &list);
	slabs_destroy(s, &list);
}

/* Linux's drain_freelist(): up to tofree free slabs of n, oldest first. */
static unsigned int drain_freelist(struct kmem_cache *s, struct slab_node *n,
				   unsigned int tofree)
{
	unsigned int nr_freed = 0;

	while (nr_freed < tofree && !list_empty(&n->slabs_free)) {
		struct page *slab =
			list_last_entry(&n->slabs_free, struct page, slab_list);

		list_del(&slab->slab_list);
		n->free_slabs--;
		n->total_slabs--;
		n->free_objects -= cinfo(s)->num;
		slab_destroy(s, slab);
		nr_freed++;
	}
	return nr_freed;
}

/* ---- allocation --------------------------------------------------------- */

/* Moves up to batchcount free objects of slab into ac. */
static int alloc_block(struct kmem_cache *s, struct array_cache *ac,
		       struct page *slab, int batchcount)
{
	while (slab->inuse < cinfo(s)->num && batchcount--) {
		void *objp = slab_get_obj(s, slab);

		if (!objp)
			break;
		ac_set(ac, ac->avail++, objp);
	}
	return batchcount;
}

/* Linux's cache_alloc_refill(): the CPU's array is empty; refill it
 * from the shared array, the node's slabs, or a new slab. */
static void *cache_alloc_refill(struct kmem_cache *s, gfp_t flags)
{
	int node = numa_mem_id();
	struct array_cache *ac = cpu_cache_get(s), *shared;
	struct slab_node *n = get_node(s, node);
	int batchcount = (int)ac->batchcount;
	struct page *slab;

	if (!ac->touched && batchcount > BATCHREFILL_LIMIT)
		batchcount = BATCHREFILL_LIMIT;
	shared = n->shared;
	if (!n->free_objects && (!shared || !shared->avail))
		goto direct_grow;
	if (shared && transfer_objects(ac, shared, (unsigned int)batchcount)) {
		shared->touched = 1;
		goto direct_grow;
	}
	while (batchcount > 0) {
		slab = get_first_slab(n);
		if (!slab)
			break;
		batchcount = alloc_block(s, ac, slab, batchcount);
		fixup_slab_list(s, n, slab);
	}
	n->free_objects -= ac->avail;
direct_grow:
	if (unlikely(!ac->avail)) {
		slab = cache_grow_begin(s, gfp_exact_node(flags), node);
		ac = cpu_cache_get(s);
		if (!ac->avail && slab)
			alloc_block(s, ac, slab, batchcount);
		cache_grow_end(s, slab);
		if (!ac->avail)
			return NULL;
	}
	ac->touched = 1;
	return ac_get(ac, --ac->avail);
}

static void *____cache_alloc(struct kmem_cache *s, gfp_t flags)
{
	struct array_cache *ac = cpu_cache_get(s);

	if (unlikely(!ac)) /* boot: objects go straight to the lists */
		return NULL;
	if (likely(ac->avail)) {
		ac->touched = 1;
		return ac_get(ac, --ac->avail);
	}
	return cache_alloc_refill(s, flags);
}

static void *fallback_alloc(struct kmem_cache *s, gfp_t flags);

/* Linux's ____cache_alloc_node(): one object from a node's lists,
 * growing the node by a slab, or from any node. */
static void *____cache_alloc_node(struct kmem_cache *s, gfp_t flags, int nodeid)
{
	struct slab_node *n = get_node(s, nodeid);
	struct page *slab = get_first_slab(n);
	void *obj = NULL;

	if (slab) {
		obj = slab_get_obj(s, slab);
		if (obj)
			n->free_objects--;
		fixup_slab_list(s, n, slab);
		if (obj)
			return obj;
	}
	slab = cache_grow_begin(s, gfp_exact_node(flags), nodeid);
	if (slab)
		obj = slab_get_obj(s, slab);
	cache_grow_end(s, slab);
	return obj ? obj : fallback_alloc(s, flags);
}

/* Linux's fallback_alloc(): the nodes of the local zonelist that have
 * free objects, then a new slab from wherever the page allocator finds
 * a page. */
static void *fallback_alloc(struct kmem_cache *s, gfp_t flags)
{
	struct zonelist *zl =
		&NODE_DATA(numa_mem_id())->node_zonelists[ZONELIST_FALLBACK];
	int highest = (int)gfp_zone(flags);
	struct page *slab;

	if (flags & __GFP_THISNODE)
		return NULL;
	for (struct zoneref *z = zl->_zonerefs; z->zone; z++) {
		int nid = z->zone->node;
		struct slab_node *n = get_node(s, nid);
		void *obj;

		if (z->zone_idx > highest || !n || !n->free_objects)
			continue;
		obj = ____cache_alloc_node(s, gfp_exact_node(flags), nid);
		if (obj)
			return obj;
	}
	slab = cache_grow_begin(s, flags, numa_mem_id());
	cache_grow_end(s, slab);
	if (!slab)
		return NULL;
	return ____cache_alloc_node(s, gfp_exact_node(flags), slab_nid(slab));
}

static void *__do_cache_alloc(struct kmem_cache *s, gfp_t flags, int nodeid)
{
	int slab_node = numa_mem_id();
	void *objp = NULL;

	if (nodeid == NUMA_NO_NODE || nodeid == slab_node) {
		objp = ____cache_alloc(s, flags);
		nodeid = slab_node;
	}
	if (!objp)
		objp = ____cache_alloc_node(s, flags, nodeid);
	return objp;
}

static void *slab_alloc(struct kmem_cache *s, gfp_t flags, int node)
{
	void *objp = __do_cache_alloc(s, flags, slab_valid_node(node));

	if (unlikely(!objp))
		return NULL;
	if (unlikely(slab_debug(s)))
		objp = cache_alloc_debugcheck_after(s, flags, objp);
	if (unlikely(flags & __GFP_ZERO))
		memset(objp, 0, s->object_size);
	return objp;
}

/* ---- freeing ------------------------------------------------------------ */

/* Linux's cache_flusharray(): the CPU's array is full; its oldest
 * batchcount objects go to the shared array, or back to their slabs. */
static void cache_flusharray(struct kmem_cache *s, struct array_cache *ac)
{
	unsigned int batchcount = ac->batchcount;
	int node = numa_mem_id();
	struct slab_node *n = get_node(s, node);
	struct array_cache *shared = n->shared;
	LIST_HEAD(list);

	if (shared && shared->limit > shared->avail) {
		batchcount = min(batchcount, shared->limit - shared->avail);
		memcpy(shared->entry + (size_t)shared->avail * ptr_size(),
		       ac->entry, (size_t)batchcount * ptr_size());
		shared->avail += batchcount;
	} else {
		free_block(s, ac, batchcount, node, &list);
	}
	ac_shift(ac, batchcount);
	slabs_destroy(s, &list);
}

/* CONFIG_SLAB_FREELIST_HARDENED: the trivial double free, slot being
 * the last object put in ac. */
static bool ac_is_double_free(struct kmem_cache *s, struct array_cache *ac,
			      void *slot)
{
	if (likely(!ac->avail || ac_get(ac, ac->avail - 1) != slot))
		return false;
	WARN(1, "slab: double free of " PX " in cache '%s'\n",
	     PXA((u8 *)slot + cinfo(s)->obj_offset), s->name);
	return true;
}

/* Linux's __drain_alien_cache(): objects of node, freed elsewhere, go
 * to node's shared array while it has room, the rest to their slabs. */
static void __drain_alien_cache(struct kmem_cache *s, struct array_cache *ac,
				int node, struct list_head *list)
{
	struct slab_node *n = get_node(s, node);

	if (!ac->avail)
		return;
	if (n->shared)
		transfer_objects(n->shared, ac, ac->limit);
	free_block(s, ac, ac->avail, node, list);
	ac->avail = 0;
}

/* Linux's __cache_free_alien(): an object of slab_node freed on a CPU
 * of another node waits in that node's alien cache for slab_node; a
 * full alien cache is drained first. */
static void cache_free_alien(struct kmem_cache *s, void *slot, int slab_node)
{
	struct slab_node *n = get_node(s, numa_mem_id());
	struct array_cache *ac;
	LIST_HEAD(list);

	if (!n || !n->alien || !n->alien[slab_node]) {
		free_to_node(s, slot);
		return;
	}
	ac = n->alien[slab_node];
	if (unlikely(ac_is_double_free(s, ac, slot)))
		return;
	if (unlikely(ac->avail == ac->limit))
		__drain_alien_cache(s, ac, slab_node, &list);
	ac_set(ac, ac->avail++, slot);
	slabs_destroy(s, &list);
}

static void slab_free(struct kmem_cache *s, struct page *slab, void *objp)
{
	void *slot = (u8 *)objp - cinfo(s)->obj_offset;
	struct array_cache *ac;

	if (unlikely(!slab_valid_slot(s, slab, slot))) {
		slab_error(s, "invalid object pointer " PX, PXA(objp));
		return;
	}
	if (unlikely(slab_debug(s)) && !cache_free_debugcheck(s, slot))
		return;
	ac = cpu_cache_get(s);
	if (unlikely(!ac)) {
		free_to_node(s, slot);
		return;
	}
	if (M->nr_nodes > 1 && slab_nid(slab) != numa_mem_id()) {
		cache_free_alien(s, slot, slab_nid(slab));
		return;
	}
	if (unlikely(ac_is_double_free(s, ac, slot)))
		return;
	if (unlikely(ac->avail >= ac->limit))
		cache_flusharray(s, ac);
	ac_set(ac, ac->avail++, slot);
}

/* ---- draining and reaping ------------------------------------------------ */

/* Gives back all (free_all) or about a fifth of the objects of ac. */
static void drain_array_locked(struct kmem_cache *s, struct array_cache *ac,
			       int node, bool free_all, struct list_head *list)
{
	unsigned int tofree;

	if (!ac || !ac->avail)
		return;
	tofree = free_all ? ac->avail : (ac->limit + 4) / 5;
	if (tofree > ac->avail)
		tofree = (ac->avail + 1) / 2;
	free_block(s, ac, tofree, node, list);
	ac_shift(ac, tofree);
}

/* An array untouched since the last reap gives back part of it. */
static void drain_array(struct kmem_cache *s, struct array_cache *ac, int node)
{
	LIST_HEAD(list);

	if (!ac || !ac->avail)
		return;
	if (ac->touched) {
		ac->touched = 0;
		return;
	}
	drain_array_locked(s, ac, node, false, &list);
	slabs_destroy(s, &list);
}

/* Every CPU's array and every shared array back to the slabs. */
static void drain_cpu_caches(struct kmem_cache *s)
{
	struct slab_node *n;
	int cpu, node;

	for_each_online_cpu(cpu) {
		struct array_cache *ac = cinfo(s)->cpu_cache[cpu];
		LIST_HEAD(list);

		if (!ac)
			continue;
		free_block(s, ac, ac->avail, cpu_mem_node(cpu), &list);
		ac->avail = 0;
		slabs_destroy(s, &list);
	}
	for_each_slab_node(s, node, n)
	{
		for (int i = 0; n->alien && i < M->nr_nodes; i++) {
			LIST_HEAD(list);

			if (!n->alien[i])
				continue;
			__drain_alien_cache(s, n->alien[i], i, &list);
			slabs_destroy(s, &list);
		}
	}
	for_each_slab_node(s, node, n)
	{
		LIST_HEAD(list);

		drain_array_locked(s, n->shared, node, true, &list);
		slabs_destroy(s, &list);
	}
}

/* One CPU's share of Linux's cache_reap() work item. */
/* Linux's reap_alien(): the alien cache n keeps for this CPU's
 * slab_reap_node goes back to that node. */
static void reap_alien(struct kmem_cache *s, struct slab_node *n, int node)
{
	LIST_HEAD(list);

	if (!n->alien || !n->alien[node] || !n->alien[node]->avail)
		return;
	__drain_alien_cache(s, n->alien[node], node, &list);
	slabs_destroy(s, &list);
}

/* Linux's slab_reap_node of a CPU: each reap drains the alien caches
 * for one node, the nodes in turn (next_reap_node). NULL before
 * cpucache_init. */
static int *reap_node_of(int cpu)
{
	struct slab_priv *priv = slab_priv();

	return priv->reap_work ? &priv->reap_work[cpu].reap_node : NULL;
}

static void cache_reap_cpu(int cpu)
{
	int node = cpu_mem_node(cpu), *reap_node = reap_node_of(cpu);
	struct kmem_cache *s;

	list_for_each_entry(s, &g->slab_caches, list) {
		struct slab_cache_info *ci = cinfo(s);
		struct slab_node *n = get_node(s, node);

		if (!n)
			continue;
		if (reap_node)
			reap_alien(s, n, *reap_node);
		drain_array(s, ci->cpu_cache[cpu], node);
		if (n->next_reap > M->clock_ns)
			continue;
		n->next_reap = M->clock_ns + REAPTIMEOUT_NODE * JIFFY_NS;
		drain_array(s, n->shared, node);
		if (n->free_touched)
			n->free_touched = 0;
		else
			drain_freelist(s, n,
				       (n->free_limit + 5 * ci->num - 1) /
					       (5 * ci->num));
	}
	if (reap_node)
		*reap_node = (*reap_node + 1) % M->nr_nodes;
}

/* Linux's round_jiffies_common(): j rounded to a whole second of
 * jiffies, skewed by 3 jiffies a CPU so that CPUs do not all reap at
 * once; j itself if the rounded time is not in the future. */
static unsigned long round_jiffies_common(unsigned long j, int cpu)
{
	unsigned long original = j, rem;

	j += (unsigned long)cpu * 3;
	rem = j % HZ;
	if (rem < HZ / 4)
		j -= rem; /* round down */
	else
		j = j - rem + HZ; /* round up */
	j -= (unsigned long)cpu * 3;
	return (long)(j - jiffies) > 0 ? j : original;
}

/* Virtual time of an absolute jiffies value. */
static uint64_t jiffies_to_clock(unsigned long j)
{
	return jiffies_to_nsecs(j - INITIAL_JIFFIES);
}

/* The reap work of the timer's CPU, then the next one in
 * round_jiffies_relative(REAPTIMEOUT_AC). */
static enum hrtimer_restart cache_reap_work(struct hrtimer *timer)
{
	cache_reap_cpu(timer->cpu);
	timer->expires = jiffies_to_clock(
		round_jiffies_common(jiffies + REAPTIMEOUT_AC, timer->cpu));
	return HRTIMER_RESTART;
}

/* Linux's cpucache_init()/start_cpu_timer(): each online CPU reaps
 * first about a second after boot (__round_jiffies_relative(HZ, cpu)),
 * then every two seconds. */
bool cpucache_init(void)
{
	struct slab_priv *priv = (struct slab_priv *)g->priv;
	int cpu;

	if (!slab_is_available() || g->ops != &slab_ops || priv->reap_work)
		return true;
	priv->reap_work = kcalloc((size_t)M->nr_cpus, sizeof(struct slab_reap),
				  GFP_NOWAIT);
	if (!priv->reap_work) {
		pr_warn("SLAB: no memory for the reap timers\n");
		return true;
	}
	for_each_online_cpu(cpu) {
		struct hrtimer *t = &priv->reap_work[cpu].timer;

		/* init_reap_node(): the node after the CPU's own */
		priv->reap_work[cpu].reap_node =
			(cpu_mem_node(cpu) + 1) % M->nr_nodes;
		hrtimer_setup(t, cache_reap_work);
		hrtimer_start_on(t,
				 jiffies_to_clock(round_jiffies_common(
					 jiffies + HZ, cpu)),
				 cpu);
	}
	return true;
}

void cache_reap(void)
{
	int cpu, this_cpu;

	if (!slab_is_available() || g->ops != &slab_ops)
		return;
	this_cpu = M->this_cpu;
	for_each_online_cpu(cpu) {
		M->this_cpu = cpu; /* the work runs on each CPU */
		cache_reap_cpu(cpu);
	}
	M->this_cpu = this_cpu;
}

/* Linux's __kmem_cache_shrink(): drain every array, free every free
 * slab; non-zero if the cache still has objects. */
static int slab_shrink(struct kmem_cache *s)
{
	struct slab_node *n;
	int node, ret = 0;

	drain_cpu_caches(s);
	for_each_slab_node(s, node, n)
	{
		drain_freelist(s, n, UINT32_MAX);
		ret += !list_empty(&n->slabs_full) ||
		       !list_empty(&n->slabs_partial);
	}
	return ret ? 1 : 0;
}

/* Linux's SLAB reports leaks only through kmem_cache_destroy's WARN. */
static int slab_shutdown(struct kmem_cache *s)
{
	return slab_shrink(s);
}

static void free_alien_cache(struct array_cache **alien)
{
	for (int i = 0; alien && i < M->nr_nodes; i++)
		kfree(alien[i]);
	kfree(alien);
}

static void slab_release(struct kmem_cache *s)
{
	struct slab_cache_info *ci = cinfo(s);
	struct slab_node *n;
	int cpu, node;

	for_each_online_cpu(cpu) {
		kfree(ci->cpu_cache[cpu]);
		ci->cpu_cache[cpu] = NULL;
	}
	for_each_slab_node(s, node, n)
	{
		kfree(n->shared);
		free_alien_cache(n->alien);
		kfree(n);
		s->node[node] = NULL;
	}
}

/* ---- cache layout ---------------------------------------------------------- */

/* Objects of size that fit a slab of 2^gfporder pages, and the rest. */
static unsigned int cache_estimate(unsigned int gfporder, size_t size,
				   slab_flags_t flags, size_t *left_over)
{
	size_t slab_size = PAGE_SIZE << gfporder;

	if (flags & (CFLGS_OBJFREELIST_SLAB | CFLGS_OFF_SLAB)) {
		*left_over = slab_size % size;
		return (unsigned int)(slab_size / size);
	}
	*left_over = slab_size % (size + sizeof(freelist_idx_t));
	return (unsigned int)(slab_size / (size + sizeof(freelist_idx_t)));
}

/* Whether an off-slab index array of num entries is worth it: from a
 * kmalloc cache that is not off-slab itself, at most half an object. */
static bool off_slab_fits(const struct kmem_cache *s, unsigned int num)
{
	size_t freelist_size = num * sizeof(freelist_idx_t), cache_size;

	if (freelist_size > KMALLOC_MAX_CACHE_SIZE) {
		cache_size = PAGE_SIZE << get_order(freelist_size);
	} else {
		struct kmem_cache *fc = kmalloc_slab(freelist_size, 0);

		if (!fc || OFF_SLAB(fc))
			return false;
		cache_size = fc->size;
	}
	return cache_size <= s->size / 2;
}

/* Linux's calculate_slab_order(): the first order whose waste is at
 * most 1/8 of the slab, stopping at slab_max_order (and at once for
 * reclaimable caches); returns the bytes left over. */
static size_t calculate_slab_order(struct kmem_cache *s, size_t size,
				   slab_flags_t flags)
{
	struct slab_cache_info *ci = cinfo(s);
	size_t left_over = 0;

	for (unsigned int gfporder = 0; gfporder <= MAX_PAGE_ORDER;
	     gfporder++) {
		size_t remainder;
		unsigned int num =
			cache_estimate(gfporder, size, flags, &remainder);

		if (!num)
			continue;
		if (num > SLAB_OBJ_MAX_NUM)
			break;
		if ((flags & CFLGS_OFF_SLAB) && !off_slab_fits(s, num))
			continue;
		ci->num = num;
		ci->gfporder = gfporder;
		left_over = remainder;
		if (flags & SLAB_RECLAIM_ACCOUNT)
			break;
		if (gfporder >= slab_priv()->slab_max_order)
			break;
		if (left_over * 8 <= (PAGE_SIZE << gfporder))
			break;
	}
	return left_over;
}

/* Colours fit the leftover; the slab keeps the colour index in its
 * 15-bit objects field. */
static void set_colour(struct slab_cache_info *ci, size_t left)
{
	ci->colour = (unsigned int)min(left / ci->colour_off, (size_t)32768);
}

/* The index array in a free object: no constructor (it would be
 * overwritten) and it must fit an object. */
static bool set_objfreelist_slab_cache(struct kmem_cache *s, size_t size,
				       slab_flags_t flags)
{
	struct slab_cache_info *ci = cinfo(s);
	size_t left;

	ci->num = 0;
	if (s->ctor || (flags & SLAB_TYPESAFE_BY_RCU))
		return false;
	left = calculate_slab_order(s, size, flags | CFLGS_OBJFREELIST_SLAB);
	if (!ci->num || ci->num * sizeof(freelist_idx_t) > s->object_size)
		return false;
	set_colour(ci, left);
	return true;
}

static bool set_off_slab_cache(struct kmem_cache *s, size_t size,
			       slab_flags_t flags)
{
	struct slab_cache_info *ci = cinfo(s);
	size_t left;

	ci->num = 0;
	if (flags & SLAB_NOLEAKTRACE)
		return false;
	left = calculate_slab_order(s, size, flags | CFLGS_OFF_SLAB);
	if (!ci->num)
		return false;
	/* room for the array on the slab: keep it there */
	if (left >= ci->num * sizeof(freelist_idx_t))
		return false;
	set_colour(ci, left);
	return true;
}

static bool set_on_slab_cache(struct kmem_cache *s, size_t size,
			      slab_flags_t flags)
{
	struct slab_cache_info *ci = cinfo(s);
	size_t left = calculate_slab_order(s, size, flags);

	if (!ci->num)
		return false;
	set_colour(ci, left);
	return true;
}

/* Word alignment, red zones (only when the alignment is at most 8: a
 * bigger one disables them, as in Linux), the left zone's offset. */
static unsigned int debug_layout(struct kmem_cache *s, slab_flags_t *flags)
{
	unsigned int size = ALIGN(s->size, ptr_size()), ralign = ptr_size();

	if (*flags & SLAB_RED_ZONE) {
		ralign = REDZONE_ALIGN;
		size = ALIGN(size, REDZONE_ALIGN);
	}
	ralign = max(ralign, s->align);
	if (ralign > REDZONE_ALIGN)
		*flags &= ~(SLAB_RED_ZONE | SLAB_STORE_USER);
	s->align = ralign;
	cinfo(s)->obj_offset = 0;
	if (*flags & SLAB_RED_ZONE) {
		cinfo(s)->obj_offset = sizeof(unsigned long long);
		size += 2 * sizeof(unsigned long long);
	}
	size = ALIGN(size, s->align);
	if (FREELIST_BYTE_INDEX && size < SLAB_OBJ_MIN_SIZE)
		size = ALIGN(SLAB_OBJ_MIN_SIZE, s->align);
	return size;
}

static int setup_cpu_cache(struct kmem_cache *s, gfp_t gfp);
static void slab_release(struct kmem_cache *s);

/* Linux's __kmem_cache_create(): layout, where the index array goes
 * (in an object, off-slab, or on-slab, the first that works), then the
 * nodes and array caches. */
static int slab_create(struct kmem_cache *s, slab_flags_t flags)
{
	struct slab_cache_info *ci = cinfo(s);
	unsigned int size;

	memset(ci, 0, sizeof(*ci) + (size_t)M->nr_cpus * sizeof(void *));
	flags &= ~SLAB_CONSISTENCY_CHECKS; /* SLUB's; SLAB has none */
	size = debug_layout(s, &flags);
	ci->colour_off = max((unsigned int)L1_CACHE_BYTES, s->align);
	if (set_objfreelist_slab_cache(s, size, flags))
		flags |= CFLGS_OBJFREELIST_SLAB;
	else if (set_off_slab_cache(s, size, flags))
		flags |= CFLGS_OFF_SLAB;
	else if (!set_on_slab_cache(s, size, flags))
		return -E2BIG;
	ci->freelist_size = ci->num * (unsigned int)sizeof(freelist_idx_t);
	s->flags = flags;
	s->allocflags = __GFP_COMP;
	if (flags & SLAB_CACHE_DMA)
		s->allocflags |= GFP_DMA;
	if (flags & SLAB_CACHE_DMA32)
		s->allocflags |= GFP_DMA32;
	if (flags & SLAB_RECLAIM_ACCOUNT)
		s->allocflags |= __GFP_RECLAIMABLE;
	s->size = size;
	s->reciprocal_size = reciprocal_value(size);
	if (setup_cpu_cache(s, g->state >= UP ? GFP_KERNEL : GFP_NOWAIT)) {
		slab_release(s);
		return -ENOMEM;
	}
	return 0;
}

/* ---- nodes and array caches of a cache ------------------------------------ */

/* kmalloc index of a size, as kmalloc_slab picks it. */
static unsigned int kmalloc_index_of(size_t size)
{
	if (size <= 32)
		return SLAB_KMALLOC_SHIFT_LOW;
	if (size > 64 && size <= 96)
		return 1;
	if (size > 128 && size <= 192)
		return 2;
	return (unsigned int)fls((unsigned int)size - 1);
}

/* Linux kmallocs the node structures; until the kmalloc cache for them
 * exists, the first two caches use static ones. */
static struct slab_node *alloc_slab_node(struct kmem_cache *s, int nid,
					 gfp_t gfp)
{
	unsigned int idx = kmalloc_index_of(sizeof(struct slab_node));
	struct kmem_cache *nc = g->kmalloc_caches[KMALLOC_NORMAL][idx];
	struct slab_node *boot = (struct slab_node *)g->boot_kmem_cache_node;

	if (nc)
		return kmem_cache_alloc_node(nc, gfp, nid);
	return &boot[(s == g->kmem_cache ? CACHE_CACHE : SIZE_NODE) + nid];
}

/* Linux's init_cache_node(): a node structure, or a new free_limit. */
static int init_cache_node(struct kmem_cache *s, int nid, gfp_t gfp)
{
	struct slab_cache_info *ci = cinfo(s);
	struct slab_node *n = get_node(s, nid);
	unsigned int free_limit =
		(1 + (unsigned int)nr_cpus_node(nid)) * ci->batchcount +
		ci->num;

	if (n) {
		n->free_limit = free_limit;
		return 0;
	}
	n = alloc_slab_node(s, nid, gfp);
	if (!n)
		return -ENOMEM;
	kmem_cache_node_init(n);
	n->next_reap = first_reap(s);
	n->free_limit = free_limit;
	s->node[nid] = (struct kmem_cache_node *)n;
	return 0;
}

/* Linux's alloc_alien_cache(): on a node, an array of 12 objects (1 if
 * the cache's limit is 1) for each other node. */
static struct array_cache **alloc_alien_cache(int nid, unsigned int limit,
					      gfp_t gfp)
{
	struct array_cache **alien = kmalloc_node(
		(size_t)M->nr_nodes * sizeof(*alien), gfp | __GFP_ZERO, nid);

	if (limit > 1)
		limit = 12;
	for (int i = 0; alien && i < M->nr_nodes; i++) {
		if (i == nid)
			continue;
		alien[i] = alloc_arraycache(nid, limit, 0xbaadf00d, gfp);
		if (!alien[i]) {
			free_alien_cache(alien);
			return NULL;
		}
	}
	return alien;
}

/* Linux's setup_kmem_cache_node(): the node, its alien caches (once)
 * and its new shared array (the old one's objects go back to the
 * slabs). */
static int setup_kmem_cache_node(struct kmem_cache *s, int nid, gfp_t gfp)
{
	struct slab_cache_info *ci = cinfo(s);
	struct array_cache *new_shared = NULL, *old_shared, **new_alien = NULL;
	struct slab_node *n = get_node(s, nid);
	LIST_HEAD(list);
	int ret;

	if (M->nr_nodes > 1 && !(n && n->alien)) {
		new_alien = alloc_alien_cache(nid, ci->limit, gfp);
		if (!new_alien)
			return -ENOMEM;
	}
	if (ci->shared) {
		new_shared = alloc_arraycache(nid, ci->shared * ci->batchcount,
					      0xbaadf00d, gfp);
		if (!new_shared) {
			free_alien_cache(new_alien);
			return -ENOMEM;
		}
	}
	ret = init_cache_node(s, nid, gfp);
	if (ret) {
		kfree(new_shared);
		free_alien_cache(new_alien);
		return ret;
	}
	n = get_node(s, nid);
	old_shared = n->shared;
	if (old_shared)
		free_block(s, old_shared, old_shared->avail, nid, &list);
	n->shared = new_shared;
	if (!n->alien)
		n->alien = new_alien;
	slabs_destroy(s, &list);
	kfree(old_shared);
	return 0;
}

static int setup_kmem_cache_nodes(struct kmem_cache *s, gfp_t gfp)
{
	int nid;

	for_each_online_node(nid)
		if ((g->slab_nodes >> nid & 1) &&
		    setup_kmem_cache_node(s, nid, gfp))
			return -ENOMEM;
	return 0;
}

/* Linux's do_tune_cpucache(): new per-CPU arrays of limit entries (the
 * old ones' objects go back to the slabs), then the shared arrays. */
static int do_tune_cpucache(struct kmem_cache *s, unsigned int limit,
			    unsigned int batchcount, unsigned int shared,
			    gfp_t gfp)
{
	struct slab_cache_info *ci = cinfo(s);
	struct array_cache *prev[NR_CPUS], *ac;
	int cpu;

	for_each_online_cpu(cpu) {
		prev[cpu] = alloc_arraycache(cpu_mem_node(cpu), limit,
					     batchcount, gfp);
		if (!prev[cpu]) {
			while (cpu--)
				kfree(prev[cpu]);
			return -ENOMEM;
		}
	}
	for_each_online_cpu(cpu) {
		ac = ci->cpu_cache[cpu];
		ci->cpu_cache[cpu] = prev[cpu];
		prev[cpu] = ac;
	}
	ci->batchcount = batchcount;
	ci->limit = limit;
	ci->shared = shared;
	for_each_online_cpu(cpu) {
		LIST_HEAD(list);

		if (!prev[cpu])
			continue;
		free_block(s, prev[cpu], prev[cpu]->avail, cpu_mem_node(cpu),
			   &list);
		slabs_destroy(s, &list);
		kfree(prev[cpu]);
	}
	return setup_kmem_cache_nodes(s, gfp);
}

/* Linux's enable_cpucache(): array sizes by object size, a shared
 * array on SMP for objects up to a page. */
static int enable_cpucache(struct kmem_cache *s, gfp_t gfp)
{
	unsigned int limit, shared = 0;
	int err;

	if (s->size > 131072)
		limit = 1;
	else if (s->size > PAGE_SIZE)
		limit = 8;
	else if (s->size > 1024)
		limit = 24;
	else if (s->size > 256)
		limit = 54;
	else
		limit = 120;
	if (s->size <= PAGE_SIZE && M->nr_cpus > 1)
		shared = 8;
	err = do_tune_cpucache(s, limit, (limit + 1) / 2, shared, gfp);
	if (err)
		pr_err("enable_cpucache failed for %s, error %d\n", s->name,
		       -err);
	return err;
}

/* At boot, caches start without array caches (objects go straight to
 * and from the lists) until kmem_cache_init_late gives them theirs. */
static int setup_cpu_cache(struct kmem_cache *s, gfp_t gfp)
{
	struct slab_cache_info *ci = cinfo(s);
	int nid;

	if (g->state >= FULL)
		return enable_cpucache(s, gfp);
	ci->batchcount = 1;
	ci->limit = 1;
	for_each_online_node(nid) {
		struct slab_node *n;

		if (!(g->slab_nodes >> nid & 1))
			continue;
		n = alloc_slab_node(s, nid, gfp);
		if (!n)
			return -ENOMEM;
		kmem_cache_node_init(n);
		n->next_reap = first_reap(s);
		s->node[nid] = (struct kmem_cache_node *)n;
	}
	return 0;
}

/* SLAB merges a new cache into an old one of the same shape, as SLUB
 * does (without SLUB's sysfs aliases). */
static struct kmem_cache *slab_alias(const char *name, unsigned int size,
				     unsigned int align, slab_flags_t flags,
				     void (*ctor)(void *))
{
	struct kmem_cache *s = find_mergeable(size, align, flags, name, ctor);

	if (s) {
		s->refcount++;
		s->object_size = max(s->object_size, size);
	}
	return s;
}

/* ---- what users see --------------------------------------------------------- */

static size_t slab_ksize(const struct kmem_cache *s)
{
	return s->object_size;
}

/* Objects in array caches count as active, as in Linux. */
static void slab_get_slabinfo(struct kmem_cache *s, struct slabinfo *sinfo)
{
	struct slab_cache_info *ci = cinfo(s);
	unsigned long total_slabs = 0, free_slabs = 0, free_objs = 0;
	unsigned long shared_avail = 0;
	struct slab_node *n;
	int node;

	for_each_slab_node(s, node, n)
	{
		total_slabs += n->total_slabs;
		free_slabs += n->free_slabs;
		free_objs += n->free_objects;
		if (n->shared)
			shared_avail += n->shared->avail;
	}
	sinfo->num_objs = total_slabs * ci->num;
	sinfo->active_objs = sinfo->num_objs - free_objs;
	sinfo->active_slabs = total_slabs - free_slabs;
	sinfo->num_slabs = total_slabs;
	sinfo->shared_avail = shared_avail;
	sinfo->limit = ci->limit;
	sinfo->batchcount = ci->batchcount;
	sinfo->shared = ci->shared;
	sinfo->objects_per_slab = ci->num;
	sinfo->cache_order = ci->gfporder;
}

#define MAX_SLABINFO_WRITE 128

/* Linux's slabinfo_write(): "NAME LIMIT BATCHCOUNT SHARED". Values out
 * of range are ignored without an error, as in Linux. */
int slabinfo_write(const char *value, char *err, size_t errlen)
{
	char kbuf[MAX_SLABINFO_WRITE + 1], *tmp;
	int limit, batchcount, shared;
	struct kmem_cache *s;

	if (!slab_is_available() || g->ops != &slab_ops) {
		snprintf(err, errlen, "/proc/slabinfo: Permission denied");
		return -EACCES;
	}
	if (strlen(value) > MAX_SLABINFO_WRITE)
		goto inval;
	snprintf(kbuf, sizeof(kbuf), "%s", value);
	tmp = strchr(kbuf, ' ');
	if (!tmp)
		goto inval;
	*tmp++ = '\0';
	if (sscanf(tmp, " %d %d %d", &limit, &batchcount, &shared) != 3)
		goto inval;
	list_for_each_entry(s, &g->slab_caches, list) {
		if (strcmp(s->name, kbuf))
			continue;
		if (limit < 1 || batchcount < 1 || batchcount > limit ||
		    shared < 0)
			return 0;
		if (!do_tune_cpucache(s, (unsigned int)limit,
				      (unsigned int)batchcount,
				      (unsigned int)shared, GFP_KERNEL))
			return 0;
		snprintf(err, errlen, "/proc/slabinfo: Cannot allocate memory");
		return -ENOMEM;
	}
inval:
	snprintf(
		err, errlen,
		"/proc/slabinfo: Invalid argument (expected 'NAME LIMIT BATCHCOUNT SHARED' of an existing cache)");
	return -EINVAL;
}

/* ---- boot --------------------------------------------------------------------- */

/* Moves a cache's bootstrap node structures into kmalloc'ed ones
 * (Linux's init_list). */
static void init_list(struct kmem_cache *s, int nid)
{
	unsigned int idx = kmalloc_index_of(sizeof(struct slab_node));
	struct kmem_cache *nc = g->kmalloc_caches[KMALLOC_NORMAL][idx];
	struct slab_node *old = get_node(s, nid);
	struct slab_node *n = kmem_cache_alloc_node(nc, GFP_NOWAIT, nid);

	if (!n) {
		pr_emerg(
			"Kernel panic - not syncing: SLAB: cannot allocate node structures\n");
		BUG_REPORT();
		return;
	}
	*n = *old;
	INIT_LIST_HEAD(&n->slabs_full);
	INIT_LIST_HEAD(&n->slabs_partial);
	INIT_LIST_HEAD(&n->slabs_free);
	while (!list_empty(&old->slabs_full))
		list_move_tail(old->slabs_full.next, &n->slabs_full);
	while (!list_empty(&old->slabs_partial))
		list_move_tail(old->slabs_partial.next, &n->slabs_partial);
	while (!list_empty(&old->slabs_free))
		list_move_tail(old->slabs_free.next, &n->slabs_free);
	s->node[nid] = (struct kmem_cache_node *)n;
}

/* Linux's kmem_cache_init(): the kmem_cache cache (static for good),
 * then the kmalloc cache of node structures, then real node structures
 * for both. */
static void slab_init(void)
{
	struct kmem_cache *kmem_cache = (void *)g->boot_kmem_cache;
	unsigned int idx = kmalloc_index_of(sizeof(struct slab_node));
	int nid;

	if (slab_cache_struct_size() > sizeof(g->boot_kmem_cache)) {
		pr_emerg("SLAB: struct kmem_cache too big for %d CPUs\n",
			 M->nr_cpus);
		BUG_REPORT();
		return;
	}
	slab_priv()->slab_max_order = M->totalram_pages > (32UL << 20) >>
						      PAGE_SHIFT ?
					      SLAB_MAX_ORDER_HI :
					      SLAB_MAX_ORDER_LO;
	g->kmem_cache = kmem_cache;
	create_boot_cache(kmem_cache, "kmem_cache", slab_cache_struct_size(),
			  SLAB_HWCACHE_ALIGN, 0, 0);
	list_add(&kmem_cache->list, &g->slab_caches);
	g->state = PARTIAL;
	new_kmalloc_cache(idx, KMALLOC_NORMAL);
	for_each_online_node(nid) {
		if (!(g->slab_nodes >> nid & 1))
			continue;
		init_list(kmem_cache, nid);
		init_list(g->kmalloc_caches[KMALLOC_NORMAL][idx], nid);
	}
}

/* Linux's kmem_cache_init_late(): every cache gets its array caches. */
static void slab_init_late(void)
{
	struct kmem_cache *s;

	list_for_each_entry(s, &g->slab_caches, list)
		if (enable_cpucache(s, GFP_NOWAIT))
			BUG_REPORT();
	g->state = FULL;
}

const struct slab_allocator_ops slab_ops = {
	.name = "slab",
	.init = slab_init,
	.create = slab_create,
	.alias = slab_alias,
	.alloc = slab_alloc,
	.free = slab_free,
	.shrink = slab_shrink,
	.shutdown = slab_shutdown,
	.release = slab_release,
	.ksize = slab_ksize,
	.get_slabinfo = slab_get_slabinfo,
	.init_late = slab_init_late,
	.kmalloc_shift_low = SLAB_KMALLOC_SHIFT_LOW,
	.kmalloc_flags = SLAB_HWCACHE_ALIGN,
};
