/* Files, inodes and address spaces (include/linux/fs.h), as far as memory
 * management needs them today: the object behind a shared anonymous
 * mapping is an inode of the internal shmem mount with its page cache,
 * reached through a file that every VMA mapping it holds a reference to
 * (vma->vm_file, taken with get_file() and dropped with fput()). Path
 * walks, dentries, super blocks and file descriptors come with the VFS. */
#ifndef MMSIM_FS_FS_H
#define MMSIM_FS_FS_H

#include <stdbool.h>

struct file;
struct inode;
struct page;

/* The page cache of an inode (Linux keeps i_pages in an xarray): a radix
 * tree of 64-slot nodes from kmalloc, index -> struct page. */
struct address_space {
	struct inode *host;
	void *i_pages; /* root node, or NULL when empty */
	unsigned int i_height; /* levels of nodes below the root pointer */
	unsigned long nrpages;
	const struct address_space_operations *a_ops;
};

struct address_space_operations {
	const char *name; /* mmsim: which file system ("shmem") */
};

struct inode {
	unsigned long i_ino;
	long long i_size; /* bytes */
	unsigned long i_flags; /* the VM_NORESERVE of a shmem object */
	struct address_space *i_mapping;
	struct address_space i_data;
};

struct file_operations {
	/* The last reference to the file went (fput). */
	void (*release)(struct inode *inode, struct file *file);
};

struct file {
	long f_count;
	struct inode *f_inode;
	struct address_space *f_mapping;
	const struct file_operations *f_op;
	const char *f_name; /* mmsim: the path d_path() shows */
};

static inline struct inode *file_inode(const struct file *f)
{
	return f->f_inode;
}

static inline struct file *get_file(struct file *f)
{
	f->f_count++;
	return f;
}

/* Drops a reference; the last one releases the file and its inode. */
static inline void fput(struct file *f)
{
	if (--f->f_count == 0 && f->f_op && f->f_op->release)
		f->f_op->release(f->f_inode, f);
}

#endif
