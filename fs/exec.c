/* Executing a program (fs/exec.c, fs/binfmt_elf.c) from an image the
 * caller describes: a new mm replaces current's (exec_mmap), the layout
 * is picked (setup_new_exec), the argument strings are copied to the top
 * of a new stack that then gets its 128 KiB (setup_arg_pages), the
 * segments are mapped private and anonymous (there are no files yet;
 * their bytes are written in as a file's pages would be read), the heap
 * starts after the last segment, and argc, argv, envp and the auxiliary
 * vector go below the strings (create_elf_tables). With
 * kernel.randomize_va_space the task gets PF_RANDOMIZE: mmap_base, the
 * stack top and the stack pointer move by random amounts, and with 2 the
 * heap's start too (load_elf_binary), all from the machine's PRNG. */
#include <errno.h>
#include <string.h>

#include "arch/tlbflush.h"
#include "fs/binfmts.h"
#include "kernel/fork.h"
#include "kernel/printk.h"
#include "kernel/random.h"
#include "mm/vma.h"

#define MAX_ARG_STRLEN (PAGE_SIZE * 32)
#define STACK_EXPAND 131072UL /* setup_arg_pages: room below the args */

/* auxv types (include/uapi/linux/auxvec.h). */
enum {
	AT_NULL = 0,
	AT_PHDR = 3,
	AT_PHENT = 4,
	AT_PHNUM = 5,
	AT_PAGESZ = 6,
	AT_BASE = 7,
	AT_FLAGS = 8,
	AT_ENTRY = 9,
	AT_UID = 11,
	AT_EUID = 12,
	AT_GID = 13,
	AT_EGID = 14,
	AT_PLATFORM = 15,
	AT_HWCAP = 16,
	AT_CLKTCK = 17,
	AT_SECURE = 23,
	AT_RANDOM = 25,
	AT_EXECFN = 31,
};

void exec_image_default(struct exec_image *img, const char *filename,
			unsigned long text, unsigned long data,
			unsigned long bss)
{
	unsigned long base = 0x400000;

	memset(img, 0, sizeof(*img));
	img->filename = filename;
	img->entry = base;
	img->nr_segments = 2;
	img->seg[0] = (struct exec_segment){ base, text, text,
					     PROT_READ | PROT_EXEC, NULL };
	img->seg[1] = (struct exec_segment){ PAGE_ALIGN(base + text), data,
					     data + bss,
					     PROT_READ | PROT_WRITE, NULL };
}

/* ---- checking the image before the point of no return ---------------------- */

static int count_strings(const char *const *v, size_t *bytes)
{
	int n = 0;

	for (; v && v[n]; n++) {
		size_t len = strlen(v[n]) + 1;

		if (len > MAX_ARG_STRLEN)
			return -E2BIG;
		*bytes += len;
	}
	return n;
}

static int check_segments(const struct exec_image *img)
{
	unsigned long prev_end = 0;

	if (img->nr_segments < 0 || img->nr_segments > EXEC_MAX_SEGMENTS)
		return -EINVAL;
	for (int i = 0; i < img->nr_segments; i++) {
		const struct exec_segment *s = &img->seg[i];
		unsigned long start = s->start & PAGE_MASK;

		if (s->filesz > s->memsz || !s->memsz ||
		    s->start + s->memsz < s->start ||
		    PAGE_ALIGN(s->start + s->memsz) > STACK_TOP - (128UL << 20) ||
		    start < (unsigned long)M->mmap_min_addr || start < prev_end ||
		    (s->prot & ~(unsigned)(PROT_READ | PROT_WRITE | PROT_EXEC)))
			return -EINVAL;
		prev_end = PAGE_ALIGN(s->start + s->memsz);
	}
	return 0;
}

/* The argument limit of bprm_stack_limits(): a quarter of the stack
 * limit, at most 6 MiB, pointers included. */
static int check_args(const struct exec_image *img, const char *const *argv)
{
	size_t bytes = strlen(img->filename) + 1;
	int argc = count_strings(argv, &bytes);
	int envc = count_strings(img->envp, &bytes);
	unsigned long limit = min(_STK_LIM / 4 * 3,
				  rlimit(RLIMIT_STACK) / 4);
	unsigned long ptrs = (unsigned long)(argc + envc) * sizeof(void *);

	if (argc < 0 || envc < 0)
		return -E2BIG;
	if (limit <= ptrs || bytes > limit - ptrs)
		return -E2BIG;
	return 0;
}

/* ---- building the new address space ----------------------------------------- */

/* exec_mmap(): current switches to mm; the old one loses a user. */
static void exec_mmap(struct mm_struct *mm)
{
	struct mm_struct *old = current->mm;

	exec_mm_release(current, old); /* a vfork parent wakes up */
	current->mm = mm;
	current->active_mm = mm;
	mm->owner = current;
	switch_mm(old, mm, current);
	if (old)
		mmput(old);
}

static void set_comm(const char *filename)
{
	const char *base = strrchr(filename, '/');

	base = base ? base + 1 : filename;
	memset(current->comm, 0, sizeof(current->comm));
	strncpy(current->comm, base, TASK_COMM_LEN - 1);
}

/* arch_align_stack(): with randomisation on, sp moves down by less than
 * 8 KiB (x86) or a page (riscv64); then 16-byte alignment. */
static unsigned long arch_align_stack(unsigned long sp)
{
	if (M->randomize_va_space)
		sp -= get_random_u32_below(arch_aslr(M->arch)->align_stack);
	return sp & ~15UL;
}

/* The top of the new stack: setup_arg_pages() given
 * randomize_stack_top(STACK_TOP) moves the stack there, sub-page offset
 * of arch_align_stack() rounded up to a page. Linux builds the stack at
 * STACK_TOP_MAX and shifts it; building it in place is the same. */
static unsigned long exec_stack_top(void)
{
	return PAGE_ALIGN(arch_align_stack(randomize_stack_top(STACK_TOP)));
}

/* __bprm_mm_init(): one page of stack at the top, for the strings. */
static struct vm_area_struct *stack_vma_init(struct mm_struct *mm,
					     unsigned long top)
{
	struct vm_area_struct *vma = vm_area_alloc(mm);

	if (!vma)
		return NULL;
	vma->vm_end = top;
	vma->vm_start = vma->vm_end - PAGE_SIZE;
	vma->vm_flags = VM_STACK_FLAGS | VM_SOFTDIRTY | mm->def_flags;
	vma->vm_pgoff = vma->vm_start >> PAGE_SHIFT;
	vma_set_page_prot(vma);
	if (security_vm_enough_memory_mm(mm, 1)) {
		vm_area_free(vma);
		return NULL;
	}
	vma_link(mm, vma);
	mm->stack_vm = mm->total_vm = 1;
	return vma;
}

/* Copies a string below *p; 0 or -EFAULT. */
static int push_string(unsigned long *p, const char *s)
{
	size_t len = strlen(s) + 1;

	*p -= len;
	return copy_to_user(*p, s, len) ? -EFAULT : 0;
}

static int copy_strings(unsigned long *p, const char *const *v)
{
	int n = 0;

	while (v && v[n])
		n++;
	while (n--)
		if (push_string(p, v[n]))
			return -EFAULT;
	return 0;
}

/* setup_arg_pages(): the stack gets 128 KiB below its arguments (or
 * what RLIMIT_STACK leaves). */
static int setup_arg_pages(struct vm_area_struct *vma, unsigned long p)
{
	unsigned long size = vma->vm_end - vma->vm_start;
	unsigned long limit = rlimit(RLIMIT_STACK) & PAGE_MASK;
	unsigned long base = size + STACK_EXPAND > limit
				     ? vma->vm_end - limit
				     : vma->vm_start - STACK_EXPAND;

	vma->vm_mm->arg_start = p;
	return expand_downwards(vma, base) ? -EFAULT : 0;
}

/* Writes bytes into the pages of a fresh private mapping whatever its
 * protection, as a file's contents would be read in (FOLL_FORCE). */
static int write_segment(struct mm_struct *mm, unsigned long addr,
			 const char *data, unsigned long len)
{
	while (len) {
		unsigned long chunk = min(len, PAGE_SIZE - offset_in_page(addr));
		struct vm_area_struct *vma = vma_lookup(mm, addr);
		struct page *page;
		pte_t *pte;

		if (!vma || (handle_mm_fault(vma, addr, FAULT_FLAG_WRITE) &
			     VM_FAULT_ERROR))
			return -ENOMEM;
		pte = mm_find_pte(mm, addr);
		page = pte ? vm_normal_page(vma, addr, ptep_get(pte)) : NULL;
		if (!page)
			return -EFAULT;
		memcpy((char *)kmap_local_page(page) + offset_in_page(addr),
		       data, chunk);
		addr += chunk;
		data += chunk;
		len -= chunk;
	}
	return 0;
}

static void note_segment(struct mm_struct *mm, const struct exec_segment *s)
{
	if ((s->prot & PROT_EXEC) && s->start < mm->start_code)
		mm->start_code = s->start;
	if ((s->prot & PROT_EXEC) && s->start + s->filesz > mm->end_code)
		mm->end_code = s->start + s->filesz;
	if (s->start > mm->start_data)
		mm->start_data = s->start;
	if (s->start + s->filesz > mm->end_data)
		mm->end_data = s->start + s->filesz;
}

static int map_segments(struct mm_struct *mm, const struct exec_image *img)
{
	unsigned long brk = 0;

	mm->start_code = ~0UL;
	for (int i = 0; i < img->nr_segments; i++) {
		const struct exec_segment *s = &img->seg[i];
		unsigned long start = s->start & PAGE_MASK, populate;
		unsigned long len = PAGE_ALIGN(s->start + s->memsz) - start;
		unsigned long a = do_mmap(NULL, start, len, s->prot,
					  MAP_PRIVATE | MAP_FIXED, 0, 0,
					  &populate);

		if (IS_ERR_VALUE(a))
			return (int)a;
		if (s->data && write_segment(mm, s->start, s->data, s->filesz))
			return -ENOMEM;
		note_segment(mm, s);
		brk = max(brk, s->start + s->memsz);
	}
	if (mm->start_code == ~0UL)
		mm->start_code = mm->end_code = 0;
	mm->start_brk = mm->brk = PAGE_ALIGN(brk);
	return 0;
}

/* ---- the initial stack (create_elf_tables) ------------------------------------ */

static const char *elf_platform(void)
{
	if (!strcmp(M->arch->name, "x86_64"))
		return "x86_64";
	if (!strcmp(M->arch->name, "i386"))
		return "i686";
	return NULL;
}

/* Stores a word of the target's width at *sp and steps past it. */
static int put_word(unsigned long *sp, unsigned long v)
{
	unsigned w = (unsigned)M->arch->bits / 8;
	uint64_t v64 = v;
	uint32_t v32 = (uint32_t)v;

	if (copy_to_user(*sp, w == 8 ? (void *)&v64 : (void *)&v32, w))
		return -EFAULT;
	*sp += w;
	return 0;
}

static int put_pointers(unsigned long *sp, unsigned long *p, int n)
{
	for (int i = 0; i < n; i++) {
		char c;

		if (put_word(sp, *p))
			return -EFAULT;
		/* Step over the string (strnlen_user). */
		do {
			if (copy_from_user(&c, (*p)++, 1))
				return -EFAULT;
		} while (c);
	}
	return put_word(sp, 0);
}

static int create_elf_tables(struct mm_struct *mm,
			     const struct exec_image *img, int argc, int envc,
			     unsigned long p, unsigned long execfn)
{
	unsigned w = (unsigned)M->arch->bits / 8;
	const char *platform = elf_platform();
	unsigned long u_platform = 0, u_rand, sp, a;
	unsigned long auxv[2 * 20];
	unsigned char rnd[16];
	int n = 0;

	p = arch_align_stack(p);
	if (platform && push_string(&p, platform))
		return -EFAULT;
	u_platform = platform ? p : 0;
	get_random_bytes(rnd, sizeof(rnd));
	p -= sizeof(rnd);
	u_rand = p;
	if (copy_to_user(u_rand, rnd, sizeof(rnd)))
		return -EFAULT;
#define AUX(t, v) (auxv[n++] = (t), auxv[n++] = (v))
	AUX(AT_HWCAP, 0);
	AUX(AT_PAGESZ, PAGE_SIZE);
	AUX(AT_CLKTCK, 100);
	AUX(AT_PHDR, 0);
	AUX(AT_PHENT, w == 8 ? 56 : 32);
	AUX(AT_PHNUM, 0);
	AUX(AT_BASE, 0);
	AUX(AT_FLAGS, 0);
	AUX(AT_ENTRY, img->entry);
	/* Tasks run as an ordinary user (uid and gid 1000, as /proc shows). */
	AUX(AT_UID, 1000);
	AUX(AT_EUID, 1000);
	AUX(AT_GID, 1000);
	AUX(AT_EGID, 1000);
	AUX(AT_SECURE, 0);
	AUX(AT_RANDOM, u_rand);
	AUX(AT_EXECFN, execfn);
	if (u_platform)
		AUX(AT_PLATFORM, u_platform);
	AUX(AT_NULL, 0);
#undef AUX
	/* argc, argv[], NULL, envp[], NULL, auxv, 16-byte aligned. */
	sp = p - (unsigned long)n * w;
	sp = (sp - (unsigned long)(argc + 1 + envc + 1 + 1) * w) & ~15UL;
	mm->start_stack = sp;
	current->user_sp = sp;
	if (put_word(&sp, (unsigned long)argc))
		return -EFAULT;
	a = mm->arg_start;
	if (put_pointers(&sp, &a, argc))
		return -EFAULT;
	mm->arg_end = mm->env_start = a;
	if (put_pointers(&sp, &a, envc))
		return -EFAULT;
	mm->env_end = a;
	for (int i = 0; i < n; i++)
		if (put_word(&sp, auxv[i]))
			return -EFAULT;
	return 0;
}

/* ---- execve ------------------------------------------------------------------------ */

static int count(const char *const *v)
{
	int n = 0;

	while (v && v[n])
		n++;
	return n;
}

/* arch_randomize_brk(), after load_elf_binary() leaves a page between
 * .bss and the heap: a random page within 1 GiB (32 MiB on i386). */
static void randomize_brk(struct mm_struct *mm)
{
	mm->brk = mm->start_brk = mm->brk + PAGE_SIZE;
	mm->brk = mm->start_brk =
		randomize_page(mm->brk, arch_aslr(M->arch)->brk_range);
}

int kernel_execve(const struct exec_image *img)
{
	/* load_elf_binary's snapshot_randomize_va_space. */
	const int randomize = M->randomize_va_space;
	const char *const default_argv[] = { img->filename, NULL };
	const char *const *argv = img->argv ? img->argv : default_argv;
	struct vm_area_struct *stack;
	struct mm_struct *mm;
	unsigned long p, execfn;
	int err;

	if (!img->filename || !img->filename[0])
		return -ENOENT;
	err = check_segments(img);
	if (!err)
		err = check_args(img, argv);
	if (err)
		return err;
	mm = mm_alloc();
	if (!mm)
		return -ENOMEM;
	/* The point of no return: failures below leave an empty mm. */
	exec_mmap(mm);
	set_comm(img->filename);
	current->flags &= ~(PF_FORKNOEXEC | PF_RANDOMIZE);
	if (randomize)
		current->flags |= PF_RANDOMIZE;
	arch_pick_mmap_layout(mm, &current->signal->rlim[RLIMIT_STACK]);
	stack = stack_vma_init(mm, exec_stack_top());
	if (!stack)
		return -ENOMEM;
	p = stack->vm_end - sizeof(void *);
	if (push_string(&p, img->filename))
		return -EFAULT;
	execfn = p;
	if (copy_strings(&p, img->envp) || copy_strings(&p, argv))
		return -EFAULT;
	err = setup_arg_pages(find_vma(mm, p), p);
	if (!err)
		err = map_segments(mm, img);
	if (!err)
		err = create_elf_tables(mm, img, count(argv), count(img->envp),
					p, execfn);
	if (!err && (current->flags & PF_RANDOMIZE) && randomize > 1)
		randomize_brk(mm);
	current->user_ip = img->entry;
	return err;
}
