/* Processes: fork with copy-on-write (exactly one fault per page
 * written, bytes kept apart, reuse once the other side is gone, the
 * zero page), vfork's sleeping parent, clone threads sharing one mm,
 * exit with zombies, reparenting and wait4, the rmap across fork, exit
 * and munmap over three generations, the address-space invariant
 * checker, and everything given back at exit. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>

#include <cmocka.h>

#include "helpers.h"

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <sys/wait.h>

#include "arch/tlbflush.h"
#include "fs/binfmts.h"
#include "kernel/fork.h"
#include "kernel/pid.h"
#include "kernel/syscalls.h"
#include "mm/rmap.h"
#include "mm/slab.h"
#include "mm/vma.h"

#define RW (PROT_READ | PROT_WRITE)
#define ANON (MAP_PRIVATE | MAP_ANONYMOUS)

/* ---- helpers --------------------------------------------------------------- */

static void exec_image(struct exec_image *img, const char *name)
{
	exec_image_default(img, name, 64 * 1024, 8192, 8192);
}

/* pid 1, made by swapper as kernel_init would, running. */
static struct task_struct *start_init(void)
{
	struct exec_image img;
	struct task_struct *t;
	int err;

	exec_image(&img, "/sbin/init");
	t = create_user_process(&img, &err);
	assert_non_null(t);
	assert_int_equal(t->pid, 1);
	set_current_task(t);
	return t;
}

static struct task_struct *task(long pid)
{
	struct task_struct *t;

	assert_true(pid > 0);
	t = find_task_by_vpid((pid_t)pid);
	assert_non_null(t);
	return t;
}

/* current forks; the child is returned, current unchanged. */
static struct task_struct *fork_child(void)
{
	return task(sys_fork());
}

static unsigned long map_anon(unsigned long pages)
{
	long a = sys_mmap(0, pages * PAGE_SIZE, RW, ANON, -1UL, 0);

	assert_false(IS_ERR_VALUE(a));
	return (unsigned long)a;
}

/* An anonymous mapping at addr (a free hint), apart from the others. */
static unsigned long map_at(unsigned long addr, unsigned long pages)
{
	assert_int_equal(sys_mmap(addr, pages * PAGE_SIZE, RW, ANON, -1UL, 0),
			 (long)addr);
	return addr;
}

static void poke(unsigned long addr, char c)
{
	assert_int_equal(user_access(addr, &c, 1, true), 0);
}

static char peek(unsigned long addr)
{
	char c = 0x55;

	assert_int_equal(user_access(addr, &c, 1, false), 0);
	return c;
}

/* The struct page mapped at addr of t's mm (NULL: none or zero page). */
static struct page *page_at(struct task_struct *t, unsigned long addr)
{
	pte_t *pte = mm_find_pte(t->mm, addr);

	if (!pte || !pte_present(ptep_get(pte)))
		return NULL;
	return vm_normal_page(find_vma(t->mm, addr), addr, ptep_get(pte));
}

static void expect_invariants(void)
{
	assert_int_equal(check_mm_invariants(NULL), 0);
	assert_int_equal(check_pgtable_invariants(), 0);
}

static void expect_no_reports(void)
{
	if (M->nr_bugs || M->nr_warns)
		fail_msg("reports in the log:\n%s", log_text());
}

/* Reaps child as current (its parent): its pid, and the status. */
static int reap(struct task_struct *child)
{
	int status = -1;
	pid_t pid = child->pid;

	assert_int_equal(sys_wait4(pid, &status, WNOHANG, NULL), pid);
	assert_null(find_task_by_vpid(pid));
	return status;
}

/* Ends init (and whatever is left) at the end of a test. */
static void end_init(struct task_struct *init)
{
	set_current_task(NULL);
	release_task(init);
	expect_invariants();
}

/* ---- fork -------------------------------------------------------------------- */

static void test_fork_copies_the_address_space(void **state)
{
	struct task_struct *init, *child;
	struct vm_area_struct *v, *w;
	unsigned long a;

	(void)state;
	boot_machine("ram=256M");
	init = start_init();
	a = map_anon(8);
	poke(a, 'x');
	child = fork_child();
	assert_ptr_equal(current, init);
	assert_int_equal(child->pid, 2);
	assert_int_equal(child->tgid, 2);
	assert_ptr_equal(child->real_parent, init);
	assert_int_equal(child->exit_signal, SIGCHLD);
	assert_true(child->flags & PF_FORKNOEXEC);
	assert_string_equal(child->comm, "init");
	assert_int_equal(child->min_flt, 0);
	assert_ptr_not_equal(child->mm, init->mm);
	assert_int_equal(child->mm->mm_users, 1);
	assert_int_equal(init->mm->mm_users, 1);
	/* the same VMAs, counters and layout */
	assert_int_equal(child->mm->map_count, init->mm->map_count);
	for (v = init->mm->mmap, w = child->mm->mmap; v;
	     v = v->vm_next, w = w->vm_next) {
		assert_non_null(w);
		assert_int_equal(w->vm_start, v->vm_start);
		assert_int_equal(w->vm_end, v->vm_end);
		assert_int_equal(w->vm_flags, v->vm_flags);
		assert_ptr_equal(w->vm_mm, child->mm);
	}
	assert_null(w);
	assert_int_equal(child->mm->total_vm, init->mm->total_vm);
	assert_int_equal(child->mm->brk, init->mm->brk);
	assert_int_equal(child->mm->mmap_base, init->mm->mmap_base);
	assert_int_equal(get_mm_counter(child->mm, MM_ANONPAGES),
			 get_mm_counter(init->mm, MM_ANONPAGES));
	assert_int_equal(child->mm->hiwater_rss, get_mm_rss(child->mm));
	/* the page is shared read-only */
	assert_ptr_equal(page_at(child, a), page_at(init, a));
	assert_int_equal(page_mapcount(page_at(init, a)), 2);
	assert_false(pte_write(ptep_get(mm_find_pte(init->mm, a))));
	/* getpid and getppid */
	assert_int_equal(sys_getpid(), 1);
	assert_int_equal(sys_getppid(), 0);
	set_current_task(child);
	assert_int_equal(sys_getpid(), 2);
	assert_int_equal(sys_getppid(), 1);
	assert_int_equal(peek(a), 'x');
	expect_invariants();
	set_current_task(init);
	end_init(init);
	expect_no_reports();
}

static void test_cow_one_fault_per_page_written(void **state)
{
	enum { PAGES = 16, WRITTEN = 10 };
	struct task_struct *init, *child;
	unsigned long a, flt, pgfault, copied, free_before;

	(void)state;
	boot_machine("ram=256M");
	init = start_init();
	a = map_anon(PAGES);
	for (int i = 0; i < PAGES; i++)
		poke(a + i * PAGE_SIZE, 'P');
	child = fork_child();
	copied = get_mm_counter(child->mm, MM_ANONPAGES);
	set_current_task(child);
	flt = child->min_flt;
	pgfault = vmstat_counter("pgfault");
	free_before = free_pages_drained();
	for (int i = 0; i < WRITTEN; i++) {
		poke(a + i * PAGE_SIZE, 'C');
		poke(a + i * PAGE_SIZE + 100, 'c'); /* no second fault */
	}
	assert_int_equal(child->min_flt, flt + WRITTEN);
	assert_int_equal(vmstat_counter("pgfault"), pgfault + WRITTEN);
	assert_int_equal(free_pages_drained(), free_before - WRITTEN);
	/* RSS moves from shared to own pages: the count stays */
	assert_int_equal(get_mm_counter(child->mm, MM_ANONPAGES), copied);
	for (int i = 0; i < PAGES; i++)
		assert_int_equal(peek(a + i * PAGE_SIZE),
				 i < WRITTEN ? 'C' : 'P');
	set_current_task(init);
	for (int i = 0; i < PAGES; i++) {
		struct page *p = page_at(init, a + i * PAGE_SIZE);

		assert_int_equal(peek(a + i * PAGE_SIZE), 'P');
		assert_int_equal(peek(a + i * PAGE_SIZE + 100), 0);
		assert_int_equal(page_mapcount(p), i < WRITTEN ? 1 : 2);
		assert_int_equal(page_at(child, a + i * PAGE_SIZE) == p,
				 i >= WRITTEN);
	}
	expect_invariants();
	end_init(init);
	expect_no_reports();
}

static void test_parent_write_copies_while_child_maps(void **state)
{
	struct task_struct *init, *child;
	unsigned long a, reuse, flt;

	(void)state;
	boot_machine("ram=256M");
	init = start_init();
	a = map_anon(4);
	poke(a, 'P');
	child = fork_child();
	reuse = vmstat_counter("pgreuse");
	flt = init->min_flt;
	poke(a, 'Q');
	assert_int_equal(init->min_flt, flt + 1);
	assert_int_equal(vmstat_counter("pgreuse"), reuse);
	assert_ptr_not_equal(page_at(init, a), page_at(child, a));
	set_current_task(child);
	assert_int_equal(peek(a), 'P');
	set_current_task(init);
	assert_int_equal(peek(a), 'Q');
	expect_invariants();
	end_init(init);
	expect_no_reports();
}

static void test_parent_reuses_pages_child_let_go(void **state)
{
	struct task_struct *init, *child;
	unsigned long a, reuse, flt, free_before;
	struct page *p0, *p1;

	(void)state;
	boot_machine("ram=256M");
	init = start_init();
	a = map_anon(4);
	poke(a, 'P');
	poke(a + PAGE_SIZE, 'P');
	p0 = page_at(init, a);
	p1 = page_at(init, a + PAGE_SIZE);
	child = fork_child();
	/* the child copies page 1, then exits: it maps neither */
	set_current_task(child);
	poke(a + PAGE_SIZE, 'C');
	do_exit(0);
	assert_ptr_equal(current, M->cpus[0].idle);
	set_current_task(init);
	reap(child);
	reuse = vmstat_counter("pgreuse");
	flt = init->min_flt;
	free_before = free_pages_drained();
	poke(a, 'Q');
	poke(a + PAGE_SIZE, 'Q');
	assert_int_equal(init->min_flt, flt + 2);
	assert_int_equal(vmstat_counter("pgreuse"), reuse + 2);
	assert_int_equal(free_pages_drained(), free_before);
	assert_ptr_equal(page_at(init, a), p0);
	assert_ptr_equal(page_at(init, a + PAGE_SIZE), p1);
	assert_int_equal(page_ref_count(p0), 1);
	expect_invariants();
	end_init(init);
	expect_no_reports();
}

static void test_zero_page_after_fork(void **state)
{
	struct task_struct *init, *child;
	unsigned long a, b, flt;
	struct page *zero;

	(void)state;
	boot_machine("ram=256M");
	init = start_init();
	zero = ZERO_PAGE();
	/* a: one page written (an anon_vma), one read (the zero page);
	 * b: only read, no anon_vma, so fork copies none of its PTEs */
	a = map_anon(4);
	poke(a, 'P');
	assert_int_equal(peek(a + PAGE_SIZE), 0);
	b = map_at(0x10000000, 4);
	assert_int_equal(peek(b), 0);
	assert_null(page_at(init, a + PAGE_SIZE));
	child = fork_child();
	assert_non_null(mm_find_pte(child->mm, a + PAGE_SIZE));
	assert_int_equal(
		pte_pfn(ptep_get(mm_find_pte(child->mm, a + PAGE_SIZE))),
		page_to_pfn(zero));
	assert_null(mm_find_pte(child->mm, b));
	set_current_task(child);
	flt = child->min_flt;
	poke(a + PAGE_SIZE + 7, 'z');
	poke(b + 7, 'y');
	assert_int_equal(child->min_flt, flt + 2);
	assert_int_equal(peek(a + PAGE_SIZE), 0);
	assert_int_equal(peek(a + PAGE_SIZE + 7), 'z');
	assert_int_equal(peek(b + 7), 'y');
	assert_int_equal(page_mapcount(page_at(child, a + PAGE_SIZE)), 1);
	set_current_task(init);
	assert_int_equal(peek(a + PAGE_SIZE + 7), 0);
	assert_int_equal(peek(b + 7), 0);
	/* the parent writes its zero-page PTE: a new page of its own */
	poke(a + PAGE_SIZE, 'p');
	assert_ptr_not_equal(page_at(init, a + PAGE_SIZE),
			     page_at(child, a + PAGE_SIZE));
	expect_invariants();
	end_init(init);
	expect_no_reports();
}

/* rmap_walk_anon callback: counts the mms that map the page. */
static bool count_mapping(struct page *page, struct vm_area_struct *vma,
			  unsigned long address, pte_t *pte, void *arg)
{
	int *n = arg;

	(void)vma;
	(void)address;
	assert_int_equal(pte_pfn(ptep_get(pte)), page_to_pfn(page));
	(*n)++;
	return true;
}

static int rmap_count(struct page *page)
{
	int n = 0, calls = rmap_walk_anon(page, count_mapping, &n);

	assert_int_equal(calls, n);
	return n;
}

static void test_fork_of_fork_rmap(void **state)
{
	struct task_struct *init, *child, *grand;
	unsigned long a;
	struct page *p;

	(void)state;
	boot_machine("ram=256M");
	init = start_init();
	a = map_anon(4);
	poke(a, 'I');
	poke(a + PAGE_SIZE, 'I');
	p = page_at(init, a);
	child = fork_child();
	set_current_task(child);
	grand = fork_child();
	assert_ptr_equal(grand->real_parent, child);
	/* three generations map the page: three PTEs, rmap finds each */
	assert_int_equal(page_mapcount(p), 3);
	assert_int_equal(page_ref_count(p), 3);
	assert_int_equal(rmap_count(p), 3);
	expect_invariants();
	/* the grandchild writes: its own copy, found once */
	set_current_task(grand);
	poke(a, 'G');
	assert_int_equal(page_mapcount(p), 2);
	assert_int_equal(rmap_count(p), 2);
	assert_int_equal(rmap_count(page_at(grand, a)), 1);
	assert_int_equal(peek(a), 'G');
	/* the child unmaps: one left */
	set_current_task(child);
	assert_int_equal(peek(a), 'I');
	assert_int_equal(sys_munmap(a, PAGE_SIZE), 0);
	assert_int_equal(page_mapcount(p), 1);
	assert_int_equal(rmap_count(p), 1);
	/* page 1 is still in three mms; the grandchild exits: two */
	assert_int_equal(rmap_count(page_at(init, a + PAGE_SIZE)), 3);
	set_current_task(grand);
	do_exit(0);
	assert_int_equal(rmap_count(page_at(init, a + PAGE_SIZE)), 2);
	assert_int_equal(page_mapcount(page_at(init, a + PAGE_SIZE)), 2);
	expect_invariants();
	set_current_task(child);
	assert_int_equal(reap(grand), 0);
	set_current_task(init);
	assert_int_equal(peek(a), 'I');
	expect_invariants();
	end_init(init);
	expect_no_reports();
}

/* anon_vma of the VMA at addr in t. */
static struct anon_vma *anon_vma_at(struct task_struct *t, unsigned long addr)
{
	return vma_lookup(t->mm, addr)->anon_vma;
}

static void test_fork_reuses_orphaned_anon_vma(void **state)
{
	struct task_struct *init, *c, *g1, *g2;
	struct anon_vma *root, *av_c;
	unsigned long a;

	(void)state;
	boot_machine("ram=256M");
	init = start_init();
	a = map_anon(2);
	poke(a, 'i');
	root = anon_vma_at(init, a);
	c = fork_child();
	av_c = anon_vma_at(c, a);
	assert_ptr_not_equal(av_c, root);
	assert_ptr_equal(av_c->parent, root);
	set_current_task(c);
	g1 = fork_child();
	assert_ptr_equal(anon_vma_at(g1, a)->parent, av_c);
	do_exit(0);
	/* c's anon_vma has no VMA now and one child: g1's fork reuses it
	 * rather than making a fourth generation; the root never is */
	set_current_task(g1);
	g2 = fork_child();
	assert_ptr_equal(anon_vma_at(g2, a), av_c);
	assert_int_equal(av_c->num_active_vmas, 1);
	set_current_task(g2);
	poke(a, 'g');
	assert_ptr_equal(page_anon_vma(page_at(g2, a)), av_c);
	assert_int_equal(rmap_count(page_at(init, a)), 2); /* init, g1 */
	expect_invariants();
	set_current_task(init);
	end_init(init);
	expect_invariants();
	expect_no_reports();
}

static void test_dontcopy_and_wipeonfork(void **state)
{
	struct task_struct *init, *child;
	unsigned long a, b, c;

	(void)state;
	boot_machine("ram=256M");
	init = start_init();
	/* separate VMAs with different flags */
	a = map_at(0x10000000, 2);
	b = map_at(0x20000000, 2);
	c = map_at(0x30000000, 2);
	poke(a, 'a');
	poke(b, 'b');
	poke(c, 'c');
	find_vma(init->mm, a)->vm_flags |= VM_DONTCOPY;
	find_vma(init->mm, b)->vm_flags |= VM_WIPEONFORK;
	child = fork_child();
	assert_int_equal(child->mm->map_count, init->mm->map_count - 1);
	assert_int_equal(child->mm->total_vm, init->mm->total_vm - 2);
	assert_null(vma_lookup(child->mm, a));
	assert_non_null(vma_lookup(child->mm, b));
	assert_null(vma_lookup(child->mm, b)->anon_vma);
	assert_int_equal(get_mm_counter(child->mm, MM_ANONPAGES),
			 get_mm_counter(init->mm, MM_ANONPAGES) - 2);
	set_current_task(child);
	assert_int_equal(user_access(a, NULL, 1, false), -EFAULT);
	assert_int_equal(peek(b), 0);
	assert_int_equal(peek(c), 'c');
	expect_invariants();
	set_current_task(init);
	assert_int_equal(peek(b), 'b');
	end_init(init);
	expect_no_reports();
}

static void test_locked_and_accounted_vmas(void **state)
{
	struct task_struct *init, *child;
	long committed;
	unsigned long a;

	(void)state;
	boot_machine("ram=256M");
	init = start_init();
	a = (unsigned long)sys_mmap(0, 4 * PAGE_SIZE, RW, ANON | MAP_LOCKED,
				    -1UL, 0);
	assert_false(IS_ERR_VALUE(a));
	assert_int_equal(init->mm->locked_vm, 4);
	committed = M->vm_committed_as;
	child = fork_child();
	/* mlock is not inherited; private writable memory is charged again */
	assert_int_equal(child->mm->locked_vm, 0);
	assert_false(vma_lookup(child->mm, a)->vm_flags & VM_LOCKED);
	assert_true(M->vm_committed_as > committed);
	set_current_task(child);
	do_exit(0);
	set_current_task(init);
	reap(child);
	assert_int_equal(M->vm_committed_as, committed);
	end_init(init);
	expect_no_reports();
}

/* ---- exit and wait4 ------------------------------------------------------------- */

static void test_exit_leaves_zombie_until_wait4(void **state)
{
	struct task_struct *init, *child;
	unsigned long a, stack_kb, cmin;
	struct rusage ru;
	int status = 0;

	(void)state;
	boot_machine("ram=256M");
	init = start_init();
	a = map_anon(8);
	child = fork_child();
	set_current_task(child);
	for (int i = 0; i < 8; i++)
		poke(a + i * PAGE_SIZE, 'c');
	assert_true(child->min_flt >= 8);
	/* nothing to reap yet */
	set_current_task(init);
	assert_int_equal(sys_wait4(-1, &status, WNOHANG, NULL), 0);
	assert_int_equal(sys_wait4(-1, &status, 0, NULL), -EAGAIN);
	stack_kb = global_node_page_state(NR_KERNEL_STACK_KB);
	set_current_task(child);
	assert_int_equal(sys_exit_group(3), 0);
	/* a zombie: no mm, no kernel stack, still a pid */
	assert_ptr_equal(current, M->cpus[0].idle);
	assert_int_equal(child->exit_state, EXIT_ZOMBIE);
	assert_null(child->mm);
	assert_null(child->stack);
	assert_ptr_equal(find_task_by_vpid(child->pid), child);
	assert_int_equal(global_node_page_state(NR_KERNEL_STACK_KB),
			 stack_kb - (PAGE_SIZE << 2) / 1024);
	set_current_task(child);
	assert_ptr_equal(current, M->cpus[0].idle);
	assert_true(log_contains("set_current_task: init[2] has exited"));
	M->nr_warns = 0;
	/* the parent reaps it: status, rusage, cmin_flt */
	set_current_task(init);
	cmin = init->signal->cmin_flt;
	assert_int_equal(sys_wait4(child->pid, &status, 0, &ru), 2);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 3);
	assert_true(ru.ru_minflt >= 8);
	assert_true(ru.ru_maxrss >= 8 * 4);
	assert_int_equal(init->signal->cmin_flt,
			 cmin + (unsigned long)ru.ru_minflt);
	assert_true(init->signal->cmaxrss >= 8);
	assert_null(find_task_by_vpid(2));
	assert_int_equal(sys_wait4(-1, &status, WNOHANG, NULL), -ECHILD);
	expect_invariants();
	end_init(init);
	expect_no_reports();
}

static void test_wait4_errors_and_selection(void **state)
{
	struct task_struct *init, *a, *b;
	int status;

	(void)state;
	boot_machine("ram=256M");
	init = start_init();
	assert_int_equal(sys_wait4(-1, &status, 0, NULL), -ECHILD);
	assert_int_equal(sys_wait4(-1, &status, 0x100, NULL), -EINVAL);
	assert_int_equal(sys_wait4(INT_MIN, &status, 0, NULL), -ESRCH);
	a = fork_child();
	b = task(sys_clone(SIGUSR1, 0)); /* a "clone" child */
	assert_int_equal(b->exit_signal, SIGUSR1);
	assert_int_equal(sys_wait4(99, &status, WNOHANG, NULL), -ECHILD);
	assert_int_equal(sys_wait4(-5, &status, WNOHANG, NULL), -ECHILD);
	set_current_task(b);
	do_exit(SIGKILL);
	set_current_task(a);
	do_exit(7 << 8);
	set_current_task(init);
	/* a plain wait sees only a; __WCLONE only b; pid 0: our group */
	assert_int_equal(sys_wait4(b->pid, &status, WNOHANG, NULL), -ECHILD);
	assert_int_equal(sys_wait4(0, &status, WNOHANG, NULL), a->pid);
	assert_int_equal(WEXITSTATUS(status), 7);
	assert_int_equal(sys_wait4(-1, &status, WNOHANG, NULL), -ECHILD);
	assert_int_equal(sys_wait4(-1, &status, WNOHANG | __WCLONE, NULL),
			 b->pid);
	assert_true(WIFSIGNALED(status));
	assert_int_equal(WTERMSIG(status), SIGKILL);
	end_init(init);
	expect_no_reports();
}

static void test_orphans_go_to_init(void **state)
{
	struct task_struct *init, *a, *b;
	int status;

	(void)state;
	boot_machine("ram=256M");
	init = start_init();
	a = fork_child();
	set_current_task(a);
	b = fork_child();
	do_exit(0);
	set_current_task(b);
	assert_int_equal(sys_getppid(), 1);
	assert_ptr_equal(b->real_parent, init);
	set_current_task(init);
	assert_int_equal(sys_wait4(a->pid, &status, WNOHANG, NULL), a->pid);
	assert_int_equal(sys_wait4(-1, &status, WNOHANG, NULL), 0);
	set_current_task(b);
	do_exit(0);
	set_current_task(init);
	assert_int_equal(sys_wait4(-1, &status, WNOHANG, NULL), b->pid);
	/* init's own exit is a panic in Linux: said, then carried on */
	do_exit(0);
	assert_true(log_contains(
		"Kernel panic - not syncing: Attempted to kill init! exitcode=0x00000000"));
	assert_int_equal(M->nr_bugs, 1);
	/* swapper does not wait: init is released at once */
	assert_null(find_task_by_vpid(1));
	assert_int_equal(M->nr_threads, 0);
	expect_invariants();
}

static void test_children_of_swapper_are_reaped_at_exit(void **state)
{
	struct exec_image img;
	struct task_struct *t;
	int err;

	(void)state;
	boot_machine("ram=256M");
	start_init();
	set_current_task(NULL);
	exec_image(&img, "/bin/daemon");
	t = create_user_process(&img, &err);
	assert_non_null(t);
	assert_int_equal(t->pid, 2);
	assert_ptr_equal(t->real_parent, M->init_task);
	set_current_task(t);
	assert_int_equal(sys_getppid(), 0);
	do_exit(0);
	assert_null(find_task_by_vpid(2));
	release_task(find_task_by_vpid(1));
	assert_int_equal(M->nr_threads, 0);
	expect_invariants();
	expect_no_reports();
}

static void test_exit_misuse_is_reported(void **state)
{
	struct task_struct *init, *kthread;
	int status;

	(void)state;
	boot_machine("ram=256M");
	init = start_init();
	/* the idle task cannot exit */
	set_current_task(NULL);
	do_exit(0);
	assert_true(log_contains(
		"Kernel panic - not syncing: Attempted to kill the idle task!"));
	assert_ptr_equal(current, M->cpus[0].idle);
	/* swapper forks a kernel thread: no mm; it exits and is reaped */
	kthread = task(sys_fork());
	assert_null(kthread->mm);
	set_current_task(kthread);
	do_exit(0);
	assert_null(find_task_by_vpid(2));
	/* exit_group keeps the low byte of the status */
	set_current_task(init);
	kthread = fork_child();
	set_current_task(kthread);
	sys_exit_group(0x1234);
	set_current_task(init);
	assert_int_equal(sys_wait4(-1, &status, 0, NULL), kthread->pid);
	assert_int_equal(WEXITSTATUS(status), 0x34);
	assert_int_equal(M->nr_bugs, 1);
	end_init(init);
}

/* ---- vfork ----------------------------------------------------------------------- */

static void test_vfork_parent_sleeps_until_exec(void **state)
{
	struct task_struct *init, *child;
	struct exec_image img;
	unsigned long a;

	(void)state;
	boot_machine("ram=256M");
	init = start_init();
	a = map_anon(2);
	poke(a, 'p');
	child = task(sys_vfork());
	/* the parent sleeps (D) and its CPU runs swapper */
	assert_int_equal(init->__state, TASK_UNINTERRUPTIBLE);
	assert_ptr_equal(current, M->cpus[0].idle);
	set_current_task(init);
	assert_ptr_equal(current, M->cpus[0].idle);
	assert_true(log_contains(
		"set_current_task: init[1] is asleep (waiting for its vfork child)"));
	M->nr_warns = 0;
	/* the child borrows the parent's mm: its writes are the parent's */
	assert_ptr_equal(child->mm, init->mm);
	assert_int_equal(init->mm->mm_users, 2);
	set_current_task(child);
	poke(a, 'v');
	exec_image(&img, "/bin/sh");
	assert_int_equal(kernel_execve(&img), 0);
	/* exec gave the child its own mm: the parent wakes */
	assert_int_equal(init->__state, TASK_RUNNING);
	assert_int_equal(init->mm->mm_users, 1);
	assert_ptr_not_equal(child->mm, init->mm);
	assert_string_equal(child->comm, "sh");
	set_current_task(init);
	assert_ptr_equal(current, init);
	assert_int_equal(peek(a), 'v');
	expect_invariants();
	end_init(init);
	expect_no_reports();
}

static void test_vfork_parent_wakes_at_child_exit(void **state)
{
	struct task_struct *init, *child;
	int status;

	(void)state;
	boot_machine("ram=256M");
	init = start_init();
	child = task(sys_vfork());
	set_current_task(child);
	sys_exit_group(1);
	assert_int_equal(init->__state, TASK_RUNNING);
	assert_int_equal(init->mm->mm_users, 1);
	set_current_task(init);
	assert_ptr_equal(current, init);
	assert_int_equal(sys_wait4(-1, &status, 0, NULL), child->pid);
	assert_int_equal(WEXITSTATUS(status), 1);
	end_init(init);
	expect_no_reports();
}

/* ---- threads ------------------------------------------------------------------------ */

#define THREAD_FLAGS                                                        \
	(CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD | \
	 CLONE_SYSVSEM | CLONE_SETTLS | CLONE_PARENT_SETTID |               \
	 CLONE_CHILD_CLEARTID)

static void test_clone_threads_share_mm(void **state)
{
	struct task_struct *init, *proc, *thr;
	unsigned long a, sp = 0x7f0000001000UL;
	int status;
	pid_t tid;

	(void)state;
	boot_machine("ram=256M");
	init = start_init();
	proc = fork_child();
	set_current_task(proc);
	a = map_anon(2);
	thr = task(sys_clone(THREAD_FLAGS, sp));
	assert_int_equal(thr->tgid, proc->pid);
	assert_ptr_equal(thr->group_leader, proc);
	assert_ptr_equal(thr->mm, proc->mm);
	assert_ptr_equal(thr->signal, proc->signal);
	assert_ptr_equal(thr->real_parent, init);
	assert_int_equal(thr->exit_signal, -1);
	assert_int_equal(thr->user_sp, sp);
	assert_int_equal(proc->mm->mm_users, 2);
	assert_int_equal(proc->signal->nr_threads, 2);
	set_current_task(thr);
	assert_int_equal(sys_getpid(), proc->pid);
	assert_int_equal(sys_getppid(), 1);
	poke(a, 't');
	assert_int_equal(thr->min_flt, 1);
	set_current_task(proc);
	assert_int_equal(peek(a), 't');
	/* a thread's exit: reaped at once, not a child of anyone */
	assert_int_equal(sys_wait4(-1, &status, WNOHANG | __WALL, NULL),
			 -ECHILD);
	set_current_task(thr);
	tid = thr->pid;
	do_exit(0);
	assert_null(find_task_by_vpid(tid));
	assert_int_equal(proc->mm->mm_users, 1);
	assert_int_equal(proc->signal->nr_threads, 1);
	assert_int_equal(proc->signal->min_flt, 1);
	/* exit_group from a new thread takes the leader along */
	set_current_task(proc);
	thr = task(sys_clone(THREAD_FLAGS, 0));
	set_current_task(thr);
	sys_exit_group(5);
	assert_int_equal(proc->exit_state, EXIT_ZOMBIE);
	set_current_task(init);
	assert_int_equal(sys_wait4(-1, &status, WNOHANG, NULL), proc->pid);
	assert_int_equal(WEXITSTATUS(status), 5);
	assert_true(init->signal->cmin_flt >= 1);
	expect_invariants();
	end_init(init);
	expect_no_reports();
}

static void test_leader_exit_waits_for_threads(void **state)
{
	struct task_struct *init, *proc, *thr, *kid;
	int status;

	(void)state;
	boot_machine("ram=256M");
	init = start_init();
	proc = fork_child();
	set_current_task(proc);
	thr = task(sys_clone(THREAD_FLAGS, 0));
	kid = fork_child();
	/* the leader exits alone: a zombie init cannot reap yet, its child
	 * goes to the live thread */
	do_exit(2 << 8);
	assert_int_equal(proc->exit_state, EXIT_ZOMBIE);
	assert_ptr_equal(kid->real_parent, thr);
	assert_non_null(thr->mm);
	set_current_task(init);
	assert_int_equal(sys_wait4(-1, &status, WNOHANG, NULL), 0);
	/* the thread reaps the child (a child of its process) */
	set_current_task(kid);
	do_exit(0);
	set_current_task(thr);
	assert_int_equal(sys_wait4(-1, &status, WNOHANG, NULL), kid->pid);
	do_exit(0);
	set_current_task(init);
	assert_int_equal(sys_wait4(-1, &status, WNOHANG, NULL), proc->pid);
	assert_int_equal(WEXITSTATUS(status), 2);
	expect_invariants();
	end_init(init);
	expect_no_reports();
}

static void test_clone_flag_errors(void **state)
{
	struct task_struct *init;

	(void)state;
	boot_machine("ram=256M");
	init = start_init();
	assert_int_equal(sys_clone(CLONE_THREAD | CLONE_VM, 0), -EINVAL);
	assert_int_equal(sys_clone(CLONE_SIGHAND, 0), -EINVAL);
	assert_int_equal(sys_clone(CLONE_PARENT | SIGCHLD, 0), -EINVAL);
	assert_int_equal(sys_clone(CLONE_NEWPID | SIGCHLD, 0), -EINVAL);
	assert_int_equal(sys_clone(CLONE_NEWNS | CLONE_FS, 0), -EINVAL);
	assert_int_equal(M->nr_threads, 1);
	end_init(init);
	expect_no_reports();
}

static void test_fork_fails_past_max_threads(void **state)
{
	struct task_struct *init;
	int max;

	(void)state;
	boot_machine("ram=256M");
	init = start_init();
	max = M->max_threads;
	M->max_threads = 3;
	fork_child();
	fork_child();
	assert_int_equal(sys_fork(), -EAGAIN);
	M->max_threads = max;
	end_init(init);
	expect_no_reports();
}

static void test_fork_fails_past_rlimit_nproc(void **state)
{
	struct task_struct *init;

	(void)state;
	boot_machine("ram=256M");
	init = start_init();
	assert_int_equal(init->signal->rlim[RLIMIT_NPROC].rlim_cur,
			 (unsigned long)M->max_threads / 2);
	init->signal->rlim[RLIMIT_NPROC].rlim_cur = 3;
	fork_child();
	fork_child();
	assert_int_equal(sys_fork(), -EAGAIN);
	assert_int_equal(sys_clone(THREAD_FLAGS, 0), -EAGAIN);
	/* swapper is root: not limited */
	set_current_task(NULL);
	task(sys_fork());
	set_current_task(init);
	end_init(init);
	expect_no_reports();
}

/* ---- TLBs: the parent's other CPUs see the write protection ---------------------- */

static void test_fork_flushes_other_cpus(void **state)
{
	struct task_struct *init, *thr, *child;
	unsigned long a, flt;

	(void)state;
	boot_machine("ram=256M", "cpus=2");
	init = start_init();
	a = map_anon(1);
	thr = task(sys_clone(THREAD_FLAGS, 0));
	/* the thread runs on CPU 1 with a writable translation cached */
	M->this_cpu = 1;
	set_current_task(thr);
	poke(a, 'T');
	poke(a, 'T');
	M->this_cpu = 0;
	child = fork_child();
	M->this_cpu = 1;
	flt = thr->min_flt;
	poke(a, 'U');
	assert_int_equal(thr->min_flt, flt + 1);
	set_current_task(NULL);
	M->this_cpu = 0;
	set_current_task(child);
	assert_int_equal(peek(a), 'T');
	set_current_task(init);
	assert_int_equal(peek(a), 'U');
	expect_invariants();
	end_init(init);
	expect_no_reports();
}

/* ---- other page-table formats ------------------------------------------------- */

/* Pages across a page table of the arch, written after fork. */
static void fork_cow_on(const char *arch)
{
	struct task_struct *init, *child;
	unsigned long a;

	boot_machine("ram=256M", arch);
	init = start_init();
	a = map_anon(1024 + 4); /* across a page table */
	for (int i = 0; i < 1028; i += 257)
		poke(a + (unsigned long)i * PAGE_SIZE, 'p');
	child = fork_child();
	set_current_task(child);
	for (int i = 0; i < 1028; i += 257) {
		assert_int_equal(peek(a + (unsigned long)i * PAGE_SIZE), 'p');
		poke(a + (unsigned long)i * PAGE_SIZE, 'c');
	}
	set_current_task(init);
	for (int i = 0; i < 1028; i += 257)
		assert_int_equal(peek(a + (unsigned long)i * PAGE_SIZE), 'p');
	expect_invariants();
	end_init(init);
	expect_no_reports();
}

static void test_fork_cow_on_i386(void **state)
{
	(void)state;
	fork_cow_on("arch=i386"); /* two levels, 4-byte entries */
}

static void test_fork_cow_on_riscv64(void **state)
{
	(void)state;
	fork_cow_on("arch=riscv64"); /* Sv39 */
}

/* ---- the checker ------------------------------------------------------------------- */

static void test_checker_reports_corruption(void **state)
{
	struct task_struct *init, *child;
	struct vm_area_struct *vma;
	struct page *p;
	unsigned long a;
	size_t mark;

	(void)state;
	boot_machine("ram=256M");
	init = start_init();
	a = map_anon(2);
	poke(a, 'x');
	child = fork_child();
	p = page_at(init, a);
	expect_invariants();
	/* a mapcount off by one */
	mark = log_mark();
	p->_mapcount++;
	assert_true(check_mm_invariants(child->mm) >= 1);
	assert_true(
		log_contains_since(mark, "BUG: Bad page map in process init"));
	assert_true(log_contains_since(
		mark,
		"page dumped because: mapcount does not match the PTEs mapping it"));
	p->_mapcount--;
	/* a shared page made writable */
	mark = log_mark();
	set_pte(mm_find_pte(init->mm, a),
		pte_mkwrite_novma(ptep_get(mm_find_pte(init->mm, a))));
	assert_int_equal(check_mm_invariants(init->mm), 1);
	assert_true(
		log_contains_since(mark, "shared anon page mapped writable"));
	ptep_set_wrprotect(init->mm, a, mm_find_pte(init->mm, a));
	/* RSS counter */
	mark = log_mark();
	inc_mm_counter(child->mm, MM_ANONPAGES);
	assert_int_equal(check_mm_invariants(child->mm), 1);
	assert_true(log_contains_since(mark, "BUG: Bad rss-counter state mm:"));
	assert_true(log_contains_since(mark, "type:MM_ANONPAGES val:"));
	dec_mm_counter(child->mm, MM_ANONPAGES);
	/* the tree: map_count and a gap */
	mark = log_mark();
	child->mm->map_count++;
	vma = child->mm->mmap;
	vma->rb_subtree_gap += PAGE_SIZE;
	assert_true(check_mm_invariants(child->mm) >= 3);
	assert_true(log_contains_since(mark, "free gap "));
	assert_true(log_contains_since(mark, " vm_next "));
	assert_true(log_contains_since(mark, " rb "));
	assert_true(log_contains_since(mark, "kernel BUG at mm/debug_vm.c:"));
	child->mm->map_count--;
	vma->rb_subtree_gap -= PAGE_SIZE;
	expect_invariants();
	end_init(init);
}

/* ---- everything given back ---------------------------------------------------------- */

/* The caches of processes (or the caches SLUB merged them into). */
static struct kmem_cache *const *proc_cache(size_t i)
{
	struct kmem_cache *const *c[] = {
		&M->caches.vm_area_struct, &M->caches.anon_vma,
		&M->caches.anon_vma_chain, &M->caches.mm_struct,
		&M->caches.task_struct,	   &M->caches.signal,
	};

	return c[i];
}

#define NR_PROC_CACHES 6

/* Objects in use: SLUB counts a CPU's whole slab as in use, so the CPU
 * slabs go back to the node lists first (kmem_cache_shrink). */
static unsigned long cache_objs(size_t i)
{
	char path[128], *text;
	unsigned long n;

	kmem_cache_shrink(*proc_cache(i));
	snprintf(path, sizeof(path), "/sys/kernel/slab/%s/objects",
		 (*proc_cache(i))->name);
	text = proc_text(path);
	n = strtoul(text, NULL, 10);
	free(text);
	return n;
}

static void test_everything_freed_at_exit(void **state)
{
	unsigned long objs[NR_PROC_CACHES], free_before, stack_kb, tables;
	struct task_struct *init, *a, *b, *thr;
	unsigned long m;
	long committed;
	int status;

	(void)state;
	boot_machine("ram=256M");
	committed = M->vm_committed_as;
	free_before = free_pages_drained() + slab_pages();
	stack_kb = global_node_page_state(NR_KERNEL_STACK_KB);
	tables = global_node_page_state(NR_PAGETABLE);
	for (size_t i = 0; i < NR_PROC_CACHES; i++)
		objs[i] = cache_objs(i);
	init = start_init();
	m = map_anon(64);
	for (int i = 0; i < 64; i++)
		poke(m + (unsigned long)i * PAGE_SIZE, 'i');
	a = fork_child();
	set_current_task(a);
	for (int i = 0; i < 64; i += 2)
		poke(m + (unsigned long)i * PAGE_SIZE, 'a');
	b = fork_child();
	thr = task(sys_clone(THREAD_FLAGS, 0));
	set_current_task(b);
	sys_munmap(m, 8 * PAGE_SIZE);
	poke(m + 9 * PAGE_SIZE, 'b');
	sys_exit_group(0);
	set_current_task(thr);
	assert_int_equal(sys_wait4(b->pid, &status, WNOHANG, NULL), b->pid);
	sys_exit_group(0);
	set_current_task(init);
	assert_int_equal(sys_wait4(-1, &status, WNOHANG, NULL), a->pid);
	expect_invariants();
	end_init(init);
	assert_int_equal(M->nr_threads, 0);
	assert_int_equal(free_pages_drained() + slab_pages(), free_before);
	assert_int_equal(global_node_page_state(NR_KERNEL_STACK_KB), stack_kb);
	assert_int_equal(global_node_page_state(NR_PAGETABLE), tables);
	assert_int_equal(M->vm_committed_as, committed);
	assert_int_equal(vmstat_counter("nr_anon_pages"), 0);
	assert_int_equal(vmstat_counter("nr_inactive_anon"), 0);
	for (size_t i = 0; i < NR_PROC_CACHES; i++)
		if (cache_objs(i) != objs[i])
			fail_msg("%s: %lu objects at boot, %lu at the end",
				 (*proc_cache(i))->name, objs[i],
				 cache_objs(i));
	expect_no_reports();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_teardown(f, destroy_current)
		T(test_fork_copies_the_address_space),
		T(test_cow_one_fault_per_page_written),
		T(test_parent_write_copies_while_child_maps),
		T(test_parent_reuses_pages_child_let_go),
		T(test_zero_page_after_fork),
		T(test_fork_of_fork_rmap),
		T(test_fork_reuses_orphaned_anon_vma),
		T(test_dontcopy_and_wipeonfork),
		T(test_locked_and_accounted_vmas),
		T(test_exit_leaves_zombie_until_wait4),
		T(test_wait4_errors_and_selection),
		T(test_orphans_go_to_init),
		T(test_children_of_swapper_are_reaped_at_exit),
		T(test_exit_misuse_is_reported),
		T(test_vfork_parent_sleeps_until_exec),
		T(test_vfork_parent_wakes_at_child_exit),
		T(test_clone_threads_share_mm),
		T(test_leader_exit_waits_for_threads),
		T(test_clone_flag_errors),
		T(test_fork_fails_past_max_threads),
		T(test_fork_fails_past_rlimit_nproc),
		T(test_fork_flushes_other_cpus),
		T(test_fork_cow_on_i386),
		T(test_fork_cow_on_riscv64),
		T(test_checker_reports_corruption),
		T(test_everything_freed_at_exit),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
