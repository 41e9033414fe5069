/* `mmsim bench reclaim`: how fast mmsim reclaims anonymous memory to
 * swap and brings it back. A task's anonymous memory (half of RAM, each
 * word holding its address) is pushed out with MADV_PAGEOUT, the swap
 * writes are played out by the disk model and reclaim frees the written
 * pages (swap_out); the task then faults every page back, a write per
 * page from its body, sleeping in D for each read (swap_in); and a
 * thrashing load writes at random over a working set 1.25 times RAM, so
 * that kswapd and direct reclaim swap pages out while the faults swap
 * others in (thrash). Beside each, measured in the same run: a host
 * memcpy of the same pages into and out of a host buffer (a page written
 * to or read from swap is a 4 KiB copy), and the same number of host
 * random 8-byte writes over a host buffer of the working set's size.
 * Clean file pages are not measured: there is no page cache yet. */
#include <string.h>
#include <sys/mman.h>

#include "bench/bench.h"
#include "fs/binfmts.h"
#include "init/main.h"
#include "kernel/fork.h"
#include "kernel/sched/run.h"
#include "kernel/syscalls.h"
#include "kernel/time/time.h"
#include "mm/swap.h"
#include "mm/vma.h"
#include "mm/vmstat.h"
#include "workload/access.h"

#define RW (PROT_READ | PROT_WRITE)
#define ANON (MAP_PRIVATE | MAP_ANONYMOUS)
/* Accesses of a thrash round per page of the working set. */
#define THRASH_PER_PAGE 2
#define SEED 12345

enum { R_SWAPOUT, R_SWAPIN, R_THRASH, NR_RESULTS };

/* vmstat events of the thrashing rounds. */
enum { E_MAJFLT, E_PSWPIN, E_PSWPOUT, E_KSWAPD, E_DIRECT, E_STALL, NR_EV };

struct bench_state {
	struct bench_toucher tc;
	unsigned long region, region_pages; /* swap_out and swap_in */
	unsigned long ws, ws_pages; /* thrash */
	char *host_ram, *host_swap, *host_ws; /* the references' buffers */
	unsigned long swapped_out, swapped_in; /* of the last round */
	unsigned long rounds_done; /* swap cycles of the region */
	unsigned long ev[NR_EV]; /* over the timed thrash rounds */
	unsigned long thrash_done; /* accesses of the timed rounds */
	unsigned long bad_pages; /* pages not holding their addresses */
	/* once the toucher has gone: slots, swap-cache pages, and the swap
	 * entries of the processes left */
	unsigned long slots_left, cache_left, swapents_left;
	unsigned long problems; /* invariant violations */
	unsigned long failures;
	unsigned start_reports;
	uint64_t sink;
	struct bench_result r[NR_RESULTS];
};

/* init, kthreadd and kswapd0 as a scenario's machine has them, then the
 * toucher. */
static bool start_toucher(struct bench_state *s)
{
	char msg[256];

	if (!rest_init(msg, sizeof(msg))) {
		fprintf(stderr, "mmsim bench reclaim: %s\n", msg);
		return false;
	}
	return bench_toucher_start(&s->tc, "/bin/reclaim",
				   "mmsim bench reclaim", &s->failures);
}

/* Makes the toucher current outside its body (woken first: a sleeping
 * task cannot be; with no job its next step sleeps again). */
static void as_toucher(struct bench_state *s)
{
	wake_up_process(s->tc.task);
	set_current_task(s->tc.task);
}

/* mmap of len in the toucher's address space: the address, or 0. */
static unsigned long toucher_mmap(struct bench_state *s, unsigned long len)
{
	long a;

	as_toucher(s);
	a = sys_mmap(0, len, RW, ANON, -1UL, 0);
	set_current_task(NULL);
	return IS_ERR_VALUE(a) ? 0 : (unsigned long)a;
}

static void toucher_munmap(struct bench_state *s, unsigned long a,
			   unsigned long len)
{
	as_toucher(s);
	s->failures += sys_munmap(a, len) != 0;
	set_current_task(NULL);
}

/* A new mapping of len written by the toucher, a word every stride:
 * its address, or 0 (a failure counted). */
static unsigned long map_and_fill(struct bench_state *s, unsigned long len,
				  unsigned long stride)
{
	struct touch_args fill = { .length = len,
				   .write = true,
				   .stride = stride };

	fill.addr = toucher_mmap(s, len);
	if (!fill.addr || !bench_toucher_run(&s->tc, &fill, false, false)) {
		s->failures++;
		return 0;
	}
	return fill.addr;
}

/* ---- swap_out and swap_in ------------------------------------------------------ */

static unsigned long swap_used(void)
{
	return (unsigned long)(M->total_swap_pages - get_nr_swap_pages());
}

/* The swap areas' size, each one's header page rounded off. */
static unsigned long swap_mib(void)
{
	return (unsigned long)(M->total_swap_pages + 128) >> (20 - PAGE_SHIFT);
}

/* Lets the disk finish every swap I/O in flight (virtual time). */
static void settle(void)
{
	do
		sched_run_for(10 * NSEC_PER_MSEC);
	while (swap_io_pending());
}

/* MADV_PAGEOUT of the region, its writes to swap completed, and the
 * written pages freed from the swap cache by reclaim that starts no
 * I/O (the pages a later kswapd scan would free): host ns per page. */
static double swap_out_round(struct bench_state *s, unsigned long a)
{
	unsigned long out0 = M->vm_events[PSWPOUT];
	uint64_t t0 = bench_now_ns();

	as_toucher(s);
	s->failures += sys_madvise(a, s->region, MADV_PAGEOUT) != 0;
	settle();
	as_toucher(s);
	while (global_node_page_state(NR_SWAPCACHE) &&
	       try_to_free_pages(GFP_NOIO, 0, 0, ZONE_NORMAL))
		;
	set_current_task(NULL);
	s->swapped_out = M->vm_events[PSWPOUT] - out0;
	if (s->swapped_out != s->region_pages)
		s->failures++;
	return (double)(bench_now_ns() - t0) / (double)s->region_pages;
}

/* The toucher writes a word per page (its own address, as it holds):
 * every page is read back from swap. Host ns per page. */
static double swap_in_round(struct bench_state *s, unsigned long a)
{
	struct touch_args t = { .addr = a,
				.length = s->region,
				.pattern = TOUCH_SEQ,
				.write = true };
	unsigned long in0 = M->vm_events[PSWPIN];
	double ns = bench_toucher_run(&s->tc, &t, false, false);

	s->swapped_in = M->vm_events[PSWPIN] - in0;
	if (s->swapped_in != s->region_pages)
		s->failures++;
	return ns;
}

static double host_copy(struct bench_state *s, bool out)
{
	uint64_t t0 = bench_now_ns();

	for (unsigned long off = 0; off < s->region; off += PAGE_SIZE) {
		if (out)
			memcpy(s->host_swap + off, s->host_ram + off,
			       PAGE_SIZE);
		else
			memcpy(s->host_ram + off, s->host_swap + off,
			       PAGE_SIZE);
	}
	bench_keep(s->host_ram);
	bench_keep(s->host_swap);
	return (double)(bench_now_ns() - t0) / (double)s->region_pages;
}

/* Untimed: every word of the region holds its address (read through
 * user_access(); the pages are resident). */
static void check_region(struct bench_state *s, unsigned long a)
{
	static uint64_t buf[PAGE_SIZE / 8];

	as_toucher(s);
	for (unsigned long off = 0; off < s->region; off += PAGE_SIZE) {
		bool bad = user_access(a + off, buf, PAGE_SIZE, false) != 0;

		for (unsigned long w = 0; !bad && w < PAGE_SIZE / 8; w++)
			bad = buf[w] != a + off + w * 8;
		s->bad_pages += bad;
	}
	set_current_task(NULL);
}

static void run_swap_rounds(struct bench_state *s)
{
	struct bench_result *o = &s->r[R_SWAPOUT], *i = &s->r[R_SWAPIN];
	unsigned long a = map_and_fill(s, s->region, 8);

	if (!a)
		return;
	for (int k = 0; k <= BENCH_ROUNDS; k++) { /* the first: warm-up */
		double mo = swap_out_round(s, a), ho = host_copy(s, true);
		double mi = swap_in_round(s, a), hi = host_copy(s, false);

		s->rounds_done++;
		if (!k)
			continue;
		bench_keep_best(&o->ns_per_op, mo);
		bench_keep_best(&o->reference_ns_per_op, ho);
		bench_keep_best(&i->ns_per_op, mi);
		bench_keep_best(&i->reference_ns_per_op, hi);
	}
	check_region(s, a);
	toucher_munmap(s, a, s->region);
}

/* ---- thrash -------------------------------------------------------------------- */

static struct touch_args thrash_args(unsigned long a, unsigned long ws)
{
	return (struct touch_args){ .addr = a,
				    .length = ws,
				    .pattern = TOUCH_RANDOM,
				    .write = true,
				    .count = THRASH_PER_PAGE *
					     (ws >> PAGE_SHIFT),
				    .stride = 8,
				    .seed = SEED };
}

static double host_thrash(struct bench_state *s)
{
	uint64_t t0 = bench_now_ns();
	unsigned long words = s->ws / 8, n = THRASH_PER_PAGE * s->ws_pages;
	struct prng rng;

	prng_seed(&rng, SEED);
	for (unsigned long i = 0; i < n; i++) {
		volatile uint64_t *p = (volatile uint64_t *)s->host_ws +
				       prng_below(&rng, words);

		*p = (uint64_t)(uintptr_t)p;
	}
	return (double)(bench_now_ns() - t0) / (double)n;
}

/* The thrash's vmstat events so far (allocstall over every zone). */
static void thrash_events(unsigned long ev[NR_EV])
{
	ev[E_MAJFLT] = M->vm_events[PGMAJFAULT];
	ev[E_PSWPIN] = M->vm_events[PSWPIN];
	ev[E_PSWPOUT] = M->vm_events[PSWPOUT];
	ev[E_KSWAPD] = M->vm_events[PGSTEAL_KSWAPD];
	ev[E_DIRECT] = M->vm_events[PGSTEAL_DIRECT];
	ev[E_STALL] = 0;
	for (int z = 0; z < MAX_NR_ZONES; z++)
		ev[E_STALL] += M->vm_events[ALLOCSTALL_DMA + z];
}

static void run_thrash(struct bench_state *s)
{
	struct bench_result *r = &s->r[R_THRASH];
	unsigned long ev0[NR_EV];
	/* the working set written once: it no longer fits */
	unsigned long a = map_and_fill(s, s->ws, PAGE_SIZE);
	struct touch_args t = thrash_args(a, s->ws);

	if (!a)
		return;
	bench_toucher_run(&s->tc, &t, false, false); /* warm-up */
	host_thrash(s);
	thrash_events(ev0);
	for (int k = 0; k < BENCH_ROUNDS; k++) {
		bench_keep_best(&r->ns_per_op,
				bench_toucher_run(&s->tc, &t, false, false));
		s->thrash_done += s->tc.t.done;
		bench_keep_best(&r->reference_ns_per_op, host_thrash(s));
	}
	thrash_events(s->ev);
	for (int e = 0; e < NR_EV; e++)
		s->ev[e] -= ev0[e];
	toucher_munmap(s, a, s->ws);
}

/* The toucher goes (killed, as release_task does to a live task) and
 * its swap I/O ends: nothing of swap may be left. */
static void end_toucher(struct bench_state *s)
{
	set_current_task(NULL);
	release_task(s->tc.task);
	s->tc.task = NULL;
	settle();
}

/* What is left of swap once the toucher has gone: slots and swap-cache
 * pages, and the swap entries the processes left (init, whose stack
 * kswapd may swap out too) hold in their page tables. */
static void count_swap_left(struct bench_state *s)
{
	struct task_struct *p;

	s->slots_left = swap_used();
	s->cache_left = global_node_page_state(NR_SWAPCACHE);
	for_each_process(p) if (p->mm) s->swapents_left +=
		(unsigned long)get_mm_counter(p->mm, MM_SWAPENTS);
	s->problems = check_mm_invariants(NULL);
}

/* ---- report -------------------------------------------------------------------- */

static double per_sec(double ns_per_op)
{
	return ns_per_op > 0 ? 1e9 / ns_per_op : 0;
}

static bool check_sanity(struct seq_file *m, void *state)
{
	struct bench_state *s = state;
	unsigned reports = M->nr_bugs + M->nr_warns - s->start_reports;
	bool swap_ok = s->slots_left == s->swapents_left &&
		       s->cache_left <= s->slots_left && !s->problems;
	bool ok = swap_ok && !s->bad_pages && !s->failures && !reports &&
		  s->ev[E_PSWPIN] && s->ev[E_PSWPOUT] &&
		  s->rounds_done == BENCH_ROUNDS + 1;

	seq_printf(m,
		   "per host second: %.0f pages reclaimed to swap, %.0f pages "
		   "swapped in, %.2f M thrashing accesses\n",
		   per_sec(s->r[R_SWAPOUT].ns_per_op),
		   per_sec(s->r[R_SWAPIN].ns_per_op),
		   per_sec(s->r[R_THRASH].ns_per_op) / 1e6);
	seq_printf(m,
		   "paths: swap_out %lu pswpout and swap_in %lu pswpin for %lu "
		   "pages a round; thrash %lu accesses: %lu major faults, "
		   "%lu pswpin, %lu pswpout, %lu pgsteal_kswapd, %lu "
		   "pgsteal_direct, %lu allocstall\n",
		   s->swapped_out, s->swapped_in, s->region_pages,
		   s->thrash_done, s->ev[E_MAJFLT], s->ev[E_PSWPIN],
		   s->ev[E_PSWPOUT], s->ev[E_KSWAPD], s->ev[E_DIRECT],
		   s->ev[E_STALL]);
	seq_printf(m,
		   "swap after the task exited: %lu slots in use, %s the %lu "
		   "swap entries of the processes left (init); %lu pages in "
		   "the swap cache; %lu invariant violations\n",
		   s->slots_left,
		   s->slots_left == s->swapents_left ? "as many as" :
						       "NOT as many as",
		   s->swapents_left, s->cache_left, s->problems);
	seq_printf(m,
		   "sanity: %s (every word of %lu pages %s its address after "
		   "%lu swap cycles; %lu failures, %u BUG/WARN reports)\n",
		   ok ? "ok" : "FAILED", s->region_pages,
		   s->bad_pages ? "does NOT hold" : "holds", s->rounds_done,
		   s->failures, reports);
	return ok;
}

static void describe(struct seq_file *m, void *state)
{
	struct bench_state *s = state;
	char extra[96];

	snprintf(extra, sizeof(extra), "%lu MiB of swap", swap_mib());
	bench_describe_machine(m, extra);
	seq_printf(
		m,
		"\n"
		"swap_out   1 op = one anonymous page reclaimed to swap: MADV_PAGEOUT\n"
		"           of %lu MiB a task wrote (unmap, swap slot, the copy to\n"
		"           swap, the bio), the disk model completing the writes,\n"
		"           and reclaim freeing the written pages\n"
		"swap_in    one page faulted back: the task writes a word per page\n"
		"           from its body, sleeping in D for each read (readahead)\n"
		"thrash     one simulated 8-byte write at random over a working set\n"
		"           of %lu MiB (1.25 x RAM) with swap: kswapd and direct\n"
		"           reclaim swap pages out as faults swap others in\n"
		"reference  host memcpy of the same pages (4 KiB each) to and from\n"
		"           a host buffer; the same number of host random writes\n"
		"           over a host buffer of the working set's size\n"
		"ratio      mmsim ns/op / reference ns/op\n"
		"file pages not measured: there is no page cache yet, so no clean\n"
		"           file pages to reclaim\n\n",
		s->region >> 20, s->ws >> 20);
}

/* ---- setup ---------------------------------------------------------------------- */

/* A swap area of twice the RAM when the user gave none. */
static bool default_swap(struct machine_config *cfg)
{
	static char size[32];
	char err[256];

	if (cfg->nr_swaps)
		return true;
	snprintf(size, sizeof(size), "%lluM",
		 (unsigned long long)(cfg->ram_bytes >> 19));
	if (machine_config_set(cfg, "swap", size, err, sizeof(err)))
		return true;
	fprintf(stderr, "mmsim bench reclaim: %s\n", err);
	return false;
}

static bool enough_memory(const struct bench_state *s)
{
	unsigned long ram_mb = (unsigned long)(M->ram_bytes >> 20);

	if (bench_free_pages() <
	    s->region_pages * 9 / 8 + M->totalreserve_pages) {
		fprintf(stderr,
			"mmsim bench reclaim: --ram %luM leaves too little free memory for the %lu MiB it swaps; use --ram 128M or more\n",
			ram_mb, s->region >> 20);
		return false;
	}
	if ((unsigned long)M->total_swap_pages < s->ws_pages) {
		fprintf(stderr,
			"mmsim bench reclaim: --swap of %lu MiB is too small: the thrashing working set is %lu MiB (1.25 x RAM); give at least that, or no --swap (default: twice the RAM)\n",
			swap_mib(), s->ws >> 20);
		return false;
	}
	return true;
}

static bool host_buffers(struct bench_state *s)
{
	s->host_ram = malloc(s->region);
	s->host_swap = malloc(s->region);
	s->host_ws = malloc(s->ws);
	if (!s->host_ram || !s->host_swap || !s->host_ws)
		return false;
	memset(s->host_ram, 1, s->region);
	memset(s->host_swap, 1, s->region);
	memset(s->host_ws, 1, s->ws);
	return true;
}

static void sizes(struct bench_state *s)
{
	unsigned long ram = (unsigned long)M->ram_bytes;

	s->region = ram / 2 & ~((1UL << 20) - 1);
	s->ws = ram / 4 * 5 & ~((1UL << 20) - 1);
	s->region_pages = s->region >> PAGE_SHIFT;
	s->ws_pages = s->ws >> PAGE_SHIFT;
}

int bench_reclaim(const struct bench_opts *opts)
{
	struct bench_opts o = *opts;
	struct bench_state *s = calloc(1, sizeof(*s));
	struct machine *m = NULL;
	int status = 1;

	if (!s || !default_swap(&o.cfg))
		goto out;
	m = bench_boot(&o, "reclaim");
	if (!m)
		goto out;
	sizes(s);
	if (!enough_memory(s)) {
		status = 2;
		goto out;
	}
	if (!host_buffers(s)) {
		fprintf(stderr, "mmsim bench reclaim: out of host memory\n");
		goto out;
	}
	s->start_reports = M->nr_bugs + M->nr_warns;
	if (!start_toucher(s)) {
		fprintf(stderr,
			"mmsim bench reclaim: cannot start a process\n");
		goto out;
	}
	s->r[R_SWAPOUT] = (struct bench_result){ "swap_out", 0,
						 "host memcpy of 4 KiB", 0 };
	s->r[R_SWAPIN] = (struct bench_result){ "swap_in", 0,
						"host memcpy of 4 KiB", 0 };
	s->r[R_THRASH] = (struct bench_result){ "thrash", 0,
						"host random writes, same size",
						0 };
	run_swap_rounds(s);
	run_thrash(s);
	end_toucher(s);
	count_swap_left(s);
	status = bench_report(
		opts, &(struct bench_report){ "reclaim", s->r, NR_RESULTS,
					      check_sanity, describe, s });
out:
	if (m)
		machine_destroy(m);
	if (s) {
		free(s->host_ram);
		free(s->host_swap);
		free(s->host_ws);
	}
	free(s);
	return status;
}
