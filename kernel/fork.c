/* Tasks and address spaces come and go (kernel/fork.c): the slab caches
 * of task_struct, signal_cache, mm_struct and vm_area_struct, kernel
 * stacks (KernelStack), the limits a task starts with, mm_alloc with
 * mmput/mmdrop, and the first user processes of a machine. */
#include <errno.h>
#include <signal.h>
#include <string.h>

#include "fs/binfmts.h"
#include "kernel/fork.h"
#include "kernel/pid.h"
#include "kernel/printk.h"
#include "mm/gfp.h"
#include "mm/rmap.h"
#include "mm/slab.h"
#include "mm/vma.h"
#include "mm/vmstat.h"

#define MIN_THREADS 20
#define MAX_THREADS 0x3fffffff /* FUTEX_TID_MASK */

/* set_max_threads(): thread structures may take 1/8 of memory. */
static void set_max_threads(void)
{
	unsigned long threads = M->totalram_pages * PAGE_SIZE /
				(THREAD_SIZE * 8);

	M->max_threads = (int)clamp(threads, (unsigned long)MIN_THREADS,
				    (unsigned long)MAX_THREADS);
}

/* The limits of init_task (include/asm-generic/resource.h INIT_RLIMITS). */
void init_rlimits(struct rlimit *r)
{
	for (int i = 0; i < RLIM_NLIMITS; i++)
		r[i] = (struct rlimit){ RLIM_INFINITY, RLIM_INFINITY };
	r[RLIMIT_STACK] = (struct rlimit){ _STK_LIM, RLIM_INFINITY };
	r[RLIMIT_CORE] = (struct rlimit){ 0, RLIM_INFINITY };
	r[RLIMIT_NPROC] = (struct rlimit){ (unsigned long)M->max_threads / 2,
					   (unsigned long)M->max_threads / 2 };
	r[RLIMIT_NOFILE] = (struct rlimit){ 1024, 4096 };
	r[RLIMIT_MEMLOCK] = (struct rlimit){ MLOCK_LIMIT, MLOCK_LIMIT };
	r[RLIMIT_SIGPENDING] = r[RLIMIT_NPROC];
	r[RLIMIT_MSGQUEUE] = (struct rlimit){ 819200, 819200 };
	r[RLIMIT_NICE] = (struct rlimit){ 0, 0 };
	r[RLIMIT_RTPRIO] = (struct rlimit){ 0, 0 };
}

bool fork_init(void)
{
	struct proc_caches *c = &M->caches;

	c->task_struct = kmem_cache_create("task_struct",
					   sizeof(struct task_struct), 64,
					   SLAB_PANIC | SLAB_ACCOUNT, NULL);
	c->signal = kmem_cache_create("signal_cache",
				      sizeof(struct signal_struct), 0,
				      SLAB_HWCACHE_ALIGN | SLAB_PANIC |
					      SLAB_ACCOUNT,
				      NULL);
	c->mm_struct = kmem_cache_create("mm_struct", sizeof(struct mm_struct),
					 64, SLAB_HWCACHE_ALIGN | SLAB_PANIC |
						     SLAB_ACCOUNT,
					 NULL);
	c->vm_area_struct = kmem_cache_create("vm_area_struct",
					      sizeof(struct vm_area_struct), 0,
					      SLAB_PANIC | SLAB_ACCOUNT, NULL);
	set_max_threads();
	return c->task_struct && c->signal && c->mm_struct &&
	       c->vm_area_struct;
}

/* ---- task_struct ------------------------------------------------------------ */

static void *alloc_thread_stack(void)
{
	struct page *page = alloc_pages(GFP_KERNEL, THREAD_SIZE_ORDER);

	if (!page)
		return NULL;
	__mod_node_page_state(page_pgdat(page), NR_KERNEL_STACK_KB,
			      (long)(THREAD_SIZE >> 10));
	return page_address(page);
}

static void free_thread_stack(void *stack)
{
	struct page *page = virt_to_page(stack);

	__mod_node_page_state(page_pgdat(page), NR_KERNEL_STACK_KB,
			      -(long)(THREAD_SIZE >> 10));
	__free_pages(page, THREAD_SIZE_ORDER);
}

struct task_struct *alloc_task_struct(void)
{
	struct task_struct *t =
		kmem_cache_zalloc(M->caches.task_struct, GFP_KERNEL);

	if (!t)
		return NULL;
	t->stack = alloc_thread_stack();
	if (!t->stack) {
		kmem_cache_free(M->caches.task_struct, t);
		return NULL;
	}
	INIT_LIST_HEAD(&t->children);
	INIT_LIST_HEAD(&t->sibling);
	INIT_LIST_HEAD(&t->thread_node);
	INIT_LIST_HEAD(&t->thread_group);
	INIT_LIST_HEAD(&t->tasks);
	INIT_LIST_HEAD(&t->pid_hash);
	t->group_leader = t;
	t->start_time = M->clock_ns;
	return t;
}

void free_task_struct(struct task_struct *t)
{
	free_thread_stack(t->stack);
	kmem_cache_free(M->caches.task_struct, t);
}

struct signal_struct *alloc_signal_struct(const struct signal_struct *from)
{
	struct signal_struct *sig =
		kmem_cache_zalloc(M->caches.signal, GFP_KERNEL);

	if (!sig)
		return NULL;
	sig->nr_threads = 1;
	sig->live = 1;
	if (from)
		memcpy(sig->rlim, from->rlim, sizeof(sig->rlim));
	else
		init_rlimits(sig->rlim);
	return sig;
}

void free_signal_struct(struct signal_struct *sig)
{
	kmem_cache_free(M->caches.signal, sig);
}

/* ---- mm_struct ----------------------------------------------------------------- */

struct mm_struct *mm_alloc(void)
{
	struct mm_struct *mm = kmem_cache_zalloc(M->caches.mm_struct, GFP_KERNEL);

	if (!mm)
		return NULL;
	mm->mm_rb = RB_ROOT;
	mm->mm_users = 1;
	mm->mm_count = 1;
	mm->task_size = TASK_SIZE_MAX;
	if (mm_pgtable_init(mm)) {
		kmem_cache_free(M->caches.mm_struct, mm);
		return NULL;
	}
	return mm;
}

void mmdrop(struct mm_struct *mm)
{
	if (--mm->mm_count)
		return;
	mm_pgtable_exit(mm);
	kmem_cache_free(M->caches.mm_struct, mm);
}

void mmput(struct mm_struct *mm)
{
	if (--mm->mm_users)
		return;
	exit_mmap(mm);
	mmdrop(mm);
}

/* ---- the first processes ---------------------------------------------------------- */

/* A new task in the task list, child of current (or of init_task), with
 * no mm: the start of a user process before its exec. */
static struct task_struct *new_process(void)
{
	struct task_struct *parent = current ? current : M->init_task;
	struct task_struct *t;
	pid_t pid = alloc_pid();

	if (pid < 0)
		return NULL;
	t = alloc_task_struct();
	if (t)
		t->signal = alloc_signal_struct(parent->signal);
	if (!t || !t->signal) {
		if (t)
			free_task_struct(t);
		free_pid(pid);
		return NULL;
	}
	t->pid = t->tgid = pid;
	t->cpu = smp_processor_id();
	t->exit_signal = SIGCHLD;
	t->real_parent = parent;
	list_add_tail(&t->sibling, &parent->children);
	list_add_tail(&t->tasks, &M->init_task->tasks);
	attach_pid(t);
	M->nr_threads++;
	return t;
}

struct task_struct *create_user_process(const struct exec_image *img,
					int *err)
{
	struct task_struct *prev = current, *t = new_process();

	*err = -EAGAIN;
	if (!t)
		return NULL;
	set_current_task(t);
	*err = kernel_execve(img);
	set_current_task(prev);
	if (*err) {
		release_task(t);
		return NULL;
	}
	return t;
}

void release_task(struct task_struct *t)
{
	list_del(&t->sibling);
	list_del(&t->tasks);
	detach_pid(t);
	free_pid(t->pid);
	M->nr_threads--;
	if (t->mm)
		mmput(t->mm);
	free_signal_struct(t->signal);
	free_task_struct(t);
}
