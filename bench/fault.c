/* `mmsim bench fault`: anonymous first-touch write faults over 1 GiB of
 * a process's memory, written through user_access() one byte per page
 * (each write a TLB miss, a page walk, a fault that allocates a zeroed
 * page, and the retried access), then munmap of that GiB (per page);
 * beside the
 * host kernel doing the same in this process (mmap, MADV_NOHUGEPAGE so
 * it faults 4 KiB pages as mmsim does, a byte written per page, munmap),
 * measured in the same run. A sanity line checks that every page faulted
 * once, the address-space invariants, and that every page came back. */
#include <sys/mman.h>

#include "bench/bench.h"
#include "fs/binfmts.h"
#include "kernel/fork.h"
#include "kernel/syscalls.h"
#include "mm/vma.h"
#include "mm/vmstat.h"

#define FAULT_BYTES (1UL << 30)
#define RW (PROT_READ | PROT_WRITE)

enum { R_FAULT, R_MUNMAP, NR_RESULTS };

struct bench_state {
	struct task_struct *proc;
	unsigned long pages;
	unsigned long faults; /* min_flt of the last round's touch */
	unsigned long failures; /* accesses or calls that failed */
	unsigned long problems; /* invariant violations */
	unsigned long start_pages;
	unsigned start_reports;
	struct bench_result r[NR_RESULTS];
};

/* ---- shared with bench/fork.c ---------------------------------------------- */

struct task_struct *bench_user_process(const char *name)
{
	struct exec_image img;
	struct task_struct *t;
	int err;

	exec_image_default(&img, name, 64 * 1024, 8192, 8192);
	t = create_user_process(&img, &err);
	if (t)
		set_current_task(t);
	return t;
}

unsigned long bench_pages_free_or_slab(void)
{
	return bench_free_pages() +
	       (global_node_page_state(NR_SLAB_RECLAIMABLE_B) +
		global_node_page_state(NR_SLAB_UNRECLAIMABLE_B)) /
		       PAGE_SIZE;
}

unsigned long bench_touch(unsigned long addr, unsigned long len)
{
	unsigned long failures = 0;
	char c = 1;

	for (unsigned long off = 0; off < len; off += PAGE_SIZE)
		failures += user_access(addr + off, &c, 1, true) != 0;
	return failures;
}

void bench_host_touch(char *p, unsigned long len)
{
	for (unsigned long off = 0; off < len; off += PAGE_SIZE)
		((volatile char *)p)[off] = 1;
}

/* ---- one round of each side ------------------------------------------------- */

/* mmap + touch, then munmap: the nanoseconds of each in t[0], t[1]. */
static void mm_round(struct bench_state *s, double t[2])
{
	uint64_t t0 = bench_now_ns(), t1, t2;
	unsigned long flt = current->min_flt;
	long a = sys_mmap(0, FAULT_BYTES, RW, MAP_PRIVATE | MAP_ANONYMOUS, -1UL,
			  0);

	if (IS_ERR_VALUE(a)) {
		s->failures++;
		t[0] = t[1] = 0;
		return;
	}
	s->failures += bench_touch((unsigned long)a, FAULT_BYTES);
	t1 = bench_now_ns();
	s->faults = current->min_flt - flt;
	s->failures += sys_munmap((unsigned long)a, FAULT_BYTES) != 0;
	t2 = bench_now_ns();
	t[0] = (double)(t1 - t0);
	t[1] = (double)(t2 - t1);
}

static void host_round(struct bench_state *s, double t[2])
{
	uint64_t t0 = bench_now_ns(), t1, t2;
	char *p =
		mmap(NULL, FAULT_BYTES, RW, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED) {
		s->failures++;
		t[0] = t[1] = 0;
		return;
	}
	madvise(p, FAULT_BYTES, MADV_NOHUGEPAGE);
	bench_host_touch(p, FAULT_BYTES);
	t1 = bench_now_ns();
	munmap(p, FAULT_BYTES);
	t2 = bench_now_ns();
	t[0] = (double)(t1 - t0);
	t[1] = (double)(t2 - t1);
}

/* A warm-up round of each side, then BENCH_ROUNDS alternating. */
static void run_all(struct bench_state *s)
{
	struct bench_result *f = &s->r[R_FAULT], *u = &s->r[R_MUNMAP];
	double mm[2], host[2];

	*f = (struct bench_result){ "anon_write_fault", 0,
				    "host mmap+touch, 4K pages", 0 };
	*u = (struct bench_result){ "munmap_1g", 0, "host munmap of 1 GiB", 0 };
	/* both figures are per page of the GiB */
	mm_round(s, mm);
	host_round(s, host);
	for (int i = 0; i < BENCH_ROUNDS; i++) {
		mm_round(s, mm);
		host_round(s, host);
		bench_keep_best(&f->ns_per_op, mm[0] / (double)s->pages);
		bench_keep_best(&f->reference_ns_per_op,
				host[0] / (double)s->pages);
		bench_keep_best(&u->ns_per_op, mm[1] / (double)s->pages);
		bench_keep_best(&u->reference_ns_per_op,
				host[1] / (double)s->pages);
	}
}

/* Untimed: a touched GiB must satisfy the invariants. */
static void check_touched(struct bench_state *s)
{
	long a = sys_mmap(0, FAULT_BYTES, RW, MAP_PRIVATE | MAP_ANONYMOUS, -1UL,
			  0);

	if (IS_ERR_VALUE(a)) {
		s->failures++;
		return;
	}
	s->failures += bench_touch((unsigned long)a, FAULT_BYTES);
	s->problems += check_mm_invariants(NULL);
	s->failures += sys_munmap((unsigned long)a, FAULT_BYTES) != 0;
}

/* ---- report -------------------------------------------------------------------- */

static bool check_sanity(struct seq_file *m, void *state)
{
	struct bench_state *s = state;
	unsigned long end = bench_pages_free_or_slab();
	unsigned reports = M->nr_bugs + M->nr_warns - s->start_reports;
	bool ok = s->faults == s->pages && end == s->start_pages &&
		  !s->problems && !s->failures && !reports;

	seq_printf(
		m,
		"sanity: %s (%lu faults for %lu pages; pages free or in slabs %lu at start, %lu at end; ",
		ok ? "ok" : "FAILED", s->faults, s->pages, s->start_pages, end);
	seq_printf(
		m,
		"%lu invariant violations, %lu failed accesses, %u BUG/WARN reports)\n",
		s->problems, s->failures, reports);
	return ok;
}

static void describe(struct seq_file *m, void *state)
{
	(void)state;
	bench_describe_machine(m, NULL);
	seq_puts(
		m,
		"\nanon_write_fault  1 op = one first-touch write fault: of an mmap of\n"
		"                  1 GiB (MAP_PRIVATE|MAP_ANONYMOUS) by a process, a byte\n"
		"                  written per page through user_access(): TLB miss,\n"
		"                  page walk, fault, zeroed page, retried access\n"
		"munmap_1g         1 op = one page of a munmap of that touched GiB\n"
		"reference         the host kernel doing the same in this process\n"
		"                  (MADV_NOHUGEPAGE: 4 KiB pages, as mmsim)\n"
		"ratio             mmsim ns/op / reference ns/op (below 1: mmsim is faster)\n\n");
}

static bool enough_memory(void)
{
	if (bench_free_pages() >=
	    (FAULT_BYTES >> PAGE_SHIFT) * 9 / 8 + M->totalreserve_pages)
		return true;
	fprintf(stderr,
		"mmsim bench fault: --ram %lluM is too small: the benchmark touches 1 GiB; use --ram 2G or more\n",
		(unsigned long long)(M->ram_bytes >> 20));
	return false;
}

int bench_fault(const struct bench_opts *opts)
{
	struct bench_state s = { .pages = FAULT_BYTES >> PAGE_SHIFT };
	struct machine *m = bench_boot(opts, "fault");
	int status = 2;

	if (!m)
		return 1;
	if (!enough_memory())
		goto out;
	s.start_reports = M->nr_bugs + M->nr_warns;
	s.proc = bench_user_process("/bin/fault");
	if (!s.proc) {
		fprintf(stderr, "mmsim bench fault: cannot start a process\n");
		status = 1;
		goto out;
	}
	s.start_pages = bench_pages_free_or_slab();
	run_all(&s);
	check_touched(&s);
	status = bench_report(
		opts, &(struct bench_report){ "fault", s.r, NR_RESULTS,
					      check_sanity, describe, &s });
	set_current_task(NULL);
	release_task(s.proc);
out:
	machine_destroy(m);
	return status;
}
