/* `mmsim bench fork`: sys_fork() of a process with 1 GiB of anonymous
 * memory touched (copy_page_range over 262,144 PTEs, write-protecting
 * the parent's; reported per page), then copy-on-write faults as the parent writes 256 MiB
 * of it while the child still maps it; beside a real host fork() of this
 * process with 1 GiB touched (MADV_NOHUGEPAGE: 4 KiB pages, as mmsim) and
 * the host's COW faults in the parent, measured in the same run. The
 * child then exits and is reaped, untimed. A sanity line checks the COW
 * fault count, that the child kept the old bytes, the address-space
 * invariants right after a fork, and that every page came back. */
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench/bench.h"
#include "kernel/fork.h"
#include "kernel/pid.h"
#include "kernel/syscalls.h"
#include "mm/vma.h"

#define FORK_BYTES (1UL << 30)
#define COW_BYTES (256UL << 20)
#define RW (PROT_READ | PROT_WRITE)

enum { R_FORK, R_COW, NR_RESULTS };

struct bench_state {
	struct task_struct *proc;
	unsigned long addr; /* the touched GiB in proc */
	char *host; /* the touched GiB of the host process */
	unsigned long cow_faults; /* of the last round */
	unsigned long failures, problems;
	bool child_kept; /* the child read the bytes from before the fork */
	unsigned long start_pages;
	unsigned start_reports;
	struct bench_result r[NR_RESULTS];
};

/* ---- mmsim ---------------------------------------------------------------------- */

/* The child reads its first page back (it must see the parent's old
 * byte, 1), exits, and the parent reaps it. */
static void mm_end_child(struct bench_state *s, struct task_struct *child)
{
	char c = 0;

	set_current_task(child);
	if (user_access(s->addr, &c, 1, false))
		s->failures++;
	s->child_kept = c == 1;
	do_exit(0);
	set_current_task(s->proc);
	if (sys_wait4(-1, NULL, WNOHANG, NULL) <= 0)
		s->failures++;
}

static void mm_round(struct bench_state *s, double t[2], bool check)
{
	uint64_t t0 = bench_now_ns(), t1, t2;
	long pid = sys_fork();
	unsigned long flt;
	char c = 2;

	t1 = bench_now_ns();
	if (pid <= 0) {
		s->failures++;
		t[0] = t[1] = 0;
		return;
	}
	if (check)
		s->problems += check_mm_invariants(NULL);
	flt = current->min_flt;
	t1 = check ? bench_now_ns() : t1;
	for (unsigned long off = 0; off < COW_BYTES; off += PAGE_SIZE)
		s->failures += user_access(s->addr + off, &c, 1, true) != 0;
	t2 = bench_now_ns();
	s->cow_faults = current->min_flt - flt;
	t[0] = (double)(t1 - t0);
	t[1] = (double)(t2 - t1);
	mm_end_child(s, find_task_by_vpid((pid_t)pid));
	/* The parent's pages hold 1 again for the next round. */
	s->failures += bench_touch(s->addr, COW_BYTES);
}

/* ---- host ------------------------------------------------------------------------- */

static void host_round(struct bench_state *s, double t[2])
{
	int go[2];
	uint64_t t0, t1, t2;
	pid_t pid;
	char c = 0;

	if (pipe(go)) {
		s->failures++;
		t[0] = t[1] = 0;
		return;
	}
	t0 = bench_now_ns();
	pid = fork();
	if (pid == 0) {
		/* The child keeps the GiB mapped until the parent is done. */
		(void)!read(go[0], &c, 1);
		_exit(0);
	}
	t1 = bench_now_ns();
	for (unsigned long off = 0; off < COW_BYTES; off += PAGE_SIZE)
		((volatile char *)s->host)[off] = 2;
	t2 = bench_now_ns();
	(void)!write(go[1], &c, 1);
	if (pid < 0 || waitpid(pid, NULL, 0) != pid)
		s->failures++;
	close(go[0]);
	close(go[1]);
	bench_host_touch(s->host, COW_BYTES);
	t[0] = (double)(t1 - t0);
	t[1] = (double)(t2 - t1);
}

/* ---- rounds ------------------------------------------------------------------------ */

static void run_all(struct bench_state *s)
{
	struct bench_result *f = &s->r[R_FORK], *c = &s->r[R_COW];
	double cow_pages = (double)(COW_BYTES >> PAGE_SHIFT);
	double fork_pages = (double)(FORK_BYTES >> PAGE_SHIFT);
	double mm[2], host[2];

	*f = (struct bench_result){ "fork_1g", 0, "host fork(), 1 GiB touched",
				    0 };
	*c = (struct bench_result){ "cow_fault", 0, "host COW write fault", 0 };
	mm_round(s, mm, false);
	host_round(s, host);
	for (int i = 0; i < BENCH_ROUNDS; i++) {
		mm_round(s, mm, false);
		host_round(s, host);
		bench_keep_best(&f->ns_per_op, mm[0] / fork_pages);
		bench_keep_best(&f->reference_ns_per_op, host[0] / fork_pages);
		bench_keep_best(&c->ns_per_op, mm[1] / cow_pages);
		bench_keep_best(&c->reference_ns_per_op, host[1] / cow_pages);
	}
	mm_round(s, mm, true); /* untimed: the invariants after a fork */
}

/* ---- setup and report --------------------------------------------------------------- */

static bool setup(struct bench_state *s)
{
	long a;

	s->proc = bench_user_process("/bin/forker");
	if (!s->proc)
		return false;
	a = sys_mmap(0, FORK_BYTES, RW, MAP_PRIVATE | MAP_ANONYMOUS, -1UL, 0);
	if (IS_ERR_VALUE(a))
		return false;
	s->addr = (unsigned long)a;
	if (bench_touch(s->addr, FORK_BYTES))
		return false;
	s->host =
		mmap(NULL, FORK_BYTES, RW, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (s->host == MAP_FAILED) {
		s->host = NULL;
		return false;
	}
	madvise(s->host, FORK_BYTES, MADV_NOHUGEPAGE);
	bench_host_touch(s->host, FORK_BYTES);
	return true;
}

static bool check_sanity(struct seq_file *m, void *state)
{
	struct bench_state *s = state;
	unsigned long cow = COW_BYTES >> PAGE_SHIFT;
	unsigned long end = bench_pages_free_or_slab();
	unsigned reports = M->nr_bugs + M->nr_warns - s->start_reports;
	bool ok = s->cow_faults == cow && s->child_kept &&
		  end == s->start_pages && !s->problems && !s->failures &&
		  !reports;

	seq_printf(
		m,
		"sanity: %s (%lu COW faults for %lu pages written, child kept its bytes: %s; pages free or in slabs %lu at start, %lu at end; ",
		ok ? "ok" : "FAILED", s->cow_faults, cow,
		s->child_kept ? "yes" : "no", s->start_pages, end);
	seq_printf(
		m,
		"%lu invariant violations, %lu failures, %u BUG/WARN reports)\n",
		s->problems, s->failures, reports);
	return ok;
}

static void describe(struct seq_file *m, void *state)
{
	(void)state;
	bench_describe_machine(m, NULL);
	seq_puts(
		m,
		"\nfork_1g    1 op = one page of a sys_fork() of a process with 1 GiB\n"
		"           of anonymous memory touched (the fork's time divided\n"
		"           by 262,144: PTEs copied, the parent's write-protected,\n"
		"           its TLB flushed)\n"
		"cow_fault  1 op = a write fault that copies a page: the parent\n"
		"           writes 256 MiB of it while the child still maps it\n"
		"reference  a host fork() of this process with 1 GiB touched\n"
		"           (MADV_NOHUGEPAGE: 4 KiB pages, as mmsim), the host\n"
		"           parent's COW faults; children exit untimed\n"
		"ratio      mmsim ns/op / reference ns/op (below 1: mmsim is faster)\n\n");
}

static bool enough_memory(void)
{
	if (bench_free_pages() >=
	    ((FORK_BYTES + COW_BYTES) >> PAGE_SHIFT) * 9 / 8 +
		    M->totalreserve_pages)
		return true;
	fprintf(stderr,
		"mmsim bench fork: --ram %lluM is too small: the benchmark holds 1.25 GiB; use --ram 2G or more\n",
		(unsigned long long)(M->ram_bytes >> 20));
	return false;
}

int bench_fork(const struct bench_opts *opts)
{
	struct bench_state s = { 0 };
	struct machine *m = bench_boot(opts, "fork");
	int status = 2;

	if (!m)
		return 1;
	if (!enough_memory())
		goto out;
	s.start_reports = M->nr_bugs + M->nr_warns;
	status = 1;
	if (!setup(&s)) {
		fprintf(stderr,
			"mmsim bench fork: cannot set up the process (out of memory)\n");
		goto out_proc;
	}
	s.start_pages = bench_pages_free_or_slab();
	run_all(&s);
	status = bench_report(
		opts, &(struct bench_report){ "fork", s.r, NR_RESULTS,
					      check_sanity, describe, &s });
out_proc:
	if (s.host)
		munmap(s.host, FORK_BYTES);
	if (s.proc) {
		set_current_task(NULL);
		release_task(s.proc);
	}
out:
	machine_destroy(m);
	return status;
}
