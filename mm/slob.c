/* SLOB (mm/slob.c of Linux <= 6.3), the slab allocator for tiny
 * machines: no caches of slabs at all. Small objects are carved first-fit
 * out of partially free pages kept on three lists by request size (under
 * 256 bytes, under 1 KiB, the rest); a page is a list of free blocks of
 * 2-byte units, encoded in the free memory itself, and goes back to the
 * page allocator as soon as it is entirely free. kmalloc prefixes each
 * object with its size; objects of a page or more come straight from the
 * page allocator. Constructors run on every allocation, and SLOB has no
 * debugging (poison and red zones are accepted and ignored), no merging
 * and no /proc/slabinfo, as in Linux. */
#include "mm/slab.h"

#include <stdint.h>
#include <string.h>

#include "kernel/printk.h"
#include "mm/vmstat.h"

/* g: the slab globals, Linux's file-scope variables of mm/slab*.c. */
#define g slab_globals()

/* A unit of a free block: its size in units and the offset of the next
 * free block, both within the page (Linux's slob_t). A one-unit block
 * holds minus the next offset instead. */
typedef int16_t slobidx_t;
typedef struct slob_block {
	slobidx_t units;
} slob_t;

#define SLOB_UNIT sizeof(slob_t)
#define SLOB_UNITS(size) DIV_ROUND_UP(size, SLOB_UNIT)
#define SLOB_BREAK1 256
#define SLOB_BREAK2 1024

/* kmalloc's size header: the minimum alignment of kmalloc objects. */
#define SLOB_MINALIGN max(ARCH_KMALLOC_MINALIGN, ARCH_SLAB_MINALIGN)

/* SLOB's file-scope lists, in the slab globals of the machine. */
struct slob_globals {
	struct list_head free_slob_small;
	struct list_head free_slob_medium;
	struct list_head free_slob_large;
};

_Static_assert(sizeof(struct slob_globals) <=
		       sizeof(((struct slab_globals *)0)->priv),
	       "SLOB globals must fit slab_globals.priv");

static inline struct slob_globals *slob_globals(void)
{
	return (struct slob_globals *)g->priv;
}

/* What SLOB keeps per cache, after the (empty) node[] of kmem_cache. */
struct slob_cache {
	unsigned long nr_objects; /* allocated, for the destroy check */
};

static inline struct slob_cache *slob_cache(struct kmem_cache *s)
{
	return (struct slob_cache *)((char *)s +
				     offsetof(struct kmem_cache, node));
}

/* ---- slob pages ------------------------------------------------------ */

/* A slob page's free units live in page->counters; PG_private marks it
 * as being on one of the free lists (Linux's PG_slob_free). */
static inline unsigned long slob_page_units(const struct page *sp)
{
	return sp->counters;
}

static inline bool slob_page_free(const struct page *sp)
{
	return PagePrivate(sp);
}

static void set_slob_page_free(struct page *sp, struct list_head *list)
{
	list_add(&sp->slab_list, list);
	SetPagePrivate(sp);
}

static void clear_slob_page_free(struct page *sp)
{
	list_del(&sp->slab_list);
	ClearPagePrivate(sp);
}

static inline slob_t *slob_base(const slob_t *s)
{
	return (slob_t *)((uintptr_t)s & PAGE_MASK);
}

/* Encodes a free block of size units followed by the free block next. */
static void set_slob(slob_t *s, slobidx_t size, slob_t *next)
{
	slobidx_t offset = (slobidx_t)(next - slob_base(s));

	if (size > 1) {
		s[0].units = size;
		s[1].units = offset;
	} else {
		s[0].units = (slobidx_t)-offset;
	}
}

static slobidx_t slob_units(const slob_t *s)
{
	return s->units > 0 ? s->units : 1;
}

static slob_t *slob_next(const slob_t *s)
{
	slobidx_t next = s[0].units < 0 ? (slobidx_t)-s[0].units : s[1].units;

	return slob_base(s) + next;
}

/* Whether s is the last free block of its page. */
static bool slob_last(const slob_t *s)
{
	return !((uintptr_t)slob_next(s) & ~PAGE_MASK);
}

static struct list_head *slob_list_for(size_t size)
{
	struct slob_globals *sg = slob_globals();

	if (size < SLOB_BREAK1)
		return &sg->free_slob_small;
	if (size < SLOB_BREAK2)
		return &sg->free_slob_medium;
	return &sg->free_slob_large;
}

/* Pages for SLOB, counted as unreclaimable slab; a block of several
 * pages is compound so any address inside finds its head. */
static struct page *slob_new_pages(gfp_t gfp, unsigned int order, int node)
{
	struct page *page;

	if (unlikely(gfp & GFP_SLAB_BUG_MASK))
		gfp = kmalloc_fix_flags(gfp);
	if (order)
		gfp |= __GFP_COMP;
	if (node == NUMA_NO_NODE)
		page = alloc_pages(gfp, order);
	else
		page = alloc_pages_node(node, gfp, order);
	if (!page)
		return NULL;
	__SetPageSlab(page);
	page->slab_cache = NULL;
	account_slab(page, order, NULL, 1);
	return page;
}

static void slob_free_pages(struct page *page, unsigned int order)
{
	ClearPagePrivate(page);
	free_slab_pages(NULL, page, order);
}

/* ---- allocation -------------------------------------------------------- */

/* Linux's slob_page_alloc(): the first free block of sp that holds size
 * bytes with b + align_offset aligned to align, split off; NULL if none.
 * *removed says whether the page ran full and left its list. */
static void *slob_page_alloc(struct page *sp, size_t size, unsigned int align,
			     unsigned int align_offset, bool *removed)
{
	slob_t *prev, *cur, *aligned = NULL;
	long delta = 0, units = (long)SLOB_UNITS(size);

	*removed = false;
	for (prev = NULL, cur = sp->freelist;;
	     prev = cur, cur = slob_next(cur)) {
		slobidx_t avail = slob_units(cur);
		slob_t *next;

		if (align) {
			aligned =
				(slob_t *)(ALIGN((uintptr_t)cur + align_offset,
						 (uintptr_t)align) -
					   align_offset);
			delta = aligned - cur;
		}
		if (avail >= units + delta) {
			if (delta) { /* split off the head to align */
				next = slob_next(cur);
				set_slob(aligned, (slobidx_t)(avail - delta),
					 next);
				set_slob(cur, (slobidx_t)delta, aligned);
				prev = cur;
				cur = aligned;
				avail = slob_units(cur);
			}
			next = slob_next(cur);
			if (avail == units) { /* exact fit: unlink */
				if (prev)
					set_slob(prev, slob_units(prev), next);
				else
					sp->freelist = next;
			} else { /* fragment */
				if (prev)
					set_slob(prev, slob_units(prev),
						 cur + units);
				else
					sp->freelist = cur + units;
				set_slob(cur + units,
					 (slobidx_t)(avail - units), next);
			}
			sp->counters -= (unsigned long)units;
			if (!sp->counters) {
				clear_slob_page_free(sp);
				*removed = true;
			}
			return cur;
		}
		if (slob_last(cur))
			return NULL;
	}
}

/* A node a slob page may come from: invalid nodes and nodes without
 * normal memory mean "any". */
static int slob_node(int node)
{
	if (node < 0 || node >= M->nr_nodes || !(g->slab_nodes >> node & 1))
		return NUMA_NO_NODE;
	return node;
}

/* Linux's slob_alloc(): first fit over the partially free pages of the
 * size's list (rotating the page that served to the front, Knuth's
 * "next fit"), else a new page. */
static void *slob_alloc(size_t size, gfp_t gfp, unsigned int align, int node,
			unsigned int align_offset)
{
	struct list_head *slob_list = slob_list_for(size);
	unsigned long units = SLOB_UNITS(size);
	struct page *sp;
	void *b = NULL;
	bool removed;

	node = slob_node(node);
	list_for_each_entry(sp, slob_list, slab_list) {
		if (node != NUMA_NO_NODE && slab_nid(sp) != node)
			continue;
		if (slob_page_units(sp) < units)
			continue;
		b = slob_page_alloc(sp, size, align, align_offset, &removed);
		if (!b)
			continue;
		if (!removed && slob_list->next != &sp->slab_list)
			list_move_tail(slob_list, &sp->slab_list);
		break;
	}
	if (!b) {
		sp = slob_new_pages(gfp & ~__GFP_ZERO, 0, node);
		if (!sp)
			return NULL;
		b = page_address(sp);
		sp->counters = SLOB_UNITS(PAGE_SIZE);
		sp->freelist = b;
		INIT_LIST_HEAD(&sp->slab_list);
		set_slob(b, (slobidx_t)SLOB_UNITS(PAGE_SIZE),
			 (slob_t *)b + SLOB_UNITS(PAGE_SIZE));
		set_slob_page_free(sp, slob_list);
		b = slob_page_alloc(sp, size, align, align_offset, &removed);
	}
	if (unlikely(gfp & __GFP_ZERO) && b)
		memset(b, 0, size);
	return b;
}

/* ---- freeing ------------------------------------------------------------- */

/* Whether [b, b + units) overlaps a free block of sp: a double free,
 * which would corrupt the page's free list (Linux does not check). */
static bool slob_already_free(struct page *sp, slob_t *b, long units)
{
	slob_t *cur = sp->freelist;

	if (!slob_page_free(sp))
		return false;
	for (;;) {
		if (b < cur + slob_units(cur) && cur < b + units)
			return true;
		if (slob_last(cur) || cur > b)
			return false;
		cur = slob_next(cur);
	}
}

/* Puts a freed block back into its page's address-ordered free list,
 * merging it with free neighbours. */
static void slob_insert_free(struct page *sp, slob_t *b, long units)
{
	slob_t *prev, *next;

	if (b < (slob_t *)sp->freelist) {
		if (b + units == sp->freelist) {
			units += slob_units(sp->freelist);
			sp->freelist = slob_next(sp->freelist);
		}
		set_slob(b, (slobidx_t)units, sp->freelist);
		sp->freelist = b;
		return;
	}
	prev = sp->freelist;
	next = slob_next(prev);
	while (b > next) {
		prev = next;
		next = slob_next(prev);
	}
	if (!slob_last(prev) && b + units == next) {
		units += slob_units(next);
		set_slob(b, (slobidx_t)units, slob_next(next));
	} else {
		set_slob(b, (slobidx_t)units, next);
	}
	if (prev + slob_units(prev) == b) {
		units = slob_units(b) + slob_units(prev);
		set_slob(prev, (slobidx_t)units, slob_next(b));
	} else {
		set_slob(prev, slob_units(prev), b);
	}
}

/* Linux's slob_free(): a page that becomes entirely free goes back to
 * the page allocator; one that was full joins the list of the freed
 * block's size. */
static void slob_free(struct page *sp, void *block, size_t size)
{
	slob_t *b = block;
	long units = (long)SLOB_UNITS(size);

	if (unlikely(slob_already_free(sp, b, units))) {
		WARN(1, "slob_free: 0x%0*lx is already free (double free)\n",
		     kaddr_width(), kaddr(block));
		return;
	}
	if (slob_page_units(sp) + (unsigned long)units ==
	    SLOB_UNITS(PAGE_SIZE)) {
		if (slob_page_free(sp))
			clear_slob_page_free(sp);
		slob_free_pages(sp, 0);
		return;
	}
	if (!slob_page_free(sp)) {
		sp->counters = (unsigned long)units;
		sp->freelist = b;
		set_slob(b, (slobidx_t)units,
			 (slob_t *)(((uintptr_t)(b + SLOB_UNITS(PAGE_SIZE))) &
				    PAGE_MASK));
		set_slob_page_free(sp, slob_list_for(size));
		return;
	}
	sp->counters += (unsigned long)units;
	slob_insert_free(sp, b, units);
}

/* ---- kmalloc ---------------------------------------------------------- */

/* Linux's __do_kmalloc_node(): the object follows an int holding its
 * size, SLOB_MINALIGN bytes before it; powers of two are aligned to
 * their size. A page or more goes to the page allocator. */
static void *slob_kmalloc(size_t size, gfp_t gfp, int node)
{
	unsigned int minalign = SLOB_MINALIGN, align = minalign;
	unsigned int *m;

	if (size >= PAGE_SIZE - minalign)
		return kmalloc_large_node(size, gfp, node);
	if (!size)
		return ZERO_SIZE_PTR;
	if (is_power_of_2(size))
		align = max(minalign, (unsigned int)size);
	m = slob_alloc(size + minalign, gfp, align, node, minalign);
	if (!m)
		return NULL;
	*m = (unsigned int)size;
	return (char *)m + minalign;
}

/* The size header of a kmalloc'ed object, or 0 (reported) if object
 * cannot be one: the block must fit the page it starts in. */
static unsigned int slob_kmalloc_header(struct page *sp, const void *object,
					const char *func)
{
	const char *start = page_address(sp);
	const char *p = object;
	unsigned int size;

	if (p - start < (long)SLOB_MINALIGN ||
	    (uintptr_t)p % SLOB_MINALIGN != 0)
		goto bad;
	size = *(const unsigned int *)(p - SLOB_MINALIGN);
	if (!size || (unsigned long)(p - start) + size > PAGE_SIZE)
		goto bad;
	return size;
bad:
	/* a free block's encoding replaced the header: freed already */
	if ((uintptr_t)p % SLOB_UNIT == 0 &&
	    slob_already_free(sp, (slob_t *)(p - SLOB_MINALIGN), 1))
		WARN(1, "%s: 0x%0*lx is already free (double free)\n", func,
		     kaddr_width(), kaddr(object));
	else
		WARN(1,
		     "%s: invalid pointer 0x%0*lx (no SLOB kmalloc object)\n",
		     func, kaddr_width(), kaddr(object));
	return 0;
}

static size_t slob_kmalloc_size(const void *object)
{
	struct page *sp = compound_head(virt_to_page(object));
	unsigned int size = slob_kmalloc_header(sp, object, "ksize");

	return SLOB_UNITS(size) * SLOB_UNIT;
}

static void slob_kfree(struct page *sp, void *object)
{
	unsigned int size = slob_kmalloc_header(sp, object, "kfree");

	if (size)
		slob_free(sp, (char *)object - SLOB_MINALIGN,
			  size + SLOB_MINALIGN);
}

/* ---- caches ------------------------------------------------------------ */

static int slob_create(struct kmem_cache *s, slab_flags_t flags)
{
	s->flags = flags;
	s->size = (unsigned int)(SLOB_UNITS(s->size) * SLOB_UNIT);
	slob_cache(s)->nr_objects = 0;
	return 0;
}

/* Linux's slob_alloc_node(): objects of a page or more are whole pages
 * (marked slab here, so kmem_cache_free finds their cache); the
 * constructor runs on every allocation. */
static void *slob_cache_alloc(struct kmem_cache *s, gfp_t gfp, int node)
{
	void *b;

	if (s->size < PAGE_SIZE) {
		b = slob_alloc(s->size, gfp, s->align, node, 0);
	} else {
		struct page *page = slob_new_pages(gfp, get_order(s->size),
						   slob_node(node));

		b = page ? page_address(page) : NULL;
		if (page)
			page->slab_cache = s; /* __GFP_ZERO zeroed the pages */
	}
	if (!b)
		return NULL;
	slob_cache(s)->nr_objects++;
	if (s->ctor) {
		WARN_ON_ONCE(gfp & __GFP_ZERO);
		s->ctor(b);
	}
	return b;
}

static void slob_cache_free(struct kmem_cache *s, struct page *sp, void *b)
{
	if (s->size >= PAGE_SIZE) {
		if (WARN(b != page_address(sp),
			 "kmem_cache_free: invalid pointer 0x%0*lx in %s\n",
			 kaddr_width(), kaddr(b), s->name))
			return;
		slob_free_pages(sp, compound_order(sp));
	} else {
		slob_free(sp, b, s->size);
	}
	slob_cache(s)->nr_objects--;
}

/* kfree and kmem_cache_free: a NULL cache means a kmalloc object. */
static void slob_free_object(struct kmem_cache *s, struct page *sp, void *b)
{
	if (s)
		slob_cache_free(s, sp, b);
	else
		slob_kfree(sp, b);
}

/* Linux's SLOB keeps no slabs per cache: nothing to shrink. */
static int slob_shrink(struct kmem_cache *s)
{
	(void)s;
	return 0;
}

/* Linux's SLOB cannot tell a cache's objects apart and destroys the
 * cache regardless; mmsim counts them, so it reports and keeps a cache
 * that still has objects, like the other allocators. */
static int slob_shutdown(struct kmem_cache *s)
{
	unsigned long n = slob_cache(s)->nr_objects;

	if (!n)
		return 0;
	slab_bug(s, "Objects remaining in %s on __kmem_cache_shutdown()",
		 s->name);
	pr_err("%lu object%s still allocated\n", n, n == 1 ? "" : "s");
	add_taint(TAINT_BAD_PAGE);
	return 1;
}

static void slob_release(struct kmem_cache *s)
{
	(void)s;
}

/* Objects of a page or more: the pages, as Linux's ksize says. */
static size_t slob_ksize(const struct kmem_cache *s)
{
	return PAGE_SIZE << get_order(s->size);
}

static void slob_init(void)
{
	struct slob_globals *sg = slob_globals();
	struct kmem_cache *boot = (void *)g->boot_kmem_cache;

	INIT_LIST_HEAD(&sg->free_slob_small);
	INIT_LIST_HEAD(&sg->free_slob_medium);
	INIT_LIST_HEAD(&sg->free_slob_large);
	g->kmem_cache = boot;
	create_boot_cache(boot, "kmem_cache",
			  (unsigned int)(offsetof(struct kmem_cache, node) +
					 sizeof(struct slob_cache)),
			  SLAB_PANIC, 0, 0);
}

const struct slab_allocator_ops slob_ops = {
	.name = "slob",
	.init = slob_init,
	.create = slob_create,
	.alloc = slob_cache_alloc,
	.free = slob_free_object,
	.shrink = slob_shrink,
	.shutdown = slob_shutdown,
	.release = slob_release,
	.ksize = slob_ksize,
	.kmalloc = slob_kmalloc,
	.kmalloc_size = slob_kmalloc_size,
};
