/* Reverse mapping of anonymous pages (mm/rmap.c): anon_vma and
 * anon_vma_chain objects from their slab caches, how VMAs share them
 * across split, merge and fork, the page-level rmap counters (mapcount,
 * nr_anon_pages) and the walk from a page to every PTE that maps it. */
#include "mm/rmap.h"

#include <errno.h>

#include "arch/tlbflush.h"
#include "kernel/printk.h"
#include "mm/slab.h"
#include "mm/swap.h"
#include "mm/vma.h"
#include "mm/vmstat.h"

bool anon_vma_init(void)
{
	M->caches.anon_vma = kmem_cache_create(
		"anon_vma", sizeof(struct anon_vma), 0,
		SLAB_TYPESAFE_BY_RCU | SLAB_PANIC | SLAB_ACCOUNT, NULL);
	M->caches.anon_vma_chain = kmem_cache_create(
		"anon_vma_chain", sizeof(struct anon_vma_chain), 0,
		SLAB_PANIC | SLAB_ACCOUNT, NULL);
	return M->caches.anon_vma && M->caches.anon_vma_chain;
}

static struct anon_vma *anon_vma_alloc(void)
{
	struct anon_vma *av = kmem_cache_zalloc(M->caches.anon_vma, GFP_KERNEL);

	if (!av)
		return NULL;
	av->root = av;
	INIT_LIST_HEAD(&av->avcs);
	return av;
}

static void put_anon_vma(struct anon_vma *av)
{
	while (av && --av->refcount == 0) {
		struct anon_vma *parent = av->parent;

		if (parent)
			parent->num_children--;
		kmem_cache_free(M->caches.anon_vma, av);
		av = parent; /* the child's reference on its parent goes */
	}
}

static int anon_vma_chain_link(struct vm_area_struct *vma, struct anon_vma *av)
{
	struct anon_vma_chain *avc =
		kmem_cache_alloc(M->caches.anon_vma_chain, GFP_KERNEL);

	if (!avc)
		return -ENOMEM;
	avc->vma = vma;
	avc->anon_vma = av;
	list_add(&avc->same_vma, &vma->anon_vma_chain);
	list_add_tail(&avc->same_anon_vma, &av->avcs);
	av->refcount++;
	return 0;
}

/* Linux's anon_vma_compatible(): a and b (a below b) could merge but
 * for their protections. */
static bool anon_vma_compatible(const struct vm_area_struct *a,
				const struct vm_area_struct *b)
{
	return a->vm_end == b->vm_start && a->vm_file == b->vm_file &&
	       !((a->vm_flags ^ b->vm_flags) &
		 ~(VM_ACCESS_FLAGS | VM_SOFTDIRTY)) &&
	       b->vm_pgoff == a->vm_pgoff + vma_pages(a);
}

/* old's anon_vma, if old never forked away from a parent. */
static struct anon_vma *reusable_anon_vma(const struct vm_area_struct *old,
					  const struct vm_area_struct *a,
					  const struct vm_area_struct *b)
{
	if (old && anon_vma_compatible(a, b) && old->anon_vma &&
	    list_is_singular(&old->anon_vma_chain))
		return old->anon_vma;
	return NULL;
}

static struct anon_vma *find_mergeable_anon_vma(struct vm_area_struct *vma)
{
	struct anon_vma *av = NULL;

	if (vma->vm_next)
		av = reusable_anon_vma(vma->vm_next, vma, vma->vm_next);
	if (!av && vma->vm_prev)
		av = reusable_anon_vma(vma->vm_prev, vma->vm_prev, vma);
	return av;
}

int anon_vma_prepare(struct vm_area_struct *vma)
{
	struct anon_vma *av;
	bool fresh = false;

	if (vma->anon_vma)
		return 0;
	av = find_mergeable_anon_vma(vma);
	if (!av) {
		av = anon_vma_alloc();
		if (!av)
			return -ENOMEM;
		fresh = true;
	}
	if (anon_vma_chain_link(vma, av)) {
		if (fresh)
			kmem_cache_free(M->caches.anon_vma, av);
		return -ENOMEM;
	}
	vma->anon_vma = av;
	av->num_active_vmas++;
	return 0;
}

/* fork may reuse an anon_vma no VMA uses any more and with at most one
 * child, so that fork after fork does not deepen the hierarchy for
 * ever. The root is never reused (Linux's root is its own child). */
static bool anon_vma_reusable(const struct anon_vma *av)
{
	return av->parent && av->num_children < 2 && !av->num_active_vmas;
}

int anon_vma_clone(struct vm_area_struct *dst, struct vm_area_struct *src)
{
	struct anon_vma_chain *avc;

	/* Oldest first: the chain list has the newest at its head. */
	list_for_each_entry_reverse(avc, &src->anon_vma_chain, same_vma)
	{
		if (anon_vma_chain_link(dst, avc->anon_vma)) {
			/* Not counted in num_active_vmas yet. */
			dst->anon_vma = NULL;
			unlink_anon_vmas(dst);
			return -ENOMEM;
		}
		if (!dst->anon_vma && src->anon_vma &&
		    anon_vma_reusable(avc->anon_vma))
			dst->anon_vma = avc->anon_vma;
	}
	if (dst->anon_vma)
		dst->anon_vma->num_active_vmas++;
	return 0;
}

int anon_vma_fork(struct vm_area_struct *vma, struct vm_area_struct *pvma)
{
	struct anon_vma *av;

	vma->anon_vma = NULL;
	if (!pvma->anon_vma)
		return 0;
	if (anon_vma_clone(vma, pvma))
		return -ENOMEM;
	if (vma->anon_vma)
		return 0; /* an existing anon_vma was reused */
	av = anon_vma_alloc();
	if (!av || anon_vma_chain_link(vma, av)) {
		if (av)
			kmem_cache_free(M->caches.anon_vma, av);
		unlink_anon_vmas(vma);
		return -ENOMEM;
	}
	av->root = pvma->anon_vma->root;
	av->parent = pvma->anon_vma;
	av->parent->refcount++;
	av->parent->num_children++;
	vma->anon_vma = av;
	av->num_active_vmas++;
	return 0;
}

void unlink_anon_vmas(struct vm_area_struct *vma)
{
	struct anon_vma_chain *avc, *next;

	if (vma->anon_vma)
		vma->anon_vma->num_active_vmas--;
	list_for_each_entry_safe(avc, next, &vma->anon_vma_chain, same_vma) {
		list_del(&avc->same_vma);
		list_del(&avc->same_anon_vma);
		put_anon_vma(avc->anon_vma);
		kmem_cache_free(M->caches.anon_vma_chain, avc);
	}
	vma->anon_vma = NULL;
}

/* ---- page rmap ---------------------------------------------------------- */

void page_add_new_anon_rmap(struct page *page, struct vm_area_struct *vma,
			    unsigned long address)
{
	page->mapping =
		(void *)((unsigned long)vma->anon_vma | PAGE_MAPPING_ANON);
	page->index = linear_page_index(vma, address);
	page->_mapcount = 0;
	page->flags |= 1UL << PG_swapbacked;
	__mod_node_page_state(page_pgdat(page), NR_ANON_MAPPED, 1);
}

void page_remove_rmap(struct page *page, struct vm_area_struct *vma)
{
	(void)vma;
	if (page->_mapcount < 0) {
		dump_page(page, "page_remove_rmap of an unmapped page");
		BUG_REPORT();
		return;
	}
	if (--page->_mapcount >= 0)
		return;
	__mod_node_page_state(page_pgdat(page),
			      PageAnon(page) ? NR_ANON_MAPPED : NR_FILE_MAPPED,
			      -1);
}

/* The PTE of mm at address when it maps pfn, else NULL. */
static pte_t *page_vma_mapped(struct mm_struct *mm, unsigned long address,
			      unsigned long pfn)
{
	pte_t *pte = mm_find_pte(mm, address);

	if (!pte || !pte_present(ptep_get(pte)) ||
	    pte_pfn(ptep_get(pte)) != pfn)
		return NULL;
	return pte;
}

int rmap_walk_anon(struct page *page, rmap_one_fn fn, void *arg)
{
	struct anon_vma *av = page_anon_vma(page);
	unsigned long pfn = page_to_pfn(page);
	struct anon_vma_chain *avc;
	int calls = 0;

	if (!av)
		return 0;
	list_for_each_entry(avc, &av->avcs, same_anon_vma) {
		struct vm_area_struct *vma = avc->vma;
		unsigned long address =
			vma->vm_start +
			((page->index - vma->vm_pgoff) << PAGE_SHIFT);
		pte_t *pte;

		if (page->index < vma->vm_pgoff || address >= vma->vm_end)
			continue;
		pte = page_vma_mapped(vma->vm_mm, address, pfn);
		if (!pte)
			continue;
		calls++;
		if (!fn(page, vma, address, pte, arg))
			break;
	}
	return calls;
}

/* ---- reclaim: references and unmapping ---------------------------------------- */

struct referenced_arg {
	int referenced;
	unsigned long vm_flags;
};

/* folio_referenced_one(): a young PTE counts and is made old. As on x86
 * (ptep_clear_flush_young), the TLB is not flushed: a translation it
 * still holds keeps the page looking unused until it goes. */
static bool page_referenced_one(struct page *page, struct vm_area_struct *vma,
				unsigned long address, pte_t *pte, void *arg)
{
	struct referenced_arg *ra = arg;
	pte_t v = ptep_get(pte);

	(void)page;
	if (vma->vm_flags & VM_LOCKED) {
		ra->vm_flags |= VM_LOCKED;
		return false; /* mlocked: no need to look further */
	}
	if (pte_young(v)) {
		set_pte_at(vma->vm_mm, address, pte, pte_mkold(v));
		ra->referenced++;
	}
	ra->vm_flags |= vma->vm_flags;
	return true;
}

int page_referenced(struct page *page, unsigned long *vm_flags)
{
	struct referenced_arg ra = { 0, 0 };

	if (PageAnon(page) && page_mapped(page))
		rmap_walk_anon(page, page_referenced_one, &ra);
	*vm_flags = ra.vm_flags;
	return ra.referenced;
}

/* try_to_unmap_one() for an anonymous page: the PTE becomes its swap
 * entry (one more reference to the slot), or goes for a clean lazily
 * freed page; false stops the walk when the page must stay. */
static bool try_to_unmap_one(struct page *page, struct vm_area_struct *vma,
			     unsigned long address, pte_t *pte, void *arg)
{
	struct mm_struct *mm = vma->vm_mm;
	bool *ok = arg;
	pte_t v;

	if (vma->vm_flags & VM_LOCKED) {
		*ok = false;
		return false;
	}
	v = ptep_get_and_clear(mm, address, pte);
	flush_tlb_page(vma, address);
	if (pte_dirty(v))
		SetPageDirty(page);
	if (!test_bit_flag(page, PG_swapbacked)) {
		/* MADV_FREE: written again since, it must be kept. */
		if (PageDirty(page)) {
			set_pte_at(mm, address, pte, v);
			page->flags |= 1UL << PG_swapbacked;
			*ok = false;
			return false;
		}
		dec_mm_counter(mm, MM_ANONPAGES);
	} else {
		swp_entry_t entry = page_swap_entry(page);

		if (!PageSwapCache(page) || swap_duplicate(entry)) {
			set_pte_at(mm, address, pte, v);
			*ok = false;
			return false;
		}
		set_pte_at(mm, address, pte, swp_entry_to_pte(entry));
		dec_mm_counter(mm, MM_ANONPAGES);
		inc_mm_counter(mm, MM_SWAPENTS);
	}
	page_remove_rmap(page, vma);
	put_page(page);
	return true;
}

bool try_to_unmap(struct page *page)
{
	bool ok = true;

	if (!PageAnon(page) || !page_mapped(page))
		return !page_mapped(page);
	rmap_walk_anon(page, try_to_unmap_one, &ok);
	return ok && !page_mapped(page);
}

void page_add_anon_rmap(struct page *page, struct vm_area_struct *vma,
			unsigned long address)
{
	if (!page->mapping) {
		/* Other processes of the family may map it too: the oldest
		 * anon_vma, whose chains reach them all (__folio_set_anon). */
		page_add_new_anon_rmap(page, vma, address);
		page->mapping = (void *)((unsigned long)vma->anon_vma->root |
					 PAGE_MAPPING_ANON);
		return;
	}
	if (++page->_mapcount == 0)
		__mod_node_page_state(page_pgdat(page), NR_ANON_MAPPED, 1);
}
