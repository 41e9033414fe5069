/* The OOM killer (mm/oom_kill.c): the victim is the process with the
 * highest badness; oom_score_adj -1000 protects and +1000 condemns;
 * vm.oom_kill_allocating_task; init and kernel threads are never chosen;
 * the report's exact lines; the allocation that ran out succeeds once
 * the victim is reaped and MemFree shows its memory back; no kill while
 * memory is free; nothing killable and vm.panic_on_oom panic without
 * crashing; /proc/PID/oom_score, oom_score_adj and oom_adj with their
 * errno values and inheritance across fork. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>

#include <cmocka.h>

#include "helpers.h"

#include <errno.h>
#include <limits.h>
#include <signal.h>

#include "init/main.h"
#include "kernel/panic.h"
#include "kernel/pid.h"
#include "mm/oom.h"
#include "vm_helpers.h"

#define A 0x10000000UL
#define RW (PROT_READ | PROT_WRITE)

/* A machine with init (pid 1) and kthreadd (pid 2), as a booted Linux
 * has them: the first process of a bare machine would be pid 1, init. */
#define boot_oom(...) boot_oom_opts((const char *const[]){ __VA_ARGS__, NULL })

static void boot_oom_opts(const char *const *opts)
{
	char err[128];

	boot_machine_opts(opts);
	assert_true(rest_init(err, sizeof(err)));
}

/* A process named name with pages of anonymous memory written, and
 * oom_score_adj adj (set as root). current is swapper afterwards. */
static struct task_struct *hog(const char *name, unsigned long pages, int adj)
{
	struct task_struct *t = start_process(name);

	map_fixed(A, pages, RW, MAP_PRIVATE);
	assert_int_equal(user_access(A, NULL, PG(pages), true), 0);
	set_current_task(NULL);
	assert_int_equal(set_oom_score_adj(t, adj, false), 0);
	return get_task_struct(t);
}

/* MemFree with the per-CPU page lists drained (freed pages may wait
 * there), in kB. */
static unsigned long memfree_kb(void)
{
	drain_all_pages(NULL);
	return meminfo_kb("MemFree");
}

static unsigned long rss(const struct task_struct *t)
{
	return t->mm ? get_mm_rss(t->mm) : 0;
}

static bool killed(const struct task_struct *t)
{
	return fatal_signal_pending(t);
}

/* out_of_memory() as the allocator calls it for a page-cache-able
 * GFP_KERNEL request of current. */
static bool oom(void)
{
	struct oom_control oc = { .gfp_mask = GFP_KERNEL, .order = 0 };

	return out_of_memory(&oc);
}

static char *read_pid_file(const struct task_struct *t, const char *file)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/%d/%s", t->pid, file);
	return proc_text(path);
}

static void assert_text(const char *path, const char *text)
{
	char *s = proc_text(path);

	assert_string_equal(s, text);
	free(s);
}

static void assert_pid_file(const struct task_struct *t, const char *file,
			    const char *text)
{
	char *s = read_pid_file(t, file);

	assert_string_equal(s, text);
	free(s);
}

static int write_pid_file(const struct task_struct *t, const char *file,
			  const char *value)
{
	char path[64], err[128] = "";
	int ret;

	snprintf(path, sizeof(path), "/proc/%d/%s", t->pid, file);
	ret = proc_write(path, value, err, sizeof(err));
	if (ret)
		assert_true(err[0]);
	return ret;
}

/* Linux's proc_oom_score() from what a user can read: VmRSS, VmSwap
 * and VmPTE of /proc/PID/status, oom_score_adj, and MemTotal (all RAM
 * the page allocator manages, no swap). */
static unsigned long expected_oom_score(const struct task_struct *t)
{
	long total = (long)M->totalram_pages;
	long points =
		(long)(get_mm_rss(t->mm) + get_mm_counter(t->mm, MM_SWAPENTS)) +
		t->mm->pgtables_bytes / (long)PAGE_SIZE +
		t->signal->oom_score_adj * (total / 1000);

	if (t->signal->oom_score_adj == OOM_SCORE_ADJ_MIN)
		return 0;
	assert_int_equal((unsigned long)total * 4, meminfo_kb("MemTotal"));
	return (unsigned long)((1000 + points * 1000 / total) * 2 / 3);
}

static void test_oom_score(void **state)
{
	struct task_struct *a, *b;
	char buf[32];

	(void)state;
	boot_oom("ram=64M");
	a = hog("small", 500, 0);
	b = hog("big", 3000, 0);
	assert_true(oom_badness(b, M->totalram_pages) >
		    oom_badness(a, M->totalram_pages));
	snprintf(buf, sizeof(buf), "%lu\n", expected_oom_score(a));
	assert_pid_file(a, "oom_score", buf);
	snprintf(buf, sizeof(buf), "%lu\n", expected_oom_score(b));
	assert_pid_file(b, "oom_score", buf);
	/* +1000 is the top of the range, -1000 shows 0 */
	set_oom_score_adj(a, OOM_SCORE_ADJ_MAX, false);
	snprintf(buf, sizeof(buf), "%lu\n", expected_oom_score(a));
	assert_pid_file(a, "oom_score", buf);
	assert_true(oom_score(a) > 1300 && oom_score(a) <= 2000);
	set_oom_score_adj(b, OOM_SCORE_ADJ_MIN, false);
	assert_pid_file(b, "oom_score", "0\n");
	assert_int_equal(oom_badness(b, M->totalram_pages), LONG_MIN);
	put_task_struct(a);
	put_task_struct(b);
}

static void test_highest_badness_dies(void **state)
{
	struct task_struct *s, *b, *m;
	unsigned long free_before, big;

	(void)state;
	boot_oom("ram=64M");
	s = hog("small", 500, 0);
	b = hog("big", 4000, 0);
	m = hog("mid", 2000, 0);
	big = rss(b);
	free_before = memfree_kb();
	assert_true(oom());
	assert_true(killed(b));
	assert_false(killed(s));
	assert_false(killed(m));
	assert_true(tsk_is_oom_victim(b));
	assert_int_equal(vmstat_counter("oom_kill"), 1);
	/* reaped at once: its anonymous memory is free again */
	assert_int_equal(get_mm_counter(b->mm, MM_ANONPAGES), 0);
	assert_true(memfree_kb() >= free_before + (big - 100) * 4);
	assert_true(log_contains("Out of memory: Killed process 5 (big) "));
	assert_true(log_contains(
		"oom_reaper: reaped process 5 (big), now anon-rss:0kB, file-rss:0kB, shmem-rss:0kB\n"));
	/* The next OOM does not wait for the reaped victim: mid goes. */
	assert_true(oom());
	assert_true(killed(m));
	assert_false(killed(s));
	assert_int_equal(vmstat_counter("oom_kill"), 2);
	put_task_struct(s);
	put_task_struct(b);
	put_task_struct(m);
}

static void test_oom_score_adj_protects_and_condemns(void **state)
{
	struct task_struct *s, *b, *m;

	(void)state;
	boot_oom("ram=64M");
	s = hog("small", 300, 0);
	b = hog("big", 4000, OOM_SCORE_ADJ_MIN);
	m = hog("mid", 2000, 0);
	assert_true(oom());
	assert_false(killed(b)); /* -1000: never */
	assert_true(killed(m));
	assert_false(killed(s));
	machine_destroy(M);

	boot_oom("ram=64M");
	s = hog("small", 300, OOM_SCORE_ADJ_MAX);
	b = hog("big", 4000, 0);
	assert_true(oom());
	assert_true(killed(s)); /* +1000 outweighs any size */
	assert_false(killed(b));
	assert_true(log_contains("oom_score_adj:1000\n"));
	put_task_struct(s);
	put_task_struct(b);
}

static void test_kill_allocating_task(void **state)
{
	struct task_struct *s, *b;
	unsigned long small;

	(void)state;
	boot_oom("ram=64M", "vm.oom_kill_allocating_task=1");
	s = hog("small", 300, 0);
	b = hog("big", 4000, 0);
	small = rss(s);
	set_current_task(s);
	assert_true(oom());
	assert_true(killed(s));
	assert_false(killed(b));
	assert_true(log_contains(
		"Out of memory (oom_kill_allocating_task): Killed process 4 (small) "));
	/* current is not reaped under its own feet: it dies at its next
	 * step, with the OOM reserves meanwhile */
	assert_int_equal(rss(s), small);
	assert_false(log_contains("oom_reaper:"));
	assert_true(tsk_is_oom_victim(s));
	/* swapper allocating: the allocating task cannot be killed, so the
	 * usual choice is made (the victim in flight is reaped first). */
	set_current_task(NULL);
	assert_true(oom());
	assert_true(log_contains("oom_reaper: reaped process 4 (small)"));
	assert_false(killed(b));
	assert_true(oom());
	assert_true(killed(b));
	put_task_struct(s);
	put_task_struct(b);
}

/* The report of a known machine, line by line (pid, sizes, adj). */
static void test_report_lines(void **state)
{
	struct task_struct *h;
	const char *log;
	char line[256];

	(void)state;
	boot_oom("ram=64M");
	h = hog("hog", 2048, 300);
	set_current_task(h);
	assert_true(oom());
	log = log_text();
	assert_non_null(strstr(
		log,
		"] hog invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=300\n"));
	assert_non_null(strstr(log, "] CPU: 0 UID: 0 PID: 4 Comm: hog "));
	assert_non_null(strstr(log, "] Mem-Info:\n"));
	assert_non_null(
		strstr(log, "] Tasks state (memory values in pages):\n"));
	assert_non_null(strstr(
		log,
		"] [  pid  ]   uid  tgid total_vm      rss rss_anon rss_file rss_shmem pgtables_bytes swapents oom_score_adj name\n"));
	snprintf(
		line, sizeof(line),
		"] [      4]  1000     4 %8lu %8lu %8lu %8lu         0 %8ld        0           300 hog\n",
		h->mm->total_vm, get_mm_rss(h->mm),
		get_mm_counter(h->mm, MM_ANONPAGES),
		get_mm_counter(h->mm, MM_FILEPAGES), h->mm->pgtables_bytes);
	assert_non_null(strstr(log, line));
	assert_non_null(strstr(
		log,
		"] oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=/,mems_allowed=0,global_oom,task_memcg=/,task=hog,pid=4,uid=1000\n"));
	snprintf(
		line, sizeof(line),
		"] Out of memory: Killed process 4 (hog) total-vm:%lukB, anon-rss:%lukB, file-rss:%lukB, shmem-rss:0kB, UID:1000 pgtables:%ldkB oom_score_adj:300\n",
		h->mm->total_vm * 4, get_mm_counter(h->mm, MM_ANONPAGES) * 4,
		get_mm_counter(h->mm, MM_FILEPAGES) * 4,
		h->mm->pgtables_bytes / 1024);
	assert_non_null(strstr(log, line));
	/* the sizes are the hog's: 2048 pages written, one PTE table and
	 * its upper levels */
	assert_true(get_mm_counter(h->mm, MM_ANONPAGES) >= 2048);
	assert_true(h->mm->total_vm >= 2048);
	/* the lines come in Linux's order */
	assert_true(strstr(log, "invoked oom-killer") <
		    strstr(log, "Mem-Info:"));
	assert_true(strstr(log, "Mem-Info:") < strstr(log, "Tasks state"));
	assert_true(strstr(log, "Tasks state") < strstr(log, "oom-kill:"));
	assert_true(strstr(log, "oom-kill:") < strstr(log, "Out of memory:"));
	put_task_struct(h);
}

/* A process sharing the victim's mm (clone(CLONE_VM) without a thread)
 * dies with it, and shares its oom_score_adj. */
static void test_mm_sharers_die_together(void **state)
{
	struct task_struct *h, *c, *other;

	(void)state;
	boot_oom("ram=64M");
	other = hog("other", 500, 0);
	h = hog("hog", 2000, 0);
	set_current_task(h);
	c = find_task_by_vpid((pid_t)sys_clone(CLONE_VM | SIGCHLD, 0));
	assert_non_null(c);
	assert_ptr_equal(c->mm, h->mm);
	assert_int_equal(write_pid_file(h, "oom_score_adj", "10"), 0);
	assert_pid_file(c, "oom_score_adj", "10\n");
	set_current_task(NULL);
	assert_true(oom());
	assert_true(killed(h));
	assert_true(killed(c));
	assert_false(killed(other));
	assert_int_equal(vmstat_counter("oom_kill"), 1);
	assert_int_equal(get_mm_counter(h->mm, MM_ANONPAGES), 0);
	put_task_struct(h);
	put_task_struct(other);
}

static void test_oom_dump_tasks_off(void **state)
{
	struct task_struct *h;

	(void)state;
	boot_oom("ram=64M", "vm.oom_dump_tasks=0");
	h = hog("hog", 100, 0);
	assert_true(oom());
	assert_true(killed(h));
	assert_false(log_contains("Tasks state"));
	assert_true(log_contains("Out of memory: Killed process 4 (hog)"));
	put_task_struct(h);
}

/* Free pages taken with no OOM kill (__GFP_NORETRY) until none is
 * left above the min watermark; returned as a list. */
static void exhaust(struct list_head *pages)
{
	struct page *p;

	while ((p = alloc_pages(GFP_KERNEL | __GFP_NORETRY | __GFP_NOWARN, 0)))
		list_add(&p->lru, pages);
}

static void release(struct list_head *pages)
{
	struct page *p, *n;

	list_for_each_entry_safe(p, n, pages, lru) {
		list_del(&p->lru);
		__free_pages(p, 0);
	}
}

static void test_allocation_succeeds_after_kill(void **state)
{
	struct task_struct *h, *s;
	unsigned long free_before;
	struct list_head pages = LIST_HEAD_INIT(pages);
	struct page *p;
	unsigned long n;

	(void)state;
	boot_oom("ram=64M");
	s = hog("small", 200, 0);
	h = hog("hog", 4000, 0);
	exhaust(&pages);
	free_before = memfree_kb();
	assert_int_equal(vmstat_counter("oom_kill"), 0);
	/* The requests that find nothing first reclaim what little there
	 * is (empty slabs); then one runs the OOM killer and gets its page
	 * from the victim's reaped memory. */
	for (n = 0; !vmstat_counter("oom_kill") && n < 64; n++) {
		p = alloc_pages(GFP_HIGHUSER_MOVABLE, 0);
		assert_non_null(p);
		list_add(&p->lru, &pages);
	}
	assert_int_equal(vmstat_counter("oom_kill"), 1);
	assert_true(killed(h));
	assert_false(killed(s));
	assert_true(memfree_kb() >= free_before + (3900 - n) * 4);
	assert_false(log_contains("page allocation failure"));
	release(&pages);
	put_task_struct(h);
	put_task_struct(s);
}

static void test_no_kill_while_memory_is_free(void **state)
{
	struct task_struct *a, *b;
	struct list_head pages = LIST_HEAD_INIT(pages);

	(void)state;
	boot_oom("ram=64M");
	a = hog("a", 3000, 0);
	b = hog("b", 3000, 0);
	for (int i = 0; i < 1000; i++) {
		struct page *p = alloc_pages(GFP_KERNEL, 0);

		assert_non_null(p);
		list_add(&p->lru, &pages);
	}
	assert_int_equal(vmstat_counter("oom_kill"), 0);
	assert_false(log_contains("oom-killer"));
	assert_false(killed(a) || killed(b));
	release(&pages);
	put_task_struct(a);
	put_task_struct(b);
}

static void test_init_and_kthreads_never_chosen(void **state)
{
	struct task_struct *init, *kthreadd, *h;
	struct list_head pages = LIST_HEAD_INIT(pages);

	(void)state;
	boot_oom("ram=64M");
	init = find_task_by_vpid(1);
	kthreadd = find_task_by_vpid(2);
	assert_non_null(init->mm);
	assert_int_equal(oom_badness(init, M->totalram_pages), LONG_MIN);
	assert_int_equal(oom_badness(kthreadd, M->totalram_pages), LONG_MIN);
	assert_pid_file(init, "oom_score", "0\n");
	h = hog("hog", 50, 0);
	assert_true(oom());
	assert_true(killed(h));
	assert_false(killed(init));
	/* with only init and kthreadd left (the hog reaped), nothing can
	 * be killed: Linux's message, then its panic; the allocation fails
	 * cleanly and the machine stays readable */
	assert_false(oom());
	assert_true(
		log_contains("Out of memory and no killable processes...\n"));
	assert_true(log_contains(
		"Kernel panic - not syncing: System is deadlocked on memory\n"));
	assert_true(log_contains(
		"---[ end Kernel panic - not syncing: System is deadlocked on memory ]---\n"));
	assert_true(machine_halted());
	exhaust(&pages);
	assert_null(alloc_pages(GFP_KERNEL | __GFP_NOWARN, 0));
	assert_int_equal(vmstat_counter("oom_kill"), 1);
	release(&pages);
	put_task_struct(h);
}

static void test_panic_on_oom(void **state)
{
	struct task_struct *h;
	char err[128];

	(void)state;
	boot_oom("ram=64M", "vm.panic_on_oom=1");
	h = hog("hog", 100, 0);
	assert_false(oom());
	assert_false(killed(h));
	assert_int_equal(vmstat_counter("oom_kill"), 0);
	assert_true(log_contains("swapper/0 invoked oom-killer: "));
	assert_true(log_contains(
		"Kernel panic - not syncing: Out of memory: system-wide panic_on_oom is enabled\n"));
	assert_true(machine_halted());
	put_task_struct(h);
	machine_destroy(M);

	boot_oom("ram=64M", "vm.panic_on_oom=2");
	assert_false(oom());
	assert_true(log_contains(
		"Kernel panic - not syncing: Out of memory: compulsory panic_on_oom is enabled\n"));
	machine_destroy(M);

	/* the sysctls and their ranges */
	boot_oom("ram=64M");
	assert_text("/proc/sys/vm/panic_on_oom", "0\n");
	assert_text("/proc/sys/vm/oom_dump_tasks", "1\n");
	assert_text("/proc/sys/vm/oom_kill_allocating_task", "0\n");
	assert_int_equal(proc_write("/proc/sys/vm/panic_on_oom", "3", err,
				    sizeof(err)),
			 -EINVAL);
	assert_int_equal(proc_write("/proc/sys/vm/panic_on_oom", "-1", err,
				    sizeof(err)),
			 -EINVAL);
	assert_int_equal(proc_write("/proc/sys/vm/panic_on_oom", "2", err,
				    sizeof(err)),
			 0);
	assert_int_equal(proc_write("/proc/sys/vm/oom_kill_allocating_task",
				    "5", err, sizeof(err)),
			 0);
	assert_false(machine_halted());
}

static void test_oom_score_adj_files(void **state)
{
	struct task_struct *t, *child;

	(void)state;
	boot_oom("ram=64M");
	t = start_process("task");
	assert_pid_file(t, "oom_score_adj", "0\n");
	assert_pid_file(t, "oom_adj", "0\n");
	/* the task itself (uid 1000) may raise it, and lower it back to
	 * its floor (0), not below */
	assert_int_equal(write_pid_file(t, "oom_score_adj", "500\n"), 0);
	assert_pid_file(t, "oom_score_adj", "500\n");
	assert_pid_file(t, "oom_adj", "8\n"); /* 500 * 17 / 1000 */
	assert_int_equal(write_pid_file(t, "oom_score_adj", " 100 "), 0);
	assert_int_equal(write_pid_file(t, "oom_score_adj", "-1"), -EACCES);
	assert_pid_file(t, "oom_score_adj", "100\n");
	/* bad values */
	assert_int_equal(write_pid_file(t, "oom_score_adj", "1001"), -EINVAL);
	assert_int_equal(write_pid_file(t, "oom_score_adj", "-1001"), -EINVAL);
	assert_int_equal(write_pid_file(t, "oom_score_adj", "abc"), -EINVAL);
	assert_int_equal(write_pid_file(t, "oom_score_adj", ""), -EINVAL);
	assert_int_equal(write_pid_file(t, "oom_score_adj", "0x10"), 0);
	assert_pid_file(t, "oom_score_adj", "16\n");
	/* oom_score is read-only */
	assert_int_equal(write_pid_file(t, "oom_score", "1"), -EACCES);
	/* legacy oom_adj: 15 is the maximum; lowering needs root */
	assert_int_equal(write_pid_file(t, "oom_adj", "15"), 0);
	assert_pid_file(t, "oom_score_adj", "1000\n");
	assert_pid_file(t, "oom_adj", "15\n");
	assert_true(log_contains(
		"/proc/4/oom_adj is deprecated, please use /proc/4/oom_score_adj instead.\n"));
	assert_int_equal(write_pid_file(t, "oom_adj", "16"), -EINVAL);
	assert_int_equal(write_pid_file(t, "oom_adj", "3"), -EACCES);
	/* root (swapper) may lower it, which sets the floor too */
	set_current_task(NULL);
	assert_int_equal(write_pid_file(t, "oom_adj", "-17"), 0);
	assert_pid_file(t, "oom_score_adj", "-1000\n");
	assert_pid_file(t, "oom_adj", "-17\n");
	assert_int_equal(write_pid_file(t, "oom_score_adj", "-500"), 0);
	assert_int_equal(t->signal->oom_score_adj_min, -500);
	set_current_task(t);
	assert_int_equal(write_pid_file(t, "oom_score_adj", "-400"), 0);
	assert_int_equal(write_pid_file(t, "oom_score_adj", "-500"), 0);
	assert_int_equal(write_pid_file(t, "oom_score_adj", "-501"), -EACCES);
	/* fork inherits the value and the floor */
	child = find_task_by_vpid((pid_t)sys_fork());
	assert_non_null(child);
	assert_pid_file(child, "oom_score_adj", "-500\n");
	assert_int_equal(child->signal->oom_score_adj_min, -500);
	/* /proc/self is current's */
	assert_text("/proc/self/oom_score_adj", "-500\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_oom_score, destroy_current),
		cmocka_unit_test_teardown(test_highest_badness_dies,
					  destroy_current),
		cmocka_unit_test_teardown(
			test_oom_score_adj_protects_and_condemns,
			destroy_current),
		cmocka_unit_test_teardown(test_kill_allocating_task,
					  destroy_current),
		cmocka_unit_test_teardown(test_report_lines, destroy_current),
		cmocka_unit_test_teardown(test_mm_sharers_die_together,
					  destroy_current),
		cmocka_unit_test_teardown(test_oom_dump_tasks_off,
					  destroy_current),
		cmocka_unit_test_teardown(test_allocation_succeeds_after_kill,
					  destroy_current),
		cmocka_unit_test_teardown(test_no_kill_while_memory_is_free,
					  destroy_current),
		cmocka_unit_test_teardown(test_init_and_kthreads_never_chosen,
					  destroy_current),
		cmocka_unit_test_teardown(test_panic_on_oom, destroy_current),
		cmocka_unit_test_teardown(test_oom_score_adj_files,
					  destroy_current),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
