/* SLUB (mm/slub.c), the default slab allocator. A slab is a compound page
 * cut into objects; each CPU allocates from its own frozen slab through a
 * freelist without touching the slab, partially free slabs wait on
 * per-node partial lists (full ones on no list, but for debug caches),
 * and empty slabs beyond min_partial go back to the page allocator.
 * Caches with red zones or poisoning take a checked slow path and
 * report corruption in Linux's words. Free pointers inside
 * objects are physical addresses the size of a simulated kernel pointer,
 * so object layouts are the arch's. */
#include "mm/slab.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "kernel/printk.h"
#include "kernel/sched.h"
#include "kernel/time/time.h"
#include "mm/vmstat.h"

/* g: the slab globals, Linux's file-scope variables of mm/slab*.c. */
#define g slab_globals()

#define OO_SHIFT 16
#define OO_MASK ((1u << OO_SHIFT) - 1)
#define MAX_OBJS_PER_PAGE 32767 /* slab->objects is 15 bits */
#define MIN_PARTIAL 5 /* partial slabs kept even when empty */
#define MAX_PARTIAL 10
#define SHRINK_PROMOTE_MAX 32
#define SLUB_MIN_ORDER 0u
#define SLUB_MAX_ORDER ((unsigned)PAGE_ALLOC_COSTLY_ORDER)

#define GFP_RECLAIM_MASK                                                       \
	(__GFP_RECLAIM | __GFP_HIGH | __GFP_IO | __GFP_FS | __GFP_NOWARN |     \
	 __GFP_RETRY_MAYFAIL | __GFP_NOFAIL | __GFP_NORETRY | __GFP_MEMALLOC | \
	 __GFP_NOMEMALLOC)
#define GFP_CONSTRAINT_MASK (__GFP_HARDWALL | __GFP_THISNODE)

typedef unsigned char u8;

static inline void stat(struct kmem_cache *s, enum stat_item si)
{
	s->cpu_slab[smp_processor_id()].stat[si]++;
}

/* sizeof(void *) in the simulated kernel. */
static inline unsigned int ptr_size(void)
{
	return (unsigned int)M->arch->bits / 8;
}

static inline bool kmem_cache_debug(const struct kmem_cache *s)
{
	return s->flags & SLAB_DEBUG_FLAGS;
}

/* slab->counters as one word: inuse in bits 0-15, objects in 16-30,
 * frozen in 31, where struct page's bitfields put them (checked at
 * boot). The free and refill paths read and write the word whole, as
 * Linux updates freelist and counters in one cmpxchg: a load then always
 * finds the word in one earlier store, which the CPU forwards, where
 * byte and halfword stores to the same word would make it wait for them
 * to reach the cache. */
#define SLAB_INUSE_MASK 0xffffUL
#define SLAB_OBJECTS_SHIFT 16
#define SLAB_OBJECTS_MASK 0x7fffUL
#define SLAB_FROZEN (1UL << 31)

static inline unsigned int counters_objects(unsigned long counters)
{
	return (unsigned int)((counters >> SLAB_OBJECTS_SHIFT) &
			      SLAB_OBJECTS_MASK);
}

static inline struct kmem_cache_node *get_node(const struct kmem_cache *s,
					       int node)
{
	return s->node[node];
}

#define for_each_kmem_cache_node(s, nid, n)     \
	for (nid = 0; nid < M->nr_nodes; nid++) \
		if (((n) = get_node(s, nid)) != NULL)

static inline bool node_match(const struct page *slab, int node)
{
	return node == NUMA_NO_NODE || slab_nid(slab) == node;
}

static inline unsigned int order_objects(unsigned int order, unsigned int size)
{
	return (unsigned int)((PAGE_SIZE << order) / size);
}

static inline struct kmem_cache_order_objects oo_make(unsigned int order,
						      unsigned int size)
{
	struct kmem_cache_order_objects x = { (order << OO_SHIFT) +
					      order_objects(order, size) };

	return x;
}

static inline unsigned int oo_order(struct kmem_cache_order_objects x)
{
	return x.x >> OO_SHIFT;
}

static inline unsigned int oo_objects(struct kmem_cache_order_objects x)
{
	return x.x & OO_MASK;
}

static inline void *slab_address(const struct page *slab)
{
	return page_address(slab);
}

static inline size_t slab_size(const struct page *slab)
{
	return PAGE_SIZE << compound_order(slab);
}

/* Where Linux's vmemmap puts the struct page (x86_64 and riscv64, whose
 * vmemmap starts at the first pfn of RAM), for reports. */
static unsigned long page_kaddr(const struct page *page)
{
	unsigned long pfn = page_to_pfn(page);

	if (M->pt_fmt == &pt_riscv_sv39)
		return 0xffffffc500000000UL +
		       (pfn - PFN_DOWN(M->phys_ram_base)) * 64;
	if (M->pt_fmt == &pt_riscv_sv48)
		return 0xffff8d8000000000UL +
		       (pfn - PFN_DOWN(M->phys_ram_base)) * 64;
	if (M->arch->bits == 64)
		return 0xffffea0000000000UL + pfn * 64;
	return kaddr(page);
}

/* ---- free pointers ------------------------------------------------------ */

static void object_err(struct kmem_cache *s, struct page *slab, u8 *object,
		       const char *reason);

static inline uint64_t get_freepointer_phys(const struct kmem_cache *s,
					    const void *object)
{
	const char *p = (const char *)object + s->offset;

	if (likely(s->fp64))
		return *(const uint64_t *)p;
	return *(const uint32_t *)p;
}

static noinline __cold void *freepointer_corrupt(struct kmem_cache *s,
						 void *object)
{
	object_err(s, virt_to_slab(object), object, "Freepointer corrupt");
	return NULL;
}

/* A free pointer is 0 (the end of the list) or a physical address in
 * RAM. */
static inline bool freepointer_in_ram(uint64_t phys)
{
	return phys - M->phys_ram_base < M->ram_bytes || !phys;
}

/* The object a free pointer in RAM names, or NULL for 0: masked
 * without a branch, since lists of partial slabs end often and
 * unpredictably. */
static inline void *freepointer_object(uint64_t phys)
{
	return (void *)((uintptr_t)(M->ram + phys) & -(uintptr_t)(phys != 0));
}

/* The next free object, or NULL; a pointer outside RAM is reported and
 * ends the list rather than crash the host. */
static inline void *get_freepointer(struct kmem_cache *s, void *object)
{
	uint64_t phys = get_freepointer_phys(s, object);

	if (likely(freepointer_in_ram(phys)))
		return freepointer_object(phys);
	return freepointer_corrupt(s, object);
}

static noinline __cold void *cpu_freelist_corrupt(struct kmem_cache *s,
						  struct kmem_cache_cpu *c,
						  void *object)
{
	c->freelist = freepointer_corrupt(s, object);
	return object;
}

/* Allocates object, the head of a CPU freelist: its free pointer
 * becomes c->freelist. A corrupt one is reported in a tail call, so the
 * allocation paths ending here keep no stack frame. */
static inline void *load_cpu_freelist(struct kmem_cache *s,
				      struct kmem_cache_cpu *c, void *object)
{
	uint64_t phys = get_freepointer_phys(s, object);

	if (unlikely(!freepointer_in_ram(phys)))
		return cpu_freelist_corrupt(s, c, object);
	c->freelist = freepointer_object(phys);
	return object;
}

/* The next allocation reads object's free pointer: start the load now,
 * as Linux's slab_alloc_node does (object may be NULL: a prefetch of a
 * bad address is ignored). */
static inline void prefetch_freepointer(const struct kmem_cache *s,
					const void *object)
{
	__builtin_prefetch((const void *)((uintptr_t)object + s->offset));
}

static inline void set_freepointer(const struct kmem_cache *s, void *object,
				   void *fp)
{
	char *p = (char *)object + s->offset;
	uint64_t phys = fp ? __pa(fp) : 0;

	if (likely(s->fp64))
		*(uint64_t *)p = phys;
	else
		*(uint32_t *)p = (uint32_t)phys;
}

/* Whether the offset off of an object in its slab (its red zone's
 * start) is the start of one of the slab's objects: off fits 32 bits
 * (below the first object it wraps to an index past the last), and one
 * multiply gives index and remainder. */
static inline bool object_offset_valid(const struct kmem_cache *s,
				       unsigned int objects, uint32_t off)
{
	unsigned __int128 q = (unsigned __int128)s->size_magic * off;

	return (uint64_t)q < s->size_magic && (uint64_t)(q >> 64) < objects;
}

/* Whether object, an address inside slab, is the start of one of its
 * objects. Slabs are buddy blocks, aligned to their size, so the offset
 * is the address's low bits. */
static inline bool object_in_slab(const struct kmem_cache *s,
				  const struct page *slab, const void *object)
{
	uint64_t mask = (PAGE_SIZE << compound_order(slab)) - 1;

	return object_offset_valid(
		s, slab->objects,
		(uint32_t)((__pa(object) & mask) - s->red_left_pad));
}

/* object_in_slab for a slab of the cache's preferred order, without
 * reading the order: the free paths' check. A slab of a smaller
 * (fallback) order gives an offset too big by a multiple of its size,
 * hence an index past its last object: false, and the caller checks
 * again with object_in_slab before reporting. True is always right. */
static inline bool object_in_oo_slab(const struct kmem_cache *s,
				     unsigned long counters, const void *object)
{
	return object_offset_valid(s, counters_objects(counters),
				   (uint32_t)(__pa(object) & s->slab_mask) -
					   s->red_left_pad);
}

/* Whether object is the start of an object of slab (NULL passes): for
 * any pointer, such as a corrupt free pointer. */
static inline bool check_valid_pointer(const struct kmem_cache *s,
				       const struct page *slab,
				       const void *object)
{
	uint64_t off;

	if (!object)
		return true;
	off = __pa(object) - PFN_PHYS(page_to_pfn(slab)) - s->red_left_pad;
	return off < (uint64_t)slab->objects * s->size &&
	       object_in_slab(s, slab, object);
}

/* ---- node lists and counters -------------------------------------------- */

static void init_kmem_cache_node(struct kmem_cache_node *n)
{
	n->nr_partial = 0;
	INIT_LIST_HEAD(&n->partial);
	INIT_LIST_HEAD(&n->full);
	n->nr_slabs = 0;
	n->total_objects = 0;
}

static void add_partial(struct kmem_cache_node *n, struct page *slab, bool tail)
{
	n->nr_partial++;
	if (tail)
		list_add_tail(&slab->slab_list, &n->partial);
	else
		list_add(&slab->slab_list, &n->partial);
}

static void remove_partial(struct kmem_cache_node *n, struct page *slab)
{
	list_del(&slab->slab_list);
	n->nr_partial--;
}

/* Only debug caches list their full slabs, as in Linux: other full
 * slabs are on no list, and shutdown finds them in mem_map. */
static void add_full(struct kmem_cache *s, struct kmem_cache_node *n,
		     struct page *slab)
{
	if (kmem_cache_debug(s))
		list_add(&slab->slab_list, &n->full);
}

static void remove_full(struct kmem_cache *s, struct page *slab)
{
	if (kmem_cache_debug(s))
		list_del(&slab->slab_list);
}

static void inc_slabs_node(struct kmem_cache *s, int node, unsigned int objects)
{
	struct kmem_cache_node *n = get_node(s, node);

	n->nr_slabs++;
	n->total_objects += objects;
}

static void dec_slabs_node(struct kmem_cache *s, int node, unsigned int objects)
{
	struct kmem_cache_node *n = get_node(s, node);

	n->nr_slabs--;
	n->total_objects -= objects;
}

static unsigned long count_partial_free(const struct kmem_cache_node *n)
{
	unsigned long x = 0;
	struct page *slab;

	list_for_each_entry(slab, &n->partial, slab_list)
		x += slab->objects - slab->inuse;
	return x;
}

/* ---- debug checks and reports --------------------------------------------- */

static void print_slab_info(const struct page *slab)
{
	int w = kaddr_width();

	pr_err("Slab 0x%0*lx objects=%u used=%u fp=0x%0*lx flags=%#lx(%snode=%d|zone=%d)\n",
	       w, page_kaddr(slab), slab->objects, slab->inuse, w,
	       slab->freelist ? kaddr(slab->freelist) : 0UL, slab->flags,
	       PageHead(slab) ? "head|" : "", slab_nid(slab),
	       (int)page_zonenum(slab));
}

__printf(3, 4) static void slab_err(struct kmem_cache *s,
				    const struct page *slab, const char *fmt,
				    ...)
{
	va_list ap;

	va_start(ap, fmt);
	slab_vbug(s, fmt, ap);
	va_end(ap);
	print_slab_info(slab);
	add_taint(TAINT_BAD_PAGE);
}

/* End of the object's metadata: the free pointer when it is outside. */
static unsigned int get_info_end(const struct kmem_cache *s)
{
	return s->offset >= s->inuse ? s->inuse + ptr_size() : s->inuse;
}

/* SLAB_STORE_USER: after the metadata, where and when the object was
 * last allocated and freed (Linux's struct track, with the calling
 * function's name for its address). Tracks may be unaligned on 32-bit
 * arches: copied in and out. */
struct track {
	const char *addr; /* the caller, NULL: never */
	int cpu;
	int pid;
	unsigned long when; /* jiffies */
};

enum track_item { TRACK_ALLOC, TRACK_FREE };

static inline u8 *track_addr(const struct kmem_cache *s, u8 *object,
			     enum track_item alloc)
{
	return object + get_info_end(s) + alloc * sizeof(struct track);
}

static struct track get_track(const struct kmem_cache *s, u8 *object,
			      enum track_item alloc)
{
	struct track t;

	memcpy(&t, track_addr(s, object, alloc), sizeof(t));
	return t;
}

static void set_track(const struct kmem_cache *s, u8 *object,
		      enum track_item alloc, const char *addr)
{
	struct track t = { addr, smp_processor_id(), current ? current->pid : 0,
			   jiffies };

	memcpy(track_addr(s, object, alloc), &t, sizeof(t));
}

static void init_tracking(const struct kmem_cache *s, u8 *object)
{
	if (s->flags & SLAB_STORE_USER)
		memset(track_addr(s, object, TRACK_ALLOC), 0,
		       2 * sizeof(struct track));
}

/* Linux's print_track(), a function name for %pS. */
static void print_track(const char *what, const struct track *t,
			unsigned long pr_time)
{
	if (!t->addr)
		return;
	pr_err("%s in %s age=%lu cpu=%u pid=%d\n", what, t->addr,
	       pr_time - t->when, (unsigned)t->cpu, t->pid);
}

static void print_tracking(const struct kmem_cache *s, u8 *object)
{
	unsigned long pr_time = jiffies;
	struct track t;

	if (!(s->flags & SLAB_STORE_USER))
		return;
	t = get_track(s, object, TRACK_ALLOC);
	print_track("Allocated", &t, pr_time);
	t = get_track(s, object, TRACK_FREE);
	print_track("Freed", &t, pr_time);
}

/* End of the debug metadata: the tracks follow the free pointer. */
static unsigned int get_debug_end(const struct kmem_cache *s)
{
	return get_info_end(s) +
	       (s->flags & SLAB_STORE_USER ? 2 * sizeof(struct track) : 0);
}

static unsigned int size_from_object(const struct kmem_cache *s)
{
	return s->flags & SLAB_RED_ZONE ? s->size - s->red_left_pad : s->size;
}

static void print_trailer(struct kmem_cache *s, struct page *slab, u8 *p)
{
	u8 *addr = slab_address(slab);
	uint64_t fp = get_freepointer_phys(s, p);
	unsigned int off = get_debug_end(s);
	int w = kaddr_width();

	print_tracking(s, p);
	print_slab_info(slab);
	pr_err("Object 0x%0*lx @offset=%td fp=0x%0*lx\n\n", w, kaddr(p),
	       p - addr, w, fp ? kaddr(M->ram) + (unsigned long)fp : 0UL);
	if (s->flags & SLAB_RED_ZONE)
		print_section("Redzone  ", p - s->red_left_pad,
			      s->red_left_pad);
	else if (p > addr + 16)
		print_section("Bytes b4 ", p - 16, 16);
	print_section("Object   ", p, min(s->object_size, (unsigned)PAGE_SIZE));
	if (s->flags & SLAB_RED_ZONE)
		print_section("Redzone  ", p + s->object_size,
			      s->inuse - s->object_size);
	if (off != size_from_object(s))
		print_section("Padding  ", p + off, size_from_object(s) - off);
}

static void object_err(struct kmem_cache *s, struct page *slab, u8 *object,
		       const char *reason)
{
	slab_bug(s, "%s", reason);
	if (slab)
		print_trailer(s, slab, object);
	add_taint(TAINT_BAD_PAGE);
}

static u8 *memchr_inv(u8 *start, u8 value, size_t bytes)
{
	for (size_t i = 0; i < bytes; i++)
		if (start[i] != value)
			return start + i;
	return NULL;
}

static void restore_bytes(struct kmem_cache *s, const char *message, u8 data,
			  u8 *from, u8 *to)
{
	int w = kaddr_width();

	slab_fix(s, "Restoring %s 0x%0*lx-0x%0*lx=0x%x", message, w,
		 kaddr(from), w, kaddr(to - 1), data);
	memset(from, data, (size_t)(to - from));
}

/* Reports and repairs the first run of bytes in [start, start+bytes)
 * that is not value; false if there was one. */
static bool check_bytes_and_report(struct kmem_cache *s, struct page *slab,
				   u8 *object, const char *what, u8 *start,
				   u8 value, unsigned int bytes)
{
	u8 *fault = memchr_inv(start, value, bytes);
	u8 *end = start + bytes;
	int w = kaddr_width();

	if (!fault)
		return true;
	while (end > fault && end[-1] == value)
		end--;
	slab_bug(s, "%s overwritten", what);
	pr_err("0x%0*lx-0x%0*lx @offset=%td. First byte 0x%x instead of 0x%x\n",
	       w, kaddr(fault), w, kaddr(end - 1),
	       fault - (u8 *)slab_address(slab), fault[0], value);
	print_trailer(s, slab, object);
	add_taint(TAINT_BAD_PAGE);
	restore_bytes(s, what, value, fault, end);
	return false;
}

/* Fills red zones with val and poisons the object (SLAB_POISON). */
static void init_object(const struct kmem_cache *s, u8 *p, u8 val)
{
	if (s->flags & SLAB_RED_ZONE)
		memset(p - s->red_left_pad, val, s->red_left_pad);
	if (s->flags & __OBJECT_POISON) {
		memset(p, POISON_FREE, s->object_size - 1);
		p[s->object_size - 1] = POISON_END;
	}
	if (s->flags & SLAB_RED_ZONE)
		memset(p + s->object_size, val, s->inuse - s->object_size);
}

static bool check_pad_bytes(struct kmem_cache *s, struct page *slab, u8 *p)
{
	unsigned int off = get_debug_end(s);

	if (size_from_object(s) == off)
		return true;
	return check_bytes_and_report(s, slab, p, "Object padding", p + off,
				      POISON_INUSE, size_from_object(s) - off);
}

/* Linux's check_object(): red zones, poison, padding and free pointer of
 * an object expected to be allocated (val SLUB_RED_ACTIVE) or free. */
static bool check_object(struct kmem_cache *s, struct page *slab, u8 *p, u8 val)
{
	u8 *endobject = p + s->object_size;
	bool ret = true;

	if (s->flags & SLAB_RED_ZONE) {
		ret &= check_bytes_and_report(s, slab, p, "Left Redzone",
					      p - s->red_left_pad, val,
					      s->red_left_pad);
		ret &= check_bytes_and_report(s, slab, p, "Right Redzone",
					      endobject, val,
					      s->inuse - s->object_size);
	} else if ((s->flags & SLAB_POISON) && s->object_size < s->inuse) {
		ret &= check_bytes_and_report(s, slab, p, "Alignment padding",
					      endobject, POISON_INUSE,
					      s->inuse - s->object_size);
	}
	if (s->flags & SLAB_POISON) {
		if (val != SLUB_RED_ACTIVE && (s->flags & __OBJECT_POISON)) {
			ret &= check_bytes_and_report(s, slab, p, "Poison", p,
						      POISON_FREE,
						      s->object_size - 1);
			ret &= check_bytes_and_report(s, slab, p, "End Poison",
						      endobject - 1, POISON_END,
						      1);
		}
		ret &= check_pad_bytes(s, slab, p);
	}
	/* A free pointer inside an allocated object is user data. */
	if ((s->offset >= s->inuse || val != SLUB_RED_ACTIVE) &&
	    (!freepointer_in_ram(get_freepointer_phys(s, p)) ||
	     !check_valid_pointer(s, slab, get_freepointer(s, p)))) {
		object_err(s, slab, p, "Freepointer corrupt");
		set_freepointer(s, p, NULL);
		ret = false;
	}
	return ret;
}

static bool check_slab(struct kmem_cache *s, struct page *slab)
{
	unsigned int maxobj;

	if (!PageSlab(slab)) {
		slab_err(s, slab, "Not a valid slab page");
		return false;
	}
	maxobj = order_objects(compound_order(slab), s->size);
	if (slab->objects > maxobj) {
		slab_err(s, slab, "objects %u > max %u", slab->objects, maxobj);
		return false;
	}
	if (slab->inuse > slab->objects) {
		slab_err(s, slab, "inuse %u > max %u", slab->inuse,
			 slab->objects);
		return false;
	}
	return true;
}

/* Whether search is on slab's freelist; repairs a corrupt chain. */
static bool on_freelist(struct kmem_cache *s, struct page *slab, void *search)
{
	void *fp = slab->freelist, *object = NULL;
	unsigned int nr = 0;

	while (fp && nr <= slab->objects) {
		if (fp == search)
			return true;
		if (!check_valid_pointer(s, slab, fp)) {
			if (object) {
				object_err(s, slab, object,
					   "Freechain corrupt");
				set_freepointer(s, object, NULL);
			} else {
				slab_err(s, slab, "Freepointer corrupt");
				slab->freelist = NULL;
				slab->inuse = slab->objects;
				slab_fix(s, "Freelist cleared");
				remove_partial(get_node(s, slab_nid(slab)),
					       slab);
				add_full(s, get_node(s, slab_nid(slab)), slab);
			}
			break;
		}
		object = fp;
		fp = get_freepointer(s, object);
		nr++;
	}
	return false;
}

static bool alloc_debug_processing(struct kmem_cache *s, struct page *slab,
				   void *object)
{
	if (s->flags & SLAB_CONSISTENCY_CHECKS) {
		if (!check_slab(s, slab))
			goto bad;
		if (!check_valid_pointer(s, slab, object)) {
			slab_err(s, slab, "Freelist Pointer check fails");
			goto bad;
		}
		if (!check_object(s, slab, object, SLUB_RED_INACTIVE))
			goto bad;
	}
	init_object(s, object, SLUB_RED_ACTIVE);
	return true;
bad:
	/* Let's do the best we can to avoid issues in the future. */
	slab_fix(s, "Marking all objects used");
	slab->inuse = slab->objects;
	slab->freelist = NULL;
	return false;
}

static bool free_debug_processing(struct kmem_cache *s, struct page *slab,
				  void *object)
{
	int w = kaddr_width();

	if (s->flags & SLAB_CONSISTENCY_CHECKS) {
		if (!check_slab(s, slab))
			goto out;
		if (slab->inuse < 1) {
			slab_err(
				s, slab,
				"Slab has %u allocated objects but 1 are to be freed",
				slab->inuse);
			goto out;
		}
		if (on_freelist(s, slab, object)) {
			object_err(s, slab, object, "Object already free");
			goto out;
		}
		if (!check_object(s, slab, object, SLUB_RED_ACTIVE))
			goto out;
	}
	if (s->flags & SLAB_STORE_USER)
		set_track(s, object, TRACK_FREE, slab_caller);
	init_object(s, object, SLUB_RED_INACTIVE);
	return true;
out:
	slab_fix(s, "Object at 0x%0*lx not freed", w, kaddr(object));
	return false;
}

/* A double free caught by the cheap check of non-debug caches (Linux's
 * CONFIG_SLAB_FREELIST_HARDENED BUGs on the same condition). */
static void double_free(struct kmem_cache *s, struct page *slab, void *object)
{
	object_err(s, slab, object, "Object already free");
	slab_fix(s, "Object at 0x%0*lx not freed", kaddr_width(),
		 kaddr(object));
}

/* SLAB_POISON: the unused tail of the slab must still be POISON_INUSE. */
static void slab_pad_check(struct kmem_cache *s, struct page *slab)
{
	u8 *start = slab_address(slab), *end = start + slab_size(slab);
	size_t remainder = slab_size(slab) % s->size;
	u8 *pad = end - remainder, *fault;
	int w = kaddr_width();

	if (!(s->flags & SLAB_POISON) || !remainder)
		return;
	fault = memchr_inv(pad, POISON_INUSE, remainder);
	if (!fault)
		return;
	while (end > fault && end[-1] == POISON_INUSE)
		end--;
	slab_err(s, slab, "Padding overwritten. 0x%0*lx-0x%0*lx @offset=%td", w,
		 kaddr(fault), w, kaddr(end - 1), fault - start);
	print_section("Padding ", pad, (unsigned int)remainder);
	restore_bytes(s, "slab padding", POISON_INUSE, fault, end);
}

/* ---- slab pages ---------------------------------------------------------- */

static void setup_object(struct kmem_cache *s, void *object)
{
	if (s->flags & (SLAB_RED_ZONE | __OBJECT_POISON))
		init_object(s, object, SLUB_RED_INACTIVE);
	init_tracking(s, object);
	if (unlikely(s->ctor))
		s->ctor(object);
}

static struct page *alloc_slab_page(gfp_t flags, int node,
				    struct kmem_cache_order_objects oo)
{
	struct page *page;

	if (node == NUMA_NO_NODE)
		page = alloc_pages(flags, oo_order(oo));
	else
		page = alloc_pages_node(node, flags, oo_order(oo));
	if (page)
		__SetPageSlab(page);
	return page;
}

/* A new slab with every object constructed and on its freelist. A
 * higher order is tried first without reclaim, then the minimum order. */
static struct page *allocate_slab(struct kmem_cache *s, gfp_t flags, int node)
{
	struct kmem_cache_order_objects oo = s->oo;
	struct page *slab;
	gfp_t alloc_gfp;
	char *p, *next;

	flags |= s->allocflags;
	alloc_gfp = (flags | __GFP_NOWARN | __GFP_NORETRY) & ~__GFP_NOFAIL;
	if ((alloc_gfp & __GFP_DIRECT_RECLAIM) &&
	    oo_order(oo) > oo_order(s->min))
		alloc_gfp = (alloc_gfp | __GFP_NOMEMALLOC) & ~__GFP_RECLAIM;
	slab = alloc_slab_page(alloc_gfp, node, oo);
	if (unlikely(!slab)) {
		oo = s->min;
		slab = alloc_slab_page(flags, node, oo);
		if (unlikely(!slab))
			return NULL;
		stat(s, ORDER_FALLBACK);
	}
	slab->objects = oo_objects(oo);
	slab->inuse = 0;
	slab->frozen = 0;
	account_slab(slab, oo_order(oo), s, 1);
	slab->slab_cache = s;
	p = slab_address(slab);
	if (s->flags & SLAB_POISON)
		memset(p, POISON_INUSE, slab_size(slab));
	p += s->red_left_pad;
	setup_object(s, p);
	slab->freelist = p;
	for (unsigned int idx = 0; idx + 1 < slab->objects; idx++) {
		next = p + s->size;
		setup_object(s, next);
		set_freepointer(s, p, next);
		p = next;
	}
	set_freepointer(s, p, NULL);
	return slab;
}

static struct page *new_slab(struct kmem_cache *s, gfp_t flags, int node)
{
	if (unlikely(flags & GFP_SLAB_BUG_MASK))
		flags = kmalloc_fix_flags(flags);
	return allocate_slab(
		s, flags & (GFP_RECLAIM_MASK | GFP_CONSTRAINT_MASK), node);
}

static void free_slab(struct kmem_cache *s, struct page *slab)
{
	if (s->flags & SLAB_CONSISTENCY_CHECKS) {
		u8 *p = (u8 *)slab_address(slab) + s->red_left_pad;

		slab_pad_check(s, slab);
		for (unsigned int i = 0; i < slab->objects; i++, p += s->size)
			check_object(s, slab, p, SLUB_RED_INACTIVE);
	}
	free_slab_pages(s, slab, compound_order(slab));
}

static void discard_slab(struct kmem_cache *s, struct page *slab)
{
	dec_slabs_node(s, slab_nid(slab), slab->objects);
	free_slab(s, slab);
}

static void slab_out_of_memory(struct kmem_cache *s, gfp_t gfp, int nid)
{
	struct kmem_cache_node *n;
	int node;

	if (!slab_oom_header("SLUB", nid, gfp))
		return;
	pr_warn("  cache: %s, object size: %u, buffer size: %u, default order: %u, min order: %u\n",
		s->name, s->object_size, s->size, oo_order(s->oo),
		oo_order(s->min));
	for_each_kmem_cache_node(s, node, n)
		pr_warn("  node %d: slabs: %lu, objs: %lu, free: %lu\n", node,
			n->nr_slabs, n->total_objects, count_partial_free(n));
}

/* ---- CPU slabs ------------------------------------------------------------ */

/* Makes slab a CPU slab: its free objects become the CPU's freelist. */
static void *freeze_slab(struct page *slab)
{
	void *freelist = slab->freelist;

	slab->freelist = NULL;
	slab->inuse = slab->objects;
	slab->frozen = 1;
	return freelist;
}

/* Takes the objects other CPUs freed to a CPU slab; when there are none
 * the slab is full and leaves the CPU (CPU slabs are never of debug
 * caches: no full list to join). */
static void *get_freelist(struct page *slab)
{
	void *freelist = slab->freelist;

	slab->freelist = NULL;
	slab->inuse = slab->objects;
	slab->frozen = freelist != NULL;
	return freelist;
}

/* Returns a CPU slab to its node: the CPU's freelist goes back onto the
 * slab, which is then freed (empty), put on a partial list or full. */
static void deactivate_slab(struct kmem_cache *s, struct page *slab,
			    void *freelist)
{
	struct kmem_cache_node *n = get_node(s, slab_nid(slab));
	unsigned int free_delta = 0;
	bool tail = false;
	void *last = NULL;

	if (slab->freelist) {
		stat(s, DEACTIVATE_REMOTE_FREES);
		tail = true;
	}
	for (void *p = freelist; p && free_delta < slab->objects;
	     p = get_freepointer(s, p)) {
		last = p;
		free_delta++;
	}
	slab->frozen = 0;
	if (last) {
		slab->inuse -= free_delta;
		set_freepointer(s, last, slab->freelist);
		slab->freelist = freelist;
	}
	if (!slab->inuse && n->nr_partial >= s->min_partial) {
		stat(s, DEACTIVATE_EMPTY);
		discard_slab(s, slab);
		stat(s, FREE_SLAB);
	} else if (slab->freelist) {
		add_partial(n, slab, tail);
		stat(s, tail ? DEACTIVATE_TO_TAIL : DEACTIVATE_TO_HEAD);
	} else {
		stat(s, DEACTIVATE_FULL); /* on no list */
	}
}

/* CONFIG_SLUB_CPU_PARTIAL: debug caches take every object from the
 * node lists under the checks, so they keep no CPU partial slabs. */
static inline bool kmem_cache_has_cpu_partial(const struct kmem_cache *s)
{
	return !kmem_cache_debug(s);
}

/* The slab after slab on a CPU partial list, or NULL: slab_list.next
 * holds the struct page itself (Linux's slab->next), not a list_head. */
static inline struct page *next_cpu_partial(const struct page *slab)
{
	return (struct page *)slab->slab_list.next;
}

/* Slabs on a CPU partial list from slab down (0 for NULL): kept in
 * each slab as it joins the list, in slab_list.prev (Linux's slab->slabs
 * beside slab->next), so the list head holds the count. */
static inline unsigned int cpu_partial_slabs(const struct page *slab)
{
	return slab ? (unsigned int)(uintptr_t)slab->slab_list.prev : 0;
}

static inline void set_cpu_partial_slabs(struct page *slab, unsigned int nr)
{
	slab->slab_list.prev = (struct list_head *)(uintptr_t)nr;
}

/* Linux's unfreeze_partials() (before 6.8 made CPU partial slabs
 * unfrozen): the slabs of a CPU partial list go back to their nodes'
 * partial lists, the empty ones beyond min_partial to the page
 * allocator. */
static void __put_partials(struct kmem_cache *s, struct page *slab)
{
	while (slab) {
		struct page *next = next_cpu_partial(slab);
		struct kmem_cache_node *n = get_node(s, slab_nid(slab));

		slab->frozen = 0;
		if (!slab->inuse && n->nr_partial >= s->min_partial) {
			stat(s, DEACTIVATE_EMPTY);
			discard_slab(s, slab);
			stat(s, FREE_SLAB);
		} else {
			add_partial(n, slab, true);
			stat(s, FREE_ADD_PARTIAL);
		}
		slab = next;
	}
}

/* Pushes a frozen slab with free objects on the CPU's partial list. */
static inline void push_cpu_partial(struct kmem_cache_cpu *c, struct page *slab)
{
	set_cpu_partial_slabs(slab, cpu_partial_slabs(c->partial) + 1);
	slab->slab_list.next = (struct list_head *)c->partial;
	c->partial = slab;
}

/* The CPU partial list is at its limit: back to the nodes, then slab
 * starts a new one. */
static noinline void drain_cpu_partial(struct kmem_cache *s,
				       struct kmem_cache_cpu *c,
				       struct page *slab)
{
	struct page *old = c->partial;

	c->partial = NULL;
	__put_partials(s, old);
	c->stat[CPU_PARTIAL_DRAIN]++;
	push_cpu_partial(c, slab);
}

/* Linux's put_cpu_partial(): a frozen slab with free objects joins the
 * CPU's partial list; with drain, a list already holding
 * cpu_partial_slabs goes back to the nodes first. */
static inline void put_cpu_partial(struct kmem_cache *s,
				   struct kmem_cache_cpu *c, struct page *slab,
				   bool drain)
{
	if (drain && cpu_partial_slabs(c->partial) >= s->cpu_partial_slabs)
		return drain_cpu_partial(s, c, slab);
	push_cpu_partial(c, slab);
}

/* The next slab of a CPU partial list, taken off it. */
static inline struct page *pop_cpu_partial(struct kmem_cache_cpu *c)
{
	struct page *slab = c->partial;

	c->partial = next_cpu_partial(slab);
	slab->slab_list.next = NULL;
	return slab;
}

static void flush_cpu_slab(struct kmem_cache *s, int cpu)
{
	struct kmem_cache_cpu *c = &s->cpu_slab[cpu];
	struct page *slab = c->slab, *partial = c->partial;
	void *freelist = c->freelist;

	c->partial = NULL;
	if (slab) {
		c->slab = NULL;
		c->freelist = NULL;
		deactivate_slab(s, slab, freelist);
		stat(s, CPUSLAB_FLUSH);
	}
	__put_partials(s, partial);
}

static void flush_all(struct kmem_cache *s)
{
	int cpu;

	for_each_online_cpu(cpu)
		flush_cpu_slab(s, cpu);
}

/* ---- allocation ------------------------------------------------------------ */

struct partial_context {
	gfp_t flags;
	void *object; /* debug caches: the object allocated */
};

/* Debug caches: one object straight from a partial slab, checked. */
static void *alloc_single_from_partial(struct kmem_cache *s,
				       struct kmem_cache_node *n,
				       struct page *slab)
{
	void *object = slab->freelist;

	slab->freelist = get_freepointer(s, object);
	slab->inuse++;
	if (!alloc_debug_processing(s, slab, object)) {
		remove_partial(n, slab);
		add_full(s, n, slab); /* every object marked used */
		return NULL;
	}
	if (slab->inuse == slab->objects) {
		remove_partial(n, slab);
		add_full(s, n, slab);
	}
	return object;
}

static void *alloc_single_from_new_slab(struct kmem_cache *s, struct page *slab)
{
	int nid = slab_nid(slab);
	struct kmem_cache_node *n = get_node(s, nid);
	void *object = slab->freelist;

	slab->freelist = get_freepointer(s, object);
	slab->inuse = 1;
	inc_slabs_node(s, nid, slab->objects);
	if (!alloc_debug_processing(s, slab, object)) {
		add_full(s, n, slab);
		return NULL;
	}
	if (slab->inuse == slab->objects)
		add_full(s, n, slab);
	else
		add_partial(n, slab, false);
	return object;
}

/* Takes slab, the first of n's partial list, for the CPU slab and, as
 * Linux's get_partial_node(), more of the list onto the CPU partial
 * list, up to half of cpu_partial_slabs (frozen, their freelists left
 * on them). */
static struct page *get_partial_slabs(struct kmem_cache *s,
				      struct kmem_cache_node *n,
				      struct page *slab)
{
	struct kmem_cache_cpu *c = &s->cpu_slab[smp_processor_id()];
	unsigned int taken = 0;
	struct page *p, *t;

	remove_partial(n, slab);
	c->stat[ALLOC_FROM_PARTIAL]++;
	if (!kmem_cache_has_cpu_partial(s))
		return slab;
	list_for_each_entry_safe(p, t, &n->partial, slab_list) {
		if (taken >= s->cpu_partial_slabs / 2)
			break;
		remove_partial(n, p);
		p->frozen = 1;
		put_cpu_partial(s, c, p, false);
		c->stat[CPU_PARTIAL_NODE]++;
		taken++;
	}
	return slab;
}

static struct page *get_partial_node(struct kmem_cache *s,
				     struct kmem_cache_node *n,
				     struct partial_context *pc)
{
	struct page *slab, *t;

	if (!n || !n->nr_partial)
		return NULL;
	list_for_each_entry_safe(slab, t, &n->partial, slab_list) {
		if (kmem_cache_debug(s)) {
			pc->object = alloc_single_from_partial(s, n, slab);
			if (pc->object)
				return slab;
			continue;
		}
		return get_partial_slabs(s, n, slab);
	}
	return NULL;
}

/* Partial slabs of other nodes, nearest first, from nodes holding more
 * than min_partial of them (Linux also rolls remote_node_defrag_ratio). */
static struct page *get_any_partial(struct kmem_cache *s,
				    struct partial_context *pc)
{
	struct zonelist *zl =
		&NODE_DATA(numa_node_id())->node_zonelists[ZONELIST_FALLBACK];
	int highest = (int)gfp_zone(pc->flags);

	for (struct zoneref *z = zl->_zonerefs; z->zone; z++) {
		struct kmem_cache_node *n = get_node(s, z->zone->node);
		struct page *slab;

		if (z->zone_idx > highest || !n ||
		    n->nr_partial <= s->min_partial)
			continue;
		slab = get_partial_node(s, n, pc);
		if (slab)
			return slab;
	}
	return NULL;
}

static struct page *get_partial(struct kmem_cache *s, int node,
				struct partial_context *pc)
{
	int searchnode = node == NUMA_NO_NODE ? numa_node_id() : node;
	struct page *slab = get_partial_node(s, get_node(s, searchnode), pc);

	if (slab || (node != NUMA_NO_NODE && (pc->flags & __GFP_THISNODE)))
		return slab;
	return get_any_partial(s, pc);
}

/* Debug caches never have CPU slabs: every object comes from a node's
 * lists under the checks. A slab whose object fails them is taken out
 * of use and the next is tried (a fresh slab cannot fail: the bound only
 * keeps corrupt memory from looping). */
static noinline void *alloc_debug(struct kmem_cache *s, gfp_t gfp, int node)
{
	struct partial_context pcs = { .flags = gfp }, *pc = &pcs;
	const char *addr = slab_caller; /* before a constructor allocates */
	void *object = NULL;

	for (int tries = 0; tries < 4 && !object; tries++) {
		struct page *slab = get_partial(s, node, pc);

		if (slab) {
			object = pc->object;
			break;
		}
		slab = new_slab(s, gfp, node);
		if (!slab) {
			slab_out_of_memory(s, gfp, node);
			return NULL;
		}
		stat(s, ALLOC_SLAB);
		object = alloc_single_from_new_slab(s, slab);
	}
	if (object && (s->flags & SLAB_STORE_USER))
		set_track(s, object, TRACK_ALLOC, addr);
	return object;
}

/* No partial slab on the node asked for: another node's, else a new
 * slab (Linux's get_any_partial and new_slab steps of ___slab_alloc). */
static noinline struct page *get_any_partial_or_new(struct kmem_cache *s,
						    gfp_t gfp, int node)
{
	struct partial_context pc = { .flags = gfp };
	struct page *slab = NULL;

	if (node == NUMA_NO_NODE || !(gfp & __GFP_THISNODE))
		slab = get_any_partial(s, &pc);
	if (slab)
		return slab;
	slab = new_slab(s, gfp, node);
	if (unlikely(!slab)) {
		slab_out_of_memory(s, gfp, node);
		return NULL;
	}
	stat(s, ALLOC_SLAB);
	inc_slabs_node(s, slab_nid(slab), slab->objects);
	return slab;
}

/* The CPU slab is on the wrong node: back to its node lists. */
static noinline void deactivate_mismatch(struct kmem_cache *s,
					 struct kmem_cache_cpu *c)
{
	struct page *slab = c->slab;
	void *freelist = c->freelist;

	stat(s, ALLOC_NODE_MISMATCH);
	c->slab = NULL;
	c->freelist = NULL;
	deactivate_slab(s, slab, freelist);
}

/* A node number slab can allocate from, else NUMA_NO_NODE. */
static inline int slab_node(int node)
{
	if (node < 0 || node >= M->nr_nodes || !(g->slab_nodes >> node & 1))
		return NUMA_NO_NODE;
	return node;
}

/* Linux's ___slab_alloc(): refill the CPU freelist from the CPU slab's
 * remote frees, else take a slab of the CPU partial list, else a partial
 * slab of the node, else one of another node or a new one. */
static void *___slab_alloc(struct kmem_cache *s, gfp_t gfp, int node,
			   struct kmem_cache_cpu *c)
{
	struct kmem_cache_node *n;
	struct page *slab;
	void *freelist;

	c->stat[ALLOC_SLOWPATH]++;
	if (unlikely(node != NUMA_NO_NODE))
		node = slab_node(node);
	if (unlikely(kmem_cache_debug(s)))
		return alloc_debug(s, gfp, node);
	slab = c->slab;
	if (slab) {
		if (unlikely(!node_match(slab, node))) {
			deactivate_mismatch(s, c);
		} else if (c->freelist) {
			freelist = c->freelist;
			goto load_freelist;
		} else {
			freelist = get_freelist(slab);
			if (freelist) {
				c->stat[ALLOC_REFILL]++;
				goto load_freelist;
			}
			c->slab = NULL;
			c->stat[DEACTIVATE_BYPASS]++;
		}
	}
	while (c->partial) {
		slab = pop_cpu_partial(c);
		if (likely(node_match(slab, node))) {
			c->slab = slab;
			freelist = get_freelist(slab);
			c->stat[CPU_PARTIAL_ALLOC]++;
			goto load_freelist;
		}
		__put_partials(s, slab);
	}
	n = get_node(s, node == NUMA_NO_NODE ? numa_node_id() : node);
	if (likely(n && n->nr_partial)) {
		slab = get_partial_slabs(
			s, n,
			list_first_entry(&n->partial, struct page, slab_list));
	} else {
		slab = get_any_partial_or_new(s, gfp, node);
		if (unlikely(!slab))
			return NULL;
		/* a constructor may have allocated and filled the CPU slab */
		if (unlikely(c->slab))
			flush_cpu_slab(s, smp_processor_id());
	}
	freelist = freeze_slab(slab);
	c->slab = slab;
load_freelist:
	return load_cpu_freelist(s, c, freelist);
}

/* Everything but the plainest allocation: a node asked for, zeroing,
 * a debug cache. */
static noinline void *__slab_alloc_any(struct kmem_cache *s, gfp_t gfp,
				       int node, struct kmem_cache_cpu *c)
{
	void *object = c->freelist;

	if (unlikely(!object || !node_match(c->slab, node))) {
		object = ___slab_alloc(s, gfp, node, c);
	} else {
		c->freelist = get_freepointer(s, object);
		c->stat[ALLOC_FASTPATH]++;
	}
	if (unlikely(gfp & __GFP_ZERO) && object)
		memset(object, 0, s->object_size);
	return object;
}

/* The CPU freelist ran out on a plain allocation (no node asked for, no
 * zeroing): ___slab_alloc's first steps, kept short. The CPU slab's
 * remote frees, else the next slab of the CPU partial list (any node
 * will do); else the full ___slab_alloc. */
static __always_inline void *__slab_alloc(struct kmem_cache *s, gfp_t gfp,
					  struct kmem_cache_cpu *c)
{
	struct page *slab = c->slab;
	unsigned long counters;
	void *freelist;

	if (slab) {
		freelist = slab->freelist;
		if (freelist) {
			c->stat[ALLOC_REFILL]++;
			goto load_slab;
		}
		/* full: it leaves the CPU, on no list */
		c->slab = NULL;
		slab->counters &= ~SLAB_FROZEN;
		c->stat[DEACTIVATE_BYPASS]++;
	}
	slab = c->partial;
	if (unlikely(!slab))
		return __slab_alloc_any(s, gfp, NUMA_NO_NODE, c);
	c->partial = next_cpu_partial(slab);
	c->slab = slab;
	freelist = slab->freelist;
	c->stat[CPU_PARTIAL_ALLOC]++;
load_slab:
	/* every object taken: inuse = objects */
	counters = slab->counters;
	slab->freelist = NULL;
	slab->counters = (counters & ~SLAB_INUSE_MASK) |
			 counters_objects(counters);
	c->stat[ALLOC_SLOWPATH]++;
	if (counters_objects(counters) - (counters & SLAB_INUSE_MASK) == 1) {
		/* the only free object: its free pointer ends the list,
		 * no need to read it from the object */
		c->freelist = NULL;
		return freelist;
	}
	return load_cpu_freelist(s, c, freelist);
}

/* The fast path: pop the CPU freelist (debug caches have none). */
static void *slub_alloc(struct kmem_cache *s, gfp_t gfp, int node)
{
	struct kmem_cache_cpu *c = &s->cpu_slab[smp_processor_id()];
	void *object = c->freelist;
	uint64_t next;

	if (unlikely(node != NUMA_NO_NODE || (gfp & __GFP_ZERO)))
		return __slab_alloc_any(s, gfp, node, c);
	if (unlikely(!object))
		return __slab_alloc(s, gfp, c);
	c->stat[ALLOC_FASTPATH]++;
	next = get_freepointer_phys(s, object);
	if (unlikely(!freepointer_in_ram(next)))
		return cpu_freelist_corrupt(s, c, object);
	c->freelist = freepointer_object(next);
	prefetch_freepointer(s, c->freelist);
	return object;
}

/* ---- freeing ------------------------------------------------------------------ */

/* List moves after an object went back to a slab that is not a CPU
 * slab, when it was full (prior, its old freelist, NULL) or is now
 * empty. */
static noinline void slab_freed_to_node(struct kmem_cache *s, struct page *slab,
					void *prior)
{
	struct kmem_cache_node *n = get_node(s, slab_nid(slab));

	if (!slab->inuse && n->nr_partial >= s->min_partial) {
		if (prior) {
			remove_partial(n, slab);
			stat(s, FREE_REMOVE_PARTIAL);
		} else {
			remove_full(s, slab);
		}
		stat(s, FREE_SLAB);
		discard_slab(s, slab);
	} else if (!prior) {
		remove_full(s, slab);
		add_partial(n, slab, true);
		stat(s, FREE_ADD_PARTIAL);
	}
}

static noinline void free_to_partial_list(struct kmem_cache *s,
					  struct page *slab, void *object)
{
	void *prior;

	stat(s, FREE_SLOWPATH);
	if (!free_debug_processing(s, slab, object))
		return;
	prior = slab->freelist;
	slab->inuse--;
	set_freepointer(s, object, prior);
	slab->freelist = object;
	slab_freed_to_node(s, slab, prior);
}

static noinline __cold void invalid_object(struct kmem_cache *s,
					   struct page *slab, void *object)
{
	slab_err(s, slab, "Invalid object pointer 0x%0*lx", kaddr_width(),
		 kaddr(object));
	slab_fix(s, "Object at 0x%0*lx not freed", kaddr_width(),
		 kaddr(object));
}

/* A free to a slab that is not this CPU's, object checked: debug
 * caches, then the object goes onto the slab's own freelist (Linux's one
 * cmpxchg of freelist and counters), and the slab moves only when it was
 * full (to this CPU's partial slabs) or is now empty. */
static __always_inline void slab_free_checked(struct kmem_cache *s,
					      struct page *slab, void *object,
					      struct kmem_cache_cpu *c,
					      unsigned long counters)
{
	void *prior = slab->freelist;

	if (unlikely(kmem_cache_debug(s)))
		return free_to_partial_list(s, slab, object);
	c->stat[FREE_SLOWPATH]++;
	/* no object in use: frozen or not, the object is already free */
	if (unlikely(object == prior || !(counters & SLAB_INUSE_MASK)))
		return double_free(s, slab, object);
	set_freepointer(s, object, prior);
	slab->freelist = object;
	counters--; /* inuse */
	if (counters & SLAB_FROZEN) {
		slab->counters = counters;
		c->stat[FREE_FROZEN]++;
		return;
	}
	if (!prior) {
		/* it was full: it joins this CPU's partial slabs */
		slab->counters = counters | SLAB_FROZEN;
		c->stat[CPU_PARTIAL_FREE]++;
		return put_cpu_partial(s, c, slab, true);
	}
	slab->counters = counters;
	if (unlikely(!(counters & SLAB_INUSE_MASK)))
		slab_freed_to_node(s, slab, prior);
}

/* An object object_in_oo_slab refused: of a slab of the fallback order,
 * or invalid. */
static noinline __cold void slab_free_other_order(struct kmem_cache *s,
						  struct page *slab,
						  void *object,
						  struct kmem_cache_cpu *c)
{
	if (!object_in_slab(s, slab, object))
		return invalid_object(s, slab, object);
	slab_free_checked(s, slab, object, c, slab->counters);
}

static __always_inline void __slab_free(struct kmem_cache *s, struct page *slab,
					void *object, struct kmem_cache_cpu *c)
{
	unsigned long counters = slab->counters;

	if (unlikely(!object_in_oo_slab(s, counters, object)))
		return slab_free_other_order(s, slab, object, c);
	slab_free_checked(s, slab, object, c, counters);
}

/* A free to the CPU slab that failed the fast path's checks: not the
 * start of an object, the object freed last, or an object of a slab of
 * the fallback order (freed here). */
static noinline __cold void bad_cpu_slab_free(struct kmem_cache *s,
					      struct page *slab, void *object,
					      struct kmem_cache_cpu *c)
{
	if (!object_in_slab(s, slab, object))
		return invalid_object(s, slab, object);
	if (object == c->freelist)
		return double_free(s, slab, object);
	set_freepointer(s, object, c->freelist);
	c->freelist = object;
	c->stat[FREE_FASTPATH]++;
}

/* The fast path: push onto the CPU freelist when the object belongs to
 * the CPU slab (debug caches have none). */
static void slub_free(struct kmem_cache *s, struct page *slab, void *object)
{
	struct kmem_cache_cpu *c = &s->cpu_slab[smp_processor_id()];
	void *head = c->freelist;

	if (unlikely(slab != c->slab))
		return __slab_free(s, slab, object, c);
	if (unlikely(object == head ||
		     !object_in_oo_slab(s, slab->counters, object)))
		return bad_cpu_slab_free(s, slab, object, c);
	set_freepointer(s, object, head);
	c->freelist = object;
	c->stat[FREE_FASTPATH]++;
}

/* ---- cache layout ---------------------------------------------------------------- */

static unsigned int calc_slab_order(unsigned int size, unsigned int min_order,
				    unsigned int max_order,
				    unsigned int fract_leftover)
{
	unsigned int order;

	for (order = min_order; order <= max_order; order++) {
		unsigned int slab_size = (unsigned int)PAGE_SIZE << order;

		if (slab_size % size <= slab_size / fract_leftover)
			break;
	}
	return order;
}

/* Linux's calculate_order(): the smallest order up to
 * PAGE_ALLOC_COSTLY_ORDER holding slub_min_objects objects (4 * (fls(nr
 * CPUs) + 1)) that wastes at most 1/16 of the slab, then 1/8, 1/4, 1/2. */
static int calculate_order(unsigned int size)
{
	unsigned int min_objects =
		4 * ((unsigned int)fls((unsigned)M->nr_cpus) + 1);
	unsigned int max_objects = max(order_objects(SLUB_MAX_ORDER, size), 1u);
	unsigned int min_order, order;

	min_objects = min(min_objects, max_objects);
	/* max(slub_min_order, ...): slub_min_order is 0 */
	min_order = get_order((unsigned long)min_objects * size);
	if (order_objects(min_order, size) > MAX_OBJS_PER_PAGE)
		return (int)get_order((unsigned long)size * MAX_OBJS_PER_PAGE) -
		       1;
	for (unsigned int fraction = 16; fraction > 1; fraction /= 2) {
		order = calc_slab_order(size, min_order, SLUB_MAX_ORDER,
					fraction);
		if (order <= SLUB_MAX_ORDER)
			return (int)order;
	}
	order = get_order(size);
	return order <= MAX_PAGE_ORDER ? (int)order : -ENOSYS;
}

/* Linux's calculate_sizes(): where the free pointer, red zones and
 * padding go, the slot size, and the slab order. */
static bool calculate_sizes(struct kmem_cache *s)
{
	slab_flags_t flags = s->flags;
	unsigned int psize = ptr_size();
	unsigned int size = ALIGN(s->object_size, psize);
	int order;

	if ((flags & SLAB_POISON) && !(flags & SLAB_TYPESAFE_BY_RCU) &&
	    !s->ctor)
		s->flags |= __OBJECT_POISON;
	else
		s->flags &= ~__OBJECT_POISON;
	/* room for a right red zone after an object filling its words */
	if ((flags & SLAB_RED_ZONE) && size == s->object_size)
		size += psize;
	s->inuse = size;
	if ((flags & (SLAB_TYPESAFE_BY_RCU | SLAB_POISON)) || s->ctor ||
	    ((flags & SLAB_RED_ZONE) && s->object_size < psize)) {
		/* the object must stay intact when free: pointer after it */
		s->offset = size;
		size += psize;
	} else {
		/* mid-object, away from small overflows of neighbours */
		s->offset = ALIGN_DOWN(s->object_size / 2, psize);
	}
	if (flags & SLAB_STORE_USER)
		size += 2 * (unsigned int)sizeof(struct track);
	if (flags & SLAB_RED_ZONE) {
		size += psize;
		s->red_left_pad = ALIGN(psize, s->align);
		size += s->red_left_pad;
	}
	s->size = size = ALIGN(size, s->align);
	s->reciprocal_size = reciprocal_value(size);
	s->size_magic = UINT64_MAX / size + 1;
	order = calculate_order(size);
	if (order < 0)
		return false;
	s->allocflags = __GFP_COMP;
	if (s->flags & SLAB_CACHE_DMA)
		s->allocflags |= GFP_DMA;
	if (s->flags & SLAB_CACHE_DMA32)
		s->allocflags |= GFP_DMA32;
	if (s->flags & SLAB_RECLAIM_ACCOUNT)
		s->allocflags |= __GFP_RECLAIMABLE;
	s->oo = oo_make((unsigned int)order, size);
	s->min = oo_make(get_order(size), size);
	s->slab_mask = (unsigned int)((PAGE_SIZE << order) - 1);
	s->fp64 = psize == 8;
	return oo_objects(s->oo) != 0;
}

/* The per-CPU array trails node[] inside struct kmem_cache. */
static size_t cpu_slab_offset(void)
{
	return ALIGN(offsetof(struct kmem_cache, node) +
			     (size_t)M->nr_nodes *
				     sizeof(struct kmem_cache_node *),
		     _Alignof(struct kmem_cache_cpu));
}

static unsigned int slub_cache_struct_size(void)
{
	return (unsigned int)(cpu_slab_offset() +
			      (size_t)M->nr_cpus *
				      sizeof(struct kmem_cache_cpu));
}

/* The first kmem_cache_node object of a node comes from a slab of the
 * kmem_cache_node cache that has no node structure yet. */
static bool early_kmem_cache_node_alloc(int node)
{
	struct kmem_cache *kcn = g->kmem_cache_node;
	struct page *slab = new_slab(kcn, GFP_NOWAIT, node);
	struct kmem_cache_node *n;

	if (!slab)
		return false;
	if (slab_nid(slab) != node) {
		pr_err("SLUB: Unable to allocate memory from node %d\n", node);
		pr_err("SLUB: Allocating a useless per node structure in order to be able to continue\n");
	}
	n = slab->freelist;
	slab->freelist = get_freepointer(kcn, n);
	slab->inuse = 1;
	kcn->node[node] = n;
	init_kmem_cache_node(n);
	inc_slabs_node(kcn, node, slab->objects);
	add_partial(n, slab, false);
	return true;
}

static void free_kmem_cache_nodes(struct kmem_cache *s)
{
	for (int node = 0; node < M->nr_nodes; node++) {
		if (s->node[node])
			kmem_cache_free(g->kmem_cache_node, s->node[node]);
		s->node[node] = NULL;
	}
}

static bool init_kmem_cache_nodes(struct kmem_cache *s)
{
	for (int node = 0; node < M->nr_nodes; node++) {
		struct kmem_cache_node *n;

		if (!(g->slab_nodes >> node & 1))
			continue;
		if (g->state == DOWN) {
			if (!early_kmem_cache_node_alloc(node))
				return false;
			continue;
		}
		n = kmem_cache_alloc_node(g->kmem_cache_node, GFP_KERNEL, node);
		if (!n)
			return false;
		init_kmem_cache_node(n);
		s->node[node] = n;
	}
	return true;
}

static void set_min_partial(struct kmem_cache *s, unsigned long min)
{
	s->min_partial = (unsigned int)clamp(min, (unsigned long)MIN_PARTIAL,
					     (unsigned long)MAX_PARTIAL);
}

/* Linux's set_cpu_partial(): how many objects each CPU may keep on
 * partial slabs, by object size, counted as slabs assumed half full. */
static void set_cpu_partial(struct kmem_cache *s)
{
	unsigned int nr_objects;

	if (!kmem_cache_has_cpu_partial(s))
		nr_objects = 0;
	else if (s->size >= PAGE_SIZE)
		nr_objects = 6;
	else if (s->size >= 1024)
		nr_objects = 24;
	else if (s->size >= 256)
		nr_objects = 52;
	else
		nr_objects = 120;
	s->cpu_partial = (unsigned short)nr_objects;
	s->cpu_partial_slabs =
		(unsigned short)DIV_ROUND_UP(nr_objects * 2, oo_objects(s->oo));
}

/* Linux's kmem_cache_open(). Red zones and poisoning come with the
 * consistency checks that detect their damage (slub_debug=F). */
static int slub_create(struct kmem_cache *s, slab_flags_t flags)
{
	if (flags & (SLAB_RED_ZONE | SLAB_POISON))
		flags |= SLAB_CONSISTENCY_CHECKS;
	s->flags = flags;
	s->cpu_slab = (struct kmem_cache_cpu *)((char *)s + cpu_slab_offset());
	if (!calculate_sizes(s))
		return -EINVAL;
	set_min_partial(s, (unsigned long)ilog2(s->size) / 2);
	set_cpu_partial(s);
	if (!init_kmem_cache_nodes(s)) {
		free_kmem_cache_nodes(s);
		return -ENOMEM;
	}
	return 0;
}

/* SLUB merges a new cache into an old one of the same shape. */
static struct kmem_cache *slub_alias(const char *name, unsigned int size,
				     unsigned int align, slab_flags_t flags,
				     void (*ctor)(void *))
{
	struct kmem_cache *s = find_mergeable(size, align, flags, name, ctor);

	if (!s)
		return NULL;
	slab_add_alias(s, name);
	s->refcount++;
	/* kzalloc must clear the bigger of the two object sizes */
	s->object_size = max(s->object_size, size);
	s->inuse = max(s->inuse, ALIGN(size, ptr_size()));
	return s;
}

/* ---- shrinking and shutdown ------------------------------------------------------ */

/* Moves every entry of list to the front of head, keeping their order. */
static void list_splice_front(struct list_head *list, struct list_head *head)
{
	while (!list_empty(list))
		list_move(list->prev, head);
}

/* Linux's __kmem_cache_shrink(): flush the CPU slabs, free the empty
 * partial slabs and sort the rest, fullest first. */
static int slub_shrink(struct kmem_cache *s)
{
	struct kmem_cache_node *n;
	int node, ret = 0;

	flush_all(s);
	for_each_kmem_cache_node(s, node, n)
	{
		struct list_head discard, promote[SHRINK_PROMOTE_MAX];
		struct page *slab, *t;

		INIT_LIST_HEAD(&discard);
		for (int i = 0; i < SHRINK_PROMOTE_MAX; i++)
			INIT_LIST_HEAD(&promote[i]);
		list_for_each_entry_safe(slab, t, &n->partial, slab_list) {
			unsigned int free = slab->objects - slab->inuse;

			if (free == slab->objects) {
				list_move(&slab->slab_list, &discard);
				n->nr_partial--;
				dec_slabs_node(s, node, slab->objects);
			} else if (free <= SHRINK_PROMOTE_MAX) {
				list_move(&slab->slab_list, &promote[free - 1]);
			}
		}
		for (int i = SHRINK_PROMOTE_MAX - 1; i >= 0; i--)
			list_splice_front(&promote[i], &n->partial);
		list_for_each_entry_safe(slab, t, &discard, slab_list)
			free_slab(s, slab);
		if (n->nr_slabs)
			ret = 1;
	}
	return ret;
}

#define OBJ_MAP_LONGS ((MAX_OBJS_PER_PAGE + 64) / 64)

/* __fill_map(): a bit per object of slab that is free (on its freelist). */
static void fill_free_map(struct kmem_cache *s, struct page *slab,
			  unsigned long *map)
{
	u8 *addr = slab_address(slab), *p;
	unsigned int nr = 0;

	memset(map, 0, OBJ_MAP_LONGS * sizeof(*map));
	for (p = slab->freelist; p && nr++ < slab->objects;
	     p = get_freepointer(s, p)) {
		size_t idx;

		if (!check_valid_pointer(s, slab, p))
			break;
		idx = (size_t)(p - addr - s->red_left_pad) / s->size;
		map[idx / 64] |= 1UL << (idx % 64);
	}
}

/* Prints every allocated object of slab after a slab_err banner. */
static void list_slab_objects(struct kmem_cache *s, struct page *slab)
{
	unsigned long map[OBJ_MAP_LONGS];
	u8 *addr = slab_address(slab), *p;

	slab_err(s, slab, "Objects remaining in %s on __kmem_cache_shutdown()",
		 s->name);
	fill_free_map(s, slab, map);
	p = addr + s->red_left_pad;
	for (unsigned int i = 0; i < slab->objects; i++, p += s->size)
		if (!(map[i / 64] >> (i % 64) & 1))
			pr_err("Object 0x%0*lx @offset=%td\n", kaddr_width(),
			       kaddr(p), p - addr);
}

/* Calls fn(slab, arg) on every full slab of s on node nid, the CPU
 * slabs flushed. Debug caches list their full slabs; other full slabs
 * are on no list (as in Linux), so they are looked for in the node's
 * mem_map: for leak reports and boot, never on a fast path. */
static void for_each_full_slab(struct kmem_cache *s, int nid,
			       void (*fn)(struct page *slab, void *arg),
			       void *arg)
{
	struct kmem_cache_node *n = get_node(s, nid);
	const pg_data_t *pgdat = NODE_DATA(nid);
	unsigned long left = n->nr_slabs - n->nr_partial;
	struct page *slab, *t;

	if (kmem_cache_debug(s)) {
		list_for_each_entry_safe(slab, t, &n->full, slab_list)
			fn(slab, arg);
		return;
	}
	for (unsigned long i = 0; left && i < pgdat->node_spanned_pages; i++) {
		slab = pgdat->node_mem_map + i;
		if (PageSlab(slab) && slab->slab_cache == s && !slab->frozen &&
		    slab->inuse == slab->objects) {
			fn(slab, arg);
			left--;
		}
	}
}

static void list_full_slab_objects(struct page *slab, void *s)
{
	list_slab_objects(s, slab);
}

/* Linux's __kmem_cache_shutdown(): frees every empty slab and reports
 * the objects still allocated (Linux lists partial slabs only). */
static int slub_shutdown(struct kmem_cache *s)
{
	struct kmem_cache_node *n;
	int node, ret = 0;

	flush_all(s);
	for_each_kmem_cache_node(s, node, n)
	{
		struct page *slab, *t;

		list_for_each_entry_safe(slab, t, &n->partial, slab_list) {
			if (!slab->inuse) {
				remove_partial(n, slab);
				discard_slab(s, slab);
			} else {
				list_slab_objects(s, slab);
			}
		}
		for_each_full_slab(s, node, list_full_slab_objects, s);
		if (n->nr_partial || n->nr_slabs)
			ret = 1;
	}
	return ret;
}

static void slub_release(struct kmem_cache *s)
{
	free_kmem_cache_nodes(s);
}

/* ---- what users see -------------------------------------------------------------- */

static size_t slub_ksize(const struct kmem_cache *s)
{
	/* debugging uses the padding after the object */
	if (s->flags & (SLAB_RED_ZONE | SLAB_POISON))
		return s->object_size;
	if (s->flags & (SLAB_TYPESAFE_BY_RCU | SLAB_STORE_USER))
		return s->inuse;
	return s->size;
}

/* Linux counts only free objects on node partial lists as inactive: the
 * free objects of CPU slabs show as active. */
static void slub_get_slabinfo(struct kmem_cache *s, struct slabinfo *sinfo)
{
	unsigned long nr_slabs = 0, nr_objs = 0, nr_free = 0;
	struct kmem_cache_node *n;
	int node;

	for_each_kmem_cache_node(s, node, n)
	{
		nr_slabs += n->nr_slabs;
		nr_objs += n->total_objects;
		nr_free += count_partial_free(n);
	}
	sinfo->active_objs = nr_objs - nr_free;
	sinfo->num_objs = nr_objs;
	sinfo->active_slabs = nr_slabs;
	sinfo->num_slabs = nr_slabs;
	sinfo->objects_per_slab = oo_objects(s->oo);
	sinfo->cache_order = oo_order(s->oo);
}

/* ---- /sys/kernel/slab ------------------------------------------------------------- */

enum {
	SO_ALL = 1 << 0, /* every slab of the nodes */
	SO_PARTIAL = 1 << 1, /* partial slabs only */
	SO_CPU = 1 << 2, /* CPU slabs */
	SO_OBJECTS = 1 << 3, /* count objects in use, not slabs */
	SO_TOTAL = 1 << 4, /* count all objects, not slabs */
};

static unsigned long count_partial(const struct kmem_cache_node *n,
				   unsigned int flags)
{
	unsigned long x = 0;
	struct page *slab;

	list_for_each_entry(slab, &n->partial, slab_list)
		x += flags & SO_TOTAL ? slab->objects : slab->inuse;
	return x;
}

/* Linux's show_slab_objects(): a total, then " N<node>=<count>". */
static void show_slab_objects(struct kmem_cache *s, struct seq_file *m,
			      long flags)
{
	unsigned long total = 0, nodes[MAX_NUMNODES] = { 0 }, x;
	struct kmem_cache_node *n;
	int node, cpu;

	if (flags & SO_CPU)
		for_each_online_cpu(cpu) {
			struct kmem_cache_cpu *c = &s->cpu_slab[cpu];
			struct page *slab = c->slab;

			if (slab) {
				x = flags & SO_TOTAL   ? slab->objects :
				    flags & SO_OBJECTS ? slab->inuse :
							 1;
				total += x;
				nodes[slab_nid(slab)] += x;
			}
			/* Linux counts CPU partial slabs, not objects */
			if (!(flags & (SO_TOTAL | SO_OBJECTS)))
				for (slab = c->partial; slab;
				     slab = next_cpu_partial(slab)) {
					total++;
					nodes[slab_nid(slab)]++;
				}
		}
	for_each_kmem_cache_node(s, node, n)
	{
		if (flags & SO_ALL)
			x = flags & SO_TOTAL ?
				    n->total_objects :
			    flags & SO_OBJECTS ?
				    n->total_objects - count_partial_free(n) :
				    n->nr_slabs;
		else if (flags & SO_PARTIAL)
			x = flags & (SO_TOTAL | SO_OBJECTS) ?
				    count_partial(n, (unsigned int)flags) :
				    n->nr_partial;
		else
			continue;
		total += x;
		nodes[node] += x;
	}
	seq_printf(m, "%lu", total);
	for (node = 0; node < M->nr_nodes; node++)
		if (nodes[node])
			seq_printf(m, " N%d=%lu", node, nodes[node]);
	seq_putc(m, '\n');
}

/* Linux's show_stat(): the sum, then " C<cpu>=<count>" (-1: a counter
 * of a feature mmsim lacks, always 0). */
static void show_stat(struct kmem_cache *s, struct seq_file *m, long si)
{
	unsigned long sum = 0;
	int cpu;

	if (si >= 0)
		for_each_online_cpu(cpu)
			sum += s->cpu_slab[cpu].stat[si];
	seq_printf(m, "%lu", sum);
	if (si >= 0)
		for_each_online_cpu(cpu)
			if (s->cpu_slab[cpu].stat[si])
				seq_printf(m, " C%d=%u", cpu,
					   s->cpu_slab[cpu].stat[si]);
	seq_putc(m, '\n');
}

static void show_flag(struct kmem_cache *s, struct seq_file *m, long flag)
{
	seq_printf(m, "%d\n", !!(s->flags & (slab_flags_t)flag));
}

static void show_nothing(struct kmem_cache *s, struct seq_file *m, long arg)
{
	(void)s;
	(void)m;
	(void)arg;
}

#define SLAB_VALUE_SHOW(attr, fmt, expr)                                  \
	static void show_##attr(struct kmem_cache *s, struct seq_file *m, \
				long arg)                                 \
	{                                                                 \
		(void)s;                                                  \
		(void)arg;                                                \
		seq_printf(m, fmt "\n", expr);                            \
	}

SLAB_VALUE_SHOW(aliases, "%d", s->refcount < 0 ? 0 : s->refcount - 1)
SLAB_VALUE_SHOW(align, "%u", s->align)
SLAB_VALUE_SHOW(cpu_partial, "%u", s->cpu_partial)
SLAB_VALUE_SHOW(min_partial, "%u", s->min_partial)
SLAB_VALUE_SHOW(object_size, "%u", s->object_size)
SLAB_VALUE_SHOW(objs_per_slab, "%u", oo_objects(s->oo))
SLAB_VALUE_SHOW(order, "%u", oo_order(s->oo))
SLAB_VALUE_SHOW(remote_node_defrag_ratio, "%u", 100u)
SLAB_VALUE_SHOW(slab_size, "%u", s->size)
SLAB_VALUE_SHOW(usersize, "%u", s->usersize)

/* Linux's slabs_cpu_partial_show(): objects (estimated from half-full
 * slabs) and slabs on CPU partial lists, then per CPU. */
static void show_slabs_cpu_partial(struct kmem_cache *s, struct seq_file *m,
				   long arg)
{
	unsigned int half = oo_objects(s->oo), slabs = 0;
	int cpu;

	(void)arg;
	for_each_online_cpu(cpu)
		slabs += cpu_partial_slabs(s->cpu_slab[cpu].partial);
	seq_printf(m, "%u(%u)", slabs * half / 2, slabs);
	for_each_online_cpu(cpu) {
		slabs = cpu_partial_slabs(s->cpu_slab[cpu].partial);
		if (slabs)
			seq_printf(m, " C%d=%u(%u)", cpu, slabs * half / 2,
				   slabs);
	}
	seq_putc(m, '\n');
}

/* One caller of alloc_calls/free_calls (Linux's struct location). */
struct location {
	const char *addr;
	long count;
	unsigned long sum_time, min_time, max_time;
	long min_pid, max_pid;
	unsigned long cpus[NR_CPUS / 64];
	unsigned long nodes;
};

struct loc_track {
	size_t count, max;
	struct location *loc;
};

/* Callers sort by name, "<not-available>" (NULL) first, as Linux sorts
 * by address. */
static int loc_cmp(const char *a, const char *b)
{
	if (!a || !b)
		return !!a - !!b;
	return strcmp(a, b);
}

/* Linux's add_location(): false when host memory ran out. */
static bool add_location(struct loc_track *t, const struct track *track,
			 int nid)
{
	unsigned long age = jiffies - track->when;
	size_t lo = 0, hi = t->count;
	struct location *l;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = loc_cmp(track->addr, t->loc[mid].addr);

		if (!c) {
			l = &t->loc[mid];
			l->count++;
			if (track->when) {
				l->sum_time += age;
				l->min_time = min(l->min_time, age);
				l->max_time = max(l->max_time, age);
				l->min_pid = min(l->min_pid, (long)track->pid);
				l->max_pid = max(l->max_pid, (long)track->pid);
				l->cpus[track->cpu / 64] |=
					1UL << (track->cpu % 64);
			}
			l->nodes |= 1UL << nid;
			return true;
		}
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	if (t->count == t->max) {
		size_t max = t->max ? 2 * t->max : 64;
		struct location *loc = realloc(t->loc, max * sizeof(*loc));

		if (!loc)
			return false;
		t->loc = loc;
		t->max = max;
	}
	l = &t->loc[lo];
	memmove(l + 1, l, (t->count++ - lo) * sizeof(*l));
	*l = (struct location){ .addr = track->addr,
				.count = 1,
				.sum_time = age,
				.min_time = age,
				.max_time = age,
				.min_pid = track->pid,
				.max_pid = track->pid,
				.nodes = 1UL << nid };
	l->cpus[track->cpu / 64] |= 1UL << (track->cpu % 64);
	return true;
}

/* Linux's process_slab(): the tracks of slab's allocated objects. */
static void process_slab(struct loc_track *t, struct kmem_cache *s,
			 struct page *slab, enum track_item alloc)
{
	unsigned long map[OBJ_MAP_LONGS];
	u8 *p;

	fill_free_map(s, slab, map);
	p = slab_address(slab) + s->red_left_pad;
	for (unsigned int i = 0; i < slab->objects; i++, p += s->size) {
		struct track track;

		if (map[i / 64] >> (i % 64) & 1)
			continue;
		track = get_track(s, p, alloc);
		if (!add_location(t, &track, slab_nid(slab)))
			return;
	}
}

/* Linux's list_locations() (alloc_calls and free_calls before 5.17
 * moved them to debugfs): for each caller of the allocated objects'
 * last allocation or free, how many, their ages (min/avg/max jiffies),
 * pids, CPUs and nodes. */
static void list_locations(struct kmem_cache *s, struct seq_file *m, long alloc)
{
	struct loc_track t = { 0, 0, NULL };
	struct kmem_cache_node *n;
	int node;

	flush_all(s);
	for_each_kmem_cache_node(s, node, n)
	{
		struct page *slab;

		list_for_each_entry(slab, &n->partial, slab_list)
			process_slab(&t, s, slab, (enum track_item)alloc);
		list_for_each_entry(slab, &n->full, slab_list)
			process_slab(&t, s, slab, (enum track_item)alloc);
	}
	for (size_t i = 0; i < t.count; i++) {
		const struct location *l = &t.loc[i];

		seq_printf(m, "%7ld %s", l->count,
			   l->addr ? l->addr : "<not-available>");
		if (l->sum_time != l->min_time)
			seq_printf(
				m, " age=%ld/%ld/%ld", (long)l->min_time,
				(long)(l->sum_time / (unsigned long)l->count),
				(long)l->max_time);
		else
			seq_printf(m, " age=%ld", (long)l->min_time);
		if (l->min_pid != l->max_pid)
			seq_printf(m, " pid=%ld-%ld", l->min_pid, l->max_pid);
		else
			seq_printf(m, " pid=%ld", l->min_pid);
		if (M->nr_cpus > 1) {
			seq_puts(m, " cpus=");
			seq_bitmap_list(m, l->cpus, (unsigned)M->nr_cpus);
		}
		if (M->nr_nodes > 1) {
			seq_puts(m, " nodes=");
			seq_bitmap_list(m, &l->nodes, (unsigned)M->nr_nodes);
		}
		seq_putc(m, '\n');
	}
	if (!t.count)
		seq_puts(m, "No data\n");
	free(t.loc);
}

struct slab_attribute {
	const char *name;
	void (*show)(struct kmem_cache *s, struct seq_file *m, long arg);
	long arg;
};

#define VALUE(n)                \
	{                       \
#n, show_##n, 0 \
	}
#define FLAG(n, f)                      \
	{                               \
		n, show_flag, (long)(f) \
	}
#define OBJECTS(n, so)                   \
	{                                \
		n, show_slab_objects, so \
	}
#define STAT(n, si)              \
	{                        \
		n, show_stat, si \
	}

/* Linux's SLUB attributes (CONFIG_SLUB_STATS included), sorted. */
static const struct slab_attribute slab_attrs[] = {
	VALUE(aliases),
	VALUE(align),
	{ "alloc_calls", list_locations, TRACK_ALLOC },
	STAT("alloc_fastpath", ALLOC_FASTPATH),
	STAT("alloc_from_partial", ALLOC_FROM_PARTIAL),
	STAT("alloc_node_mismatch", ALLOC_NODE_MISMATCH),
	STAT("alloc_refill", ALLOC_REFILL),
	STAT("alloc_slab", ALLOC_SLAB),
	STAT("alloc_slowpath", ALLOC_SLOWPATH),
	FLAG("cache_dma", SLAB_CACHE_DMA),
	STAT("cmpxchg_double_cpu_fail", -1),
	STAT("cmpxchg_double_fail", -1),
	VALUE(cpu_partial),
	STAT("cpu_partial_alloc", CPU_PARTIAL_ALLOC),
	STAT("cpu_partial_drain", CPU_PARTIAL_DRAIN),
	STAT("cpu_partial_free", CPU_PARTIAL_FREE),
	STAT("cpu_partial_node", CPU_PARTIAL_NODE),
	OBJECTS("cpu_slabs", SO_CPU),
	STAT("cpuslab_flush", CPUSLAB_FLUSH),
	STAT("deactivate_bypass", DEACTIVATE_BYPASS),
	STAT("deactivate_empty", DEACTIVATE_EMPTY),
	STAT("deactivate_full", DEACTIVATE_FULL),
	STAT("deactivate_remote_frees", DEACTIVATE_REMOTE_FREES),
	STAT("deactivate_to_head", DEACTIVATE_TO_HEAD),
	STAT("deactivate_to_tail", DEACTIVATE_TO_TAIL),
	FLAG("destroy_by_rcu", SLAB_TYPESAFE_BY_RCU),
	STAT("free_add_partial", FREE_ADD_PARTIAL),
	{ "free_calls", list_locations, TRACK_FREE },
	STAT("free_fastpath", FREE_FASTPATH),
	STAT("free_frozen", FREE_FROZEN),
	STAT("free_remove_partial", FREE_REMOVE_PARTIAL),
	STAT("free_slab", FREE_SLAB),
	STAT("free_slowpath", FREE_SLOWPATH),
	FLAG("hwcache_align", SLAB_HWCACHE_ALIGN),
	VALUE(min_partial),
	VALUE(object_size),
	OBJECTS("objects", SO_ALL | SO_OBJECTS),
	OBJECTS("objects_partial", SO_PARTIAL | SO_OBJECTS),
	VALUE(objs_per_slab),
	VALUE(order),
	STAT("order_fallback", ORDER_FALLBACK),
	OBJECTS("partial", SO_PARTIAL),
	FLAG("poison", SLAB_POISON),
	FLAG("reclaim_account", SLAB_RECLAIM_ACCOUNT),
	FLAG("red_zone", SLAB_RED_ZONE),
	VALUE(remote_node_defrag_ratio),
	FLAG("sanity_checks", SLAB_CONSISTENCY_CHECKS),
	{ "shrink", show_nothing, 0 }, /* write 1 to shrink */
	VALUE(slab_size),
	OBJECTS("slabs", SO_ALL),
	VALUE(slabs_cpu_partial),
	FLAG("store_user", SLAB_STORE_USER),
	OBJECTS("total_objects", SO_ALL | SO_TOTAL),
	FLAG("trace", SLAB_TRACE),
	VALUE(usersize),
};

/* Whether SLUB files s under a unique id (it could take aliases). */
static bool sysfs_aliasable(const struct kmem_cache *s)
{
	return !(s->flags & SLAB_NEVER_MERGE) && !s->ctor && !s->usersize &&
	       s->refcount >= 0;
}

/* Linux's create_unique_id(): ":" then the flags merging must match,
 * then the slot size, e.g. ":0000064" or ":a-0000104". */
static void create_unique_id(const struct kmem_cache *s, char *buf, size_t len)
{
	size_t n = 0;

	buf[n++] = ':';
	if (s->flags & SLAB_CACHE_DMA)
		buf[n++] = 'd';
	if (s->flags & SLAB_CACHE_DMA32)
		buf[n++] = 'D';
	if (s->flags & SLAB_RECLAIM_ACCOUNT)
		buf[n++] = 'a';
	if (s->flags & SLAB_CONSISTENCY_CHECKS)
		buf[n++] = 'F';
	if (s->flags & SLAB_ACCOUNT)
		buf[n++] = 'A';
	if (n > 1)
		buf[n++] = '-';
	snprintf(buf + n, len - n, "%07u", s->size);
}

/* The cache /sys/kernel/slab/name stands for, or NULL. */
static struct kmem_cache *sysfs_slab_lookup(const char *name)
{
	struct slab_alias *a;
	struct kmem_cache *s;
	char id[32];

	list_for_each_entry(s, &g->slab_caches, list) {
		if (!strcmp(s->name, name))
			return s;
		create_unique_id(s, id, sizeof(id));
		if (sysfs_aliasable(s) && !strcmp(id, name))
			return s;
	}
	list_for_each_entry(a, &g->aliases, list)
		if (!strcmp(a->name, name))
			return a->cache;
	return NULL;
}

/* Splits "NAME/ATTR"; NULL when either part is unknown. */
static struct kmem_cache *sysfs_resolve(const char *path,
					const struct slab_attribute **attr)
{
	const char *slash = strrchr(path, '/');
	char name[128];

	if (!slab_is_available() || g->ops != &slub_ops || !slash ||
	    (size_t)(slash - path) >= sizeof(name))
		return NULL;
	memcpy(name, path, (size_t)(slash - path));
	name[slash - path] = '\0';
	*attr = NULL;
	for (size_t i = 0; i < ARRAY_SIZE(slab_attrs); i++)
		if (!strcmp(slab_attrs[i].name, slash + 1))
			*attr = &slab_attrs[i];
	return *attr ? sysfs_slab_lookup(name) : NULL;
}

int slab_sysfs_show(const char *path, struct seq_file *out)
{
	const struct slab_attribute *attr;
	struct kmem_cache *s = sysfs_resolve(path, &attr);

	if (!s)
		return -ENOENT;
	/* tracks exist only with SLAB_STORE_USER */
	if (attr->show == list_locations && !(s->flags & SLAB_STORE_USER))
		return -ENOSYS;
	attr->show(s, out, attr->arg);
	return 0;
}

int slab_sysfs_store(const char *path, const char *value, char *err,
		     size_t errlen)
{
	const struct slab_attribute *attr;
	struct kmem_cache *s = sysfs_resolve(path, &attr);

	if (!s) {
		snprintf(err, errlen,
			 "/sys/kernel/slab/%s: No such file or directory",
			 path);
		return -ENOENT;
	}
	if (strcmp(attr->name, "shrink")) {
		snprintf(err, errlen, "/sys/kernel/slab/%s: Permission denied",
			 path);
		return -EACCES;
	}
	if (value[0] != '1' || (value[1] && strcmp(value + 1, "\n"))) {
		snprintf(err, errlen,
			 "/sys/kernel/slab/%s: write 1 to shrink the cache",
			 path);
		return -EINVAL;
	}
	kmem_cache_shrink(s);
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Entry names live in host memory: listing must not disturb the
 * machine's allocators. */
static void sysfs_add_entry(char ***v, size_t *n, size_t *cap, const char *name,
			    const char *target)
{
	size_t len = strlen(name) + (target ? strlen(target) + 4 : 0) + 1;
	char *e = malloc(len);

	if (!e)
		return;
	snprintf(e, len, target ? "%s -> %s" : "%s", name, target);
	if (*n == *cap) {
		char **nv = realloc(*v, (*cap ? *cap * 2 : 128) * sizeof(**v));

		if (!nv) {
			free(e);
			return;
		}
		*v = nv;
		*cap = *cap ? *cap * 2 : 128;
	}
	(*v)[(*n)++] = e;
}

void slab_sysfs_list(struct seq_file *out)
{
	char **v = NULL, id[32];
	size_t n = 0, cap = 0;
	struct slab_alias *a;
	struct kmem_cache *s;

	if (!slab_is_available() || g->ops != &slub_ops)
		return;
	list_for_each_entry(s, &g->slab_caches, list) {
		if (!sysfs_aliasable(s)) {
			sysfs_add_entry(&v, &n, &cap, s->name, NULL);
			continue;
		}
		create_unique_id(s, id, sizeof(id));
		sysfs_add_entry(&v, &n, &cap, id, NULL);
		sysfs_add_entry(&v, &n, &cap, s->name, id);
	}
	list_for_each_entry(a, &g->aliases, list) {
		create_unique_id(a->cache, id, sizeof(id));
		sysfs_add_entry(&v, &n, &cap, a->name, id);
	}
	if (n)
		qsort(v, n, sizeof(*v), cmp_str);
	for (size_t i = 0; i < n; i++)
		if (!i || strcmp(v[i], v[i - 1]))
			seq_printf(out, "%s\n", v[i]);
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void slab_sysfs_attrs(struct seq_file *out)
{
	for (size_t i = 0; i < ARRAY_SIZE(slab_attrs); i++)
		seq_printf(out, "%s\n", slab_attrs[i].name);
}

/* ---- boot -------------------------------------------------------------------------- */

static void set_slab_cache(struct page *slab, void *s)
{
	slab->slab_cache = s;
}

/* Moves a boot cache into an object of the kmem_cache cache. */
static struct kmem_cache *bootstrap(struct kmem_cache *static_cache)
{
	struct kmem_cache *s = kmem_cache_zalloc(g->kmem_cache, GFP_NOWAIT);
	struct kmem_cache_node *n;
	struct page *p;
	int node, cpu;

	if (!s) {
		pr_emerg(
			"Kernel panic - not syncing: SLUB: cannot bootstrap %s\n",
			static_cache->name);
		BUG_REPORT();
		return static_cache;
	}
	memcpy(s, static_cache, g->kmem_cache->object_size);
	s->cpu_slab = (struct kmem_cache_cpu *)((char *)s + cpu_slab_offset());
	for_each_online_cpu(cpu)
		flush_cpu_slab(s, cpu);
	for_each_kmem_cache_node(s, node, n)
	{
		list_for_each_entry(p, &n->partial, slab_list)
			p->slab_cache = s;
		for_each_full_slab(static_cache, node, set_slab_cache, s);
	}
	list_add(&s->list, &g->slab_caches);
	return s;
}

/* Linux's kmem_cache_init() up to the kmalloc caches: the two caches of
 * slab's own structures, first as static copies, then as objects. */
/* Whether struct page's counters bitfields are where SLAB_INUSE_MASK,
 * SLAB_OBJECTS_SHIFT and SLAB_FROZEN say (the C ABI decides). */
static bool slab_counters_layout_ok(void)
{
	struct page p;

	memset(&p, 0, sizeof(p));
	p.inuse = 3;
	p.objects = 5;
	p.frozen = 1;
	return p.counters == (3 | 5UL << SLAB_OBJECTS_SHIFT | SLAB_FROZEN);
}

static void slub_init(void)
{
	struct kmem_cache *boot_kmem_cache = (void *)g->boot_kmem_cache;
	struct kmem_cache *boot_kmem_cache_node =
		(void *)g->boot_kmem_cache_node;

	if (!slab_counters_layout_ok()) {
		pr_emerg(
			"SLUB: struct page counters not laid out as expected\n");
		BUG_REPORT();
		return;
	}

	if (slub_cache_struct_size() > sizeof(g->boot_kmem_cache)) {
		pr_emerg("SLUB: struct kmem_cache too big for %d CPUs\n",
			 M->nr_cpus);
		BUG_REPORT();
		return;
	}
	g->kmem_cache_node = boot_kmem_cache_node;
	g->kmem_cache = boot_kmem_cache;
	create_boot_cache(boot_kmem_cache_node, "kmem_cache_node",
			  sizeof(struct kmem_cache_node),
			  SLAB_HWCACHE_ALIGN | SLAB_NO_OBJ_EXT, 0, 0);
	g->state = PARTIAL;
	create_boot_cache(boot_kmem_cache, "kmem_cache",
			  slub_cache_struct_size(),
			  SLAB_HWCACHE_ALIGN | SLAB_NO_OBJ_EXT, 0, 0);
	g->kmem_cache = bootstrap(boot_kmem_cache);
	g->kmem_cache_node = bootstrap(boot_kmem_cache_node);
	pr_info("SLUB: HWalign=%d, Order=%u-%u, MinObjects=%u, CPUs=%u, Nodes=%u\n",
		L1_CACHE_BYTES, SLUB_MIN_ORDER, SLUB_MAX_ORDER, 0u,
		(unsigned)M->nr_cpus, (unsigned)M->nr_nodes);
}

const struct slab_allocator_ops slub_ops = {
	.name = "slub",
	.init = slub_init,
	.create = slub_create,
	.alias = slub_alias,
	.alloc = slub_alloc,
	.free = slub_free,
	.shrink = slub_shrink,
	.shutdown = slub_shutdown,
	.release = slub_release,
	.ksize = slub_ksize,
	.get_slabinfo = slub_get_slabinfo,
};
