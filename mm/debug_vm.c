/* Address-space invariants (what CONFIG_DEBUG_VM's validate_mm(),
 * browse_rb(), check_mm() and print_bad_pte() check in Linux, all at
 * once): the VMA list and tree agree, are sorted, do not overlap and
 * carry the right gaps and counts; every PTE lies in a VMA and allows no
 * more than it; every mapped page's mapcount equals the PTEs of all
 * address spaces that map it, its anon rmap finds it, and it is not
 * free; a shared anonymous page is never writable; the RSS counters
 * equal what the page tables hold. Problems are printed in Linux's
 * words; the checker returns how many it found. */
#include <stdlib.h>

#include "kernel/printk.h"
#include "mm/pagewalk.h"
#include "mm/rmap.h"
#include "mm/slab.h"
#include "mm/swap.h"
#include "mm/vma.h"
#include "mm/vmstat.h"

struct vm_check {
	struct mm_struct *mm;
	uint32_t *ptes; /* PTEs of every mm mapping each pfn */
	struct vm_area_struct *vma; /* the VMA of the last PTE seen */
	long rss[NR_MM_COUNTERS];
	unsigned long problems, page_problems;
};

static void vma_problem(struct vm_check *c)
{
	c->problems++;
}

/* ---- the VMA list and tree (validate_mm, browse_rb) --------------------------- */

static unsigned long vma_gap(const struct vm_area_struct *vma)
{
	unsigned long start = vm_start_gap(vma);
	unsigned long prev_end = vma->vm_prev ? vm_end_gap(vma->vm_prev) : 0;

	return start > prev_end ? start - prev_end : 0;
}

/* vma_compute_subtree_gap(): the largest gap in vma's subtree. */
static unsigned long subtree_gap(const struct vm_area_struct *vma)
{
	unsigned long gap = vma_gap(vma);
	const struct rb_node *l = vma->vm_rb.rb_left, *r = vma->vm_rb.rb_right;

	if (l)
		gap = max(gap, rb_entry(l, struct vm_area_struct, vm_rb)
				       ->rb_subtree_gap);
	if (r)
		gap = max(gap, rb_entry(r, struct vm_area_struct, vm_rb)
				       ->rb_subtree_gap);
	return gap;
}

/* One of vma's chains links it to av. */
static bool anon_vma_linked(const struct vm_area_struct *vma,
			    const struct anon_vma *av)
{
	const struct anon_vma_chain *avc;

	list_for_each_entry(avc, &vma->anon_vma_chain, same_vma)
		if (avc->anon_vma == av && avc->vma == vma)
			return true;
	return false;
}

/* One VMA of the list, after prev. */
static void check_one_vma(struct vm_check *c, const struct vm_area_struct *vma,
			  const struct vm_area_struct *prev)
{
	if (vma->vm_mm != c->mm || vma->vm_prev != prev) {
		pr_emerg("vma %lx-%lx: vm_mm or vm_prev wrong\n", vma->vm_start,
			 vma->vm_end);
		vma_problem(c);
	}
	if (vma->vm_start >= vma->vm_end || offset_in_page(vma->vm_start) ||
	    offset_in_page(vma->vm_end)) {
		pr_emerg("vm_start %lx > vm_end %lx\n", vma->vm_start,
			 vma->vm_end);
		vma_problem(c);
	}
	if (prev && vma->vm_start < prev->vm_end) {
		pr_emerg("vm_start %lx < pend %lx\n", vma->vm_start,
			 prev->vm_end);
		vma_problem(c);
	}
	if (vma->rb_subtree_gap != subtree_gap(vma)) {
		pr_emerg("free gap %lx, correct %lx\n", vma->rb_subtree_gap,
			 subtree_gap(vma));
		vma_problem(c);
	}
	if (vma->anon_vma && !anon_vma_linked(vma, vma->anon_vma)) {
		pr_emerg("vma %lx-%lx: anon_vma not on its anon_vma_chain\n",
			 vma->vm_start, vma->vm_end);
		vma_problem(c);
	}
}

/* The tree in order holds the list's VMAs; returns how many. */
static int browse_rb(struct vm_check *c)
{
	struct vm_area_struct *expect = c->mm->mmap;
	int i = 0;

	for (struct rb_node *rb = rb_first(&c->mm->mm_rb); rb;
	     rb = rb_next(rb)) {
		struct vm_area_struct *vma =
			rb_entry(rb, struct vm_area_struct, vm_rb);

		if (vma != expect) {
			pr_emerg(
				"vma %lx-%lx in the rbtree is not next on the list\n",
				vma->vm_start, vma->vm_end);
			vma_problem(c);
			return -1;
		}
		expect = vma->vm_next;
		i++;
	}
	return i;
}

static void dump_mm(const struct mm_struct *mm)
{
	pr_emerg(
		"mm %0*lx mmap %0*lx task_size %lu\nmmap_base %lu highest_vm_end %lu\npgd %0*lx mm_users %d mm_count %d pgtables_bytes %ld map_count %d\n",
		kaddr_width(), kaddr(mm), kaddr_width(),
		mm->mmap ? kaddr(mm->mmap) : 0UL, mm->task_size, mm->mmap_base,
		mm->highest_vm_end, kaddr_width(), kaddr(mm->pgd), mm->mm_users,
		mm->mm_count, mm->pgtables_bytes, mm->map_count);
}

static void validate_mm(struct vm_check *c)
{
	struct mm_struct *mm = c->mm;
	struct vm_area_struct *vma, *prev = NULL;
	unsigned long highest = 0, before = c->problems;
	int i = 0, rb;

	for (vma = mm->mmap; vma; prev = vma, vma = vma->vm_next) {
		check_one_vma(c, vma, prev);
		highest = vm_end_gap(vma);
		if (++i > mm->map_count + 1)
			break; /* a loop in the list */
	}
	if (i != mm->map_count) {
		pr_emerg("map_count %d vm_next %d\n", mm->map_count, i);
		vma_problem(c);
	}
	if (highest != mm->highest_vm_end) {
		pr_emerg("mm->highest_vm_end %lx, found %lx\n",
			 mm->highest_vm_end, highest);
		vma_problem(c);
	}
	rb = browse_rb(c);
	if (rb >= 0 && rb != mm->map_count) {
		pr_emerg("map_count %d rb %d\n", mm->map_count, rb);
		vma_problem(c);
	}
	if (c->problems != before) {
		dump_mm(mm);
		BUG_REPORT();
	}
}

/* ---- the pages (print_bad_pte, check_mm) -------------------------------------- */

static void bad_pte(struct vm_check *c, unsigned long addr, pte_t pte,
		    struct page *page, const char *why)
{
	pr_alert("BUG: Bad page map in process %s  pte:%016llx addr:%016lx\n",
		 c->mm->owner ? c->mm->owner->comm : "?",
		 (unsigned long long)pte_val(pte), addr);
	if (page)
		dump_page(page, why);
	else
		pr_alert("page dumped because: %s\n", why);
	c->problems++;
	c->page_problems++;
}

/* The VMA holding addr (PTEs come in address order). */
static struct vm_area_struct *pte_vma(struct vm_check *c, unsigned long addr)
{
	if (!c->vma || addr < c->vma->vm_start || addr >= c->vma->vm_end)
		c->vma = vma_lookup(c->mm, addr);
	return c->vma;
}

/* The anon rmap of page finds it at addr of vma. */
static bool anon_rmap_ok(const struct page *page,
			 const struct vm_area_struct *vma, unsigned long addr)
{
	return linear_page_index(vma, addr) == page->index &&
	       anon_vma_linked(vma, page_anon_vma(page));
}

static void check_page(struct vm_check *c, struct vm_area_struct *vma,
		       unsigned long addr, pte_t pte, struct page *page)
{
	unsigned long pfn = page_to_pfn(page);
	int mapcount = page_mapcount(page);

	if (page_type_of(page) >= PGTY_buddy && page_type_of(page) < 0xff) {
		bad_pte(c, addr, pte, page, "mapped page is free or typed");
		return;
	}
	c->rss[mm_counter(page)]++;
	if (c->ptes && (uint32_t)mapcount != c->ptes[pfn])
		bad_pte(c, addr, pte, page,
			"mapcount does not match the PTEs mapping it");
	if (page_ref_count(page) < mapcount)
		bad_pte(c, addr, pte, page, "refcount below mapcount");
	if (!PageAnon(page))
		return;
	if (!anon_rmap_ok(page, vma, addr))
		bad_pte(c, addr, pte, page, "anon rmap does not reach the PTE");
	if (pte_write(pte) && mapcount > 1)
		bad_pte(c, addr, pte, page, "shared anon page mapped writable");
}

static int check_pte(pte_t *ptep, unsigned long addr, unsigned long next,
		     struct mm_walk *walk)
{
	struct vm_check *c = walk->private;
	pte_t pte = ptep_get(ptep);
	struct vm_area_struct *vma;
	unsigned long pfn;

	(void)next;
	if (pte_none(pte))
		return 0;
	vma = pte_vma(c, addr);
	if (!vma) {
		bad_pte(c, addr, pte, NULL, "PTE outside any VMA");
		return 0;
	}
	if (!pte_present(pte)) {
		/* A swap entry must name a slot in use. */
		if (!is_swap_pte(pte) || !M->swap) {
			bad_pte(c, addr, pte, NULL,
				"non-present PTE without swap");
			return 0;
		}
		c->rss[MM_SWAPENTS]++;
		if (!swap_count(pte_to_swp_entry(pte)))
			bad_pte(c, addr, pte, NULL, "swap PTE of a free slot");
		return 0;
	}
	if (pte_write(pte) && !(vma->vm_flags & VM_WRITE))
		bad_pte(c, addr, pte, NULL, "writable PTE in a read-only VMA");
	pfn = pte_pfn(pte);
	if (pte_special(pte) || is_zero_pfn(pfn)) {
		if (is_zero_pfn(pfn) && pte_write(pte))
			bad_pte(c, addr, pte, NULL,
				"zero page mapped writable");
		return 0;
	}
	if (!pfn_valid(pfn)) {
		bad_pte(c, addr, pte, NULL, "pfn outside RAM");
		return 0;
	}
	check_page(c, vma, addr, pte, pfn_to_page(pfn));
	return 0;
}

static const struct mm_walk_ops check_ops = { .pte_entry = check_pte };

static void check_rss(struct vm_check *c)
{
	static const char *const names[NR_MM_COUNTERS] = {
		"MM_FILEPAGES", "MM_ANONPAGES", "MM_SWAPENTS", "MM_SHMEMPAGES"
	};

	for (int i = 0; i < NR_MM_COUNTERS; i++) {
		if (c->mm->rss_stat[i] == c->rss[i])
			continue;
		pr_alert(
			"BUG: Bad rss-counter state mm:%0*lx type:%s val:%ld (page tables map %ld)\n",
			kaddr_width(), kaddr(c->mm), names[i],
			c->mm->rss_stat[i], c->rss[i]);
		c->problems++;
	}
}

/* ---- counting every mm's PTEs ------------------------------------------------- */

/* The mms user processes own (not init_mm, not raw ones of benchmarks). */
static bool user_mm(const struct mm_struct *mm)
{
	return mm != &init_mm && mm->mm_count > 0 && mm->pgd;
}

static int count_pte(pte_t *ptep, unsigned long addr, unsigned long next,
		     struct mm_walk *walk)
{
	uint32_t *ptes = walk->private;
	pte_t pte = ptep_get(ptep);
	unsigned long pfn = pte_pfn(pte);

	(void)addr;
	(void)next;
	if (pte_present(pte) && !pte_special(pte) && pfn < M->max_pfn)
		ptes[pfn]++;
	return 0;
}

static const struct mm_walk_ops count_ops = { .pte_entry = count_pte };

static uint32_t *count_all_ptes(void)
{
	uint32_t *ptes = calloc(M->max_pfn, sizeof(*ptes));
	struct mm_struct *mm;

	if (!ptes)
		return NULL;
	list_for_each_entry(mm, &M->mmu->mms, mm_node)
		if (user_mm(mm))
			walk_page_range(mm, 0, TASK_SIZE_MAX, &count_ops, NULL,
					ptes);
	return ptes;
}

/* Pages with a mapcount that no PTE maps, and NR_ANON_MAPPED. */
static unsigned long check_mem_map(const uint32_t *ptes)
{
	unsigned long problems = 0, anon = 0;

	for (unsigned long pfn = 0; pfn < M->max_pfn; pfn++) {
		struct page *page;
		int mapcount;

		if (!pfn_valid(pfn))
			continue;
		page = pfn_to_page(pfn);
		mapcount = page_mapcount(page);
		if (mapcount > 0 && PageAnon(page) && !is_zero_pfn(pfn))
			anon++;
		if (mapcount <= 0 || ptes[pfn] || is_zero_pfn(pfn))
			continue;
		pr_alert(
			"BUG: page pfn:%05lx has mapcount %d but no PTE maps it\n",
			pfn, mapcount);
		dump_page(page, "mapcount without PTEs");
		problems++;
	}
	if (anon != global_node_page_state(NR_ANON_MAPPED)) {
		pr_alert("BUG: nr_anon_pages is %lu, mapped anon pages %lu\n",
			 global_node_page_state(NR_ANON_MAPPED), anon);
		problems++;
	}
	return problems;
}

/* ---- swap: slot counts against the PTEs ------------------------------------------- */

struct swap_refs {
	uint32_t *refs[MAX_SWAPFILES];
};

static int count_swap_pte(pte_t *ptep, unsigned long addr, unsigned long next,
			  struct mm_walk *walk)
{
	struct swap_refs *r = walk->private;
	pte_t pte = ptep_get(ptep);
	swp_entry_t e;

	(void)addr;
	(void)next;
	if (!is_swap_pte(pte))
		return 0;
	e = pte_to_swp_entry(pte);
	if (swp_type(e) < MAX_SWAPFILES && r->refs[swp_type(e)] &&
	    swp_offset(e) < M->swap->swap_info[swp_type(e)]->max)
		r->refs[swp_type(e)][swp_offset(e)]++;
	return 0;
}

static const struct mm_walk_ops count_swap_ops = { .pte_entry =
							   count_swap_pte };

/* Each slot's count is the PTEs that hold it, its cache bit says whether
 * the swap cache has its page; nr_swapcached and the free slots add up. */
static unsigned long check_one_swap_area(struct swap_info_struct *si,
					 const uint32_t *refs, long *cached,
					 long *free)
{
	unsigned long problems = 0;

	for (unsigned long off = 1; off < si->max; off++) {
		unsigned char c = si->swap_map[off];
		bool has_cache = c & SWAP_HAS_CACHE;

		if (si->swap_cache[off])
			(*cached)++;
		if (!c && (si->flags & SWP_WRITEOK))
			(*free)++;
		if ((c & ~SWAP_HAS_CACHE) == refs[off] &&
		    has_cache == (si->swap_cache[off] != NULL))
			continue;
		pr_alert(
			"BUG: swap slot %d:%lu has count %d%s, %u PTEs and %s page in the swap cache\n",
			si->type, off, c & ~SWAP_HAS_CACHE,
			has_cache ? "+cache" : "", refs[off],
			si->swap_cache[off] ? "a" : "no");
		problems++;
	}
	return problems;
}

/* Shadow entries (mm/workingset.c) sit only at slots in use whose page
 * is not in the swap cache; each 64-slot node's counts are right, and
 * the nodes holding only shadows add up to workingset_nodes. */
static unsigned long check_shadows(struct swap_info_struct *si, long *shadows,
				   long *nodes)
{
	unsigned long problems = 0;

	for (unsigned long n = 0; n * XA_CHUNK_SIZE < si->max; n++) {
		unsigned int count = 0, values = 0;

		for (unsigned long off = n * XA_CHUNK_SIZE;
		     off < min((n + 1) * XA_CHUNK_SIZE, (unsigned long)si->max);
		     off++) {
			unsigned char c = si->swap_map[off];

			count += si->swap_cache[off] || si->shadows[off];
			if (!si->shadows[off])
				continue;
			values++;
			if (si->swap_cache[off] || (c & SWAP_HAS_CACHE) ||
			    !(c & ~SWAP_HAS_CACHE) || c == SWAP_MAP_BAD) {
				pr_alert(
					"BUG: shadow entry at swap slot %d:%lu with count %d%s\n",
					si->type, off, c & ~SWAP_HAS_CACHE,
					c & SWAP_HAS_CACHE ? "+cache" : "");
				problems++;
			}
		}
		if (count != si->xa_nodes[n].count ||
		    values != si->xa_nodes[n].nr_values) {
			pr_alert(
				"BUG: swap cache node %d:%lu counts %u entries, %u shadows; holds %u, %u\n",
				si->type, n, si->xa_nodes[n].count,
				si->xa_nodes[n].nr_values, count, values);
			problems++;
		}
		*shadows += values;
		*nodes += values && values == count;
	}
	return problems;
}

static unsigned long check_swap(void)
{
	struct swap_refs r = { { NULL } };
	unsigned long problems = 0;
	long cached = 0, free_slots = 0, shadows = 0, nodes = 0;
	struct mm_struct *mm;

	if (!M->swap)
		return 0;
	for (int t = 0; t < M->swap->nr_swapfiles; t++)
		if (M->swap->swap_info[t])
			problems += check_shadows(M->swap->swap_info[t],
						  &shadows, &nodes);
	if (shadows != M->swap->nr_shadows ||
	    nodes != (long)global_node_page_state(WORKINGSET_NODES)) {
		pr_alert(
			"BUG: %ld shadow entries in %ld nodes, counted %ld in %lu nodes\n",
			shadows, nodes, M->swap->nr_shadows,
			global_node_page_state(WORKINGSET_NODES));
		problems++;
	}
	for (int t = 0; t < M->swap->nr_swapfiles; t++) {
		struct swap_info_struct *si = M->swap->swap_info[t];

		if (si && !(r.refs[t] = calloc(si->max, sizeof(uint32_t))))
			goto out;
	}
	list_for_each_entry(mm, &M->mmu->mms, mm_node)
		if (user_mm(mm))
			walk_page_range(mm, 0, TASK_SIZE_MAX, &count_swap_ops,
					NULL, &r);
	for (int t = 0; t < M->swap->nr_swapfiles; t++)
		if (r.refs[t])
			problems += check_one_swap_area(M->swap->swap_info[t],
							r.refs[t], &cached,
							&free_slots);
	if (cached != (long)global_node_page_state(NR_SWAPCACHE)) {
		pr_alert(
			"BUG: nr_swapcached is %lu, pages in the swap cache %ld\n",
			global_node_page_state(NR_SWAPCACHE), cached);
		problems++;
	}
	if (free_slots != get_nr_swap_pages()) {
		pr_alert("BUG: nr_swap_pages is %ld, free slots %ld\n",
			 get_nr_swap_pages(), free_slots);
		problems++;
	}
out:
	for (int t = 0; t < MAX_SWAPFILES; t++)
		free(r.refs[t]);
	return problems;
}

/* ---- the checker -------------------------------------------------------------------- */

static unsigned long check_one_mm(struct mm_struct *mm, uint32_t *ptes)
{
	struct vm_check c = { .mm = mm, .ptes = ptes };

	validate_mm(&c);
	walk_page_range(mm, 0, TASK_SIZE_MAX, &check_ops, NULL, &c);
	check_rss(&c);
	if (c.page_problems)
		add_taint(TAINT_BAD_PAGE);
	return c.problems;
}

unsigned long check_mm_invariants(struct mm_struct *mm)
{
	uint32_t *ptes = count_all_ptes();
	unsigned long problems = 0;

	if (!ptes)
		pr_err("check_mm_invariants: out of host memory, mapcounts not checked\n");
	if (mm) {
		problems = check_one_mm(mm, ptes);
	} else {
		list_for_each_entry(mm, &M->mmu->mms, mm_node)
			if (user_mm(mm))
				problems += check_one_mm(mm, ptes);
		if (ptes)
			problems += check_mem_map(ptes);
		problems += check_swap();
	}
	free(ptes);
	return problems;
}
