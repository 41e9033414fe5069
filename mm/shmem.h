/* Shared memory objects (include/linux/shmem_fs.h): the shmem file behind
 * a MAP_SHARED|MAP_ANONYMOUS mapping, its page cache, and what the rest
 * of mm asks of it (mincore, MADV_REMOVE, /proc). */
#ifndef MMSIM_MM_SHMEM_H
#define MMSIM_MM_SHMEM_H

#include <stdbool.h>

#include "fs/fs.h"
#include "mm/mm.h"

/* The path /proc/PID/maps shows for a shared anonymous mapping, with
 * the " (deleted)" d_path() appends (the file was never linked). */
#define SHMEM_ZERO_NAME "/dev/zero (deleted)"

/* mmap of shared anonymous memory: vma gets a new shmem file the size of
 * the mapping ("dev/zero" on the internal mount) and shmem's vm_ops.
 * Charges Committed_AS for the size unless VM_NORESERVE. 0, -ENOMEM. */
int shmem_zero_setup(struct vm_area_struct *vma);

/* Whether the VMA maps a shmem object (vma_is_anon_shmem). */
bool vma_is_anon_shmem(const struct vm_area_struct *vma);
bool shmem_mapping(const struct address_space *mapping);

/* The page at index in the object's page cache, or NULL (no reference
 * is taken). */
struct page *shmem_find_page(struct address_space *mapping,
			     unsigned long index);

/* Reclaim drops a clean page no PTE maps from its object (its data is
 * zeros, as a new page's would be). */
void shmem_reclaim_page(struct page *page);

/* Drops the pages of [start, end) (page indexes) from the object after
 * unmapping them from every VMA that maps them (fallocate
 * PUNCH_HOLE, as MADV_REMOVE uses it). */
void shmem_punch_hole(struct file *file, unsigned long start,
		      unsigned long end);

#endif
