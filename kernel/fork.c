/* Tasks and address spaces come and go (kernel/fork.c): the slab caches
 * of task_struct, signal_cache, mm_struct and vm_area_struct, kernel
 * stacks (KernelStack), the limits a task starts with, mm_alloc with
 * mmput/mmdrop, copy_process with dup_mm (fork, vfork, clone and its
 * threads), the vfork handshake, and the first user processes of a
 * machine. */
#include <errno.h>
#include <signal.h>
#include <string.h>

#include "fs/binfmts.h"
#include "kernel/fork.h"
#include "kernel/pid.h"
#include "kernel/printk.h"
#include "kernel/sched/run.h"
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
	unsigned long threads =
		M->totalram_pages * PAGE_SIZE / (THREAD_SIZE * 8);

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

	/* Linux whitelists part of task_struct (the FPU state, x86) and
	 * mm_struct (saved_auxv) for usercopy, which keeps them unmerged. */
	c->task_struct = kmem_cache_create_usercopy(
		"task_struct", sizeof(struct task_struct), 64,
		SLAB_PANIC | SLAB_ACCOUNT,
		offsetof(struct task_struct, user_ip),
		2 * sizeof(unsigned long), NULL);
	c->signal = kmem_cache_create(
		"signal_cache", sizeof(struct signal_struct), 0,
		SLAB_HWCACHE_ALIGN | SLAB_PANIC | SLAB_ACCOUNT, NULL);
	c->mm_struct = kmem_cache_create_usercopy(
		"mm_struct", sizeof(struct mm_struct), 64,
		SLAB_HWCACHE_ALIGN | SLAB_PANIC | SLAB_ACCOUNT,
		offsetof(struct mm_struct, saved_auxv),
		sizeof_field(struct mm_struct, saved_auxv), NULL);
	c->vm_area_struct = kmem_cache_create("vm_area_struct",
					      sizeof(struct vm_area_struct), 0,
					      SLAB_PANIC | SLAB_ACCOUNT, NULL);
	set_max_threads();
	return c->task_struct && c->signal && c->mm_struct && c->vm_area_struct;
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

void task_struct_init(struct task_struct *t)
{
	INIT_LIST_HEAD(&t->children);
	INIT_LIST_HEAD(&t->sibling);
	INIT_LIST_HEAD(&t->thread_node);
	INIT_LIST_HEAD(&t->thread_group);
	list_add(&t->thread_node, &t->thread_group);
	INIT_LIST_HEAD(&t->tasks);
	INIT_LIST_HEAD(&t->pid_hash);
	init_waitqueue_entry(&t->child_wait, t);
	t->group_leader = t;
	t->start_time = M->clock_ns;
	t->usage = 2;
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
	task_struct_init(t);
	return t;
}

void put_task_stack(struct task_struct *t)
{
	if (!t->stack)
		return;
	free_thread_stack(t->stack);
	t->stack = NULL;
}

/* free_task() and put_signal_struct(): the process's signal_struct
 * lives as long as a task_struct of it does. */
void free_task_struct(struct task_struct *t)
{
	put_task_stack(t);
	if (t->signal && --t->signal->sigcnt == 0)
		free_signal_struct(t->signal);
	kmem_cache_free(M->caches.task_struct, t);
}

void put_task_struct(struct task_struct *t)
{
	if (WARN(t->usage <= 0, "put_task_struct: %s[%d] has no references\n",
		 t->comm, t->pid))
		return;
	if (--t->usage == 0)
		free_task_struct(t);
}

struct signal_struct *alloc_signal_struct(const struct signal_struct *from)
{
	struct signal_struct *sig =
		kmem_cache_zalloc(M->caches.signal, GFP_KERNEL);

	if (!sig)
		return NULL;
	sig->sigcnt = sig->nr_threads = sig->live = 1;
	init_waitqueue_head(&sig->wait_chldexit);
	if (from) {
		memcpy(sig->rlim, from->rlim, sizeof(sig->rlim));
		sig->oom_score_adj = from->oom_score_adj;
		sig->oom_score_adj_min = from->oom_score_adj_min;
	} else {
		init_rlimits(sig->rlim);
	}
	return sig;
}

void free_signal_struct(struct signal_struct *sig)
{
	if (sig->oom_mm) /* an OOM victim's mm, held since mark_oom_victim */
		mmdrop(sig->oom_mm);
	kmem_cache_free(M->caches.signal, sig);
}

/* ---- mm_struct ----------------------------------------------------------------- */

/* mm_init(): what a new address space does not inherit: VMAs, users,
 * locked and pinned pages, RSS, owner, page tables and TLB context. */
static struct mm_struct *mm_init(struct mm_struct *mm, struct task_struct *p)
{
	mm->mmap = NULL;
	mm->mm_rb = RB_ROOT;
	mm->map_count = 0;
	mm->highest_vm_end = 0;
	mm->mm_users = 1;
	mm->mm_count = 1;
	mm->locked_vm = 0;
	mm->pinned_vm = 0;
	memset(mm->rss_stat, 0, sizeof(mm->rss_stat));
	mm->owner = p;
	if (mm_pgtable_init(mm)) {
		kmem_cache_free(M->caches.mm_struct, mm);
		return NULL;
	}
	return mm;
}

struct mm_struct *mm_alloc(void)
{
	struct mm_struct *mm =
		kmem_cache_zalloc(M->caches.mm_struct, GFP_KERNEL);

	if (!mm)
		return NULL;
	mm->task_size = TASK_SIZE_MAX;
	return mm_init(mm, NULL);
}

/* check_mm(): the counters of an mm going away must be back to zero. */
static void check_mm(struct mm_struct *mm)
{
	static const char *const resident_page_types[NR_MM_COUNTERS] = {
		"MM_FILEPAGES", "MM_ANONPAGES", "MM_SWAPENTS", "MM_SHMEMPAGES"
	};

	for (int i = 0; i < NR_MM_COUNTERS; i++) {
		if (!mm->rss_stat[i])
			continue;
		pr_alert(
			"BUG: Bad rss-counter state mm:%0*lx type:%s val:%ld\n",
			kaddr_width(), kaddr(mm), resident_page_types[i],
			mm->rss_stat[i]);
		M->nr_bugs++;
	}
}

void mmdrop(struct mm_struct *mm)
{
	if (mm->mm_count <= 0) {
		WARN(1, "mmdrop of a freed mm (mm_count %d)\n", mm->mm_count);
		return;
	}
	if (--mm->mm_count)
		return;
	check_mm(mm);
	mm_pgtable_exit(mm);
	kmem_cache_free(M->caches.mm_struct, mm);
}

void mmput(struct mm_struct *mm)
{
	if (mm->mm_users <= 0) {
		WARN(1, "mmput of an mm without users (mm_users %d)\n",
		     mm->mm_users);
		return;
	}
	if (--mm->mm_users)
		return;
	exit_mmap(mm);
	mmdrop(mm);
}

/* dup_mm(): a copy of oldmm for tsk, its VMAs and page tables
 * duplicated (pages shared copy-on-write). */
static struct mm_struct *dup_mm(struct task_struct *tsk,
				struct mm_struct *oldmm)
{
	struct mm_struct *mm =
		kmem_cache_alloc(M->caches.mm_struct, GFP_KERNEL);

	if (!mm)
		return NULL;
	memcpy(mm, oldmm, sizeof(*mm));
	/* Only what a fresh mm inherits (VM_INIT_DEF_MASK). */
	mm->def_flags &= VM_NOHUGEPAGE;
	if (!mm_init(mm, tsk))
		return NULL;
	if (dup_mmap(mm, oldmm)) {
		mmput(mm);
		return NULL;
	}
	mm->hiwater_rss = get_mm_rss(mm);
	mm->hiwater_vm = mm->total_vm;
	return mm;
}

/* ---- vfork ------------------------------------------------------------------------ */

/* The parent sleeping in vfork may run again. */
static void complete_vfork_done(struct task_struct *tsk)
{
	struct task_struct *parent = tsk->vfork_parent;

	tsk->vfork_parent = NULL;
	if (parent)
		wake_up_state(parent, TASK_UNINTERRUPTIBLE);
}

/* mm_release(): tsk is done with mm (exec or exit). */
static void mm_release(struct task_struct *tsk, struct mm_struct *mm)
{
	(void)mm;
	if (tsk->vfork_parent)
		complete_vfork_done(tsk);
}

void exec_mm_release(struct task_struct *tsk, struct mm_struct *mm)
{
	mm_release(tsk, mm);
}

void exit_mm_release(struct task_struct *tsk, struct mm_struct *mm)
{
	mm_release(tsk, mm);
}

/* The CPUs running tsk switch to their idle tasks (tsk sleeps or died). */
void switch_away_from(struct task_struct *tsk)
{
	int saved = M->this_cpu, cpu;

	for_each_online_cpu(cpu) {
		if (M->cpus[cpu].curr != tsk)
			continue;
		M->this_cpu = cpu;
		set_current_task(NULL);
	}
	M->this_cpu = saved;
}

bool task_on_cpu(const struct task_struct *tsk)
{
	int cpu;

	for_each_online_cpu(cpu)
		if (M->cpus[cpu].curr == tsk)
			return true;
	return false;
}

/* ---- copy_process -------------------------------------------------------------- */

#define CLONE_NEW_NAMESPACES                                           \
	(CLONE_NEWNS | CLONE_NEWCGROUP | CLONE_NEWUTS | CLONE_NEWIPC | \
	 CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNET)

/* copy_process()'s checks of the flags: 0 or -EINVAL. */
static int check_clone_flags(unsigned long f)
{
	if ((f & (CLONE_NEWNS | CLONE_FS)) == (CLONE_NEWNS | CLONE_FS) ||
	    (f & (CLONE_NEWUSER | CLONE_FS)) == (CLONE_NEWUSER | CLONE_FS))
		return -EINVAL;
	/* Thread groups share signals; shared handlers imply shared VM. */
	if ((f & CLONE_THREAD) && !(f & CLONE_SIGHAND))
		return -EINVAL;
	if ((f & CLONE_SIGHAND) && !(f & CLONE_VM))
		return -EINVAL;
	/* Siblings of init would stay zombies (SIGNAL_UNKILLABLE). */
	if ((f & CLONE_PARENT) && current->pid == 1)
		return -EINVAL;
	/* mmsim: no namespaces, no pidfds. */
	if (f & (CLONE_NEW_NAMESPACES | CLONE_PIDFD))
		return -EINVAL;
	return 0;
}

/* dup_task_struct(): a new task with current's name, flags and user
 * registers, its own kernel stack and fresh counters. */
static struct task_struct *dup_task_struct(const struct kernel_clone_args *args)
{
	struct task_struct *p = alloc_task_struct();

	if (!p)
		return NULL;
	memcpy(p->comm, current->comm, sizeof(p->comm));
	p->flags = (current->flags & ~(PF_IDLE | PF_KTHREAD | PF_EXITING |
				       PF_SIGNALED | PF_VCPU)) |
		   PF_FORKNOEXEC | (args->kthread ? PF_KTHREAD : 0);
	p->__state = TASK_RUNNING;
	p->cpu = smp_processor_id();
	p->user_ip = current->user_ip;
	p->user_sp = args->stack ? args->stack : current->user_sp;
	return p;
}

/* copy_signal(): a thread shares its process's signal_struct. */
static int copy_signal(unsigned long clone_flags, struct task_struct *p)
{
	if (clone_flags & CLONE_THREAD) {
		p->signal = current->signal; /* threads: in link_new_task */
		p->signal->sigcnt++;
		return 0;
	}
	p->signal = alloc_signal_struct(current->signal);
	return p->signal ? 0 : -ENOMEM;
}

/* copy_mm(): share current's mm (CLONE_VM) or duplicate it. */
static int copy_mm(const struct kernel_clone_args *args, struct task_struct *p)
{
	struct mm_struct *oldmm = current->mm, *mm;

	p->mm = p->active_mm = NULL;
	if (!oldmm || args->no_mm || args->kthread)
		return 0; /* a kernel thread, or mmsim's exec-to-be */
	if (args->flags & CLONE_VM) {
		mmget(oldmm);
		mm = oldmm;
	} else {
		mm = dup_mm(p, oldmm);
		if (!mm)
			return -ENOMEM;
	}
	p->mm = p->active_mm = mm;
	return 0;
}

/* Puts p in the task lists, its parent's children and its thread group. */
static void link_new_task(struct task_struct *p, unsigned long clone_flags,
			  int exit_signal)
{
	if (clone_flags & (CLONE_PARENT | CLONE_THREAD)) {
		p->real_parent = current->real_parent;
		p->exit_signal = clone_flags & CLONE_THREAD ?
					 -1 :
					 current->group_leader->exit_signal;
	} else {
		p->real_parent = current;
		p->exit_signal = exit_signal;
	}
	if (clone_flags & CLONE_THREAD) {
		p->group_leader = current->group_leader;
		p->tgid = current->tgid;
		list_del(&p->thread_node);
		list_add_tail(&p->thread_node, &p->group_leader->thread_group);
		p->signal->nr_threads++;
		p->signal->live++;
	} else {
		p->tgid = p->pid;
		list_add_tail(&p->sibling, &p->real_parent->children);
	}
	list_add_tail(&p->tasks, &M->init_task->tasks);
	attach_pid(p);
	M->nr_threads++;
	M->total_forks++;
}

/* The user's tasks may not pass RLIMIT_NPROC (is_rlimit_overlimit()
 * after copy_creds()). Every task but swapper's runs as uid 1000, so
 * each counts; swapper (root, INIT_USER) is exempt. */
static bool nproc_overlimit(void)
{
	unsigned long limit = rlimit(RLIMIT_NPROC);

	return current->pid && limit != RLIM_INFINITY &&
	       (unsigned long)M->nr_threads + 1 > limit;
}

/* copy_process(): the new task, linked in but not running, or NULL with
 * -errno in *err. */
static struct task_struct *copy_process(const struct kernel_clone_args *args,
					int *err)
{
	struct task_struct *p;
	pid_t pid;

	*err = check_clone_flags(args->flags);
	if (*err)
		return NULL;
	*err = -EAGAIN;
	if (nproc_overlimit() || M->nr_threads >= M->max_threads)
		return NULL;
	*err = -ENOMEM;
	p = dup_task_struct(args);
	if (!p)
		return NULL;
	*err = copy_signal(args->flags, p);
	if (*err)
		goto free_task;
	*err = copy_mm(args, p);
	if (*err)
		goto free_task;
	pid = alloc_pid();
	if (pid < 0) {
		*err = pid;
		goto free_mm;
	}
	p->pid = pid;
	if (args->flags & CLONE_VFORK)
		p->vfork_parent = current;
	sched_fork(p);
	link_new_task(p, args->flags, args->exit_signal);
	return p;

free_mm:
	if (p->mm)
		mmput(p->mm);
free_task:
	free_task_struct(p); /* and its reference on the signal_struct */
	return NULL;
}

long kernel_clone(struct kernel_clone_args *args)
{
	struct task_struct *p, *caller = current;
	int err;

	if (args->parent)
		current = args->parent; /* its mm need not be loaded */
	p = copy_process(args, &err);
	current = caller;
	if (!p)
		return err;
	wake_up_new_task(p);
	if (args->flags & CLONE_VFORK) {
		/* wait_for_vfork_done(): the parent sleeps until the child
		 * execs or exits; its CPU runs something else meanwhile. */
		current->__state = TASK_UNINTERRUPTIBLE;
		schedule();
		if (!in_task_body())
			switch_away_from(current);
	}
	return p->pid;
}

/* ---- the system calls ------------------------------------------------------------ */

long sys_fork(void)
{
	struct kernel_clone_args args = { .exit_signal = SIGCHLD };

	return kernel_clone(&args);
}

long sys_vfork(void)
{
	struct kernel_clone_args args = {
		.flags = CLONE_VFORK | CLONE_VM,
		.exit_signal = SIGCHLD,
	};

	return kernel_clone(&args);
}

long sys_clone(unsigned long clone_flags, unsigned long newsp)
{
	struct kernel_clone_args args = {
		.flags = (uint32_t)clone_flags & ~(unsigned long)CSIGNAL,
		.exit_signal = (int)(clone_flags & CSIGNAL),
		.stack = newsp,
	};

	return kernel_clone(&args);
}

/* ---- the first processes ---------------------------------------------------------- */

struct task_struct *spawn_user_process(struct task_struct *parent,
				       const struct exec_image *img, int *err)
{
	struct kernel_clone_args args = { .exit_signal = SIGCHLD,
					  .no_mm = true,
					  .parent = parent };
	struct task_struct *prev = current, *t;
	long pid = kernel_clone(&args);

	if (pid < 0) {
		*err = (int)pid;
		return NULL;
	}
	t = find_task_by_vpid((pid_t)pid);
	set_current_task(t);
	*err = kernel_execve(img);
	set_current_task(prev);
	/* mmsim: the exec is set-up, done outside time: its costs (the
	 * stack's faults) are not the program's CPU work. */
	t->body.sys_ns = t->body.user_ns = 0;
	if (*err) {
		release_task(t);
		return NULL;
	}
	return t;
}

struct task_struct *create_user_process(const struct exec_image *img, int *err)
{
	return spawn_user_process(current, img, err);
}
