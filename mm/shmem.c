/* Shared anonymous memory (mm/shmem.c): MAP_SHARED|MAP_ANONYMOUS gives the
 * VMA a file of the internal shmem mount ("/dev/zero (deleted)" in maps)
 * sized to the mapping, whose inode keeps the pages by index in its page
 * cache. ->fault finds or allocates the page at vmf->pgoff, so every
 * mapping of the object (mremap, fork) shares it; a fault past the size
 * is SIGBUS. Pages are swap-backed, so they sit on the anon LRU lists, and
 * count in Shmem (nr_shmem), Cached (nr_file_pages) and each mm's
 * RssShmem. The object goes with the last reference to its file. Commit
 * charge: the whole size at creation, or page by page with
 * VM_NORESERVE (shmem_acct_size, shmem_acct_blocks). */
#include "mm/shmem.h"

#include <errno.h>

#include "arch/mmu.h"
#include "kernel/printk.h"
#include "mm/slab.h"
#include "mm/swap.h"
#include "mm/vma.h"
#include "mm/vmstat.h"

/* ---- the page cache: a radix tree of 64-slot nodes ----------------------------- */

#define PC_SHIFT 6
#define PC_SLOTS (1UL << PC_SHIFT)

struct pc_node {
	void *slot[PC_SLOTS];
};

/* Levels of nodes for an object of npages pages (at least one). */
static unsigned int pc_height(unsigned long npages)
{
	unsigned int h = 1;

	while (h * PC_SHIFT < 64 && npages > 1UL << (h * PC_SHIFT))
		h++;
	return h;
}

static unsigned int pc_offset(unsigned long index, unsigned int level)
{
	return (unsigned int)((index >> (level * PC_SHIFT)) & (PC_SLOTS - 1));
}

struct page *shmem_find_page(struct address_space *mapping, unsigned long index)
{
	void *node = mapping->i_pages;

	for (unsigned int l = mapping->i_height; node && l-- > 0;)
		node = ((struct pc_node *)node)->slot[pc_offset(index, l)];
	return node;
}

/* The slot for index, allocating the nodes on the way; NULL on ENOMEM. */
static void **pc_slot(struct address_space *mapping, unsigned long index)
{
	void **slot = &mapping->i_pages;

	for (unsigned int l = mapping->i_height; l-- > 0;) {
		if (!*slot) {
			*slot = kzalloc(sizeof(struct pc_node), GFP_KERNEL);
			if (!*slot)
				return NULL;
		}
		slot = &((struct pc_node *)*slot)->slot[pc_offset(index, l)];
	}
	return slot;
}

/* Calls fn on every page below node (at level), then frees the nodes. */
static void pc_destroy(void *node, unsigned int level,
		       void (*fn)(struct page *page))
{
	struct pc_node *n = node;

	if (!node)
		return;
	if (level == 0) {
		fn(node);
		return;
	}
	for (unsigned long i = 0; i < PC_SLOTS; i++)
		pc_destroy(n->slot[i], level - 1, fn);
	kfree(n);
}

/* ---- pages ----------------------------------------------------------------------- */

static void shmem_stat(struct page *page, long n)
{
	__mod_node_page_state(page_pgdat(page), NR_FILE_PAGES, n);
	__mod_node_page_state(page_pgdat(page), NR_SHMEM, n);
}

/* A new page joins the object at index (shmem_add_to_page_cache). */
static int shmem_add_to_page_cache(struct address_space *mapping,
				   struct page *page, unsigned long index)
{
	void **slot = pc_slot(mapping, index);

	if (!slot)
		return -ENOMEM;
	*slot = page;
	page->mapping = mapping;
	page->index = index;
	page->flags |= 1UL << PG_swapbacked | 1UL << PG_uptodate;
	mapping->nrpages++;
	shmem_stat(page, 1);
	lru_cache_add(page);
	return 0;
}

/* The page leaves the page cache; the cache's reference goes. */
static void shmem_delete_from_page_cache(struct page *page)
{
	struct address_space *mapping = page->mapping;

	mapping->nrpages--;
	shmem_stat(page, -1);
	page->mapping = NULL;
	put_page(page);
}

/* VM_NORESERVE objects charge each page they allocate. */
static bool shmem_acct_blocks(const struct inode *inode, long pages)
{
	if (!(inode->i_flags & VM_NORESERVE))
		return true;
	return !security_vm_enough_memory_mm(current->mm, pages);
}

static void shmem_unacct_blocks(const struct inode *inode, long pages)
{
	if (inode->i_flags & VM_NORESERVE)
		vm_unacct_memory(pages);
}

static unsigned long shmem_npages(const struct inode *inode)
{
	return (unsigned long)((inode->i_size + PAGE_SIZE - 1) >> PAGE_SHIFT);
}

/* The page at index, allocated zeroed when the object has none yet
 * (shmem_get_folio_gfp with SGP_CACHE). */
static struct page *shmem_get_page(struct inode *inode, unsigned long index,
				   unsigned *fault)
{
	struct address_space *mapping = inode->i_mapping;
	struct page *page = shmem_find_page(mapping, index);

	if (page)
		return page;
	*fault = VM_FAULT_OOM;
	if (!shmem_acct_blocks(inode, 1))
		return NULL;
	page = alloc_pages(GFP_HIGHUSER_MOVABLE | __GFP_ZERO, 0);
	if (page && shmem_add_to_page_cache(mapping, page, index)) {
		put_page(page);
		page = NULL;
	}
	if (!page)
		shmem_unacct_blocks(inode, 1);
	else
		cost_charge(COST_ZERO_PAGE); /* clear_highpage() */
	return page;
}

/* ->fault: the page at vmf->pgoff, with a reference for the mapping. */
static unsigned shmem_fault(struct vm_fault *vmf)
{
	struct inode *inode = file_inode(vmf->vma->vm_file);
	unsigned fault = 0;
	struct page *page;

	if (vmf->pgoff >= shmem_npages(inode))
		return VM_FAULT_SIGBUS;
	page = shmem_get_page(inode, vmf->pgoff, &fault);
	if (!page)
		return fault;
	get_page(page);
	vmf->page = page;
	return 0;
}

static const struct vm_operations_struct shmem_anon_vm_ops = {
	.fault = shmem_fault,
};

static const struct address_space_operations shmem_aops = {
	.name = "shmem",
};

bool vma_is_anon_shmem(const struct vm_area_struct *vma)
{
	return vma->vm_ops == &shmem_anon_vm_ops;
}

bool shmem_mapping(const struct address_space *mapping)
{
	return mapping && mapping->a_ops == &shmem_aops;
}

/* ---- the object ------------------------------------------------------------------- */

static void shmem_free_page(struct page *page);

void shmem_reclaim_page(struct page *page)
{
	struct address_space *mapping = page->mapping;

	*pc_slot(mapping, page->index) = NULL;
	shmem_free_page(page);
}

/* A shmem file and its inode, allocated together. */
struct shmem_object {
	struct inode inode;
	struct file file;
};

static void shmem_free_page(struct page *page)
{
	shmem_unacct_blocks(((struct address_space *)page->mapping)->host, 1);
	shmem_delete_from_page_cache(page);
}

/* The last reference to the file: every page and the charge go
 * (shmem_evict_inode). */
static void shmem_release(struct inode *inode, struct file *file)
{
	struct shmem_object *obj = (struct shmem_object *)inode;
	struct address_space *mapping = inode->i_mapping;

	(void)file;
	pc_destroy(mapping->i_pages, mapping->i_height, shmem_free_page);
	mapping->i_pages = NULL;
	if (!(inode->i_flags & VM_NORESERVE))
		vm_unacct_memory((long)shmem_npages(inode));
	kfree(obj);
}

static const struct file_operations shmem_file_operations = {
	.release = shmem_release,
};

/* shmem_kernel_file_setup(): a file of size bytes, charged unless
 * VM_NORESERVE. */
static struct file *shmem_file_setup(long long size, vm_flags_t flags)
{
	unsigned long npages =
		(unsigned long)((size + PAGE_SIZE - 1) >> PAGE_SHIFT);
	struct shmem_object *obj;

	if (!(flags & VM_NORESERVE) &&
	    security_vm_enough_memory_mm(current->mm, (long)npages))
		return NULL;
	obj = kzalloc(sizeof(*obj), GFP_KERNEL);
	if (!obj) {
		if (!(flags & VM_NORESERVE))
			vm_unacct_memory((long)npages);
		return NULL;
	}
	obj->inode.i_ino = ++M->last_ino;
	obj->inode.i_size = size;
	obj->inode.i_flags = flags & VM_NORESERVE;
	obj->inode.i_mapping = &obj->inode.i_data;
	obj->inode.i_data.host = &obj->inode;
	obj->inode.i_data.i_height = pc_height(npages);
	obj->inode.i_data.a_ops = &shmem_aops;
	obj->file.f_count = 1;
	obj->file.f_inode = &obj->inode;
	obj->file.f_mapping = obj->inode.i_mapping;
	obj->file.f_op = &shmem_file_operations;
	obj->file.f_name = SHMEM_ZERO_NAME;
	return &obj->file;
}

int shmem_zero_setup(struct vm_area_struct *vma)
{
	struct file *file = shmem_file_setup(
		(long long)(vma->vm_end - vma->vm_start), vma->vm_flags);

	if (!file)
		return -ENOMEM;
	if (vma->vm_file)
		fput(vma->vm_file);
	vma->vm_file = file;
	vma->vm_ops = &shmem_anon_vm_ops;
	return 0;
}

/* ---- punching holes ------------------------------------------------------------------ */

/* Unmaps pages [start, end) of file from every VMA mapping them
 * (unmap_mapping_range; mmsim walks every mm instead of i_mmap). */
static void unmap_mapping_range(struct file *file, unsigned long start,
				unsigned long end)
{
	struct mm_struct *mm;

	list_for_each_entry(mm, &M->mmu->mms, mm_node) {
		for (struct vm_area_struct *v = mm->mmap; v; v = v->vm_next) {
			unsigned long first = v->vm_pgoff;
			unsigned long last = first + vma_pages(v);
			unsigned long s, e;

			if (v->vm_file != file || last <= start || first >= end)
				continue;
			s = v->vm_start +
			    ((max(start, first) - first) << PAGE_SHIFT);
			e = v->vm_start +
			    ((min(end, last) - first) << PAGE_SHIFT);
			zap_page_range_single(v, s, e - s);
		}
	}
}

/* Frees the pages of [start, end) below *slot, which covers the
 * indexes from base at level; empty subtrees are skipped. */
static void pc_punch(void **slot, unsigned int level, unsigned long base,
		     unsigned long start, unsigned long end)
{
	struct pc_node *n = *slot;
	unsigned long span;

	if (!n)
		return;
	if (level == 0) {
		*slot = NULL;
		shmem_free_page((struct page *)n);
		return;
	}
	span = 1UL << ((level - 1) * PC_SHIFT);
	for (unsigned long i = 0; i < PC_SLOTS; i++) {
		unsigned long lo = base + i * span;

		if (lo < end && lo + span > start)
			pc_punch(&n->slot[i], level - 1, lo, start, end);
	}
}

void shmem_punch_hole(struct file *file, unsigned long start, unsigned long end)
{
	struct address_space *mapping = file->f_mapping;

	unmap_mapping_range(file, start, end);
	pc_punch(&mapping->i_pages, mapping->i_height, 0, start, end);
}
