/* Executing a program (include/linux/binfmts.h, fs/exec.c): the image a
 * caller describes (segments with their protections and optional bytes,
 * an entry point, argv and envp) replaces current's address space, as
 * load_elf_binary() would build it from an ELF file. */
#ifndef MMSIM_FS_BINFMTS_H
#define MMSIM_FS_BINFMTS_H

#define EXEC_MAX_SEGMENTS 8

struct exec_segment {
	unsigned long start;  /* virtual address (need not be page aligned) */
	unsigned long filesz; /* bytes of data (the rest up to memsz is bss) */
	unsigned long memsz;
	unsigned prot;        /* PROT_READ | PROT_WRITE | PROT_EXEC */
	const void *data;     /* filesz bytes, or NULL: left untouched zeros */
};

struct exec_image {
	const char *filename; /* the task's comm is its last component */
	int nr_segments;
	struct exec_segment seg[EXEC_MAX_SEGMENTS];
	unsigned long entry;
	const char *const *argv; /* NULL-terminated; NULL: { filename } */
	const char *const *envp; /* NULL-terminated; NULL: none */
};

/* A static program's usual layout: text at 0x400000 (r-x), data (rw-)
 * and bss on the following pages, with no bytes given. */
void exec_image_default(struct exec_image *img, const char *filename,
			unsigned long text, unsigned long data,
			unsigned long bss);

/* Replaces current's mm with one built from img: 0 or -errno (-EINVAL
 * for a bad image, -ENOMEM, -E2BIG for arguments over the limit). */
int kernel_execve(const struct exec_image *img);

#endif
