/* The allocator-independent half of the slab layer (mm/slab_common.c):
 * cache creation with merging, destruction, the kmalloc caches and the
 * kmalloc family, shrinkers, /proc/slabinfo and the report helpers. The
 * allocator itself (SLUB) sits behind slab_globals()->ops. */
#include "mm/slab.h"

#include <errno.h>
#include <stdarg.h>
#include <string.h>

#include "kernel/printk.h"
#include "mm/vmstat.h"

/* g: the slab globals, Linux's file-scope variables of mm/slab*.c. */
#define g slab_globals()

/* ---- reports ----------------------------------------------------------- */

void slab_vbug(struct kmem_cache *s, const char *fmt, va_list ap)
{
	pr_err("=============================================================================\n");
	pr_err("BUG %s (%s): ", s ? s->name : "<unknown>", print_tainted());
	vprintk(fmt, ap);
	pr_cont("\n");
	pr_err("-----------------------------------------------------------------------------\n\n");
	M->nr_bugs++;
}

void slab_bug(struct kmem_cache *s, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	slab_vbug(s, fmt, ap);
	va_end(ap);
}

void slab_fix(struct kmem_cache *s, const char *fmt, ...)
{
	va_list ap;

	pr_err("FIX %s: ", s->name);
	va_start(ap, fmt);
	vprintk(fmt, ap);
	va_end(ap);
	pr_cont("\n");
}

void print_section(const char *text, const unsigned char *addr,
		   unsigned int length)
{
	for (unsigned int off = 0; off < length; off += 16) {
		unsigned int n = min(16u, length - off);
		char line[16 * 3 + 2 + 16 + 1];
		int lx = 0;

		for (unsigned int j = 0; j < n; j++)
			lx += snprintf(line + lx, sizeof(line) - (size_t)lx,
				       "%02x ", addr[off + j]);
		lx--; /* no space after the last byte */
		while (lx < 49)
			line[lx++] = ' ';
		for (unsigned int j = 0; j < n; j++) {
			unsigned char c = addr[off + j];

			line[lx++] = c >= 0x20 && c < 0x7f ? (char)c : '.';
		}
		line[lx] = '\0';
		pr_err("%s%0*lx: %s\n", text, kaddr_width(), kaddr(addr + off),
		       line);
	}
}

/* SLAB's and SLUB's slab_out_of_memory() start alike: nothing under
 * __GFP_NOWARN (false), else this line naming the allocator. */
bool slab_oom_header(const char *allocator, int nid, gfp_t gfp)
{
	struct seq_file flags;

	if (gfp & __GFP_NOWARN)
		return false;
	seq_init(&flags);
	format_gfp_flags(&flags, gfp);
	pr_warn("%s: Unable to allocate memory on node %d, gfp=%#x(%s)\n",
		allocator, nid, gfp, seq_text(&flags));
	seq_release(&flags);
	return true;
}

/* ---- slab pages ---------------------------------------------------------- */

void account_slab(struct page *slab, unsigned int order,
		  const struct kmem_cache *s, long sign)
{
	enum node_stat_item item = s && (s->flags & SLAB_RECLAIM_ACCOUNT) ?
					   NR_SLAB_RECLAIMABLE_B :
					   NR_SLAB_UNRECLAIMABLE_B;

	__mod_node_page_state(page_pgdat(slab), item,
			      sign * (long)(PAGE_SIZE << order));
}

void free_slab_pages(const struct kmem_cache *s, struct page *slab,
		     unsigned int order)
{
	slab->slab_cache = NULL;
	slab->slab_list.next = NULL;
	slab->slab_list.prev = NULL; /* page->mapping */
	slab->freelist = NULL;
	slab->counters = 0;
	__ClearPageType(slab);
	account_slab(slab, order, s, -1);
	__free_pages(slab, order);
}

/* ---- creating and destroying caches ------------------------------------ */

bool slab_is_available(void)
{
	return M && g->state >= UP;
}

const char *kmem_cache_name(const struct kmem_cache *s)
{
	return s->name;
}

unsigned int kmem_cache_size(struct kmem_cache *s)
{
	return s->object_size;
}

/* Cache-line alignment for objects big enough to profit (objects of at
 * most half a line get half a line, and so on), never below the minimum
 * or the caller's. */
unsigned int calculate_alignment(slab_flags_t flags, unsigned int align,
				 unsigned int size)
{
	if (flags & SLAB_HWCACHE_ALIGN) {
		unsigned int ralign = L1_CACHE_BYTES;

		while (size <= ralign / 2)
			ralign /= 2;
		align = max(align, ralign);
	}
	align = max(align, (unsigned int)ARCH_SLAB_MINALIGN);
	return ALIGN(align, (unsigned int)(M->arch->bits / 8));
}

int slab_unmergeable(const struct kmem_cache *s)
{
	/* usersize: hardened usercopy keeps kmalloc caches apart;
	 * refcount <= 0: boot caches and caches being destroyed. */
	return (s->flags & SLAB_NEVER_MERGE) || s->ctor || s->usersize ||
	       s->refcount <= 0;
}

/* The oldest cache whose objects can hold size bytes at align with less
 * than a word to spare and the same accounting flags. */
struct kmem_cache *find_mergeable(unsigned int size, unsigned int align,
				  slab_flags_t flags, const char *name,
				  void (*ctor)(void *))
{
	struct kmem_cache *s;

	(void)name;
	if (ctor || (flags & SLAB_NEVER_MERGE))
		return NULL;
	size = ALIGN(size, (unsigned int)(M->arch->bits / 8));
	align = calculate_alignment(flags, align, size);
	size = ALIGN(size, align);
	for (s = list_last_entry(&g->slab_caches, struct kmem_cache, list);
	     &s->list != &g->slab_caches;
	     s = list_entry(s->list.prev, struct kmem_cache, list)) {
		if (slab_unmergeable(s) || size > s->size)
			continue;
		if ((flags & SLAB_MERGE_SAME) != (s->flags & SLAB_MERGE_SAME))
			continue;
		if ((s->size & ~(align - 1)) != s->size)
			continue;
		if (s->size - size >= (unsigned int)(M->arch->bits / 8))
			continue;
		return s;
	}
	return NULL;
}

void slab_add_alias(struct kmem_cache *s, const char *name)
{
	size_t len = strlen(name) + 1;
	struct slab_alias *a = kmalloc(sizeof(*a) + len, GFP_KERNEL);

	if (!a) {
		pr_err("SLUB: Unable to add cache alias %s to sysfs\n", name);
		return;
	}
	a->cache = s;
	memcpy(a->name, name, len);
	list_add_tail(&a->list, &g->aliases);
}

static void slab_remove_aliases(struct kmem_cache *s)
{
	struct slab_alias *a, *t;

	list_for_each_entry_safe(a, t, &g->aliases, list)
		if (a->cache == s) {
			list_del(&a->list);
			kfree(a);
		}
}

void create_boot_cache(struct kmem_cache *s, const char *name,
		       unsigned int size, slab_flags_t flags,
		       unsigned int useroffset, unsigned int usersize)
{
	unsigned int align = ARCH_KMALLOC_MINALIGN;
	int err;

	(void)useroffset;
	s->name = name;
	s->size = s->object_size = size;
	/* kmalloc caches align to the largest power of two dividing size */
	if (flags & SLAB_KMALLOC)
		align = max(align, 1u << (__builtin_ffs((int)size) - 1));
	s->align = calculate_alignment(flags, align, size);
	s->usersize = usersize;
	err = g->ops->create(s, flags);
	if (err) {
		pr_emerg(
			"Kernel panic - not syncing: Creation of kmalloc slab %s size=%u failed. Reason %d\n",
			name, size, err);
		BUG_REPORT();
	}
	s->refcount = -1; /* exempt from merging */
}

/* Linux's kmem_cache_sanity_check (CONFIG_DEBUG_VM), made unconditional:
 * a cache must have a name, objects of 1..KMALLOC_MAX_SIZE bytes and a
 * power-of-two alignment of at most a page. */
static int kmem_cache_sanity_check(const char *name, unsigned int size,
				   unsigned int align)
{
	if (!name || !size || size > KMALLOC_MAX_SIZE ||
	    (align && (!is_power_of_2(align) || align > PAGE_SIZE))) {
		pr_err("kmem_cache_create(%s) integrity check failed\n",
		       name ? name : "(null)");
		return -EINVAL;
	}
	WARN_ON(strchr(name, ' ')); /* it confuses parsers */
	return 0;
}

static struct kmem_cache *create_cache(const char *name, unsigned int size,
				       unsigned int align, slab_flags_t flags,
				       unsigned int usersize,
				       void (*ctor)(void *), int *err)
{
	struct kmem_cache *s = kmem_cache_zalloc(g->kmem_cache, GFP_KERNEL);
	char *cache_name = kstrdup(name, GFP_KERNEL);

	*err = -ENOMEM;
	if (!s || !cache_name)
		goto fail;
	s->name = cache_name;
	s->name_owned = true;
	s->size = s->object_size = size;
	s->align = calculate_alignment(flags, align, size);
	s->ctor = ctor;
	s->usersize = usersize;
	*err = g->ops->create(s, flags);
	if (*err)
		goto fail;
	s->refcount = 1;
	list_add(&s->list, &g->slab_caches);
	return s;
fail:
	kfree(cache_name);
	if (s)
		kmem_cache_free(g->kmem_cache, s);
	return NULL;
}

struct kmem_cache *
kmem_cache_create_usercopy(const char *name, unsigned int size,
			   unsigned int align, slab_flags_t flags,
			   unsigned int useroffset, unsigned int usersize,
			   void (*ctor)(void *))
{
	struct kmem_cache *s = NULL;
	int err;

	if (!slab_is_available())
		err = -EINVAL;
	else
		err = kmem_cache_sanity_check(name, size, align);
	if (!err && (flags & ~SLAB_FLAGS_PERMITTED))
		err = -EINVAL;
	if (WARN(!err && (useroffset > size || usersize > size - useroffset),
		 "kmem_cache_create(%s): usercopy region %u+%u outside %u bytes\n",
		 name, useroffset, usersize, size))
		usersize = 0;
	/* A cache with a usercopy region is never merged. */
	if (!err && !usersize && g->ops->alias) {
		s = g->ops->alias(name, size, align, flags, ctor);
		if (s)
			return s;
	}
	if (!err)
		s = create_cache(name, size, align, flags, usersize, ctor,
				 &err);
	if (s)
		return s;
	if (flags & SLAB_PANIC) {
		pr_emerg(
			"Kernel panic - not syncing: kmem_cache_create: Failed to create slab '%s'. Error %d\n",
			name ? name : "(null)", err);
		add_taint(TAINT_DIE);
		M->nr_bugs++;
	} else {
		pr_warn("kmem_cache_create(%s) failed with error %d\n",
			name ? name : "(null)", err);
	}
	return NULL;
}

struct kmem_cache *kmem_cache_create(const char *name, unsigned int size,
				     unsigned int align, slab_flags_t flags,
				     void (*ctor)(void *))
{
	return kmem_cache_create_usercopy(name, size, align, flags, 0, 0, ctor);
}

static void kmem_cache_release(struct kmem_cache *s)
{
	list_del(&s->list);
	slab_remove_aliases(s);
	g->ops->release(s);
	if (s->name_owned)
		kfree(s->name);
	kmem_cache_free(g->kmem_cache, s);
}

void kmem_cache_destroy(struct kmem_cache *s)
{
	if (!s)
		return;
	if (WARN(s->refcount < 0 || (s->flags & SLAB_KMALLOC),
		 "kmem_cache_destroy %s: boot caches cannot be destroyed\n",
		 s->name))
		return;
	/* refcount 0: an earlier destroy found objects; try again */
	if (s->refcount > 0 && --s->refcount)
		return;
	if (g->ops->shutdown(s)) {
		WARN(1, "kmem_cache_destroy %s: Slab cache still has objects\n",
		     s->name);
		return;
	}
	kmem_cache_release(s);
}

int kmem_cache_shrink(struct kmem_cache *s)
{
	return g->ops->shrink(s);
}

static unsigned long slab_bytes(void)
{
	return global_node_page_state(NR_SLAB_RECLAIMABLE_B) +
	       global_node_page_state(NR_SLAB_UNRECLAIMABLE_B);
}

unsigned long kmem_cache_shrink_all(void)
{
	unsigned long before;
	struct kmem_cache *s;

	if (!slab_is_available())
		return 0;
	before = slab_bytes();
	list_for_each_entry(s, &g->slab_caches, list)
		g->ops->shrink(s);
	return (before - slab_bytes()) >> PAGE_SHIFT;
}

/* ---- allocating and freeing objects ------------------------------------ */

_Thread_local const char *slab_caller;

static noinline __cold void *kmem_cache_alloc_null(void)
{
	WARN(1, "kmem_cache_alloc: NULL cache\n");
	return NULL;
}

/* kmem_cache_alloc and kmem_cache_alloc_node: each its own copy, so that
 * neither is a call more. */
static __always_inline void *__kmem_cache_alloc_node(struct kmem_cache *s,
						     gfp_t gfp, int node)
{
	if (unlikely(!s))
		return kmem_cache_alloc_null();
	return g->ops->alloc(s, gfp, node);
}

void *(kmem_cache_alloc_node)(struct kmem_cache *s, gfp_t gfp, int node)
{
	return __kmem_cache_alloc_node(s, gfp, node);
}

void *(kmem_cache_alloc)(struct kmem_cache *s, gfp_t gfp)
{
	return __kmem_cache_alloc_node(s, gfp, NUMA_NO_NODE);
}

/* kmem_cache_free of an object that is not from s, off the fast path:
 * reported, and freed to its own cache if it has one. */
static noinline __cold void kmem_cache_free_misuse(struct kmem_cache *s,
						   struct page *slab, void *x)
{
	if (WARN(!slab, "kmem_cache_free: Object is not a Slab page!\n"))
		return;
	if (!slab->slab_cache) { /* SLOB: a page every cache shares */
		g->ops->free(s, slab, x);
		return;
	}
	WARN(1, "kmem_cache_free: Wrong slab cache. %s but object is from %s\n",
	     s ? s->name : "(null)", slab->slab_cache->name);
	g->ops->free(slab->slab_cache, slab, x);
}

void(kmem_cache_free)(struct kmem_cache *s, void *x)
{
	struct page *slab;

	if (unlikely(!x))
		return;
	slab = virt_to_slab(x);
	if (unlikely(!slab || slab->slab_cache != s))
		return kmem_cache_free_misuse(s, slab, x);
	g->ops->free(s, slab, x);
}

/* ---- kmalloc ----------------------------------------------------------- */

/* Cache index of every kmalloc size up to KMALLOC_MAX_CACHE_SIZE, by
 * (size - 1) / 8: Linux's kmalloc_size_index (sizes up to 192, with the
 * 96 and 192 byte caches 1 and 2) extended by fls(size - 1) above, so
 * that kmalloc finds its cache with one load. */
#define KI2(x) x, x
#define KI4(x) KI2(x), KI2(x)
#define KI8(x) KI4(x), KI4(x)
#define KI32(x) KI8(x), KI8(x), KI8(x), KI8(x)
#define KI64(x) KI32(x), KI32(x)
#define KI128(x) KI64(x), KI64(x)
#define KI256(x) KI128(x), KI128(x)
#define KI512(x) KI256(x), KI256(x)
static const unsigned char kmalloc_size_index[KMALLOC_MAX_CACHE_SIZE / 8] = {
	3,	4,	 KI2(5),   KI4(6),    KI4(1),	 KI4(7),    KI8(2),
	KI8(8), KI32(9), KI64(10), KI128(11), KI256(12), KI512(13),
};
_Static_assert(KMALLOC_MAX_CACHE_SIZE == 8192,
	       "kmalloc_size_index covers kmalloc-8 .. kmalloc-8k");

static const char
	*const kmalloc_names[NR_KMALLOC_TYPES][KMALLOC_SHIFT_HIGH + 1] = {
#define KMALLOC_NAMES(prefix)                                                 \
	{                                                                     \
		NULL, prefix "96", prefix "192", prefix "8", prefix "16",     \
			prefix "32", prefix "64", prefix "128", prefix "256", \
			prefix "512", prefix "1k", prefix "2k", prefix "4k",  \
			prefix "8k"                                           \
	}
		[KMALLOC_NORMAL] = KMALLOC_NAMES("kmalloc-"),
		[KMALLOC_RECLAIM] = KMALLOC_NAMES("kmalloc-rcl-"),
		[KMALLOC_DMA] = KMALLOC_NAMES("dma-kmalloc-"),
		[KMALLOC_CGROUP] = KMALLOC_NAMES("kmalloc-cg-"),
#undef KMALLOC_NAMES
	};

static unsigned int kmalloc_index_size(unsigned int idx)
{
	return idx == 1 ? 96 : idx == 2 ? 192 : 1u << idx;
}

static inline enum kmalloc_cache_type kmalloc_type(gfp_t flags)
{
	if (likely(!(flags & (__GFP_DMA | __GFP_RECLAIMABLE | __GFP_ACCOUNT))))
		return KMALLOC_NORMAL;
	if (flags & __GFP_DMA)
		return KMALLOC_DMA;
	if (flags & __GFP_RECLAIMABLE)
		return KMALLOC_RECLAIM;
	return KMALLOC_CGROUP;
}

struct kmem_cache *kmalloc_slab(size_t size, gfp_t flags)
{
	unsigned int idx;

	if (!size || size > KMALLOC_MAX_CACHE_SIZE || !slab_is_available())
		return NULL;
	idx = kmalloc_size_index[(size - 1) / 8];
	return g->kmalloc_caches[kmalloc_type(flags)][idx];
}

void new_kmalloc_cache(unsigned int idx, enum kmalloc_cache_type type)
{
	struct kmem_cache *s;
	slab_flags_t flags = 0;

	if (type == KMALLOC_RECLAIM)
		flags = SLAB_RECLAIM_ACCOUNT;
	else if (type == KMALLOC_CGROUP)
		flags = SLAB_ACCOUNT;
	else if (type == KMALLOC_DMA)
		flags = SLAB_CACHE_DMA;
	else
		flags = SLAB_NO_MERGE; /* memcg kernels keep these apart */
	flags |= g->ops->kmalloc_flags;
	s = kmem_cache_zalloc(g->kmem_cache, GFP_NOWAIT);
	if (!s) {
		pr_emerg(
			"Kernel panic - not syncing: Out of memory when creating slab %s\n",
			kmalloc_names[type][idx]);
		BUG_REPORT();
		return;
	}
	create_boot_cache(s, kmalloc_names[type][idx], kmalloc_index_size(idx),
			  flags | SLAB_KMALLOC, 0, kmalloc_index_size(idx));
	list_add(&s->list, &g->slab_caches);
	s->refcount = 1;
	g->kmalloc_caches[type][idx] = s;
}

/* Linux's create_kmalloc_caches(): every type, sizes in the order Linux
 * creates them (96 after 64, 192 after 128), skipping those the
 * allocator created early (SLAB's cache of kmem_cache_node). Sizes below
 * the allocator's smallest cache share it (SLAB: kmalloc-32). */
static void create_kmalloc_caches(void)
{
	unsigned int low = g->ops->kmalloc_shift_low ?: KMALLOC_SHIFT_LOW;

	if (g->ops->kmalloc)
		return; /* SLOB has no kmalloc caches */
	for (int type = KMALLOC_NORMAL; type < NR_KMALLOC_TYPES; type++) {
		if (type == KMALLOC_DMA && !arch_has_zone(M->arch, ZONE_DMA)) {
			memcpy(g->kmalloc_caches[type],
			       g->kmalloc_caches[KMALLOC_NORMAL],
			       sizeof(g->kmalloc_caches[type]));
			continue;
		}
		for (unsigned int i = low; i <= KMALLOC_SHIFT_HIGH; i++) {
			if (!g->kmalloc_caches[type][i])
				new_kmalloc_cache(
					i, (enum kmalloc_cache_type)type);
			if (i == 6 && !g->kmalloc_caches[type][1])
				new_kmalloc_cache(
					1, (enum kmalloc_cache_type)type);
			if (i == 7 && !g->kmalloc_caches[type][2])
				new_kmalloc_cache(
					2, (enum kmalloc_cache_type)type);
		}
		for (unsigned int i = KMALLOC_SHIFT_LOW; i < low; i++)
			g->kmalloc_caches[type][i] =
				g->kmalloc_caches[type][low];
	}
}

gfp_t kmalloc_fix_flags(gfp_t flags)
{
	gfp_t invalid = flags & GFP_SLAB_BUG_MASK;
	struct seq_file a, b;

	flags &= ~GFP_SLAB_BUG_MASK;
	seq_init(&a);
	seq_init(&b);
	format_gfp_flags(&a, invalid);
	format_gfp_flags(&b, flags);
	pr_warn("Unexpected gfp: %#x (%s). Fixing up to gfp: %#x (%s). Fix your code!\n",
		invalid, seq_text(&a), flags, seq_text(&b));
	seq_release(&a);
	seq_release(&b);
	return flags;
}

/* Above KMALLOC_MAX_CACHE_SIZE: whole pages (a compound page marked
 * large_kmalloc), counted as unreclaimable slab as in Linux. Orders above
 * MAX_PAGE_ORDER fail in the page allocator with its warning. */
void *kmalloc_large_node(size_t size, gfp_t flags, int node)
{
	unsigned order = get_order(size);
	struct page *page;

	if (unlikely(flags & GFP_SLAB_BUG_MASK))
		flags = kmalloc_fix_flags(flags);
	if (order > MAX_PAGE_ORDER) {
		if (!(flags & __GFP_NOWARN))
			WARN(1,
			     "kmalloc: %zu bytes exceed KMALLOC_MAX_SIZE (%lu)\n",
			     size, KMALLOC_MAX_SIZE);
		return NULL;
	}
	page = alloc_pages_node(node, flags | __GFP_COMP, order);
	if (!page)
		return NULL;
	__SetPageLargeKmalloc(page);
	__mod_node_page_state(page_pgdat(page), NR_SLAB_UNRECLAIMABLE_B,
			      (long)(PAGE_SIZE << order));
	return page_address(page);
}

static void free_large_kmalloc(struct page *page, const void *object)
{
	unsigned order = compound_order(page);

	if (WARN(object != page_address(page),
		 "kfree: invalid pointer 0x%0*lx inside a large kmalloc at 0x%0*lx\n",
		 kaddr_width(), kaddr(object), kaddr_width(),
		 kaddr(page_address(page))))
		return;
	__mod_node_page_state(page_pgdat(page), NR_SLAB_UNRECLAIMABLE_B,
			      -(long)(PAGE_SIZE << order));
	__ClearPageType(page);
	__free_pages(page, order);
}

static noinline __cold void *kmalloc_too_early(void)
{
	WARN(1, "kmalloc: the slab allocator is not up yet\n");
	return NULL;
}

/* kmalloc and kmalloc_node: each its own copy, so that neither is a call
 * more. */
static __always_inline void *__kmalloc_node(size_t size, gfp_t gfp, int node)
{
	struct slab_globals *sg;
	struct kmem_cache *s;

	/* size 0 wraps: one test for both ends */
	if (unlikely(size - 1 >= KMALLOC_MAX_CACHE_SIZE))
		return size ? kmalloc_large_node(size, gfp, node) :
			      ZERO_SIZE_PTR;
	sg = g;
	/* the table is NULL until boot creates the caches; the plain
	 * caches' row is indexed without the type's arithmetic */
	if (likely(!(gfp & (__GFP_DMA | __GFP_RECLAIMABLE | __GFP_ACCOUNT))))
		s = sg->kmalloc_caches[KMALLOC_NORMAL]
				      [kmalloc_size_index[(size - 1) / 8]];
	else
		s = sg->kmalloc_caches[kmalloc_type(gfp)]
				      [kmalloc_size_index[(size - 1) / 8]];
	if (unlikely(!s))
		return sg->ops && sg->ops->kmalloc ?
			       (sg->ops->kmalloc)(size, gfp, node) :
			       kmalloc_too_early();
	return sg->ops->alloc(s, gfp, node);
}

void *(kmalloc_node)(size_t size, gfp_t gfp, int node)
{
	return __kmalloc_node(size, gfp, node);
}

void *(kmalloc)(size_t size, gfp_t gfp)
{
	return __kmalloc_node(size, gfp, NUMA_NO_NODE);
}

void *(kmalloc_array)(size_t n, size_t size, gfp_t gfp)
{
	size_t bytes;

	if (unlikely(__builtin_mul_overflow(n, size, &bytes)))
		return NULL;
	return (kmalloc)(bytes, gfp);
}

/* The page of a kmalloc'ed object, or NULL after reporting what the
 * pointer is not. */
static noinline __cold void kmalloc_page_misuse(const void *object,
						const struct page *page,
						const char *func)
{
	if (!page) {
		WARN(1, "%s: invalid pointer (not a kernel address)\n", func);
		return;
	}
	WARN(1, "%s: invalid pointer 0x%0*lx\n", func, kaddr_width(),
	     kaddr(object));
	dump_page(page, "Not a kmalloc allocation");
}

static inline struct page *kmalloc_page(const void *object, const char *func)
{
	struct page *page = virt_to_page_or_null(object);

	if (likely(page)) {
		page = compound_head(page);
		if (likely(PageSlab(page) || PageLargeKmalloc(page)))
			return page;
	}
	kmalloc_page_misuse(object, page, func);
	return NULL;
}

/* kfree of anything but a slab object: a large kmalloc, or a pointer
 * kmalloc never returned (reported). */
static noinline void kfree_nonslab(const void *object)
{
	struct page *page = kmalloc_page(object, "kfree");

	if (page)
		free_large_kmalloc(page, object);
}

void(kfree)(const void *object)
{
	struct page *page;

	if (unlikely(ZERO_OR_NULL_PTR(object)))
		return;
	page = virt_to_slab(object);
	if (unlikely(!page))
		return kfree_nonslab(object);
	g->ops->free(page->slab_cache, page, (void *)object);
}

size_t ksize(const void *object)
{
	struct page *page;

	if (unlikely(ZERO_OR_NULL_PTR(object)))
		return 0;
	page = kmalloc_page(object, "ksize");
	if (!page)
		return 0;
	if (PageSlab(page))
		return page->slab_cache ? g->ops->ksize(page->slab_cache) :
					  g->ops->kmalloc_size(object);
	if (WARN_ON(object != page_address(page)))
		return 0;
	return PAGE_SIZE << compound_order(page);
}

void *(krealloc)(const void *p, size_t new_size, gfp_t gfp)
{
	size_t ks = 0;
	void *ret;

	if (unlikely(!new_size)) {
		(kfree)(p);
		return ZERO_SIZE_PTR;
	}
	if (!ZERO_OR_NULL_PTR(p))
		ks = ksize(p);
	if (ks >= new_size)
		return (void *)p;
	ret = (kmalloc)(new_size, gfp);
	if (ret && !ZERO_OR_NULL_PTR(p)) {
		memcpy(ret, p, ks);
		(kfree)(p);
	}
	return ret;
}

void *(kmemdup)(const void *src, size_t len, gfp_t gfp)
{
	void *p = (kmalloc)(len, gfp);

	if (p && len)
		memcpy(p, src, len);
	return p;
}

char *(kstrndup)(const char *s, size_t max, gfp_t gfp)
{
	size_t len;
	char *buf;

	if (!s)
		return NULL;
	len = strnlen(s, max);
	buf = (kmalloc)(len + 1, gfp);
	if (buf) {
		memcpy(buf, s, len);
		buf[len] = '\0';
	}
	return buf;
}

char *(kstrdup)(const char *s, gfp_t gfp)
{
	return s ? (kstrndup)(s, strlen(s), gfp) : NULL;
}

/* ---- boot --------------------------------------------------------------- */

/* Nodes with memory slab pages can come from (N_NORMAL_MEMORY). */
static unsigned long normal_memory_nodes(void)
{
	unsigned long mask = 0;
	int nid;

	for_each_online_node(nid)
		for (int z = ZONE_DMA; z <= ZONE_NORMAL; z++)
			if (populated_zone(&NODE_DATA(nid)->node_zones[z]))
				mask |= 1UL << nid;
	return mask;
}

/* CONFIG_SLUB, CONFIG_SLAB, CONFIG_SLOB: the machine's --slab. */
static const struct slab_allocator_ops *const allocators[] = {
	[SLAB_IMPL_SLUB] = &slub_ops,
	[SLAB_IMPL_SLAB] = &slab_ops,
	[SLAB_IMPL_SLOB] = &slob_ops,
};

/* The window of virt_to_slab: node 0's mem_map up to the end of the
 * direct map. */
static void set_slab_memmap(void)
{
	const pg_data_t *pgdat = NODE_DATA(0);
	unsigned long start;

	if (!pgdat || pgdat->node_start_pfn >= M->max_low_pfn)
		return;
	start = pgdat->node_start_pfn;
	g->memmap = pgdat->node_mem_map;
	g->memmap_start_pfn = start;
	g->memmap_pfns = min(pgdat->node_spanned_pages, M->max_low_pfn - start);
}

void kmem_cache_init(void)
{
	if (sizeof(struct slab_globals) > M->image.rwdata) {
		pr_emerg("kmem_cache_init: kernel .data too small for slab\n");
		BUG_REPORT();
		return;
	}
	if (WARN(g->state != DOWN, "kmem_cache_init: called twice\n"))
		return;
	memset(g, 0, sizeof(*g));
	INIT_LIST_HEAD(&g->slab_caches);
	INIT_LIST_HEAD(&g->aliases);
	INIT_LIST_HEAD(&g->shrinkers);
	g->ops = allocators[M->cfg.slab];
	g->slab_nodes = normal_memory_nodes();
	set_slab_memmap();
	g->ops->init();
	create_kmalloc_caches();
	g->state = UP;
	if (g->ops->init_late)
		g->ops->init_late();
}

/* ---- shrinkers ---------------------------------------------------------- */

int register_shrinker(struct shrinker *shrinker)
{
	shrinker->nr_deferred =
		kcalloc((size_t)M->nr_nodes, sizeof(long), GFP_KERNEL);
	if (!shrinker->nr_deferred)
		return -ENOMEM;
	list_add_tail(&shrinker->list, &g->shrinkers);
	return 0;
}

void unregister_shrinker(struct shrinker *shrinker)
{
	if (!shrinker->nr_deferred)
		return;
	list_del(&shrinker->list);
	kfree(shrinker->nr_deferred);
	shrinker->nr_deferred = NULL;
}

/* Linux's do_shrink_slab(): scan freeable >> priority objects (scaled by
 * 4 / seeks) plus deferred work, in batches, capped at twice freeable. */
static unsigned long do_shrink_slab(struct shrink_control *sc,
				    struct shrinker *shrinker, int priority)
{
	long batch = shrinker->batch ? shrinker->batch : SHRINK_BATCH;
	int idx = (shrinker->flags & SHRINKER_NUMA_AWARE) ? sc->nid : 0;
	unsigned long freeable = shrinker->count_objects(shrinker, sc);
	unsigned long freed = 0, delta;
	long nr, total_scan, scanned = 0, next;

	if (freeable == 0 || freeable == SHRINK_EMPTY)
		return freeable;
	nr = shrinker->nr_deferred[idx];
	shrinker->nr_deferred[idx] = 0;
	if (shrinker->seeks)
		delta = (freeable >> priority) * 4 / (unsigned)shrinker->seeks;
	else
		delta = freeable / 2;
	total_scan = (nr >> priority) + (long)delta;
	total_scan = min(total_scan, (long)(2 * freeable));
	while (total_scan >= batch || total_scan >= (long)freeable) {
		unsigned long ret;

		sc->nr_to_scan = (unsigned long)min(batch, total_scan);
		sc->nr_scanned = sc->nr_to_scan;
		ret = shrinker->scan_objects(shrinker, sc);
		if (ret == SHRINK_STOP)
			break;
		freed += ret;
		count_vm_events(SLABS_SCANNED, sc->nr_scanned);
		total_scan -= (long)sc->nr_scanned;
		scanned += (long)sc->nr_scanned;
	}
	next = max(nr + (long)delta - scanned, 0L);
	shrinker->nr_deferred[idx] += min(next, (long)(2 * freeable));
	return freed;
}

unsigned long shrink_slab(gfp_t gfp, int nid, int priority)
{
	struct shrinker *shrinker;
	unsigned long freed = 0;

	if (!slab_is_available())
		return 0;
	list_for_each_entry(shrinker, &g->shrinkers, list) {
		struct shrink_control sc = {
			.gfp_mask = gfp,
			.nid = (shrinker->flags & SHRINKER_NUMA_AWARE) ? nid :
									 0,
		};
		unsigned long ret = do_shrink_slab(&sc, shrinker, priority);

		if (ret != SHRINK_EMPTY)
			freed += ret;
	}
	return freed;
}

/* ---- /proc/slabinfo ------------------------------------------------------ */

bool slabinfo_present(void)
{
	return !M || !slab_is_available() || g->ops->get_slabinfo;
}

void slabinfo_show(struct seq_file *m)
{
	struct kmem_cache *s;

	if (!slabinfo_present())
		return;

	seq_puts(m, "slabinfo - version: 2.1\n");
	seq_puts(
		m,
		"# name            <active_objs> <num_objs> <objsize> <objperslab> <pagesperslab>");
	seq_puts(m, " : tunables <limit> <batchcount> <sharedfactor>");
	seq_puts(m, " : slabdata <active_slabs> <num_slabs> <sharedavail>\n");
	if (!slab_is_available())
		return;
	list_for_each_entry(s, &g->slab_caches, list) {
		struct slabinfo sinfo;

		memset(&sinfo, 0, sizeof(sinfo));
		g->ops->get_slabinfo(s, &sinfo);
		seq_printf(m, "%-17s %6lu %6lu %6u %4u %4d", s->name,
			   sinfo.active_objs, sinfo.num_objs, s->size,
			   sinfo.objects_per_slab, 1 << sinfo.cache_order);
		seq_printf(m, " : tunables %4u %4u %4u", sinfo.limit,
			   sinfo.batchcount, sinfo.shared);
		seq_printf(m, " : slabdata %6lu %6lu %6lu\n",
			   sinfo.active_slabs, sinfo.num_slabs,
			   sinfo.shared_avail);
	}
}
