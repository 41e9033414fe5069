/* vmalloc (include/linux/vmalloc.h): virtually contiguous kernel memory
 * built from single pages, mapped in init_mm's page tables in the arch's
 * vmalloc range, with a guard page after each area; vmap() of given
 * pages; the kernel virtual-area allocator behind them (struct
 * vmap_area, lowest-address fit, lazily purged frees); /proc/vmallocinfo
 * and meminfo's Vmalloc lines.
 *
 * Addresses: a vmalloc pointer is a host pointer, as every kernel pointer
 * in mmsim is, into a host window that maps the same RAM frames as the
 * area's page-table entries (so kernel code reads and writes it like any
 * memory, and touching a guard page faults the host). vmalloc_va() gives
 * the kernel virtual address (0xffffc9...) that page tables, translate()
 * and /proc/vmallocinfo use; vmalloc_ptr() goes back. */
#ifndef MMSIM_MM_VMALLOC_H
#define MMSIM_MM_VMALLOC_H

#include <stdbool.h>
#include <stdint.h>

#include "base/list.h"
#include "base/rbtree.h"
#include "base/seq_file.h"
#include "mm/gfp.h"
#include "mm/pgtable.h"

/* vm_struct flags. */
#define VM_IOREMAP 0x00000001 /* ioremap() and friends */
#define VM_ALLOC 0x00000002 /* vmalloc() */
#define VM_MAP 0x00000004 /* vmap()ed pages */
#define VM_USERMAP 0x00000008 /* suitable for remap_vmalloc_range */
#define VM_DMA_COHERENT 0x00000010 /* dma_alloc_coherent */
#define VM_UNINITIALIZED 0x00000020 /* not fully set up yet */
#define VM_NO_GUARD 0x00000040 /* no guard page after the area */
#define VM_KASAN 0x00000080
#define VM_FLUSH_RESET_PERMS 0x00000100
#define VM_MAP_PUT_PAGES 0x00000200 /* vfree puts the pages and the array */
#define VM_ALLOW_HUGE_VMAP 0x00000400
#define VM_DEFER_KMEMLEAK 0x00000800
#define VM_SPARSE 0x00001000

/* An area handed out by get_vm_area() or vmalloc() (kmalloc'ed). */
struct vm_struct {
	struct vm_struct *next; /* early registration (unused) */
	void *addr; /* host pointer of the first byte (vmalloc_ptr) */
	unsigned long size; /* bytes, guard page included */
	unsigned long flags;
	struct page **pages;
	unsigned int page_order;
	unsigned int nr_pages;
	uint64_t phys_addr;
	/* mmsim: the calling function's name (Linux: a return address). */
	const char *caller;
	unsigned long requested_size;
};

/* A range of kernel virtual addresses [va_start, va_end), in the busy
 * tree (vm set), the free tree (subtree_max_size set) or the lazy tree
 * (freed, waiting for the TLB flush of a purge). From the "vmap_area"
 * slab cache. */
struct vmap_area {
	unsigned long va_start;
	unsigned long va_end;
	struct rb_node rb_node; /* address sorted rbtree */
	struct list_head list; /* address sorted list */
	union {
		unsigned long subtree_max_size; /* in the free tree */
		struct vm_struct *vm; /* in the busy tree */
	};
	unsigned long flags; /* vm_map_ram type bits */
};

/* ---- layout ------------------------------------------------------------------ */

/* x86-64: 0xffffc90000000000 + 32 TiB - 1 (5-level: 0xffa0000000000000 +
 * 12800 TiB - 1); i386: high_memory + 8 MiB up to 4 GiB; riscv64: the
 * 64 GiB (Sv48: 32 TiB) below PAGE_OFFSET, VMALLOC_END = PAGE_OFFSET. */
unsigned long vmalloc_start(void);
unsigned long vmalloc_end(void);
#define VMALLOC_START vmalloc_start()
#define VMALLOC_END vmalloc_end()
#define VMALLOC_OFFSET (8UL << 20)

/* meminfo VmallocTotal: (VMALLOC_END - VMALLOC_START) in kB. */
unsigned long vmalloc_total_kb(void);
/* meminfo VmallocUsed: pages of VM_ALLOC areas (vmalloc_nr_pages). */
unsigned long vmalloc_nr_pages(void);

/* Whether addr (a host pointer) lies in the vmalloc window. */
bool is_vmalloc_addr(const void *addr);
#define is_vmalloc_or_module_addr(addr) is_vmalloc_addr(addr)
/* Kernel virtual address of a vmalloc pointer, and back (0 / NULL when
 * outside the window). */
unsigned long vmalloc_va(const void *addr);
void *vmalloc_ptr(unsigned long va);

/* ---- allocation ------------------------------------------------------------ */

/* The caller, recorded for /proc/vmallocinfo, is the calling function's
 * name (__func__), shown as "name+0x0/0x0". */
void *__vmalloc_node_range(unsigned long size, unsigned long align,
			   unsigned long start, unsigned long end, gfp_t gfp,
			   pgprot_t prot, unsigned long vm_flags, int node,
			   const char *caller);
void *__vmalloc_node(unsigned long size, unsigned long align, gfp_t gfp,
		     int node, const char *caller);

#define vmalloc(size) \
	__vmalloc_node(size, 1, GFP_KERNEL, NUMA_NO_NODE, __func__)
#define vzalloc(size) \
	__vmalloc_node(size, 1, GFP_KERNEL | __GFP_ZERO, NUMA_NO_NODE, __func__)
#define vmalloc_node(size, node) \
	__vmalloc_node(size, 1, GFP_KERNEL, node, __func__)
#define vzalloc_node(size, node) \
	__vmalloc_node(size, 1, GFP_KERNEL | __GFP_ZERO, node, __func__)
#define __vmalloc(size, gfp) \
	__vmalloc_node(size, 1, gfp, NUMA_NO_NODE, __func__)

/* Frees a vmalloc()/vmap(VM_MAP_PUT_PAGES) area: pages go back at once,
 * the virtual range after the next lazy purge. NULL is a no-op. */
void vfree(const void *addr);

/* Maps count pages at a new area (prot made non-executable); the pages
 * stay the caller's unless flags has VM_MAP_PUT_PAGES. */
void *vmap_caller(struct page **pages, unsigned int count, unsigned long flags,
		  pgprot_t prot, const char *caller);
#define vmap(pages, count, flags, prot) \
	vmap_caller(pages, count, flags, prot, __func__)
void vunmap(const void *addr);

/* kmalloc, falling back to vmalloc above a page (mm/util.c); kvfree
 * frees either. */
void *kvmalloc_node_caller(size_t size, gfp_t gfp, int node,
			   const char *caller);
#define kvmalloc_node(size, gfp, node) \
	kvmalloc_node_caller(size, gfp, node, __func__)
#define kvmalloc(size, gfp) kvmalloc_node(size, gfp, NUMA_NO_NODE)
#define kvzalloc(size, gfp) kvmalloc(size, (gfp) | __GFP_ZERO)
void kvfree(const void *addr);

/* The page mapped at a vmalloc address (any byte of it), or NULL. */
struct page *vmalloc_to_page(const void *addr);
unsigned long vmalloc_to_pfn(const void *addr);

/* ---- areas ------------------------------------------------------------------ */

struct vm_struct *get_vm_area_caller(unsigned long size, unsigned long flags,
				     const char *caller);
#define get_vm_area(size, flags) get_vm_area_caller(size, flags, __func__)
/* The area starting at addr, or NULL. */
struct vm_struct *find_vm_area(const void *addr);
/* Unmaps the area at addr and frees its range lazily; returns it (the
 * caller frees the vm_struct), or NULL. */
struct vm_struct *remove_vm_area(const void *addr);
void free_vm_area(struct vm_struct *area);
/* Bytes of an area without its guard page. */
static inline unsigned long get_vm_area_size(const struct vm_struct *area)
{
	return area->size - (area->flags & VM_NO_GUARD ? 0 : PAGE_SIZE);
}

/* Purges every lazily freed area now (flushing the TLBs once). */
void vm_unmap_aliases(void);

/* ---- boot, /proc and checks ---------------------------------------------------- */

/* x86-64 mem_init(): the tables under every top-level entry of the
 * vmalloc range (PUDs, or P4Ds with 5 levels), so every pgd shares them. */
void preallocate_vmalloc_pages(void);
/* After kmem_cache_init(), riscv64: the same for its vmalloc range (PMD
 * tables with Sv39, PUD tables with Sv48); nothing on x86. */
void pgtable_cache_init(void);
/* After kmem_cache_init(): the vmap_area cache, the free space and the
 * host window. False when the host cannot reserve the window. */
bool vmalloc_init(void);
/* Teardown of the host side (m need not be current). */
void vmalloc_destroy(struct machine *m);

void vmallocinfo_show(struct seq_file *m);

/* Checks the trees (order, overlaps, subtree_max_size, free space
 * merged), each busy area's page-table entries and host window, and the
 * counters. Prints each violation; returns how many were found. */
unsigned long check_vmalloc_invariants(void);

#endif
